"""Spans against the export tokenisation: the tokenizer that snapped them
(``models.nlp.tokens``). A span whose boundaries are not token boundaries is never
snapped: it is reported, with where each boundary falls.

The missing-value rule of training data lives here too (``set_entities``,
``annotation_complete``, ``rule_text``), so that every exporter applies the same one:
in a document marked done, the accepted spans are the complete annotation and every other
token is ``O``; in a document not done, tokens outside accepted spans are *missing*
(spaCy's ``ent_iob_ == ""``), so training neither rewards nor punishes a prediction there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.annotation import Span, has_whitespace_edge
from models.document import DocStatus, Document
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
    """Why the stored span cannot be an entity as it is (a corrupted row, or white space
    at its edge, which spaCy refuses as an entity), or ``None``."""
    if not 0 <= span.start < span.end <= len(text):
        return f"offsets outside the text (0-{len(text)})"
    if text[span.start : span.end] != span.text:
        return f"stored text {span.text!r} differs from the document's"
    if has_whitespace_edge(span.text):
        return "white space at its edge (an entity starts and ends on a word)"
    return None


RULE_COMPLETE = "documents marked done: accepted spans are the complete annotation, other tokens O"
RULE_MISSING = (
    "documents not done: tokens outside accepted spans are missing (not O), so training ignores them"
)
RULE_CONLL = "CoNLL has no missing value: documents marked done only"


def annotation_complete(document: Document) -> bool:
    """Whether ``document``'s accepted spans are its complete annotation: it is marked done."""
    return DocStatus(document.status) == DocStatus.DONE


def rule_text(format: str) -> str:
    """One line saying which missing-value rule an export in ``format`` applies."""
    if format == "spacy":
        return f"Missing-value rule: {RULE_COMPLETE}; {RULE_MISSING}."
    if format == "conll":
        return f"Missing-value rule: {RULE_CONLL} ({RULE_COMPLETE}); other documents are left out."
    if format == "jsonl":
        return (
            'Missing-value rule: "answer" is "accept" (complete) for documents marked done, '
            '"ignore" for documents not done, so Prodigy does not train on unreviewed tokens as O.'
        )
    return "Claims are exported as they are; no entity tags, no missing-value rule."


def set_entities(doc: Doc, ents: list[TokenSpan], complete: bool, unwritten: list[Span]) -> list[int]:
    """Set ``doc.ents`` to ``ents`` (which must not overlap) by the missing-value rule;
    returns the indices of the tokens left missing.

    ``complete``: other tokens are ``O`` except those under ``unwritten`` accepted spans
    (misaligned, overlapping or white-space-edged ones that are not in ``ents``), which are
    missing: the document says they are an entity but not which tokens. Not ``complete``:
    every token outside ``ents`` is missing."""
    if not complete:
        doc.set_ents(ents, default="missing")
        return [t.i for t in doc if t.ent_iob_ == ""]
    inside = {i for ent in ents for i in range(ent.start, ent.end)}
    missing: set[int] = set()
    for span in unwritten:
        covering = doc.char_span(span.start, span.end, alignment_mode="expand")
        if covering is not None:
            missing.update(i for i in range(covering.start, covering.end) if i not in inside)
    doc.set_ents(ents, missing=[doc[i : i + 1] for i in sorted(missing)], default="outside")
    return sorted(missing)


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


def overlap_reason(lost: TokenSpan, kept: list[TokenSpan]) -> str:
    """Why ``lost`` is not among the entities ``kept`` by ``spacy.util.filter_spans``
    (longest first, then earliest): the kept entity it overlaps, and how."""
    other = next((ts for ts in kept if ts.start < lost.end and lost.start < ts.end), None)
    if other is None:
        return "overlaps another entity"
    named = f"{other.label_} {other.text!r}"
    if (other.start, other.end) == (lost.start, lost.end):
        return f"covers the same words as {named} (one label per token)"
    if len(other) > len(lost):
        return f"overlaps a longer entity, {named}"
    return f"overlaps {named}, as long and starting earlier"
