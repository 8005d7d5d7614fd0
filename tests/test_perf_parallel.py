"""Several workers: the same tagged incidents in the same order, with bounded input in flight."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from normref import parallel
from normref.catalogue import load_catalogue
from normref.model import Incident, Span, to_json

TEXTS = [
    "Суд признал его виновным по ч. 2 ст. 274 УК РК.",
    "По словам задержанного, к нему применяли пытки.",
    "Редакция продолжает следить за событиями.",
    "Это противоречит статье 33 Конвенции ООН 1951 года о статусе беженцев.",
    "Аккаунт издания в социальной сети был заблокирован.",
]


def _incidents(n: int, consumed: list[int] | None = None) -> Iterator[Incident]:
    for k in range(n):
        if consumed is not None:
            consumed.append(k)
        text = f"{TEXTS[k % len(TEXTS)]} Запись {k}."
        yield Incident(id=f"item-{k}", text=text, span=Span(0, len(text)),
                       date=dt.date(2025, 6, 1))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_two_workers_give_the_same_output_in_order(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 3)  # many chunks: the window slides
    monkeypatch.setattr(parallel, "CHUNKS_PER_WORKER", 2)
    one = [to_json(t) for t in parallel.tag_incidents(_incidents(40), catalogue, jobs=1)]
    two = [to_json(t) for t in parallel.tag_incidents(_incidents(40), catalogue, jobs=2)]
    assert two == one
    assert [t["id"] for t in two] == [f"item-{k}" for k in range(40)]


def test_input_is_read_a_window_at_a_time(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 2)
    monkeypatch.setattr(parallel, "CHUNKS_PER_WORKER", 2)
    consumed: list[int] = []
    results = parallel.tag_incidents(_incidents(1000, consumed), catalogue, jobs=2)
    first = next(results)
    assert first.incident.id == "item-0"
    # the window (2 workers x 2 chunks x 2 incidents) and one chunk sent after the first
    assert len(consumed) <= 2 * 2 * 2 + 2 + 1
    results.close()


def test_workers_can_render_the_lines(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 3)
    plain = [parallel.jsonl_line(t)
             for t in parallel.tag_incidents(_incidents(20), catalogue, jobs=1)]
    rendered = list(parallel.tag_incidents(_incidents(20), catalogue, jobs=2,
                                           render=parallel.jsonl_line))
    assert rendered == plain
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in rendered)
