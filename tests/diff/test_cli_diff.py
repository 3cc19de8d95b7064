"""`icp diff` and `icp history` on real git repositories with quarterly versions."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from icpkit.cli import cli
from tests.gitrepo import ICP, ICP_FILE, git

Q2, Q3 = f"{ICP}@2026-Q2", f"{ICP}@2026-Q3"


def icp(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _deals(repo: Path) -> dict[str, dict[str, str]]:
    with (repo / "fixtures" / "deals" / f"{ICP}.csv").open(newline="") as handle:
        return {row["deal_id"]: row for row in csv.DictReader(handle)}


def test_diff_between_quarters_prints_what_a_reviewer_needs(quarters: Path) -> None:
    result = icp("diff", Q2, Q3)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{ICP}: 5 changes: 3 scoring, 2 content"
    # The last commit of 2026-Q2 is Ben's typo fix, not the first Q2 commit.
    assert lines[1].startswith(f"  old: {Q2} (") and "2026-05-20, Ben Okafor)" in lines[1]
    assert "2026-07-07, Ben Okafor)" in lines[2]
    text = result.output
    for expected in (
        "scoring  employees min 300 -> 200: widened",
        "scoring  industry weight 20 -> 15: lowered (-5 points)",
        "scoring  trigger missed-forecast: added (5 points: Missed a publicly stated revenue",
        "content  version 2026-Q2 -> 2026-Q3",
        "at triggers[missed-forecast] [",
        "Impact: ",
        "AUC ",
        "Wins captured (good or better)",
        "Losses screened (below possible)",
        "Deals that changed band (largest score change first):",
    ):
        assert expected in text, expected


def test_band_moves_have_the_reasons_the_changes_give(quarters: Path) -> None:
    result = icp("diff", Q2, Q3, "--format", "json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)["icps"]
    impact = item["impact"]
    deals = _deals(quarters)
    assert impact["deals"] == len(deals)
    assert impact["moved_up"] + impact["moved_down"] + impact["unchanged"] == len(deals)
    assert impact["moved_up"] > 0 and impact["moved_down"] > 0
    for move in impact["moves"]:
        row = deals[move["deal_id"]]
        employees = _number(row["employees"])
        if move["direction"] == "up":
            # Only two changes add points: 200-299 employees now fit, and the new trigger.
            # (A known trigger also lowers the unknown share, so `unknown` can become scored.)
            widened = employees is not None and 200 <= employees < 300
            known = move["old_band"] == "unknown"
            assert widened or known or "missed-forecast" in row["triggers"], move
        else:
            # Only one takes points away: industry's weight fell from 20 to 15.
            assert row["industry"].strip().lower() in {"saas", "fintech", "healthtech", "martech"}
        assert move["old_band"] != move["new_band"]
    names = [m["name"] for m in impact["metrics"]]
    assert names[:4] == [
        "AUC",
        "Top-band win rate",
        "Wins captured (good or better)",
        "Losses screened (below possible)",
    ]
    auc = impact["metrics"][0]
    assert auc["delta"] == auc["new"] - auc["old"]
    fingerprints = [c["fingerprint"] for c in item["changes"]]
    assert len(set(fingerprints)) == len(fingerprints)
    again = json.loads(icp("diff", Q2, Q3, "--format", "json").output)["icps"][0]["changes"]
    assert [c["fingerprint"] for c in again] == fingerprints


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None  # "n/a" and blanks, as CRM exports write them


def test_sides_can_be_files_and_revisions(quarters: Path) -> None:
    old = f"HEAD~1:{ICP_FILE}"
    result = icp("diff", old, ICP_FILE, "--format", "json", "--no-impact")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)["icps"]
    assert item["old"]["label"] == old and item["old"]["version"] == "2026-Q3"
    assert item["new"]["label"] == ICP_FILE and item["impact"] is None
    locations = [c["location"] for c in item["changes"]]
    assert locations[0] == "anti_icp[too-small].when.employees.max"
    assert item["changes"][0]["line"] == _line_of(quarters / ICP_FILE, "max: 79")
    same = icp("diff", ICP_FILE, ICP_FILE, "--exit-code")
    assert same.exit_code == 0 and "no changes" in same.output
    changed = icp("diff", old, ICP_FILE, "--exit-code", "--no-impact")
    assert changed.exit_code == 1


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_history_lists_versions_authors_and_changes(quarters: Path) -> None:
    result = icp("history", ICP)
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(f"{ICP}: 4 commits over 3 versions since 2026-04-08")
    blocks = text.split("\n\n")
    assert blocks[1].startswith("2026-Q4  2026-11-02  Ana Lopez  1 commit")
    assert "Since 2026-Q3: 3 changes: 1 scoring, 2 content." in blocks[1]
    assert "employees max 49 -> 79: widened: disqualifies more accounts" in blocks[1]
    assert blocks[2].startswith("2026-Q3  2026-07-07  Ben Okafor  1 commit")
    assert "employees min 300 -> 200: widened" in blocks[2]
    assert blocks[3].startswith("2026-Q2  2026-04-08..2026-05-20  Ana Lopez, Ben Okafor  2 commits")
    assert "The first version." in blocks[3] and "Fix typo" in blocks[3]
    data = json.loads(icp("history", ICP_FILE, "--format", "json").output)
    assert [v["version"] for v in data["versions"]] == ["2026-Q4", "2026-Q3", "2026-Q2"]
    assert [len(v["commits"]) for v in data["versions"]] == [1, 1, 2]
    markdown = icp("history", ICP, "--format", "markdown").output
    assert "#### 2026-Q3 (2026-07-07, Ben Okafor)" in markdown and "| scoring |" in markdown


def test_base_refuses_two_files_with_one_id(quarters: Path) -> None:
    git(quarters, "checkout", "-q", "-b", "copy")
    text = (quarters / ICP_FILE).read_text(encoding="utf-8")
    (quarters / "icps" / "copy.yaml").write_text(text, encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "A copy that kept the id")
    result = icp("diff", "--base", "main")
    assert result.exit_code == 2
    assert f"id `{ICP}` is used by both" in result.output and "(rule ICP025)" in result.output


def test_base_diffs_every_icp_the_branch_changed(quarters: Path) -> None:
    git(quarters, "checkout", "-q", "-b", "widen")
    path = quarters / ICP_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("in: [US, GB, CA]", "in: [US, GB, CA, IE]"), encoding="utf-8")
    new = quarters / "icps" / "apac-saas.yaml"
    new.write_text(text.replace(f"id: {ICP}", "id: apac-saas"), encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Add Ireland and an APAC ICP")
    (quarters / "icps" / "smb-founder-led-sales.yaml").unlink()  # not committed yet: still seen
    result = icp("diff", "--base", "main", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {i["icp_id"]: i for i in json.loads(result.output)["icps"]}
    assert {k: v["status"] for k, v in items.items()} == {
        ICP: "changed",
        "apac-saas": "added",
        "smb-founder-led-sales": "removed",
    }
    changed = items[ICP]
    assert [c["summary"] for c in changed["changes"]] == ["country in: added IE; widened"]
    assert changed["old"]["label"] == f"main:{ICP_FILE}"
    assert changed["impact"]["moved_down"] == 0
    git(quarters, "checkout", "-q", "--", ".")
    git(quarters, "checkout", "-q", "main")
    nothing = icp("diff", "--base", "main")
    assert nothing.exit_code == 0 and nothing.output == "No ICP changed since main.\n"


OVERRIDES_FILE = f"icps/{ICP}.overrides.yaml"
OVERRIDES = f"""format: icp-overrides/1
icp: {ICP}
overrides:
  - account: Dracor AI
    target: exclude
    reason: In a contract dispute with us; no outbound until legal closes it
    owner: legal@northwind.example
    expires: 2027-03-31
