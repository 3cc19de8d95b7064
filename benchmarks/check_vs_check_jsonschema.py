#!/usr/bin/env python3
"""`icp check` (schema + every rule) beside check-jsonschema (schema only), same 50 files.

Prints wall-clock medians over several runs and the ratio icp / check-jsonschema.
Target: ratio <= 1.0. Run: python benchmarks/check_vs_check_jsonschema.py [--runs 7]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 50


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def _make_files(folder: Path) -> list[Path]:
    sources = sorted((ROOT / "icps").glob("*.yaml"))
    paths = []
    for index in range(FILES):
        source = sources[index % len(sources)]
        icp_id = f"{source.stem}-{index:02d}"
        text = re.sub(r"^id: .*$", f"id: {icp_id}", source.read_text(), count=1, flags=re.M)
        path = folder / f"{icp_id}.yaml"
        path.write_text(text)
        paths.append(path)
    return paths


def _packaged_schema() -> str:
    """The ICP schema as the installed package ships it (wherever the package keeps it)."""
    from importlib.resources import files

    return (files("icpkit.format") / "schema" / "icp.schema.json").read_text(encoding="utf-8")


def _time(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = [str(p) for p in _make_files(folder)]
        schema = folder / "icp.schema.json"
        schema.write_text(_packaged_schema())
        icp = [_tool("icp"), "check", "--no-baseline", *files]
        cjs = [_tool("check-jsonschema"), "--schemafile", str(schema), *files]
        for command in (icp, cjs):  # warm caches and show that both accept the files
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            rules = sorted(set(re.findall(r"\[(ICP\d{3})\]", done.stdout)))
            note = (
                f" (findings: {', '.join(rules)}; copies of one ICP share a segment)"
                if rules
                else ""
            )
            print(f"{Path(command[0]).name}: exit {done.returncode}{note}", file=sys.stderr)
        icp_s = _time(icp, runs)
        cjs_s = _time(cjs, runs)
    print(f"files: {FILES}, runs: {runs} (median wall clock)")
    print(f"icp check (schema + {_rule_count()} rules): {icp_s * 1000:8.1f} ms")
    print(f"check-jsonschema (schema only): {cjs_s * 1000:8.1f} ms")
    print(f"ratio icp / check-jsonschema: {icp_s / cjs_s:.2f} (target <= 1.00)")


def _rule_count() -> int:
    from icpkit.checks import RULES

    return len(RULES)


if __name__ == "__main__":
    main()
