"""Label tags in the article: each span's label name in a small tag right after its text
(as displaCy and Prodigy show them), and a dashed outline round every suggestion.

Two halves, both outside the span highlighter's own code:
- ``TaggedHighlighter`` extends ``SpanHighlighter``: after a block is formatted it widens
  the last character of each span by the width of its tag (absolute letter spacing), so
  the layout keeps room for the tag and wraps, selects and maps clicks as usual; the
  span's fill runs on under its tag.
- ``LabelTagPainter.paint`` is called from the text view's paint event and draws the tags
  and suggestion outlines of the blocks on screen only.

Accepted spans get a solid tag in the label's colour; suggestions a dashed, unfilled tag
with a question mark ("PERSON?") and a dashed box round their text, so a suggestion never
reads as accepted work. Rejected spans show nothing. Tags follow the palette (a dark
palette gets the labels' dark colours and light text).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QTextBlock

from gui.highlighter import SpanHighlighter
from models.annotation import Span, Status

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit

TAG_SCALE = 0.72  # tag font size relative to the text
_PAD = 3.0  # inside the tag, left and right (px)
_GAP = 2.0  # between the span's last letter, the tag and the next letter (px)


def is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark base."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tag_text(span: Span) -> str:
    return span.label + ("?" if span.status == Status.SUGGESTED else "")


class TagMetrics:
    """The tag font and the room each tag takes (px), for a text font."""

    def __init__(self, text_font: QFont) -> None:
        self.font = QFont(text_font)
        self.font.setPointSizeF(max(6.0, text_font.pointSizeF() * TAG_SCALE))
        self.font.setBold(True)
        self.suggested_font = QFont(self.font)
        self.suggested_font.setItalic(True)
        self.metrics = QFontMetricsF(self.font)
        self.suggested_metrics = QFontMetricsF(self.suggested_font)
        self._room: dict[str, float] = {}

    def room(self, span: Span) -> float:
        """Width (px) reserved after the span's text: the tag and a gap on each side."""
        text = tag_text(span)
        width = self._room.get(text)
        if width is None:
            metrics = self.suggested_metrics if span.status == Status.SUGGESTED else self.metrics
            width = metrics.horizontalAdvance(text) + 2 * _PAD + 2 * _GAP
            self._room[text] = width
        return width


def _visible(span: Span) -> bool:
    return span.status != Status.REJECTED


class TaggedHighlighter(SpanHighlighter):
    """The span highlighter, plus room for a tag after each span when tags are shown."""

    def __init__(self, labels, document=None, metrics: TagMetrics | None = None) -> None:
        super().__init__(labels, document)
        self.tags_shown = True
        self.metrics = metrics

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().highlightBlock(text)
        index = self.index
        if not self.tags_shown or self.metrics is None or index is None or not text:
            return
        block = self.currentBlock()
        spans = index.by_block.get(block.blockNumber())
        if not spans:
            return
        base = block.position()
        last = base + block.length() - 1
        room: dict[int, float] = defaultdict(float)
        for span in spans.values():
            end = index.offsets.to_qt(span.end)
            if _visible(span) and base < end <= last:
                room[end - 1 - base] += self.metrics.room(span)
        for position, width in room.items():
            fmt = self.format(position)
            fmt.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            fmt.setFontLetterSpacing(width)
            self.setFormat(position, 1, fmt)


