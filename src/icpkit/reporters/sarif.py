from __future__ import annotations

import json
from typing import Any

from icpkit.checks.runner import Report
from icpkit.findings import Finding, Severity
from icpkit.reporters.common import help_url
from icpkit.version import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SarifReporter:
    """SARIF 2.1.0 for code scanning, with a help link per rule; suppressions included."""

    def render(self, report: Report) -> str:
        rules = list(report.rules)
        index = {r.id: i for i, r in enumerate(rules)}
        driver: dict[str, Any] = {
            "name": "icpkit",
            "version": __version__,
            "informationUri": report.docs_url,
            "rules": [
                {
                    "id": r.id,
                    "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": r.section("What it does") or r.summary},
                    "help": {
                        "text": r.section("Why is this bad?"),
                        "markdown": r.section("Why is this bad?"),
                    },
                    "helpUri": help_url(report, r.id),
                    "defaultConfiguration": {"level": _LEVEL[r.severity]},
                    # GitHub code scanning shows tags as filters on the alert list.
                    "properties": {"tags": [r.category.value]},
                }
                for r in rules
            ],
        }
        results = [self._result(f, index, None) for f in report.findings]
        results += [self._result(f, index, f.suppressed_by) for f in report.suppressed]
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": results}],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"

    @staticmethod
    def _result(f: Finding, index: dict[str, int], suppressed_by: str | None) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.json_path}],
                }
            ],
        }
        if f.rule_id in index:
            result["ruleIndex"] = index[f.rule_id]
        if suppressed_by:
            kind = "external" if suppressed_by.startswith("baseline") else "inSource"
            result["suppressions"] = [{"kind": kind, "justification": suppressed_by}]
        return result
