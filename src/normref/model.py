"""Frozen data classes that flow through the normref pipeline.

Every object that leaves the library becomes plain JSON-able data through
:func:`to_json` (one place, so the JSON shape of contract §2 lives here).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from attrs import field, frozen

# ---------------------------------------------------------------- spans


@frozen(order=True)
class Span:
    """A half-open range ``[start, end)`` of code points in the original text."""

    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)

    def __len__(self) -> int:
        return self.end - self.start


# ---------------------------------------------------------------- catalogue


@frozen
class Relation:
    """A link from one instrument to another (replaces / replaced by)."""

    id: str
    date: dt.date | None = None


@frozen
class KzStatus:
    """Kazakhstan's relation to an instrument."""

    action: str | None = None  # ratification, accession, signature, adoption, ...
    date: dt.date | None = None  # date of the action
    in_force_for_kz: dt.date | None = None  # date from which Kazakhstan is bound
    reservations: tuple[str, ...] = ()
    source_url: str | None = None
    notes: str | None = None


@frozen
class Provision:
    """One article, rule, paragraph or part of an instrument."""

    id: str  # "<instrument id>#<eId>"
    eid: str
    number: str
    titles: dict[str, str] = field(factory=dict)  # lang -> title
    summary: str | None = None  # one-line obligation summary
    source_url: str | None = None

    @property
    def instrument_id(self) -> str:
        return self.id.split("#", 1)[0]


@frozen
class Instrument:
    """A treaty, protocol, law, code, soft-law text or mechanism of the catalogue."""

    id: str
    kind: str
    jurisdiction: str  # "international" or an ISO country code such as "kz"
    titles: dict[str, str]
    source_url: str
    short_names: dict[str, tuple[str, ...]] = field(factory=dict)
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    number: str | None = None  # e.g. "12" for UNHCR Guidelines No. 12, "87" for ILO C087
    adopted: dt.date | None = None
    entry_into_force: dt.date | None = None
    kz_status: KzStatus | None = None
    replaces: tuple[Relation, ...] = ()
    replaced_by: tuple[Relation, ...] = ()
    sources: tuple[str, ...] = ()
    notes: str | None = None
    provisions: tuple[Provision, ...] = ()
    file: str | None = None  # the YAML file it came from

    @property
    def can_bind(self) -> bool:
        return self.kind in BINDING_KINDS

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles.get("en") or next(iter(self.titles.values()))


#: Kinds of instrument that can bind a state; everything else is soft law or a mechanism.
BINDING_KINDS = frozenset({"treaty", "protocol", "constitution", "code", "law"})

INSTRUMENT_KINDS = frozenset(
    {
        "treaty",
        "protocol",
        "declaration",
        "soft-law",
        "general-comment",
        "guidelines",
        "constitution",
        "code",
        "law",
        "court-resolution",
        "mechanism",
    }
)

# ---------------------------------------------------------------- citations


@frozen
class Pinpoint:
    """One cited location inside an instrument, as written (before resolution).

    Levels are kept as written; the resolver maps them to Akoma Ntoso eIds,
    which depends on the instrument (a code's «часть» and a treaty's «пункт»
    are both ``para``).
    """

    article: str | None = None  # статья / article / бап
    part: str | None = None  # часть / бөлік
    item: str | None = None  # пункт / paragraph / тармақ
    subitem: str | None = None  # подпункт / letter / тармақша
    paragraph: str | None = None  # абзац
    rule: str | None = None  # rule (Mandela, Bangkok)


@frozen
class RawCitation:
    """A citation as the grammar found it: structure and span, no catalogue ids."""

    span: Span
    text: str
    pinpoints: tuple[Pinpoint, ...] = ()
    instrument_text: str | None = None  # the instrument phrase as written
    instrument_span: Span | None = None
    title: str | None = None  # a quoted title: «О масс-медиа»
    year: int | None = None
    date: dt.date | None = None  # «от 19 июня 2024 года»
    number: str | None = None  # «№ 12», «№ 93-VIII»
    jurisdiction_hint: str | None = None  # "kz", "ru", ... from «РК», «РФ»
    # None, "instrument" (данной Конвенции), "provision" (той же статьи), "bare" (статьи 33)
    short_form: str | None = None
    lang: str = "ru"


@frozen
class Citation:
    """A resolved citation: the raw parse plus what it points to in the catalogue."""

    raw: RawCitation
    status: str  # "resolved", "ambiguous", "unresolved"
    instrument: str | None = None
    provisions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    confidence: float = 0.0
    reason: str | None = None
    antecedent: int | None = None  # index of the citation a short form leans on

    @property
    def span(self) -> Span:
        return self.raw.span

    @property
    def text(self) -> str:
        return self.raw.text

    @property
    def start(self) -> int:
        return self.raw.span.start

    @property
    def end(self) -> int:
        return self.raw.span.end


# ---------------------------------------------------------------- incidents


@frozen
class Incident:
    """One news item of a digest (or one JSON object of incidents)."""

    id: str
    text: str  # the incident's own text
    span: Span  # where that text lies in the input file (0..len for JSON input)
    rubric: str | None = None
    headline: str | None = None
    author: str | None = None
    outlet: str | None = None
    date: dt.date | None = None
    urls: tuple[str, ...] = ()
    source: str | None = None  # the file it came from
    offset_base: int = 0  # added to offsets inside `text` when reporting (span.start for digests)


