"""Other tools' annotation files shaped like those tools' bug reports (the adversarial
test of 2026-11-30): each reader keeps every word and every label it can read, names what
it cannot in one warning per item, and never gives a traceback. Inputs are in
tests/data/bad_import/ (not under tests/data/import/, whose folder import test counts
every file)."""

from __future__ import annotations

import json
from pathlib import Path

from models.annotation import Status
from storage import formats
from storage.formats.html import decode
from storage.importers import ImportReport, import_paths
from storage.repository import Repository

BAD = Path(__file__).parents[1] / "data" / "bad_import"


def imported(tmp_path: Path, name: str | Path) -> tuple[ImportReport, list[tuple[str, list, list]]]:
    """The report and, per stored document, (text, [(label, covered text)], [claim parts as
    text]) of ``name`` in tests/data/bad_import/ (or of the file at a ``Path``)."""
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [name if isinstance(name, Path) else BAD / name])
        stored = []
        for doc_id in repo.document_ids():
            text = repo.document(doc_id).text
            spans = [(s.label, text[s.start : s.end]) for s in repo.spans(doc_id)]
            claims = [
                {role: text[where[0] : where[1]] for role, where in c.parts().items() if where}
                for c in repo.claims(doc_id)
            ]
            stored.append((text, spans, claims))
    finally:
        repo.close()
    return report, stored


def warnings(report: ImportReport) -> list[str]:
    return [p.message for p in report.warnings]


def test_brat_repeated_id_keeps_the_first_and_names_the_repeat(tmp_path):
    report, [(text, spans, claims)] = imported(tmp_path, "duplicate_id.txt")
    assert text == "Angela Merkel told Reuters that Germany would help.\n"
    assert ("PERSON", "Angela Merkel") in spans and ("ORG", "Reuters") not in spans
    assert claims == [{"content": "Germany would help", "cue": "told", "source": "Angela Merkel"}]
    assert "line 2: annotation id T1 repeats line 1; kept the first" in warnings(report)
    assert report.warnings[0].path == str(BAD / "duplicate_id.ann")


def test_brat_text_with_a_byte_order_mark_keeps_every_span(tmp_path):
    report, [(text, spans, _)] = imported(tmp_path, "bom.txt")
    assert text == "Angela Merkel met Macron."
    assert sorted(spans) == [("PERSON", "Angela Merkel"), ("PERSON", "Macron")]
    assert report.warnings == [] and report.problems == []


def test_conll_tokens_with_unicode_spaces_are_kept_whole(tmp_path):
    report, [(text, spans, _)] = imported(tmp_path, "unicode_space.iob2")
    assert text.startswith("Hello New\xa0York foo\u2028bar x\x0cy San Francisco")
    assert spans == [("GPE", "New\xa0York"), ("PERSON", "x\x0cy"), ("GPE", "San Francisco")]


def test_label_studio_label_given_as_a_string_is_one_label(tmp_path):
    report, [(_, spans, _)] = imported(tmp_path, "ls_labels_string.json")
    assert spans == [("Annotation", "annotation"), ("GPE", "Paris")]


def test_label_studio_labels_of_another_shape_are_refused_with_a_warning(tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(
        '[{"id": 9, "data": {"text": "Oslo and Bergen"}, "annotations": [{"id": 1, "result": ['
        '{"id": "a", "type": "labels", "value": {"start": 0, "end": 4, "labels": {"x": 1}}},'
        '{"id": "b", "type": "labels", "value": {"start": 9, "end": 15, "labels": ["GPE"]}}]}]}]',
        encoding="utf-8",
    )
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [path])
        spans = [s.label for s in repo.spans(repo.document_ids()[0])]
    finally:
        repo.close()
    assert spans == ["GPE"]
    assert warnings(report) == ["result a: labels must be a list of label names, not {'x': 1}; skipped"]


def test_label_studio_null_result_imports_the_task_with_one_warning(tmp_path):
    report, [(text, spans, _)] = imported(tmp_path, "ls_result_null.json")
    assert (text, spans) == ("Some text", [])
    assert warnings(report) == ['annotation 1: "result" is not a list; none imported']


