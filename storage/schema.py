"""Opening a database file and bringing its schema up to date.

The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS`` is an ordered list and
migration N brings a database from version N-1 to N. Never edit a released migration:
append a new one.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path


def _import_sqlite_utils_without_numpy() -> None:
    """sqlite-utils (4.2.1) imports numpy when it is first imported, only to map numpy's
    scalar types to column types when it infers a table from rows; Quire always names its
    column types, and numpy took 0.3 s of the window's 1-2 s start-up. So unless numpy is
    loaded already, sqlite-utils is imported while numpy cannot be (it then leaves those
    types out, as it does when numpy is not installed); numpy imports normally afterwards
    (spaCy needs it). tests/test_write_paths.py checks both in a fresh interpreter."""
    if "numpy" in sys.modules:
        import sqlite_utils  # noqa: F401

        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils_without_numpy()
import sqlite_utils  # noqa: E402

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
    db["labels"].create({"name": str, "colour": str, "key": int, "description": str}, pk="name")
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


_FTS_UPDATE_TRIGGER = """
CREATE TRIGGER "documents_au" AFTER UPDATE OF "title", "text" ON "documents" BEGIN
  INSERT INTO "documents_fts" ("documents_fts", rowid, "title", "text")
    VALUES('delete', old.rowid, old."title", old."text");
  INSERT INTO "documents_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text");
END"""

# Per-document counters of accepted and suggested spans and claims, kept by triggers so
# that every write path (manual edits, suggestions, imports, other processes) keeps them
# right; the document list sorts and filters on them without touching the spans table.
_COUNT_CHANGE = """UPDATE documents SET
    {table}_accepted = {table}_accepted {sign} ({row}.status = 'accepted'),
    {table}_suggested = {table}_suggested {sign} ({row}.status = 'suggested')
  WHERE id = {row}.doc_id;"""
_COUNTER_TRIGGERS = (
    """CREATE TRIGGER "{table}_count_ai" AFTER INSERT ON "{table}"
WHEN new.status IN ('accepted', 'suggested') BEGIN
  {add_new}
END""",
    """CREATE TRIGGER "{table}_count_ad" AFTER DELETE ON "{table}"
WHEN old.status IN ('accepted', 'suggested') BEGIN
  {remove_old}
END""",
    """CREATE TRIGGER "{table}_count_au" AFTER UPDATE OF status, doc_id ON "{table}"
WHEN old.status IS NOT new.status OR old.doc_id IS NOT new.doc_id BEGIN
  {remove_old}
  {add_new}
END""",
)

# When a document became done (documents per day); cleared when it is reopened.
_NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"
_DONE_TRIGGERS = (
    f"""CREATE TRIGGER "documents_done_ai" AFTER INSERT ON documents
WHEN new.status = 'done' AND new.done_at IS NULL BEGIN
  UPDATE documents SET done_at = coalesce(new.updated, {_NOW}) WHERE id = new.id;
END""",
    f"""CREATE TRIGGER "documents_done_au" AFTER UPDATE OF status ON documents
WHEN (new.status = 'done') IS NOT (old.status = 'done') BEGIN
  UPDATE documents SET done_at = CASE WHEN new.status = 'done'
    THEN coalesce(new.updated, {_NOW}) END WHERE id = new.id;
