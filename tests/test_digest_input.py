"""read_incidents: digests, JSON and JSONL files, encodings, BOM, stdin, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref.digest import _decoded_pieces, _stream_digest, parse_digest, read_incidents
from normref.errors import InputError

DIGEST = """«Право на свободу выражения мнений»

ПЕРВАЯ НОВОСТЬ
Агентство «Пример»
1 марта 2025 г.

Текст первой новости.
https://example.org/1
* * *
ВТОРАЯ НОВОСТЬ
Агентство «Пример»
2 марта 2025 г.

Текст второй новости.
https://example.org/2
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


# ---------------------------------------------------------------- digests


def test_digest_file_matches_parse_digest(tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", DIGEST)
    assert list(read_incidents(path)) == parse_digest(DIGEST, path)


def test_bom_is_dropped_and_offsets_point_into_decoded_text(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + DIGEST.encode("utf-8"))
    incidents = list(read_incidents(path))
    assert len(incidents) == 2
    assert incidents[0].rubric == "Право на свободу выражения мнений"
    for inc in incidents:
        assert DIGEST[inc.span.start : inc.span.end] == inc.text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends(tmp_path: Path, newline: str) -> None:
    text = DIGEST.replace("\n", newline)
    incidents = list(read_incidents(write(tmp_path, "d.txt", text)))
    assert [i.date for i in incidents] == [dt.date(2025, 3, 1), dt.date(2025, 3, 2)]
    for inc in incidents:
        assert text[inc.span.start : inc.span.end] == inc.text


def test_not_utf8_names_file_and_byte_offset(tmp_path: Path) -> None:
    data = "Текст".encode() + b"\xff" + b" end"
    path = write(tmp_path, "latin.txt", data)
    with pytest.raises(InputError) as caught:
        list(read_incidents(path))
    message = str(caught.value)
    assert "latin.txt" in message
    assert "byte 10" in message


def test_byte_offset_counts_the_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "b.txt", b"\xef\xbb\xbfab\xc3")
    with pytest.raises(InputError, match="byte 5"):
        list(read_incidents(path))


def test_other_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "cp.txt", DIGEST.encode("cp1251"))
    incidents = list(read_incidents(path, encoding="cp1251"))
    assert [i.headline for i in incidents] == ["ПЕРВАЯ НОВОСТЬ", "ВТОРАЯ НОВОСТЬ"]


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        list(read_incidents(write(tmp_path, "d.txt", DIGEST), encoding="no-such-codec"))


@pytest.mark.parametrize("name", ["empty.txt", "empty.json", "empty.jsonl"])
def test_empty_file_gives_no_incidents(tmp_path: Path, name: str) -> None:
    assert list(read_incidents(write(tmp_path, name, b""))) == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothere.txt"):
        list(read_incidents(str(tmp_path / "nothere.txt")))


def test_nul_and_control_characters(tmp_path: Path) -> None:
    text = DIGEST.replace("Текст", "Те\x00кст\x1b")
    incidents = list(read_incidents(write(tmp_path, "c.txt", text)))
    assert len(incidents) == 2
    assert "\x00" in incidents[0].text


