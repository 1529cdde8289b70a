"""Stepping through suggestions keeps the selected span in view and scrolls seldom: a span
out of view comes to the middle of the article and of the entity table (each scroll
repaints the whole view), a span in view moves neither."""

from __future__ import annotations

from PySide6.QtCore import Qt

from models.annotation import Span, Status

LINES = 300
TEXT = "".join(f"Line {n}: officials in Kyiv said rockets hit the base.\n" for n in range(LINES))


def test_next_scrolls_only_for_a_span_out_of_view_and_then_to_the_middle(
    qtbot, repo, make_document, main_window
):
    doc_id = make_document(TEXT)
    starts = [TEXT.index("Kyiv", TEXT.index(f"Line {n}:")) for n in range(LINES)]
    suggested = [Span(doc_id=doc_id, start=s, end=s + 4, label="GPE", text="Kyiv", status=Status.SUGGESTED,
                      origin="spacy:test@1") for s in starts]  # fmt: skip
    repo.apply_suggestions(doc_id, suggested)
    window = main_window(repo, doc_id)
    view, table = window.article.text, window.entity_panel.table
    view.setFocus()
    text_scrolls, table_scrolls = 0, 0  # presses that moved the view
    height, rows_height = view.viewport().height(), table.viewport().height()
    presses = 120
    for _ in range(presses):
        before = view.verticalScrollBar().value(), table.verticalScrollBar().value()
        qtbot.keyClick(view, Qt.Key.Key_J)
        span = window.session.selected_span
        rect = view.cursorRect(view.textCursor())
        assert 0 <= rect.top() and rect.bottom() <= height, "the selected span is in view"
        assert view.textCursor().position() == span.start
        if view.verticalScrollBar().value() != before[0]:
            text_scrolls += 1
            assert height / 4 < rect.center().y() < 3 * height / 4, "scrolled to the middle"
        row = table.visualRect(window.entity_panel.proxy.mapFromSource(
            window.entity_panel.model.index(window.entity_panel.model.row_of(span.id), 0)))  # fmt: skip
        assert 0 <= row.top() and row.bottom() <= rows_height
        if table.verticalScrollBar().value() != before[1]:
            table_scrolls += 1
            assert rows_height / 4 < row.center().y() < 3 * rows_height / 4
    assert window.session.selected_span.start == starts[presses - 1]
    lines_shown = height // view.fontMetrics().lineSpacing()
    assert 0 < text_scrolls <= 2 * presses // lines_shown + 1, "about one scroll a half page"
    assert 0 < table_scrolls < presses // 4
