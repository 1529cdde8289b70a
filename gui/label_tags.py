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

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QTextBlock,
    QTextCharFormat,
)

from gui.highlighter import SpanHighlighter
from gui.theme import is_dark
from models.annotation import Span, Status

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit

TAG_SCALE = 0.72  # tag font size relative to the text
_PAD = 3.0  # inside the tag, left and right (px)
_GAP = 2.0  # between the span's last letter, the tag and the next letter (px)
_CACHED_BLOCKS = 5000  # blocks whose tag geometry is kept


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
        self._room: dict[tuple[str, Status], float] = {}

    def room(self, span: Span) -> float:
        """Width (px) reserved after the span's text: the tag and a gap on each side."""
        key = (span.label, span.status)
        width = self._room.get(key)
        if width is None:
            metrics = self.suggested_metrics if span.status == Status.SUGGESTED else self.metrics
            width = metrics.horizontalAdvance(tag_text(span)) + 2 * _PAD + 2 * _GAP
            self._room[key] = width
        return width


class TaggedHighlighter(SpanHighlighter):
    """The span highlighter, plus room for a tag after each span when tags are shown."""

    def __init__(self, labels, document=None, metrics: TagMetrics | None = None) -> None:
        super().__init__(labels, document)
        self.tags_shown = True
        self.metrics = metrics
        self._room: dict[int, float] = {}
        self._spaced_formats: dict[tuple[int, float], tuple[QTextCharFormat, QTextCharFormat]] = {}

    def restyle(self) -> None:
        """The label colours changed (a light or dark palette): format every block again."""
        self._formats.clear()
        self._spaced_formats.clear()
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        """The span highlighter's pass, with ``_room`` telling ``setFormat`` which
        positions end a span and how wide their tags are."""
        self._room = self._tag_room(text)
        try:
            super().highlightBlock(text)
        finally:
            self._room = {}

    def _tag_room(self, text: str) -> dict[int, float]:
        """Block position of each span's last character -> room (px) for its tags."""
        index = self.index
        block = self.currentBlock()
        if not self.tags_shown or self.metrics is None or index is None or not text:
            return {}
        if not self.block_due():  # not near the screen yet
            return {}
        spans = index.in_block(block.blockNumber())
        if not spans:
            return {}
        base = block.position()
        last = base + block.length() - 1
        to_qt, room_of = index.offsets.to_qt, self.metrics.room
        room: dict[int, float] = {}
        for span in spans.values():
            end = to_qt(span.end)
            if base < end <= last and span.status != Status.REJECTED:
                room[end - 1 - base] = room.get(end - 1 - base, 0.0) + room_of(span)
        return room

    def setFormat(self, start: int, count: int, fmt) -> None:  # noqa: N802 (Qt override)
        """The highlighter's ranges end where spans end (overlaps are cut there too): a
        range holding a span's last character gives that character the tag's room."""
        tail = start + count - 1
        width = self._room.get(tail) if self._room and isinstance(fmt, QTextCharFormat) else None
        if width is None:
            super().setFormat(start, count, fmt)
            return
        if count > 1:
            super().setFormat(start, count - 1, fmt)
        super().setFormat(tail, 1, self._spaced(fmt, width))

    def _spaced(self, fmt: QTextCharFormat, width: float) -> QTextCharFormat:
        """``fmt`` with ``width`` px after each character (cached: the highlighter's
        formats are shared objects, so there are few of these)."""
        key = (id(fmt), width)
        cached = self._spaced_formats.get(key)
        if cached is None or cached[0] is not fmt:
            spaced = QTextCharFormat(fmt)
            spaced.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            spaced.setFontLetterSpacing(width)
            cached = (fmt, spaced)
            self._spaced_formats[key] = cached
        return cached[1]


