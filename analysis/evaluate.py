"""Scorers for the extractor: the seed gold and PolNeAR (DESIGN.md, "Evaluation definitions").

Both scorers take an injectable analyser `(text, published, title) -> ArticleAnalysis`,
so they can be tested with hand-made statements; by default they call
`analysis.analyze_text`, imported lazily (the spaCy pipeline loads only when needed).

Seed (`seed/gold.json` and the article file beside it): a gold statement is found
when an extracted statement's content covers at least 80 % of the gold `phrase`
span and its speaker (case-insensitive, ignoring a leading "the") and side match;
`said_on` and tone are scored on found statements where the gold is not null /
"ambiguous"; no `not_statements` phrase may share a character with any content.

PolNeAR (`SPLIT/text/NAME.txt`, `SPLIT/attributions/NAME_ANNOTATOR.ann`, brat
standoff; `metadata.tsv` beside the split folders): per article the first `.ann` in
sorted order; each `E` relation with a Content is a gold item (the union of its
Content fragments, `Content2` included: PolNeAR uses it for the second half of a
split quote). Predictions and gold items are matched one-to-one, greedily by the
Dice coefficient of their content character sets, highest first, a match needing
Dice >= 0.5. Counts are summed over the split (micro-average).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import DATA_DIR
from analysis.models import ArticleAnalysis, Statement

if TYPE_CHECKING:
    from spacy.tokens import Span

log = logging.getLogger(__name__)

Analyzer = Callable[[str, date | None, str | None], ArticleAnalysis]
"""(text, published, title) -> the analysis of that text; offsets index `text`."""

Fragments = tuple[tuple[int, int], ...]

COVERAGE_MIN = 0.8
"""Share of the gold phrase's characters a statement's content must cover (DESIGN.md: 80 %)."""

DICE_MIN = 0.5
"""PolNeAR: the Dice coefficient a prediction/gold pair needs to match (DESIGN.md)."""

VADER_NEUTRAL_CUT = 0.05
"""VADER's conventional cut: compound > 0.05 is positive, < -0.05 negative, else neutral."""

INJECTED = "injected"
"""The `model` reported when the caller supplied the analyser."""


# --------------------------------------------------------------------- shared helpers


def _default_analyzer(scorer: str | None = None) -> Analyzer:
    from analysis import analyze_text  # lazy: loads the spaCy pipeline on first use

    def analyze(text: str, published: date | None, title: str | None) -> ArticleAnalysis:
        return analyze_text(text, published=published, title=title, scorer=scorer)

    return analyze


def _model_name() -> str:
    from analysis.nlp import model_name

    return model_name()


def _read_exact(path: Path) -> str:
    """The file decoded as UTF-8 with no newline translation, so offsets match the annotation's."""
    return path.read_bytes().decode("utf-8")


def _offsets_valid(analysis: ArticleAnalysis, text: str) -> bool:
    """Whether the analysis' offsets still index `text`: the ingested text may only lose a tail
    and turn invisible characters into spaces (textprep.blank_invisible), which moves nothing."""
    from .textprep import blank_invisible

    return blank_invisible(text).startswith(analysis.article.text)


def normalize_name(name: str | None) -> str | None:
    """Names compare case-insensitively, ignoring a leading "the" (DESIGN.md)."""
    if name is None:
        return None
    folded = " ".join(name.split()).casefold()
    if folded.startswith("the "):
        folded = folded[4:]
    return folded or None


def tone_label(value: float, scorer: str | None = None) -> str:
    """negative / neutral / positive from a compound score, at the cut of the scorer that made it
    (the default scorer when not named)."""
    from . import tone

    return tone.label(value, tone.threshold(scorer or tone.default_scorer()))


def tone_toward(statement: Statement, side: str | None) -> float:
    """The statement's tone toward `side`: the mean of its target tones for that side, else its overall tone."""
    tones = [
        tone
        for target_side, tone in zip(statement.target_sides, statement.target_tones, strict=False)
        if side is not None and target_side == side
    ]
    return sum(tones) / len(tones) if tones else statement.tone


# --------------------------------------------------------------------- seed gold


def _coverage(statement: Statement, start: int, end: int) -> float:
    """Share of [start, end) inside the statement's content [content_start, content_end)."""
    if end <= start:
        return 0.0
    inside = min(end, statement.content_end) - max(start, statement.content_start)
    return max(inside, 0) / (end - start)


