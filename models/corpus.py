"""What the document list shows: filters and a sort order over the corpus (plain data; the
repository turns it into SQL)."""

from __future__ import annotations

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
