"""Span highlighting: a QSyntaxHighlighter that formats each block from a per-block index.

Adding or removing a span re-formats only the blocks it touches (never every span), which
keeps one edit in a 1 MB article to a few milliseconds (benchmarks/article_view.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from gui.offsets import BLOCK_BREAK, OffsetMap
from models.annotation import Span, Status
from models.labels import LabelSet


class SpanIndex:
    """Spans of one document grouped by the text block (line) they touch."""

    def __init__(self, text: str, offsets: OffsetMap) -> None:
        self.offsets = offsets
        self.block_starts = [0] + [m.end() for m in BLOCK_BREAK.finditer(text)]
        self.by_block: dict[int, dict[int, Span]] = defaultdict(dict)
        self.spans: dict[int, Span] = {}

    def blocks_of(self, start: int, end: int) -> range:
        first = bisect_right(self.block_starts, start) - 1
        last = bisect_right(self.block_starts, max(start, end - 1)) - 1
        return range(first, last + 1)

    def add(self, span: Span) -> range:
        self.spans[span.id] = span
        blocks = self.blocks_of(span.start, span.end)
        for number in blocks:
            self.by_block[number][span.id] = span
        return blocks

    def remove(self, span_id: int) -> range:
        span = self.spans.pop(span_id, None)
        if span is None:
            return range(0)
        blocks = self.blocks_of(span.start, span.end)
        for number in blocks:
            self.by_block[number].pop(span_id, None)
        return blocks

    def at(self, offset: int) -> list[Span]:
        """Spans covering code-point ``offset``, shortest first."""
        number = bisect_right(self.block_starts, offset) - 1
        hits = [s for s in self.by_block.get(number, {}).values() if s.start <= offset < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.label))


def _start(span: Span) -> int:
    return span.start


class SpanHighlighter(QSyntaxHighlighter):
    """Accepted spans are filled with their label's colour; suggestions are hatched with
    a dashed underline; where spans overlap, the shortest is filled and the others show
    as an underline in their colour. Rejected spans are not drawn."""

    def __init__(self, labels: LabelSet, document: QTextDocument | None = None) -> None:
        super().__init__(document)
        self.labels = labels
        self.index: SpanIndex | None = None
        self._formats: dict[tuple[str, str, bool], QTextCharFormat] = {}

    def reset(self, index: SpanIndex) -> None:
        self.index = index

    def refresh_blocks(self, blocks: Iterable[int]) -> None:
        document = self.document()
        if document is None:
            return
        for number in blocks:
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)

    def _format(self, label: str, status: Status, overlapped_by: str | None) -> QTextCharFormat:
        key = (label, status.value, overlapped_by or "")
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            colour = QColor(self.labels.get(label).colour)
            if status == Status.SUGGESTED:
                fmt.setBackground(QBrush(colour.darker(115), Qt.BrushStyle.BDiagPattern))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(colour.darker(160))
            else:
                fmt.setBackground(colour)
            if overlapped_by:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor(self.labels.get(overlapped_by).colour).darker(150))
                fmt.setFontUnderline(True)
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        index = self.index
        if index is None or not text:
            return
        block = self.currentBlock()
        in_block = index.by_block.get(block.blockNumber())
        if not in_block:
            return
        spans = [s for s in in_block.values() if s.status != Status.REJECTED]
        if not spans:
            return
        base = block.position()
        block_end = base + block.length() - 1
        spans.sort(key=_start)
        previous_end = -1
        for span in spans:
            if span.start < previous_end:
                self._highlight_overlapping(spans, base, block_end)
                return
            previous_end = span.end
        to_qt = index.offsets.to_qt
        for span in spans:
            start = max(to_qt(span.start), base)
            end = min(to_qt(span.end), block_end)
            self.setFormat(start - base, end - start, self._format(span.label, span.status, None))

    def _highlight_overlapping(self, spans: list[Span], base: int, block_end: int) -> None:
        to_qt = self.index.offsets.to_qt
        ranges = [(max(to_qt(s.start), base), min(to_qt(s.end), block_end), s) for s in spans]
        cuts = sorted({p for a, b, _ in ranges for p in (a, b)})
        for left, right in zip(cuts, cuts[1:], strict=False):
            covering = [s for a, b, s in ranges if a <= left and right <= b]
            if not covering:
                continue
            # accepted work is never hidden under a suggestion: it is filled first
            covering.sort(key=lambda s: (s.status != Status.ACCEPTED, s.end - s.start))
            inner = covering[0]
            outer = covering[-1].label if len(covering) > 1 else None
            self.setFormat(left - base, right - left, self._format(inner.label, inner.status, outer))
