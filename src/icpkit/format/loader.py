"""YAML -> plain data, keeping a line and column for every key and value.

PyYAML's own constructors lose positions, keep the last of two duplicate keys and read
YAML 1.1 scalars: `NO` (Norway) as `False`, the code `0111` as octal 73, `3:20` as 200.
We compose the node graph instead and build the data ourselves: positions survive,
duplicates are reported, and plain scalars are read as YAML 1.2 reads them (only
`true`/`false` are booleans, numbers are decimal; see `_plain`). Every way a file can be
unreadable becomes a located violation, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from icpkit.findings import JsonPath, Mark, Violation

_TAG = "tag:yaml.org,2002:"
# Every untagged plain scalar gets this tag while composing, so the builder can tell
# `0111` (resolved here, by YAML 1.2) from `!!str 0111` or `!!int 0111` (tagged by hand).
_PLAIN = "tag:icpkit,2026:plain"


def plain_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """`base` without PyYAML's YAML 1.1 implicit resolvers: only `<<` and "plain" remain."""
    loader: type[yaml.SafeLoader] = type("PlainLoader", (base,), {"yaml_implicit_resolvers": {}})
    loader.add_implicit_resolver(_TAG + "merge", re.compile(r"^<<$"), ["<"])
    loader.add_implicit_resolver(_PLAIN, re.compile(r""), None)
    return loader


# libyaml makes composing about 10x faster; fall back quietly where PyYAML lacks it.
_Loader: type[yaml.SafeLoader] = plain_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))

# What went wrong reading a file; `icpkit.checks` decides which rule reports each kind.
SYNTAX = "syntax"
DUPLICATE_KEY = "duplicate-key"

DEFAULT_MAX_BYTES = 1_000_000
MAX_VALUES = 100_000  # far above any real ICP; stops alias bombs before they expand
MAX_DEPTH = 64
_TOO_DEEP = f"YAML is nested too deeply to be an ICP (over {MAX_DEPTH} levels)"
_SELF_ALIAS = "an alias refers to a map or list that contains it"
_ONLY_NULL = "file holds only an empty value (`null`, `~` or a bare `---`), not a map of keys"

_TRUE_FALSE = {"true": True, "false": False}
# YAML 1.2 core schema, narrowed to decimal: a leading zero makes a code (`0111`, a NAICS
# or ZIP code), and 1.1's `3:20`, `2_000`, `0b11001` and 1.2's `0o17`, `0x1F` stay text.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_YAML11_BOOL = re.compile(r"yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# A whole number of more digits is beyond what a float holds (about 1.8e308), and Python
# refuses to read one of over 4,300 digits at all.
_MAX_DIGITS = 308


@dataclass
class Document:
    """One loaded file: its data (None when unreadable), positions and load problems."""

    path: Path
    data: Any = None
    text: str = ""
    marks: dict[JsonPath, Mark] = field(default_factory=dict)
    key_marks: dict[JsonPath, Mark] = field(default_factory=dict)
    violations: list[tuple[str, Violation]] = field(default_factory=list)  # (kind, what)
    bool_words: list[tuple[JsonPath, str]] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.data is not None and not any(kind == SYNTAX for kind, _ in self.violations)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def locate(self, path: JsonPath, *, key: bool = False) -> Mark:
        """The position of `path`, or of its nearest existing parent when it is absent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        probe = path
        while probe:
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), Mark(1, 1))


class _Stop(Exception):
    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def load_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse one ICP file. Never raises for bad content; OSError propagates."""
    doc = Document(path=path)
    size = path.stat().st_size
    if size > max_bytes:
        doc.violations.append(
            (
                SYNTAX,
                Violation(
                    (),
                    f"file is {size / 1_000_000:.1f} MB, over the {max_bytes:,}-byte limit "
                    "for an ICP file (max-file-bytes); it was not read",
                    Mark(1, 1),
                ),
            )
        )
        return doc
    raw = path.read_bytes()
    return load_bytes(raw, path, doc)


