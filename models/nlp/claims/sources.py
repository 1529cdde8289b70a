"""Sources: the span of the source noun phrase, what kind of source it names, and
pronouns resolved to earlier sources or entities.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Span

from models.annotation import SourceKind
from models.nlp.claims.clauses import without_medium
from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.lexicon import Lexicon
from models.nlp.claims.syntax import after_comma, child_with, is_plural

if TYPE_CHECKING:
    from spacy.tokens import Token


_PERSON_ENTS = frozenset({"PERSON"})


_ORG_ENTS = frozenset({"ORG", "NORP", "GPE"})


_NAME_ENTS = _PERSON_ENTS | _ORG_ENTS


@dataclass(frozen=True)
class Mention:
    """A source already seen in the document, for resolving later pronouns."""

    end: int  # token index
    kind: SourceKind
    plural: bool
    name: str  # the entity name, or the noun phrase when it has none


def source_head(head: Token) -> Token:
    """The name a source phrase stands for: a name in apposition at the end of the
    phrase ("A police spokesman, Harry Kalua", "The firm that runs the mine, Boreal
    Metals"), else ``head``."""
    if head.ent_type_ in _NAME_ENTS or head.pos_ == "PRON":
        return head
    last = head.right_edge.i
    for token in head.subtree:
        is_name = token.ent_type_ in _NAME_ENTS or token.pos_ == "PROPN"
        if token.i > head.i and token.dep_ == "appos" and is_name and after_comma(token):
            rest = head.doc[token.right_edge.i + 1 : last + 1]
            if all(t.is_punct for t in rest):
                return token
    return head


def source_range(head: Token, lex: Lexicon) -> Range:
    """Token range of the source noun phrase: the head's modifiers, without relative
    clauses, participle phrases or appositions set off by a comma; sibling subjects of a
    split name ("al", "Mansouri") are joined."""
    start, end = head.left_edge.i, head.right_edge.i + 1
    if head.dep_ == "nsubj":
        siblings = [c for c in head.head.children if c.dep_ == "nsubj" and c.i < head.head.i]
        start = min([start, *(s.left_edge.i for s in siblings if s.right_edge.i + 2 >= head.left_edge.i)])
    for token in head.subtree:
        if token.i > head.i and _cuts_source(token):
            end = min(end, token.left_edge.i)
    return (start, min(end, without_medium(head, lex)))


def _cuts_source(token: Token) -> bool:
    """Participle phrases ("a report published in March") and what a comma sets off
    leave the source; a restrictive relative clause ("engineers who inspected the
    site") stays."""
    if token.dep_ == "acl":
        return True
    return token.dep_ in ("relcl", "appos") and after_comma(token)


def _source_kind(head: Token, lex: Lexicon, anonymous: bool, title: Token | None = None) -> SourceKind:
    """What kind of source the phrase headed by ``head`` names. ``anonymous``: the
    sentence says the source asked not to be named; ``title``: the noun a name stands in
    apposition to ("firm" for "The firm that runs the mine, Boreal Metals")."""
    if head.pos_ == "PROPN" or head.ent_type_ in _NAME_ENTS:
        return _name_kind(head, lex, title)
    lower = head.lower_
    if lower in lex.document or head.lemma_.lower() in lex.document:
        return SourceKind.DOCUMENT_REPORT
    if anonymous:
        return SourceKind.ANONYMOUS_OFFICIAL
    name = _attached_name(head)
    if name is not None:
        return _name_kind(name, lex)
    if head.lemma_.lower() in lex.person:
        return _person_kind(head, lex)
    if lower in lex.organisation or head.lemma_.lower() in lex.organisation:
        return SourceKind.NAMED_ORGANISATION
    return SourceKind.ANONYMOUS_OFFICIAL


def _attached_name(head: Token) -> Token | None:
    """The name right after a singular title ("the union leader Petra Novak"); a plural
    title with one name is a misparse ("analysts at the firm Sentrix")."""
    if is_plural(head):
        return None
    return next(
        (c for c in head.rights if c.dep_ in ("appos", "compound", "flat") and c.ent_type_ in _NAME_ENTS),
        None,
    )


def _name_kind(head: Token, lex: Lexicon, title: Token | None = None) -> SourceKind:
    """A name: an organisation when its last word or its title says so ("Thalassa
    Lines", "airport operator Swedavia"), a person when its title says so or the
    recogniser or an earlier full name does."""
    entity = _entity_of(head)
    last = (entity[-1] if entity is not None else head).lower_
    titles = {t.lemma_.lower() for t in _titles(head)}
    if title is not None and title.lemma_.lower() in lex.person | lex.organisation:
        titles = {title.lemma_.lower()}
    if last in lex.organisation_names or titles & lex.organisation:
        return SourceKind.NAMED_ORGANISATION
    if titles & lex.person:
        return SourceKind.NAMED_PERSON
    earlier = _earlier_mention(head, lex)
    if earlier is not None:
        return earlier
    if head.ent_type_ in _PERSON_ENTS:
        return SourceKind.NAMED_PERSON
    return SourceKind.NAMED_ORGANISATION


def _titles(head: Token) -> list[Token]:
    near = [c for c in head.children if c.dep_ in ("compound", "appos", "flat", "nmod")]
    if head.dep_ == "appos":
        near.append(head.head)
    return [t for t in near if t.pos_ == "NOUN"]


def _earlier_mention(head: Token, lex: Lexicon) -> SourceKind | None:
    """The kind an earlier mention of the same name made clear: "Delorme" after
    "Jean-Marc Delorme" (a person), "Swedavia" after "airport operator Swedavia"."""
    doc = head.doc
    same = (doc.to_array("ORTH")[: head.i] == head.orth).nonzero()[0]
    earlier = [doc[int(i)] for i in same]
    for token in earlier:
        if token.ent_type_ in _PERSON_ENTS:
            entity = _entity_of(token)
            if entity is not None and entity.end <= head.i and len(entity) > 1:
                return SourceKind.NAMED_PERSON
    for token in earlier:
        if token.pos_ == "PROPN":
            titles = {t.lemma_.lower() for t in _titles(token)}
            if titles & lex.organisation:
                return SourceKind.NAMED_ORGANISATION
            if titles & lex.person:
                return SourceKind.NAMED_PERSON
    return None


def _person_kind(head: Token, lex: Lexicon) -> SourceKind:
    """People without a name are anonymous, except an office held by one person of a
    named body ("Iraq's water minister") and groups speaking for a body ("observers from
    the EU")."""
    if any(c.dep_ == "poss" for c in head.children) and not is_plural(head):
        return SourceKind.NAMED_PERSON
    if is_plural(head):
        for prep in head.children:
            target = child_with(prep, "pobj") if prep.dep_ == "prep" else None
            if (
                target is not None
                and prep.lower_ in ("from", "at", "of")
                and (target.ent_type_ in _ORG_ENTS or target.lemma_.lower() in lex.organisation)
            ):
                return SourceKind.NAMED_ORGANISATION
    return SourceKind.ANONYMOUS_OFFICIAL


def _entity_of(token: Token) -> Span | None:
    """The entity ``token`` is part of, read from the IOB tags (``doc.ents`` builds
    every entity's span anew on each access)."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def _name_of(head: Token, text: str) -> str:
    entity = _entity_of(head)
    return entity.text if entity is not None and entity.label_ in _NAME_ENTS else text


_COMPATIBLE = {
    "person": lambda m: not m.plural and m.kind in (SourceKind.NAMED_PERSON, SourceKind.ANONYMOUS_OFFICIAL),
    "group": lambda m: m.plural or m.kind == SourceKind.NAMED_ORGANISATION,
    "thing": lambda m: not m.plural and m.kind in (SourceKind.NAMED_ORGANISATION, SourceKind.DOCUMENT_REPORT),
}


_ENTITY_KINDS = {
    "person": (_PERSON_ENTS, SourceKind.NAMED_PERSON),
    "group": (_ORG_ENTS, SourceKind.NAMED_ORGANISATION),
    "thing": (_ORG_ENTS, SourceKind.NAMED_ORGANISATION),
}


def _antecedent(ctx: Context, pronoun: Token, history: list[Mention]) -> Mention | None:
    """The most recent earlier source the pronoun can refer to, else the most recent
    earlier entity of a fitting type."""
    group = ctx.lex.pronouns[pronoun.lower_]
    fits = _COMPATIBLE[group]
    found = next((m for m in reversed(history) if m.end <= pronoun.i and fits(m)), None)
    if found is not None:
        return found
    labels, kind = _ENTITY_KINDS[group]
    entity = next((e for e in reversed(ctx.doc.ents) if e.end <= pronoun.i and e.label_ in labels), None)
    return None if entity is None else Mention(entity.end, kind, False, entity.text)


def _definite_antecedent(head: Token, history: list[Mention]) -> Mention | None:
    """The earlier source a bare definite noun repeats ("the source" after "a security
    source"), so that later pronouns get the fuller name."""
    children = list(head.children)
    if head.pos_ != "NOUN" or len(children) != 1 or children[0].lower_ not in ("the", "this"):
        return None
    lemma = head.lemma_.lower()
    return next(
        (m for m in reversed(history) if m.end <= head.i and m.name.lower().split()[-1:] == [lemma]),
        None,
    )


def describe_source(
    ctx: Context, draft: Draft, head: Token, history: list[Mention], title: Token | None
) -> tuple[SourceKind, str]:
    """Kind and resolved name of a source (the name only for pronouns), remembering it
    for later pronouns."""
    anonymous = ctx.sent_of[draft.anchor] in ctx.anonymous_sents
    if head.pos_ == "PRON" and head.lower_ in ctx.lex.pronouns:
        antecedent = _antecedent(ctx, head, history)
        if antecedent is not None:
            history.append(replace(antecedent, end=head.i + 1))
            return antecedent.kind, antecedent.name
        kind = (
            SourceKind.NAMED_PERSON
            if ctx.lex.pronouns[head.lower_] == "person"
            else SourceKind.NAMED_ORGANISATION
        )
        return kind, ""
    kind = _source_kind(head, ctx.lex, anonymous, title)
    earlier = _definite_antecedent(head, history)
    start, end = source_range(head, ctx.lex)
    name = earlier.name if earlier is not None else _name_of(head, _text_of(ctx, (start, end)))
    history.append(Mention(end, kind, is_plural(head), name))
    return kind, ""


def _text_of(ctx: Context, tokens: Range) -> str:
    doc = ctx.doc
    return ctx.text[doc[tokens[0]].idx : doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])]
