"""Rule-based claim suggestions against the annotated claim sets, and what they cost.

Run: .venv/bin/python benchmarks/claims_eval.py [--verbose] [--gold PATH --texts PATH]

Without --gold it scores every set of tests/data (SETS below: the sample corpus's gold set,
the blind held-out set written in the same style, and the Wikinews development set); with
--gold it scores that one file, its texts read from --texts: a folder of plain articles
(first line the title, as `main.py import` reads them) or a JSON Lines file of records with
`text` (matched to the gold record by `meta.gum_id`, else by `title`).

A gold file has one article per line, `{"file", "title"?, "gum_id"?, "claims": [...]}`, each
claim `{"content", "cue", "source"}` as `{start, end, text}` or null (code points into
the stored text), `source_resolved`, `source_kind`, `certainty`, and, in the Wikinews
format, `cue_kind` and `claim_kind` (docs/claims-guide.md).

For each set it prints:
- detection: a prediction matches a gold claim when their cue ranges overlap (content
  ranges when the gold claim has no cue); one-to-one, largest overlap first; precision,
  recall and F1, overall and per cue kind (recall by the gold claim's kind, precision by
  the predicted claim's kind; a set without cue kinds shows only the overall line);
- for matched claims: exact content and source spans and their mean character overlap
  (Dice coefficient of the sets of character positions), exact resolved pronoun names,
  accuracy of source kind, certainty and claim kind;
- the rules' cost: nlp.pipe alone against suggest_claims on the parsed documents, on all
  sets' texts repeated to at least one second of parsing; median and range of 5 runs,
  as a share of the parse of the same run (the machine is shared: the figures are noisy).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.annotation import Claim  # noqa: E402
from models.document import parse_plain_article  # noqa: E402
from models.nlp.claims import CLAIMS_ORIGIN, suggest_claims  # noqa: E402
from models.nlp.loading import shared_model  # noqa: E402

DATA = ROOT / "tests" / "data"
# name, gold claims, texts (a folder of plain articles or a JSON Lines file of records)
SETS = (
    ("gold", DATA / "claims_gold.jsonl", ROOT / "resources" / "corpus"),
    ("held-out", DATA / "claims_heldout.jsonl", DATA / "heldout_corpus"),
    ("wikinews-dev", DATA / "wikinews_dev.jsonl", DATA / "wikinews_dev_texts.jsonl"),
)
Range = tuple[int, int] | None


class EvalError(Exception):
    """A gold or text file that cannot be read (one line for the user)."""


@dataclass
class Article:
    file: str
    text: str
    gold: list[dict]


@dataclass
class Tally:
    docs: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    content_exact: int = 0
    content_dice: float = 0.0
    source_exact: int = 0
    source_dice: float = 0.0
    resolved_exact: int = 0
    pronouns: int = 0
    kind_right: int = 0
    certainty_right: int = 0
    claim_kinds: int = 0  # matched gold claims that state a claim kind
    claim_kind_right: int = 0
    gold_by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)  # matched, by gold kind
    predicted_by_kind: Counter = field(default_factory=Counter)
    right_by_kind: Counter = field(default_factory=Counter)  # matched, by predicted kind


def load_articles(gold: Path, texts: Path) -> list[Article]:
    """The gold records of ``gold`` with their texts from ``texts``; EvalError names
    the file and line of what cannot be read or found."""
    try:
        lines = gold.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read gold file {gold}: {exc}") from None
    text_of = _text_source(texts)
    articles = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            articles.append(Article(record["file"], text_of(record), record["claims"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise EvalError(f"{gold}:{number}: not a gold record ({exc!r})") from None
    return articles


def _text_source(texts: Path):
    """A function from a gold record to its text."""
    if texts.is_dir():

        def from_folder(record: dict) -> str:
            path = texts / record["file"]
            try:
                return parse_plain_article(path.read_text(encoding="utf-8")).text
            except (OSError, UnicodeDecodeError) as exc:
                raise KeyError(f"no readable text {path}: {exc}") from None

        return from_folder
    try:
        records = [
            json.loads(line) for line in texts.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EvalError(f"cannot read texts {texts}: {exc}") from None
    by_key = {}
    for record in records:
        by_key[("gum_id", (record.get("meta") or {}).get("gum_id"))] = record["text"]
        by_key[("title", record.get("title"))] = record["text"]

    def from_records(record: dict) -> str:
        for key in (("gum_id", record.get("gum_id")), ("title", record.get("title"))):
            if key[1] is not None and key in by_key:
                return by_key[key]
        raise KeyError(f"no text for {record['file']} in {texts}")

    return from_records


def as_range(part: dict | None) -> Range:
    return (part["start"], part["end"]) if part else None


def overlap(a: Range, b: Range) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def dice(a: Range, b: Range) -> float:
    """Dice coefficient of two character ranges; two missing ranges agree."""
    if a is None or b is None:
        return float(a is None and b is None)
    return 2 * overlap(a, b) / ((a[1] - a[0]) + (b[1] - b[0]))


def match(gold: list[dict], predicted: list[Claim]) -> list[tuple[dict, Claim]]:
    """One-to-one pairs, largest overlap first: cue ranges, or content ranges where the
    gold claim has no cue."""
    candidates = []
    for g_index, g in enumerate(gold):
        for p_index, p in enumerate(predicted):
            parts = p.parts()
            if g["cue"] is not None:
                size = overlap(as_range(g["cue"]), parts["cue"])
            else:
                size = overlap(as_range(g["content"]), parts["content"])
            if size:
                candidates.append((size, g_index, p_index))
    pairs, used_g, used_p = [], set(), set()
    for _, g_index, p_index in sorted(candidates, reverse=True):
        if g_index not in used_g and p_index not in used_p:
            used_g.add(g_index)
            used_p.add(p_index)
            pairs.append((gold[g_index], predicted[p_index]))
    return pairs


def predicted_kind(claim: Claim) -> str:
    return claim.cue_kind.value if claim.cue_kind is not None else "-"


def score(tally: Tally, gold: list[dict], predicted: list[Claim], pairs: list[tuple[dict, Claim]]) -> None:
    tally.gold += len(gold)
    tally.predicted += len(predicted)
    tally.matched += len(pairs)
    tally.gold_by_kind.update(g.get("cue_kind") or "-" for g in gold)
    tally.predicted_by_kind.update(predicted_kind(p) for p in predicted)
    for g, p in pairs:
        parts = p.parts()
        tally.found_by_kind[g.get("cue_kind") or "-"] += 1
        tally.right_by_kind[predicted_kind(p)] += 1
        content, source = as_range(g["content"]), as_range(g["source"])
        tally.content_exact += content == parts["content"]
        tally.content_dice += dice(content, parts["content"])
        tally.source_exact += source == parts["source"]
        tally.source_dice += dice(source, parts["source"])
        if g.get("source_resolved"):
            tally.pronouns += 1
            tally.resolved_exact += g["source_resolved"].strip().lower() == p.source_text.strip().lower()
        tally.kind_right += g["source_kind"] == p.source_kind.value
        tally.certainty_right += g["certainty"] == p.certainty.value
        if g.get("claim_kind"):
            tally.claim_kinds += 1
            tally.claim_kind_right += g["claim_kind"] == p.claim_kind.value


def show(text: str, part: Range) -> str:
    return repr(text[part[0] : part[1]]) if part else "-"


def explain(article: Article, predicted: list[Claim], pairs: list[tuple[dict, Claim]]) -> None:
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    text = article.text
    for g in article.gold:
        if id(g) not in matched_gold:
            print(
                f"  MISSED  [{g.get('cue_kind') or '-'}] cue={show(text, as_range(g['cue']))}"
                f" src={show(text, as_range(g['source']))} content={show(text, as_range(g['content']))}"
            )
    for p in predicted:
        if id(p) not in matched_pred:
            parts = p.parts()
            print(
                f"  EXTRA   [{predicted_kind(p)}] cue={show(text, parts['cue'])}"
                f" src={show(text, parts['source'])} content={show(text, parts['content'])}"
            )
    for g, p in pairs:
        parts = p.parts()
        differences = []
        for name in ("content", "source"):
            if as_range(g[name]) != parts[name]:
                differences.append(
                    f"{name}: gold={show(text, as_range(g[name]))} got={show(text, parts[name])}"
                )
        if g["source_kind"] != p.source_kind.value:
            differences.append(f"kind: gold={g['source_kind']} got={p.source_kind.value}")
        if g["certainty"] != p.certainty.value:
            differences.append(f"certainty: gold={g['certainty']} got={p.certainty.value}")
        if g.get("claim_kind") and g["claim_kind"] != p.claim_kind.value:
            differences.append(f"claim_kind: gold={g['claim_kind']} got={p.claim_kind.value}")
        if (g.get("source_resolved") or "").strip().lower() != p.source_text.strip().lower():
            differences.append(f"resolved: gold={g.get('source_resolved')!r} got={p.source_text!r}")
        if differences:
            print(
                f"  DIFFER  [{g.get('cue_kind') or '-'}] cue={show(text, parts['cue'])}\n    "
                + "\n    ".join(differences)
            )


def evaluate(nlp, articles: list[Article], verbose: bool) -> Tally:
    tally = Tally(docs=len(articles))
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        predicted = suggest_claims(doc, 0)
        pairs = match(article.gold, predicted)
        score(tally, article.gold, predicted, pairs)
        if verbose:
            print(f"== {article.file}")
            explain(article, predicted, pairs)
    return tally


def prf(right: int, predicted: int, found: int, gold: int) -> tuple[float, float, float]:
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(name: str, tally: Tally) -> None:
    precision, recall, f1 = prf(tally.matched, tally.predicted, tally.matched, tally.gold)
    m = tally.matched or 1
    print(
        f"[{name}] documents: {tally.docs}   gold claims: {tally.gold}   predicted: {tally.predicted}"
        f"   matched (cue overlap): {tally.matched}"
    )
    print(f"  detection: precision {precision:.3f}   recall {recall:.3f}   F1 {f1:.3f}")
    print(f"  content: exact {tally.content_exact / m:.3f}   mean overlap {tally.content_dice / m:.3f}")
    print(
        f"  source:  exact {tally.source_exact / m:.3f}   mean overlap {tally.source_dice / m:.3f}"
        f"   resolved pronoun exact {tally.resolved_exact / (tally.pronouns or 1):.3f}"
        f" (of {tally.pronouns})"
    )
    claim_kind = (
        f"   claim_kind accuracy {tally.claim_kind_right / tally.claim_kinds:.3f}"
        if tally.claim_kinds
        else ""
    )
    print(
        f"  source_kind accuracy {tally.kind_right / m:.3f}   certainty accuracy"
        f" {tally.certainty_right / m:.3f}{claim_kind}"
    )
    if set(tally.gold_by_kind) == {"-"}:
        return
    print(
        f"  {'cue_kind':<15}{'gold':>6}{'found':>7}{'recall':>8}{'pred':>6}{'right':>7}{'prec':>7}{'F1':>7}"
    )
    for kind in sorted(set(tally.gold_by_kind) | set(tally.predicted_by_kind)):
        gold, found = tally.gold_by_kind[kind], tally.found_by_kind[kind]
        predicted, right = tally.predicted_by_kind[kind], tally.right_by_kind[kind]
        p, r, f = prf(right, predicted, found, gold)
        shown = [
            f"{r:.3f}" if gold else "-",
            f"{p:.3f}" if predicted else "-",
            f"{f:.3f}" if gold and predicted else "-",
        ]
        print(
            f"  {kind:<15}{gold:>6}{found:>7}{shown[0]:>8}{predicted:>6}{right:>7}{shown[1]:>7}{shown[2]:>7}"
        )


def timed(run, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def cost(nlp, texts: list[str], repeats: int = 5) -> None:
    """The rules' time as a share of the parse, each pair measured back to back."""
    list(nlp.pipe(texts[:2]))  # warm up: the first call builds matchers and reads word lists
    suggest_claims(nlp(texts[0]), 0)
    once = timed(lambda: list(nlp.pipe(texts)), 1)[0]
    corpus = texts * max(1, int(1.0 / max(once, 1e-6)) + 1)
    docs = list(nlp.pipe(corpus))
    shares, parses, rules = [], [], []
    for _ in range(repeats):
        parse = timed(lambda: list(nlp.pipe(corpus)), 1)[0]
        rule = timed(lambda: [suggest_claims(doc, 0) for doc in docs], 1)[0]
        parses.append(parse)
        rules.append(rule)
        shares.append(100 * rule / parse)
    words = sum(len(doc) for doc in docs)
    print(f"cost, {repeats} runs on {len(corpus)} texts ({words} tokens), median (min-max):")
    print(
        f"  nlp.pipe alone:                {statistics.median(parses):.3f} s"
        f" ({min(parses):.3f}-{max(parses):.3f})"
    )
    print(
        f"  suggest_claims on parsed docs: {statistics.median(rules):.3f} s"
        f" ({min(rules):.3f}-{max(rules):.3f})"
    )
    print(
        f"  rules as a share of the parse: {statistics.median(shares):.1f} %"
        f" ({min(shares):.1f}-{max(shares):.1f}); target <= 10 %"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses, extras and differences")
    parser.add_argument("--gold", type=Path, help="score only this gold file (JSON lines)")
    parser.add_argument("--texts", type=Path, help="its texts: a folder of articles or a JSONL file")
    parser.add_argument("--name", default=None, help="the set's name in the output")
    parser.add_argument("--no-cost", action="store_true", help="skip the timing")
    args = parser.parse_args()
    if (args.gold is None) != (args.texts is None):
        print("--gold and --texts go together", file=sys.stderr)
        return 2
    sets = [(args.name or args.gold.stem, args.gold, args.texts)] if args.gold else list(SETS)
    try:
        loaded_sets = [(name, load_articles(gold, texts)) for name, gold, texts in sets]
    except EvalError as exc:
        print(exc, file=sys.stderr)
        return 2
    loaded = shared_model()
    print(f"model: {loaded.origin}   rules: {CLAIMS_ORIGIN}")
    for name, articles in loaded_sets:
        report(name, evaluate(loaded.nlp, articles, args.verbose))
    if not args.no_cost:
        cost(loaded.nlp, [a.text for _, articles in loaded_sets for a in articles])
    return 0


if __name__ == "__main__":
    sys.exit(main())
