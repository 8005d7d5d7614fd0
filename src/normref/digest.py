"""Split a monitoring digest into incidents; read incidents from JSON and JSONL.

A digest (contract §4) is plain text: items separated by a ``* * *`` line
(sometimes missing), a rubric line that holds until the next rubric, a
headline in capitals, a byline (author and/or outlet), a date line, the body,
an optional «ИСТОЧНИК:» block and the source URL(s).

Offsets are Python string indices into the *decoded* text (a UTF-8 byte order
mark is removed before decoding, so offsets never count it). Every incident
satisfies ``text[inc.span.start:inc.span.end] == inc.text``.

The rubric line is *not* part of an incident's span: it is shared by all the
items that follow it, so it is kept as metadata (``Incident.rubric``) and the
span starts at the headline. See docs/digest.md.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from attrs import frozen

from .errors import InputError
from .model import Incident, Span

__all__ = ["parse_digest", "iter_digest", "read_incidents", "parse_date", "clean_rubric",
           "incident_id", "slugify"]

# ---------------------------------------------------------------- lexical helpers

#: Characters stripped around a line when classifying it (never removed from the text).
_STRIP = (
    " \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\x00"
)

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
_SEPARATOR_RE = re.compile(r"^(?:\*[ \t\u00a0]*){3,}$|^(?:[-–—_=][ \t\u00a0]*){3,}$")
_SOURCE_RE = re.compile(
    r"^(?:ИСТОЧНИКИ?|Источники?|ССЫЛКА|Ссылка|ПОДРОБНЕЕ|Подробнее|ДЕРЕККӨЗ|Дереккөз|SOURCES?"
    r"|Sources?)\s*:\s*(?P<rest>.*)$"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>«»\"']+", re.IGNORECASE)
#: A URL alone on a line: with a scheme, «www.», or a bare domain followed by a path.
_URL_TOKEN_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"']+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>«»\"']*",
    re.IGNORECASE,
)


def _is_url_line(value: str) -> bool:
    """A line holding only URLs (separated by spaces, commas or semicolons)."""
    if not value[:1].isascii() or not value[:1].isalnum():
        return False
    tokens = [t for t in re.split(r"[\s,;]+", value) if t]
    return bool(tokens) and all(_URL_TOKEN_RE.fullmatch(t) for t in tokens)


_RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_KK_MONTHS = {
    "қаңтар": 1,
    "ақпан": 2,
    "наурыз": 3,
    "сәуір": 4,
    "мамыр": 5,
    "маусым": 6,
    "шілде": 7,
    "тамыз": 8,
    "қыркүйек": 9,
    "қазан": 10,
    "қараша": 11,
    "желтоқсан": 12,
}
_RU_MONTH_ALT = (
    r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|"
    r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]"
)
_KK_MONTH_ALT = "|".join(_KK_MONTHS)
_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_MONTH_ALT = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: What may follow the year: «г.», «года», a time such as «, 14:35» or «в 09.10».
_DATE_TAIL = r"(?:\s*(?:г\.?|года?))?\s*(?:[,;]?\s*(?:в\s+)?\d{1,2}[:.]\d{2})?\s*[.,]?$"
_DATE_PATTERNS = (
    # 17 декабря 2025 г. / 19 августа 2025 года / 17 декабря, 2025 / 17 декабря 2025 г., 14:35
    re.compile(
        rf"^(?P<d>\d{{1,2}})\s+(?P<m>{_RU_MONTH_ALT}),?\s+(?P<y>\d{{4}}){_DATE_TAIL}",
        re.IGNORECASE,
    ),
    # 17.12.2025 / 17/12/2025 / 17.12.2025 г.
    re.compile(rf"^(?P<d>\d{{1,2}})[./](?P<mn>\d{{1,2}})[./](?P<y>\d{{4}}){_DATE_TAIL}"),
    # 2025-12-17
    re.compile(r"^(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})$"),
    # 17 желтоқсан 2025 ж. / 2025 жылғы 17 желтоқсан
    re.compile(
        rf"^(?P<d>\d{{1,2}})\s+(?P<k>{_KK_MONTH_ALT})\w*\s+(?P<y>\d{{4}})(?:\s*ж(?:ыл|\.)?)?\s*$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?P<y>\d{{4}})\s+ж(?:ылғы|\.)?\s+(?P<d>\d{{1,2}})\s+(?P<k>{_KK_MONTH_ALT})\w*\s*$",
        re.IGNORECASE,
    ),
    # 17 December 2025 / 17 Dec. 2025
    re.compile(
        rf"^(?P<d>\d{{1,2}})\s+(?P<e>{_EN_MONTH_ALT})\.?,?\s+(?P<y>\d{{4}})\s*$",
        re.IGNORECASE,
    ),
)

_OUTLET_WORDS = re.compile(
    r"\bИА\b|издание|агентство|редакция|сайт|портал|радио|газета|журнал|телеканал|служба|филиал|"
    r"бюро|центр|фонд|коалиция|сеть|газеты|news|media|\.kz|\.org|\.com|\.ru",
    re.IGNORECASE,
)

#: An outlet line written in capitals («ИА КАЗТАГ», «РАДИО АЗАТТЫК», «ORDA.KZ»).
_CAPS_OUTLET_RE = re.compile(
    r"^(?:(?:ИА|ИНФОРМАЦИОННОЕ АГЕНТСТВО|АГЕНТСТВО|ИНТЕРНЕТ-ИЗДАНИЕ|ИЗДАНИЕ|РАДИО|ГАЗЕТА|ЖУРНАЛ|"
    r"РЕДАКЦИЯ|ТЕЛЕКАНАЛ|ПОРТАЛ)\b.{0,40}|[\w-]+(?:\.[\w-]+)*\.(?:KZ|ORG|COM|RU|NET|ASIA|MEDIA))$"
)

#: Longest line that can be a date, a rubric, a headline or a byline.
_MAX_DATE = 60
_MAX_RUBRIC = 200
_MAX_CAPS_RUBRIC = 80
_MAX_HEADLINE = 300
_MAX_BYLINE = 150


def parse_date(value: str) -> dt.date | None:
    """Parse a digest date line («17 декабря 2025 г.», «17.12.2025», ISO, Kazakh); else None."""
    value = value.strip(_STRIP)
    if len(value) > _MAX_DATE:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("m"):
            word = groups["m"].lower()
            month = next(n for stem, n in _RU_MONTHS.items() if word.startswith(stem))
        elif groups.get("k"):
            word = groups["k"].lower()
            month = next(n for stem, n in _KK_MONTHS.items() if word.startswith(stem))
        elif groups.get("e"):
            month = _EN_MONTHS[groups["e"][:3].lower()]
        else:
            month = int(groups["mn"])
        try:
            return dt.date(int(groups["y"]), month, int(groups["d"]))
        except ValueError:
            return None
    return None


_DATED_BYLINE_RE = re.compile(r"^(?P<by>[^,–—]{2,100}?)\s*(?:,|\s[–—-])\s*(?P<date>\d[^,]{5,40})$")


def _dated_byline(value: str) -> tuple[str | None, dt.date | None]:
    """(byline, date) of a line such as «Azattyq Asia, 17 декабря 2025 г.»; else (None, None)."""
    if len(value) > _MAX_BYLINE or not value[-1:].isalnum() and value[-1:] != ".":
        return None, None
    match = _DATED_BYLINE_RE.match(value)
    if not match or not _looks_like_byline(match["by"]) or len(match["by"].split()) > 8:
        return None, None
    if not _is_date_line(match["date"]):
        return None, None
    return match["by"].strip(), parse_date(match["date"])


def _is_date_line(value: str) -> bool:
    return (
        value[:1].isdigit()
        and len(value) <= _MAX_DATE
        and any(p.match(value) for p in _DATE_PATTERNS)
    )


def _is_caps(value: str) -> bool:
    """A line written in capitals (a headline or an editorial rubric)."""
    if len(value) > _MAX_HEADLINE or value.upper() != value and value.lower() == value:
        return False
    upper = sum(map(str.isupper, value))
    lower = sum(map(str.islower, value))
    return upper >= 3 and upper >= 0.8 * (upper + lower)


_OPEN_QUOTES = '«"“„'
_CLOSE_QUOTES = '»"”“'


def _is_quoted_rubric(value: str) -> bool:
    """A right's name in guillemets, possibly cut off or missing its closing guillemet."""
    if not value or value[0] not in _OPEN_QUOTES or len(value) > _MAX_RUBRIC:
        return False
    inner = value[1:]
    closing = [i for i, ch in enumerate(inner) if ch in _CLOSE_QUOTES]
    # either no closing quote at all (cut off), or the only one ends the line
    return not closing or (closing == [len(inner) - 1] and len(inner) > 1)


