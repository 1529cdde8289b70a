"""doccano JSONL exports: one object per line with ``text`` and either ``label``
(``[[start, end, "LABEL"], ...]``, doccano's sequence-labelling export) or ``entities``
(``[{"start_offset", "end_offset", "label"}, ...]``, its span-and-relation export). Offsets
are code points into ``text`` as given. Other keys of the object go to ``meta``.

A ``.jsonl`` file is doccano's when any of its records has one of those lists (see
``sniff``); its records without labels import as plain documents, and a record whose
labels are of another shape (a classification export's ``["POSITIVE"]``, Quire's
``spans``) imports its text with a warning that they were ignored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, SourceSpan

_TEXT_KEYS = {"text", "label", "entities", "relations", "spans"}


def sniff(path: Path) -> bool:
    """Whether the JSONL file at ``path`` is doccano's: some record has doccano's ``label``
    or ``entities`` list. Every line is looked at (records without labels may come first,
    and a malformed line proves nothing) until the first doccano record; only lines naming
    one of those keys are parsed."""
    try:
        with path.open("rb") as file:
            for line in file:
                if b'"label"' not in line and b'"entities"' not in line:
                    continue
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):
                    continue
                if isinstance(record, dict) and _labels(record) is not None:
                    return True
    except OSError:
        return False
    return False


def _labels(record: dict[str, Any]) -> list | None:
    """The record's doccano labels as ``[start, end, label]`` lists, or None when it has
    neither layout."""
    if _is_triples(record.get("label")):
        return record["label"]
    if _is_entities(record.get("entities")):
        return [[e.get("start_offset"), e.get("end_offset"), e.get("label")] for e in record["entities"]]
    return None


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
    triples = _labels(record)
    if triples is None:
        triples = []
        for key in ("label", "entities", "spans"):
            if record.get(key):
                doc.warnings.append(
                    f'"{key}" ignored: doccano\'s labels are "label": [[start, end, "LABEL"], ...] '
                    'or "entities": [{"start_offset", "end_offset", "label"}, ...]'
                )
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
