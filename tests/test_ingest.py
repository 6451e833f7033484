"""analysis.ingest: every format in, clean text and metadata out; every failure named.

Each format is tested on a real file the test writes from the bundled sample
(the seed article), so the same words must come out whatever wrapped them.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

import docx
import pytest
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from analysis import SAMPLE_ARTICLE, ingest, textprep
from analysis.ingest import IngestError, load, load_bytes, load_bytes_report, load_report, load_text, load_url

SEED_TITLE = (
    "The Kremlin, in response to whether a new cold war has begun with America: We are preparing for the worst 1"
)
SEED_DATE = date(2021, 3, 19)
# Words from the first, middle and last body paragraphs: whatever the format, they come out.
SEED_WORDS = ("Kremlin spokesman Dmitry Peskov", "Jane Saki made it clear", "there we always see ourselves")
BOILERPLATE = ("Source link", "Leave a Reply", "Your email address", "Back to top")


def _collapse(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------ file builders


def write_txt(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "kremlin-cold-war-2021-03-19.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


def write_txt_bom(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(seed_text.encode("utf-8-sig"))
    return path


def write_txt_utf16(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(seed_text.encode("utf-16"))
    return path


def write_txt_utf16_no_bom(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(seed_text.encode("utf-16-le"))
    return path


def write_txt_cp1252(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(seed_text.encode("cp1252"))
    return path


def write_md(tmp_path: Path, _seed_text: str, paragraphs: list[str]) -> Path:
    body = "\n\n".join(f"## {p}" if len(p) < 70 and not p.endswith(".") else p for p in paragraphs)
    path = tmp_path / "article.md"
    path.write_text(f"# {SEED_TITLE}\n\n{body}\n", encoding="utf-8")
    return path


def write_html(tmp_path: Path, _seed_text: str, paragraphs: list[str]) -> Path:
    body = "\n".join(f"<h2>{p}</h2>" if len(p) < 70 and not p.endswith(".") else f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{SEED_TITLE} | Example News</title>
<meta property="og:title" content="{SEED_TITLE}">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2021-03-19T09:30:00Z">
<meta property="og:site_name" content="Example News"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>{SEED_TITLE}</h1>{body}</article>
<script>document.write("tracking pixel loaded");</script>
<footer><p>Copyright 2021 Example News. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""
    path = tmp_path / "article.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_pdf(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.pdf"
    styles = getSampleStyleSheet()
    blocks = [block.strip() for block in seed_text.split("\n\n") if block.strip()]
    story = [Paragraph(block.replace("&", "&amp;").replace("<", "&lt;"), styles["Normal"]) for block in blocks]
    SimpleDocTemplate(str(path), pagesize=A4, title=SEED_TITLE, author="Jane Reporter").build(story)
    return path


def write_docx(tmp_path: Path, _seed_text: str, paragraphs: list[str]) -> Path:
    document = docx.Document()
    document.add_heading(SEED_TITLE, level=0)
    for paragraph in paragraphs:
        if len(paragraph) < 70 and not paragraph.endswith("."):
            document.add_heading(paragraph, level=2)
        else:
            document.add_paragraph(paragraph)
    document.core_properties.author = "Jane Reporter"
    path = tmp_path / "article.docx"
    document.save(str(path))
    return path


def _record(seed_text: str) -> dict[str, str]:
    return {"Title": SEED_TITLE, "Date": "2021-03-19", "Body": seed_text, "Source": "Example News"}


def write_json(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "article.json"
    path.write_text(json.dumps(_record(seed_text)), encoding="utf-8")
    return path


def write_json_list(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([_record(seed_text)]), encoding="utf-8")
    return path


def write_jsonl(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps(_record(seed_text)) + "\n\n", encoding="utf-8")
    return path


def write_csv(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["Title", "Date", "Body", "Source"])
    writer.writeheader()
    writer.writerow(_record(seed_text))
    path = tmp_path / "articles.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_csv_semicolon_bom(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    import csv

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["title", "published", "content", "source"], delimiter=";")
    writer.writeheader()
    record = _record(seed_text)
    writer.writerow({"title": record["Title"], "published": "March 19, 2021", "content": seed_text, "source": "X"})
    path = tmp_path / "articles.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def write_zip(tmp_path: Path, seed_text: str, _paragraphs: list[str]) -> Path:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("news/kremlin-cold-war-2021-03-19.txt", seed_text)
        archive.writestr("__MACOSX/news/._kremlin-cold-war-2021-03-19.txt", b"\x00\x05\x16\x07junk")
    return path


FORMATS: list[tuple[str, Callable[[Path, str, list[str]], Path], dict[str, object]]] = [
    # (case, builder, expected metadata beyond the shared checks)
    ("txt utf-8", write_txt, {"origin": "kremlin-cold-war-2021-03-19.txt"}),
    ("txt utf-8 with BOM", write_txt_bom, {}),
    ("txt utf-16 with BOM", write_txt_utf16, {}),
    ("txt utf-16 without BOM", write_txt_utf16_no_bom, {}),
    ("txt cp1252", write_txt_cp1252, {}),
    ("md", write_md, {}),
    ("html", write_html, {"author": "Jane Reporter", "source": "Example News"}),
    ("pdf", write_pdf, {"author": "Jane Reporter"}),
    ("docx", write_docx, {"author": "Jane Reporter"}),
    ("json object", write_json, {"source": "Example News"}),
    ("json list", write_json_list, {"source": "Example News"}),
    ("jsonl", write_jsonl, {"source": "Example News"}),
    ("csv", write_csv, {"source": "Example News"}),
    ("csv ; with BOM", write_csv_semicolon_bom, {"source": "X"}),
    ("zip", write_zip, {"origin": "bundle.zip/news/kremlin-cold-war-2021-03-19.txt"}),
]


@pytest.mark.parametrize(("case", "builder", "expected"), FORMATS, ids=[row[0] for row in FORMATS])
def test_every_format_gives_the_seed_article(tmp_path, seed_text, seed_paragraphs, case, builder, expected):
    path = builder(tmp_path, seed_text, seed_paragraphs)
    articles = load(path)
    assert len(articles) == 1, case
    article = articles[0]
    assert article.title == SEED_TITLE
    assert article.published == SEED_DATE
    assert article.language == "en"
    collapsed = _collapse(article.text)
    for words in SEED_WORDS:
        assert words in collapsed, f"{case}: {words!r} missing"
    for line in BOILERPLATE:
        assert line not in article.text, f"{case}: boilerplate {line!r} kept"
    assert article.id == hashlib.sha256(collapsed.encode()).hexdigest()
    for field, value in expected.items():
        assert getattr(article, field) == value, field
    heading_texts = [article.text[start:end] for start, end in article.headings]
    assert any("Unprecedented statements" in text for text in heading_texts), heading_texts
    assert all("Peskov" not in text for text in heading_texts), "a body paragraph was marked as a heading"


def test_txt_keeps_offsets_into_the_decoded_file(seed_text):
    article = load(SAMPLE_ARTICLE)[0]
    assert seed_text.startswith(article.text)
    assert seed_text[: len(article.text)] == article.text
    assert article.text.endswith("there we always see ourselves.”")
    # The seed gold's offsets are into the decoded file: they must hold in Article.text.
    assert article.text[196:238] == "offer to hold direct talks on the Internet"


def test_same_text_is_the_same_article_whatever_the_whitespace(tmp_path, seed_text):
    (tmp_path / "a.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed_text.replace("\n\n", "\n \n").replace(". ", ".  "), encoding="utf-8")
    assert load(tmp_path / "a.txt")[0].id == load(tmp_path / "b.txt")[0].id


def test_html_leaves_out_navigation_scripts_and_footer(tmp_path, seed_text, seed_paragraphs):
    article = load(write_html(tmp_path, seed_text, seed_paragraphs))[0]
    for unwanted in ("Home", "World", "tracking pixel", "Privacy policy", "All rights reserved", "<"):
        assert unwanted not in article.text


def test_docx_and_html_headings_come_from_markup(tmp_path, seed_text, seed_paragraphs):
    for builder in (write_docx, write_html):
        article = load(builder(tmp_path, seed_text, seed_paragraphs))[0]
        texts = {article.text[start:end] for start, end in article.headings}
        assert {SEED_TITLE, "Unprecedented statements", "Putin’s sweeping effort"} <= texts


# ------------------------------------------------------------- batch files


def test_jsonl_with_a_broken_line_loads_the_rest_and_names_the_line(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"title": "One", "text": "Lavrov said talks were possible. " * 3}),
        '{"title": "Two", "text": "unterminated',
        json.dumps({"title": "Three", "content": "Blinken said sanctions would follow. " * 3}),
        json.dumps({"title": "Four"}),
        json.dumps(["not", "an", "object"]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    report = load_report(path)
    assert [article.title for article in report.articles] == ["One", "Three"]
    assert [(problem.record, problem.reason.split(":")[0]) for problem in report.problems] == [
        ("line 2", "invalid JSON"),
        ("line 4", "no text (expected a field named text, body or content)"),
        ("line 5", "not an article object but list"),
    ]
    assert all(problem.origin == "batch.jsonl" for problem in report.problems)


def test_csv_quoted_newlines_records_without_text_and_odd_dates(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text(
        'TITLE,Date,Text,Speaker\n"A, quoted",2021-03-19,"Peskov said:\n""We are ready.""",Dmitry Peskov\n'
        "Empty one,2021-03-20,,\n"
        "Bad date,someday,Biden said he would respond.,\n",
        encoding="utf-8",
    )
    report = load_report(path)
    assert [(a.title, a.published, a.speaker) for a in report.articles] == [
        ("A, quoted", date(2021, 3, 19), "Dmitry Peskov"),
        ("Bad date", None, None),
    ]
    assert report.articles[0].text == 'Peskov said:\n"We are ready."'
    assert [(p.record, p.reason[:10]) for p in report.problems] == [("row 3", "no text (e"), ("row 4", "date 'some")]


