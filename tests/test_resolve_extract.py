"""Text in, catalogue ids out: extract() + Resolver on the shipped catalogue.

Rows are citation forms a lawyer writes, not sentences of the sample digest. A provision is
checked by prefix where the catalogue may list deeper parts later (art_14 -> art_14__para_3).
"""

from __future__ import annotations

from pathlib import Path

import pytest

extract_module = pytest.importorskip("normref.extract")

from normref.catalogue import load_catalogue  # noqa: E402
from normref.resolve import find_citations, resolver_for  # noqa: E402

CATALOGUE = load_catalogue()

#: (text, [(status, instrument, provision prefixes)] in order)
ROWS = [
    ("согласно статье 33 Конвенции ООН 1951 года о статусе беженцев",
     [("resolved", "un.refugee-convention", ["un.refugee-convention#art_33"])]),
    ("Конвенцию ООН о статусе беженцев 1951 года и Протокол 1967 года",
     [("resolved", "un.refugee-convention", []), ("resolved", "un.refugee-protocol", [])]),
    ("Ст. 19–22 МПГПП гарантируют свободы",
     [("resolved", "un.iccpr", ["un.iccpr#art_19", "un.iccpr#art_20", "un.iccpr#art_21",
                                "un.iccpr#art_22"])]),
    ("статьи 19 и 21 Международного пакта о гражданских и политических правах",
     [("resolved", "un.iccpr", ["un.iccpr#art_19", "un.iccpr#art_21"])]),
    ("пункт 3 статьи 14 МПГПП", [("resolved", "un.iccpr", ["un.iccpr#art_14"])]),
    ("ч. 1 ст. 174 УК РК", [("resolved", "kz.criminal-code", ["kz.criminal-code#art_174"])]),
    ("по статье 274 Уголовного кодекса Республики Казахстан",
     [("resolved", "kz.criminal-code", ["kz.criminal-code#art_274"])]),
    ("ст. 174 УК РФ", [("unresolved", None, [])]),
    ("ст. 5 Закона Кыргызской Республики «О СМИ»", [("unresolved", None, [])]),
    ("статья 20 Конституции", [("resolved", "kz.constitution", ["kz.constitution#art_20"])]),
    ("Қазақстан Республикасы Конституциясының 20-бабы",
     [("resolved", "kz.constitution", ["kz.constitution#art_20"])]),
    ("Article 19 of the ICCPR", [("resolved", "un.iccpr", ["un.iccpr#art_19"])]),
    ("article 33 of the 1951 Refugee Convention",
     [("resolved", "un.refugee-convention", ["un.refugee-convention#art_33"])]),
    ("Rule 24 of the Nelson Mandela Rules",
     [("resolved", "un.mandela-rules", ["un.mandela-rules#rule_24"])]),
    ("Правило 24 Правил Нельсона Манделы",
     [("resolved", "un.mandela-rules", ["un.mandela-rules#rule_24"])]),
    # the catalogue lists no paragraphs of general comment No. 34: the instrument, no ids
    ("пункт 22 Замечания общего порядка № 34", [("resolved", "ccpr.gc-34", [])]),
    ("пункт 47 Замечания общего порядка № 34", [("resolved", "ccpr.gc-34", [])]),
    ("статья 99 МПГПП", [("unresolved", None, [])]),  # the ICCPR has 53 articles
    ("Рекомендации УВКБ ООН №12", [("resolved", "unhcr.gip-12", [])]),
    ("Трудовой кодекс", [("resolved", "kz.labour-code", [])]),
    ("Закон «О масс-медиа»", [("resolved", "kz.law.mass-media", [])]),
    ("проект закона «О внесении изменений и дополнений в некоторые законодательные акты "
     "Республики Казахстан по вопросам культуры»", [("unresolved", None, [])]),
    ("статья 3 Конвенции против пыток; статья 2 данной Конвенции",
     [("resolved", "un.cat", ["un.cat#art_3"]), ("resolved", "un.cat", ["un.cat#art_2"])]),
    ("Статья 19 МПГПП защищает мнения; пункт 3 той же статьи допускает ограничения",
     [("resolved", "un.iccpr", ["un.iccpr#art_19"]),
      ("resolved", "un.iccpr", ["un.iccpr#art_19"])]),
    ("согласно статье 9 Пакта", [("ambiguous", None, [])]),
    # short forms lean only on an instrument of the kind their head word names
    ("статьи 19 и 21 МПГПП. Статья 3 данной Конвенции",
     [("resolved", "un.iccpr", ["un.iccpr#art_19", "un.iccpr#art_21"]),
      ("unresolved", None, [])]),
    ("статья 3 Конвенции против пыток, статья 19 МПГПП, статья 2 данной Конвенции",
     [("resolved", "un.cat", ["un.cat#art_3"]), ("resolved", "un.iccpr", ["un.iccpr#art_19"]),
      ("resolved", "un.cat", ["un.cat#art_2"])]),
    ("статья 19 МПГПП; статья 20 этого Пакта",
     [("resolved", "un.iccpr", ["un.iccpr#art_19"]),
      ("resolved", "un.iccpr", ["un.iccpr#art_20"])]),
    ("статья 5 Закона о мирных собраниях; статья 174 УК; статья 6 указанного Закона",
     [("resolved", "kz.law.peaceful-assemblies", ["kz.law.peaceful-assemblies#art_5"]),
      ("resolved", "kz.criminal-code", ["kz.criminal-code#art_174"]),
      ("resolved", "kz.law.peaceful-assemblies", ["kz.law.peaceful-assemblies#art_6"])]),
    ("статья 174 УК РК; статья 5 указанного Закона",
     [("resolved", "kz.criminal-code", ["kz.criminal-code#art_174"]), ("unresolved", None, [])]),
    ("статья 33 Конвенции 1951 года о статусе беженцев; см. также статьи 1",
     [("resolved", "un.refugee-convention", ["un.refugee-convention#art_33"]),
      ("resolved", "un.refugee-convention", ["un.refugee-convention#art_1"])]),
    # Kazakh
    ("Азаптауларға қарсы конвенцияның 1-бабы", [("resolved", "un.cat", ["un.cat#art_1"])]),
    ("Конституцияның 20-бабы", [("resolved", "kz.constitution", ["kz.constitution#art_20"])]),
    ("Қылмыстық кодексінің 174-бабы",
     [("resolved", "kz.criminal-code", ["kz.criminal-code#art_174"])]),
    ("Әкімшілік құқық бұзушылық туралы кодекстің 488-бабы",
     [("resolved", "kz.administrative-offences-code",
       ["kz.administrative-offences-code#art_488"])]),
    ("Еңбек кодексінің 5-бабы", [("resolved", "kz.labour-code", ["kz.labour-code#art_5"])]),
    ("Конституциясына сәйкес", [("resolved", "kz.constitution", [])]),
    # UNHCR Guidelines No. 12 in other cases
    ("согласно Руководящим принципам по международной защите № 12",
     [("resolved", "unhcr.gip-12", [])]),
    ("в соответствии с Руководящими принципами по международной защите № 12",
     [("resolved", "unhcr.gip-12", [])]),
    ("в Руководящих принципах по международной защите № 12", [("resolved", "unhcr.gip-12", [])]),
]

