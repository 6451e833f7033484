"""The catalogue of bad inputs (issue "Hardening"): one table, input -> expected outcome.

Every row goes into an empty corpus store the two ways a user adds things: the command line
(`python -m analysis add`, run in-process) and the dashboard's upload / URL / paste path
(`views.add_inputs`). Both must give the same outcome: added (perhaps with problems named), or
failed with a reason naming the input; never an exception, never a half-written store. Rows
that are accepted are checked in the store afterwards (hostile markup stored as written and
escaped when shown; a language flagged; a limit reported).

Faults of the store itself (corrupt file, read-only place, a write failing mid-batch, two
writers) are in test_store_faults.py; random inputs in test_fuzz.py.
"""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from analysis import cli, ingest, pipeline, views
from analysis.ingest import load_url_report
from analysis.store import Store
from tests.test_ingest import _empty_zip, _Handler, _scanned_pdf, serving

STATEMENT = "Lavrov said the United States was wrong about Ukraine."
SECOND = "Peskov told reporters that Washington had made a grave mistake."
ARTICLE = f"Talks stall\n\n{STATEMENT}\n\n{SECOND}\n"


def _zip(entries: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16  # S_IFLNK: a symbolic link entry
            archive.writestr(info, target)
    return buffer.getvalue()


def _nested_zip(depth: int) -> bytes:
    level = _zip({"deep.txt": ARTICLE})
    for number in range(depth):
        level = _zip({f"level{number}.zip": level})
    return level


def _csv_semicolon_bom() -> bytes:
    rows = [
        ["title", "date", "text"],
        ["Quoted newline", "2022-02-01", f"{STATEMENT}\n\n{SECOND}"],
        ["No text", "2022-02-02", ""],
        ["Third", "2022-02-03", "Zakharova said the sanctions would fail."],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _many_statements(count: int) -> str:
    return "Statements\n\n" + "\n\n".join(f"Lavrov said point {n} about Washington was wrong." for n in range(count))


# ------------------------------------------------------------ the table


@dataclass(frozen=True)
class Case:
    kind: str
    """What is wrong with the input (the catalogue's first column)."""
    name: str
    """File name, URL path (starting with "/") or "paste:" for pasted text."""
    content: bytes | str | Callable[[], bytes] = b""
    status: str = "added"
    """AddOutcome.status: added / failed / duplicate / nothing added."""
    message: str = ""
    """Part of the reason (or problem) reported; empty for a clean add."""
    statements: int | None = None
    """Statements stored at least (None: not checked)."""
    language: str | None = None
    check: Callable[[Store], None] | None = None
    patch: tuple[tuple[object, str, object], ...] = ()
    """(module, attribute, value) set for this row: a limit made small so the row stays fast."""
    cli: bool = True
    """Also run through `python -m analysis add` (pasted text has no command-line form)."""
    warning: bool = False
    """`message` is a note on an article stored all the same (a limit), not an error: exit code 0."""

    def data(self) -> bytes:
        content = self.content() if callable(self.content) else self.content
        return content.encode("utf-8") if isinstance(content, str) else content


def _markup_literal(corpus: Store) -> None:
    (row,) = corpus.articles()
    article = corpus.article(row["id"])
    assert article is not None
    assert "<script>alert('x')</script>" in article.text  # stored as written, never cleaned away
    frame = views.corpus_frame(corpus)
    page = views.article_html(article.text, frame[frame["article_id"] == row["id"]])
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def _formula_neutralised(corpus: Store) -> None:
    frame = views.corpus_frame(corpus)
    exported = views.statements_csv(frame, views.Filters(dyad=None), "test").decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)  # the title
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert float(rows[0]["tone"]) < 0  # numbers stay numbers: a negative tone keeps its "-"


def _other_language_out_by_default(corpus: Store) -> None:
    frame = views.corpus_frame(corpus)
    assert len(frame) >= 1
    assert views.apply_filters(frame, views.Filters(dyad=None)).empty
    assert len(views.apply_filters(frame, views.Filters(dyad=None, other_languages=True))) == len(frame)


def _limit_reported(corpus: Store) -> None:
    assert len(corpus.statements()) == 5


CATALOGUE: list[Case] = [
    # --- files that are not what their name says, or nothing at all
    Case("empty file", "empty.txt", b"", "failed", "empty file"),
    Case("only whitespace", "blank.txt", b" \n\t\r\n ", "failed", "empty file"),
    Case("binary data named .txt", "picture.txt", b"GIF89a" + bytes(range(256)) * 4, "failed", "binary data"),
    Case("unsupported type", "image.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "failed", "unsupported file type '.png'"),
    Case(
        "bytes fitting no encoding",
        "broken.txt",
        b"\xff\xfe" + "Putin".encode("utf-16-le") + b"\x00\xd8",
        "failed",
        "undecodable",
    ),
    Case(
        "file over the size limit",
        "huge.txt",
        lambda: b"word " * (ingest.DEFAULT_MAX_BYTES // 5 + 1),
        "failed",
        "too large",
    ),
    # --- every format broken
    Case("truncated PDF", "truncated.pdf", lambda: _scanned_pdf()[:200], "failed", "not a readable PDF"),
    Case("PDF without a text layer", "scanned.pdf", _scanned_pdf, "failed", "no text layer"),
    Case("text named .pdf", "fake.pdf", b"Plain text with a .pdf name.", "failed", "not a readable PDF"),
    Case(
        ".docx that is not one", "fake.docx", b"PK\x03\x04 not really a zip", "failed", "not a readable Word document"
    ),
    Case(".zip that is not one", "fake.zip", b"PK\x03\x04 truncated", "failed", "not a readable zip archive"),
    Case("empty archive", "empty.zip", _empty_zip, "failed", "empty archive"),
    Case(
        "HTML with no article",
        "nav.html",
        b"<html><body><nav>Home</nav></body></html>",
        "failed",
        "no article text found",
    ),
    Case(
        "HTML nested 50,000 deep",
        "deep.html",
        b"<html><body>" + b"<div>" * 50_000 + f"<p>{STATEMENT}</p>".encode() + b"</div>" * 50_000,
        statements=1,
    ),
    Case("HTML never closed", "open.html", f"<html><body><p>{STATEMENT}<p>{SECOND}<div><span>", statements=2),
    Case("JSON cut short", "cut.json", b'{"title": "x", "text": ', "failed", "invalid JSON at line 1"),
    Case("JSON neither article nor list", "number.json", b"42", "failed", "neither an article object nor a list"),
    Case(
        "JSONL with one broken line",
        "feed.jsonl",
        json.dumps({"text": STATEMENT}) + "\n{broken\n" + json.dumps({"text": SECOND}) + "\n",
        message="line 2: invalid JSON",
        statements=2,
    ),
    Case(
        "CSV: BOM, ';', quoted newlines, a record without text",
        "feed.csv",
        _csv_semicolon_bom,
        message="row 3: no text",
        statements=3,
    ),
    Case("CSV without a text column", "columns.csv", b"title,date\nA,2021-03-19\n", "failed", "no text column"),
    # --- text edge cases
    Case("NUL bytes in text", "nul.txt", f"Nul\n\n{STATEMENT}\x00 {SECOND}\n\n" + "Background. " * 20, statements=2),
    Case("mostly NUL bytes", "nuls.txt", f"{STATEMENT}\x00\x00\x00\x00", "failed", "binary data"),
    Case(
        "bidi overrides and zero-width characters",
        "bidi.txt",
        f"Bidi\n\n\u202e{STATEMENT}\u202c\n\n\u2066Peskov\u2069 told reporters that Wash\u200bington had erred.",
        statements=2,
    ),
    Case("CRLF line ends", "crlf.txt", ARTICLE.replace("\n", "\r\n"), statements=2),
    Case("CR line ends", "cr.txt", ARTICLE.replace("\n", "\r"), statements=2),
    Case("emoji", "emoji.txt", f"Talks 🇷🇺🇺🇸\n\n{STATEMENT} 🔥\n\n{SECOND} 😡", statements=2),
    Case(
        "a million characters on one line, no punctuation",
        "line.txt",
        lambda: ("the united states and russia " * 34_500).encode(),
        statements=0,
        warning=True,
        message="without a full stop, question or exclamation mark",
    ),
    Case(
        "more statements than the per-article cap",
        "many.txt",
        _many_statements(8),
        message="only the first 5 of 8",
        warning=True,
        check=_limit_reported,
        patch=((pipeline, "MAX_STATEMENTS", 5),),
    ),
    Case(
        "more text than the per-article cap",
        "long.txt",
        _many_statements(40),
        message="only the first 1,000",
        warning=True,
        patch=((pipeline, "MAX_ANALYSED_CHARS", 1_000),),
    ),
    Case(
        "not English",
        "ru.txt",
        "Переговоры\n\nЛавров заявил, что Соединённые Штаты ошибаются насчёт Украины. "
        "Песков сказал журналистам, что Вашингтон совершил серьёзную ошибку.",
        language="ru",
    ),
    Case(
        "statements of a text not in English",
        "mixed.txt",
        f"{STATEMENT}\n\nЛавров заявил, что Соединённые Штаты ошибаются насчёт Украины и что Вашингтон "
        "совершил серьёзную ошибку, а Песков сказал журналистам то же самое ещё раз.\n\n"
        "Захарова заявила, что санкции провалятся, и Рябков сказал, что диалог невозможен.",
        language="ru",
        check=_other_language_out_by_default,
    ),
    # --- archives
    Case(
        "archive entry with ../",
        "escape.zip",
        lambda: _zip({"good.txt": ARTICLE, "../evil.txt": SECOND}),
        message="unsafe path",
        statements=2,
    ),
    Case(
        "archive entry with an absolute path",
        "absolute.zip",
        lambda: _zip({"good.txt": ARTICLE, "/etc/evil.txt": SECOND}),
        message="unsafe path",
        statements=2,
    ),
    Case(
        "archive entry that is a link",
        "link.zip",
        lambda: _zip({"good.txt": ARTICLE}, {"passwd.txt": "/etc/passwd"}),
        message="link",
        statements=2,
    ),
    Case("archives nested too deep", "nested.zip", lambda: _nested_zip(3), "failed", "nested more than 2 deep"),
    Case(
        "archive expanding past the byte limit",
        "bomb.zip",
        lambda: _zip({"zeros.txt": b"a" * 2_000_000}),
        "failed",
        "zip bomb",
        patch=((ingest, "MAX_ARCHIVE_BYTES", 1_000_000),),
    ),
    Case(
        ".docx expanding past the byte limit",
        "bomb.docx",
        lambda: _zip({"word/document.xml": b" " * 2_000_000}),
        "failed",
        "zip bomb",
        patch=((ingest, "MAX_ARCHIVE_BYTES", 1_000_000),),
    ),
    Case(
        "archive with too many entries",
        "flood.zip",
        lambda: _zip({f"{n}.txt": ARTICLE for n in range(5)}),
        "failed",
        "too many entries",
        patch=((ingest, "MAX_ARCHIVE_ENTRIES", 3),),
    ),
    # --- hostile content
    Case(
        "markup in title and text",
        "hostile.txt",
        "<script>alert('x')</script> Talks\n\n"
        f"{STATEMENT} <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n{SECOND}",
        statements=2,
        check=_markup_literal,
    ),
    Case(
        "spreadsheet formulas in title and statement",
        "formula.txt",
        '=HYPERLINK("http://evil.example","x")\n\nLavrov said the United States was a hostile and dangerous liar.',
        check=_formula_neutralised,
    ),
    # --- URLs, against a local server that misbehaves on purpose
    Case("URL: not http or https", "ftp://127.0.0.1/a.txt", status="failed", message="only http and https"),
    Case("URL: 404", "/missing", status="failed", message="HTTP error 404"),
    Case("URL: 500", "/error", status="failed", message="HTTP error 500"),
    Case("URL: redirect to another scheme", "/to-file", status="failed", message="redirect to a file URL refused"),
    Case("URL: endless redirects", "/loop", status="failed", message="HTTP error 302"),
    Case("URL: wrong content type", "/image", status="failed", message="unsupported content type 'image/png'"),
    Case(
        "URL: body over the size limit",
        "/huge",
        status="failed",
        message="too large",
        patch=((ingest, "DEFAULT_MAX_BYTES", 100_000),),
    ),
    Case("URL: redirect to the article", "/moved", statements=2),
    Case(
        "URL: server too slow",
        "/slow",
        status="failed",
        message="timed out after 0.5 s",
        patch=((ingest, "URL_TIMEOUT_SECONDS", 0.5),),
        cli=False,  # the command line's timeout is the default's 20 s: tested once, here
    ),
    # --- pasted text
    Case("pasted text: empty", "paste:", "   ", "failed", "empty", cli=False),
    Case("pasted text: markup", "paste:", f"<b>{STATEMENT}</b>", statements=1, cli=False),
]


# ------------------------------------------------------------ a server that misbehaves


class _Site(_Handler):
    """test_ingest's misbehaving server with this catalogue's pages."""

    pages: ClassVar[dict[str, tuple[int, str, bytes, dict[str, str]]]] = {
        "/article.txt": (200, "text/plain; charset=utf-8", ARTICLE.encode(), {}),
        "/moved": (301, "text/plain", b"", {"Location": "/article.txt"}),
        "/to-file": (302, "text/plain", b"", {"Location": "file:///etc/passwd"}),
        "/loop": (302, "text/plain", b"", {"Location": "/loop"}),
        "/error": (500, "text/plain", b"boom", {}),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100), {}),
        "/huge": (200, "text/plain", ARTICLE.encode() * 2_000, {}),
        "/slow": (200, "text/plain", ARTICLE.encode(), {}),  # answered after 3 s (_Handler)
    }


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving(_Site) as url:
        yield url


# ------------------------------------------------------------ running a row


def _input(case: Case, folder: Path, site: str) -> tuple[str, Callable[[], object]]:
    """What the CLI is given (a path or URL) and the dashboard's reader for the same input."""
    if case.name.startswith("paste:"):
        return "pasted text", views.text_reader(case.data().decode("utf-8"))
    if case.name.startswith("/") or "://" in case.name:
        url = site + case.name if case.name.startswith("/") else case.name
        # The default limit is bound when load_url_report is defined: pass the (patched) one.
        return url, lambda: load_url_report(url, max_bytes=ingest.DEFAULT_MAX_BYTES, timeout=ingest.URL_TIMEOUT_SECONDS)
    path = folder / case.name
    path.write_bytes(case.data())
    return str(path), lambda: ingest.load_report(path, max_bytes=ingest.DEFAULT_MAX_BYTES)


def _dashboard(case: Case, corpus: Store, item: str, reader: Callable[[], object]) -> views.AddOutcome:
    seen: list[float] = []
    (outcome,) = views.add_inputs(corpus, [(item, reader)], "lexicon", progress=lambda done, _what: seen.append(done))
    assert seen[-1] == 1.0 and seen == sorted(seen)  # the progress bar only moves forward
    return outcome


def _command_line(corpus_path: Path, item: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["add", item, "--db", str(corpus_path), "--scorer", "lexicon"], out, err)
    counts = json.loads(out.getvalue()) if out.getvalue().strip() else {"added": 0, "duplicates": 0}
    status = "added" if counts["added"] else "duplicate" if counts["duplicates"] else "nothing added"
    if code and not counts["added"] and not counts["duplicates"]:
        status = "failed"
    return status, err.getvalue(), code


def _check_store(case: Case, corpus: Store) -> None:
    rows = corpus.articles()
    if case.status == "failed":
        assert rows == []
        return
    assert rows, "nothing was stored"
    if case.statements is not None:
        assert len(corpus.statements()) >= case.statements
        if case.statements == 0:
            assert len(corpus.statements()) == 0
    if case.language is not None:
        assert {row["language"] for row in rows} == {case.language}
    if case.check is not None:
        case.check(corpus)


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.kind for case in CATALOGUE])
def test_catalogue(case: Case, tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for module, attribute, value in case.patch:
        monkeypatch.setattr(module, attribute, value)
    item, reader = _input(case, tmp_path, site)

    with Store(tmp_path / "dashboard.sqlite") as corpus:
        start = time.perf_counter()
        outcome = _dashboard(case, corpus, item, reader)
        assert outcome.status == case.status, outcome
        assert case.message in " ".join(outcome.notes if case.warning else outcome.problems), outcome
        if case.status == "failed":
            assert outcome.problems, "a failure must say why"
        _check_store(case, corpus)
        assert time.perf_counter() - start < 120  # bounded: a runaway input would hang here, not pass

    if case.cli:
        status, err, code = _command_line(tmp_path / "cli.sqlite", item)
        assert status == case.status, err
        assert case.message in err, err
        assert "Traceback" not in err
        assert (code != 0) == (bool(case.message) and not case.warning), err  # problems make it non-zero
        if case.message:
            assert Path(item).name in err or item in err  # the message names the input
        with Store(tmp_path / "cli.sqlite") as corpus:
            _check_store(case, corpus)


def test_catalogue_has_thirty_kinds() -> None:
    assert len({case.kind for case in CATALOGUE}) >= 30
