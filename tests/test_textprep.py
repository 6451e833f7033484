"""analysis.textprep: tables of input and expected output, including inputs that must yield nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analysis import textprep
from analysis.ingest import IngestError, decode_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Body.\n\nSource link\n\nLeave a Reply\n", "Body."),
        (
            "Body.\n\nYour email address will not be published. Required fields are marked *\n\nBack to top button",
            "Body.",
        ),
        ("Body.\nShare this:\nTwitter\nFacebook\nLike this:\nLoading...\n", "Body."),
        ("Body.\r\n\r\nShare on Facebook\r\nCopyright 2021 Example News\r\n", "Body."),
        ("Body.\rRelated\rRead more:", "Body."),
        # Nothing to cut: boilerplate words mid-text stay, and so does a body ending without it.
        ("Print\n\nBody that follows.", "Print\n\nBody that follows."),
        ("He said: Share this with everyone.", "He said: Share this with everyone."),
        ("Body.  \n\n  ", "Body."),
        ("", ""),
    ],
)
def test_strip_trailing_boilerplate(text, expected):
    assert textprep.strip_trailing_boilerplate(text) == expected


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb", [(0, 1, "a"), (2, 3, "b")]),
        ("a\r\nb\r\n", [(0, 1, "a"), (3, 4, "b")]),
        ("a\rb", [(0, 1, "a"), (2, 3, "b")]),
        ("a\n\nb", [(0, 1, "a"), (2, 2, ""), (3, 4, "b")]),
        ("", []),
    ],
)
def test_split_lines(text, lines):
    assert [(line.start, line.end, line.text) for line in textprep.split_lines(text)] == lines


LAYOUTS = [
    # (text, title, meta, heading texts)
    (
        "Kremlin: we are preparing for the worst\n\nPeskov said so.\n\nNew section\n\nMore text follows here.",
        "Kremlin: we are preparing for the worst",
        {},
        ["Kremlin: we are preparing for the worst", "New section"],
    ),
    (
        "President: Barack Obama\n\nTHE PRESIDENT: Thank you. Please be seated.\n\nQ Mr. President?",
        None,
        {"speaker": "Barack Obama"},
        ["President: Barack Obama"],
    ),
    (
        "Title: Talks in Geneva\nDate: 2021-06-16\nSource: Wire\n\nTalks in Geneva\n\nThe presidents met.",
        None,
        {"title": "Talks in Geneva", "published": "2021-06-16", "source": "Wire"},
        ["Title: Talks in Geneva", "Date: 2021-06-16", "Source: Wire", "Talks in Geneva"],
    ),
    (
        "# Markdown title\n\nBody text here.\n\n## Second part\nMore body text here.",
        "Markdown title",
        {},
        ["# Markdown title", "## Second part"],
    ),
    # Single-newline paragraphs (a PDF's text layer): a short line after a full stop.
    (
        "A title\nThis is a long line of body text that goes on and on for a while, as body text does.\n"
        "Short heading here\nAnother long line of body text that goes on and on for a while, as they do.\n"
        "wrapped tail of a sentence\nand more words on a line that is as long as the others in the text.",
        "A title",
        {},
        ["A title", "Short heading here"],
    ),
    # Must yield no headings: punctuated short lines, lowercase, addresses and sign-offs.
    (
        "Mr President,\nLadies and Gentlemen,\n\nThank you.\n\nBen.\n\nand so on\n\n2021\n\nOur work continues today.",
        "Mr President,",
        {},
        ["Mr President,"],
    ),
    ("", None, {}, []),
    ("\n\n   \n", None, {}, []),
    ("x" * 300 + "\n\nBody.", None, {}, []),
]


@pytest.mark.parametrize(("text", "title", "meta", "headings"), LAYOUTS)
def test_find_layout(text, title, meta, headings):
    layout = textprep.find_layout(text, want_title=True, guess_headings=True)
    assert layout.title == title
    assert layout.meta == meta
    assert [text[start:end] for start, end in layout.headings] == headings


def test_find_layout_without_title_or_guessing():
    layout = textprep.find_layout("First line\n\nBody.\n\nHeading\n\nMore.", want_title=False, guess_headings=False)
    assert (layout.title, layout.headings) == (None, ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin announced, Friday, March 19, 2021, that", date(2021, 3, 19)),
        ("MOSCOW, 19 March 2021 (Reuters) -", date(2021, 3, 19)),
        ("Updated: 2021-03-19 10:00", date(2021, 3, 19)),
        ("on Wednesday, March 17th, 2021, he said", date(2021, 3, 17)),
        ("Sept. 8, 2016", date(2016, 9, 8)),
        ("the 19th of March, 2021", date(2021, 3, 19)),
        # No full date: nothing.
        ("On Thursday, March 18, Biden said", None),
        ("in March 2021 relations fell", None),
        ("February 30, 2021 is no day", None),
        ("03/19/2021", None),
        ("", None),
        ("x" * 3000 + " March 19, 2021", None),  # beyond the dateline window
    ],
)
def test_find_dateline(text, expected):
    assert textprep.find_dateline(text) == expected


@pytest.mark.parametrize(
    ("name", "expected_date", "expected_title"),
    [
        ("kremlin-cold-war-2021-03-19.txt", date(2021, 3, 19), "Kremlin cold war"),
        ("2009-01-12-final-press-conference.txt", date(2009, 1, 12), "Final press conference"),
        ("a.zip/news/2020_11_03_election.html", date(2020, 11, 3), "Election"),
        ("USA_79_2024.txt", None, "USA 79 2024"),
        ("2021-13-45-bad.txt", None, "2021 13 45 bad"),
        ("12345.txt", None, "12345"),
        ("---.txt", None, None),
    ],
)
def test_names(name, expected_date, expected_title):
    assert textprep.date_from_filename(name) == expected_date
    assert textprep.title_from_filename(name) == expected_title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 3, 19), date(2021, 3, 19)),
        (datetime(2021, 3, 19, 23, 59), date(2021, 3, 19)),
        ("2021-03-19T09:30:00Z", date(2021, 3, 19)),
        ("Friday, March 19, 2021", date(2021, 3, 19)),
        ("19.03.2021", date(2021, 3, 19)),
        ("Fri, 19 Mar 2021 09:30:00 GMT", date(2021, 3, 19)),
        (None, None),
        ("", None),
        ("someday", None),
        ("March 2021", None),
    ],
)
def test_parse_date(value, expected):
    assert textprep.parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin said on Friday that the offer of talks remains on the table.", "en"),
        ("Кремль заявил в пятницу, что предложение о переговорах остается в силе.", "ru"),
        ("Le Kremlin a déclaré vendredi que l'offre de pourparlers restait valable.", "fr"),
        ("Кремль заявив у п'ятницю, що пропозиція щодо переговорів залишається чинною.", "uk"),
        ("OK", "und"),
        ("12345 67890 !!! ???", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text, expected):
    assert textprep.detect_language(text) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Putin’s “killer” — café".encode(), "Putin’s “killer” — café"),
        ("Putin’s “killer” — café".encode("utf-8-sig"), "Putin’s “killer” — café"),
        ("Putin’s “killer” — café".encode("utf-16"), "Putin’s “killer” — café"),
        ("Putin’s “killer” — café".encode("utf-16-be"), "Putin’s “killer” — café"),
        ("Putin’s “killer” — café, naïve".encode("cp1252"), "Putin’s “killer” — café, naïve"),
        (("Путин сказал, что это так. " * 5).encode("cp1251"), "Путин сказал, что это так. " * 5),
    ],
)
def test_decode_text(data, expected):
    assert decode_text(data, "x.txt") == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)), "binary data, not text"),
        (b"\x00\x01\x02\x03text", "binary data, not text"),
        (b"\xfe\xff\xd8\x00", "undecodable"),
    ],
)
def test_decode_text_refuses(data, reason):
    with pytest.raises(IngestError, match=f"^x.txt: {reason}"):
        decode_text(data, "x.txt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lavrov said so.", "Lavrov said so."),  # nothing to replace
        ("", ""),
        ("\u202eLavrov said\u202c so.", " Lavrov said  so."),  # bidi override and pop
        ("Wash\u00adington", "Wash ington"),  # soft hyphen
        ("a\u200bb\u2060c\ufeffd", "a b c d"),  # zero-width space, word joiner, BOM inside the text
        ("nul\x00here\x1b[31m", "nul here [31m"),  # NUL and ESC
        ("tab\tline\nfeed\x0cCR\r", "tab\tline\nfeed\x0cCR\r"),  # layout controls stay
        ("👨\u200d👩\u200d👧 and مي\u200cخواهم", "👨\u200d👩\u200d👧 and مي\u200cخواهم"),  # joiners stay
    ],
)
def test_blank_invisible_keeps_length_and_offsets(text, expected):
    assert textprep.blank_invisible(text) == expected
    assert len(textprep.blank_invisible(text)) == len(text)
