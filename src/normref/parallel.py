"""Tagging many incidents, in one process or in several, always in input order."""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .digest import JsonlLine
    from .errors import InputError
    from .model import Incident, TaggedIncident

#: Most items (incidents or JSONL lines) handed to a worker at a time: the cap for many short
#: items; for the usual ones ``CHUNK_CHARS`` closes the chunk first.
CHUNK_SIZE = 128
#: A chunk is closed once its texts hold this many characters: work per chunk stays about the
#: same whatever the size of the incidents, and small enough that the last chunks of a run
#: leave no worker idle for long.
CHUNK_CHARS = 48_000
#: Chunks in flight per worker: enough to keep every worker busy while the parent writes.
CHUNKS_PER_WORKER = 4

_worker_tagger = None


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity where the platform tells it)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(tagger, collecting: bool = True) -> None:
    global _worker_tagger
    _worker_tagger = tagger
    # a forked worker ends without running atexit: write what it learnt of new words
    # (the morphology memos) as it shuts down, so the next run need not load the dictionary
    from multiprocessing.util import Finalize

    from .cache import flush_memos

    Finalize(None, flush_memos, exitpriority=10)
    if collecting:
        gc.enable()  # the parent turned it off while loading (see tag_incidents)


class _TakenIds:
    """Stands in for a JSONL file's ids in a worker: records the id a line asks for. The
    parent, which sees every line in order, makes it unique (``_Ids.unique``)."""

    def __init__(self) -> None:
        self.taken: str | None = None

    def take(self, given: str | None, source: str, number: int, text: str) -> str:
        from .digest import _Ids

        self.taken = _Ids.candidate(given, source, number, text)
        return self.taken


class _FixedIds:
    """Hands out the one id the parent chose for a line."""

    def __init__(self, value: str) -> None:
        self.value = value

    def take(self, given: str | None, source: str, number: int, text: str) -> str:
        return self.value


def _tag_line(line: JsonlLine, render: Callable[[TaggedIncident], Any] | None) -> tuple:
    """Parse, tag and render one JSONL line in a worker: ``(id asked for or None, result,
    None)``, or ``(id asked for or None, None, (file, message, line))`` for a bad line."""
    from .errors import InputError

    ids = _TakenIds()
    try:
        incident = line.incident(ids)  # type: ignore[arg-type]
    except InputError as error:  # sent as a tuple: InputError does not survive pickling
        return ids.taken, None, (error.file, error.message, error.line)
    assert _worker_tagger is not None
    tagged = _worker_tagger.tag(incident)
    return ids.taken, tagged if render is None else render(tagged), None


def _tag_chunk(chunk: list, render: Callable[[TaggedIncident], Any] | None) -> list:
    """Tag a chunk of incidents and JSONL lines in a worker. For an incident, with
    ``render``, send back what it makes of the tagged incident; else every field but the
    incident, which the parent has. For a JSONL line, see :func:`_tag_line`."""
    import attrs

    from .digest import JsonlLine

    assert _worker_tagger is not None
    out: list = []
    for item in chunk:
        if isinstance(item, JsonlLine):
            out.append(_tag_line(item, render))
            continue
        tagged = _worker_tagger.tag(item)
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
    index, the grammar tables and what the morphological dictionary said of words met in
    earlier runs (forked workers share them). The dictionary itself is left to the workers
    that meet a new word: loading it here would hold up every worker even when none needs it."""
    try:
        from .extract import parser_tables
        from .grammar_tokens import _MORPH_MEMO
        from .morph import _MEMO

        tagger.resolver  # noqa: B018 - built on first access
        parser_tables()
        _MEMO.load()
        _MORPH_MEMO.load()
    except Exception:  # noqa: BLE001 - only a head start: a worker loads what it lacks
        pass


def _raise(error: InputError) -> None:
    raise error


class _InOrder:
    """The parent's side of JSONL lines: the ids of each file, made unique in input order
    exactly as :func:`normref.digest.read_incidents` makes them, and bad lines passed to
    ``on_error`` in their turn."""

    def __init__(self, tagger: Any, render: Callable[[TaggedIncident], Any] | None,
                 on_error: Callable[[InputError], None]) -> None:
        self.tagger = tagger
        self.render = render
        self.on_error = on_error
        self.ids: Any = None

    def _file_ids(self, line: JsonlLine) -> Any:
        from .digest import _Ids

        if line.number == 1 or self.ids is None:  # every file's first line is number 1
            self.ids = _Ids()
        return self.ids

    def tag(self, line: JsonlLine) -> Iterator[Any]:
        """Tag a line here, in the parent (one process)."""
        from .errors import InputError

        try:
            incident = line.incident(self._file_ids(line))
        except InputError as error:
            self.on_error(error)
            return
        tagged = self.tagger.tag(incident)
        yield tagged if self.render is None else self.render(tagged)

    def finish(self, line: JsonlLine, taken: str | None, result: Any,
               error: tuple | None) -> Iterator[Any]:
        """What a worker made of a line, with its id made unique among the file's."""
        from .errors import InputError

        ids = self._file_ids(line)
        unique = ids.unique(taken) if taken is not None else None
        if error is not None:
            file, message, number = error
            self.on_error(InputError(file, message, line=number))
            return
        if unique != taken:  # an earlier line took that id
            result = self._renamed(line, taken, unique, result)
        yield result

    def _renamed(self, line: JsonlLine, taken: Any, unique: str, result: Any) -> Any:
        """What a worker made of a line, under the id the parent chose for it."""
        import attrs

        if self.render is None:  # tagging never reads the id
            return attrs.evolve(result, incident=attrs.evolve(result.incident, id=unique))
        if self.render is jsonl_line:  # the id is the line's first field, and only there
            head = _id_head(taken)
            if result.startswith(head):
                return _id_head(unique) + result[len(head):]
        tagged = self.tagger.tag(line.incident(_FixedIds(unique)))  # type: ignore[arg-type]
        return self.render(tagged)


