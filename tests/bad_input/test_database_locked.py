"""Issue 9 item 8: another process holds the database (``BEGIN EXCLUSIVE``) for longer
than the busy timeout. The CLI's import and preannotate end with one line and exit 2,
naming what was not done, with nothing half-written; the window never waits more than
about a frame: a change waits, visibly, and is saved in order once the lock is gone;
an undo that cannot be saved leaves the undo stack where it was."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import main
import storage.schema
from gui.session import GUI_BUSY_TIMEOUT_MS
from storage.repository import Repository
from tests.faults.tools import lock_held_by_another_process
from tests.gui_helpers import drag_select

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = "Maria Lopez met Ahmed Salah in Baghdad on Saturday, officials said."


@pytest.fixture
def short_timeout(monkeypatch):
    """The CLI waits 10 s for a lock; the tests wait 0.2 s."""
    monkeypatch.setattr(storage.schema, "BUSY_TIMEOUT_MS", 200)


def _articles(folder, count: int) -> list:
    paths = []
    for n in range(count):
        path = folder / f"article{n}.txt"
        path.write_text(f"Report {n}\n\nFloods hit Bergen on day {n}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_cli_import_stops_cleanly_and_names_the_files_not_imported(tmp_path, capsys, short_timeout):
    db = tmp_path / "q.db"
    Repository(db).close()
    paths = _articles(tmp_path, 3)
    with lock_held_by_another_process(db):
        code = main.main(["import", "--db", str(db), "--quiet", *map(str, paths)])
    captured = capsys.readouterr()
    assert code == 2
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "is locked by another program" in errors[0]
    assert f"stopped at {paths[0]}, 3 file(s) not imported" in errors[0]
    assert [f"{p}: not imported (the import stopped)" for p in paths] == [
        line for line in captured.err.splitlines() if "not imported (the" in line
    ]
    assert "imported 0 document(s); stopped: 3 file(s) not imported" in captured.out
    repo = Repository(db)
    assert repo.document_count() == 0, "nothing half-written"
    repo.close()
    assert main.main(["import", "--db", str(db), "--quiet", *map(str, paths)]) == 0
    assert "imported 3 document(s)" in capsys.readouterr().out


@pytest.fixture
def ruler_model(tmp_path):
    """A pipeline that suggests GPE "Bergen" by rule: fast, and it writes suggestions."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": "Bergen"}])
    path = tmp_path / "ruler"
    nlp.to_disk(path)
    return path


def test_cli_preannotate_under_a_lock_is_one_line_and_exit_2(tmp_path, capsys, short_timeout, ruler_model):
    db = tmp_path / "q.db"
    assert main.main(["import", "--db", str(db), "--quiet", *map(str, _articles(tmp_path, 2))]) == 0
    capsys.readouterr()
    argv = ["preannotate", "--db", str(db), "--model", str(ruler_model), "--no-claims"]
    with lock_held_by_another_process(db):
        code = main.main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "is locked by another program" in err
    assert "0 document(s) finished and saved" in err
    assert main.main(argv) == 0
    repo = Repository(db)
    assert [s.text for s in repo.spans(1)] == ["Bergen"]
    repo.close()


# -- the window ----------------------------------------------------------------------


@pytest.fixture
def window(repo, make_document, main_window):
    doc_id = make_document(TEXT)
    repo.set_busy_timeout(GUI_BUSY_TIMEOUT_MS)
    window = main_window(repo, doc_id)
    window.doc_id = doc_id
    return window


def _label(qtbot, window, needle: str, key=Qt.Key.Key_1) -> None:
    start = TEXT.index(needle)
    drag_select(qtbot, window.article.text, start, start + len(needle))
    qtbot.keyClick(window.article.text, key)


def _stored(repo, doc_id) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in repo.spans(doc_id)]


def test_the_window_connection_waits_a_frame_at_most(window):
    assert window.repo.db.execute("PRAGMA busy_timeout").fetchone()[0] == GUI_BUSY_TIMEOUT_MS <= 17


def test_changes_under_a_lock_wait_visibly_and_are_saved_in_order(qtbot, repo, window):
    waiting = window.database_state.waiting
    with lock_held_by_another_process(repo.path):
        _label(qtbot, window, "Maria Lopez")
        _label(qtbot, window, "Baghdad", Qt.Key.Key_3)
        assert _stored(repo, window.doc_id) == []
        assert waiting.isVisible()
        assert waiting.text() == "⏳ Waiting for the database: 2 change(s) not saved yet"
        assert "Add PERSON 'Maria Lopez'" in waiting.toolTip() and "Add GPE 'Baghdad'" in waiting.toolTip()
    qtbot.waitUntil(lambda: not waiting.isVisible(), timeout=10_000)
    stored = repo.spans(window.doc_id)
    assert [(s.text, s.label) for s in sorted(stored, key=lambda s: s.id)] == [
        ("Maria Lopez", "PERSON"), ("Baghdad", "GPE")]  # fmt: skip
    assert {s.id for s in stored} == set(window.session.spans)
    assert window.entity_panel.model.rowCount() == 2
    assert window.status_message.text() == "The database is free again: every waiting change is saved."


def test_a_failed_undo_keeps_the_stack_index_and_redo_does_not_repeat_it(qtbot, repo, window):
    stack = window.session.undo_stack
    _label(qtbot, window, "Ahmed Salah")
    assert _stored(repo, window.doc_id) == [("Ahmed Salah", "PERSON")] and stack.index() == 1
    with lock_held_by_another_process(repo.path):
        qtbot.keyClick(window.article.text, Qt.Key.Key_Z, CTRL)
        qtbot.waitUntil(lambda: stack.index() == 1, timeout=5_000)
        assert (
            window.status_message.text()
            == "Not undone: the database is locked by another program or window; try again."
        )
        assert _stored(repo, window.doc_id) == [("Ahmed Salah", "PERSON")]
        assert len(window.session.spans) == 1
    qtbot.keyClick(window.article.text, Qt.Key.Key_Z, CTRL)
    assert _stored(repo, window.doc_id) == [] and stack.index() == 0
    qtbot.keyClick(window.article.text, Qt.Key.Key_Z, CTRL | SHIFT)
    assert _stored(repo, window.doc_id) == [("Ahmed Salah", "PERSON")] and stack.index() == 1
    assert "UNIQUE" not in window.status_message.text()


def test_undo_of_a_waiting_change_forgets_it(qtbot, repo, window):
    stack = window.session.undo_stack
    with lock_held_by_another_process(repo.path):
        _label(qtbot, window, "Maria Lopez")
        assert window.session.pending and stack.index() == 1
        qtbot.keyClick(window.article.text, Qt.Key.Key_Z, CTRL)
        assert window.session.pending == [] and stack.index() == 0
        assert not window.database_state.waiting.isVisible()
    window.session.save_pending()
    assert _stored(repo, window.doc_id) == []


def test_closing_with_waiting_changes_asks_first(qtbot, repo, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    with lock_held_by_another_process(repo.path):
        _label(qtbot, window, "Baghdad", Qt.Key.Key_3)
        window.close()
        assert window.isVisible(), "the close was cancelled"
        assert "1 change(s) are still waiting for the database" in asked[0]
    window.close()  # the lock is gone: the change is saved on the way out
    assert not window.isVisible()
    assert _stored(repo, window.doc_id) == [("Baghdad", "GPE")]
