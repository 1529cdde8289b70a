"""Undo commands for canonical entities: link review, new entity from a span, merge,
split, "same source" and edits. Each writes through ``Repository.entities`` at once (see
gui/commands.py) and then announces the change by ``EntityLinks.changed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gui.commands import SavedCommand
from models.entities import Entity, SourceKey
from storage.entities import ClaimSourceState, LinkState, MergeRecord, SplitRecord

if TYPE_CHECKING:
    from gui.entity_links import EntityLinks


class LinkCommand(SavedCommand):
    """A change of one span's link (accept, reject, link to a chosen entity); ``change``
    makes it and returns the state before."""

    def __init__(self, links: EntityLinks, text: str, change: Callable[[], LinkState]) -> None:
        super().__init__(links.session, text)
        self.links = links
        self.change = change
        self.before: LinkState | None = None

    def apply(self) -> None:
        self.before = self.change()
        self.links.announce(doc_spans=[self.before.span_id])

    def revert(self) -> None:
        assert self.before is not None
        self.links.store.restore_link(self.before)
        self.links.announce(doc_spans=[self.before.span_id])


class NewEntityCommand(SavedCommand):
    """A canonical entity named after a span, the span linked to it; a redo recreates it
    under the same id, so later commands that name it still hold."""

    def __init__(self, links: EntityLinks, span_id: int, text: str, name: str = "") -> None:
        super().__init__(links.session, f"New entity {name or text!r}")
        self.links = links
        self.span_id = span_id
        self.name = name
        self.entity: Entity | None = None
        self.before: LinkState | None = None

    def apply(self) -> None:
        store = self.links.store
        with store.repo.transaction():
            if self.entity is None:
                self.entity, self.before = store.new_entity_for_span(self.span_id, self.name)
            else:
                store.create(self.entity)
                self.before = store.link_span(self.span_id, self.entity.id)
        self.links.announce(doc_spans=[self.span_id])

    def revert(self) -> None:
        assert self.entity is not None and self.before is not None
        store = self.links.store
        with store.repo.transaction():
            store.restore_link(self.before)
            store.delete(self.entity.id)
        self.links.announce(doc_spans=[self.span_id])


class MergeCommand(SavedCommand):
    def __init__(self, links: EntityLinks, source: Entity, target: Entity) -> None:
        super().__init__(links.session, f"Merge {source.name!r} into {target.name!r}")
        self.links = links
        self.source_id = source.id
        self.target_id = target.id
        self.record: MergeRecord | None = None

    def apply(self) -> None:
        self.record = self.links.store.merge(self.source_id, self.target_id)
        self.links.announce()

    def revert(self) -> None:
        assert self.record is not None
        self.links.store.unmerge(self.record)
        self.links.announce()


class SplitCommand(SavedCommand):
    def __init__(self, links: EntityLinks, entity: Entity, span_ids: list[int], name: str) -> None:
        super().__init__(links.session, f"Split {len(span_ids)} mention(s) off {entity.name!r}")
        self.links = links
        self.entity_id = entity.id
        self.span_ids = span_ids
        self.name = name
        self.record: SplitRecord | None = None

    def apply(self) -> None:
        new_id = self.record.new.id if self.record else None
        self.record = self.links.store.split(self.entity_id, self.span_ids, self.name, new_id=new_id)
        self.links.announce()

    def revert(self) -> None:
        assert self.record is not None
        self.links.store.unsplit(self.record)
        self.links.announce()


class SameSourceCommand(SavedCommand):
    """The analyst confirms that anonymous sources in several documents are one."""

    def __init__(self, links: EntityLinks, keys: list[SourceKey], name: str, kind: str) -> None:
        super().__init__(links.session, f"Same source: {name!r}")
        self.links = links
        self.keys = keys
        self.name = name
        self.kind = kind
        self.entity: Entity | None = None
        self.before: list[ClaimSourceState] = []

    def apply(self) -> None:
        entity_id = self.entity.id if self.entity else None
        self.entity, self.before = self.links.store.same_source(self.keys, self.name, self.kind, entity_id)
        self.links.announce()

    def revert(self) -> None:
        assert self.entity is not None
        store = self.links.store
        with store.repo.transaction():
            store.restore_claim_sources(self.before)
            store.delete(self.entity.id)
        self.links.announce()


class EditEntityCommand(SavedCommand):
    """Rename, relabel, aliases, note or external id of an entity."""

    def __init__(self, links: EntityLinks, entity: Entity, **changes: object) -> None:
        super().__init__(links.session, f"Edit entity {entity.name!r}")
        self.links = links
        self.old = entity
        self.changes = changes

    def apply(self) -> None:
        self.links.store.update(self.old.id, **self.changes)
        self.links.announce()

    def revert(self) -> None:
        old = self.old
        self.links.store.update(old.id, name=old.name, label=old.label, aliases=old.aliases, note=old.note,
                                external_id=old.external_id)  # fmt: skip
        self.links.announce()
