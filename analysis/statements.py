"""Statement extraction on spaCy's dependency parse.

Finds reported speech (a reporting cue whose clausal complement is the content and
whose subject is the source), direct quotes attached to their cue and speaker,
mixed statements, quotes that continue the last speaker, and the turns of
transcripts. Returns spans only; who the speaker is (actor, side) is decided in
`analysis.actors`, the date in `analysis.dating`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from . import cues
from .textprep import split_lines

# A paragraph longer than this is parsed in pieces: spaCy's memory grows with the
# length of one Doc, and a 1,000-word sentence is already beyond any real statement.
MAX_BLOCK_CHARS = 10_000
# Reporting cues examined in one sentence. Finding a cue's content walks its subtree, so a
# run-on "sentence" of thousands of cues ("X said Y said Z said ...", no full stop) costs the
# square of its length: 340 s for one such line of a million characters. The densest of the
# first 300 PolNeAR train articles has 9 (README "Limits"); cues past this many are skipped.
MAX_CUES_PER_SENTENCE = 24

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "whose"})
# Content marks that PolNeAR and readers leave outside the statement itself.
LEADING_MARKS = frozenset({"that", "whether", "if", ",", ":", "-", "—", "–"})
OPENING_QUOTES = '“"«„'
CLOSING_QUOTES = '”"»“'


@dataclass(frozen=True)
class Mention:
    """A speaker mention: its span in the article, its text and the parse facts that resolve it."""

    start: int
    end: int
    text: str
    head: str
    """The head word ("Peskov", "spokeswoman", "she")."""
    is_pronoun: bool = False
    appositive: str | None = None
    """The apposition naming or describing the same person ("Anatoly Antonov")."""
    entity: str | None = None
    """spaCy's entity label of the head, if any (PERSON, ORG, GPE, NORP)."""


@dataclass(frozen=True)
class Extracted:
    """A statement's spans before its speaker is resolved."""

    content_start: int
    content_end: int
    source: Mention | None
    cue: str
    cue_start: int
    cue_end: int
    kind: str
    sentence_start: int
    sentence_end: int
    turn_label: str | None = None
    embedded: bool = False
    """The cue sits in a relative clause ("a statement in which he said"): a report of its own
    even inside another statement's content."""
    continues: bool = False
    """True for a quote with no cue of its own that continues the last speaker."""
    rule: str = ""
    """Which extraction rule found it (clause, object, quote, colon, ...), for diagnostics."""


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Turn:
    """A speaker turn in a transcript: "MR PRICE: ...", "Q ...", "Vladimir Putin: ..."."""

    label: str
    label_start: int
    label_end: int
    start: int
    end: int
    is_question: bool


# ------------------------------------------------------------------ blocks


def blocks_of(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Block]:
    """Paragraphs (lines) of `text` outside the `skip` spans (headings), cut to MAX_BLOCK_CHARS."""
    skipped = sorted(skip)
    result = []
    for line in split_lines(text):
        stripped = line.text.strip()
        if not stripped:
            continue
        start = line.start + (len(line.text) - len(line.text.lstrip()))
        end = start + len(stripped)
        if any(s <= start and end <= e for s, e in skipped):
            continue
        result.extend(_cut(text, start, end))
    return result


