"""The sources view: who said what across the corpus. Every source — a canonical entity,
an anonymous description ("a police official in the region", per document), a document
or poll — with its claims as "source — cue → content", filterable by kind, certainty,
status and document. Opening a claim opens its document with the claim marked.

"Same source?" offers the same description in other documents as a suggestion; only the
analyst's confirmation groups them (``EntityLinks.same_source``, undoable).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from gui.view_parts import ReadWhenShown, master_detail, record_table
from models.annotation import Certainty, SourceKind
from storage.entities import Source, SourceClaim

if TYPE_CHECKING:
    from gui.entity_links import EntityLinks

_SOURCE_COLUMNS = ("Source", "Kind", "Claims", "Documents")
_CLAIM_COLUMNS = ("Document", "Claim", "Certainty", "Status")
_KIND_NAMES = {
    SourceKind.NAMED_PERSON: "named person",
    SourceKind.NAMED_ORGANISATION: "organisation",
    SourceKind.ANONYMOUS_OFFICIAL: "anonymous",
    SourceKind.DOCUMENT_REPORT: "document / data",
    SourceKind.UNATTRIBUTED: "unattributed",
}
_STATUS_CHOICES = (
    ("Accepted and suggested", ("accepted", "suggested")),
    ("Accepted", ("accepted",)),
    ("Suggested", ("suggested",)),
    ("All, rejected too", ("accepted", "suggested", "rejected")),
)


def claim_sentence(claim: SourceClaim) -> str:
    """A claim as an analyst reads it: "source — cue → content" (pronoun sources show the
    pronoun's antecedent)."""
    cue = claim.cue or "(no cue)"
    return f"{claim.source or '(unattributed)'} — {cue} → {claim.content}"


class SourceTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.sources: list[Source] = []

    def reset(self, sources: list[Source]) -> None:
        self.beginResetModel()
        self.sources = sources
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.sources)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_SOURCE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _SOURCE_COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        source = self.sources[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (source.name, _KIND_NAMES.get(SourceKind(source.kind), source.kind), len(source.claims),
                    source.documents)[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            where = "a canonical entity" if source.key.is_entity else "a description in one document"
            return f"{source.name}\n({where})"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SourceClaimModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.claims: list[SourceClaim] = []

    def reset(self, claims: list[SourceClaim]) -> None:
        self.beginResetModel()
        self.claims = claims
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.claims)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(_CLAIM_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _CLAIM_COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        claim = self.claims[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (claim.title, claim_sentence(claim), claim.certainty, claim.status)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            via = " (a pronoun in the text)" if claim.pronoun else ""
            return f"{claim_sentence(claim)}{via}"
        if role == Qt.ItemDataRole.FontRole and claim.status == "suggested":
            font = QLabel().font()
            font.setItalic(True)
            return font
        return None


class SourcesView(ReadWhenShown):
    def __init__(self, links: EntityLinks, open_document: Callable[[int], None]) -> None:
        super().__init__()
        self.setObjectName("sourcesView")
        self.links = links
        self.session = links.session
        self.open_document = open_document
        self.all_sources: list[Source] = []
        self.kind = QComboBox()
        self.kind.addItem("All kinds", None)
        for kind, name in _KIND_NAMES.items():
            self.kind.addItem(name, kind.value)
        self.certainty = QComboBox()
        self.certainty.addItem("Any certainty", None)
        for value in Certainty:
            self.certainty.addItem(value.value, value.value)
        self.status = QComboBox()
        for text, statuses in _STATUS_CHOICES:
            self.status.addItem(text, statuses)
        self.document = QLineEdit()
        self.document.setPlaceholderText("Document title contains…")
        self.document.setClearButtonEnabled(True)
        self.same_button = QPushButton("Same source?")
        self.same_button.setToolTip("The same description in other documents: confirm that it is one source")
        self.summary = QLabel()

        self.sources = SourceTableModel(self)
        self.source_table = record_table("sourceTable", self.sources, stretch=0)
        self.source_table.setWordWrap(True)
        self.claims = SourceClaimModel(self)
        self.claim_table = record_table("sourceClaimTable", self.claims, stretch=1)
        bar = (self.kind, self.certainty, self.status, self.document, self.same_button)
        master_detail(self, bar, 3, self.source_table, self.claim_table, (350, 650), self.summary)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.apply_filters)
        self.document.textChanged.connect(self._debounce.start)
        for combo in (self.kind, self.certainty, self.status):
            combo.currentIndexChanged.connect(self.refresh)
        self.source_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_claims())
        self.claim_table.activated.connect(self._open_claim)
        self.claim_table.doubleClicked.connect(self._open_claim)
        self.same_button.clicked.connect(self.confirm_same_source)
        links.changed.connect(self.changed)

    def refresh(self) -> None:
        """Re-read every source with the claim filters (kind and document filter here)."""
        certainty = self.certainty.currentData()
        self.all_sources = self.links.store.sources(
            statuses=self.status.currentData(), certainties=[certainty] if certainty else None
        )
        self.apply_filters()
        self._dirty = False

    def apply_filters(self) -> None:
        current = self.current_source()
        kind = self.kind.currentData()
        words = self.document.text().casefold().strip()
        shown = []
        for source in self.all_sources:
            if kind and source.kind != kind:
                continue
            if words:
                claims = [c for c in source.claims if words in c.title.casefold()]
                if not claims:
                    continue
                source = Source(source.key, source.name, source.kind, claims)
            shown.append(source)
        shown.sort(key=lambda s: (-len(s.claims), s.name.casefold()))
        self.sources.reset(shown)
        total = sum(len(s.claims) for s in shown)
        self.summary.setText(f"{len(shown)} source(s), {total} claim(s)")
        keys = [s.key for s in shown]
        row = (
            keys.index(current.key) if current is not None and current.key in keys else (0 if shown else None)
        )
        if row is not None:
            self.source_table.selectRow(row)
        self._show_claims()

    def current_source(self) -> Source | None:
        index = self.source_table.currentIndex()
        return self.sources.sources[index.row()] if index.isValid() else None

    def select_source(self, name: str) -> bool:
        for row, source in enumerate(self.sources.sources):
            if source.name == name:
                self.source_table.selectRow(row)
                return True
        return False

    def _show_claims(self) -> None:
        source = self.current_source()
        self.claims.reset(source.claims if source else [])
        self.same_button.setEnabled(bool(source and self._same_candidates(source)))

    def _same_candidates(self, source: Source) -> list[Source]:
        if source.key.is_entity or not source.key.key:
            return []
        for group in self.links.store.same_source_suggestions(self.all_sources):
            if source.key in {s.key for s in group}:
                return group
        return []

    def _open_claim(self, index: QModelIndex | QPersistentModelIndex) -> None:
        claim = self.claims.claims[index.row()]
        self.open_document(claim.doc_id)
        self.session.select_claim(claim.id)

    def confirm_same_source(self) -> None:
        source = self.current_source()
        group = self._same_candidates(source) if source else []
        if not group:
            return
        titles = sorted({c.title for s in group for c in s.claims})
        answer = QMessageBox.question(
            self,
            "Same source?",
            f"Is “{source.name}” the same source in these {len(titles)} documents?\n\n"
            + "\n".join(f"• {t}" for t in titles[:12])
            + ("\n…" if len(titles) > 12 else "")
            + "\n\nTheir claims will be grouped under one source (Ctrl+Z undoes).",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.links.same_source([s.key for s in group], source.name, source.kind)
