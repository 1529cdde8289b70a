"""The ``entities`` and ``link`` sub-commands of ``main.py``.

    python main.py entities --db PATH [--json] [--label LABEL] [--search TEXT]
    python main.py link     --db PATH [--docs all|ID,ID...] [--no-create]

Errors: exit code 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys

from storage.preannotate import PreannotateError, parse_doc_ids
from storage.repository import Repository
from storage.schema import DatabaseError, missing_database

EXIT_USAGE = 2
_PAGE = 500


def add_cli(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "entities",
        help="list canonical entities with their documents, mentions and claims",
        description="List canonical entities (name, label, aliases, external id) with the "
        "number of documents and mentions linked to them and of claims they are the source of.",
    )
    p.add_argument("--db", required=True, help="database file")
    p.add_argument("--json", action="store_true", help="one JSON object per line on stdout")
    p.add_argument("--label", help="only entities of this label")
    p.add_argument("--search", default="", help="only entities a name or alias of which starts so")
    p.set_defaults(func=cmd_entities)

    p = sub.add_parser(
        "link",
        help="suggest canonical entities for spans across the corpus (headless)",
        description="Suggest a canonical entity for every unlinked span by normalised name "
        "(case, diacritics, hyphens, apostrophes, articles, known aliases), creating entities "
        "for new names, and let pronoun sources follow their antecedent's entity. Accepted "
        "and rejected links are never changed.",
    )
    p.add_argument("--db", required=True, help="database file")
    p.add_argument("--docs", default="all", help="'all' (default) or document ids: 3,7,12")
    p.add_argument("--no-create", action="store_true", help="only suggest entities that exist")
    p.set_defaults(func=cmd_link)


def _open(path: str) -> Repository:
    if problem := missing_database(path):
        raise DatabaseError(problem)
    return Repository(path)


def cmd_entities(args: argparse.Namespace) -> int:
    try:
        repo = _open(args.db)
        try:
            store = repo.entities
            ids = [row[0] for row in store.entity_ids(args.search, args.label)]
            for first in range(0, len(ids), _PAGE):
                rows = store.rows(ids[first : first + _PAGE])
                for entity_id in ids[first : first + _PAGE]:
                    _print_row(rows[entity_id], args.json)
        finally:
            repo.close()
    except (DatabaseError, sqlite3.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not ids and not args.json:
        print("no canonical entities yet; run: python main.py link --db " + args.db, file=sys.stderr)
    return 0


def _print_row(row, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "id": row.id, "name": row.name, "label": row.label, "aliases": list(row.aliases),
            "external_id": row.external_id, "documents": row.documents, "mentions": row.mentions,
            "suggested_mentions": row.suggested, "claims": row.claims,
        }, ensure_ascii=False))  # fmt: skip
        return
    aliases = f"  (also: {', '.join(row.aliases)})" if row.aliases else ""
    external = f"  [{row.external_id}]" if row.external_id else ""
    print(f"{row.id:>6}  {row.label:<8} {row.name}{external}{aliases}\n"
          f"        {row.documents} document(s), {row.mentions} mention(s) ({row.suggested} suggested), "
          f"{row.claims} claim(s)")  # fmt: skip


def cmd_link(args: argparse.Namespace) -> int:
    try:
        doc_ids = parse_doc_ids(args.docs)
        repo = _open(args.db)
        try:
            report = repo.entities.suggest_links(doc_ids, create=not args.no_create)
        finally:
            repo.close()
    except (PreannotateError, DatabaseError, sqlite3.Error) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary())
    return 0
