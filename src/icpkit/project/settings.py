"""Project settings: `icp.toml`, or `[tool.icp]` in pyproject.toml, found upwards from a folder."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from icpkit.bounds import DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_ROWS, InputLimits
from icpkit.errors import ConfigError
from icpkit.findings import Severity
from icpkit.format.loader import DEFAULT_MAX_BYTES
from icpkit.project.mapping import DataMapping, build_mapping
from icpkit.project.options import Option

T = TypeVar("T")

DEFAULT_DOCS_URL = "https://icpkit.github.io/icpkit/rules/"
DEFAULT_BASELINE = "icp-baseline.yaml"
DEFAULT_AUC_TOLERANCE = 0.02  # about the noise of AUC on a few hundred deals
TODAY_ENV = "ICP_TODAY"


@dataclass(frozen=True)
class Settings:
    """What the rules read: the date, the options they declare, and project-wide inputs."""

    today: dt.date
    # Declared options by key, validated and parsed; an option not set reads its default.
    options: Mapping[str, object] = field(default_factory=dict)
    # The market to measure coverage on (ICP032), read with the project's mapping.
    universe: Path | None = None
    max_coverage: float = 0.15
    mapping: DataMapping = field(default_factory=DataMapping)
    limits: InputLimits = field(default_factory=InputLimits)

    def option(self, option: Option[T]) -> T:
        if option.key not in self.options:
            return option.default
        # Safe: the loader stored what this declaration's parse returned for its key.
        return cast(T, self.options[option.key])


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None = None
    paths: tuple[str, ...] = ("icps",)
    fail_on: Severity = Severity.WARNING
    disable: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    baseline_name: str = DEFAULT_BASELINE
    max_file_bytes: int = DEFAULT_MAX_BYTES
    docs_url: str = DEFAULT_DOCS_URL
    auc_tolerance: float = DEFAULT_AUC_TOLERANCE
    settings: Settings = field(default_factory=lambda: Settings(today=today()))
    mapping: DataMapping = field(default_factory=DataMapping)
    # Account attributes joined onto deals that lack them (two-file exports such as Maven's).
    accounts: Path | None = None
    # CSV cells as scored, without the spreadsheet-formula guard (for machine pipelines).
    csv_raw: bool = False
    # `icp export`'s defaults ([tool.icp.export]): column labels, the CRM id, industries.
    export: ExportSettings = field(default_factory=lambda: ExportSettings())
    limits: InputLimits = field(default_factory=InputLimits)
    # Folders outside the project that its files may name (allow-outside), resolved.
    allow_outside: tuple[Path, ...] = ()
    # Where each ICP's <id>.overrides.yaml lives (overrides-dir); None: beside the ICP.
    overrides_dir: Path | None = None

    @property
    def baseline(self) -> Path:
        """Where the baseline is read (when it exists) and written by --write-baseline."""
        return self.root / self.baseline_name


@dataclass(frozen=True)
class ExportSettings:
    """`[tool.icp.export]`: what an unattended `icp export` job would otherwise pass."""

    # Output column -> the header the CRM import expects (band -> ICP_Band__c).
    labels: Mapping[str, str] = field(default_factory=dict)
    id_column: str | None = None
    # ICP industry value -> LinkedIn industry names, for the targeting exports.
    industries: Path | None = None


def _export(source: Path, table: Mapping[str, Any], allowed: tuple[Path, ...]) -> ExportSettings:
    industries = None
    if "industries" in table:
        industries = source.parent / table["industries"]
        if not inside(industries, source.parent, allowed):
            where = f"{source}: export.industries"
            raise ConfigError(outside_message(where, table["industries"], industries))
    return ExportSettings(dict(table.get("labels", {})), table.get("id-column"), industries)


def today() -> dt.date:
    """Today, or the date in ICP_TODAY: staleness checks must be reproducible in CI."""
    pinned = os.environ.get(TODAY_ENV)
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise ConfigError(f"{TODAY_ENV}={pinned!r} is not an ISO date (YYYY-MM-DD)") from None


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest icp.toml, or pyproject.toml with [tool.icp], at or above `start`."""
    for folder in (start, *start.parents):
        candidate = folder / "icp.toml"
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("icp")
            if table is not None:
                return pyproject, table
    return None


