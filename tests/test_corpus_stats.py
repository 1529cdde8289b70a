"""Statistics: Repository.stats() per annotator, per source and per day, the same numbers
from ``main.py stats --json``, and the dialog (painted chart and table) in the window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from gui.stats_view import _nice_step, breakdowns
from main import main
from models.annotation import Claim, Span, Status
from models.document import DocStatus
from storage.repository import Repository


@pytest.fixture
def annotated(repo, make_document):
    """Two annotators on one database, three sources, one document done."""
    other = Repository(repo.path, annotator="bjorn")
    a = make_document("Rockets hit Baghdad on Monday.", title="A", source="AFP")
    b = make_document("Drones over Kyiv and Lviv.", title="B", source="Reuters")
    make_document("Water talks in Amman.", title="C", source="")
    repo.add_span(Span(doc_id=a, start=12, end=19, label="GPE", text="Baghdad"))
    repo.add_span(Span(doc_id=a, start=23, end=29, label="DATE", text="Monday", status=Status.SUGGESTED))
    other.add_span(Span(doc_id=b, start=12, end=16, label="GPE", text="Kyiv"))
    other.add_span(Span(doc_id=b, start=21, end=25, label="GPE", text="Lviv", status=Status.REJECTED))
    other.add_claim(Claim(doc_id=b, content_start=0, content_end=25))
    other.set_document_status(b, DocStatus.DONE)
    yield {"a": a, "b": b}
    other.close()


def test_stats_per_annotator_source_and_day(repo, annotated):
    stats = repo.stats()
    assert stats["documents"] == {"total": 3, "by_status": {"done": 1, "in_progress": 1, "new": 1}}
    assert stats["spans"]["by_label"] == {"DATE": 1, "GPE": 3}  # existing keys unchanged
    assert stats["by_annotator"]["tester"] == {
        "documents_done": 0,
        "spans_accepted": 1,
        "spans_suggested": 1,
        "spans_rejected": 0,
        "claims_accepted": 0,
        "claims_suggested": 0,
        "claims_rejected": 0,
    }
    assert stats["by_annotator"]["bjorn"]["documents_done"] == 1
    assert stats["by_annotator"]["bjorn"]["spans_rejected"] == 1
    assert stats["by_annotator"]["bjorn"]["claims_accepted"] == 1
    assert stats["by_source"]["AFP"] == {
        "documents": 1,
        "done": 0,
        "spans_accepted": 1,
        "spans_suggested": 1,
        "claims_accepted": 0,
        "claims_suggested": 0,
    }
    assert stats["by_source"]["Reuters"]["done"] == 1 and stats["by_source"][""]["documents"] == 1
    assert list(stats["done_per_day"].values()) == [1]
    assert stats["spans_by_label_status"] == {"DATE": {"suggested": 1}, "GPE": {"accepted": 2, "rejected": 1}}


def test_cli_stats_json_prints_the_same_numbers(repo, annotated, capsys):
    assert main(["stats", "--db", str(repo.path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(repo.stats()))
    assert main(["stats", "--db", str(repo.path)]) == 0
    text = capsys.readouterr().out
    assert "bjorn" in text and "Reuters" in text and "done per day" in text


def test_breakdowns_make_tables_for_every_view(repo, annotated):
    views = {view.title: view for view in breakdowns(repo.stats())}
    labels = views["Entities per label and status"]
    assert labels.categories == ["DATE", "GPE"]
    assert labels.columns == ["accepted", "suggested", "rejected"]
    assert labels.values == [[0, 1, 0], [2, 0, 1]]
    assert views["Documents per status"].categories == ["done", "in progress", "new"]
    assert views["Per source"].categories == ["(none)", "AFP", "Reuters"]
    assert sum(views["Documents done per day"].values[0]) == 1


def test_statistics_dialog_paints_a_chart_and_fills_the_table(qtbot, repo, annotated, main_window):
    window = main_window(repo)
    dialog = window.corpus.show_statistics()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.model.rowCount() > 0, timeout=10_000)
    assert dialog.state.text() == "1 of 3 documents done"
    table = dialog.model
    assert [table.index(r, 0).data() for r in range(table.rowCount())] == ["DATE", "GPE"]
    assert table.index(1, 1).data() == "2"

    dialog.choice.setCurrentIndex(dialog.choice.findText("Per annotator"))
    rows = {
        table.index(r, 0).data(): [table.index(r, c).data() for c in range(1, table.columnCount())]
        for r in range(table.rowCount())
    }
    assert rows["bjorn"][0] == "1" and rows["tester"][0] == "0"
    assert table.headerData(1, Qt.Orientation.Horizontal) == "documents done"

    dialog.chart.grab()  # paints offscreen
    assert len(dialog.chart.bars) == 2
    assert dialog.chart.bars[0][1].startswith("bjorn: 1 documents done")
    assert dialog.chart.bars[0][0].height() > dialog.chart.bars[1][0].height() == 0

    repo.set_document_status(annotated["a"], DocStatus.DONE)  # refresh reads again
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.job is None and dialog.state.text() == "2 of 3 documents done", timeout=10_000
    )
    dialog.close()


@pytest.mark.parametrize(("peak", "step"), [(1, 1), (7, 2), (40, 10), (99, 20), (100_000, 20_000)])
def test_chart_ticks_are_round(peak, step):
    assert _nice_step(peak) == step
