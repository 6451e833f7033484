"""Plain-text preparation shared by every input format.

Finds what a text says about itself without changing its characters: the
title line, `Name: Value` header lines, section headings, the publication date
in a dateline, the language, and the site boilerplate trailing after the body.
Only that trailing boilerplate is ever cut, and invisible characters become spaces
(`blank_invisible`), so offsets into the result are offsets into what the user gave.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# ---------------------------------------------------------------- invisible characters

# Characters that draw nothing but change how text reads or parses: NUL and the other C0/C1
# controls (except tab, line ends and form feed), the soft hyphen, zero-width space, the
# left-to-right/right-to-left marks, the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069, the "Trojan Source" characters, CVE-2021-42574, which can make a shown
# statement read differently from its stored text), the word joiner and invisible operators,
# and a byte-order mark inside the text. Glued to a word they hide it from the parser
# ("\u202eLavrov said" was not a statement). Each becomes a space, not nothing: offsets into the
# text must stay offsets into the file (gold spans, e.g. 18 PolNeAR files hold one). Zero-width
# joiner and non-joiner stay: emoji sequences and Persian or Indic words need them.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def blank_invisible(text: str) -> str:
    """`text` with each character of _INVISIBLE_RE replaced by a space (same length, same offsets)."""
    return _INVISIBLE_RE.sub(" ", text)


# ---------------------------------------------------------------- boilerplate

# Lines that web scrapers leave after the article body (WordPress themes, share
# widgets, comment forms). Matched against a whole stripped line, case-insensitively,
# and only in the trailing run of lines, so an article that quotes "Print" mid-text
# keeps it. Collected from the seed article and common WordPress/news templates.
_BOILERPLATE_LINES = (
    r"source link",
    r"source:? link",
    r"leave a (reply|comment)",
    r"cancel reply",
    r"your email address will not be published\.?.*",
    r"required fields are marked \*?.*",
    r"back to top( button)?",
    r"(share|tweet|email|print|pin)( (this|it))?( (article|story|post|page))?:?",
    r"share (on|via|to) \w+.*",
    r"click to (share|print|email).*",
    r"(share|follow) us on .*",
    r"follow us:?",
    r"subscribe( (now|today|to our newsletter))?\.?",
    r"sign up for (our|the) .*newsletter.*",
    r"(related|recommended|more)( (posts|articles|stories|news))?:?",
    r"(read|see) (more|also):?",
    r"also read:?",
    r"like this:?",
    r"loading\.\.\.",
    r"advertisement",
    r"comments?( \(\d+\))?",
    r"(tags?|categories|filed under):.*",
    r"(©|\(c\)|copyright) .*",
    r"all rights reserved\.?",
    r"(facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|pinterest)",
)
_BOILERPLATE_RE = re.compile("^(?:" + "|".join(_BOILERPLATE_LINES) + ")$", re.IGNORECASE)


def strip_trailing_boilerplate(text: str) -> str:
    """Cut the run of blank and boilerplate lines at the end of `text`.

    Returns a prefix of `text` (trailing whitespace removed), so offsets are kept.
    """
    end = len(text)
    while True:
        body = text[:end].rstrip()
        cut = max(body.rfind("\n"), body.rfind("\r")) + 1
        last = body[cut:].strip()
        if not last or not _BOILERPLATE_RE.match(last):
            return body
        end = cut


def article_body(text: str) -> str:
    """What an article's text is taken to be: invisible characters blanked and trailing site
    boilerplate cut, so every offset into it is an offset into `text`. Empty when nothing is left."""
    return strip_trailing_boilerplate(blank_invisible(text))


# ------------------------------------------------------------------- headers

# Keys of `Name: Value` lines that open transcripts and speech files (the
# us-presidential corpus starts with "President: NAME"). A known set, so that a
# headline such as "Kremlin: we are preparing for the worst" stays the title.
_HEADER_KEYS = {
    "president": "speaker",
    "speaker": "speaker",
    "title": "title",
    "headline": "title",
    "date": "published",
    "published": "published",
    "source": "source",
    "publisher": "source",
    "author": "author",
    "by": "author",
    "byline": "author",
    "url": "url",
    "link": "url",
    "location": None,
    "place": None,
    "event": None,
    "occasion": None,
    "type": None,
}
_HEADER_RE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]+(\S[^\n]{0,300}?)[ \t]*$")

# A title longer than this is a paragraph, not a title (longest seed/PolNeAR titles are ~150).
MAX_TITLE_CHARS = 200
# Section headings: short standalone lines without closing punctuation.
MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 12
_HEADING_END_PUNCT = tuple(".!?,;:…\"'”’)]»-–—")
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S")
# "THE PRESIDENT: Thank you." / "Q Thank you" open a turn in a transcript, not a title.
_TURN_RE = re.compile(r"^(?:[A-Z][A-Z .'-]{1,40}:|Q[ \t.:])")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    """End of the line's text, without the line break."""
    text: str


