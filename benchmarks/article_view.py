"""Article view figures: time to show a document with all its highlights, and to add one
span, against showing the same plain text with no spans (measured in the same run).

    python benchmarks/article_view.py

Targets (2-core machine): 100 KB/2,000 spans: show <= 50 ms, add <= 5 ms;
1 MB/20,000 spans: show <= 150 ms, add <= 10 ms; the same without any line break:
show <= 200 ms, add <= 10 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.article_view import TextView  # noqa: E402
from models.annotation import Span, Status  # noqa: E402
from models.resources import default_labels  # noqa: E402

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


def timed(fn, repeat: int) -> tuple[float, str]:
    """Median and ``(min-max)`` of ``repeat`` runs, in ms."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), f"({min(times):.1f}-{max(times):.1f})"


def measure(
    app: QApplication, size: int, n_spans: int, targets: tuple[float, float], paragraphs: bool = True
) -> None:
    text, spans = make_article(size, n_spans, paragraphs=paragraphs)
    view = TextView(default_labels())
    view.resize(900, 700)
    view.show()
    app.processEvents()

    def show_plain() -> None:
        view.show_text(text, [])
        app.processEvents()

    def show_spans() -> None:
        view.show_text(text, spans)
        app.processEvents()

    plain, plain_spread = timed(show_plain, 5)
    highlighted, shown_spread = timed(show_spans, 5)
    rng = random.Random(1)
    extra_id = [10_000_000]

    first, last = view.visible_range()  # a span the analyst adds is on screen

    def add_one() -> None:
        start = rng.randrange(first, max(first + 1, last - 10))
        extra_id[0] += 1
        view.add_span(Span(doc_id=1, start=start, end=start + 5, label="PERSON",
                           text=text[start : start + 5], id=extra_id[0]))  # fmt: skip
        app.processEvents()

    add, add_spread = timed(add_one, 50)
    show_target, add_target = targets
    shape = "paragraphs" if paragraphs else "no line break"
    print(
        f"{size / 1000:>6.0f} KB, {n_spans:>6} spans, {shape}: plain text {plain:7.1f} ms {plain_spread} | "
        f"with highlights {highlighted:7.1f} ms {shown_spread} ({highlighted / plain:4.2f}x plain, "
        f"target <= {show_target:.0f} ms) | add one span {add:5.2f} ms {add_spread} "
        f"(target <= {add_target:.0f} ms)"
    )
    view.close()


def main() -> None:
    app = QApplication.instance() or QApplication([])
    print("article view alone (median (min-max) of runs; show includes the event-loop pass that")
    print("paints; a key press through the whole window: benchmarks/review_keys.py)")
    measure(app, 100_000, 2_000, (50, 5))
    measure(app, 1_000_000, 20_000, (150, 10))
    measure(app, 1_000_000, 20_000, (200, 10), paragraphs=False)


if __name__ == "__main__":
    main()
