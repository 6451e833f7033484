"""The dashboard run headless with Streamlit's AppTest, each test on its own store (TENSION_DB)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import analysis
from analysis import SAMPLE_ARTICLE
from analysis.ingest import load, load_bytes
from analysis.models import Article
from analysis.store import Store

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
VIEWS = ("Overview", "Actors", "Statements", "Articles", "Unresolved speakers")

# Article text that a Markdown or HTML renderer would change: it must be shown as written.
MARKUP_TEXT = (
    "Markup test <img src=x onerror=alert(1)>\n\n"
    "The spokesman said <script>alert('x')</script> and <b>bold</b> were not rendered, "
    "nor **stars**, [a link](https://example.org) or # a heading.\n"
)

# A second article, a year after the sample, with statements of both sides about the other.
SECOND = (
    "Lavrov warns Washington\n\n"
    "MOSCOW, June 3, 2022 - Russian Foreign Minister Sergei Lavrov said on Friday that Washington was "
    "destroying the last arms control treaties and that Moscow would respond firmly to any new sanctions.\n\n"
    "US Secretary of State Antony Blinken said Russia had chosen confrontation and that the United States "
    "would hold Moscow accountable for its aggression.\n"
)


@pytest.fixture(scope="session")
def sample() -> Article:
    (article,) = load(SAMPLE_ARTICLE)
    return article


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "corpus.sqlite"
    monkeypatch.setenv("TENSION_DB", str(path))
    return path


@pytest.fixture
def app(db: Path) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def media_managers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MediaFileManager]]:
    """The media file managers AppTest creates for its runs (one per run), to fetch downloads from."""
    made: list[MediaFileManager] = []
    original = MediaFileManager.__init__

    def record(self: MediaFileManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(MediaFileManager, "__init__", record)
    yield made


def chart_data(at: AppTest, key: str) -> pd.DataFrame:
    """The data of the Altair chart with this key, decoded from the Arrow bytes sent to the page."""
    (chart,) = [element for element in at.get("vega_lite_chart") if element.proto.id and key in element.proto.id]
    frames = [pa.ipc.open_stream(dataset.data.data).read_pandas() for dataset in chart.proto.datasets]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def metric(at: AppTest, label: str) -> str:
    return next(element.value for element in at.metric if element.label == label)


def unescaped(message: str) -> str:
    """A message as the user reads it (the page escapes Markdown in it)."""
    return re.sub(r"\\(.)", r"\1", message)


def sidebar_messages(at: AppTest) -> list[tuple[str, str]]:
    return [
        (kind, unescaped(e.value))
        for kind in ("success", "info", "warning", "error")
        for e in getattr(at.sidebar, kind)
    ]


def show(at: AppTest, view: str) -> AppTest:
    at.radio("view").set_value(view).run()
    assert not at.exception, at.exception
    return at


def test_a_new_store_opens_on_the_sample(app: AppTest, db: Path, sample: Article) -> None:
    assert [title.value for title in app.title] == ["Diplomatic tension"]
    assert not app.error
    assert metric(app, "Articles") == "1"
    assert int(metric(app, "Statements")) > 10
    assert metric(app, "USA→RUS tone").startswith("-")
    with Store(db) as corpus:
        assert [row["id"] for row in corpus.articles()] == [sample.id]
    points = chart_data(app, "timeline")
    assert set(points["dyad"]) == {"USA→RUS", "RUS→USA"}


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_renders(app: AppTest, view: str) -> None:
    show(app, view)
    assert not app.error
    assert app.radio("view").value == view


def test_an_upload_adds_an_article_to_the_store_and_the_timeline(app: AppTest, db: Path) -> None:
    before = chart_data(app, "timeline")
    app.file_uploader("upload_files").upload("lavrov.txt", SECOND.encode(), "text/plain").run()
    assert not app.exception
    assert ("success", "lavrov.txt: 1 added, 0 already stored") in sidebar_messages(app)
    assert metric(app, "Articles") == "2"
    after = chart_data(app, "timeline")
    assert len(after) > len(before)
    assert "2022-05-30/2022-06-05" in set(after["period"])
    with Store(db) as corpus:
        assert len(corpus.articles()) == 2
    app.run()  # the same upload is not analysed again on the next rerun
    assert metric(app, "Articles") == "2"


UPLOADS = [
    # (file name, content, sidebar messages (kind, start))
    ("broken.pdf", b"this is not a PDF", [("error", "broken.pdf: failed. not a readable PDF")]),
    (
        "batch.jsonl",
        b'{"text": "Lavrov said the talks were useful."}\n{"broken\n',
        [("success", "batch.jsonl: 1 added"), ("warning", "batch.jsonl: 1 skipped:\n- line 2: invalid JSON")],
    ),
    ("[click](http://x.org) **b**.txt", b"", [("error", "[click](http://x.org) **b**.txt: failed.")]),
    ("sample.txt", SAMPLE_ARTICLE.read_bytes(), [("info", "sample.txt: duplicate (0 added, 1 already stored)")]),
]


@pytest.mark.parametrize(("filename", "content", "messages"), UPLOADS, ids=[row[0] for row in UPLOADS])
def test_upload_reports_each_file(app: AppTest, filename: str, content: bytes, messages: list) -> None:
    app.file_uploader("upload_files").upload(filename, content, "application/octet-stream").run()
    assert not app.exception
    shown = sidebar_messages(app)
    assert len(shown) == len(messages), shown
    for (kind, text), (expected_kind, start) in zip(shown, messages, strict=True):
        assert kind == expected_kind
        assert text.startswith(start), text


def test_markdown_in_file_names_is_escaped(app: AppTest) -> None:
    app.file_uploader("upload_files").upload("[click](http://x.org).txt", b"", "text/plain").run()
    (message,) = app.sidebar.error
    assert "\\[click\\]\\(http\\:" in message.value


def test_pasted_text_is_added_with_its_title_and_date(app: AppTest, db: Path) -> None:
    app.text_area("add_text").input(SECOND)
    app.text_input("add_title").input("Pasted <b>Lavrov</b>")
    app.button("FormSubmitter:add_form-Add").click().run()
    assert not app.exception
    assert ("success", "Pasted <b>Lavrov</b>: 1 added, 0 already stored") in sidebar_messages(app)
    with Store(db) as corpus:
        assert "Pasted <b>Lavrov</b>" in {row["title"] for row in corpus.articles()}


def test_a_filter_changes_the_statements_table(app: AppTest) -> None:
    show(app, "Statements")
    everything = app.dataframe(key="statements_table").value
    assert set(everything["side"]) == {"USA", "RUS"}
    app.multiselect("speakers").set_value(["Joe Biden"]).run()
    only = app.dataframe(key="statements_table").value
    assert 0 < len(only) < len(everything)
    assert set(only["speaker"]) == {"Joe Biden"}
    app.text_input("search").input("no such words anywhere").run()
    assert app.dataframe(key="statements_table").value.empty


def test_filters_survive_switching_views(app: AppTest) -> None:
    app.multiselect("speakers").set_value(["Joe Biden"]).run()
    app.selectbox("freq").set_value("M").run()
    for view in VIEWS:
        show(app, view)
        assert app.multiselect("speakers").value == ["Joe Biden"]
        assert app.selectbox("freq").value == "M"


def test_questions_are_off_by_default(app: AppTest) -> None:
    assert "question" not in app.multiselect("kinds").value
    assert set(app.multiselect("kinds").options) >= {"question", "direct", "reported"}


def test_png_export_is_a_real_png(db: Path, media_managers: list[MediaFileManager]) -> None:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    button = at.get("download_button")
    (png,) = [element for element in button if element.proto.id.endswith("export_timeline_png")]
    assert png.proto.deferred_file_id, "the PNG is made when the button is clicked"
    manager = media_managers[-1]
    url = manager.execute_deferred(png.proto.deferred_file_id)
    stored = manager._storage.get_file(Path(url).stem)
    assert stored.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert stored.mimetype == "image/png"


def test_markup_in_article_text_stays_literal(app: AppTest) -> None:
    (article,) = load_bytes(MARKUP_TEXT.encode(), "markup.txt")
    app.file_uploader("upload_files").upload("markup.txt", MARKUP_TEXT.encode(), "text/plain").run()
    show(app, "Articles")
    app.selectbox("article_pick").set_value(article.id).run()
    assert not app.exception
    (page,) = [element.proto.body for element in app.get("html")]
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "**stars**, [a link](https://example.org)" in page


def test_an_article_is_removed_only_after_confirmation(app: AppTest, db: Path, sample: Article) -> None:
    show(app, "Articles")
    app.button("remove_article_button").click().run()
    assert any("cannot be undone" in element.value for element in app.warning)
    app.button("remove_no").click().run()
    with Store(db) as corpus:
        assert len(corpus.articles()) == 1
    app.button("remove_article_button").click().run()
    app.button("remove_yes").click().run()
    assert not app.exception
    with Store(db) as corpus:
        assert corpus.articles() == []


def test_a_link_opens_the_article_view(db: Path, sample: Article) -> None:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params["article"] = sample.id
    at.run()
    assert at.radio("view").value == "Articles"
    assert at.selectbox("article_pick").value == sample.id


def test_a_corrupt_store_is_named_and_left_untouched(db: Path) -> None:
    db.write_bytes(b"this is not a database, and must stay as it is\n" * 100)
    before = db.read_bytes()
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert not at.exception
    (error,) = at.error
    assert str(db) in unescaped(error.value)
    assert "not a SQLite database" in unescaped(error.value)
    assert any("TENSION_DB" in element.value for element in at.markdown)
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("broken.pdf", b"this is not a PDF"),  # unreadable: IngestError
        ("missing.txt", None),  # absent: OSError before ingest is called
    ],
)
def test_an_unreadable_sample_shows_an_error_not_a_traceback(
    db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, filename: str, content: bytes | None
) -> None:
    sample_path = tmp_path / filename
    if content is not None:
        sample_path.write_bytes(content)
    monkeypatch.setattr(analysis, "SAMPLE_ARTICLE", sample_path)
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120).run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Could not add the bundled sample article:")
    assert filename in unescaped(at.error[0].value)
    assert [info.value for info in at.main.info] == ["The store holds no statements yet. Add articles in the sidebar."]


def test_statement_exports_are_offered(app: AppTest) -> None:
    show(app, "Statements")
    keys = {element.proto.id.rsplit("-", 1)[-1] for element in app.get("download_button")}
    assert {"export_csv", "export_json", "export_report"} <= keys


RUSSIAN = (
    "Лавров предупредил Вашингтон\n\n"
    "Министр иностранных дел России Сергей Лавров заявил в пятницу, что Вашингтон разрушает последние "
    "договоры о контроле над вооружениями и что Москва твёрдо ответит на любые новые санкции.\n"
)


def test_an_article_not_in_english_is_flagged(app: AppTest) -> None:
    (article,) = load_bytes(RUSSIAN.encode(), "lavrov-ru.txt")
    assert article.language == "ru"
    app.file_uploader("upload_files").upload("lavrov-ru.txt", RUSSIAN.encode(), "text/plain").run()
    assert metric(app, "Articles") == "1"  # its statements, if any, stay out of the figures
    show(app, "Articles")
    table = app.container("articles_list").dataframe[0].value
    assert dict(zip(table["title"], table["language"], strict=True))[article.title] == "ru"
    app.selectbox("article_pick").set_value(article.id).run()
    assert any("not in English" in element.value for element in app.warning)


def test_fifty_files_at_once_some_bad(app: AppTest, db: Path) -> None:
    uploader = app.file_uploader("upload_files")
    bad = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 4,
        "broken.pdf": b"%PDF-1.7\n1 0 obj",
        "fake.docx": b"not a zip at all",
        "bad.json": b"{not json",
    }
    names = []
    for index in range(50):
        if index % 10 == 9:  # five bad files among them
            name = list(bad)[index // 10]
            uploader.upload(name, bad[name])
        else:
            name = f"note-{index:02d}.txt"
            text = (
                f"Note {index}\n\nSergei Lavrov said on Monday that talks number {index} with Washington were useful."
            )
            uploader.upload(name, text.encode())
        names.append(name)
    app.run(timeout=300)
    assert not app.exception
    outcomes = sidebar_messages(app)
    assert len(outcomes) == 50
    assert sorted(text.split(":")[0] for _kind, text in outcomes) == sorted(names)
    assert sorted(text.split(":")[0] for kind, text in outcomes if kind == "error") == sorted(bad)
    with Store(db) as corpus:
        assert len(corpus.articles()) == 1 + 45
    show(app, "Articles")
    assert len(app.container("articles_list").dataframe[0].value) == 46
