"""Attributions without a reporting verb (cue kind "no_verb"), read from the layout of
the text rather than a verb's parse: a quotation signed with its speaker's name ('"..." —
Peres, on the peace process', a pull quote ending "Charles Bolden, NASA Administrator"),
a paragraph announced by a colon at the end of the one before ("the Church denied these
allegations:"), a headline that puts a name and a statement on either side of a colon
("Mayor Smith: 'We will rebuild'"), and a fronted "For X," giving X's view.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

from models.annotation import CueKind, SourceKind
from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.syntax import child_with, is_cue, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


_DASHES = frozenset({"—", "–", "-", "--"})
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
_CLOSING_QUOTES = frozenset({'"', "”", "’", "'", "»"})
_CAPTION_WORDS = frozenset({"image", "photo", "picture"})
# Words that may open what follows a signature's name: "— Peres, on whether ...".
_SIGNATURE_CONTEXT = frozenset({"on", "speaking", "referring", "about", "in"})
_SOURCE_ENTS = {"PERSON": SourceKind.NAMED_PERSON, "ORG": SourceKind.NAMED_ORGANISATION}


def has_verb(ctx: Context, tokens: Range) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in ctx.doc[tokens[0] : tokens[1]])


def signed_quote(ctx: Context, paragraph: Range) -> Draft | None:
    """A paragraph that ends with the name of whoever said it, after a sentence end and
    perhaps a dash, with at most a title, a caption or an "on ..." context after the name:
    the paragraph before the name is the claim, the name its source."""
    doc = ctx.doc
    start, end = paragraph
    for ent in reversed(_entities_in(ctx, (start + 1, end))):
        if ent.label_ not in _SOURCE_ENTS:
            continue
        before = ent.start - 1
        dash = before if doc[before].text in _DASHES else None
        if dash is not None:
            before -= 1
        while before > start and (doc[before].is_space or doc[before].text in _CLOSING_QUOTES):
            before -= 1
        if doc[before].text not in _SENTENCE_ENDS or not _signature_tail(doc[ent.end : end]):
            continue
        content = (start, before + 1)
        if not has_verb(ctx, content):
            return None
        cue = (dash, dash + 1) if dash is not None else None
        return Draft(
            content, cue, None, start, kind=CueKind.NO_VERB, speaker=("", _SOURCE_ENTS[ent.label_]),
            source_span=(ent.start, ent.end),
        )  # fmt: skip
    return None


def _entities_in(ctx: Context, tokens: Range) -> list[Span]:
    """The entities starting in ``tokens`` and ending within them."""
    starts = [e.start for e in ctx.entities]
    first, last = bisect_left(starts, tokens[0]), bisect_left(starts, tokens[1])
    return [e for e in ctx.entities[first:last] if e.end <= tokens[1]]


def _signature_tail(tail: Span) -> bool:
    """What may follow a signature's name: nothing, a title without a verb
    (", NASA Administrator"), a context ("on whether ..."), or a caption's credit."""
    words = [t for t in tail if not (t.is_punct or t.is_space)]
    if not words or words[0].lower_ in _CAPTION_WORDS or words[0].lower_ in _SIGNATURE_CONTEXT:
        return True
    return tail[0].text in (",", "(") and not any(t.pos_ in ("VERB", "AUX") for t in words)


def verbless_drafts(ctx: Context) -> Iterator[Draft]:
    """Every attribution of this module."""
    for paragraph in ctx.paragraphs:
        draft = signed_quote(ctx, paragraph)
        if draft is not None:
            yield draft
    yield from announced_drafts(ctx, ctx.paragraphs)
    yield from headline_drafts(ctx, ctx.paragraphs)
    yield from for_drafts(ctx)


def announced_drafts(ctx: Context, paragraphs: list[Range]) -> Iterator[Draft]:
    """A paragraph announced by a colon ending a reporting sentence in the paragraph
    before: a reporting verb with nothing to report there is its cue ("He added:");
    one with an object of its own leaves the colon as the cue ("the Church denied these
    allegations:"). The verb's subject is the source; the claim runs to the first later
    sentence that reports something else."""
    doc = ctx.doc
    for number, (start, end) in enumerate(paragraphs[:-1]):
        colon, following = doc[end - 1], paragraphs[number + 1]
        if colon.text != ":" or not has_verb(ctx, following):
            continue
        if ctx.text[_end_char(ctx, following) - 1] == "?":
            continue
        verb = _main_verb(ctx, (start, end - 1))
        if verb is None or not is_cue(verb, ctx.lex):
            continue  # "The council met on Monday:" announces narration
        source = subject_of(verb)
        if source is None or source.pos_ == "PRON" and source.lower_ not in ctx.lex.pronouns:
            continue
        content = (following[0], _first_other_report(ctx, following))
        reported = [c for c in verb.children if c.dep_ in ("ccomp", "dobj") and c.i < end]
        if not reported:
            # the verb's own content, if any, is no more than a manner ("tweeted using X")
            kind = ctx.lex.kind_of.get(verb.lemma_.lower(), CueKind.SPEECH)
            yield Draft(content, (verb.i, verb.i + 1), source, content[0], priority=1, kind=kind)
        else:
            yield Draft(content, (colon.i, colon.i + 1), source, content[0], kind=CueKind.NO_VERB)


