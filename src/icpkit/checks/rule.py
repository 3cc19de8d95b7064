"""The rule pattern: one decorated function per module, documented by its docstring."""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeAlias, TypeGuard, TypeVar, overload

from icpkit.checks.baseline import Baseline
from icpkit.findings import Severity, Violation
from icpkit.format.loader import Document
from icpkit.format.model import Icp
from icpkit.format.overrides import Overrides
from icpkit.project.options import Option
from icpkit.project.overrides import OverridesReader
from icpkit.project.settings import Config, Settings
from icpkit.scorer.override_facts import OverrideFacts

T = TypeVar("T")


class Scope(enum.Enum):
    """What a rule looks at: raw file, valid ICP, all ICPs together, or the baseline."""

    DOCUMENT = "document"
    ICP = "icp"
    PROJECT = "project"
    BASELINE = "baseline"
    OVERRIDES = "overrides"
    ORPHAN_OVERRIDES = "orphan-overrides"


class Category(enum.Enum):
    """What kind of defect a rule catches: how the rule index groups them."""

    VALIDITY = "validity"
    SPECIFICITY = "specificity"
    SCORING = "scoring"
    FRESHNESS = "freshness"
    SUPPRESSION = "suppression"

    @property
    def title(self) -> str:
        return self.value.capitalize()

    @property
    def purpose(self) -> str:
        return _PURPOSES[self]


_PURPOSES = {
    Category.VALIDITY: "The file can be read and means one thing: YAML, the format, ids.",
    Category.SPECIFICITY: (
        "The ICP is concrete enough to find, reach and disqualify real accounts."
    ),
    Category.SCORING: "The scoring model and the qualification rubric add up and can match.",
    Category.FRESHNESS: "The ICP is reviewed on time and its version says when.",
    Category.SUPPRESSION: "The baseline of accepted findings stays current.",
}


class _Options:
    settings: Settings

    def option(self, option: Option[T]) -> T:
        """The project's value of an option the rule declares, or its default."""
        return self.settings.option(option)


@dataclass(frozen=True)
class DocContext(_Options):
    doc: Document
    settings: Settings
    schema_violations: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class IcpContext(_Options):
    icp: Icp
    doc: Document
    settings: Settings
    # The whole project's settings, for a rule that reads its data files as the scorer does.
    config: Config | None = None


@dataclass(frozen=True)
class ProjectContext(_Options):
    entries: Sequence[IcpContext]
    settings: Settings


@dataclass(frozen=True)
class OverridesContext(_Options):
    """One valid ICP's overrides file; its findings are placed in that file."""

    entry: IcpContext
    overrides: Overrides
    settings: Settings
    # The ICP's data read for its overrides (once, on first call); None: no reader given.
    facts: Callable[[], OverrideFacts] | None = None


@dataclass(frozen=True)
class OrphanContext(_Options):
    """An overrides file that no ICP reads; its findings are placed in that file."""

    doc: Document
    name: str  # the file's name
    icp_id: str  # the id its name gives: `<id>.overrides.yaml`
    readers: tuple[OverridesReader, ...]  # every ICP of the project, and where it reads
    settings: Settings


@dataclass(frozen=True)
class BaselineContext:
    baseline: Baseline
    used: frozenset[int]
    today_iso: str
    checked: frozenset[str]  # baseline-relative paths of the files this run read


C = TypeVar(
    "C", DocContext, IcpContext, ProjectContext, BaselineContext, OverridesContext, OrphanContext
)
# What a rule yields: a violation of the file it looks at; project rules say which file.
Y = TypeVar("Y", Violation, tuple[IcpContext, Violation])


@dataclass(frozen=True)
class Rule(Generic[C, Y]):
    id: str
    name: str
    severity: Severity
    scope: Scope
    func: Callable[[C], Iterable[Y]]
    category: Category
    added: str  # the icpkit version that introduced the rule, as ruff's docs say
    options: tuple[Option[Any], ...] = ()

    @property
    def doc(self) -> str:
        """The docstring, and the options the rule declares: every rendering shows both."""
        doc = inspect.cleandoc(self.func.__doc__ or "")
        if not self.options:
            return doc
        listed = "\n".join(
            f"- `{o.key}` ({o.type_name}, default `{o.shown_default}`): {o.help}"
            for o in self.options
        )
        return f"{doc}\n\n## Options\n\nSet in `[tool.icp]`:\n\n{listed}"

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


