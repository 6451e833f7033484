"""Reporting cues: the words that introduce what someone said, thought or asserted.

One documented list, as textacy keeps `REPORTING_VERBS` in its constants. The
verbs come from three places: textacy's reporting verbs, the PARC 3.0 / PolNeAR
annotation guidelines (attribution covers speech, thought and intention), and the
cues most frequent in the PolNeAR training split (counted with
`python -m analysis evaluate polnear`'s reader; "said" alone is 20 % of cues).
They are lemmas, matched on spaCy's lemma of a verb token.
"""

from __future__ import annotations

# Verbs of saying: their clausal complement (or quote) is the content.
SPEECH_VERBS = frozenset(
    """
    say tell state announce declare add note explain stress emphasize emphasise insist warn
    claim assert argue contend maintain reiterate repeat confirm deny acknowledge admit concede
    conclude respond reply answer retort counter remark comment observe mention point
    report write tweet post testify tout boast brag complain lament protest charge allege accuse
    predict promise pledge vow swear threaten caution advise suggest propose recommend urge
    demand ask inquire question wonder recall recount describe characterize characterise label
    call dub brand term indicate signal hint imply reveal disclose divulge show find indicate
    estimate forecast project calculate conclude decide rule order instruct tell inform notify
    assure reassure guarantee affirm underline underscore highlight reaffirm clarify specify
    elaborate summarize summarise shout scream yell whisper mutter
    exclaim joke quip muse concede agree disagree talk speak refer react appeal push press
    dispute contest challenge reject dismiss
    slam blast criticize criticise condemn denounce praise hail welcome applaud commend thank
    blame fault defend justify apologize apologise acknowledge confess
    """.split()
)

# Verbs of thinking, believing and wanting: PolNeAR counts their complements as content.
COGNITION_VERBS = frozenset(
    """
    think believe feel know consider expect hope fear worry doubt suspect assume guess
    realize realise recognize recognise view regard reckon imagine
    want wish intend plan prefer seek refuse decline agree offer
    discover determine judge support back endorse oppose favor favour
    """.split()
)

# Verbs whose direct object alone may be the content ("criticized the plan",
# "endorsed Clinton", "denied the report"): the most frequent such cues in PolNeAR train.
NOMINAL_CONTENT_VERBS = frozenset(
    """
    announce deny confirm criticize criticise condemn denounce praise hail welcome endorse
    support oppose reject dismiss defend blame describe cite recall predict propose promise
    question dispute challenge acknowledge admit reveal disclose report mention accuse
    call slam blast attack applaud thank urge demand ask say tell
    back endorse vote prefer mock discuss dub label name tout ridicule decry lambast
    rebuke chide warn threaten refute deride hail congratulate recommend favor favour
    show find offer cite tweet post write repeat note claim list echo express share highlight
    """.split()
)

# Verbs of judging whose object and "as" phrase are the content ("sees Sanders as electable").
AS_VERBS = frozenset(
    "see view regard consider describe characterize characterise portray paint cast label brand".split()
)

# Verbs whose prepositional object is the content ("called for a ban", "referring to the
# remarks", "responded to the charge", "talking about the economy"), by preposition.
PREPOSITIONAL_CONTENT = {
    "call": ("for",),
    "refer": ("to",),
    "respond": ("to",),
    "reply": ("to",),
    "react": ("to",),
    "talk": ("about",),
    "speak": ("about", "of", "on"),
    "ask": ("about", "for"),
    "complain": ("about", "of"),
    "warn": ("of", "about", "against"),
    "comment": ("on",),
    "vote": ("for", "against"),
    "argue": ("for", "against"),
    "push": ("for",),
    "press": ("for",),
    "appeal": ("for", "to"),
    "insist": ("on",),
    "boast": ("about", "of"),
    "brag": ("about", "of"),
    "joke": ("about",),
    "testify": ("about", "on"),
    "write": ("about",),
    "tweet": ("about",),
    "agree": ("with", "on"),
    "disagree": ("with", "on"),
}

