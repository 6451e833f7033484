"""`python -m analysis report`: one self-contained HTML file, article text escaped, on stores in tmp_path."""

from __future__ import annotations

import json
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


MIXED_RU = (
    "Lavrov said the United States was wrong about Ukraine.\n\n"
    "Лавров заявил, что Соединённые Штаты ошибаются насчёт Украины и что Вашингтон совершил серьёзную "
    "ошибку, а Песков сказал журналистам то же самое ещё раз.\n\n"
    "Захарова заявила, что санкции провалятся, и Рябков сказал, что диалог невозможен."
)


@pytest.mark.parametrize(
    ("flags", "languages", "statements_in_russian"),
    [((), ["en"], 0), (("--all-languages",), None, 1)],
)
def test_report_leaves_out_other_languages_by_default(tmp_path: Path, flags, languages, statements_in_russian) -> None:
    db = tmp_path / "corpus.sqlite"
    with Store(db) as corpus:
        article = ingest.load_text(MIXED_RU, title="Смешанный текст", published="2022-01-10")
        assert article.language == "ru"
        corpus.add([*ingest.load(analysis.SAMPLE_ARTICLE), article], scorer="lexicon")
        assert len(corpus.statements({"languages": ["ru"]})) >= 1
        english = len(corpus.statements({"languages": ["en"]}))
        assert english + len(corpus.statements({"languages": ["ru"]})) == len(corpus.statements())
    out = tmp_path / "report.html"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--db", str(db), "--out", str(out), *flags],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["filters"].get("languages") == languages
    page = out.read_text(encoding="utf-8")
    assert ("Смешанный текст" in page) == bool(statements_in_russian)
