"""Rule-based claim suggestions (models.nlp.claims) on sentences written for these tests:
content, cue and source boundaries, source kinds, pronoun sources and certainty."""

from __future__ import annotations

import pytest

from models.annotation import Certainty, Claim, ClaimKind, CueKind, SourceKind, Status, validate_claim
from models.nlp.claims import (
    CLAIMS_ORIGIN,
    RULES_VERSION,
    claim_matchers,
    find_quotations,
    load_lexicon,
    suggest_claims,
)
from models.nlp.loading import shared_model

PERSON = SourceKind.NAMED_PERSON
ORGANISATION = SourceKind.NAMED_ORGANISATION
ANONYMOUS = SourceKind.ANONYMOUS_OFFICIAL
DOCUMENT = SourceKind.DOCUMENT_REPORT
UNATTRIBUTED = SourceKind.UNATTRIBUTED


@pytest.fixture(scope="module")
def nlp():
    loaded = shared_model()
    if "parser" not in loaded.nlp.pipe_names:
        pytest.fail(f"claim rules need a parser; {loaded.name} has none")
    return loaded.nlp


def claims_of(nlp, text: str) -> list[Claim]:
    claims = suggest_claims(nlp(text), doc_id=7)
    for claim in claims:
        validate_claim(text, claim)
    return claims


def part(text: str, claim: Claim, name: str) -> str | None:
    found = claim.parts()[name]
    return None if found is None else text[found[0] : found[1]]


def only_claim(nlp, text: str) -> Claim:
    claims = claims_of(nlp, text)
    assert len(claims) == 1, [part(text, c, "content") for c in claims]
    return claims[0]


def claim_with_cue(nlp, text: str, cue: str) -> Claim:
    matching = [c for c in claims_of(nlp, text) if part(text, c, "cue") == cue]
    assert len(matching) == 1, f"{len(matching)} claims with cue {cue!r}"
    return matching[0]


def assert_claim(
    text: str,
    claim: Claim,
    content: str,
    cue: str | None,
    source: str | None,
    kind: SourceKind,
    certainty: Certainty = Certainty.ASSERTED,
) -> None:
    """Checks text and offsets: each expected part occurs once in ``text``."""
    for name, expected in (("content", content), ("cue", cue), ("source", source)):
        assert part(text, claim, name) == expected, name
        if expected is not None:
            assert text.count(expected) == 1, f"test sentence must hold {expected!r} once"
            assert claim.parts()[name] == (text.index(expected), text.index(expected) + len(expected))
    assert claim.source_kind == kind
    assert claim.certainty == certainty


# --- Reporting verbs with subject and complement -------------------------------------------


def test_reporting_verb_with_that_clause(nlp):
    text = "The harbour master said on Friday that two fishing boats had sunk near the breakwater."
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, "two fishing boats had sunk near the breakwater", "said", "The harbour master", ANONYMOUS
    )
    assert claim.status == Status.SUGGESTED
    assert claim.origin == CLAIMS_ORIGIN == f"rules:claims@{RULES_VERSION}"
    assert claim.doc_id == 7


def test_reporting_clause_after_the_report(nlp):
    text = "The talks have collapsed, a Western diplomat said."
    assert_claim(
        text, only_claim(nlp, text), "The talks have collapsed", "said", "a Western diplomat", ANONYMOUS
    )


def test_told_outlet_with_that_clause_and_after_the_report(nlp):
    text = "Witnesses told the Gazette that soldiers had opened fire on the crowd."
    assert_claim(
        text, only_claim(nlp, text), "soldiers had opened fire on the crowd", "told", "Witnesses", ANONYMOUS
    )
    text = "The convoy was hit by a drone near the river, the governor told the BBC."
    assert_claim(
        text,
        only_claim(nlp, text),
        "The convoy was hit by a drone near the river",
        "told",
        "the governor",
        ANONYMOUS,
    )


def test_coordinated_that_clauses_are_separate_claims(nlp):
    text = "The coach said the team had trained hard and that the players were ready."
    first, second = claims_of(nlp, text)
    assert_claim(text, first, "the team had trained hard", "said", "The coach", ANONYMOUS)
    assert_claim(text, second, "the players were ready", "said", "The coach", ANONYMOUS)


def test_participle_reporting_verb_continues_the_first_claim(nlp):
    text = (
        "The pipeline was damaged overnight, the operator told Reuters, "
        "adding that repairs would take a week."
    )
    told = claim_with_cue(nlp, text, "told")
    adding = claim_with_cue(nlp, text, "adding")
    assert_claim(text, told, "The pipeline was damaged overnight", "told", "the operator", ORGANISATION)
    assert part(text, adding, "content") == "repairs would take a week"
    assert part(text, adding, "source") == "the operator"


