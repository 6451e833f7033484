"""Targets per second of each tone scorer, and the model's load time and memory.

Run: .venv/bin/python bench/bench_tone_model.py [--targets N]
Uses NewsMTSC's held-out targets from ../shared/data (else targets made from the bundled
sample). Sentences are parsed once beforehand: the lexicon scorer works on the parse, the
model on the raw sentence (2 onnxruntime threads, batches of 32). Memory is the process's
resident set size before and after loading the model (onnxruntime allocates outside Python).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import SAMPLE_ARTICLE, evaluate, nlp, tone, tone_model

NEWSMTSC = Path(__file__).resolve().parents[2] / "shared" / "data" / "newsmtsc" / "train.jsonl"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sample_targets() -> list[tuple[str, int, int]]:
    doc = nlp.english()(SAMPLE_ARTICLE.read_text(encoding="utf-8"))
    return [
        (entity.sent.text, entity.start_char - entity.sent.start_char, entity.end_char - entity.sent.start_char)
        for entity in doc.ents
        if entity.label_ in ("PERSON", "ORG", "GPE")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1000)
    limit = parser.parse_args().targets
    if NEWSMTSC.is_file():
        items = evaluate.read_newsmtsc(NEWSMTSC, "heldout")[:limit]
        targets = [(i.sentence, i.start, i.end) for i in items]
        corpus = f"NewsMTSC held-out, first {len(targets)} targets"
    else:
        targets = (sample_targets() * 50)[:limit]
        corpus = f"targets from the bundled sample ({len(targets)})"
    nlp.english()  # the spaCy model is not part of the tone model's load
    before = rss_mb()
    started = time.perf_counter()
    model = tone_model.load()
    load_seconds = time.perf_counter() - started
    after = rss_mb()
    print(f"corpus: {corpus}")
    print(f"model load: {load_seconds:.2f} s (sha256 checks included), resident memory +{after - before:.0f} MB")

    docs = {s: d for s, d in zip(*_parsed({t[0] for t in targets}), strict=True)}
    spans = [docs[s].char_span(a, b, alignment_mode="expand") for s, a, b in targets]
    model.compounds(targets[:32])  # warm-up
    started = time.perf_counter()
    model.compounds(targets)
    model_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for span, (sentence, _, _) in zip(spans, targets, strict=True):
        tone.tone_toward_span(span) if span is not None else tone.lexicon_scorer().compound(sentence)
    lexicon_seconds = time.perf_counter() - started
    print(f"model scorer:   {len(targets) / model_seconds:8.0f} targets/s (2 threads)")
    print(f"lexicon scorer: {len(targets) / lexicon_seconds:8.0f} targets/s (on the parse)")
    print(f"ratio model / lexicon time: {model_seconds / lexicon_seconds:.1f}")


def _parsed(sentences: set[str]) -> tuple[list[str], list]:
    ordered = sorted(sentences)
    return ordered, list(nlp.english().pipe(ordered, batch_size=64))


if __name__ == "__main__":
    main()
