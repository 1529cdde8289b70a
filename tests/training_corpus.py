"""A tiny generated corpus for training tests: short wire stories, each with WEAPON,
PERSON and GPE spans and three claims ("X said Y"), accepted and marked done, so that
training has enough spans and claims to run (a few steps: never to a score)."""

from __future__ import annotations

from pathlib import Path

from models.annotation import Claim, SourceKind, Span, Status
from models.document import DocStatus, Document
from storage.repository import Repository

PEOPLE = ["Ana Silva", "Omar Haddad", "Lena Berg", "Tomas Novak", "Mira Patel", "Jon Eriksen", "Ada Okafor"]
PLACES = ["Sudan", "Norway", "Chile", "Kenya", "Peru", "Ghana", "Nepal"]
WEAPONS = ["drones", "rifles", "missiles", "mortars", "grenades", "rockets", "howitzers"]


def story(i: int) -> tuple[str, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Text, entities (text, label) and claims (source, cue, content) of story ``i``."""
    person, place, weapon = PEOPLE[i % 7], PLACES[i % 7], WEAPONS[i % 7]
    other = WEAPONS[(i + 3) % 7]
    claims = [
        (person, "said", f"the army used {weapon} near the border"),
        ("Police", "told", f"reporters that {other} were found"),
        (person, "added", "the talks would resume soon"),
    ]
    text = (
        f"{person} said the army used {weapon} near the border. "
        f"Police told reporters that {other} were found in {place}. "
        f"{person} added the talks would resume soon. Filed as item {i}."
    )
    entities = [(person, "PERSON"), (weapon, "WEAPON"), (other, "WEAPON"), (place, "GPE")]
    return text, entities, claims


def build(path: Path, documents: int = 8, done: bool = True) -> Path:
    """A database at ``path`` with ``documents`` stories, all accepted work."""
    repo = Repository(path, annotator="tester")
    try:
        for i in range(documents):
            text, entities, claims = story(i)
            status = DocStatus.DONE if done else DocStatus.IN_PROGRESS
            doc_id = repo.add_document(Document(title=f"Story {i}", text=text, status=status))
            for phrase, label in entities:
                start = text.index(phrase)
                repo.add_span(Span(doc_id, start, start + len(phrase), label, phrase))
            for source, cue, content in claims:
                cue_start = text.index(f"{source} {cue} {content}") + len(source) + 1
                content_start = cue_start + len(cue) + 1
                source_start = cue_start - len(source) - 1
                repo.add_claim(
                    Claim(
                        doc_id, content_start, content_start + len(content), cue_start, cue_start + len(cue),
                        source_start, source_start + len(source), source_text=source,
                        source_kind=SourceKind.NAMED_PERSON, status=Status.ACCEPTED,
                    )
                )  # fmt: skip
    finally:
        repo.close()
    return path
