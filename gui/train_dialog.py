"""Model -> Train...: training in a separate process (``main.py train --json-progress`` in a
``QProcess``: its own interpreter, so spaCy never runs in the GUI's), with a progress bar per
epoch, the dev scores as they come, Cancel that keeps the best model so far (a ``cancel``
line on the process's stdin), and the dev scores beside the stock model / the rules and
the train curve (a table and a small matplotlib plot) at the end.

``ModelMenu`` fills the Model menu: Train..., and the pre-annotation model chooser (the
stock pipeline and every registered model; a model whose folder is gone is shown disabled
with the reason)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.nlp.training.loop import LoopSettings
from models.nlp.training.record import TASKS, TrainedModel
from storage.model_registry import ModelRegistry, ModelRegistryError, check_folder
from storage.repository import Repository

MAIN_SCRIPT = Path(__file__).resolve().parents[1] / "main.py"


class TrainProcess(QObject):
    """``main.py train ... --json-progress`` in a QProcess. ``event`` carries each JSON
    line; ``finished`` the exit code and the last line of stderr (the error, if any)."""

    event = Signal(dict)
    finished = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = QProcess(self)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self._buffer = b""

    def start(self, arguments: list[str]) -> None:
        self._buffer = b""
        self.process.start(sys.executable, [str(MAIN_SCRIPT), "train", *arguments, "--json-progress"])

    @property
    def running(self) -> bool:
        return self.process.state() != QProcess.ProcessState.NotRunning

    def cancel(self) -> None:
        """Ask the training to stop after the batch in hand and keep the best so far."""
        if self.running:
            self.process.write(b"cancel\n")

    def kill(self) -> None:
        if self.running:
            self.process.kill()
            self.process.waitForFinished(5000)

    def _read(self) -> None:
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # not one of ours (a library printing to stdout)
            if isinstance(event, dict) and "event" in event:
                self.event.emit(event)

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read()
        errors = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        self.finished.emit(code, errors.splitlines()[-1] if errors else "")


class CurvePlot(QWidget):
    """Dev F1 against the share of the training data, one line per task (matplotlib)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(3.6, 2.2), layout="tight")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.axes = self.figure.add_subplot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.series: dict[str, list[tuple[float, float]]] = {}
        self._draw()

    def set_points(self, task: str, points: list[tuple[float, float]]) -> None:
        self.series[task] = sorted(points)
        self._draw()

    def _draw(self) -> None:
        axes = self.axes
        axes.clear()
        for task, points in self.series.items():
            if points:
                axes.plot([100 * x for x, _y in points], [y for _x, y in points], marker="o", label=task)
        axes.set_xlabel("% of training documents")
        axes.set_ylabel("dev F1")
        axes.set_xlim(0, 105)
        axes.set_ylim(0, 1.05)
        if axes.get_lines():
            axes.legend(loc="lower right", fontsize="small")
        self.canvas.draw_idle()


