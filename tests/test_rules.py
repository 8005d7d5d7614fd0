"""The tagging rule files: the shipped ones are sound, and every kind of problem is reported
with file and line by the catalogue check."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from normref.catalogue import check_catalogue, load_catalogue
from normref.resources import norms_dir
from normref.rules import (
    DEFAULT_WEIGHTS,
    compile_phrase,
    compiled_rules,
    read_rules,
)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped catalogue whose rule files a test may spoil."""
    root = tmp_path / "norms"
    shutil.copytree(norms_dir(), root)
    return root


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_catalogue(root)]


# ---------------------------------------------------------------- the shipped rules


def test_shipped_rules_have_no_problems(catalogue):
    rules, problems = read_rules(norms_dir(), catalogue)
    assert problems == []
    assert len(rules.rubrics) >= 18
    assert len(rules.triggers) >= 30
    assert len(rules.relations) >= 6


def test_shipped_rules_name_only_catalogue_ids(catalogue):
    rules = compiled_rules(catalogue)
    ids = [t for r in rules.rubrics for t in r.provisions + r.related]
    ids += [t for r in rules.triggers for t in r.targets]
    ids += [r.provision for r in rules.relations] + [t for r in rules.relations for t in r.engages]
    assert ids and all(i in catalogue for i in ids)


def test_every_relation_starts_from_a_kazakh_provision(catalogue):
    for rel in compiled_rules(catalogue).relations:
        assert catalogue.instrument(rel.provision).jurisdiction == "kz", rel.id


def test_compiled_rules_are_cached(catalogue):
    assert compiled_rules(catalogue) is compiled_rules(catalogue)


def test_compiled_rules_follow_an_edited_file(folder):
    cat = load_catalogue(folder)
    before = compiled_rules(cat)
    write(folder / "triggers" / "extra.yaml", """\
        triggers:
          - id: extra-rule
            targets: [un.iccpr#art_19]
            phrases: {ru: ["цензур*"]}
        """)
    after = compiled_rules(load_catalogue(folder))
    assert after is not before
    assert "extra-rule" in {t.id for t in after.triggers}


