"""Article -> statements: parse, extract, resolve speakers and targets, date, score.

The public entry points are re-exported by `analysis` (`analyze_text`,
`analyze_article`, `analyze_file`).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import actors, dating, nlp, statements, tone
from .actors import EntityMention, Registry, Resolved, SpeakerResolver
from .ingest import article_id, load, load_text
from .models import Article, ArticleAnalysis, Statement
from .statements import Block, Extracted
from .textprep import article_body, parse_date

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

# Object pronouns inside content that point at someone outside it ("wished him health").
OBJECT_PRONOUNS = frozenset({"him", "her", "them"})

# ------------------------------------------------------------------ limits (README "Limits")

MAX_ANALYSED_CHARS = 1_000_000
"""Characters of one article that are parsed: spaCy's own default `nlp.max_length`, which its
documentation sets because the parser needs about 1 GB of working memory per 100,000 characters
parsed at once. Ten times the longest UN General Debate speech; what lies beyond is not analysed,
and `ArticleAnalysis.limits` says so."""
MAX_BATCH_CHARS = 50_000
"""Characters handed to spaCy in one batch. spaCy batches by document count (32 here); 32
paragraphs of 10,000 characters (statements.MAX_BLOCK_CHARS) took 1.1 GB at peak where batches of
at most this many characters took 0.35 GB, at the same speed (measured by hand when this limit was
set; bench/bench_limits.py reports the peak memory of the largest inputs accepted)."""
MAX_BATCH_DOCS = 32
MAX_UNPUNCTUATED_CHARS = 2_000
"""A paragraph (or 10,000-character piece of one) longer than this with no full stop, question or
exclamation mark is machine output (a keyword dump, a table flattened to one line), not sentences:
parsing it cost 30 s per million characters and yields no statement a reader would recognise. The
longest sentence among the PolNeAR and UN General Debate texts is under 1,500 characters. Left out,
and reported in `limits`."""
MAX_STATEMENTS = 20_000
"""Statements kept per article, in text order; a speech or transcript of a million characters
holds about 10,000 sentences, so this only cuts machine-made text. Reported in `limits`."""


_SENTENCE_END = re.compile(r"[.!?…。！？]")


def _unpunctuated(block: Block) -> bool:
    return len(block.text) > MAX_UNPUNCTUATED_CHARS and not _SENTENCE_END.search(block.text)


class _Parsed:
    """The parsed paragraphs of one article, found by character offset."""

    def __init__(self, pairs: list[tuple[Block, Doc]]) -> None:
        self.pairs = pairs
        self._starts = [block.start for block, _ in pairs]

    def span(self, start: int, end: int) -> Span | None:
        """The tokens of article.text[start:end], if that lies in one parsed paragraph."""
        index = bisect.bisect_right(self._starts, start) - 1
        if index < 0:
            return None
        block, doc = self.pairs[index]
        if end > block.end:
            return None
        span = doc.char_span(start - block.start, end - block.start, alignment_mode="expand")
        return span if span is not None and len(span) else None


def _parse(article: Article, first_person: bool, limits: list[str]) -> list[tuple[Block, Doc]]:
    """Parse the paragraphs that can hold a statement (all of them in a speech or transcript), up
    to MAX_ANALYSED_CHARS of them; a cut is noted in `limits`."""
    blocks = statements.blocks_of(article.text, article.headings)
    if not first_person:
        blocks = [block for block in blocks if statements.may_hold_statement(block.text)]
    readable: list[Block] = []
    unpunctuated: list[Block] = []
    for block in blocks:
        (unpunctuated if _unpunctuated(block) else readable).append(block)
    blocks = readable
    if unpunctuated:
        limits.append(
            f"{len(unpunctuated):,} paragraph(s) of more than {MAX_UNPUNCTUATED_CHARS:,} characters without "
            f"a full stop, question or exclamation mark ({sum(len(block.text) for block in unpunctuated):,} "
            f"characters, from offset {unpunctuated[0].start:,}) were not analysed"
        )
    kept: list[Block] = []
    total = 0
    for block in blocks:
        total += len(block.text)
        if total > MAX_ANALYSED_CHARS:
            limits.append(
                f"only the first {MAX_ANALYSED_CHARS:,} characters of paragraphs that may hold statements were "
                f"analysed; the rest, from offset {block.start:,} of {len(article.text):,}, was not"
            )
            break
        kept.append(block)
    pipeline = nlp.english()
    parsed: list[tuple[Block, Doc]] = []
    for batch in _batches(kept):
        docs = pipeline.pipe((block.text for block in batch), batch_size=MAX_BATCH_DOCS)
        parsed.extend(zip(batch, docs, strict=True))
    return parsed


def _batches(blocks: list[Block]) -> Iterator[list[Block]]:
    """Runs of blocks of at most MAX_BATCH_CHARS characters together (or one longer block)."""
    batch: list[Block] = []
    size = 0
    for block in blocks:
        if batch and size + len(block.text) > MAX_BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(block)
        size += len(block.text)
    if batch:
        yield batch


def _persons(parsed: list[tuple[Block, object]], reg: Registry) -> list[tuple[int, int, str]]:
    found = []
    for block, doc in parsed:
        for entity in doc.ents:  # type: ignore[attr-defined]
            if entity.label_ == "PERSON" and reg.lookup(entity.text) is None:
                found.append((block.start + entity.start_char, block.start + entity.end_char, entity.text))
    return found


def _frame(text: str, item: Extracted) -> tuple[str, int]:
    """The statement's sentence with its content blanked, and the cue's offset in it."""
    start, end = item.sentence_start, item.sentence_end
    sentence = text[start:end]
    left = max(item.content_start - start, 0)
    right = min(item.content_end - start, len(sentence))
    if right > left:
        sentence = sentence[:left] + " " * (right - left) + sentence[right:]
    return sentence, item.cue_start - start


def _targets(
    text: str,
    item: Extracted,
    speaker: Resolved,
    mentions: list[EntityMention],
    resolver: SpeakerResolver,
    mention_starts: list[int],
) -> list[tuple[Resolved, int, int]]:
    """Actors the content is about, each with its first mention's span, without the speaker.

    mention_starts: the `start` of each mention (mentions are in text order), to look up the
    content's mentions by bisection rather than scanning all of them for every statement."""
    found: dict[str, tuple[Resolved, int, int]] = {}
    first = bisect.bisect_left(mention_starts, item.content_start)
    last = bisect.bisect_left(mention_starts, item.content_end, lo=first)
    for mention in mentions[first:last]:
        if item.content_start <= mention.start and mention.end <= item.content_end:
            actor = mention.actor
            if actor.kind == "place" and actor.side is None:
                continue
            found.setdefault(actor.name, (Resolved(actor.name, actor.side, "name", actor), mention.start, mention.end))
    content = text[item.content_start : item.content_end]
    for role in actors._ROLE_PHRASE.finditer(content):
        if "counterpart" in role.group(0).lower() and speaker.actor is not None:
            actor = actors.resolve_role_phrase(role.group(0), resolver.published, resolver.reg, speaker.actor)
            if actor is not None:
                start, end = item.content_start + role.start(), item.content_start + role.end()
                found.setdefault(actor.name, (Resolved(actor.name, actor.side, "role", actor), start, end))
    for offset, pronoun in _pronouns(content):
        resolved = resolver._recent(
            item.content_start + offset,
            lambda r, p=pronoun: (
                r.actor is not None
                and r.name != speaker.name
                and actors._gender_fits(r.actor, p)
                and (p not in ("him", "her") or r.actor.is_person)
            ),
        )
        if resolved is not None:
            start = item.content_start + offset
            found.setdefault(
                resolved.name,
                (Resolved(resolved.name, resolved.side, "pronoun", resolved.actor), start, start + len(pronoun)),
            )
    found.pop(speaker.name, None)
    return sorted(found.values(), key=lambda target: target[1])


