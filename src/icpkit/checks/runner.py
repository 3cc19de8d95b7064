"""Run the rules over ICP files: `icpkit.check(paths) -> Report`."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from icpkit.checks import RULES, AnyRule, find_rule
from icpkit.checks import suppression as inline
from icpkit.checks.baseline import Baseline, load_baseline, write_baseline
from icpkit.checks.config import load_config
from icpkit.checks.rule import (
    BaselineContext,
    DocContext,
    IcpContext,
    OrphanContext,
    OverridesContext,
    ProjectContext,
    is_baseline_rule,
    is_doc_rule,
    is_icp_rule,
    is_orphan_rule,
    is_overrides_rule,
    is_project_rule,
)
from icpkit.errors import ConfigError, UsageError
from icpkit.findings import Finding, Severity, Violation, format_path
from icpkit.format import schema
from icpkit.format.loader import Document, load_file
from icpkit.format.model import build_icp
from icpkit.paths import display_path
from icpkit.project.discovery import Found, discover_with_overrides, overrides_near
from icpkit.project.overrides import (
    OverridesReader,
    find_overrides,
    overrides_id,
    overrides_readers,
)
from icpkit.project.settings import Config
from icpkit.scorer.override_facts import FactsReader


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    files: tuple[str, ...] = ()
    rules: tuple[AnyRule, ...] = RULES
    fail_on: Severity = Severity.WARNING
    docs_url: str = ""
    baseline_written: int | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> bool:
        return any(f.severity.rank >= self.fail_on.rank for f in self.findings)

    @property
    def files_with_findings(self) -> int:
        return len({f.file for f in self.findings})


@dataclass
class _Plan:
    config: Config
    enabled: list[AnyRule]
    severity: dict[str, Severity]
    baseline: Baseline | None
    docs: list[tuple[Document, str]] = field(default_factory=list)
    facts: FactsReader | None = None
    # ICP files loaded, by resolved path, and the overrides files their ICPs read.
    icp_docs: dict[Path, Document] = field(default_factory=dict)
    read_overrides: set[Path] = field(default_factory=set)

    def load_icp(self, path: Path) -> Document:
        key = path.resolve()
        if key not in self.icp_docs:
            self.icp_docs[key] = load_file(path, max_bytes=self.config.max_file_bytes)
        return self.icp_docs[key]


def check(
    paths: Sequence[str | Path] = (),
    *,
    config: Config | None = None,
    fail_on: Severity | None = None,
    use_baseline: bool = True,
    write_baseline_to: Path | None = None,
    facts: FactsReader | None = None,
) -> Report:
    """Check ICP files (or folders of them) and return every finding, suppressed or not.
    `facts` reads an ICP's data for the rules on its overrides file (`icp check` passes
    `scorer.override_data.override_facts`); without it they say they cannot check."""
    config = config or load_config()
    plan = _plan(config, use_baseline)
    plan.facts = facts
    files = discover_with_overrides(paths, config)
    found: list[Finding] = []
    contexts: list[IcpContext] = []
    for path in files.icps:
        doc = plan.load_icp(path)
        shown = display_path(path)
        plan.docs.append((doc, shown))
        found.extend(_check_document(doc, shown, plan, contexts))
    found.extend(_check_project(contexts, plan))
    found.extend(_check_unread(files, plan))
    active, suppressed = _suppress_inline(found, plan)
    written = None
    if write_baseline_to is not None:
        written = write_baseline(
            write_baseline_to,
            (
                (_relative(f.file, write_baseline_to.parent), f)
                for f in sorted(active, key=lambda f: f.sort_key)
            ),
            plan.baseline,
        )
        plan.baseline = load_baseline(write_baseline_to)
    if plan.baseline is not None:
        active, more = _apply_baseline(active, plan)
        suppressed.extend(more)
    return Report(
        findings=tuple(sorted(active, key=lambda f: f.sort_key)),
        suppressed=tuple(sorted(suppressed, key=lambda f: f.sort_key)),
        files=tuple(shown for _, shown in plan.docs),
        rules=tuple(plan.enabled),
        fail_on=fail_on or config.fail_on,
        docs_url=config.docs_url,
        baseline_written=written,
    )


def _plan(config: Config, use_baseline: bool) -> _Plan:
    try:
        disabled = {find_rule(key).id for key in config.disable}
        severity = {find_rule(key).id: level for key, level in config.severity.items()}
    except UsageError as exc:
        raise ConfigError(f"{config.source}: {exc}") from None
    enabled = [r for r in RULES if r.id not in disabled]
    baseline = None
    if use_baseline and config.baseline.is_file():
        baseline = load_baseline(config.baseline)
    return _Plan(config, enabled, severity, baseline)


def _check_document(
    doc: Document, shown: str, plan: _Plan, contexts: list[IcpContext]
) -> Iterable[Finding]:
    settings = plan.config.settings
    schema_violations: tuple[Violation, ...] = ()
    if doc.readable:
        schema_violations = tuple(schema.validate(doc))
    doc_ctx = DocContext(doc, settings, schema_violations)
    for rule in plan.enabled:
        if is_doc_rule(rule):
            for violation in rule.func(doc_ctx):
                yield _stamp(rule, violation, doc, shown, plan)
    if not doc.readable or schema_violations:
        return  # rules below read the model, which only schema-valid data can build
    ctx = IcpContext(build_icp(doc.data), doc, settings, plan.config)
    contexts.append(ctx)
    for rule in plan.enabled:
        if is_icp_rule(rule):
            for violation in rule.func(ctx):
                yield _stamp(rule, violation, doc, shown, plan)
    yield from _check_overrides(ctx, plan)


def _check_overrides(entry: IcpContext, plan: _Plan) -> Iterable[Finding]:
    """The rules on the ICP's overrides file, when it has one: placed in that file."""
    rules = [r for r in plan.enabled if is_overrides_rule(r)]
    found = find_overrides(entry.icp, entry.doc.path, plan.config) if rules else None
    if found is None or found.path.resolve() in plan.read_overrides:
        return  # none, or read already for an ICP of the same id (ICP025 says so)
    shown = display_path(found.path)
    plan.docs.append((found.doc, shown))
    plan.read_overrides.add(found.path.resolve())
    reader = plan.facts
    facts = None
    if reader is not None:
        facts = functools.cache(lambda: reader(entry.icp, entry.doc.path, plan.config))
    ctx = OverridesContext(entry, found, plan.config.settings, facts)
    for rule in rules:
        if is_overrides_rule(rule):
            for violation in rule.func(ctx):
                yield _stamp(rule, violation, found.doc, shown, plan)


