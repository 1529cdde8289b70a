"""Canonical entities: normalised names, suggested links, review, merge and split, and the
sources view's grouping (storage/entities.py, models/entities.py)."""

from __future__ import annotations

import pytest

from models.annotation import Claim, SourceKind, Span, Status
from models.entities import Entity, EntityError, choose_name, name_key

SEED_LIKE = (
    "Rockets hit the Ain al-Assad air base on Tuesday, a police official in the region told "
    "AFP. He said nobody was hurt. Later, an American military official said the Aïn al-Assad "
    "base was not damaged. He added that patrols continue."
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ain al-Assad", "Aïn al-Assad"),
        ("Ain al-Assad", "AIN AL ASSAD"),
        ("the Pentagon", "Pentagon"),
        ("Iran's", "Iran"),
        ("O’Brien", "O'Brien"),
        ("Côte d’Ivoire", "Cote d'Ivoire"),
    ],
)
def test_name_key_folds_spelling_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("Ain al-Assad") != name_key("Ain Zalah")
    assert name_key("The Hague") == "hague"  # an article is dropped even where it belongs
    assert name_key("A") == "a"  # a lone word is never dropped
    assert name_key("--") == ""


def test_choose_name_prefers_frequent_then_diacritics() -> None:
    assert choose_name([("Ain al-Assad", 3), ("Aïn al-Assad", 1)]) == "Ain al-Assad"
    assert choose_name([("Ain al-Assad", 1), ("Aïn al-Assad", 1)]) == "Aïn al-Assad"
    with pytest.raises(ValueError):
        choose_name([])


def _span(repo, doc_id: int, text: str, label: str, nth: int = 0, status=Status.ACCEPTED) -> Span:
    body = repo.document(doc_id).text
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return repo.add_span(Span(doc_id, start, start + len(text), label, text, status=status))


def _claim(repo, doc_id: int, content: str, source: str, cue: str, *, resolved: str = "", nth: int = 0,
           kind=SourceKind.ANONYMOUS_OFFICIAL) -> Claim:  # fmt: skip
    body = repo.document(doc_id).text
    c = body.index(content)
    s = -1
    for _ in range(nth + 1):
        s = body.index(source, s + 1)
    q = body.index(cue, s)
    return repo.add_claim(Claim(doc_id, c, c + len(content), q, q + len(cue), s, s + len(source),
                                source_text=resolved, source_kind=kind))  # fmt: skip


