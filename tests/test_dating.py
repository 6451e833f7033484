"""analysis.dating: tables of (frame, published, cue, expected said_on), including inputs that must yield
the publication date (no time words) and inputs that must yield None (older, day not fixed).

`cue` is the reporting verb's offset in the frame, None, or for readability a word whose first
occurrence is the cue. Frames are sentences with the statement's content blanked out ("...").
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from analysis.dating import TimeExpression, find_time_expressions, said_on

SEED = date(2021, 3, 19)  # the seed article's publication date, a Friday
NEW_YEAR = date(2021, 1, 2)  # a Saturday


def _cue_start(frame: str, cue: int | str | None) -> int | None:
    if isinstance(cue, str):
        return frame.index(cue)
    return cue


def check(frame, published, cue, expected):
    assert said_on(frame, published, _cue_start(frame, cue)) == expected


SEED_CASES = [
    ("The Kremlin announced, Friday, March 19, 2021, that ...", SEED, "announced", date(2021, 3, 19)),
    ("On Thursday, Putin said that ...", SEED, "said", date(2021, 3, 18)),
    ("Biden said, Wednesday, March 17th, that ...", SEED, "said", date(2021, 3, 17)),
    (
        "As indicated Jane Saki, a spokeswoman for the White HouseOn Thursday, March 18, 2021, ...",
        SEED,
        "indicated",
        date(2021, 3, 18),
    ),
    ("The Kremlin previously announced that ...", SEED, "announced", None),
    (
        "On Tuesday, the CIA issued an unclassified report on foreign interference in the 2020 elections, "
        "which concluded that ...",
        SEED,
        "concluded",
        date(2021, 3, 16),
    ),
    (
        "On the other hand, Putin responded Thursday to the description of his US counterpart, saying that ...",
        SEED,
        "saying",
        date(2021, 3, 18),
    ),
    ("Jane Saki made it clear that ...", SEED, "made", SEED),
    ("Putin stated that ...", SEED, "stated", SEED),
    # The extractor may leave future words of the statement outside its content: not a time of saying.
    (
        "On Thursday, Putin said that ...                   in the coming days, after a statement by the US "
        "President in which he said that ...",
        SEED,
        "said",
        date(2021, 3, 18),
    ),
    ("And Putin responded, Thursday, to Biden’s statements, by saying that ...", SEED, "saying", date(2021, 3, 18)),
]


@pytest.mark.parametrize(("frame", "published", "cue", "expected"), SEED_CASES)
def test_seed_article(frame, published, cue, expected):
    check(frame, published, cue, expected)


FULL_DATES = [
    ("Putin said on March 17, 2021 that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on 17 March 2021 that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on Wednesday, March 17th, 2021, that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on Wednesday 17 March 2021 that ...", SEED, None, date(2021, 3, 17)),
    ("Putin said on the 17th of March, 2021, that ...", SEED, None, date(2021, 3, 17)),
    ("Statement of 2021-03-17: Putin said ...", SEED, "said", date(2021, 3, 17)),
    ("On Mar. 17, 2021, Putin said ...", SEED, "said", date(2021, 3, 17)),
    ("On MAY 9, 2020, Putin said ...", SEED, "said", date(2020, 5, 9)),
    ("In a speech on December 3, 2019, Putin said ...", SEED, "said", date(2019, 12, 3)),
    # A full date needs no publication date, and the weekday before it does not override it.
    ("Putin said on March 17, 2021 that ...", None, "said", date(2021, 3, 17)),
    ("The Kremlin announced, Friday, March 19, 2021, that ...", None, None, date(2021, 3, 19)),
    ("Biden said, Tuesday, March 17, 2021, that ...", SEED, "said", date(2021, 3, 17)),
    # Glued words from scraping.
    ("the White HouseOn Thursday, March 18, 2021, ...", SEED, None, date(2021, 3, 18)),
    ("the White HouseMarch 18, 2021, ...", SEED, None, date(2021, 3, 18)),
]

MONTH_DAYS = [
    ("Putin said on March 17 that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on 17 March that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said, Wednesday, March 17th, that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on the 17th of March that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said on May 9 that ...", SEED, "said", date(2020, 5, 9)),
    ("Putin said on Sept. 30 that ...", SEED, "said", date(2020, 9, 30)),
    # A few days after publication still counts as this year (publication dates lag); further, last year.
    ("Putin said on March 21 that ...", SEED, "said", date(2021, 3, 21)),
    ("Putin said on April 30 that ...", SEED, "said", date(2020, 4, 30)),
    ("Putin said on December 30 that ...", NEW_YEAR, "said", date(2020, 12, 30)),
    ("Putin said on January 1 that ...", NEW_YEAR, "said", date(2021, 1, 1)),
    ("Putin said on February 29 that ...", SEED, "said", date(2020, 2, 29)),
    ("Putin said on March 17 that ...", None, "said", None),
    ("Putin said on March 17 that ...", datetime(2021, 3, 19, 8, 30), "said", date(2021, 3, 17)),
]

WEEKDAYS = [
    ("Putin said on Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said, Thursday, that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said Thursday morning that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said late Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said late on Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said earlier on Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Speaking at Thursday’s meeting, Putin said ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said on thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("PUTIN SAID ON THURSDAY THAT ...", SEED, None, date(2021, 3, 18)),
    ("the White HouseThursday said ...", SEED, "said", date(2021, 3, 18)),
    # A Friday article's "on Friday" is that day; other weekdays are the latest one before it.
    ("Putin said on Friday that ...", SEED, "said", date(2021, 3, 19)),
    ("Putin said on Saturday that ...", SEED, "said", date(2021, 3, 13)),
    ("Putin said on Monday that ...", SEED, "said", date(2021, 3, 15)),
    ("Putin said on Thursday that ...", NEW_YEAR, "said", date(2020, 12, 31)),
    # "last" is strictly before publication; "of last week" is in the previous calendar week.
    ("Putin said last Thursday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said last Friday that ...", SEED, "said", date(2021, 3, 12)),
    ("Putin said this past Friday that ...", SEED, "said", date(2021, 3, 12)),
    ("Putin said on Thursday of last week that ...", SEED, "said", date(2021, 3, 11)),
    ("Putin said on Thursday that ...", None, "said", None),
]

RELATIVE_DAYS = [
    ("Putin said yesterday that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said yesterday evening that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said late last night that ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said today that ...", SEED, "said", SEED),
    ("Putin said earlier today that ...", SEED, "said", SEED),
    ("Putin said this morning that ...", SEED, "said", SEED),
    ("This afternoon, Putin said ...", SEED, "said", SEED),
    ("Putin said tonight that ...", SEED, "said", SEED),
    ("Putin said earlier in the day that ...", SEED, "said", SEED),
    ("Putin had said the day before that ...", SEED, "said", date(2021, 3, 18)),
    ("The day before, Putin said ...", SEED, "said", date(2021, 3, 18)),
    ("Putin said the day before yesterday that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said two days ago that ...", SEED, "said", date(2021, 3, 17)),
    ("Putin said 3 days ago that ...", SEED, "said", date(2021, 3, 16)),
    ("Putin said a week ago that ...", SEED, "said", date(2021, 3, 12)),
    ("Putin said two weeks ago that ...", SEED, "said", date(2021, 3, 5)),
    ("Putin said yesterday that ...", None, "said", None),
    ("Putin said two days ago that ...", None, "said", None),
]

OLDER = [  # said before publication, day not fixed: None
    ("The Kremlin previously announced that ...", SEED, "announced", None),
    ("Putin said earlier that ...", SEED, "said", None),
    ("Putin recently said that ...", SEED, "said", None),
    ("Putin said last week that ...", SEED, "said", None),
    ("Putin said last month that ...", SEED, "said", None),
    ("Putin said last year that ...", SEED, "said", None),
    ("Putin said earlier this week that ...", SEED, "said", None),
    ("Putin said earlier this month that ...", SEED, "said", None),
    ("Earlier this year, Putin said ...", SEED, "said", None),
    ("Putin said this week that ...", SEED, "said", None),
    ("Putin said over the weekend that ...", SEED, "said", None),
    ("In the past, Putin has said ...", SEED, "said", None),
    ("Putin said in the past few days that ...", SEED, "said", None),
    ("In recent weeks, Putin has said ...", SEED, "said", None),
    ("Putin once said that ...", SEED, "said", None),
    ("At the time, Putin said ...", SEED, "said", None),
    ("Putin said in 2019 that ...", SEED, "said", None),
    ("In 2019, Putin said ...", SEED, "said", None),
    ("Since 2014, Putin has said ...", SEED, "said", None),
    ("Putin said in early 2019 that ...", SEED, "said", None),
    ("In the 1990s, Yeltsin said ...", SEED, "said", None),
    ("Putin said in March that ...", SEED, "said", None),
    ("Putin said in May that ...", SEED, "said", None),
    ("Putin said in March 2019 that ...", SEED, "said", None),
    ("Putin said in mid-March that ...", SEED, "said", None),
    ("Back in March, Putin said ...", SEED, "said", None),
    ("Back in 2019, Putin said ...", SEED, "said", None),
    ("Putin said years ago that ...", SEED, "said", None),
    ("Putin said two months ago that ...", SEED, "said", None),
    ("Putin said a few days ago that ...", SEED, "said", None),
    ("Putin said not long ago that ...", SEED, "said", None),
    ("Putin said the other day that ...", SEED, "said", None),
    ("Putin said the day before the summit that ...", SEED, "said", None),
    ("Putin said in 2019 that ...", None, "said", None),
]

PUBLICATION_DATE = [  # no time of saying in the frame: the publication date
    ("Jane Saki made it clear that ...", SEED, "made", SEED),
    ("Putin stated that ...", SEED, "stated", SEED),
    ("Putin stated that ...", None, "stated", None),
    ("", SEED, None, SEED),
    ("", None, None, None),
    ("                                        .", SEED, None, SEED),
    # Grammar is not a time word.
    ("Putin had said that ...", SEED, "said", SEED),
    # Modal "may", the noun "march", May/March without a day number.
    ("Russia may respond, Peskov said, adding that ...", SEED, "said", SEED),
    ("Russia may 5 times over respond, Peskov said.", SEED, "said", SEED),
    ("The march on the embassy, Peskov said, was ...", SEED, "said", SEED),
    ("Peskov said the May Day parade would ...", SEED, "said", SEED),
    # A year modifying a noun is not an adverbial of time.
    ("Interference in the 2020 elections, the CIA concluded, was ...", SEED, "concluded", SEED),
    ("Interference in 2020 elections, the CIA concluded, was ...", SEED, "concluded", SEED),
    ("The 2020 election report concluded that ...", SEED, "concluded", SEED),
    # Habitual, future and named days are not times of saying.
    ("Peskov briefs reporters on Mondays and said that ...", SEED, "said", SEED),
    ("Peskov said the talks would start next Thursday ...", SEED, "said", SEED),
    ("Peskov said the talks would start this coming Thursday ...", SEED, "said", SEED),
    ("Peskov said talks would resume on Monday next week ...", SEED, "said", SEED),
    ("Peskov said that ... tomorrow ...", SEED, "said", SEED),
    ("Peskov said that ... in the coming days.", SEED, "said", SEED),
    ("Peskov said that ... later this week.", SEED, "said", SEED),
    ("Peskov said, every Thursday, that ...", SEED, "said", SEED),
    ("Peskov said the Good Friday talks ...", SEED, "said", SEED),
    ("Peskov told the Sunday Times that ...", SEED, "told", SEED),
    ("Peskov told Russia Today that ...", SEED, "told", SEED),
    # "once again", "at once", "earlier than": not past-time adverbs.
    ("Putin once again said that ...", SEED, "said", SEED),
    ("Putin said at once that ...", SEED, "said", SEED),
    ("Putin said, earlier than expected, that ...", SEED, "said", SEED),
    ("The last resort, Putin said, is ...", SEED, "said", SEED),
    # Impossible dates are not dates.
    ("Putin said on February 30 that ...", SEED, "said", SEED),
    ("Putin said on March 32 that ...", SEED, "said", SEED),
    # Plain numbers and years alone.
    ("Putin said 17 times that ...", SEED, "said", SEED),
    ("Putin said 2019 was ...", SEED, "said", SEED),
]

CUE_CHOICE = [
    # The nearest expression to the cue wins; without a cue, the first.
    ("On Monday the Kremlin said that ..., and Putin added on Thursday that ...", SEED, "said", date(2021, 3, 15)),
    ("On Monday the Kremlin said that ..., and Putin added on Thursday that ...", SEED, "added", date(2021, 3, 18)),
    ("On Monday the Kremlin said that ..., and Putin added on Thursday that ...", SEED, None, date(2021, 3, 15)),
    ("The Kremlin previously said ..., but on Thursday Putin stated that ...", SEED, "stated", date(2021, 3, 18)),
    ("On Thursday, Putin said ..., as he had said in 2019 ...", SEED, 13, date(2021, 3, 18)),
    ("On Thursday, Putin said ..., as he had said in 2019 ...", SEED, 36, None),
    # A nearer expression across a semicolon loses to one in the cue's own clause.
    ("On Monday, Kremlin spokesman Dmitry Peskov said ...; Thursday ...", SEED, "said", date(2021, 3, 15)),
    # ... unless the cue's clause has none.
    ("Yesterday ...; the Kremlin said ...", SEED, "said", date(2021, 3, 18)),
    # A cue out of range is clamped rather than failing.
    ("On Thursday, Putin said that ...", SEED, 10_000, date(2021, 3, 18)),
]


@pytest.mark.parametrize(
    ("frame", "published", "cue", "expected"),
    FULL_DATES + MONTH_DAYS + WEEKDAYS + RELATIVE_DAYS + OLDER + PUBLICATION_DATE + CUE_CHOICE,
)
def test_said_on(frame, published, cue, expected):
    check(frame, published, cue, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin announced, Friday, March 19, 2021, that ...", [("Friday, March 19, 2021", "date")]),
        ("Biden said, Wednesday, March 17th, that ...", [("Wednesday, March 17th", "monthday")]),
        ("Putin said on 2021-03-17", [("2021-03-17", "date")]),
        ("On Thursday, Putin said that ...", [("Thursday", "weekday")]),
        ("Putin said last Thursday", [("last Thursday", "weekday")]),
        ("Putin said late Thursday night", [("late Thursday night", "weekday")]),
        ("Putin said earlier today", [("earlier today", "relative_day")]),
        ("Putin said two days ago", [("two days ago", "relative_day")]),
        ("Putin said earlier this week", [("earlier this week", "older")]),
        ("Putin previously said, in 2019, that", [("previously", "older"), ("in 2019", "older")]),
        ("Putin said in March 2019", [("in March 2019", "older")]),
        ("On Tuesday, a report on interference in the 2020 elections", [("Tuesday", "weekday")]),
        ("On Thursday he said talks would start next Friday", [("Thursday", "weekday")]),
        ("the White HouseOn Thursday, March 18, 2021,", [("Thursday, March 18, 2021", "date")]),
        ("Putin stated that ...", []),
        ("", []),
    ],
)
def test_find_time_expressions(text, expected):
    found = find_time_expressions(text)
    assert [(e.text, e.kind) for e in found] == expected
    for e in found:
        assert isinstance(e, TimeExpression)
        assert text[e.start : e.end] == e.text
