"""The corpus store: analysed articles and their statements in one embedded SQLite file.

Where the file lives (`default_path`): the `TENSION_DB` environment variable when it is
set (the CLI's `--db` default, see `analysis.cli.DB_ENVIRONMENT_VARIABLE`), else the user's
data folder: `$XDG_DATA_HOME/diplomatic-tension/corpus.sqlite`, falling back to
`~/.local/share/diplomatic-tension/corpus.sqlite` (on Windows `%LOCALAPPDATA%`).

Tables (the column names are the field names of `analysis.models`, see DESIGN.md):
- `meta(key, value)`: `schema_version`, raised by the migrations in `MIGRATIONS`;
- `articles`: one row per article, keyed by `Article.id` (the text's hash, so the same text
  is stored once), with the `analysis_version` and tone `scorer` its statements were made with;
- `statements`: one row per `Statement`, each field its own column; tuples as JSON text;
- `targets`: one row per target of a statement (name, side, tone), for SQL-side aggregation.

Articles are analysed outside any write transaction and written in one transaction each, so
an article is stored whole (row, statements, targets) or not at all, and a second process
adding at the same time only waits for the short write, not for the analysis.

Faults: a file that is not one of our stores (not SQLite, damaged, another program's database,
a newer schema) is refused with a StoreError before anything is written to it; a read or write
that fails later raises StoreError too (never a bare sqlite3 error). In a batch (`add`,
`rescore`) a failed write costs that article only; after WRITE_FAILURES_BEFORE_STOP failed
writes in a row the batch stops and reports the rest as not tried.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import __version__, actors, tone, tone_model
from .models import Article, ArticleAnalysis, Statement

if TYPE_CHECKING:
    import pandas

log = logging.getLogger(__name__)

# Same name as the CLI's `--db` default (analysis/cli.py); repeated here because the CLI
# imports the store, not the other way round.
DB_ENVIRONMENT_VARIABLE = "TENSION_DB"
APP_FOLDER = "diplomatic-tension"
DB_FILE_NAME = "corpus.sqlite"

# How long a writer waits for another process's write transaction before giving up. Writes
# are one article each (milliseconds), so 30 s only runs out when something is truly stuck.
BUSY_TIMEOUT_MS = 30_000

# A batch (`Store.add`, `Store.rescore`, the CLI's `add -j N`) stops after this many article writes
# in a row have failed: one failure may be a passing disk error, several in a row are a full disk,
# a read-only file or a lock held for minutes, where analysing the rest only to fail again wastes
# the time of the analysis (or BUSY_TIMEOUT_MS per article).
WRITE_FAILURES_BEFORE_STOP = 3

# The first 16 bytes of every SQLite 3 database file (https://www.sqlite.org/fileformat.html).
SQLITE_HEADER = b"SQLite format 3\x00"

# Length of the data hash in `analysis_version`: 12 hex digits (48 bits) tell registry and
# lexicon revisions apart while keeping the version readable.
DATA_HASH_LENGTH = 12

# Schema migrations: version -> the SQL that takes the previous version to it. All pending
# versions are applied in order in one transaction when a store is opened; `meta` holds the
# version reached. Never edit a released version's SQL: add a new version.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT,
            published TEXT,
            source TEXT,
            url TEXT,
            author TEXT,
            origin TEXT NOT NULL,
            text TEXT NOT NULL,
            speaker TEXT,
            language TEXT NOT NULL,
            headings TEXT NOT NULL,
            analysis_version TEXT NOT NULL,
            scorer TEXT NOT NULL,
            added_at TEXT NOT NULL
        )""",
        """CREATE TABLE statements (
            rowid INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            content_start INTEGER NOT NULL,
            content_end INTEGER NOT NULL,
            source_start INTEGER,
            source_end INTEGER,
            cue TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaker TEXT,
            speaker_side TEXT,
            resolution TEXT NOT NULL,
            targets TEXT NOT NULL,
            target_sides TEXT NOT NULL,
            target_tones TEXT NOT NULL,
            said_on TEXT,
            tone REAL NOT NULL,
            tone_label TEXT NOT NULL,
            stance REAL NOT NULL,
            mixed_signals INTEGER NOT NULL,
            drivers TEXT NOT NULL,
            UNIQUE (article_id, position)
        )""",
        """CREATE TABLE targets (
            statement_rowid INTEGER NOT NULL REFERENCES statements(rowid) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            side TEXT,
            tone REAL NOT NULL,
            PRIMARY KEY (statement_rowid, position)
        )""",
        # The filters of `Store.statements` and the dashboard's per-side charts.
        "CREATE INDEX statements_side ON statements(speaker_side)",
        "CREATE INDEX statements_said_on ON statements(said_on)",
        "CREATE INDEX targets_name ON targets(name)",
    ],
}

