"""Small questions about the dependency parse that every rule asks: a token's subject,
a child by relation, negation, a "that" complementiser, a comma before a phrase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from models.nlp.claims.lexicon import Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token


RELATIVE = frozenset({"who", "which", "that", "whom"})


def is_cue(token: Token, lex: Lexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lex.reporting


def child_with(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    return subjects[-1] if subjects else None


def negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def after_comma(token: Token) -> bool:
    left = token.left_edge
    return left.i > 0 and left.nbor(-1).text in (",", "—", "–")


def has_that(token: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)


def skip_back_punct(doc: Doc, i: int, first: int) -> int:
    while i >= first and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    return i


def is_plural(head: Token) -> bool:
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)


def is_document(head: Token, lex: Lexicon) -> bool:
    """The noun names a text or data: "the report", "a new poll", "records"."""
    return head.lower_ in lex.document or head.lemma_.lower() in lex.document
