"""Reading articles from files into the repository.

Formats: ``.txt``/``.md`` (first non-empty line = title, trailing ``source ...`` line =
source), ``.jsonl`` (one object per line: ``text`` required; ``title``, ``meta``,
``source``, ``published``, ``language`` optional; Quire's own JSONL export adds ``spans``
and ``claims``, which are read back by ``storage.exporters.jsonl``), folders recursively.
Other tools' formats (news pages, feeds, DocBin, CoNLL, brat, doccano, Label Studio) are
read by the registry in ``storage.formats`` into records of the same shape.

Bad input never raises: each problem becomes one line in the report naming the file (and
line), and the rest of the batch still imports. Nothing stored before is changed.
Offsets given with a text refer to the text as given (``storage.text_offsets``).

Memory does not grow with the file: a JSONL file is read a line at a time and stored in
batches of ``BATCH_DOCUMENTS`` documents or ``BATCH_BYTES`` of input, one transaction per
batch (an interrupted import keeps whole batches; importing the file again skips them as
duplicates). A ``.txt``/``.md`` file, or one JSONL line, may be up to ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from models.document import Document, language_tag, parse_plain_article
from storage import formats
from storage.formats.brat import companion
from storage.formats.records import MIB, ImportOptions, over_limit, to_record
from storage.repository import Repository
from storage.schema import DatabaseError, explain
from storage.text_offsets import GivenText

if TYPE_CHECKING:
    from storage.exporters.alignment import ExportTokenizer

TEXT_SUFFIXES = {".txt", ".md"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | formats.SUFFIXES
MAX_FILE_BYTES = 20 * MIB  # a .txt/.md file, or one line of a JSONL file
BATCH_DOCUMENTS = 500
BATCH_BYTES = 8 * MIB
_HEAD_BYTES = 8192  # where binary and UTF-16 files show themselves
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


class ImportedDocuments(Sequence[tuple[str, int]]):
    """``(where, doc id)`` of each imported document, ``where`` being ``"file"`` or
    ``"file:line"``. Held as integer arrays and the list of distinct files (about 24 bytes a
    document, against some 200 for a list of tuples of strings), so that the report of a
    large file does not make memory grow with it."""

    def __init__(self) -> None:
        self._files: list[str] = []
        self._file_numbers: dict[str, int] = {}
        self._refs = array("q")  # file number, line (0: none), doc id: three per document

    def append(self, item: tuple[str, int]) -> None:
        where, doc_id = item
        file, _, line = where.rpartition(":")
        if not (file and line.isdigit()):
            file, line = where, "0"
        number = self._file_numbers.setdefault(file, len(self._files))
        if number == len(self._files):
            self._files.append(file)
        self._refs.extend((number, int(line), doc_id))

    def __len__(self) -> int:
        return len(self._refs) // 3

    def __getitem__(self, index: int | slice):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("imported document index out of range")
        number, line, doc_id = self._refs[3 * index : 3 * index + 3]
        file = self._files[number]
        return (f"{file}:{line}" if line else file), doc_id

    def where_of(self, doc_id: int) -> str | None:
        """Where the document ``doc_id`` was read in this import, or None (ids grow as
        documents are stored: a binary search)."""
        at = bisect_left(range(len(self)), doc_id, key=lambda i: self._refs[3 * i + 2])
        return self[at][0] if at < len(self) and self._refs[3 * at + 2] == doc_id else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"ImportedDocuments({list(self)!r})"


@dataclass
class ImportReport:
    imported: ImportedDocuments = field(default_factory=lambda: ImportedDocuments())
    duplicates: list[str] = field(default_factory=list)  # where ("path" or "path:line")
    repeats: dict[str, str] = field(default_factory=dict)  # duplicate -> where this import read it first
    problems: list[ImportProblem] = field(default_factory=list)  # refused
    warnings: list[ImportProblem] = field(default_factory=list)  # imported, with a caveat
    cancelled: bool = False
    stopped: str = ""  # why the database refused the batch part-way (locked, damaged, read-only)
    not_imported: list[str] = field(default_factory=list)  # files not imported because of that

    def summary(self) -> str:
        text = f"imported {len(self.imported)} document(s)"
        if len(self.duplicates) > len(self.repeats):
            text += f", skipped {len(self.duplicates) - len(self.repeats)} already in the database"
        if self.repeats:
            text += f", skipped {len(self.repeats)} repeating a text read earlier in this import"
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
            [
                f"{where}: the same text as {self.repeats[where]}, skipped"
                if where in self.repeats
                else f"{where}: already in the database, skipped"
                for where in self.duplicates
            ]
            + [str(p) for p in self.problems]
            + [f"{p} (warning)" for p in self.warnings]
            + [f"{path}: not imported (the import stopped)" for path in self.not_imported]
        )


Progress = Callable[[int, int, str], None]
Batch = list[tuple[str, Document, dict[str, Any] | None]]


def display_path(path: str | Path) -> str:
    """``path`` as text that can be printed and stored: bytes of a file name that are not
    UTF-8 (Python keeps them as surrogate escapes) become U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# Files a folder scan leaves out (with a warning): a corpus folder's own notes and terms.
