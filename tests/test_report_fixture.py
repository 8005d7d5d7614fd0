"""Made-up incidents and a made-up catalogue for the report tests.

The instruments are fictional ("ex." namespace) so no fact about a real treaty
is asserted here; the pipeline feeds the report real data elsewhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from normref.catalogue import Catalogue
from normref.model import (
    Citation,
    Evidence,
    Incident,
    Instrument,
    KzStatus,
    Obligation,
    Provision,
    RawCitation,
    Span,
    TaggedIncident,
)

SPEECH = "ex.speech-covenant"
DETENTION = "ex.detention-rules"
CODE = "ex.penal-code"


def _prov(inst: str, eid: str, number: str, title: str, summary: str) -> Provision:
    return Provision(
        id=f"{inst}#{eid}", eid=eid, number=number, titles={"en": title}, summary=summary,
        source_url=f"https://example.org/{inst}/{eid}",
    )


def make_catalogue() -> Catalogue:
    speech = Instrument(
        id=SPEECH, kind="treaty", jurisdiction="international",
        titles={"en": "Example Covenant on Speech", "ru": "Примерный пакт о слове"},
        source_url="https://example.org/speech-covenant", abbreviations=("ECS",),
        kz_status=KzStatus(action="ratification", in_force_for_kz=dt.date(2000, 1, 1)),
        provisions=(
            _prov(SPEECH, "art_5", "5", "Opinion", "Everyone may hold opinions."),
            _prov(SPEECH, "art_5__para_2", "5(2)", "Expression", "Freedom to impart ideas."),
            _prov(SPEECH, "art_7", "7", "Assembly", "Peaceful assembly is protected."),
        ),
    )
    rules = Instrument(
        id=DETENTION, kind="soft-law", jurisdiction="international",
        titles={"en": "Example Rules on Detention"}, source_url="https://example.org/rules",
        abbreviations=("ERD",),
        provisions=(
            _prov(DETENTION, "rule_3", "3", "Contact with family", "Detainees may see kin."),
            _prov(DETENTION, "rule_9", "9", "Medical care", "Detainees get care."),
        ),
    )
    code = Instrument(
        id=CODE, kind="code", jurisdiction="kz", titles={"en": "Example Penal Code"},
        source_url="https://example.org/penal-code", abbreviations=("EPC",),
        entry_into_force=dt.date(2015, 1, 1),
        provisions=(_prov(CODE, "art_40", "40", "False rumours", "Spreading rumours."),),
    )
    return Catalogue([speech, rules, code], "test-1", Path("/nonexistent"))


def _cite(text: str, phrase: str, instrument: str | None, provisions: tuple[str, ...],
          status: str = "resolved") -> Citation:
    start = text.index(phrase)
    raw = RawCitation(span=Span(start, start + len(phrase)), text=phrase)
    return Citation(raw=raw, status=status, instrument=instrument, provisions=provisions,
                    confidence=0.9 if status == "resolved" else 0.0,
                    reason=None if status == "resolved" else "not in the catalogue")


def _ev(text: str, phrase: str, basis: str, detail: str | None = None) -> Evidence:
    start = text.index(phrase)
    return Evidence(span=Span(start, start + len(phrase)), text=phrase, basis=basis,
                    detail=detail)


def _incident(ident: str, text: str, date: dt.date | None, rubric: str, headline: str,
              outlet: str = "Example Times", urls: tuple[str, ...] = ()) -> Incident:
    return Incident(id=ident, text=text, span=Span(0, len(text)), rubric=rubric,
                    headline=headline, outlet=outlet, date=date,
                    urls=urls or (f"https://news.example.org/{ident}",))


def make_tagged() -> list[TaggedIncident]:
    """Six incidents over three months, engaging the three fictional instruments."""
    out: list[TaggedIncident] = []

    text = ("A blogger was fined for a post about the mayor. Her lawyer invoked "
            "article 5 part 2 of the Covenant on Speech and said the fine chills reporting.")
    cite = _cite(text, "article 5 part 2 of the Covenant on Speech", SPEECH,
                 (f"{SPEECH}#art_5__para_2",))
    out.append(TaggedIncident(
        _incident("blogger-fined", text, dt.date(2025, 10, 3), "Freedom of expression",
                  "BLOGGER FINED OVER POST"),
        (cite,),
        (Obligation(f"{SPEECH}#art_5__para_2", SPEECH, ("citation", "trigger"), 0.95, True,
                    (_ev(text, cite.text, "citation"),
                     _ev(text, "fined for a post", "trigger", "fine for publication"))),),
    ))

    text = ("Police dispersed a peaceful rally in the square and detained nine people. "
            "The detainees were denied contact with family for two days.")
    out.append(TaggedIncident(
        _incident("rally-dispersed", text, dt.date(2025, 11, 12), "Freedom of assembly",
                  "RALLY DISPERSED", outlet="Daily Example"),
        (),
        (Obligation(f"{SPEECH}#art_7", SPEECH, ("rubric", "trigger"), 0.8, True,
                    (Evidence(None, "Freedom of assembly", "rubric", "rubric"),
                     _ev(text, "dispersed a peaceful rally", "trigger"))),
         Obligation(f"{DETENTION}#rule_3", DETENTION, ("trigger",), 0.6, False,
                    (_ev(text, "denied contact with family", "trigger"),))),
    ))

    text = ("An activist was charged under article 40 of the Penal Code for spreading "
            "rumours about a hospital. The court kept him in custody without medical care.")
    cite = _cite(text, "article 40 of the Penal Code", CODE, (f"{CODE}#art_40",))
    out.append(TaggedIncident(
        _incident("activist-charged", text, dt.date(2025, 11, 20), "Freedom of expression",
                  "ACTIVIST CHARGED WITH RUMOURS"),
        (cite,),
        (Obligation(f"{CODE}#art_40", CODE, ("citation",), 0.9, True,
                    (_ev(text, cite.text, "citation"),)),
         Obligation(f"{SPEECH}#art_5__para_2", SPEECH, ("implied",), 0.7, True,
                    (_ev(text, "spreading rumours", "implied", "charge of rumours"),)),
         Obligation(f"{DETENTION}#rule_9", DETENTION, ("trigger",), 0.55, False,
                    (_ev(text, "without medical care", "trigger"),))),
    ))

    text = ("A journalist's accreditation was withdrawn after she asked about the budget; "
            "the ministry cited the Law on Accreditation, which is not in the catalogue.")
    cite = _cite(text, "the Law on Accreditation", None, (), status="unresolved")
    out.append(TaggedIncident(
        _incident("accreditation", text, dt.date(2025, 12, 1), "Freedom of expression",
                  "ACCREDITATION WITHDRAWN", outlet="Example Wire"),
        (cite,),
        (Obligation(f"{SPEECH}#art_5__para_2", SPEECH, ("rubric",), 0.5, True,
                    (Evidence(None, "Freedom of expression", "rubric", "rubric"),)),),
    ))

    text = ("Workers of a mine held a sit-in over unpaid wages; the union leader was "
            "questioned. Overlap test: peaceful sit-in over wages.")
    out.append(TaggedIncident(
        _incident("miners-sit-in", text, dt.date(2025, 12, 15), "Labour rights",
                  "MINERS STAGE SIT-IN", outlet="Example Wire"),
        (),
        (Obligation(f"{SPEECH}#art_7", SPEECH, ("trigger",), 0.65, True,
                    (_ev(text, "held a sit-in", "trigger"),
                     _ev(text, "peaceful sit-in over wages", "trigger"))),
         Obligation(f"{SPEECH}#art_5", SPEECH, ("trigger",), 0.4, None,
                    (_ev(text, "sit-in over", "trigger"),))),
    ))

    text = "An undated note about a court hearing that engaged no norm."
    out.append(TaggedIncident(
        _incident("undated-note", text, None, "Other", "UNDATED NOTE", outlet=""),
    ))
    return out
