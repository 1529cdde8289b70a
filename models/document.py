"""Documents and the parsing of plain-text articles into title, text and source."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DocStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass
class Document:
    title: str
    text: str
    source: str = ""
    published: str = ""
    language: str = "en"
    meta: dict[str, Any] = field(default_factory=dict)
    status: DocStatus = DocStatus.NEW
    id: int | None = None

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def language_tag(value: str) -> str:
    """``value`` as a BCP 47 language tag in its usual case (``EN`` -> ``en``, ``pt_br`` ->
    ``pt-BR``, ``zh-hant`` -> ``zh-Hant``): the language lower-case, a two-letter region
    upper-case, a four-letter script title-case; ValueError (one line) when it is not
    shaped like a tag (``English``, ``../x``)."""
    given = value.strip()
    if not _LANGUAGE_TAG.fullmatch(given):
        raise ValueError(f"language {value!r} is not a language tag such as en, de or pt-BR")
    first, *rest = given.replace("_", "-").split("-")
    parts = [first.lower()]
    for part in rest:
        if len(part) == 2 and part.isalpha():
            parts.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def primary_language(tag: str) -> str:
    """The language of a BCP 47 tag, which picks the pipeline and the tokenizer:
    ``en-US`` -> ``en``."""
    return tag.replace("_", "-").split("-")[0].lower()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The only changes import makes to a text: line endings become "\n", and a byte-order mark
# at the very start (an encoding artefact, which Qt's text view drops) is removed.
_DROPPED = re.compile("\\A\ufeff|\r(?=\n)")


def normalise_text(raw: str) -> str:
    """The text Quire stores for ``raw``: ``\\r\\n`` and ``\\r`` become ``\\n`` and a leading
    U+FEFF is removed; nothing else changes. ``dropped_offsets`` says where characters
    went, so that offsets given with ``raw`` can be carried (``storage.text_offsets``)."""
    if "\r" not in raw and not raw.startswith("\ufeff"):
        return raw
    return _DROPPED.sub("", raw).replace("\r", "\n")


def dropped_offsets(raw: str) -> list[int]:
    """Offsets into ``raw`` (ascending) of the characters ``normalise_text`` removes; every
    other character keeps its place, shifted left by the removals before it."""
    if "\r" not in raw and not raw.startswith("\ufeff"):
        return []
    return [m.start() for m in _DROPPED.finditer(raw)]


# A trailing attribution line such as "source site-64" (wire copy boilerplate), and the
# date line "published 2026-03-09" (ISO 8601) that may follow or precede it.
_SOURCE_LINE = re.compile(r"^\s*source\s+(?P<source>\S.*?)\s*$", re.IGNORECASE)
_PUBLISHED_LINE = re.compile(
    r"^\s*published\s+(?P<published>\d{4}-\d{2}-\d{2}(?:[T ][\d:+Z.-]*)?)\s*$", re.IGNORECASE
)
# Boilerplate cross-links inside wire copy ("• Read also: ..."): not part of the story.
_READ_ALSO = re.compile(r"^\s*[•*-]?\s*(read also|see also|also read)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    source: str
    published: str = ""


def parse_plain_article(raw: str) -> ParsedArticle:
    """Split a .txt/.md article: first non-empty line is the title, trailing
    ``source ...`` and ``published YYYY-MM-DD`` lines (either order) become the source
    and the publication date, the rest (trimmed of blank edges) is the text.

    Raises ValueError when there is no title or no body.
    """
    lines = normalise_text(raw).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ValueError("the file is empty")
    title = lines.pop(0).strip().lstrip("#").strip()
    while lines and not lines[-1].strip():
        lines.pop()
    found = {"source": "", "published": ""}
    for _ in range(2):
        for pattern in (_SOURCE_LINE, _PUBLISHED_LINE):
            match = pattern.match(lines[-1]) if lines else None
            if match and not any(found[name] for name in match.groupdict()):
                found.update(match.groupdict())
                lines.pop()
                while lines and not lines[-1].strip():
                    lines.pop()
    body = "\n".join(_without_boilerplate(lines)).strip("\n")
    if not body.strip():
        raise ValueError("the article has a title but no text")
    return ParsedArticle(title=title, text=body, source=found["source"], published=found["published"])


def _without_boilerplate(lines: list[str]) -> list[str]:
    """Drop cross-link lines and the blank line that separated each from the story."""
    kept: list[str] = []
    skip_blank = False
    for line in lines:
        if _READ_ALSO.match(line):
            skip_blank = True
            continue
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        kept.append(line)
    return kept
