"""Corpus workflow figures on a generated database of 100,000 documents (about 3 KB each)
and 1,000,000 spans: launch to a painted window (in a fresh process), document switch,
search for a common and a rare word, memory. Prints figures and the targets; asserts
nothing.

    .venv/bin/python benchmarks/corpus.py [--docs 100000] [--spans-per-doc 10] [--rebuild]

The database is generated once per schema version and cached under /tmp (``--rebuild``
makes it again). Each launch is paired with a bare PySide6 window's (the baseline), and
each search with FTS5 alone listing the same hits, in the same run; the load average is
printed (the machine's cores are shared).
Targets (2-core machine, offscreen): window <= 1.5 s, switch <= 100 ms, search <= 200 ms,
RSS <= 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.schema import SCHEMA_VERSION  # noqa: E402

CACHE = Path("/tmp/quire-bench")
COMMON_WORD = "the"
RARE_WORD = "zanzibarite"  # planted in RARE_EVERY-th documents only
RARE_EVERY = 5_000
PREFIX = "ka*"  # a syllable of the generated words: matches most documents
SEARCHES = (("common", COMMON_WORD), ("rare", RARE_WORD), ("prefix", PREFIX))
LABELS = ("PERSON", "ORG", "GPE", "LOC", "DATE")
ANNOTATORS = ("amira", "bjorn", "chen", "dolores", "emeka")
STOP_WORDS = (
    "the of and to a in that said on for was with is by at as from his it an were "
    "are which have be this has but had not they its after who been their more will "
    "one would there all also than other over two into when out may up about"
).split()


# -- fixture ---------------------------------------------------------------------------


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    syllables = [
        "ka",
        "lo",
        "mi",
        "ra",
        "ten",
        "vor",
        "ul",
        "bes",
        "dan",
        "ith",
        "qua",
        "zo",
        "pel",
        "ser",
        "gan",
        "tu",
        "nor",
        "fi",
        "hal",
        "bri",
    ]
    words = list(STOP_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen and word != RARE_WORD:
            seen.add(word)
            words.append(word)
    return words


def make_text(
    rng: random.Random, words: list[str], weights: list[float], plant: bool
) -> tuple[str, list[tuple[int, int]]]:
    """About 3 KB of sentences; returns the text and the offsets of its words."""
    target = rng.randint(1_500, 4_500)
    drawn = rng.choices(words, cum_weights=weights, k=target // 8)
    if plant:
        drawn[rng.randrange(len(drawn))] = RARE_WORD
    parts, offsets, position, sentence = [], [], 0, 0
    for index, word in enumerate(drawn):
        if sentence == 0:
            word = word.capitalize()
        sentence += 1
        end_sentence = sentence >= rng.randint(8, 24) or index == len(drawn) - 1
        offsets.append((position, position + len(word)))
        piece = word + (". " if end_sentence else " ")
        if end_sentence:
            sentence = 0
            if rng.random() < 0.2:
                piece = piece[:-1] + "\n\n"
        parts.append(piece)
        position += len(piece)
    return "".join(parts).rstrip(), offsets


def build_database(path: Path, n_docs: int, spans_per_doc: int, seed: int = 11) -> None:
    """Bulk-insert through sqlite-utils into a database the Repository created (so the
    schema, triggers and indexes are the real ones)."""
    from datetime import datetime, timedelta

    from models.document import text_hash
    from storage.repository import Repository

    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    Repository(path).close()
    import sqlite_utils

    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank**1.05
        weights.append(total)
    base = datetime(2025, 3, 1, tzinfo=UTC)
    sources = [f"wire-{n:02d}" for n in range(40)]
    began = time.perf_counter()
    batch = 2_000
    for first in range(0, n_docs, batch):
        docs, texts, spans = [], [], []
        for doc_id in range(first + 1, min(first + batch, n_docs) + 1):
            text, offsets = make_text(rng, words, weights, doc_id % RARE_EVERY == 0)
            roll = rng.random()
            status = "done" if roll < 0.3 else "in_progress" if roll < 0.5 else "new"
            when = (base + timedelta(days=rng.randrange(30), seconds=rng.randrange(86_400))).isoformat(
                timespec="seconds"
            )
            annotator = rng.choice(ANNOTATORS) if status != "new" else ""
            docs.append(
                {
                    "id": doc_id,
                    "title": " ".join(text.split(" ", 8)[:8]).rstrip("."),
                    "text_hash": text_hash(text),
                    "source": rng.choice(sources),
                    "published": when[:10],
                    "language": "en",
                    "meta": "{}",
                    "status": status,
                    "annotator": annotator,
                    "created": when,
                    "updated": when,
                    "done_at": when if status == "done" else None,
                }
            )
            texts.append({"id": doc_id, "text": text})
            for start, end in rng.sample(offsets, min(spans_per_doc, len(offsets))):
                roll = rng.random()
                span_status = "accepted" if roll < 0.7 else "suggested" if roll < 0.9 else "rejected"
                spans.append(
                    {
                        "doc_id": doc_id,
                        "start": start,
                        "end": end,
                        "label": rng.choice(LABELS),
                        "text": text[start:end],
                        "status": span_status,
                        "origin": "manual" if span_status == "accepted" else "spacy:en_core_web_sm@3.8.0",
                        "annotator": annotator,
                        "created": when,
                        "updated": when,
                    }
                )
        with db.conn:
            db["documents"].insert_all(docs, batch_size=500)
            db["document_texts"].insert_all(texts, batch_size=500)
            db["spans"].insert_all(spans, batch_size=2_000)
        done = min(first + batch, n_docs)
        if done % 20_000 == 0 or done == n_docs:
            print(f"  generated {done:,} documents ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
    db["annotators"].insert_all(
        [{"name": a, "created": base.isoformat()} for a in ANNOTATORS], pk="name", ignore=True
    )
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fixture(n_docs: int, spans_per_doc: int, rebuild: bool) -> Path:
    """The cached database of this schema version, built again when asked, missing, or
    made by an older schema (migrating it in place would time the migration's leftovers,
    not a fresh database)."""
    # one file per schema version: a checkout with another schema (a peer's worktree, the
    # code before a change) keeps its own fixture instead of rebuilding or refusing this one
    path = CACHE / f"corpus-{n_docs}-{spans_per_doc}-s{SCHEMA_VERSION}.db"
    stamp = path.with_suffix(".ok")
    if rebuild or not stamp.exists() or _schema_version(path) < SCHEMA_VERSION:
        print(f"building {path} (cached for later runs)…", file=sys.stderr)
        began = time.perf_counter()
        build_database(path, n_docs, spans_per_doc)
        stamp.write_text(json.dumps({"seconds": round(time.perf_counter() - began, 1)}))
    return path


def _schema_version(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return -1


# -- measurements in a fresh process ---------------------------------------------------


def rss_mb() -> tuple[float, float]:
    """Resident and peak resident memory of this process, MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def child(db_path: str, started: float) -> None:
    """Runs in a fresh interpreter: build the window as ``main.py --db`` does, report the
    first paint of the document list and the article, then measure switching and search
    in the same process (a warm, painted window, as an analyst has it)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    import gui.main_window  # noqa: F401 - imported by create_main_window anyway; timed apart here
    from gui.app import configure_application_names, create_main_window

    figures: dict[str, float] = {"imports_s": time.time() - started}
    configure_application_names()
    app = QApplication(sys.argv[:1])
    window = create_main_window(db_path)
    figures["built_s"] = time.time() - started
    painted: set[str] = set()
    # A local loop, not app.exec()/app.quit(): in Qt 6 quitting the application closes
    # its windows, and every later figure would be taken on a hidden window.
    first_paint = QEventLoop()
    paints = {"text": 0}

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints["text"] += watched.objectName() == "text"
                if watched.objectName() not in painted:
                    painted.add(watched.objectName())
                    if painted >= {"list", "text"}:
                        figures["window_s"] = time.time() - started
                        QTimer.singleShot(0, first_paint.quit)
            return False

    spy = FirstPaint()
    window.document_list.viewport().setObjectName("list")
    window.article.text.viewport().setObjectName("text")
    window.document_list.viewport().installEventFilter(spy)
    window.article.text.viewport().installEventFilter(spy)
    window.show()
    first_paint.exec()
    figures["rss_at_window_mb"], _ = rss_mb()

    before = paints["text"]
    measure_in_window(app, window, figures)
    figures["text_paints_while_measuring"] = paints["text"] - before
    figures["window_visible"] = window.isVisible()
    window.close()
    print(json.dumps(figures))


def measure_in_window(app, window, figures: dict[str, float]) -> None:
    from PySide6.QtCore import QEventLoop

    def settle() -> None:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    service = getattr(getattr(window, "preannotation", None), "service", None)
    if service is not None:  # let spaCy finish loading so that it does not skew the timings
        deadline = time.monotonic() + 120
        while not service.origin and time.monotonic() < deadline:
            settle()
            time.sleep(0.01)
        figures["model_loaded"] = bool(service.origin)
    settle()
    corpus = window.corpus
    rng = random.Random(5)
    total = window.documents.rowCount()

    def timed(action) -> float:
        began = time.perf_counter()
        action()
        settle()
        window.repaint()
        return (time.perf_counter() - began) * 1000

    switches = [timed(corpus.next_document) for _ in range(30)]
    rows = [rng.randrange(total) for _ in range(30)]
    jumps = [timed(lambda row=row: window.open_document(window.documents.doc_id_at(row))) for row in rows]
    figures["switch_next_ms_median"] = statistics.median(switches)
    figures["switch_next_ms_max"] = max(switches)
    figures["switch_random_ms_median"] = statistics.median(jumps)
    figures["switch_random_ms_max"] = max(jumps)

    # Search as the analyst does: type the word (the list waits for a pause in typing),
    # then Enter ("search now"). Timed from the Enter key to the painted window showing
    # the first screenful of hits and their count; the time until every hit's id is read
    # (the list's thread, after the paint) is reported apart.
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    box = corpus.filters.search
    model = window.documents

    def complete() -> float:
        began = time.perf_counter()
        while not model.is_complete():
            settle()
            time.sleep(0.001)
        return (time.perf_counter() - began) * 1000

    for name, word in SEARCHES:
        times, rest, shown = [], [], True
        for _ in range(5):
            box.setText("")  # the whole corpus again at once
            complete()
            settle()
            QTest.keyClicks(box, word)
            settle()
            times.append(timed(lambda: QTest.keyClick(box, Qt.Key.Key_Return)))
            rest.append(times[-1] + complete())
            hits = model.rowCount()
            first = model.index(0, model.TITLE).data() if hits else ""
            shown &= f"{hits:,} " in corpus.filters.count.text() and first not in ("", "…")
        figures[f"search_{name}_ms_median"] = statistics.median(times)
        figures[f"search_{name}_ms_max"] = max(times)
        figures[f"search_{name}_all_ids_ms_median"] = statistics.median(rest)
        figures[f"search_{name}_shown"] = shown
        figures[f"search_{name}_hits"] = model.rowCount()
        # the same-run baseline: the full-text index alone listing the hits' ids
        query = __import__("models.corpus", fromlist=["word_prefixes"]).word_prefixes(word)
        fts = []
        for _ in range(5):
            began = time.perf_counter()
            window.repo.db.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [query]
            ).fetchall()
            fts.append((time.perf_counter() - began) * 1000)
        figures[f"search_{name}_fts_ms_median"] = statistics.median(fts)
    box.setText("")
    complete()
    QTest.keyClicks(box, SEARCHES[-1][1])
    QTest.keyClick(box, Qt.Key.Key_Return)
    figures["switch_during_search_ms_median"] = statistics.median(
        [timed(corpus.next_document) for _ in range(10)]
    )
    box.setText("")
    complete()
    settle()
    figures["unreviewed_filter_ms"] = timed(lambda: corpus.filters.unreviewed.setChecked(True))
    figures["unreviewed_rows"] = window.documents.rowCount()
    corpus.filters.unreviewed.setChecked(False)
    settle()
    figures["sort_by_entities_ms"] = timed(
        lambda: window.document_list.sortByColumn(
            window.documents.ENTITIES, __import__("PySide6.QtCore").QtCore.Qt.SortOrder.DescendingOrder
        )
    )
    began = time.perf_counter()
    window.repo.stats()
    figures["stats_ms"] = (time.perf_counter() - began) * 1000
    figures["rss_end_mb"], figures["rss_peak_mb"] = rss_mb()


def bare_child(started: float) -> None:
    """The launch baseline, in a fresh interpreter: PySide6 and an empty window with a table
    and a text view, shown, to their first paint (what any Qt app pays)."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit, QSplitter, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    splitter = QSplitter()
    table, text = QTableView(), QPlainTextEdit("A short text.")
    splitter.addWidget(table)
    splitter.addWidget(text)
    window.setCentralWidget(splitter)
    figures: dict[str, float] = {}
    loop = QEventLoop()

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint and "window_s" not in figures:
                figures["window_s"] = time.time() - started
                QTimer.singleShot(0, loop.quit)
            return False

    spy = FirstPaint()
    text.viewport().installEventFilter(spy)
    window.show()
    loop.exec()
    window.close()
    del app
    print(json.dumps(figures))


