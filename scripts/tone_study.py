"""How the model scorer's tone could be combined with the lexicon's, measured (issue 5, requirement 4).

Run by hand (about 3 minutes on 2 cores; needs ../shared/data):

    .venv/bin/python scripts/tone_study.py

Prints, for the record in data/models/tone-minilm/MODEL_CARD.md:
1. NewsMTSC: a linear pool of the model's probabilities with the lexicon scorer's (its compound
   mapped to three probabilities by a two-parameter softmax fitted on the train split), for pool
   weights 0 .. 1. The weight is chosen on the train split (macro-F1, ties to the smaller
   weight); the held-out figures are reported, never used to choose. Also a cascade that lets
   the lexicon decide wherever the model's verdict is neutral.
2. The seed article's tone figure under each of those compositions (reported, not used to
   choose: the seed is the test, DESIGN.md's seed gold).
3. How NewsMTSC labels targets that are the partner of talks ("talks with X"): the convention
   the model learns there.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import analyze_text, evaluate, tone, tone_model
from analysis.models import ArticleAnalysis

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NEWSMTSC = SHARED / "newsmtsc" / "train.jsonl"
SEED_GOLD = SHARED / "seed" / "gold.json"
LABELS = ("negative", "neutral", "positive")
WEIGHTS = tuple(round(0.1 * step, 1) for step in range(11))

# (model probabilities, lexicon compound toward the target) -> a compound in [-1, 1]
Composition = Callable[[np.ndarray, float], float]


def lexicon_probabilities(compounds: np.ndarray, slope: float, neutral_bias: float) -> np.ndarray:
    """Three probabilities from lexicon compounds: logits (-slope c, bias, slope c)."""
    logits = np.stack([-slope * compounds, np.full_like(compounds, neutral_bias), slope * compounds], axis=1)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def fit_lexicon_calibration(compounds: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """Slope and neutral bias that minimise the log-loss of the lexicon's probabilities."""

    def loss(parameters: np.ndarray) -> float:
        probabilities = lexicon_probabilities(compounds, *parameters)
        return float(-np.log(probabilities[np.arange(len(gold)), gold] + 1e-12).mean())

    fitted = minimize(loss, np.array([2.0, 0.5]), method="Nelder-Mead")
    return float(fitted.x[0]), float(fitted.x[1])


