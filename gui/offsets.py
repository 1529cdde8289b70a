"""The one conversion between stored offsets (Python code points) and Qt positions
(UTF-16 code units in a ``QTextDocument``).

Where the two differ:
- a character outside the Basic Multilingual Plane (an emoji, say) is one code point but
  two UTF-16 units, so it shifts every later Qt position by one;
- ``QTextDocument`` keeps no position for a U+FEFF at the very start of the text (it
  takes it for a byte-order mark) nor for the ``\\r`` of a ``\\r\\n`` (one block break).

Every other character keeps one position, though Qt may show it differently: ``\\n``,
``\\r``, U+2029, U+FDD0 and U+FDD1 become block breaks (``BLOCK_BREAK``), U+2028 a line
break inside a block. Import normalises ``\\r`` and a leading U+FEFF away
(``models.document.normalise_text``); the map handles texts stored before that, or by
other means, exactly all the same.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate

# Characters that are one code point but not one Qt position: astral ones take two,
# a leading U+FEFF and the \r of \r\n take none. The pattern finds the candidates (a
# pattern that starts with a character set is scanned for fast: 0.06 s instead of 0.4 s
# over 5 MB); ``_uneven_shift`` keeps those that are uneven.
_UNEVEN = re.compile("[\U00010000-\U0010ffff\r\ufeff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# QTextDocument starts a new block after each of these (\r\n is one break). Every
# alternative starts with one character, again for the fast scan.
BLOCK_BREAK = re.compile("\r\n?|\n|\u2029|\ufdd0|\ufdd1")
_OTHER_BREAKS = ("\r", "\u2029", "\ufdd0", "\ufdd1")


def block_starts(text: str) -> list[int]:
    """Code point where each block ``QTextDocument`` makes of ``text`` starts (after each
    ``BLOCK_BREAK``); ``[0]`` for a text without one."""
    if any(char in text for char in _OTHER_BREAKS):
        return [0] + [match.end() for match in BLOCK_BREAK.finditer(text)]
    # line breaks only (what import stores): splitting is a tenth of the pattern's scan
    return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


class OffsetMap:
    """Built once per document text; conversions are binary searches."""

    def __init__(self, text: str, end: int | None = None) -> None:
        """``end``: map the first ``end`` code points only (a long text shown a part at a
        time); ``extend`` maps more. Conversions are exact up to ``mapped``."""
        self.length = len(text)
        self._text = text
        # what to look for: "\r" and a leading U+FEFF are rare and slow to map; an ASCII
        # text has nothing to map
        if "\r" in text or text.startswith("\ufeff"):
            self._pattern: re.Pattern | None = _UNEVEN
        else:
            self._pattern = None if text.isascii() else _ASTRAL
        self._starts: list[int] = []  # offset of each uneven character
        self._shift = [0]  # Qt position minus offset after the first k uneven characters
        self._qt_starts: list[int] = []  # Qt position of each uneven character
        self.mapped = 0
        self.extend(self.length if end is None else end)

    def extend(self, end: int) -> None:
        """Map the text up to code point ``end`` as well."""
        if end <= self.mapped:
            return
        text, starts, shift, qt_starts = self._text, self._starts, self._shift, self._qt_starts
        if self._pattern is _ASTRAL:  # astral characters only: each shifts the rest by one
            found = [match.start() for match in _ASTRAL.finditer(text, self.mapped, end)]
            before = len(starts)
            starts.extend(found)
            shift.extend(range(before + 1, before + len(found) + 1))
            qt_starts.extend(start + before + k for k, start in enumerate(found))
        elif self._pattern is not None:
            for match in _UNEVEN.finditer(text, self.mapped, end):
                step = _uneven_shift(text, match)
                if step:
                    qt_starts.append(match.start() + shift[-1])
                    starts.append(match.start())
                    shift.append(shift[-1] + step)
        self.mapped = end
        if starts:
            self.__dict__.pop("to_qt", None)
            self.__dict__.pop("from_qt", None)
        else:  # most texts: both conversions are the identity
            self.to_qt = self.from_qt = _identity  # type: ignore[method-assign]

    def to_qt(self, offset: int) -> int:
        """Qt position of code-point ``offset`` (of the next shown character when the
        character there has no position of its own)."""
        return offset + self._shift[bisect_left(self._starts, offset)]

    def from_qt(self, position: int) -> int:
        """Code-point offset of Qt ``position``: of the character shown there (so never a
        character Qt does not keep); a position inside a surrogate pair maps to the start
        of its character."""
        k = bisect_left(self._qt_starts, position)
        qt_starts, shift = self._qt_starts, self._shift
        while k < len(qt_starts) and qt_starts[k] == position and shift[k + 1] < shift[k]:
            k += 1  # not kept by Qt: the position belongs to the character after it
        return position - shift[k]


def _uneven_shift(text: str, match: re.Match) -> int:
    """How a candidate of ``_UNEVEN`` shifts later Qt positions: +1 for an astral
    character, -1 for a leading U+FEFF or the \\r of \\r\\n, 0 for any other."""
    char = match.group()
    if char > "\uffff":
        return 1
    if char == "\r":
        return -1 if text.startswith("\n", match.end()) else 0
    return -1 if match.start() == 0 else 0


def _identity(position: int) -> int:
    return position
