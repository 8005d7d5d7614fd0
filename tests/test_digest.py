"""Digest splitting: a table of small digests covering every irregularity of contract §4."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref.digest import parse_date, parse_digest
from normref.resources import sample_digest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "kz-digest-2025-12.txt"

# ---------------------------------------------------------------- building blocks

ITEM_A = """ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ
Иван ПЕТРОВСКИЙ, интернет-издание «Пример»
1 марта 2025 г.

Первый абзац первой новости. Упоминается статья 19 Пакта.

ИСТОЧНИК:

Интернет-издание «Пример»
https://example.org/a
"""

ITEM_B = """ЗАГОЛОВОК ВТОРОЙ НОВОСТИ

Агентство «Тест»
2 марта 2025 г.

Текст второй новости.
https://example.org/b
"""

ITEM_C = """ТРЕТЬЯ НОВОСТЬ
Редакция сайта Example.kz
03.04.2025

Текст третьей новости.

ИСТОЧНИК:
https://example.org/c1
https://example.org/c2
"""


def fields(text: str) -> list[dict]:
    return [
        {
            "rubric": i.rubric,
            "headline": i.headline,
            "author": i.author,
            "outlet": i.outlet,
            "date": i.date,
            "urls": list(i.urls),
        }
        for i in parse_digest(text, "t.txt")
    ]


def check_spans(text: str) -> None:
    for inc in parse_digest(text, "t.txt"):
        assert text[inc.span.start : inc.span.end] == inc.text
        assert inc.offset_base == inc.span.start
        assert inc.text == inc.text.strip()


# Each case: (name, digest text, expected (rubric, headline, date, urls) per incident).
CASES: list[tuple[str, str, list[tuple[str | None, str | None, dt.date | None, list[str]]]]] = [
    (
        "separators and a rubric carried over",
        "«Право на жизнь»\n\n" + ITEM_A + "* * *\n" + ITEM_B,
        [
            (
                "Право на жизнь",
                "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ",
                dt.date(2025, 3, 1),
                ["https://example.org/a"],
            ),
            (
                "Право на жизнь",
                "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ",
                dt.date(2025, 3, 2),
                ["https://example.org/b"],
            ),
        ],
    ),
    (
        "missing separator before a rubric",
        "«Право А»\n" + ITEM_A + "«Право Б»\n\n" + ITEM_B,
        [
            ("Право А", "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            ("Право Б", "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"]),
        ],
    ),
    (
        "missing separator and no rubric: headline + byline + date starts an item",
        "«Право А»\n" + ITEM_A + "\n" + ITEM_B,
        [
            ("Право А", "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            ("Право А", "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"]),
        ],
    ),
    (
        "cut-off rubric without closing guillemet, right above the headline",
        "«Право на свободу от пыток и жестокого, \n" + ITEM_A,
        [
            (
                "Право на свободу от пыток и жестокого",
                "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ",
                dt.date(2025, 3, 1),
                ["https://example.org/a"],
            )
        ],
    ),
    (
        "rubric wrapped over two lines",
        "«Право на свободу от пыток и жестокого,\nили унижающего достоинство обращения»\n\n"
        + ITEM_A
        + "* * *\n«Право на справедливое\nсудебное разбирательство»\nНОВОСТЬ БЕЗ ДАТЫ\n\nТекст.\n",
        [
            (
                "Право на свободу от пыток и жестокого, или унижающего достоинство обращения",
                "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ",
                dt.date(2025, 3, 1),
                ["https://example.org/a"],
            ),
            ("Право на справедливое судебное разбирательство", "НОВОСТЬ БЕЗ ДАТЫ", None, []),
        ],
    ),
    (
        "editorial rubric in capitals",
        "«Право А»\n\n" + ITEM_A + "* * *\n\nПОЛНЫЙ АБЗАЦ!\n\n" + ITEM_B + "* * *\n" + ITEM_C,
        [
            ("Право А", "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            (
                "ПОЛНЫЙ АБЗАЦ!",
                "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ",
                dt.date(2025, 3, 2),
                ["https://example.org/b"],
            ),
            (
                "ПОЛНЫЙ АБЗАЦ!",
                "ТРЕТЬЯ НОВОСТЬ",
                dt.date(2025, 4, 3),
                ["https://example.org/c1", "https://example.org/c2"],
            ),
        ],
    ),
    (
        "stray spaces around every line",
        "  «Право А»   \n \n   " + ITEM_A.replace("\n", "  \n ") + "  * * *  \n" + ITEM_B,
        [
            ("Право А", "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            ("Право А", "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"]),
        ],
    ),
    (
        "date written «… года» and several URLs on one line",
        "«Право А»\nНОВОСТЬ\nАгентство\n19 августа 2025 года\n\nТекст.\n"
        "https://example.org/x, https://example.org/y\n",
        [
            (
                "Право А",
                "НОВОСТЬ",
                dt.date(2025, 8, 19),
                ["https://example.org/x", "https://example.org/y"],
            )
        ],
    ),
    (
        "ИСТОЧНИК block with the URL on the same line",
        "НОВОСТЬ\n5 мая 2025 г.\n\nТекст.\n\nИСТОЧНИК: Газета «Н» https://example.org/n\n",
        [(None, "НОВОСТЬ", dt.date(2025, 5, 5), ["https://example.org/n"])],
    ),
    (
        "an item with no date after a separator",
        ITEM_A + "* * *\n«Право В»\n\nНОВОСТЬ БЕЗ ДАТЫ\n\nТекст без даты.\n",
        [
            (None, "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            ("Право В", "НОВОСТЬ БЕЗ ДАТЫ", None, []),
        ],
    ),
    (
        "a dateless item under a rubric, then a dated one, no separator",
        "«Право А»\nКОРОТКАЯ НОВОСТЬ\nОдин абзац.\n\n" + ITEM_B,
        [
            ("Право А", "КОРОТКАЯ НОВОСТЬ", None, []),
            ("Право А", "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"]),
        ],
    ),
    (
        "rubrics without guillemets, one after a source URL with no separator",
        "Право на мирные собрания\n\n" + ITEM_A + "Свобода объединений\n" + ITEM_B,
        [
            (
                "Право на мирные собрания",
                "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ",
                dt.date(2025, 3, 1),
                ["https://example.org/a"],
            ),
            (
                "Свобода объединений",
                "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ",
                dt.date(2025, 3, 2),
                ["https://example.org/b"],
            ),
        ],
    ),
    (
        "a date line inside a body does not start an item",
        "НОВОСТЬ\n1 июня 2025 г.\n\nАбзац.\n\n2 июня 2025 г.\n\nЕщё абзац.\n",
        [(None, "НОВОСТЬ", dt.date(2025, 6, 1), [])],
    ),
    (
        "a dash rule and a separator hidden behind NUL and zero-width characters",
        ITEM_A + "— — —\n" + ITEM_B + "\x00* * *\u200b\n" + ITEM_C,
        [
            (None, "ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ", dt.date(2025, 3, 1), ["https://example.org/a"]),
            (None, "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"]),
            (
                None,
                "ТРЕТЬЯ НОВОСТЬ",
                dt.date(2025, 4, 3),
                ["https://example.org/c1", "https://example.org/c2"],
            ),
        ],
    ),
    (
        "empty chunks between separators are ignored",
        "* * *\n\n* * *\n" + ITEM_B + "* * *\n   \n",
        [(None, "ЗАГОЛОВОК ВТОРОЙ НОВОСТИ", dt.date(2025, 3, 2), ["https://example.org/b"])],
    ),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_digest_table(name: str, text: str, expected: list) -> None:
    got = [(f["rubric"], f["headline"], f["date"], f["urls"]) for f in fields(text)]
    assert got == expected
    check_spans(text)


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_digest_line_ends(name: str, text: str, expected: list, newline: str) -> None:
    converted = text.replace("\n", newline)
    got = [(f["rubric"], f["headline"], f["date"], f["urls"]) for f in fields(converted)]
    assert got == expected
    check_spans(converted)


def test_byline_author_and_outlet() -> None:
    got = fields(ITEM_A + "* * *\n" + ITEM_B + "* * *\n" + ITEM_C)
    assert [(f["author"], f["outlet"]) for f in got] == [
        ("Иван ПЕТРОВСКИЙ", "интернет-издание «Пример»"),
        (None, "Агентство «Тест»"),
        (None, "Редакция сайта Example.kz"),
    ]


@pytest.mark.parametrize(
    "byline,author,outlet",
    [
        ("ИА КАЗТАГ", None, "ИА КАЗТАГ"),
        ("ORDA.KZ", None, "ORDA.KZ"),
        ("А. Иванов", "А. Иванов", None),
        ("Азамат ТЕСТОВ", "Азамат ТЕСТОВ", None),
        ("Радио «Пример»", None, "Радио «Пример»"),
        ("Example News", None, "Example News"),
    ],
)
def test_byline_forms(byline: str, author: str | None, outlet: str | None) -> None:
    (inc,) = parse_digest(f"ЗАГОЛОВОК НОВОСТИ\n{byline}\n1 мая 2025 г.\n\nТекст.\n")
    assert (inc.headline, inc.author, inc.outlet) == ("ЗАГОЛОВОК НОВОСТИ", author, outlet)


@pytest.mark.parametrize(
    "rubric_line,rubric",
    [
        ("«Право»", "Право"),
        ("Право на труд", "Право на труд"),
        ("ПОЛНЫЙ АБЗАЦ!\n", "ПОЛНЫЙ АБЗАЦ!"),
    ],
)
def test_headline_in_ordinary_case_above_the_outlet(rubric_line: str, rubric: str) -> None:
    text = f"{rubric_line}\nСуд оштрафовал активистов\nАгентство «Пример»\n1 мая 2025 г.\n\nТ."
    (inc,) = parse_digest(text)
    assert (inc.rubric, inc.headline, inc.outlet) == (
        rubric,
        "Суд оштрафовал активистов",
        "Агентство «Пример»",
    )


@pytest.mark.parametrize(
    "top,rubric,headline",
    [
        ("«ПРАВО НА ЖИЗНЬ»\nЗАГОЛОВОК", "ПРАВО НА ЖИЗНЬ", "ЗАГОЛОВОК"),
        ("«ХОЧУ ДОМОЙ»", None, "«ХОЧУ ДОМОЙ»"),
        ("ЗАГОЛОВОК «С ЦИТАТОЙ»", None, "ЗАГОЛОВОК «С ЦИТАТОЙ»"),
        ("ДЛИННЫЙ ЗАГОЛОВОК\nВ ДВЕ СТРОКИ", None, "ДЛИННЫЙ ЗАГОЛОВОК В ДВЕ СТРОКИ"),
    ],
)
def test_capitals_lines_above_the_byline(top: str, rubric: str | None, headline: str) -> None:
    (inc,) = parse_digest(f"{top}\nИздание\n1 мая 2025\n\nтекст")
    assert (inc.rubric, inc.headline, inc.outlet) == (rubric, headline, "Издание")


@pytest.mark.parametrize(
    "line,author,outlet,date",
    [
        ("Azattyq Asia, 17 декабря 2025 г.", None, "Azattyq Asia", dt.date(2025, 12, 17)),
        ("Газета «Б» – 18.12.2025", None, "Газета «Б»", dt.date(2025, 12, 18)),
        ("Иван ПЕТРОВ, 1 мая 2025", "Иван ПЕТРОВ", None, dt.date(2025, 5, 1)),
    ],
)
def test_byline_and_date_on_one_line(
    line: str, author: str | None, outlet: str | None, date: dt.date
) -> None:
    text = f"ЗАГОЛОВОК\n{line}\n\nтекст\n* * *\nВТОРОЙ\n2 мая 2025\n\nт"
    first, second = parse_digest(text)
    assert (first.headline, first.author, first.outlet, first.date) == (
        "ЗАГОЛОВОК",
        author,
        outlet,
        date,
    )
    assert second.date == dt.date(2025, 5, 2)


def test_capitals_headline_with_author_and_outlet_lines() -> None:
    (inc,) = parse_digest("ЗАГОЛОВОК\n\nИван ПЕТРОВ\nГазета «Б»\n3 мая 2025\n\nтекст")
    assert (inc.rubric, inc.headline, inc.author, inc.outlet) == (
        None,
        "ЗАГОЛОВОК",
        "Иван ПЕТРОВ",
        "Газета «Б»",
    )


def test_url_forms() -> None:
    text = (
        "НОВОСТЬ\n1 мая 2025 г.\n\nТекст со ссылкой https://example.org/in-body внутри.\n"
        "example.org/no-scheme/1.html\nwww.example.org/www\n"
        "ИСТОЧНИК: https://example.org/src).\n"
    )
    (inc,) = parse_digest(text)
    assert inc.urls == (
        "example.org/no-scheme/1.html",
        "www.example.org/www",
        "https://example.org/src",
    )


def test_rubric_line_is_not_in_the_span() -> None:
    text = "«Право А»\n\n" + ITEM_A
    (inc,) = parse_digest(text)
    assert inc.text.startswith("ЗАГОЛОВОК ПЕРВОЙ НОВОСТИ")
    assert inc.text.endswith("https://example.org/a")
    assert "Право А" not in inc.text


def test_bom_is_part_of_the_text_given() -> None:
    text = "\ufeff«Право А»\n" + ITEM_A
    (inc,) = parse_digest(text)
    assert inc.rubric == "Право А"
    assert text[inc.span.start : inc.span.end] == inc.text


@pytest.mark.parametrize("text", ["", "   ", "\n\n\r\n", "\t \u00a0\n"])
def test_empty_text_has_no_incidents(text: str) -> None:
    assert parse_digest(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Просто текст без структуры.",
        "«Цитата в начале»\nи продолжение\n",
        "ЗАГОЛОВОК\nтекст\n",
        "  отступ и хвост  \n",
    ],
)
def test_text_without_structure_is_one_whole_incident(text: str) -> None:
    (inc,) = parse_digest(text, "plain.txt")
    assert inc.text == text
    assert (inc.span.start, inc.span.end) == (0, len(text))
    assert inc.offset_base == 0


def test_control_characters_survive() -> None:
    text = "«Право\x00 А»\n" + ITEM_A.replace("Первый", "Пер\x07вый\x00") + "* * *\x00\n" + ITEM_B
    incidents = parse_digest(text)
    assert len(incidents) == 2
    assert "\x07" in incidents[0].text
    check_spans(text)


# ---------------------------------------------------------------- ids


def test_ids_are_stable_unique_and_file_name_safe() -> None:
    text = ITEM_A + "* * *\n" + ITEM_A + "* * *\n" + ITEM_B
    first = [i.id for i in parse_digest(text, "/some/where/Дайджест декабрь.txt")]
    again = [i.id for i in parse_digest(text, "/some/where/Дайджест декабрь.txt")]
    assert first == again
    assert len(set(first)) == 3
    for value in first:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", value), value
        assert value.startswith("daidzhest-dekabr-")


def test_id_changes_with_the_item_text_only() -> None:
    base = parse_digest(ITEM_A + "* * *\n" + ITEM_B, "d.txt")
    edited = parse_digest(ITEM_A + "* * *\n" + ITEM_B.replace("второй", "иной"), "d.txt")
    assert base[0].id == edited[0].id
    assert base[1].id != edited[1].id


def test_id_without_source() -> None:
    (inc,) = parse_digest(ITEM_A)
    assert inc.id.startswith("digest-01-")
    assert inc.source is None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "line,expected",
    [
        ("17 декабря 2025 г.", dt.date(2025, 12, 17)),
        ("17 декабря 2025 г", dt.date(2025, 12, 17)),
        ("19 августа 2025 года", dt.date(2025, 8, 19)),
        ("1 мая 2025", dt.date(2025, 5, 1)),
        ("3 марта 2025 г.", dt.date(2025, 3, 3)),
        ("17.12.2025", dt.date(2025, 12, 17)),
        ("7.1.2025", dt.date(2025, 1, 7)),
        ("2025-12-17", dt.date(2025, 12, 17)),
        ("17 желтоқсан 2025 ж.", dt.date(2025, 12, 17)),
        ("2025 жылғы 17 желтоқсан", dt.date(2025, 12, 17)),
        ("  17 ДЕКАБРЯ 2025 Г.  ", dt.date(2025, 12, 17)),
        ("17 декабря 2025 г., 14:35", dt.date(2025, 12, 17)),
        ("17 декабря, 2025", dt.date(2025, 12, 17)),
        ("17.12.2025 в 09.10", dt.date(2025, 12, 17)),
        ("17 December 2025", dt.date(2025, 12, 17)),
        ("3 Dec. 2025", dt.date(2025, 12, 3)),
        ("31 февраля 2025 г.", None),
        ("в декабре 2025 года", None),
        ("17 декабря", None),
    ],
)
def test_parse_date(line: str, expected: dt.date | None) -> None:
    assert parse_date(line) == expected


# ---------------------------------------------------------------- properties

digest_pieces = st.lists(
    st.sampled_from(
        [
            "* * *\n",
            "«Право на свободу»\n",
            "«Право на свободу от\n",
            "или обращения»\n",
            "Право на труд\n",
            "Суд оштрафовал людей\n",
            "ПОЛНЫЙ АБЗАЦ!\n",
            "ЗАГОЛОВОК НОВОСТИ\n",
            "Агентство «Пример»\n",
            "17 декабря 2025 г.\n",
            "17.12.2025\n",
            "\n",
            "  \n",
            "Текст новости, статья 19 Пакта.\n",
            "ИСТОЧНИК:\n",
            "https://example.org/x\n",
            "\r\n",
            "\r",
            " ",
            "\x00",
            "\ufeff",
            "«",
            "»",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(digest_pieces, st.text(max_size=300)))
def test_spans_are_exact_slices(text: str) -> None:
    incidents = parse_digest(text, "p.txt")
    previous_end = 0
    for inc in incidents:
        assert text[inc.span.start : inc.span.end] == inc.text
        assert inc.text  # never an empty incident
        assert inc.span.start >= previous_end  # in order, no overlap
        previous_end = inc.span.end
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", inc.id)
    assert [i.id for i in parse_digest(text, "p.txt")] == [i.id for i in incidents]
    assert len({i.id for i in incidents}) == len(incidents)


@settings(max_examples=100)
@given(digest_pieces)
def test_line_ends_do_not_change_the_split(text: str) -> None:
    unix = text.replace("\r\n", "\n").replace("\r", "\n")
    as_crlf = unix.replace("\n", "\r\n")
    key = [(i.rubric, i.headline, i.date, i.urls) for i in parse_digest(unix)]
    assert [(i.rubric, i.headline, i.date, i.urls) for i in parse_digest(as_crlf)] == key


# ---------------------------------------------------------------- long input


def test_one_long_line_is_linear() -> None:
    import time

    for text in ("а" * 2_000_000, "«" * 2_000_000, "http://" + "www." * 500_000):
        started = time.perf_counter()
        (inc,) = parse_digest(text)
        assert inc.span.end == len(text)
        assert time.perf_counter() - started < 5


# ---------------------------------------------------------------- shipped and real digests


def test_sample_digest() -> None:
    text = sample_digest().read_text(encoding="utf-8")
    incidents = parse_digest(text, "sample-digest.txt")
    assert len(incidents) >= 12
    assert len({i.rubric for i in incidents}) >= 8
    assert all(i.date and i.urls and i.headline and i.rubric for i in incidents)
    assert len({(i.date.year, i.date.month) for i in incidents if i.date}) >= 3
    check_spans(text)


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not available")
def test_real_digest_structure() -> None:
    text = CORPUS.read_text(encoding="utf-8")
    incidents = parse_digest(text, CORPUS.name)
    assert len(incidents) == 6
    for inc in incidents:
        assert inc.date is not None
        assert inc.urls and all(u.startswith("https://") for u in inc.urls)
        assert inc.headline and inc.headline == inc.headline.upper()
        assert inc.rubric
        assert text[inc.span.start : inc.span.end] == inc.text
    # the second item has no rubric line of its own: it keeps the first one's
    assert incidents[1].rubric == incidents[0].rubric
    assert len({i.rubric for i in incidents}) == 5


@pytest.mark.parametrize("text", [
    "",
    "Просто текст без структуры.",
    "«Право на свободу собраний»\nЗАГОЛОВОК\n17 декабря 2025 г.\nтекст по ст. 5\n* * *\n"
    "второй текст\n",
])
def test_iter_digest_gives_what_parse_digest_gives(text: str) -> None:
    from normref.digest import iter_digest

    assert list(iter_digest(text, source="d.txt")) == parse_digest(text, source="d.txt")


def test_iter_digest_on_the_sample_is_lazy_and_the_same() -> None:
    from normref.digest import iter_digest
    from normref.resources import sample_digest

    text = sample_digest().read_text(encoding="utf-8")
    incidents = iter_digest(text)
    first = next(incidents)
    assert [first, *incidents] == parse_digest(text)
