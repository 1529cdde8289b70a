"""Where a reported clause or phrase ends: before what continues the outer sentence
("..., adding that"), a trailing aside ("..., according to X") or the medium of the report
("in a statement").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.nlp.claims.lexicon import Lexicon
from models.nlp.claims.syntax import after_comma, child_with, is_cue, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Token


FINITE = frozenset({"VBD", "VBZ", "VBP"})


# Prepositions whose phrase after a comma belongs to the reporting, not the report:
# "..., without giving names".
_FRAME_PREPOSITIONS = frozenset({"without"})


def clause_end(head: Token, lex: Lexicon) -> int:
    """End of ``head``'s clause, cut before what continues the outer sentence rather
    than the report: another reporting verb ("..., adding that"), a finite verb that
    does not share the clause's auxiliary ("had stolen X and gave"), a trailing
    "without ..." or non-restrictive relative clause."""
    end = head.right_edge.i + 1
    for token in head.subtree:
        if token.i <= head.i:
            continue
        if _continues_outer(token, head, lex) or _trailing_aside(token, end, lex):
            end = min(end, token.left_edge.i)
    return end


def _continues_outer(token: Token, head: Token, lex: Lexicon) -> bool:
    if token.dep_ not in ("conj", "advcl") or subject_of(token) is not None:
        return False
    if is_cue(token, lex):
        # "..., adding that X" reports again; "... and would respond" and "... and is
        # believed to have fallen" (a passive) do not
        passive = child_with(token, "auxpass", "nsubjpass") is not None
        return not passive and child_with(token, "ccomp", "xcomp", "dobj", "parataxis") is not None
    return (
        token.dep_ == "conj"
        and token.head.i == head.i
        and token.tag_ in FINITE
        and any(c.dep_ == "aux" for c in head.children)
    )


def _trailing_aside(token: Token, end: int, lex: Lexicon) -> bool:
    """A comma-separated relative clause, "without ..." or attribution ("..., according
    to X") that ends the clause."""
    if token.right_edge.i + 1 < end - 1 or not after_comma(token):
        return False
    if token.dep_ == "relcl":
        return True
    return token.dep_ == "prep" and (
        token.lower_ in _FRAME_PREPOSITIONS or token.lower_ in lex.attribution_heads
    )


def without_medium(obj: Token, lex: Lexicon) -> int:
    """End of a noun phrase before "in a statement"-like phrases, which say where the
    report was made, not what it says or who made it."""
    end = obj.right_edge.i + 1
    for prep in obj.rights:
        target = child_with(prep, "pobj") if prep.dep_ == "prep" else None
        if target is not None and target.lower_ in lex.document and prep.lower_ in ("in", "on"):
            end = min(end, prep.i)
    return end