def _cut(text: str, start: int, end: int) -> Iterator[Block]:
    while end - start > MAX_BLOCK_CHARS:
        window = text[start : start + MAX_BLOCK_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_BLOCK_CHARS // 2 else window.rfind(" ")
        if cut <= 0:
            cut = MAX_BLOCK_CHARS
        yield Block(start, start + cut, text[start : start + cut])
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield Block(start, end, text[start:end])


_CUE_WORDS = cues.word_forms(cues.CUE_LEMMAS | {lemma for lemma, _ in cues.PARTICLE_CUES} | {"make"})
_WORD_RE = re.compile(r"[A-Za-z]+")
_TRIGGER_CHARS = frozenset(OPENING_QUOTES + CLOSING_QUOTES + ":")


def may_hold_statement(text: str) -> bool:
    """Can this paragraph hold a statement at all? A cheap test before the costly parse:
    a cue word in any inflection, a quote mark, a colon, or "according"."""
    if any(character in _TRIGGER_CHARS for character in text):
        return True
    return any(word.lower() in _CUE_WORDS or word.lower() == "according" for word in _WORD_RE.findall(text))


# ------------------------------------------------------------------ quotes


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted passages in one paragraph, marks included.

    Curly quotes pair “ with the next ”; straight quotes pair in order. A quote
    left open runs to the end of the paragraph (the convention for a quote that
    continues into the next one).
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    straight_open: int | None = None
    for index, character in enumerate(text):
        if character in "“«„":
            if opened is None:
                opened = index
        elif character in "”»":
            if opened is not None:
                spans.append((opened, index + 1))
                opened = None
        elif character == '"':
            if straight_open is None:
                straight_open = index
            else:
                spans.append((straight_open, index + 1))
                straight_open = None
    for left_open in (opened, straight_open):
        if left_open is not None and len(text) - left_open > 1:
            spans.append((left_open, len(text)))
    # Single curly quotes (headlines, British style) where no double quote encloses them; a ’
    # followed by a letter is an apostrophe ("Putin’s"), not a closing mark.
    for match in _SINGLE_QUOTE_RE.finditer(text):
        if not any(s <= match.start() < e for s, e in spans):
            spans.append(match.span())
    return sorted(spans)


_SINGLE_QUOTE_RE = re.compile(r"(?<![\w’])‘(?=\S)(?:[^‘’]|’(?=\w))+?’(?!\w)")


def _word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# ------------------------------------------------------------------- turns

# "MR PRICE:", "PRESIDENT BIDEN:", "THE PRESIDENT:", "Vladimir Putin:", "QUESTION:", "Q:" or "Q " at a line start.
_TURN_RE = re.compile(
    r"^(?P<label>Q|QUESTION|(?:[A-Z][A-Za-z.'’-]*\.?)(?:[ \t]+(?:[A-Z][A-Za-z.'’-]*|[a-z]{1,3})){0,4})"
    r"(?:[ \t]*:[ \t]+|(?<=^Q)[ \t]+)(?=\S)"
)
QUESTION_LABELS = frozenset({"q", "question", "questioner", "reporter", "journalist", "audience member"})
# A label must be upper case (transcript style) or a known person for "Name Surname:" lines;
# "Note: ...", "Source: ..." and "Update: ..." are not turns.
NON_TURN_LABELS = frozenset(
    {"note", "source", "update", "editor's note", "photo", "related", "read more", "watch", "see also", "credit"}
)


def find_turns(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Turn]:
    """Speaker turns, when the text is a transcript (at least two turn lines)."""
    skipped = list(skip)
    starts = []
    for line in split_lines(text):
        if any(s <= line.start < e for s, e in skipped):
            continue
        match = _TURN_RE.match(line.text)
        if not match:
            continue
        label = match["label"].strip()
        if label.lower() in NON_TURN_LABELS:
            continue
        upper = label.replace(".", "").replace(" ", "").isupper() or label == "Q"
        starts.append((line.start, line.start + match.end("label"), line.start + match.end(), label, upper))
    if len(starts) < 2 or sum(upper for *_, upper in starts) < 2:
        return []
    turns = []
    for index, (label_start, label_end, body_start, label, _upper) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        body_end = body_start + len(text[body_start:end].rstrip())
        turns.append(Turn(label, label_start, label_end, body_start, body_end, label.lower() in QUESTION_LABELS))
    return turns


# --------------------------------------------------------------- the parse


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    return cues.LEMMA_FIXES.get((lemma, token.lower_), lemma)


def _is_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and token.tag_.startswith("VB")):
        return False
    lemma = _lemma(token)
    if lemma not in cues.CUE_LEMMAS and lemma not in cues.NOT_CUES and token.pos_ == "VERB":
        # Any verb whose subject can speak and whose "that"-clause is reported ("bemoaned that").
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if clause is not None and any(c.dep_ == "mark" and c.lower_ in ("that", "whether") for c in clause.children):
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            return subject is not None and _speakerlike(subject)
    if lemma in cues.CUE_LEMMAS:
        return not (lemma == "go" or (token.pos_ == "AUX" and lemma not in ("say",)))
    if any((lemma, child.lower_) in cues.PARTICLE_CUES for child in token.children if child.dep_ == "prt"):
        return True
    return lemma == "make" and any(child.lower_ == "clear" for child in token.children)


