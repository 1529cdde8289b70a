"""Saved news pages (``.html``/``.htm``, and ``.mhtml``/``.mht`` web archives): the
article's main text and its metadata, by trafilatura (chosen over readability-lxml: see
docs/DESIGN.md, Import).

- Web archives (what browsers write for "save as single file"): the first ``text/html``
  part, decoded from its transfer encoding by Python's ``email`` package, in the charset
  its MIME header names (as an HTTP header would); the archive's
  ``Snapshot-Content-Location`` is the URL when the page names no canonical one. The
  other parts (images, style sheets) are not read.
- Encoding: a byte-order mark, else the ``<meta charset>`` (or ``http-equiv``) declared in
  the first 1,024 bytes (as browsers look for it), else UTF-8. A page that does not
  decode as declared is refused with the byte and offset; nothing is guessed.
  ``iso-8859-1`` and ``us-ascii`` mean windows-1252, and a ``<meta>`` declaring UTF-16
  means UTF-8, as in browsers (a UTF-16 page has a BOM).
- Text: trafilatura's main text, without navigation, adverts, comments, cookie banners
  and tables of links; paragraphs separated by a blank line; a first paragraph that
  repeats the title is dropped (the title is the document's title).
- Fields: title; published = the publication date (``YYYY-MM-DD``; never guessed from
  a copyright line: htmldate's extensive search is off); source = site name, else host;
  ``meta``: author, site_name, url (canonical), description, categories, tags, file.
  The language is the page's ``<html lang>``.
- No network: the page is parsed from the file; trafilatura fetches nothing unless asked
  to download, and links and images are never followed (a test blocks sockets).
- A page whose main text is shorter than trafilatura's ``min_extracted_size`` (250
  characters) has no article: refused with one line saying so.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, over_limit

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# What browsers decode these labels as (the WHATWG Encoding Standard).
_BROWSER_CODEC = {"iso8859-1": "cp1252", "ascii": "cp1252"}
# A <meta> that declares UTF-16 means UTF-8 (WHATWG HTML, "prescan a byte stream"): a
# page the parser could read up to its <meta> as ASCII is not UTF-16 (a real one has a BOM).
_META_UTF16 = {"utf-16", "utf-16-le", "utf-16-be"}
_META_KEYS = ("author", "sitename", "url", "description", "categories", "tags")


def decode(data: bytes, transport: str = "") -> tuple[str, str]:
    """The page's text and the codec used: a BOM, else the ``transport`` charset (a MIME
    header's), else the page's ``<meta>`` declaration, else UTF-8. ValueError (one line)
    when the declared encoding is unknown or the bytes do not decode."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec), codec
    match = _DECLARED.search(data[:1024])
    declared = transport.lower() or (match.group(1).decode("ascii").lower() if match else "")
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            raise ValueError(
                f"the page declares charset {declared!r}, which is not a known encoding"
            ) from None
        codec = _BROWSER_CODEC.get(codec, codec)
        if codec in _META_UTF16 and not transport:
            codec = "utf-8"
    else:
        codec = "utf-8"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        said = f"declares {declared}" if declared else "declares no charset"
        raise ValueError(
            f"the page {said} but byte 0x{data[exc.start]:02x} at offset {exc.start} is not {codec}; "
            "save it again with its encoding declared"
        ) from None


@cache
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "extensive_date_search", "off")
    return config


def extract(html: str) -> tuple[Any, str] | None:
    """trafilatura's result for the page (text and metadata) and the ``<html lang>``;
    None when trafilatura finds no document at all."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    language = (tree.get("lang") or "").split("-")[0].lower()
    result = bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
        config=_config(),
    )
    return (result, language) if result is not None else None


def web_archive_page(data: bytes) -> tuple[bytes, str, str]:
    """The first HTML part of an MHTML archive: its bytes, its MIME charset ("" when
    none) and the archive's URL. ValueError when the archive holds no HTML part."""
    import email
    import email.policy

    archive = email.message_from_bytes(data, policy=email.policy.default)
    for part in archive.walk():
        if part.get_content_type() == "text/html":
            location = archive.get("Snapshot-Content-Location") or part.get("Content-Location") or ""
            return (
                part.get_payload(decode=True) or b"",
                part.get_content_charset() or "",
                str(location).strip(),
            )
    raise ValueError("the web archive holds no text/html part")


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    try:
        size = path.stat().st_size
        if size > context.max_bytes:
            raise ValueError(over_limit(size, context.max_bytes))
        data, charset, location = path.read_bytes(), "", ""
        if path.suffix.lower() in (".mhtml", ".mht"):
            data, charset, location = web_archive_page(data)
        html, codec = decode(data, charset)
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read the file ({exc.strerror or exc})")
        return
    except ValueError as exc:
        yield ReadProblem(str(path), str(exc))
        return
    document = page_document(str(path), html)
    if isinstance(document, SourceDocument):
        document.meta.update(file=path.name, encoding=codec)
        document.meta["url"] = document.meta.get("url") or location or None
    yield document


def page_document(where: str, html: str) -> SourceDocument | ReadProblem:
    """The article of one page, or the reason there is none."""
    extracted = extract(html)
    minimum = _config().getint("DEFAULT", "min_extracted_size")
    text = (extracted[0].text or "") if extracted else ""
    title = (extracted[0].title or "") if extracted else ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if paragraphs and paragraphs[0] == title.strip():
        paragraphs.pop(0)
    body = "\n\n".join(paragraphs)
    if len(body) < minimum:
        found = f"{len(body)} characters of main text" if body else "no main text"
        named = f" (page title {title!r})" if title else ""
        return ReadProblem(where, f"no article found: {found}{named}, fewer than {minimum}; nothing imported")
    result, language = extracted
    meta = {key: getattr(result, key, None) for key in _META_KEYS}
    meta["site_name"] = meta.pop("sitename")
    return SourceDocument(
        where,
        body,
        title=title,
        source=result.sitename or result.hostname or "",
        published=result.date or "",
        language=language,
        meta=meta,
    )