def test_nominal_content_without_the_medium(nlp):
    text = "The regional health office confirmed the outbreak in a statement on Monday."
    assert_claim(
        text, only_claim(nlp, text), "the outbreak", "confirmed", "The regional health office", ORGANISATION
    )


def test_not_a_claim(nlp):
    for text in (
        "The mayor did not say whether the roads would reopen.",
        "It is too early to say who was responsible.",
        "The chef added salt to the soup.",
        "Residents were told to leave their homes.",
        "The operator did not say when the plant would restart.",
    ):
        assert claims_of(nlp, text) == [], text


# --- Quotations ----------------------------------------------------------------------------


def test_straight_quotation_before_the_speaker(nlp):
    text = '"We will not retreat from the border," General Maria Lopez said on Tuesday.'
    assert_claim(
        text,
        only_claim(nlp, text),
        "We will not retreat from the border",
        "said",
        "General Maria Lopez",
        PERSON,
    )


def test_curly_quotation_with_inverted_speaker(nlp):
    text = "“The situation is calm,” said a spokesman for the port authority."
    assert_claim(
        text,
        only_claim(nlp, text),
        "The situation is calm",
        "said",
        "a spokesman for the port authority",
        ANONYMOUS,
    )


def test_single_curly_quotation(nlp):
    text = "‘The bridge is safe,’ the engineer said."
    assert_claim(text, only_claim(nlp, text), "The bridge is safe", "said", "the engineer", ANONYMOUS)


def test_quotation_after_a_colon_spans_its_sentences(nlp):
    text = 'The prosecutor told the court: "The defendant knew what he was doing. He planned it for months."'
    assert_claim(
        text,
        only_claim(nlp, text),
        "The defendant knew what he was doing. He planned it for months",
        "told",
        "The prosecutor",
        ANONYMOUS,
    )


def test_mixed_quotation_keeps_inner_marks_balanced(nlp):
    text = "The mayor confirmed that “several buildings” had been “badly damaged” by the storm."
    assert_claim(
        text,
        only_claim(nlp, text),
        "“several buildings” had been “badly damaged” by the storm",
        "confirmed",
        "The mayor",
        ANONYMOUS,
    )


def test_quotation_continued_in_the_next_sentence(nlp):
    text = "“We are not leaving,” the union leader Petra Novak said. “This plant belongs to its workers.”"
    first, second = claims_of(nlp, text)
    assert_claim(text, first, "We are not leaving", "said", "the union leader Petra Novak", PERSON)
    assert_claim(
        text, second, "This plant belongs to its workers", None, "the union leader Petra Novak", PERSON
    )


def test_reporting_verbs_inside_quotations_are_not_claims(nlp):
    text = "“They told us the water was safe,” a resident said."
    assert_claim(
        text, only_claim(nlp, text), "They told us the water was safe", "said", "a resident", ANONYMOUS
    )


def test_find_quotations_skips_apostrophes():
    text = 'Iran’s envoy said ‘no’ and the soldiers’ camp replied “yes” then "maybe".'
    marks = [text[start : end + 1] for start, end in find_quotations(text)]
    assert marks == ["‘no’", "“yes”", '"maybe"']


def test_find_quotations_pairs_straight_single_quotes_not_apostrophes():
    text = "The boys' coach said 'we'll win' and the girls' coach said 'they won't'."
    marks = [text[start : end + 1] for start, end in find_quotations(text)]
    assert marks == ["'we'll win'", "'they won't'"]


@pytest.mark.parametrize("after", ["on Monday", "according to the UN"])
def test_quotation_after_the_cue_ends_at_its_closing_mark(nlp, after):
    text = f'The president said "the war is over" {after}.'
    claim = claim_with_cue(nlp, text, "said")
    assert_claim(text, claim, "the war is over", "said", "The president", ANONYMOUS)


def test_quotations_after_possessive_apostrophes_are_two_claims(nlp):
    text = "The boys' coach said 'we'll win' and the girls' coach said 'they won't'."
    first, second = claims_of(nlp, text)
    assert (part(text, first, "content"), part(text, first, "cue"), part(text, first, "source")) == (
        "we'll win",
        "said",
        "The boys' coach",
    )
    assert (part(text, second, "content"), part(text, second, "cue"), part(text, second, "source")) == (
        "they won't",
        "said",
        "the girls' coach",
    )