def _cue_text(token: Token) -> str:
    """The cue as written, with its particle or idiom: "pointed out", "made it clear"."""
    parts = [token]
    for child in token.children:
        if child.dep_ == "prt" or (token.lemma_ == "make" and child.lower_ in ("it", "clear")):
            parts.append(child)
        if child.dep_ == "aux" and child.lower_ in ("has", "have", "had", "will", "would"):
            parts.append(child)
    parts.sort(key=lambda t: t.i)
    doc = token.doc
    return doc[parts[0].i : parts[-1].i + 1].text if parts[-1].i - parts[0].i <= 4 else token.text


def _subtree_range(token: Token, exclude: Iterable[Token] = ()) -> tuple[int, int]:
    """Token range [first, last] of `token`'s subtree, cut back where an excluded subtree sits at an edge."""
    excluded = set()
    for other in exclude:
        excluded.update(t.i for t in other.subtree)
    indexes = [t.i for t in token.subtree if t.i not in excluded]
    return min(indexes), max(indexes)


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    """Drop leading complementisers and punctuation, and trailing punctuation, from a token range.

    Whitespace tokens (spaCy makes one of a tab or a run of spaces) go at both ends too: they are
    neither words nor punctuation, and "MR PRICE: \t." kept a content of just "\t" (tests/test_fuzz.py).
    """
    while first <= last and (
        doc[first].is_space
        or doc[first].lower_ in LEADING_MARKS
        or (doc[first].is_punct and doc[first].text not in OPENING_QUOTES)
    ):
        first += 1
    while (
        last >= first
        and (doc[last].is_space or doc[last].is_punct)
        and doc[last].text not in CLOSING_QUOTES
        and doc[last].text not in "?!"
    ):
        last -= 1
    while last >= first and (doc[last].is_space or doc[last].lower_ in ("and", "but", "or", ",")):
        last -= 1
    return (first, last) if first <= last else None


def _mention(token: Token, offset: int) -> Mention:
    """The noun phrase headed by `token`, without relative clauses and appositions.

    A relative pronoun ("the report, which concluded") is the mention as written, but it is
    resolved through what it stands for.
    """
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl" and token.head.head != token.head:
        referent = _document_issuer(token.head.head)
        if referent != token:
            return replace(_mention(referent, offset), start=offset + token.idx, end=offset + token.idx + len(token))
    drop = [
        child
        for child in token.children
        if child.dep_ in ("relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "case")
    ]
    first, last = _subtree_range(token, drop)
    first = min(first, token.i)
    last = max(last, token.i)
    doc = token.doc
    appositive = next((child for child in token.children if child.dep_ == "appos"), None)
    appositive_text = None
    if appositive is not None:
        a_first, a_last = _subtree_range(appositive, [c for c in appositive.children if c.dep_ in ("relcl", "punct")])
        appositive_text = doc[a_first : a_last + 1].text
    span = doc[first : last + 1]
    return Mention(
        start=offset + span.start_char,
        end=offset + span.end_char,
        text=span.text,
        head=token.text,
        is_pronoun=token.pos_ == "PRON" and token.lower_ in PRONOUNS,
        appositive=appositive_text,
        entity=token.ent_type_ or None,
    )


def _document_issuer(noun: Token) -> Token:
    """ "the CIA issued a report, which concluded" -> CIA: a document speaks for whoever issued it."""
    node = noun
    for _ in range(5):
        if node.lemma_.lower() in cues.DOCUMENT_NOUNS or node.head == node:
            break
        node = node.head
    if node.lemma_.lower() in cues.DOCUMENT_NOUNS:
        noun = node
    if noun.lemma_.lower() in cues.DOCUMENT_NOUNS and noun.dep_ in ("dobj", "pobj"):
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        subject = next((c for c in verb.children if c.dep_ in ("nsubj",)), None)
        if subject is not None and subject.pos_ != "PRON":
            return subject
    return noun


def _speakerlike(token: Token) -> bool:
    """Could this noun be someone who speaks (a person, a body, a document), not "the offer"?"""
    if token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    if token.pos_ == "PRON":
        return token.lower_ in PRONOUNS
    lemma = token.lemma_.lower()
    return lemma in cues.SPEAKER_NOUNS or lemma in cues.DOCUMENT_NOUNS


def _outer_cue(token: Token) -> Token | None:
    """The cue whose clausal complement holds `token`, if any ("said that ..., stressing that")."""
    node = token
    for _ in range(12):
        if node.head == node:
            return None
        if node.dep_ == "ccomp" and _is_cue(node.head):
            return node.head
        node = node.head
    return None


def _subject(cue: Token) -> Token | None:
    """The source of a cue: its subject, or the subject it inherits (participles, conjuncts, "as" clauses)."""
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
    if (cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl")) or (
        cue.dep_ == "conj" and not own_subject
    ):
        outer = _outer_cue(cue)
        if outer is not None:
            return _subject(outer)
    found = _inherited_subject(cue)
    if found is None and cue.tag_ == "VBG" and cue.dep_ != "ROOT":
        # A participle the parse left without a subject ("..., vowing to compete"): the main clause's.
        root = cue.sent.root
        found = next(
            (
                c
                for c in root.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("it", "there", *RELATIVE_PRONOUNS)
            ),
            None,
        )
    return found


def _inherited_subject(cue: Token) -> Token | None:
    verb = cue
    for _ in range(6):
        for child in verb.children:
            if child.dep_ == "nsubj" and child.lower_ != "there":
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return child
                if verb != cue and not _speakerlike(child):
                    continue
                return child
            if child.dep_ == "nsubjpass" and verb.lemma_ in ("quote", "cite"):
                return child
            if child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
                if agent is not None:
                    return agent
        if verb == cue and cue.dep_ == "advcl" and any(c.lower_ == "as" for c in cue.children if c.dep_ == "mark"):
            named = next(
                (c for c in cue.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ == "PROPN"), None
            )
            if named is not None:
                return named
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "pobj", "prep", "acl", "ccomp") and verb.head != verb:
            if verb.dep_ == "ccomp" and verb != cue:
                return None
            verb = verb.head
            continue
        return None
    return None


