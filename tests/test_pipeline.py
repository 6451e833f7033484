"""The whole analysis: statements with speakers, sides, targets, dates and tone, and its figures on the seed."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import fields
from datetime import date

import pytest

from analysis import SAMPLE_ARTICLE, analyze_file, analyze_text, evaluate
from analysis.models import Statement
from tests.conftest import PROJECT, shared_path


@pytest.fixture(scope="module")
def seed_report() -> dict[str, object]:
    # The lexicon scorer: the tone issue's bar is set for it (the model's seed figure is in the README).
    return evaluate.evaluate_seed(shared_path("seed", "gold.json"), scorer="lexicon")


def test_seed_figures(seed_report):
    """The issue's bar: 14 of 15 found with speaker and side, every dated one right, no non-statement."""
    assert seed_report["found"] >= 14, [d for d in seed_report["details"] if not d["found"]]
    assert seed_report["said_on_correct"] == seed_report["said_on_scored"] > 0
    assert seed_report["not_statements_violated"] == []
    # The tone issue's bar: the label right for at least 12 of the 14 gold tones not marked ambiguous.
    assert seed_report["tone_scored"] == 14
    assert seed_report["tone_correct"] >= 12, [d for d in seed_report["details"] if d.get("tone_correct") is False]


def test_the_sample_article_analyses(seed_text):
    (analysis,) = analyze_file(SAMPLE_ARTICLE)
    assert analysis.article.text == seed_text[: len(analysis.article.text)]
    statements = analysis.statements
    assert len(statements) >= 15
    for statement in statements:
        assert 0 <= statement.content_start < statement.content_end <= len(analysis.article.text)
        assert len(statement.targets) == len(statement.target_sides) == len(statement.target_tones)
        assert statement.speaker not in statement.targets
        assert -1.0 <= statement.tone <= 1.0
        assert statement.kind in {"direct", "reported", "mixed", "speech", "question"}
        assert statement.resolution in {"name", "alias", "role", "pronoun", "turn", "declared", "unknown"}
        # Headings are never statements.
        assert not any(s <= statement.content_start < e for s, e in analysis.article.headings)
    by_speaker = {s.speaker for s in statements}
    assert {"Vladimir Putin", "Joe Biden", "Jen Psaki", "Dmitry Peskov", "Kremlin", "CIA"} <= by_speaker


SPEECH = (
    "We will defend our country against any aggression. "
    "Foreign Minister Sergey Lavrov said the talks in Geneva had failed. "
    "Our door remains open for dialogue."
)


def test_a_declared_speaker_owns_the_documents_own_sentences():
    analysis = analyze_text(SPEECH, published="2022-02-21", speaker="Vladimir Putin")
    rows = [(s.kind, s.speaker, s.speaker_side, s.resolution) for s in analysis.statements]
    assert rows == [
        ("speech", "Vladimir Putin", "RUS", "declared"),
        ("reported", "Sergey Lavrov", "RUS", "name"),
        ("speech", "Vladimir Putin", "RUS", "declared"),
    ]
    assert all(s.said_on == date(2022, 2, 21) for s in analysis.statements)


TRANSCRIPT = """President: Barack Obama

THE PRESIDENT: Good afternoon. We have imposed sanctions on Russia.

Q Mr. President, will you meet Putin?

THE PRESIDENT: I said that we are open to talks.
"""


def test_transcript_turns_and_questions():
    analysis = analyze_text(TRANSCRIPT, published="2014-03-17")
    rows = [(s.kind, s.speaker, s.resolution) for s in analysis.statements]
    assert ("speech", "Barack Obama", "turn") in rows
    assert ("question", "journalist", "turn") in rows
    assert all(speaker != "Q" for _, speaker, _ in rows)
    said = next(s for s in analysis.statements if s.cue == "said")
    assert (said.speaker, said.kind) == ("Barack Obama", "reported")
    # The "President: ..." header line is metadata, never a statement.
    assert all(s.content_start > len("President: Barack Obama") for s in analysis.statements)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "Talks resumed in Geneva on Monday.", "Кремль заявил, что предложение остается в силе."],
)
def test_text_without_statements_gives_an_empty_list(text):
    assert analyze_text(text).statements == []


def test_a_hundred_thousand_words_are_processed_in_pieces():
    narration = "The delegations met again in a large hall near the lake and then walked outside. "
    statement = "Peskov said the talks were useful. "
    text = (narration * 300 + statement) * 25  # ~ 100,000 words in one paragraph
    assert len(text.split()) > 100_000
    analysis = analyze_text(text, published="2021-03-19")
    assert len(analysis.statements) == 25
    assert {s.speaker for s in analysis.statements} == {"Dmitry Peskov"}


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", *arguments], cwd=PROJECT, capture_output=True, text=True, timeout=300
    )


def test_extract_jsonl_has_every_statement_field_and_the_article_id():
    result = run_cli("extract", str(SAMPLE_ARTICLE))
    assert result.returncode == 0, result.stderr
    assert "spaCy model: en_core_web_sm" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 15
    assert {f.name for f in fields(Statement)} | {"article_id", "content", "source"} <= set(rows[0])
    assert {row["article_id"] for row in rows} == {analyze_file(SAMPLE_ARTICLE)[0].article.id}


def test_extract_csv_neutralises_formulas(tmp_path):
    path = tmp_path / "formula.txt"
    path.write_text("Title\n\n=HYPERLINK(1) said that the talks were useful and would continue.\n", "utf-8")
    result = run_cli("extract", str(path), "--format", "csv", "--speaker", "@Someone")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert any(value.startswith("'=") for row in rows for value in row.values()), "nothing was neutralised"
    for row in rows:
        for value in row.values():
            assert (
                not value.startswith(("=", "+", "-", "@", "\t", "\r")) or value.lstrip("-").replace(".", "").isdigit()
            )
        float(row["tone"])  # numbers stay numbers
