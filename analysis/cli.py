"""Command line: the same pipeline as the dashboard (`python -m analysis --help`)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__, ingest
from .models import Article, ArticleAnalysis, IngestReport

if TYPE_CHECKING:
    import pandas

    from .store import Store

DB_ENVIRONMENT_VARIABLE = "TENSION_DB"


def article_summary(article: Article) -> dict[str, object]:
    """An article's metadata and text length, as `ingest` prints it (the text itself stays out)."""
    return {
        "id": article.id,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "origin": article.origin,
        "speaker": article.speaker,
        "language": article.language,
        "text_length": len(article.text),
        "headings": [list(span) for span in article.headings],
    }


def expand_inputs(items: Sequence[str]) -> Iterator[str]:
    """URLs and files as given; folders replaced by the supported files under them, sorted."""
    for item in items:
        path = Path(item)
        if not ingest.is_url(item) and path.is_dir():
            found = sorted(
                str(child)
                for child in path.rglob("*")
                if child.is_file()
                and child.suffix.lower() in ingest.SUPPORTED_EXTENSIONS
                and not child.name.startswith(".")
            )
            if not found:
                yield item  # reported as a failure: a folder with nothing to read
            yield from found
        else:
            yield item


def read_input(item: str, max_bytes: int) -> IngestReport:
    if ingest.is_url(item):
        return ingest.load_url_report(item, max_bytes=max_bytes)
    return ingest.load_report(item, max_bytes=max_bytes)


@dataclass
class _Failures:
    count: int = 0


def read_articles(inputs: Sequence[str], max_bytes: int, err: TextIO, failures: _Failures) -> Iterator[Article]:
    """Every article of the inputs, in order; each unreadable file or record is a line on `err`."""
    for item in expand_inputs(inputs):
        try:
            report = read_input(item, max_bytes)
        except ingest.IngestError as error:
            print(f"error: {error}", file=err)
            failures.count += 1
            continue
        yield from report.articles
        for problem in report.problems:
            print(f"error: {problem.origin}: {problem.record}: {problem.reason}", file=err)
            failures.count += 1


