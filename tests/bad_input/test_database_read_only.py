"""Issue 9 item 10: a database this user cannot write (a 444 file, a read-only folder)
opens read-only: reading, search and export work, every write is refused with the
reason (CLI: one line, exit 2), and the window starts (it wrote the labels at start-up)
showing why editing is off. CI runs as root, for whom every file is writable: the
permission check is tested through ``os.access``, and opening through SQLite's
``mode=ro``; tests/faults/test_read_only_user.py runs as an ordinary user where it can."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from PySide6.QtCore import Qt

import main
from models.annotation import Span
from models.corpus import DocumentQuery
from models.document import Document
from storage.repository import Repository
from storage.schema import ReadOnlyError, write_refusal
from tests.faults.tools import build_database

DOCUMENTS = 8


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "shared.db"
    build_database(path, DOCUMENTS)
    return path


@pytest.fixture
def unwritable(monkeypatch, database):
    """The file answers as a 444 file does for an ordinary user."""
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if os.fspath(path) == os.fspath(database) and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    database.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return database


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_permission_check_names_the_file_or_the_folder(monkeypatch, database):
    assert write_refusal(database) == ""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if p == database else real_access(p, m))
    assert write_refusal(database) == "shared.db is read-only (file permissions)"
    folder = database.parent
    unwritable = (folder, database.with_name("shared.db-wal"), database.with_name("shared.db-shm"))
    monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if p in unwritable else real_access(p, m))
    assert write_refusal(database).startswith(f"the folder {folder} is read-only")


def test_read_only_repository_reads_searches_and_refuses_writes(unwritable):
    before = _digest(unwritable)
    repo = Repository(unwritable)
    assert repo.read_only_reason == "shared.db is read-only (file permissions)"
    assert repo.document_count() == DOCUMENTS
    assert len(repo.document_list_ids(DocumentQuery(search="Oslo"))) == DOCUMENTS
    assert repo.search_matches(1, "Monday")
    with pytest.raises(ReadOnlyError, match="read-only"):
        repo.add_span(Span(doc_id=1, start=0, end=6, label="ORG", text="Report"))
    with pytest.raises(ReadOnlyError):
        repo.add_document(Document(title="x", text="New text."))
    repo.close()
    assert _digest(unwritable) == before


def test_sqlite_itself_refuses_writes_on_the_read_only_connection(database):
    repo = Repository(database, read_only=True)
    assert repo.read_only_reason == "opened read-only as asked"
    with pytest.raises(Exception, match="readonly|read-only|query_only"):
        repo.db.execute("DELETE FROM spans")
    repo.close()


def test_cli_import_is_refused_and_stats_and_export_work(unwritable, tmp_path, capsys):
    before = _digest(unwritable)
    article = tmp_path / "a.txt"
    article.write_text("Floods\n\nFloods hit Bergen.\n", encoding="utf-8")
    assert main.main(["import", "--db", str(unwritable), "--quiet", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot import into" in err and "read-only (file permissions)" in err
    assert main.main(["preannotate", "--db", str(unwritable)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err
    assert main.main(["stats", "--db", str(unwritable), "--json"]) == 0
    assert f'"total": {DOCUMENTS}' in capsys.readouterr().out
    out = tmp_path / "out.jsonl"
    assert (
        main.main(["export", "--db", str(unwritable), "--format", "jsonl", "--out", str(out), "--quiet"]) == 0
    )
    assert len(out.read_text(encoding="utf-8").splitlines()) == DOCUMENTS
    assert _digest(unwritable) == before


def test_window_starts_on_a_read_only_file_and_says_why_editing_is_off(qtbot, unwritable):
    from gui import app

    window = app.create_main_window(unwritable, nlp=False)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.session.document is not None, "the first article is open"
        label = window.database_state.read_only
        assert label.isVisible() and label.text() == "Read-only: editing is off"
        assert label.toolTip() == "shared.db is read-only (file permissions)"
        text = window.article.text
        text.setFocus()
        cursor = text.textCursor()
        cursor.setPosition(0)
        cursor.setPosition(6, cursor.MoveMode.KeepAnchor)
        text.setTextCursor(cursor)
        qtbot.keyClick(text, Qt.Key.Key_1)
        assert window.status_message.text() == "Editing is off: shared.db is read-only (file permissions)"
        assert window.session.undo_stack.count() == 0
        assert len(window.session.spans) == 1
        # reading and searching go on
        window.corpus.filters.search.setText("Monday")
        qtbot.waitUntil(lambda: window.documents.rowCount() == DOCUMENTS, timeout=5_000)
    finally:
        window.close()
        window.database_state.stop()
        window.repo.close()
