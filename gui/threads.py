"""Every QThread Quire starts goes through ``start_thread`` so that the test suite (and
shutdown) can see which are still running."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QThread

_STARTED: weakref.WeakSet[QThread] = weakref.WeakSet()


def start_thread(thread: QThread, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
    _STARTED.add(thread)
    thread.start(priority)


def running_threads() -> list[QThread]:
    return [thread for thread in list(_STARTED) if thread.isRunning()]
