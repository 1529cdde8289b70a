"""Canonical entities in the database: entities, the links of spans and claim sources to
them, link suggestions, merge and split, and the queries of the entities and sources views.

Reached as ``Repository.entities``; every public method that writes is one transaction of
the repository's connection. Links live in tables of their own (``span_links``,
``claim_sources``) keyed by the span or claim id: ids are never reused (schema m003), so
the undo of a deleted span gets its link back with it, and the spans and claims tables
stay as they are. Rejected link suggestions are kept (``link_rejections``) so that a new
run never suggests them again.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from models.annotation import SourceKind
from models.entities import (
    LINK_ORIGIN,
    Entity,
    EntityError,
    LinkReport,
    LinkStatus,
    SourceKey,
    choose_name,
    display_name,
    name_key,
)

if TYPE_CHECKING:
    from storage.repository import Repository

# Labels that name something an analyst follows across documents; numbers, dates and
# amounts are not linked.
UNLINKED_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
# The label of a canonical entity made to group anonymous sources ("Same source?").
SOURCE_LABEL = "SOURCE"
_ENTITY_KIND = {"PERSON": SourceKind.NAMED_PERSON}
_CONTEXT = 60  # code points of context on each side of a mention


@dataclass(frozen=True)
class LinkState:
    """A span's link as it was, for undo: ``entity_id`` None means unlinked."""

    span_id: int
    entity_id: int | None = None
    status: str = ""
    origin: str = ""
    rejected: tuple[int, ...] = ()  # entities whose suggestion for this span was rejected


@dataclass(frozen=True)
class ClaimSourceState:
    claim_id: int
    entity_id: int | None = None
    status: str = ""
    origin: str = ""


@dataclass(frozen=True)
class EntityRow:
    """One row of the entities view."""

    id: int
    name: str
    label: str
    aliases: tuple[str, ...]
    external_id: str
    documents: int
    mentions: int
    suggested: int  # mentions whose link is still a suggestion
    claims: int


@dataclass(frozen=True)
class Mention:
    """A span linked to an entity, with the document it is in and its context."""

    span_id: int
    doc_id: int
    title: str
    start: int
    end: int
    text: str
    label: str
    link_status: str


@dataclass(frozen=True)
class MergeRecord:
    """Everything a merge changed, so that its undo puts every row back."""

    target_id: int
    source: Entity
    source_keys: tuple[tuple[str, str], ...]
    target_aliases: tuple[str, ...]
    span_ids: tuple[int, ...]
    claim_ids: tuple[int, ...]
    rejections: tuple[int, ...]


@dataclass(frozen=True)
class SplitRecord:
    """What a split did: the entity split, the new entity, the moved spans with the
    status their link had."""

    entity_id: int
    new: Entity
    spans: tuple[tuple[int, str], ...]


@dataclass
class SourceClaim:
    """A claim as the sources view lists it."""

    id: int
    doc_id: int
    title: str
    source: str  # the source as written (pronoun resolved)
    cue: str
    content: str
    source_kind: str
    certainty: str
    status: str
    content_start: int
    pronoun: bool  # the mention is a pronoun whose antecedent is ``source``


@dataclass
class Source:
    """Who made claims: a canonical entity, or a description within one document."""

    key: SourceKey
    name: str
    kind: str
    claims: list[SourceClaim] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len({c.doc_id for c in self.claims})


