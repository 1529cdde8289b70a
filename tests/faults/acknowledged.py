"""Reading a writer's log (tests/faults/writer.py) and checking the database against
what it acknowledged."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Acknowledged:
    """What a writer's committed writes promise, and the one write in flight (if any)."""

    spans: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    statuses: dict[int, str] = field(default_factory=dict)
    batches: dict[int, int] = field(default_factory=dict)  # doc id -> suggestions added
    in_flight: list[str] = field(default_factory=list)
    writes: int = 0
    locked: int = 0

    def read(self, lines: list[str]) -> Acknowledged:
        for line in lines:
            words = line.split()
            if not words:
                continue
            if words[0] == "begin":
                self.in_flight = words[1:]
            elif words[0] == "ok":
                self._commit(self.in_flight, words[1:])
                self.in_flight = []
                self.writes += 1
            elif words[0] in ("locked", "refused"):
                self.locked += words[0] == "locked"
                self.in_flight = []
        return self

    def _commit(self, write: list[str], result: list[str]) -> None:
        kind = write[0]
        if kind == "span":
            self.spans.add(int(result[0]))
        elif kind == "delete":
            self.deleted.add(int(write[1]))
        elif kind == "status":
            self.statuses[int(write[1])] = write[2]
        elif kind == "batch":
            self.batches[int(write[1])] = self.batches.get(int(write[1]), 0) + int(result[0])

    def problems(self, path: Path, origin: str) -> list[str]:
        """Every way the file breaks a promise: integrity, foreign keys, counters, an
        acknowledged write missing, a deleted span back, half a batch."""
        conn = sqlite3.connect(path)
        found = []
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            found.append("integrity_check failed")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            found.append("foreign key violations")
        wrong = conn.execute(
            "SELECT count(*) FROM documents d WHERE spans_accepted != (SELECT count(*) FROM spans "
            "WHERE doc_id = d.id AND status = 'accepted') OR spans_suggested != (SELECT count(*) "
            "FROM spans WHERE doc_id = d.id AND status = 'suggested')"
        ).fetchone()[0]
        if wrong:
            found.append(f"{wrong} document(s) with wrong counters")
        stored = {row[0] for row in conn.execute("SELECT id FROM spans")}
        flight = self.in_flight
        for span_id in self.spans - self.deleted - stored:
            if flight[:2] != ["delete", str(span_id)]:
                found.append(f"acknowledged span {span_id} missing")
        for span_id in self.deleted & stored:
            found.append(f"deleted span {span_id} is back")
        statuses = dict(conn.execute("SELECT id, status FROM documents"))
        for doc_id, status in self.statuses.items():
            if statuses[doc_id] != status and flight[:2] != ["status", str(doc_id)]:
                found.append(f"document {doc_id} is {statuses[doc_id]}, acknowledged {status}")
        counts = dict(
            conn.execute("SELECT doc_id, count(*) FROM spans WHERE origin = ? GROUP BY doc_id", [origin])
        )
        for doc_id in set(counts) | set(self.batches):
            extra = counts.get(doc_id, 0) - self.batches.get(doc_id, 0)
            batch_in_flight = flight[:2] == ["batch", str(doc_id)]
            if extra < 0 or (extra > 0 and not batch_in_flight) or extra > 5:
                found.append(f"document {doc_id}: {counts.get(doc_id, 0)} suggestions, acknowledged "
                             f"{self.batches.get(doc_id, 0)}")  # fmt: skip
        conn.close()
        return found
