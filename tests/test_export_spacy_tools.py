"""spaCy's own tools read the exported files as they are: ``spacy train`` and
``spacy debug data`` on the DocBin split, ``spacy convert`` on the CoNLL file."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from models.annotation import Span, Status
from models.document import DocStatus, Document
from models.nlp.tokens import blank_pipeline
from storage.exporters import ExportOptions, export_corpus
from storage.repository import Repository

ENTITIES = {
    "Paris": "GPE",
    "Berlin": "GPE",
    "Reuters": "ORG",
    "NATO": "ORG",
    "Angela Merkel": "PERSON",
    "Barack Obama": "PERSON",
}
# spacy debug data calls fewer than 100 training documents an error for a blank pipeline
DOCUMENTS = 140


def spacy_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spacy", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def trained_corpus(repo: Repository) -> Repository:
    rng = random.Random(4)
    names = sorted(ENTITIES)
    for i in range(DOCUMENTS):
        first, second = rng.sample(names, 2)
        text = f"{first} met {second} 😀 on day {i}. Talks in مرحبا were calm, {second} said."
        doc_id = repo.add_document(Document(title=f"meeting {i}", text=text))
        for name, start in ((first, 0), (second, len(first) + 5)):
            repo.add_span(Span(doc_id, start, start + len(name), ENTITIES[name], name))
        if " " in first:  # an overlapping span: in doc.spans["sc"], not in doc.ents
            repo.add_span(Span(doc_id, 0, first.index(" "), "PERSON", first.split()[0]))
        last = text.rindex(second)
        repo.add_span(
            Span(doc_id, last, last + len(second), ENTITIES[second], second, status=Status.SUGGESTED)
        )
    return repo


def test_exported_docbin_trains_and_passes_debug_data(trained_corpus, tmp_path):
    report = export_corpus(
        trained_corpus, ExportOptions("spacy", tmp_path / "corpus", dev_fraction=0.25, seed=1)
    )
    assert report.problems == [] and report.overlaps
    assert report.split == {"train": 105, "dev": 35}
    config = spacy_cli("init", "config", "config.cfg", "--lang", "en", "--pipeline", "ner", cwd=tmp_path)
    assert config.returncode == 0, config.stderr
    paths = ["--paths.train", "corpus/train.spacy", "--paths.dev", "corpus/dev.spacy"]
    train = spacy_cli(
        "train",
        "config.cfg",
        *paths,
        "--training.max_steps",
        "2",
        "--training.eval_frequency",
        "1",
        cwd=tmp_path,
    )
    assert train.returncode == 0, train.stdout + train.stderr
    debug = spacy_cli("debug", "data", "config.cfg", *paths, cwd=tmp_path)
    assert debug.returncode == 0, debug.stdout + debug.stderr
    assert "Corpus is loadable" in debug.stdout
    assert "✘" not in debug.stdout, debug.stdout


def test_spacy_convert_reads_the_conll_file_with_every_entity(trained_corpus, tmp_path):
    for doc_id in trained_corpus.document_ids():  # CoNLL carries documents marked done only
        trained_corpus.set_document_status(doc_id, DocStatus.DONE)
    report = export_corpus(trained_corpus, ExportOptions("conll", tmp_path / "corpus.conll"))
    (tmp_path / "converted").mkdir()
    convert = spacy_cli("convert", "corpus.conll", "converted", "--converter", "ner", cwd=tmp_path)
    assert convert.returncode == 0, convert.stdout + convert.stderr
    docs = list(
        DocBin().from_disk(tmp_path / "converted" / "corpus.spacy").get_docs(blank_pipeline("en").vocab)
    )
    assert len(docs) == DOCUMENTS
    assert sum(len(doc.ents) for doc in docs) == report.entities == 2 * DOCUMENTS
    assert sorted({e.label_ for doc in docs for e in doc.ents}) == ["GPE", "ORG", "PERSON"]
    # the overlapping first names cannot be IOB tags: listed, not dropped silently
    assert report.problems and all("one entity per token" in p.reason for p in report.problems)