def _pronouns(content: str) -> Iterator[tuple[int, str]]:
    for match in _OBJECT_PRONOUN_RE.finditer(content):
        yield match.start(), match.group(1).lower()


_OBJECT_PRONOUN_RE = re.compile(r"\b(" + "|".join(sorted(OBJECT_PRONOUNS)) + r")\b", re.IGNORECASE)


def _score(
    article: Article, item: Extracted, targets: list[tuple[Resolved, int, int]], parsed: _Parsed
) -> tuple[tone.Explained, list[Span | None], tuple[float, ...], float]:
    """The statement's lexicon tone with its drivers (article offsets), each target's parsed
    span and lexicon tone toward it, and the stance from the cue and the main verb."""
    content = article.text[item.content_start : item.content_end]
    explained = tone.lexicon_scorer().explain(content)
    drivers = tuple((item.content_start + s, item.content_start + e, v) for s, e, v in explained.drivers)
    spans = [parsed.span(start, end) for _resolved, start, end in targets]
    lexicon_tones = tuple(
        round(tone.tone_toward_span(span), 4) if span is not None else explained.compound for span in spans
    )
    lemmas = []
    cue = parsed.span(item.cue_start, item.cue_end) if item.cue_end > item.cue_start else None
    if cue is not None:
        lemmas.append(cue.root.lemma_)
    body = parsed.span(item.content_start, item.content_end)
    if body is not None:
        lemmas.append(body.root.lemma_)
    return tone.Explained(explained.compound, drivers), spans, lexicon_tones, tone.stance_of(lemmas)