def _phrase_offsets(text: str, phrase: str) -> list[int]:
    offsets: list[int] = []
    at = text.find(phrase)
    while phrase and at != -1:
        offsets.append(at)
        at = text.find(phrase, at + 1)
    return offsets


def evaluate_seed(gold_path: Path, analyze: Analyzer | None = None, scorer: str | None = None) -> dict[str, object]:
    """Score the analyser on the seed article's hand-made gold statements (see the module doc).

    scorer: the tone scorer of the real analyser ("model" or "lexicon"; None: the default)."""
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = _read_exact(gold_path.parent / gold["article"])
    published = date.fromisoformat(gold["published"]) if gold.get("published") else None
    if analyze is None:
        from . import tone

        scorer = scorer or tone.default_scorer()
    analyzer = analyze or _default_analyzer(scorer)
    analysis = analyzer(text, published, None)
    if not _offsets_valid(analysis, text):
        log.warning("the analyser changed the seed text: statement offsets may not index it")
    statements = analysis.statements

    found = said_on_correct = said_on_scored = tone_correct = tone_scored = 0
    details: list[dict[str, object]] = []
    for item in gold["statements"]:
        start, end = item["phrase_start"], item["phrase_end"]
        covering = [s for s in statements if _coverage(s, start, end) >= COVERAGE_MIN]
        speaker = normalize_name(item["speaker"])
        same_speaker = [s for s in covering if normalize_name(s.speaker) == speaker]
        matching = [s for s in same_speaker if s.speaker_side == item["speaker_side"]]
        # The best candidate for the report: a full match, else the closest miss. Ties go to
        # the greater coverage, then the tighter content, then the earlier statement.
        pool = matching or same_speaker or covering
        best = (
            min(pool, key=lambda s: (-_coverage(s, start, end), s.content_end - s.content_start, s.content_start))
            if pool
            else None
        )
        is_found = bool(matching)
        detail: dict[str, object] = {
            "id": item.get("id"),
            "phrase": item.get("phrase"),
            "found": is_found,
            "covered": bool(covering),
            "gold_speaker": item["speaker"],
            "gold_side": item["speaker_side"],
            "gold_said_on": item.get("said_on"),
            "gold_tone": item.get("tone"),
            "content": text[best.content_start : best.content_end] if best else None,
            "speaker": best.speaker if best else None,
            "speaker_side": best.speaker_side if best else None,
            "said_on": best.said_on.isoformat() if best and best.said_on else None,
            "tone": None,
            "said_on_correct": None,
            "tone_correct": None,
        }
        if best is not None:
            detail["tone"] = tone_label(tone_toward(best, item.get("target_side")), scorer)
        if is_found and best is not None:
            found += 1
            if item.get("said_on") is not None:
                said_on_scored += 1
                ok = best.said_on == date.fromisoformat(item["said_on"])
                said_on_correct += ok
                detail["said_on_correct"] = ok
            if item.get("tone") not in (None, "ambiguous"):
                tone_scored += 1
                ok = detail["tone"] == item["tone"]
                tone_correct += ok
                detail["tone_correct"] = ok
        details.append(detail)

    violations: list[dict[str, object]] = []
    for phrase in gold.get("not_statements", []):
        for at in _phrase_offsets(text, phrase):
            violations.extend(
                {"phrase": phrase, "start": at, "end": at + len(phrase), "content": [s.content_start, s.content_end]}
                for s in statements
                if at < s.content_end and s.content_start < at + len(phrase)
            )
    violated = list(dict.fromkeys(str(v["phrase"]) for v in violations))

    return {
        "gold": str(gold_path),
        "model": _model_name() if analyze is None else INJECTED,
        "tone_scorer": scorer if analyze is None else INJECTED,
        "found": found,
        "total": len(gold["statements"]),
        "speaker_side_correct": found,
        "said_on_correct": said_on_correct,
        "said_on_scored": said_on_scored,
        "tone_correct": tone_correct,
        "tone_scored": tone_scored,
        "not_statements_checked": len(gold.get("not_statements", [])),
        "not_statements_violated": violated,
        "not_statements_violations": violations,
        "statements_extracted": len(statements),
        "details": details,
    }


# --------------------------------------------------------------------- PolNeAR: brat standoff


@dataclass(frozen=True)
class GoldAttribution:
    """One PolNeAR attribution (an `E` relation with a Content); spans are (start, end) fragments."""

    content: Fragments
    source: Fragments = ()
    cue: Fragments = ()

    @property
    def content_chars(self) -> frozenset[int]:
        return _chars(self.content)