def test_label_studio_value_that_is_not_an_object_is_skipped_with_one_warning(tmp_path):
    report, [(text, spans, _)] = imported(tmp_path, "ls_value_list.json")
    assert (text, spans) == ("Some text", [])
    assert warnings(report) == ["result 1: value must be an object; skipped"]


def test_label_studio_annotations_object_and_predictions_only_are_named(tmp_path):
    report, [(_, spans, _)] = imported(tmp_path, "ls_annotations_dict.json")
    assert spans == [] and warnings(report) == ['"annotations" is dict, not a list; no annotations imported']
    report, [(_, spans, _)] = imported(tmp_path / "p", "ls_predictions_only.json")
    assert spans == []
    assert warnings(report) == ["the task has predictions and no annotations: predictions are not imported"]


def test_page_declaring_utf16_in_its_meta_is_read_as_utf8(tmp_path):
    report, [(text, _, _)] = imported(tmp_path, "u16decl.html")
    assert text.startswith("Paragraph 1: Angela Merkel met Emmanuel Macron in Paris")
    assert text.count("Paragraph ") == 8
    assert decode(b'<meta charset="UTF-16LE"><p>caf\xc3\xa9</p>')[1] == "utf-8"
    # a BOM still says UTF-16, and a MIME header's utf-16 is taken as it says
    assert decode(b"\xff\xfe<\x00p\x00>\x00") == ("<p>", "utf-16")
    assert decode("<p>é</p>".encode("utf-16-le"), "utf-16-le") == ("<p>é</p>", "utf-16-le")


def test_doccano_labels_are_read_when_the_first_record_has_none(tmp_path):
    assert formats.format_for(BAD / "doccano_mixed.jsonl") == "doccano"
    report, stored = imported(tmp_path, "doccano_mixed.jsonl")
    assert [(text, spans) for text, spans, _ in stored] == [
        ("Plain first record without labels at all.", []),
        ("Angela Merkel visited Paris.", [("PERSON", "Angela Merkel"), ("GPE", "Paris")]),
    ]
    assert report.warnings == [] and report.problems == []


def test_doccano_labels_are_read_when_the_first_line_is_malformed(tmp_path):
    assert formats.format_for(BAD / "doccano_badfirst.jsonl") == "doccano"
    report, stored = imported(tmp_path, "doccano_badfirst.jsonl")
    assert [spans for _, spans, _ in stored] == [
        [("PERSON", "Angela Merkel"), ("GPE", "Paris")],
        [("PERSON", "Olaf Scholz")],
    ]
    assert [str(p) for p in report.problems] == [
        f"{BAD / 'doccano_badfirst.jsonl'}:1: malformed JSON (Unterminated string starting at, column 10)"
    ]


def test_doccano_record_whose_labels_have_another_shape_imports_its_text_and_says_so(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "Oslo is cold.", "label": [[0, 4, "GPE"]]}\n'
        '{"text": "A fine day.", "label": ["POSITIVE"]}\n'
        '{"text": "Bergen is wet.", "spans": [{"start": 0, "end": 6, "label": "GPE"}]}\n',
        encoding="utf-8",
    )
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [path])
        stored = [(repo.document(i).text, len(repo.spans(i))) for i in repo.document_ids()]
    finally:
        repo.close()
    assert stored == [("Oslo is cold.", 1), ("A fine day.", 0), ("Bergen is wet.", 0)]
    shapes = 'doccano\'s labels are "label": [[start, end, "LABEL"], ...] or "entities": [{"start_offset", '
    assert [str(p) for p in report.warnings] == [
        f'{path}:2: "label" ignored: {shapes}"end_offset", "label"}}, ...]',
        f'{path}:3: "spans" ignored: {shapes}"end_offset", "label"}}, ...]',
    ]


def test_labels_an_iob_export_would_rename_are_kept_with_a_warning(tmp_path):
    report, stored = imported(tmp_path, "doccano_odd_labels.jsonl")
    spans = dict((text, spans) for text, spans, _ in stored)["Labels with spaces: Acme Corp and New York."]
    assert spans == [("big org", "Acme Corp"), ("B-GPE", "New York"), ("O", "New York")]
    where, kept = f"{BAD / 'doccano_odd_labels.jsonl'}:4", "; kept as it is"
    assert [str(p) for p in report.warnings if str(p).startswith(f"{where}: label")] == [
        f"{where}: label 'B-GPE' starts with an IOB prefix (a CoNLL export would write B-B-GPE)" + kept,
        f'{where}: label \'O\' is "O", which IOB tags use for "outside any entity"' + kept,
        f"{where}: label 'big org' holds a space (a CoNLL export writes it with underscores)" + kept,
    ]


