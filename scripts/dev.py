#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python 3.11+ (no make, no tox needed).

python3 scripts/dev.py demo    # create .venv, install icpkit; check, backtest, build the site
python3 scripts/dev.py test    # lint, type-check and run the test suite (what CI runs)
python3 scripts/dev.py test --fast   # the same checks, then only the tests not marked slow
python3 scripts/dev.py test --engines spark   # the same checks, then the Spark engine tests
python3 scripts/dev.py lock    # refresh constraints.txt from the newest releases
python3 scripts/dev.py drift   # newest releases in .venv-drift, then the suite (non-blocking)

The dev and CI environment installs from constraints.txt, so a fresh clone passes tomorrow
as it does today; pyproject.toml keeps open ranges for users. `lock` rewrites the file from
whatever the registry serves now; `drift` shows what that would break before anyone runs it.

`test` runs pytest on every core (pytest-xdist, `-n auto`); `test --fast` leaves out the tests
marked `slow` (`@pytest.mark.slow`: builds, pre-commit, the browser, the SQL property test), for
the loop while developing. Any other arguments go to pytest, after ours, so they win:
`scripts/dev.py test tests/diff -n 0 -x`.

The compiled SQL is tested on a real PostgreSQL server: `test` starts a throwaway one
(scripts/pgserver.py) when PostgreSQL's binaries are installed, and stops it afterwards. Where
they are not, it says loudly that the PostgreSQL tests are skipped (ICPKIT_SKIP_ENGINES);
with ICPKIT_REQUIRE_POSTGRES=1 (CI) that is an error instead.

Spark is opt-in, because pyspark takes ~1 minute to install and its JVM ~10 s to start:
`test --engines spark` installs pyspark from constraints.txt if .venv lacks it, then runs
the same checks and only the tests marked `spark` (the equality suite on Spark and `icp
score --engine spark`; ICPKIT_ENGINES=spark adds the engine to their parameters), on one
worker so that one JVM runs at a time: about 7 minutes on two cores.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pgserver  # scripts/pgserver.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("ICPKIT_VENV", ROOT / ".venv"))
LOCK = ROOT / "constraints.txt"
DRIFT_VENV = ROOT / ".venv-drift"
# Installed before the project so that its build (no isolation) uses pinned tools too.
BUILD_TOOLS = ("pip", "setuptools", "wheel")


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


BIN = bin_dir(VENV)


