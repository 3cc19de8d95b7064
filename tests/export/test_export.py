"""`icp export` as users run it: the installed command on the example repository, each
target against its golden file, the cap and the exclusions, labels, and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from icpkit.export.linkedin import TEMPLATE
from icpkit.export.targeting import audience_schema
from tests.conftest import run_icp
from tests.export.conftest import MIDMARKET, score, without_columns, write_overrides
from tests.goldenfile import Golden

# Each test runs `icp score` and `icp export` as subprocesses: seconds each.
pytestmark = pytest.mark.slow

INDUSTRIES = """\
saas: Software Development
consulting: [Business Consulting and Services, IT Services and IT Consulting]
staffing: Staffing and Recruiting
"""


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def good_or_better(scored: Path) -> pd.DataFrame:
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    return frame[frame["band"].isin(["strong", "good"]) & (frame["status"] != "disqualified")]


def test_crm_import_matches_golden(example_repo: Path, routed: Path, golden: Golden) -> None:
    done = run_icp(
        example_repo, "export", "scored.csv", "--to", "crm", "--id-column", "deal_id",
        "--label", "band=ICP_Band__c", "--label", "deal_id=External_Id__c",
        "-o", "crm.csv", "--sdl", "crm.sdl",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (example_repo / "crm.csv").read_text(encoding="utf-8")
    golden.check("export.crm.csv", text)
    golden.check("export.crm.sdl", (example_repo / "crm.sdl").read_text(encoding="utf-8"))
    header = text.splitlines()[0].split(",")
    assert header == ["External_Id__c", "score", "ICP_Band__c", "route", "abm_tier", "icp_id",
                      "icp_version", "disqualifier"]  # fmt: skip
    assert len(rows(text)) == 40
    assert "40 accounts for the CRM import -> crm.csv" in done.stderr


def test_crm_takes_labels_and_id_from_settings_and_more_fields(
    example_repo: Path, routed: Path
) -> None:
    settings = example_repo / "pyproject.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\n[tool.icp.export]\nid-column = "deal_id"\n'
        + '[tool.icp.export.labels]\nscore = "ICP_Score__c"\nsla_hours = "SLA__c"\n',
        encoding="utf-8",
    )
    done = run_icp(example_repo, "export", "scored.csv", "--to", "crm", "--field", "sla_hours")
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    assert header[:2] == ["deal_id", "ICP_Score__c"] and header[-1] == "SLA__c"


def test_crm_refuses_a_file_scored_without_routing(example_repo: Path, scored: Path) -> None:
    without_columns(scored, "route", "sla_hours", "abm_tier", "abm_rank")
    done = run_icp(example_repo, "export", "scored.csv", "--to", "crm", "--id-column", "deal_id")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: scored.csv: no 'route' column, which --to crm needs")
    assert "give the ICP an `activation:` section and re-score" in done.stderr


def test_crm_refuses_an_id_twice_and_an_unknown_label(example_repo: Path, routed: Path) -> None:
    twice = run_icp(example_repo, "export", "scored.csv", "--to", "crm", "--id-column", "outcome")
    assert twice.returncode == 2
    assert "Error: scored.csv: outcome 'won' is on rows 2 and 7" in twice.stderr, twice.stderr
    label = run_icp(
        example_repo, "export", "scored.csv", "--to", "crm", "--id-column", "deal_id",
        "--label", "bnad=ICP_Band__c",
    )  # fmt: skip
    assert label.returncode == 2 and "--label 'bnad': the export has no such column" in label.stderr
    no_id = run_icp(example_repo, "export", "scored.csv", "--to", "crm")
    assert no_id.returncode == 2 and "--to crm needs --id-column" in no_id.stderr


def test_linkedin_companies_match_golden(example_repo: Path, scored: Path, golden: Golden) -> None:
    done = run_icp(example_repo, "export", "scored.csv", "--to", "linkedin-companies")
    assert done.returncode == 0, done.stderr
    golden.check("export.linkedin-companies.csv", done.stdout)
    assert tuple(done.stdout.splitlines()[0].split(",")) == TEMPLATE
    kept = good_or_better(scored).assign(score=lambda f: f["score"].astype(float))
    best = kept.sort_values("score", ascending=False, kind="mergesort")["account"]
    assert [r["companyname"] for r in rows(done.stdout)] == list(best)
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    disqualified = int((frame["status"] == "disqualified").sum())
    assert disqualified > 0
    assert f"{disqualified} anti-ICP match" in done.stderr
    assert "columns: companyname <- account, companywebsite <- website" in done.stderr
    assert "LinkedIn needs a list of at least 300" in done.stderr


def test_linkedin_companies_are_capped_best_first(example_repo: Path, scored: Path) -> None:
    frame = pd.read_parquet(_as_parquet(scored))
    kept = good_or_better(scored).assign(score=lambda f: f["score"].astype(float))
    best = kept.sort_values("score", ascending=False, kind="mergesort")["account"].head(3)
    # A company name a spreadsheet would run as a formula is written as text.
    frame.loc[frame["account"] == best.iloc[0], "account"] = "=HYPERLINK(1)"
    frame.to_parquet(example_repo / "scored.parquet")
    done = run_icp(example_repo, "export", "scored.parquet", "--to", "linkedin-companies",
                   "--limit", "3", "-o", "li.csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = rows((example_repo / "li.csv").read_text(encoding="utf-8"))
    assert [r["companyname"] for r in listed] == ["'=HYPERLINK(1)", *best.iloc[1:]]
    assert f"{len(kept) - 3} accounts cut by the 3-row cap" in done.stderr
    wrong = run_icp(example_repo, "export", "scored.parquet", "--to", "linkedin-companies",
                    "-o", "li.parquet")  # fmt: skip
    assert wrong.returncode == 2 and "name the file .csv" in wrong.stderr


def test_linkedin_companies_list_each_company_once(example_repo: Path, scored: Path) -> None:
    # A deals export holds a row per opportunity: the same company on several rows.
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    kept = good_or_better(scored).assign(score=lambda f: f["score"].astype(float))
    best, second = kept.sort_values("score", ascending=False, kind="mergesort")["account"][:2]
    frame.loc[frame["account"] == second, "account"] = f"  {best.upper()} "
    frame.to_csv(scored, index=False)
    done = run_icp(example_repo, "export", "scored.csv", "--to", "linkedin-companies")
    assert done.returncode == 0, done.stderr
    names = [r["companyname"] for r in rows(done.stdout)]
    assert names.count(best) == 1 and best.upper() not in names
    assert len(names) == len(kept) - 1
    assert "1 row repeating a company listed from a better one" in done.stderr


def _as_parquet(scored: Path) -> Path:
    """The scored file as `icp score -o scored.parquet` writes it (typed columns)."""
    done = run_icp(scored.parent, "score", MIDMARKET, "accounts.csv", "-o", "scored.parquet")
    assert done.returncode == 0, done.stderr
    return scored.parent / "scored.parquet"


def test_linkedin_companies_scored_on_the_fly_are_the_same(
    example_repo: Path, scored: Path, accounts: Path
) -> None:
    stored = run_icp(example_repo, "export", "scored.csv", "--to", "linkedin-companies")
    live = run_icp(example_repo, "export", "accounts.csv", "--icp", MIDMARKET,
                   "--to", "linkedin-companies", "--map", "companyemaildomain=website")  # fmt: skip
    assert live.returncode == 0, live.stderr
    names = [(r["companyname"], r["companywebsite"]) for r in rows(stored.stdout)]
    assert [(r["companyname"], r["companyemaildomain"]) for r in rows(live.stdout)] == names


def test_overrides_force_accounts_in_and_out(
    example_repo: Path, scored: Path, accounts: Path
) -> None:
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    strong = frame[frame["band"] == "strong"]["account"].iloc[0]
    poor = frame[frame["band"] == "poor"]["account"].iloc[0]
    write_overrides(example_repo, {poor: "band: good", strong: "target: exclude"})
    score(example_repo, accounts)
    done = run_icp(example_repo, "export", "scored.csv", "--to", "linkedin-companies")
    assert done.returncode == 0, done.stderr
    names = {r["companyname"] for r in rows(done.stdout)}
    assert poor in names and strong not in names
    assert "1 forced in and 1 forced out by overrides" in done.stderr
    tiers = run_icp(example_repo, "export", "scored.csv", "--to", "target-accounts")
    assert poor in tiers.stdout and strong not in tiers.stdout


def test_linkedin_targeting_matches_golden(example_repo: Path, golden: Golden) -> None:
    (example_repo / "industries.yaml").write_text(INDUSTRIES, encoding="utf-8")
    done = run_icp(example_repo, "export", "--to", "linkedin-targeting", "--icp", MIDMARKET,
                   "--industries", "industries.yaml", "-o", "targeting.csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (example_repo / "targeting.csv").read_text(encoding="utf-8")
    golden.check("export.linkedin-targeting.csv", text)
    sizes = [r for r in rows(text) if r["facet"] == "Company size" and r["action"] == "include"]
    # 200-2,000 employees: 201-500 and 501-1,000 wholly, 51-200 and 1,001-5,000 in part.
    assert [(r["value"], bool(r["note"])) for r in sizes] == [
        ("51-200", True), ("201-500", False), ("501-1,000", False), ("1,001-5,000", True),
    ]  # fmt: skip
    assert "no LinkedIn industry for industry fintech" in done.stderr
    assert "no LinkedIn industry for industry agency" in done.stderr
    assert "anti-ICP build-in-house is not excluded: it is a signal" in done.stderr


def test_audience_json_matches_golden_and_its_schema(example_repo: Path, golden: Golden) -> None:
    (example_repo / "industries.yaml").write_text(INDUSTRIES, encoding="utf-8")
    icp = "icps/emea-fintech-multicurrency.yaml"
    done = run_icp(example_repo, "export", "--to", "audience-json", "--icp", icp,
                   "--industries", "industries.yaml")  # fmt: skip
    assert done.returncode == 0, done.stderr
    golden.check("export.audience.json", done.stdout)
    data = json.loads(done.stdout)
    jsonschema.validate(data, audience_schema())
    assert data["format"] == "icpkit-audience/1"
    assert {e["anti_icp"] for e in data["not_expressed"]} >= {"single-currency", "parent-decides"}


def test_target_accounts_match_golden(example_repo: Path, routed: Path, golden: Golden) -> None:
    done = run_icp(example_repo, "export", "scored.csv", "--to", "target-accounts",
                   "--label", "abm_tier=Tier")  # fmt: skip
    assert done.returncode == 0, done.stderr
    golden.check("export.target-accounts.csv", done.stdout)
    listed = rows(done.stdout)
    # The scorer's ranks, in order; tied accounts share one (1, 2, 2, 4) in the file's order.
    ranks = [int(r["rank"]) for r in listed]
    assert ranks[0] == 1 and ranks != list(range(1, len(ranks) + 1))
    assert all(r in (ranks[i - 1], i + 1) for i, r in enumerate(ranks) if i)
    frame = pd.read_csv(routed, dtype=str, keep_default_na=False)
    tiered = frame[frame["abm_tier"] != ""].sort_values(
        "abm_rank", key=lambda r: r.astype(int), kind="mergesort"
    )
    assert [r["Tier"] for r in listed] == tiered["abm_tier"].tolist()


def test_target_accounts_list_each_account_once_from_its_best_row(
    example_repo: Path, scored: Path, accounts: Path
) -> None:
    once = run_icp(example_repo, "export", "scored.csv", "--to", "target-accounts")
    assert once.returncode == 0, once.stderr
    # A deals export: five deals per account (more strong rows than the 1:1 tier's top 25),
    # the best account's worst deal first.
    frame = pd.read_csv(accounts, dtype=str, keep_default_na=False)
    top = rows(once.stdout)[0]["account"]
    worse = frame[frame["account"] == top].assign(employees="5000")
    pd.concat([worse, *[frame] * 5]).to_csv(example_repo / "deals.csv", index=False)
    deals = score(example_repo, example_repo / "deals.csv", "deals-scored.csv")
    done = run_icp(example_repo, "export", deals.name, "--to", "target-accounts")
    assert done.returncode == 0, done.stderr
    listed, expected = rows(done.stdout), rows(once.stdout)
    # The same accounts, scores and ranks as the one-row-per-account file gives.
    keys = ("rank", "account", "score", "band")
    assert [[r[k] for k in keys] for r in listed] == [[r[k] for k in keys] for r in expected]
    # Each tier is the one the scorer gave the account's best row (it counted rows).
    frame = pd.read_csv(deals, dtype=str, keep_default_na=False)
    best = frame.sort_values("score", key=lambda s: -s.astype(float), kind="mergesort")
    tier = best.drop_duplicates("account").set_index("account")["abm_tier"]
    assert [r["abm_tier"] for r in listed] == [tier[r["account"]] for r in listed]
    assert sum(r["abm_tier"] == "1:1" for r in listed) < sum(
        r["abm_tier"] == "1:1" for r in expected
    )
    repeats = len(frame) - len(frame["account"].unique())
    tiered = frame[(frame["abm_tier"] != "") & (frame["status"] != "disqualified")]
    left = len(tiered) - len(listed)
    assert 0 < left <= repeats
    assert f"{left:,} rows repeat an account listed from its best row" in done.stderr
    assert "a tier's `top` counted every row of an account" in done.stderr
    assert f"{left:,} rows repeating an account listed from a better one left out" in done.stderr


def test_target_accounts_compute_no_tier(example_repo: Path, scored: Path) -> None:
    without_columns(scored, "abm_tier", "abm_rank")
    done = run_icp(example_repo, "export", "scored.csv", "--to", "target-accounts")
    assert done.returncode == 2
    assert "no 'abm_tier' column" in done.stderr and "computes no tier" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("accounts.csv", "--to", "linkedin-companies"),
         "Error: accounts.csv: not a scored file (no icp_id"),
        (("missing.csv", "--to", "crm", "--id-column", "x"),
         "Error: data file not found: missing.csv"),
        (("--to", "audience-json", "--icp", MIDMARKET, "--industries", "bad.yaml"),
         "Error: bad.yaml:2:1: not valid YAML"),
        (("--to", "audience-json", "--icp", "icps"), "reads one ICP, and icps holds 3"),
        (("accounts.csv", "--to", "audience-json", "--icp", MIDMARKET),
         "reads the ICP's criteria, not accounts"),
        (("--to", "linkedin-companies"), "reads scored accounts: name the scored file"),
        (("accounts.csv", "--to", "crm", "--limit", "5"),
         "--map and --limit are for --to linkedin-companies"),
    ],
)  # fmt: skip
def test_bad_input_is_an_error_naming_the_file(
    example_repo: Path, accounts: Path, args: tuple[str, ...], message: str
) -> None:
    (example_repo / "bad.yaml").write_text("saas: [unclosed\n", encoding="utf-8")
    done = run_icp(example_repo, "export", *args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_score_that_is_not_a_number_names_its_row(example_repo: Path, scored: Path) -> None:
    frame = pd.read_csv(scored, dtype=str, keep_default_na=False)
    frame.loc[4, "score"] = "high"
    frame.to_csv(scored, index=False)
    done = run_icp(example_repo, "export", "scored.csv", "--to", "linkedin-companies")
    assert done.returncode == 2
    assert "Error: scored.csv: row 6, column 'score': 'high' is not a score" in done.stderr
