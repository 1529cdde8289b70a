"""The trained claim suggester: a recogniser of claim parts (CUE, SOURCE, CONTENT) learnt
from accepted claims, linked into claims by the parse, and combined with the rules.

**Parts.** A small pipeline of its own (``spacy.blank`` + ``ner``), saved in ``claims/``
inside the trained pipeline's folder, so that the entity pipeline stays a standard one
and ``spacy.load(DIR / "claims")`` opens this one. Its ``ner`` has no token encoder of its
own: it reads the main pipeline's shared ``tok2vec`` output (``doc.tensor``, which the
frozen stock ``tok2vec`` writes for the tagger and parser anyway) through spaCy's
``Tok2VecListener``, which at prediction time, and in training when no upstream component
runs, takes ``doc.tensor``. So the parts cost pre-annotation only the transition model on
top of vectors already computed (a second encoder made the trained pipeline 1.26x slower
than the stock one), and it is run on the main pipeline's Doc (``predict_parts``), never
on plain text. It tags the three parts of every accepted claim as entities; overlapping
parts (a claim nested in another's content) keep the longest, as the entity export does.

**Linking.** Each predicted CONTENT becomes a claim; its cue is the nearest predicted CUE
in the same sentence (of the main pipeline's parse), its source the nearest predicted
SOURCE in the cue's sentence. The source kind comes from the entity under the source
(PERSON: named person; ORG, GPE, NORP, FAC: named organisation), else anonymous official.

**Combination with the rules** (``combine``), three modes: ``rules`` alone; ``add``, the
rules' claims plus the model's whose cue and content overlap no rule claim; ``model``, the
model's claims plus the rules' that overlap none of them (the model takes precedence where
both found a claim). The mode is chosen on the dev split (``choose_mode``): among the modes
that score lower than the rules alone in no role (detection, cue, source, content), the one
with the best detection F1; ``rules`` (and the model is not even run) unless another is
better. So on the dev split the suggester is never worse than the rules in any role (a
choice made on that split: its figures are in-sample for that choice).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.annotation import Claim, SourceKind, Status
from models.nlp.training.scores import CLAIM_ROLES, Counts

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as TokenSpan

ROLE_LABELS = {"content": "CONTENT", "cue": "CUE", "source": "SOURCE"}
CLAIMS_FOLDER = "claims"
SETTINGS_FILE = "quire_claims.json"
# the hidden layer of its transition model: 64 (spaCy's default) took 9-15 % of the stock
# pipeline's time per document, 32 about 4 % (40 generated documents), with the same claim
# scores on the dev split of benchmarks/train.py (100 documents)
PART_HIDDEN_WIDTH = 32
MODES = ("rules", "add", "model")
_KINDS = {
    "PERSON": SourceKind.NAMED_PERSON,
    "ORG": SourceKind.NAMED_ORGANISATION,
    "GPE": SourceKind.NAMED_ORGANISATION,
    "NORP": SourceKind.NAMED_ORGANISATION,
    "FAC": SourceKind.NAMED_ORGANISATION,
}


def new_part_pipeline(language: str, width: int) -> Language:
    """A blank pipeline with an untrained ``ner`` for the three claim parts, reading
    token vectors of ``width`` from ``doc.tensor`` (the main pipeline's ``tok2vec``)."""
    import spacy

    nlp = spacy.blank(language)
    model = {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": PART_HIDDEN_WIDTH, "maxout_pieces": 2, "use_upper": True,
        "nO": None,
        "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": width, "upstream": "*"},
    }  # fmt: skip
    ner = nlp.add_pipe("ner", config={"model": model})
    for label in ROLE_LABELS.values():
        ner.add_label(label)
    return nlp


