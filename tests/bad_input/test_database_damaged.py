"""Issue 9 item 9: a damaged database (one page of the documents table overwritten) is
found by ``quick_check`` at open; nothing is written into it (CLI: one line, exit 2);
what can be read is exported, the rest named; the window turns editing off and reports
every database error as one message, never a traceback."""

from __future__ import annotations

import hashlib
import json

import pytest
from PySide6.QtCore import Qt

import main
from models.document import Document
from storage.exporters.base import ExportOptions, export_corpus
from storage.repository import Repository
from storage.schema import ReadOnlyError
from tests.faults.tools import build_database, damage_table_page

DOCUMENTS = 120


@pytest.fixture
def damaged(tmp_path):
    path = tmp_path / "damaged.db"
    build_database(path, DOCUMENTS)
    damage_table_page(path)
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_quick_check_finds_the_damage_and_writes_are_refused(damaged):
    repo = Repository(damaged)
    assert repo.read_only_reason == "" and repo.damage == ""  # not checked yet
    assert repo.check_integrity() != ""
    assert "damaged" in repo.read_only_reason
    with pytest.raises(ReadOnlyError, match="damaged"):
        repo.add_document(Document(title="New", text="A new text about Bergen."))
    repo.close()


def test_a_sound_file_passes_the_check(tmp_path):
    path = tmp_path / "sound.db"
    build_database(path, 5)
    repo = Repository(path)
    assert repo.check_integrity() == "" and repo.read_only_reason == ""
    repo.close()


def test_cli_import_and_preannotate_refuse_a_damaged_file(damaged, tmp_path, capsys):
    before = _digest(damaged)
    article = tmp_path / "new.txt"
    article.write_text("Storm in Bergen\n\nA storm hit Bergen on Monday.\n", encoding="utf-8")
    assert main.main(["import", "--db", str(damaged), "--quiet", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot import into" in err and "damaged" in err
    assert main.main(["preannotate", "--db", str(damaged)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err
    assert _digest(damaged) == before


def test_cli_stats_says_the_file_is_damaged(damaged, capsys):
    assert main.main(["stats", "--db", str(damaged), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err


def test_export_writes_what_can_be_read_and_names_the_rest(damaged, tmp_path, capsys):
    out = tmp_path / "rescue.jsonl"
    assert main.main(["export", "--db", str(damaged), "--format", "jsonl", "--out", str(out), "--quiet"]) == 0
    summary = capsys.readouterr().out
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    report = export_corpus(damaged, ExportOptions(format="jsonl", out=tmp_path / "again.jsonl"))
    assert report.unreadable, "the damaged page held documents"
    assert len(records) == DOCUMENTS - len(report.unreadable) > 0
    assert f"{len(report.unreadable)} document(s) could not be read and are left out" in summary
    assert all(r["spans"][0]["label"] == "GPE" for r in records)


def test_the_window_turns_editing_off_and_reports_damage_in_one_line(qtbot, damaged, main_window):
    repo = Repository(damaged, annotator="tester")
    window = main_window(repo)
    with qtbot.waitSignal(window.database_state.checked, timeout=30_000) as found:
        window.database_state.check_integrity()
    assert found.args[0] != ""
    assert window.database_state.read_only.isVisible()
    assert "damaged" in window.database_state.read_only.toolTip()
    # a document whose row sits on the damaged page: one message, no traceback
    rows = window.documents.rowCount()
    for row in range(rows):
        window.corpus.open_row(row)
        if "damaged" in window.status_message.text():
            break
    assert "is damaged" in window.status_message.text()
    # editing is off: a label key stores nothing and says why
    window.corpus.open_row(0)
    text = window.article.text
    text.setFocus()
    cursor = text.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(6, cursor.MoveMode.KeepAnchor)
    text.setTextCursor(cursor)
    spans_before = len(window.session.spans)
    qtbot.keyClick(text, Qt.Key.Key_1)
    assert window.status_message.text().startswith("Editing is off: the database is damaged")
    assert len(window.session.spans) == spans_before
    repo.close()
