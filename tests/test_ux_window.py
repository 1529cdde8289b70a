"""Issue 13, items 5-13, through the real widgets: the claim card, source kinds, the
document list's columns, the statistics chart, the shortcuts dialog, small windows and
the View menu, status messages, dialog details, and the dark palette."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from gui.claim_card import STATUS_COLOURS, wrapped
from gui.document_model import DocumentTableModel
from gui.export_dialog import ExportDialog
from gui.import_dialog import ImportDialog
from gui.main_window import ARTICLE_WIDTH
from gui.stats_view import BarChart, Breakdown
from gui.theme import is_dark
from models.annotation import Claim, SourceKind, Span, Status
from models.resources import SAMPLE_CORPUS
from models.source_kind import infer_source_kind
from storage.importers import import_paths
from tests.gui_helpers import drag_select, highlighted_ranges

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
TEXT = (
    "The port was hit overnight, a police official in the region told AFP. He said that three "
    "drones were shot down by the army, according to Minister Aline Sawadogo."
)


def _at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _claim(doc_id: int, content: str, source: str | None = None, cue: str | None = None, **fields) -> Claim:
    claim = Claim(doc_id=doc_id, content_start=_at(content)[0], content_end=_at(content)[1], **fields)
    if source:
        claim = claim.with_changes(source_start=_at(source)[0], source_end=_at(source)[1])
    if cue:
        claim = claim.with_changes(cue_start=_at(cue)[0], cue_end=_at(cue)[1])
    return claim


# -- item 5: the claim card -------------------------------------------------------------


def test_a_claim_reads_as_a_card_that_fits_the_panel(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    official = "a police official in the region"
    repo.apply_suggestions(doc_id, [], [_claim(doc_id, "The port was hit overnight", official, "told AFP",
                                               origin="rules:claims@1")])  # fmt: skip
    window = main_window(repo, doc_id)
    window.resize(900, 600)
    panel = window.claim_panel
    window.panels.setCurrentWidget(panel)
    table = panel.table
    [claim] = window.session.ordered_claims()
    headline, content, details = panel.cards.card_lines(claim)
    assert headline == "a police official in the region — told AFP →"
    assert content == "The port was hit overnight"
    assert details == "unattributed · asserted"
    shown = [c for c in range(panel.model.columnCount()) if not table.isColumnHidden(c)]
    assert shown == [0] and not table.horizontalScrollBar().isVisible()
    assert table.columnWidth(0) <= table.viewport().width()

    def bar_colour() -> str:
        rect: QRect = table.visualRect(panel.model.index(0, 0))
        return table.viewport().grab().toImage().pixelColor(QPoint(rect.left() + 3, rect.center().y())).name()

    assert bar_colour() == STATUS_COLOURS[Status.SUGGESTED]
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(panel.model.index(0, 0)).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert repo.claims(doc_id)[0].status == Status.ACCEPTED
    qtbot.waitUntil(lambda: bar_colour() == STATUS_COLOURS[Status.ACCEPTED])


def test_long_content_wraps_to_two_lines_then_elides(qtbot):
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    metrics = QFontMetricsF(widget.font())
    lines = wrapped("word " * 80, metrics, 200, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 200 for line in lines)
    assert wrapped("short", metrics, 200, 2) == ["short"]


# -- item 6: source kinds -------------------------------------------------------------


def test_source_kind_inference_from_words_and_linked_label():
    assert infer_source_kind("a police official in the region") == SourceKind.ANONYMOUS_OFFICIAL
    assert infer_source_kind("Minister Aline Sawadogo") == SourceKind.NAMED_PERSON
    assert infer_source_kind("the statement") == SourceKind.DOCUMENT_REPORT
    assert infer_source_kind("The army general staff") == SourceKind.NAMED_ORGANISATION
    assert infer_source_kind("the United Nations") == SourceKind.NAMED_ORGANISATION
    assert infer_source_kind("Delorme", "PERSON") == SourceKind.NAMED_PERSON
    assert infer_source_kind("Iran", "GPE") == SourceKind.NAMED_ORGANISATION
    assert infer_source_kind("He") is None and infer_source_kind("") is None


def test_s_infers_the_source_kind_and_accepting_accepts_the_source_entity(qtbot, repo, make_document,
                                                                         main_window):  # fmt: skip
    doc_id = make_document(TEXT)
    minister = _at("Minister Aline Sawadogo")
    entity = Span(doc_id=doc_id, start=minister[0], end=minister[1], label="PERSON",
                  text="Minister Aline Sawadogo", status=Status.SUGGESTED, origin="spacy:x@1")  # fmt: skip
    first = _claim(doc_id, "The port was hit overnight", origin="rules:claims@1")
    second = _claim(doc_id, "three drones were shot down by the army", "Minister Aline Sawadogo",
                    origin="rules:claims@1", source_kind=SourceKind.NAMED_PERSON)  # fmt: skip
    repo.apply_suggestions(doc_id, [entity], [first, second])  # the source is linked to the entity
    [entity] = repo.spans(doc_id)
    first, second = sorted(repo.claims(doc_id), key=lambda c: c.content_start)
    assert second.source_span_id == entity.id
    window = main_window(repo, doc_id)
    view, panel = window.article.text, window.claim_panel
    window.session.select_claim(first.id)
    drag_select(qtbot, view, *_at("a police official in the region"))
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert repo.claim(first.id).source_kind == SourceKind.ANONYMOUS_OFFICIAL
    assert panel.kind_combo.currentText() == "anonymous official"

    window.session.select_claim(second.id)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    assert repo.claim(second.id).status == Status.ACCEPTED
    assert repo.span(entity.id).status == Status.ACCEPTED, "the claim's source entity is accepted with it"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)  # one step undoes both
    assert repo.claim(second.id).status == Status.SUGGESTED
    assert repo.span(entity.id).status == Status.SUGGESTED


# -- item 7: the document list ---------------------------------------------------------


def test_document_list_defaults_fit_and_explain_themselves(qtbot, repo, main_window):
    import_paths(repo, [SAMPLE_CORPUS])
    window = main_window(repo)
    view, model = window.document_list, window.documents
    shown = [model.COLUMNS[c] for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    assert shown == ["Title", "Status"]
    tip = model.index(0, DocumentTableModel.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith("site-12 · 2026-03-09")
    assert model.index(0, DocumentTableModel.PUBLISHED).data() == "2026-03-09"
    assert all(model.index(r, DocumentTableModel.PUBLISHED).data() for r in range(model.rowCount()))
    tip = model.headerData(
        DocumentTableModel.ENTITIES, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "accepted" in tip and "suggestions still to review" in tip
    header = view.horizontalHeader()
    menu = window.corpus.column_menu()
    for action in menu.actions():  # the header's menu: every column
        if not action.isChecked():
            action.trigger()
    for column in range(model.columnCount()):
        needed = header.fontMetrics().horizontalAdvance(model.COLUMNS[column])
        assert view.columnWidth(column) > needed, model.COLUMNS[column]
    assert not view.isColumnHidden(DocumentTableModel.LANGUAGE)
    assert _setting_list(window, "documents/hidden_columns") == ["none"]
    hide = next(a for a in window.corpus.column_menu().actions() if a.text() == "Language")
    hide.trigger()
    assert view.isColumnHidden(DocumentTableModel.LANGUAGE)
    assert _setting_list(window, "documents/hidden_columns") == ["3"]


def _setting_list(window, key: str) -> list[str]:
    value = window.settings.value(key)
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# -- item 8: statistics ----------------------------------------------------------------


def test_chart_names_stay_readable(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(760, 320)
    chart.show()
    short = [f"site-{n:02}" for n in range(10)]
    chart.set_breakdown(Breakdown("Per source", short, ["documents"], [[n + 1] for n in range(10)]))
    chart.grab()
    assert not chart.horizontal and chart.shown_names() == short
    long = [f"wire-service-number-{n}.example.org" for n in range(12)]
    chart.set_breakdown(Breakdown("Per source", long, ["documents"], [[1] for _ in long]))
    chart.grab()
    assert chart.horizontal, "long names: horizontal bars with the names to the left"
    assert all(name.startswith("wire-") for name in chart.shown_names())
    assert {name for _rect, name in chart.labels} == set(long)


# -- item 9: the shortcuts dialog ------------------------------------------------------


def test_shortcuts_dialog_fits_the_screen_is_grouped_and_filters(qtbot, repo, make_document, main_window):
    make_document(TEXT)
    window = main_window(repo)
    qtbot.keyClick(window.article.text, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    screen = window.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height() and dialog.height() <= screen.height() * 0.8 + 1
    assert dialog.tree.topLevelItemCount() >= 5
    assert len(dialog.visible_rows()) == len(window.shortcut_lines())
    qtbot.keyClicks(dialog.filter, "undo")
    rows = dialog.visible_rows()
    assert rows and all("undo" in (keys + text).lower() for keys, text in rows)
    dialog.close()


# -- items 10 and 11: small windows, the View menu, status messages ------------------------


def test_small_window_gives_the_article_priority_and_panels_come_back(
    qtbot, repo, make_document, main_window
):
    make_document(TEXT)
    window = main_window(repo)
    window.resize(900, 600)
    window.reset_layout()
    qtbot.waitUntil(lambda: window.splitter.sizes()[1] >= ARTICLE_WIDTH)
    listed, article, panels = window.splitter.sizes()
    assert article > listed and article > panels

    qtbot.keyClick(window.article.text, Qt.Key.Key_2, CTRL | ALT)  # View -> Annotation panels
    assert not window.panels.isVisible() and not window.panels_action.isChecked()
    qtbot.keyClick(window.article.text, Qt.Key.Key_2, CTRL | ALT)
    assert window.panels.isVisible() and window.splitter.sizes()[2] > 0

    window.splitter.setSizes([0, 700, 200])  # the list folded by a drag
    window.splitter.splitterMoved.emit(0, 1)
    assert not window.list_action.isChecked()
    window.list_action.trigger()
    assert window.splitter.sizes()[0] > 0 and window.list_action.isChecked()


def test_long_status_messages_elide_and_stay_in_the_log(qtbot, repo, make_document, main_window):
    make_document(TEXT)
    window = main_window(repo)
    window.resize(700, 500)
    long = "pre-annotated 1 of 1 document(s): 20 entity and 12 claim suggestion(s) added " * 3
    window.show_message(long)
    window.show_message("Second message")
    window.show_message(long)
    label = window.status_message
    qtbot.waitUntil(lambda: label.shown_text().endswith("…"))
    assert label.text() == long and label.toolTip() == long
    assert label.geometry().right() < window.db_label.geometry().left()
    assert window.db_label.shown_text() != str(repo.path) or window.db_label.width() > 0
    qtbot.keyClick(window.article.text, Qt.Key.Key_M, CTRL | ALT)
    log = window.message_dialog
    qtbot.waitUntil(log.isVisible)
    assert log.text.toPlainText().count("Second message") == 1
    assert log.text.toPlainText().count(long.strip()) == 2
    log.close()


# -- item 12: dialog details -----------------------------------------------------------


def test_export_dialog_closes_after_success_with_aligned_counts(
    qtbot, repo, make_document, tmp_path, settings
):
    doc_id = make_document(TEXT)
    make_document("Another text without claims.")
    repo.add_claim(_claim(doc_id, "The port was hit overnight"))
    repo.add_span(Span(doc_id=doc_id, start=_at("AFP")[0], end=_at("AFP")[1], label="ORG", text="AFP"))
    dialog = ExportDialog(repo.path, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.cancel_button.text() == "Cancel"
    metrics = QFontMetrics(dialog.summary.font())
    assert metrics.horizontalAdvance("iiii") == metrics.horizontalAdvance("WWWW"), "columns line up"
    dialog.format.setCurrentIndex(dialog.format.findData("claims"))
    out = tmp_path / "claims.jsonl"
    dialog.destination.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 2
    assert "documents: 2 (1 with claims)" in dialog.summary.toPlainText()
    assert dialog.cancel_button.text() == "Close"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_import_dialog_shows_no_idle_progress_bar(qtbot, repo, tmp_path):
    dialog = ImportDialog(repo.path, "tester")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.progress.isVisible()
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nSome text about Oslo.\n", encoding="utf-8")
    dialog.add_paths([str(article)])
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()
    assert not dialog.progress.isVisible()


# -- item 13: the dark palette -----------------------------------------------------------


def test_dark_colour_scheme_keeps_spans_readable(qtbot, repo, make_document, main_window):
    doc_id = make_document(TEXT)
    repo.add_span(Span(doc_id=doc_id, start=_at("AFP")[0], end=_at("AFP")[1], label="ORG", text="AFP"))
    window = main_window(repo, doc_id)
    view = window.article.text
    light = window.labels.get("ORG").colour
    assert ("AFP", light) in highlighted_ranges(view)
    try:
        window.scheme_actions["dark"].trigger()
        assert is_dark(QApplication.palette()) and window.labels.dark
        qtbot.waitUntil(lambda: ("AFP", "#2d5f93") in highlighted_ranges(view))
        assert window.settings.value("view/colour_scheme") == "dark"
        qtbot.waitUntil(lambda: view.palette().color(view.palette().ColorRole.Text).lightness() > 180)
    finally:
        window.scheme_actions["system"].trigger()
    assert not window.labels.dark
    assert ("AFP", light) in highlighted_ranges(view)


def test_platform_standard_keys_are_bound(qtbot, repo, make_document, main_window):
    from PySide6.QtGui import QKeySequence

    make_document(TEXT)
    window = main_window(repo)
    standard = QKeySequence.StandardKey
    corpus = window.corpus
    pairs = [(window.undo_action, standard.Undo), (window.redo_action, standard.Redo),
             (corpus.find_action, standard.Find), (corpus.refresh_action, standard.Refresh)]  # fmt: skip
    for action, key in pairs:
        assert all(binding in action.shortcuts() for binding in QKeySequence.keyBindings(key)), action.text()
    qtbot.keyClick(window.article.text, Qt.Key.Key_F, CTRL)
    assert window.corpus.filters.search.hasFocus()


def test_help_opens_the_claims_guide_in_the_window(qtbot, repo, make_document, main_window, tmp_path):
    """The newcomer trial found no way from the window to the claims guide: Help -> Claims
    guide shows docs/claims-guide.md rendered; a guide that cannot be read says so."""
    from gui.guide_dialog import GuideDialog

    make_document(TEXT)
    window = main_window(repo)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.help_menu.isVisible)
    qtbot.keyClick(window.help_menu, Qt.Key.Key_C)  # &Claims guide
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(GuideDialog)))
    [dialog] = window.findChildren(GuideDialog)
    shown = dialog.browser.toPlainText()
    assert shown.startswith("Claims annotation guide") and "a **source**" not in shown, "rendered, not raw"
    assert "source" in shown and "cue" in shown and dialog.windowTitle() == "Claims guide"
    dialog.close()

    missing = GuideDialog(tmp_path / "no-guide.md", window)
    qtbot.addWidget(missing)
    assert missing.browser.toPlainText() == (
        f"The guide cannot be read from {tmp_path / 'no-guide.md'}: No such file or directory"
    )
