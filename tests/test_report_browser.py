"""The report in a real browser (Debian's chromium driven by Playwright), opened from disk.

Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from normref.model import Citation, Evidence, Incident, Obligation, RawCitation, Span
from normref.model import TaggedIncident as Tagged
from normref.report import build_report
from test_report_fixture import DETENTION, SPEECH, make_catalogue, make_tagged

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # the report must never reach the network: fail any request that is not file://
    requests: list[str] = []
    context.route(
        "**/*",
        lambda route: (requests.append(route.request.url), route.abort())
        if not route.request.url.startswith("file://")
        else route.continue_(),
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, errors
    assert not requests, requests


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    build_report(make_tagged(), make_catalogue(), out)
    return out


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def visible_rows(pg) -> int:  # type: ignore[no-untyped-def]
    return pg.locator("#incidents tbody tr:visible").count()


def test_filter_by_instrument_shrinks_the_table(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri())
    total = len(make_tagged())
    assert visible_rows(page) == total
    shot(page, "index")
    page.select_option("#f-instrument", DETENTION)
    assert visible_rows(page) == 2
    assert "Showing 2 of" in page.locator("#filter-status").inner_text()
    # the norms table follows: only the detention rules' provisions are left
    norms = page.locator("#norms tbody tr:visible")
    assert norms.count() == 2
    assert all(DETENTION in (norms.nth(i).get_attribute("data-provision") or "")
               for i in range(norms.count()))
    shot(page, "index-filtered")
    page.click("#f-reset")
    # polled from Python: a page function would need eval, which the report's CSP forbids
    expect(page.locator("#incidents tbody tr:not([hidden])")).to_have_count(total)


def test_filters_by_provision_basis_rubric_and_dates(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri())
    page.select_option("#f-provision", f"{SPEECH}#art_5__para_2")
    assert visible_rows(page) == 3
    page.select_option("#f-basis", "implied")
    assert visible_rows(page) == 1
    page.click("#f-reset")
    page.select_option("#f-rubric", "Freedom of expression")
    assert visible_rows(page) == 3
    page.click("#f-reset")
    page.fill("#f-from", "2025-11-01")
    page.fill("#f-to", "2025-11-30")
    assert visible_rows(page) == 2
    count = page.locator(f'#norms tr[data-provision="{SPEECH}#art_5__para_2"] td.count')
    assert count.inner_text() == "1 of 3"


def test_state_lives_in_the_address(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri() + f"#instrument={DETENTION}")
    assert visible_rows(page) == 2
    assert page.locator("#f-instrument").input_value() == DETENTION
    # the provision list narrows to the chosen instrument
    options = page.locator("#f-provision option:not([hidden])").all_inner_texts()
    assert options == ["all", "ERD rule 3", "ERD rule 9"]
    # a month of the chart is a link that filters on that month (and clears the rest)
    page.locator("svg.chart-months a").nth(1).click()
    expect(page.locator("#f-from")).to_have_value("2025-11-01")
    assert page.locator("#f-to").input_value() == "2025-11-30"
    assert page.locator("#f-instrument").input_value() == ""
    assert visible_rows(page) == 2


def test_search_finds_words_of_the_text(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri())
    page.fill("#f-q", "hospital")  # only in the body of one incident, not in its headline
    assert visible_rows(page) == 1
    assert "ACTIVIST CHARGED" in page.locator("#incidents tbody tr:visible").inner_text()
    page.fill("#f-q", "RALLY")
    assert visible_rows(page) == 1
    page.fill("#f-q", "no-such-word-anywhere")
    assert visible_rows(page) == 0
    shot(page, "index-search")


def test_columns_sort(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri())
    header = page.locator("#incidents thead th").nth(0)
    header.locator("button").click()
    dates = page.locator("#incidents tbody tr td.date").all_inner_texts()
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[-1] == ""  # undated last
    assert header.get_attribute("aria-sort") == "ascending"
    header.locator("button").click()
    dates = page.locator("#incidents tbody tr td.date").all_inner_texts()
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[-1] == ""
    counts = page.locator("#norms thead th").nth(2)
    counts.locator("button").click()
    counts.locator("button").click()
    first = page.locator("#norms tbody tr").first
    assert first.locator("td.count").inner_text() == "3"


def test_from_index_to_norm_to_incident(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "index.html").as_uri())
    page.click("#norms >> text=ECS art. 5(2)")
    page.wait_for_load_state()
    assert page.url.endswith(f"norms/{SPEECH}.html#p-{SPEECH}_art_5__para_2")
    section = page.locator(f"section[id=\"p-{SPEECH}_art_5__para_2\"]")
    assert section.locator("li.hit").count() == 3
    assert section.locator("a.ext", has_text="Official text").get_attribute("href") == (
        f"https://example.org/{SPEECH}/art_5__para_2"
    )
    assert section.locator(".kwic mark").first.is_visible()
    shot(page, "norm")
    # print layout: the chrome disappears, the provisions stay
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert section.is_visible()
    page.emulate_media(media="screen")
    section.locator("a", has_text="show in the index").click()
    page.wait_for_load_state()
    assert visible_rows(page) == 3
    assert page.locator("#f-provision").input_value() == f"{SPEECH}#art_5__para_2"
    page.go_back()
    page.wait_for_load_state()
    section.locator("a", has_text="ACTIVIST CHARGED WITH RUMOURS").first.click()
    page.wait_for_load_state()
    assert "incidents/activist-charged.html" in page.url
    marks = page.locator("#text mark.hl")
    assert marks.count() >= 3
    citation = page.locator("#text mark.hl-citation").first
    assert "EPC art. 40" in (citation.get_attribute("title") or "")
    implied = page.locator("#text mark.hl-implied").first
    assert "implied" in (implied.get_attribute("title") or "")
    assert page.locator("#text").inner_text().startswith("An activist was charged")
    shot(page, "incident")
    citation.locator("a").click()
    page.wait_for_load_state()
    assert "norms/ex.penal-code.html#p-ex.penal-code_art_40" in page.url


def test_overlapping_highlights(page, site: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((site / "incidents/miners-sit-in.html").as_uri())
    # "sit-in over" overlaps two pieces of evidence: the shared run carries both notes
    both = page.locator("#text mark.hl", has_text="sit-in").first
    note = both.get_attribute("title") or ""
    assert "ECS art. 7" in note and "ECS art. 5" in note
    assert page.locator("#text").inner_text() == make_tagged()[4].incident.text


# ---------------------------------------------------------------- security


PAYLOAD_TEXT = (
    "Report <script>window.__pwned='script'</script> and "
    "<img src=x onerror=\"window.__pwned='img'\"> then "
    "\"><svg onload=\"window.__pwned='svg'\"> and '><svg/onload=alert(1)> "
    "</script><script>window.__pwned='island'</script> "
    "<a href=\"javascript:window.__pwned='link'\">click</a> end."
)
JS_URL = "javascript:window.__pwned='url';alert(1)"


def hostile_site(root: Path) -> Path:
    text = PAYLOAD_TEXT
    start = text.index("<img")
    cite_start = text.index("<script>")
    raw = RawCitation(span=Span(cite_start, cite_start + 20), text=text[cite_start:cite_start + 20])
    inc = Incident(
        id="\"><svg onload=alert(1)>/../x", text=text, span=Span(0, len(text)),
        rubric="<img src=x onerror=\"window.__pwned='rubric'\">",
        headline="<script>window.__pwned='headline'</script>\"><svg onload=alert(1)>",
        outlet="<svg onload=\"window.__pwned='outlet'\">", author=None,
        urls=(JS_URL, " javascript:alert(2)", "data:text/html,<script>alert(3)</script>"),
    )
    tagged = [Tagged(
        inc,
        (Citation(raw, "unresolved", reason="<img src=x onerror=alert(4)>"),),
        (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.5, True,
                    (Evidence(Span(start, start + 30), text[start:start + 30], "trigger",
                              "<svg onload=alert(5)>"),)),),
    ), *make_tagged()[:2]]
    out = root / "hostile"
    build_report(tagged, make_catalogue(), out)
    return out


def test_untrusted_input_never_runs(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = hostile_site(tmp_path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    incident_pages = sorted((out / "incidents").glob("*.html"))
    norm_page = out / f"norms/{SPEECH}.html"
    for target in [out / "index.html", *incident_pages, norm_page]:
        page.goto(target.as_uri())
        page.wait_for_timeout(150)
        assert page.evaluate("typeof window.__pwned") == "undefined", target
        # no javascript: link anywhere on the page
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not [h for h in hrefs if "javascript:" in h.lower() or h.lower().startswith("data:")]
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
        assert page.locator("img, [onerror], [onload]").count() == 0
    # the hostile page itself shows the payloads as text, and the URL as plain text
    hostile_page = next(p for p in incident_pages if "svg" in p.name)
    page.goto(hostile_page.as_uri())
    assert "<script>window.__pwned='headline'</script>" in page.locator("h1").inner_text()
    assert page.locator("#text").inner_text() == PAYLOAD_TEXT
    unsafe = page.locator(".unsafe-url", has_text="javascript:")
    assert unsafe.count() >= 1
    assert unsafe.first.evaluate("e => e.closest('a') === null")
    shot(page, "hostile-incident")
    # searching and filtering on the index still works with hostile data
    page.goto((out / "index.html").as_uri())
    page.fill("#f-q", "pwned")
    assert visible_rows(page) == 1
    page.select_option("#f-rubric", index=1)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not dialogs
    assert hostile_page.resolve().parent == (out / "incidents").resolve()


def test_report_of_the_sample_digest(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The whole pipeline, as a user runs it: `normref report` on the bundled sample."""
    out = tmp_path / "sample"
    run = subprocess.run([sys.executable, "-m", "normref", "report", "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    incidents = json.loads((out / "data.json").read_text(encoding="utf-8"))["incidents"]
    page.goto((out / "index.html").as_uri())
    assert visible_rows(page) == len(incidents) > 0
    shot(page, "sample-index")
    cited = next(i for i, inc in enumerate(incidents) if inc["citations"])
    page.locator("#incidents tbody tr").nth(cited).locator("a").click()
    page.wait_for_load_state()
    assert page.locator("#text mark.hl-citation").count() >= 1
    page.locator("#text mark.hl-citation a").first.click()
    page.wait_for_load_state()
    assert "/norms/" in page.url
    assert page.locator("section.provision").count() >= 1


@pytest.mark.skipif(not os.environ.get("NORMREF_DOCS_SCREENSHOTS"),
                    reason="set NORMREF_DOCS_SCREENSHOTS=1 to refresh docs/img")
def test_docs_screenshots(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Refresh docs/img/ from the report of the bundled sample digest."""
    out = tmp_path / "sample"
    subprocess.run([sys.executable, "-m", "normref", "report", "--out", str(out)], check=True)
    img = Path(__file__).resolve().parent.parent / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    pg = browser.new_page(viewport={"width": 1280, "height": 1000})
    pg.goto((out / "index.html").as_uri())
    pg.screenshot(path=str(img / "index.png"))
    richest = max(
        (out / "incidents").glob("*.html"),
        key=lambda p: p.read_text(encoding="utf-8").count('class="hl '),
    )
    pg.goto(richest.as_uri())
    pg.screenshot(path=str(img / "incident.png"), full_page=True)
    pg.close()
