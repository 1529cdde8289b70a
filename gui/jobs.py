"""One-off background jobs (import, export): a function that takes ``progress(done,
total, message)`` and ``cancelled()`` runs in its own QThread; its result or its one-line
failure comes back by signal. The function must open its own database connection and
never touch a widget."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.threads import start_thread

JobFunction = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Runner(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, function: JobFunction, expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.function = function
        self.expected = expected
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            result = self.function(self.progress.emit, self.cancel_event.is_set)
        except self.expected as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported in the GUI, never a silent death
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


class BackgroundJob(QObject):
    """Start with ``start()``; ``cancel()`` asks the function to stop; ``wait()`` joins."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal()  # after finished or failed, once the thread has stopped

    def __init__(self, function: JobFunction, expected: tuple[type[BaseException], ...] = (),
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("quire-job")
        self.runner = _Runner(function, expected)
        self.runner.moveToThread(self.thread)
        self.thread.started.connect(self.runner.run)
        self.runner.progress.connect(self.progress)
        self.runner.finished.connect(self._finish)
        self.runner.failed.connect(self._fail)
        self.thread.finished.connect(self.done)

    def start(self) -> None:
        start_thread(self.thread)

    def cancel(self) -> None:
        self.runner.cancel_event.set()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def wait(self) -> None:
        self.cancel()
        self.thread.quit()
        self.thread.wait()

    def _finish(self, result: object) -> None:
        self.thread.quit()
        self.thread.wait()
        self.finished.emit(result)

    def _fail(self, message: str) -> None:
        self.thread.quit()
        self.thread.wait()
        self.failed.emit(message)