@pytest.mark.parametrize("path", [None, "-"])
def test_stdin(monkeypatch: pytest.MonkeyPatch, path: str | None) -> None:
    fake = io.TextIOWrapper(io.BytesIO(DIGEST.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    incidents = list(read_incidents(path))
    assert len(incidents) == 2
    assert incidents[0].source == "<stdin>"
    assert incidents[0].id.startswith("stdin-01-")


def test_ten_megabyte_line(tmp_path: Path) -> None:
    import time

    text = "ЗАГОЛОВОК\n1 марта 2025 г.\n" + "слово " * 1_750_000 + "\n"
    path = write(tmp_path, "long.txt", text)
    started = time.perf_counter()
    (inc,) = list(read_incidents(path))
    assert time.perf_counter() - started < 10
    assert inc.span.end == len(text.rstrip())


# ---------------------------------------------------------------- JSON


def test_json_list(tmp_path: Path) -> None:
    objects = [
        {
            "text": "Первый случай.",
            "id": "case-1",
            "date": "2025-12-17",
            "rubric": "«Право А»",
            "headline": "H",
            "url": "https://example.org/1",
            "author": "A",
            "outlet": "O",
        },
        {"text": "Второй случай.", "urls": ["https://example.org/2", "https://example.org/3"]},
    ]
    path = write(tmp_path, "cases.json", json.dumps(objects, ensure_ascii=False))
    first, second = read_incidents(path)
    assert first.id == "case-1"
    assert first.date == dt.date(2025, 12, 17)
    assert first.rubric == "Право А"
    assert (first.headline, first.author, first.outlet) == ("H", "A", "O")
    assert first.urls == ("https://example.org/1",)
    assert (first.span.start, first.span.end, first.offset_base) == (0, len(first.text), 0)
    assert second.urls == ("https://example.org/2", "https://example.org/3")
    assert re.fullmatch(r"cases-02-[0-9a-f]{8}", second.id)


def test_json_object_with_incidents(tmp_path: Path) -> None:
    data = {"meta": {"incidents": "not these"}, "incidents": [{"text": "x"}, {"text": "y"}]}
    path = write(tmp_path, "wrapped.json", json.dumps(data))
    assert [i.text for i in read_incidents(path)] == ["x", "y"]


def test_missing_ids_are_stable(tmp_path: Path) -> None:
    path = write(tmp_path, "s.json", json.dumps([{"text": "a"}, {"text": "b"}]))
    assert [i.id for i in read_incidents(path)] == [i.id for i in read_incidents(path)]


@pytest.mark.parametrize(
    "given",
    ["../../etc/passwd", "a/b", "", " ", ".hidden", "con:", "x" * 300, "слово"],
)
def test_unsafe_ids_are_made_safe(tmp_path: Path, given: str) -> None:
    path = write(tmp_path, "u.json", json.dumps([{"text": "t", "id": given}]))
    (inc,) = read_incidents(path)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", inc.id)
    assert "/" not in inc.id and ".." not in inc.id
    assert len(inc.id) <= 100


def test_duplicate_ids_are_made_unique(tmp_path: Path) -> None:
    objects = [{"text": "a", "id": "x"}, {"text": "b", "id": "x"}]
    path = write(tmp_path, "d.json", json.dumps(objects))
    assert [i.id for i in read_incidents(path)] == ["x", "x-2"]


def test_json_bad_object_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '[\n {"text": "ok"},\n {"id": "no text"}\n]')
    with pytest.raises(InputError) as caught:
        list(read_incidents(path))
    assert caught.value.line == 3
    assert "bad.json:3" in str(caught.value)


def test_json_skip_bad(tmp_path: Path) -> None:
    body = '[{"text": "ok"}, {"text": 1}, {"text": "ok2", "date": "x"}]'
    path = write(tmp_path, "bad.json", body)
    skipped: list[InputError] = []
    incidents = list(read_incidents(path, skip_bad=True, on_skip=skipped.append))
    assert [i.text for i in incidents] == ["ok"]
    assert len(skipped) == 2


def test_json_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "syntax.json", '[\n{"text": "a"},\n{"text": }\n]')
    with pytest.raises(InputError) as caught:
        list(read_incidents(path, skip_bad=True))
    assert caught.value.line == 3


@pytest.mark.parametrize("body", ['{"other": []}', '"just a string"', "[1, 2", "[] []"])
def test_json_wrong_shape(tmp_path: Path, body: str) -> None:
    with pytest.raises(InputError):
        list(read_incidents(write(tmp_path, "w.json", body)))


# ---------------------------------------------------------------- JSONL


def test_jsonl_lines_and_errors(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "один", "date": "2025-10-01"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"text": "два", "url": "https://example.org/2"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "три"}),
    ]
    path = write(tmp_path, "x.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        list(read_incidents(path))
    assert caught.value.line == 3
    assert "x.jsonl:3" in str(caught.value)

    skipped: list[InputError] = []
    incidents = list(read_incidents(path, skip_bad=True, on_skip=skipped.append))
    assert [i.text for i in incidents] == ["один", "два", "три"]
    assert [e.line for e in skipped] == [3, 5]
    assert incidents[0].date == dt.date(2025, 10, 1)
    assert incidents[1].urls == ("https://example.org/2",)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_jsonl_line_ends_and_bom(tmp_path: Path, newline: str) -> None:
    body = newline.join(json.dumps({"text": t}) for t in ["a", "b", "c"])
    path = write(tmp_path, "e.jsonl", b"\xef\xbb\xbf" + body.encode())
    assert [i.text for i in read_incidents(path)] == ["a", "b", "c"]


def test_jsonl_not_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "n.jsonl", b'{"text": "a"}\n{"text": "\xff"}\n')
    with pytest.raises(InputError) as caught:
        list(read_incidents(path))
    assert caught.value.line == 2
    assert "byte 24" in str(caught.value)


def test_jsonl_is_read_lazily(tmp_path: Path) -> None:
    path = write(tmp_path, "lazy.jsonl", '{"text": "a"}\n{broken\n')
    incidents = read_incidents(path)
    assert next(incidents).text == "a"  # the bad second line is not read yet
    with pytest.raises(InputError):
        next(incidents)


def test_jsonl_texts_keep_every_character(tmp_path: Path) -> None:
    texts = ["с\u00a0пробелом", "нуль\x00внутри", "строка\r\nи ещё", "\ufeffс BOM"]
    body = "\n".join(json.dumps({"text": t}) for t in texts)
    incidents = list(read_incidents(write(tmp_path, "k.jsonl", body)))
    assert [i.text for i in incidents] == texts


# ---------------------------------------------------------------- streaming