def clean_rubric(value: str) -> str:
    """The rubric as a name: no guillemets, no trailing comma, spaces collapsed."""
    value = value.strip(_STRIP)
    if value and value[0] in _OPEN_QUOTES:
        value = value[1:]
    if value and value[-1] in _CLOSE_QUOTES:
        value = value[:-1]
    value = " ".join(value.split())
    return value.rstrip(" ,;:-–—")


def slugify(value: str, *, default: str = "digest", limit: int = 40) -> str:
    """Lower-case ASCII ``[a-z0-9-]`` form of ``value`` (Cyrillic transliterated)."""
    out = []
    for ch in value.lower():
        out.append(_TRANSLIT.get(ch, ch))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")
    slug = slug[:limit].strip("-")
    return slug or default


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya "
        "a g q n o u u h i".split(),
        strict=True,
    )
)


def incident_id(source: str | None, number: int, text: str) -> str:
    """Stable, file-name-safe id: ``<slug of source stem>-<nn>-<8 hex of sha1(text)>``."""
    stem = (
        Path(source).stem
        if source and source not in ("-", "<stdin>")
        else ("stdin" if source else "digest")
    )
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slugify(stem)}-{number:02d}-{digest}"


# ---------------------------------------------------------------- lines


class _Line(NamedTuple):
    start: int  # start of the line in the text
    cstart: int  # start of the stripped content
    cend: int  # end of the stripped content
    content: str  # the stripped content


#: A line: leading strippable characters, the rest, the line end.
_LINE_PARTS_RE = re.compile(r"([" + re.escape(_STRIP) + r"]*)([^\r\n]*)(\r\n|\r|\n|\Z)")


def _lines(text: str, base: int = 0) -> list[_Line]:
    """Lines of ``text`` with the offsets (plus ``base``) of their stripped content."""
    out: list[_Line] = []
    for match in _LINE_PARTS_RE.finditer(text):
        cstart = match.start(2)
        content = match.group(2).rstrip(_STRIP)
        cend = cstart + len(content)
        if not content:
            cstart = cend = match.start()
        out.append(_Line(match.start() + base, cstart + base, cend + base, content))
        if match.end() == len(text):
            break
    return out


def _kind(line: _Line) -> str:
    value = line.content
    if not value:
        return "blank"
    if len(value) <= 40 and _SEPARATOR_RE.match(value):
        return "sep"
    if _is_date_line(value) or _dated_byline(value)[0]:
        return "date"
    if _is_url_line(value):
        return "url"
    if len(value) <= _MAX_BYLINE and _SOURCE_RE.match(value):
        return "source"
    return "text"


