"""The entity panel: the open document's spans, filterable by status and label."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.keys import RESIZE_ACTIONS, review_action
from gui.span_model import FILTER_ROLE, SPAN_ID_ROLE, LabelDelegate, SpanTableModel
from models.annotation import Status
from models.labels import LabelSet

ORIGIN_SHOWN_FROM = 400  # panel width (px) below which the origin column is hidden

ALL = "All"


class SpanFilterProxy(QSortFilterProxyModel):
    """Rows of one status and/or label. Qt filters on the model's ``FILTER_ROLE`` by a
    pattern: with no filter set it accepts every row without asking the model (a
    ``filterAcceptsRow`` in Python was called for each of 50,000 rows when a long
    article opened)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFilterRole(FILTER_ROLE)

    def set_filters(self, status: str | None, label: str | None) -> None:
        if status is None and label is None:
            pattern = ""
        else:
            status_part = "[^\t]*" if status is None else QRegularExpression.escape(status)
            label_part = ".*" if label is None else QRegularExpression.escape(label)
            pattern = f"^{status_part}\t{label_part}$"
        self.setFilterRegularExpression(QRegularExpression(pattern))


class SpanTableView(QTableView):
    delete_pressed = Signal()
    key_action = Signal(str)  # review keys, as in the article view
    label_key = Signal(int)  # a number key

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_pressed.emit()
                return
            if (
                Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            ):
                self.label_key.emit(event.key() - Qt.Key.Key_0)
                return
            action = review_action(event)
            if (
                action is not None
                and action not in RESIZE_ACTIONS
                or action in RESIZE_ACTIONS
                and self.currentIndex().isValid()
            ):
                self.key_action.emit(action)
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        return False  # Tab / Shift+Tab step through suggestions


class CountLine(QWidget):
    """One line of text whose size never depends on the text: a new text repaints the
    line and nothing else. (A ``QLabel`` asks its parent's layout to run again on every
    ``setText``; under the entity table that was a layout pass of the panel, and a
    repaint of the rows under it, on every review key.) Too long a text is elided; the
    whole text is the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 4)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (as QLabel names it)
        if text != self._text:
            self._text = text
            self.setToolTip(text)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        rect = self.contentsRect().adjusted(2, 0, -2, 0)
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().windowText().color())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)


class EntityPanel(QWidget):
    span_activated = Signal(object)  # span id or None (row selection)
    delete_requested = Signal(int)

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SpanTableModel(labels, self)
        self.proxy = SpanFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = SpanTableView()
        self.table.setObjectName("entityTable")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(SpanTableModel.LABEL, LabelDelegate(labels, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setColumnHidden(SpanTableModel.START, True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SpanTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        # Widths from the names a column can hold, set once: ResizeToContents would read
        # up to 1,000 rows of the model after every change (60 ms a key with 50,000 spans).
        metrics = self.table.fontMetrics()
        widths = {
            SpanTableModel.LABEL: [*labels.names, *labels.extra_names()],
            SpanTableModel.STATUS: [s.value for s in Status],
        }
        for column, names in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(metrics.horizontalAdvance(n) for n in names) + 40)
        # origins such as "spacy:en_core_web_sm@3.8.0" are long: elided, full text in the tooltip
        header.setSectionResizeMode(SpanTableModel.ORIGIN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SpanTableModel.ORIGIN, 110)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItems([ALL] + [s.value for s in Status])
        self.label_filter = QComboBox()
        self.label_filter.setObjectName("labelFilter")
        self.label_filter.addItems([ALL] + labels.names)
        self.counts = CountLine()
        self.counts.setObjectName("spanCounts")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Status"))
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("Label"))
        filters.addWidget(self.label_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        self.status_filter.currentTextChanged.connect(self._filter)
        self.label_filter.currentTextChanged.connect(self._filter)
        self._following = False  # select_span is moving the current row
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.delete_pressed.connect(self._delete_current)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.dataChanged,
        ):
            signal.connect(self._update_counts)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        # a narrow panel keeps the span's text readable: the origin goes to the tooltip
        self.table.setColumnHidden(SpanTableModel.ORIGIN, self.width() < ORIGIN_SHOWN_FROM)

    def _filter(self) -> None:
        status = self.status_filter.currentText()
        label = self.label_filter.currentText()
        self.proxy.set_filters(None if status == ALL else status, None if label == ALL else label)

    def _update_counts(self, *_args) -> None:
        by_status = self.model.status_counts
        self.counts.setText(
            f"{self.model.rowCount()} spans: " + ", ".join(f"{by_status[s]} {s.value}" for s in Status)
        )
        known = {self.label_filter.itemText(i) for i in range(self.label_filter.count())}
        for label in sorted({name for name, n in self.model.label_counts.items() if n} - known):
            self.label_filter.addItem(label)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # A row that disappears (deleted, filtered out) is not a choice of the user's,
        # nor is a row made current to follow a selection made elsewhere.
        if current.isValid() and not self._following:
            self.span_activated.emit(current.data(SPAN_ID_ROLE))

    def _delete_current(self) -> None:
        span_id = self.current_span_id()
        if span_id is not None:
            self.delete_requested.emit(span_id)

    def current_span_id(self) -> int | None:
        current = self.table.currentIndex()
        return current.data(SPAN_ID_ROLE) if current.isValid() else None

    def select_span(self, span_id: int | None) -> None:
        """Follow a selection made elsewhere without announcing it back. The selection
        model's signals stay on, so the table repaints only the rows that change."""
        if span_id is not None and span_id == self.current_span_id():
            return
        selection = self.table.selectionModel()
        self._following = True
        try:
            row = self.model.row_of(span_id) if span_id is not None else None
            if row is None:
                selection.clear()
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self._scroll_to_row(index)  # first: the view would scroll it just into view
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
        finally:
            self._following = False

    def _scroll_to_row(self, index: QModelIndex) -> None:
        """Bring a row into view only when it is out of view, and then to the middle:
        stepping through suggestions with J scrolls the table once a half page, not
        every row (each scroll repaints the whole table)."""
        row_rect = self.table.visualRect(index)
        viewport = self.table.viewport().rect()
        if row_rect.top() < 0 or row_rect.bottom() > viewport.bottom():
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        bar = self.table.horizontalScrollBar()
        if bar.value() != 0:
            bar.setValue(0)  # keep the text column in view
