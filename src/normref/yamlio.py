"""Strict YAML reading for hand-edited data files.

* PyYAML's C safe loader when present, the pure-Python safe loader otherwise;
* duplicate keys are an error (PyYAML would silently keep the last one);
* anchors and aliases are refused, so an alias bomb ("billion laughs") costs
  nothing;
* every mapping remembers the line of each key, so validators can say where a
  problem is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import yaml


@attrs.frozen(order=True)
class Problem:
    """One thing wrong in a data file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class YamlProblem(Exception):
    """A YAML file that cannot be read at all."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A dict that knows the line (1-based) of itself and of each of its keys."""

    line: int | None = None
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int | None:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int | None = None


@cache
def _strict_loader() -> type:
    """The strict loader class; PyYAML is imported on first use (a cached catalogue needs
    none)."""
    import yaml

    try:  # pragma: no cover - depends on how PyYAML was built
        _BaseLoader: type = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover
        _BaseLoader = yaml.SafeLoader

    class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise YamlProblem(
                    node.start_mark.line + 1, "YAML anchors and aliases are not allowed here"
                )
            return super().construct_object(node, deep=deep)

        def construct_strict_mapping(self, node: yaml.MappingNode) -> LineDict:
            if not isinstance(node, yaml.MappingNode):  # pragma: no cover
                raise YamlProblem(node.start_mark.line + 1, "expected a mapping")
            self.flatten_mapping(node)
            result = LineDict()
            result.line = node.start_mark.line + 1
            result.key_lines = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise YamlProblem(
                        key_node.start_mark.line + 1, "a key must be a plain value"
                    ) from None
                if key in result:
                    raise YamlProblem(
                        key_node.start_mark.line + 1,
                        f"duplicate key {key!r} (first at line {result.key_lines[key]})",
                    )
                result[key] = self.construct_object(value_node, deep=True)
                result.key_lines[key] = key_node.start_mark.line + 1
            return result

        def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Any:
            """A date-looking scalar that is not a real date stays a string (validators say why)."""
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:
                return str(node.value)

        def construct_strict_sequence(self, node: yaml.SequenceNode) -> LineList:
            result = LineList(self.construct_object(child, deep=True) for child in node.value)
            result.line = node.start_mark.line + 1
            return result

    _StrictLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_strict_mapping
    )
    _StrictLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", _StrictLoader.construct_lenient_timestamp
    )
    _StrictLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _StrictLoader.construct_strict_sequence
    )

    return _StrictLoader


def load_yaml_text(text: str) -> Any:
    """Parse one YAML document strictly; raise :class:`YamlProblem` with a line."""
    import yaml

    try:
        return yaml.load(text, Loader=_strict_loader())  # noqa: S506 - a safe loader subclass
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(None, "YAML nested too deeply") from None


def load_yaml_file(path: Path) -> Any:
    """Read and parse a YAML file; raise :class:`YamlProblem` for any reason it can't be."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(None, f"not UTF-8 text (byte offset {exc.start})") from None
    return load_yaml_text(text)
