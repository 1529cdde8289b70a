"""Span writes cost the same in a long article as in a short one: the text lives apart from
the document row (m008), duplicates are found through the index, and the GUI's tables
and suggestion order change one record at a time."""

from __future__ import annotations

import random
import sqlite3

import pytest

from gui.record_model import RecordTableModel
from gui.review_order import SuggestionOrder
from models.annotation import AnnotationError, Claim, Span, Status
from models.document import DocStatus
from storage.repository import Repository
from storage.schema import SCHEMA_VERSION
from tests.test_storage import connect_at_version


def test_a_span_write_in_a_long_article_does_not_rewrite_its_text(repo, make_document):
    words = " ".join(f"word{n}" for n in range(200_000))  # about 1.9 MB
    doc_id = make_document(words)
    repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = repo.path.with_name(repo.path.name + "-wal")
    repo.add_span(Span(doc_id=doc_id, start=0, end=5, label="PERSON", text="word0"))
    repo.set_document_status(doc_id, DocStatus.IN_PROGRESS)
    # a few pages of spans, counters and indexes, not the 1.9 MB of text
    assert wal.stat().st_size < 200_000
    row = repo.db.execute("SELECT spans_accepted, status FROM documents WHERE id = ?", [doc_id]).fetchone()
    assert row == (1, "in_progress")
    assert repo.document(doc_id).text == words


def test_duplicates_are_refused_through_the_index(repo, make_document):
    doc_id = make_document("Ann met Bob in Paris.")
    ann = repo.add_span(Span(doc_id=doc_id, start=0, end=3, label="PERSON", text="Ann"))
    twin = Span(doc_id=doc_id, start=0, end=3, label="PERSON", text="Ann")
    assert repo.duplicate_of(twin) == ann
    assert repo.duplicate_of(twin.with_changes(label="ORG")) is None
    with pytest.raises(AnnotationError, match="already exists"):
        repo.add_span(twin)
    repo.update_span(ann.id, status=Status.REJECTED)
    assert repo.duplicate_of(twin) is None, "a rejected span is negative evidence, not a duplicate"
    again = repo.add_span(twin)
    with pytest.raises(AnnotationError, match="already exists"):
        repo.update_span(ann.id, status=Status.ACCEPTED)
    assert repo.duplicate_of(again) is None, "a span is not its own duplicate"


def test_migration_moves_texts_apart_and_search_finds_prefixes(tmp_path):
    path = tmp_path / "v3.db"
    db = connect_at_version(path, 3)
    db["documents"].insert({"id": 1, "title": "Kabul", "text": "Karachi talks stalled.", "text_hash": "h"})
    db.conn.commit()
    db.close()

    repo = Repository(path)
    assert repo.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "text" not in {c.name for c in repo.db["documents"].columns}
    assert repo.document(1).text == "Karachi talks stalled."
    assert repo.search_matches(1, "ka*") == [(0, 7)]
    repo.db.execute("UPDATE documents SET title = 'Lahore' WHERE id = 1")
    hits = repo.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'lahore'").fetchall()
    assert hits == [(1,)]
    assert not repo.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'kabul'").fetchall()
    repo.db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
    repo.close()


def test_a_document_keeps_its_text_row_and_index_in_step(repo, make_document):
    doc_id = make_document("Drones over Kyiv.", title="Kyiv")
    assert repo.db.execute("SELECT text FROM document_texts WHERE id = ?", [doc_id]).fetchone() == (
        "Drones over Kyiv.",
    )
    with pytest.raises(sqlite3.IntegrityError):  # a text needs its document
        repo.db.execute("INSERT INTO document_texts (id, text) VALUES (999, 'orphan')")
    repo.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    assert repo.db.execute("SELECT count(*) FROM document_texts").fetchone() == (0,)
    assert not repo.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'kyiv'").fetchall()


class _Spans(RecordTableModel[Span]):
    COLUMNS = ("Text",)
    order = staticmethod(lambda span: (span.start, span.end, span.id or 0))


def _span(span_id: int, start: int, status: Status = Status.SUGGESTED) -> Span:
    return Span(doc_id=1, start=start, end=start + 3, label="ORG", text="abc", status=status, id=span_id)


