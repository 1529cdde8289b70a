"""Spans and claims: the annotations analysts make and review."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SourceKind(StrEnum):
    NAMED_PERSON = "named_person"
    NAMED_ORGANISATION = "named_organisation"
    ANONYMOUS_OFFICIAL = "anonymous_official"
    DOCUMENT_REPORT = "document_report"
    UNATTRIBUTED = "unattributed"


class CueKind(StrEnum):
    """What kind of attribution a claim's cue makes (docs/claims-guide.md, "cue_kind")."""

    SPEECH = "speech"  # said, told, added, denied ...
    ACCORDING_TO = "according_to"
    EVIDENCE = "evidence"  # a poll, study, report or records show / found / indicate
    QUESTION = "question"  # asked whether / why
    ANSWER = "answer"  # responded, replied
    CALL = "call"  # called on X to, urged, demanded, vowed, promised
    EVALUATION = "evaluation"  # praised, criticised, accused X of
    ATTITUDE = "attitude"  # believes, hopes, fears, expects, wants
    NO_VERB = "no_verb"  # "Name: '...'", "in a statement", "on Twitter"
    INTERVIEW = "interview"  # an answer turn of an interview transcript
    RESPONSIBILITY = "responsibility"  # "was claimed by X", "claimed responsibility"
    HEARSAY = "hearsay"  # reportedly, allegedly


class ClaimKind(StrEnum):
    """A reported statement, or a claim of responsibility for an act ("the attack was
    claimed by X" says that X did it)."""

    STATEMENT = "statement"
    RESPONSIBILITY = "responsibility"


class Certainty(StrEnum):
    ASSERTED = "asserted"
    HEDGED = "hedged"
    UNCONFIRMED = "unconfirmed"
    DENIED = "denied"


class AnnotationError(ValueError):
    """An annotation that cannot be stored as asked (bounds, emptiness, duplicates)."""


@dataclass(frozen=True)
class Origin:
    """Who or what made an annotation: ``manual``, ``spacy:en_core_web_sm@3.8.0``,
    ``rules:claims@1``."""

    kind: str
    name: str = ""
    version: str = ""

    MANUAL = "manual"

    def __str__(self) -> str:
        if not self.name:
            return self.kind
        return f"{self.kind}:{self.name}" + (f"@{self.version}" if self.version else "")

    @classmethod
    def parse(cls, text: str) -> Origin:
        kind, _, rest = text.partition(":")
        name, _, version = rest.partition("@")
        return cls(kind, name, version)

    @property
    def is_manual(self) -> bool:
        return self.kind == self.MANUAL


MANUAL = str(Origin(Origin.MANUAL))


@dataclass(frozen=True)
class Span:
    doc_id: int
    start: int
    end: int
    label: str
    text: str
    status: Status = Status.ACCEPTED
    origin: str = MANUAL
    annotator: str = ""
    id: int | None = None
    created: str = ""
    updated: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        """Identity of a span for duplicate checks and for remembering rejections."""
        return (self.start, self.end, self.label)

    def with_changes(self, **changes: object) -> Span:
        return replace(self, **changes)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Claim:
    """A reported statement: content (required), cue, and source.

    The source is a mention in the text (``source_start``/``source_end``, e.g. "He"),
    optionally linked to the entity span it refers to (``source_span_id``), and/or a free
    text name (``source_text``) when the source is not an entity in the text.
    """

    doc_id: int
    content_start: int
    content_end: int
    cue_start: int | None = None
    cue_end: int | None = None
    source_start: int | None = None
    source_end: int | None = None
    source_span_id: int | None = None
    source_text: str = ""
    source_kind: SourceKind = SourceKind.UNATTRIBUTED
    certainty: Certainty = Certainty.ASSERTED
    status: Status = Status.ACCEPTED
    origin: str = MANUAL
    annotator: str = ""
    note: str = ""
    cue_kind: CueKind | None = None  # None: not stated (a manual claim)
    claim_kind: ClaimKind = ClaimKind.STATEMENT
    id: int | None = None
    created: str = ""
    updated: str = ""

    def with_changes(self, **changes: object) -> Claim:
        return replace(self, **changes)

    @property
    def key(self) -> tuple[int, int, int | None, int | None]:
        """Identity of a claim suggestion: its content and cue offsets."""
        return (self.content_start, self.content_end, self.cue_start, self.cue_end)

    def core_content(self, text: str) -> tuple[int, int]:
        """The content range without white space, punctuation and quotation marks at its
        edges (code points into ``text``, the document's text): two claims with the same
        core say the same thing, whether or not one kept the final period or the quotes."""
        start, end = self.content_start, self.content_end
        while start < end and (text[start].isspace() or text[start] in _EDGE_MARKS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_MARKS):
            end -= 1
        return start, end

    def parts(self) -> dict[str, tuple[int, int] | None]:
        """The three text ranges of the claim, ``None`` where a part is unset."""

        def pair(a: int | None, b: int | None) -> tuple[int, int] | None:
            return (a, b) if a is not None and b is not None else None

        return {
            "content": (self.content_start, self.content_end),
            "cue": pair(self.cue_start, self.cue_end),
            "source": pair(self.source_start, self.source_end),
        }