def test_files_without_any_document_say_so(tmp_path):
    report, stored = imported(tmp_path, "iob_only_docstart.conll")
    assert stored == []
    assert [str(p) for p in report.problems] == [
        f"{BAD / 'iob_only_docstart.conll'}: no tokens: the file holds no documents; nothing imported"
    ]
    empty = tmp_path / "tasks.json"
    empty.write_text("[]", encoding="utf-8")
    repo = Repository(tmp_path / "empty.db")
    try:
        report = import_paths(repo, [empty])
    finally:
        repo.close()
    assert [str(p) for p in report.problems] == [
        f"{empty}: no tasks: the export is an empty list; nothing imported"
    ]


def test_conll_line_with_a_lone_carriage_return_stays_one_token_line(tmp_path):
    """Only \\n (or \\r\\n) ends a line: a stray \\r inside a line used to split it in two,
    turning 'B-ORG' into a token of its own."""
    source = tmp_path / "stray_cr.conll"
    source.write_bytes(b"Acme\rCorp B-ORG\nsaid O\n. O\n\nOslo B-GPE\r\nwaits O\r\n")
    report, stored = imported(tmp_path, source)
    assert not report.problems
    # one document per blank-line block; the \r is normalised like any stored \r
    assert [(text, spans) for text, spans, _ in stored] == [
        ("Acme\nCorp said.", [("ORG", "Acme\nCorp")]),
        ("Oslo waits", [("GPE", "Oslo")]),
    ]


def test_prodigy_task_answered_ignore_leaves_its_spans_to_review(tmp_path):
    """In Prodigy, "ignore" is an example the annotator skipped: its spans are not
    confirmed work (they used to import as accepted and would train as gold)."""
    source = tmp_path / "prodigy.jsonl"
    tasks = [
        {"text": "Oslo is cold.", "spans": [{"start": 0, "end": 4, "label": "GPE"}], "answer": "ignore"},
        {"text": "Bergen is wet.", "spans": [{"start": 0, "end": 6, "label": "GPE"}], "answer": "accept"},
        {"text": "Paris is far.", "spans": [{"start": 0, "end": 5, "label": "GPE"}], "answer": "reject"},
    ]
    source.write_text("\n".join(json.dumps(task) for task in tasks), encoding="utf-8")
    repo = Repository(tmp_path / "quire.db")
    try:
        import_paths(repo, [source])
        statuses = {
            repo.document(i).text.split()[0]: [s.status for s in repo.spans(i)] for i in repo.document_ids()
        }
    finally:
        repo.close()
    assert statuses == {"Oslo": [Status.SUGGESTED], "Bergen": [Status.ACCEPTED], "Paris": [Status.REJECTED]}


def test_brat_event_with_two_content_arguments_makes_two_claims_and_no_content_entity(tmp_path):
    """brat numbers a repeated role (``Content:T3 Content2:T4``); the reader kept only the
    last content, and the other became an accepted entity labelled "Content" that would
    have entered NER training (brat #173 shape)."""
    text = "Anna Berg said we will win and that talks go on.\nBo typed a Cue word."
    (tmp_path / "c.txt").write_text(text, encoding="utf-8")

    def bound(ident: str, label: str, part: str) -> str:
        start = text.index(part)
        return f"{ident}\t{label} {start} {start + len(part)}\t{part}"

    (tmp_path / "c.ann").write_text("\n".join([
        bound("T1", "PERSON", "Anna Berg"), bound("T2", "Cue", "said"),
        bound("T3", "Content", "we will win"), bound("T4", "Content", "talks go on"),
        bound("T5", "Cue", "Cue word"), bound("T6", "PERSON", "Bo"),
        "E1\tAttribution:T2 Source:T1 Content:T3 Content2:T4 Source2:T6",
    ]) + "\n", encoding="utf-8")  # fmt: skip
    report, [(_, spans, claims)] = imported(tmp_path, tmp_path / "c.txt")
    by_content = sorted(claims, key=lambda parts: parts["content"])
    assert by_content == [
        {"content": "talks go on", "cue": "said", "source": "Anna Berg"},
        {"content": "we will win", "cue": "said", "source": "Anna Berg"},
    ]
    assert spans == [("PERSON", "Anna Berg"), ("PERSON", "Bo")], "no entity labelled Cue or Content"
    assert sorted(p.message for p in report.warnings) == [
        "E1: 2 Source arguments; the first, T1, kept",
        "T5: a Cue annotation that no claim uses; not imported as an entity",
    ]