PROJECT_FILES = frozenset({"readme", "license", "licence", "changelog", "changes", "copying", "notice",
                           "authors", "contributing", "citation"})  # fmt: skip


def collect_files(paths: Iterable[str | Path], report: ImportReport) -> list[Path]:
    """Expand folders (recursively, skipping hidden entries and, with a warning, a
    folder's README, LICENSE and the like) into supported files; a path that gives
    nothing to import is one problem saying why."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            visible = [
                child
                for child in sorted(path.rglob("*"))
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)
            ]
            found = [child for child in visible if child.suffix.lower() in SUPPORTED_SUFFIXES]
            notes = [child for child in found if child.stem.lower() in PROJECT_FILES]
            for note in notes:  # a corpus folder's README is about the corpus, not an article
                report.warnings.append(ImportProblem(
                    display_path(note), f"not imported: {note.name} in a folder is taken for the folder's "
                    "own notes, not an article (import the file by name to keep it)"))  # fmt: skip
            found = [child for child in found if child not in notes]
            lone = [c for c in visible if c.suffix.lower() == ".ann" and not companion(c, ".txt").is_file()]
            for ann in lone:  # brat annotations whose text is missing: say so, never skip silently
                report.problems.append(ImportProblem(
                    display_path(ann), f"brat annotations without {ann.with_suffix('.txt').name} "
                    "beside them: not imported (brat needs the .txt and the .ann)"))  # fmt: skip
            if not found and not lone:
                report.problems.append(ImportProblem(display_path(path), _empty_folder(path)))
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES or formats.format_for(path):
                files.append(path)
            else:
                report.problems.append(ImportProblem(
                    display_path(path), f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"use .txt, .md, .jsonl or {formats.FILE_PATTERNS.replace('*', '')}"))  # fmt: skip
        elif path.exists():
            problem = "not a regular file (a device or socket?)"
            report.problems.append(ImportProblem(display_path(path), problem))
        else:
            report.problems.append(ImportProblem(display_path(path), "no such file or folder"))
    return files


def _empty_folder(path: Path) -> str:
    named = " (named like a file, but a folder)" if path.suffix.lower() in SUPPORTED_SUFFIXES else ""
    return f"a folder{named} with no visible file Quire can import in it (.txt, .md, .jsonl, ...)"


def import_paths(
    repo: Repository,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import files and folders: a text file in one transaction, a JSONL file in batches.
    ``options``: annotations of other tools' formats as suggestions, and their label map
    (default: accepted, the ``[import]`` table of ``resources/label_map.toml``)."""
    report = ImportReport()
    options = options or ImportOptions()
    files = collect_files(paths, report)
    for number, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(number, len(files), display_path(path))
        try:
            import_file(repo, path, report, options)  # whole transactions: a file, or batches of one
        except (sqlite3.DatabaseError, DatabaseError) as exc:
            # the database, not the file: every later file would fail the same way
            reason = explain(exc, repo.path) if isinstance(exc, sqlite3.Error) else str(exc)
            report.not_imported = [display_path(p) for p in files[number:]]
            report.stopped = (
                f"{reason}: stopped at {display_path(path)}, {len(report.not_imported)} file(s) "
                "not imported; run the same import again later (documents already stored are skipped)"
            )
            break
    if options.unknown_labels_line():
        report.warnings.append(ImportProblem("labels", options.unknown_labels_line()))
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), "")
    return report


