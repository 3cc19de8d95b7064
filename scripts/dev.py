#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11+ (no make, no tox needed).

python3 scripts/dev.py demo    # create .venv, install icpkit; check, backtest, build the site
python3 scripts/dev.py test    # lint, type-check and run the test suite (what CI runs)
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("ICPKIT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def run(*args: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def ensure_env() -> None:
    """Create the virtualenv and install icpkit with its dev tools, once per change."""
    # Runs under whatever python3 the user has, so the check is not dead code.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"icpkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".icpkit-installed"
    pyproject = ROOT / "pyproject.toml"
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]")
    stamp.touch()


def demo() -> int:
    ensure_env()
    checked = run(BIN / "icp", "check", "icps", check=False)
    tested = run(BIN / "icp", "backtest", check=False)
    built = run(BIN / "icp", "site", "build", check=False)
    if not built:
        print(f"The site is in {ROOT / 'site'}; preview it with: {BIN / 'icp'} site serve")
    return checked or tested or built


def test() -> int:
    ensure_env()
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "scripts")
    run(BIN / "ruff", "format", "--check", "src", "tests", "benchmarks", "scripts")
    run(BIN / "mypy")
    return run(BIN / "python", "-m", "pytest", *sys.argv[2:], check=False)


def main() -> int:
    commands = {"demo": demo, "test": test, "setup": lambda: ensure_env() or 0}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        return commands[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
