"""Analysis speed: seconds per article, against parsing every sentence with spaCy.

Run: .venv/bin/python bench/bench_analysis.py [--articles N]
Uses the PolNeAR dev texts in ../shared/data when present (else the bundled sample,
repeated) and prints, per article, the time of the full analysis (extraction, actors,
dating, tone) and of the baseline measured in the same run: the English pipeline over
the whole text, which is what a parse-everything extractor pays before any rule runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import SAMPLE_ARTICLE, analyze_text, nlp

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "dev" / "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=84)
    limit = parser.parse_args().articles
    if DEV.is_dir():
        texts = [path.read_text(encoding="utf-8") for path in sorted(DEV.glob("*.txt"))[:limit]]
        corpus = f"PolNeAR dev ({len(texts)} articles)"
    else:
        texts = [SAMPLE_ARTICLE.read_text(encoding="utf-8")] * min(limit, 20)
        corpus = f"the bundled sample x{len(texts)}"
    english = nlp.english()
    analyze_text(texts[0])  # warm-up: model, registry and lexicon load once
    words = sum(len(text.split()) for text in texts)
    analysed, parsed = [], []
    for text in texts:
        start = time.perf_counter()
        analyze_text(text)
        analysed.append(time.perf_counter() - start)
        start = time.perf_counter()
        english(text)
        parsed.append(time.perf_counter() - start)
    print(f"corpus: {corpus}, {words / len(texts):.0f} words per article; model {nlp.model_name()}")
    for name, times in (("full analysis", analysed), ("baseline: parse everything", parsed)):
        print(
            f"{name:28} {sum(times) / len(times):.3f} s/article (median {statistics.median(times):.3f}, "
            f"max {max(times):.3f})"
        )
    print(f"ratio analysis / baseline: {sum(analysed) / sum(parsed):.2f}")


if __name__ == "__main__":
    main()
