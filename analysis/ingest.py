"""Any article in, clean text and metadata out.

Formats: .txt/.md, .html/.htm, .pdf, .docx, .json/.jsonl/.csv (one article per
record), .zip (any of these inside) and http(s) URLs. Every failure is an
`IngestError` naming the file and the reason, or, inside a batch file or an
archive, an `IngestProblem` beside the records that did load.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import stat
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from . import textprep
from .models import Article, IngestProblem, IngestReport

log = logging.getLogger(__name__)

# ------------------------------------------------------------------- limits

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest file (or URL body, or archive entry) read: 20 MB, the issue's default and
the dashboard's upload limit (.streamlit/config.toml). A long news article is ~50 KB."""
MAX_ARCHIVE_ENTRIES = 1000
"""Files in one archive: a month of a wire service's output, far below a zip bomb's millions."""
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
"""Total uncompressed bytes of one archive (ten files at the per-file limit, twice over)."""
MAX_ARCHIVE_DEPTH = 2
"""An archive may hold archives, but only this many levels deep."""
URL_TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "diplomatic-tension-dashboard/ingest (+https://pypi.org/project/trafilatura/)"
# Share of control characters (other than tab, newlines, form feed) above which a
# decoded "text" is binary data; real text has none, mojibake has a few.
MAX_CONTROL_SHARE = 0.01

TEXT_EXTENSIONS = (".txt", ".md", ".markdown", ".text")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
SUPPORTED_EXTENSIONS = (
    *TEXT_EXTENSIONS,
    *HTML_EXTENSIONS,
    ".pdf",
    ".docx",
    ".json",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".zip",
)

# Record keys recognised case-insensitively, first present wins.
TEXT_KEYS = ("text", "body", "content")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date", "published", "publish_date", "published_at", "pubdate")
SOURCE_KEYS = ("source", "site", "publisher")
URL_KEYS = ("url", "link")
AUTHOR_KEYS = ("author", "byline")
SPEAKER_KEYS = ("speaker",)