def validate_range(text: str, start: int, end: int) -> None:
    """Bounds and non-emptiness of a half-open code-point range over ``text``."""
    if not (0 <= start < end <= len(text)):
        raise AnnotationError(f"range {start}-{end} is outside the text (0-{len(text)}) or empty")
    if not text[start:end].strip():
        raise AnnotationError(f"range {start}-{end} covers only white space")


def has_whitespace_edge(text: str) -> bool:
    """Whether ``text`` starts or ends with white space (``str.isspace``, as spaCy's
    ``Token.is_space``): an entity must not, and ``spacy debug data`` reports one that does."""
    return bool(text) and (text[0].isspace() or text[-1].isspace())


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the white space at its edges (empty when it is all white
    space: ``start == end``). The GUI's snapping and the importers trim the same way."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def trim_claim(text: str, claim: Claim) -> Claim:
    """``claim`` with the white space at the edges of its content, cue and source mention
    trimmed (``trim_whitespace``; ``text`` is the document's). A cue or source that is all
    white space is unset; a content that is, becomes empty (``validate_claim`` refuses it)."""
    changes: dict[str, int | None] = {}
    for name, part in claim.parts().items():
        if part is None:
            continue
        start, end = trim_whitespace(text, *part) if 0 <= part[0] <= part[1] <= len(text) else part
        if start == end and name != "content":
            start = end = None
        if (start, end) != part:
            changes.update({f"{name}_start": start, f"{name}_end": end})
    return claim.with_changes(**changes) if changes else claim


def validate_span(text: str, span: Span, existing: list[Span]) -> None:
    """Raise AnnotationError unless ``span`` may be added beside ``existing`` spans."""
    validate_range(text, span.start, span.end)
    if span.text != text[span.start : span.end]:
        raise AnnotationError(
            f"span text {span.text!r} does not match the document at {span.start}-{span.end}"
        )
    for other in existing:
        if other.key == span.key and other.id != span.id and other.status != Status.REJECTED:
            raise AnnotationError(f"{span.label} span {span.start}-{span.end} ({span.text!r}) already exists")


def validate_claim(text: str, claim: Claim) -> None:
    for name, part in claim.parts().items():
        if part is None:
            continue
        try:
            validate_range(text, *part)
        except AnnotationError as exc:
            raise AnnotationError(f"claim {name}: {exc}") from None


class RangeSet:
    """Half-open code-point ranges that answer "does [start, end) overlap any of them?"
    in O(log n): the ranges sorted by start with a running maximum of their ends."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach: list[int] = []  # the furthest end among the first i + 1 ranges
        for _, end in ordered:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)  # ranges that start before ``end``
        return (
            before > 0 and self._reach[before - 1] > start
        )  # Marks a claim's content may keep or drop at its edges without saying anything else.


_EDGE_MARKS = frozenset(".,;:!?\"'\u2018\u2019\u201c\u201d\u00ab\u00bb()[]\u2026-\u2013\u2014")
