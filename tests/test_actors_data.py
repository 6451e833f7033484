"""Checks on the actor registry (data/actors.csv) and its side table (data/sides.csv).

The registry is hand-compiled data; these tests keep it consistent enough for the pipeline to
resolve names, aliases and role phrases ("the Kremlin spokesman", "the Russian president") by
filtering rows on title, side or organisation, and date.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
ACTORS_CSV = DATA_DIR / "actors.csv"
SIDES_CSV = DATA_DIR / "sides.csv"

ACTOR_COLUMNS = ["name", "aliases", "side", "kind", "gender", "role", "title", "org", "start", "end"]
SIDE_COLUMNS = ["code", "name", "names", "adjectives"]
KINDS = {"person", "institution", "place", "country"}
GENDERS = {"f", "m", ""}
PERSON_ROLES = {
    "head of state",
    "head of government",
    "foreign minister",
    "defence minister",
    "spokesperson",
    "ambassador",
    "intelligence",
    "legislature",
    "military",
    "official",
}
ROLES_BY_KIND = {
    "person": PERSON_ROLES,
    "institution": {"institution", "media"},
    "place": {"place"},
    "country": {"country"},
}
ROLES = set().union(*ROLES_BY_KIND.values())
MIN_DISTINCT_NAMES = 150
FAR_FUTURE = dt.date(9999, 12, 31)

# Titles that several people hold at once, so a role phrase with them cannot name one person.
CONCURRENT_TITLES = {
    "aide",
    "presidential aide",
    "kremlin aide",
    "deputy foreign minister",
    "vice foreign minister",
    "first deputy prime minister",
    "special envoy",
    "envoy",
}
# China's foreign ministry has three to five spokespeople briefing in rotation.
CONCURRENT_SIDE_TITLES = {
    ("CHN", "spokesperson"),
    ("CHN", "spokesman"),
    ("CHN", "spokeswoman"),
    ("CHN", "foreign ministry spokesperson"),
}


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _split(field: str) -> list[str]:
    return [part.strip() for part in field.split("|") if part.strip()]


def _normalise(text: str) -> str:
    """Alias comparison key: case-insensitive, a leading 'the ' ignored."""
    key = " ".join(text.lower().split())
    return key.removeprefix("the ")


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _span(row: dict[str, str]) -> tuple[dt.date, dt.date]:
    start = _date(row["start"]) or dt.date.min
    return start, _date(row["end"]) or FAR_FUTURE


def _overlap_days(a: dict[str, str], b: dict[str, str]) -> int:
    (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
    return (min(a_end, b_end) - max(a_start, b_start)).days


@pytest.fixture(scope="session")
def actor_table() -> tuple[list[str], list[dict[str, str]]]:
    return _read(ACTORS_CSV)


@pytest.fixture(scope="session")
def actors(actor_table: tuple[list[str], list[dict[str, str]]]) -> list[dict[str, str]]:
    return actor_table[1]


@pytest.fixture(scope="session")
def persons(actors: list[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in actors if row["kind"] == "person"]


@pytest.fixture(scope="session")
def side_table() -> tuple[list[str], list[dict[str, str]]]:
    return _read(SIDES_CSV)


@pytest.fixture(scope="session")
def side_codes(side_table: tuple[list[str], list[dict[str, str]]]) -> set[str]:
    return {row["code"] for row in side_table[1]}


@pytest.fixture(scope="session")
def names_by_key(actors: list[dict[str, str]]) -> dict[str, set[str]]:
    """Normalised canonical name or alias -> the canonical names it stands for."""
    index: dict[str, set[str]] = defaultdict(set)
    for row in actors:
        index[_normalise(row["name"])].add(row["name"])
        for alias in _split(row["aliases"]):
            index[_normalise(alias)].add(row["name"])
    return index


def _resolve(names_by_key: dict[str, set[str]], mention: str) -> str | None:
    names = names_by_key.get(_normalise(mention), set())
    assert len(names) <= 1, f"{mention!r} is ambiguous: {sorted(names)}"
    return next(iter(names), None)


def _holders(persons: list[dict[str, str]], title: str, side: str | None, org: str | None, day: dt.date) -> list[str]:
    """Names whose tenure on `day` carries `title`, filtered on side and/or org as a role phrase would."""
    return sorted(
        {
            row["name"]
            for row in persons
            if title in _split(row["title"])
            and (side is None or row["side"] == side)
            and (org is None or org in _split(row["org"]))
            and _span(row)[0] <= day <= _span(row)[1]
        }
    )


# ---------------------------------------------------------------- structure


def test_actor_header_is_exact(actor_table: tuple[list[str], list[dict[str, str]]]) -> None:
    assert actor_table[0] == ACTOR_COLUMNS


def test_sides_header_is_exact(side_table: tuple[list[str], list[dict[str, str]]]) -> None:
    assert side_table[0] == SIDE_COLUMNS


def test_no_row_has_missing_or_extra_fields(actors: list[dict[str, str]]) -> None:
    bad = [row["name"] for row in actors if None in row or None in row.values()]
    assert bad == []


def test_at_least_150_distinct_names(actors: list[dict[str, str]]) -> None:
    assert len({row["name"] for row in actors}) >= MIN_DISTINCT_NAMES


def test_every_name_is_set_and_trimmed(actors: list[dict[str, str]]) -> None:
    bad = [row["name"] for row in actors if not row["name"] or row["name"] != row["name"].strip()]
    assert bad == []


# ---------------------------------------------------------------- sides


def test_side_codes_are_unique_and_fully_described(side_table: tuple[list[str], list[dict[str, str]]]) -> None:
    codes = [row["code"] for row in side_table[1]]
    assert len(codes) == len(set(codes))
    incomplete = [row["code"] for row in side_table[1] if not (row["name"] and row["names"] and row["adjectives"])]
    assert incomplete == []


def test_every_actor_side_is_in_sides_csv_or_empty(actors: list[dict[str, str]], side_codes: set[str]) -> None:
    unknown = {(row["name"], row["side"]) for row in actors if row["side"] and row["side"] not in side_codes}
    assert unknown == set()


def test_only_media_may_have_no_side(actors: list[dict[str, str]]) -> None:
    sideless = {row["name"] for row in actors if not row["side"] and row["role"] != "media"}
    assert sideless == set()


def test_every_side_code_is_used(actors: list[dict[str, str]], side_codes: set[str]) -> None:
    assert side_codes - {row["side"] for row in actors} == set()


def test_host_codes_in_org_are_sides(actors: list[dict[str, str]], side_codes: set[str]) -> None:
    hosts = {part.removeprefix("to:") for row in actors for part in _split(row["org"]) if part.startswith("to:")}
    assert hosts
    assert hosts - side_codes == set()


# ---------------------------------------------------------------- values and dates


def test_kind_role_and_gender_values_are_allowed(actors: list[dict[str, str]]) -> None:
    bad = [
        (row["name"], row["kind"], row["role"], row["gender"])
        for row in actors
        if row["kind"] not in KINDS or row["role"] not in ROLES or row["gender"] not in GENDERS
    ]
    assert bad == []


def test_role_fits_kind(actors: list[dict[str, str]]) -> None:
    bad = [(row["name"], row["kind"], row["role"]) for row in actors if row["role"] not in ROLES_BY_KIND[row["kind"]]]
    assert bad == []


def test_persons_have_gender_title_and_start(persons: list[dict[str, str]]) -> None:
    bad = [row["name"] for row in persons if not (row["gender"] and row["title"] and row["start"])]
    assert bad == []


def test_non_persons_have_no_gender_title_or_dates(actors: list[dict[str, str]]) -> None:
    bad = [
        row["name"]
        for row in actors
        if row["kind"] != "person" and any(row[col] for col in ("gender", "title", "org", "start", "end"))
    ]
    assert bad == []


def test_titles_and_orgs_are_lowercase(persons: list[dict[str, str]]) -> None:
    bad = [row["name"] for row in persons if row["title"] != row["title"].lower()]
    bad += [
        row["name"] for row in persons if any(p != p.lower() for p in _split(row["org"]) if not p.startswith("to:"))
    ]
    assert bad == []


def test_dates_parse_and_start_is_not_after_end(actors: list[dict[str, str]]) -> None:
    for row in actors:
        start, end = _date(row["start"]), _date(row["end"])
        assert start is None or end is None or start <= end, (row["name"], row["start"], row["end"])


def test_rows_of_one_name_agree_on_side_kind_and_gender(actors: list[dict[str, str]]) -> None:
    seen: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for row in actors:
        seen[row["name"]].add((row["side"], row["kind"], row["gender"]))
    assert {name: facts for name, facts in seen.items() if len(facts) > 1} == {}


def test_aliases_are_listed_on_one_row_per_name(actors: list[dict[str, str]]) -> None:
    rows_with_aliases: dict[str, int] = defaultdict(int)
    for row in actors:
        rows_with_aliases[row["name"]] += bool(row["aliases"])
    assert {name: n for name, n in rows_with_aliases.items() if n > 1} == {}


# ---------------------------------------------------------------- aliases


def test_no_alias_belongs_to_two_names(actors: list[dict[str, str]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in actors:
        for alias in _split(row["aliases"]):
            owners[_normalise(alias)].add(row["name"])
    assert {alias: names for alias, names in owners.items() if len(names) > 1} == {}


def test_no_alias_equals_another_actors_name(actors: list[dict[str, str]]) -> None:
    canonical = {_normalise(row["name"]): row["name"] for row in actors}
    clashes = {
        (alias, row["name"], canonical[_normalise(alias)])
        for row in actors
        for alias in _split(row["aliases"])
        if canonical.get(_normalise(alias), row["name"]) != row["name"]
    }
    assert clashes == set()


def test_bare_surname_alias_is_not_another_persons_surname(persons: list[dict[str, str]]) -> None:
    surnames: dict[str, set[str]] = defaultdict(set)
    for row in persons:
        surnames[row["name"].split()[-1].lower()].add(row["name"])
    clashes = {
        (alias, row["name"])
        for row in persons
        for alias in _split(row["aliases"])
        if " " not in alias and surnames.get(alias.lower(), {row["name"]}) - {row["name"]}
    }
    assert clashes == set()


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Jane Saki", "Jen Psaki"),
        ("Jen Saki", "Jen Psaki"),
        ("Psaki", "Jen Psaki"),
        ("Dmitri Peskov", "Dmitry Peskov"),
        ("Dmitriy Peskov", "Dmitry Peskov"),
        ("Putin", "Vladimir Putin"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Mariya Zakharova", "Maria Zakharova"),
        ("Anatoliy Antonov", "Anatoly Antonov"),
        ("Nebenzya", "Vasily Nebenzia"),
        ("Zelenskyy", "Volodymyr Zelensky"),
        ("Xi", "Xi Jinping"),
        ("the Kremlin", "Kremlin"),
        ("Kremlin", "Kremlin"),
        ("the state department", "State Department"),
        ("State Dept", "State Department"),
        ("Department of Defense", "Pentagon"),
        ("Foreign Ministry", "Russian Foreign Ministry"),
        ("the Duma", "State Duma"),
        ("the Security Council", "UN Security Council"),
        ("U.S.", "United States"),
        ("the US", "United States"),
        ("America", "United States"),
        ("USSR", "Soviet Union"),
        ("Britain", "United Kingdom"),
        ("Kiev", "Kyiv"),
        ("NATO", "NATO"),
        ("AP", "Associated Press"),
        ("Russia Today", "RT"),
        # no match: titles are not part of aliases, and shared surnames are not aliases
        ("President Putin", None),
        ("Clinton", None),
        ("Ivanov", None),
        ("Rice", None),
        ("Khamenei", None),
        ("Washington's", None),
    ],
)
def test_mention_resolves_to_canonical_name(
    names_by_key: dict[str, set[str]], mention: str, expected: str | None
) -> None:
    assert _resolve(names_by_key, mention) == expected


# ---------------------------------------------------------------- required actors


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("Vladimir Putin", "RUS"),
        ("Dmitry Medvedev", "RUS"),
        ("Dmitry Peskov", "RUS"),
        ("Sergey Lavrov", "RUS"),
        ("Maria Zakharova", "RUS"),
        ("Anatoly Antonov", "RUS"),
        ("Sergey Kislyak", "RUS"),
        ("Alexander Darchiev", "RUS"),
        ("Vasily Nebenzia", "RUS"),
        ("Sergey Ryabkov", "RUS"),
        ("Yuri Ushakov", "RUS"),
        ("Nikolai Patrushev", "RUS"),
        ("Sergei Shoigu", "RUS"),
        ("Valery Gerasimov", "RUS"),
        ("Vyacheslav Volodin", "RUS"),
        ("Valentina Matviyenko", "RUS"),
        ("Kremlin", "RUS"),
        ("Russia", "RUS"),
        ("Moscow", "RUS"),
        ("Joe Biden", "USA"),
        ("Donald Trump", "USA"),
        ("Jen Psaki", "USA"),
        ("Karoline Leavitt", "USA"),
        ("Antony Blinken", "USA"),
        ("Marco Rubio", "USA"),
        ("Ned Price", "USA"),
        ("JD Vance", "USA"),
        ("Linda Thomas-Greenfield", "USA"),
        ("Mark Milley", "USA"),
        ("CIA", "USA"),
        ("White House", "USA"),
        ("State Department", "USA"),
        ("United States", "USA"),
        ("Washington", "USA"),
        ("Volodymyr Zelensky", "UKR"),
        ("Dmytro Kuleba", "UKR"),
        ("Xi Jinping", "CHN"),
        ("Wang Yi", "CHN"),
        ("Hua Chunying", "CHN"),
        ("Mark Rutte", "NATO"),
        ("NATO", "NATO"),
        ("Ursula von der Leyen", "EU"),
        ("Kaja Kallas", "EU"),
        ("António Guterres", "UN"),
        ("Emmanuel Macron", "FRA"),
        ("Olaf Scholz", "DEU"),
        ("Keir Starmer", "GBR"),
        ("TASS", "RUS"),
        ("ABC News", ""),
        ("Reuters", ""),
    ],
)
def test_required_actor_is_present_with_side(actors: list[dict[str, str]], name: str, side: str) -> None:
    assert {row["side"] for row in actors if row["name"] == name} == {side}


# ---------------------------------------------------------------- role phrases


@pytest.mark.parametrize(
    ("title", "side", "org", "day", "expected"),
    [
        ("press secretary", None, "white house", "2021-03-18", "Jen Psaki"),
        ("spokeswoman", None, "white house", "2021-03-18", "Jen Psaki"),
        ("press secretary", None, "white house", "2025-06-01", "Karoline Leavitt"),
        ("president", "RUS", None, "2010-06-01", "Dmitry Medvedev"),
        ("president", "RUS", None, "2021-03-18", "Vladimir Putin"),
        ("prime minister", "RUS", None, "2010-06-01", "Vladimir Putin"),
        ("president", "USA", None, "2021-03-18", "Joe Biden"),
        ("president", "USA", None, "2019-06-01", "Donald Trump"),
        ("president", "USA", None, "2025-06-01", "Donald Trump"),
        ("vice president", "USA", None, "2025-06-01", "JD Vance"),
        ("secretary of state", "USA", None, "2021-03-18", "Antony Blinken"),
        ("secretary of state", "USA", None, "2025-06-01", "Marco Rubio"),
        ("national security adviser", "USA", None, "2021-03-18", "Jake Sullivan"),
        ("national security adviser", "USA", None, "2025-06-01", "Marco Rubio"),
        ("foreign minister", "RUS", None, "2021-03-18", "Sergey Lavrov"),
        ("spokesman", None, "kremlin", "2021-03-18", "Dmitry Peskov"),
        ("spokeswoman", "RUS", "foreign ministry", "2021-03-18", "Maria Zakharova"),
        ("spokesperson", "USA", "state department", "2021-03-18", "Ned Price"),
        ("ambassador", "RUS", "to:USA", "2015-06-01", "Sergey Kislyak"),
        ("ambassador", "RUS", "to:USA", "2021-03-18", "Anatoly Antonov"),
        ("ambassador", "USA", "to:RUS", "2021-03-18", "John Sullivan"),
        ("ambassador", "RUS", "to:UN", "2021-03-18", "Vasily Nebenzia"),
        ("ambassador", "USA", "to:UN", "2021-03-18", "Linda Thomas-Greenfield"),
        ("cia director", None, "cia", "2021-06-01", "William Burns"),
        ("defense secretary", "USA", None, "2025-06-01", "Pete Hegseth"),
        ("defence minister", "RUS", None, "2021-03-18", "Sergei Shoigu"),
        ("defence minister", "RUS", None, "2025-06-01", "Andrei Belousov"),
        ("security council secretary", "RUS", None, "2021-03-18", "Nikolai Patrushev"),
        ("speaker", "RUS", "state duma", "2021-03-18", "Vyacheslav Volodin"),
        ("chief of the general staff", "RUS", None, "2021-03-18", "Valery Gerasimov"),
        ("president", "UKR", None, "2021-03-18", "Volodymyr Zelensky"),
        ("president", "CHN", None, "2021-03-18", "Xi Jinping"),
        ("secretary general", None, "nato", "2021-03-18", "Jens Stoltenberg"),
        ("chancellor", "DEU", None, "2021-03-18", "Angela Merkel"),
        ("prime minister", "GBR", None, "2021-03-18", "Boris Johnson"),
        # nobody held these
        ("president", "RUS", None, "1985-01-01", None),
        ("secretary of state", "RUS", None, "2021-03-18", None),
        ("cia director", None, "cia", "2021-03-18", None),  # Burns took office the next day
        ("ambassador", "USA", "to:RUS", "2025-09-01", None),
    ],
)
def test_role_phrase_resolves_to_single_holder(
    persons: list[dict[str, str]], title: str, side: str | None, org: str | None, day: str, expected: str | None
) -> None:
    holders = _holders(persons, title, side, org, dt.date.fromisoformat(day))
    assert holders == ([expected] if expected else [])


def test_tenures_of_one_office_do_not_overlap(persons: list[dict[str, str]]) -> None:
    """Two holders clash when they share a side and a title on overlapping dates, and either a side-only
    role phrase would reach both (one has no org) or they share an org variant."""
    by_side: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in persons:
        by_side[row["side"]].append(row)
    clashes = []
    for side, rows in by_side.items():
        for a, b in combinations(rows, 2):
            if a["name"] == b["name"] or _overlap_days(a, b) <= 1:
                continue
            orgs_a, orgs_b = set(_split(a["org"])), set(_split(b["org"]))
            if orgs_a and orgs_b and not orgs_a & orgs_b:
                continue
            shared = {
                title
                for title in set(_split(a["title"])) & set(_split(b["title"]))
                if title not in CONCURRENT_TITLES and (side, title) not in CONCURRENT_SIDE_TITLES
            }
            if shared:
                clashes.append((side, sorted(shared), a["name"], b["name"]))
    assert clashes == []
