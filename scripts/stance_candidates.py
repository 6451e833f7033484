"""Candidate sentences for the diplomatic stance set: a US or Russian (Soviet) speaker naming the other side.

Run by hand (not in CI) to draw the sentences that annotators label in `data/stance/`:

    .venv/bin/python scripts/stance_candidates.py ../shared/data /tmp/stance/candidates.jsonl

Sources (all under the shared data folder, never copied into the repository):
- the UN General Debate Corpus speeches of USA and RUS (CC0): the whole speech is the delegation's;
- the US presidential speeches 2009-2020 (public domain): the whole speech is the president's;
- PolNeAR train articles (2016 US election news, internal use only): statements the pipeline finds
  whose speaker resolves to one side and whose content names the other (reported speech in news).

A candidate is one sentence of such a speech that names an actor of the other side (data/actors.csv,
on the speech's date), with that first mention as the target. The output holds the sentence text,
its offsets in the file, the target's offsets in the sentence, the sentence before it (context for
the annotator) and a sha1 of the sentence, so that a label can later be joined back to the file
without the text being stored in the repository. Sampling is seeded and stratified by side and decade.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import actors, ingest, nlp, ungdc

OTHER = {"USA": "RUS", "RUS": "USA"}
PRESIDENTIAL_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-.*\.txt$")
# Sentences shorter than this are headings or fragments; longer ones are run-ons of a
# transcript without punctuation that an annotator cannot judge as one act.
MIN_CHARS, MAX_CHARS = 40, 600


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def speeches(shared: Path) -> list[tuple[Path, str, date]]:
    """(file, speaker side, date) of every USA/RUS UN speech and US presidential speech."""
    found = []
    for path, code, year in ungdc.speech_files(shared / "speeches" / "ungdc" / "TXT", lambda p, r: None):
        if code in OTHER:
            found.append((path, code, ungdc.speech_date(year)))
    for path in sorted((shared / "speeches" / "us-presidential" / "data").glob("*.txt")):
        match = PRESIDENTIAL_FILE.match(path.name)
        if match:
            found.append((path, "USA", date(*(int(g) for g in match.groups()))))
    return found


def candidates(path: Path, side: str, on: date, shared: Path, reg: actors.Registry) -> list[dict[str, object]]:
    article = ingest.load(path)[0]
    text = article.text
    other = OTHER[side]
    mentions = [m for m in actors.find_mentions(text, on, reg) if m.actor.side == other]
    if not mentions:
        return []
    found = []
    english = nlp.english()
    # Some UN records are hard-wrapped at about 30 characters: single line breaks are read as
    # spaces (same length, so offsets still index the file) and blank lines end paragraphs.
    flowing = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
    for paragraph in re.finditer(r"[^\n]+", flowing):
        inside = [m for m in mentions if paragraph.start() <= m.start and m.end <= paragraph.end()]
        if not inside:
            continue
        doc = english(paragraph.group(0))
        previous = ""
        for sent in doc.sents:
            start, end = paragraph.start() + sent.start_char, paragraph.start() + sent.end_char
            in_sentence = [m for m in inside if start <= m.start and m.end <= end]
            sentence = text[start:end].replace("\n", " ")
            if in_sentence and MIN_CHARS <= len(sentence) <= MAX_CHARS:
                target = in_sentence[0]
                found.append(
                    {
                        "file": path.relative_to(shared).as_posix(),
                        "side": side,
                        "target_side": other,
                        "date": on.isoformat(),
                        "start": start,
                        "end": end,
                        "target_start": target.start - start,
                        "target_end": target.end - start,
                        "target": target.text,
                        "sentence": sentence,
                        "context": previous,
                        "sha1": sha1(sentence),
                    }
                )
            previous = sentence
    return found


def news_candidates(shared: Path, reg: actors.Registry) -> list[dict[str, object]]:
    """Statements in PolNeAR train articles by a USA or RUS speaker whose content names the other side."""
    from analysis import analyze_text, evaluate

    metadata = evaluate.read_metadata(shared / "polnear" / "metadata.tsv")
    english = nlp.english()
    found = []
    for path in sorted((shared / "polnear" / "train" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"Russia|Putin|Kremlin|Moscow|Soviet", text):
            continue
        published = metadata.get(path.stem, (None, None))[0]
        for statement in analyze_text(text, published=published, scorer="lexicon").statements:
            side = statement.speaker_side
            if side not in OTHER or OTHER[side] not in statement.target_sides:
                continue
            other = OTHER[side]
            inside = [
                m
                for m in actors.find_mentions(text, published, reg, statement.content_start, statement.content_end)
                if m.actor.side == other
            ]
            if not inside:
                continue
            target = inside[0]
            line = next(m for m in re.finditer(r"[^\n]+", text) if m.start() <= target.start < m.end())
            sent = next(s for s in english(line.group(0)).sents if line.start() + s.end_char > target.start)
            start, end = line.start() + sent.start_char, line.start() + sent.end_char
            sentence = text[start:end]
            if not MIN_CHARS <= len(sentence) <= MAX_CHARS or target.end > end:
                continue
            found.append(
                {
                    "file": path.relative_to(shared).as_posix(),
                    "side": side,
                    "speaker": statement.speaker,
                    "target_side": other,
                    "date": published.isoformat() if published else None,
                    "start": start,
                    "end": end,
                    "target_start": target.start - start,
                    "target_end": target.end - start,
                    "target": target.text,
                    "sentence": sentence,
                    "context": "",
                    "sha1": sha1(sentence),
                }
            )
    # One candidate per sentence: a sentence holding two statements is labelled once.
    return list({(item["file"], item["start"]): item for item in found}.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="the shared data folder (with speeches/)")
    parser.add_argument("out", type=Path, help="JSONL of sampled candidates")
    parser.add_argument("--per-stratum", type=int, default=45, help="sentences per side and decade")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--exclude", type=Path, help="a labels.jsonl whose sentences are not drawn again (a second round)"
    )
    parser.add_argument("--first-id", type=int, default=1, help="number of the first id (after an earlier round)")
    args = parser.parse_args()
    drawn: set[tuple[str, int]] = set()
    if args.exclude:
        for line in args.exclude.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            drawn.add((record["file"], record["start"]))
    reg = actors.registry()
    strata: dict[tuple[str, int], list[dict[str, object]]] = defaultdict(list)
    files = speeches(args.shared)
    for number, (path, side, on) in enumerate(files, 1):
        for item in candidates(path, side, on, args.shared, reg):
            if (item["file"], item["start"]) not in drawn:
                strata[(side, on.year // 10 * 10)].append(item)
        print(f"\r{number}/{len(files)} speeches", end="", file=sys.stderr)
    print(file=sys.stderr)
    for item in news_candidates(args.shared, reg):
        if (item["file"], item["start"]) not in drawn:
            strata[(f"news-{item['side']}", 2016)].append(item)
    rng = random.Random(args.seed)
    sample = []
    for key in sorted(strata):
        pool = strata[key]
        print(f"{key[0]} {key[1]}s: {len(pool)} candidates", file=sys.stderr)
        sample.extend(rng.sample(pool, min(args.per_stratum, len(pool))))
    rng.shuffle(sample)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for number, item in enumerate(sample, args.first_id):
            handle.write(json.dumps({"id": f"D{number:04d}", **item}, ensure_ascii=False) + "\n")
    print(f"{len(sample)} candidates -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