def test_label_studio_hypertext_task_is_refused_and_plain_tasks_still_import(tmp_path):
    """A HyperText task's offsets are XPaths into its markup: it used to import the raw
    markup as the article's text (the adversarial test of the last round)."""
    source = tmp_path / "tasks.json"
    tasks = [
        {"id": 1, "data": {"html": "<p>Oslo is <b>cold</b>.</p>"}, "annotations": []},
        {"id": 2, "data": {"text": "<div><p>Rome waits.</p></div>"}},
        {"id": 3, "data": {"text": "Bergen is wet."}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": 0, "end": 6, "labels": ["GPE"]}}]}]},
        {"id": 4, "data": {"page": "Oslo", "title": "x"}, "annotations": [{"result": [{
            "type": "hypertextlabels",
            "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0,
                      "endOffset": 4, "hypertextlabels": ["GPE"]}}]}]},
    ]  # fmt: skip
    source.write_text(json.dumps(tasks), encoding="utf-8")
    report, stored = imported(tmp_path, source)
    assert [(text, spans) for text, spans, _ in stored] == [("Bergen is wet.", [("GPE", "Bergen")])]
    assert [(p.path.rsplit("#", 1)[1], "HyperText" in p.message) for p in report.problems] == [
        ("task 1", True), ("task 2", True), ("task 4", True)
    ]  # fmt: skip


def test_conll_u_shaped_lines_take_the_word_column_and_skip_comments(tmp_path):
    """``1<TAB>Paris<TAB>_<TAB>B-LOC`` stored "1" as the token, and ``# text = ...``
    comments became tokens (the adversarial test of the last round)."""
    source = tmp_path / "u.conll"
    source.write_text(
        "# sent_id = 1\n# text = Paris is big.\n1\tParis\t_\tB-LOC\n2\tis\t_\tO\n3\tbig\t_\tO\n4\t.\t_\tO\n\n"
        "# text = Anna Berg came.\n"
        "1\tAnna\tAnna\tPROPN\tNNP\t_\t3\tnsubj\t_\tNER=B-PER\n"
        "2\tBerg\tBerg\tPROPN\tNNP\t_\t1\tflat\t_\tNER=I-PER|SpaceAfter=No\n"
        "3\tcame\tcome\tVERB\tVBD\t_\t0\troot\t_\t_\n\n"
        "# O\n1 O\nof O\n3 O\n",
        encoding="utf-8",
    )
    report, stored = imported(tmp_path, source)
    assert not report.problems and not report.warnings
    assert [(text, spans) for text, spans, _ in stored] == [
        ("Paris is big.", [("LOC", "Paris")]),
        ("Anna Berg came", [("PERSON", "Anna Berg")]),  # PER -> PERSON: resources/label_map.toml
        ("# 1 of 3", []),  # CoNLL-2003 tokens "#", "1", "3": not numbered 1, 2, 3 in order
    ]


