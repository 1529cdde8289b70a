"""spaCy training data: DocBin files (``.spacy``) that ``spacy train`` loads as they are.

Per document: accepted spans as ``doc.ents`` by the missing-value rule of
``alignment.set_entities`` (other tokens ``O`` in documents marked done, missing in the
others) (without overlaps: the longest of
overlapping spans wins, as ``spacy.util.filter_spans`` chooses) and every accepted span in
``doc.spans["sc"]``; with every status exported, suggestions and rejections go to
``doc.spans["suggested"]`` and ``doc.spans["rejected"]``, never to ``doc.ents``.

``DocBin.to_disk`` holds every document of the corpus in memory, several times over while
it serialises. ``DocBinWriter`` writes the same file with memory that does not grow with
the corpus: documents go through a small ``DocBin`` (so that what is stored per document
is exactly what spaCy stores), its arrays are spooled to anonymous temporary files, and
the msgpack message is assembled from the spools through a streaming zlib compressor.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from array import array
from typing import TYPE_CHECKING

from models.annotation import Span, Status
from models.document import Document
from storage.exporters.alignment import (
    ExportTokenizer,
    align,
    annotation_complete,
    overlap_reason,
    set_entities,
)
from storage.exporters.base import AtomicFile, ExportItem, ExportProblem, ExportReport

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as TokenSpan

    from storage.entities import EntityStore

COPY_CHUNK = 1 << 20
SPAN_GROUPS = {Status.ACCEPTED: "sc", Status.SUGGESTED: "suggested", Status.REJECTED: "rejected"}


# srsly builds a msgpack Packer for every msgpack_dumps call, and each Packer asks the
# "msgpack_encoders" registry for its encoders, which loads the installed packages' entry
# points every time (importlib.metadata: about 1 ms). DocBin.add calls it once per
# document (``doc.spans.to_bytes()``): 13.6 of 24.6 s of a 5,000-document export under a
# profiler. Neither spaCy nor srsly offers a switch, so the registries are frozen through
# catalogue's own API: the entry points are loaded once and registered, and the registry
# stops scanning. The same encoders (and decoders) apply; a package installed while Quire
# runs is not seen until it restarts. Checked against srsly 2.5 with catalogue 2.0 (the
# pins); any other version is left alone.
FROZEN_VERSIONS = {"srsly": "2.5.", "catalogue": "2.0."}


def freeze_msgpack_registries() -> bool:
    """Load srsly's msgpack encoder and decoder entry points once and stop the per-call
    scan; True when done (or already done), False for versions not covered."""
    import catalogue
    import srsly
    from srsly import msgpack

    versions = {"srsly": srsly.__version__, "catalogue": _version("catalogue", catalogue)}
    if any(not versions[name].startswith(prefix) for name, prefix in FROZEN_VERSIONS.items()):
        return False
    for registry in (msgpack.msgpack_encoders, msgpack.msgpack_decoders):
        if registry.entry_points:
            for name, func in registry.get_entry_points().items():
                if name not in registry:
                    registry.register(name, func=func)
            registry.entry_points = False
    return True


def _version(name: str, module) -> str:
    from importlib.metadata import version

    return getattr(module, "__version__", None) or version(name)


class DocBinWriter:
    """Adds spaCy Docs one at a time to a DocBin file; ``finish`` writes it."""

    BUFFER_DOCS = 256

    def __init__(self, file: AtomicFile) -> None:
        from spacy.tokens import DocBin
        from srsly.msgpack import Packer

        self.file = file
        freeze_msgpack_registries()
        # one packer for every item: srsly builds a new one per msgpack_dumps call, and
        # building one scans the installed packages' entry points (about 1 ms)
        self._pack = Packer(use_bin_type=True).pack
        self.count = 0
        self._bin = DocBin()
        self._lengths = array("i")
        spool_dir = file.target.parent
        spool_dir.mkdir(parents=True, exist_ok=True)
        # spools beside the output, not in /tmp, which may be a RAM disk
        self._spools = {
            name: tempfile.TemporaryFile(dir=spool_dir, prefix=".quire-spool-")
            for name in ("tokens", "spaces", "cats", "flags", "span_groups")
        }

    def add(self, doc: Doc) -> None:
        self._bin.add(doc)
        self.count += 1
        if len(self._bin) >= self.BUFFER_DOCS:
            self._drain()

    def _drain(self) -> None:
        held = self._bin
        spools = self._spools
        for tokens, spaces in zip(held.tokens, held.spaces, strict=True):
            spools["tokens"].write(tokens.tobytes("C"))
            spools["spaces"].write(spaces.tobytes("C"))
            self._lengths.append(tokens.shape[0])
        for name, items in (("cats", held.cats), ("flags", held.flags), ("span_groups", held.span_groups)):
            spools[name].write(b"".join(self._pack(item) for item in items))
        for items in (held.tokens, held.spaces, held.cats, held.flags, held.span_groups):
            items.clear()

    def finish(self) -> None:
        """Write the message ``DocBin.to_bytes`` would write, compressed the same way."""
        import numpy

        self._drain()
        held = self._bin
        out = self.file.open("wb")
        compressor = zlib.compressobj()

        def emit(data: bytes) -> None:
            out.write(compressor.compress(data))

        def emit_spool(name: str, as_array: bool) -> None:
            spool = self._spools[name]
            size = spool.tell()
            emit(_array_header(self.count) if as_array else _bin_header(size))
            spool.seek(0)
            while chunk := spool.read(COPY_CHUNK):
                emit(chunk)

        pack = self._pack
        emit(b"\x89")  # a msgpack map of the 9 entries below
        emit(pack("version") + pack(held.version) + pack("attrs") + pack(held.attrs))
        emit(pack("tokens"))
        emit_spool("tokens", as_array=False)
        emit(pack("spaces"))
        emit_spool("spaces", as_array=False)
        emit(pack("lengths") + pack(numpy.asarray(self._lengths, dtype="int32").tobytes("C")))
        strings = sorted(held.strings)
        emit(pack("strings") + _array_header(len(strings)))
        for start in range(0, len(strings), 4096):
            emit(b"".join(pack(s) for s in strings[start : start + 4096]))
        for name in ("cats", "flags", "span_groups"):
            emit(pack(name))
            emit_spool(name, as_array=True)
        out.write(compressor.flush())

    def close(self) -> None:
        for spool in self._spools.values():
            spool.close()


def _array_header(n: int) -> bytes:
    if n < 16:
        return bytes([0x90 | n])
    return b"\xdc" + struct.pack(">H", n) if n < 1 << 16 else b"\xdd" + struct.pack(">I", n)


def _bin_header(n: int) -> bytes:
    if n < 1 << 8:
        return b"\xc4" + struct.pack(">B", n)
    return b"\xc5" + struct.pack(">H", n) if n < 1 << 16 else b"\xc6" + struct.pack(">I", n)


class SpacyWriter:
    """The ``spacy`` format: one DocBin, or ``train``/``dev`` DocBins split by document."""

    def __init__(
        self,
        files: dict[str, AtomicFile],
        report: ExportReport,
        dev_ids: set[int],
        with_all_statuses: bool,
        links: EntityStore | None = None,
    ) -> None:
        self.report = report
        self.links = links  # canonical entities: an accepted link becomes the entity's kb_id
        self.tokenize = ExportTokenizer()
        self.dev_ids = dev_ids
        self.with_all_statuses = with_all_statuses
        self.bins: dict[str, DocBinWriter] = {}
        if "main" not in files:
            report.split.update(train=0, dev=0)
        try:
            for role, file in files.items():
                self.bins[role] = DocBinWriter(file)
        except BaseException:
            self.close()
            raise

    def add(self, item: ExportItem) -> None:
        document, spans, _claims, _linked = item
        doc = self.build(document, spans)
        role = "main" if "main" in self.bins else ("dev" if document.id in self.dev_ids else "train")
        self.bins[role].add(doc)
        if role != "main":
            self.report.split[role] = self.bins[role].count

    def build(self, document: Document, spans: list[Span]) -> Doc:
        from spacy.util import filter_spans

        doc = self.tokenize(document)
        groups: dict[Status, list[TokenSpan]] = {status: [] for status in SPAN_GROUPS}
        kb = self.links.accepted_links([s.id for s in spans if s.id is not None]) if self.links else {}
        unwritten: list[Span] = []  # accepted spans that cannot be entities as stored
        for span, token_span in align(doc, document, spans, self.report, "left out of the DocBin"):
            if token_span is not None and span.id in kb:
                token_span.kb_id_ = kb[span.id].kb_id  # doc.ents keeps it: ent.kb_id_
            if token_span is not None:
                groups[Status(span.status)].append(token_span)
                self.report.count_span(span)
            elif span.status == Status.ACCEPTED:
                unwritten.append(span)
        accepted = groups[Status.ACCEPTED]
        ents = filter_spans(accepted)
        if len(ents) < len(accepted):
            kept = {(e.start_char, e.end_char, e.label_) for e in ents}
            lost = [ts for ts in accepted if (ts.start_char, ts.end_char, ts.label_) not in kept]
            self._report_overlaps(document, lost, ents)
            doc_id = document.id or 0
            unwritten.extend(Span(doc_id, ts.start_char, ts.end_char, ts.label_, ts.text) for ts in lost)
        complete = annotation_complete(document)
        self.report.count_document(complete, len(set_entities(doc, ents, complete, unwritten)))
        self.report.entities += len(ents)
        doc.spans["sc"] = accepted
        if self.with_all_statuses:
            doc.spans["suggested"] = groups[Status.SUGGESTED]
            doc.spans["rejected"] = groups[Status.REJECTED]
        return doc

    def _report_overlaps(self, document: Document, lost: list[TokenSpan], kept: list[TokenSpan]) -> None:
        for token_span in lost:
            self.report.overlaps.append(
                ExportProblem(
                    document.id or 0,
                    document.title,
                    token_span.start_char,
                    token_span.end_char,
                    token_span.text,
                    token_span.label_,
                    f"{overlap_reason(token_span, kept)}: in doc.spans['sc'] only",
                )
            )

    def finish(self) -> None:
        for writer in self.bins.values():
            writer.finish()

    def close(self) -> None:
        for writer in self.bins.values():
            writer.close()
