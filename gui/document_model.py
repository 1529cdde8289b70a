"""The document list: a table model over the whole corpus that never holds it.

The repository returns the ids the current filter selects, sorted by SQL over an index
(an int per document: 100,000 ids take a few MB and a few tens of ms). The columns of a row
are read a page at a time when the view first asks for them, and a bounded cache keeps
recent pages; text is never read. ``rowCount`` is exact from the start, so the scroll bar
is right and jumping to any document costs one page.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication

from gui.theme import is_dark
from models.corpus import SORT_KEYS as CORPUS_SORT_KEYS
from models.corpus import DocumentQuery, SearchError
from storage.repository import Repository

Index = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200
CACHED_PAGES = 64

STATUS_TEXT = {"new": "new", "in_progress": "in progress", "done": "done"}
HEADER_TIPS = (
    "The article's title (click a header to sort; right-click to choose the columns)",
    "Where the article came from",
    "Publication date (year-month-day)",
    "Language of the text (ISO 639-1), which chooses the spaCy model",
    "Entities: accepted / suggested. 4 / 16 means 4 accepted and 16 suggestions still to review; "
    "one number: all reviewed",
    "Claims: accepted / suggested, as for entities",
    "new, in progress (something was annotated) or done (Ctrl+Enter)",
    "When the document or its annotations last changed (local time)",
    "Who last changed the document",
)
# "done" in green that reads on a light base and on a dark one
_DONE_COLOURS = {False: QColor("#2e7d32"), True: QColor("#81c784")}
_NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class DocumentTableModel(QAbstractTableModel):
    COLUMNS = (
        "Title",
        "Source",
        "Published",
        "Language",
        "Entities",
        "Claims",
        "Status",
        "Last edited",
        "Annotator",
    )
    TITLE, SOURCE, PUBLISHED, LANGUAGE, ENTITIES, CLAIMS, STATUS, UPDATED, ANNOTATOR = range(9)
    SORT_KEYS = tuple(key for key in CORPUS_SORT_KEYS if key != "id")  # one per column, in order

    search_failed = Signal(str)  # the search box holds a query the index cannot parse
    read_failed = Signal(str)  # the database could not be read (busy, gone)
    refreshed = Signal()  # the set or order of rows changed

    def __init__(self, repo: Repository, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.query = DocumentQuery()
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._pages: OrderedDict[int, list[dict[str, Any] | None]] = OrderedDict()
        self.refresh()

    # -- the set of rows -----------------------------------------------------------------

    def set_query(self, query: DocumentQuery) -> bool:
        """Show the documents ``query`` selects; False (and ``search_failed``) when the
        search cannot be parsed, which leaves the list empty."""
        if query == self.query:
            return True
        self.query = query
        return self.refresh()

    def refresh(self) -> bool:
        """Read the ids again (after an import, or to re-apply the filter to rows whose
        status changed). A database error leaves the rows as they were."""
        ok = True
        try:
            ids = self.repo.document_list_ids(self.query)
        except SearchError as exc:
            ids, ok = [], False
            self.search_failed.emit(str(exc))
        except sqlite3.DatabaseError as exc:
            self.read_failed.emit(f"The document list could not be read ({exc}); try again.")
            return False
        self.beginResetModel()
        self._ids = ids
        self._positions = None
        self._pages.clear()
        self.endResetModel()
        self.refreshed.emit()
        return ok

    def refresh_rows(self) -> None:
        """Re-read the columns (status, counts, annotator) of the rows on screen: rows
        stay where they are; another window's edits show up."""
        if self._ids:
            self._pages.clear()
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.COLUMNS) - 1))

    def refresh_document(self, doc_id: int) -> None:
        row = self.row_of(doc_id)
        if row is None:
            return
        page = self._pages.get(row // PAGE)
        if page is not None:
            try:
                fresh = self.repo.document_list_rows([doc_id]).get(doc_id)
            except sqlite3.DatabaseError:
                fresh = None  # shown again from the database on the next switch
            page[row % PAGE] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # -- lookups -------------------------------------------------------------------------

    def row_of(self, doc_id: int) -> int | None:
        if self._positions is None:
            self._positions = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._positions.get(doc_id)

    def doc_id_at(self, row: int) -> int:
        return self._ids[row]

    def ids(self) -> list[int]:
        return self._ids

    def row_data(self, row: int) -> dict[str, Any] | None:
        """The stored columns of ``row`` (None if it could not be read)."""
        number = row // PAGE
        page = self._pages.get(number)
        if page is None:
            ids = self._ids[number * PAGE : (number + 1) * PAGE]
            try:
                found = self.repo.document_list_rows(ids)
            except sqlite3.DatabaseError as exc:
                self.read_failed.emit(f"The document list could not be read ({exc}); try again.")
                return None
            page = [found.get(doc_id) for doc_id in ids]
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[row % PAGE]

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return HEADER_TIPS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL over an index (the view's header calls this); column -1 is
        import order."""
        key = self.SORT_KEYS[column] if 0 <= column < len(self.SORT_KEYS) else "id"
        self.set_query(replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == DOC_ID_ROLE:
            return self._ids[index.row()]
        row = self.row_data(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == self.TITLE else None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ENTITIES, self.CLAIMS):
            return int(_NUMBER_ALIGNMENT.value)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS and row["status"] == "done":
            return _DONE_COLOURS[is_dark(QGuiApplication.palette())]
        return None


def _counts(row: dict[str, Any], kind: str) -> str:
    accepted, suggested = row[f"{kind}_accepted"], row[f"{kind}_suggested"]
    return f"{accepted} / {suggested}" if suggested else str(accepted)


def _local_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _display(row: dict[str, Any], column: int) -> str:
    model = DocumentTableModel
    if column == model.TITLE:
        return row["title"]
    if column == model.SOURCE:
        return row["source"] or ""
    if column == model.PUBLISHED:
        return row["published"] or ""
    if column == model.LANGUAGE:
        return (row["language"] or "").upper()
    if column == model.ENTITIES:
        return _counts(row, "spans")
    if column == model.CLAIMS:
        return _counts(row, "claims")
    if column == model.STATUS:
        return STATUS_TEXT.get(row["status"], row["status"])
    if column == model.UPDATED:
        return _local_time(row["updated"])
    return row["annotator"] or ""


def _tooltip(row: dict[str, Any], column: int) -> str:
    model = DocumentTableModel
    if column == model.ENTITIES:
        return f"{row['spans_accepted']} accepted, {row['spans_suggested']} suggested entities"
    if column == model.CLAIMS:
        return f"{row['claims_accepted']} accepted, {row['claims_suggested']} suggested claims"
    details = " · ".join(str(row[key]) for key in ("source", "published") if row.get(key))
    return row["title"] + (f"\n{details}" if details else "")