def set_parts(parts_nlp: Language, docs: list[Doc]) -> None:
    """Set the predicted parts as ``doc.ents`` of ``docs`` (replacing their entities),
    Docs the main pipeline made: their ``doc.tensor`` is the input (a Doc without one gets
    no sensible parts). Predicted ``PIPE_BATCH_DOCS`` Docs at a time (memory)."""
    from models.nlp.training.loop import PIPE_BATCH_DOCS

    ner = parts_nlp.get_pipe("ner")
    for doc in docs:
        for label in ROLE_LABELS.values():
            doc.vocab.strings.add(label)
        doc.set_ents([], default="missing")  # preset entities would bind the recogniser
    for first in range(0, len(docs), PIPE_BATCH_DOCS):
        batch = docs[first : first + PIPE_BATCH_DOCS]
        ner.set_annotations(batch, ner.predict(batch))


def predict_parts(parts_nlp: Language, doc: Doc) -> list[tuple[int, int, str]]:
    """The claim parts ``(start, end, label)`` (character offsets) in ``doc``, a Doc of the
    main pipeline, whose entities are left as they were."""
    entities = doc.ents
    set_parts(parts_nlp, [doc])
    parts = [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    doc.ents = entities
    return parts


def part_spans(doc: Doc, claims: list[Claim]) -> tuple[list[TokenSpan], list[TokenSpan], int]:
    """The parts of ``claims`` as labelled token spans of ``doc`` (no overlaps: the longest
    wins); the tokens of parts left out that no kept part covers, as one-token spans (they
    are unknown, never "outside": pass them to ``Doc.set_ents(missing=...)``); and how
    many parts were left out because they are not on token boundaries."""
    from spacy.util import filter_spans

    spans, left_out, misaligned = [], [], 0
    for claim in claims:
        for role, part in claim.parts().items():
            if part is None:
                continue
            span = doc.char_span(part[0], part[1], label=ROLE_LABELS[role], alignment_mode="strict")
            if span is None:
                misaligned += 1
                span = doc.char_span(part[0], part[1], alignment_mode="expand")
                if span is not None:
                    left_out.append(span)
            else:
                spans.append(span)
    kept = filter_spans(spans)
    left_out += [span for span in spans if span not in kept]
    covered = {i for span in kept for i in range(span.start, span.end)}
    unknown = sorted({i for span in left_out for i in range(span.start, span.end)} - covered)
    return kept, [doc[i : i + 1] for i in unknown], misaligned


def link_parts(doc: Doc, parts: list[tuple[int, int, str]], doc_id: int, origin: str) -> list[Claim]:
    """Claims from predicted parts ``(start, end, label)`` (character offsets into
    ``doc``'s text), linked by ``doc``'s sentences; suggested, with ``origin``."""
    sentence_of = _sentence_index(doc)
    # doc.ents and doc.text walk every token: read them once, not once a claim
    kinds = [(ent.start_char, ent.end_char, _KINDS[ent.label_]) for ent in doc.ents if ent.label_ in _KINDS]
    text = doc.text
    by_label: dict[str, list[tuple[int, int]]] = {label: [] for label in ROLE_LABELS.values()}
    for start, end, label in parts:
        by_label[label].append((start, end))
    claims = []
    for content in by_label["CONTENT"]:
        sentence = sentence_of(content[0])
        cue = _nearest(content, [c for c in by_label["CUE"] if sentence_of(c[0]) == sentence])
        anchor = cue or content
        source = _nearest(
            anchor, [s for s in by_label["SOURCE"] if sentence_of(s[0]) == sentence_of(anchor[0])]
        )
        claim = Claim(
            doc_id=doc_id, content_start=content[0], content_end=content[1],
            cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None,
            status=Status.SUGGESTED, origin=origin,
        )  # fmt: skip
        if source is not None:
            claim = replace(
                claim,
                source_start=source[0],
                source_end=source[1],
                source_text=text[source[0] : source[1]],
                source_kind=_source_kind(kinds, source),
            )
        claims.append(claim)
    return claims


def _sentence_index(doc: Doc):
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        return lambda offset: 0
    starts = [sent.start_char for sent in doc.sents]

    def sentence_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    return sentence_of


def _nearest(target: tuple[int, int], candidates: list[tuple[int, int]]) -> tuple[int, int] | None:
    def distance(c: tuple[int, int]) -> int:
        return max(0, c[0] - target[1], target[0] - c[1])

    return min(candidates, key=lambda c: (distance(c), c[0]), default=None)


def _source_kind(kinds: list[tuple[int, int, SourceKind]], source: tuple[int, int]) -> SourceKind:
    """The kind of the entity under ``source`` (``kinds``: the document's entities of the
    labels in ``_KINDS``), else anonymous official."""
    for start, end, kind in kinds:
        if start < source[1] and source[0] < end:
            return kind
    return SourceKind.ANONYMOUS_OFFICIAL


def combine(rules: list[Claim], model: list[Claim], mode: str) -> list[Claim]:
    """The claims of ``mode``, in text order: ``rules`` alone; ``add``: the rules' claims
    plus the model's that overlap none of them in cue or content; ``model``: the model's
    claims plus the rules' that overlap none of the model's."""
    if mode == "add":
        first, second = rules, model
    elif mode == "model":
        first, second = model, rules
    else:
        return rules
    added = [claim for claim in second if not any(_same_claim(claim, kept) for kept in first)]
    return sorted([*first, *added], key=lambda c: (c.content_start, c.cue_start or 0))


def _same_claim(a: Claim, b: Claim) -> bool:
    for role in ("cue", "content"):
        x, y = a.parts()[role], b.parts()[role]
        if x is not None and y is not None and x[0] < y[1] and y[0] < x[1]:
            return True
    return False


def choose_mode(scores: dict[str, dict[str, Counts]]) -> str:
    """The mode (``MODES``) to use, from the dev counts of each: among the combinations
    that score lower than the rules alone in no role (detection, cue, source, content),
    the one with the best detection F1, then the best sum of role F1s; ``rules`` unless
    another is better in some role."""
    rules = scores["rules"]

    def key(mode: str) -> tuple[float, float]:
        return scores[mode]["detection"].f, sum(scores[mode][role].f for role in CLAIM_ROLES)

    best = "rules"
    for mode in MODES[1:]:
        counts = scores[mode]
        if any(counts[role].f < rules[role].f - 1e-9 for role in CLAIM_ROLES):
            continue
        if key(mode) > key(best):
            best = mode
    return best


@dataclass
class ClaimPart:
    """A trained pipeline's claim suggester: the rules, plus the part recogniser in mode
    ``add``. ``suggest`` has the signature of ``models.nlp.claims.suggest_claims``."""

    nlp: Language | None  # None in mode "rules": the recogniser is not loaded
    mode: str
    origin: str

    def suggest(self, doc: Doc, doc_id: int) -> list[Claim]:
        from models.nlp.claims import suggest_claims

        rules = suggest_claims(doc, doc_id)
        if self.mode == "rules" or self.nlp is None:
            return rules
        parts = predict_parts(self.nlp, doc)
        return combine(rules, link_parts(doc, parts, doc_id, self.origin), self.mode)


def save_claim_part(folder: Path, nlp: Language, settings: dict[str, Any]) -> None:
    """Write the part recogniser and its settings (``mode``, scores) to ``folder``."""
    nlp.to_disk(folder)
    (folder / SETTINGS_FILE).write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")


def load_claim_part(pipeline_folder: Path, origin: str) -> ClaimPart | None:
    """The claim suggester saved in ``pipeline_folder / "claims"``, or ``None`` when the
    pipeline has none. Raises OSError/ValueError for a damaged one."""
    import spacy

    folder = Path(pipeline_folder) / CLAIMS_FOLDER
    settings_path = folder / SETTINGS_FILE
    if not settings_path.is_file():
        return None
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    if not isinstance(settings, dict):
        raise ValueError(f"{settings_path}: not a JSON object")
    mode = settings.get("mode", "rules")
    if mode not in MODES:
        raise ValueError(f"{settings_path}: unknown mode {mode!r}")
    nlp = spacy.load(folder) if mode != "rules" else None
    return ClaimPart(nlp, mode, origin)
