"""The model registry: trained pipelines recorded in the database (table
``trained_models``, migration m007), so that the window's model chooser and
``preannotate --model NAME`` find them by name.

A registered folder can be moved or deleted behind Quire's back; ``resolve_model``
turns that into a one-line ``ModelRegistryError`` naming the folder and what to do, as
it does for ``NAME@VERSION`` that names no registered version and for an empty name.

Versions are unique per name (the table's UNIQUE index on ``(name, version)``, m007):
``register`` raises ``DuplicateModelError`` for a taken version, and training then takes
the next one (``storage.training``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from models.nlp.loading import ModelError
from models.nlp.training.record import TrainedModel
from storage.repository import Repository, now

_FIELDS = ("id", "name", "version", "task", "path", "base", "labels", "created", "documents", "spans",
           "claims", "scores")  # fmt: skip


class ModelRegistryError(ModelError):
    """A registered model that cannot be used as asked (one line, for the user); a
    ModelError, so every caller that reports a model that cannot load reports it too."""


class DuplicateModelError(ModelRegistryError):
    """The name and version being registered are taken (another training took them)."""


class ModelRegistry:
    """Trained models of one database, read and written through ``repo``'s connection."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def next_version(self, name: str) -> int:
        """1 for a new name, else one more than the highest version of ``name``."""
        row = self.repo.db.execute(
            "SELECT max(version) FROM trained_models WHERE name = ?", [name]
        ).fetchone()
        return (row[0] or 0) + 1

    def register(self, model: TrainedModel) -> TrainedModel:
        """Store ``model`` (its name and version must be new); returns it with its id and
        creation time. Raises DuplicateModelError when that name and version exist, and
        ``sqlite3.OperationalError`` when the database stays locked past the busy timeout
        (nothing is written)."""
        taken = f"model {model.label} is already registered; train under a new version"
        if self.find(model.name, model.version) is not None:
            raise DuplicateModelError(taken)
        created = model.created or now()
        row = {
            "name": model.name, "version": model.version, "task": model.task,
            "path": str(Path(model.path).resolve()), "base": model.base,
            "labels": json.dumps(list(model.labels)), "created": created,
            "documents": model.documents, "spans": model.spans, "claims": model.claims,
            "scores": json.dumps(model.scores, ensure_ascii=False, sort_keys=True),
        }  # fmt: skip
        try:
            with self.repo.transaction():
                model_id = self.repo.db["trained_models"].insert(row).last_pk
        except sqlite3.IntegrityError:  # registered by another connection since find()
            raise DuplicateModelError(taken) from None
        return self.get(model_id)

    def get(self, model_id: int) -> TrainedModel:
        rows = self._rows("WHERE id = ?", [model_id])
        if not rows:
            raise ModelRegistryError(f"no registered model with id {model_id}")
        return rows[0]

    def models(self) -> list[TrainedModel]:
        """Every registered model, newest first."""
        return self._rows("ORDER BY created DESC, id DESC", [])

    def find(self, name: str, version: int | None = None) -> TrainedModel | None:
        """``name`` at ``version``, or its latest version when ``version`` is ``None``."""
        if version is None:
            rows = self._rows("WHERE name = ? ORDER BY version DESC LIMIT 1", [name])
        else:
            rows = self._rows("WHERE name = ? AND version = ?", [name, version])
        return rows[0] if rows else None

    def forget(self, model_id: int) -> None:
        """Remove the record (the folder, if any, is left alone)."""
        with self.repo.transaction():
            self.repo.db.execute("DELETE FROM trained_models WHERE id = ?", [model_id])

    def _rows(self, clause: str, args: list[Any]) -> list[TrainedModel]:
        columns = ", ".join(f'"{name}"' for name in _FIELDS)
        rows = self.repo.db.execute(f"SELECT {columns} FROM trained_models {clause}", args).fetchall()
        return [_model_from_row(dict(zip(_FIELDS, row, strict=True))) for row in rows]


def _model_from_row(row: dict[str, Any]) -> TrainedModel:
    return TrainedModel(
        name=row["name"],
        version=row["version"],
        task=row["task"],
        path=row["path"],
        base=row["base"],
        labels=json.loads(row["labels"] or "[]"),
        created=row["created"],
        documents=row["documents"] or 0,
        spans=row["spans"] or 0,
        claims=row["claims"] or 0,
        scores=json.loads(row["scores"] or "{}"),
        id=row["id"],
    )


def parse_model_label(value: str) -> tuple[str, int | None]:
    """``"weapons@2"`` -> ``("weapons", 2)``; ``"weapons"`` -> ``("weapons", None)``."""
    name, at, version = value.rpartition("@")
    if at and name and version.isdigit():
        return name, int(version)
    return value, None


def resolve_model(repo: Repository, requested: str) -> tuple[str, TrainedModel | None]:
    """What ``--model requested`` loads: a registered ``NAME`` (latest version) or
    ``NAME@VERSION`` gives its folder and record; anything else (a folder, an installed
    package) is returned as it is, with the record of the folder if it is registered.

    Raises ModelRegistryError when ``requested`` is empty, names a registered model at a
    version that is not registered (``x@0``), or a registered model's folder is gone or
    no longer holds a pipeline."""
    if not requested.strip():
        raise ModelRegistryError(
            "the model name is empty; give a registered NAME or NAME@VERSION, a pipeline folder "
            "or a package name, or leave the option out for the default pipeline"
        )
    registry = ModelRegistry(repo)
    name, version = parse_model_label(requested)
    record = registry.find(name, version)
    if record is None and version is not None and not Path(requested).exists():
        versions = sorted(model.version for model in registry.models() if model.name == name)
        known = (
            f"registered versions of {name}: {', '.join(map(str, versions))}"
            if versions
            else f"no model named {name!r} is registered (python main.py train --name {name} registers one)"
        )
        raise ModelRegistryError(f"no registered model {requested}; {known}")
    if record is None:
        if Path(requested).exists():
            resolved = str(Path(requested).resolve())
            return requested, next((m for m in registry.models() if m.path == resolved), None)
        return requested, None
    check_folder(record)
    return record.path, record


def check_folder(model: TrainedModel) -> None:
    """Raise ModelRegistryError unless ``model``'s folder still holds a spaCy pipeline."""
    folder = Path(model.path)
    if not folder.is_dir():
        raise ModelRegistryError(
            f"model {model.label} was registered at {folder}, which no longer exists (moved or "
            f"deleted?); pass its new folder with --model DIR, or train it again"
        )
    if not (folder / "config.cfg").is_file() or not (folder / "meta.json").is_file():
        raise ModelRegistryError(
            f"model {model.label}: {folder} no longer holds a spaCy pipeline (no config.cfg or "
            f"meta.json); train it again"
        )
