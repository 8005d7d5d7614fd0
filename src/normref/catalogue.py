"""The norm catalogue: YAML files under ``norms/``, validated and indexed once.

Layout of a catalogue folder (see docs/catalogue.md):

* ``catalogue.yaml`` — the catalogue's version string;
* ``international/<id>.yaml``, ``kz/<id>.yaml`` — one file per instrument;
* ``rubrics.yaml``, ``relations.yaml``, ``triggers/*.yaml`` — the tagging rules,
  read and checked by :mod:`normref.rules`.

:func:`load_catalogue` reports *every* problem of a folder at once through
:class:`CatalogueError`, each with file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from .model import (
    INSTRUMENT_KINDS,
    Instrument,
    KzStatus,
    Provision,
    Relation,
)
from .resources import norms_dir
from .yamlio import LineDict, Problem, YamlProblem, load_yaml_file

#: Files and folders of a catalogue folder that are not instrument files.
RULE_FILES = frozenset({"rubrics.yaml", "relations.yaml"})
RULE_DIRS = frozenset({"triggers"})
META_FILE = "catalogue.yaml"
IGNORED_FILES = frozenset({"README.md", "README"})

NAMESPACES = frozenset({"un", "ilo", "unhcr", "ccpr", "kz", "osce", "coe"})
ID_RE = re.compile(r"^(?P<ns>[a-z]+)\.[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_EID_PART = r"(?:art|para|point|rule|part|section|chapter|annex|subpoint)_[0-9a-z]+(?:-[0-9a-z]+)*"
EID_RE = re.compile(rf"^{_EID_PART}(?:__{_EID_PART})*$")
LANGS = frozenset({"ru", "en", "kk"})
JURISDICTIONS = frozenset({"international", "kz"})
KZ_ACTIONS = frozenset(
    {"ratification", "accession", "succession", "signature", "acceptance", "approval",
     "adoption", "vote", "participation", "none"}
)

_TOP_FIELDS = {
    "id": True,
    "kind": True,
    "jurisdiction": True,
    "titles": True,
    "source_url": True,
    "short_names": False,
    "abbreviations": False,
    "aliases": False,
    "number": False,
    "adopted": False,
    "entry_into_force": False,
    "kz_status": False,
    "replaces": False,
    "replaced_by": False,
    "sources": False,
    "notes": False,
    "provisions": False,
}
_PROVISION_FIELDS = {
    "eid": True,
    "number": True,
    "titles": False,
    "summary": False,
    "source_url": False,
}
_STATUS_FIELDS = {
    "action": True,
    "date": False,
    "in_force_for_kz": False,
    "reservations": False,
    "source_url": False,
    "notes": False,
}


class CatalogueError(Exception):
    """A catalogue folder with problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class Catalogue:
    """All instruments and provisions, with lookup indexes built once."""

    def __init__(self, instruments: Iterable[Instrument], version: str, path: Path) -> None:
        self.version = version
        self.path = path
        self.instruments: dict[str, Instrument] = {i.id: i for i in instruments}
        self.provisions: dict[str, Provision] = {
            p.id: p for i in self.instruments.values() for p in i.provisions
        }

    def __repr__(self) -> str:
        return (
            f"<Catalogue {self.version}: {len(self.instruments)} instruments, "
            f"{len(self.provisions)} provisions>"
        )

    def __contains__(self, ident: str) -> bool:
        return ident in self.instruments or ident in self.provisions

    def __iter__(self):
        return iter(self.instruments.values())

    def __len__(self) -> int:
        return len(self.instruments)

    def instrument(self, ident: str) -> Instrument:
        """The instrument of an instrument id or of a provision id."""
        try:
            return self.instruments[ident.split("#", 1)[0]]
        except KeyError:
            raise KeyError(f"no instrument {ident!r} in the catalogue") from None

    def provision(self, ident: str) -> Provision:
        try:
            return self.provisions[ident]
        except KeyError:
            raise KeyError(f"no provision {ident!r} in the catalogue") from None

    def get(self, ident: str) -> Instrument | Provision | None:
        """An instrument or a provision by id, or None."""
        return self.instruments.get(ident) or self.provisions.get(ident)

    def binding_on(self, instrument_id: str, when: dt.date | None) -> bool | None:
        """Was Kazakhstan bound by the instrument on ``when``?

        ``None`` when the date or the catalogue's facts are missing; always
        ``False`` for soft law, declarations, general comments and mechanisms.
        """
        inst = self.instruments.get(instrument_id)
        if inst is None:
            return None
        if inst.kind not in ("treaty", "protocol", "constitution", "code", "law"):
            return False
        if when is None:
            return None
        if inst.jurisdiction == "kz":
            start = inst.entry_into_force
        else:
            status = inst.kz_status
            if status is None or status.action in (None, "none", "signature"):
                return False if status is not None else None
            start = status.in_force_for_kz
        if start is None:
            return None
        if when < start:
            return False
        for rel in inst.replaced_by:
            if rel.date and when >= rel.date:
                return False
        return True


