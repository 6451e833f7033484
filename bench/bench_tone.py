"""Tone-layer throughput on statements already parsed, against plain VADER in the same run.

Run: .venv/bin/python bench/bench_tone.py
Takes the statements the pipeline finds in the PolNeAR dev texts (../shared/data; else the
bundled sample, repeated), parses them once, then times on one core:
- plain VADER: `polarity_scores` on each statement's content;
- the lexicon scorer: the statement's tone with its drivers, plus its tone toward each
  target on the spans already parsed (the work the pipeline does per statement).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import SAMPLE_ARTICLE, analyze_text, nlp, tone

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"
ROUNDS = 3


def main() -> None:
    texts = (
        [path.read_text(encoding="utf-8") for path in sorted(DEV.glob("*.txt"))]
        if DEV.is_dir()
        else [SAMPLE_ARTICLE.read_text(encoding="utf-8")] * 20
    )
    contents, targets = [], []
    for text in texts:
        analysis = analyze_text(text)
        for statement in analysis.statements:
            contents.append(analysis.article.text[statement.content_start : statement.content_end])
    english = nlp.english()
    docs = list(english.pipe(contents, batch_size=64))
    for doc in docs:
        targets.append([entity for entity in doc.ents if entity.label_ in ("PERSON", "ORG", "GPE", "NORP")])
    vader = tone.plain_vader()
    lexicon = tone.lexicon_scorer()

    def plain() -> None:
        for content in contents:
            vader.polarity_scores(content)

    def layer() -> None:
        for content, spans in zip(contents, targets, strict=True):
            lexicon.explain(content)
            for span in spans:
                tone.tone_toward_span(span)

    print(f"{len(contents)} statements, {sum(map(len, targets))} targets, from {len(texts)} articles")
    timings = {}
    for name, function in (("plain VADER", plain), ("lexicon tone layer", layer)):
        function()  # warm-up
        best = min(_timed(function) for _ in range(ROUNDS))
        timings[name] = best
        print(f"{name:20} {len(contents) / best:9.0f} statements/s")
    print(f"ratio lexicon layer / plain VADER time: {timings['lexicon tone layer'] / timings['plain VADER']:.2f}")


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