END""",
)


_LIST_FILTER_COLUMNS = ["id", "status", "source", "spans_suggested", "claims_suggested"]
# ORDER BY of each sort key (Repository keeps the same terms); "source" also carries the
# accepted counters for the per-source statistics.
_LIST_INDEXES = {
    "id": ["id"],
    "title": ["title COLLATE NOCASE", "id"],
    "source": ["source COLLATE NOCASE", "id", "spans_accepted", "claims_accepted"],
    "published": ["published", "id"],
    "language": ["language", "id"],
    "updated": ["updated", "id"],
    "annotator": ["annotator COLLATE NOCASE", "id"],
    "status": ["status", "id"],
    "entities": ["spans_accepted", "spans_suggested", "id"],
    "claims": ["claims_accepted", "claims_suggested", "id"],
}


def m002_corpus_workflow(db: sqlite_utils.Database) -> None:
    """Counters, done dates and indexes for the document list, its filters and the
    statistics; the FTS update trigger fires only when title or text change (a status or
    counter update no longer re-indexes the whole text)."""
    db.execute('DROP TRIGGER IF EXISTS "documents_au"')
    db.execute(_FTS_UPDATE_TRIGGER)
    documents = db["documents"]
    for table in ("spans", "claims"):
        for status in ("accepted", "suggested"):
            documents.add_column(f"{table}_{status}", int, not_null_default=0)
    documents.add_column("done_at", str)
    for table in ("spans", "claims"):
        db.execute(
            f"UPDATE documents SET "
            f"{table}_accepted = (SELECT count(*) FROM {table} t WHERE t.doc_id = documents.id "
            f"AND t.status = 'accepted'), "
            f"{table}_suggested = (SELECT count(*) FROM {table} t WHERE t.doc_id = documents.id "
            f"AND t.status = 'suggested')"
        )
        changes = {
            "add_new": _COUNT_CHANGE.format(table=table, sign="+", row="new"),
            "remove_old": _COUNT_CHANGE.format(table=table, sign="-", row="old"),
        }
        for template in _COUNTER_TRIGGERS:
            db.execute(template.format(table=table, **changes))
    db.execute("UPDATE documents SET done_at = coalesce(updated, created) WHERE status = 'done'")
    for statement in _DONE_TRIGGERS:
        db.execute(statement)
    # One index per sort order of the document list, each also holding the columns the
    # list filters on, so that any filter in any order is a scan of one narrow index:
    # the table's rows hold the text and are ten times wider.
    for name, order in _LIST_INDEXES.items():
        named = {term.split()[0] for term in order}
        extra = [c for c in _LIST_FILTER_COLUMNS if c not in named]
        db.execute(f'CREATE INDEX "idx_documents_list_{name}" ON documents ({", ".join(order + extra)})')
    db.execute('CREATE INDEX "idx_documents_done_at" ON documents (done_at)')
    db.execute('CREATE INDEX "idx_spans_label_doc" ON spans (label, status, doc_id)')
    db.execute('CREATE INDEX "idx_spans_annotator" ON spans (annotator, status)')
    db.execute('CREATE INDEX "idx_claims_annotator" ON claims (annotator, status)')


def m003_ids_never_reused(db: sqlite_utils.Database) -> None:
    """Span and claim ids become AUTOINCREMENT: SQLite otherwise hands the id of the
    latest deleted row to the next insert, and an undo that remembers "span 12" (or
    another window) could then delete or overwrite somebody else's new span. The tables
    are rebuilt as SQLite's ALTER TABLE procedure prescribes (foreign keys off, see
    ``migrate``), keeping every row, index and trigger."""
    for table in ("spans", "claims"):
        create, others = _table_sql(db, table)
        primary = '"id" INTEGER PRIMARY KEY,'
        if primary not in create:
            raise DatabaseError(f"unexpected schema of {table}; cannot migrate")
        create = create.replace(primary, '"id" INTEGER PRIMARY KEY AUTOINCREMENT,', 1)
        db.execute(create.replace(f'CREATE TABLE "{table}"', f'CREATE TABLE "{table}_new"', 1))
        db.execute(f'INSERT INTO "{table}_new" SELECT * FROM "{table}"')
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "{table}_new" RENAME TO "{table}"')
        for statement in others:
            db.execute(statement)


m003_ids_never_reused.foreign_keys_off = True  # type: ignore[attr-defined]


# The text lives in its own table (m008): a document's row is rewritten whole on every
# UPDATE, and every span write updates its counters, status and time; with the text in
# the row that cost 24 ms per write in a 5 MB article (the text's overflow pages went
# to the WAL each time), with the text apart it is a few microseconds.
_DOCUMENT_TEXT_TRIGGERS = (
    """CREATE TRIGGER "document_texts_ai" AFTER INSERT ON document_texts BEGIN
  INSERT INTO documents_fts (rowid, title, text)
    VALUES (new.id, (SELECT title FROM documents WHERE id = new.id), new.text);
