"""Unreviewed text is not "no entity" (issue 9, item 2): in a document marked done the
accepted spans are the complete annotation (other tokens O); in a document not done, tokens
outside accepted spans are missing, so training takes no loss from them. CoNLL, which has no
missing value, carries done documents only and says how many it left out."""

from __future__ import annotations

import json

import spacy
from spacy.tokens import DocBin
from spacy.training import Example

from main import main
from models.annotation import Span, Status
from models.document import DocStatus, Document
from models.nlp.tokens import blank_pipeline
from storage.exporters import ExportOptions, export_corpus

MISSING = "documents not done: tokens outside accepted spans are missing (not O)"
TEXT = "Talks in Oslo and Paris went on. Officials in Bergen said little."


def _span(doc_id: int, needle: str, status: Status = Status.ACCEPTED) -> Span:
    start = TEXT.index(needle)
    return Span(doc_id, start, start + len(needle), "GPE", needle, status=status)


def _corpus(repo) -> dict[str, int]:
    """One document done, one half-reviewed (Paris accepted, Oslo still a suggestion),
    one untouched."""
    ids = {}
    for name in ("done", "half", "untouched"):
        ids[name] = repo.add_document(Document(title=name, text=f"{TEXT} ({name})"))
    repo.add_span(_span(ids["done"], "Paris"))
    repo.set_document_status(ids["done"], DocStatus.DONE)
    repo.add_span(_span(ids["half"], "Paris"))
    repo.add_span(_span(ids["half"], "Oslo", Status.SUGGESTED))
    return ids


def _iob(doc) -> list[tuple[str, str]]:
    return [(t.text, t.ent_iob_) for t in doc if not t.is_space]


def test_docbin_marks_unreviewed_tokens_missing_and_done_documents_complete(repo, tmp_path):
    _corpus(repo)
    report = export_corpus(repo, ExportOptions("spacy", tmp_path / "out.spacy"))
    done, half, untouched = DocBin().from_disk(tmp_path / "out.spacy").get_docs(blank_pipeline("en").vocab)

    assert [(e.text, e.label_) for e in done.ents] == [("Paris", "GPE")]
    assert {iob for text, iob in _iob(done) if text != "Paris"} == {"O"}
    assert [(e.text, e.label_) for e in half.ents] == [("Paris", "GPE")]
    assert dict(_iob(half))["Oslo"] == "", "an unreviewed suggestion is missing, not O"
    assert {iob for text, iob in _iob(half) if text != "Paris"} == {""}
    assert {iob for _, iob in _iob(untouched)} == {""}, "an untouched document is all missing"
    assert (report.complete_documents, report.partial_documents) == (1, 2)
    assert any(MISSING in line for line in report.summary_lines())


def test_training_on_the_export_takes_no_loss_from_missing_tokens(repo, tmp_path):
    _corpus(repo)
    export_corpus(repo, ExportOptions("spacy", tmp_path / "out.spacy"))
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("GPE")
    references = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(ref.text), ref) for ref in references]
    nlp.initialize(lambda: examples)
    done, half, untouched = examples

    losses = []
    for example in (done, untouched):
        step: dict[str, float] = {}
        nlp.update([example], losses=step)
        losses.append(float(step["ner"]))
    assert losses[0] > 0, "a done document teaches O outside its entities"
    assert losses[1] == 0.0, "a document nobody reviewed teaches nothing"
    gold = dict(zip([t.text for t in half.predicted], half.get_aligned_ner(), strict=True))
    assert gold["Paris"] == "U-GPE" and gold["Oslo"] is None and gold["Bergen"] is None


def test_conll_carries_done_documents_only_and_says_how_many_it_left_out(repo, tmp_path, capsys):
    _corpus(repo)
    report = export_corpus(repo, ExportOptions("conll", tmp_path / "out.conll"))
    text = (tmp_path / "out.conll").read_text(encoding="utf-8")
    assert text.count("-DOCSTART-") == 1 and "done -X- _ O" in text and "half" not in text
    assert "Paris -X- _ B-GPE" in text and "Oslo -X- _ O" in text
    assert report.documents == 1 and report.left_out_not_done == 2

    repo.close()
    out_path = str(tmp_path / "cli.conll")
    assert main(["export", "--db", str(repo.path), "--format", "conll", "--out", out_path]) == 0
    out = capsys.readouterr().out
    assert "left out 2 document(s) not done" in out


def test_cli_summary_names_the_rule_for_the_docbin(repo, tmp_path, capsys):
    _corpus(repo)
    repo.close()
    out_path = str(tmp_path / "x.spacy")
    assert main(["export", "--db", str(repo.path), "--format", "spacy", "--out", out_path]) == 0
    out = capsys.readouterr().out
    assert f"2 {MISSING}" in out and "1 documents marked done: accepted spans are the complete" in out


def test_export_dialog_states_the_rule_of_the_chosen_format(qtbot, tmp_path, settings):
    from gui.export_dialog import ExportDialog

    dialog = ExportDialog(tmp_path / "q.db", settings=settings)
    qtbot.addWidget(dialog)
    assert "missing (not O)" in dialog.rule.text()
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    assert "documents marked done only" in dialog.rule.text()


def test_jsonl_answers_ignore_for_documents_not_done(repo, tmp_path):
    _corpus(repo)
    report = export_corpus(repo, ExportOptions("jsonl", tmp_path / "out.jsonl"))
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    answers = {json.loads(line)["meta"]["title"]: json.loads(line)["answer"] for line in lines}
    assert answers == {"done": "accept", "half": "ignore", "untouched": "ignore"}
    assert (report.complete_documents, report.partial_documents) == (1, 2)