def check_encoding(head: bytes) -> None:
    """Raise ValueError (one line) when the first bytes of a file show that it is not
    UTF-8 text: a UTF-16/UTF-32 byte-order mark, UTF-16 without one, or NUL bytes."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            raise ValueError(
                f"file is {name} (it starts with a {name} byte-order mark), not UTF-8; "
                "save it as UTF-8 and import it again"
            )
    nul = head.find(b"\x00")
    if nul < 0:
        return
    halves = head[0::2].count(0), head[1::2].count(0)
    if max(halves) > len(head) // 4 and min(halves) < len(head) // 40 + 1:
        raise ValueError(
            "file looks like UTF-16 without a byte-order mark (every other byte is NUL), not UTF-8; "
            "save it as UTF-8 and import it again"
        )
    raise ValueError(f"file looks binary (a NUL byte at offset {nul}), not text")


def read_text_file(path: Path) -> str:
    """The file's text, or ValueError with a one-line reason (size, empty, binary, UTF-16,
    a NUL byte anywhere, not UTF-8). UTF-8 only: other encodings are reported, never
    guessed."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(over_limit(size, MAX_FILE_BYTES))
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("file is empty")
    check_encoding(data[:_HEAD_BYTES])
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ValueError(f"file contains a NUL byte (line {line}, byte offset {nul}); it is not plain text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValueError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column}); "
            "convert the file to UTF-8 and import it again"
        ) from None


def import_file(
    repo: Repository, path: Path, report: ImportReport, options: ImportOptions | None = None
) -> None:
    name = formats.format_for(path)
    if name is not None:
        _import_format(repo, path, name, report, options or ImportOptions())
        return
    where = display_path(path)
    if path.suffix.lower() in JSONL_SUFFIXES:
        try:
            _import_jsonl(repo, path, report)
        except OSError as exc:
            report.problems.append(ImportProblem(where, _reason(exc)))
        return
    try:
        article = parse_plain_article(read_text_file(path))
    except (OSError, ValueError) as exc:
        report.problems.append(ImportProblem(where, _reason(exc)))
        return
    doc = Document(title=article.title, text=article.text, source=article.source,
                   published=article.published, meta={"file": display_path(path.name)})  # fmt: skip
    _store(repo, [(where, doc, None)], report, None)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read the file ({exc.strerror or exc})"
    return str(exc)


def _import_jsonl(repo: Repository, path: Path, report: ImportReport) -> None:
    """Read a line at a time; each bad line is one problem naming it, the others import."""
    from storage.exporters.alignment import ExportTokenizer

    where = display_path(path)
    tokenizer = ExportTokenizer()  # this thread's own spaCy objects, made on first use
    with open(path, "rb") as file:
        try:
            check_encoding(file.read(_HEAD_BYTES))
        except ValueError as exc:
            report.problems.append(ImportProblem(where, str(exc)))
            return
        file.seek(0)
        batch: Batch = []
        size = 0
        for number, data in _numbered_lines(file):
            if number == 1:
                data = data.removeprefix(codecs.BOM_UTF8)
            if not data.strip():
                continue
            try:
                record = parse_json_line(data)
                doc = document_from_record(record)
            except ValueError as exc:
                report.problems.append(ImportProblem(where, str(exc), number))
                continue
            batch.append((f"{where}:{number}", doc, record))
            size += len(data)
            if len(batch) >= BATCH_DOCUMENTS or size >= BATCH_BYTES:
                _store(repo, batch, report, tokenizer)
                batch, size = [], 0
        _store(repo, batch, report, tokenizer)


