"""Corpus statistics: counts per label and status, per document status, per annotator, per
source and documents done per day, as a bar chart (painted with QPainter: QtCharts is not
part of PySide6-Essentials) above a table of the same numbers. The figures are
``Repository.stats()``, the ones ``main.py stats --json`` prints, read in a worker thread."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gui.jobs import BackgroundJob
from gui.repository_job import repository_job

Index = QModelIndex | QPersistentModelIndex
CHART_CATEGORIES = 30  # more categories than this: the chart shows the largest, the table all
_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1")
_STATUS_COLOURS = {
    "accepted": "#59a14f",
    "suggested": "#edc948",
    "rejected": "#e15759",
    "new": "#bab0ac",
    "in_progress": "#f28e2b",
    "done": "#4e79a7",
}


@dataclass
class Breakdown:
    """One view of the figures: a row per category, a column per series; ``charted`` are
    the columns the chart stacks (the table shows them all)."""

    title: str
    categories: list[str]
    columns: list[str]
    values: list[list[int]]
    charted: list[int] = field(default_factory=lambda: [0])


def _table(
    title: str,
    rows: dict[str, dict[str, int]],
    columns: list[str],
    charted: list[str],
    names: dict[str, str] | None = None,
) -> Breakdown:
    names = names or {}
    return Breakdown(
        title=title,
        categories=[names.get(key, key) or "(none)" for key in rows],
        columns=columns,
        values=[[int(counts.get(column) or 0) for column in columns] for counts in rows.values()],
        charted=[columns.index(name) for name in charted],
    )


def breakdowns(stats: dict[str, Any]) -> list[Breakdown]:
    """The statistics dialog's views of ``Repository.stats()``."""
    labels = stats.get("spans_by_label_status", {})
    doc_status = {status: {"documents": count} for status, count in stats["documents"]["by_status"].items()}
    annotators = stats.get("by_annotator", {})
    sources = stats.get("by_source", {})
    per_day = {day: {"done": count} for day, count in stats.get("done_per_day", {}).items()}
    span_columns = ["accepted", "suggested", "rejected"]
    annotator_columns = [
        "documents_done",
        "spans_accepted",
        "spans_rejected",
        "spans_suggested",
        "claims_accepted",
        "claims_rejected",
        "claims_suggested",
    ]
    source_columns = [
        "documents",
        "done",
        "spans_accepted",
        "spans_suggested",
        "claims_accepted",
        "claims_suggested",
    ]
    return [
        _table("Entities per label and status", labels, span_columns, span_columns),
        _table(
            "Documents per status", doc_status, ["documents"], ["documents"], {"in_progress": "in progress"}
        ),
        _table("Per annotator", annotators, annotator_columns, ["documents_done"]),
        _table("Per source", sources, source_columns, ["documents"]),
        _table("Documents done per day", per_day, ["done"], ["done"]),
    ]


class StatsTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breakdown = Breakdown("", [], [], [])

    def set_breakdown(self, breakdown: Breakdown) -> None:
        self.beginResetModel()
        self.breakdown = breakdown
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.breakdown.categories)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.breakdown.columns) + 1

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return "" if section == 0 else self.breakdown.columns[section - 1].replace("_", " ")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.breakdown.categories[row]
            return f"{self.breakdown.values[row][column - 1]:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        return None


