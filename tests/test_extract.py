"""Citation forms the grammar must recognise, as tables (ru, kk, en) and traps that are not citations."""
# ruff: noqa: E501  (citation tables read best one row per line)

from __future__ import annotations

from typing import Any

import pytest

from normref.extract import extract
from normref.model import Pinpoint

_SHORT = {"article": "a", "part": "pt", "item": "i", "subitem": "si", "paragraph": "pa", "rule": "r"}


def render_pins(pins: tuple[Pinpoint, ...]) -> str:
    """«a274 pt2|a275»: one pinpoint per «|», levels from the top down."""
    out = []
    for pin in pins:
        bits = [f"{short}{getattr(pin, level)}" for level, short in _SHORT.items() if getattr(pin, level)]
        out.append(" ".join(bits))
    return "|".join(out)


def check(text: str, expected: list[tuple[str, str, dict[str, Any]]]) -> None:
    found = extract(text)
    got = [(c.text, render_pins(c.pinpoints)) for c in found]
    assert got == [(t, p) for t, p, _ in expected], text
    for cit, (_, _, fields) in zip(found, expected, strict=True):
        assert text[cit.span.start : cit.span.end] == cit.text
        for key, value in fields.items():
            assert getattr(cit, key) == value, (text, key)


def row(text: str, *cits: tuple[str, str] | tuple[str, str, dict[str, Any]]) -> Any:
    expected = [(c[0], c[1], c[2] if len(c) > 2 else {}) for c in cits]
    return pytest.param(text, expected, id=text[:60])