def test_the_record_model_stays_sorted_through_random_changes(qtbot):
    rng = random.Random(4)
    model = _Spans()
    live = {i: _span(i, rng.randrange(100)) for i in range(1, 40)}
    model.reset(list(live.values()))
    next_id = 40
    for _ in range(300):
        action = rng.choice(("add", "remove", "replace"))
        if action == "add" or not live:
            live[next_id] = _span(next_id, rng.randrange(100))
            model.add(live[next_id])
            next_id += 1
        elif action == "remove":
            span_id = rng.choice(list(live))
            model.remove(span_id)
            del live[span_id]
        else:
            span_id = rng.choice(list(live))
            status = rng.choice(list(Status))
            live[span_id] = _span(span_id, rng.choice((live[span_id].start, rng.randrange(100))), status)
            model.replace(live[span_id])
        expected = sorted(live.values(), key=_Spans.order)
        assert model.records() == expected
    assert all(model.row_of(s.id) == row for row, s in enumerate(expected))
    assert model.status_counts == {s: sum(x.status == s for x in expected) for s in Status}


def test_a_moved_row_keeps_its_selection(qtbot):
    from PySide6.QtCore import QPersistentModelIndex

    model = _Spans()
    model.reset([_span(1, 0), _span(2, 10), _span(3, 20)])
    held = QPersistentModelIndex(model.index(0, 0))
    model.replace(_span(1, 30))
    assert [s.id for s in model.records()] == [2, 3, 1]
    assert held.row() == 2


def test_suggestion_order_steps_through_suggestions_only():
    spans = [_span(1, 10), _span(2, 0, Status.ACCEPTED), _span(3, 5), _span(4, 20)]
    order = SuggestionOrder(spans)
    assert (order.ids(), len(order)) == ([3, 1, 4], 3)
    assert order.after((5, 8, 3)) == 1 and order.before((5, 8, 3)) is None
    assert order.after((20, 23, 4)) is None and (order.first(), order.last()) == (3, 4)
    order.update(spans[0], spans[0].with_changes(status=Status.ACCEPTED))
    order.update(None, _span(5, 1))
    order.update(spans[3], None)
    assert order.ids() == [5, 3]


def test_stored_suggestions_count_once_per_document_and_later_writes_count_again(repo, make_document):
    first = make_document("Ann met Bob in Paris.")
    second = make_document("Rockets hit Baghdad.")

    def suggested(doc_id: int, start: int, end: int, label: str) -> Span:
        text = repo.document(doc_id).text[start:end]
        return Span(doc_id=doc_id, start=start, end=end, label=label, text=text, origin="spacy:t@1")

    repo.apply_suggestion_batch([
        (first, [suggested(first, 0, 3, "PERSON"), suggested(first, 8, 11, "PERSON")], []),
        (second, [suggested(second, 12, 19, "GPE")], []),
    ])  # fmt: skip
    with pytest.raises(AnnotationError):  # refused whole: nothing stored, nothing paused
        repo.apply_suggestion_batch([(second, [suggested(second, 0, 7, "ORG").with_changes(end=99)], [])])
    assert repo.db.execute("SELECT count(*) FROM counter_pause").fetchone() == (0,)
    repo.add_span(Span(doc_id=first, start=15, end=20, label="GPE", text="Paris"))
    rows = repo.db.execute("SELECT id, spans_suggested, spans_accepted FROM documents ORDER BY id").fetchall()
    assert rows == [(first, 2, 1), (second, 1, 0)]


_RECOUNT = """SELECT d.id,
  (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.status = 'accepted'),
  (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.status = 'suggested'),
  (SELECT count(*) FROM claims c WHERE c.doc_id = d.id AND c.status = 'accepted'),
  (SELECT count(*) FROM claims c WHERE c.doc_id = d.id AND c.status = 'suggested')
FROM documents d ORDER BY d.id"""
_COUNTERS = (
    "SELECT id, spans_accepted, spans_suggested, claims_accepted, claims_suggested FROM documents ORDER BY id"
)


