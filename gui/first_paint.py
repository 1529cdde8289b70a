"""Work that can wait until a widget is on screen: ``after_first_paint(widget, action)``
runs ``action`` once, on the event loop's turn after ``widget`` first paints. Start-up
uses it so that the window paints before the spaCy process, the integrity check and the
source list's query compete with it for the two cores and the GIL."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, action: Callable[[], object]) -> None:
        super().__init__(widget)
        self.action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.action)
        return False


def after_first_paint(widget: QWidget, action: Callable[[], object]) -> None:
    """Run ``action`` once, after ``widget``'s next paint event (its first, when called
    before it is shown); never, if it is never painted."""
    _FirstPaint(widget, action)