def _quote_containing(quotes: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for q_start, q_end in quotes:
        if q_start <= start and end <= q_end:
            return q_start, q_end
    return None


# Adverbial clauses that frame a statement rather than belong to it ("..., as he faces a test").
FRAMING_MARKS = frozenset({"as", "while", "after", "before", "when", "since", "though", "although", "whereas"})


def _own_reports(clause: Token) -> list[Token]:
    """Parts of a content clause that are not what was said:
    a second report of the same speaker ("said X and predicted Y", "..., stressing that ..."),
    and a framing clause at the end ("..., as he faces a critical test")."""
    excluded = []
    for token in clause.subtree:
        if token.i <= clause.i:
            continue
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        if token.dep_ in ("conj", "advcl") and _is_cue(token) and (token.tag_ == "VBG" or not own_subject):
            excluded.append(token)
        elif token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in FRAMING_MARKS for c in token.children):
            before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
            if before is not None and before.text == ",":
                excluded.append(token)
    return excluded


def _nominal_exclusions(noun: Token) -> list[Token]:
    """An object's trailing description is not content: "Donald Trump, with whom he clashed ..."."""
    return [
        c
        for c in noun.children
        if c.dep_ in ("relcl", "appos", "acl") and c.i > noun.i and noun.doc[c.left_edge.i - 1].text == ","
    ]