# ---------------------------------------------------------------- loading


class _Checker:
    """Collects problems for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def fields(
        self, data: LineDict, spec: dict[str, bool], what: str
    ) -> None:
        for name, required in spec.items():
            if required and (name not in data or data[name] in (None, "", [], {})):
                self.add(data.line, f"{what}: missing field {name!r}")
        for name in data:
            if name not in spec:
                self.add(data.line_of(name), f"{what}: unknown field {name!r}")

    def string(self, data: LineDict, key: str, what: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.add(data.line_of(key), f"{what}: {key!r} must be a string")
            return None
        return value.strip()

    def strings(self, data: LineDict, key: str, what: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(data.line_of(key), f"{what}: {key!r} must be a list of strings")
            return ()
        return tuple(v.strip() for v in value)

    def date(self, data: LineDict, key: str, what: str) -> dt.date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(data.line_of(key), f"{what}: {key!r} is not a date (YYYY-MM-DD): {value!r}")
        return None

    def mapping(self, data: LineDict, key: str, what: str) -> LineDict | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.add(data.line_of(key), f"{what}: {key!r} must be a mapping")
            return None
        return value

    def url(self, data: LineDict, key: str, what: str) -> str | None:
        value = self.string(data, key, what)
        if value and not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            self.add(data.line_of(key), f"{what}: {key!r} is not an http(s) URL: {value!r}")
        return value

    def lang_map(self, data: LineDict, key: str, what: str) -> dict[str, str]:
        value = self.mapping(data, key, what)
        if value is None:
            return {}
        out: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in LANGS:
                self.add(value.line_of(lang), f"{what}: unknown language {lang!r} in {key!r}")
            elif not isinstance(text, str) or not text.strip():
                self.add(value.line_of(lang), f"{what}: {key}.{lang} must be a non-empty string")
            else:
                out[lang] = text.strip()
        return out


def _relations(chk: _Checker, data: LineDict, key: str, what: str) -> tuple[Relation, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        chk.add(data.line_of(key), f"{what}: {key!r} must be a list")
        return ()
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(Relation(item))
        elif isinstance(item, LineDict):
            chk.fields(item, {"id": True, "date": False}, f"{what} {key}")
            ident = chk.string(item, "id", what)
            if ident:
                out.append(Relation(ident, chk.date(item, "date", what)))
        else:
            chk.add(data.line_of(key), f"{what}: each of {key!r} must be an id or {{id, date}}")
    return tuple(out)


def _instrument(chk: _Checker, data: Any, expected_id: str | None) -> Instrument | None:
    if not isinstance(data, LineDict):
        chk.add(getattr(data, "line", 1) or 1, "an instrument file must hold a mapping")
        return None
    chk.fields(data, _TOP_FIELDS, "instrument")
    ident = chk.string(data, "id", "instrument")
    what = f"instrument {ident}" if ident else "instrument"
    if ident:
        m = ID_RE.match(ident)
        if not m:
            chk.add(data.line_of("id"), f"id {ident!r} does not follow 'namespace.slug'")
        elif m["ns"] not in NAMESPACES:
            chk.add(data.line_of("id"), f"id {ident!r}: unknown namespace {m['ns']!r}")
        if expected_id and ident != expected_id:
            chk.add(data.line_of("id"), f"id {ident!r} does not match the file name")
    kind = chk.string(data, "kind", what)
    if kind and kind not in INSTRUMENT_KINDS:
        chk.add(
            data.line_of("kind"),
            f"{what}: unknown kind {kind!r} (one of {', '.join(sorted(INSTRUMENT_KINDS))})",
        )
    jurisdiction = chk.string(data, "jurisdiction", what)
    if jurisdiction and jurisdiction not in JURISDICTIONS:
        chk.add(data.line_of("jurisdiction"), f"{what}: unknown jurisdiction {jurisdiction!r}")
    titles = chk.lang_map(data, "titles", what)
    if "titles" in data and titles and not {"ru", "en"} <= titles.keys():
        chk.add(data.line_of("titles"), f"{what}: titles need at least 'ru' and 'en'")
    short_names: dict[str, tuple[str, ...]] = {}
    sn = chk.mapping(data, "short_names", what)
    if sn is not None:
        for lang in sn:
            if lang not in LANGS:
                chk.add(sn.line_of(lang), f"{what}: unknown language {lang!r} in 'short_names'")
            else:
                short_names[lang] = chk.strings(sn, lang, what)
    status = None
    st = chk.mapping(data, "kz_status", what)
    if st is not None:
        chk.fields(st, _STATUS_FIELDS, f"{what} kz_status")
        action = chk.string(st, "action", what)
        if action and action not in KZ_ACTIONS:
            chk.add(st.line_of("action"), f"{what}: unknown kz_status action {action!r}")
        status = KzStatus(
            action=action,
            date=chk.date(st, "date", what),
            in_force_for_kz=chk.date(st, "in_force_for_kz", what),
            reservations=chk.strings(st, "reservations", what),
            source_url=chk.url(st, "source_url", what),
            notes=chk.string(st, "notes", what),
        )
    provisions: list[Provision] = []
    seen: dict[str, int | None] = {}
    raw_provisions = data.get("provisions")
    if raw_provisions is not None and not isinstance(raw_provisions, list):
        chk.add(data.line_of("provisions"), f"{what}: 'provisions' must be a list")
        raw_provisions = []
    for item in raw_provisions or []:
        if not isinstance(item, LineDict):
            chk.add(getattr(raw_provisions, "line", None), f"{what}: a provision must be a mapping")
            continue
        chk.fields(item, _PROVISION_FIELDS, f"{what} provision")
        eid = chk.string(item, "eid", what)
        number = chk.string(item, "number", what)
        if not eid:
            continue
        if not EID_RE.match(eid):
            chk.add(item.line_of("eid"), f"{what}: eId {eid!r} does not follow the contract")
            continue
        if eid in seen:
            chk.add(item.line_of("eid"),
                    f"{what}: duplicate eId {eid!r} (first at line {seen[eid]})")
            continue
        seen[eid] = item.line_of("eid")
        provisions.append(
            Provision(
                id=f"{ident}#{eid}",
                eid=eid,
                number=number or "",
                titles=chk.lang_map(item, "titles", f"{what} {eid}"),
                summary=chk.string(item, "summary", what),
                source_url=chk.url(item, "source_url", what),
            )
        )
    number_value = chk.string(data, "number", what)
    source_url = chk.url(data, "source_url", what)
    sources = chk.strings(data, "sources", what)
    for s in sources:
        if not re.match(r"^https?://", s):
            chk.add(data.line_of("sources"), f"{what}: source {s!r} is not an http(s) URL")
    if not (ident and kind and jurisdiction and titles and source_url):
        return None
    return Instrument(
        id=ident,
        kind=kind,
        jurisdiction=jurisdiction,
        titles=titles,
        source_url=source_url,
        short_names=short_names,
        abbreviations=chk.strings(data, "abbreviations", what),
        aliases=chk.strings(data, "aliases", what),
        number=number_value,
        adopted=chk.date(data, "adopted", what),
        entry_into_force=chk.date(data, "entry_into_force", what),
        kz_status=status,
        replaces=_relations(chk, data, "replaces", what),
        replaced_by=_relations(chk, data, "replaced_by", what),
        sources=sources,
        notes=chk.string(data, "notes", what),
        provisions=tuple(provisions),
    )


#: Extra validators run by :func:`check_catalogue` (the tagging rules register one).
RuleValidator = Callable[[Path, "Catalogue"], list[Problem]]
_rule_validators: list[RuleValidator] = []


def register_rule_validator(func: RuleValidator) -> RuleValidator:
    _rule_validators.append(func)
    return func


def _instrument_files(root: Path, problems: list[Problem]) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.parts[0] in RULE_DIRS or (len(rel.parts) == 1 and rel.name in RULE_FILES):
            continue
        if rel.as_posix() == META_FILE or rel.name in IGNORED_FILES:
            continue
        if path.suffix not in (".yaml", ".yml"):
            problems.append(
                Problem(rel.as_posix(), None, "not a YAML file (*.yaml) in the catalogue")
            )
            continue
        files.append(path)
    return files


def _version(root: Path, problems: list[Problem]) -> str:
    meta = root / META_FILE
    if not meta.exists():
        problems.append(Problem(META_FILE, None, "missing: it holds the catalogue 'version'"))
        return "unknown"
    try:
        data = load_yaml_file(meta)
    except YamlProblem as exc:
        problems.append(Problem(META_FILE, exc.line, exc.message))
        return "unknown"
    if not isinstance(data, LineDict) or not isinstance(data.get("version"), (str, int, float)):
        line = getattr(data, "line", None)
        problems.append(Problem(META_FILE, line, "needs 'version: <string>'"))
        return "unknown"
    return str(data["version"])


def read_catalogue(path: Path | str | None = None) -> tuple[Catalogue, list[Problem]]:
    """Read a catalogue folder, returning what could be loaded and every problem found."""
    root = Path(path) if path is not None else norms_dir()
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), None, "catalogue folder not found"))
        return Catalogue([], "unknown", root), problems
    version = _version(root, problems)
    instruments: dict[str, tuple[Instrument, str, int | None]] = {}
    for path_ in _instrument_files(root, problems):
        rel = path_.relative_to(root).as_posix()
        chk = _Checker(rel)
        try:
            data = load_yaml_file(path_)
        except YamlProblem as exc:
            problems.append(Problem(rel, exc.line, exc.message))
            continue
        inst = _instrument(chk, data, expected_id=path_.stem)
        problems.extend(chk.problems)
        if inst is None:
            continue
        if inst.id in instruments:
            first = instruments[inst.id][1]
            problems.append(
                Problem(rel, data.line_of("id"), f"duplicate id {inst.id!r} (also in {first})")
            )
            continue
        instruments[inst.id] = (attrs.evolve(inst, file=rel), rel, data.line_of("id"))
    # cross-references
    for inst, rel, line in instruments.values():
        for key, rels in (("replaces", inst.replaces), ("replaced_by", inst.replaced_by)):
            for r in rels:
                if r.id not in instruments:
                    problems.append(
                        Problem(rel, line, f"instrument {inst.id}: {key} refers to "
                                f"unknown id {r.id!r}")
                    )
    catalogue = Catalogue([v[0] for v in instruments.values()], version, root)
    _ensure_rules_registered()  # imported here, not on every load: a cached load needs none
    for validator in _rule_validators:
        problems.extend(validator(root, catalogue))
    return catalogue, problems


def check_catalogue(path: Path | str | None = None) -> list[Problem]:
    """Every problem of a catalogue folder (empty when it is sound)."""
    _ensure_rules_registered()
    return read_catalogue(path)[1]


def load_catalogue(path: Path | str | None = None, *, use_cache: bool = True) -> Catalogue:
    """Load and validate a catalogue folder (the shipped one by default).

    Raises :class:`CatalogueError` listing every problem when the folder is not sound. A sound
    catalogue is cached on disk (see :mod:`normref.cache`), keyed by the bytes of every file in
    the folder, so an edit to any file rebuilds it.
    """
    root = Path(path) if path is not None else norms_dir()

    def build() -> Catalogue:
        catalogue, problems = read_catalogue(root)
        if problems:
            raise CatalogueError(problems)
        return catalogue

    if not use_cache or not root.is_dir():
        return build()
    from .cache import digest_of, load_or_build

    # the key covers the code that builds the objects too, so a changed class is never
    # loaded from a cache written by older code of the same version
    here = Path(__file__).resolve().parent
    parts: list[bytes | str] = [str(root.resolve())]
    parts += [(here / name).read_bytes() for name in ("catalogue.py", "model.py", "yamlio.py")]
    for file in sorted(root.rglob("*")):
        if file.is_file():
            parts.append(file.relative_to(root).as_posix())
            try:
                parts.append(file.read_bytes())
            except OSError:
                return build()  # an unreadable file: let validation report it
    name = "catalogue-" + digest_of([str(root.resolve())])[:16]
    return load_or_build(name, digest_of(parts), build)


def _ensure_rules_registered() -> None:
    try:  # the tagging rules module registers its validator on import
        from . import rules  # noqa: F401
    except ImportError:  # pragma: no cover - rules are optional while being built
        pass
