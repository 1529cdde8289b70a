"""A span with white space at its edge never reaches ``doc.ents`` (issue 9, item 5): import
trims it, as the window's snapping does, with a warning naming file, line and span; the
exporters leave out (and report) any such span still in a database."""

from __future__ import annotations

import json

from spacy.tokens import DocBin

from models.annotation import Claim, Span, Status
from models.document import DocStatus, Document
from models.nlp.tokens import blank_pipeline
from storage.exporters import ExportOptions, export_corpus
from storage.importers import import_paths

TEXT = "Talks ended.\n\nOslo said no.  Bergen\tagreed."


def test_import_trims_white_space_edges_with_a_warning_naming_file_line_and_span(repo, tmp_path):
    path = tmp_path / "tasks.jsonl"
    oslo = TEXT.index("\n\nOslo")
    bergen = TEXT.index(" Bergen")
    record = {"text": TEXT, "doc_status": "done", "spans": [
        {"start": oslo, "end": oslo + 6, "label": "GPE", "text": "\n\nOslo"},
        {"start": bergen, "end": bergen + 8, "label": "GPE"},
    ]}  # fmt: skip
    lines = [json.dumps({"text": "Another text."}), json.dumps(record)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(repo, [path])
    assert report.problems == []
    doc_id = report.imported[1][1]
    assert [(s.start, s.end, s.text) for s in repo.spans(doc_id)] == [
        (oslo + 2, oslo + 6, "Oslo"),
        (bergen + 1, bergen + 7, "Bergen"),
    ]
    warnings = [str(w) for w in report.warnings]
    assert warnings == [
        f"{path}:2: span 1 (GPE {oslo}-{oslo + 6} '\\n\\nOslo'): white space at its edge trimmed; "
        f"stored as {oslo + 2}-{oslo + 6} 'Oslo'",
        f"{path}:2: span 2 (GPE {bergen}-{bergen + 8} ' Bergen\\t'): white space at its edge trimmed; "
        f"stored as {bergen + 1}-{bergen + 7} 'Bergen'",
    ]

    export_corpus(repo, ExportOptions("spacy", tmp_path / "out.spacy"))
    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(blank_pipeline("en").vocab))
    assert [e.text for e in docs[1].ents] == ["Oslo", "Bergen"]


def test_exporters_never_write_a_white_space_edged_span_as_an_entity(repo, tmp_path):
    doc_id = repo.add_document(Document(title="t", text=TEXT))
    oslo = TEXT.index("\n\nOslo")
    repo.add_span(Span(doc_id, oslo, oslo + 6, "GPE", "\n\nOslo"))  # stored before this rule
    repo.set_document_status(doc_id, DocStatus.DONE)
    for fmt in ("spacy", "conll"):
        report = export_corpus(repo, ExportOptions(fmt, tmp_path / f"out.{fmt}"))
        [problem] = report.problems
        assert problem.text == "\n\nOslo" and "white space at its edge" in problem.reason
        assert report.entities == 0
    [doc] = DocBin().from_disk(tmp_path / "out.spacy").get_docs(blank_pipeline("en").vocab)
    assert list(doc.ents) == []
    assert {t.ent_iob_ for t in doc if t.text == "Oslo"} == {""}, "its words are missing, not O"
    assert "Oslo -X- _ O" not in (tmp_path / "out.conll").read_text(encoding="utf-8")


CLAIM_TEXT = "The\xa0president\xa0said\xa0the war is over.\u2009 Aid is late."


def test_claim_parts_are_trimmed_like_spans_at_import_and_from_the_rules(repo, tmp_path):
    """The claim rules suggested the source 'The\\xa0president\\xa0' and JSONL import kept
    claim parts with white space at an edge; such a part then became a training entity.
    Every claim part is stored trimmed (import says so), whoever made it."""

    def at(part: str) -> tuple[int, int]:
        return CLAIM_TEXT.index(part), CLAIM_TEXT.index(part) + len(part)

    source, cue, content = at("The\xa0president\xa0"), at("said\xa0"), at("the war is over.\u2009 ")
    claim = {"source": dict(zip(("start", "end"), source, strict=True)),
             "cue": dict(zip(("start", "end"), cue, strict=True)),
             "content": dict(zip(("start", "end"), content, strict=True)), "status": "accepted"}  # fmt: skip
    path = tmp_path / "claims.jsonl"
    path.write_text(json.dumps({"text": CLAIM_TEXT, "claims": [claim]}) + "\n", encoding="utf-8")
    report = import_paths(repo, [path])
    assert report.problems == []
    [doc_id] = repo.document_ids()
    [stored] = repo.claims(doc_id)
    parts = {name: CLAIM_TEXT[a:b] for name, (a, b) in stored.parts().items()}
    assert parts == {"content": "the war is over.", "cue": "said", "source": "The\xa0president"}
    assert [str(w) for w in report.warnings] == [
        f"{path}:1: claim 1: white space at the edges of its content and cue and source trimmed"
    ]

    # a suggestion (the rules' path) and an edit are trimmed the same way
    aid = at(" Aid is late.")
    repo.apply_suggestions(doc_id, [], [Claim(doc_id, *aid, source_start=source[0], source_end=source[1])])
    suggested = next(c for c in repo.claims(doc_id) if c.status == Status.SUGGESTED)
    assert (CLAIM_TEXT[suggested.content_start : suggested.content_end], suggested.source_end) == (
        "Aid is late.", source[1] - 1)  # fmt: skip
    edited = repo.update_claim(stored.id, cue_start=cue[0], cue_end=cue[1])
    assert CLAIM_TEXT[edited.cue_start : edited.cue_end] == "said"