def command_ingest(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failures = _Failures()
    for article in read_articles(arguments.inputs, int(arguments.max_mb * 1024 * 1024), err, failures):
        print(json.dumps(article_summary(article)), file=out)
    return 1 if failures.count else 0


def command_extract(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dataclasses import replace

    from . import export, nlp
    from .pipeline import analyze_article

    nlp.announce(err)
    scorer = announce_scorer(arguments.scorer, err)
    failures = _Failures()
    rows: list[dict[str, object]] = []
    for article in read_articles(arguments.inputs, ingest.DEFAULT_MAX_BYTES, err, failures):
        if arguments.speaker:
            article = replace(article, speaker=arguments.speaker)
        article_rows = export.statement_rows(analyze_article(article, scorer))
        if arguments.format == "jsonl":
            for row in article_rows:
                print(export.json_line(row), file=out)
        else:
            rows.extend(article_rows)
    if arguments.format == "csv":
        out.write(export.write_csv(rows))
    return 1 if failures.count else 0


def open_store(arguments: argparse.Namespace, err: TextIO):  # noqa: ANN201 - analysis.store.Store, imported late
    """The store named by --db (default $TENSION_DB, else the user's data folder), said on stderr."""
    from . import store

    path = Path(arguments.db) if arguments.db else store.default_path()
    opened = store.Store(path)
    print(f"store: {opened.path}", file=err)
    return opened


@dataclass
class _AddCounts:
    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    limited: list[tuple[str, str]] = field(default_factory=list)
    """(origin, note) of stored articles a per-article limit cut short (AddReport.limited)."""

    def as_dict(self) -> dict[str, int]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "failed": len(self.failed),
            "limited": len(self.limited),
        }

    def warn(self, err: TextIO) -> None:
        """A line for each stored article a per-article limit cut short: stored, so not an error."""
        for origin, note in self.limited:
            print(f"warning: {origin}: {note}", file=err)


# Without a terminal (a log, CI) a progress line every tenth of the batch, not a bar.
PROGRESS_LINES = 10


def _progress_line(err: TextIO, label: str = "add") -> Callable[[int, int], None]:
    """A progress bar (tqdm) on a terminal, else a line every tenth of the way."""
    bars: list[Any] = []

    def progress(done: int, total: int) -> None:
        if err.isatty():
            from tqdm import tqdm

            if not bars:
                # Some terminals report no width (0 columns): tqdm would then draw nothing.
                width = shutil.get_terminal_size((80, 20)).columns or 80
                bars.append(tqdm(total=total, desc=label, unit="article", file=err, ncols=width))
            bars[0].update(done - bars[0].n)
            if done >= total:
                bars[0].close()
        elif done == total or done % max(1, total // PROGRESS_LINES) == 0:
            print(f"{label}: {done}/{total} articles analysed", file=err, flush=True)

    return progress


def add_parallel(
    corpus: Store,
    articles: Sequence[Article],
    scorer: str,
    jobs: int,
    err: TextIO,
    progress: Callable[[int, int], None],
) -> _AddCounts:
    """Analyse `articles` in `jobs` worker processes and store each analysis from this process.

    Articles already stored (or repeated in the batch) are counted as duplicates and never sent to
    a worker. Analyses are written in input order; at most 2 x jobs articles are in flight. When the
    worker processes cannot be started or die, the rest is analysed here, in one process. A failed
    write is counted as that article's failure, as `Store.add` does, and after
    `store.WRITE_FAILURES_BEFORE_STOP` of them in a row the rest are reported as not tried.
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .pipeline import analyze_article
    from .store import StoreError, WriteFailureStreak

    counts = _AddCounts()
    streak = WriteFailureStreak()
    total = len(articles)
    pending: list[Article] = []
    seen: set[str] = set()
    for article in articles:
        if article.id in seen or article.id in corpus:
            counts.duplicates += 1
        else:
            seen.add(article.id)
            pending.append(article)
    done = counts.duplicates
    if total:
        progress(done, total)

    def store(analysis: ArticleAnalysis) -> None:
        try:
            stored = corpus.add_analysis(analysis, scorer)
        except StoreError as error:
            # Rolled back whole: this article is not stored, the ones before it are. Counted, not
            # raised, so the summary still says what was stored (see Store.add).
            counts.failed.append((analysis.article.origin, f"not stored: {error.reason}"))
            streak.failed(error.reason)
            return
        streak.succeeded()
        # Another process may have stored the same text meanwhile: then it is a duplicate.
        if stored:
            counts.added += 1
            if analysis.limits:
                counts.limited.append((analysis.article.origin, "; ".join(analysis.limits)))
        else:
            counts.duplicates += 1

    def analyse_here(article: Article) -> None:
        if streak.stop_reason is not None:
            counts.failed.append((article.origin, streak.stop_reason))
            return
        try:
            analysis = analyze_article(article, scorer)
        except Exception as error:  # one bad article must not stop a batch
            counts.failed.append((article.origin, f"{type(error).__name__}: {error}"))
        else:
            store(analysis)

    position = 0  # pending[:position] are finished (stored or failed)
    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            window: list[tuple[Article, Future[Any]]] = []
            submitted = 0
            while position < len(pending):
                while submitted < len(pending) and len(window) < 2 * jobs:
                    article = pending[submitted]
                    window.append((article, pool.submit(analyze_article, article, scorer)))
                    submitted += 1
                article, future = window.pop(0)
                try:
                    analysis = future.result()
                except BrokenProcessPool:
                    raise
                except Exception as error:  # the worker's exception, re-raised here
                    counts.failed.append((article.origin, f"{type(error).__name__}: {error}"))
                else:
                    store(analysis)
                position += 1
                done += 1
                progress(done, total)
                if streak.stop_reason is not None:
                    pool.shutdown(wait=False, cancel_futures=True)  # the in-flight ones still finish
                    break
    except (OSError, BrokenProcessPool, NotImplementedError, ImportError) as error:
        print(f"\nadd: worker processes failed ({type(error).__name__}: {error}); continuing in one process", file=err)
        for article in pending[position:]:
            analyse_here(article)
            done += 1
            progress(done, total)
        position = len(pending)
    for article in pending[position:]:  # after the store failed too many writes in a row
        counts.failed.append((article.origin, streak.stop_reason or "not tried"))
        done += 1
        progress(done, total)
    return counts


def add_articles(
    corpus: Store, articles: Sequence[Article], scorer: str, jobs: int, err: TextIO, label: str = "add"
) -> _AddCounts:
    """Analyse and store `articles` (in `jobs` processes when > 1), with the progress line on `err`."""
    progress = _progress_line(err, label)
    if jobs > 1 and len(articles) > 1:
        return add_parallel(corpus, articles, scorer, jobs, err, progress)
    report = corpus.add(articles, scorer, progress=progress)
    return _AddCounts(len(report.added), len(report.duplicates), list(report.failed), list(report.limited))


def command_add(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dataclasses import replace

    from . import nlp, store

    failures = _Failures()
    try:
        # The store is opened first: a file that is not a store is refused at once, not after
        # spaCy has loaded and every input has been read.
        with open_store(arguments, err) as corpus:
            nlp.announce(err)
            scorer = announce_scorer(arguments.scorer, err)
            articles = list(read_articles(arguments.inputs, ingest.DEFAULT_MAX_BYTES, err, failures))
            if arguments.speaker:
                articles = [replace(article, speaker=arguments.speaker) for article in articles]
            counts = add_articles(corpus, articles, scorer, arguments.jobs, err)
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    print(json.dumps(counts.as_dict()), file=out)
    counts.warn(err)
    for origin, reason in counts.failed:
        print(f"error: {origin}: {reason}", file=err)
    return 1 if failures.count or counts.failed else 0


def command_import(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import nlp, store, ungdc

    skipped: list[Path] = []
    failures = _Failures()

    def skip(path: Path, reason: str) -> None:
        skipped.append(path)
        print(f"skipped: {path}: {reason}", file=err)

    def fail(path: Path, reason: str) -> None:
        failures.count += 1
        print(f"error: {path}: {reason}", file=err)

    folder = Path(arguments.folder)
    if not folder.is_dir():
        print(f"error: {folder}: no such folder", file=err)
        return 1
    try:
        with open_store(arguments, err) as corpus:  # first, as in `add`: a bad store is refused at once
            articles = list(ungdc.iter_speeches(folder, skipped=skip, failed=fail, limit=arguments.limit))
            nlp.announce(err)
            scorer = announce_scorer(arguments.scorer, err)
            counts = add_articles(corpus, articles, scorer, arguments.jobs, err, label="import")
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    counts.warn(err)
    for origin, reason in counts.failed:
        print(f"error: {origin}: {reason}", file=err)
    summary = {"speeches": len(articles), "skipped": len(skipped), **counts.as_dict()}
    summary["failed"] += failures.count
    print(json.dumps(summary), file=out)
    return 1 if summary["failed"] else 0


def export_frame(corpus: Store, filters: dict[str, Any]) -> pandas.DataFrame:
    """The stored statements with their `content` text and the `analysis_version` of their article."""
    frame = corpus.statements(filters)
    versions = {row["id"]: row["analysis_version"] for row in corpus.articles()}
    texts: dict[str, str] = {}
    contents = []
    for article_id, start, end in zip(frame["article_id"], frame["content_start"], frame["content_end"], strict=True):
        if article_id not in texts:
            article = corpus.article(article_id)
            texts[article_id] = article.text if article is not None else ""
        contents.append(texts[article_id][int(start) : int(end)])
    frame["content"] = contents
    frame["analysis_version"] = [versions.get(article_id) for article_id in frame["article_id"]]
    return frame


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` in the target's folder, then renamed over the target: never half a file."""
    import tempfile

    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        # mkstemp makes the file private (0600); an export or report is an ordinary file.
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def command_export(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import export, store

    filters: dict[str, Any] = {}
    if arguments.side:
        filters["sides"] = arguments.side
    if arguments.kind:
        filters["kinds"] = arguments.kind
    if arguments.since:
        filters["since"] = arguments.since
    if arguments.until:
        filters["until"] = arguments.until
    target = Path(arguments.out)
    if not target.parent.is_dir():
        print(f"error: {target}: no such folder {target.parent}", file=err)
        return 1
    try:
        with open_store(arguments, err) as corpus:
            frame = export_frame(corpus, filters)
    except (store.StoreError, ValueError) as error:
        print(f"error: {error}", file=err)
        return 1
    version = store.analysis_version()
    rows = frame.to_dict(orient="records")

    def write(path: Path) -> None:
        if arguments.format == "json":
            document = {
                "analysis_version": version,
                "filters": {key: export._plain(value) for key, value in filters.items()},
                "statements": [{key: export._plain(value) for key, value in row.items()} for row in rows],
            }
            with path.open("w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False, default=str)
        elif arguments.format == "csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(export.write_csv(rows, list(frame.columns)))
        else:
            parquet_frame(frame).to_parquet(path, index=False)

    try:
        _write_atomically(target, write)
    except (OSError, ValueError, ImportError) as error:
        print(f"error: {target}: cannot write: {error}", file=err)
        return 1
    summary = {"statements": len(rows), "out": str(target), "format": arguments.format, "filters": filters}
    print(json.dumps(summary, default=str), file=out)
    return 0


_REPORT_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}"
    "th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}"
)


def _cell(value: object) -> str:
    """A table cell's text, HTML-escaped (article text never reaches the page raw)."""
    import html

    return "" if value is None else html.escape(str(value))


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: frozenset[int] = frozenset()) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{_cell(name)}</th>" for name in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_cell(v)}</td>' if i in numeric else f"<td>{_cell(v)}</td>" for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# The dyad the product opens on (DESIGN.md): both directions of it.
DEFAULT_DYAD = "USA-RUS"


def parse_dyads(values: Sequence[str] | None) -> list[tuple[str, str]] | None:
    """["USA-RUS"] -> both directions; ["all"] -> None (every pair)."""
    pairs: list[tuple[str, str]] = []
    for value in values or [DEFAULT_DYAD]:
        if value.lower() == "all":
            return None
        first, _, second = value.upper().partition("-")
        if not first or not second:
            raise ValueError(f"dyad {value!r}: write it as SIDE-SIDE, e.g. USA-RUS, or all")
        pairs += [(first, second), (second, first)]
    return pairs


def report_html(
    corpus: Store,
    filters: dict[str, Any],
    freq: str,
    dyad_pairs: list[tuple[str, str]] | None = None,
    frame: pandas.DataFrame | None = None,
) -> str:
    """The whole report page: counts, the tone timeline per dyad with its shifts, the side matrix, the
    shifts and the extreme statements. Every text from an article is escaped; scripts are inlined.

    frame: statements already filtered by the caller (the dashboard's filters go beyond the store's);
    `filters` then only describes them on the page."""
    from . import aggregate, charts, store

    version = store.analysis_version()
    filtered = bool(filters) or frame is not None
    frame = corpus.statements(filters) if frame is None else frame
    articles = len(set(frame["article_id"])) if filtered else len(corpus.articles())
    parts = [
        "<h1>US–Russia rhetoric report</h1>",
        f"<p>Analysis version: <code>{_cell(version)}</code></p>",
        f"<p>Filters: {_cell(json.dumps(filters, default=str) if filters else 'none')}; period: {_cell(freq)}; "
        f"dyads: {_cell(', '.join(f'{a}→{b}' for a, b in dyad_pairs) if dyad_pairs else 'all')}</p>",
        f"<p>Articles: {articles}; statements: {len(frame)}</p>",
    ]
    listed = [row for row in corpus.articles() if not filtered or row["id"] in set(frame["article_id"])]
    article_rows = [(row["title"], row["published"], row["source"], row["statements"]) for row in listed]
    scripts = False
    if frame.empty:
        parts.append("<p>There is nothing to report yet: the store holds no statements for these filters.</p>")
    else:
        dyads = aggregate.dyad_tone(frame, freq=freq)
        dyads = dyads[dyads["target_side"] != aggregate.ALL_TARGETS]
        if dyad_pairs is not None:
            keep = [(a, b) in dyad_pairs for a, b in zip(dyads["speaker_side"], dyads["target_side"], strict=True)]
            dyads = dyads[keep]
        dyads = dyads.reset_index(drop=True)
        found: dict[tuple[str, str], list[aggregate.Shift]] = {}
        for (speaker_side, target_side), series in dyads.groupby(["speaker_side", "target_side"], sort=True):
            found[(str(speaker_side), str(target_side))] = aggregate.shifts(series)
        side_matrix = aggregate.matrix(frame, level="side")
        parts.append("<h2>Tone by period</h2>")
        if dyads.empty:
            parts.append("<p>No statement addresses a side yet.</p>")
        else:
            parts.append(charts.embed(charts.timeline(dyads, found), "timeline"))
            scripts = True
        parts.append("<h2>Speaker side × target side</h2>")
        if side_matrix.empty:
            parts.append("<p>No statement addresses a side yet.</p>")
        else:
            parts.append(charts.embed(charts.matrix_chart(side_matrix), "matrix"))
            scripts = True
        shift_rows = [
            (
                f"{key[0]} → {key[1]}",
                s.period,
                f"{s.mean_before:+.3f}",
                f"{s.mean_after:+.3f}",
                f"{s.delta:+.3f}",
                f"{s.confidence:.3g}",
            )
            for key, items in found.items()
            for s in items
        ]
        parts.append("<h2>Shifts</h2>")
        parts.append(
            _html_table(
                ("Dyad", "Period", "Mean before", "Mean after", "Delta", "p"), shift_rows, frozenset({2, 3, 4, 5})
            )
        )
        texts: dict[str, str] = {}
        extreme_rows = []
        for row in aggregate.extremes(frame, n=3).to_dict("records"):
            if dyad_pairs is not None and (row["speaker_side"], row["target_side"]) not in dyad_pairs:
                continue
            article_id = row["article_id"]
            if article_id not in texts:
                article = corpus.article(article_id)
                texts[article_id] = article.text if article is not None else ""
            when = row["said_on"] or row["published"]
            extreme_rows.append(
                (
                    f"{row['speaker_side']} → {row['target_side']}",
                    row["extreme"],
                    row["rank"],
                    f"{row['tone']:+.3f}",
                    row["speaker"],
                    when,
                    row["title"],
                    texts[article_id][int(row["content_start"]) : int(row["content_end"])],
                )
            )
        parts.append("<h2>Most negative and most positive statements</h2>")
        headers = ("Dyad", "Extreme", "Rank", "Tone", "Speaker", "Date", "Article", "Statement")
        parts.append(_html_table(headers, extreme_rows, frozenset({2, 3})))
    parts.append("<h2>Articles</h2>")
    parts.append(_html_table(("Title", "Published", "Source", "Statements"), article_rows, frozenset({3})))
    head = f"<style>{_REPORT_STYLE}</style>"
    if scripts:
        head += f'\n<script type="text/javascript">\n{charts.vega_script()}\n</script>'
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>US–Russia rhetoric report</title>\n{head}\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def command_report(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import store

    filters: dict[str, Any] = {"sides": arguments.side} if arguments.side else {}
    if not arguments.all_languages:
        # Both tone scorers read English only (VADER's lexicon, the model's training data): the
        # tones of other languages' statements are noise, left out of the aggregates by default.
        filters["languages"] = ["en"]
    target = Path(arguments.out)
    if not target.parent.is_dir():
        print(f"error: {target}: no such folder {target.parent}", file=err)
        return 1
    try:
        with open_store(arguments, err) as corpus:
            page = report_html(corpus, filters, arguments.freq, parse_dyads(arguments.dyad))
    except (store.StoreError, ValueError) as error:
        print(f"error: {error}", file=err)
        return 1

    def write(path: Path) -> None:
        path.write_text(page, encoding="utf-8")

    try:
        _write_atomically(target, write)
    except OSError as error:
        print(f"error: {target}: cannot write: {error}", file=err)
        return 1
    print(json.dumps({"out": str(target), "freq": arguments.freq, "filters": filters}), file=out)
    return 0


def parquet_frame(frame: pandas.DataFrame) -> pandas.DataFrame:
    """Parquet-ready columns: optional offsets as nullable ints, tuples as lists, and `drivers`
    ((start, end, weight) triples) as JSON text."""
    copy = frame.copy()
    for name in ("source_start", "source_end"):  # optional offsets: nullable integers, not floats
        copy[name] = copy[name].astype("Int64")
    for name in ("targets", "target_sides", "target_tones"):
        copy[name] = [list(value) for value in copy[name]]
    copy["drivers"] = [json.dumps([list(item) for item in value]) for value in copy["drivers"]]
    return copy


def command_articles(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import store

    try:
        with open_store(arguments, err) as corpus:
            rows = corpus.articles()
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    if arguments.format == "json":
        print(json.dumps(rows, default=str), file=out)
    else:
        for row in rows:
            published = row["published"] or "----------"
            print(f"{row['id'][:12]}  {published}  {row['statements']:4d}  {row['title'] or row['origin']}", file=out)
    return 0


def command_remove(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import store

    missing = 0
    try:
        with open_store(arguments, err) as corpus:
            stored = [row["id"] for row in corpus.articles()]
            for prefix in arguments.ids:
                matches = [article_id for article_id in stored if article_id.startswith(prefix)]
                if len(matches) != 1:
                    problem = "more than one stored article" if matches else "no stored article"
                    print(f"error: {prefix}: {problem} has this id", file=err)
                    missing += 1
                    continue
                corpus.remove(matches[0])
                print(f"removed {matches[0]}", file=out)
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    return 1 if missing else 0


def command_rescore(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import nlp, store

    failed: list[tuple[str, str]] = []
    try:
        with open_store(arguments, err) as corpus:
            nlp.announce(err)
            stale = corpus.stale_articles()
            count = corpus.rescore(
                progress=lambda done, total: print(f"rescore: {done}/{total}", file=err),
                failed=lambda article_id, reason: failed.append((article_id, reason)),
            )
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    for article_id, reason in failed:
        print(f"error: {article_id[:12]}: {reason} (left as it was)", file=err)
    summary = {"stale": len(stale), "rescored": count, "failed": len(failed), "version": store.analysis_version()}
    print(json.dumps(summary), file=out)
    return 1 if failed else 0


def announce_scorer(requested: str | None, err: TextIO) -> str:
    """The tone scorer to use, said on stderr with the reason when the model cannot be."""
    from . import tone, tone_model

    available = tone.available_scorers()
    scorer = requested or tone.default_scorer()
    if scorer not in available:
        print(f"tone scorer: lexicon ({scorer} unavailable: {tone_model.unavailable_reason()})", file=err)
        return "lexicon"
    if scorer == "lexicon" and "model" not in available:
        print(f"tone scorer: lexicon (model unavailable: {tone_model.unavailable_reason()})", file=err)
    else:
        print(f"tone scorer: {scorer}", file=err)
    return scorer


def command_evaluate(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import evaluate, nlp

    nlp.announce(err)
    target = Path(arguments.path)
    if not target.exists():
        print(f"error: {target}: no such file or folder", file=err)
        return 1
    if arguments.corpus == "seed":
        result = evaluate.evaluate_seed(target, scorer=announce_scorer(arguments.scorer, err))
        if not arguments.details:
            result.pop("details", None)
    elif arguments.corpus == "tone":

        def parsing(done: int, total: int) -> None:
            print(f"evaluate: parsed {done}/{total} sentences", file=err)

        result = evaluate.evaluate_tone(target, arguments.split, progress=parsing)
    elif arguments.corpus == "stance":
        try:
            result = evaluate.evaluate_stance(
                target,
                arguments.split,
                progress=lambda done, total: print(f"evaluate: parsed {done}/{total} sentences", file=err),
            )
        except evaluate.StanceDataError as error:
            print(f"error: {error}", file=err)
            return 1
    elif arguments.corpus == "lexicon":
        result = evaluate.lexicon_effects(
            target, progress=lambda done, total: print(f"evaluate: parsed {done}/{total} sentences", file=err)
        )
    else:

        def progress(done: int, total: int) -> None:
            if done % 10 == 0 or done == total:
                print(f"evaluate: {done}/{total} articles", file=err)

        result = evaluate.evaluate_polnear(target, limit=arguments.limit, progress=progress)
        if not arguments.details:
            result.pop("per_article", None)
    print(json.dumps(result, default=str), file=out)
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Diplomatic-tension analysis: statements, speakers, sides, targets, dates and tone.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    db_help = f"corpus store file (default: ${DB_ENVIRONMENT_VARIABLE}, else the user's data folder)"
    parser.add_argument("--db", default=os.environ.get(DB_ENVIRONMENT_VARIABLE), help=db_help)
    # Every command takes --db after its name too; SUPPRESS keeps the top-level value otherwise.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    jobs_help = "analyse in N worker processes (default: 1)"

    ingest_parser = commands.add_parser(
        "ingest",
        parents=[common],
        help="read articles and print their metadata as JSON, one line each",
        description="Read files, folders (recursively) or http(s) URLs; print one JSON object per "
        "article on stdout and one line per failure on stderr. Exit status 1 if anything failed.",
    )
    ingest_parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    ingest_parser.add_argument(
        "--max-mb",
        type=float,
        default=ingest.DEFAULT_MAX_BYTES / (1024 * 1024),
        help="largest file or download to read, in MB (default: %(default)g)",
    )
    ingest_parser.set_defaults(handler=command_ingest)

    extract_parser = commands.add_parser(
        "extract",
        parents=[common],
        help="find the statements in articles and print one row per statement",
        description="Analyse files, folders or URLs and write one row per statement (every Statement field, "
        "the article's id, title, origin and date, and the content and source texts) on stdout.",
    )
    extract_parser.add_argument("inputs", nargs="+", metavar="PATH")
    extract_parser.add_argument("--speaker", help="declared speaker of every article (a speech or press release)")
    extract_parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    extract_parser.add_argument(
        "--scorer",
        choices=("model", "lexicon"),
        help="tone scorer (default: the fine-tuned model when installed, else the lexicon)",
    )
    extract_parser.set_defaults(handler=command_extract)

    add_parser = commands.add_parser(
        "add",
        parents=[common],
        help="analyse articles and keep them in the corpus store",
        description="Read files, folders (recursively) or URLs, analyse every article not stored yet and store it "
        "(one transaction per article). Prints the counts as JSON; failures on stderr; exit 1 if any.",
    )
    add_parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    add_parser.add_argument("--speaker", help="declared speaker of every article (a speech or press release)")
    add_parser.add_argument("--scorer", choices=("model", "lexicon"), help="tone scorer (default: the model)")
    add_parser.add_argument("-j", "--jobs", type=_positive, default=1, help=jobs_help)
    add_parser.set_defaults(handler=command_add)

    import_parser = commands.add_parser(
        "import",
        parents=[common],
        help="analyse and store a corpus in a known layout (ungdc: the UN General Debate Corpus)",
        description="ungdc DIR: DIR/Session NN - YYYY/CCC_NN_YYYY.txt, each file one country's speech (declared "
        "speaker: the country, dated 15 September of the year). Prints the counts as JSON; skipped files and "
        "failures on stderr; exit 1 if any speech failed.",
    )
    import_parser.add_argument("corpus", choices=("ungdc",))
    import_parser.add_argument("folder", metavar="DIR")
    import_parser.add_argument("--scorer", choices=("model", "lexicon"), help="tone scorer (default: the model)")
    import_parser.add_argument("--limit", type=_positive, help="only the first N speeches (session, then file name)")
    import_parser.add_argument("-j", "--jobs", type=_positive, default=1, help=jobs_help)
    import_parser.set_defaults(handler=command_import)

    export_parser = commands.add_parser(
        "export",
        parents=[common],
        help="write the stored statements to a CSV, JSON or parquet file",
        description="One row per stored statement: the article's id, title, source and date, every Statement "
        "field, the statement's text (content) and the analysis version its article was made with. CSV cells a "
        "spreadsheet would run as formulas are prefixed with '. JSON: {analysis_version, filters, statements}.",
    )
    export_parser.add_argument("--format", choices=("csv", "json", "parquet"), required=True)
    export_parser.add_argument("--out", required=True, metavar="FILE")
    export_parser.add_argument("--side", action="append", help="only statements by this speaker side (repeatable)")
    export_parser.add_argument("--kind", action="append", help="only statements of this kind (repeatable)")
    export_parser.add_argument("--since", help="only statements said (else published) on or after YYYY-MM-DD")
    export_parser.add_argument("--until", help="only statements said (else published) on or before YYYY-MM-DD")
    export_parser.set_defaults(handler=command_export)

    report_parser = commands.add_parser(
        "report",
        parents=[common],
        help="write one self-contained HTML report (charts and tables) of the stored statements",
        description="Counts, the tone of each speaker side toward each target side per period with its shifts, the "
        "side matrix and the most negative / positive statements, in one HTML file that opens offline.",
    )
    report_parser.add_argument("--out", required=True, metavar="FILE.html")
    report_parser.add_argument("--freq", choices=("D", "W", "M", "article"), default="W", help="period (default: W)")
    report_parser.add_argument("--side", action="append", help="only statements by this speaker side (repeatable)")
    report_parser.add_argument(
        "--all-languages",
        action="store_true",
        help="include articles not in English (left out by default: the tone scorers read English only)",
    )
    report_parser.add_argument(
        "--dyad",
        action="append",
        help="sides to chart, both directions, e.g. USA-RUS (default), CHN-USA; repeatable; 'all' for every pair",
    )
    report_parser.set_defaults(handler=command_report)

    articles_parser = commands.add_parser("articles", parents=[common], help="list the stored articles")
    articles_parser.add_argument("--format", choices=("json", "table"), default="table")
    articles_parser.set_defaults(handler=command_articles)

    remove_parser = commands.add_parser("remove", parents=[common], help="remove stored articles by id (or id prefix)")
    remove_parser.add_argument("ids", nargs="+", metavar="ID")
    remove_parser.set_defaults(handler=command_remove)

    rescore_parser = commands.add_parser(
        "rescore", parents=[common], help="re-analyse stored articles made by an older analysis version"
    )
    rescore_parser.set_defaults(handler=command_rescore)

    evaluate_parser = commands.add_parser(
        "evaluate",
        parents=[common],
        help="score the analysis against gold data (see DESIGN.md's evaluation definitions)",
        description="Print one JSON line of metrics: seed GOLD.json (the seed article's hand-made gold), "
        "polnear DIR (a PolNeAR split folder with text/ and attributions/) or tone FILE.jsonl (NewsMTSC: "
        "tone toward each target, every scorer beside plain and target-scoped VADER) or stance DIR (the shared "
        "data folder: our labels of US and Russian speakers' stance toward the other side, data/stance/) or "
        "lexicon FILE.jsonl "
        "(NewsMTSC train split: macro-F1 with and without each frequent diplomatic-lexicon entry).",
    )
    evaluate_parser.add_argument("corpus", choices=("seed", "polnear", "tone", "stance", "lexicon"))
    evaluate_parser.add_argument("path", metavar="GOLD_OR_DIR")
    evaluate_parser.add_argument("--limit", type=int, help="polnear: only the first N articles in file-name order")
    evaluate_parser.add_argument(
        "--split",
        choices=("heldout", "train", "all"),
        default="heldout",
        help="tone: NewsMTSC lines with index %% 5 == 4 (heldout, the default), the others (train), or all; "
        "stance: the files held out (the default), the others (train), or all",
    )
    evaluate_parser.add_argument("--details", action="store_true", help="include per-statement or per-article rows")
    evaluate_parser.add_argument(
        "--scorer", choices=("model", "lexicon"), help="seed: the tone scorer (default: the model when installed)"
    )
    evaluate_parser.set_defaults(handler=command_evaluate)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    return arguments.handler(arguments, out or sys.stdout, err or sys.stderr)
