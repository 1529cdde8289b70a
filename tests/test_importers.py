"""Importing articles: formats, boilerplate, duplicates, and every kind of bad input.
Each bad file gives a one-line message naming the file (and line) and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from main import main
from models.resources import SAMPLE_CORPUS
from storage import importers
from storage.importers import import_paths
from storage.repository import Repository

DATA = Path(__file__).parent / "data"


def snapshot(repo: Repository) -> list[tuple]:
    return list(
        repo.db.execute(
            "SELECT id, title, text, text_hash, source, status FROM documents "
            "JOIN document_texts USING (id) ORDER BY id"
        )
    )


@pytest.fixture
def seeded(repo: Repository) -> Repository:
    report = import_paths(repo, [DATA / "seed_article.txt"])
    assert len(report.imported) == 1
    return repo


def test_plain_text_title_source_and_boilerplate(seeded):
    doc = seeded.document(seeded.document_ids()[0])
    assert doc.title == "Iraq: missile fire against international coalition troops"
    assert doc.source == "site-64"
    assert "source site-64" not in doc.text
    assert "Read also" not in doc.text
    assert doc.text.startswith("Around ten missiles")
    assert doc.text.endswith("pro-Iran armed groups.")


def test_reimport_is_skipped_and_reported(seeded):
    before = snapshot(seeded)
    report = import_paths(seeded, [DATA / "seed_article.txt"])
    assert report.imported == [] and len(report.duplicates) == 1
    assert "already in the database" in report.lines()[0]
    assert snapshot(seeded) == before


def test_a_folder_import_leaves_its_readme_and_names_repeats_within_the_import(repo, tmp_path):
    """The newcomer trial imported the Wikinews folder: its README.md became an article,
    and the JSONL lines repeating the folder's .txt files were each "already in the
    database" of an empty database."""
    folder = tmp_path / "wikinews"
    folder.mkdir()
    (folder / "README.md").write_text(
        "Wikinews articles\n\nCC BY 2.5; credit the authors.\n", encoding="utf-8"
    )
    (folder / "a.txt").write_text("Storm hits Oslo\n\nA storm hit Oslo on Monday.\n", encoding="utf-8")
    lines = [{"title": "Storm hits Oslo", "text": "A storm hit Oslo on Monday."}, {"text": "Rain in Bergen."}]
    (folder / "b.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report = import_paths(repo, [folder])
    assert sorted(repo.document(i).text.strip() for i in repo.document_ids()) == [
        "A storm hit Oslo on Monday.", "Rain in Bergen."
    ]  # fmt: skip
    assert report.lines() == [
        f"{folder / 'b.jsonl'}:1: the same text as {folder / 'a.txt'}, skipped",
        f"{folder / 'README.md'}: not imported: README.md in a folder is taken for the folder's own notes, "
        "not an article (import the file by name to keep it) (warning)",
    ]
    assert report.summary() == (
        "imported 2 document(s), skipped 1 repeating a text read earlier in this import, 1 warning(s)"
    )
    again = import_paths(repo, [folder / "a.txt", folder / "README.md"])  # by name: the README imports
    assert again.lines() == [f"{folder / 'a.txt'}: already in the database, skipped"]
    assert len(again.imported) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\n \n", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        ("latin1.txt", "Café in Zürich\n\nLe café est fermé.".encode("latin-1"), "not valid UTF-8"),
        ("title_only.md", b"# Just a title\n\n", "no text"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_change_nothing(seeded, tmp_path, name, content, message):
    before = snapshot(seeded)
    bad = tmp_path / name
    bad.write_bytes(content)
    report = import_paths(seeded, [bad])
    assert report.imported == []
    assert len(report.problems) == 1
    line = str(report.problems[0])
    assert message in line and name in line and "\n" not in line
    assert snapshot(seeded) == before


def test_oversized_file_is_refused(seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "huge.txt"
    big.write_text("Title\n\n" + "word " * 1000, encoding="utf-8")
    before = snapshot(seeded)
    report = import_paths(seeded, [big])
    assert "over the" in str(report.problems[0]) and "huge.txt" in str(report.problems[0])
    assert snapshot(seeded) == before


def test_malformed_jsonl_lines_named_and_good_lines_kept(repo, tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "First good article about Paris.", "title": "One", "meta": {"feed": "x"}}),
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps(["a", "list"]),
        '{"text": "broken \\ud800 surrogate"}',
        "",
        json.dumps({"text": "Second good article, from Kyiv 🇺🇦.", "published": "2026-01-02"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(repo, [path])
    assert len(report.imported) == 2
    problems = [str(p) for p in report.problems]
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5"]
    assert "unpaired surrogate" in problems[3]
    assert "malformed JSON" in problems[0] and '"text"' in problems[1]
    docs = [repo.document(i) for i in repo.document_ids()]
    assert docs[0].title == "One" and docs[0].meta == {"feed": "x"}
    assert docs[1].published == "2026-01-02" and docs[1].title.startswith("Second good")


def test_batch_with_one_bad_file_imports_the_good_ones(repo, tmp_path):
    folder = tmp_path / "feed"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Alpha\n\nAlpha text in Rome.", encoding="utf-8")
    (folder / "sub" / "b.md").write_text("Beta\n\nBeta text in Oslo.\n\nsource wire-2", encoding="utf-8")
    (folder / "sub" / "bad.txt").write_bytes(b"\xff\xfe\x00broken")
    (folder / ".hidden.txt").write_text("Hidden\n\nNot imported.", encoding="utf-8")
    report = import_paths(repo, [folder])
    assert len(report.imported) == 2
    assert len(report.problems) == 1 and "bad.txt" in str(report.problems[0])
    titles = sorted(repo.document(i).title for i in repo.document_ids())
    assert titles == ["Alpha", "Beta"]
    assert repo.document(repo.document_ids()[1]).source == "wire-2"


def test_rtl_emoji_and_crlf_text_stored_exactly(repo, tmp_path):
    path = tmp_path / "rtl.txt"
    path.write_bytes("عنوان الخبر\r\n\r\nقال المسؤول 🙂 إن الوفد وصل.\r\nSecond line.".encode())
    import_paths(repo, [path])
    doc = repo.document(repo.document_ids()[0])
    assert doc.title == "عنوان الخبر"
    assert doc.text == "قال المسؤول 🙂 إن الوفد وصل.\nSecond line."


def test_sample_corpus_imports_cleanly(repo):
    report = import_paths(repo, [SAMPLE_CORPUS])
    assert len(report.imported) >= 8 and not report.problems
    texts = [repo.document(i).text for i in repo.document_ids()]
    assert any(any(ord(ch) > 0xFFFF for ch in text) for text in texts), "one article has emoji"
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in text) for text in texts), "one has Arabic script"


def test_cli_import_and_stats(tmp_path, capsys):
    db = tmp_path / "cli.db"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["import", "--db", str(db), "--quiet", str(DATA / "seed_article.txt"), str(bad)]) == 0
    captured = capsys.readouterr()
    assert "imported 1 document(s), refused 1" in captured.out
    assert "bad.txt: file is empty" in captured.err
    assert main(["stats", "--db", str(db), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == {"total": 1, "by_status": {"new": 1}}
    assert stats["spans"] == {"total": 0, "by_label": {}, "by_status": {}}
    assert stats["claims"] == {"total": 0, "by_status": {}}


def test_cli_errors_exit_2_with_one_line(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no database") and "\n" not in err
    not_db = tmp_path / "text.db"
    not_db.write_text("this is not sqlite " * 100, encoding="utf-8")
    assert main(["stats", "--db", str(not_db)]) == 2
    err = capsys.readouterr().err.strip()
    assert "not a usable Quire database" in err and "\n" not in err
    assert main(["import", "--db", str(tmp_path / "x.db"), str(tmp_path / "nothing.txt")]) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["import"],
        ["stats"],
        ["bogus"],
        ["export", "--db", "x", "--format", "bogus", "--out", "y"],
        ["preannotate", "--docs"],
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--help" in err


def test_jsonl_spans_off_token_boundaries_are_kept_with_a_warning(repo, tmp_path):
    path = tmp_path / "tasks.jsonl"
    record = {"text": "Alpha met Beta.", "spans": [{"start": 0, "end": 3, "label": "PERSON"},
                                                  {"start": 10, "end": 14, "label": "PERSON"}]}  # fmt: skip
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_paths(repo, [path])
    doc_id = report.imported[0][1]
    assert [(s.text, s.label) for s in repo.spans(doc_id)] == [("Alp", "PERSON"), ("Beta", "PERSON")]
    assert report.problems == []
    warnings = [str(p) for p in report.warnings]
    assert len(warnings) == 1 and "'Alp' kept but not on token boundaries" in warnings[0]
    assert report.summary() == "imported 1 document(s), 1 warning(s)"
