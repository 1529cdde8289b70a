"""The corpus workflow in the main window: the filter bar above the document list,
keyboard navigation through the list (next, previous, next with suggestions, mark done),
the status-bar figures, File -> Import... and the statistics dialog.

Installed by ``install_corpus_workflow(window)``; it works through the window's document
model, session and repository, and keeps the list fresh when another window or process
writes to the same database: the rows on screen are re-read at every document switch and
whenever the window is activated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QMessageBox, QVBoxLayout, QWidget

from gui.document_filters import DocumentFilterBar
from gui.document_model import DocumentTableModel
from gui.first_paint import after_first_paint
from models.document import DocStatus, Document
from storage.schema import DatabaseError, explain

if TYPE_CHECKING:
    from gui.import_dialog import ImportDialog
    from gui.main_window import MainWindow
    from gui.stats_view import StatsDialog

T = TypeVar("T")

NEXT_KEYS = ("Ctrl+Down",)
PREVIOUS_KEYS = ("Ctrl+Up",)
NEXT_UNREVIEWED_KEYS = ("Ctrl+Shift+Down",)
MARK_DONE_KEYS = ("Ctrl+Return", "Ctrl+Enter")
CORPUS_SHORTCUTS = [
    ("Ctrl+Down / Ctrl+Up", "Next / previous document in the list"),
    ("Ctrl+Shift+Down", "Next document with unreviewed suggestions"),
    ("Ctrl+Enter", "Mark the document done and go to the next one"),
    ("Ctrl+F", "Search titles and text (Enter: search now; Esc: back to the article)"),
    ("F5", "Refresh the document list"),
    ("Ctrl+I", "Import files or folders"),
]
# What each column is widened to fit (besides its header), and the columns shown until the
# analyst chooses others from the header's menu: at the list's default width the title
# keeps most of the room.
_COLUMN_SAMPLES = ("", "site-00", "2026-12-31", "EN", "999 / 999", "99 / 99", "in progress",
                   "2026-12-31 23:59", "annotator")  # fmt: skip
DEFAULT_COLUMNS = (DocumentTableModel.TITLE, DocumentTableModel.STATUS)
# Search hits: white on a strong magenta, unlike every label fill and claim part (pale).
_HIT_BACKGROUND = QColor("#b0126a")
_SCAN_CHUNK = 500


def guarded(window: MainWindow, what: str, action: Callable[[], T]) -> T | None:
    """Run a database action for the GUI; any database failure (locked by another window
    or process, damaged, read-only) becomes one status-bar message, never a traceback."""
    try:
        return action()
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        reason = explain(exc, window.repo.path.name) if isinstance(exc, sqlite3.Error) else str(exc)
        window.show_message(f"{what}: {reason}; nothing was lost.")
        return None


class CorpusWorkflow(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.repo = window.repo
        self.model = window.documents
        self.view = window.document_list
        self.session = window.session
        self.import_dialog: ImportDialog | None = None
        self.stats_dialog: StatsDialog | None = None
        self.done_question: QMessageBox | None = None
        self._search_message = ""  # the status line a refused search left, cleared by the next

        self.filters = DocumentFilterBar(window.labels)
        self._wrap_list()
        self._set_up_view()
        self._build_status_bar()
        self._build_actions()

        self.filters.changed.connect(self.apply_filters)
        self.filters.leave_requested.connect(lambda: window.article.text.setFocus())
        self.model.search_failed.connect(self._search_failed)
        self.model.read_failed.connect(window.show_message)
        self.model.refreshed.connect(self._list_refreshed)
        self.model.completed.connect(self._select_open_document)
        self.session.document_opened.connect(self._document_opened)
        self.session.annotations_changed.connect(self._annotations_changed)
        window.closing.connect(self.shutdown)
        window.installEventFilter(self)

        # the sources' counts read every document (0.2 s for 100,000): after the first paint
        after_first_paint(self.view.viewport(), self.load_sources)
        self._list_refreshed()
        self.update_counts()

    # -- construction ------------------------------------------------------------------

    def _wrap_list(self) -> None:
        """Put the filter bar above the list, in the list's place in the splitter."""
        splitter = self.window.splitter
        index = splitter.indexOf(self.view)
        sizes = splitter.sizes()
        panel = QWidget()
        panel.setObjectName("documentPanel")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 0, 0)
        layout.addWidget(self.filters)
        splitter.replaceWidget(index, panel)
        layout.addWidget(self.view, 1)
        splitter.setSizes(sizes)
        self.panel = panel

    def _set_up_view(self) -> None:
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DocumentTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # import order until a click
        metrics = self.view.fontMetrics()
        bold = header.fontMetrics()
        for column, sample in enumerate(_COLUMN_SAMPLES):
            name = DocumentTableModel.COLUMNS[column]
            # room for the header's text and its sort arrow, or for the widest usual value
            width = max(bold.horizontalAdvance(name) + 28, metrics.horizontalAdvance(sample) + 14)
            self.view.setColumnWidth(column, width)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Title") + 28)
        hidden = self.window.settings.value("documents/hidden_columns")
        shown = DEFAULT_COLUMNS if hidden is None else [
            c for c in range(len(DocumentTableModel.COLUMNS)) if str(c) not in _as_list(hidden)]  # fmt: skip
        for column in range(1, len(DocumentTableModel.COLUMNS)):
            self.view.setColumnHidden(column, column not in shown)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self.column_menu().exec(header.mapToGlobal(pos))
        )
        self.view.setSortingEnabled(True)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)

    def column_menu(self) -> QMenu:
        """The header's menu: which columns the list shows (remembered)."""
        menu = QMenu(self.window)
        for column, name in enumerate(DocumentTableModel.COLUMNS):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(column))
            action.setEnabled(column != DocumentTableModel.TITLE)
            action.toggled.connect(lambda on, column=column: self.show_column(column, on))
        return menu

    def show_column(self, column: int, shown: bool) -> None:
        self.view.setColumnHidden(column, not shown)
        hidden = [str(c) for c in range(len(DocumentTableModel.COLUMNS)) if self.view.isColumnHidden(c)]
        self.window.settings.setValue("documents/hidden_columns", hidden or ["none"])

    def _build_status_bar(self) -> None:
        bar = self.window.statusBar()
        self.done_label = QLabel()
        self.done_label.setObjectName("doneCount")
        self.suggestions_label = QLabel()
        self.suggestions_label.setObjectName("suggestionsLeft")
        # Fixed size: a new count then repaints the label only. A label that may change
        # size makes every review key lay out the status bar and repaint the side panels.
        room = self.suggestions_label.fontMetrics().horizontalAdvance("Suggestions left: 000,000")
        self.suggestions_label.setFixedSize(room, self.suggestions_label.sizeHint().height())
        self.model_label = QLabel()
        self.model_label.setObjectName("modelName")
        self.model_label.hide()
        for label in (self.suggestions_label, self.done_label, self.model_label):
            bar.addPermanentWidget(label)
        db_label = getattr(self.window, "db_label", None)
        if db_label is not None:  # keep the database path last, at the right edge
            bar.removeWidget(db_label)
            bar.addPermanentWidget(db_label)
            db_label.show()
            db_label.setToolTip(f"Database: {self.repo.path}")

    def _action(self, text: str, keys: tuple, slot: Callable[[], object]) -> QAction:
        """``keys``: key strings, or a ``QKeySequence.StandardKey`` first for the
        platform's own binding (Find, Refresh) followed by Quire's."""
        action = QAction(text, self.window)
        sequences: list[QKeySequence] = []
        for key in keys:
            found = (
                QKeySequence.keyBindings(key)
                if isinstance(key, QKeySequence.StandardKey)
                else [QKeySequence(key)]
            )
            sequences += [k for k in found if k not in sequences]
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)  # active whichever child has focus
        return action

    def _build_actions(self) -> None:
        window = self.window
        self.next_action = self._action("&Next document", NEXT_KEYS, self.next_document)
        self.previous_action = self._action("&Previous document", PREVIOUS_KEYS, self.previous_document)
        self.next_unreviewed_action = self._action(
            "Next document with &unreviewed suggestions", NEXT_UNREVIEWED_KEYS, self.next_unreviewed
        )
        self.mark_done_action = self._action(
            "Mark &done and go to next", MARK_DONE_KEYS, self.mark_done_and_next
        )
        self.reopen_action = self._action("&Reopen document (mark in progress)", (), self.reopen_document)
        standard = QKeySequence.StandardKey
        self.find_action = self._action("&Find in documents", (standard.Find, "Ctrl+F"), self.focus_search)
        self.refresh_action = self._action("&Refresh list", (standard.Refresh, "F5"), self.refresh_documents)
        self.stats_action = self._action("&Statistics…", (), self.show_statistics)
        self.import_action = self._action("&Import…", ("Ctrl+I",), self.show_import_dialog)

        self.go_menu = window.menuBar().addMenu("&Go")
        for action in (self.next_action, self.previous_action, self.next_unreviewed_action):
            self.go_menu.addAction(action)
        self.go_menu.addSeparator()
        self.go_menu.addAction(self.mark_done_action)
        self.go_menu.addAction(self.reopen_action)
        self.go_menu.addSeparator()
        for action in (self.find_action, self.refresh_action, self.stats_action):
            self.go_menu.addAction(action)
        help_menu = getattr(window, "help_menu", None)
        if help_menu is not None:  # keep Help last
            window.menuBar().insertMenu(help_menu.menuAction(), self.go_menu)
        file_menu = window.file_menu
        first = file_menu.actions()[0] if file_menu.actions() else None
        file_menu.insertAction(first, self.import_action)
        file_menu.insertSeparator(first)

    # -- filters and search ------------------------------------------------------------

    def apply_filters(self) -> None:
        """Show the documents the filter bar selects (sorted as the header says)."""
        query = self.filters.query(self.model.query)
        if query.search != self.model.query.search:
            self.filters.show_search_error(None)
            if self.window.status_message.text() == self._search_message:  # no longer true
                self.window.status_message.setText("")
        self.model.set_query(query)
        self.mark_search_hits()

    def focus_search(self) -> None:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def refresh_documents(self) -> None:
        """Read the list again (after an import or pre-annotation, or on F5)."""
        self.load_sources()
        self.model.refresh()
        self.update_counts()

    def load_sources(self) -> None:
        """Offer the corpus's sources (and their numbers of documents) in the filter."""
        sources = guarded(self.window, "Reading sources", self.repo.document_sources)
        if sources is not None:
            self.filters.set_sources(sources)

    def _search_failed(self, message: str) -> None:
        self.filters.show_search_error(message)
        self.window.show_message(message)
        self._search_message = message

    def _list_refreshed(self) -> None:
        # (the status bar's "Done: N of M" does not depend on the filter: it is counted
        # again after an import or refresh, at every document switch and window activation)
        total = guarded(self.window, "Counting documents", self.repo.document_count)
        self.filters.show_count(self.model.rowCount(), total if total is not None else self.model.rowCount())
        self._select_open_document()
        self._update_suggestions()

    def mark_search_hits(self) -> None:
        """Highlight what the search matched in the open article (a transient mark)."""
        document = self.session.document
        search = self.model.query.search
        text = self.window.article.text
        if document is None or not search:
            text.set_marks("search", [])
            return
        try:
            hits = self.repo.search_matches(document.id, search)
        except ValueError:  # SearchError: already reported by the list
            hits = []
        except sqlite3.DatabaseError as exc:
            self.window.show_message(f"Search hits not shown: {explain(exc, self.repo.path.name)}.")
            hits = []
        fmt = QTextCharFormat()
        fmt.setBackground(_HIT_BACKGROUND)
        fmt.setForeground(QColor("white"))
        text.set_marks("search", [(start, end, fmt) for start, end in hits])
        if hits:
            text.ensure_visible(hits[0][0])

    # -- navigation --------------------------------------------------------------------

    def current_row(self) -> int | None:
        document = self.session.document
        if document is not None:
            row = self.model.row_of(document.id)
            if row is not None:
                return row
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def open_row(self, row: int) -> bool:
        doc_id = self.model.doc_id_at(row)
        guarded(self.window, "Opening the document", lambda: self.window.open_document(doc_id))
        self.view.scrollTo(self.model.index(row, 0))
        return self.session.document is not None and self.session.document.id == doc_id

    def next_document(self) -> None:
        self._step(1)

    def previous_document(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self.model.rowCount() == 0:
            self.window.show_message("The list is empty: change the filters to see documents.")
            return
        row = self.current_row()
        target = 0 if row is None else row + delta
        if 0 <= target < self.model.rowCount():
            self.open_row(target)
        else:
            self.window.show_message(
                "This is the last document in the list."
                if delta > 0
                else "This is the first document in the list."
            )

    def next_unreviewed(self) -> None:
        """Open the next document in the list that still has suggestions to review,
        wrapping round to the top."""
        ids = self.model.ids()
        if not ids:
            self.window.show_message("The list is empty: change the filters to see documents.")
            return
        row = self.current_row()
        start = 0 if row is None else row + 1
        order = list(range(start, len(ids))) + list(range(0, start))
        for first in range(0, len(order), _SCAN_CHUNK):
            rows = order[first : first + _SCAN_CHUNK]
            found = guarded(
                self.window,
                "Looking for suggestions",
                lambda rows=rows: self.repo.documents_with_suggestions([ids[r] for r in rows]),
            )
            if found is None:
                return
            hit = next((r for r in rows if ids[r] in found), None)
            if hit is not None:
                if hit == row:
                    self.window.show_message("No other document in the list has suggestions to review.")
                    return
                if row is not None and hit < row:
                    self.window.show_message("Wrapped round to the top of the list.")
                self.open_row(hit)
                return
        self.window.show_message("No document in the list has suggestions left to review.")

    def mark_done_and_next(self) -> None:
        """Mark the open document done and open the next one; with suggestions left to
        review, ask first (``done_question`` is the open question, answered later)."""
        document = self.session.document
        if document is None:
            return
        left = self.suggestions_left()
        if left:
            self._ask_mark_done(document, left)
            return
        self._mark_done_and_next(document)

    def _ask_mark_done(self, document: Document, left: int) -> None:
        spans, claims = self.session.suggestions_left_by_kind()
        kinds = [f"{n} {kind} suggestion{'s' if n != 1 else ''}"
                 for n, kind in ((spans, "entity"), (claims, "claim")) if n]  # fmt: skip
        verb = "is" if left == 1 else "are"
        box = QMessageBox(QMessageBox.Icon.Question, "Mark done?",
                          f"{' and '.join(kinds)} in this document {verb} not reviewed yet.",
                          parent=self.window)  # fmt: skip
        box.setObjectName("markDoneQuestion")
        consequences = []
        if spans:
            consequences.append(
                "accepted spans are the complete annotation: the unreviewed entity suggestions would "
                "be exported as not entities"
            )
        if claims:
            consequences.append("unreviewed claim suggestions are left out of the claims export")
        box.setInformativeText(f"In a document marked done, {'; '.join(consequences)}.")
        done = box.addButton("Mark done anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep reviewing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(QMessageBox.StandardButton.NoButton)

        def answered() -> None:
            self.done_question = None
            if box.clickedButton() is done and self.session.document is document:
                self._mark_done_and_next(document)
            elif box.clickedButton() is not done:
                self.window.show_message(f"Not marked done: {left} suggestion(s) left to review (J / Tab).")

        box.finished.connect(lambda _result: answered())
        self.done_question = box
        box.open()

    def _mark_done_and_next(self, document: Document) -> None:
        if not self._set_status(document, DocStatus.DONE, "Not marked done"):
            return
        row = self.model.row_of(document.id)
        if row is not None and row + 1 < self.model.rowCount():
            self.open_row(row + 1)
            self.window.show_message(f"Marked done: {document.title}")
        else:
            self.window.show_message(f"Marked done: {document.title} (the last document in the list)")

    def reopen_document(self) -> None:
        document = self.session.document
        if document is None:
            return
        if self._set_status(document, DocStatus.IN_PROGRESS, "Not reopened"):
            self.window.show_message(f"Reopened: {document.title}")

    def _set_status(self, document: Document, status: DocStatus, what: str) -> bool:
        def write() -> bool:
            self.repo.set_document_status(document.id, status)
            return True

        if not guarded(self.window, what, write):
            return False
        document.status = status
        self.model.refresh_document(document.id)
        self.update_counts()
        return True

    # -- following the session --------------------------------------------------------

    def _document_opened(self, document: Document) -> None:
        self.model.refresh_rows()  # statuses and counts another window may have changed
        self._select_open_document()
        self.mark_search_hits()
        self.update_counts()

    def _annotations_changed(self) -> None:
        document = self.session.document
        if document is not None:
            self.model.refresh_document(document.id)
        self._update_suggestions()

    def _select_open_document(self) -> None:
        """Show the open document's row as current without opening it again (when its
        row is not among the first, once the list's ids are all read: ``completed``)."""
        document = self.session.document
        row = self.model.loaded_row_of(document.id) if document is not None else None
        if row is None:
            return
        index = self.model.index(row, 0)
        selection = self.view.selectionModel()
        if self.view.currentIndex().row() != row:
            selection.blockSignals(True)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            selection.blockSignals(False)
            self.view.viewport().update()
        self.view.scrollTo(index)

    def update_counts(self) -> None:
        done = guarded(
            self.window,
            "Counting documents",
            lambda: (self.repo.count_status(DocStatus.DONE), self.repo.document_count()),
        )
        if done is not None:
            self.done_label.setText(f"Done: {done[0]:,} of {done[1]:,}")
        self._update_suggestions()

    def suggestions_left(self) -> int:
        """Suggested spans and claims of the open document not yet reviewed."""
        return self.session.suggestions_left()

    def _update_suggestions(self) -> None:
        if self.session.document is None:
            self.suggestions_label.clear()
            return
        self.suggestions_label.setText(f"Suggestions left: {self.suggestions_left()}")

    def set_model_name(self, text: str, tooltip: str = "", warning: bool = False) -> None:
        self.model_label.setText(text)
        self.model_label.setToolTip(tooltip)
        self.model_label.setStyleSheet("color: #b35900; font-weight: bold;" if warning else "")
        self.model_label.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.WindowActivate and self.window.isVisible():
            self.model.refresh_rows()  # another window may have written meanwhile
            self.update_counts()
        return False

    # -- import and statistics ---------------------------------------------------------

    def show_import_dialog(self) -> ImportDialog:
        if self.import_dialog is None:
            from gui.import_dialog import ImportDialog  # on first use: 40 ms of start-up

            self.import_dialog = ImportDialog(
                self.repo.path, self.repo.annotator, self.window, settings=self.window.settings
            )
            self.import_dialog.imported.connect(self._imported)
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog

    def _imported(self, report) -> None:
        self.refresh_documents()
        self.window.show_message(f"Import: {report.summary()}")
        if self.session.document is None and self.model.rowCount():
            self.open_row(0)

    def show_statistics(self) -> StatsDialog:
        if self.stats_dialog is None:
            from gui.stats_view import StatsDialog

            self.stats_dialog = StatsDialog(self.repo.path, self.repo.annotator, self.window)
        self.stats_dialog.show()
        self.stats_dialog.raise_()
        self.stats_dialog.refresh()
        return self.stats_dialog

    def shutdown(self) -> None:
        """The window is closing: stop background jobs (finished work is kept)."""
        for dialog in (self.import_dialog, self.stats_dialog):
            if dialog is not None:
                dialog.stop()
        self.model.stop()

    def shortcut_lines(self) -> list[tuple[str, str]]:
        return list(CORPUS_SHORTCUTS)


def _as_list(value: object) -> list[str]:
    """A QSettings list: INI files give a one-item list back as a plain string."""
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def install_corpus_workflow(window: MainWindow) -> CorpusWorkflow:
    window.corpus = CorpusWorkflow(window)
    return window.corpus
