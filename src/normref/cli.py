"""The ``normref`` command line (contract §2).

Exit status: 0 success; 1 bad input or data (one line per problem on stderr,
never a traceback); 2 bad usage; 3 an internal error (a bug: one line, and the traceback
only when ``NORMREF_DEBUG`` is set).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import InputError, NormrefError

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .model import TaggedIncident

DEFAULT_REPORT_DIR = "normref-report"


class _Fail(Exception):
    """Stop with exit status 1 after the lines were printed."""


# ---------------------------------------------------------------- helpers


def _err(message: str) -> None:
    print(f"normref: {message}", file=sys.stderr)


def _catalogue(args: argparse.Namespace) -> Catalogue:
    from .catalogue import CatalogueError, load_catalogue

    try:
        return load_catalogue(args.catalogue)
    except CatalogueError as exc:
        for problem in exc.problems:
            print(f"normref: catalogue: {problem}", file=sys.stderr)
        raise _Fail from None


def _read_text(path: str | None, encoding: str) -> tuple[str, str]:
    """Read a whole text file (or stdin); returns (display name, text)."""
    name = "<stdin>" if path in (None, "-") else path
    try:
        if path in (None, "-"):
            data = sys.stdin.buffer.read()
        else:
            data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            name,
            f"not valid {encoding} at byte offset {exc.start} (use --encoding to choose another)",
        ) from None
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return name, text


def _write(text: str) -> None:
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")


def _incidents(args: argparse.Namespace, on_skip: Any) -> Iterator[Any]:
    """Every incident of every input file, in order. With ``--jobs`` above 1, a JSONL
    file gives its lines unparsed: the workers parse them (see ``parallel.tag_incidents``)."""
    from .digest import read_incidents

    for path in args.files or ["-"]:
        yield from read_incidents(
            path, encoding=args.encoding, skip_bad=args.skip_bad, on_skip=on_skip,
            jsonl_lines=args.jobs > 1,
        )


def _tagged(args: argparse.Namespace, catalogue: Catalogue, render: Any = None) -> Iterator[Any]:
    from .parallel import tag_incidents

    skipped: list[InputError] = []

    def on_skip(error: InputError) -> None:
        skipped.append(error)
        _err(f"skipped: {error}")

    def on_error(error: InputError) -> None:  # a bad JSONL line, in its turn
        if not args.skip_bad:
            raise error
        on_skip(error)

    yield from tag_incidents(_incidents(args, on_skip), catalogue, jobs=args.jobs,
                             render=render, on_error=on_error)
    if skipped:
        _err(f"{len(skipped)} bad record(s) skipped")


# ---------------------------------------------------------------- commands


def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotate import render
    from .extract import extract
    from .resolve import resolver_for

    catalogue = _catalogue(args)
    name, text = _read_text(args.file, args.encoding)
    citations = resolver_for(catalogue).resolve(extract(text))
    if args.color == "auto":
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    else:
        color = args.color == "always"
    _write(render(text, citations, args.format, catalogue=catalogue, fragment=args.fragment,
                  color=color))
    return 0


def _tag_text(tagged: TaggedIncident, catalogue: Catalogue) -> str:
    inc = tagged.incident
    lines = [f"== {inc.id}"]
    for label, value in (
        ("rubric", inc.rubric),
        ("headline", inc.headline),
        ("date", inc.date.isoformat() if inc.date else None),
        ("outlet", inc.outlet),
        ("url", ", ".join(inc.urls) if inc.urls else None),
    ):
        if value:
            lines.append(f"   {label}: {value}")
    if not tagged.obligations:
        lines.append("   no obligations found")
    for ob in tagged.obligations:
        binding = {True: "binding", False: "not binding", None: "binding unknown"}[
            ob.binding_on_date
        ]
        title = ""
        prov = catalogue.provisions.get(ob.provision)
        if prov is not None:
            title = prov.titles.get("en") or prov.titles.get("ru") or ""
        elif ob.instrument in catalogue.instruments:
            title = catalogue.instruments[ob.instrument].title("en")
        lines.append(
            f"   - {ob.provision}  {title}  [{', '.join(ob.basis)}; "
            f"confidence {ob.confidence:.2f}; {binding}]"
        )
        for ev in ob.evidence[:3]:
            snippet = " ".join(ev.text.split())
            if len(snippet) > 80:
                snippet = snippet[:77] + "..."
            lines.append(f"       {ev.basis}: {snippet}")
    return "\n".join(lines) + "\n"


def cmd_tag(args: argparse.Namespace) -> int:
    from .model import tag_document

    catalogue = _catalogue(args)
    if args.format == "jsonl":
        from .parallel import jsonl_line

        for line in _tagged(args, catalogue, render=jsonl_line):  # lines made by the workers
            sys.stdout.write(line)
    elif args.format == "json":
        document = tag_document(list(_tagged(args, catalogue)), catalogue.version)
        _write(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        for tagged in _tagged(args, catalogue):
            sys.stdout.write(_tag_text(tagged, catalogue))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report
    from .resources import sample_digest

    catalogue = _catalogue(args)
    if not args.files:
        args.files = [str(sample_digest())]
    tagged = list(_tagged(args, catalogue))
    out = Path(args.out)
    written = build_report(tagged, catalogue, out, progress=sys.stderr.isatty())
    print(f"normref: wrote {len(written)} files for {len(tagged)} incidents to {out}/index.html",
          file=sys.stderr)
    return 0


def cmd_catalogue_check(args: argparse.Namespace) -> int:
    from .catalogue import check_catalogue, read_catalogue

    folder = args.dir or args.catalogue
    problems = check_catalogue(folder)
    for problem in problems:
        print(f"{problem}", file=sys.stderr)
    if problems:
        print(f"normref: {len(problems)} problem(s) in the catalogue", file=sys.stderr)
        return 1
    catalogue, _ = read_catalogue(folder)
    print(
        f"catalogue {catalogue.version} at {catalogue.path}: {len(catalogue.instruments)} "
        f"instruments, {len(catalogue.provisions)} provisions, no problems"
    )
    return 0


def cmd_catalogue_list(args: argparse.Namespace) -> int:
    catalogue = _catalogue(args)
    instruments = sorted(catalogue.instruments.values(), key=lambda i: i.id)
    if args.format == "json":
        rows = [
            {
                "id": i.id,
                "kind": i.kind,
                "jurisdiction": i.jurisdiction,
                "title": i.titles.get("en"),
                "title_ru": i.titles.get("ru"),
                "provisions": len(i.provisions),
            }
            for i in instruments
        ]
        _write(json.dumps({"catalogue": catalogue.version, "instruments": rows},
                          ensure_ascii=False, indent=1))
        return 0
    width = max((len(i.id) for i in instruments), default=10)
    for i in instruments:
        print(f"{i.id:<{width}}  {i.kind:<16} {len(i.provisions):>4}  {i.title('en')}")
    return 0


def cmd_catalogue_show(args: argparse.Namespace) -> int:
    from .model import Instrument, to_json

    catalogue = _catalogue(args)
    entry = catalogue.get(args.id)
    if entry is None:
        raise InputError(None, f"no instrument or provision {args.id!r} in the catalogue "
                               "(see `normref catalogue list`)")
    data = to_json(entry)
    if not isinstance(entry, Instrument):
        inst = catalogue.instrument(entry.id)
        data["instrument"] = {"id": inst.id, "titles": dict(inst.titles),
                              "source_url": inst.source_url}
    if args.format == "json":
        data["catalogue"] = catalogue.version
        _write(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    _write(_show_text(data))
    return 0


def _show_text(data: dict[str, Any], indent: str = "") -> str:
    lines: list[str] = []
    for key, value in data.items():
        if value in (None, [], {}, ""):
            continue
        if key == "provisions":
            lines.append(f"{indent}provisions:")
            for p in value:
                title = p["titles"].get("en") or p["titles"].get("ru") or ""
                lines.append(f"{indent}  {p['eid']:<24} {title}")
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.append(_show_text(value, indent + "  ").rstrip("\n"))
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: " + "; ".join(
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value))
        else:
            lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalogue", metavar="DIR", default=os.environ.get("NORMREF_CATALOGUE"),
        help="catalogue folder to use instead of the shipped one (env NORMREF_CATALOGUE)",
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--encoding", default="utf-8",
                         help="encoding of the input files (default utf-8)")

    parser = argparse.ArgumentParser(
        prog="normref",
        description="Find, resolve and tag legal citations in human-rights monitoring text.",
    )
    parser.add_argument("--version", action="version",
                        version=f"normref {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("annotate", parents=[common, reading],
                       help="mark the citations of a text")
    p.add_argument("file", nargs="?", metavar="FILE", help="text file, or - for stdin (default)")
    p.add_argument("--format", choices=["text", "html", "json"], default="text")
    p.add_argument("--fragment", action="store_true",
                   help="html: an HTML fragment instead of a full page")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="text: colour the marks (auto: when stdout is a terminal)")
    p.set_defaults(func=cmd_annotate)

    def add_tag_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("files", nargs="*", metavar="FILE",
                       help="digest, .json or .jsonl files; - for stdin")
        p.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="worker processes (default 1; 0 or 'auto': one per CPU core "
                            "this process may use)")
        p.add_argument("--skip-bad", action="store_true",
                       help="JSON/JSONL: skip malformed records and report their count")

    p = sub.add_parser("tag", parents=[common, reading],
                       help="tag incidents with the obligations they engage")
    add_tag_inputs(p)
    p.add_argument("--format", choices=["text", "json", "jsonl"], default="text")
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("report", parents=[common, reading],
                       help="write the lawyers' static HTML report")
    add_tag_inputs(p)
    p.add_argument("--out", "-o", default=DEFAULT_REPORT_DIR, metavar="DIR",
                   help=f"output folder (default ./{DEFAULT_REPORT_DIR})")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("catalogue", help="check, list and show the norm catalogue")
    csub = p.add_subparsers(dest="catalogue_command", metavar="ACTION")
    csub.required = True
    c = csub.add_parser("check", parents=[common], help="validate a catalogue folder")
    c.add_argument("dir", nargs="?", metavar="DIR", help="folder (default: the shipped one)")
    c.set_defaults(func=cmd_catalogue_check)
    c = csub.add_parser("list", parents=[common], help="list the instruments")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(func=cmd_catalogue_list)
    c = csub.add_parser("show", parents=[common], help="show an instrument or a provision")
    c.add_argument("id", metavar="ID", help="instrument id (un.iccpr) or provision id "
                                            "(un.iccpr#art_19)")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(func=cmd_catalogue_show)
    return parser


def _jobs(value: str) -> int:
    """``--jobs``: a number of workers, or 0 / ``auto`` for one per usable CPU core."""
    if value.strip().lower() == "auto":
        number = 0
    else:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a number of workers or 'auto', got {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 ('auto') or more, got {number}")
    if number:
        return number
    from .parallel import usable_cores

    return usable_cores()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except _Fail:
        return 1
    except NormrefError as exc:
        _err(str(exc))
        return 1
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        except OSError:
            pass
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        if os.environ.get("NORMREF_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} "
             "(please report it; set NORMREF_DEBUG=1 for details)")
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
