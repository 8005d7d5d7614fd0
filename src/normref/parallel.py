"""Tagging many incidents, in one process or in several, always in input order."""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
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


def _tag_chunk(chunk: list[Incident], render: Callable[[TaggedIncident], Any] | None) -> list:
    """Tag a chunk in a worker. With ``render``, send back what it makes of each tagged
    incident; else every field but the incident, which the parent has."""
    import attrs

    assert _worker_tagger is not None
    out = []
    for incident in chunk:
        tagged = _worker_tagger.tag(incident)
        if render is not None:
            out.append(render(tagged))
        else:
            out.append({f.name: getattr(tagged, f.name) for f in attrs.fields(type(tagged))
                        if f.name != "incident"})
    return out


def jsonl_line(tagged: TaggedIncident) -> str:
    """One line of ``normref tag --format jsonl`` output (a ``render`` for
    :func:`tag_incidents`: workers then send back finished lines)."""
    import json

    from .model import to_json

    return json.dumps(to_json(tagged), ensure_ascii=False) + "\n"


def _load_shared(tagger: Any) -> None:
    """Load, before forking, what every worker would otherwise load for itself: the resolver's
    index, the grammar tables and the morphological dictionary (forked workers share them)."""
    try:
        from .extract import parser_tables
        from .morph import _analyzer

        tagger.resolver  # noqa: B018 - built on first access
        parser_tables()
        _analyzer()
    except Exception:  # noqa: BLE001 - only a head start: a worker loads what it lacks
        pass


def tag_incidents(
    incidents: Iterable[Incident],
    catalogue: Catalogue,
    *,
    jobs: int = 1,
    render: Callable[[TaggedIncident], Any] | None = None,
) -> Iterator[Any]:
    """Tag incidents lazily, in the order given, with ``jobs`` worker processes.

    Yields each :class:`TaggedIncident`, or ``render(tagged)`` when a ``render`` function is
    given (a module-level function: it runs in the workers, so the parent only passes on what
    they make, e.g. :func:`jsonl_line`).

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
            tagged = tagger.tag(incident)
            yield tagged if render is None else render(tagged)
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        _load_shared(tagger)
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(tagger,)) as pool:
        iterator = iter(incidents)
        pending: deque[tuple[list[Incident], Any]] = deque()

        def send() -> bool:
            chunk = list(itertools.islice(iterator, CHUNK_SIZE))
            if chunk:
                pending.append((chunk, pool.apply_async(_tag_chunk, (chunk, render))))
            return bool(chunk)

        for _ in range(jobs * CHUNKS_PER_WORKER):
            if not send():
                break
        while pending:
            chunk, result = pending.popleft()
            made = result.get()
            send()
            if render is not None:
                yield from made
                continue
            for incident, rest in zip(chunk, made, strict=True):
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
