"""analysis.actors: each resolution rule as a table, on the bundled registry."""

from __future__ import annotations

from datetime import date

import pytest

from analysis import actors
from analysis.actors import SpeakerResolver

SEED_DAY = date(2021, 3, 19)


@pytest.fixture(scope="module")
def registry() -> actors.Registry:
    return actors.registry()


def resolver(registry: actors.Registry, text: str = "", on: date | None = SEED_DAY) -> SpeakerResolver:
    return SpeakerResolver(text, on, registry, actors.find_mentions(text, on, registry))


@pytest.mark.parametrize(
    ("mention", "appositive", "on", "expected"),
    [
        # registered names and aliases, inside longer mentions too
        ("Dmitry Peskov", None, SEED_DAY, ("Dmitry Peskov", "RUS", "name")),
        ("Kremlin spokesman Dmitry Peskov", None, SEED_DAY, ("Dmitry Peskov", "RUS", "name")),
        ("Jane Saki", None, SEED_DAY, ("Jen Psaki", "USA", "alias")),
        ("Putin", None, SEED_DAY, ("Vladimir Putin", "RUS", "alias")),
        ("The Kremlin", None, SEED_DAY, ("Kremlin", "RUS", "name")),
        ("the CIA", None, SEED_DAY, ("CIA", "USA", "name")),
        ("the Russian ambassador", "Anatoly Antonov", SEED_DAY, ("Anatoly Antonov", "RUS", "name")),
        # spelling variants close to a registered person
        ("Dmitriy Peskoff", None, SEED_DAY, ("Dmitry Peskov", "RUS", "alias")),
        # role phrases resolved by side or office and date
        ("The White House spokeswoman", None, SEED_DAY, ("Jen Psaki", "USA", "role")),
        ("the Russian president", None, SEED_DAY, ("Vladimir Putin", "RUS", "role")),
        ("the Russian president", None, date(2010, 6, 1), ("Dmitry Medvedev", "RUS", "role")),
        ("the US president", None, SEED_DAY, ("Joe Biden", "USA", "role")),
        ("Russia's foreign minister", None, SEED_DAY, ("Sergey Lavrov", "RUS", "role")),
        ("the Russian ambassador to Washington", None, SEED_DAY, ("Anatoly Antonov", "RUS", "role")),
        # unknown people keep the mention, with the side their own words state
        ("Russian ambassador Ivan Petrovsky", None, SEED_DAY, ("Russian ambassador Ivan Petrovsky", "RUS", "unknown")),
        ("a State Department official", None, SEED_DAY, ("a State Department official", "USA", "unknown")),
        ("a passer-by", None, SEED_DAY, ("a passer-by", None, "unknown")),
        ("Mr. Nobody Specific", None, SEED_DAY, ("Nobody Specific", None, "unknown")),
    ],
)
def test_resolve_mentions(registry, mention, appositive, on, expected):
    resolved = resolver(registry, on=on).resolve(mention, 0, appositive=appositive)
    assert (resolved.name, resolved.side, resolved.resolution) == expected


def test_fuzzy_names_never_cross_sides(registry):
    # "Sergei Lavrova" is close to Sergey Lavrov (RUS), but the mention says the person is American.
    resolved = resolver(registry).resolve("US diplomat Sergei Lavrova", 0)
    assert (resolved.resolution, resolved.side) == ("unknown", "USA")


@pytest.mark.parametrize(
    ("history", "pronoun", "expected"),
    [
        # (earlier speakers in order, pronoun, who it is)
        (["Jen Psaki", "Vladimir Putin"], "she", "Jen Psaki"),
        (["Jen Psaki", "Vladimir Putin"], "he", "Vladimir Putin"),
        (["Vladimir Putin", "Kremlin"], "he", "Vladimir Putin"),
        (["Vladimir Putin", "Kremlin"], "it", "Kremlin"),
        ([], "she", None),
    ],
)
def test_pronouns_go_to_the_latest_compatible_speaker(registry, history, pronoun, expected):
    speakers = resolver(registry)
    for position, name in enumerate(history):
        actor = registry.actors[name]
        speakers.remember(position, actors.Resolved(actor.name, actor.side, "name", actor))
    resolved = speakers.resolve(pronoun, 100, is_pronoun=True)
    assert (resolved.name if resolved.resolution == "pronoun" else None) == expected


def test_a_bare_role_points_back_to_its_holder(registry):
    speakers = resolver(registry)
    psaki = registry.actors["Jen Psaki"]
    speakers.remember(0, actors.Resolved(psaki.name, psaki.side, "name", psaki))
    resolved = speakers.resolve("the spokeswoman", 50)
    assert (resolved.name, resolved.resolution) == ("Jen Psaki", "role")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russian President Vladimir Putin’s offer to US President Joe Biden",
            [("Vladimir Putin", "RUS"), ("Joe Biden", "USA")],
        ),
        ("Moscow will deal with Washington", [("Moscow", "RUS"), ("Washington", "USA")]),
        ("relations between Russia and the United States", [("Russia", "RUS"), ("United States", "USA")]),
        ("the Russian president will face the consequences", [("Vladimir Putin", "RUS")]),
        ("we told us nothing", []),  # "us" the pronoun is not the United States
        ("", []),
        # a name the alias is only part of (seen in the UN speeches): no mention of the US
        ("the peoples of Asia, Africa and Latin America", []),
        ("in Central America and elsewhere", []),
        ("the Twenty-fourth Congress of the Communist Party of the Soviet Union", [("Soviet Union", "RUS")]),
        ("the extraordinary Congress of People's Deputies", []),
        ("the 20th Party Congress", []),
        # ... while America and the US Congress alone still are
        ("America will not stand by", [("United States", "USA")]),
        ("the Congress of the United States", [("US Congress", "USA"), ("United States", "USA")]),
        ("The Congress passed the sanctions bill", [("US Congress", "USA")]),
    ],
)
def test_find_mentions(registry, text, expected):
    found = actors.find_mentions(text, SEED_DAY, registry)
    assert [(mention.actor.name, mention.actor.side) for mention in found] == expected


@pytest.mark.parametrize(
    ("phrase", "on", "expected"),
    [
        ("his Russian counterpart", SEED_DAY, "Vladimir Putin"),
        ("his Ukrainian counterpart", SEED_DAY, "Volodymyr Zelensky"),
        ("his American counterpart", SEED_DAY, None),  # Biden's own side: no counterpart
    ],
)
def test_counterparts_are_the_same_office_on_the_other_side(registry, phrase, on, expected):
    biden = registry.actors["Joe Biden"]
    actor = actors.resolve_role_phrase(phrase, on, registry, counterpart_of=biden)
    assert (actor.name if actor else None) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("The Kremlin", "kremlin", True), ("Putin’s", "Putin", True), ("the  White   House", "White House", True)],
)
def test_names_compare_ignoring_case_the_and_possessive(a, b, same):
    assert (actors.normalise(a) == actors.normalise(b)) is same
