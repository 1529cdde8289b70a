"""The repository: the only code in Quire that reads or writes SQL.

Each public method that writes is one transaction (``BEGIN IMMEDIATE`` so that two
processes on one file queue on the busy timeout instead of failing mid-way).
"""

from __future__ import annotations

import getpass
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.annotation import (
    AnnotationError,
    Certainty,
    Claim,
    ClaimKind,
    CueKind,
    RangeSet,
    SourceKind,
    Span,
    Status,
    trim_claim,
    validate_claim,
    validate_span,
)
from models.corpus import DocumentQuery, SearchError
from models.document import DocStatus, Document, text_hash
from models.labels import LabelSet
from storage.schema import ReadOnlyError, integrity_problem, open_database

if TYPE_CHECKING:
    from storage.entities import EntityStore

_SUGGESTED_SPAN_COLUMNS = ("doc_id", "start", "end", "label", "text", "status", "origin",
                           "annotator", "created", "updated")  # fmt: skip
_SPAN_FIELDS = ("id", "doc_id", "start", "end", "label", "text", "status", "origin",
                "annotator", "created", "updated")  # fmt: skip
_CLAIM_FIELDS = tuple(Claim.__dataclass_fields__)

# The document list: its columns, and the ORDER BY of each sort key (each has an index).
_LIST_COLUMNS = ("id", "title", "source", "published", "language", "status", "annotator", "updated",
                 "spans_accepted", "spans_suggested", "claims_accepted", "claims_suggested")  # fmt: skip
_LIST_ORDER = {
    "id": ("id",),
    "title": ("title COLLATE NOCASE", "id"),
    "source": ("source COLLATE NOCASE", "id"),
    "published": ("published", "id"),
    "language": ("language", "id"),
    "entities": ("spans_accepted", "spans_suggested", "id"),
    "claims": ("claims_accepted", "claims_suggested", "id"),
    "status": ("status", "id"),
    "updated": ("updated", "id"),
    "annotator": ("annotator COLLATE NOCASE", "id"),
}
_DOCUMENT_SELECT = "SELECT d.*, t.text FROM documents d JOIN document_texts t ON t.id = d.id"
_STATUS = {status.value: status for status in Status}  # cheaper than Status(value) per row
_HIT_OPEN, _HIT_CLOSE = "\ue000", "\ue001"  # private-use characters around search hits
_FTS_COLUMNS = frozenset({"title", "text"})
_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "(", ")", ","})
# a quoted phrase, a parenthesis or comma, or a run of anything else up to one of those
_FTS_TOKEN = re.compile(r'"[^"]*"|[(),]|[^\s(),"]+|"')
_BAREWORD = re.compile(r"[^\W]+\*?")  # letters, digits, _ (and prefix*): FTS5 takes it as it is


def fts_match(search: str) -> str:
    """The FTS5 MATCH expression for what the analyst typed. Phrases, AND / OR / NOT,
    NEAR(...), parentheses, ``prefix*`` and the column filters ``title:`` / ``text:`` are FTS5's; any
    other word with punctuation is searched as that word (``covid-19``, ``U.S.``,
    ``Selection:``) instead of failing as a syntax error or an unknown column."""
    parts = []
    for token in _FTS_TOKEN.findall(search):
        column, colon, rest = token.partition(":")
        if colon and column.lower() in _FTS_COLUMNS:
            parts.append(f"{column}:" + (fts_match(rest) if rest else ""))
        elif token.startswith('"') or token in _FTS_OPERATORS or _BAREWORD.fullmatch(token):
            parts.append(token)
        else:
            star = "*" if token.endswith("*") else ""
            word = token.removesuffix("*") if star else token
            parts.append('"' + word.replace('"', '""') + '"' + star)
    return " ".join(parts)


_ANNOTATOR_KEYS = ("documents_done", "spans_accepted", "spans_suggested", "spans_rejected",
                   "claims_accepted", "claims_suggested", "claims_rejected")  # fmt: skip
_SOURCE_KEYS = ("documents", "done", "spans_accepted", "spans_suggested", "claims_accepted",
                "claims_suggested")  # fmt: skip


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


