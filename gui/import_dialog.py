"""File -> Import...: choose files and folders, preview what they would bring (documents,
spans, claims, problems) without writing anything, import them in the background with
progress and Cancel, and end with a summary that lists what was skipped and why. The
folder last chosen from is remembered (QSettings ``import/last_folder``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.file_dialogs import existing_directory, open_file_names
from gui.jobs import BackgroundJob
from gui.repository_job import repository_job
from storage.formats import FILE_PATTERNS
from storage.formats.preview import ImportPreview, PreviewDocument, preview_paths
from storage.formats.records import ImportOptions
from storage.importers import ImportReport, import_paths

FILE_FILTER = (
    f"Articles and annotated corpora (*.txt *.md *.jsonl {FILE_PATTERNS});;"
    "News pages (*.html *.htm *.xhtml *.mhtml *.mht);;Feeds (*.rss *.atom *.xml);;All files (*)"
)
LAST_FOLDER = "import/last_folder"


def _import_work(paths: list[str], as_suggestions: bool):
    def work(repo, progress, cancelled) -> ImportReport:
        options = ImportOptions(as_suggestions=as_suggestions)
        return import_paths(repo, paths, progress=progress, cancelled=cancelled, options=options)

    return work


def _preview_work(paths: list[str], as_suggestions: bool):
    def work(progress, cancelled) -> ImportPreview:
        return preview_paths(paths, ImportOptions(as_suggestions=as_suggestions), progress, cancelled)

    return work


class PreviewModel(QAbstractTableModel):
    """The documents a preview found: where, title, characters, spans, claims."""

    HEADERS = ("File", "Title", "Characters", "Spans", "Claims")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewDocument] = []

    def set_rows(self, rows: list[PreviewDocument]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        return (Path(row.where).name, row.title, row.characters, row.spans, row.claims)[index.column()]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport, once the worker thread has finished
    previewed = Signal(object)  # ImportPreview, once the preview's thread has finished

    def __init__(
        self, db_path: Path, annotator: str, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.preview: ImportPreview | None = None
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
        self.as_suggestions = QCheckBox("Import annotations as &suggestions to review (else accepted)")
        self.as_suggestions.setObjectName("asSuggestions")
        self.preview_button = QPushButton("&Preview")
        self.preview_button.setObjectName("previewImport")
        self.preview_model = PreviewModel(self)
        self.preview_table = QTableView()
        self.preview_table.setObjectName("importPreview")
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.current = QLabel(
            ".txt and .md (first line is the title), .jsonl, news pages (.html), feeds (.rss, .atom), "
            "spaCy .spacy, CoNLL/IOB/BILUO, brat (.txt + .ann), doccano .jsonl, Label Studio .json, "
            "or folders of them."
        )
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
        for button in (self.preview_button, self.import_button, self.cancel_button, self.close_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paths, 2)
        layout.addLayout(choose)
        layout.addWidget(self.as_suggestions)
        layout.addWidget(self.preview_table, 3)
        layout.addWidget(self.progress)
        layout.addWidget(self.current)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 3)
        layout.addLayout(actions)
        self.resize(760, 600)

        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self._remove_selected)
        self.preview_button.clicked.connect(self.start_preview)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self._set_running(False)

    # -- choosing ----------------------------------------------------------------------

    def last_folder(self) -> str:
        """The folder files or a folder were last chosen from ("" the first time)."""
        return str(self.settings.value(LAST_FOLDER, "") or "")

    def choose_files(self) -> None:
        files = open_file_names(self, "Import files", self.last_folder(), FILE_FILTER)
        if files:
            self._remember(str(Path(files[0]).parent))
        self.add_paths(files)

    def choose_folder(self) -> None:
        folder = existing_directory(self, "Import a folder", self.last_folder())
        if folder:
            self._remember(folder)
            self.add_paths([folder])

    def _remember(self, folder: str) -> None:
        self.settings.setValue(LAST_FOLDER, folder)
        self.settings.sync()

    def add_paths(self, paths: list[str]) -> None:
        known = set(self.chosen_paths())
        for path in paths:
            if path not in known:
                self.paths.addItem(path)
                known.add(path)
        self._clear_preview()
        self._set_running(self.job is not None)

    def chosen_paths(self) -> list[str]:
        return [self.paths.item(row).text() for row in range(self.paths.count())]

    def _remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self._clear_preview()
        self._set_running(self.job is not None)

    # -- running -----------------------------------------------------------------------

    def start_preview(self) -> None:
        """Read the chosen files into a throw-away database and show what they would
        bring; the user's database is not touched."""
        paths = self.chosen_paths()
        if self.job is not None or not paths:
            return
        self._begin("Reading the files for a preview (nothing is written)…")
        self.job = BackgroundJob(_preview_work(paths, self.as_suggestions.isChecked()), (), self)
        self._connect(self._previewed)

    def start(self) -> None:
        paths = self.chosen_paths()
        if self.job is not None or not paths:
            return
        self.report = None
        self._begin("Reading the files…")
        work = _import_work(paths, self.as_suggestions.isChecked())
        self.job = repository_job(self.db_path, self.annotator, work, self)
        self._connect(self._finished)

    def _begin(self, message: str) -> None:
        self.summary.clear()
        self.details.clear()
        self.progress.setRange(0, 0)
        self.current.setText(message)

    def _connect(self, finished) -> None:
        self.job.progress.connect(self._progress)
        self.job.finished.connect(finished)
        self.job.failed.connect(self._failed)
        self._set_running(True)
        self.job.start()

    def _previewed(self, preview: ImportPreview) -> None:
        self._job_over()
        self.preview = preview
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.current.clear()
        self.preview_model.set_rows(preview.documents)
        self.preview_table.resizeColumnsToContents()
        self.summary.setText(preview.summary()[0].upper() + preview.summary()[1:] + ". Nothing written yet.")
        self.details.setPlainText("\n".join(preview.report.lines()))
        self.previewed.emit(preview)

    def _clear_preview(self) -> None:
        self.preview = None
        self.preview_model.set_rows([])

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
        self._clear_preview()
        self._set_running(False)
        self.imported.emit(report)

    def _failed(self, message: str) -> None:
        self._job_over()
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.current.clear()
        self.summary.setText(f"Import stopped: {message}")

    def _set_running(self, running: bool) -> None:
        for widget in (self.add_files_button, self.add_folder_button, self.remove_button, self.close_button,
                       self.as_suggestions):  # fmt: skip
            widget.setEnabled(not running)
        for button in (self.import_button, self.preview_button):
            button.setEnabled(not running and self.paths.count() > 0)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)  # an idle bar looks like an empty text field

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.stop()  # closing while running: stop, keep what was imported
        super().closeEvent(event)
