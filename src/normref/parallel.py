"""Tagging many incidents, in one process or in several, always in input order."""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .model import Incident, TaggedIncident

#: Incidents handed to a worker at a time; large enough to amortise pickling.
CHUNK_SIZE = 64

_worker_tagger = None


def _init_worker(tagger) -> None:
    global _worker_tagger
    _worker_tagger = tagger


def _tag_in_worker(incident: Incident) -> TaggedIncident:
    assert _worker_tagger is not None
    return _worker_tagger.tag(incident)


def tag_incidents(
    incidents: Iterable[Incident], catalogue: Catalogue, *, jobs: int = 1
) -> Iterator[TaggedIncident]:
    """Tag incidents lazily, in the order given, with ``jobs`` worker processes.

    Input is consumed as a stream: at most a bounded number of chunks are in
    flight, so memory stays flat on large JSONL inputs.
    """
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
        window = jobs * 4
        while True:
            batch = list(itertools.islice(iterator, CHUNK_SIZE * window))
            if not batch:
                break
            yield from pool.imap(_tag_in_worker, batch, chunksize=CHUNK_SIZE)
