"""Tagging incidents: rubrics, triggers (negation, windows), implied obligations,
binding_on_date, confidence, evidence and pickling."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normref.model import Incident, Span
from normref.rules import DEFAULT_WEIGHTS, compiled_rules, is_sentence_break
from normref.tag import Tagger, match_rubric


def incident(text: str, rubric: str | None = None, date: dt.date | None = None) -> Incident:
    return Incident(id="t", text=text, span=Span(0, len(text)), rubric=rubric, date=date)


def tagged(tagger: Tagger, text: str, **kw):
    return {o.provision: o for o in tagger.tag(incident(text, **kw)).obligations}


# ---------------------------------------------------------------- rubrics

RUBRICS = [
    # as written                                                   -> rubric id (None: nothing)
    ("«Право на свободу выражения мнений»", "expression"),
    ("Право на свободу выражения мнений", "expression"),
    ("«право на свободу слова»", "expression"),
    ("  «Право на свободу слова ", "expression"),  # no closing guillemet, stray spaces
    ("\"Свобода слова\"", "expression"),
    ("«Право на свободу мирных собраний»", "assembly"),
    ("«Право на свободу мирных собр", "assembly"),  # cut off inside a word
    ("«Право на свободу объединения и на профессиональные союзы»", "association"),
    ("«Право на свободу от пыток и жестокого, бесчеловечного", "torture"),
    ("Право на свободу от пыток и жестокого, бесчеловечного или унижающего", "torture"),
    ("ЗАПРЕТ ПЫТОК", "torture"),  # capitals but a known name
    ("«Право на справедливое судебное разбирательство»", "fair-trial"),
    ("«Право на свободу и личную неприкосновенность»", "liberty"),
    ("«Право на получение статуса беженца и права беженцев»", "refugees"),
    ("«Права беженцев»", "refugees"),
    ("«Право на убежище»", "refugees"),
    ("«Права трудящихся»", "workers"),
    ("«Права ребёнка»", "child"),  # ё
    ("«Свобода совести и вероисповедания»", "religion"),
    ("«Право на неприкосновенность частной жизни»", "privacy"),
    ("«Право на участие в управлении государством»", "participation"),
    ("«Право на жизнь»", "life"),
    ("«Недискриминация»", "non-discrimination"),
    ("«Права ЛГБТ»", "lgbt"),
    ("«Права женщин»", "women"),
    ("«Права людей с инвалидностью»", "disability"),
    ("«Право на культуру»", "culture"),
    ("«Право на свбоду мирных собраний»", "assembly"),  # a typo
    ("«Сөз бостандығы»", "expression"),
    ("Freedom of expression", "expression"),
    ("Prohibition of torture", "torture"),
    # nothing
    ("ПОЛНЫЙ АБЗАЦ!", None),
    ("«Полный абзац!»", None),
    ("«Прогресс?»", None),
    ("КУЛЬБИТЫ И ПИРУЭТЫ", None),  # capitals: editorial
    ("«Право на свободу", None),  # cut too early: many rights begin so
    ("«Право»", None),
    ("«Право на жизнь без насилия»", None),  # not the right to life
    ("«Право на защиту от домашнего насилия»", None),
    ("«Право на свободу мирных собраний и объединений»", "assembly"),
    ("«Погода»", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("rubric", "expected"), RUBRICS)
def test_rubric_variants(catalogue, rubric, expected):
    found = match_rubric(rubric, compiled_rules(catalogue))
    assert (found.rule.id if found.rule else None) == expected, found


def test_editorial_rubric_tags_nothing(tagger):
    assert tagged(tagger, "Сегодня в городе прошёл концерт.", rubric="ПОЛНЫЙ АБЗАЦ!") == {}


def test_rubric_alone_tags_its_primary_provisions(tagger):
    got = tagged(tagger, "Короткая заметка без подробностей.", rubric="«Право на жизнь»")
    assert {"un.iccpr#art_6", "kz.constitution#art_15"} <= got.keys()
    ob = got["un.iccpr#art_6"]
    assert ob.basis == ("rubric",)
    assert ob.evidence[0].span is None  # the rubric line is not in the incident's text
    assert ob.evidence[0].text == "«Право на жизнь»"
    assert "ccpr.gc-36" not in got  # related: not enough alone


def test_rubric_evidence_has_a_span_when_the_rubric_is_in_the_text(tagger):
    text = "«Право на жизнь»\nКороткая заметка."
    ob = tagged(tagger, text, rubric="«Право на жизнь»")["un.iccpr#art_6"]
    ev = ob.evidence[0]
    assert ev.span is not None and text[ev.span.start:ev.span.end] == ev.text


# ---------------------------------------------------------------- triggers

TRIGGERS = [
    # text, provision, expected
    ("Задержанный заявил о пытках в изоляторе.", "un.cat#art_1", True),
    ("Его пытали двое суток.", "un.iccpr#art_7", True),
    ("Следователи применяли пытки.", "un.iccpr#art_7", True),
    ("К задержанному не применялись пытки, сообщили в полиции.", "un.iccpr#art_7", False),
    ("Пыток не было, заявили в прокуратуре.", "un.iccpr#art_7", False),
    ("Никаких пыток к нему не применяли.", "un.iccpr#art_7", False),
    ("Он не сообщал о давлении. Позже он рассказал о пытках.", "un.iccpr#art_7", True),
    ("Не только пытки, но и избиения описал заявитель.", "un.iccpr#art_7", True),
    ("Ему грозит риск пыток после выдачи.", "un.cat#art_1", False),
    ("They fear torture if deported to Uzbekistan.", "un.cat#art_1", False),
    ("They fear torture if deported to Uzbekistan.", "un.cat#art_3", True),
    ("Свидетелей Иеговы оштрафовали за богослужение.", "un.iccpr#art_18", True),
    ("Власти отказали в проведении мирного митинга.", "un.iccpr#art_21", True),
    ("Беглец из Китая просит убежища в Казахстане.", "un.refugee-convention#art_1", True),
    ("Белсенді полиция бөлімінде азаптауға ұшырағанын айтты.", "un.iccpr#art_7", True),
    ("Азаптау болған жоқ, деп мәлімдеді полиция.", "un.iccpr#art_7", False),
    ("Тәуелсіз басылымның сайты бұғатталды.", "un.iccpr#art_19", True),
    ("Власти не расследуют пытки в колониях.", "un.iccpr#art_7", True),
    ("Суд не раз слышал о пытках в этом изоляторе.", "un.iccpr#art_7", True),
    ("Он прошёл допрос без пыток.", "un.iccpr#art_7", False),
    ("Активиста без суда задержали на трое суток.", "un.iccpr#art_9", True),
    ("После пожара полиция задержала владельца здания.", "un.iccpr#art_9", False),
    ("Журналиста поместили под домашний арест.", "un.iccpr#art_9", True),
    ("Блогера принудительно поместили в психиатрическую больницу.", "un.iccpr#art_9", True),
    ("Пограничники не выпустили журналиста из Казахстана.", "un.iccpr#art_12", True),
    ("Активистке запретили выезд за границу.", "un.iccpr#art_12", True),
    ("В январе власти отключили интернет по всей стране.", "un.iccpr#art_19", True),
    ("Журналисту отказали в аккредитации.", "un.iccpr#art_19", True),
    ("Акимат начал снос частных домов в поселке.", "un.icescr#art_11", True),
    ("Скорая отказала в госпитализации пенсионерке.", "un.icescr#art_12", True),
    ("Пытки к нему не применялись.", "un.iccpr#art_7", False),
    ("Ол азаптауға ұшырағанын айтты.", "un.iccpr#art_7", True),
    ("He said he was tortured in custody.", "un.iccpr#art_7", True),
    ("The police did not torture him, the ministry said.", "un.iccpr#art_7", False),
    ("Попытка договориться провалилась.", "un.iccpr#art_7", False),
    ("Он пытался дозвониться до адвоката.", "un.iccpr#art_7", False),
    # arrest, with `unless`
    ("Суд поместил журналиста под домашний арест.", "un.iccpr#art_9", True),
    ("Активиста задержали у здания акимата.", "un.iccpr#art_9", True),
    ("Суд наложил арест на имущество компании.", "un.iccpr#art_9", False),
    ("Рейс задержали на три часа.", "un.iccpr#art_9", False),
    # near windows
    ("Женщины рожают в наручниках.", "un.bangkok-rules#rule_24", True),
    ("На него надели наручники. Через год у соседей начались роды.",
     "un.bangkok-rules#rule_24", False),
    ("Наручники сняли и отпустили его домой, где жена готовилась к родам.",
     "un.bangkok-rules#rule_24", False),
    ("В СИЗО Тараза умер мужчина, ожидавший апелляции.", "un.iccpr#art_6", True),
    ("Мужчина умер в больнице после долгой болезни.", "un.iccpr#art_6", False),
    ("Аккаунты журналистов в социальных сетях были заблокированы.", "un.iccpr#art_19", True),
    ("Банк заблокировал счет компании.", "un.iccpr#art_19", False),
    ("Активисты заблокировали дорогу.", "un.iccpr#art_19", False),
    ("Сайт издания неделю подвергался DDoS-атакам.", "un.iccpr#art_19", True),
    ("Фильм сняли с проката через неделю.", "un.iccpr#art_19", True),
    ("Фильм сняли с проката через неделю.", "un.icescr#art_15", True),
    ("Участников несанкционированного митинга оштрафовали.", "un.iccpr#art_21", True),
    ("Власти отказали в регистрации партии.", "un.iccpr#art_22", True),
    ("Ей отказали в предоставлении статуса беженца.", "un.refugee-convention#art_1", True),
    ("Беженцам грозит высылка в страну, где их преследуют.",
     "un.refugee-convention#art_33", True),
    ("Адвокатам отказали во входе в здание.", "un.iccpr#art_14", True),
    ("Подростка задержали и допрашивали всю ночь без родителей.", "un.crc#art_37", True),
    ("Активисту грозит выдача в Узбекистан, где его ждут пытки.", "un.cat#art_3", True),
    ("Выдача паспортов задерживается.", "un.cat#art_3", False),
    ("Адвокатам редакции Vesti.kz отказали во входе.", "un.iccpr#art_14", True),
    ("Его пытали в изоляторе\nвременного содержания.", "un.iccpr#art_7", True),
    ("Женщины рожают\nв наручниках.", "un.bangkok-rules#rule_24", True),
    ("ЖЕНЩИНЫ РОЖАЮТ\nВ наручниках не держали никого.", "un.bangkok-rules#rule_24", False),
    ("Сенат принял закон о запрете пропаганды ЛГБТ.", "un.iccpr#art_26", True),
    # too vague alone: weak rules need a second basis
    ("В офисе провели обыск.", "un.iccpr#art_17", False),
    ("В квартире журналиста провели обыск.", "un.iccpr#art_17", True),
    ("Обыск в доме активиста длился шесть часов.", "kz.constitution#art_25", True),
    ("В центре прошёл митинг.", "un.iccpr#art_21", False),
    ("Погода в Астане была солнечной, прошёл концерт.", None, False),
]


@pytest.mark.parametrize(("text", "provision", "expected"), TRIGGERS)
def test_triggers(tagger, text, provision, expected):
    got = tagged(tagger, text)
    if provision is None:
        assert got == {}
        return
    assert (provision in got) is expected, sorted(got)
    if expected:
        assert "trigger" in got[provision].basis


NEUTRAL = [
    "Футболисты провели атаку на ворота соперника.",
    "Банк заблокировал карту клиента.",
    "Рейс задержали из-за тумана.",
    "Судебные исполнители наложили арест на автомобиль должника.",
    "Компания сообщила о смерти своего основателя.",
    "Фильм вышел в прокат в пятницу.",
    "Дети обыскали весь дом в поисках кота.",
    "Историки напомнили о депортации народов в 1940-е годы.",
    "На площади прошёл митинг в поддержку спортсменов.",
    "Его попытка побить рекорд не удалась.",
    "Магазин на улице Свободы закрылся на ремонт.",
    "Водителя лишили прав за превышение скорости.",
    "Студенты пытались решить задачу всю ночь.",
    "The city blocked the road for a marathon.",
    "Жители пожаловались на отключение воды.",
]


@pytest.mark.parametrize("text", NEUTRAL)
def test_ordinary_news_engages_nothing(tagger, text):
    assert tagged(tagger, text) == {}


@pytest.mark.parametrize(
    "text",
    ["пытки", "пыток", "пыткам", "пытками", "пытках", "ПЫТКИ", "Пытку"],
)
def test_triggers_match_every_case(tagger, text):
    assert "un.cat#art_1" in tagged(tagger, f"Правозащитники сообщили: {text}.")


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("не применялись", False),  # 2 words before
        ("не были применены", False),  # 3 words before: inside the window
        ("не говорил, что против него применялись", True),  # beyond the window
    ],
)
def test_negation_window(tagger, before, expected):
    text = f"Следователь {before} пытки к задержанному."
    assert ("un.iccpr#art_7" in tagged(tagger, text)) is expected


def test_trigger_evidence_points_at_the_phrase(tagger):
    text = "Вчера в изоляторе его пытали, сообщил адвокат."
    ob = tagged(tagger, text)["un.iccpr#art_7"]
    ev = [e for e in ob.evidence if e.basis == "trigger"][0]
    assert text[ev.span.start:ev.span.end] == ev.text == "пытали"
    assert ev.detail == "trigger torture"


@pytest.mark.parametrize(
    ("gap", "before", "expected"),
    [
        (". ", "ы", True),  # end of a sentence
        (".", "a", False),  # Orda.kz
        ("! ", "а", True),
        ("\n", "х", False),  # hard-wrapped line
        (",\n", "х", False),
        (" \n", "х", False),
        ("\n", "Ы", True),  # a headline in capitals
        ("»\n", "а", True),
        ("\n\n", "х", True),  # a blank line
        (" ", "х", False),
    ],
)
def test_sentence_breaks(gap, before, expected):
    assert is_sentence_break(gap, before) is expected


# ---------------------------------------------------------------- implied obligations

CHARGES = [
    ("Журналисту предъявили обвинение в распространении ложной информации.",
     "kz.criminal-code#art_274", {"un.iccpr#art_19", "kz.constitution#art_20"}),
    ("Его обвиняют в распространении заведомо ложной информации.",
     "kz.criminal-code#art_274", {"un.iccpr#art_19"}),
    ("Активиста оштрафовали за участие в деятельности незарегистрированной организации.",
     "kz.administrative-offences-code#art_489", {"un.iccpr#art_22"}),
    ("Блогера обвинили в разжигании социальной розни.",
     "kz.criminal-code#art_174", {"un.iccpr#art_19"}),
    ("Ему вменяют участие в деятельности запрещенной организации.",
     "kz.criminal-code#art_405", {"un.iccpr#art_22"}),
    ("Его арестовали на 10 суток за участие в несогласованном митинге.",
     "kz.administrative-offences-code#art_488", {"un.iccpr#art_21"}),
    ("Журналист жалған ақпарат таратты деген айыппен қамауға алынды.",
     "kz.criminal-code#art_274", {"un.iccpr#art_19"}),
    ("Суд признал его виновным в нарушении порядка проведения мирных собраний.",
     "kz.administrative-offences-code#art_488", {"un.iccpr#art_21"}),
    ("Блогера оштрафовали на 50 МРП за распространение ложной информации.",
     "kz.administrative-offences-code#art_456-2", {"un.iccpr#art_19"}),
]


def test_a_fine_for_false_information_is_the_administrative_offence(tagger):
    got = tagged(tagger, "Блогера оштрафовали за распространение ложной информации.")
    assert "kz.administrative-offences-code#art_456-2" in got
    assert "kz.criminal-code#art_274" not in got
    got = tagged(tagger, "Против блогера возбудили уголовное дело о распространении ложной "
                         "информации.")
    assert "kz.criminal-code#art_274" in got
    assert "kz.administrative-offences-code#art_456-2" not in got


@pytest.mark.parametrize(("text", "domestic", "international"), CHARGES)
def test_charges_imply_obligations(tagger, text, domestic, international):
    got = tagged(tagger, text)
    assert domestic in got, sorted(got)
    assert "implied" in got[domestic].basis
    for provision in international:
        assert provision in got, sorted(got)
        assert "implied" in got[provision].basis
        ev = [e for e in got[provision].evidence if e.basis == "implied"][0]
        assert text[ev.span.start:ev.span.end] == ev.text
        assert ev.detail.startswith("charge ")


def test_a_negated_charge_implies_nothing(tagger):
    got = tagged(tagger, "Обвинение не в распространении ложной информации, а в мошенничестве.")
    assert "kz.criminal-code#art_274" not in got


def test_a_cited_domestic_provision_implies_obligations(tagger):
    text = "Дело возбуждено по статье 274 Уголовного кодекса РК."
    got = tagged(tagger, text)
    if "kz.criminal-code#art_274" not in got:
        pytest.skip("citation not resolved by the grammar/resolver in this build")
    assert "citation" in got["kz.criminal-code#art_274"].basis
    assert "implied" in got["un.iccpr#art_19"].basis
    ev = [e for e in got["un.iccpr#art_19"].evidence if e.basis == "implied"][0]
    assert ev.detail == "relation false-information"
    assert text[ev.span.start:ev.span.end] == ev.text


# ---------------------------------------------------------------- binding_on_date


def test_binding_on_date_before_and_after_ratification(tagger, catalogue):
    bound_from = catalogue.instrument("un.iccpr").kz_status.in_force_for_kz
    text = "Его пытали в изоляторе."
    before = tagged(tagger, text, date=bound_from - dt.timedelta(days=1))["un.iccpr#art_7"]
    after = tagged(tagger, text, date=bound_from + dt.timedelta(days=1))["un.iccpr#art_7"]
    undated = tagged(tagger, text)["un.iccpr#art_7"]
    assert before.binding_on_date is False
    assert after.binding_on_date is True
    assert undated.binding_on_date is None


def test_soft_law_is_never_binding(tagger):
    got = tagged(tagger, "Женщины рожают в наручниках.", date=dt.date(2025, 12, 1))
    assert got["un.bangkok-rules#rule_24"].binding_on_date is False
    assert got["un.iccpr#art_7"].binding_on_date is True


# ---------------------------------------------------------------- confidence


def test_confidence_grows_with_independent_bases(tagger):
    trigger_only = tagged(tagger, "Его пытали в изоляторе.")["un.iccpr#art_7"]
    with_rubric = tagged(tagger, "Его пытали в изоляторе.", rubric="«Запрет пыток»")[
        "un.iccpr#art_7"]
    assert trigger_only.basis == ("trigger",)
    assert with_rubric.basis == ("rubric", "trigger")
    assert with_rubric.confidence > trigger_only.confidence
    text = "Его пытали в изоляторе, что нарушает статью 7 МПГПП."
    with_citation = tagged(tagger, text, rubric="«Запрет пыток»")["un.iccpr#art_7"]
    if "citation" in with_citation.basis:
        assert with_citation.confidence > with_rubric.confidence
    assert with_rubric.confidence <= 1.0


def test_repeating_one_phrase_does_not_add_confidence(tagger):
    once = tagged(tagger, "Его пытали.")["un.iccpr#art_7"].confidence
    thrice = tagged(tagger, "Его пытали. Его пытали. Его пытали.")["un.iccpr#art_7"].confidence
    assert once == thrice


PHRASES = [
    "Его пытали в изоляторе.", "Суд поместил его под домашний арест.",
    "Сайт заблокировали.", "Фильм сняли с проката.", "Ей отказали в статусе беженца.",
    "Пыток не было.", "Погода хорошая.", "Его обвиняют в распространении ложной информации.",
    "Женщины рожают в наручниках.", "В СИЗО умер мужчина.", "Прошел митинг.", "\n",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), max_size=6),
       st.sampled_from([None, "«Запрет пыток»", "ПОЛНЫЙ АБЗАЦ!", "«Право на свободу слова»"]))
def test_invariants(tagger, parts, rubric):
    text = " ".join(parts)
    result = tagger.tag(incident(text, rubric=rubric))
    for ob in result.obligations:
        assert DEFAULT_WEIGHTS.threshold <= ob.confidence <= 1
        assert ob.basis and set(ob.basis) == {e.basis for e in ob.evidence}
        assert ob.instrument == ob.provision.split("#")[0]
        for ev in ob.evidence:
            if ev.span is not None:
                assert text[ev.span.start:ev.span.end] == ev.text
    # one more independent basis never lowers a confidence
    if rubric is None:
        more = {o.provision: o for o in tagger.tag(
            incident(text, rubric="«Запрет пыток»")).obligations}
        for ob in result.obligations:
            assert more[ob.provision].confidence >= ob.confidence


# ---------------------------------------------------------------- pickling


def test_tagger_pickles_cheaply(tagger):
    data = pickle.dumps(tagger)
    assert len(data) < 2000
    clone = pickle.loads(data)
    inc = incident("Его пытали в изоляторе.", rubric="«Запрет пыток»", date=dt.date(2025, 1, 1))
    assert clone.tag(inc) == tagger.tag(inc)


def test_tagger_without_arguments_uses_the_shipped_catalogue():
    assert Tagger().tag(incident("Его пытали.")).obligations


# ---------------------------------------------------------------- weights and shortcuts


def test_weights_can_be_overridden(catalogue):
    from normref.rules import TaggingWeights

    strict = Tagger(catalogue, weights=TaggingWeights(threshold=0.8))
    inc = incident("Его пытали в изоляторе.", rubric="«Запрет пыток»")
    assert strict.tag(inc).obligations  # rubric + trigger: 0.82
    assert not strict.tag(incident("Его пытали в изоляторе.")).obligations  # trigger: 0.55
    clone = pickle.loads(pickle.dumps(strict))
    assert clone.weights.threshold == 0.8


FRAGMENTS = PHRASES + [
    "Не применялись пытки.", "Его без суда задержали", "активиста", "в квартире провели обыск",
    "Юриста Vestnik.kz не пустили.", "пыток не было", "\n\n", ";", "ЗАГОЛОВОК\n",
    "Журналиста оштрафовали", "за распространение ложной информации", "не", "нет",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_skipping_irrelevant_sentences_changes_nothing(tagger, monkeypatch_module, parts):
    """The tagger looks only at sentences that may hold a match; the result must be the
    same as looking at every word."""
    import normref.tag as tag_module

    text = " ".join(parts)
    inc = incident(text, rubric="«Запрет пыток»")
    fast = tagger.tag(inc)
    full_words = getattr(tag_module, "_all_words", None)
    if full_words is None or not hasattr(tag_module, "_relevant_words"):
        pytest.skip("no shortcut in this build")
    with monkeypatch_module.context() as mp:
        mp.setattr(tag_module, "_relevant_words",
                   lambda text, blocked, vocabulary: full_words(text, blocked))
        slow = tagger.tag(inc)
    assert fast == slow


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()
