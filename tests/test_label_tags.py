"""Label tags and suggestions in the article (issue 13, items 1 and 2), driven through the
real window: what the view paints, read back from the widget."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor

from models.annotation import Span, Status
from tests.gui_helpers import highlighted_ranges

TEXT = "Communication Minister Aline Sawadogo denied it, she told reporters in Ouagadougou."
ORIGIN = "spacy:en_core_web_sm@3.8.0"


def _span(doc_id: int, needle: str, label: str, status: Status = Status.ACCEPTED) -> Span:
    start = TEXT.index(needle)
    origin = "manual" if status == Status.ACCEPTED else ORIGIN
    return Span(doc_id=doc_id, start=start, end=start + len(needle), label=label, text=needle,
                status=status, origin=origin)  # fmt: skip


def _x_of(view, offset: int) -> int:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(offset))
    return view.cursorRect(cursor).x()


def test_each_span_shows_its_label_tag_and_the_view_menu_hides_them(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    person = repo.add_span(_span(doc_id, "Minister Aline Sawadogo", "PERSON"))
    city = repo.add_span(_span(doc_id, "Ouagadougou", "GPE", Status.SUGGESTED))
    window = main_window(repo, doc_id)
    view = window.article.text
    qtbot.waitUntil(lambda: len(view.tags.visible_tags()) == 2)

    tags = {span.id: rect for span, rect in view.tags.visible_tags()}
    after_person = _x_of(view, person.end)
    assert tags[person.id].left() >= after_person - view.tags.metrics.room(person), "the tag follows the span"
    # the painted tag is filled with the label's colour, beside the text (not over it)
    image = view.viewport().grab().toImage()
    inside = tags[person.id].topLeft().toPoint() + QPoint(1, int(tags[person.id].height() // 2))
    assert image.pixelColor(inside).name() == QColor(window.labels.get("PERSON").colour).name()
    # the suggestion's tag says it is one
    assert view.tags.visible_tags()[1][0].id == city.id

    shown_room = _x_of(view, person.end) - _x_of(view, person.end - 1)
    window.tags_action.trigger()  # View -> Label tags
    assert not window.tags_action.isChecked()
    assert view.tags.visible_tags() == []
    assert city.id in view.tags.visible_outlines(), "suggestions stay outlined"
    plain_room = _x_of(view, person.end) - _x_of(view, person.end - 1)
    assert shown_room - plain_room >= view.tags.metrics.room(person) - 1, "the room for the tag is gone"
    assert window.settings.value("view/label_tags", type=bool) is False


def test_suggestion_is_outlined_and_never_hides_accepted_text(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    repo.add_span(_span(doc_id, "Minister Aline Sawadogo", "PERSON"))
    # stored before the rule below existed: an overlapping suggestion inside accepted text
    repo.add_span(_span(doc_id, "Aline Sawadogo", "PERSON", Status.SUGGESTED))
    window = main_window(repo, doc_id)
    view = window.article.text
    person = window.labels.get("PERSON").colour
    assert ("Minister Aline Sawadogo", person) in highlighted_ranges(view), "the accepted fill is whole"

    suggestion = next(s for s in view.index.spans.values() if s.status == Status.SUGGESTED)
    outline = view.tags.visible_outlines()[suggestion.id]
    assert outline, "a suggestion gets a dashed box round its text"
    image = view.viewport().grab().toImage()
    box = outline[0]
    middle = int(box.left() + box.width() / 2)
    edge, inside = (
        image.pixelColor(QPoint(middle, int(box.top()))),
        image.pixelColor(QPoint(middle, int(box.top()) + 3)),
    )
    assert edge.name() != inside.name()


def test_preannotation_makes_no_suggestion_over_accepted_text(repo, make_document):
    doc_id = make_document(TEXT)
    repo.add_span(_span(doc_id, "Minister Aline Sawadogo", "PERSON"))
    counts = repo.apply_suggestion_batch([(doc_id, [
        _span(doc_id, "Aline Sawadogo", "PERSON", Status.SUGGESTED),
        _span(doc_id, "Communication Minister", "ORG", Status.SUGGESTED),
        _span(doc_id, "Ouagadougou", "GPE", Status.SUGGESTED),
    ], [])])  # fmt: skip
    assert counts["spans_added"] == 1 and counts["spans_skipped"] == 2
    suggested = [s.text for s in repo.spans(doc_id) if s.status == Status.SUGGESTED]
    assert suggested == ["Ouagadougou"]


def test_tags_are_painted_from_the_dark_palette_colours(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    person = repo.add_span(_span(doc_id, "Minister Aline Sawadogo", "PERSON"))
    window = main_window(repo, doc_id)
    window.labels.dark = True
    view = window.article.text
    view.viewport().update()
    qtbot.waitUntil(lambda: bool(view.tags.visible_tags()))
    rect = dict((s.id, r) for s, r in view.tags.visible_tags())[person.id]
    image = view.viewport().grab().toImage()
    inside = rect.topLeft().toPoint() + QPoint(1, int(rect.height() // 2))
    assert image.pixelColor(inside).name() == "#9e3a52"
    window.labels.dark = False


def test_click_on_a_tag_selects_its_span(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    person = repo.add_span(_span(doc_id, "Minister Aline Sawadogo", "PERSON"))
    window = main_window(repo, doc_id)
    view = window.article.text
    rect = dict((s.id, r) for s, r in view.tags.visible_tags())[person.id]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.session.selected_span_id == person.id


def test_a_suggestion_wrapped_over_two_lines_gets_a_box_on_each(qtbot, repo, make_document, main_window):
    words = " and ".join(["the long suggested name of a ministry of the interior and public security"] * 4)
    text = "Officials said " + words + " denied it."
    doc_id = make_document(text)
    start = text.index(words)
    one_line = text.index("denied")
    repo.add_span(Span(doc_id=doc_id, start=start, end=start + len(words), label="ORG", text=words,
                       status=Status.SUGGESTED, origin=ORIGIN))  # fmt: skip
    short = repo.add_span(Span(doc_id=doc_id, start=one_line, end=one_line + 6, label="ORG", text="denied",
                               status=Status.SUGGESTED, origin=ORIGIN))  # fmt: skip
    window = main_window(repo, doc_id)
    view = window.article.text
    assert view.fontMetrics().horizontalAdvance(words) > 2 * view.viewport().width(), "the name wraps"
    qtbot.waitUntil(lambda: len(view.tags.visible_outlines()) == 2)
    outlines = view.tags.visible_outlines()
    (wrapped,) = [boxes for span_id, boxes in outlines.items() if span_id != short.id]
    assert len(wrapped) >= 2 and wrapped[0].top() < wrapped[1].top(), "one box per visual line"
    (box,) = outlines[short.id]
    assert abs(box.left() - _x_of(view, one_line)) <= 1 and abs(box.right() - _x_of(view, one_line + 6)) <= 1
