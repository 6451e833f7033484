"""The day a statement was made, from the time words around its reporting verb.

The pipeline hands over the statement's frame: its sentence(s) with the content
blanked out by spaces, so that "in the coming days" inside a quotation is never
read as the time of saying. Time expressions are found by regular expressions
(stdlib only: `dateparser` is slow and guesses), and resolved against the
article's publication date:

- a full date is taken as written;
- a month and day, or a weekday, name the latest such day not after publication;
- "yesterday", "two days ago" count back from publication;
- "previously", "last week", "in 2019" say the statement is older without
  fixing the day: `said_on` is then None;
- no time words at all: the publication date (DESIGN.md, `said_on`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["TimeExpression", "find_time_expressions", "said_on"]

# ---------------------------------------------------------------- vocabulary
# English usage in news reports (wire style: "said Thursday", "on March 17",
# "earlier this week", "two days ago") and the seed article
# (data/seed/kremlin-cold-war-2021-03-19.txt), a translation that sets dates off
# by commas ("announced, Friday, March 19, 2021, that") and glues words
# together where the scraper dropped a line break ("the White HouseOn Thursday").

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Phrases that place the statement before the publication day without naming
# the day. Regexes, matched case-insensitively at word boundaries.
OLDER_PHRASES = (
    r"previously",
    r"recently",
    r"lately",
    r"earlier(?!\s+than\b)",
    r"(?<!\bat\s)once(?!\s+(?:again|more|and\s+for\s+all|upon)\b)",
    r"(?:earlier\s+)?this\s+(?:week|weekend|month|year)(?!['’]s\b)",
    r"earlier\s+in\s+the\s+(?:week|month|year)",
    r"last\s+(?:week|weekend|month|year|spring|summer|autumn|fall|winter)(?!['’]s\b)",
    r"(?:over|at)\s+the\s+weekend",
    r"(?:in|over|during)\s+the\s+(?:past|last)(?:\s+(?:few|several|couple\s+of|\d+|two|three|four|five|six|ten))?"
    r"\s+(?:hours?|days?|weeks?|months?|years?|decades?)",
    r"in\s+the\s+past",
    r"in\s+recent\s+(?:days|weeks|months|years)",
    r"at\s+(?:the|that)\s+time(?!\s+of\s+writing)",
    r"back\s+(?:then|when)",
    r"back\s+in\s+the\s+(?:day|days)",
    r"the\s+other\s+day",
    r"(?:not\s+)?long\s+ago",
    r"(?:a\s+while|some\s+time|a\s+long\s+time)\s+ago",
    r"(?:(?:a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|few|several|many|some)\s+)?(?:days|weeks)\s+ago",
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a\s+few|a\s+couple\s+of|few|several|many|some)"
    r"\s+)?(?:months?|years?|decades?)\s+ago",
)

# Future or habitual phrases: never the time of saying. They are matched only so
# that the weekday inside "next Thursday" is not read as a past Thursday.
IGNORED_PHRASES = (
    r"tomorrow",
    r"next\s+(?:week|weekend|month|year|time)",
    r"later\s+this\s+(?:week|weekend|month|year)",
    r"(?:in|over|during)\s+the\s+(?:coming|next|following)(?:\s+(?:few|several|two|three|\d+))?"
    r"\s+(?:hours|days|weeks|months|years)",
)

# Words that may follow an adverbial year or "the day before" ("in 2019 that
# ...", "the day before, when ..."); any other word makes the year a modifier
# ("the 2020 elections", "in 2020 elections") or the phrase relative to an event
# ("the day before the summit").
CLAUSE_WORDS = (
    "that", "when", "while", "and", "but", "or", "as", "after", "because", "if", "where",
    "which", "who", "then", "to", "at", "in", "on", "with", "for", "by", "he", "she", "it", "they",
    "we", "i", "you",
)  # fmt: skip
# Also allowed after an adverbial year ("in 2019 the Kremlin said"), but not after
# "the day before", where they open the event it is relative to.
DETERMINERS = ("the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those")

# Words before a weekday that make it the name of an occasion, and newspapers
# named after one ("the Sunday Times reported"): neither is a time of saying.
WEEKDAY_OCCASIONS = ("good", "black", "bloody", "super", "holy", "easter", "palm", "ash", "cyber", "mail on")
WEEKDAY_NEWSPAPERS = ("Times", "Telegraph", "Express", "Mirror", "Herald", "Post")

# A month and day without a year may lie this far after publication and still be
# in the publication year (scraped publication dates lag by a day or more, and
# time zones differ); further on, it is read as last year's.
MONTHDAY_FUTURE_SLACK = timedelta(days=7)

# ---------------------------------------------------------------- patterns

_FLAGS = re.IGNORECASE
# A word start, or a lower->upper join of glued words ("HouseOn", "HouseThursday").
_START = r"(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))"
_CLAUSE_END = r"(?=\s*(?:$|[^\w\s]|(?:" + "|".join(CLAUSE_WORDS) + r")\b))"
_YEAR_END = r"(?=\s*(?:$|[^\w\s]|(?:" + "|".join(CLAUSE_WORDS + DETERMINERS) + r")\b))"
_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + ")"
_YEAR = r"(?P<y>(?:1[89]|20)\d\d)(?!\d)"
_DAY = r"(?P<d>\d{1,2})(?!\d)(?:st|nd|rd|th)?\b"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
# "may" and "march" are verbs too: only the capitalised "May" is a month, and
# either needs a day number (or, for a bare month, a preposition) next to it.
_MONTH_ALTERNATION = "|".join(sorted((m if m != "may" else "(?-i:May|MAY)" for m in MONTHS), key=len, reverse=True))
_MONTH = _START + r"(?P<m>" + _MONTH_ALTERNATION + r")\b\.?"
_FULL_MONTH = r"(?-i:" + "|".join(m.capitalize() for m in MONTH_NAMES) + ")"


def _weekday(group: str) -> str:
    occasions = "".join(rf"(?<!{w}\s)" for w in WEEKDAY_OCCASIONS)
    newspapers = r"(?!\s+(?-i:" + "|".join(WEEKDAY_NEWSPAPERS) + r")\b)"
    return _START + occasions + rf"(?P<{group}>" + "|".join(WEEKDAYS) + r")\b" + newspapers


_WEEKDAY_PREFIX = r"(?:" + _weekday("wd") + r"\s*,?\s*)?"


@dataclass(frozen=True)
class TimeExpression:
    """A time expression found in a text: `text[start:end]` and what sort it is."""

    start: int
    end: int
    text: str
    kind: str
    """ "date" | "monthday" | "weekday" | "relative_day" | "older" """


_Resolver = Callable[[date | None], date | None]
_Handler = Callable[[re.Match[str]], _Resolver | None]  # None: not a time expression after all

_IGNORED = "ignored"  # internal kind, never reported


def _never(_published: date | None) -> None:
    return None


def _full_date(match: re.Match[str]) -> _Resolver | None:
    month = match["m"]
    try:
        day = date(int(match["y"]), int(month) if month.isdigit() else MONTHS[month.lower()], int(match["d"]))
    except ValueError:
        return None
    return lambda _published: day


def _month_day(match: re.Match[str]) -> _Resolver | None:
    month, day = MONTHS[match["m"].lower()], int(match["d"])
    try:
        date(2000, month, day)  # a leap year: 29 February is a day
    except ValueError:
        return None

    def resolve(published: date | None) -> date | None:
        if published is None:
            return None
        for year in (published.year, published.year - 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate - published <= MONTHDAY_FUTURE_SLACK:
                return candidate
        return None

    return resolve


def _weekday_ref(match: re.Match[str]) -> _Resolver:
    weekday = WEEKDAYS.index(match["wd"].lower())
    modifier = (match["mod"] or "").lower()
    # "last Thursday" is never today; a plain "Thursday" in a Thursday article is.
    strict = modifier.endswith(("last", "past"))

    def resolve(published: date | None) -> date | None:
        if published is None:
            return None
        if match["lastweek"]:
            monday = published - timedelta(days=published.weekday() + 7)
            return monday + timedelta(days=weekday)
        back = (published.weekday() - weekday) % 7
        return published - timedelta(days=back or (7 if strict else 0))

    return resolve


def _days_back(days: int) -> _Resolver:
    return lambda published: None if published is None else published - timedelta(days=days)


def _ago(match: re.Match[str]) -> _Resolver:
    n = match["n"].lower()
    count = int(n) if n.isdigit() else NUMBER_WORDS[n]
    unit = match["u"].lower()
    return _days_back(count * (1 if unit.startswith("day") else 14 if unit == "fortnight" else 7))


def _fixed(days: int) -> _Handler:
    return lambda _match: _days_back(days)


def _older(_match: re.Match[str]) -> _Resolver:
    return _never


_RULES: tuple[tuple[str, str, _Handler], ...] = (
    # Full dates: ISO, "Friday, March 19, 2021", "17th of March 2021".
    ("date", r"(?<![\d-])" + _YEAR + r"-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)", _full_date),
    ("date", _WEEKDAY_PREFIX + _MONTH + r"\s*" + _DAY + r"(?:\s*,\s*|\s+)" + _YEAR, _full_date),
    (
        "date",
        _WEEKDAY_PREFIX + r"(?:the\s+)?(?<![\d.,:/])" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s*" + _YEAR,
        _full_date,
    ),
    # Month and day: "Wednesday, March 17th", "17 March", "the 17th of March".
    ("monthday", _WEEKDAY_PREFIX + _MONTH + r"\s*" + _DAY, _month_day),
    ("monthday", _WEEKDAY_PREFIX + r"(?:the\s+)?(?<![\d.,:/])" + _DAY + r"\s+(?:of\s+)?" + _MONTH, _month_day),
    # Weekdays: "Thursday", "late Thursday", "last Thursday", "Thursday of last week".
    (
        "weekday",
        r"(?:(?P<mod>(?:this\s+)?past|last|early|late|earlier|later|this)\s+(?:on\s+)?)?"
        + _weekday("wd")
        + _PART_OF_DAY
        + r"(?P<lastweek>,?\s+(?:of\s+)?last\s+week)?",
        _weekday_ref,
    ),
    (_IGNORED, r"(?:next|(?:this\s+)?coming|every)\s+" + _weekday("wd"), _older),
    (_IGNORED, _weekday("wd") + _PART_OF_DAY + r",?\s+(?:of\s+)?next\s+week", _older),
    # Days counted from publication.
    ("relative_day", r"\bthe\s+day\s+before\s+yesterday\b", _fixed(2)),
    ("relative_day", r"\b(?:(?:early|late|earlier|later)\s+)?yesterday\b" + _PART_OF_DAY, _fixed(1)),
    ("relative_day", r"\b(?:late\s+)?last\s+(?:night|evening)\b", _fixed(1)),
    ("relative_day", r"\bthe\s+(?:day\s+before|previous\s+day|preceding\s+day)" + _CLAUSE_END, _fixed(1)),
    ("relative_day", r"\b(?:(?:early|late|earlier|later)\s+)?(?<!russia\s)(?<!usa\s)today\b", _fixed(0)),
    ("relative_day", r"\b(?:earlier|later)\s+in\s+the\s+day\b", _fixed(0)),
    ("relative_day", r"\b(?:this\s+(?:morning|afternoon|evening)|tonight)\b", _fixed(0)),
    ("relative_day", r"\b" + _NUMBER + r"\s+(?P<u>days?|weeks?|fortnight)\s+ago\b", _ago),
    # Older without a day: fixed phrases, "in 2019", "since the 1990s", "in March".
    *(("older", r"\b" + phrase + r"\b", _older) for phrase in OLDER_PHRASES),
    ("older", r"\bthe\s+day\s+before\b", _older),  # before some event, not before publication
    ("older", r"\b(?:in|since|during|throughout|from)\s+(?:(?:early|late)\s+|mid-?)?" + _YEAR + _YEAR_END, _older),
    (
        "older",
        r"\b(?:in|since|during|throughout)\s+the\s+(?:(?:early|late)\s+|mid-?)?(?:1[89]|20)\d0s\b" + _YEAR_END,
        _older,
    ),
    (
        "older",
        r"\b(?:(?:back|earlier)\s+in|in|since|during|throughout|from|until|last|"
        r"(?:at\s+)?the\s+(?:end|beginning|start|middle)\s+of)\s+(?:(?:early|late)\s+|mid-?\s*)?"
        + _FULL_MONTH
        + r"\b(?:,?\s+(?:of\s+)?"
        + _YEAR
        + r")?(?![\s,]*\d)",
        _older,
    ),
    *((_IGNORED, r"\b" + phrase + r"\b", _older) for phrase in IGNORED_PHRASES),
)
_COMPILED = tuple((kind, re.compile(pattern, _FLAGS), handler) for kind, pattern, handler in _RULES)


@dataclass(frozen=True)
class _Found:
    expression: TimeExpression
    resolve: _Resolver


def _scan(text: str) -> list[_Found]:
    """Every time expression, ignored ones included; where matches overlap, the leftmost longest wins."""

    def candidates() -> Iterator[tuple[int, int, int, str, _Resolver]]:
        for order, (kind, regex, handler) in enumerate(_COMPILED):
            for match in regex.finditer(text):
                resolve = handler(match)
                if resolve is not None and match.end() > match.start():
                    yield match.start(), match.end(), order, kind, resolve

    found: list[_Found] = []
    taken_until = -1
    for start, end, _order, kind, resolve in sorted(candidates(), key=lambda c: (c[0], -c[1], c[2])):
        if start >= taken_until:
            found.append(_Found(TimeExpression(start, end, text[start:end], kind), resolve))
            taken_until = end
    return found


def find_time_expressions(text: str) -> list[TimeExpression]:
    """The time expressions in `text`, in order, future and habitual ones ("next Friday") left out."""
    return [f.expression for f in _scan(text) if f.expression.kind != _IGNORED]


def _distance(expression: TimeExpression, cue_start: int, cue_end: int) -> int:
    if expression.end <= cue_start:
        return cue_start - expression.end
    if expression.start >= cue_end:
        return expression.start - cue_end
    return 0


def said_on(frame: str, published: date | None, cue_start: int | None = None) -> date | None:
    """The day the statement in `frame` was made, or None when the text says it is older without the day.

    `frame` holds the statement's sentence(s) with the content blanked out by spaces;
    `cue_start` is the offset of the reporting verb. The time expression nearest the
    cue wins, one in the same clause (no semicolon between) before any other; without
    a cue, the first. No time expression at all: the publication date.
    """
    if isinstance(published, datetime):
        published = published.date()
    found = [f for f in _scan(frame) if f.expression.kind != _IGNORED]
    if not found:
        return published
    if cue_start is None:
        return found[0].resolve(published)

    cue_start = max(0, min(cue_start, len(frame)))
    word = re.match(r"\w+", frame[cue_start:])
    cue_end = cue_start + (word.end() if word else 0)

    def rank(f: _Found) -> tuple[bool, int]:
        e = f.expression
        between = frame[min(e.end, cue_start) : max(e.start, cue_end)]
        return ";" in between, _distance(e, cue_start, cue_end)

    return min(found, key=rank).resolve(published)