def test_quotation_introduced_by_a_cue_is_not_the_next_sentences_claim(nlp):
    text = (
        "The minister said, \"He told me 'we will never negotiate with them' and left.\" "
        "Reporters asked again."
    )
    assert_claim(
        text,
        only_claim(nlp, text),
        "He told me 'we will never negotiate with them' and left",
        "said",
        "The minister",
        ANONYMOUS,
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quotation_on_the_line_after_its_cue(nlp, newline):
    text = f'The chief said,{newline}"We will win."'
    assert_claim(text, only_claim(nlp, text), "We will win", "said", "The chief", ANONYMOUS)


def test_quotation_with_zero_width_spaces_after_its_cue(nlp):
    text = 'The president said "the\u200bwar\u200bis\u200bover" on Monday.'
    assert_claim(
        text, only_claim(nlp, text), "the\u200bwar\u200bis\u200bover", "said", "The president", ANONYMOUS
    )


def test_empty_quotations_report_nothing(nlp):
    assert claims_of(nlp, 'He said "" and then she said “ ” loudly.') == []


# --- Attribution phrases, sources ----------------------------------------------------------


def test_according_to_at_the_start(nlp):
    text = "According to a statement from the mining company, production will resume on Monday."
    assert_claim(
        text,
        only_claim(nlp, text),
        "production will resume on Monday",
        "According to",
        "a statement from the mining company",
        DOCUMENT,
    )


def test_according_to_at_the_end(nlp):
    text = "Three bridges were destroyed overnight, according to local police."
    assert_claim(
        text,
        only_claim(nlp, text),
        "Three bridges were destroyed overnight",
        "according to",
        "local police",
        ORGANISATION,
    )


def test_source_without_relative_clause_but_with_modifiers(nlp):
    text = "A nurse at the central hospital, who asked not to be named, said the wards were full."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "the wards were full", "said", "A nurse at the central hospital", ANONYMOUS)


def test_source_keeps_a_restrictive_relative_clause(nlp):
    text = "According to engineers who inspected the dam, the spillway had been blocked."
    assert_claim(
        text,
        only_claim(nlp, text),
        "the spillway had been blocked",
        "According to",
        "engineers who inspected the dam",
        ANONYMOUS,
    )


def test_said_in_a_statement_that(nlp):
    text = "The firm that runs the mine, Boreal Metals, said in a statement that no workers had been injured."
    assert_claim(
        text, only_claim(nlp, text), "no workers had been injured", "said", "Boreal Metals", ORGANISATION
    )


def test_coordinated_sources_form_one_source(nlp):
    text = "Shells landed near the school, a local official and a teacher told AFP."
    assert_claim(
        text,
        only_claim(nlp, text),
        "Shells landed near the school",
        "told",
        "a local official and a teacher",
        ANONYMOUS,
    )


def test_name_in_apposition_stands_for_the_title(nlp):
    text = "A spokesman for the airline, Tomas Berg, said the pilot had followed procedures."
    assert_claim(
        text, only_claim(nlp, text), "the pilot had followed procedures", "said", "Tomas Berg", PERSON
    )


def test_anonymity_makes_an_anonymous_official(nlp):
    text = "Speaking on condition of anonymity, the mayor's deputy said the budget would be cut."
    assert_claim(
        text, only_claim(nlp, text), "the budget would be cut", "said", "the mayor's deputy", ANONYMOUS
    )
    text = "The mayor's deputy said the budget would be cut."
    assert only_claim(nlp, text).source_kind == PERSON


def test_document_and_organisation_sources(nlp):
    text = "The study found that air pollution had fallen by a fifth since 2019."
    assert_claim(
        text,
        only_claim(nlp, text),
        "air pollution had fallen by a fifth since 2019",
        "found",
        "The study",
        DOCUMENT,
    )
    text = "Police said two men had been arrested."
    assert_claim(text, only_claim(nlp, text), "two men had been arrested", "said", "Police", ORGANISATION)


def test_passive_report_is_unattributed(nlp):
    text = "It was reported that the convoy had been stopped near the border."
    assert_claim(
        text,
        only_claim(nlp, text),
        "the convoy had been stopped near the border",
        "reported",
        None,
        UNATTRIBUTED,
    )
    assert only_claim(nlp, text).source_text == ""


def test_reportedly_alone_is_an_unattributed_cue(nlp):
    text = "Two journalists were reportedly detained at the border crossing."
    assert_claim(
        text,
        only_claim(nlp, text),
        "Two journalists were reportedly detained at the border crossing",
        "reportedly",
        None,
        UNATTRIBUTED,
        Certainty.HEDGED,
    )


def test_hearsay_adverb_under_a_reporting_verb_only_hedges(nlp):
    text = "One of the guards allegedly sold the keys, a prison source said."
    assert_claim(
        text,
        only_claim(nlp, text),
        "One of the guards allegedly sold the keys",
        "said",
        "a prison source",
        ANONYMOUS,
        Certainty.HEDGED,
    )


