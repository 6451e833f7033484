"""Who a speaker or a target is: canonical actor, side and role.

The registry is `data/actors.csv` (one row per actor and role tenure) with
`data/sides.csv` (names and adjectives of each side); data/README.md describes
both. A speaker mention resolves, in this order, by its apposition or a
registered name inside it ("Kremlin spokesman Dmitry Peskov"), by the whole
mention as a name or alias, by a close spelling of a registered person's name
(never across sides), by a role phrase with side or office and the date
("the White House spokeswoman", "the Russian president"), by a pronoun or a bare
role ("she", "the spokesman") to the most recent compatible actor; else it stays
the mention text with the side its own words state ("Russian ambassador X").
"""

from __future__ import annotations

import bisect
import csv
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from . import DATA_DIR

ACTORS_FILE = DATA_DIR / "actors.csv"
SIDES_FILE = DATA_DIR / "sides.csv"

# difflib ratio above which a person's name written differently is the same person
# ("Dmitri Peskov"/"Dmitry Peskov" 0.92, "Sergei Lavrov"/"Sergey Lavrov" 0.92), while
# different people of one family name stay apart ("Hillary Clinton"/"Bill Clinton" 0.69).
FUZZY_NAME_THRESHOLD = 0.85

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our", "it", "its"})
# Titles borne by people whatever the side: "the spokesman" alone points back to the last one.
HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|madam|mister)\.?\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Tenure:
    role: str
    titles: tuple[str, ...]
    orgs: tuple[str, ...]
    start: date | None
    end: date | None

    def holds(self, on: date | None) -> bool:
        if on is None:
            return self.end is None
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Actor:
    name: str
    side: str | None
    kind: str
    gender: str | None
    aliases: tuple[str, ...]
    tenures: tuple[Tenure, ...]

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    def role_on(self, on: date | None) -> str | None:
        held = [t for t in self.tenures if t.holds(on)]
        return held[0].role if held else (self.tenures[0].role if self.tenures else None)

    def titles_on(self, on: date | None) -> tuple[str, ...]:
        return tuple(title for t in self.tenures if t.holds(on) for title in t.titles)


@dataclass(frozen=True)
class Resolved:
    """A speaker or target as resolved: canonical name (or the mention text), side and how."""

    name: str
    side: str | None
    resolution: str
    actor: Actor | None = None


def normalise(text: str) -> str:
    """Key for comparing names: case-folded, no leading "the", no possessive, straight apostrophes."""
    text = text.replace("’", "'").replace("‘", "'").strip().strip(',.;:"“”')
    text = re.sub(r"'s$|'$", "", text)
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return " ".join(text.casefold().split())


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value and value.strip() else None


@dataclass(frozen=True)
class Side:
    code: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]