def split_scores(split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Model probabilities, lexicon compounds toward each target and gold indexes of a split."""
    items = evaluate.read_newsmtsc(NEWSMTSC, split)
    spans = evaluate.parse_targets(items)
    lexicon = tone.lexicon_scorer()
    compounds = np.array(
        [
            tone.tone_toward_span(s) if s is not None else lexicon.compound(i.sentence)
            for i, s in zip(items, spans, strict=True)
        ]
    )
    model = tone_model.model()
    if model is None:
        sys.exit(f"the tone model is unavailable: {tone_model.unavailable_reason()}")
    probabilities = np.array(model.probabilities([(i.sentence, i.start, i.end) for i in items]))
    return probabilities, compounds, np.array([LABELS.index(i.gold) for i in items])


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    return evaluate.classification_scores([LABELS[i] for i in gold], [LABELS[i] for i in predicted])["macro_f1"]


def newsmtsc_study() -> tuple[float, float, float]:
    """Print the pool and cascade figures; return the calibration and the weight chosen on train."""
    train_p, train_c, train_gold = split_scores("train")
    held_p, held_c, held_gold = split_scores("heldout")
    slope, bias = fit_lexicon_calibration(train_c, train_gold)
    train_q, held_q = lexicon_probabilities(train_c, slope, bias), lexicon_probabilities(held_c, slope, bias)
    print(f"lexicon calibration on train: slope {slope:.3f}, neutral bias {bias:.3f}")
    print("pool weight of the lexicon | train macro-F1 | held-out macro-F1")
    chosen, best = 0.0, -1.0
    for weight in WEIGHTS:
        train_f1 = macro_f1(train_gold, ((1 - weight) * train_p + weight * train_q).argmax(1))
        held_f1 = macro_f1(held_gold, ((1 - weight) * held_p + weight * held_q).argmax(1))
        print(f"  {weight:.1f} | {train_f1:.4f} | {held_f1:.4f}")
        if train_f1 > best:
            chosen, best = weight, train_f1
    print(f"weight chosen on train: {chosen:.1f}")
    for name, probabilities, compounds, gold in (
        ("train", train_p, train_c, train_gold),
        ("held-out", held_p, held_c, held_gold),
    ):
        predicted = [
            LABELS.index(tone.label(c)) if p.argmax() == 1 else int(p.argmax())
            for p, c in zip(probabilities, compounds, strict=True)
        ]
        score = macro_f1(gold, np.array(predicted))
        print(f"cascade (lexicon where the model says neutral), {name}: macro-F1 {score:.4f}")
    return slope, bias, chosen


def composed_analyzer(composition: Composition) -> evaluate.Analyzer:
    """The pipeline with the model's and the lexicon's target tones combined by `composition`;
    a statement's tone is the mean of its composed target tones, else the lexicon's."""
    model = tone_model.model()
    assert model is not None
    captured: list[list[float]] = []
    original = model.probabilities

    def recording(targets: list[tuple[str, int, int]], batch_size: int = tone_model.BATCH_SIZE) -> list[list[float]]:
        rows = original(targets, batch_size)
        captured.extend(rows)
        return rows

    def analyze(text: str, published: date | None, title: str | None) -> ArticleAnalysis:
        captured.clear()
        model.probabilities = recording  # type: ignore[method-assign]
        try:
            by_model = analyze_text(text, published=published, title=title, scorer="model")
        finally:
            del model.probabilities
        by_lexicon = analyze_text(text, published=published, title=title, scorer="lexicon")
        rows = iter(captured)
        statements = []
        for own, lexical in zip(by_model.statements, by_lexicon.statements, strict=True):
            tones = tuple(composition(np.array(next(rows)), value) for value in lexical.target_tones)
            overall = sum(tones) / len(tones) if tones else lexical.tone
            statements.append(dataclasses.replace(own, target_tones=tones, tone=overall))
        return dataclasses.replace(by_model, statements=statements)

    return analyze


def seed_study(slope: float, bias: float, chosen: float) -> None:
    def pool(weight: float) -> Composition:
        def composed(probabilities: np.ndarray, compound: float) -> float:
            lexical = lexicon_probabilities(np.array([compound]), slope, bias)[0]
            mixed = (1 - weight) * probabilities + weight * lexical
            return float(mixed[2] - mixed[0])

        return composed

    def cascade(probabilities: np.ndarray, compound: float) -> float:
        return compound if probabilities.argmax() == 1 else float(probabilities[2] - probabilities[0])

    compositions = {f"pool, lexicon weight {w:.1f}": pool(w) for w in sorted({0.0, chosen, 0.5, 1.0})}
    compositions["cascade"] = cascade
    for name, composition in compositions.items():
        result = evaluate.evaluate_seed(SEED_GOLD, analyze=composed_analyzer(composition))
        wrong = [d["id"] for d in result["details"] if d["tone_correct"] is False]  # type: ignore[index]
        print(f"seed, {name}: tone {result['tone_correct']}/{result['tone_scored']}, wrong {', '.join(wrong)}")
    for scorer in ("model", "lexicon"):
        result = evaluate.evaluate_seed(SEED_GOLD, scorer=scorer)
        print(f"seed, {scorer} scorer as shipped: tone {result['tone_correct']}/{result['tone_scored']}")


def talks_convention() -> None:
    partner = re.compile(r"\b(talks?|dialogue|negotiat\w*|meet\w*|summit)\s+with\s+(the\s+)?$", re.IGNORECASE)
    items = evaluate.read_newsmtsc(NEWSMTSC, "train")
    counts = Counter(i.gold for i in items if partner.search(i.sentence[: i.start]))
    print(f"NewsMTSC train, targets that are the partner of talks: {dict(counts)}")


def main() -> None:
    if not NEWSMTSC.is_file() or not SEED_GOLD.is_file():
        sys.exit(f"needs {NEWSMTSC} and {SEED_GOLD}")
    slope, bias, chosen = newsmtsc_study()
    seed_study(slope, bias, chosen)
    talks_convention()


if __name__ == "__main__":
    main()
