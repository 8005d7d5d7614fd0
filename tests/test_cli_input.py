"""Bad and odd input on the command line: clear errors, nothing lost, offsets into the input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CITATION = "ч. 2 ст. 274 УК РК"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "normref", *args], input=stdin,
                          capture_output=True, check=False)


def annotate_json(path: Path, *extra: str) -> dict:
    result = run("annotate", str(path), "--format", "json", *extra)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_not_utf8_names_file_and_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes(("Осужден по " + CITATION).encode("cp1251"))
    result = run("annotate", str(path))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert str(path) in err and "byte offset 0" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_encoding_option_reads_other_encodings(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    text = "Осужден по " + CITATION
    path.write_bytes(text.encode("cp1251"))
    data = annotate_json(path, "--encoding", "cp1251")
    [citation] = data["citations"]
    assert text[citation["start"]:citation["end"]] == citation["text"]


def test_unknown_encoding_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    result = run("annotate", str(path), "--encoding", "no-such-codec")
    assert result.returncode == 1
    assert b"unknown encoding" in result.stderr


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = run("annotate", str(tmp_path / "absent.txt"))
    assert result.returncode == 1
    assert b"absent.txt" in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("prefix", "newline"),
    [("", "\n"), ("\ufeff", "\n"), ("", "\r\n"), ("", "\r"), ("\x00\x01", "\n")],
    ids=["plain", "bom", "crlf", "old-mac", "control-chars"],
)
def test_line_ends_bom_and_control_characters(tmp_path: Path, prefix: str, newline: str) -> None:
    text = newline.join(["Первая строка.", "Осужден по " + CITATION + ".", "Конец."])
    path = tmp_path / "in.txt"
    path.write_bytes((prefix + text).encode("utf-8"))
    decoded = (prefix + text).removeprefix("\ufeff")
    data = annotate_json(path)
    assert [c["text"] for c in data["citations"]] == [CITATION]
    c = data["citations"][0]
    assert decoded[c["start"]:c["end"]] == CITATION


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert annotate_json(path)["citations"] == []
    assert run("tag", str(path), "--format", "json").returncode == 0


def test_stdin_is_read_when_no_file() -> None:
    result = run("annotate", "--format", "json", stdin=("см. " + CITATION).encode())
    assert result.returncode == 0
    assert [c["text"] for c in json.loads(result.stdout)["citations"]] == [CITATION]


def test_malformed_jsonl_line_and_skip_bad(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"text": "по ст. 274 УК РК"}\n{broken\n{"text": "ещё"}\n', encoding="utf-8")
    result = run("tag", str(path), "--format", "json")
    assert result.returncode == 1
    assert f"{path}:2".encode() in result.stderr
    result = run("tag", str(path), "--format", "json", "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["incidents"]) == 2
    assert b"1 bad record(s) skipped" in result.stderr


@pytest.mark.parametrize("value", ["-1", "two", ""])
def test_bad_jobs_value_is_usage_error(value: str) -> None:
    result = run("tag", "--jobs", value)
    assert result.returncode == 2
    assert b"--jobs" in result.stderr


@pytest.mark.parametrize("value", ["0", "auto", "AUTO"])
def test_jobs_auto_is_one_worker_per_usable_core(tmp_path: Path, value: str) -> None:
    from normref.cli import _jobs
    from normref.parallel import usable_cores

    assert _jobs(value) == usable_cores() >= 1
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps({"id": f"i{k}", "text": f"по {CITATION}, запись {k}"},
                                       ensure_ascii=False) + "\n" for k in range(30)),
                    encoding="utf-8")
    auto = run("tag", str(path), "--format", "jsonl", "--jobs", value)
    one = run("tag", str(path), "--format", "jsonl", "--jobs", "1")
    assert auto.returncode == 0, auto.stderr
    assert auto.stdout == one.stdout


def test_stdin_jsonl_and_json_are_recognised() -> None:
    lines = '{"id": "a", "text": "по ст. 274 УК РК"}\n{"id": "b", "text": "ничего"}\n'
    result = run("tag", "-", "--format", "jsonl", stdin=lines.encode())
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    result = run("tag", "--format", "json", stdin=b'[{"id": "c", "text": "x"}]')
    assert [i["id"] for i in json.loads(result.stdout)["incidents"]] == ["c"]
    result = run("tag", "--format", "json", stdin="17 декабря 2025 г.\nТекст.".encode())
    assert len(json.loads(result.stdout)["incidents"]) == 1
