"""Span highlighting: formats for the blocks near the screen, each from a per-block index.

Adding or removing a span re-formats only the blocks it touches (never every span), which
keeps one edit in a 1 MB article to a few milliseconds (benchmarks/article_view.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter, sub

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

from gui.offsets import OffsetMap, block_starts
from models.annotation import Span, Status
from models.labels import LabelSet

# A paragraph longer than LONG_BLOCK (code points) is shown as several blocks of at most
# DISPLAY_BLOCK. Qt lays out and formats a block whole: a 1 MB paragraph took 1.4 s to
# show as plain text and a span added to it 22 s; in blocks of 2,000, adding a span still
# laid out, measured and repainted 2,000 code points (8-40 ms under load). Paragraphs
# of ordinary length stay whole.
LONG_BLOCK = 2_000
DISPLAY_BLOCK = 600
DISPLAY_BREAK = "\u2029"  # Qt's paragraph separator: one position, as the space it stands for
# Spans at most this long (code points) are placed in the index's blocks when a block is
# first asked for; longer ones (rare) when they are added.
_SHORT_SPAN = 500
_START, _END, _ID = attrgetter("start"), attrgetter("end"), attrgetter("id")


def display_layout(text: str) -> tuple[str, list[int]]:
    """``text`` as the view shows it, and the code point where each of its blocks starts.

    In each paragraph longer than ``LONG_BLOCK``, a space every ``DISPLAY_BLOCK`` code
    points or less (after a full stop where there is one) becomes a paragraph separator.
    Same length and the same Qt positions, so every offset stays exact; a paragraph with
    no space to break at stays whole."""
    starts = block_starts(text)
    ends = [start - 1 for start in starts[1:]] + [len(text)]  # where each paragraph's break is
    cuts: list[int] = []
    for start, end in zip(starts, ends, strict=True):
        if end - start <= LONG_BLOCK:
            continue
        while end - start > DISPLAY_BLOCK:
            low, high = start + DISPLAY_BLOCK // 2, start + DISPLAY_BLOCK
            cut = text.rfind(". ", low, high)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", low, high)
            if cut < 0:
                cut = text.find(" ", high, end)
                if cut < 0:
                    break
            cuts.append(cut)
            start = cut + 1
    if not cuts:
        return text, starts
    bounds = [-1, *cuts, len(text)]
    shown = DISPLAY_BREAK.join(text[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False))
    return shown, sorted(starts + [cut + 1 for cut in cuts])


def display_text(text: str) -> str:
    """``text`` as the view shows it (``display_layout``)."""
    return display_layout(text)[0]


class SpanIndex:
    """Spans of one document grouped by the text block they touch (``starts``: the code
    point where each block of the text as shown starts, ``display_layout``).

    The spans given at construction are placed in a block when that block is first asked
    for (``in_block``): a view asks for the few blocks near the screen, and placing
    50,000 spans one by one was most of the time to show a long article."""

    def __init__(
        self, starts: list[int], offsets: OffsetMap, spans: Iterable[Span] = (), length: float = float("inf")
    ) -> None:
        self.offsets = offsets
        self.block_starts = starts
        self._next_starts = [*starts[1:], float("inf")]  # where the block after each begins
        # (maps of attrgetters: no Python call per span, the index of a 5 MB article
        # holds 50,000 spans)
        ordered = sorted(spans, key=_START)
        self.spans: dict[int, Span] = dict(zip(map(_ID, ordered), ordered, strict=True))
        self._blocks: dict[int, dict[int, Span]] = {}  # the blocks asked for so far
        # the others are found among the given spans by start; long ones are placed now
        self._unplaced: list[Span] = []
        self._unplaced_starts: list[int] = []
        # ``length``: code points of the text the blocks cover (a long text is shown a part
        # at a time: ``extend``); spans placed that run past it are placed again then
        self.indexed = length
        self._beyond: dict[int, Span] = {}
        self._take(ordered)

    def _take(self, ordered: list[Span]) -> None:
        """Spans (by start) that start after every span taken so far, to be placed in
        their blocks when those are asked for (long ones now)."""
        self._unplaced.extend(ordered)
        self._unplaced_starts.extend(map(_START, ordered))
        if max(map(sub, map(_END, ordered), map(_START, ordered)), default=0) > _SHORT_SPAN:
            for span in ordered:
                if span.end - span.start > _SHORT_SPAN:
                    self.add(span)

    def extend(self, starts: list[int], spans: list[Span], length: int) -> None:
        """More of the text as shown: ``starts``, where each of its blocks starts (the
        first continues the last block so far, which is empty: the text so far ends with a
        line break), up to code point ``length``, and ``spans``, those that start in it
        (by start)."""
        last = len(self.block_starts) - 1
        self.block_starts.extend(starts[1:])
        self._next_starts[-1:] = [*starts[1:], float("inf")]
        self.indexed = length
        self._blocks.pop(last, None)  # asked for while empty: found again with its text
        self.spans.update(zip(map(_ID, spans), spans, strict=True))
        self._take(spans)
        beyond, self._beyond = self._beyond, {}
        for span in beyond.values():  # into the blocks now shown
            self.add(span)

    def blocks_of(self, start: int, end: int) -> range:
        first = bisect_right(self.block_starts, start) - 1
        last = bisect_right(self.block_starts, max(start, end - 1)) - 1
        return range(first, last + 1)

    def in_block(self, number: int) -> dict[int, Span]:
        """Span id -> span of every span touching block ``number`` (the index's own dict:
        callers read it)."""
        spans = self._blocks.get(number)
        if spans is None:
            spans = self._blocks[number] = {}
            if 0 <= number < len(self.block_starts):
                first, after = self.block_starts[number], self._next_starts[number]
                low = bisect_left(self._unplaced_starts, first - _SHORT_SPAN)
                high = bisect_left(self._unplaced_starts, after)
                current = self.spans
                for span in self._unplaced[low:high]:  # as loaded, unless changed since
                    if max(span.start, span.end - 1) >= first and current.get(span.id) is span:
                        spans[span.id] = span
        return spans

    def add(self, span: Span) -> range:
        self.spans[span.id] = span
        if span.end > self.indexed:
            self._beyond[span.id] = span
        blocks = self.blocks_of(span.start, span.end)
        for number in blocks:
            self.in_block(number)[span.id] = span
        return blocks

    def remove(self, span_id: int) -> range:
        span = self.spans.pop(span_id, None)
        self._beyond.pop(span_id, None)
        if span is None:
            return range(0)
        blocks = self.blocks_of(span.start, span.end)
        for number in blocks:
            self.in_block(number).pop(span_id, None)
        return blocks

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans overlapping code points ``[start, end)``, by start (then end, id)."""
        found: dict[int, Span] = {}
        for number in self.blocks_of(start, end):
            found.update((s.id, s) for s in self.in_block(number).values() if s.overlaps(start, end))
        return sorted(found.values(), key=lambda s: (s.start, s.end, s.id or 0))

    def at(self, offset: int) -> list[Span]:
        """Spans covering code-point ``offset``, shortest first."""
        number = bisect_right(self.block_starts, offset) - 1
        hits = [s for s in self.in_block(number).values() if s.start <= offset < s.end]
        return sorted(hits, key=lambda s: (s.end - s.start, s.start, s.label))


