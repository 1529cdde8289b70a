"""The training loop both tasks share: epochs of minibatches through ``nlp.update`` on the
components being trained (the others frozen), a dev evaluation after each epoch, the best
weights so far kept in memory, and three ways to stop early that all keep that best:
no improvement for ``patience`` epochs, the time budget, and ``cancelled()``.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class LoopSettings:
    max_epochs: int = 12
    patience: int = 3  # epochs without a better dev F1 before stopping
    batch_words: int = 800  # words per minibatch
    dropout: float = 0.2
    seed: int = 0
    deadline: float | None = None  # time.monotonic() after which no new batch starts
    max_steps: int | None = None  # tests: stop after this many updates


@dataclass
class LoopResult:
    best_f: float = -1.0
    best_epoch: int = 0  # the epoch that first reached the best score
    best_scores: dict[str, Any] = field(default_factory=dict)
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
    (with ``"f"``) of the current weights. ``emit`` receives ``{"event": "epoch", ...}``
    after each epoch. On return ``nlp`` holds the best weights seen (the initial ones when
    no epoch finished)."""
    from spacy.training.batchers import minibatch_by_words

    rng = random.Random(settings.seed)
    result = LoopResult()
    best = _weights(nlp, components)
    started = time.monotonic()
    optimizer = nlp.resume_training()
    stale = 0
    order = list(train)
    with nlp.select_pipes(enable=components):
        for epoch in range(1, settings.max_epochs + 1):
            rng.shuffle(order)
            losses: dict[str, float] = {}
            stopped = ""
            for batch in minibatch_by_words(order, settings.batch_words, get_length=_words):
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
            improved = scores["f"] > result.best_f
            if improved or scores["f"] == result.best_f:  # a tie keeps the longer-trained weights
                best = _weights(nlp, components)
                result.best_scores = scores
            if improved:
                result.best_f, result.best_epoch = scores["f"], epoch
                stale = 0
            else:  # a tie is no progress: patience runs out on a plateau
                stale += 1
            emit(
                {
                    "event": "epoch", "task": task, "epoch": epoch, "max_epochs": settings.max_epochs,
                    "loss": round(float(sum(losses.values())), 3), "f": scores["f"], "best": improved,
                    "scores": scores, "seconds": round(time.monotonic() - started, 1),
                }
            )  # fmt: skip
            if stopped == "steps":
                result.stopped = "steps"
                break
            if stale >= settings.patience:
                break
        else:
            result.stopped = "max_epochs"
    _restore(nlp, components, best)
    result.seconds = time.monotonic() - started
    return result


def _words(example: Example) -> int:
    return len(example.reference)


def _weights(nlp: Language, components: list[str]) -> dict[str, bytes]:
    return {name: nlp.get_pipe(name).to_bytes(exclude=["vocab"]) for name in components}


def _restore(nlp: Language, components: list[str], weights: dict[str, bytes]) -> None:
    for name in components:
        nlp.get_pipe(name).from_bytes(weights[name], exclude=["vocab"])
