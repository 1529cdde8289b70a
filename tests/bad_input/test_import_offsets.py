"""Offsets given with a text refer to that text as given (issue 9, item 3): whatever the
importer normalises (``\\r\\n`` and ``\\r`` to ``\\n``, a leading U+FEFF) carries every span
and claim offset with it, and a span's ``"text"`` is checked against the text as given."""

from __future__ import annotations

import json

import pytest

from storage.importers import import_paths

STORM = "Storm warning issued.\r\nPeople in Zwolle were told to stay home.\r\nRain hit Deventer."


def _import(repo, tmp_path, *records):
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return import_paths(repo, [path])


def _spans(repo, doc_id):
    return [(s.start, s.end, s.text) for s in repo.spans(doc_id)]


def test_crlf_text_keeps_every_span_on_its_words(repo, tmp_path):
    zwolle, deventer = STORM.index("Zwolle"), STORM.index("Deventer")
    assert zwolle == 33
    record = {
        "text": STORM,
        "spans": [
            {"start": zwolle, "end": zwolle + 6, "label": "GPE"},
            {"start": deventer, "end": deventer + 8, "label": "GPE", "text": "Deventer"},
        ],
        "claims": [{"content": {"start": zwolle - 10, "end": STORM.index(".", zwolle)}}],
    }
    report = _import(repo, tmp_path, record)
    assert report.problems == [] and report.warnings == []
    doc_id = report.imported[0][1]
    text = repo.document(doc_id).text
    assert "\r" not in text
    stored = text.index("Deventer")
    assert _spans(repo, doc_id) == [(32, 38, "Zwolle"), (stored, stored + 8, "Deventer")]
    [claim] = repo.claims(doc_id)
    assert text[claim.content_start : claim.content_end] == "People in Zwolle were told to stay home"


def test_a_span_whose_text_differs_from_the_text_as_given_is_refused(repo, tmp_path):
    record = {"text": STORM, "spans": [{"start": 32, "end": 38, "label": "GPE", "text": "Zwolle"}]}
    report = _import(repo, tmp_path, record)
    [problem] = report.problems
    assert "span text 'Zwolle' does not match the text as given at 32-38 (' Zwoll')" in str(problem)
    assert str(problem).startswith(f"{tmp_path / 'tasks.jsonl'}:1: span 1")


def test_a_leading_byte_order_mark_and_a_lone_carriage_return_carry_offsets(repo, tmp_path):
    text = "\ufeffOslo said no.\rBergen said yes."
    spans = [
        {"start": 1, "end": 5, "label": "GPE", "text": "Oslo"},
        {"start": 15, "end": 21, "label": "GPE", "text": "Bergen"},
    ]
    record = {"text": text, "spans": spans}
    report = _import(repo, tmp_path, record)
    doc_id = report.imported[0][1]
    assert repo.document(doc_id).text == "Oslo said no.\nBergen said yes."
    assert _spans(repo, doc_id) == [(0, 4, "Oslo"), (14, 20, "Bergen")]


def test_an_offset_between_carriage_return_and_line_feed_maps_to_the_line_feed():
    from storage.text_offsets import GivenText  # the helper every offset-bearing format uses

    given = GivenText.of("a\r\nb")
    assert [given.offset(i) for i in range(5)] == [0, 1, 1, 2, 3]
    assert given.range(3, 4, "b") == (2, 3)


@pytest.mark.parametrize("escape", ["\\u0000", "\\u0000\\u0000"])
def test_a_nul_character_in_the_text_refuses_that_line_only(repo, tmp_path, escape):
    path = tmp_path / "nul.jsonl"
    lines = '{"text": "Oslo ' + escape + 'is calm."}\n{"text": "Bergen is calm."}\n'
    path.write_text(lines, encoding="utf-8")
    report = import_paths(repo, [path])
    assert len(report.imported) == 1
    [problem] = report.problems
    assert problem.line == 1 and "NUL character (U+0000) at offset 5" in problem.message


def test_other_tools_formats_carry_offsets_through_the_same_normalisation(repo, tmp_path):
    text = "\ufeffStorm warning.\r\nPeople in Zwolle stayed home."
    zwolle = text.index("Zwolle")
    path = tmp_path / "doccano.jsonl"
    path.write_text(
        json.dumps({"text": text, "label": [[zwolle, zwolle + 6, "GPE"]]}) + "\n", encoding="utf-8"
    )
    report = import_paths(repo, [path])
    assert report.problems == []
    doc_id = report.imported[0][1]
    stored = repo.document(doc_id).text
    assert stored == "Storm warning.\nPeople in Zwolle stayed home."
    assert _spans(repo, doc_id) == [(stored.index("Zwolle"), stored.index("Zwolle") + 6, "Zwolle")]
