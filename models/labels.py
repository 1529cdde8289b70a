"""The label set: names, colours, number keys and descriptions, loaded from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
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


# How much of a light colour is kept when no dark variant is given: the rest is black.
_DARK_SHARE = 0.45


@dataclass(frozen=True)
class Label:
    """``colour`` fills spans under dark text (a light palette), ``dark_colour`` under
    light text (a dark palette); both ``#rrggbb``."""

    name: str
    colour: str
    key: int | None = None
    description: str = ""
    dark_colour: str = ""


def darkened(colour: str, share: float = _DARK_SHARE) -> str:
    """``#rrggbb`` scaled towards black, keeping ``share`` (0-1) of each channel."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * share):02x}" for c in channels)


class LabelSet:
    """The project's labels in display order; unknown names get a stable colour.

    ``dark`` chooses the colours for a dark palette (light text): ``get`` and iteration
    then give each label its ``dark_colour`` as ``colour``, so views need not know."""

    def __init__(self, labels: list[Label]) -> None:
        self._labels = {label.name: label for label in labels}
        keys = [label.key for label in labels if label.key is not None]
        if len(keys) != len(set(keys)):
            raise ValueError("two labels share a number key")
        self.dark = False

    def _shown(self, label: Label) -> Label:
        if not self.dark:
            return label
        return replace(label, colour=label.dark_colour or darkened(label.colour))

    @classmethod
    def from_toml(cls, path: Path) -> LabelSet:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        labels = [
            Label(
                name=entry["name"],
                colour=entry["colour"],
                key=entry.get("key"),
                description=entry.get("description", ""),
                dark_colour=entry.get("dark_colour", ""),
            )
            for entry in data.get("label", [])
        ]
        return cls(labels)

    def __iter__(self):
        return iter([self._shown(label) for label in self._labels.values()])

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
            return self._shown(self._labels[name])
        colour = _FALLBACK_COLOURS[sum(map(ord, name)) % len(_FALLBACK_COLOURS)]
        return self._shown(Label(name=name, colour=colour))

    def by_key(self, key: int) -> Label | None:
        return next((label for label in self if label.key == key), None)

    def extra_names(self) -> list[str]:
        """spaCy labels that are not in this set (offered from a menu)."""
        return [name for name in SPACY_LABELS if name not in self._labels]