class BarChart(QWidget):
    """Stacked bars, one per category, with a value axis and a legend: vertical while
    every category's name fits under its bar, else horizontal with the names in full
    (elided past 40 % of the width, the whole name in the tooltip) to the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsChart")
        self.setMinimumSize(360, 220)
        self.setMouseTracking(True)
        self.categories: list[str] = []
        self.series: list[str] = []
        self.values: list[list[int]] = []  # per category, per series
        self.colours: list[QColor] = []
        self.bars: list[tuple[QRectF, str]] = []  # painted bar rectangles and their tooltips
        self.labels: list[tuple[QRectF, str]] = []  # painted category names and their texts
        self.horizontal = False
        self.note = ""

    def set_breakdown(self, breakdown: Breakdown) -> None:
        rows = list(zip(breakdown.categories, breakdown.values, strict=True))
        self.note = ""
        if len(rows) > CHART_CATEGORIES and breakdown.title != "Documents done per day":
            rows.sort(key=lambda item: -sum(item[1][i] for i in breakdown.charted))
            self.note = f"largest {CHART_CATEGORIES} of {len(rows)} shown; the table lists all"
            rows = rows[:CHART_CATEGORIES]
        elif len(rows) > CHART_CATEGORIES:
            self.note = f"last {CHART_CATEGORIES} of {len(rows)} days shown"
            rows = rows[-CHART_CATEGORIES:]
        self.categories = [name for name, _ in rows]
        self.series = [breakdown.columns[i] for i in breakdown.charted]
        self.values = [[values[i] for i in breakdown.charted] for _, values in rows]
        self.colours = [
            QColor(_STATUS_COLOURS.get(name, _PALETTE[n % len(_PALETTE)]))
            for n, name in enumerate(self.series)
        ]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        self.bars = []
        if not self.categories:
            painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing to show yet")
            return
        self.labels = []
        top = self._legend(painter, line)
        peak = max(1, max(sum(values) for values in self.values))
        step = _nice_step(peak)
        axis_max = step * math.ceil(peak / step)
        self.horizontal = self._names_crowded(metrics)
        if self.horizontal:
            self._paint_horizontal(painter, metrics, top, step, axis_max)
            return
        left = metrics.horizontalAdvance(f"{axis_max:,}") + 12
        label_room = line + 4
        plot = QRectF(
            left, top + line // 2, self.width() - left - 10, self.height() - top - label_room - line
        )
        if plot.height() < 20 or plot.width() < 20:
            return
        grid = QPen(self.palette().color(self.palette().ColorRole.Mid))
        grid.setStyle(Qt.PenStyle.DotLine)
        text_colour = self.palette().color(self.palette().ColorRole.Text)
        for tick in range(0, axis_max + 1, step):
            y = plot.bottom() - plot.height() * tick / axis_max
            painter.setPen(grid)
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:,}",
            )
        slot = plot.width() / len(self.categories)
        width = max(2.0, slot * 0.7)
        for n, (name, values) in enumerate(zip(self.categories, self.values, strict=True)):
            x = plot.left() + slot * n + (slot - width) / 2
            bottom = plot.bottom()
            for value, colour, series in zip(values, self.colours, self.series, strict=True):
                height = plot.height() * value / axis_max
                rect = QRectF(x, bottom - height, width, height)
                painter.fillRect(rect, colour)
                self.bars.append((rect, f"{name}: {value:,} {series.replace('_', ' ')}"))
                bottom -= height
            label = QRectF(x + width / 2 - slot / 2, plot.bottom() + 4, slot, line)
            painter.setPen(text_colour)
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, name)
            self.labels.append((label, name))
        painter.setPen(text_colour)
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))

    def _names_crowded(self, metrics: QFontMetrics) -> bool:
        """True when a category's name would not fit level under its bar."""
        left = metrics.horizontalAdvance("0000") + 12
        slot = (self.width() - left - 10) / max(1, len(self.categories))
        return any(metrics.horizontalAdvance(name) > slot - 4 for name in self.categories)

    def _paint_horizontal(self, painter: QPainter, metrics: QFontMetrics, top: int, step: int, axis_max: int):
        line = metrics.height()
        names = min(int(self.width() * 0.4), max(metrics.horizontalAdvance(c) for c in self.categories) + 12)
        plot = QRectF(names, top + line // 2, self.width() - names - 16, self.height() - top - 2 * line)
        if plot.height() < 10 or plot.width() < 20:
            return
        grid = QPen(self.palette().color(self.palette().ColorRole.Mid))
        grid.setStyle(Qt.PenStyle.DotLine)
        text_colour = self.palette().color(self.palette().ColorRole.Text)
        for tick in range(0, axis_max + 1, step):
            x = plot.left() + plot.width() * tick / axis_max
            painter.setPen(grid)
            painter.drawLine(int(x), int(plot.top()), int(x), int(plot.bottom()))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x - 40, plot.bottom() + 2, 80, line), Qt.AlignmentFlag.AlignHCenter, f"{tick:,}"
            )
        slot = plot.height() / len(self.categories)
        height = max(2.0, min(slot * 0.7, line * 1.6))
        for n, (name, values) in enumerate(zip(self.categories, self.values, strict=True)):
            y = plot.top() + slot * n + (slot - height) / 2
            left = plot.left()
            for value, colour, series in zip(values, self.colours, self.series, strict=True):
                width = plot.width() * value / axis_max
                rect = QRectF(left, y, width, height)
                painter.fillRect(rect, colour)
                self.bars.append((rect, f"{name}: {value:,} {series.replace('_', ' ')}"))
                left += width
            label = QRectF(4, plot.top() + slot * n, names - 10, slot)
            painter.setPen(text_colour)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, int(label.width()))
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            self.labels.append((label, name))
        painter.drawLine(int(plot.left()), int(plot.top()), int(plot.left()), int(plot.bottom()))

    def shown_names(self) -> list[str]:
        """The category names as painted (elided where they did not fit)."""
        metrics = QFontMetrics(self.font())
        return [
            metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, int(rect.width()))
            for rect, name in self.labels
        ]

    def _legend(self, painter: QPainter, line: int) -> int:
        x = 8
        painter.setPen(self.palette().color(self.palette().ColorRole.Text))
        for name, colour in zip(self.series, self.colours, strict=True):
            painter.fillRect(QRectF(x, 6, 10, 10), colour)
            label = name.replace("_", " ")
            painter.drawText(int(x + 14), 6 + line - 4, label)
            x += 28 + QFontMetrics(self.font()).horizontalAdvance(label)
        if self.note:
            painter.drawText(int(x + 8), 6 + line - 4, f"({self.note})")
        return 6 + line

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        point = event.position()
        tip = next((text for rect, text in self.bars + self.labels if rect.contains(point)), "")
        if tip:
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        else:
            QToolTip.hideText()


