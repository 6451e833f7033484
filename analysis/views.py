"""What the dashboard shows, computed without Streamlit: the corpus as one frame, the sidebar's
filters applied to it, the headline figures, the statements behind a picked chart mark, an article
with its statements highlighted (as escaped HTML), the speakers nobody could place, adding inputs
to the store, and the data exports. `dashboard.py` draws these; every number comes from here or
from `aggregate`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import aggregate, export
from .ingest import IngestError, load_bytes_report, load_text, load_url_report
from .models import IngestReport

if TYPE_CHECKING:
    from .store import Store

# ------------------------------------------------------------------ constants

DEFAULT_DYAD: tuple[str, str] = ("USA", "RUS")
"""The dyad the dashboard opens on (DESIGN.md: "the dashboard opens on USA vs RUS")."""

KINDS: tuple[str, ...] = ("direct", "reported", "mixed", "speech", "question")
"""Statement.kind values (DESIGN.md)."""

DEFAULT_KINDS: tuple[str, ...] = tuple(kind for kind in KINDS if kind != aggregate.QUESTION_KIND)
"""Journalists' questions are not a side's rhetoric: off until asked for (as in `aggregate`)."""

ENGLISH = "en"
"""The one language the tone scorers read: VADER's lexicon and the model's training data are English."""

NO_SOURCE = "(no source)"
"""How the source filter names articles whose source is unknown."""

RESOLUTIONS: dict[str, str] = {
    "name": "the mention is the actor's name in the registry (data/actors.csv)",
    "alias": "the mention is a registered alias or spelling variant of the actor",
    "role": 'a role phrase ("the Russian president") matched the actor who held that role on the article\'s date',
    "pronoun": "a pronoun, resolved to the most recent compatible speaker before it",
    "turn": 'a speaker label of a transcript turn ("THE PRESIDENT:", "Q")',
    "declared": "the speaker the document declares (a speech or a statement with a speaker header)",
    "unknown": "the registry does not know the mention: it is kept as written, with a side only where the "
    "text states one",
}
"""How a statement's speaker was found (Statement.resolution), in words for the drill-down view."""

ARTICLE_CSS = (
    ".tn-article{white-space:pre-wrap;line-height:1.65;font-size:0.95rem;overflow-wrap:anywhere}"
    ".tn-st{background:#fff3bf;border-bottom:1px solid #e8c547}"
    ".tn-sel{background:#ffe066;outline:2px solid #f08c00;border-radius:2px}"
    ".tn-src{text-decoration:underline;text-decoration-thickness:2px;font-weight:600}"
    ".tn-neg{background:#ffa8a8}.tn-pos{background:#91c9ff}"
)
"""Styles of the highlighted article: statements pale yellow, the selected one stronger, its speaker
mention underlined, the words that drove its tone red (toward hostile) or blue (toward friendly),
matching the charts' red-blue tone scale."""


