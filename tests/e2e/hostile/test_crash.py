"""Crash and concurrency: a killed, cancelled or simultaneous run never loses earlier output.

Everything here runs the installed `icp` command in real processes, kills them with SIGKILL
(what a cancelled CI job or the OOM killer does) and looks at what is left on disk.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY

ICP_FILE = "icps/example-icp.yaml"
DEALS = "fixtures/deals/example-icp.csv"
OLD_MARK = "<p>the previous site, complete</p>"
OLD_FILES = 2000
ENGINES = ("pandas", "duckdb")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and FIFOs")


def _icp_command() -> str:
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found, "icp is not installed"
    return found


ICP = _icp_command()
ENV = {**os.environ, "ICP_TODAY": TODAY, "NO_COLOR": "1"}


def icp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ICP, *args], cwd=cwd, capture_output=True, text=True, env=ENV, timeout=180
    )


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [ICP, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Ana Lopez", "-c", "user.email=ana@example.com", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository as `icp init` writes it, committed."""
    folder = tmp_path_factory.mktemp("init")
    done = icp("init", "acme", cwd=folder)
    assert done.returncode == 0, done.stderr
    root = folder / "acme"
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Start the ICP repository")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "acme", symlinks=True)
    return tmp_path / "acme"


@pytest.fixture(scope="module")
def expected(template: Path) -> str:
    """The scored CSV as `icp score` prints it without -o."""
    done = icp("score", ICP_FILE, DEALS, cwd=template)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Opportunity ID,")
    return done.stdout


@pytest.fixture(scope="module")
def new_site(template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], float]:
    """The files of the site a build writes, and how long that build took with an old site."""
    folder = tmp_path_factory.mktemp("reference") / "acme"
    shutil.copytree(template, folder, symlinks=True)
    plant_old_site(folder)
    began = time.monotonic()
    done = icp("site", "build", cwd=folder)
    assert done.returncode == 0, done.stderr
    return files_of(folder / "site"), time.monotonic() - began