def _model_targets(
    article: Article, item: Extracted, targets: list[tuple[Resolved, int, int]], spans: list[Span | None]
) -> list[tuple[str, int, int]]:
    """Each target as (sentence, start, end) for the model: its parsed sentence, else the content."""
    found = []
    for (_resolved, start, end), span in zip(targets, spans, strict=True):
        if span is not None:
            sentence = span.sent
            found.append((sentence.text, span.start_char - sentence.start_char, span.end_char - sentence.start_char))
        else:
            found.append(
                (
                    article.text[item.content_start : item.content_end],
                    start - item.content_start,
                    end - item.content_start,
                )
            )
    return found


def _frame_counterpart(
    item: Extracted, speaker: Resolved, mentions: list[EntityMention], mention_starts: list[int]
) -> tuple[int, int] | None:
    """For a statement about no one: the first actor of another side named in its sentence
    outside the content ("Putin responded to [Biden]'s statements by saying that ..."), whom
    the statement answers or addresses; None when the frame names no such actor."""
    if speaker.side is None:
        return None
    first = bisect.bisect_left(mention_starts, item.sentence_start)
    last = bisect.bisect_left(mention_starts, item.sentence_end, lo=first)
    for mention in mentions[first:last]:
        inside = item.content_start <= mention.start < item.content_end
        side = mention.actor.side
        if not inside and mention.end <= item.sentence_end and side is not None and side != speaker.side:
            return mention.start, mention.end
    return None


def _speech_items(
    article: Article, parsed: list[tuple[Block, object]], items: list[Extracted], turns: list[statements.Turn]
) -> list[Extracted]:
    """Sentences of a first-person document (declared speaker or transcript turns) as statements."""
    if not turns and not article.speaker:
        return []
    taken = [(i.content_start, i.content_end) for i in items]
    extra = []
    for block, doc in parsed:
        for sentence in doc.sents:  # type: ignore[attr-defined]
            start = block.start + sentence.start_char
            end = block.start + sentence.end_char
            if any(s < end and start < e for s, e in taken):
                continue
            turn = next((t for t in turns if t.start <= start < t.end or t.label_start <= start < t.start), None)
            if turns and turn is None:
                continue
            if turn is not None and start < turn.start:
                start = turn.start  # the label is not what was said
                if start >= end:
                    continue
            if not any(ch.isalpha() for ch in article.text[start:end]):
                continue
            kind = "question" if (turn is not None and turn.is_question) else "speech"
            extra.append(
                Extracted(
                    content_start=start,
                    content_end=end,
                    source=None,
                    cue="",
                    cue_start=start,
                    cue_end=start,
                    kind=kind,
                    sentence_start=start,
                    sentence_end=end,
                    turn_label=turn.label if turn is not None else None,
                )
            )
    return extra


