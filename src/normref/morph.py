"""Shared morphology: normalisation, lemmas and word tokens.

Russian words are reduced to their dictionary form with pymorphy3 (its
OpenCorpora dictionary), so that «Конвенцией», «Конвенции» and «Конвенцию» all
give ``конвенция``. Words the dictionary does not know (proper names such as
«Манделы») fall back to the Snowball Russian stemmer, which treats every case
of an unknown name alike. Kazakh and English words get a small suffix-stripping
stem (see docs/resolution.md). Every function here is pure and cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from attrs import frozen

from .cache import DiskMemo

__all__ = [
    "Token", "lemma", "normalize", "normalize_word", "stem_en", "stem_kk", "tokens", "unify"
]

# ---------------------------------------------------------------- normalisation

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_QUOTES = "«»“”„‟‹›‘’‚`'\"＂"
_DASHES = "‐‑‒–—―−﹣－"
_CHAR_MAP = str.maketrans(
    {
        **dict.fromkeys(map(ord, _QUOTES), '"'),
        **dict.fromkeys(map(ord, _DASHES), "-"),
        **_ZERO_WIDTH,
        ord("ё"): "е",
        ord("Ё"): "Е",
    }
)
#: Latin letters that look like Cyrillic ones.
_LOOKALIKES = str.maketrans(
    "ABCEHIKMOPTXYabcehikmoptxy", "АВСЕНІКМОРТХУавсенікмортху"
)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile(r"[a-zA-Z]")
_SPACES = re.compile(r"[\s\x00-\x08\x0e-\x1b\x7f]+")  # control characters count as spaces
_WORDLIKE = re.compile(r"[^\W_]+")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")


def _fix_lookalikes(match: re.Match[str]) -> str:
    word = match.group(0)
    if _CYRILLIC.search(word) and _LATIN.search(word):
        return word.translate(_LOOKALIKES)
    return word


def normalize(text: str) -> str:
    """Casefold and unify a text for matching (the length may change).

    ё becomes е; every kind of quote becomes ``"``; every dash becomes ``-``;
    runs of spaces (NBSP and other Unicode spaces included) become one space and
    zero-width characters vanish; Latin look-alike letters inside a Cyrillic word
    («Кoнвенция» with a Latin o) become Cyrillic.

    >>> normalize("  «Закон»\\u00a0о  бежЕнцах — Кoнвенция ")
    '"закон" о беженцах - конвенция'
    """
    return unify(text).casefold()


def unify(text: str) -> str:
    """:func:`normalize` without casefolding (keeps «УК» apart from «ук»)."""
    text = _SPACES.sub(" ", text.translate(_CHAR_MAP)).strip()
    return _WORDLIKE.sub(_fix_lookalikes, text)


def normalize_word(word: str) -> str:
    """:func:`normalize` for a single word (cached)."""
    return _normalize_word(word)


@lru_cache(maxsize=200_000)
def _normalize_word(word: str) -> str:
    return normalize(word)


# ---------------------------------------------------------------- stems

# Kazakh inflection endings, longest first: plural, possessive, case endings.
_KK_SUFFIXES = tuple(
    sorted(
        {
            "лар", "лер", "дар", "дер", "тар", "тер",
            "ның", "нің", "дың", "дің", "тың", "тің",
            "ға", "ге", "қа", "ке", "на", "не",
            "ны", "ні", "ды", "ді", "ты", "ті",
            "да", "де", "та", "те", "нда", "нде",
            "дан", "ден", "тан", "тен", "нан", "нен",
            "мен", "бен", "пен", "менен",
            "сы", "сі", "ы", "і", "ын", "ін", "сын", "сін",
            "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі",
            "ларының", "лерінің", "дарының", "дерінің",
            "ларын", "лерін", "ларына", "леріне", "ында", "інде",
            "ына", "іне", "ынан", "інен", "ының", "інің", "сына", "сіне",
            "сының", "сінің", "сында", "сінде",
        },
        key=len,
        reverse=True,
    )
)
_KK_VOWELS = frozenset("аәеиоөуұүыіэюя")
_EN_SUFFIXES = ("'s", "ies", "es", "s")


def stem_kk(word: str) -> str:
    """A light Kazakh stem: strip plural, possessive and case endings (stem >= 3 letters)."""
    changed = True
    while changed:
        changed = False
        for suffix in _KK_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                if suffix[0] == "с" and word[-len(suffix) - 1] not in _KK_VOWELS:
                    continue  # possessive -сы/-сі follows vowels only
                word = word[: -len(suffix)]
                changed = True
                break
    return word


def stem_en(word: str) -> str:
    """A light English stem: drop a possessive or plural ending (stem >= 4 letters)."""
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "ies":
                return word[:-3] + "y"
            if suffix == "es" and not word.endswith(("ses", "xes", "ches", "shes")):
                return word[:-1]
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


#: What the dictionary said of words met before, kept between runs (:class:`DiskMemo`): a text
#: of known words is read without loading pymorphy3.
_MEMO = DiskMemo("morph", lambda: morph_versions())


@lru_cache(maxsize=1)
def _analyzer():  # noqa: ANN202 - pymorphy3 has no type hints
    import pymorphy3

    try:  # the dictionary's own folder: pymorphy3 need not search the installed packages
        import pymorphy3_dicts_ru
    except ImportError:  # pragma: no cover - another Russian dictionary package
        return pymorphy3.MorphAnalyzer(lang="ru")
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


@lru_cache(maxsize=1)
def _snowball():  # noqa: ANN202
    import snowballstemmer

    return snowballstemmer.stemmer("russian")


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str | None = None) -> str:
    """The lower-case lemma of one word.

    Russian: pymorphy3's normal form (Snowball stem for words outside its
    dictionary); Kazakh (``lang="kk"``, or a word with a Kazakh-only letter):
    :func:`stem_kk`; Latin script: :func:`stem_en`; digits stay as they are.

    >>> lemma("Конвенцией"), lemma("беженцев"), lemma("Covenants"), lemma("Кодексінің")
    ('конвенция', 'беженец', 'covenant', 'кодекс')
    """
    w = _normalize_word(word)
    if not w or w.isdigit():
        return w
    if lang == "kk" or not KAZAKH_LETTERS.isdisjoint(w):
        return stem_kk(w)
    if _CYRILLIC.search(w):
        remembered = _REMEMBERED.get(w)
        if remembered is not None:
            return remembered
        return _MEMO.get(("lemma", w), lambda: _dictionary_lemma(w))
    if _LATIN.search(w):
        return stem_en(w)
    return w


def _dictionary_lemma(w: str) -> str:
    """:func:`lemma` of a normalised Russian word, from the dictionary."""
    analyzer = _analyzer()
    if "-" not in w and not analyzer.word_is_known(w):
        return _snowball().stemWord(w)
    return _likeliest_normal_form(analyzer.parse(w))


def word_is_known(word: str) -> bool:
    """Whether pymorphy3's dictionary holds the word (remembered between runs)."""
    return _MEMO.get(("known", word), lambda: _analyzer().word_is_known(word))


