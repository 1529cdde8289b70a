"""What kind of source a claim names, inferred from the source's words and the label of
the entity it is linked to: a named person, a named organisation, an anonymous official,
a document or report. The claim rules (models/nlp/claims) decide this from a parse when
they suggest a claim; this is the parse-free rule the claim panel applies when an analyst
sets or links a source by hand, using the same noun lists (resources/reporting_verbs.toml,
table ``sources``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.annotation import SourceKind
from models.resources import RESOURCES

LEXICON_FILE = RESOURCES / "reporting_verbs.toml"

# Entity labels whose span names a person, or a body that speaks as one.
PERSON_LABELS = frozenset({"PERSON"})
ORGANISATION_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
# Words after which the head noun of a source phrase is over ("an official in the region").
_PHRASE_ENDS = frozenset({"in", "at", "from", "of", "with", "for", "on", "who", "that", "close", "familiar"})
_UNNAMED_STARTS = frozenset({"a", "an", "one", "two", "three", "several", "some", "many", "another", "other"})
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)


@dataclass(frozen=True)
class SourceLexicon:
    person: frozenset[str]
    document: frozenset[str]
    organisation: frozenset[str]
    organisation_names: frozenset[str]
    pronouns: frozenset[str]

    @classmethod
    def from_toml(cls, path: Path) -> SourceLexicon:
        """Raises OSError or tomllib.TOMLDecodeError for a missing or broken file."""
        data = tomllib.loads(path.read_text(encoding="utf-8"))["sources"]

        def words(key: str) -> frozenset[str]:
            return frozenset(word.lower() for word in data.get(key, []))

        return cls(
            person=words("person"),
            document=words("document"),
            organisation=words("organisation"),
            organisation_names=words("organisation_names"),
            pronouns=words("person_pronouns") | words("group_pronouns") | words("thing_pronouns"),
        )


@cache
def default_lexicon() -> SourceLexicon:
    return SourceLexicon.from_toml(LEXICON_FILE)


def infer_source_kind(
    words: str, linked_label: str | None = None, lexicon: SourceLexicon | None = None
) -> SourceKind | None:
    """The kind of source ``words`` names (the source's name or mention as written,
    "a police official in the region", "Gassco", "the statement"), given the label of the
    entity span it is linked to, if any. None when nothing can be said (no words, or a
    bare pronoun with no link): the caller keeps what the claim has.

    The link decides first (PERSON: a named person; ORG, GPE, NORP, FAC: a named
    organisation); then the head noun of the phrase (a document noun: a document or
    report; an organisation noun: a named organisation; a person noun after "a", "an",
    "one"... or "the" without a name: an anonymous official); then capitalised words
    (an organisation's last word such as "Lines", "Agency", one name, or a name after
    "the": an organisation; two or more names: a person)."""
    if linked_label in PERSON_LABELS:
        return SourceKind.NAMED_PERSON
    if linked_label in ORGANISATION_LABELS:
        return SourceKind.NAMED_ORGANISATION
    lexicon = lexicon or default_lexicon()
    tokens = _WORD.findall(words)
    if not tokens or (len(tokens) == 1 and tokens[0].lower() in lexicon.pronouns):
        return None
    phrase = _head_phrase(tokens)
    nouns = [_singular(word.lower()) for word in phrase]
    head = nouns[-1]
    unnamed = phrase[0].lower() in _UNNAMED_STARTS
    names = [word for n, word in enumerate(phrase) if word[0].isupper() and word.lower() not in lexicon.person
             and not (n == 0 and word.lower() in _DETERMINERS)]  # fmt: skip
    if head in lexicon.document or (set(nouns) & lexicon.document and not set(nouns) & lexicon.person):
        return SourceKind.DOCUMENT_REPORT
    if head in lexicon.organisation:
        return None if unnamed and not names else SourceKind.NAMED_ORGANISATION
    if head in lexicon.person:
        return SourceKind.NAMED_PERSON if names and not unnamed else SourceKind.ANONYMOUS_OFFICIAL
    if not names:
        return None
    if head in lexicon.organisation_names or len(names) < 2 or phrase[0].lower() == "the":
        return SourceKind.NAMED_ORGANISATION
    return SourceKind.NAMED_PERSON


_DETERMINERS = _UNNAMED_STARTS | {"the", "his", "her", "their", "its"}


def _head_phrase(tokens: list[str]) -> list[str]:
    """The words up to the head noun: "a police official in the region" -> a police official."""
    for n, token in enumerate(tokens[1:], start=1):
        if token.lower() in _PHRASE_ENDS:
            return tokens[:n]
    return tokens


def _singular(word: str) -> str:
    """Plural nouns of the lists ("officials", "reports") as their singular."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
