"""The compiled-object cache: reused when sound, rebuilt when stale, corrupt or foreign."""

from __future__ import annotations

from pathlib import Path

import pytest

from normref import cache
from normref.catalogue import load_catalogue
from test_catalogue_loader import GOOD_TREATY, write_catalogue


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NORMREF_CACHE_DIR", str(folder))
    return folder


def test_second_load_comes_from_cache(cache_folder: Path) -> None:
    calls = []
    assert cache.load_or_build("thing", "k1", lambda: calls.append(1) or {"a": 1}) == {"a": 1}
    assert cache.load_or_build("thing", "k1", lambda: calls.append(1) or {"a": 2}) == {"a": 1}
    assert calls == [1]


def test_stale_key_rebuilds(cache_folder: Path) -> None:
    cache.load_or_build("thing", "k1", lambda: 1)
    assert cache.load_or_build("thing", "k2", lambda: 2) == 2
    assert cache.load_or_build("thing", "k2", lambda: 3) == 2


@pytest.mark.parametrize("damage", [
    lambda b: b[:-5],                                   # torn write
    lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]),           # flipped byte in the payload
    lambda b: b"garbage",                               # not ours at all
    lambda b: b.replace(b"NORMREF-CACHE-1", b"NORMREF-CACHE-0"),
    lambda b: b.replace(cache.__version__.encode(), b"0.0.0-other"),  # another version
])
def test_damaged_or_foreign_file_is_rebuilt(cache_folder: Path, damage) -> None:
    cache.load_or_build("thing", "k", lambda: ["original"])
    path = cache_folder / "thing.pickle"
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load_or_build("thing", "k", lambda: ["rebuilt"]) == ["rebuilt"]


def test_cache_off_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMREF_CACHE_DIR", "off")
    assert cache.load_or_build("thing", "k", lambda: 5) == 5
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("NORMREF_CACHE_DIR", str(blocker / "sub"))
    assert cache.load_or_build("thing", "k", lambda: 6) == 6


def test_catalogue_edit_invalidates_cache(cache_folder: Path, tmp_path: Path) -> None:
    (tmp_path / "cat").mkdir()
    root = write_catalogue(tmp_path / "cat", {"international/un.example.yaml": GOOD_TREATY})
    first = load_catalogue(root)
    assert first.instrument("un.example").titles["en"] == "Example Convention"
    path = root / "international" / "un.example.yaml"
    path.write_text(GOOD_TREATY.replace("en: Example Convention", "en: Edited"), encoding="utf-8")
    assert load_catalogue(root).instrument("un.example").titles["en"] == "Edited"