class EntityStore:
    """Canonical entities of one repository (see the module docstring)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.db = repo.db

    # -- entities ----------------------------------------------------------------------

    def create(self, entity: Entity) -> Entity:
        """Store a new entity (or one under its old id, for undo); returns it with id."""
        with self.repo.transaction():
            return self._insert(entity)

    def _insert(self, entity: Entity, origin: str = "manual") -> Entity:
        if not entity.name.strip() or not entity.label.strip():
            raise EntityError("an entity needs a name and a label")
        stamp = _now()
        row = {
            "name": entity.name.strip(), "label": entity.label, "aliases": json.dumps(list(entity.aliases),
            ensure_ascii=False), "note": entity.note, "external_id": entity.external_id.strip(),
            "annotator": self.repo.annotator, "origin": origin, "created": entity.created or stamp,
            "updated": stamp,
        }  # fmt: skip
        if entity.id is not None:
            row["id"] = entity.id
        entity_id = self.db["entities"].insert(row).last_pk
        stored = self.get(entity_id)
        self._write_keys(stored)
        return stored

    def _insert_many(self, entities: list[Entity]) -> list[Entity]:
        """Store new entities made by the link rules in bulk (ids in order); returns them."""
        if not entities:
            return []
        stamp = _now()
        first = (self.db.execute("SELECT max(id) FROM entities").fetchone()[0] or 0) + 1
        seq = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entities'").fetchone()
        first = max(first, (seq[0] if seq else 0) + 1)  # AUTOINCREMENT: never an old id
        stored = [replace(e, id=first + n, created=stamp, updated=stamp) for n, e in enumerate(entities)]
        self.db.conn.executemany(
            "INSERT INTO entities (id, name, label, aliases, note, external_id, annotator, origin, created, "
            "updated) VALUES (?, ?, ?, ?, '', '', ?, ?, ?, ?)",
            [(e.id, e.name, e.label, json.dumps(list(e.aliases), ensure_ascii=False), self.repo.annotator,
              LINK_ORIGIN, stamp, stamp) for e in stored],
        )  # fmt: skip
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, label, entity_id) VALUES (?, ?, ?)",
            [(key, e.label, e.id) for e in stored for key in e.keys],
        )
        return stored

    def _write_keys(self, entity: Entity) -> None:
        self.db.execute("DELETE FROM entity_keys WHERE entity_id = ?", [entity.id])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO entity_keys (key, label, entity_id) VALUES (?, ?, ?)",
            [(key, entity.label, entity.id) for key in entity.keys],
        )

    def get(self, entity_id: int) -> Entity:
        row = self.db.execute(
            "SELECT id, name, label, aliases, note, external_id, created, updated FROM entities WHERE id = ?",
            [entity_id],
        ).fetchone()
        if row is None:
            raise KeyError(f"no entity {entity_id}")
        return _entity(row)

    def update(self, entity_id: int, **changes: Any) -> Entity:
        """Change name, label, aliases, note or external id; returns the entity as stored."""
        with self.repo.transaction():
            old = self.get(entity_id)
            new = Entity(
                name=str(changes.get("name", old.name)).strip(),
                label=changes.get("label", old.label),
                aliases=tuple(changes.get("aliases", old.aliases)),
                note=changes.get("note", old.note),
                external_id=str(changes.get("external_id", old.external_id)).strip(),
                id=entity_id,
                created=old.created,
            )
            if not new.name or not new.label:
                raise EntityError("an entity needs a name and a label")
            self.db.execute(
                "UPDATE entities SET name = ?, label = ?, aliases = ?, note = ?, external_id = ?, "
                "annotator = ?, updated = ? WHERE id = ?",
                [new.name, new.label, json.dumps(list(new.aliases), ensure_ascii=False), new.note,
                 new.external_id, self.repo.annotator, _now(), entity_id],
            )  # fmt: skip
            self._write_keys(new)
        return self.get(entity_id)

    def delete(self, entity_id: int) -> Entity:
        """Remove an entity that nothing links to (ValueError otherwise)."""
        with self.repo.transaction():
            entity = self.get(entity_id)
            used = self.db.execute(
                "SELECT (SELECT count(*) FROM span_links WHERE entity_id = :e) + "
                "(SELECT count(*) FROM claim_sources WHERE entity_id = :e)",
                {"e": entity_id},
            ).fetchone()[0]
            if used:
                raise EntityError(f"{entity.name!r} still has {used} link(s); merge it instead")
            self.db.execute("DELETE FROM link_rejections WHERE entity_id = ?", [entity_id])
            self.db.execute("DELETE FROM entity_keys WHERE entity_id = ?", [entity_id])
            self.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])
        return entity

    def find(self, text: str, label: str) -> list[Entity]:
        """Entities of ``label`` answering to the normalised form of ``text``."""
        ids = [r[0] for r in self.db.execute(
            "SELECT entity_id FROM entity_keys WHERE key = ? AND label = ? ORDER BY entity_id",
            [name_key(text), label])]  # fmt: skip
        return [self.get(i) for i in ids]

    def entity_ids(self, search: str = "", label: str | None = None) -> list[tuple[int, str, str]]:
        """``(id, name, label)`` of every entity, by name; ``search`` matches any name or
        alias by its normalised form (prefix of a word)."""
        sql = "SELECT id, name, label FROM entities"
        args: list[Any] = []
        where = []
        if label:
            where.append("label = ?")
            args.append(label)
        key = name_key(search)
        if key:
            where.append(
                "id IN (SELECT entity_id FROM entity_keys WHERE key >= ? AND key < ? "
                "OR key LIKE ? ESCAPE '\\')"
            )
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args += [key, key + "\uffff", f"% {escaped}%"]
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.db.execute(sql + " ORDER BY name COLLATE NOCASE, id", args).fetchall()

    def rows(self, entity_ids: list[int]) -> dict[int, EntityRow]:
        """The entities view's columns for ``entity_ids`` (a page at a time)."""
        if not entity_ids:
            return {}
        marks = ",".join("?" * len(entity_ids))
        counts: dict[int, tuple[int, int, int]] = {}
        for entity_id, mentions, documents, suggested in self.db.execute(
            f"SELECT entity_id, count(*), count(DISTINCT doc_id), sum(status = 'suggested') "
            f"FROM span_links WHERE entity_id IN ({marks}) AND hidden = 0 GROUP BY entity_id",
            entity_ids,
        ):
            counts[entity_id] = (mentions, documents, suggested or 0)
        claims = dict(self.db.execute(
            f"SELECT entity_id, count(*) FROM (SELECT cs.entity_id FROM claim_sources cs "
            f"JOIN claims c ON c.id = cs.claim_id WHERE cs.entity_id IN ({marks}) AND c.status != 'rejected' "
            f"UNION ALL SELECT l.entity_id FROM span_links l JOIN claims c ON c.source_span_id = l.span_id "
            f"AND l.hidden = 0 "
            f"WHERE l.entity_id IN ({marks}) AND c.status != 'rejected' "
            f"AND NOT EXISTS (SELECT 1 FROM claim_sources x WHERE x.claim_id = c.id)) GROUP BY entity_id",
            entity_ids * 2))  # fmt: skip
        rows = {}
        for row in self.db.execute(
            f"SELECT id, name, label, aliases, note, external_id, created, updated FROM entities "
            f"WHERE id IN ({marks})",
            entity_ids,
        ):
            entity = _entity(row)
            mentions, documents, suggested = counts.get(entity.id, (0, 0, 0))
            rows[entity.id] = EntityRow(entity.id, entity.name, entity.label, entity.aliases,
                                        entity.external_id, documents, mentions, suggested,
                                        claims.get(entity.id, 0))  # fmt: skip
        return rows

    def labels(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT label FROM entities ORDER BY label")]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM entities").fetchone()[0]

    # -- mentions ----------------------------------------------------------------------

    def mentions(self, entity_id: int) -> list[Mention]:
        """Every span linked to the entity (suggested or accepted), in document order,
        without context (``mention_contexts`` reads it for the rows on screen)."""
        rows = self.db.execute(
            "SELECT l.span_id, s.doc_id, d.title, s.start, s.end, s.text, s.label, l.status "
            "FROM span_links l JOIN spans s ON s.id = l.span_id JOIN documents d ON d.id = s.doc_id "
            "WHERE l.entity_id = ? AND s.status != 'rejected' ORDER BY s.doc_id, s.start, s.id",
            [entity_id],
        )
        return [Mention(*row) for row in rows]

    def mention_contexts(self, span_ids: list[int]) -> dict[int, tuple[str, str]]:
        """``span id -> (before, after)``: ``_CONTEXT`` code points each side of a span."""
        contexts: dict[int, tuple[str, str]] = {}
        for first in range(0, len(span_ids), 500):
            chunk = span_ids[first : first + 500]
            for span_id, before, after in self.db.execute(
                f"SELECT s.id, substr(d.text, max(1, s.start + 1 - {_CONTEXT}), min(s.start, {_CONTEXT})), "
                f"substr(d.text, s.end + 1, {_CONTEXT}) "
                "FROM spans s JOIN documents_content d ON d.id = s.doc_id "
                f"WHERE s.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                contexts[span_id] = (before, after)
        return contexts

    def links_of_document(self, doc_id: int) -> dict[int, tuple[int, str, str]]:
        """``span id -> (entity id, entity name, link status)`` for one document."""
        return {
            span_id: (entity_id, name, status)
            for span_id, entity_id, name, status in self.db.execute(
                "SELECT l.span_id, l.entity_id, e.name, l.status FROM span_links l "
                "JOIN spans s ON s.id = l.span_id JOIN entities e ON e.id = l.entity_id "
                "WHERE s.doc_id = ?",
                [doc_id],
            )
        }

    # -- links of spans ----------------------------------------------------------------

    def link_state(self, span_id: int) -> LinkState:
        row = self.db.execute(
            "SELECT entity_id, status, origin FROM span_links WHERE span_id = ?", [span_id]
        ).fetchone()
        rejected = self._ids(
            "SELECT entity_id FROM link_rejections WHERE span_id = ? ORDER BY entity_id", span_id
        )
        if row is None:
            return LinkState(span_id, rejected=rejected)
        return LinkState(span_id, row[0], row[1], row[2], rejected)

    def restore_link(self, state: LinkState) -> None:
        """Put a span's link (and its rejections) back as ``state`` says (undo)."""
        with self.repo.transaction():
            self.db.execute("DELETE FROM span_links WHERE span_id = ?", [state.span_id])
            self.db.execute("DELETE FROM link_rejections WHERE span_id = ?", [state.span_id])
            if state.entity_id is not None:
                self._write_link(state.span_id, state.entity_id, state.status, state.origin)
            self.db.conn.executemany(
                "INSERT INTO link_rejections (span_id, entity_id) VALUES (?, ?)",
                [(state.span_id, e) for e in state.rejected],
            )

    def link_span(self, span_id: int, entity_id: int, origin: str = "manual") -> LinkState:
        """Link a span to an entity as accepted (the analyst's choice); returns the state
        before. The span's surface form becomes an alias when the entity does not answer
        to it yet."""
        with self.repo.transaction():
            before = self.link_state(span_id)
            span = self.repo.span(span_id)
            entity = self.get(entity_id)
            self.db.execute(
                "DELETE FROM link_rejections WHERE span_id = ? AND entity_id = ?", [span_id, entity_id]
            )
            self._write_link(span_id, entity_id, LinkStatus.ACCEPTED, origin)
            self._learn_alias(entity, span.text)
        return before

    def accept_link(self, span_id: int) -> LinkState:
        """Accept the span's suggested link; KeyError when it has none."""
        with self.repo.transaction():
            before = self.link_state(span_id)
            if before.entity_id is None:
                raise EntityError(f"span {span_id} has no suggested entity to accept")
            self.db.execute(
                "UPDATE span_links SET status = 'accepted', annotator = ?, updated = ? WHERE span_id = ?",
                [self.repo.annotator, _now(), span_id],
            )
            self._learn_alias(self.get(before.entity_id), self.repo.span(span_id).text)
        return before

    def reject_link(self, span_id: int) -> LinkState:
        """Remove the span's link and remember the rejection; KeyError when unlinked."""
        with self.repo.transaction():
            before = self.link_state(span_id)
            if before.entity_id is None:
                raise EntityError(f"span {span_id} has no entity link to reject")
            self.db.execute("DELETE FROM span_links WHERE span_id = ?", [span_id])
            self.db.execute(
                "INSERT OR IGNORE INTO link_rejections (span_id, entity_id) VALUES (?, ?)",
                [span_id, before.entity_id],
            )
        return before

    def new_entity_for_span(self, span_id: int, name: str = "") -> tuple[Entity, LinkState]:
        """Make a canonical entity (named ``name``, or after the span) with the span's
        label, and link the span to it."""
        with self.repo.transaction():
            span = self.repo.span(span_id)
            entity = self._insert(Entity(name=name.strip() or display_name(span.text), label=span.label))
            before = self.link_span(span_id, entity.id)
        return entity, before

    def _write_link(self, span_id: int, entity_id: int, status: str, origin: str) -> None:
        self.db.execute(
            "INSERT INTO span_links (span_id, entity_id, doc_id, hidden, status, origin, annotator, updated) "
            "SELECT ?, ?, doc_id, status = 'rejected', ?, ?, ?, ? FROM spans WHERE id = ? "
            "ON CONFLICT (span_id) DO UPDATE SET entity_id = excluded.entity_id, "
            "status = excluded.status, origin = excluded.origin, annotator = excluded.annotator, "
            "updated = excluded.updated",
            [span_id, entity_id, LinkStatus(status).value, origin, self.repo.annotator, _now(), span_id],
        )

    def _learn_alias(self, entity: Entity, text: str) -> None:
        """A spelling the analyst confirmed becomes an alias (shown, searched, exported
        as an EntityRuler pattern) unless the entity already has it as written."""
        learned = entity.with_alias(text.strip())
        if learned is not entity:
            self.update(entity.id, aliases=learned.aliases)

    # -- sources of claims -------------------------------------------------------------

    def claim_source_state(self, claim_id: int) -> ClaimSourceState:
        row = self.db.execute(
            "SELECT entity_id, status, origin FROM claim_sources WHERE claim_id = ?", [claim_id]
        ).fetchone()
        return ClaimSourceState(claim_id, *row) if row else ClaimSourceState(claim_id)

    def restore_claim_sources(self, states: Iterable[ClaimSourceState]) -> None:
        with self.repo.transaction():
            for state in states:
                self.db.execute("DELETE FROM claim_sources WHERE claim_id = ?", [state.claim_id])
                if state.entity_id is not None:
                    self._write_claim_source(state.claim_id, state.entity_id, state.status, state.origin)

    def link_claim_sources(self, claim_ids: Iterable[int], entity_id: int,
                           origin: str = "manual") -> list[ClaimSourceState]:  # fmt: skip
        """Link the claims' source directly to an entity (accepted); returns the states
        before, for undo."""
        with self.repo.transaction():
            self.get(entity_id)
            before = [self.claim_source_state(c) for c in claim_ids]
            for state in before:
                self._write_claim_source(state.claim_id, entity_id, LinkStatus.ACCEPTED, origin)
        return before

    def _write_claim_source(self, claim_id: int, entity_id: int, status: str, origin: str) -> None:
        self.db.execute(
            "INSERT INTO claim_sources (claim_id, entity_id, status, origin, annotator, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET entity_id = excluded.entity_id, "
            "status = excluded.status, origin = excluded.origin, annotator = excluded.annotator, "
            "updated = excluded.updated",
            [claim_id, entity_id, LinkStatus(status).value, origin, self.repo.annotator, _now()],
        )

    def same_source(
        self, keys: list[SourceKey], name: str, kind: str, entity_id: int | None = None
    ) -> tuple[Entity, list[ClaimSourceState]]:
        """The analyst confirms that several anonymous sources (in different documents)
        are one: a canonical entity of label ``SOURCE`` (under ``entity_id`` when a redo
        recreates it) becomes the source of all their claims. Returns it and the claims'
        source links before, for undo."""
        with self.repo.transaction():
            note = f"source kind: {SourceKind(kind).value}"
            entity = self._insert(Entity(name=name, label=SOURCE_LABEL, note=note, id=entity_id))
            wanted = set(keys)
            docs = sorted({k.doc_id for k in keys if k.doc_id is not None})
            claim_ids = [c.id for s in self.sources(docs or None) if s.key in wanted for c in s.claims]
            before = self.link_claim_sources(claim_ids, entity.id)
        return entity, before

    # -- suggestions -------------------------------------------------------------------

    def suggest_for_span(self, span_id: int) -> bool:
        """The suggestion for one span the analyst just added or relabelled (the key
        path: a few indexed reads, whatever the document's size): the one existing entity
        of its label answering to its name, never a new entity; a suggested link left
        from its old label is dropped. Accepted links and rejected pairs are kept. True
        when the span's link changed."""
        with self.repo.transaction():
            span = self.repo.span(span_id)
            state = self.link_state(span_id)
            if state.entity_id is not None:
                if state.status != LinkStatus.SUGGESTED or self.get(state.entity_id).label == span.label:
                    return False
                self.db.execute("DELETE FROM span_links WHERE span_id = ?", [span_id])
            if span.label in UNLINKED_LABELS or span.status == "rejected":
                return state.entity_id is not None
            found = self.db.execute(
                "SELECT entity_id FROM entity_keys WHERE key = ? AND label = ?",
                [name_key(span.text), span.label],
            ).fetchall()
            candidates = [e for (e,) in dict.fromkeys(found) if e not in state.rejected]
            if len(candidates) != 1:
                return state.entity_id is not None
            self._write_link(span_id, candidates[0], LinkStatus.SUGGESTED, LINK_ORIGIN)
        return True

    def suggest_links(self, doc_ids: list[int] | None = None, create: bool = True) -> LinkReport:
        """Suggest a canonical entity for every unlinked span that is not rejected, by
        normalised name and label, creating entities for names not seen before when
        ``create``; then let pronoun sources follow the entity of their antecedent. A
        name two entities of one label answer to is left for the analyst. One
        transaction; spans already linked and rejected pairs are never touched."""
        report = LinkReport()
        with self.repo.transaction():
            self._drop_stale_suggestions(doc_ids)
            forms = self._unlinked_forms(doc_ids)
            groups: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
            for text, label, count in forms:
                key = name_key(text)
                if key:
                    groups[(key, label)].append((text, count))
            known = self._entities_for_keys(groups)
            mapping: list[tuple[str, str, int]] = []
            new: list[tuple[Entity, list[tuple[str, int]]]] = []
            ambiguous = 0
            for (key, label), surface in groups.items():
                candidates = known.get((key, label), [])
                if len(candidates) > 1:
                    ambiguous += 1
                elif candidates:
                    mapping += [(text, label, candidates[0]) for text, _ in surface]
                elif create:
                    name = choose_name(surface)
                    aliases = tuple(sorted({display_name(t) for t, _ in surface} - {name}))
                    new.append((Entity(name=name, label=label, aliases=aliases), surface))
            for entity, surface in zip(
                self._insert_many([e for e, _ in new]), (s for _, s in new), strict=True
            ):
                mapping += [(text, entity.label, entity.id) for text, _ in surface]
            report.entities_created = len(new)
            report.spans_suggested, report.skipped_rejected = self._write_suggestions(mapping, doc_ids)
            report.claims_followed = self._follow_pronouns(doc_ids)
            if ambiguous:
                report.notes.append(f"{ambiguous} name(s) answer to more than one entity: link by hand")
        return report

    def _drop_stale_suggestions(self, doc_ids: list[int] | None) -> None:
        """A suggested link whose span was relabelled or rejected since (the analyst
        corrected spaCy's WORK_OF_ART to FAC) no longer holds; an entity the rules made
        that is left with no link, claim, rejection or edit goes with it."""
        sql = (
            "SELECT l.span_id, l.entity_id FROM span_links l JOIN spans s ON s.id = l.span_id "
            "JOIN entities e ON e.id = l.entity_id WHERE l.status = 'suggested' "
            "AND (s.label != e.label OR s.status = 'rejected')"
        )
        stale = (
            list(self.db.execute(sql))
            if doc_ids is None
            else list(self.repo._rows_for_documents(sql + " AND s.doc_id IN ({ids})", doc_ids))
        )
        self.db.conn.executemany("DELETE FROM span_links WHERE span_id = ?", [(s,) for s, _ in stale])
        for entity_id in {e for _, e in stale}:
            orphan = self.db.execute(
                "SELECT 1 FROM entities e WHERE id = :id AND origin = :origin AND note = '' "
                "AND external_id = '' AND NOT EXISTS (SELECT 1 FROM span_links WHERE entity_id = :id) "
                "AND NOT EXISTS (SELECT 1 FROM claim_sources WHERE entity_id = :id) "
                "AND NOT EXISTS (SELECT 1 FROM link_rejections WHERE entity_id = :id)",
                {"origin": LINK_ORIGIN, "id": entity_id},
            ).fetchone()
            if orphan:
                self.db.execute("DELETE FROM entity_keys WHERE entity_id = ?", [entity_id])
                self.db.execute("DELETE FROM entities WHERE id = ?", [entity_id])

    def _unlinked_forms(self, doc_ids: list[int] | None) -> list[tuple[str, str, int]]:
        excluded = ",".join(f"'{label}'" for label in sorted(UNLINKED_LABELS))
        sql = (
            "SELECT s.text, s.label, count(*) FROM spans s WHERE s.status != 'rejected' "
            f"AND s.label NOT IN ({excluded}) AND NOT EXISTS "
            "(SELECT 1 FROM span_links l WHERE l.span_id = s.id)"
        )
        if doc_ids is None:
            return list(self.db.execute(sql + " GROUP BY s.text, s.label"))
        counts: Counter[tuple[str, str]] = Counter()
        for text, label, count in self.repo._rows_for_documents(
            sql + " AND s.doc_id IN ({ids}) GROUP BY s.text, s.label", doc_ids
        ):
            counts[(text, label)] += count
        return [(text, label, count) for (text, label), count in counts.items()]

    def _entities_for_keys(self, groups: dict[tuple[str, str], Any]) -> dict[tuple[str, str], list[int]]:
        known: dict[tuple[str, str], list[int]] = defaultdict(list)
        wanted = list(groups)
        for first in range(0, len(wanted), 400):
            chunk = wanted[first : first + 400]
            clause = " OR ".join("(key = ? AND label = ?)" for _ in chunk)
            args = [v for pair in chunk for v in pair]
            for key, label, entity_id in self.db.execute(
                f"SELECT key, label, entity_id FROM entity_keys WHERE {clause} ORDER BY entity_id", args
            ):
                known[(key, label)].append(entity_id)
        return known

    def _write_suggestions(
        self, mapping: list[tuple[str, str, int]], doc_ids: list[int] | None
    ) -> tuple[int, int]:
        """Insert suggested links for every unlinked span whose (text, label) is in
        ``mapping``, through a temporary table (one statement for the corpus). Returns
        (links written, spans left out because the analyst rejected that entity)."""
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS link_forms (text TEXT, label TEXT, entity_id INTEGER, "
            "PRIMARY KEY (text, label)) WITHOUT ROWID"
        )
        self.db.execute("DELETE FROM link_forms")
        self.db.conn.executemany("INSERT OR IGNORE INTO link_forms VALUES (?, ?, ?)", mapping)
        scope = ""
        if doc_ids is not None:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS link_docs (id INTEGER PRIMARY KEY)")
            self.db.execute("DELETE FROM link_docs")
            self.db.conn.executemany("INSERT OR IGNORE INTO link_docs VALUES (?)", [(d,) for d in doc_ids])
            scope = "AND s.doc_id IN (SELECT id FROM link_docs)"
        candidates = (
            "FROM spans s JOIN link_forms f ON f.text = s.text AND f.label = s.label "
            f"WHERE s.status != 'rejected' {scope} "
            "AND NOT EXISTS (SELECT 1 FROM span_links l WHERE l.span_id = s.id)"
        )
        # counted from the (small) rejections table, not by another pass over the spans
        rejected = self.db.execute(
            "SELECT count(*) FROM link_rejections r JOIN spans s ON s.id = r.span_id "
            "JOIN link_forms f ON f.text = s.text AND f.label = s.label AND f.entity_id = r.entity_id "
            f"WHERE s.status != 'rejected' {scope} "
            "AND NOT EXISTS (SELECT 1 FROM span_links l WHERE l.span_id = s.id)"
        ).fetchone()[0]
        cursor = self.db.execute(
            "INSERT INTO span_links (span_id, entity_id, doc_id, status, origin, annotator, updated) "
            f"SELECT s.id, f.entity_id, s.doc_id, 'suggested', ?, ?, ? {candidates} AND NOT EXISTS "
            "(SELECT 1 FROM link_rejections r WHERE r.span_id = s.id AND r.entity_id = f.entity_id)",
            [LINK_ORIGIN, self.repo.annotator, _now()],
        )
        self.db.execute("DELETE FROM link_forms")
        return cursor.rowcount, rejected

    def _follow_pronouns(self, doc_ids: list[int] | None) -> int:
        """A claim whose pronoun source was resolved to an earlier source (its
        ``source_text``) follows the entity that source's span links to, in the same
        document, as a suggestion."""
        sql = (
            "SELECT c.id, c.doc_id, c.source_text FROM claims c WHERE c.source_text != '' "
            "AND c.status != 'rejected' "
            "AND NOT EXISTS (SELECT 1 FROM claim_sources x WHERE x.claim_id = c.id)"
        )
        rows = (
            list(self.db.execute(sql))
            if doc_ids is None
            else list(self.repo._rows_for_documents(sql + " AND c.doc_id IN ({ids})", doc_ids))
        )
        by_doc: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for claim_id, doc_id, source_text in rows:
            by_doc[doc_id].append((claim_id, name_key(source_text)))
        followed = 0
        for doc_id, claims in by_doc.items():
            names: dict[str, set[int]] = defaultdict(set)
            for text, entity_id in self.db.execute(
                "SELECT s.text, l.entity_id FROM span_links l JOIN spans s ON s.id = l.span_id "
                "WHERE s.doc_id = ? AND s.status != 'rejected'",
                [doc_id],
            ):
                names[name_key(text)].add(entity_id)
            for claim_id, key in claims:
                entities = names.get(key, set())
                if len(entities) == 1:
                    self._write_claim_source(
                        claim_id, next(iter(entities)), LinkStatus.SUGGESTED, LINK_ORIGIN
                    )
                    followed += 1
        return followed

    # -- merge and split ---------------------------------------------------------------

    def merge(self, source_id: int, target_id: int) -> MergeRecord:
        """Move every mention, claim link and rejection of ``source_id`` to ``target_id``
        and delete ``source_id``; its name and aliases become the target's aliases."""
        if source_id == target_id:
            raise EntityError("an entity cannot be merged into itself")
        with self.repo.transaction():
            source = self.get(source_id)
            target = self.get(target_id)
            record = MergeRecord(
                target_id=target_id,
                source=source,
                source_keys=tuple(
                    self.db.execute(
                        "SELECT key, label FROM entity_keys WHERE entity_id = ?", [source_id]
                    ).fetchall()
                ),  # fmt: skip
                target_aliases=target.aliases,
                span_ids=self._ids("SELECT span_id FROM span_links WHERE entity_id = ?", source_id),
                claim_ids=self._ids("SELECT claim_id FROM claim_sources WHERE entity_id = ?", source_id),
                rejections=self._ids("SELECT span_id FROM link_rejections WHERE entity_id = ?", source_id),
            )
            self.db.execute("UPDATE span_links SET entity_id = ? WHERE entity_id = ?", [target_id, source_id])
            self.db.execute(
                "UPDATE claim_sources SET entity_id = ? WHERE entity_id = ?", [target_id, source_id]
            )
            self.db.execute("UPDATE OR IGNORE link_rejections SET entity_id = ? WHERE entity_id = ?",
                            [target_id, source_id])  # fmt: skip
            self.db.execute("DELETE FROM link_rejections WHERE entity_id = ?", [source_id])
            self.db.execute("DELETE FROM entity_keys WHERE entity_id = ?", [source_id])
            self.db.execute("DELETE FROM entities WHERE id = ?", [source_id])
            merged = target.with_alias(source.name, *source.aliases)
            self.update(target_id, aliases=merged.aliases)
        return record

    def unmerge(self, record: MergeRecord) -> None:
        """Undo of ``merge``: the source entity comes back under its id with its keys,
        mentions, claim links and rejections; the target's aliases are as they were."""
        with self.repo.transaction():
            self._insert(record.source)
            self._move("span_links", "span_id", record.span_ids, record.source.id)
            self._move("claim_sources", "claim_id", record.claim_ids, record.source.id)
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO link_rejections (span_id, entity_id) VALUES (?, ?)",
                [(span_id, record.source.id) for span_id in record.rejections],
            )
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO entity_keys (key, label, entity_id) VALUES (?, ?, ?)",
                [(key, label, record.source.id) for key, label in record.source_keys],
            )
            self.update(record.target_id, aliases=record.target_aliases)

    def split(
        self, entity_id: int, span_ids: list[int], name: str = "", new_id: int | None = None
    ) -> SplitRecord:
        """Move the chosen mentions out of ``entity_id`` into a new entity (named ``name``
        or after the first mention; under ``new_id`` when a redo recreates it), their
        links accepted. EntityError when none of ``span_ids`` is a mention of it."""
        with self.repo.transaction():
            entity = self.get(entity_id)
            sql = "SELECT span_id, status FROM span_links WHERE entity_id = ?"
            statuses = dict(self.db.execute(sql, [entity_id]).fetchall())
            moving = [s for s in dict.fromkeys(span_ids) if s in statuses]
            if not moving:
                raise EntityError("choose mentions of this entity to split off")
            first = self.repo.span(moving[0])
            new = self._insert(Entity(name=(name or display_name(first.text)).strip(), label=entity.label,
                                      id=new_id))  # fmt: skip
            self._move("span_links", "span_id", tuple(moving), new.id)
            marks = ",".join("?" * len(moving))
            self.db.execute(f"UPDATE span_links SET status = 'accepted' WHERE span_id IN ({marks})", moving)
        return SplitRecord(entity_id, new, tuple((s, statuses[s]) for s in moving))

    def unsplit(self, record: SplitRecord) -> None:
        """Undo of ``split``: the mentions go back with their link status, and the new
        entity is removed."""
        with self.repo.transaction():
            for span_id, status in record.spans:
                self.db.execute(
                    "UPDATE span_links SET entity_id = ?, status = ? WHERE span_id = ?",
                    [record.entity_id, status, span_id],
                )
            self.delete(record.new.id)

    def _ids(self, sql: str, value: int) -> tuple[int, ...]:
        return tuple(r[0] for r in self.db.execute(sql, [value]))

    def _move(self, table: str, column: str, ids: tuple[int, ...], entity_id: int) -> None:
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            self.db.execute(
                f"UPDATE {table} SET entity_id = ? WHERE {column} IN ({','.join('?' * len(chunk))})",
                [entity_id, *chunk],
            )

    # -- the sources view --------------------------------------------------------------

    def sources(self, doc_ids: list[int] | None = None, statuses: Iterable[str] = ("accepted", "suggested"),
                certainties: Iterable[str] | None = None) -> list[Source]:  # fmt: skip
        """Every source with its claims: a canonical entity (through the claim's direct
        link or its source span's link) or, unlinked, the normalised description of the
        source within its document; a pronoun source joins the source it was resolved
        to. Claims without a source form one "unattributed" source per document."""
        where = [f"c.status IN ({','.join('?' * len(tuple(statuses)))})"]
        args: list[Any] = list(statuses)
        if certainties is not None:
            certainties = list(certainties)
            where.append(f"c.certainty IN ({','.join('?' * len(certainties))})")
            args += certainties
        if doc_ids is not None:
            where.append(f"c.doc_id IN ({','.join('?' * len(doc_ids))})")
            args += doc_ids
        rows = self.db.execute(
            f"SELECT c.id, c.doc_id, d.title, c.source_text, c.source_kind, c.certainty, c.status, "
            f"c.content_start, substr(d.text, c.content_start + 1, c.content_end - c.content_start), "
            f"CASE WHEN c.cue_start IS NULL THEN '' "
            f"ELSE substr(d.text, c.cue_start + 1, c.cue_end - c.cue_start) END, "
            f"CASE WHEN c.source_start IS NULL THEN '' "
            f"ELSE substr(d.text, c.source_start + 1, c.source_end - c.source_start) END, "
            f"coalesce(cs.entity_id, CASE WHEN sl.status IS NOT NULL THEN sl.entity_id END), e.name, e.label "
            f"FROM claims c JOIN documents_content d ON d.id = c.doc_id "
            f"LEFT JOIN claim_sources cs ON cs.claim_id = c.id "
            f"LEFT JOIN span_links sl ON sl.span_id = c.source_span_id "
            f"LEFT JOIN entities e ON e.id = coalesce(cs.entity_id, sl.entity_id) "
            f"WHERE {' AND '.join(where)} ORDER BY c.doc_id, c.content_start, c.id",
            args,
        )
        sources: dict[SourceKey, Source] = {}
        for (claim_id, doc_id, title, resolved, kind, certainty, status, start, content, cue, mention,
             entity_id, entity_name, entity_label) in rows:  # fmt: skip
            name = resolved or mention
            pronoun = bool(resolved) and mention != resolved
            if entity_id is not None:
                key = SourceKey(entity_id=entity_id)
                shown, shown_kind = entity_name, _entity_kind(entity_label, kind)
            elif name:
                key = SourceKey(doc_id=doc_id, key=name_key(name))
                shown, shown_kind = name, kind
            else:
                key = SourceKey(doc_id=doc_id, key="")
                shown, shown_kind = "(unattributed)", SourceKind.UNATTRIBUTED.value
            source = sources.get(key)
            if source is None:
                source = sources[key] = Source(key, shown, shown_kind)
            elif not pronoun and source.name != shown and key.entity_id is None and _is_pronoun_name(source):
                source.name = shown
            source.claims.append(SourceClaim(claim_id, doc_id, title, name or "", cue, content, kind,
                                             certainty, status, start, pronoun))  # fmt: skip
        return list(sources.values())

    def same_source_suggestions(self, sources: list[Source]) -> list[list[Source]]:
        """Groups of unlinked descriptions in different documents with the same normalised
        wording and kind: candidates for "Same source?", for the analyst to confirm."""
        groups: dict[tuple[str, str], list[Source]] = defaultdict(list)
        for source in sources:
            if source.key.entity_id is None and source.key.key:
                groups[(source.key.key, source.kind)].append(source)
        return [group for group in groups.values() if len({s.key.doc_id for s in group}) > 1]

    # -- export ------------------------------------------------------------------------

    def iter_entities(self) -> Iterator[tuple[Entity, int, int]]:
        """Every entity with its number of accepted mentions and of documents."""
        counts = {
            entity_id: (mentions, documents)
            for entity_id, mentions, documents in self.db.execute(
                "SELECT l.entity_id, count(*), count(DISTINCT s.doc_id) FROM span_links l "
                "JOIN spans s ON s.id = l.span_id WHERE l.status = 'accepted' AND s.status != 'rejected' "
                "GROUP BY l.entity_id"
            )
        }
        for row in self.db.execute(
            "SELECT id, name, label, aliases, note, external_id, created, updated FROM entities ORDER BY id"
        ):
            entity = _entity(row)
            yield entity, *counts.get(entity.id, (0, 0))

    def accepted_links(self, span_ids: Iterable[int]) -> dict[int, Entity]:
        """``span id -> entity`` for the spans among ``span_ids`` whose link is accepted."""
        ids = list(span_ids)
        found: dict[int, Entity] = {}
        entities: dict[int, Entity] = {}
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            for span_id, entity_id in self.db.execute(
                f"SELECT span_id, entity_id FROM span_links WHERE status = 'accepted' "
                f"AND span_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                if entity_id not in entities:
                    entities[entity_id] = self.get(entity_id)
                found[span_id] = entities[entity_id]
        return found

    def claim_entities(self, claim_ids: Iterable[int]) -> dict[int, Entity]:
        """``claim id -> entity`` of each claim's source (direct link or through its
        source span's accepted link)."""
        ids = list(claim_ids)
        found: dict[int, Entity] = {}
        entities: dict[int, Entity] = {}
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            for claim_id, entity_id in self.db.execute(
                f"SELECT c.id, coalesce(cs.entity_id, sl.entity_id) FROM claims c "
                f"LEFT JOIN claim_sources cs ON cs.claim_id = c.id AND cs.status = 'accepted' "
                f"LEFT JOIN span_links sl ON sl.span_id = c.source_span_id AND sl.status = 'accepted' "
                f"WHERE c.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                if entity_id is not None:
                    if entity_id not in entities:
                        entities[entity_id] = self.get(entity_id)
                    found[claim_id] = entities[entity_id]
        return found


def _entity(row: tuple) -> Entity:
    entity_id, name, label, aliases, note, external_id, created, updated = row
    try:
        names = tuple(json.loads(aliases or "[]"))
    except json.JSONDecodeError:
        names = ()
    return Entity(name, label, names, note or "", external_id or "", entity_id, created or "", updated or "")


def _entity_kind(label: str | None, claim_kind: str) -> str:
    if label in _ENTITY_KIND:
        return _ENTITY_KIND[label].value
    if label == SOURCE_LABEL:
        return claim_kind
    return claim_kind if claim_kind != SourceKind.UNATTRIBUTED else SourceKind.NAMED_ORGANISATION.value


def _is_pronoun_name(source: Source) -> bool:
    return all(c.pronoun for c in source.claims)


def _now() -> str:
    from storage.repository import now

    return now()


_LINK_VISIBILITY_TRIGGERS = (
    """CREATE TRIGGER span_links_hide_ad AFTER DELETE ON spans BEGIN
  UPDATE span_links SET hidden = 1 WHERE span_id = old.id;
END""",
    """CREATE TRIGGER span_links_show_ai AFTER INSERT ON spans BEGIN
  UPDATE span_links SET hidden = (new.status = 'rejected') WHERE span_id = new.id;
END""",
    """CREATE TRIGGER span_links_status_au AFTER UPDATE OF status ON spans
WHEN old.status IS NOT new.status BEGIN
  UPDATE span_links SET hidden = (new.status = 'rejected') WHERE span_id = new.id;
END""",
)


def migrate_canonical_entities(db: Any) -> None:
    """Schema for canonical entities (a migration in storage/schema.py calls it)."""
    db.execute(
        "CREATE TABLE entities (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
        "label TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]', note TEXT NOT NULL DEFAULT '', "
        "external_id TEXT NOT NULL DEFAULT '', annotator TEXT NOT NULL DEFAULT '', "
        "origin TEXT NOT NULL DEFAULT 'manual', created TEXT, updated TEXT)"
    )
    db.execute("CREATE INDEX idx_entities_name ON entities (name COLLATE NOCASE, id)")
    db.execute(
        "CREATE TABLE entity_keys (key TEXT NOT NULL, label TEXT NOT NULL, "
        "entity_id INTEGER NOT NULL REFERENCES entities (id), "
        "PRIMARY KEY (key, label, entity_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX idx_entity_keys_entity ON entity_keys (entity_id)")
    for table, column in (("span_links", "span_id"), ("claim_sources", "claim_id")):
        db.execute(
            f"CREATE TABLE {table} ({column} INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL "
            f"REFERENCES entities (id), status TEXT NOT NULL, origin TEXT NOT NULL, "
            f"annotator TEXT NOT NULL DEFAULT '', updated TEXT)"
        )
        db.execute(f"CREATE INDEX idx_{table}_entity ON {table} (entity_id, status)")
    db.execute(
        "CREATE TABLE link_rejections (span_id INTEGER NOT NULL, entity_id INTEGER NOT NULL, "
        "PRIMARY KEY (span_id, entity_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX idx_link_rejections_entity ON link_rejections (entity_id)")
    # The form-to-entity join of a corpus-wide suggestion run reads spans by text.
    db.execute("CREATE INDEX idx_spans_text_label ON spans (text, label)")


def migrate_entity_link_counts(db: Any) -> None:
    """Counts of the entities view from indexes alone (schema m006): ``span_links`` gets
    the span's document (a span never moves) and ``hidden`` (the span is deleted or
    rejected, kept by triggers on spans), so that the counts come from one covering index
    without reading a million spans. The link of a deleted span stays: an undo that
    restores the span under its id makes it count again. The entity list is read by name
    from one covering index, and claims are found by their source span."""
    db.execute("ALTER TABLE span_links ADD COLUMN doc_id INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE span_links ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE span_links SET doc_id = coalesce((SELECT doc_id FROM spans WHERE id = span_id), 0), "
        "hidden = coalesce((SELECT status = 'rejected' FROM spans WHERE id = span_id), 1)"
    )
    db.execute("DROP INDEX idx_span_links_entity")
    db.execute("CREATE INDEX idx_span_links_entity ON span_links (entity_id, hidden, status, doc_id)")
    db.execute("DROP INDEX idx_entities_name")
    db.execute("CREATE INDEX idx_entities_name ON entities (name COLLATE NOCASE, id, label)")
    db.execute("CREATE INDEX idx_entities_label ON entities (label)")
    db.execute("CREATE INDEX idx_claims_source_span ON claims (source_span_id)")
    for statement in _LINK_VISIBILITY_TRIGGERS:
        db.execute(statement)
