"""Drafts: what a rule finds (token ranges of content and cue, the source's head),
before boundaries, sources and certainty are settled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.annotation import ClaimKind, CueKind, SourceKind

if TYPE_CHECKING:
    from spacy.tokens import Token


Range = tuple[int, int]  # token indices, end exclusive


@dataclass
class Draft:
    content: Range
    cue: Range | None
    source: Token | None  # head of the source noun phrase
    anchor: int  # a token of the reporting clause (sentence, paragraph)
    denied: bool = False
    hedged: bool = False  # "did not deny that": admitted, not asserted
    priority: int = 0
    keeps_cue: bool = False  # content may contain the cue ("was reportedly diverted")
    kind: CueKind = CueKind.SPEECH
    claim_kind: ClaimKind = ClaimKind.STATEMENT
    speaker: tuple[str, SourceKind] | None = None  # who speaks when no source is in the text
    source_span: Range | None = None  # the speaker's label ("Chomsky:"), with ``speaker``


def covers(draft: Draft, i: int) -> bool:
    in_content = draft.content[0] <= i < draft.content[1]
    return in_content or (draft.cue is not None and draft.cue[0] <= i < draft.cue[1])
