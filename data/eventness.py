"""Whether an event cue reports an occurrence: the non-event filter of the event stage.

An event cue ("seized", "air strikes", "clashes") names a kind of act; the sentence around it says
whether the act happened at a time and place (an event) or not: a forecast, a plan, a question, a
condition, a denial, a habit, a generalisation, a call for the act, an accusation of a kind of
conduct, an abstract mention ("the problem with the carpet-bombing approach"), a war summed up, a
description of a picture or of a video (CODEBOOK.md, "Not events"). `non_event_reason` tells
which, as a code of `REASONS`, or None when the cue may report an occurrence.

Each rule reads the grammar around the cue (modality, aspect, what governs the cue), not words of
particular articles. The patterns are written in lower case and run over the folded article
(`fold_article`: lower case, same length), which is several times faster than IGNORECASE; the
few that need case (month and weekday names) read the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property, lru_cache

from data.textmatch import PhraseTable, fold_article, fold_for_prefilter, is_word_char, prefix_tree

# Reason code -> the one line shown to a user (python -m data explain).
REASONS: dict[str, str] = {
    "question": "the sentence asks a question",
    "negation": "the act is negated or denied (not, never, no, denied that, a false report)",
    "forecast": "a forecast, plan, threat or possibility (will, could, expected to, plans to)",
    "condition": "a condition or hypothesis (if, unless, whether)",
    "purpose": "the aim of another act (to retake), not the act itself",
    "habitual": "a habit or repeated conduct with no single occurrence (often, every day, known to, repeated raids)",
    "generic": "a kind of conduct in general (using beheadings, uses human shields), no occurrence",
    "call": "a call, demand or proposal for the act (called for drone strikes), not the act",
    "attitude": "the object of an objection or a fear (objected to the SDF advancing), not a report",
    "accusation": "an accusation of a kind of conduct with no occurrence (accuses X of using)",
    "abstract": "the act named in an abstract frame (the problem with, the number of, a bombing approach)",
    "summary": "a war, an insurgency, a share of territory or fighting on many fronts summed up (fought in "
    "the wars, lost half its territory, advancing on several fronts), not one occurrence",
    "attributive": "a participle describing a noun (liberated towns, the slain soldier), not a report",
    "politics": "words or politics, not violence (a verbal attack, rally behind, a diplomatic push)",
    "caption": "the description of a picture (an image of a suicide bomber)",
    "media": "a video, file or record of the act (execution videos), not the act",
    "other sense": "the cue word in another sense (demonstrated its intent: showed it; entered into a deal)",
}

# Words before a cue that make it a forecast, a plan or a hypothesis rather than a report
# (searched in the clause before the cue: up to a comma, semicolon, colon or quotation mark).
FORECAST = re.compile(
    r"\b(?:will|would|could|might|may|should|shall|expected\s+to|plans?\s+to|planning\s+to|set\s+to|"
    r"aims?\s+to|vow(?:ed|s)?\s+to|threaten(?:ed|s)?\s+to|going\s+to|about\s+to|ready\s+to|"
    r"intend(?:s|ed)?\s+to|hope[sd]?\s+to|want(?:s|ed)?\s+to|seeks?\s+to|prepar(?:ing|es|ed)\s+to|"
    r"ahead\s+of|in\s+order\s+to)\b[^,;]*$"
)
# An aim or a prospect right before a gerund cue, past a comma a forecast's scope does not cross
# ("…, with a view to capturing", "on the verge of losing", "in a bid to" is TO_INFINITIVE's).
AIM_BEFORE = re.compile(
    r"\b(?:with\s+(?:a|the)\s+(?:view|aim|goal|intention|objective)\s+(?:to|of)|aim(?:s|ed|ing)?\s+at|"
    r"intent\s+on|bent\s+on)\s+$"
)
PROSPECT_BEFORE = re.compile(r"\b(?:on\s+the\s+(?:verge|brink|cusp|point)\s+of|(?:close|closer|near|nearer)\s+to)\s+$")
# Kept from happening: "prevented IS from advancing", "stopped them from retaking".
PREVENTED_BEFORE = re.compile(
    r"\b(?:prevent|stop|block|bar|deter|keep|kept|hold|held|restrain)\w*\s+(?:[\w'.-]+\s+){0,4}?from\s+$"
)
# The object of an objection or a fear: "objected to the SDF advancing", "fears of IS regrouping".
OBJECTION_BEFORE = re.compile(
    r"\b(?:object(?:s|ed|ing)?\s+to|oppos(?:e|es|ed|ing)|fears?\s+(?:of|about)|(?:worried|concerned|anxious)\s+"
    r"about|resent(?:s|ed|ing)?)\s+(?:[\w'.-]+\s+){0,4}$"
)
# Words before a cue that make it a condition of something else.
CONDITION = re.compile(r"\b(?:if|unless|whether)\b[^,;]*$")
# Words that open a relative or subordinate clause: a forecast or condition before them does not
# reach the cue after them.
SCOPE_BOUNDARY = re.compile(r"\b(?:that|which|who|whom|whose|where|when|after|before|since|because|while|although)\s")
# A negation just before the cue ("did not attack", "no civilians were killed").
NEGATION = re.compile(r"\b(?:not|never|no|denied|deny|denies|n't|without|nor)\s+(?:\w+\s+){0,2}$")
# A denial or a discredited report governing the clause ("denied that troops had entered", "there
# is no evidence of our bombing", "a false report that said he was killed").
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing))\s+"
    r"(?:[\w'-]+\s+){0,2}(?:that|claims?|charges?|reports?|allegations?|accusations?|suggestions?)\b[^;:]{0,100}$|"
    r"\bno\s+(?:\w+\s+)?(?:evidence|sign|indication|proof|confirmation)\s+(?:of|that)\b[^;:]{0,80}$|"
    r"\b(?:false|fake|erroneous|unfounded|untrue|baseless|bogus|mistaken)\s+(?:\w+\s+)?"
    r"(?:reports?|claims?|rumou?rs?|news|accounts?|allegations?)\b[^;:]{0,120}$"
)
# "what was expected to be a long offensive", "what could be the final assault": the modal is in a
# free relative describing the act, which the clause reports ("launched what could be …").
FREE_RELATIVE_BEFORE = re.compile(r"\bwhat\s+(?:is\s+|was\s+|are\s+|were\s+|has\s+been\s+)?$")
# After "could", "may" …, a verb of perception is a report ("explosions could be heard").
PERCEPTION_AFTER = re.compile(
    r"\s*(?:not\s+|also\s+|still\s+)?(?:be\s+)?(?:hear|heard|see|seen|felt|feel|smell|smelt|smelled)\b"
)

# "to launch strikes", "to carry out raids": the plan, not the act.
TO_PLAN = re.compile(r"\bto\s+(?:launch|carry\s+out|conduct|mount|stage|step\s+up|intensify)\s+(?:\w+\s+){0,2}$")
# "to retake", "to capture or kill": a purpose ("to have shot" is a report).
TO_INFINITIVE = re.compile(r"\bto\s+(?:\w+\s+(?:and|or)\s+)?$")
# "managed to reach and expel" reports success; "began to", "continued to" report the act.
REALIS_TO = re.compile(
    r"\b(?:managed|succeeded|able|went\s+on|continued|continue|continues|began|begun|begins|started|starts)"
    r"\s+to\s+(?:\w+\s+(?:and|or)\s+)?$"
)
# A word an infinitive ("to retake") cannot have: a plural, a gerund, a participle, an abstract
# noun. After "to" such a cue is the object of a preposition ("due to rocket attacks",
# "returned to suicide bombing", "aid to besieged areas"), not a purpose.
NOT_INFINITIVE = re.compile(r"[a-z](?:[^s]s|ing|ed|ion|ment|ers?)\b")

# A boundary of the cue's local clause (for the rules that look at the cue's own predicate):
# punctuation that closes a clause, and words that open another one.
CLAUSE_WORDS = (
    "after",
    "before",
    "when",
    "as",
    "since",
    "because",
    "although",
    "though",
    "until",
    "while",
    "whereas",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "but",
    "so",
    "if",
    "unless",
)
# (written so that every alternative opens with a literal character, which the engine skips to)
LOCAL_BOUNDARY = re.compile(
    r';|:|\(|\)|"|“|”|, (?:' + prefix_tree(CLAUSE_WORDS) + r" )?"
    r"| (?:" + prefix_tree(CLAUSE_WORDS) + r" |[—–-] )"
)

# Boundaries that may also join the parts of one clause: a comma or a dash in a list or around
# a parenthesis ("using beheadings, crucifixions and torture", "calling for – carpet bombing"),
# and "as" after a verb of use ("using the populace as human shields"; elsewhere "as" opens a
# clause: "… as the army pushed into the city").
SOFT_BOUNDARY = re.compile(r", | [—–-] |,? as ")
USE_BEFORE_AS = re.compile(r"\b(?:us(?:e|es|ed|ing)|employ(?:s|ed|ing)?)\s+(?:[\w'-]+\s+){1,4}$")
# Frequency or habit in the cue's clause: "sometimes", "almost every day", "known to have", "a
# record of".
HABITUAL = re.compile(
    r"\b(?:sometimes|often|usually|regularly|routinely|frequently|typically|generally|commonly|"
    r"occasionally|customarily|habitually|constantly|continually|daily|nightly|"
    r"(?:every|each)\s+(?:day|night|week|month|year|time)|"
    r"(?:known|reputed|notorious|infamous|famed|famous)\s+(?:to|for)|(?:record|reputation)\s+(?:of|for)|"
    r"tend(?:s|ed)?\s+to|(?:more|less|so|well|long|all\s+too)\s+used\s+to|accustomed\s+to)\b"
)
# "where they used to behead" (a past habit), not "was used to bomb" or "a program used to justify"
# (a passive): the habit's subject is a pronoun or a relative.
USED_TO = re.compile(r"\b(?:they|he|she|it|we|i|who|which|that)\s+(?:[a-z]+ly\s+)?used\s+to\s")
# The act in the simple present passive, a practice rather than an occurrence: "the base from
# which air strikes are carried out" ("are being carried out" is under way, and not matched).
PRESENT_PASSIVE_AFTER = re.compile(
    r"(?:\s+[\w'.-]+){0,4}?\s+(?:is|are)\s+(?:[a-z]+ly\s+)?(?:carried\s+out|conducted|launched|used|employed|"
    r"fired|staged|mounted|committed|practi[sc]ed)\b"
)
# Iteration of the cue itself: "repeated raids", "a wave of attacks" (many acts, none told; "a
# wave of 12 air strikes" counts acts that happened).
ITERATIVE_BEFORE = re.compile(
    r"\b(?:repeated|frequent|regular|routine|numerous|countless|recurring|recurrent|periodic|"
    r"(?:an?\s+|the\s+)?(?:wave|waves|series|string|spate|succession|campaign)\s+of)\s+"
    r"(?:(?![\d]|(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|several)\s)[\w'-]+\s+){0,2}$"
)
# The present progressive of doing acts of a kind (a plural cue after it: see _progressive_practice).
PROGRESSIVE_BEFORE = re.compile(
    r"\b(?:is|are|'re)\s+(?:now\s+|still\s+|increasingly\s+|also\s+)?(?:doing|carrying\s+out|conducting|"
    r"launching|staging|mounting|committing)\s+(?:[\w'-]+\s+){0,2}$"
)
# A trend in acts of a kind: "have faced increased rocket attacks and civilian bombings", "a rise
# in suicide bombings".
TREND_BEFORE = re.compile(
    r"\b(?:increased|increasing|growing|rising|escalating|mounting|more\s+frequent|"
    r"(?:a|an)\s+(?:rise|increase|surge|upsurge|spike|uptick|decline|drop|fall)\s+in)\s+(?:[\w'-]+\s+){0,2}"
    r"(?:(?:and|or)\s+(?:[\w'-]+\s+){0,3})?$"
)
# The act as what a group does to every one of a kind ("every Yazidi woman, child or man that it
# has captured"): a generalisation, not an occurrence.
EVERY_RELATIVE_BEFORE = re.compile(
    r"\b(?:every|any|all)\s+(?:[\w'-]+,?\s+){0,6}?(?:that|who|whom|which)\s+(?:[\w'-]+\s+){1,3}?"
    r"(?:has\s+|have\s+|had\s+)?$"
)
# A use of the act as a means, in general: "using beheadings, crucifixions and torture", "uses
# human shields", "has been using people as human shields", "returned to suicide bombing" (a bare
# noun phrase, no determiner).
GENERIC_USE_BEFORE = re.compile(
    r"\b(?:uses?|using|employs?|employing|relies\s+on|relying\s+on|resort(?:s|ed|ing)?\s+to|"
    r"(?:return|turn|revert)(?:s|ed|ing)?\s+to)\s+"
    r"(?!(?:a|an|the|this|that|its|their|his|her|one|two|three)\s)"
    r"(?:[\w'-]+,?\s+(?:and\s+|or\s+)?){0,5}(?:as\s+)?[\"“]?$"
)
# Deaths as a kind: "troops killed in battle" (with a day it is a report).
DIED_IN_BATTLE = re.compile(r"(?:killed|died|slain|dead)\s+in\s+(?:battle|action|combat)\b")
# A call, demand or proposal governing the cue: "called for the use of drone strikes", "wants a
# halt in attacks", "urged Russia to stop bombing".
CALL_BEFORE = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:for|on)|urg(?:e|es|ed|ing)|demand(?:s|ed|ing)?|advocat(?:e|es|ed|ing)|"
    r"propos(?:e|es|ed|ing)|(?:press|push)(?:es|ed|ing)?\s+for|ask(?:s|ed|ing)?\s+for|"
    r"appeal(?:s|ed|ing)?\s+for|wants?)\s*[—–-]?\s+(?:[\w'.-]+\s+){0,6}$"
)
# An accusation of a kind of conduct, in the present: "the U.N. accuses ISIL of using …".
ACCUSATION_BEFORE = re.compile(r"\baccus(?:es|e|ing)\s+(?:[\w'.-]+\s+){1,5}of\s+(?:[\w'-]+\s+){0,4}$")
# An abstract frame whose noun phrase holds the cue: "the problem with the carpet-bombing", "the
# number of air strikes", "the increase in civilian casualties", "the threat of attacks" ("a
# number of fighters withdrew" is a quantity, not a frame).
ABSTRACT_BEFORE = re.compile(
    r"\b(?:problems?|question|issue|threats?|risks?|dangers?|fears?|prospects?|possibility|likelihood|"
    r"use|the\s+(?:total\s+)?numbers?|increase|rise|decline|decrease|drop|surge|impact|effects?|costs?|legality|"
    r"morality|effectiveness|efficacy|history|practice|tactics?|strategy|policy|idea|notion|concept|"
    r"debate|argument|lessons?|timeline|timing|schedule)\s+(?:of|with|from|in|behind|over|about|for)\s+"
    r"(?:[\w'-]+\s+){0,3}$"
)
# A death figure is what the reader wants from "the number of people killed": not a frame.
DEATH_CUE = re.compile(r"\b(?:killed|dead|died|deaths|slain|casualties|death\s+toll)\b")
# The cue as the modifier of an abstract head: "the carpet-bombing approach", "siege warfare".
ABSTRACT_HEAD_AFTER = re.compile(
    r"[\s-]*(?:approach|approaches|strategy|strategies|tactics?|warfare|doctrine|policy|policies|"
    r"capability|capabilities|techniques?|methods?)\b"
)
# The cue as the modifier of a record: "execution videos", "beheading footage".
MEDIA_HEAD_AFTER = re.compile(
    r"[\s-]*(?:videos?|footage|films?|clips?|images?|photos?|photographs?|pictures?|"
    r"propaganda|files?|records?|documents?|archives?|manuals?|posters?)\b"
)
# A picture whose noun phrase holds the cue: "an image of a suicide bomber".
CAPTION_BEFORE = re.compile(
    r"\b(?:images?|photos?|photographs?|pictures?|stills?|screenshots?|screengrabs?|illustrations?|"
    r"drawings?|portraits?|posters?)\s+(?:of|depicting)\s+(?:[\w'-]+\s+){0,4}$"
)
# A film or record whose noun phrase holds the cue: "a video of the execution".
MEDIA_BEFORE = re.compile(
    r"\b(?:videos?|footage|films?|clips?|recordings?|files?|records?|documents?)\s+(?:of|about|on)\s+"
    r"(?:[\w'-]+\s+){0,3}$"
)
# A war as the subject or the object of a cue of fighting or dying (an "Armed clash" cue): "the
# war that has killed 250,000 people", "the wars Bush fought", "has fought in the key American
# wars", "entered the war in September", "killed in the conflict".
# What a relative clause says of a war ("a civil war which has killed more than 250,000", "the
# war, which started with largely peaceful protests", "a war that has pulled in regional powers,
# killed at least 250,000"): its toll or its origin, not one occurrence.
WAR_RELATIVE_BEFORE = re.compile(
    r"\b(?:wars?|conflicts?|insurgency|insurgencies)\s*,?\s+(?:which|that)\s+(?:[\w'-]+,?\s+){0,8}$"
)
WAR_BEFORE = re.compile(r"\b(?:wars?|conflicts?|insurgency|insurgencies)\b(?!-)(?:\s+[\w'.-]+){0,4}\s+$")
WAR_AFTER = re.compile(
    r"(?:\s+(?:in|into|on|against|throughout))?(?:\s+(?:the|a|an|its|their|his|her|this|that|those|these))?"
    r"(?:\s+[\w'.-]+){0,3}?\s+(?:wars?|conflicts?|insurgency|insurgencies)\b(?!-)"
)
# A share of territory as what was taken or lost ("has lost half the territory it seized", "lost
# 40 percent of its territory"): told in the perfect, a tally up to now, not one occurrence; in the
# past with no time, history told as a state ("seized swathes of Iraq"). ("Seized most of the city"
# and "seized a third of Iraq in 2014" are occurrences.)
SHARE_AFTER = re.compile(
    r"\s*(?:about\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|roughly\s+|around\s+|at\s+least\s+)?"
    r"(?:\d+(?:\.\d+)?\s*(?:percent|per\s+cent|%)|half|a\s+third|a\s+quarter|two[\s-]thirds|three[\s-]quarters|"
    r"(?:large\s+|vast\s+)?swath(?:e)?s)\b"
)
# The territory a group holds, described by what it took ("half the territory it had seized"):
# with no time, a description, not an occurrence.
HELD_TERRITORY_BEFORE = re.compile(
    r"\b(?:territory|territories|land|lands|areas?|ground|swath(?:e)?s|regions?)\s+(?:that\s+|which\s+)?"
    r"(?:it|they|the\s+group|the\s+militants|the\s+jihadists|isis|is|isil|daesh)\s+(?:had\s+|has\s+|have\s+)?"
    r"(?:once\s+|previously\s+|formerly\s+)?$"
)
PERFECT_BEFORE = re.compile(r"\b(?:has|have|had)\s+(?:now\s+|already\s+|so\s+far\s+)?$")
# Fighting on many fronts at once: a campaign summed up, not one occurrence.
FRONTS = re.compile(
    r"\b(?:on|across|along)\s+(?:a\s+number\s+of|several|many|multiple|all|various|numerous|"
    r"two|three|both|different)\s+fronts\b"
)
# A participle or adjective that can describe a noun ("liberated towns", "the slain SEAL").
ATTRIBUTIVE_WORD = re.compile(r"(?:[a-z]+(?:ed|en)|overrun|slain|dead|besieged)")
# Forces named right before "deployed": the participle describes them ("troops deployed in Iraq").
FORCES_BEFORE = re.compile(
    r"\b(?:personnel|troops|forces|soldiers|advisers|advisors|units|marines|staff|jets|"
    r"aircraft|warplanes|contingents?|battalions?|brigades?|trainers|servicemen)\s$"
)
# What may stand before an attributive participle: a determiner or a preposition (and an adverb
# of time: "in recently liberated territory", not "have already entered"), a verb whose object it
# describes ("water-boarding captured militants", "reached liberated villages") or a hyphen
# ("ISIS-seized city").
ATTRIBUTIVE_BEFORE = re.compile(
    r"(?:-|\b(?:the|a|an|its|their|his|her|our|your|these|those|to|of|for|from|with|into|in)\s"
    r"(?:(?:newly|recently|once|already|formerly|previously)[\s-])?|\b[a-z]+(?:ing|ed)\s)$"
)
# Words that cannot be the noun an attributive participle describes (the participle is then a
# verb: "liberated by", "seized on Tuesday", "captured in 2014", "retaken from").
NOT_A_NOUN = re.compile(
    r"(?:by|in|on|at|from|to|into|with|and|or|as|after|before|during|when|while|the|a|an|his|her|its|their|"
    r"among|amid|across|around|along|inside|outside|within|without|under|through|towards?|against|behind|"
    r"beyond|upon|onto|per|via|despite|following|including|"
    r"this|that|these|those|out|off|up|down|over|back|near|last|since|for|of|earlier|later|early|late|"
    r"yesterday|today|overnight|again|also|all|both|either|neither|nor|but|than|then|there|here|it|them|him|"
    r"us|is|are|was|were|be|been|has|have|had|will|would|could|may|might|can|should|do|does|did|"
    r"[\w'-]*(?:ed|ly))"
)
# Adjectives of speech before "attack(s)": a verbal attack is not violence (nor a cyber attack).
VERBAL_ATTACK_BEFORE = re.compile(
    r"\b(?:verbal|rhetorical|personal|scathing|strident|blistering|withering|written|cyber)\s+(?:[\w'-]+\s+)?$"
)
# A push, offensive or campaign of words: "a diplomatic push", "a charm offensive", "a political
# campaign", "a propaganda drive".
NONMILITARY_DRIVE_BEFORE = re.compile(
    r"\b(?:diplomatic|political|electoral|election|legal|peace|charm|media|propaganda|publicity|advertising|"
    r"fundraising|lobbying|recruitment|recruiting|vaccination|reform)\s+(?:[\w'-]+\s+)?$"
)
DRIVE_NOUN = re.compile(r"\b(?:push|offensive|campaign|drive)\b")
# "demonstrated its intent", "demonstrated that": to demonstrate something is to show it (a protest
# has no object: "demonstrated in Baghdad", "demonstrated against the government").
SHOWED_OBJECT_AFTER = re.compile(r"\s+(?:its|their|his|her|the|a|an|that|how|what|this|these|those|no|great|clear)\b")
# "entered into an agreement", "the worst deal it has ever entered into.": concluded, not went into.
ENTERED_AGREEMENT_AFTER = re.compile(
    r"\s+into(?:\s*(?:[.,;:!?\"”’)]|$)|\s+(?:an?\s+|the\s+)?(?:[\w'-]+\s+){0,2}"
    r"(?:deals?|agreements?|accords?|talks|"
    r"negotiations|transactions?|contracts?|alliances?|partnerships?|treat(?:y|ies))\b)"
)
# "rally behind the army": support, not a protest.
RALLY_SUPPORT_AFTER = re.compile(r"\s+(?:behind|around|to\s+the\s+support)\b")

# A plan, a plot, a threat or a promise whose object holds the cue: "plotting a suicide bomb
# attack", "the planned assault", "preparations for the offensive" ("a well-planned attack" is not).
PLAN_BEFORE = re.compile(
    r"(?<!-)\b(?:plot(?:s|ted|ting)?|plann(?:ed|ing)|plans?(?:\s+for)?|prepar(?:es|ed|ing)\s+for|"
    r"preparations\s+for|threaten(?:s|ed|ing)?|vow(?:s|ed|ing)?|promis(?:e|es|ed|ing))\s+(?:[\w'-]+\s+){0,3}$"
)
# A modal after the cue, in the same clause: the act is the subject of a forecast or an obligation
# ("a government siege of Aleppo would deliver a major blow", "the bombing of civilians has to
# stop", "a battle to take back Raqqa, IS's headquarters in Syria, will depend on …"): a few words
# (the rest of the subject), up to one parenthetical between commas, then the modal.
MODAL_AFTER = re.compile(
    r"(?:\s+[\w'.-]+){0,4}?(?:,[^,;:.]{1,60},(?:\s+[\w'.-]+){0,2}?)?\s+(?P<modal>will|would|could|might|may|"
    r"should|shall|must|(?:has|have|needs?)\s+to|(?:is|are|was|were)\s+(?:not\s+)?(?:expected|likely|unlikely|"
    r"set|due|poised|going)\s+to)\b"
)
# Words between the cue and the modal that open another clause (a conjunction, a relative, a verb
# of saying, an infinitive, a new subject): the modal then is not about the cue. (A finite verb
# there, FINITE_BEFORE, is the cue's own predicate: "the assault has begun what is expected to be".)
MODAL_GAP_BLOCKED = re.compile(
    r"\s(?:and|but|or|which|who|what|that|when|as|after|before|while|because|since|said|says|say|told|to|"
    r"i|we|you|he|she|they)\s"
)
# "the strike may have killed": a past act, uncertain only in its outcome.
HAVE_AFTER = re.compile(r"\s+have\b")
# A finite verb before the cue in its clause: the cue is then not the clause's subject.
FINITE_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|did|does|do|said|says|told)\s|(?<!-)\b[a-z]{3,}ed\s"
)

# A time of occurrence in the cue's clause: a weekday, a month, a year, a relative day. A habit
# or a generalisation has none; an occurrence often has. Found in the folded text as a tree of
# the words' letters (literal first letters: the engine skips to them), then checked in the
# original (see _sentence_marks): a whole word, and a capital for the names of days and months.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "sept.",
    "oct.",
    "nov.",
    "dec.",
)
# The day-level ones (DAY_WORDS) date a single occurrence; the rest also a period.
DAY_WORDS = (*WEEKDAYS, "yesterday", "last night", "overnight")
TIME_WORDS = (
    *DAY_WORDS,
    *MONTHS,
    "today",
    "tonight",
    "ago",
    *(f"last {unit}" for unit in ("week", "month", "year", "weekend")),
    *(f"this {unit}" for unit in ("week", "month", "year", "morning", "afternoon", "evening", "weekend")),
    "recent days",
    "recent weeks",
    "past few days",
    "last few days",
    "past week",
    "past few weeks",
)
TIME_ANCHOR = re.compile(prefix_tree(sorted(TIME_WORDS, key=len, reverse=True)) + r"|19\d\d|20\d\d")
# "May" inside a sentence (capitalised, after a lower-case word) is the month, not the modal.
MONTH_MAY = re.compile(r"(?<=[a-z,]\s)May\b")

# How far before the cue the forecast, negation and purpose patterns look.
LOOK_BEHIND = 80
# Longer than any match of the clause rules' patterns that end at the cue (a few words each).
PATTERN_REACH = 160


# Words a rule's patterns need (any one of them, anywhere in the sentence, folded): a rule whose
# words a sentence lacks is not tried (see _sentence_hints). Stems are enough ("accus").
HINTS: dict[str, tuple[str, ...]] = {
    "denial": (
        "den",
        "reject",
        "dismiss",
        "refut",
        "no ",
        "false",
        "fake",
        "erroneous",
        "unfounded",
        "untrue",
        "baseless",
        "bogus",
        "mistaken",
    ),
    "caption": ("image", "photo", "picture", "still", "screen", "illustration", "drawing", "portrait", "poster"),
    "media": (
        "video",
        "footage",
        "film",
        "clip",
        "image",
        "photo",
        "picture",
        "propaganda",
        "file",
        "record",
        "document",
        "archive",
        "manual",
        "poster",
    ),
    "call": ("call", "urg", "demand", "advocat", "propos", "press", "push", "ask", "appeal", "want"),
    "accusation": ("accus",),
    "habitual": (
        "sometimes",
        "often",
        "usually",
        "regularly",
        "routinely",
        "frequently",
        "typically",
        "generally",
        "commonly",
        "occasionally",
        "customarily",
        "habitually",
        "constantly",
        "continually",
        "daily",
        "nightly",
        "every",
        "each",
        "known",
        "reputed",
        "notorious",
        "infamous",
        "famed",
        "famous",
        "record",
        "reputation",
        "tend",
        "used to",
        "accustomed",
    ),
    "practice": (" is ", " are "),
    "iterative": (
        "repeat",
        "frequent",
        "regular",
        "routine",
        "numerous",
        "countless",
        "recurr",
        "periodic",
        "wave",
        "series",
        "string",
        "spate",
        "succession",
        "campaign",
    ),
    "generic": ("use", "using", "employ", "relies", "relying", "resort", "return", "turn", "revert"),
    "in battle": (" in battle", " in action", " in combat"),
    "trend": (
        "increas",
        "grow",
        "rising",
        "escalat",
        "mounting",
        "more frequent",
        "rise in",
        "surge",
        "spike",
        "uptick",
        "decline",
        "drop",
        "fall in",
    ),
    "every": ("every", "any ", "all "),
    "abstract": (
        "approach",
        "strateg",
        "tactic",
        "warfare",
        "doctrine",
        "polic",
        "capabilit",
        "techni",
        "method",
        "problem",
        "question",
        "issue",
        "threat",
        "risk",
        "danger",
        "fear",
        "prospect",
        "possibility",
        "likelihood",
        "use",
        "number",
        "increase",
        "rise",
        "decline",
        "decrease",
        "drop",
        "surge",
        "impact",
        "effect",
        "cost",
        "legality",
        "morality",
        "efficacy",
        "history",
        "practice",
        "idea",
        "notion",
        "concept",
        "debate",
        "argument",
        "lesson",
        "timeline",
        "timing",
        "schedule",
    ),
    "summary": ("war", "conflict", "insurgenc"),
    "share": (
        "percent",
        "per cent",
        "%",
        "half",
        "third",
        "quarter",
        "swath",
        "fronts",
        "territor",
        "land",
        "area",
        "ground",
        "region",
    ),
    "plan": ("plot", "plann", "plan", "prepar", "threaten", "vow", "promis"),
    "modal after": (
        "will",
        "would",
        "could",
        "might",
        "may",
        "should",
        "shall",
        "must",
        "has",
        "have",
        "need",
        "expected",
        "likely",
        "set",
        "due",
        "poised",
        "going",
    ),
    "other sense": ("demonstrate", "entered"),
    "politics": (
        "verbal",
        "rhetorical",
        "personal",
        "scathing",
        "strident",
        "blistering",
        "withering",
        "written",
        "cyber",
        "rall",
        "diplomatic",
        "political",
        "elect",
        "legal",
        "peace",
        "charm",
        "media",
        "propaganda",
        "publicity",
        "advertising",
        "fundraising",
        "lobbying",
        "recruit",
        "vaccination",
        "reform",
    ),
}
# Every hint word, found wherever it occurs (inside words too, overlapping ones too) in one pass.
_HINT_FINDER = PhraseTable(word for words in HINTS.values() for word in words)
# A hint word found -> the rules it hints at.
_FAMILIES_OF: dict[str, frozenset[str]] = {
    found: frozenset(family for family, words in HINTS.items() if found in words) for found in _HINT_FINDER.phrases
}


@lru_cache(maxsize=16)
def _sentence_hints(folded: str, sentence_start: int, sentence_end: int) -> frozenset[str]:
    """The rules (HINTS keys) whose words the folded sentence has."""
    return frozenset().union(*map(_FAMILIES_OF.__getitem__, _HINT_FINDER.found(folded, sentence_start, sentence_end)))


@lru_cache(maxsize=16)
def _sentence_boundaries(folded: str, sentence_start: int, sentence_end: int) -> tuple[tuple[int, int, str], ...]:
    """(start, end, folded text) of every LOCAL_BOUNDARY of a sentence, found once for all its cues."""
    return tuple(
        (m.start(), m.end(), m.group(0)) for m in LOCAL_BOUNDARY.finditer(folded, sentence_start, sentence_end)
    )


@lru_cache(maxsize=16)
def _sentence_times(
    text: str, folded: str, sentence_start: int, sentence_end: int
) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """The spans of the times of occurrence of a sentence (TIME_ANCHOR, checked in the original
    text), and of those that are days (DAY_WORDS)."""
    times, days = [], []
    for match in TIME_ANCHOR.finditer(folded, sentence_start, sentence_end):
        at, until = match.span()
        word = match.group(0)
        if (at and is_word_char(folded[at - 1])) or (
            is_word_char(word[-1]) and until < len(folded) and is_word_char(folded[until])
        ):
            continue  # (inside a word: "mayor"; "monday's" is whole)
        if (word in WEEKDAYS or word in MONTHS) and not text[at].isupper():
            continue  # "march" and "may" are verbs
        if word == "may" and not MONTH_MAY.match(text, at):
            continue  # "May" opening a sentence is the modal
        times.append((at, until))
        if word in DAY_WORDS:
            days.append((at, until))
    return tuple(times), tuple(days)


class _Clause:
    """The cue in its sentence, for the clause rules: offsets into the text and its folded copy.
    The cue's local clause and the sentence's times are found when a rule first asks for them:
    most cues report events, and most rules stop at their hint words (HINTS), or at their pattern
    tried over the whole given clause before or after the cue (see searched_before)."""

    def __init__(
        self,
        text: str,
        folded: str,
        sentence_start: int,
        sentence_end: int,
        clause_start: int,
        clause_end: int,
        cue_start: int,
        cue_end: int,
        sub_event_type: str,
    ) -> None:
        self.text, self.folded = text, folded
        self.sentence_start, self.sentence_end = sentence_start, sentence_end
        self.clause_start, self.clause_end = clause_start, clause_end
        self.cue_start, self.cue_end = cue_start, cue_end
        self.sub_event_type = sub_event_type
        self.cue = folded[cue_start:cue_end]
        self.hints = _sentence_hints(folded, sentence_start, sentence_end)

    @cached_property
    def _bounds(self) -> tuple[int, int, int]:
        """(start, wide_start, end): the clause cut at the boundaries (LOCAL_BOUNDARY) nearest the
        cue, and the sentence cut before the cue at the hard ones only (from the sentence, as a
        clause may start at a dash that is only a parenthesis)."""
        folded = self.folded
        start, wide_start, end = self.clause_start, self.sentence_start, self.clause_end
        for at, until, boundary in _sentence_boundaries(folded, self.sentence_start, self.sentence_end):
            if until <= self.cue_start:
                start = max(self.clause_start, until)
                soft = SOFT_BOUNDARY.fullmatch(boundary) and (
                    not boundary.endswith("as ") or USE_BEFORE_AS.search(folded, wide_start, at + 1)
                )
                if not soft:
                    wide_start = until
            elif at >= self.cue_end:
                end = min(end, at)
                break
        return start, wide_start, end

    @property
    def start(self) -> int:
        """Where the cue's local clause starts (cut at commas too)."""
        return self._bounds[0]

    @property
    def wide_start(self) -> int:
        """Where the cue's clause starts, cut only where another clause opens (a list stays whole)."""
        return self._bounds[1]

    @property
    def end(self) -> int:
        """Where the cue's local clause ends."""
        return self._bounds[2]

    @cached_property
    def before(self) -> str:
        return self.folded[self.start : self.cue_start]

    @cached_property
    def wide_before(self) -> str:
        return self.folded[self.wide_start : self.cue_start]

    @cached_property
    def after(self) -> str:
        return self.folded[self.cue_end : self.end]

    @cached_property
    def anchored(self) -> bool:
        """Whether a time of occurrence (TIME_ANCHOR) lies in the wide clause."""
        return self.has_time(self.wide_start, self.end)

    def has_time(self, start: int, end: int, *, days_only: bool = False) -> bool:
        """Whether a time of occurrence (a day, with days_only) lies in text[start:end]."""
        times, days = _sentence_times(self.text, self.folded, self.sentence_start, self.sentence_end)
        return any(start <= at and until <= end for at, until in (days if days_only else times))

    def searched_before(self, pattern: re.Pattern, *, wide: bool = False) -> re.Match | None:
        """pattern.search(before) (or wide_before), for a pattern anchored at its end ("…$") whose
        matches are shorter than PATTERN_REACH: first over the clause (or sentence) before the cue,
        of which `before` is the end, within that reach, so that the local clause is cut only when
        the pattern may match (where it fails on the longer stretch it fails on its end, cut after a
        boundary)."""
        start = self.sentence_start if wide else self.clause_start
        if not pattern.search(self.folded, max(start, self.cue_start - PATTERN_REACH), self.cue_start):
            return None
        return pattern.search(self.wide_before if wide else self.before)

    def matched_after(self, pattern: re.Pattern) -> re.Match | None:
        """pattern.match(after): first over all the clause after the cue (as searched_before)."""
        if not pattern.match(self.folded, self.cue_end, self.clause_end):
            return None
        return pattern.match(self.after)


