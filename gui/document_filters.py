"""The bar above the document list: full-text search and filters (status, label, unreviewed
suggestions, source). It only describes a query; the corpus workflow applies it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from models.corpus import DocumentQuery, word_prefixes
from models.labels import LabelSet

SEARCH_DELAY_MS = 300
SEARCH_HELP = (
    'Full-text search: words (each also finds longer words: missile finds missiles), "a phrase", '
    "AND / OR / NOT, title: word"
)
_STATUSES = (("All statuses", None), ("New", "new"), ("In progress", "in_progress"), ("Done", "done"))
_ERROR_STYLE = "QLineEdit { border: 1px solid #c62828; background: #fdecea; }"


class DocumentFilterBar(QWidget):
    changed = Signal()  # a filter changed (typing in the search box: after a short pause)
    leave_requested = Signal()  # Esc in the search box: back to the article

    def __init__(self, labels: LabelSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("documentSearch")
        self.search.setPlaceholderText("Search titles and text (Ctrl+F)")
        self.search.setToolTip(SEARCH_HELP)
        self.search.setClearButtonEnabled(True)
        self.status = _combo("statusFilter", _STATUSES)
        names = [label.name for label in labels] + list(labels.extra_names())
        self.label = _combo("labelFilter", [("Any label", None)] + [(name, name) for name in names])
        self.source = _combo("sourceFilter", [("All sources", None)])
        self.unreviewed = QCheckBox("Unreviewed")
        self.unreviewed.setObjectName("unreviewedFilter")
        self.unreviewed.setToolTip("Only documents with suggestions left to review")
        self.count = QLabel()
        self.count.setObjectName("listCount")

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.search, 0, 0, 1, 2)
        layout.addWidget(self.status, 1, 0)
        layout.addWidget(self.label, 1, 1)
        layout.addWidget(self.source, 2, 0)
        layout.addWidget(self.unreviewed, 2, 1)
        layout.addWidget(self.count, 3, 0, 1, 2)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.changed)
        self.search.textEdited.connect(lambda _text: self._typing.start())
        self.search.returnPressed.connect(self._search_now)
        self.search.textChanged.connect(self._cleared)
        for combo in (self.status, self.label, self.source):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.unreviewed.toggled.connect(lambda _on: self.changed.emit())
        leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        leave.setContext(Qt.ShortcutContext.WidgetShortcut)
        leave.activated.connect(self.leave_requested)

    def query(self, base: DocumentQuery) -> DocumentQuery:
        """``base`` (its sort order) with the filters shown here."""
        return replace(
            base,
            status=self.status.currentData(),
            label=self.label.currentData(),
            source=self.source.currentData(),
            unreviewed=self.unreviewed.isChecked(),
            search=word_prefixes(self.search.text().strip()),
        )

    def set_sources(self, sources: list[tuple[str, int]]) -> None:
        """Offer these sources, keeping the one chosen if it is still there."""
        chosen = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem("All sources", None)
        for name, count in sources:
            self.source.addItem(f"{name or '(no source)'} ({count:,})", name)
        found = self.source.findData(chosen) if chosen is not None else 0
        self.source.setCurrentIndex(max(found, 0))
        self.source.blockSignals(False)
        if chosen is not None and found < 0:
            self.changed.emit()

    def show_search_error(self, message: str | None) -> None:
        self.search.setStyleSheet(_ERROR_STYLE if message else "")
        self.search.setToolTip(message or SEARCH_HELP)

    def show_count(self, shown: int, total: int) -> None:
        if shown == total:
            self.count.setText(f"{total:,} documents")
        else:
            self.count.setText(f"{shown:,} of {total:,} documents match")

    def _search_now(self) -> None:
        self._typing.stop()
        self.changed.emit()

    def _cleared(self, text: str) -> None:
        if not text:  # the clear button, or everything deleted: no need to wait
            self._search_now()


def _combo(name: str, items) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    # narrow when the list is narrow (long source names would widen the whole window)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    for text, data in items:
        combo.addItem(text, data)
    return combo
