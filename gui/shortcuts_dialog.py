"""Help -> Keyboard shortcuts: every key, grouped, with a filter box; the dialog fits the
screen it opens on (the list scrolls) however many keys there are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

SCREEN_SHARE = 0.8  # of the available screen height and width, at most


Groups = list[tuple[str, list[tuple[str, str]]]]


class ShortcutsDialog(QDialog):
    def __init__(self, groups: Groups, parent: QWidget | None = None) -> None:
        """``groups``: (group title, [(keys, what they do), ...]) in the order shown."""
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText("Filter: a key or a word (undo, claim, Ctrl+…)")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutList")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What it does"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        for title, rows in groups:
            group = QTreeWidgetItem(self.tree, [title])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for keys, text in rows:
                item = QTreeWidgetItem(group, [keys, text])
                item.setToolTip(1, text)
            group.setExpanded(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self._fit_screen(parent)
        self.filter.setFocus()

    def _fit_screen(self, parent: QWidget | None) -> None:
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        width, height = int(screen.width() * SCREEN_SHARE), int(screen.height() * SCREEN_SHARE)
        self.resize(min(640, width), min(720, height))

    def apply_filter(self, text: str) -> None:
        """Show the rows whose keys or description contain ``text`` (any case)."""
        needle = text.strip().lower()
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            shown = 0
            for m in range(group.childCount()):
                item = group.child(m)
                match = not needle or needle in item.text(0).lower() or needle in item.text(1).lower()
                item.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)

    def visible_rows(self) -> list[tuple[str, str]]:
        """(keys, description) of the rows the filter leaves, in order."""
        rows = []
        for n in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(n)
            rows += [(group.child(m).text(0), group.child(m).text(1)) for m in range(group.childCount())
                     if not group.child(m).isHidden()]  # fmt: skip
        return rows
