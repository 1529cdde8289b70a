"""Rule-based claim suggestions from spaCy's parse.

A claim is a reported statement: its content, the cue that reports it ("said", "told",
"according to", "claimed"), its source, and how certain the article is about it. The rules
read the dependency parse (reporting verbs with their subjects and complements, passive
responsibility claims), quotation marks, attribution phrases and hedges; the word lists
live in ``resources/reporting_verbs.toml``.

Boundaries follow the annotation guide: content without surrounding quotation marks and
without the sentence-final period; the source as the minimal noun phrase with its
modifiers (a name in apposition stands for its title: "Harry Kalua" in "A police
spokesman, Harry Kalua, said"); the cue as the reporting verb or phrase. A pronoun source
keeps its own offsets and gets the name it refers to in ``source_text``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc

from models.annotation import Certainty, Claim, SourceKind, Status
from models.resources import RESOURCES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token
    from spacy.vocab import Vocab

RULES_VERSION = "1"
CLAIMS_ORIGIN = f"rules:claims@{RULES_VERSION}"
LEXICON_PATH = RESOURCES / "reporting_verbs.toml"

Range = tuple[int, int]  # token indices, end exclusive

_EDGE_CHARS = ' \t\n.,;:"“”‘’«»'
_CONTENT_DEPS = ("ccomp", "parataxis", "xcomp")
_QUESTION_MARKS = frozenset({"whether", "if"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PERSON_ENTS = frozenset({"PERSON"})
_ORG_ENTS = frozenset({"ORG", "NORP", "GPE"})
_NAME_ENTS = _PERSON_ENTS | _ORG_ENTS
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
_PREDICATIVE = frozenset({"acomp", "xcomp", "attr", "oprd"})
# How far into a content its predicate may start ("it was not able to ..." : 2 tokens).
_PREDICATE_REACH = 4
# Prepositions whose phrase after a comma belongs to the reporting, not the report:
# "..., without giving names".
_FRAME_PREPOSITIONS = frozenset({"without"})


# --- Word lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``reporting_verbs.toml``."""

    reporting: frozenset[str]
    nominal: frozenset[str]
    particle: dict[str, str]
    document_only: frozenset[str]
    no_infinitive: frozenset[str]
    recipient: frozenset[str]
    denial: frozenset[str]
    responsibility: frozenset[str]
    responsibility_objects: frozenset[str]
    attribution: tuple[str, ...]
    attribution_heads: frozenset[str]  # first words: "according"
    adverb_cues: frozenset[str]
    anonymity: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    hedges: frozenset[str]
    person: frozenset[str]
    document: frozenset[str]
    organisation: frozenset[str]
    organisation_names: frozenset[str]
    pronouns: dict[str, str]  # pronoun -> "person" | "group" | "thing"


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read the reporting verbs and cue lists (cached per path)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    verbs, phrases, sources = data["verbs"], data["phrases"], data["sources"]
    words = {
        key: frozenset(value)
        for key, value in {**verbs, **phrases, **sources}.items()
        if isinstance(value, list)
    }
    pronouns = {
        word: group for group in ("person", "group", "thing") for word in sources[f"{group}_pronouns"]
    }
    return Lexicon(
        reporting=words["reporting"],
        nominal=words["nominal"],
        particle=dict(verbs.get("particle", {})),
        document_only=words["document_only"],
        no_infinitive=words["no_infinitive"],
        recipient=words["recipient"],
        denial=words["denial"],
        responsibility=words["responsibility"],
        responsibility_objects=words["responsibility_objects"],
        attribution=tuple(phrases["attribution"]),
        attribution_heads=frozenset(phrase.split()[0] for phrase in phrases["attribution"]),
        adverb_cues=words["adverb_cues"],
        anonymity=tuple(phrases["anonymity"]),
        unconfirmed=tuple(phrases["unconfirmed"]),
        hedges=words["hedges"],
        person=words["person"],
        document=words["document"],
        organisation=words["organisation"],
        organisation_names=words["organisation_names"],
        pronouns=pronouns,
    )


# --- Matchers, built once per vocabulary ----------------------------------------------------


@dataclass(frozen=True)
class ClaimMatchers:
    """Reporting verbs, hedges and adverb cues (``Matcher``), cue phrases
    (``PhraseMatcher``) and passive responsibility claims (``DependencyMatcher``)."""

    tokens: Matcher
    phrases: PhraseMatcher
    responsibility: DependencyMatcher


