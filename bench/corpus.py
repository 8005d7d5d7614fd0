"""Synthetic monitoring digests for benchmarks: the digest format, realistic citation density.

Everything here is invented for the benchmark. About one citation or trigger phrase every
500 characters, like real digests.
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
FILLER = [
    "Представители местной администрации от комментариев отказались.",
    "По словам родственников, на встречу с ним их не пустили.",
    "Правозащитники направили обращение в несколько государственных органов.",
    "Заседание суда было перенесено на следующую неделю по ходатайству стороны.",
    "Наблюдатели отметили, что в зале присутствовали сотрудники в штатском.",
    "Ранее организация уже сообщала о похожих случаях в других регионах страны.",
    "Адвокат намерен обжаловать решение в апелляционной инстанции.",
    "Редакция продолжает следить за развитием событий и опубликует ответы ведомств.",
]
CITING = [
    "Суд признал его виновным по ч. 2 ст. 274 УК РК.",
    "Защита сослалась на статью 19 Международного пакта о гражданских и политических правах.",
    "Это противоречит статье 33 Конвенции ООН 1951 года о статусе беженцев.",
    "Участников привлекли к ответственности по ст. 488 КоАП РК.",
    "Юристы напомнили о статье 20 Конституции Республики Казахстан.",
    "По мнению экспертов, нарушены статьи 21 и 22 МПГПП.",
    "Комитет ссылался на Замечание общего порядка № 34.",
    "Заявитель указал на нарушение Закона о политических партиях.",
    "В жалобе упомянуты Правила Нельсона Манделы.",
    "Сотрудники провели обыск в квартире активиста.",
    "По словам задержанного, к нему применяли пытки.",
    "Аккаунт издания в социальной сети был заблокирован.",
]


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
            if since_citation > 430:
                sentence = rng.choice(CITING)
                since_citation = 0
            else:
                sentence = rng.choice(FILLER)
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