def _content_range(cue: Token) -> tuple[tuple[int, int], str] | None:
    """Token range of what the cue reports, and which rule found it."""
    children = list(cue.children)
    lemma = _lemma(cue)
    clausal = [c for c in children if c.dep_ == "ccomp"]
    if lemma == "make":
        clear = next((c for c in children if c.lower_ == "clear"), None)
        if clear is not None:
            clausal = [c for c in clausal if c != clear] + [c for c in clear.children if c.dep_ in ("ccomp", "advcl")]
    if clausal:
        ranges = [_subtree_range(c, _own_reports(c)) for c in clausal]
        return (min(r[0] for r in ranges), max(r[1] for r in ranges)), "clause"
    if lemma in cues.AS_VERBS:
        judged = [c for c in children if c.dep_ in ("dobj", "prep") and (c.dep_ == "dobj" or c.lower_ == "as")]
        if any(c.lower_ == "as" for c in judged) and any(c.dep_ == "dobj" for c in judged):
            ranges = [_subtree_range(c) for c in judged]
            return (min(r[0] for r in ranges), max(r[1] for r in ranges)), "judgement"
        if lemma == "see":
            return None
    if lemma in cues.XCOMP_VERBS:
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            return _subtree_range(xcomp), "infinitive"
    if lemma in cues.NOMINAL_CONTENT_VERBS and lemma not in ("tell", "ask", "urge", "thank"):
        objects = [c for c in children if c.dep_ in ("dobj", "oprd")]
        if objects:
            ranges = [_subtree_range(c, _nominal_exclusions(c)) for c in objects]
            extra = [c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for", "as") and c.i > cue.i]
            ranges += [_subtree_range(c) for c in extra]
            return (min(r[0] for r in ranges), max(r[1] for r in ranges)), "object"
    prepositions = cues.PREPOSITIONAL_CONTENT.get(lemma, ())
    if lemma in cues.ANSWERING_VERBS and _reported_answer(cue):
        return None
    for child in children:
        if child.dep_ == "prep" and child.lower_ in prepositions and child.i > cue.i:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                ranges = [_subtree_range(c, _nominal_exclusions(c)) for c in objects]
                return (min(r[0] for r in ranges), max(r[1] for r in ranges)), "prepositional"
    head = cue.head
    inserted = cue.dep_ == "parataxis" or (
        cue.dep_ == "advcl" and any(c.lower_ == "as" for c in children if c.dep_ == "mark")
    )
    if lemma in cues.SPEECH_VERBS and inserted and head != cue:
        return _subtree_range(head, [cue]), "parenthetical"
    return None


def _reported_answer(cue: Token) -> bool:
    """The cue's answer is reported in its own clause: ", saying that ...", "by warning that ...",
    ", calling it absurd"."""
    for child in cue.children:
        clauses = [child] if child.dep_ == "advcl" else []
        if child.dep_ == "prep" and child.lower_ == "by":
            clauses = [c for c in child.children if c.dep_ == "pcomp"]
        if any(_is_cue(c) and _content_range(c) is not None for c in clauses):
            return True
    return False


def _speech_nouns(sentence: Span) -> Iterator[tuple[Token, Token, tuple[int, int]]]:
    """(noun, source, content range) for "his claim that X", "Trump's call for X", "a plan by Y to X"."""
    for token in sentence:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in cues.SPEECH_NOUNS:
            continue
        children = list(token.children)
        source = next((c for c in children if c.dep_ == "poss" and _speakerlike(c)), None)
        if source is None:
            by = next((c for c in children if c.dep_ == "prep" and c.lower_ == "by"), None)
            source = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if source is None:
            continue
        content = [
            c for c in children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > token.i and c.pos_ in ("VERB", "AUX")
        ]
        content = [c for c in content if c.dep_ != "relcl"]
        if not content:
            content = [
                pobj
                for c in children
                if c.dep_ == "prep" and c.lower_ in cues.SPEECH_NOUN_PREPOSITIONS and c.i > token.i
                for pobj in c.children
                if pobj.dep_ in ("pobj", "pcomp")
            ]
        if content:
            ranges = [_subtree_range(c, _nominal_exclusions(c)) for c in content]
            yield token, source, (min(r[0] for r in ranges), max(r[1] for r in ranges))


# "according to X" with fewer words than this on one side stands at the sentence's edge.
MIN_SIDE_TOKENS = 3


def _according_to(sentence: Span) -> Iterator[tuple[Token, Token, tuple[int, int]]]:
    """("according" token, source token, content token range) for each "according to X" in a sentence."""
    for token in sentence:
        first_word, second_word = cues.ACCORDING_TO
        if token.lower_ != first_word or token.i + 1 >= len(token.doc) or token.doc[token.i + 1].lower_ != second_word:
            continue
        to = token.doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None) or next(
            (c for c in token.children if c.dep_ == "pobj"), None
        )
        if source is None:
            continue
        phrase_first, phrase_last = _subtree_range(token)
        phrase_last = max(phrase_last, max(t.i for t in to.subtree))
        anchor = token.head
        while anchor.dep_ not in ("ROOT",) and anchor.pos_ not in ("VERB", "AUX") and anchor.head != anchor:
            anchor = anchor.head
        root = anchor if anchor.pos_ in ("VERB", "AUX") else sentence.root
        indexes = [t.i for t in root.subtree if not (phrase_first <= t.i <= phrase_last)]
        if not indexes:
            continue
        first, last = min(indexes), max(indexes)
        left = [i for i in indexes if i < phrase_first and not token.doc[i].is_punct]
        right = [i for i in indexes if i > phrase_last and not token.doc[i].is_punct]
        # The phrase at the end or the start of the sentence is not part of what was said.
        if len(right) < MIN_SIDE_TOKENS and left:
            last = phrase_first - 1
        elif len(left) < MIN_SIDE_TOKENS and right:
            first = phrase_last + 1
        yield token, source, (first, last)


