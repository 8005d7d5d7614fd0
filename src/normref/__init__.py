"""normref: find, resolve and tag legal citations in human-rights monitoring text."""

from __future__ import annotations

__version__ = "0.1.0"

from .annotate import annotate, render  # noqa: E402,I001  (shadows the submodule name)
from .catalogue import Catalogue, CatalogueError, check_catalogue, load_catalogue  # noqa: E402
from .resolve import Resolver, find_citations  # noqa: E402

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Resolver",
    "annotate",
    "check_catalogue",
    "find_citations",
    "load_catalogue",
    "render",
    "__version__",
]
