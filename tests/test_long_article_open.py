"""A long article opens a part at a time (issue 12): its start shows at once with its
spans, the rest follows as the event loop turns, and every review key means what it
means in a short article, also for spans not loaded yet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from gui.offsets import OffsetMap
from gui.session import FIRST_PART
from models.annotation import Span, Status
from models.document import Document
from tests.gui_helpers import drag_select, highlighted_ranges

LINES = 3000
TEXT = "".join(f"Paragraph {n}: officials in Kyiv said rockets hit the base.\n" for n in range(LINES))
ORIGIN = "spacy:test@1"


def kyiv(doc_id: int, line: int, status: Status = Status.SUGGESTED) -> Span:
    start = TEXT.index("Kyiv", TEXT.index(f"Paragraph {line}:"))
    return Span(doc_id=doc_id, start=start, end=start + 4, label="GPE", text="Kyiv", status=status,
                origin=ORIGIN)  # fmt: skip


def suggest(repo, doc_id: int, lines: list[int]) -> list[Span]:
    repo.apply_suggestions(doc_id, [kyiv(doc_id, n) for n in lines])
    return repo.spans(doc_id)


def test_the_start_shows_at_once_and_the_rest_follows(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    spans = suggest(repo, doc_id, list(range(0, LINES, 10)))
    window = main_window(repo, doc_id)
    session, view, table = window.session, window.article.text, window.entity_panel.model
    assert len(TEXT) > 4 * FIRST_PART
    assert not session.fully_loaded
    assert view.document().characterCount() - 1 == session.loaded_to < len(TEXT)
    colour = QColor(window.labels.get("GPE").colour).darker(115).name()  # a suggestion's hatching
    assert highlighted_ranges(view)[0] == ("Kyiv", colour), "the spans on screen are coloured"
    assert table.rowCount() == sum(s.start < session.loaded_to for s in spans)
    assert session.suggestions_left() == len(spans), "counted, loaded or not"

    qtbot.waitUntil(lambda: session.fully_loaded)
    assert view.document().toPlainText() == TEXT
    assert [table.record_at(row).id for row in range(table.rowCount())] == [s.id for s in spans]
    n = len(spans)
    assert window.entity_panel.counts.text() == f"{n} spans: {n} suggested, 0 accepted, 0 rejected"
    session.select_span(spans[-1].id)
    assert [s.id for s in view.visible_spans()][-1] == spans[-1].id, "scrolled to the end"
    assert ("Kyiv", colour) in highlighted_ranges(view)


def test_next_and_accept_reach_suggestions_not_loaded_yet(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    first, second, third = suggest(repo, doc_id, [2990, 2991, 2995])
    window = main_window(repo, doc_id)
    session, view = window.session, window.article.text
    view.setFocus()
    assert not session.fully_loaded and session.loaded_to < first.start
    assert session.suggestions_left() == 3
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert session.selected_span_id == first.id
    assert window.entity_panel.current_span_id() == first.id
    assert first.id in [s.id for s in view.visible_spans()], "scrolled to it"
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert repo.span(first.id).status == Status.ACCEPTED
    assert session.selected_span_id == second.id
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert repo.span(second.id).status == Status.REJECTED
    assert session.selected_span_id == third.id
    assert session.suggestions_left() == 1
    qtbot.waitUntil(lambda: session.fully_loaded)
    assert window.entity_panel.model.rowCount() == 3


def test_previous_from_the_first_suggestion_wraps_to_the_last(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    first, last = suggest(repo, doc_id, [1, 2999])
    window = main_window(repo, doc_id)
    view = window.article.text
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert window.session.selected_span_id == first.id
    assert not window.session.fully_loaded
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert window.session.selected_span_id == last.id


def test_undo_in_a_part_not_loaded_yet_leaves_one_row_per_span(qtbot, repo, make_document, main_window):
    other = make_document("Rockets hit the base.", title="Another article")
    doc_id = make_document(TEXT)
    spans = suggest(repo, doc_id, [2980, 2999])
    window = main_window(repo, doc_id)
    session, view = window.session, window.article.text
    qtbot.waitUntil(lambda: session.fully_loaded)
    start = TEXT.index("rockets", TEXT.index("Paragraph 2990:"))
    drag_select(qtbot, view, start, start + len("rockets"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    added = next(s for s in repo.spans(doc_id) if s.label == "ORG")
    window.open_document(other)
    window.open_document(doc_id)
    assert not session.fully_loaded and session.loaded_to < start
    window.undo_action.trigger()
    assert [s.id for s in repo.spans(doc_id)] == [s.id for s in spans]
    assert added.id not in session.spans and added.id not in view.index.spans
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: session.fully_loaded)
    table = window.entity_panel.model
    rows = sorted(table.record_at(row).id for row in range(table.rowCount()))
    assert rows == sorted(s.id for s in repo.spans(doc_id)) == sorted([*(s.id for s in spans), added.id])
    assert session.suggestions_left() == 2


def test_accept_all_accepts_the_suggestions_not_loaded_yet(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    spans = suggest(repo, doc_id, [5, 1500, 2999])
    window = main_window(repo, doc_id)
    assert not window.session.fully_loaded
    assert window.session.accept_all_suggestions() == 3
    assert {repo.span(s.id).status for s in spans} == {Status.ACCEPTED}
    assert window.session.suggestions_left() == 0


def test_the_count_line_changes_without_a_layout_pass(qtbot, repo, make_document, main_window):
    window = main_window(repo, make_document("Rockets hit the base."))
    panel = window.entity_panel

    class LayoutRequests(QObject):
        seen = 0

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
            self.seen += event.type() == QEvent.Type.LayoutRequest
            return False

    requests = LayoutRequests()
    panel.installEventFilter(requests)
    panel.counts.setText("1 spans: 0 suggested, 1 accepted, 0 rejected")
    QApplication.processEvents()
    assert panel.counts.text() == "1 spans: 0 suggested, 1 accepted, 0 rejected"
    assert requests.seen == 0


def test_offsets_mapped_a_part_at_a_time_equal_the_whole():
    text = ("Rockets 🚀 hit\r\nthe base.\n" * 50) + ("Plain line.\n" * 20) + "End 🙂."
    whole = OffsetMap(text)
    parts = OffsetMap(text, 7)
    for end in range(7, len(text) + 1, 37):
        parts.extend(end)
        assert [parts.to_qt(i) for i in range(end)] == [whole.to_qt(i) for i in range(end)]
        qt_end = whole.to_qt(end - 1)
        assert [parts.from_qt(p) for p in range(qt_end)] == [whole.from_qt(p) for p in range(qt_end)]
    ascii_text = "Plain.\n" * 10
    assert OffsetMap(ascii_text, 5).to_qt(40) == 40


def test_a_document_within_the_first_part_opens_whole(repo, make_document, main_window):
    doc_id = make_document(TEXT[:FIRST_PART])
    window = main_window(repo, doc_id)
    assert window.session.fully_loaded
    assert repo.document(doc_id) == Document(id=doc_id, title="Test article", text=TEXT[:FIRST_PART])


def test_the_end_of_a_part_on_screen_is_coloured_once_the_next_part_comes(
    qtbot, repo, make_document, main_window
):
    doc_id = make_document(TEXT)
    suggest(repo, doc_id, list(range(LINES)))
    window = main_window(repo, doc_id)
    view = window.article.text
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the end of the first part, formatted while it is empty
    last = view.document().blockCount() - 1
    assert last in view.highlighter.formatted and not window.session.fully_loaded
    qtbot.waitUntil(lambda: window.session.fully_loaded)
    block = view.document().findBlockByNumber(last)
    line = TEXT[block.position() : block.position() + block.length() - 1]
    fills = [f for f in block.layout().formats() if f.format.background().style() != Qt.BrushStyle.NoBrush]
    assert "".join(line[f.start : f.start + f.length] for f in fills) == "Kyiv"
