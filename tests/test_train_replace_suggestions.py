"""Pre-annotating again replaces the unreviewed suggestions of other models (issue 11):
only what is still suggested, from another origin, in the documents being pre-annotated;
never accepted, rejected or edited work, nor a suggested span a claim that stays names as
its source; each removal recorded with who ran it and what replaced it. Storage, the CLI
flag, and the window's option driven through its real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from gui.app import create_main_window
from models.annotation import Claim, Span, Status
from models.document import Document
from models.nlp.claims import CLAIMS_ORIGIN
from storage.replace_suggestions import replace_unreviewed, replaced_suggestions
from storage.repository import Repository

OLD = "model:old@1"
TEXT = "Olaf Scholz said Germany would send tanks. Police told reporters that Berlin was calm."


def span(doc_id: int, phrase: str, label: str, status: Status = Status.SUGGESTED, origin: str = OLD) -> Span:
    start = TEXT.index(phrase)
    return Span(doc_id, start, start + len(phrase), label, phrase, status=status, origin=origin)


def stocked(path: Path) -> tuple[int, int, dict[str, int]]:
    """A database with one document holding another model's work in every state, and a
    second document with an unreviewed suggestion. Returns the ids."""
    repo = Repository(path, annotator="analyst")
    try:
        doc_id = repo.add_document(Document(title="Tanks", text=TEXT))
        other = repo.add_document(Document(title="Other", text="Germany is calm."))
        ids = {
            "germany": repo.add_span(span(doc_id, "Germany", "GPE")).id,
            "berlin": repo.add_span(span(doc_id, "Berlin", "LOC")).id,
            "accepted": repo.add_span(span(doc_id, "Olaf Scholz", "PERSON", Status.ACCEPTED)).id,
            "rejected": repo.add_span(span(doc_id, "tanks", "ORG", Status.REJECTED)).id,
            "source": repo.add_span(span(doc_id, "Police", "NORP")).id,  # a kept claim's source
            "other": repo.add_span(
                Span(other, 0, 7, "GPE", "Germany", status=Status.SUGGESTED, origin=OLD)
            ).id,
        }
        germany, berlin, police = (TEXT.index(p) for p in ("Germany would", "Berlin was", "Police"))
        ids["old_claim"] = repo.add_claim(
            Claim(
                doc_id,
                germany,
                germany + len("Germany would send tanks"),
                status=Status.SUGGESTED,
                origin=OLD,
            )
        ).id
        ids["accepted_claim"] = repo.add_claim(
            Claim(doc_id, berlin, berlin + len("Berlin was calm"), source_start=police,
                  source_end=police + len("Police"), source_span_id=ids["source"], origin=OLD)
        ).id  # fmt: skip
    finally:
        repo.close()
    return doc_id, other, ids


def test_replaces_only_unreviewed_suggestions_of_other_origins_and_records_each(tmp_path: Path) -> None:
    doc_id, other, ids = stocked(tmp_path / "q.db")
    repo = Repository(tmp_path / "q.db", annotator="runner")
    try:
        counts = replace_unreviewed(repo, [doc_id], {"spacy:new@1", CLAIMS_ORIGIN}, True, "spacy:new@1")
        assert counts == {"spans_replaced": 2, "claims_replaced": 1}
        assert {s.id for s in repo.spans(doc_id)} == {ids["accepted"], ids["rejected"], ids["source"]}
        assert [c.id for c in repo.claims(doc_id)] == [ids["accepted_claim"]]
        assert [s.id for s in repo.spans(other)] == [ids["other"]]  # not being pre-annotated
        records = replaced_suggestions(repo, doc_id)
        assert {(r["kind"], r["item_id"]) for r in records} == {
            ("span", ids["germany"]), ("span", ids["berlin"]), ("claim", ids["old_claim"])
        }  # fmt: skip
        assert {(r["origin"], r["replaced_by"], r["annotator"]) for r in records} == {
            (OLD, "spacy:new@1", "runner")
        }
        germany = next(r for r in records if r["item_id"] == ids["germany"] and r["kind"] == "span")
        assert germany["record"]["text"] == "Germany" and germany["record"]["label"] == "GPE"
        assert all(r["removed"] for r in records)
    finally:
        repo.close()


def test_entities_only_leaves_claims_and_the_runs_own_origin_stays(tmp_path: Path) -> None:
    doc_id, _other, ids = stocked(tmp_path / "q.db")
    repo = Repository(tmp_path / "q.db")
    try:
        assert replace_unreviewed(repo, [doc_id], {OLD}, False, OLD) == {
            "spans_replaced": 0,
            "claims_replaced": 0,
        }
        counts = replace_unreviewed(repo, [doc_id], {"spacy:new@1"}, False, "spacy:new@1")
        assert counts == {"spans_replaced": 2, "claims_replaced": 0}
        assert {c.id for c in repo.claims(doc_id)} == {ids["old_claim"], ids["accepted_claim"]}
    finally:
        repo.close()


@pytest.mark.parametrize("replace", [True, False])
def test_cli_replace_suggestions_flag(tmp_path: Path, capsys, replace: bool) -> None:
    doc_id, _other, ids = stocked(tmp_path / "q.db")
    flag = ["--replace-suggestions"] if replace else []
    args = ["preannotate", "--db", str(tmp_path / "q.db"), "--docs", str(doc_id), "--n-process", "1", *flag]
    assert main.main(args) == 0
    out = capsys.readouterr().out
    repo = Repository(tmp_path / "q.db")
    try:
        spans = repo.spans(doc_id)
        old = {s.id for s in spans if s.origin == OLD}
        records = replaced_suggestions(repo, doc_id)
    finally:
        repo.close()
    assert any(s.origin.startswith("spacy:") for s in spans)  # the stock pipeline's suggestions
    if replace:
        assert old == {ids["accepted"], ids["rejected"], ids["source"]}
        assert len(records) == 3 and "2 entity and 1 claim suggestion(s) of other models replaced" in out
    else:
        assert {ids["germany"], ids["berlin"]} <= old and records == [] and "replaced" not in out


def test_window_replaces_unreviewed_suggestions_by_default(qtbot, tmp_path: Path) -> None:
    """Through the widgets: the option is on by default, in the Annotate menu beside
    "Suggest claims too" and in the Model menu after the chooser; pre-annotating the open
    document replaces the other model's unreviewed suggestions and keeps reviewed work;
    turned off, the next run keeps them."""
    doc_id, _other, ids = stocked(tmp_path / "q.db")
    window = create_main_window(tmp_path / "q.db", nlp=True)
    qtbot.addWidget(window)
    window.show()
    try:
        service = window.preannotation.service
        qtbot.waitUntil(lambda: service.origin != "", timeout=60_000)
        option = window.preannotation.replace_action
        assert option.isCheckable() and option.isChecked()
        assert option in window.annotate_menu.actions() and option in window.model_menu.menu.actions()
        window.open_document(doc_id)
        with qtbot.waitSignal(service.finished, timeout=120_000):
            window.preannotation.document_action.trigger()
        kept = {i for i, s in window.session.spans.items() if s.origin == OLD}
        assert kept == {ids["accepted"], ids["rejected"], ids["source"]}
        assert any(s.origin == service.origin for s in window.session.spans.values())
        assert "of other models replaced" in window.status_message.text()

        option.trigger()  # off, as a click in the menu does
        assert not option.isChecked()
        repo = Repository(tmp_path / "q.db")
        again = repo.add_span(span(doc_id, "Berlin", "FAC")).id
        repo.close()
        with qtbot.waitSignal(service.finished, timeout=120_000):
            window.preannotation.document_action.trigger()
        repo = Repository(tmp_path / "q.db")
        try:
            assert again in {s.id for s in repo.spans(doc_id)}
            assert len(replaced_suggestions(repo, doc_id)) == 3  # the first run's, no more
        finally:
            repo.close()
    finally:
        window.close()