# Matchers by id(vocab), holding the vocab so the id stays its own. A Vocab takes no weak
# reference, so the cache keeps only the few most recent vocabularies (one per worker).
_MATCHERS: dict[int, tuple[Vocab, ClaimMatchers]] = {}
_MATCHERS_KEPT = 4


def claim_matchers(nlp: Language | Vocab) -> ClaimMatchers:
    """The matchers for ``nlp``'s vocabulary (a pipeline or a ``Vocab``), built on first
    use and reused for every later document."""
    vocab = getattr(nlp, "vocab", nlp)
    cached = _MATCHERS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        cached = (vocab, _build_matchers(vocab, load_lexicon()))
        _MATCHERS[id(vocab)] = cached
        while len(_MATCHERS) > _MATCHERS_KEPT:
            del _MATCHERS[next(iter(_MATCHERS))]
    return cached[1]


def _build_matchers(vocab: Vocab, lex: Lexicon) -> ClaimMatchers:
    tokens = Matcher(vocab)
    tokens.add("CUE", [[{"LEMMA": {"IN": sorted(lex.reporting)}, "POS": "VERB"}]])
    tokens.add("HEDGE", [[{"LOWER": {"IN": sorted(lex.hedges)}}]])
    tokens.add("ADVERB_CUE", [[{"LOWER": {"IN": sorted(lex.adverb_cues)}, "DEP": "advmod"}]])
    phrases = PhraseMatcher(vocab, attr="LOWER")
    for key, items in (
        ("ATTRIBUTION", lex.attribution),
        ("ANONYMITY", lex.anonymity),
        ("UNCONFIRMED", lex.unconfirmed),
    ):
        # whitespace tokens suffice: the phrases are plain words
        phrases.add(key, [Doc(vocab, words=phrase.split()) for phrase in items])
    responsibility = DependencyMatcher(vocab)
    responsibility.add(
        "CLAIMED_BY",
        [
            [
                {
                    "RIGHT_ID": "cue",
                    "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(lex.responsibility)}, "TAG": "VBN"},
                },
                {"LEFT_ID": "cue", "REL_OP": ">", "RIGHT_ID": "agent", "RIGHT_ATTRS": {"DEP": "agent"}},
                {"LEFT_ID": "agent", "REL_OP": ">", "RIGHT_ID": "source", "RIGHT_ATTRS": {"DEP": "pobj"}},
            ]
        ],
    )
    return ClaimMatchers(tokens, phrases, responsibility)


# --- Quotations ---------------------------------------------------------------------------