@dataclass
class _Found:
    items: list[Extracted] = field(default_factory=list)
    orphans: list[tuple[Token, int]] = field(default_factory=list)
    """Cues with a source but no content of their own: a quote beside them may be theirs."""


def _text(doc: Doc) -> str:
    """`doc.text`, made once per Doc: spaCy joins every token's text on each access, so a block
    with hundreds of statements paid the whole block's length per statement (2.7 s of 3.3 s on a
    10,000-character block of 333 statements)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_TEXT_KEY = "tension_text"


def _statement(
    doc: Doc,
    offset: int,
    sentence: Span,
    token_range: tuple[int, int],
    quotes: list[tuple[int, int]],
    source: Token | None,
    cue_tokens: tuple[int, int],
    cue_text: str,
) -> Extracted | None:
    trimmed = _trim(doc, *token_range)
    if trimmed is None:
        return None
    first, last = _skip_leading_date(doc, *trimmed)
    start = doc[first].idx
    end = doc[last].idx + len(doc[last])
    start, end = _to_quote_edges(_text(doc), start, end, quotes)
    enclosing = _quote_containing(quotes, start, end)
    inner = [q for q in quotes if start <= q[0] and q[1] <= end]
    if enclosing is not None:
        # The cue is outside this quote (cues inside quotes are skipped): all of it is the content.
        start, end = enclosing
        kind = "direct"
    elif inner and sum(q[1] - q[0] for q in inner) >= 0.8 * (end - start):
        kind = "direct"
    elif inner:
        kind = "mixed"
    else:
        kind = "reported"
    if _word_count(_text(doc)[start:end]) == 0:
        return None
    cue_start = doc[cue_tokens[0]].idx
    cue_end = doc[cue_tokens[1]].idx + len(doc[cue_tokens[1]])
    return Extracted(
        content_start=offset + start,
        content_end=offset + end,
        source=_mention(source, offset) if source is not None else None,
        cue=cue_text,
        cue_start=offset + cue_start,
        cue_end=offset + cue_end,
        kind=kind,
        sentence_start=offset + sentence.start_char,
        sentence_end=offset + sentence.end_char,
    )


def _skip_leading_date(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """ "Thursday, March 18, 2021, Biden has no regrets" -> "Biden has no regrets": the date is the frame's."""
    index = first
    while index <= last and (doc[index].ent_type_ == "DATE" or (index > first and doc[index].text == ",")):
        index += 1
    if index > first and index <= last and doc[index - 1].text == ",":
        return index, last
    return first, last