def _chars(fragments: Fragments) -> frozenset[int]:
    return frozenset(i for start, end in fragments for i in range(start, end))


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ROLE = re.compile(r"^(Content|Source|Cue)\d*$")
"""Roles kept; brat numbers a repeated role (PolNeAR's `Content2`: the second half of a split quote)."""


def parse_brat(ann: str) -> list[GoldAttribution]:
    """The attributions in a PolNeAR `.ann` text, in file order; `E` relations without a Content are skipped.

    A surface text that spans lines continues on the next lines of the file: those
    lines match neither the `T` nor the `E` pattern and are ignored, as are notes (`#`).
    """
    spans: dict[str, Fragments] = {}
    relations: list[tuple[str, str]] = []
    for line in ann.split("\n"):
        if match := _T_LINE.match(line):
            spans[match[1]] = tuple(
                (int(start), int(end)) for start, end in (part.split() for part in match[3].split(";"))
            )
        elif match := _E_LINE.match(line):
            relations.append((match[1], match[2]))
    items: list[GoldAttribution] = []
    for relation_id, arguments in relations:
        roles: dict[str, list[tuple[int, int]]] = {"Content": [], "Source": [], "Cue": []}
        for argument in arguments.split():
            role, _, span_id = argument.partition(":")
            kept = _ROLE.match(role)
            if kept is None:
                continue
            if span_id not in spans:
                log.warning("%s refers to a missing span %s", relation_id, span_id)
                continue
            roles[kept[1]].extend(spans[span_id])
        if roles["Content"]:
            items.append(
                GoldAttribution(
                    content=tuple(sorted(roles["Content"])),
                    source=tuple(sorted(roles["Source"])),
                    cue=tuple(sorted(roles["Cue"])),
                )
            )
    return items


def annotation_file(text_path: Path) -> Path | None:
    """The gold `.ann` of a PolNeAR text: the first in sorted order of `../attributions/NAME_ANNOTATOR.ann`.

    NAME itself contains underscores, so only files whose part after `NAME_` has none count
    (so "a_b_x.ann" belongs to "a_b.txt", not to "a.txt").
    """
    text_path = Path(text_path)
    folder = text_path.parent.parent / "attributions"
    prefix = text_path.stem + "_"
    if not folder.is_dir():
        return None
    candidates = sorted(
        path
        for path in folder.glob("*.ann")
        if path.name.startswith(prefix) and "_" not in path.stem[len(prefix) :] and len(path.stem) > len(prefix)
    )
    return candidates[0] if candidates else None


def read_polnear_article(text_path: Path) -> tuple[str, list[GoldAttribution]]:
    """The text (exact, for offsets) and the gold attributions of one PolNeAR article.

    Raises FileNotFoundError when the article has no `.ann` file.
    """
    text_path = Path(text_path)
    ann = annotation_file(text_path)
    if ann is None:
        raise FileNotFoundError(f"no attributions/{text_path.stem}_*.ann for {text_path}")
    return _read_exact(text_path), parse_brat(ann.read_text(encoding="utf-8"))


def read_metadata(path: Path) -> dict[str, tuple[date | None, str | None]]:
    """PolNeAR's `metadata.tsv`: file name (no `.txt`) -> (publication_date, title)."""
    out: dict[str, tuple[date | None, str | None]] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            raw_date = (row.get("publication_date") or "").strip()
            try:
                published = date.fromisoformat(raw_date) if raw_date else None
            except ValueError:
                published = None
            title = (row.get("title") or "").strip()
            out[row["filename"]] = (published, title if title and title != "None" else None)
    return out


# --------------------------------------------------------------------- PolNeAR: matching and scoring


def dice(a: Collection[int], b: Collection[int]) -> float:
    """2 |a ∩ b| / (|a| + |b|); 0 when both are empty."""
    total = len(a) + len(b)
    if not total:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return 2 * sum(1 for i in small if i in large) / total


