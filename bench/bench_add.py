"""`add` speed and peak memory with one process (-j 1) against worker processes (-j 2).

Run: .venv/bin/python bench/bench_add.py [--articles N] [--jobs 2] [--scorer lexicon|model]
Articles: a few UN General Debate speeches (declared speaker, ../shared/data/speeches/ungdc) and
the PolNeAR train texts (../shared/data/polnear/train/text), N in all (default 100). Without
the shared data the bench stops with a message (the store keeps one copy of a text, so the
bundled sample repeated would be added once).

Each configuration runs in a fresh child process (`--child`) that adds the articles to a new
temporary store through `analysis.cli.add_articles` (the code of `add -j N`, spaCy loading
included), and reports its wall time and `resource.getrusage` peak resident sizes: its own
(`self`) and the largest of its worker processes (`children`, Linux: kilobytes). The total is
estimated as self + jobs x children: an upper bound, since forked workers share
the parent's pages until they write them.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import ingest, ungdc

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
POLNEAR = SHARED / "polnear" / "train" / "text"
UNGDC = SHARED / "speeches" / "ungdc" / "TXT"
UN_SPEECHES = 4


def articles(count: int) -> list:
    chosen = []
    if UNGDC.is_dir():
        sessions = sorted(UNGDC.glob("Session 7* - *"))[-2:]  # the two latest sessions, a few speeches
        for session in sessions:
            chosen.extend(ungdc.iter_speeches(session, limit=UN_SPEECHES // 2))
    if POLNEAR.is_dir():
        for path in sorted(POLNEAR.glob("*.txt")):
            if len(chosen) >= count:
                break
            chosen.extend(ingest.load(path))
    if len(chosen) < count and UNGDC.is_dir():
        # PolNeAR train has 840 texts: the rest of a larger batch comes from older UN sessions.
        for session in sorted(UNGDC.glob("Session * - *"))[:-2]:
            if len(chosen) >= count:
                break
            chosen.extend(ungdc.iter_speeches(session))
    return chosen[:count]


def child(count: int, jobs: int, scorer: str) -> None:
    from analysis import cli, store

    items = articles(count)
    with tempfile.TemporaryDirectory() as folder, store.Store(Path(folder) / "bench.sqlite") as corpus:
        start = time.perf_counter()
        counts = cli.add_articles(corpus, items, scorer, jobs, io.StringIO())
        seconds = time.perf_counter() - start
    result = {
        "articles": len(items),
        "added": counts.added,
        "failed": len(counts.failed),
        "seconds": seconds,
        "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    print(json.dumps(result))


def measure(count: int, jobs: int, scorer: str) -> dict:
    command = [sys.executable, __file__, "--child", "--articles", str(count), "--jobs", str(jobs), "--scorer", scorer]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes to compare with -j 1 (default: 2)")
    parser.add_argument("--scorer", choices=("lexicon", "model"), default="lexicon")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.articles, options.jobs, options.scorer)
        return
    if not POLNEAR.is_dir() and not UNGDC.is_dir():
        sys.exit(f"no articles: neither {POLNEAR} nor {UNGDC} is present")
    results = {}
    for jobs in (1, options.jobs):
        result = measure(options.articles, jobs, options.scorer)
        results[jobs] = result
        rate = result["added"] / result["seconds"]
        total_mb = (result["self_kb"] + (jobs if jobs > 1 else 0) * result["children_kb"]) / 1024
        print(
            f"-j {jobs}: {result['added']}/{result['articles']} articles in {result['seconds']:.1f} s "
            f"= {rate:.2f} articles/s; peak RSS self {result['self_kb'] / 1024:.0f} MB, "
            f"largest worker {result['children_kb'] / 1024:.0f} MB, total at most {total_mb:.0f} MB"
            f"{'; failed ' + str(result['failed']) if result['failed'] else ''}"
        )
    ratio = results[1]["seconds"] / results[options.jobs]["seconds"]
    print(f"speed-up -j {options.jobs} / -j 1: {ratio:.2f}x ({options.scorer} scorer, spaCy loading included)")


if __name__ == "__main__":
    main()
