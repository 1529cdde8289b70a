"""Prodigy-style JSONL: export, and reading annotations back on import.

One task per document: ``text``, ``meta`` (``doc_id``, ``title``, ``source``,
``published`` and the document's own metadata), ``tokens`` (``text, start, end, id, ws``),
``spans`` (``start, end, token_start, token_end`` with an inclusive end token as Prodigy
has it, ``label``, ``text``, ``status``, ``origin``, ``annotator``, ``created``),
``claims`` (as in the claims format, plus ``source_span_index``: the position in
``spans`` of the span the source is linked to), ``language``, ``doc_status``, ``answer``,
``_input_hash`` and ``_task_hash``.

``answer`` follows the missing-value rule (``alignment.annotation_complete``): ``"accept"``
for a document marked done, whose spans are its complete annotation; ``"ignore"`` for a
document not done, because Prodigy reads an accepted manual task as complete and would
train every unannotated token as ``O``.

A span that does not align with the tokens keeps its offsets but has no token indices;
the export report lists it. ``python main.py import`` reads the file back: into an empty
database it reproduces the documents, spans and claims (ids and update times aside).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.annotation import (
    AnnotationError,
    Certainty,
    Claim,
    ClaimKind,
    CueKind,
    SourceKind,
    Span,
    Status,
    trim_whitespace,
)
from models.document import DocStatus, Document
from storage.exporters.alignment import ExportTokenizer, align, annotation_complete, misalignment_reason
from storage.exporters.base import AtomicFile, ExportItem, ExportReport
from storage.exporters.claims import claim_record, dumps, source_entity
from storage.repository import Repository
from storage.text_offsets import GivenText

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storage.entities import EntityStore

# Origin of annotations read from a JSONL file that does not say where they came from.
IMPORTED = "import:jsonl"
_META_KEYS = ("doc_id", "title", "source", "published")


class JsonlWriter:
    def __init__(self, file: AtomicFile, report: ExportReport, links: EntityStore | None = None) -> None:
        self.report = report
        self.tokenize = ExportTokenizer()
        self.out = file.open("w")
        self.links = links  # canonical entities: accepted links give spans a kb_id

    def add(self, item: ExportItem) -> None:
        document, spans, claims, linked = item
        tokens = self.tokenize(document)
        record = task_record(document, tokens, spans, claims, linked, self.report)
        if self.links is not None:
            add_entity_links(record, spans, claims, self.links)
        self.out.write(dumps(record) + "\n")

    def finish(self) -> None:
        """Lines are complete as written."""

    def close(self) -> None:
        """The driver closes the file."""


def task_record(
    document: Document,
    tokens: Doc,
    spans: list[Span],
    claims: list[Claim],
    linked: dict[int, Span],
    report: ExportReport,
) -> dict[str, Any]:
    from murmurhash import hash as murmur

    index_of = {span.id: i for i, span in enumerate(spans)}
    claim_records = []
    for claim in claims:
        record = claim_record(claim, document.text, linked)
        record["source_span_index"] = index_of.get(claim.source_span_id)
        claim_records.append(record)
    report.claims += len(claims)
    meta = {key: value for key, value in document.meta.items() if key not in _META_KEYS}
    input_hash = murmur(json.dumps({"text": document.text}, ensure_ascii=False))
    task_key = [[s.start, s.end, s.label] for s in spans]
    complete = annotation_complete(document)
    report.count_document(complete, 0)
    return {
        "text": document.text,
        "meta": {
            "doc_id": document.id,
            "title": document.title,
            "source": document.source,
            "published": document.published,
            **meta,
        },
        "language": document.language,
        "doc_status": DocStatus(document.status).value,
        "tokens": token_records(tokens, document.text),
        "spans": span_records(tokens, document, spans, report),
        "claims": claim_records,
        "answer": "accept" if complete else "ignore",
        "_input_hash": input_hash,
        "_task_hash": murmur(json.dumps([input_hash, task_key], ensure_ascii=False)),
    }


def add_entity_links(
    record: dict[str, Any], spans: list[Span], claims: list[Claim], links: EntityStore
) -> None:
    """Canonical entities into a task: ``kb_id`` on each span with an accepted link (the
    key spaCy's entity linker and Prodigy's ``kb_id`` use), ``source_entity`` on each
    claim whose source is linked."""
    kb = links.accepted_links([s.id for s in spans if s.id is not None])
    for span, span_record in zip(spans, record["spans"], strict=True):
        if span.id in kb:
            span_record["kb_id"] = kb[span.id].kb_id
    sources = links.claim_entities([c.id for c in claims if c.id is not None])
    for claim, exported in zip(claims, record["claims"], strict=True):
        exported["source_entity"] = source_entity(sources.get(claim.id))


def span_records(tokens: Doc, document: Document, spans: list[Span], report: ExportReport) -> list[dict]:
    """Every span, with Prodigy's token indices where it aligns (the report lists the
    others)."""
    records = []
    for span, token_span in align(tokens, document, spans, report, "exported without token indices"):
        record = {"start": span.start, "end": span.end}
        if token_span is not None:
            record.update(token_start=token_span.start, token_end=token_span.end - 1)
        record.update(
            label=span.label,
            text=span.text,
            status=Status(span.status).value,
            origin=span.origin,
            annotator=span.annotator,
            created=span.created,
        )
        records.append(record)
        report.count_span(span)
    return records


def token_records(tokens: Doc, text: str) -> list[dict[str, Any]]:
    """Prodigy's tokens of ``text``, from the Doc's arrays: making a Token object for each
    token costs more than the rest of the record."""
    from spacy.attrs import IDX, SPACY

    starts, spaces = tokens.to_array([IDX, SPACY]).T.tolist() if len(tokens) else ([], [])
    ends = [following - space for following, space in zip([*starts[1:], len(text)], spaces, strict=True)]
    return [
        {"text": text[start:end], "start": start, "end": end, "id": i, "ws": bool(space)}
        for i, (start, end, space) in enumerate(zip(starts, ends, spaces, strict=True))
    ]


@dataclass
class Restored:
    """What ``restore_annotations`` could not restore (refused) and what it restored with
    a change (warnings), one line each."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def restore_annotations(repo: Repository, doc_id: int, given: GivenText, record: dict[str, Any]) -> Restored:
    """Store the spans and claims of a JSONL record, and the document's status when the
    record has one. Offsets refer to the record's text as given (``given``) and are carried
    to the stored text; a span's ``text``, when present, is checked against the given text.
    A span with white space at an edge is stored trimmed, with a warning.

    Records from other tools (Prodigy) work too: spans without a status take the
    answer's (``reject``: rejected; ``ignore``, an example the annotator skipped:
    suggested, left to review; else accepted), without an origin ``import:jsonl``,
    without an annotator the record's ``_annotator_id`` or the repository's annotator."""
    restored = Restored()
    problems = restored.problems
    defaults = _Defaults(
        _ANSWER_STATUS.get(record.get("answer"), Status.ACCEPTED),
        _string(record, "_annotator_id", "") or repo.annotator,
    )
    stored = _restore_spans(repo, doc_id, given, _list(record, "spans", problems), defaults, restored)
    _restore_claims(repo, doc_id, given, _list(record, "claims", problems), stored, defaults, restored)
    if record.get("doc_status") is not None:
        try:
            repo.set_document_status(doc_id, DocStatus(record["doc_status"]))
        except ValueError:
            problems.append(f"unknown doc_status {record['doc_status']!r}; kept the document's status")
    return restored