def _turn_speaker(label: str, article: Article, resolver: SpeakerResolver, at: int) -> Resolved:
    """ "THE PRESIDENT" -> the declared speaker; "MR PRICE" -> Ned Price; "Q" -> a journalist."""
    lowered = label.lower().replace(".", "")
    if lowered in statements.QUESTION_LABELS:
        return Resolved("journalist", None, "turn")
    declared = resolver.resolve(article.speaker, at) if article.speaker else None
    if declared is not None and (lowered.startswith("the ") or lowered in ("president",)):
        title = resolver.reg.title_in(lowered)
        if declared.actor is None or title is None or title in declared.actor.titles_on(article.published):
            return Resolved(declared.name, declared.side, "turn", declared.actor)
    resolved = resolver.resolve(label.title(), at)
    if resolved.resolution == "unknown" and declared is not None and declared.actor is not None:
        surname = declared.actor.name.split()[-1].lower()
        if surname in lowered:
            return Resolved(declared.name, declared.side, "turn", declared.actor)
    return Resolved(
        resolved.name, resolved.side, "turn" if resolved.resolution != "unknown" else "unknown", resolved.actor
    )


FIRST_PERSON = frozenset({"i", "we"})
# Rules whose content is an object or an aim, not words: "we defend X", "I want to Y".
ACT_RULES = frozenset({"object", "prepositional", "infinitive", "judgement"})


def _own_act(item: Extracted) -> bool:
    source = item.source
    return source is not None and source.is_pronoun and source.head.lower() in FIRST_PERSON and item.rule in ACT_RULES


def _first_person_speaker(
    item: Extracted,
    turns: list[statements.Turn],
    article: Article,
    resolver: SpeakerResolver,
    declared: Resolved | None,
) -> Resolved | None:
    """ "I said", "we want" in a speech or a transcript turn: whoever is speaking there."""
    turn = next((t for t in turns if t.start <= item.cue_start < t.end), None)
    if turn is not None:
        return _turn_speaker(turn.label, article, resolver, item.content_start)
    if declared is not None and not turns:
        return Resolved(declared.name, declared.side, "declared", declared.actor)
    return None


