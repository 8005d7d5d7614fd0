"""Where the data shipped with normref lives: the catalogue, the grammar, the sample digest.

In a wheel, ``norms/`` and ``grammars/`` are installed inside the package
(``normref/norms``, ``normref/grammars``). In a source checkout (or an editable
install) they stay at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"normref data folder {name!r} not found beside the package ({_PACKAGE}); "
        "is the installation complete?"
    )


@cache
def norms_dir() -> Path:
    """The catalogue folder shipped with normref."""
    return _find("norms")


@cache
def grammars_dir() -> Path:
    """The folder of Lark grammars shipped with normref."""
    return _find("grammars")


def sample_digest() -> Path:
    """The bundled sample digest used by ``normref report`` with no arguments."""
    return _PACKAGE / "data" / "sample-digest.txt"
