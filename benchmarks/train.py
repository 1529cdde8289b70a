"""Training from confirmed work: time, words/s and peak RSS, dev scores against the stock
model and the rules, and pre-annotation speed with the trained pipeline against stock.

Run: .venv/bin/python benchmarks/train.py [--sizes 100,300] [--repeats 3] [--wikinews]

- Generates N wire stories of about 3,000 characters (names, places, organisations, dates,
  weapons and attributed claims from templates, every entity and claim accepted, every
  document done) into a fresh database, and runs ``main.py train`` on it with the default
  settings in a child process (its peak RSS is the child's ``ru_maxrss``, and the process
  tree's RSS sampled, with the stage of the peak: see ``run_training``); prints time,
  words/s of the updates, peak RSS, the stop reason, per-label F1 of the trained model
  and of the stock model on the same dev split, the claim roles (combined vs rules) and
  the train curve. Targets (2 cores): 300 documents within 15 minutes, RSS under 2 GB.
- Pre-annotation speed: ``storage.preannotate`` over the same documents with the stock
  pipeline and with the trained one, alternating, ``--repeats`` times each (median and
  min-max); target: the trained pipeline within 10 % of stock.
- ``--sample``: the issue's check. WEAPON taught by hand on the sample corpus (the ten
  articles Quire seeds on first start): every mention of a weapon (drones, missiles,
  weapons, ammunition) labelled WEAPON, in two ways: "hand", WEAPON spans only in
  documents not marked done; "reviewed", the stock suggestions accepted as well and every
  document marked done. ``main.py train`` at the default settings, then pre-annotation
  of three new sentences with the trained model: the WEAPON suggestions and their origin.
- ``--wikinews``: the real-news development set of claims (``/work/annot/wikinews_dev.jsonl``,
  texts from ``/work/shared/corpora/wikinews/wikinews.jsonl``; not shipped with Quire)
  imported as accepted claims in documents marked done, and ``train --task claims``:
  the claim suggester against the rules, per role, on its dev split.
The machine is shared: figures are noisy; compare ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.annotation import Claim, SourceKind, Span  # noqa: E402
from models.document import DocStatus, Document  # noqa: E402
from storage.preannotate import preannotate  # noqa: E402
from storage.repository import Repository  # noqa: E402

FIRST = ["Ana", "Omar", "Lena", "Tomas", "Mira", "Jon", "Ada", "Karim", "Sofia", "Ivan", "Leila", "Pablo",
         "Nadia", "Erik", "Fatima", "Hugo", "Amara", "Viktor", "Yara", "Samuel", "Ines", "Dmitri", "Zainab",
         "Lucas", "Grace", "Anton", "Chiara", "Musa", "Elena", "Farid"]  # fmt: skip
LAST = ["Silva", "Haddad", "Berg", "Novak", "Patel", "Eriksen", "Okafor", "Mansour", "Rossi", "Petrov",
        "Nasser", "Ortega", "Kowalski", "Lindqvist", "Diallo", "Moreau", "Mensah", "Sokolov", "Khoury",
        "Adeyemi", "Duarte", "Volkov", "Bello", "Fischer", "Owusu", "Marin", "Conti", "Abubakar", "Ionescu",
        "Rahimi"]  # fmt: skip
PLACES = ["Sudan", "Niger", "Chile", "Kenya", "Peru", "Ghana", "Nepal", "Yemen", "Mali", "Libya", "Syria",
          "Somalia", "Ukraine", "Georgia", "Armenia", "Colombia", "Ethiopia", "Chad", "Iraq", "Lebanon",
          "Mozambique", "Myanmar", "Bolivia", "Algeria", "Tunisia"]  # fmt: skip
ORGS = ["the Defence Ministry", "the United Nations", "Amnesty International", "the African Union",
        "the Interior Ministry", "Human Rights Watch", "the Red Cross", "the European Union", "Reuters",
        "the World Food Programme", "NATO", "the army", "the national police"]  # fmt: skip
WEAPONS = ["drones", "rifles", "missiles", "mortars", "grenades", "rockets", "howitzers", "landmines",
           "Kalashnikov rifles", "anti-tank missiles", "cluster munitions", "machine guns",
           "artillery shells", "Shahed drones", "RPG launchers", "sniper rifles", "ballistic missiles",
           "car bombs", "improvised explosive devices", "armed drones"]  # fmt: skip
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"]
FILLER = [
    "Residents described long queues at the few shops that remained open in the town centre.",
    "The road linking the two districts had been closed for most of the week after heavy rain.",
    "Aid convoys were waiting at the crossing while officials checked their papers one by one.",
    "Schools in the area were shut and teachers said they did not know when classes would resume.",
    "Prices of flour and fuel have doubled since the start of the year, traders said in the market.",
    "Local radio stations broadcast appeals for blood donors throughout the afternoon.",
]


class Story:
    """One generated document: text with entities and claims recorded as it is written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.text = ""
        self.entities: list[tuple[int, int, str]] = []
        self.claims: list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = []

    def put(self, text: str, label: str | None = None) -> tuple[int, int]:
        start = len(self.text)
        self.text += text
        if label:
            self.entities.append((start, len(self.text), label))
        return start, len(self.text)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def sentence(self) -> None:
        rng, kind = self.rng, self.rng.randrange(6)
        if kind == 0:  # "X said (that) the Ws were fired from P"
            source = self.put(self.person(), "PERSON")
            self.put(", a spokesperson for ")
            self.put(rng.choice(ORGS), "ORG")
            self.put(", ")
            cue = self.put(rng.choice(["said", "told reporters", "claimed", "warned"]))
            self.put(" ")
            c0 = len(self.text)
            self.put(f"the {rng.choice(['attackers', 'militia', 'troops', 'rebels'])} had used ")
            self.put(rng.choice(WEAPONS), "WEAPON")
            self.put(" near the border with ")
            self.put(rng.choice(PLACES), "GPE")
            self.claims.append((source, cue, (c0, len(self.text))))
            self.put(". ")
        elif kind == 1:  # "According to O, content."
            cue = self.put("According to")
            self.put(" ")
            source = self.put(rng.choice(ORGS), "ORG")
            self.put(", ")
            c0 = len(self.text)
            self.put(f"at least {rng.randrange(3, 90)} people were killed when ")
            self.put(rng.choice(WEAPONS), "WEAPON")
            self.put(" hit a market in ")
            self.put(rng.choice(PLACES), "GPE")
            self.put(" on ")
            self.put(rng.choice(DAYS)[3:], "DATE")
            self.claims.append((source, cue, (c0, len(self.text))))
            self.put(". ")
        elif kind == 2:  # a report with a weapon, no claim
            self.put("Witnesses in ")
            self.put(rng.choice(PLACES), "GPE")
            self.put(" reported hearing ")
            self.put(rng.choice(WEAPONS), "WEAPON")
            self.put(" late ")
            self.put(rng.choice(DAYS)[3:], "DATE")
            self.put(". ")
        elif kind == 3:  # denial
            org = rng.choice(ORGS)
            source = self.put(org[0].upper() + org[1:], "ORG")
            self.put(" ")
            cue = self.put("denied")
            self.put(" ")
            c0 = len(self.text)
            self.put("that its forces had bought ")
            self.put(rng.choice(WEAPONS), "WEAPON")
            self.put(" from ")
            self.put(rng.choice(PLACES), "GPE")
            self.claims.append((source, cue, (c0, len(self.text))))
            self.put(". ")
        else:
            self.put(rng.choice(FILLER) + " ")

    def build(self, chars: int = 3000) -> None:
        self.put(self.rng.choice(PLACES), "GPE")
        self.put(" — ")
        while len(self.text) < chars:
            self.sentence()
            if self.rng.random() < 0.2:
                self.text = self.text.rstrip() + "\n\n"
        self.text = self.text.rstrip()