def non_event_reason(
    text: str,
    *,
    sentence_start: int,
    sentence_end: int,
    clause_start: int,
    clause_end: int,
    cue_start: int,
    cue_end: int,
    event_type: str,
    sub_event_type: str,
) -> str | None:
    """None when the cue at text[cue_start:cue_end] may report an occurrence; else the code (a key
    of REASONS) of why it does not: a question, a negation, a forecast, a habit, a call …

    The sentence and the clause (offsets into `text`) bound what is read; `event_type` and
    `sub_event_type` are the cue's (data/reference/event_cues.csv)."""
    folded = fold_article(text)
    if len(folded) != len(text):  # (folding keeps the length; this is a guard)
        folded = fold_for_prefilter(text)
    if _is_question(text, sentence_start, sentence_end):
        return "question"
    clause = _Clause(
        text, folded, sentence_start, sentence_end, clause_start, clause_end, cue_start, cue_end, sub_event_type
    )
    # The forecast, negation and purpose rules read the 80 characters before the cue, as the event
    # stage always has (and a denial the sentence before it); the others read the cue's clause.
    window_start = max(sentence_start, cue_start - LOOK_BEHIND)
    before = _month_may_hidden(text, folded, window_start, cue_start)
    reason = _irrealis_reason(before, clause.cue, folded[sentence_start:cue_start] if "denial" in clause.hints else "")
    if reason:
        return reason
    for reason, hint, holds in _RULES:
        if (hint is None or hint in clause.hints) and holds(clause):
            return reason
    return None