def split_lines(text: str) -> list[Line]:
    """Lines of `text` with their offsets; handles LF, CRLF and lone CR."""
    lines = []
    start = 0
    for match in _LINE_BREAK_RE.finditer(text):
        lines.append(Line(start, match.start(), text[start : match.start()]))
        start = match.end()
    if start < len(text):
        lines.append(Line(start, len(text), text[start:]))
    return lines


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class TextLayout:
    title: str | None
    title_span: tuple[int, int] | None
    meta: dict[str, str]
    """Values from leading header lines, keyed by field (speaker, title, published, ...)."""
    headings: tuple[tuple[int, int], ...]
    """Spans of the title line, header lines and section headings."""


def _strip_span(line: Line) -> tuple[int, int]:
    left = len(line.text) - len(line.text.lstrip())
    right = len(line.text.rstrip())
    return line.start + left, line.start + right


def _without_trailing_symbols(text: str) -> str:
    """`text` without the emoji and other symbols (and their joiners, variation selectors and
    skin-tone modifiers) after its last word: "... made a grave mistake. 😡" ends with a full stop."""
    end = len(text)
    while end and (
        text[end - 1].isspace()
        or text[end - 1] in "\u200d\ufe0e\ufe0f"
        or unicodedata.category(text[end - 1]) in ("So", "Sk", "Cs", "Mn")
    ):
        end -= 1
    return text[:end]


def _looks_like_heading(stripped: str) -> bool:
    if not 2 <= len(stripped) <= MAX_HEADING_CHARS:
        return False
    if len(stripped.split()) > MAX_HEADING_WORDS or _without_trailing_symbols(stripped).endswith(_HEADING_END_PUNCT):
        return False
    first = stripped[0]
    return (first.isupper() or first.isdigit()) and any(c.isalpha() for c in stripped)


def find_layout(text: str, *, want_title: bool, guess_headings: bool) -> TextLayout:
    """Header lines, title line and section headings of a plain text.

    want_title: take the first non-empty line (after header lines) as the title
    when it is short enough and does not open a transcript turn.
    guess_headings: mark short standalone unpunctuated lines (and Markdown `#`
    lines) as headings; off for formats whose headings are known from markup.
    """
    lines = split_lines(text)
    meta: dict[str, str] = {}
    headings: list[tuple[int, int]] = []
    index = 0
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    while index < len(lines):
        match = _HEADER_RE.match(lines[index].text)
        key = match.group(1).strip().lower() if match else None
        if key not in _HEADER_KEYS:
            break
        field = _HEADER_KEYS[key]
        if field and field not in meta:
            meta[field] = match.group(2).strip()
        headings.append(_strip_span(lines[index]))
        index += 1
        while index < len(lines) and not lines[index].text.strip():
            index += 1

    title = None
    title_span = None
    if index < len(lines):
        first = lines[index]
        stripped = first.text.strip()
        declared = meta.get("title")
        md_title = stripped.lstrip("#").strip() if _MD_HEADING_RE.match(first.text) else None
        if declared is not None:
            if stripped.casefold() == declared.casefold():
                title_span = _strip_span(first)
        elif (
            want_title
            and len(stripped) <= MAX_TITLE_CHARS
            and not _TURN_RE.match(stripped)
            and not stripped.endswith(".")
            and any(line.text.strip() for line in lines[index + 1 :])
        ):
            # A lone paragraph, or a first line that ends like a sentence, is body text.
            title = md_title or stripped
            title_span = _strip_span(first)
        if title_span:
            headings.append(title_span)
            index += 1

    if guess_headings:
        headings.extend(_guess_headings(lines, index))
    return TextLayout(title, title_span, meta, tuple(sorted(set(headings))))


