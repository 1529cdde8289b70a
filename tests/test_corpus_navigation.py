"""Working through the queue from the keyboard: next/previous, next with suggestions, mark
done (and move on), the status bar, the shortcut list, and a locked database becoming a
status-bar message."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from models.annotation import Span, Status
from models.document import DocStatus

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def queue(repo, make_document):
    ids = [make_document(f"Article {n} about Oslo and Bergen.", title=f"Article {n}") for n in range(1, 6)]
    for doc_id in (ids[2], ids[4]):  # articles 3 and 5 have suggestions to review
        text = repo.document(doc_id).text
        start = text.index("Oslo")
        repo.add_span(
            Span(
                doc_id=doc_id,
                start=start,
                end=start + 4,
                label="GPE",
                text="Oslo",
                status=Status.SUGGESTED,
                origin="spacy:test@1",
            )
        )
    repo.set_document_status(ids[2], DocStatus.NEW)  # a suggestion alone leaves it new
    return ids


def title(window) -> str:
    return window.article.title.text()


def current_row(window) -> int:
    return window.document_list.currentIndex().row()


def test_ctrl_down_and_up_move_through_the_list_from_the_text(qtbot, repo, queue, main_window):
    window = main_window(repo)
    text = window.article.text
    text.setFocus()
    assert title(window) == "Article 1"
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL)
    assert title(window) == "Article 2" and current_row(window) == 1
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL)
    assert title(window) == "Article 3" and current_row(window) == 2
    qtbot.keyClick(text, Qt.Key.Key_Up, CTRL)
    assert title(window) == "Article 2" and current_row(window) == 1


def test_navigation_works_with_the_focus_in_the_list(qtbot, repo, queue, main_window):
    window = main_window(repo)
    table = window.document_list
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down, CTRL)
    assert title(window) == "Article 2"


def test_first_and_last_document_say_so(qtbot, repo, queue, main_window):
    window = main_window(repo)
    qtbot.keyClick(window.article.text, Qt.Key.Key_Up, CTRL)
    assert title(window) == "Article 1"
    assert "first document" in window.status_message.text()
    window.open_document(queue[-1])
    qtbot.keyClick(window.article.text, Qt.Key.Key_Down, CTRL)
    assert title(window) == "Article 5"
    assert "last document" in window.status_message.text()


def test_next_document_with_unreviewed_suggestions(qtbot, repo, queue, main_window):
    window = main_window(repo)
    text = window.article.text
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL | SHIFT)
    assert title(window) == "Article 3"
    assert window.corpus.suggestions_label.text() == "Suggestions left: 1"
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL | SHIFT)
    assert title(window) == "Article 5"
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL | SHIFT)  # wraps round
    assert title(window) == "Article 3"
    assert "Wrapped" in window.status_message.text()

    qtbot.keyClick(text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | SHIFT)  # accept all here
    assert window.corpus.suggestions_label.text() == "Suggestions left: 0"
    model = window.documents
    assert model.index(model.row_of(queue[2]), model.ENTITIES).data() == "1"  # the list follows
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL | SHIFT)
    assert title(window) == "Article 5"
    qtbot.keyClick(text, Qt.Key.Key_Down, CTRL | SHIFT)
    assert title(window) == "Article 5"
    assert "No other document" in window.status_message.text()


def test_ctrl_enter_marks_done_and_moves_on(qtbot, repo, queue, main_window):
    window = main_window(repo)
    text = window.article.text
    assert window.corpus.done_label.text() == "Done: 0 of 5"
    qtbot.keyClick(text, Qt.Key.Key_Return, CTRL)
    assert repo.document(queue[0]).status == DocStatus.DONE
    assert title(window) == "Article 2"
    model = window.documents
    assert model.index(0, model.STATUS).data() == "done"
    assert window.corpus.done_label.text() == "Done: 1 of 5"
    assert model.index(0, model.ANNOTATOR).data() == "tester"

    qtbot.keyClick(text, Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)
    assert repo.document(queue[1]).status == DocStatus.DONE
    assert title(window) == "Article 3"
    assert window.corpus.done_label.text() == "Done: 2 of 5"
    assert repo.stats()["done_per_day"] and sum(repo.stats()["done_per_day"].values()) == 2


def test_marked_done_rows_stay_in_a_new_only_list_until_refresh(qtbot, repo, queue, main_window):
    window = main_window(repo)
    filters = window.corpus.filters
    filters.status.setCurrentIndex(filters.status.findData("new"))
    assert window.documents.rowCount() == 4  # article 5 is in progress (its suggestion was added last)
    window.open_document(window.documents.doc_id_at(0))
    qtbot.keyClick(window.article.text, Qt.Key.Key_Return, CTRL)
    assert window.documents.rowCount() == 4 and title(window) == "Article 2"  # no rows jump
    qtbot.keyClick(window.article.text, Qt.Key.Key_F5)
    assert window.documents.rowCount() == 3


def test_reopen_sets_in_progress(qtbot, repo, queue, main_window):
    window = main_window(repo)
    repo.set_document_status(queue[0], DocStatus.DONE)
    window.corpus.reopen_action.trigger()
    assert repo.document(queue[0]).status == DocStatus.IN_PROGRESS


def test_status_bar_model_name_and_database_path(qtbot, repo, queue, main_window):
    window = main_window(repo)
    assert not window.corpus.model_label.isVisible()
    window.set_model_name("Model: en_core_web_sm 3.8.0")
    assert window.corpus.model_label.isVisible()
    assert window.corpus.model_label.text() == "Model: en_core_web_sm 3.8.0"
    assert window.db_label.text() == str(repo.path) and window.db_label.isVisible()
    assert (
        window.corpus.done_label.isVisible()
        and window.corpus.suggestions_label.text() == "Suggestions left: 0"
    )


def test_shortcuts_are_listed_in_help_and_in_the_go_menu(qtbot, repo, queue, main_window):
    window = main_window(repo)
    keys = dict(window.shortcut_lines())
    assert "Next / previous document" in keys["Ctrl+Down / Ctrl+Up"]
    assert "unreviewed" in keys["Ctrl+Shift+Down"]
    assert "done" in keys["Ctrl+Enter"]
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus.index("&Go") == len(menus) - 2 and menus[-1] == "&Help"
    go = [a.shortcut().toString() for a in window.corpus.go_menu.actions() if not a.isSeparator()]
    assert {"Ctrl+Down", "Ctrl+Up", "Ctrl+Shift+Down", "Ctrl+Return", "Ctrl+F", "F5"} <= set(go)
    assert window.file_menu.actions()[0] is window.corpus.import_action


def test_ctrl_f_focuses_the_search_box(qtbot, repo, queue, main_window):
    window = main_window(repo)
    qtbot.keyClick(window.article.text, Qt.Key.Key_F, CTRL)
    assert window.corpus.filters.search.hasFocus()
    qtbot.keyClick(window.corpus.filters.search, Qt.Key.Key_Escape)
    assert window.article.text.hasFocus()


def test_a_locked_database_is_a_status_bar_message(qtbot, repo, queue, main_window):
    """Another process holds the write lock past the busy timeout: marking done fails with
    a message, changes nothing, and works once the lock is gone."""
    window = main_window(repo)
    repo.db.execute("PRAGMA busy_timeout = 50")  # the real timeout is 10 s
    other = sqlite3.connect(repo.path, timeout=0.05)
    other.execute("BEGIN IMMEDIATE")
    try:
        qtbot.keyClick(window.article.text, Qt.Key.Key_Return, CTRL)
        assert "is locked by another program or window" in window.status_message.text()
        assert "locked" in window.status_message.text()
        assert title(window) == "Article 1"
    finally:
        other.rollback()
        other.close()
    assert repo.document(queue[0]).status == DocStatus.NEW
    qtbot.keyClick(window.article.text, Qt.Key.Key_Return, CTRL)
    assert repo.document(queue[0]).status == DocStatus.DONE
    assert title(window) == "Article 2"
