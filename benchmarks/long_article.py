"""One long article through the whole path: import, pre-annotate, open in the window,
add a span, export (JSONL and spaCy). Time and memory of each step for a 5 MB article,
against a 50 KB article generated the same way and measured in the same run (the
baseline): the per-MB ratio says whether a step grows faster than the text. Every
article runs in a fresh child process; RSS after each step and its peak during that step
(Linux only: VmHWM reset before each step). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/long_article.py [--mb 5] [--baseline-kb 50] [--repeat 3]
                                                 [--no-claims]

The 5 MB article runs once (pre-annotating it takes minutes); the baseline runs
``--repeat`` times and its median, min and max are shown. This machine has 2 shared
cores: figures are noisy, compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = ["Baghdad", "Damascus", "Beirut", "Cairo", "Kyiv", "Paris", "Nairobi", "Oslo", "Tripoli"]
PEOPLE = ["Ahmed Khalil", "Maria Novak", "John Carter", "Leila Haddad", "Omar Farouk"]
ORGS = ["the United Nations", "NATO", "the Red Cross", "the European Union"]
SENTENCES = [
    "At least {n} people were killed on Monday in an attack in {place}, a police official told AFP.",
    "{person}, a spokesman for {org}, said the situation in {place} remained very tense.",
    "According to {org}, the talks between the two sides broke down after a week.",
    "The committee reviewed the budget and the transport plan for the coming year.",
    "Residents said the water supply had been cut for most of the district overnight.",
]
STEPS = ("import", "load_model", "preannotate", "open", "add_span", "export_jsonl", "export_spacy")


def article(size: int, seed: int = 3) -> str:
    """A wire-style report of about ``size`` characters: a title, then paragraphs."""
    rng = random.Random(seed)
    parts, length = ["Regional report\n\n"], 0
    while length < size:
        paragraph = " ".join(
            rng.choice(SENTENCES).format(
                n=rng.randint(2, 90),
                place=rng.choice(PLACES),
                person=rng.choice(PEOPLE),
                org=rng.choice(ORGS),
            )  # fmt: skip
            for _ in range(rng.randint(3, 7))
        )
        parts.append(paragraph + "\n\n")
        length += len(paragraph) + 2
    return "".join(parts)


def memory_mb() -> tuple[float, float]:
    """(RSS now, peak RSS since ``reset_peak``) of this process, in MB (Linux: VmRSS and
    VmHWM of /proc/self/status)."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1e3, int(fields["VmHWM"].split()[0]) / 1e3


def reset_peak() -> None:
    """Start a new peak RSS (VmHWM) at the current RSS: each step's peak is its own
    (Linux's /proc/self/clear_refs, value 5)."""
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


def child(size: int, folder: Path, claims: bool) -> dict[str, list[float]]:
    """Run every step on a fresh database; {step: [seconds, rss_mb, peak_mb]}."""
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from models.nlp.loading import load_model
    from models.resources import default_labels
    from storage.exporters import ExportOptions, export_corpus
    from storage.importers import import_paths
    from storage.preannotate import preannotate
    from storage.repository import Repository

    figures: dict[str, list[float]] = {}

    def step(name: str, action) -> object:
        reset_peak()
        began = time.perf_counter()
        result = action()
        figures[name] = [time.perf_counter() - began, *memory_mb()]
        return result

    source = folder / "article.txt"
    source.write_text(article(size), encoding="utf-8")
    db = folder / "long.db"
    repo = Repository(db)
    step("import", lambda: import_paths(repo, [source]))
    doc_id = repo.document_ids()[0]
    repo.close()
    model = step("load_model", lambda: load_model(None))
    report = step("preannotate", lambda: preannotate(db, model, claims=claims))
    figures["suggestions"] = [report.spans_added, report.claims_added, 0]
    app = QApplication.instance() or QApplication([])
    repo = Repository(db, annotator="bench")
    window = MainWindow(repo, default_labels())
    window.show()

    def open_document() -> None:
        window.open_document(doc_id)
        app.processEvents()

    step("open", open_document)
    text = window.session.document.text
    start = text.rindex("Oslo") if "Oslo" in text else text.rindex(" ") + 1
    step("add_span", lambda: window.session.create_span(start, start + 4, "LOC"))
    window.close()
    step("export_jsonl", lambda: export_corpus(db, ExportOptions(format="jsonl", out=folder / "out.jsonl")))
    step("export_spacy", lambda: export_corpus(db, ExportOptions(format="spacy", out=folder / "out.spacy")))
    repo.close()
    return figures


def run(size: int, claims: bool) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="quire-long-") as folder:
        command = [sys.executable, __file__, "--child", str(size), folder]
        if not claims:
            command.append("--no-claims")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--baseline-kb", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-claims", action="store_true", help="entities only (no parser)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    claims = not args.no_claims
    if args.child:
        print(json.dumps(child(int(args.child[0]), Path(args.child[1]), claims)))
        return
    small_size, big_size = int(args.baseline_kb * 1000), int(args.mb * 1_000_000)
    print(f"baseline: {args.baseline_kb:.0f} KB article x {args.repeat}; then {args.mb:g} MB once "
          f"(claims {'on' if claims else 'off'})", file=sys.stderr)  # fmt: skip
    small = [run(small_size, claims) for _ in range(args.repeat)]
    big = run(big_size, claims)
    print(f"{'step':<14}{'baseline s (min-max)':>26}{'per MB':>10}{args.mb:>8g} MB s{'per MB':>10}"
          f"{'ratio':>8}{'RSS / step peak MB (base)':>27}{'RSS / step peak MB (long)':>27}")  # fmt: skip
    for name in STEPS:
        times = [figures[name][0] for figures in small]
        median = statistics.median(times)
        base_per_mb = median / (small_size / 1e6)
        long_per_mb = big[name][0] / (big_size / 1e6)
        rss = statistics.median(f[name][1] for f in small)
        peak = statistics.median(f[name][2] for f in small)
        print(f"{name:<14}{median:>10.3f} ({min(times):.3f}-{max(times):.3f}){base_per_mb:>10.2f}"
              f"{big[name][0]:>12.2f}{long_per_mb:>10.2f}{long_per_mb / base_per_mb:>8.2f}"
              f"{rss:>15.0f} / {peak:<9.0f}{big[name][1]:>15.0f} / {big[name][2]:<9.0f}")  # fmt: skip
    spans, claims_added, _ = big["suggestions"]
    print(f"suggestions stored for the long article: {spans:.0f} entities, {claims_added:.0f} claims")


if __name__ == "__main__":
    main()