"""


def test_a_change_to_the_overrides_alone_is_a_change(quarters: Path) -> None:
    # Before, `--base` read the overrides file as an ICP and stopped, and two sides of an
    # ICP whose overrides changed said "no changes".
    git(quarters, "checkout", "-q", "-b", "exclude-dracor")
    (quarters / OVERRIDES_FILE).write_text(OVERRIDES, encoding="utf-8")  # not added yet
    result = icp("diff", "--base", "main", "--format", "json", "--no-impact")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)["icps"]
    assert item["icp_id"] == ICP and item["status"] == "changed"
    [change] = item["changes"]
    assert change["category"] == "override" and change["kind"] == "added"
    assert change["location"] == "overrides[Dracor AI]"
    assert (change["file"], change["line"]) == (OVERRIDES_FILE, 4)
    assert change["summary"].startswith(
        'override for "Dracor AI": added (target exclude until 2027-03-31, legal@northwind'
    )
    assert icp("diff", "--base", "main", "--exit-code", "--no-impact").exit_code == 1
    markdown = icp("diff", "--base", "main", "--format", "markdown", "--no-impact").output
    assert f"| `{ICP}` | 2026-Q4 → 2026-Q4 | 0 | 0 | 0 | 1 | 0 |" in markdown
    assert "Sections changed: overrides → ask sales" in markdown
    assert f"in `{OVERRIDES_FILE}` line 4" in markdown
    scored = icp("diff", "--base", "main", "--format", "json")
    [item] = json.loads(scored.output)["icps"]
    assert item["impact"] is None and item["note"].startswith("only the overrides changed")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Exclude Dracor AI")
    path = quarters / OVERRIDES_FILE
    path.write_text(OVERRIDES.replace("2027-03-31", "2027-06-30"), encoding="utf-8")
    sides = icp("diff", f"HEAD:{ICP_FILE}", ICP_FILE, "--no-impact")
    assert sides.exit_code == 0, sides.output
    lines = sides.output.splitlines()
    assert lines[0] == f"{ICP}: 1 change: 1 override"
    # The author closes the label on its line (git's log ends its output with a newline).
    assert lines[1].startswith(f"  old: HEAD:{ICP_FILE} (") and lines[1].endswith(", Ana Lopez)")
    assert 'override for "Dracor AI" expires 2027-03-31 -> 2027-06-30' in sides.output
    assert f"at overrides[Dracor AI].expires in {OVERRIDES_FILE}:8 [" in sides.output
    before = icp("diff", f"main:{ICP_FILE}", f"HEAD:{ICP_FILE}", "--no-impact")
    assert 'override for "Dracor AI": added' in before.output, before.output


def test_an_overrides_file_that_cannot_be_read_is_said_not_compared(quarters: Path) -> None:
    git(quarters, "checkout", "-q", "-b", "overrides")
    path = quarters / OVERRIDES_FILE
    path.write_text(OVERRIDES, encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Exclude Dracor AI")
    path.write_text(OVERRIDES.replace("  - account: Dracor AI", "  - account: [Dracor"))
    result = icp("diff", "--base", "HEAD", "--no-impact")
    assert result.exit_code == 0, result.output
    # Not "removed": the entry may well still be there, in a file YAML cannot parse.
    assert "removed" not in result.output
    assert "override  overrides file is invalid (invalid YAML" in result.output
    assert "entries not compared; see `icp check`" in result.output
    assert f"at overrides in {OVERRIDES_FILE}:" in result.output


def test_an_overrides_file_icp_score_would_refuse_is_not_read_as_entries_removed(
    quarters: Path,
) -> None:
    path = quarters / OVERRIDES_FILE
    path.write_text(OVERRIDES, encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Exclude Dracor AI")
    for text in ("just text\n", "format: icp-overrides/1\noverrides: {a: 1}\n",
                 OVERRIDES.replace(f"icp: {ICP}", "icp: smb-founder-led-sales")):  # fmt: skip
        path.write_text(text, encoding="utf-8")
        result = icp("diff", "--base", "HEAD", "--no-impact")
        assert "removed" not in result.output, text
        assert "overrides file is invalid (" in result.output, text
    # The base's file is the broken one: the branch's entries all show, as added.
    git(quarters, "commit", "-qam", "Break it")
    path.write_text(OVERRIDES, encoding="utf-8")
    result = icp("diff", "--base", "HEAD", "--no-impact")
    assert "each entry now reads as added" in result.output
    assert 'override for "Dracor AI": added' in result.output


def test_an_entry_without_an_account_or_with_a_newline_in_it_reads_on_one_line(
    quarters: Path,
) -> None:
    path = quarters / OVERRIDES_FILE
    path.write_text(OVERRIDES, encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Exclude Dracor AI")
    typo = OVERRIDES.replace("  - account: Dracor AI", "  - acount: Dracor AI")
    path.write_text(typo + OVERRIDES.split("overrides:\n", 1)[1].replace(
        "account: Dracor AI", 'account: "Dracor\\nAI"'), encoding="utf-8")  # fmt: skip
    result = icp("diff", "--base", "HEAD", "--no-impact")
    assert result.exit_code == 0, result.output
    assert 'override for "(no account)": added' in result.output
    assert "override for Dracor\\nAI: added" in result.output
    assert "None" not in result.output
    # One line per change, each with its place.
    assert sum(line.lstrip().startswith("override ") for line in result.output.splitlines()) == 3


def test_a_quarter_side_reads_the_overrides_of_the_quarter_s_last_commit(quarters: Path) -> None:
    path = quarters / OVERRIDES_FILE
    path.write_text(OVERRIDES, encoding="utf-8")
    git(quarters, "add", ".")
    git(quarters, "commit", "-qm", "Exclude Dracor AI")  # the ICP is still 2026-Q4
    path.write_text(OVERRIDES.replace("2027-03-31", "2027-06-30"), encoding="utf-8")
    git(quarters, "commit", "-qam", "Longer")
    same = icp("diff", f"{ICP}@2026-Q4", ICP_FILE, "--no-impact", "--exit-code")
    assert same.exit_code == 0, same.output
    added = icp("diff", f"{ICP}@2026-Q3", f"{ICP}@2026-Q4", "--no-impact")
    assert 'override for "Dracor AI": added (target exclude until 2027-06-30' in added.output


def test_base_lists_a_new_icp_s_overrides_and_pairs_a_file_moved_with_mv(
    quarters: Path,
) -> None:
    text = (quarters / ICP_FILE).read_text(encoding="utf-8")
    (quarters / "icps" / "apac-saas.yaml").write_text(text.replace(f"id: {ICP}", "id: apac-saas"))
    (quarters / "icps" / "apac-saas.overrides.yaml").write_text(
        OVERRIDES.replace(f"icp: {ICP}", "icp: apac-saas")
    )
    (quarters / "icps" / "smb-founder-led-sales.yaml").rename(quarters / "icps" / "smb.yaml")
    result = icp("diff", "--base", "main", "--format", "json", "--no-impact")
    assert result.exit_code == 0, result.output
    items = {i["icp_id"]: i for i in json.loads(result.output)["icps"]}
    assert {k: v["status"] for k, v in items.items()} == {
        "apac-saas": "added",
        "smb-founder-led-sales": "unchanged",
    }
    assert [c["category"] for c in items["apac-saas"]["changes"]] == ["override"]
    assert items["smb-founder-led-sales"]["new"]["label"] == "icps/smb.yaml"


def test_base_sees_an_icp_file_not_yet_added_to_git(quarters: Path) -> None:
    text = (quarters / ICP_FILE).read_text(encoding="utf-8")
    new = quarters / "icps" / "apac-saas.yaml"
    new.write_text(text.replace(f"id: {ICP}", "id: apac-saas"), encoding="utf-8")
    result = icp("diff", "--base", "main", "--format", "json", "--no-impact")
    assert result.exit_code == 0, result.output
    assert [(i["icp_id"], i["status"]) for i in json.loads(result.output)["icps"]] == [
        ("apac-saas", "added")
    ]


def test_markdown_is_a_pr_comment_summary_first(quarters: Path) -> None:
    result = icp("diff", Q2, Q3, "--format", "markdown")
    body = result.output
    assert body.startswith("<!-- icpkit-diff -->\n")
    table = body.index("| ICP | Versions |")
    assert table < body.index("<details>")
    row = body.splitlines()[body[:table].count("\n") + 2]
    assert row.startswith(f"| `{ICP}` | 2026-Q2 → 2026-Q3 | 3 | 0 | 0 | 0 | 2 |")
    assert "<summary><b>" in body and "</details>" in body
    assert "| scoring | employees min 300 -> 200: widened |" in body


def test_markdown_sheds_detail_to_fit_githubs_limit(quarters: Path) -> None:
    from icpkit.checks.config import load_config
    from icpkit.diff.run import DiffReport, compare
    from icpkit.reporters.diff import render_markdown
    from icpkit.vcs.sides import resolve_side

    config = load_config()
    item = compare(resolve_side(Q2, config), resolve_side(Q3, config), config=config)
    full = render_markdown(DiffReport((item,)))
    for limit in (len(full) - 1, 3000, 1200, 400):
        short = render_markdown(DiffReport((item,)), limit=limit)
        assert len(short) <= limit
        assert short.startswith("<!-- icpkit-diff -->") and "| ICP | Versions |" in short


def _error(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line: str = result.output.strip().splitlines()[-1]
    assert line.startswith("Error: ")
    return line


def test_bad_input_is_one_clear_error(quarters: Path, tmp_path: Path) -> None:
    assert "unknown revision 'nope'" in _error(icp("diff", f"nope:{ICP_FILE}", ICP_FILE))
    missing = _error(icp("diff", f"{ICP}@2025-Q1", Q3))
    assert "no commit with version 2025-Q1" in missing
    assert "versions in git: 2026-Q4, 2026-Q3, 2026-Q2" in missing
    assert "does not exist in HEAD" in _error(icp("diff", "HEAD:icps/nothing.yaml", ICP_FILE))
    other = "icps/emea-fintech-multicurrency.yaml"
    assert "different ICPs" in _error(icp("diff", other, ICP_FILE))
    assert "not a file, a REV:path or an ICP_ID@YYYY-Qn" in _error(icp("diff", "nothing", ICP_FILE))
    assert "two sides" in _error(icp("diff", ICP_FILE))
    assert "either --base" in _error(icp("diff", "--base", "main", Q2, Q3))
    loose = tmp_path / "loose.yaml"
    shutil.copy(quarters / ICP_FILE, loose)
    assert "is not in a git repository" in _error(icp("history", str(loose)))
    untracked = quarters / "icps" / "draft.yaml"
    shutil.copy(quarters / ICP_FILE, untracked)
    assert "is not tracked by git" in _error(icp("history", "icps/draft.yaml"))
    broken = (
        (quarters / ICP_FILE).read_text(encoding="utf-8").replace("weight: 20", "weight: lots", 1)
    )
    (quarters / ICP_FILE).write_text(broken, encoding="utf-8")
    git(quarters, "commit", "-qam", "Broken")
    assert f"HEAD:{ICP_FILE}:" in _error(icp("diff", f"HEAD:{ICP_FILE}", Q3))


def test_shallow_clone_says_to_fetch_the_history(quarters: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", quarters.as_uri(), str(clone)], check=True
    )
    os.chdir(clone)
    for args in (("history", ICP), ("diff", Q2, ICP_FILE), ("diff", "--base", "origin/nope")):
        assert "fetch-depth: 0" in _error(icp(*args)), args


def _against(*extra: str) -> tuple[int, dict[str, Any]]:
    args = ("backtest", ICP_FILE, "--against", "HEAD", "--bootstrap", "0", "--format", "json")
    result = icp(*args, *extra)
    assert result.exit_code in (0, 1), result.output
    against: dict[str, Any] = json.loads(result.output)["against"][0]
    return result.exit_code, against


def test_backtest_against_a_revision(quarters: Path) -> None:
    good = icp("backtest", ICP_FILE, "--against", "HEAD", "--bootstrap", "0")
    assert good.exit_code == 0, good.output
    assert "against HEAD\n  pass  midmarket-saas-revops: AUC 0.92 (2026-Q4)" in good.output
    path = quarters / ICP_FILE
    text = path.read_text(encoding="utf-8")
    # Taking the points away from size and industry leaves no win scoring good or better.
    worse = text.replace("weight: 20\n    source: ZoomInfo", "weight: 0\n    source: ZoomInfo")
    industry = "  industry:\n    in: [saas, fintech]\n    weight: "
    path.write_text(worse.replace(industry + "15", industry + "0"), encoding="utf-8")
    code, against = _against()
    assert code == 1 and not against["passed"]
    assert against["old_version"] == "2026-Q4"
    # No customer scores good or better either: the retention gates cannot pass.
    assert against["broken_gates"] == [
        "min_wins_good_or_better",
        "max_churn_good_or_better",
        "min_retention_lift",
        "min_nrr",
    ]
    drop = against["auc_drop"]
    assert 0 < drop < 0.02  # within the default tolerance: the gate alone fails it
    _, strict = _against("--auc-tolerance", f"{drop / 2:.4f}")
    assert strict["tolerance"] == round(drop / 2, 4)
    text_out = icp("backtest", ICP_FILE, "--against", "HEAD", "--bootstrap", "0")
    assert "gate min_wins_good_or_better passed at HEAD and fails now" in text_out.output
    # A gentler change (the new-sales-leader trigger scores nothing, bands 5 lower) keeps
    # every gate: only AUC moves, so only the tolerance decides.
    signal = "job-change alerts on CRO and VP Sales titles\n    weight: "
    lighter = text.replace(signal + "10", signal + "0").replace(
        "bands: {strong: 85, good: 70, possible: 55, weak: 40}",
        "bands: {strong: 80, good: 65, possible: 50, weak: 35}",
    )
    path.write_text(lighter, encoding="utf-8")
    code, loose = _against()
    drop = loose["auc_drop"]
    assert code == 0 and loose["passed"] and loose["broken_gates"] == [] and drop > 0
    config = quarters / "pyproject.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'fail-on = "warning"', f'fail-on = "warning"\nauc-tolerance = {drop / 2:.5f}'
        ),
        encoding="utf-8",
    )
    code, tight = _against()
    assert code == 1 and not tight["passed"] and tight["broken_gates"] == []
    result = icp("backtest", ICP_FILE, "--against", "HEAD", "--bootstrap", "0")
    assert "AUC fell from 0.920 to" in result.output
    assert "unknown revision" in _error(icp("backtest", ICP_FILE, "--against", "nope"))


def test_installed_icp_diff(quarters: Path) -> None:
    found = shutil.which("icp", path=str(Path(sys.executable).parent)) or shutil.which("icp")
    assert found
    done = subprocess.run([found, "diff", Q2, Q3, "--no-impact"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "employees min 300 -> 200: widened" in done.stdout
