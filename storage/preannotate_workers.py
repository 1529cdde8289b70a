"""Pre-annotation across processes: each worker process loads the pipeline, runs it over
the texts it is sent and sends back only the suggestions (spans and claims, a few hundred
bytes a document), never Docs; the calling process reads the texts and stores the
suggestions (``storage/preannotate.py``), while the workers go on parsing.

spaCy's own ``nlp.pipe(n_process=N)`` sends every parsed Doc back, serialised with its
tags, parse and entities, and the calling process rebuilt each one and ran the claim
rules on it: on two cores that third busy process held pre-annotation at 0.74x of the
raw pipe. Workers start as ``multiprocessing`` starts processes by default, as spaCy's
do: forked on Linux, where they share the loaded pipeline and start at once (spawned
workers took 5-13 s to import spaCy and load the model again), spawned elsewhere, where
the pipeline is pickled to them. The calling process is never the window's (Qt is
loaded there): it is the CLI or the window's worker process. Workers ignore Ctrl+C,
which the calling process handles (it stops them).
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from models.annotation import Claim, Span
from models.nlp.loading import LoadedModel

# Text sent to a worker at a time (code points): a dozen articles or eight pieces of a
# long one, so that the last tasks of a run end close together on every worker.
TASK_CHARS = 32_000
_QUEUED = 2  # tasks waiting per worker: it never waits while its results are stored
_ALIVE_CHECK_S = 1.0

Item = tuple[int, int, str]  # document id, offset of the text in the document, text
# document id, offset, length of the text, its spans and claims (offsets in the document)
Found = tuple[int, int, int, list[Span], list[Claim]]


class WorkerError(Exception):
    """A worker could not load the pipeline, failed, or died (one line, for the user)."""


class SuggestionWorkers:
    """``count`` worker processes suggesting with the pipeline ``loaded``."""

    def __init__(self, loaded: LoadedModel, claims: bool, label_map: Any, count: int) -> None:
        context = multiprocessing.get_context()
        self._tasks = context.Queue()
        self._results = context.Queue()
        self.unmapped: Counter[str] = Counter()  # model label -> entities (all workers)
        self.dropped: Counter[str] = Counter()
        self._processes = [
            context.Process(
                target=_work,
                args=(loaded, claims, label_map, self._tasks, self._results),
                name=f"quire-suggest-{number}",
                daemon=True,
            )  # fmt: skip
            for number in range(count)
        ]
        for process in self._processes:
            process.start()

    def suggest(self, items: Iterable[Item]) -> Iterator[list[Found]]:
        """The suggestions for ``items``, a task's worth at a time, in the order the
        workers finish them (offsets already moved to the whole document's)."""
        tasks = _tasks(items)
        waiting = 0
        more = True
        while True:
            while more and waiting < _QUEUED * len(self._processes):
                task = next(tasks, None)
                if task is None:
                    more = False
                    break
                self._tasks.put(task)
                waiting += 1
            if not waiting:
                return
            found, unmapped, dropped = self._next_result()
            waiting -= 1
            self.unmapped.update(unmapped)
            self.dropped.update(dropped)
            yield found

    def _next_result(self) -> tuple:
        while True:
            try:
                kind, *values = self._results.get(timeout=_ALIVE_CHECK_S)
            except queue.Empty:
                if not all(process.is_alive() for process in self._processes):
                    raise WorkerError("a pre-annotation worker process stopped unexpectedly") from None
                continue
            if kind == "failed":
                raise WorkerError(values[0])
            return values

    def close(self) -> None:
        """Stop the workers (a task they are on is dropped: its documents were not stored)."""
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            process.join()
        for channel in (self._tasks, self._results):
            channel.close()
            channel.cancel_join_thread()


def _tasks(items: Iterable[Item]) -> Iterator[list[Item]]:
    task: list[Item] = []
    size = 0
    for item in items:
        task.append(item)
        size += len(item[2])
        if size >= TASK_CHARS:
            yield task
            task, size = [], 0
    if task:
        yield task


def _work(loaded: LoadedModel, claims: bool, label_map: Any, tasks: Any, results: Any) -> None:
    """Entry point of a worker process: suggest for each task until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the calling process stops the workers
    from storage.preannotate import claim_suggester, pipes_needed, suggestions

    nlp = loaded.nlp
    suggest_claims = claim_suggester(loaded) if claims else None
    try:
        with nlp.select_pipes(enable=pipes_needed(nlp, claims)):
            while (task := tasks.get()) is not None:
                unmapped: Counter[str] = Counter()
                dropped: Counter[str] = Counter()
                found = []
                texts = ((text, (doc_id, offset)) for doc_id, offset, text in task)
                for doc, (doc_id, offset) in nlp.pipe(texts, as_tuples=True, batch_size=len(task)):
                    spans, doc_claims = suggestions(doc, doc_id, loaded, label_map, suggest_claims,
                                                    unmapped, dropped, offset)  # fmt: skip
                    found.append((doc_id, offset, len(doc.text), spans, doc_claims))
                results.put(("done", found, unmapped, dropped))
    except Exception as exc:  # noqa: BLE001 - reported to the calling process, never lost
        results.put(("failed", f"Pre-annotation stopped: {type(exc).__name__}: {exc}"))
