"""The open document and its annotations: the one place GUI code changes them.

Widgets ask the session for changes; the session pushes an undo command; the command
writes through the repository (saved at once) and the session announces the result by
signal, so every view (article, tables, status bar) follows the data.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.annotation import Claim, Span, Status
from models.document import Document
from models.labels import LabelSet
from models.nlp.tokens import snap_to_tokens
from storage.repository import Repository


class DocumentSession(QObject):
    document_opened = Signal(object)  # Document
    spans_reset = Signal(list)  # all spans of the opened document
    span_added = Signal(object)  # Span
    span_removed = Signal(object)  # Span
    span_changed = Signal(object, object)  # old Span, new Span
    claims_reset = Signal(list)
    claim_added = Signal(object)
    claim_removed = Signal(object)
    claim_changed = Signal(object, object)
    span_selected = Signal(object)  # span id or None
    claim_selected = Signal(object)  # claim id or None
    message = Signal(str)  # a one-line warning for the status bar
    annotations_changed = Signal()  # anything about the open document changed

    def __init__(self, repo: Repository, labels: LabelSet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.labels = labels
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.claims: dict[int, Claim] = {}
        self.selected_span_id: int | None = None
        self.selected_claim_id: int | None = None

    # -- opening -----------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        self.document = self.repo.document(doc_id)
        self.spans = {s.id: s for s in self.repo.spans(doc_id)}
        self.claims = {c.id: c for c in self.repo.claims(doc_id)}
        self.selected_span_id = None
        self.selected_claim_id = None
        self.document_opened.emit(self.document)
        self.spans_reset.emit(self.ordered_spans())
        self.claims_reset.emit(self.ordered_claims())
        self.annotations_changed.emit()

    def reload(self) -> None:
        """Re-read the open document's annotations (after background work wrote some),
        keeping the current selection."""
        if self.document is None:
            return
        selected = self.selected_span_id
        self.spans = {s.id: s for s in self.repo.spans(self.document.id)}
        self.claims = {c.id: c for c in self.repo.claims(self.document.id)}
        self.spans_reset.emit(self.ordered_spans())
        self.claims_reset.emit(self.ordered_claims())
        if selected in self.spans:
            self.select_span(selected)
        self.annotations_changed.emit()

    def ensure_open(self, doc_id: int) -> None:
        if self.document is None or self.document.id != doc_id:
            self.open_document(doc_id)

    def ordered_spans(self) -> list[Span]:
        return sorted(self.spans.values(), key=lambda s: (s.start, s.end, s.label, s.id))

    def ordered_claims(self) -> list[Claim]:
        return sorted(self.claims.values(), key=lambda c: (c.content_start, c.id))

    # -- selection ---------------------------------------------------------------------

    def select_span(self, span_id: int | None) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = None
        self.selected_span_id = span_id
        self.span_selected.emit(span_id)

    def select_claim(self, claim_id: int | None) -> None:
        if claim_id is not None and claim_id not in self.claims:
            claim_id = None
        self.selected_claim_id = claim_id
        self.claim_selected.emit(claim_id)

    @property
    def selected_span(self) -> Span | None:
        return self.spans.get(self.selected_span_id) if self.selected_span_id else None

    # -- span actions (undoable) -------------------------------------------------------

    def create_span(self, start: int, end: int, label: str) -> Span | None:
        """Snap a selection to tokens and add a span; warns and returns None if refused."""
        from gui.commands import AddSpanCommand

        if self.document is None:
            return None
        snapped = snap_to_tokens(self.document.text, start, end, self.document.language)
        if snapped is None:
            self.message.emit("The selection holds no token: nothing to label.")
            return None
        start, end = snapped
        span = Span(doc_id=self.document.id, start=start, end=end, label=label,
                    text=self.document.text[start:end])  # fmt: skip
        if any(s.key == span.key and s.status != Status.REJECTED for s in self.spans.values()):
            self.message.emit(f"{label} {span.text!r} is already marked.")
            return None
        command = AddSpanCommand(self, span)
        self._push(command)
        return command.span if command.done else None

    def delete_span(self, span_id: int) -> None:
        from gui.commands import DeleteSpanCommand

        if span_id in self.spans:
            self._push(DeleteSpanCommand(self, self.spans[span_id]))

    def change_span(self, span_id: int, text: str, **changes: object) -> None:
        """Relabel, accept, reject or resize a span as one undoable step."""
        from gui.commands import ChangeSpanCommand

        old = self.spans.get(span_id)
        if old is None:
            return
        if "label" in changes or "start" in changes or "end" in changes:
            changes.setdefault("status", Status.ACCEPTED)  # editing a suggestion accepts it
        new = old.with_changes(**changes)
        if new == old:
            return
        if (new.start, new.end) != (old.start, old.end) and self.document is not None:
            new = new.with_changes(text=self.document.text[new.start : new.end])
        if new.key != old.key and any(
            s.key == new.key and s.id != span_id and s.status != Status.REJECTED
            for s in self.spans.values()
        ):
            self.message.emit(f"{new.label} {new.text!r} is already marked.")
            return
        self._push(ChangeSpanCommand(self, old, new, text))

    def relabel_span(self, span_id: int, label: str) -> None:
        self.change_span(span_id, f"Relabel as {label}", label=label)

    def _push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    # -- applied by undo commands: write, then announce ---------------------------------

    def store_span(self, span: Span, linked_claims: list[int] | None = None) -> Span:
        self.ensure_open(span.doc_id)
        stored = self.repo.restore_span(span, linked_claims or []) if span.id else self.repo.add_span(span)
        self.spans[stored.id] = stored
        if linked_claims:
            self._refresh_claims(linked_claims)
        self.span_added.emit(stored)
        self.annotations_changed.emit()
        return stored

    def remove_span(self, span_id: int) -> list[int]:
        span = self.repo.span(span_id)
        self.ensure_open(span.doc_id)
        _, linked = self.repo.delete_span(span_id)
        self.spans.pop(span_id, None)
        if self.selected_span_id == span_id:
            self.select_span(None)
        self._refresh_claims(linked)
        self.span_removed.emit(span)
        self.annotations_changed.emit()
        return linked

    def write_span(self, span: Span, full: bool = False) -> Span:
        """Store every field of ``span`` (``full``: exactly, for undo) and announce it."""
        self.ensure_open(span.doc_id)
        old = self.spans.get(span.id) or self.repo.span(span.id)
        if full:
            stored = self.repo.replace_span(span)
        else:
            stored = self.repo.update_span(
                span.id, label=span.label, start=span.start, end=span.end, status=span.status
            )
        self.spans[stored.id] = stored
        self.span_changed.emit(old, stored)
        self.annotations_changed.emit()
        return stored

    def _refresh_claims(self, claim_ids: list[int]) -> None:
        for claim_id in claim_ids:
            old = self.claims.get(claim_id)
            new = self.repo.claim(claim_id)
            self.claims[claim_id] = new
            if old is not None:
                self.claim_changed.emit(old, new)
