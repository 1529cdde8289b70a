"""Writers of training-data formats (spaCy DocBin, Prodigy-style JSONL, CoNLL, claims).

``export_corpus`` is the one entry point, for the CLI and for a background worker alike:
it streams the corpus out of the repository, writes under temporary names and renames
into place only when the whole export succeeded.
"""

from storage.exporters.base import (
    FORMATS,
    ExportError,
    ExportOptions,
    ExportProblem,
    ExportReport,
    export_corpus,
)

__all__ = ["FORMATS", "ExportError", "ExportOptions", "ExportProblem", "ExportReport", "export_corpus"]
