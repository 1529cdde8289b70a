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


_QUOTE_MARKS = re.compile("[\"“”‘’«»'\n]")


_CLOSERS = {"”": "“", "»": "«", "’": "‘"}


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Quotations as ``(open, close)`` positions of their marks, in text order.

    Straight double quotes open at the start of a word and close otherwise; curly and
    angle quotes pair with their partner; a right single quote closes only an open left
    single quote and never where it is an apostrophe ("Iran’s"); a straight single quote
    opens at the start of a word and closes an open one at the end of a word, so that
    apostrophes within a word ("we'll") and plural possessives outside a quotation ("the
    boys' coach") are not marks. A quotation left open at
    the end of a paragraph runs on into the next one when the next mark there closes it
    (a quotation of two paragraphs whose second lost its opening mark); otherwise
    quotations do not span paragraphs. Unmatched marks are ignored.
    """
    pairs: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    carried: dict[str, int] = {}  # double quotes left open by the paragraph before
    for match in _QUOTE_MARKS.finditer(text):
        mark, at = match.group(), match.start()
        if mark == "\n":
            if at == 0 or text[at - 1] != "\n":  # a new paragraph break
                carried = {m: i for m, i in open_at.items() if m in '"“'}
            open_at.clear()
            continue
        if carried and not open_at and mark != "'":  # an apostrophe keeps the carry
            partner = '"' if mark == '"' else _CLOSERS.get(mark)
            if partner in carried and not (mark == '"' and _starts_word(text, at)):
                pairs.append((carried[partner], at))
                carried = {}
                continue
            carried = {}
        if mark == "'":
            if "'" in open_at and not _letter_at(text, at + 1) and not text[at - 1].isspace():
                pairs.append((open_at.pop("'"), at))
            elif "'" not in open_at and _starts_word(text, at) and _letter_at(text, at + 1):
                open_at["'"] = at
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


def quote_ranges(doc: Doc, pairs: list[tuple[int, int]]) -> list[Range]:
    """Token ranges inside the quotation marks of ``pairs`` (``find_quotations``)."""
    ranges = []
    for opening, closing in pairs:
        span = doc.char_span(opening + 1, closing, alignment_mode="expand")
        if span is not None and len(span):
            ranges.append((span.start, span.end))
    return ranges


def continued_quotes(ctx: Context, drafts: list[Draft]) -> Iterator[Draft]:
    """A quotation that makes up a whole sentence continues the claim of the sentence
    before it in the same paragraph (same source, no cue of its own: 'Heald noted X.
    "Y."'), and a quotation that makes up a whole paragraph continues a quoted claim at
    the end of the paragraph before it."""
    last_in: dict[int, Draft] = {}  # sentence -> the last draft with a source in it
    for draft in sorted(drafts, key=lambda d: d.anchor):
        if draft.source is not None:
            last_in[ctx.sent_of[draft.anchor]] = draft
    for start, end in ctx.quotes:
        sent = ctx.sent_of[start]
        previous = last_in.get(sent - 1)
        if previous is None or not whole_sentence(ctx, start, end) or any(covers(d, start) for d in drafts):
            continue
        same_paragraph = ctx.para_of[start] == ctx.para_of[previous.anchor]
        if same_paragraph or (_whole_paragraph(ctx, start, end) and _is_quoted(ctx, previous)):
            draft = Draft((start, end), None, previous.source, start)
            last_in[ctx.sent_of[end - 1]] = draft
            yield draft


def _whole_paragraph(ctx: Context, start: int, end: int) -> bool:
    """The quotation opens its paragraph and the paragraph ends with it."""
    doc = ctx.doc
    before = start - 2 < 0 or (doc[start - 2].is_space and "\n" in doc[start - 2].text)
    after = end + 1 >= len(doc) or ctx.para_of[end + 1] != ctx.para_of[end - 1] or doc[end + 1].is_punct
    return before and after


def _is_quoted(ctx: Context, draft: Draft) -> bool:
    """The draft's content is a quotation, or ends one."""
    return any(
        start <= draft.content[0] < end or start < draft.content[1] <= end for start, end in ctx.quotes
    )


def whole_sentence(ctx: Context, start: int, end: int) -> bool:
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


_QUOTE_CHARS = frozenset('"“”‘’«»')
_EDGE_PUNCT = " \t\n.,;:-—–"  # dashes: a turn broken off ("-- but I have a chart --")


def content_chars(ctx: Context, tokens: Range, split: bool = False) -> tuple[int, int]:
    """Character range of a content: no edge white space or punctuation, no quotation
    marks that enclose the whole content or have no partner inside it, and balanced
    marks: a mark whose partner lies just outside (past punctuation) takes it in
    ('insisted the count had been "transparent at every stage"'). ``split``: a quotation
    split by its cue, whose inner marks stay as they are ('A," he said, "B')."""
    doc, text, partner = ctx.doc, ctx.text, ctx.quote_partner
    first, last = doc[tokens[0]].idx, doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])
    changed = True
    while changed and first < last:
        changed = False
        while first < last and text[first] in _EDGE_PUNCT:
            first += 1
        while last > first and text[last - 1] in _EDGE_PUNCT:
            last -= 1
        if first >= last:
            break
        if partner.get(first) == last - 1:
            first, last, changed = first + 1, last - 1, True
        elif _is_mark(text, first, partner) and not first < partner.get(first, -1) < last:
            first, changed = first + 1, True
        elif _is_mark(text, last - 1, partner) and not first <= partner.get(last - 1, last) < last - 1:
            last, changed = last - 1, True
    if split:
        return (first, last)
    for at in [i for i in range(first, last) if _is_mark(text, i, partner)]:
        other = partner.get(at)
        if other is not None and other >= last and not text[last:other].strip(_EDGE_PUNCT):
            last = other + 1
        elif other is not None and other < first and not text[other + 1 : first].strip(_EDGE_PUNCT):
            first = other
    return (first, last)