def _likeliest_normal_form(parses) -> str:  # noqa: ANN001 - pymorphy3 parses
    """The normal form with the highest total probability over all parses.

    Summing matters when one form is equally likely to be two words («основного»: «основной»
    or «основный»); ties go to the alphabetically first, so every case agrees.
    """
    totals: dict[str, float] = {}
    for parse in parses:
        form = parse.normal_form.replace("ё", "е")
        totals[form] = totals.get(form, 0.0) + parse.score
    best = max(totals.values())
    return min(form for form, total in totals.items() if total >= best - 0.01)


# ---------------------------------------------------------------- lemmas known in advance

#: Lemmas computed earlier by :func:`lemma` itself (with this very code and dictionary, see
#: :func:`morph_versions`) and handed back by :func:`remember_lemmas`: a word found here needs
#: no dictionary, so a process that meets only such words never loads pymorphy3.
_REMEMBERED: dict[str, str] = {}


def remember_lemmas(table: dict[str, str]) -> None:
    """Take lemmas made by :func:`russian_lemma_table` (normalised word -> lemma)."""
    _REMEMBERED.update(table)


def russian_lemma_table(words: Iterable[str]) -> dict[str, str]:
    """The lemma of every inflected form of the given Russian words, as :func:`lemma` gives
    it, keyed by the normalised form (to cache with the :func:`morph_versions` it depends on).
    """
    analyzer = _analyzer()
    forms: set[str] = set()
    for word in words:
        w = _normalize_word(word)
        if not w or w.isdigit() or not KAZAKH_LETTERS.isdisjoint(w) or not _CYRILLIC.search(w):
            continue
        forms.add(w)
        for parse in analyzer.parse(w):
            forms.update(f.word for f in parse.lexeme)
    table: dict[str, str] = {}
    for form in forms:
        w = _normalize_word(form)
        if w and not w.isdigit() and KAZAKH_LETTERS.isdisjoint(w) and _CYRILLIC.search(w):
            # what lemma(w) gives, without filling the memo of words met in texts
            table[w] = _REMEMBERED.get(w) or _dictionary_lemma(w)
    return table


#: This module's code as it was imported, for :func:`morph_versions`.
_OWN_SOURCE = Path(__file__).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def morph_versions() -> str:
    """What lemmas depend on: this module's code as imported, pymorphy3 and its dictionary,
    Snowball (read once per process: several caches are keyed by it)."""
    from importlib.util import find_spec

    parts = [_OWN_SOURCE]
    for package, file in (("pymorphy3", "version.py"), ("pymorphy3_dicts_ru", "version.py"),
                          ("snowballstemmer", "russian_stemmer.py")):
        spec = find_spec(package)
        origin = spec.origin if spec is not None else None
        try:
            parts.append(Path(origin).with_name(file).read_text(encoding="utf-8")
                         if origin else "-")
        except OSError:
            parts.append("?")
    return "\n".join(parts)


# ---------------------------------------------------------------- tokens


@frozen
class Token:
    """A word of a text: its span ``[start, end)``, the text as written and its lemma."""

    start: int
    end: int
    text: str
    lemma: str


#: A word: letters and digits, with inner hyphens («масс-медиа», «456-2»).
WORD_RE = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")


def tokens(text: str, lang: str | None = None) -> list[Token]:
    """The word tokens of ``text`` with spans into ``text`` and their lemmas.

    >>> [(t.start, t.text, t.lemma) for t in tokens("О статусе беженцев")]
    [(0, 'О', 'о'), (2, 'статусе', 'статус'), (10, 'беженцев', 'беженец')]
    """
    return [
        Token(m.start(), m.end(), m.group(0), lemma(m.group(0), lang))
        for m in WORD_RE.finditer(text)
    ]