_QUOTE_MARKS = re.compile('["“”‘’«»\n]')
_CLOSERS = {"”": "“", "»": "«", "’": "‘"}


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Quotations as ``(open, close)`` positions of their marks, in text order.

    Straight double quotes open at the start of a word and close otherwise; curly and
    angle quotes pair with their partner; a right single quote closes only an open left
    single quote and never where it is an apostrophe ("Iran’s"). Quotations do not span
    paragraphs; unmatched marks are ignored.
    """
    pairs: list[tuple[int, int]] = []
    open_at: dict[str, int] = {}
    for match in _QUOTE_MARKS.finditer(text):
        mark, at = match.group(), match.start()
        if mark == "\n":
            open_at.clear()
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


# --- The document as the rules see it -------------------------------------------------------


@dataclass
class _Context:
    doc: Doc
    text: str  # doc.text, which spaCy rebuilds on every access
    lex: Lexicon
    quotes: list[Range]  # token ranges inside quotation marks
    cues: list[Token]
    adverb_cues: list[Token]
    hedges: set[int]
    attributions: list[Span]
    unconfirmed: list[Span]
    anonymous_sents: set[int]
    sent_of: list[int]
    para_of: list[int]
    sents: list[Span]

    def in_quote(self, i: int) -> bool:
        return any(start <= i < end for start, end in self.quotes)


def _context(doc: Doc, lex: Lexicon) -> _Context:
    matchers = claim_matchers(doc.vocab)
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for number, sent in enumerate(sents):
        sent_of[sent.start : sent.end] = [number] * len(sent)
    found: dict[str, list[Span]] = {}
    for label, start, end in [*matchers.tokens(doc), *matchers.phrases(doc)]:
        found.setdefault(doc.vocab.strings[label], []).append(doc[start:end])
    text = doc.text
    return _Context(
        doc=doc,
        text=text,
        lex=lex,
        quotes=_quote_ranges(doc, text),
        cues=[span[0] for span in found.get("CUE", ())],
        adverb_cues=[span[0] for span in found.get("ADVERB_CUE", ())],
        hedges={span.start for span in found.get("HEDGE", ())},
        attributions=found.get("ATTRIBUTION", []),
        unconfirmed=found.get("UNCONFIRMED", []),
        anonymous_sents={sent_of[span.start] for span in found.get("ANONYMITY", ())},
        sent_of=sent_of,
        para_of=_paragraphs(doc),
        sents=sents,
    )


def _quote_ranges(doc: Doc, text: str) -> list[Range]:
    ranges = []
    for opening, closing in find_quotations(text):
        span = doc.char_span(opening + 1, closing, alignment_mode="expand")
        if span is not None and len(span):
            ranges.append((span.start, span.end))
    return ranges


def _paragraphs(doc: Doc) -> list[int]:
    numbers, current = [], 0
    for token in doc:
        numbers.append(current)
        if token.is_space and "\n" in token.text:
            current += 1
    return numbers


# --- Drafts: what the rules find, before boundaries, sources and certainty are settled -----


@dataclass
class _Draft:
    content: Range
    cue: Range | None
    source: Token | None  # head of the source noun phrase
    anchor: int  # a token of the reporting clause (sentence, paragraph)
    denied: bool = False
    priority: int = 0
    keeps_cue: bool = False  # content may contain the cue ("was reportedly diverted")


def _is_cue(token: Token, lex: Lexicon) -> bool:
    return token.pos_ == "VERB" and token.lemma_.lower() in lex.reporting


def _child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    return subjects[-1] if subjects else None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _source_of(verb: Token, lex: Lexicon) -> Token | None:
    """The head of the source: subject, passive agent, the noun a relative clause
    modifies, the subject inherited from the clause the verb continues, or the noun
    phrase right before the verb when the parse gives none."""
    subject = _subject(verb)
    if subject is not None:
        return verb.head if subject.lower_ in _RELATIVE and verb.dep_ == "relcl" else subject
    agent = _child(verb, "agent")
    if agent is not None:
        return _child(agent, "pobj")
    if _child(verb, "nsubjpass", "expl") is not None:
        return None
    reporter = next((a for a in verb.ancestors if _is_cue(a, lex)), None)
    if reporter is not None:
        return _source_of(reporter, lex)
    head = verb
    while head.dep_ in ("conj", "advcl", "xcomp", "acomp", "pcomp", "prep") and head.head.i != head.i:
        head = head.head
        subject = _subject(head)
        if subject is not None:
            return subject
    return _noun_before(verb) if verb.dep_ in ("ROOT", "dep", "parataxis") else None


def _noun_before(verb: Token) -> Token | None:
    """The noun phrase ending right before ``verb`` when the parse gives the verb no
    subject ("..., Saad al-Rubaie, argued", "A doctor at X, who asked not to be
    identified, said"): past a relative clause, up to the head of the phrase."""
    doc, first = verb.doc, verb.sent.start
    i = _skip_back_punct(doc, verb.i - 1, first)
    relative = (
        next((a for a in [doc[i], *doc[i].ancestors] if a.dep_ == "relcl"), None) if i >= first else None
    )
    if relative is not None and _after_comma(relative):
        i = _skip_back_punct(doc, relative.left_edge.i - 1, first)
    if i < first or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    token = doc[i]
    while token.head.i < verb.i and (
        token.dep_ in ("compound", "flat", "pobj", "prep") or (token.dep_ == "appos" and not token.ent_type_)
    ):
        token = token.head
    return token


def _skip_back_punct(doc: Doc, i: int, first: int) -> int:
    while i >= first and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    return i


# --- Reporting verbs ----------------------------------------------------------------------


def _verb_drafts(ctx: _Context) -> Iterator[_Draft]:
    for verb in ctx.cues:
        if ctx.in_quote(verb.i) or not _reports_speech(verb, ctx.lex):
            continue
        # "did not deny" admits rather than denies
        denied = _negated(verb) != (verb.lemma_.lower() in ctx.lex.denial)
        source = _source_of(verb, ctx.lex)
        for content in _contents_of(verb, ctx):
            yield _Draft(content, (verb.i, verb.i + 1), source, verb.i, denied, keeps_cue=_raised(verb))


def _reports_speech(verb: Token, lex: Lexicon) -> bool:
    lemma = verb.lemma_.lower()
    if verb.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children):
        return False  # "too early to say", "declined to confirm"
    particle = lex.particle.get(lemma)
    if particle is not None and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return False
    if lemma in lex.document_only:
        source = _source_of(verb, lex)
        return source is not None and source.lower_ in lex.document
    return True


