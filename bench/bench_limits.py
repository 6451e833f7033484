"""Time and peak memory of the largest inputs the tool accepts, against the bundled sample.

Run: .venv/bin/python bench/bench_limits.py [--only NAME] [--scorer lexicon|model]
     [--timeout SECONDS] [--max-rss-mb MB]

What it measures. Eight inputs, generated here (deterministic, no network, nothing read
from ../shared/data), each at or just under a documented cap (the constants printed at the
top, from analysis/ingest.py, analysis/pipeline.py and analysis/statements.py):

  prose-20mb        20 MB of plain-text news prose (just under ingest.DEFAULT_MAX_BYTES):
                    analysis stops at pipeline.MAX_ANALYSED_CHARS and says so
  unpunctuated-1m   one line of 1,000,000 characters of words with no punctuation: refused
                    paragraph by paragraph (pipeline.MAX_UNPUNCTUATED_CHARS)
  punctuated-1m     one line (one paragraph) of just under 1,000,000 characters of sentences
  statements-25k    25,000 one-sentence statements, ten to a paragraph: over
                    pipeline.MAX_STATEMENTS
  run-on-said       "Lavrov said Russia said NATO said ..." without a full stop, in
                    1,900-character paragraphs (under the unpunctuated cap) to 300,000
                    characters: statements.MAX_CUES_PER_SENTENCE
  html-deep-50k     an HTML page with a few paragraphs inside 50,000 nested <div>s
  zip-1000          a zip of 1,000 small articles (ingest.MAX_ARCHIVE_ENTRIES), all analysed
  jsonl-2000        20 MB of JSON lines, 2,000 articles: ingest only

Each input, and the baseline, runs in a fresh child process (`--child`), so the peak resident
size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, read at the end of the child, KiB on Linux)
is that input's alone. The child imports `analysis`, loads spaCy (`analysis.nlp.english()`) and
the tone scorer, notes its RSS ("loaded"), analyses one short sentence so the actor registry and
lexicons are loaded too (kept out of the timings), then times ingestion
(`analysis.ingest.load_report` on a file the parent wrote) and analysis
(`analysis.pipeline.analyze_article` on every article read). The parent watches each child
and stops it past --timeout seconds (default 420) or --max-rss-mb of resident memory (default
4096): that input is then printed as a FINDING rather than a result, with its ingest time if
ingestion had finished and, as peak, the largest RSS the parent saw (sampled every 0.2 s).

How to read it. The baseline line is the bundled sample article (analysis.SAMPLE_ARTICLE)
through the same path in the same run; "over base" is an input's peak RSS minus the
baseline's peak, i.e. what that input costs beyond a process that has analysed one ordinary
article. "limits" are the `ArticleAnalysis.limits` notes the analysis reported (shortened;
for the zip, how many articles had one), an ingest refusal ("refused: ..."), or the ingest
problems of an archive. Timings are wall-clock seconds; each child's CPU seconds are compared
with its wall time and a note is printed when other processes evidently took the CPU (times
are then high and noisy, the memory figures are not affected). Sizes are in MB of
1024 x 1024 bytes, as ingest counts them.

When first written (lexicon scorer, 2 cores, otherwise idle) the default run took 12.5 minutes
and prose-20mb was stopped by the timeout (over 20 minutes): `actors.find_mentions` ran over the
whole 20 MB text, not only what was parsed, and `actors.SpeakerResolver._recent` rebuilt and
scanned every mention and earlier speaker for each pronoun (punctuated-1m took 176 s). Both were
fixed (mentions up to the last parsed paragraph; a sorted candidate list walked back from the
pronoun): prose-20mb now takes 48 s at 635 MiB peak, punctuated-1m 49 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import SAMPLE_ARTICLE, ingest, statements

MB = 1024 * 1024
WARM_UP = "Kremlin spokesman Dmitry Peskov said on Friday that Russia was ready for talks with the United States."

# ------------------------------------------------------------------ synthetic prose

SPEAKERS = (
    # (first mention, later mention, pronoun)
    ("Russian Foreign Minister Sergei Lavrov", "Lavrov", "He"),
    ("Kremlin spokesman Dmitry Peskov", "Peskov", "He"),
    ("US Secretary of State Antony Blinken", "Blinken", "He"),
    ("US President Joe Biden", "Biden", "He"),
    ("Foreign Ministry spokeswoman Maria Zakharova", "Zakharova", "She"),
    ("Russian President Vladimir Putin", "Putin", "He"),
)
TARGETS = ("the United States", "Russia", "NATO", "Ukraine", "Washington", "Moscow", "the European Union")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLAUSES = (
    "{t} was not interested in dialogue",
    "{t} had broken its promises",
    "{t} must withdraw its troops from the border",
    "relations with {t} had reached their lowest point since the Cold War",
    "{t} was ready to resume talks on strategic stability",
    "sanctions against {t} would only deepen the crisis",
    "{t} had no right to lecture others about democracy",
    "the door to negotiations with {t} remained open",
    "{t} was preparing for the worst",
    "any provocation by {t} would receive a firm response",
)
ACCUSATIONS = (
    "interfering in its internal affairs",
    "spreading disinformation about the crisis",
    "violating the ceasefire",
    "escalating tensions on the border",
    "undermining the arms control regime",
)
QUOTES = (
    "We are preparing for the worst, but we hope for the best",
    "Our patience is not unlimited",
    "There can be no talks under the threat of sanctions",
    "We will respond to any provocation",
    "The door to diplomacy remains open",
    "This is a very bad and unprecedented statement",
    "We have never threatened anyone",
)
BACKGROUND = (
    "Relations between {t} and {u} have fallen to their lowest level in decades.",
    "The talks in Geneva ended without agreement on the security guarantees.",
    "Diplomats from {t} and {u} are expected to meet again next month.",
    "The ambassador of {t} was summoned to the ministry for consultations.",
    "Analysts in {u} expect the sanctions to be extended until the end of the year.",
)


def _sentence(rng: random.Random, speaker: tuple[str, str, str], first: bool) -> str:
    full, surname, pronoun = speaker
    name = full if first else surname
    target, other = rng.sample(TARGETS, 2)
    clause = rng.choice(CLAUSES).format(t=target)
    day = rng.choice(DAYS)
    form = rng.randrange(8)
    if form == 0:
        return f"{name} said that {clause}."
    if form == 1:
        return f"On {day}, {name} told reporters that {clause}."
    if form == 2:
        return f"{name} warned that {target} would pay a heavy price for its actions."
    if form == 3:
        return f"{name} accused {target} of {rng.choice(ACCUSATIONS)}."
    if form == 4:
        return f"“{rng.choice(QUOTES)},” {surname} said."
    if form == 5:
        return f"“{rng.choice(QUOTES)},” said {name}."
    if form == 6:
        return f"{pronoun} added that {clause}."
    return rng.choice(BACKGROUND).format(t=target, u=other)


def _paragraph(rng: random.Random) -> str:
    speaker = rng.choice(SPEAKERS)
    count = rng.randint(2, 5)
    return " ".join(_sentence(rng, speaker, first=index == 0) for index in range(count))


def prose(rng: random.Random, limit_bytes: int, title: str = "Diplomatic tension: a benchmark article") -> str:
    """Paragraphs of news prose, under `limit_bytes` of UTF-8, after a title line."""
    parts = [title]
    size = len(title.encode("utf-8"))
    while True:
        paragraph = _paragraph(rng)
        extra = len(paragraph.encode("utf-8")) + 2
        if size + extra > limit_bytes:
            return "\n\n".join(parts) + "\n"
        parts.append(paragraph)
        size += extra


# ------------------------------------------------------------------ the inputs


def make_prose_20mb(folder: Path) -> Path:
    path = folder / "prose-20mb.txt"
    path.write_text(prose(random.Random(1), ingest.DEFAULT_MAX_BYTES - 4096), encoding="utf-8")
    return path


def make_unpunctuated(folder: Path) -> Path:
    rng = random.Random(2)
    words = ("said", "Russia", "the", "United", "States", "NATO", "Ukraine", "talks", "sanctions", "Lavrov", "border")
    parts: list[str] = []
    size = 0
    while size <= 1_000_000:
        word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    path = folder / "unpunctuated-1m.txt"
    path.write_text(" ".join(parts)[:1_000_000] + "\n", encoding="utf-8")
    return path


def make_punctuated_line(folder: Path) -> Path:
    rng = random.Random(3)
    sentences: list[str] = []
    size = 0
    while True:
        sentence = _sentence(rng, rng.choice(SPEAKERS), first=rng.random() < 0.3)
        if size + len(sentence) + 1 > 999_000:
            break
        sentences.append(sentence)
        size += len(sentence) + 1
    path = folder / "punctuated-1m.txt"
    path.write_text(" ".join(sentences) + "\n", encoding="utf-8")
    return path


def make_statements(folder: Path) -> Path:
    rng = random.Random(4)
    names = [surname for _full, surname, _pronoun in SPEAKERS]
    targets = ("NATO", "Russia", "Ukraine", "Moscow", "Kyiv", "the US")
    verbs = ("was lying", "was ready", "must leave", "would pay", "had lied", "broke its word")
    sentences = [f"{rng.choice(names)} said {rng.choice(targets)} {rng.choice(verbs)}." for _ in range(25_000)]
    paragraphs = [" ".join(sentences[start : start + 10]) for start in range(0, len(sentences), 10)]
    path = folder / "statements-25k.txt"
    path.write_text("Statements\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def make_run_on(folder: Path) -> Path:
    rng = random.Random(5)
    words = (*(surname for _full, surname, _pronoun in SPEAKERS), "Russia", "NATO", "Ukraine", "Washington")
    paragraphs: list[str] = []
    while sum(len(paragraph) + 2 for paragraph in paragraphs) < 300_000:
        chain: list[str] = []
        while len(" ".join(chain)) < 1_880:
            chain.append(f"{rng.choice(words)} said")
        paragraphs.append(" ".join(chain) + " talks had failed")
    path = folder / "run-on-said.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def make_html(folder: Path) -> Path:
    rng = random.Random(6)
    body = "".join(f"<p>{_paragraph(rng)}</p>\n" for _ in range(5))
    html = (
        "<!DOCTYPE html>\n<html><head><title>Deeply nested page</title></head><body>\n"
        + "<div>" * 50_000
        + body
        + "</div>" * 50_000
        + "\n</body></html>\n"
    )
    path = folder / "html-deep-50k.html"
    path.write_text(html, encoding="utf-8")
    return path


def make_zip(folder: Path) -> Path:
    rng = random.Random(7)
    path = folder / "zip-1000.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number in range(1, ingest.MAX_ARCHIVE_ENTRIES + 1):
            text = prose(rng, 1_500, title=f"Article {number}: tension over the talks")
            archive.writestr(f"2021-03-{number % 28 + 1:02d}-article-{number:04d}.txt", text)
    return path


def make_jsonl(folder: Path) -> Path:
    rng = random.Random(8)
    count = 2_000
    per_record = (ingest.DEFAULT_MAX_BYTES - 65_536) // count - 200
    path = folder / "jsonl-2000.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(1, count + 1):
            record = {
                "title": f"Article {number}: tension over the talks",
                "date": f"2021-03-{number % 28 + 1:02d}",
                "source": "benchmark",
                "text": prose(rng, per_record, title=f"Article {number}"),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


INPUTS: dict[str, tuple[Callable[[Path], Path], bool]] = {
    # name: (writer, analysed?)
    "prose-20mb": (make_prose_20mb, True),
    "unpunctuated-1m": (make_unpunctuated, True),
    "punctuated-1m": (make_punctuated_line, True),
    "statements-25k": (make_statements, True),
    "run-on-said": (make_run_on, True),
    "html-deep-50k": (make_html, True),
    "zip-1000": (make_zip, True),
    "jsonl-2000": (make_jsonl, False),
}


# ------------------------------------------------------------------ child


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path: Path, analyse: bool, scorer: str) -> None:
    start = time.perf_counter()
    from analysis import nlp, pipeline, tone

    nlp.english()
    tone.lexicon_scorer()
    if scorer == "model":
        from analysis import tone_model

        tone_model.model()
    result: dict[str, object] = {"load_s": time.perf_counter() - start, "loaded_kb": _rss_kb()}
    pipeline.analyze_article(ingest.load_text(WARM_UP), scorer)
    result["warmed_kb"] = _rss_kb()
    cpu_start = time.process_time()
    wall_start = start = time.perf_counter()
    try:
        report = ingest.load_report(path)
    except ingest.IngestError as error:
        report = None
        result["refused"] = error.reason
    result["ingest_s"] = time.perf_counter() - start
    result["ingest_kb"] = _rss_kb()
    result["articles"] = len(report.articles) if report else 0
    result["problems"] = [f"{problem.record}: {problem.reason}" for problem in report.problems] if report else []
    result["chars"] = sum(len(article.text) for article in report.articles) if report else 0
    print(json.dumps(result), flush=True)  # what the parent reports if it has to stop the analysis
    if analyse and report is not None:
        count, limits = 0, []
        start = time.perf_counter()
        for article in report.articles:
            analysis = pipeline.analyze_article(article, scorer)
            count += len(analysis.statements)
            limits.append(list(analysis.limits))
        result["analysis_s"] = time.perf_counter() - start
        result["statements"] = count
        result["limits"] = limits
    result["cpu_s"] = time.process_time() - cpu_start
    result["wall_s"] = time.perf_counter() - wall_start
    result["peak_kb"] = _rss_kb()
    print(json.dumps(result))


# ------------------------------------------------------------------ parent


def _current_rss_kb(pid: int) -> int:
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(path: Path, analyse: bool, scorer: str, timeout: float, max_rss_kb: int) -> dict:
    """Run one child on `path`; stop it past `timeout` seconds or `max_rss_kb` resident."""
    command = [sys.executable, __file__, "--child", str(path), "--scorer", scorer]
    if not analyse:
        command.append("--ingest-only")
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        watched = 0
        stopped = None
        while process.poll() is None:
            watched = max(watched, _current_rss_kb(process.pid))
            elapsed = time.perf_counter() - start
            if elapsed > timeout:
                stopped = f"stopped after {elapsed:.0f} s (timeout), RSS {watched / 1024:.0f} MiB"
            elif watched > max_rss_kb:
                stopped = f"stopped at RSS {watched / 1024:.0f} MiB after {elapsed:.0f} s (memory cap)"
            if stopped:
                process.kill()
                process.wait()
                out.seek(0)
                lines = out.read().strip().splitlines()
                partial = json.loads(lines[-1]) if lines else {}
                return {**partial, "stopped": stopped, "peak_kb": watched}
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if process.returncode != 0 or not lines:
            tail = err.read().strip().splitlines()[-3:]
            return {"stopped": f"child failed (exit {process.returncode}): {' / '.join(tail)}", "peak_kb": watched}
        return json.loads(lines[-1])


def _short(note: str, width: int = 90) -> str:
    return note if len(note) <= width else note[: width - 3] + "..."


def _limits(result: dict, analysed: bool) -> str:
    if "refused" in result:
        return _short(f"refused: {result['refused']}")
    per_article = result.get("limits", [])
    notes: list[str] = []
    if result["articles"] > 1 or not analysed:
        notes.append(f"{result['articles']:,} articles read{'' if analysed else ' (ingest only)'}")
        limited = [found for found in per_article if found]
        if limited:
            notes.append(f"{len(limited):,} limited, e.g. {limited[0][0]}")
    elif per_article:
        notes.extend(per_article[0])
    problems = result.get("problems", [])
    if problems:
        notes.append(f"{len(problems):,} ingest problem(s), e.g. {problems[0]}")
    return " | ".join(_short(note) for note in notes) or "-"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def _constants() -> list[str]:
    from analysis import pipeline

    rows = (
        ("ingest.DEFAULT_MAX_BYTES", ingest.DEFAULT_MAX_BYTES, f"bytes ({ingest.DEFAULT_MAX_BYTES / MB:.0f} MB)"),
        ("ingest.MAX_ARCHIVE_ENTRIES", ingest.MAX_ARCHIVE_ENTRIES, "files"),
        ("ingest.MAX_ARCHIVE_BYTES", ingest.MAX_ARCHIVE_BYTES, f"bytes ({ingest.MAX_ARCHIVE_BYTES / MB:.0f} MB)"),
        ("pipeline.MAX_ANALYSED_CHARS", pipeline.MAX_ANALYSED_CHARS, "characters"),
        ("pipeline.MAX_UNPUNCTUATED_CHARS", pipeline.MAX_UNPUNCTUATED_CHARS, "characters"),
        ("pipeline.MAX_STATEMENTS", pipeline.MAX_STATEMENTS, "statements"),
        ("pipeline.MAX_BATCH_CHARS", pipeline.MAX_BATCH_CHARS, f"characters (at most {pipeline.MAX_BATCH_DOCS} docs)"),
        ("statements.MAX_BLOCK_CHARS", statements.MAX_BLOCK_CHARS, "characters"),
        ("statements.MAX_CUES_PER_SENTENCE", statements.MAX_CUES_PER_SENTENCE, "cues"),
    )
    return [f"{name:34} {value:>12,} {unit}" for name, value, unit in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(INPUTS), help="run this input only (the baseline always runs)")
    parser.add_argument("--scorer", choices=("lexicon", "model"), default="lexicon")
    parser.add_argument(
        "--timeout", type=float, default=420.0, help="seconds before an input is stopped (default: 420)"
    )
    parser.add_argument("--max-rss-mb", type=float, default=4096.0, help="resident MiB before an input is stopped")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ingest-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, not options.ingest_only, options.scorer)
        return

    print("limits:")
    for line in _constants():
        print(f"  {line}")
    print(f"scorer {options.scorer}; {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.2f}")
    max_rss_kb = int(options.max_rss_mb * 1024)
    names = [options.only] if options.only else list(INPUTS)
    header = (
        f"{'input':17} {'size':>9} {'ingest s':>9} {'analysis s':>10} {'statements':>10} "
        f"{'peak MiB':>9} {'over base':>9}  limits"
    )
    findings: list[str] = []
    noisy: list[str] = []
    total_start = time.perf_counter()
    base = measure(SAMPLE_ARTICLE, True, options.scorer, options.timeout, max_rss_kb)
    if "stopped" in base:
        sys.exit(f"baseline failed: {base['stopped']}")
    base_kb = base["peak_kb"]
    print(
        f"baseline: import analysis + spaCy + {options.scorer} scorer {base['loaded_kb'] / 1024:.0f} MiB "
        f"({base['load_s']:.1f} s); after a one-sentence warm-up {base['warmed_kb'] / 1024:.0f} MiB; "
        f"the sample article's peak {base_kb / 1024:.0f} MiB ('over base' is measured from it)"
    )
    print(header)
    print("-" * len(header))
    rows = [("sample (baseline)", SAMPLE_ARTICLE, base)]
    _print_row(*rows[0], base_kb)
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as folder:
        for name in names:
            writer, analyse = INPUTS[name]
            path = writer(Path(folder))
            result = measure(path, analyse, options.scorer, options.timeout, max_rss_kb)
            _print_row(name, path, result, base_kb)
            if "stopped" in result:
                findings.append(f"{name}: {result['stopped']}")
            elif result["wall_s"] > 5 and result["cpu_s"] < 0.8 * result["wall_s"]:
                noisy.append(f"{name} (CPU {result['cpu_s']:.0f} s of {result['wall_s']:.0f} s wall)")
            path.unlink()
    print(f"total {time.perf_counter() - total_start:.0f} s; load average at end {os.getloadavg()[0]:.2f}")
    if noisy:
        print(f"note: timing looks noisy (other processes took the CPU): {', '.join(noisy)}")
    for finding in findings:
        print(f"FINDING: {finding}")


def _print_row(name: str, path: Path, result: dict, base_kb: int) -> None:
    peak = result["peak_kb"] / 1024
    over = (result["peak_kb"] - base_kb) / 1024
    if "stopped" in result:
        ingested = f"{result['ingest_s']:.2f}" if "ingest_s" in result else "-"
        print(
            f"{name:17} {_size(path):>9} {ingested:>9} {'-':>10} {'-':>10} {peak:>9.0f} {over:>9.0f}  "
            f"{result['stopped']}"
        )
        return
    analysed = "analysis_s" in result
    analysis = f"{result['analysis_s']:.2f}" if analysed else "-"
    count = f"{result['statements']:,}" if analysed else "-"
    print(
        f"{name:17} {_size(path):>9} {result['ingest_s']:>9.2f} {analysis:>10} {count:>10} "
        f"{peak:>9.0f} {over:>9.0f}  {_limits(result, analysed)}"
    )


if __name__ == "__main__":
    main()
