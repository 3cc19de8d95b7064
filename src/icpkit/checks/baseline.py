"""The baseline: findings accepted on purpose, each with a reason and an optional expiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from icpkit.errors import ConfigError
from icpkit.fileio import atomic_write_text
from icpkit.findings import Finding, Mark
from icpkit.format.loader import load_file

HEADER = (
    "# icpkit baseline: findings accepted on purpose.\n"
    "# Each entry needs a reason; add `expires: YYYY-MM-DD` to make the team revisit it.\n"
    "# Regenerate with `icp check --write-baseline` (reasons and expiry dates are kept).\n"
)


@dataclass(frozen=True)
class Entry:
    rule: str
    file: str
    path: str
    reason: str
    mark: Mark
    expires: dt.date | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.file, self.path)


@dataclass(frozen=True)
class Baseline:
    source: Path
    entries: tuple[Entry, ...]


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise ConfigError(f"baseline file not found: {path}")
    doc = load_file(path)
    if not doc.readable:
        _, violation = doc.violations[0]
        mark = violation.mark or Mark(1, 1)
        raise ConfigError(f"{path}:{mark.line}:{mark.column}: {violation.message}")
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("accepted", []), list):
        raise ConfigError(f"{path}: a baseline is a map with an `accepted` list")
    entries = []
    for index, item in enumerate(data.get("accepted") or []):
        mark = doc.locate(("accepted", index))
        where = f"{path}:{mark.line}:{mark.column}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: each accepted finding is a map")
        missing = [k for k in ("rule", "file", "path", "reason") if not item.get(k)]
        if missing:
            raise ConfigError(f"{where}: accepted finding needs `{'`, `'.join(missing)}`")
        expires = item.get("expires")
        try:
            expiry = dt.date.fromisoformat(str(expires)) if expires else None
        except ValueError:
            raise ConfigError(f"{where}: `expires` {expires!r} is not an ISO date") from None
        entries.append(
            Entry(
                str(item["rule"]),
                str(item["file"]),
                str(item["path"]),
                str(item["reason"]),
                mark,
                expiry,
            )
        )
    return Baseline(path, tuple(entries))


def write_baseline(
    path: Path, findings: Iterable[tuple[str, Finding]], previous: Baseline | None
) -> int:
    """Write the baseline for `(file relative to the baseline, finding)` pairs; keep reasons."""
    kept = {e.key: e for e in previous.entries} if previous else {}
    rows: list[dict[str, object]] = []
    for file, finding in findings:
        key = (finding.rule_id, file, finding.json_path)
        old = kept.get(key)
        row: dict[str, object] = {
            "rule": finding.rule_id,
            "file": file,
            "path": finding.json_path,
            "reason": old.reason if old else f"TODO: why is this accepted? ({finding.message})",
        }
        if old and old.expires:
            row["expires"] = old.expires.isoformat()
        if row not in rows:
            rows.append(row)
    body = yaml.safe_dump({"accepted": rows}, sort_keys=False, allow_unicode=True, width=100)
    atomic_write_text(path, HEADER + body)
    return len(rows)
