from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from icpkit.checks.runner import Report
from icpkit.findings import Finding


class JunitReporter:
    """JUnit XML: one test case per finding, and one passing case per clean file."""

    def render(self, report: Report) -> str:
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            by_file[finding.file].append(finding)
        total = sum(max(1, len(by_file[name])) for name in report.files)
        extra = [f for f in report.findings if f.file not in report.files]
        suites = ET.Element("testsuites", name="icp check")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="icp check",
            tests=str(total + len(extra)),
            failures=str(len(report.findings)),
            errors="0",
            skipped=str(len(report.suppressed)),
        )
        for name in report.files:
            findings = by_file.get(name, [])
            if not findings:
                ET.SubElement(suite, "testcase", classname=name, name=name)
            for finding in findings:
                self._failure(suite, finding)
        for finding in extra:
            self._failure(suite, finding)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"

    @staticmethod
    def _failure(suite: ET.Element, f: Finding) -> None:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f.file,
            name=f"{f.rule_id} {f.rule_name} at {f.file}:{f.line}:{f.column}",
        )
        failure = ET.SubElement(
            case, "failure", message=f.message, type=f"{f.severity.value} {f.rule_id}"
        )
        failure.text = f"{f.file}:{f.line}:{f.column}: {f.severity.value} [{f.rule_id}] {f.message}"
