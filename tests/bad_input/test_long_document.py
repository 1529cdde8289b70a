"""Issue 9 item 7: a document over spaCy's 1,000,000-character ``max_length`` goes
through every path that builds a Doc: pre-annotation (in paragraph-aligned pieces, with
offsets carried back, claims too), the spaCy/JSONL/CoNLL exports and a JSONL import
with spans (the tokenizer alone, whose limit is raised). Short documents in the same
run are pre-annotated as before."""

from __future__ import annotations

import json
import re

import pytest
import spacy

import storage.preannotate as preannotate_module
from models.annotation import Span
from models.document import DocStatus, Document
from models.nlp.loading import LoadedModel, shared_model
from models.nlp.pieces import PIECE_CHARS, shift_claim, text_pieces
from models.nlp.tokens import snap_to_tokens
from storage.exporters.base import ExportOptions, export_corpus
from storage.importers import import_paths
from storage.preannotate import preannotate
from storage.repository import Repository

PARAGRAPH = (
    "The committee met to review the regional budget and the transport plan. "
    "Members asked for more time before the vote, and the chair agreed to a short delay.\n\n"
)
NAMED = "Bergen officials met on Monday to review the budget.\n\n"  # every 50th paragraph
TAIL = "Officials in Oslo said the harbour would reopen.\n"


def long_text(minimum: int = 1_200_000) -> str:
    count = minimum // len(PARAGRAPH) + 1
    return "".join(NAMED if n % 50 == 0 else PARAGRAPH for n in range(count)) + TAIL


@pytest.fixture(scope="module")
def text() -> str:
    return long_text()


def ruler() -> LoadedModel:
    """A pipeline whose entity component is a rule: fast, exact, and it has the same
    ``max_length`` (1,000,000) as a trained one."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [
            {"label": "GPE", "pattern": "Oslo"},
            {"label": "GPE", "pattern": "Bergen"},
            {"label": "DATE", "pattern": "Monday"},
        ]  # fmt: skip
    )
    return LoadedModel(nlp, "rules_test", "1")


def test_pieces_cover_the_text_at_paragraph_breaks(text):
    pieces = list(text_pieces(text))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= PIECE_CHARS for _, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])
    assert [start for start, _ in pieces] == [0, *[s + len(p) for s, p in pieces[:-1]]]


@pytest.mark.parametrize("n_process", [1, 2])
def test_preannotate_a_long_and_a_short_document(tmp_path, text, n_process):
    path = tmp_path / "q.db"
    repo = Repository(path)
    short = Document(title="Short", text="Rain in Oslo on Monday.")
    long_id, short_id = repo.add_documents([Document(title="Long", text=text), short])
    repo.close()
    report = preannotate(path, ruler(), claims=False, n_process=n_process)  # 2: pieces on two processes
    assert (report.documents, report.total) == (2, 2)
    repo = Repository(path)
    spans = repo.spans(long_id)
    found = {(s.start, s.end, s.label) for s in spans}
    expected = {(m.start(), m.end(), "GPE") for m in re.finditer("Oslo|Bergen", text)}
    expected |= {(m.start(), m.end(), "DATE") for m in re.finditer("Monday", text)}
    assert len(expected) > 100 and found == expected
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert [(s.text, s.label) for s in repo.spans(short_id)] == [("Oslo", "GPE"), ("Monday", "DATE")]
    repo.close()


@pytest.mark.parametrize("n_process", [1, 2])
def test_claims_found_in_pieces_land_where_the_rules_put_them(tmp_path, monkeypatch, n_process):
    """A real parse is slow on 1.2 M characters: the same code runs with the limit and
    the piece size made small, and each claim must sit where the rules put it when they
    read its paragraph alone."""
    from models.nlp.claims import suggest_claims

    english = shared_model(None, "en")
    assert "parser" in english.nlp.pipe_names, "the test needs a trained English pipeline"
    paragraphs = [
        "The minister said the talks would resume in Geneva next week.\n\n",
        "Police in Oslo said on Monday that two men had been arrested.\n\n",
        "According to the report, the harbour will reopen in May.\n\n",
    ]
    text = "".join(paragraphs * 4)
    monkeypatch.setattr(preannotate_module, "text_pieces", lambda t: text_pieces(t, 150))
    monkeypatch.setattr(english.nlp, "max_length", 500)
    path = tmp_path / "q.db"
    repo = Repository(path)
    doc_id = repo.add_document(Document(title="Claims", text=text))
    repo.close()
    preannotate(path, english, claims=True, n_process=n_process)
    expected, offset = set(), 0
    for paragraph in paragraphs * 4:
        for claim in suggest_claims(english.nlp(paragraph), doc_id):
            moved = shift_claim(claim, offset)
            expected.add((moved.content_start, moved.content_end, moved.cue_start, moved.cue_end))
        offset += len(paragraph)
    repo = Repository(path)
    stored = {(c.content_start, c.content_end, c.cue_start, c.cue_end) for c in repo.claims(doc_id)}
    repo.close()
    assert expected and stored == expected
    assert any(start > 500 for start, *_ in stored), "claims after the first piece are kept"


@pytest.fixture(scope="module")
def exported_db(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("long") / "q.db"
    repo = Repository(path)
    doc_id = repo.add_document(Document(title="Long", text=text))
    start = text.index("Oslo")
    repo.add_span(Span(doc_id=doc_id, start=start, end=start + 4, label="GPE", text="Oslo"))
    repo.set_document_status(doc_id, DocStatus.DONE)  # CoNLL carries done documents only
    repo.close()
    return path


@pytest.mark.parametrize("fmt", ["spacy", "jsonl", "conll"])
def test_exports_of_a_long_document(exported_db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    report = export_corpus(exported_db, ExportOptions(format=fmt, out=out))
    assert report.documents == 1 and report.problems == []
    assert report.spans_by_label == {"GPE": 1}
    if fmt == "conll":
        assert "Oslo -X- _ B-GPE" in out.read_text(encoding="utf-8")
    if fmt == "spacy":
        from spacy.tokens import DocBin

        from models.nlp.tokens import blank_pipeline

        (doc,) = DocBin().from_disk(out).get_docs(blank_pipeline("en").vocab)
        assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [
            ("Oslo", "GPE", doc.text.index("Oslo"))
        ]


def test_jsonl_import_of_a_long_document_with_spans(tmp_path, text):
    start = text.index("Oslo")
    record = {"text": text, "spans": [{"start": start, "end": start + 4, "label": "GPE"}]}
    source = tmp_path / "long.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    repo = Repository(tmp_path / "q.db")
    report = import_paths(repo, [source])
    assert len(report.imported) == 1 and report.problems == [] and report.warnings == []
    doc_id = report.imported[0][1]
    assert [(s.start, s.text) for s in repo.spans(doc_id)] == [(start, "Oslo")]
    repo.close()


def test_snapping_a_selection_past_a_million_characters(text):
    start = text.index("Oslo")
    assert snap_to_tokens(text, start + 1, start + 3) == (start, start + 4)
