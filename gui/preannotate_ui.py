"""Pre-annotation in the window: the model loads in a worker process after the window is
shown; "Pre-annotate this document" / "Pre-annotate corpus" run there with a progress
bar, time left and Cancel in the status bar ("Suggest claims too" off: entities only, about
2.6x faster); results refresh the open document without moving the selection or the
scroll position."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from gui.nlp_worker import NlpService
from gui.train_dialog import replace_suggestions_action

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class Preannotation(QObject):
    def __init__(self, window: MainWindow, model_name: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.service = NlpService(str(window.repo.path), model_name, self)
        self.progress = QProgressBar()
        self.progress.setObjectName("preannotateProgress")
        self.progress.setMaximumWidth(220)
        self.time_left = QLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelPreannotate")
        bar = window.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.time_left)
        bar.addPermanentWidget(self.cancel_button)
        window.set_model_name("Model: loading…")
        self._show_progress(False)
        self.warning = ""

        self.document_action = QAction("Pre-annotate this &document", window)
        self.document_action.setShortcut(QKeySequence("Ctrl+P"))
        self.corpus_action = QAction("Pre-annotate &corpus", window)
        self.corpus_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.claims_action = QAction("Suggest &claims too", window)
        self.claims_action.setCheckable(True)
        self.claims_action.setChecked(True)
        self.claims_action.setToolTip("Off: entity suggestions only (no parser; about 2.6x faster)")
        self.replace_action = replace_suggestions_action(window)
        for action in (self.document_action, self.corpus_action):
            action.setEnabled(False)
            window.addAction(action)
        menu = window.annotate_menu
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.document_action)
        menu.insertAction(first, self.corpus_action)
        menu.insertAction(first, self.claims_action)
        menu.insertAction(first, self.replace_action)
        menu.insertSeparator(first)

        self.document_action.triggered.connect(self.preannotate_document)
        self.corpus_action.triggered.connect(self.preannotate_corpus)
        self.cancel_button.clicked.connect(self.cancel)
        self.service.model_loaded.connect(self._model_loaded)
        self.service.model_failed.connect(self._model_failed)
        self.service.progress.connect(self._progress)
        self.service.finished.connect(self._finished)
        self.service.failed.connect(self._failed)
        window.closing.connect(self.service.shutdown)

    @property
    def model_label(self) -> QLabel:
        return self.window.corpus.model_label

    def start(self) -> None:
        """Load the model once the event loop runs, i.e. after the window is painted."""
        QTimer.singleShot(0, self.service.start)

    # -- requests ----------------------------------------------------------------------

    def preannotate_document(self) -> None:
        document = self.window.session.document
        if document is not None:
            self._run([document.id])

    def preannotate_corpus(self) -> None:
        self._run(None)

    def _run(self, doc_ids: list[int] | None) -> None:
        replace = self.replace_action.isChecked()
        if not self.service.preannotate(doc_ids, claims=self.claims_action.isChecked(), replace=replace):
            self.window.show_message("Pre-annotation is already running.")
            return
        self.progress.setRange(0, 0)
        self.time_left.setText("starting…")
        self._show_progress(True)
        self.document_action.setEnabled(False)
        self.corpus_action.setEnabled(False)

    def use_model(self, name_or_path: str | None) -> None:
        """Pre-annotate with another pipeline from now on (the Model menu's chooser)."""
        if not self.service.use_model(name_or_path):
            self.window.show_message("Pre-annotation is running; choose the model when it has finished.")
            return
        self.document_action.setEnabled(False)
        self.corpus_action.setEnabled(False)
        self.window.set_model_name("Model: loading…")

    def cancel(self) -> None:
        self.service.cancel()
        self.time_left.setText("cancelling…")

    # -- results -----------------------------------------------------------------------

    def _model_loaded(self, origin: str, warning: str) -> None:
        self.warning = warning
        name = origin.split(":", 1)[-1]
        if warning:
            self.window.set_model_name(f"⚠ Model: {name} (manual only)", warning, warning=True)
            self.window.show_message(warning)
        else:
            self.window.set_model_name(f"Model: {name}", origin)
        self.document_action.setEnabled(not warning)
        self.corpus_action.setEnabled(not warning)

    def _model_failed(self, message: str) -> None:
        self.warning = message
        self.window.set_model_name("⚠ Model: not loaded", message, warning=True)
        self.window.show_message(message)

    def _progress(self, done: int, total: int, message: str, seconds_left: float) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total} documents")
        self.time_left.setText(_time_left(seconds_left))
        self._refresh_open_document()

    def _finished(self, report) -> None:
        self._show_progress(False)
        self.document_action.setEnabled(True)
        self.corpus_action.setEnabled(True)
        # replaced suggestions can leave the counts as they were
        self._refresh_open_document(force=bool(report.spans_replaced or report.claims_replaced))
        lines = report.lines()
        self.window.show_message(report.summary() + (f" — {lines[0]}" if lines else ""))
        self.window.refresh_documents()

    def _failed(self, message: str) -> None:
        self._show_progress(False)
        self.document_action.setEnabled(self.service.origin != "" and not self.warning)
        self.corpus_action.setEnabled(self.document_action.isEnabled())
        self.window.show_message(message)

    def _refresh_open_document(self, force: bool = False) -> None:
        """Re-read the open document only when the run stored suggestions the view lacks:
        its counters (kept by triggers) differ from the suggestions in memory. A document
        opened during the run was read whole, so a switch costs no second read (it did:
        switching while pre-annotating took 1.3-2.3x as long). ``force``: re-read anyway.
        Never while changes wait for the database: re-reading would hide them."""
        session = self.window.session
        document = session.document
        if document is None or session.pending:
            return
        if not force:
            row = self.window.repo.document_list_rows([document.id]).get(document.id)
            stored = (row["spans_suggested"], row["claims_suggested"]) if row else None
            if stored is None or stored == session.suggestions_left_by_kind():
                return
        session.reload()

    def _show_progress(self, visible: bool) -> None:
        for widget in (self.progress, self.time_left, self.cancel_button):
            widget.setVisible(visible)


def _time_left(seconds: float) -> str:
    if seconds < 0:
        return "estimating…"
    if seconds < 60:
        return f"{seconds:.0f} s left"
    return f"{seconds / 60:.0f} min left"


def install_preannotation(window: MainWindow, model_name: str | None = None) -> Preannotation:
    window.preannotation = Preannotation(window, model_name)
    return window.preannotation