# Statement fields stored as JSON text, as ISO dates, and as 0/1.
_JSON_FIELDS = frozenset({"targets", "target_sides", "target_tones", "drivers"})
_DATE_FIELDS = frozenset({"said_on"})
_BOOL_FIELDS = frozenset({"mixed_signals"})
STATEMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Statement))
ARTICLE_COLUMNS: tuple[str, ...] = ("article_id", "title", "source", "published")
"""The article columns `Store.statements` adds before the Statement fields."""
_FRAME_DTYPES: dict[str, str] = {
    "content_start": "int64",
    "content_end": "int64",
    "tone": "float64",
    "stance": "float64",
    "mixed_signals": "bool",
}
FILTER_KEYS = frozenset({"sides", "kinds", "since", "until", "article_ids", "languages"})


class StoreError(Exception):
    """The store file cannot be opened or written; the message names the file and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass
class WriteFailureStreak:
    """Write failures in a row during a batch; `stop_reason` is set once the batch must stop."""

    count: int = 0
    stop_reason: str | None = None

    def failed(self, reason: str) -> None:
        self.count += 1
        if self.count >= WRITE_FAILURES_BEFORE_STOP:
            self.stop_reason = f"not tried: the store failed {self.count} writes in a row (last: {reason})"

    def succeeded(self) -> None:
        self.count = 0


@dataclass(frozen=True)
class AddReport:
    added: list[str] = field(default_factory=list)
    """Ids of the articles analysed and stored."""
    duplicates: list[str] = field(default_factory=list)
    """Ids of articles already in the store (same text), not analysed again."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(origin, reason) of articles whose analysis raised or whose write failed ("not stored: ..."),
    and of those not tried after WRITE_FAILURES_BEFORE_STOP failed writes in a row ("not tried:
    ..."); the others were still added."""
    limited: list[tuple[str, str]] = field(default_factory=list)
    """(origin, what was left out) of stored articles a per-article limit cut short
    (`ArticleAnalysis.limits`: characters parsed, statements kept); stored all the same."""


def default_path() -> Path:
    """`$TENSION_DB` if set, else `corpus.sqlite` in the user's data folder (XDG base directories)."""
    configured = os.environ.get(DB_ENVIRONMENT_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / APP_FOLDER / DB_FILE_NAME
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_FOLDER / DB_FILE_NAME


def _versioned_files() -> list[Path]:
    # Read through the modules at call time (not imported names) so a changed constant,
    # as in tests, is seen.
    files = [actors.ACTORS_FILE, actors.SIDES_FILE, tone.DIPLOMATIC_LEXICON, tone.STANCE_LEXICON]
    model_config = tone_model.MODEL_DIR / "config.json"
    if model_config.is_file():
        files.append(model_config)
    return files


def analysis_version() -> str:
    """The package version plus a hash of the data the analysis reads ("0.1.0+1a2b3c4d5e6f").

    A changed actor registry, lexicon or tone model gives a new version, so the store can
    tell which articles were analysed with older data (`Store.stale_articles`).
    """
    digest = hashlib.sha256()
    for path in _versioned_files():
        # The name separates the files, so moving bytes from one file to the next still counts.
        digest.update(path.name.encode("utf-8") + b"\x00")
        digest.update(path.read_bytes())
        digest.update(b"\x00")
    return f"{__version__}+{digest.hexdigest()[:DATA_HASH_LENGTH]}"


def _check_scorer(scorer: str | None) -> str:
    """The scorer the articles will be analysed with; stored so a rescore can use it again."""
    chosen = scorer or tone.default_scorer()
    available = tone.available_scorers()
    if chosen not in available:
        raise ValueError(f"tone scorer {chosen!r} is not available: {', '.join(available)}")
    return chosen


# ------------------------------------------------------------------ encoding


def _encode(name: str, value: Any) -> Any:  # noqa: ANN401 - a Statement field of any type
    if name in _JSON_FIELDS:
        return json.dumps(value)
    if name in _DATE_FIELDS:
        return value.isoformat() if value is not None else None
    if name in _BOOL_FIELDS:
        return int(bool(value))
    return value


def _decode(name: str, value: Any) -> Any:  # noqa: ANN401 - a column value of any type
    if name in ("targets", "target_sides"):
        return tuple(json.loads(value))
    if name == "target_tones":
        return tuple(float(v) for v in json.loads(value))
    if name == "drivers":
        return tuple((int(s), int(e), float(v)) for s, e, v in json.loads(value))
    if name in _DATE_FIELDS:
        return date.fromisoformat(value) if value else None
    if name in _BOOL_FIELDS:
        return bool(value)
    return value


_STATEMENT_INSERT = (
    f"INSERT INTO statements (article_id, position, {', '.join(STATEMENT_FIELDS)}) "
    f"VALUES (?, ?, {', '.join('?' for _ in STATEMENT_FIELDS)})"
)


def _insert_statement(connection: sqlite3.Connection, article_id: str, position: int, statement: Statement) -> int:
    """Write one statement and its targets (inside the caller's transaction); its rowid."""
    values = [_encode(name, getattr(statement, name)) for name in STATEMENT_FIELDS]
    cursor = connection.execute(_STATEMENT_INSERT, [article_id, position, *values])
    rowid = cursor.lastrowid
    connection.executemany(
        "INSERT INTO targets (statement_rowid, position, name, side, tone) VALUES (?, ?, ?, ?, ?)",
        [
            (rowid, index, name, side, tone_value)
            for index, (name, side, tone_value) in enumerate(
                zip(statement.targets, statement.target_sides, statement.target_tones, strict=True)
            )
        ],
    )
    return int(rowid or 0)


_ARTICLE_TABLE_COLUMNS = (
    "id, title, published, source, url, author, origin, text, speaker, language, headings, "
    "analysis_version, scorer, added_at"
)
_ARTICLE_INSERT = (
    f"INSERT INTO articles ({_ARTICLE_TABLE_COLUMNS}) "
    f"VALUES ({', '.join('?' for _ in _ARTICLE_TABLE_COLUMNS.split(','))})"
)


def _article_row(article: Article, version: str, scorer: str) -> tuple[Any, ...]:
    """The values of _ARTICLE_TABLE_COLUMNS, in that order."""
    return (
        article.id,
        article.title,
        article.published.isoformat() if article.published else None,
        article.source,
        article.url,
        article.author,
        article.origin,
        article.text,
        article.speaker,
        article.language,
        json.dumps([list(span) for span in article.headings]),
        version,
        scorer,
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _iso(value: date | str | None, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"filter {what!r}: {value!r} is not a date (use YYYY-MM-DD)") from None


# --------------------------------------------------------------------- store


class Store:
    """An open corpus store. Use as a context manager, or call `close()`.

    `Store()` opens `default_path()`, creating the file and its folder when missing. A file
    that is not a SQLite database raises StoreError and is left as it is.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_path()
        # One connection may serve several threads (Streamlit reruns); the lock keeps their
        # transactions from interleaving on it.
        self._lock = threading.RLock()
        self._connection = self._open()

    # ---------------------------------------------------------------- opening

    def _fail(self, reason: str) -> StoreError:
        return StoreError(
            self.path, f"{reason}. Point at another store with --db FILE or the {DB_ENVIRONMENT_VARIABLE} variable."
        )

    def _check_file(self) -> None:
        """Refuse, before SQLite touches it, a path that is not a store we can write."""
        path, folder = self.path, self.path.parent
        if path.is_dir():
            raise self._fail("is a folder, not a store file")
        if path.exists() and not path.is_file():
            # /dev/null, a pipe, a socket: SQLite would read nothing (a "new" store), lose every
            # write, and put its -wal / -shm files in that device's folder.
            raise self._fail("is not a regular file (a device, pipe or socket)")
        if path.exists():
            try:
                with path.open("rb") as handle:
                    head = handle.read(len(SQLITE_HEADER))
            except OSError as error:
                raise self._fail(f"cannot read: {error.strerror or error}") from None
            # An empty file is a new database to SQLite; anything else must carry the header.
            # Checked here so SQLite never writes WAL files or pages into a foreign file.
            if head and head != SQLITE_HEADER:
                raise self._fail("not a SQLite database (the file was left untouched)")
            if not os.access(path, os.W_OK):
                raise self._fail("the file is read-only")
        else:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except FileExistsError:  # mkdir's own words ("File exists") would hide that it is a file
                raise self._fail(f"cannot create the folder {folder}: a file of that name is in the way") from None
            except OSError as error:
                raise self._fail(f"cannot create the folder {folder}: {error.strerror or error}") from None
        # WAL mode keeps two files next to the store (-wal, -shm): the folder must be writable
        # even when the store file already exists.
        if not os.access(folder, os.W_OK | os.X_OK):
            raise self._fail(f"the folder {folder} is not writable")
        if not path.exists():
            # Created here, not by SQLite, so a refusal gets the system's reason ("Permission
            # denied") rather than SQLite's "unable to open database file". os.access above says
            # yes to root even where the system refuses (/proc, /sys, a read-only mount).
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            except FileExistsError:
                pass  # another process created it meanwhile: an empty file is a new store
            except OSError as error:
                raise self._fail(f"cannot create the store file: {error.strerror or error}") from None

    def _open(self) -> sqlite3.Connection:
        self._check_file()
        try:
            # isolation_level=None: transactions are begun and ended explicitly (BEGIN IMMEDIATE).
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise self._fail(f"cannot open: {error}") from None
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Read-only checks first: switching to WAL rewrites the header of a rollback-journal
            # database, and the migrations add tables, so a file that is not ours must be refused
            # before either touches it.
            self._check_contents(connection)
            # WAL lets readers (the dashboard) read while a writer (the CLI) adds.
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("%s: journal mode is %s, not WAL", self.path, mode)
            connection.execute("PRAGMA foreign_keys = ON")
            # NORMAL is durable across application crashes in WAL mode, and much faster than FULL.
            connection.execute("PRAGMA synchronous = NORMAL")
            self._migrate(connection)
        except sqlite3.OperationalError as error:  # locked past the timeout, disk I/O, read-only...
            connection.close()
            raise self._fail(f"cannot open: {error}") from None
        except sqlite3.DatabaseError as error:  # a damaged database behind a valid header
            connection.close()
            raise self._fail(f"not a usable SQLite database ({error})") from None
        except BaseException:
            connection.close()
            raise
        return connection

    def _check_contents(self, connection: sqlite3.Connection) -> None:
        """Refuse (reading only) a damaged database, another program's, or a newer schema's."""
        # quick_check reads every page (about 50 ms per 100 MB): damage deeper in the file than
        # the schema is found here, before a write could land beside it, not by a later query.
        problems = [str(row[0]) for row in connection.execute("PRAGMA quick_check(1)").fetchall()]
        if problems != ["ok"]:
            # SQLite's report is "*** in database main ***\nPage 7: btreeInitPage() returns error code 11".
            found = " ".join(" ".join(problems).replace("*** in database main ***", "").split())
            raise self._fail(f"damaged ({found}); the file was left untouched")
        names = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        ]
        if not names:
            return  # a new (or empty) database: the migrations create the schema
        version = None
        if "meta" in names:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = row[0] if row else None
        if version is None or not str(version).isdigit():
            # Another program's database (a browser's history, a notes app) would otherwise get
            # our tables added to it by the migrations.
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise self._fail(
                f"a SQLite database that is not a corpus store (it holds {shown}); the file was left untouched"
            )
        latest = max(MIGRATIONS)
        if int(version) > latest:
            raise self._fail(f"made by a newer version of this tool (schema {version}, this one knows up to {latest})")

    def _migrate(self, connection: sqlite3.Connection) -> None:
        latest = max(MIGRATIONS)
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            current = int(row[0]) if row else 0
            if current > latest:
                raise self._fail(
                    f"made by a newer version of this tool (schema {current}, this one knows up to {latest})"
                )
            for version in sorted(v for v in MIGRATIONS if v > current):
                for sql in MIGRATIONS[version]:
                    connection.execute(sql)
            if current < latest:
                connection.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(latest),),
                )
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # -------------------------------------------------------------- lifecycle

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self, what: str = "") -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at its start (IMMEDIATE) so it never fails half-way
        on a lock; rolled back on any error, including KeyboardInterrupt. A SQLite or OS error
        in it (disk I/O, disk full, damage met while writing) becomes StoreError("cannot write
        {what}: ...")."""
        target = f" {what}" if what else ""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreError(self.path, f"cannot write{target}: {error}") from None
            try:
                yield connection
                # COMMIT inside the try: when it fails (disk I/O, disk full) the transaction is
                # still open, and left so every later BEGIN on this connection would fail with
                # "cannot start a transaction within a transaction".
                connection.execute("COMMIT")
            except (sqlite3.Error, OSError) as error:
                self._rollback(connection)
                raise StoreError(self.path, f"cannot write{target}: {error}") from None
            except BaseException:
                self._rollback(connection)
                raise

    def _rollback(self, connection: sqlite3.Connection) -> None:
        """Roll back what is open, keeping the error that led here (not one from ROLLBACK)."""
        if not connection.in_transaction:
            return  # SQLite already rolled back (it does on some I/O errors and on disk full)
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error as error:
            log.warning("%s: rollback failed: %s", self.path, error)

    def _query(self, sql: str, parameters: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._connection.execute(sql, tuple(parameters))
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as error:  # damage found after opening, a disk I/O error
                raise StoreError(self.path, f"cannot read: {error}") from None

    def schema_version(self) -> int:
        """The schema version of the open file (see MIGRATIONS)."""
        return int(self._query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0])

    # ----------------------------------------------------------------- adding

    def __contains__(self, article_id: object) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def add(
        self,
        articles: Iterable[Article],
        scorer: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> AddReport:
        """Analyse and store articles not stored yet; `progress(done, total)` after each one.

        scorer: the tone scorer ("model" / "lexicon"; None = `tone.default_scorer()`). An article
        whose analysis raises, or whose write fails, is reported in `failed`; the others are still
        added. After WRITE_FAILURES_BEFORE_STOP failed writes in a row the rest are reported as
        not tried. A store that cannot even be read raises StoreError.
        """
        from .pipeline import analyze_article  # spaCy loads only when something is analysed

        chosen = _check_scorer(scorer)
        items = list(articles)
        version = analysis_version()
        report = AddReport()
        streak = WriteFailureStreak()
        for done, article in enumerate(items, start=1):
            if streak.stop_reason is not None:
                report.failed.append((article.origin, streak.stop_reason))
            elif article.id in self:
                report.duplicates.append(article.id)
            else:
                try:
                    analysis = analyze_article(article, chosen)
                except Exception as error:  # one bad article must not stop a batch
                    log.warning("%s: analysis failed: %s", article.origin, error, exc_info=True)
                    report.failed.append((article.origin, f"{type(error).__name__}: {error}"))
                else:
                    try:
                        stored = self._write(analysis, chosen, version)
                    except (StoreError, sqlite3.Error, OSError) as error:
                        # The write was rolled back whole, so the store holds the articles before
                        # this one and nothing of it. Reported, not raised: raising here lost the
                        # report of the articles already stored and stopped the batch on what may
                        # be one passing disk error.
                        reason = error.reason if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
                        log.info("%s: not stored: %s", article.origin, reason)  # the report says it
                        report.failed.append((article.origin, f"not stored: {reason}"))
                        streak.failed(reason)
                    else:
                        streak.succeeded()
                        # Another process may have added the same text meanwhile: then it is a duplicate.
                        (report.added if stored else report.duplicates).append(article.id)
                        if stored and analysis.limits:
                            report.limited.append((article.origin, "; ".join(analysis.limits)))
            if progress is not None:
                progress(done, len(items))
        return report

    def add_analysis(self, analysis: ArticleAnalysis, scorer: str) -> bool:
        """Store an analysis already made (the write step of `add`); False if the id is stored."""
        return self._write(analysis, scorer, analysis_version())

    def _write(self, analysis: ArticleAnalysis, scorer: str, version: str) -> bool:
        """One article in one transaction; StoreError (nothing of it stored) when that fails."""
        article = analysis.article
        with self._transaction(f"article {article.id[:12]} ({article.origin})") as connection:
            # Checked again inside the transaction: the check in `add` ran before the analysis.
            if connection.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                return False
            connection.execute(_ARTICLE_INSERT, _article_row(article, version, scorer))
            for position, statement in enumerate(analysis.statements):
                _insert_statement(connection, article.id, position, statement)
        return True

    # ---------------------------------------------------------------- reading

    def remove(self, article_id: str) -> bool:
        """Delete an article with its statements and targets; False if it was not stored."""
        with self._transaction(f"(removing article {article_id[:12]})") as connection:
            return connection.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    def articles(self) -> list[dict[str, Any]]:
        """The stored articles in the order they were added, with their statement counts."""
        rows = self._query(
            "SELECT a.id, a.title, a.published, a.source, a.origin, a.language, "
            "(SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements, a.analysis_version, a.scorer "
            "FROM articles a ORDER BY a.added_at, a.rowid"
        )
        return [dict(row) for row in rows]

    def article(self, article_id: str) -> Article | None:
        """The stored Article, exactly as it was added; None if not stored."""
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        return Article(
            id=row["id"],
            title=row["title"],
            published=date.fromisoformat(row["published"]) if row["published"] else None,
            source=row["source"],
            url=row["url"],
            author=row["author"],
            origin=row["origin"],
            text=row["text"],
            speaker=row["speaker"],
            language=row["language"],
            headings=tuple((int(start), int(end)) for start, end in json.loads(row["headings"])),
        )

    def statements(self, filters: dict[str, Any] | None = None) -> pandas.DataFrame:
        """Stored statements, one row each: article_id, title, source, published, then the
        Statement fields (tuples as tuples, dates as `datetime.date`).

        filters: `sides` / `kinds` / `article_ids` (lists: speaker_side, kind, article id in
        the list; None in `sides` matches no side), `since` / `until` (date or "YYYY-MM-DD",
        inclusive, on `said_on`, else the article's publication date), `languages` (list: the
        article's detected language code in the list).
        """
        import pandas

        filters = dict(filters or {})
        unknown = set(filters) - FILTER_KEYS
        if unknown:
            raise ValueError(f"unknown statement filter(s) {sorted(unknown)}; known: {sorted(FILTER_KEYS)}")
        clauses: list[str] = []
        parameters: list[Any] = []
        for key, column in (
            ("sides", "s.speaker_side"),
            ("kinds", "s.kind"),
            ("article_ids", "s.article_id"),
            ("languages", "a.language"),
        ):
            if filters.get(key) is None:
                continue
            values = list(filters[key])
            named = [value for value in values if value is not None]
            options = [f"{column} IN ({', '.join('?' for _ in named)})"] if named else []
            if len(named) < len(values):
                options.append(f"{column} IS NULL")
            clauses.append(f"({' OR '.join(options)})" if options else "0")
            parameters.extend(named)
        for key, operator in (("since", ">="), ("until", "<=")):
            bound = _iso(filters.get(key), key)
            if bound is not None:
                clauses.append(f"COALESCE(s.said_on, a.published) {operator} ?")
                parameters.append(bound)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        fields = ", ".join(f"s.{name}" for name in STATEMENT_FIELDS)
        rows = self._query(
            f"SELECT s.article_id, a.title, a.source, a.published, {fields} "
            f"FROM statements s JOIN articles a ON a.id = s.article_id {where} "
            "ORDER BY a.added_at, a.rowid, s.position",
            parameters,
        )
        columns = [*ARTICLE_COLUMNS, *STATEMENT_FIELDS]
        records = [
            [
                row["article_id"],
                row["title"],
                row["source"],
                date.fromisoformat(row["published"]) if row["published"] else None,
                *(_decode(name, row[name]) for name in STATEMENT_FIELDS),
            ]
            for row in rows
        ]
        # Numeric columns get numeric dtypes for aggregation; every other column stays `object`
        # so missing values are None (not NaN) and optional offsets stay ints.
        data = {
            name: pandas.Series([record[index] for record in records], dtype=_FRAME_DTYPES.get(name, object))
            for index, name in enumerate(columns)
        }
        return pandas.DataFrame(data, columns=columns)

    # -------------------------------------------------------------- rescoring

    def stale_articles(self) -> list[str]:
        """Ids of articles analysed with another registry, lexicon, model or package version."""
        rows = self._query(
            "SELECT id FROM articles WHERE analysis_version != ? ORDER BY added_at, rowid", (analysis_version(),)
        )
        return [row["id"] for row in rows]

    def rescore(
        self,
        progress: Callable[[int, int], None] | None = None,
        scorer: str | None = None,
        failed: Callable[[str, str], None] | None = None,
    ) -> int:
        """Analyse the stale articles again from their stored text; how many were redone.

        Each article's statements are replaced in one transaction. scorer: None = the scorer
        the article was stored with, when still available, else the default one; a scorer named
        here also redoes the articles stored with another scorer (switching scorers). An article
        whose analysis raises or whose write fails is left as it was (its old statements, still
        stale), logged and passed to `failed(article_id, reason)`; after
        WRITE_FAILURES_BEFORE_STOP failed writes in a row the rest are not tried (reported so too).
        """
        from .pipeline import analyze_article

        version = analysis_version()
        forced = _check_scorer(scorer) if scorer else None
        stale = self.stale_articles()
        if forced is not None:  # switching scorers: the articles scored by another one are stale too
            rows = self._query("SELECT id FROM articles WHERE scorer != ? ORDER BY added_at, rowid", (forced,))
            known = set(stale)
            stale += [row["id"] for row in rows if row["id"] not in known]
        available = tone.available_scorers()
        redone = 0
        streak = WriteFailureStreak()

        def left(article_id: str, reason: str) -> None:
            if failed is not None:
                failed(article_id, reason)

        for done, article_id in enumerate(stale, start=1):
            article = None if streak.stop_reason else self.article(article_id)
            if streak.stop_reason is not None:
                left(article_id, streak.stop_reason)
            elif article is not None:  # else removed meanwhile by another process
                stored = self._query("SELECT scorer FROM articles WHERE id = ?", (article_id,))
                chosen = forced or (stored[0]["scorer"] if stored else "")
                chosen = chosen if chosen in available else tone.default_scorer()
                try:
                    analysis = analyze_article(article, chosen)
                except Exception as error:  # one bad article must not stop the rest
                    log.warning("%s: analysis failed, left as it was: %s", article.origin, error, exc_info=True)
                    left(article_id, f"{type(error).__name__}: {error}")
                else:
                    try:
                        redone += self._replace(analysis, chosen, version)
                    except StoreError as error:  # rolled back: the old statements are intact
                        # A warning only when no one asked for the failures (the dashboard's button).
                        level = logging.INFO if failed else logging.WARNING
                        log.log(level, "%s: not rescored, left as it was: %s", article.origin, error.reason)
                        left(article_id, f"not rescored: {error.reason}")
                        streak.failed(error.reason)
                    else:
                        streak.succeeded()
            if progress is not None:
                progress(done, len(stale))
        return redone

    def _replace(self, analysis: ArticleAnalysis, scorer: str, version: str) -> bool:
        article = analysis.article
        article_id = article.id
        with self._transaction(f"article {article_id[:12]} ({article.origin})") as connection:
            updated = connection.execute(
                "UPDATE articles SET analysis_version = ?, scorer = ? WHERE id = ?", (version, scorer, article_id)
            ).rowcount
            if not updated:  # removed meanwhile by another process
                return False
            connection.execute("DELETE FROM statements WHERE article_id = ?", (article_id,))
            for position, statement in enumerate(analysis.statements):
                _insert_statement(connection, article_id, position, statement)
        return True
