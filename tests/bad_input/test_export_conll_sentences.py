"""CoNLL keeps a sentence break that falls on a white-space token (issue 9, item 6): a
paragraph break, a double space, a tab or U+2029 after "overnight ." must not run the next
sentence into it."""

from __future__ import annotations

import pytest

from models.annotation import Span
from models.document import DocStatus, Document
from storage.exporters import ExportOptions, export_corpus


@pytest.mark.parametrize("gap", ["\n\n", "  ", "\t", "\u2029", " \n "], ids=repr)
def test_a_sentence_break_on_white_space_is_a_blank_line(repo, tmp_path, gap):
    text = f"Storms hit Oslo overnight .{gap}The roads closed.{gap}Schools shut in Bergen."
    doc_id = repo.add_document(Document(title="storms", text=text, status=DocStatus.DONE))
    for name in ("Oslo", "Bergen"):
        start = text.index(name)
        repo.add_span(Span(doc_id, start, start + len(name), "GPE", name))
    repo.set_document_status(doc_id, DocStatus.DONE)
    export_corpus(repo, ExportOptions("conll", tmp_path / "out.conll"))
    body = (tmp_path / "out.conll").read_text(encoding="utf-8").split("-DOCSTART- -X- O O\n\n")[1]
    sentences = [[line.split(" ")[0] for line in s.split("\n")] for s in body.strip("\n").split("\n\n")]
    assert sentences == [
        ["Storms", "hit", "Oslo", "overnight", "."],
        ["The", "roads", "closed", "."],
        ["Schools", "shut", "in", "Bergen", "."],
    ]
    assert "Bergen -X- _ B-GPE" in body
