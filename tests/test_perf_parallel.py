"""Several workers: the same tagged incidents in the same order, with bounded input in flight."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref import parallel
from normref.cli import main
from normref.model import Incident, Span, to_json

TEXTS = [
    "Суд признал его виновным по ч. 2 ст. 274 УК РК.",
    "По словам задержанного, к нему применяли пытки.",
    "Редакция продолжает следить за событиями.",
    "Это противоречит статье 33 Конвенции ООН 1951 года о статусе беженцев.",
    "Аккаунт издания в социальной сети был заблокирован.",
]


def _incidents(n: int, consumed: list[int] | None = None) -> Iterator[Incident]:
    for k in range(n):
        if consumed is not None:
            consumed.append(k)
        text = f"{TEXTS[k % len(TEXTS)]} Запись {k}."
        yield Incident(id=f"item-{k}", text=text, span=Span(0, len(text)),
                       date=dt.date(2025, 6, 1))


def test_two_workers_give_the_same_output_in_order(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 3)  # many chunks: the window slides
    monkeypatch.setattr(parallel, "CHUNKS_PER_WORKER", 2)
    one = [to_json(t) for t in parallel.tag_incidents(_incidents(40), catalogue, jobs=1)]
    two = [to_json(t) for t in parallel.tag_incidents(_incidents(40), catalogue, jobs=2)]
    assert two == one
    assert [t["id"] for t in two] == [f"item-{k}" for k in range(40)]


def test_input_is_read_a_window_at_a_time(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 2)
    monkeypatch.setattr(parallel, "CHUNKS_PER_WORKER", 2)
    consumed: list[int] = []
    results = parallel.tag_incidents(_incidents(1000, consumed), catalogue, jobs=2)
    first = next(results)
    assert first.incident.id == "item-0"
    # the window (2 workers x 2 chunks x 2 incidents) and one chunk sent after the first
    assert len(consumed) <= 2 * 2 * 2 + 2 + 1
    results.close()


def test_workers_can_render_the_lines(catalogue, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 3)
    plain = [parallel.jsonl_line(t)
             for t in parallel.tag_incidents(_incidents(20), catalogue, jobs=1)]
    rendered = list(parallel.tag_incidents(_incidents(20), catalogue, jobs=2,
                                           render=parallel.jsonl_line))
    assert rendered == plain
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in rendered)


# ---------------------------------------------------------------- the command line, JSONL lines


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _record(k: int, **fields) -> str:
    obj = {"text": f"{TEXTS[k % len(TEXTS)]} Запись {k}.", "date": "2025-06-01", **fields}
    return json.dumps(obj, ensure_ascii=False)


# Lines that test the ids (repeated, numeric, unsafe, equal to a made-up id and to a
# de-duplicated one, absent), blank lines, and bad lines of every kind: broken JSON, not an
# object, no text, and a bad field read after the id was taken (that id stays taken).
ODD_LINES = [
    _record(0, id="a"),
    _record(1, id="a"),
    "",
    _record(2, id="a-2"),
    _record(3),
    "   ",
    _record(4, id="items-05-" + "0" * 8),
    '{"id": "b", "text": ',
    _record(5, id=7),
    _record(6, id="7"),
    "[1, 2]",
    _record(7, id="c", headline=["not", "a", "string"]),
    _record(8, id="c"),
    _record(9, id="сводка №1"),
    _record(10, id="сводка №1"),
    '{"id": "d"}',
    _record(11, id="a"),
    _record(12),
]


@pytest.fixture
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "CHUNK_SIZE", 2)  # many chunks: the window slides
    monkeypatch.setattr(parallel, "CHUNKS_PER_WORKER", 2)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_jsonl_lines_parsed_by_workers_give_the_same_output(
    tmp_path, capsys, small_chunks, fmt: str
) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(ODD_LINES) + "\n", encoding="utf-8")
    one = _cli(capsys, "tag", str(path), "--format", fmt, "--skip-bad", "--jobs", "1")
    two = _cli(capsys, "tag", str(path), "--format", fmt, "--skip-bad", "--jobs", "2")
    assert one[0] == 0
    assert two == one
    assert "4 bad record(s) skipped" in one[2]


def test_ids_are_made_unique_per_file_as_in_one_process(tmp_path, capsys, small_chunks) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(ODD_LINES), encoding="utf-8")
    one = _cli(capsys, "tag", str(path), str(path), "--format", "jsonl", "--skip-bad", "-j", "1")
    two = _cli(capsys, "tag", str(path), str(path), "--format", "jsonl", "--skip-bad", "-j", "2")
    assert two == one
    ids = [json.loads(line)["id"] for line in one[1].splitlines()]
    assert ids[:3] == ["a", "a-2", "a-2-2"]
    assert ids[: len(ids) // 2] == ids[len(ids) // 2 :]  # each file has its own ids


@pytest.mark.parametrize("bad_line", ['{"text": ', '{"id": "x"}', "[]"])
def test_a_bad_line_stops_both_after_the_same_output(
    tmp_path, capsys, small_chunks, bad_line: str
) -> None:
    lines = [_record(k, id=f"item-{k}") for k in range(9)]
    lines.insert(6, bad_line)
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = _cli(capsys, "tag", str(path), "--format", "jsonl", "--jobs", "1")
    two = _cli(capsys, "tag", str(path), "--format", "jsonl", "--jobs", "2")
    assert one[0] == 1
    assert two == one
    assert f"{path}:7: " in one[2]
    assert len(one[1].splitlines()) == 6  # every line before the bad one was written


def test_an_unreadable_line_stops_both_after_the_same_output(tmp_path, capsys,
                                                             small_chunks) -> None:
    good = "\n".join(_record(k, id=f"item-{k}") for k in range(7)).encode("utf-8")
    path = tmp_path / "items.jsonl"
    path.write_bytes(good + b"\n" + b'{"text": "\xff"}\n' + _record(8).encode("utf-8"))
    one = _cli(capsys, "tag", str(path), "--format", "jsonl", "--jobs", "1")
    two = _cli(capsys, "tag", str(path), "--format", "jsonl", "--jobs", "2")
    assert one[0] == 1
    assert two == one
    assert "not valid utf-8" in one[2] and len(one[1].splitlines()) == 7


def test_digest_input_gives_the_same_output(tmp_path, capsys, small_chunks) -> None:
    from normref.resources import sample_digest

    digest = str(sample_digest())
    one = _cli(capsys, "tag", digest, "--format", "jsonl", "--jobs", "1")
    two = _cli(capsys, "tag", digest, "--format", "jsonl", "--jobs", "2")
    assert one[0] == 0 and one[1]
    assert two == one


_ids = st.one_of(st.none(), st.sampled_from(["a", "a-2", "b", "7", "сводка", "x y"]),
                 st.integers(0, 3))
_lines = st.lists(
    st.one_of(
        st.builds(lambda k, i: _record(k, **({} if i is None else {"id": i})),
                  st.integers(0, 20), _ids),
        st.sampled_from(["", '{"text": 1}', "{", _record(1, id="z", date="no date")]),
    ),
    max_size=12,
)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_lines)
def test_any_jsonl_gives_the_same_lines_with_two_workers(lines, catalogue, monkeypatch,
                                                         tmp_path) -> None:
    from normref.digest import read_incidents
    from normref.errors import InputError

    monkeypatch.setattr(parallel, "CHUNK_SIZE", 3)
    path = tmp_path / "any.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")

    def tagged(jobs: int) -> tuple[list[str], list[str]]:
        skipped: list[InputError] = []
        items = read_incidents(str(path), skip_bad=True, on_skip=skipped.append,
                               jsonl_lines=jobs > 1)
        out = list(parallel.tag_incidents(items, catalogue, jobs=jobs,
                                          render=parallel.jsonl_line, on_error=skipped.append))
        return out, [str(e) for e in skipped]

    assert tagged(2) == tagged(1)


def _lines_or_error(read, data: bytes, encoding: str) -> tuple[list, str | None]:
    import io

    from normref.errors import InputError

    got: list = []
    try:
        for item in read(io.BytesIO(data), "in.jsonl", encoding):
            got.append(item)
    except InputError as error:
        return got, str(error)
    return got, None


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from([b"a", b"\xd1\x8f", b"\r", b"\n", b"\r\n", b" ", b"\xef\xbb\xbf",
                                    b"\xff", b"\x0b", b"\x85", b"{}"]), max_size=30),
    block=st.integers(1, 8),
    encoding=st.sampled_from(["utf-8", "cp1251", "latin-1"]),
)
def test_the_block_line_reader_reads_as_a_whole_file_split(parts, block, encoding) -> None:
    """The streaming reader (blocks as small as one byte, so a \\r\\n or a character may be
    cut) gives the lines and the error of reading the whole input at once."""
    from normref import digest

    data = b"".join(parts)
    streamed = _lines_or_error(
        lambda s, n, e: digest._decoded_lines(s, n, e, block=block), data, encoding)
    assert streamed == _lines_or_error(_whole_file_lines, data, encoding)


def _whole_file_lines(stream, name: str, encoding: str):
    """The reference: split all the bytes at \\r\\n, \\r or \\n, decode line by line."""
    import re

    from normref.errors import InputError

    data = stream.read()
    utf8 = encoding == "utf-8"
    pieces = re.split(rb"\r\n|\r|\n", data)
    if pieces and pieces[-1] == b"":
        pieces.pop()  # the last line's end ends no line of its own
    offset = 0
    for lineno, raw in enumerate(pieces, 1):
        start = offset
        offset += len(raw) + (2 if data[offset + len(raw):].startswith(b"\r\n") else 1)
        if lineno == 1 and utf8 and raw.startswith(b"\xef\xbb\xbf"):
            raw, start = raw[3:], start + 3
        try:
            yield lineno, raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(name, f"not valid {encoding} at byte {start + error.start}: "
                                   f"{error.reason}", line=lineno) from None


def _id_and_obligations(tagged) -> tuple:
    return tagged.incident.id, tuple(o.provision for o in tagged.obligations)


@pytest.mark.parametrize("render", [None, parallel.jsonl_line, _id_and_obligations])
def test_repeated_ids_come_out_renamed_whatever_the_render(tmp_path, catalogue, small_chunks,
                                                           render) -> None:
    from normref.digest import read_incidents

    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(ODD_LINES), encoding="utf-8")

    def tagged(jobs: int) -> list:
        items = read_incidents(str(path), skip_bad=True, jsonl_lines=jobs > 1)
        out = parallel.tag_incidents(items, catalogue, jobs=jobs, render=render,
                                     on_error=lambda error: None)
        return [to_json(t) for t in out] if render is None else list(out)

    assert tagged(2) == tagged(1)


def test_words_first_met_by_workers_are_remembered_for_the_next_run(tmp_path) -> None:
    """Forked workers end without running atexit; they still write what the dictionary said
    of new words, so the next run over the same words need not load it."""
    import os
    import subprocess
    import sys

    from normref import cache, morph

    path = tmp_path / "items.jsonl"
    line = "К задержанному Жаксылыкову применяли пытки в изоляторе, сообщил адвокат."
    path.write_text("".join(json.dumps({"id": f"x{k}", "text": f"{line} Запись {k}."},
                                       ensure_ascii=False) + "\n" for k in range(20)),
                    encoding="utf-8")
    folder = tmp_path / "cache"
    env = {**os.environ, "NORMREF_CACHE_DIR": str(folder)}
    subprocess.run([sys.executable, "-m", "normref", "tag", str(path), "--format", "jsonl",
                    "--jobs", "2"], env=env, check=True, capture_output=True)
    stored = cache._read(folder / "morph.pickle", cache.digest_of([morph.morph_versions()]))
    assert isinstance(stored, dict)
    assert ("lemma", "жаксылыкову") in stored
