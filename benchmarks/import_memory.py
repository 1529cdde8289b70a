"""Peak memory of importing a JSONL file, against reading the same file, in the same run.

For each size (default 20 MB and 200 MB of JSONL, about 2.3 KB of text per line, a third
of the lines with two spans), each case runs in a fresh interpreter that first imports
Quire's storage modules, and reports its peak RSS (``ru_maxrss``):

- ``start-up``: the imports alone (the floor every case pays);
- ``read lines``: the file read a line at a time (what a streaming importer cannot avoid);
- ``read whole``: the file read into memory at once (what the importer used to do first);
- ``import``: ``python main.py import`` into a new database.

Memory that stays flat in the file size shows as ``import`` minus ``start-up`` being about
the same for both sizes. Each case is repeated (``--repeats``, default 3 for the small file,
1 for the large one): median and min-max are printed. The machine is shared (2 cores, other
jobs): times are noisy, RSS much less so.

    python benchmarks/import_memory.py [--sizes 20,200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "the minister said talks in Oslo would resume after the storm officials reported damage "
    "across the region while police in Bergen closed roads and the company denied any delay"
).split()

PRELUDE = f"""
import resource, sys, time
sys.path.insert(0, {str(ROOT)!r})
import storage.importers, storage.repository  # noqa: F401
start = time.perf_counter()
"""
CASES = {
    "start-up": "",
    "read lines": "n = 0\nwith open(PATH, 'rb') as f:\n    for line in f:\n        n += len(line)\n",
    "read whole": "data = open(PATH, 'rb').read()\n",
    "import": (
        "from storage.importers import import_paths\n"
        "from storage.repository import Repository\n"
        "repo = Repository(DB, annotator='bench')\n"
        "report = import_paths(repo, [PATH])\n"
        "assert not report.problems, report.problems[:3]\n"
        "repo.close()\n"
    ),
}
EPILOGUE = """
elapsed = time.perf_counter() - start
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, elapsed)
"""


def write_jsonl(path: Path, megabytes: int, seed: int = 7) -> int:
    """A JSONL file of about ``megabytes`` MB (10^6 bytes); returns its line count."""
    rng = random.Random(seed)
    target = megabytes * 1_000_000
    written = lines = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            words = [rng.choice(WORDS) for _ in range(380)]
            text = f"Report {lines}. " + " ".join(words) + "."
            record: dict = {"text": text, "title": f"Report {lines}", "meta": {"feed": "bench"}}
            if lines % 3 == 0:
                oslo = text.find("Oslo")
                if oslo >= 0:
                    record["spans"] = [{"start": oslo, "end": oslo + 4, "label": "GPE"}]
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            lines += 1
    return lines


def run_case(case: str, path: Path, db: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and seconds of one case in a fresh interpreter."""
    db.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    code = f"PATH = {str(path)!r}\nDB = {str(db)!r}\n" + PRELUDE + CASES[case] + EPILOGUE
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    kib, seconds = out.stdout.split()
    return int(kib) / 1024, float(seconds)


def spread(values: list[float], unit: str, digits: int = 0) -> str:
    low, mid, high = (f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values)))
    return f"{mid} {unit} ({low}-{high})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20,200", help="file sizes in MB, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="repeats for files up to 50 MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quire-import-memory-") as folder:
        folder = Path(folder)
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"corpus-{size}mb.jsonl"
            started = time.perf_counter()
            lines = write_jsonl(path, size)
            print(f"{path.name}: {lines} lines, {path.stat().st_size / 2**20:.1f} MiB "
                  f"(written in {time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip
            repeats = args.repeats if size <= 50 else 1
            results = {}
            for case in CASES:
                runs = [run_case(case, path, folder / "bench.db") for _ in range(repeats)]
                results[case] = runs
                rss = [r for r, _ in runs]
                seconds = [s for _, s in runs]
                rate = f", {lines / statistics.median(seconds):.0f} documents/s" if case == "import" else ""
                figures = f"peak RSS {spread(rss, 'MiB')}, {spread(seconds, 's', 2)}{rate}"
                print(f"  {case:<11} {figures}", flush=True)
            floor = statistics.median(r for r, _ in results["start-up"])
            rows.append((size, statistics.median(r for r, _ in results["import"]) - floor,
                         statistics.median(r for r, _ in results["read whole"]) - floor))  # fmt: skip
        print("\nabove start-up (median):")
        for size, imported, whole in rows:
            print(f"  {size:>4} MB: import +{imported:.0f} MiB; reading the whole file +{whole:.0f} MiB")


if __name__ == "__main__":
    main()