def _is_mark(text: str, at: int, partner: dict[int, int]) -> bool:
    """A quotation mark; a straight single quote only when paired (else an apostrophe:
    "the workers' union")."""
    return text[at] in _QUOTE_CHARS or (text[at] == "'" and at in partner)


def empty_quotation_after(ctx: Context, token: Token) -> bool:
    """Right after ``token`` (past a comma or colon) comes a quotation with no word in
    it ('said ""'): nothing is reported."""
    text, at = ctx.text, token.idx + len(token)
    while at < len(text) and (text[at].isspace() or text[at] in ",:"):
        at += 1
    closing = ctx.quote_partner.get(at)
    return closing is not None and closing > at and not any(c.isalnum() for c in text[at + 1 : closing])


def introduced(ctx: Context, start: int) -> bool:
    """The quotation whose words begin at token ``start`` follows a reporting verb and a
    comma or colon ('said, "..."'): it is that verb's content."""
    doc, cues = ctx.doc, {cue.i for cue in ctx.cues}
    i = start - 1
    joined = False
    while i >= 0 and (doc[i].is_punct or doc[i].is_space):
        joined = joined or doc[i].text in (",", ":")
        i -= 1
    return joined and i >= 0 and i in cues


def announces(ctx: Context, cue: int) -> bool:
    """The cue at token ``cue`` ends its paragraph with a comma or colon and the next
    paragraph opens with a quotation ('The chief said,\\n"We will win."'): the quotation
    is the cue's content."""
    doc = ctx.doc
    i = cue + 1
    while i < len(doc) and doc[i].is_punct and not doc[i].is_quote:
        i += 1
    if i == cue + 1 or doc[i - 1].text not in (",", ":"):
        return False
    if i >= len(doc) or not (doc[i].is_space and "\n" in doc[i].text):
        return False
    return any(start == i + 2 and doc[i + 1].is_quote for start, _ in ctx.quotes)