@dataclass
class Registry:
    actors: dict[str, Actor]
    sides: dict[str, Side]
    keys: dict[str, Actor] = field(default_factory=dict)
    """normalised name or alias -> actor"""
    canonical_keys: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for actor in self.actors.values():
            self.keys.setdefault(normalise(actor.name), actor)
            self.canonical_keys.add(normalise(actor.name))
            for alias in actor.aliases:
                self.keys.setdefault(normalise(alias), actor)
        self._side_words = {}
        for side in self.sides.values():
            for word in (*side.names, *side.adjectives, side.name):
                self._side_words.setdefault(normalise(word), side.code)
        for actor in self.actors.values():
            if actor.kind in ("country", "place") and actor.side:
                for word in (actor.name, *actor.aliases):
                    self._side_words.setdefault(normalise(word), actor.side)
        self._titles = sorted(
            {title for actor in self.actors.values() for t in actor.tenures for title in t.titles},
            key=len,
            reverse=True,
        )
        self._orgs = sorted(
            {
                org
                for actor in self.actors.values()
                for t in actor.tenures
                for org in t.orgs
                if not org.startswith("to:")
            },
            key=len,
            reverse=True,
        )
        self._mention_res = _mention_patterns(self)
        self._persons = {key: actor for key, actor in self.keys.items() if actor.is_person and " " in key}

    # -------------------------------------------------------------- lookups

    def lookup(self, text: str) -> Actor | None:
        return self.keys.get(normalise(text))

    def fuzzy(self, text: str) -> Actor | None:
        """A registered person whose name is spelled a little differently ("Dmitri Peskov")."""
        key = normalise(text)
        if " " not in key or not key[:1].isalpha():
            return None
        matches = difflib.get_close_matches(key, self._persons, n=2, cutoff=FUZZY_NAME_THRESHOLD)
        if not matches:
            return None
        best = self._persons[matches[0]]
        # Two different people about equally close: refuse rather than guess.
        if len(matches) > 1 and self._persons[matches[1]] is not best:
            return None
        return best

    def side_of_words(self, text: str) -> str | None:
        """The side a description states: "Russian ambassador", "a Kremlin aide", "US officials"."""
        for match in self._mention_res.side_word.finditer(text):
            return self._side_words.get(normalise(match.group(0)))
        for match in self._mention_res.org.finditer(text.lower()):
            for actor in self.actors.values():
                if any(match.group(0) in t.orgs for t in actor.tenures) and actor.side:
                    return actor.side
        return None

    def by_role(
        self, titles: Iterable[str], on: date | None, side: str | None = None, org: str | None = None
    ) -> Actor | None:
        """The single holder of an office on a date, by title and side or office ("white house")."""
        wanted = {t.lower() for t in titles}
        holders = []
        for actor in self.actors.values():
            if not actor.is_person or (side and actor.side != side):
                continue
            for tenure in actor.tenures:
                if not wanted & set(tenure.titles) or not tenure.holds(on):
                    continue
                if org and org not in tenure.orgs:
                    continue
                holders.append(actor)
                break
        unique = {actor.name: actor for actor in holders}
        return next(iter(unique.values())) if len(unique) == 1 else None

    def title_in(self, text: str) -> str | None:
        match = self._mention_res.title.search(text.lower())
        return match.group(0) if match else None

    def org_in(self, text: str) -> str | None:
        match = self._mention_res.org.search(text.lower())
        return match.group(0) if match else None


@dataclass(frozen=True)
class _Patterns:
    name_ci: re.Pattern[str]
    name_cs: re.Pattern[str]
    side_word: re.Pattern[str]
    title: re.Pattern[str]
    org: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


def _case_sensitive(alias: str) -> bool:
    """Acronyms and short forms ("US", "UN", "CIA") must match as written: "us" is a pronoun."""
    letters = alias.replace(".", "").replace(" ", "")
    return letters.isupper() or len(letters) <= 3


def _mention_patterns(registry: Registry) -> _Patterns:
    names_ci, names_cs = [], []
    for actor in registry.actors.values():
        for alias in (actor.name, *actor.aliases):
            (names_cs if _case_sensitive(alias) else names_ci).append(alias)
            if not _case_sensitive(alias) and not alias.lower().startswith("the "):
                names_ci.append("the " + alias)
    side_words = [w for side in registry.sides.values() for w in (*side.adjectives, *side.names, side.name)]
    side_words += [
        word
        for actor in registry.actors.values()
        if actor.kind in ("country", "place") and actor.side
        for word in (actor.name, *actor.aliases)
    ]
    boundary_left, boundary_right = r"(?<![\w-])", r"(?![\w-])"
    return _Patterns(
        name_ci=re.compile(boundary_left + "(?:" + _alternation(names_ci) + ")" + boundary_right, re.IGNORECASE),
        name_cs=re.compile(boundary_left + "(?:" + _alternation(names_cs) + ")" + boundary_right),
        side_word=re.compile(boundary_left + "(?:" + _alternation(side_words) + ")" + boundary_right),
        title=re.compile(boundary_left + "(?:" + _alternation(registry._titles) + ")" + boundary_right),
        org=re.compile(boundary_left + "(?:" + _alternation(registry._orgs) + ")" + boundary_right),
    )


