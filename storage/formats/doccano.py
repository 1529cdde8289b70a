"""doccano JSONL exports: one object per line with ``text`` and either ``label``
(``[[start, end, "LABEL"], ...]``, doccano's sequence-labelling export) or ``entities``
(``[{"start_offset", "end_offset", "label"}, ...]``, its span-and-relation export). Offsets
are code points into ``text`` as given. Other keys of the object go to ``meta``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, SourceSpan

_TEXT_KEYS = {"text", "label", "entities", "relations"}


def sniff(path: Path) -> bool:
    """Whether the first record of the JSONL file at ``path`` looks like doccano's."""
    try:
        with path.open("rb") as file:
            for line in file:
                if line.strip():
                    record = json.loads(line)
                    break
            else:
                return False
    except (OSError, ValueError, RecursionError):
        return False
    return (
        isinstance(record, dict)
        and "spans" not in record
        and (_is_triples(record.get("label")) or _is_entities(record.get("entities")))
    )


def _is_triples(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, list) and len(item) == 3 for item in value)


def _is_entities(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and "start_offset" in item for item in value
    )


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    try:
        raw = context.read_text(path)
    except (OSError, ValueError) as exc:
        yield ReadProblem(str(path), str(exc))
        return
    # Split on "\n" only: a "\r" inside a line belongs to the JSON text around it.
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield _document(where, json.loads(line))
        except json.JSONDecodeError as exc:
            yield ReadProblem(where, f"malformed JSON ({exc.msg}, column {exc.colno})")
        except RecursionError:
            yield ReadProblem(where, "JSON nested too deeply to be a document; flatten the line")
        except ValueError as exc:
            yield ReadProblem(where, str(exc))


def _document(where: str, record: Any) -> SourceDocument:
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError('each line must be a JSON object with a "text" string')
    doc = SourceDocument(where, record["text"], meta={k: v for k, v in record.items() if k not in _TEXT_KEYS})
    if _is_triples(record.get("label")):
        triples = record["label"]
    elif _is_entities(record.get("entities")):
        triples = [[e.get("start_offset"), e.get("end_offset"), e.get("label")] for e in record["entities"]]
    elif record.get("label") or record.get("entities"):
        raise ValueError('"label" must be [[start, end, "LABEL"], ...] or "entities" a list of objects')
    else:
        triples = []
    for i, (start, end, label) in enumerate(triples, start=1):
        if type(start) is not int or type(end) is not int or not isinstance(label, str):
            doc.warnings.append(
                f"label {i} {[start, end, label]!r} needs integer offsets and a label; skipped"
            )
            continue
        doc.spans.append(SourceSpan(start, end, label))
    if record.get("relations"):
        doc.warnings.append(
            f"{len(record['relations'])} relation(s) not imported (Quire stores claims, not relations)"
        )
    return doc
