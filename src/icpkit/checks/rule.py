"""The rule pattern: one decorated function per module, documented by its docstring."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from icpkit.checks.baseline import Baseline
from icpkit.findings import Severity, Violation
from icpkit.format.loader import Document
from icpkit.format.model import Icp
from icpkit.project.settings import Config, Settings


class Scope(enum.Enum):
    """What a rule looks at: raw file, valid ICP, all ICPs together, or the baseline."""

    DOCUMENT = "document"
    ICP = "icp"
    PROJECT = "project"
    BASELINE = "baseline"


@dataclass(frozen=True)
class DocContext:
    doc: Document
    settings: Settings
    schema_violations: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class IcpContext:
    icp: Icp
    doc: Document
    settings: Settings
    # The whole project's settings, for a rule that reads its data files as the scorer does.
    config: Config | None = None


@dataclass(frozen=True)
class ProjectContext:
    entries: Sequence[IcpContext]
    settings: Settings


@dataclass(frozen=True)
class BaselineContext:
    baseline: Baseline
    used: frozenset[int]
    today_iso: str
    checked: frozenset[str]  # baseline-relative paths of the files this run read


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    scope: Scope
    func: Callable[[Any], Iterable[Any]]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def section(self, heading: str) -> str:
        """The body under `## heading` in the docstring, without its YAML fence."""
        found = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return found.group(1).strip() if found else ""

    def example(self, heading: str) -> str:
        block = re.search(r"```ya?ml\n(.*?)```", self.section(heading), re.S)
        return block.group(1) if block else ""


def rule(
    rule_id: str, name: str, *, severity: str, scope: Scope = Scope.ICP
) -> Callable[[Callable[[Any], Iterable[Any]]], Rule]:
    """Register metadata on a check function; the registry in `checks/__init__` orders them."""
    if not re.fullmatch(r"ICP\d{3}", rule_id) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"bad rule id or name: {rule_id} {name}")

    def wrap(func: Callable[[Any], Iterable[Any]]) -> Rule:
        return Rule(rule_id, name, Severity.parse(severity), scope, func)

    return wrap