def read_registry(actors_path: Path = ACTORS_FILE, sides_path: Path = SIDES_FILE) -> Registry:
    """The registry from its CSV files (see data/README.md)."""
    rows: dict[str, dict[str, object]] = {}
    with actors_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            entry = rows.setdefault(
                name,
                {
                    "side": row["side"].strip() or None,
                    "kind": row["kind"].strip(),
                    "gender": row["gender"].strip() or None,
                    "aliases": [],
                    "tenures": [],
                },
            )
            entry["aliases"].extend(_split(row["aliases"]))  # type: ignore[union-attr]
            entry["tenures"].append(  # type: ignore[union-attr]
                Tenure(
                    role=row["role"].strip(),
                    titles=tuple(t.lower() for t in _split(row["title"])),
                    orgs=tuple(o.lower() for o in _split(row["org"])),
                    start=_date(row["start"]),
                    end=_date(row["end"]),
                )
            )
    actors = {
        name: Actor(name, e["side"], e["kind"], e["gender"], tuple(dict.fromkeys(e["aliases"])), tuple(e["tenures"]))  # type: ignore[arg-type]
        for name, e in rows.items()
    }
    sides = {}
    with sides_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            sides[code] = Side(code, row["name"].strip(), _split(row["names"]), _split(row["adjectives"]))
    return Registry(actors, sides)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The bundled registry, read once per process."""
    return read_registry()


# ----------------------------------------------------------------- mentions


@dataclass(frozen=True)
class EntityMention:
    """A registered actor (or a role phrase resolved to one) written somewhere in the article."""

    start: int
    end: int
    text: str
    actor: Actor


def find_mentions(
    text: str, on: date | None, reg: Registry | None = None, start: int = 0, end: int | None = None
) -> list[EntityMention]:
    """Registered actors named in text[start:end], and role phrases that resolve on date `on`."""
    reg = reg or registry()
    end = len(text) if end is None else end
    found: dict[tuple[int, int], EntityMention] = {}
    for pattern in (reg._mention_res.name_ci, reg._mention_res.name_cs):
        for match in pattern.finditer(text, start, end):
            actor = reg.lookup(match.group(0))
            if actor is not None:
                found[match.span()] = EntityMention(match.start(), match.end(), match.group(0), actor)
    for match in _ROLE_PHRASE.finditer(text, start, end):
        phrase = match.group(0)
        actor = resolve_role_phrase(phrase, on, reg)
        if actor is not None:
            found[match.span()] = EntityMention(match.start(), match.end(), phrase, actor)
    # Keep the longest of overlapping mentions ("Russian President Vladimir Putin" over "Putin").
    kept: list[EntityMention] = []
    for mention in sorted(found.values(), key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    # "US President Joe Biden": a country named as a person's modifier is not itself mentioned.
    # A set of where persons are named, not a scan of every mention per country mention: that was
    # quadratic, 37 s of 44 s on a 200,000-character text naming a country 13,800 times.
    person_starts = {m.start for m in kept if m.actor.is_person}
    return [
        m
        for m in kept
        if not (m.actor.kind == "country" and _modifies_next(text, m, person_starts, reg)) and not _other_name(text, m)
    ]


# Names an alias is only part of: "Latin America" is no mention of the United States, nor is the
# 20th Congress of the CPSU one of the US Congress. Seen in the UN speeches while drawing the stance
# set (data/stance/README.md): 29 of the 367 candidate sentences whose target was the US named it only so.
_REGION_BEFORE = re.compile(r"(?:Latin|Central|South|North|Middle|Meso|Anglo|Spanish)[\s-]+$")
_OTHER_CONGRESS_AFTER = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:CPSU|Communist|Soviet|People|Vienna|Berlin|Panama|Latin|Afro|Trade Union)", re.IGNORECASE
)
_OTHER_CONGRESS_BEFORE = re.compile(r"(?:Party|Soviet|Communist|Peoples?'?|CPSU|National|Syrian)\s+$", re.IGNORECASE)


def _other_name(text: str, mention: EntityMention) -> bool:
    before = text[max(mention.start - 30, 0) : mention.start]
    if mention.text == "America" and _REGION_BEFORE.search(before):
        return True
    if mention.text.lower().endswith("congress"):
        after = text[mention.end : mention.end + 40]
        return bool(_OTHER_CONGRESS_AFTER.match(after) or _OTHER_CONGRESS_BEFORE.search(before))
    return False


def _modifies_next(text: str, mention: EntityMention, person_starts: set[int], reg: Registry) -> bool:
    following = text[mention.end : mention.end + 40]
    words = following.split()
    if not following[:1].isspace() or not words:
        return False
    if mention.end + 1 in person_starts:
        return True
    return reg.title_in(" ".join(words[:3]).lower()) is not None and words[0][:1].isalpha()


# "the Russian president", "the White House spokeswoman", "Russia's foreign minister", "his US counterpart".
_ROLE_PHRASE = re.compile(
    r"(?:\b(?:the|his|her|its|their)\s+)?(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}\s+)"
    r"(?:president|prime minister|premier|foreign minister|secretary of state|spokesman|spokeswoman|spokesperson|"
    r"press secretary|ambassador(?:\s+to\s+(?:Washington|Moscow|Russia|the United States|the US|the U\.S\.))?|"
    r"defen[cs]e minister|defen[cs]e secretary|counterpart|leader|chancellor|top diplomat)\b"
)


def resolve_role_phrase(
    phrase: str, on: date | None, reg: Registry | None = None, counterpart_of: Actor | None = None
) -> Actor | None:
    """An office named by side or institution and title, held by one person on date `on`."""
    reg = reg or registry()
    lowered = phrase.lower()
    title = reg.title_in(lowered)
    if "counterpart" in lowered:
        if counterpart_of is None:
            return None
        titles = counterpart_of.titles_on(on)
        side = reg.side_of_words(phrase)
        if not titles or side is None or side == counterpart_of.side:
            return None
        return reg.by_role(titles, on, side=side)
    if title is None:
        return None
    org = reg.org_in(lowered)
    side = reg.side_of_words(phrase)
    host = re.search(r"ambassador\s+to\s+(.+)$", phrase, re.IGNORECASE)
    if host:
        host_side = reg.side_of_words(host.group(1))
        for actor in reg.actors.values():
            if side and actor.side != side:
                continue
            for tenure in actor.tenures:
                if (
                    tenure.role == "ambassador"
                    and tenure.holds(on)
                    and host_side
                    and f"to:{host_side.lower()}" in tenure.orgs
                ):
                    return actor
    if org is None and side is None:
        return None
    holder = reg.by_role([title], on, side=side, org=org)
    if holder is None and org is not None:
        holder = reg.by_role([title], on, org=org)
    return holder


_PREPOSITION_BEFORE = re.compile(r"\b(?:to|of|for|in|at|from|with)\s+(?:the\s+)?$", re.IGNORECASE)


def _gender_fits(actor: Actor, pronoun: str) -> bool:
    if pronoun in MALE_PRONOUNS:
        return actor.is_person and actor.gender in ("m", None)
    if pronoun in FEMALE_PRONOUNS:
        return actor.is_person and actor.gender in ("f", None)
    if pronoun in ("i", "me", "my"):
        return actor.is_person
    return True


def _candidate_name(text: str) -> str:
    return HONORIFICS.sub("", text.strip()).strip(" ,")


MAX_PRONOUN_LOOKBACK = 500
"""Candidates (speakers, mentions, persons) a pronoun looks back through for one that fits its
gender and number. A text names about one candidate per 100 characters, so this reaches some
50,000 characters back, far beyond any reader's antecedent; it bounds the cost of a pronoun
with no fitting antecedent (a "she" in an article naming only men)."""


@dataclass
class SpeakerResolver:
    """Resolves the speakers of one article in reading order, remembering who spoke last."""

    text: str
    published: date | None
    reg: Registry
    mentions: list[EntityMention]
    """Registered actors and resolved role phrases in the article, in order."""
    persons: list[tuple[int, int, str]] = field(default_factory=list)
    """People spaCy found that the registry does not know (start, end, text)."""
    history: list[tuple[int, Resolved]] = field(default_factory=list)
    # Every candidate for a pronoun (speakers so far, registered mentions, unregistered persons),
    # sorted by (position, kind, order): kind 0 history, 1 mentions, 2 persons, so among
    # candidates at one position the later kind, then the later one, wins. Kept sorted instead of
    # rebuilt and scanned whole on each pronoun, which was pronouns x mentions: 124 of 194 s on a
    # million-character text (bench/bench_limits.py).
    _keys: list[tuple[int, int, int]] = field(init=False, repr=False)
    _candidates: list[Resolved] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        entries = (
            [((position, 0, order), resolved) for order, (position, resolved) in enumerate(self.history)]
            + [
                ((m.start, 1, order), Resolved(m.actor.name, m.actor.side, "pronoun", m.actor))
                for order, m in enumerate(self.mentions)
            ]
            + [
                ((start, 2, order), Resolved(name, None, "pronoun"))
                for order, (start, _end, name) in enumerate(self.persons)
            ]
        )
        entries.sort(key=lambda entry: entry[0])
        self._keys = [key for key, _ in entries]
        self._candidates = [resolved for _, resolved in entries]

    def _recent(self, before: int, fits: Callable[[Resolved], bool]) -> Resolved | None:
        """The nearest candidate before offset `before` that `fits`, looking back at most
        MAX_PRONOUN_LOOKBACK candidates."""
        index = bisect.bisect_left(self._keys, (before, -1, -1))
        for position in range(index - 1, max(-1, index - 1 - MAX_PRONOUN_LOOKBACK), -1):
            if fits(self._candidates[position]):
                return self._candidates[position]
        return None

    def remember(self, position: int, resolved: Resolved) -> None:
        if resolved.resolution != "unknown" or resolved.side:
            self.history.append((position, resolved))
            key = (position, 0, len(self.history) - 1)
            index = bisect.bisect_right(self._keys, key)
            self._keys.insert(index, key)
            self._candidates.insert(index, resolved)

    def resolve(
        self, mention_text: str, at: int, *, is_pronoun: bool = False, appositive: str | None = None
    ) -> Resolved:
        """The actor behind a speaker mention written at offset `at`."""
        word = mention_text.strip().lower()
        if is_pronoun:
            found = self._recent(
                at,
                lambda r: (
                    (r.actor is None and word not in GROUP_PRONOUNS)
                    or (r.actor is not None and _gender_fits(r.actor, word))
                ),
            )
            return (
                Resolved(found.name, found.side, "pronoun", found.actor)
                if found
                else Resolved(mention_text, None, "unknown")
            )
        for text in (appositive, mention_text):
            if text:
                resolved = self._by_name(text, at)
                if resolved is not None:
                    return resolved
        for text in (appositive, mention_text):
            if text:
                resolved = self._by_role(text, at)
                if resolved is not None:
                    return resolved
        side = self.reg.side_of_words(" ".join(t for t in (mention_text, appositive) if t))
        return Resolved(_candidate_name(mention_text), side, "unknown")

    def _by_name(self, text: str, at: int) -> Resolved | None:
        inside = find_mentions(text, self.published, self.reg)
        whole = normalise(text)
        # A person named anywhere in the mention is the speaker ("Kremlin spokesman Dmitry Peskov");
        # a body or place only when the mention ends with it ("the Russian Foreign Ministry"), not
        # when it qualifies someone else ("a State Department official", "the ambassador to Washington").
        named = [
            m
            for m in inside
            if normalise(m.text) in self.reg.keys
            and (
                m.actor.is_person
                or (whole.endswith(normalise(m.text)) and not _PREPOSITION_BEFORE.search(text[: m.start]))
            )
        ]
        if named:
            best = max(named, key=lambda m: (m.actor.is_person, m.end - m.start))
            how = "name" if normalise(best.text) in self.reg.canonical_keys else "alias"
            return Resolved(best.actor.name, best.actor.side, how, best.actor)
        proper = " ".join(w for w in _candidate_name(text).split() if w[:1].isupper())
        actor = self.reg.fuzzy(proper) if proper else None
        stated = self.reg.side_of_words(text)
        # A near spelling never crosses sides: "US diplomat Sergei Lavrova" is not Lavrov.
        if actor is not None and (stated is None or stated == actor.side):
            return Resolved(actor.name, actor.side, "alias", actor)
        return None

    def _by_role(self, text: str, at: int) -> Resolved | None:
        speaker_before = self.history[-1][1].actor if self.history else None
        actor = resolve_role_phrase(text, self.published, self.reg, counterpart_of=speaker_before)
        if actor is not None:
            return Resolved(actor.name, actor.side, "role", actor)
        title = self.reg.title_in(text.lower())
        if title is None or len(text.split()) > 4:
            return None
        # A bare role ("the spokesman", "the minister"): the latest actor who holds it.
        found = self._recent(at, lambda r: r.actor is not None and title in " ".join(r.actor.titles_on(self.published)))
        return Resolved(found.name, found.side, "role", found.actor) if found else None