def _main_verb(ctx: Context, tokens: Range) -> Token | None:
    """The verb heading the words of ``tokens`` (the parse may hang it on the next
    paragraph)."""
    for token in ctx.doc[tokens[0] : tokens[1]]:
        outside = token.head.i == token.i or not tokens[0] <= token.head.i < tokens[1]
        if outside and token.pos_ in ("VERB", "AUX") and not (token.is_space or token.is_punct):
            return token
    return None


def _end_char(ctx: Context, tokens: Range) -> int:
    last = ctx.doc[tokens[1] - 1]
    return last.idx + len(last)


def _first_other_report(ctx: Context, paragraph: Range) -> int:
    """Where a later sentence of the paragraph reports something of its own."""
    first_sent = ctx.sent_of[paragraph[0]]
    for cue in ctx.cues:
        if paragraph[0] <= cue.i < paragraph[1] and ctx.sent_of[cue.i] != first_sent:
            return ctx.sents[ctx.sent_of[cue.i]].start
    return paragraph[1]


def headline_drafts(ctx: Context, paragraphs: list[Range]) -> Iterator[Draft]:
    """A headline or a line that sets a name and a statement on either side of a colon:
    "Mayor Smith: 'We will rebuild'", "Keep your eyes peeled: Andrew Westphal about
    Stardust". The line is a headline (no final period) or the statement is quoted."""
    doc = ctx.doc
    for start, end in paragraphs:
        if ":" not in ctx.text[doc[start].idx : _end_char(ctx, (start, end))]:
            continue
        colons = [t.i for t in doc[start:end] if t.text == ":"]
        if len(colons) != 1 or colons[0] in (start, end - 1) or doc[colons[0] - 1].lower_ in _CAPTION_WORDS:
            continue
        colon = colons[0]
        left, right = (start, colon), (colon + 1, end)
        headline = ctx.text[_end_char(ctx, (start, end)) - 1] not in _SENTENCE_ENDS
        for name_side, said in ((left, right), (right, left)):
            name = _name_opening(ctx, name_side)
            if name is None or not has_verb(ctx, said) or has_verb(ctx, name_side):
                continue
            quoted = doc[said[0]].text in _CLOSING_QUOTES or doc[said[0]].text in ("“", "«")
            if headline or quoted:
                yield Draft(
                    said, (colon, colon + 1), None, said[0], kind=CueKind.NO_VERB,
                    speaker=("", _SOURCE_ENTS[name.label_]), source_span=(name.start, name.end),
                )  # fmt: skip
            break


def _name_opening(ctx: Context, side: Range) -> Span | None:
    """A person's or organisation's name opening ``side`` (after a title: "Mayor Smith")."""
    for ent in _entities_in(ctx, side):
        if ent.label_ in _SOURCE_ENTS:
            titles = ctx.doc[side[0] : ent.start]
            return ent if all(t.is_title for t in titles) else None
    return None


def for_drafts(ctx: Context) -> Iterator[Draft]:
    """ "For Smith, the decision is a mistake": a sentence opened by "For" and a
    person's name and a comma gives that person's view, unless the clause reports with a
    verb of its own."""
    doc = ctx.doc
    for sent in ctx.sents:
        first = _first_word(sent)
        if first is None or first.lower_ != "for" or first.dep_ != "prep":
            continue
        name: Token | None = child_with(first, "pobj")
        if name is None or name.ent_type_ != "PERSON" or name.right_edge.i + 1 >= sent.end:
            continue
        comma = doc[name.right_edge.i + 1]
        content = (comma.i + 1, sent.end)
        if comma.text != "," or not has_verb(ctx, content):
            continue
        if any(content[0] <= c.i < content[1] for c in ctx.cues):
            continue
        yield Draft(content, (first.i, first.i + 1), name, content[0], kind=CueKind.NO_VERB)


def _first_word(sent: Span) -> Token | None:
    return next((t for t in sent if not (t.is_space or t.is_punct)), None)
