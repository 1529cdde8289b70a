"""Import throughput and peak memory for other tools' formats: 1,000 generated news pages
(HTML with boilerplate) and one CoNLL file of 10,000 documents, each against a baseline
measured in the same run:

- HTML: trafilatura alone (``bare_extraction`` of each file's bytes, metadata on) vs
  ``import_paths`` of the folder into a new database;
- CoNLL: reading the file alone (every line split into columns) vs Quire's CoNLL reader
  without the database (parse, detokenise, offsets) vs ``import_paths`` of the file.

Every measurement runs in a fresh child process (libraries imported and warmed before the
clock starts), ``--repeat`` times; figures are the median and the min-max. Peak RSS is the
child's ``ru_maxrss`` at the end, interpreter and libraries included. Prints figures;
asserts nothing.

    .venv/bin/python benchmarks/import.py [--pages 1000] [--conll-docs 10000] [--repeat 3]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PEOPLE = ["Ilse Marchetti", "Tomas Ferreira", "Helga Strand", "Maren Holt", "Daniel Okafor", "Régis Fabre"]
PLACES = ["Verran", "Kessa", "Oruna", "Sète", "Beira", "Kollsnes", "Gothenburg", "Brno"]
ORGS = ["the port authority", "the dockers' union", "the transport ministry", "Verran Terminal Holdings"]
SENTENCES = [
    "{person} said on {day} that {n} ships were waiting outside {place}, according to {org}.",
    '"We are not against machines," {person} told reporters in {place}.',
    "The strike in {place} entered its {n}th day, and {org} said talks would resume.",
    "About {n} workers gathered outside the gates in {place} on {day}, {person} said.",
    "Exporters said their losses were mounting, and {org} declined to comment on {day}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Coastal Ledger</title>
<meta name="author" content="{author}">
<meta property="og:site_name" content="The Coastal Ledger">
<meta property="article:published_time" content="2026-03-{day:02d}T09:00:00+00:00">
<link rel="canonical" href="https://ledger.example.org/news/{number}">
</head><body>
<div class="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
<header><nav><a href="/news">News</a> <a href="/business">Business</a> <a href="/sport">Sport</a>
<a href="/subscribe">Subscribe</a></nav></header>
<div class="ad-slot">Advertisement</div>
<main><article><h1>{title}</h1><div class="byline">By {author}</div>
{paragraphs}
</article>
<aside class="related"><h2>Most read</h2><ol><li><a href="/a1">Ten recipes for a rainy weekend</a></li>
<li><a href="/a2">Council approves new cycle lanes</a></li></ol></aside>
<section class="comments"><h2>Comments</h2><div class="comment">About time.</div></section>
</main><footer>&copy; 2026 The Coastal Ledger Ltd. <a href="/privacy">Privacy</a></footer>
</body></html>
"""


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        person=rng.choice(PEOPLE), place=rng.choice(PLACES), org=rng.choice(ORGS),
        day=rng.choice(DAYS), n=rng.randint(2, 90),
    )  # fmt: skip


