"""Pre-annotation: spaCy's entity and claim suggestions, stored for review.

``preannotate`` is headless and safe to call from a worker thread: it opens its own
connection to the database and uses the pipeline it is given (one ``nlp`` per thread) or
loads its own. Texts are read a batch at a time and go through ``nlp.pipe``; each batch
of results is written in one transaction, so cancelling or interrupting keeps every
finished batch. Suggestions never touch reviewed work: see
``Repository.apply_suggestions``.

Without an explicit model each document's ``language`` picks the pipeline (DESIGN.md's
resolution order for that language); a language without an installed model falls back
to the English resolution, with a warning.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from models.document import DocStatus
from models.nlp.claims import CLAIMS_ORIGIN
from models.nlp.entities import LabelMap, suggest_entities
from models.nlp.loading import LoadedModel, ModelError, load_model, resolve_model_name
from models.nlp.pieces import LONG_TEXT_CHARS, shift_claim, shift_span, text_pieces
from storage.model_registry import resolve_model
from storage.preannotate_workers import Found, Item, SuggestionWorkers, WorkerError
from storage.replace_suggestions import replace_unreviewed
from storage.repository import Repository
from storage.schema import DatabaseError, explain, missing_database

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from models.annotation import Claim, Span

DEFAULT_BATCH_SIZE = 64
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Progress = Callable[[int, int, str], None]
ClaimSuggester = Callable[["Doc", int], "list[Claim]"]


class PreannotateError(Exception):
    """A request that cannot run as given (one line, for the user)."""


@dataclass
class PreannotateReport:
    total: int = 0  # documents asked for
    documents: int = 0  # documents whose suggestions are stored
    spans_added: int = 0
    spans_skipped: int = 0  # already stored in some status (accepted, rejected, suggested)
    claims_added: int = 0
    claims_skipped: int = 0
    spans_replaced: int = 0  # unreviewed suggestions of other origins removed (replace_suggestions)
    claims_replaced: int = 0
    models: list[str] = field(default_factory=list)  # origins of the pipelines used
    warnings: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # model label -> entities
    dropped: Counter[str] = field(default_factory=Counter)
    cancelled: bool = False
    seconds: float = 0.0

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def add(self, counts: dict[str, int]) -> None:
        for name, value in counts.items():
            setattr(self, name, getattr(self, name) + value)

    def lines(self) -> list[str]:
        """Warnings, then the unmapped labels named once for the whole run."""
        lines = list(self.warnings)
        if self.unmapped:
            names = ", ".join(f"{label} ({count})" for label, count in self.unmapped.most_common())
            lines.append(
                f"model labels not in resources/label_map.toml nor the label set, not "
                f"suggested: {names}; map or drop them there"
            )
        return lines

    def summary(self) -> str:
        text = (
            f"pre-annotated {self.documents} of {self.total} document(s): "
            f"{self.spans_added} entity and {self.claims_added} claim suggestion(s) added"
        )
        skipped = self.spans_skipped + self.claims_skipped
        if skipped:
            text += f", {skipped} already stored (suggested or reviewed) left as they were"
        if self.spans_replaced or self.claims_replaced:
            text += (f", {self.spans_replaced} entity and {self.claims_replaced} claim suggestion(s) of "
                     "other models replaced")  # fmt: skip
        if self.models:
            text += f" [{', '.join(self.models)}]"
        return text + (" (cancelled)" if self.cancelled else "")


def preannotate(
    repo_path: str | Path,
    model: str | Path | LoadedModel | None = None,
    doc_ids: list[int] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    claims: bool = True,
    label_map: LabelMap | None = None,
    pipelines: dict[str, LoadedModel] | None = None,
    check_integrity: bool = False,
    n_process: int = 1,
    replace_suggestions: bool = False,
) -> PreannotateReport:
    """Suggest entities (and, when ``claims`` and the pipeline has a parser, claims) for
    ``doc_ids`` (default: every document) of the database at ``repo_path``; documents
    marked done are left as they are (a report warning counts them).

    ``model``: a loaded pipeline, a name or path (loaded here), or ``None`` to pick one
    per document language; ``pipelines`` (model name -> loaded pipeline) keeps those
    pipelines between runs, so a worker thread loads each model once. ``n_process``:
    processes that run the pipeline and make the suggestions
    (``storage/preannotate_workers.py``; 1, or a single short document, runs it in this
    process); they are stored here. ``progress(done, total, message)`` follows each
    stored batch;
    ``cancelled()`` is polled after each document and stops the run after storing what
    is finished. A KeyboardInterrupt propagates; committed batches stay.

    ``check_integrity``: run ``quick_check`` first (it reads the whole file).
    ``replace_suggestions``: remove the unreviewed suggestions of other origins in each
    batch's documents as its own are stored (``storage.replace_suggestions``).

    Raises PreannotateError (no database, unknown ids, bad label map, a worker process
    that failed or died), ModelError (a named model that cannot be loaded), DatabaseError
    (read-only or damaged file: nothing written) and ``sqlite3.Error`` (e.g. locked for
    longer than the busy timeout: the batches stored before it stay).
    """
    path = Path(repo_path)
    if problem := missing_database(path):
        raise PreannotateError(problem)
    if batch_size < 1:
        raise PreannotateError(f"batch size must be at least 1, not {batch_size}")
    if n_process < 1:
        raise PreannotateError(f"--n-process must be at least 1, not {n_process}")
    try:
        label_map = label_map or LabelMap.from_toml()
    except (OSError, ValueError) as exc:
        raise PreannotateError(f"cannot read the label map: {exc}") from None
    repo = Repository(path)
    try:
        if check_integrity:
            repo.check_integrity()
        repo.check_writable()
        if isinstance(model, (str, Path)):  # a registered NAME[@VERSION], a folder or a package
            model = load_model(resolve_model(repo, str(model))[0])
        run = _Run(repo, label_map, claims, batch_size, progress, cancelled)
        run.n_process = n_process
        run.replace = replace_suggestions
        if pipelines is not None:
            run.pipelines = pipelines
        return run.run(model, doc_ids)
    finally:
        repo.close()


class _Run:
    """One pre-annotation run: its settings, its report and its pace."""

    def __init__(
        self,
        repo: Repository,
        label_map: LabelMap,
        claims: bool,
        batch_size: int,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.repo = repo
        self.label_map = label_map
        self.claims = claims
        self.batch_size = batch_size
        self.progress = progress or (lambda done, total, message: None)
        self.cancelled = cancelled or (lambda: False)
        self.report = PreannotateReport()
        self.started = time.perf_counter()
        self.loading_seconds = 0.0  # kept out of the docs/s figure
        self.pipelines: dict[str, LoadedModel] = {}
        self.n_process = 1
        self.replace = False
        self.kept: tuple[set[str], bool] = (set(), False)  # origins this run writes, claims too
        self._pieces: dict[int, int] = {}  # document id -> its pieces, once all are read
        self._partial: dict[int, list] = {}  # document id -> [characters done, {offset: found}]

    def run(self, model: LoadedModel | None, doc_ids: list[int] | None) -> PreannotateReport:
        languages = self.repo.document_languages(doc_ids)
        if doc_ids is not None:
            missing = sorted(set(doc_ids) - set(languages))
            if missing:
                shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
                raise PreannotateError(f"no document with id {shown}; see the ids with: python main.py stats")
        # a document marked done holds its complete annotation (the export rule): a new
        # suggestion there would be exported and trained as "not an entity"
        done = set(self.repo.document_ids(DocStatus.DONE.value)) & languages.keys()
        if done:
            languages = {doc_id: language for doc_id, language in languages.items() if doc_id not in done}
            self.report.warn(
                f"{len(done)} document(s) marked done left as they are (their annotation is complete); "
                "reopen a document to get suggestions for it"
            )
        self.report.total = len(languages)
        groups: dict[str, list[int]] = {}
        for doc_id, language in languages.items():
            groups.setdefault("" if model else language, []).append(doc_id)
        for language, ids in groups.items():
            loaded = model or self._pipeline_for(language)
            if loaded.origin not in self.report.models:
                self.report.models.append(loaded.origin)
            if loaded.warning:
                self.report.warn(loaded.warning)
            if not self._annotate(loaded, ids):
                self.report.cancelled = True
                break
        self.report.seconds = time.perf_counter() - self.started
        return self.report

    def _pipeline_for(self, language: str) -> LoadedModel:
        """The installed pipeline for ``language``, else the English one, else blank."""
        name = resolve_model_name(None, language)
        if name is None and language != "en":
            name = resolve_model_name(None, "en")
            if name is not None:
                self.report.warn(
                    f"no spaCy model for language {language!r} is installed; its documents "
                    f"were pre-annotated with {name}"
                )
        key = name or f"blank:{language}"
        if key not in self.pipelines:
            self.progress(self.report.documents, self.report.total, f"loading spaCy model {key}")
            loading = time.perf_counter()
            self.pipelines[key] = load_model(name, language)
            self.loading_seconds += time.perf_counter() - loading
        return self.pipelines[key]

    def _annotate(self, loaded: LoadedModel, ids: list[int]) -> bool:
        """Suggest for ``ids`` with ``loaded``; ``False`` when cancelled."""
        nlp = loaded.nlp
        entity_pipes = _entity_pipes(nlp)
        use_claims = self.claims and "parser" in nlp.pipe_names
        if self.claims and not use_claims:
            self.report.warn(f"claim suggestions skipped: the {loaded.name} pipeline has no parser")
        if not entity_pipes and not use_claims:
            self._advance(len(ids), loaded)  # nothing this pipeline can suggest
            return True
        self.kept = ({loaded.origin, CLAIMS_ORIGIN} if use_claims else {loaded.origin}, use_claims)
        items = self._texts(ids, nlp.max_length)
        first = list(islice(items, self.n_process))  # one process for one short document
        items = chain(first, items)
        workers = min(self.n_process, max(len(ids), len(first)))
        if workers > 1:
            found = self._found_by_workers(loaded, items, use_claims, workers)
        else:
            found = self._found_here(loaded, items, use_claims)
        pending: list[tuple[int, list[Span], list[Claim]]] = []
        try:
            for doc_id, offset, length, spans, claims in found:
                document = self._collect(doc_id, offset, length, spans, claims)
                if document is not None:
                    pending.append(document)
                else:
                    done = self._partial[doc_id][0]
                    self.progress(self.report.documents, self.report.total,
                                  f"{loaded.name}: document {doc_id}, a long one, in pieces: "
                                  f"{done:,} characters done")  # fmt: skip
                stop = self.cancelled()
                if stop or len(pending) >= self.batch_size:
                    self._store(pending, loaded)
                    pending = []
                if stop:
                    return False
        finally:
            found.close()  # stops the worker processes
        self._store(pending, loaded)
        return True

    def _found_here(self, loaded: LoadedModel, items: Iterator[Item], claims: bool) -> Iterator[Found]:
        """Suggestions for ``items`` from the pipeline in this process."""
        nlp = loaded.nlp
        suggest_claims = claim_suggester(loaded) if claims else None
        texts = ((text, (doc_id, offset)) for doc_id, offset, text in items)
        with nlp.select_pipes(enable=pipes_needed(nlp, claims)):
            for doc, (doc_id, offset) in nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size):
                report = self.report
                spans, found_claims = suggestions(doc, doc_id, loaded, self.label_map, suggest_claims,
                                                  report.unmapped, report.dropped, offset)  # fmt: skip
                yield doc_id, offset, len(doc.text), spans, found_claims

    def _found_by_workers(
        self, loaded: LoadedModel, items: Iterator[Item], claims: bool, count: int
    ) -> Iterator[Found]:
        """Suggestions for ``items`` from ``count`` worker processes
        (``storage/preannotate_workers.py``)."""
        workers = SuggestionWorkers(loaded, claims, self.label_map, count)
        try:
            for found in workers.suggest(items):
                yield from found
        except WorkerError as exc:
            raise PreannotateError(str(exc)) from None
        finally:
            workers.close()
            self.report.unmapped.update(workers.unmapped)
            self.report.dropped.update(workers.dropped)

    def _texts(self, ids: list[int], max_length: int) -> Iterator[Item]:
        """``(doc_id, offset, text)``: each document whole, or one longer than
        ``LONG_TEXT_CHARS`` (or the pipeline's ``max_length``) in paragraph-aligned
        pieces (``models.nlp.pieces``); ``_pieces`` learns how many once the last is out."""
        limit = min(max_length, LONG_TEXT_CHARS)
        for first in range(0, len(ids), self.batch_size):
            for doc_id, text in self.repo.document_texts(ids[first : first + self.batch_size]):
                if len(text) <= limit:
                    self._pieces[doc_id] = 1
                    yield doc_id, 0, text
                    continue
                for count, (offset, piece) in enumerate(text_pieces(text), start=1):
                    if offset + len(piece) == len(text):
                        self._pieces[doc_id] = count
                    yield doc_id, offset, piece

    def _collect(
        self, doc_id: int, offset: int, length: int, spans: list[Span], claims: list[Claim]
    ) -> tuple[int, list[Span], list[Claim]] | None:
        """Gather the pieces of a document; the document's suggestions once it is whole
        (pieces may come back in any order from several processes)."""
        gathered = self._partial.setdefault(doc_id, [0, {}])
        gathered[0] += length
        gathered[1][offset] = (spans, claims)
        if len(gathered[1]) < self._pieces.get(doc_id, len(gathered[1]) + 1):
            return None
        del self._partial[doc_id], self._pieces[doc_id]
        pieces = [gathered[1][start] for start in sorted(gathered[1])]
        return doc_id, [s for spans, _ in pieces for s in spans], [c for _, claims in pieces for c in claims]

    def _store(self, pending: list[tuple[int, list[Span], list[Claim]]], loaded: LoadedModel) -> None:
        """One transaction for the batch; the report counts it once it is committed."""
        if not pending:
            return
        with self.repo.transaction():  # the replaced suggestions go with the new ones, or neither does
            if self.replace:
                ids = [doc_id for doc_id, _spans, _claims in pending]
                self.report.add(replace_unreviewed(self.repo, ids, *self.kept, loaded.origin))
            self.report.add(self.repo.apply_suggestion_batch(pending))
        self._advance(len(pending), loaded)

    def _advance(self, count: int, loaded: LoadedModel) -> None:
        self.report.documents += count
        done, total = self.report.documents, self.report.total
        elapsed = time.perf_counter() - self.started - self.loading_seconds
        rate = done / elapsed if elapsed > 0 else 0.0
        message = f"{loaded.name}: {done}/{total} documents, {rate:.1f} docs/s"
        if 0 < done < total and rate > 0:
            message += f", about {_duration((total - done) / rate)} left"
        self.progress(done, total, message)


def pipes_needed(nlp: Language, claims: bool) -> list[str]:
    """The components a run enables: all of them with claims (the rules read tags,
    lemmas and the parse), else those that set entities and what they listen to."""
    if claims:
        return list(nlp.pipe_names)
    return _with_listened(nlp, _entity_pipes(nlp))


def _entity_pipes(nlp: Language) -> list[str]:
    """Components that set ``doc.ents`` (``ner``, an ``entity_ruler``...)."""
    return [name for name in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(name).assigns]


def _with_listened(nlp: Language, needed: list[str]) -> list[str]:
    """``needed`` plus the shared embedding components (``tok2vec``, ``transformer``)
    that any of them listens to, in pipeline order."""
    wanted = set(needed)
    for name, component in nlp.pipeline:
        if wanted & set(getattr(component, "listening_components", ())):
            wanted.add(name)
    return [name for name in nlp.pipe_names if name in wanted]


def suggestions(
    doc: Doc,
    doc_id: int,
    loaded: LoadedModel,
    label_map: LabelMap,
    suggest_claims: ClaimSuggester | None,
    unmapped: Counter[str],
    dropped: Counter[str],
    offset: int = 0,
) -> tuple[list[Span], list[Claim]]:
    """Entity (and claim) suggestions of ``doc``, the text of document ``doc_id`` from
    code point ``offset`` on, with offsets in the whole document; model labels not
    mapped or dropped are counted in ``unmapped`` and ``dropped``."""
    entities = suggest_entities(doc, doc_id, loaded.origin, label_map)
    unmapped.update(entities.unmapped)
    dropped.update(entities.dropped)
    claims = suggest_claims(doc, doc_id) if suggest_claims else []
    return [shift_span(s, offset) for s in entities.spans], [shift_claim(c, offset) for c in claims]


def claim_suggester(loaded: LoadedModel) -> ClaimSuggester:
    """The rules, or a trained pipeline's suggester (the rules combined with its model)."""
    if loaded.claims is not None:
        return loaded.claims.suggest
    from models.nlp.claims import suggest_claims

    return suggest_claims


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# -- command line ------------------------------------------------------------------------


def add_cli(subparsers: argparse._SubParsersAction) -> None:
    """Register ``preannotate --db PATH [--model NAME_OR_PATH] [--docs all|ID,ID...]
    [--no-claims] [--n-process N]``."""
    p = subparsers.add_parser(
        "preannotate",
        help="store spaCy suggestions (entities and claims) for review",
        description="Suggest entities and claims with spaCy. Reviewed work is never "
        "changed and rejected suggestions are not made again; Ctrl+C keeps finished "
        "documents.",
    )
    p.add_argument("--db", required=True, help="database file")
    p.add_argument(
        "--model",
        help="a trained model registered in the database (NAME or NAME@VERSION), a spaCy "
        "pipeline folder or package name (default: the installed pipeline for each "
        "document's language, en_core_web_sm first)",
    )
    p.add_argument("--docs", default="all", help="'all' (default) or document ids: 3,7,12")
    p.add_argument("--no-claims", action="store_true", help="entities only (faster: no parser)")
    p.add_argument(
        "--replace-suggestions",
        action="store_true",
        help="remove the unreviewed suggestions of other models (entities; claims unless --no-claims) "
        "in these documents as this model's are stored; reviewed work is never touched, and each "
        "removal is recorded (default: keep them beside the new ones)",
    )
    p.add_argument(
        "--n-process",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help=f"processes that run spaCy (default: the number of cores, here {os.cpu_count() or 1})",
    )
    p.set_defaults(func=cmd_preannotate)


def parse_doc_ids(value: str) -> list[int] | None:
    """``all`` -> ``None``; ``3,7,12`` -> ``[3, 7, 12]``; anything else PreannotateError."""
    if value.strip().lower() == "all":
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise PreannotateError(f"--docs {value!r} is not 'all' nor a list of document ids such as 3,7,12")
    return list(dict.fromkeys(int(part) for part in parts))


def cmd_preannotate(args: argparse.Namespace) -> int:
    printer = ProgressPrinter(sys.stderr)
    try:
        doc_ids = parse_doc_ids(args.docs)
        report = preannotate(args.db, args.model, doc_ids, progress=printer, claims=not args.no_claims,
                             check_integrity=True, n_process=args.n_process,
                             replace_suggestions=args.replace_suggestions)  # fmt: skip
    except (PreannotateError, ModelError, DatabaseError) as exc:
        printer.finish()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except sqlite3.Error as exc:
        printer.finish()
        print(
            f"error: {explain(exc, args.db)}: {printer.done} document(s) finished and saved; "
            "run again to do the rest (nothing is suggested twice)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        printer.finish()
        print(
            f"interrupted: {printer.done} of {printer.total} document(s) finished and saved; "
            "run again to do the rest (nothing is suggested twice)",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    printer.finish()
    for line in report.lines():
        print(line, file=sys.stderr)
    print(report.summary())
    return 0


class ProgressPrinter:
    """Progress on a terminal line rewritten in place, or (to a file or pipe) one line
    every few seconds and at the end."""

    INTERVAL_S = 2.0

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.done = self.total = 0
        self.last = 0.0
        self.pending_newline = False

    def __call__(self, done: int, total: int, message: str) -> None:
        self.done, self.total = done, total
        if self.live:
            self.stream.write(f"\r\x1b[K{message}")
            self.stream.flush()
            self.pending_newline = True
            return
        now = time.monotonic()
        if done >= total or now - self.last >= self.INTERVAL_S:
            self.last = now
            print(message, file=self.stream, flush=True)

    def finish(self) -> None:
        if self.pending_newline:
            self.stream.write("\n")
            self.pending_newline = False
