"""Turn a window of text into the word-class tokens that grammars/citation.lark is written over.

The tokenizer knows words (which inflected forms are a provision word, an instrument head, a
determiner ...); the grammar knows structure. Every token keeps ``start``/``end`` offsets into
the original text, so spans survive non-breaking and zero-width spaces and Latin look-alike
letters inside Cyrillic words (they are only repaired in the token's normalised ``norm``).
Everything here is a single left-to-right pass with bounded look-ahead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .cache import DiskMemo

# ---------------------------------------------------------------- normalisation

_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_LATIN_TO_CYR = str.maketrans(
    "aceopxykmthbiACEOPXYKMTHBI", "асеорхукмтнвіАСЕОРХУКМТНВІ"
)
_CYR = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]")
_LAT = re.compile(r"[a-zA-Z]")
_NEEDS_CLEAN = re.compile(f"[{_INVISIBLE}a-zA-Z]")
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


def clean_word(raw: str) -> str:
    """Drop invisible characters; repair Latin look-alikes inside a Cyrillic word."""
    word = _INVISIBLE_RE.sub("", raw)
    if _CYR.search(word) and _LAT.search(word):
        word = word.translate(_LATIN_TO_CYR)
    return word


def norm_word(raw: str) -> str:
    """Lower-case, ё→е, invisible characters removed, look-alikes repaired."""
    return clean_word(raw).lower().replace("ё", "е")


# ---------------------------------------------------------------- token


@dataclass(slots=True)
class Tok:
    """A classified token: ``type`` is a terminal of citation.lark (or OTHER)."""

    type: str
    start: int
    end: int
    norm: str  # normalised value (number digits, lower-cased word, title without quotes)
    raw: str  # the cleaned original spelling (case kept)


OTHER = "OTHER"

# ---------------------------------------------------------------- vocabulary

_WORD_TYPES: list[tuple[str, re.Pattern[str]]] = [
    # provision words (ru, en)
    ("ART", re.compile(r"стат(ья|ьи|ье|ью|ьей|ьею|ей|ьям|ьями|ьях)|ст|стст|art|arts|articles?")),
    ("PART", re.compile(r"част(ь|и|ью|ей|ям|ями|ях)|ч")),
    ("SUBITEM", re.compile(r"подпункт(а|у|ом|е|ы|ов|ам|ами|ах)?|пп|подп|sub-?paragraphs?")),
    ("ITEM", re.compile(r"пункт(а|у|ом|е|ы|ов|ам|ами|ах)?|п|paragraphs?|paras?|para")),
    ("PARA", re.compile(r"абзац(а|у|ем|е|ы|ев|ам|ами|ах)?|абз")),
    ("RULE", re.compile(r"правил(о|у|ом|е)|rules?")),
    # Kazakh provision words (after a number, usually hyphenated)
    ("KK_ART", re.compile(r"-?(бап|баб|бапт)[а-яәғқңөұүһі]*")),
    ("KK_PART", re.compile(r"-?бөлі[а-яәғқңөұүһі]*")),
    ("KK_SUBITEM", re.compile(r"-?тармақша[а-яәғқңөұүһі]*")),
    ("KK_ITEM", re.compile(r"-?(тармақ|тармағ)[а-яәғқңөұүһі]*")),
    ("KK_PARA", re.compile(r"-абзац[а-яәғқңөұүһі]*")),
    # heads
    (
        "H_CONST",
        re.compile(r"конституц(ия|ии|ию|ией|иею|ияның|иясының|иясы|ияға|иясына|ияда|иясында|ияны|иясын)|constitution"),
    ),
    (
        "H_STRONG",
        re.compile(
            r"конвенц[а-яәғқңөұүһі]*|пакт(а|у|ом|е|ы|ов|і[әғқңөұүһіа-я]*)?"
            r"|закон(а|у|ом|е|ы|ов|ам|ами|ах)?|заң[а-яәғқңөұүһі]*"
            r"|кодекс(а|у|ом|е|ы|ов|ам|ами|ах|і|ін|ің|іне|інде|інің|ке|те|тің|тен)?"
            r"|хартия|хартии|хартию|хартией|статут(а|у|ом|е)?"
            r"|conventions?|covenants?|codes?|laws?|charter"
        ),
    ),
    (
        "H_WEAK",
        re.compile(
            r"протокол(а|у|ом|е|ы|ов|ам|ами|ах)?|хаттама[а-яәғқңөұүһі]*"
            r"|правил(а|ам|ами|ах)?|принцип(ы|ов|ам|ами|ах)"
            r"|рекомендац(ия|ии|ию|ией|ий|иям|иями|иях)|комментари(й|я|ю|ем|и|ев)"
            r"|замечани(е|я|ю|ем|и|й|ям|ями|ях)"
            r"|резолюц(ия|ии|ию|ией|ий)"
            r"|постановлени(е|я|ю|ем|и|й)"
            r"|договор(а|у|ом|е|ы|ов)?|соглашени(е|я|ю|ем|и|й)"
            r"|декларац(ия|ии|ию|ией|ий)|устав(а|у|ом|е)?|руководств(о|а|у|ом|е)"
            r"|законопроект(а|у|ом|е|ы|ов)?|указ(а|у|ом|е)?"
            r"|protocols?|rules|principles|recommendations?|comments?|resolutions?"
            r"|declarations?|guidelines|treaty|treaties|standards"
        ),
    ),
]
_EXACT: dict[str, str] = {
    # determiners of short forms
    **dict.fromkeys(
        "данный данного данному данным данном данная данной данную данное данные данных"
        " указанный указанного указанному указанным указанном указанная указанной указанную"
        " указанное указанные указанных настоящий настоящего настоящему настоящим настоящем"
        " настоящая настоящей настоящую настоящее настоящих этот этого этому этим этом эта"
        " этой эту это вышеуказанный вышеуказанного вышеуказанной вышеуказанному вышеуказанным"
        " вышеуказанном вышеуказанную названного названной названному упомянутого"
        " упомянутой упомянутому упомянутом this аталған осы".split(),
        "DET",
    ),
    "the": "THE",
    "проект": "PROEKT",
    "проекта": "PROEKT",
    "проекту": "PROEKT",
    "проектом": "PROEKT",
    "проекте": "PROEKT",
    "draft": "PROEKT",
    **dict.fromkeys("и and және мен бен пен".split(), "SEP"),
    **dict.fromkeys("to по through".split(), "RANGE"),
    **dict.fromkeys("с from".split(), "FROM"),
    "от": "OT",
    "к": "KPREP",
    "ко": "KPREP",
    "of": "OF",
    **dict.fromkeys("о об обо против относительно".split(), "O"),
    **dict.fromkeys(
        "on relating concerning against for regarding in between".split(), "ENCONN"
    ),
    "или": "NAMEJ",
    "or": "ENCONN",
    "туралы": "TURALY",
    **dict.fromkeys("no no. nr №".split(), "NUMSIGN"),
}
_ORG = {"ООН", "UN", "УВКБ", "UNHCR", "МОТ", "ILO", "ОБСЕ", "OSCE", "ЕС", "EU", "СНГ", "ЕАЭС",
        "ЮНЕСКО", "UNESCO", "ВОЗ", "WHO", "БҰҰ", "ШОС"}
_JURIS = {"РК": "kz", "ҚР": "kz", "РФ": "ru", "КР": "kg", "РУз": "uz", "РБ": "by"}
# abbreviations of instruments; the strong ones are a citation on their own
ABBR_STRONG = {"КоАП", "УПК", "ГПК", "АППК", "УИК", "МПГПП", "МПЭСКП", "ВДПЧ", "ЕКПЧ", "ICCPR",
               "ICESCR", "CEDAW", "OPCAT", "UDHR", "ECHR", "CERD", "CRPD", "ӘҚБтК", "ҚПК",
               "КЛДЖ", "КЛРД"}
ABBR_WEAK = {"УК", "ГК", "ТК", "НК", "ЗК", "ЭК", "ЖК", "CAT", "CRC", "ҚК", "АК", "ЕК", "КоБ", "КПП"}
_ABBR = ABBR_STRONG | ABBR_WEAK
_ADJ = re.compile(
    r"(международн|уголовн|уголовно-процессуальн|уголовно-исполнительн|гражданск"
    r"|гражданско-процессуальн|трудов|административн|административно-процессуальн|налогов"
    r"|бюджетн|земельн|водн|лесн|экологическ|предпринимательск|семейн|таможенн|жилищн"
    r"|факультативн|всеобщ|европейск|бангкокск|минимальн|стандартн|типов|рамочн|дополнительн"
    r"|конституционн|нормативн|руководящ|основн|американск|африканск|социальн|пекинск"
    r"|стамбульск|токийск|парижск|венск|женевск|гаагск|процессуальн|исполнительн"
    r"|втор|перв|трет|общ)"
    r"[а-я]*"
    r"|general|optional|international|universal|criminal|civil|penal|labou?r|administrative"
    r"|refugee|european|american|african|standard|minimum|basic|guiding|model"
    r"|қылмыстық(-процестік|-атқару)?|әкімшілік|азаматтық(-процестік)?|еңбек|салық"
    r"|халықаралық|жалпыға|экологиялық|кәсіпкерлік|факультативтік|бюджет|жер"
)
_GENERAL_PAIRS = {
    ("общего", "порядка"),
    ("прав", "человека"),
    ("прав", "ребенка"),
    ("прав", "инвалидов"),
    ("основных", "свобод"),
    ("общего", "характера"),
}
_VERBISH = re.compile(
    r".*(ть|ться|тся|ет|ют|ят|ит|ут|ат|ал|ала|али|ало|ил|ила|или|ило|ел|ела|ели|ло|ла|ли|ся|сь"
    r"|ен|ена|ено|ены|ан|ана|ано|аны)$"
)
_STOP = set(
    "не ни что как был была были было быть это его ее её их который которая которое которые"
    " которого которой которых также а но же ли бы уже еще ещё только в во на со к ко у из до"
    " за для при без через над под после перед между он она они мы вы я ты оно всё весь"
    " так там тут где когда если чтобы согласно соответствии том том числе"
    " году года год дата г числе том ним ней нему него сам сама само сами свой своей своего"
    " свою свои своих очень более менее может могут должны должен"
    " лишь даже либо затем кроме через после около вместе".split()
)
_MONTHS = re.compile(
    r"январ[ья]|феврал[ья]|март[а]?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|август[а]?|сентябр[ья]"
    r"|октябр[ья]|ноябр[ья]|декабр[ья]|january|february|march|april|may|june|july|august"
    r"|september|october|november|december|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*"
    r"|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*"
)
_YEAR_WORD = re.compile(r"года|год|году|годом|г|г\.|жылғы|жылы|ж|ж\.|year")
_ABBREV_DOT = {"ст", "ч", "п", "пп", "подп", "абз", "art", "arts", "para", "paras", "no", "г",
               "ж", "n", "nr", "стст", "чч"}
_ROMAN = re.compile(r"[IVXLCМ]+|[IVXLC]+")
_QUOTE_PAIRS = {"«": "»", "“": "”", "„": "“", '"': '"', "‘": "’"}

# ---------------------------------------------------------------- scanner

_W = r"[^\W\d_]"
_INV = f"[{_INVISIBLE}]"
#: One token, after the plain spaces before it (most gaps are one space: skipping it with the
#: token saves a round of the scanning loop; other white space is a ``space`` token of its own).
_SCAN = re.compile(
    rf" *(?:(?P<num>\d+(?:[.]\d+)*(?:/\d+)?(?P<ord>-(?:й|ой|ий|ей|я|ая|ую|го|ого|му|ому|м|ом)\b)?)"
    rf"|(?P<kk>-(?:бап|баб|бөлі|тармақ|тармағ|абзац){_W}*)"
    rf"|(?P<word>{_W}(?:{_W}|{_INV}(?={_W})|-(?={_W})|['’](?={_W}))*)"
    rf"|(?P<quote>[«“„\"‘])"
    rf"|(?P<psub>\((?:\d{{1,3}}|[a-zа-я]{{1,2}}|[ivx]{{1,4}})\))"
    rf"|(?P<dash>[-–—−])"
    rf"|(?P<sign>[№§])"
    rf"|(?P<sep>[,;])"
    rf"|(?P<space>[\s{_INVISIBLE}\x00-\x08\x0e-\x1b\x7f]+)"  # control chars: as spaces
    rf"|(?P<other>.))",
    re.S,
)
_TITLE_MAX = 400
_LAW_TITLE = re.compile(r"(?i)(о|об|обо|on)\s")
_TITLED_HEADS = ("закон", "законопроект", "проект", "law", "draft", "bill", "кодекс", "code")
_BEFORE_TITLE = {"H_CONST", "H_STRONG", "H_WEAK", "ABBR", "JURIS", "NUMBER", "DATE", "YEAR",
                 "YEARNUM", "PROEKT", "ORG", "CAPWORD", "NAMEW", "CAPLAT"}
_ROMAN_ARTICLE = re.compile(r"[IVXL]{1,6}")
_POINT_LEVELS = {"ITEM", "SUBITEM", "KK_ITEM", "KK_SUBITEM", "SEP"}
_LEVEL_WORDS = {"ART", "PART", "ITEM", "SUBITEM", "PARA", "RULE"}
_ORDINALS = {
    **{w: str(k) for k, words in enumerate(
        [
            (),
            ("первая", "первой", "первую", "первый", "первого", "первому", "первом"),
            ("вторая", "второй", "вторую", "второго", "второму", "втором"),
            ("третья", "третьей", "третью", "третий", "третьего", "третьему", "третьем"),
            ("четвертая", "четвертой", "четвертую", "четвертый", "четвертого", "четвертом"),
            ("пятая", "пятой", "пятую", "пятый", "пятого", "пятом"),
            ("шестая", "шестой", "шестую", "шестого", "шестом"),
            ("седьмая", "седьмой", "седьмую", "седьмого", "седьмом"),
            ("восьмая", "восьмой", "восьмую", "восьмого", "восьмом"),
            ("девятая", "девятой", "девятую", "девятого", "девятом"),
            ("десятая", "десятой", "десятую", "десятого", "десятом"),
        ]
    ) for w in words},
}
_PLACE_ADJ = re.compile(r"ск(ие|их|ими|ий|ого|ая|ой|ую|ом|ое|им)$")
#: what ends a line: LF, CR (old Mac files), and the other breaks of str.splitlines()
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_GOES_ON = {"ART", "PART", "ITEM", "SUBITEM", "PARA", "RULE", "NUMSIGN", "OT", "O", "SEP", "DET",
            "ADJ", "ENADJ", "PROEKT", "KPREP", "OF", "THE", "ENCONN", "RANGE", "FROM", "NAMEJ",
            "KKNAME"}
_BEFORE_LETTER = {"ITEM", "SUBITEM", "PART", "SEP", "RANGE", "ART"}


def _find_title_end(text: str, start: int, limit: int) -> int:
    """Index just after the quote closing the one at ``start`` (nested «» allowed), or -1."""
    open_q = text[start]
    close_q = _QUOTE_PAIRS.get(open_q, open_q)
    depth = 0
    end = min(len(text), start + _TITLE_MAX, limit)
    i = start
    while i < end:
        ch = text[i]
        if ch == "\n" and i > start and text[i - 1] == "\n":
            return -1
        if open_q != close_q and ch == open_q:
            depth += 1
        elif ch == close_q and i > start:
            depth -= 1
            if depth <= 0 or open_q == close_q:
                return i + 1
        elif open_q == close_q and ch == open_q and i == start:
            depth = 1
        i += 1
    return -1


_CACHE: dict[str, tuple[str, str, str]] = {}
_OBLIQUE = {"gent", "loct", "datv", "ablt", "gen2", "loc2"}
_NOT_NAME_POS = {"VERB", "INFN", "PRTS", "ADVB", "CONJ", "PRCL", "PRED", "NPRO", "INTJ", "GRND"}
_NAME_EXCEPTIONS = {"достоинство", "масс-медиа"}


@cache
def _morph() -> Any:
    try:  # the analyzer normref.morph loads: one dictionary in memory, loaded once
        from .morph import _analyzer

        return _analyzer()
    except ImportError:  # pragma: no cover - pymorphy3 is a dependency; stay usable without it
        return None


def _morph_version() -> str:
    """What the answers of :data:`_MORPH_MEMO` depend on: this module's code and the
    morphology (pymorphy3, its dictionary)."""
    from .morph import morph_versions

    return "\n".join([_OWN_SOURCE, morph_versions()])


_OWN_SOURCE = Path(__file__).read_text(encoding="utf-8")
#: What pymorphy3 said of words, kept between runs: a text whose words were all seen before
#: is tokenised without loading the dictionary.
_MORPH_MEMO = DiskMemo("grammar-morph", _morph_version)


def _may_be_genitive(word: str) -> bool:
    """Whether a capitalised Russian word can be a genitive (indeclinable names do not count)."""
    if not _CYR.match(word):
        return True
    return _MORPH_MEMO.get(("genitive", word), lambda: _parse_may_be_genitive(word))


def _parse_may_be_genitive(word: str) -> bool:
    morph = _morph()
    if morph is None:
        return True
    tag = morph.parse(word)[0].tag  # the likeliest reading: «Астана» is a nominative city
    return tag.case in ("gent", "gen2") and "Fixd" not in tag


def _may_be_oblique(word: str) -> bool:
    """Whether a Russian word can sit inside an instrument's name after «о»/«об»: a noun or
    adjective that can be in an oblique case («статусе беженцев», «политических партиях»), not
    a verb, adverb or a noun that can only be nominative («суд», «журналист»)."""
    if word in _NAME_EXCEPTIONS or not _CYR.match(word):
        return True
    return _MORPH_MEMO.get(("oblique", word), lambda: _parse_may_be_oblique(word))


def _parse_may_be_oblique(word: str) -> bool:
    morph = _morph()
    if morph is None:
        return True
    if not morph.word_is_known(word):
        # «онлайн-платформах»: judge a hyphenated word by its last part; an unknown word
        # (a Kazakh verb, a typo, a transliteration) is not part of a Russian name
        return "-" in word and _may_be_oblique(word.rsplit("-", 1)[1])
    for parse in morph.parse(word):
        tag = parse.tag
        if tag.POS in _NOT_NAME_POS:
            continue
        if tag.case in _OBLIQUE or tag.POS is None and "Fixd" in tag:
            return True
    return False


def _classify_word(raw: str) -> tuple[str, str, str]:
    """(terminal type, normalised word, cleaned spelling) of a word; cached."""
    hit = _CACHE.get(raw)
    if hit is None:
        if len(_CACHE) > 200_000:
            _CACHE.clear()
        plain = raw.isalpha() and not _NEEDS_CLEAN.search(raw)
        hit = _CACHE[raw] = (*_classify_uncached(raw), raw if plain else clean_word(raw))
    return hit


def _classify_uncached(raw: str) -> tuple[str, str]:
    clean = clean_word(raw)
    word = clean.lower().replace("ё", "е")
    if clean in _ABBR:
        return "ABBR", clean
    if "-" in clean:  # «ҚК-нің», «УК-ның», «ҚР-ның»: an abbreviation with a Kazakh case ending
        stem = clean.split("-", 1)[0]
        if stem in _ABBR:
            return "ABBR", stem
        if stem in _JURIS:
            return "JURIS", stem
        if stem in _ORG:
            return "ORG", stem
    if clean in _ORG:
        return "ORG", clean
    if clean in _JURIS:
        return "JURIS", clean
    t = _EXACT.get(word)
    if t:
        return t, word
    for name, pat in _WORD_TYPES:
        if pat.fullmatch(word):
            return name, word
    if _ADJ.fullmatch(word):
        return ("ENADJ" if word[:1].isascii() else "ADJ"), word
    if _LAT.match(clean):
        if clean[0].isupper():
            return "CAPLAT", word
        return OTHER, word
    if len(clean) >= 2 and clean.isupper():
        return "NAMEW", word  # an acronym inside a name: «о СМИ», «ЛГБТ»
    if clean[0].isupper():
        # after a head, capitalised words name its author in the genitive («Нельсона Манделы»,
        # «Верховного Суда»); a nominative («Казахстан обязан») starts the next clause
        if KAZAKH_LETTERS.search(word) or _may_be_genitive(word):
            return "CAPWORD", word
        return OTHER, word
    if len(word) >= 2 and word not in _STOP:
        if KAZAKH_LETTERS.search(word):
            return OTHER, word  # Kazakh words only ever join a name before «туралы»
        if not _VERBISH.match(word) and _may_be_oblique(word):
            return "NAMEW", word
    return OTHER, word


_NUMBER_SIGNS = frozenset({"no", "n", "nr"})


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    """Classified tokens of ``text[start:end]`` (titles may run past ``end``, bounded)."""
    toks: list[Tok] = []
    pos = start
    limit = len(text)
    end = min(end, limit)
    parens = 0  # open round brackets seen in this window
    scan = _SCAN.match
    classified = _CACHE.get
    while pos < end:
        m = scan(text, pos)
        kind = m.lastgroup
        s, e = m.span(kind)
        if s >= end:  # only spaces were left before the end
            break
        pos = e
        if kind == "word":  # the most common kind first
            value = m.group(kind)
            typ, norm, clean = classified(value) or _classify_word(value)
            # a dot after an abbreviation belongs to it: «ст.», «п.», «No.», «г.»
            if pos < limit and text[pos] == "." and norm in _ABBREV_DOT:
                e = pos = pos + 1
                value = text[s:e]
                clean = clean_word(value)
                if norm == "no" or norm == "n":
                    typ = "NUMSIGN"
            elif norm in _NUMBER_SIGNS:
                typ = "NUMSIGN" if norm != "n" or clean_word(value) == "N" else OTHER
            toks.append(Tok(typ, s, e, norm, clean))
            continue
        if kind == "space":
            # a line break ends a citation unless the words before it cannot end one
            # («статьи⏎33» goes on; «беженцев⏎UNHCR …» is two things)
            if toks and toks[-1].type not in _GOES_ON and not _LINE_BREAKS.isdisjoint(m.group()):
                toks.append(Tok(OTHER, m.start(), m.start() + 1, "\n", "\n"))
            continue
        value = m.group(kind)
        if kind == "num":
            if m.group("ord"):  # «274-й статьи»: an ordinal written before the provision word
                toks.append(Tok("ORDNUM", s, e, value[: m.start("ord") - s], value))
                continue
            if "." in value:  # 19.06.2024 is a date; 14.1 a number
                parts = value.split(".")
                if len(parts) == 3 and len(parts[2]) == 4 and all(parts):
                    toks.append(Tok("DATE", s, e, value, value))
                    continue
            if len(value) == 4 and value[:2] in ("19", "20") and "." not in value:
                toks.append(Tok("YEARNUM", s, e, value, value))
                continue
            toks.append(Tok("NUMBER", s, e, value, value))
        elif kind == "kk":
            typ, norm, _ = _classify_word(value)
            toks.append(Tok(typ if typ.startswith("KK_") else OTHER, s, e, norm, value))
        elif kind == "quote":
            # a quotation is a title only right after what can carry one (Закон «…», № 93-VIII
            # «…», проект «…») and a point letter only after a provision word (пункт «а»);
            # any other quote is just punctuation and its content is read word by word
            prev = toks[-1].type if toks else OTHER
            if prev == OTHER and toks and toks[-1].raw[:1].isupper():
                prev = "CAPWORD"  # «Республики Казахстан «О …»» (merged into JURIS later)
            close = _find_title_end(text, s, limit)
            # a Kazakh title stands before its head: «Бұқаралық ақпарат құралдары туралы» Заңы
            inner = text[s + 1 : close - 1].rstrip() if close > 0 else ""
            if inner.lower().endswith(("туралы", "қарсы")):
                toks.append(Tok("KKNAME", s, close, inner, text[s:close]))
                pos = close
                continue
            if prev not in _BEFORE_TITLE and prev not in _BEFORE_LETTER:
                toks.append(Tok(OTHER, s, e, value, value))
                continue
            if close < 0:
                toks.append(Tok(OTHER, s, e, value, value))
                continue
            inner = text[s + 1 : close - 1].strip()
            # «а» / "b" as a point letter
            if len(inner) == 1 and inner.isalpha():
                toks.append(Tok("LETTER", s, close, inner.lower(), inner))
            elif prev not in _BEFORE_TITLE or not (
                _LAW_TITLE.match(inner) or toks[-1].norm.startswith(_TITLED_HEADS)
            ):
                # «УК РК «Возбуждение розни»» quotes an article's heading, «УК «Жилсервис»» a
                # company: only a law's title («О масс-медиа», «On Mass Media») or a quote right
                # after «закон» / «проект» names an instrument
                toks.append(Tok(OTHER, s, e, value, value))
                continue
            else:
                toks.append(Tok("TITLE", s, close, inner, text[s:close]))
            pos = close
        elif kind == "psub":
            toks.append(Tok("PSUB", s, e, value[1:-1].lower(), value))
        elif kind == "dash":
            toks.append(Tok("RANGE", s, e, "-", value))
        elif kind == "sign":
            toks.append(Tok("NUMSIGN" if value == "№" else "ITEM", s, e, value, value))
        elif kind == "sep":
            toks.append(Tok("SEP" if value == "," else OTHER, s, e, value, value))
        else:
            if value == "(":
                parens += 1
            elif value == ")":
                number = bool(toks) and toks[-1].end == s and toks[-1].type == "NUMBER"
                point = number and len(toks) > 1 and toks[-2].type in _POINT_LEVELS
                if point:
                    toks[-1].end = e  # «подпункт 3)», «подпункты 1) и 2)» — a numbered point
                    continue
                if parens:
                    parens -= 1  # «(art. 33)»: the bracket closes a parenthesis
            toks.append(Tok(OTHER, s, e, value, value))
    return _merge(toks, text)


_PAIR_JURIS = {
    ("республики", "казахстан"): "kz",
    ("республика", "казахстан"): "kz",
    ("республикой", "казахстан"): "kz",
    ("республике", "казахстан"): "kz",
    ("республику", "казахстан"): "kz",
    ("российской", "федерации"): "ru",
    ("российская", "федерация"): "ru",
    ("кыргызской", "республики"): "kg",
    ("республики", "беларусь"): "by",
    ("республики", "узбекистан"): "uz",
    ("қазақстан", "республикасы"): "kz",
    ("қазақстан", "республикасының"): "kz",
    ("republic", "kazakhstan"): "kz",
}


def _merge_first_words() -> frozenset[str]:
    pairs = set(_PAIR_JURIS) | set(_GENERAL_PAIRS)
    return frozenset({a for a, _ in pairs} | {"той", "того", "тому", "том", "the", "в",
                                              "организации", "united"})


_NUMBERS = frozenset({"NUMBER", "YEARNUM"})


def _merge(toks: list[Tok], text: str) -> list[Tok]:
    """Merge multi-word units: dates, years, jurisdictions, «той же», «в отношении», «ст.ст.»."""
    first_words = _MERGE_FIRST
    # where a unit may start (the common case, nothing, is copied in slices between them)
    starts = [k for k, t in enumerate(toks) if t.norm in first_words or t.type in _NUMBERS]
    out: list[Tok] = []
    i = 0
    n = len(toks)
    next_start = 0  # index into ``starts`` of the first start at or after ``i``
    while i < n:
        while next_start < len(starts) and starts[next_start] < i:
            next_start += 1
        if next_start == len(starts):
            out.extend(toks[i:])
            break
        if starts[next_start] > i:
            out.extend(toks[i:starts[next_start]])
            i = starts[next_start]
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < n else None
        nxt2 = toks[i + 2] if i + 2 < n else None
        # «456-2» (an inserted article) and «93-VIII» (a law number) are one number; an
        # increasing «19-22» stays a range
        if (
            t.type == "NUMBER"
            and nxt is not None
            and nxt2 is not None
            and nxt.raw == "-"
            and t.end == nxt.start
            and nxt.end == nxt2.start
        ):
            head = t.norm.split("-")[0]
            # only whole numbers compare: «0/456-2» or «14.1-2» are left as written
            if (nxt2.type == "NUMBER" and head.isdecimal() and nxt2.norm.isdecimal()
                    and int(nxt2.norm) <= int(head)):
                joined = text[t.start:nxt2.end]
                out.append(Tok("NUMBER", t.start, nxt2.end, joined, joined))
                i += 3
                continue
            if _ROMAN.fullmatch(nxt2.raw):
                joined = text[t.start:nxt2.end]
                out.append(Tok("NUMBER", t.start, nxt2.end, joined, joined))
                i += 3
                continue
        # «28 июля 1951 года», «19 June 2024»
        if (
            t.type == "NUMBER"
            and nxt is not None
            and nxt2 is not None
            and len(t.norm) <= 2
            and _MONTHS.fullmatch(nxt.norm)
            and nxt2.type == "YEARNUM"
        ):
            end = nxt2.end
            j = i + 3
            if j < n and _YEAR_WORD.fullmatch(toks[j].norm):
                end = toks[j].end
                j += 1
            out.append(Tok("DATE", t.start, end, text[t.start:end], text[t.start:end]))
            i = j
            continue
        # Kazakh order: «2024 жылғы 19 маусымдағы»
        if (
            t.type == "YEARNUM"
            and nxt is not None
            and nxt2 is not None
            and i + 3 < n
            and nxt.norm == "жылғы"
            and nxt2.type == "NUMBER"
            and len(nxt2.norm) <= 2
            and _MONTHS.fullmatch(toks[i + 3].norm)
        ):
            end = toks[i + 3].end
            out.append(Tok("KKDATE", t.start, end, text[t.start : end], text[t.start : end]))
            i += 4
            continue
        # «1951 года», «2016 г.», «2024 жылғы»
        if t.type == "YEARNUM" and nxt is not None and _YEAR_WORD.fullmatch(nxt.norm):
            out.append(Tok("YEAR", t.start, nxt.end, t.norm, text[t.start:nxt.end]))
            i += 2
            continue
        if nxt is not None:
            pair = (t.norm, nxt.norm)
            if pair in _PAIR_JURIS:
                out.append(Tok("JURIS", t.start, nxt.end, _PAIR_JURIS[pair], t.raw + " " + nxt.raw))
                i += 2
                continue
            if t.norm in ("той", "того", "тому", "том") and nxt.norm == "же":
                out.append(Tok("DET", t.start, nxt.end, "тот же", "тот же"))
                i += 2
                continue
            if t.norm == "the" and nxt.norm in ("same", "said", "present"):
                out.append(Tok("DET", t.start, nxt.end, nxt.norm, nxt.norm))
                i += 2
                continue
            if pair in _GENERAL_PAIRS:
                out.append(Tok("GENERAL", t.start, nxt.end, " ".join(pair), " ".join(pair)))
                i += 2
                continue
            if t.norm == "в" and nxt.norm == "отношении":
                out.append(Tok("NAMEJ", t.start, nxt.end, "в отношении", "в отношении"))
                i += 2
                continue
            if t.norm == "организации" and nxt.norm == "объединенных" and nxt2 is not None:
                out.append(Tok("ORG", t.start, nxt2.end, "ООН", "ООН"))
                i += 3
                continue
            if t.norm == "united" and nxt.norm == "nations":
                out.append(Tok("ORG", t.start, nxt.end, "UN", "UN"))
                i += 2
                continue
        out.append(t)
        i += 1
    # one pass of context rules over the merged tokens
    n = len(out)
    run = 0  # name words in a row
    skip = kazakh = False
    prev = None
    for k in range(n):
        t = out[k]
        typ = t.type
        if typ == OTHER and t.norm not in _CONTEXT_NORMS and (
                prev is None or prev.type not in _BEFORE_OTHER_MATTERS):
            run = 0  # the common case: no rule below applies to a plain word here
            prev = t
            continue
        if prev is not None:
            ptype = prev.type
            # «части второй статьи 274»: an ordinal word right after a provision word
            if ptype in _LEVEL_WORDS and t.norm in _ORDINALS:
                t.type = typ = "NUMBER"
                t.norm = _ORDINALS[t.norm]
            # «статья I Протокола», «Article II»: a Roman numeral after a provision word
            elif ptype in _LEVEL_WORDS and _ROMAN_ARTICLE.fullmatch(t.raw):
                t.type = typ = "NUMBER"
                t.norm = t.raw
            # «Сиракузских принципов», «Йогьякартские принципы»: an adjective of place
            elif (
                typ in ("H_WEAK", "H_STRONG", "RULE")
                and ptype in ("CAPWORD", OTHER)
                and prev.raw[:1].isupper()
                and _PLACE_ADJ.search(prev.norm)
            ):
                prev.type = "ADJ"
            # «19.06.2024 г.»
            elif typ == OTHER and ptype == "DATE" and _YEAR_WORD.fullmatch(t.norm):
                t.type = typ = "SKIP"
                prev.end = t.end
                skip = True
        # «по» / «to» are a range only after a number («с 19 по 22», «7 to 10»); otherwise «по»
        # opens a name («Комитета по правам человека») and «to» is part of a name after
        # «relating» or names an instrument inside another («Optional Protocol to the …»)
        norm = t.norm
        if norm == "по" or norm == "to":
            after_number = prev is not None and prev.type in ("NUMBER", "LETTER", "PSUB")
            if not after_number:
                if norm == "по":
                    t.type = typ = "O"
                else:
                    relating = prev is not None and prev.norm == "relating"
                    t.type = typ = "ENCONN" if relating else "KPREP"
        # «правила 24» is a rule, «Правила Нельсона Манделы» an instrument; «Rule 24» / «Rules»
        elif typ in ("RULE", "H_WEAK") and norm.startswith(("правил", "rule")):
            followed = k + 1 < n and out[k + 1].type in ("NUMBER", "LETTER")
            t.type = typ = "RULE" if followed else "H_WEAK"
        elif norm == "туралы" or norm == "қарсы":
            kazakh = True
        elif typ == "O" and norm != "против" and prev is not None and _ends_name(out, k):
            # «ст. 274 УК РК о распространении …»: an abbreviation (with its jurisdiction) is a
            # complete name; the «о …» phrase that follows is the sentence, not the name
            t.type = typ = OTHER
        elif (
            typ == "NAMEW"
            and prev is not None
            and prev.norm == ","
            and (k + 1 == n or out[k + 1].type not in _NAME_GOES_ON)
            and _is_adjective(t.raw)
        ):
            # «… № 12 о ходатайствах, связанных с …»: an adjective or participle after a comma
            # with no noun of the name after it opens a clause («жестоких, бесчеловечных или
            # унижающих достоинство видов обращения» goes on)
            t.type = typ = OTHER
        # a name is a handful of words, not the rest of the sentence
        if typ == "NAMEW":
            run += 1
            if run > 9:
                t.type = OTHER
        elif typ not in ("SEP", "NAMEJ"):
            run = 0
        if typ != "SKIP":
            prev = t
    if skip:
        out = [t for t in out if t.type != "SKIP"]
    # «…, the Optional Protocol»: a comma before «the» starts a new phrase in English
    for k in range(1, len(out)):
        if out[k].type == "THE" and out[k - 1].type == "SEP" and out[k - 1].norm == ",":
            out[k - 1].type = OTHER
    if kazakh:
        _kazakh_names(out, text)
    return out


#: What makes the context rules look twice at an OTHER token: these spellings of it, or one of
#: these types right before it (see the pass at the end of :func:`_merge`).
_CONTEXT_NORMS = frozenset({"по", "to", "туралы", "қарсы"})
_BEFORE_OTHER_MATTERS = frozenset(_LEVEL_WORDS | {"DATE"})


def _ends_name(toks: list[Tok], k: int) -> bool:
    """Whether the tokens before ``toks[k]`` (an «о»/«об») close an instrument's name: an
    abbreviation, alone or with its jurisdiction («УК РК», «КоАП», «ICCPR»)."""
    j = k - 1
    if toks[j].type == "JURIS" and j > 0:
        j -= 1
    return toks[j].type == "ABBR"


_NAME_GOES_ON = {"NAMEW", "ADJ", "GENERAL", "NAMEJ", "SEP"}


def _is_adjective(word: str) -> bool:
    """Whether the likeliest reading of a Russian word is an adjective or a participle."""
    if not _CYR.match(word):
        return False
    return _MORPH_MEMO.get(("adjective", word), lambda: _parse_is_adjective(word))


def _parse_is_adjective(word: str) -> bool:
    morph = _morph()
    if morph is None:
        return False
    return morph.parse(word)[0].tag.POS in ("ADJF", "PRTF")


_KK_NAME_PART = {"NAMEW", "ADJ", "CAPWORD", "SEP", "GENERAL"}


_MERGE_FIRST = _merge_first_words()


def _kazakh_names(toks: list[Tok], text: str) -> None:
    """Merge «Бұқаралық ақпарат құралдары туралы» into one KKNAME token (in place).

    The name runs back from «туралы» over at most six words to the nearest capitalised word
    («Белсенді Әкімшілік құқық бұзушылық туралы» names «Әкімшілік …»); with no capital in
    reach «туралы» is left alone.
    """
    k = 0
    while k < len(toks):
        if toks[k].norm in ("туралы", "қарсы"):
            first = None
            j = k - 1
            while j >= 0 and k - j <= 6 and (
                toks[j].type in _KK_NAME_PART or (toks[j].type == OTHER and toks[j].raw.isalpha())
            ):
                if toks[j].raw[:1].isupper():
                    first = j  # the capital nearest to «туралы» starts the name
                    break
                j -= 1
            if first is not None and toks[first].type != "SEP":
                s, e = toks[first].start, toks[k].end
                toks[first : k + 1] = [Tok("KKNAME", s, e, text[s:e], text[s:e])]
                k = first
        k += 1
