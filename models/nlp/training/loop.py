"""The training loop both tasks share: epochs of minibatches through ``nlp.update`` on the
components being trained (the others frozen), a dev evaluation after each epoch, the chosen
weights kept in memory, and three ways to stop early that all keep them: no improvement for
``patience`` epochs (once ``min_steps`` updates are done), the time budget, and
``cancelled()``.

Which epoch is kept: only epochs that end after ``min_steps`` updates compete (the earlier
ones are a warm-up, kept only when training stops before any later epoch ends): a label
taught in a few documents (WEAPON on the ten articles of the sample corpus) is not learnt
after the first few updates, while the labels the recogniser knew score best before any
update, so on a small dev split the first epoch often wins and never predicts the new
label. Among them, the latest within one standard error of the best dev F1
(``sqrt(F(1-F)/n)`` over the ``n`` gold items of the dev split), the "one standard error"
rule: on a small dev split later epochs that it cannot tell apart from the best are kept;
on a large one the error is small and this is the best epoch. The dev split is stratified
by label (``split.py``) and the recogniser rehearses its own predictions
(``ner.add_rehearsal``), so that the labels it knew do not collapse.

Updates: a minibatch is at most ``batch_words`` words and an epoch at least ``min_batches``
minibatches, so that a small corpus (the ten short articles of the sample corpus) still
gets enough updates for a label with few examples before ``max_epochs``.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

Event = dict[str, Any]
Emit = Callable[[Event], None]

# Documents per ``nlp.pipe`` batch wherever training runs a pipeline over its data
# (rehearsal, the claim parts' vectors, dev scoring). spaCy's default is the pipeline's
# ``batch_size`` (256 in en_core_web_sm), so a corpus of up to 256 documents went through
# the encoder in one batch, whose working arrays take about 15 KB a token (measured:
# 60 documents of ~3,000 characters, 33,606 tokens, +495 MB through tok2vec and +520 MB
# through ner in one batch, +146 and +32 MB in batches of 16, with identical vectors and
# entities). That one batch was the peak RSS of training: 300 documents, 2.46 GB.
PIPE_BATCH_DOCS = 16


@dataclass(frozen=True)
class LoopSettings:
    max_epochs: int = 30
    patience: int = 3  # epochs without a better dev F1 before stopping...
    min_steps: int = 150  # ...once this many updates are done (small corpora: several epochs)
    batch_words: int = 800  # words per minibatch, at most...
    min_batches: int = 10  # ...and smaller on a small corpus, for this many updates an epoch
    dropout: float = 0.2
    seed: int = 0
    deadline: float | None = None  # time.monotonic() after which no new batch starts
    max_steps: int | None = None  # tests: stop after this many updates


@dataclass
class LoopResult:
    best_f: float = -1.0  # the best dev F1 of the epochs that compete (see the module's note)
    best_epoch: int = 0  # the epoch that first reached the best score
    kept_epoch: int = 0  # the epoch whose weights are kept (see the module's note)
    best_scores: dict[str, Any] = field(default_factory=dict)  # the kept epoch's scores
    epochs: int = 0
    steps: int = 0
    words: int = 0  # words seen by the updates (repeats counted)
    seconds: float = 0.0
    stopped: str = "converged"  # converged | max_epochs | time | cancelled | steps


def train_components(
    nlp: Language,
    components: list[str],
    train: list[Example],
    evaluate: Callable[[], dict[str, Any]],
    settings: LoopSettings,
    emit: Emit,
    cancelled: Callable[[], bool],
    task: str,
) -> LoopResult:
    """Update ``components`` of ``nlp`` on ``train``; ``evaluate()`` returns the dev scores
    (with ``"f"`` and ``"support"``, the number of gold items) of the current weights.
    ``emit`` receives ``{"event": "epoch", ...}`` after each epoch. On return ``nlp`` holds
    the kept weights (the initial ones when no epoch finished)."""
    from spacy.training.batchers import minibatch_by_words

    rng = random.Random(settings.seed)
    total_words = sum(_words(eg) for eg in train)
    batch_words = max(1, min(settings.batch_words, total_words // max(1, settings.min_batches)))
    result = LoopResult()
    best = _weights(nlp, components)
    started = time.monotonic()
    optimizer = nlp.resume_training()
    stale = 0
    warmed_up = False
    order = list(train)
    with nlp.select_pipes(enable=components):
        for epoch in range(1, settings.max_epochs + 1):
            rng.shuffle(order)
            losses: dict[str, float] = {}
            stopped = ""
            for batch in minibatch_by_words(order, batch_words, get_length=_words):
                if cancelled():
                    stopped = "cancelled"
                elif settings.deadline is not None and time.monotonic() > settings.deadline:
                    stopped = "time"
                elif settings.max_steps is not None and result.steps >= settings.max_steps:
                    stopped = "steps"
                if stopped:
                    break
                nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
                result.steps += 1
                result.words += sum(len(eg.reference) for eg in batch)
            if stopped and stopped != "steps":
                result.stopped = stopped
                break  # a partial epoch is not evaluated: the best so far stands
            scores = evaluate()
            result.epochs = epoch
            if result.steps >= settings.min_steps and not warmed_up:  # the warm-up's best steps aside
                warmed_up, result.best_f, stale = True, -1.0, 0
            improved = scores["f"] > result.best_f
            if improved:
                result.best_f, result.best_epoch = scores["f"], epoch
                stale = 0
            else:
                stale += 1
            if scores["f"] >= result.best_f - _standard_error(result.best_f, scores.get("support", 0)):
                best = _weights(nlp, components)
                result.kept_epoch, result.best_scores = epoch, scores
            emit(
                {
                    "event": "epoch", "task": task, "epoch": epoch, "max_epochs": settings.max_epochs,
                    "loss": round(float(sum(losses.values())), 3), "f": scores["f"], "best": improved,
                    "kept": result.kept_epoch == epoch,
                    "scores": scores, "seconds": round(time.monotonic() - started, 1),
                }
            )  # fmt: skip
            if stopped == "steps":
                result.stopped = "steps"
                break
            if stale >= settings.patience and result.steps >= settings.min_steps:
                break
        else:
            result.stopped = "max_epochs"
    _restore(nlp, components, best)
    result.seconds = time.monotonic() - started
    return result


def _standard_error(f: float, support: int) -> float:
    """One standard error of an F1 of ``f`` over ``support`` gold items (0 without any)."""
    if support <= 0 or not 0 < f < 1:
        return 0.0
    return math.sqrt(f * (1 - f) / support)


def _words(example: Example) -> int:
    return len(example.reference)


def _weights(nlp: Language, components: list[str]) -> dict[str, bytes]:
    return {name: nlp.get_pipe(name).to_bytes(exclude=["vocab"]) for name in components}


def _restore(nlp: Language, components: list[str], weights: dict[str, bytes]) -> None:
    for name in components:
        nlp.get_pipe(name).from_bytes(weights[name], exclude=["vocab"])