def files_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def leftovers(folder: Path, name: str) -> list[str]:
    """What a run writing `name` may leave beside it (its lock file is meant to stay)."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(f".{name}.") and not p.name.endswith(".icpkit-lock")
    )


def plant_old_site(root: Path) -> set[str]:
    """A previous site with many files, so that deleting it takes a while."""
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    for i in range(OLD_FILES):
        page = site / f"old-{i // 100}" / f"{i}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"old page {i}\n")
    (site / "index.html").write_text(OLD_MARK)
    return files_of(site)


def site_state(root: Path, old: set[str], new: set[str]) -> str:
    """'old' or 'new', failing unless site/ is one of the two sites, complete."""
    site = root / "site"
    index = site / "index.html"
    assert index.is_file(), f"site/index.html is gone; left: {sorted(os.listdir(root))}"
    found = files_of(site)
    if OLD_MARK in index.read_text(encoding="utf-8"):
        assert found == old, f"the old site lost {len(old - found)} files"
        return "old"
    assert found == new, f"the new site differs: {sorted(found ^ new)[:5]}"
    return "new"


def untracked(root: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all")


def kill_build(repo: Path, after: float) -> bool:
    """Start `icp site build`, SIGKILL it `after` seconds in; False if it had already ended."""
    build = start("site", "build", cwd=repo)
    time.sleep(after)
    running = build.poll() is None
    build.send_signal(signal.SIGKILL)
    build.communicate(timeout=60)
    return running


@pytest.mark.slow
def test_a_killed_site_build_leaves_the_old_or_the_new_site(
    repo: Path, new_site: tuple[set[str], float]
) -> None:
    new, took = new_site
    before = {*os.listdir(repo), "site", ".site.icpkit-lock"}
    # Bisect for the moment the old site gives way to the new one, so most kills land in
    # that window (where deleting the old site before the new one is in place shows).
    early, late = 0.2 * took, 1.5 * took
    states: list[str] = []
    live = 0
    left: set[str] = set()
    shown: list[str] = []
    for _ in range(6):
        old = plant_old_site(repo)
        moment = (early + late) / 2
        live += kill_build(repo, moment)
        states.append(site_state(repo, old, new))
        early, late = (moment, late) if states[-1] == "old" else (early, moment)
        left |= set(os.listdir(repo)) - before
        shown += untracked(repo).splitlines()
    assert live and left, "no kill landed during a build: the loop tests nothing"
    assert shown == [], "a killed build's leftovers must be git-ignored"
    final = icp("site", "build", cwd=repo)
    assert final.returncode == 0, final.stderr
    assert site_state(repo, old, new) == "new"
    assert set(os.listdir(repo)) == before, "the next build cleans what killed ones left"


@pytest.mark.slow
def test_two_site_builds_at_once_both_succeed(repo: Path, new_site: tuple[set[str], float]) -> None:
    new = new_site[0]
    for _ in range(2):
        old = plant_old_site(repo)
        builds = [start("site", "build", cwd=repo) for _ in range(2)]
        for build in builds:
            _, err = build.communicate(timeout=180)
            assert build.returncode == 0, err
            assert "No such file" not in err
        assert site_state(repo, old, new) == "new"
        assert leftovers(repo, "site") == []


def test_a_site_renamed_aside_by_a_killed_build_is_put_back(repo: Path) -> None:
    # Where folders cannot be exchanged in one step, a kill between the two renames leaves
    # the old site aside and a staged one unused; the next build must not lose the old one,
    # even when it fails itself.
    old = plant_old_site(repo)
    aside = repo / ".site.icpkit-old-k2j4"
    aside.mkdir()
    (repo / "site").rename(aside / "site")
    (repo / ".site.icpkit-staging-x7").mkdir()
    icp_file = repo / ICP_FILE
    icp_file.write_text(icp_file.read_text() + "unknown_section: 1\n")
    failed = icp("site", "build", cwd=repo)
    assert failed.returncode == 2, failed.stderr
    assert site_state(repo, old, set()) == "old"
    assert leftovers(repo, "site") == []


def test_without_an_atomic_exchange_the_old_site_goes_aside_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icpkit.site import replace

    monkeypatch.setattr(replace, "_exchange", lambda first, second: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old")
    seen: list[str] = []
    rename = Path.rename

    def watched(self: Path, to: Path) -> Path:
        seen.append(f"{self.name} -> {Path(to).relative_to(tmp_path)}")
        return rename(self, to)

    monkeypatch.setattr(Path, "rename", watched)
    with replace.staging_for(target) as staging:
        (staging / "index.html").write_text("new")
        replace.swap_in(staging, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == [".site.icpkit-lock", "site"]
    assert seen[0].startswith("site -> .site.icpkit-old-") and seen[0].endswith("/site")
    assert seen[1] == f"{staging.name} -> site"


# A writer killed half-way through its temporary file, as `kill -9` or the OOM killer would.
_KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from icpkit.fileio import atomic_target
with atomic_target(Path(sys.argv[1])) as tmp:
    tmp.write_text("Account Name,score\\nhalf a ro")
    os.kill(os.getpid(), signal.SIGKILL)
"""

# A writer that holds its temporary file until told to finish.
_SLOW_WRITER = """
import sys
from pathlib import Path
from icpkit.fileio import atomic_target
with atomic_target(Path(sys.argv[1])) as tmp:
    tmp.write_text("slow,writer\\n")
    print("writing", flush=True)
    sys.stdin.readline()
"""


def test_a_killed_writers_temp_file_is_ignored_then_cleaned(repo: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _KILLED_WRITER, "scored.csv"], cwd=repo)
    assert done.returncode == -signal.SIGKILL
    assert not (repo / "scored.csv").exists()
    assert len(leftovers(repo, "scored.csv")) == 1
    assert untracked(repo) == "", "the scaffold's .gitignore must cover temp files"
    scored = icp("score", ICP_FILE, DEALS, "-o", "scored.csv", cwd=repo)
    assert scored.returncode == 0, scored.stderr
    assert leftovers(repo, "scored.csv") == []
    assert (repo / "scored.csv").read_text().startswith("Opportunity ID,")