# --- Responsibility claims -----------------------------------------------------------------


def test_passive_responsibility_claim(nlp):
    text = "The bombing was claimed by a little-known militant group."
    assert_claim(
        text, only_claim(nlp, text), "The bombing", "claimed", "a little-known militant group", ORGANISATION
    )


def test_responsibility_claim_in_relative_clause(nlp):
    text = "The ambush, which was claimed by the Southern Front, killed four guards."
    assert_claim(text, only_claim(nlp, text), "The ambush", "claimed", "the Southern Front", ORGANISATION)


def test_active_responsibility_claim(nlp):
    text = "The rebels claimed responsibility for the ambush on Sunday."
    assert_claim(text, only_claim(nlp, text), "the ambush", "claimed", "The rebels", ORGANISATION)


# --- Pronoun sources -----------------------------------------------------------------------


def test_pronoun_resolves_to_the_last_person_source(nlp):
    text = "Inspector Anna Kovacs said the roads were closed. She added that no one had been hurt."
    _, second = claims_of(nlp, text)
    assert_claim(text, second, "no one had been hurt", "added", "She", PERSON)
    assert second.source_text == "Anna Kovacs"


def test_pronoun_skips_incompatible_sources(nlp):
    text = (
        "A police officer in the town reported that the fire had spread quickly.\n\n"
        "The fire service stated that the blaze was under control.\n\n"
        "He said three houses had burned down."
    )
    last = claims_of(nlp, text)[-1]
    assert_claim(text, last, "three houses had burned down", "said", "He", ANONYMOUS)
    assert last.source_text == "A police officer in the town"


def test_it_and_they_resolve_to_organisations_and_groups(nlp):
    text = (
        "The health agency said the water was safe. It added that tests would continue.\n\n"
        "Local farmers said the dam had leaked for weeks. They warned that crops would fail."
    )
    it = claim_with_cue(nlp, text, "added")
    they = claim_with_cue(nlp, text, "warned")
    assert (part(text, it, "source"), it.source_text, it.source_kind) == (
        "It",
        "The health agency",
        ORGANISATION,
    )
    assert (part(text, they, "source"), they.source_text) == ("They", "Local farmers")


def test_pronoun_source_continues_a_quotation(nlp):
    text = "Minister Jonas Berg opened the plant. “This is a new start,” he said. “Our region needed it.”"
    quoted, continued = claims_of(nlp, text)
    for claim in (quoted, continued):
        assert part(text, claim, "source") == "he"
        assert claim.source_text == "Jonas Berg"
        assert claim.source_kind == PERSON
    assert part(text, continued, "content") == "Our region needed it"
    assert continued.cue_start is None


# --- Certainty -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("The company said the spill may have reached the river.", Certainty.HEDGED),
        ("A preliminary report said the engine had failed.", Certainty.HEDGED),
        ("The army reportedly said that the pass was closed.", Certainty.HEDGED),
        ("The opposition rejected preliminary results, the party said.", Certainty.ASSERTED),
        ("The governor denied that funds had been misused.", Certainty.DENIED),
        ("The mayor did not confirm that the roads would reopen.", Certainty.DENIED),
        ("The minister did not deny that she had met the envoy.", Certainty.HEDGED),
        ("The ministry dismissed claims that the dam had burst.", Certainty.DENIED),
    ],
)
def test_certainty(nlp, text: str, certainty: Certainty):
    assert only_claim(nlp, text).certainty == certainty


def test_unconfirmed_in_the_same_sentence(nlp):
    text = (
        "A local radio station reported that a ferry had capsized, but the coastguard said it was not "
        "immediately able to confirm the report."
    )
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == "a ferry had capsized"
    assert claim.certainty == Certainty.UNCONFIRMED


def test_unconfirmed_by_the_next_sentence(nlp):
    text = (
        "Farmers said the river had flooded.\n\n"
        "The militia said it had captured the airport. Its fighters said they had seized two tanks.\n\n"
        "The claims could not be independently verified."
    )
    farmers, airport, tanks = claims_of(nlp, text)
    assert farmers.certainty == Certainty.ASSERTED
    assert airport.certainty == tanks.certainty == Certainty.UNCONFIRMED


def test_unverified_new_subject_does_not_reach_back(nlp):
    text = (
        "The army said the town had been retaken.\n\n"
        "A video appeared to show tanks in the square, but its authenticity could not be verified."
    )
    assert only_claim(nlp, text).certainty == Certainty.ASSERTED


# --- Machinery -----------------------------------------------------------------------------


def test_matchers_are_built_once_per_vocabulary(nlp):
    assert claim_matchers(nlp) is claim_matchers(nlp.vocab)
    suggest_claims(nlp("The mayor said the roads were closed."), 1)
    assert claim_matchers(nlp) is claim_matchers(nlp.vocab)


