"""A claim's cue kind and claim kind: stored, migrated into older databases, exported."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from models.annotation import Claim, ClaimKind, CueKind, Status
from storage.exporters import ExportOptions, export_corpus
from storage.repository import Repository
from storage.schema import MIGRATIONS, m005_claim_kinds

TEXT = "The attack was claimed by the Northern Front. A new poll shows support is falling."


def test_kinds_are_stored_and_read_back(repo, make_document):
    doc_id = make_document(TEXT)
    stored = repo.add_claim(
        Claim(doc_id=doc_id, content_start=0, content_end=10, cue_kind=CueKind.RESPONSIBILITY,
              claim_kind=ClaimKind.RESPONSIBILITY)
    )  # fmt: skip
    plain = repo.add_claim(Claim(doc_id=doc_id, content_start=63, content_end=81))
    assert repo.claim(stored.id).cue_kind == CueKind.RESPONSIBILITY
    assert repo.claim(stored.id).claim_kind == ClaimKind.RESPONSIBILITY
    assert (repo.claim(plain.id).cue_kind, repo.claim(plain.id).claim_kind) == (None, ClaimKind.STATEMENT)
    changed = repo.update_claim(plain.id, cue_kind=CueKind.EVIDENCE)
    assert repo.claim(plain.id) == changed and changed.cue_kind == CueKind.EVIDENCE


def test_claims_of_an_older_database_become_statements_of_no_stated_kind(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(str(path)))
    before = MIGRATIONS.index(m005_claim_kinds)
    for migration in MIGRATIONS[:before]:
        migration(db)
    db.execute(f"PRAGMA user_version = {before}")
    db["documents"].insert({"id": 1, "title": "t", "text": TEXT, "text_hash": "h"})
    db["claims"].insert({"id": 4, "doc_id": 1, "content_start": 0, "content_end": 10,
                         "source_kind": "unattributed", "certainty": "asserted",
                         "status": "accepted", "origin": "manual"})  # fmt: skip
    db.conn.commit()
    db.close()
    repo = Repository(path)
    claim = repo.claim(4)
    assert (claim.cue_kind, claim.claim_kind, claim.content_end) == (None, ClaimKind.STATEMENT, 10)
    repo.close()


def test_claims_export_carries_both_kinds(repo, make_document, tmp_path):
    doc_id = make_document(TEXT)
    repo.add_claim(
        Claim(doc_id=doc_id, content_start=0, content_end=10, cue_start=15, cue_end=22,
              cue_kind=CueKind.RESPONSIBILITY, claim_kind=ClaimKind.RESPONSIBILITY)
    )  # fmt: skip
    repo.add_claim(Claim(doc_id=doc_id, content_start=63, content_end=81, status=Status.ACCEPTED))
    export_corpus(repo.path, ExportOptions("claims", tmp_path / "claims.jsonl"))
    [record] = [json.loads(line) for line in (tmp_path / "claims.jsonl").read_text().splitlines()]
    kinds = [(c["content"]["text"], c["cue_kind"], c["claim_kind"]) for c in record["claims"]]
    assert kinds == [
        ("The attack", "responsibility", "responsibility"),
        ("support is falling", None, "statement"),
    ]