END""",
    """CREATE TRIGGER "document_texts_au" AFTER UPDATE OF text ON document_texts BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES
    ('delete', old.id, (SELECT title FROM documents WHERE id = old.id), old.text);
  INSERT INTO documents_fts (rowid, title, text)
    VALUES (new.id, (SELECT title FROM documents WHERE id = new.id), new.text);
END""",
    """CREATE TRIGGER "documents_title_au" AFTER UPDATE OF title ON documents
WHEN EXISTS (SELECT 1 FROM document_texts WHERE id = new.id) BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES
    ('delete', old.id, old.title, (SELECT text FROM document_texts WHERE id = old.id));
  INSERT INTO documents_fts (rowid, title, text)
    VALUES (new.id, new.title, (SELECT text FROM document_texts WHERE id = new.id));
END""",
    """CREATE TRIGGER "documents_bd" BEFORE DELETE ON documents
WHEN EXISTS (SELECT 1 FROM document_texts WHERE id = old.id) BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES
    ('delete', old.id, old.title, (SELECT text FROM document_texts WHERE id = old.id));
  DELETE FROM document_texts WHERE id = old.id;
END""",
)
# Storing a model's suggestions pauses the per-row counter triggers and adds each
# document's counts once: one counter update rewrites eleven list-index entries, 250 us,
# which made 50,000 suggestions take 6 s longer. The pause is a row in ``counter_pause``
# that only the writing transaction ever sees (Repository.apply_suggestion_batch).
_PAUSABLE_COUNTER_TRIGGERS = (
    """CREATE TRIGGER "{table}_count_ai" AFTER INSERT ON "{table}"
WHEN new.status IN ('accepted', 'suggested') AND NOT EXISTS (SELECT 1 FROM counter_pause) BEGIN
  {add_new}
END""",
    _COUNTER_TRIGGERS[1],
    _COUNTER_TRIGGERS[2],
)

# Prefix indexes for searches such as "ka*" (two and three characters; longer prefixes
# narrow the three-character list).
FTS_PREFIXES = "2 3"


def m008_text_apart_and_prefix_search(db: sqlite_utils.Database) -> None:
    """Move each document's text to ``document_texts`` so that writes to the small
    ``documents`` row (counters, status, time) no longer rewrite the text; rebuild the
    full-text index over both (the ``documents_content`` view) with prefix indexes; index
    ``claims.source_span_id`` (deleting a span looks up the claims it sources)."""
    db.execute(
        "CREATE TABLE document_texts (id INTEGER PRIMARY KEY "
        "REFERENCES documents(id) ON DELETE CASCADE, text TEXT NOT NULL)"
    )
    db.execute("INSERT INTO document_texts (id, text) SELECT id, text FROM documents")
    for trigger in ("documents_ai", "documents_ad", "documents_au"):
        db.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    db.execute("DROP TABLE IF EXISTS documents_fts")
    db.execute("ALTER TABLE documents DROP COLUMN text")
    db.execute(
        "CREATE VIEW documents_content AS SELECT d.id AS id, d.title AS title, t.text AS text "
        "FROM documents d JOIN document_texts t ON t.id = d.id"
    )
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents_content', "
        f"content_rowid='id', prefix='{FTS_PREFIXES}')"
    )
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
    for statement in _DOCUMENT_TEXT_TRIGGERS:
        db.execute(statement)
    db.execute('CREATE INDEX IF NOT EXISTS "idx_claims_source_span" ON claims (source_span_id)')
    db.execute("CREATE TABLE counter_pause (paused INTEGER NOT NULL)")
    for table in ("spans", "claims"):
        db.execute(f'DROP TRIGGER "{table}_count_ai"')
        db.execute(
            _PAUSABLE_COUNTER_TRIGGERS[0].format(
                table=table, add_new=_COUNT_CHANGE.format(table=table, sign="+", row="new")
            )
        )


def _table_sql(db: sqlite_utils.Database, table: str) -> tuple[str, list[str]]:
    """The CREATE statement of ``table`` and those of its indexes and triggers."""
    rows = db.execute(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", [table]
    ).fetchall()
    create = next(sql for kind, sql in rows if kind == "table")
    return create, [sql for kind, sql in rows if kind in ("index", "trigger")]


def m004_canonical_entities(db: sqlite_utils.Database) -> None:
    """Canonical entities, the links of spans and claim sources to them, and remembered
    rejections of suggested links (storage/entities.py)."""
    from storage.entities import migrate_canonical_entities

    migrate_canonical_entities(db)


def m005_claim_kinds(db: sqlite_utils.Database) -> None:
    """Claims say what kind of attribution their cue makes (``cue_kind``: speech,
    evidence, call, ...; NULL when not stated) and whether they claim responsibility for
    an act (``claim_kind``: statement or responsibility). Existing claims are statements
    of no stated cue kind."""
    db["claims"].add_column("cue_kind", str)
    db["claims"].add_column("claim_kind", str, not_null_default="statement")


def m006_entity_link_counts(db: sqlite_utils.Database) -> None:
    """The entities view's counts from indexes alone (storage/entities.py)."""
    from storage.entities import migrate_entity_link_counts

    migrate_entity_link_counts(db)