def _is_question(text: str, sentence_start: int, sentence_end: int) -> bool:
    """Whether the sentence ends with a question mark (before closing quotes or brackets)."""
    return text[sentence_start:sentence_end].rstrip().rstrip("\"'”’)]").endswith("?")


def _month_may_hidden(text: str, folded: str, start: int, end: int) -> str:
    """folded[start:end], with "may" where the text has the month "May" mid-sentence ("on May
    Day", "since May") made unreadable to the modal patterns (the same length)."""
    stretch = folded[start:end]
    if "May" not in text[start:end]:
        return stretch
    for match in MONTH_MAY.finditer(text, start, end):
        at = match.start() - start
        stretch = stretch[:at] + "m_y" + stretch[at + 3 :]
    return stretch


def _irrealis_reason(before: str, cue: str, sentence_before: str) -> str | None:
    """The reason of a cue in a forecast, condition, negation or purpose clause ("to retake"),
    read from `before`, the folded stretch before the cue, the folded cue and the folded sentence
    before the cue (a denial or a false report may govern a long clause; "" when it has none)."""
    clause_before = re.split(r"[,;:\"“”]", before)[-1]
    # A modal does not reach into a relative or subordinate clause after it ("is about to complete
    # the encirclement in an operation that started on May 23").
    scopes = list(SCOPE_BOUNDARY.finditer(clause_before))
    if scopes:  # (the last boundary before the cue)
        clause_before = clause_before[scopes[-1].end() :]
    if _forecast_before(clause_before):
        return "forecast"
    if CONDITION.search(clause_before):
        return "condition"
    if NEGATION.search(before) or (sentence_before and DENIAL.search(sentence_before)):
        return "negation"
    if TO_PLAN.search(before):
        return "purpose"
    if cue.endswith("ing") or cue.endswith("ing "):
        # (a gerund: the act as the object of an aim, a prospect, a prevention or an objection)
        if AIM_BEFORE.search(before):
            return "purpose"
        if PROSPECT_BEFORE.search(before):
            return "forecast"
        if PREVENTED_BEFORE.search(before):
            return "negation"
        if OBJECTION_BEFORE.search(before):
            return "attitude"
    if TO_INFINITIVE.search(before) and not REALIS_TO.search(before):
        # "to have shot" is a report; "due to rocket attacks" names no aim.
        if not re.match(r"(?:have|has|been)\b", cue) and not NOT_INFINITIVE.search(cue):
            return "purpose"
    return None


