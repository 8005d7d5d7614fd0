"""Render a text with its citations: JSON (contract §2), HTML, or plain text with marks.

Every format gives the input back exactly: the JSON ``text`` of a citation is
``input[start:end]``; stripping the tags of the HTML and unescaping it restores
the input; removing the ``⟦`` ``⟧[n]`` marks (and the legend after the last
line) of the text format restores the input (a mark character that is part of the
text is doubled in the text format, and colour codes go inside the marks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .catalogue import Catalogue
from .model import Citation, to_json

__all__ = ["FORMATS", "LEGEND_RULE", "OPEN_MARK", "annotate", "render", "strip_text_marks"]

FORMATS = ("json", "html", "text")
OPEN_MARK = "⟦"
CLOSE_MARK = "⟧"
#: The line that separates the marked text from its legend in the text format.
LEGEND_RULE = "\n\n── citations ──\n"

_ANSI = {"resolved": "\x1b[32m", "ambiguous": "\x1b[33m", "unresolved": "\x1b[31m"}
_ANSI_RESET = "\x1b[0m"

_CSS = """
body { font-family: Georgia, serif; max-width: 50rem; margin: 2rem auto; line-height: 1.5; }
.normref-text { white-space: pre-wrap; }
a.normref { text-decoration: none; border-bottom: 2px solid #2a7; color: inherit; }
a.normref[data-status="ambiguous"] { border-bottom-color: #d90; }
a.normref[data-status="unresolved"] { border-bottom-color: #c33; }
""".strip()


def _non_overlapping(text: str, citations: Sequence[Citation]) -> list[tuple[int, Citation]]:
    """Citations in text order, dropping any that overlap an earlier one.

    Each keeps its number in the given list (from 1), so a short form's ``antecedent``
    index + 1 is the number of the mark it leans on.
    """
    out: list[tuple[int, Citation]] = []
    end = 0
    numbered = sorted(enumerate(citations, start=1), key=lambda nc: (nc[1].start, -nc[1].end))
    for n, cite in numbered:
        if cite.start < end or cite.end > len(text) or cite.start == cite.end:
            continue
        out.append((n, cite))
        end = cite.end
    return out


def _title(cite: Citation, catalogue: Catalogue) -> str:
    if cite.status == "resolved" and cite.instrument:
        inst = catalogue.instruments.get(cite.instrument)
        name = inst.title("ru") if inst else cite.instrument
        where = ", ".join(p.split("#", 1)[1] for p in cite.provisions)
        title = f"{name}: {where}" if where else name
        return f"{title} ({cite.reason})" if cite.reason else title
    if cite.status == "ambiguous":
        return "ambiguous: " + ", ".join(cite.candidates)
    return "unresolved: " + (cite.reason or "not in catalogue")


def _href(cite: Citation, catalogue: Catalogue) -> str | None:
    if cite.status != "resolved" or not cite.instrument:
        return None
    if len(cite.provisions) == 1:
        prov = catalogue.provisions.get(cite.provisions[0])
        if prov and prov.source_url:
            return prov.source_url
    inst = catalogue.instruments.get(cite.instrument)
    return inst.source_url if inst else None


def render_json(text: str, citations: Sequence[Citation], catalogue: Catalogue) -> str:
    from . import __version__

    doc = {
        "normref": __version__,
        "catalogue": catalogue.version,
        "citations": to_json(list(citations)),  # as given: antecedents are indexes into it
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def render_html(
    text: str, citations: Sequence[Citation], catalogue: Catalogue, *, fragment: bool = False
) -> str:
    import html  # only this output needs it: kept off the cold path

    parts = ['<div class="normref-text">']
    pos = 0
    for n, cite in _non_overlapping(text, citations):
        parts.append(html.escape(text[pos : cite.start]))
        attrs = {
            "class": "normref",
            "id": f"normref-{n}",
            "href": _href(cite, catalogue),
            "data-status": cite.status,
            "data-instrument": cite.instrument,
            "data-provisions": " ".join(cite.provisions) or None,
            "data-candidates": " ".join(cite.candidates) or None,
            "data-confidence": f"{cite.confidence:.2f}",
            "title": _title(cite, catalogue),
        }
        if attrs["href"]:
            attrs["rel"] = "noopener"
        rendered = " ".join(
            f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items() if v is not None
        )
        parts.append(f"<a {rendered}>{html.escape(cite.text)}</a>")
        pos = cite.end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    body = "".join(parts)
    if fragment:
        return body
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n<head>\n<meta charset="utf-8">\n'
        "<title>normref</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _legend_line(n: int, cite: Citation) -> str:
    if cite.status == "resolved":
        what = cite.instrument or ""
        if cite.provisions:
            what += " " + ", ".join(p.split("#", 1)[1] for p in cite.provisions)
        if cite.reason:  # «item 47 not in the catalogue …», «… was cited earlier»
            what += f"; {cite.reason}"
    elif cite.status == "ambiguous":
        what = (cite.reason or "ambiguous") + "; candidates: " + ", ".join(cite.candidates)
    else:
        what = cite.reason or "not in catalogue"
    extra = ""
    if cite.antecedent is not None:
        extra = f" (short form, refers to [{cite.antecedent + 1}])"
    return f"[{n}] {cite.status}: {what}{extra} — «{cite.text}»"


def render_text(
    text: str, citations: Sequence[Citation], *, color: bool = False
) -> str:
    parts: list[str] = []
    legend: list[str] = []
    pos = 0
    numbered = _non_overlapping(text, citations)
    for n, cite in numbered:
        parts.append(_escape_marks(text[pos : cite.start]))
        inner = _escape_marks(cite.text)
        line = _legend_line(n, cite)
        if color:  # colour codes inside the marks, so a text's own escape codes are kept
            inner = f"{_ANSI[cite.status]}{inner}{_ANSI_RESET}"
            line = f"{_ANSI[cite.status]}{line}{_ANSI_RESET}"
        parts.append(f"{OPEN_MARK}{inner}{CLOSE_MARK}[{n}]")
        legend.append(line)
        pos = cite.end
    parts.append(_escape_marks(text[pos:]))
    if not legend:
        legend.append("(no citations found)")
    return "".join(parts) + LEGEND_RULE + "\n".join(legend) + "\n"


def _escape_marks(text: str) -> str:
    """A mark character that is part of the text itself is doubled (``⟦`` -> ``⟦⟦``)."""
    if OPEN_MARK not in text and CLOSE_MARK not in text:
        return text
    return text.replace(OPEN_MARK, OPEN_MARK * 2).replace(CLOSE_MARK, CLOSE_MARK * 2)


#: doubled (literal) mark characters, and the marks with the colour codes render_text puts
#: inside them
_MARK_TOKEN = re.compile(
    rf"{OPEN_MARK}{OPEN_MARK}|{CLOSE_MARK}{CLOSE_MARK}"
    rf"|{OPEN_MARK}(?:\x1b\[3[123]m)?|(?:\x1b\[0m)?{CLOSE_MARK}\[[0-9]+\]"
)


def _unmark(match: re.Match[str]) -> str:
    token = match.group()
    return token[0] if token in (OPEN_MARK * 2, CLOSE_MARK * 2) else ""


def strip_text_marks(rendered: str) -> str:
    """Undo :func:`render_text`: the input text without marks, colours or legend."""
    body = rendered.rsplit(LEGEND_RULE, 1)[0]
    return _MARK_TOKEN.sub(_unmark, body)


def render(
    text: str,
    citations: Sequence[Citation],
    fmt: str = "json",
    *,
    catalogue: Catalogue,
    fragment: bool = False,
    color: bool = False,
) -> str:
    """Render ``text`` with its ``citations`` as ``json``, ``html`` or ``text``.

    ``fragment`` gives an HTML ``<div>`` instead of a whole page; ``color`` adds
    ANSI colours to the text format (green resolved, yellow ambiguous, red
    unresolved).
    """
    if fmt == "json":
        return render_json(text, citations, catalogue)
    if fmt == "html":
        return render_html(text, citations, catalogue, fragment=fragment)
    if fmt == "text":
        return render_text(text, citations, color=color)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def annotate(
    text: str,
    format: str = "json",  # noqa: A002 - the public keyword the docs promise
    *,
    catalogue: Catalogue | None = None,
    fragment: bool = False,
    color: bool = False,
) -> str:
    """Find, resolve and render the citations of ``text`` in one call.

    The shipped catalogue (loaded once) is used unless ``catalogue`` is given.
    """
    from .resolve import _shipped_catalogue, find_citations

    catalogue = catalogue if catalogue is not None else _shipped_catalogue()
    citations = find_citations(text, catalogue)
    return render(text, citations, format, catalogue=catalogue, fragment=fragment, color=color)
