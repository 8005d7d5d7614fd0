"""From a parsed citation to catalogue ids: instruments, provisions, short forms.

:class:`Resolver` builds an index of every name of every instrument of a
catalogue once (titles, short names and aliases as sets of lemmas; abbreviations
as exact strings) and then resolves :class:`~normref.model.RawCitation` objects
into :class:`~normref.model.Citation` objects. How a phrase is matched, what the
confidence means and how a pinpoint becomes an eId is documented in
docs/resolution.md.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from attrs import evolve, frozen

from .catalogue import Catalogue
from .model import Citation, Instrument, Pinpoint, RawCitation, Span
from .morph import (
    KAZAKH_LETTERS,
    WORD_RE,
    lemma,
    morph_versions,
    remember_lemmas,
    russian_lemma_table,
    unify,
)

__all__ = [
    "FUZZY_THRESHOLD", "HOMONYM_REASON", "Resolver", "find_citations", "provision_eid",
    "resolver_for",
]

#: Minimum rapidfuzz ``token_sort_ratio`` (0-100) between the lemmas of a phrase
#: and those of a catalogue name for a typo-tolerant match.
FUZZY_THRESHOLD = 86.0
#: Two fuzzy scores closer than this are a tie (the citation is ambiguous).
FUZZY_TIE = 2.0

# ---------------------------------------------------------------- phrase analysis

_STOPWORDS = frozenset(
    """
    о об обо по в во и или с со на к ко для от за против при а также
    касаться касающийся относительно отношение года год г
    of the on and or to for against relating concerning in with a an
    туралы және мен жөніндегі жылғы жыл
    """.split()
)

#: Jurisdiction markers: regex on unified text (case-insensitive) -> code.
_JURISDICTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern, re.IGNORECASE))
    for code, pattern in (
        (
            "kz",
            r"\bРК\b|\bРеспублик\w* Казахстан\w*|\bказахстанск\w*|\bКазахстан\w*"
            r"|\bҚазақстан\w*(?: Республикасы\w*)?|\bҚР\b|\bQazaqstan\b"
            r"|\b(?:the )?Republic of Kazakhstan\b"
            r"|\bKazakhstan(?:'s|i)?\b",
        ),
        (
            "ru",
            r"\bРФ\b|\bРоссийск\w* Федераци\w*|\bРосси[ия]\w*|\bроссийск\w*"
            r"|\bRussian Federation\b|\bRussia\b",
        ),
        ("kg", r"\bКыргызск\w* Республик\w*|\bКыргызстан\w*|\bКиргиз\w*|\bкыргызск\w*|\bKyrgyz\w*"),
        ("uz", r"\bРеспублик\w* Узбекистан\w*|\bУзбекистан\w*|\bузбекск\w*|\bUzbekistan\b"),
        ("by", r"\bРеспублик\w* Беларусь\b|\bБеларус\w*|\bбелорусск\w*|\bРБ\b|\bBelarus\b"),
        ("ua", r"\bУкраин\w*|\bукраинск\w*|\bUkrain\w*"),
        ("tj", r"\bТаджикистан\w*|\bТаджикск\w*|\bтаджикск\w*|\bTajikistan\b"),
        ("tm", r"\bТуркменистан\w*|\bтуркменск\w*|\bTurkmenistan\b"),
        ("am", r"\bАрмени\w*|\bармянск\w*|\bArmenia\b"),
        ("ge", r"\bГрузи[ия]\w*|\bгрузинск\w*|\bGeorgia\b"),
        ("az", r"\bАзербайджан\w*|\bазербайджанск\w*|\bAzerbaijan\b"),
        ("us", r"\bСША\b|\bСоединенн\w* Штат\w*|\bамериканск\w*|\bUnited States\b|\bU\.S\."),
        ("de", r"\bГермани\w*|\bФРГ\b|\bнемецк\w*|\bGermany\b"),
        ("fr", r"\bФранци\w*|\bфранцузск\w*|\bFrance\b"),
        ("gb", r"\bВеликобритани\w*|\bбританск\w*|\bUnited Kingdom\b|\bUK\b"),
        ("cn", r"\bКитая?\b|\bКНР\b|\bкитайск\w*|\bChina\b"),
        ("tr", r"\bТурци\w*|\bтурецк\w*|\bTurkey\b|\bTürkiye\b"),
    )
)

#: Organisations that narrow the id namespace (with a number: «УВКБ ООН № 12»).
_ORGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (ns, re.compile(pattern, re.IGNORECASE))
    for ns, pattern in (
        (
            "unhcr",
            r"\bУВКБ\b|\bUNHCR\b|\bВерховн\w* комиссар\w* (?:ООН )?по делам беженцев"
            r"|\bHigh Commissioner for Refugees\b"
            r"|\bБҰҰ Босқындар ісі жөніндегі Жоғарғы комиссар\w*",
        ),
        (
            "ilo",
            r"\bМОТ\b|\bILO\b|\bМеждународн\w* организаци\w* труда\b"
            r"|\bInternational Labour Organi[sz]ation\b|\bХалықаралық еңбек ұйым\w*|\bХЕҰ\b",
        ),
        (
            "ccpr",
            r"\bКПЧ\b|\bКомитет\w* (?:ООН )?по правам человека\b|\bHuman Rights Committee\b"
            r"|\bАдам құқықтары жөніндегі комитет\w*",
        ),
    )
)
#: Qualifiers dropped before matching (they name the UN, not an instrument).
_QUALIFIERS = re.compile(
    r"\bОрганизаци\w* Объединенн\w* Наци\w*|\bООН\b|\bUN\b|\bUnited Nations\b|\bБҰҰ\b"
    r"|\bБіріккен Ұлттар Ұйым\w*",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(1[89]\d\d|20\d\d)(?:-?го)?(?:\s*(?:года|год|г\.|г\b|жылғы|жыл\w*|year))?",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?:№|\bN[o°º]\.?|\bNo\b\.?|\bnumber\b|\bномер\w*|\bнөмір\w*)\s*"
    r"([0-9]+(?:-[IVXLCivxlc]+)?(?:-[0-9]+)?(?:/[0-9]+)*)"
    r"|\b[CС]\s?0*([0-9]{1,3})\b",
    re.IGNORECASE,
)
_MONTH_WORDS = (
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]\w*|июн\w*|июл\w*|август\w*|сентябр\w*"
    r"|октябр\w*|ноябр\w*|декабр\w*|January|February|March|April|May|June|July|August"
    r"|September|October|November|December|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*"
    r"|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*"
)
#: A date in an instrument phrase: «от 4 декабря 2009 года», «of 28 July 1951», «04.12.2009»;
#: the day and month go, the year stays for :data:`_YEAR`.
_DATE = re.compile(
    rf"(?:\b(?:от|of|dated)\s+)?\b\d{{1,2}}(?:\s+|-)(?:{_MONTH_WORDS})(?=\s+\d{{4}}\b)"
    r"|(?:\b(?:от|of|dated)\s+)?\b\d{1,2}\.\d{1,2}\.(?=\d{4}\b)",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"\b([0-9]{1,3}(?:/[0-9]+)*)\b")  # «65/229», a resolution
_QUOTED = re.compile(r'"([^"]+)"?')

#: Lemmas that name the kind of an instrument (used for short forms and ambiguity).
_HEADS: dict[str, str] = {
    **dict.fromkeys(["конвенция", "convention", "конвенция"], "convention"),
    **dict.fromkeys(["пакт", "covenant", "пакт"], "covenant"),
    **dict.fromkeys(["протокол", "protocol", "хаттама"], "protocol"),
    **dict.fromkeys(["закон", "law", "act", "заң"], "law"),
    **dict.fromkeys(["кодекс", "code", "кодекс"], "code"),
    **dict.fromkeys(["конституция", "constitution"], "constitution"),
    **dict.fromkeys(["декларация", "declaration", "декларация"], "declaration"),
    **dict.fromkeys(["правило", "rule", "ереже", "қағида"], "rules"),
    **dict.fromkeys(
        ["принцип", "guideline", "рекомендация", "руководство", "нұсқаулық"], "guidelines"
    ),
    **dict.fromkeys(["замечание", "comment", "ескертпе"], "comment"),
    **dict.fromkeys(["договор", "treaty", "шарт"], "treaty"),
    **dict.fromkeys(["постановление", "resolution", "қаулы"], "resolution"),
}
#: Words that name a kind or an issuer of instruments, not a subject: a phrase made only
#: of them («нормативное постановление Верховного Суда») does not single out one instrument.
_GENERIC = frozenset(h for h, kind in _HEADS.items() if kind != "constitution") | frozenset(
    """
    международный факультативный нормативный верховный суд генеральный ассамблея
    минимальный стандартный общий порядок первый второй проект новый действующий
    international optional normative supreme court general assembly minimum standard
    first second draft new
    халықаралық нормативтік жоғарғы сот
    """.split()
)
#: Words that make a phrase a bill: the catalogue holds enacted acts only.
_BILL_WORDS = frozenset({"проект", "законопроект", "draft", "bill", "жоба"})
_MONTHS = frozenset(
    """
    январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
    january february march april may june july august september october november december
    """.split()
)


def _fuzz():  # noqa: ANN202 - rapidfuzz is imported only when a fuzzy match is tried
    from rapidfuzz import fuzz

    return fuzz


def _is_filler(word: str) -> bool:
    """A word a writer may add to a name without changing what it names."""
    return (word in _GENERIC and word not in _HEADS) or word in _MONTHS or word.isdigit()


#: Demonstratives that make an instrument phrase a short form («данной Конвенции»).
_DEMONSTRATIVE = re.compile(
    r"^(?:данн\w*|указанн\w*|настоящ\w*|эт(?:от|ого|ому|им|ом|а|ой|у|и|их|ими)"
    r"|вышеуказанн\w*|вышеназванн\w*|упомянут\w*|названн\w*|то(?:т|го|му|м)? же|той же"
    r"|this|that|these|the said|said|the same|осы|аталған|көрсетілген)\s",
    re.IGNORECASE,
)
#: Abbreviations that are also everyday words, with what they usually mean: alone (no
#: article, no country, no number) they cite their instrument only when the same scope names
#: it otherwise (see :meth:`Resolver._homonym`).
_HOMONYMS: dict[str, str] = {
    "КПП": "a checkpoint (контрольно-пропускной пункт)",
    "ТК": "a shopping centre or a transport company (торговый комплекс, транспортная компания)",
    "УК": "a management company (управляющая компания)",
}
#: How the reason of a lone homonym abbreviation starts; such a citation is no antecedent.
HOMONYM_REASON = "not taken as a citation: "


def _is_homonym(raw: RawCitation) -> bool:
    return (
        not raw.pinpoints
        and raw.instrument_text is not None
        and unify(raw.instrument_text) in _HOMONYMS
        and not (raw.title or raw.number or raw.year or raw.date or raw.jurisdiction_hint)
    )


#: A Kazakh possessive ending on a Cyrillic word («Конституциясына», «Кодексі»).
_KAZAKH_ENDING = re.compile(r"\w(?:сы|сі|сына|сіне|сының|сінің|сында|сінде|ына|іне)\b")
_CONJUNCTION = re.compile(r"\s(?:и|а также|and|және)\s", re.IGNORECASE)
#: «о» / «об» inside an instrument phrase: where a name may have run on into the sentence
_ABOUT = re.compile(r"\s(?:о|об|обо)\s")
_QUOTES = "«»“”„\"'"
#: The head words an instrument of a catalogue ``kind`` may answer to. It answers to those
#: its names use (so the Covenant is a «Пакт», never a «Конвенция»), or to all of them when
#: no name has one («О беженцах»); a treaty or protocol also to :data:`_ANY_TREATY`.
_KIND_HEADS: dict[str, frozenset[str]] = {
    "treaty": frozenset({"convention", "covenant", "treaty"}),
    "protocol": frozenset({"protocol", "treaty"}),
    "law": frozenset({"law"}),
    "code": frozenset({"code"}),
    "constitution": frozenset({"constitution"}),
    "court-resolution": frozenset({"resolution"}),
    "declaration": frozenset({"declaration"}),
    "soft-law": frozenset({"rules", "guidelines"}),
    "guidelines": frozenset({"guidelines"}),
    "general-comment": frozenset({"comment"}),
}
#: Every treaty and protocol is also a «договор» (treaty).
_ANY_TREATY: dict[str, frozenset[str]] = dict.fromkeys(
    ("treaty", "protocol"), frozenset({"treaty"})
)


@frozen
class Phrase:
    """What a name or an instrument phrase says, reduced for matching."""

    lemmas: frozenset[str]
    rest: str  # the unified text without year, number, jurisdiction and qualifiers
    year: int | None = None
    number: str | None = None
    jurisdiction: str | None = None
    org: str | None = None
    quoted: frozenset[str] | None = None  # lemmas of a quoted title
    heads: frozenset[str] = frozenset()  # kinds named anywhere («протокол к пакту»: both)
    head: str | None = None  # the kind named first: what the phrase is («протокол»)


def _lang_of(text: str, lang: str | None) -> str:
    if lang:
        return lang
    if not KAZAKH_LETTERS.isdisjoint(text.casefold()):
        return "kk"
    if re.search(r"[A-Za-z]", text) and not re.search(r"[А-Яа-я]", text):
        return "en"
    return "ru"


def _lemmas(text: str, lang: str) -> list[str]:
    out = []
    for m in WORD_RE.finditer(text):
        lem = lemma(m.group(0), "kk" if lang == "kk" else None)
        if lem and lem not in _STOPWORDS and not (len(lem) == 1 and lem.isalpha()):
            out.append(lem)
    return out


def _lemma_set(text: str, lang: str) -> frozenset[str]:
    return frozenset(_lemmas(text, lang))


def normalize_number(number: str | None) -> str | None:
    """«C087» -> «87», «№ 93-VIII» -> «93-viii»."""
    if not number:
        return None
    value = re.sub(r"\s+", "", unify(number)).casefold().lstrip("№")
    value = re.sub(r"^(?:no\.?|n°|[cс])", "", value)
    return value.lstrip("0") or "0"


@lru_cache(maxsize=50_000)
def analyse(text: str, lang: str | None = None) -> Phrase:
    """Reduce a name or an instrument phrase to lemmas plus year, number, jurisdiction."""
    lang = _lang_of(text, lang)
    rest = unify(text)
    jurisdiction = None
    for code, pattern in _JURISDICTIONS:
        if pattern.search(rest):
            jurisdiction = jurisdiction or code
            rest = pattern.sub(" ", rest)
    org = None
    for ns, pattern in _ORGS:
        if pattern.search(rest):
            org = org or ns
            rest = pattern.sub(" ", rest)
    rest = _QUALIFIERS.sub(" ", rest)
    rest = _DATE.sub(" ", rest)
    quoted = None
    qm = _QUOTED.search(rest)
    if qm:
        quoted = _lemma_set(qm.group(1), lang) - frozenset(_HEADS)
    number = None
    nm = _NUMBER.search(rest)
    if nm:
        number = normalize_number(nm.group(1) or nm.group(2))
        rest = rest[: nm.start()] + " " + rest[nm.end() :]
    year = None
    ym = _YEAR.search(rest)
    if ym:
        year = int(ym.group(1))
        rest = rest[: ym.start()] + " " + rest[ym.end() :]
    if number is None:
        bm = _BARE_NUMBER.search(rest)
        if bm:
            number = normalize_number(bm.group(1))
            rest = rest[: bm.start()] + " " + rest[bm.end() :]
    rest = re.sub(r"\s+", " ", rest).strip(" ,.;:-")
    ordered = _lemmas(rest, lang)
    kinds = [_HEADS[x] for x in ordered if x in _HEADS]
    if lang == "kk" and kinds:  # Kazakh puts the kind last: «... туралы конвенция»
        kinds.reverse()
    head = kinds[0] if kinds else None
    return Phrase(frozenset(ordered), rest, year, number, jurisdiction, org, quoted,
                  frozenset(kinds), head)


# ---------------------------------------------------------------- provisions

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch",
        "ш": "sh", "щ": "sch", "ы": "y", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    }
)


@lru_cache(maxsize=4096)
def _is_demonstrative(phrase: str) -> bool:
    return bool(_DEMONSTRATIVE.match(unify(phrase)))


@lru_cache(maxsize=65536)
def _eid_number(value: str) -> str:
    value = unify(value).casefold().translate(_TRANSLIT)
    value = re.sub(r"[.\s]+", "-", value.strip(" ().")).strip("-")
    return re.sub(r"[^0-9a-z-]", "", value)


_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
#: Cyrillic letters typed for Roman numerals («статья ІІ» with the Kazakh/Ukrainian І).
_ROMAN_LOOKALIKES = str.maketrans("ІХ", "IX")


def _roman_value(text: str) -> int | None:
    """The value of an upper-case Roman numeral («IV» -> 4), else None."""
    numeral = unify(text).strip(" .").translate(_ROMAN_LOOKALIKES)
    if not _ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN_DIGITS[ch] for ch in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


@lru_cache(maxsize=65536)
def provision_eid(pin: Pinpoint) -> str | None:
    """The Akoma Ntoso eId of a pinpoint, or None when it names no provision.

    The first of часть/пункт (part, item) under an article is ``para``, the next
    ``point``, then ``subpoint``; so a Kazakh code's «часть 2» and a treaty's
    «пункт 2» are both ``para_2``, and «пункт 3 части 1» is ``para_1__point_3``.
    An абзац is not an eId level and is dropped.

    >>> provision_eid(Pinpoint(article="14", item="3", subitem="(d)"))
    'art_14__para_3__point_d'
    >>> provision_eid(Pinpoint(article="10", part="1", item="3"))
    'art_10__para_1__point_3'
    >>> provision_eid(Pinpoint(rule="24")), provision_eid(Pinpoint(article="456-2"))
    ('rule_24', 'art_456-2')

    An article numbered in Roman numerals (the 1967 Protocol's «статья I», «Article II»)
    gets the Arabic number, as the catalogue lists it:

    >>> provision_eid(Pinpoint(article="II", item="1"))
    'art_2__para_1'
    """
    parts: list[str] = []
    if pin.rule:
        parts.append(f"rule_{_eid_number(pin.rule)}")
    if pin.article:
        roman = _roman_value(pin.article)
        parts.append(f"art_{roman if roman else _eid_number(pin.article)}")
    levels = [v for v in (pin.part, pin.item, pin.subitem) if v]
    for name, value in zip(("para", "point", "subpoint"), levels, strict=False):
        parts.append(f"{name}_{_eid_number(value)}")
    parts = [p for p in parts if not p.endswith("_")]
    return "__".join(parts) or None


def _describe(pin: Pinpoint) -> str:
    bits = []
    if pin.rule:
        bits.append(f"rule {pin.rule}")
    if pin.article:
        bits.append(f"article {pin.article}")
    for name, value in (("part", pin.part), ("item", pin.item), ("subitem", pin.subitem)):
        if value:
            bits.append(f"{name} {value}")
    return ", ".join(bits)


# ---------------------------------------------------------------- matching


@frozen
class Match:
    """How an instrument phrase resolved (before provisions)."""

    status: str
    instrument: str | None = None
    candidates: tuple[str, ...] = ()
    confidence: float = 0.0
    reason: str | None = None


def _ambiguous(ids: Iterable[str], reason: str) -> Match:
    """An ambiguous match among ``ids``, each as likely as the others."""
    candidates = tuple(sorted(ids))
    return Match("ambiguous", candidates=candidates, confidence=round(1 / len(candidates), 3),
                 reason=reason)


@frozen
class Provisions:
    """What the pinpoints of a citation name in one instrument.

    ``ids``: the catalogue provision ids found (the deepest listed ancestor of a pinpoint
    whose exact eId is not listed; ``fell_back`` says that happened). ``missing``: pinpoints
    beyond what the instrument has (its articles or rules are all listed and this one is
    not among them). ``unlisted``: pinpoints the catalogue does not list although the
    instrument may have them (it lists some of its provisions, or none).
    """

    ids: tuple[str, ...]
    missing: tuple[str, ...]
    unlisted: tuple[str, ...]
    fell_back: bool


def _complete_levels(inst: Instrument) -> frozenset[str]:
    """The top-level units (``art``, ``rule``, ``para``) an international instrument lists in
    full, judged by their numbers: 1 to N without a gap, N >= 3. Domestic acts are listed in
    part (the articles lawyers cite), so any unit of theirs may exist beyond the catalogue."""
    if inst.jurisdiction != "international":
        return frozenset()
    numbers: dict[str, set[int]] = {}
    for prov in inst.provisions:
        level, _, number = prov.eid.split("__")[0].partition("_")
        if number.isdigit():
            numbers.setdefault(level, set()).add(int(number))
    return frozenset(
        level
        for level, seen in numbers.items()
        if len(seen) >= 3 and seen == set(range(1, max(seen) + 1))
    )


@frozen
class _Name:
    instrument: str
    phrase: Phrase
    key: str  # sorted lemmas joined, for fuzzy matching


class Resolver:
    """Resolves raw citations against one catalogue (index built once, in ``__init__``)."""

    def __init__(self, catalogue: Catalogue, *, default_jurisdiction: str = "kz") -> None:
        self.catalogue = catalogue
        self.default_jurisdiction = default_jurisdiction
        self.__dict__.update(_index_state(catalogue, default_jurisdiction))

    def _build_index(self, catalogue: Catalogue, default_jurisdiction: str) -> None:
        """Index every name of every instrument (see :func:`_index_state` for the cache)."""
        self.catalogue = catalogue
        self.default_jurisdiction = default_jurisdiction
        self._names: list[_Name] = []
        self._abbreviations: dict[str, set[str]] = {}
        self._abbreviations_folded: dict[str, set[str]] = {}
        self._years: dict[str, set[int]] = {}
        self._heads: dict[str, frozenset[str]] = {}
        self._short_heads: dict[str, frozenset[str]] = {}
        self._provision_eids: dict[str, frozenset[str]] = {}
        self._complete: dict[str, frozenset[str]] = {}
        self._jurisdictions = {i.jurisdiction for i in catalogue}
        for inst in catalogue:
            self._index(inst)
        # in how many instruments' names each lemma appears (rare words identify)
        per_instrument: dict[str, set[str]] = {}
        for n in self._names:
            per_instrument.setdefault(n.instrument, set()).update(n.phrase.lemmas)
        self._df: dict[str, int] = {}
        for words in per_instrument.values():
            for word in words:
                self._df[word] = self._df.get(word, 0) + 1
        self._cache: dict[tuple, Match] = {}
        self._provision_cache: dict[tuple[str, tuple[Pinpoint, ...]], Provisions] = {}

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        # the index is not pickled: it is rebuilt (once per process) from the catalogue,
        # and the shipped catalogue is not pickled either (it is loaded where unpickled)
        if _shipped_catalogue.cache_info().currsize and self.catalogue is _shipped_catalogue():
            return (resolver_for, (None, self.default_jurisdiction))
        return (_rebuild, (self.catalogue, self.default_jurisdiction))

    def __repr__(self) -> str:
        return f"<Resolver {self.catalogue.version}: {len(self._names)} names>"

    # ------------------------------------------------------------ index

    def _names_of(self, inst: Instrument) -> Iterable[tuple[str, str | None]]:
        for lang, title in inst.titles.items():
            yield title, lang
        for lang, names in inst.short_names.items():
            for name in names:
                yield name, lang
        for alias in inst.aliases:
            yield alias, None

    def _index(self, inst: Instrument) -> None:
        years = {d.year for d in (inst.adopted, inst.entry_into_force) if d}
        heads: set[str] = set()
        for text, lang in self._names_of(inst):
            phrase = analyse(text, lang)
            if phrase.year:
                years.add(phrase.year)
            if phrase.head:
                heads.add(phrase.head)
            if not phrase.lemmas:
                continue
            self._names.append(_Name(inst.id, phrase, " ".join(sorted(phrase.lemmas))))
        for abbr in inst.abbreviations:
            for form in {unify(abbr), analyse(abbr).rest}:
                if form:
                    self._abbreviations.setdefault(form, set()).add(inst.id)
                    if re.fullmatch(r"[A-Za-z]{4,}", form):
                        self._abbreviations_folded.setdefault(form.casefold(), set()).add(inst.id)
        self._years[inst.id] = years
        # a phrase may call it what any of its names call it («Основной закон» is the
        # Constitution); its catalogue kind counts only when no name has a kind word
        allowed = _KIND_HEADS.get(inst.kind)
        treaty = _ANY_TREATY.get(inst.kind, frozenset())
        self._heads[inst.id] = frozenset((heads or set(allowed or ())) | treaty)
        # a short form («указанного Закона») leans only on what its kind allows of those
        if allowed is not None:
            heads = (heads & allowed) or set(allowed)
        self._short_heads[inst.id] = frozenset(heads | treaty)
        self._provision_eids[inst.id] = frozenset(p.eid for p in inst.provisions)
        self._complete[inst.id] = _complete_levels(inst)

    # ------------------------------------------------------------ instruments

    def match(
        self,
        text: str | None,
        *,
        title: str | None = None,
        year: int | None = None,
        number: str | None = None,
        jurisdiction: str | None = None,
        lang: str | None = None,
    ) -> Match:
        """Resolve an instrument phrase (cached by its exact arguments)."""
        key = (text, title, year, number, jurisdiction, lang)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[key] = self._match(*key)
        return found

    def _allowed(self, ident: str, jurisdiction: str) -> bool:
        inst_j = self.catalogue.instruments[ident].jurisdiction
        return inst_j == "international" or inst_j == jurisdiction

    def _fits(self, ident: str, year: int | None, number: str | None) -> int:
        """-1 contradicts the year/number, 0 neutral, >0 confirmed facts."""
        score = 0
        if year:
            years = self._years[ident]
            if years and year not in years:
                return -1
            score += bool(years)
        if number:
            own = normalize_number(self.catalogue.instruments[ident].number)
            if own and own != number:
                return -1
            score += bool(own)
        return score

    def _choose(
        self, ids: Iterable[str], year: int | None, number: str | None, base: float, how: str
    ) -> Match | None:
        ids = sorted(set(ids))
        if not ids:
            return None
        scored = [(self._fits(i, year, number), i) for i in ids]
        fitting = [(s, i) for s, i in scored if s >= 0]
        if not fitting:
            facts = ", ".join(x for x in (year and f"year {year}", number and f"No. {number}") if x)
            return Match(
                "unresolved",
                confidence=0.6,
                reason=f"not in catalogue: no {how} match with {facts} (closest: {', '.join(ids)})",
            )
        best = max(s for s, _ in fitting)
        top = [i for s, i in fitting if s == best]
        if len(top) == 1:
            bonus = 0.05 if best and len(fitting) > 1 else 0.0
            return Match("resolved", top[0], confidence=min(0.99, base + bonus))
        return Match(
            "ambiguous",
            candidates=tuple(top),
            confidence=round(1 / len(top), 3),
            reason=f"{len(top)} instruments match equally",
        )

    def _match(
        self,
        text: str | None,
        title: str | None,
        year: int | None,
        number: str | None,
        jurisdiction: str | None,
        lang: str | None,
    ) -> Match:
        full = text or ""
        if title and unify(title).casefold() not in unify(full).casefold():
            full = f'{full} "{title}"'.strip()
        phrase = analyse(full, lang)
        given_year, given_number = year, normalize_number(number)
        year = year or phrase.year
        number = given_number or phrase.number
        explicit = jurisdiction or phrase.jurisdiction
        where = explicit or self.default_jurisdiction
        if explicit and explicit not in self._jurisdictions and phrase.org is None:
            return Match(
                "unresolved",
                confidence=0.9,
                reason=f"not in catalogue: an act of jurisdiction {explicit!r}",
            )

        if (phrase.lemmas - (phrase.quoted or frozenset())) & _BILL_WORDS:
            return Match(
                "unresolved",
                confidence=0.85,
                reason="not in catalogue: a bill (draft law), not an enacted act",
            )

        def allowed(ids: Iterable[str]) -> list[str]:
            return [i for i in ids if self._allowed(i, where)]

        # 1. abbreviations, exactly
        rest = phrase.rest
        abbr = None
        for form in dict.fromkeys((unify(full), rest)):
            abbr = self._abbreviations.get(form) or self._abbreviations_folded.get(form.casefold())
            if abbr:
                break
        if abbr:
            ok = allowed(abbr)
            if not ok:
                return self._foreign(where)
            if form == unify(full):  # «HCR/GIP/16/12»: its digits are its own, not a number
                found = self._choose(ok, given_year, given_number, 0.98, "abbreviation")
            else:
                found = self._choose(ok, year, number, 0.98, "abbreviation")
            if found:
                return found
        # 2. an organisation and a number: «Рекомендации УВКБ ООН № 12», «Конвенция МОТ 87»
        if phrase.org and number:
            ids = [
                i.id
                for i in self.catalogue
                if i.id.startswith(phrase.org + ".") and normalize_number(i.number) == number
            ]
            if len(ids) == 1:
                return Match("resolved", ids[0], confidence=0.95)
        lemmas = phrase.lemmas
        if not lemmas:
            if phrase.org:
                return self._by_namespace(phrase.org, year, number)
            return Match("unresolved", confidence=0.3, reason="no instrument named")
        names = [
            n
            for n in self._names
            if self._allowed(n.instrument, where)
            and (n.phrase.year is None or n.phrase.year == year)
            and (n.phrase.number is None or n.phrase.number == number)
            and (phrase.head is None or phrase.head in self._heads[n.instrument])
        ]
        if phrase.org:
            names = [n for n in names if n.instrument.startswith(phrase.org + ".")] or names
        # a quoted title («О масс-медиа») must match a catalogue title, not just share words
        if phrase.quoted:
            return self._match_quoted(phrase, names, year, number, where)
        # 3. the same lemmas as a catalogue name
        # a year identifies a convention («Протокол 1967 года»), not a law: a state adopts
        # hundreds of laws a year
        identifying_year = bool(year) and phrase.head not in ("law", "code")
        distinctive = bool(lemmas - _GENERIC) or bool(number) or identifying_year
        exact = {n.instrument for n in names if n.phrase.lemmas == lemmas}
        if exact and not distinctive:
            # «Правила ООН», «Конвенция»: a kind of instrument, whatever the names say
            exact |= {n.instrument for n in names if lemmas < n.phrase.lemmas}
            if len(exact) > 1:
                return _ambiguous(exact, "only a kind of instrument is named")
        if exact:
            found = self._choose(exact, year, number, 0.97, "exact")
            if found:
                return found
        # 4. a catalogue name plus a few extra words («Международная Конвенция ... ООН»)
        sup = [
            n
            for n in names
            if n.phrase.lemmas < lemmas
            and len(lemmas - n.phrase.lemmas) <= 2
            and all(
                _is_filler(x) or _HEADS.get(x) in self._heads[n.instrument]
                for x in lemmas - n.phrase.lemmas
            )
        ]
        if sup:
            size = max(len(n.phrase.lemmas) for n in sup)
            ids = {n.instrument for n in sup if len(n.phrase.lemmas) == size}
            base = 0.9 - 0.05 * (len(lemmas) - size)
            found = self._choose(ids, year, number, base, "partial")
            if found:
                return found
        # 5. a shortened name («Пакт о гражданских правах», «Протокол 1967 года»)
        loose = names
        if not (year or number):  # names that carry a year or number are still that kind
            loose = [
                n
                for n in self._names
                if self._allowed(n.instrument, where)
                and (phrase.head is None or phrase.head in self._heads[n.instrument])
            ]
        shortened = [
            n
            for n in loose
            if (lemmas < n.phrase.lemmas and self._keeps_rarest(lemmas, n.phrase.lemmas))
            or (lemmas == n.phrase.lemmas and (n.phrase.year or n.phrase.number))
        ]
        sub = {n.instrument for n in shortened}
        if sub and not number and all(n.phrase.number for n in shortened):
            # «Руководящие принципы по международной защите»: one of a numbered series, and
            # the number that says which is missing (the catalogue may hold just one of them)
            return Match(
                "ambiguous",
                candidates=tuple(sorted(sub)),
                confidence=round(min(0.5, 1 / len(sub)), 3),
                reason="one of a numbered series, without its number",
            )
        if sub:
            found = self._choose(sub, year, number, 0.85 if distinctive else 0.8, "partial")
            if found and (found.status != "resolved" or distinctive):
                return found
            if found:  # a bare head word («Конвенция») with one candidate: still say so
                return Match(
                    "ambiguous",
                    candidates=(found.instrument,),
                    confidence=0.5,
                    reason="only a kind of instrument is named",
                )
        vague = {n.instrument for n in loose if lemmas < n.phrase.lemmas}
        # 6. typos and reordered words
        fuzzy = self._fuzzy(lemmas, names)
        if fuzzy:
            best = fuzzy[0][0]
            ids = {i for s, i in fuzzy if s >= best - FUZZY_TIE}
            base = 0.6 + 0.3 * (best - FUZZY_THRESHOLD) / (100 - FUZZY_THRESHOLD)
            found = self._choose(ids, year, number, base, "fuzzy")
            if found:
                return found
        if len(vague) > 1:  # «Конвенции о правах»: several names contain it, none is meant
            return _ambiguous(vague, "the phrase is part of several names")
        if explicit is None and where not in self._jurisdictions:
            return self._foreign(where)
        return Match("unresolved", confidence=0.6, reason="not in catalogue")

    def _keeps_rarest(self, lemmas: frozenset[str], name: frozenset[str]) -> bool:
        """Does a shortened phrase keep one of the name's rarest subject words?

        «Пакт о гражданских правах» keeps «гражданский» of the Covenant's name;
        «Конвенция о правах человека» drops «инвалидность», the word that makes «Конвенция
        о правах людей с инвалидностью» what it is, so it is not that convention.
        """
        subject = name - _GENERIC
        if not subject or not (lemmas - _GENERIC):
            return True  # a kind plus a year or number: decided by them
        rarest = min(self._df.get(w, 0) for w in subject)
        return any(self._df.get(w, 0) == rarest for w in lemmas & subject)

    def _foreign(self, where: str) -> Match:
        return Match(
            "unresolved",
            confidence=0.8,
            reason=f"not in catalogue: an act of jurisdiction {where!r}",
        )

    def _by_namespace(self, ns: str, year: int | None, number: str | None) -> Match:
        ids = [i.id for i in self.catalogue if i.id.startswith(ns + ".")]
        found = self._choose(ids, year, number, 0.8, "organisation") if (year or number) else None
        if found and found.status == "resolved":
            return found
        if ids:
            return _ambiguous(ids, "only an organisation is named")
        return Match("unresolved", confidence=0.6, reason="not in catalogue")

    def _fuzzy(self, lemmas: frozenset[str], names: list[_Name]) -> list[tuple[float, str]]:
        key = " ".join(sorted(lemmas))
        best: dict[str, float] = {}
        for n in names:
            score = _fuzz().token_sort_ratio(key, n.key, score_cutoff=FUZZY_THRESHOLD)
            if score and score > best.get(n.instrument, 0):
                best[n.instrument] = score
        return sorted(((s, i) for i, s in best.items()), reverse=True)

    def _match_quoted(
        self, phrase: Phrase, names: list[_Name], year: int | None, number: str | None, where: str
    ) -> Match:
        quoted = phrase.quoted or frozenset()
        hits = {
            n.instrument
            for n in names
            if quoted
            and (n.phrase.quoted == quoted or n.phrase.lemmas - set(_HEADS) == quoted)
        }
        if hits:
            found = self._choose(hits, year, number, 0.97, "title")
            if found:
                return found
        scored: dict[str, float] = {}
        key = " ".join(sorted(quoted))
        for n in names:
            other = n.phrase.quoted
            if other is None:
                other = n.phrase.lemmas - set(_HEADS)
            score = _fuzz().token_sort_ratio(key, " ".join(sorted(other)), score_cutoff=92)
            if score:
                scored[n.instrument] = max(score, scored.get(n.instrument, 0))
        if scored:
            top = max(scored.values())
            found = self._choose([i for i, s in scored.items() if s >= top - FUZZY_TIE], year,
                                 number, 0.8, "title")
            if found:
                return found
        return Match(
            "unresolved",
            confidence=0.85,
            reason="not in catalogue: no act with this title",
        )

    # ------------------------------------------------------------ provisions

    def provisions(self, instrument: str, pinpoints: Sequence[Pinpoint]) -> Provisions:
        """The catalogue provisions the pinpoints name (see :class:`Provisions`); cached."""
        key = (instrument, tuple(pinpoints))
        found = self._provision_cache.get(key)
        if found is None:
            if len(self._provision_cache) > 100_000:
                self._provision_cache.clear()
            found = self._provision_cache[key] = self._find_provisions(instrument, key[1])
        return found

    def _find_provisions(self, instrument: str, pinpoints: Sequence[Pinpoint]) -> Provisions:
        listed = self._provision_eids.get(instrument, frozenset())
        complete = self._complete.get(instrument, frozenset())
        found: list[str] = []
        missing: list[str] = []
        unlisted: list[str] = []
        fell_back = False
        for pin in pinpoints:
            eid = provision_eid(pin)
            if eid is None:
                continue
            chosen = None
            parts = eid.split("__")
            while parts:
                candidate = "__".join(parts)
                if candidate in listed:
                    chosen = candidate
                    break
                parts.pop()
            if chosen is None:
                level = eid.split("__")[0].partition("_")[0]
                (missing if level in complete else unlisted).append(_describe(pin))
                continue
            fell_back = fell_back or chosen != eid
            pid = f"{instrument}#{chosen}"
            if pid not in found:
                found.append(pid)
        return Provisions(tuple(found), tuple(missing), tuple(unlisted), fell_back)

    def _with_provisions(
        self, raw: RawCitation, match: Match, pinpoints: Sequence[Pinpoint], factor: float = 1.0
    ) -> Citation:
        if match.status != "resolved" or match.instrument is None:
            return Citation(
                raw,
                match.status,
                candidates=match.candidates,
                confidence=round(match.confidence * factor, 3),
                reason=match.reason,
            )
        instrument = match.instrument
        found = self.provisions(instrument, pinpoints)
        has_none = f"{instrument} has no {'; '.join(found.missing)} (the catalogue lists all)"
        if found.missing and not (found.ids or found.unlisted):
            return Citation(raw, "unresolved", confidence=round(0.8 * factor, 3), reason=has_none)
        confidence = match.confidence * factor * (0.95 if found.fell_back else 1.0)
        notes = [match.reason] if match.reason else []
        if found.missing:
            notes.append(has_none)
            confidence *= 0.9
        if found.unlisted:
            some = "only some" if self._provision_eids.get(instrument) else "none"
            notes.append(
                f"{'; '.join(found.unlisted)} not in the catalogue ({instrument} lists {some} "
                "of its provisions): cited as the instrument"
            )
            confidence *= 0.85
        return Citation(
            raw,
            "resolved",
            instrument=instrument,
            provisions=found.ids,
            confidence=round(min(confidence, 1.0), 3),
            reason="; ".join(notes) or None,
        )

    # ------------------------------------------------------------ citations

    def resolve(self, raws: Sequence[RawCitation]) -> list[Citation]:
        """Resolve the citations of one scope (one incident), in text order.

        Short forms («данной Конвенции», «той же статьи», a bare «статьи 33») lean
        only on earlier citations of the same call.
        """
        out: list[Citation] = []
        # the instrument each citation is about, even when its article is not in the
        # catalogue (then the citation is unresolved, yet «той же статьи» still knows the act)
        about: list[str | None] = []
        for raw in raws:
            if raw.short_form is None and raw.instrument_text and not raw.title:
                if _is_demonstrative(raw.instrument_text):
                    raw = evolve(raw, short_form="instrument")
            if raw.short_form or not (raw.instrument_text or raw.title):
                cite, instrument = self._short(raw, out, about)
            else:
                match = self._match_raw(raw)
                if match.status == "unresolved":
                    raw, match = self._trim_about(raw, match)
                if match.status == "ambiguous":
                    match = self._by_context(match, about)
                elif match.instrument and _is_homonym(raw):
                    match = self._homonym(raw, match, raws, about)
                cite = self._with_provisions(raw, match, raw.pinpoints)
                instrument = match.instrument if match.status == "resolved" else None
            out.append(cite)
            about.append(instrument)
        return out

    def _trim_about(self, raw: RawCitation, match: Match) -> tuple[RawCitation, Match]:
        """«Трудового кодекса о примирительных процедурах» names nothing in the catalogue, but
        «Трудового кодекса» does: the «о …» phrase is the sentence, not the name. Returns the
        citation cut before the longest such prefix that resolves (span and text cut too when
        the instrument ends the citation), or the citation and match unchanged."""
        text, where = raw.instrument_text, raw.instrument_span
        if not text or where is None or raw.title:
            return raw, match
        for about in reversed(list(_ABOUT.finditer(text))):
            prefix = text[: about.start()].rstrip(" ,")
            tail = text[len(prefix) :]
            if not prefix or any(ch.isdigit() or ch in _QUOTES for ch in tail):
                continue  # a number or a title after the «о …» phrase belongs to the name
            end = where.start + len(prefix)
            changes: dict[str, object] = {
                "instrument_text": prefix, "instrument_span": Span(where.start, end)
            }
            if raw.span.end == where.end:  # keep text == input[span.start:span.end]
                changes["span"] = Span(raw.span.start, end)
                changes["text"] = raw.text[: end - raw.span.start]
            trimmed = evolve(raw, **changes)
            found = self._match_raw(trimmed)
            if found.status == "resolved":
                return trimmed, found
        return raw, match

    def _homonym(
        self, raw: RawCitation, match: Match, raws: Sequence[RawCitation], about: list[str | None]
    ) -> Match:
        """A lone «КПП»: the Convention against Torture only when the same scope names it
        otherwise (before or after), else most likely a checkpoint, not a citation."""
        instrument = match.instrument
        if instrument in about or any(
            self._match_raw(other).instrument == instrument
            for other in raws
            if other is not raw
            and not other.short_form
            and (other.instrument_text or other.title)
            and not _is_homonym(other)
        ):
            return match
        abbreviation = unify(raw.instrument_text or "")
        return Match(
            "unresolved",
            confidence=0.3,
            reason=(
                f"{HOMONYM_REASON}«{abbreviation}» with no article, and {instrument} not named "
                f"otherwise in this text: more likely {_HOMONYMS[abbreviation]}"
            ),
        )

    @staticmethod
    def _by_context(match: Match, about: list[str | None]) -> Match:
        """«Пакта» after «МПГПП» in the same text: the candidate cited last wins."""
        for instrument in reversed(about):
            if instrument in match.candidates:
                return Match(
                    "resolved",
                    instrument,
                    confidence=0.75,
                    reason=(
                        f"one of {', '.join(match.candidates)}; {instrument} was cited "
                        "earlier in this text"
                    ),
                )
        return match

    def _match_raw(self, raw: RawCitation) -> Match:
        match = self.match(
            raw.instrument_text,
            title=raw.title,
            year=raw.year or (raw.date.year if raw.date else None),
            number=raw.number,
            jurisdiction=raw.jurisdiction_hint,
            lang=raw.lang,
        )
        text = raw.instrument_text or ""
        if raw.lang != "kk" and match.confidence < 0.9 and _KAZAKH_ENDING.search(text):
            # «Конституциясына»: Kazakh with no Kazakh-only letter, handed over as Russian
            kazakh = self.match(
                raw.instrument_text, title=raw.title,
                year=raw.year or (raw.date.year if raw.date else None), number=raw.number,
                jurisdiction=raw.jurisdiction_hint, lang="kk",
            )
            if kazakh.status == "resolved" and kazakh.confidence > match.confidence:
                match = kazakh
        if len(analyse(text, raw.lang).heads) > 1 and _CONJUNCTION.search(text):
            # «Конвенции 1951 года и Протокола 1967 года»: two instruments in one phrase
            named = set()
            for piece in _CONJUNCTION.split(text):
                part = self.match(piece, jurisdiction=raw.jurisdiction_hint, lang=raw.lang)
                if part.status != "resolved":
                    return match
                named.add(part.instrument)
            if len(named) > 1:
                return _ambiguous(named, "the phrase names several instruments")
        return match

    def _head(self, raw: RawCitation) -> str | None:
        if not raw.instrument_text:
            return None
        return analyse(raw.instrument_text, raw.lang).head

    def _short(
        self, raw: RawCitation, earlier: list[Citation], about: list[str | None]
    ) -> tuple[Citation, str | None]:
        kind = raw.short_form or "bare"
        head = self._head(raw) if kind == "instrument" else None
        for index in range(len(earlier) - 1, -1, -1):
            prev = earlier[index]
            if kind == "provision" and not prev.raw.pinpoints:
                continue
            if not self._fits_short(prev, about[index], head):
                continue
            return self._lean(raw, prev, about[index], index, kind), about[index]
        what = head or ("provision" if kind == "provision" else "instrument")
        reason = f"short form with no earlier {what} to refer to in this text"
        if head and any(about):
            cited = ", ".join(dict.fromkeys(a for a in about if a))
            reason += f" (cited earlier, not a {head}: {cited})"
        return Citation(raw, "unresolved", confidence=0.5, reason=reason), None

    def _fits_short(self, prev: Citation, instrument: str | None, head: str | None) -> bool:
        if instrument:
            return head is None or head in self._short_heads.get(instrument, frozenset())
        if not (prev.raw.instrument_text or prev.raw.title):
            return False  # a failed short form is no antecedent
        if prev.reason and prev.reason.startswith(HOMONYM_REASON):
            return False  # nor a checkpoint
        if head is None:
            return True
        prev_head = analyse(prev.raw.instrument_text or "", prev.raw.lang).head
        prev_heads = {prev_head} if prev_head else set()
        if prev.status == "ambiguous":
            prev_heads = prev_heads | {
                h for c in prev.candidates for h in self._short_heads.get(c, frozenset())
            }
        return head in prev_heads

    def _lean(
        self, raw: RawCitation, prev: Citation, instrument: str | None, index: int, kind: str
    ) -> Citation:
        factor = 0.8 if kind == "bare" else 0.9
        pinpoints = list(raw.pinpoints)
        if kind == "provision":
            last = prev.raw.pinpoints[-1] if prev.raw.pinpoints else Pinpoint()
            pinpoints = [
                p if (p.article or p.rule) else evolve(p, article=last.article, rule=last.rule)
                for p in pinpoints
            ] or [last]
        if instrument:
            confidence = prev.confidence if prev.status == "resolved" else 0.8
            match = Match("resolved", instrument, confidence=confidence or 0.9)
        elif prev.status == "ambiguous":
            match = Match(
                "ambiguous",
                candidates=prev.candidates,
                confidence=prev.confidence,
                reason=f"refers to {_quote(prev.text)}, which is ambiguous",
            )
        else:
            match = Match(
                "unresolved",
                confidence=prev.confidence or 0.5,
                reason=(
                    f"refers to {_quote(prev.text)}: "
                    f"{prev.reason or 'not resolved'}"
                ),
            )
        cite = self._with_provisions(raw, match, pinpoints, factor)
        return evolve(cite, antecedent=index)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"«{text if len(text) <= limit else text[: limit - 1] + '…'}»"


# ---------------------------------------------------------------- the index, cached on disk

#: This module's code as it was imported (not as it may be on disk by now): the cache key of
#: an index must name the code that built it.
_OWN_SOURCE = Path(__file__).read_bytes()


def _index_state(catalogue: Catalogue, default_jurisdiction: str) -> dict[str, object]:
    """The attributes :meth:`Resolver._build_index` sets, read from the on-disk cache
    (:mod:`normref.cache`) when it holds them for this very catalogue content, this code and
    this morphology, else built and cached.

    The cached state also carries the lemma of every form of every word of the catalogue's
    names (computed by :func:`normref.morph.lemma` itself), handed to
    :func:`normref.morph.remember_lemmas`: resolving the usual citations then needs no
    morphological dictionary, whose loading is most of a cold start.
    """
    import pickle

    from .cache import digest_of, load_or_build

    def build() -> dict[str, object]:
        resolver = Resolver.__new__(Resolver)
        resolver._build_index(catalogue, default_jurisdiction)
        state = dict(resolver.__dict__)
        del state["catalogue"], state["default_jurisdiction"]
        return {"state": state, "lemmas": _catalogue_lemmas(catalogue)}

    try:
        content = pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return build()["state"]  # type: ignore[return-value]
    key = digest_of([content, default_jurisdiction, _OWN_SOURCE, morph_versions()])
    name = "resolver-" + digest_of([str(catalogue.path), default_jurisdiction])[:16]
    cached = load_or_build(name, key, build)
    remember_lemmas(cached["lemmas"])
    return dict(cached["state"])


def _catalogue_lemmas(catalogue: Catalogue) -> dict[str, str]:
    """Lemmas of every inflected form of every Russian word of the catalogue's names and of
    the words the resolver treats specially."""
    words: set[str] = set(_STOPWORDS) | set(_GENERIC) | set(_MONTHS) | set(_HEADS)
    for inst in catalogue:
        texts = [*inst.titles.values(), *(n for ns in inst.short_names.values() for n in ns),
                 *inst.aliases, *inst.abbreviations]
        for text in texts:
            words.update(WORD_RE.findall(text))
    return russian_lemma_table(words)


# ---------------------------------------------------------------- shared instances

_RESOLVERS: weakref.WeakKeyDictionary[Catalogue, dict[str, Resolver]] = weakref.WeakKeyDictionary()


def resolver_for(catalogue: Catalogue | None = None, default_jurisdiction: str = "kz") -> Resolver:
    """The resolver of a catalogue (the shipped one by default), built once and shared."""
    if catalogue is None:
        catalogue = _shipped_catalogue()
    per = _RESOLVERS.setdefault(catalogue, {})
    resolver = per.get(default_jurisdiction)
    if resolver is None:
        resolver = per[default_jurisdiction] = Resolver(
            catalogue, default_jurisdiction=default_jurisdiction
        )
    return resolver


_REBUILT: dict[tuple, Resolver] = {}


def _rebuild(catalogue: Catalogue, default_jurisdiction: str) -> Resolver:
    """Unpickle a resolver: reuse one built in this process for an equal catalogue."""
    key = (
        str(catalogue.path),
        catalogue.version,
        tuple(sorted(catalogue.instruments)),
        len(catalogue.provisions),
        default_jurisdiction,
    )
    resolver = _REBUILT.get(key)
    if resolver is None:
        if len(_REBUILT) > 8:
            _REBUILT.clear()
        resolver = _REBUILT[key] = resolver_for(catalogue, default_jurisdiction)
    return resolver


@lru_cache(maxsize=1)
def _shipped_catalogue() -> Catalogue:
    from .catalogue import load_catalogue

    return load_catalogue()


def find_citations(text: str, catalogue: Catalogue | None = None) -> list[Citation]:
    """Find and resolve every citation of ``text`` (one scope for short forms).

    The shipped catalogue is loaded once and its resolver reused between calls.
    """
    from .extract import extract

    return resolver_for(catalogue).resolve(extract(text))
