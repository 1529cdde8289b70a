"""The suggestions left to review in the open document, in reading order: a sorted list
of ``(start, end, id)`` kept as spans change, so that "next suggestion" and "suggestions
left" are binary searches and a length, never a scan of every span (50,000 in a long
article)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable

from models.annotation import Span, Status

Key = tuple[int, int, int]


def _key(span: Span) -> Key:
    return (span.start, span.end, span.id or 0)


class SuggestionOrder:
    def __init__(self, spans: Iterable[Span] = ()) -> None:
        suggested = Status.SUGGESTED
        self._keys: list[Key] = sorted((s.start, s.end, s.id or 0) for s in spans if s.status is suggested)

    def __len__(self) -> int:
        return len(self._keys)

    def update(self, old: Span | None, new: Span | None) -> None:
        """A span changed from ``old`` to ``new`` (``None``: it did not exist / is gone)."""
        if old is not None and old.status == Status.SUGGESTED:
            key = _key(old)
            row = bisect_left(self._keys, key)
            if row < len(self._keys) and self._keys[row] == key:
                del self._keys[row]
        if new is not None and new.status == Status.SUGGESTED:
            insort(self._keys, _key(new))

    def extend(self, spans: Iterable[Span]) -> None:
        """Spans loaded after those known, by start (a long article's next part): their
        suggestions go after every known key, so they are appended."""
        suggested = Status.SUGGESTED
        keys = [(s.start, s.end, s.id or 0) for s in spans if s.status is suggested]
        if keys and self._keys and keys[0] < self._keys[-1]:
            for key in keys:  # not after the known ones: each in its place
                insort(self._keys, key)
        else:
            self._keys.extend(keys)

    def after(self, anchor: tuple[int, int, int]) -> int | None:
        """Id of the first suggestion whose key is greater than ``anchor``."""
        row = bisect_right(self._keys, anchor)
        return self._keys[row][2] if row < len(self._keys) else None

    def before(self, anchor: tuple[int, int, int]) -> int | None:
        """Id of the last suggestion whose key is less than ``anchor``."""
        row = bisect_left(self._keys, anchor)
        return self._keys[row - 1][2] if row > 0 else None

    def first(self) -> int | None:
        return self._keys[0][2] if self._keys else None

    def last(self) -> int | None:
        return self._keys[-1][2] if self._keys else None

    def ids(self) -> list[int]:
        return [key[2] for key in self._keys]
