"""The document as the rules see it: the parse with matcher hits, quotations,
sentence and paragraph numbers, computed once per document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from models.nlp.claims.drafts import Range
from models.nlp.claims.lexicon import Lexicon, claim_matchers
from models.nlp.claims.quotations import find_quotations, quote_ranges

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


@dataclass
class Context:
    doc: Doc
    text: str  # doc.text, which spaCy rebuilds on every access
    lex: Lexicon
    quotes: list[Range]  # token ranges inside quotation marks
    quote_partner: dict[int, int]  # character position of a quotation mark -> its partner's
    cues: list[Token]
    adverb_cues: list[Token]
    attitude_adjectives: list[Token]  # "critical" in "is critical of"
    issuing: list[Token]  # "issued" in "issued a statement"
    expressing: list[Token]  # "expressed" in "expressed concern that"
    hedges: set[int]
    attributions: list[Span]  # "according to"
    no_verb_attributions: list[Span]  # "in the words of"
    unconfirmed: list[Span]
    anonymous_sents: set[int]
    sent_of: list[int]
    para_of: list[int]
    paragraphs: list[Range]  # token ranges of the non-empty paragraphs, white space left out
    entities: list[Span]  # doc.ents, which spaCy builds anew on every access
    sents: list[Span]

    def in_quote(self, i: int) -> bool:
        return any(start <= i < end for start, end in self.quotes)


def build_context(doc: Doc, lex: Lexicon) -> Context:
    matchers = claim_matchers(doc.vocab)
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for number, sent in enumerate(sents):
        sent_of[sent.start : sent.end] = [number] * len(sent)
    single = matchers.tokens.find(doc)
    found: dict[str, list[Span]] = {}
    for label, start, end in matchers.phrases(doc):
        found.setdefault(doc.vocab.strings[label], []).append(doc[start:end])
    text = doc.text
    pairs = find_quotations(text)
    para_of, paragraphs = _paragraphs(doc)
    return Context(
        doc=doc,
        text=text,
        lex=lex,
        quotes=quote_ranges(doc, pairs),
        quote_partner={**dict(pairs), **{close: open_ for open_, close in pairs}},
        cues=[doc[i] for i in single["CUE"]],
        adverb_cues=[doc[i] for i in single["ADVERB_CUE"]],
        attitude_adjectives=[doc[i] for i in single["ATTITUDE_ADJ"]],
        issuing=[doc[i] for i in single["ISSUED"]],
        expressing=[doc[i] for i in single["EXPRESSING"]],
        hedges=set(single["HEDGE"]),
        attributions=found.get("ATTRIBUTION", []),
        no_verb_attributions=found.get("NO_VERB", []),
        unconfirmed=found.get("UNCONFIRMED", []),
        anonymous_sents={sent_of[span.start] for span in found.get("ANONYMITY", ())},
        sent_of=sent_of,
        para_of=para_of,
        paragraphs=paragraphs,
        entities=list(doc.ents),
        sents=sents,
    )


def _paragraphs(doc: Doc) -> tuple[list[int], list[Range]]:
    """Each token's paragraph number, and the token ranges of the non-empty paragraphs
    without white space."""
    numbers: list[int] = []
    ranges: list[Range] = []
    current, start = 0, None
    for token in doc:
        numbers.append(current)
        if token.is_space and "\n" in token.text:
            current += 1
            if start is not None:
                ranges.append((start, token.i))
            start = None
        elif start is None and not token.is_space:
            start = token.i
    if start is not None:
        ranges.append((start, len(doc)))
    return numbers, ranges