def unaligned_spans(tokens: Doc, spans: list[Span]) -> list[str]:
    """A warning for each stored span whose edges are not token boundaries: it is kept as
    the file says, and an export will list it again."""
    return [
        f"{span.label} {span.start}-{span.end} {span.text!r} kept but "
        f"{misalignment_reason(tokens, span.start, span.end)}"
        for span in spans
        if tokens.char_span(span.start, span.end, alignment_mode="strict") is None
    ]


# Prodigy's answers, for spans that carry no status of their own: "ignore" is a skipped
# example, not a confirmation (our own export writes a status on every span).
_ANSWER_STATUS = {"accept": Status.ACCEPTED, "reject": Status.REJECTED, "ignore": Status.SUGGESTED}


@dataclass(frozen=True)
class _Defaults:
    """What a record from another tool leaves out."""

    status: Status
    annotator: str


def _restore_spans(
    repo: Repository, doc_id: int, given: GivenText, raws: list[Any], defaults: _Defaults, restored: Restored
) -> dict[int, Span]:
    """The stored spans by their position in the record."""
    problems = restored.problems
    candidates: list[tuple[int, Span]] = []
    for i, raw in enumerate(raws):
        try:
            span, (start, end) = _span(doc_id, given, raw, defaults)
        except ValueError as exc:
            problems.append(f"span {i + 1}: {exc}")
            continue
        candidates.append((i, span))
        if (span.start, span.end) != (start, end):
            restored.warnings.append(
                f"span {i + 1} ({span.label} {raw['start']}-{raw['end']} {given.text[start:end]!r}): "
                f"white space at its edge trimmed; stored as {span.start}-{span.end} {span.text!r}"
            )
    restored.warnings.extend(_contradictions(candidates))
    results = repo.restore_spans(doc_id, [span for _, span in candidates]) if candidates else []
    stored: dict[int, Span] = {}
    for (i, span), result in zip(candidates, results, strict=True):
        if isinstance(result, Span):
            stored[i] = result
        else:
            problems.append(f"span {i + 1} ({span.label} {span.start}-{span.end}): {result}")
    return stored


def _contradictions(candidates: list[tuple[int, Span]]) -> list[str]:
    """A warning for each span the record both accepts and rejects (both are kept: a
    rejected span may repeat another as negative evidence, but the analyst should look)."""
    accepted = {span.key: i for i, span in candidates if span.status == Status.ACCEPTED}
    return [
        f"span {i + 1} ({span.label} {span.start}-{span.end} {span.text!r}) is rejected and span "
        f"{accepted[span.key] + 1} accepts the same span; both kept: review it"
        for i, span in candidates
        if span.status == Status.REJECTED and span.key in accepted
    ]


