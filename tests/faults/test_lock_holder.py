"""A second process takes the write lock (``BEGIN EXCLUSIVE``) again and again for
random stretches while a writer works. With the CLI's busy timeout the writer waits
and every write lands; with one shorter than the stretches some writes are refused
("database is locked"), nothing of them is written, and every acknowledged write is
there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.faults.acknowledged import Acknowledged
from tests.faults.tools import build_database

WRITER = Path(__file__).with_name("writer.py")
HOLDER = """
import random, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
rng = random.Random(int(sys.argv[2]))
print("holding", flush=True)
while True:
    conn.execute("BEGIN EXCLUSIVE")
    time.sleep(rng.uniform(0.02, 0.15))  # the fault: how long the lock is held
    conn.execute("ROLLBACK")
    time.sleep(rng.uniform(0.0, 0.03))
"""


@pytest.mark.parametrize(("seed", "timeout_ms", "expect_locked"), [(1, 5_000, False), (2, 5, True)])
def test_writes_under_a_lock_held_again_and_again(tmp_path, seed, timeout_ms, expect_locked, record_property):
    db = tmp_path / "q.db"
    build_database(db, 10)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(seed)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        done = subprocess.run([sys.executable, str(WRITER), str(db), str(seed), str(timeout_ms)],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[-1] == "done"
    acknowledged = Acknowledged().read(lines)
    assert acknowledged.problems(db, f"spacy:w{seed}@1") == []
    assert (acknowledged.locked > 0) == expect_locked
    record_property(f"lock_trial_{seed}", f"{acknowledged.writes} acknowledged, {acknowledged.locked} locked")
