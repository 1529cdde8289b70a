"""Quire: the GUI by default, headless sub-commands for scripts (see docs/DESIGN.md).

    python main.py [--db PATH]
    python main.py import      --db PATH FILE_OR_DIR...
    python main.py preannotate --db PATH [--model NAME_OR_PATH] [--docs all|ID,ID...]
    python main.py export      --db PATH --format spacy|jsonl|conll|claims --out PATH ...
    python main.py train       --db PATH --out DIR [--task ner|claims|all] [--base NAME_OR_PATH] ...
    python main.py stats       --db PATH [--json]
    python main.py entities    --db PATH [--json]
    python main.py link        --db PATH [--docs all|ID,ID...]

Errors exit with code 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from typing import NoReturn

EXIT_USAGE = 2


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def _open_repository(path: str, must_exist: bool = False, writing: str = ""):
    """The repository at ``path``, checked (``quick_check``); ``writing`` names what the
    command will write, and a read-only or damaged file is then refused (CliError)."""
    from storage.repository import Repository
    from storage.schema import DatabaseError, missing_database

    if must_exist and (problem := missing_database(path)):
        raise CliError(problem)
    try:
        repo = Repository(path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from None
    repo.check_integrity()
    if writing and repo.read_only_reason:
        repo.close()
        raise CliError(f"cannot {writing} {path}: {repo.read_only_reason}; nothing was written")
    return repo


def cmd_import(args: argparse.Namespace) -> int:
    from storage.formats.records import ImportOptions
    from storage.importers import import_paths

    repo = _open_repository(args.db, writing="import into")

    def progress(done: int, total: int, name: str) -> None:
        if name and not args.quiet:
            print(f"[{done + 1}/{total}] {name}", file=sys.stderr)

    try:
        options = ImportOptions(as_suggestions=args.as_suggestions)
    except ValueError as exc:  # a malformed resources/label_map.toml
        raise CliError(str(exc)) from None
    report = import_paths(repo, args.paths, progress=progress, options=options)
    for line in report.lines():
        print(line, file=sys.stderr)
    print(report.summary())
    if report.stopped:
        print(f"error: {report.stopped}", file=sys.stderr)
        return EXIT_USAGE
    if report.problems and not report.imported and not report.duplicates:
        return EXIT_USAGE
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    repo = _open_repository(args.db, must_exist=True)
    stats = repo.stats()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, sort_keys=True))
    else:
        _print_stats(stats)
    if repo.damage:
        print(f"error: {args.db}: {repo.read_only_reason}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _print_stats(stats: dict) -> None:
    print(f"documents: {stats['documents']['total']}  " + _pairs(stats["documents"]["by_status"]))
    print(f"spans:     {stats['spans']['total']}  " + _pairs(stats["spans"]["by_status"]))
    for label, count in stats["spans"]["by_label"].items():
        print(f"  {label:<12}{count:>8}")
    print(f"claims:    {stats['claims']['total']}  " + _pairs(stats["claims"]["by_status"]))
    print("annotators (documents done, spans accepted / rejected, claims accepted):")
    for name, counts in stats["by_annotator"].items():
        print(f"  {name or '(none)':<20}{counts['documents_done']:>8}{counts['spans_accepted']:>8}"
              f"{counts['spans_rejected']:>8}{counts['claims_accepted']:>8}")  # fmt: skip
    print("sources (documents, done):")
    for name, counts in stats["by_source"].items():
        print(f"  {name or '(none)':<20}{counts['documents']:>8}{counts['done']:>8}")
    print("done per day:")
    for day, count in stats["done_per_day"].items():
        print(f"  {day:<20}{count:>8}")


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def cmd_gui(args: argparse.Namespace) -> int:
    if args.model is not None and not args.model.strip():  # it used to mean the default, silently
        print("error: --model is empty; give a model name or folder, or leave --model out for the default "
              "pipeline", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    from gui.app import run_gui

    return run_gui(db_path=args.db, model=args.model)


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes end like every other error: one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message}; see: python {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="main.py", description="Quire annotation workbench")
    parser.add_argument("--db", help="database file (default: the app data folder)")
    parser.add_argument("--model", help="spaCy model name or path for suggestions")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser)

    p = sub.add_parser(
        "import",
        help="import .txt/.md/.jsonl files or folders, news pages (.html), feeds (.rss/.atom/.xml), "
        "spaCy .spacy, CoNLL/IOB/BILUO, brat (.txt+.ann), doccano .jsonl, Label Studio .json",
    )
    p.add_argument("--db", required=True)
    p.add_argument("--quiet", action="store_true", help="no per-file progress")
    p.add_argument(
        "--as-suggestions",
        action="store_true",
        help="annotations of other tools' formats arrive as suggestions to review (default: accepted)",
    )
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("stats", help="counts of documents, spans and claims")
    p.add_argument("--db", required=True)
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.set_defaults(func=cmd_stats)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


def _register_preannotate(sub: argparse._SubParsersAction) -> None:
    from storage.preannotate import add_cli

    add_cli(sub)


def _register_export(sub: argparse._SubParsersAction) -> None:
    from storage.exporters.cli import add_cli

    add_cli(sub)


def _register_entities(sub: argparse._SubParsersAction) -> None:
    from storage.entity_cli import add_cli

    add_cli(sub)


def _register_train(sub: argparse._SubParsersAction) -> None:
    from storage.training import add_cli

    add_cli(sub)


_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _register_preannotate,
    _register_export,
    _register_entities,
    _register_train,
]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted; finished work is saved", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (``| head``): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        line = _database_problem(exc, getattr(args, "db", None))
        if line is None:
            raise
        print(f"error: {line}", file=sys.stderr)
        return EXIT_USAGE


def _database_problem(exc: Exception, db: str | None) -> str | None:
    """One line for a database that failed under a command (locked for longer than the
    busy timeout, damaged, read-only), or ``None`` for any other exception."""
    if isinstance(exc, sqlite3.Error):
        from storage.schema import explain

        return explain(exc, db or "the database") + "; work finished before this is saved"
    schema = sys.modules.get("storage.schema")
    if schema is not None and isinstance(exc, schema.DatabaseError):
        return str(exc)
    return None


if __name__ == "__main__":
    sys.exit(main())