def test_spelling_variants_become_one_entity_after_accepting(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    first = _span(repo, doc, "Ain al-Assad", "FAC")
    second = _span(repo, doc, "Aïn al-Assad", "FAC", status=Status.SUGGESTED)
    _span(repo, doc, "Tuesday", "DATE")

    report = repo.entities.suggest_links()
    assert report.entities_created == 1 and report.spans_suggested == 2  # DATE is not linked
    links = repo.entities.links_of_document(doc)
    assert links[first.id][0] == links[second.id][0]
    entity = repo.entities.get(links[first.id][0])
    assert {entity.name, *entity.aliases} == {"Ain al-Assad", "Aïn al-Assad"}
    assert links[first.id][2] == "suggested"

    repo.entities.accept_link(first.id)
    repo.entities.accept_link(second.id)
    rows = repo.entities.rows([entity.id])[entity.id]
    assert (rows.mentions, rows.documents, rows.suggested) == (2, 1, 0)
    assert repo.entities.count() == 1

    # a second run creates nothing and suggests nothing more
    again = repo.entities.suggest_links()
    assert (again.entities_created, again.spans_suggested) == (0, 0)


def test_new_document_mentions_follow_known_aliases(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    span = _span(repo, doc, "Ain al-Assad", "FAC")
    entity, _ = repo.entities.new_entity_for_span(span.id)
    repo.entities.update(entity.id, aliases=("Al Asad Airbase",))
    other = make_document("Drones were seen over Al Asad Airbase and the AIN AL-ASSAD base.")
    alias_span = _span(repo, other, "Al Asad Airbase", "FAC")
    caps_span = _span(repo, other, "AIN AL-ASSAD", "FAC")

    report = repo.entities.suggest_links([other])
    assert report.entities_created == 0 and report.spans_suggested == 2
    links = repo.entities.links_of_document(other)
    assert links[alias_span.id][0] == links[caps_span.id][0] == entity.id


def test_rejected_link_is_not_suggested_again_and_undo_restores(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    span = _span(repo, doc, "Ain al-Assad", "FAC")
    repo.entities.suggest_links()
    before = repo.entities.reject_link(span.id)
    assert span.id not in repo.entities.links_of_document(doc)
    report = repo.entities.suggest_links()
    assert report.spans_suggested == 0 and report.skipped_rejected == 1

    repo.entities.restore_link(before)
    assert repo.entities.links_of_document(doc)[span.id][2] == "suggested"


def test_link_survives_deleting_and_restoring_its_span(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    span = _span(repo, doc, "Ain al-Assad", "FAC")
    entity, _ = repo.entities.new_entity_for_span(span.id)
    deleted, linked = repo.delete_span(span.id)
    assert repo.entities.rows([entity.id])[entity.id].mentions == 0
    repo.restore_span(deleted, linked)
    assert repo.entities.links_of_document(doc)[span.id] == (entity.id, "Ain al-Assad", "accepted")


def test_merge_moves_every_link_and_undo_puts_them_back(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    a = _span(repo, doc, "Ain al-Assad", "FAC")
    b = _span(repo, doc, "Aïn al-Assad", "FAC")
    first, _ = repo.entities.new_entity_for_span(a.id)
    second = repo.entities.create(Entity("Ain Assad base", "FAC", ("Assad base",)))
    repo.entities.link_span(b.id, second.id)
    claim = _claim(repo, doc, "nobody was hurt", "He", "said", resolved="a police official in the region")
    repo.entities.link_claim_sources([claim.id], second.id)

    record = repo.entities.merge(second.id, first.id)
    with pytest.raises(KeyError):
        repo.entities.get(second.id)
    links = repo.entities.links_of_document(doc)
    assert links[a.id][0] == links[b.id][0] == first.id
    merged = repo.entities.get(first.id)
    assert {"Ain Assad base", "Assad base"} <= set(merged.aliases)
    assert repo.entities.claim_entities([claim.id])[claim.id].id == first.id
    assert repo.entities.find("assad base", "FAC")[0].id == first.id

    repo.entities.unmerge(record)
    assert repo.entities.get(second.id).aliases == ("Assad base", "Aïn al-Assad")  # learned when linked
    links = repo.entities.links_of_document(doc)
    assert (links[a.id][0], links[b.id][0]) == (first.id, second.id)
    assert repo.entities.claim_entities([claim.id])[claim.id].id == second.id
    assert "Ain Assad base" not in repo.entities.get(first.id).aliases
    assert repo.entities.find("assad base", "FAC")[0].id == second.id


def test_split_moves_chosen_mentions_to_a_new_entity(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    a = _span(repo, doc, "Ain al-Assad", "FAC")
    b = _span(repo, doc, "Aïn al-Assad", "FAC")
    repo.entities.suggest_links()
    entity_id = repo.entities.links_of_document(doc)[a.id][0]

    aliases = repo.entities.get(entity_id).aliases
    record = repo.entities.split(entity_id, [b.id], "Aïn al-Assad (second base)")
    new = record.new
    links = repo.entities.links_of_document(doc)
    assert links[a.id][0] == entity_id and links[b.id] == (new.id, "Aïn al-Assad (second base)", "accepted")
    with pytest.raises(EntityError):
        repo.entities.split(entity_id, [b.id])  # b is no longer a mention of it
    repo.entities.unsplit(record)
    assert repo.entities.links_of_document(doc)[b.id] == (
        entity_id,
        repo.entities.get(entity_id).name,
        "suggested",
    )
    assert repo.entities.get(entity_id).aliases == aliases
    with pytest.raises(KeyError):
        repo.entities.get(new.id)
    assert repo.entities.split(entity_id, [b.id], new_id=new.id).new.id == new.id  # a redo


def test_delete_refuses_an_entity_in_use(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    span = _span(repo, doc, "Ain al-Assad", "FAC")
    entity, _ = repo.entities.new_entity_for_span(span.id)
    with pytest.raises(EntityError, match="still has 1 link"):
        repo.entities.delete(entity.id)


def test_sources_group_pronoun_claims_with_their_antecedent(repo, make_document) -> None:
    doc = make_document(SEED_LIKE)
    _claim(
        repo,
        doc,
        "Rockets hit the Ain al-Assad air base on Tuesday",
        "a police official in the region",
        "told",
    )
    _claim(repo, doc, "nobody was hurt", "He", "said", resolved="a police official in the region")
    _claim(repo, doc, "the Aïn al-Assad base was not damaged", "an American military official", "said")
    _claim(repo, doc, "patrols continue", "He", "added", resolved="an American military official", nth=1)

    sources = {s.name: s for s in repo.entities.sources()}
    assert set(sources) == {"a police official in the region", "an American military official"}
    police = sources["a police official in the region"]
    assert [c.content for c in police.claims] == ["Rockets hit the Ain al-Assad air base on Tuesday",
                                                  "nobody was hurt"]  # fmt: skip
    assert [c.pronoun for c in police.claims] == [False, True]
    assert police.kind == "anonymous_official" and police.documents == 1
    american = sources["an American military official"]
    assert [c.cue for c in american.claims] == ["said", "added"]


def test_same_source_is_suggested_across_documents_and_confirmed_by_hand(repo, make_document) -> None:
    one = make_document(SEED_LIKE)
    two = make_document("A police official in the region said the road was closed.")
    _claim(repo, one, "nobody was hurt", "He", "said", resolved="a police official in the region")
    _claim(repo, two, "the road was closed", "A police official in the region", "said")

    sources = repo.entities.sources()
    assert len(sources) == 2  # never merged automatically
    groups = repo.entities.same_source_suggestions(sources)
    assert len(groups) == 1 and {s.key.doc_id for s in groups[0]} == {one, two}

    entity, before = repo.entities.same_source([s.key for s in groups[0]], "a police official in the region",
                                               "anonymous_official")  # fmt: skip
    merged = repo.entities.sources()
    assert len(merged) == 1 and merged[0].key.entity_id == entity.id and merged[0].documents == 2
    repo.entities.restore_claim_sources(before)
    assert len(repo.entities.sources()) == 2


def test_pronoun_sources_follow_the_entity_of_their_antecedent(repo, make_document) -> None:
    doc = make_document("Peter Banda said the count was fair. He added that results come Friday.")
    person = _span(repo, doc, "Peter Banda", "PERSON")
    first = _claim(repo, doc, "the count was fair", "Peter Banda", "said", kind=SourceKind.NAMED_PERSON)
    repo.update_claim(first.id, source_span_id=person.id)
    second = _claim(repo, doc, "results come Friday", "He", "added", resolved="Peter Banda",
                    kind=SourceKind.NAMED_PERSON)  # fmt: skip

    report = repo.entities.suggest_links()
    assert report.claims_followed == 1
    entity_id = repo.entities.links_of_document(doc)[person.id][0]
    repo.entities.accept_link(person.id)
    sources = repo.entities.sources()
    assert len(sources) == 1 and sources[0].key.entity_id == entity_id
    assert sources[0].kind == "named_person" and len(sources[0].claims) == 2
    assert repo.entities.claim_source_state(second.id).status == "suggested"


def test_entity_search_matches_names_and_aliases(repo, make_document) -> None:
    repo.entities.create(Entity("Aïn al-Assad", "FAC", ("Al Asad Airbase",)))
    repo.entities.create(Entity("Islamic Revolutionary Guard Corps", "ORG", ("IRGC",)))
    names = lambda q, label=None: [r[1] for r in repo.entities.entity_ids(q, label)]  # noqa: E731
    assert names("ain") == ["Aïn al-Assad"]
    assert names("airbase") == ["Aïn al-Assad"]  # a word inside an alias
    assert names("irgc") == ["Islamic Revolutionary Guard Corps"]
    assert names("", "ORG") == ["Islamic Revolutionary Guard Corps"]
    assert names("100%_") == []


def test_display_names_drop_articles_and_possessives() -> None:
    from models.entities import display_name

    assert display_name("The Ain al-Assad") == "Ain al-Assad"
    assert display_name("the Pentagon") == "Pentagon"
    assert display_name("The Hague") == "The Hague"
    assert display_name("al-Qaeda's") == "al-Qaeda"


def test_relabelled_span_gets_a_fresh_suggestion(repo, make_document) -> None:
    """spaCy calls the base a WORK_OF_ART once and a FAC once; after the analyst corrects
    the label, both spellings are suggested one entity, and the stale one is gone."""
    doc = make_document(SEED_LIKE)
    wrong = _span(repo, doc, "Ain al-Assad", "WORK_OF_ART", status=Status.SUGGESTED)
    right = _span(repo, doc, "Aïn al-Assad", "FAC", status=Status.SUGGESTED)
    assert repo.entities.suggest_links().entities_created == 2
    repo.update_span(wrong.id, label="FAC", status=Status.ACCEPTED)

    repo.entities.suggest_links()
    links = repo.entities.links_of_document(doc)
    assert links[wrong.id][0] == links[right.id][0]
    assert repo.entities.count() == 1 and repo.entities.labels() == ["FAC"]


def test_link_and_entities_commands(repo, make_document, capsys) -> None:
    import json

    from main import main

    doc = make_document(SEED_LIKE)
    _span(repo, doc, "Ain al-Assad", "FAC")
    _span(repo, doc, "Aïn al-Assad", "FAC")
    path = str(repo.path)
    assert main(["link", "--db", path]) == 0
    assert "suggested links for 2 span(s), created 1 entity" in capsys.readouterr().out
    assert main(["entities", "--db", path, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["label"], r["mentions"], r["suggested_mentions"]) for r in rows] == [
        ("Aïn al-Assad", "FAC", 2, 2)
    ]
    assert main(["link", "--db", path, "--docs", "x"]) == 2
    assert main(["entities", "--db", path + ".missing"]) == 2
    assert "no database at" in capsys.readouterr().err
