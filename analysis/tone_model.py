"""The `model` tone scorer: a fine-tuned MiniLM, int8 ONNX, run with onnxruntime + tokenizers.

The model (`data/models/tone-minilm/`, see its MODEL_CARD.md) reads a sentence with the
target between marker tokens, paired with the target's mention, and gives the
probabilities of negative / neutral / positive tone toward that target. Its compound is
P(positive) - P(negative), in [-1, 1] like VADER's. PyTorch is needed only to train it
(scripts/train_tone_model.py), never here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import DATA_DIR

log = logging.getLogger(__name__)

MODEL_DIR = DATA_DIR / "models" / "tone-minilm"
# Targets per onnxruntime call. One: the int8 model quantises activations per call
# (dynamic quantisation), so in a batch a target's score would depend on its neighbours
# (held-out macro-F1 0.750 alone, 0.756 in eights, 0.753 in 32s). Alone, every target gets
# the same score wherever it is scored, and it is still ~590 targets/s on 2 threads.
BATCH_SIZE = 1
# Two threads: the machines this runs on have two cores.
THREADS = 2


# British spellings -> American ones, as (ending, replacement) of a word. The model learnt its
# tone from NewsMTSC (US outlets) on an uncased WordPiece vocabulary, and English texts from
# Moscow, the UN or Europe spell the British way: "paralysed" is cut into "para ##ly ##sed",
# pieces with no learnt tone (the model read "Washington has paralysed the proper functioning of
# the WTO's dispute settlement mechanism" as positive toward Washington, "paralyzed" as
# negative). Spelling conventions (-yse/-ise, -our, -re, -ence, doubled l), not a word list;
# not "-oured"/"-ouring", which would make "scouring" "scoring".
US_SPELLINGS = (
    ("ysed", "yzed"), ("yses", "yzes"), ("ysing", "yzing"), ("yse", "yze"),
    ("isation", "ization"), ("isations", "izations"), ("ised", "ized"), ("ises", "izes"),
    ("ising", "izing"), ("ise", "ize"),
    ("ours", "ors"), ("ourable", "orable"), ("ourite", "orite"), ("our", "or"),
    ("tres", "ters"), ("tre", "ter"), ("ence", "ense"),
    ("lled", "led"), ("lling", "ling"),
)  # fmt: skip
# Letters a respelt word keeps before its ending: a fragment such as "tence" (of a word split
# across lines) is not respelt "tense".
MIN_STEM = 3
_WORD = re.compile(r"[A-Za-z]+")


def american_spelling(text: str, known: dict[str, int]) -> str:
    """`text` with each word the vocabulary `known` lacks (it would be cut into pieces) spelt the
    American way when that spelling is a word of the vocabulary. Words it knows stay as written
    ("defence", "centre"), and so do words with no known American form."""

    def respell(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in known:
            return word
        for ending, replacement in US_SPELLINGS:
            stem = lowered[: -len(ending)]
            if lowered.endswith(ending) and len(stem) >= MIN_STEM and stem + replacement in known:
                return word[: -len(ending)] + replacement
        return word

    return _WORD.sub(respell, text)


class ModelUnavailableError(RuntimeError):
    """The model files are missing, altered or unreadable; the reason says which."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class ToneModel:
    session: Any
    tokenizer: Any
    config: dict[str, Any]
    load_seconds: float
    _vocabulary: dict[str, int] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.config["labels"])

    @property
    def vocabulary(self) -> dict[str, int]:
        if self._vocabulary is None:
            self._vocabulary = self.tokenizer.get_vocab()
        return self._vocabulary

    def _marked(self, sentence: str, start: int, end: int) -> tuple[str, str]:
        open_mark, close_mark = self.config["open_mark"], self.config["close_mark"]
        before, mention, after = sentence[:start], sentence[start:end], sentence[end:]
        if self.config.get("spelling") == "american":
            before, mention, after = (american_spelling(part, self.vocabulary) for part in (before, mention, after))
        return f"{before}{open_mark} {mention} {close_mark}{after}", mention

    def probabilities(self, targets: list[tuple[str, int, int]], batch_size: int = BATCH_SIZE) -> list[list[float]]:
        """P(negative), P(neutral), P(positive) toward each (sentence, start, end) target."""
        import numpy as np

        results: list[list[float]] = []
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(targets)), key=lambda i: len(targets[i][0]))
        by_index: dict[int, list[float]] = {}
        for first in range(0, len(order), batch_size):
            chunk = order[first : first + batch_size]
            encodings = self.tokenizer.encode_batch([self._marked(*targets[i]) for i in chunk])
            feeds = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
            logits = self.session.run(["logits"], feeds)[0]
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            probabilities = shifted / shifted.sum(axis=1, keepdims=True)
            for index, row in zip(chunk, probabilities.tolist(), strict=True):
                by_index[index] = row
        results = [by_index[i] for i in range(len(targets))]
        return results

    def scores(self, targets: list[tuple[str, int, int]]) -> list[tuple[float, str]]:
        """(P(positive) - P(negative), the most probable label) toward each target."""
        negative, positive = self.labels.index("negative"), self.labels.index("positive")
        return [
            (round(row[positive] - row[negative], 4), self.labels[max(range(len(row)), key=row.__getitem__)])
            for row in self.probabilities(targets)
        ]

    def compounds(self, targets: list[tuple[str, int, int]]) -> list[float]:
        """P(positive) - P(negative) toward each target."""
        return [compound for compound, _label in self.scores(targets)]


def load(model_dir: Path | None = None) -> ToneModel:
    """The model in `model_dir` (default MODEL_DIR), after checking its files against the
    sha256 in its config."""
    started = time.perf_counter()
    model_dir = model_dir or MODEL_DIR
    config_path = model_dir / "config.json"
    if not config_path.is_file():
        raise ModelUnavailableError(f"no tone model installed ({config_path} is missing)")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        files = {"model": model_dir / config["model_file"], "tokenizer": model_dir / config["tokenizer_file"]}
    except (OSError, ValueError, KeyError) as error:
        raise ModelUnavailableError(f"{config_path}: unreadable model configuration ({error})") from None
    for kind, path in files.items():
        if not path.is_file():
            raise ModelUnavailableError(f"tone model file missing: {path}")
        actual = file_sha256(path)
        if actual != config[f"{kind}_sha256"]:
            raise ModelUnavailableError(
                f"{path}: sha256 {actual[:12]}… does not match the model card's; refusing to load it"
            )
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelUnavailableError(f"the tone model needs onnxruntime and tokenizers ({error})") from None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(str(files["model"]), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(files["tokenizer"]))
    except Exception as error:  # onnxruntime raises its own exception types for a broken file
        raise ModelUnavailableError(f"{files['model']}: cannot load the tone model ({error})") from None
    tokenizer.enable_truncation(int(config["max_length"]), strategy="only_first")
    tokenizer.enable_padding()
    return ToneModel(session, tokenizer, config, time.perf_counter() - started)


@lru_cache(maxsize=1)
def _cached() -> tuple[ToneModel | None, str]:
    try:
        model = load()
    except ModelUnavailableError as error:
        log.info("tone model unavailable, using the lexicon scorer: %s", error)
        return None, str(error)
    return model, ""


def model() -> ToneModel | None:
    """The bundled tone model, loaded once per process; None when it cannot be used."""
    return _cached()[0]


def unavailable_reason() -> str:
    """Why the model scorer is not available ("" when it is)."""
    return _cached()[1]
