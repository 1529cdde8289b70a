"""How certain the article makes a claim: unconfirmed (the text says it could not be
checked), denied (the cue rejects it), hedged (a hedge on the source, cue or predicate),
else asserted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from models.annotation import Certainty, CueKind
from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.sources import source_range
from models.nlp.claims.syntax import child_with

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def certainty_of(ctx: Context, draft: Draft, unconfirmed_sents: set[int]) -> Certainty:
    if ctx.sent_of[draft.anchor] in unconfirmed_sents:
        return Certainty.UNCONFIRMED
    if draft.hedged:
        return Certainty.HEDGED
    if draft.denied:
        return Certainty.DENIED
    # an interview answer is the interviewee's own word: a "may" in one of its sentences
    # qualifies that sentence, not the answer
    if draft.kind != CueKind.INTERVIEW and _hedged(ctx, draft):
        return Certainty.HEDGED
    return Certainty.ASSERTED


def _hedged(ctx: Context, draft: Draft) -> bool:
    """A hedge in the source ("preliminary figures"), on the cue ("reportedly said"),
    or on the content's own predicate or subject ("may have", "appeared to",
    "a preliminary analysis showed") - not deeper in the content ("rejected preliminary
    results")."""
    scope: set[int] = set()
    if draft.source is not None:
        scope.update(range(*source_range(draft.source, ctx.lex)))
    if draft.cue is not None:
        scope.update(range(*draft.cue))
        scope.update(c.i for c in ctx.doc[draft.cue[0]].children if c.dep_ in ("advmod", "aux"))
    for head in _predicates(ctx.doc, draft.content):
        scope.add(head.i)
        for child in head.children:
            if child.dep_ in _HEDGE_DEPS:
                scope.add(child.i)
            elif child.dep_ in ("nsubj", "nsubjpass"):
                scope.update(range(child.left_edge.i, child.right_edge.i + 1))
    return bool(scope & ctx.hedges)


_HEDGE_DEPS = frozenset({"aux", "auxpass", "advmod", "acomp", "xcomp", "attr", "neg", "amod"})


def _predicates(doc: Doc, content: Range) -> list[Token]:
    """The heads of the content (tokens whose head lies outside it) and their
    coordinated verbs."""
    start, end = content
    heads = [t for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i]
    conjuncts = [c for h in heads for c in h.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    return heads + conjuncts


def unconfirmed_sents(ctx: Context, drafts: list[Draft]) -> set[int]:
    """Sentences whose claims could not be checked: those that say so, and the one or
    two before a sentence that says so of them ("The figures could not be verified.")."""
    with_claims = {ctx.sent_of[d.anchor] for d in drafts}
    found = set()
    for phrase in ctx.unconfirmed:
        sent = ctx.sent_of[phrase.start]
        found.add(sent)
        if sent not in with_claims and sent > 0 and _refers_back(phrase):
            paragraph = ctx.para_of[ctx.sents[sent - 1].start]
            found.update(
                back
                for back in (sent - 1, sent - 2)
                if back >= 0 and ctx.para_of[ctx.sents[back].start] == paragraph
            )
    return found


def _refers_back(phrase: Span) -> bool:
    """The phrase is the main clause and its subject points back ("The claims",
    "Its figures", "They"), unlike "A video appeared ..., but its authenticity could
    not be verified"."""
    head = phrase.root
    while head.dep_ in ("acomp", "xcomp", "aux", "auxpass", "neg", "advmod") and head.head.i != head.i:
        head = head.head
    if head.dep_ != "ROOT":
        return False
    subject = child_with(head, "nsubj", "nsubjpass")
    if subject is None:
        return False
    return subject.pos_ == "PRON" or any(
        c.dep_ == "poss" or c.lower_ in ("the", "this", "these", "those") for c in subject.children
    )
