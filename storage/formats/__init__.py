"""Readers of other tools' formats: saved news pages, feeds and annotated corpora.

A registry in the style of spaCy's: ``FORMATS`` maps a format name to the file suffixes it
reads and the module that reads them, imported only when a file of that format arrives
(trafilatura and spaCy take a second to import). A new format is one new module with a
``read(path, context)`` generator plus one line here. Two suffixes are shared and decided
by looking at the file: ``.jsonl`` is doccano's when any of its records has doccano's
``label``/``entities`` list (else it is Quire's own JSONL, read by ``storage.importers``),
and a ``.txt`` with an ``.ann`` file beside it is a brat document.

Every reader yields ``SourceDocument``s (text exactly as the file gives it, annotation
offsets into that text) or ``ReadProblem``s; ``storage.formats.records`` turns a
``SourceDocument`` into a record of Quire's JSONL shape, which the importer stores
through the same path as a JSONL line.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.formats.records import ReadContext, ReadProblem, SourceDocument


@dataclass(frozen=True)
class FormatEntry:
    name: str
    suffixes: tuple[str, ...]
    module: str  # defines read(path, context) -> Iterator[SourceDocument | ReadProblem]
    description: str


FORMATS: dict[str, FormatEntry] = {
    entry.name: entry
    for entry in (
        FormatEntry(
            "html", (".html", ".htm", ".xhtml", ".mhtml", ".mht"), "storage.formats.html", "saved news pages"
        ),
        FormatEntry("feed", (".rss", ".atom", ".xml"), "storage.formats.feeds", "RSS and Atom feeds"),
        FormatEntry("spacy", (".spacy",), "storage.formats.docbin", "spaCy DocBin"),
        FormatEntry(
            "conll", (".conll", ".conllu", ".iob", ".iob2", ".bio", ".biluo", ".bilou"),
            "storage.formats.conll", "CoNLL-2003 / CoNLL-U / IOB / BILUO",
        ),
        FormatEntry("brat", (".ann",), "storage.formats.brat", "brat standoff (.txt + .ann)"),
        FormatEntry("doccano", (".jsonl",), "storage.formats.doccano", "doccano JSONL"),
        FormatEntry("labelstudio", (".json",), "storage.formats.labelstudio", "Label Studio JSON"),
    )
}  # fmt: skip

# Suffixes a folder scan picks up for these readers (``.ann`` files come with their .txt).
SUFFIXES = frozenset(s for entry in FORMATS.values() for s in entry.suffixes) - {".ann", ".jsonl"}
FILE_PATTERNS = " ".join(f"*{s}" for s in sorted(SUFFIXES | {".ann"}))


def format_for(path: Path) -> str | None:
    """The name of the format that reads ``path``, or None for Quire's own formats
    (.txt/.md articles, Quire JSONL) and anything unknown."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        from storage.formats.brat import companion

        return "brat" if companion(path, ".ann").is_file() else None
    if suffix == ".jsonl":
        from storage.formats.doccano import sniff

        return "doccano" if sniff(path) else None
    for entry in FORMATS.values():
        if suffix in entry.suffixes:
            return entry.name
    return None


def read(name: str, path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    """The documents (and problems) of ``path`` read as format ``name``."""
    module = importlib.import_module(FORMATS[name].module)
    yield from module.read(path, context)


__all__ = ["FORMATS", "SUFFIXES", "ReadContext", "ReadProblem", "SourceDocument", "format_for", "read"]
