"""The lawyers' static report: a norm-to-incident site that opens from disk.

:func:`build_report` writes (contract §3)::

    DIR/index.html                 totals, charts, the norms and incidents tables, filters, search
    DIR/norms/<instrument>.html    every provision with the incidents that engage it
    DIR/incidents/<incident>.html  the text with citations and evidence highlighted
    DIR/data.json                  the ``tag --format json`` document
    DIR/obligations.csv            one row per incident x provision
    DIR/static/report.css, report.js
    DIR/.normref-manifest.json     what normref wrote, so a re-run replaces only that

Everything taken from incidents (text, headlines, URLs, ids) is untrusted: Jinja2
escapes it, only ``http``/``https`` URLs become links, and ids are turned into
safe file names that cannot leave ``DIR``.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from attrs import frozen

from . import __version__
from .catalogue import Catalogue
from .errors import NormrefError
from .model import Instrument, Obligation, Provision, Span, TaggedIncident, tag_document

MANIFEST = ".normref-manifest.json"
STATIC_FILES = ("report.css", "report.js")
#: Characters of each incident's text that the index's full-text search looks at.
SEARCH_TEXT_LIMIT = 50_000
#: Fewer files than this are written too fast to deserve a progress bar.
PROGRESS_MIN_FILES = 50
#: Characters of context on each side of a keyword-in-context snippet.
KWIC_WIDTH = 80
BASES = ("citation", "rubric", "trigger", "implied")
CSV_COLUMNS = (
    "incident",
    "date",
    "rubric",
    "headline",
    "provision",
    "instrument",
    "basis",
    "confidence",
    "binding_on_date",
)

_HERE = Path(__file__).resolve().parent
_TEMPLATES = _HERE / "templates"
_STATIC = _HERE / "static"

_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_MAX_NAME = 80
_SURROGATE = re.compile("[\ud800-\udfff]")
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


class ReportError(NormrefError):
    """The report cannot be written (e.g. it would overwrite a file normref did not write)."""


# ---------------------------------------------------------------- small safe helpers


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL safe to put in ``href``, else None."""
    if not url or _URL_FORBIDDEN.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def safe_name(ident: str) -> str:
    """A file-name stem for an id: ASCII, no path separators, no leading dot, stable.

    Ids that are already safe are kept as they are; any other id is cleaned and
    given a short hash of the original, so two different ids never share a name.
    """
    cleaned = _UNSAFE_NAME_CHARS.sub("_", ident).lstrip(".")
    changed = (
        cleaned != ident
        or not cleaned
        or len(cleaned) > _MAX_NAME
        or cleaned.split(".")[0].upper() in _WINDOWS_RESERVED
    )
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    if changed:
        digest = hashlib.sha1(ident.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        cleaned = f"{cleaned[:_MAX_NAME]}-{digest}" if cleaned else f"id-{digest}"
    return cleaned


def html_id(ident: str) -> str:
    """A value for an HTML ``id`` attribute / URL fragment derived from ``ident``."""
    return "p-" + _UNSAFE_NAME_CHARS.sub("_", ident)


def _unique_names(idents: Iterable[str]) -> dict[str, str]:
    """Map each distinct id to a distinct safe name (case-insensitively distinct)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for ident in idents:
        if ident in names:
            continue
        base = safe_name(ident)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        names[ident] = name
    return names


def eid_label(eid: str) -> str:
    """A short human label for an Akoma Ntoso eId: ``art_14__para_3__point_d`` -> art. 14(3)(d)."""
    out = ""
    for part in eid.split("__"):
        kind, _, num = part.partition("_")
        if kind == "art":
            out += f"{' ' if out else ''}art. {num}"
        elif kind in ("para", "point", "subpoint") and out:
            out += f"({num})"
        elif kind == "para":
            out += f"para. {num}"
        else:
            out += f"{' ' if out else ''}{kind} {num}"
    return out or eid


def instrument_label(inst: Instrument | None, inst_id: str) -> str:
    """The shortest name a lawyer recognises: an abbreviation, a short name or the title."""
    if inst is None:
        return inst_id
    for abbr in inst.abbreviations:  # the report speaks English: a Latin abbreviation first
        if abbr and abbr.isascii() and "/" not in abbr:
            return abbr
    for name in inst.short_names.get("en", ()):
        if name:
            return name
    if "en" in inst.titles:
        return inst.titles["en"]
    for abbr in inst.abbreviations:
        if abbr:
            return abbr
    return inst.title("en") if inst.titles else inst_id


def _binding_text(inst: Instrument | None) -> str:
    """What the catalogue says about Kazakhstan being bound by ``inst``."""
    if inst is None:
        return "not in the catalogue"
    if not inst.can_bind:
        return f"not binding ({inst.kind})"
    if inst.jurisdiction == "kz":
        since = inst.entry_into_force
        return f"law of Kazakhstan, in force since {since}" if since else "law of Kazakhstan"
    status = inst.kz_status
    if status is None:
        return "Kazakhstan's status not recorded"
    if status.action in (None, "none"):
        return "Kazakhstan is not a party"
    if status.action == "signature":
        return f"signed by Kazakhstan ({status.date})" if status.date else "signed by Kazakhstan"
    if status.in_force_for_kz:
        return f"binding on Kazakhstan since {status.in_force_for_kz} ({status.action})"
    return f"{status.action} by Kazakhstan; date of entry into force not recorded"


def _binding_summary(values: Iterable[bool | None]) -> str:
    """yes / no / unknown / partly for a set of binding_on_date values."""
    seen = set(values)
    if not seen:
        return "unknown"
    if seen == {True}:
        return "yes"
    if seen == {False}:
        return "no"
    if seen == {None}:
        return "unknown"
    return "partly"


def _binding_word(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def _clamp(span: Span | None, length: int) -> tuple[int, int] | None:
    """The span clipped to ``[0, length]``, or None when nothing is left of it."""
    if span is None:
        return None
    start, end = max(0, min(span.start, length)), max(0, min(span.end, length))
    return (start, end) if end > start else None


def kwic(text: str, span: Span | None, width: int = KWIC_WIDTH) -> tuple[str, str, str] | None:
    """Keyword in context: (left, hit, right) around ``span``, on one line, cut at spaces."""
    where = _clamp(span, len(text))
    if where is None:
        return None
    start, end = where
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    if start - width > 0 and " " in left:
        left = "…" + left[left.index(" ") + 1 :]
    if end + width < len(text) and " " in right:
        right = right[: right.rindex(" ")] + "…"

    def flat(s: str) -> str:
        return re.sub(r"\s+", " ", s)

    return flat(left), flat(text[start:end]), flat(right)


# ---------------------------------------------------------------- highlights


@frozen
class Mark:
    """One highlight in an incident's text: a citation or a piece of evidence."""

    start: int
    end: int
    key: str  # anchor id in the incident page: c<i> or e<j>-<k>
    kind: str  # "citation" or "evidence"
    css: str  # classes this mark adds to the segments it covers
    note: str  # tooltip / side note: provision and basis
    href: str | None  # the norm page


@frozen
class Segment:
    """A run of text with the same set of marks over it."""

    text: str
    marks: tuple[Mark, ...]
    anchors: tuple[str, ...]  # keys of marks that start here

    @property
    def css(self) -> str:
        classes: list[str] = []
        for m in self.marks:
            for c in m.css.split():
                if c not in classes:
                    classes.append(c)
        return " ".join(["hl", *classes]) if classes else ""

    @property
    def note(self) -> str:
        notes: list[str] = []
        for m in self.marks:
            if m.note not in notes:
                notes.append(m.note)
        return "\n".join(notes)

    @property
    def href(self) -> str | None:
        return next((m.href for m in self.marks if m.href), None)


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece lists the marks covering it.

    Marks may overlap or nest; empty or out-of-range marks are dropped. The
    segments' texts joined together give back ``text`` exactly.
    """
    n = len(text)
    kept = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in kept), *(m.end for m in kept)})
    starts: dict[int, list[Mark]] = defaultdict(list)
    for m in kept:
        starts[m.start].append(m)
    active: list[Mark] = []
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        out.append(Segment(text[a:b], tuple(active), tuple(m.key for m in starts.get(a, []))))
    return out


# ---------------------------------------------------------------- the site model


class _Site:
    """Everything the templates need, computed once from the tagged incidents."""

    def __init__(self, tagged: Sequence[TaggedIncident], catalogue: Catalogue) -> None:
        self.tagged = list(tagged)
        self.catalogue = catalogue
        self.incident_names = _unique_names(t.incident.id for t in self.tagged)
        # one page per incident even when two incidents share an id
        self.incident_files: list[str] = []
        taken: set[str] = set()
        for t in self.tagged:
            name = self.incident_names[t.incident.id]
            candidate, n = name, 1
            while candidate.casefold() in taken:
                n += 1
                candidate = f"{name}-{n}"
            taken.add(candidate.casefold())
            self.incident_files.append(candidate)
        engaged = [o.instrument for t in self.tagged for o in t.obligations]
        engaged += [c.instrument for t in self.tagged for c in t.citations if c.instrument]
        self.instrument_ids = list(dict.fromkeys([*catalogue.instruments, *engaged]))
        self.norm_names = _unique_names(self.instrument_ids)
        self._order: dict[str, int] = {}
        for n, inst in enumerate(catalogue.instruments.values()):
            self._order[inst.id] = n
            for m, prov in enumerate(inst.provisions):
                self._order[prov.id] = m

    # -- labels and links

    def inst(self, inst_id: str) -> Instrument | None:
        return self.catalogue.instruments.get(inst_id)

    def inst_label(self, inst_id: str) -> str:
        return instrument_label(self.inst(inst_id), inst_id)

    def prov_label(self, prov_id: str) -> str:
        inst_id, sep, eid = prov_id.partition("#")
        base = self.inst_label(inst_id)
        return f"{base} {eid_label(eid)}" if sep else base

    def prov_title(self, prov_id: str) -> str:
        prov = self.catalogue.provisions.get(prov_id)
        if prov is None:
            return ""
        titles = prov.titles
        return titles.get("en") or titles.get("ru") or next(iter(titles.values()), "")

    def prov_heading(self, prov_id: str) -> tuple[str, bool]:
        """What names a provision beside its number: its title, or, when the catalogue holds
        none, its summary (then True, so the page marks it as a summary, not a title)."""
        title = self.prov_title(prov_id)
        if title:
            return title, False
        prov = self.catalogue.provisions.get(prov_id)
        summary = " ".join((prov.summary or "").split()) if prov else ""
        return summary, bool(summary)

    def norm_href(self, prov_or_inst: str, root: str = "") -> str:
        inst_id, sep, _ = prov_or_inst.partition("#")
        name = self.norm_names.get(inst_id) or safe_name(inst_id)
        page = f"{root}norms/{quote(name)}.html"
        return f"{page}#{html_id(prov_or_inst)}" if sep else page

    def official_href(self, prov_or_inst: str) -> str | None:
        prov = self.catalogue.provisions.get(prov_or_inst)
        if prov is not None and safe_url(prov.source_url):
            return prov.source_url
        inst = self.inst(prov_or_inst.partition("#")[0])
        return safe_url(inst.source_url) if inst else None

    def incident_href(self, index: int, root: str = "") -> str:
        return f"{root}incidents/{quote(self.incident_files[index])}.html"

    # -- pages

    def index_context(self) -> dict[str, Any]:
        rows = []
        prov_incidents: dict[str, list[int]] = defaultdict(list)
        prov_binding: dict[str, list[bool | None]] = defaultdict(list)
        inst_incidents: Counter[str] = Counter()
        months: Counter[str] = Counter()
        undated = 0
        rubrics: set[str] = set()
        for i, t in enumerate(self.tagged):
            inc = t.incident
            if inc.date:
                months[inc.date.strftime("%Y-%m")] += 1
            else:
                undated += 1
            if inc.rubric:
                rubrics.add(inc.rubric)
            for o in t.obligations:
                prov_incidents[o.provision].append(i)
                prov_binding[o.provision].append(o.binding_on_date)
            for inst_id in dict.fromkeys(o.instrument for o in t.obligations):
                inst_incidents[inst_id] += 1
            rows.append(self._incident_row(i, t))
        norm_rows = []
        for pid in sorted(prov_incidents, key=self._prov_sort_key):
            inst_id = pid.partition("#")[0]
            norm_rows.append(
                {
                    "provision": _token(pid),
                    "instrument": _token(inst_id),
                    "inst_label": self.inst_label(inst_id),
                    "inst_title": self._inst_title(inst_id),
                    "label": self.prov_label(pid),
                    "title": self.prov_heading(pid)[0],
                    "title_is_summary": self.prov_heading(pid)[1],
                    "count": len(set(prov_incidents[pid])),
                    "binding": _binding_summary(prov_binding[pid]),
                    "binding_note": _binding_text(self.inst(inst_id)),
                    "href": self.norm_href(pid),
                }
            )
        dates = sorted(t.incident.date for t in self.tagged if t.incident.date)
        n_obligations = sum(len(t.obligations) for t in self.tagged)
        citations = [c for t in self.tagged for c in t.citations]
        totals = {
            "incidents": len(self.tagged),
            "with_obligations": sum(1 for t in self.tagged if t.obligations),
            "obligations": n_obligations,
            "provisions": len(prov_incidents),
            "instruments": len(inst_incidents),
            "citations": len(citations),
            "resolved": sum(1 for c in citations if c.status == "resolved"),
            "first": dates[0].isoformat() if dates else None,
            "last": dates[-1].isoformat() if dates else None,
        }
        engaged_insts = sorted(inst_incidents, key=lambda i: (-inst_incidents[i], i))
        search = {
            str(i): t.incident.text[:SEARCH_TEXT_LIMIT] for i, t in enumerate(self.tagged)
        }
        return {
            "root": "",
            "title": "normref report",
            "totals": totals,
            "month_chart": _bar_chart_months(sorted(months.items()), undated),
            "instrument_chart": _bar_chart_instruments(
                [(self.inst_label(i), self._inst_title(i), inst_incidents[i], self.norm_href(i))
                 for i in engaged_insts]
            ),
            "norm_rows": norm_rows,
            "incident_rows": rows,
            "filter_instruments": [
                (_token(i), self.inst_label(i)) for i in sorted(inst_incidents)
            ],
            "filter_provisions": [
                (r["provision"], r["label"], r["instrument"]) for r in norm_rows
            ],
            "filter_rubrics": sorted(rubrics),
            "bases": BASES,
            "date_min": totals["first"] or "",
            "date_max": totals["last"] or "",
            "search_json": _json_for_script(search),
            "all_instruments": [
                (self.inst_label(i), self._inst_title(i), self.norm_href(i))
                for i in self.instrument_ids
            ],
            "generated": _generated(),
        }

    def _inst_title(self, inst_id: str) -> str:
        inst = self.inst(inst_id)
        return inst.title("en") if inst and inst.titles else inst_id

    def _prov_sort_key(self, pid: str) -> tuple[Any, ...]:
        """Catalogue order: instruments as listed, provisions as listed, the rest after."""
        inst_id, _, eid = pid.partition("#")
        late = len(self._order)
        return (self._order.get(inst_id, late), inst_id, self._order.get(pid, late),
                _natural(eid))

    def _incident_row(self, i: int, t: TaggedIncident) -> dict[str, Any]:
        inc = t.incident
        obligations = []
        tokens = []
        for o in t.obligations:
            obligations.append(
                {"label": self.prov_label(o.provision),
                 "title": self.prov_heading(o.provision)[0],
                 "title_is_summary": self.prov_heading(o.provision)[1],
                 "basis": ", ".join(o.basis)}
            )
            bases = ",".join(_token(b) for b in o.basis)
            tokens.append(f"{_token(o.provision)}|{_token(o.instrument)}|{bases}")
        return {
            "index": i,
            "id": inc.id,
            "href": self.incident_href(i),
            "date": inc.date.isoformat() if inc.date else "",
            "rubric": inc.rubric or "",
            "headline": inc.headline or _first_words(inc.text),
            "outlet": inc.outlet or inc.author or "",
            "obligations": obligations,
            "obs": " ".join(tokens),
        }

    def norm_context(self, inst_id: str) -> dict[str, Any]:
        inst = self.inst(inst_id)
        hits: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for i, t in enumerate(self.tagged):
            for j, o in enumerate(t.obligations):
                if o.instrument == inst_id or o.provision.partition("#")[0] == inst_id:
                    hits[o.provision].append(self._hit(i, t, j, o))
        for items in hits.values():
            items.sort(key=lambda h: (h["date"] or "9999", h["headline"]))
        provisions = []
        known = set()
        for prov in inst.provisions if inst else ():
            known.add(prov.id)
            provisions.append(self._provision_block(prov.id, prov, hits.get(prov.id, [])))
        whole = hits.get(inst_id, [])
        known.add(inst_id)
        others = [
            self._provision_block(pid, None, hits[pid])
            for pid in sorted(hits, key=self._prov_sort_key)
            if pid not in known
        ]
        kz = inst.kz_status if inst else None
        return {
            "root": "../",
            "title": self._inst_title(inst_id),
            "inst_id": inst_id,
            "inst": inst,
            "label": self.inst_label(inst_id),
            "titles": sorted(inst.titles.items()) if inst else [],
            "binding_text": _binding_text(inst),
            "kz": kz,
            "kz_source": safe_url(kz.source_url) if kz else None,
            "official": safe_url(inst.source_url) if inst else None,
            "sources": [(s, safe_url(s)) for s in (inst.sources if inst else ())],
            "provisions": provisions,
            "whole": whole,
            "whole_anchor": html_id(inst_id),
            "others": others,
            "engaged": sum(1 for p in [*provisions, *others] if p["hits"]) + bool(whole),
            "n_incidents": len({h["index"] for items in hits.values() for h in items}),
            "index_href": "../index.html",
            "generated": _generated(),
        }

    def _provision_block(
        self, pid: str, prov: Provision | None, hits: list[dict[str, Any]]
    ) -> dict[str, Any]:
        eid = pid.partition("#")[2]
        return {
            "id": pid,
            "anchor": html_id(pid),
            "label": eid_label(eid) if eid else pid,
            "number": prov.number if prov else None,
            "titles": sorted(prov.titles.items()) if prov else [],
            "summary": prov.summary if prov else None,
            "official": self.official_href(pid),
            "own_url": bool(prov and safe_url(prov.source_url)),
            "in_catalogue": prov is not None,
            "hits": hits,
            "index_href": "../index.html#" + _hash_param("provision", _token(pid)),
        }

    def _hit(self, i: int, t: TaggedIncident, j: int, o: Obligation) -> dict[str, Any]:
        inc = t.incident
        snippets = []
        for k, ev in enumerate(o.evidence):
            snip = kwic(inc.text, ev.span)
            anchor = f"e{j}-{k}" if snip else None
            snippets.append(
                {
                    "left": snip[0] if snip else "",
                    "hit": snip[1] if snip else ev.text,
                    "right": snip[2] if snip else "",
                    "in_text": snip is not None,
                    "basis": ev.basis,
                    "detail": ev.detail,
                    "href": self.incident_href(i, "../") + (f"#{anchor}" if anchor else ""),
                }
            )
        return {
            "index": i,
            "href": self.incident_href(i, "../"),
            "date": inc.date.isoformat() if inc.date else "",
            "headline": inc.headline or _first_words(inc.text),
            "rubric": inc.rubric or "",
            "outlet": inc.outlet or inc.author or "",
            "basis": list(o.basis),
            "confidence": f"{o.confidence:.2f}",
            "binding": _binding_word(o.binding_on_date),
            "snippets": snippets,
        }

    def incident_context(self, i: int) -> dict[str, Any]:
        t = self.tagged[i]
        inc = t.incident
        marks: list[Mark] = []
        citations = []
        for ci, c in enumerate(t.citations):
            key = f"c{ci}"
            targets = list(c.provisions) or ([c.instrument] if c.instrument else [])
            labels = ", ".join(self.prov_label(p) for p in targets)
            if c.status == "resolved":
                note = f"citation: {labels}" if labels else "citation"
            elif c.status == "ambiguous":
                note = "citation (ambiguous: " + ", ".join(c.candidates) + ")"
            else:
                note = "citation (unresolved" + (f": {c.reason}" if c.reason else "") + ")"
            href = self.norm_href(targets[0], "../") if targets else None
            where = _clamp(c.span, len(inc.text))
            if where:
                css = "hl-citation" + ("" if c.status == "resolved" else " hl-unresolved")
                marks.append(Mark(where[0], where[1], key, "citation", css, note, href))
            citations.append(
                {
                    "key": key if where else None,
                    "text": c.text,
                    "status": c.status,
                    "instrument": self.inst_label(c.instrument) if c.instrument else "",
                    "provisions": [
                        (self.prov_label(p), self.norm_href(p, "../"), self.official_href(p))
                        for p in targets
                    ],
                    "candidates": list(c.candidates),
                    "confidence": f"{c.confidence:.2f}",
                    "reason": c.reason or "",
                }
            )
        obligations = []
        for j, o in enumerate(t.obligations):
            label = self.prov_label(o.provision)
            evidence = []
            for k, ev in enumerate(o.evidence):
                key = f"e{j}-{k}"
                where = _clamp(ev.span, len(inc.text))
                if where:
                    note = f"{label}: {ev.basis}" + (f" ({ev.detail})" if ev.detail else "")
                    marks.append(
                        Mark(
                            where[0], where[1], key, "evidence", f"hl-ev hl-{_token(ev.basis)}",
                            note, self.norm_href(o.provision, "../"),
                        )
                    )
                evidence.append(
                    {"key": key if where else None, "text": ev.text, "basis": ev.basis,
                     "detail": ev.detail or ""}
                )
            obligations.append(
                {
                    "provision": o.provision,
                    "label": label,
                    "title": self.prov_heading(o.provision)[0],
                    "title_is_summary": self.prov_heading(o.provision)[1],
                    "instrument": self.inst_label(o.instrument),
                    "href": self.norm_href(o.provision, "../"),
                    "official": self.official_href(o.provision),
                    "basis": list(o.basis),
                    "confidence": f"{o.confidence:.2f}",
                    "binding": _binding_word(o.binding_on_date),
                    "evidence": evidence,
                }
            )
        return {
            "root": "../",
            "title": inc.headline or _first_words(inc.text) or inc.id,
            "inc": inc,
            "date": inc.date.isoformat() if inc.date else "",
            "urls": [(u, safe_url(u)) for u in inc.urls],
            "source_name": Path(inc.source).name if inc.source else "",
            "obligations": obligations,
            "citations": citations,
            # browsers drop NUL from HTML text; show it as U+FFFD (same length, same offsets)
            "segments": segments(inc.text.replace("\x00", "\ufffd"), marks),
            "index_href": "../index.html",
            "generated": _generated(),
        }


def _natural(s: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s))


def _token(s: str) -> str:
    """A value safe inside a space- and bar-separated data attribute."""
    return re.sub(r"[\s|,]", "_", s)


def _hash_param(key: str, value: str) -> str:
    return f"{key}={quote(value, safe='')}"


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _generated() -> str:
    return f"normref {__version__}"


def _json_for_script(data: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">`` without ending it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


# ---------------------------------------------------------------- charts (inline SVG)


def _bar_chart_months(months: list[tuple[str, int]], undated: int) -> dict[str, Any]:
    """Geometry of a vertical bar chart of incidents per month."""
    bar, gap, height, top, bottom = 48, 12, 120, 18, 30
    peak = max((c for _, c in months), default=0) or 1
    bars = []
    for n, (month, count) in enumerate(months):
        h = round(height * count / peak)
        x = gap + n * (bar + gap)
        year, mon = (int(part) for part in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
        bars.append(
            {"label": month, "count": count, "x": x, "y": top + height - h, "w": bar, "h": h,
             "cx": x + bar / 2, "href": f"#from={month}-01&to={month}-{last:02d}"}
        )
    width = max(gap + len(months) * (bar + gap), 200)
    return {"bars": bars, "width": width, "height": top + height + bottom,
            "base": top + height, "undated": undated}


def _bar_chart_instruments(items: list[tuple[str, str, int, str]]) -> dict[str, Any]:
    """Geometry of a horizontal bar chart of incidents per instrument."""
    row, label_w, bar_max = 22, 190, 320
    peak = max((c for _, _, c, _ in items), default=0) or 1
    bars = []
    for n, (label, title, count, href) in enumerate(items):
        w = max(2, round(bar_max * count / peak))
        bars.append(
            {"label": label if len(label) <= 28 else label[:27] + "…", "title": title,
             "count": count, "y": n * row + 4, "w": w, "x": label_w, "href": href,
             "ty": n * row + 4 + row / 2 + 1}
        )
    return {"bars": bars, "width": label_w + bar_max + 50, "height": len(items) * row + 8}


# ---------------------------------------------------------------- CSV


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str | None) -> str:
    """Untrusted text for a spreadsheet cell: a leading formula character is quoted away."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def obligations_csv(tagged: Sequence[TaggedIncident]) -> str:
    """``obligations.csv``: one row per incident x provision (UTF-8, comma, header row)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in tagged:
        inc = t.incident
        for o in t.obligations:
            writer.writerow(
                [
                    inc.id,
                    inc.date.isoformat() if inc.date else "",
                    _csv_text(inc.rubric),
                    _csv_text(inc.headline),
                    o.provision,
                    o.instrument,
                    ";".join(o.basis),
                    f"{o.confidence:.3f}",
                    "" if o.binding_on_date is None else str(o.binding_on_date).lower(),
                ]
            )
    return buf.getvalue()


# ---------------------------------------------------------------- writing safely


class _Output:
    """Writes files under ``out_dir`` and remembers them in the manifest.

    A path that already exists and is not in the previous manifest is never
    touched: :meth:`check` raises :class:`ReportError` before anything is written.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        if out_dir.exists() and not out_dir.is_dir():
            raise ReportError(f"{out_dir}: exists and is not a folder")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"{out_dir}: cannot create: {exc.strerror or exc}") from exc
        self.root = out_dir.resolve()
        self.previous = self._read_manifest()
        self.written: list[str] = []

    def _read_manifest(self) -> set[str]:
        path = self.out_dir / MANIFEST
        if not path.is_file() or path.is_symlink():
            return set()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"] if isinstance(data, dict) else []
        except (OSError, ValueError, KeyError, TypeError):
            return set()
        if not isinstance(files, list):  # a hand-edited manifest: trust nothing in it
            return set()
        return {f for f in files if isinstance(f, str) and self._inside(f)}

    def _inside(self, rel: str) -> bool:
        """Is ``rel`` a plain relative path that stays inside the output folder?"""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or not pure.parts or any(p in ("..", ".", "") for p in pure.parts):
            return False
        if "\\" in rel or "\x00" in rel:
            return False
        try:
            (self.root / pure).parent.resolve().relative_to(self.root)
        except (ValueError, OSError):
            return False
        return True

    def check(self, rels: Iterable[str]) -> None:
        """Refuse to run if any planned file would overwrite something not ours."""
        clashes = []
        for rel in rels:
            if not self._inside(rel):
                raise ReportError(f"{self.out_dir}: refusing to write outside it: {rel!r}")
            path = self.root / rel
            if path.is_dir() and not path.is_symlink():
                clashes.append(rel)
            elif (path.exists() or path.is_symlink()) and rel not in self.previous:
                clashes.append(rel)
        if clashes:
            shown = ", ".join(clashes[:3]) + (" …" if len(clashes) > 3 else "")
            raise ReportError(
                f"{self.out_dir}: would overwrite {len(clashes)} file(s) that normref did not "
                f"write ({shown}); choose another --out folder or move them away"
            )

    def write(self, rel: str, content: str | bytes, errors: str = "replace") -> Path:
        """Write atomically; text that cannot be UTF-8 (lone surrogates) is replaced."""
        path = self.root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"{path.parent}: cannot create: {exc.strerror or exc}") from exc
        if not self._inside(rel):  # a folder became a symlink meanwhile
            raise ReportError(f"{self.out_dir}: refusing to write outside it: {rel!r}")
        if isinstance(content, str):
            if errors == "replace":
                content = _SURROGATE.sub("\ufffd", content)
            content = content.encode("utf-8", errors)
        tmp = path.with_name(f".{path.name}.normref-tmp-{os.getpid()}")
        try:
            tmp.write_bytes(content)
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ReportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        self.written.append(rel)
        return self.out_dir / rel

    def claim(self, rels: Iterable[str]) -> None:
        """Record the files about to be written, so a crash half-way leaves nothing orphaned."""
        manifest = {"normref": __version__, "files": sorted(self.previous | set(rels))}
        self.write(MANIFEST, json.dumps(manifest, indent=1) + "\n")
        self.written.remove(MANIFEST)

    def finish(self) -> None:
        """Remove files of the previous run that this run did not write; save the manifest."""
        keep = set(self.written)
        emptied: set[Path] = set()
        for rel in sorted(self.previous - keep):
            path = self.root / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                emptied.add(path.parent)
        for folder in sorted(emptied, key=lambda p: -len(p.parts)):
            if folder != self.root:
                try:
                    folder.rmdir()  # only succeeds when empty
                except OSError:
                    pass
        manifest = {"normref": __version__, "files": sorted(keep)}
        self.write(MANIFEST, json.dumps(manifest, indent=1) + "\n")
        self.written.remove(MANIFEST)


