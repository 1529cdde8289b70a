"""The main window: document list (left), article (centre), annotation panels (right)."""

from __future__ import annotations

import hashlib
import re

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from gui.article_view import ArticleView
from gui.claim_panel import CLAIM_HELP, install_claim_panel
from gui.corpus import CORPUS_SHORTCUTS, guarded, install_corpus_workflow
from gui.database_state import install_database_state
from gui.document_model import DOC_ID_ROLE, DocumentTableModel
from gui.entity_links import ENTITY_HELP, install_entity_views
from gui.entity_panel import EntityPanel
from gui.export_dialog import install_export
from gui.guide_dialog import GuideDialog
from gui.keys import REVIEW_HELP
from gui.session import DocumentSession
from gui.shortcuts_dialog import ShortcutsDialog
from gui.status_messages import ElidedLabel, MessageLog, MessageLogDialog
from gui.theme import SCHEMES, ColourScheme, is_dark
from models.annotation import Span
from models.document import Document
from models.labels import LabelSet
from storage.repository import Repository

# The side panels' share of the window's width by default, and their narrowest.
LIST_SHARE, PANELS_SHARE = 0.2, 0.3
LIST_WIDTH, PANELS_WIDTH, ARTICLE_WIDTH = (160, 300), (240, 440), 320


