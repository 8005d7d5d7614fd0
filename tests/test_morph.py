"""Shared morphology: normalisation, lemmas in every case, tokens with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normref.morph import lemma, normalize, stem_en, stem_kk, tokens, unify


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Ёлка", "елка"),
        ("«Закон»", '"закон"'),
        ("“Закон”", '"закон"'),
        ("„Закон“", '"закон"'),
        ("456–2", "456-2"),
        ("456—2", "456-2"),
        ("a\u00a0\u00a0b", "a b"),
        ("a\u202fb", "a b"),
        ("За\u200bкон", "закон"),
        ("  лишние   пробелы \n", "лишние пробелы"),
        ("Кoнвенция", "конвенция"),  # Latin o
        ("KОДЕКС", "кодекс"),  # Latin K
        ("ICCPR", "iccpr"),  # a Latin word stays Latin
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_unify_keeps_case():
    assert unify("УК\u00a0РК") == "УК РК"
    assert unify("Кoдекс") == "Кодекс"


SIX_CASES = [
    ("конвенция", ["Конвенция", "Конвенции", "Конвенцию", "Конвенцией", "конвенциях"]),
    ("пакт", ["Пакт", "Пакта", "Пакту", "Пактом", "Пакте"]),
    ("кодекс", ["Кодекс", "Кодекса", "Кодексу", "Кодексом", "Кодексе"]),
    ("беженец", ["беженцы", "беженцев", "беженцам", "беженцами", "беженцах"]),
    ("правило", ["Правила", "Правил", "Правилам", "Правилами", "Правилах"]),
    ("конституция", ["Конституция", "Конституции", "Конституцию", "Конституцией"]),
    ("закон", ["Закон", "Закона", "Закону", "Законом", "Законе"]),
    ("уголовный", ["Уголовный", "Уголовного", "Уголовному", "Уголовным", "Уголовном"]),
]


@pytest.mark.parametrize("expected,forms", SIX_CASES)
def test_lemma_of_every_case(expected, forms):
    assert {lemma(f) for f in forms} == {expected}


def test_unknown_names_share_a_stem():
    assert len({lemma(w) for w in ["Мандела", "Манделы", "Манделе", "Манделой"]}) == 1


@pytest.mark.parametrize(
    "word,stem",
    [("кодексінің", "кодекс"), ("конституциясы", "конституция"), ("заңы", "заң"),
     ("заңының", "заң"), ("кодексі", "кодекс"), ("конвенциясы", "конвенция")],
)
def test_kazakh_stem(word, stem):
    assert stem_kk(word) == stem
    assert lemma(word, "kk") == stem


@pytest.mark.parametrize(
    "word,stem",
    [("covenants", "covenant"), ("refugees", "refugee"), ("rights", "right"),
     ("parties", "party"), ("status", "status"), ("nation's", "nation"), ("rules", "rule")],
)
def test_english_stem(word, stem):
    assert stem_en(word) == stem


def test_tokens_have_exact_spans():
    text = "Согласно ст.\u00a0456-2 УК РК «О масс-медиа»"
    toks = tokens(text)
    assert [t.text for t in toks] == ["Согласно", "ст", "456-2", "УК", "РК", "О", "масс-медиа"]
    for t in toks:
        assert text[t.start : t.end] == t.text
    assert toks[-1].lemma == "масс-медиа"


@given(st.text(max_size=200))
def test_token_spans_always_match(text):
    for t in tokens(text):
        assert text[t.start : t.end] == t.text
        assert t.lemma == lemma(t.text)


@given(st.text(max_size=200))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "ё" not in once and "\u00a0" not in once and "«" not in once