def run(*args: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def require_python() -> None:
    # Runs under whatever python3 the user has, so the check is not dead code.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"icpkit needs Python 3.11 or newer; this is {sys.version.split()[0]}")


def install(env: Path, *, constraints: Path | None, extras: str = "dev") -> None:
    """Create `env` if needed and install icpkit editable with its dev tools."""
    if not (bin_dir(env) / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    pip = (bin_dir(env) / "python", "-m", "pip", "install", "--quiet")
    pinned = ("-c", constraints) if constraints else ("--upgrade",)
    run(*pip, *pinned, *BUILD_TOOLS)
    run(*pip, *pinned, "--no-build-isolation", "-e", f"{ROOT}[{extras}]")


def ensure_env() -> None:
    """The locked environment in .venv, reinstalled whenever pyproject or the lock changes."""
    require_python()
    if not LOCK.is_file():
        sys.exit(f"{LOCK.name} is missing: run `python3 scripts/dev.py lock` to create it")
    stamp = VENV / ".icpkit-installed"
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes() + sys.version.encode()
    ).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest and (BIN / "python").exists():
        return
    install(VENV, constraints=LOCK)
    stamp.write_text(digest)


def demo() -> int:
    ensure_env()
    checked = run(BIN / "icp", "check", "icps", check=False)
    tested = run(BIN / "icp", "backtest", check=False)
    built = run(BIN / "icp", "site", "build", check=False)
    if not built:
        print(f"The site is in {ROOT / 'site'}; preview it with: {BIN / 'icp'} site serve")
    return checked or tested or built


def suite(bin_path: Path, pytest_args: list[str], *, postgres: bool = True) -> int:
    run(bin_path / "ruff", "check", "src", "tests", "benchmarks", "scripts")
    run(bin_path / "ruff", "format", "--check", "src", "tests", "benchmarks", "scripts")
    run(bin_path / "mypy")
    # The layering contract (pyproject's [tool.importlinter]); no cache, so a stale one
    # from another checkout can never pass a broken import.
    run(bin_path / "lint-imports", "--no-cache")
    if not postgres:  # the Spark tests need no PostgreSQL server
        return run(bin_path / "python", "-m", "pytest", *pytest_args, check=False)
    with postgres_for_tests() as skipped:
        status = run(bin_path / "python", "-m", "pytest", *pytest_args, check=False)
    if skipped:
        print(f"*** PostgreSQL tests SKIPPED: {skipped} ***", flush=True)
    return status


SKIP_VAR = "ICPKIT_SKIP_ENGINES"


@contextmanager
def postgres_for_tests() -> Iterator[str]:
    """ICPKIT_POSTGRES_URL for pytest: the caller's server, or a throwaway one for the run.
    Without PostgreSQL, the reason the tests are skipped (an explicit skip for pytest)."""
    told = {n.strip().lower() for n in os.environ.get(SKIP_VAR, "").split(",")}
    if os.environ.get(pgserver.URL_VAR) or "postgres" in told:
        yield "" if "postgres" not in told else f"{SKIP_VAR} names postgres"
        return
    with ExitStack() as server:
        try:
            url = server.enter_context(pgserver.running())
        except pgserver.ServerError as exc:
            reason = str(exc)
        else:
            print(f"+ PostgreSQL test server at {url}", flush=True)
            os.environ[pgserver.URL_VAR] = url
            try:
                yield ""
            finally:
                del os.environ[pgserver.URL_VAR]
            return
    if os.environ.get("ICPKIT_REQUIRE_POSTGRES"):
        sys.exit(f"ICPKIT_REQUIRE_POSTGRES is set, but there is no PostgreSQL server: {reason}")
    os.environ[SKIP_VAR] = ",".join(sorted((told - {""}) | {"postgres"}))
    yield reason


ENGINES_VAR = "ICPKIT_ENGINES"
OPT_IN_ENGINES = ("spark",)


def test() -> int:
    ensure_env()
    engines, args = engine_options(sys.argv[2:])
    if not engines:
        return suite(BIN, pytest_options(args))
    for engine in engines:
        ensure_engine(engine)
    os.environ[ENGINES_VAR] = ",".join(engines)
    # Only the engines' own tests, on one worker: each worker would start its own JVM.
    marked = " or ".join(engines)
    return suite(BIN, ["-n", "0", "-m", marked, *args], postgres=False)


def engine_options(args: list[str]) -> tuple[list[str], list[str]]:
    """`--engines spark` (or `--engines=spark`) taken out of `args`: the engines, the rest."""
    engines: list[str] = []
    rest: list[str] = []
    values = iter(args)
    for arg in values:
        if arg == "--engines" or arg.startswith("--engines="):
            named = arg.partition("=")[2] if "=" in arg else next(values, "")
            engines += [n.strip().lower() for n in named.split(",") if n.strip()]
        else:
            rest.append(arg)
    unknown = sorted(set(engines) - set(OPT_IN_ENGINES))
    if unknown or (not engines and len(rest) < len(args)):
        named = ", ".join(unknown) or "(none)"
        sys.exit(f"--engines takes {', '.join(OPT_IN_ENGINES)}; not {named}")
    return list(dict.fromkeys(engines)), rest


def ensure_engine(engine: str) -> None:
    """The engine's driver in .venv, as constraints.txt pins it (the `spark` extra)."""
    module = {"spark": "pyspark"}[engine]
    found = subprocess.run([BIN / "python", "-c", f"import {module}"], capture_output=True)
    if found.returncode != 0:
        run(BIN / "python", "-m", "pip", "install", "--quiet", "-c", LOCK, module)


def pytest_options(args: list[str]) -> list[str]:
    """Ours first, so that the user's own `-n` or `-m` overrides them."""
    fast = "--fast" in args
    rest = [a for a in args if a != "--fast"]
    return ["-n", "auto", *(["-m", "not slow"] if fast else []), *rest]


def lock() -> int:
    """Resolve the newest releases in a throwaway venv and pin them all in constraints.txt."""
    require_python()
    with tempfile.TemporaryDirectory(prefix="icpkit-lock-") as scratch:
        env = Path(scratch) / "venv"
        # The opt-in engines too, so that `test --engines spark` installs pinned releases.
        install(env, constraints=None, extras="dev,spark")
        frozen = _freeze(env)
    pins = sorted(
        (line for line in frozen.splitlines() if line and not line.startswith("#")),
        key=str.casefold,
    )
    header = [
        "# What the dev and CI environment installs (scripts/dev.py, .ci/run): every package",
        "# pinned, so a fresh clone resolves the same releases tomorrow as today.",
        f"# Resolved on Python {sys.version_info.major}.{sys.version_info.minor}. Refresh with:",
        "#   python3 scripts/dev.py lock",
        "# and see what newer releases would break with: python3 scripts/dev.py drift",
    ]
    tmp = LOCK.with_name(LOCK.name + ".tmp")
    tmp.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")
    tmp.replace(LOCK)
    print(f"wrote {LOCK.name}: {len(pins)} pins")
    return 0


def drift() -> int:
    """The suite against the newest releases, in its own venv: a warning, never a gate."""
    require_python()
    if DRIFT_VENV.exists():
        shutil.rmtree(DRIFT_VENV)
    install(DRIFT_VENV, constraints=None)
    frozen = _freeze(DRIFT_VENV)
    locked = {_name(line): line for line in LOCK.read_text().splitlines() if "==" in line}
    moved = [
        f"  {locked[_name(line)]} -> {line.split('==', 1)[1]}"
        for line in frozen.splitlines()
        if "==" in line and _name(line) in locked and locked[_name(line)] != line
    ]
    print("Newer than constraints.txt:" if moved else "constraints.txt is up to date.")
    print("\n".join(moved))
    status = suite(bin_dir(DRIFT_VENV), pytest_options(sys.argv[2:]))
    verdict = "passes" if status == 0 else "FAILS"
    print(f"The suite {verdict} on the newest releases; refresh with `scripts/dev.py lock`.")
    return status


def _freeze(env: Path) -> str:
    """What `env` holds, as pins (pip, setuptools and wheel included, icpkit left out)."""
    return subprocess.run(
        [bin_dir(env) / "python", "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _name(pin: str) -> str:
    return pin.split("==", 1)[0].strip().casefold().replace("_", "-")


def setup() -> int:
    ensure_env()
    return 0


def main() -> int:
    commands: dict[str, Callable[[], int]] = {
        "demo": demo,
        "test": test,
        "lock": lock,
        "drift": drift,
        "setup": setup,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    try:
        return commands[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main())
