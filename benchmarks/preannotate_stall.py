"""Longest GUI event-loop stall while the corpus is pre-annotated in the window.

A 2 ms precise timer runs on the GUI thread; the largest gap between its ticks is the
longest time the window could not react. Measured idle first (baseline), then while
"Pre-annotate corpus" runs in the worker thread. Target: <= 50 ms.

    python benchmarks/preannotate_stall.py [N_DOCS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from models.document import Document, parse_plain_article  # noqa: E402
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
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> None:
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow
    from gui.preannotate_ui import install_preannotation

    folder = Path(tempfile.mkdtemp(prefix="quire-stall-"))
    db = folder / "stall.db"
    build_corpus(db, n_docs)
    repo = Repository(db)
    window = MainWindow(repo, default_labels())
    window.show()
    window.open_first_document()
    feature = install_preannotation(window)
    feature.start()
    wait_for(feature.service.model_loaded, 120_000)

    meter = GapMeter()
    meter.start()
    idle_until = time.monotonic() + 2.0
    while time.monotonic() < idle_until:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    meter.stop()
    idle = list(meter.gaps)

    meter.start()
    began = time.perf_counter()
    feature.corpus_action.trigger()
    wait_for(feature.service.finished, 600_000)
    elapsed = time.perf_counter() - began
    meter.stop()
    busy = list(meter.gaps)
    window.close()
    repo.close()

    def describe(gaps: list[float]) -> str:
        ordered = sorted(gaps)
        p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else 0.0
        median = statistics.median(gaps)
        return f"longest {max(gaps):6.1f} ms, p99 {p99:5.1f} ms, median {median:4.1f} ms ({len(gaps)} ticks)"

    print(f"event loop, idle window (baseline):        {describe(idle)}")
    print(f"event loop, pre-annotating {n_docs} docs:  {describe(busy)}")
    print(f"  ({elapsed:.1f} s for the corpus; target: longest <= 50 ms)")


if __name__ == "__main__":
    main()
