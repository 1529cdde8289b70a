"""A database an ordinary user cannot write (a root-owned 644 file in a folder they
cannot write, or a 444 file), opened by that user: import and preannotate end with one
line and exit 2, stats and export work, and the file is unchanged. CI runs as root, for
whom every file is writable: the child then drops to ``nobody`` after importing what it
needs (the interpreter lives under /root, which ``nobody`` cannot read)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.faults.tools import build_database

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
CHILD = """
import contextlib, io, json, os, sys
sys.path.insert(0, sys.argv[1])
import main, storage.importers, storage.preannotate, storage.exporters.cli, storage.exporters.jsonl
import storage.exporters.alignment, models.nlp.tokens, models.nlp.loading
models.nlp.tokens.blank_pipeline.__wrapped__("en")  # spaCy's lazy imports, while they can be read
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
db, folder = sys.argv[2], sys.argv[3]
article = os.path.join(folder, "a.txt")
results = {}
for name, argv in [
    ("import", ["import", "--db", db, "--quiet", article]),
    ("preannotate", ["preannotate", "--db", db, "--no-claims"]),
    ("stats", ["stats", "--db", db, "--json"]),
    ("export", ["export", "--db", db, "--format", "jsonl", "--quiet",
                "--out", os.path.join(folder, "out.jsonl")]),
]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main.main(argv)
    results[name] = [code, err.getvalue(), out.getvalue()]
print(json.dumps(results))
"""


def test_a_user_who_cannot_write_the_file_can_read_and_export(tmp_path):
    if os.geteuid() != 0 and not os.access(ROOT, os.R_OK):
        pytest.skip("cannot run the child")
    shared = Path(tempfile.mkdtemp(prefix="quire-ro-"))  # a folder others can enter
    try:
        shared.chmod(0o755)
        db = shared / "team.db"
        build_database(db, 6)
        db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # 444
        outbox = shared / "outbox"
        outbox.mkdir()
        outbox.chmod(0o777)
        (outbox / "a.txt").write_text("Storm\n\nA storm hit Bergen.\n", encoding="utf-8")
        before = hashlib.sha256(db.read_bytes()).hexdigest()
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(db), str(outbox)],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        results = json.loads(done.stdout.splitlines()[-1])
        code, err, _ = results["import"]
        assert code == 2 and err.count("\n") == 1 and "read-only" in err, err
        code, err, _ = results["preannotate"]
        assert code == 2 and err.count("\n") == 1 and "read-only" in err, err
        code, err, out = results["stats"]
        assert code == 0, err
        assert json.loads(out)["documents"]["total"] == 6
        code, err, _ = results["export"]
        assert code == 0, err
        assert len((outbox / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 6
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    finally:
        for path in sorted(shared.rglob("*"), reverse=True):
            path.chmod(0o700)
        shutil.rmtree(shared, ignore_errors=True)