class IngestError(Exception):
    """A file, URL or text that could not be read as a whole."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


# ------------------------------------------------------------ building blocks


def article_id(text: str) -> str:
    """sha256 hex of the text with whitespace collapsed: the same text is the same article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_size(size: int, origin: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise IngestError(origin, f"too large ({_megabytes(size)}; the limit is {_megabytes(max_bytes)})")


def _control_share(text: str) -> float:
    sample = text[:100_000]
    if not sample:
        return 0.0
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0)
    return controls / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark shows a NUL in every other byte for Latin script."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    codec = "utf-16-be" if even_nuls > 0.3 > odd_nuls else "utf-16-le" if odd_nuls > 0.3 > even_nuls else None
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes, origin: str, encoding: str | None = None) -> str:
    """Bytes to text: a BOM, then UTF-8, UTF-16 without BOM, then a detected single-byte code page.

    Raises IngestError for binary data or bytes that fit no encoding.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise IngestError(origin, f"undecodable as {encoding}: {error}") from None
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        text = _decode_or_fail(data, "utf-32", origin)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_or_fail(data, "utf-16", origin)
    else:
        # Before UTF-8: UTF-16 text of Latin script is also valid UTF-8, full of NULs.
        text = _utf16_without_bom(data)
        if text is None:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = _decode_legacy(data, origin)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise IngestError(origin, "binary data, not text")
    return text


def _decode_or_fail(data: bytes, codec: str, origin: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise IngestError(origin, f"undecodable: it starts like {codec.upper()} but {error.reason}") from None


def _decode_legacy(data: bytes, origin: str) -> str:
    if b"\x00" in data[:65536]:
        raise IngestError(origin, "binary data, not text")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    # charset-normalizer tells single-byte Latin code pages apart poorly on short
    # English text (it guesses cp1250 for curly quotes and "é"); cp1252 is what
    # Windows editors and older news CMSes write, so it wins whenever it fits.
    latin = ("cp1250", "cp1252", "latin1", "iso88591", "iso88592", "iso885915", "macroman")
    if best is None or best.encoding.replace("_", "") in latin:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    if best is None:
        raise IngestError(origin, "undecodable: not UTF-8, UTF-16 or any single-byte code page")
    return data.decode(best.encoding, errors="strict")


@dataclass(frozen=True)
class _Meta:
    """Metadata known from outside the text (markup, record fields, arguments)."""

    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    speaker: str | None = None


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(textprep.blank_invisible(str(value)).split())
    return text or None


def _build_article(
    text: str,
    origin: str,
    meta: _Meta,
    *,
    file_name: str | None = None,
    known_headings: Iterable[tuple[int, int]] = (),
    guess_headings: bool = True,
) -> Article:
    """An Article from decoded text; only trailing site boilerplate is cut and invisible characters
    become spaces (textprep.blank_invisible), so offsets stay valid."""
    text = textprep.article_body(text)
    if not text.strip():
        raise IngestError(origin, "empty: no text")
    layout = textprep.find_layout(text, want_title=meta.title is None, guess_headings=guess_headings)
    title = meta.title or layout.meta.get("title") or layout.title
    if title is None and file_name:
        title = textprep.title_from_filename(file_name)
    published = (
        meta.published
        or textprep.parse_date(layout.meta.get("published"))
        or textprep.find_dateline(text)
        or (textprep.date_from_filename(file_name) if file_name else None)
    )
    title_span = _title_span(text, title) if title and layout.title_span is None else None
    headings = tuple(sorted(set(layout.headings) | set(known_headings) | ({title_span} if title_span else set())))
    return Article(
        id=article_id(text),
        title=_clean(title),
        published=published,
        source=_clean(meta.source or layout.meta.get("source")),
        url=_clean(meta.url or layout.meta.get("url")),
        author=_clean(meta.author or layout.meta.get("author")),
        origin=origin,
        text=text,
        speaker=_clean(meta.speaker or layout.meta.get("speaker")),
        language=textprep.detect_language(text),
        headings=headings,
    )


def _title_span(text: str, title: str) -> tuple[int, int] | None:
    """Where a title known from metadata opens the text (perhaps wrapped over lines), if it does."""
    words = title.split()
    if not words:
        return None
    pattern = re.compile(r"(?:^|[\r\n])[ \t#]*(" + r"\s+".join(map(re.escape, words)) + r")[ \t]*(?:[\r\n]|$)")
    match = pattern.search(text, 0, min(len(text), MAX_TITLE_SEARCH))
    return match.span(1) if match else None


# The title, when the text repeats it, comes before the body: after header lines at most.
MAX_TITLE_SEARCH = 2000


def _joined_blocks(blocks: Iterable[tuple[str, bool]]) -> tuple[str, list[tuple[int, int]]]:
    """Paragraph blocks joined by blank lines, and the spans of those that are headings."""
    parts: list[str] = []
    headings = []
    offset = 0
    for block, is_heading in blocks:
        block = block.strip()
        if not block:
            continue
        if parts:
            offset += 2
        if is_heading:
            headings.append((offset, offset + len(block)))
        parts.append(block)
        offset += len(block)
    return "\n\n".join(parts), headings


# ------------------------------------------------------------------ formats


def _from_text(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    return IngestReport([_build_article(decode_text(data, origin), origin, _Meta(), file_name=name)])


def _html_blocks(xml: str) -> tuple[dict[str, str], list[tuple[str, bool]]]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    attributes = {key: value for key, value in root.attrib.items() if value}
    main = root.find("main")
    blocks: list[tuple[str, bool]] = []
    for element in main if main is not None else []:
        if element.tag == "list":
            blocks.extend((" ".join("".join(item.itertext()).split()), False) for item in element.iter("item"))
        else:
            blocks.append((" ".join("".join(element.itertext()).split()), element.tag == "head"))
    return attributes, blocks


class _TagSoup(HTMLParser):
    """The text of a page's paragraphs, headings, list items and quotes, read tag by tag with no
    tree (so no depth limit), leaving out scripts, styles and the site's navigation."""

    BLOCKS = frozenset({"p", "li", "blockquote", "pre", "dd", "h1", "h2", "h3", "h4", "h5", "h6"})
    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
    SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []
        self.title: str | None = None
        self._skipping = 0
        self._in_title = False
        self._block: str | None = None
        self._parts: list[str] = []

    @classmethod
    def read(cls, html: str) -> _TagSoup:
        soup = cls()
        soup.feed(html)
        soup.close()
        soup._flush()
        return soup

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text and self._block is not None:
            self.blocks.append((text, self._block in self.HEADINGS))
        self._block, self._parts = None, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self.BLOCKS and not self._skipping:
            self._flush()
            self._block = tag
        elif tag == "br":
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = " ".join(f"{self.title or ''} {data}".split()) or None
        elif not self._skipping and self._block is not None:
            self._parts.append(data)


