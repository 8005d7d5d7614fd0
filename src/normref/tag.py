"""Tag an incident with the obligations it potentially engages, each with checkable evidence.

Four bases feed an obligation (contract §2):

* ``citation`` — the text cites the provision (found by :mod:`normref.extract`, resolved by
  :mod:`normref.resolve` within the incident);
* ``rubric`` — the digest rubric names a right, mapped to provisions in ``rubrics.yaml``;
* ``trigger`` — a phrase of ``triggers/*.yaml`` occurs in the text, not negated;
* ``implied`` — a cited Kazakh provision, or a charge named in the text, engages the
  obligations listed in ``relations.yaml``.

Weights, ceilings and the reporting threshold are in :class:`normref.rules.TaggingWeights`;
docs/tagging.md explains how they combine.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain, compress
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from attrs import frozen

from .model import Citation, Evidence, Incident, Obligation, Span, TaggedIncident
from .morph import WORD_RE
from .rules import (
    BASES,
    NEGATED_VERBS,
    NEGATION_ADJACENT,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    Phrase,
    RelationRule,
    RubricRule,
    Rules,
    TaggingWeights,
    TriggerRule,
    Word,
    compiled_rules,
    is_kazakh_negated_verb,
    is_sentence_break,
    normalize_rubric,
)

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["Tagger", "match_rubric", "RubricMatch"]

#: Instrument kinds never reported as obligations (a review mechanism binds no one).
NOT_OBLIGATIONS = frozenset({"mechanism"})


# ---------------------------------------------------------------- words of a text

_Rule = TypeVar("_Rule", TriggerRule, RelationRule)

#: normalised word, its lemma, its forms, whether it is a negated Kazakh verb
_WordInfo = tuple[str, str, frozenset[str], bool]


def _info_of(word: str) -> _WordInfo:
    """The normalised word, its lemma, the forms a phrase word may match (both of those and
    the same for each part of a hyphenated word), and whether it is a Kazakh verb negated by
    its suffix."""
    from .morph import lemma, normalize

    norm = normalize(word)
    lem = lemma(word)
    forms = {norm, lem}
    if "-" in norm:
        for part in norm.split("-"):
            if part:
                forms.add(part)
                forms.add(lemma(part))
    return norm, lem, frozenset(forms), is_kazakh_negated_verb(norm)


class _Words:
    """The word tokens of one text as parallel lists, one entry a word: its sentence number
    and its :data:`_WordInfo`. Words inside a citation (``blocked``) keep their place but
    match no phrase word."""

    def __init__(self, spans: list[tuple[int, int]], infos: list[_WordInfo],
                 sentences: list[int], blocked: set[int]) -> None:
        self._spans = spans
        self.info = infos
        self.sentence = sentences
        self.blocked = blocked
        self._index: dict[str, set[int]] | None = None
        self._sorted_forms: list[str] = []
        self._cache: dict[int, frozenset[int]] = {}

    def __len__(self) -> int:
        return len(self.sentence)

    def candidates(self, rules: Sequence[_Rule]) -> Sequence[_Rule]:
        """The rules that may fire here (all of them: the full tokenisation keeps no count)."""
        return rules

    def span(self, first: int, last: int) -> Span:
        """The text span from the start of word ``first`` to the end of word ``last``."""
        return Span(self._spans[first][0], self._spans[last][1])

    def positions(self, word: Word) -> frozenset[int]:
        """Indexes of the words a phrase word matches."""
        key = id(word)
        found = self._cache.get(key)
        if found is None:
            if self._index is None:
                index: dict[str, set[int]] = {}
                for i, info in enumerate(self.info):
                    if i not in self.blocked:
                        for form in info[2]:
                            index.setdefault(form, set()).add(i)
                self._index = index
                self._sorted_forms = sorted(index)
            index = self._index
            hits: set[int] = set()
            for lemma_ in word.lemmas:
                hits |= index.get(lemma_, set())
            forms = self._sorted_forms
            for stem in word.stems:
                k = bisect_left(forms, stem)
                while k < len(forms) and forms[k].startswith(stem):
                    hits |= index[forms[k]]
                    k += 1
            found = self._cache[key] = frozenset(hits)
        return found


class _Blocked:
    """The citations of a text, for asking which overlap a range in log time (they are
    sorted and do not overlap one another)."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = sorted(spans, key=lambda b: (b.start, b.end))
        self.ends = list(accumulate((b.end for b in self.spans), max))  # non-decreasing

    def within(self, start: int, end: int) -> list[Span]:
        """The spans overlapping ``[start, end)``."""
        lo = bisect_right(self.ends, start)  # before ``lo`` every span ends by ``start``
        hi = bisect_left(self.spans, end, key=lambda b: b.start)
        return [b for b in self.spans[lo:hi] if b.start < end and start < b.end]


def _all_words(text: str, blocked: Sequence[Span] = ()) -> _Words:
    """Every word of a text (the reference the fast path of :func:`_relevant_words` must
    agree with)."""
    from .morph import WORD_RE

    spans: list[tuple[int, int]] = []
    infos: list[_WordInfo] = []
    sentences: list[int] = []
    inside: set[int] = set()
    sentence = 0
    citations = _Blocked(blocked)
    for i, m in enumerate(WORD_RE.finditer(text)):
        start, end = m.span()
        if i and is_sentence_break(text[spans[-1][1]:start], text[spans[-1][1] - 1]):
            sentence += 1
        spans.append((start, end))
        infos.append(_info_of(m.group()))
        sentences.append(sentence)
        if blocked and citations.within(start, end):
            inside.add(i)
    return _Words(spans, infos, sentences, inside)