# ------------------------------------------------------------------ filters


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices. Empty `speakers` / `sources` mean all of them."""

    dyad: tuple[str, str] | None = DEFAULT_DYAD
    """Both directions of this pair of sides; None = every side."""
    since: date | None = None
    until: date | None = None
    speakers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = DEFAULT_KINDS
    min_count: int = 1
    """Timeline points with fewer statements than this are left out."""
    freq: str = "W"
    date_basis: str = "published"
    other_languages: bool = False
    """Keep statements of articles not in English (their tone is noise: see ENGLISH)."""

    def __post_init__(self) -> None:
        if self.freq not in aggregate.FREQUENCIES:
            raise ValueError(f"freq must be one of {aggregate.FREQUENCIES}, not {self.freq!r}")
        if self.date_basis not in aggregate.DATE_BASES:
            raise ValueError(f"date_basis must be one of {aggregate.DATE_BASES}, not {self.date_basis!r}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"the date range starts ({self.since}) after it ends ({self.until})")

    def pairs(self) -> list[tuple[str, str]] | None:
        """The (speaker side, target side) pairs charted; None = all."""
        if self.dyad is None:
            return None
        first, second = self.dyad
        return [(first, second), (second, first)]

    def describe(self) -> dict[str, Any]:
        """The filters as plain JSON values, for exports ("every export carries the filters")."""
        return {
            "dyad": "-".join(self.dyad) if self.dyad else "all",
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "speakers": list(self.speakers),
            "sources": list(self.sources),
            "kinds": list(self.kinds),
            "min_count": self.min_count,
            "period": self.freq,
            "date_basis": self.date_basis,
            "other_languages": self.other_languages,
        }

    def text(self) -> str:
        """One line for chart subtitles: only what differs from showing everything."""
        parts = [f"dyad {'↔'.join(self.dyad)}" if self.dyad else "all sides"]
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        if self.speakers:
            parts.append(f"speakers: {', '.join(self.speakers)}")
        if self.sources:
            parts.append(f"sources: {', '.join(self.sources)}")
        parts.append(f"kinds: {', '.join(self.kinds) or 'none'}")
        if self.min_count > 1:
            parts.append(f"≥ {self.min_count} statements per point")
        parts.append(f"dated by {'day said' if self.date_basis == 'said_on' else 'publication'}")
        if self.other_languages:
            parts.append("all languages")
        return "; ".join(parts)


# ------------------------------------------------------------------ the corpus as a frame


def store_token(path: str | Path) -> tuple[int, ...]:
    """Changes whenever the store file changes: size and modification time of the database and of
    its write-ahead log (every committed write lands in one of them). A cache key for frames."""
    token: list[int] = []
    for suffix in ("", "-wal"):
        try:
            status = Path(f"{path}{suffix}").stat()
        except OSError:
            token += [-1, -1]
        else:
            token += [status.st_mtime_ns, status.st_size]
    return tuple(token)


CORPUS_EXTRA_COLUMNS: tuple[str, ...] = ("content", "origin", "language", "scorer", "analysis_version", "date")


def corpus_frame(corpus: Store) -> pd.DataFrame:
    """Every stored statement (`Store.statements()` columns) with its text (`content`), its
    article's origin, language, tone scorer and analysis version, and `date` (said_on, else the
    publication date, else None). Read-only by contract: filtered results are cached on it."""
    frame = corpus.statements()
    articles = {row["id"]: row for row in corpus.articles()}
    texts: dict[str, str] = {}
    contents: list[str] = []
    for article_id, start, end in zip(frame["article_id"], frame["content_start"], frame["content_end"], strict=True):
        if article_id not in texts:
            stored = corpus.article(article_id)
            texts[article_id] = stored.text if stored is not None else ""
        contents.append(texts[article_id][int(start) : int(end)])
    frame["content"] = pd.Series(contents, index=frame.index, dtype=object)
    for column in ("origin", "language", "scorer", "analysis_version"):
        frame[column] = pd.Series(
            [articles.get(article_id, {}).get(column) for article_id in frame["article_id"]],
            index=frame.index,
            dtype=object,
        )
    frame["date"] = pd.Series(
        [said if said is not None else pub for said, pub in zip(frame["said_on"], frame["published"], strict=True)],
        index=frame.index,
        dtype=object,
    )
    frame.attrs[_CORPUS_MARK] = True
    return frame


def _placing(frame: pd.DataFrame, date_basis: str) -> pd.Series:
    """The date that places each statement for the date filter, as the timeline places it."""
    if date_basis == "said_on":
        return frame["date"]
    return frame["published"]


# The last few apply_filters results on corpus frames (made by corpus_frame, read-only by
# contract), by (the frame's identity, filters, dates). A dashboard rerun asks for the same
# filtered frame from the headline, the timeline and the tables (each copy of a 57,000-row frame
# took 40 ms). The frame itself is kept so its id cannot be reused by another. Frames built
# elsewhere, which a caller may change in place, are never cached.
_FILTERED: dict[tuple[int, Filters, bool], tuple[pd.DataFrame, pd.DataFrame]] = {}
_FILTERED_SIZE = 8
_CORPUS_MARK = "tension_corpus_frame"


def apply_filters(frame: pd.DataFrame, filters: Filters, dates: bool = True) -> pd.DataFrame:
    """The statements the filters keep: language, kinds, speakers, sources, the dyad's speakers and
    (with `dates`) the date range, on the same date the timeline places them by. Undated statements
    drop out once a date bound is set: nothing says they belong in the range.

    On a corpus frame (`corpus_frame`) the result is shared with later calls: treat both as
    read-only."""
    if frame.empty:
        return frame
    if not frame.attrs.get(_CORPUS_MARK):
        return _filtered(frame, filters, dates)
    key = (id(frame), filters, dates)
    cached = _FILTERED.get(key)
    if cached is not None and cached[0] is frame:
        return cached[1]
    chosen = _filtered(frame, filters, dates)
    chosen.attrs.pop(_CORPUS_MARK, None)  # pandas copies attrs to derived frames: a subset is not cached on
    if len(_FILTERED) >= _FILTERED_SIZE:
        _FILTERED.pop(next(iter(_FILTERED)))
    _FILTERED[key] = (frame, chosen)
    return chosen


def _filtered(frame: pd.DataFrame, filters: Filters, dates: bool) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if not filters.other_languages:
        keep &= frame["language"] == ENGLISH
    keep &= frame["kind"].isin(filters.kinds)
    if filters.speakers:
        keep &= frame["speaker"].isin(filters.speakers)
    if filters.sources:
        sources = [source if isinstance(source, str) else NO_SOURCE for source in frame["source"]]
        keep &= pd.Series(sources, index=frame.index).isin(filters.sources)
    if filters.dyad is not None:
        keep &= frame["speaker_side"].isin(filters.dyad)
    if dates and (filters.since or filters.until):
        placed = _placing(frame, filters.date_basis)
        low, high = filters.since or date.min, filters.until or date.max
        keep &= pd.Series([d is not None and low <= d <= high for d in placed], index=frame.index)
    return frame[keep]


def options(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Choices for the sidebar: sides (speakers' and targets'), speakers and sources, sorted."""
    sides = {side for side in frame["speaker_side"] if isinstance(side, str)}
    sides |= {side for sides_ in frame["target_sides"] for side in sides_ if isinstance(side, str)}
    return {
        "sides": sorted(sides | set(DEFAULT_DYAD)),
        "speakers": sorted({s for s in frame["speaker"] if isinstance(s, str)}, key=str.casefold),
        "sources": sorted({s if isinstance(s, str) else NO_SOURCE for s in frame["source"]}, key=str.casefold),
    }


