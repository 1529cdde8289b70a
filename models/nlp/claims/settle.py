"""Settling drafts: content boundaries (no complementiser, no trailing conjunction or
punctuation, within the cue's paragraph, a split quotation made whole), one draft per cue
and content, nested and unconfirmed-aside claims dropped, token ranges to characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.quotations import announces, whole_quotation

if TYPE_CHECKING:
    from spacy.tokens import Token


_EDGE_CHARS = ' \t\n.,;:"“”‘’«»'


# How far into a content its predicate may start ("it was not able to ..." : 2 tokens).
_PREDICATE_REACH = 4


def settle_draft(ctx: Context, draft: Draft) -> Draft | None:
    """Final content range: no leading "that", within the cue's paragraph (or the
    quotation it announces on the next line), not across
    the cue, no trailing conjunction, a split quotation made whole."""
    start, end = _strip_mark(ctx.doc, draft.content)
    para = ctx.para_of[draft.anchor]
    if draft.cue is not None and ctx.para_of[start] == para + 1 and announces(ctx, draft.cue[1] - 1):
        para += 1  # 'said,\n"..."': the quotation on the next line
    while start < end and ctx.para_of[start] != para:
        start += 1
    while end > start and ctx.para_of[end - 1] != para:
        end -= 1
    if draft.cue is not None and not draft.keeps_cue and start <= draft.cue[0] < end:
        start, end = (
            (start, draft.cue[0]) if draft.cue[0] - start >= end - draft.cue[1] else (draft.cue[1], end)
        )
    end = _without_trailing_conjunction(ctx.doc, start, end)
    if start >= end:
        return None
    content = whole_quotation(ctx, (start, end), draft.cue)
    return replace(draft, content=content)


_OPENING_BRACKETS = frozenset({"[", "("})  # "[Warhol] liked", an editor's insertion


def _strip_mark(doc: Doc, content: Range) -> Range:
    start, end = content
    while start < end - 1 and (
        _is_complementiser(doc[start])
        or (doc[start].is_punct and doc[start].text not in _OPENING_BRACKETS)
        or doc[start].is_space
    ):
        start += 1
    return (start, end)


def _is_complementiser(token: Token) -> bool:
    return token.lower_ == "that" and (token.dep_ == "mark" or token.tag_ == "IN")


def _without_trailing_conjunction(doc: Doc, start: int, end: int) -> int:
    while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct or doc[end - 1].is_space):
        if doc[end - 1].text in (")", "]", "?", "!"):
            break
        end -= 1
    return end


def unique(drafts: Iterable[Draft]) -> list[Draft]:
    """One draft per cue and content (the more specific rule wins)."""
    best: dict[tuple[Range | None, Range], Draft] = {}
    by_cue: dict[Range, int] = {}
    for draft in sorted(drafts, key=lambda d: -d.priority):
        if draft.cue is not None and by_cue.get(draft.cue, draft.priority) > draft.priority:
            continue
        if draft.cue is not None:
            by_cue[draft.cue] = draft.priority
        best.setdefault((draft.cue, draft.content), draft)
    return list(best.values())


def without_nested(ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """Drop a claim reported inside another claim of the same sentence ("police said an
    analysis indicated ..."), and claims that only say something could not be checked."""
    kept = []
    for draft in drafts:
        if draft.cue is not None and any(
            other is not draft
            and other.content[0] <= draft.cue[0] < other.content[1]
            and ctx.sent_of[other.anchor] == ctx.sent_of[draft.anchor]
            and not (other.cue is not None and draft.content[0] <= other.cue[0] < draft.content[1])
            for other in drafts
        ):
            continue
        if _is_unconfirmed_aside(ctx, draft):
            continue
        kept.append(draft)
    return kept


def _is_unconfirmed_aside(ctx: Context, draft: Draft) -> bool:
    start, end = draft.content
    for phrase in ctx.unconfirmed:
        if draft.cue is not None and phrase.start <= draft.cue[0] < phrase.end:
            return True
        # the phrase is the content's predicate: "said it was not able to confirm X"
        if start <= phrase.start and phrase.end <= end and phrase.start - start <= _PREDICATE_REACH:
            return True
    return False


def trimmed_chars(ctx: Context, tokens: Range, balanced: bool = False) -> tuple[int, int]:
    """Character range of a token range without edge punctuation, quotation marks and
    white space (the guide's boundaries). ``balanced``: keep a closing quotation mark or
    bracket whose opening one is inside (a name: 'the “Islamic Resistance”')."""
    start, end = tokens
    doc, text = ctx.doc, ctx.text
    first = doc[start].idx
    last = doc[end - 1].idx + len(doc[end - 1])
    while first < last and text[first] in _EDGE_CHARS:
        first += 1
    while last > first and text[last - 1] in _EDGE_CHARS:
        last -= 1
    inside = text[first:last]
    for opening, closing in (("(", ")"), ("“", "”"), ("«", "»")):
        if (opening == "(" or balanced) and inside.count(opening) > inside.count(closing):
            if text[last:].startswith(closing):
                last += 1
    return (first, last)
