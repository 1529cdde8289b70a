"""The word lists of ``resources/reporting_verbs.toml`` and the spaCy matchers built
from them (once per vocabulary).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.matcher import DependencyMatcher, PhraseMatcher
from spacy.parts_of_speech import VERB
from spacy.tokens import Doc

from models.annotation import CueKind
from models.resources import RESOURCES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.vocab import Vocab


LEXICON_PATH = RESOURCES / "reporting_verbs.toml"


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``reporting_verbs.toml``."""

    reporting: frozenset[str]  # every reporting verb, of every cue kind
    kind_of: dict[str, CueKind]  # verbs of a cue kind other than speech
    nominal: frozenset[str]
    issuing: frozenset[str]  # "issued [a statement]: '...'"
    issued: frozenset[str]
    expressing: frozenset[str]  # "expressed [concern] that ..."
    expressed: frozenset[str]
    clause_adjectives: frozenset[str]  # "is confident that ..."
    object_adjectives: dict[str, frozenset[str]]  # "is critical of X": adjective -> prepositions
    particle: dict[str, str]
    prepositional: dict[str, frozenset[str]]  # verb -> prepositions whose object is content
    document_only: frozenset[str]
    clause_also: frozenset[str]
    call_particles: dict[str, frozenset[str]]
    no_infinitive: frozenset[str]
    recipient: frozenset[str]
    denial: frozenset[str]
    responsibility: frozenset[str]
    responsibility_objects: frozenset[str]
    attribution: tuple[str, ...]
    no_verb_attribution: tuple[str, ...]
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
    adjectives = data["adjectives"]
    words = {
        key: frozenset(value)
        for key, value in {**verbs, **phrases, **sources}.items()
        if isinstance(value, list)
    }
    pronouns = {
        word: group for group in ("person", "group", "thing") for word in sources[f"{group}_pronouns"]
    }
    kind_of = {
        verb: CueKind(kind)
        for kind in ("question", "answer", "call", "evaluation", "attitude")
        for verb in verbs[kind]
    }
    return Lexicon(
        reporting=words["reporting"] | frozenset(kind_of),
        kind_of=kind_of,
        nominal=words["nominal"],
        issuing=words["issuing"],
        issued=words["issued"],
        expressing=words["expressing"],
        expressed=words["expressed"],
        clause_adjectives=frozenset(adjectives["clause"]),
        object_adjectives={word: frozenset(preps) for word, preps in adjectives["object"].items()},
        particle=dict(verbs.get("particle", {})),
        prepositional={verb: frozenset(preps) for verb, preps in verbs["prepositional"].items()},
        document_only=words["document_only"],
        clause_also=words["clause_also"],
        call_particles={verb: frozenset(words) for verb, words in verbs["call_particles"].items()},
        no_infinitive=words["no_infinitive"],
        recipient=words["recipient"],
        denial=words["denial"],
        responsibility=words["responsibility"],
        responsibility_objects=words["responsibility_objects"],
        attribution=tuple(phrases["attribution"]),
        no_verb_attribution=tuple(phrases["no_verb_attribution"]),
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


@dataclass(frozen=True)
class TokenLists:
    """Single-token cues as string hashes, tested on the whole document at once with
    numpy (a spaCy ``Matcher`` with these one-token patterns cost as much as all the
    rules together): reporting verbs, verbs that put out a text and verbs that express
    an attitude (lemma, verbs only),
    hedges (lower case), adverb cues (adverbial modifiers) and attitude adjectives
    (predicative)."""

    reporting: np.ndarray
    issuing: np.ndarray
    expressing: np.ndarray
    hedges: np.ndarray
    adverb_cues: np.ndarray
    adjectives: np.ndarray
    advmod: int
    acomp: int

    def find(self, doc: Doc) -> dict[str, list[int]]:
        """Token indices of each kind of cue in ``doc``, in text order."""
        lemma, lower, pos, dep = doc.to_array([LEMMA, LOWER, POS, DEP]).T
        verb = pos == VERB
        found = {
            "CUE": np.isin(lemma, self.reporting) & verb,
            "ISSUED": np.isin(lemma, self.issuing) & verb,
            "EXPRESSING": np.isin(lemma, self.expressing) & verb,
            "HEDGE": np.isin(lower, self.hedges),
            "ADVERB_CUE": np.isin(lower, self.adverb_cues) & (dep == self.advmod),
            "ATTITUDE_ADJ": np.isin(lower, self.adjectives) & (dep == self.acomp),
        }
        return {key: np.flatnonzero(mask).tolist() for key, mask in found.items()}


@dataclass(frozen=True)
class ClaimMatchers:
    """Single-token cues (``TokenLists``), cue phrases (``PhraseMatcher``) and passive
    responsibility claims (``DependencyMatcher``)."""

    tokens: TokenLists
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
    def hashes(words: frozenset[str]) -> np.ndarray:
        return np.array(sorted(vocab.strings.add(word) for word in words), dtype=np.uint64)

    tokens = TokenLists(
        reporting=hashes(lex.reporting),
        issuing=hashes(lex.issuing),
        expressing=hashes(lex.expressing),
        hedges=hashes(lex.hedges),
        adverb_cues=hashes(lex.adverb_cues),
        adjectives=hashes(lex.clause_adjectives | frozenset(lex.object_adjectives)),
        advmod=vocab.strings.add("advmod"),
        acomp=vocab.strings.add("acomp"),
    )
    phrases = PhraseMatcher(vocab, attr="LOWER")
    for key, items in (
        ("ATTRIBUTION", lex.attribution),
        ("NO_VERB", lex.no_verb_attribution),
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
