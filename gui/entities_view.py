"""The entities view: every canonical entity with its label, aliases and counts,
searchable and filterable by label; the mentions of the selected entity across the corpus
(document, context); merge, split and edit, each one undoable step.

The entity list holds only ids and names (``EntityStore.entity_ids``); the counts of a row
are read a page at a time when the view first shows it, as the document list does, so the
view opens at once on a corpus of a million spans.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
)

from gui.view_parts import ReadWhenShown, master_detail, record_table
from storage.entities import EntityRow, Mention

if TYPE_CHECKING:
    from gui.entity_links import EntityLinks

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_PAGE = 30  # rows whose counts (or contexts) are read at once: a screenful of the dock
_ENTITY_COLUMNS = ("Name", "Label", "Aliases", "Documents", "Mentions", "Suggested", "Claims", "External id")
_ENTITY_TIPS = (
    "The canonical name",
    "Entity label",
    "Other names it goes by (matched without case, diacritics, hyphens or articles)",
    "Documents with a mention of it",
    "Spans linked to it (suggested or accepted)",
    "Mentions whose link is still a suggestion (L accepts, Shift+L rejects in the article)",
    "Claims whose source is this entity",
    "An external identifier you typed, such as a Wikidata QID (exported as kb_id)",
)
_LEFT_CONTEXT = 24  # characters of context shown before a mention (the tooltip has all)
_MENTION_COLUMNS = ("Document", "Context", "Label", "Link")


class EntityTableModel(QAbstractTableModel):
    def __init__(self, links: EntityLinks, parent=None) -> None:
        super().__init__(parent)
        self.store = links.store
        self.ids: list[tuple[int, str, str]] = []
        self.rows: dict[int, EntityRow] = {}

    def load(self, search: str, label: str | None) -> None:
        self.beginResetModel()
        self.ids = self.store.entity_ids(search, label)
        self.rows = {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_ENTITY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return _ENTITY_COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return _ENTITY_TIPS[section]
        return None

    def row(self, index: int) -> EntityRow | None:
        entity_id = self.ids[index][0]
        if entity_id not in self.rows:
            first = index - index % _PAGE
            page = [i for i, _, _ in self.ids[first : first + _PAGE]]
            self.rows.update(self.store.rows(page))
        return self.rows.get(entity_id)

    def entity_id_at(self, row: int) -> int:
        return self.ids[row][0]

    def row_of(self, entity_id: int) -> int | None:
        return next((i for i, (e, _, _) in enumerate(self.ids) if e == entity_id), None)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entity_id, name, label = self.ids[index.row()]
        if role == ENTITY_ID_ROLE:
            return entity_id
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return name
            if column == 1:
                return label
            row = self.row(index.row())
            if row is None:
                return None
            values = (", ".join(row.aliases), row.documents, row.mentions, row.suggested, row.claims,
                      row.external_id)  # fmt: skip
            return values[column - 2]
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            row = self.row(index.row())
            return "\n".join(row.aliases) if row and row.aliases else None
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= column <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class MentionTableModel(QAbstractTableModel):
    """The mentions of one entity; their context is read a page at a time when shown."""

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.mentions: list[Mention] = []
        self.contexts: dict[int, tuple[str, str]] = {}

    def reset(self, mentions: list[Mention]) -> None:
        self.beginResetModel()
        self.mentions = mentions
        self.contexts = {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.mentions)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_MENTION_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _MENTION_COLUMNS[section]
        return None

    def context(self, row: int) -> tuple[str, str]:
        span_id = self.mentions[row].span_id
        if span_id not in self.contexts:
            first = row - row % _PAGE
            page = [m.span_id for m in self.mentions[first : first + _PAGE]]
            self.contexts.update(self.store.mention_contexts(page))
        return self.contexts.get(span_id, ("", ""))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        mention = self.mentions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return mention.title
            if index.column() == 1:
                before, after = (" ".join(part.split()) for part in self.context(index.row()))
                # a short left context, so that the mention itself is never elided
                return f"…{before[-_LEFT_CONTEXT:]} [{mention.text}] {after}…"
            return mention.label if index.column() == 2 else mention.link_status
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            before, after = self.context(index.row())
            return f"{before}{mention.text}{after}"
        return None


class EntityEditor(QDialog):
    """Name, label, aliases (one per line), note and external id of an entity."""

    def __init__(self, entity, labels: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {entity.name}")
        form = QFormLayout(self)
        self.name = QLineEdit(entity.name)
        self.label = QComboBox()
        self.label.setEditable(True)
        self.label.addItems(sorted(set(labels) | {entity.label}))
        self.label.setCurrentText(entity.label)
        self.aliases = QLineEdit("; ".join(entity.aliases))
        self.aliases.setToolTip("Other names, separated by ';'")
        self.note = QLineEdit(entity.note)
        self.external_id = QLineEdit(entity.external_id)
        self.external_id.setPlaceholderText("e.g. Q1234 (typed; nothing is looked up)")
        for text, widget in (("Name", self.name), ("Label", self.label), ("Aliases", self.aliases),
                             ("Note", self.note), ("External id", self.external_id)):  # fmt: skip
            form.addRow(text, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, object]:
        aliases = tuple(a.strip() for a in self.aliases.text().split(";") if a.strip())
        return {
            "name": self.name.text().strip(),
            "label": self.label.currentText().strip(),
            "aliases": aliases,
            "note": self.note.text(),
            "external_id": self.external_id.text().strip(),
        }


class EntitiesView(ReadWhenShown):
    def __init__(self, links: EntityLinks, open_document: Callable[[int], None]) -> None:
        super().__init__()
        self.setObjectName("entitiesView")
        self.links = links
        self.session = links.session
        self.open_document = open_document
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names and aliases")
        self.search.setClearButtonEnabled(True)
        self.label = QComboBox()
        self.label.setToolTip("Only entities of this label")
        self.merge_button = QPushButton("Merge")
        self.merge_button.setToolTip("Merge the selected entities into the current one (Ctrl+M)")
        self.edit_button = QPushButton("Edit…")
        self.split_button = QPushButton("Split off…")
        self.split_button.setToolTip("Move the selected mentions to a new entity")
        self.summary = QLabel()

        self.model = EntityTableModel(links, self)
        self.table = record_table("entityTable", self.model, stretch=0, many=True)
        self.table.setWordWrap(True)
        self.mentions = MentionTableModel(links.store, self)
        self.mention_table = record_table("mentionTable", self.mentions, stretch=1, many=True)
        bar = (self.search, self.label, self.merge_button, self.edit_button, self.split_button)
        master_detail(self, bar, 0, self.table, self.mention_table, (500, 500), self.summary)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.label.currentIndexChanged.connect(self.refresh)
        # the mentions of the current entity are read once the list has painted, and once
        # for a run of selection changes (arrow keys held down)
        self._mentions_timer = QTimer(self)
        self._mentions_timer.setSingleShot(True)
        self._mentions_timer.setInterval(0)
        self._mentions_timer.timeout.connect(self._show_mentions)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._mentions_timer.start())
        self.mention_table.activated.connect(self._open_mention)
        self.mention_table.doubleClicked.connect(self._open_mention)
        self.merge_button.clicked.connect(self.merge_selected)
        self.edit_button.clicked.connect(self.edit_current)
        self.split_button.clicked.connect(self.split_selected)
        QShortcut(
            QKeySequence("Ctrl+M"),
            self,
            self.merge_selected,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        links.changed.connect(self.changed)

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the entity list (keeping the current entity) and its mentions."""
        current = self.current_entity_id()
        labels = self.links.store.labels()
        chosen = self.label.currentData()
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem("All labels", None)
        for name in labels:
            self.label.addItem(name, name)
        index = self.label.findData(chosen)
        self.label.setCurrentIndex(max(index, 0))
        self.label.blockSignals(False)
        self.model.load(self.search.text(), self.label.currentData())
        total = self.links.store.count()
        self.summary.setText(f"{self.model.rowCount()} of {total} entities")
        row = self.model.row_of(current) if current is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._mentions_timer.start()
        self._dirty = False

    def current_entity_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.entity_id_at(index.row()) if index.isValid() else None

    def selected_entity_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.entity_id_at(r) for r in rows]

    def _show_mentions(self) -> None:
        entity_id = self.current_entity_id()
        self.mentions.reset(self.links.store.mentions(entity_id) if entity_id is not None else [])

    def _open_mention(self, index: QModelIndex | QPersistentModelIndex) -> None:
        mention = self.mentions.mentions[index.row()]
        self.open_document(mention.doc_id)
        self.session.select_span(mention.span_id)

    # -- changing --------------------------------------------------------------------------

    def merge_selected(self) -> None:
        target_id = self.current_entity_id()
        others = [e for e in self.selected_entity_ids() if e != target_id]
        if target_id is None or not others:
            self.session.message.emit("Select two or more entities (Ctrl+click); the current one is kept.")
            return
        store = self.links.store
        target = store.get(target_id)
        for source_id in others:
            if not self.links.merge(store.get(source_id), target):
                return
        self.session.message.emit(f"Merged {len(others)} entit{'y' if len(others) == 1 else 'ies'} into "
                                  f"{target.name!r} (Ctrl+Z undoes)")  # fmt: skip

    def edit_current(self) -> None:
        entity_id = self.current_entity_id()
        if entity_id is None:
            return
        entity = self.links.store.get(entity_id)
        editor = EntityEditor(entity, self.links.store.labels(), self)
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.links.edit(entity, **editor.changes())

    def split_selected(self) -> None:
        entity_id = self.current_entity_id()
        rows = sorted({i.row() for i in self.mention_table.selectionModel().selectedRows()})
        if entity_id is None or not rows:
            self.session.message.emit("Select the mentions to split off in the list on the right.")
            return
        chosen = [self.mentions.mentions[r] for r in rows]
        name, ok = QInputDialog.getText(self, "Split off", "Name of the new entity:", text=chosen[0].text)
        if ok and name.strip():
            entity = self.links.store.get(entity_id)
            self.links.split(entity, [m.span_id for m in chosen], name.strip())
