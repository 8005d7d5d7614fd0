"""A small on-disk cache of compiled objects (the loaded catalogue, the compiled grammar).

A cache file is trusted only when all of these hold; otherwise the object is rebuilt and the
file rewritten:

* it starts with normref's magic bytes and the normref and Python versions that wrote it;
* it was written for the same key (a digest of everything the object is built from: the
  catalogue's YAML bytes, the grammar's text ...);
* the SHA-256 of its payload matches the one in its header (a torn or corrupt file is refused
  before it is unpickled).

The folder is ``$NORMREF_CACHE_DIR``, else ``$XDG_CACHE_HOME/normref``, else
``~/.cache/normref``. ``NORMREF_CACHE_DIR=off`` disables the cache. Writing is atomic (a
temporary file renamed into place); a folder that cannot be written is silently skipped.
Objects kept per source (``catalogue-<hash of its folder>``) are bounded: after a write, only the
:data:`KEEP_PER_KIND` most recently written files of that kind are kept, so a cache used with
many catalogue folders (temporary copies, checkouts) does not grow without end.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from . import __version__

T = TypeVar("T")
MAGIC = b"NORMREF-CACHE-1\n"
#: Files kept per kind of object (``catalogue-…``, ``resolver-…``), the newest first.
KEEP_PER_KIND = 8


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    configured = os.environ.get("NORMREF_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none", "") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "normref"


def digest_of(parts: Iterable[bytes | str]) -> str:
    """A hex digest of the things an object is built from."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _header(key: str, payload_digest: str) -> bytes:
    version = f"{__version__}|{sys.version_info.major}.{sys.version_info.minor}"
    return MAGIC + f"{version}\n{key}\n{payload_digest}\n".encode("ascii")


def load_or_build(name: str, key: str, build: Callable[[], T]) -> T:
    """Return the cached object for ``name``/``key``, or build it and cache it."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}.pickle"
    cached = _read(path, key)
    if cached is not None:
        return cached
    value = build()
    _write(folder, path, key, value)
    return value


def _read(path: Path, key: str):
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        version, file_key, payload_digest, payload = data[len(MAGIC):].split(b"\n", 3)
    except ValueError:
        return None
    expected = _header(key, payload_digest.decode("ascii", "replace"))
    if data[: len(expected)] != expected or file_key.decode("ascii", "replace") != key:
        return None
    if hashlib.sha256(payload).hexdigest() != payload_digest.decode("ascii", "replace"):
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - our own file, checked above
    except Exception:  # noqa: BLE001 - any unpickling failure means: rebuild
        return None


def _write(folder: Path, path: Path, key: str, value: object) -> None:
    import tempfile  # only when writing: kept off the cold path

    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(_header(key, hashlib.sha256(payload).hexdigest()))
            out.write(payload)
        os.replace(tmp, path)
        _prune(folder, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass


def _prune(folder: Path, written: Path) -> None:
    """Delete all but the newest :data:`KEEP_PER_KIND` files of the kind just written (a name
    ``<kind>-<16 hex digits>.pickle``); other names are left alone."""
    kind, _, tag = written.stem.rpartition("-")
    if not kind or len(tag) != 16 or not all(c in "0123456789abcdef" for c in tag):
        return
    files = []
    for file in folder.glob(f"{kind}-" + "?" * 16 + ".pickle"):
        try:
            files.append((file.stat().st_mtime, file))
        except OSError:
            continue
    files.sort(reverse=True)
    for _, file in files[KEEP_PER_KIND:]:
        if file != written:
            try:
                file.unlink()
            except OSError:
                pass


class DiskMemo:
    """Answers that are dear to compute the first time in a process (they need the
    morphological dictionary loaded) but cheap to keep, remembered between runs.

    ``get(key, compute)`` answers from memory, else from the file ``<name>.pickle`` of the
    cache folder (read once, on first use, and trusted only under the same ``version`` and
    checks as any cache file), else by calling ``compute()``. New answers are written back
    when the process exits, merged with what the file holds by then, keeping the newest
    ``limit`` answers. ``version`` must name everything the answers depend on.
    """

    def __init__(self, name: str, version: Callable[[], str], limit: int = 20_000) -> None:
        self.name = name
        self._version = version
        self.limit = limit
        self._known: dict[Hashable, Any] | None = None
        self._new: dict[Hashable, Any] = {}
        self._key: str | None = None
        _MEMOS.add(self)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        known = self._known if self._known is not None else self._load()
        try:
            return known[key]
        except KeyError:
            pass
        value = compute()
        known[key] = self._new[key] = value
        if len(known) > 4 * self.limit:  # bounded in memory too, on endless new words
            known.clear()
        if len(self._new) > 2 * self.limit:  # only the newest ``limit`` are written
            self._new = dict(list(self._new.items())[-self.limit:])
        return value

    def load(self) -> None:
        """Read the file now (before forking workers that should share it)."""
        if self._known is None:
            self._load()

    def _load(self) -> dict[Hashable, Any]:
        self._known = {}
        folder = cache_dir()
        if folder is None:
            return self._known
        self._key = digest_of([self._version()])
        stored = _read(folder / f"{self.name}.pickle", self._key)
        if isinstance(stored, dict):
            self._known.update(stored)
        import atexit

        atexit.register(self.flush)
        return self._known

    def flush(self) -> None:
        """Write the answers computed since the last flush (at exit, or when called)."""
        folder = cache_dir()
        if not self._new or folder is None or self._key is None:
            return
        path = folder / f"{self.name}.pickle"
        with _locked(folder, path):  # workers of one run may flush at the same moment
            stored = _read(path, self._key)
            merged: dict[Hashable, Any] = stored if isinstance(stored, dict) else {}
            merged.update(self._new)
            if len(merged) > self.limit:
                merged = dict(list(merged.items())[-self.limit:])
            _write(folder, path, self._key, merged)
        self._new = {}


@contextmanager
def _locked(folder: Path, path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (where the platform has ``fcntl``; a folder
    that cannot be locked is used unlocked: the worst case is a lost answer, never a bad one)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(path.with_suffix(".lock"), "ab")  # noqa: SIM115 - closed below
    except OSError:
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass
        yield


_MEMOS: weakref.WeakSet[DiskMemo] = weakref.WeakSet()


def flush_memos() -> None:
    """Write the new answers of every :class:`DiskMemo` now. A process that ends without
    running ``atexit`` (a forked worker of ``--jobs``) calls this before it ends."""
    for memo in list(_MEMOS):
        memo.flush()
