"""Merge two annotators' labels of the stance candidates into data/stance/labels.jsonl.

Run by hand after annotation (see data/stance/README.md):

    .venv/bin/python scripts/stance_labels.py /tmp/stance/candidates.jsonl \
        /tmp/stance/labels_1A.jsonl,/tmp/stance/labels_2A.jsonl,/tmp/stance/labels_3A.jsonl \
        /tmp/stance/labels_1B.jsonl,/tmp/stance/labels_2B.jsonl,/tmp/stance/labels_3B.jsonl \
        data/stance/labels.jsonl

The output holds references into the shared data (file, offsets, sha1 of the sentence), both
annotations, the agreed label (null where the two differ or either said "ambiguous") and the
split. The split is by speech or article file, so no file has sentences on both sides: a file
is in the held-out split when the first hex digit of its path's sha1 is below 6 (about 3 in 8).
Prints the agreement (raw and Cohen's kappa) and the label counts per split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

LABELS = ("negative", "neutral", "positive", "ambiguous")
# Files whose path's sha1 starts with one of these 6 of 16 hex digits are held out.
TEST_DIGITS = "012345"


def split_of(file: str) -> str:
    return "heldout" if hashlib.sha1(file.encode("utf-8")).hexdigest()[0] in TEST_DIGITS else "train"


def read_labels(paths: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for path in paths.split(","):
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if record["label"] not in LABELS:
                raise SystemExit(f"{path}:{number}: unknown label {record['label']!r}")
            if record["id"] in labels:
                raise SystemExit(f"{path}:{number}: {record['id']} labelled twice")
            labels[record["id"]] = record["label"]
    return labels


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two annotators over the same items."""
    total = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[label] * counts_b[label] for label in LABELS) / total**2
    return (observed - expected) / (1 - expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("candidates", type=Path)
    parser.add_argument("first", help="comma-separated label files of the first annotator of each batch")
    parser.add_argument("second", help="comma-separated label files of the second annotator of each batch")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    candidates = [json.loads(line) for line in args.candidates.read_text(encoding="utf-8").splitlines() if line]
    first, second = read_labels(args.first), read_labels(args.second)
    missing = [c["id"] for c in candidates if c["id"] not in first or c["id"] not in second]
    if missing:
        raise SystemExit(f"{len(missing)} candidates lack a label, e.g. {missing[:5]}")
    records = []
    for item in sorted(candidates, key=lambda c: c["id"]):
        pair = [first[item["id"]], second[item["id"]]]
        agreed = pair[0] if pair[0] == pair[1] and pair[0] != "ambiguous" else None
        records.append(
            {
                "id": item["id"],
                "file": item["file"],
                "start": item["start"],
                "end": item["end"],
                "target_start": item["target_start"],
                "target_end": item["target_end"],
                "sha1": item["sha1"],
                "side": item["side"],
                "target_side": item["target_side"],
                "date": item["date"],
                "annotations": pair,
                "label": agreed,
                "split": split_of(item["file"]),
            }
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    a = [r["annotations"][0] for r in records]
    b = [r["annotations"][1] for r in records]
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    print(
        f"{len(records)} items; the annotators agree on {agree} ({agree / len(records):.1%}), kappa {kappa(a, b):.3f}"
    )
    print("first annotator:", dict(Counter(a)), "second:", dict(Counter(b)))
    for split in ("train", "heldout"):
        kept = [r for r in records if r["split"] == split]
        print(
            f"{split}: {len(kept)} items from {len({r['file'] for r in kept})} files, agreed labels "
            f"{dict(Counter(r['label'] for r in kept if r['label']))}"
        )


if __name__ == "__main__":
    main()