class LabelTagPainter:
    """Paints tags and suggestion outlines over the visible part of a text view whose
    highlighter is a ``TaggedHighlighter``."""

    def __init__(self, view: QPlainTextEdit, highlighter: TaggedHighlighter) -> None:
        self.view = view
        self.highlighter = highlighter
        self.metrics = TagMetrics(view.font())
        highlighter.metrics = self.metrics

    @property
    def shown(self) -> bool:
        return self.highlighter.tags_shown

    def set_shown(self, shown: bool) -> None:
        """Show or hide the tags (the text reflows: the room after each span goes)."""
        if shown != self.highlighter.tags_shown:
            self.highlighter.tags_shown = shown
            self.highlighter.rehighlight()
            self.view.viewport().update()

    def font_changed(self) -> None:
        self.metrics = TagMetrics(self.view.font())
        self.highlighter.metrics = self.metrics
        self.highlighter.rehighlight()

    def visible_tags(self) -> list[tuple[Span, QRectF]]:
        """(span, tag rectangle in viewport coordinates) of every tag on screen."""
        return [(span, rect) for span, rect, _outline in self._layout() if not rect.isNull()]

    def paint(self, painter: QPainter) -> None:
        dark = is_dark(self.view.palette())
        text_colour = self.view.palette().color(QPalette.ColorRole.Text)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for span, rect, outline in self._layout():
            colour = QColor(self.highlighter.labels.get(span.label).colour)
            edge = colour.lighter(170) if dark else colour.darker(170)
            if span.status == Status.SUGGESTED:
                pen = QPen(edge, 1.2, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for box in outline:
                    painter.drawRoundedRect(box, 2, 2)
                if rect.isNull():
                    continue
                painter.setBrush(self.view.palette().color(QPalette.ColorRole.Base))
                painter.drawRoundedRect(rect, 3, 3)
                painter.setFont(self.metrics.suggested_font)
                painter.setPen(edge)
            else:
                painter.setPen(QPen(edge, 1))
                painter.setBrush(colour)
                painter.drawRoundedRect(rect, 3, 3)
                painter.setFont(self.metrics.font)
                painter.setPen(text_colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, tag_text(span))

    # -- geometry ----------------------------------------------------------------------

    def _layout(self) -> list[tuple[Span, QRectF, list[QRectF]]]:
        """Tags and outlines of the spans in the blocks on screen."""
        highlighter = self.highlighter
        index = highlighter.index
        if not highlighter.tags_shown or index is None:
            return []
        view = self.view
        height = view.viewport().height()
        offset = view.contentOffset()
        found = []
        block = view.firstVisibleBlock()
        while block.isValid():
            top = view.blockBoundingGeometry(block).translated(offset).top()
            if top > height:
                break
            spans = index.by_block.get(block.blockNumber())
            if spans and block.isVisible():
                found.extend(self._block_tags(block, QPointF(offset.x(), top), list(spans.values())))
            block = block.next()
        return found

    def _block_tags(self, block: QTextBlock, origin: QPointF, spans: list[Span]):
        layout = block.layout()
        base = block.position()
        last = base + block.length() - 1
        to_qt = self.highlighter.index.offsets.to_qt
        origin = origin + layout.position()
        used: dict[int, float] = defaultdict(float)  # tags already placed after a position
        result = []
        for span in sorted(spans, key=lambda s: (s.end, -s.start, s.label)):
            if not _visible(span):
                continue
            start, end = max(to_qt(span.start), base) - base, min(to_qt(span.end), last) - base
            outline = self._outline(layout, start, end, origin) if span.status == Status.SUGGESTED else []
            if not base < to_qt(span.end) <= last:
                if outline:
                    result.append((span, QRectF(), outline))
                continue
            line = layout.lineForTextPosition(end - 1)
            if not line.isValid():
                continue
            room = self.metrics.room(span)
            right = line.cursorToX(end)[0] - used[end]
            used[end] += room
            metrics = self.metrics.metrics
            tag_height = metrics.height() + 1
            y = origin.y() + line.y() + (line.height() - tag_height) / 2
            rect = QRectF(origin.x() + right - room + _GAP, y, room - 2 * _GAP, tag_height)
            result.append((span, rect, outline))
        return [(span, rect, outline) for span, rect, outline in result if not rect.isNull() or outline]

    def _outline(self, layout, start: int, end: int, origin: QPointF) -> list[QRectF]:
        """One box per visual line the range [start, end) covers (block positions)."""
        boxes = []
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            a = max(start, line.textStart())
            b = min(end, line.textStart() + line.textLength())
            if a >= b:
                continue
            left, right = sorted((line.cursorToX(a)[0], line.cursorToX(b)[0]))
            top = origin.y() + line.y() + 0.5
            boxes.append(QRectF(origin.x() + left, top, right - left, line.height() - 1))
        return boxes
