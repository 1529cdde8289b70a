"""Reporting verbs: the verb's source (subject, agent, or the noun phrase before it) and
what it reports (a "that" clause, a governing clause, an object noun phrase, or a quotation
next to the reporting clause).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from models.annotation import ClaimKind, CueKind
from models.nlp.claims.clauses import FINITE, clause_end, without_medium
from models.nlp.claims.context import Context
from models.nlp.claims.drafts import Draft, Range
from models.nlp.claims.lexicon import Lexicon
from models.nlp.claims.quotations import announces, empty_quotation_after, introduced, is_frame_punct
from models.nlp.claims.syntax import (
    RELATIVE,
    after_comma,
    child_with,
    has_that,
    is_cue,
    is_document,
    negated,
    skip_back_punct,
    subject_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


_CONTENT_DEPS = ("ccomp", "parataxis", "xcomp")


_QUESTION_MARKS = frozenset({"whether", "if"})
# Kinds whose verbs report nothing when passive or with a passive infinitive.
# What may stand between a reporting clause and the rest of the quotation it splits
# ('"A," he said, "B."'); after a period the quotation is a new sentence and a claim of its own.
_SPLITTING_PUNCT = frozenset({",", "—", "–", '"', "“", "‘", "«"})
_ADDRESSEE = frozenset({"you"})
_FIRST_PERSON = frozenset({"i", "we"})
_DEMONSTRATIVE = frozenset({"that", "this"})
_INTENT_KINDS = frozenset({CueKind.ATTITUDE, CueKind.CALL, CueKind.QUESTION})
# Prepositions after an object that belong to the content: "accused [X of Y]",
# "characterised [X as Y]", "rates [X among Y]".
_OBJECT_PREPOSITIONS = frozenset({"of", "for", "over", "as", "among"})


def _source_of(verb: Token, lex: Lexicon) -> Token | None:
    """The head of the source: subject, passive agent, the noun a relative clause
    modifies, the subject inherited from the clause the verb continues, or the noun
    phrase right before the verb when the parse gives none."""
    subject = subject_of(verb)
    if subject is not None:
        return verb.head if subject.lower_ in RELATIVE and verb.dep_ == "relcl" else subject
    agent = child_with(verb, "agent")
    if agent is not None:
        return child_with(agent, "pobj")
    if child_with(verb, "nsubjpass", "expl") is not None:
        return None
    reporter = next((a for a in verb.ancestors if is_cue(a, lex)), None)
    if reporter is not None:
        return _source_of(reporter, lex)
    head = verb
    while head.dep_ in ("conj", "advcl", "xcomp", "acomp", "pcomp", "prep") and head.head.i != head.i:
        head = head.head
        subject = subject_of(head)
        if subject is not None:
            return subject
    return _noun_before(verb) if verb.dep_ in ("ROOT", "dep", "parataxis") else None


def _noun_before(verb: Token) -> Token | None:
    """The noun phrase ending right before ``verb`` when the parse gives the verb no
    subject ("..., Saad al-Rubaie, argued", "A doctor at X, who asked not to be
    identified, said"): past a relative clause, up to the head of the phrase."""
    doc, first = verb.doc, verb.sent.start
    i = skip_back_punct(doc, verb.i - 1, first)
    relative = (
        next((a for a in [doc[i], *doc[i].ancestors] if a.dep_ == "relcl"), None) if i >= first else None
    )
    if relative is not None and after_comma(relative):
        i = skip_back_punct(doc, relative.left_edge.i - 1, first)
    if i < first or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    token = doc[i]
    while token.head.i < verb.i and (
        token.dep_ in ("compound", "flat", "pobj", "prep") or (token.dep_ == "appos" and not token.ent_type_)
    ):
        token = token.head
    return token


def verb_drafts(ctx: Context) -> Iterator[Draft]:
    for verb in ctx.cues:
        if ctx.in_quote(verb.i) or not _reports_speech(verb, ctx.lex):
            continue
        # "did not deny" admits rather than denies, and only half-heartedly
        denial = verb.lemma_.lower() in ctx.lex.denial
        denied, admitted = negated(verb) != denial, negated(verb) and denial
        source = _source_of(verb, ctx.lex)
        kind, claim_kind = _kinds(verb, source, ctx.lex)
        if not _states(kind, verb, source):
            continue
        for content in _contents_of(verb, ctx):
            # a raised passive or a split quotation holds its cue
            inside = content[0] <= verb.i < content[1]
            yield Draft(
                content, (verb.i, verb.i + 1), source, verb.i, denied, hedged=admitted,
                keeps_cue=inside, kind=kind, claim_kind=claim_kind,
            )  # fmt: skip


def _states(kind: CueKind, verb: Token, source: Token | None) -> bool:
    """Whether a source states something: not the reader or interviewer addressed ("do
    you think"), not the idiom "that said", and an attitude only as a source's stated
    position, not the speaker's own musing inside a quotation ("I think") nor what
    describes a class ("people who want ...")."""
    if source is not None and source.lower_ in _ADDRESSEE:
        return False
    if source is not None and source.lower_ in _DEMONSTRATIVE and source.i == verb.i - 1:
        after = verb.i + 1 < len(verb.doc) and verb.nbor().text == ","
        if after:
            return False  # "That said, ..."
    if kind == CueKind.ATTITUDE:
        # "schools that want to share ..." describes a class of schools
        head = verb.head
        if verb.dep_ == "relcl" and head.tag_ in ("NNS", "NNPS") and child_with(head, "det") is None:
            return False
        return source is None or source.lower_ not in _FIRST_PERSON
    return True


def _kinds(verb: Token, source: Token | None, lex: Lexicon) -> tuple[CueKind, ClaimKind]:
    """The cue kind of a reporting verb (its word list; "ask" with an infinitive is a
    call; a document as the source makes evidence) and whether it claims responsibility
    ("claimed responsibility for")."""
    lemma = verb.lemma_.lower()
    obj = child_with(verb, "dobj")
    if lemma in lex.call_particles and _naming(verb) is not None:
        return CueKind.EVALUATION, ClaimKind.STATEMENT  # "called the ruling a disgrace"
    if lemma in lex.responsibility and obj is not None and obj.lower_ in lex.responsibility_objects:
        return CueKind.RESPONSIBILITY, ClaimKind.RESPONSIBILITY
    if lex.kind_of.get(lemma) == CueKind.QUESTION and child_with(verb, "xcomp") is not None:
        return CueKind.CALL, ClaimKind.STATEMENT
    kind = lex.kind_of.get(lemma, CueKind.SPEECH)
    if kind == CueKind.SPEECH and source is not None and is_document(source, lex):
        return CueKind.EVIDENCE, ClaimKind.STATEMENT
    return kind, ClaimKind.STATEMENT


def _reports_speech(verb: Token, lex: Lexicon) -> bool:
    lemma = verb.lemma_.lower()
    if verb.tag_ == "VB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children):
        return False  # "too early to say", "declined to confirm"
    particle = lex.particle.get(lemma)
    if particle is not None and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return False
    if lex.kind_of.get(lemma) in _INTENT_KINDS and _passive_complement(verb):
        return False  # "is believed to have fled" (a hedge), "asked not to be named"
    if (
        lemma in lex.call_particles
        and _naming(verb) is None
        and not any(_call_particle(verb, c, lex.call_particles[lemma]) for c in verb.children)
    ):
        return False  # "called a meeting", "called at noon"
    if lemma in lex.document_only:
        source = _source_of(verb, lex)
        if lemma in lex.clause_also and child_with(verb, "ccomp") is not None:
            return True
        return source is not None and is_document(source, lex)
    return True


def _passive_complement(verb: Token) -> bool:
    """The verb is passive, or its infinitive is: "was believed to", "asked not to be named"."""
    if child_with(verb, "nsubjpass", "auxpass") is not None:
        return True
    clause = child_with(verb, "xcomp")
    return clause is not None and child_with(clause, "auxpass") is not None


def _raised(verb: Token) -> bool:
    """A raised passive ("X is reported to have fled"): the content runs from the subject
    through the cue."""
    return child_with(verb, "nsubjpass") is not None and child_with(verb, "xcomp") is not None


def _contents_of(verb: Token, ctx: Context) -> list[Range]:
    """What ``verb`` reports: one range per coordinated "that"-clause, none when it asks
    ("did not say whether") or reports nothing."""
    if empty_quotation_after(ctx, verb):
        return []  # 'said ""'
    quoted = _quoted_content(verb, ctx)
    if quoted is not None and quoted[0] < verb.i < quoted[1]:
        return [quoted]  # a quotation split by its cue
    return [_within_quotation(verb, ctx, content) for content in _parsed_contents(verb, ctx, quoted)]


def _within_quotation(verb: Token, ctx: Context, content: Range) -> Range:
    """A quotation right after the cue that holds the content's head is the whole
    content: what follows its closing mark belongs to the reporting clause ('said "the war
    is over" on Monday', 'said 'we'll win' and the girls' coach said ...')."""
    doc = ctx.doc
    for start, end in ctx.quotes:
        if start <= verb.i or not all(is_frame_punct(t) for t in doc[verb.i + 1 : start]):
            continue
        first, last = content
        if first <= start and end < last:
            heads = [t for t in doc[first:last] if not first <= t.head.i < last or t.head == t]
            if heads and all(start <= t.i < end or t.is_punct for t in heads):
                return (start, end)
        break
    return content


def _parsed_contents(verb: Token, ctx: Context, quoted: Range | None) -> list[Range]:
    lex = ctx.lex
    called = _called_content(verb, lex) or _naming(verb) or _object_as_subject(verb, lex)
    if called is not None:
        return [called]
    clause = _complement(verb, lex)
    if clause is not None:
        if _asks(verb, clause):
            if lex.kind_of.get(verb.lemma_.lower()) != CueKind.QUESTION:
                return []
            return [(clause.left_edge.i, clause_end(clause, lex))]
        if _raised(verb):
            return [(child_with(verb, "nsubjpass").left_edge.i, clause_end(clause, lex))]
        contents = _split_that_clauses(clause, lex)
        addressee = child_with(verb, "dobj")
        if clause.dep_ == "xcomp" and addressee is not None and addressee.i < clause.i:
            contents[0] = (addressee.left_edge.i, contents[0][1])  # "urged [X to Y]"
        return contents
    found = _governing_content(verb, lex) or _nominal_content(verb, lex) or _prepositional_content(verb, lex)
    found = found or quoted or _that_clause_misparsed(verb)
    return [found] if found else []


def _that_clause_misparsed(verb: Token) -> Range | None:
    """ "observed that the date ... coincided with ...", parsed with "that" as the
    determiner of an object: when "that" follows the verb and a finite verb comes later in
    the sentence, the content runs from after "that" to the end of the sentence."""
    doc, sent = verb.doc, verb.sent
    if (
        verb.i + 2 >= sent.end
        or doc[verb.i + 1].lower_ != "that"
        or doc[verb.i + 1].dep_ not in ("det", "mark")
    ):
        return None
    if not any(t.tag_ in FINITE or t.tag_ == "MD" for t in doc[verb.i + 3 : sent.end]):
        return None
    return (verb.i + 2, sent.end)


def _naming(verb: Token) -> Range | None:
    """An object and what the verb names it: "called [the ruling a disgrace]"."""
    obj, name = child_with(verb, "dobj"), child_with(verb, "oprd")
    if obj is None or name is None or name.i < obj.i:
        return None
    return (obj.left_edge.i, name.right_edge.i + 1)


def _object_as_subject(verb: Token, lex: Lexicon) -> Range | None:
    """ "A new poll shows support has fallen", parsed with the reporting clause under
    the reported one and the reported subject as the verb's object: the content runs
    from the object to the end of the clause that lacks its subject."""
    head, obj = verb.head, child_with(verb, "dobj")
    if verb.dep_ != "ccomp" or head.i < verb.i or obj is None or head.left_edge.i != verb.left_edge.i:
        return None
    if subject_of(head) is not None or child_with(head, "nsubjpass", "expl") is not None:
        return None
    if not any(c.dep_ in ("aux", "auxpass") for c in head.children) and head.tag_ not in FINITE:
        return None
    return (obj.left_edge.i, clause_end(head, lex))


def _call_particle(verb: Token, child: Token, particles: frozenset[str]) -> bool:
    """ "on"/"for" right after the verb or its adverbs ("called again for"), not a
    phrase further on ("called a meeting for Friday")."""
    if child.dep_ not in ("prep", "prt") or child.lower_ not in particles or child.i < verb.i:
        return False
    return all(t.pos_ == "ADV" for t in verb.doc[verb.i + 1 : child.i])


def _called_content(verb: Token, lex: Lexicon) -> Range | None:
    """What a call asks for: "called on [X to Y]", "called for [X]"."""
    particles = lex.call_particles.get(verb.lemma_.lower())
    if particles is None:
        return None
    for child in verb.children:
        if not _call_particle(verb, child, particles):
            continue
        target = child_with(child, "pobj") if child.dep_ == "prep" else child_with(verb, "dobj")
        if target is None:
            continue
        wanted = child_with(verb, "xcomp") or child_with(target, "acl", "relcl", "xcomp")
        end = target.right_edge.i + 1 if wanted is None else clause_end(wanted, lex)
        return (target.left_edge.i, max(end, target.right_edge.i + 1))
    return None


def _asks(verb: Token, clause: Token) -> bool:
    """A question, not a statement: "did not say whether ...", "did not say when ..."."""
    if any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in clause.children):
        return True
    return negated(verb) and clause.left_edge.tag_ in ("WRB", "WP", "WDT")


