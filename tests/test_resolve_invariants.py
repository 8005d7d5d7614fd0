"""Whatever the grammar hands over, resolution keeps its promises (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from normref.model import Pinpoint, RawCitation, Span
from normref.resolve import resolver_for

RESOLVER = resolver_for()
CATALOGUE = RESOLVER.catalogue

PHRASES = st.one_of(
    st.sampled_from(
        ["МПГПП", "УК РК", "УК РФ", "Конвенции ООН", "Конституции", "данной Конвенции",
         "указанного Закона", "Протокола 1967 года", "Закона «О масс-медиа»", "Пакта",
         "проекта закона «О внесении изменений»", "Трудового кодекса", "ICCPR", "этого Кодекса",
         "Қылмыстық кодексінің", "Конвенции МОТ № 87", "Рекомендации УВКБ ООН №12", "КПП",
         "УК", "данной Конвенции", "Азаптауларға қарсы конвенцияның",
         "Замечания общего порядка № 34", "Протокола 1967 года"]
    ),
    st.text(max_size=40),
    st.none(),
)
NUMBERS = st.one_of(
    st.none(), st.sampled_from(["1", "19", "33", "456-2", "d", "(b)", "а", "999", "IV"]),
    st.text(max_size=5),
)
PINPOINTS = st.builds(Pinpoint, article=NUMBERS, part=NUMBERS, item=NUMBERS, subitem=NUMBERS,
                      rule=st.one_of(st.none(), st.sampled_from(["24", "1"])))


@st.composite
def raw_lists(draw):
    raws = []
    pos = 0
    for _ in range(draw(st.integers(0, 8))):
        phrase = draw(PHRASES)
        text = phrase or "статья"
        raws.append(
            RawCitation(
                span=Span(pos, pos + len(text)),
                text=text,
                pinpoints=tuple(draw(st.lists(PINPOINTS, max_size=3))),
                instrument_text=phrase,
                title=draw(st.one_of(st.none(), st.sampled_from(["О беженцах", "О чём-то"]))),
                year=draw(st.one_of(st.none(), st.integers(1900, 2030))),
                number=draw(st.one_of(st.none(), st.sampled_from(["12", "87", "216-IV"]))),
                jurisdiction_hint=draw(st.sampled_from([None, "kz", "ru", "kg"])),
                short_form=draw(st.sampled_from([None, None, "instrument", "provision", "bare"])),
                lang=draw(st.sampled_from(["ru", "kk", "en"])),
            )
        )
        pos += len(text) + 1
    return raws


@settings(max_examples=300, deadline=None)
@given(raw_lists())
def test_resolution_invariants(raws):
    cites = RESOLVER.resolve(raws)
    assert len(cites) == len(raws)
    for index, (raw, cite) in enumerate(zip(raws, cites, strict=True)):
        assert cite.raw.span == raw.span and cite.text == raw.text
        assert 0.0 <= cite.confidence <= 1.0
        assert cite.status in ("resolved", "ambiguous", "unresolved")
        if cite.status == "resolved":
            assert cite.instrument in CATALOGUE.instruments
            assert all(p.startswith(cite.instrument + "#") for p in cite.provisions)
            assert len(set(cite.provisions)) == len(cite.provisions)
            # provision ids are never made up: every one is in the catalogue
            assert all(p in CATALOGUE.provisions for p in cite.provisions)
        else:
            assert cite.instrument is None and cite.provisions == ()
        if cite.status == "ambiguous":
            assert cite.candidates
            assert all(c in CATALOGUE.instruments for c in cite.candidates)
        if cite.status == "unresolved":
            assert cite.reason
        if cite.antecedent is not None:
            assert 0 <= cite.antecedent < index
