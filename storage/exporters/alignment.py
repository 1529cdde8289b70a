"""Spans against the export tokenisation: the tokenizer that snapped them
(``models.nlp.tokens``). A span whose boundaries are not token boundaries is never
snapped: it is reported, with where each boundary falls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.annotation import Span
from models.document import Document
from models.nlp.tokens import blank_pipeline
from storage.exporters.base import ExportReport

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as TokenSpan


class ExportTokenizer:
    """``models.nlp.tokens.tokenize``, in blank pipelines of the export's own (built by the
    same function, bypassing its cache): a worker thread must not share spaCy objects
    with the GUI thread (spaCy #11904). The pipelines are renewed every ``RENEW_EVERY``
    documents, because a vocabulary keeps every string it has seen and memory would grow
    with the corpus."""

    RENEW_EVERY = 2000

    def __init__(self) -> None:
        self._pipelines: dict[str, Language] = {}
        self._count = 0

    def __call__(self, document: Document) -> Doc:
        self._count += 1
        if self._count % self.RENEW_EVERY == 0:
            self._pipelines.clear()
        language = document.language
        if language not in self._pipelines:
            self._pipelines[language] = blank_pipeline.__wrapped__(language)
        return self._pipelines[language].make_doc(document.text)


def align(
    tokens: Doc, document: Document, spans: list[Span], report: ExportReport, consequence: str
) -> list[tuple[Span, TokenSpan | None]]:
    """Each span with its token span, or ``None`` (and a problem in the report saying why
    and ``consequence``) when it does not align or no longer matches the text."""
    aligned: list[tuple[Span, TokenSpan | None]] = []
    for span in spans:
        reason = stale_reason(document.text, span)
        token_span = None
        if reason is None:
            token_span = tokens.char_span(span.start, span.end, span.label, alignment_mode="strict")
            if token_span is None:
                reason = misalignment_reason(tokens, span.start, span.end)
        if reason is not None:
            report.add_problem(document, span, f"{reason}; {consequence}")
        aligned.append((span, token_span))
    return aligned


def stale_reason(text: str, span: Span) -> str | None:
    """Why the stored span no longer fits the document (a corrupted row), or ``None``."""
    if not 0 <= span.start < span.end <= len(text):
        return f"offsets outside the text (0-{len(text)})"
    if text[span.start : span.end] != span.text:
        return f"stored text {span.text!r} differs from the document's"
    return None


def misalignment_reason(tokens: Doc, start: int, end: int) -> str:
    starts = {t.idx for t in tokens}
    ends = {t.idx + len(t.text) for t in tokens}
    parts = []
    if start not in starts:
        parts.append(f"start {start} {_where(tokens, start)}")
    if end not in ends:
        parts.append(f"end {end} {_where(tokens, end)}")
    return "not on token boundaries: " + "; ".join(parts)


def _where(tokens: Doc, offset: int) -> str:
    for token in tokens:
        if token.idx < offset < token.idx + len(token.text):
            return f"is inside the token {token.text!r} ({token.idx}-{token.idx + len(token.text)})"
        if token.idx + len(token.text) <= offset < token.idx + len(token.text_with_ws):
            return f"is in the white space after the token {token.text!r}"
    return "is not at a token boundary"
