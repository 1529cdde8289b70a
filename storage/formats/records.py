"""What a format reader yields, and its conversion into a record of Quire's JSONL shape.

A reader gives the text exactly as the file has it and annotation offsets (code points,
half-open) into that text. ``to_record`` carries the offsets through the one change
Quire makes to imported text (line endings become ``\\n``), maps labels through the
``[import]`` table of ``resources/label_map.toml`` and gives every span and claim its
status and origin (``import:FORMAT``). ``storage.importers`` then stores the record
exactly as it stores a line of Quire's JSONL, so every offset is checked against the
text in one place (``storage.exporters.jsonl.restore_annotations``).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from models.annotation import Certainty, SourceKind, Status
from models.document import language_tag
from models.labels import LabelSet
from models.nlp.entities import LABEL_MAP_PATH
from models.resources import default_labels

Range = tuple[int, int]
MIB = 1024 * 1024


def over_limit(size: int, limit: int, what: str = "file") -> str:
    """The one-line refusal of ``size`` bytes over ``limit`` bytes, in MiB (2**20 bytes) and
    said so: a 20 MiB limit is not "21 MB"."""
    return f"{what} is {size / MIB:.1f} MiB, over the {limit / MIB:.0f} MiB limit; split it"


@dataclass(frozen=True)
class SourceSpan:
    start: int
    end: int
    label: str
    text: str | None = None  # the covered text as the file states it, checked on import


@dataclass(frozen=True)
class SourceClaim:
    content: Range
    cue: Range | None = None
    source: Range | None = None
    source_span: int | None = None  # index into SourceDocument.spans of the source entity
    source_kind: str = ""  # a models.annotation.SourceKind value, "" when the file has none
    certainty: str = ""  # a models.annotation.Certainty value, "" when the file has none
    note: str = ""


@dataclass
class SourceDocument:
    where: str  # "file", "file:line" or "file#item" for the report
    text: str  # exactly as the file gives it
    title: str = ""
    source: str = ""
    published: str = ""
    language: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[SourceSpan] = field(default_factory=list)
    claims: list[SourceClaim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadProblem:
    where: str
    message: str  # one line: what is wrong and, where it helps, what to do


@dataclass(frozen=True)
class ReadContext:
    """What readers get from the importer: its UTF-8 text reader (size, binary and
    encoding checks with one-line ValueErrors) and its size limit in bytes."""

    read_text: Callable[[Path], str]
    max_bytes: int


@dataclass(frozen=True)
class ImportLabels:
    """Labels of other tools -> Quire labels. A label in the ``[import]`` table becomes
    its target, a label of the project's set stays; any other label is kept as it is
    and counted, so that a run can name it once."""

    targets: Mapping[str, str]
    known: frozenset[str]

    @classmethod
    def from_toml(cls, path: Path = LABEL_MAP_PATH, labels: LabelSet | None = None) -> ImportLabels:
        """Raises ValueError for a malformed table."""
        labels = labels if labels is not None else default_labels()
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("import", {})
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML ({exc})") from None
        if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
            raise ValueError(f'{path}: [import] entries must be label names, e.g. PER = "PERSON"')
        return cls(dict(table), frozenset(labels.names) | frozenset(table.values()))

    def target(self, label: str) -> str:
        return self.targets.get(label, label)

    def is_known(self, label: str) -> bool:
        return label in self.targets or label in self.known


@dataclass
class ImportOptions:
    """One import run's choices and what it noticed across files."""

    as_suggestions: bool = False
    labels: ImportLabels = field(default_factory=ImportLabels.from_toml)
    unknown_labels: Counter[str] = field(default_factory=Counter)

    @property
    def status(self) -> Status:
        return Status.SUGGESTED if self.as_suggestions else Status.ACCEPTED

    def unknown_labels_line(self) -> str:
        """One line naming the labels kept under their own names ("" when none)."""
        if not self.unknown_labels:
            return ""
        names = ", ".join(f"{label} ({n})" for label, n in sorted(self.unknown_labels.items()))
        return (
            f"labels not in the label set nor in [import] of resources/label_map.toml, "
            f"kept as they are: {names}"
        )


