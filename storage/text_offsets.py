"""Offsets that arrive with a text refer to that text as the file gives it.

Every importer that reads offsets (Quire's JSONL, and any other tool's format) goes
through ``GivenText``: it holds the text as given and the text Quire stores
(``models.document.normalise_text``: line endings become ``\\n``, a leading U+FEFF is
removed, nothing else), refuses a text Quire cannot store (a NUL character), and carries
each given ``[start, end)`` to the stored text, checking it against the given text first::

    given = GivenText.of(record["text"])           # ValueError: the text cannot be stored
    start, end = given.range(raw_start, raw_end, raw_text_or_None, "span")
    # AnnotationError: outside the given text, empty, only white space, or raw_text is
    # not what the given text holds there

Offsets are Python ``str`` indices (code points), half-open. A format reader can thus
hand over the text and the offsets exactly as its file has them; nothing else needs to
know about the normalisation.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from models.annotation import AnnotationError, validate_range
from models.document import dropped_offsets, normalise_text


@dataclass(frozen=True)
class GivenText:
    given: str  # the text as the file gives it
    text: str  # what Quire stores
    dropped: tuple[int, ...]  # offsets into ``given`` of the characters not stored

    @classmethod
    def of(cls, given: str) -> GivenText:
        """Raises ValueError (one line, with the offset) for a text Quire refuses: one
        holding a NUL character, which text tools and Qt treat as an end of text."""
        nul = given.find("\x00")
        if nul >= 0:
            raise ValueError(f"text contains a NUL character (U+0000) at offset {nul}; remove it")
        return cls(given, normalise_text(given), tuple(dropped_offsets(given)))

    def offset(self, given_offset: int) -> int:
        """The stored offset of ``given_offset`` (an offset between ``\\r`` and ``\\n``
        maps to the ``\\n``)."""
        return given_offset - bisect_left(self.dropped, given_offset)

    def range(
        self, start: object, end: object, covered: object = None, what: str = "span"
    ) -> tuple[int, int]:
        """The stored ``[start, end)`` of a range given with the text; ``covered`` is the
        text the file says the range holds (``None``: not stated). Raises ValueError (or
        its subclass AnnotationError) naming ``what`` when the offsets are not integers, lie
        outside the given text, cover only white space, or ``covered`` differs from the given
        text there."""
        if type(start) is not int or type(end) is not int:
            raise ValueError(f"{what} needs integer start and end")
        if not 0 <= start < end <= len(self.given):
            raise AnnotationError(f"range {start}-{end} is outside the text (0-{len(self.given)}) or empty")
        if covered is not None and covered != self.given[start:end]:
            raise AnnotationError(
                f"{what} text {covered!r} does not match the text as given at {start}-{end} "
                f"({self.given[start:end]!r})"
            )
        stored = self.offset(start), self.offset(end)
        validate_range(self.text, *stored)
        return stored
