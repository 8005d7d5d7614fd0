"""Resolver behaviour on a small catalogue: instruments, provisions, short forms, ambiguity."""

from __future__ import annotations

import pickle

import pytest

from normref.model import Pinpoint, RawCitation, Span
from normref.resolve import HOMONYM_REASON, Resolver, provision_eid
from resolve_fixtures import mini_catalogue


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return mini_catalogue(tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def resolver(catalogue):
    return Resolver(catalogue)


def raw(instrument: str | None, *pins: Pinpoint, start: int = 0, **kw) -> RawCitation:
    text = kw.pop("text", instrument or "статья")
    return RawCitation(
        span=Span(start, start + len(text)),
        text=text,
        pinpoints=tuple(pins),
        instrument_text=instrument,
        **kw,
    )


def art(number: str, **kw) -> Pinpoint:
    return Pinpoint(article=number, **kw)


# ---------------------------------------------------------------- instruments


@pytest.mark.parametrize(
    "phrase",
    [
        "Конвенция о статусе беженцев",
        "Конвенции о статусе беженцев",
        "Конвенцию о статусе беженцев",
        "Конвенцией о статусе беженцев",
        "конвенции  о  статусе  беженцев",
        "КОНВЕНЦИЯ О СТАТУСЕ БЕЖЕНЦЕВ",
        "Конвенции ООН 1951 года о статусе беженцев",
        "Конвенции ООН о статусе беженцев 1951 года",
        "Кoнвенции о статусе беженцев",  # Latin o
        "Refugee Convention",
        "Босқындардың мәртебесі туралы конвенциясы",
    ],
)
def test_refugee_convention_in_any_form(resolver, phrase):
    m = resolver.match(phrase)
    assert (m.status, m.instrument) == ("resolved", "un.refugee-convention")
    assert 0.5 < m.confidence <= 1


def test_year_chooses_between_convention_and_protocol(resolver):
    assert resolver.match("Протокола 1967 года").instrument == "un.refugee-protocol"
    assert resolver.match("Конвенции 1951 года").instrument == "un.refugee-convention"
    assert resolver.match("Протокол", year=1967).instrument == "un.refugee-protocol"


def test_number_chooses_between_ilo_conventions(resolver):
    assert resolver.match("Конвенции МОТ № 87").instrument == "ilo.c087"
    assert resolver.match("Конвенция МОТ 98").instrument == "ilo.c098"
    assert resolver.match("ILO Convention No. 87").instrument == "ilo.c087"
    assert resolver.match("Рекомендации УВКБ ООН №12").instrument == "unhcr.gip-12"


def test_abbreviations_are_exact(resolver):
    assert resolver.match("МПГПП").instrument == "un.iccpr"
    assert resolver.match("ICCPR").instrument == "un.iccpr"
    assert resolver.match("УК РК").instrument == "kz.criminal-code"
    assert resolver.match("УК").instrument == "kz.criminal-code"  # Kazakhstan's by default
    assert resolver.match("УК Республики Казахстан").instrument == "kz.criminal-code"


@pytest.mark.parametrize(
    "phrase", ["УК РФ", "Уголовного кодекса Российской Федерации", "Конституции России",
               "Закона Кыргызской Республики о беженцах", "Уголовного кодекса Узбекистана"]
)
def test_another_countrys_law_is_not_kazakhstans(resolver, phrase):
    m = resolver.match(phrase)
    assert m.status == "unresolved" and m.instrument is None
    assert "not in catalogue" in m.reason


def test_default_jurisdiction_is_a_setting(catalogue):
    assert Resolver(catalogue).match("Конституции").instrument == "kz.constitution"
    other = Resolver(catalogue, default_jurisdiction="ru")
    m = other.match("Конституции")
    assert m.status == "unresolved" and "not in catalogue" in m.reason
    assert other.match("Конституции РК").instrument == "kz.constitution"
    assert other.match("МПГПП").instrument == "un.iccpr"  # international stays


def test_jurisdiction_hint_from_the_grammar(resolver):
    assert resolver.match("Уголовного кодекса", jurisdiction="ru").status == "unresolved"
    assert resolver.match("Уголовного кодекса", jurisdiction="kz").instrument == "kz.criminal-code"


@pytest.mark.parametrize(
    "phrase", ["Конвенции ООН", "Конвенция", "конвенции"]
)
def test_a_bare_kind_is_ambiguous(resolver, phrase):
    m = resolver.match(phrase)
    assert m.status == "ambiguous"
    assert {"un.refugee-convention", "un.cat"} <= set(m.candidates)
    assert m.instrument is None and m.confidence < 0.5


def test_typos_and_reordering(resolver):
    assert resolver.match("Конвенцыи о статусе бежинцев").instrument == "un.refugee-convention"
    reordered = resolver.match("Пакта международного о политических и гражданских правах")
    assert reordered.instrument == "un.iccpr"
    fuzzy = resolver.match("Конвенцыи о статусе бежинцев").confidence
    assert fuzzy < resolver.match("Конвенции о статусе беженцев").confidence


def test_quoted_titles(resolver):
    assert resolver.match("Закона РК «О масс-медиа»").instrument == "kz.law.mass-media"
    assert resolver.match("Закон", title="О масс-медиа").instrument == "kz.law.mass-media"
    assert resolver.match("Закона «О беженцах»").instrument == "kz.law.refugees"
    m = resolver.match(
        "проекта закона «О внесении изменений и дополнений в некоторые законодательные акты "
        "Республики Казахстан по вопросам масс-медиа»"
    )
    assert m.status == "unresolved" and "not in catalogue" in m.reason


def test_kazakh_and_english_names(resolver):
    assert resolver.match("Қазақстан Республикасының Конституциясы", lang="kk").instrument == (
        "kz.constitution"
    )
    assert resolver.match("Қылмыстық кодексінің", lang="kk").instrument == "kz.criminal-code"
    assert resolver.match("Criminal Code of Kazakhstan").instrument == "kz.criminal-code"
    assert resolver.match("International Covenant on Civil and Political Rights").instrument == (
        "un.iccpr"
    )


@pytest.mark.parametrize(
    "phrase,instrument",
    [("Конституциясына", "kz.constitution"), ("Конституциясының", "kz.constitution"),
     ("Қылмыстық кодексіне", "kz.criminal-code"), ("Азаптауларға қарсы конвенцияның", "un.cat"),
     ("Босқындардың мәртебесі туралы конвенциясына", "un.refugee-convention")],
)
def test_kazakh_names_even_when_handed_over_as_russian(resolver, phrase, instrument):
    # the grammar may say lang="ru" for a Kazakh word with no Kazakh-only letter
    [c] = resolver.resolve([raw(phrase, art("20"), lang="ru")])
    assert c.instrument == instrument and c.confidence > 0.7


def test_law_and_convention_of_the_same_subject_stay_apart(resolver):
    assert resolver.match("Закон о беженцах").instrument == "kz.law.refugees"
    assert resolver.match("Закону о беженцах").instrument == "kz.law.refugees"
    assert resolver.match("Конвенции о статусе беженцев").instrument == "un.refugee-convention"


# ---------------------------------------------------------------- provisions


@pytest.mark.parametrize(
    "pin,eid",
    [
        (art("33"), "art_33"),
        (art("14", item="3", subitem="d"), "art_14__para_3__point_d"),
        (art("14", item="3", subitem="(d)"), "art_14__para_3__point_d"),
        (art("174", part="1"), "art_174__para_1"),
        (art("10", part="1", item="3"), "art_10__para_1__point_3"),
        (art("5", item="1", subitem="2)"), "art_5__para_1__point_2"),
        (art("456-2"), "art_456-2"),
        (art("456–2"), "art_456-2"),
        (art("20", item="1", subitem="а"), "art_20__para_1__point_a"),
        (Pinpoint(rule="24"), "rule_24"),
        (Pinpoint(item="12"), "para_12"),
        (art("I"), "art_1"),
        (art("II"), "art_2"),
        (art("IV", item="1"), "art_4__para_1"),
        (art("XI"), "art_11"),
        (art("ІІ"), "art_2"),  # typed with the Cyrillic І
        (art("5", item="1", subitem="(ii)"), "art_5__para_1__point_ii"),  # only articles
        (Pinpoint(), None),
    ],
)
def test_eids(pin, eid):
    assert provision_eid(pin) == eid


def test_provisions_lists_and_fallback(resolver):
    [c] = resolver.resolve([raw("МПГПП", art("19"), art("21"))])
    assert c.provisions == ("un.iccpr#art_19", "un.iccpr#art_21")
    [c] = resolver.resolve([raw("МПГПП", art("14", item="3", subitem="d"))])
    assert c.provisions == ("un.iccpr#art_14__para_3__point_d",)
    [c] = resolver.resolve([raw("МПГПП", art("14", item="5"))])  # not listed: the article
    assert c.status == "resolved" and c.provisions == ("un.iccpr#art_14",)
    [c] = resolver.resolve([raw("УК РК", art("174", part="1"))])
    assert c.provisions == ("kz.criminal-code#art_174__para_1",)
    [c] = resolver.resolve([raw("Конституции", art("20", item="2"))])
    assert c.provisions == ("kz.constitution#art_20__para_2",)


def test_missing_article_is_unresolved_with_reason(resolver):
    # the small catalogue lists every article of the 1967 Protocol: there is no article 12
    [c] = resolver.resolve([raw("Протокола 1967 года", art("12"))])
    assert c.status == "unresolved" and c.instrument is None
    assert "article 12" in c.reason and "un.refugee-protocol" in c.reason
    [c] = resolver.resolve([raw("Протокола 1967 года", art("1"), art("12"))])
    assert c.status == "resolved" and c.provisions == ("un.refugee-protocol#art_1",)
    assert "article 12" in c.reason


#: Pinpoints into an instrument that lists only some of its provisions, or none: the
#: citation points to the instrument, with no provision ids, and says why.
UNLISTED = [
    ("МПГПП", art("99"), "un.iccpr"),  # the small catalogue lists five ICCPR articles
    ("Конвенции против пыток", art("3"), "un.cat"),  # lists no article at all
    ("Закона о беженцах", art("11"), "kz.law.refugees"),
    ("Уголовного кодекса", art("130"), "kz.criminal-code"),  # a code lists some articles
    ("Руководящих принципов по международной защите № 12", Pinpoint(item="47"),
     "unhcr.gip-12"),
]


@pytest.mark.parametrize("phrase,pin,instrument", UNLISTED)
def test_pinpoint_the_catalogue_does_not_list(resolver, phrase, pin, instrument):
    [c] = resolver.resolve([raw(phrase, pin)])
    assert (c.status, c.instrument, c.provisions) == ("resolved", instrument, ())
    assert "not in the catalogue" in c.reason
    [whole] = resolver.resolve([raw(phrase)])
    assert c.confidence < whole.confidence


def test_roman_article_numbers(resolver):
    [c] = resolver.resolve([raw("Протокола 1967 года", art("I"), art("II"), art("XI"))])
    assert c.provisions == (
        "un.refugee-protocol#art_1", "un.refugee-protocol#art_2", "un.refugee-protocol#art_11"
    )
    [c] = resolver.resolve([raw("1967 Protocol", art("I", item="2"), lang="en")])
    assert c.provisions == ("un.refugee-protocol#art_1__para_2",)


def test_instrument_only_mention_has_no_provisions(resolver):
    [c] = resolver.resolve([raw("Уголовный кодекс")])
    assert c.status == "resolved" and c.provisions == () and c.reason is None


# ---------------------------------------------------------------- short forms


def test_short_forms_lean_on_earlier_citations(resolver):
    cites = resolver.resolve(
        [
            raw("Уголовного кодекса", art("174")),
            raw("МПГПП", art("19")),
            raw("данного Пакта", art("21"), short_form="instrument"),
            raw(None, Pinpoint(item="3"), short_form="provision", text="пункт 3 той же статьи"),
            raw("указанного Кодекса", art("274"), short_form="instrument"),
            raw(None, art("174"), short_form="bare", text="статьи 174"),
        ]
    )
    assert [c.status for c in cites] == ["resolved"] * 6
    assert cites[2].provisions == ("un.iccpr#art_21",) and cites[2].antecedent == 1
    # «той же статьи»: article 21 of the Covenant; para 3 is not listed -> the article
    assert cites[3].provisions == ("un.iccpr#art_21",) and cites[3].antecedent == 2
    assert cites[4].provisions == ("kz.criminal-code#art_274",) and cites[4].antecedent == 0
    assert cites[5].instrument == "kz.criminal-code" and cites[5].antecedent == 4
    assert cites[5].confidence < cites[0].confidence


def test_short_form_without_antecedent_is_unresolved(resolver):
    [c] = resolver.resolve([raw("данной Конвенции", art("3"), short_form="instrument")])
    assert c.status == "unresolved" and c.antecedent is None
    [c] = resolver.resolve([raw(None, art("33"), short_form="bare", text="статьи 33")])
    assert c.status == "unresolved"


def test_short_forms_never_cross_calls(resolver):
    resolver.resolve([raw("МПГПП", art("19"))])
    [c] = resolver.resolve([raw(None, art("19"), short_form="bare", text="статьи 19")])
    assert c.status == "unresolved"


def test_short_form_needs_a_fitting_kind(resolver):
    cites = resolver.resolve(
        [
            raw("Закона о беженцах", art("11")),
            raw("Конвенции о статусе беженцев", art("33")),
            raw("Уголовного кодекса", art("174")),
            raw("данной Конвенции", art("1"), short_form="instrument"),
            raw("этого закона", art("12"), short_form="instrument"),
            raw("указанного Кодекса", art("274"), short_form="instrument"),
        ]
    )
    assert cites[3].instrument == "un.refugee-convention" and cites[3].antecedent == 1
    assert cites[4].instrument == "kz.law.refugees" and cites[4].antecedent == 0
    assert cites[5].instrument == "kz.criminal-code" and cites[5].antecedent == 2


def short(phrase: str, *pins: Pinpoint) -> RawCitation:
    return raw(phrase, *pins, short_form="instrument")


def same_article(*pins: Pinpoint, text: str = "той же статьи") -> RawCitation:
    return raw(None, *(pins or (Pinpoint(),)), short_form="provision", text=text)


def bare(number: str) -> RawCitation:
    return raw(None, art(number), short_form="bare", text=f"статьи {number}")


R, U, A = "resolved", "unresolved", "ambiguous"

#: One incident each: the citations in text order, then for each (status, instrument,
#: provision ids, antecedent). A short form leans on the nearest earlier citation of an
#: instrument whose kind its head word names: a Convention is not the Covenant.
SHORT_FORM_TABLE = [
    ([raw("МПГПП", art("19"), art("21")), short("данной Конвенции", art("3"))],
     [(R, "un.iccpr", ("un.iccpr#art_19", "un.iccpr#art_21"), None), (U, None, (), None)]),
    ([raw("Конвенции против пыток", art("3")), raw("МПГПП", art("19")),
      short("данной Конвенции", art("2"))],
     [(R, "un.cat", (), None), (R, "un.iccpr", ("un.iccpr#art_19",), None),
      (R, "un.cat", (), 0)]),
    ([raw("МПГПП", art("19")), short("этого Пакта", art("20"))],
     [(R, "un.iccpr", ("un.iccpr#art_19",), None), (R, "un.iccpr", ("un.iccpr#art_20",), 0)]),
    ([raw("Закона о беженцах"), raw("Уголовного кодекса", art("174")),
      short("указанного Закона")],
     [(R, "kz.law.refugees", (), None), (R, "kz.criminal-code", ("kz.criminal-code#art_174",),
                                          None), (R, "kz.law.refugees", (), 0)]),
    ([raw("Уголовного кодекса", art("174")), short("указанного Закона", art("5"))],
     [(R, "kz.criminal-code", ("kz.criminal-code#art_174",), None), (U, None, (), None)]),
    ([raw("Закона о беженцах"), short("данного Кодекса", art("5"))],
     [(R, "kz.law.refugees", (), None), (U, None, (), None)]),
    ([raw("Конституции", art("20")), short("данной Конституции", art("20", item="2"))],
     [(R, "kz.constitution", ("kz.constitution#art_20",), None),
      (R, "kz.constitution", ("kz.constitution#art_20__para_2",), 0)]),
    ([raw("Протокола 1967 года"), raw("Конвенции о статусе беженцев", art("33")),
      short("данного Протокола", art("1"))],
     [(R, "un.refugee-protocol", (), None),
      (R, "un.refugee-convention", ("un.refugee-convention#art_33",), None),
      (R, "un.refugee-protocol", ("un.refugee-protocol#art_1",), 0)]),
    ([raw("Конвенции о статусе беженцев", art("33")), short("данного Протокола", art("1"))],
     [(R, "un.refugee-convention", ("un.refugee-convention#art_33",), None),
      (U, None, (), None)]),
    ([raw("Руководящих принципов УВКБ № 12"), short("данных Руководящих принципов")],
     [(R, "unhcr.gip-12", (), None), (R, "unhcr.gip-12", (), 0)]),
    ([raw("МПГПП", art("19")), same_article(Pinpoint(item="3"), text="пункт 3 этой статьи")],
     [(R, "un.iccpr", ("un.iccpr#art_19",), None), (R, "un.iccpr", ("un.iccpr#art_19",), 0)]),
    ([raw("МПГПП", art("14")), raw("Закона о беженцах"),
      same_article(Pinpoint(item="3"), text="пункт 3 той же статьи")],
     [(R, "un.iccpr", ("un.iccpr#art_14",), None), (R, "kz.law.refugees", (), None),
      (R, "un.iccpr", ("un.iccpr#art_14__para_3",), 0)]),
    ([raw("МПГПП", art("19")), raw("УК РК", art("174")), same_article(Pinpoint(part="1"))],
     [(R, "un.iccpr", ("un.iccpr#art_19",), None),
      (R, "kz.criminal-code", ("kz.criminal-code#art_174",), None),
      (R, "kz.criminal-code", ("kz.criminal-code#art_174__para_1",), 1)]),
    ([raw("Конвенции о статусе беженцев", art("1")), bare("33")],
     [(R, "un.refugee-convention", ("un.refugee-convention#art_1",), None),
      (R, "un.refugee-convention", ("un.refugee-convention#art_33",), 0)]),
    ([bare("33")], [(U, None, (), None)]),
    ([same_article(Pinpoint(item="3"))], [(U, None, (), None)]),
    ([raw("Конвенции ООН"), short("данного Пакта", art("19"))],
     [(A, None, (), None), (U, None, (), None)]),
]


@pytest.mark.parametrize("raws,expected", SHORT_FORM_TABLE,
                         ids=[" / ".join(r.text for r in row[0]) for row in SHORT_FORM_TABLE])
def test_short_form_table(resolver, raws, expected):
    cites = resolver.resolve(raws)
    assert [(c.status, c.instrument, c.provisions, c.antecedent) for c in cites] == expected
    for cite in cites:
        if cite.status == "unresolved":
            assert cite.reason
        if cite.antecedent is not None:
            assert cite.confidence < cites[cite.antecedent].confidence


def test_unfitting_short_form_says_why(resolver):
    cites = resolver.resolve([raw("МПГПП", art("19")), short("данной Конвенции", art("3"))])
    assert "convention" in cites[1].reason and "un.iccpr" in cites[1].reason


#: Abbreviations that are also everyday words («на КПП»: at a checkpoint). Alone they cite
#: their instrument only with an article, or when the same incident names it otherwise.
HOMONYM_TABLE = [
    ([raw("КПП")], [(U, None)]),
    ([raw("КПП", art("1"))], [(R, "un.cat")]),
    ([raw("КПП ООН")], [(R, "un.cat")]),
    ([raw("Конвенции против пыток", art("3")), raw("КПП")], [(R, "un.cat"), (R, "un.cat")]),
    ([raw("КПП"), raw("Конвенции против пыток", art("3"))], [(R, "un.cat"), (R, "un.cat")]),
    ([raw("КПП"), raw("МПГПП", art("7"))], [(U, None), (R, "un.iccpr")]),
    ([raw("КПП"), raw("КПП")], [(U, None), (U, None)]),
    ([raw("УК")], [(U, None)]),
    ([raw("УК", art("174"))], [(R, "kz.criminal-code")]),
    ([raw("УК РК")], [(R, "kz.criminal-code")]),
    ([raw("CAT")], [(R, "un.cat")]),
]


@pytest.mark.parametrize("raws,expected", HOMONYM_TABLE,
                         ids=[" / ".join(r.text for r in row[0]) for row in HOMONYM_TABLE])
def test_homonym_abbreviations_need_context(resolver, raws, expected):
    cites = resolver.resolve(raws)
    assert [(c.status, c.instrument) for c in cites] == expected
    for cite in cites:
        if cite.status == "unresolved":
            assert cite.reason.startswith(HOMONYM_REASON) and cite.confidence < 0.5


def test_a_checkpoint_is_no_antecedent(resolver):
    cites = resolver.resolve([raw("КПП"), bare("5"), short("данной Конвенции", art("2"))])
    assert [c.status for c in cites] == [U, U, U]
    assert [c.antecedent for c in cites] == [None, None, None]


def test_demonstrative_phrases_are_short_forms_even_unmarked(resolver):
    cites = resolver.resolve([raw("МПГПП", art("19")), raw("данного Пакта", art("20"))])
    assert cites[1].provisions == ("un.iccpr#art_20",) and cites[1].antecedent == 0


def test_a_phrase_naming_two_instruments_is_not_resolved_to_one(resolver):
    [c] = resolver.resolve([raw("Конвенции о статусе беженцев 1951 года и Протокола 1967 года")])
    assert c.status == "ambiguous"
    assert set(c.candidates) == {"un.refugee-convention", "un.refugee-protocol"}


def test_only_generic_words_do_not_single_out_an_instrument(resolver):
    # the small catalogue holds one protocol, yet «Протокола» alone is no proof of it
    m = resolver.match("Протокола")
    assert m.status == "ambiguous" and m.candidates == ("un.refugee-protocol",)
    assert resolver.match("Протокола о статусе беженцев").instrument == "un.refugee-protocol"


def test_short_form_of_an_unresolved_bill_stays_unresolved(resolver):
    cites = resolver.resolve(
        [
            raw("проект закона", title="О внесении изменений и дополнений по вопросам архивов"),
            raw("данного закона", short_form="instrument"),
        ]
    )
    assert cites[0].status == "unresolved"
    assert cites[1].status == "unresolved" and cites[1].antecedent == 0
    assert cites[1].instrument is None


def test_short_form_of_an_ambiguous_citation_is_ambiguous(resolver):
    cites = resolver.resolve(
        [raw("Конвенции ООН"), raw("данной Конвенции", short_form="instrument")]
    )
    assert cites[1].status == "ambiguous" and cites[1].candidates == cites[0].candidates


# ---------------------------------------------------------------- engineering


def test_resolver_pickles_cheaply(resolver):
    clone = pickle.loads(pickle.dumps(resolver))
    assert clone.match("МПГПП").instrument == "un.iccpr"
    assert clone.default_jurisdiction == resolver.default_jurisdiction


def test_phrase_resolutions_are_cached(resolver):
    first = resolver.match("Международного пакта о гражданских и политических правах")
    assert resolver.match("Международного пакта о гражданских и политических правах") is first


def test_a_law_by_date_and_number(resolver, catalogue):
    # the small catalogue gives no numbers to laws; the number decides only where it is known
    m = resolver.match("Закону РК от 4 декабря 2009 года")
    assert m.status == "ambiguous"  # a year alone does not single out a law
    assert resolver.match("Закона «О беженцах» от 4 декабря 2009 года").instrument == (
        "kz.law.refugees"
    )
    dated = resolver.match("Convention relating to the Status of Refugees of 28 July 1951")
    assert dated.instrument == "un.refugee-convention"
    assert resolver.match("Конвенции о статусе беженцев 1967 года").status == "unresolved"


def test_kind_word_added_to_a_bare_title(resolver):
    # the catalogue's titles of Kazakh laws have no «Закон»: «О масс-медиа», «On Refugees»
    assert resolver.match("Закона о масс-медиа").instrument == "kz.law.mass-media"
    assert resolver.match("Law on Refugees").instrument == "kz.law.refugees"
    assert resolver.match("Law on Mass Media").instrument == "kz.law.mass-media"
    assert resolver.match("Конвенции о масс-медиа").status != "resolved"


@pytest.mark.parametrize(
    "phrase",
    ["проект закона «О масс-медиа»", "законопроекта «О беженцах»", "draft Law on Refugees",
     "проекта Закона о беженцах"],
)
def test_a_bill_is_not_the_act(resolver, phrase):
    m = resolver.match(phrase)
    assert m.status == "unresolved" and "bill" in m.reason


def test_a_missing_article_still_names_its_act_for_short_forms(resolver):
    cites = resolver.resolve(
        [raw("Протокола 1967 года", art("12")),
         raw("данного Протокола", art("2"), short_form="instrument")]
    )
    assert cites[0].status == "unresolved"
    assert cites[1].provisions == ("un.refugee-protocol#art_2",) and cites[1].antecedent == 0


def test_an_ambiguous_phrase_takes_the_candidate_cited_earlier(resolver):
    cites = resolver.resolve([raw("МПГПП", art("19")), raw("Конвенции", art("14"))])
    # «Конвенции» alone: the mini catalogue's conventions; none cited before -> ambiguous
    assert cites[1].status == "ambiguous"
    cites = resolver.resolve(
        [raw("Конвенции против пыток", art("3")), raw("Закона о беженцах"),
         raw("Конвенции ООН", art("1"))]
    )
    assert cites[2].status == "resolved" and cites[2].instrument == "un.cat"
    assert cites[2].confidence < cites[0].confidence and "earlier" in cites[2].reason
    assert cites[2].antecedent is None  # not a short form
