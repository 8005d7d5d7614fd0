"""Find legal citations in text: ``extract(text) -> list[RawCitation]``.

Pipeline (linear in the input):

1. a pre-scan with one compiled regex of trigger stems finds candidate windows;
2. :mod:`normref.grammar_tokens` turns each window into word-class tokens;
3. the LALR(1) tables compiled by Lark from ``grammars/citation.lark`` are driven token by
   token from every token that can begin a citation; the longest prefix the grammar accepts
   wins (at most :data:`MAX_CITATION_TOKENS` tokens are fed per attempt);
4. the parse tree (small classes of this module, shaped like Lark's ``Tree`` and ``Token``: Lark
   itself is imported only to compile the grammar, on a cache miss) becomes a
   :class:`RawCitation` with exact spans; a few semantic checks reject phrases the grammar
   allows but a reader would not call a citation («Кодекс чести», «протокол заседания»).

``STATS`` counts the work done (characters scanned, tokens made, tokens fed to the parser) so
tests can check that it grows linearly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .grammar_tokens import (
    ABBR_STRONG,
    ABBR_WEAK,
    KAZAKH_LETTERS,
    OTHER,
    Tok,
    norm_word,
    tokenize,
)
from .model import Pinpoint, RawCitation, Span
from .resources import grammars_dir

__all__ = ["extract", "STATS", "ExtractStats", "parser_tables"]

#: the most tokens fed to the parser from one starting token
MAX_CITATION_TOKENS = 40
#: characters of context taken before / after a trigger
_BACK = 40
_AHEAD = 45

# ---------------------------------------------------------------- statistics


@dataclass
class ExtractStats:
    """Work counters (monotonic; call :meth:`reset` before measuring)."""

    chars: int = 0
    windows: int = 0
    tokens: int = 0
    fed: int = 0
    attempts: int = 0
    errors: int = 0

    def reset(self) -> None:
        self.chars = self.windows = self.tokens = self.fed = self.attempts = self.errors = 0

    @property
    def work(self) -> int:
        return self.tokens + self.fed + self.attempts


STATS = ExtractStats()

# ---------------------------------------------------------------- pre-scan

# Stems that can begin or end a citation, matched against the lower-cased text (fast: no
# IGNORECASE, a literal first character in every branch).
#: stems that can begin a citation or name an instrument (lower case); «(?!...)» excludes words
#: that merely share the stem (законодательство, правильно, договорились)
_RU_STEMS = (
    r"стать", r"стат", r"стей", r"ст\s?\.", r"соглашен", r"ч\s?\.", r"част(?:ь|и|ей|ям)",
    r"пп?\s?\.", r"подп", r"пункт", r"правил(?!ьн)", r"принцип", r"пакт", r"протокол",
    r"постановлен", r"абз", r"кодекс", r"конвенц", r"конституц", r"закон(?!од|н)", r"замечани",
    r"заң", r"указ", r"рекомендац", r"комментари", r"руководящ", r"резолюц", r"декларац",
    r"договор(?!ил)", r"хартия", r"хартии", r"статут", r"устав", r"-ба[бп]", r"бап", r"бөлі",
    r"тармақ", r"хаттама", r"туралы", r"қарсы",
)
_EN_STEMS = (
    r"covenant", r"convention", r"constitution", r"code", r"comment", r"charter", r"para",
    r"protocol", r"principles", r"rules?\b", r"recommendation", r"resolution", r"arts?\b",
    r"article", r"laws?\b", r"guideline", r"declaration", r"treat(?:y|ies)", r"§",
)
def _trigger_regex() -> re.Pattern[str]:
    """One regex, grouped by first letter (the regex engine then tests few branches a char)."""
    groups: dict[str, list[str]] = {}
    for stem in _RU_STEMS + _EN_STEMS:
        groups.setdefault(stem[0], []).append(stem[1:])
    return re.compile("|".join(f"{re.escape(k)}(?:{'|'.join(v)})" for k, v in groups.items()))


_TRIGGER = _trigger_regex()
_CLOSE_QUOTES = ("»", "”", "“", '"', "’")
_OPEN_QUOTE_CHARS = ("«", "“", "„", '"', "‘")
#: short stems count only at the start of a word («текст.», «start», «barcode» do not)
_WORD_START_STEMS = ("ст", "ч", "п", "абз", "art", "para", "rule", "code", "law", "бап")
# Instrument abbreviations are matched case-sensitively on the original text.
_ABBR_SCAN = re.compile(r"[УКТГНАМЕВЗЭЖICUOEҚӘ][А-ЯЁA-ZоӘҚт]+")
_ABBREVIATIONS = ABBR_STRONG | ABBR_WEAK
_WORDCHAR = re.compile(r"\w")
_INVISIBLES = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_IN_WORD = re.compile(r"\w[\u00ad\u200b\u200c\u200d\u2060\ufeff]\w")
_MIXED = re.compile(r"[aceopxykmthb](?:(?<=[а-яё].)|(?=[а-яё]))")

# ---------------------------------------------------------------- grammar


@cache
def _lark() -> Any:
    from lark import Lark

    source = (grammars_dir() / "citation.lark").read_text(encoding="utf-8")
    return Lark(source, parser="lalr", lexer="contextual", start="start")


@dataclass(frozen=True)
class _Rule:
    """A grammar rule as the driver needs it: what it reduces to and how many symbols."""

    origin: str  # the non-terminal reduced to (goto key)
    size: int
    name: str  # tree node name: alias or origin


@dataclass
class _Tables:
    """LALR tables with plain ``str`` keys: action[state][terminal] = (shift?, state | rule)."""

    action: dict[int, dict[str, tuple[bool, Any]]]
    goto: dict[int, dict[str, int]]
    start: int
    end: int
    first: frozenset[str]
    #: parser stack -> whether it accepts the end here (filled as stacks are met)
    accepts: dict[tuple[int, ...], bool] = field(default_factory=dict)


#: This module's code as it was imported (the cache key must name the code that builds).
_OWN_SOURCE = Path(__file__).read_bytes()


@cache
def parser_tables() -> _Tables:
    """The LALR tables of the compiled grammar, compiled once and kept in the on-disk cache
    (:mod:`normref.cache`) keyed by the grammar, this module's code and Lark's version."""
    from .cache import digest_of, load_or_build

    key = digest_of([(grammars_dir() / "citation.lark").read_bytes(), _OWN_SOURCE,
                     _lark_version()])
    # named by its key: two installed versions of normref (or of the grammar) keep a file each
    # instead of rebuilding over each other's (the cache keeps the newest few of a kind)
    return load_or_build(f"grammar-tables-{key[:16]}", key, _build_tables)


def _lark_version() -> str:
    """Lark's version, read from its ``__init__.py`` without running it: importing Lark (or
    ``importlib.metadata``) costs a fresh process more time than the rest of a short run, and
    only a cache miss needs Lark itself."""
    import importlib.util

    spec = importlib.util.find_spec("lark")
    if spec is not None and spec.origin:
        try:
            head = Path(spec.origin).read_text(encoding="utf-8", errors="replace")
        except OSError:
            head = ""
        found = _VERSION_LINE.search(head)
        if found:
            return found.group(1)
    import lark  # pragma: no cover - an unusual installation: ask the module itself

    return str(lark.__version__)  # pragma: no cover


_VERSION_LINE = re.compile(r"""^__version__\s*(?::\s*str\s*)?=\s*['"]([^'"]+)['"]""", re.M)


def _build_tables() -> _Tables:
    from lark.parsers.lalr_analysis import Shift

    table = _lark().parser.parser.parser.parse_table
    rules: dict[Any, _Rule] = {}
    action: dict[int, dict[str, tuple[bool, Any]]] = {}
    goto: dict[int, dict[str, int]] = {}
    for state, row in table.states.items():
        acts: dict[str, tuple[bool, Any]] = {}
        gos: dict[str, int] = {}
        for key, (kind, arg) in row.items():
            key = str(key)
            if kind is Shift:
                if key.isupper() or key == "$END":
                    acts[key] = (True, arg)
                else:
                    gos[key] = arg
            else:
                rule = rules.get(arg)
                if rule is None:
                    origin = str(arg.origin.name)
                    rule = rules[arg] = _Rule(origin, len(arg.expansion), str(arg.alias or origin))
                acts[key] = (False, rule)
        action[state] = acts
        goto[state] = gos
    start = table.start_states["start"]
    first = frozenset(t for t, (shift, _) in action[start].items() if shift)
    return _Tables(action, goto, start, table.end_states["start"], first)


def _accepts_end(tables: _Tables, stack: tuple[int, ...]) -> bool:
    """Whether feeding $END now would be accepted (simulating reductions on a copy);
    remembered per stack in the tables (the same few stacks recur: the answer depends on
    nothing else)."""
    accepts = tables.accepts
    found = accepts.get(stack)
    if found is None:
        if len(accepts) > 50_000:  # bounded: memory stays flat on endless input
            accepts.clear()
        found = accepts[stack] = _simulate_end(tables, list(stack))
    return found


def _simulate_end(tables: _Tables, stack: list[int]) -> bool:
    action, goto, end = tables.action, tables.goto, tables.end
    for _ in range(200):
        if stack[-1] == end:
            return True
        act = action[stack[-1]].get("$END")
        if act is None or act[0]:
            return False
        rule = act[1]
        if rule.size:
            del stack[-rule.size :]
        target = goto[stack[-1]].get(rule.origin)
        if target is None:
            return False
        stack.append(target)
    return False


def _longest(
    tokens: list[Tok], i: int, tables: _Tables, want: int = 3
) -> tuple[list[int], bool]:
    """Ends (exclusive token indices) of up to ``want`` accepted prefixes from ``i``, longest
    first, and whether the parse was still going when the tokens ran out. A prefix never ends
    on a separator («статьи 19,» is «статьи 19»)."""
    action, goto = tables.action, tables.goto
    stack = [tables.start]
    maybe: list[tuple[int, tuple[int, ...]]] = []
    limit = min(len(tokens), i + MAX_CITATION_TOKENS)
    j = i
    while j < limit:
        typ = tokens[j].type
        if typ == OTHER:
            break
        while True:
            act = action[stack[-1]].get(typ)
            if act is None:
                break
            if act[0]:
                stack.append(act[1])
                break
            rule = act[1]
            if rule.size:
                del stack[-rule.size :]
            stack.append(goto[stack[-1]][rule.origin])
        if act is None:
            break
        j += 1
        if typ != "SEP" and "$END" in action[stack[-1]]:
            maybe.append((j, tuple(stack)))
    STATS.fed += j - i
    ran_out = j >= len(tokens) - 3 and j < i + MAX_CITATION_TOKENS
    ends: list[int] = []
    for end, snapshot in reversed(maybe):
        if _accepts_end(tables, snapshot):
            ends.append(end)
            if len(ends) >= want:
                break
    return ends, ran_out


class Token(str):
    """A token of a parse tree: its text, with its terminal ``type``, its offsets in the text
    and its normalised spelling (the shape of Lark's ``Token``, for what this module needs)."""

    __slots__ = ("type", "start_pos", "end_pos", "norm")
    type: str
    start_pos: int
    end_pos: int
    norm: str

    def __new__(cls, type_: str, value: str, start_pos: int, end_pos: int,
                norm: str) -> Token:
        token = super().__new__(cls, value)
        token.type, token.start_pos, token.end_pos, token.norm = type_, start_pos, end_pos, norm
        return token

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {str(self)!r})"


