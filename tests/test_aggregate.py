"""Aggregation over small hand-made statement frames with known answers, plus one real pipeline run."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis import aggregate
from analysis.aggregate import ALL_TARGETS, Shift, actor_tone, dyad_tone, extremes, matrix, shifts

MONDAY = date(2021, 3, 15)  # weeks in pandas' "W" periods run Monday..Sunday


def statement(
    speaker_side="RUS",
    targets=(),
    tone=0.0,
    *,
    speaker=None,
    kind="direct",
    said_on=None,
    published=MONDAY,
    article_id="a1",
    title=None,
    start=0,
):
    """One row of Store.statements(): targets as (name, side, tone toward) triples."""
    return {
        "article_id": article_id,
        "title": title if title is not None else f"Article {article_id}",
        "source": "test",
        "published": published,
        "content_start": start,
        "content_end": start + 10,
        "source_start": None,
        "source_end": None,
        "cue": "said",
        "kind": kind,
        "speaker": speaker if speaker is not None else f"speaker of {speaker_side}",
        "speaker_side": speaker_side,
        "resolution": "name",
        "targets": tuple(name for name, _side, _tone in targets),
        "target_sides": tuple(side for _name, side, _tone in targets),
        "target_tones": tuple(float(value) for _name, _side, value in targets),
        "said_on": said_on,
        "tone": float(tone),
        "tone_label": "neutral",
        "stance": 0.0,
        "mixed_signals": False,
        "drivers": (),
    }


def frame(*rows):
    return pd.DataFrame(list(rows))


def cell(result, speaker_side, target_side, **where):
    picked = result[(result["speaker_side"] == speaker_side) & (result["target_side"] == target_side)]
    for column, value in where.items():
        picked = picked[picked[column] == value]
    return picked


def dyads(result):
    return {(s, t): (c, round(m, 6)) for s, t, c, m in result[["speaker_side", "target_side", "count", "mean"]].values}


# --------------------------------------------------------------------------- dyad_tone


def test_dyad_counts_a_statement_once_per_target_side_keeps_own_side_drops_none():
    data = frame(
        # Two USA targets (mean -0.4) and one RUS target: once toward USA, once toward RUS; None dropped.
        statement(
            "RUS", [("Biden", "USA", -0.6), ("Blinken", "USA", -0.2), ("Lavrov", "RUS", 0.5), ("CNN", None, 0.9)], -0.3
        ),
        statement("RUS", [], 0.4),  # no target: only in ALL
        statement(None, [("Putin", "RUS", -1.0)], -1.0),  # no speaker side: dropped everywhere
    )
    result = dyad_tone(data, freq="W", n_boot=200)
    assert dyads(result) == {
        ("RUS", "USA"): (1, -0.4),
        ("RUS", "RUS"): (1, 0.5),
        ("RUS", ALL_TARGETS): (2, 0.05),
    }
    assert list(result.columns) == list(aggregate.DYAD_COLUMNS)
    assert set(result["period"]) == {"2021-03-15/2021-03-21"}
    assert set(result["period_start"]) == {MONDAY}


@pytest.mark.parametrize(
    ("include_questions", "expected"),
    [
        (False, {("USA", "RUS"): (1, -0.5), ("USA", ALL_TARGETS): (1, -0.5)}),
        (True, {("USA", "RUS"): (2, -0.25), ("USA", ALL_TARGETS): (2, -0.25)}),
    ],
)
def test_questions_are_excluded_unless_asked_for(include_questions, expected):
    data = frame(
        statement("USA", [("Putin", "RUS", -0.5)], -0.5),
        statement("USA", [("Putin", "RUS", 0.0)], 0.0, kind="question"),
    )
    assert dyads(dyad_tone(data, include_questions=include_questions, n_boot=100)) == expected


@pytest.mark.parametrize(
    ("freq", "date_basis", "periods"),
    [
        ("D", "published", {"2021-03-15"}),
        ("D", "said_on", {"2021-03-10", "2021-03-15"}),  # the undated statement falls back to published
        ("W", "said_on", {"2021-03-08/2021-03-14", "2021-03-15/2021-03-21"}),
        ("M", "said_on", {"2021-03"}),
    ],
)
def test_periods_and_said_on_falls_back_to_published(freq, date_basis, periods):
    data = frame(
        statement("RUS", [], 0.2, said_on=date(2021, 3, 10)),
        statement("RUS", [], 0.4, said_on=None),
    )
    result = dyad_tone(data, freq=freq, date_basis=date_basis, n_boot=100)
    assert set(result["period"]) == periods
    assert result["count"].sum() == 2


def test_said_on_fallback_puts_each_statement_in_its_own_day():
    data = frame(
        statement("RUS", [], 0.2, said_on=date(2021, 3, 10)),
        statement("RUS", [], 0.4, said_on=None),
    )
    result = dyad_tone(data, freq="D", date_basis="said_on", n_boot=100)
    assert dict(zip(result["period_start"], result["mean"], strict=True)) == {
        date(2021, 3, 10): 0.2,
        date(2021, 3, 15): 0.4,
    }


def test_article_periods_are_dated_by_publication_and_labelled_by_title():
    data = frame(
        statement("RUS", [], 0.2, article_id="b", title="Later", published=date(2021, 4, 1), said_on=date(2020, 1, 1)),
        statement("RUS", [], -0.2, article_id="a", title="Earlier", published=date(2021, 3, 1)),
        statement("RUS", [], -0.4, article_id="a", title="Earlier", published=date(2021, 3, 1)),
        statement("RUS", [], 0.9, article_id="c", title="Undated", published=None),
    )
    result = dyad_tone(data, freq="article", date_basis="said_on", n_boot=100)
    assert list(result["period"]) == ["Earlier", "Later", "Undated"]  # by date, undated last
    assert list(result["period_start"]) == [date(2021, 3, 1), date(2021, 4, 1), None]
    assert list(result["count"]) == [2, 1, 1]
    assert result["mean"].iloc[0] == pytest.approx(-0.3)


def test_ci_contains_the_mean_equals_it_for_one_statement_and_few_is_flagged():
    tones = [-0.9, -0.1, 0.3, 0.5, -0.6]
    data = frame(
        *[statement("USA", [], value, start=i) for i, value in enumerate(tones)],
        statement("RUS", [], 0.7, published=MONDAY),
    )
    result = dyad_tone(data, freq="W", min_count=3, n_boot=500)
    usa = cell(result, "USA", ALL_TARGETS).iloc[0]
    assert usa["count"] == 5 and not usa["few"]
    assert usa["ci_low"] < usa["mean"] < usa["ci_high"]
    assert usa["mean"] == pytest.approx(np.mean(tones))
    rus = cell(result, "RUS", ALL_TARGETS).iloc[0]
    assert rus["count"] == 1 and rus["few"]
    assert rus["ci_low"] == rus["ci_high"] == rus["mean"] == pytest.approx(0.7)
    # Seeded: the same call gives the same bounds.
    again = dyad_tone(data, freq="W", min_count=3, n_boot=500)
    assert cell(again, "USA", ALL_TARGETS).iloc[0]["ci_low"] == usa["ci_low"]


def test_dyad_tone_empty_and_bad_arguments():
    assert list(dyad_tone(frame(statement(None, [], 0.1))).columns) == list(aggregate.DYAD_COLUMNS)
    with pytest.raises(ValueError, match="freq"):
        dyad_tone(frame(statement()), freq="Y")
    with pytest.raises(ValueError, match="date_basis"):
        dyad_tone(frame(statement()), date_basis="added")


# --------------------------------------------------------------------------- actor_tone, matrix


def test_actor_tone_counts_and_means_by_speaker():
    data = frame(
        statement("RUS", [], -0.5, speaker="Putin"),
        statement("RUS", [], -0.1, speaker="Putin"),
        statement("USA", [], 0.4, speaker="Biden"),
        statement("USA", [], 0.9, speaker="Biden", kind="question"),
        statement(None, [], 0.2, speaker="a reporter"),
    )
    result = actor_tone(data)
    assert list(result.columns) == list(aggregate.ACTOR_COLUMNS)
    assert [tuple(r) for r in result.round(6).itertuples(index=False)] == [
        ("Putin", "RUS", 2, -0.3),
        ("Biden", "USA", 1, 0.4),
        ("a reporter", None, 1, 0.2),
    ]
    assert actor_tone(data, include_questions=True).set_index("speaker").loc["Biden", "count"] == 2


def test_matrix_by_side_and_by_actor():
    data = frame(
        statement("RUS", [("Biden", "USA", -0.6), ("Blinken", "USA", -0.2)], -0.4, speaker="Putin"),
        statement("RUS", [("Biden", "USA", 0.2), ("CNN", None, 0.5)], 0.2, speaker="Peskov"),
        statement("USA", [("Putin", "RUS", -0.8)], -0.8, speaker="Biden"),
    )
    sides = matrix(data, level="side")
    assert list(sides.columns) == list(aggregate.MATRIX_COLUMNS)
    assert {(s, t): (c, round(m, 6)) for s, t, c, m in sides[["speaker", "target", "count", "mean"]].values} == {
        ("RUS", "USA"): (2, -0.1),  # (-0.4 + 0.2) / 2: the first statement once, at its USA mean
        ("USA", "RUS"): (1, -0.8),
    }
    actors = matrix(data, level="actor")
    assert {(s, t): (c, round(m, 6)) for s, t, c, m in actors[["speaker", "target", "count", "mean"]].values} == {
        ("Putin", "Biden"): (1, -0.6),
        ("Putin", "Blinken"): (1, -0.2),
        ("Peskov", "Biden"): (1, 0.2),
        ("Peskov", "CNN"): (1, 0.5),
        ("Biden", "Putin"): (1, -0.8),
    }
    assert actors.set_index(["speaker", "target"]).loc[("Peskov", "CNN"), "target_side"] is None
    with pytest.raises(ValueError, match="level"):
        matrix(data, level="country")


# --------------------------------------------------------------------------- shifts


def series(values, start=date(2021, 1, 4)):
    """A dyad_tone-shaped series, one row per week."""
    starts = [start + timedelta(weeks=i) for i in range(len(values))]
    return pd.DataFrame(
        {
            "speaker_side": "RUS",
            "target_side": "USA",
            "period": [s.isoformat() for s in starts],
            "period_start": starts,
            "count": 5,
            "mean": values,
        }
    )


def test_known_change_point_is_found_within_one_period():
    rng = np.random.default_rng(7)
    values = np.r_[np.full(20, -0.6), np.full(20, 0.2)] + rng.normal(0, 0.05, 40)
    found = shifts(series(values))
    assert len(found) == 1
    shift = found[0]
    assert isinstance(shift, Shift)
    true_start = date(2021, 1, 4) + timedelta(weeks=20)
    assert abs((shift.period_start - true_start).days) <= 7
    assert shift.delta == pytest.approx(0.8, abs=0.1)
    assert shift.mean_before == pytest.approx(-0.6, abs=0.05)
    assert shift.mean_after == pytest.approx(0.2, abs=0.05)
    assert shift.n_before + shift.n_after == 40
    assert shift.confidence < 0.001


def test_shuffled_rows_are_put_in_period_order():
    rng = np.random.default_rng(3)
    values = np.r_[np.full(10, 0.3), np.full(10, -0.5)] + rng.normal(0, 0.05, 20)
    shuffled = series(values).sample(frac=1.0, random_state=1)
    (shift,) = shifts(shuffled)
    assert shift.delta < -0.6


@pytest.mark.parametrize("seed", range(5))
def test_flat_noisy_series_has_no_shift(seed):
    rng = np.random.default_rng(seed)
    assert shifts(series(-0.2 + rng.normal(0, 0.1, 40))) == []


def test_a_single_outlier_is_not_a_shift():
    rng = np.random.default_rng(11)
    values = -0.3 + rng.normal(0, 0.05, 30)
    values[15] = 0.8
    assert shifts(series(values)) == []


def test_too_short_series_gives_nothing():
    assert shifts(series([-0.6, -0.6, 0.4, 0.4, 0.4])) == []  # 5 < 2 * 3
    assert shifts(series([])) == []


def test_shifts_refuses_a_frame_of_several_dyads():
    two = pd.concat([series([0.1] * 6), series([0.1] * 6).assign(target_side="RUS")])
    with pytest.raises(ValueError, match="one dyad"):
        shifts(two)


# --------------------------------------------------------------------------- extremes


def test_extremes_orders_the_most_negative_and_positive_per_dyad():
    tones = [-0.9, -0.2, 0.0, 0.3, -0.5, 0.8, 0.6]
    data = frame(
        *[statement("RUS", [("Biden", "USA", value)], value, start=10 * i) for i, value in enumerate(tones)],
        statement("USA", [("Putin", "RUS", -0.7)], -0.7),
    )
    result = extremes(data, n=2)
    assert list(result.columns) == list(aggregate.EXTREME_COLUMNS)
    rus = cell(result, "RUS", "USA")
    assert list(zip(rus["extreme"], rus["rank"], rus["tone"], strict=True)) == [
        ("negative", 1, -0.9),
        ("negative", 2, -0.5),
        ("positive", 1, 0.8),
        ("positive", 2, 0.6),
    ]
    assert list(rus["content_start"]) == [0, 40, 50, 60]
    usa = cell(result, "USA", "RUS")
    assert list(usa["extreme"]) == ["negative"]  # nothing positive to show


# --------------------------------------------------------------------------- the real pipeline


def test_dyads_from_the_bundled_sample(tmp_path):
    from analysis import SAMPLE_ARTICLE
    from analysis.ingest import load
    from analysis.store import Store

    with Store(tmp_path / "c.sqlite") as store:
        store.add(load(SAMPLE_ARTICLE), scorer="lexicon")
        statements = store.statements()
    result = dyad_tone(statements, freq="article", n_boot=200)
    pairs = set(zip(result["speaker_side"], result["target_side"], strict=True))
    assert {("RUS", "USA"), ("USA", "RUS")} <= pairs
    assert (result["ci_low"] <= result["mean"] + 1e-12).all()
    assert (result["mean"] <= result["ci_high"] + 1e-12).all()