def match_greedy(
    pred_sets: Sequence[Collection[int]], gold_sets: Sequence[Collection[int]], threshold: float = DICE_MIN
) -> list[tuple[int, int, float]]:
    """One-to-one matching of predictions to gold by Dice of character sets, highest first.

    Returns (pred index, gold index, dice) for each match, in the order taken; a pair
    needs dice >= threshold. Ties go to the lower prediction, then the lower gold index.
    Only pairs whose character ranges overlap are scored.
    """
    preds = [s if isinstance(s, set | frozenset) else frozenset(s) for s in pred_sets]
    golds = [s if isinstance(s, set | frozenset) else frozenset(s) for s in gold_sets]
    gold_ranges = sorted((min(g), max(g), j) for j, g in enumerate(golds) if g)
    pairs: list[tuple[float, int, int]] = []
    for i, pred in enumerate(preds):
        if not pred:
            continue
        low, high = min(pred), max(pred)
        for gold_low, gold_high, j in gold_ranges:
            if gold_low > high:
                break
            if gold_high < low:
                continue
            score = dice(pred, golds[j])
            if score >= threshold and score > 0:
                pairs.append((score, i, j))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matches: list[tuple[int, int, float]] = []
    for score, i, j in pairs:
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        matches.append((i, j, score))
    return matches


def _source_hit(statement: Statement, gold: GoldAttribution) -> bool:
    """Whether the predicted source span shares at least one character with a gold Source fragment."""
    start, end = statement.source_start, statement.source_end
    if start is None or end is None or start >= end:
        return False
    return any(start < gold_end and gold_start < end for gold_start, gold_end in gold.source)


def _metadata_for(folder: Path) -> dict[str, tuple[date | None, str | None]]:
    for candidate in (folder / "metadata.tsv", folder.parent / "metadata.tsv"):
        if candidate.is_file():
            return read_metadata(candidate)
    log.warning("no metadata.tsv in %s or its parent: articles are analysed without dates", folder)
    return {}


def evaluate_polnear(
    folder: Path,
    analyze: Analyzer | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """Score the analyser on a PolNeAR split folder (`text/`, `attributions/`); see the module doc.

    `limit` keeps the first N text files in sorted file-name order (articles without a
    `.ann` among them are skipped, and counted); `progress(done, total)` is called after each.
    """
    folder = Path(folder)
    texts = sorted((folder / "text").glob("*.txt"), key=lambda path: path.name)
    if limit is not None:
        texts = texts[:limit]
    metadata = _metadata_for(folder)
    analyzer = analyze or _default_analyzer()

    articles = skipped = predicted = gold_total = matched = speaker_scored = speaker_correct = 0
    text_mismatch = 0
    seconds = 0.0
    per_article: list[dict[str, object]] = []
    for done, text_path in enumerate(texts, start=1):
        ann = annotation_file(text_path)
        if ann is None:
            skipped += 1
        else:
            text, gold = _read_exact(text_path), parse_brat(ann.read_text(encoding="utf-8"))
            published, title = metadata.get(text_path.stem, (None, None))
            started = time.perf_counter()
            analysis = analyzer(text, published, title)
            seconds += time.perf_counter() - started
            if not _offsets_valid(analysis, text):
                text_mismatch += 1
                log.warning("%s: the analyser changed the text; its offsets may not index it", text_path.name)
            statements = analysis.statements
            matches = match_greedy(
                [frozenset(range(s.content_start, s.content_end)) for s in statements],
                [g.content_chars for g in gold],
            )
            scored = [(statements[i], gold[j]) for i, j, _ in matches if gold[j].source]
            hits = sum(_source_hit(statement, item) for statement, item in scored)
            articles += 1
            predicted += len(statements)
            gold_total += len(gold)
            matched += len(matches)
            speaker_scored += len(scored)
            speaker_correct += hits
            per_article.append(
                {
                    "name": text_path.stem,
                    "annotation": ann.name,
                    "predicted": len(statements),
                    "gold": len(gold),
                    "matched": len(matches),
                    "speaker_scored": len(scored),
                    "speaker_correct": hits,
                }
            )
        if progress is not None:
            progress(done, len(texts))

    precision = matched / predicted if predicted else 0.0
    recall = matched / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {
        "split": folder.name,
        "folder": str(folder),
        "model": (_model_name() if articles else None) if analyze is None else INJECTED,
        "articles": articles,
        "skipped": skipped,
        "predicted": predicted,
        "gold": gold_total,
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "speaker_scored": speaker_scored,
        "speaker_correct": speaker_correct,
        "speaker_accuracy": speaker_correct / speaker_scored if speaker_scored else 0.0,
        "text_mismatch": text_mismatch,
        "seconds_total": seconds,
        "seconds_per_article": seconds / articles if articles else 0.0,
        "per_article": per_article,
    }


# ------------------------------------------------------------------ NewsMTSC tone

NEWSMTSC_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
HELDOUT_MODULUS = 5
HELDOUT_REMAINDER = 4  # DESIGN.md: the held-out split is every line whose 0-based index i has i % 5 == 4


@dataclass(frozen=True)
class ToneItem:
    sentence: str
    start: int
    end: int
    gold: str
    stance: bool = False
    """True: an item of the stance set (the speaker's tone toward the target), not of NewsMTSC
    (how the sentence portrays it); the training script's --stance-cue experiment tells them apart."""


def read_newsmtsc(path: Path, split: str = "heldout") -> list[ToneItem]:
    """Targets of a NewsMTSC JSONL file: "heldout" (i % 5 == 4), "train" (the rest) or "all"."""
    if split not in ("heldout", "train", "all"):
        raise ValueError(f"unknown split {split!r}: heldout, train or all")
    items = []
    with path.open(encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            in_heldout = index % HELDOUT_MODULUS == HELDOUT_REMAINDER
            if (split == "heldout" and not in_heldout) or (split == "train" and in_heldout) or not line.strip():
                continue
            record = json.loads(line)
            for target in record["targets"]:
                items.append(
                    ToneItem(
                        record["sentence_normalized"],
                        int(target["from"]),
                        int(target["to"]),
                        NEWSMTSC_LABELS[float(target["polarity"])],
                    )
                )
    return items


# ------------------------------------------------------------------ the diplomatic stance set

STANCE_LABELS = DATA_DIR / "stance" / "labels.jsonl"
"""Our labels of US and Russian/Soviet speakers' stance toward the other side (data/stance/README.md)."""


class StanceDataError(ValueError):
    """The shared data behind the stance labels is missing or differs from what was labelled."""


def read_stance(shared: Path, split: str = "heldout", labels: Path = STANCE_LABELS) -> list[ToneItem]:
    """The agreed stance labels of `split` ("heldout", "train" or "all") as targets in their
    sentences, read from the shared data folder `shared` (the labels hold only offsets and a
    sha1 of each sentence; the texts stay in the shared folder)."""
    from . import ingest

    if split not in ("heldout", "train", "all"):
        raise ValueError(f"unknown split {split!r}: heldout, train or all")
    texts: dict[str, str] = {}
    items = []
    for number, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), 1):
        record = json.loads(line)
        if record["label"] is None or (split != "all" and record["split"] != split):
            continue
        if record["file"] not in texts:
            path = shared / record["file"]
            try:
                # Offsets index the text as scripts/stance_candidates.py read it: a speech as the
                # app ingests it, a PolNeAR article as Python reads UTF-8 text (PolNeAR's offsets).
                if record["file"].startswith("speeches/"):
                    texts[record["file"]] = ingest.load(path)[0].text
                else:
                    texts[record["file"]] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError, ingest.IngestError) as error:
                raise StanceDataError(f"{path}: cannot read the labelled text ({error})") from None
        sentence = texts[record["file"]][record["start"] : record["end"]].replace("\n", " ")
        if hashlib.sha1(sentence.encode("utf-8")).hexdigest() != record["sha1"]:
            raise StanceDataError(
                f"{labels}:{number}: {shared / record['file']} at {record['start']}-{record['end']} is not "
                "the sentence that was labelled (a different copy of the shared data?)"
            )
        items.append(ToneItem(sentence, record["target_start"], record["target_end"], record["label"], stance=True))
    return items


