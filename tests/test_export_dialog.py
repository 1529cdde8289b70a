"""File -> Export... through the real dialog: defaults visible, background run, summary,
and the file on disk."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from gui.export_dialog import ExportDialog
from models.annotation import Span, Status


def test_export_dialog_writes_jsonl_in_background_with_summary(
    qtbot, repo, make_document, tmp_path, settings
):
    text = "Maria Lopez visited Kyiv on Monday."
    doc_id = make_document(text)
    repo.add_span(Span(doc_id=doc_id, start=0, end=11, label="PERSON", text="Maria Lopez"))
    repo.add_span(Span(doc_id=doc_id, start=20, end=24, label="GPE", text="Kyiv", status=Status.SUGGESTED,
                       origin="spacy:en_core_web_sm@3.8.0"))  # fmt: skip
    dialog = ExportDialog(repo.path, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.status.currentText().startswith("Accepted work only (default)")
    assert dialog.documents.currentText().startswith("All documents (default)")
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    out = tmp_path / "out.jsonl"
    dialog.destination.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert [(s["label"], s["status"]) for s in record["spans"]] == [("PERSON", "accepted")]
    summary = dialog.summary.toPlainText()
    assert "documents: 1" in summary and "PERSON" in summary and "problems: 0" in summary
    assert dialog.open_folder.isEnabled()
    dialog.close()


def test_export_dialog_reports_bad_destination_without_writing(
    qtbot, repo, make_document, tmp_path, settings
):
    make_document("Some text in Oslo.")
    dialog = ExportDialog(repo.path, settings=settings)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    dialog.destination.setText(str(tmp_path))  # a folder, not a file
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Cannot export" in dialog.summary.toPlainText() and "folder" in dialog.summary.toPlainText()
    assert dialog.job is None


def test_export_dialog_offers_the_last_successful_export_again_after_a_restart(
    qtbot, repo, make_document, tmp_path, settings
):
    """The destination used to reset to ~/quire-export.spacy on every opening (newcomer
    trial): the format, filters, split and destination of the last export that wrote
    files come back, and a failed export changes nothing."""
    make_document("Maria Lopez visited Kyiv on Monday.")
    first = ExportDialog(repo.path, settings=settings)
    qtbot.addWidget(first)
    first.format.setCurrentIndex(first.format.findData("conll"))
    first.documents.setCurrentIndex(first.documents.findData("all"))
    first.seed.setValue(7)
    out = tmp_path / "exports" / "week1.conll"
    out.parent.mkdir()
    first.destination.setText(str(out))
    qtbot.mouseClick(first.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.report is not None, timeout=30_000)
    first.destination.setText(str(tmp_path))  # a folder: refused, not remembered
    qtbot.mouseClick(first.export_button, Qt.MouseButton.LeftButton)
    assert "Cannot export" in first.summary.toPlainText()
    first.close()

    from PySide6.QtCore import QSettings

    reopened = QSettings(settings.fileName(), QSettings.Format.IniFormat)  # as after a restart
    second = ExportDialog(repo.path, settings=reopened)
    qtbot.addWidget(second)
    assert second.format.currentData() == "conll" and second.seed.value() == 7
    assert second.destination.text() == str(out)
    second.close()
