"""Quotation marks: pairing them in the text, quotations that make up a claim's
content, and quotations that continue a quoted claim in the next sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from models.nlp.claims.drafts import Draft, Range, covers

if TYPE_CHECKING:
    from spacy.tokens import Token

    from models.nlp.claims.context import Context


_QUOTE_MARKS = re.compile('["“”‘’«»\n]')


_CLOSERS = {"”": "“", "»": "«", "’": "‘"}


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Quotations as ``(open, close)`` positions of their marks, in text order.

    Straight double quotes open at the start of a word and close otherwise; curly and
    angle quotes pair with their partner; a right single quote closes only an open left
    single quote and never where it is an apostrophe ("Iran’s"). Quotations do not span
    paragraphs; unmatched marks are ignored.
    """
    pairs: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    for match in _QUOTE_MARKS.finditer(text):
        mark, at = match.group(), match.start()
        if mark == "\n":
            open_at.clear()
        elif mark == '"' and '"' in open_at:
            pairs.append((open_at.pop('"'), at))
        elif mark in '"“«‘':
            if mark in "“«" or _starts_word(text, at):
                open_at[mark] = at
        elif _CLOSERS[mark] in open_at and not (mark == "’" and _letter_at(text, at + 1)):
            pairs.append((open_at.pop(_CLOSERS[mark]), at))
    return sorted(pairs)


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or text[at - 1].isspace() or text[at - 1] in "([{—–-:"


def _letter_at(text: str, at: int) -> bool:
    return at < len(text) and text[at].isalpha()


def quote_ranges(doc: Doc, text: str) -> list[Range]:
    ranges = []
    for opening, closing in find_quotations(text):
        span = doc.char_span(opening + 1, closing, alignment_mode="expand")
        if span is not None and len(span):
            ranges.append((span.start, span.end))
    return ranges


def continued_quotes(ctx: Context, drafts: list[Draft]) -> Iterator[Draft]:
    """A quotation that makes up a whole sentence right after a quoted claim continues
    it: same source, no cue of its own."""
    quoted = {ctx.sent_of[d.content[0]]: d for d in drafts if _is_quoted(ctx, d)}
    for start, end in ctx.quotes:
        sent = ctx.sent_of[start]
        previous = quoted.get(sent - 1)
        if previous is None or ctx.para_of[start] != ctx.para_of[previous.anchor]:
            continue
        if _whole_sentence(ctx, start, end) and not any(covers(d, start) for d in drafts):
            yield Draft((start, end), None, previous.source, start)


def _is_quoted(ctx: Context, draft: Draft) -> bool:
    return draft.content in ctx.quotes


def _whole_sentence(ctx: Context, start: int, end: int) -> bool:
    sent = ctx.sents[ctx.sent_of[start]]
    before = ctx.doc[sent.start : start]
    after = ctx.doc[end : sent.end]
    return all(t.is_punct or t.is_space for t in [*before, *after])


def whole_quotation(ctx: Context, content: Range, cue: Range | None) -> Range:
    """Content that begins or ends a quotation is widened to the whole quotation: a
    quoted statement split into sentences is one claim."""
    start, end = content
    doc = ctx.doc
    for q_start, q_end in ctx.quotes:
        if not (q_start <= start and end <= q_end) or (start, end) == (q_start, q_end):
            continue
        if cue is not None and q_start <= cue[0] < q_end:
            continue
        opens = all(t.is_punct or t.is_space for t in doc[q_start:start])
        closes = all(t.is_punct or t.is_space for t in doc[end:q_end])
        if opens or closes:
            return (q_start, q_end)
    return content


def is_frame_punct(token: Token) -> bool:
    return token.is_punct or (token.is_space and "\n" not in token.text)