class LabelTagPainter:
    """Paints tags and suggestion outlines over the visible part of a text view whose
    highlighter is a ``TaggedHighlighter``."""

    def __init__(self, view: QPlainTextEdit, highlighter: TaggedHighlighter) -> None:
        self.view = view
        self.highlighter = highlighter
        self.metrics = TagMetrics(view.font())
        highlighter.metrics = self.metrics
        self._pixmaps: dict[tuple, QPixmap] = {}
        self._cache: dict[int, tuple[tuple, list]] = {}  # block number -> (key, tags)
        self._cached_index = None

    @property
    def shown(self) -> bool:
        return self.highlighter.tags_shown

    def set_shown(self, shown: bool) -> None:
        """Show or hide the tags (the text reflows: the room after each span goes)."""
        if shown != self.highlighter.tags_shown:
            self.highlighter.tags_shown = shown
            self.highlighter.rehighlight()
            self.view.viewport().update()

    def visible_tags(self) -> list[tuple[Span, QRectF]]:
        """(span, tag rectangle in viewport coordinates) of every tag on screen."""
        return [(span, rect) for span, rect, _outline in self._layout() if not rect.isNull()]

    def visible_outlines(self) -> dict[int, list[QRectF]]:
        """Span id -> the dashed boxes (viewport coordinates) of each suggestion on screen."""
        return {span.id: outline for span, _rect, outline in self._layout() if outline}

    def paint(self, painter: QPainter, area: QRect) -> None:
        """Draw the tags and outlines that meet ``area`` (viewport coordinates), from the
        blocks that meet it only (a span change repaints its block, not the screen).
        Each tag is drawn once into a pixmap and reused: a screen holds a hundred tags."""
        palette = self.view.palette()
        dark = is_dark(palette)
        style = (dark, palette.color(QPalette.ColorRole.Base).rgb(), self.view.devicePixelRatioF())
        clip = QRectF(area)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for span, rect, outline in self._layout(clip):
            if span.status == Status.SUGGESTED and outline:
                colour = QColor(self.highlighter.labels.get(span.label).colour)
                painter.setPen(
                    QPen(colour.lighter(170) if dark else colour.darker(170), 1, Qt.PenStyle.DashLine)
                )
                for box in outline:
                    if box.intersects(clip):
                        painter.drawRect(box)
            if not rect.isNull() and rect.intersects(clip):
                painter.drawPixmap(rect.topLeft(), self._tag_pixmap(span, rect.size(), palette, style))

    def _tag_pixmap(self, span: Span, size: QSizeF, palette: QPalette, style: tuple) -> QPixmap:
        """The tag drawn for ``style``: (dark palette, base colour, device pixel ratio)."""
        colour = self.highlighter.labels.get(span.label).colour
        key = (tag_text(span), span.status, colour, style, round(size.width()), round(size.height()))
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            dark, _base, ratio = style
            pixmap = QPixmap((size * ratio).toSize())
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            fill = QColor(colour)
            edge = fill.lighter(170) if dark else fill.darker(170)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            box = QRectF(0.5, 0.5, size.width() - 1, size.height() - 1)
            if span.status == Status.SUGGESTED:
                painter.setPen(QPen(edge, 1, Qt.PenStyle.DashLine))
                painter.setBrush(palette.color(QPalette.ColorRole.Base))
                painter.drawRoundedRect(box, 3, 3)
                painter.setFont(self.metrics.suggested_font)
                painter.setPen(edge)
            else:
                painter.setPen(QPen(edge, 1))
                painter.setBrush(fill)
                painter.drawRoundedRect(box, 3, 3)
                painter.setFont(self.metrics.font)
                painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, tag_text(span))
            painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    # -- geometry ----------------------------------------------------------------------

    def _layout(self, area: QRectF | None = None) -> list[tuple[Span, QRectF, list[QRectF]]]:
        """Tags and outlines of the spans in the blocks on screen (that meet ``area``)."""
        highlighter = self.highlighter
        index = highlighter.index
        if index is None:
            return []
        view = self.view
        height = view.viewport().height()
        offset = view.contentOffset()
        if index is not self._cached_index or len(self._cache) > _CACHED_BLOCKS:
            self._cache.clear()
            self._cached_index = index
        found = []
        block = view.firstVisibleBlock()
        while block.isValid():
            geometry = view.blockBoundingGeometry(block).translated(offset)
            top = geometry.top()
            if top > height or area is not None and top > area.bottom():
                break
            spans = index.in_block(block.blockNumber())
            if spans and block.isVisible() and (area is None or geometry.bottom() >= area.top()):
                shift = QPointF(offset.x(), top)
                for span, rect, outline in self._block_tags(block, spans):
                    found.append((span, rect.translated(shift) if not rect.isNull() else rect,
                                  [box.translated(shift) for box in outline]))  # fmt: skip
            block = block.next()
        return found

    def _block_tags(self, block: QTextBlock, spans: dict[int, Span]):
        """The block's tags and outlines relative to its top left corner (outlines also
        while tags are hidden), computed again only when its spans, its layout or the tag
        room changed."""
        layout = block.layout()
        key = (
            tuple(spans.values()),
            layout.lineCount(),
            layout.boundingRect().width(),
            self.metrics.font.pointSizeF(),
            self.highlighter.tags_shown,
        )
        cached = self._cache.get(block.blockNumber())
        if cached is not None and cached[0] == key:
            return cached[1]
        result = self._measure_block(block, list(spans.values()))
        self._cache[block.blockNumber()] = (key, result)
        return result

    def _measure_block(self, block: QTextBlock, spans: list[Span]):
        layout = block.layout()
        base = block.position()
        last = base + block.length() - 1
        to_qt = self.highlighter.index.offsets.to_qt
        origin = layout.position()
        tags_shown = self.highlighter.tags_shown
        tag_height = self.metrics.metrics.height() + 1
        used: dict[int, float] = defaultdict(float)  # tags already placed after a position
        result = []
        for span in sorted(spans, key=lambda s: (s.end, -s.start, s.label)):
            suggested = span.status == Status.SUGGESTED
            qt_end = to_qt(span.end)
            tagged = tags_shown and base < qt_end <= last and span.status != Status.REJECTED
            if not (tagged or suggested):
                continue
            start, end = max(to_qt(span.start), base) - base, min(qt_end, last) - base
            line = layout.lineForTextPosition(max(start, end - 1))  # the span's last line
            if not line.isValid():
                continue
            right = line.cursorToX(end)[0]
            outline = []
            if suggested and start < end:
                if start >= line.textStart():  # on one line (most): one box, up to ``right``
                    left, far = sorted((line.cursorToX(start)[0], right))
                    top = origin.y() + line.y() + 0.5
                    outline = [QRectF(origin.x() + left, top, far - left, line.height() - 1)]
                else:
                    outline = self._outline(layout, start, end, origin)
            if not tagged:
                if outline:
                    result.append((span, QRectF(), outline))
                continue
            room = self.metrics.room(span)
            right -= used[end]
            used[end] += room
            y = origin.y() + line.y() + (line.height() - tag_height) / 2
            rect = QRectF(origin.x() + right - room + _GAP, y, room - 2 * _GAP, tag_height)
            result.append((span, rect, outline))
        return result

    def _outline(self, layout, start: int, end: int, origin: QPointF) -> list[QRectF]:
        """One box per visual line the range [start, end) covers (block positions)."""
        boxes = []
        first = layout.lineForTextPosition(start).lineNumber()
        last = layout.lineForTextPosition(max(start, end - 1)).lineNumber()
        for number in range(max(first, 0), last + 1):
            line = layout.lineAt(number)
            a = max(start, line.textStart())
            b = min(end, line.textStart() + line.textLength())
            if a >= b:
                continue
            left, right = sorted((line.cursorToX(a)[0], line.cursorToX(b)[0]))
            top = origin.y() + line.y() + 0.5
            boxes.append(QRectF(origin.x() + left, top, right - left, line.height() - 1))
        return boxes
