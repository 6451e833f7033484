"""analysis.statements: each cue pattern and quote shape, as a table, with inputs that must yield nothing."""

from __future__ import annotations

import pytest

from analysis import nlp, statements


def extract(text: str) -> list[tuple[str, str | None, str, str]]:
    """(kind, source text, cue, content text) of every statement in `text`."""
    blocks = statements.blocks_of(text)
    docs = list(zip(blocks, nlp.english().pipe(block.text for block in blocks), strict=True))
    return [
        (item.kind, item.source.text if item.source else None, item.cue, text[item.content_start : item.content_end])
        for item in statements.extract_blocks(docs)
    ]


CASES = [
    # reported speech: cue + clausal complement, subject is the source
    (
        "Kremlin spokesman Dmitry Peskov said that Russia is ready for talks.",
        [("reported", "Kremlin spokesman Dmitry Peskov", "said", "Russia is ready for talks")],
    ),
    (
        "Lavrov warned Washington that new sanctions would backfire.",
        [("reported", "Lavrov", "warned", "new sanctions would backfire")],
    ),
    (
        "The Kremlin pointed out that the offer remains on the table.",
        [("reported", "The Kremlin", "pointed out", "the offer remains on the table")],
    ),
    (
        "Jane Saki made it clear that Biden had nothing to regret.",
        [("reported", "Jane Saki", "made it clear", "Biden had nothing to regret")],
    ),
    # a participial cue inherits the main clause's subject and stands as a statement of its own
    (
        "Zakharova said the talks were useful, stressing that Moscow wants a deal.",
        [
            ("reported", "Zakharova", "said", "the talks were useful"),
            ("reported", "Zakharova", "stressing", "Moscow wants a deal"),
        ],
    ),
    # "according to" and "as X said"
    (
        "The talks will resume in Geneva next week, according to the State Department.",
        [("reported", "the State Department", "according to", "The talks will resume in Geneva next week")],
    ),
    (
        "As Peskov said, the offer remains on the table.",
        [("reported", "Peskov", "said", "the offer remains on the table")],
    ),
    # a report in a relative clause, and one issued by a document
    (
        "On Tuesday, the CIA issued a report, which concluded that Moscow interfered in the election.",
        [("reported", "the CIA", "concluded", "Moscow interfered in the election")],
    ),
    # direct quotes: after the cue, before it, split by the attribution, after a colon
    (
        "“We are ready for talks,” Peskov said.",
        [("direct", "Peskov", "said", "“We are ready for talks,”")],
    ),
    (
        'Peskov told reporters: "We are ready for talks."',
        [("direct", "Peskov", "told", '"We are ready for talks."')],
    ),
    (
        "“We are ready,” Peskov said. “But not at any price.”",
        [("direct", "Peskov", "said", "“We are ready,” Peskov said. “But not at any price.”")],
    ),
    (
        "Putin: ‘We Are Preparing for the Worst.’",
        [("direct", "Putin", ":", "‘We Are Preparing for the Worst.’")],
    ),
    # a quote paragraph with no cue continues the last speaker
    (
        "Putin stated that people see others as they see themselves, adding: “Every society has a past.”\n\n"
        "“There we always see ourselves in the mirror.”",
        [
            ("reported", "Putin", "stated", "people see others as they see themselves"),
            ("direct", "Putin", "adding", "“Every society has a past.”"),
            ("direct", "Putin", "", "“There we always see ourselves in the mirror.”"),
        ],
    ),
    # mixed: a reported clause with a quoted fragment is one statement
    (
        "Peskov said the remarks were “very bad” and “unprecedented” in their tone.",
        [("mixed", "Peskov", "said", "the remarks were “very bad” and “unprecedented” in their tone")],
    ),
    # object and prepositional content, judgement verbs, speech nouns
    (
        "Blinken condemned the annexation of Crimea.",
        [("reported", "Blinken", "condemned", "the annexation of Crimea")],
    ),
    (
        "Zelensky called for a ceasefire along the front line.",
        [("reported", "Zelensky", "called", "a ceasefire along the front line")],
    ),
    # what is answered is the content only when the answer itself is not reported
    (
        "Peskov replied to the question.",
        [("reported", "Peskov", "replied", "the question")],
    ),
    (
        "Putin responded, Thursday, to Biden's statements, by saying that one sees only oneself.",
        [("reported", "Putin", "saying", "one sees only oneself")],
    ),
    (
        "Blinken responded to the charge, calling it absurd.",
        [("reported", "Blinken", "calling", "it absurd")],
    ),
    (
        "Moscow sees the expansion as a direct threat.",
        [("reported", "Moscow", "sees", "the expansion as a direct threat")],
    ),
    (
        "Biden's claim that Putin is a killer angered Moscow.",
        [("reported", "Biden", "claim", "Putin is a killer")],
    ),
    # a thought reported inside what someone said belongs to that statement
    (
        "Peskov said Biden does not want to improve relations.",
        [("reported", "Peskov", "said", "Biden does not want to improve relations")],
    ),
    # what must yield nothing
    ("", []),
    ("The Russian ambassador to Washington was summoned to consult.", []),
    ("Talks resumed in Geneva on Monday after a pause of three weeks.", []),
    ("The so-called “reset” of relations failed within three years.", []),
    ("“Killer.”", []),
    ("Unprecedented statements", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0][:40] or "empty" for case in CASES])
