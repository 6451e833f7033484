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
    elaborate continue begin open close summarize summarise shout scream yell whisper mutter
    exclaim joke quip muse concede grant agree disagree dispute contest challenge reject dismiss
    slam blast criticize criticise condemn denounce praise hail welcome applaud commend thank
    blame fault defend justify apologize apologise acknowledge confess lie mislead
    """.split()
)

# Verbs of thinking, believing and wanting: PolNeAR counts their complements as content.
COGNITION_VERBS = frozenset(
    """
    think believe feel know consider expect hope fear worry doubt suspect assume guess
    understand realize realise recognize recognise see view regard reckon imagine trust
    want wish intend plan prefer need seek aim refuse decline agree offer try attempt
    remember forget learn discover determine judge
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
    """.split()
)

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

# Nouns that report speech when they govern a clause: "his statement that ...", "the claim that".
SPEECH_NOUNS = frozenset(
    """
    statement claim assertion warning announcement comment remark suggestion promise pledge
    threat accusation allegation insistence argument belief view assessment conclusion
    """.split()
)

# Verbs whose infinitive complement is the content ("refused to meet", "urged Congress to act").
XCOMP_VERBS = frozenset(
    """
    want wish intend plan prefer need seek aim refuse decline agree offer try attempt hope expect
    promise pledge vow threaten urge ask demand call encourage press push invite warn advise
    order instruct tell decide vote move
    """.split()
)

CUE_LEMMAS = SPEECH_VERBS | COGNITION_VERBS

# Quotes of at most this many words inside narration are scare quotes ("a “killer.”"),
# not statements of their own.
MAX_SCARE_QUOTE_WORDS = 3
