"""Clicking any part of a letter written with a combining mark (NFD "ö" = "o" + U+0308)
selects the span it belongs to, as it does for the precomposed letter (issue 9, item 13)."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from models.annotation import Span


def _points_across(view, start: int, end: int) -> list[QPoint]:
    """Points at a quarter, half and three quarters of the box of code points [start, end)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(start))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_qt(end))
    right = view.cursorRect(cursor)
    low, high = sorted((left.x(), right.x()))
    return [QPoint(low + (high - low) * k // 4, left.center().y()) for k in (1, 2, 3)]


@pytest.mark.parametrize("form", ["NFD", "NFC"])
def test_every_part_of_the_last_letter_of_a_span_selects_it(qtbot, repo, make_document, main_window, form):
    name = unicodedata.normalize(form, "Malmö")
    text = f"Talks in {name} ended."
    doc_id = make_document(text)
    start = text.index(name)
    span = repo.add_span(Span(doc_id, start, start + len(name), "GPE", name))
    window = main_window(repo, doc_id)
    view = window.article.text
    last = start + len(unicodedata.normalize(form, "Malm"))  # where "ö" begins
    for point in _points_across(view, last, start + len(name)):
        view.span_clicked.emit(None)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert window.session.selected_span_id == span.id, f"a click at x={point.x()} in 'ö' ({form})"