# Of those, the verbs whose object is what was answered, not what was said: when a reported
# clause follows ("responded to Biden's statements, saying that ..."), that clause is the
# statement and the object is only what it answers.
ANSWERING_VERBS = frozenset({"respond", "reply", "react", "comment"})

# Verbs of reporting whose grammatical subject can be a document ("the report concluded").
DOCUMENT_NOUNS = frozenset(
    """
    report statement document study survey poll analysis assessment letter memo communique
    communiqué release declaration resolution filing complaint lawsuit ruling decision
    transcript readout note
    """.split()
)

# Common nouns that can be the source of a statement when they are a subject.
SPEAKER_NOUNS = frozenset(
    """
    official spokesman spokeswoman spokesperson minister president ambassador diplomat envoy
    source aide adviser advisor analyst expert leader lawmaker senator congressman congresswoman
    representative governor mayor secretary chief director officer general commander
    government administration ministry department agency embassy kremlin office committee
    council parliament congress senate house court judge prosecutor lawyer attorney campaign
    party spokespeople officials critic critics supporter supporters voter voters people
    candidate nominee chairman chairwoman chair member members staff team worker group
    """.split()
)

# Phrasal cues: verb lemma + particle, and verb + object idioms ("made it clear").
PARTICLE_CUES = frozenset({("point", "out"), ("spell", "out"), ("lay", "out"), ("come", "out"), ("go", "on")})

# Prepositional cues: "according to X" (X is the source).
ACCORDING_TO = ("according", "to")

# Nouns that report what someone said or wants when a possessor or "by" names who:
# "his claim that ...", "Trump's call for a ban", "her support for the deal", "Moscow's plan to ...".
SPEECH_NOUNS = frozenset(
    """
    statement claim assertion warning announcement comment remark suggestion promise pledge
    threat accusation allegation insistence argument belief view assessment conclusion
    support criticism call plan fear hope demand request proposal opposition praise endorsement
    refusal vow denial admission concern rejection condemnation appeal offer insistence attack
    """.split()
)
# Prepositions that introduce a speech noun's content ("call for", "criticism of", "support for").
SPEECH_NOUN_PREPOSITIONS = frozenset({"for", "of", "to", "against", "on", "about"})

# Verbs whose infinitive complement is the content ("refused to meet", "urged Congress to act").
XCOMP_VERBS = frozenset(
    """
    want wish intend plan prefer seek refuse decline agree offer hope expect
    promise pledge vow threaten urge ask demand call encourage press push invite warn advise
    order instruct tell decide vote move
    """.split()
)

CUE_LEMMAS = SPEECH_VERBS | COGNITION_VERBS | NOMINAL_CONTENT_VERBS | AS_VERBS | frozenset(PREPOSITIONAL_CONTENT)

# spaCy's small English model lemmatises some cue forms wrongly ("hopes" -> "hop").
LEMMA_FIXES = {("hop", "hope"): "hope", ("hop", "hoped"): "hope", ("hop", "hoping"): "hope"}

# Verbs that take a "that"-clause without reporting anyone's words or thoughts.
NOT_CUES = frozenset("be seem appear mean happen ensure make help cause require prove turn matter".split())

# Quotes of at most this many words inside narration are scare quotes ("a “killer.”"),
# not statements of their own.
MAX_SCARE_QUOTE_WORDS = 3


# Past forms of cue verbs that a suffix rule does not give, for the cheap pre-parse filter.
IRREGULAR_FORMS = frozenset(
    """
    said told thought felt knew saw seen found wrote written spoke spoken made meant understood
    sought held stood taught brought gave given took taken forgave swore sworn foresaw forecast
    led read dealt put set let cast bid
    """.split()
)


def word_forms(lemmas: frozenset[str]) -> frozenset[str]:
    """Every inflected form a regular English verb takes: lemma, -s/-es, -ed/-d, -ing (e-drop, doubling)."""
    forms = set(IRREGULAR_FORMS)
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, lemma + "s", lemma + "es", lemma + "d", lemma + "ed", stem + "ing", stem + "ed"})
        if lemma.endswith("y"):
            forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
        if len(lemma) > 2 and lemma[-1] not in "aeiouwy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return frozenset(forms)