def _raised(verb: Token) -> bool:
    """A raised passive ("X is reported to have fled"): the content runs from the subject
    through the cue."""
    return _child(verb, "nsubjpass") is not None and _child(verb, "xcomp") is not None


def _contents_of(verb: Token, ctx: _Context) -> list[Range]:
    """What ``verb`` reports: one range per coordinated "that"-clause, none when it asks
    ("did not say whether") or reports nothing."""
    clause = _complement(verb, ctx.lex)
    if clause is not None:
        if _asks(verb, clause):
            return []
        if _raised(verb):
            return [(_child(verb, "nsubjpass").left_edge.i, _clause_end(clause, ctx.lex))]
        return _split_that_clauses(clause, ctx.lex)
    found = _governing_content(verb, ctx.lex) or _nominal_content(verb, ctx.lex)
    found = found or _quoted_content(verb, ctx)
    return [found] if found else []


def _asks(verb: Token, clause: Token) -> bool:
    """A question, not a statement: "did not say whether ...", "did not say when ..."."""
    if any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in clause.children):
        return True
    return _negated(verb) and clause.left_edge.tag_ in ("WRB", "WP", "WDT")


def _complement(verb: Token, lex: Lexicon) -> Token | None:
    for child in verb.children:
        if child.dep_ not in _CONTENT_DEPS:
            continue
        if child.dep_ == "xcomp" and (
            verb.lemma_.lower() in lex.no_infinitive or child.pos_ not in ("VERB", "AUX")
        ):
            continue
        return child
    return _misattached_that_clause(verb, lex)


def _misattached_that_clause(verb: Token, lex: Lexicon) -> Token | None:
    """A "that" clause the parser hung on a noun after the verb: "said in a statement
    that ..." (a complement clause, marked by "that"), or after the object of a verb of
    telling, "told reporters outside the court that ..." (parsed as a relative clause)."""
    for token in verb.subtree:
        if token.i <= verb.i or token.dep_ not in ("relcl", "acl") or token.left_edge.lower_ != "that":
            continue
        if _has_that(token):
            return token
        if verb.lemma_.lower() in lex.recipient and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in token.children
        ):
            return token
    return None


def _split_that_clauses(clause: Token, lex: Lexicon) -> list[Range]:
    """Coordinated complements ("said X and that Y"): one content each."""
    heads = [clause]
    token = clause
    while True:
        nxt = next((c for c in token.children if c.dep_ == "conj" and _has_that(c)), None)
        if nxt is None:
            break
        heads.append(nxt)
        token = nxt
    ranges = []
    for number, head in enumerate(heads):
        start = head.left_edge.i
        end = heads[number + 1].left_edge.i if number + 1 < len(heads) else _clause_end(head, lex)
        ranges.append((start, min(end, _clause_end(head, lex))))
    return ranges


def _has_that(token: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)


def _clause_end(head: Token, lex: Lexicon) -> int:
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
    if token.dep_ not in ("conj", "advcl") or _subject(token) is not None:
        return False
    if _is_cue(token, lex):
        return True
    return (
        token.dep_ == "conj"
        and token.head.i == head.i
        and token.tag_ in _FINITE
        and any(c.dep_ == "aux" for c in head.children)
    )


def _trailing_aside(token: Token, end: int, lex: Lexicon) -> bool:
    """A comma-separated relative clause, "without ..." or attribution ("..., according
    to X") that ends the clause."""
    if token.right_edge.i + 1 < end - 1 or not _after_comma(token):
        return False
    if token.dep_ == "relcl":
        return True
    return token.dep_ == "prep" and (
        token.lower_ in _FRAME_PREPOSITIONS or token.lower_ in lex.attribution_heads
    )