#: Roman article numbers and «КПП» with an article, through the grammar and the resolver.
ROWS += [
    ("статья I Протокола 1967 года",
     [("resolved", "un.refugee-protocol", ["un.refugee-protocol#art_1"])]),
    ("Article II of the 1967 Protocol",
     [("resolved", "un.refugee-protocol", ["un.refugee-protocol#art_2"])]),
    ("ст. 1 КПП", [("resolved", "un.cat", ["un.cat#art_1"])]),
]


#: (text, instrument, citation text): an «о …» phrase that is not part of the name is left
#: out of the citation; a name that goes on with «о …» keeps it
RUN_ON_ROWS = [
    ("по ч. 2 ст. 274 УК РК о распространении ложной информации", "kz.criminal-code",
     "ч. 2 ст. 274 УК РК"),
    ("по статье 274 УК о распространении ложной информации", "kz.criminal-code",
     "статье 274 УК"),
    ("статьей 274 Уголовного кодекса РК о распространении слухов", "kz.criminal-code",
     "статьей 274 Уголовного кодекса РК"),
    ("нормы Трудового кодекса о примирительных процедурах", "kz.labour-code",
     "Трудового кодекса"),
    ("в соответствии с Трудовым кодексом о примирительных процедурах", "kz.labour-code",
     "Трудовым кодексом"),
    ("Трудовой кодекс о примирительных процедурах", "kz.labour-code", "Трудовой кодекс"),
    ("требованиям Правил Нельсона Манделы о средствах усмирения", "un.mandela-rules",
     "Правил Нельсона Манделы"),
    ("в соответствии с Правилами Нельсона Манделы о средствах усмирения", "un.mandela-rules",
     "Правилами Нельсона Манделы"),
    ("Бангкокских правил о досмотре", "un.bangkok-rules", "Бангкокских правил"),
    ("нормы Уголовно-процессуального кодекса о порядке задержания",
     "kz.criminal-procedure-code", "Уголовно-процессуального кодекса"),
    ("предусмотренном Уголовно-процессуальным кодексом о порядке задержания",
     "kz.criminal-procedure-code", "Уголовно-процессуальным кодексом"),
    ("согласно Рекомендациям УВКБ ООН № 12 о ходатайствах, связанных с конфликтом",
     "unhcr.gip-12", "Рекомендациям УВКБ ООН № 12 о ходатайствах"),
    ("Рекомендаций УВКБ ООН № 12 о ходатайствах, связанных с конфликтом", "unhcr.gip-12",
     "Рекомендаций УВКБ ООН № 12 о ходатайствах"),
    ("Конвенции о статусе беженцев", "un.refugee-convention", "Конвенции о статусе беженцев"),
    ("Конвенцией о статусе беженцев", "un.refugee-convention",
     "Конвенцией о статусе беженцев"),
    ("Закона о политических партиях", "kz.law.political-parties",
     "Закона о политических партиях"),
    ("Законом о политических партиях", "kz.law.political-parties",
     "Законом о политических партиях"),
    ("ст. 9 Закона РК о политических партиях", "kz.law.political-parties",
     "ст. 9 Закона РК о политических партиях"),
    ("Конвенции МОТ № 87 о свободе ассоциации", "ilo.c087",
     "Конвенции МОТ № 87 о свободе ассоциации"),
    ("Конвенцией МОТ № 87 о свободе ассоциации", "ilo.c087",
     "Конвенцией МОТ № 87 о свободе ассоциации"),
    ("Закона «О масс-медиа»", "kz.law.mass-media", "Закона «О масс-медиа»"),
    ("статья 9 Международного пакта о гражданских и политических правах", "un.iccpr",
     "статья 9 Международного пакта о гражданских и политических правах"),
]


