"""What an import would bring, without writing to the user's database: the files are
imported into a throw-away database in a temporary folder, through exactly the code
that imports them for real, so the preview's counts and problems are the import's.

Documents already in the user's database are not known here; the import itself skips
them and says so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from storage.formats.records import ImportOptions
from storage.importers import ImportReport, import_paths
from storage.repository import Repository


@dataclass(frozen=True)
class PreviewDocument:
    where: str  # "file", "file:line" or "file#item"
    title: str
    characters: int  # length of the stored text, in code points
    spans: int
    claims: int


@dataclass
class ImportPreview:
    documents: list[PreviewDocument] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)

    def summary(self) -> str:
        spans = sum(doc.spans for doc in self.documents)
        claims = sum(doc.claims for doc in self.documents)
        text = f"would import {len(self.documents)} document(s) with {spans} span(s) and {claims} claim(s)"
        if self.report.duplicates:  # the preview's database is empty: repeats within the files
            text += f"; {len(self.report.duplicates)} repeated in the files"
        if self.report.problems:
            text += f"; {len(self.report.problems)} problem(s)"
        if self.report.warnings:
            text += f"; {len(self.report.warnings)} warning(s)"
        return text + (" (preview cancelled)" if self.report.cancelled else "")


def preview_paths(
    paths: Iterable[str | Path],
    options: ImportOptions | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPreview:
    """Read ``paths`` as ``import_paths`` would and return what would be stored."""
    with tempfile.TemporaryDirectory(prefix="quire-preview-") as folder:
        repo = Repository(Path(folder) / "preview.db")
        try:
            report = import_paths(repo, paths, progress, cancelled, options)
            documents = [
                PreviewDocument(
                    where, (doc := repo.document(doc_id)).title, len(doc.text),
                    len(repo.spans(doc_id)), len(repo.claims(doc_id)),
                )
                for where, doc_id in report.imported
            ]  # fmt: skip
        finally:
            repo.close()
    return ImportPreview(documents, report)
