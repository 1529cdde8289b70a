"""Interview transcripts: every answer paragraph of the interviewee is one claim of theirs.

A transcript is a document with several paragraphs that are questions, or with one when
the text before it speaks of an interview or the question carries a speaker label. A
question is a paragraph that ends with a question mark (not one that ends by quoting a
question), a prompt that tells the interviewee to talk ("Talk us through ..."), a question
that lost its mark, or a paragraph labelled with the interviewer's name ("Wikinews: ...").
From the first question on, every other paragraph is an answer (the guide's unit: one
claim however long), unless it is a caption, a bracketed editor's note, or a heading (no
verb, or no final punctuation). Right after a question a verbless paragraph answers it
("Yes."); a paragraph after one that did not end (a colon announcing a list, a line of a
poem) continues that answer. An answer has no cue; its source is the speaker label that
opens it ("Chomsky: ..."), else it has no source span and its speaker is the interviewee,
the first person the introduction names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.annotation import CueKind, SourceKind
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.verbless import signed_quote

if TYPE_CHECKING:
    from models.nlp.claims.context import Context

# Fewer questions than this and the document is an article that quotes a question,
# unless the text before the first question says it is an interview.
_MIN_QUESTIONS = 3
_INTERVIEW = re.compile(r"\binterview", re.IGNORECASE)
_CLOSING = ".!?\"'”’)]…-—"
_QUOTE_CLOSERS = "\"'”’»"
_QUOTE_MARKS = '"“”«»'
_CAPTION_MARKS = ("image:", "photo:", "file photo", "image :")
# A speaker label: a short name, initials or "Q" before a colon at the start of a paragraph.
_LABEL_WORDS = 4
_INTERVIEWER_LABELS = frozenset({"q", "wikinews", "wn", "interviewer", "question"})
_ANSWER_LABELS = frozenset({"a", "answer"})
_ADDRESSED = frozenset({"us", "me"})  # "Talk us through ...", "Tell me about ..."


@dataclass(frozen=True)
class _Paragraph:
    tokens: Range
    text: str
    label: Range | None  # the speaker label's tokens, colon excluded


def interview_drafts(ctx: Context) -> tuple[list[Draft], list[Range]]:
    """The answers of a transcript, one draft each, and its question paragraphs;
    nothing when the document is not a transcript."""
    paragraphs = [_paragraph(ctx, p) for p in ctx.paragraphs]
    interviewer = _interviewer_labels(ctx, paragraphs)
    questions = [_is_question(ctx, p, interviewer) for p in paragraphs]
    if not any(questions):
        return [], []
    first = questions.index(True)
    announced = paragraphs[first].label is not None or (
        _INTERVIEW.search(ctx.text[: ctx.doc[paragraphs[first].tokens[0]].idx]) is not None
    )
    if sum(questions) < (1 if announced else _MIN_QUESTIONS):
        return [], []
    speaker = _interviewee(ctx, paragraphs[first].tokens[0])
    answers = [_answer(ctx, turn, speaker) for turn in _turns(ctx, paragraphs, questions, first)]
    asked = [p.tokens for p, is_question in zip(paragraphs, questions, strict=True) if is_question]
    return answers, asked


def _turns(
    ctx: Context, paragraphs: list[_Paragraph], questions: list[bool], first: int
) -> list[list[_Paragraph]]:
    """Answer paragraphs after the first question, each with the paragraphs that
    continue it."""
    turns: list[list[_Paragraph]] = []
    current: list[_Paragraph] = []
    for number in range(first + 1, len(paragraphs)):
        paragraph = paragraphs[number]
        if questions[number] or _is_note(ctx, paragraph):
            current = _closed(turns, current)
        elif current and _continues(current[-1], paragraph):
            current.append(paragraph)
        else:
            current = _closed(turns, current)
            if _is_answer(ctx, paragraph, after_question=questions[number - 1]):
                current.append(paragraph)
    _closed(turns, current)
    return turns


def _closed(turns: list[list[_Paragraph]], current: list[_Paragraph]) -> list[_Paragraph]:
    if current:
        turns.append(current)
    return []


def _answer(ctx: Context, turn: list[_Paragraph], speaker: tuple[str, SourceKind]) -> Draft:
    label = turn[0].label
    start = turn[0].tokens[0] if label is None else label[1] + 1
    content = (start, turn[-1].tokens[1])
    if label is None:
        return Draft(content, None, None, content[0], kind=CueKind.INTERVIEW, speaker=speaker)
    name = ctx.doc[label[0] : label[1]].text
    if name.lower() in _ANSWER_LABELS:  # "A: ...": the interviewee, unnamed here
        return Draft(content, None, None, content[0], kind=CueKind.INTERVIEW, speaker=speaker)
    if not set(name.split()) <= set(speaker[0].split()):
        speaker = (name, SourceKind.NAMED_PERSON)  # another speaker than the one introduced
    return Draft(content, None, None, content[0], kind=CueKind.INTERVIEW, speaker=speaker, source_span=label)


def _paragraph(ctx: Context, tokens: Range) -> _Paragraph:
    text = ctx.text[ctx.doc[tokens[0]].idx : _end_char(ctx, tokens)]
    return _Paragraph(tokens, text, _label(ctx, tokens))


def _end_char(ctx: Context, tokens: Range) -> int:
    last = ctx.doc[tokens[1] - 1]
    return last.idx + len(last)


def _label(ctx: Context, tokens: Range) -> Range | None:
    """A speaker label opening the paragraph ("Chomsky:", "Q:", "Hugh McGuire:"): a few
    proper nouns or capitals before a colon, with words after it."""
    doc = ctx.doc
    end = min(tokens[1] - 1, tokens[0] + _LABEL_WORDS + 1)
    colon = next((t.i for t in doc[tokens[0] : end] if t.text == ":"), None)
    if colon is None or colon == tokens[0]:
        return None
    words = doc[tokens[0] : colon]
    if all(t.is_title or t.is_upper or t.text == "." for t in words):
        return (tokens[0], colon)
    return None


def _interviewer_labels(ctx: Context, paragraphs: list[_Paragraph]) -> frozenset[str]:
    """Labels of the interviewer: the usual ones, and a label most of whose paragraphs
    end with a question mark."""
    asked: Counter[str] = Counter()
    used: Counter[str] = Counter()
    for paragraph in paragraphs:
        if paragraph.label is None:
            continue
        name = _label_text(ctx, paragraph.label)
        used[name] += 1
        asked[name] += _ends_with_question(ctx, paragraph)
    by_questions = {name for name, count in used.items() if asked[name] * 2 > count}
    return frozenset(by_questions | (set(used) & _INTERVIEWER_LABELS))


def _label_text(ctx: Context, label: Range) -> str:
    return ctx.doc[label[0] : label[1]].text.lower()


def _is_question(ctx: Context, paragraph: _Paragraph, interviewer: frozenset[str]) -> bool:
    if paragraph.label is not None:
        return _label_text(ctx, paragraph.label) in interviewer
    return _ends_with_question(ctx, paragraph) or _is_prompt(ctx, paragraph)


def _ends_with_question(ctx: Context, paragraph: _Paragraph) -> bool:
    """The paragraph ends with a question mark that is not the end of a question it
    quotes ('... as Einstein said, "would it?"')."""
    stripped = paragraph.text.rstrip(" )]")
    closing = stripped.rstrip(_QUOTE_CLOSERS)
    if not closing.endswith("?"):
        return False
    if closing == stripped:
        return True
    start = ctx.doc[paragraph.tokens[0]].idx
    opening = ctx.quote_partner.get(start + len(closing))
    if opening is None:  # nested straight quotes pair badly: any earlier mark opens it
        return not any(mark in closing[1:] for mark in _QUOTE_MARKS)
    return opening == start


def _is_prompt(ctx: Context, paragraph: _Paragraph) -> bool:
    """An interviewer's prompt without a question mark: its last sentence tells the
    interviewee to speak ("Talk us through the difficulties."), or the paragraph is a
    question that lost its mark ("How did you come to be involved with this")."""
    doc = ctx.doc
    last = ctx.sents[ctx.sent_of[paragraph.tokens[1] - 1]]
    root = last.root
    if (
        root.tag_ == "VB"
        and root.i == max(last.start, paragraph.tokens[0])
        and not any(c.dep_ in ("nsubj", "aux") for c in root.children)
        and any(c.lower_ in _ADDRESSED for c in root.children)
    ):
        return True
    first = doc[paragraph.tokens[0]]
    return (
        paragraph.text[-1] not in _CLOSING
        and first.tag_ in ("WRB", "WP", "MD", "VBP", "VBD", "VBZ")
        and any(t.lower_ == "you" for t in doc[paragraph.tokens[0] : paragraph.tokens[1]])
    )


def _is_note(ctx: Context, paragraph: _Paragraph) -> bool:
    """A picture's caption, a bracketed editor's note, or a pull quote signed by its
    speaker."""
    text = paragraph.text
    if any(mark in text.lower() for mark in _CAPTION_MARKS) or _is_bracketed(text):
        return True
    return signed_quote(ctx, paragraph.tokens) is not None


def _is_answer(ctx: Context, paragraph: _Paragraph, after_question: bool) -> bool:
    """Speech, not a heading: a paragraph with a verb and final punctuation or a colon
    announcing what follows. Right after a question a paragraph with no verb answers it
    ("Yes.", a list of names)."""
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in ctx.doc[paragraph.tokens[0] : paragraph.tokens[1]])
    if paragraph.text[-1] not in _CLOSING:
        return has_verb and paragraph.text.endswith(":")
    return has_verb or after_question


def _is_bracketed(text: str) -> bool:
    """An editor's note: "(copyright X; reprinted with permission)", "[Note: ...]"."""
    stripped = text.strip(_QUOTE_CLOSERS + " .")
    return len(stripped) > 1 and stripped[0] in "([" and stripped[-1] in ")]"


