"""Entity suggestions: a parsed Doc's entities as suggested spans in the project's labels.

Model labels are translated by ``resources/label_map.toml`` (see the rules there): a label
can map to a project label, be dropped on purpose, or be unmapped. Unmapped labels are
counted, never silently lost, so that a run can name them once.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from models.annotation import Span, Status
from models.labels import LabelSet
from models.resources import RESOURCES, default_labels

if TYPE_CHECKING:
    from spacy.tokens import Doc

LABEL_MAP_PATH = RESOURCES / "label_map.toml"


@dataclass(frozen=True)
class LabelMap:
    """Model label -> project label. ``targets`` maps a label to its project label, or
    to ``None`` when it is dropped on purpose; a label absent from it is unmapped."""

    targets: Mapping[str, str | None]

    @classmethod
    def from_toml(cls, path: Path = LABEL_MAP_PATH, labels: LabelSet | None = None) -> LabelMap:
        """Read the table at ``path`` for the label set ``labels`` (default: the project's
        ``resources/labels.toml``). Raises ValueError for a malformed table."""
        if labels is None:
            labels = default_labels()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML ({exc})") from None
        explicit = data.get("map", {})
        dropped = data.get("drop", [])
        if not isinstance(explicit, dict) or not all(isinstance(v, str) for v in explicit.values()):
            raise ValueError(f'{path}: [map] entries must be strings, e.g. PER = "PERSON"')
        if not isinstance(dropped, list) or not all(isinstance(v, str) for v in dropped):
            raise ValueError(f'{path}: drop must be a list of labels, e.g. drop = ["CARDINAL"]')
        targets: dict[str, str | None] = {name: None for name in dropped}
        targets.update({name: name for name in labels.names})
        targets.update({name: target or None for name, target in explicit.items()})
        return cls(targets)

    def knows(self, label: str) -> bool:
        return label in self.targets

    def target(self, label: str) -> str | None:
        """The project label for ``label``; ``None`` when dropped or unmapped."""
        return self.targets.get(label)


@dataclass
class EntitySuggestions:
    spans: list[Span] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # model label -> entities
    dropped: Counter[str] = field(default_factory=Counter)


def suggest_entities(doc: Doc, doc_id: int, origin: str, label_map: LabelMap) -> EntitySuggestions:
    """Suggested spans (status ``suggested``, ``origin`` = the model's) for the entities of
    ``doc``, whose text is the stored document text, so character offsets carry over."""
    result = EntitySuggestions()
    for ent in doc.ents:
        label = ent.label_
        if not label_map.knows(label):
            result.unmapped[label] += 1
            continue
        target = label_map.target(label)
        if target is None:
            result.dropped[label] += 1
            continue
        covered = ent.text  # the document's text from start_char to end_char
        text = covered.strip()  # white space at the edges goes, as manual spans snap
        if not text:  # an entity of white-space tokens: nothing to review
            result.dropped[label] += 1
            continue
        start = ent.start_char + len(covered) - len(covered.lstrip())
        result.spans.append(
            Span(
                doc_id=doc_id,
                start=start,
                end=start + len(text),
                label=target,
                text=text,
                status=Status.SUGGESTED,
                origin=origin,
            )
        )
    return result