# ---------------------------------------------------------------- only the sentences that matter
#
# Phrase matching, negations and windows never look past a sentence, except at the first word
# of the next one (``_denies``). A rule fires in a sentence only if the sentence holds one of
# its phrases whole (every word of the phrase but ``*`` matching some word of the sentence, in
# any order) and, when the rule has ``near`` phrases, one of those whole too. A sentence where
# no rule can fire so holds no match: :func:`_relevant_words` leaves its words out and gives
# every other sentence exactly the words and sentence boundaries :func:`_all_words` gives it.
# The test is cheap: each such set of words ("need") has an anchor, the one of its words least
# likely to be common, and only sentences with an anchor are looked at closely. Each word's
# matches are computed once per distinct word; the text spans of words are found only for the
# words a match starts or ends on.

#: A character that may end a sentence (see :func:`normref.rules.is_sentence_break`): a gap
#: between two words holding none of them is never a sentence break.
_MAY_BREAK = re.compile(r"[.!?;…](?=\s)|\n\s*")  # a line break with the space after it
_WORD_INFO: dict[str, _WordInfo] = {}


def _word_info(word: str) -> _WordInfo:
    """:func:`_info_of`, cached."""
    info = _WORD_INFO.get(word)
    if info is None:
        if len(_WORD_INFO) > 100_000:  # bounded: memory stays flat on endless input
            _WORD_INFO.clear()
        info = _WORD_INFO[word] = _info_of(word)
    return info


#: Phrase fields that only qualify a match of another phrase in the same sentence: alone they
#: make no match, so they never make a sentence worth reading.
_CONTEXT_FIELDS = frozenset({"near", "unless"})


def _phrases_of(rules: Rules) -> Iterable[tuple[Phrase, bool]]:
    """Every phrase of every trigger and relation rule, each with whether it only qualifies
    another (``near``, ``unless``); found by type, so a new kind of phrase is never missed."""
    for rule in _phrase_rules(rules):
        yield from _phrases_of_rule(rule)


def _phrase_rules(rules: Rules) -> tuple[TriggerRule | RelationRule, ...]:
    """The rules that hold phrases: every trigger rule, then every relation rule."""
    return (*rules.triggers, *rules.relations)


def _phrases_of_rule(rule: TriggerRule | RelationRule) -> Iterable[tuple[Phrase, bool]]:
    for field_ in attrs.fields(type(rule)):
        value = getattr(rule, field_.name)
        if isinstance(value, tuple):
            context = field_.name in _CONTEXT_FIELDS
            yield from ((p, context) for p in value if isinstance(p, Phrase))


