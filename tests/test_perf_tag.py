"""Tagging reads only the sentences that may hold a match, with the very same result.

The fast path (:func:`normref.tag._relevant_words`) must give every obligation, span and
piece of evidence the full tokenisation (:func:`normref.tag._all_words`) gives; these tests
compare the two on generated texts and count the work the fast path saves.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normref import tag as tag_module
from normref.catalogue import load_catalogue
from normref.model import Incident, Span, to_json
from normref.tag import Tagger

NEGATIONS = ["не", "нет", "без", "никаких", "было", "применялись", "жоқ", "емес", "not"]
OTHER_WORDS = ["в", "на", "по", "суд", "ст.", "УК", "РК", "статьи", "19", "Orda.kz", "также",
               "сотрудники", "Конвенции", "против", "пыток", "МПГПП", "журналист"]
SEPARATORS = [" ", " ", " ", ". ", ".", "\n", "\n\n", "; ", "! ", "… ", ", ", " - ", ",\n"]


@pytest.fixture(scope="module")
def phrase_words(tagger: Tagger) -> list[str]:
    words: list[str] = []
    for phrase, _ in tag_module._phrases_of(tagger.rules):
        for chunk in phrase.text.split():
            words.extend(alt.strip("=*") for alt in chunk.split("|") if alt.strip("=*"))
    return sorted(set(words))


def _incident(text: str) -> Incident:
    return Incident(id="x", text=text, span=Span(0, len(text)), date=dt.date(2025, 6, 1))


def _both(tagger: Tagger, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict]:
    fast = to_json(tagger.tag(_incident(text)))
    with monkeypatch.context() as m:
        m.setattr(tag_module, "_relevant_words",
                  lambda text, blocked, vocabulary: tag_module._all_words(text, blocked))
        full = to_json(tagger.tag(_incident(text)))
    return fast, full


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_path_tags_exactly_like_the_full_one(tagger, phrase_words, data) -> None:
    monkeypatch = pytest.MonkeyPatch()
    vocabulary = phrase_words + NEGATIONS + OTHER_WORDS
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=40))
    gaps = data.draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words),
                              max_size=len(words)))
    text = "".join(w + g for w, g in zip(words, gaps, strict=True))
    fast, full = _both(tagger, text, monkeypatch)
    assert fast == full


def test_fast_path_on_a_whole_digest(tagger, monkeypatch) -> None:
    from normref.digest import parse_digest
    from normref.resources import sample_digest

    for incident in parse_digest(sample_digest().read_text(encoding="utf-8")):
        fast, full = _both(tagger, incident.text, monkeypatch)
        assert fast == full, incident.id


def test_sentences_without_a_phrase_are_not_tokenised(tagger) -> None:
    filler = "Заседание перенесли на следующую неделю. Редакция следит за событиями.\n"
    words = tag_module._relevant_words(filler * 50, (), tagger._vocabulary)
    assert len(words) == 0


def test_a_matching_sentence_and_the_next_word_are_tokenised(tagger) -> None:
    text = ("Редакция следит за событиями. К задержанному применяли пытки. Заседание "
            "перенесли на следующую неделю. Редакция следит за событиями.")
    words = tag_module._relevant_words(text, (), tagger._vocabulary)
    kept = [text[s.start:s.end] for s in (words.span(i, i) for i in range(len(words)))]
    assert kept == ["К", "задержанному", "применяли", "пытки", "Заседание"]
    assert len(set(words.sentence)) == 2


def test_rules_swapped_after_construction_are_followed() -> None:
    import attrs

    tagger = Tagger(load_catalogue())
    text = "По словам задержанного, к нему применяли пытки."
    before = to_json(tagger.tag(_incident(text)))
    assert any(o["basis"] == ["trigger"] for o in before["obligations"])
    tagger.rules = attrs.evolve(tagger.rules, triggers=())
    after = to_json(tagger.tag(_incident(text)))
    assert not any("trigger" in o["basis"] for o in after["obligations"])