def _governing_content(verb: Token, lex: Lexicon) -> Range | None:
    """A reporting clause parsed under the reported one ("The talks failed, a diplomat
    said" as parataxis, ccomp, or a conjunct after a comma): the content is the clause
    before the reporting one."""
    head = verb.head
    if head.i >= verb.i or _is_cue(head, lex):
        return None
    if verb.dep_ == "conj":
        subject = _subject(verb)
        if subject is None or subject.left_edge.i == 0 or subject.left_edge.nbor(-1).text != ",":
            return None
    elif verb.dep_ not in ("parataxis", "ccomp"):
        return None
    return (head.left_edge.i, verb.left_edge.i)


def _nominal_content(verb: Token, lex: Lexicon) -> Range | None:
    """A noun phrase as content: "confirmed the attack", "denied any link", "accused X
    of Y"; Z in "claimed responsibility for Z" and "rejected claims that Z"."""
    if verb.lemma_.lower() not in lex.nominal:
        return None
    obj = _child(verb, "dobj")
    if obj is None or obj.pos_ == "PRON":
        return None
    clause = next((c for c in obj.children if c.dep_ in ("acl", "ccomp") and _has_that(c)), None)
    if clause is not None:
        return (clause.left_edge.i, clause.right_edge.i + 1)
    if obj.lower_ in lex.responsibility_objects:
        target = next((_child(p, "pobj") for p in obj.children if p.dep_ == "prep"), None)
        return (target.left_edge.i, target.right_edge.i + 1) if target is not None else None
    end = _without_medium(obj, lex)
    for prep in verb.rights:
        if prep.dep_ == "prep" and prep.i > obj.i and prep.lower_ in ("of", "for", "over"):
            end = max(end, prep.right_edge.i + 1)
    return (obj.left_edge.i, end)


def _without_medium(obj: Token, lex: Lexicon) -> int:
    """End of a noun phrase before "in a statement"-like phrases, which say where the
    report was made, not what it says or who made it."""
    end = obj.right_edge.i + 1
    for prep in obj.rights:
        target = _child(prep, "pobj") if prep.dep_ == "prep" else None
        if target is not None and target.lower_ in lex.document and prep.lower_ in ("in", "on"):
            end = min(end, prep.i)
    return end


def _quoted_content(verb: Token, ctx: _Context) -> Range | None:
    """A quotation right before the reporting clause ('"...," he said') or right after
    the verb and a colon or comma ('he said: "..."')."""
    doc = ctx.doc
    source = _source_of(verb, ctx.lex)
    clause_start = min(verb.i, source.left_edge.i if source is not None else verb.i)
    for start, end in ctx.quotes:
        if end <= clause_start and all(_is_frame_punct(t) for t in doc[end:clause_start]):
            return (start, end)
        if start > verb.i:
            gap = doc[verb.i + 1 : start]
            joined = any(t.text in (":", ",") for t in gap)
            if joined and len(gap) <= 8 and not any("\n" in t.text for t in gap):
                return (start, end)
            return None
    return None


def _is_frame_punct(token: Token) -> bool:
    return token.is_punct or (token.is_space and "\n" not in token.text)


# --- Responsibility claims, attributions, adverbs, continued quotations -----------------


def _responsibility_drafts(ctx: _Context) -> Iterator[_Draft]:
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
            content = None if _negated(cue) else _claimed_event(cue)
            if content is not None:
                yield _Draft(content, (cue.i, cue.i + 1), doc[offset + source_i], cue.i, priority=2)


def _claimed_event(cue: Token) -> Range | None:
    event = _child(cue, "nsubjpass")
    if event is not None and not (event.lower_ in _RELATIVE and cue.dep_ == "relcl"):
        between = [c.i for c in cue.children if event.i < c.i < cue.i and c.dep_ != "punct"]
        return (event.left_edge.i, min([event.right_edge.i + 1, cue.i, *between]))
    if cue.dep_ in ("relcl", "acl") and cue.head.i < cue.i:
        return (cue.head.left_edge.i, cue.left_edge.i)
    return None


def _attribution_drafts(ctx: _Context) -> Iterator[_Draft]:
    """Attribution phrases ("according to X"): the source is X, the content the rest of
    the clause."""
    for phrase in ctx.attributions:
        source = _child(phrase[-1], "pobj")
        if source is None:
            continue
        content = _clause_without(phrase.start, source.right_edge.i + 1, phrase[0], ctx.lex)
        if content is not None:
            yield _Draft(content, (phrase.start, phrase.end), source, phrase.start, priority=1)


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
        return (_skip_dangling(head, end), _clause_end(head, lex))
    if words[-1] < end:
        return (head.left_edge.i, start)
    return (head.left_edge.i, _clause_end(head, lex))


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


