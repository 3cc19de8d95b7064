"""Project settings with every option the rules declare: the loader commands and tests use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from icpkit.checks import RULES
from icpkit.project.options import Option
from icpkit.project.settings import Config, read_config


def declared() -> tuple[Option[Any], ...]:
    """Each option once, in rule order; two declarations of one key would disagree."""
    found: dict[str, Option[Any]] = {}
    for rule in RULES:
        for option in rule.options:
            if found.setdefault(option.key, option) is not option:
                raise AssertionError(f"{rule.id} declares {option.key!r} a second time")
    return tuple(found.values())


def load_config(start: Path | None = None, *, explicit: Path | None = None) -> Config:
    """The nearest icp.toml or [tool.icp] at or above `start` (or `explicit`), validated."""
    return read_config(start, explicit=explicit, options=declared())