def _complement(verb: Token, lex: Lexicon) -> Token | None:
    for child in verb.children:
        if child.dep_ not in _CONTENT_DEPS:
            continue
        if child.dep_ == "xcomp" and (
            verb.lemma_.lower() in lex.no_infinitive or child.pos_ not in ("VERB", "AUX")
        ):
            continue
        return child
    return _misattached_that_clause(verb, lex)


def _misattached_that_clause(verb: Token, lex: Lexicon) -> Token | None:
    """A "that" clause the parser hung on a noun after the verb: "said in a statement
    that ..." (a complement clause, marked by "that"), or after the object of a verb of
    telling, "told reporters outside the court that ..." (parsed as a relative clause)."""
    for token in verb.subtree:
        if token.i <= verb.i or token.dep_ not in ("relcl", "acl") or token.left_edge.lower_ != "that":
            continue
        if has_that(token):
            return token
        if verb.lemma_.lower() in lex.recipient and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in token.children
        ):
            return token
    return None


def _split_that_clauses(clause: Token, lex: Lexicon) -> list[Range]:
    """Coordinated complements ("said X and that Y"): one content each."""
    heads = [clause]
    token = clause
    while True:
        nxt = next((c for c in token.children if c.dep_ == "conj" and has_that(c)), None)
        if nxt is None:
            break
        heads.append(nxt)
        token = nxt
    ranges = []
    for number, head in enumerate(heads):
        start = head.left_edge.i
        end = heads[number + 1].left_edge.i if number + 1 < len(heads) else clause_end(head, lex)
        ranges.append((start, min(end, clause_end(head, lex))))
    return ranges