def _check_unread(files: Found, plan: _Plan) -> Iterable[Finding]:
    """The overrides files this run found (named, below a folder named, or where the ICPs
    it checked read theirs) that none of its ICPs read. One no ICP of the project reads is
    an orphan (ICP055); one named alone, as a hook names what changed, is checked with
    the ICP that reads it; any other is left to a run that checks its ICP."""
    near = overrides_near(files.icps, plan.config)
    unique = {p.resolve(): p for p in [*near, *files.overrides]}
    left = {key: p for key, p in unique.items() if key not in plan.read_overrides}
    if not left:
        return
    readers = overrides_readers(plan.config, files.icps, plan.load_icp)
    owners = {r.overrides.resolve(): r for r in readers}
    checked = {p.resolve() for p in files.icps}
    for key, path in left.items():
        owner = owners.get(key)
        if owner is None:
            yield from _check_orphan(path, readers, plan)
        elif key in files.named and owner.icp_path.resolve() not in checked:
            checked.add(owner.icp_path.resolve())
            yield from _check_with_owner(owner.icp_path, plan)


def _check_with_owner(icp_path: Path, plan: _Plan) -> Iterable[Finding]:
    """The overrides rules on the file the ICP reads; its own rules only when it is too
    broken to read them (they say why, where a pass would say nothing)."""
    doc = plan.load_icp(icp_path)
    if doc.readable and not schema.validate(doc):
        entry = IcpContext(build_icp(doc.data), doc, plan.config.settings, plan.config)
        yield from _check_overrides(entry, plan)
        return
    shown = display_path(icp_path)
    plan.docs.append((doc, shown))
    yield from _check_document(doc, shown, plan, [])


