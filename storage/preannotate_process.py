"""Pre-annotation in a process of its own, for the window: the GUI's interpreter (and its
GIL) never runs spaCy, and closing the window ends the process at once, even while the
model loads. Started with the ``spawn`` method (the GUI has Qt loaded, which ``fork``
would copy half-initialised); it needs no Qt itself.

Messages to the process (``jobs``): ``("run", doc_ids, claims, replace)`` runs a job
(``doc_ids`` empty: every document; ``replace``: replace unreviewed suggestions),
``("model", name_or_path, blank)`` loads another pipeline for the jobs that follow
(``None``: the default), ``None`` ends it. Messages back (``events``): ``("loaded", origin,
warning)``, ``("model_failed", message)``, ``("progress", done, total, message)``,
``("finished", PreannotateReport)``, ``("failed", message)``.
"""

from __future__ import annotations

import os
import queue
from typing import Any

from models.nlp.loading import ModelError, load_model, resolve_model_name
from storage.preannotate import DEFAULT_BATCH_SIZE, PreannotateError, preannotate

_NICENESS = 10
_PARENT_CHECK_S = 1.0  # how often an idle process checks that its window still exists


def serve(
    db_path: str,
    model_name: str | None,
    blank: bool,
    jobs: Any,
    events: Any,
    cancel: Any,
    n_process: int,
) -> None:
    """Entry point of the process: load the model (``blank``: the blank pipeline the
    window resolved, whatever is installed here), then run jobs until told to stop or
    the window's process is gone."""
    parent = os.getppid()
    # below the window's priority: on a machine with few cores the scheduler would
    # otherwise hand the window's core to spaCy's processes for whole time slices
    os.nice(_NICENESS)
    model, pipelines = _load(model_name, blank, events)
    while True:
        try:
            job = jobs.get(timeout=_PARENT_CHECK_S)
        except queue.Empty:
            if os.getppid() != parent:
                return
            continue
        if job is None:
            return
        if job[0] == "model":
            _, model_name, blank = job
            model, pipelines = _load(model_name, blank, events)
            continue
        _, doc_ids, claims, replace = job
        cancel.clear()
        if model is None:
            events.put(("failed", "No spaCy model is loaded; see the status bar."))
            continue
        events.put(_run(db_path, model if model_name or blank else None, doc_ids, claims, pipelines,
                        events, cancel, n_process, replace))  # fmt: skip


def _load(model_name: str | None, blank: bool, events: Any) -> tuple[Any, dict]:
    """Load the pipeline and report it; ``(None, {})`` after reporting a failure. The
    loaded English pipeline serves English documents; other languages load their own
    installed pipeline on first use and stay loaded in ``pipelines``."""
    try:
        model = load_model(None if blank else model_name, force_blank=blank)
    except ModelError as exc:
        events.put(("model_failed", str(exc)))
        return None, {}
    events.put(("loaded", model.origin, model.warning))
    return model, {(None if blank else resolve_model_name(model_name)) or "blank:en": model}


def _run(db_path, model, doc_ids, claims, pipelines, events, cancel, n_process, replace=False) -> tuple:
    try:
        report = preannotate(
            db_path,
            model,  # an explicit (or blank) model serves every language
            list(doc_ids) or None,
            batch_size=DEFAULT_BATCH_SIZE,
            progress=lambda done, total, message: events.put(("progress", done, total, message)),
            cancelled=cancel.is_set,
            claims=claims,
            pipelines=pipelines,
            n_process=n_process,
            replace_suggestions=replace,
        )
    except (PreannotateError, ModelError, OSError) as exc:
        return ("failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - a worker must report, never die silently
        return ("failed", f"Pre-annotation stopped: {type(exc).__name__}: {exc}")
    return ("finished", report)
