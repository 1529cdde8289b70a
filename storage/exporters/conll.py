"""CoNLL-2003 style NER data: ``token -X- _ TAG`` per line with IOB2 tags, a blank line
between sentences, ``-DOCSTART- -X- O O`` before each document. ``spacy convert FILE
OUT --converter ner`` reads it.

Sentences come from spaCy's rule-based sentencizer on the export tokenisation; a
sentence boundary inside an entity is not written, so that no entity is cut in two.
White-space tokens are left out (a column format cannot hold them); white space inside
a label becomes ``_``. IOB tags hold one entity per token: of overlapping spans the
longest is written and the others are listed in the report as problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.annotation import Span
from models.document import Document
from storage.exporters.alignment import ExportTokenizer, align
from storage.exporters.base import AtomicFile, ExportItem, ExportReport

if TYPE_CHECKING:
    from spacy.tokens import Doc

DOCSTART = "-DOCSTART- -X- O O"


class ConllWriter:
    def __init__(self, file: AtomicFile, report: ExportReport) -> None:
        from spacy.pipeline import Sentencizer

        self.report = report
        self.tokenize = ExportTokenizer()
        self.sentencizer = Sentencizer()
        self.out = file.open("w")

    def add(self, item: ExportItem) -> None:
        document, spans, _claims, _linked = item
        self.out.write(DOCSTART + "\n\n" + self.document_lines(document, spans))

    def document_lines(self, document: Document, spans: list[Span]) -> str:
        from spacy.util import filter_spans

        doc = self.tokenize(document)
        aligned = [
            (span, ts)
            for span, ts in align(doc, document, spans, self.report, "left out of the CoNLL file")
            if ts is not None
        ]
        written = filter_spans([ts for _, ts in aligned])
        kept = {(ts.start, ts.end, ts.label_) for ts in written}
        for span, ts in aligned:
            if (ts.start, ts.end, ts.label_) in kept:
                self.report.count_span(span)
            else:
                self.report.add_problem(
                    document,
                    span,
                    "overlaps a longer entity; IOB tags hold "
                    "one entity per token: left out of the CoNLL file",
                )
        self.report.entities += len(written)
        return _lines(self.sentencizer(doc), written)

    def finish(self) -> None:
        """Lines are complete as written."""

    def close(self) -> None:
        """The driver closes the file."""


def _lines(doc: Doc, entities: list[Any]) -> str:
    tags = ["O"] * len(doc)
    for ent in entities:
        label = "_".join(ent.label_.split())
        inside = [i for i in range(ent.start, ent.end) if not doc[i].is_space]
        for n, i in enumerate(inside):
            tags[i] = f"{'I' if n else 'B'}-{label}"
    lines: list[str] = []
    for token, tag in zip(doc, tags, strict=True):
        if token.is_space:
            continue
        if token.is_sent_start and lines and lines[-1] and not tag.startswith("I-"):
            lines.append("")
        lines.append(f"{token.text} -X- _ {tag}")
    return "\n".join(lines) + "\n\n"