def _check_orphan(path: Path, readers: Sequence[OverridesReader], plan: _Plan) -> Iterable[Finding]:
    rules = [r for r in plan.enabled if is_orphan_rule(r)]
    if not rules:
        return
    doc = load_file(path, max_bytes=plan.config.max_file_bytes)
    shown = display_path(path)
    plan.docs.append((doc, shown))
    ctx = OrphanContext(doc, path.name, overrides_id(path), tuple(readers), plan.config.settings)
    for rule in rules:
        if is_orphan_rule(rule):  # again, for the type checker: `rules` holds AnyRule
            for violation in rule.func(ctx):
                yield _stamp(rule, violation, doc, shown, plan)


def _check_project(contexts: list[IcpContext], plan: _Plan) -> Iterable[Finding]:
    shown = {id(doc): name for doc, name in plan.docs}
    project = ProjectContext(tuple(contexts), plan.config.settings)
    for rule in plan.enabled:
        if is_project_rule(rule):
            for entry, violation in rule.func(project):
                yield _stamp(rule, violation, entry.doc, shown[id(entry.doc)], plan)


def _stamp(rule: AnyRule, violation: Violation, doc: Document, shown: str, plan: _Plan) -> Finding:
    mark = violation.mark or doc.locate(violation.path)
    return Finding(
        file=shown,
        line=mark.line,
        column=mark.column,
        rule_id=rule.id,
        rule_name=rule.name,
        severity=plan.severity.get(rule.id, rule.severity),
        message=violation.message,
        json_path=format_path(violation.path),
    )


def _suppress_inline(found: list[Finding], plan: _Plan) -> tuple[list[Finding], list[Finding]]:
    directives = {shown: inline.parse(doc.lines) for doc, shown in plan.docs}
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in found:
        reason = (
            directives[finding.file].reason_for((finding.rule_id, finding.rule_name), finding.line)
            if finding.file in directives
            else None
        )
        if reason is None:
            active.append(finding)
        else:
            suppressed.append(replace(finding, suppressed_by=reason))
    return active, suppressed


def _apply_baseline(found: list[Finding], plan: _Plan) -> tuple[list[Finding], list[Finding]]:
    baseline = plan.baseline
    assert baseline is not None
    root = baseline.source.parent
    today = plan.config.settings.today
    index = {entry.key: i for i, entry in enumerate(baseline.entries)}
    used: set[int] = set()
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in found:
        key = (finding.rule_id, _relative(finding.file, root), finding.json_path)
        position = index.get(key)
        if position is None:
            active.append(finding)
            continue
        used.add(position)
        entry = baseline.entries[position]
        if entry.expires is not None and entry.expires < today:
            active.append(finding)
        else:
            suppressed.append(replace(finding, suppressed_by=f"baseline: {entry.reason}"))
    checked = frozenset(_relative(shown, root) for _, shown in plan.docs)
    ctx = BaselineContext(baseline, frozenset(used), today.isoformat(), checked)
    shown = display_path(baseline.source)
    for rule in plan.enabled:
        if is_baseline_rule(rule):
            for violation in rule.func(ctx):
                mark = violation.mark
                assert mark is not None
                active.append(
                    Finding(
                        shown,
                        mark.line,
                        mark.column,
                        rule.id,
                        rule.name,
                        plan.severity.get(rule.id, rule.severity),
                        violation.message,
                    )
                )
    return active, suppressed


def _relative(shown: str, root: Path) -> str:
    absolute = Path(shown).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()