# ---------------------------------------------------------------- headers


@frozen
class _Header:
    first: int  # index of the first line of the incident (after the rubric)
    rubric: str | None = None
    headline: str | None = None
    bylines: tuple[str, ...] = ()
    date: dt.date | None = None
    rubric_line: int | None = None


def _looks_like_byline(value: str) -> bool:
    return (
        0 < len(value) <= _MAX_BYLINE
        and not _is_caps(value)
        and value[-1] not in ".!?:;…"
        and not _is_url_line(value)
    )


#: A right's name written without guillemets («Право на свободу собраний»).
_PLAIN_RUBRIC_RE = re.compile(
    r"^(?:Прав[оа]|Свобод[аы]|Запрет|Защита|Недопущение|Недискриминация|Равенство|"
    r"Right|Freedom|Prohibition)\b[^.;:]*$"
)


def _rubric_at(lines: list[_Line], kinds: list[str], i: int, floor: int) -> bool:
    """Whether line ``i`` can be a rubric heading the item below it."""
    if i < floor or kinds[i] != "text":
        return False
    value = lines[i].content
    if _is_quoted_rubric(value):
        return True
    j = i - 1
    while j >= 0 and kinds[j] == "blank":
        j -= 1
    if _is_caps(value) and len(value) <= _MAX_CAPS_RUBRIC:
        # a capitals line inside an ИСТОЧНИК block names the outlet of the item above
        return (
            j < floor
            or kinds[j] == "url"
            or not (kinds[j] == "source" or _in_source_block(kinds, j, floor))
        )
    if len(value) <= _MAX_RUBRIC and _PLAIN_RUBRIC_RE.match(value):
        # a plain rubric opens a chunk or follows the previous item's source URL
        return j < 0 or kinds[j] == "url"
    return False


def _rubric_top(lines: list[_Line], kinds: list[str], j: int, floor: int) -> int | None:
    """First line of the rubric that ends at line ``j`` (one line, or a wrapped «…» pair)."""
    if j < floor:
        return None
    if _rubric_at(lines, kinds, j, floor):
        return j
    value = lines[j].content
    # «Право на свободу от пыток и жестокого, бесчеловечного
    #  или унижающего достоинство обращения»
    if kinds[j] == "text" and value.endswith("»") and "«" not in value and len(value) < 150:
        k = j - 1
        if k >= floor and kinds[k] == "text":
            upper = lines[k].content
            if upper.startswith("«") and "»" not in upper and _is_quoted_rubric(upper):
                return k
    return None


def _rubric_end(lines: list[_Line], kinds: list[str], r: int, hi: int) -> int:
    """Last line of a quoted rubric starting at line ``r`` (the next one if it wraps)."""
    value = lines[r].content
    if value.startswith("«") and "»" not in value and r + 1 < hi and kinds[r + 1] == "text":
        below = lines[r + 1].content
        if below.endswith("»") and "«" not in below and len(below) < 150:
            return r + 1
    return r


def _rubric_text(lines: list[_Line], top: int, bottom: int) -> str:
    return clean_rubric(" ".join(lines[i].content for i in range(top, bottom + 1)))


def _in_source_block(kinds: list[str], j: int, floor: int) -> bool:
    while j >= floor and kinds[j] not in ("blank", "sep"):
        if kinds[j] == "source":
            return True
        j -= 1
    return False


def _header_from_date(lines: list[_Line], kinds: list[str], d: int, floor: int) -> _Header | None:
    """Walk back from a date line: byline(s), headline, rubric. None if it is no header."""
    prefix, date = _dated_byline(lines[d].content)
    if prefix is None:
        date = parse_date(lines[d].content)
    i = d - 1
    bylines: list[int] = []  # nearest to the date first
    while i >= floor and len(bylines) < 2:
        if kinds[i] == "blank":
            i -= 1
            continue
        if (
            kinds[i] == "text"
            and _looks_like_byline(lines[i].content)
            and not _is_quoted_rubric(lines[i].content)
        ):
            bylines.append(i)
            i -= 1
            continue
        break
    head: list[int] = []  # headline lines, nearest to the date first
    if len(bylines) == 2 and _is_plain_headline(lines[bylines[-1]].content):
        head = [bylines.pop()]  # a headline in ordinary case above the outlet line
        j = head[0] - 1
    else:
        j = i
        while j >= floor and kinds[j] == "blank":
            j -= 1
        while j >= floor and kinds[j] == "text" and _is_caps(lines[j].content) and len(head) < 3:
            head.append(j)
            j -= 1
        if len(head) >= 2 and not bylines and _CAPS_OUTLET_RE.match(lines[head[0]].content):
            bylines.append(head.pop(0))  # «ИА КАЗТАГ» in capitals under the headline
        if len(head) >= 2 and _is_quoted_rubric(lines[head[-1]].content):
            j = head.pop()  # «ПРАВО НА ЖИЗНЬ» in capitals right above the headline
    while j >= floor and kinds[j] == "blank":
        j -= 1
    rubric_line = _rubric_top(lines, kinds, j, floor)
    if head:
        first = head[-1]
        if not _is_caps(lines[head[0]].content) and j >= floor and rubric_line is None:
            if kinds[j] != "url":
                return None  # an ordinary-case headline needs a clear start above it
    else:
        first = bylines[-1] if bylines else d
        if j >= floor and rubric_line is None:
            return None  # a date line inside a body is no header
    headline = " ".join(lines[h].content for h in reversed(head)) or None
    rubric = _rubric_text(lines, rubric_line, j) if rubric_line is not None else None
    return _Header(
        first=first,
        rubric=rubric or None,
        headline=headline,
        bylines=tuple(lines[b].content for b in reversed(bylines)) + ((prefix,) if prefix else ()),
        date=date,
        rubric_line=rubric_line,
    )


