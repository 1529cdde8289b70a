"""A writer process for the fault-injection tests: writes through the repository in a
loop and says what it does on stdout, flushed, so that the parent knows what must
survive a kill -9: ``begin KIND ARGS`` before each write, ``ok RESULT`` once it is
committed (acknowledged), ``locked`` when the busy timeout ran out and ``refused`` for
a span that exists already (nothing written either way; the writer goes on), ``done``
at the end.

    python tests/faults/writer.py DB SEED [BUSY_TIMEOUT_MS]

Kinds: ``span DOC`` (ok: the new span's id), ``delete SPAN``, ``status DOC STATUS``,
``batch DOC`` (five suggestions in one transaction; ok: how many were new).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.annotation import AnnotationError, Span  # noqa: E402
from models.document import DocStatus  # noqa: E402
from storage.repository import Repository  # noqa: E402
from storage.schema import is_lock_error  # noqa: E402

WRITES = 400


def word_at(text: str, rng: random.Random) -> tuple[int, int]:
    start = text.index(" ", rng.randrange(0, len(text) - 40)) + 1
    return start, text.index(" ", start + 1)


def write(repo: Repository, rng: random.Random, doc_id: int, text: str, mine: list[int], seed: int) -> None:
    roll = rng.random()
    if roll < 0.15 and mine:
        span_id = mine.pop(rng.randrange(len(mine)))
        print(f"begin delete {span_id}", flush=True)
        repo.delete_span(span_id)
        print("ok", flush=True)
    elif roll < 0.3:
        status = rng.choice([DocStatus.DONE, DocStatus.IN_PROGRESS]).value
        print(f"begin status {doc_id} {status}", flush=True)
        repo.set_document_status(doc_id, status)
        print("ok", flush=True)
    elif roll < 0.45:
        print(f"begin batch {doc_id}", flush=True)
        spans = [Span(doc_id=doc_id, start=s, end=e, label="LOC", text=text[s:e], origin=f"spacy:w{seed}@1")
                 for s, e in sorted({word_at(text, rng) for _ in range(5)})]  # fmt: skip
        counts = repo.apply_suggestion_batch([(doc_id, spans, [])])
        print(f"ok {counts['spans_added']}", flush=True)
    else:
        start, end = word_at(text, rng)
        print(f"begin span {doc_id}", flush=True)
        span = repo.add_span(Span(doc_id=doc_id, start=start, end=end, label=rng.choice(["GPE", "ORG"]),
                                  text=text[start:end]))  # fmt: skip
        mine.append(span.id)
        print(f"ok {span.id}", flush=True)


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    timeout = int(sys.argv[3]) if len(sys.argv) > 3 else None
    rng = random.Random(seed)
    repo = Repository(path, annotator=f"writer{seed}", busy_timeout_ms=timeout)
    texts = dict(repo.document_texts(repo.document_ids()))
    mine: list[int] = []
    print("ready", flush=True)
    for _ in range(WRITES):
        doc_id = rng.choice(sorted(texts))
        try:
            write(repo, rng, doc_id, texts[doc_id], mine, seed)
        except AnnotationError:  # that span exists already: nothing was written
            print("refused", flush=True)
        except Exception as exc:
            if not is_lock_error(exc):
                raise
            print("locked", flush=True)
    repo.close()
    print("done", flush=True)


if __name__ == "__main__":
    main()
