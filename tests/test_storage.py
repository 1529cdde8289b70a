"""Repository and schema guarantees the GUI's undo history relies on."""

from __future__ import annotations

import sqlite3

import pytest

from models.annotation import AnnotationError, Claim, Span, Status
from models.document import Document
from storage.repository import Repository
from storage.schema import MIGRATIONS, SCHEMA_VERSION, connect


def test_ids_of_deleted_spans_and_claims_are_never_reused(repo, make_document):
    doc_id = make_document("Maria Lopez met Ahmed Salah in Cairo.")
    first = repo.add_span(Span(doc_id=doc_id, start=0, end=11, label="PERSON", text="Maria Lopez"))
    claim = repo.add_claim(Claim(doc_id=doc_id, content_start=16, content_end=27))
    repo.delete_span(first.id)
    repo.delete_claim(claim.id)
    second = repo.add_span(Span(doc_id=doc_id, start=16, end=27, label="PERSON", text="Ahmed Salah"))
    other_claim = repo.add_claim(Claim(doc_id=doc_id, content_start=0, content_end=11))
    assert second.id != first.id and other_claim.id != claim.id
    # an undo that still remembers the deleted span finds nothing instead of the new span
    with pytest.raises(KeyError):
        repo.replace_span(first)
    assert repo.span(second.id) == second


def test_restoring_a_deleted_span_keeps_its_id(repo, make_document):
    doc_id = make_document("Maria Lopez met Ahmed Salah in Cairo.")
    span = repo.add_span(Span(doc_id=doc_id, start=0, end=11, label="PERSON", text="Maria Lopez"))
    deleted, linked = repo.delete_span(span.id)
    assert repo.restore_span(deleted, linked).id == span.id


def test_accepting_a_rejected_span_cannot_duplicate_an_accepted_one(repo, make_document):
    doc_id = make_document("Rockets hit Baghdad on Monday.")
    suggestion = Span(doc_id=doc_id, start=12, end=19, label="GPE", text="Baghdad", status=Status.SUGGESTED,
                      origin="spacy:test@1")  # fmt: skip
    repo.apply_suggestions(doc_id, [suggestion])
    rejected = repo.update_span(repo.spans(doc_id)[0].id, status=Status.REJECTED)
    repo.add_span(Span(doc_id=doc_id, start=12, end=19, label="GPE", text="Baghdad"))
    with pytest.raises(AnnotationError, match="already exists"):
        repo.update_span(rejected.id, status=Status.ACCEPTED)
    assert sorted(s.status for s in repo.spans(doc_id)) == [Status.ACCEPTED, Status.REJECTED]


SPAN_ROW = {"id": 7, "doc_id": 1, "start": 0, "end": 3, "label": "PERSON", "text": "Ann",
            "status": "accepted", "origin": "manual"}  # fmt: skip
CLAIM_ROW = {"doc_id": 1, "content_start": 4, "content_end": 11, "source_kind": "unattributed",
             "certainty": "asserted", "status": "suggested", "origin": "rules:claims@1"}  # fmt: skip


def test_migration_from_version_2_keeps_rows_links_and_counters(tmp_path):
    path = tmp_path / "old.db"
    db = connect_at_version(path, 2)
    db["documents"].insert({"id": 1, "title": "t", "text": "Ann met Bob.", "text_hash": "h"})
    db["spans"].insert(SPAN_ROW)
    db["claims"].insert({**CLAIM_ROW, "id": 3, "source_span_id": 7})
    db.conn.commit()
    db.close()

    repo = Repository(path)
    assert repo.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert repo.claim(3).source_span_id == 7 and repo.span(7).text == "Ann"
    counters = repo.db.execute("SELECT spans_accepted, claims_suggested FROM documents").fetchone()
    assert counters == (1, 1)
    repo.delete_span(7)
    new = repo.add_span(Span(doc_id=1, start=8, end=11, label="PERSON", text="Bob"))
    assert new.id == 8, "AUTOINCREMENT continues after the highest id ever used"
    assert repo.db.execute("SELECT spans_accepted FROM documents").fetchone()[0] == 1, "triggers kept"
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are on again
        repo.db["claims"].insert({**CLAIM_ROW, "source_span_id": 999})
    repo.close()


def connect_at_version(path, version: int):
    """A database built by the first ``version`` migrations only."""
    import sqlite_utils

    db = sqlite_utils.Database(sqlite3.connect(str(path)))
    db.execute("PRAGMA foreign_keys = ON")
    for migration in MIGRATIONS[:version]:
        migration(db)
    db.execute(f"PRAGMA user_version = {version}")
    return db


def test_two_connections_migrate_once(tmp_path):
    path = tmp_path / "race.db"
    first = connect(path)
    second = connect(path)  # sees the current version and runs nothing
    assert second.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    first.close()
    second.close()


def test_repository_roundtrip_of_documents(repo):
    doc_id = repo.add_document(Document(title="T", text="Text 😀 here.", meta={"a": 1}))
    assert repo.document(doc_id).meta == {"a": 1}


def test_a_suggestion_restating_a_claim_already_there_is_skipped(repo, make_document):
    """A newcomer saw pre-annotation add a second copy of a claim made by hand that
    differed only by the final period: a restatement (same content but for edge
    punctuation or quotes, or the same cue with overlapping content) is skipped."""
    text = 'The army said "the port is closed." Ali said the road was cut. Aid is late.'
    doc_id = make_document(text)

    def at(part: str) -> tuple[int, int]:
        return text.index(part), text.index(part) + len(part)

    army_said, ali_said = at("said"), (text.index("said", 20), text.index("said", 20) + 4)
    by_hand = Claim(doc_id, *at("the port is closed"), *army_said)  # no quotes, no period
    repo.add_claim(by_hand)
    rejected = Claim(doc_id, *at("the road was cut"), *ali_said, status=Status.REJECTED)
    repo.add_claim(rejected)
    suggestions = [
        Claim(doc_id, *at('"the port is closed."'), *army_said),  # same core, quotes kept
        Claim(doc_id, *at("the port is closed."), None, None),  # same core, no cue
        Claim(doc_id, *at("the road was cut."), *ali_said),  # same cue, overlapping content
        Claim(doc_id, *at("Aid is late"), None, None),  # a new claim
    ]
    report = repo.apply_suggestions(doc_id, [], suggestions)
    assert (report["claims_added"], report["claims_skipped"]) == (1, 3)
    contents = sorted(text[c.content_start : c.content_end] for c in repo.claims(doc_id))
    assert contents == ["Aid is late", "the port is closed", "the road was cut"]