def _is_plain_headline(value: str) -> bool:
    """An ordinary-case line that is neither a person's name nor an outlet."""
    return not (
        _looks_like_person(value.split(",")[0].strip())
        or _OUTLET_WORDS.search(value)
        or _is_caps(value)
    )


def _header_from_rubric(lines: list[_Line], kinds: list[str], r: int, floor: int) -> _Header | None:
    """A quoted rubric followed by a capitals headline (an item with no date line)."""
    if not (kinds[r] == "text" and _is_quoted_rubric(lines[r].content)):
        return None
    end = _rubric_end(lines, kinds, r, len(lines))
    j = end + 1
    while j < len(lines) and kinds[j] == "blank":
        j += 1
    if j >= len(lines) or kinds[j] != "text" or not _is_caps(lines[j].content):
        return None
    head = [j]
    while (
        head[-1] + 1 < len(lines)
        and kinds[head[-1] + 1] == "text"
        and _is_caps(lines[head[-1] + 1].content)
        and len(head) < 3
    ):
        head.append(head[-1] + 1)
    return _Header(
        first=j,
        rubric=_rubric_text(lines, r, end) or None,
        headline=" ".join(lines[h].content for h in head),
        rubric_line=r,
    )


def _header_from_top(lines: list[_Line], kinds: list[str], lo: int, hi: int) -> _Header:
    """Header of a chunk with no date line: optional rubric, then optional headline."""
    i = lo
    while i < hi and kinds[i] == "blank":
        i += 1
    rubric_line = None
    if i < hi and kinds[i] == "text":
        value = lines[i].content
        nxt = i + 1
        while nxt < hi and kinds[nxt] == "blank":
            nxt += 1
        next_caps = nxt < hi and kinds[nxt] == "text" and _is_caps(lines[nxt].content)
        rubric_end = None
        if _is_quoted_rubric(value):
            rubric_end = _rubric_end(lines, kinds, i, hi)
        elif (_is_caps(value) and len(value) <= _MAX_CAPS_RUBRIC and next_caps and nxt > i + 1) or (
            len(value) <= _MAX_RUBRIC and _PLAIN_RUBRIC_RE.match(value) and next_caps
        ):
            rubric_end = i
        if rubric_end is not None:
            rubric_line = i
            i = rubric_end + 1
            while i < hi and kinds[i] == "blank":
                i += 1
    head: list[int] = []
    while i < hi and kinds[i] == "text" and _is_caps(lines[i].content) and len(head) < 3:
        head.append(i)
        i += 1
    first = head[0] if head else (i if rubric_line is not None else lo)
    rubric = (_rubric_text(lines, rubric_line, rubric_end)
              if rubric_line is not None and rubric_end is not None else None)
    return _Header(
        first=first,
        rubric=rubric or None,
        headline=" ".join(lines[h].content for h in head) or None,
        rubric_line=rubric_line,
    )


# ---------------------------------------------------------------- items