def generate(path: Path, count: int, seed: int = 0) -> int:
    """A database of ``count`` generated stories; returns the number of words."""
    rng = random.Random(seed)
    repo = Repository(path, annotator="bench")
    words = 0
    try:
        for i in range(count):
            story = Story(rng)
            story.build()
            story.text += f"\n\nFiled {i}."
            words += len(story.text.split())
            doc_id = repo.add_document(Document(title=f"Story {i}", text=story.text, status=DocStatus.DONE))
            with repo.transaction():
                for start, end, label in story.entities:
                    repo.add_span(Span(doc_id, start, end, label, story.text[start:end]))
                for source, cue, content in story.claims:
                    name = story.text[slice(*source)]
                    repo.add_claim(Claim(doc_id, *content, *cue, *source, source_text=name))
    finally:
        repo.close()
    return words


def run_training(db: Path, out: Path, extra: list[str]) -> tuple[dict, float, float, str]:
    """``main.py train`` in a child process: its final report, seconds, peak RSS (MB) and
    where the peak was.

    Peak RSS is this child's ``ru_maxrss`` from ``os.wait4`` (its own high-water mark as
    the kernel counts it, so no short spike is missed, and not an earlier run's as the
    ``RUSAGE_CHILDREN`` maximum would be). It is the whole of training's memory because
    training runs in that one process: its ``nlp.pipe`` calls use ``n_process=1`` and it
    starts no process; if it did, one process's figure would undercount, so the process
    tree's RSS summed (``/proc``, every 0.2 s) is printed beside it, with the stage it
    peaked in."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        # stdin stays open: with --json-progress, end of input means "the window went away"
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "train", "--db", str(db), "--out", str(out),
             "--json-progress", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
        stage = ["starting"]
        tree = TreeSampler(process.pid, stage)
        events = []
        for line in process.stdout:
            if line.startswith("{"):
                events.append(json.loads(line))
                stage[0] = _stage_name(events[-1])
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        tree.stop()
        process.stdin.close()
        errors.seek(0)
        stderr = errors.read()
    seconds = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # KB on Linux
    if process.returncode != 0:
        raise SystemExit(f"train failed ({process.returncode}): {stderr.strip()[-500:]}")
    done = next(e for e in events if e["event"] == "done")
    return done, seconds, peak, f"process tree sampled: {tree.peak:.0f} MB at peak, in {tree.peak_stage}"


class TreeSampler:
    """RSS of a process and its descendants (``/proc``), summed every 0.2 s in a thread;
    ``peak`` (MB) and the stage (``stage[0]`` at that moment) it was reached in."""

    def __init__(self, pid: int, stage: list[str]) -> None:
        self.pid, self.stage = pid, stage
        self.peak, self.peak_stage = 0.0, ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss = sum(_rss_mb(pid) for pid in _tree(self.pid))
            if rss > self.peak:
                self.peak, self.peak_stage = rss, self.stage[0]


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
    return pids


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stage_name(event: dict) -> str:
    kind = event["event"]
    if kind == "stage":
        return repr(event["message"][:60])
    if kind == "epoch":
        return f"{event['task']} epoch {event['epoch'] + 1}"  # the epoch after the one reported
    if kind == "curve":
        return f"the {event['task']} curve after {event['fraction']:.0%}"
    return kind


def pre_annotation_speed(db: Path, model: Path, repeats: int) -> None:
    """Pre-annotation of the training documents, reopened (pre-annotation leaves documents
    marked done as they are: timed as they were trained, it did nothing in 0.0 s)."""
    from models.nlp.loading import load_model

    stock, trained = load_model(), load_model(str(model))
    times: dict[str, list[float]] = {"stock": [], "trained": []}
    documents = set()
    with tempfile.TemporaryDirectory() as tmp:
        reopened = Path(tmp) / "reopened.db"
        reopened.write_bytes(db.read_bytes())
        repo = Repository(reopened, annotator="bench")
        try:
            with repo.transaction():
                for doc_id in repo.document_ids():
                    repo.set_document_status(doc_id, DocStatus.IN_PROGRESS)
        finally:
            repo.close()
        for _ in range(repeats):
            for name, loaded in (("stock", stock), ("trained", trained)):
                copy = Path(tmp) / "copy.db"
                copy.write_bytes(reopened.read_bytes())
                started = time.perf_counter()
                documents.add(preannotate(copy, loaded).documents)
                times[name].append(time.perf_counter() - started)
                copy.unlink()
    print(f"  pre-annotation of {', '.join(map(str, sorted(documents)))} documents, one process:")
    for name, values in times.items():
        print(f"  pre-annotate {name:<8} median {statistics.median(values):6.1f} s "
              f"(min {min(values):.1f}, max {max(values):.1f}, {len(values)} runs)")  # fmt: skip
    ratio = statistics.median(times["trained"]) / statistics.median(times["stock"])
    print(f"  trained / stock time: {ratio:.3f} (target <= 1.10)")


def show(done: dict) -> None:
    for line in done["lines"]:
        print("  " + line)


def bench_size(count: int, repeats: int, folder: Path) -> None:
    db = folder / f"bench{count}.db"
    words = generate(db, count)
    print(f"\n== {count} generated documents ({words:,} words, ~{words // count} per document) ==")
    done, seconds, peak, tree = run_training(db, folder / f"model{count}", [])
    print(f"  train (default settings): {seconds:.0f} s wall, peak RSS {peak:.0f} MB "
          "(targets: 900 s, 2048 MB)")  # fmt: skip
    print(f"  peak RSS: ru_maxrss of the train process (all of training runs in it); {tree}")
    rate = done["words"] / max(done["train_seconds"], 1e-9)
    print(f"  updates: {done['words']:,} words in {done['train_seconds']:.0f} s = {rate:,.0f} words/s; "
          f"stopped: {done['stopped']}")  # fmt: skip
    show(done)
    if repeats:
        pre_annotation_speed(db, folder / f"model{count}", repeats)


def bench_wikinews(folder: Path) -> None:
    annotations = Path("/work/annot/wikinews_dev.jsonl")
    corpus = Path("/work/shared/corpora/wikinews/wikinews.jsonl")
    if not annotations.exists() or not corpus.exists():
        print("\n(wikinews development set not found; skipped)")
        return
    texts = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for key in ("file", "gum_id", "id", "title"):
            if key in record:
                texts[record[key]] = record
    db = folder / "wikinews.db"
    repo = Repository(db, annotator="bench")
    claims = documents = 0
    try:
        for line in annotations.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            source = (
                texts.get(record.get("file")) or texts.get(record.get("gum_id")) or texts.get(record["title"])
            )
            if source is None:
                continue
            text = source["text"]
            doc_id = repo.add_document(Document(title=record["title"], text=text, status=DocStatus.DONE))
            if doc_id is None:
                continue
            documents += 1
            for c in record["claims"]:
                if text[c["content"]["start"] : c["content"]["end"]] != c["content"]["text"]:
                    continue
                cue, src = c.get("cue") or {}, c.get("source") or {}
                kind = SourceKind(c.get("source_kind") or "unattributed")
                content = (c["content"]["start"], c["content"]["end"])
                repo.add_claim(Claim(doc_id, *content, cue.get("start"), cue.get("end"), src.get("start"),
                                     src.get("end"), source_kind=kind))  # fmt: skip
                claims += 1
    finally:
        repo.close()
    print(f"\n== Wikinews development set: {documents} articles, {claims} accepted claims ==")
    done, seconds, peak, _tree = run_training(
        db, folder / "wikinews-model", ["--task", "claims", "--dev-fraction", "0.3"]
    )
    print(f"  train --task claims: {seconds:.0f} s, peak RSS {peak:.0f} MB")
    show(done)


SAMPLE_WEAPONS = re.compile(r"\b(?:naval )?(?:missiles?|drones?|Drone|ammunition|weapons)\b")
NEW_TEXTS = [
    "Militants fired rockets and drones at the base, and soldiers later seized rifles and ammunition.",
    "The navy said two missiles were launched from Yemen on Tuesday.",
    "Police found weapons and a drone in a warehouse near Gothenburg.",
]


def bench_sample(folder: Path) -> None:
    from models.annotation import Status
    from models.nlp.loading import load_model
    from models.resources import SAMPLE_CORPUS
    from storage.importers import import_paths

    for variant in ("hand", "reviewed"):
        db = folder / f"sample-{variant}.db"
        repo = Repository(db, annotator="bench")
        import_paths(repo, [SAMPLE_CORPUS])
        repo.close()
        if variant == "reviewed":
            preannotate(db)
        repo = Repository(db, annotator="bench")
        taught = 0
        try:
            for doc_id in repo.document_ids():
                text = repo.document(doc_id).text
                for span in repo.spans(doc_id, Status.SUGGESTED):
                    repo.update_span(span.id, status=Status.ACCEPTED)
                for found in SAMPLE_WEAPONS.finditer(text):
                    repo.add_span(Span(doc_id, found.start(), found.end(), "WEAPON", found.group()))
                    taught += 1
                if variant == "reviewed":
                    repo.set_document_status(doc_id, DocStatus.DONE)
        finally:
            repo.close()
        print(f"\n== sample corpus, WEAPON taught by hand ({variant}: {taught} WEAPON spans) ==")
        out = folder / f"sample-{variant}"
        done, seconds, peak, _tree = run_training(db, out, ["--task", "ner"])
        print(f"  train --task ner (default settings): {seconds:.0f} s, peak RSS {peak:.0f} MB, "
              f"stopped: {done['stopped']}")  # fmt: skip
        show(done)
        trained = load_model(str(out))
        for text in NEW_TEXTS:
            weapons = [ent.text for ent in trained.nlp(text).ents if ent.label_ == "WEAPON"]
            print(f"  {text!r}: WEAPON {weapons} (origin {trained.origin})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300")
    parser.add_argument("--repeats", type=int, default=3, help="pre-annotation timing repeats (0: skip)")
    parser.add_argument("--wikinews", action="store_true")
    parser.add_argument("--sample", action="store_true", help="WEAPON taught on the sample corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quire-train-bench-") as tmp:
        folder = Path(tmp)
        for size in [int(s) for s in args.sizes.split(",") if s]:
            bench_size(size, args.repeats, folder)
        if args.sample:
            bench_sample(folder)
        if args.wikinews:
            bench_wikinews(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