class _Vocabulary:
    """Which phrase words of the rules each word of a text matches.

    Phrase words are numbered, two words with the same alternatives sharing a number;
    :meth:`matches` gives the numbers a word as written matches (the same test as
    :meth:`_Words.positions`: a form equal to a lemma or starting with a stem), except ``*``,
    which matches every word and is kept apart. Each phrase that can match alone has an
    anchor, the one of its specific words least likely to be common (the longest): a sentence
    without the anchor of any phrase holds no match.
    """

    def __init__(self, rules: Rules) -> None:
        self.number: dict[int, int] = {}  # id(Word) -> number
        self.wildcards: set[int] = set()  # numbers of words that match any word
        by_content: dict[tuple[frozenset[str], tuple[str, ...]], int] = {}
        by_lemma: dict[str, set[int]] = {}
        by_stem: dict[str, set[int]] = {}
        shortest: dict[int, int] = {}  # number -> length of its shortest alternative
        needs: list[tuple[int, frozenset[int], frozenset[int]]] = []  # anchor, phrase, near
        self.everything = False
        #: id(Phrase) -> the numbers of its specific words (all must be present for a match)
        self.phrase_needs: dict[int, frozenset[int]] = {}
        for phrase, _context in _phrases_of(rules):
            for word in phrase.words:
                n = by_content.setdefault((word.lemmas, word.stems), len(by_content))
                self.number[id(word)] = n
                if "" in word.stems:
                    self.wildcards.add(n)
                for lem in word.lemmas:
                    by_lemma.setdefault(lem, set()).add(n)
                for stem in word.stems:
                    if stem:
                        by_stem.setdefault(stem, set()).add(n)
                shortest[n] = min(map(len, (*word.lemmas, *word.stems)), default=0)
            self.phrase_needs[id(phrase)] = frozenset(
                self.number[id(w)] for w in phrase.words if "" not in w.stems)
        anchors: set[int] = set()
        #: by anchor: the rules (by id) that can fire on it, each with all the specific words
        #: it needs
        self.rule_needs: dict[int, list[tuple[int, frozenset[int]]]] = {}
        self.known_rules: set[int] = set()
        for rule in _phrase_rules(rules):
            self.known_rules.add(id(rule))
            # a rule fires on a phrase that can match alone, with (when the rule has ``near``)
            # a near phrase in the same sentence: each pair's specific words must all be there
            nears = [self.phrase_needs[id(p)] for p in rule.near] or [frozenset()]
            for phrase, context in _phrases_of_rule(rule):
                if context:
                    continue
                main = self.phrase_needs[id(phrase)]
                for near in nears:
                    need = main | near
                    if not need:
                        self.everything = True  # only ``*`` words: every sentence counts
                        continue
                    # the anchor comes from the phrase itself where it can: near phrases
                    # name the context (officers, a court), which is common
                    anchor = max(main or near, key=lambda n: (shortest[n], -n))
                    needs.append((anchor, main, near))
                    anchors.add(anchor)
                    self.rule_needs.setdefault(anchor, []).append((id(rule), need))
        self._rules = rules  # keeps the Word objects (and so their ids) alive
        self._by_lemma = {k: frozenset(v) for k, v in by_lemma.items()}
        self._by_stem = {k: frozenset(v) for k, v in by_stem.items()}
        self._longest_stem = max(map(len, by_stem), default=0)
        #: anchor -> (the phrase's words, the near phrases' words, any of which must be there
        #: too; none when the rule has no ``near``)
        grouped: dict[int, dict[frozenset[int], set[frozenset[int]]]] = {}
        for anchor, main, near in needs:
            grouped.setdefault(anchor, {}).setdefault(main, set()).add(near - main)
        self._needs: dict[int, list[tuple[frozenset[int], tuple[frozenset[int], ...]]]] = {
            anchor: [(main, () if _NOTHING in nears else tuple(nears))
                     for main, nears in by_main.items()]
            for anchor, by_main in grouped.items()
        }
        self.anchors = frozenset(anchors)  # the anchor of every need
        self._with_needs: dict[int, tuple[Sequence[Phrase], list]] = {}
        self.seen: dict[str, frozenset[int]] = {}  # word as written -> numbers it matches
        self.anchor_words: set[str] = set()  # words of ``seen`` matching an anchor
        self.hit_words: set[str] = set()  # words of ``seen`` matching any number
        self.words_of: dict[int, set[str]] = {}  # number -> words of ``seen`` matching it

    def learn(self, words: Iterable[str]) -> None:
        """Compute (and cache) the numbers of every word not seen yet: afterwards every one of
        ``words`` is in :attr:`seen`."""
        words = set(words)
        new = words.difference(self.seen)
        if not new:
            return
        if len(self.seen) + len(new) > 100_000:  # bounded: memory stays flat on endless input
            self.seen.clear()
            self.anchor_words.clear()
            self.hit_words.clear()
            self.words_of.clear()
            new = words
        for word in new:
            self._learn(word)

    def _learn(self, word: str) -> None:
        hits: set[int] = set()
        for form in _word_info(word)[2]:
            hits |= self._by_lemma.get(form, frozenset())
            for k in range(1, min(len(form), self._longest_stem) + 1):
                hits |= self._by_stem.get(form[:k], frozenset())
        hits -= self.wildcards
        found = self.seen[word] = frozenset(hits)
        if found:
            self.hit_words.add(word)
            for n in found:
                self.words_of.setdefault(n, set()).add(word)
            if not self.anchors.isdisjoint(found):
                self.anchor_words.add(word)

    def matches(self, word: str) -> frozenset[int]:
        """Numbers of the specific phrase words a word as written matches (cached)."""
        found = self.seen.get(word)
        if found is None:
            self.learn((word,))
            found = self.seen[word]
        return found

    def with_needs(self, phrases: Sequence[Phrase]) -> list[tuple[Phrase, frozenset[int]]]:
        """Each phrase with the numbers of its specific words (empty for a phrase the
        vocabulary was not built from: it is always tried); remembered per tuple of phrases."""
        found = self._with_needs.get(id(phrases))
        if found is None or found[0] is not phrases:
            needs = self.phrase_needs
            found = (phrases, [(p, needs.get(id(p), _NOTHING)) for p in phrases])
            self._with_needs[id(phrases)] = found
        return found[1]

    def holds_phrase(self, numbers: set[int]) -> bool:
        """Whether the numbers of a sentence's words cover every specific word of a phrase."""
        needs = self._needs
        for n in self.anchors.intersection(numbers):
            for main, nears in needs[n]:
                if main <= numbers and (not nears or any(near <= numbers for near in nears)):
                    return True
        return False


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of text that together hold every word, in order, such that two
    words are in the same piece exactly when :func:`_all_words` puts them in the same sentence
    (some pieces hold no word)."""
    n = len(text)
    spans: list[tuple[int, int]] = []
    start = 0
    decided = -1  # start of the last gap found to be a break
    for m in _MAY_BREAK.finditer(text):
        p = m.start()
        if p and text[p] != "\n" and text[p - 1].isalnum():  # «слово. »: the common case
            decided = p
            spans.append((start, p))
            start = p + 1
            continue
        a = p
        while a > 0 and not text[a - 1].isalnum():
            a -= 1
        if a == decided:
            continue  # this gap breaks already
        if text[p] != "\n":
            breaks = True  # «. », «! »: a sentence end, whatever else the gap holds
        else:
            if a == 0:
                continue  # no word before it
            b = m.end()
            while b < n and not text[b].isalnum():
                b += 1
            if b >= n:
                break  # no word after it
            breaks = is_sentence_break(text[a:b], text[a - 1])
        if breaks:
            decided = a
            spans.append((start, p))
            start = p + 1
    spans.append((start, n))
    return spans


class _SomeWords(_Words):
    """The words of the sentences that matter, added a sentence at a time; the phrase words
    each matches and the text spans are found when first asked for."""

    def __init__(self, text: str, vocabulary: _Vocabulary) -> None:
        super().__init__([], [], [], set())
        self._text = text
        self.vocabulary = vocabulary
        self._where: dict[str, list[int]] = {}  # a word matching some phrase word -> indexes
        self._pieces: list[int] = []  # index of the first word of each sentence added
        self._bounds: list[tuple[int, int]] = []  # its [start, end) in the text
        self._piece_spans: dict[int, list[tuple[int, int]]] = {}
        self._may_fire: set[int] | None = None
        self._present_numbers: frozenset[int] | None = None

    def add(self, sentences: Iterable[tuple[int, int, int, list[str]]],
            blocked: Sequence[Span]) -> None:
        """Add sentences, each as (number, start, end, words): its ``words`` (the first word
        only when it follows a sentence that matters) in ``[start, end)`` of the text.
        ``blocked``: the citations of the text. Every word must be known to the vocabulary
        (:meth:`_Vocabulary.learn`)."""
        info, sentence, pieces, bounds = self.info, self.sentence, self._pieces, self._bounds
        where = self._where
        citations = _Blocked(blocked)
        info_get = _WORD_INFO.get
        is_hit = self.vocabulary.hit_words.__contains__
        for number, start, end, words in sentences:
            first = len(sentence)
            pieces.append(first)
            bounds.append((start, end))
            infos = list(map(info_get, words))
            if None in infos:
                infos = [_word_info(w) for w in words]
            info += infos
            sentence += [number] * len(words)
            inside: set[int] = set()
            here = citations.within(start, end) if blocked else None
            if here:
                spans = self._spans_of(len(pieces) - 1)
                for i, (s, e) in enumerate(spans[:len(words)]):
                    if any(b.start < e and s < b.end for b in here):
                        inside.add(first + i)
                self.blocked |= inside
            for i in compress(range(first, first + len(words)), map(is_hit, words)):
                if i not in inside:
                    where.setdefault(words[i - first], []).append(i)

    def _spans_of(self, piece: int) -> list[tuple[int, int]]:
        spans = self._piece_spans.get(piece)
        if spans is None:
            start, end = self._bounds[piece]
            spans = self._piece_spans[piece] = [
                m.span() for m in WORD_RE.finditer(self._text, start, end)]
        return spans

    def span(self, first: int, last: int) -> Span:
        def where(i: int) -> tuple[int, int]:
            piece = bisect_right(self._pieces, i) - 1
            return self._spans_of(piece)[i - self._pieces[piece]]

        return Span(where(first)[0], where(last)[1])

    def present(self) -> frozenset[int]:
        """The numbers of the phrase words some word here matches."""
        present = self._present_numbers
        if present is None:
            vocabulary = self.vocabulary
            seen = vocabulary.seen
            present = self._present_numbers = frozenset().union(
                *(seen.get(w) or vocabulary.matches(w) for w in self._where))
        return present

    def _firing(self) -> set[int]:
        """Ids of the rules a phrase of which has every specific word here."""
        if self._may_fire is None:
            present = self.present()
            vocabulary = self.vocabulary
            needs = vocabulary.rule_needs
            self._may_fire = {rule for n in vocabulary.anchors.intersection(present)
                              for rule, need in needs[n] if need <= present}
        return self._may_fire

    def may_fire(self, rule: TriggerRule | RelationRule) -> bool:
        """False when no phrase of the rule can match: a word of each is missing."""
        key = id(rule)
        return key in self._firing() or key not in self.vocabulary.known_rules

    def candidates(self, rules: Sequence[_Rule]) -> Sequence[_Rule]:
        """The rules that may fire here, in their order (see :meth:`may_fire`)."""
        firing, known = self._firing(), self.vocabulary.known_rules
        return [r for r in rules if id(r) in firing or id(r) not in known]

    def positions(self, word: Word) -> frozenset[int]:
        vocabulary = self.vocabulary
        n = vocabulary.number.get(id(word))
        if n is None:  # a word the vocabulary was not built from
            return super().positions(word)
        found = self._cache.get(n)
        if found is None:
            if n in vocabulary.wildcards:  # ``*``: every word outside a citation
                found = frozenset(range(len(self.sentence))) - self.blocked
            else:
                hits: set[int] = set()
                where = self._where
                for w in vocabulary.words_of.get(n, set()).intersection(where):
                    hits.update(where[w])
                found = frozenset(hits)
            self._cache[n] = found
        return found


def _relevant_words(text: str, blocked: Sequence[Span], vocabulary: _Vocabulary) -> _Words:
    """The words of the sentences that may hold a match (see above), each such sentence
    followed by the first word of the next one."""
    if vocabulary.everything:
        return _all_words(text, blocked)
    findall = WORD_RE.findall
    spans = _sentence_spans(text)
    pieces = [findall(text, s, e) for s, e in spans]
    vocabulary.learn(chain.from_iterable(pieces))
    anchor_words = vocabulary.anchor_words
    numbers_of = vocabulary.seen.__getitem__  # learn() has seen every word
    holds_phrase = vocabulary.holds_phrase
    chosen: list[tuple[int, bool]] = []  # sentence, all of its words (or the first only)
    follows = False  # the sentence before this one matters
    for k, found_words in enumerate(pieces):
        if not found_words:
            continue
        if anchor_words.isdisjoint(found_words):
            matters = False
        else:
            matters = holds_phrase(set().union(*map(numbers_of, found_words)))
        if matters or follows:
            chosen.append((k, matters))
        follows = matters
    words = _SomeWords(text, vocabulary)
    words.add(((k, *spans[k], pieces[k] if whole else pieces[k][:1]) for k, whole in chosen),
              blocked)
    return words


_NOTHING: frozenset[int] = frozenset()

#: A phrase match: indexes of its first and last word (inclusive).
_Match = tuple[int, int]


def _phrase_matches(phrase: Phrase, words: _Words, gap: int) -> list[_Match]:
    """Every place the phrase's words occur in order, at most ``gap`` words apart, within
    one sentence."""
    starts = words.positions(phrase.words[0])
    if not starts:
        return []
    rest_positions = [words.positions(w) for w in phrase.words[1:]]
    if not all(rest_positions):
        return []
    if not rest_positions:
        return [(i, i) for i in sorted(starts)]
    sentence = words.sentence
    n = len(sentence)
    out: list[_Match] = []
    for i in sorted(starts):
        j = i
        here = sentence[i]
        for positions in rest_positions:
            nxt = None
            for k in range(j + 1, min(j + 2 + gap, n)):
                if sentence[k] != here:
                    break
                if k in positions:
                    nxt = k
                    break
            if nxt is None:
                break
            j = nxt
        else:
            out.append((i, j))
    return out


_PREPOSITIONS = frozenset({"в", "во", "на", "за", "о", "об", "по", "с", "со", "к", "от", "для",
                          "из", "при", "у", "in", "of", "for", "to", "on", "at"})


def _denies(words: _Words, k: int) -> bool:
    """Whether «не» at ``k`` denies the verb after it («не применялись», «не было»)."""
    return k + 1 < len(words) and words.info[k + 1][1] in NEGATED_VERBS


def _negated(m: _Match, words: _Words, w: TaggingWeights) -> bool:
    """Whether a negation in the same sentence cancels a match (see docs/tagging.md)."""
    first, last = m
    info, sentences = words.info, words.sentence
    sentence = sentences[first]
    # right before the match, prepositions aside («не в распространении ...»): ``adjacent``
    # holds while every word between ``k`` and the match is a preposition
    adjacent = True
    for k in range(first - 1, max(0, first - w.negation_window) - 1, -1):
        if sentences[k] != sentence:
            break
        norm = info[k][0]
        if norm in NEGATION_BEFORE or (adjacent and norm in NEGATION_ADJACENT):
            return True
        if norm == "не" and (adjacent or _denies(words, k)):
            return True
        adjacent = adjacent and norm in _PREPOSITIONS
    for k in range(first + 1, last):  # inside the phrase
        norm = info[k][0]
        if norm in NEGATION_BEFORE or (norm == "не" and _denies(words, k)):
            return True
    # a Kazakh verb negated by its suffix, in the phrase («ұсталмады») or after it
    # («азаптау қолданылмады»)
    if any(info[k][3] for k in range(first, last + 1)):
        return True
    hi = min(len(words), last + 1 + w.negation_after_window)
    for k in range(last + 1, hi):
        if sentences[k] != sentence:
            break
        norm = info[k][0]
        if norm in NEGATION_AFTER or norm == "нет" or info[k][3]:
            return True
        if norm == "не" and _denies(words, k):
            return True
    return False


def _close(a: _Match, b: _Match, sentences: Sequence[int], window: int) -> bool:
    if sentences[a[0]] != sentences[b[0]]:
        return False
    distance = max(b[0] - a[1], a[0] - b[1], 0)
    return distance <= window


class _ByFirst:
    """Matches sorted by first word; :meth:`around` gives the slice that can be within a window
    of a match (a superset of those :func:`_close` accepts) by bisection, so a long text with
    many anchors and partners costs n·log n, not n²."""

    def __init__(self, matches: list[_Match]) -> None:
        self.matches = matches
        self.firsts = [x[0] for x in matches]
        self.longest = max((x[1] - x[0] for x in matches), default=0)

    def around(self, m: _Match, window: int) -> list[_Match]:
        lo = bisect_left(self.firsts, m[0] - window - self.longest)
        hi = bisect_right(self.firsts, m[1] + window)
        return self.matches[lo:hi]


# ---------------------------------------------------------------- rubrics


@frozen
class RubricMatch:
    """What a rubric turned out to be: ``matched`` (with ``rule``), ``editorial``,
    ``ambiguous`` (a cut-off rubric several rights begin with) or ``unknown``."""

    status: str
    rule: RubricRule | None = None
    how: str | None = None  # exact, truncated, extended, fuzzy, combined
    others: tuple[RubricRule, ...] = ()  # a combined rubric: the rights named after ``rule``

    @property
    def rules(self) -> tuple[RubricRule, ...]:
        """Every rubric rule the rubric names (more than one for a combined rubric)."""
        return ((self.rule,) if self.rule is not None else ()) + self.others


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def match_rubric(rubric: str | None, rules: Rules) -> RubricMatch:
    """Map a rubric as written (maybe cut off, unquoted, in any case) to a rubric rule, or to
    several when it joins names of different rights («Право на свободу объединений и мирных
    собраний»: association and assembly). Results are cached per rules and rubric."""
    key = (id(rules), rubric)
    cached = _RUBRIC_CACHE.get(key)
    if cached is not None and cached[0] is rules:
        return cached[1]
    found = _match_one(rubric, rules)
    if rubric and found.status != "editorial" and found.how not in ("exact", "truncated"):
        found = _match_combined(rubric, rules) or found
    if len(_RUBRIC_CACHE) > 10_000:  # bounded: memory stays flat on endless input
        _RUBRIC_CACHE.clear()
    _RUBRIC_CACHE[key] = (rules, found)
    return found


_RUBRIC_CACHE: dict[tuple[int, str | None], tuple[Rules, RubricMatch]] = {}


#: What joins the names of two rights in one rubric: a comma, «и», «а также», «және», «and».
_RUBRIC_JOINS = re.compile(r"\s*[,;]\s*|\s+(?:и|а также|және|мен|and)\s+", re.IGNORECASE)
_MAX_RUBRIC_PIECES = 8


def _match_combined(rubric: str, rules: Rules) -> RubricMatch | None:
    """A rubric made of two or more names joined by «и» or a comma, each name matching a
    rubric on its own or after the words the first name begins with («Право на свободу
    объединений и мирных собраний» = «… объединений» + «Право на свободу мирных собраний»).

    Every piece must match, each piece but the last whole (only the end of a rubric may be
    cut off); the split with the fewest pieces wins. None when there is no such split.
    """
    text = rubric.strip().strip("«»\"'“”„ ")
    cuts = [m.span() for m in _RUBRIC_JOINS.finditer(text)]
    if not cuts or len(cuts) >= _MAX_RUBRIC_PIECES:
        return None
    bounds = [0] + [e for _, e in cuts]  # where each piece starts
    ends = [s for s, _ in cuts] + [len(text)]  # where each piece ends
    head_words = normalize_rubric(text[:ends[0]]).split()  # the first name's words
    n = len(bounds)
    memo: dict[tuple[int, int], RubricRule | None] = {}

    def piece(i: int, j: int) -> RubricRule | None:
        """The rubric the pieces i..j (joined as written) name, if exactly one."""
        if (i, j) not in memo:
            segment = text[bounds[i]:ends[j]]
            found = _match_one(segment, rules)
            ok = {"exact", "extended", "fuzzy"} | ({"truncated"} if j == n - 1 else set())
            rule = found.rule if found.how in ok else None
            if rule is None and i > 0:  # «… мирных собраний»: borrow the first name's head
                tail = normalize_rubric(segment)
                whole = {"exact"} | ({"truncated"} if j == n - 1 else set())
                for k in range(len(head_words) - 1, 0, -1):
                    found = _match_one(" ".join(head_words[:k]) + " " + tail, rules)
                    if found.how in whole:
                        rule = found.rule
                        break
            memo[i, j] = rule
        return memo[i, j]

    best: list[RubricRule] | None = None

    def split(i: int, chosen: list[RubricRule]) -> None:
        nonlocal best
        if i == n:
            if len(chosen) >= 2 and (best is None or len(chosen) < len(best)):
                best = list(chosen)
            return
        for j in range(i, n):
            rule = piece(i, j)
            if rule is not None:
                split(j + 1, [*chosen, rule])

    split(0, [])
    if best is None:
        return None
    distinct = list({r.id: r for r in best}.values())
    if len(distinct) == 1:
        return RubricMatch("matched", distinct[0], "combined")
    return RubricMatch("matched", distinct[0], "combined", tuple(distinct[1:]))


def _match_one(rubric: str | None, rules: Rules) -> RubricMatch:
    """Map a rubric to one rubric rule (exact, cut off, extended or misspelt name)."""
    if not rubric or not rubric.strip():
        return RubricMatch("unknown")
    w = rules.weights
    norm = normalize_rubric(rubric)
    if not norm:
        return RubricMatch("unknown")
    if norm in rules.editorial:
        return RubricMatch("editorial")
    exact = {r.id: r for r in rules.rubrics if norm in r.names}
    if len(exact) == 1:
        return RubricMatch("matched", next(iter(exact.values())), "exact")
    if _is_capitals(rubric):
        return RubricMatch("editorial")
    long_enough = len(norm) >= w.rubric_min_prefix_chars and (
        len(norm.split()) >= w.rubric_min_prefix_words
    )
    if not long_enough:
        return RubricMatch("unknown")
    found: dict[str, tuple[RubricRule, str]] = {}
    for r in rules.rubrics:
        for name in r.names:
            if name.startswith(norm):
                found.setdefault(r.id, (r, "truncated"))
            elif (norm.startswith(name + " ")
                  and len(name.split()) >= w.rubric_min_extended_words):
                found.setdefault(r.id, (r, "extended"))
    if not found:
        from rapidfuzz import fuzz

        for r in rules.rubrics:
            for name in r.names:
                if len(name) < len(norm) - 3:
                    continue
                if fuzz.ratio(norm, name[: len(norm)]) >= w.rubric_fuzzy_ratio:
                    found.setdefault(r.id, (r, "fuzzy"))
    if len(found) == 1:
        rule, how = next(iter(found.values()))
        return RubricMatch("matched", rule, how)
    return RubricMatch("ambiguous" if found else "unknown")


# ---------------------------------------------------------------- accumulating obligations


def _combined(bases: dict[str, float]) -> float:
    """The confidence of independent pieces of evidence: 1 - the product of their misses."""
    miss = 1.0
    for score in bases.values():
        miss *= 1.0 - score
    return 1.0 - miss


class _Obligations:
    """Collects weighted evidence per provision and turns it into obligations."""

    def __init__(self, weights: TaggingWeights) -> None:
        self.w = weights
        # provision -> basis -> rule key -> weight
        self.weights: dict[str, dict[str, dict[str, float]]] = {}
        # provision -> rule key -> evidence
        self.evidence: dict[str, dict[tuple[str, str], list[Evidence]]] = {}

    def add(self, provision: str, basis: str, key: str, weight: float,
            evidence: Evidence) -> None:
        per_basis = self.weights.setdefault(provision, {}).setdefault(basis, {})
        per_basis[key] = max(per_basis.get(key, 0.0), weight)
        bucket = self.evidence.setdefault(provision, {}).setdefault((basis, key), [])
        if len(bucket) < self.w.max_evidence_per_rule and evidence not in bucket:
            bucket.append(evidence)

    def bases(self, provision: str) -> dict[str, float]:
        out = {}
        for basis, keys in self.weights.get(provision, {}).items():
            score = 1.0
            for weight in keys.values():
                score *= 1.0 - weight
            out[basis] = min(1.0 - score, self.w.cap.get(basis, 1.0))
        return out

    def confidence(self, provision: str) -> float:
        return _combined(self.bases(provision))

    def build(self, catalogue: Catalogue, incident: Incident) -> list[Obligation]:
        kept: list[tuple[str, float, dict[str, float]]] = []
        threshold = self.w.threshold
        for provision in self.weights:
            bases = self.bases(provision)
            conf = _combined(bases)
            if conf + 1e-9 >= threshold:
                kept.append((provision, conf, bases))
        with_articles = {p.split("#", 1)[0] for p, _, _ in kept if "#" in p}
        out: list[Obligation] = []
        for provision, conf, bases in kept:
            instrument = provision.split("#", 1)[0]
            if "#" not in provision and instrument in with_articles:
                continue  # an article of it is reported: the bare instrument adds nothing
            unique: dict[tuple[Span | None, str], Evidence] = {}
            for bucket in self.evidence[provision].values():
                for e in bucket:  # two rules firing on the same words: one piece of evidence
                    unique.setdefault((e.span, e.basis) if e.span else (None, e.text), e)
            evidence = sorted(
                unique.values(),
                key=lambda e: (e.span is not None, e.span.start if e.span else -1,
                               BASES.index(e.basis)),
            )
            out.append(
                Obligation(
                    provision=provision,
                    instrument=instrument,
                    basis=tuple(b for b in BASES if b in bases),
                    confidence=round(conf, 4),
                    binding_on_date=catalogue.binding_on(instrument, incident.date),
                    evidence=tuple(evidence),
                )
            )
        out.sort(key=lambda o: (-o.confidence, o.provision))
        return out


# ---------------------------------------------------------------- the tagger


def _rebuild_tagger(catalogue_path: str, weights: TaggingWeights) -> Tagger:
    from .catalogue import load_catalogue

    return Tagger(load_catalogue(catalogue_path), weights=weights)


class Tagger:
    """Tags incidents against a catalogue and its tagging rules.

    Cheap to pickle: it pickles as the catalogue's folder (and the weights) and is rebuilt
    from there, so a custom ``resolver`` is not carried across processes.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        resolver: Any | None = None,
        *,
        weights: TaggingWeights | None = None,
    ) -> None:
        if catalogue is None:
            from .catalogue import load_catalogue

            catalogue = load_catalogue()
        self.catalogue = catalogue
        self._resolver = resolver
        self.rules = compiled_rules(catalogue)
        if weights is not None:
            from attrs import evolve

            self.rules = evolve(self.rules, weights=weights)
        self.weights = self.rules.weights
        self._vocabulary = _Vocabulary(self.rules)
        self._known_ids: dict[str, bool] = {}
        self._known_for = catalogue

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_tagger, (str(self.catalogue.path), self.weights))

    # -- citations

    @property
    def resolver(self) -> Any | None:
        if self._resolver is None:
            try:
                from .resolve import Resolver
            except ModuleNotFoundError:  # pragma: no cover - resolver not installed
                return None
            self._resolver = Resolver(self.catalogue)
        return self._resolver

    def citations(self, text: str) -> list[Citation]:
        """Citations of one incident's text, resolved in one scope; spans into ``text``."""
        try:
            from .extract import extract
        except ModuleNotFoundError:  # pragma: no cover - grammar not installed
            return []
        resolver = self.resolver
        if resolver is None:  # pragma: no cover
            return []
        return list(resolver.resolve(extract(text)))

    # -- the whole incident

    def tag(self, incident: Incident) -> TaggedIncident:
        """The incident with its citations and the obligations they, its rubric, its trigger
        phrases and the charges it names engage."""
        text = incident.text
        citations = self.citations(text)
        acc = _Obligations(self.weights)
        # words of a catalogue instrument's name («Конвенции против пыток») trigger nothing
        cited = [c.span for c in citations if c.status != "unresolved"]
        if self._vocabulary._rules is not self.rules:  # the rules were swapped: re-read them
            self._vocabulary = _Vocabulary(self.rules)
        words = _relevant_words(text, cited, self._vocabulary)
        self._from_citations(citations, acc)
        self._from_rubric(incident, text, acc)
        self._from_triggers(text, words, acc)
        self._from_charges(text, words, acc)
        return TaggedIncident(incident, tuple(citations),
                              tuple(acc.build(self.catalogue, incident)))

    def _known(self, ident: str) -> bool:
        """Whether an id names a catalogued instrument (or a provision of one) that can be
        an obligation."""
        if self._known_for is not self.catalogue:  # the catalogue was swapped: forget
            self._known_ids, self._known_for = {}, self.catalogue
        known = self._known_ids.get(ident)
        if known is None:
            inst = self.catalogue.instruments.get(ident.split("#", 1)[0])
            known = inst is not None and inst.kind not in NOT_OBLIGATIONS
            if len(self._known_ids) > 100_000:  # bounded: memory stays flat on endless input
                self._known_ids.clear()
            self._known_ids[ident] = known
        return known

    def _from_citations(self, citations: Iterable[Citation], acc: _Obligations) -> None:
        w = self.weights
        for index, cit in enumerate(citations):
            if cit.status != "resolved" or not cit.instrument or not self._known(cit.instrument):
                continue
            ev = Evidence(cit.span, cit.text, "citation")
            key = f"citation:{index}"
            confidence = cit.confidence if cit.confidence > 0 else 1.0
            if cit.provisions:
                for provision in cit.provisions:
                    acc.add(provision, "citation", key, w.citation_provision * confidence, ev)
                    self._implied_by_provision(provision, ev, acc)
            else:
                inst = self.catalogue.instruments[cit.instrument]
                base = (w.citation_instrument_domestic if inst.jurisdiction == "kz"
                        else w.citation_instrument_international)
                acc.add(cit.instrument, "citation", key, base * confidence, ev)

    def _implied_by_provision(self, provision: str, ev: Evidence, acc: _Obligations) -> None:
        for rel in self.rules.relations:
            if provision == rel.provision or provision.startswith(rel.provision + "__"):
                implied = Evidence(ev.span, ev.text, "implied", detail=f"relation {rel.id}")
                for target in rel.engages:
                    if self._known(target):
                        acc.add(target, "implied", f"relation:{rel.id}",
                                self.weights.implied_from_citation, implied)

    def _from_rubric(self, incident: Incident, text: str, acc: _Obligations) -> None:
        found = match_rubric(incident.rubric, self.rules)
        if found.rule is None or incident.rubric is None:
            return
        rubric = incident.rubric.strip()
        where = text.find(rubric) if rubric else -1
        span = Span(where, where + len(rubric)) if where >= 0 else None
        w = self.weights
        for rule in found.rules:  # a combined rubric names several rights: evidence for each
            ev = Evidence(span, rubric, "rubric", detail=f"rubric {rule.id}")
            for target in rule.provisions:
                if self._known(target):
                    acc.add(target, "rubric", rule.id, w.rubric_primary, ev)
            for target in rule.related:
                if self._known(target):
                    acc.add(target, "rubric", rule.id, w.rubric_related, ev)

    def _matches(self, phrases: Sequence[Phrase], words: _Words, gap: int) -> list[_Match]:
        if isinstance(words, _SomeWords):  # only phrases whose every word is here
            present = words.present()
            phrases = [p for p, need in words.vocabulary.with_needs(phrases) if need <= present]
        if len(phrases) == 1:
            return _phrase_matches(phrases[0], words, gap)  # in order, no repeats
        found: set[_Match] = set()  # none when no phrase is left
        for phrase in phrases:
            found.update(_phrase_matches(phrase, words, gap))
        return sorted(found)

    def trigger_hits(self, rule: TriggerRule | RelationRule, words: _Words) -> list[Span]:
        """Spans where a trigger rule (or a relation's charge phrases) fires in a tokenised
        text, with negations, ``near`` and ``unless`` applied."""
        if isinstance(words, _SomeWords) and not words.may_fire(rule):
            return []  # a word of every phrase is missing (a shortcut: same result)
        w = self.weights
        gap = w.phrase_gap if rule.gap is None else rule.gap
        phrases = rule.charges if isinstance(rule, RelationRule) else rule.phrases
        found = self._matches(phrases, words, gap)
        if not found:
            return []
        nears = self._matches(rule.near, words, gap) if rule.near else []
        if rule.near and not nears:
            return []  # nothing a match could be near
        sentences = words.sentence
        window = rule.window or w.near_window
        unless_window = rule.unless_window or w.unless_window
        unless = self._matches(rule.unless, words, gap) if rule.unless else []
        spans: list[Span] = []
        near_index = _ByFirst(nears) if nears else None
        unless_index = _ByFirst(unless) if unless else None
        for m in found:  # near and unless first: they rule out more, and more cheaply
            if unless_index is not None and any(
                    _close(m, u, sentences, unless_window)
                    for u in unless_index.around(m, unless_window)):
                continue
            if near_index is not None:
                partners = [n for n in near_index.around(m, window)
                            if _close(m, n, sentences, window)
                            and not (n[0] <= m[1] and m[0] <= n[1])]
                if not partners:
                    continue
            if rule.negation and _negated(m, words, w):
                continue
            if near_index is not None:
                n = min(partners, key=lambda p: abs(p[0] - m[0]))
                spans.append(words.span(min(m[0], n[0]), max(m[1], n[1])))
            else:
                spans.append(words.span(*m))
        return spans

    def _from_triggers(self, text: str, words: _Words, acc: _Obligations) -> None:
        w = self.weights
        known = self._known
        for rule in words.candidates(self.rules.triggers):
            targets = [t for t in rule.targets if known(t)]
            if not targets:
                continue
            for span in self.trigger_hits(rule, words):
                ev = Evidence(span, text[span.start:span.end], "trigger",
                              detail=f"trigger {rule.id}")
                for target in targets:
                    acc.add(target, "trigger", rule.id, w.trigger[rule.strength], ev)

    def _from_charges(self, text: str, words: _Words, acc: _Obligations) -> None:
        w = self.weights
        for rel in words.candidates(self.rules.relations):
            if not rel.charges or not self._known(rel.provision):
                continue
            for span in self.trigger_hits(rel, words):
                ev = Evidence(span, text[span.start:span.end], "implied",
                              detail=f"charge {rel.id}")
                acc.add(rel.provision, "implied", f"charge:{rel.id}", w.implied_charge, ev)
                for target in rel.engages:
                    if self._known(target):
                        acc.add(target, "implied", f"charge:{rel.id}",
                                w.implied_from_charge, ev)
