"""A table model over annotation records (spans, claims) kept sorted by a key, changed
one record at a time as the session announces saved changes: rows are inserted, removed
and updated, never rebuilt, so selections and scroll positions survive."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from models.annotation import Status

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
R = TypeVar("R")


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Subclasses set ``COLUMNS`` and ``order`` (a sort key over records with an ``id``,
    unique per record) and implement ``data``. Finding, inserting and moving a row is a
    binary search over the sorted keys, and ``status_counts`` is kept as records come
    and go, so one change costs the same in a table of 50,000 rows as in one of 50."""

    COLUMNS: tuple[str, ...] = ()
    order: Callable[[Any], tuple] = staticmethod(lambda record: (record.id or 0,))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._records: list[R] = []
        self._keys: list[tuple] = []  # order(record) of each row, ascending
        self._key_of: dict[int, tuple] = {}  # record id -> its key
        self.status_counts: Counter[Status] = Counter()

    # -- data in -----------------------------------------------------------------------

    def reset(self, records: list[R]) -> None:
        self.beginResetModel()
        keyed = sorted(zip(map(self.order, records), records, strict=True), key=itemgetter(0))
        self._keys = [key for key, _ in keyed]
        self._records = [record for _, record in keyed]
        self._key_of = {r.id: key for key, r in keyed}
        self._count_all(self._records)
        self.endResetModel()

    def add(self, record: R) -> None:
        key = self.order(record)
        row = bisect_right(self._keys, key)
        self.beginInsertRows(_ROOT, row, row)
        self._records.insert(row, record)
        self._keys.insert(row, key)
        self._key_of[record.id] = key
        self._count(record, 1)
        self.endInsertRows()

    def extend(self, records: list[R]) -> None:
        """Records that sort after every row (a long article's next part, in order):
        appended as one block of rows."""
        if not records:
            return
        keyed = list(zip(self.keys_of(records), records, strict=True))
        if self._keys and keyed[0][0] < self._keys[-1]:
            for _, record in keyed:  # not after the rows: each in its place
                self.add(record)
            return
        first = len(self._records)
        self.beginInsertRows(_ROOT, first, first + len(keyed) - 1)
        self._keys.extend(key for key, _ in keyed)
        self._records.extend(records)
        self._key_of.update((record.id, key) for key, record in keyed)
        self._count_more(records)
        self.endInsertRows()

    def remove(self, record_id: int) -> None:
        row = self.row_of(record_id)
        if row is None:
            return
        self.beginRemoveRows(_ROOT, row, row)
        self._count(self._records[row], -1)
        del self._records[row], self._keys[row], self._key_of[record_id]
        self.endRemoveRows()

    def replace(self, record: R) -> None:
        row = self.row_of(record.id)
        if row is None:
            return
        key = self.order(record)
        target = bisect_right(self._keys, key)
        final = target - 1 if target > row else target
        if final != row:
            # A record that moved (a resized span, say) moves its row, so that
            # selections follow it.
            self.beginMoveRows(_ROOT, row, row, _ROOT, target)
            old = self._records.pop(row)
            del self._keys[row]
            self._records.insert(final, old)
            self._keys.insert(final, key)
            self.endMoveRows()
            row = final
        self._count(self._records[row], -1)
        self._records[row] = record
        self._keys[row] = key
        self._key_of[record.id] = key
        self._count(record, 1)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def _count(self, record: R, delta: int) -> None:
        """Keep per-record tallies (subclasses add their own) as rows come and go."""
        self.status_counts[record.status] += delta

    def keys_of(self, records: list[R]) -> list[tuple]:
        """``order(record)`` of each record (subclasses may do it without a call each)."""
        return [self.order(record) for record in records]

    def _count_more(self, records: list[R]) -> None:
        """``_count(record, 1)`` for each of ``records``, at once."""
        self.status_counts.update(record.status for record in records)

    def _count_all(self, records: list[R]) -> None:
        """The tallies of ``_count`` for a new set of records, counted at once."""
        self.status_counts = Counter(record.status for record in records)

    # -- lookups -----------------------------------------------------------------------

    def row_of(self, record_id: int) -> int | None:
        key = self._key_of.get(record_id)
        if key is None:
            return None
        return bisect_left(self._keys, key)

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
        return _grey()
    if role == Qt.ItemDataRole.FontRole and status == Status.SUGGESTED:
        return _italic()
    return None


@cache
def _grey() -> QBrush:
    return QBrush(QColor("gray"))


@cache
def _italic() -> QFont:  # made once: a table asks for it for every visible cell it paints
    font = QFont()
    font.setItalic(True)
    return font