def normalised(text: str) -> tuple[str, Callable[[int], int]]:
    """Quire's stored text for ``text`` (``\\r\\n`` and ``\\r`` become ``\\n``) and the map
    of an offset into ``text`` to the same place in it. An offset between ``\\r`` and
    ``\\n`` maps to the ``\\n``."""
    removed = (
        [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"] if "\r" in text else []
    )
    stored = text.replace("\r\n", "\n").replace("\r", "\n")
    if not removed:
        return stored, lambda offset: offset
    return stored, lambda offset: offset - bisect_left(removed, offset)


_TAG_PREFIXES = ("B-", "I-", "L-", "U-", "E-", "S-")


def odd_label(label: str) -> str:
    """Why ``label`` cannot be written as a CoNLL/IOB tag as it is ("" when it can): it
    holds whitespace, is ``O`` (IOB's "outside") or starts with a tag prefix. (An empty
    label is refused where the record is stored.)"""
    if any(character.isspace() for character in label):
        return "holds a space (a CoNLL export writes it with underscores)"
    if label == "O":
        return 'is "O", which IOB tags use for "outside any entity"'
    if label.upper().startswith(_TAG_PREFIXES):
        return f"starts with an IOB prefix (a CoNLL export would write B-{label})"
    return ""


_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)


def markup(text: str) -> bool:
    """Whether ``text`` holds an HTML/XML tag or comment (``<b>``, ``</td>``, ``<!-- -->``)."""
    return _TAG.search(text) is not None


def _without_markup(spans: list[SourceSpan], warnings: list[str]) -> list[SourceSpan]:
    """``spans`` with markup taken out of their labels (``<b>LOC</b>`` is ``LOC``), each
    such label named once; a span whose label is only markup is left out."""
    kept, named = [], set()
    for span in spans:
        if not markup(span.label):
            kept.append(span)
            continue
        clean = " ".join(_TAG.sub(" ", span.label).split())
        if span.label not in named:
            named.add(span.label)
            warnings.append(
                f"label {span.label!r} holds markup; read as {clean!r}"
                if clean
                else f"label {span.label!r} is only markup; its spans are not imported"
            )
        if clean:
            kept.append(replace(span, label=clean))
    return kept


def to_record(doc: SourceDocument, format_name: str, options: ImportOptions) -> dict[str, Any]:
    """A record of Quire's JSONL shape for ``doc``: text normalised, offsets carried,
    labels mapped, status and origin set. A label that an IOB export cannot write as it
    is (``odd_label``) is kept, with a warning added to ``doc.warnings``."""
    text, carry = normalised(doc.text)
    origin = f"import:{format_name}"
    status = options.status.value

    def part(where: Range | None) -> dict[str, int] | None:
        return None if where is None else {"start": carry(where[0]), "end": carry(where[1])}

    spans = []
    doc.spans = _without_markup(doc.spans, doc.warnings)
    for label in sorted({span.label for span in doc.spans}):
        odd = odd_label(label)
        if odd:
            doc.warnings.append(f"label {label!r} {odd}; kept as it is")
    for span in doc.spans:
        if span.label and not options.labels.is_known(span.label):  # an empty one is refused later
            options.unknown_labels[span.label] += 1
        record: dict[str, Any] = {**part((span.start, span.end)), "label": options.labels.target(span.label)}
        if span.text is not None:
            record["text"] = span.text.replace("\r\n", "\n").replace("\r", "\n")
        spans.append({**record, "status": status, "origin": origin})
    claims = [_claim_record(claim, part, status, origin, doc.warnings) for claim in doc.claims]
    meta = {key: value for key, value in doc.meta.items() if value not in ("", None, [], {})}
    return {
        "text": text,
        "title": doc.title,
        "source": doc.source,
        "published": doc.published,
        "language": _language(doc),
        "meta": {**meta, "format": format_name},
        "spans": spans,
        "claims": claims,
    }


def _claim_record(
    claim: SourceClaim,
    part: Callable[[Range | None], dict | None],
    status: str,
    origin: str,
    warnings: list[str],
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "content": part(claim.content),
        "cue": part(claim.cue),
        "source": part(claim.source),
        "source_span_index": claim.source_span,
        "status": status,
        "origin": origin,
        "note": claim.note,
    }
    for key, kind, value in (
        ("source_kind", SourceKind, claim.source_kind),
        ("certainty", Certainty, claim.certainty),
    ):
        if value in {member.value for member in kind}:
            record[key] = value
        elif value:
            choices = ", ".join(member.value for member in kind)
            warnings.append(f"claim {key} {value!r} is not one of {choices}; left at the default")
    return record


def _language(doc: SourceDocument) -> str:
    """The file's language as a tag (``EN-us`` -> ``en-US``); one the file names that is not
    a tag (``English``) is read as ``en`` with a warning, keeping the document."""
    try:
        return language_tag(doc.language or "en")
    except ValueError as exc:
        doc.warnings.append(f"{exc}; read as en")
        return "en"
