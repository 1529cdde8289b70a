"""Undo commands. Each redo/undo writes through the session (and so the repository) at
once: the undo stack is a history of saved changes, not a buffer of unsaved ones.

A change the repository refuses (validation, a locked database) never reaches the user
as a traceback: the command marks itself obsolete, so Qt drops it from the stack, and the
reason goes to the status bar.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from models.annotation import AnnotationError, Span

if TYPE_CHECKING:
    from gui.session import DocumentSession


class SavedCommand(QUndoCommand):
    """Base of Quire's commands: subclasses define ``apply()`` and ``revert()``."""

    def __init__(self, session: DocumentSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.done = False

    def redo(self) -> None:
        try:
            self.apply()
            self.done = True
        except (AnnotationError, sqlite3.Error, KeyError) as exc:
            self.done = False
            self.setObsolete(True)
            self.session.message.emit(f"Not saved: {exc}")

    def undo(self) -> None:
        try:
            self.revert()
        except (AnnotationError, sqlite3.Error, KeyError) as exc:
            self.session.message.emit(f"Could not undo: {exc}")


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
