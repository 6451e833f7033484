"""The dashboard run headless with Streamlit's AppTest."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import analysis
from analysis import SAMPLE_ARTICLE
from analysis.ingest import load, load_bytes
from analysis.models import Article

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"

# Article text that a Markdown or HTML renderer would change: it must be shown as written.
MARKUP_TEXT = (
    "Markup test\n\n"
    "The spokesman said <script>alert('x')</script> and <b>bold</b> were not rendered, "
    "nor **stars**, [a link](https://example.org) or # a heading.\n"
)


@pytest.fixture(scope="session")
def sample() -> Article:
    (article,) = load(SAMPLE_ARTICLE)
    return article


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.run()
    return at


def articles_table(at: AppTest) -> pd.DataFrame:
    return at.container("articles_table").dataframe[0].value


def shown_texts(at: AppTest) -> list[str]:
    return [element.value for element in at.container("article_detail").text]


def test_page_runs_without_exception_or_error(app: AppTest) -> None:
    assert not app.exception
    assert not app.error
    assert [title.value for title in app.title] == ["Diplomatic tension"]
    assert app.caption, "the caption saying what comes later is missing"


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("title", lambda a: a.title),
        ("published", lambda a: a.published),
        ("origin", lambda a: a.origin),
        ("language", lambda a: a.language),
        ("characters", lambda a: len(a.text)),
        ("id", lambda a: a.id[:12]),
    ],
)
def test_table_lists_the_sample(
    app: AppTest, sample: Article, column: str, expected: Callable[[Article], object]
) -> None:
    table = articles_table(app)
    assert len(table) == 1
    assert table[column].iloc[0] == expected(sample)


def test_selected_article_shows_its_title_and_full_text(app: AppTest, sample: Article) -> None:
    select = app.selectbox("articles_select")
    assert select.value == sample.id
    assert select.format_func(select.value) == (sample.title or sample.origin)
    assert sample.text.strip() in shown_texts(app)
    metadata = app.container("article_detail").dataframe[0].value.set_index("field")["value"]
    assert metadata["title"] == sample.title
    assert metadata["id"] == sample.id


def unescaped(message: str) -> str:
    """A sidebar message as the user reads it (the page escapes Markdown in it)."""
    return re.sub(r"\\(.)", r"\1", message)


UPLOADS = [
    # (file name, content, messages (kind, start), rows in the table afterwards)
    ("markup.txt", MARKUP_TEXT.encode(), [("success", "markup.txt: loaded 1 article")], 2),
    ("broken.pdf", b"this is not a PDF", [("error", "broken.pdf: failed. broken.pdf: not a readable PDF")], 1),
    (
        "batch.jsonl",
        b'{"text": "Lavrov said the talks were useful."}\n{"broken\n',
        [("success", "batch.jsonl: loaded 1 article"), ("warning", "batch.jsonl: 1 skipped:\n- line 2: invalid JSON")],
        2,
    ),
    ("[click](http://x.org) **b**.txt", b"", [("error", "[click](http://x.org) **b**.txt: failed.")], 1),
]


@pytest.mark.parametrize(("filename", "content", "messages", "rows"), UPLOADS, ids=[row[0] for row in UPLOADS])
def test_upload_reports_each_file(app: AppTest, filename: str, content: bytes, messages: list, rows: int) -> None:
    app.file_uploader("upload_files").upload(filename, content, "application/octet-stream").run()
    assert not app.exception
    shown = [
        (kind, unescaped(element.value))
        for kind in ("success", "warning", "error")
        for element in getattr(app.sidebar, kind)
    ]
    assert len(shown) == len(messages), shown
    for (kind, text), (expected_kind, start) in zip(shown, messages, strict=True):
        assert kind == expected_kind
        assert text.startswith(start), text
    assert len(articles_table(app)) == rows


def test_markdown_in_file_names_is_escaped(app: AppTest) -> None:
    app.file_uploader("upload_files").upload("[click](http://x.org).txt", b"", "text/plain").run()
    (message,) = app.sidebar.error
    assert "\\[click\\]\\(http\\:" in message.value


def test_markup_in_article_text_stays_literal(app: AppTest) -> None:
    (article,) = load_bytes(MARKUP_TEXT.encode(), "markup.txt")
    app.file_uploader("upload_files").upload("markup.txt", MARKUP_TEXT.encode(), "text/plain")
    app.run()
    app.selectbox("articles_select").set_value(article.id).run()
    assert not app.exception
    assert article.text.strip() in shown_texts(app)
    literal = ["<script>alert('x')</script>", "<b>bold</b>", "**stars**", "[a link]("]
    assert all(any(part in text for text in shown_texts(app)) for part in literal)
    rendered = [element.value for element in (*app.markdown, *app.html)]
    assert not any("<script>" in value or "[a link](" in value for value in rendered)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("broken.pdf", b"this is not a PDF"),  # unreadable: IngestError
        ("missing.txt", None),  # absent: OSError before ingest is called
    ],
)
def test_unreadable_sample_shows_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, filename: str, content: bytes | None
) -> None:
    sample_path = tmp_path / filename
    if content is not None:
        sample_path.write_bytes(content)
    monkeypatch.setattr(analysis, "SAMPLE_ARTICLE", sample_path)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Could not load the bundled sample article:")
    assert filename in unescaped(at.error[0].value)
    assert [info.value for info in at.main.info] == ["No articles loaded. Add some with the uploader in the sidebar."]