def _from_html(data: bytes, name: str, origin: str, url: str | None) -> IngestReport:
    import trafilatura

    html = decode_text(data, origin)
    if not html.strip():
        raise IngestError(origin, "empty: no text")
    options = dict(output_format="xml", with_metadata=True, include_comments=False, include_tables=False, url=url)
    try:
        xml = trafilatura.extract(html, **options) or trafilatura.extract(html, favor_recall=True, **options)
    except (ValueError, RecursionError) as error:
        raise IngestError(origin, f"malformed HTML: {error}") from None
    attributes, blocks = _html_blocks(xml) if xml else ({}, [])
    text, headings = _joined_blocks(blocks)
    if not text:
        # trafilatura parses with libxml2, which gives up on elements nested deeper than 256
        # (and on some broken markup) and then finds nothing; a flat tokenizer still reads the
        # page's paragraphs, whatever the depth.
        fallback = _TagSoup.read(html)
        attributes = {"title": fallback.title} if fallback.title else {}
        text, headings = _joined_blocks(fallback.blocks)
    if not text:
        raise IngestError(origin, "no article text found in the HTML page")
    meta = _Meta(
        title=attributes.get("title"),
        published=textprep.parse_date(attributes.get("date")),
        source=attributes.get("sitename") or attributes.get("hostname"),
        url=url or attributes.get("source") or attributes.get("url"),
        author=attributes.get("author"),
    )
    return IngestReport(
        [_build_article(text, origin, meta, file_name=name, known_headings=headings, guess_headings=False)]
    )