def _restore_claims(
    repo: Repository,
    doc_id: int,
    given: GivenText,
    raws: list[Any],
    spans: dict[int, Span],
    defaults: _Defaults,
    restored: Restored,
) -> None:
    problems = restored.problems
    claims: list[tuple[int, Claim]] = []
    for i, raw in enumerate(raws):
        try:
            claim, warning = _claim(doc_id, given, raw, spans, defaults)
        except ValueError as exc:
            problems.append(f"claim {i + 1}: {exc}")
            continue
        claims.append((i, claim))
        if warning:
            problems.append(f"claim {i + 1}: {warning}")
    results = repo.restore_claims(doc_id, [claim for _, claim in claims]) if claims else []
    for (i, given_claim), result in zip(claims, results, strict=True):
        if isinstance(result, AnnotationError):
            problems.append(f"claim {i + 1}: {result}")
            continue
        trimmed = [name for name, part in given_claim.parts().items() if part != result.parts()[name]]
        if trimmed:
            restored.warnings.append(
                f"claim {i + 1}: white space at the edges of its {' and '.join(trimmed)} trimmed"
            )


def _string(raw: dict[str, Any], key: str, default: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else default


def _list(record: dict[str, Any], key: str, problems: list[str]) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f'"{key}" must be a list; none restored')
        return []
    return value


def _range(raw: Any, given: GivenText, what: str) -> tuple[int, int]:
    """``start``/``end`` of a span or claim part, given with the record's text, carried to
    the stored text (checked against its ``text``, when given). ValueError says what is
    wrong."""
    if not isinstance(raw, dict):
        raise ValueError(f"{what} must be an object with start and end")
    return given.range(raw.get("start"), raw.get("end"), raw.get("text"), what)


def _span(doc_id: int, given: GivenText, raw: Any, defaults: _Defaults) -> tuple[Span, tuple[int, int]]:
    """The span of a record, white space trimmed from its edges (an entity starts and ends
    on a word, as the window's snapping makes it), and its stored range before trimming."""
    untrimmed = _range(raw, given, "span")
    start, end = trim_whitespace(given.text, *untrimmed)
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ValueError("span has no label")
    span = Span(
        doc_id,
        start,
        end,
        label,
        given.text[start:end],
        status=Status(raw.get("status", defaults.status)),
        origin=_string(raw, "origin", "") or IMPORTED,
        annotator=_string(raw, "annotator", defaults.annotator),
        created=_string(raw, "created", ""),
    )
    return span, untrimmed


def _claim(
    doc_id: int, given: GivenText, raw: Any, spans: dict[int, Span], defaults: _Defaults
) -> tuple[Claim, str]:
    """The claim of a record (with its source linked to a restored span) and a warning
    when a link could not be restored."""
    if not isinstance(raw, dict):
        raise ValueError("must be an object")
    content = _range(raw.get("content"), given, "content")
    cue = _range(raw["cue"], given, "cue") if raw.get("cue") is not None else (None, None)
    source = _range(raw["source"], given, "source") if raw.get("source") is not None else (None, None)
    source_span_id, warning = _source_link(raw, spans)
    claim = Claim(
        doc_id,
        *content,
        *cue,
        *source,
        source_span_id=source_span_id,
        source_text=_string(raw, "source_text", ""),
        source_kind=SourceKind(raw.get("source_kind", SourceKind.UNATTRIBUTED)),
        certainty=Certainty(raw.get("certainty", Certainty.ASSERTED)),
        cue_kind=CueKind(raw["cue_kind"]) if raw.get("cue_kind") is not None else None,
        claim_kind=ClaimKind(raw.get("claim_kind", ClaimKind.STATEMENT)),
        status=Status(raw.get("status", defaults.status)),
        origin=_string(raw, "origin", "") or IMPORTED,
        annotator=_string(raw, "annotator", defaults.annotator),
        note=_string(raw, "note", ""),
        created=_string(raw, "created", ""),
    )
    return claim, warning


def _source_link(raw: dict[str, Any], spans: dict[int, Span]) -> tuple[int | None, str]:
    index = raw.get("source_span_index")
    if type(index) is int and index in spans:
        return spans[index].id, ""
    wanted = raw.get("source_span")
    if not isinstance(wanted, dict):
        if index is None:
            return None, ""
        return None, (
            f"its source_span_index {index!r} names no stored span of the record (0-based "
            "positions in its spans); kept the claim without the link"
        )
    key = (wanted.get("start"), wanted.get("end"), wanted.get("label"))
    matches = sorted((s for s in spans.values() if s.key == key), key=lambda s: s.status == Status.REJECTED)
    if matches:
        return matches[0].id, ""
    return None, (
        f"its source entity {key[2]} {key[0]}-{key[1]} is not among the record's spans; "
        "kept the claim without the link"
    )
