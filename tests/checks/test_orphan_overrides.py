"""`icp check` reads overrides files as a hook names them: alone, with the ICP that reads
them, and reports those no ICP reads (ICP055)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CheckFn, run_icp

OVERRIDES = """\
format: icp-overrides/1
icp: {icp}
overrides:
  - account: {account}
    band: strong
    reason: Strategic logo
    owner: jane@acme.example
    expires: 2099-06-30
"""


def _init(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "acme-icps"
    done = run_icp(tmp_path, "init", "acme-icps")
    assert done.returncode == 0, done.stderr
    # A new repository names no accounts file to measure the overrides' share against.
    settings = repo / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    assert '# disable = ["ICP029"]' in text
    settings.write_text(text.replace('# disable = ["ICP029"]', 'disable = ["ICP054"]'))
    (icp,) = (p for p in (repo / "icps").glob("*.yaml"))
    return repo, icp.stem


def _accounts(repo: Path, icp_id: str) -> list[str]:
    """Accounts the scaffold's own deals hold, so ICP053 has nothing to say."""
    with (repo / "fixtures" / "deals" / f"{icp_id}.csv").open(encoding="utf-8") as deals:
        return [row["Account Name"] for row in csv.DictReader(deals)][:2]


def test_the_hook_names_only_a_changed_overrides_file(tmp_path: Path) -> None:
    # What pre-commit runs when sales edits the overrides file and nothing else.
    repo, icp_id = _init(tmp_path)
    good, _ = _accounts(repo, icp_id)
    path = repo / "icps" / f"{icp_id}.overrides.yaml"
    path.write_text(OVERRIDES.format(icp=icp_id, account=good), encoding="utf-8")
    clean = run_icp(repo, "check", f"icps/{icp_id}.overrides.yaml")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    path.write_text(OVERRIDES.format(icp=icp_id, account=good).replace("strong", "top"))
    broken = run_icp(repo, "check", f"icps/{icp_id}.overrides.yaml")
    assert broken.returncode == 1, broken.stderr
    assert f"icps/{icp_id}.overrides.yaml:5:11: error [ICP050]" in broken.stdout
    assert "Traceback" not in broken.stderr


