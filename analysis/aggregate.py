"""Aggregate stored statements into the frames the charts draw: tone by side and period, by actor,
speaker × target matrices, change points ("shifts") in a dyad's tone, and the extreme statements.

Everything here takes the frame of `Store.statements()` (one row per statement, Statement fields
plus article_id, title, source, published) and returns plain pandas frames or frozen records.
Pure pandas / numpy; `ruptures` and `scipy` load only when `shifts` runs. No streamlit.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

# ------------------------------------------------------------------ constants

FREQUENCIES: tuple[str, ...] = ("D", "W", "M", "article")
"""Period choices: pandas period aliases (day, week Monday-Sunday, calendar month) or one period per
article. Pandas names weeks "W" (= "W-SUN", weeks ending Sunday) and months "M" for Periods."""

DATE_BASES: tuple[str, ...] = ("published", "said_on")
"""Which date places a statement: its article's publication date, or the day it was said
(`said_on`, falling back to `published` where the text fixes no day)."""

ALL_TARGETS = "ALL"
"""target_side of the rows that hold a side's overall tone: every statement of the side, its `tone`."""

QUESTION_KIND = "question"
"""Statement.kind of journalists' questions (DESIGN.md): they are not the side's rhetoric, so they
are left out unless asked for."""

DEFAULT_MIN_COUNT = 3
"""Fewer statements than this in a period and the mean is flagged `few`: one or two statements say
little about a side's rhetoric that week, but hiding them would hide the only evidence there is."""

CI_LEVEL = 0.95
"""Coverage of the percentile-bootstrap interval of each period's mean (Efron & Tibshirani 1993, ch. 13)."""

SHIFT_PENALTY_FACTOR = 3.0
"""Default change-point penalty per change, in units of noise variance × log(n): the MBIC penalty of
Zhang & Siegmund (2007), which for a change in mean is ≈ 3·log(n) and is the default of the R
`changepoint` package (Killick & Eckley 2014). The plain BIC (1·log n) finds spurious shifts in pure
noise: the 95 % point of the maximal squared CUSUM statistic over ~40 periods is ≈ 9 > log(40)."""

SHIFT_MIN_NOISE = 0.02
"""Floor of the noise estimate (tone units) for the penalty. A series with no period-to-period
variation would otherwise get a zero penalty and every admissible split would count as a shift;
differences of a hundredth on a [-1, 1] scale are beneath what the scorers resolve."""

# MAD of a normal sample / 0.6745 estimates its standard deviation (Hampel 1974); differences of
# neighbouring values have twice the variance, hence the sqrt(2).
_MAD_TO_SIGMA = 1.0 / 0.6745
_DIFF_TO_SIGMA = 1.0 / math.sqrt(2.0)

DYAD_COLUMNS: tuple[str, ...] = (
    "speaker_side",
    "target_side",
    "period",
    "period_start",
    "count",
    "mean",
    "ci_low",
    "ci_high",
    "few",
)
ACTOR_COLUMNS: tuple[str, ...] = ("speaker", "speaker_side", "count", "mean")
MATRIX_COLUMNS: tuple[str, ...] = ("speaker", "target", "speaker_side", "target_side", "count", "mean")
EXTREME_COLUMNS: tuple[str, ...] = (
    "speaker_side",
    "target_side",
    "extreme",
    "rank",
    "article_id",
    "title",
    "content_start",
    "content_end",
    "speaker",
    "tone",
    "said_on",
    "published",
)


@dataclass(frozen=True)
class Shift:
    """A change point in one dyad's mean-tone series: the period where the new level starts."""

    period_start: date
    period: str
    mean_before: float
    """Mean of the period means of the segment before the change (since the previous change)."""
    mean_after: float
    """Mean of the period means of the segment after it (up to the next change)."""
    delta: float
    """mean_after - mean_before."""
    confidence: float
    """Two-sided p-value of Welch's t-test (scipy.stats.ttest_ind, equal_var=False) comparing the
    period means of the two segments: small = a clear shift. 0.0 when both segments are constant
    and differ, 1.0 when they are constant and equal."""
    n_before: int
    """Periods in the segment before."""
    n_after: int
    """Periods in the segment after."""


# ------------------------------------------------------------------ helpers


