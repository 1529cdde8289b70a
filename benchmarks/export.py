"""Export throughput and memory on a generated corpus (default 10,000 documents with
200,000 accepted spans): time per format; for ``spacy`` the ratio to building the same
DocBin directly from in-memory Docs (target <= 1.5x); and peak memory (RSS and
tracemalloc) of a smaller and the full corpus, which should stay flat because the
exporters stream. Every measurement runs in a fresh child process. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/export.py [--docs 10000] [--spans-per-doc 20] [--small 2000]
                                          [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.annotation import Span  # noqa: E402
from models.document import DocStatus, Document  # noqa: E402
from storage.exporters import FORMATS, ExportOptions, export_corpus  # noqa: E402
from storage.repository import Repository  # noqa: E402

PEOPLE = ["Ahmed Khalil", "Maria Novak", "John Carter", "Leila Haddad", "Omar Farouk", "Anna Schmidt"]
PLACES = ["Baghdad", "Damascus", "Beirut", "Cairo", "Kyiv", "Paris", "Nairobi", "Gaza", "Tripoli"]
ORGS = ["the United Nations", "NATO", "the Red Cross", "the European Union", "Amnesty International"]
OUTLETS = ["AFP", "Reuters", "Al Jazeera", "the BBC"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SLOTS = {
    "person": ("PERSON", PEOPLE),
    "place": ("GPE", PLACES),
    "place2": ("GPE", PLACES),
    "org": ("ORG", ORGS),
    "outlet": ("ORG", OUTLETS),
    "day": ("DATE", DAYS),
}
SENTENCES = [
    "At least {n} people were killed on {day} in an attack in {place}, a police official told {outlet}.",
    "\u201cThe situation remains very tense,\u201d {person}, a spokesman for {org}, said in a statement.",
    "According to {org}, the clashes came days after talks between {place} and {place2} broke down.",
    "{person} claimed that forces had shelled villages near {place}, a charge denied on {day}.",
    "Preliminary reports from {place} suggested that {n} soldiers were injured, {person} told {outlet}.",
    "The attack, which was not immediately claimed, comes amid rising tension 😀 across the region.",
    "Residents of {place2} said the water supply was cut on {day} \u2014 \u0627\u0644\u0645\u0627\u0621.",
]


def generate(path: Path, documents: int, spans_per_doc: int, seed: int = 0) -> int:
    """A database of wire-style documents, each with ``spans_per_doc`` accepted spans."""
    rng = random.Random(seed)
    repo = Repository(path, annotator="bench")
    total = 0
    with repo.transaction():
        for number in range(documents):
            text, spans = _article(rng, number, spans_per_doc)
            status = DocStatus.DONE if number % 2 else DocStatus.IN_PROGRESS
            doc_id = repo.add_document(Document(title=f"Report {number}", text=text, status=status))
            stored = repo.restore_spans(
                doc_id, [Span(doc_id, s, e, label, text[s:e], annotator="bench") for s, e, label in spans]
            )
            total += sum(isinstance(span, Span) for span in stored)
    repo.close()
    return total


def _article(rng: random.Random, number: int, spans_per_doc: int) -> tuple[str, list[tuple[int, int, str]]]:
    parts: list[str] = [f"Dispatch {number}."]
    spans: list[tuple[int, int, str]] = []
    length = len(parts[0])
    while len(spans) < spans_per_doc or len(parts) < 14:
        template = rng.choice(SENTENCES)
        pieces = template.replace("{n}", str(rng.randint(2, 90))).split("{")
        sentence = pieces[0]
        for piece in pieces[1:]:
            slot, rest = piece.split("}", 1)
            label, values = SLOTS[slot]
            value = rng.choice(values)
            start = length + 1 + len(sentence)
            if len(spans) < spans_per_doc:
                spans.append((start, start + len(value), label))
            sentence += value + rest
        parts.append(sentence)
        length += 1 + len(sentence)
    return " ".join(parts), spans


# -- children: one measurement each, in a fresh process --------------------------------


def child_export(db: str, fmt: str, out: str, trace: bool) -> dict:
    from models.nlp.tokens import tokenize

    tokenize("warm up the tokenizer.")
    start_rss = _rss_mb()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    report = export_corpus(db, ExportOptions(fmt, Path(out)))
    seconds = time.perf_counter() - began
    result = {
        "seconds": seconds,
        "documents": report.documents,
        "spans": sum(report.spans_by_label.values()),
        "problems": len(report.problems),
        "start_rss": start_rss,
        "peak_rss": _rss_mb(),
        "bytes": Path(out).stat().st_size,
    }
    if trace:
        result["traced_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
    return result


def child_baseline(db: str, out: str) -> dict:
    """The same DocBin built directly: texts and offsets already in memory -> Docs ->
    ``DocBin`` -> ``to_disk``, timing the Docs and the DocBin apart."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    from models.nlp.tokens import tokenize

    repo = Repository(db)
    rows = [(doc.text, [(s.start, s.end, s.label) for s in spans]) for doc, spans, _, _ in repo.iter_export()]
    repo.close()
    tokenize("warm up the tokenizer.")
    start_rss = _rss_mb()
    began = time.perf_counter()
    docs = []
    for text, spans in rows:
        doc = tokenize(text)
        accepted = [doc.char_span(s, e, label, alignment_mode="strict") for s, e, label in spans]
        doc.ents = filter_spans(accepted)
        doc.spans["sc"] = accepted
        docs.append(doc)
    built = time.perf_counter()
    DocBin(docs=docs).to_disk(out)
    done = time.perf_counter()
    return {
        "docs_seconds": built - began,
        "docbin_seconds": done - built,
        "start_rss": start_rss,
        "peak_rss": _rss_mb(),
        "bytes": Path(out).stat().st_size,
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- the run ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    parser.add_argument("--small", type=int, default=2_000, help="the smaller corpus of the memory check")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the spacy vs direct DocBin timing")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "export":
            db, fmt, out, trace = rest
            print(json.dumps(child_export(db, fmt, out, trace == "trace")))
        else:
            print(json.dumps(child_baseline(*rest)))
        return

    folder = Path(tempfile.mkdtemp(prefix="quire-export-bench-"))
    try:
        report(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(folder: Path, args: argparse.Namespace) -> None:
    sizes = {"small": args.small, "full": args.docs}
    dbs = {name: folder / f"{name}.db" for name in sizes}
    for name, documents in sizes.items():
        began = time.perf_counter()
        spans = generate(dbs[name], documents, args.spans_per_doc)
        megabytes = dbs[name].stat().st_size / 2**20
        print(
            f"generated {documents:,} documents, {spans:,} accepted spans ({megabytes:.0f} MB database) "
            f"in {time.perf_counter() - began:.1f} s"
        )
    full = time_formats(folder, dbs["full"], sizes["full"])
    direct = compare_direct(folder, dbs["full"], full["spacy"]["seconds"], args.repeat)
    compare_memory(folder, dbs, sizes, full, direct)


def time_formats(folder: Path, db: Path, documents: int) -> dict[str, dict]:
    print(f"\nexport of {documents:,} documents (fresh process each; peak RSS includes spaCy itself)")
    print(
        f"{'format':<8}{'seconds':>9}{'docs/s':>9}{'spans':>10}{'problems':>10}{'file MB':>9}"
        f"{'peak RSS MB':>13}"
    )
    results = {}
    for fmt in FORMATS:
        result = results[fmt] = run_child("export", str(db), fmt, str(folder / f"out.{fmt}"), "rss")
        print(
            f"{fmt:<8}{result['seconds']:>9.2f}{result['documents'] / result['seconds']:>9.0f}"
            f"{result['spans']:>10,}{result['problems']:>10}{result['bytes'] / 2**20:>9.1f}"
            f"{result['peak_rss']:>13.0f}"
        )
    return results


def compare_direct(folder: Path, db: Path, export_seconds: float, repeat: int) -> dict:
    """The spacy export against the same DocBin built in memory, ``repeat`` times in turn
    (this machine's timings vary from run to run); the first export is the one timed above."""
    print("\nspacy: the same DocBin built directly in memory (texts and offsets already loaded)")
    print(f"{'run':<5}{'export s':>10}{'Docs s':>9}{'DocBin s':>10}{'export/DocBin':>15}{'export/both':>13}")
    ratios = []
    for run in range(1, repeat + 1):
        if run > 1:
            export_seconds = run_child("export", str(db), "spacy", str(folder / "out.spacy"), "rss")[
                "seconds"
            ]
        direct = run_child("baseline", str(db), str(folder / "direct.spacy"))
        both = direct["docs_seconds"] + direct["docbin_seconds"]
        ratios.append((export_seconds / direct["docbin_seconds"], export_seconds / both))
        print(
            f"{run:<5}{export_seconds:>10.2f}{direct['docs_seconds']:>9.2f}{direct['docbin_seconds']:>10.2f}"
            f"{ratios[-1][0]:>14.2f}x{ratios[-1][1]:>12.2f}x"
        )
    print(
        f"median: export / DocBin from in-memory Docs {statistics.median(r[0] for r in ratios):.2f}x "
        f"(target <= 1.5x); export / Docs and DocBin {statistics.median(r[1] for r in ratios):.2f}x"
    )
    same = (folder / "out.spacy").read_bytes() == (folder / "direct.spacy").read_bytes()
    print(f"exported file has DocBin.to_disk's bytes: {same}")
    return direct


def compare_memory(folder: Path, dbs: dict, sizes: dict, full: dict, direct: dict) -> None:
    """RSS above the child's RSS before it starts exporting, for every format; the
    tracemalloc peak only for spacy and jsonl: tracing slows a run several times, and
    conll and claims stream one line per document as jsonl does."""
    print(f"\npeak memory in MB, {sizes['small']:,} vs {sizes['full']:,} documents")
    print(f"{'format':<10}{'RSS small':>11}{'RSS full':>10}{'traced small':>14}{'traced full':>13}")
    for fmt in FORMATS:
        small = run_child("export", str(dbs["small"]), fmt, str(folder / f"small.{fmt}"), "rss")
        rss = [small["peak_rss"] - small["start_rss"], full[fmt]["peak_rss"] - full[fmt]["start_rss"]]
        traced = ["-", "-"]
        if fmt in ("spacy", "jsonl"):
            traced = [
                f"{run_child('export', str(dbs[name]), fmt, str(folder / 't'), 'trace')['traced_peak']:.1f}"
                for name in sizes
            ]
        print(f"{fmt:<10}{rss[0]:>11.0f}{rss[1]:>10.0f}{traced[0]:>14}{traced[1]:>13}")
    small_direct = run_child("baseline", str(dbs["small"]), str(folder / "direct-small.spacy"))
    print(
        f"{'direct':<10}{small_direct['peak_rss'] - small_direct['start_rss']:>11.0f}"
        f"{direct['peak_rss'] - direct['start_rss']:>10.0f}   (DocBin built in memory, for comparison)"
    )


if __name__ == "__main__":
    main()
