"""Driving the article view as a user does: clicks at character positions."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor


def point_of(view, offset: int) -> QPoint:
    """Viewport point in the middle of the character at code-point ``offset``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_qt(offset + 1))
    right = view.cursorRect(cursor)
    x = (left.x() + right.x()) // 2 if right.y() == left.y() else left.x() + 2
    return QPoint(x, left.center().y())


def edge_point(view, offset: int) -> QPoint:
    """Viewport point on the caret position just before ``offset``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


def drag_select(qtbot, view, start: int, end: int) -> None:
    """Select ``[start, end)`` with a click and a shift-click, as with the mouse."""
    view.ensure_visible(start)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=edge_point(view, start))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     pos=edge_point(view, end))  # fmt: skip


def click_offset(qtbot, view, offset: int) -> None:
    view.ensure_visible(offset)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(view, offset))


def highlighted_ranges(view) -> list[tuple[str, str]]:
    """What the screen shows: (text, background colour) of each formatted range, read
    from the text layout the highlighter filled, converted back to Python strings."""
    shown = []
    block = view.document().begin()
    while block.isValid():
        text = block.text()
        runs: list[tuple[int, int, str]] = []  # adjacent ranges of one colour are one run
        for fmt_range in sorted(block.layout().formats(), key=lambda r: r.start):
            brush = fmt_range.format.background()
            if brush.style() == Qt.BrushStyle.NoBrush:
                continue
            start, end, colour = fmt_range.start, fmt_range.start + fmt_range.length, brush.color().name()
            if runs and runs[-1][1] == start and runs[-1][2] == colour:
                start = runs.pop()[0]
            runs.append((start, end, colour))
        units = text.encode("utf-16-le")
        shown += [(units[2 * start : 2 * end].decode("utf-16-le"), colour) for start, end, colour in runs]
        block = block.next()
    return shown
