"""brat standoff: ``NAME.txt`` (the text) and ``NAME.ann`` (annotations, offsets in code
points into the .txt exactly as stored, line endings included).

- ``T`` text-bound annotations become spans. A discontinuous one (``0 5;10 15``) becomes
  its hull (first start to last end), with a warning.
- Attribution events (``E1<TAB>Attribution:T3 Source:T1 Cue:T4 Content:T5``) and
  relations with the same role names (``R1<TAB>Said Source:T1 Content:T5``) become claims.
  Roles are read case-insensitively; ``Content`` is required; an event's trigger is its cue
  when no ``Cue`` role is given. Text-bound annotations used only as a claim's content,
  cue or trigger are claim parts, not entity spans; a source that is an entity is both.
  Several ``Content`` arguments (``Content:T3 Content2:T4``) make one claim each; a
  repeated ``Source`` or ``Cue`` keeps its first, with a warning. A text annotation
  labelled ``Cue``, ``Content`` or ``Attribution`` that no claim uses is named in a
  warning, never imported as an entity.
- Attributes ``SourceKind`` and ``Certainty`` on an event or relation set the claim's
  source kind and certainty; ``#`` annotator notes on them become the claim's note.
- An annotation id given twice (``T1`` on two lines) keeps its first line; the repeat
  is named in a warning (line and id) and skipped, so no claim is re-pointed.
- A .txt that begins with a UTF-8 byte-order mark: brat counts the mark as a character,
  Quire's text drops it, so offsets are carried back by one (as line endings are in
  ``records.normalised``).
- Other annotation kinds (``N`` normalisations, other attributes, equivalences) are named
  once in a warning and not imported; attributes and notes on a text annotation (an
  entity span has a label only) are named per annotation.
- ``.ANN``/``.TXT`` in capitals pair with their partner as lower-case suffixes do.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storage.formats.records import ReadContext, ReadProblem, SourceClaim, SourceDocument, SourceSpan

_ROLES = ("source", "cue", "content")
# Text annotations with these labels are claim parts, never entities.
_PART_LABELS = ("cue", "content", "attribution")
# Entity labels that tell a claim's source kind when no SourceKind attribute does.
_KIND_OF_LABEL = {"PERSON": "named_person", "PER": "named_person", "ORG": "named_organisation",
                  "ORGANIZATION": "named_organisation", "ORGANISATION": "named_organisation"}  # fmt: skip
_FRAGMENTS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


@dataclass(frozen=True)
class _TextBound:
    label: str
    start: int
    end: int


def read(path: Path, context: ReadContext) -> Iterator[SourceDocument | ReadProblem]:
    txt, ann = companion(path, ".txt"), companion(path, ".ann")
    try:
        text = context.read_text(txt)
        annotations = context.read_text(ann) if ann.stat().st_size else ""
    except FileNotFoundError as exc:
        yield ReadProblem(
            str(path), f"brat needs both {txt.name} and {ann.name}; {Path(exc.filename).name} is missing"
        )
        return
    except (OSError, ValueError) as exc:
        yield ReadProblem(str(path), str(exc))
        return
    doc = SourceDocument(str(ann), text, meta={"file": txt.name})
    yield _parse(doc, annotations, bom=_starts_with_bom(txt))


def companion(path: Path, suffix: str) -> Path:
    """The file beside ``path`` with its stem and ``suffix`` in any case (``a.ANN`` for
    ``a.txt``); ``path.with_suffix(suffix)`` when there is none."""
    wanted = path.with_suffix(suffix)
    if wanted.exists() or not path.parent.is_dir():
        return wanted
    for candidate in (path.with_suffix(suffix.upper()), path.with_suffix(suffix.capitalize())):
        if candidate.exists():
            return candidate
    return wanted


def _starts_with_bom(path: Path) -> bool:
    """Whether the file begins with a UTF-8 byte-order mark (which brat counts as a
    character and the importer's text reader removes)."""
    with path.open("rb") as file:
        return file.read(3) == codecs.BOM_UTF8


def _parse(doc: SourceDocument, annotations: str, bom: bool = False) -> SourceDocument:
    bounds: dict[str, _TextBound] = {}
    links: dict[str, tuple[str, dict[str, str]]] = {}  # E/R id -> (trigger T id or "", role -> T id)
    attributes: dict[str, dict[str, str]] = {}
    notes: dict[str, str] = {}
    skipped: set[str] = set()
    first_line: dict[str, int] = {}  # annotation id -> the line that defined it
    for number, line in enumerate(annotations.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident in first_line and ident != "*":
            doc.warnings.append(
                f"line {number}: annotation id {ident} repeats line {first_line[ident]}; kept the first"
            )
            continue
        first_line[ident] = number
        try:
            if ident.startswith("T"):
                bounds[ident] = _text_bound(fields, doc, number, bom)
            elif ident.startswith(("E", "R")):
                links[ident] = _link(fields[1])
            elif ident.startswith(("A", "M")):
                kind, target, *value = fields[1].split()
                attributes.setdefault(target, {})[kind.lower()] = value[0] if value else "true"
            elif ident.startswith("#") and len(fields) >= 3:
                notes[fields[1].split()[-1]] = fields[2]
            else:
                skipped.add(ident[:1])
        except (IndexError, ValueError) as exc:
            doc.warnings.append(f"line {number}: {exc or 'malformed annotation'}; skipped")
    if skipped:
        doc.warnings.append(f"annotation kinds {', '.join(sorted(skipped))} not imported")
    _claims_and_spans(doc, bounds, links, attributes, notes)
    return doc


def _text_bound(fields: list[str], doc: SourceDocument, number: int, bom: bool) -> _TextBound:
    label, _, where = fields[1].partition(" ")
    if not label:
        raise ValueError(f"{fields[0]} has no label before its offsets")
    if not _FRAGMENTS.match(where):
        raise ValueError(f"{fields[0]} offsets {where!r} are not 'START END' pairs")
    # brat counts a leading byte-order mark as a character; the text here has none
    shift = 1 if bom else 0
    numbers = [tuple(map(int, fragment.split())) for fragment in where.split(";")]
    pairs = [(max(s - shift, 0), max(e - shift, 0)) for s, e in numbers]
    start, end = min(s for s, _ in pairs), max(e for _, e in pairs)
    if not all(0 <= s < e <= len(doc.text) for s, e in pairs):
        raise ValueError(f"{fields[0]} offsets {where} are outside the text (0-{len(doc.text)})")
    # brat writes the covered text with line breaks as spaces, fragments joined by a space
    given = (
        " ".join(doc.text[s:e] for s, e in pairs).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    )
    if len(fields) > 2 and fields[2] != given:
        raise ValueError(f"{fields[0]} text {fields[2]!r} does not match the document's {given!r} at {where}")
    if len(pairs) > 1:
        doc.warnings.append(
            f"line {number}: {fields[0]} {label} is discontinuous ({where}); "
            f"imported as its hull {start}-{end}"
        )
    return _TextBound(label, start, end)


def _link(body: str) -> tuple[str, dict[str, list[str]]]:
    """An event's trigger and its role -> argument ids, in the order given (relations
    have no trigger; brat numbers a repeated role: ``Content:T3 Content2:T4``)."""
    head, *arguments = body.split()
    trigger = head.partition(":")[2]
    roles: dict[str, list[str]] = {}
    for argument in arguments:
        role, _, target = argument.partition(":")
        roles.setdefault(role.rstrip("0123456789").lower(), []).append(target)
    return trigger, roles


def _claims_and_spans(doc, bounds, links, attributes, notes) -> None:
    parts: set[str] = set()  # T ids used as content, cue or trigger
    claims: list[tuple[str, dict[str, str]]] = []
    without_content = sorted(ident for ident, (_, roles) in links.items() if "content" not in roles)
    if without_content:
        doc.warnings.append(
            f"events/relations without a Content role not imported: {', '.join(without_content)}"
        )
    for ident, (trigger, roles) in links.items():
        if "content" not in roles:
            continue
        missing = [t for role, targets in roles.items() if role in _ROLES for t in targets if t not in bounds]
        if missing:
            doc.warnings.append(
                f"{ident}: refers to {', '.join(missing)}, which is not a text annotation; skipped"
            )
            continue
        for role, targets in roles.items():
            if role != "content" and len(targets) > 1:
                doc.warnings.append(
                    f"{ident}: {len(targets)} {role.title()} arguments; the first, {targets[0]}, kept"
                )
        single = {role: targets[0] for role, targets in roles.items() if role != "content"}
        if "cue" not in single and trigger:
            single["cue"] = trigger
        parts.update(single[role] for role in ("cue",) if role in single)
        parts.add(trigger)
        # several Content arguments: one claim each, with the same source and cue
        for content in roles["content"]:
            parts.add(content)
            claims.append((ident, {**single, "content": content}))
    index: dict[str, int] = {}
    for ident, bound in bounds.items():
        if any(roles.get("source") == ident for _, roles in claims):
            index[ident] = len(doc.spans)
            doc.spans.append(SourceSpan(bound.start, bound.end, bound.label))
        elif ident in parts:
            continue
        elif bound.label.lower() in _PART_LABELS:
            doc.warnings.append(
                f"{ident}: a {bound.label} annotation that no claim uses; not imported as an entity"
            )
        else:
            index[ident] = len(doc.spans)
            doc.spans.append(SourceSpan(bound.start, bound.end, bound.label))
    for ident, roles in claims:
        doc.claims.append(
            _claim(ident, roles, bounds, index, attributes.get(ident, {}), notes.get(ident, ""))
        )
    for ident in bounds:  # an entity span holds a label only: say what it cannot keep
        lost = [f"attribute {kind}" for kind in attributes.get(ident, {})]
        lost += ["annotator note"] if ident in notes else []
        if lost:
            doc.warnings.append(f"{ident}: {', '.join(lost)} on a text annotation not imported")


def _claim(ident, roles, bounds, index, attributes, note) -> SourceClaim:
    def where(role: str) -> tuple[int, int] | None:
        bound = bounds.get(roles.get(role, ""))
        return None if bound is None else (bound.start, bound.end)

    source = roles.get("source")
    kind = attributes.get("sourcekind", "")
    if not kind and source is not None:
        kind = _KIND_OF_LABEL.get(bounds[source].label.upper(), "")
    return SourceClaim(
        content=where("content"),
        cue=where("cue"),
        source=where("source"),
        source_span=index.get(source) if source else None,
        source_kind=kind,
        certainty=attributes.get("certainty", ""),
        note=note,
    )
