"""analysis.store: the SQLite corpus store. Every test uses a store in tmp_path, never the user's."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from analysis import SAMPLE_ARTICLE, store, tone
from analysis.ingest import load, load_text
from analysis.models import Article, Statement
from analysis.pipeline import analyze_article
from analysis.store import STATEMENT_FIELDS, AddReport, Store, StoreError, analysis_version, default_path

PROJECT = Path(__file__).resolve().parents[1]
SCORER = "lexicon"  # fast, and always installed

RU_TEXT = "Peskov said on Monday that Russia is ready for talks with Washington."
US_TEXT = (
    "State Department spokesman Ned Price said on Tuesday that the United States will impose new sanctions on Moscow."
)
SMALL_TEXTS = [
    "Lavrov said that NATO is a threat.",
    "Blinken said that Washington wants a stable relationship.",
    "Zakharova said that Moscow would respond to any new sanctions.",
    "Psaki said that the president is open to a meeting with Putin.",
]


@pytest.fixture(scope="module")
def sample() -> Article:
    return load(SAMPLE_ARTICLE)[0]


@pytest.fixture(scope="module")
def sample_statements(sample: Article) -> list[Statement]:
    return analyze_article(sample, SCORER).statements


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "corpus.sqlite"


@pytest.fixture
def two_articles() -> tuple[Article, Article]:
    return load_text(RU_TEXT, published="2021-03-19"), load_text(US_TEXT, published="2021-04-20")


def _rows(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _orphans(path: Path) -> tuple[int, int, int]:
    """Articles without statements, statements without article, targets without statement."""
    return (
        _rows(
            path,
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id)",
        )[0][0],
        _rows(path, "SELECT COUNT(*) FROM statements s WHERE s.article_id NOT IN (SELECT id FROM articles)")[0][0],
        _rows(path, "SELECT COUNT(*) FROM targets t WHERE t.statement_rowid NOT IN (SELECT rowid FROM statements)")[0][
            0
        ],
    )


def _run(code: str, *arguments: str) -> subprocess.Popen:
    """A Python subprocess running `code` with the project importable."""
    environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *arguments],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ------------------------------------------------------------------ paths and versions


def test_default_path_follows_tension_db_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TENSION_DB", str(tmp_path / "mine.sqlite"))
    assert default_path() == tmp_path / "mine.sqlite"
    monkeypatch.delenv("TENSION_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "diplomatic-tension" / "corpus.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "diplomatic-tension" / "corpus.sqlite"


def test_store_without_path_opens_tension_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "folder" / "env.sqlite"
    monkeypatch.setenv("TENSION_DB", str(target))
    with Store() as opened:
        assert opened.path == target
        assert opened.schema_version() == max(store.MIGRATIONS)
    assert target.is_file()
    assert _rows(target, "PRAGMA journal_mode")[0][0] == "wal"


def test_analysis_version_names_package_and_data_hash() -> None:
    version = analysis_version()
    package, _, digest = version.partition("+")
    assert package == store.__version__
    assert len(digest) == store.DATA_HASH_LENGTH
    int(digest, 16)
    assert analysis_version() == version  # same data, same version


# -------------------------------------------------------------------------- round trip


def test_round_trip_of_the_sample(db: Path, sample: Article, sample_statements: list[Statement]) -> None:
    with Store(db) as opened:
        report = opened.add([sample], scorer=SCORER)
        assert report == AddReport(added=[sample.id])
        assert opened.article(sample.id) == sample
        frame = opened.statements()
        listed = opened.articles()
    assert len(sample_statements) > 5
    assert len(frame) == len(sample_statements)
    assert list(frame.columns) == ["article_id", "title", "source", "published", *STATEMENT_FIELDS]
    rebuilt = [Statement(**{name: row[name] for name in STATEMENT_FIELDS}) for row in frame.to_dict("records")]
    assert rebuilt == sample_statements
    for name in ("targets", "target_sides", "target_tones", "drivers"):
        assert all(isinstance(value, tuple) for value in frame[name])
    assert all(isinstance(driver, tuple) for value in frame["drivers"] for driver in value)
    assert set(frame["published"]) == {sample.published}
    assert all(isinstance(value, date) for value in frame["said_on"] if value is not None)
    assert frame["tone"].dtype == "float64"
    assert frame["content_start"].dtype == "int64"
    assert frame["mixed_signals"].dtype == bool
    assert None in set(frame["speaker_side"])  # missing values stay None, not NaN
    assert listed == [
        {
            "id": sample.id,
            "title": sample.title,
            "published": sample.published.isoformat(),
            "source": sample.source,
            "origin": sample.origin,
            "language": sample.language,
            "statements": len(sample_statements),
            "analysis_version": analysis_version(),
            "scorer": SCORER,
        }
    ]
    # One targets row per target, in order, for SQL-side aggregation.
    expected_targets = sum(len(statement.targets) for statement in sample_statements)
    assert _rows(db, "SELECT COUNT(*) FROM targets")[0][0] == expected_targets


def test_statement_columns_cover_every_field(db: Path) -> None:
    with Store(db):
        pass
    columns = {row[1] for row in _rows(db, "PRAGMA table_info(statements)")}
    assert set(STATEMENT_FIELDS) <= columns
    assert {"rowid", "article_id", "position"} <= columns


def test_empty_store_gives_empty_frame_and_lists(db: Path) -> None:
    with Store(db) as opened:
        frame = opened.statements()
        assert opened.articles() == []
        assert opened.article("0" * 64) is None
        assert opened.remove("0" * 64) is False
        assert opened.stale_articles() == []
    assert frame.empty
    assert list(frame.columns) == ["article_id", "title", "source", "published", *STATEMENT_FIELDS]


def test_duplicates_are_reported_not_added_again(db: Path, two_articles: tuple[Article, Article]) -> None:
    ru, us = two_articles
    progress: list[tuple[int, int]] = []
    with Store(db) as opened:
        first = opened.add([ru], scorer=SCORER)
        # The same text again, pasted with other whitespace: same id, so a duplicate.
        again = load_text(RU_TEXT.replace(" ", "  "), published="2021-03-19")
        second = opened.add([again, us, us], scorer=SCORER, progress=lambda done, total: progress.append((done, total)))
        assert opened.add_analysis(analyze_article(ru, SCORER), SCORER) is False
        assert len(opened.articles()) == 2
        assert len(opened.statements()) == 2
    assert first.added == [ru.id]
    assert second == AddReport(added=[us.id], duplicates=[ru.id, us.id])
    assert progress == [(1, 3), (2, 3), (3, 3)]


def test_failed_analysis_is_reported_and_others_continue(
    db: Path, two_articles: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    ru, us = two_articles
    real = analyze_article

    def fragile(article: Article, scorer: str | None = None):
        if article.id == ru.id:
            raise RuntimeError("parser exploded")
        return real(article, scorer)

    monkeypatch.setattr("analysis.pipeline.analyze_article", fragile)
    with Store(db) as opened:
        report = opened.add([ru, us], scorer=SCORER)
        assert [row["id"] for row in opened.articles()] == [us.id]
    assert report.added == [us.id]
    assert report.failed == [(ru.origin, "RuntimeError: parser exploded")]


def test_unavailable_scorer_is_refused_before_anything_is_analysed(db: Path, two_articles) -> None:
    with Store(db) as opened, pytest.raises(ValueError, match="not available"):
        opened.add(two_articles, scorer="no-such-scorer")


def test_remove_cascades_to_statements_and_targets(db: Path, two_articles: tuple[Article, Article]) -> None:
    ru, us = two_articles
    with Store(db) as opened:
        opened.add([ru, us], scorer=SCORER)
        before = _rows(db, "SELECT COUNT(*) FROM targets")[0][0]
        assert before == 4
        assert opened.remove(ru.id) is True
        assert opened.remove(ru.id) is False
        assert opened.article(ru.id) is None
        assert set(opened.statements()["article_id"]) == {us.id}
    assert _rows(db, "SELECT COUNT(*) FROM statements WHERE article_id = '" + ru.id + "'")[0][0] == 0
    assert _rows(db, "SELECT COUNT(*) FROM targets")[0][0] == 2
    assert _orphans(db) == (0, 0, 0)


# ----------------------------------------------------------------------------- filters

FILTER_CASES = [
    (None, 3),
    ({}, 3),
    ({"sides": ["RUS"]}, 2),
    ({"sides": ["USA"]}, 1),
    ({"sides": ["USA", "RUS"]}, 3),
    ({"sides": []}, 0),
    ({"sides": [None]}, 0),
    ({"kinds": ["reported"]}, 3),
    ({"kinds": ["direct", "speech"]}, 0),
    ({"since": date(2021, 4, 1)}, 1),
    ({"until": "2021-03-31"}, 2),
    ({"since": "2021-03-15", "until": "2021-03-15"}, 1),  # "on Monday" before Friday 19 March
    ({"since": "2021-03-19", "until": "2021-03-19"}, 1),  # no said_on: the publication date counts
    ({"article_ids": ["RU"]}, 1),
    ({"article_ids": ["RU", "US"]}, 2),
    ({"sides": ["RUS"], "article_ids": ["US"]}, 0),
    ({"sides": ["RUS"], "until": "2021-03-16"}, 1),
]


@pytest.fixture
def filtered_store(db: Path, two_articles: tuple[Article, Article]) -> tuple[Store, dict[str, str]]:
    ru, us = two_articles
    opened = Store(db)
    opened.add([ru, us], scorer=SCORER)
    # A third article whose statement has no said_on: filtered on its publication date.
    undated = load_text("Lavrov said that NATO is a threat.", published="2021-03-19")
    analysis = analyze_article(undated, SCORER)
    statement = dataclasses.replace(analysis.statements[0], said_on=None)
    assert opened.add_analysis(dataclasses.replace(analysis, statements=[statement]), SCORER) is True
    yield opened, {"RU": ru.id, "US": us.id, "UNDATED": undated.id}
    opened.close()


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_statement_filters(filtered_store, filters: dict | None, expected: int) -> None:
    opened, ids = filtered_store
    if filters and "article_ids" in filters:
        filters = {**filters, "article_ids": [ids[name] for name in filters["article_ids"]]}
    assert len(opened.statements(filters)) == expected


def test_unknown_filter_and_bad_date_are_refused(filtered_store) -> None:
    opened, _ids = filtered_store
    with pytest.raises(ValueError, match="unknown statement filter"):
        opened.statements({"side": ["RUS"]})
    with pytest.raises(ValueError, match="not a date"):
        opened.statements({"since": "last week"})


# ---------------------------------------------------------------------- opening errors


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    corrupt = tmp_path / "corpus.sqlite"
    content = os.urandom(8192)
    corrupt.write_bytes(content)
    with pytest.raises(StoreError) as raised:
        Store(corrupt)
    message = str(raised.value)
    assert str(corrupt) in message
    assert "--db" in message
    assert "TENSION_DB" in message
    assert corrupt.read_bytes() == content
    assert sorted(path.name for path in tmp_path.iterdir()) == ["corpus.sqlite"]  # no -wal / -shm beside it


def test_damaged_database_behind_a_valid_header_is_refused(tmp_path: Path) -> None:
    damaged = tmp_path / "corpus.sqlite"
    content = store.SQLITE_HEADER + os.urandom(4096)
    damaged.write_bytes(content)
    with pytest.raises(StoreError, match=r"corpus\.sqlite"):
        Store(damaged)
    assert damaged.read_bytes() == content


def test_folder_given_as_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes")
        with pytest.raises(StoreError, match="not writable"):
            Store(folder / "corpus.sqlite")
    finally:
        folder.chmod(stat.S_IRWXU)


def test_unwritable_folder_is_refused_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same check as above, reached even as root: the folder reports no write access.
    folder = tmp_path / "shared"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(store.os, "access", lambda path, mode: Path(path) != folder and real_access(path, mode))
    with pytest.raises(StoreError) as raised:
        Store(folder / "corpus.sqlite")
    assert f"the folder {folder} is not writable" in str(raised.value)
    assert list(folder.iterdir()) == []


def test_empty_file_becomes_a_new_store(db: Path) -> None:
    db.touch()
    with Store(db) as opened:
        assert opened.articles() == []
        assert opened.schema_version() == 1


def test_store_from_a_newer_version_is_refused(db: Path) -> None:
    with Store(db):
        pass
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(db)


def test_pending_migrations_are_applied_on_open(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(db) as opened:
        assert opened.schema_version() == 1
    monkeypatch.setitem(store.MIGRATIONS, 2, ["ALTER TABLE articles ADD COLUMN note TEXT"])
    with Store(db) as opened:
        assert opened.schema_version() == 2
    assert "note" in {row[1] for row in _rows(db, "PRAGMA table_info(articles)")}


# ---------------------------------------------------------------------------- rescoring


def test_changed_lexicon_makes_articles_stale_and_rescore_redoes_them(
    db: Path, two_articles: tuple[Article, Article], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ru, us = two_articles
    lexicon = tmp_path / "diplomatic.csv"
    lexicon.write_bytes(tone.DIPLOMATIC_LEXICON.read_bytes())
    monkeypatch.setattr(tone, "DIPLOMATIC_LEXICON", lexicon)
    original = analysis_version()
    with Store(db) as opened:
        opened.add([ru, us], scorer=SCORER)
        old_rows = _rows(db, "SELECT rowid FROM statements")
        assert opened.stale_articles() == []
        assert opened.rescore() == 0

        lexicon.write_bytes(lexicon.read_bytes() + b"\n")
        assert analysis_version() != original
        assert opened.stale_articles() == [ru.id, us.id]
        progress: list[tuple[int, int]] = []
        assert opened.rescore(progress=lambda done, total: progress.append((done, total))) == 2
        assert progress == [(1, 2), (2, 2)]
        assert opened.stale_articles() == []
        assert {row["analysis_version"] for row in opened.articles()} == {analysis_version()}
        assert opened.article(ru.id) == ru  # the stored text and metadata are kept
        assert len(opened.statements()) == 2
    assert set(_rows(db, "SELECT rowid FROM statements")).isdisjoint(old_rows)  # new rows, old ones gone
    assert _orphans(db) == (0, 0, 0)


# ---------------------------------------------------------------- crashes and concurrency

KILLED_WRITER = """
    import os, signal, sys
    from analysis import SAMPLE_ARTICLE, store
    from analysis.ingest import load, load_text

    real = store._insert_statement
    calls = 0

    def dying(*arguments):
        global calls
        calls += 1
        if calls == 4:  # the small article's one statement, then the third of the sample's
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*arguments)

    store._insert_statement = dying
    small = load_text(sys.argv[2], published="2021-03-19")
    with store.Store(sys.argv[1]) as opened:
        opened.add([small, load(SAMPLE_ARTICLE)[0]], scorer="lexicon")
    print("not killed")
