"""The label set: names, colours, number keys and descriptions, loaded from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

# spaCy's English (OntoNotes) entity labels, offered from a menu when not in the set.
SPACY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip

_FALLBACK_COLOURS = (
    "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#ffbb78", "#98df8a", "#aec7e8",
    "#ff9896", "#e7ba52",
)  # fmt: skip


@dataclass(frozen=True)
class Label:
    name: str
    colour: str
    key: int | None = None
    description: str = ""


class LabelSet:
    """The project's labels in display order; unknown names get a stable colour."""

    def __init__(self, labels: list[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        keys = [label.key for label in labels if label.key is not None]
        if len(keys) != len(set(keys)):
            raise ValueError("two labels share a number key")

    @classmethod
    def from_toml(cls, path: Path) -> LabelSet:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        labels = [
            Label(
                name=entry["name"],
                colour=entry["colour"],
                key=entry.get("key"),
                description=entry.get("description", ""),
            )
            for entry in data.get("label", [])
        ]
        return cls(labels)

    def __iter__(self):
        return iter(self._labels.values())

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, name: object) -> bool:
        return name in self._labels

    @property
    def names(self) -> list[str]:
        return list(self._labels)

    def get(self, name: str) -> Label:
        """The label called ``name``; a label outside the set gets a derived colour."""
        if name in self._labels:
            return self._labels[name]
        colour = _FALLBACK_COLOURS[sum(map(ord, name)) % len(_FALLBACK_COLOURS)]
        return Label(name=name, colour=colour)

    def by_key(self, key: int) -> Label | None:
        return next((label for label in self._labels.values() if label.key == key), None)

    def extra_names(self) -> list[str]:
        """spaCy labels that are not in this set (offered from a menu)."""
        return [name for name in SPACY_LABELS if name not in self._labels]