def _to_quote_edges(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a content span to the quote marks it stops short of (“killer.” rather than “killer)."""
    for q_start, q_end in quotes:
        if start <= q_start < end < q_end and not text[end:q_end].strip(" .,;:!?”\"»’'"):
            end = q_end
        if q_start < start < q_end <= end and not text[q_start:start].strip(" “\"«‘'"):
            start = q_start
    return start, end


def _cue_range(token: Token) -> tuple[int, int]:
    return token.i, token.i


def extract_from_doc(doc: Doc, offset: int) -> _Found:
    """Statements of one parsed paragraph; offsets are shifted by `offset` into the article."""
    found = _Found()
    quotes = quote_spans(_text(doc))
    for sentence in doc.sents:
        examined = 0
        for token in sentence:
            if not _is_cue(token):
                continue
            examined += 1
            if examined > MAX_CUES_PER_SENTENCE:
                break
            if token.dep_ in ("amod", "compound") or (token.tag_ == "VBN" and token.dep_ == "acl"):
                continue
            # Inside a quote, "I think" or "they want" is the quoted speaker's own speech.
            if _quote_containing(quotes, token.idx, token.idx + len(token)) is not None:
                continue
            source = _subject(token)
            if source is not None and _quote_containing(quotes, source.idx, source.idx + len(source)):
                source = _beside(token, quotes)
            if token.lemma_.lower() in cues.COGNITION_VERBS and source is not None and source.lower_ == "you":
                continue
            content = _content_range(token)
            if content is None:
                if source is not None:
                    found.orphans.append((token, offset))
                continue
            (first, last), rule = content
            if first <= token.i <= last and rule != "parenthetical":
                continue
            item = _statement(doc, offset, sentence, (first, last), quotes, source, _cue_range(token), _cue_text(token))
            if item is not None:
                embedded = any(a.dep_ == "relcl" for a in (token, *token.ancestors))
                found.items.append(replace(item, embedded=embedded, rule=rule))
        for noun, source, token_range in _speech_nouns(sentence):
            if _quote_containing(quotes, noun.idx, noun.idx + len(noun)) is not None:
                continue
            item = _statement(doc, offset, sentence, token_range, quotes, source, (noun.i, noun.i), noun.text)
            if item is not None:
                found.items.append(replace(item, rule="noun"))
        for according, source, token_range in _according_to(sentence):
            item = _statement(
                doc, offset, sentence, token_range, quotes, source, (according.i, according.i + 1), "according to"
            )
            if item is not None:
                found.items.append(item)
        colon = _colon_statement(doc, offset, sentence, quotes)
        if colon is not None and not any(
            i.content_start < colon.content_end and colon.content_start < i.content_end for i in found.items
        ):
            found.items.append(colon)
    found.items.extend(_quotes_for_orphans(doc, offset, quotes, found))
    return found


def _beside(cue: Token, quotes: list[tuple[int, int]]) -> Token | None:
    """The speaker next to a cue outside the quote: "“...,” Trump said" or "“...,” said Trump"."""
    outside = [t for t in cue.sent if _quote_containing(quotes, t.idx, t.idx + len(t)) is None]
    after = [t for t in outside if t.i > cue.i][:4]
    before = [t for t in reversed(outside) if t.i < cue.i][:4]
    for token in (*before, *after):
        if token.is_punct:
            break
        if _speakerlike(token) and token.pos_ in ("PROPN", "PRON", "NOUN"):
            while token.dep_ in ("compound", "amod") and token.head.i != cue.i:
                token = token.head
            return token
    return None


# "Trump: ‘I’m the worst thing ...’", "Peskov: we are ready" — a short speaker, a colon, the content.
MAX_COLON_SPEAKER_TOKENS = 6


def _colon_statement(doc: Doc, offset: int, sentence: Span, quotes: list[tuple[int, int]]) -> Extracted | None:
    colon = next((t for t in sentence if t.text == ":" and t.i - sentence.start <= MAX_COLON_SPEAKER_TOKENS), None)
    if colon is None or colon.i == sentence.start or colon.i + 1 >= sentence.end:
        return None
    speaker_tokens = doc[sentence.start : colon.i]
    if any(t.pos_ in ("VERB", "AUX") for t in speaker_tokens) or not any(_speakerlike(t) for t in speaker_tokens):
        return None
    if _quote_containing(quotes, speaker_tokens.start_char, speaker_tokens.end_char):
        return None
    head = max(speaker_tokens, key=lambda t: (t.pos_ in ("PROPN", "PRON", "NOUN"), t.i))
    trimmed = _trim(doc, colon.i + 1, sentence.end - 1)
    if trimmed is None:
        return None
    start, end = doc[trimmed[0]].idx, doc[trimmed[1]].idx + len(doc[trimmed[1]])
    start, end = _to_quote_edges(_text(doc), start, end, quotes)
    enclosing = _quote_containing(quotes, start, end)
    if enclosing is not None:
        start, end = enclosing
    kind = "direct" if enclosing is not None or any(q[0] <= start and end <= q[1] for q in quotes) else "reported"
    return Extracted(
        content_start=offset + start,
        content_end=offset + end,
        source=_mention(head, offset),
        cue=":",
        cue_start=offset + colon.idx,
        cue_end=offset + colon.idx + 1,
        kind=kind,
        sentence_start=offset + sentence.start_char,
        sentence_end=offset + sentence.end_char,
    )


def _quotes_for_orphans(doc: Doc, offset: int, quotes: list[tuple[int, int]], found: _Found) -> Iterator[Extracted]:
    """Quotes beside a cue that has a speaker but found no content in the parse ("She added: “...”")."""
    taken = [(item.content_start - offset, item.content_end - offset) for item in found.items]
    for cue, _ in found.orphans:
        cue_start = cue.idx
        sentence = cue.sent
        candidates = [
            q
            for q in quotes
            if not any(s < q[1] and q[0] < e for s, e in taken)
            and (
                sentence.start_char <= q[0] < sentence.end_char + 2
                or sentence.start_char - 3 <= q[1] <= sentence.end_char
            )
        ]
        if not candidates:
            continue
        quote = min(candidates, key=lambda q: abs(q[0] - cue_start))
        if _word_count(_text(doc)[quote[0] : quote[1]]) <= cues.MAX_SCARE_QUOTE_WORDS:
            continue
        source = _subject(cue)
        taken.append(quote)
        yield Extracted(
            content_start=offset + quote[0],
            content_end=offset + quote[1],
            source=_mention(source, offset) if source is not None else None,
            cue=_cue_text(cue),
            cue_start=offset + cue.idx,
            cue_end=offset + cue.idx + len(cue),
            kind="direct",
            sentence_start=offset + sentence.start_char,
            sentence_end=offset + max(sentence.end_char, quote[1]),
        )


def extract_blocks(docs: Iterable[tuple[Block, Doc]]) -> list[Extracted]:
    """Statements of an article's parsed paragraphs, with quotes that continue the last speaker."""
    items: list[Extracted] = []
    last: Extracted | None = None
    for block, doc in docs:
        found = extract_from_doc(doc, block.start)
        # One or two words reported from nobody ("calling it a day") say nothing a reader can use.
        block_items = _dedupe(
            [
                item
                for item in found.items
                if item.source is not None
                or _word_count(_text(doc)[item.content_start - block.start : item.content_end - block.start]) > 2
            ]
        )
        quotes = quote_spans(_text(doc))
        taken = [(i.content_start - block.start, i.content_end - block.start) for i in block_items]
        free = [
            q
            for q in quotes
            if not any(s < q[1] and q[0] < e for s, e in taken)
            and _word_count(_text(doc)[q[0] : q[1]]) > cues.MAX_SCARE_QUOTE_WORDS
        ]
        # '“...,” he said. “...”': a quote right after a statement's own quote continues it.
        block_items, free = _join_split_quotes(block_items, free, block.start, _text(doc))
        # A paragraph that opens with a quote continues the last speaker.
        if last is not None and free and free[0][0] == 0:
            quote = free[0]
            block_items.append(
                Extracted(
                    content_start=block.start + quote[0],
                    content_end=block.start + quote[1],
                    source=last.source,
                    cue="",
                    cue_start=block.start + quote[0],
                    cue_end=block.start + quote[0],
                    kind="direct",
                    sentence_start=block.start,
                    sentence_end=block.start + quote[1],
                    continues=True,
                )
            )
        block_items.sort(key=lambda i: i.content_start)
        items.extend(block_items)
        if block_items:
            last = max(block_items, key=lambda i: i.content_end)
    return items


# Between the two halves of a split quote stands only the attribution ("he said at a
# speech in New York. "): one sentence at most, holding the statement's own cue.
MAX_SPLIT_QUOTE_GAP = 200


def _join_split_quotes(
    items: list[Extracted], free: list[tuple[int, int]], offset: int, text: str
) -> tuple[list[Extracted], list[tuple[int, int]]]:
    items = list(items)
    remaining = []
    for quote in free:
        start, end = quote[0] + offset, quote[1] + offset
        before = [
            (index, item)
            for index, item in enumerate(items)
            if item.kind in ("direct", "mixed")
            and 0 <= start - item.content_end <= MAX_SPLIT_QUOTE_GAP
            and (start - item.content_end <= 40 or item.content_end <= item.cue_start < start)
        ]
        gap_ok = before and (
            before[-1][1].content_end <= before[-1][1].cue_start < start
            or not any(c in '“”"' for c in text[before[-1][1].content_end - offset : quote[0]])
        )
        if before and gap_ok:
            index, item = before[-1]
            items[index] = replace(item, content_end=end, sentence_end=max(item.sentence_end, end))
        else:
            remaining.append(quote)
    return items, remaining


def _dedupe(items: list[Extracted]) -> list[Extracted]:
    """One statement per content span: the same content reached by two cues keeps the first cue.

    What is reported inside what someone said ("Peskov said Biden wants talks") is the
    outer speaker's claim, not a statement of the inner subject's own: it stays part of the
    outer statement. Reports in relative clauses ("after a statement in which he said") are
    their own.
    """
    items = [
        item
        for item in items
        if item.embedded or not any(o is not item and o.content_start <= item.cue_start < o.content_end for o in items)
    ]
    seen = set()
    kept = []
    for item in sorted(items, key=lambda i: (i.content_start, -i.content_end)):
        key = (item.content_start, item.content_end)
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept
