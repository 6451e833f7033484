"""Store and process faults: files that are not stores, places that cannot hold one, writes that
fail half-way through a batch or a rescore, and two writers at once.

tests/test_store.py covers the Store's own refusals one by one (random bytes, a damaged header, a
folder, a read-only folder, a newer schema) and a writer killed mid-article; here the same faults
and more are tables run through both `Store` and the real CLI, with the file's bytes compared
before and after. Every store is in tmp_path, never the user's.
"""

from __future__ import annotations

import errno
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from analysis import cli, store, views
from analysis.ingest import load_text
from analysis.models import Article
from analysis.pipeline import analyze_article
from analysis.store import WRITE_FAILURES_BEFORE_STOP, Store, StoreError
from tests.conftest import PROJECT
from tests.test_store import _rows

SCORER = "lexicon"  # fast, and always installed
RANDOM = random.Random(42)

# Fifteen short texts, one statement each: quick to analyse, so the subprocesses spend their time
# loading spaCy (~1.5 s) and the batches take milliseconds.
SPEAKERS = ("Lavrov", "Blinken", "Zakharova", "Psaki", "Peskov")
CLAIMS = ("NATO is a threat", "the talks were useful", "new sanctions would follow")
TEXTS = [f"{speaker} said that {claim}." for claim in CLAIMS for speaker in SPEAKERS]
BATCH_SIZE = 5
FAILING = 2  # the third article of the batch


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "TENSION_DB"}
    return {**environment, "PYTHONPATH": str(PROJECT)}


def run_cli(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    """`python -m analysis COMMAND...` for each command, all started at once; their results."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", *command],
            cwd=PROJECT,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    results = []
    for command, process in zip(commands, processes, strict=True):
        stdout, stderr = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
    return results


def assert_consistent(path: Path) -> None:
    """SQLite's own checks, and every article whole: no article without statements (each text
    here has one), no statement without its article, no target without its statement."""
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    assert _rows(
        path,
        "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id)",
    ) == [(0,)]
    assert _rows(path, "SELECT COUNT(*) FROM statements WHERE article_id NOT IN (SELECT id FROM articles)") == [(0,)]
    assert _rows(path, "SELECT COUNT(*) FROM targets WHERE statement_rowid NOT IN (SELECT rowid FROM statements)") == [
        (0,)
    ]


def stored_ids(path: Path) -> list[str]:
    return [row[0] for row in _rows(path, "SELECT id FROM articles ORDER BY rowid")]


def statement_rows(path: Path, article_id: str) -> list[tuple]:
    return _rows(path, f"SELECT * FROM statements WHERE article_id = '{article_id}' ORDER BY rowid")


def no_traceback(*outputs: str) -> None:
    for output in outputs:
        assert "Traceback" not in output, output


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """TEXTS as articles (origin c01.txt ...), each checked to give a statement: loads spaCy once."""
    loaded = [replace(load_text(text), origin=f"c{index:02d}.txt") for index, text in enumerate(TEXTS, 1)]
    assert len({article.id for article in loaded}) == len(TEXTS)
    assert all(analyze_article(article, SCORER).statements for article in loaded)
    return loaded


@pytest.fixture
def batch(articles: list[Article]) -> list[Article]:
    return articles[:BATCH_SIZE]


def write_files(folder: Path, texts: list[str], start: int = 1) -> list[str]:
    """Each text in its own file c01.txt, c02.txt ... (the file name is the article's origin)."""
    paths = []
    for index, text in enumerate(texts, start):
        path = folder / f"c{index:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


# --------------------------------------------------------------- 1. files that are not stores


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory, articles: list[Article]) -> bytes:
    """The bytes of a real store with two articles, closed (so no -wal file holds any of it)."""
    path = tmp_path_factory.mktemp("real") / "corpus.sqlite"
    with Store(path) as opened:
        assert len(opened.add(articles[:2], scorer=SCORER).added) == 2
    return path.read_bytes()


def _edited(real: bytes, *sql: str, journal: str | None = None) -> bytes:
    """The real store's bytes after `sql` (and a journal mode) run on a copy by plain sqlite3."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.sqlite"
        path.write_bytes(real)
        connection = sqlite3.connect(path)
        with connection:
            for statement in sql:
                connection.execute(statement)
        if journal:
            connection.execute(f"PRAGMA journal_mode = {journal}")
        connection.close()
        return path.read_bytes()


def _foreign_database(_real: bytes) -> bytes:
    """Another program's SQLite file (a browser history), in rollback-journal mode."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.sqlite"
        connection = sqlite3.connect(path)
        with connection:
            connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
            connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
        connection.close()
        return path.read_bytes()


def _page_damaged(real: bytes) -> bytes:
    """The real store with the root page of `statements` overwritten: the schema still reads."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.sqlite"
        path.write_bytes(real)
        page = _rows(path, "SELECT rootpage FROM sqlite_master WHERE name = 'statements'")[0][0]
        size = _rows(path, "PRAGMA page_size")[0][0]
    damaged = bytearray(real)
    damaged[(page - 1) * size : page * size] = RANDOM.randbytes(size)
    return bytes(damaged)


NEWER = "UPDATE meta SET value = '99' WHERE key = 'schema_version'"

# (case, the file's bytes made from the real store's, what the error must say after the file name)
CORRUPT_FILES: list[tuple[str, Callable[[bytes], bytes], str]] = [
    ("random bytes", lambda real: RANDOM.randbytes(8192), "not a SQLite database"),
    ("a text file", lambda real: b"id,title\n1,Talks in Geneva\n", "not a SQLite database"),
    ("empty but not SQLite: NUL bytes", lambda real: bytes(4096), "not a SQLite database"),
    ("empty but not SQLite: one newline", lambda real: b"\n", "not a SQLite database"),
    ("the SQLite header and nothing else", lambda real: store.SQLITE_HEADER, "not a usable SQLite database"),
    ("real store cut to 100 bytes", lambda real: real[:100], "not a usable SQLite database"),
    ("real store cut to its first page", lambda real: real[:4096], "not a usable SQLite database"),
    ("real store cut in half", lambda real: real[: len(real) // 2], "not a usable SQLite database"),
    ("real store, a table's page overwritten", _page_damaged, "damaged (Page "),
    ("another program's SQLite database", _foreign_database, "not a corpus store (it holds moz_places)"),
    ("a newer schema", lambda real: _edited(real, NEWER), "newer version of this tool (schema 99"),
    (
        "a newer schema, rollback journal",
        lambda real: _edited(real, NEWER, journal="DELETE"),
        "newer version of this tool (schema 99",
    ),
    ("our meta table, no version", lambda real: _edited(real, "DELETE FROM meta"), "not a corpus store"),
]


@pytest.mark.parametrize(("make", "reason"), [case[1:] for case in CORRUPT_FILES], ids=[c[0] for c in CORRUPT_FILES])
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(
    make: Callable[[bytes], bytes], reason: str, real_store: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "corpus.sqlite"
    content = make(real_store)
    path.write_bytes(content)
    article = tmp_path / "a.txt"
    article.write_text(TEXTS[0], encoding="utf-8")

    with pytest.raises(StoreError) as raised:
        Store(path)
    assert raised.value.path == str(path)
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{path}: ")

    # One after the other: two processes that read a WAL-mode file and close at the same moment
    # can both miss the lock SQLite needs to remove its -wal file (a flaky leftover, not ours).
    (listed,) = run_cli(["articles", "--db", str(path)])
    (added,) = run_cli(["add", str(article), "--db", str(path), "--scorer", SCORER])
    for result in (listed, added):
        assert result.returncode == 1, result.stderr
        assert f"error: {path}: " in result.stderr
        assert reason in result.stderr
        assert result.stdout == ""
        no_traceback(result.stderr)
    assert "spaCy model" not in added.stderr  # refused before spaCy loads or anything is read

    assert path.read_bytes() == content  # never replaced, migrated or switched to WAL
    assert sorted(child.name for child in tmp_path.iterdir()) == ["a.txt", "corpus.sqlite"]  # no -wal / -shm


# ------------------------------------------------------- 2. places that cannot hold a store


def _read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 0o555 does not stop root (the /proc rows are refused even to root)")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "corpus.sqlite"


def _file_in_the_way(tmp_path: Path) -> Path:
    (tmp_path / "notes").write_text("a file where the store's folder would be", encoding="utf-8")
    return tmp_path / "notes" / "corpus.sqlite"


def _under_proc(*parts: str) -> Callable[[Path], Path]:
    def place(_tmp_path: Path) -> Path:
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc on this system")
        return Path("/proc", *parts)

    return place


# (case, the store path to use, a regex the error must match after the path)
LOCATIONS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("a folder given as the store", lambda tmp_path: tmp_path, "is a folder"),
    ("/dev/null", lambda tmp_path: Path("/dev/null"), "is not a regular file"),
    ("a file where its folder should be", _file_in_the_way, "cannot create the folder .*a file of that name"),
    ("a folder the system refuses to write, even to root", _under_proc("corpus.sqlite"), "cannot create|not writable"),
    ("a missing folder that cannot be made", _under_proc("no-such-folder", "corpus.sqlite"), "cannot create"),
    ("a read-only folder (chmod 0o555)", _read_only_folder, "is not writable"),
]


@pytest.mark.parametrize(("place", "reason"), [case[1:] for case in LOCATIONS], ids=[c[0] for c in LOCATIONS])
def test_a_place_that_cannot_hold_a_store_is_refused(
    place: Callable[[Path], Path], reason: str, tmp_path: Path
) -> None:
    path = place(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(TEXTS[0], encoding="utf-8")
    try:
        with pytest.raises(StoreError, match=reason) as raised:
            Store(path)
        assert str(raised.value).startswith(f"{path}: ")
        (added,) = run_cli(["add", str(article), "--db", str(path), "--scorer", SCORER])
        assert added.returncode == 1
        assert f"error: {path}: " in added.stderr
        no_traceback(added.stderr)
        assert not path.with_name(path.name + "-wal").exists()
    finally:
        if path.parent.name == "locked":
            path.parent.chmod(0o755)
    if path.parent.name == "locked":
        assert list(path.parent.iterdir()) == []


# ------------------------------------------------------------ 3. writes failing mid-batch


class FaultyConnection:
    """A sqlite3.Connection whose `execute` raises `error` for the statements `fails` picks."""

    def __init__(self, connection: sqlite3.Connection, fails: Callable[[str, tuple], bool], error: Exception) -> None:
        self._connection = connection
        self._fails = fails
        self._error = error

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        if self._fails(sql, tuple(parameters)):
            raise self._error
        return self._connection.execute(sql, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def faulty_connections(monkeypatch: pytest.MonkeyPatch, fails: Callable[[str, tuple], bool], error: Exception) -> None:
    """Every Store opened from now on writes through a FaultyConnection (the CLI's stores too)."""
    real_open = Store._open
    monkeypatch.setattr(Store, "_open", lambda self: FaultyConnection(real_open(self), fails, error))


def _statement_insert_fails(error: Exception) -> Callable[[pytest.MonkeyPatch, str], None]:
    """Raise while writing the target's first statement: its article row is already in."""

    def install(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
        real = store._insert_statement

        def failing(connection, article_id, position, statement):
            if article_id == target:
                raise error
            return real(connection, article_id, position, statement)

        monkeypatch.setattr(store, "_insert_statement", failing)

    return install


def _write_raises(error: Exception) -> Callable[[pytest.MonkeyPatch, str], None]:
    def install(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
        real = Store._write

        def failing(self, analysis, scorer, version):
            if analysis.article.id == target:
                raise error
            return real(self, analysis, scorer, version)

        monkeypatch.setattr(Store, "_write", failing)

    return install


def _commit_fails(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """COMMIT of the target's transaction fails (disk I/O): the transaction is left open."""
    armed: list[bool] = [False]

    def fails(sql: str, parameters: tuple) -> bool:
        if sql.startswith(("INSERT INTO articles", "UPDATE articles")) and target in parameters:
            armed[0] = True
        elif sql == "COMMIT" and armed[0]:
            armed[0] = False
            return True
        return False

    faulty_connections(monkeypatch, fails, sqlite3.OperationalError("disk I/O error"))


def _third_begin_locked(monkeypatch: pytest.MonkeyPatch, _target: str) -> None:
    """The third write transaction cannot start: another process held the lock past the timeout."""
    begun: list[int] = [0]

    def fails(sql: str, _parameters: tuple) -> bool:
        if sql == "BEGIN IMMEDIATE":
            begun[0] += 1
            return begun[0] == FAILING + 1
        return False

    faulty_connections(monkeypatch, fails, sqlite3.OperationalError("database is locked"))


def _every_write_fails(monkeypatch: pytest.MonkeyPatch, _target: str) -> None:
    faulty_connections(
        monkeypatch,
        lambda sql, _parameters: sql.startswith(("INSERT INTO articles", "UPDATE articles")),
        sqlite3.OperationalError("database or disk is full"),
    )


DISK_IO = sqlite3.OperationalError("disk I/O error")
DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
ONE_FAILS = {FAILING: "not stored"}
ALL_FAIL = {index: "not stored" if index < WRITE_FAILURES_BEFORE_STOP else "not tried" for index in range(BATCH_SIZE)}


@dataclass(frozen=True)
class WriteFault:
    install: Callable[[pytest.MonkeyPatch, str], None]
    """install(monkeypatch, id of the batch's third article)."""
    reason: str
    """What each failure's reason says."""
    failed: dict[int, str] = field(default_factory=lambda: dict(ONE_FAILS))
    """Index in the batch -> how its reason starts; the other articles are stored."""


WRITE_FAULTS: dict[str, WriteFault] = {
    "statement insert: disk I/O error": WriteFault(_statement_insert_fails(DISK_IO), "disk I/O error"),
    "statement insert: OSError, disk full": WriteFault(_statement_insert_fails(DISK_FULL), "No space left on device"),
    "Store._write raises OSError": WriteFault(
        _write_raises(OSError(errno.EIO, "Input/output error")), "OSError: [Errno 5] Input/output error"
    ),
    "COMMIT fails: disk I/O error": WriteFault(_commit_fails, "disk I/O error"),
    "BEGIN fails: database is locked": WriteFault(_third_begin_locked, "database is locked"),
    "every write fails: disk full": WriteFault(_every_write_fails, "database or disk is full", dict(ALL_FAIL)),
}


@pytest.mark.parametrize("fault", WRITE_FAULTS.values(), ids=WRITE_FAULTS.keys())
def test_a_failed_write_costs_one_article_and_a_rerun_completes_the_batch(
    fault: WriteFault, batch: list[Article], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "corpus.sqlite"
    analysed: list[str] = []
    real_analyze = analyze_article

    def counting(article: Article, scorer: str | None = None):
        analysed.append(article.id)
        return real_analyze(article, scorer)

    monkeypatch.setattr("analysis.pipeline.analyze_article", counting)
    with pytest.MonkeyPatch.context() as faults:
        fault.install(faults, batch[FAILING].id)
        with Store(db) as opened:
            report = opened.add(batch, scorer=SCORER)

    stored = [article.id for index, article in enumerate(batch) if index not in fault.failed]
    assert report.added == stored
    assert report.duplicates == []
    assert [origin for origin, _ in report.failed] == [batch[index].origin for index in fault.failed]
    for (_, reason), start in zip(report.failed, fault.failed.values(), strict=True):
        assert reason.startswith(start), reason
        assert fault.reason in reason
    not_tried = [index for index, start in fault.failed.items() if start == "not tried"]
    assert len(analysed) == BATCH_SIZE - len(not_tried)  # the ones not tried were not analysed either
    assert stored_ids(db) == stored
    assert_consistent(db)

    with Store(db) as opened:
        again = opened.add(batch, scorer=SCORER)
    assert again.added == [batch[index].id for index in fault.failed]
    assert again.duplicates == stored
    assert again.failed == []
    assert sorted(stored_ids(db)) == sorted(article.id for article in batch)  # each once
    assert_consistent(db)


# (-j, fault, the counts printed, how many error lines say "not stored" / "not tried")
CLI_WRITE_FAULTS = [
    (1, "statement insert: disk I/O error", {"added": 4, "duplicates": 0, "failed": 1, "limited": 0}, (1, 0)),
    (2, "statement insert: disk I/O error", {"added": 4, "duplicates": 0, "failed": 1, "limited": 0}, (1, 0)),
    (1, "every write fails: disk full", {"added": 0, "duplicates": 0, "failed": 5, "limited": 0}, (3, 2)),
    (2, "every write fails: disk full", {"added": 0, "duplicates": 0, "failed": 5, "limited": 0}, (3, 2)),
]


@pytest.mark.parametrize(("jobs", "name", "counts", "lines"), CLI_WRITE_FAULTS)
def test_cli_add_says_what_was_stored_and_what_not(
    jobs: int,
    name: str,
    counts: dict[str, int],
    lines: tuple[int, int],
    batch: list[Article],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "corpus.sqlite"
    files = write_files(tmp_path, [article.text for article in batch])
    fault = WRITE_FAULTS[name]
    command = ["add", *files, "--db", str(db), "--scorer", SCORER, "-j", str(jobs)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as faults:
        fault.install(faults, batch[FAILING].id)
        status = cli.main(command, out, err)
    assert status == 1
    assert json.loads(out.getvalue()) == counts
    errors = [line for line in err.getvalue().splitlines() if line.startswith("error: ")]
    assert len(errors) == counts["failed"]
    assert all(fault.reason in line for line in errors)
    assert (sum(": not stored: " in line for line in errors), sum(": not tried: " in line for line in errors)) == lines
    if counts["failed"] == 1:
        assert errors[0].startswith(f"error: c03.txt: not stored: cannot write article {batch[FAILING].id[:12]}")
    no_traceback(err.getvalue(), *capsys.readouterr())
    assert_consistent(db)

    out, err = io.StringIO(), io.StringIO()
    assert cli.main(command, out, err) == 0, err.getvalue()
    assert json.loads(out.getvalue()) == {
        "added": counts["failed"],
        "duplicates": counts["added"],
        "failed": 0,
        "limited": 0,
    }
    assert sorted(stored_ids(db)) == sorted(article.id for article in batch)
    assert_consistent(db)


# ------------------------------------------------------------------ 4. rescoring failing


@pytest.fixture
def stale_store(tmp_path: Path, batch: list[Article], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The batch stored, then a new analysis version: every article stale."""
    db = tmp_path / "corpus.sqlite"
    with Store(db) as opened:
        assert len(opened.add(batch, scorer=SCORER).added) == BATCH_SIZE
    old = store.analysis_version()
    monkeypatch.setattr(store, "analysis_version", lambda: old + ".rescore-test")
    return db


RESCORE_FAULTS = {
    name: WRITE_FAULTS[name]
    for name in ("statement insert: disk I/O error", "COMMIT fails: disk I/O error", "every write fails: disk full")
}


@pytest.mark.parametrize("fault", RESCORE_FAULTS.values(), ids=RESCORE_FAULTS.keys())
def test_a_failed_rescore_leaves_the_old_rows(fault: WriteFault, stale_store: Path, batch: list[Article]) -> None:
    db = stale_store
    before = {article.id: statement_rows(db, article.id) for article in batch}
    old_version = _rows(db, "SELECT DISTINCT analysis_version FROM articles")
    failures: list[tuple[str, str]] = []
    with pytest.MonkeyPatch.context() as faults:
        fault.install(faults, batch[FAILING].id)
        with Store(db) as opened:
            redone = opened.rescore(failed=lambda article_id, reason: failures.append((article_id, reason)))
            left = opened.stale_articles()

    failed_ids = [batch[index].id for index in fault.failed]
    assert redone == BATCH_SIZE - len(failed_ids)
    assert [article_id for article_id, _ in failures] == failed_ids
    for (_, reason), start in zip(failures, fault.failed.values(), strict=True):
        assert reason.startswith(start.replace("stored", "rescored")), reason
        assert fault.reason in reason
    assert left == failed_ids
    for article in batch:
        if article.id in failed_ids:  # the same rows, the same rowids, the old version
            assert statement_rows(db, article.id) == before[article.id]
            assert _rows(db, f"SELECT analysis_version FROM articles WHERE id = '{article.id}'") == old_version
        else:
            assert statement_rows(db, article.id) != before[article.id]  # replaced by new rows
    assert_consistent(db)

    with Store(db) as opened:
        assert opened.rescore() == len(failed_ids)
        assert opened.stale_articles() == []
    assert_consistent(db)


def test_cli_rescore_reports_the_article_left_as_it_was(
    stale_store: Path, batch: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as faults:
        WRITE_FAULTS["statement insert: disk I/O error"].install(faults, batch[FAILING].id)
        assert cli.main(["rescore", "--db", str(stale_store)], out, err) == 1
    summary = json.loads(out.getvalue())
    assert (summary["stale"], summary["rescored"], summary["failed"]) == (BATCH_SIZE, BATCH_SIZE - 1, 1)
    assert f"error: {batch[FAILING].id[:12]}: not rescored: " in err.getvalue()
    assert "disk I/O error (left as it was)" in err.getvalue()
    no_traceback(err.getvalue(), *capsys.readouterr())
    out = io.StringIO()
    assert cli.main(["rescore", "--db", str(stale_store)], out, io.StringIO()) == 0
    assert json.loads(out.getvalue())["rescored"] == 1


# (command, the statement that fails, its error, what the CLI says after the store's path)
CLI_STORE_FAULTS: list[tuple[list[str], str, Exception, str]] = [
    (["articles"], "SELECT a.id", sqlite3.DatabaseError("database disk image is malformed"), "cannot read: database"),
    (["export", "--format", "csv", "--out", "{out}"], "SELECT s.article_id", DISK_IO, "cannot read: disk I/O error"),
    (["remove", "{id}"], "DELETE FROM articles", DISK_IO, "cannot write (removing article"),
]


@pytest.mark.parametrize(
    ("command", "prefix", "error", "said"), CLI_STORE_FAULTS, ids=[case[0][0] for case in CLI_STORE_FAULTS]
)
def test_a_store_failing_after_it_opened_gives_an_error_not_a_traceback(
    command: list[str],
    prefix: str,
    error: Exception,
    said: str,
    batch: list[Article],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "corpus.sqlite"
    with Store(db) as opened:
        opened.add(batch[:1], scorer=SCORER)
    arguments = [part.format(out=tmp_path / "out.csv", id=batch[0].id[:12]) for part in command]
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as faults:
        faulty_connections(faults, lambda sql, _parameters: sql.startswith(prefix), error)
        assert cli.main([*arguments, "--db", str(db)], out, err) == 1
    assert f"error: {db}: {said}" in err.getvalue()
    no_traceback(err.getvalue(), *capsys.readouterr())
    assert stored_ids(db) == [batch[0].id]
    assert not (tmp_path / "out.csv").exists()
    assert_consistent(db)


# --------------------------------------------------------------------- 5. two writers at once


def test_two_cli_adds_at_once_on_overlapping_files(articles: list[Article], tmp_path: Path) -> None:
    files = write_files(tmp_path, TEXTS)
    db = tmp_path / "corpus.sqlite"  # created by whichever comes first
    first, second = run_cli(
        ["add", *files[:10], "--db", str(db), "--scorer", SCORER],
        ["add", *files[5:], "--db", str(db), "--scorer", SCORER],
    )
    summaries = []
    for result in (first, second):
        assert result.returncode == 0, result.stderr
        assert "locked" not in (result.stdout + result.stderr).lower()
        no_traceback(result.stderr)
        summaries.append(json.loads(result.stdout))
    assert sum(summary["added"] for summary in summaries) == len(TEXTS)
    assert sum(summary["duplicates"] for summary in summaries) == 5  # files 6-10, given to both
    assert sum(summary["failed"] for summary in summaries) == 0
    assert sorted(stored_ids(db)) == sorted(article.id for article in articles)  # each exactly once
    assert_consistent(db)


def test_dashboard_upload_and_cli_add_at_once(articles: list[Article], tmp_path: Path) -> None:
    """views.add_inputs (what dashboard.py's upload runs) in a thread on the dashboard's one
    open Store, while `python -m analysis add` writes the same file from another process."""
    files = write_files(tmp_path, TEXTS[:10])
    db = tmp_path / "corpus.sqlite"
    with Store(db) as corpus:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "add", *files, "--db", str(db), "--scorer", SCORER],
            cwd=PROJECT,
            env=_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        loaded = threading.Event()

        def read_stderr() -> None:
            for line in process.stderr:
                lines.append(line)
                if line.startswith("spaCy model"):  # said just before it reads and adds
                    loaded.set()
            loaded.set()

        reader = threading.Thread(target=read_stderr)
        reader.start()
        assert loaded.wait(timeout=120)
        outcomes: list[views.AddOutcome] = []
        uploads = [(f"upload-{index}.txt", views.text_reader(text)) for index, text in enumerate(TEXTS[5:], 6)]
        worker = threading.Thread(target=lambda: outcomes.extend(views.add_inputs(corpus, uploads, SCORER)))
        worker.start()
        stdout = process.stdout.read()
        process.wait(timeout=120)
        reader.join(timeout=120)
        worker.join(timeout=120)
    stderr = "".join(lines)
    assert process.returncode == 0, stderr
    assert "locked" not in (stdout + stderr).lower()
    no_traceback(stderr)
    added = json.loads(stdout)
    assert len(outcomes) == len(uploads)
    assert all(outcome.status in ("added", "duplicate") and not outcome.problems for outcome in outcomes), outcomes
    assert added["added"] + sum(outcome.added for outcome in outcomes) == len(TEXTS)
    assert added["duplicates"] + sum(outcome.duplicates for outcome in outcomes) == 5
    assert sorted(stored_ids(db)) == sorted(article.id for article in articles)
    assert_consistent(db)