def test_statements(text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Peskov said “we are ready for talks and will remain ready.",  # an unclosed quote
        "Peskov said ” backwards “ quotes are odd.",
        "He said " + " ".join(["that the talks went on"] * 250) + ".",  # a sentence of over 1,000 words
        "Песков заявил, что Россия готова к переговорам.",  # not English
        "\x00\u202e\u200bPeskov said the talks were useful.\u202c",  # NUL, bidi override, zero-width
        "a" * 50_000,  # one long token
    ],
)
def test_odd_text_never_raises(text):
    extract(text)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("He said “yes” and “no”.", ["“yes”", "“no”"]),
        ('He said "yes" and "no".', ['"yes"', '"no"']),
        ("He said “unclosed to the end", ["“unclosed to the end"]),
        ("Putin’s offer and Biden’s reply", []),
        ("‘Single quotes’ in a headline", ["‘Single quotes’"]),
        ("“Nested ‘single’ inside,” he said", ["“Nested ‘single’ inside,”"]),
        ("", []),
    ],
)
def test_quote_spans(text, spans):
    assert [text[start:end] for start, end in statements.quote_spans(text)] == spans


@pytest.mark.parametrize(
    ("text", "turns"),
    [
        (
            "THE PRESIDENT: Thank you all.\n\nQ Mr. President, a question.\n\nTHE PRESIDENT: Go ahead.",
            [("THE PRESIDENT", False), ("Q", True), ("THE PRESIDENT", False)],
        ),
        (
            "MR PRICE: Good afternoon.\nQUESTION: On Russia?\nMR PRICE: We have said so.",
            [("MR PRICE", False), ("QUESTION", True), ("MR PRICE", False)],
        ),
        # not transcripts: a single label, or "Note:"/"Source:" lines
        ("Note: this is an update.\nSource: the Kremlin.", []),
        ("PESKOV: We are ready.\n\nThe talks went on.", []),
        ("", []),
    ],
)
def test_find_turns(text, turns):
    assert [(turn.label, turn.is_question) for turn in statements.find_turns(text)] == turns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Peskov said the talks were useful.", True),
        ("“Ready,” he added.", True),
        ("Putin: no comment", True),
        ("The delegations met for hours in Geneva.", False),
        ("", False),
    ],
)
def test_may_hold_statement(text, expected):
    assert statements.may_hold_statement(text) is expected


def test_long_paragraphs_are_parsed_in_pieces():
    text = "Peskov said the talks were useful. " * 2000
    blocks = statements.blocks_of(text)
    assert len(blocks) > 1
    assert all(len(block.text) <= statements.MAX_BLOCK_CHARS for block in blocks)
    assert all(text[block.start : block.end] == block.text for block in blocks)
