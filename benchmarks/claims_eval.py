"""Rule-based claim suggestions against the gold set, and what they cost.

Run: .venv/bin/python benchmarks/claims_eval.py [--verbose]

Reads tests/data/claims_gold.jsonl (one article per line, offsets into the text that
models.document.parse_plain_article gives for resources/corpus/<file>), runs the default
spaCy model and models.nlp.claims.suggest_claims, and prints:
- detection: a prediction matches a gold claim when their cue ranges overlap (content
  ranges when the gold claim has no cue); one-to-one, largest overlap first;
- for matched claims: exact matches and mean character overlap (Dice coefficient of the
  sets of character positions) of content and source, exact matches of the resolved
  source name, and accuracy of source kind and certainty;
- throughput: nlp.pipe alone against nlp.pipe plus suggest_claims on the corpus repeated
  to at least one second of parsing, and the overhead of the claim rules.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.annotation import Claim  # noqa: E402
from models.document import parse_plain_article  # noqa: E402
from models.nlp.claims import CLAIMS_ORIGIN, suggest_claims  # noqa: E402
from models.nlp.loading import shared_model  # noqa: E402

GOLD = ROOT / "tests" / "data" / "claims_gold.jsonl"
CORPUS = ROOT / "resources" / "corpus"
Range = tuple[int, int] | None


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


def load_articles(path: Path = GOLD, corpus: Path = CORPUS) -> list[Article]:
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            raw = (corpus / record["file"]).read_text(encoding="utf-8")
            articles.append(Article(record["file"], parse_plain_article(raw).text, record["claims"]))
    return articles


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


def score(tally: Tally, pairs: list[tuple[dict, Claim]]) -> None:
    for g, p in pairs:
        parts = p.parts()
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


def show(text: str, part: Range) -> str:
    return repr(text[part[0] : part[1]]) if part else "-"


def explain(article: Article, predicted: list[Claim], pairs: list[tuple[dict, Claim]]) -> None:
    matched_gold = {id(g) for g, _ in pairs}
    matched_pred = {id(p) for _, p in pairs}
    text = article.text
    for g in article.gold:
        if id(g) not in matched_gold:
            print(
                f"  MISSED  cue={show(text, as_range(g['cue']))} src={show(text, as_range(g['source']))}"
                f" content={show(text, as_range(g['content']))}"
            )
    for p in predicted:
        if id(p) not in matched_pred:
            parts = p.parts()
            print(
                f"  EXTRA   cue={show(text, parts['cue'])} src={show(text, parts['source'])}"
                f" content={show(text, parts['content'])}"
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
        if (g.get("source_resolved") or "").strip().lower() != p.source_text.strip().lower():
            differences.append(f"resolved: gold={g.get('source_resolved')!r} got={p.source_text!r}")
        if differences:
            print(f"  DIFFER  cue={show(text, parts['cue'])}\n    " + "\n    ".join(differences))


def evaluate(nlp, articles: list[Article], verbose: bool) -> Tally:
    tally = Tally(docs=len(articles))
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        predicted = suggest_claims(doc, 0)
        pairs = match(article.gold, predicted)
        tally.gold += len(article.gold)
        tally.predicted += len(predicted)
        tally.matched += len(pairs)
        score(tally, pairs)
        if verbose:
            print(f"== {article.file}")
            explain(article, predicted, pairs)
    return tally


def report(tally: Tally) -> None:
    precision = tally.matched / tally.predicted if tally.predicted else 0.0
    recall = tally.matched / tally.gold if tally.gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    m = tally.matched or 1
    print(
        f"documents: {tally.docs}   gold claims: {tally.gold}   predicted: {tally.predicted}"
        f"   matched (cue overlap): {tally.matched}"
    )
    print(f"detection: precision {precision:.3f}   recall {recall:.3f}   F1 {f1:.3f}")
    print("matched claims (character overlap = Dice coefficient of character-position sets):")
    print(f"  content: exact {tally.content_exact / m:.3f}   mean overlap {tally.content_dice / m:.3f}")
    print(
        f"  source:  exact {tally.source_exact / m:.3f}   mean overlap {tally.source_dice / m:.3f}"
        f"   resolved pronoun exact {tally.resolved_exact / (tally.pronouns or 1):.3f}"
        f" (of {tally.pronouns})"
    )
    print(
        f"  source_kind accuracy {tally.kind_right / m:.3f}   certainty accuracy"
        f" {tally.certainty_right / m:.3f}"
    )


def best_time(run, repeats: int = 3) -> float:
    """Fastest of ``repeats`` runs: the least disturbed by other work on the machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def throughput(nlp, texts: list[str]) -> None:
    list(nlp.pipe(texts[:2]))  # warm up: first call builds matchers and reads word lists
    suggest_claims(nlp(texts[0]), 0)
    once = best_time(lambda: list(nlp.pipe(texts)), repeats=1)
    corpus = texts * max(1, int(1.2 / max(once, 1e-6)) + 1)
    docs = list(nlp.pipe(corpus))
    parse = best_time(lambda: list(nlp.pipe(corpus)))
    both = best_time(lambda: [suggest_claims(doc, 0) for doc in nlp.pipe(corpus)])
    rules = best_time(lambda: [suggest_claims(doc, 0) for doc in docs])
    words = sum(len(doc) for doc in docs)
    print(
        f"throughput, best of 3 runs on {len(corpus)} texts ({len(corpus) // len(texts)} x corpus,"
        f" {words} tokens):"
    )
    print(f"  nlp.pipe alone:                {parse:.3f} s  ({words / parse:,.0f} tokens/s)")
    print(f"  nlp.pipe + suggest_claims:     {both:.3f} s  ({100 * (both - parse) / parse:+.1f} %)")
    print(
        f"  suggest_claims on parsed docs: {rules:.3f} s  (overhead {100 * rules / parse:.1f} % of"
        " parse time; target <= 20 %)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses, extras and differences")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold claims (JSON lines)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of the articles")
    args = parser.parse_args()
    if not args.gold.exists():
        print(f"no gold set at {args.gold}: nothing to evaluate")
        return 0
    loaded = shared_model()
    print(f"model: {loaded.origin}   rules: {CLAIMS_ORIGIN}")
    articles = load_articles(args.gold, args.corpus)
    report(evaluate(loaded.nlp, articles, args.verbose))
    throughput(loaded.nlp, [a.text for a in articles])
    return 0


if __name__ == "__main__":
    sys.exit(main())