def _governing_content(verb: Token, lex: Lexicon) -> Range | None:
    """A reporting clause parsed under the reported one ("The talks failed, a diplomat
    said" as parataxis, ccomp, or a conjunct after a comma; "as X told Y"; set off by
    commas inside it): the content is the clause the reporting one frames."""
    head = verb.head
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        # "As Heald told the Post, ozone has dropped": the clause the "as" clause frames
        if verb.i < head.i:
            return (verb.right_edge.i + 1, clause_end(head, lex))
        return (head.left_edge.i, verb.left_edge.i)
    if _parenthetical(verb) and not is_cue(head, lex):
        # "The economy, he said, is in good shape": the whole clause, its cue inside
        return (head.left_edge.i, clause_end(head, lex))
    if head.i >= verb.i or is_cue(head, lex):
        return None
    if verb.dep_ == "conj":
        subject = subject_of(verb)
        if subject is None or subject.left_edge.i == 0 or subject.left_edge.nbor(-1).text != ",":
            return None
    elif verb.dep_ not in ("parataxis", "ccomp"):
        return None
    return (head.left_edge.i, verb.left_edge.i)


def _parenthetical(verb: Token) -> bool:
    """A reporting clause set off by commas inside the clause it reports."""
    head, doc = verb.head, verb.doc
    if verb.dep_ != "parataxis" or head.i < verb.i or head.left_edge.i >= verb.left_edge.i:
        return False
    first, last = verb.left_edge.i, verb.right_edge.i
    opened = doc[first].text == "," or (first > 0 and doc[first - 1].text == ",")
    if doc[last].text != ",":
        last += 1
    closed = last < len(doc) and doc[last].text == ","
    quoted = last + 1 < len(doc) and doc[last + 1].is_quote  # 'Of X, he said, "..."'
    return opened and closed and not quoted