def read_config(
    start: Path | None = None,
    *,
    explicit: Path | None = None,
    options: Sequence[Option[Any]] | None = (),
) -> Config:
    """The project's settings, with the `options` the rules declare (any other key is an
    error): `icpkit.checks.config.load_config` passes every rule's. `options=None` is for a
    command that cannot import the rules and reads no option of theirs (`icp compile`): keys
    the project schema does not know are then left to `icp check` to validate."""
    start = (start or Path.cwd()).resolve()
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        raw = _read_toml(explicit)
        # A [tool.icp] table is the settings whatever the file is called (a copy of a
        # pyproject.toml, a shared ci.toml); a bare table is an icp.toml.
        nested = raw.get("tool", {})
        if explicit.name == "pyproject.toml" or (isinstance(nested, dict) and "icp" in nested):
            raw = nested.get("icp", {}) if isinstance(nested, dict) else {}
        found: tuple[Path, dict[str, Any]] | None = (explicit, raw)
    else:
        found = find_config(start)
    if found is None:
        return Config(root=start)
    source, table = found
    _validate(source, table, options)
    config = _build(source, table, options)
    for outcomes in (config.mapping.outcomes, config.mapping.customer_outcomes):
        seen: dict[str, str] = {}
        for outcome, labels in outcomes.items():
            for label in labels:
                other = seen.setdefault(label.strip().casefold(), outcome)
                if other != outcome:
                    raise ConfigError(
                        f"{source}: outcome label {label!r} is both {other} and {outcome}"
                    )
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def _validate(source: Path, table: dict[str, Any], options: Sequence[Option[Any]] | None) -> None:
    from jsonschema import Draft202012Validator

    from icpkit.format.schema import schema_text

    schema = json.loads(schema_text("config.schema.json"))
    if options is None:
        schema["additionalProperties"] = True
    for option in options or ():
        schema["properties"][option.key] = {**option.schema, "description": option.help}
    section = "[tool.icp]" if source.name == "pyproject.toml" else source.name
    for where, value in _not_finite(table):
        # TOML allows nan and inf, and JSON Schema's bounds let nan through (it compares
        # false with both): a threshold of nan would make every gate and rule pass or fail.
        raise ConfigError(
            f"{source}: {section} key '{where}': {value} is not a usable number; "
            "write a finite number"
        )
    known = list(schema["properties"])
    for error in sorted(Draft202012Validator(schema).iter_errors(table), key=lambda e: e.path):
        if error.validator == "additionalProperties":
            for key in sorted(set(error.instance) - set(known)):
                near = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                raise ConfigError(f"{source}: {section} unknown key '{key}'{hint}")
        where = ".".join(str(p) for p in error.absolute_path) or "(top)"
        raise ConfigError(f"{source}: {section} key '{where}': {error.message}")
    for name, codes in (table.get("values") or {}).items():
        if isinstance(codes, dict) and any(not str(code).strip() for code in codes):
            # Empty cells are unknown before any mapping reads them: the entry would be
            # accepted and never used, which is worse than refused.
            raise ConfigError(
                f"{source}: {section} key 'values.{name}' maps an empty cell, which is "
                "always unknown (not a value): fill the cells in the export, or let the "
                "field score as unknown there"
            )


def _not_finite(value: Any, where: str = "") -> Iterator[tuple[str, float]]:
    """Every nan or inf in the settings, with its dotted key."""
    if isinstance(value, float) and not math.isfinite(value):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _not_finite(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _not_finite(item, f"{where}[{index}]")


def _build(source: Path, table: dict[str, Any], options: Sequence[Option[Any]] | None) -> Config:
    root = source.parent
    defaults = Settings(today=today())
    mapping = build_mapping(table)
    limits = InputLimits(
        max_bytes=table.get("max-input-bytes", DEFAULT_MAX_INPUT_BYTES),
        max_rows=table.get("max-rows", DEFAULT_MAX_ROWS),
    )
    allowed = tuple((root / folder).resolve() for folder in table.get("allow-outside", ()))

    def named(key: str) -> Path | None:
        if key not in table:
            return None
        path: Path = root / table[key]
        if not inside(path, root, allowed):
            raise ConfigError(outside_message(f"{source}: {key}", table[key], path))
        return path

    for folder in table.get("paths", ()):
        if not inside(root / folder, root, allowed):
            raise ConfigError(outside_message(f"{source}: paths", folder, root / folder))
    return Config(
        root=root,
        source=source,
        paths=tuple(table.get("paths", ("icps",))),
        fail_on=Severity.parse(table.get("fail-on", "warning")),
        disable=tuple(table.get("disable", ())),
        severity={k: Severity.parse(v) for k, v in table.get("severity", {}).items()},
        baseline_name=table.get("baseline", DEFAULT_BASELINE),
        max_file_bytes=table.get("max-file-bytes", DEFAULT_MAX_BYTES),
        docs_url=table.get("docs-url", DEFAULT_DOCS_URL),
        auc_tolerance=float(table.get("auc-tolerance", DEFAULT_AUC_TOLERANCE)),
        settings=Settings(
            today=defaults.today,
            options={o.key: o.parse(table[o.key]) for o in options or () if o.key in table},
            universe=named("universe"),
            max_coverage=float(table.get("max-coverage", defaults.max_coverage)),
            mapping=mapping,
            limits=limits,
        ),
        mapping=mapping,
        accounts=named("accounts"),
        export=_export(source, table.get("export") or {}, allowed),
        csv_raw=table.get("csv-raw", False),
        limits=limits,
        allow_outside=allowed,
        overrides_dir=named("overrides-dir"),
    )


def inside(path: Path, root: Path, allowed: tuple[Path, ...] = ()) -> bool:
    """Whether `path`, once `..` and symlinks are resolved, is in `root` or an allowed folder.
    Files a project names come from PR authors: they must not read the machine around it."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in (root.resolve(), *allowed))


def outside_message(where: str, named: object, path: Path) -> str:
    return (
        f"{where}: {str(named)!r} resolves to {path.resolve()}, outside the project; "
        "files a project names stay inside it (name the folder in allow-outside in "
        "[tool.icp] to allow it)"
    )
