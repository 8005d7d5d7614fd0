"""Noisy and hostile input text: citations still found, offsets exact, work linear.

Text pasted from web pages, PDFs and messengers carries non-breaking and zero-width spaces,
Latin letters that look Cyrillic, every kind of line end, control characters, byte order marks
and, now and then, a whole file on one line. Adversarial text (endless lists, repeated words,
runs of numbers and quotes) must cost work in proportion to its length: the extractor counts
its steps in ``normref.extract.STATS``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from normref.catalogue import Catalogue, load_catalogue
from normref.digest import parse_digest
from normref.extract import STATS, extract
from normref.model import Incident, Span
from normref.resolve import find_citations
from normref.tag import Tagger

NBSP, NNBSP, THIN, ZWSP, SHY, BOM = "\u00a0", "\u202f", "\u2009", "\u200b", "\u00ad", "\ufeff"
CODE_274 = "kz.criminal-code#art_274"


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def only_citation(text: str, provision: str) -> None:
    """``text`` holds one citation of ``provision``; its span is exact."""
    cites = find_citations(text, catalogue())
    for c in cites:
        assert text[c.start:c.end] == c.text
    assert any(p.startswith(provision) for c in cites for p in c.provisions), (
        [(c.text, c.status, c.provisions) for c in cites]
    )


# ---------------------------------------------------------------- noise a reader does not see

NOISE = [
    # (what the reader sees, the text as it arrives, a provision it must resolve to)
    ("NBSP after «ст.»", f"Осужден по ст.{NBSP}274 УК РК.", CODE_274),
    ("NBSP everywhere", f"по ч.{NBSP}2{NBSP}ст.{NBSP}274{NBSP}УК{NBSP}РК", CODE_274),
    ("narrow NBSP", f"по ст.{NNBSP}274 УК РК", CODE_274),
    ("thin space", f"по ст.{THIN}274 УК РК", CODE_274),
    ("several spaces", f"по ст.{NBSP}{NBSP} 274 УК\u3000РК", CODE_274),
    ("no space at all", "по ст.274 УК РК", CODE_274),
    ("zero-width space", f"нарушение статьи{ZWSP}19 МПГПП", "un.iccpr#art_19"),
    ("BOM inside", f"по ст.{BOM}274 УК РК", CODE_274),
    ("BOM in front", f"{BOM}ст. 274 УК РК", CODE_274),
    ("Latin o in Конвенции", "статья 3 Koнвенции против пыток", "un.cat#art_3"),
    ("Latin a in статьи", "нарушение стaтьи 19 МПГПП", "un.iccpr#art_19"),
    ("CRLF inside", "по статье\r\n274 УК РК", CODE_274),
    ("CR inside", "по статье\r274 УК РК", CODE_274),
    ("CRLF between list items", "статьи 19 и\r\n21 МПГПП", "un.iccpr#art_21"),
    ("CR after", "статьи 19 и 21 МПГПП\rдалее", "un.iccpr#art_21"),
    ("line separator after", "по ст. 274 УК РК\u2028далее", CODE_274),
    ("NUL inside", "по ст.\x00274 УК РК", CODE_274),
    ("NUL between words", "по ст. 274 УК\x00РК", CODE_274),
    ("bell and escape", "по ч.\x072\x1bст. 274 УК РК", CODE_274),
    ("NBSP in Kazakh", f"Қылмыстық кодексінің{NBSP}274-бабы", CODE_274),
    ("NBSP in English", f"Article{NBSP}19(3) of the ICCPR", "un.iccpr#art_19"),
]


@pytest.mark.parametrize(("text", "provision"), [r[1:] for r in NOISE], ids=[r[0] for r in NOISE])
def test_citation_found_through_noise(text: str, provision: str) -> None:
    only_citation(text, provision)


def test_noise_in_a_whole_file_through_the_cli(tmp_path: Path) -> None:
    """BOM + CRLF + NBSP + zero-width + look-alike + NUL in one file: offsets into the input."""
    body = "\r\n".join(r[1] for r in NOISE)
    path = tmp_path / "noisy.txt"
    path.write_bytes((BOM + body).encode("utf-8"))
    result = subprocess.run(
        [sys.executable, "-m", "normref", "annotate", str(path), "--format", "json"],
        capture_output=True, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    doc = json.loads(result.stdout)
    decoded = body  # the BOM is not part of the decoded text
    assert len(doc["citations"]) >= len(NOISE)
    for c in doc["citations"]:
        assert decoded[c["start"]:c["end"]] == c["text"]


def test_empty_and_blank_texts() -> None:
    for text in ("", " ", "\n", "\r\n", BOM, ZWSP * 3, "\x00", NBSP):
        assert find_citations(text, catalogue()) == []
        assert parse_digest(text) == []
        tagged = Tagger(catalogue()).tag(Incident(id="x", text=text, span=Span(0, len(text))))
        assert tagged.citations == ()


# ---------------------------------------------------------------- linear work


def extract_work(text: str) -> int:
    STATS.reset()
    extract(text)
    return STATS.work + STATS.chars


def assert_linear(make: Callable[[int], str], small: int, factor: int = 10) -> None:
    """Work on ``make(small * factor)``: at most ``factor`` times (+25%) that on ``make(small)``."""
    little = extract_work(make(small))
    big = extract_work(make(small * factor))
    assert big <= 1.25 * factor * max(little, 1), (little, big)


ADVERSARIAL = {
    "list": "статьи 1, 2, 3,",
    "abbreviations": "ст. ст. ст. ",
    "repeated instrument": "Конвенции Конвенции ",
    "numbers": "1 2 3 4 5 6 7 8 9 10 ",
    "quotes": "«««»»» \"\" '' „“ ",
    "parts and articles": "ч. 2 ст. 274 ",
    "unclosed titles": "Закона «О ",
    "ranges": "ст. 19–22, ",
    "Kazakh": "274-бабы 2-бөлігі ",
    "English": "Article 19(3)(a) of ",
}


@pytest.mark.parametrize("unit", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_repetitions_cost_linear_work(unit: str) -> None:
    assert_linear(lambda n: unit * n, 1_000)


#: the issue's own examples: run at 100,000 repetitions in every test run (about 20 s)
ISSUE_EXAMPLES = ["list", "abbreviations", "repeated instrument", "numbers", "quotes"]
SLOW = os.environ.get("NORMREF_SLOW_TESTS") == "1"


@pytest.mark.parametrize(
    "unit",
    [pytest.param(unit, id=name, marks=() if name in ISSUE_EXAMPLES or SLOW else
                  pytest.mark.skip(reason="set NORMREF_SLOW_TESTS=1"))
     for name, unit in ADVERSARIAL.items()],
)
def test_hundred_thousand_repetitions(unit: str) -> None:
    """100,000 repetitions cost at most 100 times (+25%) the work of 1,000."""
    assert_linear(lambda n: unit * n, 1_000, factor=100)


RUNS = {
    "numbers": "1 ",
    "numbers with commas": "12, ",
    "guillemets": "«",
    "closing guillemets": "»",
    "straight quotes": "\"",
    "mixed quotes": "„“",
    "numbers and quotes": "«1» ",
}


@pytest.mark.parametrize("unit", RUNS.values(), ids=RUNS.keys())
def test_hundred_thousand_numbers_or_quotes_never_reach_the_parser(unit: str) -> None:
    text = unit * 100_000
    STATS.reset()
    started = time.perf_counter()
    assert extract(text) == []
    assert STATS.fed == 0 and STATS.attempts == 0
    assert find_citations(text, catalogue()) == []
    assert time.perf_counter() - started < 20


# ---------------------------------------------------------------- a 10 MB single line

FILLER = "Суд рассмотрел дело и вынес решение без участия защитника, "


def one_line(size: int) -> str:
    """One line of ``size`` characters with a citation about every 5,000 characters."""
    chunk = FILLER * (5_000 // len(FILLER)) + "по ч. 2 ст. 274 УК РК, "
    return (chunk * (size // len(chunk) + 1))[:size]


def python_calls(func: Callable[[], object]) -> int:
    """How many Python-level function calls ``func`` makes (a machine-independent measure)."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        func()
    finally:
        sys.setprofile(None)
    return calls


