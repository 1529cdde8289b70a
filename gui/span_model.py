"""The entity panel's model: one row per span of the open document."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from gui.record_model import STATUS_ROLES, RecordTableModel, status_style
from models.annotation import Span
from models.labels import LabelSet

Index = QModelIndex | QPersistentModelIndex

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # "status<TAB>label", what the panel filters on


class SpanTableModel(RecordTableModel[Span]):
    """Columns: text, label (editable), status, origin. Edits are requests: the model
    changes only when the session announces the saved result."""

    COLUMNS = ("Text", "Label", "Status", "Origin", "Start")
    TEXT, LABEL, STATUS, ORIGIN, START = range(5)

    order = staticmethod(lambda span: (span.start, span.end, span.id or 0))
    relabel_requested = Signal(int, str)

    # rows of a long article's parts are inserted this many at a time: every insertion
    # repaints the table
    ROWS_AT_ONCE = 5_000

    def __init__(self, labels: LabelSet, parent=None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.label_counts: Counter[str] = Counter()  # spans per label, kept as rows change
        self._later: list[Span] = []  # loaded spans not in the table yet (extend_later)

    # -- rows of a long article, a part at a time ----------------------------------------

    def extend_later(self, spans: list[Span], now: bool = False) -> None:
        """Spans that sort after every row (a long article's next part): inserted once
        ``ROWS_AT_ONCE`` are waiting, or ``now`` (the last part), or before any other
        change or lookup."""
        self._later.extend(spans)
        if now or len(self._later) >= self.ROWS_AT_ONCE:
            self.flush()

    def flush(self) -> None:
        """Insert the rows waiting from ``extend_later``."""
        later, self._later = self._later, []
        self.extend(later)

    def reset(self, records: list[Span]) -> None:
        self._later = []
        super().reset(records)

    def add(self, record: Span) -> None:
        self.flush()
        super().add(record)

    def remove(self, record_id: int) -> None:
        self.flush()
        super().remove(record_id)

    def replace(self, record: Span) -> None:
        self.flush()
        super().replace(record)

    def row_of(self, record_id: int) -> int | None:
        self.flush()
        return super().row_of(record_id)

    def keys_of(self, records: list[Span]) -> list[tuple]:
        return [(span.start, span.end, span.id or 0) for span in records]

    def _count_more(self, records: list[Span]) -> None:
        super()._count_more(records)
        self.label_counts.update(span.label for span in records)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == self.LABEL:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _count(self, span: Span, delta: int) -> None:
        super()._count(span, delta)
        self.label_counts[span.label] += delta

    def _count_all(self, records: list[Span]) -> None:
        super()._count_all(records)
        self.label_counts = Counter(span.label for span in records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        span = self._records[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.TEXT:
                return " ".join(span.text.split())
            if column == self.LABEL:
                return span.label
            if column == self.STATUS:
                return span.status.value
            return span.origin if column == self.ORIGIN else span.start
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return QColor(self.labels.get(span.label).colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label} {span.start}-{span.end} by {span.annotator or '?'} ({span.origin})"
        if role in STATUS_ROLES:
            return status_style(span.status, role)
        if role == SPAN_ID_ROLE:
            return span.id
        if role == FILTER_ROLE:
            return f"{span.status.value}\t{span.label}"
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != self.LABEL:
            return False
        span = self._records[index.row()]
        if value and value != span.label:
            self.relabel_requested.emit(span.id, str(value))
        return False  # the row changes when the saved span comes back


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
