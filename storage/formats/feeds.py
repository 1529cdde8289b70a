"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``), read by feedparser from the file's
bytes (feedparser fetches only when handed a URL; it never is). One document per item:

- text: the item's full content (``content:encoded`` in RSS, ``<content>`` in Atom) as
  paragraphs separated by a blank line, turned from HTML into text by trafilatura; an item
  with only a summary (``<description>``, ``<summary>``) imports the summary, is marked
  ``meta["summary_only"] = true`` and gets a warning saying so;
- title, published (``YYYY-MM-DD`` of the item's published date, else its updated date),
  source = the feed's title; ``meta``: url (the item's link), author, id, feed, language.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, over_limit


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    import feedparser

    try:
        size = path.stat().st_size
        if size > context.max_bytes:
            raise ValueError(over_limit(size, context.max_bytes))
        feed = feedparser.parse(path.read_bytes(), resolve_relative_uris=False)
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read the file ({exc.strerror or exc})")
        return
    except ValueError as exc:
        yield ReadProblem(str(path), str(exc))
        return
    if not feed.version:
        reason = f" ({feed.bozo_exception})" if feed.get("bozo_exception") else ""
        yield ReadProblem(str(path), f"not an RSS or Atom feed{reason}")
        return
    if not feed.entries:
        yield ReadProblem(str(path), "the feed has no items")
        return
    for number, entry in enumerate(feed.entries, start=1):
        yield _item(f"{path}#item {number}", entry, feed.feed)


def _item(where: str, entry: Any, channel: Any) -> SourceDocument | ReadProblem:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value", "").strip()]
    summary = entry.get("summary", "")
    text = fragment_text(max(contents, key=len)) if contents else ""
    summary_only = not text
    if summary_only:
        text = fragment_text(summary) if summary.strip() else ""
    if not text:
        return ReadProblem(where, "the item has neither content nor a summary; nothing imported")
    date = entry.get("published_parsed") or entry.get("updated_parsed")
    doc = SourceDocument(
        where,
        text,
        title=entry.get("title", ""),
        source=channel.get("title", ""),
        published=time.strftime("%Y-%m-%d", date) if date else "",
        language=(channel.get("language") or "").split("-")[0].lower(),
        meta={
            "url": entry.get("link"),
            "author": entry.get("author"),
            "id": entry.get("id"),
            "feed": channel.get("title"),
            "summary_only": summary_only,
        },  # fmt: skip
    )
    if summary_only:
        doc.warnings.append("the item has a summary only; imported the summary (meta summary_only)")
    return doc


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (an item's content), paragraphs separated by a blank
    line."""
    from trafilatura import extract, html2txt

    page = f"<html><body><div>{html}</div></body></html>"
    text = extract(page, favor_recall=True, include_comments=False, include_links=False) or html2txt(page)
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