def default_sizes(width: int) -> list[int]:
    """Widths (px) of document list, article and panels in a window ``width`` px wide:
    the side panels take their share within bounds, the article the rest."""
    listed = max(LIST_WIDTH[0], min(LIST_WIDTH[1], int(width * LIST_SHARE)))
    panels = max(PANELS_WIDTH[0], min(PANELS_WIDTH[1], int(width * PANELS_SHARE)))
    return [listed, max(ARTICLE_WIDTH, width - listed - panels), panels]


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
        # the article takes what the window gains or loses; the side panels keep their width
        for index, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(index, stretch)
        self.splitter.setCollapsible(1, False)
        self.article.setMinimumWidth(ARTICLE_WIDTH)
        self.panels.setMinimumWidth(PANELS_WIDTH[0])
        self.setCentralWidget(self.splitter)

        self.messages = MessageLog(self)
        self.message_dialog: MessageLogDialog | None = None
        self.status_message = ElidedLabel()
        self.status_message.setObjectName("statusMessage")
        self.statusBar().addWidget(self.status_message, 1)
        self.db_label = ElidedLabel(str(repo.path), Qt.TextElideMode.ElideMiddle)
        self.statusBar().addPermanentWidget(self.db_label)
        self.colour_scheme = ColourScheme()

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
        self.document_panel.setMinimumWidth(LIST_WIDTH[0])
        self._build_view_menu()
        self._restore_layout()
        self._follow_palette()

    # -- construction ------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = file_menu.addAction("&Quit", self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.file_menu = file_menu

        edit = self.menuBar().addMenu("&Edit")
        # the platform's keys (Ctrl+Z; Ctrl+Shift+Z or Ctrl+Y), and Quire's own everywhere
        self.undo_action = self.session.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(_with_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
        self.redo_action = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(_with_keys(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y"))
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

        self.view_menu = self.menuBar().addMenu("&View")

        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = help_menu.addAction("&Keyboard shortcuts", self.show_shortcuts)
        shortcuts.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents))
        self.addAction(shortcuts)
        help_menu.addAction("&Claims guide", self.show_claims_guide)
        self.help_menu = help_menu

    def _view_action(self, text: str, keys: str, slot, checked: bool | None = None) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if checked is not None:
            action.setCheckable(True)
            action.setChecked(checked)
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        self.view_menu.addAction(action)
        return action

    def _build_view_menu(self) -> None:
        """Panels (show, hide, reset), label tags, colour scheme, the message log."""
        self.list_action = self._view_action("Document &list", "Ctrl+Alt+1", self.show_document_list, True)
        self.panels_action = self._view_action("&Annotation panels", "Ctrl+Alt+2", self.show_panels, True)
        self.reset_layout_action = self._view_action("&Reset layout", "Ctrl+Alt+0", self.reset_layout)
        self.view_menu.addSeparator()
        shown = self.settings.value("view/label_tags", True, type=bool)
        self.tags_action = self._view_action("Label &tags in the text", "Ctrl+T", self._show_tags, shown)
        self.article.text.tags.set_shown(shown)
        schemes = self.view_menu.addMenu("&Colour scheme")
        group = QActionGroup(self)
        chosen = str(self.settings.value("view/colour_scheme", "system"))
        self.scheme_actions: dict[str, QAction] = {}
        for key, text in SCHEMES.items():
            action = schemes.addAction(text)
            action.setCheckable(True)
            action.setChecked(key == chosen)
            action.triggered.connect(lambda _=False, key=key: self.set_colour_scheme(key))
            group.addAction(action)
            self.scheme_actions[key] = action
        if chosen != "system":
            self.colour_scheme.apply(chosen)
        self.view_menu.addSeparator()
        self.messages_action = self._view_action("&Messages…", "Ctrl+Alt+M", self.show_messages)
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._sync_panel_actions())

    def _connect(self) -> None:
        session = self.session
        text = self.article.text
        session.document_opened.connect(self._document_opened)
        session.span_added.connect(self._span_added)
        session.span_removed.connect(self._span_removed)
        session.span_changed.connect(self._span_changed)
        session.spans_reset.connect(self._spans_reset)
        session.spans_loaded.connect(self._spans_loaded)
        session.span_selected.connect(self._span_selected)
        session.message.connect(self.show_message)
        text.create_requested.connect(session.create_span)
        text.span_clicked.connect(session.select_span)
        text.delete_requested.connect(session.delete_span)
        text.relabel_requested.connect(session.relabel_span)
        text.key_action.connect(session.review)
        text.text_needed.connect(session.load_through)
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

    def database_setting(self, name: str) -> str:
        """The QSettings key of ``name`` for this database (``databases/<digest>/name``: a
        digest of its absolute path, as a path's separators would make QSettings groups)."""
        digest = hashlib.sha1(str(self.repo.path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
        return f"databases/{digest[:16]}/{name}"

    def open_last_document(self) -> None:
        """Open the document this database had open when the window last closed (the
        first one when there is none, or it is gone)."""
        try:
            doc_id = int(self.settings.value(self.database_setting("document"), 0) or 0)
        except (TypeError, ValueError):
            doc_id = 0
        if doc_id and self.repo.has_document(doc_id):
            self.open_document(doc_id)
        else:
            self.open_first_document()

    @property
    def document_panel(self) -> QWidget:
        """The left pane: the document list with its filter bar."""
        return self.splitter.widget(0)

    def _document_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        doc_id = current.data(DOC_ID_ROLE)
        if self.session.document is None or self.session.document.id != doc_id:
            guarded(self, "Opening the document", lambda: self.session.open_document(doc_id))

    def _document_opened(self, document: Document) -> None:
        self.article.show_document(document, list(self.session.spans.values()), self.session.loaded_to)
        self.settings.setValue(self.database_setting("document"), document.id)
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
            if text.index.spans != {s.id: s for s in spans}:  # the same objects: quick
                self._refresh_text_spans(spans)

    def _spans_loaded(self, spans: list[Span], loaded_to: int) -> None:
        """The next part of a long article: its text and spans."""
        self.article.text.extend_text(loaded_to, spans)
        self.entity_panel.model.extend_later(spans, now=self.session.fully_loaded)

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
        """One line in the status bar (elided, whole in its tooltip) and in the message log."""
        self.status_message.setText(text)
        self.messages.add(text)

    def show_messages(self) -> MessageLogDialog:
        """View -> Messages: the session's messages, newest last."""
        if self.message_dialog is None:
            self.message_dialog = MessageLogDialog(self.messages, self)
        self.message_dialog.show()
        self.message_dialog.raise_()
        return self.message_dialog

    def set_model_name(self, text: str, tooltip: str = "", warning: bool = False) -> None:
        """The spaCy model in use, shown in the status bar ("" hides it)."""
        self.corpus.set_model_name(text, tooltip, warning)

    def refresh_documents(self) -> None:
        """Read the document list again (after background work added or changed documents)."""
        self.corpus.refresh_documents()

    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every key, grouped as Help -> Keyboard shortcuts shows them."""
        labels = [(str(label.key), f"Label selection / relabel selected span as {label.name}")
                  for label in self.labels if label.key is not None]  # fmt: skip
        selecting = [
            ("Click", "Select the span under the mouse (click again: next overlapping span)"),
            ("Delete", "Delete the selected span"),
            ("Esc", "Clear the selection"),
        ]
        window = [
            (_keys(self.undo_action), "Undo"),
            (_keys(self.redo_action), "Redo"),
            *[(_keys(a), _plain(a.text())) for a in self.view_menu.actions() if not a.shortcut().isEmpty()],
            ("F1", "These keyboard shortcuts"),
        ]
        corpus = [
            ("Ctrl+P / Ctrl+Shift+P", "Pre-annotate this document / the corpus with spaCy"),
            ("Ctrl+E", "Export the corpus (spaCy, JSONL, CoNLL, claims)"),
            *CORPUS_SHORTCUTS,
        ]
        return [("Labels", labels), ("Selecting", selecting), ("Reviewing suggestions", list(REVIEW_HELP)),
                ("Claims", list(CLAIM_HELP)), ("Entities across the corpus", list(ENTITY_HELP)),
                ("Documents", corpus), ("Window", window)]  # fmt: skip

    def shortcut_lines(self) -> list[tuple[str, str]]:
        return [line for _title, lines in self.shortcut_groups() for line in lines]

    def show_claims_guide(self) -> GuideDialog:
        """Help -> Claims guide, modeless beside the article."""
        dialog = GuideDialog(parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self.shortcut_groups(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.show()
        return dialog

    # -- layout and colours --------------------------------------------------------------

    def show_document_list(self, shown: bool = True) -> None:
        self._show_pane(0, shown)

    def show_panels(self, shown: bool = True) -> None:
        self._show_pane(2, shown)

    def _show_pane(self, index: int, shown: bool) -> None:
        pane = self.splitter.widget(index)
        pane.setVisible(shown)
        if shown and self.splitter.sizes()[index] == 0:  # folded by a drag: open it again
            sizes = self.splitter.sizes()
            wanted = default_sizes(sum(sizes))[index]
            sizes[index] = wanted
            sizes[1] = max(ARTICLE_WIDTH, sizes[1] - wanted)
            self.splitter.setSizes(sizes)
        self._sync_panel_actions()

    def _sync_panel_actions(self) -> None:
        sizes = self.splitter.sizes()
        for action, index in ((self.list_action, 0), (self.panels_action, 2)):
            action.blockSignals(True)
            action.setChecked(self.splitter.widget(index).isVisibleTo(self) and sizes[index] > 0)
            action.blockSignals(False)

    def reset_layout(self) -> None:
        """Both side panels shown at their default widths for the window's width."""
        for index in (0, 2):
            self.splitter.widget(index).setVisible(True)
        self.splitter.setSizes(default_sizes(self.splitter.width() or self.width()))
        self._sync_panel_actions()

    def set_colour_scheme(self, scheme: str) -> None:
        """View -> Colour scheme: "system" (the desktop's), "light" or "dark"; remembered."""
        self.colour_scheme.apply(scheme)
        self.settings.setValue("view/colour_scheme", scheme)
        self.scheme_actions[scheme].setChecked(True)
        self._follow_palette()

    def _follow_palette(self) -> None:
        """Span colours and tags for the palette in use (dark: the labels' dark colours)."""
        dark = is_dark(QGuiApplication.palette())
        if dark != self.labels.dark:
            self.labels.dark = dark
            self.article.text.restyle()
            self.entity_panel.table.viewport().update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()

    def _show_tags(self, shown: bool) -> None:
        self.article.text.tags.set_shown(shown)
        self.settings.setValue("view/label_tags", shown)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:  # 1400 x 850, or what the screen has room for
            room = self.screen().availableGeometry()
            self.resize(min(1400, room.width()), min(850, room.height()))
        state = self.settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes(default_sizes(self.width()))
        self._sync_panel_actions()

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.closing.emit()
        super().closeEvent(event)


def _with_keys(standard: QKeySequence.StandardKey, *keys: str) -> list[QKeySequence]:
    """The platform's bindings for ``standard``, then ``keys`` it lacks."""
    bindings = QKeySequence.keyBindings(standard)
    return bindings + [QKeySequence(k) for k in keys if QKeySequence(k) not in bindings]


def _plain(text: str) -> str:
    """A menu entry's text without its mnemonic and ellipsis."""
    return text.replace("&", "").rstrip("…")


def _keys(action: QAction) -> str:
    """The action's keys as the help lists them: not the dedicated keys some keyboards
    have (Undo, F14) that the platform binds as well."""
    texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
    return " / ".join(t for t in texts if "+" in t or re.fullmatch(r"F([1-9]|1[0-2])|.", t))
