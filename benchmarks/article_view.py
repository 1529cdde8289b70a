"""Article view figures: time to show a document with all its highlights against the
same plain text with no spans, and a span added with a real key press (select a word
on screen, press 1) in the visible window, against the same key in a 10 KB article with
100 spans: both baselines measured in the same run.

    python benchmarks/article_view.py [--repeat 30]

Targets (2-core machine): 100 KB/2,000 spans: show <= 50 ms, add <= 5 ms;
1 MB/20,000 spans: show <= 200 ms, add <= 10 ms; the same without any line break:
show <= 200 ms, add <= 10 ms.

Wall-clock figures on a shared machine include the time other processes held the CPU;
each figure is followed by the CPU time of this process ("cpu"), which load barely moves.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.article_view import TextView  # noqa: E402
from models.annotation import Span, Status  # noqa: E402
from models.document import Document  # noqa: E402
from models.resources import default_labels  # noqa: E402
from storage.repository import Repository  # noqa: E402

WORDS = ("the minister said that rockets hit the base near Baghdad on Saturday while "
         "officials in Paris and Kyiv 🙂 confirmed reports about Hamas Iran NATO").split()  # fmt: skip


def make_article(size: int, n_spans: int, seed: int = 7, paragraphs: bool = True) -> tuple[str, list[Span]]:
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        sentence_count = rng.randint(3, 6)
        words = [rng.choice(WORDS) for _ in range(sentence_count * 12)]
        paragraph = " ".join(words) + "."
        parts.append(paragraph)
        length += len(paragraph) + 2
    text = ("\n\n" if paragraphs else "  ").join(parts)[:size]
    starts = sorted(rng.sample(range(0, len(text) - 20), n_spans))
    labels = [label.name for label in default_labels()]
    spans = []
    for number, start in enumerate(starts, start=1):
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = text.find(" ", start + 1)
        end = end if end > start else start + 1
        status = Status.SUGGESTED if number % 3 == 0 else Status.ACCEPTED
        spans.append(Span(doc_id=1, start=start, end=end, label=rng.choice(labels),
                          text=text[start:end], status=status, id=number))  # fmt: skip
    return text, spans


class Times:
    """Wall-clock and CPU milliseconds of repeated runs."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, fn) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        self.cpu.append((time.process_time() - cpu) * 1000)
        self.wall.append((time.perf_counter() - wall) * 1000)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def __str__(self) -> str:
        wall = self.wall
        return (
            f"{statistics.median(wall):6.1f} ms ({min(wall):.1f}-{max(wall):.1f}; "
            f"cpu {statistics.median(self.cpu):.1f})"
        )


