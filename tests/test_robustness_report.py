"""The report with hostile data: nothing runs, nothing escapes the folder, nothing is deleted.

Complements tests/test_report.py (fixed payloads, a few hostile ids, re-runs) and
tests/test_report_browser.py (a real browser on a hostile site) with generated ids and texts,
symlinks, and the command line.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normref.model import Evidence, Incident, Obligation, Span, TaggedIncident
from normref.report import ReportError, build_report
from test_report_fixture import SPEECH, make_catalogue, make_tagged

HOSTILE_IDS = ["../../x", "/etc/passwd", "a/b", "..", ".", "", "a\x00b", "x" * 5000,
               "..\\..\\x", "C:\\Windows\\x", "~", "$HOME", "con", "index", "../index",
               "static/report", "data.json", "incidents", "\u202e", "a\nb", ".normref-manifest"]
PIECES = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>',
          "</script><script>alert(4)</script>", "javascript:alert(5)", "{{ 7*7 }}", "{% raw %}",
          "]]>", "<!--", "-->", "&amp;", "&#x3C;script&#x3E;", "\u2028", "\x00", "\ud800",
          "<style>body{display:none}</style>", "<base href=//evil.example>", "' onmouseover='x"]


def incident(ident: str, text: str, **kw: object) -> Incident:
    return Incident(id=ident, text=text, span=Span(0, len(text)), **kw)  # type: ignore[arg-type]


class _Tags(HTMLParser):
    """Every start tag and attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_inert(html: str, baseline_scripts: int) -> None:
    """No event handler, no script but the report's own, no javascript:/data: link, no base."""
    tags = tags_of(html)
    scripts = [a for t, a in tags if t == "script"]
    assert len(scripts) <= baseline_scripts
    for tag, attrs in tags:
        assert tag not in ("img", "iframe", "object", "embed", "base")
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "action"):
                v = (value or "").strip().lower()
                assert not v.startswith(("javascript:", "data:", "vbscript:")), (tag, v)


def all_inside(files: list[Path], out: Path) -> None:
    root = out.resolve()
    for f in files:
        assert f.resolve().is_relative_to(root), f


# ---------------------------------------------------------------- ids cannot escape


@pytest.mark.parametrize("ident", HOSTILE_IDS)
def test_a_hostile_incident_id_stays_inside(tmp_path: Path, ident: str) -> None:
    out = tmp_path / "site"
    files = build_report([TaggedIncident(incident(ident, "текст"))], make_catalogue(), out)
    all_inside(files, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert len(list((out / "incidents").iterdir())) == 1
    for f in (out / "incidents").iterdir():
        assert len(f.name.encode()) <= 255 and f.name.isascii()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(HOSTILE_IDS), st.text(max_size=40)), max_size=6))
def test_any_ids_give_one_page_each_inside_the_folder(tmp_path: Path, ids: list[str]) -> None:
    out = tmp_path / f"site-{abs(hash(tuple(ids)))}"
    tagged = [TaggedIncident(incident(i, f"текст {n}")) for n, i in enumerate(ids)]
    files = build_report(tagged, make_catalogue(), out)
    all_inside(files, out)
    assert len(list((out / "incidents").glob("*.html"))) == len(ids)


def test_a_symlinked_page_of_an_earlier_run_is_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "site"
    build_report(make_tagged(), make_catalogue(), out)
    page = out / "index.html"
    page.unlink()
    page.symlink_to(victim)
    try:
        build_report(make_tagged(), make_catalogue(), out)
    except ReportError:
        pass
    assert victim.read_text(encoding="utf-8") == "keep me"


# ---------------------------------------------------------------- the user's files are kept


def user_files(out: Path) -> dict[str, str]:
    files = {
        "notes.txt": "мои заметки",
        "incidents/draft.html": "<p>черновик</p>",
        "norms/my-norm.html": "моя норма",
        "static/extra.css": "body{}",
        "mine/deep/file.md": "# x",
    }
    for rel, content in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(content, encoding="utf-8")
    return files


def test_reruns_keep_every_user_file(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    mine = user_files(out)
    build_report(make_tagged(), make_catalogue(), out)
    build_report(make_tagged()[:1], make_catalogue(), out)
    build_report([], make_catalogue(), out)
    build_report(make_tagged(), make_catalogue(), out)
    for rel, content in mine.items():
        assert (out / rel).read_text(encoding="utf-8") == content


def test_a_lost_manifest_makes_normref_refuse_not_delete(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_report(make_tagged(), make_catalogue(), out)
    (out / ".normref-manifest.json").unlink()
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    with pytest.raises(ReportError, match="did not write"):
        build_report(make_tagged()[:1], make_catalogue(), out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


@pytest.mark.parametrize("manifest", ["{not json", "[]", '{"files": 5}', '{"files": [1, null]}',
                                      '{"files": ["/etc/passwd", "../../x", "a\\u0000b"]}', ""])
def test_a_broken_manifest_deletes_nothing(tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "site"
    out.mkdir()
    mine = user_files(out)
    (out / ".normref-manifest.json").write_text(manifest, encoding="utf-8")
    build_report(make_tagged(), make_catalogue(), out)
    for rel, content in mine.items():
        assert (out / rel).read_text(encoding="utf-8") == content


def test_cli_report_into_a_folder_with_a_user_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("моя страница", encoding="utf-8")
    digest = tmp_path / "d.txt"
    digest.write_text("Осужден по ч. 2 ст. 274 УК РК.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "normref", "report", str(digest), "--out", str(out)],
        capture_output=True, check=False,
    )
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "index.html" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert (out / "index.html").read_text(encoding="utf-8") == "моя страница"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


# ---------------------------------------------------------------- untrusted text stays inert


def hostile_tagged(field: str, text: str) -> list[TaggedIncident]:
    """One incident with ``field`` in every metadata field and ``text`` as its text."""
    cut = len(text) // 2
    return [TaggedIncident(
        incident(field, text, headline=field, rubric=field, author=field, outlet=field,
                 urls=(field, "javascript:alert(6)", "https://example.org/" + field)),
        (),
        (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.5, None,
                    (Evidence(Span(0, cut), text[:cut], "trigger", field),)),),
    )]


def page_kind(path: Path) -> str:
    """«index», «norms» or «incidents»."""
    return path.parent.name if path.parent.name in ("norms", "incidents") else "index"


def page_tags(files: list[Path]) -> dict[str, set[str]]:
    """For each kind of page, the set of tag names used."""
    out: dict[str, set[str]] = {}
    for f in files:
        if f.suffix == ".html":
            out.setdefault(page_kind(f), set()).update(t for t, _ in tags_of(f.read_text("utf-8")))
    return out


@pytest.mark.parametrize("field", PIECES)
def test_hostile_text_and_fields_are_inert(tmp_path: Path, field: str) -> None:
    text = "Начало " + " ".join(PIECES) + " конец."
    clean = build_report(hostile_tagged("plain", "Начало обычный текст конец."),
                         make_catalogue(), tmp_path / "clean")
    hostile = build_report(hostile_tagged(field, text), make_catalogue(), tmp_path / "hostile")
    allowed = page_tags(clean)
    scripts = max(sum(t == "script" for t, _ in tags_of(f.read_text("utf-8")))
                  for f in clean if f.suffix == ".html")
    for f in hostile:
        if f.suffix == ".html":
            html = f.read_text("utf-8")
            assert_inert(html, scripts)
            assert {t for t, _ in tags_of(html)} <= allowed[page_kind(f)], f