def m007_model_registry(db: sqlite_utils.Database) -> None:
    """Trained models (``train``): one row per name and version, with the folder, the base
    pipeline, the labels, how much confirmed work it learnt from and its dev scores (JSON).
    The chooser and ``preannotate --model NAME`` read it; the folder may later be moved or
    deleted, which the reader reports."""
    db["trained_models"].create(
        {
            "id": int, "name": str, "version": int, "task": str, "path": str, "base": str,
            "labels": str, "created": str, "documents": int, "spans": int, "claims": int,
            "scores": str,
        },
        pk="id",
        not_null={"name", "version", "task", "path", "base", "created"},
        defaults={"labels": "[]", "scores": "{}", "documents": 0, "spans": 0, "claims": 0},
    )  # fmt: skip
    db["trained_models"].create_index(["name", "version"], unique=True)


def m009_fewer_span_indexes(db: sqlite_utils.Database) -> None:
    """Drop the indexes no query needs; every index is one more b-tree to change on each
    span or claim written (storing a model's suggestions, each review key).
    ``idx_spans_label`` is the first column of ``idx_spans_label_doc`` (label, status,
    doc_id), which serves every query by label; ``idx_spans_status`` and
    ``idx_claims_status`` served only the statistics' counts by status, which now come
    from the (label, status) scan for spans and the small claims table's annotator
    index; every other query by status narrows by document first."""
    for index in ("idx_spans_label", "idx_spans_status", "idx_claims_status"):
        db.execute(f'DROP INDEX IF EXISTS "{index}"')


def m010_replaced_suggestions(db: sqlite_utils.Database) -> None:
    """Unreviewed suggestions removed when pre-annotation replaced them with another
    model's (``storage/replace_suggestions.py``): the row as it was (JSON), its origin,
    the origin that replaced it, who ran the pre-annotation and when."""
    db.execute(
        "CREATE TABLE replaced_suggestions (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "item_id INTEGER NOT NULL, doc_id INTEGER NOT NULL, origin TEXT NOT NULL, "
        "replaced_by TEXT NOT NULL, annotator TEXT NOT NULL, removed TEXT NOT NULL, record TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_replaced_suggestions_doc ON replaced_suggestions (doc_id)")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    m001_initial,
    m002_corpus_workflow,
    m003_ids_never_reused,
    m004_canonical_entities,
    m005_claim_kinds,
    m006_entity_link_counts,
    m007_model_registry,
    m008_text_apart_and_prefix_search,
    m009_fewer_span_indexes,
    m010_replaced_suggestions,
]

SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The file cannot be used as a Quire database (one line, for the user)."""


# SQLite keeps a database in its own file and, while it is open or after a crash, in
# companions named after it.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def is_database_file(target: str | Path, database: str | Path) -> bool:
    """Whether writing ``target`` would overwrite the database at ``database`` or one of
    its ``-wal``/``-shm``/``-journal`` files: paths are compared after resolving symbolic
    links (``realpath``), and as one file on disk (a hard link) where both exist."""
    wanted = os.path.realpath(target)
    for base in dict.fromkeys((os.fspath(database), os.path.realpath(database))):
        for name in (base, *(base + suffix for suffix in COMPANION_SUFFIXES)):
            if os.path.realpath(name) == wanted:
                return True
            try:
                if os.path.samefile(name, target):
                    return True
            except OSError:  # one of them does not exist (yet)
                continue
    return False


def missing_database(path: str | Path) -> str | None:
    """Why a command that reads an existing database cannot use ``path`` (one line), or
    ``None``: no file there, a folder, or an empty file (SQLite would take it for a new
    database and the command would write one)."""
    target = Path(path)
    if not target.exists():
        return f"no database at {target}; create one with: python main.py import --db {target} FILES"
    if not target.is_file():
        return f"{target} is a folder, not a Quire database"
    if target.stat().st_size == 0:
        return f"{target} is empty, not a Quire database; nothing was written"
    return None


class ReadOnlyError(DatabaseError):
    """A write asked of a database opened read-only; the message says why it is."""


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path`` for writing; see
    ``open_database``."""
    db, refusal = open_database(path)
    if refusal:
        db.close()
        raise ReadOnlyError(refusal)
    return db


def open_database(
    path: str | Path, read_only: bool = False, busy_timeout_ms: int | None = None
) -> tuple[sqlite_utils.Database, str]:
    """Open (creating if needed) and migrate the database at ``path``. Returns the
    database and why it must not be written ("" when it may be): asked ``read_only``, a
    file or folder this process cannot write (opened with ``mode=ro``, so reading,
    searching and exporting still work). ``busy_timeout_ms``: how long a statement waits
    for another connection's lock before ``sqlite3.OperationalError`` ("database is
    locked"; default ``BUSY_TIMEOUT_MS``). Raises DatabaseError (one line) for a file that
    cannot be used at all."""
    path = Path(path)
    if busy_timeout_ms is None:
        busy_timeout_ms = BUSY_TIMEOUT_MS
    refusal = "opened read-only as asked" if read_only else write_refusal(path)
    if not refusal and not path.exists() and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path}: {exc.strerror or exc}") from None
    try:
        if not refusal:
            try:
                return _open_for_writing(path, busy_timeout_ms), ""
            except sqlite3.OperationalError as exc:
                if "readonly" not in str(exc) and "read-only" not in str(exc):
                    raise
                refusal = f"{path.name} cannot be written ({exc})"  # e.g. a read-only mount
        return _open_read_only(path, busy_timeout_ms, refusal), refusal
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(explain(exc, path)) from None


def write_refusal(path: Path) -> str:
    """Why this process may not write the database at ``path`` ("" when it may): the file
    is not writable, or its folder is not and SQLite could not keep its ``-wal``/``-shm``
    files there. (For root every file is writable.)"""
    if not path.exists():
        return ""
    if not os.access(path, os.W_OK):
        return f"{path.name} is read-only (file permissions)"
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not all(
        os.access(name, os.W_OK) for name in companions
    ):
        return f"the folder {path.parent} is read-only (SQLite keeps -wal and -shm files beside the database)"
    return ""


