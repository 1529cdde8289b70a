"""The ``export`` sub-command of ``main.py``.

    python main.py export --db PATH --format spacy|jsonl|conll|claims --out PATH
                          [--status accepted|all] [--dev-fraction F --seed N]
                          [--docs done|all] [--strict]

Exit codes: 0 written; 1 nothing written because ``--strict`` found problems; 2 the
export could not run (one line on stderr says why and what to do).
"""

from __future__ import annotations

import argparse
import sys

from storage.exporters.base import (
    DOCS_CHOICES,
    FORMATS,
    STATUS_CHOICES,
    ExportError,
    ExportOptions,
    export_corpus,
)
from storage.schema import missing_database

EXIT_STRICT = 1
EXIT_USAGE = 2


def add_cli(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write the corpus as training data (spaCy DocBin, JSONL, CoNLL, claims)",
        description="Write the corpus as training data. Spans that do not align with the "
        "export tokenisation are listed as problems, never dropped silently. Exit codes: 0 "
        "written, 1 nothing written (--strict and problems), 2 the export could not run.",
    )
    p.add_argument("--db", required=True, help="database file")
    p.add_argument("--format", required=True, choices=FORMATS, help="output format")
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="output file; with --dev-fraction, a folder that receives train.spacy and dev.spacy",
    )
    p.add_argument(
        "--status",
        choices=STATUS_CHOICES,
        default="accepted",
        help="accepted: only reviewed, accepted work (default); all: suggestions "
        "and rejections too, each with its status",
    )
    p.add_argument(
        "--docs",
        choices=DOCS_CHOICES,
        default="all",
        help="all documents (default), or only those marked done",
    )
    p.add_argument(
        "--dev-fraction",
        type=float,
        metavar="F",
        help="spacy only: put this share of the documents in dev.spacy, the rest in train.spacy",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the train/dev split: the same seed splits the same way (default 0)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="write nothing and exit 1 when any span cannot be exported as stored",
    )
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    options = ExportOptions(
        format=args.format,
        out=args.out,
        status=args.status,
        docs=args.docs,
        dev_fraction=args.dev_fraction,
        seed=args.seed,
        strict=args.strict,
    )
    show_progress = not args.quiet and sys.stderr.isatty()

    def progress(done: int, total: int, _title: str) -> None:
        if show_progress:
            print(f"\rexporting {done}/{total}", end="", file=sys.stderr, flush=True)

    if problem := missing_database(args.db):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = export_corpus(args.db, options, progress=progress)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if show_progress:
        print(file=sys.stderr)
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    for overlap in report.overlaps:
        print(f"note: {overlap}", file=sys.stderr)
    print("\n".join(report.summary_lines()))
    return EXIT_STRICT if report.failed else 0
