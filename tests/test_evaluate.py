"""analysis.evaluate: the seed and PolNeAR scorers, checked against hand-computed numbers.

The analyser is injected (statements built here), so these tests do not depend on
the extractor; one test runs the real one when `analysis.analyze_text` exists.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from analysis.evaluate import (
    INJECTED,
    VADER_NEUTRAL_CUT,
    GoldAttribution,
    annotation_file,
    evaluate_polnear,
    evaluate_seed,
    match_greedy,
    parse_brat,
    read_polnear_article,
    tone_label,
    tone_toward,
)
from analysis.models import Article, ArticleAnalysis, Statement
from tests.conftest import shared_path


def statement(
    start: int,
    end: int,
    source: tuple[int | None, int | None] = (None, None),
    speaker: str | None = None,
    side: str | None = None,
    said_on: date | None = None,
    tone: float = 0.0,
    targets: tuple[tuple[str, str | None, float], ...] = (),
) -> Statement:
    return Statement(
        content_start=start,
        content_end=end,
        source_start=source[0],
        source_end=source[1],
        cue="said",
        kind="reported",
        speaker=speaker,
        speaker_side=side,
        resolution="name" if speaker else "unknown",
        targets=tuple(name for name, _, _ in targets),
        target_sides=tuple(target_side for _, target_side, _ in targets),
        target_tones=tuple(value for _, _, value in targets),
        said_on=said_on,
        tone=tone,
        tone_label=tone_label(tone),
        stance=0.0,
        mixed_signals=False,
        drivers=(),
    )


def analysis_of(text: str, statements: list[Statement], published: date | None = None) -> ArticleAnalysis:
    article = Article(
        id="0" * 64,
        title=None,
        published=published,
        source=None,
        url=None,
        author=None,
        origin="test",
        text=text,
        speaker=None,
        language="en",
    )
    return ArticleAnalysis(article=article, statements=statements, unresolved=[])


# --------------------------------------------------------------------- Dice matcher


@pytest.mark.parametrize(
    ("preds", "golds", "expected"),
    [
        pytest.param([], [], [], id="nothing"),
        pytest.param([range(0, 5)], [], [], id="no gold"),
        pytest.param([], [range(0, 5)], [], id="no predictions"),
        pytest.param([range(0, 0)], [range(0, 0)], [], id="empty sets never match"),
        pytest.param([range(0, 10)], [range(0, 10)], [(0, 0, 1.0)], id="identical"),
        pytest.param([range(0, 10)], [range(20, 30)], [], id="disjoint"),
        # |∩| = 3: 6 / 12 = 0.5 exactly, which is enough
        pytest.param([range(0, 6)], [range(3, 9)], [(0, 0, 0.5)], id="dice 0.5 matches"),
        # |∩| = 3: 6 / 23 below 0.5
        pytest.param([range(0, 10)], [range(7, 20)], [], id="below 0.5"),
        pytest.param(
            [range(0, 10), range(0, 10)], [range(0, 10)], [(0, 0, 1.0)], id="one-to-one: a gold item matches once"
        ),
        pytest.param(
            [range(0, 10)], [range(0, 10), range(0, 10)], [(0, 0, 1.0)], id="one-to-one: a prediction matches once"
        ),
        # p0-g0 = 20/21, p1-g0 = 22/23: the higher pair takes g0, p0 stays unmatched
        pytest.param([range(0, 10), range(0, 12)], [range(0, 11)], [(1, 0, 22 / 23)], id="highest first"),
        # p0-g1 and p1-g0 are 1.0, the crossed pairs 16/18: both perfect pairs are taken
        pytest.param(
            [range(0, 10), range(0, 8)],
            [range(0, 8), range(0, 10)],
            [(0, 1, 1.0), (1, 0, 1.0)],
            id="greedy pairs the best first",
        ),
        # discontinuous gold {0..4, 10..14} against pred 0..15: 2*10 / (10+15) = 0.8
        pytest.param([range(0, 15)], [[*range(0, 5), *range(10, 15)]], [(0, 0, 0.8)], id="discontinuous gold"),
        pytest.param(
            [range(30, 40), range(0, 10)],
            [range(0, 10), range(31, 40)],
            [(1, 0, 1.0), (0, 1, 18 / 19)],
            id="unsorted input",
        ),
    ],
)
def test_match_greedy(preds, golds, expected):
    got = match_greedy([set(p) for p in preds], [set(g) for g in golds])
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in expected]
    assert [score for _, _, score in got] == pytest.approx([score for _, _, score in expected])


def test_match_greedy_threshold_is_a_parameter():
    assert match_greedy([set(range(0, 10))], [set(range(7, 20))], threshold=0.2) == [(0, 0, pytest.approx(6 / 23))]


# --------------------------------------------------------------------- brat standoff

ANN = "\n".join(
    [
        "T1\tSource 0 5\tAlice",
        "T2\tCue 6 10\tsaid",
        "T3\tAttribution 6 10\tsaid",
        "T4\tContent 11 20;25 30\tfoo bar",
        "T5\tContent 40 50\ta surface text that",
        "T6 continues on the next line of the file",  # not a span line
        "T7\tCue 51 55\twrote",
        "T8\tAttribution-no-source 51 55\twrote",
        "T9\tCue 60 64\tsays",
        "T10\tAttribution 60 64\tsays",
        "T11\tContent 70 75\tfirst",
        "T12\tContent 80 85\tsecond",
        "T13\tDiscuss 90 95\tleft",
        "#1\tAnnotatorNotes T5\ta note",
        "E1\tAttribution:T3 Source:T1 Cue:T2 Content:T4",
        "E2\tAttribution-no-source:T8 Cue:T7 Content:T5",
        "E3\tAttribution:T10 Cue:T9 Source:T1",  # no Content: skipped
        "E4\tAttribution:T10 Cue:T9 Content:T11 Content2:T12",  # a split quote
        "",
    ]
)

ANN_EXPECTED = [
    GoldAttribution(content=((11, 20), (25, 30)), source=((0, 5),), cue=((6, 10),)),
    GoldAttribution(content=((40, 50),), source=(), cue=((51, 55),)),
    GoldAttribution(content=((70, 75), (80, 85)), source=(), cue=((60, 64),)),
]


@pytest.mark.parametrize(
    ("ann", "expected"),
    [
        pytest.param(ANN, ANN_EXPECTED, id="spans, discontinuous, no Source, no Content, Content2"),
        pytest.param("", [], id="empty file"),
        pytest.param("T1\tDiscuss 0 67;69 321\tIron Mike\n", [], id="spans but no relations"),
    ],
)
def test_parse_brat(ann, expected):
    assert parse_brat(ann) == expected


def test_content_chars_is_the_union_of_fragments():
    assert ANN_EXPECTED[0].content_chars == frozenset([*range(11, 20), *range(25, 30)])


def test_read_polnear_article_keeps_the_text_exact(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    text_path = tmp_path / "text" / "paper_2016-01-01_slug.txt"
    text_path.write_bytes("Alice said “foo”\r\nbar.\n".encode())
    (tmp_path / "attributions" / "paper_2016-01-01_slug_ab12.ann").write_text(ANN, encoding="utf-8")
    text, gold = read_polnear_article(text_path)
    assert text == "Alice said “foo”\r\nbar.\n"
    assert gold == ANN_EXPECTED


def test_read_polnear_article_without_annotation(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "lonely.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="lonely"):
        read_polnear_article(tmp_path / "text" / "lonely.txt")


@pytest.mark.parametrize(
    ("name", "ann_files", "expected"),
    [
        pytest.param("a_b", ["a_b_x1.ann"], "a_b_x1.ann", id="one annotator"),
        pytest.param("a_b", ["a_b_x2.ann", "a_b_x1.ann"], "a_b_x1.ann", id="first in sorted order"),
        pytest.param("a", ["a_b_x1.ann"], None, id="another article's file (NAME is a prefix)"),
        pytest.param("a_b", ["a_b_x1.ann", "a_x0.ann"], "a_b_x1.ann", id="a shorter name's file is not ours"),
        pytest.param("a_b", ["a_b.ann", "a_b_.ann"], None, id="no annotator suffix"),
        pytest.param("a_b", [], None, id="none"),
    ],
)
def test_annotation_file(tmp_path, name, ann_files, expected):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for ann in ann_files:
        (tmp_path / "attributions" / ann).write_text("", encoding="utf-8")
    found = annotation_file(tmp_path / "text" / f"{name}.txt")
    assert (found.name if found else None) == expected


# --------------------------------------------------------------------- evaluate_polnear

TEXT_TWO = "Alice said x" + "." * 88  # 100 characters; only the offsets matter
TEXT_EMPTY = "Nobody said anything here."
TEXT_SKIPPED = "This article has no annotation file."

# art_two's first annotation (aaaa): three gold items; its second (bbbb) must be ignored.
ANN_TWO = "\n".join(
    [
        "T1\tSource 0 5\tAlice",
        "T2\tContent 10 20\tg1",
        "T3\tSource 25 28\tBob",
        "T4\tContent 30 40;45 50\tg2",
        "T5\tContent 60 70\tg3",
        "E1\tAttribution:T9 Source:T1 Content:T2",
        "E2\tAttribution:T9 Source:T3 Content:T4",
        "E3\tAttribution-no-source:T9 Content:T5",
    ]
)

PREDICTIONS = {
    TEXT_TWO: [
        statement(10, 20, source=(2, 4)),  # g1: dice 1, source overlaps: right
        statement(30, 50),  # g2 (15 chars) in 20: dice 30/35, no source: wrong
        statement(60, 64, source=(0, 5)),  # g3: dice 8/14, gold has no Source: not scored
        statement(80, 90, source=(0, 5)),  # nothing there: false positive
    ],
    TEXT_EMPTY: [statement(0, 10)],  # empty .ann: false positive
    TEXT_SKIPPED: [statement(0, 10)],  # never analysed
}


def make_polnear(root: Path) -> Path:
    split = root / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "art.txt").write_text(TEXT_SKIPPED, encoding="utf-8")
    (split / "text" / "art_two.txt").write_text(TEXT_TWO, encoding="utf-8")
    (split / "text" / "empty.txt").write_text(TEXT_EMPTY, encoding="utf-8")
    (split / "attributions" / "art_two_aaaa.ann").write_text(ANN_TWO, encoding="utf-8")
    (split / "attributions" / "art_two_bbbb.ann").write_text("T1\tContent 0 100\tall\nE1\tContent:T1\n")
    (split / "attributions" / "empty_aaaa.ann").write_text("", encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ttitle\ndev\tart_two\t2016-09-15\tThe Two\ndev\tempty\t\tNone\n",
        encoding="utf-8",
    )
    return split


class Recorder:
    """An injected analyser: returns PREDICTIONS for the text, and records what it was called with."""

    def __init__(self, predictions: dict[str, list[Statement]] = PREDICTIONS):
        self.predictions = predictions
        self.calls: list[tuple[str, date | None, str | None]] = []

    def __call__(self, text: str, published: date | None, title: str | None) -> ArticleAnalysis:
        self.calls.append((text, published, title))
        return analysis_of(text, self.predictions.get(text, []), published)


POLNEAR_KEYS = {
    "articles",
    "skipped",
    "predicted",
    "gold",
    "matched",
    "precision",
    "recall",
    "f1",
    "speaker_scored",
    "speaker_correct",
    "speaker_accuracy",
    "seconds_total",
    "seconds_per_article",
    "model",
    "split",
    "folder",
}


def test_evaluate_polnear_counts(tmp_path):
    folder = make_polnear(tmp_path)
    analyzer = Recorder()
    progress: list[tuple[int, int]] = []
    report = evaluate_polnear(folder, analyze=analyzer, progress=lambda done, total: progress.append((done, total)))
    assert report.keys() >= POLNEAR_KEYS
    expected = {
        "articles": 2,
        "skipped": 1,
        "predicted": 5,
        "gold": 3,
        "matched": 3,
        "speaker_scored": 2,
        "speaker_correct": 1,
        "model": INJECTED,
        "split": "dev",
        "folder": str(folder),
    }
    assert {key: report[key] for key in expected} == expected
    assert report["precision"] == pytest.approx(3 / 5)
    assert report["recall"] == pytest.approx(1.0)
    assert report["f1"] == pytest.approx(2 * 0.6 * 1.0 / 1.6)
    assert report["speaker_accuracy"] == pytest.approx(0.5)
    assert report["seconds_total"] >= 0
    assert report["seconds_per_article"] == pytest.approx(report["seconds_total"] / 2)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    # date and title from metadata.tsv; "None" and "" mean absent
    assert [call[1:] for call in analyzer.calls] == [(date(2016, 9, 15), "The Two"), (None, None)]


@pytest.mark.parametrize(
    ("limit", "articles", "skipped", "predicted"),
    [
        pytest.param(1, 0, 1, 0, id="first file only (sorted: art.txt before art_two.txt)"),
        pytest.param(2, 1, 1, 4, id="two files"),
        pytest.param(None, 2, 1, 5, id="all"),
    ],
)
def test_evaluate_polnear_limit(tmp_path, limit, articles, skipped, predicted):
    report = evaluate_polnear(make_polnear(tmp_path), analyze=Recorder(), limit=limit)
    assert (report["articles"], report["skipped"], report["predicted"]) == (articles, skipped, predicted)


@pytest.mark.parametrize(
    ("source", "correct"),
    [
        pytest.param((2, 4), 1, id="inside"),
        pytest.param((0, 100), 1, id="around"),
        pytest.param((4, 9), 1, id="one shared character"),
        pytest.param((5, 9), 0, id="adjacent: no shared character"),
        pytest.param((3, 3), 0, id="empty span"),
        pytest.param((None, None), 0, id="no source"),
        pytest.param((25, 28), 0, id="another item's source"),
    ],
)
def test_evaluate_polnear_speaker_overlap(tmp_path, source, correct):
    folder = make_polnear(tmp_path)
    analyzer = Recorder({TEXT_TWO: [statement(10, 20, source=source)]})
    report = evaluate_polnear(folder, analyze=analyzer)
    assert (report["matched"], report["speaker_scored"], report["speaker_correct"]) == (1, 1, correct)


def test_evaluate_polnear_no_predictions(tmp_path):
    report = evaluate_polnear(make_polnear(tmp_path), analyze=Recorder({}))
    assert (report["predicted"], report["gold"], report["matched"]) == (0, 3, 0)
    assert (report["precision"], report["recall"], report["f1"], report["speaker_accuracy"]) == (0.0, 0.0, 0.0, 0.0)


# --------------------------------------------------------------------- seed

TONE_VALUE = {"positive": 0.6, "negative": -0.6, "neutral": 0.0, "ambiguous": 0.0}


def seed_gold() -> tuple[Path, dict]:
    path = shared_path("seed", "gold.json")
    return path, json.loads(path.read_text(encoding="utf-8"))


def from_gold(gold: dict) -> list[Statement]:
    """The statements the gold describes: the phrase as content, the gold speaker, side, date and tone.

    The overall tone has the opposite sign, so the tone toward the target must be what is scored;
    the speakers are spelled differently ("The KREMLIN"), as the comparison allows.
    """
    out = []
    for item in gold["statements"]:
        toward = TONE_VALUE[item["tone"]]
        out.append(
            statement(
                item["phrase_start"],
                item["phrase_end"],
                speaker="The " + item["speaker"].upper(),
                side=item["speaker_side"],
                said_on=date.fromisoformat(item["said_on"]) if item["said_on"] else None,
                tone=-toward,
                targets=(("them", item["target_side"], toward),),
            )
        )
    return out


def test_evaluate_seed_all_found():
    path, gold = seed_gold()
    report = evaluate_seed(path, analyze=lambda text, published, title: analysis_of(text, from_gold(gold), published))
    assert report["model"] == INJECTED
    assert (report["found"], report["total"], report["speaker_side_correct"]) == (15, 15, 15)
    # 8 gold statements have a said_on; 14 a tone other than "ambiguous" (S13)
    assert (report["said_on_correct"], report["said_on_scored"]) == (8, 8)
    assert (report["tone_correct"], report["tone_scored"]) == (14, 14)
    assert report["not_statements_violated"] == []
    assert report["statements_extracted"] == 15
    details = report["details"]
    assert [d["id"] for d in details] == [f"S{i}" for i in range(1, 16)]
    assert all(d["found"] for d in details)
    assert [d["content"] for d in details] == [item["phrase"] for item in gold["statements"]]


def test_evaluate_seed_passes_the_published_date():
    path, _ = seed_gold()
    calls = []

    def analyzer(text, published, title):
        calls.append((text[:12], published, title))
        return analysis_of(text, [], published)

    evaluate_seed(path, analyze=analyzer)
    assert calls == [("The Kremlin,", date(2021, 3, 19), None)]


def test_evaluate_seed_nothing_found():
    path, _ = seed_gold()
    report = evaluate_seed(path, analyze=lambda text, published, title: analysis_of(text, []))
    assert (report["found"], report["total"], report["statements_extracted"]) == (0, 15, 0)
    assert (report["said_on_scored"], report["tone_scored"]) == (0, 0)
    assert report["not_statements_violated"] == []
    assert not any(d["found"] for d in report["details"])


SUMMONED = (1454, 1454 + len("was summoned to consult"))


@pytest.mark.parametrize(
    ("span", "violated"),
    [
        pytest.param((1400, 1500), ["was summoned to consult"], id="around the phrase"),
        pytest.param((1470, 1500), ["was summoned to consult"], id="overlapping its end"),
        pytest.param((1400, SUMMONED[0] + 1), ["was summoned to consult"], id="one character"),
        pytest.param((1400, SUMMONED[0]), [], id="ending where it starts"),
        pytest.param((SUMMONED[1], 1500), [], id="starting where it ends"),
    ],
)
def test_evaluate_seed_not_statements(span, violated):
    path, _ = seed_gold()
    report = evaluate_seed(path, analyze=lambda text, published, title: analysis_of(text, [statement(*span)]))
    assert report["not_statements_violated"] == violated
    assert [v["start"] for v in report["not_statements_violations"]] == [SUMMONED[0]] * len(violated)


# S1: "offer to hold direct talks on the Internet" [196, 238), the Kremlin (RUS), 42 characters
@pytest.mark.parametrize(
    ("content", "speaker", "side", "found"),
    [
        pytest.param((196, 238), "Kremlin", "RUS", True, id="exact"),
        pytest.param((100, 300), "the Kremlin", "RUS", True, id="wider, 'the' ignored"),
        pytest.param((196, 230), "kremlin", "RUS", True, id="34/42 covered (81 %)"),
        pytest.param((196, 229), "Kremlin", "RUS", False, id="33/42 covered (79 %)"),
        pytest.param((196, 238), "Vladimir Putin", "RUS", False, id="wrong speaker"),
        pytest.param((196, 238), "Kremlin", "USA", False, id="wrong side"),
        pytest.param((196, 238), None, None, False, id="no speaker"),
    ],
)
def test_evaluate_seed_found_needs_coverage_speaker_and_side(content, speaker, side, found):
    path, _ = seed_gold()
    made = [statement(*content, speaker=speaker, side=side)]
    report = evaluate_seed(path, analyze=lambda text, published, title: analysis_of(text, made))
    assert report["found"] == int(found)
    assert report["details"][0]["found"] is found


def test_evaluate_seed_prefers_the_covering_statement_with_the_speaker():
    path, _ = seed_gold()
    made = [
        statement(150, 300, speaker="Joe Biden", side="USA"),
        statement(190, 240, speaker="Kremlin", side="RUS", said_on=date(2021, 3, 19)),
    ]
    report = evaluate_seed(path, analyze=lambda text, published, title: analysis_of(text, made))
    first = report["details"][0]
    assert (first["found"], first["speaker"], first["said_on_correct"]) == (True, "Kremlin", True)


# --------------------------------------------------------------------- tone toward the target


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (VADER_NEUTRAL_CUT, "neutral"),
        (-VADER_NEUTRAL_CUT, "neutral"),
        (0.0, "neutral"),
        (0.051, "positive"),
        (-0.051, "negative"),
        (1.0, "positive"),
    ],
)
def test_tone_label(value, label):
    assert tone_label(value, "lexicon") == label


@pytest.mark.parametrize(("value", "label"), [(0.39, "neutral"), (0.41, "positive"), (-0.41, "negative")])
def test_tone_label_of_the_model_uses_its_own_cut(value, label):
    assert tone_label(value, "model") == label


@pytest.mark.parametrize(
    ("targets", "side", "expected"),
    [
        pytest.param((("Biden", "USA", -0.4),), "USA", -0.4, id="the target's tone"),
        pytest.param((("Biden", "USA", -0.4), ("Psaki", "USA", 0.2)), "USA", -0.1, id="mean over the side"),
        pytest.param((("Putin", "RUS", -0.4),), "USA", 0.3, id="side not a target: overall tone"),
        pytest.param((), "USA", 0.3, id="no targets: overall tone"),
    ],
)
def test_tone_toward(targets, side, expected):
    assert tone_toward(statement(0, 1, tone=0.3, targets=targets), side) == pytest.approx(expected)


# --------------------------------------------------------------------- the real analyser


def _real_analyzer_missing() -> str | None:
    try:
        from analysis import analyze_text  # noqa: F401
    except ImportError as error:
        return f"the extractor is not there yet: {error}"
    return None


REAL_ANALYZER_MISSING = _real_analyzer_missing()


@pytest.mark.skipif(REAL_ANALYZER_MISSING is not None, reason=str(REAL_ANALYZER_MISSING))
def test_evaluate_polnear_with_the_real_analyser():
    folder = shared_path("polnear", "dev")
    report = evaluate_polnear(folder, limit=3)
    assert report.keys() >= POLNEAR_KEYS
    assert report["articles"] + report["skipped"] == 3
    assert 0 <= report["f1"] <= 1
    assert isinstance(report["model"], str)
    assert report["model"] != INJECTED
