"""The main window: document list (left), article (centre), annotation panels (right)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
)

from gui.article_view import ArticleView
from gui.claim_panel import CLAIM_HELP, install_claim_panel
from gui.corpus import CORPUS_SHORTCUTS, guarded, install_corpus_workflow
from gui.database_state import install_database_state
from gui.document_model import DOC_ID_ROLE, DocumentTableModel
from gui.entity_links import ENTITY_HELP, install_entity_views
from gui.entity_panel import EntityPanel
from gui.export_dialog import install_export
from gui.keys import REVIEW_HELP
from gui.session import DocumentSession
from models.annotation import Span
from models.document import Document
from models.labels import LabelSet
from storage.repository import Repository


class MainWindow(QMainWindow):
    closing = Signal()  # background services stop on this

    def __init__(self, repo: Repository, labels: LabelSet, settings: QSettings | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.labels = labels
        self.settings = settings or QSettings()
        self.setWindowTitle(f"Quire — {repo.path.name}")
        self.session = DocumentSession(repo, labels, self)

        self.documents = DocumentTableModel(repo, self)
        self.document_list = QTableView()
        self.document_list.setObjectName("documentList")
        self.document_list.setModel(self.documents)
        self.document_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.document_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.document_list.verticalHeader().hide()
        self.document_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.document_list.setWordWrap(False)

        self.article = ArticleView(labels)
        self.article.setObjectName("articleView")
        self.entity_panel = EntityPanel(labels)
        self.panels = QTabWidget()
        self.panels.addTab(self.entity_panel, "Entities")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.document_list)
        self.splitter.addWidget(self.article)
        self.splitter.addWidget(self.panels)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.setCentralWidget(self.splitter)

        self.status_message = QLabel()
        self.statusBar().addWidget(self.status_message, 1)
        self.db_label = QLabel(str(repo.path))
        self.statusBar().addPermanentWidget(self.db_label)

        self._build_menus()
        self._connect()
        install_claim_panel(self)
        install_export(self)
        install_corpus_workflow(self)
        self.entity_links = install_entity_views(
            self, self.session, repo, [self.article.text, self.entity_panel.table], self.open_document,
            self.menuBar(), self.corpus.go_menu.menuAction(),
        )  # fmt: skip
        self.closing.connect(self.entity_links.shutdown)
        self.database_state = install_database_state(self, self.session)
        self._restore_layout()

    # -- construction ------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = file_menu.addAction("&Quit", self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.file_menu = file_menu

        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = self.session.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            edit.addAction(action)
            self.addAction(action)  # active whichever child has focus
        self.edit_menu = edit

        annotate = self.menuBar().addMenu("&Annotate")
        for label in self.labels:
            action = QAction(f"Label as {label.name}", self)
            action.setToolTip(label.description)
            if label.key is not None:
                action.setText(f"Label as {label.name}\t{label.key}")
            action.triggered.connect(lambda _=False, name=label.name: self.article.text._apply_label(name))
            annotate.addAction(action)
        accept_all = annotate.addAction(
            "Accept all suggestions in this document", self.session.accept_all_suggestions
        )
        accept_all.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.addAction(accept_all)
        annotate.addSeparator()
        more = annotate.addMenu("More labels")
        for name in self.labels.extra_names():
            more.addAction(name, lambda name=name: self.article.text._apply_label(name))
        self.annotate_menu = annotate

        view = self.menuBar().addMenu("&View")
        self.tags_action = view.addAction("Label &tags in the text")
        self.tags_action.setCheckable(True)
        self.tags_action.setChecked(self.settings.value("view/label_tags", True, type=bool))
        self.tags_action.setShortcut(QKeySequence("Ctrl+T"))
        self.tags_action.toggled.connect(self._show_tags)
        self.article.text.tags.set_shown(self.tags_action.isChecked())
        self.addAction(self.tags_action)
        self.view_menu = view

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts", self.show_shortcuts)
        self.help_menu = help_menu

    def _connect(self) -> None:
        session = self.session
        text = self.article.text
        session.document_opened.connect(self._document_opened)
        session.span_added.connect(self._span_added)
        session.span_removed.connect(self._span_removed)
        session.span_changed.connect(self._span_changed)
        session.spans_reset.connect(self._spans_reset)
        session.span_selected.connect(self._span_selected)
        session.message.connect(self.show_message)
        text.create_requested.connect(session.create_span)
        text.span_clicked.connect(session.select_span)
        text.delete_requested.connect(session.delete_span)
        text.relabel_requested.connect(session.relabel_span)
        text.key_action.connect(session.review)
        self.entity_panel.table.key_action.connect(session.review)
        self.entity_panel.table.label_key.connect(self._label_key)
        self.entity_panel.span_activated.connect(self._span_activated_in_panel)
        self.entity_panel.delete_requested.connect(session.delete_span)
        self.entity_panel.model.relabel_requested.connect(session.relabel_span)
        self.document_list.selectionModel().currentRowChanged.connect(self._document_chosen)

    # -- documents ---------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        row = self.documents.row_of(doc_id)
        if row is not None:
            self.document_list.selectRow(row)  # opens it through _document_chosen
        if self.session.document is None or self.session.document.id != doc_id:
            self.session.open_document(doc_id)

    def open_first_document(self) -> None:
        if self.documents.rowCount() > 0:
            self.open_document(self.documents.doc_id_at(0))

    def _document_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        doc_id = current.data(DOC_ID_ROLE)
        if self.session.document is None or self.session.document.id != doc_id:
            guarded(self, "Opening the document", lambda: self.session.open_document(doc_id))

    def _document_opened(self, document: Document) -> None:
        self.article.show_document(document, list(self.session.spans.values()))
        row = self.documents.row_of(document.id)
        if row is not None and self.document_list.currentIndex().row() != row:
            selection = self.document_list.selectionModel()
            selection.blockSignals(True)
            self.document_list.selectRow(row)
            selection.blockSignals(False)

    # -- annotations -------------------------------------------------------------------

    def _spans_reset(self, spans: list[Span]) -> None:
        self.entity_panel.model.reset(spans)
        if self.session.document is not None:
            text = self.article.text
            if text.index.spans.keys() != {s.id for s in spans} or any(
                text.index.spans.get(s.id) != s for s in spans
            ):
                self._refresh_text_spans(spans)

    def _refresh_text_spans(self, spans: list[Span]) -> None:
        """Bring the text's spans in line with ``spans`` without moving the view."""
        text = self.article.text
        bar = text.verticalScrollBar().value()
        current = dict(text.index.spans)
        wanted = {s.id: s for s in spans}
        for span_id in current.keys() - wanted.keys():
            text.remove_span(span_id)
        for span_id, span in wanted.items():
            if span_id not in current:
                text.add_span(span)
            elif current[span_id] != span:
                text.replace_span(current[span_id], span)
        text.verticalScrollBar().setValue(bar)

    def _span_added(self, span: Span) -> None:
        self.article.text.add_span(span)
        self.entity_panel.model.add(span)

    def _span_removed(self, span: Span) -> None:
        self.article.text.remove_span(span.id)
        self.entity_panel.model.remove(span.id)

    def _span_changed(self, old: Span, new: Span) -> None:
        self.article.text.replace_span(old, new)
        self.entity_panel.model.replace(new)

    def _span_selected(self, span_id: int | None) -> None:
        self.article.text.mark_span(span_id, scroll=span_id is not None)
        self.entity_panel.select_span(span_id)

    def _label_key(self, key: int) -> None:
        label = self.labels.by_key(key)
        span_id = self.session.selected_span_id
        if label is not None and span_id is not None:
            self.session.relabel_span(span_id, label.name)

    def _span_activated_in_panel(self, span_id: int | None) -> None:
        self.session.select_span(span_id)

    # -- messages, help, layout ------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.status_message.setText(text)
        self.statusBar().showMessage(text, 8000)

    def set_model_name(self, text: str, tooltip: str = "", warning: bool = False) -> None:
        """The spaCy model in use, shown in the status bar ("" hides it)."""
        self.corpus.set_model_name(text, tooltip, warning)

    def refresh_documents(self) -> None:
        """Read the document list again (after background work added or changed documents)."""
        self.corpus.refresh_documents()

    def shortcut_lines(self) -> list[tuple[str, str]]:
        lines = [(str(label.key), f"Label selection / relabel selected span as {label.name}")
                 for label in self.labels if label.key is not None]  # fmt: skip
        lines += [
            ("Click", "Select the span under the mouse (click again: next overlapping span)"),
            ("Delete", "Delete the selected span"),
            ("Esc", "Clear the selection"),
            *REVIEW_HELP,
            *CLAIM_HELP,
            *ENTITY_HELP,
            ("Ctrl+P / Ctrl+Shift+P", "Pre-annotate this document / the corpus with spaCy"),
            ("Ctrl+E", "Export the corpus (spaCy, JSONL, CoNLL, claims)"),
            *CORPUS_SHORTCUTS,
            ("Ctrl+Z", "Undo"),
            ("Ctrl+Shift+Z", "Redo"),
        ]
        return lines

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in self.shortcut_lines())
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellspacing=4>{rows}</table>")

    def _show_tags(self, shown: bool) -> None:
        self.article.text.tags.set_shown(shown)
        self.settings.setValue("view/label_tags", shown)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 850)
        state = self.settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([280, 700, 420])

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.closing.emit()
        super().closeEvent(event)