def test_ten_megabyte_line_extract() -> None:
    text = one_line(10_000_000)
    STATS.reset()
    started = time.perf_counter()
    raws = extract(text)
    elapsed = time.perf_counter() - started
    assert len(raws) >= 1_900
    for r in raws[:50] + raws[-50:]:
        assert text[r.span.start:r.span.end] == r.text
    work_10mb = STATS.work + STATS.chars
    assert work_10mb <= 12 * extract_work(one_line(1_000_000))
    assert elapsed < 120


def test_ten_megabyte_line_digest_is_linear() -> None:
    small, big = one_line(1_000_000), one_line(10_000_000)
    calls_small = python_calls(lambda: parse_digest(small))
    calls_big = python_calls(lambda: parse_digest(big))
    assert calls_big <= 12 * max(calls_small, 50), (calls_small, calls_big)
    [incident] = parse_digest(big)
    assert incident.text == big and incident.span == Span(0, len(big))


def test_ten_megabyte_line_through_the_cli(tmp_path: Path) -> None:
    text = one_line(10_000_000)
    path = tmp_path / "line.txt"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "normref", "annotate", str(path), "--format", "json"],
        capture_output=True, check=False, timeout=600,
    )
    assert result.returncode == 0, result.stderr.decode()[-500:]
    cites = json.loads(result.stdout)["citations"]
    assert len(cites) >= 1_900
    for c in cites:
        assert text[c["start"]:c["end"]] == c["text"]
    assert time.perf_counter() - started < 300


