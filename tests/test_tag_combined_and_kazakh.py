"""Rubrics that join the names of several rights, and Kazakh negation of triggers."""

from __future__ import annotations

import pytest

from normref.model import Incident, Span
from normref.rules import compiled_rules, is_kazakh_negated_verb
from normref.tag import Tagger, match_rubric


def obligations(tagger: Tagger, text: str, rubric: str | None = None):
    inc = Incident(id="t", text=text, span=Span(0, len(text)), rubric=rubric)
    return {o.provision: o for o in tagger.tag(inc).obligations}


# ---------------------------------------------------------------- combined rubrics

COMBINED = [
    # rubric as written                                      -> every right it names
    ("«Право на свободу объединений и мирных собраний»", {"association", "assembly"}),
    ("Право на свободу мирных собраний и объединений", {"assembly", "association"}),
    ("«Свобода слова и доступ к информации»", {"expression"}),
    ("«Право на свободу и личную неприкосновенность, запрет пыток»", {"liberty", "torture"}),
    ("Право на свободу слова и мирных собраний", {"expression", "assembly"}),
    ("Свобода слова, свобода собраний и объединений",
     {"expression", "assembly", "association"}),
    ("Право на жизнь и здоровье", {"life", "health"}),
    ("Freedom of expression and freedom of assembly", {"expression", "assembly"}),
    # one right whose name holds «и» stays one right
    ("«Право на свободу и личную неприкосновенность»", {"liberty"}),
    ("«Право на свободу объединения и на профессиональные союзы»", {"association"}),
    ("«Право на свободу совести и вероисповедания»", {"religion"}),
    ("Запрет пыток и жестокого обращения", {"torture"}),
    # cut off: still one right, never a second one made up from the fragment
    ("«Право на свободу от пыток и жестокого, бесчеловечного", {"torture"}),
    ("Право на свободу объединения и на профессион", {"association"}),
    # shared prefixes and fragments stay unknown or ambiguous
    ("«Право на свободу", set()),
    ("Право на свободу и", set()),
    ("Право на свободу и правду", set()),
    ("«Право на жизнь без насилия»", set()),
    ("ПОЛНЫЙ АБЗАЦ!", set()),
]


@pytest.mark.parametrize(("rubric", "expected"), COMBINED)
def test_combined_rubric_names_every_right(catalogue, rubric, expected):
    found = match_rubric(rubric, compiled_rules(catalogue))
    assert {r.id for r in found.rules} == expected, found


def test_combined_rubric_tags_each_right_with_its_own_evidence(tagger):
    rubric = "«Право на свободу объединений и мирных собраний»"
    got = obligations(tagger, "Короткая заметка без подробностей.", rubric=rubric)
    for provision, rubric_id in [("un.iccpr#art_22", "association"),
                                 ("kz.constitution#art_23", "association"),
                                 ("un.iccpr#art_21", "assembly"),
                                 ("kz.constitution#art_32", "assembly")]:
        ob = got[provision]
        assert ob.basis == ("rubric",)
        assert [(e.text, e.detail) for e in ob.evidence] == [(rubric, f"rubric {rubric_id}")]


# ---------------------------------------------------------------- Kazakh negation

KAZAKH = [
    # text                                                  provision           tagged?
    ("Тергеу изоляторында азаптау қолданылды.", "un.iccpr#art_7", True),
    ("Тергеу изоляторында азаптау қолданылмады.", "un.iccpr#art_7", False),
    ("Оған азаптау қолданылмаған деп хабарлады.", "un.iccpr#art_7", False),
    ("Полицейлер оны азаптады.", "un.iccpr#art_7", True),
    ("Полицейлер оны азаптамады.", "un.iccpr#art_7", False),
    ("Азаптау болған жоқ.", "un.iccpr#art_7", False),
    ("Бұл азаптау емес деп мәлімдеді.", "un.iccpr#art_7", False),
    ("Ешқандай азаптау болмады.", "un.iccpr#art_7", False),
    ("Белсенді ұсталды.", "un.iccpr#art_9", True),
    ("Белсенді ұсталмады.", "un.iccpr#art_9", False),
    ("Журналист тұтқындалды.", "un.iccpr#art_9", True),
    ("Журналист тұтқындалмады.", "un.iccpr#art_9", False),
    ("Журналист қамауға алынды.", "un.iccpr#art_9", True),
    ("Журналист қамауға алынбады.", "un.iccpr#art_9", False),
    # a Russian word of the same shape negates nothing
    ("Пытки водопады громады.", "un.iccpr#art_7", True),
]


@pytest.mark.parametrize(("text", "provision", "expected"), KAZAKH)
def test_kazakh_negation(tagger, text, provision, expected):
    assert (provision in obligations(tagger, text)) is expected


NEGATED_FORMS = [
    ("қолданылмады", True), ("ұсталмады", True), ("тіркелмеген", True), ("бермейді", True),
    ("болмады", True), ("алынбады", True), ("жасалмапты", True), ("тоқтатпады", True),
    ("қолданылды", False), ("ұсталды", False), ("қамады", False), ("сабады", False),
    ("жабады", False), ("Алмас", False), ("Назарбай", False), ("громады", False),
    ("водопады", False), ("победы", False),
]


@pytest.mark.parametrize(("word", "negated"), NEGATED_FORMS)
def test_kazakh_negated_verb_forms(word, negated):
    assert is_kazakh_negated_verb(word.casefold()) is negated


# ---------------------------------------------------------------- tightened and added rules

RULE_ROWS = [
    # text, rubric, provision, tagged?
    ("Защитника к задержанному допустили лишь через двое суток.", None, "un.iccpr#art_14",
     True),
    ("Адвоката к подзащитному допустили только спустя сутки.", None,
     "kz.constitution#art_13", True),
    ("Адвокат приехал в отдел через час.", None, "un.iccpr#art_14", False),
    # a general labour rubric names no particular Covenant right
    ("Короткая заметка.", "«Трудовые права»", "kz.constitution#art_24", True),
    ("Короткая заметка.", "«Трудовые права»", "un.icescr#art_7", False),
    ("Работникам полгода не выплачивают зарплату.", "«Трудовые права»", "un.icescr#art_7",
     True),
    ("Короткая заметка.", "«Право на справедливые и благоприятные условия труда»",
     "un.icescr#art_7", True),
]


@pytest.mark.parametrize(("text", "rubric", "provision", "expected"), RULE_ROWS)
def test_rule_rows(tagger, text, rubric, provision, expected):
    assert (provision in obligations(tagger, text, rubric=rubric)) is expected
