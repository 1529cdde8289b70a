"""Reading articles from files into the repository.

Formats: ``.txt``/``.md`` (first non-empty line = title, trailing ``source ...`` line =
source), ``.jsonl`` (one object per line: ``text`` required; ``title``, ``meta``,
``source``, ``published``, ``language`` optional; Quire's own JSONL export adds ``spans``
and ``claims``, which are read back by ``storage.exporters.jsonl``), folders recursively.
Other tools' formats (news pages, feeds, DocBin, CoNLL, brat, doccano, Label Studio) are
read by the registry in ``storage.formats`` into records of the same shape.

Bad input never raises: each problem becomes one line in the report naming the file (and
line), and the rest of the batch still imports. Nothing stored before is changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.document import Document, normalise_newlines, parse_plain_article
from storage import formats
from storage.formats.records import ImportOptions, to_record
from storage.repository import Repository
from storage.schema import DatabaseError, explain

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | formats.SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (where, doc id)
    duplicates: list[str] = field(default_factory=list)  # where ("path" or "path:line")
    problems: list[ImportProblem] = field(default_factory=list)  # refused
    warnings: list[ImportProblem] = field(default_factory=list)  # imported, with a caveat
    cancelled: bool = False
    stopped: str = ""  # why the database refused the batch part-way (locked, damaged, read-only)
    not_imported: list[str] = field(default_factory=list)  # files not imported because of that

    def summary(self) -> str:
        text = f"imported {len(self.imported)} document(s)"
        if self.duplicates:
            text += f", skipped {len(self.duplicates)} already in the database"
        if self.problems:
            text += f", refused {len(self.problems)}"
        if self.warnings:
            text += f", {len(self.warnings)} warning(s)"
        if self.stopped:
            text += f"; stopped: {len(self.not_imported)} file(s) not imported"
        return text + (" (cancelled)" if self.cancelled else "")

    def lines(self) -> list[str]:
        """One line per skipped, refused or doubtful item, for the CLI and the GUI summary."""
        return (
            [f"{where}: already in the database, skipped" for where in self.duplicates]
            + [str(p) for p in self.problems]
            + [f"{p} (warning)" for p in self.warnings]
            + [f"{path}: not imported (the import stopped)" for path in self.not_imported]
        )


Progress = Callable[[int, int, str], None]


def collect_files(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Expand folders (recursively, skipping hidden entries) into supported files."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(child)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES or formats.format_for(path):
                files.append(path)
            else:
                report.problems.append(ImportProblem(
                    str(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"use .txt, .md, .jsonl or {formats.FILE_PATTERNS.replace('*', '')}"))  # fmt: skip
        else:
            report.problems.append(ImportProblem(str(path), "no such file or folder"))
    return files


def import_paths(
    repo: Repository,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import files and folders; one transaction per file. ``options``: annotations of
    other tools' formats as suggestions, and their label map (default: accepted, the
    ``[import]`` table of ``resources/label_map.toml``)."""
    report = ImportReport()
    options = options or ImportOptions()
    files = collect_files(paths, report)
    for number, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(number, len(files), str(path))
        try:
            import_file(repo, path, report, options)  # one transaction: all of the file or nothing
        except (sqlite3.DatabaseError, DatabaseError) as exc:
            # the database, not the file: every later file would fail the same way
            reason = explain(exc, repo.path) if isinstance(exc, sqlite3.Error) else str(exc)
            report.not_imported = [str(p) for p in files[number:]]
            report.stopped = (
                f"{reason}: stopped at {path}, {len(report.not_imported)} file(s) not imported; "
                "run the same import again later (documents already stored are skipped)"
            )
            break
    if options.unknown_labels_line():
        report.warnings.append(ImportProblem("labels", options.unknown_labels_line()))
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), "")
    return report


