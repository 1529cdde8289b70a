"""Interview transcripts: every answer of the interviewee is one claim of theirs.

A transcript is a document with several paragraphs that are questions (they end with a
question mark), or with one when the text before it speaks of an interview. From the
first question on, every paragraph that is neither a question nor a caption or heading
("Image: ...", a line with no verb or no final punctuation) is an answer paragraph, and
each answer paragraph is one claim (the guide's unit). An answer has no cue and no
source span; its speaker is the interviewee, the first person the introduction names
(else the person the document names most).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from models.annotation import CueKind, SourceKind
from models.nlp.claims.drafts import Draft, Range

if TYPE_CHECKING:
    from models.nlp.claims.context import Context

# Fewer questions than this and the document is an article that quotes a question,
# unless the text before the first question says it is an interview.
_MIN_QUESTIONS = 3
_INTERVIEW = re.compile(r"\binterview", re.IGNORECASE)
_CLOSING = ".!?\"'”’)]…-—"
_CAPTION_MARKS = ("Image:", "Photo:", "File photo", "Image :")


def paragraph_ranges(ctx: Context) -> list[Range]:
    """Token ranges of the non-empty paragraphs, white space left out."""
    ranges: list[Range] = []
    start = None
    for token in ctx.doc:
        if token.is_space and "\n" in token.text:
            if start is not None:
                ranges.append((start, token.i))
            start = None
        elif start is None and not token.is_space:
            start = token.i
    if start is not None:
        ranges.append((start, len(ctx.doc)))
    return ranges


def interview_drafts(ctx: Context) -> tuple[list[Draft], list[Range]]:
    """The answers of a transcript, one draft per answer paragraph, and its question
    paragraphs; nothing when the document is not a transcript."""
    paragraphs = paragraph_ranges(ctx)
    questions = [_is_question(ctx, p) for p in paragraphs]
    if not any(questions):
        return [], []
    first = questions.index(True)
    announced = _INTERVIEW.search(ctx.text[: ctx.doc[paragraphs[first][0]].idx]) is not None
    if sum(questions) < (1 if announced else _MIN_QUESTIONS):
        return [], []
    speaker = _interviewee(ctx, paragraphs[first][0])
    answers = [
        Draft(paragraph, None, None, paragraph[0], kind=CueKind.INTERVIEW, speaker=speaker)
        for number, paragraph in enumerate(paragraphs[first + 1 :], first + 1)
        if not questions[number] and not _is_caption(ctx, paragraph)
    ]
    return answers, [p for p, is_question in zip(paragraphs, questions, strict=True) if is_question]


def _text(ctx: Context, paragraph: Range) -> str:
    doc = ctx.doc
    return ctx.text[doc[paragraph[0]].idx : doc[paragraph[1] - 1].idx + len(doc[paragraph[1] - 1])]


def _is_question(ctx: Context, paragraph: Range) -> bool:
    return _text(ctx, paragraph).rstrip("\"'”’ )").endswith("?")


def _is_caption(ctx: Context, paragraph: Range) -> bool:
    """A picture's caption or a section heading, not speech."""
    text = _text(ctx, paragraph)
    if any(mark in text for mark in _CAPTION_MARKS) or text[-1] not in _CLOSING:
        return True
    return not any(t.pos_ in ("VERB", "AUX") for t in ctx.doc[paragraph[0] : paragraph[1]])


def _interviewee(ctx: Context, first_question: int) -> tuple[str, SourceKind]:
    """The first person named before the first question; without one, the interviewee
    is not named (a group: "the owners of a dungeon")."""
    named = next((e for e in ctx.doc.ents if e.label_ == "PERSON" and e.end <= first_question), None)
    if named is None:
        return "", SourceKind.ANONYMOUS_OFFICIAL
    return named.text, SourceKind.NAMED_PERSON


def within_answers(ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """In a transcript, the answers and the drafts outside questions and answers: what
    the interviewee reports inside an answer is part of it, not a claim of its own, and
    the interviewer's questions ("do you think ...") claim nothing."""
    answers, questions = interview_drafts(ctx)
    turns = questions + [a.content for a in answers]
    kept = [d for d in drafts if not any(s <= (d.cue or d.content)[0] < e for s, e in turns)]
    return kept + answers
