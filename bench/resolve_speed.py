"""How fast the resolver turns parsed citations into catalogue ids (MB/s of text cited).

    python bench/resolve_speed.py              # 20,000 citations, best of three
    python bench/resolve_speed.py --count 2000

The citations are made up (a phrase from a fixed list, an article number), spaced about one
per 300 characters as in a monitoring digest; the figure is the text they stand for, at two
bytes per Cyrillic character, divided by the time resolve() takes once the caches are warm.
It measures the resolver alone, not the grammar: see bench/run.py for the whole pipeline.
"""

from __future__ import annotations

import argparse
import time

from normref.model import Pinpoint, RawCitation, Span
from normref.resolve import Resolver, resolver_for

PHRASES = [
    "Конвенции ООН 1951 года о статусе беженцев", "МПГПП", "УК РК", "Конституции",
    "Закона о политических партиях", "Трудового кодекса", "УК РФ", "Протокола 1967 года",
    "Рекомендации УВКБ ООН №12", "Конвенции ООН", "Закона «О масс-медиа»", "данной Конвенции",
    "Азаптауларға қарсы конвенцияның", "Замечания общего порядка № 34", "КПП",
]


def make_raws(count: int, spacing: int = 300) -> list[RawCitation]:
    """``count`` citations, one per ``spacing`` characters."""
    raws = []
    pos = 0
    for i in range(count):
        phrase = PHRASES[i % len(PHRASES)]
        number = str(i % 60 + 1)
        text = f"статьи {number} {phrase}"
        raws.append(RawCitation(span=Span(pos, pos + len(text)), text=text,
                                pinpoints=(Pinpoint(article=number),), instrument_text=phrase))
        pos += len(text) + spacing
    return raws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="citations (default 20000)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()

    start = time.perf_counter()
    resolver = resolver_for()
    print(f"shared resolver ready        {time.perf_counter() - start:8.3f} s")
    start = time.perf_counter()
    Resolver(resolver.catalogue)
    print(f"another resolver (cached)    {time.perf_counter() - start:8.3f} s")

    raws = make_raws(args.count)
    start = time.perf_counter()
    resolver.resolve(raws)
    cold = time.perf_counter() - start
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        resolver.resolve(raws)
        best = min(best, time.perf_counter() - start)
    megabytes = raws[-1].span.end * 2 / 1e6 if raws else 0.0
    print(f"{len(raws)} citations over {megabytes:.1f} MB of text")
    print(f"first pass                   {cold:8.3f} s  {megabytes / cold:8.1f} MB/s")
    print(f"warm, best of {args.repeat}              {best:8.3f} s  {megabytes / best:8.1f} MB/s")
    print(f"citations per second (warm)  {len(raws) / best:10.0f}")


if __name__ == "__main__":
    main()