def date_span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The first and last date any statement is placed on (said_on or publication), if any."""
    dated = [d for d in frame["date"] if isinstance(d, date)]
    return (min(dated), max(dated)) if dated else None


# ------------------------------------------------------------------ headline figures


@dataclass(frozen=True)
class DyadFigure:
    speaker_side: str
    target_side: str
    mean: float | None
    """Mean tone toward the target side in the period (None: no statement)."""
    count: int
    previous: float | None
    """The same in the previous period."""

    @property
    def change(self) -> float | None:
        return None if self.mean is None or self.previous is None else self.mean - self.previous


@dataclass(frozen=True)
class Headline:
    articles: int
    statements: int
    speakers: int
    period: str
    """What "the selected period" is, in words."""
    previous_period: str
    dyads: tuple[DyadFigure, ...] = field(default_factory=tuple)
    other_languages: int = 0
    """Articles not in English whose statements the filters leave out (0 when they are included)."""


def _window(frame: pd.DataFrame, filters: Filters) -> tuple[date, date, date, date, str, str] | None:
    """The selected period and the one before it: the date range and one as long just before it, or
    without a range the latest calendar period (of the timeline's frequency) that has statements."""
    placed = [d for d in _placing(frame, filters.date_basis) if isinstance(d, date)]
    if filters.since or filters.until:
        start = filters.since or (min(placed) if placed else date.min)
        end = filters.until or (max(placed) if placed else date.max)
        if start in (date.min,) or end in (date.max,):
            return None
        length = (end - start).days + 1
        before_start, before_end = start - timedelta(days=length), start - timedelta(days=1)
        return start, end, before_start, before_end, f"{start} to {end}", f"{before_start} to {before_end}"
    if not placed:
        return None
    freq = "M" if filters.freq == "article" else filters.freq
    period = pd.Period(max(placed), freq=freq)
    before = period - 1
    names = {"D": "day", "W": "week", "M": "month"}
    return (
        period.start_time.date(),
        period.end_time.date(),
        before.start_time.date(),
        before.end_time.date(),
        f"latest {names[freq]} ({period})",
        f"the {names[freq]} before ({before})",
    )


def _side_mean(frame: pd.DataFrame, speaker_side: str, target_side: str) -> tuple[float | None, int]:
    if frame.empty:
        return None, 0
    cells = aggregate.matrix(frame, level="side", include_questions=True)
    row = cells[(cells["speaker"] == speaker_side) & (cells["target"] == target_side)]
    if row.empty:
        return None, 0
    return float(row["mean"].iloc[0]), int(row["count"].iloc[0])


def headline(frame: pd.DataFrame, filters: Filters) -> Headline:
    """Counts of the filtered statements, and the mean tone of each direction of the dyad in the
    selected period with its change from the previous period. `frame`: the corpus frame."""
    chosen = apply_filters(frame, filters)
    undated = apply_filters(frame, filters, dates=False)
    window = _window(undated, filters)
    figures: list[DyadFigure] = []
    period_text, previous_text = "all dates", "none"
    if window is not None:
        start, end, before_start, before_end, period_text, previous_text = window
        placed = _placing(undated, filters.date_basis)
        inside = undated[[isinstance(d, date) and start <= d <= end for d in placed]]
        before = undated[[isinstance(d, date) and before_start <= d <= before_end for d in placed]]
        for speaker_side, target_side in filters.pairs() or []:
            mean, count = _side_mean(inside, speaker_side, target_side)
            previous, _ = _side_mean(before, speaker_side, target_side)
            figures.append(DyadFigure(speaker_side, target_side, mean, count, previous))
    return Headline(
        articles=int(chosen["article_id"].nunique()) if len(chosen) else 0,
        statements=len(chosen),
        speakers=int(chosen["speaker"].dropna().nunique()) if len(chosen) else 0,
        period=period_text,
        previous_period=previous_text,
        dyads=tuple(figures),
        other_languages=0
        if filters.other_languages or frame.empty
        else int(frame.loc[frame["language"] != ENGLISH, "article_id"].nunique()),
    )


# ------------------------------------------------------------------ timeline, actors, matrix


def timeline_frame(frame: pd.DataFrame, filters: Filters) -> tuple[pd.DataFrame, dict[tuple[str, str], list[Any]]]:
    """The timeline's points (`aggregate.dyad_tone` rows of the charted pairs with at least
    `min_count` statements) and the shifts found in each pair's series."""
    chosen = apply_filters(frame, filters)
    if chosen.empty:
        return aggregate.dyad_tone(chosen), {}
    dyads = aggregate.dyad_tone(
        chosen, freq=filters.freq, date_basis=filters.date_basis, include_questions=True, pairs=filters.pairs()
    )
    dyads = dyads[dyads["target_side"] != aggregate.ALL_TARGETS]  # with every pair charted (pairs None)
    dyads = dyads[dyads["count"] >= filters.min_count].reset_index(drop=True)
    found: dict[tuple[str, str], list[Any]] = {}
    if filters.freq != "article":  # articles are not evenly spaced in time: no change points across them
        for (speaker_side, target_side), series in dyads.groupby(["speaker_side", "target_side"], sort=True):
            found[(str(speaker_side), str(target_side))] = aggregate.shifts(series)
    return dyads, found


def _addresses(frame: pd.DataFrame, side: str) -> pd.Series:
    return pd.Series([side in sides for sides in frame["target_sides"]], index=frame.index, dtype=bool)


def picked_point(frame: pd.DataFrame, filters: Filters, dyad: str, period: str) -> pd.DataFrame:
    """The statements behind a timeline point: dyad "USA→RUS" and its period label."""
    chosen = apply_filters(frame, filters)
    speaker_side, _, target_side = dyad.partition("→")
    if chosen.empty or not target_side:
        return chosen.iloc[0:0]
    mine = chosen[(chosen["speaker_side"] == speaker_side) & _addresses(chosen, target_side)]
    if mine.empty:
        return mine
    periods = aggregate.period_of(mine, filters.freq, filters.date_basis)
    return mine[periods == period]


def picked_cell(frame: pd.DataFrame, filters: Filters, level: str, speaker: str, target: str) -> pd.DataFrame:
    """The statements behind a heatmap cell: speaker (side or actor) toward target (side or actor)."""
    chosen = apply_filters(frame, filters)
    if chosen.empty:
        return chosen
    if level == "side":
        return chosen[(chosen["speaker_side"] == speaker) & _addresses(chosen, target)]
    named = pd.Series([target in targets for targets in chosen["targets"]], index=chosen.index, dtype=bool)
    return chosen[(chosen["speaker"] == speaker) & named]


def top_matrix(frame: pd.DataFrame, filters: Filters, level: str, limit: int = 20) -> pd.DataFrame:
    """`aggregate.matrix` of the filtered statements; at actor level only the `limit` speakers and
    targets with most statements, so the heatmap stays legible."""
    chosen = apply_filters(frame, filters)
    cells = aggregate.matrix(chosen, level=level, include_questions=True)
    if level == "side" or cells.empty:
        return cells
    speakers = cells.groupby("speaker")["count"].sum().nlargest(limit).index
    targets = cells.groupby("target")["count"].sum().nlargest(limit).index
    return cells[cells["speaker"].isin(speakers) & cells["target"].isin(targets)].reset_index(drop=True)


def actors(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """`aggregate.actor_tone` of the filtered statements."""
    return aggregate.actor_tone(apply_filters(frame, filters), include_questions=True)


# ------------------------------------------------------------------ statements and articles


TABLE_COLUMNS: tuple[str, ...] = (
    "date",
    "speaker",
    "side",
    "targets",
    "kind",
    "tone",
    "label",
    "stance",
    "text",
    "article",
)


def search(frame: pd.DataFrame, query: str) -> pd.DataFrame:
    """Statements whose text, speaker, targets or article title contain `query` (case-insensitive)."""
    needle = query.strip().casefold()
    if not needle or frame.empty:
        return frame
    hits = [
        needle in " ".join(str(part) for part in (content, speaker or "", " ".join(targets), title or "")).casefold()
        for content, speaker, targets, title in zip(
            frame["content"], frame["speaker"], frame["targets"], frame["title"], strict=True
        )
    ]
    return frame[hits]


def statement_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The statements table's columns (same row order and index as `frame`)."""
    targets = [
        ", ".join(f"{name} ({side or '?'}) {value:+.2f}" for name, side, value in zip(n, s, v, strict=True))
        for n, s, v in zip(frame["targets"], frame["target_sides"], frame["target_tones"], strict=True)
    ]
    return pd.DataFrame(
        {
            "date": frame["date"],
            "speaker": frame["speaker"],
            "side": frame["speaker_side"],
            "targets": pd.Series(targets, index=frame.index, dtype=object),
            "kind": frame["kind"],
            "tone": frame["tone"].astype("float64"),
            "label": frame["tone_label"],
            "stance": frame["stance"].astype("float64"),
            "text": frame["content"],
            "article": [
                title if isinstance(title, str) else origin
                for title, origin in zip(frame["title"], frame["origin"], strict=True)
            ],
        },
        index=frame.index,
        columns=list(TABLE_COLUMNS),
    )


def articles_table(corpus: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored articles (in the order added) with their statement count and mean tone."""
    rows = corpus.articles()
    means = frame.groupby("article_id")["tone"].mean() if len(frame) else pd.Series(dtype="float64")
    return pd.DataFrame(
        {
            "title": [row["title"] or row["origin"] for row in rows],
            "published": [row["published"] for row in rows],
            "source": [row["source"] for row in rows],
            "language": [row["language"] for row in rows],
            "statements": pd.Series([row["statements"] for row in rows], dtype="int64"),
            "mean tone": pd.Series([means.get(row["id"]) for row in rows], dtype="float64"),
            "scorer": [row.get("scorer") for row in rows],
            "view": [f"?article={row['id']}" for row in rows],
            "id": [row["id"] for row in rows],
        }
    )


def unresolved(frame: pd.DataFrame) -> pd.DataFrame:
    """Speaker mentions the registry could not place (resolution "unknown"), most frequent first:
    mention, side (stated in the text, if at all), statements, articles, an example statement."""
    columns = ["mention", "side", "statements", "articles", "example"]
    rows = frame[frame["resolution"] == "unknown"] if len(frame) else frame
    if rows.empty:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns})
    table = []
    for mention, group in rows.groupby(rows["speaker"].fillna("(no mention)"), sort=False):
        sides = sorted({side for side in group["speaker_side"] if isinstance(side, str)})
        table.append(
            {
                "mention": mention,
                "side": ", ".join(sides) or None,
                "statements": len(group),
                "articles": int(group["article_id"].nunique()),
                "example": str(group["content"].iloc[0])[:300],
            }
        )
    result = pd.DataFrame(table, columns=columns)
    return result.sort_values(["statements", "mention"], ascending=[False, True], kind="stable").reset_index(drop=True)


def article_html(
    text: str,
    statements: pd.DataFrame,
    selected: int | None = None,
) -> str:
    """The article as HTML with each statement's span highlighted, the selected one (a row label
    of `statements`) emphasised with its speaker mention underlined and its tone drivers coloured.

    Every character of `text` goes through `html.escape`: markup in an article shows as written.
    Built by one sweep over the span boundaries, so an article with thousands of statements stays
    linear in its length."""
    events: dict[int, list[tuple[str, int]]] = {}

    def span(start: object, end: object, kind: str) -> None:
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            return
        low, high = max(0, int(start)), min(len(text), int(end))
        if low < high:
            events.setdefault(low, []).append((kind, 1))
            events.setdefault(high, []).append((kind, -1))

    for start, end in zip(statements["content_start"], statements["content_end"], strict=True):
        span(start, end, "st")
    if selected is not None and selected in statements.index:
        row = statements.loc[selected]
        span(row["content_start"], row["content_end"], "sel")
        span(row["source_start"], row["source_end"], "src")
        for start, end, weight in row["drivers"]:
            span(start, end, "neg" if weight < 0 else "pos")
    depth = {"st": 0, "sel": 0, "src": 0, "neg": 0, "pos": 0}
    parts = [f'<style>{ARTICLE_CSS}</style><div class="tn-article">']
    position = 0
    for boundary in sorted({*events, len(text)}):
        if boundary > position:
            chunk = html.escape(text[position:boundary])
            classes = [f"tn-{kind}" for kind in ("st", "sel", "src", "neg", "pos") if depth[kind] > 0]
            parts.append(f'<span class="{" ".join(classes)}">{chunk}</span>' if classes else chunk)
            position = boundary
        for kind, step in events.get(boundary, ()):
            depth[kind] += step
    parts.append("</div>")
    return "".join(parts)


# ------------------------------------------------------------------ adding to the store


@dataclass(frozen=True)
class AddOutcome:
    """What became of one input (a file, a URL or pasted text)."""

    origin: str
    added: int = 0
    duplicates: int = 0
    problems: tuple[str, ...] = ()
    """Why the input, or some records or articles in it, could not be added."""
    failed: bool = False
    """True when nothing in the input could be read at all."""
    notes: tuple[str, ...] = ()
    """What a per-article limit left out of articles that were stored (AddReport.limited)."""

    @property
    def status(self) -> str:
        if self.failed:
            return "failed"
        if self.added:
            return "added"
        if self.duplicates:
            return "duplicate"
        return "nothing added"


Progress = Callable[[float, str], None]
"""progress(fraction done in [0, 1], what is being done)."""


def add_inputs(
    corpus: Store,
    inputs: Sequence[tuple[str, Callable[[], IngestReport]]],
    scorer: str | None = None,
    progress: Progress | None = None,
) -> list[AddOutcome]:
    """Read each input (origin, reader) and store its articles; one outcome per input. A reader
    raising IngestError fails that input only; the store writes each article whole or not at all."""
    outcomes: list[AddOutcome] = []
    total = max(1, len(inputs))
    for index, (origin, read) in enumerate(inputs):
        if progress is not None:
            progress(index / total, f"Reading {origin}")
        try:
            report = read()
        except IngestError as error:
            # The error names the inner file when it is one inside an archive.
            reason = error.reason if error.origin == origin else str(error)
            outcomes.append(AddOutcome(origin, problems=(reason,), failed=True))
            continue
        problems = [f"{problem.record}: {problem.reason}" for problem in report.problems]

        def step(done: int, count: int, index: int = index, origin: str = origin) -> None:
            if progress is not None:
                progress((index + done / max(1, count)) / total, f"Analysing {origin}: article {done} of {count}")

        added = corpus.add(report.articles, scorer, progress=step)
        problems += [f"{name}: {reason}" for name, reason in added.failed]
        outcomes.append(
            AddOutcome(
                origin,
                added=len(added.added),
                duplicates=len(added.duplicates),
                problems=tuple(problems),
                failed=not report.articles and bool(problems),
                notes=tuple(f"{name}: {note}" for name, note in added.limited),
            )
        )
    if progress is not None:
        progress(1.0, "Done")
    return outcomes


def file_reader(data: bytes, filename: str) -> Callable[[], IngestReport]:
    return lambda: load_bytes_report(data, filename)


def url_reader(url: str) -> Callable[[], IngestReport]:
    return lambda: load_url_report(url)


def text_reader(
    text: str, title: str | None = None, published: date | None = None, speaker: str | None = None
) -> Callable[[], IngestReport]:
    return lambda: IngestReport(
        articles=[load_text(text, title=title, published=published, speaker=speaker)], problems=[]
    )


def urls_in(box: str) -> list[str]:
    """The URLs of a text box, one per line; blank lines and surrounding spaces ignored, repeats once."""
    seen: dict[str, None] = {}
    for line in box.splitlines():
        if line.strip():
            seen.setdefault(line.strip(), None)
    return list(seen)


# ------------------------------------------------------------------ data exports


EXPORT_COLUMNS: tuple[str, ...] = (
    "article_id",
    "title",
    "source",
    "published",
    "origin",
    "language",
    *(name for name in export.STATEMENT_FIELDS),
    "content",
    "scorer",
    "analysis_version",
)


def statements_csv(frame: pd.DataFrame, filters: Filters, version: str) -> bytes:
    """The statements as CSV, every row with the analysis version and the filters; text cells a
    spreadsheet would run as a formula are neutralised (`export.csv_safe`), numbers stay numbers."""
    described = json.dumps(filters.describe(), ensure_ascii=False)
    rows = []
    for record in frame.to_dict("records"):
        row = {name: record.get(name) for name in EXPORT_COLUMNS}
        row["analysis_version"] = version
        row["filters"] = described
        rows.append(row)
    return export.write_csv(rows, [*EXPORT_COLUMNS, "filters"]).encode("utf-8")


def statements_json(frame: pd.DataFrame, filters: Filters, version: str) -> bytes:
    """The statements as one JSON document: {analysis_version, filters, statements: [...]}."""
    statements = [
        {name: export._plain(record.get(name)) for name in EXPORT_COLUMNS if name != "analysis_version"}
        for record in frame.to_dict("records")
    ]
    document = {"analysis_version": version, "filters": filters.describe(), "statements": statements}
    return json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def report(corpus: Store, frame: pd.DataFrame, filters: Filters) -> bytes:
    """The one-file HTML report (`python -m analysis report`) of the filtered statements."""
    from .cli import report_html

    chosen = apply_filters(frame, filters)
    freq = filters.freq
    page = report_html(corpus, filters.describe(), freq, filters.pairs(), frame=chosen)
    return page.encode("utf-8")


def export_name(stem: str, extension: str, filters: Filters) -> str:
    """A download's file name: what it is, the dyad, and the extension."""
    dyad = "-".join(filters.dyad) if filters.dyad else "all"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem)
    return f"{safe}-{dyad}.{extension}"


def none_if_blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None
