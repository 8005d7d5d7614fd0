"""Fuzz the citation extractor, resolver, tagger and renderers with atheris.

    mkdir -p /tmp/fuzz/extract-corpus
    python bench/fuzz_extract.py /tmp/fuzz/extract-corpus bench/fuzz_seeds/extract \
        -max_total_time=600 -artifact_prefix=/tmp/fuzz/extract-

Checks, for any input: no exception; every citation span inside the text with
``text[start:end] == c.text``; citations sorted and not overlapping; every piece of evidence of
the tagger likewise; the HTML and text renderings give the input back; the JSON parses.
The first byte picks the mode: 0 = the rest is UTF-8 text (so the seed files in
bench/fuzz_seeds/extract are readable citations), otherwise text is built from fragments.
See docs/robustness.md.
"""

from __future__ import annotations

import html
import json
import re
import sys

import atheris

with atheris.instrument_imports():
    from normref.annotate import render, strip_text_marks
    from normref.catalogue import load_catalogue
    from normref.extract import extract
    from normref.model import Incident, Span, to_json
    from normref.resolve import Resolver
    from normref.tag import Tagger

CATALOGUE = load_catalogue()
RESOLVER = Resolver(CATALOGUE)
TAGGER = Tagger(CATALOGUE, RESOLVER)
SEEDS = ["ч. 2 ст. 274 УК РК", "статьи 19 и 21 МПГПП", "Article 19(3) of the ICCPR",
         "Қылмыстық кодексінің 274-бабы", "данной Конвенции", "«О масс-медиа»",
         "ст.\u00a0274 УК РК", "статьи\u200b19", "Koнвенция", "пп. «а» п. 3 ст. 14",
         "статьи 1, 2, 3,", "ст. ст. ст.", "Конвенции Конвенции", "ст. 19–22", " ", "\n",
         "\r\n", "\x00", "⟦", "⟧[1]", "<b>&amp;", "1951 года", "Закона РК", "этой статьи",
         "№ 12/3-4", "14.1", "456-2", "-", "/", "93-VIII", "19.06.2024", "28 июля 1951 года",
         "2024 жылғы 19 маусымдағы", "274-й статьи", "подпункт 3)", "(art. 33)"]
_TAG = re.compile(r"<[^>]*>")


def check(text: str) -> None:
    citations = RESOLVER.resolve(extract(text))
    previous_end = 0
    for c in citations:
        assert 0 <= c.start <= c.end <= len(text), (c.start, c.end, len(text))
        assert text[c.start:c.end] == c.text
        assert c.start >= previous_end, "overlapping citations"
        assert 0.0 <= c.confidence <= 1.0
        previous_end = c.end
    json.loads(render(text, citations, "json", catalogue=CATALOGUE))
    page = render(text, citations, "html", catalogue=CATALOGUE, fragment=True)
    assert html.unescape(_TAG.sub("", page)) == text
    assert strip_text_marks(render(text, citations, "text", catalogue=CATALOGUE)) == text
    tagged = TAGGER.tag(Incident(id="fuzz", text=text, span=Span(0, len(text))))
    for obligation in tagged.obligations:
        for ev in obligation.evidence:
            if ev.span is not None:
                assert text[ev.span.start:ev.span.end] == ev.text, (ev, obligation.provision)
    json.dumps(to_json(tagged))


def test_one_input(data: bytes) -> None:
    if data[:1] == b"\x00":
        check(data[1:].decode("utf-8", "replace"))
        return
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        text = fdp.ConsumeUnicodeNoSurrogates(4096)
    else:
        pieces = []
        while fdp.remaining_bytes() > 0 and len(pieces) < 64:
            if fdp.ConsumeBool():
                pieces.append(SEEDS[fdp.ConsumeIntInRange(0, len(SEEDS) - 1)])
            else:
                pieces.append(fdp.ConsumeUnicodeNoSurrogates(16))
        text = "".join(pieces)
    check(text)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
