"""The catalogue loader: the happy path and every kind of problem, reported with file and line."""

from __future__ import annotations

import datetime as dt
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest

from normref.catalogue import CatalogueError, check_catalogue, load_catalogue, read_catalogue

GOOD_TREATY = """\
id: un.example
kind: treaty
jurisdiction: international
titles:
  ru: Пример конвенции
  en: Example Convention
abbreviations: [EXC]
adopted: 1966-12-16
entry_into_force: 1976-03-23
kz_status:
  action: ratification
  date: 2006-01-24
  in_force_for_kz: 2006-04-24
source_url: https://treaties.un.org/example
provisions:
  - eid: art_1
    number: "1"
    titles: {ru: Первая статья, en: First article}
    summary: Says something.
  - eid: art_14__para_3__point_d
    number: 14(3)(d)
"""

GOOD_LAW = """\
id: kz.law.example
kind: law
jurisdiction: kz
titles: {ru: Закон о примере, en: Law on Example}
adopted: 2020-05-25
entry_into_force: 2020-06-01
source_url: https://adilet.zan.kz/rus/docs/Z000000000
replaced_by: [{id: kz.law.newer, date: 2024-01-01}]
provisions:
  - {eid: art_456-2, number: 456-2}
"""

NEWER_LAW = """\
id: kz.law.newer
kind: law
jurisdiction: kz
titles: {ru: Новый закон, en: Newer law}
entry_into_force: 2024-01-01
replaces: [kz.law.example]
source_url: https://adilet.zan.kz/rus/docs/Z000000001
"""


def write_catalogue(root: Path, files: dict[str, str], version: str | None = "2026.01.01") -> Path:
    if version is not None:
        (root / "catalogue.yaml").write_text(f'version: "{version}"\n', encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_catalogue(
        tmp_path,
        {
            "international/un.example.yaml": GOOD_TREATY,
            "kz/kz.law.example.yaml": GOOD_LAW,
            "kz/kz.law.newer.yaml": NEWER_LAW,
        },
    )


def test_happy_path_loads_everything(good: Path) -> None:
    cat = load_catalogue(good)
    assert cat.version == "2026.01.01"
    assert set(cat.instruments) == {"un.example", "kz.law.example", "kz.law.newer"}
    treaty = cat.instrument("un.example")
    assert treaty.adopted == dt.date(1966, 12, 16)
    assert treaty.kz_status.in_force_for_kz == dt.date(2006, 4, 24)
    assert cat.provision("un.example#art_14__para_3__point_d").number == "14(3)(d)"
    assert cat.instrument("un.example#art_1") is treaty
    assert "kz.law.example#art_456-2" in cat
    assert cat.provision("un.example#art_1").titles["en"] == "First article"


def test_binding_on_date(good: Path) -> None:
    cat = load_catalogue(good)
    assert cat.binding_on("un.example", dt.date(2006, 4, 23)) is False
    assert cat.binding_on("un.example", dt.date(2006, 4, 24)) is True
    assert cat.binding_on("un.example", None) is None
    assert cat.binding_on("kz.law.example", dt.date(2021, 1, 1)) is True
    assert cat.binding_on("kz.law.example", dt.date(2024, 1, 2)) is False  # replaced
    assert cat.binding_on("kz.law.example", dt.date(2019, 1, 1)) is False
    assert cat.binding_on("no.such", dt.date(2019, 1, 1)) is None


def test_shipped_catalogue_is_sound() -> None:
    assert check_catalogue() == []


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check_catalogue(root)]