def test_json_list_with_items_that_are_not_articles(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"text": "Putin said the offer stands."}, 7, {"title": "no text"}]), encoding="utf-8")
    report = load_report(path)
    assert len(report.articles) == 1
    assert [p.record for p in report.problems] == ["record 2", "record 3"]


def test_zip_with_good_and_bad_entries_reports_each_bad_one(tmp_path, seed_text):
    path = tmp_path / "mixed.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("inner.txt", "Nested\n\nZakharova said the talks were useful and would continue.")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("good.txt", seed_text)
        archive.writestr("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
        archive.writestr("empty.txt", b"")
        archive.writestr("../escape.txt", "Text that tries to leave the folder.")
        archive.writestr("nested.zip", inner.getvalue())
    report = load_report(path)
    assert sorted(a.origin for a in report.articles) == ["mixed.zip/good.txt", "mixed.zip/nested.zip/inner.txt"]
    reasons = {p.record: p.reason for p in report.problems}
    assert reasons.keys() == {"picture.png", "empty.txt", "../escape.txt"}
    assert reasons["picture.png"].startswith("unsupported file type '.png'")
    assert reasons["empty.txt"] == "empty file"
    assert "unsafe path" in reasons["../escape.txt"]


def test_zip_limits_refuse_bombs_and_floods(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"a" * (8 * 1024 * 1024))  # compresses ~1000:1
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(ingest, "MAX_ARCHIVE_BYTES", 4 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"bomb\.zip: would expand to 8\.0 MB .*zip bomb"):
        load(bomb)

    flood = tmp_path / "flood.zip"
    with zipfile.ZipFile(flood, "w") as archive:
        for number in range(5):
            archive.writestr(f"{number}.txt", f"Statement number {number} said nothing at all.")
    monkeypatch.setattr(ingest, "MAX_ARCHIVE_ENTRIES", 3)
    with pytest.raises(IngestError, match=r"flood.zip: too many entries \(5; the limit is 3\)"):
        load(flood)


def test_archives_nested_too_deep_are_skipped(tmp_path):
    level = b""
    for depth in range(4):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if depth == 0:
                archive.writestr("deep.txt", "Deep\n\nRyabkov said nothing new was on the table.")
            else:
                archive.writestr(f"level{depth}.zip", level)
        level = buffer.getvalue()
    report = load_bytes_report(level, "outer.zip")
    assert report.articles == []
    assert "nested more than 2 deep" in report.problems[0].reason


# --------------------------------------------------------------- bad input


def _scanned_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BAD_FILES: list[tuple[str, bytes | Callable[[], bytes], str]] = [
    # (file name, content, start of the reason)
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \n\t\r\n  ", "empty file"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported file type '.png'"),
    ("program.exe", b"MZ\x90\x00\x03", "unsupported file type '.exe'"),
    ("binary.txt", b"GIF89a" + bytes(range(256)) * 4, "binary data, not text"),
    ("controls.txt", b"text \x01\x02\x03\x04\x05 with controls " * 10, "binary data, not text"),
    ("broken-utf16.txt", b"\xff\xfe" + "Putin said".encode("utf-16-le") + b"\x00\xd8", "undecodable"),
    ("fake.pdf", b"This is not a PDF at all, only text with a .pdf name.", "not a readable PDF"),
    ("truncated.pdf", lambda: _scanned_pdf()[:200], "not a readable PDF"),
    ("scanned.pdf", _scanned_pdf, "no text layer"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "not a readable Word document"),
    ("text.docx", b"Plain text saved with the wrong extension.", "not a readable Word document"),
    ("bad.json", b'{"title": "x", "text": ', "invalid JSON at line 1"),
    ("number.json", b"42", "JSON is neither an article object nor a list of them"),
    ("object.json", b'{"title": "no text here"}', "JSON object is not an article"),
    (
        "columns.csv",
        b"title,date\nA,2021-03-19\n",
        "no text column (expected text, body or content; found: title, date)",
    ),
    ("bad.zip", b"PK\x03\x04 truncated archive", "not a readable zip archive"),
    ("empty.zip", lambda: _empty_zip(), "empty archive"),
    ("all-bad.jsonl", b'{"broken"\n{"title": "no text"}\n', "no article could be read: line 1: invalid JSON"),
    ("blank.html", b"<html><body><nav>Home</nav></body></html>", "no article text found"),
]


