"""CoNLL-2003 style NER data: ``token -X- _ TAG`` per line with IOB2 tags, a blank line
between sentences, ``-DOCSTART- -X- O O`` before each document. ``spacy convert FILE
OUT --converter ner`` reads it.

Sentences come from spaCy's rule-based sentencizer on the export tokenisation; a
sentence boundary inside an entity is not written, so that no entity is cut in two.
White-space tokens are left out (a column format cannot hold them), but a sentence break
that falls on one is kept; white space inside a label becomes ``_``. IOB tags hold one
entity per token: of overlapping spans the longest is written and the others are listed in
the report as problems.

CoNLL has no missing value, so it carries only documents marked done (the driver selects
them and counts the others), where the accepted spans are the complete annotation
(``alignment.set_entities``). A sentence with a token whose tag is unknown (under an
accepted span that could not be written: misaligned, overlapping) is left out rather than
tagged ``O``, and counted in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.annotation import Span
from models.document import Document
from storage.exporters.alignment import (
    ExportTokenizer,
    align,
    annotation_complete,
    overlap_reason,
    set_entities,
)
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
        align_all = align(doc, document, spans, self.report, "left out of the CoNLL file")
        aligned = [(span, ts) for span, ts in align_all if ts is not None]
        written = filter_spans([ts for _, ts in aligned])
        kept = {(ts.start, ts.end, ts.label_) for ts in written}
        unwritten = [span for span, ts in align_all if ts is None]
        for span, ts in aligned:
            if (ts.start, ts.end, ts.label_) in kept:
                self.report.count_span(span)
            else:
                unwritten.append(span)
                self.report.add_problem(
                    document,
                    span,
                    f"{overlap_reason(ts, written)}; IOB tags hold one entity per token: "
                    "left out of the CoNLL file",
                )
        complete = annotation_complete(document)
        self.report.count_document(complete, len(set_entities(doc, written, complete, unwritten)))
        text, left_out = _lines(self.sentencizer(doc))
        self.report.sentences_left_out += len(left_out)
        for span, ts in aligned:
            if (ts.start, ts.end, ts.label_) in kept and any(ts.start in r for r in left_out):
                self.report.add_problem(
                    document,
                    span,
                    "its sentence has a token whose tag is unknown: left out of the CoNLL file",
                )
        self.report.entities += sum(not any(ts.start in r for r in left_out) for ts in written)
        return text

    def finish(self) -> None:
        """Lines are complete as written."""

    def close(self) -> None:
        """The driver closes the file."""


def _lines(doc: Doc) -> tuple[str, list[range]]:
    """The document's lines, and the token ranges of the sentences left out because a
    token's tag is missing. A sentence break that falls on a white-space token moves to the
    next token written; none is written inside an entity."""
    sentences: list[tuple[list[str], bool, int]] = []  # lines, a tag is unknown, first token
    lines: list[str] = []
    unknown = False
    first = 0
    boundary = False
    for token in doc:
        boundary = boundary or token.is_sent_start
        if token.is_space:
            continue
        if boundary and lines and token.ent_iob_ != "I":
            sentences.append((lines, unknown, first))
            lines, unknown, first = [], False, token.i
        boundary = False
        unknown = unknown or token.ent_iob_ == ""
        tag = f"{token.ent_iob_}-{'_'.join(token.ent_type_.split())}" if token.ent_iob_ in ("B", "I") else "O"
        lines.append(f"{token.text} -X- _ {tag}")
    if lines:
        sentences.append((lines, unknown, first))
    starts = [start for _, _, start in sentences] + [len(doc)]
    kept = ["\n".join(lines) for lines, unknown, _ in sentences if not unknown]
    left_out = [range(starts[n], starts[n + 1]) for n, (_, unknown, _) in enumerate(sentences) if unknown]
    return "\n\n".join(kept) + "\n\n", left_out
