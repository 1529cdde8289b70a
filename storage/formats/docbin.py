"""spaCy ``DocBin`` files (``.spacy``): each Doc's text, its ``doc.ents`` and every
``doc.spans[KEY]`` group as spans (the group's name in the span's place is not kept:
a span found in several groups, or in ``ents`` too, is imported once), and its
``user_data`` (saved when the DocBin was made with ``store_user_data=True``) into
``meta``: string keys as they are, extension attributes (``doc._.NAME``) under
``meta["user_data"]``. ``user_data`` keys ``title``, ``source``, ``published`` and
``language`` fill the document's fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, SourceSpan, over_limit

_FIELDS = ("title", "source", "published", "language")


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= context.max_bytes else b""
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read the file ({exc.strerror or exc})")
        return
    if size > context.max_bytes:
        yield ReadProblem(str(path), over_limit(size, context.max_bytes))
        return
    try:
        docs = list(DocBin(store_user_data=True).from_bytes(data).get_docs(Vocab()))
    except Exception as exc:  # spaCy, srsly, msgpack and zlib each raise their own types
        yield ReadProblem(
            str(path), f"not a spaCy DocBin file ({type(exc).__name__}); export it again with DocBin.to_disk"
        )
        return
    for number, doc in enumerate(docs, start=1):
        yield _document(f"{path}#doc {number}", doc)


def _document(where: str, doc: Any) -> SourceDocument:
    meta, extensions = {}, {}
    for key, value in doc.user_data.items():
        if isinstance(key, tuple) and len(key) == 4 and key[0] == "._.":
            extensions[key[1]] = _jsonable(value)
        elif isinstance(key, str):
            meta[key] = _jsonable(value)
    fields = {name: str(meta.pop(name)) for name in _FIELDS if name in meta}
    source = SourceDocument(where, doc.text, meta={**meta, "user_data": extensions}, **fields)
    seen: set[tuple[int, int, str]] = set()
    groups = [("ents", doc.ents), *doc.spans.items()]
    for _, group in groups:
        for span in group:
            key = (span.start_char, span.end_char, span.label_)
            if key not in seen:
                seen.add(key)
                source.spans.append(SourceSpan(*key))
    return source


def _jsonable(value: Any) -> Any:
    """``value`` if it can be stored as JSON, else its ``repr``."""
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)
    return value
