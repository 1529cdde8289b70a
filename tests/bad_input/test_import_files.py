"""Files a new user hands Quire (issue 9, item 11): each bad one is one clear line naming
the file (and the line of a JSONL file), and the rest of the batch imports."""

from __future__ import annotations

import json
import os

from main import main
from storage import importers
from storage.importers import import_paths

GOOD = "Rain in Oslo\n\nRain fell on Oslo all night."


def _messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_a_jsonl_line_nested_100000_deep_is_one_problem_and_the_batch_goes_on(repo, tmp_path):
    path = tmp_path / "deep.jsonl"
    deep = '{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(deep + "\n" + json.dumps({"text": "Bergen is calm."}) + "\n", encoding="utf-8")
    (tmp_path / "next.txt").write_text(GOOD, encoding="utf-8")
    report = import_paths(repo, [path, tmp_path / "next.txt"])
    assert len(report.imported) == 2
    assert _messages(report) == [f"{path}:1: JSON nested too deeply to be a document; flatten the line"]


def test_deep_nesting_in_other_tools_json_is_one_problem_too(repo, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    doccano = tmp_path / "doccano.jsonl"
    first = json.dumps({"text": "Oslo is cold.", "label": [[0, 4, "GPE"]]})
    doccano.write_text(first + '\n{"text": "x", "label": ' + deep + "}\n", encoding="utf-8")
    (tmp_path / "studio.json").write_text(deep, encoding="utf-8")
    report = import_paths(repo, [doccano, tmp_path / "studio.json"])
    assert len(report.imported) == 1
    assert _messages(report) == [
        f"{doccano}:2: JSON nested too deeply to be a document; flatten the line",
        f"{tmp_path / 'studio.json'}: JSON nested too deeply to be a Label Studio export",
    ]


def test_a_file_name_that_is_not_utf8_is_stored_displayably_and_the_batch_goes_on(repo, tmp_path, capsys):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as file:
        file.write(GOOD.encode())
    with open(os.path.join(folder, b"later.txt"), "wb") as file:
        file.write(b"Later\n\nA later text.")
    report = import_paths(repo, [tmp_path / "in"])
    assert report.problems == [] and len(report.imported) == 2
    assert repo.document(report.imported[0][1]).meta == {"file": "caf\ufffd.txt"}
    assert report.imported[0][0] == str(tmp_path / "in" / "caf\ufffd.txt")

    db = tmp_path / "cli.db"
    assert main(["import", "--db", str(db), os.fsdecode(os.path.join(folder, b"caf\xe9.txt"))]) == 0
    assert "caf\ufffd.txt" in capsys.readouterr().err


def test_a_utf16_file_is_named_utf16_not_binary(repo, tmp_path):
    (tmp_path / "bom.txt").write_bytes(GOOD.encode("utf-16"))
    (tmp_path / "bom.jsonl").write_bytes(json.dumps({"text": "Oslo."}).encode("utf-16"))
    (tmp_path / "nobom.txt").write_bytes(GOOD.encode("utf-16-le"))
    report = import_paths(repo, [tmp_path / "bom.txt", tmp_path / "bom.jsonl", tmp_path / "nobom.txt"])
    messages = _messages(report)
    assert len(messages) == 3 and not any("binary" in m for m in messages)
    assert "bom.txt: file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8" in messages[0]
    assert "bom.jsonl: file is UTF-16" in messages[1]
    assert "nobom.txt: file looks like UTF-16 without a byte-order mark" in messages[2]


def test_nul_bytes_are_refused_anywhere_in_a_file(repo, tmp_path):
    late = GOOD + "\n" + "word " * 3000 + "\x00end"
    (tmp_path / "late.txt").write_bytes(late.encode())
    lines = [json.dumps({"text": "One " * 3000}), '{"text": "Two\x00"}', json.dumps({"text": "Three."})]
    (tmp_path / "late.jsonl").write_bytes("\n".join(lines).encode())
    report = import_paths(repo, [tmp_path / "late.txt", tmp_path / "late.jsonl"])
    assert len(report.imported) == 2, "the good JSONL lines"
    assert _messages(report) == [
        f"{tmp_path / 'late.txt'}: file contains a NUL byte (line 4, byte offset {late.index(chr(0))}); "
        "it is not plain text",
        f"{tmp_path / 'late.jsonl'}:2: contains a NUL byte (column 14); not JSON text",
    ]


def test_a_folder_named_like_a_file_is_explained(repo, tmp_path):
    (tmp_path / "x.txt").mkdir()
    report = import_paths(repo, [tmp_path / "x.txt"])
    assert _messages(report) == [
        f"{tmp_path / 'x.txt'}: a folder (named like a file, but a folder) with no visible file "
        "Quire can import in it (.txt, .md, .jsonl, ...)"
    ]


def test_the_size_limit_is_stated_in_mebibytes(repo, tmp_path):
    names = ("big.txt", "big.html", "big.spacy")  # Quire's own reader and other tools' readers
    for name in names:
        with open(tmp_path / name, "wb") as file:
            file.truncate(importers.MAX_FILE_BYTES + 512 * 1024)  # sparse: 20.5 MiB
    report = import_paths(repo, [tmp_path / name for name in names])
    assert _messages(report) == [
        f"{tmp_path / name}: file is 20.5 MiB, over the 20 MiB limit; split it" for name in names
    ]


def test_one_bad_byte_in_jsonl_refuses_only_its_line_and_names_it(repo, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"text": "Oslo."}\n{"text": "Caf\xe9 in Bergen."}\n{"text": "Tromso."}\n')
    report = import_paths(repo, [path])
    assert len(report.imported) == 2
    assert _messages(report) == [
        f"{path}:2: not valid UTF-8 (byte 0xe9 at column 14); convert the file to UTF-8 and import it again"
    ]
