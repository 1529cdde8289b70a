"""The export driver: options, the report, temporary files renamed into place, and the
loop that streams documents from the repository into one format writer.

A background worker calls ``export_corpus(path, options, progress, cancelled)`` with the
database path (it then opens its own connection and reads one consistent snapshot);
``progress(done, total, message)`` is called every few documents and ``cancelled()`` is
polled before each document. Nothing appears at the output path unless the whole export
succeeded: a cancelled, failed or ``strict`` export with problems leaves the previous
file, if any, as it was.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from models.annotation import Claim, Span, Status
from models.document import DocStatus, Document
from storage.repository import Repository
from storage.schema import DatabaseError, explain, is_database_file, missing_database

FORMATS = ("spacy", "jsonl", "conll", "claims", "entities", "patterns")
# Formats of the canonical entities themselves, written from the repository in one pass
# (storage/exporters/entities.py) rather than document by document.
ENTITY_FORMATS = ("entities", "patterns")
STATUS_CHOICES = ("accepted", "all")
DOCS_CHOICES = ("all", "done")
PROGRESS_EVERY = 25

Progress = Callable[[int, int, str], None]
ExportItem = tuple[Document, list[Span], list[Claim], dict[int, Span]]


class ExportError(Exception):
    """An export that cannot start or cannot write its files (one line, for the user)."""


@dataclass(frozen=True)
class ExportOptions:
    format: str
    out: Path
    status: str = "accepted"  # "accepted": reviewed, accepted work only; "all": every status
    docs: str = "all"  # "all" documents, or only those marked "done"
    dev_fraction: float | None = None  # spacy only: share of documents in dev.spacy
    seed: int = 0
    strict: bool = False  # any problem: write nothing

    def __post_init__(self) -> None:
        object.__setattr__(self, "out", Path(self.out))

    @property
    def span_status(self) -> Status | None:
        return Status.ACCEPTED if self.status == "accepted" else None

    @property
    def doc_status(self) -> DocStatus | None:
        """The documents exported: only those marked done when asked, and always for
        CoNLL, which has no missing value for the tokens of unfinished documents."""
        return DocStatus.DONE if self.docs == "done" or self.format == "conll" else None

    def check(self, database: str | Path | None = None) -> None:
        """Raise ExportError for options that do not go together, or for a target that
        is the ``database`` being exported (or one of its -wal/-shm/-journal files)."""
        if self.format not in FORMATS:
            raise ExportError(f"unknown format {self.format!r}; use one of {', '.join(FORMATS)}")
        if self.status not in STATUS_CHOICES:
            raise ExportError(f"unknown status {self.status!r}; use accepted or all")
        if self.docs not in DOCS_CHOICES:
            raise ExportError(f"unknown document choice {self.docs!r}; use all or done")
        if self.format == "conll" and self.status != "accepted":
            raise ExportError(
                "conll tags cannot carry a status; use --status accepted, "
                "or --format jsonl to export suggestions and rejections"
            )
        if self.dev_fraction is not None:
            if self.format != "spacy":
                raise ExportError("--dev-fraction applies to --format spacy only")
            if problem := dev_fraction_problem(self.dev_fraction):
                raise ExportError(problem)
            if self.out.exists() and not self.out.is_dir():
                raise ExportError(f"{self.out} is a file; with --dev-fraction --out names a folder")
        elif self.out.is_dir():
            raise ExportError(
                f"{self.out} is a folder; give a file name such as {self.out / ('corpus.' + self.format)}"
            )
        elif self.out.exists() and not self.out.is_file():
            raise ExportError(f"{self.out} is not a regular file (a device or socket?); choose a file name")
        if database is not None:
            for target in self.targets().values():
                if is_database_file(target, database):
                    raise ExportError(
                        f"{target} is the database being exported ({database}) or one of its "
                        "files; writing there would destroy it: choose another file name"
                    )

    def targets(self) -> dict[str, Path]:
        """The files this export writes, by role."""
        if self.dev_fraction is not None:
            return {"train": self.out / "train.spacy", "dev": self.out / "dev.spacy"}
        return {"main": self.out}


@dataclass(frozen=True)
class ExportProblem:
    """An annotation that is not in the exported file as it is in the database."""

    doc_id: int
    title: str
    start: int
    end: int
    text: str
    label: str
    reason: str

    def __str__(self) -> str:
        return (
            f"document {self.doc_id} ({self.title!r}): {self.label} {self.start}-{self.end} "
            f"{self.text!r}: {self.reason}"
        )


@dataclass
class ExportReport:
    format: str
    files: list[Path] = field(default_factory=list)  # written, renamed into place
    documents: int = 0
    spans_by_label: Counter[str] = field(default_factory=Counter)
    spans_by_status: Counter[str] = field(default_factory=Counter)
    entities: int = 0  # spans written as doc.ents or IOB entities
    claims: int = 0
    documents_with_claims: int = 0
    split: dict[str, int] = field(default_factory=dict)  # documents per file (spacy split)
    problems: list[ExportProblem] = field(default_factory=list)
    overlaps: list[ExportProblem] = field(default_factory=list)  # in doc.spans only, not doc.ents
    removed: list[Path] = field(default_factory=list)  # temporary files of killed exports
    unreadable: list[int] = field(default_factory=list)  # documents a damaged file lost
    complete_documents: int = 0  # marked done: tokens outside entities are O
    partial_documents: int = 0  # not done: tokens outside entities are missing
    missing_tokens: int = 0  # tokens written as missing (spaCy ent_iob_ "")
    left_out_not_done: int = 0  # documents not written because they are not done (CoNLL)
    sentences_left_out: int = 0  # CoNLL sentences with a token whose tag is unknown
    cancelled: bool = False
    failed: str = ""  # why nothing was written

    def count_span(self, span: Span) -> None:
        self.spans_by_label[span.label] += 1
        self.spans_by_status[Status(span.status).value] += 1

    def count_document(self, complete: bool, missing_tokens: int) -> None:
        """One document written by the missing-value rule (``alignment.set_entities``)."""
        if complete:
            self.complete_documents += 1
        else:
            self.partial_documents += 1
        self.missing_tokens += missing_tokens

    def add_problem(self, document: Document, span: Span, reason: str) -> ExportProblem:
        found = ExportProblem(
            document.id or 0,
            document.title,
            span.start,
            span.end,
            document.text[span.start : span.end],
            span.label,
            reason,
        )
        self.problems.append(found)
        return found

    def summary_lines(self) -> list[str]:
        lines = []
        if self.cancelled:
            lines.append("export cancelled; no file was written")
        elif self.failed:
            lines.append(f"nothing written: {self.failed}")
        else:
            lines.append("wrote " + ", ".join(str(p) for p in self.files))
        split = f" ({', '.join(f'{k} {v}' for k, v in self.split.items())})" if self.split else ""
        with_claims = f" ({self.documents_with_claims} with claims)" if self.format == "claims" else ""
        lines.append(f"documents: {self.documents}{split}{with_claims}")
        total = sum(self.spans_by_label.values())
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.spans_by_status.items()))
        lines.append(f"spans: {total}" + (f" ({statuses})" if statuses else ""))
        lines.extend(f"  {label:<14}{count:>8}" for label, count in sorted(self.spans_by_label.items()))
        if self.format in ("spacy", "conll", *ENTITY_FORMATS):
            lines.append(f"entities: {self.entities}")
        lines.extend(self.rule_lines())
        if self.format in ("jsonl", "claims"):
            lines.append(f"claims: {self.claims}")
        if self.overlaps:
            lines.append(f"overlapping spans kept in doc.spans['sc'] but not doc.ents: {len(self.overlaps)}")
        lines.append(f"problems: {len(self.problems)}")
        if self.unreadable:
            shown = ", ".join(map(str, self.unreadable[:20])) + (" ..." if len(self.unreadable) > 20 else "")
            lines.append(
                f"the database is damaged: {len(self.unreadable)} document(s) could not be read "
                f"and are left out (ids {shown})"
            )
        if self.removed:
            lines.append(f"removed {len(self.removed)} temporary file(s) left by an interrupted export")
        return lines

    def rule_lines(self) -> list[str]:
        """Which missing-value rule was applied, and to how many documents."""
        from storage.exporters.alignment import RULE_COMPLETE, RULE_CONLL, RULE_MISSING

        if self.format == "spacy":
            return [
                f"{self.complete_documents} {RULE_COMPLETE}",
                f"{self.partial_documents} {RULE_MISSING}",
                f"missing tokens: {self.missing_tokens}",
            ]
        if self.format == "conll":
            return [
                f"{RULE_CONLL} ({RULE_COMPLETE}); left out {self.left_out_not_done} document(s) not done",
                f"sentences left out because a token's tag is unknown: {self.sentences_left_out}",
            ]
        if self.format == "jsonl":
            return [
                f'{self.complete_documents} documents marked done: answer "accept" (complete)',
                f'{self.partial_documents} documents not done: answer "ignore" '
                "(Prodigy trains nothing from them as O)",
            ]
        return []


# ".NAME.PID-XXXXXXXX.part": the temporary name of AtomicFile, and nothing else
_TEMP_NAME = re.compile(r"\..+\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.part")


class AtomicFile:
    """A file written under a hidden temporary name beside its target and renamed over
    it by ``commit``; ``discard`` removes the temporary file and leaves the target alone."""

    def __init__(self, target: Path) -> None:
        # a link is written through: the file it points to is replaced, the link stays
        self.target = target.resolve() if target.is_symlink() else target
        self.temp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part")
        self.handle: IO[Any] | None = None

    def open(self, mode: str = "w") -> IO[Any]:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if "b" in mode:
            self.handle = open(self.temp, mode)
        else:
            self.handle = open(self.temp, mode, encoding="utf-8", newline="\n")
        return self.handle

    def close(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()

    def commit(self) -> None:
        self.close()
        os.replace(self.temp, self.target)

    def discard(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.temp.unlink(missing_ok=True)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove from ``folder`` the temporary files (``.NAME.PID-XXXXXXXX.part``) of exports
    whose process is gone (killed before it could clean up); returns them. Files of any
    other name, and those of a running export, are left alone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder yet, or not readable: nothing of ours to find
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        if _process_running(int(match["pid"])):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _process_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    except OverflowError:  # no process has such an id
        return False
    return True


class FormatWriter(Protocol):
    def add(self, item: ExportItem) -> None: ...

    def finish(self) -> None:
        """Complete the temporary files (the driver then renames them into place)."""

    def close(self) -> None:
        """Release what the writer holds, finished or not."""


def export_corpus(
    source: Repository | str | Path,
    options: ExportOptions,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Export the corpus as ``options`` say; returns the report. Raises ExportError when
    the export cannot start (bad options, a target that is the database itself, no
    database) or a file cannot be written."""
    options.check(source.path if isinstance(source, Repository) else source)
    if isinstance(source, Repository):
        return _export(source, options, progress, cancelled)
    if problem := missing_database(source):
        raise ExportError(problem)
    try:
        repo = Repository(source)
    except DatabaseError as exc:
        raise ExportError(str(exc)) from None
    try:
        repo.check_integrity()  # a damaged file: export what can be read
        with repo.read_snapshot():
            return _export(repo, options, progress, cancelled)
    except sqlite3.DatabaseError as exc:
        raise ExportError(explain(exc, source)) from None
    finally:
        repo.close()


