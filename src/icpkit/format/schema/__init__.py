"""The `icp/1` JSON Schema and the translation of its errors into located violations."""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any, TypeGuard

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from icpkit.findings import JsonPath, Violation
from icpkit.format.loader import Document
from icpkit.text import plural

_TYPE_WORDS = {
    "object": "a map",
    "array": "a list",
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_text(name: str = "icp.schema.json") -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def icp_schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(schema_text())
    return result


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    schema = icp_schema() if name == ICP_SCHEMA else json.loads(schema_text(name))
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=("date",)))


ICP_SCHEMA = "icp.schema.json"
OVERRIDES_SCHEMA = "overrides.schema.json"


def is_icp_id(value: object) -> TypeGuard[str]:
    """Whether `value` is an ICP id as the schema has it (a slug: safe in a file name)."""
    pattern: str = icp_schema()["properties"]["id"]["pattern"]
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def validate(doc: Document, schema: str = ICP_SCHEMA) -> list[Violation]:
    """Every violation of `schema` (an ICP's, or an overrides file's) in the document, each
    placed at its key or value."""
    violations: list[Violation] = []
    for error in _validator(schema).iter_errors(doc.data):
        violations.extend(_translate(error, doc))
    return violations


def _translate(error: ValidationError, doc: Document) -> Iterator[Violation]:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        yield from _unknown_keys(error, path, doc)
        return
    if error.validator == "propertyNames":
        # the failing key is in the error's own instance; point at the key itself
        key = str(error.instance)
        parent = path
        sub = best_match(error.context) if error.context else None
        why = sub.schema.get("errorMessage") if sub is not None else None
        mark = doc.locate((*parent, key), key=True)
        yield Violation((*parent, key), f"key {key!r}: {why or 'is not an allowed name'}", mark)
        return
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if custom and error.validator in ("anyOf", "oneOf", "not", "pattern", "format"):
        yield Violation(path, f"{_where(path)}{custom!s}")
        return
    if error.validator in ("anyOf", "oneOf") and error.context:
        yield from _translate(best_match(error.context), doc)
        return
    yield Violation(path, f"{_where(path)}{_describe(error)}")


def _where(path: JsonPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return f"`{part}` "
    return "the file " if not path else ""


def _describe(error: ValidationError) -> str:
    kind = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    if kind == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        key = missing.group(1) if missing else "?"
        return f"is missing required key `{key}`"
    if kind == "type":
        expected = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
        hint = ""
        if "boolean" in expected and isinstance(instance, str):
            hint = " (write true or false)"
        return f"must be {words}, not {_show(instance)}{hint}"
    if kind == "enum":
        options = ", ".join(str(v) for v in value)
        near = difflib.get_close_matches(str(instance), [str(v) for v in value], n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"must be one of: {options} (got {_show(instance)}{hint})"
    if kind == "const":
        return f"must be {value!r}, not {_show(instance)}"
    if kind in ("minItems", "minProperties"):
        return f"needs at least {plural(value, 'entry', 'entries')}"
    if kind == "minLength" or (kind == "pattern" and value == "\\S"):
        return "must not be empty"
    if kind == "pattern":
        return f"{_show(instance)} does not match the pattern {value}"
    if kind in ("minimum", "exclusiveMinimum"):
        op = "at least" if kind == "minimum" else "more than"
        return f"must be {op} {value}, not {_show(instance)}"
    if kind in ("maximum", "exclusiveMaximum"):
        op = "at most" if kind == "maximum" else "less than"
        return f"must be {op} {value}, not {_show(instance)}"
    if kind == "format":
        return f"{_show(instance)} is not a valid {value}"
    return error.message


def _show(instance: Any) -> str:
    if isinstance(instance, dict):
        return "a map"
    if isinstance(instance, list):
        return "a list"
    if instance is None:
        return "an empty value"
    if isinstance(instance, bool):
        return str(instance).lower()
    if isinstance(instance, str):
        shown = instance if len(instance) <= 40 else instance[:37] + "..."
        return f"text {shown!r}"
    return repr(instance)


def _unknown_keys(error: ValidationError, path: JsonPath, doc: Document) -> Iterator[Violation]:
    schema: Any = error.schema
    instance: Any = error.instance
    known = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    for key in instance:
        if key in known or any(p.search(key) for p in patterns):
            continue
        near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if near:
            hint = f"; did you mean `{near[0]}`?"
        elif patterns:
            hint = "; prefix your own keys with `x-`"
        else:
            hint = ""
        child = (*path, key)
        yield Violation(child, f"unknown key `{key}`{hint}", doc.locate(child, key=True))
