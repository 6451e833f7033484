"""`python -m analysis ingest`: JSON per article on stdout, a line per failure on stderr, exit status."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import SAMPLE_ARTICLE
from tests.conftest import PROJECT


def run(*arguments: str) -> subprocess.CompletedProcess[str]:  # the environment is inherited (TENSION_DB)
    return subprocess.run(
        [sys.executable, "-m", "analysis", *arguments],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


CASES = [
    # (arguments, exit status, articles on stdout, lines on stderr)
    (["ingest", str(SAMPLE_ARTICLE)], 0, 1, []),
    (["ingest", "missing.txt"], 1, 0, ["error: missing.txt: no such file"]),
    (["ingest", "ftp://example.org/x"], 1, 0, ["error: ftp://example.org/x: bad URL: only http and https"]),
    (["ingest", str(SAMPLE_ARTICLE), "missing.txt", "--db", "x.sqlite"], 1, 1, ["error: missing.txt: no such file"]),
]


@pytest.mark.parametrize(("arguments", "status", "articles", "errors"), CASES)
def test_ingest_command(arguments, status, articles, errors):
    result = run(*arguments)
    assert result.returncode == status, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == articles
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == len(errors)
    for line, expected in zip(error_lines, errors, strict=True):
        assert line.startswith(expected), line


def test_ingest_prints_metadata_and_text_length_not_text():
    row = json.loads(run("ingest", str(SAMPLE_ARTICLE)).stdout)
    assert row["published"] == "2021-03-19"
    assert row["language"] == "en"
    assert row["origin"] == SAMPLE_ARTICLE.name
    assert row["text_length"] == len(SAMPLE_ARTICLE.read_text(encoding="utf-8").split("\n\nSource link")[0])
    assert "text" not in row
    assert set(row) >= {"id", "title", "published", "source", "url", "author", "origin", "speaker", "language"}


def test_ingest_reports_each_bad_record_of_a_batch(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "Lavrov said the talks were useful."}\nnot json\n', encoding="utf-8")
    result = run("ingest", str(path), "--max-mb", "1")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert "error: batch.jsonl: line 2: invalid JSON" in result.stderr


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("ingest").returncode == 2


def test_add_articles_remove_round_trip(tmp_path, monkeypatch):
    """The store commands on a store in a temporary folder (never the user's)."""
    monkeypatch.setenv("TENSION_DB", str(tmp_path / "corpus.sqlite"))
    first = run("add", str(SAMPLE_ARTICLE), "--scorer", "lexicon")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"added": 1, "duplicates": 0, "failed": 0, "limited": 0}
    assert f"store: {tmp_path / 'corpus.sqlite'}" in first.stderr
    again = run("add", str(SAMPLE_ARTICLE), "--scorer", "lexicon")
    assert json.loads(again.stdout) == {"added": 0, "duplicates": 1, "failed": 0, "limited": 0}
    (row,) = json.loads(run("articles", "--format", "json").stdout)
    assert row["statements"] >= 15
    assert row["published"] == "2021-03-19"
    assert json.loads(run("rescore").stdout)["stale"] == 0
    removed = run("remove", row["id"][:12], "not-an-id")
    assert removed.returncode == 1
    assert removed.stdout.startswith(f"removed {row['id']}")
    assert "error: not-an-id: no stored article has this id" in removed.stderr
    assert json.loads(run("articles", "--format", "json").stdout) == []


def test_a_corrupt_store_is_named_and_left_alone(tmp_path):
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 10)
    result = run("articles", "--db", str(corrupt))
    assert result.returncode == 1
    assert str(corrupt) in result.stderr
    assert corrupt.read_bytes() == b"this is not a database" * 10
