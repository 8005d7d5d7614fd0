"""`build_report`: the files a lawyer gets, their content, and what it never does."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import normref.report as report_module
from normref.model import (
    Evidence,
    Incident,
    Obligation,
    Span,
    TaggedIncident,
    tag_document,
)
from normref.report import (
    CSV_COLUMNS,
    MANIFEST,
    Mark,
    ReportError,
    build_report,
    eid_label,
    kwic,
    safe_name,
    safe_url,
    segments,
)
from test_report_fixture import CODE, DETENTION, SPEECH, make_catalogue, make_tagged

# ---------------------------------------------------------------- helpers


class _TextOf(HTMLParser):
    """Collects the text inside the element with a given id (entities decoded)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.parts: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    parser = _TextOf(element_id)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "href" in a:
            self.hrefs.append(a["href"] or "")
        if tag == "script":
            self.scripts.append(a.get("src") or a.get("type") or "")


def links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def incident(ident: str, text: str, **kw: object) -> Incident:
    return Incident(id=ident, text=text, span=Span(0, len(text)), **kw)  # type: ignore[arg-type]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build_report(make_tagged(), make_catalogue(), out)
    return out


# ---------------------------------------------------------------- the files


def test_writes_the_site_of_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "site"
    files = build_report(make_tagged(), make_catalogue(), out)
    rel = {p.relative_to(out).as_posix() for p in files}
    assert {"index.html", "data.json", "obligations.csv"} <= rel
    assert {f"norms/{i}.html" for i in (SPEECH, DETENTION, CODE)} <= rel
    assert {f"incidents/{t.incident.id}.html" for t in make_tagged()} <= rel
    assert {"static/report.css", "static/report.js"} <= rel
    assert all(p.is_file() for p in files)
    assert (out / MANIFEST).is_file()


def test_data_json_is_the_tag_document(report: Path) -> None:
    data = json.loads((report / "data.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(tag_document(make_tagged(), "test-1")))


def test_obligations_csv_has_one_row_per_incident_and_provision(report: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((report / "obligations.csv").read_text("utf-8"))))
    tagged = make_tagged()
    assert len(rows) == sum(len(t.obligations) for t in tagged)
    assert tuple(rows[0]) == CSV_COLUMNS
    first = tagged[0]
    assert rows[0]["incident"] == first.incident.id
    assert rows[0]["date"] == first.incident.date.isoformat()
    assert rows[0]["provision"] == first.obligations[0].provision
    assert rows[0]["basis"] == "citation;trigger"
    assert rows[0]["binding_on_date"] == "true"
    assert {r["binding_on_date"] for r in rows} == {"true", "false", ""}


def test_csv_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    text = "A text."
    tagged = [TaggedIncident(
        incident("x", text, headline='=HYPERLINK("http://evil","click")', rubric="+cmd"),
        (), (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.5, None, ()),),
    )]
    build_report(tagged, make_catalogue(), tmp_path / "o")
    row = next(csv.DictReader(io.StringIO((tmp_path / "o/obligations.csv").read_text("utf-8"))))
    assert row["headline"].startswith("'=")
    assert row["rubric"] == "'+cmd"


def test_index_lists_norms_and_incidents(report: Path) -> None:
    html = (report / "index.html").read_text(encoding="utf-8")
    for t in make_tagged():
        assert f"incidents/{t.incident.id}.html" in html
        assert (t.incident.headline or "") in html
    assert "ECS art. 5(2)" in html and "ERD rule 3" in html
    assert "<svg" in html  # the charts are inline
    assert 'id="filters"' in html
    hrefs = links(html).hrefs
    assert not [h for h in hrefs if h.startswith(("http://", "https://")) and "example" not in h]