def test_lone_brat_annotations_in_a_folder_are_named_not_skipped(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.ann").write_text("T1\tPERSON 0 4\tAnna\n", encoding="utf-8")
    (folder / "b.txt").write_text("Weather\n\nBergen is wet and grey today.\n", encoding="utf-8")
    report, stored = imported(tmp_path, folder)
    assert [text.strip() for text, _, _ in stored] == ["Bergen is wet and grey today."]
    assert [str(p) for p in report.problems] == [
        f"{folder / 'a.ann'}: brat annotations without a.txt beside them: not imported "
        "(brat needs the .txt and the .ann)"
    ]


def test_brat_annotation_without_a_label_is_skipped_with_its_line(tmp_path):
    (tmp_path / "e.txt").write_text("Anna met Bo.", encoding="utf-8")
    (tmp_path / "e.ann").write_text("T1\t 0 4\tAnna\nT2\tPERSON 9 11\tBo\n", encoding="utf-8")
    report, [(_, spans, _)] = imported(tmp_path, tmp_path / "e.txt")
    assert spans == [("PERSON", "Bo")]
    assert [p.message for p in report.warnings] == ["line 1: T1 has no label before its offsets; skipped"]


def test_language_codes_are_stored_as_tags_and_a_non_tag_is_refused_by_line(tmp_path):
    source = tmp_path / "langs.jsonl"
    lines = [
        {"text": "Oslo is cold.", "language": "EN"},
        {"text": "Rio é quente.", "language": "pt_br"},
        {"text": "Taipei.", "language": "zh-hant-tw"},
        {"text": "Kronos.", "language": "../../etc"},
    ]
    source.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [source])
        languages = [repo.document(i).language for i in repo.document_ids()]
    finally:
        repo.close()
    assert languages == ["en", "pt-BR", "zh-Hant-TW"]
    assert [str(p) for p in report.problems] == [
        f"{source}:4: language '../../etc' is not a language tag such as en, de or pt-BR"
    ]


def test_jsonl_claim_naming_a_span_the_record_lacks_and_a_span_accepted_and_rejected_say_so(tmp_path):
    source = tmp_path / "claims.jsonl"
    record = {
        "text": "Anna said Oslo is cold.",
        "spans": [
            {"start": 0, "end": 4, "label": "PERSON", "status": "accepted"},
            {"start": 0, "end": 4, "label": "PERSON", "status": "rejected"},
        ],
        "claims": [{"content": {"start": 10, "end": 22}, "source_span_index": 7}],
    }
    source.write_text(json.dumps(record), encoding="utf-8")
    report, [(_, spans, claims)] = imported(tmp_path, source)
    assert spans == [("PERSON", "Anna"), ("PERSON", "Anna")] and claims == [{"content": "Oslo is cold"}]
    assert [p.message for p in report.problems] == [
        "claim 1: its source_span_index 7 names no stored span of the record (0-based positions in "
        "its spans); kept the claim without the link"
    ]
    assert [p.message for p in report.warnings] == [
        "span 2 (PERSON 0-4 'Anna') is rejected and span 1 accepts the same span; both kept: review it"
    ]


def test_label_studio_text_holding_tags_anywhere_is_refused(tmp_path):
    """The round's second adversarial test: a HyperText task whose markup does not start
    with a block tag (``<b>Angela Merkel</b> visited``, a ``<table>``) stored the markup."""
    source = tmp_path / "tasks.json"
    tasks = [
        {"id": 1, "data": {"text": "<b>Angela Merkel</b> visited <i>Paris</i>."}},
        {"id": 2, "data": {"text": "<table><tr><td>Paris</td></tr></table>"}},
        {"id": 3, "data": {"text": "Prices rose 3 < 5 % and x > y, said Anna."}},  # no tag
    ]
    source.write_text(json.dumps(tasks), encoding="utf-8")
    report, stored = imported(tmp_path, source)
    assert [text for text, _, _ in stored] == ["Prices rose 3 < 5 % and x > y, said Anna."]
    assert [("HyperText" in p.message, p.path.rsplit("#", 1)[1]) for p in report.problems] == [
        (True, "task 1"), (True, "task 2")
    ]  # fmt: skip


def test_labels_holding_markup_are_read_without_it_or_left_out(tmp_path):
    conll = tmp_path / "m.conll"
    conll.write_text("Paris\tB-<b>LOC</b>\nwaits\tO\n", encoding="utf-8")
    report, [(_, spans, _)] = imported(tmp_path, conll)
    assert spans == [("LOC", "Paris")]
    assert "label '<b>LOC</b>' holds markup; read as 'LOC'" in [p.message for p in report.warnings]
    source = tmp_path / "tasks.json"
    result = [{"type": "labels", "value": {"start": 0, "end": 4, "labels": ["<span style='x'></span>"]}}]
    source.write_text(json.dumps([{"data": {"text": "Anna came."}, "annotations": [{"result": result}]}]))
    (tmp_path / "second").mkdir()
    report, [(_, spans, _)] = imported(tmp_path / "second", source)
    assert spans == []
    assert "label \"<span style='x'></span>\" is only markup; its spans are not imported" in [
        p.message for p in report.warnings
    ]


