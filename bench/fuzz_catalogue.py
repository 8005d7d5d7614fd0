"""Fuzz the catalogue loader with atheris.

    python bench/fuzz_catalogue.py -max_total_time=600

Writes each input as an instrument file of a small catalogue folder and checks the loader
reports problems (file:line) instead of raising. See docs/robustness.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from normref.catalogue import check_catalogue

ROOT = Path(tempfile.mkdtemp(prefix="normref-fuzz-"))
(ROOT / "catalogue.yaml").write_text('version: "2026.01.01"\n', encoding="utf-8")
(ROOT / "international").mkdir()
TARGET = ROOT / "international" / "un.fuzz.yaml"


def test_one_input(data: bytes) -> None:
    TARGET.write_bytes(data)
    problems = check_catalogue(ROOT)
    for problem in problems:
        assert problem.file and problem.message


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
