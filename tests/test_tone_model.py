"""The `model` tone scorer: the shipped file, its verdicts, and the fallback when it is missing."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from analysis import analyze_text, tone, tone_model
from analysis.cli import announce_scorer


@pytest.fixture(scope="module")
def model() -> tone_model.ToneModel:
    return tone_model.load()


def test_the_shipped_model_matches_its_checksums():
    config = json.loads((tone_model.MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    for kind in ("model", "tokenizer"):
        path = tone_model.MODEL_DIR / config[f"{kind}_file"]
        assert tone_model.file_sha256(path) == config[f"{kind}_sha256"], path
    card = (tone_model.MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert config["model_sha256"] in card
    assert "Apache-2.0" in card and "MIT" in card


def test_it_loads_fast_and_is_the_default(model):
    assert model.load_seconds < 5  # the bench measures it properly; this only catches a broken load
    assert tone.available_scorers()[0] == "model"
    assert tone.default_scorer() == "model"


CASES = [
    # (sentence, target, expected label)
    ("Biden called Putin a killer and a thug.", "Putin", "negative"),
    ("Lavrov praised Blinken for his constructive and honest approach.", "Blinken", "positive"),
    ("The Kremlin accused Washington of a hostile, dangerous provocation.", "Washington", "negative"),
    ("Zelensky thanked Macron warmly for his steadfast support.", "Macron", "positive"),
    ("The talks will take place in Geneva on Monday, officials said.", "Geneva", "neutral"),
    # one sentence, two actors, two directions
    ("Biden condemned Putin's brutal invasion but praised Zelensky's courage.", "Putin", "negative"),
    ("Biden condemned Putin's brutal invasion but praised Zelensky's courage.", "Zelensky", "positive"),
    # British spelling (Russia's UN speech, 2024): read as positive before "paralysed" was respelt
    (
        "In its pursuit of the increasingly illusory goal of preserving its dominance, Washington has paralysed "
        "the proper functioning of the WTO's dispute settlement mechanism and blocked reform.",
        "Washington",
        "negative",
    ),
]


@pytest.mark.parametrize(("sentence", "target", "label"), CASES)
def test_unambiguous_tone_toward_a_marked_target(sentence, target, label):
    start = sentence.index(target)
    assert tone.tone_toward(sentence, start, start + len(target), scorer="model").label == label


def test_batches_give_the_same_scores_as_one_by_one(model):
    targets = [(s, s.index(t), s.index(t) + len(t)) for s, t, _ in CASES]
    together = model.compounds(targets)
    alone = [model.compounds([target])[0] for target in targets]
    assert together == pytest.approx(alone, abs=1e-3)
    assert all(-1 <= value <= 1 for value in together)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("config", "no tone model installed"),
        ("model", "tone model file missing"),
        ("flip", "does not match the model card"),
    ],
)
def test_a_missing_or_altered_model_is_refused(tmp_path, damage, reason):
    copy = tmp_path / "tone-minilm"
    shutil.copytree(tone_model.MODEL_DIR, copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    if damage == "config":
        (copy / "config.json").unlink()
    elif damage == "model":
        (copy / config["model_file"]).unlink()
    else:
        path = copy / config["model_file"]
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    with pytest.raises(tone_model.ModelUnavailableError, match=reason):
        tone_model.load(copy)


@pytest.fixture
def without_model(tmp_path, monkeypatch):
    """The process as it is on an installation without the model file."""
    monkeypatch.setattr(tone_model, "MODEL_DIR", tmp_path / "absent")
    tone_model._cached.cache_clear()
    yield
    tone_model._cached.cache_clear()


def test_without_the_model_the_lexicon_scores_and_says_why(without_model):
    assert tone.available_scorers() == ("lexicon",)
    analysis = analyze_text("Peskov said the talks with Biden were useful.", published="2021-03-19")
    assert analysis.statements  # the analysis goes on with the lexicon
    err = io.StringIO()
    assert announce_scorer(None, err) == "lexicon"
    assert "model unavailable: no tone model installed" in err.getvalue()
    err = io.StringIO()
    assert announce_scorer("model", err) == "lexicon"
    assert "model unavailable" in err.getvalue()


def test_statement_tone_is_the_mean_of_its_target_tones():
    analysis = analyze_text(
        "Lavrov said that Blinken had been constructive and that Washington was hostile.",
        published="2021-03-19",
        scorer="model",
    )
    (statement,) = analysis.statements
    assert len(statement.target_tones) == 2
    assert statement.tone == pytest.approx(sum(statement.target_tones) / 2, abs=1e-3)
    assert statement.drivers  # the words that drove it still come from the lexicon


@pytest.mark.parametrize(
    ("text", "counterpart"),
    [
        # (article, the other side's actor the frame names, or None: the lexicon's tone)
        ("Putin responded to Biden's remarks by saying that people see others as they see themselves.", "Biden"),
        ("Peskov said in reply to Psaki that everyone has their own history.", "Psaki"),
        ("Putin said that people see others as they see themselves.", None),  # the frame names no one
        ("Putin said, speaking of Lavrov, that people see others as they see themselves.", None),  # his own side
    ],
)
def test_a_statement_about_no_one_takes_its_stance_toward_the_counterpart_its_frame_names(text, counterpart):
    (statement,) = [
        s
        for s in analyze_text(text, published="2021-03-19", scorer="model").statements
        if text[s.content_start : s.content_end].startswith(("people", "everyone"))
    ]
    assert statement.targets == ()
    if counterpart is None:
        assert statement.tone == tone.lexicon_scorer().compound(text[statement.content_start : statement.content_end])
    else:
        start = text.index(counterpart)
        (expected,) = tone.score_targets("model", [(text, start, start + len(counterpart))])
        assert statement.tone == expected.compound


def test_the_model_file_is_found_from_the_package():
    assert Path(tone_model.__file__).resolve().parent.parent / "data" / "models" / "tone-minilm" == tone_model.MODEL_DIR


VOCABULARY = dict.fromkeys(
    ["paralyzed", "analyze", "civilization", "endeavors", "defence", "defense", "scoring", "tense"], 0
)


@pytest.mark.parametrize(
    ("text", "respelt"),
    [
        ("Washington has paralysed the WTO.", "Washington has paralyzed the WTO."),
        ("Analyse it", "Analyze it"),  # the case of the word is kept
        ("civilisation, endeavours", "civilization, endeavors"),
        ("our defence", "our defence"),  # a word the vocabulary knows stays as written
        ("scouring the coast", "scouring the coast"),  # no "-ouring" rule: not "scoring"
        ("exis- tence", "exis- tence"),  # a fragment too short to be a word with that ending
        ("flavoursome", "flavoursome"),  # no American form in the vocabulary: unchanged
        ("", ""),
    ],
)
def test_british_spellings_the_vocabulary_lacks_are_respelt(text, respelt):
    assert tone_model.american_spelling(text, VOCABULARY) == respelt


def test_the_model_reads_the_respelt_sentence_with_its_marker(model):
    sentence = "Moscow said Washington had paralysed the council."
    start = sentence.index("Washington")
    text, mention = model._marked(sentence, start, start + len("Washington"))
    assert text == "Moscow said [TGT] Washington [/TGT] had paralyzed the council."
    assert mention == "Washington"
