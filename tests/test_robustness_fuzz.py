"""Regression tests for what the atheris fuzzers (bench/fuzz_*.py) found.

Each test names the fuzzer and the run; docs/robustness.md tells the story.
"""

from __future__ import annotations

import html
import re
import time
from functools import cache

import pytest

from normref.annotate import render, strip_text_marks
from normref.catalogue import Catalogue, load_catalogue
from normref.digest import parse_digest
from normref.resolve import find_citations

_TAG = re.compile(r"<[^>]*>")


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def round_trips(text: str) -> None:
    cites = find_citations(text, catalogue())
    for c in cites:
        assert text[c.start:c.end] == c.text
    for color in (False, True):
        out = render(text, cites, "text", catalogue=catalogue(), color=color)
        assert strip_text_marks(out) == text
    page = render(text, cites, "html", catalogue=catalogue(), fragment=True)
    assert html.unescape(_TAG.sub("", page)) == text


# fuzz_extract, run 1 (crash after ~190 inputs): the input held the text format's own mark
# «⟦» before a citation; removing the marks took the wrong «⟦» and lost a character.
@pytest.mark.parametrize(
    "text",
    [
        "⟦Ḁ奠縮紮\u202e\ue231犯статьи 19 и 21 МПГППч. 2 ст. 274 УК РК",
        "⟦ ст. 274 УК РК",
        "ст. 274 УК РК ⟧[1]",
        "⟦ст. 274 УК РК⟧[1]",
        "⟦⟦ст. 274 УК РК⟧⟧",
        "см. ⟧⟧[2] и ст. 19 МПГПП⟦",
        # the terminal's own colour codes in the text survive the colour mode
        "\x1b[32mст. 274 УК РК\x1b[0m",
        "\x1b[0m⟧ст. 19 МПГПП⟧[1]\x1b[31m⟦",
        # the legend rule inside the text itself
        "ст. 274 УК РК\n\n── citations ──\n[1] x",
    ],
)
def test_text_format_marks_inside_the_input(text: str) -> None:
    round_trips(text)


def test_literal_marks_are_doubled_in_the_text_format() -> None:
    text = "⟦ см. ст. 274 УК РК ⟧"
    out = render(text, find_citations(text, catalogue()), "text", catalogue=catalogue())
    assert out.startswith("⟦⟦ см. ⟦ст. 274 УК РК⟧[1] ⟧⟧")


# fuzz_digest, run 1 (a 16 s "slow unit"): a line of spaces before a date line made the
# structure check backtrack exponentially (2**n for n spaces).
BLANKS = [" ", "\u00a0", "\u200b", "\t", "\x0b", "\x0c", "\x00", " \u2009"]


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_prefix_before_a_date_line_is_fast(blank: str) -> None:
    for n in (24, 10_000):
        text = blank * n + "\n31 февраля 2025 г.\n"
        started = time.perf_counter()
        incidents = parse_digest(text)
        assert time.perf_counter() - started < 2.0
        for inc in incidents:
            assert text[inc.span.start:inc.span.end] == inc.text


# found while writing the noise table: a NUL or another control character inside a citation
# split it («ст.\x00274 УК РК» gave only «УК РК»); they now count as spaces.
@pytest.mark.parametrize("control", ["\x00", "\x01", "\x07", "\x1b", "\x7f"])
def test_control_character_inside_a_citation(control: str) -> None:
    text = f"по ч.{control}2 ст.{control}274 УК{control}РК"
    [cite] = find_citations(text, catalogue())
    assert cite.text == text[3:]
    assert cite.provisions and cite.provisions[0].startswith("kz.criminal-code#art_274")


# fuzz_digest, run 1 (a 62 s "slow unit"): rubric lines followed by lines of vertical tabs,
# the same backtracking as above.
def test_lines_of_vertical_tabs_after_rubrics_are_fast() -> None:
    text = "\n".join(["https://example.org/a"] * 3 + ["ПОЛНЫЙ АБЗАЦ!"] * 28
                     + ["\x0b" * 24] * 3 + ["\x03\x13\x00"])
    started = time.perf_counter()
    incidents = parse_digest(text, source="fuzz.txt")
    assert time.perf_counter() - started < 2.0
    for inc in incidents:
        assert text[inc.span.start:inc.span.end] == inc.text
