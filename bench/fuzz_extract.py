"""Fuzz the citation extractor and resolver with atheris.

    python bench/fuzz_extract.py -max_total_time=600

Checks, for any input: no exception, every span inside the text, text == input[start:end],
citations sorted and not overlapping. See docs/robustness.md.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from normref.catalogue import load_catalogue
    from normref.extract import extract
    from normref.resolve import Resolver

RESOLVER = Resolver(load_catalogue())
SEEDS = ["ч. 2 ст. 274 УК РК", "статьи 19 и 21 МПГПП", "Article 19(3) of the ICCPR",
         "Қылмыстық кодексінің 274-бабы", "данной Конвенции", "«О масс-медиа»"]


def check(text: str) -> None:
    citations = RESOLVER.resolve(extract(text))
    previous_end = 0
    for c in citations:
        assert 0 <= c.start <= c.end <= len(text), (c.start, c.end, len(text))
        assert text[c.start:c.end] == c.text
        assert c.start >= previous_end, "overlapping citations"
        assert 0.0 <= c.confidence <= 1.0
        previous_end = c.end


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    choice = fdp.ConsumeIntInRange(0, 2)
    if choice == 0:
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
