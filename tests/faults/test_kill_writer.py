"""kill -9 at random points: of a writer (spans, deletions, status changes, suggestion
batches), of an import and of an export. After each kill the file passes
``integrity_check`` and holds every acknowledged write; the next trial goes on writing
into the same recovered file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.document import parse_plain_article
from storage.repository import Repository
from tests.faults.acknowledged import Acknowledged
from tests.faults.tools import build_database

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]
TRIALS = 8
RNG = random.Random(9)


def kill_writer(db: Path, seed: int, after: int) -> list[str]:
    """Start a writer, kill -9 it once it has acknowledged ``after`` writes; every line
    it wrote (those still in the pipe too)."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(seed)], stdout=subprocess.PIPE, text=True
    )
    lines = [writer.stdout.readline()]
    assert lines[0].strip() == "ready", lines
    acknowledged = 0
    while acknowledged < after:
        line = writer.stdout.readline()
        if not line:
            break
        lines.append(line)
        acknowledged += line.startswith("ok")
    writer.send_signal(signal.SIGKILL)
    lines.extend(writer.stdout.readlines())  # written before the kill: acknowledged too
    writer.wait()
    return lines


def test_kill_minus_9_of_a_writer_loses_no_acknowledged_write(tmp_path, record_property):
    db = tmp_path / "q.db"
    build_database(db, 20)
    writes = 0
    for trial in range(TRIALS):
        lines = kill_writer(db, trial, RNG.randint(1, 120))
        # the writer's last line is "done" when it finished before the kill ("begin status
        # 12 done" is a write of the status done, cut short by the kill)
        assert lines[-1].strip() != "done", "the kill came too late"
        acknowledged = Acknowledged().read(lines)
        assert acknowledged.problems(db, f"spacy:w{trial}@1") == [], f"trial {trial}"
        writes += acknowledged.writes
    record_property("kill_trials", TRIALS)
    record_property("acknowledged_writes", writes)
    assert writes >= TRIALS
    repo = Repository(db)
    assert repo.check_integrity() == "" and repo.read_only_reason == ""
    repo.close()


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], text=True, **kwargs)


def test_kill_minus_9_of_an_import_leaves_whole_documents(tmp_path):
    db = tmp_path / "q.db"
    Repository(db).close()
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = {}
    for n in range(40):
        text = f"Floods in Bergen, day {n}.\n\n" + "Water rose along the river overnight. " * 200
        (folder / f"a{n:02d}.txt").write_text(f"Report {n}\n\n{text}", encoding="utf-8")
        texts[f"a{n:02d}.txt"] = parse_plain_article(f"Report {n}\n\n{text}").text
    for _ in range(3):
        importer = _cli(
            "import", "--db", str(db), str(folder), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        target = RNG.randint(1, 30)
        seen = 0
        while seen < target and importer.stderr.readline():
            seen += 1
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        repo = Repository(db)
        assert repo.check_integrity() == ""
        for doc_id in repo.document_ids():
            document = repo.document(doc_id)
            assert document.text == texts[document.meta["file"]], "a whole file or nothing"
        repo.close()
    again = [sys.executable, str(ROOT / "main.py"), "import", "--db", str(db), "--quiet", str(folder)]
    assert subprocess.run(again, capture_output=True, check=False).returncode == 0
    repo = Repository(db)
    assert repo.document_count() == 40
    repo.close()


def test_kill_minus_9_of_an_export_keeps_the_old_file_and_the_next_export_cleans_up(tmp_path):
    fmt = "jsonl"  # the temporary files are the same for every format
    db = tmp_path / "q.db"
    build_database(db, 150)
    out = tmp_path / "out" / f"corpus.{fmt}"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    exporter = _cli("export", "--db", str(db), "--format", fmt, "--out", str(out), "--quiet",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(out.parent.glob(".*.part")) and exporter.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)  # polling for the temporary file: the kill must land mid-export
    exporter.send_signal(signal.SIGKILL)
    exporter.wait()
    parts = list(out.parent.glob(".*.part"))
    if not parts:
        pytest.skip("the export finished before the kill (machine too fast for this corpus)")
    assert out.read_bytes() == b"the previous export"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", "--db", str(db), "--format", fmt,
                           "--out", str(out), "--quiet"], capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"removed {len(parts)} temporary file(s) left by an interrupted export" in done.stdout
    assert list(out.parent.glob(".*.part")) == []
    assert out.read_bytes() != b"the previous export"
    assert os.path.getsize(out) > 1000
