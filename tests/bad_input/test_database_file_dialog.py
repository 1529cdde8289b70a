"""A file dialog on the database's own folder must not cost the window its SQLite locks
(the newcomer trial of 2026-11-30 lost every change made after it: the window's -wal
file was deleted under it by another process's close)."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QFileDialog

from gui.file_dialogs import file_dialog
from models.annotation import Span
from storage.repository import Repository

WRITE_AND_CLOSE = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1])
other.execute("UPDATE documents SET title = 'Other process' WHERE id = 1")
other.commit()
other.close()
"""


def test_a_dialog_listing_the_database_folder_keeps_the_windows_wal(qtbot, repo, make_document):
    doc_id = make_document("Storm warning for Bergen tonight.")
    repo.add_span(Span(doc_id=doc_id, start=18, end=24, label="GPE", text="Bergen"))
    folder = repo.path.parent
    wal = repo.path.with_name(repo.path.name + "-wal")
    assert wal.exists()

    dialog = file_dialog(None, "Import files", str(folder), QFileDialog.FileMode.ExistingFiles)
    qtbot.addWidget(dialog)
    dialog.show()
    names = set()
    # the dialog has listed (and typed) the folder's files, the database's among them
    qtbot.waitUntil(lambda: names.update(_listed(dialog)) or repo.path.name in names, timeout=10_000)
    dialog.close()

    # another process (the pre-annotation worker, a CLI run) writes and closes its connection
    subprocess.run([sys.executable, "-c", WRITE_AND_CLOSE, str(repo.path)], check=True)
    assert wal.exists(), "the other process took itself for the last connection and deleted the WAL"

    repo.add_span(Span(doc_id=doc_id, start=0, end=5, label="EVENT", text="Storm"))
    fresh = Repository(repo.path)
    try:
        assert [s.text for s in fresh.spans(doc_id)] == ["Storm", "Bergen"], "the window's write is visible"
        assert fresh.document(doc_id).title == "Other process"
    finally:
        fresh.close()


def _listed(dialog: QFileDialog) -> list[str]:
    from PySide6.QtWidgets import QListView

    names = []
    for view in dialog.findChildren(QListView):
        model = view.model()
        root = view.rootIndex()
        names += [model.index(row, 0, root).data() for row in range(model.rowCount(root))]
    return names