def _continues(previous: _Paragraph, paragraph: _Paragraph) -> bool:
    """The paragraph goes on with the answer before it: that one did not end (a colon
    announcing a list, a list item ending with a semicolon, a line of a poem)."""
    return paragraph.label is None and previous.text[-1] not in _CLOSING


def _interviewee(ctx: Context, first_question: int) -> tuple[str, SourceKind]:
    """The first person named before the first question; when nothing but headings
    comes before it (no introduction), the person the document names most (by surname:
    captions say "Hill at the forum"); else the interviewee is not named (a group: "the
    owners of a dungeon")."""
    people = [e for e in ctx.entities if e.label_ == "PERSON"]
    named = next((e for e in people if e.end <= first_question), None)
    if named is not None:
        return named.text, SourceKind.NAMED_PERSON
    introduced = any(
        ctx.text[_end_char(ctx, p) - 1] in _CLOSING for p in ctx.paragraphs if p[1] <= first_question
    )
    surnames = Counter(e[-1].text for e in people)
    if introduced or not surnames:
        return "", SourceKind.ANONYMOUS_OFFICIAL
    surname, _ = surnames.most_common(1)[0]
    return max((e.text for e in people if e[-1].text == surname), key=len), SourceKind.NAMED_PERSON


def within_answers(ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """In a transcript, the answers and the drafts outside questions and answers: what
    the interviewee reports inside an answer is part of it, not a claim of its own, and
    the interviewer's questions ("do you think ...") claim nothing."""
    answers, questions = interview_drafts(ctx)
    turns = questions + [((a.source_span or a.content)[0], a.content[1]) for a in answers]
    kept = [d for d in drafts if not any(s <= (d.cue or d.content)[0] < e for s, e in turns)]
    return kept + answers
