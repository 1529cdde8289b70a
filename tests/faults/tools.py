"""Helpers of the fault-injection tests: a small annotated database, a second process
that holds the write lock, a page overwritten on disk."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.annotation import Span
from models.document import Document
from storage.repository import Repository

PAGE_SIZE = 4096

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


def build_database(path: Path, documents: int = 120) -> list[int]:
    """Documents of a few KB, each with one accepted GPE span on "Oslo"; returns ids."""
    repo = Repository(path, annotator="tester")
    text = "Officials in Oslo said on Monday that talks would go on. "
    ids = repo.add_documents(
        Document(title=f"Report {n}", text=f"Report {n}. " + text * 40) for n in range(documents)
    )
    with repo.transaction():
        for n, doc_id in enumerate(ids):
            start = len(f"Report {n}. ") + 13
            repo.add_span(Span(doc_id=doc_id, start=start, end=start + 4, label="GPE", text="Oslo"))
    repo.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    repo.close()
    return ids


def damage_table_page(path: Path, table: str = "documents", which: float = 0.5) -> int:
    """Overwrite one leaf page of ``table`` (the one at fraction ``which`` of its pages)
    with random bytes, as a failing disk would; returns the page number (1-based)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    sql = "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno"
    pages = [row[0] for row in conn.execute(sql, [table])]
    conn.close()
    page = pages[int(len(pages) * which)]
    with open(path, "r+b") as file:
        file.seek((page - 1) * PAGE_SIZE)
        file.write(random.Random(page).randbytes(PAGE_SIZE))
    return page


@contextmanager
def lock_held_by_another_process(path: Path) -> Iterator[subprocess.Popen]:
    """A second process holds ``BEGIN EXCLUSIVE`` on ``path`` inside the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        if holder.poll() is None:
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=30)
