"""`python -m analysis report`: one self-contained HTML file, article text escaped, on stores in tmp_path."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis import ingest
from analysis.store import Store, analysis_version
from tests.conftest import PROJECT

HOSTILE = "Hostile <script>alert(1)</script> title\n\nLavrov said that Washington had behaved like a <b>thug</b>."


def report(db: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--db", str(db), "--out", str(out)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def check_offline(page: str) -> None:
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert 'src="https://' not in page


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("report") / "corpus.sqlite"
    with Store(db) as corpus:
        articles = [*ingest.load(analysis.SAMPLE_ARTICLE), ingest.load_text(HOSTILE, published="2021-03-20")]
        added = corpus.add(articles, scorer="lexicon")
        assert not added.failed
    return db


def test_report_is_self_contained_and_escaped(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = report(filled, out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert analysis_version() in page
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "<b>thug</b>" not in page
    check_offline(page)
    assert "vegaEmbed" in page and "vega-lite" in page
    assert 'id="timeline"' in page and 'id="matrix"' in page
    assert not list(tmp_path.glob(".report.html.*"))  # no temporary left behind


def test_report_of_an_empty_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite"
    Store(db).close()
    out = tmp_path / "empty.html"
    result = report(db, out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "nothing to report yet" in page
    assert analysis_version() in page
    check_offline(page)
