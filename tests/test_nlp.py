"""analysis.nlp: the English spaCy model loads offline and says which one it is."""

from __future__ import annotations

import io

from analysis import nlp


def test_loads_an_english_model_and_names_it():
    pipeline = nlp.english()
    assert pipeline.lang == "en"
    assert {"parser", "ner"} <= set(pipeline.pipe_names)
    name = nlp.model_name()
    assert name.split()[0] in nlp.MODEL_PACKAGES
    stream = io.StringIO()
    assert nlp.announce(stream) == name
    assert stream.getvalue() == f"spaCy model: {name}\n"


def test_parses_the_seed_sentence():
    doc = nlp.english()("Kremlin spokesman Dmitry Peskov said that Russia is using diplomatic channels.")
    said = next(token for token in doc if token.lemma_ == "say")
    assert [child.dep_ for child in said.children if child.dep_ in ("nsubj", "ccomp")] == ["nsubj", "ccomp"]
    assert "Dmitry Peskov" in {entity.text for entity in doc.ents}