RU = [
    # ---- provision words in every case and number
    row("Статья 19 Конституции гарантирует", ("Статья 19 Конституции", "a19")),
    row("согласно статье 20 Конституции", ("статье 20 Конституции", "a20")),
    row("нарушил статью 274 УК", ("статью 274 УК", "a274", {"instrument_text": "УК"})),
    row("предусмотрено статьей 14 Пакта", ("статьей 14 Пакта", "a14")),
    row("предусмотрено статьёй 14 Пакта", ("статьёй 14 Пакта", "a14")),
    row("нарушение статей 19 и 21 Пакта", ("статей 19 и 21 Пакта", "a19|a21")),
    row("по статьям 174 и 274 УК РК", ("статьям 174 и 274 УК РК", "a174|a274", {"jurisdiction_hint": "kz"})),
    row("статьями 7 и 9 Пакта", ("статьями 7 и 9 Пакта", "a7|a9")),
    row("в статьях 2 и 3 Закона о беженцах", ("статьях 2 и 3 Закона о беженцах", "a2|a3", {"instrument_text": "Закона о беженцах"})),
    row("статьи 33 Конвенции", ("статьи 33 Конвенции", "a33", {"instrument_text": "Конвенции", "short_form": None})),
    row("по ст. 274 УК РК", ("ст. 274 УК РК", "a274")),
    row("по ст.274 УК РК", ("ст.274 УК РК", "a274")),
    row("по ст.ст. 174, 274 УК РК", ("ст.ст. 174, 274 УК РК", "a174|a274")),
    row("по ст. ст. 174, 274 УК РК", ("ст. ст. 174, 274 УК РК", "a174|a274")),
    row("части 2 статьи 274 УК РК", ("части 2 статьи 274 УК РК", "a274 pt2", {"instrument_text": "УК РК"})),
    row("часть 1 статьи 405 УК", ("часть 1 статьи 405 УК", "a405 pt1")),
    row("частью 3 статьи 174 УК РК", ("частью 3 статьи 174 УК РК", "a174 pt3")),
    row("ч. 2 ст. 274 УК РК", ("ч. 2 ст. 274 УК РК", "a274 pt2")),
    row("ч.2 ст.274 УК РК", ("ч.2 ст.274 УК РК", "a274 pt2")),
    row("п. 1 ч. 3 ст. 14 Закона", ("п. 1 ч. 3 ст. 14 Закона", "a14 pt3 i1")),
    row("пункт 3 статьи 14 Пакта", ("пункт 3 статьи 14 Пакта", "a14 i3")),
    row("пункта 2 статьи 9 Закона о беженцах", ("пункта 2 статьи 9 Закона о беженцах", "a9 i2")),
    row("пунктом 5 статьи 12", ("пунктом 5 статьи 12", "a12 i5", {"short_form": "bare"})),
    row("подпункт 3) пункта 1 статьи 12", ("подпункт 3) пункта 1 статьи 12", "a12 i1 si3")),
    row("пп. 2 п. 1 ст. 8 Закона", ("пп. 2 п. 1 ст. 8 Закона", "a8 i1 si2")),
    row("абзац 2 пункта 1 статьи 5 Закона", ("абзац 2 пункта 1 статьи 5 Закона", "a5 i1 pa2")),
    row("абз. 3 п. 2 ст. 10 ГК", ("абз. 3 п. 2 ст. 10 ГК", "a10 i2 pa3")),
    row("пункт «а» статьи 5", ("пункт «а» статьи 5", "a5 iа")),
    row("подпункт «б» пункта 2 статьи 7", ("подпункт «б» пункта 2 статьи 7", "a7 i2 siб")),
    row("статья 14(3)(d) Пакта", ("статья 14(3)(d) Пакта", "a14 i3 sid")),
    row("статьи 19(2) и 19(3) Пакта", ("статьи 19(2) и 19(3) Пакта", "a19 i2|a19 i3")),
    row("статья 456-2 УК РК", ("статья 456-2 УК РК", "a456-2")),
    # ---- lists and ranges
    row("статьи 19 и 21", ("статьи 19 и 21", "a19|a21", {"short_form": "bare"})),
    row("статей 7, 9 и 10", ("статей 7, 9 и 10", "a7|a9|a10")),
    row("ст. 19–22 ГК", ("ст. 19–22 ГК", "a19|a20|a21|a22")),
    row("ст. 19-22 ГК", ("ст. 19-22 ГК", "a19|a20|a21|a22")),
    row("статьи с 19 по 22 Пакта", ("статьи с 19 по 22 Пакта", "a19|a20|a21|a22")),
    row("ч. 1 и 2 ст. 274 УК РК", ("ч. 1 и 2 ст. 274 УК РК", "a274 pt1|a274 pt2")),
    row("ч. 1 ст. 274 и ч. 2 ст. 275 УК", ("ч. 1 ст. 274 и ч. 2 ст. 275 УК", "a274 pt1|a275 pt2")),
    row("ст. 19, ч. 2 ст. 20 Конституции", ("ст. 19, ч. 2 ст. 20 Конституции", "a19|a20 pt2")),
    # ---- instruments alone
    row("вопреки Конституции страны", ("Конституции", "")),
    row("в соответствии с Конституцией и законами", ("Конституцией", "")),
    row("Конституция Республики Казахстан", ("Конституция Республики Казахстан", "", {"jurisdiction_hint": "kz"})),
    row("изменения в Трудовой кодекс вступят", ("Трудовой кодекс", "")),
    row("Уголовный кодекс Республики Казахстан", ("Уголовный кодекс Республики Казахстан", "", {"jurisdiction_hint": "kz"})),
    row("нормы Уголовно-процессуального кодекса РК", ("Уголовно-процессуального кодекса РК", "")),
    row("по КоАП оштрафован", ("КоАП", "")),
    row("статья 73 КоАП РК", ("статья 73 КоАП РК", "a73")),
    row("нормами УПК", ("УПК", "")),
    row("ст. 15 ТК РК", ("ст. 15 ТК РК", "a15")),
    row("Кодекс об административных правонарушениях", ("Кодекс об административных правонарушениях", "")),
    row("Закон «О масс-медиа» принят", ("Закон «О масс-медиа»", "", {"title": "О масс-медиа"})),
    row("противоречит Закону о политических партиях.", ("Закону о политических партиях", "", {"instrument_text": "Закону о политических партиях"})),
    row(
        "Закон Республики Казахстан от 19 июня 2024 года № 93-VIII «О масс-медиа» вступил",
        ("Закон Республики Казахстан от 19 июня 2024 года № 93-VIII «О масс-медиа»", "", {"number": "93-VIII", "title": "О масс-медиа", "year": 2024, "jurisdiction_hint": "kz"}),
    ),
    row("Конвенции ООН 1951 года о статусе беженцев", ("Конвенции ООН 1951 года о статусе беженцев", "", {"year": 1951})),
    row("Конвенцию о статусе беженцев от 28 июля 1951 года", ("Конвенцию о статусе беженцев от 28 июля 1951 года", "", {"year": 1951})),
    row("Международного пакта о гражданских и политических правах", ("Международного пакта о гражданских и политических правах", "")),
    row("Протокола 1967 года", ("Протокола 1967 года", "", {"year": 1967})),
    row("Правила Нельсона Манделы", ("Правила Нельсона Манделы", "")),
    row("Бангкокские правила", ("Бангкокские правила", "")),
    row("Замечание общего порядка № 34", ("Замечание общего порядка № 34", "", {"number": "34"})),
    row("Рекомендации УВКБ ООН №12, как", ("Рекомендации УВКБ ООН №12", "", {"number": "12"})),
    row("проект закона «О внесении изменений в Закон»", ("проект закона «О внесении изменений в Закон»", "", {"title": "О внесении изменений в Закон"})),
    # ---- short forms
    row("нормы данной Конвенции", ("данной Конвенции", "", {"short_form": "instrument"})),
    row("требования указанного Закона", ("указанного Закона", "", {"short_form": "instrument"})),
    row("часть 3 этой статьи", ("часть 3 этой статьи", "pt3", {"short_form": "provision"})),
    row("части 2 той же статьи", ("части 2 той же статьи", "pt2", {"short_form": "provision"})),
    row("положения этой статьи", ("этой статьи", "", {"short_form": "provision"})),
    row("статьи 33 данной Конвенции", ("статьи 33 данной Конвенции", "a33", {"short_form": "instrument"})),
    # ---- noise
    row("ст.\u00a0274 УК", ("ст.\u00a0274 УК", "a274")),
    row("статьи\u200b19 Пакта", ("статьи\u200b19 Пакта", "a19")),
    row("Koнвенция о правах ребенка", ("Koнвенция о правах ребенка", "")),
    # ---- an «о …» phrase after a complete name is the sentence, not the name
    row("по ч. 2 ст. 274 УК РК о распространении ложной информации",
        ("ч. 2 ст. 274 УК РК", "a274 pt2", {"instrument_text": "УК РК"})),
    row("по статье 274 УК о распространении слухов", ("статье 274 УК", "a274")),
    row("ст. 131 УПК о порядке задержания", ("ст. 131 УПК", "a131")),
    row("ст. 453 КоАП об административных взысканиях", ("ст. 453 КоАП", "a453")),
    row("Рекомендаций УВКБ ООН № 12 о ходатайствах, связанных с вооружённым конфликтом",
        ("Рекомендаций УВКБ ООН № 12 о ходатайствах", "", {"number": "12"})),
    # ---- names that do go on with «о …» (and a comma inside a name)
    row("Закону о политических партиях", ("Закону о политических партиях", "")),
    row("статьи 16 Конвенции против пыток и других жестоких, бесчеловечных или унижающих "
        "достоинство видов обращения",
        ("статьи 16 Конвенции против пыток и других жестоких, бесчеловечных или унижающих "
         "достоинство видов обращения", "a16")),
    row("Конвенцией МОТ № 87 о свободе ассоциации",
        ("Конвенцией МОТ № 87 о свободе ассоциации", "", {"number": "87"})),
]