def _nominal_content(verb: Token, lex: Lexicon) -> Range | None:
    """A noun phrase as content: "confirmed the attack", "denied any link", "accused X
    of Y"; Z in "claimed responsibility for Z" and "rejected claims that Z"."""
    if verb.lemma_.lower() not in lex.nominal:
        return None
    obj = child_with(verb, "dobj")
    if obj is None or obj.pos_ == "PRON":
        return None
    clause = next((c for c in obj.children if c.dep_ in ("acl", "ccomp") and has_that(c)), None)
    if clause is not None:
        return (clause.left_edge.i, clause.right_edge.i + 1)
    if obj.lower_ in lex.responsibility_objects:
        target = next((child_with(p, "pobj") for p in obj.children if p.dep_ == "prep"), None)
        return (target.left_edge.i, target.right_edge.i + 1) if target is not None else None
    end = without_medium(obj, lex)
    for prep in verb.rights:
        if prep.dep_ == "prep" and prep.i > obj.i and prep.lower_ in _OBJECT_PREPOSITIONS:
            end = max(end, prep.right_edge.i + 1)
    return (obj.left_edge.i, end)


def _prepositional_content(verb: Token, lex: Lexicon) -> Range | None:
    """The object of a preposition as content: "warned [of hard times]"'s "hard times",
    "spoke out against [the war]"."""
    prepositions = lex.prepositional.get(verb.lemma_.lower(), ())
    for prep in verb.rights:
        target = child_with(prep, "pobj", "pcomp") if prep.dep_ == "prep" else None
        if target is not None and prep.lower_ in prepositions:
            return (target.left_edge.i, target.right_edge.i + 1)
    return None