def test_pages_need_no_network(report: Path) -> None:
    for page in report.rglob("*.html"):
        parsed = links(page.read_text(encoding="utf-8"))
        for src in parsed.scripts:
            assert not src.startswith(("http", "//")), (page, src)
        assert "Content-Security-Policy" in page.read_text(encoding="utf-8")
    css = (report / "static/report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    assert "@media print" in css


def test_norm_page_lists_every_provision_with_official_link(report: Path) -> None:
    html = (report / f"norms/{SPEECH}.html").read_text(encoding="utf-8")
    catalogue = make_catalogue()
    for prov in catalogue.instrument(SPEECH).provisions:
        assert f'id="p-{SPEECH}_{prov.eid}"' in html
        assert prov.titles["en"] in html and prov.summary in html
        assert f'href="{prov.source_url}"' in html
    # each incident that engages art. 5(2) is there with its evidence in context
    assert "BLOGGER FINED OVER POST" in html and "<mark>fined for a post</mark>" in html


def test_incident_page_highlights_and_keeps_the_text(report: Path) -> None:
    tagged = make_tagged()
    for t in tagged:
        html = (report / f"incidents/{t.incident.id}.html").read_text(encoding="utf-8")
        assert text_of(html, "text") == t.incident.text
    html = (report / "incidents/activist-charged.html").read_text(encoding="utf-8")
    assert 'class="hl hl-citation' in html
    assert "hl-implied" in html and "hl-trigger" in html
    assert f"../norms/{CODE}.html#p-{CODE}_art_40" in html
    assert "https://news.example.org/activist-charged" in html


def test_norm_table_shows_binding(report: Path) -> None:
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "binding-yes" in html and "binding-no" in html and "binding-unknown" in html


def test_empty_report(tmp_path: Path) -> None:
    files = build_report([], make_catalogue(), tmp_path / "empty")
    assert (tmp_path / "empty/index.html").is_file()
    assert len(files) >= 6


# ---------------------------------------------------------------- untrusted input


PAYLOADS = (
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=2>",
    '"><svg onload=window.__pwned=3>',
    "</script><script>window.__pwned=4</script>",
)


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://adilet.zan.kz/rus/docs/K1400000226", True),
        ("http://example.org/a?b=c&d=<e>", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("//evil.example.org/x", False),
        ("http:evil", False),
        ("https:\\\\evil.example.org", False),
        ("file:///etc/passwd", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


@pytest.mark.parametrize(
    "ident",
    ["../evil", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "..", ".", "", ".hidden",
     "CON", "nul.txt", "x" * 500, "инцидент-1", "a\x00b", "~/x", "C:\\x"],
)
def test_safe_name_is_a_plain_file_name(ident: str) -> None:
    name = safe_name(ident)
    assert name and len(name) <= 100
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    assert not name.startswith(".")
    assert name.split(".")[0].upper() not in {"CON", "NUL"}


def test_safe_name_keeps_ordinary_ids_and_separates_different_ones() -> None:
    assert safe_name("kz-digest-2025-12-007") == "kz-digest-2025-12-007"
    assert safe_name("un.iccpr") == "un.iccpr"
    assert safe_name("a/b") != safe_name("a_b")
    assert safe_name("a/b") == safe_name("a/b")


def test_hostile_ids_stay_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "site"
    ids = ["../escape", "../../escape2", "/tmp/abs", "a/../../b", "..", "same", "same", "SAME"]
    tagged = [TaggedIncident(incident(i, f"text {n}")) for n, i in enumerate(ids)]
    files = build_report(tagged, make_catalogue(), out)
    root = out.resolve()
    for f in files:
        assert f.resolve().is_relative_to(root)
    pages = sorted((out / "incidents").iterdir())
    assert len(pages) == len(ids)  # duplicate ids still get a page each
    assert not (tmp_path / "deep" / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep"]


def test_untrusted_text_is_escaped(tmp_path: Path) -> None:
    text = "Before " + " ".join(PAYLOADS) + " after."
    tagged = [TaggedIncident(
        incident("x<script>", text, headline=PAYLOADS[0] + PAYLOADS[2], rubric=PAYLOADS[1],
                 outlet=PAYLOADS[2], urls=("javascript:window.__pwned=5",)),
        (),
        (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.5, None,
                    (Evidence(Span(7, 20), text[7:20], "trigger", PAYLOADS[1]),)),),
    )]
    files = build_report(tagged, make_catalogue(), tmp_path / "o")
    for f in files:
        if f.suffix != ".html":
            continue
        html = f.read_text(encoding="utf-8")
        assert "<script>window" not in html
        assert "<img src=x" not in html
        assert "<svg onload" not in html
        assert not [h for h in links(html).hrefs if h.strip().lower().startswith("javascript")]


# ---------------------------------------------------------------- re-running


def test_rerun_replaces_only_what_normref_wrote(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    build_report(make_tagged(), make_catalogue(), out)
    (out / "incidents" / "my-own.html").write_text("mine too", encoding="utf-8")
    fewer = make_tagged()[:2]
    files = build_report(fewer, make_catalogue(), out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "incidents" / "my-own.html").read_text(encoding="utf-8") == "mine too"
    assert not (out / "incidents" / "activist-charged.html").exists()  # no longer produced
    assert (out / "incidents" / "blogger-fined.html").exists()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(p.relative_to(out).as_posix() for p in files)


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the user's own page", encoding="utf-8")
    with pytest.raises(ReportError, match="index.html"):
        build_report(make_tagged(), make_catalogue(), out)
    assert (out / "index.html").read_text(encoding="utf-8") == "the user's own page"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # nothing written


def test_tampered_manifest_cannot_delete_outside(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "site"
    build_report(make_tagged(), make_catalogue(), out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] += ["../victim.txt", str(victim), "static/../../victim.txt"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    build_report(make_tagged(), make_catalogue(), out)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError):
        build_report([], make_catalogue(), target)


# ---------------------------------------------------------------- progress


def test_no_progress_bar_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_report(make_tagged(), make_catalogue(), tmp_path / "o", progress=True)
    assert capsys.readouterr().err == ""


def test_progress_bar_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    build_report(make_tagged(), make_catalogue(), tmp_path / "few", progress=True)
    assert capsys.readouterr().err == ""  # a handful of files: no bar
    monkeypatch.setattr(report_module, "PROGRESS_MIN_FILES", 5)
    build_report(make_tagged(), make_catalogue(), tmp_path / "o", progress=True)
    assert "normref report" in capsys.readouterr().err


# ---------------------------------------------------------------- highlights


def test_eid_labels() -> None:
    assert eid_label("art_19") == "art. 19"
    assert eid_label("art_14__para_3__point_d") == "art. 14(3)(d)"
    assert eid_label("rule_24") == "rule 24"
    assert eid_label("art_456-2") == "art. 456-2"


def test_kwic_marks_the_hit_in_context() -> None:
    text = "word " * 50 + "HIT here" + " word" * 50
    start = text.index("HIT")
    left, hit, right = kwic(text, Span(start, start + 3))
    assert hit == "HIT" and left.startswith("…") and right.endswith("…")
    assert kwic(text, None) is None and kwic(text, Span(10_000, 10_010)) is None


INCIDENT_TEMPLATE = report_module._environment().get_template("incident.html")
spans = st.tuples(st.integers(-3, 60), st.integers(-3, 60))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=50), raw=st.lists(spans, max_size=8))
def test_segments_cover_the_text_exactly(text: str, raw: list[tuple[int, int]]) -> None:
    marks = [Mark(a, b, f"m{i}", "evidence", "hl-ev", "n", None) for i, (a, b) in enumerate(raw)]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    pos = 0
    for s in segs:
        for m in marks:
            covers = 0 <= m.start < m.end <= len(text) and m.start <= pos and pos + 1 <= m.end
            if s.text:
                assert (m in s.marks) == covers
        pos += len(s.text)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    raw=st.lists(spans, max_size=5),
)
def test_incident_page_text_is_the_incident_text(text: str, raw: list[tuple[int, int]]) -> None:
    evidence = tuple(
        Evidence(Span(max(a, 0), max(a, 0) + abs(b - a)), "", "trigger") for a, b in raw
    )
    tagged = [TaggedIncident(
        incident("t", text), (), (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.5, None,
                                             evidence),),
    )]
    site = report_module._Site(tagged, make_catalogue())
    html = INCIDENT_TEMPLATE.render(**site.incident_context(0))
    # HTML parsers turn CR and CRLF into LF; everything else must come back unchanged
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    assert text_of(html, "text").replace("\r\n", "\n").replace("\r", "\n") == expected


def test_lone_surrogates_do_not_stop_the_report(tmp_path: Path) -> None:
    text = "bad \udc80 byte"
    tagged = [TaggedIncident(incident("s", text, headline="h\udcff"))]
    build_report(tagged, make_catalogue(), tmp_path / "o")
    data = json.loads((tmp_path / "o/data.json").read_text(encoding="utf-8"))
    assert data["incidents"][0]["headline"] == "h\udcff"
    assert "bad \ufffd byte" in (tmp_path / "o/incidents/s.html").read_text(encoding="utf-8")


def test_a_run_that_failed_half_way_can_be_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    calls = {"n": 0}
    real = report_module._Site.incident_context

    def failing(self: object, i: int) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(self, i)  # type: ignore[arg-type]

    monkeypatch.setattr(report_module._Site, "incident_context", failing)
    with pytest.raises(RuntimeError):
        build_report(make_tagged(), make_catalogue(), out)
    monkeypatch.undo()
    build_report(make_tagged(), make_catalogue(), out)  # no "would overwrite" refusal
    assert len(list((out / "incidents").iterdir())) == len(make_tagged())


def test_never_writes_through_a_symlinked_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "site"
    out.mkdir()
    (out / "incidents").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ReportError):
        build_report(make_tagged(), make_catalogue(), out)
    assert list(elsewhere.iterdir()) == []


def test_replaces_a_symlinked_page_not_its_target(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_report(make_tagged(), make_catalogue(), out)
    victim = tmp_path / "victim.html"
    victim.write_text("keep me", encoding="utf-8")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(victim)
    build_report(make_tagged(), make_catalogue(), out)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "index.html").is_symlink()


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root can write into read-only folders")
def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(ReportError, match="cannot"):
            build_report(make_tagged(), make_catalogue(), out)
    finally:
        out.chmod(0o700)


def test_output_below_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="cannot create"):
        build_report([], make_catalogue(), blocker / "site")