def test_a_live_writers_temp_file_is_left_alone(repo: Path) -> None:
    slow = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, "scored.csv"],
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert slow.stdout is not None and slow.stdout.readline() == "writing\n"
        scored = icp("score", ICP_FILE, DEALS, "-o", "scored.csv", cwd=repo)
        assert scored.returncode == 0, scored.stderr
        assert (repo / "scored.csv").read_text().startswith("Opportunity ID,")
    finally:
        slow.communicate("done\n", timeout=60)
    assert slow.returncode == 0, "the other run's temp file was deleted under it"
    assert (repo / "scored.csv").read_text() == "slow,writer\n"
    assert leftovers(repo, "scored.csv") == []


@pytest.mark.parametrize("source", ["scaffold", "this repository"])
def test_leftover_names_are_git_ignored(tmp_path: Path, source: str) -> None:
    if source == "scaffold":
        ignore = ROOT / "src" / "icpkit" / "project" / "templates" / "repo" / "dot-gitignore"
    else:
        ignore = ROOT / ".gitignore"
    shutil.copy(ignore, tmp_path / ".gitignore")
    git(tmp_path, "init", "-q")
    ignored = [
        ".site.icpkit-staging-k2j4",
        ".site.icpkit-old-k2j4/index.html",
        ".site.icpkit-lock",
        ".public.icpkit-staging-x1/index.html",
        ".scored.csv.icpkit-tmp-9f3a",
        "reports/.backtest.md.icpkit-tmp-9f3a",
        ".scored.parquet.icpkit-tmp-9f3a.tmp",
        ".cache/icpkit/zensical/docs/icps/a/index.md",  # the site staged for Zensical
    ]
    kept = ["scored.csv", "reports/backtest.md", ".github/workflows/icp.yml", "icps/a.yaml"]
    for name in ignored + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    status = untracked(tmp_path)
    for name in ignored:
        assert name not in status, name
    for name in kept:
        assert name in status, name


@pytest.mark.parametrize("engine", ENGINES)
def test_score_writes_through_dev_stdout(repo: Path, engine: str, expected: str) -> None:
    link = repo / "stdout.csv"
    link.symlink_to("/dev/stdout")
    # Through a link first: were /dev/stdout replaced by a file, it would be for everyone.
    for target in (str(link), "/dev/stdout"):
        done = icp("score", ICP_FILE, DEALS, "--engine", engine, "-o", target, cwd=repo)
        assert done.returncode == 0, done.stderr
        assert done.stdout == expected, target
        assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_reports_write_through_dev_stdout(repo: Path) -> None:
    link = repo / "stdout.md"
    link.symlink_to("/dev/stdout")
    done = icp("backtest", "-o", str(link), cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "closed deals" in done.stdout
    assert link.is_symlink()
    done = icp("check", "--format", "json", "-o", "/dev/stdout", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{")


@pytest.mark.parametrize("engine", ENGINES)
def test_output_onto_a_symlink_replaces_its_target(repo: Path, engine: str, expected: str) -> None:
    (repo / "exports").mkdir()
    real = repo / "exports" / "real.csv"
    real.write_text("old\n")
    real.chmod(0o640)
    link = repo / "link.csv"
    link.symlink_to("exports/real.csv")
    done = icp("score", ICP_FILE, DEALS, "--engine", engine, "-o", "link.csv", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == "exports/real.csv"
    assert real.read_text() == expected
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(repo, "link.csv") == leftovers(repo / "exports", "real.csv") == []


def test_report_onto_a_dangling_symlink_creates_its_target(repo: Path) -> None:
    link = repo / "latest.md"
    link.symlink_to("reports/2026-Q4.md")
    (repo / "reports").mkdir()
    done = icp("backtest", "-o", "latest.md", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert "closed deals" in (repo / "reports" / "2026-Q4.md").read_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_score_writes_into_a_fifo(repo: Path, engine: str, expected: str) -> None:
    fifo = repo / "scored.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    done = icp("score", ICP_FILE, DEALS, "--engine", engine, "-o", "scored.csv", cwd=repo)
    try:
        received, _ = reader.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        reader.kill()
        received = ""
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert received == expected