class Tree:
    """A node of a parse tree: the rule (or alias) it reduces and its children, trees and
    tokens (the shape of Lark's ``Tree``)."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list[Any]) -> None:
        self.data = data
        self.children = children

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Tree) and self.data == other.data
                and self.children == other.children)

    __hash__ = None  # type: ignore[assignment]  # mutable, like Lark's

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"

    def iter_subtrees_topdown(self) -> Iterator[Tree]:
        """This node and every node below it, depth first, in the order of the text."""
        stack: list[Any] = [self]
        while stack:
            node = stack.pop()
            if type(node) is Tree:
                yield node
                stack.extend(reversed(node.children))


def _tree(tokens: list[Tok], tables: _Tables) -> Tree:
    """Build the parse tree of a token run already known to be accepted."""
    action, goto, end = tables.action, tables.goto, tables.end
    stack = [tables.start]
    values: list[Any] = []

    def reduce(rule: _Rule) -> None:
        size = rule.size
        children = values[-size:] if size else []
        if size:
            del stack[-size:]
            del values[-size:]
        flat: list[Any] = []
        for child in children:
            if type(child) is Tree and child.data[0] == "_":
                flat.extend(child.children)
            else:
                flat.append(child)
        # Lark's helper rules for * and + (and rules named _x) are spliced into the parent
        values.append(Tree("_" if rule.name[0] == "_" else rule.name, flat))
        stack.append(goto[stack[-1]][rule.origin])

    for tok in tokens:
        leaf = Token(tok.type, tok.raw, tok.start, tok.end, tok.norm)
        while True:
            shift, arg = action[stack[-1]][tok.type]
            if shift:
                stack.append(arg)
                values.append(leaf)
                break
            reduce(arg)
    while stack[-1] != end:
        shift, arg = action[stack[-1]]["$END"]
        if shift:
            break
        reduce(arg)
    return values[-1]


# ---------------------------------------------------------------- transformer

_LEVEL_OF = {
    "ART": "article",
    "KK_ART": "article",
    "PART": "part",
    "KK_PART": "part",
    "ITEM": "item",
    "KK_ITEM": "item",
    "SUBITEM": "subitem",
    "KK_SUBITEM": "subitem",
    "PARA": "paragraph",
    "KK_PARA": "paragraph",
    "RULE": "rule",
}
_MONTH_NUM = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6, "шілде": 7,
    "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
}
def _worth_building(tokens: list[Tok], i: int, j: int) -> bool:
    """Cheap checks that spare building a tree for runs that can never be a citation."""
    if j - i == 1:  # a lone head: only «Конституция» or a strong abbreviation stand alone
        tok = tokens[i]
        if tok.type == "H_CONST":
            return tok.raw[:1].isupper()
        return tok.type == "ABBR" and tok.raw in ABBR_STRONG
    # «ч. 1 и 2» with no article and no instrument is never a citation
    return any(t.type in _ANCHORS for t in tokens[i:j])


#: token types one of which every citation contains
_ANCHORS = frozenset(
    {"ART", "KK_ART", "RULE", "H_CONST", "H_STRONG", "H_WEAK", "ABBR", "DET"}
)
_MONTH_STEMS = sorted(_MONTH_NUM, key=len, reverse=True)  # «маусым» before «ма» (май)
_STRONG_QUALIFIERS = {"q_org", "q_year", "q_date", "q_number", "q_title", "q_juris", "q_ref"}


def _flat_tokens(node: Any) -> list[Token]:
    if isinstance(node, Token):
        return [node]
    if isinstance(node, dict):
        return list(node.get("_tokens", []))
    out: list[Token] = []
    for child in getattr(node, "children", []):
        out.extend(_flat_tokens(child))
    return out


def _numbers_of(node: Tree) -> list[str]:
    """Expand a ``numbers`` subtree into the list of numbers it names."""
    out: list[str] = []
    for item in node.children:
        if not isinstance(item, Tree):
            continue
        nums = [_number_text(c) for c in item.children if isinstance(c, Tree)]
        if item.data == "range" and len(nums) == 2:
            out.extend(_expand_range(nums[0], nums[1]))
        else:
            out.extend(nums)
    return out


def _number_text(node: Tree) -> str:
    toks = [t for t in node.children if isinstance(t, Token)]
    head = toks[0]
    if head.type == "NUMBER":
        text = head.norm  # type: ignore[attr-defined]
        subs = "".join(f"({t.norm})" for t in toks[1:])  # type: ignore[attr-defined]
        return text + subs
    if head.type == "PSUB":
        return f"({head.norm})"  # type: ignore[attr-defined]
    return head.norm  # type: ignore[attr-defined]


_SUB_LEVELS = {
    "article": ("item", "subitem"),
    "part": ("item", "subitem"),
    "item": ("subitem",),
    "rule": ("item", "subitem"),
}


def _split_subs(kind: str, value: str) -> dict[str, str]:
    """«14(3)(d)» at article level → article 14, item 3, subitem d."""
    if "(" not in value:
        return {kind: value}
    base, _, rest = value.partition("(")
    subs = [p.rstrip(")") for p in ("(" + rest).split("(") if p]
    out = {kind: base} if base else {}
    for level, sub in zip(_SUB_LEVELS.get(kind, ()), subs, strict=False):
        out[level] = sub
    if not base and kind not in out:
        out[kind] = subs[0]
    return out


def _expand_range(a: str, b: str) -> list[str]:
    if a.isdigit() and b.isdigit():
        lo, hi = int(a), int(b)
        if lo < hi and hi - lo <= 200:
            return [str(k) for k in range(lo, hi + 1)]
    if len(a) == 1 and len(b) == 1 and a.isalpha() and b.isalpha() and a < b:
        return [chr(c) for c in range(ord(a), ord(b) + 1)]
    return [a, b]


def _parse_date(text: str) -> dt.date | None:
    m = re.match(r"(\d{1,2})\.(\d{1,2})\.(\d{4})$", text)
    kk = re.match(r"(\d{4})\s+\S+\s+(\d{1,2})\s+(\S+)", text)  # «2024 жылғы 19 маусымдағы»
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif kk:
        word = norm_word(kk[3])
        month = next((_MONTH_NUM[k] for k in _MONTH_STEMS if word.startswith(k)), 0)
        day, year = int(kk[2]), int(kk[1])
    else:
        m = re.match(r"(\d{1,2})\s+(\S+)\s+(\d{4})", text)
        if not m:
            return None
        word = norm_word(m[2])
        month = next((_MONTH_NUM[k] for k in _MONTH_STEMS if word.startswith(k)), 0)
        day, year = int(m[1]), int(m[3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _instrument_info(children: list[Any]) -> dict[str, Any]:
    """An ``instrument`` node's children → a dict of the RawCitation fields it gives (spans
    filled in by :func:`_build`)."""
    info: dict[str, Any] = {"_tokens": _flat_tokens(Tree("x", children)), "quals": set()}
    for child in children:
        if isinstance(child, Token):
            if child.type == "DET":
                info["det"] = True
            elif child.type == "THE":
                info["the"] = True
            continue
        if child.data == "pre":
            toks = _flat_tokens(child)
            if toks[0].type == "KKDATE":
                date = _parse_date(str(toks[0]))
                if date:
                    info["date"] = date
                    info.setdefault("year", date.year)
            if toks[0].type == "NUMSIGN":
                info["number"] = toks[-1].norm  # type: ignore[attr-defined]
            for t in toks:
                info.setdefault("pre", []).append(t)
                if t.type == "KKNAME" and str(t)[:1] in _OPEN_QUOTES:
                    info["title"] = t.norm  # type: ignore[attr-defined]
                if t.type == "JURIS":
                    info["juris"] = t.norm  # type: ignore[attr-defined]
                if t.type in ("YEARNUM", "YEAR"):
                    info["year"] = int(t.norm[:4])  # type: ignore[attr-defined]
        elif child.data == "head":
            info["head"] = child.children[0]
        else:
            info["quals"].add(child.data)
            toks = _flat_tokens(child)
            if child.data == "q_year":
                info["year"] = int(toks[0].norm[:4])  # type: ignore[attr-defined]
            elif child.data == "q_date":
                date = _parse_date(str(toks[-1]))
                if date:
                    info["date"] = date
                    info.setdefault("year", date.year)
            elif child.data == "q_number":
                info["number"] = toks[-1].norm  # type: ignore[attr-defined]
            elif child.data == "q_title":
                info["title"] = toks[0].norm  # type: ignore[attr-defined]
            elif child.data == "q_juris":
                info["juris"] = toks[0].norm  # type: ignore[attr-defined]
            elif child.data == "q_ref":
                info["ref_specific"] = any(
                    t.type in _SPECIFIC_INNER or (t.type != "THE" and str(t)[:1].isupper())
                    for t in toks[1:]
                )
    if "juris" not in info:  # «Criminal Code of Kazakhstan», «Kazakhstan's Criminal Code»
        for t in info["_tokens"]:
            code = _LATIN_COUNTRIES.get(t.norm.split("'")[0].split("’")[0])  # type: ignore[attr-defined]
            if code:
                info["juris"] = code
                break
    return info


#: what makes an instrument named after «к» / «to» specific (besides a capital letter)
_SPECIFIC_INNER = frozenset({"ADJ", "ENADJ", "ORG", "YEAR", "YEARNUM", "DATE", "NUMBER", "JURIS",
                             "TITLE", "CAPLAT", "CAPWORD"})
_LATIN_COUNTRIES = {"kazakhstan": "kz", "russia": "ru", "kyrgyzstan": "kg", "uzbekistan": "uz"}


def _transformed(node: Tree) -> Any:
    """The tree with every ``instrument`` subtree, innermost first, turned into its dict,
    made in place (the tree is fresh from :func:`_tree` and used once); every other node stays
    as it is."""
    children = node.children
    for k, child in enumerate(children):
        if type(child) is Tree:
            children[k] = _transformed(child)
    if node.data == "instrument":
        return _instrument_info(children)
    return node


_OPEN_QUOTES = "«“„\"‘"


def _juris_code(value: str) -> str:
    return {"РК": "kz", "ҚР": "kz", "РФ": "ru", "КР": "kg", "РУз": "uz", "РБ": "by"}.get(
        value, value
    )


def _pinpoints(levels: list[Tree], lang: str) -> tuple[list[Pinpoint], bool, bool]:
    """Group levels into pinpoints; returns (pinpoints, has_det, has_article_or_rule)."""
    groups: list[list[tuple[str, list[str]]]] = [[]]
    has_det = False
    strong = False
    prev_sep = False
    for level in levels:
        toks = [c for c in level.children if isinstance(c, Token)]
        subs = [c for c in level.children if isinstance(c, Tree)]
        if level.data == "level_det":
            has_det = True
            word = subs[0].children[0]
            kind = _LEVEL_OF[word.type]
            nums: list[str] = []
            ends_sep = False
        elif level.data == "level_ord":
            kind = _LEVEL_OF[subs[0].children[0].type]
            nums = [toks[0].norm]  # type: ignore[attr-defined]
            ends_sep = False
        else:
            word_node = next(s for s in subs if s.data in ("levelword", "kk_levelword"))
            numbers = next(s for s in subs if s.data == "numbers")
            kind = _LEVEL_OF[word_node.children[0].type]
            nums = _numbers_of(numbers)
            ends_sep = bool(numbers.children) and isinstance(numbers.children[-1], Token)
        if kind in ("article", "rule"):
            strong = True
        current = groups[-1]
        kinds = {k for k, _ in current}
        if kind in kinds or (prev_sep and current and lang != "en"):
            groups.append([])
            current = groups[-1]
        current.append((kind, nums))
        prev_sep = ends_sep
    pins: list[Pinpoint] = []
    for group in groups:
        if not group:
            continue
        names = [k for k, _ in group]
        lists = [v if v else [None] for _, v in group]
        for combo in itertools.product(*lists):
            fields: dict[str, str] = {}
            for k, v in zip(names, combo, strict=True):
                if v is not None:
                    for key, value in _split_subs(k, v).items():
                        fields.setdefault(key, value)
            if fields:
                pins.append(Pinpoint(**fields))
    return pins, has_det, strong


def _lang_of(text: str, tokens: list[Token]) -> str:
    if KAZAKH_LETTERS.search(text) or any(t.type.startswith("KK_") for t in tokens):
        return "kk"
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    cyr = sum(1 for ch in text if "а" <= ch.lower() <= "я")
    return "en" if latin > cyr else "ru"


def _build(text: str, tree: Tree) -> RawCitation | None:
    """RawCitation from a parse tree, or None when the phrase is not really a citation."""
    cit = tree.children[0] if tree.data == "start" else tree
    transformed = _transformed(cit)
    inst: dict[str, Any] | None = None
    levels: list[Tree] = []
    for child in transformed.children:
        if isinstance(child, dict):
            inst = child
        elif isinstance(child, Tree) and child.data == "provisions":
            levels += [
                c
                for c in child.iter_subtrees_topdown()
                if c.data in ("level_ru", "level_kk", "level_ord")
            ]
        elif isinstance(child, Tree) and child.data == "level_det":
            levels.append(child)
    all_tokens = _flat_tokens(transformed)
    start = min(t.start_pos for t in all_tokens)
    end = max(t.end_pos for t in all_tokens)
    cited = text[start:end]
    lang = _lang_of(cited, all_tokens)
    pins, level_det, strong_level = _pinpoints(levels, lang) if levels else ([], False, False)

    short_form: str | None = None
    fields: dict[str, Any] = {}
    if inst is not None:
        head: Token = inst["head"]
        quals: set[str] = inst["quals"]
        pre = inst.get("pre", [])
        itoks = inst["_tokens"]
        istart = min(t.start_pos for t in itoks)
        iend = max(t.end_pos for t in itoks)
        # a leading «the» is not part of the instrument's name
        if itoks[0].type == "THE" and len(itoks) > 1:
            istart = itoks[1].start_pos
        fields["instrument_text"] = text[istart:iend]
        fields["instrument_span"] = Span(istart, iend)
        for key in ("title", "year", "date", "number"):
            if key in inst:
                fields[key] = inst[key]
        if "juris" in inst:
            fields["jurisdiction_hint"] = _juris_code(inst["juris"])
        bare = not quals and not pre
        if bare and inst.get("the") and str(head)[:1].isupper() and head.type != "ABBR":
            inst["det"] = True  # «the Convention»: a reference back to a named instrument
        if inst.get("det") and not quals & _STRONG_QUALIFIERS:
            if head.type == "H_WEAK" and not str(head)[:1].isupper():
                return None  # «данных международных договоров» is generic, not a reference
            short_form = "instrument"
        elif not _instrument_ok(head, quals, pre, bool(levels), inst):
            return None
    if levels:
        if not pins and not level_det:
            return None
        if inst is None:
            if level_det:
                short_form = "provision"
                if not _det_level_ok(levels):
                    return None
            elif strong_level:
                short_form = "bare"
            else:
                return None  # «п. 5» alone is too weak to call a citation
    return RawCitation(
        span=Span(start, end),
        text=cited,
        pinpoints=tuple(pins),
        short_form=short_form,
        lang=lang,
        **fields,
    )


def _script(word: str) -> str:
    return "latin" if word[:1].isascii() else "cyrillic"


def _det_level_ok(levels: list[Tree]) -> bool:
    """«этой статьи» counts; «в этой статье» (a newspaper article) does not."""
    for level in levels:
        if level.data != "level_det":
            return True  # «части 2 той же статьи»
    det, word_node = levels[0].children[0], levels[0].children[-1]
    word = word_node.children[0]
    if _script(str(det)) != _script(str(word)):
        return False  # «this статьи»: words of two languages do not make a reference
    return word.norm not in ("статье", "статья", "статью", "статьей", "article")  # type: ignore[attr-defined]


def _instrument_ok(
    head: Token, quals: set[str], pre: list[Token], has_levels: bool, inst: dict[str, Any]
) -> bool:
    """Whether an instrument phrase is specific enough to be a citation."""
    if has_levels or inst.get("det"):
        return True
    if "q_ref" in quals and not inst.get("ref_specific", True):
        quals = quals - {"q_ref"}  # «замечания к протоколу» (minutes), not a treaty's protocol
    if head.type == "H_CONST":
        return str(head)[:1].isupper() or bool(quals) or bool(pre)
    if head.type == "ABBR":
        return str(head) in ABBR_STRONG or "q_juris" in quals or "q_org" in quals
    capital = str(head)[:1].isupper()
    strong_q = bool(quals & _STRONG_QUALIFIERS)
    has_adj = any(t.type in ("ADJ", "ENADJ", "CAPLAT", "ORG", "JURIS", "PROEKT") for t in pre)
    has_kk_name = any(t.type == "KKNAME" for t in pre)
    has_year_pre = any(t.type == "YEARNUM" for t in pre)
    if quals <= {"q_juris"} and norm_word(str(head)) in _GENERIC_PLURALS and not pre:
        return False  # «законами Республики Казахстан»: the laws in general, not one law
    if strong_q or has_kk_name:
        return True
    if head.type == "H_STRONG":
        if "q_name" in quals:
            return capital or _name_is_o_phrase(inst)
        return has_adj or has_year_pre
    # weak heads: протокол, правила, постановление ...
    if has_adj and (capital or any(t.type in ("ADJ", "ENADJ") for t in pre)):
        return capital or any(str(t)[:1].isupper() for t in pre)
    if has_year_pre and capital:
        return True
    if "q_ref" in quals:
        return True
    if "q_name" in quals and capital:
        # «Протокол об административном правонарушении», «Постановление о возбуждении ...» are
        # procedural papers, not instruments, unless something more specific follows
        return not (_name_is_o_phrase(inst) and norm_word(str(head)).startswith(_PAPERS))
    return False


_GENERIC_PLURALS = frozenset(
    "законы законов законам законами законах кодексы кодексов кодексам кодексами кодексах"
    " конвенций конвенциям конвенциями конвенциях laws codes conventions".split()
)
_PAPERS = ("протокол", "постановлен", "договор", "соглашен")


def _name_is_o_phrase(inst: dict[str, Any]) -> bool:
    return any(t.type == "O" for t in inst["_tokens"])


# ---------------------------------------------------------------- driver


def _trigger_hits(lower: str) -> list[tuple[int, int]]:
    hits = []
    for m in _TRIGGER.finditer(lower):
        s = m.start()
        if s and lower[s - 1].isalpha() and m.group().startswith(_WORD_START_STEMS):
            continue
        if m.group() in ("туралы", "қарсы") and lower[m.end() : m.end() + 1] in _CLOSE_QUOTES:
            # «Бұқаралық ақпарат құралдары туралы» Заңы: the window must reach the opening quote
            opening = max(lower.rfind(q, max(0, s - 300), s) for q in _OPEN_QUOTE_CHARS)
            if opening >= 0:  # (Kazakh puts date, number and jurisdiction before the title)
                hits.append((max(0, opening - _BACK), opening + 1))
        hits.append((s, m.end()))
    return hits


def _triggers(text: str) -> list[tuple[int, int]]:
    """Spans of trigger words, in order."""
    lower = text.lower()
    if len(lower) != len(text):  # a rare character whose lower case is longer: stay exact
        lower = "".join(ch.lower()[:1] for ch in text)
    hits = _trigger_hits(lower)
    # a Latin look-alike inside a Cyrillic word («Koнвенция») hides the stem from the regex:
    # such words are rare, so each one simply opens a window
    hits += [(m.start(), m.end()) for m in _MIXED.finditer(lower)]
    for m in _ABBR_SCAN.finditer(text):
        s, e = m.start(), m.end()
        if m.group() in _ABBREVIATIONS and not (s and _WORDCHAR.match(text, s - 1)):
            hits.append((s, e))
    if any(ch in text for ch in _INVISIBLES) and _INVISIBLE_IN_WORD.search(text):
        # «Конвен\u00adции»: a soft hyphen or a zero-width space hides the stem
        hits += [(m.start(), m.end()) for m in _INVISIBLE_IN_WORD.finditer(text)]
    hits.sort()
    return hits


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` regions around trigger words."""
    regions: list[tuple[int, int]] = []
    n = len(text)
    for ts, te in _triggers(text):
        s = max(0, ts - _BACK)
        e = min(n, te + _AHEAD)
        if regions and s <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], e))
        else:
            regions.append((s, e))
    return regions


