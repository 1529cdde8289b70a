"""One page overwritten, in each kind of place: a documents page, a spans page, the
full-text index, an ordinary index. Whatever is hit, no command gives a traceback:
``quick_check`` finds it, import is refused with one line and leaves the file as it
was, ``stats`` ends with one line, and export either writes what it can read (naming
the rest) or says in one line why it cannot."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import main
from tests.faults.tools import build_database, damage_table_page

PLACES = [("documents", 0.3), ("documents", 0.8), ("spans", 0.5), ("documents_fts_data", 0.5),
          ("idx_spans_label_doc", 0.5), ("idx_documents_list_title", 0.5)]  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    path = tmp_path_factory.mktemp("pristine") / "q.db"
    build_database(path, 150)
    return path


@pytest.mark.parametrize(("table", "where"), PLACES)
def test_a_damaged_page_anywhere_is_one_line(pristine, tmp_path, capsys, table, where):
    db = tmp_path / "q.db"
    shutil.copy(pristine, db)
    damage_table_page(db, table, where)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    article = tmp_path / "new.txt"
    article.write_text("Storm\n\nA storm hit Bergen.\n", encoding="utf-8")

    assert main.main(["import", "--db", str(db), "--quiet", str(article)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before

    code = main.main(["stats", "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "damaged" in err

    out = tmp_path / "rescue.jsonl"
    code = main.main(["export", "--db", str(db), "--format", "jsonl", "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code == 0:
        exported = len(out.read_text(encoding="utf-8").splitlines())
        assert exported > 0
        if exported < 150:
            assert f"{150 - exported} document(s) could not be read and are left out" in captured.out
    else:
        assert code == 2 and captured.err.count("\n") == 1 and "damaged" in captured.err