def _from_pdf(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd object
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(origin, "the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except IngestError:
        raise
    # PyPdfError, not only its PdfReadError branch: LimitReachedError (a stream that inflates past
    # pypdf's cap, a PDF bomb) and ParseError are pypdf errors outside it. DependencyError: AES
    # encryption without the optional `cryptography` package. NotImplementedError: a stream filter
    # pypdf does not know. Each escaped as itself (tests/test_fuzz.py).
    except (
        PyPdfError,
        DependencyError,
        NotImplementedError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as error:
        raise IngestError(origin, f"not a readable PDF ({type(error).__name__}: {error})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text.strip():
        raise IngestError(origin, "no text layer: the PDF holds only images (scanned?); run OCR on it first")
    title = _clean(info.get("/Title"))
    if title and title.lower() in {"untitled", "untitled document"}:
        title = None
    meta = _Meta(title=title, author=_clean(info.get("/Author")))
    return IngestReport([_build_article(text, origin, meta, file_name=name)])


def _check_docx_size(data: bytes, origin: str) -> None:
    """A .docx is a zip: refuse one whose parts would expand past the archive limit (a zip bomb
    named .docx) before python-docx inflates them. zipfile never returns more than an entry's
    declared size, so the declared sizes bound what is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            declared = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return  # not a readable zip: python-docx says so below, in its own words
    if declared > MAX_ARCHIVE_BYTES:
        raise IngestError(
            origin,
            f"would expand to {_megabytes(declared)} (the limit is {_megabytes(MAX_ARCHIVE_BYTES)}): "
            "refused as a possible zip bomb",
        )


def _from_docx(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    # Everything that reads the package is inside the try: python-docx parses parts as it opens
    # them and reads styles and properties when asked. A damaged docx fails in the zip layer
    # (zlib.error from a corrupt deflate stream, NotImplementedError for an unknown compression
    # method, RuntimeError for an encrypted part) or in the XML one (lxml's XMLSyntaxError, and
    # AttributeError or TypeError when a part's root is not the element python-docx expects);
    # none of these is an OSError or ValueError, so each escaped as itself (tests/test_fuzz.py).
    _check_docx_size(data, origin)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = []
        for paragraph in document.paragraphs:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            blocks.append((paragraph.text, style.startswith("Heading") or style == "Title"))
        properties = document.core_properties
        title, author = properties.title, properties.author
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
        etree.LxmlError,
        KeyError,
        ValueError,
        AttributeError,
        TypeError,
    ) as error:
        raise IngestError(origin, f"not a readable Word document ({error})") from None
    text, headings = _joined_blocks(blocks)
    meta = _Meta(title=_clean(title), author=_clean(author))
    if meta.title is None and headings and headings[0][0] == 0:
        meta = _Meta(title=text[: headings[0][1]], author=meta.author)
    return IngestReport(
        [_build_article(text, origin, meta, file_name=name, known_headings=headings, guess_headings=False)]
    )


def _first(record: dict[str, object], keys: tuple[str, ...]) -> object:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _article_from_record(record: object, origin: str, label: str, problems: list[IngestProblem]) -> Article | None:
    if not isinstance(record, dict):
        problems.append(IngestProblem(origin, label, f"not an article object but {type(record).__name__}"))
        return None
    fields = {str(key).strip().lstrip("\ufeff").lower(): value for key, value in record.items()}
    text = _first(fields, TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        problems.append(IngestProblem(origin, label, "no text (expected a field named text, body or content)"))
        return None
    raw_date = _first(fields, DATE_KEYS)
    published = textprep.parse_date(raw_date)
    if raw_date is not None and published is None:
        problems.append(
            IngestProblem(origin, label, f"date {str(raw_date)[:40]!r} not understood; published left empty")
        )
    meta = _Meta(
        title=_clean(_first(fields, TITLE_KEYS)),
        published=published,
        source=_clean(_first(fields, SOURCE_KEYS)),
        url=_clean(_first(fields, URL_KEYS)),
        author=_clean(_first(fields, AUTHOR_KEYS)),
        speaker=_clean(_first(fields, SPEAKER_KEYS)),
    )
    try:
        return _build_article(text, origin, meta)
    except IngestError as error:
        problems.append(IngestProblem(origin, label, error.reason))
        return None


def _from_records(records: Iterable[tuple[str, object]], origin: str, problems: list[IngestProblem]) -> IngestReport:
    articles = []
    seen = 0
    for label, record in records:
        seen += 1
        article = _article_from_record(record, origin, label, problems)
        if article is not None:
            articles.append(article)
    if not seen and not problems:
        # A batch file with no records at all (a CSV header alone, "[]", {"articles": []}) is as
        # empty as an empty file or archive: without this, `load` returned [] although it promises
        # IngestError when nothing could be read, and the CLI and dashboard reported success.
        raise IngestError(origin, "no records: the file holds no articles")
    return IngestReport(articles, problems)


def _from_json(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    try:
        value = json.loads(decode_text(data, origin))
    except json.JSONDecodeError as error:
        raise IngestError(origin, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise IngestError(origin, "invalid JSON: nested too deeply") from None
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        if _first({str(k).lower(): v for k, v in value.items()}, TEXT_KEYS) is None:
            raise IngestError(origin, "JSON object is not an article (no text, body or content field)")
        value = [value]
    if not isinstance(value, list):
        raise IngestError(origin, f"JSON is neither an article object nor a list of them, but a {type(value).__name__}")
    return _from_records(((f"record {n}", item) for n, item in enumerate(value, 1)), origin, [])


def _from_jsonl(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    problems: list[IngestProblem] = []

    def records() -> Iterable[tuple[str, object]]:
        for number, line in enumerate(textprep.split_lines(decode_text(data, origin)), 1):
            if not line.text.strip():
                continue
            try:
                yield f"line {number}", json.loads(line.text)
            except (json.JSONDecodeError, RecursionError) as error:
                problems.append(IngestProblem(origin, f"line {number}", f"invalid JSON: {error}"))

    return _from_records(records(), origin, problems)


# Quoted fields may hold whole articles; the csv module's default cap is 128 KB.
csv.field_size_limit(DEFAULT_MAX_BYTES)


def _csv_delimiter(text: str) -> str:
    """The delimiter of the header row: the candidate it holds most of (comma if none).
    csv.Sniffer reads whole rows and guessed a comma for ';' files whose text cells hold
    quoted line breaks and commas; a header of column names has neither."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in ",;\t|"}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _from_csv(data: bytes, name: str, origin: str, _url: str | None) -> IngestReport:
    text = decode_text(data, origin)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    columns = [str(column).strip().lstrip("\ufeff").lower() for column in reader.fieldnames or []]
    if not any(key in columns for key in TEXT_KEYS):
        shown = ", ".join(columns[:10]) or "none"
        raise IngestError(origin, f"no text column (expected text, body or content; found: {shown})")
    try:
        # Numbered as a spreadsheet shows them: the header is row 1.
        rows = [(f"row {number}", row) for number, row in enumerate(reader, 2)]
    except csv.Error as error:
        raise IngestError(origin, f"malformed CSV near line {reader.line_num}: {error}") from None
    return _from_records(rows, origin, [])


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _unsafe_entry(name: str) -> bool:
    return name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) is not None or ".." in re.split(r"[/\\]", name)


def _from_zip(data: bytes, name: str, origin: str, url: str | None, depth: int = 0) -> IngestReport:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir()]
    # NotImplementedError: an entry needing a newer zip version than zipfile reads ("zip file
    # version 6.4"), raised while the directory is read; it escaped before.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError) as error:
        raise IngestError(origin, f"not a readable zip archive ({error})") from None
    # macOS adds resource forks and Finder files to every archive it makes.
    entries = [
        info
        for info in entries
        if not info.filename.startswith("__MACOSX/") and not Path(info.filename).name.startswith(".")
    ]
    if not entries:
        raise IngestError(origin, "empty archive: no files inside")
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise IngestError(origin, f"too many entries ({len(entries)}; the limit is {MAX_ARCHIVE_ENTRIES})")
    declared = sum(info.file_size for info in entries)
    if declared > MAX_ARCHIVE_BYTES:
        raise IngestError(
            origin,
            f"would expand to {_megabytes(declared)} (the limit is {_megabytes(MAX_ARCHIVE_BYTES)}): "
            "refused as a possible zip bomb",
        )
    report = IngestReport()
    budget = MAX_ARCHIVE_BYTES
    for info in entries:
        entry_origin = f"{origin}/{info.filename}"
        problem = None
        if _unsafe_entry(info.filename):
            problem = "unsafe path (absolute or with '..'): skipped"
        elif _is_link(info):
            problem = "a link, not a file: skipped"
        elif info.flag_bits & 0x1:
            problem = "encrypted entry: skipped"
        if problem:
            report.problems.append(IngestProblem(origin, info.filename, problem))
            continue
        try:
            # Read at most one byte past the limit: the declared size may lie.
            try:
                with archive.open(info) as handle:
                    content = handle.read(min(DEFAULT_MAX_BYTES, budget) + 1)
            except (zlib.error, ValueError) as error:
                # Damage zipfile reports as neither BadZipFile nor OSError: a corrupt deflate stream
                # (zlib.error) or a local header offset before the archive's start (ValueError
                # "negative seek value"). Both escaped; this entry is unreadable, the rest may not be.
                raise IngestError(entry_origin, f"unreadable entry ({error})") from None
            if len(content) > min(DEFAULT_MAX_BYTES, budget):
                if len(content) > budget:
                    raise IngestError(
                        origin, f"expands past {_megabytes(MAX_ARCHIVE_BYTES)}: refused as a possible zip bomb"
                    )
                raise IngestError(entry_origin, f"too large (over {_megabytes(DEFAULT_MAX_BYTES)} uncompressed)")
            budget -= len(content)
            sub_report = _dispatch(content, info.filename, entry_origin, url=None, depth=depth + 1)
        except IngestError as error:
            if error.origin == origin:
                raise
            report.problems.append(IngestProblem(origin, info.filename, error.reason))
            continue
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
            report.problems.append(IngestProblem(origin, info.filename, f"unreadable entry ({error})"))
            continue
        report.articles.extend(sub_report.articles)
        report.problems.extend(sub_report.problems)
    return report


_Reader = Callable[[bytes, str, str, "str | None"], IngestReport]
_READERS: dict[str, _Reader] = {
    **{extension: _from_text for extension in TEXT_EXTENSIONS},
    **{extension: _from_html for extension in HTML_EXTENSIONS},
    ".pdf": _from_pdf,
    ".docx": _from_docx,
    ".json": _from_json,
    ".jsonl": _from_jsonl,
    ".ndjson": _from_jsonl,
    ".csv": _from_csv,
}


def _sniff(data: bytes) -> str | None:
    """The extension a nameless download or upload should be read as, from its first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = head.lower()
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx" if b"word/" in data[:65536] else ".zip"
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in lowered:
        return ".html"
    if head.startswith((b"{", b"[")):
        return ".json"
    return None


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def _dispatch(
    data: bytes, name: str, origin: str, *, url: str | None = None, depth: int = 0, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestReport:
    _check_size(len(data), origin, max_bytes)
    if not data.strip():
        raise IngestError(origin, "empty file")
    extension = _extension(name)
    if extension not in SUPPORTED_EXTENSIONS:
        sniffed = _sniff(data) if extension in ("", ".dat", ".download", ".tmp") else None
        if sniffed is None and extension == "":
            sniffed = ".txt"
        if sniffed is None:
            supported = " ".join(SUPPORTED_EXTENSIONS)
            raise IngestError(origin, f"unsupported file type '{extension}' (supported: {supported})")
        extension = sniffed
    if extension == ".zip":
        if depth >= MAX_ARCHIVE_DEPTH:
            raise IngestError(origin, f"archive nested more than {MAX_ARCHIVE_DEPTH} deep: skipped")
        return _from_zip(data, name, origin, url, depth)
    return _READERS[extension](data, name, origin, url)


# --------------------------------------------------------------- public API


def _raise_if_nothing(report: IngestReport, origin: str) -> list[Article]:
    if not report.articles and report.problems:
        details = "; ".join(f"{problem.record}: {problem.reason}" for problem in report.problems[:5])
        more = f" (and {len(report.problems) - 5} more)" if len(report.problems) > 5 else ""
        raise IngestError(origin, f"no article could be read: {details}{more}")
    for problem in report.problems:
        log.warning("%s: %s: %s", problem.origin, problem.record, problem.reason)
    return report.articles


def load_report(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    """Every article in a file, with the records or archive entries that could not be read.

    Raises IngestError naming the file when the file as a whole is unreadable.
    """
    file_path = Path(path)
    origin = file_path.name or str(file_path)
    try:
        status = file_path.stat()
    except FileNotFoundError:
        raise IngestError(str(path), "no such file") from None
    except OSError as error:
        raise IngestError(str(path), f"cannot open: {error.strerror or error}") from None
    if stat.S_ISDIR(status.st_mode):
        raise IngestError(str(path), "is a folder, not a file (the CLI's ingest and add take folders)")
    _check_size(status.st_size, origin, max_bytes)
    try:
        data = file_path.read_bytes()
    except OSError as error:
        raise IngestError(origin, f"cannot read: {error.strerror or error}") from None
    return _dispatch(data, file_path.name, origin, max_bytes=max_bytes)


def load(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The articles in a file of any supported format (see SUPPORTED_EXTENSIONS).

    Records of a batch file that cannot be read are logged as warnings; use
    `load_report` to get them. Raises IngestError when nothing could be read.
    """
    return _raise_if_nothing(load_report(path, max_bytes=max_bytes), Path(path).name)


def load_bytes_report(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    """`load_report` for content already in memory (an upload); `filename` picks the format."""
    origin = Path(filename).name or "upload"
    return _dispatch(bytes(data), origin, origin, max_bytes=max_bytes)


def load_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """`load` for content already in memory (an upload); `filename` picks the format."""
    return _raise_if_nothing(load_bytes_report(data, filename, max_bytes=max_bytes), Path(filename).name or "upload")


def load_text(
    text: str,
    title: str | None = None,
    published: date | str | None = None,
    speaker: str | None = None,
    *,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    origin: str = "pasted text",
) -> Article:
    """One article from text in hand (pasted into the dashboard, or from another tool).

    The text is kept as given except for trailing site boilerplate; `published`
    may be a date or a written date ("2021-03-19", "March 19, 2021").
    """
    if not isinstance(text, str):
        raise IngestError(origin, f"text must be a str, not {type(text).__name__}")
    published_date = textprep.parse_date(published)
    if published is not None and str(published).strip() and published_date is None:
        raise IngestError(origin, f"date {str(published)[:40]!r} not understood (use YYYY-MM-DD)")
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise IngestError(origin, "binary data, not text")
    meta = _Meta(title=_clean(title), published=published_date, source=source, url=url, author=author, speaker=speaker)
    return _build_article(text, origin, meta)


# --------------------------------------------------------------------- URLs

_CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/json": ".json",
    "text/csv": ".csv",
}


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ANN001, ANN202 - urllib signature
        # Checked before urllib's own check, which would name the scheme less plainly.
        target = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        scheme = urllib.parse.urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise urllib.error.HTTPError(target, code, f"redirect to a {scheme} URL refused", headers, fp)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _check_url(url: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise IngestError(str(url), "bad URL: empty")
    cleaned = url.strip()
    parts = urllib.parse.urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https"):
        raise IngestError(cleaned, f"bad URL: only http and https are fetched, not '{parts.scheme or 'no scheme'}'")
    if not parts.hostname:
        raise IngestError(cleaned, "bad URL: no host name")
    return cleaned


def fetch_url(
    url: str, *, timeout: float = URL_TIMEOUT_SECONDS, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, str, str]:
    """Body, extension to read it as, and final URL, with a timeout, a size cap and a content-type check."""
    cleaned = _check_url(url)
    opener = urllib.request.build_opener(_SafeRedirects())
    request = urllib.request.Request(
        cleaned, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf,text/plain;q=0.9,*/*;q=0.5"}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = (response.headers.get_content_type() or "").lower()
            extension = _CONTENT_TYPES.get(content_type)
            if extension is None:
                raise IngestError(cleaned, f"unsupported content type '{content_type}' (expected HTML, PDF or text)")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit():
                _check_size(int(declared), cleaned, max_bytes)
            body = response.read(max_bytes + 1)
            _check_size(len(body), cleaned, max_bytes)
            return body, extension, response.geturl()
    except IngestError:
        raise
    except urllib.error.HTTPError as error:
        raise IngestError(cleaned, f"HTTP error {error.code}: {error.reason}") from None
    except urllib.error.URLError as error:
        raise IngestError(cleaned, f"cannot fetch: {error.reason}") from None
    except TimeoutError:
        raise IngestError(cleaned, f"timed out after {timeout:g} s") from None
    except (OSError, ValueError) as error:
        raise IngestError(cleaned, f"cannot fetch: {error}") from None


def load_url_report(
    url: str, *, timeout: float = URL_TIMEOUT_SECONDS, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestReport:
    """`load_report` for an http(s) URL."""
    body, extension, final_url = fetch_url(url, timeout=timeout, max_bytes=max_bytes)
    name = Path(urllib.parse.urlsplit(final_url).path).name or "page"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    report = _dispatch(body, f"{stem}{extension}", url.strip(), url=final_url, max_bytes=max_bytes)
    articles = [article if article.url else _with_url(article, final_url) for article in report.articles]
    return IngestReport(articles, report.problems)


def _with_url(article: Article, url: str) -> Article:
    from dataclasses import replace

    return replace(article, url=url)


def load_url(url: str, *, timeout: float = URL_TIMEOUT_SECONDS, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The article(s) at an http(s) URL: HTML, PDF or plain text."""
    return _raise_if_nothing(load_url_report(url, timeout=timeout, max_bytes=max_bytes), url.strip())


def is_url(value: str) -> bool:
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value.strip()) is not None
