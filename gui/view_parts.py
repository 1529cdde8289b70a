"""Small pieces the corpus-wide views and the menus share: a view that reads its data when
shown, a read-only record table, the
filter-bar / two-tables / summary layout of a master-detail view, and a menu filled from
(text, slot) entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)


class ReadWhenShown(QWidget):
    """A view over corpus-wide data that reads it again (``refresh``, which subclasses
    define and end by clearing ``_dirty``) after a change only while shown; hidden, it
    notes the change and reads when next shown."""

    def __init__(self) -> None:
        super().__init__()
        self._dirty = True

    def changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._dirty:
            self.refresh()


def record_table(name: str, model: QAbstractItemModel, stretch: int, many: bool = False) -> QTableView:
    """A table of whole-row selection (several rows when ``many``), no row numbers, column
    ``stretch`` taking the free width, one line per row."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if many else mode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    return table


def master_detail(
    owner: QWidget, bar: Sequence[QWidget], stretch: int, master: QTableView, detail: QTableView,
    sizes: tuple[int, int], summary: QLabel,
) -> None:  # fmt: skip
    """Lay out ``owner``: the filter ``bar`` (widget ``stretch`` widest), the master and
    detail tables side by side in a splitter, and a summary line."""
    row = QHBoxLayout()
    for widget in bar:
        row.addWidget(widget)
    row.setStretch(stretch, 1)
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(master)
    split.addWidget(detail)
    split.setSizes(list(sizes))
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addLayout(row)
    layout.addWidget(split, 1)
    layout.addWidget(summary)


def fill_menu(menu: QMenu, entries: Sequence[tuple[str | None, Callable[[], object] | None]]) -> None:
    """Add an action per ``(text, slot)``; ``(None, None)`` is a separator."""
    for text, slot in entries:
        if text is None:
            menu.addSeparator()
            continue
        action = QAction(text, menu)
        action.triggered.connect(lambda _=False, slot=slot: slot())
        menu.addAction(action)
