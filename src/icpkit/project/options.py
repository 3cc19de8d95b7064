"""A setting a rule declares for itself (yamllint's CONF): its key, type, default and bounds.

The settings loader validates each declared option beside the project's own keys, so the
user writes them in the same `[tool.icp]` table and gets the same errors; the declaration
lives with the rule that reads it, so one option touches one file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_TYPE_NAMES = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


# Compared by identity: a declaration is one object, which rules and readers share.
@dataclass(frozen=True, eq=False)
class Option(Generic[T]):
    key: str  # as written in [tool.icp], e.g. "min-triggers"
    default: T
    help: str
    # JSON Schema of the value as written: the loader checks it with the project's schema.
    schema: Mapping[str, Any] = field(default_factory=dict)
    # From the validated TOML value to what the rule reads (a list becomes a tuple, say).
    parse: Callable[[Any], T] = field(default=lambda value: value)

    @property
    def type_name(self) -> str:
        kind = self.schema.get("type", "")
        if kind == "array":
            return f"list of {_TYPE_NAMES.get(self.schema['items']['type'], 'values')}s"
        return _TYPE_NAMES.get(kind, "value")

    @property
    def shown_default(self) -> str:
        """The default as TOML would write it, for the rule docs."""
        value: Any = self.default
        if isinstance(value, tuple):
            return "[" + ", ".join(f'"{v}"' for v in value) + "]"
        if isinstance(value, float) and value.is_integer():
            return f"{value:g}"
        return str(value).lower() if isinstance(value, bool) else str(value)


def integer(key: str, default: int, help: str, **bounds: int) -> Option[int]:
    return Option(key, default, help, {"type": "integer", **bounds}, int)


def number(key: str, default: float, help: str, **bounds: float) -> Option[float]:
    return Option(key, default, help, {"type": "number", **bounds}, float)


def words(key: str, default: tuple[str, ...], help: str) -> Option[tuple[str, ...]]:
    return Option(key, default, help, {"type": "array", "items": {"type": "string"}}, tuple)