def _export(
    repo: Repository,
    options: ExportOptions,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ExportReport:
    doc_status = options.doc_status
    total = repo.export_document_count(doc_status)
    report = ExportReport(options.format)
    for folder in dict.fromkeys(path.parent for path in options.targets().values()):
        report.removed.extend(remove_stale_temp_files(folder))
    if options.format == "conll" and options.docs == "all":
        report.left_out_not_done = repo.export_document_count() - total
    files = {role: AtomicFile(path) for role, path in options.targets().items()}
    try:
        if options.format in ENTITY_FORMATS:
            from storage.exporters.entities import write_entities

            write_entities(repo, options.format, files["main"], report)
            files["main"].commit()
            report.files.append(files["main"].target)
            return report
        writer = _make_writer(options, files, report, repo)
        with closing(writer):
            unreadable = report.unreadable if repo.damage else None
            items = repo.iter_export(options.span_status, doc_status, unreadable=unreadable)
            for done, item in enumerate(items):
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total, item[0].title)
                writer.add(item)
                report.documents += 1
            else:
                writer.finish()
        if report.cancelled:
            _discard(files)
            return report
        if options.strict and report.problems:
            report.failed = f"{len(report.problems)} problem(s) and --strict"
            _discard(files)
        else:
            for file in files.values():
                file.commit()
                report.files.append(file.target)
    except OSError as exc:
        _discard(files)
        raise ExportError(f"cannot write {options.out}: {exc.strerror or exc}") from None
    except BaseException:
        _discard(files)
        raise
    if progress is not None:
        progress(total, total, "")
    return report


