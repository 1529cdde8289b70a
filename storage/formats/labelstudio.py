"""Label Studio JSON exports: a list of tasks, each with ``data`` (the text under
``data.text``, or the task's only string value) and ``annotations``, whose ``result``
items of type ``labels`` are spans (``value.start``, ``value.end``, ``value.labels``; a
single label given as a string is read as that label). A result, annotation list or
value of another shape is skipped with a warning, as are tasks that hold only
``predictions`` (model output is not imported). A HyperText task (HTML under ``data.html``,
``hypertextlabels`` results, or a text holding a tag or an HTML comment) is refused: its offsets are XPaths
into the markup, not code points of a text.

Label Studio versions before 1.4 counted offsets in UTF-16 code units, so a text with an
emoji shifts every later span by one (label-studio issue #1347). When a span's
``value.text`` does not match the text at its offsets but does at the same offsets read as
UTF-16 code units, they are converted, with a warning; otherwise the span is refused on
import with both texts. A span without ``value.text`` in a text with such characters is
converted, with a warning, when only the UTF-16 reading falls on word edges."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, SourceSpan, markup

_HYPERTEXT = (
    "the task holds HTML (Label Studio's HyperText labelling, offsets given as XPaths): not "
    "imported; save the page as .html and import that, or export plain-text tasks"
)


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    try:
        tasks = json.loads(context.read_text(path))
    except (OSError, ValueError) as exc:
        message = (
            f"malformed JSON ({exc.msg}, line {exc.lineno})"
            if isinstance(exc, json.JSONDecodeError)
            else str(exc)
        )
        yield ReadProblem(str(path), message)
        return
    except RecursionError:
        yield ReadProblem(str(path), "JSON nested too deeply to be a Label Studio export")
        return
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield ReadProblem(str(path), "not a Label Studio export: expected a list of tasks")
        return
    if not tasks:
        yield ReadProblem(str(path), "no tasks: the export is an empty list; nothing imported")
    for number, task in enumerate(tasks, start=1):
        where = f"{path}#task {task.get('id', number) if isinstance(task, dict) else number}"
        try:
            yield _document(where, task)
        except ValueError as exc:
            yield ReadProblem(where, str(exc))


def _text(task: dict[str, Any]) -> str:
    data = task.get("data")
    if not isinstance(data, dict):
        raise ValueError('task has no "data" object')
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [value for value in data.values() if isinstance(value, str)]
    if len(strings) != 1:
        raise ValueError('task data has no "text" field (and not exactly one string value)')
    return strings[0]


def _is_hypertext(task: dict[str, Any]) -> bool:
    """Whether the task is HyperText labelling: its data under ``html`` or a
    ``hypertextlabels`` result."""
    data = task.get("data")
    results = [
        item
        for annotation in task.get("annotations") or []
        if isinstance(annotation, dict) and isinstance(annotation.get("result"), list)
        for item in annotation["result"]
    ]
    return (isinstance(data, dict) and "html" in data) or any(
        isinstance(item, dict) and item.get("type") == "hypertextlabels" for item in results
    )


def _document(where: str, task: Any) -> SourceDocument:
    if not isinstance(task, dict):
        raise ValueError("each task must be an object with data and annotations")
    if _is_hypertext(task):
        raise ValueError(_HYPERTEXT)
    text = _text(task)
    if markup(text):
        raise ValueError(_HYPERTEXT)
    meta = {
        key: value
        for key, value in task.get("data", {}).items()
        if key != "text" and not isinstance(value, dict)
    }
    doc = SourceDocument(where, text, meta={"label_studio_id": task.get("id"), **meta})
    given = task.get("annotations")
    if task.get("predictions") and not given:
        doc.warnings.append("the task has predictions and no annotations: predictions are not imported")
    if given is not None and not isinstance(given, list):
        doc.warnings.append(f'"annotations" is {type(given).__name__}, not a list; no annotations imported')
        given = []
    annotations = [a for a in given or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    if len(annotations) > 1:
        doc.warnings.append(
            f"{len(annotations)} annotations of this task; imported the first (id {annotations[0].get('id')})"
        )
    results = annotations[0].get("result") if annotations else []
    if not isinstance(results, list):
        doc.warnings.append(f'annotation {annotations[0].get("id")}: "result" is not a list; none imported')
        results = []
    skipped: set[str] = set()
    for number, item in enumerate(results, start=1):
        if not isinstance(item, dict) or item.get("type") != "labels":
            skipped.add(str(item.get("type")) if isinstance(item, dict) else "?")
            continue
        doc.spans.extend(_spans(str(item.get("id", number)), item, text, doc))
    if skipped:
        doc.warnings.append(f"result items of type {', '.join(sorted(skipped))} not imported (only labels)")
    return doc


def _spans(name: str, item: dict[str, Any], text: str, doc: SourceDocument) -> list[SourceSpan]:
    """The spans of one ``labels`` result (one per label; a string is one label), or none
    with a warning when its value is not of that shape."""
    value = item.get("value")
    if not isinstance(value, dict):
        doc.warnings.append(f"result {name}: value must be an object; skipped")
        return []
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list) or not all(isinstance(label, str) and label for label in labels):
        doc.warnings.append(f"result {name}: labels must be a list of label names, not {labels!r}; skipped")
        return []
    if type(start) is not int or type(end) is not int or not labels:
        doc.warnings.append(f"result {name}: needs integer start, end and a label; skipped")
        return []
    start, end = _code_points(text, start, end, value.get("text"), doc)
    return [SourceSpan(start, end, label, value.get("text")) for label in labels]


def _code_points(text: str, start: int, end: int, stated: Any, doc: SourceDocument) -> tuple[int, int]:
    """``start``/``end`` as code points: converted from UTF-16 code units when only that
    reading matches the stated text or, with no text stated, when only that reading
    falls on word edges."""
    if isinstance(stated, str) and text[start:end] == stated:
        return start, end
    units = text.encode("utf-16-le")
    if len(units) == 2 * len(text):  # no character beyond U+FFFF: both readings agree
        return start, end
    try:
        begin = len(units[: 2 * start].decode("utf-16-le"))
        finish = len(units[: 2 * end].decode("utf-16-le"))
    except UnicodeDecodeError:  # the offset falls inside a surrogate pair: not UTF-16 either
        return start, end
    if isinstance(stated, str):
        converted = text[begin:finish] == stated
    else:
        converted = _on_word_edges(text, begin, finish) and not _on_word_edges(text, start, end)
    if converted:
        shown = stated if isinstance(stated, str) else text[begin:finish]
        doc.warnings.append(
            f"span {shown!r} at {start}-{end} counted in UTF-16 code units; read as {begin}-{finish}"
        )
        return begin, finish
    return start, end


def _on_word_edges(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is non-empty, has no white space at an edge and cuts
    no word (letters or digits on both sides of an edge)."""
    if not 0 <= start < end <= len(text) or text[start].isspace() or text[end - 1].isspace():
        return False
    inside_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    inside_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not (inside_start or inside_end)
