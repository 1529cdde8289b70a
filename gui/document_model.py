"""The document list: a table model over the whole corpus that never holds it.

A new filter, search or sort reads two things on the GUI thread: how many documents match
(``rowCount``, exact from the start, so the scroll bar is right) and the ids of the first
page, which SQLite finds without reading every match. The ids of the other rows (an int
per document: 100,000 take a few MB and 100-200 ms) are read by a thread on its own
connection and arrive a moment later; a row that needs its id before then (a click far
down, a jump, a search for the open document's row) waits for that thread. The columns of
a row are read a page at a time when the view first asks for them, and a bounded cache
keeps recent pages; text is never read.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication

from gui.theme import is_dark
from models.corpus import SORT_KEYS as CORPUS_SORT_KEYS
from models.corpus import DocumentQuery, SearchError
from storage.repository import Repository
from storage.schema import DatabaseError

Index = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200
# The other ids are read this long after the first page, which is painted meanwhile: on two
# busy cores a thread started at once took 30-40 ms of CPU (and the GIL) from that paint.
READ_REST_AFTER_MS = 50
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
    completed = Signal()  # the ids of every row are known (after the first page's)
    _ids_read = Signal(int)  # from the reading thread: its generation is done

    def __init__(self, repo: Repository, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repo = repo
        self.query = DocumentQuery()
        self._ids: list[int] = []  # the ids known so far, in order: all of them when complete
        self._total = 0  # rowCount
        self._generation = 0  # which refresh the reading thread works for
        self._reader: _IdReader | None = None
        self._positions: dict[int, int] | None = None
        self._pages: OrderedDict[int, list[dict[str, Any] | None]] = OrderedDict()
        self._ids_read.connect(self._take_ids)
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
        """Read the rows again (after an import, or to re-apply the filter to rows whose
        status changed): the count and the first page now, the other ids in a thread. A
        database error leaves the rows as they were."""
        ok = True
        try:
            with self.repo.read_snapshot():  # the count and the first page agree
                total = self.repo.count_documents(self.query)
                ids = self.repo.document_list_ids(self.query, limit=PAGE) if total else []
        except SearchError as exc:
            total, ids, ok = 0, [], False
            self.search_failed.emit(str(exc))
        except sqlite3.DatabaseError as exc:
            self.read_failed.emit(f"The document list could not be read ({exc}); try again.")
            return False
        self._reset(ids, total if len(ids) == PAGE else len(ids))
        if len(self._ids) < self._total:
            self._reader = _IdReader(self.repo, self.query, self._generation, self._ids_read.emit)
            QTimer.singleShot(READ_REST_AFTER_MS, self._start_reading)
        return ok

    def _start_reading(self) -> None:
        if self._reader is not None:  # none: a later refresh made it unnecessary
            self._reader.start()

    def _reset(self, ids: list[int], total: int) -> None:
        self._generation += 1
        self._reader = None  # a thread still reading works for an older generation
        self.beginResetModel()
        self._ids = ids
        self._total = total
        self._positions = None
        self._pages.clear()
        self.endResetModel()
        self.refreshed.emit()

    def is_complete(self) -> bool:
        """Whether the ids of every row are known."""
        return len(self._ids) >= self._total

    def wait_for_ids(self) -> None:
        """Block until the ids of every row are known (the reading thread's, or read here
        if it failed). A list that changed since its count is shown again, from the event
        loop (the caller may be in the middle of a paint)."""
        reader = self._reader
        if self.is_complete() or reader is None:
            return
        reader.start()
        reader.thread.join()
        self._take_ids(reader.generation, defer_reset=True)

    def stop(self) -> None:
        """The window is closing: wait for the reading thread (it never writes)."""
        if self._reader is not None:
            if self._reader.thread.is_alive():
                self._reader.thread.join()
            self._reader = None

    def _take_ids(self, generation: int, defer_reset: bool = False) -> None:
        reader = self._reader
        if reader is None or generation != self._generation or reader.generation != generation:
            return  # an older list, or taken already
        self._reader = None
        ids = reader.ids
        if ids is None:  # the thread could not read: read here
            try:
                ids = self.repo.document_list_ids(self.query)
            except (sqlite3.DatabaseError, SearchError) as exc:
                self.read_failed.emit(f"The document list could not be read ({exc}); try again.")
                return
        if len(ids) == self._total and ids[: len(self._ids)] == self._ids:
            known = len(self._ids)
            self._ids = ids
            self._positions = None
            if not defer_reset:
                last = self.index(self._total - 1, len(self.COLUMNS) - 1)
                self.dataChanged.emit(self.index(known, 0), last)
            self.completed.emit()
        elif defer_reset:  # another window or process changed the corpus meanwhile
            self._ids = ids[: self._total]
            self._positions = None
            QTimer.singleShot(0, lambda: self._generation == generation and self._reset(ids, len(ids)))
        else:
            self._reset(ids, len(ids))

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
        """The row of ``doc_id``, or None when the list does not hold it (waits for the
        ids of every row when it is not among the first)."""
        row = self.loaded_row_of(doc_id)
        if row is None and not self.is_complete():
            self.wait_for_ids()
            row = self.loaded_row_of(doc_id)
        return row

    def loaded_row_of(self, doc_id: int) -> int | None:
        """``row_of`` among the rows whose ids are known so far (never waits)."""
        if self._positions is None:
            self._positions = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._positions.get(doc_id)

    def doc_id_at(self, row: int) -> int:
        if row >= len(self._ids):
            self.wait_for_ids()
        return self._ids[row]

    def ids(self) -> list[int]:
        self.wait_for_ids()
        return self._ids

    def row_data(self, row: int) -> dict[str, Any] | None:
        """The stored columns of ``row`` (None if it could not be read, or its id is not
        known yet: it is shown when the ids arrive)."""
        if row >= len(self._ids):
            return None
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
        return 0 if parent.isValid() else self._total

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
        if not index.isValid() or index.row() >= self._total:
            return None
        if role == DOC_ID_ROLE:
            if index.row() >= len(self._ids):
                self.wait_for_ids()
            return self._ids[index.row()] if index.row() < len(self._ids) else None
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


class _IdReader:
    """Reads every id of ``query`` in a thread of its own (``start``), on a read-only
    connection of its own (a connection is never shared between threads; WAL lets it read
    while the window writes), then calls ``done(generation)`` (a signal's emit: queued to
    the GUI thread). ``ids`` is None when it could not read."""

    def __init__(self, repo: Repository, query: DocumentQuery, generation: int, done) -> None:
        self.generation = generation
        self.ids: list[int] | None = None
        self._path = repo.path
        self._query = query
        self._done = done
        self.thread = threading.Thread(target=self._run, name="quire-document-ids")
        self._started = False

    def start(self) -> None:
        """Start reading (once; later calls do nothing)."""
        if not self._started:
            self._started = True
            self.thread.start()

    def _run(self) -> None:
        try:
            reader = Repository(self._path, read_only=True)
            try:
                self.ids = reader.document_list_ids(self._query)
            finally:
                reader.close()
        except (sqlite3.Error, DatabaseError, SearchError):
            self.ids = None  # read again on the GUI thread, which reports what went wrong
        try:
            self._done(self.generation)
        except RuntimeError:  # the model is gone (its window closed): nobody to tell
            pass


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
