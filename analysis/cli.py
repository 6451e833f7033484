"""Command line: the same pipeline as the dashboard (`python -m analysis --help`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import __version__, ingest
from .models import Article, IngestReport

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


def command_add(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from dataclasses import replace

    from . import nlp, store

    nlp.announce(err)
    scorer = announce_scorer(arguments.scorer, err)
    failures = _Failures()
    articles = list(read_articles(arguments.inputs, ingest.DEFAULT_MAX_BYTES, err, failures))
    if arguments.speaker:
        articles = [replace(article, speaker=arguments.speaker) for article in articles]

    def progress(done: int, total: int) -> None:
        print(f"\radd: {done}/{total} articles analysed", end="" if done < total else "\n", file=err, flush=True)

    try:
        with open_store(arguments, err) as corpus:
            report = corpus.add(articles, scorer, progress=progress)
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    print(
        json.dumps({"added": len(report.added), "duplicates": len(report.duplicates), "failed": len(report.failed)}),
        file=out,
    )
    for origin, reason in report.failed:
        print(f"error: {origin}: {reason}", file=err)
    return 1 if failures.count or report.failed else 0


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

    nlp.announce(err)
    try:
        with open_store(arguments, err) as corpus:
            stale = corpus.stale_articles()
            count = corpus.rescore(progress=lambda done, total: print(f"rescore: {done}/{total}", file=err))
    except store.StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    print(json.dumps({"stale": len(stale), "rescored": count, "version": store.analysis_version()}), file=out)
    return 0


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
    add_parser.set_defaults(handler=command_add)

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
        "tone toward each target, every scorer beside plain and target-scoped VADER) or lexicon FILE.jsonl "
        "(NewsMTSC train split: macro-F1 with and without each frequent diplomatic-lexicon entry).",
    )
    evaluate_parser.add_argument("corpus", choices=("seed", "polnear", "tone", "lexicon"))
    evaluate_parser.add_argument("path", metavar="GOLD_OR_DIR")
    evaluate_parser.add_argument("--limit", type=int, help="polnear: only the first N articles in file-name order")
    evaluate_parser.add_argument(
        "--split",
        choices=("heldout", "train", "all"),
        default="heldout",
        help="tone: NewsMTSC lines with index %% 5 == 4 (heldout, the default), the others (train), or all",
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
