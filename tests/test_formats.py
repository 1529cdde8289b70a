"""Other tools' formats (storage/formats): every span on the right characters, claims from
brat, fields of news pages and feeds, one-line problems, and a round trip of each file
through Quire's JSONL export with the same spans and claims."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from main import main
from storage import formats
from storage.exporters import ExportOptions, export_corpus
from storage.formats.records import ImportOptions, normalised
from storage.importers import import_paths
from storage.repository import Repository

IMPORT = Path(__file__).parent / "data" / "import"


def documents(repo: Repository) -> dict[str, object]:
    """Title -> document, for the imported test files."""
    return {doc.title: doc for doc in (repo.document(i) for i in repo.document_ids())}


def spans_of(repo: Repository, title: str) -> list[tuple[str, str]]:
    doc = documents(repo)[title]
    return sorted((span.label, doc.text[span.start : span.end]) for span in repo.spans(doc.id))


def annotations(repo: Repository) -> dict[str, tuple[list, list]]:
    """Text -> (spans, claims) as comparable tuples."""
    result = {}
    for doc_id in repo.document_ids():
        doc = repo.document(doc_id)
        spans = sorted((s.start, s.end, s.label, s.text, str(s.status), s.origin) for s in repo.spans(doc_id))
        claims = sorted(
            (tuple(c.parts().values()), str(c.source_kind), str(c.certainty), str(c.status), c.origin, c.note)
            for c in repo.claims(doc_id)
        )
        result[doc.text] = (spans, claims)
    return result


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Repository, object]:
    repo = Repository(tmp_path_factory.mktemp("formats") / "quire.db", annotator="tester")
    report = import_paths(repo, [IMPORT])
    yield repo, report
    repo.close()


def test_every_file_of_the_folder_imports_except_the_page_without_an_article(imported):
    repo, report = imported
    assert len(report.imported) == 20
    assert [str(p) for p in report.problems] == [
        f"{IMPORT}/html/members_login.html: no article found: 39 characters of main text "
        "(page title 'Sign in'), fewer than 250; nothing imported"
    ]


def test_brat_spans_crlf_emoji_and_the_discontinuous_hull(imported):
    repo, report = imported
    title = "Harbour pilots in Verran walk out over rota changes"
    assert spans_of(repo, title) == [
        ("GPE", "Verran"),
        ("ORG", "Coastal Ledger"),
        ("ORG", "pilots' association"),  # T8, two fragments: their hull
        ("ORG", "the pilots' association"),
        ("PERSON", "Piet Van Loon"),
        ("PERSON_ROLE", "A port authority spokeswoman"),  # after the emoji and three CRLFs
    ]
    doc = documents(repo)[title]
    assert "\r" not in doc.text
    assert any(
        "T8 ORG is discontinuous (109 116;117 128); imported as its hull 109-128" in str(w)
        for w in report.warnings
    )
    assert any("annotation kinds N not imported" in str(w) for w in report.warnings)


def test_brat_events_and_relations_become_claims_with_their_source_linked(imported):
    repo, _ = imported
    doc = documents(repo)["Harbour pilots in Verran walk out over rota changes"]
    spans = {span.id: span.text for span in repo.spans(doc.id)}
    claims = {doc.text[c.content_start : c.content_end]: c for c in repo.claims(doc.id)}
    quote = claims["Safety comes before the timetable,"]
    assert doc.text[quote.cue_start : quote.cue_end] == "told"
    assert spans[quote.source_span_id] == "Piet Van Loon"
    assert (quote.source_kind, quote.certainty, quote.origin) == ("named_person", "asserted", "import:brat")
    talks = claims["talks would resume on Thursday"]
    assert (talks.cue_start, talks.source_kind, talks.certainty) == (None, "anonymous_official", "hedged")
    assert talks.note == "spokeswoman not named"
    strike = claims["Harbour pilots in Verran stopped work on Tuesday"]
    assert spans[strike.source_span_id] == "the pilots' association"
    assert strike.source_kind == "named_organisation"


def test_conll_iob1_iob2_and_biluo_detokenised_with_token_offsets(imported):
    repo, _ = imported
    docs = documents(repo)
    gas = docs["Norway gas plant outage cuts exports to Germany"]
    assert gas.text.split("\n")[2] == '"We are working around the clock," spokesman Erik Haugen told Reuters.'
    assert spans_of(repo, gas.title) == [
        ("LOC", "Germany"), ("LOC", "Kollsnes"), ("LOC", "Norway"), ("ORG", "Equinor"), ("ORG", "Reuters"),
        ("PERSON", "Erik Haugen"),  # PER through [import] of label_map.toml
    ]  # fmt: skip
    tokens = gas.meta["tokens"]
    assert [gas.text[s:e] for s, e in tokens[:3]] == ["Norway", "gas", "plant"]
    assert len(tokens) == 8 + 15 + 15
    cyclone = "Cyclone Idai 🌀 reached Beira on Thursday night, the World Food Programme said."
    assert docs[cyclone].text == cyclone  # CRLF file, blank-line documents, emoji
    assert spans_of(repo, cyclone) == [
        ("DATE", "Thursday night"), ("EVENT", "Idai"), ("GPE", "Beira"), ("ORG", "World Food Programme")
    ]  # fmt: skip
    assert docs["Officials in Maputo said (on Friday) that roads were cut."]
    marseille = next(doc for title, doc in docs.items() if title.startswith("Marseille port officials"))
    assert marseille.text.endswith('The mayor, Benoît Payan, said he was "shocked".')
    assert spans_of(repo, marseille.title) == [
        ("GPE", "Marseille"), ("ORG", "National Financial Prosecutor's Office"), ("PERSON", "Benoît Payan")
    ]  # fmt: skip


def test_doccano_both_layouts_with_emoji_and_crlf(imported):
    repo, _ = imported
    drone = "Drone sightings close Gothenburg airport 🛩️ for two hours"
    assert spans_of(repo, drone) == [
        ("DATE", "Sunday"), ("FAC", "Landvetter"), ("GPE", "Gothenburg"), ("ORG", "Swedish police")
    ]  # fmt: skip
    assert documents(repo)[drone].meta["id"] == 101
    malawi = next(t for t in documents(repo) if t.startswith("Malawi's electoral commission"))
    assert spans_of(repo, malawi) == [("DATE", "Friday"), ("ORG", "Malawi's electoral commission")]


def test_label_studio_code_points_and_old_utf16_offsets(imported):
    repo, report = imported
    brno = next(t for t in documents(repo) if t.startswith("Czech hospital in Brno"))
    assert spans_of(repo, brno) == [("GPE", "Brno"), ("ORG", "the health ministry")]
    assert documents(repo)[brno].source == "site-12"
    red_sea = next(t for t in documents(repo) if t.startswith("Red Sea"))
    assert spans_of(repo, red_sea) == [
        ("GPE", "Hodeidah"), ("LOC", "Red Sea"), ("ORG", "UK maritime agency"), ("PRODUCT", "Maris Dawn")
    ]  # fmt: skip
    assert any(
        "'Maris Dawn' at 34-44 counted in UTF-16 code units; read as 33-43" in str(w) for w in report.warnings
    )


def test_docbin_ents_span_groups_and_user_data(imported):
    repo, _ = imported
    title = "Tigris water levels fall again 🌾"
    doc = documents(repo)[title]
    assert doc.published == "2026-06-30"
    assert doc.meta["desk"] == "Middle East"
    assert doc.meta["user_data"] == {"wire_id": "ME-2026-0630-17"}
    assert spans_of(repo, title) == [
        ("CLAIM_CONTENT", "water levels fell again in June"), ("DATE", "June"), ("GPE", "Baghdad"),
        ("LOC", "Tigris"), ("ORG", "the agriculture ministry in Baghdad"),
    ]  # fmt: skip


def test_unknown_labels_are_kept_and_named_once(imported):
    repo, report = imported
    lines = [str(w) for w in report.warnings if "kept as they are" in str(w)]
    assert lines == [
        "labels: labels not in the label set nor in [import] of resources/label_map.toml, kept as they are: "
        "CLAIM_CONTENT (1), PERSON_ROLE (1), PRODUCT (1)"
    ]


def test_imported_annotations_are_accepted_with_their_format_as_origin(imported):
    repo, _ = imported
    origins = {(str(s.status), s.origin) for i in repo.document_ids() for s in repo.spans(i)}
    assert origins == {
        ("accepted", f"import:{name}") for name in ("brat", "conll", "doccano", "labelstudio", "spacy")
    }


def test_each_file_round_trips_through_quire_jsonl(imported, tmp_path):
    repo, _ = imported
    out = tmp_path / "corpus.jsonl"
    export_corpus(repo, ExportOptions(format="jsonl", out=out, status="all"))
    again = Repository(tmp_path / "again.db", annotator="tester")
    try:
        report = import_paths(again, [out])
        assert not report.problems
        assert annotations(again) == annotations(repo)
        assert sum(len(spans) for spans, _ in annotations(again).values()) == 43
    finally:
        again.close()


def test_as_suggestions_from_the_command_line(tmp_path, capsys):
    db = tmp_path / "quire.db"
    code = main(
        [
            "import",
            "--db",
            str(db),
            "--quiet",
            "--as-suggestions",
            str(IMPORT / "brat"),
            str(IMPORT / "doccano"),
        ]
    )
    assert code == 0
    repo = Repository(db)
    try:
        statuses = {str(s.status) for i in repo.document_ids() for s in repo.spans(i)}
        claim_statuses = {str(c.status) for i in repo.document_ids() for c in repo.claims(i)}
    finally:
        repo.close()
    assert statuses == {"suggested"}
    assert claim_statuses == {"suggested"}
    assert "imported 3 document(s)" in capsys.readouterr().out


def test_news_page_fields_and_no_boilerplate(imported):
    repo, _ = imported
    doc = documents(repo)["Dock workers in Port Verran extend strike over automation plan"]
    assert (doc.source, doc.published, doc.language) == ("The Coastal Ledger", "2026-03-14", "en")
    assert doc.meta["author"] == "Ilse Marchetti"
    assert doc.meta["site_name"] == "The Coastal Ledger"
    assert doc.meta["url"] == "https://ledger.example.org/business/2026/03/verran-dock-strike-extended"
    assert doc.text.startswith("Dock workers in the port of Verran voted on Friday")
    assert doc.text.endswith("to widen the action to the neighbouring ferry terminal.")
    assert doc.text.count("\n\n") == 5  # six paragraphs
    for boilerplate in (
        "cookies",
        "Subscribe",
        "Advertisement",
        "Most read",
        "Comments",
        "harbourwatcher",
        "newsletter",
    ):
        assert boilerplate not in doc.text


def test_page_in_its_declared_encoding(imported):
    repo, _ = imported
    doc = documents(repo)["Les pêcheurs de Sète bloquent le port après la hausse du gazole"]
    assert (doc.language, doc.published, doc.source) == ("fr", "2026-02-03", "Le Courrier du Littoral")
    assert doc.meta["encoding"] == "cp1252"
    assert "« À ce prix-là, chaque sortie en mer nous coûte de l'argent »" in doc.text
    assert "cookies" not in doc.text and "lire aussi" not in doc.text


def test_web_archive_page_in_its_mime_charset_and_transfer_encoding(imported):
    repo, _ = imported
    doc = documents(repo)["Oruna reopens schools closed by the floods"]
    assert doc.meta["url"] == "https://meridianwire.example.com/world/oruna-schools-reopen"
    assert (doc.published, doc.source, doc.meta["file"]) == (
        "2026-04-29",
        "Meridian Wire",
        "oruna_schools.mhtml",
    )
    assert doc.text.startswith("ORUNA, April 29 (Meridian Wire) - Schools in Oruna reopened on Tuesday")
    assert "🏫 about 40 buildings" in doc.text  # quoted-printable UTF-8 decoded
    assert "=3D" not in doc.text and "Sign up" not in doc.text and "Related coverage" not in doc.text


def test_feeds_one_document_per_item_and_summary_only_items_say_so(imported):
    repo, report = imported
    docs = documents(repo)
    ferry = docs["Ferry operator cancels winter timetable to the islands"]
    assert (ferry.source, ferry.published) == ("The Coastal Ledger - Business", "2026-03-11")
    assert ferry.meta["summary_only"] is False
    assert ferry.text.count("\n\n") == 2 and "Maren Holt" in ferry.text
    fish = docs["Fish auction prices fall for a third week"]
    assert fish.meta["summary_only"] is True
    assert fish.text == (
        "Prices at the Verran fish auction fell for a third consecutive week, traders said, "
        "as cheaper imports reached the market."
    )
    kessa = docs["Kessa port reopens berths closed by flooding"]
    assert (kessa.published, kessa.meta["summary_only"]) == ("2026-04-22", True)
    assert (
        docs["Oruna rail bridge repairs to start next week, ministry says"].meta["author"] == "Daniel Okafor"
    )
    summary_warnings = [str(w) for w in report.warnings if "summary only" in str(w)]
    assert [w.split("#")[1].split(":")[0] for w in summary_warnings] == ["item 2", "item 2"]


def test_pages_and_feeds_import_without_any_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [IMPORT / "html", IMPORT / "feeds"])
    finally:
        repo.close()
    assert len(report.imported) == 8


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.html", b"<html><head><meta charset='klingon'></head><body>x</body></html>",
         "the page declares charset 'klingon', which is not a known encoding"),
        ("undeclared.html", "<html><body><p>Gar\u00e7on</p></body></html>".encode("latin-1"),
         "the page declares no charset but byte 0xe7 at offset 18 is not utf-8; "
         "save it again with its encoding declared"),
        ("notes.xml", b"<notes><note>hello</note></notes>", "not an RSS or Atom feed"),
        ("broken.spacy", b"\x00\x01not a docbin",
         "not a spaCy DocBin file (ValueError); export it again with DocBin.to_disk"),
        ("orphan.ann", b"T1\tPERSON 0 4\tAnna\n",
         "brat needs both orphan.txt and orphan.ann; orphan.txt is missing"),
        ("tasks.json", b'{"data": {"a": 1, "b": 2}}',
         'task data has no "text" field (and not exactly one string value)'),
    ],
)  # fmt: skip
def test_bad_files_give_one_line_and_import_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [path])
        assert repo.document_count() == 0
    finally:
        repo.close()
    assert len(report.problems) == 1
    line = str(report.problems[0])
    assert line.startswith(str(path)) and line.endswith(f": {message}")
    assert "\n" not in str(report.problems[0])


def test_malformed_doccano_line_is_refused_and_the_rest_imports(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"text": "Oslo is cold.", "label": [[0, 4, "GPE"]]}\n{"text": "x", "label": [[0, 1\n'
        '{"text": "Bergen is wet.", "label": [[0, 6, "GPE"], [20, 30, "GPE"]]}\n',
        encoding="utf-8",
    )
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [path])
        stored = [(s.label, s.text) for i in repo.document_ids() for s in repo.spans(i)]
    finally:
        repo.close()
    assert stored == [("GPE", "Oslo"), ("GPE", "Bergen")]
    assert [str(p) for p in report.problems] == [
        f"{path}:2: malformed JSON (Expecting ',' delimiter, column 30)",
        f"{path}:3: span 2: range 20-30 is outside the text (0-14) or empty",
    ]


def test_format_registry_sniffs_shared_suffixes(tmp_path):
    quire = tmp_path / "quire.jsonl"
    quire.write_text(
        '{"text": "Oslo", "spans": [{"start": 0, "end": 4, "label": "GPE"}]}\n', encoding="utf-8"
    )
    doccano = tmp_path / "doccano.jsonl"
    doccano.write_text('{"text": "Oslo", "label": [[0, 4, "GPE"]]}\n', encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Title\n\nBody.\n", encoding="utf-8")
    assert [formats.format_for(p) for p in (quire, doccano, article)] == [None, "doccano", None]
    article.with_suffix(".ann").write_text("", encoding="utf-8")
    assert formats.format_for(article) == "brat"
    assert formats.format_for(IMPORT / "conll" / "cyclone.iob") == "conll"


def test_offsets_are_carried_through_line_ending_normalisation():
    text = "a\r\nbc\rd\r\n\r\nef"
    stored, carry = normalised(text)
    assert stored == "a\nbc\nd\n\nef"
    for start, end in ((0, 1), (3, 5), (6, 7), (11, 13), (1, 3)):
        piece = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
        assert stored[carry(start) : carry(end)] == piece


def test_import_options_as_suggestions_in_records(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "Oslo is cold.", "label": [[0, 4, "GPE"]]}) + "\n", encoding="utf-8")
    repo = Repository(tmp_path / "quire.db")
    try:
        import_paths(repo, [path], options=ImportOptions(as_suggestions=True))
        spans = repo.spans(repo.document_ids()[0])
    finally:
        repo.close()
    assert [(s.text, str(s.status), s.origin) for s in spans] == [("Oslo", "suggested", "import:doccano")]


def test_brat_lines_that_cannot_be_read_are_named_and_the_rest_imports(tmp_path):
    (tmp_path / "a.txt").write_text("Anna Berg met Oslo officials.\n", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tPERSON 0 9\tAnna Berg\n"
        "T2\tGPE 14 18\tOsl0\n"  # the stated text is not the document's
        "T3\tORG 14 99\tOslo officials\n"  # outside the text
        "T4\tGPE 14 18\tOslo\n"
        "T5\tORG 14, 28\tOslo officials\n"  # malformed offsets
        "R1\tMet Arg1:T1 Arg2:T4\n",  # a relation that is not a claim
        encoding="utf-8",
    )
    repo = Repository(tmp_path / "quire.db")
    try:
        report = import_paths(repo, [tmp_path / "a.txt"])
        spans = [(s.label, s.text) for s in repo.spans(repo.document_ids()[0])]
    finally:
        repo.close()
    assert spans == [("PERSON", "Anna Berg"), ("GPE", "Oslo")]
    assert [p.message for p in report.warnings] == [
        "line 2: T2 text 'Osl0' does not match the document's 'Oslo' at 14 18; skipped",
        "line 3: T3 offsets 14 99 are outside the text (0-30); skipped",
        "line 5: T5 offsets '14, 28' are not 'START END' pairs; skipped",
        "events/relations without a Content role not imported: R1",
    ]