def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_bad_files_fail_with_the_file_name_and_a_plain_reason(tmp_path, name, content, reason):
    data = content() if callable(content) else content
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as raised:
        load(path)
    assert raised.value.origin == name
    assert raised.value.reason.startswith(reason), raised.value.reason
    assert str(raised.value).startswith(f"{name}: ")
    with pytest.raises(IngestError, match="^" + name.replace(".", r"\.")):
        load_bytes(data, name)


def test_too_large_by_a_configurable_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Peskov said the offer stands. " * 1000, encoding="utf-8")
    with pytest.raises(IngestError, match=r"big.txt: too large \(0.0 MB; the limit is 0.0 MB\)"):
        load(path, max_bytes=1000)
    assert load(path)  # the default limit (20 MB) lets it through
    assert ingest.DEFAULT_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "reason"),
    [("does-not-exist.txt", "no such file"), (".", "is a folder, not a file")],
)
def test_paths_that_are_not_files(tmp_path, path, reason):
    with pytest.raises(IngestError, match=reason):
        load(tmp_path / path)


def test_one_bad_file_never_stops_the_others(tmp_path, seed_text, capsys):
    from analysis.cli import main

    (tmp_path / "good.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"nope")
    (tmp_path / "also-good.json").write_text(json.dumps({"text": "Lavrov said the talks went well."}), "utf-8")
    status = main(["ingest", str(tmp_path / "bad.pdf"), str(tmp_path)])
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert sorted(row["origin"] for row in rows) == ["also-good.json", "good.txt"]
    assert err.count("bad.pdf: not a readable PDF") == 2  # named once directly, once from the folder


# -------------------------------------------------------------- load_text


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, {"title": "Kremlin says offer stands", "published": None, "speaker": None, "origin": "pasted text"}),
        (
            {"title": "Given", "published": "2021-03-19", "speaker": "Dmitry Peskov"},
            {"title": "Given", "published": date(2021, 3, 19), "speaker": "Dmitry Peskov"},
        ),
        ({"published": date(2020, 1, 2)}, {"published": date(2020, 1, 2)}),
        ({"published": "March 19, 2021"}, {"published": date(2021, 3, 19)}),
        ({"published": "19.03.2021"}, {"published": date(2021, 3, 19)}),
    ],
)
def test_load_text(kwargs, expected):
    text = "Kremlin says offer stands\n\nPeskov said on Friday that the offer stands.\n\nShare this:\n"
    article = load_text(text, **kwargs)
    assert article.text == "Kremlin says offer stands\n\nPeskov said on Friday that the offer stands."
    for field, value in expected.items():
        assert getattr(article, field) == value, field