class PaintCounter(QObject):
    """Paint events of a widget and the share of its area they covered."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.widget = widget
        self.paints = 0
        self.area = 0.0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
            rect, whole = event.rect(), self.widget.rect()
            self.area += rect.width() * rect.height() / max(whole.width() * whole.height(), 1)
        return False


CONTROL = Qt.KeyboardModifier.ControlModifier


def settle(app: QApplication) -> None:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)


CASES = (  # size (code points), spans, paragraphs, show target, add target (ms)
    (100_000, 2_000, True, 50, 5),
    (1_000_000, 20_000, True, 200, 10),
    (1_000_000, 20_000, False, 200, 10),
)


def shape(size: int, n_spans: int, paragraphs: bool) -> str:
    return f"{size / 1000:>5.0f} KB, {n_spans:>6} spans, {'paragraphs' if paragraphs else 'no line break'}"


def measure_show(app: QApplication, text: str, spans: list[Span], repeat: int) -> tuple[Times, Times, Times]:
    """The view alone: ``show_text`` and the event-loop pass that paints, without spans
    (the baseline) and with them, taken in turn; then ``add_span`` of a span on screen
    and its repaint, 50 times."""
    view = TextView(default_labels())
    view.resize(900, 700)
    view.show()
    settle(app)
    plain, highlighted, add = Times(), Times(), Times()
    for _ in range(repeat):
        plain.run(lambda: (view.show_text(text, []), settle(app)))
        highlighted.run(lambda: (view.show_text(text, spans), settle(app)))
    first, last = view.visible_range()
    rng = random.Random(1)
    for number in range(50):
        start = rng.randrange(first, max(first + 1, last - 10))
        span = Span(doc_id=1, start=start, end=start + 5, label="PERSON", text=text[start : start + 5],
                    id=10_000_000 + number)  # fmt: skip
        add.run(lambda span=span: (view.add_span(span), settle(app)))
    view.close()
    return plain, highlighted, add


def measure_keys(
    app: QApplication, window, doc_id: int, repeat: int, rng: random.Random
) -> tuple[Times, Times, str]:
    """Open ``doc_id`` in the window, then ``repeat`` times: select a word on screen, press
    1 (a new PERSON span: snapping, the database write, the entity table, the undo stack,
    the repaint) and Ctrl+Z. Also how much of the article view each key 1 repainted."""
    window.open_document(doc_id)
    settle(app)
    view = window.article.text
    view.setFocus()
    stored = window.session.document.text
    taken = {(s.start, s.end) for s in window.session.spans.values()}
    counter = PaintCounter(view.viewport())
    add, undo = Times(), Times()
    paints, area = 0, 0.0
    while len(add.wall) < repeat:
        first, last = view.visible_range()
        start = stored.find(" ", rng.randrange(first, max(first + 1, last - 40))) + 1
        end = stored.find(" ", start)
        if start <= 0 or end <= start or (start, end) in taken or "\n" in stored[start:end]:
            continue
        view.select_offsets(start, end)
        settle(app)
        counter.paints, counter.area = 0, 0.0
        add.run(lambda: (QTest.keyClick(view, Qt.Key.Key_1), settle(app)))
        paints, area = paints + counter.paints, area + counter.area
        undo.run(lambda: (QTest.keyClick(view, Qt.Key.Key_Z, CONTROL), settle(app)))
    view.viewport().removeEventFilter(counter)
    return add, undo, f"{paints / repeat:.1f} paint(s) of {area / repeat:.0%} of the view per key"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="key presses per article (shows: a third)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow
    from models.nlp.tokens import snap_to_tokens

    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} (2 shared cores); median (min-max) of runs")
    articles = [(case, *make_article(case[0], case[1], paragraphs=case[2])) for case in CASES]
    print("the view alone: show_text and the event-loop pass that paints (baseline: the same text")
    print("without spans); add_span of a span on screen and its repaint")
    for (size, n_spans, paragraphs, show_target, add_target), text, spans in articles:
        plain, highlighted, add = measure_show(app, text, spans, max(args.repeat // 3, 5))
        print(f"  {shape(size, n_spans, paragraphs)}: show {highlighted} | plain text {plain} | "
              f"{highlighted.median / plain.median:4.2f}x (target <= {show_target} ms) | "
              f"add {add} (target <= {add_target} ms)")  # fmt: skip

    folder = Path(tempfile.mkdtemp(prefix="quire-view-"))
    repo = Repository(folder / "view.db", annotator="bench")
    labels = default_labels()
    repo.save_labels(labels)
    baseline_text, baseline_spans = make_article(10_000, 100, seed=3)
    ids = []
    for number, (_, text, spans) in enumerate([(None, baseline_text, baseline_spans), *articles]):
        doc_id = repo.add_document(Document(title=f"Article {number}", text=text))
        repo.restore_spans(doc_id, [s.with_changes(doc_id=doc_id, id=None) for s in spans])
        ids.append(doc_id)
    snap_to_tokens(baseline_text, 0, 5)  # the window's worker warms the tokenizer at start-up
    window = MainWindow(repo, labels, QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    QTest.qWaitForWindowExposed(window)
    rng = random.Random(5)
    print(f"key 1 on a selected word in the visible window, {args.repeat} presses, then Ctrl+Z "
          "(baseline: the same keys in a 10 KB article with 100 spans)")  # fmt: skip
    base_add, base_undo, base_paints = measure_keys(app, window, ids[0], args.repeat, rng)
    for ((size, n_spans, paragraphs, _, add_target), _, _), doc_id in zip(articles, ids[1:], strict=True):
        add, undo, paints = measure_keys(app, window, doc_id, args.repeat, rng)
        print(f"  {shape(size, n_spans, paragraphs)}: key 1 {add} ({add.median / base_add.median:4.2f}x; "
              f"{paints}; target <= {add_target} ms) | Ctrl+Z {undo}")  # fmt: skip
    print(f"  {'baseline, 10 KB, 100 spans':<38}: key 1 {base_add} ({base_paints}) | Ctrl+Z {base_undo}")
    window.close()
    repo.close()


if __name__ == "__main__":
    main()
