"""The open document and its annotations: the one place GUI code changes them.

Widgets ask the session for changes; the session pushes an undo command; the command
writes through the repository (saved at once) and the session announces the result by
signal, so every view (article, tables, status bar) follows the data.

The window's connection waits for another connection's lock a frame at most
(``GUI_BUSY_TIMEOUT_MS``): a change that finds the database locked (another window or
process writing) is not dropped but waits in ``pending``, in order, and is retried by a
timer; ``pending_changed`` tells the status bar. Later changes queue behind it, so the
file always receives the analyst's changes in the order they were made.

A long article opens a part at a time: ``open_document`` reads the spans of its first
``FIRST_PART`` code points and the window shows that much text at once; the rest follows
in parts of ``PART`` code points (``spans_loaded``), one per turn of the event loop, so
keys work while it loads. Everything in memory (``spans``, the suggestion order, the
tables) covers ``loaded_to``: every span that starts before it, none after. An action
that needs more (the next suggestion further on, a change there, an undo) first loads
through it (``load_through``); the count of suggestions left adds those not loaded yet.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gui.review_order import SuggestionOrder
from models.annotation import AnnotationError, Claim, SourceKind, Span, Status
from models.document import Document
from models.labels import LabelSet
from models.nlp.tokens import snap_to_tokens
from models.source_kind import infer_source_kind
from storage.repository import Repository
from storage.schema import DatabaseError, is_lock_error

if TYPE_CHECKING:
    from gui.commands import SavedCommand

# what a write may raise that is the data's or the file's doing, not a bug: a message
REFUSALS = (AnnotationError, sqlite3.Error, KeyError, DatabaseError)

# A long article's text and spans are read in parts: the first at once, then one part per
# turn of the event loop (about 8 ms of CPU each for an article with a span every 100 code
# points, on the shared 2-core machine: benchmarks/review_keys.py).
FIRST_PART = 20_000  # code points: more than a screen and its formatted margin
PART = 20_000

GUI_BUSY_TIMEOUT_MS = 15  # about a frame: the longest a write may hold up the event loop
RETRY_INTERVAL_MS = 250

# a change to any of these is a new source: its kind is inferred again
_SOURCE_FIELDS = frozenset({"source_start", "source_end", "source_span_id", "source_text"})

# review action -> (edge, grow) for token_step
_RESIZE = {
    "grow_start": ("start", True),
    "shrink_start": ("start", False),
    "grow_end": ("end", True),
    "shrink_end": ("end", False),
}


class DocumentSession(QObject):
    document_opened = Signal(object)  # Document
    spans_reset = Signal(list)  # the spans of the opened document loaded so far
    spans_loaded = Signal(list, int)  # more spans (by start), loaded through a code point
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
    pending_changed = Signal(list)  # descriptions of the changes waiting for the database

    def __init__(self, repo: Repository, labels: LabelSet, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.labels = labels
        self.undo_stack = QUndoStack(self)
        self.document: Document | None = None
        self.spans: dict[int, Span] = {}
        self.suggestion_order = SuggestionOrder()  # suggested spans in reading order
        self.loaded_to = 0  # code point: the spans that start before it are loaded
        self._suggested_beyond = 0  # suggested spans not loaded yet
        self._loader = QTimer(self)  # loads the next part of a long article
        self._loader.setSingleShot(True)
        self._loader.timeout.connect(self._load_part)
        self.claims: dict[int, Claim] = {}
        self.selected_span_id: int | None = None
        self.selected_claim_id: int | None = None
        self.pending: list[SavedCommand] = []  # changes waiting for the database, in order
        self._replaying = False  # applying a pending change: never switch documents for it
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_INTERVAL_MS)
        self._retry.timeout.connect(self.save_pending)

    # -- opening -----------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        """Open a document: its first part now (all of a short one), the rest as the
        event loop turns (``spans_loaded``)."""
        self._loader.stop()
        self.document = self.repo.document(doc_id)
        self.loaded_to = self._part_end(0, FIRST_PART)
        spans = self._read_spans(0, self.loaded_to)
        self._suggested_beyond = (
            self.repo.suggested_span_count(doc_id) - sum(s.status == Status.SUGGESTED for s in spans)
            if not self.fully_loaded
            else 0
        )
        self._set_spans(spans)
        self.claims = {c.id: c for c in self.repo.claims(doc_id)}
        self.selected_span_id = None
        self.selected_claim_id = None
        self.document_opened.emit(self.document)
        self.spans_reset.emit(spans)
        self.claims_reset.emit(self.ordered_claims())
        self.annotations_changed.emit()
        self._load_later()

    def reload(self) -> None:
        """Re-read the open document's annotations (after background work wrote some),
        keeping the current selection."""
        if self.document is None:
            return
        selected = self.selected_span_id
        self._loader.stop()
        spans = self._read_spans(0, self.loaded_to)
        if not self.fully_loaded:
            suggested = self.repo.suggested_span_count(self.document.id)
            self._suggested_beyond = suggested - sum(s.status == Status.SUGGESTED for s in spans)
        self._set_spans(spans)
        self.claims = {c.id: c for c in self.repo.claims(self.document.id)}
        self.spans_reset.emit(spans)
        self.claims_reset.emit(self.ordered_claims())
        if selected in self.spans:
            self.select_span(selected)
        self.annotations_changed.emit()
        self._load_later()

    # -- loading a long article a part at a time ------------------------------------------

    @property
    def fully_loaded(self) -> bool:
        return self.document is None or self.loaded_to >= len(self.document.text)

    def load_through(self, offset: int) -> None:
        """Load the open document's spans (and show its text) through code point
        ``offset``, now: before an action that needs them."""
        while not self.fully_loaded and self.loaded_to <= offset:
            self._load_part()

    def _part_end(self, start: int, size: int) -> int:
        """Where a part from ``start`` ends: just after the first line break ``size``
        code points on (a paragraph is never cut), or the end of the text."""
        text = self.document.text
        if len(text) - start <= size:
            return len(text)
        cut = text.find("\n", start + size)
        return len(text) if cut < 0 else cut + 1

    def _read_spans(self, start: int, end: int) -> list[Span]:
        """Spans that start in ``[start, end)``; all the rest when ``end`` is the text's end."""
        last = end >= len(self.document.text)
        return self.repo.spans_starting(self.document.id, start, None if last else end)

    def _load_part(self) -> None:
        if self.fully_loaded:
            return
        start = self.loaded_to
        end = self._part_end(start, PART)
        spans = self._read_spans(start, end)
        self.loaded_to = end
        for span in spans:
            self.spans[span.id] = span
        self.suggestion_order.extend(spans)
        loaded = sum(s.status == Status.SUGGESTED for s in spans)
        self._suggested_beyond = 0 if self.fully_loaded else self._suggested_beyond - loaded
        self.spans_loaded.emit(spans, end)
        self._load_later()

    def _load_later(self) -> None:
        if not self.fully_loaded:
            self._loader.start(0)

    def _set_spans(self, spans: list[Span]) -> None:
        self.spans = {s.id: s for s in spans}
        self.suggestion_order = SuggestionOrder(spans)

    def _put_span(self, span: Span) -> Span | None:
        """Record a stored span; returns the version it replaces, if any."""
        old = self.spans.get(span.id)
        self.spans[span.id] = span
        self.suggestion_order.update(old, span)
        return old

    def _drop_span(self, span_id: int) -> None:
        self.suggestion_order.update(self.spans.pop(span_id, None), None)

    def suggestions_left(self) -> int:
        """Suggested spans and claims of the open document not yet reviewed."""
        return sum(self.suggestions_left_by_kind())

    def suggestions_left_by_kind(self) -> tuple[int, int]:
        """``(entity suggestions, claim suggestions)`` of the open document not yet reviewed."""
        claims = sum(1 for c in self.claims.values() if c.status == Status.SUGGESTED)
        return len(self.suggestion_order) + self._suggested_beyond, claims

    def ensure_open(self, doc_id: int) -> None:
        if self.document is None or self.document.id != doc_id:
            self.open_document(doc_id)

    def ordered_spans(self) -> list[Span]:
        """Every span of the open document (loading them all first), by start."""
        if self.document is not None:
            self.load_through(len(self.document.text))
        return sorted(self.spans.values(), key=lambda s: (s.start, s.end, s.label, s.id))

    def ordered_claims(self) -> list[Claim]:
        return sorted(self.claims.values(), key=lambda c: (c.content_start, c.id))

    # -- selection ---------------------------------------------------------------------

    def select_span(self, span_id: int | None) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = self._load_span(span_id)
        self.selected_span_id = span_id
        self.span_selected.emit(span_id)

    def select_claim(self, claim_id: int | None) -> None:
        if claim_id is not None and claim_id not in self.claims:
            claim_id = None
        self.selected_claim_id = claim_id
        self.claim_selected.emit(claim_id)

    def _load_span(self, span_id: int) -> int | None:
        """``span_id`` once loaded, if it is a span of the open document not loaded yet;
        else None."""
        if self.fully_loaded:
            return None
        try:
            span = self.repo.span(span_id)
        except KeyError:
            return None
        if not self._showing(span.doc_id):
            return None
        self.load_through(span.start)
        return span_id if span_id in self.spans else None

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
        if self.repo.duplicate_of(span) is not None:
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
        revived = old.status == Status.REJECTED and new.status != Status.REJECTED
        if (new.key != old.key or revived) and self.repo.duplicate_of(new) is not None:
            self.message.emit(f"{new.label} {new.text!r} is already marked.")
            return
        self._push(ChangeSpanCommand(self, old, new, text))

    def relabel_span(self, span_id: int, label: str) -> None:
        self.change_span(span_id, f"Relabel as {label}", label=label)

    # -- reviewing suggestions (keyboard-first) ----------------------------------------

    def suggestions(self) -> list[Span]:
        """Every suggested span of the open document (loading them all first), by start."""
        if self.document is not None:
            self.load_through(len(self.document.text))
        return [self.spans[span_id] for span_id in self.suggestion_order.ids()]

    def select_next_suggestion(self, forward: bool = True, after: int | None = None) -> Span | None:
        """Select the next (or previous) suggestion after the selected span, wrapping."""
        current = self.selected_span
        anchor = (
            (current.start, current.end, current.id)
            if current
            else (after if after is not None else -1, 0, 0)
        )
        chosen = self._suggestion_after(anchor) if forward else self._suggestion_before(anchor)
        if chosen is None:
            self.select_span(None)
            self.message.emit("No suggestions left to review in this document.")
            return None
        self.select_span(chosen)
        return self.spans[chosen]

    def _suggestion_after(self, anchor: tuple[int, int, int]) -> int | None:
        """Id of the first suggestion after ``anchor`` (start, end, id), else the first of
        the document; loads through it if it is not loaded yet."""
        order = self.suggestion_order
        chosen = order.after(anchor)
        if chosen is None and not self.fully_loaded:
            start = self.repo.suggestion_start(self.document.id, self.loaded_to)
            if start is not None:
                self.load_through(start)
                chosen = order.after(anchor)
        return chosen if chosen is not None else order.first()

    def _suggestion_before(self, anchor: tuple[int, int, int]) -> int | None:
        """Id of the last suggestion before ``anchor``, else the last of the document."""
        order = self.suggestion_order
        chosen = order.before(anchor)
        if chosen is None and not self.fully_loaded:
            start = self.repo.suggestion_start(self.document.id, self.loaded_to, last=True)
            if start is not None:
                self.load_through(start)
        return chosen if chosen is not None else order.last()

    def review(self, action: str) -> None:
        """Keyboard review of the selected span: next, previous, accept, reject,
        grow_start, shrink_start, grow_end, shrink_end."""
        if action in ("next", "previous"):
            self.select_next_suggestion(action == "next")
            return
        span = self.selected_span
        if span is None:
            self.select_next_suggestion(True)
            return
        if action == "accept":
            self.change_span(span.id, f"Accept {span.label} {span.text!r}", status=Status.ACCEPTED)
            self._advance_after(span)
        elif action == "reject":
            self.change_span(span.id, f"Reject {span.label} {span.text!r}", status=Status.REJECTED)
            self._advance_after(span)
        elif action in _RESIZE:
            self._resize(span, *_RESIZE[action])

    def _advance_after(self, span: Span) -> None:
        """After a verdict, move to the next suggestion (the Prodigy rhythm)."""
        chosen = self._suggestion_after((span.start, span.end, span.id))
        if chosen is not None:
            self.select_span(chosen)
        else:
            self.message.emit("All suggestions in this document are reviewed.")

    def _resize(self, span: Span, edge: str, grow: bool) -> None:
        from models.nlp.tokens import token_step

        assert self.document is not None
        moved = token_step(self.document.text, span.start, span.end, edge, grow, self.document.language)
        if moved is None:
            self.message.emit("The span cannot move that way.")
            return
        verb = "Widen" if grow else "Narrow"
        self.change_span(span.id, f"{verb} {span.label} {span.text!r}", start=moved[0], end=moved[1])

    def accept_all_suggestions(self) -> int:
        """Accept every remaining suggestion of the open document as one undoable step."""
        from gui.commands import ChangeSpansCommand

        pending = self.suggestions()
        if not pending:
            self.message.emit("No suggestions to accept in this document.")
            return 0
        news = [s.with_changes(status=Status.ACCEPTED) for s in pending]
        self._push(ChangeSpansCommand(self, pending, news, f"Accept {len(pending)} suggestions"))
        return len(pending)

    def _push(self, command: QUndoCommand) -> None:
        if self.repo.read_only_reason:
            self.message.emit(f"Editing is off: {self.repo.read_only_reason}")
            return
        self.undo_stack.push(command)

    # -- saving: at once, or in order once the database is free -------------------------

    def save(self, command: SavedCommand) -> None:
        """Apply ``command`` now, or queue it when the database is locked (or earlier
        changes are still waiting). A change the repository refuses becomes a message
        and the command obsolete (Qt drops it from the stack)."""
        if self.pending:
            self._queue(command)
            return
        try:
            command.apply()
        except REFUSALS as exc:
            if is_lock_error(exc):
                self._queue(command)
            else:
                self._refused(command, exc)
            return
        command.done = True

    def unqueue(self, command: SavedCommand) -> bool:
        """Forget a change that was never saved (undo of a pending change)."""
        if command not in self.pending:
            return False
        self.pending.remove(command)
        self._pending_changed()
        return True

    def save_pending(self) -> None:
        """Retry the waiting changes in order (the timer's work); stop at the first that
        still finds the database locked."""
        self._replaying = True
        try:
            while self.pending:
                command = self.pending[0]
                try:
                    command.apply()
                except REFUSALS as exc:
                    if is_lock_error(exc):
                        break
                    self._refused(command, exc)
                else:
                    command.done = True
                self.pending.pop(0)
        finally:
            self._replaying = False
            self._pending_changed()
        if not self.pending:
            self.message.emit("The database is free again: every waiting change is saved.")

    def _queue(self, command: SavedCommand) -> None:
        self.pending.append(command)
        self._pending_changed()

    def _refused(self, command: SavedCommand, exc: Exception) -> None:
        command.done = False
        command.setObsolete(True)
        self.message.emit(f"Not saved: {exc}")

    def _pending_changed(self) -> None:
        if self.pending and not self._retry.isActive():
            self._retry.start()
        elif not self.pending:
            self._retry.stop()
        self.pending_changed.emit([command.text() for command in self.pending])

    def _begin(self, doc_id: int, offset: int = 0) -> None:
        """Before a write: show its document (an undo in another document opens it),
        except when a waiting change is saved later, which must not move the analyst;
        and load the open document through the code point the write touches."""
        if not self._replaying:
            self.ensure_open(doc_id)
        if self._showing(doc_id):
            self.load_through(offset)

    def _showing(self, doc_id: int) -> bool:
        return self.document is not None and self.document.id == doc_id

    # -- applied by undo commands: write, then announce ---------------------------------

    def store_span(self, span: Span, linked_claims: list[int] | None = None) -> Span:
        self._begin(span.doc_id, span.start)
        stored = self.repo.restore_span(span, linked_claims or []) if span.id else self.repo.add_span(span)
        if self._showing(stored.doc_id):
            self._put_span(stored)
            if linked_claims:
                self._refresh_claims(linked_claims)
            self.span_added.emit(stored)
            self.annotations_changed.emit()
        return stored

    def remove_span(self, span_id: int) -> list[int]:
        span = self.repo.span(span_id)
        self._begin(span.doc_id, span.start)
        _, linked = self.repo.delete_span(span_id)
        if self._showing(span.doc_id):
            self._drop_span(span_id)
            if self.selected_span_id == span_id:
                self.select_span(None)
            self._refresh_claims(linked)
            self.span_removed.emit(span)
            self.annotations_changed.emit()
        return linked

    def write_span(self, span: Span, full: bool = False) -> Span:
        """Store every field of ``span`` (``full``: exactly, for undo) and announce it."""
        self._begin(span.doc_id, span.start)
        old = self.spans.get(span.id)
        if old is None:  # not loaded (or another document's): as stored
            old = self.repo.span(span.id)
            if self._showing(old.doc_id):
                self.load_through(old.start)
        if full:
            stored = self.repo.replace_span(span)
        else:
            stored = self.repo.update_span(
                span.id, label=span.label, start=span.start, end=span.end, status=span.status
            )
        if self._showing(stored.doc_id):
            self._put_span(stored)
            self.span_changed.emit(old, stored)
            self.annotations_changed.emit()
        return stored

    def write_spans(self, spans: list[Span], full: bool = False) -> list[Span]:
        """Store several changed spans in one transaction (accept all, and its undo)."""
        if not spans:
            return []
        self._begin(spans[0].doc_id, max(span.start for span in spans))
        with self.repo.transaction():
            stored = [
                self.repo.replace_span(span) if full
                else self.repo.update_span(span.id, status=span.status, label=span.label)
                for span in spans
            ]  # fmt: skip
        if self._showing(spans[0].doc_id):
            for span in stored:
                old = self._put_span(span) or span
                self.span_changed.emit(old, span)
            self.annotations_changed.emit()
        return stored

    def _refresh_claims(self, claim_ids: list[int]) -> None:
        for claim_id in claim_ids:
            old = self.claims.get(claim_id)
            new = self.repo.claim(claim_id)
            self.claims[claim_id] = new
            if old is not None:
                self.claim_changed.emit(old, new)

    # -- claim actions (undoable; gui/claim_commands.py) --------------------------------

    @property
    def selected_claim(self) -> Claim | None:
        return self.claims.get(self.selected_claim_id) if self.selected_claim_id else None

    def create_claim(self, start: int, end: int) -> Claim | None:
        """A manual claim whose content is the selection snapped to tokens; selected
        once stored. Returns None (with a message) when refused."""
        from gui.claim_commands import AddClaimCommand

        snapped = self._snap_claim_part(start, end)
        if snapped is None:
            return None
        same = next((c for c in self.ordered_claims() if c.status != Status.REJECTED
                     and (c.content_start, c.content_end) == snapped), None)  # fmt: skip
        if same is not None:
            self.message.emit("That text is already a claim's content.")
            self.select_claim(same.id)
            return None
        claim = Claim(doc_id=self.document.id, content_start=snapped[0], content_end=snapped[1])
        command = AddClaimCommand(self, claim, f"Add claim {self._quote(*snapped)}")
        self._push(command)
        return command.claim if command.done else None

    def delete_claim(self, claim_id: int) -> None:
        from gui.claim_commands import DeleteClaimCommand

        claim = self.claims.get(claim_id)
        if claim is not None:
            text = f"Delete claim {self._quote(claim.content_start, claim.content_end)}"
            self._push(DeleteClaimCommand(self, claim, text))

    def change_claim(self, claim_id: int, text: str, **changes: object) -> None:
        """One undoable edit. Editing a suggestion (anything but its status or note)
        accepts it and keeps its origin. A new source sets the source kind inferred from
        it (models/source_kind.py) unless the kind was chosen by hand. Accepting a claim
        whose source is a suggested entity accepts the entity too, in the same step."""
        from gui.claim_commands import ChangeClaimCommand

        old = self.claims.get(claim_id)
        if old is None:
            return
        implied = bool(set(changes) - {"status", "note"}) and "status" not in changes
        if implied:
            changes["status"] = Status.ACCEPTED
        new = old.with_changes(**changes)
        if implied and old.status == Status.SUGGESTED:  # say so: the edit confirmed the suggestion
            text = f"{text}; claim accepted"
            self.message.emit(f"{text} (editing a suggestion accepts it; Ctrl+Z undoes both)")
        if _SOURCE_FIELDS & set(changes) and "source_kind" not in changes:
            new = new.with_changes(source_kind=self._source_kind(old, new))
        if new == old:
            return
        source = self.spans.get(new.source_span_id) if new.source_span_id is not None else None
        accepts_source = source is not None and source.status == Status.SUGGESTED
        if new.status == Status.ACCEPTED and accepts_source and not self.repo.read_only_reason:
            self.undo_stack.beginMacro(text)
            self.change_span(source.id, f"Accept {source.label} {source.text!r}", status=Status.ACCEPTED)
            self._push(ChangeClaimCommand(self, old, new, text))
            self.undo_stack.endMacro()
            return
        self._push(ChangeClaimCommand(self, old, new, text))

    def _source_kind(self, old: Claim, new: Claim) -> SourceKind:
        """The kind for ``new``'s source: inferred from its name or mention and linked
        entity, unless ``old``'s kind was set by hand (it is neither "unattributed" nor
        what the inference gives for ``old``'s source)."""
        inferred_old = self._infer_kind(old)
        if old.source_kind not in (SourceKind.UNATTRIBUTED, inferred_old):
            return old.source_kind
        return self._infer_kind(new) or old.source_kind

    def _infer_kind(self, claim: Claim) -> SourceKind | None:
        span = self.spans.get(claim.source_span_id) if claim.source_span_id is not None else None
        text = self.document.text if self.document is not None else ""
        mention = text[claim.source_start : claim.source_end] if claim.source_start is not None else ""
        words = claim.source_text or (span.text if span is not None else "") or mention
        return infer_source_kind(words, span.label if span is not None else None)

    def set_claim_part(self, claim_id: int, part: str, start: int, end: int) -> None:
        """Set a claim's ``content``, ``cue`` or ``source`` mention from a selection snapped
        to tokens. A source that is exactly an entity span is linked to it (accepted spans
        first)."""
        snapped = self._snap_claim_part(start, end)
        if snapped is None:
            return
        quoted = self._quote(*snapped)
        if part in ("cue", "content"):
            self.change_claim(
                claim_id, f"Set {part} {quoted}", **{f"{part}_start": snapped[0], f"{part}_end": snapped[1]}
            )
            return
        spans = sorted(self.spans.values(), key=lambda s: (s.status != Status.ACCEPTED, s.id))
        span = next((s for s in spans if (s.start, s.end) == snapped and s.status != Status.REJECTED), None)
        self.change_claim(claim_id, f"Set source {quoted}", source_start=snapped[0], source_end=snapped[1],
                          source_span_id=span.id if span else None, source_text="")  # fmt: skip

    def set_claim_source_span(self, claim_id: int, span_id: int) -> None:
        """The entity span is the source: link it and take its offsets as the mention."""
        span = self.spans.get(span_id)
        if span is not None:
            self.change_claim(claim_id, f"Set source {span.text!r}", source_start=span.start,
                              source_end=span.end, source_span_id=span.id, source_text="")  # fmt: skip

    def _snap_claim_part(self, start: int, end: int) -> tuple[int, int] | None:
        if self.document is None:
            return None
        snapped = snap_to_tokens(self.document.text, start, end, self.document.language)
        if snapped is None:
            self.message.emit("The selection holds no token: nothing to use.")
        return snapped

    def _quote(self, start: int, end: int) -> str:
        text = " ".join(self.document.text[start:end].split()) if self.document else ""
        return repr(text if len(text) <= 30 else text[:29] + "…")

    # -- applied by claim undo commands: write, then announce ---------------------------

    def store_claim(self, claim: Claim) -> Claim:
        """Add a claim (or put back a deleted one under its id) and select it."""
        self._begin(claim.doc_id)
        stored = self.repo.add_claim(claim)  # a claim with an id (undo of a delete) keeps it
        if self._showing(stored.doc_id):
            self.claims[stored.id] = stored
            self.claim_added.emit(stored)
            self.annotations_changed.emit()
            self.select_claim(stored.id)
        return stored

    def remove_claim(self, claim_id: int) -> Claim:
        self._begin(self.repo.claim(claim_id).doc_id)
        claim = self.repo.delete_claim(claim_id)
        if self._showing(claim.doc_id):
            self.claims.pop(claim_id, None)
            if self.selected_claim_id == claim_id:
                self.select_claim(None)
            self.claim_removed.emit(claim)
            self.annotations_changed.emit()
        return claim

    def write_claim(self, claim: Claim, full: bool = False) -> Claim:
        """Store every field of ``claim`` (``full``: exactly, for undo) and announce it."""
        self._begin(claim.doc_id)
        old = self.claims.get(claim.id) or self.repo.claim(claim.id)
        if full:
            stored = self.repo.replace_claim(claim)
        else:
            fields = ("content_start", "content_end", "cue_start", "cue_end", "source_start",
                      "source_end", "source_span_id", "source_text", "source_kind", "certainty",
                      "status", "note", "cue_kind", "claim_kind")  # fmt: skip
            stored = self.repo.update_claim(claim.id, **{name: getattr(claim, name) for name in fields})
        if self._showing(stored.doc_id):
            self.claims[stored.id] = stored
            self.claim_changed.emit(old, stored)
            self.annotations_changed.emit()
        return stored
