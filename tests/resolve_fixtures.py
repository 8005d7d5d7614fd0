# ruff: noqa: E501
"""A small catalogue folder for resolver tests (written to a temporary folder).

It is test data, not the shipped catalogue: only names and article numbers.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from normref.catalogue import load_catalogue

MINI = {
    "international/un.refugee-convention.yaml": """
        id: un.refugee-convention
        kind: treaty
        jurisdiction: international
        titles: {ru: Конвенция о статусе беженцев, en: Convention relating to the Status of Refugees,
                 kk: Босқындардың мәртебесі туралы конвенция}
        short_names: {en: [Refugee Convention]}
        aliases: [Конвенция 1951 года]
        adopted: 1951-07-28
        source_url: https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-relating-status-refugees
        provisions:
          - {eid: art_1, number: "1"}
          - {eid: art_33, number: "33"}
          - {eid: art_33__para_1, number: "33(1)"}
    """,
    "international/un.refugee-protocol.yaml": """
        id: un.refugee-protocol
        kind: protocol
        jurisdiction: international
        titles: {ru: "Протокол, касающийся статуса беженцев", en: Protocol relating to the Status of Refugees}
        adopted: 1967-01-31
        source_url: https://www.ohchr.org/en/instruments-mechanisms/instruments/protocol-relating-status-refugees
        provisions:  # all eleven articles (I-XI), so an article 12 does not exist
          - {eid: art_1, number: "I"}
          - {eid: art_1__para_2, number: "I(2)"}
          - {eid: art_2, number: "II"}
          - {eid: art_3, number: "III"}
          - {eid: art_4, number: "IV"}
          - {eid: art_5, number: "V"}
          - {eid: art_6, number: "VI"}
          - {eid: art_7, number: "VII"}
          - {eid: art_8, number: "VIII"}
          - {eid: art_9, number: "IX"}
          - {eid: art_10, number: "X"}
          - {eid: art_11, number: "XI"}
    """,
    "international/un.iccpr.yaml": """
        id: un.iccpr
        kind: treaty
        jurisdiction: international
        titles: {ru: Международный пакт о гражданских и политических правах,
                 en: International Covenant on Civil and Political Rights}
        abbreviations: [МПГПП, ICCPR]
        adopted: 1966-12-16
        source_url: https://www.ohchr.org/en/instruments-mechanisms/instruments/international-covenant-civil-and-political-rights
        provisions:
          - {eid: art_14, number: "14"}
          - {eid: art_14__para_3, number: "14(3)"}
          - {eid: art_14__para_3__point_d, number: "14(3)(d)"}
          - {eid: art_19, number: "19", source_url: "https://example.org/iccpr-19"}
          - {eid: art_20, number: "20"}
          - {eid: art_21, number: "21"}
          - {eid: art_22, number: "22"}
    """,
    "international/un.cat.yaml": """
        id: un.cat
        kind: treaty
        jurisdiction: international
        titles: {ru: "Конвенция против пыток и других жестоких, бесчеловечных или унижающих достоинство видов обращения и наказания",
                 en: "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"}
        short_names: {ru: [Конвенция против пыток], kk: [Азаптауларға қарсы конвенция]}
        abbreviations: [CAT, КПП]
        adopted: 1984-12-10
        source_url: https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-against-torture-and-other-cruel-inhuman-or-degrading
    """,
    "international/ilo.c087.yaml": """
        id: ilo.c087
        kind: treaty
        jurisdiction: international
        titles: {ru: Конвенция о свободе ассоциации и защите права на организацию,
                 en: Freedom of Association and Protection of the Right to Organise Convention}
        number: "87"
        adopted: 1948-07-09
        source_url: https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:C087
    """,
    "international/ilo.c098.yaml": """
        id: ilo.c098
        kind: treaty
        jurisdiction: international
        titles: {ru: Конвенция о применении принципов права на организацию и на ведение коллективных переговоров,
                 en: Right to Organise and Collective Bargaining Convention}
        number: "98"
        adopted: 1949-07-01
        source_url: https://normlex.ilo.org/dyn/nrmlx_en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:C098
    """,
    "international/unhcr.gip-12.yaml": """
        id: unhcr.gip-12
        kind: guidelines
        jurisdiction: international
        titles: {ru: "Руководящие принципы по международной защите № 12",
                 en: "Guidelines on International Protection No. 12"}
        number: "12"
        source_url: https://www.refworld.org/policy/legalguidance/unhcr/2016/en/113870
    """,
    "kz/kz.constitution.yaml": """
        id: kz.constitution
        kind: constitution
        jurisdiction: kz
        titles: {ru: Конституция Республики Казахстан, en: Constitution of the Republic of Kazakhstan,
                 kk: Қазақстан Республикасының Конституциясы}
        adopted: 1995-08-30
        source_url: https://adilet.zan.kz/rus/docs/K950001000_
        provisions:
          - {eid: art_20, number: "20"}
          - {eid: art_20__para_2, number: "20(2)"}
    """,
    "kz/kz.criminal-code.yaml": """
        id: kz.criminal-code
        kind: code
        jurisdiction: kz
        titles: {ru: Уголовный кодекс Республики Казахстан, en: Criminal Code of the Republic of Kazakhstan,
                 kk: Қазақстан Республикасының Қылмыстық кодексі}
        abbreviations: [УК РК]
        adopted: 2014-07-03
        source_url: https://adilet.zan.kz/rus/docs/K1400000226
        provisions:
          - {eid: art_174, number: "174"}
          - {eid: art_174__para_1, number: "174(1)"}
          - {eid: art_274, number: "274"}
          - {eid: art_456-2, number: "456-2"}
    """,
    "kz/kz.law.refugees.yaml": """
        id: kz.law.refugees
        kind: law
        jurisdiction: kz
        titles: {ru: О беженцах, en: On Refugees}
        short_names: {ru: [Закон о беженцах]}
        source_url: https://adilet.zan.kz/rus/docs/Z090000216_
    """,
    "kz/kz.law.mass-media.yaml": """
        id: kz.law.mass-media
        kind: law
        jurisdiction: kz
        titles: {ru: О масс-медиа, en: On Mass Media}
        source_url: https://adilet.zan.kz/rus/docs/Z2400000093
    """,
}


def write_mini_catalogue(root: Path) -> Path:
    (root / "international").mkdir(parents=True, exist_ok=True)
    (root / "kz").mkdir(exist_ok=True)
    (root / "catalogue.yaml").write_text('version: "test-1"\n', encoding="utf-8")
    for rel, body in MINI.items():
        (root / rel).write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return root


def mini_catalogue(root: Path):
    return load_catalogue(write_mini_catalogue(root))