def _adverb_drafts(ctx: _Context, taken: list[_Draft]) -> Iterator[_Draft]:
    """Adverb cues ("X was reportedly diverted"): an unattributed claim whose cue is the
    adverb, when no other cue reports the clause."""
    for adverb in ctx.adverb_cues:
        verb = adverb.head
        while _subject(verb) is None and _child(verb, "nsubjpass") is None and verb.dep_ in _PREDICATIVE:
            verb = verb.head
        if ctx.in_quote(adverb.i) or any(_covers(d, verb.i) for d in taken):
            continue
        end = verb.right_edge.i + 1
        for child in verb.rights:
            if child.dep_ in ("conj", "advcl") and (_subject(child) is not None or _has_cue(child, ctx)):
                end = min(end, child.left_edge.i)
        yield _Draft(
            (_clause_start(ctx, verb), end), (adverb.i, adverb.i + 1), None, adverb.i, keeps_cue=True
        )


def _clause_start(ctx: _Context, verb: Token) -> int:
    """Where the clause of ``verb`` starts; when the parse lost its subject to a
    neighbouring sentence, the start of the sentence within the paragraph."""
    if _subject(verb) is not None or _child(verb, "nsubjpass") is not None:
        return verb.left_edge.i
    start = verb.left_edge.i
    while (
        start > 0
        and ctx.sent_of[start - 1] == ctx.sent_of[verb.i]
        and ctx.para_of[start - 1] == ctx.para_of[verb.i]
    ):
        start -= 1
    return start


def _covers(draft: _Draft, i: int) -> bool:
    in_content = draft.content[0] <= i < draft.content[1]
    return in_content or (draft.cue is not None and draft.cue[0] <= i < draft.cue[1])


def _has_cue(token: Token, ctx: _Context) -> bool:
    return any(cue.i in range(token.left_edge.i, token.right_edge.i + 1) for cue in ctx.cues)


def _continued_quotes(ctx: _Context, drafts: list[_Draft]) -> Iterator[_Draft]:
    """A quotation that makes up a whole sentence right after a quoted claim continues
    it: same source, no cue of its own."""
    quoted = {ctx.sent_of[d.content[0]]: d for d in drafts if _is_quoted(ctx, d)}
    for start, end in ctx.quotes:
        sent = ctx.sent_of[start]
        previous = quoted.get(sent - 1)
        if previous is None or ctx.para_of[start] != ctx.para_of[previous.anchor]:
            continue
        if _whole_sentence(ctx, start, end) and not any(_covers(d, start) for d in drafts):
            yield _Draft((start, end), None, previous.source, start)


def _is_quoted(ctx: _Context, draft: _Draft) -> bool:
    return draft.content in ctx.quotes


def _whole_sentence(ctx: _Context, start: int, end: int) -> bool:
    sent = ctx.sents[ctx.sent_of[start]]
    before = ctx.doc[sent.start : start]
    after = ctx.doc[end : sent.end]
    return all(t.is_punct or t.is_space for t in [*before, *after])


# --- Settling drafts: boundaries, nesting, unconfirmed asides ---------------------------


def _settle(ctx: _Context, draft: _Draft) -> _Draft | None:
    """Final content range: no leading "that", within the cue's paragraph, not across
    the cue, no trailing conjunction, a split quotation made whole."""
    start, end = _strip_mark(ctx.doc, draft.content)
    para = ctx.para_of[draft.anchor]
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
    content = _whole_quotation(ctx, (start, end), draft.cue)
    return replace(draft, content=content)


def _strip_mark(doc: Doc, content: Range) -> Range:
    start, end = content
    while start < end - 1 and (_is_complementiser(doc[start]) or doc[start].is_punct or doc[start].is_space):
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


def _whole_quotation(ctx: _Context, content: Range, cue: Range | None) -> Range:
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


def _unique(drafts: Iterable[_Draft]) -> list[_Draft]:
    """One draft per cue and content (the more specific rule wins)."""
    best: dict[tuple[Range | None, Range], _Draft] = {}
    by_cue: dict[Range, int] = {}
    for draft in sorted(drafts, key=lambda d: -d.priority):
        if draft.cue is not None and by_cue.get(draft.cue, draft.priority) > draft.priority:
            continue
        if draft.cue is not None:
            by_cue[draft.cue] = draft.priority
        best.setdefault((draft.cue, draft.content), draft)
    return list(best.values())


