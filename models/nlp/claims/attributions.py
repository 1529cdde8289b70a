"""Attributions without a reporting verb of their own: "according to X", passive
responsibility claims ("the attack was claimed by X"), hearsay adverbs ("was
reportedly diverted"), attitudes stated by an adjective ("is critical of X", "is
confident that ...") or a verb and its object ("expressed concern that ..."), and a text
put out by its source whose words follow ("issued a statement: '...'").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from models.annotation import ClaimKind, CueKind
from models.nlp.claims.clauses import clause_end
from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range, covers
from models.nlp.claims.lexicon import Lexicon, claim_matchers
from models.nlp.claims.quotations import whole_sentence
from models.nlp.claims.syntax import RELATIVE, child_with, negated, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Token


_PREDICATIVE = frozenset({"acomp", "xcomp", "attr", "oprd"})
# Sources that state no attitude of their own: the speaker inside a quotation, the reader.
_NOT_SOURCES = frozenset({"i", "we", "you", "it", "that", "this", "there"})


def responsibility_drafts(ctx: Context) -> Iterator[Draft]:
    """Passive responsibility claims ("The attacks were claimed by X", "attacks claimed
    by X"): the content is the claimed event, the source the agent. The dependency
    matcher runs only on sentences with a candidate verb: over a whole document it cost
    more than all the other rules together."""
    doc, matcher = ctx.doc, claim_matchers(ctx.doc.vocab).responsibility
    candidates = {ctx.sent_of[c.i] for c in ctx.cues if c.lemma_.lower() in ctx.lex.responsibility}
    for sent in sorted(candidates):
        offset = ctx.sents[sent].start
        for _, (cue_i, _agent, source_i) in matcher(ctx.sents[sent]):
            cue = doc[offset + cue_i]
            content = None if negated(cue) else _claimed_event(cue)
            if content is not None:
                yield Draft(
                    content, (cue.i, cue.i + 1), doc[offset + source_i], cue.i, priority=2,
                    kind=CueKind.RESPONSIBILITY, claim_kind=ClaimKind.RESPONSIBILITY,
                )  # fmt: skip


def _claimed_event(cue: Token) -> Range | None:
    event = child_with(cue, "nsubjpass")
    if event is not None and not (event.lower_ in RELATIVE and cue.dep_ == "relcl"):
        between = [c.i for c in cue.children if event.i < c.i < cue.i and c.dep_ != "punct"]
        return (event.left_edge.i, min([event.right_edge.i + 1, cue.i, *between]))
    if cue.dep_ in ("relcl", "acl") and cue.head.i < cue.i:
        return (cue.head.left_edge.i, cue.left_edge.i)
    return None


def attribution_drafts(ctx: Context) -> Iterator[Draft]:
    """Attribution phrases ("according to X"): the source is X, the content the rest of
    the clause."""
    phrases = [(p, CueKind.ACCORDING_TO) for p in ctx.attributions]
    phrases += [(p, CueKind.NO_VERB) for p in ctx.no_verb_attributions]
    for phrase, kind in phrases:
        source = child_with(phrase[-1], "pobj")
        if source is None:
            continue
        content = _clause_without(phrase.start, source.right_edge.i + 1, phrase[0], ctx.lex)
        if content is not None:
            yield Draft(content, (phrase.start, phrase.end), source, phrase.start, priority=1, kind=kind)


def _clause_without(start: int, end: int, anchor: Token, lex: Lexicon) -> Range | None:
    """The clause ``anchor`` belongs to, minus the attribution ``[start, end)`` when it
    stands at either edge of it."""
    head = anchor.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    words = [t.i for t in head.subtree if not (t.is_punct or t.is_space)]
    if not any(not start <= i < end for i in words):
        return None
    if words[0] >= start:
        return (_skip_dangling(head, end), clause_end(head, lex))
    if words[-1] < end:
        return (head.left_edge.i, start)
    return (head.left_edge.i, clause_end(head, lex))


def _skip_dangling(head: Token, start: int) -> int:
    """Skip a participle phrase set off by a comma between a fronted attribution and the
    clause ("According to figures, covering 21 districts, X won")."""
    doc = head.doc
    i = start
    while i < head.i and (doc[i].is_punct or doc[i].is_space):
        i += 1
    if i < head.i and doc[i].tag_ in ("VBG", "VBN"):
        comma = next((t.i for t in doc[i : head.i] if t.text == ","), None)
        if comma is not None:
            return comma + 1
    return start


def adverb_drafts(ctx: Context, taken: list[Draft]) -> Iterator[Draft]:
    """Adverb cues ("X was reportedly diverted"): an unattributed claim whose cue is the
    adverb, when no other cue reports the clause."""
    for adverb in ctx.adverb_cues:
        verb = adverb.head
        while (
            subject_of(verb) is None and child_with(verb, "nsubjpass") is None and verb.dep_ in _PREDICATIVE
        ):
            verb = verb.head
        if ctx.in_quote(adverb.i) or any(covers(d, verb.i) for d in taken):
            continue
        end = verb.right_edge.i + 1
        for child in verb.rights:
            if child.dep_ in ("conj", "advcl") and (subject_of(child) is not None or _has_cue(child, ctx)):
                end = min(end, child.left_edge.i)
        yield Draft(
            (_clause_start(ctx, verb), end), (adverb.i, adverb.i + 1), None, adverb.i, keeps_cue=True,
            kind=CueKind.HEARSAY,
        )  # fmt: skip


def _clause_start(ctx: Context, verb: Token) -> int:
    """Where the clause of ``verb`` starts; when the parse lost its subject to a
    neighbouring sentence, the start of the sentence within the paragraph."""
    if subject_of(verb) is not None or child_with(verb, "nsubjpass") is not None:
        return verb.left_edge.i
    start = verb.left_edge.i
    while (
        start > 0
        and ctx.sent_of[start - 1] == ctx.sent_of[verb.i]
        and ctx.para_of[start - 1] == ctx.para_of[verb.i]
    ):
        start -= 1
    return start


def _has_cue(token: Token, ctx: Context) -> bool:
    return any(cue.i in range(token.left_edge.i, token.right_edge.i + 1) for cue in ctx.cues)


def adjective_drafts(ctx: Context) -> Iterator[Draft]:
    """A source's attitude stated by a predicative adjective: "The Church is critical of
    [X]", "The minister is confident [that ...]". The speaker's own words inside a
    quotation are not reported attitudes."""
    for adjective in ctx.attitude_adjectives:
        source = subject_of(adjective.head)
        if source is None or source.lower_ in _NOT_SOURCES or ctx.in_quote(adjective.i):
            continue
        content = _adjective_content(adjective, ctx.lex)
        if content is not None:
            cue = (adjective.i, adjective.i + 1)
            yield Draft(
                content, cue, source, adjective.i, denied=negated(adjective.head), kind=CueKind.ATTITUDE
            )


def _adjective_content(adjective: Token, lex: Lexicon) -> Range | None:
    word = adjective.lower_
    for child in adjective.children:
        if child.dep_ == "ccomp" and word in lex.clause_adjectives:
            return (child.left_edge.i, clause_end(child, lex))
        if child.dep_ == "prep" and child.lower_ in lex.object_adjectives.get(word, ()):
            target = child_with(child, "pobj", "pcomp")
            if target is not None:
                return (target.left_edge.i, target.right_edge.i + 1)
    return None


def issued_drafts(ctx: Context) -> Iterator[Draft]:
    """A text put out by its source and quoted right after: 'X issued a statement: "..."'
    or 'X released a letter. "..."' (the quotation a whole sentence of the same
    paragraph). The verb and the text's noun are the cue."""
    for verb in ctx.issuing:
        text = child_with(verb, "dobj")
        source = subject_of(verb)
        if text is None or source is None or text.lower_ not in ctx.lex.issued or ctx.in_quote(verb.i):
            continue
        quote = _quote_after(ctx, text.right_edge.i + 1)
        if quote is not None:
            yield Draft(quote, (verb.i, text.i + 1), source, verb.i)


def _quote_after(ctx: Context, i: int) -> Range | None:
    """The quotation after token ``i``: after a colon in the same sentence, or making up
    the next sentence of the same paragraph."""
    doc = ctx.doc
    sent = ctx.sents[ctx.sent_of[i - 1]]
    for start, end in ctx.quotes:
        if start < i or ctx.para_of[start] != ctx.para_of[i - 1]:
            continue
        between = doc[i:start]
        if ctx.sent_of[start] == ctx.sent_of[i - 1]:
            return (start, end) if any(t.text == ":" for t in between) and start - i <= 8 else None
        next_sentence = ctx.sent_of[start] == ctx.sent_of[sent.end - 1] + 1
        return (start, end) if next_sentence and whole_sentence(ctx, start, end) else None
    return None


# Prepositions whose object is what an expressed attitude is about: "support for X".
_ATTITUDE_PREPOSITIONS = frozenset({"for", "in", "over", "about", "at", "with", "to", "on", "of"})


def expressed_drafts(ctx: Context) -> Iterator[Draft]:
    """An attitude expressed through a verb's object: "expressed concern [that ...]",
    "voiced support [for X]"; the verb and the noun are the cue."""
    for verb in ctx.expressing:
        feeling = child_with(verb, "dobj")
        source = subject_of(verb)
        if feeling is None or source is None or feeling.lower_ not in ctx.lex.expressed:
            continue
        if source.lower_ in _NOT_SOURCES or ctx.in_quote(verb.i):
            continue
        content = _expressed_content(feeling, ctx.lex)
        if content is not None:
            cue = (verb.i, feeling.i + 1)
            yield Draft(content, cue, source, verb.i, denied=negated(verb), kind=CueKind.ATTITUDE)


def _expressed_content(feeling: Token, lex: Lexicon) -> Range | None:
    for child in feeling.children:
        if child.dep_ in ("acl", "ccomp") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children
        ):
            return (child.left_edge.i, clause_end(child, lex))
        if child.dep_ == "prep" and child.lower_ in _ATTITUDE_PREPOSITIONS and child.i > feeling.i:
            target = child_with(child, "pobj", "pcomp")
            if target is not None:
                return (target.left_edge.i, target.right_edge.i + 1)
    return None
