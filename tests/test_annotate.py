"""annotate rendering: JSON as contract §2, HTML and text that give the input back exactly."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normref import __version__
from normref.annotate import render, strip_text_marks
from normref.model import Citation, Pinpoint, RawCitation, Span
from normref.resolve import Resolver
from resolve_fixtures import mini_catalogue


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    return mini_catalogue(tmp_path_factory.mktemp("mini-annotate"))


TEXT = 'См. статью 19 МПГПП & «Закон о СМИ» <b>, а также статьи 19 и 21 МПГПП и УК РФ.'


def _cite(text: str, phrase: str, instrument: str | None, *pins: Pinpoint, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return RawCitation(
        span=Span(start, start + len(phrase)), text=phrase, pinpoints=pins,
        instrument_text=instrument,
    )


@pytest.fixture(scope="module")
def citations(catalogue):
    raws = [
        _cite(TEXT, "статью 19 МПГПП", "МПГПП", Pinpoint(article="19")),
        _cite(TEXT, "«Закон о СМИ»", "Закон о СМИ"),
        _cite(TEXT, "статьи 19 и 21 МПГПП", "МПГПП", Pinpoint(article="19"),
              Pinpoint(article="21")),
        _cite(TEXT, "УК РФ", "УК РФ"),
    ]
    return Resolver(catalogue).resolve(raws)


def strip_html(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_json_is_contract_shape(citations, catalogue):
    doc = json.loads(render(TEXT, citations, "json", catalogue=catalogue))
    assert doc["normref"] == __version__ and doc["catalogue"] == "test-1"
    first, _, lists, foreign = doc["citations"]
    assert first == {
        "start": TEXT.index("статью"), "end": TEXT.index("статью") + len("статью 19 МПГПП"),
        "text": "статью 19 МПГПП", "status": "resolved", "instrument": "un.iccpr",
        "provisions": ["un.iccpr#art_19"], "confidence": first["confidence"],
    }
    assert 0 <= first["confidence"] <= 1
    assert lists["provisions"] == ["un.iccpr#art_19", "un.iccpr#art_21"]
    assert foreign["status"] == "unresolved" and foreign["instrument"] is None
    assert "not in catalogue" in foreign["reason"]
    for c in doc["citations"]:
        assert TEXT[c["start"] : c["end"]] == c["text"]


def test_html_fragment_links_to_the_official_source(citations, catalogue):
    out = render(TEXT, citations, "html", catalogue=catalogue, fragment=True)
    assert not out.startswith("<!DOCTYPE")
    assert 'href="https://example.org/iccpr-19"' in out  # the provision's own link
    assert 'data-provisions="un.iccpr#art_19 un.iccpr#art_21"' in out
    assert 'href="https://www.ohchr.org/en/instruments-mechanisms/instruments/' in out
    assert 'data-status="unresolved"' in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert strip_html(out) == TEXT


def test_html_page_is_a_whole_document(citations, catalogue):
    out = render(TEXT, citations, "html", catalogue=catalogue)
    assert out.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in out
    body = out.split("<body>\n", 1)[1].rsplit("\n</body>", 1)[0]
    assert strip_html(body) == TEXT


def test_text_marks_and_legend(citations, catalogue):
    out = render(TEXT, citations, "text", catalogue=catalogue)
    assert "⟦статью 19 МПГПП⟧[1]" in out and "⟦УК РФ⟧[4]" in out
    assert "[1] resolved: un.iccpr art_19" in out
    assert "[4] unresolved: not in catalogue" in out
    assert "\x1b[" not in out
    assert strip_text_marks(out) == TEXT
    colored = render(TEXT, citations, "text", catalogue=catalogue, color=True)
    assert "\x1b[32m" in colored and "\x1b[31m" in colored
    assert strip_text_marks(colored) == TEXT


def test_unknown_format(citations, catalogue):
    with pytest.raises(ValueError, match="unknown format"):
        render(TEXT, citations, "xml", catalogue=catalogue)


def test_no_citations(catalogue):
    assert json.loads(render("ничего", [], "json", catalogue=catalogue))["citations"] == []
    assert strip_text_marks(render("ничего", [], "text", catalogue=catalogue)) == "ничего"


# ---------------------------------------------------------------- invariants

ALPHABET = st.sampled_from(list("абв ЁёxyZ<>&\"'\n\t\r;#АБ12«»—\u00a0\u200b") + ["&amp;", "&lt;"])
TEXTS = st.lists(ALPHABET, max_size=80).map("".join)


@st.composite
def text_and_citations(draw):
    text = draw(TEXTS)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    status = st.sampled_from(["resolved", "ambiguous", "unresolved"])
    cites = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a == b:
            continue
        s = draw(status)
        raw = RawCitation(span=Span(a, b), text=text[a:b], instrument_text=text[a:b])
        cites.append(
            Citation(
                raw, s,
                instrument="un.iccpr" if s == "resolved" else None,
                provisions=("un.iccpr#art_19",) if s == "resolved" else (),
                candidates=("un.iccpr", "un.cat") if s == "ambiguous" else (),
                confidence=draw(st.floats(0, 1)),
                reason=None if s == "resolved" else draw(TEXTS),
            )
        )
    return text, cites


@settings(max_examples=150, deadline=None)
@given(text_and_citations())
def test_render_gives_the_input_back(catalogue, data):
    text, cites = data
    fragment = render(text, cites, "html", catalogue=catalogue, fragment=True)
    assert strip_html(fragment) == text
    for color in (False, True):
        assert strip_text_marks(render(text, cites, "text", catalogue=catalogue,
                                       color=color)) == text
    doc = json.loads(render(text, cites, "json", catalogue=catalogue))
    for c in doc["citations"]:
        assert text[c["start"] : c["end"]] == c["text"]


PIECES = st.sampled_from(
    ["статья 19 МПГПП", "ст. 33 Конвенции о статусе беженцев", "УК РФ", "Конституции",
     "данной Конвенции", "статьи 19 и 21 Пакта", "<i>", "&", " ", "\n", "и", "Закон «О СМИ»"]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(PIECES, max_size=12).map(" ".join))
def test_render_of_found_citations_gives_the_input_back(catalogue, text):
    pytest.importorskip("normref.extract")
    from normref.resolve import find_citations

    cites = find_citations(text, catalogue)
    assert strip_html(render(text, cites, "html", catalogue=catalogue, fragment=True)) == text
    assert strip_text_marks(render(text, cites, "text", catalogue=catalogue)) == text
    json.loads(render(text, cites, "json", catalogue=catalogue))


def test_a_resolved_citations_reason_is_shown(catalogue):
    text = "пункт 47 Руководящих принципов УВКБ № 12"
    [cite] = Resolver(catalogue).resolve(
        [_cite(text, text, "Руководящих принципов УВКБ № 12", Pinpoint(item="47"))]
    )
    assert cite.status == "resolved" and cite.provisions == ()
    legend = render(text, [cite], "text", catalogue=catalogue)
    assert "[1] resolved: unhcr.gip-12; item 47 not in the catalogue" in legend
    markup = render(text, [cite], "html", catalogue=catalogue, fragment=True)
    assert "item 47 not in the catalogue" in html.unescape(markup)
    assert strip_html(markup) == text