def _forecast_before(clause_before: str) -> bool:
    """A forecast word (FORECAST) in the folded clause before the cue, other than one describing
    the act in a free relative ("launched what was expected to be a long offensive") or governing
    a verb of perception ("explosions could be heard")."""
    at = 0
    while match := FORECAST.search(clause_before, at):
        word_end = match.start() + len(re.match(r"\w+", match.group(0)).group(0))
        if not FREE_RELATIVE_BEFORE.search(clause_before, 0, match.start()) and not PERCEPTION_AFTER.match(
            clause_before, word_end
        ):
            return True
        at = match.start() + 1
    return False


def _in_lower_case(clause: _Clause, at: int) -> bool:
    """Whether the word at `at` is written in lower case, or starts the clause (then a capital
    says nothing): "daily" is an adverb, "the Daily Star" a newspaper."""
    return clause.text[at].islower() or at <= clause.wide_start + 1


def _habitual(clause: _Clause) -> bool:
    """A frequency or habit in the clause ("sometimes", "every day", "known to", "used to")."""
    offset = clause.wide_start
    stretch = clause.folded[offset : clause.end]
    if any(_in_lower_case(clause, offset + match.start()) for match in HABITUAL.finditer(stretch)):
        return True
    return "used to" in stretch and USED_TO.search(stretch) is not None


