"""One exit code per outcome, as the installed `icp` gives it: 0 clean, 1 findings, 2 usage,
settings or input, 3 internal error, 130 interrupted."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpkit.cli import cli
from icpkit.cli.errors import ISSUES_URL, ExitCode
from tests.conftest import ROOT, TODAY, merge, run_icp

MIDMARKET = "icps/midmarket-saas-revops.yaml"
DEALS = "fixtures/deals/midmarket-saas-revops.csv"
SRC = ROOT / "src" / "icpkit"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for folder in ("icps", "fixtures"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_codes_are_distinct() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 130]


def test_clean_is_0_and_findings_are_1(repo: Path, base_text: str) -> None:
    clean = run_icp(repo, "check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (repo / "icps" / "base.yaml").write_text(merge(base_text, "triggers: []\n"))
    found = run_icp(repo, "check", "icps/base.yaml")
    assert found.returncode == 1
    assert "[ICP004]" in found.stdout and found.stderr == ""


def test_a_failed_gate_is_1(repo: Path) -> None:
    # A bar no ICP can pass: the gate fails, the command still reports.
    text = (repo / MIDMARKET).read_text(encoding="utf-8")
    strict, n = re.subn(r"min_auc: [0-9.]+", "min_auc: 0.99", text)
    assert n == 1
    (repo / MIDMARKET).write_text(strict, encoding="utf-8")
    done = run_icp(repo, "backtest", MIDMARKET, "--bootstrap", "0")
    assert done.returncode == 1, done.stderr
    assert "FAIL" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "nope"), "Error: path not found: nope"),
        (("check", "--format", "yaml"), "Error: Invalid value for '--format'"),
        (("check", "--config", "missing.toml"), "Error: config file not found: missing.toml"),
        (("score", MIDMARKET, "missing.csv"), "Error: data file not found: missing.csv"),
    ],
    ids=["input", "usage", "settings", "data"],
)
def test_usage_settings_and_input_errors_are_2(
    repo: Path, args: tuple[str, ...], message: str
) -> None:
    done = run_icp(repo, *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


# An internal error is provoked in a real process: the library function a command calls is
# replaced before the command module (imported lazily) binds it.
_BROKEN = (
    "import sys\n"
    "import icpkit.checks.runner as runner\n"
    "def broken(*args, **kwargs):\n"
    "    raise RuntimeError('boom')\n"
    "runner.check = broken\n"
    "from icpkit.cli import main\n"
    "sys.argv = ['icp', *sys.argv[1:]]\n"
    "main()\n"
)


def _broken(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ICP_TODAY": TODAY}
    return subprocess.run(
        [sys.executable, "-c", _BROKEN, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_an_internal_error_is_3_with_where_to_report_it(repo: Path) -> None:
    done = _broken(repo, "check")
    assert done.returncode == 3
    lines = done.stderr.splitlines()
    assert lines[0] == "Error: internal error: RuntimeError('boom')"
    assert lines[1].startswith(f"This is a bug in icpkit: please report it at {ISSUES_URL}")
    assert "icp --debug" in lines[1]
    assert "Traceback" not in done.stderr


def test_debug_adds_the_traceback_to_an_internal_error(repo: Path) -> None:
    done = _broken(repo, "--debug", "check")
    assert done.returncode == 3
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: boom" in done.stderr
    assert "Error: internal error: RuntimeError('boom')" in done.stderr
    assert f"please report it at {ISSUES_URL}." in done.stderr


def test_debug_adds_the_traceback_to_a_usage_error_too(repo: Path) -> None:
    done = run_icp(repo, "--debug", "check", "nope")
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "Error: path not found: nope" in done.stderr


def test_internal_error_in_process(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    import icpkit.cli.rules as rules_command

    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("oops")

    monkeypatch.setattr(rules_command, "render", broken)
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: internal error: KeyError('oops')\n")
    assert ISSUES_URL in result.stderr


def test_keyboard_interrupt_in_process_is_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import icpkit.cli.rules as rules_command

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(rules_command, "render", interrupted)
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 130
    assert result.stderr == "\nInterrupted.\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_ctrl_c_is_130(repo: Path) -> None:
    # Writing to a FIFO blocks until a reader opens it: --explain prints first, so once its
    # line is out the command is inside the boundary, waiting, when Ctrl-C arrives.
    os.mkfifo(repo / "scored.csv")
    icp = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert icp
    args = [icp, "score", MIDMARKET, DEALS, "--explain", "MID-10003", "-o", "scored.csv"]
    # A shell starting the test run in the background hands it SIGINT ignored, and Python
    # then installs no handler: the child gets the default back, as a terminal's has.
    with subprocess.Popen(
        args, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:  # fmt: skip
        assert process.stdout is not None
        assert "/100" in process.stdout.readline()
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()  # else leaving the block waits for it forever
            raise
    assert process.returncode == 130, err
    assert err.endswith("Interrupted.\n") and "Traceback" not in err


def test_nothing_below_the_cli_exits() -> None:
    # Library code raises; only the CLI's boundary turns an outcome into an exit code (and
    # commands return theirs rather than exit). The boundary module itself leaves the process.
    boundary = SRC / "cli" / "errors.py"
    exits = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path != boundary
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bsys\.exit\(|(?<![.\w])exit\(|SystemExit|os\._exit", line)
    ]
    assert exits == []
