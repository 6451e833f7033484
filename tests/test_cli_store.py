"""`import ungdc`, `export` and `add -j N` on stores in temporary folders (never the user's)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analysis import ingest, ungdc
from analysis.store import Store, analysis_version
from tests.conftest import PROJECT, shared_path

SESSION = "Session 79 - 2024"


def run(*arguments: str, db: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "TENSION_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def speeches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A UNGDC-layout folder: the 2024 US and Russian speeches and one macOS `._` junk file."""
    folder = tmp_path_factory.mktemp("ungdc")
    session = folder / SESSION
    session.mkdir()
    for name in ("USA_79_2024.txt", "RUS_79_2024.txt"):
        shutil.copy(shared_path("speeches", "ungdc", "TXT", SESSION, name), session / name)
    (session / "._USA_79_2024.txt").write_bytes(b"\x00\x05\x16\x07 Mac OS X resource fork")
    return folder


@pytest.fixture(scope="module")
def imported(speeches: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    db = tmp_path_factory.mktemp("store") / "corpus.sqlite"
    return db, run("import", "ungdc", str(speeches), "--scorer", "lexicon", db=db)


def test_iter_speeches_declares_the_country_and_session_date(speeches, tmp_path):
    skipped = []
    articles = list(ungdc.iter_speeches(speeches, skipped=lambda path, reason: skipped.append(path.name)))
    assert [article.speaker for article in articles] == ["Russia", "United States"]  # sorted by file name
    assert {article.published for article in articles} == {date(2024, 9, 15)}
    assert articles[1].title == "UN General Debate 2024: United States"
    assert {article.source for article in articles} == {"UN General Debate Corpus"}
    assert skipped == ["._USA_79_2024.txt"]
    assert ungdc.country_actor("UKR") == "Ukraine"
    assert ungdc.country_actor("XXX") is None


def test_iter_speeches_reports_unknown_countries_and_stray_names(tmp_path):
    session = tmp_path / SESSION
    session.mkdir()
    (session / "XXX_79_2024.txt").write_text("We said the talks were useful.", encoding="utf-8")
    (session / "notes.txt").write_text("not a speech", encoding="utf-8")
    (session / "USA_79_2023.txt").write_text("We said the talks were useful.", encoding="utf-8")
    skipped, failed = [], []
    articles = list(
        ungdc.iter_speeches(
            tmp_path,
            skipped=lambda path, reason: skipped.append(path.name),
            failed=lambda path, reason: failed.append((path.name, reason)),
        )
    )
    assert articles == []
    assert sorted(skipped) == ["USA_79_2023.txt", "notes.txt"]
    assert failed == [("XXX_79_2024.txt", "country code XXX has no country actor in data/actors.csv")]


def test_import_ungdc_stores_the_speeches_and_skips_junk(imported):
    db, result = imported
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "speeches": 2,
        "skipped": 1,
        "added": 2,
        "duplicates": 0,
        "failed": 0,
        "limited": 0,
    }
    assert "skipped:" in result.stderr and "._USA_79_2024.txt" in result.stderr
    rows = json.loads(run("articles", "--format", "json", db=db).stdout)
    assert len(rows) == 2
    assert sorted(row["title"] for row in rows) == [
        "UN General Debate 2024: Russia",
        "UN General Debate 2024: United States",
    ]
    assert {row["published"] for row in rows} == {"2024-09-15"}


def test_export_json_carries_the_speakers_sides_and_version(imported, tmp_path):
    db, _ = imported
    out = tmp_path / "statements.json"
    result = run("export", "--format", "json", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["analysis_version"] == analysis_version()
    assert document["filters"] == {}
    speech = [row for row in document["statements"] if row["kind"] == "speech"]
    sides = {row["title"]: {r["speaker_side"] for r in speech if r["title"] == row["title"]} for row in speech}
    assert sides == {"UN General Debate 2024: United States": {"USA"}, "UN General Debate 2024: Russia": {"RUS"}}
    first = document["statements"][0]
    assert isinstance(first["targets"], list) and isinstance(first["tone"], float)
    assert first["published"] == "2024-09-15"
    assert first["content"] and first["analysis_version"] == analysis_version()
    assert json.loads(result.stdout)["statements"] == len(document["statements"])


def test_export_filters_are_recorded(imported, tmp_path):
    db, _ = imported
    out = tmp_path / "rus.json"
    assert run("export", "--format", "json", "--out", str(out), "--side", "RUS", db=db).returncode == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["filters"] == {"sides": ["RUS"]}
    assert document["statements"] and {row["speaker_side"] for row in document["statements"]} == {"RUS"}


def test_export_parquet_is_readable_by_pandas(imported, tmp_path):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    db, _ = imported
    out = tmp_path / "statements.parquet"
    assert run("export", "--format", "parquet", "--out", str(out), db=db).returncode == 0
    frame = pandas.read_parquet(out)
    assert len(frame) > 100
    assert {"USA", "RUS"} <= set(frame["speaker_side"].dropna())
    assert frame["tone"].dtype == "float64"
    assert set(frame["analysis_version"]) == {analysis_version()}
    assert frame["content"].str.len().min() > 0


def test_export_csv_neutralises_formulas_and_keeps_numbers(tmp_path):
    db = tmp_path / "corpus.sqlite"
    article = ingest.load_text("Title\n\n=HYPERLINK(1) said that the talks were useful.")
    with Store(db) as corpus:
        assert len(corpus.add([article], "lexicon").added) == 1
    out = tmp_path / "statements.csv"
    result = run("export", "--format", "csv", "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert any(cell.startswith("'=") for cell in cells)
    (row,) = rows
    assert float(row["tone"]) > 0
    assert not row["tone"].startswith("'")
    assert row["content"] == "the talks were useful"
    assert row["analysis_version"] == analysis_version()


def test_a_failed_export_leaves_no_file(tmp_path):
    db = tmp_path / "corpus.sqlite"
    out = tmp_path / "missing" / "statements.csv"
    result = run("export", "--format", "csv", "--out", str(out), db=db)
    assert result.returncode == 1
    assert "error:" in result.stderr
    assert not out.exists()
    # An export that fails while writing leaves neither a half file nor its temporary.
    blocked = tmp_path / "blocked.json"
    blocked.mkdir()
    assert run("export", "--format", "json", "--out", str(blocked), db=db).returncode == 1
    assert blocked.is_dir()
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []


def test_add_in_two_processes_adds_both(tmp_path):
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("Lavrov said that the talks were useful.", encoding="utf-8")
    second.write_text("Blinken said the sanctions would stay in place.", encoding="utf-8")
    db = tmp_path / "corpus.sqlite"
    result = run("add", str(first), str(second), "-j", "2", "--scorer", "lexicon", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"added": 2, "duplicates": 0, "failed": 0, "limited": 0}
    assert "add: 2/2 articles analysed" in result.stderr
    again = run("add", str(first), str(second), "-j", "2", "--scorer", "lexicon", db=db)
    assert json.loads(again.stdout) == {"added": 0, "duplicates": 2, "failed": 0, "limited": 0}
    rows = json.loads(run("articles", "--format", "json", db=db).stdout)
    assert sorted(row["origin"] for row in rows) == ["a.txt", "b.txt"]
    assert all(row["statements"] >= 1 for row in rows)