def evaluate_stance(
    shared: Path, split: str = "heldout", progress: Callable[[int, int], None] | None = None
) -> dict[str, object]:
    """Accuracy and macro-F1 of every scorer on the stance set, beside plain and target-scoped VADER."""
    items = read_stance(shared, split)
    results = _score_items(items, progress)
    return {"labels": str(STANCE_LABELS), "shared": str(shared), "split": split, **results}


def classification_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 over negative / neutral / positive."""
    labels = ("negative", "neutral", "positive")
    f1s = []
    for name in labels:
        tp = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == name and g != name for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == name and p != name for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0
    return {"accuracy": round(accuracy, 4), "macro_f1": round(sum(f1s) / len(f1s), 4)}


def parse_targets(items: list[ToneItem], progress: Callable[[int, int], None] | None = None) -> list[Span | None]:
    """Each target as a span of its parsed sentence; every distinct sentence is parsed once."""
    from . import nlp

    distinct = list(dict.fromkeys(item.sentence for item in items))
    docs = {}
    for done, doc in enumerate(nlp.english().pipe(distinct, batch_size=64), 1):
        docs[doc.text] = doc
        if progress and (done % 500 == 0 or done == len(distinct)):
            progress(done, len(distinct))
    spans: list[Span | None] = []
    for item in items:
        span = docs[item.sentence].char_span(item.start, item.end, alignment_mode="expand")
        spans.append(span if span is not None and len(span) else None)
    return spans


def _score_items(items: list[ToneItem], progress: Callable[[int, int], None] | None) -> dict[str, object]:
    """Every scorer's accuracy and macro-F1 on `items`, beside plain and target-scoped VADER."""
    from . import tone

    gold = [item.gold for item in items]
    spans = parse_targets(items, progress)
    vader = tone.plain_vader()
    lexicon = tone.lexicon_scorer()

    def scoped_vader(item: ToneItem, span: Span | None) -> float:
        if span is None:
            return vader.polarity_scores(tone.normalise(item.sentence))["compound"]
        return tone.tone_toward_span(span, "vader")

    def lexicon_toward(item: ToneItem, span: Span | None) -> float:
        return tone.tone_toward_span(span) if span is not None else lexicon.compound(item.sentence)

    scorers: dict[str, dict[str, float]] = {
        "vader_sentence": classification_scores(
            gold, [tone.label(vader.polarity_scores(i.sentence)["compound"], tone.VADER_THRESHOLD) for i in items]
        ),
        "vader_scoped": classification_scores(
            gold, [tone.label(scoped_vader(i, s), tone.VADER_THRESHOLD) for i, s in zip(items, spans, strict=True)]
        ),
        "lexicon": classification_scores(
            gold, [tone.label(lexicon_toward(i, s)) for i, s in zip(items, spans, strict=True)]
        ),
    }
    for scorer in tone.available_scorers():
        if scorer != "lexicon":
            scorers[scorer] = classification_scores(
                gold,
                [score.label for score in tone.score_targets(scorer, [(i.sentence, i.start, i.end) for i in items])],
            )
    return {
        "targets": len(items),
        "scorers": scorers,
        "lexicon_threshold": tone.LEXICON_THRESHOLD,
        "model": _model_name(),
    }