def _discard(files: dict[str, AtomicFile]) -> None:
    for file in files.values():
        file.discard()


def _make_writer(
    options: ExportOptions, files: dict[str, AtomicFile], report: ExportReport, repo: Repository
) -> FormatWriter:
    if options.format == "spacy":
        from storage.exporters.docbin import SpacyWriter

        dev_ids: set[int] = set()
        if options.dev_fraction:
            doc_status = options.doc_status
            doc_ids = repo.document_ids(doc_status.value if doc_status else None)
            dev_ids = dev_split(doc_ids, options.dev_fraction, options.seed)
        return SpacyWriter(
            files, report, dev_ids, with_all_statuses=options.status == "all", links=repo.entities
        )
    if options.format == "jsonl":
        from storage.exporters.jsonl import JsonlWriter

        return JsonlWriter(files["main"], report, links=repo.entities)
    if options.format == "conll":
        from storage.exporters.conll import ConllWriter

        return ConllWriter(files["main"], report)
    from storage.exporters.claims import ClaimsWriter

    return ClaimsWriter(files["main"], report, links=repo.entities)


def dev_fraction_problem(fraction: float) -> str | None:
    """Why ``fraction`` cannot be a dev share (``None`` when it can): the dev and the
    training part must each get documents, so 0 and 1 are both refused."""
    if 0 < fraction < 1:
        return None
    return f"--dev-fraction must be more than 0 and less than 1 (a share of the documents), not {fraction:g}"


def dev_split(doc_ids: list[int], fraction: float, seed: int) -> set[int]:
    """The documents that go to dev: ``fraction`` of them, at least one and never all
    (a lone document trains), chosen by ``seed`` so that a rerun splits the same way."""
    count = min(max(1, round(fraction * len(doc_ids))), len(doc_ids) - 1)
    if count <= 0:
        return set()
    return set(random.Random(seed).sample(sorted(doc_ids), count))