# ---------------------------------------------------------------- problems, with file:line


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("triggers/bad.yaml", """\
            triggers:
              - id: bad-target
                targets: [un.iccpr#art_999]
                phrases: {ru: ["цензур*"]}
            """, "triggers/bad.yaml:3: trigger bad-target: unknown provision id"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: bad-instrument
                targets: [un.nothing]
                phrases: {ru: ["цензур*"]}
            """, "triggers/bad.yaml:3: trigger bad-instrument: unknown instrument id 'un.nothing'"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: bad-field
                targets: [un.iccpr#art_19]
                phrases: {ru: ["цензур*"]}
                weight: 0.9
            """, "triggers/bad.yaml:5: trigger bad-field: unknown field 'weight'"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: bad-strength
                targets: [un.iccpr#art_19]
                strength: huge
                phrases: {ru: ["цензур*"]}
            """, "triggers/bad.yaml:4: trigger bad-strength: strength must be one of"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: short-stem
                targets: [un.iccpr#art_19]
                phrases:
                  ru: ["п*"]
            """, "triggers/bad.yaml:5: trigger short-stem: stem 'п*'"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: bad-lang
                targets: [un.iccpr#art_19]
                phrases:
                  de: ["Zensur"]
            """, "triggers/bad.yaml:5: trigger bad-lang: unknown language 'de'"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: no-phrases
                targets: [un.iccpr#art_19]
            """, "triggers/bad.yaml:2: trigger no-phrases: missing field 'phrases'"),
        ("triggers/zz-more.yaml", """\
            triggers:
              - id: torture
                targets: [un.iccpr#art_7]
                phrases: {ru: ["пытк*"]}
            """, "triggers/zz-more.yaml:2: trigger: duplicate id 'torture' (first at triggers/"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: wide
                targets: [un.iccpr#art_19]
                phrases: {ru: ["цензур*"]}
                near: {phrases: {ru: ["сайт*"]}, window: 99}
            """, "triggers/bad.yaml:5: trigger wide near: 'window' must be a whole number"),
        ("triggers/bad.yaml", "triggers: [\n", "triggers/bad.yaml:2: malformed YAML"),
        ("triggers/bad.yaml", """\
            triggers:
              - id: dup
                id: dup
            """, "triggers/bad.yaml:3: duplicate key 'id'"),
        ("triggers/notes.txt", "just text\n", "triggers/notes.txt: not a YAML file"),
        ("relations.yaml", """\
            relations:
              - id: not-kazakh
                provision: un.iccpr#art_19
                engages: [un.iccpr#art_19]
            """, "relations.yaml:3: relation not-kazakh: 'provision' must be a Kazakh provision"),
        ("relations.yaml", """\
            relations:
              - id: unknown-engaged
                provision: kz.criminal-code#art_274
                engages: [un.iccpr#art_77]
            """, "relations.yaml:4: relation unknown-engaged: unknown provision id"),
        ("relations.yaml", """\
            relations:
              - id: nothing
                provision: kz.criminal-code#art_274
            """, "relations.yaml:2: relation nothing: needs 'engages' or 'charges'"),
        ("rubrics.yaml", """\
            rubrics:
              - id: expression
                names: {ru: [Свобода слова]}
                provisions: [un.iccpr#art_19]
                related: [un.iccpr#art_19]
            """, "rubrics.yaml:5: rubric expression: 'un.iccpr#art_19' is both primary"),
        ("rubrics.yaml", """\
            rubrics:
              - id: one
                names: {ru: [Свобода слова]}
              - id: two
                names: {ru: ["«СВОБОДА СЛОВА»"]}
            """, "rubrics.yaml:5: rubric two: name '«СВОБОДА СЛОВА»' also belongs to one"),
        ("rubrics.yaml", """\
            rubrics:
              - id: one
                names: {ru: [Свобода слова]}
            editorial: [свобода слова!]
            """, "rubrics.yaml:4: editorial rubric 'свобода слова!' is also a name of one"),
        ("rubrics.yaml", """\
            rubrics: []
            colour: blue
            """, "rubrics.yaml:2: unknown top-level field 'colour'"),
    ],
)
def test_problems_are_reported_with_file_and_line(folder, file, text, expected):
    write(folder / file, text)
    found = messages(folder)
    assert any(m.startswith(expected) for m in found), found


def test_a_catalogue_without_rule_files_is_sound(folder):
    (folder / "rubrics.yaml").unlink()
    (folder / "relations.yaml").unlink()
    shutil.rmtree(folder / "triggers")
    assert messages(folder) == []
    rules = compiled_rules(load_catalogue(folder))
    assert rules.rubrics == () and rules.triggers == () and rules.relations == ()


# ---------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("phrase", "ok"),
    [
        ("пытк*", True),
        ("статус* беженц*", True),
        ("=роды|=родах", True),
        ("grant* * asylum", True),
        ("масс-медиа", True),
        ("пы*", False),
        ("=роды*", False),
        ("цензур**", False),
        ("", False),
        ("   ", False),
    ],
)
def test_phrase_syntax(phrase, ok):
    _, errors = compile_phrase(phrase, "ru")
    assert (errors == []) is ok, errors


def test_weights_are_probabilities():
    w = DEFAULT_WEIGHTS
    numbers = [
        w.threshold, w.citation_provision, w.citation_instrument_international,
        w.citation_instrument_domestic, w.rubric_primary, w.rubric_related,
        w.implied_from_citation, w.implied_charge, w.implied_from_charge,
        *w.trigger.values(), *w.cap.values(),
    ]
    assert all(0 < n <= 1 for n in numbers)
    # a weak trigger or a related rubric alone is not enough; a normal trigger is
    assert w.trigger["weak"] < w.threshold <= w.trigger["normal"]
    assert w.rubric_related < w.threshold <= w.rubric_primary
    assert w.citation_instrument_domestic < w.threshold


def test_catalogue_check_command_reports_rule_problems(folder, capsys):
    from normref.cli import main

    write(folder / "triggers" / "zz-bad.yaml", """\
        triggers:
          - id: broken
            targets: [un.iccpr#art_999]
            phrases: {ru: ["цензур*"]}
        """)
    assert main(["catalogue", "check", str(folder)]) == 1
    err = capsys.readouterr()
    assert "triggers/zz-bad.yaml:3: trigger broken: unknown provision id" in err.out + err.err