def write_pages(folder: Path, pages: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(pages):
        paragraphs = "\n".join(
            f"<p>{' '.join(_sentence(rng) for _ in range(3))}</p>" for _ in range(rng.randint(5, 9))
        )
        title = f"Dispatch {number}: strike in {rng.choice(PLACES)} goes on"
        page = PAGE.format(
            title=title, author=rng.choice(PEOPLE), day=1 + number % 28, number=number, paragraphs=paragraphs
        )
        (folder / f"page_{number:05d}.html").write_text(page, encoding="utf-8")


def write_conll(path: Path, documents: int, seed: int = 0) -> None:
    """CoNLL-2003 style: -DOCSTART-, four columns, IOB2 tags on people, places, orgs."""
    rng = random.Random(seed)
    labels = {**{p: "PER" for p in PEOPLE}, **{p: "LOC" for p in PLACES}, **{o: "ORG" for o in ORGS}}
    with path.open("w", encoding="utf-8") as out:
        for number in range(documents):
            out.write("-DOCSTART- -X- -X- O\n\n")
            out.write(f"Report NN I-NP O\n{number} CD I-NP O\n. . O O\n\n")
            for _ in range(8):
                template = rng.choice(SENTENCES)
                for piece in template.replace('"', ' " ').replace(",", " ,").replace(".", " .").split():
                    if piece.startswith("{"):
                        slot = piece.strip("{}")
                        value = {"person": rng.choice(PEOPLE), "place": rng.choice(PLACES),
                                 "org": rng.choice(ORGS), "day": rng.choice(DAYS),
                                 "n": str(rng.randint(2, 90))}[slot.split("}")[0]]  # fmt: skip
                        tokens = value.split()
                        label = labels.get(value)
                        for i, token in enumerate(tokens):
                            tag = "O" if label is None else ("B-" if i == 0 else "I-") + label
                            out.write(f"{token} NN I-NP {tag}\n")
                        if piece.endswith("th"):
                            out.write("th NN I-NP O\n")
                    else:
                        out.write(f"{piece} NN I-NP O\n")
                out.write("\n")


# -- children: one measurement each, in a fresh process --------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, target: str, db: str) -> dict:
    from storage.formats.records import ReadContext
    from storage.importers import MAX_FILE_BYTES, import_paths, read_text_file
    from storage.repository import Repository

    if kind == "html-lib":
        from trafilatura import bare_extraction

        files = sorted(Path(target).glob("*.html"))
        bare_extraction(files[0].read_bytes(), with_metadata=True)  # warm up
        began = time.perf_counter()
        found = sum(
            bare_extraction(path.read_bytes(), with_metadata=True, include_comments=False) is not None
            for path in files
        )
        return {"seconds": time.perf_counter() - began, "documents": found, "peak_rss": _rss_mb()}
    if kind == "conll-read":
        began = time.perf_counter()
        documents = 0
        with open(target, encoding="utf-8") as file:
            for line in file:
                columns = line.split()
                documents += bool(columns) and columns[0] == "-DOCSTART-"
        return {"seconds": time.perf_counter() - began, "documents": documents, "peak_rss": _rss_mb()}
    if kind == "conll-reader":
        from storage.formats import conll

        began = time.perf_counter()
        documents = sum(1 for _ in conll.read(Path(target), ReadContext(read_text_file, MAX_FILE_BYTES)))
        return {"seconds": time.perf_counter() - began, "documents": documents, "peak_rss": _rss_mb()}
    # "import": the whole path, into a new database
    warm = Path(db).with_name("warm.db")
    sample = next(Path(target).glob("*.html")) if Path(target).is_dir() else ROOT / "tests/data/import/conll"
    repo = Repository(warm)
    import_paths(repo, [sample])  # imports the readers and spaCy's tokenizer before the clock
    repo.close()
    repo = Repository(db)
    began = time.perf_counter()
    report = import_paths(repo, [target])
    seconds = time.perf_counter() - began
    repo.close()
    return {"seconds": seconds, "documents": len(report.imported), "problems": len(report.problems),
            "peak_rss": _rss_mb()}  # fmt: skip


def run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- the run ---------------------------------------------------------------------------


def spread(values: list[float], unit: str, digits: int = 0) -> str:
    return (
        f"{statistics.median(values):.{digits}f} {unit} "
        f"(min-max {min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def measure(name: str, args: tuple[str, ...], repeat: int, folder: Path) -> dict:
    runs = []
    for number in range(repeat):
        db = folder / f"{name}-{number}.db"
        runs.append(run_child(*args, str(db)))
    rates = [run["documents"] / run["seconds"] for run in runs]
    rss = [run["peak_rss"] for run in runs]
    rate = spread(rates, "docs/s", 1)
    print(f"  {name:<28} {runs[0]['documents']:>6} docs  {rate:<34} peak RSS {spread(rss, 'MB')}")
    return {"rate": statistics.median(rates), "rss": statistics.median(rss), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--conll-docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    folder = Path(tempfile.mkdtemp(prefix="quire-import-bench-"))
    try:
        pages, conll = folder / "pages", folder / "corpus.conll"
        write_pages(pages, args.pages)
        write_conll(conll, args.conll_docs)
        size = sum(p.stat().st_size for p in pages.iterdir()) / 1e6
        print(f"HTML: {args.pages} pages, {size:.1f} MB; {args.repeat} runs each, fresh process per run")
        lib = measure("trafilatura alone", ("html-lib", str(pages)), args.repeat, folder)
        full = measure("import_paths (HTML)", ("import", str(pages)), args.repeat, folder)
        print(f"  import / library: {lib['rate'] / full['rate']:.2f}x the time per page")
        print(f"CoNLL: {args.conll_docs} documents, {conll.stat().st_size / 1e6:.1f} MB")
        read = measure("reading the file alone", ("conll-read", str(conll)), args.repeat, folder)
        reader = measure("CoNLL reader (no database)", ("conll-reader", str(conll)), args.repeat, folder)
        full = measure("import_paths (CoNLL)", ("import", str(conll)), args.repeat, folder)
        print(
            f"  reader / reading: {read['rate'] / reader['rate']:.1f}x the time; "
            f"import / reading: {read['rate'] / full['rate']:.1f}x"
        )
        print("Figures on a shared 2-core machine: noisy; compare the ratios within this run.")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