def _without_nested(ctx: _Context, drafts: list[_Draft]) -> list[_Draft]:
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


def _is_unconfirmed_aside(ctx: _Context, draft: _Draft) -> bool:
    start, end = draft.content
    for phrase in ctx.unconfirmed:
        if draft.cue is not None and phrase.start <= draft.cue[0] < phrase.end:
            return True
        # the phrase is the content's predicate: "said it was not able to confirm X"
        if start <= phrase.start and phrase.end <= end and phrase.start - start <= _PREDICATE_REACH:
            return True
    return False


# --- Sources: span, kind, and pronouns resolved to earlier sources ---------------------


@dataclass(frozen=True)
class _Mention:
    """A source already seen in the document, for resolving later pronouns."""

    end: int  # token index
    kind: SourceKind
    plural: bool
    name: str  # the entity name, or the noun phrase when it has none


def _source_head(head: Token) -> Token:
    """The name a source phrase stands for: a name in apposition at the end of the
    phrase ("A police spokesman, Harry Kalua", "The firm that runs the mine, Boreal
    Metals"), else ``head``."""
    if head.ent_type_ in _NAME_ENTS or head.pos_ == "PRON":
        return head
    last = head.right_edge.i
    for token in head.subtree:
        is_name = token.ent_type_ in _NAME_ENTS or token.pos_ == "PROPN"
        if token.i > head.i and token.dep_ == "appos" and is_name and _after_comma(token):
            rest = head.doc[token.right_edge.i + 1 : last + 1]
            if all(t.is_punct for t in rest):
                return token
    return head


def _source_range(head: Token, lex: Lexicon) -> Range:
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
    return (start, min(end, _without_medium(head, lex)))


def _cuts_source(token: Token) -> bool:
    """Participle phrases ("a report published in March") and what a comma sets off
    leave the source; a restrictive relative clause ("engineers who inspected the
    site") stays."""
    if token.dep_ == "acl":
        return True
    return token.dep_ in ("relcl", "appos") and _after_comma(token)


def _after_comma(token: Token) -> bool:
    left = token.left_edge
    return left.i > 0 and left.nbor(-1).text in (",", "—", "–")


def _is_plural(head: Token) -> bool:
    return head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)


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
    if _is_plural(head):
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
    for entity in doc.ents:
        if entity.end <= head.i and entity.label_ in _PERSON_ENTS and len(entity) > 1:
            if head.text in (t.text for t in entity):
                return SourceKind.NAMED_PERSON
    for token in doc[: head.i]:
        if token.text == head.text and token.pos_ == "PROPN":
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
    if any(c.dep_ == "poss" for c in head.children) and not _is_plural(head):
        return SourceKind.NAMED_PERSON
    if _is_plural(head):
        for prep in head.children:
            target = _child(prep, "pobj") if prep.dep_ == "prep" else None
            if (
                target is not None
                and prep.lower_ in ("from", "at", "of")
                and (target.ent_type_ in _ORG_ENTS or target.lemma_.lower() in lex.organisation)
            ):
                return SourceKind.NAMED_ORGANISATION
    return SourceKind.ANONYMOUS_OFFICIAL


def _entity_of(token: Token) -> Span | None:
    if not token.ent_type_:
        return None
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


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


def _antecedent(ctx: _Context, pronoun: Token, history: list[_Mention]) -> _Mention | None:
    """The most recent earlier source the pronoun can refer to, else the most recent
    earlier entity of a fitting type."""
    group = ctx.lex.pronouns[pronoun.lower_]
    fits = _COMPATIBLE[group]
    found = next((m for m in reversed(history) if m.end <= pronoun.i and fits(m)), None)
    if found is not None:
        return found
    labels, kind = _ENTITY_KINDS[group]
    entity = next((e for e in reversed(ctx.doc.ents) if e.end <= pronoun.i and e.label_ in labels), None)
    return None if entity is None else _Mention(entity.end, kind, False, entity.text)


def _definite_antecedent(head: Token, history: list[_Mention]) -> _Mention | None:
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


# --- Certainty ----------------------------------------------------------------------------