def _nice_step(peak: int) -> int:
    """A round tick step giving four to eight ticks up to ``peak``."""
    raw = peak / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, int(factor * magnitude))
    return max(1, int(10 * magnitude))


class StatsDialog(QDialog):
    """Non-modal: the figures are read in the background and refreshed on demand."""

    def __init__(self, db_path: Path, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Corpus statistics")
        self.setObjectName("statsDialog")
        self.db_path = db_path
        self.annotator = annotator
        self.job: BackgroundJob | None = None
        self.stats: dict[str, Any] | None = None
        self.views: list[Breakdown] = []

        self.choice = QComboBox()
        self.choice.setObjectName("statsBreakdown")
        self.refresh_button = QPushButton("&Refresh")
        self.state = QLabel()
        self.state.setObjectName("statsState")
        self.chart = BarChart()
        self.model = StatsTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("statsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.choice, 1)
        top.addWidget(self.state)
        top.addWidget(self.refresh_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(self.table)
        split.setSizes([300, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.resize(760, 620)

        self.choice.currentIndexChanged.connect(self._show)
        self.refresh_button.clicked.connect(self.refresh)

    def refresh(self) -> None:
        if self.job is not None:
            return
        self.state.setText("Counting…")
        self.refresh_button.setEnabled(False)
        self.job = repository_job(self.db_path, self.annotator, lambda repo, _p, _c: repo.stats(), self)
        self.job.finished.connect(self._loaded)
        self.job.failed.connect(self._failed)
        self.job.start()

    def stop(self) -> None:
        if self.job is not None:
            self.job.wait()

    def _job_over(self) -> None:
        if self.job is not None:
            self.job.deleteLater()
            self.job = None

    def _loaded(self, stats: dict[str, Any]) -> None:
        self._job_over()
        self.stats = stats
        self.views = breakdowns(stats)
        chosen = max(self.choice.currentIndex(), 0)
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItems([view.title for view in self.views])
        self.choice.setCurrentIndex(chosen)
        self.choice.blockSignals(False)
        documents = stats["documents"]
        done = documents["by_status"].get("done", 0)
        self.state.setText(f"{done:,} of {documents['total']:,} documents done")
        self.refresh_button.setEnabled(True)
        self._show(chosen)

    def _failed(self, message: str) -> None:
        self._job_over()
        self.state.setText(message)
        self.refresh_button.setEnabled(True)

    def _show(self, number: int) -> None:
        if 0 <= number < len(self.views):
            self.chart.set_breakdown(self.views[number])
            self.model.set_breakdown(self.views[number])

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.stop()
        super().closeEvent(event)