def read_text_file(path: Path) -> str:
    """The file's text, or ValueError with a one-line reason (size, empty, binary,
    not UTF-8). UTF-8 only: other encodings are reported, never guessed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(
            f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit; split it"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("file is empty")
    if b"\x00" in data[:8192]:
        raise ValueError("file looks binary (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8 and import it again"
        ) from None


def import_file(
    repo: Repository, path: Path, report: ImportReport, options: ImportOptions | None = None
) -> None:
    name = formats.format_for(path)
    if name is not None:
        _import_format(repo, path, name, report, options or ImportOptions())
        return
    try:
        raw = read_text_file(path)
    except (OSError, ValueError) as exc:
        report.problems.append(ImportProblem(str(path), _reason(exc)))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        _import_jsonl(repo, path, raw, report)
        return
    try:
        article = parse_plain_article(raw)
    except ValueError as exc:
        report.problems.append(ImportProblem(str(path), str(exc)))
        return
    doc = Document(title=article.title, text=article.text, source=article.source,
                   published=article.published, meta={"file": path.name})  # fmt: skip
    _store(repo, [(str(path), doc, None)], report)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read the file ({exc.strerror or exc})"
    return str(exc)


def _import_jsonl(repo: Repository, path: Path, raw: str, report: ImportReport) -> None:
    batch: list[tuple[str, Document, dict[str, Any] | None]] = []
    for number, line in enumerate(normalise_newlines(raw).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc = document_from_record(record)
        except json.JSONDecodeError as exc:
            report.problems.append(
                ImportProblem(str(path), f"malformed JSON ({exc.msg}, column {exc.colno})", number)
            )
            continue
        except ValueError as exc:
            report.problems.append(ImportProblem(str(path), str(exc), number))
            continue
        batch.append((f"{path}:{number}", doc, record))
    _store(repo, batch, report)


def _import_format(
    repo: Repository, path: Path, name: str, report: ImportReport, options: ImportOptions
) -> None:
    """One file of another tool's format, stored like a file of Quire JSONL records."""
    context = formats.ReadContext(read_text_file, MAX_FILE_BYTES)
    batch: list[tuple[str, Document, dict[str, Any] | None]] = []
    for item in formats.read(name, path, context):
        if isinstance(item, formats.ReadProblem):
            report.problems.append(ImportProblem(item.where, item.message))
            continue
        record = to_record(item, name, options)
        report.warnings.extend(ImportProblem(item.where, warning) for warning in item.warnings)
        try:
            batch.append((item.where, document_from_record(record), record))
        except ValueError as exc:
            report.problems.append(ImportProblem(item.where, str(exc)))
    _store(repo, batch, report)


def document_from_record(record: Any) -> Document:
    """A Document from one JSONL object; ValueError names what is wrong."""
    if not isinstance(record, dict):
        raise ValueError('each line must be a JSON object with a "text" field')
    try:  # JSON escapes can spell unpaired surrogates, which no UTF-8 text can hold
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired surrogate escape (\\ud800-\\udfff); fix the line") from None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text" field')
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError('"meta" must be an object')
    text = normalise_newlines(text)
    title = record.get("title") or meta.get("title") or text.strip().split("\n")[0][:80]
    return Document(
        title=str(title),
        text=text,
        source=str(record.get("source") or meta.get("source") or ""),
        published=str(record.get("published") or meta.get("published") or ""),
        language=str(record.get("language") or meta.get("language") or "en"),
        meta={k: v for k, v in meta.items() if k not in {"title", "source", "published", "doc_id"}},
    )


def _store(
    repo: Repository,
    batch: list[tuple[str, Document, dict[str, Any] | None]],
    report: ImportReport,
) -> None:
    """Store one file's documents in one transaction (annotations of Quire's own JSONL
    export come back with their documents)."""
    from storage.exporters.alignment import ExportTokenizer
    from storage.exporters.jsonl import restore_annotations, unaligned_spans

    tokenizer = ExportTokenizer()  # this thread's own spaCy objects, made on first use
    with repo.transaction():
        for where, doc, record in batch:
            doc_id = repo.add_documents([doc])[0]
            if doc_id is None:
                report.duplicates.append(where)
                continue
            report.imported.append((where, doc_id))
            if record is not None:
                problems = restore_annotations(repo, doc_id, doc.text, record)
                report.problems.extend(ImportProblem(where, problem) for problem in problems)
                if record.get("spans"):
                    warnings = unaligned_spans(tokenizer(doc), repo.spans(doc_id))
                    report.warnings.extend(ImportProblem(where, warning) for warning in warnings)
