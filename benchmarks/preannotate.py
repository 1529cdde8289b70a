"""Pre-annotation throughput: raw ``nlp.pipe`` against ``storage.preannotate.preannotate``
(database reads and writes included), with and without the claim rules, on the same
generated wire-style documents. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/preannotate.py [--docs 400] [--batch-size 64] [--repeat 5] [--n-process 2]
        [--no-window]

About 6 minutes on two idle cores (the window part: 1.5 minutes).

Target: preannotate (database writes included) at >= 0.9x the speed of raw
``nlp.pipe(n_process=2)``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.document import Document  # noqa: E402
from models.nlp.claims import suggest_claims  # noqa: E402
from models.nlp.loading import LoadedModel, load_model  # noqa: E402
from storage.preannotate import pipes_needed, preannotate  # noqa: E402
from storage.repository import Repository  # noqa: E402

COUNTRIES = [
    "Iraq",
    "Syria",
    "Lebanon",
    "Jordan",
    "Egypt",
    "Turkey",
    "Iran",
    "Israel",
    "Yemen",
    "Libya",
    "Sudan",
    "Ukraine",
    "Poland",
    "France",
    "Germany",
    "Kenya",
]
CITIES = [
    "Baghdad",
    "Damascus",
    "Beirut",
    "Amman",
    "Cairo",
    "Ankara",
    "Tehran",
    "Gaza",
    "Sanaa",
    "Tripoli",
    "Khartoum",
    "Kyiv",
    "Warsaw",
    "Paris",
    "Berlin",
    "Nairobi",
]
PEOPLE = [
    "Ahmed Khalil",
    "Maria Novak",
    "John Carter",
    "Leila Haddad",
    "Omar Farouk",
    "Anna Schmidt",
    "David Levy",
    "Fatima Zahra",
    "Pierre Martin",
    "Samuel Okoro",
]
ORGS = [
    "the United Nations",
    "the World Health Organization",
    "NATO",
    "the Red Cross",
    "the European Union",
    "Amnesty International",
    "the World Bank",
    "Hezbollah",
]
OUTLETS = ["AFP", "Reuters", "the Associated Press", "Al Jazeera", "the BBC"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVENTS = [
    "rocket attack",
    "drone strike",
    "car bomb",
    "border clash",
    "protest",
    "flood",
    "earthquake",
    "prison riot",
]
SOURCES = [
    "a police official",
    "a military spokesman",
    "a senior diplomat",
    "a local health official",
    "an army officer",
    "a government source",
]
VERBS = ["said", "told {outlet}", "claimed", "confirmed", "added", "warned"]

PARAGRAPHS = [
    "At least {n} people were killed on {day} in a {event} in {city}, {source} {verb}.",
    "\u201cThe situation remains very tense,\u201d {person}, a spokesman for {org}, said in "
    "a statement, adding that {m} more were wounded.",
    "According to {org}, the {event} came days after talks between {country} and "
    "{country2} on a ceasefire broke down in {city2}.",
    "{source_cap}, speaking on condition of anonymity, said that {n} suspects had been "
    "arrested but was not immediately able to confirm their identity.",
    "{person} claimed that forces from {country2} had shelled villages near the border, "
    "a charge that the government in {city2} denied on {day2}.",
    "Preliminary reports suggested that a member of the security forces of {country} was "
    "seriously injured, {source} {verb}.",
    "The attack, which was not immediately claimed, comes amid rising tension across the "
    "region, fuelled by the war in {country2}, {person} told {outlet}.",
    "Since {month}, dozens of attacks have targeted troops deployed in {country} and "
    "{country2}, according to figures compiled by {org}.",
]
MONTHS = ["January", "March", "mid-April", "June", "early September", "mid-October"]


def wire_texts(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct wire-style stories of four to seven paragraphs."""
    rng = random.Random(seed)
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < count:
        paragraphs = rng.sample(PARAGRAPHS, rng.randint(4, 7))
        slots = _slots(rng)
        text = "\n\n".join(p.format(**slots) for p in paragraphs)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    return texts


def _slots(rng: random.Random) -> dict[str, str]:
    outlet = rng.choice(OUTLETS)
    source = rng.choice(SOURCES)
    return {
        "n": str(rng.randint(2, 90)), "m": str(rng.randint(2, 200)),
        "day": rng.choice(DAYS), "day2": rng.choice(DAYS), "event": rng.choice(EVENTS),
        "city": rng.choice(CITIES), "city2": rng.choice(CITIES),
        "country": rng.choice(COUNTRIES), "country2": rng.choice(COUNTRIES),
        "person": rng.choice(PEOPLE), "org": rng.choice(ORGS), "outlet": outlet,
        "source": source, "source_cap": source[0].upper() + source[1:],
        "verb": rng.choice(VERBS).format(outlet=outlet), "month": rng.choice(MONTHS),
    }  # fmt: skip