def _split_byline(bylines: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(author, outlet) from the byline lines."""
    author = outlet = None
    for value in bylines:
        person, _, rest = value.partition(",")
        if rest and _looks_like_person(person.strip()):
            author = author or person.strip()
            outlet = outlet or rest.strip() or None
        elif _looks_like_person(value):
            author = author or value
        else:
            outlet = outlet or value
    return author, outlet


def _looks_like_person(value: str) -> bool:
    words = value.split()
    if not 2 <= len(words) <= 4 or _OUTLET_WORDS.search(value):
        return False
    if not all(w[0].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words):
        return False
    if all(w.isupper() for w in words):
        return False  # «ИА КАЗТАГ»: an outlet, not a person
    # «Илья АСТАЗОВ»: a surname in capitals, or initials «А. Иванов»
    return any(w.isupper() and len(w) > 2 for w in words) or any(
        len(w) == 2 and w.endswith(".") for w in words
    )


def _item_details(
    lines: list[_Line], kinds: list[str], lo: int, hi: int
) -> tuple[tuple[str, ...], str | None]:
    """Source URLs and the outlet named in an ИСТОЧНИК block, for lines ``lo..hi``."""
    urls: list[str] = []
    source_outlet: str | None = None
    in_source = False
    for i in range(lo, hi):
        kind = kinds[i]
        value = lines[i].content
        if kind == "source":
            in_source = True
            rest = _SOURCE_RE.match(value)["rest"]  # type: ignore[index]
            urls.extend(_clean_url(u) for u in _URL_RE.findall(rest))
            rest = _URL_RE.sub("", rest).strip(" ,;")
            if rest and source_outlet is None:
                source_outlet = rest
        elif kind == "url":
            urls.extend(_clean_url(u) for u in _URL_TOKEN_RE.findall(value))
        elif kind == "text" and in_source:
            found = _URL_RE.findall(value)
            urls.extend(_clean_url(u) for u in found)
            rest = _URL_RE.sub("", value).strip(" ,;")
            if rest and source_outlet is None and len(rest) <= _MAX_BYLINE:
                source_outlet = rest
    return tuple(dict.fromkeys(u for u in urls if u)), source_outlet


def _clean_url(url: str) -> str:
    return url.rstrip(".,;:!?)]}")


@frozen
class _State:
    """What carries from one chunk of a digest to the next."""

    rubric: str | None = None
    number: int = 0


def _parse_chunk(
    text: str, base: int, state: _State, source: str | None
) -> tuple[list[Incident], _State]:
    """Incidents of one separator-delimited chunk (``text`` starts at ``base`` in the input)."""
    lines = _lines(text, base)
    kinds = [_kind(line) for line in lines]
    headers = _find_headers(lines, kinds)
    incidents: list[Incident] = []
    n = len(lines)
    start_of = _header_start

    if not headers or any(k != "blank" for k in kinds[: start_of(headers[0])]):
        # content before the first header (or a chunk with no header at all)
        end = start_of(headers[0]) if headers else n
        top = _header_from_top(lines, kinds, 0, end)
        headers.insert(0, top)
    for idx, header in enumerate(headers):
        end = start_of(headers[idx + 1]) if idx + 1 < len(headers) else n
        rubric = header.rubric or state.rubric
        state = _State(rubric=rubric, number=state.number)
        body = [i for i in range(header.first, end) if kinds[i] != "blank"]
        if not body:
            continue  # a rubric with nothing under it: it still holds for what follows
        s, e = lines[body[0]].cstart, lines[body[-1]].cend
        item_text = text[s - base : e - base]
        urls, source_outlet = _item_details(lines, kinds, header.first, end)
        author, outlet = _split_byline(header.bylines)
        state = _State(rubric=rubric, number=state.number + 1)
        incidents.append(
            Incident(
                id=incident_id(source, state.number, item_text),
                text=item_text,
                span=Span(s, e),
                rubric=rubric,
                headline=header.headline,
                author=author,
                outlet=outlet or source_outlet,
                date=header.date,
                urls=urls,
                source=source,
                offset_base=s,
            )
        )
    return incidents, state


def _header_start(header: _Header) -> int:
    return header.rubric_line if header.rubric_line is not None else header.first


def _find_headers(lines: list[_Line], kinds: list[str]) -> list[_Header]:
    """Item headers of a chunk, in order: date-anchored ones, then rubric+headline ones."""
    headers: list[_Header] = []
    claimed: set[int] = set()  # lines that belong to a date-anchored header
    floor = 0
    for i, kind in enumerate(kinds):
        if kind == "date":
            header = _header_from_date(lines, kinds, i, floor)
            if header is not None:
                headers.append(header)
                claimed.update(range(_header_start(header), i + 1))
                floor = i + 1
    for i, kind in enumerate(kinds):
        if kind == "text" and i not in claimed:
            header = _header_from_rubric(lines, kinds, i, 0)
            if header is not None and header.first not in claimed:
                headers.append(header)
    headers.sort(key=_header_start)
    return headers


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the separator-delimited chunks of ``text``."""
    pos = 0
    for match in _LINE_RE.finditer(text):
        line = match.group()
        if _is_separator(line.rstrip("\r\n")):
            yield pos, match.start()
            pos = match.end()
        if match.end() == len(text):
            break
    yield pos, len(text)


#: A line that may be a separator or a date line (what follows any strippable prefix).
_LINE_HEAD_RE = re.compile(
    r"(?:\A|(?<=[\r\n]))(?:[^\S\r\n]|[" + re.escape(_STRIP) + r"])*+[*\d\-–—_=][^\r\n]*"
)


def _has_structure(text: str) -> bool:
    """Whether ``text`` has a separator line or a date line (else it is one incident)."""
    for match in _LINE_HEAD_RE.finditer(text):
        value = match.group().strip(_STRIP)
        if len(value) <= 40 and _SEPARATOR_RE.match(value) or _is_date_line(value):
            return True
    return False


def parse_digest(text: str, source: str | None = None) -> list[Incident]:
    """Split a digest into incidents; a text with no digest structure is one incident.

    An empty or blank text gives no incidents. ``source`` names the file (it
    goes into ``Incident.source`` and the ids).
    """
    return list(_iter_digest(text, source))


def iter_digest(text: str, source: str | None = None) -> Iterator[Incident]:
    """:func:`parse_digest`, one incident at a time: the same incidents in the same order,
    each made only when asked for, so a large digest is never held as incidents all at once
    (tagging a large text this way keeps memory, and time per MB, flat)."""
    return _iter_digest(text, source)


def _iter_digest(text: str, source: str | None) -> Iterator[Incident]:
    if not text.strip(_STRIP + "\r\n"):
        return
    if not _has_structure(text):
        yield _whole(text, source)
        return
    state = _State()
    for start, end in _chunks(text):
        incidents, state = _parse_chunk(text[start:end], start, state, source)
        yield from incidents


def _whole(text: str, source: str | None) -> Incident:
    lines = _lines(text)
    kinds = [_kind(line) for line in lines]
    header = _header_from_top(lines, kinds, 0, len(lines))
    urls, outlet = _item_details(lines, kinds, 0, len(lines))
    return Incident(
        id=incident_id(source, 1, text),
        text=text,
        span=Span(0, len(text)),
        headline=header.headline,
        rubric=None,
        outlet=outlet,
        urls=urls,
        source=source,
        offset_base=0,
    )


# ---------------------------------------------------------------- reading files

_UTF8_BOM = codecs.BOM_UTF8


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


def _decode(data: bytes, encoding: str, file: str) -> str:
    """Decode a whole file; a UTF-8 BOM is dropped; errors name the byte offset."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(file, f"unknown encoding {encoding!r}") from None
    skip = 0
    if _is_utf8(encoding):
        encoding = "utf-8"
        if data.startswith(_UTF8_BOM):
            skip = len(_UTF8_BOM)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(file, encoding, skip + error.start, error.reason) from None


def _decode_error(file: str, encoding: str, offset: int, reason: str) -> InputError:
    hint = " (use --encoding to name the file's encoding)" if _is_utf8(encoding) else ""
    return InputError(file, f"not valid {encoding} at byte {offset}: {reason}{hint}")


def _open_binary(path: str | None) -> tuple[BinaryIO, str, bool]:
    """(stream, display name, whether to close it)."""
    if path is None or path == "-":
        if sys.stdin is None:
            raise InputError("<stdin>", "no standard input to read")
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stdin without a buffer (tests, embedding)
            return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogatepass")), "<stdin>", True
        return stream, "<stdin>", False
    try:
        return open(path, "rb"), path, True  # noqa: SIM115
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def _sniff(stream: BinaryIO) -> str:
    """What standard input holds: ``.jsonl`` when it starts with ``{``, ``.json`` with ``[``.

    Anything else is a digest. Looks ahead without consuming (stdin is buffered).
    """
    peek = getattr(stream, "peek", None)
    if peek is None:
        return ""
    try:
        head = peek(512)[:512]
    except OSError:
        return ""
    head = head.removeprefix(_UTF8_BOM).lstrip()
    if head.startswith(b"{"):
        return ".jsonl"
    if head.startswith(b"["):
        return ".json"
    return ""


def read_incidents(
    path: str | None,
    *,
    encoding: str = "utf-8",
    skip_bad: bool = False,
    on_skip: Callable[[InputError], None] | None = None,
    jsonl_lines: bool = False,
) -> Iterator[Incident | JsonlLine]:
    """Incidents of a digest, a ``.json`` or a ``.jsonl`` file (``None``/``"-"``: stdin).

    Standard input holding JSON Lines (it starts with ``{``) or a JSON list (``[``) is
    read as such; any other standard input is a digest.

    Raises :class:`InputError` naming the file (and line or byte offset). With
    ``skip_bad``, a malformed JSON/JSONL incident is passed to ``on_skip`` and
    skipped instead.

    With ``jsonl_lines``, a JSONL file yields its non-blank lines unparsed, as
    :class:`JsonlLine` (``skip_bad`` is then the caller's business).
    """
    name = "<stdin>" if path is None or path == "-" else str(path)
    suffix = Path(name).suffix.lower() if name != "<stdin>" else ""
    stream, name, close = _open_binary(None if name == "<stdin>" else name)
    if name == "<stdin>":
        suffix = _sniff(stream)
    try:
        if suffix == ".jsonl" and jsonl_lines:
            yield from _jsonl_lines(stream, name, encoding)
            return
        if suffix == ".jsonl":
            yield from _read_jsonl(stream, name, encoding, skip_bad, on_skip)
            return
        if suffix != ".json":
            yield from _stream_digest(_decoded_pieces(stream, name, encoding), name)
            return
        try:
            data = stream.read()
        except OSError as error:
            raise InputError(name, error.strerror or str(error)) from None
        text = _decode(data, encoding, name)
        del data
        yield from _read_json(text, name, skip_bad, on_skip)
    finally:
        if close:
            stream.close()


def _decoded_pieces(
    stream: BinaryIO, name: str, encoding: str, block: int = 1 << 20
) -> Iterator[str]:
    """Decoded text of a byte stream, block by block; a UTF-8 BOM is dropped.

    A decode error names the byte offset in the file (the BOM counted).
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    utf8 = info.name in ("utf-8", "utf-8-sig")
    codec = "utf-8" if utf8 else info.name
    decoder = codecs.getincrementaldecoder(codec)()
    fed = 0  # bytes given to the decoder so far (BOM included)
    first = True
    while True:
        try:
            data = stream.read(block)
        except OSError as error:
            raise InputError(name, error.strerror or str(error)) from None
        if first and utf8:
            while 0 < len(data) < len(_UTF8_BOM):
                more = stream.read(len(_UTF8_BOM) - len(data))
                if not more:
                    break
                data += more
        end_of_file = not data
        if first and utf8 and data.startswith(_UTF8_BOM):
            data, fed = data[len(_UTF8_BOM) :], len(_UTF8_BOM)
        first = False
        pending = len(decoder.getstate()[0])
        try:
            piece = decoder.decode(data, final=end_of_file)
        except UnicodeDecodeError as error:
            raise _decode_error(name, codec, fed - pending + error.start, error.reason) from None
        fed += len(data)
        if piece:
            yield piece
        if end_of_file:
            return


#: Longest line that is worth keeping whole while looking for a separator.
_SEPARATOR_WINDOW = 64
_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def _is_separator(line: str) -> bool:
    value = line.strip(_STRIP)
    return bool(value) and len(value) <= 40 and bool(_SEPARATOR_RE.match(value))


def _stream_digest(pieces: Iterable[str], source: str | None) -> Iterator[Incident]:
    """Same incidents as :func:`parse_digest` on the joined pieces, one chunk in memory.

    The text is cut at separator lines as it arrives; a text with no separator
    is parsed whole (it may be a single incident).
    """
    state = _State()
    parts: list[str] = []  # the current chunk, up to `partial`
    chunk_start = 0  # offset of the current chunk in the whole text
    partial = ""  # the current unfinished line, while it may still be a separator
    partial_base = 0  # offset of `partial`
    long_line = False  # the current line is already too long to be a separator
    seen_separator = False
    for piece in _with_end(pieces):
        final = piece is None
        data = partial + (piece or "")
        base = partial_base
        cut = 0  # where the current chunk starts in `data`
        line_start = 0
        for match in _LINE_END_RE.finditer(data):
            if match.group() == "\r" and match.end() == len(data) and not final:
                break  # may be the first half of \r\n
            if not long_line and _is_separator(data[line_start : match.start()]):
                seen_separator = True
                parts.append(data[cut:line_start])
                incidents, state = _parse_chunk("".join(parts), chunk_start, state, source)
                yield from incidents
                parts, cut, chunk_start = [], match.end(), base + match.end()
            long_line = False
            line_start = match.end()
        rest = data[line_start:]
        if final:
            if not long_line and _is_separator(rest):
                seen_separator = True
                parts.append(data[cut:line_start])
                incidents, state = _parse_chunk("".join(parts), chunk_start, state, source)
                yield from incidents
                parts, chunk_start = [], base + len(data)
            else:
                parts.append(data[cut:])
            break
        parts.append(data[cut:line_start])
        if len(rest) > _SEPARATOR_WINDOW:
            # too long for a separator: keep only a final \r, which may start a \r\n
            keep = 1 if rest.endswith("\r") else 0
            parts.append(rest[: len(rest) - keep])
            partial, partial_base, long_line = (
                rest[len(rest) - keep :],
                base + len(data) - keep,
                True,
            )
        else:
            partial, partial_base = rest, base + line_start
    text = "".join(parts)
    if not seen_separator:
        yield from _iter_digest(text, source)
    elif text:
        incidents, state = _parse_chunk(text, chunk_start, state, source)
        yield from incidents


def _with_end(pieces: Iterable[str]) -> Iterator[str | None]:
    yield from pieces
    yield None


# ---------------------------------------------------------------- JSON / JSONL

_SAFE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class _Ids:
    """Makes incident ids of a JSON file safe as file names and unique."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def take(self, given: str | None, source: str, number: int, text: str) -> str:
        return self.unique(self.candidate(given, source, number, text))

    @staticmethod
    def candidate(given: str | None, source: str, number: int, text: str) -> str:
        """The id an incident asks for (``given``, made safe as a file name, or one made from
        its source, number and text), before it is made unique."""
        if given is None:
            return incident_id(source, number, text)
        if _SAFE_ID_RE.match(given) and not given.endswith("."):
            return given
        short = hashlib.sha1(given.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        return f"{slugify(given, default='incident')}-{short}"

    def unique(self, candidate: str) -> str:
        """``candidate``, or ``candidate-2``, ``-3``… if an earlier incident took it."""
        unique, k = candidate, 1
        while unique in self.seen:
            k += 1
            unique = f"{candidate}-{k}"
        self.seen.add(unique)
        return unique


def _incident_from_object(
    obj: Any, source: str, number: int, ids: _Ids, line: int | None
) -> Incident:
    """An Incident from one JSON object; empty strings count as absent."""

    def bad(message: str) -> InputError:
        return InputError(source, f"incident {number}: {message}", line=line)

    if not isinstance(obj, dict):
        raise bad(f"expected an object, got {_json_type(obj)}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise bad("'text' is missing or not a string")

    def optional(key: str) -> str | None:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value.strip() or None if value else None
        raise bad(f"{key!r} must be a string, not {_json_type(value)}")

    given_id = obj.get("id")
    if isinstance(given_id, int) and not isinstance(given_id, bool):
        given_id = str(given_id)
    elif given_id is not None and not isinstance(given_id, str):
        raise bad(f"'id' must be a string or a number, not {_json_type(given_id)}")
    urls: list[str] = []
    if url := optional("url"):
        urls.append(url)
    raw_urls = obj.get("urls")
    if isinstance(raw_urls, str):
        raw_urls = [raw_urls]
    if raw_urls is not None:
        if not isinstance(raw_urls, list) or not all(isinstance(u, str) for u in raw_urls):
            raise bad("'urls' must be a list of strings")
        urls.extend(u.strip() for u in raw_urls)
    date = None
    if raw_date := optional("date"):
        date = _json_date(raw_date)
        if date is None:
            raise bad(f"bad date {raw_date!r} (use YYYY-MM-DD)")
    rubric = optional("rubric")
    return Incident(
        id=ids.take(given_id, source, number, text),
        text=text,
        span=Span(0, len(text)),
        rubric=clean_rubric(rubric) or None if rubric else None,
        headline=optional("headline"),
        author=optional("author"),
        outlet=optional("outlet"),
        date=date,
        urls=tuple(dict.fromkeys(u for u in urls if u)),
        source=source,
        offset_base=0,
    )


def _json_reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (column {error.colno})"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return str(error).split(";")[0]


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _json_date(value: str) -> dt.date | None:
    """ISO date or date-time (``2025-12-17``, ``2025-12-17T10:00:00Z``) or a digest date."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return parse_date(value)


def _handle(
    error: InputError, skip_bad: bool, on_skip: Callable[[InputError], None] | None
) -> None:
    if not skip_bad:
        raise error
    if on_skip is not None:
        on_skip(error)


def _read_jsonl(
    stream: BinaryIO,
    name: str,
    encoding: str,
    skip_bad: bool,
    on_skip: Callable[[InputError], None] | None,
) -> Iterator[Incident]:
    ids = _Ids()
    for line in _jsonl_lines(stream, name, encoding):  # a decode error is never skipped
        try:
            yield line.incident(ids)
        except InputError as error:
            _handle(error, skip_bad, on_skip)


class JsonlLine(NamedTuple):
    """A non-blank line of a JSONL file, not yet parsed: parallel workers parse it."""

    source: str
    number: int  # the incident's number in its file (1 for the first non-blank line)
    line: int  # line number in the file
    text: str

    def incident(self, ids: _Ids) -> Incident:
        """The line's incident, exactly as :func:`read_incidents` makes it (``ids``: the
        file's ids so far); raises :class:`InputError` for a malformed line."""
        try:
            obj = json.loads(self.text, strict=False)  # raw tabs and controls in strings are kept
        except (ValueError, RecursionError) as error:
            message = f"malformed JSON: {_json_reason(error)}"
            raise InputError(self.source, message, line=self.line) from None
        return _incident_from_object(obj, self.source, self.number, ids, self.line)


def _jsonl_lines(stream: BinaryIO, name: str, encoding: str) -> Iterator[JsonlLine]:
    number = 0
    for lineno, line in _decoded_lines(stream, name, encoding):
        if not line or line.isspace():
            continue
        number += 1
        yield JsonlLine(name, number, lineno, line)


def _decoded_lines(
    stream: BinaryIO, name: str, encoding: str, block: int = 1 << 20
) -> Iterator[tuple[int, str]]:
    """(line number, decoded line without its end) of a byte stream, read a block at a time.

    Lines end at \\n, \\r\\n or \\r. UTF-8 and other ASCII-compatible encodings are split
    on bytes (``bytes.splitlines``), so a decode error names its exact byte offset and line;
    others (UTF-16, UTF-32) go through a text wrapper, whose lines keep their ``\\n``. The
    parent of parallel workers reads the whole input this way, so reading must cost little.
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    if "\n".encode(info.name, "ignore") != b"\n" or info.name.startswith(("utf-16", "utf-32")):
        wrapper = io.TextIOWrapper(stream, encoding=info.name, newline=None)
        try:
            for lineno, line in enumerate(wrapper, 1):
                yield lineno, line
        except UnicodeDecodeError as error:
            raise InputError(name, f"not valid {info.name}: {error.reason}") from None
        finally:
            wrapper.detach()
        return
    utf8 = _is_utf8(encoding)
    codec = "utf-8" if utf8 else info.name
    lineno = offset = 0
    pending = b""
    while True:
        more = stream.read(block)
        lines = (pending + more).splitlines(keepends=True)
        pending = b""
        if more and lines and (lines[-1].endswith(b"\r") or not lines[-1].endswith(b"\n")):
            pending = lines.pop()  # unfinished, or a \r that may be half of \r\n
        for raw in lines:
            lineno += 1
            start = offset
            offset += len(raw)
            if raw.endswith(b"\r\n"):
                raw = raw[:-2]
            elif raw.endswith((b"\n", b"\r")):
                raw = raw[:-1]
            yield lineno, _decode_line(raw, start, lineno, name, codec, utf8)
        if not more:
            return


def _decode_line(raw: bytes, offset: int, lineno: int, name: str, codec: str,
                 utf8: bool) -> str:
    """One line's bytes (at byte ``offset`` of the input) decoded; a UTF-8 BOM at the very
    start is dropped; a decode error names the exact byte."""
    if lineno == 1 and utf8 and raw.startswith(_UTF8_BOM):
        raw, offset = raw[len(_UTF8_BOM) :], offset + len(_UTF8_BOM)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(
            name,
            f"not valid {codec} at byte {offset + error.start}: {error.reason}",
            line=lineno,
        ) from None


def _read_json(
    text: str, name: str, skip_bad: bool, on_skip: Callable[[InputError], None] | None
) -> Iterator[Incident]:
    ids = _Ids()
    lines = _LineCounter(text)
    for number, (pos, obj) in enumerate(_json_items(text, name, lines), 1):
        try:
            yield _incident_from_object(obj, name, number, ids, lines.line_of(pos))
        except InputError as error:
            _handle(error, skip_bad, on_skip)


class _LineCounter:
    """Line numbers of increasing positions, counted incrementally (linear overall)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_of(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _json_items(
    text: str, name: str, lines: _LineCounter
) -> Generator[tuple[int, Any], None, None]:
    """(position, object) of each incident of a ``.json`` file, parsed one at a time."""
    decoder = json.JSONDecoder(strict=False)  # raw control characters in strings are kept
    ws = re.compile(r"[ \t\r\n]*")

    def skip(pos: int) -> int:
        return ws.match(text, pos).end()  # type: ignore[union-attr]

    def fail(pos: int, message: str) -> InputError:
        return InputError(name, f"malformed JSON: {message}", line=lines.line_of(pos))

    def value_at(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            message = f"malformed JSON: {_json_reason(error)}"
            raise InputError(name, message, line=error.lineno) from None
        except (ValueError, RecursionError) as error:  # huge integers, deep nesting
            raise fail(pos, _json_reason(error)) from None

    def array(pos: int) -> Generator[tuple[int, Any], None, int]:
        pos = skip(pos + 1)
        if text.startswith("]", pos):
            return pos + 1
        while True:
            obj, end = value_at(pos)
            yield pos, obj
            pos = skip(end)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
            elif text.startswith("]", pos):
                return pos + 1
            else:
                raise fail(pos, "expected ',' or ']' after an incident")

    pos = skip(0)
    if text.startswith("[", pos):
        end = yield from array(pos)
    elif text.startswith("{", pos):
        found = False
        pos = skip(pos + 1)
        while not text.startswith("}", pos):
            key, pos = value_at(pos)
            if not isinstance(key, str):
                raise fail(pos, "expected a key")
            pos = skip(pos)
            if not text.startswith(":", pos):
                raise fail(pos, "expected ':'")
            pos = skip(pos + 1)
            if key == "incidents" and text.startswith("[", pos) and not found:
                found = True
                pos = yield from array(pos)
            else:
                _, pos = value_at(pos)
            pos = skip(pos)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
            elif not text.startswith("}", pos):
                raise fail(pos, "expected ',' or '}'")
        if not found:
            raise InputError(name, 'expected a list of incidents or {"incidents": [...]}')
        end = pos + 1
    elif pos == len(text):
        return  # an empty file holds no incidents
    else:
        raise fail(pos, 'expected a list of incidents or {"incidents": [...]}')
    if skip(end) != len(text):
        raise fail(skip(end), "extra data after the incidents")
