"""A provision the catalogue holds without a title is shown with its summary, marked as a
summary, on the index, incident and norm pages: never as a bare «Constitution art. 32»."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from normref.catalogue import load_catalogue
from normref.model import Evidence, Incident, Obligation, Span, TaggedIncident
from normref.report import build_report

#: instruments whose articles are catalogued with a summary only (at least some of them)
SUMMARY_ONLY_INSTRUMENTS = ["kz.constitution", "un.cedaw", "un.crc"]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def untitled(catalogue, instrument: str):
    """The provisions of an instrument that have a summary and no title."""
    return [p for p in catalogue.instrument(instrument).provisions
            if not p.titles and p.summary]


def titled(catalogue, instrument: str):
    return [p for p in catalogue.instrument(instrument).provisions if p.titles]


def flat(text: str) -> str:
    return " ".join(text.split())


def site(tmp_path: Path, catalogue, provisions) -> Path:
    text = "A short story about an incident."
    inc = Incident(id="story", text=text, span=Span(0, len(text)), headline="A STORY")
    obligations = tuple(
        Obligation(provision=p_id, instrument=p_id.partition("#")[0], basis=("trigger",),
                   confidence=0.6, binding_on_date=None,
                   evidence=(Evidence(Span(2, 7), text[2:7], "trigger"),))
        for p_id in provisions
    )
    out = tmp_path / "site"
    build_report([TaggedIncident(inc, (), obligations)], catalogue, out)
    return out


@pytest.mark.parametrize("instrument", SUMMARY_ONLY_INSTRUMENTS)
def test_untitled_provision_shows_its_summary_marked_as_such(tmp_path, catalogue, instrument):
    provisions = untitled(catalogue, instrument)[:3]
    assert provisions, f"{instrument} has no summary-only provision any more"
    out = site(tmp_path, catalogue, [f"{instrument}#{p.eid}" for p in provisions])
    pages = {
        "index": (out / "index.html").read_text(encoding="utf-8"),
        "incident": (out / "incidents/story.html").read_text(encoding="utf-8"),
        "norm": next((out / "norms").glob(f"{instrument}*.html")).read_text(encoding="utf-8"),
    }
    for name, page in pages.items():
        page = flat(html_lib.unescape(page))
        for prov in provisions:
            summary = flat(prov.summary)
            assert summary in page, (name, prov.eid)
            # the summary stands next to the mark that says it is one
            marked = re.search(r"summary:</span>\s*" + re.escape(summary), page)
            assert marked, (name, prov.eid)


def test_titled_provision_shows_its_title_unmarked(tmp_path, catalogue):
    prov = titled(catalogue, "un.iccpr")[0]
    title = prov.titles.get("en") or next(iter(prov.titles.values()))
    out = site(tmp_path, catalogue, [f"un.iccpr#{prov.eid}"])
    page = flat(html_lib.unescape((out / "incidents/story.html").read_text(encoding="utf-8")))
    assert title in page
    assert "summary:</span>" not in page
