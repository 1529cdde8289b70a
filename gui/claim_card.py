"""A claim as the analyst reads it, one card per row of the claim list:

    ▌ Source — cue →                                   [suggested]
    ▌ the content of the claim, on up to two lines, the
    ▌ rest elided…
    ▌ call · named person · hedged

The last line gives the cue kind (when stated), the source kind and the certainty. A bar
and a chip give the review status (accepted, suggested, rejected) at a glance, a
second chip the certainty when it is not plainly asserted. The card is as wide as the
panel: nothing scrolls sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from gui.claim_model import CERTAINTY_NAMES, CUE_KIND_NAMES, SOURCE_KIND_NAMES, ClaimTableModel
from models.annotation import Certainty, Claim, ClaimKind, CueKind, Status

Index = QModelIndex | QPersistentModelIndex

# Chips: light fills under black text, readable on light and dark palettes alike.
STATUS_COLOURS = {Status.ACCEPTED: "#8fd19e", Status.SUGGESTED: "#ffd966", Status.REJECTED: "#c8c8c8"}
CERTAINTY_COLOURS = {
    Certainty.HEDGED: "#ffe0b3",
    Certainty.UNCONFIRMED: "#f7c6c6",
    Certainty.DENIED: "#d9c2ef",
}
_PAD = 6.0
_BAR = 4.0
CONTENT_LINES = 2


def headline(source: str, cue: str) -> str:
    """The first line of a card: "Source — cue →" (parts that are unset are left out)."""
    parts = [source or "(no source)"] + ([cue] if cue else [])
    return " — ".join(parts) + " →"


class ClaimCardDelegate(QStyledItemDelegate):
    """Paints a row of ``ClaimTableModel`` (any column: the list shows one) as a card."""

    def __init__(self, model: ClaimTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model

    def card_lines(self, claim: Claim) -> tuple[str, str, str]:
        """(headline, content, details) as the card shows them, before eliding."""
        source = self.model.source_label(claim)
        cue = " ".join(self.model.text_of(claim, "cue").split())
        content = " ".join(self.model.text_of(claim, "content").split())
        kinds = [SOURCE_KIND_NAMES[claim.source_kind], CERTAINTY_NAMES[claim.certainty]]
        if claim.cue_kind is not None:
            kinds.insert(0, CUE_KIND_NAMES[claim.cue_kind])
        if claim.claim_kind == ClaimKind.RESPONSIBILITY and claim.cue_kind != CueKind.RESPONSIBILITY:
            kinds.insert(0, "responsibility claim")
        return headline(source, cue), content, " · ".join(kinds)

    @staticmethod
    def card_height(font: QFont) -> int:
        """Height (px) of a card in ``font``: headline, content lines, details."""
        return int(2 * _PAD + QFontMetricsF(font).lineSpacing() * (2 + CONTENT_LINES) + 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(200, self.card_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        claim = self.model.record_at(index.row())
        style = option.widget.style() if option.widget is not None else QApplication.style()
        panel = QStyleOptionViewItem(option)
        self.initStyleOption(panel, index)
        panel.text = ""
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, panel, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = option.palette.color(role)
        muted = QColor(text_colour)
        muted.setAlphaF(0.7)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(_PAD + _BAR, _PAD, -_PAD, -_PAD)
        painter.fillRect(
            QRectF(option.rect.left() + 1, rect.top(), _BAR, rect.height()),
            QColor(STATUS_COLOURS[claim.status]),
        )
        title, content, details = self.card_lines(claim)
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        line = QFontMetricsF(option.font).lineSpacing()

        status_text = claim.status.value
        chip_width = self._chip(
            painter, small, status_text, STATUS_COLOURS[claim.status], rect.right(), rect.top()
        )
        painter.setFont(bold)
        painter.setPen(text_colour)
        metrics = QFontMetricsF(bold)
        room = rect.width() - chip_width - _PAD
        painter.drawText(
            QRectF(rect.left(), rect.top(), room, line),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, room),
        )

        painter.setFont(option.font)
        if claim.status == Status.REJECTED:
            painter.setPen(muted)
        y = rect.top() + line
        for text in wrapped(content, QFontMetricsF(option.font), rect.width(), CONTENT_LINES):
            painter.drawText(QRectF(rect.left(), y, rect.width(), line), Qt.AlignmentFlag.AlignVCenter, text)
            y += line

        y = rect.top() + line * (1 + CONTENT_LINES)
        right = rect.right()
        if claim.certainty in CERTAINTY_COLOURS:
            right -= (
                self._chip(
                    painter,
                    small,
                    CERTAINTY_NAMES[claim.certainty],
                    CERTAINTY_COLOURS[claim.certainty],
                    right,
                    y,
                )
                + _PAD
            )
        painter.setFont(small)
        painter.setPen(muted)
        small_metrics = QFontMetricsF(small)
        painter.drawText(
            QRectF(rect.left(), y, right - rect.left(), line),
            Qt.AlignmentFlag.AlignVCenter,
            small_metrics.elidedText(details, Qt.TextElideMode.ElideRight, right - rect.left()),
        )
        painter.restore()

    def _chip(
        self, painter: QPainter, font: QFont, text: str, colour: str, right: float, top: float
    ) -> float:
        """A rounded chip ending at ``right``; returns its width."""
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(text) + 12
        chip = QRectF(right - width, top + 1, width, metrics.height() + 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        painter.setPen(QColor("black"))
        painter.setFont(font)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return width


def wrapped(text: str, metrics: QFontMetricsF, width: float, lines: int) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` px, the last
    one elided when the text goes on."""
    words = text.split(" ")
    shown: list[str] = []
    while words and len(shown) < lines - 1:
        current = words.pop(0)
        while words and metrics.horizontalAdvance(current + " " + words[0]) <= width:
            current += " " + words.pop(0)
        if metrics.horizontalAdvance(current) > width:  # one word longer than the line
            words.insert(0, current)
            break
        shown.append(current)
    if words:
        shown.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return shown
