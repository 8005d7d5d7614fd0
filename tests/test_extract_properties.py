"""Invariants of extract(): exact spans, robustness, citations found in any surroundings, and
work that grows linearly with the input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref.extract import STATS, extract

# Characters that exercise the tokenizer: Cyrillic, Kazakh and Latin letters, digits, quotes,
# dashes, invisible and non-breaking spaces, punctuation.
ALPHABET = (
    "абвгдежзийклмнопрстуфхцчшщъыьэюяёАБВГДЕЖЗИКЛМНОПРСТУФХЧЭЮЯ"
    "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
    "abcdefghijklmnopqrstuvwxyzACEIKLMNOPRSTUV"
    "0123456789 \n\t.,;:()-–—«»\"“”„№§/\u00a0\u200b\u00ad\u202f"
)
WORDS = [
    "статья", "статьи", "ст.", "ч.", "п.", "пп.", "абз.", "пункт", "часть", "Конвенции",
    "Конституции", "Закона", "закон", "о", "об", "беженцах", "УК", "РК", "КоАП", "Пакта", "ООН",
    "1951", "года", "№", "12", "19", "и", ",", "–", "данной", "той", "же", "article", "of", "the",
    "ICCPR", "Convention", "No.", "274-бабы", "2-бөлігі", "Қылмыстық", "кодексінің", "туралы",
    "«О", "масс-медиа»", "(3)", "(d)", "«а»", "Правила", "правило", "24", "Rules", "to", "по", "с",
]

text_strategy = st.one_of(
    st.text(alphabet=ALPHABET, max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.text(max_size=200),
)


def assert_well_formed(text: str) -> None:
    found = extract(text)
    previous_end = -1
    for cit in found:
        assert text[cit.span.start : cit.span.end] == cit.text
        assert cit.span.start >= previous_end, "citations overlap or are out of order"
        assert cit.text.strip() == cit.text and cit.text
        if cit.instrument_span is not None:
            assert text[cit.instrument_span.start : cit.instrument_span.end] == cit.instrument_text
            inner = cit.instrument_span
            assert cit.span.start <= inner.start <= inner.end <= cit.span.end
        assert cit.lang in ("ru", "kk", "en")
        assert cit.short_form in (None, "instrument", "provision", "bare")
        previous_end = cit.span.end


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_spans_are_exact_and_nothing_raises(text: str) -> None:
    assert_well_formed(text)


# Citations with what a reader expects the parse to give, to be dropped into random text.
SAMPLES = [
    ("статьи 33 Конвенции ООН 1951 года о статусе беженцев", ("33",)),
    ("ч. 2 ст. 274 УК РК", ("274",)),
    ("п. 1 ч. 3 ст. 14 Закона «О масс-медиа»", ("14",)),
    ("статей 7, 9 и 10 Пакта", ("7", "9", "10")),
    ("ст. 19–22 Конституции", ("19", "20", "21", "22")),
    ("Закона о политических партиях", ()),
    ("Конституции Республики Казахстан", ()),
    ("Article 19(2) of the ICCPR", ("19",)),
    ("articles 19, 21 and 22 of the Covenant", ("19", "21", "22")),
    ("UNHCR Guidelines on International Protection No. 12", ()),
    ("Қылмыстық кодексінің 274-бабының 2-бөлігі", ("274",)),
    ("Конституцияның 20-бабы", ("20",)),
    ("Замечание общего порядка № 34", ()),
    ("Правил Нельсона Манделы", ()),
    ("статьи 33", ("33",)),
]
# Words that can never extend a citation on either side (verbs, pronouns, adverbs, names of
# people and places in the nominative): a citation dropped among them keeps its exact span.
FILLER = [
    "суд", "заявил", "сказал", "вчера", "сегодня", "не", "что", "когда", "журналист", "они",
    "было", "уже", "только", "Алматы", "Астана", "said", "was", "when", "yesterday", "court",
    "жылы", "деді", ".", "!", "?", "—", "\n", "\n\n", "* * *",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.sampled_from(FILLER), max_size=30),
    st.lists(st.sampled_from(FILLER), max_size=30),
    st.sampled_from([" ", "\n", "\u00a0", " («", ": "]),
    st.sampled_from([" ", ". ", ", ", "\n", "») "]),
)
def test_citation_found_in_any_surroundings(
    sample: tuple[str, tuple[str, ...]], before: list[str], after: list[str], left: str, right: str
) -> None:
    citation, articles = sample
    prefix = " ".join(before) + left
    text = prefix + citation + right + " ".join(after)
    found = extract(text)
    spans = [(c.span.start, c.span.end) for c in found]
    assert (len(prefix), len(prefix) + len(citation)) in spans, (text, [c.text for c in found])
    cit = next(c for c in found if c.span.start == len(prefix))
    assert tuple(p.article for p in cit.pinpoints if p.article) == articles


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(SAMPLES), min_size=1, max_size=8),
    st.lists(st.sampled_from(FILLER), min_size=1, max_size=8),
)
def test_several_citations_keep_their_spans(
    samples: list[tuple[str, tuple[str, ...]]], filler: list[str]
) -> None:
    glue = " " + " ".join(filler) + " "
    pieces = [s for s, _ in samples]
    text = glue.join(pieces)
    expected = []
    pos = 0
    for piece in pieces:
        expected.append((pos, pos + len(piece)))
        pos += len(piece) + len(glue)
    found = [(c.span.start, c.span.end) for c in extract(text)]
    for span in expected:
        assert span in found, (text, found)


# ---------------------------------------------------------------- linear work


def work_for(text: str) -> int:
    STATS.reset()
    extract(text)
    return STATS.work


@pytest.mark.parametrize(
    "unit",
    [
        "статьи 1, 2, 3, ",
        "ст. ст. ст. ",
        "Конвенции Конвенции ",
        "ч. 1 и ",
        "закон о ",
        "Закона «О ",
        "статья 5 Закона о беженцах, ",
        "Article 1 of the ",
        "274-бабы ",
        "«",
        "the the ",
    ],
)
def test_work_grows_linearly(unit: str) -> None:
    small = work_for(unit * 2_000)
    large = work_for(unit * 8_000)
    assert large <= 4 * small * 1.05 + 100
    # and a bounded amount of work per character
    assert large <= 20 * len(unit * 8_000)


@pytest.mark.parametrize(
    ("unit", "times"),
    [("ст. ст. ст. ", 100_000), ("Конвенции Конвенции ", 100_000), ("статьи 1, 2, 3, ", 20_000)],
)
def test_long_repetitions_stay_linear(unit: str, times: int) -> None:
    text = unit * times
    STATS.reset()
    found = extract(text)
    assert STATS.work <= 20 * len(text)
    assert all(text[c.span.start : c.span.end] == c.text for c in found)
