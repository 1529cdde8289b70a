"""The repository: the only code in Quire that reads or writes SQL.

Each public method that writes is one transaction (``BEGIN IMMEDIATE`` so that two
processes on one file queue on the busy timeout instead of failing mid-way).
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from models.annotation import (
    AnnotationError,
    Certainty,
    Claim,
    SourceKind,
    Span,
    Status,
    validate_claim,
    validate_span,
)
from models.document import DocStatus, Document, text_hash
from models.labels import LabelSet
from storage.schema import connect

_SPAN_FIELDS = ("id", "doc_id", "start", "end", "label", "text", "status", "origin",
                "annotator", "created", "updated")  # fmt: skip
_CLAIM_FIELDS = tuple(Claim.__dataclass_fields__)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


class Repository:
    """Documents, spans, claims, labels and annotators in one SQLite file."""

    def __init__(self, path: str | Path, annotator: str | None = None) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.annotator = annotator or default_annotator()

    def close(self) -> None:
        self.db.close()

    # -- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.execute("COMMIT")

    def _touch_annotator(self) -> None:
        self.db["annotators"].insert(
            {"name": self.annotator, "created": now()}, pk="name", ignore=True
        )

    # -- documents ---------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document]) -> list[int | None]:
        """Insert documents in one transaction; a text already stored gives ``None``."""
        ids: list[int | None] = []
        with self.transaction():
            for doc in docs:
                ids.append(self._insert_document(doc))
        return ids

    def add_document(self, doc: Document) -> int | None:
        return self.add_documents([doc])[0]

    def _insert_document(self, doc: Document) -> int | None:
        digest = text_hash(doc.text)
        if self.db.execute("SELECT 1 FROM documents WHERE text_hash = ?", [digest]).fetchone():
            return None
        stamp = now()
        row = {
            "title": doc.title, "text": doc.text, "text_hash": digest, "source": doc.source,
            "published": doc.published, "language": doc.language or "en",
            "meta": json.dumps(doc.meta, ensure_ascii=False), "status": DocStatus(doc.status).value,
            "annotator": "", "created": stamp, "updated": stamp,
        }  # fmt: skip
        if doc.id is not None:
            row["id"] = doc.id
        return self.db["documents"].insert(row).last_pk

    def has_text(self, text: str) -> bool:
        digest = text_hash(text)
        return bool(self.db.execute("SELECT 1 FROM documents WHERE text_hash = ?", [digest]).fetchone())

    def document(self, doc_id: int) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return _document_from_row(dict(zip(self._columns("documents"), row)))

    def document_ids(self, status: str | None = None) -> list[int]:
        if status:
            rows = self.db.execute("SELECT id FROM documents WHERE status = ? ORDER BY id", [status])
        else:
            rows = self.db.execute("SELECT id FROM documents ORDER BY id")
        return [r[0] for r in rows]

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_rows(self, offset: int = 0, limit: int = 200) -> list[dict[str, Any]]:
        """Rows for lists: everything but the text, in id order."""
        cursor = self.db.execute(
            "SELECT id, title, source, published, language, status, annotator, updated "
            "FROM documents ORDER BY id LIMIT ? OFFSET ?",
            [limit, offset],
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def set_document_status(self, doc_id: int, status: DocStatus) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE documents SET status = ?, annotator = ?, updated = ? WHERE id = ?",
                [DocStatus(status).value, self.annotator, now(), doc_id],
            )

    def _mark_in_progress(self, doc_id: int) -> None:
        self.db.execute(
            "UPDATE documents SET status = CASE status WHEN 'new' THEN 'in_progress' "
            "ELSE status END, annotator = ?, updated = ? WHERE id = ?",
            [self.annotator, now(), doc_id],
        )

    def _text_of(self, doc_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise AnnotationError(f"no document {doc_id}")
        return row[0]

    # -- spans -------------------------------------------------------------------------

    def spans(self, doc_id: int, status: Status | None = None) -> list[Span]:
        sql = "SELECT * FROM spans WHERE doc_id = ?"
        args: list[Any] = [doc_id]
        if status is not None:
            sql += " AND status = ?"
            args.append(Status(status).value)
        return [_span_from_row(r) for r in self._dict_rows(sql + " ORDER BY start, end, id", args)]

    def span(self, span_id: int) -> Span:
        rows = self._dict_rows("SELECT * FROM spans WHERE id = ?", [span_id])
        if not rows:
            raise KeyError(f"no span {span_id}")
        return _span_from_row(rows[0])

    def add_span(self, span: Span) -> Span:
        """Validate and store a span; returns it with id, annotator and timestamps.
        A span that carries an id (undo of a delete) is stored under that id."""
        with self.transaction():
            text = self._text_of(span.doc_id)
            validate_span(text, span, self.spans(span.doc_id))
            stored = self._insert_span(span)
            self._mark_in_progress(span.doc_id)
        return stored

    def _insert_span(self, span: Span) -> Span:
        stamp = now()
        stored = span.with_changes(
            annotator=span.annotator or self.annotator,
            created=span.created or stamp,
            updated=stamp,
        )
        row = _span_row(stored)
        if stored.id is None:
            del row["id"]
        self._touch_annotator()
        span_id = self.db["spans"].insert(row).last_pk
        return stored.with_changes(id=span_id)

    def delete_span(self, span_id: int) -> tuple[Span, list[int]]:
        """Delete a span; claims whose source was this span lose the link. Returns the
        span and the ids of those claims, so that an undo can restore both."""
        with self.transaction():
            span = self.span(span_id)
            linked = [r[0] for r in self.db.execute(
                "SELECT id FROM claims WHERE source_span_id = ?", [span_id])]  # fmt: skip
            self.db.execute("UPDATE claims SET source_span_id = NULL WHERE source_span_id = ?", [span_id])
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            self._mark_in_progress(span.doc_id)
        return span, linked

    def restore_span(self, span: Span, linked_claims: Iterable[int] = ()) -> Span:
        """Put back a deleted span under its old id, relinking the claims it sourced."""
        with self.transaction():
            stored = self.add_span(span)
            for claim_id in linked_claims:
                self.db.execute(
                    "UPDATE claims SET source_span_id = ? WHERE id = ?", [stored.id, claim_id]
                )
        return stored

    def update_span(self, span_id: int, **changes: Any) -> Span:
        """Change label, offsets or status. Moving or relabelling a span re-validates it."""
        with self.transaction():
            old = self.span(span_id)
            new = old.with_changes(**changes)
            if (new.start, new.end) != (old.start, old.end):
                new = new.with_changes(text=self._text_of(old.doc_id)[new.start : new.end])
            if new.key != old.key:
                validate_span(self._text_of(old.doc_id), new, self.spans(old.doc_id))
            new = new.with_changes(annotator=self.annotator, updated=now())
            row = _span_row(new)
            del row["id"]
            self.db["spans"].update(span_id, row)
            self._touch_annotator()
            self._mark_in_progress(old.doc_id)
        return new

    def replace_span(self, span: Span) -> Span:
        """Write back every field of a span as it was (undo of an update)."""
        with self.transaction():
            row = _span_row(span)
            del row["id"]
            self.db["spans"].update(span.id, row)
        return span

    # -- claims ------------------------------------------------------------------------

    def claims(self, doc_id: int, status: Status | None = None) -> list[Claim]:
        sql = "SELECT * FROM claims WHERE doc_id = ?"
        args: list[Any] = [doc_id]
        if status is not None:
            sql += " AND status = ?"
            args.append(Status(status).value)
        rows = self._dict_rows(sql + " ORDER BY content_start, id", args)
        return [_claim_from_row(r) for r in rows]

    def claim(self, claim_id: int) -> Claim:
        rows = self._dict_rows("SELECT * FROM claims WHERE id = ?", [claim_id])
        if not rows:
            raise KeyError(f"no claim {claim_id}")
        return _claim_from_row(rows[0])

    def add_claim(self, claim: Claim) -> Claim:
        with self.transaction():
            validate_claim(self._text_of(claim.doc_id), claim)
            stored = self._insert_claim(claim)
            self._mark_in_progress(claim.doc_id)
        return stored

    def _insert_claim(self, claim: Claim) -> Claim:
        stamp = now()
        stored = claim.with_changes(
            annotator=claim.annotator or self.annotator,
            created=claim.created or stamp,
            updated=stamp,
        )
        row = _claim_row(stored)
        if stored.id is None:
            del row["id"]
        self._touch_annotator()
        claim_id = self.db["claims"].insert(row).last_pk
        return stored.with_changes(id=claim_id)

    def update_claim(self, claim_id: int, **changes: Any) -> Claim:
        with self.transaction():
            old = self.claim(claim_id)
            new = old.with_changes(**changes, annotator=self.annotator, updated=now())
            validate_claim(self._text_of(old.doc_id), new)
            row = _claim_row(new)
            del row["id"]
            self.db["claims"].update(claim_id, row)
            self._touch_annotator()
            self._mark_in_progress(old.doc_id)
        return new

    def replace_claim(self, claim: Claim) -> Claim:
        with self.transaction():
            row = _claim_row(claim)
            del row["id"]
            self.db["claims"].update(claim.id, row)
        return claim

    def delete_claim(self, claim_id: int) -> Claim:
        with self.transaction():
            claim = self.claim(claim_id)
            self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
            self._mark_in_progress(claim.doc_id)
        return claim

    def restore_claim(self, claim: Claim) -> Claim:
        return self.add_claim(claim)

    # -- labels ------------------------------------------------------------------------

    def save_labels(self, labels: LabelSet) -> None:
        with self.transaction():
            self.db["labels"].upsert_all(
                [
                    {"name": l.name, "colour": l.colour, "key": l.key, "description": l.description}
                    for l in labels
                ],
                pk="name",
            )

    # -- statistics and search ---------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        def grouped(sql: str) -> dict[str, int]:
            return {key: count for key, count in self.db.execute(sql)}

        return {
            "documents": {
                "total": self.document_count(),
                "by_status": grouped("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status"),
            },
            "spans": {
                "total": self.db.execute("SELECT count(*) FROM spans").fetchone()[0],
                "by_label": grouped("SELECT label, count(*) FROM spans GROUP BY label ORDER BY label"),
                "by_status": grouped("SELECT status, count(*) FROM spans GROUP BY status ORDER BY status"),
            },
            "claims": {
                "total": self.db.execute("SELECT count(*) FROM claims").fetchone()[0],
                "by_status": grouped("SELECT status, count(*) FROM claims GROUP BY status ORDER BY status"),
            },
        }  # fmt: skip

    # -- helpers -----------------------------------------------------------------------

    def _columns(self, table: str) -> list[str]:
        return [c.name for c in self.db[table].columns]

    def _dict_rows(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, args)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


def _document_from_row(row: dict[str, Any]) -> Document:
    try:
        meta = json.loads(row.get("meta") or "{}")
    except json.JSONDecodeError:
        meta = {}
    return Document(
        id=row["id"], title=row["title"], text=row["text"], source=row["source"] or "",
        published=row["published"] or "", language=row["language"] or "en", meta=meta,
        status=DocStatus(row["status"]),
    )  # fmt: skip


def _span_row(span: Span) -> dict[str, Any]:
    row = {name: getattr(span, name) for name in _SPAN_FIELDS}
    row["status"] = Status(span.status).value
    return row


def _span_from_row(row: dict[str, Any]) -> Span:
    values = {name: row[name] for name in _SPAN_FIELDS}
    values["status"] = Status(values["status"])
    values["annotator"] = values["annotator"] or ""
    return Span(**values)


def _claim_row(claim: Claim) -> dict[str, Any]:
    row = asdict(claim)
    row["status"] = Status(claim.status).value
    row["source_kind"] = SourceKind(claim.source_kind).value
    row["certainty"] = Certainty(claim.certainty).value
    return row


def _claim_from_row(row: dict[str, Any]) -> Claim:
    values = {name: row[name] for name in _CLAIM_FIELDS}
    values["status"] = Status(values["status"])
    values["source_kind"] = SourceKind(values["source_kind"])
    values["certainty"] = Certainty(values["certainty"])
    for name in ("source_text", "annotator", "note"):
        values[name] = values[name] or ""
    return Claim(**values)


__all__ = ["Repository", "AnnotationError", "sqlite3"]
