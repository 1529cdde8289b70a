"""The import dialog with other tools' formats: a preview that writes nothing, annotations
as suggestions, and the folder remembered between dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from gui import import_dialog
from gui.import_dialog import LAST_FOLDER, ImportDialog
from gui.threads import running_threads

IMPORT = Path(__file__).parent / "data" / "import"


def test_preview_shows_documents_spans_claims_and_problems_and_writes_nothing(
    qtbot, repo, tmp_path, monkeypatch
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ImportDialog(repo.path, repo.annotator, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    asked_in = []

    def choose(parent, caption, folder, *rest):
        asked_in.append(folder)
        return [str(IMPORT / "brat" / "verran_pilots.txt"), str(IMPORT / "html" / "members_login.html")]

    monkeypatch.setattr(import_dialog, "open_file_names", choose)
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    assert asked_in == [""]

    with qtbot.waitSignal(dialog.previewed, timeout=60_000):
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert not running_threads()
    model = dialog.preview_table.model()
    assert model.rowCount() == 1
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row == ["verran_pilots.ann", "Harbour pilots in Verran walk out over rota changes", 341, 6, 3]
    assert dialog.summary.text() == (
        "Would import 1 document(s) with 6 span(s) and 3 claim(s); 1 problem(s); 3 warning(s). "
        "Nothing written yet."
    )
    assert "members_login.html: no article found" in dialog.details.toPlainText()
    assert "imported as its hull 109-128" in dialog.details.toPlainText()
    assert repo.document_count() == 0

    dialog.as_suggestions.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not running_threads()
    (doc_id,) = repo.document_ids()
    assert {(str(s.status), s.origin) for s in repo.spans(doc_id)} == {("suggested", "import:brat")}
    assert len(repo.claims(doc_id)) == 3
    assert dialog.preview_table.model().rowCount() == 0  # the preview was of the files just imported


def test_the_last_folder_is_remembered_for_the_next_dialog(qtbot, repo, tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = ImportDialog(repo.path, repo.annotator, settings=settings)
    qtbot.addWidget(first)
    monkeypatch.setattr(import_dialog, "existing_directory", lambda *a: str(IMPORT / "feeds"))
    qtbot.mouseClick(first.add_folder_button, Qt.MouseButton.LeftButton)
    assert first.chosen_paths() == [str(IMPORT / "feeds")]

    reopened = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert reopened.value(LAST_FOLDER) == str(IMPORT / "feeds")
    second = ImportDialog(repo.path, repo.annotator, settings=reopened)
    qtbot.addWidget(second)
    asked_in = []
    monkeypatch.setattr(
        import_dialog,
        "open_file_names",
        lambda parent, caption, folder, *rest: (asked_in.append(folder), [])[1],
    )
    qtbot.mouseClick(second.add_files_button, Qt.MouseButton.LeftButton)
    assert asked_in == [str(IMPORT / "feeds")]
    assert second.chosen_paths() == []
