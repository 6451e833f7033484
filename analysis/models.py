"""Typed records passed between the stages of the pipeline.

Field names are a contract (see DESIGN.md): the store's columns, the CLI's
JSON/CSV columns and the dashboard all use them as written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """One article, transcript or speech as ingested.

    Offsets anywhere else in the pipeline are integer indexes into `text`.
    """

    id: str
    """sha256 hex of `text` with runs of whitespace collapsed to one space."""
    title: str | None
    published: date | None
    source: str | None
    url: str | None
    author: str | None
    origin: str
    """File name (inside an archive: "a.zip/b.txt"), URL, or "pasted text"."""
    text: str
    speaker: str | None
    """Declared first-person speaker (speech, press release), else None."""
    language: str
    """ISO 639-1 code detected from the text ("en", "ru", ...); "und" when unknown."""
    headings: tuple[tuple[int, int], ...] = ()
    """Spans of the title, header lines and section headings in `text`: never statements."""


@dataclass(frozen=True)
class IngestProblem:
    """A record or archive entry that could not be read, while the rest of its file was."""

    origin: str
    """The file (or URL) the record came from."""
    record: str
    """Which record: "line 3", "record 2", "row 5", or an archive entry name."""
    reason: str


@dataclass(frozen=True)
class IngestReport:
    articles: list[Article] = field(default_factory=list)
    problems: list[IngestProblem] = field(default_factory=list)


@dataclass(frozen=True)
class Statement:
    """One statement found in an article: what was said, by whom, about whom, when, and its tone."""

    content_start: int
    content_end: int
    source_start: int | None
    source_end: int | None
    cue: str
    kind: str
    """ "direct" | "reported" | "mixed" | "speech" | "question" """
    speaker: str | None
    speaker_side: str | None
    resolution: str
    """ "name" | "alias" | "role" | "pronoun" | "turn" | "declared" | "unknown" """
    targets: tuple[str, ...]
    target_sides: tuple[str | None, ...]
    target_tones: tuple[float, ...]
    said_on: date | None
    tone: float
    tone_label: str
    stance: float
    mixed_signals: bool
    drivers: tuple[tuple[int, int, float], ...]


@dataclass(frozen=True)
class ArticleAnalysis:
    article: Article
    statements: list[Statement]
    unresolved: list[str]
    limits: tuple[str, ...] = ()
    """What a documented limit left out of this analysis (see `analysis.pipeline`'s MAX_ constants),
    one sentence each for the user, e.g. "only the first 1,000,000 characters were analysed"; empty
    when the whole text was analysed."""
