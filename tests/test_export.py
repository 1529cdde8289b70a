"""Exporting the corpus: what each format holds, what the report says, and that a
failed, cancelled or strict export never leaves a half file nor replaces a good one."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
import srsly
from spacy.tokens import DocBin

from main import main
from models.annotation import Certainty, Claim, SourceKind, Span, Status
from models.document import DocStatus, Document
from models.nlp.tokens import blank_pipeline, tokenize
from storage.exporters import ExportError, ExportOptions, export_corpus
from storage.exporters import jsonl as jsonl_format
from storage.exporters.alignment import ExportTokenizer
from storage.exporters.base import AtomicFile
from storage.exporters.docbin import DocBinWriter
from storage.importers import import_paths
from storage.repository import Repository
from storage.text_offsets import GivenText

VISIT = "Reuters reported that Barack Obama visited New York City on Monday. He said the talks were useful."
ARABIC = "مرحبا 😀 Paris is calm, the mayor said. Noe\u0308l 🇫🇷 came."


def add_span(
    repo: Repository,
    doc_id: int,
    text: str,
    needle: str,
    label: str,
    occurrence: int = 0,
    status: Status = Status.ACCEPTED,
    **fields,
) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return repo.add_span(Span(doc_id, start, start + len(needle), label, needle, status=status, **fields))


def build_corpus(repo: Repository) -> dict[str, int]:
    """Three documents: one done with overlaps, a misaligned span and a claim; one with
    emoji, a combining mark and Arabic; one new and empty."""
    visit = repo.add_document(
        Document(
            title="Visit",
            text=VISIT,
            source="site-1",
            published="2024-03-04",
            meta={"file": "visit.txt"},
            status=DocStatus.DONE,
        )
    )
    obama = add_span(repo, visit, VISIT, "Barack Obama", "PERSON")
    add_span(repo, visit, VISIT, "New York City", "GPE")
    add_span(repo, visit, VISIT, "New York", "GPE")  # overlaps the longer GPE
    add_span(repo, visit, VISIT, "Obam", "PERSON")  # not on token boundaries
    add_span(
        repo, visit, VISIT, "Reuters", "ORG", status=Status.SUGGESTED, origin="spacy:en_core_web_sm@3.8.0"
    )
    add_span(
        repo, visit, VISIT, "Monday", "DATE", status=Status.REJECTED, origin="spacy:en_core_web_sm@3.8.0"
    )
    content = VISIT.index("the talks")
    cue = VISIT.index("said")
    he = VISIT.index("He said")
    repo.add_claim(
        Claim(
            visit,
            content,
            content + len("the talks were useful"),
            cue,
            cue + 4,
            he,
            he + 2,
            source_span_id=obama.id,
            source_kind=SourceKind.NAMED_PERSON,
            certainty=Certainty.ASSERTED,
            note="checked",
        )
    )
    reported = VISIT.index("Barack Obama visited")
    repo.add_claim(
        Claim(
            visit,
            reported,
            VISIT.index(" on Monday"),
            status=Status.SUGGESTED,
            origin="rules:claims@1",
            source_text="Reuters",
        )
    )
    arabic = repo.add_document(Document(title="مرحبا", text=ARABIC, language="en"))
    add_span(repo, arabic, ARABIC, "Paris", "GPE")
    add_span(repo, arabic, ARABIC, "Noe\u0308l", "PERSON")
    empty = repo.add_document(Document(title="Quiet day", text="Nothing happened here."))
    return {"visit": visit, "arabic": arabic, "empty": empty}


@pytest.fixture
def corpus(repo: Repository) -> Repository:
    build_corpus(repo)
    return repo


def load_docs(path: Path) -> list:
    return list(DocBin().from_disk(path).get_docs(blank_pipeline("en").vocab))


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- spacy ---------------------------------------------------------------------------


def test_docbin_holds_accepted_entities_without_overlaps_and_every_accepted_span(corpus, tmp_path):
    report = export_corpus(corpus, ExportOptions("spacy", tmp_path / "corpus.spacy"))
    visit, arabic, empty = load_docs(tmp_path / "corpus.spacy")
    assert [(e.text, e.label_) for e in visit.ents] == [("Barack Obama", "PERSON"), ("New York City", "GPE")]
    assert sorted((s.text, s.label_) for s in visit.spans["sc"]) == [
        ("Barack Obama", "PERSON"),
        ("New York", "GPE"),
        ("New York City", "GPE"),
    ]
    assert set(visit.spans) == {"sc"}, "suggestions and rejections stay out by default"
    paris = arabic.ents[0]
    assert (paris.text, paris.start_char, paris.end_char) == (
        "Paris",
        ARABIC.index("Paris"),
        ARABIC.index("Paris") + 5,
    )
    assert [e.text for e in arabic.ents] == ["Paris", "Noe\u0308l"]
    assert arabic.text == ARABIC and not empty.ents
    assert report.documents == 3 and report.entities == 4
    assert report.spans_by_label == {"PERSON": 2, "GPE": 3}
    assert [(p.start, p.end, p.text) for p in report.overlaps] == [(43, 51, "New York")]


def test_misaligned_span_is_reported_with_document_offsets_text_and_reason(corpus, tmp_path):
    report = export_corpus(corpus, ExportOptions("spacy", tmp_path / "corpus.spacy"))
    [problem] = report.problems
    start = VISIT.index("Obam")
    assert (problem.doc_id, problem.start, problem.end, problem.text, problem.label) == (
        1,
        start,
        start + 4,
        "Obam",
        "PERSON",
    )
    assert "inside the token 'Obama'" in problem.reason and "left out of the DocBin" in problem.reason
    assert "Obam" in str(problem) and "Visit" in str(problem)
    assert "problems: 1" in report.summary_lines()


def test_status_all_puts_suggestions_and_rejections_in_their_own_span_groups(corpus, tmp_path):
    export_corpus(corpus, ExportOptions("spacy", tmp_path / "all.spacy", status="all"))
    visit = load_docs(tmp_path / "all.spacy")[0]
    assert [s.text for s in visit.spans["suggested"]] == ["Reuters"]
    assert [s.text for s in visit.spans["rejected"]] == ["Monday"]
    assert "Reuters" not in [e.text for e in visit.ents]


def test_docs_done_exports_only_finished_documents(corpus, tmp_path):
    report = export_corpus(corpus, ExportOptions("jsonl", tmp_path / "done.jsonl", docs="done"))
    assert [r["meta"]["title"] for r in read_lines(tmp_path / "done.jsonl")] == ["Visit"]
    assert report.documents == 1


def test_train_dev_split_is_by_document_and_reproducible(repo, tmp_path):
    for i in range(20):
        text = f"Report {i} from Paris."
        doc_id = repo.add_document(Document(title=f"r{i}", text=text))
        add_span(repo, doc_id, text, "Paris", "GPE")

    def split(seed: int, name: str) -> tuple[list[str], list[str]]:
        report = export_corpus(repo, ExportOptions("spacy", tmp_path / name, dev_fraction=0.25, seed=seed))
        assert report.split == {"train": 15, "dev": 5}
        return tuple(
            [d.text for d in load_docs(tmp_path / name / f"{part}.spacy")] for part in ("train", "dev")
        )

    train, dev = split(7, "a")
    assert split(7, "b") == (train, dev)
    assert split(8, "c") != (train, dev)
    assert sorted(train + dev) == sorted(f"Report {i} from Paris." for i in range(20))


def test_docbin_writer_writes_what_docbin_writes(tmp_path):
    nlp = blank_pipeline("en")
    docs = []
    for i in range(DocBinWriter.BUFFER_DOCS + 40):
        doc = nlp.make_doc(f"Talks {i} in Paris 😀 and مرحبا.")
        paris = doc.char_span(doc.text.index("Paris"), doc.text.index("Paris") + 5, "GPE")
        doc.ents = [paris]
        doc.spans["sc"] = [paris]
        docs.append(doc)
    file = AtomicFile(tmp_path / "x.spacy")
    writer = DocBinWriter(file)
    for doc in docs:
        writer.add(doc)
    writer.finish()
    writer.close()
    file.commit()
    ours = (tmp_path / "x.spacy").read_bytes()
    theirs = DocBin(docs=docs).to_bytes()
    assert srsly.msgpack_loads(zlib.decompress(ours)) == srsly.msgpack_loads(zlib.decompress(theirs))
    assert leftovers(tmp_path) == [], "spools are removed"


# -- jsonl ---------------------------------------------------------------------------


def test_jsonl_is_a_prodigy_task_per_document(corpus, tmp_path):
    report = export_corpus(corpus, ExportOptions("jsonl", tmp_path / "out.jsonl"))
    visit = read_lines(tmp_path / "out.jsonl")[0]
    assert visit["text"] == VISIT and visit["answer"] == "accept"
    assert visit["meta"] == {
        "doc_id": 1,
        "title": "Visit",
        "source": "site-1",
        "published": "2024-03-04",
        "file": "visit.txt",
    }
    assert isinstance(visit["_input_hash"], int) and isinstance(visit["_task_hash"], int)
    tokens = visit["tokens"]
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    assert all(VISIT[t["start"] : t["end"]] == t["text"] for t in tokens)
    assert tokens[0] == {"text": "Reuters", "start": 0, "end": 7, "id": 0, "ws": True}
    obama = next(s for s in visit["spans"] if s["text"] == "Barack Obama")
    assert (tokens[obama["token_start"]]["text"], tokens[obama["token_end"]]["text"]) == ("Barack", "Obama")
    assert obama["status"] == "accepted" and obama["origin"] == "manual" and obama["annotator"] == "tester"
    misaligned = next(s for s in visit["spans"] if s["text"] == "Obam")
    assert "token_start" not in misaligned, "kept with its offsets, never snapped"
    assert "exported without token indices" in report.problems[0].reason
    [claim] = visit["claims"]
    assert claim["source"]["text"] == "He" and claim["source_name"] == "Barack Obama"
    assert visit["spans"][claim["source_span_index"]]["text"] == "Barack Obama"


def test_jsonl_export_then_import_into_an_empty_database_reproduces_everything(corpus, tmp_path):
    export_corpus(corpus, ExportOptions("jsonl", tmp_path / "out.jsonl", status="all"))
    copy = Repository(tmp_path / "copy.db", annotator="someone-else")
    report = import_paths(copy, [tmp_path / "out.jsonl"])
    assert report.problems == [] and len(report.imported) == 3
    for doc_id in corpus.document_ids():
        assert copy.document(doc_id) == corpus.document(doc_id)
        assert [_span_fields(s) for s in copy.spans(doc_id)] == [
            _span_fields(s) for s in corpus.spans(doc_id)
        ]
        assert [_claim_fields(copy, c) for c in copy.claims(doc_id)] == [
            _claim_fields(corpus, c) for c in corpus.claims(doc_id)
        ]
    export_corpus(copy, ExportOptions("jsonl", tmp_path / "again.jsonl", status="all"))
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()
    copy.close()


def _span_fields(span: Span) -> tuple:
    return (
        span.start,
        span.end,
        span.label,
        span.text,
        span.status,
        span.origin,
        span.annotator,
        span.created,
    )


def _claim_fields(repo: Repository, claim: Claim) -> tuple:
    source = repo.span(claim.source_span_id).key if claim.source_span_id else None
    return (
        claim.content_start,
        claim.content_end,
        claim.cue_start,
        claim.cue_end,
        claim.source_start,
        claim.source_end,
        source,
        claim.source_text,
        claim.source_kind,
        claim.certainty,
        claim.status,
        claim.origin,
        claim.annotator,
        claim.note,
        claim.created,
    )


def test_restoring_reports_what_it_cannot_restore(repo):
    text = "Talks in Paris went well."
    doc_id = repo.add_document(Document(title="t", text=text))
    record = {
        "spans": [
            {"start": 9, "end": 14, "label": "GPE"},  # from another tool: no status, no origin
            {"start": 9, "end": 14, "label": "GPE", "text": "Paris"},  # duplicate
            {"start": 0, "end": 99, "label": "ORG"},
            {"start": 0, "end": 5, "label": "ORG", "text": "Walks"},
            {"start": "0", "end": 5, "label": "ORG"},
        ],
        "claims": [
            {
                "content": {"start": 0, "end": 5},
                "source_kind": "named_person",
                "source_span": {"start": 0, "end": 5, "label": "PERSON"},
            },
            {"content": {"start": 0, "end": 5}, "certainty": "maybe"},
            {"cue": {"start": 0, "end": 5}},
        ],
        "doc_status": "finished",
    }
    problems = jsonl_format.restore_annotations(repo, doc_id, GivenText.of(text), record).problems
    [paris] = repo.spans(doc_id)
    assert (paris.text, paris.status, paris.origin, paris.annotator) == (
        "Paris",
        Status.ACCEPTED,
        "import:jsonl",
        "tester",
    )
    assert len(repo.claims(doc_id)) == 1
    assert [p.split(":")[0] for p in problems] == [
        "span 3",
        "span 4",
        "span 5",
        "span 2 (GPE 9-14)",
        "claim 1",
        "claim 2",
        "claim 3",
        "unknown doc_status 'finished'; kept the document's status",
    ]
    assert "already exists" in problems[3] and "does not match" in problems[1]


# -- conll ---------------------------------------------------------------------------


def test_conll_has_docstart_sentences_and_iob2_tags(corpus, tmp_path):
    corpus.set_document_status(2, DocStatus.DONE)  # CoNLL carries done documents only
    report = export_corpus(corpus, ExportOptions("conll", tmp_path / "out.conll"))
    text = (tmp_path / "out.conll").read_text(encoding="utf-8")
    documents = text.split("-DOCSTART- -X- O O\n\n")[1:]
    assert len(documents) == 2 and report.left_out_not_done == 1
    sentences = documents[0].strip("\n").split("\n\n")
    assert len(sentences) == 2, "the sentencizer splits the visit in two"
    lines = [line.split(" ") for line in sentences[0].split("\n")]
    assert all(len(cols) == 4 and cols[1:3] == ["-X-", "_"] for cols in lines)
    tagged = [(cols[0], cols[3]) for cols in lines if cols[3] != "O"]
    assert tagged == [
        ("Barack", "B-PERSON"),
        ("Obama", "I-PERSON"),
        ("New", "B-GPE"),
        ("York", "I-GPE"),
        ("City", "I-GPE"),
    ]
    assert "😀 -X- _ O" in documents[1] and "Noe\u0308l -X- _ B-PERSON" in documents[1]
    assert report.entities == 4
    reasons = {p.text: p.reason for p in report.problems}
    assert set(reasons) == {"Obam", "New York"}
    assert "one entity per token" in reasons["New York"]


def test_conll_refuses_status_all(corpus, tmp_path):
    with pytest.raises(ExportError, match="conll tags cannot carry a status"):
        export_corpus(corpus, ExportOptions("conll", tmp_path / "out.conll", status="all"))


# -- claims --------------------------------------------------------------------------


def test_claims_file_has_each_part_and_the_resolved_source(corpus, tmp_path):
    report = export_corpus(corpus, ExportOptions("claims", tmp_path / "claims.jsonl"))
    visit, arabic, empty = read_lines(tmp_path / "claims.jsonl")
    assert (visit["doc_id"], visit["title"], visit["text"]) == (1, "Visit", VISIT)
    [claim] = visit["claims"]
    assert claim["content"] == {
        "start": VISIT.index("the talks"),
        "end": VISIT.index("the talks") + 21,
        "text": "the talks were useful",
    }
    assert claim["cue"]["text"] == "said" and claim["source"]["text"] == "He"
    assert claim["source_span"]["label"] == "PERSON" and claim["source_name"] == "Barack Obama"
    assert (claim["source_kind"], claim["certainty"], claim["status"], claim["origin"], claim["note"]) == (
        "named_person",
        "asserted",
        "accepted",
        "manual",
        "checked",
    )
    assert claim["annotator"] == "tester"
    assert arabic["claims"] == [] and empty["claims"] == []
    assert report.claims == 1


def test_claims_with_status_all_include_suggestions_with_their_status(corpus, tmp_path):
    export_corpus(corpus, ExportOptions("claims", tmp_path / "claims.jsonl", status="all"))
    claims = read_lines(tmp_path / "claims.jsonl")[0]["claims"]
    suggested = next(c for c in claims if c["status"] == "suggested")
    assert suggested["cue"] is None and suggested["source"] is None
    assert suggested["source_name"] == "Reuters" and suggested["origin"] == "rules:claims@1"


# -- files: temporary names, cancel, strict, failure ----------------------------------


def test_strict_export_with_problems_writes_nothing_and_keeps_the_old_file(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("good old export\n", encoding="utf-8")
    report = export_corpus(corpus, ExportOptions("jsonl", out, strict=True))
    assert report.failed and report.files == [] and len(report.problems) == 1
    assert out.read_text(encoding="utf-8") == "good old export\n"
    assert leftovers(tmp_path) == []


def test_cancelled_export_leaves_no_file(corpus, tmp_path):
    seen = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append((done, total))

    report = export_corpus(
        corpus,
        ExportOptions("spacy", tmp_path / "out", dev_fraction=0.5),
        progress=progress,
        cancelled=lambda: len(seen) > 0,
    )
    assert report.cancelled and report.files == []
    assert not (tmp_path / "out" / "train.spacy").exists() and leftovers(tmp_path / "out") == []
    assert seen == [(0, 3)]


def test_a_failure_half_way_leaves_the_good_file_and_no_temporary_file(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    export_corpus(corpus, ExportOptions("jsonl", out))
    good = out.read_bytes()
    calls = []

    def failing(self, item):
        calls.append(item)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        self.out.write("half a line")

    monkeypatch.setattr(jsonl_format.JsonlWriter, "add", failing)
    with pytest.raises(RuntimeError):
        export_corpus(corpus, ExportOptions("jsonl", out))
    assert out.read_bytes() == good and leftovers(tmp_path) == []


def test_unwritable_output_is_an_export_error(corpus, tmp_path):
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(ExportError, match="cannot write"):
        export_corpus(corpus, ExportOptions("jsonl", tmp_path / "blocked" / "out.jsonl"))


def test_progress_counts_up_to_the_total(repo, tmp_path):
    for i in range(60):
        repo.add_document(Document(title=f"d{i}", text=f"Document number {i}."))
    seen = []
    export_corpus(
        repo, ExportOptions("claims", tmp_path / "c.jsonl"), progress=lambda d, t, m: seen.append((d, t))
    )
    assert seen == [(0, 60), (25, 60), (50, 60), (60, 60)]


def test_export_from_a_path_opens_its_own_connection(corpus, tmp_path):
    report = export_corpus(corpus.path, ExportOptions("jsonl", tmp_path / "o.jsonl"))
    assert report.documents == 3 and report.files == [tmp_path / "o.jsonl"]


# -- command line --------------------------------------------------------------------


def test_cli_exports_and_prints_a_summary(corpus, tmp_path, capsys):
    code = main(
        [
            "export",
            "--db",
            str(corpus.path),
            "--format",
            "spacy",
            "--out",
            str(tmp_path / "sp"),
            "--dev-fraction",
            "0.5",
            "--seed",
            "3",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "documents: 3 (" in out and "PERSON" in out and "problems: 1" in out
    assert "problem: document 1 ('Visit'): PERSON" in err and "'Obam'" in err
    assert {p.name for p in (tmp_path / "sp").iterdir()} == {"train.spacy", "dev.spacy"}


def test_cli_strict_exits_non_zero_only_when_asked(corpus, tmp_path, capsys):
    args = ["export", "--db", str(corpus.path), "--format", "conll", "--out", str(tmp_path / "o.conll")]
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1
    assert "nothing written" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "jsonl", "--dev-fraction", "0.2"], "--dev-fraction applies to --format spacy only"),
        (["--format", "spacy", "--dev-fraction", "1.5"], "more than 0 and less than 1"),
        (["--format", "conll", "--status", "all"], "cannot carry a status"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(corpus, tmp_path, capsys, extra, message):
    code = main(["export", "--db", str(corpus.path), "--out", str(tmp_path / "o"), *extra])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_cli_missing_database_exits_2(tmp_path, capsys):
    code = main(
        ["export", "--db", str(tmp_path / "none.db"), "--format", "jsonl", "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2 and "no database" in err and err.count("\n") == 1
    assert not (tmp_path / "none.db").exists()


def test_cli_help_names_the_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "all documents (default)" in help_text and "accepted work (default)" in help_text


def test_tokenisation_is_the_snapping_tokenizer():
    """The export tokenises with models.nlp.tokens, so a snapped span always aligns."""
    assert [t.text for t in tokenize("Obama's visit.")] == ["Obama", "'s", "visit", "."]


def test_renewing_the_export_pipelines_changes_nothing_in_the_files(corpus, tmp_path, monkeypatch):
    export_corpus(corpus, ExportOptions("spacy", tmp_path / "once.spacy"))
    monkeypatch.setattr(ExportTokenizer, "RENEW_EVERY", 1)
    export_corpus(corpus, ExportOptions("spacy", tmp_path / "renewed.spacy"))
    assert (tmp_path / "renewed.spacy").read_bytes() == (tmp_path / "once.spacy").read_bytes()


def test_export_writes_through_a_symlink_and_refuses_a_device(tmp_path):
    import os

    from storage.exporters.base import ExportError, ExportOptions, export_corpus
    from storage.repository import Repository

    db = tmp_path / "x.db"
    repo = Repository(db)
    from models.document import Document

    repo.add_document(Document(title="T", text="Ann met Bob in Oslo."))
    repo.close()
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    os.symlink(real, link)
    export_corpus(db, ExportOptions(format="jsonl", out=link))
    assert link.is_symlink(), "the link is kept"
    assert real.read_text(encoding="utf-8").startswith('{"text":"Ann met Bob')
    with pytest.raises(ExportError, match="not a regular file"):
        export_corpus(db, ExportOptions(format="jsonl", out=Path("/dev/null")))
    assert Path("/dev/null").is_char_device()


def test_an_overlap_names_the_entity_it_lost_to_in_spacy_and_conll(tmp_path):
    """Two labels on the same words were reported as "overlaps a longer entity" (the
    adversarial test of the last round): the reason names the kept entity and how."""
    text = "Reuters said Barack Obama visited New York City."
    repo = Repository(tmp_path / "quire.db")
    try:
        doc_id = repo.add_document(Document(title="t", text=text, status=DocStatus.DONE))
        add_span(repo, doc_id, text, "Barack Obama", "PERSON")
        add_span(repo, doc_id, text, "Barack Obama", "ORG")
        add_span(repo, doc_id, text, "New York City", "GPE")
        add_span(repo, doc_id, text, "New York", "LOC")
    finally:
        repo.close()
    spacy_report = export_corpus(tmp_path / "quire.db", ExportOptions("spacy", tmp_path / "c.spacy"))
    conll_report = export_corpus(tmp_path / "quire.db", ExportOptions("conll", tmp_path / "c.conll"))
    assert sorted((p.text, p.label, p.reason) for p in spacy_report.overlaps) == [
        ("Barack Obama", "ORG", "covers the same words as PERSON 'Barack Obama' (one label per token): "
         "in doc.spans['sc'] only"),
        ("New York", "LOC", "overlaps a longer entity, GPE 'New York City': in doc.spans['sc'] only"),
    ]  # fmt: skip
    assert sorted((p.text, p.label, p.reason) for p in conll_report.problems) == [
        ("Barack Obama", "ORG", "covers the same words as PERSON 'Barack Obama' (one label per token); "
         "IOB tags hold one entity per token: left out of the CoNLL file"),
        ("New York", "LOC", "overlaps a longer entity, GPE 'New York City'; IOB tags hold one entity per "
         "token: left out of the CoNLL file"),
    ]  # fmt: skip
