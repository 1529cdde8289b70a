"""What the document list shows: filters and a sort order over the corpus (plain data; the
repository turns it into SQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Orders the list can be sorted in; "id" is import order.
SORT_KEYS = (
    "id",
    "title",
    "source",
    "published",
    "language",
    "entities",
    "claims",
    "status",
    "updated",
    "annotator",
)


_FTS_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_BARE_WORD = re.compile(r"\w+")
_MIN_PREFIX = 3


def word_prefixes(search: str) -> str:
    """The search box's query for FTS5, with every bare word of three or more characters
    a prefix ("missile" -> "missile*", so that "missiles" is found and marked too; shorter
    words would match a large part of the vocabulary). Phrases in quotes, operators (AND,
    OR, NOT, NEAR), column filters ("title:"), words with a ``*`` already and anything
    else that is not a plain word are left as typed."""
    parts = search.split('"')
    for n in range(0, len(parts), 2):  # outside quotes
        parts[n] = " ".join(
            word + "*"
            if len(word) >= _MIN_PREFIX and _BARE_WORD.fullmatch(word) and word not in _FTS_OPERATORS
            else word
            for word in parts[n].split(" ")
        )
    return '"'.join(parts)


class SearchError(ValueError):
    """A search the full-text index cannot parse; the message is for the user."""


@dataclass(frozen=True)
class DocumentQuery:
    status: str | None = None  # a DocStatus value
    label: str | None = None  # documents with a span of this label that is not rejected
    unreviewed: bool = False  # documents with suggested spans or claims
    source: str | None = None
    search: str = ""  # FTS5 query over title and text
    sort: str = "id"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.sort!r}; use one of {', '.join(SORT_KEYS)}")
