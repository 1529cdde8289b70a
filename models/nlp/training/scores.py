"""Precision, recall and F1: per entity label (spaCy's own scorer, which ignores a
prediction over tokens whose gold value is missing) and per claim role.

Claims are matched as ``benchmarks/claims_eval.py`` matches them: a prediction matches a
gold claim when their cue ranges overlap (their content ranges when the gold claim has no
cue), one to one, largest overlap first. ``detection`` scores those matches; ``cue``,
``source`` and ``content`` score a matched claim's part as right when its offsets equal the
gold part's (precision over the predicted parts of that role, recall over the gold ones).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.annotation import Claim

if TYPE_CHECKING:
    from spacy.training import Example

CLAIM_ROLES = ("detection", "cue", "source", "content")
Range = tuple[int, int] | None


@dataclass
class Counts:
    """True positives, predictions and gold items of one label or role."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def p(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4)}


def entity_scores(examples: Iterable[Example]) -> dict[str, Any]:
    """``{"p", "r", "f", "per_label": {label: {"p", "r", "f", "support"}}, "support"}`` of
    ``examples`` (predicted entities against the reference's, spaCy's ``get_ner_prf``,
    rounded to 4 places; ``support``: the number of gold entities; ``per_label``: the
    labels with gold entities, a wrong prediction of another label counts in ``p``)."""
    from spacy.scorer import get_ner_prf

    examples = list(examples)
    result = get_ner_prf(examples)
    support = Counter(ent.label_ for eg in examples for ent in eg.reference.ents)
    per_label = {
        label: {
            "p": round(v["p"], 4),
            "r": round(v["r"], 4),
            "f": round(v["f"], 4),
            "support": support[label],
        }
        for label, v in sorted((result.get("ents_per_type") or {}).items())
        if support[label]  # spaCy lists a label whose predictions it ignored (missing gold) at 0
    }
    return {
        "p": round(result["ents_p"], 4),
        "r": round(result["ents_r"], 4),
        "f": round(result["ents_f"], 4),
        "per_label": per_label,
        "support": sum(support.values()),
    }


def claim_counts(gold: list[Claim], predicted: list[Claim]) -> dict[str, Counts]:
    """Counts per role (``CLAIM_ROLES``) for one document."""
    counts = {role: Counts() for role in CLAIM_ROLES}
    counts["detection"].gold = len(gold)
    counts["detection"].predicted = len(predicted)
    for claim in gold:
        for role, part in claim.parts().items():
            counts[role].gold += part is not None
    for claim in predicted:
        for role, part in claim.parts().items():
            counts[role].predicted += part is not None
    for g, p in match_claims(gold, predicted):
        counts["detection"].tp += 1
        for role, part in g.parts().items():
            counts[role].tp += part is not None and part == p.parts()[role]
    return counts


def add_counts(total: dict[str, Counts], more: dict[str, Counts]) -> None:
    for role, c in more.items():
        t = total.setdefault(role, Counts())
        t.tp += c.tp
        t.predicted += c.predicted
        t.gold += c.gold


def claim_scores(total: dict[str, Counts]) -> dict[str, dict[str, float]]:
    return {role: total[role].as_dict() for role in CLAIM_ROLES if role in total}


def match_claims(gold: list[Claim], predicted: list[Claim]) -> list[tuple[Claim, Claim]]:
    """One-to-one pairs (gold, predicted), largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        key = "cue" if g.parts()["cue"] is not None else "content"
        for pi, p in enumerate(predicted):
            size = _overlap(g.parts()[key], p.parts()[key])
            if size > 0:
                candidates.append((size, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _size, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], predicted[pi]))
    return pairs


def _overlap(a: Range, b: Range) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
