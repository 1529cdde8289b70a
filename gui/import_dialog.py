"""File -> Import...: choose files and folders, import them in the background with progress
and Cancel, and end with a summary that lists what was skipped and why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.jobs import BackgroundJob
from gui.repository_job import repository_job
from storage.importers import ImportReport, import_paths

FILE_FILTER = "Articles (*.txt *.md *.jsonl);;All files (*)"


def _import_work(paths: list[str]):
    def work(repo, progress, cancelled) -> ImportReport:
        return import_paths(repo, paths, progress=progress, cancelled=cancelled)

    return work


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport, once the worker thread has finished

    def __init__(self, db_path: Path, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import articles")
        self.setObjectName("importDialog")
        self.db_path = db_path
        self.annotator = annotator
        self.job: BackgroundJob | None = None
        self.report: ImportReport | None = None

        self.paths = QListWidget()
        self.paths.setObjectName("importPaths")
        self.add_files_button = QPushButton("Add &files…")
        self.add_files_button.setObjectName("addFiles")
        self.add_folder_button = QPushButton("Add f&older…")
        self.add_folder_button.setObjectName("addFolder")
        self.remove_button = QPushButton("&Remove")
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.current = QLabel(".txt and .md (first line is the title), .jsonl, or folders of them.")
        self.current.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Files that were skipped, and why, are listed here.")
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("startImport")
        self.import_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelImport")
        self.close_button = QPushButton("Close")

        choose = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            choose.addWidget(button)
        choose.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.import_button, self.cancel_button, self.close_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paths, 2)
        layout.addLayout(choose)
        layout.addWidget(self.progress)
        layout.addWidget(self.current)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 3)
        layout.addLayout(actions)
        self.resize(640, 480)

        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self._set_running(False)

    # -- choosing ----------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(self, "Import files", "", FILE_FILTER)
        self.add_paths(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder")
        if folder:
            self.add_paths([folder])

    def add_paths(self, paths: list[str]) -> None:
        known = set(self.chosen_paths())
        for path in paths:
            if path not in known:
                self.paths.addItem(path)
                known.add(path)
        self.import_button.setEnabled(self.job is None and self.paths.count() > 0)

    def chosen_paths(self) -> list[str]:
        return [self.paths.item(row).text() for row in range(self.paths.count())]

    def _remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self.import_button.setEnabled(self.job is None and self.paths.count() > 0)

    # -- running -----------------------------------------------------------------------

    def start(self) -> None:
        paths = self.chosen_paths()
        if self.job is not None or not paths:
            return
        self.report = None
        self.summary.clear()
        self.details.clear()
        self.progress.setRange(0, 0)
        self.current.setText("Reading the files…")
        self.job = repository_job(self.db_path, self.annotator, _import_work(paths), self)
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self._set_running(True)
        self.job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.current.setText("Cancelling after the file in hand (imported files are kept)…")
        else:
            self.close()

    def stop(self) -> None:
        """Cancel and wait (the window is closing); imported files are kept."""
        if self.job is not None:
            self.job.wait()

    def _job_over(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
            self.job = None

    def _progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.current.setText(f"{done} of {total} files" + (f": {name}" if name else ""))

    def _finished(self, report: ImportReport) -> None:
        self._job_over()
        self.report = report
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.current.clear()
        self.summary.setText(report.summary()[0].upper() + report.summary()[1:] + ".")
        self.details.setPlainText("\n".join(report.lines()))
        self.paths.clear()
        self.import_button.setEnabled(False)
        self.imported.emit(report)

    def _failed(self, message: str) -> None:
        self._job_over()
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.current.clear()
        self.summary.setText(f"Import stopped: {message}")

    def _set_running(self, running: bool) -> None:
        for widget in (self.add_files_button, self.add_folder_button, self.remove_button, self.close_button):
            widget.setEnabled(not running)
        self.import_button.setEnabled(not running and self.paths.count() > 0)
        self.cancel_button.setEnabled(running)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.stop()  # closing while running: stop, keep what was imported
        super().closeEvent(event)
