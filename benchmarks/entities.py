"""Canonical entities at corpus scale, on the 100,000-document benchmark database with
1,000,000 spans (benchmarks/corpus.py builds and caches it): suggesting links for the whole
corpus, opening the entities view in the painted window (Ctrl+Shift+E to the first paint
of the entity table), listing the mentions of an entity with 10,000 mentions, and merging
two entities of 10,000 mentions each. Each figure is printed beside a plain SQL baseline
measured in the same run, with the median and the spread (min-max) of the repeats.

    .venv/bin/python benchmarks/entities.py [--docs 100000] [--spans-per-doc 10] [--repeats 5]

Targets (issue 15, 2 cores): links <= 60 s; view <= 300 ms; mentions <= 200 ms; merge <= 1 s.
The spans of the generated corpus are arbitrary phrases of its text, so nearly every
distinct phrase becomes an entity: a harder case for suggestion than real names.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import fixture  # noqa: E402

MENTIONS = 10_000


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return (time.perf_counter() - began) * 1000, result


def spread(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"median {statistics.median(values):8.1f} ms  (min {low:.1f}, max {high:.1f}, n={len(values)})"


def plant_entities(repo) -> tuple[int, int]:
    """Two entities with MENTIONS mentions each, linked through plain SQL (the set-up, not
    a measurement)."""
    from models.entities import Entity

    store = repo.entities
    rows = repo.db.execute(
        "SELECT id, doc_id FROM spans WHERE id NOT IN (SELECT span_id FROM span_links) "
        "AND status != 'rejected' "
        f"ORDER BY id LIMIT {2 * MENTIONS}"
    ).fetchall()
    first = store.create(Entity("Benchmark Entity One", "ORG")).id
    second = store.create(Entity("Benchmark Entity Two", "ORG")).id
    with repo.transaction():
        repo.db.conn.executemany(
            "INSERT INTO span_links (span_id, entity_id, doc_id, status, origin) "
            "VALUES (?, ?, ?, 'accepted', 'manual')",
            [(row[0], first if i < MENTIONS else second, row[1]) for i, row in enumerate(rows)],
        )
    return first, second


def measure_view(repo, repeats: int) -> list[float]:
    """Ctrl+Shift+E in the painted main window until the entity table has painted."""
    from PySide6.QtCore import QEvent, QObject, QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from models.resources import default_labels

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path("/tmp") / "quire-bench-entities.ini"), QSettings.Format.IniFormat)
    window = MainWindow(repo, default_labels(), settings)
    window.show()
    window.open_first_document()
    for _ in range(20):
        app.processEvents()
    view = window.entity_links.entities_view
    dock = window.entity_links.docks[0]

    class Painted(QObject):
        seen = False

        def eventFilter(self, _watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                Painted.seen = True
            return False

    painted = Painted()
    view.table.viewport().installEventFilter(painted)
    figures = []
    for _ in range(repeats):
        dock.hide()
        app.processEvents()
        view._dirty = True  # re-read as after a change elsewhere
        Painted.seen = False
        began = time.perf_counter()
        QTest.keyClick(
            window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        while not Painted.seen:
            app.processEvents()
        figures.append((time.perf_counter() - began) * 1000)
    window.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--spans-per-doc", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    from storage.repository import Repository

    source = fixture(args.docs, args.spans_per_doc, rebuild=False)
    work = source.with_name(source.stem + "-entities.db")
    for leftover in work.parent.glob(work.name + "*"):
        leftover.unlink()
    shutil.copyfile(source, work)
    repo = Repository(work, annotator="bench")
    spans = repo.db.execute("SELECT count(*) FROM spans").fetchone()[0]
    print(f"corpus: {repo.document_count():,} documents, {spans:,} spans  ({work})")

    forms = "SELECT text, label, count(*) FROM spans WHERE status != 'rejected' GROUP BY text, label"
    base_ms, _ = timed(lambda: repo.db.execute(forms).fetchall())
    link_ms, report = timed(repo.entities.suggest_links)
    print(f"suggest links, whole corpus   {link_ms / 1000:8.1f} s    target <= 60 s")
    print(f"  baseline (GROUP BY of the span forms) {base_ms / 1000:.1f} s  -> {link_ms / base_ms:.1f}x")
    print(f"  {report.summary()}")

    first, second = plant_entities(repo)
    sql = ("SELECT l.span_id, s.doc_id, s.start, s.end FROM span_links l JOIN spans s ON s.id = l.span_id "
           "WHERE l.entity_id = ?")  # fmt: skip
    base = [timed(lambda: repo.db.execute(sql, [first]).fetchall())[0] for _ in range(args.repeats)]

    def listing():  # what the view does: every mention, and the context of the first screenful
        found = repo.entities.mentions(first)
        repo.entities.mention_contexts([m.span_id for m in found[:100]])

    mentions = [timed(listing)[0] for _ in range(args.repeats)]
    print(f"mentions of an entity ({MENTIONS:,})  {spread(mentions)}   target <= 200 ms")
    print(f"  baseline (the join alone)    {spread(base)}")

    merges, unmerges, plain = [], [], []
    for _ in range(args.repeats):
        ms, record = timed(lambda: repo.entities.merge(second, first))
        merges.append(ms)
        unmerges.append(timed(lambda record=record: repo.entities.unmerge(record))[0])
    for _ in range(args.repeats):

        def plain_update():
            with repo.transaction():
                repo.db.execute("UPDATE span_links SET entity_id = ? WHERE entity_id = ?", [first, second])
                repo.db.execute("UPDATE span_links SET entity_id = ? WHERE span_id IN "
                                "(SELECT span_id FROM span_links WHERE entity_id = ? ORDER BY span_id "
                                f"LIMIT -1 OFFSET {MENTIONS})", [second, first])  # fmt: skip

        plain.append(timed(plain_update)[0] / 2)
    print(f"merge 2 x {MENTIONS:,} mentions      {spread(merges)}   target <= 1000 ms")
    print(f"  undo of the merge            {spread(unmerges)}")
    print(f"  baseline (one UPDATE)        {spread(plain)}")

    entities = repo.entities.count()
    base = [
        timed(
            lambda: repo.db.execute(
                "SELECT id, name, label FROM entities ORDER BY name COLLATE NOCASE, id"
            ).fetchall()
        )[0]  # fmt: skip
        for _ in range(args.repeats)
    ]
    view = measure_view(repo, args.repeats)
    print(f"open the entities view ({entities:,} entities), Ctrl+Shift+E to painted")
    print(f"                               {spread(view)}   target <= 300 ms")
    print(f"  baseline (the id/name query) {spread(base)}")
    repo.close()


if __name__ == "__main__":
    main()