def test_catalogue_cache_key_covers_the_code(cache_folder: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cat").mkdir()
    root = write_catalogue(tmp_path / "cat", {"international/un.example.yaml": GOOD_TREATY})
    seen: list[list] = []
    real = cache.digest_of

    def spy(parts):
        parts = list(parts)
        seen.append(parts)
        return real(parts)

    monkeypatch.setattr(cache, "digest_of", spy)
    load_catalogue(root)
    model_source = Path(cache.__file__).with_name("model.py").read_bytes()
    assert any(model_source in parts for parts in seen)


def test_cache_keeps_only_the_newest_files_of_a_kind(cache_folder: Path) -> None:
    import os

    for number in range(cache.KEEP_PER_KIND + 5):
        name = f"catalogue-{number:016x}"
        cache.load_or_build(name, "k", lambda number=number: number)
        path = cache_folder / f"{name}.pickle"
        os.utime(path, (1_000_000 + number, 1_000_000 + number))  # written in this order
    cache.load_or_build("grammar-tables", "k", lambda: "tables")
    kept = sorted(p.name for p in cache_folder.glob("catalogue-*.pickle"))
    assert len(kept) == cache.KEEP_PER_KIND
    assert kept[-1] == f"catalogue-{cache.KEEP_PER_KIND + 4:016x}.pickle"  # the newest stays
    assert "catalogue-0000000000000000.pickle" not in kept
    assert (cache_folder / "grammar-tables.pickle").exists()  # other kinds are left alone
    newest = f"catalogue-{cache.KEEP_PER_KIND + 4:016x}"
    assert cache.load_or_build(newest, "k", lambda: "rebuilt") == cache.KEEP_PER_KIND + 4


def _memo(version: str = "v1", limit: int = 100) -> cache.DiskMemo:
    return cache.DiskMemo("test-memo", lambda: version, limit=limit)


def test_memo_answers_from_disk_in_the_next_process(cache_folder: Path) -> None:
    first = _memo()
    assert first.get(("w", "слово"), lambda: 41) == 41
    assert first.get(("w", "слово"), lambda: pytest.fail("asked twice")) == 41
    first.flush()  # what happens at exit
    second = _memo()
    assert second.get(("w", "слово"), lambda: pytest.fail("not from disk")) == 41


def test_memo_of_another_version_or_damaged_is_not_trusted(cache_folder: Path) -> None:
    first = _memo()
    first.get("k", lambda: 1)
    first.flush()
    assert _memo("v2").get("k", lambda: 2) == 2
    path = cache_folder / "test-memo.pickle"
    path.write_bytes(path.read_bytes()[:-3])
    assert _memo().get("k", lambda: 3) == 3


def test_memo_keeps_the_newest_answers(cache_folder: Path) -> None:
    memo = _memo(limit=5)
    for number in range(12):
        memo.get(number, lambda number=number: number)
    memo.flush()
    later = _memo(limit=5)
    assert later.get(11, lambda: -1) == 11
    assert later.get(0, lambda: -1) == -1


def test_memo_without_a_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMREF_CACHE_DIR", "off")
    memo = _memo()
    assert memo.get("k", lambda: 5) == 5
    memo.flush()  # nothing to write to, no error


@pytest.mark.parametrize("word", ["статусе", "беженцев", "суд", "журналист", "политических",
                                  "партиях", "Астана", "Манделы", "онлайн-платформах",
                                  "защищенных", "сказал", "быстро", "ұсталмады"])
def test_remembered_word_classes_are_what_pymorphy_says(cache_folder: Path, word: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from normref import grammar_tokens as g

    def classes() -> tuple[bool, bool, bool]:
        low = word.lower()
        return g._may_be_oblique(low), g._may_be_genitive(word), g._is_adjective(low)

    fresh = (g._parse_may_be_oblique(word.lower()), g._parse_may_be_genitive(word),
             g._parse_is_adjective(word.lower()))
    monkeypatch.setattr(g, "_MORPH_MEMO", cache.DiskMemo("grammar-morph", g._morph_version))
    assert classes() == fresh  # computed, then written at "exit"
    g._MORPH_MEMO.flush()
    monkeypatch.setattr(g, "_MORPH_MEMO", cache.DiskMemo("grammar-morph", g._morph_version))
    monkeypatch.setattr(g, "_morph", lambda: pytest.fail("the dictionary was needed"))
    assert classes() == fresh  # from disk


def test_remembered_lemmas_need_no_dictionary(cache_folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from normref import morph

    words = ["задержанного", "Журналистам", "пыток", "обыска", "онлайн-платформах",
             "водопады", "кваказябры"]
    monkeypatch.setattr(morph, "_MEMO", cache.DiskMemo("morph", morph.morph_versions))
    morph.lemma.cache_clear()
    lemmas = [morph.lemma(w) for w in words]
    known = [morph.word_is_known(w.lower()) for w in words]
    assert lemmas[0] == "задержать" and known[-1] is False
    morph._MEMO.flush()
    monkeypatch.setattr(morph, "_MEMO", cache.DiskMemo("morph", morph.morph_versions))
    morph.lemma.cache_clear()
    monkeypatch.setattr(morph, "_analyzer", lambda: pytest.fail("the dictionary was needed"))
    try:
        assert [morph.lemma(w) for w in words] == lemmas
        assert [morph.word_is_known(w.lower()) for w in words] == known
    finally:
        morph.lemma.cache_clear()


def test_memo_stays_bounded_on_endless_new_keys(cache_folder: Path) -> None:
    memo = _memo(limit=10)
    for number in range(1_000):
        memo.get(number, lambda number=number: number)
    assert len(memo._new) <= 20 and len(memo._known or {}) <= 40


def test_memo_flush_waits_for_the_lock_of_another_writer(cache_folder: Path) -> None:
    import fcntl
    import threading

    memo = _memo()
    memo.get("k", lambda: 1)
    cache_folder.mkdir(parents=True, exist_ok=True)
    with open(cache_folder / "test-memo.lock", "ab") as other:  # another process writing
        fcntl.flock(other, fcntl.LOCK_EX)
        writer = threading.Thread(target=memo.flush)
        writer.start()
        writer.join(0.3)
        assert writer.is_alive() and not (cache_folder / "test-memo.pickle").exists()
        fcntl.flock(other, fcntl.LOCK_UN)
    writer.join(10)
    assert _memo().get("k", lambda: pytest.fail("not written")) == 1


def test_flush_memos_writes_every_memo(cache_folder: Path) -> None:
    one, two = cache.DiskMemo("memo-one", lambda: "v"), cache.DiskMemo("memo-two", lambda: "v")
    one.get("a", lambda: 1)
    two.get("b", lambda: 2)
    cache.flush_memos()
    assert cache.DiskMemo("memo-one", lambda: "v").get("a", lambda: -1) == 1
    assert cache.DiskMemo("memo-two", lambda: "v").get("b", lambda: -1) == 2
