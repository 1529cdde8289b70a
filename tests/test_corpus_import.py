"""File -> Import... through the dialog: a batch with bad files imports the good ones in a
worker thread (its own connection), reports progress, and ends with a summary that says
what was skipped and why; the list shows the new documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui import import_dialog
from gui.threads import running_threads

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def batch(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "oslo.txt").write_text(
        "Gas outage in Oslo\n\nGas stopped in Oslo on Monday.\n", encoding="utf-8"
    )
    (folder / "cairo.md").write_text("# Cairo protests\n\nProtests grew in Cairo.\n", encoding="utf-8")
    (folder / "wire.jsonl").write_text(
        '{"title": "Kyiv drones", "text": "Drones over Kyiv overnight.", "source": "AFP"}\n'
        "{not json\n"
        '{"title": "no text"}\n',
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Caf\xe9 in Beirut\n\nText.".encode("latin-1"))
    loose = tmp_path / "report.pdf"
    loose.write_bytes(b"%PDF-1.4")
    return {"folder": folder, "pdf": loose}


def open_import_dialog(qtbot, window):
    qtbot.keyClick(window.article.text, Qt.Key.Key_I, CTRL)
    dialog = window.corpus.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_import_a_folder_and_a_bad_file_from_the_gui(
    qtbot, repo, make_document, main_window, batch, monkeypatch
):
    make_document("Gas stopped in Oslo on Monday.", title="Already here")  # a duplicate of oslo.txt
    window = main_window(repo)
    dialog = open_import_dialog(qtbot, window)
    monkeypatch.setattr(import_dialog, "existing_directory", lambda *a, **k: str(batch["folder"]))
    monkeypatch.setattr(import_dialog, "open_file_names", lambda *a, **k: [str(batch["pdf"])])
    qtbot.mouseClick(dialog.add_folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen_paths() == [str(batch["folder"]), str(batch["pdf"])]

    with qtbot.waitSignal(dialog.imported, timeout=10_000) as finished:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled() and not dialog.import_button.isEnabled()
    assert not running_threads()  # the worker is gone when the summary shows

    report = finished.args[0]
    assert dialog.summary.text() == ("Imported 2 document(s), skipped 1 already in the database, refused 5.")
    details = dialog.details.toPlainText()
    assert "oslo.txt: already in the database, skipped" in details
    assert "report.pdf: unsupported file type '.pdf'" in details
    assert "empty.txt: file is empty" in details
    assert "latin1.txt: not valid UTF-8" in details
    assert "wire.jsonl:2: malformed JSON" in details
    assert 'wire.jsonl:3: missing or empty "text" field' in details
    assert len(report.imported) == 2
    assert dialog.progress.value() == dialog.progress.maximum()

    titles = {window.documents.index(r, 0).data() for r in range(window.documents.rowCount())}
    assert titles == {"Already here", "Cairo protests", "Kyiv drones"}
    assert "imported 2 document(s)" in window.status_message.text()
    sources = [window.corpus.filters.source.itemData(i) for i in range(window.corpus.filters.source.count())]
    assert "AFP" in sources
    assert window.corpus.done_label.text() == "Done: 0 of 3"


def test_import_into_an_empty_database_opens_the_first_document(qtbot, repo, main_window, batch):
    window = main_window(repo)
    assert window.session.document is None
    dialog = open_import_dialog(qtbot, window)
    dialog.add_paths([str(batch["folder"] / "cairo.md")])
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert window.article.title.text() == "Cairo protests"
    assert dialog.details.toPlainText() == ""


def test_closing_the_window_during_an_import_stops_the_worker(qtbot, repo, main_window, batch):
    window = main_window(repo)
    dialog = open_import_dialog(qtbot, window)
    dialog.add_paths([str(batch["folder"])])
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    window.close()
    assert not running_threads()
    count = repo.document_count()
    assert 0 <= count <= 3  # whatever finished is kept, whole files at a time
