"""The entity panel's model: one row per span of the open document."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from models.annotation import Span, Status
from models.labels import LabelSet

Index = QModelIndex | QPersistentModelIndex

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SpanTableModel(QAbstractTableModel):
    """Columns: text, label (editable), status, origin. Edits are requests: the model
    changes only when the session announces the saved result."""

    COLUMNS = ("Text", "Label", "Status", "Origin", "Start")
    TEXT, LABEL, STATUS, ORIGIN, START = range(5)

    relabel_requested = Signal(int, str)

    def __init__(self, labels: LabelSet, parent=None) -> None:
        super().__init__(parent)
        self.labels = labels
        self._spans: list[Span] = []

    # -- data in -----------------------------------------------------------------------

    def reset(self, spans: list[Span]) -> None:
        self.beginResetModel()
        self._spans = sorted(spans, key=_order)
        self.endResetModel()

    def add(self, span: Span) -> None:
        row = self._insertion_row(span)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self.endInsertRows()

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        self.endRemoveRows()

    def replace(self, span: Span) -> None:
        row = self.row_of(span.id)
        if row is None:
            return
        moved = _order(self._spans[row]) != _order(span)
        if not moved:
            self._spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
            return
        # A resized span moves: re-sort as a layout change so selections follow the row.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._spans[index.row()].id for index in persistent]
        self._spans[row] = span
        self._spans.sort(key=_order)
        rows = {s.id: i for i, s in enumerate(self._spans)}
        self.changePersistentIndexList(
            persistent,
            [self.index(rows[i], index.column()) for i, index in zip(ids, persistent, strict=False)],
        )
        self.layoutChanged.emit()

    def _insertion_row(self, span: Span) -> int:
        key = _order(span)
        return next((i for i, s in enumerate(self._spans) if _order(s) > key), len(self._spans))

    # -- lookups -----------------------------------------------------------------------

    def row_of(self, span_id: int) -> int | None:
        return next((i for i, s in enumerate(self._spans) if s.id == span_id), None)

    def span_at(self, row: int) -> Span:
        return self._spans[row]

    def spans(self) -> list[Span]:
        return list(self._spans)

    # -- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == self.LABEL:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return {
                self.TEXT: " ".join(span.text.split()),
                self.LABEL: span.label,
                self.STATUS: span.status.value,
                self.ORIGIN: span.origin,
                self.START: span.start,
            }[column]
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return QColor(self.labels.get(span.label).colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label} {span.start}-{span.end} by {span.annotator or '?'} ({span.origin})"
        if role == Qt.ItemDataRole.ForegroundRole and span.status == Status.REJECTED:
            return QBrush(QColor("gray"))
        if role == Qt.ItemDataRole.FontRole and span.status == Status.SUGGESTED:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        if role == SPAN_ID_ROLE:
            return span.id
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != self.LABEL:
            return False
        span = self._spans[index.row()]
        if value and value != span.label:
            self.relabel_requested.emit(span.id, str(value))
        return False  # the row changes when the saved span comes back


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


class LabelDelegate(QStyledItemDelegate):
    """A combo box of every label (the set first, then spaCy's others) for the label column."""

    def __init__(self, labels: LabelSet, parent=None) -> None:
        super().__init__(parent)
        self.labels = labels

    def createEditor(self, parent: QWidget, option, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for label in self.labels:
            combo.addItem(label.name)
            combo.setItemData(combo.count() - 1, QColor(label.colour), Qt.ItemDataRole.DecorationRole)
        combo.insertSeparator(combo.count())
        for name in self.labels.extra_names():
            combo.addItem(name)
        combo.activated.connect(lambda _=0, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # noqa: N802
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