@frozen
class Evidence:
    """Why an obligation was tagged: a span of the text and the basis it supports."""

    span: Span | None
    text: str
    basis: str  # citation, rubric, trigger, implied
    detail: str | None = None  # the trigger rule, the rubric, the charge


@frozen
class Obligation:
    """A provision an incident potentially engages."""

    provision: str  # provision id (or instrument id for an instrument-only mention)
    instrument: str
    basis: tuple[str, ...]
    confidence: float
    binding_on_date: bool | None
    evidence: tuple[Evidence, ...] = ()


@frozen
class TaggedIncident:
    """An incident with its citations and obligations."""

    incident: Incident
    citations: tuple[Citation, ...] = ()
    obligations: tuple[Obligation, ...] = ()


# ---------------------------------------------------------------- JSON


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def to_json(obj: Any, *, offset: int = 0) -> Any:
    """Convert any model object (or list of them) to plain JSON-able data.

    ``offset`` is added to every span, so citations found in an incident's own
    text can be reported against the whole input file.
    """
    if isinstance(obj, (list, tuple)):
        return [to_json(o, offset=offset) for o in obj]
    if isinstance(obj, Span):
        return {"start": obj.start + offset, "end": obj.end + offset}
    if isinstance(obj, Citation):
        out: dict[str, Any] = {
            "start": obj.raw.span.start + offset,
            "end": obj.raw.span.end + offset,
            "text": obj.raw.text,
            "status": obj.status,
            "instrument": obj.instrument,
            "provisions": list(obj.provisions),
            "confidence": round(obj.confidence, 3),
        }
        if obj.status == "ambiguous":
            out["candidates"] = list(obj.candidates)
        if obj.reason:
            out["reason"] = obj.reason
        if obj.raw.short_form:
            out["short_form"] = True
            out["antecedent"] = obj.antecedent
        return out
    if isinstance(obj, Evidence):
        ev: dict[str, Any] = {
            "start": obj.span.start + offset if obj.span else None,
            "end": obj.span.end + offset if obj.span else None,
            "text": obj.text,
            "basis": obj.basis,
        }
        if obj.detail:
            ev["detail"] = obj.detail
        return ev
    if isinstance(obj, Obligation):
        return {
            "provision": obj.provision,
            "instrument": obj.instrument,
            "basis": list(obj.basis),
            "confidence": round(obj.confidence, 3),
            "binding_on_date": obj.binding_on_date,
            "evidence": [to_json(e, offset=offset) for e in obj.evidence],
        }
    if isinstance(obj, TaggedIncident):
        inc = obj.incident
        base = inc.offset_base
        return {
            "id": inc.id,
            "rubric": inc.rubric,
            "headline": inc.headline,
            "author": inc.author,
            "outlet": inc.outlet,
            "date": _date(inc.date),
            "urls": list(inc.urls),
            "source": inc.source,
            "start": inc.span.start,
            "end": inc.span.end,
            "citations": [to_json(c, offset=base) for c in obj.citations],
            "obligations": [to_json(o, offset=base) for o in obj.obligations],
        }
    if isinstance(obj, Provision):
        return {
            "id": obj.id,
            "eid": obj.eid,
            "number": obj.number,
            "titles": dict(obj.titles),
            "summary": obj.summary,
            "source_url": obj.source_url,
        }
    if isinstance(obj, KzStatus):
        return {
            "action": obj.action,
            "date": _date(obj.date),
            "in_force_for_kz": _date(obj.in_force_for_kz),
            "reservations": list(obj.reservations),
            "source_url": obj.source_url,
            "notes": obj.notes,
        }
    if isinstance(obj, Relation):
        return {"id": obj.id, "date": _date(obj.date)}
    if isinstance(obj, Instrument):
        return {
            "id": obj.id,
            "kind": obj.kind,
            "jurisdiction": obj.jurisdiction,
            "titles": dict(obj.titles),
            "short_names": {k: list(v) for k, v in obj.short_names.items()},
            "abbreviations": list(obj.abbreviations),
            "aliases": list(obj.aliases),
            "number": obj.number,
            "adopted": _date(obj.adopted),
            "entry_into_force": _date(obj.entry_into_force),
            "kz_status": to_json(obj.kz_status) if obj.kz_status else None,
            "replaces": [to_json(r) for r in obj.replaces],
            "replaced_by": [to_json(r) for r in obj.replaced_by],
            "source_url": obj.source_url,
            "sources": list(obj.sources),
            "notes": obj.notes,
            "provisions": [to_json(p) for p in obj.provisions],
        }
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, dict):
        return {str(k): to_json(v, offset=offset) for k, v in obj.items()}
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON")


def tag_document(
    tagged: list[TaggedIncident] | tuple[TaggedIncident, ...],
    catalogue_version: str,
) -> dict[str, Any]:
    """The whole ``tag --format json`` document of contract §2."""
    from . import __version__

    return {
        "normref": __version__,
        "catalogue": catalogue_version,
        "incidents": [to_json(t) for t in tagged],
    }