def _quoted_content(verb: Token, ctx: Context) -> Range | None:
    """A quotation right before the reporting clause ('"...," he said') that no earlier
    cue introduces, with its
    continuation when the clause splits it ('"A," he said, "B."'), or right after the
    verb, or after a colon or comma ('he said: "..."'), also on the next line when the verb
    ends its line ('he said,\n"..."')."""
    doc = ctx.doc
    source = _source_of(verb, ctx.lex)
    clause_start = min(verb.i, source.left_edge.i if source is not None else verb.i)
    clause_end_ = max(verb.i, source.right_edge.i if source is not None else verb.i) + 1
    for number, (start, end) in enumerate(ctx.quotes):
        if end <= clause_start and all(is_frame_punct(t) for t in doc[end:clause_start]):
            if introduced(ctx, start):
                continue  # 'The minister said, "..." Reporters asked': the minister's
            resumed = ctx.quotes[number + 1] if number + 1 < len(ctx.quotes) else None
            gap = doc[clause_end_ : resumed[0]] if resumed is not None else ()
            if resumed is not None and all(t.text in _SPLITTING_PUNCT or t.text == " " for t in gap):
                return (start, resumed[1])  # '"A," he said, "B."': one claim
            return (start, end)
        if start > verb.i:
            gap = doc[verb.i + 1 : start]
            joined = any(t.text in (":", ",") for t in gap)
            if joined and len(gap) <= 8 and (announces(ctx, verb.i) or not any("\n" in t.text for t in gap)):
                return (start, end)
            if all(t.is_quote for t in gap):
                return (start, end)  # 'said "..."' that the parse missed (words glued by U+200B)
            return None
    return None