KK = [
    row("Қылмыстық кодексінің 274-бабы", ("Қылмыстық кодексінің 274-бабы", "a274", {"lang": "kk"})),
    row("274-бабының 2-бөлігі", ("274-бабының 2-бөлігі", "a274 pt2", {"lang": "kk"})),
    row("Конституцияның 20-бабы", ("Конституцияның 20-бабы", "a20", {"lang": "kk"})),
]

EN = [
    row("Article 33 of the 1951 Convention", ("Article 33 of the 1951 Convention", "a33", {"year": 1951, "lang": "en"})),
    row("Convention 1951 art. 33", ("Convention 1951 art. 33", "a33", {"year": 1951})),
    row("ICCPR art. 19(3)", ("ICCPR art. 19(3)", "a19 i3")),
    row("Article 19(2) of the ICCPR", ("Article 19(2) of the ICCPR", "a19 i2", {"instrument_text": "ICCPR"})),
    row("under the 1967 Protocol", ("the 1967 Protocol", "", {"year": 1967})),
    row("UNHCR Guidelines on International Protection No. 12", ("UNHCR Guidelines on International Protection No. 12", "", {"number": "12"})),
    row("articles 19, 21 and 22 of the Covenant", ("articles 19, 21 and 22 of the Covenant", "a19|a21|a22")),
    row("arts. 7–10 of the ICCPR", ("arts. 7–10 of the ICCPR", "a7|a8|a9|a10")),
]

