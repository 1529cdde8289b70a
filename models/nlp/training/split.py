"""The train/dev split of training: by document, stratified by label, so that each label
taught appears in the dev split when it can.

A random split of a small corpus often leaves a label out of dev (WEAPON taught in four
of ten documents, two held out: a chance of one in three that neither has it), and then
nothing on the dev split can tell whether the label was learnt. So the documents that
carry a label go to dev first, rarest label first (labels the base model does not know
before the ones it does), each time the document with the fewest examples of it (most of
them keep teaching) and then the most labels not yet in dev, as long as each of its
labels keeps a training document; then random documents fill the split to its size.
The same ``seed`` gives the same split.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Mapping


def split_size(documents: int, fraction: float) -> int:
    """How many of ``documents`` go to dev: ``fraction`` of them, at least one, never all
    (a lone document trains)."""
    return max(0, min(max(1, round(fraction * documents)), documents - 1))


def stratified_dev_split(
    labels: Mapping[int, Counter[str]],
    fraction: float,
    seed: int,
    known: Collection[str] = (),
) -> set[int]:
    """The ids of the dev documents, given each document's labels (``labels``: id -> how
    many examples of each label it has; a document with none can still be held out, e.g.
    a reviewed document without entities). ``known``: labels the base model already predicts, served
    after the new ones. Returns ``split_size(len(labels), fraction)`` ids."""
    order = sorted(labels)
    random.Random(seed).shuffle(order)
    size = split_size(len(order), fraction)
    documents_of: dict[str, list[int]] = {}
    for doc_id in order:
        for label in labels[doc_id]:
            documents_of.setdefault(label, []).append(doc_id)
    dev: list[int] = []
    in_train = {label: len(ids) for label, ids in documents_of.items()}
    covered: set[str] = set()
    rarest_first = sorted(documents_of, key=lambda label: (label in known, len(documents_of[label]), label))
    for label in rarest_first:
        if len(dev) >= size:
            break
        if label in covered:
            continue
        candidates = [
            doc_id
            for doc_id in documents_of[label]
            if doc_id not in dev and all(in_train[other] > 1 for other in labels[doc_id])
        ]
        if not candidates:
            continue  # its only document trains: dev cannot score it
        chosen = min(
            candidates, key=lambda doc_id: (labels[doc_id][label], -len(set(labels[doc_id]) - covered))
        )
        dev.append(chosen)
        covered.update(labels[chosen])
        for other in labels[chosen]:
            in_train[other] -= 1
    for doc_id in order:
        if len(dev) >= size:
            break
        if doc_id not in dev and all(in_train[other] > 1 for other in labels[doc_id]):
            dev.append(doc_id)
            for other in labels[doc_id]:
                in_train[other] -= 1
    for doc_id in order:  # the size is kept even if a label loses its last training document
        if len(dev) >= size:
            break
        if doc_id not in dev:
            dev.append(doc_id)
    return set(dev)