def test_counters_after_bulk_writes_equal_counts_recomputed_from_scratch(repo, make_document):
    rng = random.Random(7)
    words = [f"w{n}" for n in range(400)]
    texts = [" ".join(rng.sample(words, 120)) + " end" for _ in range(4)]
    ids = [make_document(text, title=f"Doc {n}") for n, text in enumerate(texts)]
    pairs = zip(ids, texts, strict=True)
    starts = {doc_id: [n for n, char in enumerate(text) if char == "w"] for doc_id, text in pairs}

    def span(doc_id: int, start: int, label: str, **fields) -> Span:
        text = repo.document(doc_id).text
        end = text.index(" ", start)
        return Span(doc_id=doc_id, start=start, end=end, label=label, text=text[start:end], **fields)

    # reviewed work first: accepted and rejected spans, an accepted claim
    accepted = repo.add_span(span(ids[0], starts[ids[0]][3], "ORG"))
    rejected = repo.add_span(span(ids[1], starts[ids[1]][5], "GPE"))
    repo.update_span(rejected.id, status=Status.REJECTED)
    repo.add_claim(Claim(doc_id=ids[2], content_start=starts[ids[2]][0], content_end=starts[ids[2]][4] - 1))
    for round_ in range(2):  # the second round repeats much of the first: skipped as known
        batch = []
        for doc_id in ids[: 3 + round_]:
            spans = [span(doc_id, start, rng.choice(["ORG", "GPE", "PERSON"]), origin="spacy:t@1",
                          annotator="model-runner")
                     for start in rng.sample(starts[doc_id], 40)]  # fmt: skip
            words_at = starts[doc_id]
            claims = [Claim(doc_id=doc_id, content_start=words_at[n], content_end=words_at[n + 3] - 1,
                            status=Status.SUGGESTED, origin="rules:t@1")
                      for n in rng.sample(range(len(words_at) - 4), 5)]  # fmt: skip
            batch.append((doc_id, spans, claims))
        result = repo.apply_suggestion_batch(batch)
        assert result["spans_added"] > 0 and (round_ == 0 or result["spans_skipped"] > 0)
    # later single writes go through the per-row triggers again
    some = repo.spans(ids[3], Status.SUGGESTED)[:3]
    repo.update_span(some[0].id, status=Status.ACCEPTED)
    repo.update_span(some[1].id, status=Status.REJECTED)
    repo.delete_span(some[2].id)

    recomputed = repo.db.execute(_RECOUNT).fetchall()
    assert repo.db.execute(_COUNTERS).fetchall() == recomputed
    assert sum(row[2] for row in recomputed) > 100 and sum(row[4] for row in recomputed) > 5
    # who and what made each suggestion is kept, and nothing is left in the staging tables
    made = repo.db.execute(
        "SELECT DISTINCT origin, annotator FROM spans WHERE status = 'suggested'"
    ).fetchall()
    assert made == [("spacy:t@1", "model-runner")]
    assert repo.span(accepted.id).origin == "manual" and repo.span(accepted.id).status == Status.ACCEPTED
    assert repo.db.execute("SELECT count(*) FROM temp.stage_spans").fetchone() == (0,)
    assert repo.db.execute("SELECT count(*) FROM temp.stage_claims").fetchone() == (0,)
    assert repo.db.execute("SELECT count(*) FROM counter_pause").fetchone() == (0,)


def test_a_refused_bulk_write_leaves_counters_and_rows_as_they_were(repo, make_document):
    doc_id = make_document("Ann met Bob in Paris.")
    good = Span(doc_id, 0, 3, "PERSON", "Ann", status=Status.SUGGESTED, origin="m")
    repo.apply_suggestion_batch([(doc_id, [good], [])])
    before = repo.db.execute(_COUNTERS).fetchall()
    bad_claim = Claim(doc_id=doc_id, content_start=8, content_end=99, status=Status.SUGGESTED, origin="m")
    later = good.with_changes(start=8, end=11, text="Bob")
    with pytest.raises(AnnotationError):  # the claim is refused after the spans went in
        repo.apply_suggestion_batch([(doc_id, [later], [bad_claim])])
    assert repo.db.execute(_COUNTERS).fetchall() == before == repo.db.execute(_RECOUNT).fetchall()
    assert [s.text for s in repo.spans(doc_id)] == ["Ann"]
    repo.apply_suggestion_batch([(doc_id, [later], [])])  # the staging table works again
    counters = repo.db.execute(_COUNTERS).fetchall()
    assert counters == repo.db.execute(_RECOUNT).fetchall() == [(doc_id, 0, 2, 0, 0)]


def test_migration_9_drops_only_indexes_no_query_needs(tmp_path):
    path = tmp_path / "v8.db"
    connect_at_version(path, 8).close()
    repo = Repository(path)
    indexes = {r[0] for r in repo.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not indexes & {"idx_spans_label", "idx_spans_status", "idx_claims_status"}
    assert {"idx_spans_label_doc", "idx_spans_doc_id_start", "idx_claims_doc_id"} <= indexes

    def plan(sql: str) -> str:
        return " ".join(r[3] for r in repo.db.execute("EXPLAIN QUERY PLAN " + sql))

    by_label = "SELECT doc_id FROM spans WHERE label = 'GPE' AND status != 'rejected'"
    assert "idx_spans_label_doc" in plan(by_label)
    assert "idx_spans_doc_id_start" in plan("SELECT * FROM spans WHERE doc_id = 1 AND status = 'accepted'")
    assert "idx_claims_doc_id" in plan("SELECT * FROM claims WHERE doc_id = 1 AND status = 'suggested'")
    repo.close()
