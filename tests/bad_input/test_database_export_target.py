"""Issue 9 item 1: an export whose target is the database itself (by name, through a
symbolic link, a hard link, a relative detour, or one of its -wal/-shm/-journal files)
is refused with one line and exit code 2, and the database is left as it was; the
export dialog refuses it too. Item 12: temporary files of a killed export are removed
by the next export to that folder, and nothing else is."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

import main
from gui.export_dialog import ExportDialog
from models.annotation import Span
from models.document import Document
from storage.exporters.base import AtomicFile, ExportOptions, export_corpus
from storage.repository import Repository


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "q.db"
    repo = Repository(path, annotator="tester")
    doc_id = repo.add_document(Document(title="Oslo", text="Maria Lopez visited Oslo."))
    repo.add_span(Span(doc_id=doc_id, start=20, end=24, label="GPE", text="Oslo"))
    repo.close()
    return path


def _intact(path) -> bool:
    repo = Repository(path)
    try:
        stats = repo.stats()
        return stats["documents"]["total"] == 1 and stats["spans"]["by_label"] == {"GPE": 1}
    finally:
        repo.close()


def _export(capsys, db, out, *extra) -> tuple[int, str]:
    code = main.main(["export", "--db", str(db), "--format", "jsonl", "--out", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def test_out_naming_the_database_is_refused(capsys, database):
    code, err = _export(capsys, database, database)
    assert code == 2
    assert err.count("\n") == 1 and "is the database being exported" in err
    assert _intact(database)


def test_out_through_a_symlink_or_a_detour_is_refused(capsys, database, tmp_path):
    link = tmp_path / "export.jsonl"
    link.symlink_to(database)
    (tmp_path / "sub").mkdir()
    for out in (link, tmp_path / "sub" / ".." / "q.db"):
        code, err = _export(capsys, database, out)
        assert (code, err.count("\n")) == (2, 1), err
        assert "is the database being exported" in err
    assert link.is_symlink() and _intact(database)


def test_out_as_a_hard_link_to_the_database_is_refused(capsys, database, tmp_path):
    twin = tmp_path / "twin.jsonl"
    os.link(database, twin)
    code, err = _export(capsys, database, twin)
    assert code == 2 and "is the database being exported" in err
    assert _intact(database)


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_out_naming_a_companion_file_is_refused(capsys, database, suffix):
    companion = database.with_name(database.name + suffix)
    existed = companion.exists()
    code, err = _export(capsys, database, companion)
    assert code == 2 and "is the database being exported" in err
    assert companion.exists() == existed and _intact(database)


def test_database_reached_through_a_symlink_is_still_protected(capsys, database, tmp_path):
    alias = tmp_path / "alias.db"
    alias.symlink_to(database)
    code, err = _export(capsys, alias, database)
    assert code == 2 and "is the database being exported" in err
    code, err = _export(capsys, alias, tmp_path / "q.db-wal")  # SQLite puts it beside the file
    assert code == 2 and "is the database being exported" in err
    assert _intact(database)


def test_dev_split_folder_holding_the_database_as_train_file_is_refused(capsys, tmp_path, database):
    folder = tmp_path / "split"
    folder.mkdir()
    train = folder / "train.spacy"
    os.replace(database, train)
    code = main.main(["export", "--db", str(train), "--format", "spacy", "--out", str(folder),
                      "--dev-fraction", "0.5", "--quiet"])  # fmt: skip
    assert code == 2 and "is the database being exported" in capsys.readouterr().err
    assert _intact(train)


def test_another_file_beside_the_database_is_written(capsys, database, tmp_path):
    code, err = _export(capsys, database, tmp_path / "q.jsonl")
    assert code == 0, err
    assert '"Oslo"' in (tmp_path / "q.jsonl").read_text(encoding="utf-8")


def test_the_export_dialog_refuses_the_database_and_starts_nothing(qtbot, database, settings):
    dialog = ExportDialog(database, settings=settings)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    dialog.destination.setText(str(database))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    summary = dialog.summary.toPlainText()
    assert summary.startswith("Cannot export:") and "is the database being exported" in summary
    assert dialog.job is None
    assert _intact(database)


# -- item 12: temporary files of a killed export ----------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_next_export_removes_only_stale_temporary_files(database, tmp_path):
    out = tmp_path / "corpus.jsonl"
    dead = _dead_pid()
    stale = tmp_path / f".corpus.jsonl.{dead}-0123abcd.part"
    stale_other = tmp_path / f".old.spacy.{dead}-89abcdef.part"
    live = tmp_path / f".corpus.jsonl.{os.getppid()}-0123abcd.part"  # a running process's
    lookalikes = [tmp_path / f"corpus.jsonl.{dead}-0123abcd.part",  # not hidden
                  tmp_path / f".corpus.jsonl.{dead}-0123abcd.partial",
                  tmp_path / f".corpus.jsonl.{dead}-XYZ.part",
                  tmp_path / "notes.part"]  # fmt: skip
    for path in (stale, stale_other, live, *lookalikes):
        path.write_bytes(b"x" * 1000)
    report = export_corpus(database, ExportOptions(format="jsonl", out=out))
    assert sorted(report.removed) == sorted([stale, stale_other])
    assert not stale.exists() and not stale_other.exists()
    assert live.exists() and all(path.exists() for path in lookalikes)
    assert "removed 2 temporary file(s) left by an interrupted export" in report.summary_lines()
    assert out.exists()


def test_atomic_file_temporary_names_are_the_pattern_cleaned_up(tmp_path):
    from storage.exporters.base import remove_stale_temp_files

    temp = AtomicFile(tmp_path / "a.spacy").temp
    temp.write_bytes(b"partial")
    assert remove_stale_temp_files(tmp_path) == []  # this process is running
    dead = _dead_pid()
    orphan = temp.with_name(temp.name.replace(f".{os.getpid()}-", f".{dead}-"))
    temp.rename(orphan)
    assert remove_stale_temp_files(tmp_path) == [orphan]


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["export", "--format", "jsonl", "--out", "{folder}/out.jsonl", "--quiet"],
        ["preannotate"],
        ["entities"],
        ["train", "--out", "{folder}/model"],
    ],
)
def test_commands_that_read_a_database_refuse_an_empty_file_and_leave_it_empty(tmp_path, capsys, command):
    """SQLite takes an empty file for a new database: `stats` used to turn any empty file
    (a mistyped name) into a Quire database. Reading commands refuse it in one line."""
    empty = tmp_path / "notes.db"
    empty.touch()
    argv = [part.format(folder=tmp_path) for part in command]
    assert main.main([argv[0], "--db", str(empty), *argv[1:]]) == 2
    assert empty.stat().st_size == 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {empty} is empty, not a Quire database; nothing was written"
    ]


def test_a_dev_fraction_of_one_says_what_it_must_be(tmp_path, capsys):
    db = tmp_path / "q.db"
    Repository(db).close()
    assert main.main(["export", "--db", str(db), "--format", "spacy", "--out", str(tmp_path / "out"),
                      "--dev-fraction", "1"]) == 2  # fmt: skip
    assert "must be more than 0 and less than 1 (a share of the documents), not 1" in capsys.readouterr().err