@pytest.mark.parametrize(
    ("text", "kwargs", "reason"),
    [
        ("", {}, "empty"),
        ("   \n ", {}, "empty"),
        ("Some text said here.", {"published": "not a date"}, "date 'not a date' not understood"),
        ("\x00\x01\x02\x03" * 50, {}, "binary data"),
    ],
)
def test_load_text_refuses(text, kwargs, reason):
    with pytest.raises(IngestError, match=f"^pasted text: {reason}"):
        load_text(text, **kwargs)


# -------------------------------------------------------------------- URLs


class _Handler(http.server.BaseHTTPRequestHandler):
    """A local server that misbehaves on purpose, one path per way."""

    pages: ClassVar[dict[str, tuple[int, str, bytes, dict[str, str]]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(3)
        status, content_type, body, headers = self.pages.get(self.path, (404, "text/plain", b"not found", {}))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    seed = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    paragraphs = [b.strip() for b in seed.split("\n\n") if b.strip()]
    paragraphs = paragraphs[1 : paragraphs.index("Source link")]
    folder = tmp_path_factory.mktemp("site")
    html = write_html(folder, seed, paragraphs).read_bytes()
    pdf = write_pdf(folder, seed, paragraphs).read_bytes()
    _Handler.pages = {
        "/article.html": (200, "text/html; charset=utf-8", html, {}),
        "/story": (200, "text/html", html, {}),
        "/article.txt": (200, "text/plain; charset=utf-8", seed.encode(), {}),
        "/report": (200, "application/pdf", pdf, {}),
        "/moved": (301, "text/plain", b"", {"Location": "/article.html"}),
        "/to-file": (302, "text/plain", b"", {"Location": "file:///etc/passwd"}),
        "/loop": (302, "text/plain", b"", {"Location": "/loop"}),
        "/error": (500, "text/plain", b"boom", {}),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100), {}),
        "/huge": (200, "text/plain", b"Peskov said so. " * 20_000, {}),
        "/slow": (200, "text/plain", seed.encode(), {}),
    }
    with serving(_Handler) as url:
        yield url


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` serving on a free port of 127.0.0.1 in a thread; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(("path", "origin_suffix"), [("/article.html", "html"), ("/story", "html"), ("/moved", "html")])
def test_url_html(server, path, origin_suffix):
    article = load_url(server + path)[0]
    assert article.title == SEED_TITLE
    assert article.published == SEED_DATE
    assert article.origin == server + path
    assert article.url.startswith(server)
    assert "Kremlin spokesman Dmitry Peskov" in article.text


def test_url_text_and_pdf(server):
    text = load_url(server + "/article.txt")[0]
    pdf = load_url(server + "/report")[0]
    assert text.title == pdf.title == SEED_TITLE
    assert text.published == pdf.published == SEED_DATE
    assert text.id == load(SAMPLE_ARTICLE)[0].id


@pytest.mark.parametrize(
    ("path", "kwargs", "reason"),
    [
        ("/missing", {}, "HTTP error 404"),
        ("/error", {}, "HTTP error 500"),
        ("/image", {}, "unsupported content type 'image/png'"),
        ("/huge", {"max_bytes": 100_000}, "too large"),
        ("/to-file", {}, "HTTP error 302: redirect to a file URL refused"),
        ("/loop", {}, "HTTP error 302"),
        ("/slow", {"timeout": 0.5}, "timed out after 0.5 s"),
    ],
)
def test_url_failures(server, path, kwargs, reason):
    with pytest.raises(IngestError) as raised:
        load_url(server + path, **kwargs)
    assert raised.value.origin == server + path
    assert reason in raised.value.reason, raised.value.reason


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/a.txt", "only http and https are fetched, not 'ftp'"),
        ("file:///etc/passwd", "only http and https are fetched, not 'file'"),
        ("javascript:alert(1)", "only http and https"),
        ("http://", "no host name"),
        ("", "empty"),
        ("http://127.0.0.1:9/", "cannot fetch"),
    ],
)
def test_bad_urls(url, reason):
    with pytest.raises(IngestError, match=f"bad URL: {reason}" if reason != "cannot fetch" else reason):
        load_url(url, timeout=2)


# ------------------------------------------------------ the shared corpora


def test_presidential_transcripts_declare_their_speaker():
    from tests.conftest import shared_path

    folder = shared_path("speeches", "us-presidential")
    path = next(folder.rglob("2009-01-12-final-press-conference.txt"))
    article = load(path)[0]
    assert article.speaker == "George W. Bush"
    assert article.title == "Final press conference"  # the first line is a transcript turn, not a title
    assert article.published == date(2009, 1, 12)
    assert article.text.startswith("President: George W. Bush")
    assert article.headings[0] == (0, len("President: George W. Bush"))


def test_un_general_debate_speeches_load_as_english():
    from tests.conftest import shared_path

    folder = shared_path("speeches", "ungdc", "TXT")
    paths = sorted(folder.glob("Session 7* - */*.txt"))
    assert paths
    for path in paths:
        article = load(path)[0]
        assert article.language == "en", path
        assert len(article.text) > 5000


def test_polnear_articles_load_without_error():
    from tests.conftest import shared_path

    paths = sorted(shared_path("polnear", "dev", "text").glob("*.txt"))[:30]
    for path in paths:
        article = load(path)[0]
        assert article.text.strip()
        raw = path.read_text(encoding="utf-8")
        # Offsets stay valid for the gold spans: invisible characters become spaces, nothing moves.
        assert len(raw) >= len(article.text)
        assert textprep.blank_invisible(raw).startswith(article.text)
