"""`normref catalogue ...` and the CLI's exit statuses, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from normref.cli import main
from test_catalogue_loader import GOOD_TREATY, write_catalogue


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "normref", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", check=False,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("normref ")


def test_bad_usage_exits_2() -> None:
    assert run("catalogue", "frobnicate").returncode == 2
    assert run("no-such-command").returncode == 2


def test_check_shipped_catalogue() -> None:
    result = run("catalogue", "check")
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_check_broken_catalogue_lists_every_problem(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {
        "international/un.example.yaml": GOOD_TREATY.replace("kind: treaty", "kind: x"),
        "kz/kz.law.bad.yaml": "id: kz.law.bad\nid: again\n",
    })
    result = run("catalogue", "check", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "international/un.example.yaml:2: " in result.stderr
    assert "kz/kz.law.bad.yaml:2: duplicate key 'id'" in result.stderr
    assert "Traceback" not in result.stderr


def test_list_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_catalogue(tmp_path, {"international/un.example.yaml": GOOD_TREATY})
    assert main(["catalogue", "list", "--catalogue", str(tmp_path), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in listed["instruments"]] == ["un.example"]
    assert main(["catalogue", "show", "un.example#art_1", "--catalogue", str(tmp_path),
                 "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == "un.example#art_1"
    assert shown["titles"] == {"ru": "Первая статья", "en": "First article"}
    assert shown["instrument"]["id"] == "un.example"
    assert main(["catalogue", "show", "un.example", "--catalogue", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Example Convention" in text and "art_14__para_3__point_d" in text


def test_show_unknown_id_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_catalogue(tmp_path, {"international/un.example.yaml": GOOD_TREATY})
    assert main(["catalogue", "show", "un.nothing", "--catalogue", str(tmp_path)]) == 1
    assert "no instrument or provision 'un.nothing'" in capsys.readouterr().err


def test_broken_catalogue_makes_other_commands_exit_1(tmp_path: Path) -> None:
    write_catalogue(tmp_path, {"kz/kz.law.bad.yaml": "id: kz.law.bad\n"})
    result = run("catalogue", "list", "--catalogue", str(tmp_path))
    assert result.returncode == 1
    assert "kz/kz.law.bad.yaml" in result.stderr
    assert "Traceback" not in result.stderr