class Repository:
    """Documents, spans, claims, labels and annotators in one SQLite file.

    A file this process cannot write (or ``read_only=True``) opens read-only:
    ``read_only_reason`` says why, reads work and every write raises ReadOnlyError.
    ``busy_timeout_ms``: how long a statement waits for another connection's lock
    before ``sqlite3.OperationalError`` (default ``storage.schema.BUSY_TIMEOUT_MS``; the
    window uses a short one and retries)."""

    def __init__(
        self,
        path: str | Path,
        annotator: str | None = None,
        read_only: bool = False,
        busy_timeout_ms: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.db, self.read_only_reason = open_database(self.path, read_only, busy_timeout_ms)
        self.damage = ""  # what check_integrity found
        self.annotator = annotator or default_annotator()
        # Texts never change once stored (DESIGN.md): the open document's text is read
        # once, not on every span write (5 MB in a long article).
        self._texts: dict[int, str] = {}

    def close(self) -> None:
        self.db.close()

    @cached_property
    def entities(self) -> EntityStore:
        """Canonical entities and their links (storage/entities.py)."""
        from storage.entities import EntityStore

        return EntityStore(self)

    # -- transactions ------------------------------------------------------------------

    def check_integrity(self) -> str:
        """Run SQLite's ``quick_check`` (it reads every page); a damaged file is then
        refused for writing (reading and exporting what can be read go on). Returns what
        it found ("" for a sound file)."""
        self.mark_damaged(integrity_problem(self.db))
        return self.damage

    def mark_damaged(self, problem: str) -> None:
        """Refuse writes from now on because the file is damaged (``problem``: what
        ``quick_check`` found; "" changes nothing)."""
        if problem:
            self.damage = problem
            self.read_only_reason = (
                f"the database is damaged ({problem}); export what can be read and restore a backup"
            )

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a statement waits for another connection's lock before
        ``sqlite3.OperationalError`` ("database is locked")."""
        self.db.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def check_writable(self) -> None:
        """Raise ReadOnlyError (saying why) unless this repository may be written."""
        if self.read_only_reason:
            raise ReadOnlyError(f"{self.path} cannot be changed: {self.read_only_reason}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one. Raises ReadOnlyError
        when the repository is read-only (nothing is written)."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        self.check_writable()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")

    def _touch_annotator(self) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO annotators (name, created) VALUES (?, ?)", [self.annotator, now()]
        )

    # -- documents ---------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document]) -> list[int | None]:
        """Insert documents in one transaction; a text already stored gives ``None``."""
        ids: list[int | None] = []
        with self.transaction():
            for doc in docs:
                ids.append(self._insert_document(doc))
        return ids

    def add_document(self, doc: Document) -> int | None:
        return self.add_documents([doc])[0]

    def document_with_text(self, text: str) -> int | None:
        """The id of the document whose text is ``text`` (the duplicate rule), or None."""
        return self._document_with_hash(text_hash(text))

    def _document_with_hash(self, digest: str) -> int | None:
        row = self.db.execute("SELECT id FROM documents WHERE text_hash = ?", [digest]).fetchone()
        return row[0] if row else None

    def _insert_document(self, doc: Document) -> int | None:
        digest = text_hash(doc.text)  # once: a long text costs milliseconds to hash
        if self._document_with_hash(digest) is not None:
            return None
        stamp = now()
        row = {
            "title": doc.title, "text_hash": digest, "source": doc.source,
            "published": doc.published, "language": doc.language or "en",
            "meta": json.dumps(doc.meta, ensure_ascii=False), "status": DocStatus(doc.status).value,
            "annotator": "", "created": stamp, "updated": stamp,
        }  # fmt: skip
        if doc.id is not None:
            row["id"] = doc.id
        doc_id = self.db["documents"].insert(row).last_pk
        self.db.execute("INSERT INTO document_texts (id, text) VALUES (?, ?)", [doc_id, doc.text])
        return doc_id

    def document(self, doc_id: int) -> Document:
        rows = self._dict_rows(f"{_DOCUMENT_SELECT} WHERE d.id = ?", [doc_id])
        if not rows:
            raise KeyError(f"no document {doc_id}")
        return _document_from_row(rows[0])

    def has_document(self, doc_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None

    def document_ids(self, status: str | None = None) -> list[int]:
        if status:
            rows = self.db.execute("SELECT id FROM documents WHERE status = ? ORDER BY id", [status])
        else:
            rows = self.db.execute("SELECT id FROM documents ORDER BY id")
        return [r[0] for r in rows]

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def count_status(self, status: DocStatus) -> int:
        """How many documents have ``status`` (a search of the status index: 3 ms for
        30,000 of 100,000, where the document list's scan takes 20)."""
        return self.db.execute(
            "SELECT count(*) FROM documents WHERE status = ?", [DocStatus(status).value]
        ).fetchone()[0]

    def set_document_status(self, doc_id: int, status: DocStatus) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE documents SET status = ?, annotator = ?, updated = ? WHERE id = ?",
                [DocStatus(status).value, self.annotator, now(), doc_id],
            )

    def _mark_in_progress(self, doc_id: int) -> None:
        self.db.execute(
            "UPDATE documents SET status = CASE status WHEN 'new' THEN 'in_progress' "
            "ELSE status END, annotator = ?, updated = ? WHERE id = ?",
            [self.annotator, now(), doc_id],
        )

    def _text_of(self, doc_id: int) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            row = self.db.execute("SELECT text FROM document_texts WHERE id = ?", [doc_id]).fetchone()
            if row is None:
                raise AnnotationError(f"no document {doc_id}")
            text = row[0]
            if len(self._texts) >= 4:
                self._texts.pop(next(iter(self._texts)))
            self._texts[doc_id] = text
        return text

    def duplicate_of(self, span: Span) -> Span | None:
        """The stored span, not rejected and not ``span`` itself, with ``span``'s document,
        start, end and label (what ``add_span`` and ``update_span`` refuse), or None."""
        return next((other for other in self._same_key_spans(span)
                     if other.id != span.id and other.status != Status.REJECTED), None)  # fmt: skip

    def _same_key_spans(self, span: Span) -> list[Span]:
        """Stored spans of ``span``'s document with its start, end and label (an index
        lookup: the duplicate check must not read every span of a long article)."""
        rows = self._dict_rows(
            "SELECT * FROM spans WHERE doc_id = ? AND start = ? AND end = ? AND label = ?",
            [span.doc_id, span.start, span.end, span.label],
        )
        return [_span_from_row(r) for r in rows]

    # -- spans -------------------------------------------------------------------------

    def spans(self, doc_id: int, status: Status | None = None) -> list[Span]:
        """Every span of a document, by start (then end, id)."""
        return self.spans_starting(doc_id, 0, None, status)

    def spans_starting(
        self, doc_id: int, start: int, end: int | None, status: Status | None = None
    ) -> list[Span]:
        """Spans of a document that start in code points ``[start, end)`` (``end`` None:
        to the end), by start (then end, id): an index range, so that a long article's
        spans can be read a part at a time."""
        columns = ", ".join(f'"{name}"' for name in self._SPAN_ORDER)
        sql = f"SELECT {columns} FROM spans WHERE doc_id = ? AND start >= ?"
        args: list[Any] = [doc_id, start]
        if end is not None:
            sql += " AND start < ?"
            args.append(end)
        if status is not None:
            sql += " AND status = ?"
            args.append(Status(status).value)
        # tuples, not dicts: opening a long article reads 50,000 spans
        return [self._span_from_tuple(r) for r in self.db.execute(sql + " ORDER BY start, end, id", args)]

    def suggestion_start(self, doc_id: int, start: int, last: bool = False) -> int | None:
        """Where the first suggested span of a document starting at code point ``start``
        or later starts (``last``: the last one), or None: an index walk from ``start``."""
        order = "DESC" if last else ""
        row = self.db.execute(
            "SELECT start FROM spans WHERE doc_id = ? AND start >= ? AND status = 'suggested' "
            f"ORDER BY start {order} LIMIT 1",
            [doc_id, start],
        ).fetchone()
        return None if row is None else row[0]

    def suggested_span_count(self, doc_id: int) -> int:
        """Suggested spans of a document, from its counter (kept by triggers)."""
        row = self.db.execute("SELECT spans_suggested FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return row[0]

    def span(self, span_id: int) -> Span:
        rows = self._dict_rows("SELECT * FROM spans WHERE id = ?", [span_id])
        if not rows:
            raise KeyError(f"no span {span_id}")
        return _span_from_row(rows[0])

    def add_span(self, span: Span) -> Span:
        """Validate and store a span; returns it with id, annotator and timestamps.
        A span that carries an id (undo of a delete) is stored under that id."""
        with self.transaction():
            validate_span(self._text_of(span.doc_id), span, self._same_key_spans(span))
            stored = self._insert_span(span)
            self._mark_in_progress(span.doc_id)
        return stored

    def _insert_span(self, span: Span) -> Span:
        stamp = now()
        stored = span.with_changes(
            annotator=span.annotator or self.annotator,
            created=span.created or stamp,
            updated=stamp,
        )
        row = _span_row(stored)
        if stored.id is None:
            del row["id"]
        self._touch_annotator()
        return stored.with_changes(id=self._insert_row("spans", row))

    def delete_span(self, span_id: int) -> tuple[Span, list[int]]:
        """Delete a span; claims whose source was this span lose the link. Returns the
        span and the ids of those claims, so that an undo can restore both."""
        with self.transaction():
            span = self.span(span_id)
            linked = [r[0] for r in self.db.execute(
                "SELECT id FROM claims WHERE source_span_id = ?", [span_id])]  # fmt: skip
            self.db.execute("UPDATE claims SET source_span_id = NULL WHERE source_span_id = ?", [span_id])
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            self._mark_in_progress(span.doc_id)
        return span, linked

    def restore_span(self, span: Span, linked_claims: Iterable[int] = ()) -> Span:
        """Put back a deleted span under its old id, relinking the claims it sourced."""
        with self.transaction():
            stored = self.add_span(span)
            for claim_id in linked_claims:
                self.db.execute("UPDATE claims SET source_span_id = ? WHERE id = ?", [stored.id, claim_id])
        return stored

    def update_span(self, span_id: int, **changes: Any) -> Span:
        """Change label, offsets or status. Moving or relabelling a span re-validates it."""
        with self.transaction():
            old = self.span(span_id)
            new = old.with_changes(**changes)
            if (new.start, new.end) != (old.start, old.end):
                new = new.with_changes(text=self._text_of(old.doc_id)[new.start : new.end])
            revived = old.status == Status.REJECTED and new.status != Status.REJECTED
            if new.key != old.key or revived:
                validate_span(self._text_of(old.doc_id), new, self._same_key_spans(new))
            new = new.with_changes(annotator=self.annotator, updated=now())
            row = _span_row(new)
            del row["id"]
            self._update_row("spans", span_id, row)
            self._touch_annotator()
            self._mark_in_progress(old.doc_id)
        return new

    def replace_span(self, span: Span) -> Span:
        """Write back every field of a span as it was (undo of an update). KeyError if the
        span is gone (deleted meanwhile, in another window perhaps)."""
        with self.transaction():
            self._same_document(self.span(span.id).doc_id, span.doc_id, "span", span.id)
            row = _span_row(span)
            del row["id"]
            self._update_row("spans", span.id, row)
        return span

    # -- claims ------------------------------------------------------------------------

    def claims(self, doc_id: int, status: Status | None = None) -> list[Claim]:
        sql = "SELECT * FROM claims WHERE doc_id = ?"
        args: list[Any] = [doc_id]
        if status is not None:
            sql += " AND status = ?"
            args.append(Status(status).value)
        rows = self._dict_rows(sql + " ORDER BY content_start, id", args)
        return [_claim_from_row(r) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        rows = self._dict_rows("SELECT * FROM claims WHERE id = ?", [claim_id])
        if not rows:
            raise KeyError(f"no claim {claim_id}")
        return _claim_from_row(rows[0])

    def add_claim(self, claim: Claim) -> Claim:
        """Validate and store a claim (white space at the edges of its parts trimmed:
        ``trim_claim``); returns it with id, annotator and timestamps."""
        with self.transaction():
            claim = trim_claim(self._text_of(claim.doc_id), claim)
            validate_claim(self._text_of(claim.doc_id), claim)
            stored = self._insert_claim(claim)
            self._mark_in_progress(claim.doc_id)
        return stored

    def _insert_claim(self, claim: Claim) -> Claim:
        stamp = now()
        stored = claim.with_changes(
            annotator=claim.annotator or self.annotator,
            created=claim.created or stamp,
            updated=stamp,
        )
        row = _claim_row(stored)
        if stored.id is None:
            del row["id"]
        self._touch_annotator()
        claim_id = self.db["claims"].insert(row).last_pk
        return stored.with_changes(id=claim_id)

    def update_claim(self, claim_id: int, **changes: Any) -> Claim:
        with self.transaction():
            old = self.claim(claim_id)
            new = old.with_changes(**changes, annotator=self.annotator, updated=now())
            new = trim_claim(self._text_of(old.doc_id), new)
            validate_claim(self._text_of(old.doc_id), new)
            row = _claim_row(new)
            del row["id"]
            self.db["claims"].update(claim_id, row)
            self._touch_annotator()
            self._mark_in_progress(old.doc_id)
        return new

    def replace_claim(self, claim: Claim) -> Claim:
        with self.transaction():
            self._same_document(self.claim(claim.id).doc_id, claim.doc_id, "claim", claim.id)
            row = _claim_row(claim)
            del row["id"]
            self.db["claims"].update(claim.id, row)
        return claim

    def delete_claim(self, claim_id: int) -> Claim:
        with self.transaction():
            claim = self.claim(claim_id)
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._mark_in_progress(claim.doc_id)
        return claim

    def save_labels(self, labels: LabelSet) -> None:
        """Record the label set; writes only when it differs from the stored one (a
        read-only database opens with the labels it has)."""
        rows = [
            {"name": lb.name, "colour": lb.colour, "key": lb.key, "description": lb.description}
            for lb in labels
        ]
        stored = self._dict_rows("SELECT name, colour, key, description FROM labels", [])
        stored = {row["name"]: row for row in stored}
        if all(stored.get(row["name"]) == row for row in rows):
            return
        with self.transaction():
            self.db["labels"].upsert_all(rows, pk="name")

    # -- statistics and search ---------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        def grouped(sql: str) -> dict[str, int]:
            return {key: count for key, count in self.db.execute(sql)}

        corpus = self.corpus_stats()
        # the span figures from the one scan of (label, status) that the corpus figures make
        by_label_status = corpus["spans_by_label_status"]
        by_status: Counter[str] = Counter()
        for counts in by_label_status.values():
            by_status.update(counts)
        stats = {
            "documents": {
                "total": self.document_count(),
                "by_status": grouped(
                    "SELECT status, count(*) FROM documents GROUP BY status ORDER BY status"
                ),
            },
            "spans": {
                "total": sum(by_status.values()),
                "by_label": {label: sum(counts.values()) for label, counts in by_label_status.items()},
                "by_status": dict(sorted(by_status.items())),
            },
            "claims": {
                "total": self.db.execute("SELECT count(*) FROM claims").fetchone()[0],
                "by_status": grouped("SELECT status, count(*) FROM claims GROUP BY status ORDER BY status"),
            },
        }  # fmt: skip
        stats.update(corpus)
        return stats

    # -- suggestions -------------------------------------------------------------------

    def document_languages(self, doc_ids: Iterable[int] | None = None) -> dict[int, str]:
        """Language of every document, or of those ``doc_ids`` that exist, in id order."""
        if doc_ids is None:
            rows = list(self.db.execute("SELECT id, language FROM documents ORDER BY id"))
        else:
            rows = sorted(self._rows_for_documents(
                "SELECT id, language FROM documents WHERE id IN ({ids})", sorted(set(doc_ids))))  # fmt: skip
        return {doc_id: language or "en" for doc_id, language in rows}

    def document_texts(self, doc_ids: list[int]) -> list[tuple[int, str]]:
        """``(id, text)`` of existing documents among ``doc_ids``, in the order given:
        batch jobs read texts a batch at a time instead of loading the corpus."""
        texts = dict(
            self._rows_for_documents("SELECT id, text FROM document_texts WHERE id IN ({ids})", doc_ids)
        )
        return [(doc_id, texts[doc_id]) for doc_id in doc_ids if doc_id in texts]

    def apply_suggestions(
        self, doc_id: int, spans: Iterable[Span], claims: Iterable[Claim] = ()
    ) -> dict[str, int]:
        """Store a model's suggestions for one document; see ``apply_suggestion_batch``."""
        return self.apply_suggestion_batch([(doc_id, spans, claims)])

    def apply_suggestion_batch(
        self, batch: Iterable[tuple[int, Iterable[Span], Iterable[Claim]]]
    ) -> dict[str, int]:
        """Store suggestions, ``(doc_id, spans, claims)`` per document, in one transaction
        (joining the caller's), all with status ``suggested``. Nothing stored is changed
        or deleted: a span whose ``(start, end, label)`` or a claim whose ``key`` is
        already stored for its document, in any status, is skipped, so reviewed work stays
        as it is and a rejected suggestion is not made again; nor is a span suggested that
        overlaps an accepted span (docs/DESIGN.md: accepted text is settled). A claim whose source mention
        is exactly a stored span is linked to it. Returns counts of added and skipped
        items. Raises AnnotationError, storing nothing, for a range that does not fit."""
        batch = [(doc_id, list(spans), list(claims)) for doc_id, spans, claims in batch]
        ids = list(dict.fromkeys(doc_id for doc_id, _, _ in batch))
        stamp = now()
        with self.transaction():
            texts = dict(self.document_texts(ids))
            if len(texts) < len(ids):
                raise AnnotationError(f"no document {next(i for i in ids if i not in texts)}")
            span_rows, spans_skipped = self._new_span_rows(batch, texts, stamp)
            with self._counters_paused() as added:
                self._insert_rows("spans", _SUGGESTED_SPAN_COLUMNS, span_rows)
                added["spans_suggested"].update(row[0] for row in span_rows)
                # after the spans are in, so that a claim's source links to a span of this batch
                claim_rows, claims_skipped = self._new_claim_rows(batch, texts, stamp)
                if claim_rows:
                    columns = tuple(claim_rows[0])
                    self._insert_rows("claims", columns, [tuple(row.values()) for row in claim_rows])
                added["claims_suggested"].update(row["doc_id"] for row in claim_rows)
        return {
            "spans_added": len(span_rows), "spans_skipped": spans_skipped,
            "claims_added": len(claim_rows), "claims_skipped": claims_skipped,
        }  # fmt: skip

    @contextmanager
    def _counters_paused(self) -> Iterator[dict[str, Counter[int]]]:
        """Inside a write transaction: the insert counter triggers stand still while the
        block inserts suggested rows, and each document's counters then grow once
        (schema m008). The block counts what it inserted, per document, in the
        ``"spans_suggested"`` and ``"claims_suggested"`` counters it is given. No other
        connection ever sees the pause."""
        added: dict[str, Counter[int]] = {"spans_suggested": Counter(), "claims_suggested": Counter()}
        self.db.execute("INSERT INTO counter_pause (paused) VALUES (1)")
        try:
            yield added
        finally:
            self.db.execute("DELETE FROM counter_pause")
        spans, claims = added["spans_suggested"], added["claims_suggested"]
        self.db.conn.executemany(
            "UPDATE documents SET spans_suggested = spans_suggested + ?, "
            "claims_suggested = claims_suggested + ? WHERE id = ?",
            [(spans[doc_id], claims[doc_id], doc_id) for doc_id in sorted(spans.keys() | claims.keys())],
        )

    def _insert_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert ``rows`` (values in the order of ``columns``; inside a transaction) with one
        ``INSERT ... SELECT`` from a temporary table. A table with triggers makes each
        INSERT statement keep a statement journal, a copy of every page it changes (the
        table and its indexes): run once per row (``executemany``), that copying was a
        third of the time of 50,000 spans; run once for the batch, each page is copied
        once. Triggers still fire for every row. (sqlite-utils' ``insert_all`` checks
        every value in Python and is slower still.)"""
        if not rows:
            return
        names = ", ".join(f'"{name}"' for name in columns)
        stage = f"temp.stage_{table}"
        conn = self.db.conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{table} AS SELECT {names} FROM {table} WHERE 0")
        try:
            conn.executemany(f"INSERT INTO {stage} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
            conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ORDER BY rowid")
        finally:
            conn.execute(f"DELETE FROM {stage}")

    def _insert_row(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row (inside a transaction); returns its id. Plain SQL on the review
        keys' path: sqlite-utils reads the schema again on every insert and update (a
        dozen statements more for each key)."""
        return self.db.execute(_insert_sql(table, list(row)), list(row.values())).lastrowid

    def _update_row(self, table: str, row_id: int, row: dict[str, Any]) -> None:
        """Set the columns of ``row`` in the row ``row_id`` (inside a transaction)."""
        columns = ", ".join(f'"{name}" = ?' for name in row)
        self.db.execute(f"UPDATE {table} SET {columns} WHERE id = ?", [*row.values(), row_id])

    def _new_span_rows(self, batch: list, texts: dict[int, str], stamp: str) -> tuple[list[tuple], int]:
        """Rows of ``_SUGGESTED_SPAN_COLUMNS`` for the batch's spans not stored yet and not
        over accepted text, and how many were skipped."""
        known = set(self._rows_for_documents(
            "SELECT doc_id, start, end, label FROM spans WHERE doc_id IN ({ids})", list(texts)))  # fmt: skip
        # Text an analyst accepted is settled: no suggestion is made over any part of it,
        # so a relabelled suggestion (GPE -> LOC) does not come back under its old label
        # and "Aline Sawadogo" is not suggested inside an accepted "Minister Aline Sawadogo".
        accepted: dict[int, list[tuple[int, int]]] = {doc_id: [] for doc_id in texts}
        rows = self._rows_for_documents(
            "SELECT doc_id, start, end FROM spans WHERE status = 'accepted' AND doc_id IN ({ids})",
            list(texts),
        )
        for doc_id, start, end in rows:
            accepted[doc_id].append((start, end))
        settled = {doc_id: RangeSet(ranges) for doc_id, ranges in accepted.items()}
        rows: list[tuple] = []
        skipped, suggested = 0, Status.SUGGESTED.value
        for doc_id, spans, _ in batch:
            for span in spans:
                if span.doc_id != doc_id:
                    raise AnnotationError(f"span of document {span.doc_id} given for {doc_id}")
                validate_span(texts[doc_id], span, [])
                if (doc_id, *span.key) in known or settled[doc_id].overlaps(span.start, span.end):
                    skipped += 1
                    continue
                known.add((doc_id, *span.key))
                rows.append((doc_id, span.start, span.end, span.label, span.text, suggested,
                             span.origin, span.annotator, stamp, stamp))  # fmt: skip
        return rows, skipped

    def _new_claim_rows(
        self, batch: list, texts: dict[int, str], stamp: str
    ) -> tuple[list[dict[str, Any]], int]:
        if not any(claims for _, _, claims in batch):
            return [], 0  # no need to read the batch's spans (50,000 in a long article)
        ids = list(texts)
        known = set(self._rows_for_documents(
            "SELECT doc_id, content_start, content_end, cue_start, cue_end FROM claims "
            "WHERE doc_id IN ({ids})", ids))  # fmt: skip
        # accepted spans last, so that a link prefers reviewed work over a suggestion
        sources = {(doc_id, start, end): span_id for span_id, doc_id, start, end, _ in sorted(
            self._rows_for_documents(
                "SELECT id, doc_id, start, end, status = 'accepted' FROM spans "
                "WHERE doc_id IN ({ids}) AND status != 'rejected'", ids),
            key=lambda row: (row[4], -row[0]))}  # fmt: skip
        # a suggestion restating a claim already there (by hand, or rejected) is skipped too:
        # the same content but for edge punctuation or quotes, or the same cue with content
        # that overlaps it
        cores, by_cue = set(), {}
        for doc_id, content_start, content_end, cue_start, cue_end in known:
            claim = Claim(doc_id, content_start, content_end, cue_start, cue_end)
            self._remember_claim(claim, texts[doc_id], cores, by_cue)
        rows, skipped = [], 0
        for doc_id, _, claims in batch:
            for claim in claims:
                if claim.doc_id != doc_id:
                    raise AnnotationError(f"claim of document {claim.doc_id} given for {doc_id}")
                claim = trim_claim(texts[doc_id], claim)
                validate_claim(texts[doc_id], claim)
                if (doc_id, *claim.key) in known or self._restates(claim, texts[doc_id], cores, by_cue):
                    skipped += 1
                    continue
                known.add((doc_id, *claim.key))
                self._remember_claim(claim, texts[doc_id], cores, by_cue)
                row = _claim_row(claim)
                del row["id"]
                row.update(status=Status.SUGGESTED.value, created=stamp, updated=stamp)
                if claim.source_span_id is None and claim.source_start is not None:
                    row["source_span_id"] = sources.get((doc_id, claim.source_start, claim.source_end))
                rows.append(row)
        return rows, skipped

    @staticmethod
    def _remember_claim(claim: Claim, text: str, cores: set, by_cue: dict) -> None:
        cores.add((claim.doc_id, *claim.core_content(text)))
        if claim.cue_start is not None:
            by_cue.setdefault((claim.doc_id, claim.cue_start, claim.cue_end), []).append(claim)

    @staticmethod
    def _restates(claim: Claim, text: str, cores: set, by_cue: dict) -> bool:
        if (claim.doc_id, *claim.core_content(text)) in cores:
            return True
        same_cue = (
            by_cue.get((claim.doc_id, claim.cue_start, claim.cue_end), ())
            if claim.cue_start is not None
            else ()
        )
        return any(
            o.content_start < claim.content_end and claim.content_start < o.content_end for o in same_cue
        )

    def _rows_for_documents(self, sql: str, doc_ids: list[int]) -> Iterator[tuple]:
        """Rows of ``sql``, whose ``{ids}`` stands for the placeholders of ``doc_ids``
        (asked 500 at a time, under SQLite's limit on parameters)."""
        for first in range(0, len(doc_ids), 500):
            chunk = doc_ids[first : first + 500]
            yield from self.db.execute(sql.format(ids=",".join("?" * len(chunk))), chunk)

    # -- export ------------------------------------------------------------------------

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Reads inside the block all see one state of the file, while other connections
        go on writing (WAL). Use it only on a connection no other thread writes through."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")

    def export_document_count(self, doc_status: DocStatus | None = None) -> int:
        if doc_status is None:
            return self.document_count()
        sql = "SELECT count(*) FROM documents WHERE status = ?"
        return self.db.execute(sql, [DocStatus(doc_status).value]).fetchone()[0]

    def iter_export(
        self,
        status: Status | None = Status.ACCEPTED,
        doc_status: DocStatus | None = None,
        chunk_size: int = 200,
        unreadable: list[int] | None = None,
    ) -> Iterator[tuple[Document, list[Span], list[Claim], dict[int, Span]]]:
        """Documents in id order, each with its spans (by start, end, id) and claims (by
        content start, id) of ``status`` (``None``: every status), read ``chunk_size``
        documents at a time so that memory does not grow with the corpus. The fourth item
        maps the id of every span a claim names as its source to that span, whatever its
        status.

        Given an ``unreadable`` list (a damaged file: see ``check_integrity``), documents
        are read one at a time by their ids (which an index still holds), and those whose
        rows SQLite cannot read are left out and added to the list."""
        if unreadable is not None:
            yield from self._salvage_export(status, doc_status, unreadable)
            return
        after = None
        while True:
            sql, args = f"{_DOCUMENT_SELECT} WHERE 1", []
            if after is not None:
                sql, args = sql + " AND d.id > ?", [after]
            if doc_status is not None:
                sql, args = sql + " AND d.status = ?", [*args, DocStatus(doc_status).value]
            docs = [
                _document_from_row(r)
                for r in self._dict_rows(sql + " ORDER BY d.id LIMIT ?", [*args, chunk_size])
            ]
            if not docs:
                return
            after = docs[-1].id
            yield from self._export_items(docs, status)

    def _salvage_export(
        self, status: Status | None, doc_status: DocStatus | None, unreadable: list[int]
    ) -> Iterator[tuple[Document, list[Span], list[Claim], dict[int, Span]]]:
        if doc_status is None:
            ids = self.db.execute("SELECT id FROM documents ORDER BY id").fetchall()
        else:
            ids = self.db.execute(
                "SELECT id FROM documents WHERE status = ? ORDER BY id", [DocStatus(doc_status).value]
            ).fetchall()
        for (doc_id,) in ids:
            try:
                rows = self._dict_rows(f"{_DOCUMENT_SELECT} WHERE d.id = ?", [doc_id])
                items = list(self._export_items([_document_from_row(r) for r in rows], status))
            except sqlite3.DatabaseError:
                unreadable.append(doc_id)
                continue
            yield from items

    def _export_items(
        self, docs: list[Document], status: Status | None
    ) -> Iterator[tuple[Document, list[Span], list[Claim], dict[int, Span]]]:
        ids = [d.id for d in docs]
        span_rows = self._export_rows("spans", ids, status, "start, end, id", self._SPAN_ORDER)
        spans = {doc_id: [self._span_from_tuple(r) for r in rows] for doc_id, rows in span_rows.items()}
        claim_rows = self._export_rows("claims", ids, status, "content_start, id", _CLAIM_FIELDS)
        claims = {
            doc_id: [_claim_from_row(dict(zip(_CLAIM_FIELDS, r, strict=True))) for r in rows]
            for doc_id, rows in claim_rows.items()
        }
        by_id = {s.id: s for group in spans.values() for s in group}
        wanted = {c.source_span_id for group in claims.values() for c in group} - {None}
        missing = sorted(wanted - by_id.keys())
        if missing:
            marks = ",".join("?" * len(missing))
            rows = self._dict_rows(f"SELECT * FROM spans WHERE id IN ({marks})", missing)
            by_id.update((r["id"], _span_from_row(r)) for r in rows)
        for doc in docs:
            doc_claims = claims.get(doc.id, [])
            linked = {c.source_span_id: by_id[c.source_span_id] for c in doc_claims
                      if c.source_span_id in by_id}  # fmt: skip
            yield doc, spans.get(doc.id, []), doc_claims, linked

    def _export_rows(
        self, table: str, doc_ids: list[int], status: Status | None, order: str, fields: tuple[str, ...]
    ) -> dict[int, list[tuple]]:
        """Rows of ``fields`` (``doc_id`` first) by document. Tuples, not dicts: an export
        reads every span of the corpus."""
        columns = ", ".join(f'"{name}"' for name in fields)
        sql = f"SELECT {columns} FROM {table} WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
        args: list[Any] = list(doc_ids)
        if status is not None:
            # "+status": SQLite would otherwise pick the status index and read every span
            # of that status for each chunk (quadratic in the corpus) instead of the chunk's
            sql += " AND +status = ?"
            args.append(Status(status).value)
        grouped: dict[int, list[tuple]] = {}
        for row in self.db.execute(f"{sql} ORDER BY doc_id, {order}", args):
            grouped.setdefault(row[0], []).append(row)
        return grouped

    _SPAN_ORDER = tuple(Span.__dataclass_fields__)  # the columns in the order Span takes them

    @staticmethod
    def _span_from_tuple(row: tuple) -> Span:
        """``_span_from_row`` for a row of ``_SPAN_ORDER``."""
        doc_id, start, end, label, text, status, origin, annotator, span_id, created, updated = row
        return Span(doc_id, start, end, label, text, _STATUS[status], origin, annotator or "", span_id,
                    created, updated)  # fmt: skip

    def restore_spans(self, doc_id: int, spans: Iterable[Span]) -> list[Span | AnnotationError]:
        """Store spans read back from an export exactly as they were (status, origin,
        annotator, even an empty one, and creation time), in one transaction. Returns, in
        order, each stored span or the reason it was refused. A rejected span may repeat
        another span (negative evidence), as after reviewing; two identical spans that
        are not rejected may not."""
        results: list[Span | AnnotationError] = []
        with self.transaction():
            text = self._text_of(doc_id)
            kept = {s.key for s in self.spans(doc_id) if s.status != Status.REJECTED}
            for span in spans:
                span = span.with_changes(doc_id=doc_id, id=None)
                try:
                    validate_span(text, span, [])
                    if span.status != Status.REJECTED and span.key in kept:
                        raise AnnotationError(
                            f"{span.label} span {span.start}-{span.end} ({span.text!r}) already exists"
                        )
                except AnnotationError as exc:
                    results.append(exc)
                    continue
                if span.status != Status.REJECTED:
                    kept.add(span.key)
                results.append(self._insert_restored(span, "spans", _span_row))
            self._after_restore(doc_id, [r for r in results if isinstance(r, Span)])
        return results

    def restore_claims(self, doc_id: int, claims: Iterable[Claim]) -> list[Claim | AnnotationError]:
        """``restore_spans`` for claims; a claim's ``source_span_id`` must name a span of
        the same document (or be ``None``)."""
        results: list[Claim | AnnotationError] = []
        with self.transaction():
            text = self._text_of(doc_id)
            span_ids = {s.id for s in self.spans(doc_id)}
            for claim in claims:
                claim = trim_claim(text, claim.with_changes(doc_id=doc_id, id=None))
                try:
                    validate_claim(text, claim)
                    if claim.source_span_id is not None and claim.source_span_id not in span_ids:
                        raise AnnotationError(
                            f"source span {claim.source_span_id} is not in document {doc_id}"
                        )
                except AnnotationError as exc:
                    results.append(exc)
                    continue
                results.append(self._insert_restored(claim, "claims", _claim_row))
            self._after_restore(doc_id, [r for r in results if isinstance(r, Claim)])
        return results

    def _insert_restored(self, item: Any, table: str, to_row: Any) -> Any:
        """Insert without sqlite-utils' per-row table introspection (an import restores
        hundreds of thousands of rows); the annotator is kept as it is, even empty."""
        stamp = now()
        stored = item.with_changes(created=item.created or stamp, updated=stamp)
        row = to_row(stored)
        del row["id"]
        columns = ", ".join(f'"{name}"' for name in row)
        cursor = self.db.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return stored.with_changes(id=cursor.lastrowid)

    def _after_restore(self, doc_id: int, stored: list[Any]) -> None:
        names = {item.annotator for item in stored if item.annotator}
        if names:
            self.db["annotators"].insert_all(
                [{"name": name, "created": now()} for name in sorted(names)], pk="name", ignore=True
            )
        if stored:
            self._mark_in_progress(doc_id)

    # -- corpus ------------------------------------------------------------------------

    def document_list_ids(self, query: DocumentQuery, limit: int | None = None) -> list[int]:
        """Ids of the documents ``query`` selects, in its order (sorted by SQL over an
        index), or the first ``limit`` of them; the list reads their other columns a page
        at a time. Raises SearchError for a search FTS5 cannot parse."""
        sql, args = self.document_list_sql(query)
        if limit is not None:
            return [r[0] for r in self._list_execute(sql + " LIMIT ?", [*args, limit], query)]
        # One JSON array, not a row per id: SQLite builds it without Python (and without
        # the GIL: the list is read in a thread beside the GUI's), and json.loads parses
        # 100,000 ids in about 15 ms; 110 ms in all against 150 ms row by row. The
        # aggregate takes the rows in the subquery's order (a test checks every order).
        return json.loads(self._list_execute(f"SELECT json_group_array(id) FROM ({sql})", args, query)[0][0])

    def document_list_sql(self, query: DocumentQuery) -> tuple[str, list[Any]]:
        """The SELECT of ``document_list_ids`` and its arguments. A search in import
        order reads the full-text index's hits in its own rowid order, so that SQLite
        stops reading at a LIMIT (the first screenful of 100,000 hits: about 1 ms against
        200 ms for the whole list); every other order scans that order's index."""
        where, args = self._list_where(query, search=False)
        direction = " DESC" if query.descending else ""
        if query.search.strip() and query.sort == "id":
            where = where.replace(" WHERE ", " AND ", 1)
            sql = (f"SELECT documents.id FROM documents_fts JOIN documents "
                   f"ON documents.id = documents_fts.rowid WHERE documents_fts MATCH ?{where} "
                   f"ORDER BY documents_fts.rowid{direction}")  # fmt: skip
            return sql, [fts_match(query.search), *args]
        where, args = self._list_where(query)
        order = ", ".join(term + direction for term in _LIST_ORDER[query.sort])
        return f"SELECT id FROM documents{where} ORDER BY {order}", args

    def count_documents(self, query: DocumentQuery | None = None) -> int:
        """How many documents ``query`` selects (all when None). A search alone is counted
        by the full-text index (20-30 ms for 100,000 hits, where a join with the
        documents takes 60-180 ms): its rows are the documents, kept so by triggers."""
        query = query or DocumentQuery()
        if query.search.strip() and not self._list_where(query, search=False)[0]:
            sql = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
            return self._list_execute(sql, [fts_match(query.search)], query)[0][0]
        where, args = self._list_where(query)
        return self._list_execute(f"SELECT count(*) FROM documents{where}", args, query)[0][0]

    def document_list_rows(self, doc_ids: list[int]) -> dict[int, dict[str, Any]]:
        """What the document list shows of each of ``doc_ids`` (never the text)."""
        found: dict[int, dict[str, Any]] = {}
        for first in range(0, len(doc_ids), 500):
            chunk = doc_ids[first : first + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._dict_rows(f"SELECT {', '.join(_LIST_COLUMNS)} FROM documents "
                                       f"WHERE id IN ({marks})", chunk):  # fmt: skip
                found[row["id"]] = row
        return found

    def documents_with_suggestions(self, doc_ids: list[int]) -> set[int]:
        """Those of ``doc_ids`` that have suggested spans or claims left to review."""
        found: set[int] = set()
        for first in range(0, len(doc_ids), 500):
            chunk = doc_ids[first : first + 500]
            found.update(r[0] for r in self.db.execute(
                f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(chunk))}) "
                "AND (spans_suggested > 0 OR claims_suggested > 0)", chunk))  # fmt: skip
        return found

    def document_sources(self) -> list[tuple[str, int]]:
        """Every source with its number of documents, by name."""
        return list(self.db.execute(
            "SELECT source, count(*) FROM documents GROUP BY source COLLATE NOCASE, source "
            "ORDER BY source COLLATE NOCASE, source"))  # fmt: skip

    def search_matches(self, doc_id: int, search: str) -> list[tuple[int, int]]:
        """Code-point ranges of the text of ``doc_id`` that the full-text ``search``
        matches (the index's own tokenizer decides what matches)."""
        if not search.strip():
            return []
        rows = self._list_execute(
            "SELECT highlight(documents_fts, 1, ?, ?) FROM documents_fts "
            "WHERE documents_fts MATCH ? AND rowid = ?",
            [_HIT_OPEN, _HIT_CLOSE, fts_match(search), doc_id], DocumentQuery(search=search),
        )  # fmt: skip
        if not rows or rows[0][0] is None:
            return []
        marked, text = rows[0][0], self._text_of(doc_id)
        if _HIT_OPEN in text or _HIT_CLOSE in text:
            return []  # the markers would be ambiguous in this text
        ranges, removed, start = [], 0, 0
        for position, char in enumerate(marked):
            if char == _HIT_OPEN:
                start = position - removed
                removed += 1
            elif char == _HIT_CLOSE:
                ranges.append((start, position - removed))
                removed += 1
        return ranges

    def corpus_stats(self) -> dict[str, Any]:
        """The corpus figures of ``stats()``: per annotator (the last to touch each span,
        claim or done document), per source, documents done per day (UTC), and spans per
        label and status."""
        by_annotator: dict[str, dict[str, int]] = {}

        def annotator(name: str | None) -> dict[str, int]:
            return by_annotator.setdefault(name or "", dict.fromkeys(_ANNOTATOR_KEYS, 0))

        for table in ("spans", "claims"):
            for name, status, count in self.db.execute(
                f"SELECT annotator, status, count(*) FROM {table} GROUP BY annotator, status"
            ):
                annotator(name)[f"{table}_{status}"] += count  # NULL and "" are one name
        for name, count in self.db.execute(
            "SELECT annotator, count(*) FROM documents WHERE status = 'done' GROUP BY annotator"
        ):
            annotator(name)["documents_done"] += count
        by_source = {
            source or "": dict(zip(_SOURCE_KEYS, counts, strict=False))
            for source, *counts in self.db.execute(
                "SELECT source, count(*), sum(status = 'done'), sum(spans_accepted), "
                "sum(spans_suggested), sum(claims_accepted), sum(claims_suggested) "
                "FROM documents GROUP BY source ORDER BY source"
            )
        }
        done_per_day = dict(self.db.execute(
            "SELECT substr(done_at, 1, 10) AS day, count(*) FROM documents "
            "WHERE done_at IS NOT NULL GROUP BY day ORDER BY day"))  # fmt: skip
        return {
            "by_annotator": dict(sorted(by_annotator.items())),
            "by_source": by_source,
            "done_per_day": done_per_day,
            "spans_by_label_status": self.spans_by_label_status(),
        }

    def spans_by_label_status(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for label, status, count in self.db.execute(
            "SELECT label, status, count(*) FROM spans GROUP BY label, status ORDER BY label, status"
        ):
            counts.setdefault(label, {})[status] = count
        return counts

    def _list_where(self, query: DocumentQuery, search: bool = True) -> tuple[str, list[Any]]:
        """The WHERE clause of the document list for ``query`` (without its search when
        ``search`` is False) and its arguments."""
        # Unary "+" keeps every filter off index lookups: the scan stays on the sort order's
        # narrow covering index (a few MB for 100,000 documents) and tests each entry there;
        # looking matches up in the wide table (the text is in it) costs ten times more.
        clauses: list[str] = []
        args: list[Any] = []
        if query.status:
            clauses.append("+status = ?")
            args.append(DocStatus(query.status).value)
        if query.source is not None:
            clauses.append("+source = ?")
            args.append(query.source)
        if query.unreviewed:
            clauses.append("(spans_suggested > 0 OR claims_suggested > 0)")
        if query.label:
            clauses.append("+id IN (SELECT doc_id FROM spans WHERE label = ? AND status != 'rejected')")
            args.append(query.label)
        if search and query.search.strip():
            clauses.append("+id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            args.append(fts_match(query.search))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def _list_execute(self, sql: str, args: list[Any], query: DocumentQuery | None) -> list[tuple]:
        """Run a list query; a search the FTS5 parser refuses becomes ``SearchError``."""
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if query is None or not query.search.strip() or "locked" in message or "busy" in message:
                raise
            raise SearchError(
                f"Search not understood ({message}). Put words with punctuation in double "
                'quotes, e.g. "covid-19"; operators are AND, OR, NOT, "a phrase", prefix*.'
            ) from None

    # -- helpers -----------------------------------------------------------------------

    @staticmethod
    def _same_document(stored: int, given: int, kind: str, record_id: int | None) -> None:
        if stored != given:
            raise AnnotationError(f"{kind} {record_id} belongs to document {stored}, not {given}")

    def _dict_rows(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, args)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=False)) for row in cursor]