def _practice(clause: _Clause) -> bool:
    """The act in the simple present passive, with no time ("air strikes are carried out")."""
    return clause.matched_after(PRESENT_PASSIVE_AFTER) is not None and not clause.anchored


def _progressive_practice(clause: _Clause) -> bool:
    """Acts of a kind being done, in the present, with no time ("they are now doing these suicide
    attacks", "is carrying out more raids"): a practice, not one occurrence."""
    return (
        clause.cue.rstrip().endswith("s")
        and clause.searched_before(PROGRESSIVE_BEFORE) is not None
        and not clause.anchored
    )


def _trend(clause: _Clause) -> bool:
    """A trend in acts of a kind (plural: "increased rocket attacks"), with no day of its own."""
    return (
        clause.cue.rstrip().endswith("s")
        and clause.searched_before(TREND_BEFORE) is not None
        and not clause.has_time(clause.wide_start, clause.end, days_only=True)
    )


def _every(clause: _Clause) -> bool:
    """The act done to every one of a kind ("every woman that it has captured"), with no time."""
    return clause.searched_before(EVERY_RELATIVE_BEFORE, wide=True) is not None and not clause.anchored


def _iterative(clause: _Clause) -> bool:
    """The act itself iterated, with no time ("repeated raids", "a wave of attacks")."""
    return clause.searched_before(ITERATIVE_BEFORE) is not None and not clause.anchored


