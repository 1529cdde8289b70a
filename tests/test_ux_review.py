"""Issue 13, items 3 and 4 through the real window (search hits unlike claim marks, word
prefixes; marking done with suggestions left), and the palette and overlap rules behind
items 1 and 2."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.claim_panel import PART_FORMATS
from models.annotation import Claim, RangeSet, Span, Status
from models.corpus import word_prefixes
from models.document import DocStatus
from models.labels import LabelSet, darkened
from models.resources import default_labels

TEXT = "Around ten missiles were fired on Saturday; one missile hit the base, officials said."


def _hits(window) -> list[tuple[str, str]]:
    """(text, background) of the search marks the article shows."""
    marks = window.article.text._marks.get("search", [])
    return [(s.cursor.selectedText(), s.format.background().color().name()) for s in marks]


def test_search_marks_every_word_it_matched_in_a_colour_no_claim_part_uses(qtbot, repo, make_document,
                                                                            main_window):  # fmt: skip
    doc_id = make_document(TEXT, title="Missile fire")
    make_document("Nothing to see here.", title="Other")
    window = main_window(repo, doc_id)
    box = window.corpus.filters.search
    box.setFocus()
    qtbot.keyClicks(box, "missile")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.documents.rowCount() == 1
    hits = _hits(window)
    assert [text for text, _ in hits] == ["missiles", "missile"]
    claim_colours = {fmt.background().color().name() for fmt in PART_FORMATS.values()}
    label_colours = {label.colour for label in window.labels}
    assert hits[0][1] not in claim_colours | label_colours


def test_word_prefixes_leave_phrases_operators_and_columns_alone():
    assert word_prefixes("missile") == "missile*"
    query = 'missile AND "air base" OR title: rocket'
    assert word_prefixes(query) == 'missile* AND "air base" OR title: rocket*'
    assert word_prefixes("prot* covid-19 NOT gas") == "prot* covid-19 NOT gas*"
    assert word_prefixes("EU oil") == "EU oil*", "two letters stay exact"
    assert word_prefixes("") == ""


def _with_suggestion(repo, make_document) -> int:
    doc_id = make_document(TEXT, title="First")
    make_document("A second article about Oslo.", title="Second")
    start = TEXT.index("Saturday")
    repo.add_span(Span(doc_id=doc_id, start=start, end=start + 8, label="DATE", text="Saturday",
                       status=Status.SUGGESTED, origin="spacy:x@1"))  # fmt: skip
    return doc_id


def _answer(qtbot, window, button_text: str) -> None:
    qtbot.waitUntil(lambda: window.corpus.done_question is not None)
    box: QMessageBox = window.corpus.done_question
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "1 entity suggestion in this document is not reviewed yet."
    assert "exported as not entities" in box.informativeText()
    button = next(b for b in box.buttons() if b.text() == button_text)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_ctrl_enter_with_suggestions_left_asks_first(qtbot, repo, make_document, main_window):
    doc_id = _with_suggestion(repo, make_document)
    window = main_window(repo, doc_id)
    text = window.article.text
    text.setFocus()
    qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _answer(qtbot, window, "Keep reviewing")
    assert repo.document(doc_id).status != DocStatus.DONE
    assert window.session.document.id == doc_id
    assert "Not marked done" in window.status_message.text()

    qtbot.keyClick(text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    _answer(qtbot, window, "Mark done anyway")
    assert repo.document(doc_id).status == DocStatus.DONE
    assert window.session.document.title == "Second"


def test_the_mark_done_question_counts_claim_suggestions_as_claims(qtbot, repo, make_document, main_window):
    """A newcomer read "3 suggestion(s) ... would be exported as not entities" when two of
    them were claims: the question counts each kind and says what happens to each."""
    doc_id = _with_suggestion(repo, make_document)
    content = TEXT.index("one missile hit the base")
    said = TEXT.index("said")
    claims = [
        Claim(
            doc_id=doc_id, content_start=content, content_end=content + 24, cue_start=said, cue_end=said + 4
        ),
        Claim(doc_id=doc_id, content_start=0, content_end=18),
    ]
    repo.apply_suggestions(doc_id, [], claims)
    window = main_window(repo, doc_id)
    qtbot.keyClick(window.article.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.corpus.done_question is not None)
    box: QMessageBox = window.corpus.done_question
    assert box.text() == "1 entity suggestion and 2 claim suggestions in this document are not reviewed yet."
    assert "exported as not entities" in box.informativeText()
    assert "unreviewed claim suggestions are left out of the claims export" in box.informativeText()
    qtbot.mouseClick(
        next(b for b in box.buttons() if b.text() == "Keep reviewing"), Qt.MouseButton.LeftButton
    )
    assert repo.document(doc_id).status != DocStatus.DONE


def test_ctrl_enter_without_suggestions_marks_done_at_once(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT, title="First")
    make_document("A second article.", title="Second")
    window = main_window(repo, doc_id)
    qtbot.keyClick(window.article.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.corpus.done_question is None
    assert QApplication.activeModalWidget() is None
    assert repo.document(doc_id).status == DocStatus.DONE


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_default_palette_is_readable_on_light_and_dark_and_every_label_differs():
    labels = default_labels()
    for label in labels:
        assert _contrast(label.colour, "#000000") >= 4.5, label.name
        assert label.dark_colour and _contrast(label.dark_colour, "#ffffff") >= 4.5, label.name
    colours = [label.colour for label in labels]
    assert len(set(colours)) == len(colours) == 9
    gpe, loc = _luminance(labels.get("GPE").colour), _luminance(labels.get("LOC").colour)
    assert abs(gpe - loc) > 0.2, "GPE and LOC differ in lightness too (not only hue)"


def test_label_set_switches_to_dark_colours():
    labels = default_labels()
    assert labels.get("PERSON").colour == "#ffaabb"
    labels.dark = True
    assert labels.get("PERSON").colour == "#9e3a52"
    assert labels.by_key(1).colour == "#9e3a52"
    unknown = labels.get("PRODUCT").colour
    labels.dark = False
    assert unknown == darkened(labels.get("PRODUCT").colour)
    assert LabelSet([]).get("X").colour.startswith("#")


def test_range_set_overlaps():
    ranges = RangeSet([(10, 30), (12, 14), (50, 60)])
    assert ranges.overlaps(20, 25) and ranges.overlaps(29, 40) and ranges.overlaps(0, 11)
    assert not ranges.overlaps(30, 50) and not ranges.overlaps(0, 10) and not ranges.overlaps(60, 99)
    assert not RangeSet().overlaps(0, 5)
