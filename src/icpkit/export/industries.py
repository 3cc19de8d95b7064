"""The industries mapping file: ICP industry values -> LinkedIn industry names.

LinkedIn targets its own industry list (Software Development, Financial Services ...), not
the CRM's values, and no table translates one into the other reliably, so the user keeps
the mapping, as YAML: `saas: Software Development`, or a list when one ICP value is
several LinkedIn industries (`fintech: [Financial Services, Banking]`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from icpkit.errors import InputError


def read_industries(path: Path | None) -> Mapping[str, tuple[str, ...]]:
    """The mapping in `path` (None: no mapping, every industry value is unmapped)."""
    if path is None:
        return {}
    if not path.is_file():
        raise InputError(f"industries mapping not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise InputError(f"{path}{where}: not valid YAML: {_problem(exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: expected a mapping of ICP industry values to LinkedIn industry names "
            "(saas: Software Development)"
        )
    return {str(key): _names(path, str(key), value) for key, value in data.items()}


def _names(path: Path, key: str, value: object) -> tuple[str, ...]:
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise InputError(f"{path}: {key!r} must map to a LinkedIn industry name or a list of names")
    return tuple(str(n).strip() for n in names)


def _problem(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc).strip().splitlines()[0]
