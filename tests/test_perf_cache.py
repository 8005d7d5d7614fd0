"""What the on-disk cache keeps for a fast start gives exactly what building it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from normref import cache, morph
from normref.catalogue import load_catalogue
from normref.extract import _build_tables, extract, parser_tables
from normref.resolve import Resolver, _catalogue_lemmas

CITATIONS = (
    "по ч. 2 ст. 274 УК РК; статья 19 Международного пакта о гражданских и политических "
    "правах; статье 33 Конвенции ООН 1951 года о статусе беженцев; ст. 488 КоАП РК; "
    "Замечание общего порядка № 34; Правила Нельсона Манделы; Конвенцыя против пыток; "
    "article 14(3)(d) of the ICCPR; Конституцияның 20-бабы"
)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NORMREF_CACHE_DIR", str(folder))
    return folder


def _resolved(resolver: Resolver) -> list[tuple]:
    return [(c.text, c.status, c.instrument, c.provisions, c.confidence, c.reason)
            for c in resolver.resolve(extract(CITATIONS))]


def test_resolver_from_the_cache_resolves_like_a_fresh_one(cache_folder, monkeypatch) -> None:
    catalogue = load_catalogue()
    first = Resolver(catalogue)  # builds and writes the cache
    assert any(p.name.startswith("resolver-") for p in cache_folder.iterdir())
    second = Resolver(catalogue)  # reads it
    monkeypatch.setenv("NORMREF_CACHE_DIR", "off")
    fresh = Resolver(catalogue)
    assert _resolved(first) == _resolved(second) == _resolved(fresh)
    assert second._names == fresh._names


def test_a_damaged_resolver_cache_is_rebuilt(cache_folder) -> None:
    catalogue = load_catalogue()
    expected = _resolved(Resolver(catalogue))
    for path in cache_folder.glob("resolver-*.pickle"):
        path.write_bytes(path.read_bytes()[:-10])
    assert _resolved(Resolver(catalogue)) == expected


def test_remembered_lemmas_are_the_lemmas_lemma_gives(monkeypatch) -> None:
    table = _catalogue_lemmas(load_catalogue())
    assert len(table) > 1000
    monkeypatch.setattr(morph, "_REMEMBERED", {})
    morph.lemma.cache_clear()
    try:
        wrong = {w: (v, morph.lemma(w)) for w, v in table.items() if morph.lemma(w) != v}
    finally:
        morph.lemma.cache_clear()
    assert wrong == {}


def test_grammar_tables_from_the_cache_equal_the_built_ones(cache_folder) -> None:
    built = _build_tables()
    parser_tables.cache_clear()
    try:
        first = parser_tables()  # built and cached
        parser_tables.cache_clear()
        second = parser_tables()  # read back
    finally:
        parser_tables.cache_clear()
    assert first == built == second
    assert len(list(cache_folder.glob("grammar-tables-*.pickle"))) == 1


def test_cache_key_changes_with_the_catalogue(cache_folder, tmp_path) -> None:
    from test_catalogue_loader import GOOD_TREATY, write_catalogue

    (tmp_path / "cat").mkdir()
    root = write_catalogue(tmp_path / "cat", {"international/un.example.yaml": GOOD_TREATY})
    before = Resolver(load_catalogue(root))
    path = next(root.rglob("un.example.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("Example", "Sample"),
                    encoding="utf-8")
    after = Resolver(load_catalogue(root))
    assert [n.phrase for n in before._names] != [n.phrase for n in after._names]
    assert cache.cache_dir() == cache_folder


def _fresh_rules(catalogue):
    from normref import rules

    rules._compiled.clear()  # forget the rules compiled in this process
    return rules.compiled_rules(catalogue)


def test_rules_from_the_cache_are_the_rules_read(cache_folder, monkeypatch) -> None:
    from normref import rules

    catalogue = load_catalogue()
    first = _fresh_rules(catalogue)  # reads the files and writes the cache
    assert any(p.name.startswith("rules-") for p in cache_folder.iterdir())
    monkeypatch.setattr(rules, "read_rules", lambda *a, **k: pytest.fail("not from the cache"))
    second = _fresh_rules(catalogue)
    monkeypatch.undo()
    assert second == first == rules.read_rules(catalogue.path, catalogue)[0]


def test_an_edited_trigger_file_rebuilds_the_cached_rules(cache_folder, tmp_path) -> None:
    import shutil

    from normref.resources import norms_dir

    folder = tmp_path / "norms"
    shutil.copytree(norms_dir(), folder)
    catalogue = load_catalogue(folder)
    before = _fresh_rules(catalogue)
    trigger_file = sorted((folder / "triggers").glob("*.yaml"))[0]
    trigger_file.write_text("triggers: []\n", encoding="utf-8")
    after = _fresh_rules(load_catalogue(folder))
    assert len(after.triggers) < len(before.triggers)