def _open_for_writing(path: Path, busy_timeout_ms: int) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)  # none used: no entry-point scan
        db.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


def _open_read_only(path: Path, busy_timeout_ms: int, refusal: str) -> sqlite_utils.Database:
    """``mode=ro``; a WAL database in a folder where SQLite cannot make its ``-shm`` file
    can only be read as ``immutable`` (nobody can be writing it there)."""
    if not path.exists():
        raise DatabaseError(f"no database at {path} (and it cannot be created: {refusal})")
    uri = path.absolute().as_uri()
    conn = None
    for flags in ("mode=ro", "immutable=1"):
        conn = sqlite3.connect(f"{uri}?{flags}", uri=True, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)  # fmt: skip
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            break
        except sqlite3.OperationalError:
            conn.close()
            if flags == "immutable=1":
                raise
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    conn.execute("PRAGMA query_only = ON")
    if version < SCHEMA_VERSION:
        conn.close()
        raise DatabaseError(
            f"{path} was made by an older Quire (schema {version}, this one uses {SCHEMA_VERSION}) "
            f"and cannot be upgraded: {refusal}; open it once with write access"
        )
    if version > SCHEMA_VERSION:
        conn.close()
        raise DatabaseError(_newer_schema(version))
    return sqlite_utils.Database(conn, execute_plugins=False)


def _newer_schema(version: int) -> str:
    return (
        f"the database has schema version {version}, newer than this Quire "
        f"({SCHEMA_VERSION}); upgrade Quire to open it"
    )


def integrity_problem(db: sqlite_utils.Database) -> str:
    """``PRAGMA quick_check``: "" for a sound file, else its first findings (one line).
    It reads every page: 2.2-4.8 s (median 3.0 s) for the 800 MB, 100,000-document
    benchmark database on this 2-core machine, file in the page cache. Raises
    ``sqlite3.OperationalError`` when interrupted or locked (that says nothing of damage)."""
    try:
        rows = db.execute("PRAGMA quick_check(3)").fetchall()
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # a page so damaged that the check itself stops
        return str(exc)
    findings = [row[0] for row in rows if row[0] != "ok"]
    return "; ".join(" ".join(f.split()) for f in findings)


def explain(exc: sqlite3.Error, path: str | Path) -> str:
    """One line for the user about an error SQLite raised on the database at ``path``:
    what happened and what to do."""
    message = str(exc)
    if is_lock_error(exc):
        return (
            f"the database {path} is locked by another program or window ({message}); "
            "try again when it is done"
        )
    if "malformed" in message or "corrupt" in message:
        return (
            f"the database {path} is damaged ({message}); export what can be read "
            "(python main.py export, or File -> Export) and restore a backup"
        )
    if "readonly" in message or "read-only" in message:
        return f"the database {path} is read-only ({message})"
    return f"{path}: not a usable Quire database ({message})"


def migrate(db: sqlite_utils.Database) -> int:
    """Run the migrations this database has not seen; return the resulting version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(_newer_schema(version))
    for number in range(version, SCHEMA_VERSION):
        migration = MIGRATIONS[number]
        rebuilds = getattr(migration, "foreign_keys_off", False)
        if rebuilds:  # a table rebuild; the pragma is a no-op inside a transaction
            db.execute("PRAGMA foreign_keys = OFF")
        db.execute("BEGIN IMMEDIATE")
        try:
            # another process may have run it while this one waited for the lock
            if db.execute("PRAGMA user_version").fetchone()[0] == number:
                migration(db)
                if rebuilds and db.execute("PRAGMA foreign_key_check").fetchone():
                    raise DatabaseError(f"migration {number + 1} broke a foreign key; nothing changed")
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
        finally:
            if rebuilds:
                db.execute("PRAGMA foreign_keys = ON")
    return SCHEMA_VERSION


def is_lock_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the lock (worth waiting
    for), as opposed to any other failure."""
    message = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in message or "busy" in message)
