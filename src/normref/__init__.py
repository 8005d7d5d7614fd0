"""normref: find, resolve and tag legal citations in human-rights monitoring text."""

from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import Catalogue, CatalogueError, check_catalogue, load_catalogue  # noqa: E402

__all__ = ["Catalogue", "CatalogueError", "check_catalogue", "load_catalogue", "__version__"]
