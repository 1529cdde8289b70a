"""The ``claims`` format: one JSON object per document with its claims, for analysis.

Each claim: ``content``, ``cue`` and ``source`` as ``{start, end, text}`` (or null),
``source_span`` (the entity span the source is linked to, with its label, or null),
``source_text`` (the free-text name as stored), ``source_name`` (who made the claim,
resolved: the linked entity, else the free-text name, else the source mention),
``source_kind``, ``certainty``, ``cue_kind`` (what kind of attribution: speech, evidence,
call, ...; null when not stated), ``claim_kind`` (statement or responsibility), ``status``,
``origin``, ``annotator``, ``note``, ``created``, and ``source_entity`` (the canonical
entity of the source, ``{id, kb_id, name, label}``, through a direct link or the source
span's accepted link; null when unlinked).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from models.annotation import Certainty, Claim, ClaimKind, CueKind, SourceKind, Span, Status
from storage.exporters.base import AtomicFile, ExportItem, ExportReport

if TYPE_CHECKING:
    from models.entities import Entity
    from storage.entities import EntityStore


def text_part(text: str, start: int | None, end: int | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {"start": start, "end": end, "text": text[start:end]}


def claim_record(claim: Claim, text: str, linked: dict[int, Span]) -> dict[str, Any]:
    source_span = linked.get(claim.source_span_id) if claim.source_span_id is not None else None
    source = text_part(text, claim.source_start, claim.source_end)
    if source_span is not None:
        source_name: str | None = source_span.text
    else:
        source_name = claim.source_text or (source["text"] if source else None)
    return {
        "content": text_part(text, claim.content_start, claim.content_end),
        "cue": text_part(text, claim.cue_start, claim.cue_end),
        "source": source,
        "source_span": None
        if source_span is None
        else {
            "start": source_span.start,
            "end": source_span.end,
            "text": source_span.text,
            "label": source_span.label,
        },
        "source_text": claim.source_text,
        "source_name": source_name,
        "source_kind": SourceKind(claim.source_kind).value,
        "certainty": Certainty(claim.certainty).value,
        "cue_kind": None if claim.cue_kind is None else CueKind(claim.cue_kind).value,
        "claim_kind": ClaimKind(claim.claim_kind).value,
        "status": Status(claim.status).value,
        "origin": claim.origin,
        "annotator": claim.annotator,
        "note": claim.note,
        "created": claim.created,
    }


def dumps(record: dict[str, Any]) -> str:
    """One JSON Lines record: UTF-8 text as it is, except the line breaks of Unicode that
    JSON leaves raw (a reader splitting with ``str.splitlines`` would cut the record)."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return line.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def source_entity(entity: Entity | None) -> dict[str, Any] | None:
    """The canonical entity of a claim's source as exported (or None when unlinked)."""
    if entity is None:
        return None
    return {"id": entity.id, "kb_id": entity.kb_id, "name": entity.name, "label": entity.label}


class ClaimsWriter:
    def __init__(self, file: AtomicFile, report: ExportReport, links: EntityStore | None = None) -> None:
        self.report = report
        self.out = file.open("w")
        self.links = links  # canonical entities: each claim's source entity

    def add(self, item: ExportItem) -> None:
        document, _spans, claims, linked = item
        record = {
            "doc_id": document.id,
            "title": document.title,
            "text": document.text,
            "claims": [claim_record(claim, document.text, linked) for claim in claims],
        }
        sources = self.links.claim_entities([c.id for c in claims]) if self.links is not None else {}
        for claim, exported in zip(claims, record["claims"], strict=True):
            exported["source_entity"] = source_entity(sources.get(claim.id))
        self.report.claims += len(claims)
        self.report.documents_with_claims += bool(claims)
        self.out.write(dumps(record) + "\n")

    def finish(self) -> None:
        """Lines are complete as written."""

    def close(self) -> None:
        """The driver closes the file."""
