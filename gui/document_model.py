"""The document list: rows fetched from the repository a page at a time, never the text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from storage.repository import Repository

Index = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 256

STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}


class DocumentTableModel(QAbstractTableModel):
    COLUMNS = ("Title", "Source", "Status")
    TITLE, SOURCE, STATUS = range(3)

    def __init__(self, repo: Repository, parent=None) -> None:
        super().__init__(parent)
        self.repo = repo
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._total = self.repo.document_count()
        self._rows = self.repo.document_rows(0, PAGE)
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        rows = self.repo.document_rows(len(self._rows), PAGE)
        if not rows:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["title"], row["source"], STATUS_TEXT.get(row["status"], row["status"]))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["title"]
        if role == DOC_ID_ROLE:
            return row["id"]
        return None

    def row_of(self, doc_id: int) -> int | None:
        while True:
            found = next((i for i, r in enumerate(self._rows) if r["id"] == doc_id), None)
            if found is not None or not self.canFetchMore():
                return found
            self.fetchMore()

    def doc_id_at(self, row: int) -> int:
        return self._rows[row]["id"]

    def update_status(self, doc_id: int, status: str) -> None:
        row = self.row_of(doc_id)
        if row is not None and self._rows[row]["status"] != status:
            self._rows[row] = {**self._rows[row], "status": status}
            self.dataChanged.emit(self.index(row, self.STATUS), self.index(row, self.STATUS))