def test_word_lists_cover_the_required_cues():
    lexicon = load_lexicon()
    required = (
        "say tell claim confirm report add announce deny insist warn write state accuse blame "
        "acknowledge admit explain note argue"
    ).split()
    assert set(required) <= lexicon.reporting
    assert "according to" in lexicon.attribution
    assert {"preliminary", "reportedly", "allegedly", "may", "possibly", "initial"} <= lexicon.hedges
    assert "not immediately able to confirm" in lexicon.unconfirmed
    assert "could not be independently verified" in lexicon.unconfirmed


def test_pipeline_without_parser_suggests_nothing():
    import spacy

    blank = spacy.blank("en")
    assert suggest_claims(blank("The mayor said the roads were closed."), 1) == []


def test_offsets_are_code_points_after_emoji(nlp):
    text = "🔥🔥 Fire crews said the blaze was out. “No one was hurt,” the chief told 📻 Radio Norte."
    claims = claims_of(nlp, text)
    assert [part(text, c, "content") for c in claims] == ["the blaze was out", "No one was hurt"]
    assert [part(text, c, "source") for c in claims] == ["Fire crews", "the chief"]


# --- Cue kinds beyond speech (docs/claims-guide.md, cue_kind) -------------------------------


def kinds_of(claims: list[Claim]) -> list[tuple[CueKind | None, ClaimKind]]:
    return [(c.cue_kind, c.claim_kind) for c in claims]


def test_speech_and_responsibility_kinds(nlp):
    text = "The bombing was claimed by a little-known militant group."
    assert kinds_of(claims_of(nlp, text)) == [(CueKind.RESPONSIBILITY, ClaimKind.RESPONSIBILITY)]
    text = "The rebels claimed responsibility for the ambush on Sunday."
    assert kinds_of(claims_of(nlp, text)) == [(CueKind.RESPONSIBILITY, ClaimKind.RESPONSIBILITY)]
    text = "The mayor said the roads were closed."
    assert kinds_of(claims_of(nlp, text)) == [(CueKind.SPEECH, ClaimKind.STATEMENT)]


def test_evidence_a_poll_or_records_as_the_source(nlp):
    text = "A new poll shows support for the mayor is falling."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "support for the mayor is falling", "shows", "A new poll", DOCUMENT)
    assert claim.cue_kind == CueKind.EVIDENCE
    text = "Court records indicate that the company paid no tax in 2019."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "the company paid no tax in 2019", "indicate", "Court records", DOCUMENT)
    assert claim.cue_kind == CueKind.EVIDENCE


def test_show_with_a_person_as_subject_is_not_evidence(nlp):
    assert claims_of(nlp, "The guide showed the visitors the old harbour.") == []


def test_question_keeps_its_question_word(nlp):
    text = "Senator Ruth Okafor asked whether the contract had been signed."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "whether the contract had been signed", "asked", "Senator Ruth Okafor", PERSON)
    assert claim.cue_kind == CueKind.QUESTION


def test_answer(nlp):
    text = "The minister replied that the figures were correct."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.ANSWER and part(text, claim, "content") == "the figures were correct"


def test_calls_take_the_addressee_with_what_is_asked(nlp):
    text = "The union called on the government to release the figures."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "the government to release the figures", "called", "The union", ORGANISATION)
    assert claim.cue_kind == CueKind.CALL
    text = "The opposition leader urged voters to stay calm."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.CALL and part(text, claim, "content") == "voters to stay calm"
    text = "The governor vowed to rebuild the bridge."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.CALL and part(text, claim, "content") == "to rebuild the bridge"


def test_calling_someone_a_name_is_an_evaluation_not_a_call(nlp):
    text = "Fans called him a hero."
    claim = only_claim(nlp, text)
    assert (part(text, claim, "content"), claim.cue_kind) == ("him a hero", CueKind.EVALUATION)
    assert claims_of(nlp, "The chairman called a meeting for Friday.") == []


def test_evaluation_with_its_complement(nlp):
    text = "Researchers have characterised the treatment as a form of quackery."
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == "the treatment as a form of quackery"
    assert claim.cue_kind == CueKind.EVALUATION


def test_stated_attitudes(nlp):
    text = "The company expects prices to rise next year."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.ATTITUDE and part(text, claim, "content") == "prices to rise next year"
    text = "The council intends to hold two referendums."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.ATTITUDE and part(text, claim, "content") == "to hold two referendums"


def test_no_attitude_claims_by_the_addressed_or_the_passive(nlp):
    for text in (
        "Do you think the peace process has a future?",
        "The ship is believed to have sunk near the coast.",
        "A nurse, who asked not to be named, was at the scene.",
    ):
        assert claims_of(nlp, text) == [], text


