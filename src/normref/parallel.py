"""Tagging many incidents, in one process or in several, always in input order."""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .model import Incident, TaggedIncident

#: Incidents handed to a worker at a time; large enough to amortise the round trip.
CHUNK_SIZE = 32
#: Chunks in flight per worker: enough to keep every worker busy while the parent writes.
CHUNKS_PER_WORKER = 4

_worker_tagger = None


def _init_worker(tagger) -> None:
    global _worker_tagger
    _worker_tagger = tagger


def _tag_chunk(chunk: list[Incident]) -> list[dict[str, Any]]:
    """Tag a chunk in a worker; send back every field but the incident, which the parent has."""
    import attrs

    assert _worker_tagger is not None
    out = []
    for incident in chunk:
        tagged = _worker_tagger.tag(incident)
        out.append({f.name: getattr(tagged, f.name) for f in attrs.fields(type(tagged))
                    if f.name != "incident"})
    return out


def tag_incidents(
    incidents: Iterable[Incident], catalogue: Catalogue, *, jobs: int = 1
) -> Iterator[TaggedIncident]:
    """Tag incidents lazily, in the order given, with ``jobs`` worker processes.

    Input is consumed as a stream: at most ``jobs * CHUNKS_PER_WORKER`` chunks of
    ``CHUNK_SIZE`` incidents are in flight, so memory stays flat on large JSONL inputs, and a
    new chunk is sent as soon as the oldest one comes back, so workers never wait for a batch
    to drain.
    """
    from .model import TaggedIncident
    from .tag import Tagger

    tagger = Tagger(catalogue)
    if jobs <= 1:
        for incident in incidents:
            yield tagger.tag(incident)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(tagger,)) as pool:
        iterator = iter(incidents)
        pending: deque[tuple[list[Incident], Any]] = deque()

        def send() -> bool:
            chunk = list(itertools.islice(iterator, CHUNK_SIZE))
            if chunk:
                pending.append((chunk, pool.apply_async(_tag_chunk, (chunk,))))
            return bool(chunk)

        for _ in range(jobs * CHUNKS_PER_WORKER):
            if not send():
                break
        while pending:
            chunk, result = pending.popleft()
            fields = result.get()
            send()
            for incident, rest in zip(chunk, fields, strict=True):
                yield TaggedIncident(incident=incident, **rest)


# ---------------------------------------------------------------- past one machine

_partition_taggers: dict[str | None, object] = {}


def _partition_tagger(catalogue_path: str | None):
    """One Tagger per worker process and catalogue, built on first use."""
    tagger = _partition_taggers.get(catalogue_path)
    if tagger is None:
        from .catalogue import load_catalogue
        from .tag import Tagger

        tagger = Tagger(load_catalogue(catalogue_path))
        _partition_taggers[catalogue_path] = tagger
    return tagger


def tag_jsonl_partition(
    lines: Iterable[str], catalogue_path: str | None = None, source: str = "<partition>"
) -> list[dict]:
    """Tag a partition of JSONL lines (one incident object each) into ``tag`` JSON dicts.

    The function a distributed engine maps over partitions: ``dask.bag``'s
    ``map_partitions`` or Spark's ``mapPartitions``. Each worker process builds its tagger
    once and reuses it; blank lines are skipped; a malformed line raises
    :class:`normref.errors.InputError` naming the partition and the line.
    """
    import json

    from .digest import _Ids, _incident_from_object
    from .errors import InputError
    from .model import to_json

    tagger = _partition_tagger(catalogue_path)
    ids = _Ids()
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"malformed JSON: {exc.msg}", line=number) from None
        incident = _incident_from_object(obj, source, number, ids, number)
        out.append(to_json(tagger.tag(incident)))
    return out
