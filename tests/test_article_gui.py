"""The foundation slice through the real widgets: select, label, undo, redo, relabel,
delete, click, overlap, emoji. Every assertion reads the database or the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from gui.span_model import SpanTableModel
from models.annotation import Span, Status
from storage.repository import Repository
from tests.gui_helpers import click_offset, drag_select, highlighted_ranges

TEXT = (
    "Khalid al-Mansouri met Maria Lopez in Baghdad on Saturday.\n\n"
    "The Ain al-Assad base was targeted by 15 rockets, officials said."
)


def _offsets(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_select_press_1_undo_redo_persist(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    window = main_window(repo, doc_id)
    view = window.article.text
    start, end = _offsets(TEXT, "Maria Lopez")
    drag_select(qtbot, view, start + 2, end - 3)  # a sloppy selection: "ria Lo"
    qtbot.keyClick(view, Qt.Key.Key_1)

    spans = repo.spans(doc_id)
    assert [(s.start, s.end, s.label, s.text) for s in spans] == [(start, end, "PERSON", "Maria Lopez")]
    assert spans[0].status == Status.ACCEPTED and spans[0].origin == "manual"
    assert spans[0].annotator == "tester"

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.spans(doc_id) == []
    assert window.entity_panel.model.rowCount() == 0

    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    restored = repo.spans(doc_id)
    assert [(s.id, s.start, s.end, s.label) for s in restored] == [(spans[0].id, start, end, "PERSON")]
    assert ("Maria Lopez", "#ffaabb") in highlighted_ranges(view)


def test_relabel_in_panel_combo_persists_and_reopens(qtbot, tmp_path, make_document, repo, main_window):
    doc_id = make_document(TEXT)
    start, end = _offsets(TEXT, "Baghdad")
    repo.add_span(Span(doc_id=doc_id, start=start, end=end, label="LOC", text="Baghdad"))
    window = main_window(repo, doc_id)
    table = window.entity_panel.table
    index = window.entity_panel.proxy.index(0, SpanTableModel.LABEL)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = table.findChild(QComboBox)
    assert combo is not None, "F2 opens the label combo box"
    combo.setCurrentIndex(combo.findText("GPE"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: repo.spans(doc_id)[0].label == "GPE")
    assert window.entity_panel.model.record_at(0).label == "GPE"

    reopened = Repository(repo.path)
    assert [(s.start, s.end, s.label, s.text) for s in reopened.spans(doc_id)] == [
        (start, end, "GPE", "Baghdad")
    ]
    reopened.close()


def test_emoji_before_span_highlight_matches_stored_text(qtbot, repo, make_document, main_window):
    text = "Protesters posted 🚀🔥 before Ahmed Salah (أحمد صلاح) spoke in Cairo 🙏 on Monday."
    doc_id = make_document(text)
    window = main_window(repo, doc_id)
    view = window.article.text
    for needle, key in (("Ahmed Salah", Qt.Key.Key_1), ("Cairo", Qt.Key.Key_3), ("Monday", Qt.Key.Key_8)):
        start, end = _offsets(text, needle)
        drag_select(qtbot, view, start, end)
        qtbot.keyClick(view, key)
    stored = {s.text for s in repo.spans(doc_id)}
    assert stored == {"Ahmed Salah", "Cairo", "Monday"}
    shown = {shown_text for shown_text, _colour in highlighted_ranges(view)}
    assert shown == stored


def test_click_selects_span_delete_key_removes_number_relabels(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    start, end = _offsets(TEXT, "Ain al-Assad base")
    span = repo.add_span(Span(doc_id=doc_id, start=start, end=end, label="ORG", text="Ain al-Assad base"))
    window = main_window(repo, doc_id)
    view = window.article.text
    click_offset(qtbot, view, start + 3)
    assert window.session.selected_span_id == span.id
    assert window.entity_panel.current_span_id() == span.id, "the panel row follows"

    qtbot.keyClick(view, Qt.Key.Key_5)
    assert repo.span(span.id).label == "FAC"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert repo.spans(doc_id) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.span(span.id).label == "FAC"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.span(span.id).label == "ORG"


def test_overlapping_spans_stay_visible_and_selectable(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    outer = repo.add_span(Span(doc_id=doc_id, start=0, end=18, label="PERSON", text="Khalid al-Mansouri"))
    inner = repo.add_span(Span(doc_id=doc_id, start=7, end=18, label="ORG", text="al-Mansouri"))
    start, end = _offsets(TEXT, "Baghdad")  # in the same block, overlapping nothing
    repo.add_span(Span(doc_id=doc_id, start=start, end=end, label="GPE", text="Baghdad"))
    window = main_window(repo, doc_id)
    view = window.article.text
    shown = highlighted_ranges(view)
    assert ("Khalid ", "#ffaabb") in shown, "the outer span keeps its colour where alone"
    assert ("al-Mansouri", "#77aadd") in shown, "the inner span is filled where they overlap"
    assert ("Baghdad", window.labels.get("GPE").colour) in shown
    assert len(shown) == 3
    click_offset(qtbot, view, 9)
    first = window.session.selected_span_id
    click_offset(qtbot, view, 9)
    second = window.session.selected_span_id
    assert {first, second} == {outer.id, inner.id}


def test_panel_row_selection_marks_span_and_delete_key(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    start, end = _offsets(TEXT, "Saturday")
    span = repo.add_span(Span(doc_id=doc_id, start=start, end=end, label="DATE", text="Saturday"))
    window = main_window(repo, doc_id)
    table = window.entity_panel.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.entity_panel.proxy.index(0, 0)).center())  # fmt: skip
    assert window.session.selected_span_id == span.id
    assert window.article.text.selected_span_id == span.id
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert repo.spans(doc_id) == []


def test_selection_of_only_spaces_is_refused_with_message(qtbot, repo, make_document, main_window):
    doc_id = make_document("Alpha   beta")
    window = main_window(repo, doc_id)
    view = window.article.text
    drag_select(qtbot, view, 6, 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert repo.spans(doc_id) == []
    assert "no token" in window.status_message.text()


def test_context_menu_offers_labels_and_more(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    window = main_window(repo, doc_id)
    view = window.article.text
    start, end = _offsets(TEXT, "Baghdad")
    drag_select(qtbot, view, start, end)
    menu = view.build_context_menu(view.viewport().rect().center())
    label_menu = menu.actions()[0].menu()
    names = [a.text() for a in label_menu.actions()]
    assert "WEAPON" in names and "More labels" in names
    more = next(a for a in label_menu.actions() if a.text() == "More labels").menu()
    next(a for a in more.actions() if a.text() == "MONEY").trigger()
    assert [(s.label, s.text) for s in repo.spans(doc_id)] == [("MONEY", "Baghdad")]


def _quarter_points(view, offset: int):
    """Points a quarter in from each side of the character at ``offset`` (either text
    direction)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    a = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_qt(offset + 1))
    b = view.cursorRect(cursor)
    low, high = sorted((a.x(), b.x()))
    quarter = max(1, (high - low) // 4)
    return [QPoint(low + quarter, a.center().y()), QPoint(high - quarter, a.center().y())]


def test_every_part_of_every_letter_of_a_right_to_left_span_selects_it(
    qtbot, repo, make_document, main_window
):
    text = "قال مسؤولون في بغداد إن الوضع هادئ"
    doc_id = make_document(text)
    start = text.index("بغداد")
    span = repo.add_span(Span(doc_id=doc_id, start=start, end=start + 5, label="GPE", text="بغداد"))
    window = main_window(repo, doc_id)
    view = window.article.text
    misses = [
        offset
        for offset in range(start, start + 5)
        for point in _quarter_points(view, offset)
        if span.id not in [s.id for s in view.spans_at_point(point)]
    ]
    assert misses == []