def load_bytes(raw: bytes, path: Path, doc: Document | None = None) -> Document:
    doc = doc or Document(path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.violations.append(
            (
                SYNTAX,
                Violation(
                    (),
                    f"file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; "
                    "save it as UTF-8",
                    Mark(line, column),
                ),
            )
        )
        return doc
    doc.text = text
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        doc.violations.append(
            (
                SYNTAX,
                Violation((), "file is empty: an ICP needs at least `format` and `id`", Mark(1, 1)),
            )
        )
        return doc
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            raise _Stop("file holds no YAML document", Mark(1, 1))
        doc.data = _Builder(doc).build(node, (), 0)
        if doc.data is None:
            # an empty value is marked after `---`; the reader looks for the first line
            raise _Stop(_ONLY_NULL, Mark(_first_content_line(text), 1))
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        deep = _too_deep(text)
        violation = Violation((), deep.message, deep.mark) if deep else _yaml_error(exc)
        doc.violations.append((SYNTAX, violation))
    except yaml.reader.ReaderError as exc:
        doc.data = None
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        doc.violations.append(
            (
                SYNTAX,
                Violation(
                    (), f"character {exc.character!r} is not allowed in YAML", Mark(line, column)
                ),
            )
        )
    except RecursionError:
        doc.data = None
        deep = _too_deep(text)
        doc.violations.append((SYNTAX, Violation((), _TOO_DEEP, deep.mark if deep else Mark(1, 1))))
    except _Stop as stop:
        doc.data = None
        doc.violations.append((SYNTAX, Violation((), stop.message, stop.mark)))
    return doc


def _first_content_line(text: str) -> int:
    lines = text.splitlines()
    return next((i for i, ln in enumerate(lines, 1) if ln.strip()[:1] not in ("", "#")), 1)


def _too_deep(text: str) -> _Stop | None:
    """Where the text passes MAX_DEPTH, found with the pure-Python parser.

    libyaml has a nesting limit of its own (1000 levels from PyYAML 6.0.4, none before),
    met while scanning, before the builder sees a node; the pure-Python composer recurses
    instead. So when either gives up, this walk decides: too deep by our limit is reported
    as such, at the same place, whatever PyYAML release is installed. It streams events
    without recursion and runs only on files that were already refused.
    """
    depth = 0  # a node's depth as the builder counts it: the collections around it
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.NodeEvent) and depth > MAX_DEPTH:
                mark = event.start_mark
                where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
                return _Stop(_TOO_DEEP, where)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _yaml_error(exc: yaml.MarkedYAMLError) -> Violation:
    problem = (exc.problem or "invalid YAML").strip()
    mark = exc.problem_mark or exc.context_mark
    if "end of stream" in problem and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote or bracket: show where it opened
    where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
    context_line = exc.context_mark.line if exc.context_mark else None
    if "tab" in problem or "\t" in problem:
        message = "tab character: YAML indentation must use spaces"
    else:
        context = f" {exc.context.strip()}" if exc.context else ""
        message = f"invalid YAML: {problem}{context}"
        if context_line is not None and context_line + 1 != where.line:
            message += f" (started at line {context_line + 1})"
    return Violation((), message, where)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.stack: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Stop(
                f"document expands to over {MAX_VALUES:,} values through aliases "
                "(an alias bomb?); it was not read",
                _mark(node),
            )
        if depth > MAX_DEPTH or id(node) in self.stack:
            raise _Stop(_TOO_DEEP if depth > MAX_DEPTH else _SELF_ALIAS, _mark(node))
        self.doc.marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if node.tag != _TAG + ("seq" if isinstance(node, yaml.SequenceNode) else "map"):
            raise _Stop(_unsupported(node.tag), _mark(node))
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [
                    self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)
                ]
            assert isinstance(node, yaml.MappingNode)
            return self.mapping(node, path, depth)
        finally:
            self.stack.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.update(self.merge_source(value_node, path, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Stop(
                    "a mapping key must be a plain value, not a list or map", _mark(key_node)
                )
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                first = self.doc.key_marks[child]
                self.doc.violations.append(
                    (
                        DUPLICATE_KEY,
                        Violation(
                            child,
                            f"duplicate key {key!r} (first at line {first.line}); "
                            "YAML would silently keep only the last value",
                            _mark(key_node),
                        ),
                    )
                )
                continue
            self.doc.key_marks[child] = _mark(key_node)
            result[key] = self.build(value_node, child, depth + 1)
            if not isinstance(value_node, yaml.ScalarNode):
                # a block map or list starts on the next line; its key is where readers look
                self.doc.marks[child] = _mark(key_node)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def merge_source(self, node: yaml.Node, path: JsonPath, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _Stop("`<<` merges only maps", _mark(source))
            for key, value in self.mapping(source, path, depth + 1).items():
                merged.setdefault(key, value)
        return merged

    def scalar(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        value: str = node.value
        tag = node.tag
        # Quoted or block scalars are text, unless a tag says otherwise (`!!int "20"`).
        if tag == _TAG + "str" or (node.style and tag == _PLAIN):
            return value
        if tag == _PLAIN:
            return self.plain(node, path)
        if tag == _TAG + "null":
            if value and not _NULL.fullmatch(value):
                raise _Stop(f"{_short(value)!r} is tagged !!null but is not empty", _mark(node))
            return None
        if tag == _TAG + "bool":
            if value.lower() in _TRUE_FALSE:
                return _TRUE_FALSE[value.lower()]
            raise _Stop(f"{_short(value)!r} is tagged !!bool but is not true or false", _mark(node))
        if tag == _TAG + "int":
            if not _INT.fullmatch(value):
                raise _Stop(f"{_short(value)!r} is not a whole number", _mark(node))
            return _number(node)
        if tag == _TAG + "float":
            if not _is_number(value):
                raise _Stop(f"{_short(value)!r} is not a number", _mark(node))
            return float(_number(node))
        if tag == _TAG + "timestamp":
            if not _is_timestamp(value):
                raise _Stop(f"{_short(value)!r} is not a date (YYYY-MM-DD)", _mark(node))
            return value  # dates stay ISO text; the schema checks their format
        raise _Stop(_unsupported(tag), _mark(node))

    def plain(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        """A plain scalar, resolved by the YAML 1.2 core schema (narrowed to decimal)."""
        value: str = node.value
        if _NULL.fullmatch(value):
            return None
        if _BOOL.fullmatch(value):
            return _TRUE_FALSE[value.lower()]
        if _YAML11_BOOL.fullmatch(value):
            # YAML 1.1 reads yes/no/on/off as booleans; we keep the words (NO is Norway)
            # and let a rule flag them where a sentence was expected.
            self.doc.bool_words.append((path, value))
            return value
        if _is_number(value):
            return _number(node)
        return value


def _is_timestamp(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_number(value: str) -> bool:
    return any(form.fullmatch(value) for form in (_INT, _FLOAT, _NOT_FINITE))


def _number(node: yaml.ScalarNode) -> int | float:
    """A decimal number (the caller matched its form); too large or not finite is refused."""
    value: str = node.value
    if _INT.fullmatch(value):
        if len(value.lstrip("+-")) > _MAX_DIGITS:
            raise _Stop(
                f"{_short(value)!r} ({len(value.lstrip('+-')):,} digits) is too large to be "
                "a usable number",
                _mark(node),
            )
        return int(value)
    number = math.inf if _NOT_FINITE.fullmatch(value) else float(value)
    if math.isnan(number) or math.isinf(number):
        raise _Stop(f"{_short(value)!r} is not a usable number", _mark(node))
    return number


def _short(value: str) -> str:
    return value if len(value) <= 20 else value[:17] + "..."


def _unsupported(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
    return f"unsupported YAML tag {shown!r}: an ICP holds plain maps, lists, text and numbers"
