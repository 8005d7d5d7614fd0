import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import os  # noqa: E402
import tempfile  # noqa: E402

# Tests never touch the user's own cache folder.
os.environ.setdefault("NORMREF_CACHE_DIR", tempfile.mkdtemp(prefix="normref-test-cache-"))
