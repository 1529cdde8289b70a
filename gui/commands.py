"""Undo commands. Each redo/undo writes through the session (and so the repository) at
once: the undo stack is a history of saved changes, not a buffer of unsaved ones.

A change the repository refuses (validation, a read-only or damaged file) never reaches
the user as a traceback: the command marks itself obsolete, so Qt drops it from the
stack, and the reason goes to the status bar. A change that finds the database locked
waits in the session's queue (``DocumentSession.save``) and is saved when it is free;
undoing it before then just forgets it. An undo that cannot be saved leaves the stack's
index where it was, so the next redo does not apply the change a second time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from gui.session import REFUSALS
from models.annotation import Span
from storage.schema import is_lock_error

if TYPE_CHECKING:
    from gui.session import DocumentSession


class SavedCommand(QUndoCommand):
    """Base of Quire's commands: subclasses define ``apply()`` and ``revert()``."""

    def __init__(self, session: DocumentSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.done = False
        self._undo_failed = False  # the next redo only puts the stack's index back

    def redo(self) -> None:
        if self._undo_failed:
            self._undo_failed = False
            return
        self.session.save(self)

    def undo(self) -> None:
        if self.session.unqueue(self):
            return  # never saved: nothing to revert
        if self.session.pending:
            self._keep_index("Not undone yet: earlier changes are still waiting for the database.")
            return
        try:
            self.revert()
        except REFUSALS as exc:
            if is_lock_error(exc):
                self._keep_index(
                    "Not undone: the database is locked by another program or window; try again."
                )
            else:
                self._keep_index(f"Could not undo: {exc}")
            return
        self.done = False

    def _keep_index(self, message: str) -> None:
        """QUndoStack moves its index back once ``undo()`` returns, whatever happened;
        move it forward again on the next turn of the event loop, without a write."""
        stack = self.session.undo_stack
        index = stack.index() - 1
        self.session.message.emit(message)

        def put_back() -> None:
            if stack.index() == index and stack.command(index) is self:
                self._undo_failed = True
                stack.redo()

        QTimer.singleShot(0, stack, put_back)


class AddSpanCommand(SavedCommand):
    def __init__(self, session: DocumentSession, span: Span) -> None:
        super().__init__(session, f"Add {span.label} {span.text!r}")
        self.span = span

    def apply(self) -> None:
        self.span = self.session.store_span(self.span)

    def revert(self) -> None:
        self.session.remove_span(self.span.id)


class DeleteSpanCommand(SavedCommand):
    def __init__(self, session: DocumentSession, span: Span) -> None:
        super().__init__(session, f"Delete {span.label} {span.text!r}")
        self.span = span
        self.linked_claims: list[int] = []

    def apply(self) -> None:
        self.linked_claims = self.session.remove_span(self.span.id)

    def revert(self) -> None:
        self.session.store_span(self.span, self.linked_claims)


class ChangeSpanCommand(SavedCommand):
    """Relabel, resize, accept or reject: remembers the whole span before and after."""

    def __init__(self, session: DocumentSession, old: Span, new: Span, text: str) -> None:
        super().__init__(session, text)
        self.old = old
        self.new = new

    def apply(self) -> None:
        self.new = self.session.write_span(self.new)

    def revert(self) -> None:
        self.session.write_span(self.old, full=True)


class ChangeSpansCommand(SavedCommand):
    """Several span changes saved in one transaction (accept all suggestions)."""

    def __init__(self, session: DocumentSession, olds: list[Span], news: list[Span], text: str) -> None:
        super().__init__(session, text)
        self.olds = olds
        self.news = news

    def apply(self) -> None:
        self.news = self.session.write_spans(self.news)

    def revert(self) -> None:
        self.session.write_spans(self.olds, full=True)
