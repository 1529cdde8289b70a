"""A table model over annotation records (spans, claims) kept sorted by a key, changed
one record at a time as the session announces saved changes: rows are inserted, removed
and updated, never rebuilt, so selections and scroll positions survive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from models.annotation import Status

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
R = TypeVar("R")


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Subclasses set ``COLUMNS`` and ``order`` (a sort key over records with an ``id``)
    and implement ``data``."""

    COLUMNS: tuple[str, ...] = ()
    order: Callable[[Any], tuple] = staticmethod(lambda record: (record.id or 0,))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._records: list[R] = []

    # -- data in -----------------------------------------------------------------------

    def reset(self, records: list[R]) -> None:
        self.beginResetModel()
        self._records = sorted(records, key=self.order)
        self.endResetModel()

    def add(self, record: R) -> None:
        key = self.order(record)
        row = next((i for i, r in enumerate(self._records) if self.order(r) > key), len(self._records))
        self.beginInsertRows(_ROOT, row, row)
        self._records.insert(row, record)
        self.endInsertRows()

    def remove(self, record_id: int) -> None:
        row = self.row_of(record_id)
        if row is None:
            return
        self.beginRemoveRows(_ROOT, row, row)
        del self._records[row]
        self.endRemoveRows()

    def replace(self, record: R) -> None:
        row = self.row_of(record.id)
        if row is None:
            return
        if self.order(self._records[row]) == self.order(record):
            self._records[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
            return
        # A record that moved (a resized span, say) changes place as a layout change, so
        # that selections follow the row.
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._records[index.row()].id for index in persistent]
        self._records[row] = record
        self._records.sort(key=self.order)
        rows = {r.id: i for i, r in enumerate(self._records)}
        moved = [self.index(rows[i], index.column()) for i, index in zip(ids, persistent, strict=True)]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # -- lookups -----------------------------------------------------------------------

    def row_of(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), None)

    def record_at(self, row: int) -> R:
        return self._records[row]

    def records(self) -> list[R]:
        return list(self._records)

    # -- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


STATUS_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


def status_style(status: Status, role: int) -> QBrush | QFont | None:
    """How a row shows its review status: suggestions in italics, rejections in grey."""
    if role == Qt.ItemDataRole.ForegroundRole and status == Status.REJECTED:
        return QBrush(QColor("gray"))
    if role == Qt.ItemDataRole.FontRole and status == Status.SUGGESTED:
        font = QFont()
        font.setItalic(True)
        return font
    return None
