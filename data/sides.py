"""Who did what to whom: the sides of one event, read from the clause that tells it.

ACLED codes an event's `actor1` (the side that acted) and `actor2` (the side acted upon), each
with associated actors that took part alongside. A sentence names more actors than that: the
source of the report ("police said", "according to the Pentagon"), a backer ("U.S.-backed"), a
party of another clause. `read_sides` gives each actor mention of the clause a role by the words
around it, with a reason for every mention it leaves out:

  source     the subject of a verb of saying whose report holds the cue ("the Pentagon said …"),
             or the object of "according to"; kept as the acting side when the report speaks of
             itself ("the SDF said its fighters …", '"We took the town," an SDF spokesman said')
  backer     "backed by X", "X-backed": supported the side, did not take part
  agent      the passive's "by X", "claimed by X", "blamed on X", "X claimed responsibility",
             "X's attack", a modifier of a nominal cue ("coalition air strikes", "IS suicide
             bombers"), else the subject: the first mention before the cue that is no adjunct
  associate  fought alongside the agent ("with air support from X", "X and Y forces",
             "in coalition with X")
  target     the passive's subject, "from X", "against X", "on X", "targeting X", "between A and B",
             else the first mention after the cue

Pure functions of the text and the mentions; no table is consulted beyond the mentions' names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from data.actors import is_generic
from data.schema import ActorMention
from data.textmatch import fold_article, folded_pattern, prefix_tree

# Verbs that introduce a report: their subject is the report's source, not a party.
SAYING = (
    r"(?:said|says|say|told|tells|reported|reports|announced|announces|stated|states|added|"
    r"confirmed|confirms|claimed|claims|insisted|noted|warned|wrote|tweeted|posted|quoted|cited|"
    r"accused|accuses|blamed|blames|estimated|estimates|estimate|believed|believes|alleged|"
    r"alleges|acknowledged|admitted|denied|denies|declined)"
)
# The verbs of saying as a tree of their letters, searched in the lower-cased stretch after a
# mention before the costly pattern is tried there: most mentions have none after them.
SAYING_HINT = re.compile(r"\b" + prefix_tree(SAYING[3:-1].split("|")) + r"\b")
# A verb done to someone: what follows it, before the clause's cue, is its object.
ACTING_VERB = re.compile(
    r"\b(?:killed|kill|killing|arrested|arresting|detained|captured|seized|attacked|shot|wounded|injured|executed|"
    r"ambushed|targeted|hit|struck|bombed|shelled|fought|fighting|clashed\s+with|battled|abducted|kidnapped|"
    r"besieged|surrounded|drove|pushed|expelled|routed|defeated|repelled|repulsed)\b",
    re.IGNORECASE,
)
# After a mention: up to a few words (its spokesman, "and hospital sources", a title), then a
# verb of saying, with at most a comma before it ("the Kirkuk police, said Saturday").
SPEAKER_AFTER = re.compile(
    r"(?:'s|’s)?(?:\s+(?!(?:and|or|who|which|that|had|has|have|were|was)\b)[\w\-.'’]+){0,4}?\s*,?\s+" + SAYING + r"\b",
    re.IGNORECASE,
)
# Before a mention: "according to (the) X", ", said the X".
SPEAKER_BEFORE = re.compile(
    # (", said the SDF": a verb of saying before its subject only after a comma or a quotation)
    r"(?:\baccording\s+to|[,\"”’]\s*(?:said|says|told|reported|announced|claimed))\s+(?:a\s+|an\s+|the\s+)?"
    # (not "reported that four militants …": the report's own subject follows "that")
    r"(?:(?!that\b)[\w\-.'’]+\s+){0,3}?$",
    re.IGNORECASE,
)
# What follows an inverted speaker (", said the SDF on Monday."): no verb of its own.
INVERTED_SPEAKER_END = re.compile(
    r"(?:\s*[,.;:)\"”’]|\s*$|\s+(?:on|in|at|to|who|which|after|before|late|early|last|this|"
    r"spokesman|spokeswoman|official|officials|statement|said|says|told|added)\b)",
    re.IGNORECASE,
)
# A report that speaks of its own side: the source is the acting side.
SELF_REFERENCE = re.compile(r"\b(?:it|its|we|our|us|they|their|its\s+own)\b", re.IGNORECASE)
# "claimed responsibility", "claims of responsibility": the claimant is the perpetrator.
RESPONSIBILITY_AFTER = re.compile(
    r"\s*(?:has\s+|have\s+|had\s+)?(?:claimed|claims|claim)\s+"
    r"(?:responsibility|credit)\b",
    re.IGNORECASE,
)
ATTRIBUTED_BEFORE = re.compile(
    r"\b(?:claimed\s+by|blamed\s+on|carried\s+out\s+by|by|perpetrated\s+by|"
    r"at\s+the\s+hands\s+of|conducted\s+by|launched\s+by|led\s+by)\s+(?:the\s+)?"
    # ("by Turkish and coalition warplanes": the second of two agents too)
    r"(?:[\w\-.'’]+\s+(?:and|or)\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
BACKER_BEFORE = re.compile(
    r"\b(?:backed|supported|sponsored|funded|armed|trained|aided)\s+by\s+(?:the\s+)?"
    r"(?:[\w\-.'’]+\s+){0,2}?$",
    re.IGNORECASE,
)
BACKER_AFTER = re.compile(r"\s*-\s*(?:backed|supported|sponsored|funded|trained)\b", re.IGNORECASE)
ASSOCIATE_BEFORE = re.compile(
    r"\b(?:with\s+(?:(?:air|aerial|artillery|close)\s+)?(?:support|cover|help|backing)\s+(?:from|of)|"
    r"in\s+coalition\s+with|alongside|together\s+with|along\s+with|supported\s+by\s+(?:air\s+strikes|"
    r"airstrikes)\s+(?:from|by)|with|and|joined\s+by)\s+(?:the\s+)?(?:[\w\-.'’]+\s+){0,1}?$",
    re.IGNORECASE,
)
TARGET_BEFORE = re.compile(
    r"\b(?:from|against|on|targeting|targeted|at|toward|towards|into|of|pushed|drove|expelled|ousted|killed|"
    r"killing|attacked|attacking|hit|struck|bombed|bombing|shelled|shelling|ambushed|between)\s+(?:the\s+)?"
    r"(?:(?:positions|targets|fighters|militants|members)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
# "the flag of X", "a video of X": X is named, it does not act.
DESCRIBED_BEFORE = re.compile(
    r"\b(?:(?:flags?|banners?|videos?|images?|photos?|pictures?|footage|members?|"
    r"supporters?|sympathi[sz]ers?|recruits?)\s+of|(?:ties|links?|connections?)\s+(?:to|with)|"
    r"linked\s+to|affiliated\s+with|suspected\s+of\s+(?:being\s+)?(?:an?\s+)?"
    r"(?:member\s+of|supporting|belonging\s+to))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "police headquarters", "an army base": a building or a post, not the force. (A named group's
# "ISIL checkpoints" are its own: it is attacked there.)
FACILITY_AFTER = re.compile(
    r"[\s\-]+(?:headquarters|stations?|posts?|buildings?|compounds?|academy|academies|"
    r"barracks|bases?|checkpoints?|offices?|vehicles?|cars?|trucks?|convoys?)\b",
    re.IGNORECASE,
)
# Subordinate clauses ("…, months after it fell to the rebels") tell other events: when the cue's
# own stretch names an actor, mentions beyond it are another clause's.
# ("since June", "after May 6": a preposition before a date opens no clause.)
SUBORDINATE = re.compile(
    r",?\s(?:after|before|when|since|because|although|until|whereas)\s(?!(?:the\s+)?(?:\d|jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|last|early|late|mid|then|dawn|midnight|noon|"
    r"(?:day|week|month|year)s?\b))",
    re.IGNORECASE,
)
# A relative clause's first words: its subject is the noun before it.
RELATIVE_START = re.compile(r",?\s*(?:who|which|that)\s", re.IGNORECASE)
# "has been killed by a coalition airstrike": the cue is the agent of a passive, its subject the target
PASSIVE_AGENT_NOUN = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+){0,2}?by\s+(?:an?\s+|the\s+)?"
    r"(?:[\w\-.'’]+\s+){0,3}$"
)
LOSER_CUE = re.compile(r"(?:lost|loses|losing|fell|falls|fallen)\b", re.IGNORECASE)
ADJUNCT_PHRASE_BEFORE_CUE = re.compile(
    r"\b(?:following|after|amid|despite|during|in\s+response\s+to|in\s+the\s+wake\s+of)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w\-]+\s+){0,4}?(?:of\s+)?$",
    re.IGNORECASE,
)
# A passive cue: "was seized", "were killed", "had been captured".
# (case-sensitive: "IS" before a cue is the Islamic State, not the verb)
PASSIVE_BEFORE_CUE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+ly\s+)?$")
FELL_TO = re.compile(r"\b(?:fell|fallen|falls|lost)\s+to\s+(?:the\s+)?$", re.IGNORECASE)
# Words that may separate a modifier from its nominal cue ("coalition air strikes", "IS suicide
# bombers", "Turkish artillery units", "the coalition's strikes").
# (a conjunction or an auxiliary between is no modifier's gap: "killed a militant and arrested")
MODIFIER_GAP = re.compile(
    r"^(?:'s|’s)?\s*(?:-?led\s+|-?backed\s+)?"
    r"(?:(?!(?:and|or|but|then|who|which|that|was|were|is|are|has|have|had)\s)[\w\-]+\s+)?$",
    re.IGNORECASE,
)
# How far back a subject may stand from its cue, and an object after it without a preposition
# tying it to the cue, in characters.
MAX_SUBJECT_DISTANCE = 160
MAX_OBJECT_DISTANCE = 60


@dataclass
class Sides:
    """The event's sides: actor1 (acted) and actor2 (acted upon), each with its associates, and
    the mentions left out with the reason (for `python -m data explain`)."""

    actor1: list[str] = field(default_factory=list)
    actor2: list[str] = field(default_factory=list)
    used: list[ActorMention] = field(default_factory=list)
    left_out: list[tuple[ActorMention, str]] = field(default_factory=list)

    def names(self) -> list[str]:
        """actor1's side then actor2's, without repeats."""
        return list(dict.fromkeys(self.actor1 + [a for a in self.actor2 if a not in self.actor1]))

    def sources(self) -> list[str]:
        """The actors left out as the sources of the report."""
        return [m.actor for m, reason in self.left_out if reason == "source of the report"]


# Words one of which every match of a pattern has (lower case): the pattern is searched only
# where one is (a search anchored at the end of a stretch tries every position of it).
ADJUNCT_WORDS = ("following", "after", "amid", "despite", "during", "response", "wake")
DESCRIBED_WORDS = ("of", "to", "with", "linked", "affiliated", "suspected")
ATTRIBUTED_WORDS = ("by", "blamed", "hands")
ASSOCIATE_WORDS = ("with", "and", "alongside", "joined", "coalition", "supported")
SPEAKER_WORDS = ("according", "said", "says", "told", "reported", "announced", "claimed")


def _found(pattern: re.Pattern, stretch: str, words: tuple[str, ...]) -> bool:
    """pattern.search(stretch), tried only when the stretch has one of the words it needs."""
    lowered = stretch.lower()
    return any(word in lowered for word in words) and pattern.search(stretch) is not None


def _before(text: str, start: int, lower: int, width: int = 80) -> str:
    return text[max(lower, start - width) : start]


_SUBORDINATE_FOLDED = folded_pattern(SUBORDINATE)


def _subordinators(text: str, clause: tuple[int, int]) -> Iterator[re.Match]:
    """SUBORDINATE's matches in the clause, as `finditer` gives them, found case-sensitively over
    the folded article (the same spans, faster; the matched text in lower case)."""
    folded = fold_article(text)
    if len(folded) != len(text):  # (folding keeps the length; this is a guard)
        return SUBORDINATE.finditer(text, clause[0], clause[1])
    return _SUBORDINATE_FOLDED.finditer(folded, clause[0], clause[1])


@lru_cache(maxsize=256)
def segment_around(text: str, clause: tuple[int, int], cue_start: int) -> tuple[int, int]:
    """The stretch of the clause between the subordinators around the cue. (Cached: each date and
    mention of a candidate asks; a string's hash is computed once.)"""
    left, right = clause
    for match in _subordinators(text, clause):
        if match.end() <= cue_start:
            left = match.start()
        elif match.start() >= cue_start:
            right = match.start()
            break
    return left, right


def in_temporal_adjunct(text: str, clause: tuple[int, int], cue_start: int, position: int) -> bool:
    """Whether `position` lies in another stretch of the clause than the cue's, one opened by
    "since", "after", "before" or "until": it dates another moment ("… in northern Syria since
    the downing of a Russian jet on 24 November 2015")."""
    segment = segment_around(text, clause, cue_start)
    if segment[0] <= position < segment[1]:
        return False
    opener = None
    for match in _subordinators(text, clause):
        if match.start() > position:
            break
        opener = match
    return opener is not None and bool(re.search(r"(?:since|after|before|until)\s$", opener.group(0), re.IGNORECASE))


def _has_subject(text: str, segment: tuple[int, int], cue: tuple[int, int], mentions: list[ActorMention]) -> bool:
    """Whether the cue's own stretch names who acted: a mention before the cue, or a "by X" after it."""
    for m in mentions:
        if segment[0] <= m.start and m.end <= cue[0]:
            return True
        if cue[1] <= m.start and m.end <= segment[1] and ATTRIBUTED_BEFORE.search(text, max(0, m.start - 30), m.start):
            return True
    return False


def _opens_segment(text: str, segment_end: int, mention: ActorMention) -> bool:
    """Whether the mention is the subject of the "when" clause that starts at segment_end (at most
    a few words, such as "about 15,000", before it): "the operation began when SDF fighters moved in"."""
    words = text[segment_end : mention.start].split()
    return bool(words) and words[0].strip(",").lower() == "when" and len(words) <= 5


def is_source(text: str, mention: ActorMention, sentence_end: int, cue_start: int) -> bool:
    """Whether the mention is who reports rather than who acts: the subject of a verb of saying,
    or what follows "according to". ("IS claimed another car bomb": who claims an attack made it.)"""
    after = text[mention.end : min(sentence_end, mention.end + 70)]
    # (the costly pattern only where a verb of saying is: most mentions have none after them)
    match = SPEAKER_AFTER.match(after) if SAYING_HINT.search(after.lower()) else None
    claims_the_act = (
        match is not None
        and re.search(r"claim", match.group(0), re.IGNORECASE)
        and (0 <= cue_start - (mention.end + match.end()) <= 30)
    )
    if match and not RESPONSIBILITY_AFTER.match(after) and not claims_the_act:
        verb_end = mention.end + match.end()
        # "the Pentagon said" before the cue, or ", police said" after it: either is the source
        if verb_end <= cue_start or mention.start > cue_start:
            return True
    # ", said the SDF." is the source; ", said troops entered the city" reports what troops did
    return _found(SPEAKER_BEFORE, text[max(0, mention.start - 60) : mention.start], SPEAKER_WORDS) and bool(
        INVERTED_SPEAKER_END.match(text, mention.end)
    )


def _speaks_of_itself(
    text: str, mention: ActorMention, cue_start: int, cue_end: int, others_before_cue: bool, quoted: bool
) -> bool:
    """A source that reports its own act: "the SDF said its fighters took …" (a pronoun before
    the cue and no other actor), or a quotation in the first person."""
    if mention.end <= cue_start:
        between = text[mention.end : cue_start]
        return not others_before_cue and bool(SELF_REFERENCE.search(between))
    return quoted and bool(re.search(r"\b(?:we|our|us)\b", text[max(0, cue_start - 80) : cue_end], re.IGNORECASE))


def read_sides(
    text: str,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    cue: tuple[int, int],
    mentions: list[ActorMention],
    *,
    quoted: bool = False,
) -> Sides:
    """The sides of the event whose cue is text[cue[0]:cue[1]], from the actor mentions of its
    clause (mentions elsewhere in the sentence are left out: they belong to another clause).
    Sources of reports, backers and the mentions of other clauses are left out with a reason."""
    sides = Sides()
    cue_start, cue_end = cue
    in_clause: list[ActorMention] = []
    for mention in mentions:
        if clause[0] <= mention.start and mention.end <= clause[1]:
            in_clause.append(mention)
        elif is_source(text, mention, sentence[1], cue_start):
            sides.left_out.append((mention, "source of the report"))
        else:
            sides.left_out.append((mention, "in another clause"))
    # Sources said outside the clause may still be the acting side ('"We took it," the SDF said').
    for mention, reason in list(sides.left_out):
        if reason == "source of the report" and _speaks_of_itself(text, mention, cue_start, cue_end, False, quoted):
            sides.left_out.remove((mention, reason))
            sides.actor1.append(mention.actor)
            sides.used.append(mention)

    agents: list[ActorMention] = []
    associates: list[ActorMention] = []
    targets: list[ActorMention] = []
    rest: list[ActorMention] = []
    # "IS lost Ramadi": the subject of a verb of losing is the side acted upon
    passive = (
        bool(PASSIVE_BEFORE_CUE.search(_before(text, cue_start, clause[0], 30)))
        or _found(PASSIVE_AGENT_NOUN, _before(text, cue_start, clause[0], 60), ("by",))
        or bool(LOSER_CUE.match(text, cue_start))
    )
    # "Abadi fired the security chief following a series of attacks": a cue inside an adjunct
    # phrase has no subject of its own before it
    adjunct = _found(ADJUNCT_PHRASE_BEFORE_CUE, _before(text, cue_start, clause[0], 60), ADJUNCT_WORDS)
    adjunct_start = None
    if adjunct:
        stretch = _before(text, cue_start, clause[0], 60)
        adjunct_start = cue_start - len(stretch) + ADJUNCT_PHRASE_BEFORE_CUE.search(stretch).start()
    segment = segment_around(text, clause, cue_start)
    own_segment = _has_subject(text, segment, (cue_start, cue_end), in_clause)
    for mention in in_clause:
        before = _before(text, mention.start, clause[0])
        others_before_cue = any(o.start > mention.end and o.end <= cue_start for o in in_clause)
        if own_segment and not (segment[0] <= mention.start and mention.end <= segment[1]):
            sides.left_out.append((mention, "in another clause"))
            continue
        if _found(BACKER_BEFORE, before, ("by",)) or BACKER_AFTER.match(text, mention.end):
            sides.left_out.append((mention, "backer, not a party"))
            continue
        if _found(DESCRIBED_BEFORE, before, DESCRIBED_WORDS):
            sides.left_out.append((mention, "named in a description, not a party"))
            continue
        if is_generic(mention.actor) and FACILITY_AFTER.match(text, mention.end):
            sides.left_out.append((mention, "names a building, not a party"))
            continue
        if is_source(text, mention, sentence[1], cue_start):
            if _speaks_of_itself(text, mention, cue_start, cue_end, others_before_cue, quoted):
                agents.append(mention)
            else:
                sides.left_out.append((mention, "source of the report"))
            continue
        if RESPONSIBILITY_AFTER.match(text, mention.end):
            agents.insert(0, mention)
            continue
        if adjunct_start is not None and mention.end <= adjunct_start and mention.actor.startswith("Government of"):
            # (a government that acts "following attacks" fires, visits, speaks; forces that
            # took a town "after a four-month assault" fought it)
            sides.left_out.append((mention, "subject of another verb"))
            continue
        if mention.start >= segment[1] and not agents and _opens_segment(text, segment[1], mention):
            agents.append(mention)  # "the operation began when SDF fighters moved in"
            continue
        if mention.start >= cue_start:  # inside the cue ("ran ISIS out of") or after it
            if FELL_TO.search(text[max(clause[0], mention.start - 20) : mention.start]):
                agents.insert(0, mention)
            elif _found(ATTRIBUTED_BEFORE, before, ATTRIBUTED_WORDS):
                agents.insert(0, mention)
            elif mention.start - cue_end <= MAX_OBJECT_DISTANCE or TARGET_BEFORE.search(before):
                targets.append(mention)
            else:
                # far after the cue and no preposition ties it to it: another predicate's
                sides.left_out.append((mention, "too far from the cue"))
            continue
        # Before the cue.
        if _found(ATTRIBUTED_BEFORE, before, ATTRIBUTED_WORDS) and re.search(
            r"\b(?:claimed|blamed|carried\s+out|perpetrated)\b", before[-40:], re.IGNORECASE
        ):
            agents.insert(0, mention)
        elif (agents or rest) and _found(ASSOCIATE_BEFORE, before, ASSOCIATE_WORDS):
            associates.append(mention)
        elif mention.end > cue_start:
            agents.insert(0, mention)  # the cue's own words name who struck ("coalition airstrike")
        elif MODIFIER_GAP.match(text[mention.end : cue_start]) and not TARGET_BEFORE.search(before):
            # "coalition air strikes", "IS suicide bombers": the modifier is who struck
            (targets if passive else agents).append(mention)
        elif TARGET_BEFORE.search(before):
            targets.append(mention)
        elif passive:
            targets.append(mention)
        elif cue_start - mention.end > MAX_SUBJECT_DISTANCE:
            sides.left_out.append((mention, "too far from the cue"))
        else:
            rest.append(mention)
    # The subject: the first mention before the cue that is no adjunct; in a relative clause
    # without one ("militants who captured it"), the noun the clause hangs on.
    if not agents and rest:
        agents.append(rest.pop(0))
    if not agents and RELATIVE_START.match(text, clause[0]):
        antecedent = [m for m in mentions if m.end <= clause[0] and clause[0] - m.end <= 3]
        if antecedent:
            agents.append(antecedent[-1])
    # "Security forces killed one suspected militant in a gun battle": a mention after the
    # subject's verb is its object, the other side, not an associate of the subject
    subject = agents[0] if agents else None
    for mention in rest:
        if (
            subject is not None
            and subject.end <= mention.start
            and ACTING_VERB.search(text, subject.end, mention.start)
        ):
            targets.append(mention)
        else:
            associates.append(mention)
    for group, side in ((agents, sides.actor1), (associates, sides.actor1), (targets, sides.actor2)):
        for mention in group:
            if mention.actor not in side:
                side.append(mention.actor)
            sides.used.append(mention)
    # An actor on both sides is the acting one ("IS fighters attacked IS defectors" is rare).
    sides.actor2 = [a for a in sides.actor2 if a not in sides.actor1]
    return sides
