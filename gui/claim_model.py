"""The claim panel's model: one row per claim of the open document.

Claims hold offsets only; the texts shown (content, cue, the source with the name it
resolves to) are read from the session's document and spans when a row is drawn, so a
relabelled or deleted source span shows at once.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox

from gui.record_model import STATUS_ROLES, RecordTableModel, status_style
from models.annotation import Certainty, Claim, ClaimKind, CueKind, SourceKind, Span

if TYPE_CHECKING:
    from gui.session import DocumentSession

Index = QModelIndex | QPersistentModelIndex

CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

SOURCE_KIND_NAMES = {
    SourceKind.NAMED_PERSON: "named person",
    SourceKind.NAMED_ORGANISATION: "named organisation",
    SourceKind.ANONYMOUS_OFFICIAL: "anonymous official",
    SourceKind.DOCUMENT_REPORT: "document/report",
    SourceKind.UNATTRIBUTED: "unattributed",
}
CERTAINTY_NAMES = {
    Certainty.ASSERTED: "asserted",
    Certainty.HEDGED: "hedged",
    Certainty.UNCONFIRMED: "unconfirmed",
    Certainty.DENIED: "denied",
}
CUE_KIND_NAMES = {
    CueKind.SPEECH: "speech",
    CueKind.ACCORDING_TO: "according to",
    CueKind.EVIDENCE: "evidence",
    CueKind.QUESTION: "question",
    CueKind.ANSWER: "answer",
    CueKind.CALL: "call",
    CueKind.EVALUATION: "evaluation",
    CueKind.ATTITUDE: "attitude",
    CueKind.NO_VERB: "no verb",
    CueKind.INTERVIEW: "interview answer",
    CueKind.RESPONSIBILITY: "responsibility",
    CueKind.HEARSAY: "hearsay",
}
NO_CUE_KIND = "not stated"  # claims made before cue kinds existed, or by hand
CLAIM_KIND_NAMES = {ClaimKind.STATEMENT: "statement", ClaimKind.RESPONSIBILITY: "responsibility claim"}
CONTENT_WIDTH = 80


def elide(text: str, width: int = CONTENT_WIDTH) -> str:
    """One line of at most ``width`` characters (white space runs collapsed)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def part_text(text: str, claim: Claim, part: str) -> str:
    """The text of a claim's ``content``, ``cue`` or ``source`` mention ("" when unset)."""
    bounds = claim.parts()[part]
    return text[bounds[0] : bounds[1]] if bounds else ""


def cue_kind_name(claim: Claim) -> str:
    return CUE_KIND_NAMES[claim.cue_kind] if claim.cue_kind is not None else NO_CUE_KIND


def source_name(claim: Claim, spans: dict[int, Span]) -> str:
    """Who the source is: the free-text name, else the linked entity span's text."""
    if claim.source_text:
        return claim.source_text
    span = spans.get(claim.source_span_id) if claim.source_span_id is not None else None
    return span.text if span is not None else ""


def source_label(claim: Claim, text: str, spans: dict[int, Span]) -> str:
    """The source as the panel shows it: ``He → a police official in the region`` when
    the mention refers to someone named elsewhere, else the mention or the name."""
    mention = " ".join(part_text(text, claim, "source").split())
    name = " ".join(source_name(claim, spans).split())
    if mention and name and name != mention:
        return f"{mention} → {name}"
    return mention or name


class ClaimTableModel(RecordTableModel[Claim]):
    """Columns: content, source, cue, source kind, certainty, status, origin, cue kind,
    claim kind (the claim list paints a row as one card, gui/claim_card.py; the columns
    serve lookups and tests). Rows change only when the session announces a saved claim."""

    COLUMNS = (
        "Content", "Source", "Cue", "Source kind", "Certainty", "Status", "Origin", "Cue kind", "Claim kind",
    )  # fmt: skip
    CONTENT, SOURCE, CUE, KIND, CERTAINTY, STATUS, ORIGIN, CUE_KIND, CLAIM_KIND = range(9)

    order = staticmethod(lambda claim: (claim.content_start, claim.id or 0))

    def __init__(self, session: DocumentSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session

    def refresh_sources(self, *_args) -> None:
        """Entity spans changed: the resolved source names may read differently."""
        if self._records:
            self.dataChanged.emit(self.index(0, self.SOURCE), self.index(len(self._records) - 1, self.SOURCE))

    def text_of(self, claim: Claim, part: str) -> str:
        document = self.session.document
        return part_text(document.text, claim, part) if document is not None else ""

    def source_label(self, claim: Claim) -> str:
        document = self.session.document
        return source_label(claim, document.text if document else "", self.session.spans)

    # -- Qt model ----------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        claim = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(claim, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(claim)
        if role in STATUS_ROLES:
            return status_style(claim.status, role)
        if role == CLAIM_ID_ROLE:
            return claim.id
        return None

    def _display(self, claim: Claim, column: int) -> str:
        if column == self.CONTENT:
            return elide(self.text_of(claim, "content"))
        if column == self.SOURCE:
            return self.source_label(claim)
        if column == self.CUE:
            return " ".join(self.text_of(claim, "cue").split())
        if column == self.KIND:
            return SOURCE_KIND_NAMES[claim.source_kind]
        if column == self.CERTAINTY:
            return CERTAINTY_NAMES[claim.certainty]
        if column == self.STATUS:
            return claim.status.value
        if column == self.CUE_KIND:
            return cue_kind_name(claim)
        if column == self.CLAIM_KIND:
            return CLAIM_KIND_NAMES[claim.claim_kind]
        return claim.origin

    def _tooltip(self, claim: Claim) -> str:
        lines = [" ".join(self.text_of(claim, "content").split())]
        if claim.note:
            lines.append(f"Note: {claim.note}")
        lines.append(f"by {claim.annotator or '?'} ({claim.origin})")
        return "\n".join(lines)


def fill_choices(combo: QComboBox, names: dict[Enum, str], unset: str | None = None) -> None:
    """Items show the analyst's words; item data is the stored value (``unset``: a
    first item for no value, whose data is None)."""
    if unset is not None:
        combo.addItem(unset, None)
    for value, name in names.items():
        combo.addItem(name, value.value)
