"""Rule-based claim suggestions from spaCy's parse.

A claim is a reported statement: its content, the cue that reports it ("said", "told",
"according to", "claimed"), its source, and how certain the article is about it. The rules
read the dependency parse (reporting verbs with their subjects and complements, passive
responsibility claims), quotation marks, attribution phrases and hedges; the word lists
live in ``resources/reporting_verbs.toml``.

Boundaries follow the annotation guide (docs/claims-guide.md): content without surrounding
quotation marks and without the sentence-final period; the source as the minimal noun
phrase with its modifiers (a name in apposition stands for its title: "Harry Kalua" in "A
police spokesman, Harry Kalua, said"); the cue as the reporting verb or phrase. A pronoun
source keeps its own offsets and gets the name it refers to in ``source_text``.

The modules say what they find: ``lexicon`` (word lists and matchers), ``quotations``,
``verbs`` (reporting verbs and their contents), ``clauses`` (where a reported clause
ends), ``attributions`` (according to, responsibility, hearsay adverbs), ``sources``
(source spans, kinds, pronouns), ``certainty``, ``settle`` (boundaries and overlaps).
``suggest_claims`` is the one entry point.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from models.annotation import Claim, Status
from models.nlp.claims.attributions import (
    adjective_drafts,
    adverb_drafts,
    attribution_drafts,
    expressed_drafts,
    issued_drafts,
    responsibility_drafts,
)
from models.nlp.claims.certainty import certainty_of, unconfirmed_sents
from models.nlp.claims.context import Context, build_context
from models.nlp.claims.drafts import Draft
from models.nlp.claims.interviews import within_answers
from models.nlp.claims.lexicon import Lexicon, claim_matchers, load_lexicon
from models.nlp.claims.quotations import content_chars, continued_quotes, find_quotations
from models.nlp.claims.settle import settle_draft, trimmed_chars, unique, without_nested
from models.nlp.claims.sources import Mention, describe_source, source_head, source_range
from models.nlp.claims.verbless import verbless_drafts
from models.nlp.claims.verbs import verb_drafts

RULES_VERSION = "3"
CLAIMS_ORIGIN = f"rules:claims@{RULES_VERSION}"

__all__ = [
    "CLAIMS_ORIGIN",
    "RULES_VERSION",
    "Lexicon",
    "claim_matchers",
    "find_quotations",
    "load_lexicon",
    "suggest_claims",
]


def suggest_claims(doc: Doc, doc_id: int) -> list[Claim]:
    """Claim suggestions for a parsed document (status SUGGESTED, origin
    CLAIMS_ORIGIN), in text order. A document without a dependency parse yields none."""
    if not doc.has_annotation("DEP"):
        return []
    ctx = build_context(doc, load_lexicon())
    found = [
        *responsibility_drafts(ctx),
        *attribution_drafts(ctx),
        *verb_drafts(ctx),
        *adjective_drafts(ctx),
        *issued_drafts(ctx),
        *expressed_drafts(ctx),
        *verbless_drafts(ctx),
    ]
    drafts = [d for d in (settle_draft(ctx, d) for d in unique(found)) if d is not None]
    drafts = without_nested(ctx, drafts)
    drafts += [d for d in (settle_draft(ctx, d) for d in adverb_drafts(ctx, drafts)) if d is not None]
    drafts += list(continued_quotes(ctx, drafts))
    return _claims(ctx, within_answers(ctx, drafts), doc_id)


def _claims(ctx: Context, drafts: list[Draft], doc_id: int) -> list[Claim]:
    unconfirmed = unconfirmed_sents(ctx, drafts)
    history: list[Mention] = []
    claims: dict[tuple[int, int, int | None, int | None], Claim] = {}
    for draft in sorted(drafts, key=lambda d: d.source.i if d.source is not None else d.anchor):
        claim = _claim(ctx, draft, doc_id, history)
        if claim is not None and claim.key not in claims:
            claims[claim.key] = replace(claim, certainty=certainty_of(ctx, draft, unconfirmed))
    return sorted(claims.values(), key=lambda c: (c.content_start, c.cue_start or 0))


def _claim(ctx: Context, draft: Draft, doc_id: int, history: list[Mention]) -> Claim | None:
    content = content_chars(ctx, draft.content, split=draft.keeps_cue)
    if content[0] >= content[1]:
        return None
    cue = _cue_chars(ctx, draft.cue) if draft.cue else (None, None)
    claim = Claim(
        doc_id=doc_id,
        content_start=content[0],
        content_end=content[1],
        cue_start=cue[0],
        cue_end=cue[1],
        status=Status.SUGGESTED,
        origin=CLAIMS_ORIGIN,
        cue_kind=draft.kind,
        claim_kind=draft.claim_kind,
    )
    if draft.source is None:
        if draft.speaker is None:
            return claim
        claim = replace(claim, source_text=draft.speaker[0], source_kind=draft.speaker[1])
        if draft.source_span is None:
            return claim
        start, end = trimmed_chars(ctx, draft.source_span)
        return replace(claim, source_start=start, source_end=end)
    head = source_head(draft.source)
    title = draft.source if head.i != draft.source.i else None
    start, end = trimmed_chars(ctx, source_range(head, ctx.lex), balanced=True)
    if start >= end:
        return claim
    kind, name = describe_source(ctx, draft, head, history, title)
    return replace(claim, source_start=start, source_end=end, source_kind=kind, source_text=name)


def _cue_chars(ctx: Context, tokens: tuple[int, int]) -> tuple[int, int]:
    """The cue's characters without edge punctuation, unless the cue is a punctuation
    mark ("Name: ...")."""
    start, end = trimmed_chars(ctx, tokens)
    if start < end:
        return start, end
    first, last = ctx.doc[tokens[0]], ctx.doc[tokens[1] - 1]
    return first.idx, last.idx + len(last)
