"""A whole small digest, written for this test, split and tagged end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from normref.catalogue import load_catalogue
from normref.digest import parse_digest
from normref.model import tag_document, to_json
from normref.tag import Tagger

DIGEST = """\
«Право на свободу мирных собр

ШТРАФЫ ЗА ОДИНОЧНЫЕ ПИКЕТЫ
Редакция «Северного листка»
3 марта 2025 г.

Трое жителей Петропавловска вышли с плакатами к зданию городского акимата. Всех троих
доставили в отдел полиции и оштрафовали за нарушение порядка проведения мирных собраний.
Защитники напомнили, что статья 21 МПГПП гарантирует право на мирные собрания.

https://example.org/north/pickets
* * *
ПРОВЕРКА НА ДОРОГАХ
Редакция «Северного листка»
4 марта 2025 г.

Автоинспекторы провели рейд на трассе и проверили техническое состояние автобусов.
Нарушений, угрожающих пассажирам, не нашли.

https://example.org/north/buses
* * *
 «Право на свободу от пыток\u00a0

ЗАЯВЛЕНИЕ О ПЫТКАХ В ИЗОЛЯТОРЕ ВРЕМЕННОГО СОДЕРЖАНИЯ
Корреспондент «Северного листка»
5 марта 2025 г.

Задержанный по делу о краже рассказал адвокату, что в изоляторе временного содержания его
пытали, чтобы получить признание. Адвокат подал жалобу в прокуратуру.

https://example.org/north/ivs
* * *
ПОЛНЫЙ АБЗАЦ!

ВЫСТАВКУ ЗАКРЫЛИ ЧЕРЕЗ ДВА ДНЯ
Редакция «Северного листка»
6 марта 2025 г.

Галерея закрыла выставку карикатур после звонка из акимата. Художник назвал это цензурой.

https://example.org/north/gallery
"""


@pytest.fixture(scope="module")
def tagged():
    tagger = Tagger(load_catalogue())
    return [tagger.tag(inc) for inc in parse_digest(DIGEST, source="north.txt")]


def provisions(item) -> set[str]:
    return {o.provision for o in item.obligations}


def test_the_digest_splits_into_four_items(tagged):
    assert len(tagged) == 4
    assert [t.incident.date for t in tagged] == [
        dt.date(2025, 3, 3), dt.date(2025, 3, 4), dt.date(2025, 3, 5), dt.date(2025, 3, 6)]


def test_assembly_item(tagged):
    item = tagged[0]
    got = {o.provision: o for o in item.obligations}
    # a cut-off rubric, a charge, and (when the grammar resolves it) a citation
    assert {"un.iccpr#art_21", "kz.constitution#art_32",
            "kz.administrative-offences-code#art_488"} <= got.keys()
    art21 = got["un.iccpr#art_21"]
    assert {"rubric", "implied"} <= set(art21.basis)
    assert art21.binding_on_date is True
    assert art21.confidence > got["kz.administrative-offences-code#art_488"].confidence


def test_rubric_holds_for_the_next_item_but_a_neutral_text_gets_nothing_else(tagged):
    item = tagged[1]
    # the assembly rubric still holds (a digest rubric covers the items after it) ...
    assert provisions(item) <= {"un.iccpr#art_21", "kz.constitution#art_32",
                                "kz.law.peaceful-assemblies"}
    # ... but no trigger fires in a text about a road check
    assert all(o.basis == ("rubric",) for o in item.obligations)


def test_torture_item(tagged):
    got = {o.provision: o for o in tagged[2].obligations}
    for provision in ("un.iccpr#art_7", "un.cat#art_1", "un.cat#art_2", "kz.constitution#art_17"):
        assert provision in got
        assert set(got[provision].basis) == {"rubric", "trigger"}
    assert "un.cat#art_15" in got  # a confession obtained by torture


def test_editorial_rubric_item(tagged):
    item = tagged[3]
    assert item.incident.rubric and "АБЗАЦ" in item.incident.rubric.upper()
    got = {o.provision: o for o in item.obligations}
    assert set(got) == {"un.iccpr#art_19", "kz.constitution#art_20"}
    assert all(o.basis == ("trigger",) for o in got.values())


def test_evidence_offsets_in_the_json_point_into_the_file(tagged):
    doc = json.loads(json.dumps(tag_document(tagged, "test")))
    for inc in doc["incidents"]:
        for ob in inc["obligations"]:
            for ev in ob["evidence"]:
                if ev["start"] is not None:
                    assert DIGEST[ev["start"]:ev["end"]] == ev["text"]
        for cit in inc["citations"]:
            assert DIGEST[cit["start"]:cit["end"]] == cit["text"]


def test_tagging_is_deterministic(tagged):
    again = [Tagger(load_catalogue()).tag(t.incident) for t in tagged]
    assert [to_json(t) for t in again] == [to_json(t) for t in tagged]


REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "kz-digest-2025-12.txt"


@pytest.mark.skipif(not REAL.exists(), reason="the real digest is not beside the project")
def test_the_real_digest_tags_without_error():
    tagger = Tagger(load_catalogue())
    text = REAL.read_text(encoding="utf-8")
    for inc in parse_digest(text):
        result = tagger.tag(inc)
        for ob in result.obligations:
            for ev in ob.evidence:
                if ev.span is not None:
                    assert inc.text[ev.span.start:ev.span.end] == ev.text


def test_json_incidents_are_tagged_with_offsets_into_their_own_text(tmp_path):
    from normref.digest import read_incidents

    rows = [
        {"id": "a1", "text": "Активиста арестовали на 10 суток за участие в несогласованном "
                             "митинге.", "rubric": "«Право на свободу мирных собраний»",
         "date": "2025-06-01"},
        {"id": "a2", "text": "Погода в Астане солнечная.", "rubric": "ПОЛНЫЙ АБЗАЦ!"},
    ]
    path = tmp_path / "incidents.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    tagger = Tagger(load_catalogue())
    result = [tagger.tag(inc) for inc in read_incidents(str(path))]
    doc = tag_document(result, "test")
    first, second = doc["incidents"]
    assert {"un.iccpr#art_21", "un.iccpr#art_9", "kz.administrative-offences-code#art_488"} <= {
        o["provision"] for o in first["obligations"]}
    for ob in first["obligations"]:
        for ev in ob["evidence"]:
            if ev["start"] is not None:
                assert rows[0]["text"][ev["start"]:ev["end"]] == ev["text"]
    assert second["obligations"] == []