def _certainty(ctx: _Context, draft: _Draft, unconfirmed_sents: set[int]) -> Certainty:
    if ctx.sent_of[draft.anchor] in unconfirmed_sents:
        return Certainty.UNCONFIRMED
    if draft.denied:
        return Certainty.DENIED
    if _hedged(ctx, draft):
        return Certainty.HEDGED
    return Certainty.ASSERTED


def _hedged(ctx: _Context, draft: _Draft) -> bool:
    """A hedge in the source ("preliminary figures"), on the cue ("reportedly said"),
    or on the content's own predicate or subject ("may have", "appeared to",
    "a preliminary analysis showed") - not deeper in the content ("rejected preliminary
    results")."""
    scope: set[int] = set()
    if draft.source is not None:
        scope.update(range(*_source_range(draft.source, ctx.lex)))
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


def _unconfirmed_sents(ctx: _Context, drafts: list[_Draft]) -> set[int]:
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
    subject = _child(head, "nsubj", "nsubjpass")
    if subject is None:
        return False
    return subject.pos_ == "PRON" or any(
        c.dep_ == "poss" or c.lower_ in ("the", "this", "these", "those") for c in subject.children
    )


# --- Claims -------------------------------------------------------------------------------


def _trimmed_chars(ctx: _Context, tokens: Range, balanced: bool = False) -> tuple[int, int]:
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


def suggest_claims(doc: Doc, doc_id: int) -> list[Claim]:
    """Claim suggestions for a parsed document (status SUGGESTED, origin
    CLAIMS_ORIGIN), in text order. A document without a dependency parse yields none."""
    if not doc.has_annotation("DEP"):
        return []
    ctx = _context(doc, load_lexicon())
    found = [*_responsibility_drafts(ctx), *_attribution_drafts(ctx), *_verb_drafts(ctx)]
    drafts = [d for d in (_settle(ctx, d) for d in _unique(found)) if d is not None]
    drafts = _without_nested(ctx, drafts)
    drafts += [d for d in (_settle(ctx, d) for d in _adverb_drafts(ctx, drafts)) if d is not None]
    drafts += list(_continued_quotes(ctx, drafts))
    return _claims(ctx, drafts, doc_id)


def _claims(ctx: _Context, drafts: list[_Draft], doc_id: int) -> list[Claim]:
    unconfirmed = _unconfirmed_sents(ctx, drafts)
    history: list[_Mention] = []
    claims: dict[tuple[int, int, int | None, int | None], Claim] = {}
    for draft in sorted(drafts, key=lambda d: d.source.i if d.source is not None else d.anchor):
        claim = _claim(ctx, draft, doc_id, history)
        if claim is not None and claim.key not in claims:
            claims[claim.key] = replace(claim, certainty=_certainty(ctx, draft, unconfirmed))
    return sorted(claims.values(), key=lambda c: (c.content_start, c.cue_start or 0))


def _claim(ctx: _Context, draft: _Draft, doc_id: int, history: list[_Mention]) -> Claim | None:
    content = _trimmed_chars(ctx, draft.content)
    if content[0] >= content[1]:
        return None
    cue = _trimmed_chars(ctx, draft.cue) if draft.cue else (None, None)
    claim = Claim(
        doc_id=doc_id,
        content_start=content[0],
        content_end=content[1],
        cue_start=cue[0],
        cue_end=cue[1],
        status=Status.SUGGESTED,
        origin=CLAIMS_ORIGIN,
    )
    if draft.source is None:
        return claim
    head = _source_head(draft.source)
    title = draft.source if head.i != draft.source.i else None
    start, end = _trimmed_chars(ctx, _source_range(head, ctx.lex), balanced=True)
    if start >= end:
        return claim
    kind, name = _describe_source(ctx, draft, head, history, title)
    return replace(claim, source_start=start, source_end=end, source_kind=kind, source_text=name)


def _describe_source(
    ctx: _Context, draft: _Draft, head: Token, history: list[_Mention], title: Token | None
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
    start, end = _source_range(head, ctx.lex)
    name = earlier.name if earlier is not None else _name_of(head, _text_of(ctx, (start, end)))
    history.append(_Mention(end, kind, _is_plural(head), name))
    return kind, ""


def _text_of(ctx: _Context, tokens: Range) -> str:
    doc = ctx.doc
    return ctx.text[doc[tokens[0]].idx : doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])]
