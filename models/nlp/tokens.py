"""Tokenisation for snapping manual selections and for exports.

Snapping and export use the same tokenizer: spaCy's rule-based tokenizer for the
document's language (``spacy.blank(lang)``), which needs no trained model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from models.annotation import trim_whitespace
from models.document import primary_language

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


# spaCy's max_length (1,000,000) guards the memory of the parser and the entity
# recogniser; the rule-based tokenizer alone needs a few hundred bytes per token, so the
# blank pipelines take any text the importer accepts (20 MiB).
TOKENIZER_MAX_LENGTH = 25_000_000


@lru_cache(maxsize=8)
def blank_pipeline(language: str) -> Language:
    """A blank (tokenizer-only) pipeline for ``language`` (multi-language ``xx`` when
    spaCy lacks it) that takes texts of up to ``TOKENIZER_MAX_LENGTH`` code points."""
    import spacy

    try:
        nlp = spacy.blank(primary_language(language) or "en")
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.max_length = TOKENIZER_MAX_LENGTH
    return nlp


def tokenize(text: str, language: str = "en") -> Doc:
    return blank_pipeline(language).make_doc(text)


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whitespace on both sides. spaCy splits on whitespace
    before applying prefix/suffix/infix rules, so token boundaries inside the window are
    the same as in the whole text."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def snap_to_tokens(text: str, start: int, end: int, language: str = "en") -> tuple[int, int] | None:
    """The smallest token-aligned range covering the non-blank part of a selection,
    or ``None`` when the selection holds no token."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    start, end = trim_whitespace(text, start, end)
    if start >= end:
        return None
    left, right = _window(text, start, end)
    doc = tokenize(text[left:right], language)
    covering = [
        (left + t.idx, left + t.idx + len(t.text))
        for t in doc
        if not t.is_space and left + t.idx < end and left + t.idx + len(t.text) > start
    ]
    if not covering:
        return None
    return covering[0][0], covering[-1][1]


def token_step(
    text: str, start: int, end: int, edge: str, grow: bool, language: str = "en"
) -> tuple[int, int] | None:
    """Move one edge of a token-aligned span by one token: ``edge`` is ``"start"`` or
    ``"end"``; ``grow`` widens, otherwise narrows. ``None`` when the move is impossible."""
    left, right = _window(text, start, end)
    # take in the next word on each side, however much white space lies between
    before = left
    while before > 0 and text[before - 1].isspace():
        before -= 1
    after = right
    while after < len(text) and text[after].isspace():
        after += 1
    # ... but never across a paragraph break: an entity does not span paragraphs
    if "\n\n" not in text[before:left]:
        left, _ = _window(text, max(0, before - 1), before)
    if "\n\n" not in text[right:after]:
        _, right = _window(text, after, min(len(text), after + 1))
    bounds = [
        (left + t.idx, left + t.idx + len(t.text))
        for t in tokenize(text[left:right], language)
        if not t.is_space
    ]
    inside = [b for b in bounds if b[0] >= start and b[1] <= end]
    if edge == "start":
        if grow:
            before = [b for b in bounds if b[1] <= start]
            return (before[-1][0], end) if before else None
        return (inside[1][0], end) if len(inside) > 1 else None
    if grow:
        after = [b for b in bounds if b[0] >= end]
        return (start, after[0][1]) if after else None
    return (start, inside[-2][1]) if len(inside) > 1 else None
