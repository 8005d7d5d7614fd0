import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import os  # noqa: E402
import tempfile  # noqa: E402

# Tests never touch the user's own cache folder.
os.environ.setdefault("NORMREF_CACHE_DIR", tempfile.mkdtemp(prefix="normref-test-cache-"))


@pytest.fixture(scope="session")
def catalogue():
    """The shipped catalogue, loaded once for the tests that need it."""
    from normref.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def tagger(catalogue):
    """A tagger over the shipped catalogue."""
    from normref.tag import Tagger

    return Tagger(catalogue)