def test_a_real_pre_commit_run_on_a_new_repository(tmp_path: Path) -> None:
    repo, icp_id = _init(tmp_path)
    good, _ = _accounts(repo, icp_id)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    typo = repo / "icps" / f"{icp_id}-x.overrides.yaml"
    typo.write_text(OVERRIDES.format(icp=icp_id, account=good), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    assert pre_commit, "pre-commit is not installed"
    # The scaffolded hook runs `icp check` from PATH (language: system).
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
        "PRE_COMMIT_HOME": str(tmp_path / "home"),
    }
    files = ["pre-commit", "run", "--files", str(typo.relative_to(repo))]
    done = subprocess.run(
        [pre_commit, *files[1:]], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "is an overrides file" not in done.stdout
    assert f"icps/{icp_id}-x.overrides.yaml:2:6: warning [ICP055]" in done.stdout
    assert f"did you mean {icp_id!r}?" in done.stdout


def test_checking_the_folder_reports_the_orphan_once(base_text: str, run_check: CheckFn) -> None:
    files = {
        "icps/base.yaml": base_text,
        "icps/bsae.overrides.yaml": OVERRIDES.format(icp="bsae", account="Acme Corp"),
    }
    report = run_check(files, paths=("icps",))
    got = [(f.file, f.rule_id) for f in report.findings]
    assert got == [("icps/bsae.overrides.yaml", "ICP055")]
    # Its other problems are not reported: no rule about an ICP's overrides reads it.
    assert "icps/bsae.overrides.yaml" in report.files


def test_an_icp_not_checked_in_this_run_still_reads_its_file(
    base_text: str, run_check: CheckFn
) -> None:
    other = base_text.replace("id: base", "id: other", 1)
    files = {
        "icps/base.yaml": base_text,
        "icps/other.yaml": other,
        "icps/other.overrides.yaml": OVERRIDES.format(icp="other", account="Acme Corp"),
    }
    # Only the overrides file named: its ICP is found in the project and checks it.
    report = run_check(files, paths=("icps/other.overrides.yaml",))
    rules = {f.rule_id for f in report.findings}
    assert "ICP053" in rules and "ICP055" not in rules  # its overrides rules ran on it
    assert {f.file for f in report.findings} == {"icps/other.overrides.yaml"}
    # Only another ICP named: the overrides file is not this run's business.
    assert run_check({}, paths=("icps/base.yaml",)).findings == ()


def test_overrides_dir_is_searched_when_a_folder_is_checked(
    base_text: str, run_check: CheckFn
) -> None:
    files = {
        "icps/base.yaml": base_text,
        "sales/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
        "sales/retired.overrides.yaml": OVERRIDES.format(icp="retired", account="Acme Corp"),
    }
    report = run_check(files, toml='overrides-dir = "sales"\n', paths=("icps",))
    got = {(f.file, f.rule_id) for f in report.findings}
    assert ("sales/base.overrides.yaml", "ICP053") in got  # read by its ICP, and checked
    assert {f for f in got if f[1] == "ICP055"} == {("sales/retired.overrides.yaml", "ICP055")}


@pytest.mark.parametrize("disabled", ["ICP055", "orphan-overrides"])
def test_the_rule_can_be_disabled(base_text: str, run_check: CheckFn, disabled: str) -> None:
    files = {
        "icps/base.yaml": base_text,
        "icps/bsae.overrides.yaml": OVERRIDES.format(icp="bsae", account="Acme Corp"),
    }
    report = run_check(files, toml=f'disable = ["{disabled}"]\n', paths=("icps",))
    assert report.findings == ()


def test_a_file_whose_icp_is_broken_names_the_icp_instead_of_passing(
    base_text: str, run_check: CheckFn
) -> None:
    broken = base_text.replace("format: icp/1\n", "", 1)
    files = {
        "icps/base.yaml": broken,
        "icps/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
    }
    report = run_check(files, paths=("icps/base.overrides.yaml",))
    assert {(f.file, f.rule_id) for f in report.findings} == {("icps/base.yaml", "ICP003")}
    # Named with it, the ICP's findings are reported once.
    both = run_check({}, paths=("icps/base.yaml", "icps/base.overrides.yaml"))
    assert [f.sort_key for f in both.findings] == [f.sort_key for f in report.findings]


def test_a_missing_folder_in_paths_does_not_make_every_file_an_orphan(
    base_text: str, run_check: CheckFn
) -> None:
    files = {
        "icps/base.yaml": base_text,
        "icps/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
    }
    report = run_check(
        files, toml='paths = ["icps", "drafts"]\n', paths=("icps/base.overrides.yaml",)
    )
    assert "ICP055" not in {f.rule_id for f in report.findings}
    assert "ICP053" in {f.rule_id for f in report.findings}  # checked with its ICP


def test_an_icp_yaml_cannot_read_still_owns_its_file(base_text: str, run_check: CheckFn) -> None:
    files = {
        "icps/base.yaml": base_text.replace("name: ", "name: [", 1),
        "icps/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
    }
    named = run_check(files, paths=("icps/base.overrides.yaml",))
    assert {(f.file, f.rule_id) for f in named.findings} == {("icps/base.yaml", "ICP001")}
    folder = run_check({}, paths=("icps",))
    assert {(f.file, f.rule_id) for f in folder.findings} == {("icps/base.yaml", "ICP001")}


def test_naming_an_icp_finds_the_file_its_old_name_left(base_text: str, run_check: CheckFn) -> None:
    # A rename (git mv and a new id): the hook names the ICP, not the untouched overrides.
    files = {
        "icps/renamed.yaml": base_text.replace("id: base", "id: renamed", 1),
        "icps/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
    }
    report = run_check(files, paths=("icps/renamed.yaml",))
    assert [(f.file, f.rule_id) for f in report.findings if f.rule_id == "ICP055"] == [
        ("icps/base.overrides.yaml", "ICP055")
    ]


def test_checking_one_team_s_folder_leaves_the_other_team_s_overrides_alone(
    base_text: str, run_check: CheckFn
) -> None:
    files = {
        "icps/a/base.yaml": base_text,
        "icps/b/other.yaml": base_text.replace("id: base", "id: other", 1).replace("format:", "x:"),
        "sales/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
        "sales/other.overrides.yaml": OVERRIDES.format(icp="other", account="Acme Corp"),
    }
    report = run_check(files, toml='overrides-dir = "sales"\n', paths=("icps/a",))
    assert {f.file for f in report.findings} == {"sales/base.overrides.yaml"}


def test_the_yml_spelling_and_the_icp_key_say_what_to_name_the_file(
    base_text: str, run_check: CheckFn
) -> None:
    files = {
        "icps/base.yaml": base_text,
        "icps/base.overrides.yml": OVERRIDES.format(icp="base", account="Acme Corp"),
        "icps/sales.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp"),
    }
    report = run_check(files, paths=("icps",))
    said = {f.file: f.message for f in report.findings}
    assert set(said) == {"icps/base.overrides.yml", "icps/sales.overrides.yaml"}
    assert (
        "overrides files end in .overrides.yaml; rename it base.overrides.yaml"
        in said["icps/base.overrides.yml"]
    )
    assert "did you mean 'base'?" in said["icps/sales.overrides.yaml"]


def test_two_icps_of_one_id_check_their_file_once(base_text: str, run_check: CheckFn) -> None:
    files = {
        "icps/a/base.yaml": base_text,
        "icps/b/base.yaml": base_text,
        "sales/base.overrides.yaml": OVERRIDES.format(icp="base", account="Acme Corp").replace(
            "strong", "top"
        ),
    }
    report = run_check(files, toml='overrides-dir = "sales"\n', paths=("icps",))
    assert [f.rule_id for f in report.findings if f.rule_id == "ICP050"] == ["ICP050"]