# ---------------------------------------------------------------- entry point


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _progress(total: int, enabled: bool) -> Any:
    """A tqdm bar on stderr when asked for, worth it, and stderr is a terminal; else a no-op."""
    show = enabled and total >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    if show:
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency
            show = False
        else:
            return tqdm(total=total, file=sys.stderr, unit="page", desc="normref report",
                        leave=False)
    return _NoBar()


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _pages(site: _Site) -> Iterator[tuple[str, str, Any]]:
    """(relative path, template, context factory) for every HTML page."""
    yield "index.html", "index.html", site.index_context
    for inst_id in site.instrument_ids:
        yield f"norms/{site.norm_names[inst_id]}.html", "norm.html", (
            lambda inst_id=inst_id: site.norm_context(inst_id)
        )
    for i, name in enumerate(site.incident_files):
        yield f"incidents/{name}.html", "incident.html", (lambda i=i: site.incident_context(i))


def build_report(
    tagged: Sequence[TaggedIncident],
    catalogue: Catalogue,
    out_dir: Path,
    *,
    progress: bool = False,
) -> list[Path]:
    """Write the static report into ``out_dir`` and return the files written.

    Re-running into the same folder replaces what an earlier run wrote (listed
    in ``.normref-manifest.json``) and removes its pages that are no longer
    produced; any other file is left alone, and if one stands where a page
    must go, :class:`ReportError` is raised before anything is written.
    """
    tagged = list(tagged)
    out = _Output(Path(out_dir))
    site = _Site(tagged, catalogue)
    pages = list(_pages(site))
    extra = ["data.json", "obligations.csv", *(f"static/{f}" for f in STATIC_FILES)]
    planned = [rel for rel, _, _ in pages] + extra
    out.check(planned)
    out.claim(planned)
    env = _environment()
    files: list[Path] = []
    bar = _progress(len(pages) + len(extra), progress)
    try:
        for name in STATIC_FILES:
            files.append(out.write(f"static/{name}", (_STATIC / name).read_bytes()))
            bar.update()
        document = tag_document(tagged, catalogue.version)
        # a lone surrogate becomes a \uXXXX escape, which is still valid JSON
        text = json.dumps(document, ensure_ascii=False, indent=1)
        files.append(out.write("data.json", text, errors="backslashreplace"))
        bar.update()
        files.append(out.write("obligations.csv", obligations_csv(tagged)))
        bar.update()
        for rel, template, context in pages:
            html = env.get_template(template).render(**context())
            files.append(out.write(rel, html))
            bar.update()
    finally:
        bar.close()
    out.finish()
    return files
