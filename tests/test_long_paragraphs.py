"""A text without paragraph breaks is shown in blocks of bounded size, with every offset,
highlight, click and copy exact (issue 12, item 2)."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.highlighter import DISPLAY_BLOCK, DISPLAY_BREAK, LONG_BLOCK, SpanIndex, display_layout, display_text
from gui.offsets import OffsetMap
from models.annotation import Span
from tests.gui_helpers import click_offset, drag_select, highlighted_ranges

SENTENCE = "Officials in Kyiv said rockets hit the base. "


def test_display_text_breaks_long_paragraphs_at_spaces_only():
    ordinary = (SENTENCE * 40)[: LONG_BLOCK - 1]  # a paragraph of ordinary length
    text = SENTENCE * 200 + "\n" + "x" * (3 * LONG_BLOCK) + "\n" + ordinary + "\nshort"
    shown, starts = display_layout(text)
    assert shown == display_text(text) and len(shown) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, shown, strict=True)) if a != b]
    assert changed and all(text[i] == " " and shown[i] == DISPLAY_BREAK for i in changed)
    assert all(text[i - 1] == "." for i in changed), "after a full stop where there is one"
    assert all(i < len(SENTENCE) * 200 for i in changed), "only the long paragraph is split"
    blocks = shown.replace("\n", DISPLAY_BREAK).split(DISPLAY_BREAK)
    assert max(len(b) for b in blocks if "x" not in b and b != ordinary) <= DISPLAY_BLOCK
    assert "x" * (3 * LONG_BLOCK) in blocks, "no space to break at: the paragraph stays whole"
    assert ordinary in blocks
    # where each block starts, as the index needs it
    assert starts == [0] + [i + 1 for i, c in enumerate(shown) if c in ("\n", DISPLAY_BREAK)]
    assert display_text("Short text. " * 10) == "Short text. " * 10


def test_spans_in_a_paragraph_split_for_display_are_exact(qtbot, repo, make_document, main_window):
    text = SENTENCE * 400  # 18,000 code points, no line break
    doc_id = make_document(text)
    start = text.index("Kyiv", 9_000)
    kyiv = repo.add_span(Span(doc_id=doc_id, start=start, end=start + 4, label="GPE", text="Kyiv"))
    window = main_window(repo, doc_id)
    view = window.article.text
    assert view.document().blockCount() >= len(text) // DISPLAY_BLOCK
    view.ensure_visible(start)  # scrolled to, its block is formatted
    assert highlighted_ranges(view) == [("Kyiv", window.labels.get("GPE").colour)]

    click_offset(qtbot, view, start + 1)
    assert window.session.selected_span_id == kyiv.id
    assert [s.id for s in view.visible_spans()] == [kyiv.id]

    # a selection across a display break copies the stored text, spaces included
    cut = next(i for i, c in enumerate(display_text(text)) if c == DISPLAY_BREAK)
    drag_select(qtbot, view, cut - 10, cut + 10)
    view.copy()
    assert QApplication.clipboard().text() == text[cut - 10 : cut + 10]

    # a span added after the break lands where it was selected
    later = text.index("rockets", cut)
    drag_select(qtbot, view, later, later + len("rockets"))
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert [(s.start, s.text) for s in repo.spans(doc_id) if s.label == "ORG"] == [(later, "rockets")]


def test_blocks_are_formatted_as_they_come_on_screen(qtbot, repo, make_document, main_window):
    lines = [f"Line {n}: officials in Kyiv said rockets hit the base." for n in range(3000)]
    text = "\n".join(lines)
    doc_id = make_document(text)
    last = text.index("Kyiv", len(text) - 60)
    kyiv = repo.add_span(Span(doc_id=doc_id, start=last, end=last + 4, label="GPE", text="Kyiv"))
    window = main_window(repo, doc_id)
    view = window.article.text
    qtbot.waitUntil(lambda: window.session.fully_loaded)  # a long text is shown a part at a time
    bottom = view.document().lastBlock()
    assert not bottom.layout().formats(), "a block far off screen is not formatted yet"
    window.session.select_span(kyiv.id)  # scrolls to it
    assert [s.id for s in view.visible_spans()] == [kyiv.id]
    fills = [f for f in bottom.layout().formats() if f.format.background().style() != Qt.BrushStyle.NoBrush]
    covered = sorted(p for f in fills for p in range(f.start, f.start + f.length))
    assert covered == list(range(last - bottom.position(), last - bottom.position() + 4))


def test_the_span_index_finds_every_span_of_a_block_as_a_scan_would():
    """Spans are placed in blocks when a block is first asked for; long spans, spans
    across blocks, and spans added or removed before or after a block is asked for are
    all where a scan of every span puts them."""
    text = (SENTENCE * 30 + "\n") * 20 + SENTENCE * 300  # short and long paragraphs
    shown, starts = display_layout(text)
    rng = random.Random(4)
    spans = []
    for number in range(1, 600):
        start = rng.randrange(len(text) - 10)
        length = rng.choice((1, 4, 9, 40, 700, 3000)) if number % 50 == 0 else rng.randrange(1, 12)
        spans.append(
            Span(doc_id=1, start=start, end=min(start + length, len(text)), label="GPE", text="", id=number)
        )
    index = SpanIndex(starts, OffsetMap(text), spans)
    ends = [*starts[1:], len(text) + 1]

    def scanned(number: int, among: list[Span]) -> set[int]:
        first, after = starts[number], ends[number]
        return {s.id for s in among if s.start < after and max(s.start, s.end - 1) >= first}

    assert {n: set(index.in_block(n)) for n in range(0, len(starts), 3)} == {
        n: scanned(n, spans) for n in range(0, len(starts), 3)
    }
    removed = spans[::7]
    for span in removed:
        index.remove(span.id)
    added = [
        Span(doc_id=1, start=s, end=s + 5, label="ORG", text="", id=10_000 + s)
        for s in range(0, len(text) - 5, 997)
    ]
    for span in added:
        index.add(span)
    kept = [s for s in spans if s not in removed] + added
    assert {n: set(index.in_block(n)) for n in range(len(starts))} == {
        n: scanned(n, kept) for n in range(len(starts))
    }
    middle = len(text) // 2
    assert [s.id for s in index.overlapping(middle, middle + 50)] == [
        s.id for s in sorted(kept, key=lambda s: (s.start, s.end, s.id)) if s.overlaps(middle, middle + 50)
    ]