DocRule: TypeAlias = Rule[DocContext, Violation]
IcpRule: TypeAlias = Rule[IcpContext, Violation]
ProjectRule: TypeAlias = Rule[ProjectContext, tuple[IcpContext, Violation]]
BaselineRule: TypeAlias = Rule[BaselineContext, Violation]
OverridesRule: TypeAlias = Rule[OverridesContext, Violation]
OrphanRule: TypeAlias = Rule[OrphanContext, Violation]
AnyRule: TypeAlias = DocRule | IcpRule | ProjectRule | BaselineRule | OverridesRule | OrphanRule


def is_doc_rule(r: AnyRule) -> TypeGuard[DocRule]:
    return r.scope is Scope.DOCUMENT


def is_icp_rule(r: AnyRule) -> TypeGuard[IcpRule]:
    return r.scope is Scope.ICP


def is_project_rule(r: AnyRule) -> TypeGuard[ProjectRule]:
    return r.scope is Scope.PROJECT


def is_baseline_rule(r: AnyRule) -> TypeGuard[BaselineRule]:
    return r.scope is Scope.BASELINE


def is_overrides_rule(r: AnyRule) -> TypeGuard[OverridesRule]:
    return r.scope is Scope.OVERRIDES


def is_orphan_rule(r: AnyRule) -> TypeGuard[OrphanRule]:
    return r.scope is Scope.ORPHAN_OVERRIDES


Options = Sequence[Option[Any]]


# One overload per scope: mypy checks that the function takes that scope's context and
# yields what the runner stamps.
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    options: Options = ...,
) -> Callable[[Callable[[IcpContext], Iterable[Violation]]], IcpRule]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.ICP],
    options: Options = ...,
) -> Callable[[Callable[[IcpContext], Iterable[Violation]]], IcpRule]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.DOCUMENT],
    options: Options = ...,
) -> Callable[[Callable[[DocContext], Iterable[Violation]]], DocRule]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.PROJECT],
    options: Options = ...,
) -> Callable[
    [Callable[[ProjectContext], Iterable[tuple[IcpContext, Violation]]]], ProjectRule
]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.BASELINE],
    options: Options = ...,
) -> Callable[[Callable[[BaselineContext], Iterable[Violation]]], BaselineRule]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.OVERRIDES],
    options: Options = ...,
) -> Callable[[Callable[[OverridesContext], Iterable[Violation]]], OverridesRule]: ...
@overload
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Literal[Scope.ORPHAN_OVERRIDES],
    options: Options = ...,
) -> Callable[[Callable[[OrphanContext], Iterable[Violation]]], OrphanRule]: ...
def rule(
    rule_id: str,
    name: str,
    *,
    severity: str,
    category: str,
    added: str,
    scope: Scope = Scope.ICP,
    options: Options = (),
) -> Callable[[Callable[[C], Iterable[Y]]], Rule[C, Y]]:
    """Register metadata on a check function; the registry in `checks/__init__` orders them.
    `options` are the settings the rule reads (`ctx.option(...)`), listed in its docs;
    `added` is the release that introduced it (the next release, for a new rule)."""
    if not re.fullmatch(r"ICP\d{3}", rule_id) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"bad rule id or name: {rule_id} {name}")
    if not re.fullmatch(r"\d+\.\d+\.\d+", added):
        raise ValueError(f"{rule_id}: `added` must be a release version, not {added!r}")
    kind = Category(category)

    def wrap(func: Callable[[C], Iterable[Y]]) -> Rule[C, Y]:
        return Rule(
            rule_id, name, Severity.parse(severity), scope, func, kind, added, tuple(options)
        )

    return wrap