def analyze_article(article: Article, scorer: str | None = None) -> ArticleAnalysis:
    """Every statement of an article with its speaker, side, targets, date and tone.

    scorer: "model" or "lexicon" for the tones (None: the model when installed, see
    `analysis.tone.default_scorer`); `drivers` always come from the lexicon scorer.
    """
    scorer = scorer or tone.default_scorer()
    if scorer not in tone.available_scorers():
        raise ValueError(f"tone scorer {scorer!r} is not available: {', '.join(tone.available_scorers())}")
    reg = actors.registry()
    turns = statements.find_turns(article.text, article.headings)
    first_person = bool(article.speaker) or bool(turns)
    limits: list[str] = []
    parsed = _parse(article, first_person, limits)
    parsed_index = _Parsed(parsed)
    items = statements.extract_blocks(parsed)
    if first_person:
        # "We will defend our country" in a speech is the speaker's own sentence, not a report
        # with "our country" as its content: only what the speaker reports saying stays a report.
        items = [item for item in items if not _own_act(item)]
    items = sorted(items + _speech_items(article, parsed, items, turns), key=lambda i: (i.content_start, i.content_end))
    if len(items) > MAX_STATEMENTS:
        limits.append(
            f"only the first {MAX_STATEMENTS:,} of {len(items):,} statements were kept; the rest, from offset "
            f"{items[MAX_STATEMENTS].content_start:,}, were left out"
        )
        items = items[:MAX_STATEMENTS]
    # Mentions only up to the end of the last paragraph parsed: speakers are found looking back and
    # targets inside statements, so nothing later is needed, and a 20 MB text past the parsing cap
    # spent minutes matching names in text never analysed (bench/bench_limits.py).
    horizon = max((block.end for block, _doc in parsed), default=0)
    mentions = actors.find_mentions(article.text, article.published, reg, end=horizon)
    mention_starts = [mention.start for mention in mentions]
    resolver = SpeakerResolver(article.text, article.published, reg, mentions, _persons(parsed, reg))
    declared = resolver.resolve(article.speaker, 0) if article.speaker else None
    pending: list[
        tuple[Extracted, Resolved, list[tuple[Resolved, int, int]], tone.Explained, tuple[float, ...], float, bool]
    ] = []
    model_targets: list[tuple[str, int, int]] = []
    unresolved: list[str] = []
    for item in items:
        if item.turn_label is not None:
            speaker = _turn_speaker(item.turn_label, article, resolver, item.content_start)
        elif item.kind == "speech" and declared is not None:
            speaker = Resolved(declared.name, declared.side, "declared", declared.actor)
        elif (
            item.source is not None
            and item.source.is_pronoun
            and item.source.head.lower() in FIRST_PERSON
            and (first_person_speaker := _first_person_speaker(item, turns, article, resolver, declared))
        ):
            speaker = first_person_speaker
        elif item.source is not None:
            speaker = resolver.resolve(
                item.source.text,
                item.source.start,
                is_pronoun=item.source.is_pronoun,
                appositive=item.source.appositive,
            )
            if speaker.resolution == "unknown" and item.source.text not in unresolved:
                unresolved.append(item.source.text)
        else:
            speaker = Resolved("", None, "unknown")
        resolver.remember(item.source.start if item.source else item.content_start, speaker)
        targets = _targets(article.text, item, speaker, mentions, resolver, mention_starts)
        explained, spans, target_tones, stance = _score(article, item, targets, parsed_index)
        counterpart = None
        if scorer == "model":
            model_targets.extend(_model_targets(article, item, targets, spans))
            if not targets and (found := _frame_counterpart(item, speaker, mentions, mention_starts)):
                counterpart = parsed_index.span(*found)
                if counterpart is not None:
                    sentence = counterpart.sent
                    model_targets.append(
                        (
                            sentence.text,
                            counterpart.start_char - sentence.start_char,
                            counterpart.end_char - sentence.start_char,
                        )
                    )
        pending.append((item, speaker, targets, explained, target_tones, stance, counterpart is not None))
    # All targets of the article go to the model in one batched call.
    model_tones = iter(tone.score_targets("model", model_targets)) if model_targets else iter(())
    results: list[Statement] = []
    for item, speaker, targets, explained, lexicon_tones, stance, answers in pending:
        if scorer == "model":
            target_tones = tuple(next(model_tones).compound for _ in targets)
            # The statement's tone: the mean of its target tones; a statement about no one, the
            # model's tone toward the other side's actor its frame names, else the lexicon's
            # tone (chosen on the seed gold, see the model card).
            if target_tones:
                overall = round(sum(target_tones) / len(target_tones), 4)
            elif answers:
                overall = next(model_tones).compound
            else:
                overall = explained.compound
        else:
            target_tones, overall = lexicon_tones, explained.compound
        frame, cue_offset = _frame(article.text, item)
        results.append(
            Statement(
                content_start=item.content_start,
                content_end=item.content_end,
                source_start=item.source.start if item.source else None,
                source_end=item.source.end if item.source else None,
                cue=item.cue,
                kind=item.kind,
                speaker=speaker.name or None,
                speaker_side=speaker.side,
                resolution=speaker.resolution,
                targets=tuple(t.name for t, _, _ in targets),
                target_sides=tuple(t.side for t, _, _ in targets),
                target_tones=target_tones,
                said_on=dating.said_on(frame, article.published, cue_offset),
                tone=overall,
                tone_label=tone.label(overall, tone.threshold(scorer)),
                stance=stance,
                mixed_signals=tone.mixed_signals(overall, stance),
                drivers=explained.drivers,
            )
        )
    if limits:
        log.warning("%s: %s", article.origin, "; ".join(limits))
    return ArticleAnalysis(article, results, unresolved, tuple(limits))


def analyze_text(
    text: str,
    published: date | str | None = None,
    title: str | None = None,
    speaker: str | None = None,
    scorer: str | None = None,
) -> ArticleAnalysis:
    """`analyze_article` on text in hand. Text with nothing in it gives no statements, not an error."""
    # "Nothing in it" as ingest measures it: invisible characters read as spaces and trailing site
    # boilerplate is cut (load_text), so "\u200b" or "Source link" alone is empty too; testing only
    # `text.strip()` let them through to load_text, which raised IngestError "empty: no text".
    if not article_body(text).strip():
        empty = Article(
            article_id(text), title, parse_date(published), None, None, None, "pasted text", text, speaker, "und"
        )
        return ArticleAnalysis(empty, [], [])
    return analyze_article(load_text(text, title=title, published=published, speaker=speaker), scorer)


def analyze_file(path: str | Path, scorer: str | None = None) -> list[ArticleAnalysis]:
    """`analyze_article` on every article of a file (any format `analysis.ingest` reads)."""
    return [analyze_article(article, scorer) for article in load(path)]
