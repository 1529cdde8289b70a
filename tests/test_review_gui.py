"""Reviewing spaCy's suggestions from the keyboard, and pre-annotation in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui.preannotate_ui import install_preannotation
from models.annotation import Span, Status
from tests.gui_helpers import point_of

TEXT = "Iraqi officials said rockets hit the Ain al-Assad base in Anbar on Saturday, Reuters reported."
ORIGIN = "spacy:en_core_web_sm@3.8.0"


def suggest(repo, doc_id, needle, label):
    start = TEXT.index(needle)
    span = Span(doc_id=doc_id, start=start, end=start + len(needle), label=label, text=needle,
                status=Status.SUGGESTED, origin=ORIGIN)  # fmt: skip
    repo.apply_suggestions(doc_id, [span])
    return next(s for s in repo.spans(doc_id) if s.key == span.key)


@pytest.fixture
def reviewed(repo, make_document, main_window):
    doc_id = make_document(TEXT)
    spans = [
        suggest(repo, doc_id, "Iraqi", "NORP"),
        suggest(repo, doc_id, "Ain al-Assad", "PERSON"),
        suggest(repo, doc_id, "Anbar", "GPE"),
        suggest(repo, doc_id, "Saturday", "DATE"),
    ]
    window = main_window(repo, doc_id)
    window.article.text.setFocus()
    return window, doc_id, spans


def status_of(repo, span_id):
    span = repo.span(span_id)
    return span.status, span.label, span.text


def test_keys_accept_reject_relabel_and_undo(qtbot, repo, reviewed):
    window, doc_id, (iraqi, ain, anbar, saturday) = reviewed
    view = window.article.text
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert window.session.selected_span_id == iraqi.id
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert status_of(repo, iraqi.id) == (Status.ACCEPTED, "NORP", "Iraqi")
    assert window.session.selected_span_id == ain.id, "accept moves on to the next suggestion"
    qtbot.keyClick(view, Qt.Key.Key_5)  # relabel as FAC accepts
    assert status_of(repo, ain.id) == (Status.ACCEPTED, "FAC", "Ain al-Assad")
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert window.session.selected_span_id == anbar.id
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert status_of(repo, anbar.id)[0] == Status.REJECTED
    assert window.session.selected_span_id == saturday.id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert status_of(repo, saturday.id)[0] == Status.ACCEPTED

    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [repo.span(s.id).status for s in (iraqi, ain, anbar, saturday)] == [Status.SUGGESTED] * 4
    assert repo.span(ain.id).label == "PERSON"


def test_widen_and_narrow_to_token_boundaries(qtbot, repo, reviewed):
    window, doc_id, (iraqi, ain, anbar, saturday) = reviewed
    view = window.article.text
    window.session.select_span(ain.id)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert status_of(repo, ain.id) == (Status.ACCEPTED, "PERSON", "Ain al-Assad base")
    qtbot.keyClick(
        view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert repo.span(ain.id).text == "the Ain al-Assad base"
    qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert repo.span(ain.id).text == "Ain al-Assad"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert repo.span(ain.id).text == "Ain al-Assad base"


def test_accept_all_is_one_undoable_step(qtbot, repo, reviewed):
    window, doc_id, spans = reviewed
    qtbot.keyClick(
        window.article.text,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert {s.status for s in repo.spans(doc_id)} == {Status.ACCEPTED}
    assert "0 suggested, 4 accepted" in window.entity_panel.counts.text()
    qtbot.keyClick(window.article.text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert {s.status for s in repo.spans(doc_id)} == {Status.SUGGESTED}


def test_review_keys_work_in_the_entity_table(qtbot, repo, reviewed):
    window, doc_id, (iraqi, ain, *_rest) = reviewed
    table = window.entity_panel.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(window.entity_panel.proxy.index(0, 0)).center())  # fmt: skip
    assert window.session.selected_span_id == iraqi.id
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.session.selected_span_id == ain.id
    assert window.entity_panel.current_span_id() == ain.id, "the row follows"
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert repo.span(ain.id).status == Status.REJECTED
    qtbot.keyClick(table, Qt.Key.Key_3)
    assert repo.span(window.session.selected_span_id).label == "GPE"


def test_panel_filters_by_status_and_label_with_counts(qtbot, repo, reviewed):
    window, doc_id, (iraqi, *_rest) = reviewed
    window.session.select_span(iraqi.id)
    qtbot.keyClick(window.article.text, Qt.Key.Key_A)
    panel = window.entity_panel
    assert panel.counts.text() == "4 spans: 3 suggested, 1 accepted, 0 rejected"
    panel.status_filter.setCurrentText("suggested")
    assert panel.proxy.rowCount() == 3
    panel.label_filter.setCurrentText("DATE")
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, 0).data() == "Saturday"


def test_suggestions_are_drawn_unlike_accepted_spans_with_origin_tooltip(qtbot, repo, reviewed):
    window, doc_id, (iraqi, ain, *_rest) = reviewed
    window.session.select_span(iraqi.id)
    qtbot.keyClick(window.article.text, Qt.Key.Key_A)
    view = window.article.text
    style_at = {}  # position in the first block -> fill style
    block = view.document().begin()
    for fmt_range in block.layout().formats():
        for position in range(fmt_range.start, fmt_range.start + fmt_range.length):
            style_at[position] = fmt_range.format.background().style()
    for name, style in (("Iraqi", Qt.BrushStyle.SolidPattern), ("Ain al-Assad", Qt.BrushStyle.BDiagPattern)):
        start = TEXT.index(name)
        assert {style_at.get(p) for p in range(start, start + len(name))} == {style}, name
    tip = view.tooltip_at(point_of(view, TEXT.index("Ain") + 1))
    assert "PERSON" in tip and "suggested" in tip and ORIGIN in tip


def test_preannotate_document_in_the_window_keeps_selection(qtbot, repo, make_document, main_window):
    text = ("France and Germany agreed on Monday to send aid to Ukraine, officials in Berlin said.\n\n"
            "Emmanuel Macron spoke in Paris.")  # fmt: skip
    doc_id = make_document(text)
    manual = repo.add_span(Span(doc_id=doc_id, start=text.index("Berlin"), end=text.index("Berlin") + 6,
                                label="GPE", text="Berlin"))  # fmt: skip
    window = main_window(repo, doc_id)
    window.session.select_span(manual.id)
    feature = install_preannotation(window)
    with qtbot.waitSignal(feature.service.model_loaded, timeout=60_000):
        feature.start()
    assert "en_core_web_sm" in feature.model_label.text()
    assert feature.document_action.isEnabled()
    with qtbot.waitSignal(feature.service.finished, timeout=60_000):
        feature.document_action.trigger()
        assert feature.progress.isVisible()
    suggested = {(s.text, s.label) for s in repo.spans(doc_id, Status.SUGGESTED)}
    assert ("France", "GPE") in suggested and ("Ukraine", "GPE") in suggested
    assert all(s.origin.startswith("spacy:en_core_web_sm") for s in repo.spans(doc_id, Status.SUGGESTED))
    shown = {s.text for s in window.entity_panel.model.records()}
    assert "France" in shown, "the open document refreshed"
    assert window.session.selected_span_id == manual.id, "the selection survived the refresh"
    assert not feature.progress.isVisible()
    assert "pre-annotated 1 of 1" in window.status_message.text()
    window.close()
    assert not feature.service.process.is_alive()


def test_blank_model_fallback_warns_and_manual_work_goes_on(
    qtbot, repo, make_document, main_window, monkeypatch
):
    import models.nlp.loading as loading

    monkeypatch.setattr(loading, "is_installed", lambda name: False)
    doc_id = make_document(TEXT)
    window = main_window(repo, doc_id)
    feature = install_preannotation(window)
    with qtbot.waitSignal(feature.service.model_loaded, timeout=60_000):
        feature.start()
    assert "manual only" in feature.model_label.text()
    assert "No trained spaCy model" in window.status_message.text()
    assert not feature.corpus_action.isEnabled()
    from tests.gui_helpers import drag_select

    start = TEXT.index("Reuters")
    drag_select(qtbot, window.article.text, start, start + 7)
    qtbot.keyClick(window.article.text, Qt.Key.Key_2)
    assert [(s.text, s.label) for s in repo.spans(doc_id)] == [("Reuters", "ORG")]
    window.close()