def test_label_studio_utf16_offsets_without_text_are_read_as_utf16_when_only_they_fit_words(tmp_path):
    """Label Studio before 1.4 counted UTF-16 units; without ``value.text`` the spans after
    an emoji were stored one character late ("erkel", "aris") as accepted gold."""
    source = tmp_path / "tasks.json"
    result = [
        {"type": "labels", "value": {"start": 3, "end": 9, "labels": ["PERSON"]}},
        {"type": "labels", "value": {"start": 18, "end": 23, "labels": ["GPE"]}},
    ]
    source.write_text(
        json.dumps(
            [{"data": {"text": "😀 Merkel visited Paris today."}, "annotations": [{"result": result}]}]
        )
    )
    report, [(_, spans, _)] = imported(tmp_path, source)
    assert spans == [("PERSON", "Merkel"), ("GPE", "Paris")]
    assert [p.message for p in report.warnings] == [
        "span 'Merkel' at 3-9 counted in UTF-16 code units; read as 2-8",
        "span 'Paris' at 18-23 counted in UTF-16 code units; read as 17-22",
    ]


def test_conllu_files_and_multiword_tokens_keep_the_sentence_as_written(tmp_path):
    source = tmp_path / "ud.conllu"
    source.write_text(
        "# text = Vámonos al mar con Ana.\n"
        "1-2\tVámonos\t_\t_\t_\t_\t_\t_\t_\t_\n1\tVamos\tir\tVERB\t_\t_\t0\troot\t_\t_\n"
        "2\tnos\tnosotros\tPRON\t_\t_\t1\tobj\t_\t_\n3-4\tal\t_\t_\t_\t_\t_\t_\t_\t_\n"
        "3\ta\ta\tADP\t_\t_\t5\tcase\t_\t_\n4\tel\tel\tDET\t_\t_\t5\tdet\t_\t_\n"
        "5\tmar\tmar\tNOUN\t_\t_\t1\tobl\t_\tNER=B-LOC\n5.1\tvoy\tir\tVERB\t_\t_\t_\t_\t_\t_\n"
        "6\tcon\tcon\tADP\t_\t_\t7\tcase\t_\t_\n7\tAna\tAna\tPROPN\t_\t_\t1\tobl\t_\tNER=B-PER|SpaceAfter=No\n"
        "8\t.\t.\tPUNCT\t_\t_\t1\tpunct\t_\t_\n",
        encoding="utf-8",
    )
    report, [(text, spans, _)] = imported(tmp_path, source)
    assert not report.problems
    assert text == "Vámonos al mar con Ana."
    assert spans == [("LOC", "mar"), ("PERSON", "Ana")]


def test_brat_attributes_on_an_entity_are_named_and_capital_suffixes_pair(tmp_path):
    (tmp_path / "upper.txt").write_text("Anna did not go to Oslo.", encoding="utf-8")
    (tmp_path / "upper.ANN").write_text(
        "T1\tPERSON 0 4\tAnna\nT2\tGPE 19 23\tOslo\nA1\tNegated T1\nA2\tConfidence T1 Low\n"
        "#1\tAnnotatorNotes T2\tdoubtful\n",
        encoding="utf-8",
    )
    report, [(_, spans, _)] = imported(tmp_path, tmp_path)  # the folder: upper.txt pairs with upper.ANN
    assert spans == [("PERSON", "Anna"), ("GPE", "Oslo")]
    assert [p.message for p in report.warnings] == [
        "T1: attribute negated, attribute confidence on a text annotation not imported",
        "T2: annotator note on a text annotation not imported",
    ]


def test_a_regional_language_tag_uses_its_language_pipeline_and_tokenizer():
    from models.nlp.loading import resolve_model_name
    from models.nlp.tokens import blank_pipeline

    assert resolve_model_name(None, "en-US") == resolve_model_name(None, "en") is not None
    assert blank_pipeline("pt-BR").lang == "pt" and blank_pipeline("zz-QQ").lang == "xx"