TRAPS = [
    "в своей статье журналист рассказал",
    "в этой статье мы расскажем",
    "Кодекс чести судьи",
    "протокол заседания",
    "закон джунглей",
    "штраф 25 МРП",
    "12 декабря 2025 года",
    "мужчина 45 лет",
    "ул. Абая, д. 12, кв. 5",
    "в 15 ч. 30 мин.",
    "п. Глубокое",
    "данных международных договоров",
    "законодательство страны",
    "статус беженца",
    "в статье 2019 года",
    "технические замечания к протоколу учредительного съезда",
    "замечаний к протоколу",
]


@pytest.mark.parametrize(("text", "expected"), RU + KK + EN)
def test_citation_forms(text: str, expected: list[tuple[str, str, dict[str, Any]]]) -> None:
    check(text, expected)


@pytest.mark.parametrize("text", TRAPS)
def test_traps_give_nothing(text: str) -> None:
    assert extract(text) == []


#: a number with a dot or a slash before «-N»: compared as whole numbers these used to raise
NOT_WHOLE_NUMBERS = [
    ("решение № 12/3-4, ст. 19 МПГПП", "ст. 19 МПГПП"),
    ("0/456-2 ч. 2 ст. 274 УК РК", "ч. 2 ст. 274 УК РК"),
    ("пункт 14.1-2 ч. 2 ст. 274 УК РК", "пункт 14.1-2 ч. 2 ст. 274 УК РК"),
]


@pytest.mark.parametrize(("text", "last"), NOT_WHOLE_NUMBERS)
def test_numbers_with_a_dot_or_slash_before_a_dash_are_read(text: str, last: str) -> None:
    found = extract(text)
    assert found and found[-1].text == last
    assert found[-1].pinpoints[-1].article in {"19", "274"}


def _rebuilt(node: Any) -> Any:
    """The reference for the in-place transform: a new tree, bottom up, each ``instrument``
    node made into its dict (what a Lark ``Transformer`` with only that method gives)."""
    from normref import extract as module

    if not isinstance(node, module.Tree):
        return node
    children = [_rebuilt(child) for child in node.children]
    if node.data == "instrument":
        return module._instrument_info(children)
    return module.Tree(node.data, children)


def test_in_place_transform_gives_what_a_rebuilding_transform_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from normref import extract as module

    real = module._transformed
    compared: list[str] = []

    def checked(node: Any) -> Any:
        expected = _rebuilt(node)
        got = real(node)
        assert got == expected
        compared.append(node.data)
        return got

    monkeypatch.setattr(module, "_transformed", checked)
    monkeypatch.setattr(module, "_BUILT", {})  # build every citation anew
    errors = module.STATS.errors
    texts = [param.values[0] for param in RU + KK + EN] + list(TRAPS)
    for text in texts:
        extract(text)
    assert module.STATS.errors == errors  # (a failed check would be counted there)
    assert len(compared) >= len(RU + KK + EN)


def test_parse_tree_classes_behave_as_the_code_expects() -> None:
    from normref.extract import Token, Tree

    one, two = Token("NUMBER", "19", 7, 9, "19"), Token("ART", "ст.", 3, 6, "ст")
    assert one == "19" and one.type == "NUMBER" and (one.start_pos, one.end_pos) == (7, 9)
    assert one.norm == "19" and isinstance(one, str)
    inner = Tree("level_ru", [two, Tree("numbers", [one])])
    top = Tree("citation", [inner, Token("SEP", ",", 9, 10, ",")])
    assert [t.data for t in top.iter_subtrees_topdown()] == ["citation", "level_ru", "numbers"]
    assert top == Tree("citation", [Tree("level_ru", [two, Tree("numbers", [one])]),
                                    Token("SEP", ",", 9, 10, ",")])
    assert top != Tree("citation", [inner])


def test_a_shifted_citation_keeps_every_field() -> None:
    import datetime as dt

    import attrs

    from normref.extract import _shift
    from normref.model import RawCitation, Span

    values = {"span": Span(3, 9), "instrument_span": Span(5, 9), "date": dt.date(2020, 5, 7),
              "year": 2020, "pinpoints": (Pinpoint(article="5"),)}
    fields = {f.name: values.get(f.name, f"value of {f.name}") for f in attrs.fields(RawCitation)}
    cit = RawCitation(**fields)
    moved = _shift(cit, 10)
    assert moved.span == Span(13, 19) and moved.instrument_span == Span(15, 19)
    assert _shift(moved, -10) == cit
    assert attrs.evolve(moved, span=cit.span, instrument_span=cit.instrument_span) == cit


def test_lark_version_is_read_without_importing_lark() -> None:
    import lark

    from normref.extract import _lark_version

    assert _lark_version() == lark.__version__
