"""CoNLL-2003, IOB2 and BILUO files: one token per line, its tag in the last column
(CoNLL-2003's four columns, or token and tag), a blank line between sentences. Columns
are split on tabs when the line has any, else on ASCII spaces, never on other Unicode
spaces: a token with a no-break space, U+2028 or a form feed is kept whole.

CoNLL-U-shaped lines (``.conllu`` files, or ``1<TAB>Paris<TAB>_<TAB>B-LOC``: the first
column numbers the words of the sentence) give the token from the second column and the
tag from the last one or from ``NER=`` in CoNLL-U's MISC column; a multiword token's
surface form (``1-2 Vámonos``) is the token, not its words; ``# text = ...`` comments are
skipped (a line starting with ``#`` is a token only when its last column is a tag).

Documents are separated by ``-DOCSTART-`` lines; a file without any is read as one
document per blank-line block. Tags: ``O``; ``B-``/``I-`` (IOB2, and IOB1 where ``I-``
after another type starts an entity); ``U-``/``L-`` (BILUO) and ``S-``/``E-`` (IOBES).

The text is detokenised: tokens joined by a space except before closing punctuation and
clitics (``,`` ``.`` ``)`` ``'s`` ``n't`` ...) and after opening brackets, with straight
double quotes alternating open/close; one sentence per line. Each entity's offsets are
taken from where its tokens were placed, so every span covers exactly its tokens, and
each document's token offsets are recorded in ``meta["tokens"]`` (``[[start, end], ...]``).

The file is read line by line (UTF-8), so a large corpus never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storage.formats.records import ReadContext, ReadProblem, SourceDocument, SourceSpan

DOCSTART = "-DOCSTART-"
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "'s", "'S", "n't", "N'T",
                    "'re", "'ve", "'ll", "'d", "'m"}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{"}

Sentence = list[tuple[str, str]]  # (token, tag)


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    try:
        # lines end at \n only (\r\n too): a lone \r, form feed or U+2028 inside a line
        # belongs to its token instead of starting a token line of its own
        with path.open(encoding="utf-8-sig", newline="\n") as file:
            by_docstart = next((line for line in file if line.strip()), "").startswith(DOCSTART)
            file.seek(0)
            number = 0
            for number, (line_number, sentences) in enumerate(_documents(file, by_docstart), start=1):
                yield _document(f"{path}:{line_number}", sentences, path.name, number)
        if number == 0:
            yield ReadProblem(str(path), "no tokens: the file holds no documents; nothing imported")
    except UnicodeDecodeError as exc:
        yield ReadProblem(
            str(path), f"not valid UTF-8 (byte 0x{exc.object[exc.start]:02x}); convert the file to UTF-8"
        )
    except OSError as exc:
        yield ReadProblem(str(path), f"cannot read the file ({exc.strerror or exc})")


def _documents(lines, by_docstart: bool) -> Iterator[tuple[int, list[Sentence]]]:
    """(line number of the document's first token, its sentences)."""
    sentences: list[Sentence] = []
    rows: list[list[str]] = []  # the columns of the sentence being read
    first_line = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line.startswith(DOCSTART) or (not by_docstart and not line.strip() and rows):
            if rows:
                sentences.append(_sentence(rows))
                rows = []
            if sentences:
                yield first_line, sentences
            sentences = []
            continue
        if not line.strip():
            if rows:
                sentences.append(_sentence(rows))
                rows = []
            continue
        columns = _columns(line)
        if columns[0].startswith("#") and not _is_tag(columns[-1]):
            continue  # a comment (CoNLL-U's "# text = ..."), not a token "#" with its tag
        if not sentences and not rows:
            first_line = number
        rows.append(columns)
    if rows:
        sentences.append(_sentence(rows))
    if sentences:
        yield first_line, sentences


def _is_tag(column: str) -> bool:
    prefix, _, label = column.partition("-")
    return column == "O" or (len(prefix) == 1 and prefix in "BIULSE" and bool(label))


def _sentence(rows: list[list[str]]) -> Sentence:
    """(token, tag) per token line. CoNLL-U-shaped sentences, whose first column numbers
    the words 1, 2, 3, ..., take the token from the second column and the tag from the
    last column, or from a ``NER=`` item of the MISC column; a multiword token (``1-2
    Vámonos``) is one token, the surface form, tagged as its first tagged word (its words
    ``Vamos`` ``nos`` are not in the text); empty nodes (``5.1``) are skipped."""
    words = [row for row in rows if len(row) > 1 and row[0].isdigit()]
    indexed = len(words) > 0 and all(row[0] == str(i) for i, row in enumerate(words, start=1))
    if not indexed:
        return [(row[0], row[-1] if len(row) > 1 else "") for row in rows]
    surfaces = {}  # first word number -> (last word number, surface form)
    for row in rows:
        first, dash, last = row[0].partition("-")
        if dash and first.isdigit() and last.isdigit() and len(row) > 1:
            surfaces[int(first)] = (int(last), row[1])
    tags = {int(row[0]): _tag(row) for row in words}
    sentence: Sentence = []
    covered = 0  # the last word number a multiword token took
    for row in words:
        number = int(row[0])
        if number <= covered:
            continue
        if number in surfaces:
            covered, surface = surfaces[number]
            parts = [tags[n] for n in range(number, covered + 1) if n in tags]
            sentence.append((surface, next((tag for tag in parts if tag != "O"), "O")))
        else:
            sentence.append((row[1], tags[number]))
    return sentence


def _tag(row: list[str]) -> str:
    if _is_tag(row[-1]) or len(row) < 10:
        return row[-1] if len(row) > 2 else "O"
    for item in row[9].split("|"):  # MISC
        key, _, value = item.partition("=")
        if key.upper() == "NER":
            return value
    return "O"


def _columns(line: str) -> list[str]:
    """The line's columns: split on tabs when it has any, else on runs of ASCII spaces;
    never on other whitespace (a no-break space or U+2028 belongs to its token)."""
    if "\t" in line:
        return [column.strip(" ") for column in line.split("\t") if column.strip(" ")]
    return [column for column in line.split(" ") if column]


def _document(where: str, sentences: list[Sentence], file_name: str, number: int) -> SourceDocument:
    doc = SourceDocument(where, "", meta={"file": file_name, "document": number})
    pieces: list[str] = []
    tokens: list[list[int]] = []
    length = 0
    bad_tags: set[str] = set()
    for sentence in sentences:
        if pieces:
            pieces.append("\n")
            length += 1
        open_quote = False
        entity: tuple[str, int] | None = None  # (label, start) of the entity being read
        previous, previous_end = "", length
        for i, (token, tag) in enumerate(sentence):
            if i > 0 and _space_between(previous, token, open_quote):
                pieces.append(" ")
                length += 1
            if token == '"':
                open_quote = not open_quote
            start, end = length, length + len(token)
            pieces.append(token)
            tokens.append([start, end])
            length = end
            prefix, _, label = tag.partition("-")
            if not _is_tag(tag):
                bad_tags.add(tag or "(none)")
                prefix = "O"
            if entity is not None and (prefix in "OBUS" or entity[0] != label):
                doc.spans.append(SourceSpan(entity[1], previous_end, entity[0]))
                entity = None
            if prefix != "O":
                entity = entity or (label, start)
                if prefix in "LEUS":
                    doc.spans.append(SourceSpan(entity[1], end, label))
                    entity = None
            previous, previous_end = token, end
        if entity is not None:
            doc.spans.append(SourceSpan(entity[1], previous_end, entity[0]))
    doc.text = "".join(pieces)
    doc.meta["tokens"] = tokens
    if bad_tags:
        doc.warnings.append(
            f"tags {', '.join(sorted(bad_tags))} are not O, B-, I-, L-, U-, E- or S- tags; read as O"
        )
    return doc


def _space_between(previous: str, token: str, open_quote: bool) -> bool:
    if token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
        return False
    if token == '"':
        return not open_quote  # an opening quote takes a space before, a closing one none
    return not (previous == '"' and open_quote)