def _id_head(ident: str) -> str:
    import json

    return '{"id": ' + json.dumps(ident, ensure_ascii=False) + ","


def tag_incidents(
    incidents: Iterable[Incident | JsonlLine],
    catalogue: Catalogue,
    *,
    jobs: int = 1,
    render: Callable[[TaggedIncident], Any] | None = None,
    on_error: Callable[[InputError], None] = _raise,
) -> Iterator[Any]:
    """Tag incidents lazily, in the order given, with ``jobs`` worker processes (``jobs`` of 1
    or less: in this process, no workers; :func:`usable_cores` tells how many cores this
    process may use).

    Yields each :class:`TaggedIncident`, or ``render(tagged)`` when a ``render`` function is
    given (a module-level function: it runs in the workers, so the parent only passes on what
    they make, e.g. :func:`jsonl_line`).

    Items may also be unparsed JSONL lines (:class:`normref.digest.JsonlLine`, from
    ``read_incidents(..., jsonl_lines=True)``): workers then parse them too, so the parent
    only reads lines and writes results. Ids come out as ``read_incidents`` makes them; a
    malformed line goes to ``on_error`` (which raises it unless told otherwise) in its turn.

    Input is consumed as a stream: at most ``jobs * CHUNKS_PER_WORKER`` chunks of at most
    ``CHUNK_SIZE`` items are in flight, so memory stays flat on large JSONL inputs, and a
    new chunk is sent as soon as the oldest one comes back, so workers never wait for a batch
    to drain. An error reading the input is raised after every item before it is yielded.
    """
    from .digest import JsonlLine
    from .model import TaggedIncident
    from .tag import Tagger

    if jobs <= 1:
        tagger = Tagger(catalogue)
        lines = _InOrder(tagger, render, on_error)
        for item in incidents:
            if isinstance(item, JsonlLine):
                yield from lines.tag(item)
                continue
            tagged = tagger.tag(item)
            yield tagged if render is None else render(tagged)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .cache import flush_memos

    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    # What the workers share is loaded with the collector off and then frozen before the
    # fork (the recipe of the gc module's docs): loading makes no collections, and the
    # workers' collections never walk, nor copy-on-write, the parent's objects.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tagger = Tagger(catalogue)
        if fork:
            _load_shared(tagger)
            flush_memos()  # written once here, not again by every worker
            gc.freeze()
        # (not multiprocessing.Pool: its worker-handler thread spins while each result waits
        # to be read, and the results here are big, so it took a tenth of a core)
        pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker,
                                   initargs=(tagger, collecting))
        pool.submit(int)  # forks the workers now, while the loaded objects are frozen
    finally:
        gc.unfreeze()  # the parent's own objects are collectable again
        if collecting:
            gc.enable()
    lines = _InOrder(tagger, render, on_error)
    finished = False
    try:
        iterator = iter(incidents)
        pending: deque[tuple[list, Any]] = deque()
        failed: list[BaseException] = []

        def next_chunk() -> list:
            chunk: list = []
            chars = 0
            try:
                for item in iterator:
                    chunk.append(item)
                    chars += len(item.text)
                    if len(chunk) >= CHUNK_SIZE or chars >= CHUNK_CHARS:
                        break
            except Exception as error:  # noqa: BLE001 - raised in its turn, after the chunk
                failed.append(error)
            return chunk

        def send() -> bool:
            if failed:
                return False
            chunk = next_chunk()
            if chunk:
                pending.append((chunk, pool.submit(_tag_chunk, chunk, render)))
            return bool(chunk) and not failed

        for _ in range(jobs * CHUNKS_PER_WORKER):
            if not send():
                break
        while pending:
            chunk, result = pending.popleft()
            made = result.result()
            send()
            for item, out in zip(chunk, made, strict=True):
                if isinstance(item, JsonlLine):
                    yield from lines.finish(item, *out)
                elif render is not None:
                    yield out
                else:
                    yield TaggedIncident(incident=item, **out)
        finished = True
        if failed:
            raise failed[0]
    finally:  # stopped early (an error, or the reader went away): drop the queued chunks
        pool.shutdown(wait=True, cancel_futures=not finished)


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