def evaluate_tone(
    path: Path, split: str = "heldout", progress: Callable[[int, int], None] | None = None
) -> dict[str, object]:
    """Accuracy and macro-F1 of every available scorer of tone toward a target, with plain
    sentence VADER and target-scoped VADER as baselines, in one run."""
    items = read_newsmtsc(path, split)
    return {"file": str(path), "split": split, **_score_items(items, progress)}


# Entries whose words occur at least this often in the NewsMTSC train split are held to the
# data: removing one must not raise macro-F1 there (the tone issue's rule).
LEXICON_MIN_OCCURRENCES = 20


def lexicon_effects(
    path: Path, min_occurrences: int = LEXICON_MIN_OCCURRENCES, progress: Callable[[int, int], None] | None = None
) -> dict[str, object]:
    """For each diplomatic-lexicon entry frequent in NewsMTSC's train split, macro-F1 there
    with and without it. Sentences are parsed once; only targets whose sentence holds the
    entry are scored again."""
    from . import tone

    items = read_newsmtsc(path, "train")
    gold = [item.gold for item in items]
    spans = parse_targets(items, progress)
    entries = tone.read_lexicon()
    full = tone.LexiconScorer(entries)

    def predict(scorer: tone.LexiconScorer, indexes: Iterable[int]) -> dict[int, str]:
        return {
            i: tone.label(
                tone.tone_toward_span(spans[i], lexicon=scorer)
                if spans[i] is not None
                else scorer.compound(items[i].sentence)
            )
            for i in indexes
        }

    base = predict(full, range(len(items)))
    base_f1 = classification_scores(gold, [base[i] for i in range(len(items))])["macro_f1"]
    lowered = [tone.normalise(item.sentence).lower() for item in items]
    rows = []
    for entry in entries:
        pattern = re.compile(r"(?<![\w-])" + re.escape(entry.term) + r"(?![\w-])")
        holding = [i for i, sentence in enumerate(lowered) if pattern.search(sentence)]
        occurrences = len({items[i].sentence for i in holding})
        if occurrences < min_occurrences:
            continue
        without = dict(base)
        without.update(predict(tone.LexiconScorer([e for e in entries if e is not entry]), holding))
        f1_without = classification_scores(gold, [without[i] for i in range(len(items))])["macro_f1"]
        rows.append(
            {
                "term": entry.term,
                "sentences": occurrences,
                "f1_with": base_f1,
                "f1_without": f1_without,
                "ok": f1_without <= base_f1,
            }
        )
    return {"file": str(path), "split": "train", "macro_f1": base_f1, "entries_checked": rows, "model": _model_name()}
