"""Several connections on one database file: interleaved writes lose nothing, the counters
the list shows stay equal to the rows, a second window sees the first one's edits at the
next document switch, and an older database is migrated with its counts filled in."""

from __future__ import annotations

import random
import sqlite3
import threading

import sqlite_utils
from PySide6.QtCore import Qt

from models.annotation import Claim, Span, Status
from models.document import DocStatus, Document
from storage.repository import Repository
from storage.schema import SCHEMA_VERSION, connect, m001_initial

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()


def _text(n: int) -> str:
    return " ".join(WORDS[(n + i) % len(WORDS)] + str(i) for i in range(120))


def _word_spans(doc_id: int, text: str, label: str) -> list[Span]:
    spans, start = [], 0
    for word in text.split(" "):
        spans.append(Span(doc_id=doc_id, start=start, end=start + len(word), label=label, text=word))
        start += len(word) + 1
    return spans


def test_two_repositories_interleaving_writes_lose_nothing(repo, make_document):
    doc_ids = [make_document(_text(n), title=f"Doc {n}") for n in range(4)]
    texts = {doc_id: repo.document(doc_id).text for doc_id in doc_ids}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(annotator: str, label: str) -> None:
        own = Repository(repo.path, annotator=annotator)
        try:
            barrier.wait()
            for doc_id in doc_ids:
                for number, span in enumerate(_word_spans(doc_id, texts[doc_id], label)[:60]):
                    stored = own.add_span(
                        span.with_changes(status=Status.SUGGESTED if number % 3 else Status.ACCEPTED)
                    )
                    if number % 5 == 0:
                        own.update_span(stored.id, status=Status.ACCEPTED)
                own.set_document_status(doc_id, DocStatus.IN_PROGRESS)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            own.close()

    threads = [
        threading.Thread(target=writer, args=("amira", "GPE")),
        threading.Thread(target=writer, args=("bjorn", "ORG")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    for doc_id in doc_ids:
        spans = repo.spans(doc_id)
        assert len(spans) == 120  # 60 from each writer, none lost
        assert {s.annotator for s in spans} == {"amira", "bjorn"}
    _assert_counters_match_rows(repo)
    assert (
        repo.stats()["by_annotator"]["amira"]["spans_accepted"]
        + repo.stats()["by_annotator"]["amira"]["spans_suggested"]
        == 240
    )


def test_counters_follow_every_kind_of_write(repo, make_document):
    rng = random.Random(3)
    doc_ids = [make_document(_text(n), title=f"Doc {n}") for n in range(3)]
    pool: list[Span] = []
    claims: list[Claim] = []
    for step in range(300):
        doc_id = rng.choice(doc_ids)
        action = rng.random()
        if action < 0.4 or not pool:
            candidates = [
                s
                for s in _word_spans(doc_id, repo.document(doc_id).text, rng.choice(["GPE", "ORG"]))
                if s.key not in {p.key for p in pool if p.doc_id == doc_id}
            ]
            status = rng.choice(list(Status))
            pool.append(repo.add_span(rng.choice(candidates).with_changes(status=status)))
        elif action < 0.6:
            span = pool.pop(rng.randrange(len(pool)))
            repo.delete_span(span.id)
        elif action < 0.8:
            index = rng.randrange(len(pool))
            pool[index] = repo.update_span(pool[index].id, status=rng.choice(list(Status)))
        elif action < 0.9:
            claims.append(
                repo.add_claim(
                    Claim(
                        doc_id=doc_id, content_start=0, content_end=5 + step, status=rng.choice(list(Status))
                    )
                )
            )
        elif claims:
            claim = claims.pop(rng.randrange(len(claims)))
            if rng.random() < 0.5:
                repo.delete_claim(claim.id)
            else:
                claims.append(repo.update_claim(claim.id, status=rng.choice(list(Status))))
    repo.apply_suggestions(doc_ids[0], _word_spans(doc_ids[0], repo.document(doc_ids[0]).text, "LOC")[:7])
    _assert_counters_match_rows(repo)


def _assert_counters_match_rows(repo: Repository) -> None:
    for table in ("spans", "claims"):
        rows = repo.db.execute(
            f"SELECT d.id, d.{table}_accepted, d.{table}_suggested, "
            f"(SELECT count(*) FROM {table} t WHERE t.doc_id = d.id AND t.status = 'accepted'), "
            f"(SELECT count(*) FROM {table} t WHERE t.doc_id = d.id AND t.status = 'suggested') "
            "FROM documents d"
        ).fetchall()
        for doc_id, accepted, suggested, real_accepted, real_suggested in rows:
            assert (accepted, suggested) == (real_accepted, real_suggested), (table, doc_id)


def test_a_second_window_sees_edits_at_the_next_switch(qtbot, repo, make_document, main_window, tmp_path):
    first_id = make_document("Rockets hit Baghdad on Monday.", title="Baghdad")
    second_id = make_document("Drones over Kyiv overnight.", title="Kyiv")
    other_repo = Repository(repo.path, annotator="bjorn")
    try:
        mine = main_window(repo, first_id)
        theirs = main_window(other_repo, second_id)
        model = theirs.documents
        assert model.index(model.row_of(first_id), model.ENTITIES).data() == "0"

        # an analyst labels Baghdad in the first window and marks the document done
        with qtbot.waitActive(mine):  # window shortcuts act in the active window
            mine.activateWindow()
        mine.article.text.select_offsets(12, 19)
        qtbot.keyClick(mine.article.text, Qt.Key.Key_3)  # GPE
        qtbot.keyClick(mine.article.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert repo.document(first_id).status == DocStatus.DONE

        # the other window switches documents: the list and the article are up to date
        with qtbot.waitActive(theirs):
            theirs.activateWindow()
        qtbot.keyClick(theirs.article.text, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
        assert theirs.article.title.text() == "Baghdad"
        assert [s.text for s in theirs.session.spans.values()] == ["Baghdad"]
        assert model.index(model.row_of(first_id), model.ENTITIES).data() == "1"
        assert model.index(model.row_of(first_id), model.STATUS).data() == "done"
        assert theirs.corpus.done_label.text() == "Done: 1 of 2"

        # and the second window's own writes land next to the first one's
        theirs.article.text.select_offsets(23, 29)
        qtbot.keyClick(theirs.article.text, Qt.Key.Key_5)
        assert sorted(s.text for s in repo.spans(first_id)) == ["Baghdad", "Monday"]
        assert {s.annotator for s in repo.spans(first_id)} == {"tester", "bjorn"}
    finally:
        for window in (mine, theirs):
            window.close()
        other_repo.close()


def test_an_older_database_is_migrated_with_counts_and_done_dates(tmp_path):
    path = tmp_path / "v1.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    m001_initial(db)
    db.execute("PRAGMA user_version = 1")
    db["documents"].insert_all(
        [
            {
                "id": 1,
                "title": "A",
                "text": "Rockets hit Baghdad.",
                "text_hash": "a",
                "status": "done",
                "language": "en",
                "annotator": "amira",
                "created": "2025-01-02T10:00:00+00:00",
                "updated": "2025-01-03T11:00:00+00:00",
            },
            {
                "id": 2,
                "title": "B",
                "text": "Drones over Kyiv.",
                "text_hash": "b",
                "status": "new",
                "language": "en",
            },
        ]
    )
    db["spans"].insert_all(
        [
            {
                "doc_id": 1,
                "start": 12,
                "end": 19,
                "label": "GPE",
                "text": "Baghdad",
                "status": "accepted",
                "origin": "manual",
            },
            {
                "doc_id": 1,
                "start": 0,
                "end": 7,
                "label": "ORG",
                "text": "Rockets",
                "status": "suggested",
                "origin": "m",
            },
            {
                "doc_id": 2,
                "start": 12,
                "end": 16,
                "label": "GPE",
                "text": "Kyiv",
                "status": "rejected",
                "origin": "m",
            },
        ]
    )
    db.conn.commit()
    db.close()

    migrated = connect(path)
    assert migrated.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = migrated.execute(
        "SELECT id, spans_accepted, spans_suggested, claims_accepted, done_at FROM documents ORDER BY id"
    ).fetchall()
    assert rows == [(1, 1, 1, 0, "2025-01-03T11:00:00+00:00"), (2, 0, 0, 0, None)]
    migrated.close()
    repo = Repository(path)
    try:
        assert repo.stats()["done_per_day"] == {"2025-01-03": 1}
        repo.add_document(Document(title="C", text="Water talks in Amman."))
        assert [
            r for r in repo.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'amman'")
        ] == [(3,)]
    finally:
        repo.close()


def test_a_status_change_does_not_reindex_the_text(repo, make_document):
    """The FTS trigger fires on title and text only (m002): marking documents done or
    adding spans leaves the index alone, and search still finds everything."""
    doc_id = make_document("Protests grew in Cairo on Friday.", title="Cairo")
    triggers = dict(repo.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    assert "AFTER UPDATE OF title ON documents" in triggers["documents_title_au"]
    before = repo.db.execute("SELECT count(*) FROM documents_fts_data").fetchone()[0]
    for _ in range(5):
        repo.set_document_status(doc_id, DocStatus.DONE)
        repo.set_document_status(doc_id, DocStatus.IN_PROGRESS)
    assert repo.db.execute("SELECT count(*) FROM documents_fts_data").fetchone()[0] == before
    repo.db.execute("INSERT INTO documents_fts(documents_fts) VALUES('integrity-check')")
    assert repo.search_matches(doc_id, "cairo") == [(17, 22)]