def _generic(clause: _Clause) -> bool:
    """The act as a means in general ("using beheadings", "uses human shields"), with no time."""
    return clause.searched_before(GENERIC_USE_BEFORE, wide=True) is not None and not clause.anchored


def _killed_in_battle(clause: _Clause) -> bool:
    """Deaths "in battle", "in action", "in combat" with no time: a kind of death, not an event."""
    return DIED_IN_BATTLE.match(clause.cue + clause.after) is not None and not clause.anchored


def _call(clause: _Clause) -> bool:
    """A call, demand or proposal for the act: the call may be dated, the act has not happened."""
    return clause.searched_before(CALL_BEFORE, wide=True) is not None


def _accusation(clause: _Clause) -> bool:
    """An accusation of a kind of conduct, in the present, with no time."""
    return clause.searched_before(ACCUSATION_BEFORE, wide=True) is not None and not clause.anchored


def _abstract(clause: _Clause) -> bool:
    """The act named by an abstract frame ("the number of air strikes") or heading one ("the
    carpet-bombing approach"), with no time (a death count is a figure, not a frame)."""
    if clause.matched_after(ABSTRACT_HEAD_AFTER):
        return True
    frame = clause.searched_before(ABSTRACT_BEFORE)
    if frame is None or clause.anchored:
        return False
    return not (frame.group(0).startswith("the") and DEATH_CUE.match(clause.cue))


