"""Canonical entities out of Quire: the ``entities`` format (one JSON object per entity,
with aliases and counts of accepted mentions) and the ``patterns`` format (spaCy
``EntityRuler`` / ``SpanRuler`` patterns, one per name and alias, each with the entity's
``id``, which the ruler copies to ``ent.ent_id_``).

Both read the repository directly (there is no per-document pass): ``write_entities``
is called by the export driver instead of the document loop.

``entities`` record: ``id``, ``kb_id`` (the external id the analyst typed, else
``quire:<id>``), ``name``, ``label``, ``aliases``, ``note``, ``external_id``,
``mentions`` and ``documents`` (accepted links only), ``created``.
``patterns`` record: ``{"label": LABEL, "pattern": NAME, "id": KB_ID}`` — the shape
spaCy's ``EntityRuler.from_disk`` reads from a ``.jsonl`` file. Names are exact phrase
patterns; the ruler matches them case-sensitively, so each spelling is its own pattern.
"""

from __future__ import annotations

from typing import Any

from storage.exporters.base import AtomicFile, ExportReport
from storage.exporters.claims import dumps
from storage.repository import Repository

ENTITY_FORMATS = ("entities", "patterns")


def entity_record(entity, mentions: int, documents: int) -> dict[str, Any]:
    return {
        "id": entity.id,
        "kb_id": entity.kb_id,
        "name": entity.name,
        "label": entity.label,
        "aliases": list(entity.aliases),
        "note": entity.note,
        "external_id": entity.external_id,
        "mentions": mentions,
        "documents": documents,
        "created": entity.created,
    }


def write_entities(repo: Repository, fmt: str, file: AtomicFile, report: ExportReport) -> None:
    """Write every canonical entity as ``fmt`` (``entities`` or ``patterns``) to ``file``;
    ``report.entities`` counts the entities written."""
    out = file.open("w")
    for entity, mentions, documents in repo.entities.iter_entities():
        report.entities += 1
        if fmt == "entities":
            out.write(dumps(entity_record(entity, mentions, documents)) + "\n")
            continue
        for name in dict.fromkeys((entity.name, *entity.aliases)):
            out.write(dumps({"label": entity.label, "pattern": name, "id": entity.kb_id}) + "\n")