# In text without blank lines (PDF text layers, some pastes) a heading is a line
# well short of the body's usual line, between a finished sentence and a capital.
COMPACT_HEADING_SHARE = 0.6
_SENTENCE_END = tuple('.!?:"”’')


def _guess_headings(lines: list[Line], first: int) -> list[tuple[int, int]]:
    body = lines[first:]
    blank_separated = any(not line.text.strip() for line in body)
    lengths = sorted(len(line.text.strip()) for line in body if line.text.strip())
    typical = lengths[len(lengths) // 2] if lengths else 0
    found = []
    for position in range(first, len(lines)):
        stripped = lines[position].text.strip()
        if not stripped:
            continue
        if _MD_HEADING_RE.match(lines[position].text):
            found.append(_strip_span(lines[position]))
            continue
        if not _looks_like_heading(stripped):
            continue
        before = lines[position - 1].text.strip() if position > 0 else ""
        after = lines[position + 1].text.strip() if position + 1 < len(lines) else ""
        if blank_separated:
            standalone = not before and not after
        else:
            standalone = (
                len(stripped) < COMPACT_HEADING_SHARE * typical
                and (not before or before.endswith(_SENTENCE_END))
                and (not after or after[0].isupper())
            )
        if standalone:
            found.append(_strip_span(lines[position]))
    return found


# --------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RES = (
    # "March 19, 2021", "Friday, March 19, 2021", "Mar. 19 2021", "March 17th, 2021"
    re.compile(
        rf"\b(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    # "19 March 2021", "19th of March, 2021"
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    ),
    # ISO "2021-03-19"
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)
# A dateline sits near the top; a full date deep in the body is usually an older event.
DATELINE_WINDOW = 3000


def _to_date(year: str, month: str, day: str) -> date | None:
    month_number = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every full date (day, month and year) written in `text`, with its offset, in order."""
    found = []
    for pattern in _DATE_RES:
        for match in pattern.finditer(text):
            value = _to_date(match["year"], match["month"], match["day"])
            if value:
                found.append((match.start(), value))
    return sorted(found, key=lambda item: item[0])


def find_dateline(text: str) -> date | None:
    """The first full date near the top of `text`, taken as its publication date."""
    dates = find_dates(text[:DATELINE_WINDOW])
    return dates[0][1] if dates else None


_FILENAME_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]([01]\d)[-_.]([0-3]\d)(?!\d)")


def date_from_filename(name: str) -> date | None:
    """A date written as YYYY-MM-DD in a file name, as scrapers and archives name files."""
    match = _FILENAME_DATE_RE.search(name)
    return _to_date(*match.groups()) if match else None


def title_from_filename(name: str) -> str | None:
    """'2009-01-12-final-press-conference.txt' -> 'Final press conference'."""
    stem = name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _FILENAME_DATE_RE.sub(" ", stem)
    words = re.sub(r"[-_]+", " ", stem).split()
    if not words:
        return None
    phrase = " ".join(words)
    return phrase[0].upper() + phrase[1:]


def parse_date(value: object) -> date | None:
    """A date from a metadata value: a date, an ISO string, or a written date.

    Returns None when the value holds no full date.
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # datetime -> date
    raw = str(value).strip()
    if not raw:
        return None
    iso = re.match(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)", raw)
    if iso:
        return _to_date(*iso.groups())
    written = find_dates(raw)
    if written:
        return written[0][1]
    import dateparser  # imported here: only odd metadata formats need it

    parsed = dateparser.parse(
        raw,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
    )
    return parsed.date() if parsed else None


# ------------------------------------------------------------------ language

# Fewer letters than this and language identification is a guess (langid.py's
# own evaluation degrades sharply below ~20 characters).
MIN_LETTERS_FOR_LANGUAGE = 20
# How much text the identifier reads: the opening paragraphs settle it.
LANGUAGE_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _language_identifier():  # noqa: ANN202 - third-party type
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there is too little text."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS_FOR_LANGUAGE:
        return "und"
    code, _probability = _language_identifier().classify(sample)
    return str(code)
