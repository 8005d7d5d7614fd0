"""Resolution does its work once: counted, not timed (timings live in bench/resolve_speed.py).

The shared resolver is built once per catalogue; a rebuilt one reads its index from the
on-disk cache; a phrase is matched once however often it is cited; a word is lemmatised once.
"""

from __future__ import annotations

import pytest

from normref import morph
from normref import resolve as resolve_module
from normref.model import Pinpoint, RawCitation, Span
from normref.resolve import Resolver, analyse, resolver_for

PHRASES = [
    "Конвенции ООН 1951 года о статусе беженцев", "МПГПП", "УК РК", "Конституции",
    "Закона о политических партиях", "Трудового кодекса", "УК РФ", "Протокола 1967 года",
    "Рекомендации УВКБ ООН №12", "Конвенции ООН", "Закона «О масс-медиа»",
    "данной Конвенции", "Азаптауларға қарсы конвенцияның", "КПП",
]


def _raws(n: int) -> list[RawCitation]:
    out = []
    pos = 0
    for i in range(n):
        phrase = PHRASES[i % len(PHRASES)]
        text = f"статьи {i % 40 + 1} {phrase}"
        out.append(RawCitation(span=Span(pos, pos + len(text)), text=text,
                               pinpoints=(Pinpoint(article=str(i % 40 + 1)),),
                               instrument_text=phrase))
        pos += len(text) + 300
    return out


def test_the_shared_resolver_is_built_once():
    assert resolver_for() is resolver_for()
    assert resolver_for(resolver_for().catalogue) is resolver_for()


def test_a_new_resolver_reads_its_index_from_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("NORMREF_CACHE_DIR", str(tmp_path))
    catalogue = resolver_for().catalogue
    builds = []
    original = Resolver._build_index

    def counting(self, *args, **kwargs):
        builds.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Resolver, "_build_index", counting)
    first, second = Resolver(catalogue), Resolver(catalogue)
    assert len(builds) == 1
    assert second.match("МПГПП").instrument == first.match("МПГПП").instrument == "un.iccpr"


def test_each_phrase_is_matched_once(monkeypatch):
    resolver = Resolver(resolver_for().catalogue)
    calls = []
    original = resolver._match

    def counting(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(resolver, "_match", counting)
    raws = _raws(2_000)
    resolver.resolve(raws)
    distinct = len(calls)
    assert distinct <= 3 * len(PHRASES)  # a phrase joining two instruments splits in parts
    resolver.resolve(raws)
    assert len(calls) == distinct  # the second time, nothing is matched anew


@pytest.mark.parametrize("cached", [morph.lemma, analyse], ids=["lemma", "analyse"])
def test_words_and_phrases_are_analysed_once(cached):
    resolver = resolver_for()
    raws = _raws(500)
    resolver.resolve(raws)
    before = cached.cache_info()
    resolver.resolve(raws)
    resolver.resolve(_raws(5_000))  # more citations of the same phrases: no new work
    after = cached.cache_info()
    assert after.misses == before.misses


def test_citations_of_one_scope_cost_one_provision_lookup_each(monkeypatch):
    resolver = resolver_for()
    calls = []
    original = resolve_module.provision_eid

    def counting(pin):
        calls.append(pin)
        return original(pin)

    monkeypatch.setattr(resolve_module, "provision_eid", counting)
    raws = _raws(1_000)
    resolver.resolve(raws)
    assert len(calls) <= sum(len(r.pinpoints) for r in raws)
