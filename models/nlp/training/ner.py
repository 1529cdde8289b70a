"""Fine-tuning the stock pipeline's entity recogniser on the analyst's entities.

Choice (measured in benchmarks/train.py, see docs/DESIGN.md): the stock ``ner`` of
en_core_web_sm has its own internal ``tok2vec``; the shared ``tok2vec`` feeds only the
tagger and the parser, which the claim rules read. So we fine-tune ``ner`` in place, with
every other component frozen: the parse is the stock parse, bit for bit, and the
recogniser starts from what it already knows (PERSON, ORG, GPE...) instead of relearning
it from a few hundred documents, as a separate new ``ner`` would have to. New labels
(WEAPON) are added to its output layer.

Training data comes as Docs built by the export's missing-value rule (``doc.ents`` with
``O`` or missing tokens) and the rejected suggestions in ``doc.spans["rejected"]``, which
the recogniser learns as known-wrong entities (spaCy's ``incorrect_spans_key``).

**Rehearsal** (``add_rehearsal``): fine-tuning on a few labels makes a recogniser forget
the others (catastrophic forgetting: on the sample corpus dev F1 fell after the first
epoch), and a document not done teaches only positives, so a recogniser trained on
WEAPON alone learnt to call "Militants", "base" and "were" WEAPON. spaCy's remedy is
pseudo-rehearsal: training on the stock model's own predictions too. They are added to the
training Docs only where the analyst decided nothing, and never override a decision: in a
document not done, the stock model's entities and ``O`` over the missing tokens, except
the tokens of rejected spans and the words of the new labels' examples (an unreviewed
"drones" elsewhere must not learn ``O``), which stay missing; in a document marked done,
where every token is decided, only the entities of labels the project drops (CARDINAL...)
over the analyst's ``O``. The export's Docs (``storage.training.entity_training_docs``)
keep the missing-value rule as it is; the dev Docs are never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.nlp.training.loop import PIPE_BATCH_DOCS, Emit, LoopResult, LoopSettings, train_components
from models.nlp.training.scores import entity_scores

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

NEGATIVES_KEY = "rejected"  # the export's span group of rejected suggestions
LabelFilter = Callable[[str], "str | None"]  # model label -> project label, None: not scored


def prepare_ner(nlp: Language, labels: list[str]) -> None:
    """Make ``nlp``'s ``ner`` learn from rejected spans and know ``labels``. The component
    is rebuilt with ``incorrect_spans_key`` (not settable on a live one) and given the
    stock weights back; new labels widen its output layer."""
    ner = nlp.get_pipe("ner")
    weights = ner.to_bytes(exclude=["vocab"])
    config = dict(nlp.config["components"]["ner"])
    config.pop("factory", None)
    config["incorrect_spans_key"] = NEGATIVES_KEY
    index = nlp.pipe_names.index("ner")
    nlp.remove_pipe("ner")
    rebuilt = nlp.add_pipe(
        "ner", config=config, before=nlp.pipe_names[index] if index < len(nlp.pipe_names) else None
    )
    rebuilt.from_bytes(weights, exclude=["vocab"])
    # from_bytes brings back the stock settings: the component's and its transition
    # system's, where the oracle reads the key (without it, rejections cost nothing)
    rebuilt.cfg["incorrect_spans_key"] = NEGATIVES_KEY
    rebuilt.moves.cfg["neg_key"] = NEGATIVES_KEY
    for label in labels:
        if label not in rebuilt.labels:
            rebuilt.add_label(label)


def add_rehearsal(nlp: Language, docs: list[Doc], label_filter: LabelFilter) -> int:
    """Add ``nlp``'s own predictions (run before fine-tuning) to the training ``docs``
    where the analyst decided nothing (see the module's note); labels as the label map
    names them (a dropped label keeps the model's name). Returns how many tokens it
    changed."""
    names = [name for name in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(name).assigns]
    known = set(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else set()
    # words of the new labels' examples: an unreviewed mention elsewhere must not learn O
    taught = {token.lower_ for doc in docs for ent in doc.ents if ent.label_ not in known for token in ent}
    added = 0
    with nlp.select_pipes(enable=names):
        predictions = nlp.pipe((doc.text for doc in docs), batch_size=PIPE_BATCH_DOCS)
        for doc, predicted in zip(docs, predictions, strict=True):
            before = [(token.ent_iob, token.ent_type) for token in doc]
            if all(iob != 0 for iob, _type in before):
                _rehearse_complete(doc, predicted, label_filter)
            else:
                _rehearse_open(doc, predicted, label_filter, taught)
            added += sum(
                old != (token.ent_iob, token.ent_type) for old, token in zip(before, doc, strict=True)
            )
    return added


def _rehearse_complete(doc: Doc, predicted: Doc, label_filter: LabelFilter) -> None:
    """A document marked done: the entities of labels the project drops, over ``O``."""
    new = []
    for ent in predicted.ents:
        if label_filter(ent.label_) is not None:
            continue  # the analyst's complete annotation decides the project's labels
        span = doc.char_span(ent.start_char, ent.end_char, label=ent.label_)
        if span is not None and all(token.ent_iob_ == "O" for token in span):
            new.append(span)
    if new:
        doc.set_ents(new, default="unmodified")


def _rehearse_open(doc: Doc, predicted: Doc, label_filter: LabelFilter, taught: set[str]) -> None:
    """A document not done: the model's entities and ``O`` over the missing tokens, except
    rejected spans and the words of new labels' examples, which stay missing."""
    undecided = [token.ent_iob == 0 and token.lower_ not in taught for token in doc]
    for span in doc.spans.get(NEGATIVES_KEY, []):
        undecided[span.start : span.end] = [False] * len(span)
    new = []
    for ent in predicted.ents:
        span = doc.char_span(ent.start_char, ent.end_char, label=label_filter(ent.label_) or ent.label_)
        if span is not None and all(undecided[span.start : span.end]):
            new.append(span)
            undecided[span.start : span.end] = [False] * len(span)
    inside: set[int] = set()  # the model's entities that were not added stay missing, not O
    for ent in predicted.ents:
        covered = doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand")
        inside.update(range(covered.start, covered.end) if covered is not None else ())
    outside = [doc[i : i + 1] for i, free in enumerate(undecided) if free and i not in inside]
    if new or outside:
        doc.set_ents(new, outside=outside, default="unmodified")


def entity_labels(docs: list[Doc]) -> list[str]:
    """Labels of the accepted entities in ``docs``."""
    return sorted({ent.label_ for doc in docs for ent in doc.ents})


def examples(nlp: Language, docs: list[Doc]) -> list[Example]:
    """Training examples: the pipeline's own tokenisation against the reference Docs
    (spaCy aligns them)."""
    from spacy.training import Example

    return [Example(nlp.make_doc(doc.text), doc) for doc in docs]


def evaluate_ner(nlp: Language, dev: list[Example], label_filter: LabelFilter) -> dict[str, Any]:
    """Dev scores of ``nlp``'s entities, per label, after ``label_filter`` (the label map:
    labels the project drops, such as CARDINAL, are not predictions)."""
    from spacy.training import Example

    predicted = []
    names = [name for name in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(name).assigns]
    with nlp.select_pipes(enable=names):
        texts = (eg.reference.text for eg in dev)
        for doc, eg in zip(nlp.pipe(texts, batch_size=PIPE_BATCH_DOCS), dev, strict=True):
            kept = []
            for ent in doc.ents:
                target = label_filter(ent.label_)
                if target is not None:
                    kept.append(doc.char_span(ent.start_char, ent.end_char, label=target))
            doc.ents = [span for span in kept if span is not None]
            predicted.append(Example(doc, eg.reference))
    return entity_scores(predicted)


def train_ner(
    nlp: Language,
    train: list[Example],
    dev: list[Example],
    label_filter: LabelFilter,
    settings: LoopSettings,
    emit: Emit,
    cancelled: Callable[[], bool],
) -> LoopResult:
    """Fine-tune ``nlp``'s ``ner`` (prepared by ``prepare_ner``) on ``train``; ``nlp`` ends
    with the weights that scored best on ``dev``."""
    return train_components(
        nlp, ["ner"], train, lambda: evaluate_ner(nlp, dev, label_filter), settings, emit, cancelled, "ner"
    )