stream_texts = st.lists(
    st.sampled_from(
        [
            "* * *",
            "«Право»",
            "«Право на",
            "или обращения»",
            "Право на труд",
            "ПОЛНЫЙ АБЗАЦ!",
            "ЗАГОЛОВОК",
            "Агентство «Ә»",
            "17 декабря 2025 г.",
            "",
            "  ",
            "Текст, статья 19.",
            "ИСТОЧНИК:",
            "https://example.org/x",
            "https://a.example, https://b.example",
            "-----",
            "\x00* * *",
            "\u200b17.12.2025",
            "\x00",
            "\ufeff",
            "ж" * 70,
        ]
    ),
    max_size=30,
).flatmap(
    lambda lines: st.lists(
        st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(lines), max_size=len(lines)
    ).map(lambda ends: "".join(line + end for line, end in zip(lines, ends, strict=True)))
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(stream_texts, st.integers(min_value=1, max_value=40), st.booleans())
def test_streaming_equals_whole_parse(text: str, block: int, bom: bool) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    pieces = _decoded_pieces(io.BytesIO(data), "s.txt", "utf-8", block=block)
    decoded = text if bom else text.removeprefix("\ufeff")  # the reader drops one BOM
    assert list(_stream_digest(pieces, "s.txt")) == parse_digest(decoded, "s.txt")


@pytest.mark.parametrize("block", [1, 2, 3, 5, 1024])
def test_streamed_decode_error_offset(block: int) -> None:
    data = b"\xef\xbb\xbf" + "абв".encode() + b"\xd0" + b"x" * 10
    with pytest.raises(InputError, match="byte 9"):
        list(_decoded_pieces(io.BytesIO(data), "e.txt", "utf-8", block=block))


def test_truncated_character_at_end_of_file() -> None:
    data = "абв".encode() + b"\xd0"
    with pytest.raises(InputError, match="byte 6"):
        list(_decoded_pieces(io.BytesIO(data), "t.txt", "utf-8", block=4))


def test_large_digest_streams(tmp_path: Path) -> None:
    item = DIGEST.split("* * *\n")[1]
    path = tmp_path / "big.txt"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(20_000):
            out.write(item + "* * *\n")
    incidents = read_incidents(str(path))
    first = next(incidents)  # available before the whole file is read
    assert first.headline == "ВТОРАЯ НОВОСТЬ"
    assert sum(1 for _ in incidents) == 19_999


@pytest.mark.parametrize(
    "obj,field,expected",
    [
        ({"text": "t", "date": "2025-12-17T10:00:00Z"}, "date", dt.date(2025, 12, 17)),
        ({"text": "t", "date": "17 декабря 2025 г."}, "date", dt.date(2025, 12, 17)),
        ({"text": "t", "date": ""}, "date", None),
        ({"text": "t", "id": 12}, "id", "12"),
        ({"text": "t", "urls": "https://example.org/1"}, "urls", ("https://example.org/1",)),
        ({"text": "t", "headline": "  "}, "headline", None),
        ({"text": "t", "rubric": "«Право на жизнь»"}, "rubric", "Право на жизнь"),
    ],
)
def test_lenient_json_fields(tmp_path: Path, obj: dict, field: str, expected: object) -> None:
    path = write(tmp_path, "l.json", json.dumps([obj], ensure_ascii=False))
    (inc,) = read_incidents(path)
    assert getattr(inc, field) == expected


@pytest.mark.parametrize(
    "obj",
    [
        {"text": "t", "date": 20251217},
        {"text": "t", "date": "вчера"},
        {"text": "t", "id": ["x"]},
        {"text": "t", "headline": 5},
        {"text": "t", "urls": [1, 2]},
        {"text": None},
    ],
)
def test_bad_json_fields(tmp_path: Path, obj: dict) -> None:
    path = write(tmp_path, "b.jsonl", json.dumps(obj, ensure_ascii=False) + "\n")
    with pytest.raises(InputError) as caught:
        list(read_incidents(path))
    assert caught.value.line == 1
    assert "b.jsonl:1: incident 1:" in str(caught.value)


# ---------------------------------------------------------------- arbitrary bytes

json_like = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=12,
    ).map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 100_000),
    st.just(b'[{"text": "x", "id": ' + b"9" * 5000 + b"}]"),
)


@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(json_like, st.sampled_from(["a.txt", "a.json", "a.jsonl"]), st.booleans())
def test_any_bytes_give_incidents_or_input_error(
    tmp_path: Path, data: bytes, name: str, skip_bad: bool
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        for inc in read_incidents(str(path), skip_bad=skip_bad):
            assert isinstance(inc.text, str)
    except InputError as error:
        assert name in str(error)


@pytest.mark.parametrize("block", [1, 7, 13, 64, 200])
def test_separator_after_a_long_line_ended_by_cr(block: int) -> None:
    long = "ж" * 72
    text = f"{long}\n»\r\n{long}\r\x00* * *\r\x00* * *\n"
    pieces = _decoded_pieces(io.BytesIO(text.encode()), "r.txt", "utf-8", block=block)
    assert list(_stream_digest(pieces, "r.txt")) == parse_digest(text, "r.txt")


@pytest.mark.parametrize("name", ["raw.json", "raw.jsonl"])
def test_raw_control_characters_inside_json_strings(tmp_path: Path, name: str) -> None:
    body = '{"text": "колонка\tи\x01символ"}'
    path = write(tmp_path, name, f"[{body}]" if name.endswith(".json") else body + "\n")
    (inc,) = read_incidents(path)
    assert inc.text == "колонка\tи\x01символ"
