"""Parallel and distributed tagging give exactly the single-process output, in order."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from normref.catalogue import load_catalogue
from normref.digest import read_incidents
from normref.model import to_json
from normref.parallel import tag_incidents, tag_jsonl_partition
from normref.tag import Tagger

ITEMS = [
    "Суд оштрафовал журналиста по ч. 2 ст. 274 УК РК за пост в социальной сети.",
    "Заявитель сообщил, что в изоляторе к нему применяли пытки и надевали наручники.",
    "Просителю убежища грозит высылка вопреки статье 33 Конвенции о статусе беженцев.",
    "Участников мирного собрания привлекли по статье 488 КоАП.",
    "В статье журналист рассказал о погоде.",
]


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "items.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(60):
            obj = {"id": f"item-{n}", "date": f"2025-{n % 12 + 1:02d}-15",
                   "text": ITEMS[n % len(ITEMS)] + f" Случай номер {n}."}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return path


def single_process(path: Path) -> list[dict]:
    catalogue = load_catalogue()
    return [to_json(t) for t in tag_incidents(read_incidents(str(path)), catalogue, jobs=1)]


def test_jobs_give_same_output_in_same_order(jsonl: Path) -> None:
    catalogue = load_catalogue()
    expected = single_process(jsonl)
    got = [to_json(t) for t in tag_incidents(read_incidents(str(jsonl)), catalogue, jobs=2)]
    assert got == expected
    assert any(item["obligations"] for item in expected)


def test_tagger_pickles_cheaply() -> None:
    tagger = Tagger(load_catalogue())
    data = pickle.dumps(tagger)
    assert len(data) < 20_000
    clone = pickle.loads(data)
    incident = next(read_incidents_from_text(ITEMS[0]))
    assert to_json(clone.tag(incident)) == to_json(tagger.tag(incident))


def read_incidents_from_text(text: str):
    from normref.digest import parse_digest

    return iter(parse_digest(text, source="t.txt"))


def test_partition_function_matches_single_process(jsonl: Path) -> None:
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    expected = single_process(jsonl)
    got = tag_jsonl_partition(lines[:30]) + tag_jsonl_partition(lines[30:])
    for item in expected:
        item["source"] = "<partition>"
    assert got == expected


def test_dask_local_cluster_matches_single_process(jsonl: Path) -> None:
    """The docs/scaling.md example, on a LocalCluster with two worker processes."""
    dask_bag = pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("dask.distributed")
    expected = single_process(jsonl)
    for item in expected:
        item["source"] = "<partition>"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  scheduler_port=0, dashboard_address=None,
                                  host="127.0.0.1", silence_logs=40) as cluster:
        with distributed.Client(cluster, timeout="120s"):
            bag = dask_bag.read_text(str(jsonl), blocksize=2_000)
            assert bag.npartitions > 1
            got = bag.map_partitions(tag_jsonl_partition).compute()
    assert got == expected
