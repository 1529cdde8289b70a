"""Where the files shipped with Quire live (labels, sample corpus, rule lists)."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE_CORPUS = RESOURCES / "corpus"
LABELS_FILE = RESOURCES / "labels.toml"


def default_labels():
    from models.labels import LabelSet

    return LabelSet.from_toml(LABELS_FILE)