def _numbered_lines(file: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The file's lines (without their ``\n``/``\r\n``), numbered from 1; a line longer
    than ``MAX_FILE_BYTES`` is skipped unread and given as ``b"\0"`` plus its length, which
    ``parse_json_line`` refuses."""
    number = 0
    while True:
        line = file.readline(MAX_FILE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_FILE_BYTES and not line.endswith(b"\n"):
            length = len(line)
            while chunk := file.readline(MAX_FILE_BYTES):
                length += len(chunk)
                if chunk.endswith(b"\n"):
                    break
            yield number, _TOO_LONG + str(length).encode()
            continue
        yield number, line.rstrip(b"\n").removesuffix(b"\r")


_TOO_LONG = b"\x00too long:"


def parse_json_line(data: bytes) -> Any:
    """The JSON value of one line of a JSONL file; ValueError (one line) for a line that is
    too long, holds a NUL byte or a byte that is not UTF-8, is not JSON, or nests too deep."""
    if data.startswith(_TOO_LONG):
        length = int(data[len(_TOO_LONG) :])
        raise ValueError(over_limit(length, MAX_FILE_BYTES, "line"))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ValueError(f"contains a NUL byte (column {nul + 1}); not JSON text")
    try:
        line = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {exc.start + 1}); "
            "convert the file to UTF-8 and import it again"
        ) from None
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to be a document; flatten the line") from None


def _import_format(
    repo: Repository, path: Path, name: str, report: ImportReport, options: ImportOptions
) -> None:
    """One file of another tool's format, stored like a file of Quire JSONL records."""
    from storage.exporters.alignment import ExportTokenizer

    context = formats.ReadContext(read_text_file, MAX_FILE_BYTES)
    batch: Batch = []
    for item in formats.read(name, path, context):
        where = display_path(item.where)
        if isinstance(item, formats.ReadProblem):
            report.problems.append(ImportProblem(where, item.message))
            continue
        record = to_record(item, name, options)
        report.warnings.extend(ImportProblem(where, warning) for warning in item.warnings)
        try:
            batch.append((where, document_from_record(record), record))
        except ValueError as exc:
            report.problems.append(ImportProblem(where, str(exc)))
    _store(repo, batch, report, ExportTokenizer())


def document_from_record(record: Any) -> Document:
    """A Document from one JSONL object (its text as stored: ``GivenText``); ValueError
    names what is wrong."""
    if not isinstance(record, dict):
        raise ValueError('each line must be a JSON object with a "text" field')
    try:  # JSON escapes can spell unpaired surrogates, which no UTF-8 text can hold
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired surrogate escape (\\ud800-\\udfff); fix the line") from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to be a document; flatten the line") from None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text" field')
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError('"meta" must be an object')
    text = GivenText.of(text).text
    title = record.get("title") or meta.get("title") or text.strip().split("\n")[0][:80]
    return Document(
        title=str(title),
        text=text,
        source=str(record.get("source") or meta.get("source") or ""),
        published=str(record.get("published") or meta.get("published") or ""),
        language=language_tag(str(record.get("language") or meta.get("language") or "en")),
        meta={k: v for k, v in meta.items() if k not in {"title", "source", "published", "doc_id"}},
    )


def _store(repo: Repository, batch: Batch, report: ImportReport, tokenizer: ExportTokenizer | None) -> None:
    """Store a batch of documents in one transaction (annotations of Quire's own JSONL
    export come back with their documents; ``tokenizer`` checks their spans' edges)."""
    from storage.exporters.jsonl import restore_annotations, unaligned_spans

    if not batch:
        return
    with repo.transaction():
        for where, doc, record in batch:
            doc_id = repo.add_documents([doc])[0]
            if doc_id is None:
                report.duplicates.append(where)
                first = report.imported.where_of(repo.document_with_text(doc.text) or 0)
                if first is not None:
                    report.repeats[where] = first
                continue
            report.imported.append((where, doc_id))
            if record is not None:
                restored = restore_annotations(repo, doc_id, GivenText.of(record["text"]), record)
                report.problems.extend(ImportProblem(where, problem) for problem in restored.problems)
                report.warnings.extend(ImportProblem(where, warning) for warning in restored.warnings)
                if record.get("spans") and tokenizer is not None:
                    warnings = unaligned_spans(tokenizer(doc), repo.spans(doc_id))
                    report.warnings.extend(ImportProblem(where, warning) for warning in warnings)
