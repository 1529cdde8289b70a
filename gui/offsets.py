"""The one conversion between stored offsets (Python code points) and Qt positions
(UTF-16 code units). A character outside the Basic Multilingual Plane (an emoji, say)
is one code point but two UTF-16 units, so it shifts every later Qt position by one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Built once per document text; conversions are binary searches."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
        # Qt position just after each astral character (its two units)
        self._astral_qt_end = [a + k + 2 for k, a in enumerate(self._astral)]
        if not self._astral:  # most texts: both conversions are the identity
            self.to_qt = self.from_qt = _identity  # type: ignore[method-assign]

    def to_qt(self, offset: int) -> int:
        """Qt position of code-point ``offset``."""
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of Qt ``position``; a position inside a surrogate pair maps
        to the start of its character."""
        before = bisect_right(self._astral_qt_end, position)
        offset = position - before
        if before < len(self._astral) and offset > self._astral[before]:
            offset = self._astral[before]
        return offset


def _identity(position: int) -> int:
    return position
