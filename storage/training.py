"""``train``: learn entity and claim models from the analyst's confirmed work.

The data is the export's: the corpus is exported as a spaCy DocBin (``--status all``) by
``storage.exporters``, so training follows exactly the export's missing-value rule
(documents marked done: accepted spans complete, other tokens O; not done: other tokens
missing) and rejected suggestions come as ``doc.spans["rejected"]``, which the entity
recogniser learns as negatives. The dev split (``--dev-fraction``/``--seed``) is drawn
from the documents that teach something, stratified by label so that each label taught
(and the claims) is in dev when it can be (``models.nlp.training.split``); a label that
dev cannot score is reported. Entities and claims share the split.

The result is a standard spaCy pipeline folder (``spacy.load(DIR)``; the claim part in
``DIR/claims``, see ``models.nlp.training.claim_model``) registered in the database
(``storage.model_registry``). Progress goes to ``emit`` as events (dicts with
``"event"``: ``stage``, ``data``, ``epoch``, ``curve``, ``skipped``); ``cancelled()`` and the
time budget stop training and keep the best weights so far.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.annotation import Claim, Status
from models.document import DocStatus
from models.nlp.entities import LabelMap
from models.nlp.loading import LoadedModel, ModelError, load_model
from models.nlp.tokens import tokenize
from models.nlp.training import claim_model, ner
from models.nlp.training.loop import PIPE_BATCH_DOCS, Emit, LoopResult, LoopSettings, train_components
from models.nlp.training.record import TASKS, TrainedModel
from models.nlp.training.scores import Counts, add_counts, claim_counts, claim_scores, entity_scores
from models.nlp.training.split import stratified_dev_split
from storage.exporters.base import ExportError, ExportOptions, dev_fraction_problem, export_corpus
from storage.model_registry import DuplicateModelError, ModelRegistry, resolve_model
from storage.repository import Repository
from storage.schema import (
    DatabaseError,
    ReadOnlyError,
    explain,
    is_database_file,
    is_lock_error,
    missing_database,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

MODE_TEXTS = {
    "rules": "rules alone: no combination with the model scored better without scoring worse in a role",
    "add": "the rules plus the model's claims that overlap no rule claim (better on the dev split, "
    "worse in no role)",
    "model": "the model's claims plus the rules' that overlap none of them (better on the dev split, "
    "worse in no role)",
}
BUDGET_RESERVE = 0.06  # share of --max-minutes kept for what follows training (measured: 36 s of 900)
MIN_SPANS = 10  # accepted entity spans in the training documents
MIN_CLAIMS = 20  # accepted claims in the training documents
CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
SHARED_ENCODER = "tok2vec"  # the stock component whose doc.tensor the claim part recogniser reads
CLAIMS_LABEL = "(claims)"  # stratifies the split by documents with accepted claims too
REGISTER_PATIENCE_S = 60.0  # a database locked this long (beyond the busy timeout) leaves no model
REGISTER_RETRY_S = 1.0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class TrainError(Exception):
    """A training request that cannot run as given (one line, for the user)."""


@dataclass(frozen=True)
class TrainOptions:
    out: Path
    task: str = "all"
    base: str | None = None  # default: the resolution order of models.nlp.loading
    name: str | None = None  # registry name; default: the folder's name
    dev_fraction: float = 0.2
    seed: int = 0
    max_minutes: float = 15.0
    curve: bool = True
    settings: LoopSettings = field(default_factory=LoopSettings)

    def check(self, database: Path) -> None:
        if self.task not in TASKS:
            raise TrainError(f"unknown task {self.task!r}; use one of {', '.join(TASKS)}")
        if self.base is not None and not self.base.strip():
            raise TrainError(
                "--base is empty; give a registered NAME or NAME@VERSION, a pipeline folder or a "
                "package name, or leave --base out for the default pipeline"
            )
        if problem := dev_fraction_problem(self.dev_fraction):
            raise TrainError(problem)
        if not 0 < self.max_minutes < math.inf:  # NaN too: it would mean no time budget
            raise TrainError(f"--max-minutes must be a number of minutes more than 0, not {self.max_minutes}")
        if is_database_file(self.out, database):
            raise TrainError(f"{self.out} is the database; choose a new folder for the model")
        if not str(self.out).strip() or self.out == Path():
            raise TrainError("--out is empty; give a new folder for the model")
        if self.out.exists() and (not self.out.is_dir() or any(self.out.iterdir())):
            raise TrainError(f"{self.out} already exists and is not an empty folder; choose a new folder")
        for parent in self.out.parents:  # a file where a folder must be: say so before loading spaCy
            if parent.exists():
                if not parent.is_dir():
                    raise TrainError(f"{parent} is a file, not a folder; choose another place for {self.out}")
                break
        name = self.model_name
        if not name.strip() or "@" in name:
            raise TrainError(
                f"model name {name!r} cannot be registered: give --name without '@' (it separates "
                "NAME@VERSION) and not blank"
            )

    @property
    def model_name(self) -> str:
        return self.name or self.out.name


@dataclass
class TrainReport:
    model: TrainedModel | None = None
    skipped: list[str] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    curve: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: int = 0  # spans or claim parts not on token boundaries (left out)
    stopped: dict[str, str] = field(default_factory=dict)  # task -> why it stopped
    unscored: list[str] = field(default_factory=list)  # labels taught that no dev document has
    left_out: list[str] = field(default_factory=list)  # documents too long to train on, and why
    rehearsed: int = 0  # the stock model's entities added to the training documents
    words: int = 0
    train_seconds: float = 0.0
    seconds: float = 0.0
    cancelled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": None if self.model is None else {"name": self.model.name, "version": self.model.version,
                                                      "path": self.model.path, "origin": self.model.origin},
            "skipped": self.skipped, "scores": self.scores, "curve": self.curve, "problems": self.problems,
            "stopped": self.stopped, "unscored": self.unscored, "left_out": self.left_out,
            "rehearsed": self.rehearsed,
            "words": self.words, "train_seconds": round(self.train_seconds, 1),
            "seconds": round(self.seconds, 1), "cancelled": self.cancelled,
        }  # fmt: skip

    def lines(self) -> list[str]:
        """The report for a terminal: skipped tasks, dev scores side by side, the curve."""
        lines = [f"skipped {line}" for line in self.skipped] + self.left_out
        if self.problems:
            lines.append(f"{self.problems} span(s) or claim part(s) not on token boundaries were left out")
        if self.unscored:
            lines.append(f"the dev split cannot score {', '.join(self.unscored)}: no dev document has it")
        lines += score_table(self.scores)
        for task, points in self.curve.items():
            shown = "  ".join(
                f"{p['fraction']:.0%}: {'-' if p.get('f') is None else format(p['f'], '.3f')}" for p in points
            )
            lines.append(f"train curve ({task}, dev F1 by share of the training data): {shown}")
        if self.train_seconds:
            lines.append(
                f"trained {self.words:,} words in {self.train_seconds:.0f} s "
                f"({self.words / self.train_seconds:,.0f} words/s); total {self.seconds:.0f} s"
            )
        if self.model is not None:
            lines.append(f"saved {self.model.path} as {self.model.label} (origin {self.model.origin})")
        elif not self.skipped:
            lines.append("no model saved")
        return lines


def score_table(scores: dict[str, Any]) -> list[str]:
    """Per-label (entities) and per-role (claims) P/R/F1, the trained model beside the
    stock model or the rules, as aligned text lines."""
    lines = []
    if "ner" in scores:
        trained, stock = scores["ner"]["trained"], scores["ner"]["stock"]
        lines.append(f"{'entities (dev)':<16}{'trained P/R/F':>22}{'stock P/R/F':>22}")
        for label in sorted(set(trained["per_label"]) | set(stock["per_label"])):
            lines.append(f"  {label:<14}{_prf(trained['per_label'].get(label)):>22}"
                         f"{_prf(stock['per_label'].get(label)):>22}")  # fmt: skip
        lines.append(f"  {'all':<14}{_prf(trained):>22}{_prf(stock):>22}")
    if "claims" in scores:
        claims = scores["claims"]
        lines.append(f"{'claims (dev)':<16}{'chosen P/R/F':>22}{'rules P/R/F':>22}{'model first':>22}"
                     f"{'rules + new':>22}")  # fmt: skip
        for role in claims["rules"]:
            lines.append(f"  {role:<14}{_prf(claims['combined'][role]):>22}{_prf(claims['rules'][role]):>22}"
                         f"{_prf(claims['model'][role]):>22}{_prf(claims['add'][role]):>22}")  # fmt: skip
        lines.append(f"  claim suggester: {claims['mode_text']}")
    return lines


def _prf(value: dict[str, float] | None) -> str:
    if not value:
        return "-"
    return f"{value['p']:.2f}/{value['r']:.2f}/{value['f']:.2f}"


def train(
    db_path: str | Path,
    options: TrainOptions,
    emit: Emit | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TrainReport:
    """Train what ``options.task`` asks and the confirmed work supports; write the
    pipeline to ``options.out`` and register it. Returns the report (``model`` is
    ``None`` when nothing could be trained or nothing finished before a cancel).

    Raises TrainError (bad options, no database, nothing to learn from), ModelError (a
    base pipeline that cannot load), ExportError (the data cannot be written)."""
    started = time.monotonic()
    path = Path(db_path)
    if problem := missing_database(path):
        raise TrainError(problem)
    options.check(path)
    emit = emit or (lambda event: None)
    cancelled = cancelled or (lambda: False)
    # the last epoch's scoring, the claim scoring and saving come after the deadline
    deadline = started + options.max_minutes * 60 * (1 - BUDGET_RESERVE)
    try:
        repo = Repository(path)
    except DatabaseError as exc:
        raise TrainError(str(exc)) from None
    try:
        repo.check_writable()  # the model is registered there: say so now, not after training
    except ReadOnlyError as exc:
        repo.close()
        raise TrainError(f"{exc}; the model could not be registered, so nothing was trained") from None
    try:
        return _Training(repo, options, emit, cancelled, deadline, started).run()
    finally:
        repo.close()


class _Training:
    def __init__(
        self,
        repo: Repository,
        options: TrainOptions,
        emit: Emit,
        cancelled: Callable[[], bool],
        deadline: float,
        started: float,
    ) -> None:
        self.repo = repo
        self.options = options
        self.emit = emit
        self.cancelled = cancelled
        self.deadline = deadline
        self.started = started
        self.report = TrainReport()
        self.label_map = LabelMap.from_toml()
        self.registry = ModelRegistry(repo)
        self.version = self.registry.next_version(options.model_name)
        self.counts = {"documents": 0, "spans": 0, "claims": 0}
        self.labels: list[str] = []

    def stage(self, message: str) -> None:
        self.emit({"event": "stage", "message": message})

    def settings(self, deadline: float, max_epochs: int | None = None) -> LoopSettings:
        base = self.options.settings
        return LoopSettings(
            max_epochs=max_epochs or base.max_epochs, patience=base.patience, min_steps=base.min_steps,
            batch_words=base.batch_words, dropout=base.dropout, seed=self.options.seed, deadline=deadline,
            max_steps=base.max_steps,
        )  # fmt: skip

    def run(self) -> TrainReport:
        from spacy.util import fix_random_seed

        # Python's, NumPy's (dropout masks, new labels' weights) and the split's: the same
        # data, settings and seed give the same model
        fix_random_seed(self.options.seed)
        self.stage(f"loading the base pipeline {self.options.base or '(default)'}")
        base = self._load_base()
        wants_ner = self.options.task in ("ner", "all")
        wants_claims = self.options.task in ("claims", "all")
        try:
            self.options.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TrainError(f"cannot create {self.options.out.parent}: {exc.strerror or exc}") from None
        try:
            workspace = tempfile.TemporaryDirectory(prefix=".quire-train-", dir=self.options.out.parent)
        except OSError as exc:
            raise TrainError(
                f"cannot write the model in {self.options.out.parent}: {exc.strerror or exc}"
            ) from None
        with workspace as tmp:
            entity_docs = self._entity_data(Path(tmp), base.nlp) if wants_ner else {}
            claim_docs = self._claim_data() if wants_claims else {}
            too_long = self._too_long(base.nlp, {**claim_docs, **entity_docs})
            entity_docs = {key: doc for key, doc in entity_docs.items() if key not in too_long}
            claim_docs = {key: item for key, item in claim_docs.items() if key not in too_long}
            dev_ids = self._split(base, entity_docs, claim_docs)
            train_docs = [doc for doc_id, doc in entity_docs.items() if doc_id not in dev_ids]
            dev_docs = [doc for doc_id, doc in entity_docs.items() if doc_id in dev_ids]
            ner_ready = wants_ner and self._ner_supported(base, train_docs, dev_docs)
            claim_data = None
            if wants_claims:
                items = [(doc, claims, doc_id) for doc_id, (doc, claims) in claim_docs.items()]
                claim_data = (
                    [item for item in items if item[2] not in dev_ids],
                    [item for item in items if item[2] in dev_ids],
                )
            claims_ready = claim_data is not None and self._claims_supported(base, *claim_data)
            if not ner_ready and not claims_ready:
                raise TrainError("nothing to train: " + "; ".join(self.report.skipped))
            ner_deadline = self.deadline
            if ner_ready and claims_ready:  # half the budget each, the rest carried over
                ner_deadline = self.started + (self.deadline - self.started) / 2
            ner_run = self._train_ner(base, train_docs, dev_docs, ner_deadline) if ner_ready else None
            claim_run = None
            if claims_ready and not self.cancelled():
                claim_run = self._train_claims(base, *claim_data)
            trained = [run for run in (ner_run, claim_run) if run is not None and run.result.epochs > 0]
            if not trained:
                self.report.cancelled = self.cancelled()
                self.report.seconds = time.monotonic() - self.started
                self.stage("no epoch finished: no model saved")
                return self.report
            folder = self._write(base, ner_run, claim_run)
            if self.options.curve:
                for run in trained:
                    self._curve(run)
        self.report.cancelled = self.cancelled()
        self._register(base, ner_run, claim_run, folder)
        self.report.seconds = time.monotonic() - self.started
        return self.report

    # -- data ----------------------------------------------------------------------------

    def _load_base(self) -> LoadedModel:
        requested = self.options.base
        if requested is not None:
            requested = resolve_model(self.repo, requested)[0]
        return load_model(requested)

    def _entity_data(self, folder: Path, nlp: Language) -> dict[int, Doc]:
        self.stage("exporting the confirmed entities (the export's missing-value rule)")
        docs, problems = entity_training_docs(self.repo, folder, nlp)
        self.report.problems += problems
        return docs

    def _too_long(self, nlp: Language, docs: dict[int, Doc | tuple]) -> set[int]:
        """The documents longer than ``nlp.max_length`` (spaCy's E088: the parser and the
        entity recogniser would need memory in proportion), left out of training and named
        in the report; pre-annotation and export take them in pieces, training does not."""
        left_out = set()
        for doc_id, item in docs.items():
            doc = item[0] if isinstance(item, tuple) else item
            if len(doc.text) > nlp.max_length:
                left_out.add(doc_id)
                self.report.left_out.append(
                    f"document {doc_id} has {len(doc.text):,} characters, more than the pipeline's "
                    f"{nlp.max_length:,} (spaCy's max_length): left out of training; split it to train on it"
                )
                self.stage(self.report.left_out[-1])
        return left_out

    def _split(
        self, base: LoadedModel, entity_docs: dict[int, Doc], claim_docs: dict[int, tuple]
    ) -> set[int]:
        """The dev documents: ``--dev-fraction`` of the documents that teach something,
        stratified so that each label taught (and the claims) is in dev when it can be;
        the labels dev cannot score are reported."""
        labels = {doc_id: Counter(ent.label_ for ent in doc.ents) for doc_id, doc in entity_docs.items()}
        for doc_id, (_doc, claims) in claim_docs.items():
            labels.setdefault(doc_id, Counter())[CLAIMS_LABEL] += len(claims)
        known = set(base.nlp.get_pipe("ner").labels) if "ner" in base.nlp.pipe_names else set()
        dev_ids = stratified_dev_split(labels, self.options.dev_fraction, self.options.seed, known)
        in_dev = {label for doc_id in dev_ids for label in labels[doc_id]}
        in_train = {label for doc_id in labels if doc_id not in dev_ids for label in labels[doc_id]}
        self.report.unscored = sorted(in_train - in_dev - {CLAIMS_LABEL})
        if self.report.unscored:
            self.stage(f"the dev split cannot score {', '.join(self.report.unscored)} (no dev document has "
                       "it): the model is chosen on the other labels")  # fmt: skip
        return dev_ids

    def _ner_supported(self, base: LoadedModel, train: list[Doc], dev: list[Doc]) -> bool:
        spans = sum(len(doc.ents) for doc in train)
        reason = ""
        if base.is_blank:
            reason = f"the base pipeline {base.name} has no entity recogniser to fine-tune"
        elif spans < MIN_SPANS:
            reason = f"{spans} accepted entity span(s) in the training documents, at least {MIN_SPANS} needed"
        elif not any(doc.ents or _complete(doc) for doc in dev):
            reason = (
                "no dev document with accepted entities; add more annotated documents or raise --dev-fraction"
            )
        return self._decide("entities", "ner", reason, len(train), len(dev), "spans", spans)

    def _claim_data(self) -> dict[int, tuple[Doc, list[Claim]]]:
        """Document id -> (reference Doc with the claim parts as entities, accepted claims),
        for the documents with accepted claims or marked done."""
        self.stage("reading the confirmed claims")
        data = {}
        for document, _spans, claims, _linked in self.repo.iter_export(status=None):
            accepted = [c for c in claims if c.status == Status.ACCEPTED]
            complete = DocStatus(document.status) == DocStatus.DONE
            if not accepted and not complete:
                continue
            doc = tokenize(document.text, document.language)
            parts, unknown, misaligned = claim_model.part_spans(doc, accepted)
            self.report.problems += misaligned
            # the words of a part that cannot be learnt stay unknown, even in a done document
            doc.set_ents(parts, missing=unknown, default="outside" if complete else "missing")
            data[document.id] = (doc, accepted)
        return data

    def _claims_supported(self, base: LoadedModel, train: list, dev: list) -> bool:
        count = sum(len(claims) for _doc, claims, _id in train)
        reason = ""
        if "parser" not in base.nlp.pipe_names:
            reason = f"the base pipeline {base.name} has no parser, which links claim parts"
        elif SHARED_ENCODER not in base.nlp.pipe_names:
            reason = (
                f"the base pipeline {base.name} has no shared {SHARED_ENCODER}, "
                "whose vectors the claim part recogniser reads"
            )
        elif count < MIN_CLAIMS:
            reason = f"{count} confirmed claim(s) in the training documents, at least {MIN_CLAIMS} needed"
        elif not any(claims for _doc, claims, _id in dev):
            reason = "no dev document with confirmed claims; confirm claims in more documents"
        return self._decide("claims", "claims", reason, len(train), len(dev), "claims", count)

    def _decide(self, name: str, task: str, reason: str, train: int, dev: int, unit: str, count: int) -> bool:
        """Skip ``task`` for ``reason`` (said as ``name: reason``), or count its data
        (``train``/``dev`` documents, ``count`` of ``unit``) and report it."""
        if reason:
            self._skip(name, reason)
            return False
        self.counts["documents"] = max(self.counts["documents"], train)
        self.counts[unit] = count
        self.emit({"event": "data", "task": task, "train": train, "dev": dev, unit: count})
        return True

    def _skip(self, task: str, reason: str) -> None:
        self.report.skipped.append(f"{task}: {reason}")
        self.emit({"event": "skipped", "task": task, "reason": reason})

    # -- training ------------------------------------------------------------------------

    def _label_filter(self, label: str) -> str | None:
        return self.label_map.target(label)

    def _train_ner(
        self, base: LoadedModel, train_docs: list[Doc], dev_docs: list[Doc], deadline: float
    ) -> _Run:
        nlp = base.nlp
        self.stage("scoring the stock entity recogniser on the dev split")
        dev = ner.examples(nlp, dev_docs)
        stock = ner.evaluate_ner(nlp, dev, self._label_filter)
        self.labels = ner.entity_labels(train_docs)
        self.stage("rehearsal: the stock recogniser's own entities where the analyst decided nothing")
        self.report.rehearsed = ner.add_rehearsal(nlp, train_docs, self._label_filter)
        ner.prepare_ner(nlp, self.labels)
        train = ner.examples(nlp, train_docs)
        initial = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
        self.stage(
            f"fine-tuning the entity recogniser ({len(train)} documents, labels {', '.join(self.labels)})"
        )

        def fit(examples: list[Example], settings: LoopSettings, emit: Emit) -> LoopResult:
            return ner.train_ner(nlp, examples, dev, self._label_filter, settings, emit, self.cancelled)

        result = fit(train, self.settings(deadline), self.emit)
        self._account("ner", result)
        self.report.scores["ner"] = {"trained": result.best_scores or stock, "stock": stock}
        best = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
        return _Run("ner", nlp, train, initial, best, result, fit)

    def _train_claims(self, base: LoadedModel, train_data: list, dev_data: list) -> _Run:
        from spacy.training import Example

        self.stage(f"training the claim part recogniser ({len(train_data)} documents)")
        # the stock tok2vec's vectors, as pre-annotation computes them: the parts' input
        vectors = []
        with base.nlp.select_pipes(enable=[SHARED_ENCODER]):
            texts = (doc.text for doc, _claims, _id in [*train_data, *dev_data])
            for doc in base.nlp.pipe(texts, batch_size=PIPE_BATCH_DOCS):
                doc.tensor = doc.tensor.copy()  # a view that keeps its whole batch's arrays alive
                vectors.append(doc)
        nlp = claim_model.new_part_pipeline(base.nlp.lang, vectors[0].tensor.shape[1])
        for label in claim_model.ROLE_LABELS.values():  # the gold parts are aligned onto these Docs
            base.nlp.vocab.strings.add(label)
        examples = [
            Example(vec, doc)
            for vec, (doc, _claims, _id) in zip(vectors, [*train_data, *dev_data], strict=True)
        ]
        train, dev = examples[: len(train_data)], examples[len(train_data) :]
        nlp.initialize(lambda: train)
        initial = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])

        def parts_f() -> dict[str, Any]:
            claim_model.set_parts(nlp, [eg.predicted for eg in dev])
            return entity_scores(dev)

        def fit(examples: list[Example], settings: LoopSettings, emit: Emit) -> LoopResult:
            return train_components(nlp, ["ner"], examples, parts_f, settings, emit, self.cancelled, "claims")

        result = fit(train, self.settings(self.deadline), self.emit)
        self._account("claims", result)
        best = nlp.get_pipe("ner").to_bytes(exclude=["vocab"])
        run = _Run("claims", nlp, train, initial, best, result, fit)
        if result.epochs:
            self.stage("scoring the claim suggester against the rules on the dev split")
            self.report.scores["claims"] = self._claim_scores(base.nlp, nlp, dev_data)
        return run

    def _claim_scores(self, nlp: Language, parts_nlp: Language, dev_data: list) -> dict[str, Any]:
        from models.nlp.claims import suggest_claims

        origin = f"model:{self.options.model_name}@{self.version}"
        totals: dict[str, dict[str, Counts]] = {mode: {} for mode in claim_model.MODES}
        parsed_docs = nlp.pipe((doc.text for doc, _claims, _id in dev_data), batch_size=PIPE_BATCH_DOCS)
        for parsed, (_doc, gold, doc_id) in zip(parsed_docs, dev_data, strict=True):
            rules = suggest_claims(parsed, doc_id)
            parts = claim_model.predict_parts(parts_nlp, parsed)
            model = claim_model.link_parts(parsed, parts, doc_id, origin)
            for mode in claim_model.MODES:
                add_counts(totals[mode], claim_counts(gold, claim_model.combine(rules, model, mode)))
        mode = claim_model.choose_mode(totals)
        scores: dict[str, Any] = {name: claim_scores(total) for name, total in totals.items()}
        scores["combined"] = scores[mode]
        scores["mode"] = mode
        scores["mode_text"] = MODE_TEXTS[mode]
        return scores

    def _account(self, task: str, result: LoopResult) -> None:
        self.report.stopped[task] = result.stopped
        self.report.words += result.words
        self.report.train_seconds += result.seconds

    def _curve(self, run: _Run) -> None:
        """Dev F1 after training on 25/50/75 % of the training documents (100 %: the
        model itself), each from the starting weights, for at most the epochs the full
        run kept, while the time budget lasts."""
        shuffled = list(run.train)
        random.Random(self.options.seed).shuffle(shuffled)
        points = []
        for fraction in CURVE_FRACTIONS:
            size = max(1, round(fraction * len(shuffled)))
            point: dict[str, Any] = {"fraction": fraction, "documents": size, "f": None}
            if fraction == 1.0:
                point["f"] = run.result.best_scores.get("f")
            elif not self.cancelled() and time.monotonic() < self.deadline:
                run.nlp.get_pipe("ner").from_bytes(run.initial, exclude=["vocab"])
                settings = self.settings(self.deadline, max_epochs=max(1, run.result.kept_epoch))
                result = run.fit(shuffled[:size], settings, lambda event: None)
                if result.epochs:
                    point["f"] = result.best_scores.get("f")
            points.append(point)
            self.emit({"event": "curve", "task": run.task, **point})
        run.nlp.get_pipe("ner").from_bytes(run.best, exclude=["vocab"])
        self.report.curve[run.task] = points

    # -- output --------------------------------------------------------------------------

    def _write(self, base: LoadedModel, ner_run: _Run | None, claim_run: _Run | None) -> Path:
        """The pipeline folder, written beside ``out`` (``_register`` renames it into place
        once its version is registered); returns it."""
        out = self.options.out
        self.stage(f"saving the pipeline to {out}")
        temp = out.parent / f".{out.name}.part-{os.getpid()}"
        shutil.rmtree(temp, ignore_errors=True)
        nlp = base.nlp
        nlp.meta["name"] = _package_name(self.options.model_name)
        nlp.meta["version"] = f"{self.version}.0.0"
        nlp.meta["description"] = f"Trained by Quire from confirmed work; base {base.origin}"
        nlp.meta["quire"] = {
            "name": self.options.model_name, "version": self.version, "base": base.origin,
            "entities": ner_run is not None and ner_run.result.epochs > 0,
            "claims": claim_run is not None and claim_run.result.epochs > 0,
        }  # fmt: skip
        try:
            nlp.to_disk(temp)
            if claim_run is not None and claim_run.result.epochs > 0:
                mode = self.report.scores.get("claims", {}).get("mode", "rules")
                claim_model.save_claim_part(temp / claim_model.CLAIMS_FOLDER, claim_run.nlp, {"mode": mode})
        except OSError as exc:
            shutil.rmtree(temp, ignore_errors=True)
            raise TrainError(f"cannot write the model to {out}: {exc.strerror or exc}") from None
        return temp

    def _register(
        self, base: LoadedModel, ner_run: _Run | None, claim_run: _Run | None, folder: Path
    ) -> None:
        """Register the model written in ``folder``, then rename that folder to ``out``.

        A folder never claims a version the registry does not hold: a version another
        training registered meanwhile gives the next one (the folder's ``meta.json``
        follows), and a database that stays locked for ``REGISTER_PATIENCE_S`` leaves
        nothing (the folder is removed and TrainError says why); otherwise the next
        training of that name would take the same version, two models with one origin."""
        has_ner = ner_run is not None and ner_run.result.epochs > 0
        has_claims = claim_run is not None and claim_run.result.epochs > 0
        task = "all" if has_ner and has_claims else ("ner" if has_ner else "claims")
        scores = {key: value for key, value in self.report.scores.items() if key in ("ner", "claims")}
        scores["curve"] = self.report.curve
        model = TrainedModel(
            name=self.options.model_name, version=self.version, task=task, path=str(self.options.out),
            base=base.origin, labels=self.labels if has_ner else [], documents=self.counts["documents"],
            spans=self.counts["spans"] if has_ner else 0, claims=self.counts["claims"] if has_claims else 0,
            scores=scores,
        )  # fmt: skip
        out = self.options.out
        patience = time.monotonic() + REGISTER_PATIENCE_S
        try:
            while self.report.model is None:
                try:
                    self.report.model = self.registry.register(replace(model, version=self.version))
                except DuplicateModelError:
                    self.version = self.registry.next_version(model.name)
                    _set_version(folder, self.version)
                except sqlite3.OperationalError as exc:
                    if not is_lock_error(exc) or time.monotonic() >= patience:
                        raise TrainError(
                            f"the model was trained but not registered: {explain(exc, self.repo.path)}; "
                            f"nothing was saved to {out}"
                        ) from None
                    self.stage("the database is locked by another program: waiting to register the model")
                    time.sleep(REGISTER_RETRY_S)
        except BaseException:  # no folder without its registry row (Ctrl+C, a full disk...)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        try:
            if out.exists():
                out.rmdir()  # checked empty by TrainOptions.check
            folder.rename(out)
        except OSError as exc:
            self.registry.forget(self.report.model.id)
            self.report.model = None
            shutil.rmtree(folder, ignore_errors=True)
            raise TrainError(f"cannot write the model to {out}: {exc.strerror or exc}") from None


@dataclass
class _Run:
    """One task's training: its pipeline, data, starting and best weights, and how to
    train it again on a share of the data (the train curve)."""

    task: str
    nlp: Language
    train: list[Example]
    initial: bytes
    best: bytes
    result: LoopResult
    fit: Callable[[list[Example], LoopSettings, Emit], LoopResult]


def entity_training_docs(repo: Repository, folder: Path, nlp: Language) -> tuple[dict[int, Doc], int]:
    """Document id -> the Doc the spaCy export writes for it with ``--status all`` (the
    accepted spans as ``doc.ents`` by the missing-value rule: in a document marked done the
    other tokens are ``O``, in one not done they are missing; the rejected suggestions in
    ``doc.spans["rejected"]``), for the documents that teach something; and how many spans
    the export left out. The DocBin is written into ``folder``.

    Raises ExportError (the file cannot be written), TrainError (a damaged database from
    which the export could not read every document)."""
    from spacy.tokens import DocBin

    exported = export_corpus(repo, ExportOptions("spacy", folder / "data.spacy", status="all"))
    docs = list(DocBin().from_disk(folder / "data.spacy").get_docs(nlp.vocab))
    ids = repo.document_ids()  # the export writes the documents in id order
    if len(ids) != len(docs):
        raise TrainError(f"the export wrote {len(docs)} of {len(ids)} documents; check the database")

    def informative(doc: Doc) -> bool:  # a document with nothing known teaches nothing
        return bool(doc.ents) or bool(doc.spans.get(ner.NEGATIVES_KEY)) or _complete(doc)

    kept = {doc_id: doc for doc_id, doc in zip(ids, docs, strict=True) if informative(doc)}
    return kept, len(exported.problems)


def _complete(doc: Doc) -> bool:
    """Whether the export wrote ``doc`` as complete (no missing entity tags)."""
    return len(doc) > 0 and all(token.ent_iob != 0 for token in doc)


def _set_version(folder: Path, version: int) -> None:
    """Give the pipeline in ``folder`` the registry ``version`` (its ``meta.json``: the
    package version and ``quire.version``, which the origin of its suggestions reads)."""
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = f"{version}.0.0"
    meta["quire"]["version"] = version
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


def _package_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")
    return cleaned or "model"


# -- command line ------------------------------------------------------------------------


def add_cli(subparsers: argparse._SubParsersAction) -> None:
    """Register ``train --db PATH --out DIR [--task ner|claims|all] [--base NAME_OR_PATH]
    [--dev-fraction F --seed N] [--max-minutes M]``."""
    p = subparsers.add_parser(
        "train",
        help="train entity and claim models from confirmed work",
        description="Fine-tune the entity recogniser and train a claim suggester on the accepted "
        "and rejected work in the database (documents marked done are complete; in others only "
        "accepted spans count), score them on a dev split beside the stock model and the rules, "
        "and register the pipeline for pre-annotation. Ctrl+C keeps the best model so far.",
    )
    p.add_argument("--db", required=True, help="database file")
    p.add_argument("--out", required=True, help="new folder for the trained spaCy pipeline")
    p.add_argument("--task", default="all", help="ner, claims or all (default: all it can)")
    p.add_argument("--base", help="pipeline to start from: a registered model, folder or package")
    p.add_argument("--name", help="name in the model registry (default: the folder's name)")
    p.add_argument("--dev-fraction", type=float, default=0.2, help="share of documents held out (0.2)")
    p.add_argument("--seed", type=int, default=0, help="seed of the split, shuffling and dropout (0)")
    p.add_argument(
        "--max-minutes", type=float, default=15.0, help="time budget; the best so far is kept (15)"
    )
    p.add_argument("--max-epochs", type=int, default=LoopSettings.max_epochs, help=argparse.SUPPRESS)
    p.add_argument("--max-steps", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--no-curve", action="store_true", help="skip the train curve (25/50/75/100 %%)")
    p.add_argument(
        "--json-progress",
        action="store_true",
        help="one JSON object per line on stdout (the window reads it); a line 'cancel' on stdin stops",
    )
    p.set_defaults(func=cmd_train)


def cmd_train(args: argparse.Namespace) -> int:
    stop = threading.Event()
    options = TrainOptions(
        out=Path(args.out), task=args.task, base=args.base, name=args.name, dev_fraction=args.dev_fraction,
        seed=args.seed, max_minutes=args.max_minutes, curve=not args.no_curve,
        settings=LoopSettings(max_epochs=max(1, args.max_epochs), max_steps=args.max_steps),
    )  # fmt: skip
    emit = _json_line if args.json_progress else _print_event
    if args.json_progress:
        threading.Thread(target=_read_cancel, args=(stop,), daemon=True).start()
    previous = signal.signal(signal.SIGINT, lambda _sig, _frame: stop.set())
    try:
        report = train(args.db, options, emit, stop.is_set)
    except (TrainError, ModelError, ExportError, DatabaseError) as exc:
        if args.json_progress:
            _json_line({"event": "error", "message": str(exc)})
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json_progress:
        _json_line({"event": "done", **report.as_dict(), "lines": report.lines()})
    else:
        for line in report.lines():
            print(line)
    if report.cancelled:
        print("stopped early: the best model so far is kept" if report.model else "stopped", file=sys.stderr)
        return EXIT_INTERRUPTED if report.model is None else 0
    if report.model is None:  # the time budget ran out before an epoch finished
        print(
            f"error: no epoch finished within --max-minutes {args.max_minutes:g} (reading and preparing the "
            f"data took {report.seconds:.0f} s): no model saved; give more minutes",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return 0


def _read_cancel(stop: threading.Event) -> None:
    for line in sys.stdin:
        if line.strip() == "cancel":
            stop.set()
            return
    stop.set()  # the window went away: stop, keeping the best so far


def _json_line(event: dict[str, Any]) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)


def _print_event(event: dict[str, Any]) -> None:
    kind = event["event"]
    if kind == "stage":
        print(event["message"], file=sys.stderr, flush=True)
    elif kind == "data":
        extra = f"{event['spans']} spans" if "spans" in event else f"{event['claims']} claims"
        print(f"{event['task']}: {event['train']} training and {event['dev']} dev documents, {extra}",
              file=sys.stderr, flush=True)  # fmt: skip
    elif kind == "epoch":
        mark = " *" if event["best"] else ""
        line = (
            f"{event['task']} epoch {event['epoch']}/{event['max_epochs']}: loss {event['loss']:.1f}, "
            f"dev F1 {event['f']:.3f}{mark} ({event['seconds']:.0f} s)"
        )
        print(line, file=sys.stderr, flush=True)
    elif kind == "curve":
        shown = "not run (time budget)" if event["f"] is None else f"dev F1 {event['f']:.3f}"
        print(f"{event['task']} curve {event['fraction']:.0%} ({event['documents']} documents): {shown}",
              file=sys.stderr, flush=True)  # fmt: skip
    elif kind == "skipped":
        print(f"skipping {event['task']}: {event['reason']}", file=sys.stderr, flush=True)