def _summary(clause: _Clause) -> bool:
    """A war or an insurgency as what a cue of fighting or dying is about, with no day of its own
    (a war has years: "the wars fought in Iraq in 2003" is still a war); or what a relative clause
    tells of a war, its toll or origin ("a war which has killed 250,000")."""
    # (read across the relative pronoun, which starts a clause of its own)
    if WAR_RELATIVE_BEFORE.search(
        clause.folded, max(clause.sentence_start, clause.cue_start - PATTERN_REACH), clause.cue_start
    ):
        return not clause.has_time(clause.start, clause.end, days_only=True)
    if clause.sub_event_type != "Armed clash":
        return False
    if clause.searched_before(WAR_BEFORE) is None and clause.matched_after(WAR_AFTER) is None:
        return False
    return not clause.has_time(clause.start, clause.end, days_only=True)


def _share_or_fronts(clause: _Clause) -> bool:
    """A share of territory taken or lost ("has lost half the territory"), territory described by
    its taking ("the territory it had seized"), or fighting "on a number of fronts"."""
    if clause.sub_event_type.endswith("territory") and clause.matched_after(SHARE_AFTER) is not None:
        return PERFECT_BEFORE.search(clause.before) is not None or not clause.anchored
    if clause.sub_event_type.endswith("territory") and HELD_TERRITORY_BEFORE.search(clause.before):
        return not clause.has_time(clause.start, clause.end)
    return FRONTS.search(clause.folded, clause.clause_start, clause.clause_end) is not None and not clause.has_time(
        clause.clause_start, clause.clause_end, days_only=True
    )


