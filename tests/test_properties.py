"""Invariants of every public function over arbitrary text and over text built from citations.

For any input: no exception; every citation and every piece of evidence is an exact slice of
the text it was found in (``text[start:end] == text`` of the span); HTML with its tags removed
and unescaped, and the text format with its marks removed, give back the input; JSON parses.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref.annotate import FORMATS, annotate, render, strip_text_marks
from normref.catalogue import Catalogue, load_catalogue
from normref.digest import parse_digest
from normref.extract import extract
from normref.model import (
    Citation,
    Incident,
    RawCitation,
    Span,
    TaggedIncident,
    tag_document,
    to_json,
)
from normref.morph import normalize, tokens
from normref.resolve import Resolver, find_citations
from normref.tag import Tagger

#: pieces a citation is made of, in the three languages, and the noise around them
FRAGMENTS = [
    "ч. 2 ст. 274 УК РК", "статьи 19 и 21 МПГПП", "«О масс-медиа»", "Закона РК «О масс-медиа»",
    "Article 19(3) of the ICCPR", "articles 9 and 14 of the Covenant", "rule 24",
    "Қылмыстық кодексінің 274-бабы", "Конституцияның 20-бабы", "данной Конвенции",
    "этой статьи", "той же статьи", "статьи 33", "Конвенции ООН 1951 года о статусе беженцев",
    "пп. «а» п. 3 ст. 14 МПГПП", "ст. 19–22", "ст.", "ст. ст.", "ч.", "п.", "статьи", "Конвенции",
    "Конвенции против пыток", "Кодекса", "УК", "РК", "МПГПП", "ICCPR", "of the", "и", ",", ";",
    "№ 93-VIII", "от 19 июня 2024 года", "1951 года", "1", "2", "3", "19", "274", "456-2",
    "12/3", "№ 12/3-4", "14.1", "14.1-2", "19.06.2024", "/",
    "(3)", "(d)", "«", "»", "\"", "'", "„", "“", "”", "(", ")", "—", "–", "-", ".",
    "⟦", "⟧", "⟧[1]", "<", ">", "&", "&amp;", "\x1b[32m", "\x1b[0m", "\n\n── citations ──\n",
]
#: what lies between the pieces: spaces of every kind, line ends, control characters
SEPARATORS = [" ", " ", " ", "", "\u00a0", "\u202f", "\u2009", "\u200b", "\u200c", "\u200d",
              "\u2060", "\ufeff", "\u00ad", "\n", "\r\n", "\r", "\t", "\x00", "\x07", "\x0c",
              "\x85", "\u2028", ", "]
#: Cyrillic letters and their Latin look-alikes
LOOKALIKES = str.maketrans("аеорсхуАВЕКМНОРСТХ", "aeopcxyABEKMHOPCTX")


@st.composite
def citation_text(draw: st.DrawFn) -> str:
    """Text made of citation fragments glued by odd separators, some letters made Latin."""
    pieces = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14))
    out = []
    for piece in pieces:
        if draw(st.integers(0, 5)) == 0:
            piece = piece.translate(LOOKALIKES)
        out.append(piece)
        out.append(draw(st.sampled_from(SEPARATORS)))
    if draw(st.booleans()):
        out.insert(0, draw(st.text(max_size=20)))
    return "".join(out)


ANY_TEXT = st.text(max_size=300)
#: any code point, lone surrogates included (they arrive through JSON input)
ANY_CODE_POINTS = st.text(st.characters(blacklist_categories=()), max_size=200)
TEXTS = st.one_of(citation_text(), ANY_TEXT)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_TAG = re.compile(r"<[^>]*>")


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


@cache
def tagger() -> Tagger:
    return Tagger(catalogue(), Resolver(catalogue()))


def assert_exact_spans(text: str, citations: list[RawCitation] | list[Citation]) -> None:
    """Sorted, inside the text, not overlapping, and each is its own slice of the text."""
    previous_end = 0
    for c in citations:
        span = c.span
        assert 0 <= span.start < span.end <= len(text), (span, len(text))
        assert text[span.start:span.end] == c.text
        assert span.start >= previous_end, "citations overlap"
        previous_end = span.end


def assert_renders_give_back(text: str, citations: list[Citation]) -> None:
    cat = catalogue()
    page = render(text, citations, "html", catalogue=cat, fragment=True)
    assert html.unescape(_TAG.sub("", page)) == text
    whole = render(text, citations, "html", catalogue=cat)
    body = whole.split('<div class="normref-text">', 1)[1].rsplit("</div>", 1)[0]
    assert html.unescape(_TAG.sub("", body)) == text
    for color in (False, True):
        assert strip_text_marks(render(text, citations, "text", catalogue=cat, color=color)) == text
    doc = json.loads(render(text, citations, "json", catalogue=cat))
    for c in doc["citations"]:
        assert text[c["start"]:c["end"]] == c["text"]


def assert_tagged_exact(text: str, tagged: TaggedIncident) -> None:
    """Evidence spans are relative to the incident text; offset_base points into ``text``."""
    inc = tagged.incident
    for c in tagged.citations:
        assert inc.text[c.start:c.end] == c.text
    for obligation in tagged.obligations:
        assert 0.0 <= obligation.confidence <= 1.0
        for ev in obligation.evidence:
            if ev.span is None:
                continue
            assert inc.text[ev.span.start:ev.span.end] == ev.text, (ev, obligation.provision)
            whole = ev.span.shift(inc.offset_base)
            assert text[whole.start:whole.end] == ev.text
    doc = json.loads(json.dumps(to_json(tagged), ensure_ascii=False))
    for c in doc["citations"]:
        assert text[c["start"]:c["end"]] == c["text"]
    for obligation in doc["obligations"]:
        for ev in obligation["evidence"]:
            if ev["start"] is not None:
                assert text[ev["start"]:ev["end"]] == ev["text"]


# ---------------------------------------------------------------- extract / resolve / render


@SETTINGS
@given(TEXTS)
def test_extract_spans_are_exact(text: str) -> None:
    raws = extract(text)
    assert_exact_spans(text, raws)
    for raw in raws:
        if raw.instrument_span is not None:
            s = raw.instrument_span
            assert raw.span.start <= s.start <= s.end <= raw.span.end
            assert text[s.start:s.end] == raw.instrument_text


@SETTINGS
@given(TEXTS)
def test_find_citations_spans_statuses_and_renders(text: str) -> None:
    citations = find_citations(text, catalogue())
    assert_exact_spans(text, citations)
    for c in citations:
        assert c.status in ("resolved", "ambiguous", "unresolved")
        assert 0.0 <= c.confidence <= 1.0
        if c.status == "resolved":
            assert c.instrument in catalogue().instruments
        if c.antecedent is not None:
            assert 0 <= c.antecedent < len(citations)
    assert_renders_give_back(text, citations)


@settings(max_examples=60, deadline=None)
@given(ANY_CODE_POINTS)
def test_lone_surrogates_and_every_code_point(text: str) -> None:
    citations = find_citations(text, catalogue())
    assert_exact_spans(text, citations)
    assert_renders_give_back(text, citations)
    for fmt in FORMATS:
        annotate(text, fmt, catalogue=catalogue())
    normalize(text)
    for tok in tokens(text):
        assert text[tok.start:tok.end] == tok.text


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_resolver_scopes_are_independent(text: str) -> None:
    """Resolving twice, or each half on its own, never raises and never moves a span."""
    resolver = Resolver(catalogue())
    raws = extract(text)
    assert resolver.resolve(raws) == resolver.resolve(raws)
    half = len(raws) // 2
    for part in (raws[:half], raws[half:]):
        for c in resolver.resolve(part):
            assert text[c.start:c.end] == c.text


@SETTINGS
@given(TEXTS)
def test_morph_normalize_and_tokens(text: str) -> None:
    assert isinstance(normalize(text), str)
    for tok in tokens(text):
        assert 0 <= tok.start < tok.end <= len(text)
        assert text[tok.start:tok.end] == tok.text


@SETTINGS
@given(st.lists(citation_text(), min_size=1, max_size=5))
def test_line_ends_do_not_change_the_citations(lines: list[str]) -> None:
    """LF, CR (old Mac) and CRLF files give the same citations, at the same places."""
    lines = [re.sub(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", " ", line) for line in lines]

    def found(newline: str) -> list[tuple[str, str, tuple[str, ...]]]:
        text = newline.join(lines)
        return [(c.text.replace(newline, "\n"), c.status, c.provisions)
                for c in find_citations(text, catalogue())]

    assert found("\n") == found("\r") == found("\r\n")


# ---------------------------------------------------------------- digest / tag / JSON


DIGEST_LINES = ["* * *", "«Право на свободу мирных собраний»", "«Право на свобо",
                "ПОЛНЫЙ АБЗАЦ!", "ЗАГОЛОВОК НОВОСТИ", "Вестник", "17 декабря 2025 г.",
                "ИСТОЧНИК:", "https://example.org/a", "   ", ""]


@st.composite
def digest_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(DIGEST_LINES), citation_text()),
                          max_size=20))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


@SETTINGS
@given(st.one_of(digest_text(), ANY_TEXT))
def test_digest_then_tag_offsets_point_into_the_file(text: str) -> None:
    incidents = parse_digest(text, source="digest.txt")
    tagged = []
    for inc in incidents:
        assert text[inc.span.start:inc.span.end] == inc.text
        assert inc.offset_base == inc.span.start
        t = tagger().tag(inc)
        assert_tagged_exact(text, t)
        tagged.append(t)
    json.loads(json.dumps(tag_document(tagged, catalogue().version), ensure_ascii=False))


@SETTINGS
@given(TEXTS)
def test_tag_a_json_incident(text: str) -> None:
    """A JSON/JSONL incident: offsets into its own text (offset_base 0)."""
    t = tagger().tag(Incident(id="x", text=text, span=Span(0, len(text)), rubric=text[:40]))
    assert_tagged_exact(text, t)


@settings(max_examples=60, deadline=None)
@given(ANY_CODE_POINTS)
def test_to_json_of_every_model_object_is_json(text: str) -> None:
    citations = find_citations(text, catalogue())
    t = tagger().tag(Incident(id=text[:10] or "x", text=text, span=Span(0, len(text))))
    for obj in (citations, t, list(catalogue().instruments.values())[:3]):
        # lone surrogates are valid in Python strings; json.dumps escapes them
        assert json.loads(json.dumps(to_json(obj))) is not None