def _present(value: object) -> bool:
    """False for None and NaN (object columns hold None; a column pandas converted may hold NaN)."""
    if value is None:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _check_choice(name: str, value: str, choices: Iterable[str]) -> None:
    options = tuple(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {options}, not {value!r}")


def _statements(frame: pd.DataFrame, include_questions: bool) -> pd.DataFrame:
    """The rows that count as a side's rhetoric: questions out unless asked for."""
    if include_questions or frame.empty:
        return frame
    return frame[frame["kind"] != QUESTION_KIND]


def _with_side(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose speaker has a side: a statement of nobody's side belongs to no dyad."""
    return frame[[_present(side) for side in frame["speaker_side"]]]


def _tone_by_target(sides: Iterable[object], tones: Iterable[float]) -> dict[str, float]:
    """Mean tone toward each side among one statement's targets: a statement naming Biden and
    Blinken counts once toward USA, not twice. Targets without a side are dropped."""
    collected: dict[str, list[float]] = defaultdict(list)
    for side, tone in zip(sides, tones, strict=False):
        if _present(side):
            collected[str(side)].append(float(tone))
    # math.fsum, not np.mean: called once per statement, numpy's per-call overhead was most of it.
    return {side: math.fsum(values) / len(values) for side, values in collected.items()}


def _tone_by_target_actor(names: Iterable[str], sides: Iterable[object], tones: Iterable[float]) -> dict[str, Any]:
    """Mean tone toward each named target of one statement, with the target's side (may be None)."""
    collected: dict[str, list[float]] = defaultdict(list)
    side_of: dict[str, str | None] = {}
    for name, side, tone in zip(names, sides, tones, strict=False):
        collected[name].append(float(tone))
        side_of.setdefault(name, str(side) if _present(side) else None)
    return {name: (side_of[name], float(np.mean(values))) for name, values in collected.items()}


def _dyad_long(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (statement, target side it addresses): the statement's columns plus
    `target_side` and `value` (its mean tone toward that side's targets). Own side kept (RUS about
    RUS is rhetoric too); statements without a sided target produce no row here."""
    # Flattened and grouped by pandas, not a Python loop per statement (the dashboard recomputes
    # this on every filter change); the same rows and order as _tone_by_target per statement.
    sides_column = [sides or () for sides in frame["target_sides"]]
    tones_column = [tones or () for tones in frame["target_tones"]]
    lengths = [min(len(sides), len(tones)) for sides, tones in zip(sides_column, tones_column, strict=True)]
    flat = pd.DataFrame(
        {
            "position": np.repeat(np.arange(len(frame)), lengths),
            "side": [side for sides, n in zip(sides_column, lengths, strict=True) for side in sides[:n]],
            "tone": np.array(
                [float(tone) for tones, n in zip(tones_column, lengths, strict=True) for tone in tones[:n]],
                dtype="float64",
            ),
        }
    )
    flat = flat[np.array([_present(side) for side in flat["side"]], dtype=bool)]
    flat["side"] = flat["side"].map(str)
    means = flat.groupby(["position", "side"], sort=False)["tone"].mean()
    positions = means.index.get_level_values(0).to_numpy(dtype="int64")
    long = frame.iloc[positions].reset_index(drop=True)
    long["target_side"] = pd.Series(list(means.index.get_level_values(1)), dtype=object)
    long["value"] = pd.Series(means.to_numpy(dtype="float64"), dtype="float64")
    return long


def _overall_long(frame: pd.DataFrame) -> pd.DataFrame:
    """Every statement once, toward ALL, with its overall tone."""
    long = frame.reset_index(drop=True)
    long["target_side"] = ALL_TARGETS
    long["value"] = long["tone"].astype("float64")
    return long


_MEMO_SIZE = 50_000
"""Entries a memo below holds before it is cleared whole (~10 MB at most)."""


def _memo(memo: dict[Hashable, Any], key: Hashable, compute: Callable[[], Any]) -> Any:  # noqa: ANN401
    """`memo[key]`, computed once. For results that depend on nothing but their key: the dashboard
    recomputes the timeline on every filter change and most of its groups are unchanged by one."""
    if key not in memo:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = compute()
    return memo[key]


# Intervals already drawn, by (the group's values, n_boot, seed): each group draws from its own
# seeded generator, so an interval depends on nothing else.
_CI_CACHE: dict[Hashable, tuple[float, float]] = {}


def _bootstrap_ci(values: np.ndarray, n_boot: int, seed: int) -> tuple[float, float]:
    """Percentile-bootstrap interval of the mean. Each group draws from its own generator seeded
    with `seed`, so a group's interval does not depend on which other groups are in the frame."""
    mean = float(values.mean())
    if len(values) < 2 or n_boot < 1 or np.ptp(values) == 0:
        return mean, mean
    key = (np.ascontiguousarray(values, dtype="float64").tobytes(), n_boot, seed)
    return _memo(_CI_CACHE, key, lambda: _draw_ci(values, mean, n_boot, seed))


def _draw_ci(values: np.ndarray, mean: float, n_boot: int, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    # Resample in blocks so that a side with thousands of statements does not allocate n_boot × n at once.
    block = max(1, 2_000_000 // len(values))
    means: list[np.ndarray] = []
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        means.append(rng.choice(values, size=(size, len(values)), replace=True).mean(axis=1))
    boots = np.concatenate(means)
    tail = (1.0 - CI_LEVEL) / 2.0 * 100.0
    low, high = np.percentile(boots, [tail, 100.0 - tail])
    # Percentile intervals of tiny, skewed samples can just miss the point estimate; the chart draws
    # the mean between the bounds, so widen to include it.
    return min(float(low), mean), max(float(high), mean)


def _placing_dates(frame: pd.DataFrame, date_basis: str) -> pd.Series:
    """The date that places each statement in time, as datetime64 (NaT where there is none)."""
    published = frame["published"]
    if date_basis == "said_on":
        chosen = [said if _present(said) else pub for said, pub in zip(frame["said_on"], published, strict=True)]
    else:
        chosen = list(published)
    return pd.to_datetime(pd.Series([d if _present(d) else None for d in chosen], index=frame.index, dtype=object))


_NUMERIC: dict[str, str] = {
    "count": "int64",
    "rank": "int64",
    "content_start": "int64",
    "content_end": "int64",
    "mean": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "tone": "float64",
    "few": "bool",
}
"""Columns with a numeric dtype; every other column stays `object`, as in `Store.statements()`, so a
missing side or date is None (pandas 3 would infer a string dtype and turn None into NaN)."""


def _table(rows: list[dict[str, Any]] | list[tuple[Any, ...]], columns: Iterable[str]) -> pd.DataFrame:
    names = list(columns)
    records = [row if isinstance(row, dict) else dict(zip(names, row, strict=True)) for row in rows]
    return pd.DataFrame(
        {name: pd.Series([r[name] for r in records], dtype=_NUMERIC.get(name, object)) for name in names},
        columns=names,
    )


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return _table([], columns)


# ------------------------------------------------------------------ public frames


_DYAD_INPUTS: tuple[str, ...] = (
    "article_id",
    "title",
    "published",
    "said_on",
    "kind",
    "speaker_side",
    "target_sides",
    "target_tones",
    "tone",
)
"""The statement columns `dyad_tone` reads."""


def dyad_tone(
    frame: pd.DataFrame,
    freq: str = "W",
    date_basis: str = "published",
    include_questions: bool = False,
    min_count: int = DEFAULT_MIN_COUNT,
    n_boot: int = 1000,
    seed: int = 42,
    pairs: Iterable[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Tone of each speaker side toward each target side, per period.

    A statement counts once per target side it addresses, with the mean of its target tones toward
    that side; every statement of a side also counts once in the side's `ALL` row with its overall
    `tone` (so statements with no target appear only there). Rows with no speaker side are dropped;
    questions too unless `include_questions`.

    freq: "D" / "W" / "M" (pandas periods of the placing date; statements with no date at all are
    dropped, they cannot be placed) or "article" (one period per article, dated by its publication
    date, labelled by its title; `date_basis` does not apply).

    Columns: speaker_side, target_side, period (label), period_start (date, None for an undated
    article), count, mean, ci_low, ci_high (95 % percentile bootstrap of the mean, seeded; equal to
    the mean for a single statement), few (count < min_count: marked, not hidden). Sorted by
    speaker_side, target_side, period_start.

    pairs: only these (speaker side, target side) rows (ALL as the target side for the overall
    rows); None = every pair. The same rows as filtering the result, without computing the others.
    """
    _check_choice("freq", freq, FREQUENCIES)
    _check_choice("date_basis", date_basis, DATE_BASES)
    # Only the columns used here: every row taken below copies each column, and a store's frame
    # has forty of them.
    frame = frame[[column for column in _DYAD_INPUTS if column in frame.columns]]
    statements = _with_side(_statements(frame, include_questions))
    wanted = None if pairs is None else {(str(a), str(b)) for a, b in pairs}
    if wanted is not None:
        speakers = {a for a, _ in wanted}
        statements = statements[statements["speaker_side"].isin(speakers)]
    if statements.empty:
        return _empty(DYAD_COLUMNS)
    parts = [_dyad_long(statements)]
    if wanted is None or any(b == ALL_TARGETS for _, b in wanted):
        parts.append(_overall_long(statements))
    long = pd.concat(parts, ignore_index=True)
    if wanted is not None:
        keep = [(a, b) in wanted for a, b in zip(long["speaker_side"], long["target_side"], strict=True)]
        long = long[keep].reset_index(drop=True)
        if long.empty:
            return _empty(DYAD_COLUMNS)

    if freq == "article":
        long["period_key"] = long["article_id"]
        long["period"] = [
            str(title) if _present(title) else str(article_id)[:12]
            for title, article_id in zip(long["title"], long["article_id"], strict=True)
        ]
        long["period_start"] = [pub if _present(pub) else None for pub in long["published"]]
    else:
        dates = _placing_dates(long, date_basis)
        long = long[dates.notna()].copy()
        if long.empty:
            return _empty(DYAD_COLUMNS)
        periods = dates[dates.notna()].dt.to_period(freq)
        long["period_key"] = periods.astype(str)
        long["period"] = long["period_key"]
        # One conversion per distinct period, not per row: Period.start_time is slow.
        starts = {period: period.start_time.date() for period in periods.unique()}
        long["period_start"] = [starts[period] for period in periods]

    rows: list[dict[str, Any]] = []
    # Groups as arrays of row positions: building a sub-frame per group cost 0.3 ms each, most of
    # the time for every side's 2,000 groups.
    all_values = long["value"].to_numpy(dtype="float64")
    period_labels = long["period"].to_numpy(dtype=object)
    period_starts = long["period_start"].to_numpy(dtype=object)
    groups = long.groupby(["speaker_side", "target_side", "period_key"], sort=False).indices
    for (speaker_side, target_side, _key), positions in groups.items():
        values = all_values[positions]
        low, high = _bootstrap_ci(values, n_boot, seed)
        rows.append(
            {
                "speaker_side": speaker_side,
                "target_side": target_side,
                "period": period_labels[positions[0]],
                "period_start": period_starts[positions[0]],
                "count": len(values),
                "mean": float(values.mean()),
                "ci_low": low,
                "ci_high": high,
                "few": len(values) < min_count,
            }
        )
    result = _table(rows, DYAD_COLUMNS)
    # Undated articles sort last within their dyad; the label breaks ties between same-day periods.
    # Keys read from the rows, not with DataFrame.at per cell (0.4 s for every side's 2,000 rows).
    order = sorted(
        range(len(rows)),
        key=lambda i: (
            rows[i]["speaker_side"],
            rows[i]["target_side"] == ALL_TARGETS,
            rows[i]["target_side"],
            rows[i]["period_start"] is None,
            rows[i]["period_start"] or date.min,
            rows[i]["period"],
        ),
    )
    return result.iloc[order].reset_index(drop=True)


def period_of(frame: pd.DataFrame, freq: str = "W", date_basis: str = "published") -> pd.Series:
    """Each statement's period label as `dyad_tone` writes it (same index as `frame`; None where the
    statement cannot be placed), so a point picked on the timeline finds its statements."""
    _check_choice("freq", freq, FREQUENCIES)
    _check_choice("date_basis", date_basis, DATE_BASES)
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    if freq == "article":
        labels = [
            str(title) if _present(title) else str(article_id)[:12]
            for title, article_id in zip(frame["title"], frame["article_id"], strict=True)
        ]
        return pd.Series(labels, index=frame.index, dtype=object)
    dates = _placing_dates(frame, date_basis)
    labels = [str(pd.Period(value, freq=freq)) if not pd.isna(value) else None for value in dates]
    return pd.Series(labels, index=frame.index, dtype=object)


def actor_tone(frame: pd.DataFrame, include_questions: bool = False) -> pd.DataFrame:
    """Overall tone by speaker: speaker, speaker_side (the side most of their statements carry),
    count, mean (of `tone`); most prolific first. Statements with no speaker are dropped."""
    statements = _statements(frame, include_questions)
    statements = statements[[_present(speaker) for speaker in statements["speaker"]]] if len(statements) else statements
    if statements.empty:
        return _empty(ACTOR_COLUMNS)
    rows = []
    for speaker, group in statements.groupby("speaker", sort=False):
        sides = Counter(side for side in group["speaker_side"] if _present(side))
        rows.append(
            {
                "speaker": speaker,
                "speaker_side": sides.most_common(1)[0][0] if sides else None,
                "count": len(group),
                "mean": float(group["tone"].astype("float64").mean()),
            }
        )
    result = _table(rows, ACTOR_COLUMNS)
    return result.sort_values(["count", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)


def matrix(frame: pd.DataFrame, level: str = "side", include_questions: bool = False) -> pd.DataFrame:
    """Speaker × target tone, long: speaker, target, speaker_side, target_side, count, mean (of the
    tone toward the target, from `target_tones`). Sorted by count, largest first.

    level "side": speaker and target are side codes (a statement counts once per target side, as in
    `dyad_tone`; sideless speakers and targets are dropped). level "actor": speaker and target are
    actor names (a statement counts once per named target); sides may be None.
    """
    _check_choice("level", level, ("side", "actor"))
    statements = _statements(frame, include_questions)
    cells: dict[tuple[Hashable, ...], list[float]] = defaultdict(list)
    columns = zip(
        statements["speaker"],
        statements["speaker_side"],
        statements["targets"],
        statements["target_sides"],
        statements["target_tones"],
        strict=True,
    )
    for speaker, speaker_side, targets, sides, tones in columns:
        side = str(speaker_side) if _present(speaker_side) else None
        if level == "side":
            if side is None:
                continue
            for target_side, value in _tone_by_target(sides or (), tones or ()).items():
                cells[(side, target_side, side, target_side)].append(value)
        else:
            if not _present(speaker):
                continue
            for name, (target_side, value) in _tone_by_target_actor(targets or (), sides or (), tones or ()).items():
                cells[(speaker, name, side, target_side)].append(value)
    if not cells:
        return _empty(MATRIX_COLUMNS)
    rows = [(*key, len(values), float(np.mean(values))) for key, values in cells.items()]
    result = _table(rows, MATRIX_COLUMNS)
    return result.sort_values(["count", "speaker", "target"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True
    )


def extremes(frame: pd.DataFrame, n: int = 3, include_questions: bool = False) -> pd.DataFrame:
    """Per dyad (speaker_side, target_side): the n most negative and the n most positive statements
    by tone toward that side. "negative" rows have tone < 0, most negative first; "positive" rows
    tone > 0, most positive first, so a dyad with few statements never shows a hostile remark as
    its "most positive". Neutral (0) statements are neither. `rank` counts from 1 in each list.
    """
    statements = _with_side(_statements(frame, include_questions))
    if statements.empty or n < 1:
        return _empty(EXTREME_COLUMNS)
    long = _dyad_long(statements)
    if long.empty:
        return _empty(EXTREME_COLUMNS)
    long["tone"] = long["value"]
    parts: list[pd.DataFrame] = []
    for _dyad, group in long.groupby(["speaker_side", "target_side"], sort=True):
        # Ties broken by position in the text, so the choice is stable across runs.
        for label, picked, ascending in (
            ("negative", group[group["tone"] < 0], True),
            ("positive", group[group["tone"] > 0], False),
        ):
            top = picked.sort_values(
                ["tone", "article_id", "content_start"], ascending=[ascending, True, True], kind="stable"
            ).head(n)
            if top.empty:
                continue
            top = top.assign(extreme=label, rank=range(1, len(top) + 1))
            parts.append(top[list(EXTREME_COLUMNS)])
    if not parts:
        return _empty(EXTREME_COLUMNS)
    rows = [record for part in parts for record in part.to_dict("records")]
    return _table(rows, EXTREME_COLUMNS)


# ------------------------------------------------------------------ change points


def _noise_sigma(values: np.ndarray) -> float:
    """Robust noise level of a series: MAD of first differences. Differences cancel the level, and
    the median ignores the few large differences at real shifts, which would inflate a plain
    standard deviation and so the penalty (hiding the very shifts we look for)."""
    diffs = np.diff(values)
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    return max(mad * _MAD_TO_SIGMA * _DIFF_TO_SIGMA, SHIFT_MIN_NOISE)


def _median3(values: np.ndarray) -> np.ndarray:
    """Running median of width 3 (ends kept): removes a single-period spike (one heated article)
    entirely while leaving a step edge exactly where it is (Tukey 1977)."""
    smoothed = values.copy()
    if len(values) >= 3:
        stacked = np.vstack([values[:-2], values[1:-1], values[2:]])
        smoothed[1:-1] = np.median(stacked, axis=0)
    return smoothed


def _welch_p(before: np.ndarray, after: np.ndarray) -> float:
    from scipy import stats  # a dependency of ruptures

    if np.ptp(before) == 0 and np.ptp(after) == 0:
        return 1.0 if before[0] == after[0] else 0.0
    return float(stats.ttest_ind(after, before, equal_var=False).pvalue)


# Breakpoints already found, by (series values, penalty, min_size): PELT is deterministic.
_BREAKPOINTS: dict[Hashable, tuple[int, ...]] = {}


def shifts(series: pd.DataFrame, penalty: float | None = None, min_size: int = 3) -> list[Shift]:
    """Change points in the mean tone of one dyad's series (rows of `dyad_tone` for one
    speaker_side / target_side), in period order.

    Method: ruptures' PELT (Killick et al. 2012) with the "l2" cost (change in mean) on the series
    after a width-3 running median, so a single outlying period is not a shift; segments hold at
    least `min_size` periods. penalty None = SHIFT_PENALTY_FACTOR · sigma² · log(n) (MBIC-like), with
    sigma the robust noise level of the raw series (`_noise_sigma`). Before/after means, the
    Welch p-value (`confidence`) and the counts are computed on the raw period means of the
    neighbouring segments. A series shorter than 2·min_size gives [].
    """
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, not {min_size}")
    if series.empty:
        return []
    dyads = series[["speaker_side", "target_side"]].drop_duplicates() if "target_side" in series else series.iloc[:1]
    if len(dyads) > 1:
        raise ValueError(f"shifts takes the series of one dyad; got {len(dyads)} (filter dyad_tone's frame first)")
    ordered = series.sort_values(["period_start", "period"], kind="stable").reset_index(drop=True)
    ordered = ordered[[_present(start) for start in ordered["period_start"]]].reset_index(drop=True)
    values = ordered["mean"].to_numpy(dtype="float64")
    n = len(values)
    if n < 2 * min_size:
        return []
    import ruptures

    if penalty is None:
        penalty = SHIFT_PENALTY_FACTOR * _noise_sigma(values) ** 2 * math.log(n)
    breakpoints = _memo(
        _BREAKPOINTS,
        (values.tobytes(), float(penalty), min_size),
        lambda: tuple(
            ruptures.Pelt(model="l2", min_size=min_size, jump=1)
            .fit(_median3(values).reshape(-1, 1))
            .predict(pen=penalty)
        ),
    )
    bounds = [0, *breakpoints]  # ruptures ends the list with n
    found: list[Shift] = []
    for index in range(1, len(bounds) - 1):
        start, cut, end = bounds[index - 1], bounds[index], bounds[index + 1]
        before, after = values[start:cut], values[cut:end]
        found.append(
            Shift(
                period_start=ordered.at[cut, "period_start"],
                period=str(ordered.at[cut, "period"]),
                mean_before=float(before.mean()),
                mean_after=float(after.mean()),
                delta=float(after.mean() - before.mean()),
                confidence=_welch_p(before, after),
                n_before=len(before),
                n_after=len(after),
            )
        )
    return found