def raw_pipe(
    model: LoadedModel, texts: list[str], batch_size: int, claims: bool, rules: bool, n_process: int
) -> float:
    """Seconds for ``nlp.pipe`` over ``texts`` with the components ``preannotate``
    enables (and, with ``rules``, the claim rules on each Doc; nothing stored)."""
    nlp = model.nlp
    started = time.perf_counter()
    with nlp.select_pipes(enable=pipes_needed(nlp, claims)):
        for number, doc in enumerate(nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
            if rules:
                suggest_claims(doc, number)
            else:
                doc.ents  # noqa: B018 - what the entity suggestions read
    return time.perf_counter() - started


def stored_run(
    model: LoadedModel, template: Path, batch_size: int, claims: bool, n_process: int
) -> tuple[float, str]:
    """Seconds for ``preannotate`` on a fresh copy of the database, and its summary."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        shutil.copy(template, path)
        started = time.perf_counter()
        report = preannotate(path, model, batch_size=batch_size, claims=claims, n_process=n_process)
        return time.perf_counter() - started, report.summary()


def spread(values: list[float], unit: str = "s") -> str:
    """``median (min-max)``."""
    return f"{statistics.median(values):6.2f} {unit} ({min(values):.2f}-{max(values):.2f})"


def compare(
    model: LoadedModel, texts: list[str], template: Path, args: argparse.Namespace, claims: bool
) -> None:
    """Raw and stored runs taken in turn (so that a busy moment of the machine hits
    both alike), ``args.repeat`` of each; medians, their spread and the ratio per pair,
    with the load average before each pair."""
    n = args.n_process
    one, raw, rules, stored, ratios = [], [], [], [], []
    summary = ""
    what = "entities + claims" if claims else "entities only"
    print(f"\n== {what}: pipes {pipes_needed(model.nlp, claims)}", flush=True)
    for number in range(1, args.repeat + 1):
        load = os.getloadavg()[0]
        one.append(raw_pipe(model, texts, args.batch_size, claims, rules=False, n_process=1))
        raw.append(raw_pipe(model, texts, args.batch_size, claims, rules=False, n_process=n))
        if claims:
            rules.append(raw_pipe(model, texts, args.batch_size, claims, rules=True, n_process=n))
        seconds, summary = stored_run(model, template, args.batch_size, claims, n)
        stored.append(seconds)
        ratios.append(raw[-1] / seconds)
        print(f"  run {number}: load average {load:.1f}; raw 1 process {one[-1]:.2f} s, raw n_process={n} "
              f"{raw[-1]:.2f} s, preannotate {seconds:.2f} s: {ratios[-1]:.2f}x", flush=True)  # fmt: skip
    for name, times in (("raw nlp.pipe, 1 process", one), (f"raw nlp.pipe, n_process={n}", raw)):
        print(f"  {name:<36}{spread(times)}  {len(texts) / statistics.median(times):7.1f} docs/s")
    if claims:
        print(f"  {f'nlp.pipe + claim rules, n_process={n}':<36}{spread(rules)}")
    print(f"  {f'preannotate (with DB), n_process={n}':<36}{spread(stored)}  "
          f"{len(texts) / statistics.median(stored):7.1f} docs/s")  # fmt: skip
    print(
        f"  speed of preannotate / raw nlp.pipe (n_process={n}), per pair: {spread(ratios, 'x')} "
        "(target >= 0.90)"
    )
    print(
        f"  raw n_process={n} / 1 process: {statistics.median(one) / statistics.median(raw):.2f}x "
        "(below about 1.6x the machine had no core to spare)"
    )
    print(f"  {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (median and spread)")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--no-window", action="store_true", help="leave out preannotate_stall.py")
    args = parser.parse_args()
    started = time.perf_counter()
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")

    texts = wire_texts(args.docs)
    words = sum(len(t.split()) for t in texts)
    model = load_model()
    print(f"model {model.origin}, pipes {model.nlp.pipe_names}")
    print(
        f"{len(texts)} distinct documents, {words} words ({words / len(texts):.0f} per "
        f"document), batch size {args.batch_size}, {args.repeat} runs each; the machine is shared, "
        "so compare the ratios"
    )
    list(model.nlp.pipe(texts[:32]))  # warm-up
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.db"
        repo = Repository(template)
        repo.add_documents(Document(f"wire {i}", text) for i, text in enumerate(texts))
        repo.close()
        compare(model, texts, template, args, claims=False)
        compare(model, texts, template, args, claims=True)
    if not args.no_window:  # the GUI figure: the longest event-loop stall while the window pre-annotates
        print("\n== in the window (benchmarks/preannotate_stall.py)", flush=True)
        stall = Path(__file__).with_name("preannotate_stall.py")
        subprocess.run([sys.executable, str(stall), str(max(args.docs, 600))], check=False)
    load = os.getloadavg()
    print(f"\n{time.perf_counter() - started:.0f} s in all; load average now {load[0]:.1f} {load[1]:.1f}")


if __name__ == "__main__":
    main()
