"""Replacing unreviewed suggestions when pre-annotating again with another model.

Pre-annotating with a trained model used to add its suggestions beside the stock model's
unreviewed ones ("Germany GPE? GPE?"). With replacement on, before a batch's suggestions
are stored, the suggestions of its documents that are still unreviewed (status
``suggested``) and came from another origin than the run's are removed, in the same
transaction: a cancelled run never leaves a document with neither. Only what the run
suggests is replaced (claims only when it suggests claims). Never touched: accepted and
rejected work (an edited suggestion is accepted), a suggested span that a claim left in
place names as its source, and a suggestion whose entity link the analyst decided
(a link accepted or rejected). Each removal is recorded in ``replaced_suggestions``
(schema m010): the row as it was (JSON), its origin, the origin that replaced it, who ran
the pre-annotation and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from storage.repository import Repository, now


def replace_unreviewed(
    repo: Repository, doc_ids: Iterable[int], keep_origins: Iterable[str], claims: bool, replaced_by: str
) -> dict[str, int]:
    """Remove the unreviewed suggestions of ``doc_ids`` whose origin is not in
    ``keep_origins`` (entities; claims too when ``claims``), recording each with
    ``replaced_by`` and ``repo.annotator``. Joins the caller's transaction. Returns
    ``{"spans_replaced": n, "claims_replaced": m}``."""
    ids = list(dict.fromkeys(doc_ids))
    keep = sorted(set(keep_origins))
    if not ids:
        return {"spans_replaced": 0, "claims_replaced": 0}
    docs, origins = ",".join("?" * len(ids)), ",".join("?" * len(keep)) or "NULL"
    unreviewed = f"doc_id IN ({docs}) AND status = 'suggested' AND origin NOT IN ({origins})"
    decided_link = "SELECT 1 FROM {links} l WHERE l.{column} = {table}.id AND l.status != 'suggested'"
    claims_sql = (
        f"SELECT * FROM claims WHERE {unreviewed} AND NOT EXISTS "
        f"({decided_link.format(links='claim_sources', column='claim_id', table='claims')})"
    )
    spans_sql = (
        f"SELECT * FROM spans WHERE {unreviewed} AND NOT EXISTS "
        f"({decided_link.format(links='span_links', column='span_id', table='spans')}) "
        "AND NOT EXISTS (SELECT 1 FROM link_rejections r WHERE r.span_id = spans.id)"
    )
    sources_sql = f"SELECT id, source_span_id FROM claims WHERE doc_id IN ({docs}) AND source_span_id > 0"
    with repo.transaction():
        claim_rows = _rows(repo, claims_sql, [*ids, *keep]) if claims else []
        removed_claims = {row["id"] for row in claim_rows}
        # a span named as the source of a claim that stays (reviewed or not replaced) stays
        sources = {span for claim, span in repo.db.execute(sources_sql, ids) if claim not in removed_claims}
        span_rows = [row for row in _rows(repo, spans_sql, [*ids, *keep]) if row["id"] not in sources]
        stamp = now()
        repo.db.conn.executemany(
            "INSERT INTO replaced_suggestions (kind, item_id, doc_id, origin, replaced_by, annotator, "
            "removed, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(kind, row["id"], row["doc_id"], row["origin"], replaced_by, repo.annotator, stamp,
              json.dumps(row, ensure_ascii=False, sort_keys=True))
             for kind, rows in (("span", span_rows), ("claim", claim_rows)) for row in rows],
        )  # fmt: skip
        for table, links, column, rows in (
            ("claims", "claim_sources", "claim_id", claim_rows),
            ("spans", "span_links", "span_id", span_rows),
        ):
            gone = [(row["id"],) for row in rows]
            repo.db.conn.executemany(f"DELETE FROM {links} WHERE {column} = ?", gone)
            repo.db.conn.executemany(f"DELETE FROM {table} WHERE id = ?", gone)
    return {"spans_replaced": len(span_rows), "claims_replaced": len(claim_rows)}


def replaced_suggestions(repo: Repository, doc_id: int) -> list[dict]:
    """The removals recorded for ``doc_id``, oldest first: ``kind`` (span, claim),
    ``item_id``, ``origin``, ``replaced_by``, ``annotator``, ``removed`` and ``record``
    (the row as it was, a dict)."""
    rows = _rows(repo, "SELECT * FROM replaced_suggestions WHERE doc_id = ? ORDER BY id", [doc_id])
    for row in rows:
        row["record"] = json.loads(row["record"])
    return rows


def _rows(repo: Repository, sql: str, args: list) -> list[dict]:
    cursor = repo.db.execute(sql, args)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
