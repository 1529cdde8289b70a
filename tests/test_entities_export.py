"""Canonical entities in the exports: ``kb_id`` on spans (JSONL) and entities (DocBin),
the claim's source entity (claims, JSONL), the entities themselves as JSONL, and
EntityRuler patterns that spaCy loads and matches."""

from __future__ import annotations

import json

from models.annotation import Claim, SourceKind, Span, Status
from models.document import DocStatus, Document
from storage.exporters import ExportOptions, export_corpus

TEXT = "Rockets hit Ain al-Assad, an official told AFP. Later the Aïn al-Assad base was calm, AFP said."


def _corpus(repo):
    doc = repo.add_document(Document(title="Rockets", text=TEXT, status=DocStatus.DONE))
    spans = {}
    for name, needle, nth, label, status in (
        ("ain", "Ain al-Assad", 0, "FAC", Status.ACCEPTED),
        ("ain2", "Aïn al-Assad", 0, "FAC", Status.ACCEPTED),
        ("afp", "AFP", 0, "ORG", Status.ACCEPTED),
        ("afp2", "AFP", 1, "ORG", Status.ACCEPTED),
    ):
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(needle, start + 1)
        spans[name] = repo.add_span(Span(doc, start, start + len(needle), label, needle, status=status))
    repo.entities.suggest_links()
    for name in ("ain", "ain2", "afp"):  # the second AFP stays a suggestion
        repo.entities.accept_link(spans[name].id)
    base = repo.entities.links_of_document(doc)[spans["ain"].id][0]
    repo.entities.update(base, external_id="Q1573424")
    content = TEXT.index("the Aïn al-Assad base was calm")
    cue = TEXT.rindex("said")
    claim = repo.add_claim(Claim(doc, content, content + len("the Aïn al-Assad base was calm"), cue, cue + 4,
                                 spans["afp2"].start, spans["afp2"].end, source_span_id=spans["afp2"].id,
                                 source_kind=SourceKind.NAMED_ORGANISATION))  # fmt: skip
    return doc, spans, claim


def test_jsonl_and_claims_carry_kb_ids_of_accepted_links(repo, tmp_path) -> None:
    _doc, spans, claim = _corpus(repo)
    out = tmp_path / "corpus.jsonl"
    export_corpus(repo, ExportOptions("jsonl", out))
    task = json.loads(out.read_text(encoding="utf-8"))
    kb = {(s["start"], s["text"]): s.get("kb_id") for s in task["spans"]}
    afp = repo.entities.links_of_document(spans["afp"].doc_id)[spans["afp"].id][0]
    assert kb == {
        (spans["ain"].start, "Ain al-Assad"): "Q1573424",
        (spans["ain2"].start, "Aïn al-Assad"): "Q1573424",
        (spans["afp"].start, "AFP"): f"quire:{afp}",
        (spans["afp2"].start, "AFP"): None,
    }
    assert task["claims"][0]["source_entity"] is None  # its span's link is only a suggestion

    repo.entities.accept_link(spans["afp2"].id)
    out = tmp_path / "claims.jsonl"
    export_corpus(repo, ExportOptions("claims", out))
    exported = json.loads(out.read_text(encoding="utf-8"))["claims"][0]
    assert exported["source_entity"] == {"id": afp, "kb_id": f"quire:{afp}", "name": "AFP", "label": "ORG"}
    assert claim.id is not None


def test_docbin_entities_carry_kb_id(repo, tmp_path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    _corpus(repo)
    out = tmp_path / "corpus.spacy"
    export_corpus(repo, ExportOptions("spacy", out))
    (doc,) = DocBin().from_disk(out).get_docs(Vocab())
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents][:3] == [
        ("Ain al-Assad", "FAC", "Q1573424"),
        ("AFP", "ORG", doc.ents[1].kb_id_),
        ("Aïn al-Assad", "FAC", "Q1573424"),
    ]
    assert doc.ents[1].kb_id_.startswith("quire:") and doc.ents[3].kb_id_ == ""  # a suggested link


def test_entities_and_ruler_patterns(repo, tmp_path) -> None:
    import spacy

    from main import main

    _corpus(repo)
    out = tmp_path / "entities.jsonl"
    assert main(["export", "--db", str(repo.path), "--format", "entities", "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    base = next(r for r in records if r["label"] == "FAC")
    assert (base["kb_id"], base["mentions"], base["documents"]) == ("Q1573424", 2, 1)
    assert {base["name"], *base["aliases"]} == {"Ain al-Assad", "Aïn al-Assad"}

    patterns = tmp_path / "patterns.jsonl"
    assert main(["export", "--db", str(repo.path), "--format", "patterns", "--out", str(patterns)]) == 0
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.from_disk(patterns)
    doc = nlp("Drones flew over Aïn al-Assad and the AFP office.")
    afp = next(r["kb_id"] for r in records if r["name"] == "AFP")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Aïn al-Assad", "FAC", "Q1573424"),
        ("AFP", "ORG", afp),
    ]