def child_environment() -> dict[str, str]:
    """The children run with Python's bytecode cache, as an installed app does (this
    machine sets PYTHONDONTWRITEBYTECODE=1, which made every launch compile Quire's modules
    again, about 0.35 s); the cache lives under /tmp, out of the worktree."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    return env


def run_child(db: Path | None) -> dict[str, float]:
    began = time.time()
    which = ["--child", str(db)] if db is not None else ["--bare"]
    result = subprocess.run(
        [sys.executable, __file__, *which, "--started", repr(began)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=child_environment(),
    )
    if result.returncode != 0:
        sys.exit(f"child failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--spans-per-doc", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="fresh launches to time")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.started)
        return
    if args.bare:
        bare_child(args.started)
        return

    db = fixture(args.docs, args.spans_per_doc, args.rebuild)
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6
    from storage.repository import Repository

    repo = Repository(db)
    counts = repo.stats()
    repo.close()
    print(
        f"database: {db} ({size:,.0f} MB): {counts['documents']['total']:,} documents, "
        f"{counts['spans']['total']:,} spans"
    )
    print("load average (1, 5, 15 min) at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    warm = [sys.executable, "-c", "import gui.app, gui.main_window"]
    subprocess.run(warm, cwd=ROOT, env=child_environment(), check=True)  # fills the bytecode cache
    runs, bare = [], []
    for _ in range(args.runs):  # alternating, so that both see the same load
        bare.append(run_child(None)["window_s"])
        runs.append(run_child(db))
    last = runs[-1]

    def row(name: str, value: str, target: str = "") -> None:
        print(f"  {name:<44}{value:>14}   {target}")

    launches = [r["window_s"] for r in runs]
    row("launch to painted window (s), per run", " / ".join(f"{t:.2f}" for t in launches), "target <= 1.5")
    row(
        "  baseline: a bare PySide6 window (s), per run",
        " / ".join(f"{t:.2f}" for t in bare),
        f"({statistics.median(launches) / statistics.median(bare):.2f}x)",
    )
    row(
        "  of which: imports done at (s), median",
        f"{statistics.median(r['imports_s'] for r in runs):.2f}",
    )
    row(
        "  of which: window built, document open at (s)",
        f"{statistics.median(r['built_s'] for r in runs):.2f}",
    )
    row(
        "switch to next document (ms) median / max",
        f"{last['switch_next_ms_median']:.1f} / {last['switch_next_ms_max']:.1f}",
        "target <= 100",
    )
    row(
        "switch to a random row (ms) median / max",
        f"{last['switch_random_ms_median']:.1f} / {last['switch_random_ms_max']:.1f}",
        "target <= 100",
    )
    print("  search: Enter typed after the word, to the painted window showing the first screenful")
    print("  of hits and their count (5 searches each); then until every hit's id is read; the")
    print("  baseline is FTS5 alone listing the hits' ids (same process, same moment):")
    for name, word in SEARCHES:
        shown = "" if last[f"search_{name}_shown"] else " (count or first row NOT shown!)"
        row(
            f"search {word!r} ({last[f'search_{name}_hits']:,} hits) (ms) median / max",
            f"{last[f'search_{name}_ms_median']:.1f} / {last[f'search_{name}_ms_max']:.1f}",
            "target <= 200" + shown,
        )
        fts = last[f"search_{name}_fts_ms_median"]
        row(
            "  all ids read / FTS5 alone (ms), median",
            f"{last[f'search_{name}_all_ids_ms_median']:.1f} / {fts:.1f}",
            f"({last[f'search_{name}_ms_median'] / fts:.2f}x FTS5 alone)" if fts >= 1 else "",
        )
    row(
        "switch while searching (ms) median", f"{last['switch_during_search_ms_median']:.1f}", "target <= 100"
    )
    row(
        f"filter: unreviewed suggestions ({last['unreviewed_rows']:,} rows) (ms)",
        f"{last['unreviewed_filter_ms']:.1f}",
    )
    row("sort by entity count (ms)", f"{last['sort_by_entities_ms']:.1f}")
    row("Repository.stats() (ms)", f"{last['stats_ms']:.0f}")
    row("RSS at first paint (MB)", f"{last['rss_at_window_mb']:.0f}", "target <= 600")
    row("RSS after the above, spaCy loaded (MB)", f"{last['rss_end_mb']:.0f}", "target <= 600")
    row("peak RSS (MB)", f"{last['rss_peak_mb']:.0f}")
    print(f"  (window visible while measuring: {last['window_visible']}; the article view painted "
          f"{last['text_paints_while_measuring']} times)")  # fmt: skip
    if not last.get("model_loaded", True):
        print("  (the spaCy model did not finish loading within 120 s)")
    print("load average (1, 5, 15 min) at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