@pytest.mark.parametrize("text,instrument,cited", RUN_ON_ROWS, ids=[r[0][:40] for r in RUN_ON_ROWS])
def test_name_ends_before_an_about_phrase_that_is_not_part_of_it(text, instrument, cited):
    _need([("resolved", instrument, [])])
    cites = find_citations(text)
    assert [(c.status, c.instrument, c.text) for c in cites] == [("resolved", instrument, cited)]
    for cite in cites:
        assert text[cite.start : cite.end] == cite.text
        raw = cite.raw
        if raw.instrument_span is not None:
            assert text[raw.instrument_span.start : raw.instrument_span.end] == (
                raw.instrument_text
            )


@pytest.mark.parametrize("text", ["технические замечания к протоколу учредительного съезда",
                                  "внести замечания к протоколу заседания"])
def test_remarks_on_minutes_are_not_a_citation(text):
    assert find_citations(text) == []


def _need(expected) -> None:
    for _status, ident, _ in expected:
        if ident and ident not in CATALOGUE.instruments:
            pytest.skip(f"{ident} not in the shipped catalogue yet")


def _row_id(row) -> str:
    return (row.values if hasattr(row, "values") else row)[0][:40]


@pytest.mark.parametrize("text,expected", ROWS, ids=[_row_id(r) for r in ROWS])
def test_text_to_ids(text, expected):
    _need(expected)
    cites = find_citations(text)
    got = [(c.status, c.instrument) for c in cites]
    assert got == [(s, i) for s, i, _ in expected]
    for cite, (_s, _i, prefixes) in zip(cites, expected, strict=True):
        assert text[cite.start : cite.end] == cite.text
        assert len(cite.provisions) == len(prefixes) or not prefixes
        for pid, prefix in zip(cite.provisions, prefixes, strict=False):
            assert pid.startswith(prefix)
            assert pid in CATALOGUE.provisions or not CATALOGUE.instrument(pid).provisions


#: «КПП» is far more often a checkpoint (контрольно-пропускной пункт) than the Convention
#: against Torture: alone it is never resolved to it.
CHECKPOINTS = [
    "задержан на КПП при въезде в город",
    "на КПП «Нур Жолы» сутки стояли фуры",
    "сотрудники КПП отказали ему во въезде",
    "Статья 3 МПГПП. На КПП его задержали",
]


@pytest.mark.parametrize("text", CHECKPOINTS)
def test_a_checkpoint_is_not_the_convention_against_torture(text):
    for cite in find_citations(text):
        if "КПП" in cite.text:
            assert cite.status != "resolved", cite


def test_short_forms_do_not_cross_incidents():
    resolver = resolver_for(CATALOGUE)
    first = resolver.resolve(extract_module.extract("статья 19 МПГПП"))
    second = resolver.resolve(extract_module.extract("пункт 3 той же статьи"))
    assert first[0].status == "resolved"
    assert all(c.status == "unresolved" for c in second)


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "kz-digest-2025-12.txt"


@pytest.mark.skipif(not CORPUS.exists(), reason="sample digest not available")
def test_sample_digest_nothing_resolved_wrongly():
    """On the real digest: no foreign or bill citation becomes a catalogue id, spans exact."""
    text = CORPUS.read_text(encoding="utf-8")
    cites = find_citations(text)
    assert cites
    for c in cites:
        assert text[c.start : c.end] == c.text
        assert 0 <= c.confidence <= 1
        if "«О внесении" in c.text:
            assert c.status == "unresolved"
        if c.status == "resolved":
            assert c.instrument in CATALOGUE.instruments
            assert all(p.startswith(c.instrument + "#") for p in c.provisions)