class SpanHighlighter(QObject):
    """Accepted spans are filled with their label's colour; suggestions are hatched with
    a dashed underline; where spans overlap, the shortest is filled and the others show
    as an underline in their colour. Rejected spans are not drawn.

    It works as a ``QSyntaxHighlighter`` does (``highlightBlock`` calls ``setFormat``;
    the formats go to the block's layout) but only for the blocks it is asked to format:
    a ``QSyntaxHighlighter`` is called back for every block of a new text, twice (63,000
    calls into Python for a 5 MB article, about 0.4 s), even for blocks far off screen.
    The text is read-only, so nothing else ever needs formatting again."""

    def __init__(self, labels: LabelSet, document: QTextDocument | None = None) -> None:
        super().__init__(document)
        self._document = document
        self.labels = labels
        self.index: SpanIndex | None = None
        self._formats: dict[tuple[str, str, bool], QTextCharFormat] = {}
        # Blocks are formatted when they come near the screen (TextView.format_visible),
        # not all at once: formatting the 12,000 blocks of a 5 MB article took seconds.
        self.due: range = range(0)  # block numbers to format now
        self.formatted: set[int] = set()  # block numbers formatted since reset
        self._block = QTextBlock()  # the block being formatted
        self._ranges: list[QTextLayout.FormatRange] = []  # its formats so far

    def document(self) -> QTextDocument | None:
        return self._document

    def currentBlock(self) -> QTextBlock:  # noqa: N802 (as QSyntaxHighlighter names it)
        """The block ``highlightBlock`` is formatting."""
        return self._block

    def reset(self, index: SpanIndex, due: range) -> None:
        """A new document's spans; the blocks of ``due`` are the first to format."""
        self.index = index
        self.due = due
        self.formatted = set()

    def block_due(self) -> bool:
        """Whether the block being highlighted is formatted now: it is near the screen, or
        was formatted before and must stay right. Subclasses that add formats ask too."""
        number = self._block.blockNumber()
        return number in self.formatted or number in self.due

    def format_blocks(self, due: range) -> None:
        """Format the blocks of ``due`` that are not formatted yet."""
        self.due = due
        self.refresh_blocks([number for number in due if number not in self.formatted])

    def refresh_blocks(self, blocks: Iterable[int]) -> None:
        """Format these blocks again if they are formatted or due (the others are
        formatted from the index when they come near the screen)."""
        document = self._document
        if document is None:
            return
        for number in blocks:
            if number not in self.formatted and number not in self.due:
                continue
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.formatted.add(number)
                self.rehighlightBlock(block)

    def rehighlight(self) -> None:
        """Format every formatted block again (new colours, tags shown or hidden)."""
        self.refresh_blocks(sorted(self.formatted))

    def rehighlightBlock(self, block: QTextBlock) -> None:  # noqa: N802 (as QSyntaxHighlighter)
        """Give ``block``'s layout the formats ``highlightBlock`` sets, and have the
        document lay it out again."""
        self._block, self._ranges = block, []
        try:
            self.highlightBlock(block.text())
            ranges = self._ranges
        finally:
            self._block, self._ranges = QTextBlock(), []
        layout = block.layout()
        if not ranges and not layout.formats():
            return  # nothing to draw before or after: no layout pass
        # Lay the block out again here. ``markContentsDirty``, as a QSyntaxHighlighter
        # uses it, makes the plain-text layout repaint the whole view (and lay out the
        # next block too); when the block keeps its height, Qt's own signal for one
        # changed block repaints only the block.
        document_layout = self._document.documentLayout()
        laid_out = layout.lineCount() > 0
        height = document_layout.blockBoundingRect(block).height() if laid_out else 0.0
        layout.setFormats(ranges)
        if not laid_out:
            return  # Qt lays it out with these formats when it shows it
        layout.clearLayout()
        if document_layout.blockBoundingRect(block).height() == height:  # laid out again
            document_layout.updateBlock.emit(block)
        else:  # the blocks below move (the line count and scroll bar are updated)
            document_layout.requestUpdate()

    def setFormat(self, start: int, count: int, fmt: QTextCharFormat) -> None:  # noqa: N802
        """Format ``count`` positions of the current block from ``start`` (block
        positions; the ranges a pass sets never overlap)."""
        if count > 0:
            format_range = QTextLayout.FormatRange()
            format_range.start, format_range.length, format_range.format = start, count, fmt
            self._ranges.append(format_range)

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

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (as QSyntaxHighlighter names it)
        index = self.index
        if index is None or not text or not self.block_due():
            return
        block = self.currentBlock()
        in_block = index.in_block(block.blockNumber())
        if not in_block:
            return
        base = block.position()
        block_end = base + block.length() - 1
        to_qt = index.offsets.to_qt
        ranges = [
            (max(to_qt(s.start), base), min(to_qt(s.end), block_end), s)
            for s in in_block.values()
            if s.status != Status.REJECTED
        ]
        ranges.sort(key=_range_start)
        # spans that overlap none are formatted as they are; each run of overlapping
        # spans is cut where any of them starts or ends (a sweep over that run only)
        run: list[tuple[int, int, Span]] = []
        run_end = -1
        for item in ranges:
            if item[0] >= run_end and run:
                self._format_run(run, base)
                run = []
            run.append(item)
            run_end = max(run_end, item[1]) if len(run) > 1 else item[1]
        if run:
            self._format_run(run, base)

    def _format_run(self, run: list[tuple[int, int, Span]], base: int) -> None:
        """Format a run of ranges (Qt positions) each overlapping the next."""
        if len(run) == 1:
            start, end, span = run[0]
            self.setFormat(start - base, end - start, self._format(span.label, span.status, None))
            return
        starting: dict[int, list[int]] = defaultdict(list)
        ending: dict[int, list[int]] = defaultdict(list)
        for number, (a, b, _) in enumerate(run):
            starting[a].append(number)
            ending[b].append(number)
        cuts = sorted(starting.keys() | ending.keys())
        active: set[int] = set()
        for left, right in zip(cuts, cuts[1:], strict=False):
            active.update(starting.get(left, ()))
            active.difference_update(ending.get(left, ()))
            if not active:
                continue
            covering = [run[number][2] for number in sorted(active)]
            # accepted work is never hidden under a suggestion: it is filled first
            covering.sort(key=lambda s: (s.status != Status.ACCEPTED, s.end - s.start))
            inner = covering[0]
            outer = covering[-1].label if len(covering) > 1 else None
            self.setFormat(left - base, right - left, self._format(inner.label, inner.status, outer))


def _range_start(item: tuple[int, int, Span]) -> int:
    return item[0]
