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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from models.nlp.training.loop import Emit, LoopResult, LoopSettings, train_components
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
    rebuilt.cfg["incorrect_spans_key"] = NEGATIVES_KEY
    for label in labels:
        if label not in rebuilt.labels:
            rebuilt.add_label(label)


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
        for doc, eg in zip(nlp.pipe(eg.reference.text for eg in dev), dev, strict=True):
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
