"""analysis.views: what the dashboard shows, without Streamlit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import SAMPLE_ARTICLE, charts, tone, views
from analysis.store import Store

D1 = date(2021, 3, 1)  # a Monday: week 2021-03-01/2021-03-07
D2 = date(2021, 3, 9)  # the week after
D3 = date(2021, 3, 16)


def statement(key: str, **fields: Any) -> dict[str, Any]:
    """One row of `views.corpus_frame`, with defaults: a Russian speaker hostile toward the USA."""
    row: dict[str, Any] = {
        "article_id": f"a-{key}",
        "title": f"Title {key}",
        "source": "TASS",
        "published": D1,
        "content_start": 0,
        "content_end": 5,
        "source_start": None,
        "source_end": None,
        "cue": "said",
        "kind": "reported",
        "speaker": "Vladimir Putin",
        "speaker_side": "RUS",
        "resolution": "name",
        "targets": ("Joe Biden",),
        "target_sides": ("USA",),
        "target_tones": (-0.5,),
        "said_on": None,
        "tone": -0.5,
        "tone_label": "negative",
        "stance": 0.0,
        "mixed_signals": False,
        "drivers": (),
        "content": f"statement {key}",
        "origin": f"{key}.txt",
        "language": "en",
        "scorer": "lexicon",
        "analysis_version": "v",
    }
    row.update(fields)
    row["date"] = row["said_on"] if row["said_on"] is not None else row["published"]
    row["key"] = key
    return row


def frame_of(*rows: dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame.index = [row["key"] for row in rows]
    return frame


CORPUS = frame_of(
    statement("ru1"),
    statement("ru2", published=D2, target_tones=(0.5,), tone=0.5, tone_label="positive", source=None),
    statement(
        "us1",
        speaker="Joe Biden",
        speaker_side="USA",
        targets=("Vladimir Putin",),
        target_sides=("RUS",),
        target_tones=(-0.8,),
        tone=-0.8,
    ),
    statement("q1", kind="question", speaker="journalist", speaker_side=None, resolution="turn"),
    statement("ua1", speaker="Volodymyr Zelensky", speaker_side="UKR", target_sides=("RUS",), targets=("Russia",)),
    statement("ru_de", language="de", content="Erklärung"),
    statement("unk1", speaker="a senior official", speaker_side=None, resolution="unknown", said_on=D3),
    statement("unk2", speaker="a senior official", speaker_side="RUS", resolution="unknown", published=D2),
)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (views.Filters(), ["ru1", "ru2", "us1", "unk2"]),
        (views.Filters(dyad=None), ["ru1", "ru2", "us1", "ua1", "unk1", "unk2"]),
        (views.Filters(dyad=None, kinds=views.KINDS), ["ru1", "ru2", "us1", "q1", "ua1", "unk1", "unk2"]),
        (views.Filters(other_languages=True), ["ru1", "ru2", "us1", "ru_de", "unk2"]),
        (views.Filters(speakers=("Joe Biden",)), ["us1"]),
        (views.Filters(speakers=("Nobody",)), []),
        (views.Filters(sources=(views.NO_SOURCE,)), ["ru2"]),
        (views.Filters(since=D2), ["ru2", "unk2"]),
        (views.Filters(until=D1), ["ru1", "us1"]),
        (views.Filters(dyad=None, since=D3, date_basis="said_on"), ["unk1"]),
        (views.Filters(dyad=None, since=D3, date_basis="published"), []),
        (views.Filters(dyad=("USA", "UKR")), ["us1", "ua1"]),
        (views.Filters(kinds=()), []),
    ],
)
def test_apply_filters(filters: views.Filters, expected: list[str]) -> None:
    assert list(views.apply_filters(CORPUS, filters).index) == expected


@pytest.mark.parametrize(
    "arguments",
    [{"freq": "Y"}, {"date_basis": "said"}, {"since": D2, "until": D1}],
)
def test_filters_refuse_impossible_choices(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        views.Filters(**arguments)


@pytest.mark.parametrize(
    ("filters", "described", "text_has"),
    [
        (views.Filters(), {"dyad": "USA-RUS", "kinds": list(views.DEFAULT_KINDS), "since": None}, "dyad USA↔RUS"),
        (views.Filters(dyad=None, since=D1), {"dyad": "all", "since": "2021-03-01"}, "2021-03-01 to …"),
        (views.Filters(speakers=("Joe Biden",), min_count=3), {"speakers": ["Joe Biden"]}, "≥ 3 statements per point"),
    ],
)
def test_filters_describe_themselves(filters: views.Filters, described: dict[str, Any], text_has: str) -> None:
    assert described.items() <= filters.describe().items()
    json.dumps(filters.describe())  # plain JSON values
    assert text_has in filters.text()


def test_headline_compares_the_latest_week_with_the_one_before() -> None:
    figures = views.headline(CORPUS, views.Filters())
    assert (figures.articles, figures.statements, figures.speakers) == (4, 4, 3)
    assert figures.other_languages == 1  # ru_de
    assert views.headline(CORPUS, views.Filters(other_languages=True)).other_languages == 0
    assert figures.period == "latest week (2021-03-08/2021-03-14)"
    by_direction = {(d.speaker_side, d.target_side): d for d in figures.dyads}
    russia = by_direction[("RUS", "USA")]
    # Latest week: ru2 (+0.5) and unk2 (-0.5); the week before: ru1 (-0.5).
    assert (russia.mean, russia.count, russia.previous, russia.change) == (0.0, 2, -0.5, 0.5)
    america = by_direction[("USA", "RUS")]
    assert (america.mean, america.count, america.previous, america.change) == (None, 0, -0.8, None)


def test_headline_with_a_date_range_compares_the_range_before_it() -> None:
    figures = views.headline(CORPUS, views.Filters(since=D2, until=D2))
    assert figures.period == "2021-03-09 to 2021-03-09"
    assert figures.previous_period == "2021-03-08 to 2021-03-08"
    russia = next(d for d in figures.dyads if d.speaker_side == "RUS")
    assert (russia.mean, russia.previous) == (0.0, None)


@pytest.mark.parametrize(
    ("filters", "points"),
    [
        (
            views.Filters(),
            {
                ("RUS", "USA", "2021-03-01/2021-03-07"),
                ("RUS", "USA", "2021-03-08/2021-03-14"),
                ("USA", "RUS", "2021-03-01/2021-03-07"),
            },
        ),
        (views.Filters(min_count=2), {("RUS", "USA", "2021-03-08/2021-03-14")}),
        (views.Filters(freq="M"), {("RUS", "USA", "2021-03"), ("USA", "RUS", "2021-03")}),
        (views.Filters(speakers=("Nobody",)), set()),
    ],
)
def test_timeline_points(filters: views.Filters, points: set[tuple[str, str, str]]) -> None:
    dyads, shifts = views.timeline_frame(CORPUS, filters)
    assert set(zip(dyads["speaker_side"], dyads["target_side"], dyads["period"], strict=True)) == points
    assert set(shifts) <= {(a, b) for a, b, _ in points}


@pytest.mark.parametrize(
    ("dyad", "period", "expected"),
    [
        ("RUS→USA", "2021-03-08/2021-03-14", ["ru2", "unk2"]),
        ("RUS→USA", "2021-03-01/2021-03-07", ["ru1"]),
        ("USA→RUS", "2021-03-01/2021-03-07", ["us1"]),
        ("USA→RUS", "2021-03-08/2021-03-14", []),
        ("nonsense", "2021-03-01/2021-03-07", []),
    ],
)
def test_a_picked_timeline_point_lists_its_statements(dyad: str, period: str, expected: list[str]) -> None:
    assert list(views.picked_point(CORPUS, views.Filters(), dyad, period).index) == expected


@pytest.mark.parametrize(
    ("level", "speaker", "target", "expected"),
    [
        ("side", "RUS", "USA", ["ru1", "ru2", "unk2"]),
        ("side", "USA", "RUS", ["us1"]),
        ("side", "USA", "USA", []),
        ("actor", "Joe Biden", "Vladimir Putin", ["us1"]),
        ("actor", "Vladimir Putin", "Joe Biden", ["ru1", "ru2"]),
        ("actor", "Vladimir Putin", "Nobody", []),
    ],
)
def test_a_picked_heatmap_cell_lists_its_statements(level: str, speaker: str, target: str, expected: list[str]) -> None:
    assert list(views.picked_cell(CORPUS, views.Filters(), level, speaker, target).index) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ru1", "ru2", "us1", "unk2"]),
        ("  ", ["ru1", "ru2", "us1", "unk2"]),
        ("STATEMENT RU", ["ru1", "ru2"]),
        ("biden", ["ru1", "ru2", "us1", "unk2"]),  # speaker of us1, target of the others
        ("title us1", ["us1"]),
        ("senior", ["unk2"]),
        ("no such words", []),
    ],
)
def test_search(query: str, expected: list[str]) -> None:
    assert list(views.search(views.apply_filters(CORPUS, views.Filters()), query).index) == expected


def test_statement_table_columns_and_target_text() -> None:
    table = views.statement_table(CORPUS.loc[["us1"]])
    assert list(table.columns) == list(views.TABLE_COLUMNS)
    assert table.at["us1", "targets"] == "Vladimir Putin (RUS) -0.80"
    assert table.at["us1", "article"] == "Title us1"


def test_unresolved_speakers_are_counted() -> None:
    table = views.unresolved(CORPUS)
    assert table.to_dict("records") == [
        {"mention": "a senior official", "side": "RUS", "statements": 2, "articles": 2, "example": "statement unk1"}
    ]
    assert views.unresolved(CORPUS.loc[["ru1", "us1"]]).empty
    assert views.unresolved(CORPUS.iloc[0:0]).empty


ARTICLE = "Putin said <script>alert('x')</script> & Biden <b>replied</b>."


@pytest.mark.parametrize(
    ("rows", "selected", "contains", "absent"),
    [
        (
            [],
            None,
            ["Putin said &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Biden"],
            ["<script>", "<b>", "tn-st"],
        ),
        (
            [{"content_start": 11, "content_end": 38, "source_start": 0, "source_end": 5, "drivers": ()}],
            None,
            ['<span class="tn-st">&lt;script&gt;'],
            ["tn-sel", "tn-src", "<script>"],
        ),
        (
            [
                {
                    "content_start": 11,
                    "content_end": 38,
                    "source_start": 0,
                    "source_end": 5,
                    "drivers": ((19, 24, -0.4),),
                }
            ],
            0,
            ['<span class="tn-src">Putin</span>', '<span class="tn-st tn-sel tn-neg">alert</span>'],
            ["<script>"],
        ),
        (  # spans outside the text are clipped or dropped, never an error
            [
                {
                    "content_start": len(ARTICLE) - 1,
                    "content_end": 999,
                    "source_start": None,
                    "source_end": None,
                    "drivers": (),
                },
                {"content_start": 900, "content_end": 950, "source_start": None, "source_end": None, "drivers": ()},
            ],
            None,
            ['<span class="tn-st">.</span>'],
            [],
        ),
    ],
)
def test_article_html_escapes_the_text_and_marks_spans(
    rows: list[dict[str, Any]], selected: int | None, contains: list[str], absent: list[str]
) -> None:
    statements = pd.DataFrame(
        rows, columns=["content_start", "content_end", "source_start", "source_end", "drivers"], dtype=object
    )
    page = views.article_html(ARTICLE, statements, selected)
    body = page.split("</style>", 1)[1]
    for part in contains:
        assert part in body
    for part in absent:
        assert part not in body
    assert body.count("<span") == body.count("</span>")


def test_article_html_is_linear_in_the_number_of_statements() -> None:
    text = "word " * 20_000
    statements = pd.DataFrame(
        {
            "content_start": range(0, 100_000, 5),
            "content_end": range(4, 100_000, 5),
            "source_start": [None] * 20_000,
            "source_end": [None] * 20_000,
            "drivers": [()] * 20_000,
        }
    )
    page = views.article_html(text, statements, None)
    assert page.count('class="tn-st"') == 20_000


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("", []),
        ("\n  \n", []),
        (
            " https://a.example/x \nhttps://b.example\n\nhttps://a.example/x",
            ["https://a.example/x", "https://b.example"],
        ),
    ],
)
def test_urls_in(box: str, expected: list[str]) -> None:
    assert views.urls_in(box) == expected


def test_csv_export_neutralises_formulas_and_carries_version_and_filters() -> None:
    hostile = frame_of(
        statement("f1", content='=HYPERLINK("http://evil")', speaker="+cmd", title="@SUM(A1)", tone=-0.25),
        statement("f2", content="-2 is a number in text", speaker="\tTab", title="\rCR"),
    )
    data = views.statements_csv(hostile, views.Filters(), "9.9+abc").decode("utf-8")
    table = pd.read_csv(pd.io.common.StringIO(data), keep_default_na=False)
    assert list(table["content"]) == ['\'=HYPERLINK("http://evil")', "'-2 is a number in text"]
    assert list(table["speaker"]) == ["'+cmd", "'\tTab"]
    assert table.at[0, "title"] == "'@SUM(A1)"
    assert table["tone"].tolist() == [-0.25, -0.5]  # numbers stay numbers, negative ones too
    assert set(table["analysis_version"]) == {"9.9+abc"}
    assert json.loads(table.at[0, "filters"])["dyad"] == "USA-RUS"


def test_json_export_is_one_document_with_version_and_filters() -> None:
    document = json.loads(views.statements_json(CORPUS.loc[["ru1"]], views.Filters(dyad=None), "1+x"))
    assert document["analysis_version"] == "1+x"
    assert document["filters"]["dyad"] == "all"
    (row,) = document["statements"]
    assert (row["speaker"], row["published"], row["targets"]) == ("Vladimir Putin", "2021-03-01", ["Joe Biden"])


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<svg"), ("pdf", b"%PDF"), ("html", b"<!DOCTYPE html>"), ("json", b"{")],
)
def test_chart_exports(fmt: str, magic: bytes) -> None:
    dyads, shifts = views.timeline_frame(CORPUS, views.Filters())
    chart = charts.with_provenance(charts.timeline(dyads, shifts, selectable=True), "1+x", "dyad USA↔RUS")
    data = charts.export_chart(chart.to_json(), fmt)
    assert data.lstrip()[: len(magic)] == magic
    if fmt == "html":  # renders offline: no script fetched from anywhere
        assert b"<script src=" not in data and b"cdn.jsdelivr" not in data
    if fmt in ("json", "svg"):
        assert b"Analysis version 1+x" in data


def test_chart_export_refuses_unknown_formats() -> None:
    with pytest.raises(ValueError, match="format"):
        charts.export_chart("{}", "gif")


@pytest.mark.parametrize("sort", charts.ACTOR_SORTS)
def test_actor_bars_sort(sort: str) -> None:
    spec = charts.actor_bars(views.actors(CORPUS, views.Filters()), sort).to_dict()
    assert spec["mark"]["type"] == "bar"


def test_adding_inputs_reports_each_one(tmp_path: Path) -> None:
    sample = SAMPLE_ARTICLE.read_bytes()
    inputs = [
        ("sample.txt", views.file_reader(sample, "sample.txt")),
        ("again.txt", views.file_reader(sample, "again.txt")),
        ("broken.pdf", views.file_reader(b"%PDF-1.7 truncated", "broken.pdf")),
        ("empty.txt", views.file_reader(b"", "empty.txt")),
        ("pasted", views.text_reader("Lavrov said the talks were useful.", "Pasted", D1, None)),
        ("http://127.0.0.1:9/nothing", views.url_reader("http://127.0.0.1:9/nothing")),
    ]
    seen: list[float] = []
    with Store(tmp_path / "store.sqlite") as corpus:
        before = views.store_token(corpus.path)
        outcomes = views.add_inputs(corpus, inputs, "lexicon", progress=lambda fraction, _text: seen.append(fraction))
        assert [(o.origin, o.status, o.added, o.duplicates) for o in outcomes] == [
            ("sample.txt", "added", 1, 0),
            ("again.txt", "duplicate", 0, 1),
            ("broken.pdf", "failed", 0, 0),
            ("empty.txt", "failed", 0, 0),
            ("pasted", "added", 1, 0),
            ("http://127.0.0.1:9/nothing", "failed", 0, 0),
        ]
        assert all(outcome.problems for outcome in outcomes if outcome.failed)
        assert seen == sorted(seen) and seen[-1] == 1.0
        assert views.store_token(corpus.path) != before
        frame = views.corpus_frame(corpus)
        assert "sample.txt" in set(frame["origin"])
        assert all(
            content == corpus.article(a).text[s:e]
            for a, s, e, content in zip(
                frame["article_id"], frame["content_start"], frame["content_end"], frame["content"], strict=True
            )
        )
        table = views.articles_table(corpus, frame)
        assert table["statements"].sum() == len(frame)
        assert list(table["view"]) == [f"?article={article_id}" for article_id in table["id"]]


def test_switching_scorers_rescores_the_articles_of_the_other(tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as corpus:
        views.add_inputs(corpus, [("sample.txt", views.file_reader(SAMPLE_ARTICLE.read_bytes(), "s.txt"))], "lexicon")
        assert corpus.rescore() == 0  # nothing stale
        assert corpus.rescore(scorer="lexicon") == 0  # already scored so
        if "model" not in tone.available_scorers():
            pytest.skip("the tone model is not installed")
        assert corpus.rescore(scorer="model") == 1
        assert {row["scorer"] for row in corpus.articles()} == {"model"}


HOSTILE_NAME = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> & co"


@pytest.mark.parametrize(
    ("fmt", "raw", "escaped"),
    [
        ("html", ["<script>alert(1)", "<img src=x"], "\\u003c/script>\\u003cscript>alert(1)"),
        ("svg", ["<script>", "<img"], "&lt;/script&gt;&lt;script&gt;alert(1)"),
        ("json", [], "</script><script>alert(1)</script>"),  # JSON is data: kept as written
    ],
)
def test_hostile_names_in_chart_exports_stay_text(fmt: str, raw: list[str], escaped: str) -> None:
    actors = pd.DataFrame({"speaker": [HOSTILE_NAME], "speaker_side": ["RUS"], "count": [1], "mean": [-0.5]})
    chart = charts.with_provenance(charts.actor_bars(actors), "1+x", HOSTILE_NAME)
    page = charts.export_chart(chart.to_json(), fmt).decode("utf-8")
    for part in raw:
        assert part not in page
    assert escaped in page
    if fmt == "html":  # the bundled Vega script and the one drawing the chart, nothing more
        assert page.count("</script>") == 2


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], []),  # nothing to chart
        ([("A", "2021-01-04")], ["A#0"]),  # one point, one run
        ([("A", "2021-01-04"), ("A", "2021-01-11"), ("A", "2021-01-18")], ["A#0", "A#0", "A#0"]),  # weekly
        # a year of silence in a weekly series breaks the line
        ([("A", "2021-01-04"), ("A", "2021-01-11"), ("A", "2021-01-18"), ("A", "2022-01-17")], ["A#0"] * 3 + ["A#1"]),
        # yearly UN sessions: a 15-year gap breaks it, the usual one-year gaps do not
        (
            [("A", f"{year}-09-15") for year in (1990, 1991, 1992, 1993, 2008, 2009)],
            ["A#0"] * 4 + ["A#1"] * 2,
        ),
        # each dyad has its own spacing; input order does not matter
        (
            [("B", "2021-03-01"), ("A", "2021-01-04"), ("B", "2021-01-04"), ("A", "2021-01-11")],
            ["B#0", "A#0", "B#0", "A#0"],
        ),
    ],
)
def test_timeline_lines_break_across_long_gaps(points: list[tuple[str, str]], expected: list[str]) -> None:
    dyads = [dyad for dyad, _ in points]
    starts = [date.fromisoformat(day) for _, day in points]
    assert charts.runs(dyads, starts) == expected
