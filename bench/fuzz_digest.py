"""Fuzz the digest parser with atheris.

    mkdir -p /tmp/fuzz/digest-corpus
    python bench/fuzz_digest.py /tmp/fuzz/digest-corpus bench/fuzz_seeds/digest \
        -max_total_time=600 -artifact_prefix=/tmp/fuzz/digest-

Checks, for any input: no exception, each incident's text is exactly its span of the input,
spans in order and inside the text, ids safe as file names, unique and stable. The first byte
picks the mode: 0 = the rest is UTF-8 text (readable seeds in bench/fuzz_seeds/digest);
1, 2, 3 = the rest is the raw bytes of a .txt, .json or .jsonl file given to read_incidents
(incidents or an InputError naming the file, never another exception; read with and without
skip_bad); otherwise a digest is built from typical lines. See docs/robustness.md.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from normref.digest import parse_digest, read_incidents
    from normref.errors import InputError

FILES = Path(tempfile.mkdtemp(prefix="normref-fuzz-digest-"))
SUFFIXES = {1: "in.txt", 2: "in.json", 3: "in.jsonl"}

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
LINES = ["* * *", "«Право на свободу мирных собраний»", "«Право на свобо", "ПОЛНЫЙ АБЗАЦ!",
         "ЗАГОЛОВОК НОВОСТИ", "Вестник", "17 декабря 2025 г.", "ИСТОЧНИК:",
         "https://example.org/a", "   ", "", "Текст новости со ст. 274 УК РК.",
         "\ufeff", "\u200b* * *", "—————", "31 февраля 2025 г.", "Автор: Иванов, «Вестник»"]


def check(text: str) -> None:
    incidents = parse_digest(text, source="fuzz.txt")
    last = 0
    for inc in incidents:
        assert last <= inc.span.start <= inc.span.end <= len(text)
        assert text[inc.span.start:inc.span.end] == inc.text
        assert inc.offset_base == inc.span.start
        assert SAFE_ID.match(inc.id) and ".." not in inc.id, inc.id
        last = inc.span.end
    ids = [i.id for i in incidents]
    assert len(set(ids)) == len(ids), ids
    assert [i.id for i in parse_digest(text, source="fuzz.txt")] == ids


def check_file(name: str, data: bytes) -> None:
    path = FILES / name
    path.write_bytes(data)
    for skip_bad in (False, True):
        try:
            for inc in read_incidents(str(path), skip_bad=skip_bad):
                assert isinstance(inc.text, str) and SAFE_ID.match(inc.id), inc.id
        except InputError as error:
            assert name in str(error), str(error)


def test_one_input(data: bytes) -> None:
    if data[:1] == b"\x00":
        check(data[1:].decode("utf-8", "replace"))
        return
    if data[:1] and data[0] in SUFFIXES:
        check_file(SUFFIXES[data[0]], data[1:])
        return
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        text = fdp.ConsumeUnicodeNoSurrogates(8192)
    else:
        lines = []
        while fdp.remaining_bytes() > 0 and len(lines) < 80:
            if fdp.ConsumeIntInRange(0, 3):
                lines.append(LINES[fdp.ConsumeIntInRange(0, len(LINES) - 1)])
            else:
                lines.append(fdp.ConsumeUnicodeNoSurrogates(24))
        text = fdp.PickValueInList(["\n", "\r\n", "\r"]).join(lines)
    check(text)


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
