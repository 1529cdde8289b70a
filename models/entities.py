"""Canonical entities: the one actor or place behind many mentions across the corpus.

A canonical entity has a name, a label, aliases, a note and an optional external
identifier (a Wikidata QID typed by the analyst; nothing is looked up). Spans link to
it; a claim's source links through its span or directly. Links are suggested by
*normalised name*: ``name_key`` folds case, diacritics ("Aïn" = "Ain"), hyphens,
apostrophes and other punctuation, and a leading article ("the"), so "Ain al-Assad",
"Aïn al-Assad" and "the Ain Al Assad" share one key.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from models.annotation import AnnotationError

# Leading words that do not name anything: English articles (the language of the sample
# corpus and the seed article).
_ARTICLES = ("the", "a", "an")
_NON_WORD = re.compile(r"[\W_]+")
# Possessive endings are part of the mention, not of the name ("Iran's" -> "iran").
_POSSESSIVE = re.compile(r"['’]s$")
LINK_ORIGIN = "rules:link@1"


class EntityError(AnnotationError):
    """A change to canonical entities that cannot be made as asked (one line, for the user)."""


class LinkStatus(StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"


def name_key(text: str) -> str:
    """The normalised form under which names are compared (a ``str``, ``""`` when the
    text holds no letter or digit): case folded, diacritics removed (NFKD without
    combining marks), every run of punctuation, hyphens, apostrophes and white space one
    space, a leading article and a trailing possessive dropped."""
    text = _POSSESSIVE.sub("", text.strip())
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", letters.casefold()).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Entity:
    """A canonical entity. ``aliases`` are other names it goes by, as written."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    note: str = ""
    external_id: str = ""
    id: int | None = None
    created: str = ""
    updated: str = ""

    @property
    def keys(self) -> set[str]:
        """Every normalised name this entity answers to (name and aliases)."""
        return {k for k in (name_key(n) for n in (self.name, *self.aliases)) if k}

    def with_alias(self, *names: str) -> Entity:
        """The entity with ``names`` added as aliases (skipping any it already answers
        to under the same spelling)."""
        known = {self.name, *self.aliases}
        extra = tuple(n for n in dict.fromkeys(names) if n and n not in known)
        return replace(self, aliases=self.aliases + extra) if extra else self

    @property
    def kb_id(self) -> str:
        """The identifier exported as spaCy's ``kb_id``: the external id when the analyst
        gave one, else ``quire:<id>``."""
        return self.external_id or f"quire:{self.id}"


def display_name(form: str) -> str:
    """A mention's text as an entity name: without a trailing possessive ("Iran's"), a
    lower-case leading article ("the Pentagon") or a capitalised one before a name of
    several words ("The Ain al-Assad" at the start of a sentence; "The Hague" keeps it)."""
    name = _POSSESSIVE.sub("", form.strip())
    first, _, rest = name.partition(" ")
    if rest and first.casefold() in _ARTICLES and (first.islower() or " " in rest.strip()):
        name = rest.strip()
    return name or form.strip()


def choose_name(forms: Iterable[tuple[str, int]]) -> str:
    """The name for a new entity from its mentions' surface forms and their counts (as
    ``display_name`` shows them): the most frequent; among equals, the one with the most
    non-ASCII letters (keeps "Aïn" over "Ain") and then the longest."""
    counts: Counter[str] = Counter()
    for form, count in forms:
        counts[display_name(form)] += count
    if not counts:
        raise ValueError("no surface form to name an entity after")
    return max(counts, key=lambda f: (counts[f], sum(not c.isascii() for c in f), len(f), f))


@dataclass
class LinkReport:
    """What a run of link suggestions did (counts of spans, entities and claims)."""

    spans_suggested: int = 0
    entities_created: int = 0
    claims_followed: int = 0
    skipped_rejected: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"suggested links for {self.spans_suggested} span(s), created {self.entities_created} "
            f"entit{'y' if self.entities_created == 1 else 'ies'}, {self.claims_followed} pronoun "
            f"source(s) follow their antecedent; {self.skipped_rejected} rejected link(s) kept out"
        )


@dataclass(frozen=True)
class SourceKey:
    """Who made a claim, as the sources view groups claims: a canonical entity
    (``entity_id``) or, for a source not linked to one, its normalised description within
    one document (anonymous sources are never merged across documents automatically)."""

    entity_id: int | None = None
    doc_id: int | None = None
    key: str = ""

    @property
    def is_entity(self) -> bool:
        return self.entity_id is not None