def _document_from_row(row: dict[str, Any]) -> Document:
    try:
        meta = json.loads(row.get("meta") or "{}")
    except json.JSONDecodeError:
        meta = {}
    return Document(
        id=row["id"], title=row["title"], text=row["text"], source=row["source"] or "",
        published=row["published"] or "", language=row["language"] or "en", meta=meta,
        status=DocStatus(row["status"]),
    )  # fmt: skip


def _insert_sql(table: str, columns: list[str]) -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _span_row(span: Span) -> dict[str, Any]:
    row = {name: getattr(span, name) for name in _SPAN_FIELDS}
    row["status"] = Status(span.status).value
    return row


def _span_from_row(row: dict[str, Any]) -> Span:
    values = {name: row[name] for name in _SPAN_FIELDS}
    values["status"] = Status(values["status"])
    values["annotator"] = values["annotator"] or ""
    return Span(**values)


def _claim_row(claim: Claim) -> dict[str, Any]:
    row = {name: getattr(claim, name) for name in _CLAIM_FIELDS}  # asdict deep-copies: slow
    row["status"] = Status(claim.status).value
    row["source_kind"] = SourceKind(claim.source_kind).value
    row["certainty"] = Certainty(claim.certainty).value
    row["cue_kind"] = None if claim.cue_kind is None else CueKind(claim.cue_kind).value
    row["claim_kind"] = ClaimKind(claim.claim_kind).value
    return row


def _claim_from_row(row: dict[str, Any]) -> Claim:
    values = {name: row[name] for name in _CLAIM_FIELDS}
    values["status"] = Status(values["status"])
    values["source_kind"] = SourceKind(values["source_kind"])
    values["certainty"] = Certainty(values["certainty"])
    values["cue_kind"] = None if values["cue_kind"] is None else CueKind(values["cue_kind"])
    values["claim_kind"] = ClaimKind(values["claim_kind"])
    for name in ("source_text", "annotator", "note"):
        values[name] = values[name] or ""
    return Claim(**values)


__all__ = ["Repository", "AnnotationError", "sqlite3"]
