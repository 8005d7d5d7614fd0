"""Synthetic monitoring digests for benchmarks: the digest format, realistic citation density.

Everything here is invented for the benchmark. About one citation or trigger phrase every
500 characters, like real digests; numbers and filler sentences vary.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

RUBRICS = [
    "«Право на свободу выражения мнений»",
    "«Право на свободу мирных собраний»",
    "«Право на свободу объединений»",
    "«Запрет пыток и жестокого обращения»",
    "«Право на справедливое судебное разбирательство»",
    "«Права беженцев»",
    "«Трудовые права»",
    "«Права ребенка»",
]
HEADLINES = [
    "ЖУРНАЛИСТА ОШТРАФОВАЛИ ЗА ПУБЛИКАЦИЮ",
    "АКТИВИСТОВ ЗАДЕРЖАЛИ ПОСЛЕ ПИКЕТА",
    "СУД ОТКАЗАЛ В РЕГИСТРАЦИИ ОБЪЕДИНЕНИЯ",
    "ЗАЯВИТЕЛЬ ЖАЛУЕТСЯ НА ПЫТКИ В ИЗОЛЯТОРЕ",
    "ПРОСИТЕЛЮ УБЕЖИЩА ГРОЗИТ ВЫСЫЛКА",
    "РАБОЧИЕ ОБЪЯВИЛИ ЗАБАСТОВКУ",
]
OUTLETS = ["Вестник наблюдателя", "Степной курьер", "Медиацентр Арна"]
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
          "сентября", "октября", "ноября", "декабря"]
#: Filler sentences are put together from these parts, so that the text is not a handful of
#: sentences repeated (caches keyed by text would flatter the figures).
SUBJECTS = ["Представители местной администрации", "Родственники задержанного",
            "Правозащитники", "Наблюдатели", "Адвокаты", "Журналисты редакции",
            "Жители района", "Сотрудники пресс-службы", "Эксперты", "Депутаты маслихата",
            "Коллеги журналиста", "Члены профсоюза"]
VERBS = ["сообщили о", "отказались говорить о", "рассказали журналистам о", "напомнили о",
         "опубликовали заявление о", "спорили о", "написали о", "узнали о",
         "задали вопросы о", "направили письмо о"]
OBJECTS = ["решении районного суда", "переносе заседания на следующую неделю",
           "событиях в областном центре", "проверке документов", "ответах ведомств",
           "похожих случаях в других регионах", "итогах встречи с акимом",
           "ходатайстве стороны защиты", "сроках рассмотрения жалобы", "планах на осень",
           "публикациях в социальных сетях", "работе апелляционной инстанции"]
TAILS = ["", "", " в понедельник", " на прошлой неделе", " в своем аккаунте", " вечером",
         " после заседания", " в письменном виде"]
#: Sentences with a citation or a trigger phrase; numbers are filled in at random.
CITING = [
    "Суд признал его виновным по ч. {part} ст. {art} УК РК.",
    "Защита сослалась на статью {small} Международного пакта о гражданских и политических "
    "правах.",
    "Это противоречит статье {small} Конвенции ООН 1951 года о статусе беженцев.",
    "Участников привлекли к ответственности по ст. {art} КоАП РК.",
    "Юристы напомнили о статье {small} Конституции Республики Казахстан.",
    "По мнению экспертов, нарушены статьи {small} и {small2} МПГПП.",
    "Комитет ссылался на Замечание общего порядка № {small}.",
    "Заявитель указал на нарушение Закона о политических партиях.",
    "В жалобе упомянуты правила {small} и {small2} Правил Нельсона Манделы.",
    "Сотрудники провели обыск в квартире активиста.",
    "По словам задержанного, к нему применяли пытки.",
    "Аккаунт издания в социальной сети был заблокирован.",
    "Адвокат сослался на пункт {part} статьи {small} Конвенции против пыток.",
    "Прокуратура возбудила дело по части {part} статьи {art} Уголовного кодекса.",
]


def _citing(rng: random.Random) -> str:
    return rng.choice(CITING).format(
        part=rng.randint(1, 4), art=rng.randint(100, 500), small=rng.randint(1, 40),
        small2=rng.randint(1, 40))


def _filler(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."


def make_digest(n_chars: int, seed: int = 1) -> str:
    """A digest of at least ``n_chars`` characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    item = 0
    while size < n_chars:
        item += 1
        body: list[str] = []
        length = 0
        target = rng.randint(1500, 4000)
        since_citation = 0
        while length < target:
            if since_citation > 350:
                sentence = _citing(rng)
                since_citation = 0
            else:
                sentence = _filler(rng)
                since_citation += len(sentence) + 1
            body.append(sentence)
            length += len(sentence) + 1
        paragraphs = [" ".join(body[i:i + 4]) for i in range(0, len(body), 4)]
        text = "\n".join(
            [
                rng.choice(RUBRICS) if item % 3 == 1 else "",
                "",
                rng.choice(HEADLINES),
                rng.choice(OUTLETS),
                f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2025 г.",
                "",
                "\n\n".join(paragraphs),
                "",
                "ИСТОЧНИК:",
                f"https://example.org/news/{item}",
                "* * *",
                "",
            ]
        )
        parts.append(text)
        size += len(text)
    return "".join(parts)


def make_jsonl_lines(n_bytes: int, seed: int = 2) -> Iterator[str]:
    """JSONL incidents totalling about ``n_bytes`` of UTF-8, generated lazily."""
    rng = random.Random(seed)
    written = 0
    number = 0
    while written < n_bytes:
        number += 1
        text = make_digest(rng.randint(1500, 3000), seed=rng.randint(0, 10**9))
        line = json.dumps(
            {"id": f"item-{number}", "date": "2025-06-01", "rubric": rng.choice(RUBRICS),
             "text": text},
            ensure_ascii=False,
        ) + "\n"
        written += len(line.encode("utf-8"))
        yield line
