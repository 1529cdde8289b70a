"""File -> Export...: format, status filter, document filter, dev split, destination;
runs in the background with progress and Cancel; ends with a summary and a button that
opens the folder. The choices of the last export that wrote files are remembered
(QSettings ``export/*``) and offered the next time, after a restart too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.file_dialogs import existing_directory, save_file_name
from gui.jobs import BackgroundJob
from storage.exporters.alignment import rule_text
from storage.exporters.base import ExportError, ExportOptions, export_corpus

FORMAT_TEXT = {
    "spacy": "spaCy DocBin (.spacy)",
    "jsonl": "Prodigy-style JSONL (.jsonl)",
    "conll": "CoNLL-2003 IOB (.conll)",
    "claims": "Claims JSONL (.jsonl)",
    "entities": "Canonical entities JSONL (.jsonl)",
    "patterns": "spaCy EntityRuler patterns from entity names and aliases (.jsonl)",
}
SUFFIX = {"spacy": ".spacy", "jsonl": ".jsonl", "conll": ".conll", "claims": ".claims.jsonl",
          "entities": ".entities.jsonl", "patterns": ".patterns.jsonl"}  # fmt: skip


class ExportDialog(QDialog):
    def __init__(
        self, db_path: Path, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.db_path = Path(db_path)
        self.settings = settings or QSettings()
        self.job: BackgroundJob | None = None
        self.report = None

        self.format = QComboBox()
        for key, text in FORMAT_TEXT.items():
            self.format.addItem(text, key)
        self.status = QComboBox()
        self.status.addItem("Accepted work only (default)", "accepted")
        self.status.addItem("Everything, with its status (audit)", "all")
        self.documents = QComboBox()
        self.documents.addItem("All documents (default)", "all")
        self.documents.addItem("Only documents marked done", "done")
        self.dev_fraction = QDoubleSpinBox()
        self.dev_fraction.setRange(0.0, 0.9)
        self.dev_fraction.setSingleStep(0.05)
        self.dev_fraction.setSpecialValueText("no split (one file)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.destination = QLineEdit(str(Path.home() / "quire-export.spacy"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)

        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Annotations", self.status)
        form.addRow("Documents", self.documents)
        form.addRow("Dev fraction (spaCy)", self.dev_fraction)
        form.addRow("Split seed", self.seed)
        form.addRow("Destination", where)
        self.rule = QLabel()  # the missing-value rule the chosen format applies
        self.rule.setWordWrap(True)
        form.addRow("Training data", self.rule)

        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText("The summary of the export appears here.")
        # the per-label counts are columns: they line up only in a fixed-pitch font
        self.summary.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_folder = self.buttons.addButton("Open folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_folder.setEnabled(False)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.open_folder.clicked.connect(self._open_folder)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.dev_fraction.valueChanged.connect(self._format_changed)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 460)
        self._restore_choices()
        self._format_changed()

    def _restore_choices(self) -> None:
        """The last successful export's choices; a value no longer offered is ignored."""
        for key, combo in (("format", self.format), ("status", self.status), ("documents", self.documents)):
            index = combo.findData(self.settings.value(f"export/{key}", ""))
            if index >= 0:
                combo.setCurrentIndex(index)
        self.dev_fraction.setValue(float(self.settings.value("export/dev_fraction", 0.0) or 0.0))
        self.seed.setValue(int(self.settings.value("export/seed", 0) or 0))
        destination = str(self.settings.value("export/destination", "") or "")
        if destination:
            self.destination.setText(destination)

    def _remember_choices(self) -> None:
        for key, value in (
            ("format", self.format.currentData()),
            ("status", self.status.currentData()),
            ("documents", self.documents.currentData()),
            ("dev_fraction", self.dev_fraction.value()),
            ("seed", self.seed.value()),
            ("destination", self.destination.text().strip()),
        ):
            self.settings.setValue(f"export/{key}", value)
        self.settings.sync()

    # -- options -----------------------------------------------------------------------

    def options(self) -> ExportOptions:
        fraction = self.dev_fraction.value()
        return ExportOptions(
            format=self.format.currentData(),
            out=Path(self.destination.text().strip()).expanduser(),
            status=self.status.currentData(),
            docs=self.documents.currentData(),
            dev_fraction=fraction if fraction > 0 else None,
            seed=self.seed.value(),
        )

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        self.rule.setText(rule_text(fmt))
        is_spacy = fmt == "spacy"
        self.dev_fraction.setEnabled(is_spacy)
        self.seed.setEnabled(is_spacy and self.dev_fraction.value() > 0)
        if not is_spacy:
            self.dev_fraction.setValue(0.0)
        self.status.model().item(1).setEnabled(fmt != "conll")  # IOB tags carry no status
        if fmt == "conll":
            self.status.setCurrentIndex(0)
        path = Path(self.destination.text().strip() or "quire-export")
        if is_spacy and self.dev_fraction.value() > 0:
            path = path.with_suffix("") if path.suffix else path
            self.destination.setText(str(path.parent / path.name.split(".")[0]))
        else:
            base = path.name.split(".")[0] or "quire-export"
            self.destination.setText(str(path.parent / (base + SUFFIX[fmt])))

    def _browse(self) -> None:
        if self.dev_fraction.value() > 0:
            chosen = existing_directory(self, "Folder for train.spacy and dev.spacy", self.destination.text())
        else:
            chosen = save_file_name(self, "Export to", self.destination.text())
        if chosen:
            self.destination.setText(chosen)

    # -- running -----------------------------------------------------------------------

    def start_export(self) -> None:
        options = self.options()
        try:
            options.check(self.db_path)
        except ExportError as exc:
            self.summary.setPlainText(f"Cannot export: {exc}")
            return
        db_path = self.db_path
        self.job = BackgroundJob(
            lambda progress, cancelled: export_corpus(db_path, options, progress, cancelled),
            expected=(ExportError,),
            parent=self,
        )
        self.job.progress.connect(self._progress)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.export_button.setEnabled(False)
        self.open_folder.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.summary.setPlainText("Exporting…")
        self.job.start()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total} documents")

    def _finished(self, report) -> None:
        self.report = report
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.summary.setPlainText("\n".join(report.summary_lines()))
        self.open_folder.setEnabled(bool(report.files))
        self.cancel_button.setText("Close")  # nothing left to cancel
        if report.files:
            self._remember_choices()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.summary.setPlainText(f"Export failed, nothing was written: {message}")
        self.cancel_button.setText("Close")

    def _cancel_or_close(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.summary.setPlainText("Cancelling… (no file is left half-written)")
        else:
            self.reject()

    def _open_folder(self) -> None:
        if self.report is not None and self.report.files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.files[0].parent)))

    def done(self, result: int) -> None:  # noqa: A003 (Qt override)
        if self.job is not None:
            self.job.wait()
        super().done(result)


def install_export(window) -> None:
    """File -> Export... on the main window."""
    from PySide6.QtGui import QAction, QKeySequence

    action = QAction("&Export…", window)
    action.setShortcut(QKeySequence("Ctrl+E"))
    action.triggered.connect(lambda: ExportDialog(window.repo.path, window, window.settings).exec())
    actions = window.file_menu.actions()
    window.file_menu.insertAction(actions[-1] if actions else None, action)
    window.addAction(action)
