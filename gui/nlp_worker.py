"""spaCy off the GUI thread: one worker thread owns the loaded pipeline (no ``nlp`` is
shared across threads) and runs pre-annotation jobs; results come back by signal and the
worker never touches a widget."""

from __future__ import annotations

import sys
import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.threads import start_thread

# Smaller batches than the CLI's 64: spaCy holds the GIL for stretches that grow with the
# batch, and each stretch is a moment the window cannot repaint (benchmarks/preannotate_stall.py).
GUI_BATCH_SIZE = 16


class NlpWorker(QObject):
    """Lives in its own QThread. Slots run there, in the order they were requested."""

    model_loaded = Signal(str, str)  # origin ("spacy:en_core_web_sm@3.8.0"), warning
    model_failed = Signal(str)
    progress = Signal(int, int, str)  # done, total, message
    finished = Signal(object)  # PreannotateReport
    failed = Signal(str)

    def __init__(self, db_path: str, model_name: str | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.model_name = model_name
        self.model = None
        self.pipelines: dict = {}  # model name -> LoadedModel, owned by this thread
        self._cancel = threading.Event()

    @Slot()
    def load(self) -> None:
        from models.nlp.loading import ModelError, load_model, resolve_model_name
        from models.nlp.tokens import blank_pipeline

        try:
            self.model = load_model(self.model_name)
        except ModelError as exc:
            self.model_failed.emit(str(exc))
            return
        # the loaded English pipeline serves English documents; other languages load
        # their own installed pipeline on first use, in this thread, and stay loaded
        self.pipelines[resolve_model_name(self.model_name) or "blank:en"] = self.model
        blank_pipeline("en")  # warm the tokenizer that snaps manual selections
        self.model_loaded.emit(self.model.origin, self.model.warning)

    @Slot(str)
    def use_model(self, name_or_path: str) -> None:
        """Load another pipeline (the model chooser; "" is the default resolution) for
        the jobs that follow; reported like the first load."""
        self.model_name = name_or_path or None
        self.pipelines.clear()
        self.load()

    @Slot(list)
    def preannotate(self, doc_ids: list) -> None:
        from models.nlp.loading import ModelError
        from storage.preannotate import PreannotateError, preannotate

        self._cancel.clear()
        if self.model is None:
            self.failed.emit("No spaCy model is loaded; see the status bar.")
            return
        try:
            report = preannotate(
                self.db_path,
                self.model if self.model_name else None,  # an explicit model serves all
                doc_ids or None,
                progress=self.progress.emit,
                cancelled=self._cancel.is_set,
                pipelines=self.pipelines,
                batch_size=GUI_BATCH_SIZE,
            )
        except (PreannotateError, ModelError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
            self.failed.emit(f"Pre-annotation stopped: {type(exc).__name__}: {exc}")
            return
        self.finished.emit(report)

    def cancel(self) -> None:
        """Thread-safe: the running job stops after the document in hand."""
        self._cancel.set()


class NlpService(QObject):
    """The GUI side: starts the worker thread, forwards requests, tracks the pace."""

    requested = Signal(list)
    model_requested = Signal(str)
    model_loaded = Signal(str, str)
    model_failed = Signal(str)
    progress = Signal(int, int, str, float)  # done, total, message, seconds left (-1: unknown)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, db_path: str, model_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("quire-nlp")
        self.worker = NlpWorker(db_path, model_name)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.load)
        self.requested.connect(self.worker.preannotate)
        self.model_requested.connect(self.worker.use_model)
        self.worker.model_loaded.connect(self._loaded)
        self.worker.model_failed.connect(self.model_failed)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.origin = ""
        self.busy = False
        self._started_at = 0.0
        self._shut_down = False

    def start(self) -> None:
        # The worker holds the GIL for Python stretches of spaCy; a shorter switch interval
        # (default 5 ms) hands it back to the GUI thread sooner.
        sys.setswitchinterval(0.001)
        if not self._shut_down and not self.thread.isRunning():
            start_thread(self.thread, QThread.Priority.LowPriority)

    def preannotate(self, doc_ids: list[int] | None = None) -> bool:
        if self.busy:
            return False
        self.busy = True
        self._started_at = time.monotonic()
        self.requested.emit(list(doc_ids or []))
        return True

    def use_model(self, name_or_path: str | None) -> bool:
        """Switch the pipeline for later jobs (``None``: the default); ``False`` while a
        job runs. ``model_loaded`` or ``model_failed`` follows."""
        if self.busy:
            return False
        self.origin = ""
        self.model_requested.emit(name_or_path or "")
        return True

    def cancel(self) -> None:
        self.worker.cancel()

    def shutdown(self) -> None:
        """Cancel any job and wait for the thread (called when the window closes)."""
        self._shut_down = True
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()

    def _loaded(self, origin: str, warning: str) -> None:
        self.origin = origin
        self.model_loaded.emit(origin, warning)

    def _progress(self, done: int, total: int, message: str) -> None:
        elapsed = time.monotonic() - self._started_at
        left = elapsed / done * (total - done) if done else -1.0
        self.progress.emit(done, total, message, left)

    def _finished(self, report) -> None:
        self.busy = False
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.failed.emit(message)