def _snap_start(text: str, s: int) -> int:
    """Move a window start forward to a word boundary (never into the middle of a word)."""
    if s == 0:
        return 0
    limit = min(len(text), s + 40)
    while s < limit and not text[s - 1].isspace():
        s += 1
    return s


def _snap_end(text: str, e: int) -> int:
    """Move a window end forward to the next space (bounded), never past the text."""
    e = min(e, len(text))
    limit = min(len(text), e + 40)
    while e < limit and not text[e].isspace():
        e += 1
    return e


_BUILT: dict[str, RawCitation | None] = {}


def _build_cached(
    text: str, tokens: list[Tok], i: int, j: int, tables: _Tables
) -> RawCitation | None:
    """:func:`_build` of ``tokens[i:j]``, remembered by the exact text of the run (digests cite
    the same norms again and again); cached citations are stored at offset 0 and shifted."""
    start = tokens[i].start
    key = text[start : tokens[j - 1].end]
    if key in _BUILT:
        cached = _BUILT[key]
        return None if cached is None else _shift(cached, start)
    try:
        cit = _build(text, _tree(tokens[i:j], tables))
    except Exception:  # a grammar/transformer mismatch must never break a caller
        STATS.errors += 1
        cit = None
    if len(_BUILT) > 50_000:
        _BUILT.clear()
    _BUILT[key] = None if cit is None else _shift(cit, -start)
    return cit


