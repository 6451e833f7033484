"""Rows for exports: statements as flat records, and CSV cells that spreadsheets cannot run."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, fields
from datetime import date

from .models import ArticleAnalysis, Statement

STATEMENT_FIELDS = tuple(f.name for f in fields(Statement))
# Every row carries the Statement fields, the article it came from, and the two texts.
ROW_FIELDS = ("article_id", "article_title", "article_origin", "published", *STATEMENT_FIELDS, "content", "source")
# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def statement_rows(analysis: ArticleAnalysis) -> list[dict[str, object]]:
    """One flat record per statement, with the article's id, title, origin and date."""
    article = analysis.article
    rows = []
    for statement in analysis.statements:
        row: dict[str, object] = {
            "article_id": article.id,
            "article_title": article.title,
            "article_origin": article.origin,
            "published": article.published,
        }
        row.update(asdict(statement))
        row["content"] = article.text[statement.content_start : statement.content_end]
        row["source"] = (
            article.text[statement.source_start : statement.source_end]
            if statement.source_start is not None and statement.source_end is not None
            else None
        )
        rows.append(row)
    return rows


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def json_line(row: dict[str, object]) -> str:
    return json.dumps({key: _plain(value) for key, value in row.items()}, ensure_ascii=False)


def csv_safe(value: object) -> object:
    """A cell as written to CSV: text that a spreadsheet would run is prefixed with a quote mark;
    numbers, booleans and empty cells are left as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, tuple | list):
        value = json.dumps(_plain(value), ensure_ascii=False)
    text = str(_plain(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[dict[str, object]], columns: Iterable[str] = ROW_FIELDS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_safe(value) for key, value in row.items()})
    return buffer.getvalue()
