"""What the window says about its database: read-only (and why editing is off), changes
waiting for a lock held by another program or window, and a guard that keeps the window
open while such changes are still unsaved."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from gui.jobs import BackgroundJob
from gui.session import DocumentSession
from storage.repository import Repository
from storage.schema import DatabaseError, integrity_problem

WAITING_STYLE = "color: #8a5a00; font-weight: bold;"
READ_ONLY_STYLE = "color: #a11; font-weight: bold;"


class DatabaseState(QObject):
    """Status-bar labels for a read-only database and for waiting changes, and the
    integrity check of the file in the background."""

    checked = Signal(str)  # what quick_check found ("" : the file is sound)

    def __init__(self, window: QMainWindow, session: DocumentSession) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.check: IntegrityCheck | None = None
        bar = window.statusBar()
        self.waiting = QLabel()
        self.waiting.setObjectName("databaseWaiting")
        self.waiting.setStyleSheet(WAITING_STYLE)
        self.waiting.hide()
        self.read_only = QLabel()
        self.read_only.setObjectName("databaseReadOnly")
        self.read_only.setStyleSheet(READ_ONLY_STYLE)
        self.read_only.hide()
        bar.addPermanentWidget(self.waiting)
        bar.addPermanentWidget(self.read_only)
        session.pending_changed.connect(self.show_waiting)
        window.installEventFilter(self)
        window.closing.connect(self.stop)
        self.show_read_only(session.repo.read_only_reason)

    def check_integrity(self) -> None:
        """Run ``quick_check`` on a connection of its own (it reads the whole file:
        seconds for 100,000 documents); a damaged file turns editing off."""
        if self.check is None:
            self.check = IntegrityCheck(self.session.repo.path, self._checked, self)
            self.check.start()

    def _checked(self, problem: str) -> None:
        if problem:
            self.session.repo.mark_damaged(problem)
            self.show_read_only(self.session.repo.read_only_reason)
        self.checked.emit(problem)

    def stop(self) -> None:
        if self.check is not None:
            self.check.stop()

    def show_read_only(self, reason: str) -> None:
        """Editing is off for ``reason`` ("" : editing is on)."""
        self.read_only.setText("Read-only: editing is off" if reason else "")
        self.read_only.setToolTip(reason)
        self.read_only.setVisible(bool(reason))
        if reason:
            self.window.show_message(f"Editing is off: {reason}")  # elided, and kept in the log

    def show_waiting(self, pending: list[str]) -> None:
        if not pending:
            self.waiting.hide()
            return
        self.waiting.setText(f"⏳ Waiting for the database: {len(pending)} change(s) not saved yet")
        self.waiting.setToolTip(
            "Another program or window holds the database; these changes are saved, in order, "
            "as soon as it is free:\n" + "\n".join(pending)
        )
        self.waiting.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Close and self.session.pending:
            self.session.save_pending()
            if self.session.pending and not self._lose_pending():
                event.ignore()
                return True
        return False

    def _lose_pending(self) -> bool:
        answer = QMessageBox.warning(
            self.window,
            "Changes not saved yet",
            f"{len(self.session.pending)} change(s) are still waiting for the database, which "
            "another program or window holds.\n\nClose anyway and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard


class IntegrityCheck(QObject):
    """``quick_check`` in a background job; ``stop()`` interrupts it (closing the window
    must not wait seconds for it)."""

    def __init__(self, path, on_result: Callable[[str], None], parent: QObject) -> None:
        super().__init__(parent)
        self.path = path
        self.connection: sqlite3.Connection | None = None
        self.job = BackgroundJob(self._run, (DatabaseError, sqlite3.Error), self)
        self.job.finished.connect(on_result)

    def start(self) -> None:
        self.job.start()

    def _run(self, _progress, _cancelled) -> str:
        repo = Repository(self.path, read_only=True)
        self.connection = repo.db.conn
        try:
            return integrity_problem(repo.db)
        finally:
            self.connection = None
            repo.close()

    def stop(self) -> None:
        connection = self.connection
        if connection is not None:
            # thread-safe: the check stops with OperationalError; ProgrammingError when it
            # had just finished and closed
            with contextlib.suppress(sqlite3.ProgrammingError):
                connection.interrupt()
        self.job.wait()


def install_database_state(window: QMainWindow, session: DocumentSession) -> DatabaseState:
    return DatabaseState(window, session)
