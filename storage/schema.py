"""Opening a database file and bringing its schema up to date.

The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS`` is an ordered list and
migration N brings a database from version N-1 to N. Never edit a released migration:
append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


def m001_initial(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {
            "id": int, "title": str, "text": str, "text_hash": str, "source": str,
            "published": str, "language": str, "meta": str, "status": str,
            "annotator": str, "created": str, "updated": str,
        },
        pk="id",
        not_null={"title", "text", "text_hash", "status", "language"},
        defaults={"status": "new", "language": "en", "source": "", "published": "", "meta": "{}"},
    )  # fmt: skip
    db["documents"].create_index(["text_hash"], unique=True)
    db["documents"].create_index(["status"])
    db["documents"].enable_fts(["title", "text"], create_triggers=True)
    db["labels"].create(
        {"name": str, "colour": str, "key": int, "description": str}, pk="name"
    )
    db["annotators"].create({"name": str, "created": str}, pk="name")
    db["spans"].create(
        {
            "id": int, "doc_id": int, "start": int, "end": int, "label": str, "text": str,
            "status": str, "origin": str, "annotator": str, "created": str, "updated": str,
        },
        pk="id",
        not_null={"doc_id", "start", "end", "label", "text", "status", "origin"},
        foreign_keys=[("doc_id", "documents", "id")],
    )  # fmt: skip
    db["spans"].create_index(["doc_id", "start"])
    db["spans"].create_index(["label"])
    db["spans"].create_index(["status"])
    db["claims"].create(
        {
            "id": int, "doc_id": int, "content_start": int, "content_end": int,
            "cue_start": int, "cue_end": int, "source_start": int, "source_end": int,
            "source_span_id": int, "source_text": str, "source_kind": str, "certainty": str,
            "status": str, "origin": str, "annotator": str, "note": str,
            "created": str, "updated": str,
        },
        pk="id",
        not_null={"doc_id", "content_start", "content_end", "status", "origin",
                  "source_kind", "certainty"},
        foreign_keys=[("doc_id", "documents", "id"), ("source_span_id", "spans", "id")],
    )  # fmt: skip
    db["claims"].create_index(["doc_id"])
    db["claims"].create_index(["status"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [m001_initial]

SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The file cannot be used as a Quire database (one line, for the user)."""


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a usable Quire database ({exc})") from None
    return db


def migrate(db: sqlite_utils.Database) -> int:
    """Run the migrations this database has not seen; return the resulting version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {version}, newer than this Quire "
            f"({SCHEMA_VERSION}); upgrade Quire to open it"
        )
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    return SCHEMA_VERSION