def test_in_the_words_of_is_an_attribution_without_a_verb(nlp):
    text = 'In the words of the prosecutor, Mark Tedeschi, "the child suffered for months."'
    [claim] = claims_of(nlp, text)
    assert claim.cue_kind == CueKind.NO_VERB and part(text, claim, "cue") == "In the words of"
    assert part(text, claim, "content") == "the child suffered for months"


def test_declined_to_comment_is_not_a_claim_but_did_not_deny_is(nlp):
    assert claims_of(nlp, "The ministry declined to comment on the report.") == []
    text = "The ministry did not deny that the talks had failed."
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == "the talks had failed" and claim.cue_kind == CueKind.SPEECH


# --- Exact content: balanced quotation marks, split quotations -------------------------------


def test_partial_quotation_at_the_end_keeps_its_closing_mark(nlp):
    text = 'The observers insisted the count had been "transparent at every stage".'
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == 'the count had been "transparent at every stage"'


def test_quotation_split_by_its_cue_is_one_claim(nlp):
    text = '"A deal is close," the minister said, "but we are not there yet." Talks resume today.'
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, 'A deal is close," the minister said, "but we are not there yet', "said", "the minister",
        ANONYMOUS,
    )  # fmt: skip


def test_quotation_resumed_in_a_new_sentence_is_a_claim_of_its_own(nlp):
    text = '"A deal is close," the minister said. "We are not there yet."'
    claims = claims_of(nlp, text)
    assert [part(text, c, "content") for c in claims] == ["A deal is close", "We are not there yet"]
    assert part(text, claims[1], "cue") is None and part(text, claims[1], "source") == "the minister"


def test_quoted_sentence_continues_the_claim_before_it(nlp):
    text = 'Dr Colette Heald noted the findings were clear. "Ozone is something we understand."'
    first, second = claims_of(nlp, text)
    assert part(text, second, "content") == "Ozone is something we understand"
    assert part(text, second, "source") == "Dr Colette Heald" and second.cue_start is None


# --- Interview transcripts ---------------------------------------------------------------------

TRANSCRIPT = (
    "Wikinews interviewed the sculptor Lena Berg about her new work.\n\n"
    "How did the project start?\n\n"
    "It started with a drawing. I think it grew from there.\n\n"
    "Lena Berg in her studio. Image: Wikinews.\n\n"
    "Do you think the city will buy it?\n\n"
    "They have said they want it, but nothing is signed."
)


def test_every_answer_paragraph_of_an_interview_is_a_claim_of_the_interviewee(nlp):
    claims = claims_of(nlp, TRANSCRIPT)
    contents = [part(TRANSCRIPT, c, "content") for c in claims]
    assert contents == [
        "It started with a drawing. I think it grew from there",
        "They have said they want it, but nothing is signed",
    ]
    for claim in claims:
        assert claim.cue_kind == CueKind.INTERVIEW and claim.cue_start is None and claim.source_start is None
        assert (claim.source_text, claim.source_kind) == ("Lena Berg", PERSON)


def test_an_article_quoting_one_question_is_not_a_transcript(nlp):
    text = "The mayor opened the bridge.\n\nWho will pay for it?\n\nThe council has not decided yet."
    assert claims_of(nlp, text) == []


def test_interview_answers_are_asserted_and_an_unnamed_interviewee_is_anonymous(nlp):
    text = (
        "Wikinews interviewed the owners of a small bakery.\n\n"
        "How did you start?\n\n"
        "We may have been lucky. The rent was low then.\n\n"
        "Would you do it again?\n\n"
        "Probably, but we would not open in this street."
    )
    claims = claims_of(nlp, text)
    assert [c.certainty for c in claims] == [Certainty.ASSERTED, Certainty.ASSERTED]
    assert {(c.source_text, c.source_kind) for c in claims} == {("", ANONYMOUS)}


# --- Parses the rules repair ---------------------------------------------------------------------


def test_that_clause_read_as_a_determiner(nlp):
    text = "Wilkins observed that the 2007 starting date of the program coincided with the anniversary."
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == (
        "the 2007 starting date of the program coincided with the anniversary"
    )


def test_as_clause_frames_the_report(nlp):
    text = "As Heald told reporters, ozone levels have dropped since 1980."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "ozone levels have dropped since 1980", "told", "Heald", PERSON)


