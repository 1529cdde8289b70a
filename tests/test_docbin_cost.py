"""The srsly workaround of storage/exporters/docbin.py (issue 12, item 4): the msgpack
registries stop scanning entry points on every call, with the same encoders and the same
bytes."""

from __future__ import annotations

import subprocess
import sys

from storage.exporters.docbin import freeze_msgpack_registries
from tests.conftest import ROOT

SCRIPT = """
import hashlib, sys
import spacy
from spacy.tokens import DocBin, Span
from storage.exporters.docbin import freeze_msgpack_registries
if sys.argv[1] == "frozen":
    assert freeze_msgpack_registries()
nlp = spacy.blank("en")
docs = []
for n in range(50):
    doc = nlp(f"Officials in Kyiv and Paris met {n} envoys from the Red Cross on Monday.")
    doc.ents = [Span(doc, 2, 3, "GPE"), Span(doc, 9, 12, "ORG")]
    doc.spans["sc"] = [Span(doc, 2, 3, "GPE"), Span(doc, 4, 5, "GPE"), Span(doc, 9, 12, "ORG")]
    docs.append(doc)
print(hashlib.sha256(DocBin(docs=docs, store_user_data=True).to_bytes()).hexdigest())
"""


def _digest(mode: str) -> str:
    result = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)  # fmt: skip
    return result.stdout.strip()


def test_frozen_registries_give_the_same_docbin_bytes():
    assert _digest("frozen") == _digest("as shipped")


def test_frozen_registries_keep_their_functions_and_stop_scanning(monkeypatch):
    from srsly import msgpack

    before = {name: set(r.get_all()) for name, r in (("enc", msgpack.msgpack_encoders),
                                                      ("dec", msgpack.msgpack_decoders))}  # fmt: skip
    assert freeze_msgpack_registries()
    assert {
        "enc": set(msgpack.msgpack_encoders.get_all()),
        "dec": set(msgpack.msgpack_decoders.get_all()),
    } == before

    def no_scan(*_args):
        raise AssertionError("entry points scanned again")

    monkeypatch.setattr(type(msgpack.msgpack_encoders), "_get_entry_points", no_scan)
    import srsly

    assert srsly.msgpack_loads(srsly.msgpack_dumps({"a": [1, 2]})) == {"a": [1, 2]}


def test_other_versions_are_left_alone(monkeypatch):
    import srsly

    monkeypatch.setattr(srsly, "__version__", "3.0.0")
    assert freeze_msgpack_registries() is False
