"""The UN General Debate Corpus (UNGDC) layout: one first-person speech per country and session.

Layout (Jankin, Baturo & Dasandi, doi:10.7910/DVN/0TJX8Y; see ../shared/data/speeches/ungdc/README.txt):
`DIR/Session NN - YYYY/CCC_NN_YYYY.txt`, where CCC is the delegation's ISO 3166 alpha-3 code
(USA, RUS, UKR, ...). The whole file is that delegation's speech, so the speaker is the
country itself (the registry's country actor for the code's side), declared on the article.
Soviet-era speeches are filed under RUS in the corpus and are read as such.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from . import actors, ingest
from .models import Article

log = logging.getLogger(__name__)

SOURCE = "UN General Debate Corpus"
# The files carry only the year: each regular session opens in mid-September (the general
# debate follows in the next days), so every speech is dated the 15th of September.
SESSION_MONTH = 9
SESSION_DAY = 15

SESSION_FOLDER = re.compile(r"^Session (\d+) - (\d{4})$")
SPEECH_FILE = re.compile(r"^([A-Z]{3})_(\d+)_(\d{4})\.txt$")

Reporter = Callable[[Path, str], None]


def _log_skip(path: Path, reason: str) -> None:
    log.info("%s: skipped: %s", path, reason)


def _log_failure(path: Path, reason: str) -> None:
    log.warning("%s: %s", path, reason)


def country_actor(code: str, registry: actors.Registry | None = None) -> str | None:
    """The registry's country actor for an ISO alpha-3 side code ("RUS" -> "Russia"); None if unknown.

    The side's own name (data/sides.csv) when it is a country actor of that side, else the first
    country actor of that side in data/actors.csv.
    """
    reg = registry or actors.registry()
    side = reg.sides.get(code)
    if side is not None:
        actor = reg.actors.get(side.name)
        if actor is not None and actor.kind == "country" and actor.side == code:
            return actor.name
    for actor in reg.actors.values():
        if actor.kind == "country" and actor.side == code:
            return actor.name
    return None


def speech_date(year: int) -> date:
    return date(year, SESSION_MONTH, SESSION_DAY)


def speech_files(folder: Path, skipped: Reporter = _log_skip) -> Iterator[tuple[Path, str, int]]:
    """(file, country code, year) of every speech file under `folder`, sorted by session then name.

    `skipped(path, reason)` is told of every other file (macOS `._*` junk, names not in the layout).
    """
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        if path.name.startswith("._"):
            skipped(path, "macOS metadata file")
            continue
        match = SPEECH_FILE.match(path.name)
        if not match:
            skipped(path, "name is not CCC_NN_YYYY.txt")
            continue
        code, year = match.group(1), int(match.group(3))
        session = SESSION_FOLDER.match(path.parent.name)
        if session and int(session.group(2)) != year:
            skipped(path, f"year {year} differs from its folder's ({session.group(2)})")
            continue
        yield path, code, year


def iter_speeches(
    folder: Path | str,
    skipped: Reporter = _log_skip,
    failed: Reporter = _log_failure,
    limit: int | None = None,
) -> Iterator[Article]:
    """Every speech under `folder` as an Article declared spoken by its country.

    skipped(path, reason): files that are not speeches (junk, other names); failed(path, reason):
    speech files that cannot be read or whose country code has no side in the registry.
    limit: stop after this many speeches.
    """
    root = Path(folder)
    if not root.is_dir():
        failed(root, "not a folder")
        return
    reg = actors.registry()
    count = 0
    for path, code, year in speech_files(root, skipped):
        if limit is not None and count >= limit:
            return
        country = country_actor(code, reg)
        if country is None:
            failed(path, f"country code {code} has no country actor in data/actors.csv")
            continue
        try:
            articles = ingest.load(path)
        except ingest.IngestError as error:
            failed(path, error.reason)
            continue
        for article in articles:
            yield dataclasses.replace(
                article,
                speaker=country,
                published=speech_date(year),
                title=f"UN General Debate {year}: {country}",
                source=SOURCE,
            )
        count += 1