class TrainDialog(QDialog):
    """The training settings, Start/Cancel, progress, live dev scores, results and curve."""

    trained = Signal(object)  # the registered TrainedModel's label ("NAME@VERSION")

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train models from confirmed work")
        self.db_path = Path(db_path)
        self.result: dict[str, Any] | None = None
        self.skipped: list[str] = []  # "claims: 5 confirmed claim(s) …": said again at the end
        self.process = TrainProcess(self)
        self.process.event.connect(self._event)
        self.process.finished.connect(self._finished)

        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        self.name_edit = QLineEdit(f"model-{stamp}")
        self.name_edit.setObjectName("trainName")
        self.task_combo = QComboBox()
        self.task_combo.setObjectName("trainTask")
        self.task_combo.addItems(list(reversed(TASKS)))  # all, claims, ner
        self.base_edit = QLineEdit()
        self.base_edit.setPlaceholderText("default pipeline (en_core_web_sm)")
        self.dev_spin = QDoubleSpinBox()
        self.dev_spin.setRange(0.05, 0.5)
        self.dev_spin.setSingleStep(0.05)
        self.dev_spin.setValue(0.2)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 1_000_000)
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(1, 24 * 60)
        self.minutes_spin.setValue(15)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setObjectName("trainEpochs")
        self.epochs_spin.setRange(1, 100)
        self.epochs_spin.setValue(LoopSettings.max_epochs)
        self.curve_check = QCheckBox("retrain on 25/50/75 % of the documents afterwards")
        self.curve_check.setObjectName("trainCurveCheck")
        self.curve_check.setChecked(True)
        self.out_edit = QLineEdit()
        self.out_edit.setObjectName("trainOut")
        self.name_edit.textChanged.connect(self._suggest_folder)
        self._suggest_folder(self.name_edit.text())

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Train", self.task_combo)
        form.addRow("Start from", self.base_edit)
        form.addRow("Dev share", self.dev_spin)
        form.addRow("Seed", self.seed_spin)
        form.addRow("Time budget (min)", self.minutes_spin)
        form.addRow("Epochs (max)", self.epochs_spin)
        form.addRow("Train curve", self.curve_check)
        form.addRow("Folder", self.out_edit)

        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.status = QLabel("Ready.")
        self.status.setObjectName("trainStatus")
        self.status.setWordWrap(True)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(500)
        self.scores = QTableWidget(0, 4)
        self.scores.setObjectName("trainScores")
        self.scores.setHorizontalHeaderLabels(["label / role", "trained P/R/F", "stock / rules P/R/F", ""])
        self.scores.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.curve_table = QTableWidget(0, 3)
        self.curve_table.setObjectName("trainCurve")
        self.curve_table.setHorizontalHeaderLabels(["task", "% of training data", "dev F1"])
        self.curve_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.curve_plot = CurvePlot()
        curve = QWidget()
        curve_layout = QHBoxLayout(curve)
        curve_layout.addWidget(self.curve_table)
        curve_layout.addWidget(self.curve_plot)
        tabs = QTabWidget()
        tabs.addTab(self.scores, "Dev scores")
        tabs.addTab(curve, "Train curve")
        tabs.addTab(self.log, "Log")

        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("trainStart")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("trainCancel")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(tabs, 1)
        layout.addLayout(buttons)
        self.resize(760, 620)

    def _suggest_folder(self, name: str) -> None:
        # beside the database and named after it ("quire-models"): a plain "models" folder
        # beside a database kept in a project folder landed in that project's own models/
        folder = self.db_path.parent / f"{self.db_path.stem}-models"
        self.out_edit.setText(str(folder / (name.strip() or "model")))

    def arguments(self) -> list[str]:
        args = [
            "--db", str(self.db_path), "--out", self.out_edit.text().strip(),
            "--name", self.name_edit.text().strip(), "--task", self.task_combo.currentText(),
            "--dev-fraction", f"{self.dev_spin.value():.2f}", "--seed", str(self.seed_spin.value()),
            "--max-minutes", str(self.minutes_spin.value()), "--max-epochs", str(self.epochs_spin.value()),
        ]  # fmt: skip
        if self.base_edit.text().strip():
            args += ["--base", self.base_edit.text().strip()]
        if not self.curve_check.isChecked():
            args.append("--no-curve")
        return args

    # -- running -------------------------------------------------------------------------

    def start(self) -> None:
        if self.process.running:
            return
        if not self.name_edit.text().strip() or not self.out_edit.text().strip():
            self.status.setText("Give the model a name and a folder.")
            return
        self.result = None
        self.skipped = []
        self.scores.setRowCount(0)
        self.curve_table.setRowCount(0)
        self.curve_plot.series.clear()
        self.log.clear()
        self.progress.setRange(0, 0)
        self.status.setText("Starting (loading spaCy)…")
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.process.start(self.arguments())

    def cancel(self) -> None:
        self.process.cancel()
        self.cancel_button.setEnabled(False)
        self.status.setText("Cancelling: finishing the batch in hand, then saving the best model so far…")

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.process.running:  # the window goes: stop, keeping the best so far
            self.process.cancel()
            if not self.process.process.waitForFinished(60_000):
                self.process.kill()
        super().closeEvent(event)

    def _event(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "stage":
            self.status.setText(event["message"])
            self.log.appendPlainText(event["message"])
        elif kind == "skipped":
            self.skipped.append(f"{event['task']}: {event['reason']}")
            self.log.appendPlainText(f"skipped {event['task']}: {event['reason']}")
        elif kind == "data":
            size = f"{event['spans']} spans" if "spans" in event else f"{event['claims']} claims"
            self.log.appendPlainText(
                f"{event['task']}: {event['train']} training and {event['dev']} dev documents, {size}"
            )
        elif kind == "epoch":
            self._epoch(event)
        elif kind == "curve":
            self._curve_point(event)
        elif kind == "done":
            self.result = event
            self._show_result(event)

    def _epoch(self, event: dict[str, Any]) -> None:
        self.progress.setRange(0, event["max_epochs"])
        self.progress.setValue(event["epoch"])
        self.progress.setFormat(f"{event['task']}: epoch %v of %m")
        mark = " (best so far)" if event["best"] else ""
        line = (
            f"{event['task']} epoch {event['epoch']}: loss {event['loss']:.1f}, dev F1 {event['f']:.3f}{mark}"
        )
        self.status.setText(line)
        self.log.appendPlainText(line)
        if event["task"] == "ner":
            per_label = event["scores"].get("per_label", {})
            self._fill_scores([(label, _prf(v), "", "") for label, v in per_label.items()]
                              + [("all", _prf(event["scores"]), "", f"epoch {event['epoch']}")])  # fmt: skip

    def _curve_point(self, event: dict[str, Any]) -> None:
        row = self.curve_table.rowCount()
        self.curve_table.insertRow(row)
        f = event.get("f")
        for column, text in enumerate(
            (event["task"], f"{event['fraction']:.0%}", "-" if f is None else f"{f:.3f}")
        ):
            self.curve_table.setItem(row, column, QTableWidgetItem(text))
        points = [p for p in self.curve_plot.series.get(event["task"], [])]
        if f is not None:
            points.append((event["fraction"], f))
        self.curve_plot.set_points(event["task"], points)

    def _show_result(self, result: dict[str, Any]) -> None:
        rows: list[tuple[str, str, str, str]] = []
        scores = result.get("scores", {})
        if "ner" in scores:
            trained, stock = scores["ner"]["trained"], scores["ner"]["stock"]
            for label in sorted(set(trained["per_label"]) | set(stock["per_label"])):
                rows.append(
                    (label, _prf(trained["per_label"].get(label)), _prf(stock["per_label"].get(label)), "")
                )
            rows.append(("entities, all", _prf(trained), _prf(stock), "vs stock model"))
        if "claims" in scores:
            claims = scores["claims"]
            for role in claims["rules"]:
                rows.append((f"claims: {role}", _prf(claims["combined"][role]), _prf(claims["rules"][role]),
                             "vs rules"))  # fmt: skip
            rows.append(("claim suggester", claims["mode_text"], "", ""))
        self._fill_scores(rows)
        for line in result.get("lines", []):
            self.log.appendPlainText(line)

    def _fill_scores(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.scores.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.scores.setItem(r, c, QTableWidgetItem(text))

    def _finished(self, code: int, error: str) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if code == 0 else 0)
        self.progress.setFormat("finished" if code == 0 else "stopped")  # not the last task's "epoch 1 of 1"
        model = (self.result or {}).get("model")
        if model:
            note = " (stopped early: the best model so far is kept)" if self.result.get("cancelled") else ""
            skipped = f" Not trained: {'; '.join(self.skipped)}." if self.skipped else ""
            left_out = len(self.result.get("left_out", []))
            if left_out:
                skipped += f" {left_out} document(s) too long for the pipeline left out (see the Log)."
            self.status.setText(
                f"Saved {model['path']} as {model['name']}@{model['version']}{note}.{skipped}"
            )
            self.trained.emit(f"{model['name']}@{model['version']}")
        elif self.result is not None and self.result.get("cancelled"):
            self.status.setText("Cancelled before the first epoch finished: no model saved.")
        else:
            self.status.setText(error.removeprefix("error: ") or f"Training stopped (exit code {code}).")


def _prf(value: dict[str, float] | None) -> str:
    if not value:
        return "-"
    return f"{value['p']:.2f} / {value['r']:.2f} / {value['f']:.2f}"


class ModelMenu(QObject):
    """The Model menu: Train... and the pre-annotation model chooser. ``choose(path)`` is
    called with a registered model's folder, or ``None`` for the stock pipeline."""

    def __init__(self, menu: QMenu, repo: Repository, choose: Callable[[str | None], None] | None,
                 parent: QWidget) -> None:  # fmt: skip
        super().__init__(parent)
        self.menu = menu
        self.repo = repo
        self.choose = choose
        self.parent_widget = parent
        self.dialog: TrainDialog | None = None
        self.chosen: str | None = None  # NAME@VERSION, None: the stock pipeline
        self.train_action = menu.addAction("&Train…", self.open_dialog)
        self.train_action.setObjectName("trainAction")
        self.group = QActionGroup(self)
        self.chooser = menu.addMenu("Pre-annotate &with")
        self.chooser.setObjectName("modelChooser")
        self.chooser.setToolTipsVisible(True)
        self.chooser.menuAction().setVisible(choose is not None)
        self.chooser.aboutToShow.connect(self.refresh)
        self.refresh()

    def models(self) -> list[TrainedModel]:
        return ModelRegistry(self.repo).models()

    def refresh(self) -> None:
        """Rebuild the chooser from the registry (a small table, read on opening)."""
        self.chooser.clear()
        for action in self.group.actions():
            self.group.removeAction(action)
        stock = self._add("Stock pipeline (default)", None, "")
        stock.setChecked(self.chosen is None)
        for model in self.models():
            f = model.scores.get("ner", {}).get("trained", {}).get("f")
            text = f"{model.label} — {model.task}" + (f", entity F1 {f:.2f}" if f is not None else "")
            try:
                check_folder(model)
                problem = ""
            except ModelRegistryError as exc:
                problem = str(exc)
            action = self._add(text + (" (folder missing)" if problem else ""), model, problem)
            action.setChecked(self.chosen == model.label)

    def _add(self, text: str, model: TrainedModel | None, problem: str) -> QAction:
        action = QAction(text, self.chooser)
        action.setCheckable(True)
        action.setData(None if model is None else model.label)
        action.setEnabled(not problem)
        action.setToolTip(problem or (model.path if model else "the installed spaCy pipeline"))
        action.triggered.connect(lambda _=False, m=model: self._chosen(m))
        self.group.addAction(action)
        self.chooser.addAction(action)
        return action

    def _chosen(self, model: TrainedModel | None) -> None:
        self.chosen = None if model is None else model.label
        settings = getattr(self.parent_widget, "settings", None)
        if settings is not None:  # offered again when this database is next opened
            settings.setValue(self.parent_widget.database_setting("model"), self.chosen or "")
        if self.choose is not None:
            self.choose(None if model is None else model.path)

    def open_dialog(self) -> TrainDialog:
        if self.dialog is None:
            self.dialog = TrainDialog(self.repo.path, self.parent_widget)
            self.dialog.trained.connect(lambda _label: self.refresh())
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog


def install_model_menu(window, preannotation=None) -> ModelMenu:
    """Add the Model menu before Help; the chooser switches ``preannotation``'s pipeline
    and is followed by its "Replace unreviewed suggestions" option (without it, both are
    left out)."""
    menu = QMenu("&Model", window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    choose = preannotation.use_model if preannotation is not None else None
    window.model_menu = ModelMenu(menu, window.repo, choose, window)
    if preannotation is not None:
        menu.addAction(preannotation.replace_action)
    return window.model_menu


def replace_suggestions_action(parent: QObject) -> QAction:
    """The pre-annotation option "Replace unreviewed suggestions", on by default: an
    analyst who pre-annotates again, usually with another model, wants that model's
    suggestions to review, not two models' guesses side by side ("Germany GPE? GPE?"), each
    to reject by hand, and rejecting one would record the text as not that label for
    training. Reviewed work is never touched (``storage.replace_suggestions``)."""
    action = QAction("&Replace unreviewed suggestions", parent)
    action.setObjectName("replaceSuggestions")
    action.setCheckable(True)
    action.setChecked(True)
    action.setToolTip(
        "Pre-annotating removes the suggestions not yet reviewed that another model made in the "
        "same documents (accepted and rejected work stays); off: the new suggestions go beside them"
    )
    return action