def _shift(cit: RawCitation, offset: int) -> RawCitation:
    inner = cit.instrument_span
    # every field, in order (attrs.evolve would find them anew for every call; a test checks
    # that no field is left behind)
    return RawCitation(
        cit.span.shift(offset), cit.text, cit.pinpoints, cit.instrument_text,
        inner.shift(offset) if inner is not None else None, cit.title, cit.year, cit.date,
        cit.number, cit.jurisdiction_hint, cit.short_form, cit.lang,
    )


def extract(text: str) -> list[RawCitation]:
    """All citations in ``text``, sorted by start, non-overlapping, with exact spans."""
    if not isinstance(text, str):
        raise TypeError("extract() takes a str")
    tables = parser_tables()
    first = tables.first
    out: list[RawCitation] = []
    STATS.chars += len(text)
    last_end = 0
    size = len(text)
    for ws, we in _windows(text):
        ws = max(_snap_start(text, ws), last_end)
        we = _snap_end(text, we)
        if ws >= we:
            continue
        STATS.windows += 1
        tokens = tokenize(text, ws, we)
        STATS.tokens += len(tokens)
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type not in first or tok.start < last_end:
                i += 1
                continue
            STATS.attempts += 1
            ends, ran_out = _longest(tokens, i, tables)
            if ran_out and we < size:
                # the parse was still going at the window's edge: widen the window, parse again
                # (the tokens from the start of this parse are made again: a date or a year may
                # straddle the edge, and a quote is a title only in its context)
                keep = i
                redo_from = tokens[i].start
                we = _snap_end(text, we + 2 * _AHEAD)
                more = tokenize(text, redo_from, we)
                STATS.tokens += len(more)
                tokens = tokens[:keep] + more
                continue
            found = None
            for j in ends:
                if not _worth_building(tokens, i, j):
                    continue
                cit = _build_cached(text, tokens, i, j, tables)
                if cit is not None:
                    found = (j, cit)
                    break
            if found is None:
                i += 1
                continue
            j, cit = found
            out.append(cit)
            last_end = cit.span.end
            i = j
    return out
