"""spaCy off the GUI's interpreter: pre-annotation runs in a process of its own
(``storage/preannotate_process.py``, started with ``spawn``: Qt is loaded here), which
loads the model, reads the texts and writes the suggestions; progress and results come
back through a queue that a timer on the GUI thread reads, and are re-emitted as signals.
Closing the window ends the process at once, even while the model loads. The only spaCy
in this process is the rule-based tokenizer that snaps manual selections, warmed in a
daemon thread so that the first key press does not wait for it."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal

from models.nlp.loading import resolve_model_name

_POLL_MS = 30  # how often the GUI thread reads the process's messages
_STOP_WAIT_S = 2.0  # a running job gets this long to stop cleanly before it is killed


def _warm_tokenizer() -> None:
    from models.nlp.tokens import blank_pipeline

    blank_pipeline("en")


class NlpService(QObject):
    """The GUI side: starts the process, forwards requests, tracks the pace."""

    model_loaded = Signal(str, str)  # origin ("spacy:en_core_web_sm@3.8.0"), warning
    model_failed = Signal(str)
    progress = Signal(int, int, str, float)  # done, total, message, seconds left (-1: unknown)
    finished = Signal(object)  # PreannotateReport
    failed = Signal(str)

    def __init__(self, db_path: str, model_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.model_name = model_name
        self.n_process = os.cpu_count() or 1
        self.process: multiprocessing.process.BaseProcess | None = None
        self.origin = ""
        self.busy = False
        self._loaded: tuple[str, str] | None = None  # from the process, until the tokenizer is warm
        self._warming: threading.Thread | None = None
        self._started_at = 0.0
        self._shut_down = False
        self._context = multiprocessing.get_context("spawn")
        self._jobs = self._events = self._cancel = None
        self._timer = QTimer(self)
        self._timer.setInterval(_POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self) -> None:
        if self._shut_down or self.process is not None:
            return
        from storage.preannotate_process import serve  # the process imports this module only

        context = self._context
        self._jobs, self._events, self._cancel = context.Queue(), context.Queue(), context.Event()
        # resolved here, so that the process uses what this window would (tests patch it)
        blank = resolve_model_name(self.model_name) is None
        channels = (self._jobs, self._events, self._cancel)
        args = (self.db_path, self.model_name, blank, *channels, self.n_process)
        self.process = context.Process(target=serve, args=args, name="quire-nlp")
        self.process.start()
        self._warming = threading.Thread(target=_warm_tokenizer, name="quire-tokenizer", daemon=True)
        self._warming.start()
        self._timer.start()

    def preannotate(
        self, doc_ids: list[int] | None = None, claims: bool = True, replace: bool = False
    ) -> bool:
        if self.busy or self._jobs is None:
            return False
        self.busy = True
        self._started_at = time.monotonic()
        self._jobs.put(("run", list(doc_ids or []), claims, replace))
        return True

    def use_model(self, name_or_path: str | None) -> bool:
        """Switch the pipeline for later jobs (``None``: the default); ``False`` while a
        job runs. ``model_loaded`` or ``model_failed`` follows."""
        if self.busy or self._jobs is None:
            return False
        self.origin = ""
        self.model_name = name_or_path or None
        self._jobs.put(("model", self.model_name, resolve_model_name(self.model_name) is None))
        return True

    def cancel(self) -> None:
        """The running job stops after the document in hand (finished batches stay)."""
        if self._cancel is not None:
            self._cancel.set()

    def shutdown(self) -> None:
        """End the process (called when the window closes): at once while the model
        loads; a running job first gets the chance to stop its own workers."""
        self._shut_down = True
        self._timer.stop()
        process = self.process
        if process is None:
            return
        if process.is_alive():
            self.cancel()
            self._jobs.put(None)
            if self.origin:
                process.join(_STOP_WAIT_S)
            if process.is_alive():
                process.terminate()
        process.join()
        for channel in (self._jobs, self._events):
            channel.close()
            channel.cancel_join_thread()

    def _poll(self) -> None:
        while True:
            try:
                message = self._events.get_nowait()
            except (queue.Empty, OSError, ValueError):
                break
            self._handle(*message)
        if self._loaded is not None and not self._warming.is_alive():
            origin, warning = self._loaded
            self._loaded = None
            self.origin = origin
            self.model_loaded.emit(origin, warning)
        if self.process is not None and not self.process.is_alive() and not self._shut_down:
            self._timer.stop()
            if self.busy or not self.origin:
                self.busy = False
                self.failed.emit("The pre-annotation process stopped unexpectedly.")

    def _handle(self, kind: str, *values) -> None:
        if kind == "loaded":
            self._loaded = (values[0], values[1])
        elif kind == "model_failed":
            self.model_failed.emit(values[0])
        elif kind == "progress":
            done, total, message = values
            elapsed = time.monotonic() - self._started_at
            left = elapsed / done * (total - done) if done else -1.0
            self.progress.emit(done, total, message, left)
        elif kind == "finished":
            self.busy = False
            self.finished.emit(values[0])
        elif kind == "failed":
            self.busy = False
            self.failed.emit(values[0])
