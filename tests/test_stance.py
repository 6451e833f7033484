"""The diplomatic stance set (data/stance/): its file, its reader, and `evaluate stance`."""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from analysis import evaluate
from analysis.cli import main
from tests.conftest import shared_path

LABELS = ("negative", "neutral", "positive", "ambiguous")


def records() -> list[dict]:
    return [json.loads(line) for line in evaluate.STANCE_LABELS.read_text(encoding="utf-8").splitlines()]


def test_every_record_is_well_formed():
    rows = records()
    assert len(rows) == 1474
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row["annotations"]) <= set(LABELS), row["id"]
        first, second = row["annotations"]
        agreed = first if first == second and first != "ambiguous" else None
        assert row["label"] == agreed, row["id"]
        assert {row["side"], row["target_side"]} == {"USA", "RUS"}, row["id"]
        assert 0 <= row["target_start"] < row["target_end"] <= row["end"] - row["start"], row["id"]
        # The split is by file (data/stance/README.md): no file on both sides.
        digit = hashlib.sha1(row["file"].encode("utf-8")).hexdigest()[0]
        assert row["split"] == ("heldout" if digit in "012345" else "train"), row["id"]
        assert not Path(row["file"]).is_absolute() and ".." not in Path(row["file"]).parts


def test_the_split_counts_the_readme_gives():
    agreed = Counter((row["split"], row["label"]) for row in records() if row["label"])
    assert sum(n for (split, _), n in agreed.items() if split == "train") == 979
    assert sum(n for (split, _), n in agreed.items() if split == "heldout") == 433
    assert agreed[("heldout", "neutral")] == 73


@pytest.mark.parametrize(("split", "count"), [("train", 979), ("heldout", 433), ("all", 1412)])
def test_read_stance_joins_every_label_to_its_sentence(split, count):
    items = evaluate.read_stance(shared_path(), split)
    assert len(items) == count
    assert all(item.stance and item.gold in ("negative", "neutral", "positive") for item in items)
    assert all(0 <= item.start < item.end <= len(item.sentence) and "\n" not in item.sentence for item in items)


def write_labels(path: Path, sentence_sha1: str, split: str = "heldout", label: str | None = "negative") -> Path:
    record = {
        "id": "D0001",
        "file": "speeches/speech.txt",
        "start": 0,
        "end": 27,
        "target_start": 0,
        "target_end": 6,
        "sha1": sentence_sha1,
        "side": "RUS",
        "target_side": "USA",
        "date": "1960-09-15",
        "annotations": [label or "neutral", label or "positive"],
        "label": label,
        "split": split,
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


SENTENCE = "Moscow will never yield an inch."[:27]


@pytest.mark.parametrize(
    ("text", "split", "label", "read"),
    [
        # (file text, split asked, label, sentences read)
        (SENTENCE + " More text.", "heldout", "negative", [SENTENCE]),
        ("\ufeff" + SENTENCE + "\r\nMore.", "heldout", "negative", [SENTENCE]),  # BOM and CRLF as ingest reads them
        (SENTENCE + " More text.", "train", "negative", []),  # another split
        (SENTENCE + " More text.", "heldout", None, []),  # no agreed label: used nowhere
    ],
)
def test_read_stance_table(tmp_path, text, split, label, read):
    (tmp_path / "speeches").mkdir()
    (tmp_path / "speeches" / "speech.txt").write_text(text, encoding="utf-8", newline="")
    labels = write_labels(tmp_path / "labels.jsonl", hashlib.sha1(SENTENCE.encode()).hexdigest(), label=label)
    assert [item.sentence for item in evaluate.read_stance(tmp_path, split, labels)] == read


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Washington will never yield.", "is not the sentence that was labelled"),  # a different copy
        (None, "cannot read the labelled text"),  # no such file
    ],
)
def test_read_stance_refuses_data_that_differs(tmp_path, text, message):
    (tmp_path / "speeches").mkdir()
    if text is not None:
        (tmp_path / "speeches" / "speech.txt").write_text(text, encoding="utf-8")
    labels = write_labels(tmp_path / "labels.jsonl", hashlib.sha1(SENTENCE.encode()).hexdigest())
    with pytest.raises(evaluate.StanceDataError, match=message):
        evaluate.read_stance(tmp_path, "heldout", labels)


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="unknown split"):
        evaluate.read_stance(Path(), "test")


def test_evaluate_stance_on_a_folder_without_the_data_says_so(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert main(["evaluate", "stance", str(tmp_path)], out=out, err=err) == 1
    assert "cannot read the labelled text" in err.getvalue() and out.getvalue() == ""


def test_evaluate_stance_held_out_figures():
    report = evaluate.evaluate_stance(shared_path(), "heldout")
    assert report["targets"] == 433
    scorers = report["scorers"]
    assert set(scorers) >= {"vader_sentence", "vader_scoped", "lexicon", "model"}
    # The model, trained on the stance set's train files, beats every word-list scorer on the held-out ones.
    assert scorers["model"]["macro_f1"] > max(scorers[name]["macro_f1"] for name in ("lexicon", "vader_scoped"))