def _attributive(clause: _Clause) -> bool:
    """A one-word participle describing the noun after it ("liberated towns", "the slain SEAL"), or
    forces "deployed" as a description of the forces ("the personnel deployed in the country")."""
    if clause.cue == "deployed":
        return clause.searched_before(FORCES_BEFORE) is not None
    if not ATTRIBUTIVE_WORD.fullmatch(clause.cue) or clause.searched_before(ATTRIBUTIVE_BEFORE) is None:
        return False
    following = re.match(r"\s+([A-Za-z][\w'-]*)", clause.text[clause.cue_end : clause.end])
    if following is None:
        return False
    word = following.group(1)
    # (a capital is a name, "IS" the group, not the verb)
    return word[0].isupper() or not NOT_A_NOUN.fullmatch(word)


def _politics(clause: _Clause) -> bool:
    """A verbal attack, a rally of support, a diplomatic push: politics, not violence."""
    cue = clause.cue
    if cue.startswith("attack"):
        return clause.searched_before(VERBAL_ATTACK_BEFORE) is not None
    noun = DRIVE_NOUN.search(cue)
    if noun:  # (the modifier may stand inside the cue: "launched a diplomatic offensive")
        return NONMILITARY_DRIVE_BEFORE.search(clause.before[-PATTERN_REACH:] + cue[: noun.start()]) is not None
    return cue.startswith("rall") and clause.matched_after(RALLY_SUPPORT_AFTER) is not None


def _other_sense(clause: _Clause) -> bool:
    """A protest word with a direct object ("demonstrated its intent": showed), or "entered into"
    an agreement (concluded it)."""
    if clause.cue == "entered":
        return ENTERED_AGREEMENT_AFTER.match(clause.folded, clause.cue_end) is not None
    return clause.cue in ("demonstrated", "demonstrate") and clause.matched_after(SHOWED_OBJECT_AFTER) is not None


def _caption(clause: _Clause) -> bool:
    """The cue inside the description of a picture ("an image of a suicide bomber")."""
    return clause.searched_before(CAPTION_BEFORE) is not None


def _media(clause: _Clause) -> bool:
    """The cue naming what a video or record is of ("execution videos", "footage of the strike")."""
    return clause.matched_after(MEDIA_HEAD_AFTER) is not None or clause.searched_before(MEDIA_BEFORE) is not None


def _planned(clause: _Clause) -> bool:
    """The act as the object of a plan, a plot, a threat or a promise ("plotting a suicide bomb
    attack", "the planned assault on Raqqa")."""
    return clause.searched_before(PLAN_BEFORE) is not None


def _forecast_after(clause: _Clause) -> bool:
    """Whether the cue heads the subject of a modal ("a government siege of Aleppo would deliver a
    blow"): no finite verb before it in its clause, a modal after it before any other clause opens
    or any time is given, and not a verb of perception ("air strikes could be heard")."""
    folded = clause.folded
    window_end = min(len(folded), clause.cue_end + 160)
    modal = MODAL_AFTER.match(folded, clause.cue_end, window_end)
    if modal is None or FINITE_BEFORE.search(folded, clause.wide_start, clause.cue_start):
        return False
    gap_end = modal.start("modal")
    if (
        MODAL_GAP_BLOCKED.search(folded, clause.cue_end, gap_end)
        or FINITE_BEFORE.search(folded, clause.cue_end, gap_end)
        or clause.has_time(clause.cue_end, modal.end())
    ):
        return False
    return not HAVE_AFTER.match(folded, modal.end()) and not PERCEPTION_AFTER.match(folded, modal.end())


# The clause rules in the order they are tried (the first that holds gives the reason), each with
# the HINTS its patterns need (None: tried on every cue; they test the cue itself first).
_RULES: tuple[tuple[str, str | None, Callable[[_Clause], bool]], ...] = (
    ("caption", "caption", _caption),
    ("media", "media", _media),
    ("call", "call", _call),
    ("accusation", "accusation", _accusation),
    ("politics", "politics", _politics),
    ("habitual", "habitual", _habitual),
    ("habitual", "practice", _practice),
    ("habitual", "practice", _progressive_practice),
    ("habitual", "iterative", _iterative),
    ("habitual", "trend", _trend),
    ("generic", "every", _every),
    ("generic", "generic", _generic),
    ("generic", "in battle", _killed_in_battle),
    ("abstract", "abstract", _abstract),
    ("summary", "summary", _summary),
    ("summary", "share", _share_or_fronts),
    ("attributive", None, _attributive),
    ("forecast", "plan", _planned),
    ("forecast", "modal after", _forecast_after),
    ("other sense", "other sense", _other_sense),
)