def test_labelled_transcript_takes_the_label_as_source_and_skips_the_interviewer(nlp):
    text = (
        "Wikinews spoke to the economist Maria Lopez about the budget.\n\n"
        "Wikinews: What worries you most in this budget?\n\n"
        "Lopez: The deficit will grow faster than the government admits.\n\n"
        "Wikinews: Tell us about the pension reform.\n\n"
        "Lopez: It comes too late for the people who need it."
    )
    claims = claims_of(nlp, text)
    assert [part(text, c, "content") for c in claims] == [
        "The deficit will grow faster than the government admits",
        "It comes too late for the people who need it",
    ]
    assert {(part(text, c, "source"), c.source_kind, c.cue_kind) for c in claims} == {
        ("Lopez", PERSON, CueKind.INTERVIEW)
    }


def test_interview_answers_short_quoting_listing_and_prompts(nlp):
    text = (
        "Wikinews interviewed the astronomer Ana Ruiz about the comet.\n\n"
        "Is the video available to the public?\n\n"
        "Yes.\n\n"
        "How many particles do you expect to find?\n\n"
        'We do not know. As Einstein put it, "If we knew what we were doing, would it be research?"\n\n'
        "The comet seen from the observatory. image: Ana Ruiz.\n\n"
        "These tails are a mystery. Talk us through what you measured.\n\n"
        "We measured two things:\n\n"
        "the speed of the dust;\n\n"
        "its size."
    )
    contents = [part(text, c, "content") for c in claims_of(nlp, text)]
    assert contents == [
        "Yes",
        'We do not know. As Einstein put it, "If we knew what we were doing, would it be research?"',
        "We measured two things:\n\nthe speed of the dust;\n\nits size",
    ]


def test_question_and_answer_labels_leave_the_interviewee_as_speaker(nlp):
    text = (
        "Wikinews interviewed the novelist Sara Lind.\n\n"
        "Q: Why did you leave the city?\n\n"
        "A: I needed silence to write.\n\n"
        "Q: Will you go back?\n\n"
        "A: Only when the book is finished."
    )
    claims = claims_of(nlp, text)
    assert [part(text, c, "content") for c in claims] == [
        "I needed silence to write",
        "Only when the book is finished",
    ]
    assert {(c.source_start, c.source_text, c.source_kind) for c in claims} == {(None, "Sara Lind", PERSON)}


# --- Attribution without a verb, evaluations, attitudes, calls ---------------------------------


def test_pull_quote_signed_by_its_speaker(nlp):
    text = (
        "NASA chose four museums for the shuttles.\n\n"
        "This was a very difficult decision. In the end, these choices serve the public best. "
        "Charles Bolden, NASA Administrator\n\n"
        "The shuttles will be moved next year."
    )
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.NO_VERB and claim.cue_start is None
    assert part(text, claim, "content") == (
        "This was a very difficult decision. In the end, these choices serve the public best"
    )
    assert (part(text, claim, "source"), claim.source_kind) == ("Charles Bolden", PERSON)


def test_quotation_signed_after_a_dash_with_its_context(nlp):
    text = (
        '"Brains are the greater producer of wealth, not oil." — Peres, on whether oil wealth '
        "will eclipse Israel.\n\nThe talks ended on Friday."
    )
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, "Brains are the greater producer of wealth, not oil", "—", "Peres", PERSON
    )  # fmt: skip
    assert claim.cue_kind == CueKind.NO_VERB


def test_paragraph_announced_by_a_colon(nlp):
    text = (
        "In a statement to the broadcaster, the Church denied the allegations:\n\n"
        "She was never forced to work in the engine room. They also claimed she was a volunteer."
    )
    announced = claim_with_cue(nlp, text, ":")
    assert announced.cue_kind == CueKind.NO_VERB
    assert part(text, announced, "content") == "She was never forced to work in the engine room"
    assert part(text, announced, "source") == "the Church"
    tweet = 'President Barack Obama tweeted using his account:\n\n"Cool clock, Ahmed. Inspire more kids."'
    claim = claim_with_cue(nlp, tweet, "tweeted")
    assert part(tweet, claim, "content") == "Cool clock, Ahmed. Inspire more kids"
    assert claim.cue_kind == CueKind.SPEECH
    assert claims_of(nlp, "The council met on Monday:\n\nThe budget was approved by nine votes to two.") == []


def test_headline_with_a_name_and_a_statement_around_a_colon(nlp):
    text = "Keep your eyes peeled for cosmic debris: Andrew Westphal about Stardust\n\nSunday, May 28, 2006"
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "Keep your eyes peeled for cosmic debris", ":", "Andrew Westphal", PERSON)
    quoted = 'Mayor Smith: "We will rebuild this town."'
    claim = only_claim(nlp, quoted)
    assert (part(quoted, claim, "content"), part(quoted, claim, "source")) == (
        "We will rebuild this town",
        "Smith",
    )


