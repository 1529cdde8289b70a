"""The window while it pre-annotates the corpus: the longest GUI event-loop stall, and the
latency of what an analyst does meanwhile (switch document, add a span with a key, undo),
against the same idle window (the baseline, same run).

A 2 ms precise timer runs on the GUI thread while the window's own event loop runs
(``QEventLoop.exec``, as in the application: it sleeps until an event comes); the largest
gap between its ticks is the longest time the window could not react. Stalls are
measured on their own (no actions timed meanwhile), then the actions are timed while
pre-annotation still runs, and again when it has finished (the baseline: the window
idle again and warm; the idle figures before it were often the slower, being the first
documents visited). The documents the actions visit are marked done, which pre-annotation
leaves alone, so all three meet documents alike. CPU time of the window's process is
printed beside each action.
Targets: longest stall <= 16 ms (one frame); latency within 10 % of idle.

    python benchmarks/preannotate_stall.py [N_DOCS] [REPEAT]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.document import DocStatus, Document, parse_plain_article  # noqa: E402
from models.resources import SAMPLE_CORPUS, default_labels  # noqa: E402
from storage.repository import Repository  # noqa: E402


def build_corpus(path: Path, n_docs: int) -> None:
    """Distinct documents made from the sample articles (a numbered dateline each)."""
    articles = [
        parse_plain_article(p.read_text(encoding="utf-8")) for p in sorted(SAMPLE_CORPUS.glob("*.txt"))
    ]
    repo = Repository(path)
    repo.add_documents(
        Document(title=f"{a.title} #{i}", text=f"DISPATCH {i}. {a.text}", source=a.source)
        for i, a in ((i, articles[i % len(articles)]) for i in range(n_docs))
    )
    repo.close()


class GapMeter:
    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self._last = now


def wait_for(signal, timeout_ms: int) -> None:
    """Run the event loop until ``signal`` or ``timeout_ms``."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def settle(app: QApplication) -> None:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


def latencies(app: QApplication, window, repeat: int, rng: random.Random) -> dict[str, list[float]]:
    """Switch to the next document, add a span with a number key, undo it: ms each, and
    the CPU time of the window's process for each ("NAME cpu"; the machine's load moves
    the wall-clock figures far more)."""
    from PySide6.QtTest import QTest

    text = window.article.text
    times: dict[str, list[float]] = {"switch": [], "add": [], "undo": []}

    def timed(name: str, action) -> None:
        settle(app)
        began, cpu = time.perf_counter(), time.process_time()
        action()
        settle(app)
        times[name].append((time.perf_counter() - began) * 1000)
        times.setdefault(f"{name} cpu", []).append((time.process_time() - cpu) * 1000)

    for _ in range(repeat):
        timed("switch", window.corpus.next_document)
        stored = window.session.document.text
        start = stored.index(" ", rng.randrange(len(stored) // 2)) + 1
        text.setFocus()
        text.select_offsets(start, stored.index(" ", start))
        timed("add", lambda: QTest.keyClick(text, Qt.Key.Key_1))
        timed("undo", lambda: QTest.keyClick(text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier))
    return times


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} ms ({min(values):.1f}-{max(values):.1f})"


def main() -> None:
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow
    from gui.preannotate_ui import install_preannotation

    folder = Path(tempfile.mkdtemp(prefix="quire-stall-"))
    db = folder / "stall.db"
    build_corpus(db, n_docs)
    repo = Repository(db)
    # the documents the actions visit are marked done, so pre-annotation leaves them as
    # they are: before, during and after the run the actions meet documents alike (a
    # document with suggestions costs more to open than one without)
    for doc_id in repo.document_ids()[: 4 * repeat + 10]:
        repo.set_document_status(doc_id, DocStatus.DONE)
    window = MainWindow(repo, default_labels())
    window.show()
    window.open_first_document()
    feature = install_preannotation(window)
    feature.start()
    wait_for(feature.service.model_loaded, 120_000)

    from models.nlp.tokens import snap_to_tokens

    snap_to_tokens("warm up", 0, 4)  # as the window's warm-up thread does
    rng = random.Random(3)
    latencies(app, window, 3, rng)  # warm: the first switches and keys load what they need
    meter = GapMeter()
    meter.start()
    wait_for(feature.service.finished, 2_000)  # nothing runs: the event loop idles 2 s
    meter.stop()
    idle = list(meter.gaps)
    idle_times = latencies(app, window, repeat, rng)

    began = time.perf_counter()
    load = os.getloadavg()
    feature.corpus_action.trigger()
    meter.start()
    wait_for(feature.service.finished, 5_000)
    meter.stop()
    busy = list(meter.gaps)
    busy_times = latencies(app, window, repeat, rng)
    still_busy = feature.service.busy
    if feature.service.busy:
        wait_for(feature.service.finished, 600_000)
    elapsed = time.perf_counter() - began
    after_times = latencies(app, window, repeat, rng)  # idle again, and warm
    window.close()
    repo.close()

    def describe(gaps: list[float]) -> str:
        ordered = sorted(gaps)
        p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else 0.0
        median = statistics.median(gaps)
        return f"longest {max(gaps):6.1f} ms, p99 {p99:5.1f} ms, median {median:4.1f} ms ({len(gaps)} ticks)"

    print(f"event loop, idle window (baseline):          {describe(idle)}")
    print(f"event loop, first 5 s of pre-annotating:     {describe(busy)}  (target: longest <= 16 ms)")
    print(f"latency (median (min-max) of {repeat}): idle before / while pre-annotating / idle after it; "
          "ratio while / after (target <= 1.10):")  # fmt: skip
    for name in idle_times:
        ratio = statistics.median(busy_times[name]) / statistics.median(after_times[name])
        print(f"  {name:<12}{spread(idle_times[name]):>26}{spread(busy_times[name]):>26}"
              f"{spread(after_times[name]):>26}   {ratio:5.2f}x")  # fmt: skip
    if not still_busy:
        print("  (pre-annotation ended before the last action: use more documents)")
    print(f"  ({elapsed:.1f} s for {n_docs} documents in the worker processes; the machine is shared: "
          f"load average {load[0]:.1f} when pre-annotation started)")  # fmt: skip


if __name__ == "__main__":
    main()
