"""analysis.tone: normalisation, the diplomatic lexicon, tone toward a target, stance and drivers."""

from __future__ import annotations

import pytest

from analysis import evaluate, tone
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def scorer() -> tone.LexiconScorer:
    return tone.lexicon_scorer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“killer.”", '"killer."'),
        ("Putin’s ‘offer’", "Putin's 'offer'"),
        ("talks—again – later…", "talks-again - later."),
        ("plain ASCII stays", "plain ASCII stays"),
        ("", ""),
    ],
)
def test_normalise_keeps_one_character_for_one(text, expected):
    assert tone.normalise(text) == expected
    assert len(tone.normalise(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # curly quotes no longer hide a word from the lexicon
        ("Biden called Putin a “killer.”", "negative"),
        ("Biden called Putin a 'killer.'", "negative"),
        # negation, and "not ... only", which adds rather than negates
        ("his wish was not a matter of mockery or joke", "positive"),
        ("We will not rely on sanctions only in our dealings with Russia", "negative"),
        ("There will be no sanctions.", "positive"),
        # words VADER lacks in this domain
        ("Moscow warned of a new cold war.", "negative"),
        ("The offer remains on the table.", "positive"),
        ("Both sides agreed to hold talks next week.", "positive"),
        ("The president has the right to respond in the way he chooses.", "negative"),
        # nothing to score
        ("The delegation arrived in Geneva on Monday.", "neutral"),
        ("", "neutral"),
    ],
)
def test_statement_tone(scorer, text, label):
    assert tone.label(scorer.compound(text)) == label


def test_every_lexicon_entry_moves_tone_its_way(scorer):
    """Each entry, alone in a neutral frame, scores with the sign of its valence."""
    for entry in tone.read_lexicon():
        compound = scorer.compound(f"The report mentioned {entry.term} yesterday.")
        assert compound * entry.valence > 0, (entry.term, compound)
        assert entry.reason, entry.term


@pytest.mark.parametrize(
    ("sentence", "target", "label"),
    [
        ("Biden called Putin a killer but praised Merkel warmly.", "Putin", "negative"),
        ("Biden called Putin a killer but praised Merkel warmly.", "Merkel", "positive"),
        ("Moscow accused Washington of interference in its elections.", "Washington", "negative"),
        ("Putin said he would hold talks with Biden in the coming days.", "Biden", "positive"),
        ("The Kremlin condemned the sanctions, and Lavrov thanked China for its support.", "China", "positive"),
    ],
)
def test_tone_toward_a_target(sentence, target, label):
    start = sentence.index(target)
    assert tone.tone_toward(sentence, start, start + len(target), scorer="lexicon").label == label


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("Putin spoke.", 0, 50), "outside the sentence"),
        (("Putin spoke.", 3, 3), "outside the sentence"),
        (("Putin spoke.", 0, 5, "oracle"), "unknown or unavailable tone scorer 'oracle'"),
    ],
)
def test_tone_toward_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        tone.tone_toward(*arguments)


def test_drivers_say_which_words_moved_the_score(scorer):
    text = "Biden has no regrets about calling Putin a “killer.”"
    explained = scorer.explain(text)
    words = {text[start:end]: share for start, end, share in explained.drivers}
    assert set(words) == {"no regrets", "killer"}
    assert all(share < 0 for share in words.values())
    assert sum(words.values()) == pytest.approx(explained.compound, abs=0.01)
    assert scorer.explain("The delegation arrived.").drivers == ()


@pytest.mark.parametrize(
    ("lemmas", "stance"),
    [
        (["threaten"], -0.9),
        (["say", "condemn"], -0.8),  # a neutral cue defers to the content's main verb
        (["praise", "attack"], 0.7),  # the cue's own stance comes first
        (["say", "be"], 0.0),
        ([], 0.0),
    ],
)
def test_stance(lemmas, stance):
    assert tone.stance_of(lemmas) == stance


@pytest.mark.parametrize(
    ("compound", "stance", "mixed"),
    [(0.6, -0.9, True), (-0.6, 0.7, True), (-0.6, -0.9, False), (0.1, -0.9, False), (0.6, 0.0, False)],
)
def test_mixed_signals(compound, stance, mixed):
    assert tone.mixed_signals(compound, stance) is mixed


@pytest.mark.parametrize(
    ("compound", "label"),
    [(0.051, "positive"), (0.05, "neutral"), (0.0, "neutral"), (-0.05, "neutral"), (-0.051, "negative")],
)
def test_label_thresholds(compound, label):
    assert tone.label(compound) == label


def test_the_default_scorer_is_available():
    assert tone.default_scorer() in tone.available_scorers()
    assert "lexicon" in tone.available_scorers()


def test_frequent_lexicon_entries_do_not_lower_newsmtsc_f1():
    """The tone issue's rule: an entry seen in 20 or more train sentences must not lower macro-F1 there."""
    report = evaluate.lexicon_effects(shared_path("newsmtsc", "train.jsonl"))
    assert report["entries_checked"], "no frequent entry was checked"
    assert [row["term"] for row in report["entries_checked"] if not row["ok"]] == []


def test_newsmtsc_heldout_figures():
    report = evaluate.evaluate_tone(shared_path("newsmtsc", "train.jsonl"), "heldout")
    scorers = report["scorers"]
    assert scorers["lexicon"]["macro_f1"] >= 0.55
    assert scorers["lexicon"]["macro_f1"] > scorers["vader_sentence"]["macro_f1"]
    assert scorers["model"]["macro_f1"] >= 0.74  # the fine-tuned model (issue 5's bar)
