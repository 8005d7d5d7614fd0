"""The tagging rules: rubrics, trigger phrases and implied obligations, read from YAML.

A catalogue folder may hold, beside its instrument files:

* ``rubrics.yaml`` — digest rubrics (names of rights as monitors write them) and the
  provisions each one names;
* ``triggers/*.yaml`` — phrases that, found in an incident's text, point to provisions;
* ``relations.yaml`` — Kazakh provisions and the charges that name them, with the
  international obligations they engage.

Every file is read strictly (:mod:`normref.yamlio`) and checked against the catalogue;
the checker is registered with :func:`normref.catalogue.register_rule_validator`, so
``normref catalogue check`` reports rule problems with file and line. The formats are
described in docs/tagging.md. Every weight and threshold lives in :class:`TaggingWeights`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .catalogue import register_rule_validator
from .yamlio import LineDict, Problem, YamlProblem, load_yaml_file

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = [
    "BASES",
    "DEFAULT_WEIGHTS",
    "Phrase",
    "RelationRule",
    "RubricRule",
    "Rules",
    "TaggingWeights",
    "TriggerRule",
    "Word",
    "check_rules",
    "compiled_rules",
    "read_rules",
]

#: The bases of an obligation, in the order they are reported.
BASES = ("citation", "rubric", "trigger", "implied")
LANGS = ("ru", "kk", "en")
STRENGTHS = ("strong", "normal", "weak")


# ---------------------------------------------------------------- weights


@frozen
class TaggingWeights:
    """Every number the tagger uses, in one place (documented in docs/tagging.md).

    Each piece of evidence carries a weight in [0, 1]. Evidence of one basis combines as
    ``1 - prod(1 - w)`` over its distinct rules, capped by ``cap[basis]``; the bases then
    combine the same way, so the confidence grows with every independent basis. An
    obligation is reported when its confidence reaches ``threshold``.
    """

    threshold: float = 0.5
    # citation basis: a resolved citation of the provision, times the citation's confidence
    citation_provision: float = 0.9
    # an instrument named without a provision («Конвенция о статусе беженцев»)
    citation_instrument_international: float = 0.6
    citation_instrument_domestic: float = 0.4  # alone, not enough: needs a second basis
    # rubric basis
    rubric_primary: float = 0.6
    rubric_related: float = 0.3  # alone, not enough
    # trigger basis, by the rule's strength
    trigger: Mapping[str, float] = field(
        factory=lambda: {"strong": 0.65, "normal": 0.55, "weak": 0.35}
    )
    # implied basis
    implied_from_citation: float = 0.7  # a cited Kazakh provision -> what it engages
    implied_charge: float = 0.65  # a named charge -> the Kazakh provision
    implied_from_charge: float = 0.6  # a named charge -> what its provision engages
    # ceilings of each basis, so that repeating one kind of evidence cannot reach certainty
    cap: Mapping[str, float] = field(
        factory=lambda: {"citation": 0.97, "rubric": 0.6, "trigger": 0.75, "implied": 0.8}
    )
    # phrase matching (in word tokens)
    phrase_gap: int = 1  # words allowed between two words of a phrase
    near_window: int = 6  # default distance between a phrase and its `near` phrase
    unless_window: int = 3  # distance within which an `unless` phrase cancels a match
    negation_window: int = 3  # words before a match searched for a negation
    negation_after_window: int = 3  # words after a match searched for «не было», «жоқ»
    max_evidence_per_rule: int = 3  # evidence spans kept per rule and provision
    # rubric matching
    rubric_min_prefix_chars: int = 12  # a cut-off rubric must keep this many characters
    rubric_min_prefix_words: int = 2  # ... and this many words
    rubric_min_extended_words: int = 4  # a known name a longer rubric may begin with
    rubric_fuzzy_ratio: float = 92.0  # rapidfuzz ratio accepted for a misspelt rubric


DEFAULT_WEIGHTS = TaggingWeights()

#: Words that negate a trigger written after them («нет пыток», «никаких пыток»).
NEGATION_BEFORE = frozenset(
    {"нет", "ни", "никаких", "никакие", "никакого", "никакой", "отсутствие", "отсутствии",
     "отсутствуют", "not", "no", "never", "nor", "denied", "ешқандай", "еш"}
)
#: Words that negate only the word right after them («без пыток», «without torture»).
NEGATION_ADJACENT = frozenset({"без", "without"})
#: «не» negates a trigger when right before it («не пытки, а ...») or when it denies one of
#: these verbs («не применялись пытки», «пыток не было»); «не расследуют пытки» still
#: reports torture.
NEGATED_VERBS = frozenset(
    {"быть", "применяться", "применять", "применить", "установить", "установлено",
     "подтвердиться", "подтвердить", "выявить", "выявиться", "обнаружить", "обнаружиться",
     "зафиксировать", "фиксировать", "иметь", "иметься", "происходить", "произойти",
     "подвергать", "подвергаться", "подвергнуть", "подвергнуться", "использовать",
     "использоваться", "совершать", "совершить", "проводить", "проводиться", "провести",
     "являться", "допускать", "допустить"}
)
#: Words that negate a trigger written before them: Kazakh «жоқ», «емес».
NEGATION_AFTER = frozenset({"жоқ", "емес"})
#: A Kazakh verb negated by its suffix: -ма/-ме (-ба/-бе, -па/-пе after some consonants) and
#: then a tense or participle ending: «қолданылмады», «ұсталмады», «тіркелмеген»,
#: «бермейді», «жасалмапты». Forms ending in -мас/-май are left out: they end names too
#: (Алмас, Назарбай).
KAZAKH_NEGATED_VERB = re.compile(
    r"[мбп][ае](?:д[ыі]|[ғг][ае]н[а-яәғқңөұүһі]*|йд[ыі]|йт[ыі]н[а-яәғқңөұүһі]*|пт[ыі])$"
)
#: Letters before the negative suffix a Kazakh verb needs at least («қамады», «сабады»
#: are positive: their stems end in -ма, -ба).
KAZAKH_NEGATED_MIN_STEM = 3
_KAZAKH_ONLY = frozenset("әғқңөұүһі")


def is_kazakh_negated_verb(word: str) -> bool:
    """Whether a (normalised) word is a Kazakh verb negated by its suffix («қолданылмады»).

    A Russian word of the same shape («водопады», «громады») is not: a word without a
    Kazakh-only letter must be unknown to the Russian dictionary.
    """
    found = KAZAKH_NEGATED_VERB.search(word)
    if found is None or found.start() < KAZAKH_NEGATED_MIN_STEM:
        return False
    if not _KAZAKH_ONLY.isdisjoint(word):
        return True
    from .morph import word_is_known

    return not word_is_known(word)
#: A full stop, question or exclamation mark or semicolon followed by a space.
SENTENCE_END = re.compile(r"[.!?;…](?=\s)")
_CONTINUES_LINE = re.compile(r"[a-zа-яёәғқңөұүһі,\-]$")


def is_sentence_break(gap: str, before: str) -> bool:
    """Whether the text ``gap`` between two words (the first ending in ``before``) ends a
    sentence: phrases and windows never cross one.

    A full stop counts only before a space («Orda.kz» is one place, not two sentences); a
    line break counts unless the line ends inside a sentence (a lower-case letter, a comma, a
    hyphen: hard-wrapped text); a blank line always counts.
    """
    if SENTENCE_END.search(gap):
        return True
    if "\n" not in gap:
        return False
    if re.search(r"\n[ \t\u00a0\r]*\n", gap):
        return True
    line_end = (before + gap[: gap.index("\n")]).rstrip()
    return not _CONTINUES_LINE.search(line_end)


# ---------------------------------------------------------------- rule objects


@frozen
class Word:
    """One word of a phrase: alternatives, each a lemma or a stem (``пытк*``)."""

    lemmas: frozenset[str]
    stems: tuple[str, ...]


@frozen
class Phrase:
    """A phrase as written in a rule file, with its compiled words."""

    text: str
    lang: str
    words: tuple[Word, ...]
    line: int | None = None


@frozen
class TriggerRule:
    id: str
    targets: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    strength: str = "normal"
    near: tuple[Phrase, ...] = ()
    window: int | None = None
    unless: tuple[Phrase, ...] = ()
    negation: bool = True
    gap: int | None = None
    file: str = ""
    line: int | None = None
    unless_window: int | None = None


@frozen
class RubricRule:
    id: str
    names: tuple[str, ...]  # normalised
    provisions: tuple[str, ...]
    related: tuple[str, ...] = ()
    file: str = ""
    line: int | None = None


@frozen
class RelationRule:
    id: str
    provision: str
    engages: tuple[str, ...]
    charges: tuple[Phrase, ...] = ()
    gap: int | None = None
    file: str = ""
    line: int | None = None
    near: tuple[Phrase, ...] = ()
    window: int | None = None
    unless: tuple[Phrase, ...] = ()
    unless_window: int | None = None
    negation: bool = True


@frozen
class Rules:
    rubrics: tuple[RubricRule, ...] = ()
    editorial: frozenset[str] = frozenset()  # normalised editorial rubric names
    triggers: tuple[TriggerRule, ...] = ()
    relations: tuple[RelationRule, ...] = ()
    weights: TaggingWeights = DEFAULT_WEIGHTS


# ---------------------------------------------------------------- phrases

_WORD_OK = re.compile(r"^=?[^\W_]+(?:-[^\W_]+)*\*?$")


def normalize_rubric(text: str) -> str:
    """A rubric for comparison: casefolded, ё->е, no quotes or punctuation, single spaces."""
    from .morph import normalize

    text = normalize(text)
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip(" -")


def compile_phrase(text: str, lang: str, line: int | None = None) -> tuple[Phrase, list[str]]:
    """Compile a phrase; return it with a list of what is wrong in it (empty when sound).

    Words are separated by spaces; ``a|b`` gives alternatives; a word ending in ``*`` is a
    stem matched against the start of a word (and of its lemma); ``=word`` matches that very
    form only; ``*`` alone is any one word; any other word matches every form with the same
    lemma.
    """
    from .morph import lemma, normalize

    errors: list[str] = []
    words: list[Word] = []
    for chunk in text.split():
        lemmas: set[str] = set()
        stems: list[str] = []
        for alt in chunk.split("|"):
            alt_n = normalize(alt)
            if alt_n == "*":  # any one word
                stems.append("")
                continue
            if not alt_n or not _WORD_OK.match(alt_n):
                errors.append(f"bad word {alt!r} in phrase {text!r}")
                continue
            if alt_n.startswith("="):
                if alt_n.endswith("*"):
                    errors.append(f"{alt!r} in phrase {text!r}: '=' and '*' do not mix")
                    continue
                lemmas.add(alt_n[1:])
            elif alt_n.endswith("*"):
                stem = alt_n[:-1]
                if len(stem) < 3 and not stem.isdigit():
                    errors.append(f"stem {alt!r} in phrase {text!r} is shorter than 3 letters")
                    continue
                stems.append(stem)
            else:
                lemmas.add(lemma(alt_n, lang if lang == "kk" else None))
                lemmas.add(alt_n)
        if lemmas or stems:
            words.append(Word(frozenset(lemmas), tuple(stems)))
    if not words and not errors:
        errors.append("empty phrase")
    return Phrase(text, lang, tuple(words), line), errors


# ---------------------------------------------------------------- reading


class _Reader:
    """Reads the rule files of one folder, collecting problems."""

    def __init__(self, root: Path, catalogue: Catalogue | None) -> None:
        self.root = root
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        self.file = ""

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def load(self, path: Path) -> Any:
        self.file = path.relative_to(self.root).as_posix()
        try:
            return load_yaml_file(path)
        except YamlProblem as exc:
            self.add(exc.line, exc.message)
            return None

    def fields(self, data: LineDict, spec: Mapping[str, bool], what: str) -> bool:
        ok = True
        for name, required in spec.items():
            if required and data.get(name) in (None, "", [], {}):
                self.add(data.line, f"{what}: missing field {name!r}")
                ok = False
        for name in data:
            if name not in spec:
                self.add(data.line_of(name), f"{what}: unknown field {name!r}")
        return ok

    def ident(self, data: LineDict, key: str, what: str, seen: dict[str, str]) -> str:
        """The rule's id, unique within ``seen`` (id -> where it was first defined)."""
        value = data.get(key)
        if value is None:
            return ""  # reported as a missing field
        if not isinstance(value, str) or not re.match(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$", value):
            self.add(data.line_of(key), f"{what}: {key!r} must be a lower-case slug, "
                     f"got {value!r}")
            return ""
        if value in seen:
            self.add(data.line_of(key), f"{what}: duplicate id {value!r} (first at "
                     f"{seen[value]})")
            return ""
        seen[value] = f"{self.file}:{data.line_of(key)}"
        return value

    def targets(self, data: LineDict, key: str, what: str) -> tuple[str, ...]:
        """Catalogue ids (provisions or instruments); unknown ones are reported and dropped."""
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(data.line_of(key), f"{what}: {key!r} must be a list of provision ids")
            return ()
        out: list[str] = []
        for ident in value:
            ident = ident.strip()
            if self.catalogue is not None and ident not in self.catalogue:
                kind = "provision" if "#" in ident else "instrument"
                self.add(data.line_of(key), f"{what}: unknown {kind} id {ident!r} in {key!r}")
                continue
            if ident in out:
                self.add(data.line_of(key), f"{what}: {ident!r} listed twice in {key!r}")
                continue
            out.append(ident)
        return tuple(out)

    def phrases(self, data: LineDict, key: str, what: str) -> tuple[Phrase, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineDict):
            self.add(data.line_of(key), f"{what}: {key!r} must map languages (ru, kk, en) "
                     "to lists of phrases")
            return ()
        out: list[Phrase] = []
        for lang, items in value.items():
            line = value.line_of(lang)
            if lang not in LANGS:
                self.add(line, f"{what}: unknown language {lang!r} in {key!r}")
                continue
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
                self.add(line, f"{what}: {key}.{lang} must be a list of phrases")
                continue
            for text in items:
                phrase, errors = compile_phrase(text, lang, line)
                for err in errors:
                    self.add(line, f"{what}: {err}")
                if not errors:
                    out.append(phrase)
        return tuple(out)

    def integer(self, data: LineDict, key: str, what: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.add(data.line_of(key), f"{what}: {key!r} must be a whole number "
                     f"from {low} to {high}")
            return None
        return value

    def top_list(self, data: Any, key: str, allowed: Iterable[str]) -> list[Any]:
        if data is None:
            return []
        if not isinstance(data, LineDict):
            self.add(getattr(data, "line", 1) or 1, f"the file must hold a mapping with {key!r}")
            return []
        for name in data:
            if name not in allowed:
                self.add(data.line_of(name), f"unknown top-level field {name!r}")
        items = data.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            self.add(data.line_of(key), f"{key!r} must be a list")
            return []
        return items


_RUBRIC_FIELDS = {"id": True, "names": True, "provisions": False, "related": False,
                  "notes": False}
_TRIGGER_FIELDS = {"id": True, "targets": True, "phrases": True, "strength": False,
                   "near": False, "unless": False, "negation": False, "gap": False,
                   "notes": False}
_NEAR_FIELDS = {"phrases": True, "window": False}
_RELATION_FIELDS = {"id": True, "provision": True, "engages": False, "charges": False,
                    "gap": False, "near": False, "unless": False, "negation": False,
                    "notes": False}


def _read_rubrics(rd: _Reader, path: Path) -> tuple[list[RubricRule], set[str]]:
    data = rd.load(path)
    rubrics: list[RubricRule] = []
    editorial: set[str] = set()
    seen: dict[str, str] = {}
    names_seen: dict[str, str] = {}
    for item in rd.top_list(data, "rubrics", ("rubrics", "editorial")):
        if not isinstance(item, LineDict):
            rd.add(getattr(data, "line", None), "each rubric must be a mapping")
            continue
        ident = rd.ident(item, "id", "rubric", seen)
        what = f"rubric {ident}" if ident else "rubric"
        rd.fields(item, _RUBRIC_FIELDS, what)
        names: list[str] = []
        raw_names = item.get("names")
        if isinstance(raw_names, LineDict):
            for lang, items in raw_names.items():
                if lang not in LANGS:
                    rd.add(raw_names.line_of(lang), f"{what}: unknown language {lang!r}")
                    continue
                if not isinstance(items, list) or not all(isinstance(n, str) for n in items):
                    rd.add(raw_names.line_of(lang), f"{what}: names.{lang} must be a list")
                    continue
                for name in items:
                    norm = normalize_rubric(name)
                    if not norm:
                        rd.add(raw_names.line_of(lang), f"{what}: empty name")
                    elif norm in names_seen and names_seen[norm] != ident:
                        rd.add(raw_names.line_of(lang),
                               f"{what}: name {name!r} also belongs to {names_seen[norm]}")
                    else:
                        names_seen[norm] = ident
                        names.append(norm)
        elif raw_names is not None:
            rd.add(item.line_of("names"), f"{what}: 'names' must map languages to lists")
        provisions = rd.targets(item, "provisions", what)
        related = rd.targets(item, "related", what)
        for dup in set(provisions) & set(related):
            rd.add(item.line_of("related"), f"{what}: {dup!r} is both primary and related")
        if ident and names:
            rubrics.append(RubricRule(ident, tuple(dict.fromkeys(names)), provisions,
                                      tuple(r for r in related if r not in provisions),
                                      rd.file, item.line))
    if isinstance(data, LineDict) and data.get("editorial") is not None:
        value = data["editorial"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            rd.add(data.line_of("editorial"), "'editorial' must be a list of rubric names")
        else:
            for name in value:
                norm = normalize_rubric(name)
                if norm in names_seen:
                    rd.add(data.line_of("editorial"),
                           f"editorial rubric {name!r} is also a name of {names_seen[norm]}")
                elif norm:
                    editorial.add(norm)
    return rubrics, editorial


def _window_phrases(
    rd: _Reader, item: LineDict, key: str, what: str
) -> tuple[tuple[Phrase, ...], int | None, bool]:
    """``near``/``unless``: a mapping {phrases, window}; ``unless`` may also be bare phrases.
    Returns the phrases, the window and whether the field is sound."""
    raw = item.get(key)
    if raw is None:
        return (), None, True
    if isinstance(raw, LineDict) and "phrases" in raw:
        rd.fields(raw, _NEAR_FIELDS, f"{what} {key}")
        phrases = rd.phrases(raw, "phrases", f"{what} {key}")
        window = rd.integer(raw, "window", f"{what} {key}", 1, 30)
        return phrases, window, bool(phrases)
    if key == "unless" and isinstance(raw, LineDict):
        phrases = rd.phrases(item, key, what)
        return phrases, None, bool(phrases)
    rd.add(item.line_of(key), f"{what}: {key!r} must be a mapping with 'phrases'")
    return (), None, False


def _context(rd: _Reader, item: LineDict, what: str) -> dict[str, Any] | None:
    """The matching options shared by triggers and relations; None if ``near`` is unsound."""
    near, window, near_ok = _window_phrases(rd, item, "near", what)
    unless, unless_window, _ = _window_phrases(rd, item, "unless", what)
    negation = item.get("negation", True)
    if not isinstance(negation, bool):
        rd.add(item.line_of("negation"), f"{what}: 'negation' must be true or false")
        negation = True
    gap = rd.integer(item, "gap", what, 0, 5)
    if not near_ok:
        return None
    return {"near": near, "window": window, "unless": unless, "unless_window": unless_window,
            "negation": negation, "gap": gap}


def _read_triggers(rd: _Reader, path: Path, seen: dict[str, str]) -> list[TriggerRule]:
    data = rd.load(path)
    rules: list[TriggerRule] = []
    for item in rd.top_list(data, "triggers", ("triggers", "notes")):
        if not isinstance(item, LineDict):
            rd.add(getattr(data, "line", None), "each trigger must be a mapping")
            continue
        ident = rd.ident(item, "id", "trigger", seen)
        what = f"trigger {ident}" if ident else "trigger"
        rd.fields(item, _TRIGGER_FIELDS, what)
        targets = rd.targets(item, "targets", what)
        phrases = rd.phrases(item, "phrases", what)
        strength = item.get("strength", "normal")
        if strength not in STRENGTHS:
            rd.add(item.line_of("strength"), f"{what}: strength must be one of "
                   f"{', '.join(STRENGTHS)}, got {strength!r}")
            strength = "normal"
        ctx = _context(rd, item, what)
        if ident and targets and phrases and ctx is not None:
            rules.append(TriggerRule(ident, targets, phrases, strength, ctx["near"],
                                     ctx["window"], ctx["unless"], ctx["negation"], ctx["gap"],
                                     rd.file, item.line, ctx["unless_window"]))
    return rules


def _read_relations(rd: _Reader, path: Path) -> list[RelationRule]:
    data = rd.load(path)
    out: list[RelationRule] = []
    seen: dict[str, str] = {}
    for item in rd.top_list(data, "relations", ("relations", "notes")):
        if not isinstance(item, LineDict):
            rd.add(getattr(data, "line", None), "each relation must be a mapping")
            continue
        ident = rd.ident(item, "id", "relation", seen)
        what = f"relation {ident}" if ident else "relation"
        rd.fields(item, _RELATION_FIELDS, what)
        provision = rd.targets(item, "provision", what)
        if len(provision) > 1:
            rd.add(item.line_of("provision"), f"{what}: 'provision' is one provision id")
        if provision and rd.catalogue is not None:
            inst = rd.catalogue.instruments.get(provision[0].split("#", 1)[0])
            if inst is not None and inst.jurisdiction != "kz":
                rd.add(item.line_of("provision"),
                       f"{what}: 'provision' must be a Kazakh provision, got {provision[0]!r}")
        engages = rd.targets(item, "engages", what)
        charges = rd.phrases(item, "charges", what)
        if "engages" not in item and "charges" not in item:
            rd.add(item.line, f"{what}: needs 'engages' or 'charges' (or both)")
        ctx = _context(rd, item, what)
        if ident and provision and ctx is not None:
            out.append(RelationRule(ident, provision[0], engages, charges, ctx["gap"], rd.file,
                                    item.line, ctx["near"], ctx["window"], ctx["unless"],
                                    ctx["unless_window"], ctx["negation"]))
    return out


def read_rules(root: Path | str, catalogue: Catalogue | None = None) -> tuple[Rules, list[Problem]]:
    """Read the rule files of a catalogue folder; return the sound rules and every problem.

    With a catalogue, ids it does not hold are reported and left out of the rules.
    Missing rule files are no problem: a catalogue may have no tagging rules.
    """
    root = Path(root)
    rd = _Reader(root, catalogue)
    rubrics: list[RubricRule] = []
    editorial: set[str] = set()
    triggers: list[TriggerRule] = []
    relations: list[RelationRule] = []
    if (root / "rubrics.yaml").is_file():
        rubrics, editorial = _read_rubrics(rd, root / "rubrics.yaml")
    trigger_dir = root / "triggers"
    if trigger_dir.is_dir():
        seen: dict[str, str] = {}
        for path in sorted(trigger_dir.iterdir()):
            if path.name.startswith(".") or path.name in ("README.md", "README"):
                continue
            if path.suffix not in (".yaml", ".yml") or not path.is_file():
                rd.file = path.relative_to(root).as_posix()
                rd.add(None, "not a YAML file (*.yaml) in triggers/")
                continue
            triggers.extend(_read_triggers(rd, path, seen))
    if (root / "relations.yaml").is_file():
        relations = _read_relations(rd, root / "relations.yaml")
    rules = Rules(tuple(rubrics), frozenset(editorial), tuple(triggers), tuple(relations))
    return rules, rd.problems


def check_rules(root: Path, catalogue: Catalogue) -> list[Problem]:
    """The rule validator registered with the catalogue loader."""
    try:
        return read_rules(root, catalogue)[1]
    except ImportError as exc:  # pragma: no cover - morphology missing
        return [Problem("rubrics.yaml", None, f"cannot check tagging rules: {exc}")]


register_rule_validator(check_rules)


# ---------------------------------------------------------------- cache

_compiled: dict[tuple[Any, ...], tuple[Catalogue, Rules]] = {}


def _stamp(root: Path) -> tuple[Any, ...]:
    files = [root / "rubrics.yaml", root / "relations.yaml"]
    if (root / "triggers").is_dir():
        files.extend(sorted((root / "triggers").iterdir()))
    stamp: list[Any] = [str(root.resolve())]
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        stamp.append((f.name, st.st_mtime_ns, st.st_size))
    return tuple(stamp)


def compiled_rules(catalogue: Catalogue) -> Rules:
    """The rules of the catalogue's folder, compiled once and cached until a file changes.

    Rules naming ids the catalogue does not hold are dropped (``catalogue check`` reports
    them).
    """
    key = (_stamp(Path(catalogue.path)), id(catalogue), catalogue.version)
    cached = _compiled.get(key)
    if cached is not None:
        return cached[1]
    rules = _cached_on_disk(catalogue)
    if len(_compiled) >= 8:
        _compiled.clear()
    _compiled[key] = (catalogue, rules)  # holding the catalogue keeps its id() unique
    return rules


#: This module's code as it was imported (the disk cache's key must name the code that builds).
_OWN_SOURCE = Path(__file__).read_bytes()


def _cached_on_disk(catalogue: Catalogue) -> Rules:
    """:func:`read_rules` of the catalogue's folder through the on-disk cache
    (:mod:`normref.cache`), keyed by the bytes of the rule files, what the checks read from
    the catalogue (its ids and jurisdictions), this module's and the model's code and what
    lemmas depend on. Reading the rules lemmatises every phrase word: a fresh process that
    finds them in the cache skips that and the YAML parsing."""
    from .cache import digest_of, load_or_build
    from .morph import morph_versions

    def build() -> Rules:
        return read_rules(catalogue.path, catalogue)[0]

    root = Path(catalogue.path)
    if not root.is_dir():
        return build()
    here = Path(__file__).resolve().parent
    parts: list[bytes | str] = [str(root.resolve()), _OWN_SOURCE, (here / "model.py").read_bytes(),
                                morph_versions()]
    files = [root / "rubrics.yaml", root / "relations.yaml"]
    if (root / "triggers").is_dir():
        files += sorted((root / "triggers").iterdir())
    for file in files:
        parts.append(file.name)
        try:
            parts.append(file.read_bytes() if file.is_file() else b"-")
        except OSError:
            return build()  # let the reader report it
    parts.append("\n".join(f"{i.id} {i.jurisdiction}" for i in catalogue))
    parts.append("\n".join(sorted(catalogue.provisions)))
    name = "rules-" + digest_of([str(root.resolve())])[:16]
    return load_or_build(name, digest_of(parts), build)