BROKEN = [
    # (file text, expected fragment of the message, expected line)
    ("id: un.example\nkind: treaty\n", "missing field 'jurisdiction'", 1),
    (GOOD_TREATY.replace("kind: treaty", "kind: pamphlet"), "unknown kind 'pamphlet'", 2),
    (GOOD_TREATY.replace("adopted: 1966-12-16", "adopted: 1966-13-45"), "is not a date", 8),
    (GOOD_TREATY.replace("adopted: 1966-12-16", "adopted: yesterday"), "is not a date", 8),
    (GOOD_TREATY.replace("eid: art_1\n", "eid: article1\n"), "does not follow the contract", 16),
    (GOOD_TREATY.replace("eid: art_14__para_3__point_d", "eid: art_1"), "duplicate eId", 20),
    (GOOD_TREATY.replace("abbreviations: [EXC]", "abbreviations: [EXC]\ncolour: blue"),
     "unknown field 'colour'", 8),
    (GOOD_TREATY.replace("titles:\n  ru", "titles:\n  de: Beispiel\n  ru"), "unknown language", 5),
    (GOOD_TREATY.replace("abbreviations: [EXC]", "abbreviations: EXC"), "must be a list", 7),
    (GOOD_TREATY.replace("source_url: https://treaties.un.org/example", "source_url: somewhere"),
     "not an http(s) URL", 14),
    (GOOD_TREATY + "replaces: [un.nothing]\n", "unknown id 'un.nothing'", 1),
    (GOOD_TREATY.replace("id: un.example", "id: UN Example"), "does not follow", 1),
    (GOOD_TREATY.replace("id: un.example", "id: xx.example"), "unknown namespace", 1),
    (GOOD_TREATY.replace("action: ratification", "action: maybe"), "unknown kz_status action", 11),
    (GOOD_TREATY + "kind: protocol\n", "duplicate key 'kind'", 22),
    ("- just\n- a list\n", "must hold a mapping", 1),
    ("id: [unclosed\n", "malformed YAML", None),
    ("a: &x [1, 2]\nb: *x\n", "aliases are not allowed", None),
]


@pytest.mark.parametrize(("text", "message", "line"), BROKEN)
def test_each_problem_is_reported_with_file_and_line(
    tmp_path: Path, text: str, message: str, line: int | None
) -> None:
    write_catalogue(tmp_path, {"international/un.example.yaml": text})
    problems = check_catalogue(tmp_path)
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].file == "international/un.example.yaml"
    if line is not None:
        assert matching[0].line == line


def test_all_problems_in_one_run(tmp_path: Path) -> None:
    write_catalogue(
        tmp_path,
        {
            "international/un.example.yaml": GOOD_TREATY.replace("kind: treaty", "kind: x"),
            "kz/kz.law.example.yaml": GOOD_LAW,  # refers to kz.law.newer, absent
            "kz/kz.law.bad.yaml": "id: kz.law.bad\n",
        },
    )
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path)
    files = {p.file for p in info.value.problems}
    assert files == {"international/un.example.yaml", "kz/kz.law.example.yaml",
                     "kz/kz.law.bad.yaml"}


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    write_catalogue(
        tmp_path,
        {"international/un.example.yaml": GOOD_TREATY, "kz/un.example.yaml": GOOD_TREATY},
    )
    assert any("duplicate id 'un.example'" in p for p in problems_of(tmp_path))


def test_file_name_must_match_id(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {"international/un.other.yaml": GOOD_TREATY})
    assert any("does not match the file name" in p for p in problems_of(tmp_path))


def test_non_yaml_and_unreadable_files(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {"international/un.example.yaml": GOOD_TREATY,
                               "international/notes.txt": "hello"})
    (tmp_path / "international" / "un.binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    problems = problems_of(tmp_path)
    assert any("notes.txt" in p and "not a YAML file" in p for p in problems)
    assert any("un.binary.yaml" in p and "not UTF-8" in p for p in problems)


def test_missing_version_and_folder(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {}, version=None)
    assert any("catalogue.yaml" in p for p in problems_of(tmp_path))
    assert any("not found" in p for p in problems_of(tmp_path / "nowhere"))


def test_billion_laughs_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    write_catalogue(tmp_path, {"international/un.bomb.yaml": "\n".join(lines) + "\n"})
    tracemalloc.start()
    started = time.perf_counter()
    problems = problems_of(tmp_path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert any("aliases are not allowed" in p for p in problems)
    assert elapsed < 2.0
    assert peak < 20 * 1024 * 1024


def test_partial_catalogue_keeps_sound_entries(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {"international/un.example.yaml": GOOD_TREATY,
                               "kz/kz.law.bad.yaml": "id: kz.law.bad\n"})
    catalogue, problems = read_catalogue(tmp_path)
    assert "un.example" in catalogue.instruments
    assert problems