"""


def test_writer_killed_mid_article_leaves_no_half_article(
    db: Path, sample: Article, sample_statements: list[Statement]
) -> None:
    process = _run(KILLED_WRITER, str(db), RU_TEXT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == -9, stderr
    assert "not killed" not in stdout
    small = load_text(RU_TEXT, published="2021-03-19")
    with Store(db) as opened:
        assert [row["id"] for row in opened.articles()] == [small.id]  # committed before the kill
        assert opened.article(sample.id) is None
        assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
        assert _rows(db, "PRAGMA foreign_key_check") == []
        assert _orphans(db) == (0, 0, 0)
        report = opened.add([small, sample], scorer=SCORER)
        assert report == AddReport(added=[sample.id], duplicates=[small.id])
        assert len(opened.statements({"article_ids": [sample.id]})) == len(sample_statements)


CONCURRENT_WRITER = """
    import json, sys, time
    from pathlib import Path
    from analysis import nlp, store
    from analysis.ingest import load_text

    db, ready, texts = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    nlp.english()  # load spaCy first, so both processes reach the store together
    ready.touch()
    deadline = time.monotonic() + 60
    while len(list(ready.parent.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    with store.Store(db) as opened:  # both may create the schema at once, too
        report = opened.add([load_text(text) for text in texts], scorer="lexicon")
    print(json.dumps({"added": len(report.added), "duplicates": len(report.duplicates), "failed": report.failed}))
"""


def test_two_processes_adding_at_once_both_succeed(db: Path, tmp_path: Path) -> None:
    halves = [SMALL_TEXTS[:2], SMALL_TEXTS[2:]]
    processes = [
        _run(CONCURRENT_WRITER, str(db), str(tmp_path / f"ready-{index}"), json.dumps(texts))
        for index, texts in enumerate(halves)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert json.loads(stdout.strip().splitlines()[-1]) == {"added": 2, "duplicates": 0, "failed": []}
    with Store(db) as opened:
        assert {row["id"] for row in opened.articles()} == {load_text(text).id for text in SMALL_TEXTS}
        assert all(row["statements"] >= 1 for row in opened.articles())
    assert _orphans(db) == (0, 0, 0)