DIGEST_UNITS = {
    "separators": "* * *\n",
    "blank lines": "\n",
    "date lines": "17 декабря 2025 г.\n",
    "cut rubrics": "«Право на свобо\n",
    "capitals": "ЗАГОЛОВОК НОВОСТИ\n",
    "whole items": "«Право»\nЗАГОЛОВОК\nВестник\n17 декабря 2025 г.\nтекст по ст. 5\nИСТОЧНИК:\n"
                   "https://example.org/a\n* * *\n",
    "blank prefixes": " \u00a0\u200b\t\x0b" * 20 + "\n",
}


@pytest.mark.parametrize("unit", DIGEST_UNITS.values(), ids=DIGEST_UNITS.keys())
def test_digest_work_is_linear(unit: str) -> None:
    small = python_calls(lambda: parse_digest(unit * 500 + "* * *"))
    big = python_calls(lambda: parse_digest(unit * 5_000 + "* * *"))
    assert big <= 12.5 * max(small, 50), (small, big)


# found while writing this file: a trigger phrase repeated through a long text paired every
# anchor with every «near» partner (n² work: a 1 MB line took ten minutes to tag)
@pytest.mark.parametrize("make", [one_line, lambda n: (FILLER * (n // len(FILLER) + 1))[:n]],
                         ids=["with citations", "trigger phrases only"])
def test_tagging_a_long_line_is_linear(make: Callable[[int], str]) -> None:
    tagger = Tagger(catalogue())

    def tag(size: int) -> Callable[[], object]:
        text = make(size)
        return lambda: tagger.tag(Incident(id="x", text=text, span=Span(0, len(text))))

    tag(1_000)()  # warm the caches
    small, big = python_calls(tag(40_000)), python_calls(tag(400_000))
    assert big <= 12.5 * small, (small, big)