def test_a_caption_credit_is_not_a_headline(nlp):
    text = "Aerogel slice removed with an ultrasonic blade, showing particle tracks. Image: NASA"
    assert claims_of(nlp, text) == []


def test_fronted_for_gives_a_persons_view(nlp):
    text = "For Smith, the vote was a turning point."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "the vote was a turning point", "For", "Smith", PERSON)
    assert claims_of(nlp, "For the first time, the vote was held online.") == []


def test_attitudes_stated_by_adjectives(nlp):
    text = "The Greek Orthodox Church is extremely critical of worshippers of the ancient deities."
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, "worshippers of the ancient deities", "critical", "The Greek Orthodox Church",
        ORGANISATION,
    )  # fmt: skip
    assert claim.cue_kind == CueKind.ATTITUDE
    text = "The minister is confident that the deal will pass."
    claim = only_claim(nlp, text)
    assert (part(text, claim, "content"), claim.cue_kind) == ("the deal will pass", CueKind.ATTITUDE)
    assert claims_of(nlp, '"I am confident that we will win," she said.')[0].cue_kind == CueKind.SPEECH


def test_statement_issued_and_quoted_in_the_next_sentence(nlp):
    text = (
        "Senator John Cornyn issued a statement regarding the decision. "
        '"Like many Texans, I am disappointed with this decision."'
    )
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, "Like many Texans, I am disappointed with this decision", "issued a statement",
        "Senator John Cornyn", PERSON,
    )  # fmt: skip


def test_naming_is_an_evaluation_and_a_fronted_medium_is_no_call(nlp):
    text = 'On Twitter, the mayor called the ruling "a disgrace".'
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.EVALUATION
    assert part(text, claim, "content") == 'the ruling "a disgrace"'


def test_evidence_whose_reported_subject_was_parsed_as_an_object(nlp):
    text = "A new poll shows support for the mayor has fallen to 30 percent."
    claim = only_claim(nlp, text)
    assert claim.cue_kind == CueKind.EVIDENCE and claim.source_kind == DOCUMENT
    assert part(text, claim, "content") == "support for the mayor has fallen to 30 percent"


def test_prepositional_contents_and_speaking_out(nlp):
    text = "In his speech, the president warned of a long recession."
    claim = only_claim(nlp, text)
    assert part(text, claim, "content") == "a long recession"
    text = "Her mother had spoken out against Scientology on French television."
    claim = only_claim(nlp, text)
    assert (part(text, claim, "content"), claim.cue_kind) == ("Scientology", CueKind.EVALUATION)


def test_that_said_and_generic_wanting_are_no_claims(nlp):
    assert claims_of(nlp, "That said, we are quite different from Wikipedia.") == []
    assert claims_of(nlp, "The trainer is open to schools that want to share space history.") == []


def test_reporting_clause_set_off_by_commas_inside_the_report(nlp):
    text = "The agreement, officials said, will take effect next month."
    claim = only_claim(nlp, text)
    assert_claim(
        text, claim, "The agreement, officials said, will take effect next month", "said", "officials",
        ANONYMOUS,
    )  # fmt: skip
    text = 'Of the process, he said, "In the end I will have one vote."'
    assert part(text, only_claim(nlp, text), "content") == "In the end I will have one vote"


def test_quotation_running_on_into_a_paragraph_that_lost_its_opening_mark(nlp):
    text = (
        'After the match, the coach said, "We played a skilled team.\n\n'
        'A draw would have been an excellent result." The team flies home today.'
    )
    claim = only_claim(nlp, text)
    assert (
        part(text, claim, "content")
        == "We played a skilled team.\n\nA draw would have been an excellent result"
    )
    wire = '"We played well.\n\n"A draw would have been fair," the coach said.'
    assert find_quotations(wire) == [(18, 47)]  # the first paragraph's mark is reopened, not closed


def test_attitude_expressed_through_a_verbs_object(nlp):
    text = "The minister expressed concern that the talks will fail."
    claim = only_claim(nlp, text)
    assert_claim(text, claim, "the talks will fail", "expressed concern", "The minister", ANONYMOUS)
    assert claim.cue_kind == CueKind.ATTITUDE
    text = "The union voiced support for the striking workers."
    claim = only_claim(nlp, text)
    assert (part(text, claim, "content"), part(text, claim, "cue")) == (
        "the striking workers",
        "voiced support",
    )
    assert claims_of(nlp, "The company expressed the parcel to Paris.") == []


def test_noting_and_pointing_out_an_object(nlp):
    text = "She spoke for an hour, noting the changes made to the building."
    claim = only_claim(nlp, text)
    assert (part(text, claim, "content"), part(text, claim, "cue")) == (
        "the changes made to the building",
        "noting",
    )
