"""Mapping a CRM export onto the canonical columns, and the errors that name the fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pytest

from icpkit.errors import InputError
from icpkit.project.mapping import build_mapping
from icpkit.scorer.prepare import prepare_accounts, prepare_deals
from icpkit.scorer.tables import Table
from tests.scorer.conftest import IcpFn

DEALS: dict[str, list[str | None]] = {
    "Deal ID": ["D1", "D2", "D3"],
    "Stage": ["Closed Won", "closed lost", "Open"],
    "Employees": ["3", "1", "5"],
    "revenue_usd": ["$25M", "n/a", "7"],
    "industry": ["SaaS", "Technolgy", None],
    "country": ["US", "US", "GB"],
    "tech_stack": ["salesforce", None, None],
    "triggers": [None, None, None],
}
MAPPING = {
    "columns": {"outcome": "Stage"},
    "values": {
        "employees": {"1": {"max": 1000}, "3": {"min": 5000, "max": 15000}, "5": {"min": 25000}},
        "industry": {"technolgy": "saas"},
    },
}


def table(data: Mapping[str, Sequence[str | None]], name: str = "deals.csv") -> Table:
    return Table(pd.DataFrame(data, dtype="string"), Path(name))


def test_columns_outcomes_codes_and_values(make_icp: IcpFn) -> None:
    prepared = prepare_deals(table(DEALS), [make_icp()], build_mapping(MAPPING))
    out = prepared.frame
    assert out["deal_id"].tolist() == ["D1", "D2", "D3"]  # "Deal ID" found without mapping
    assert out["outcome"].tolist() == ["won", "lost", "open"]
    # Coded bands score as their midpoint, or their one edge when open-ended.
    assert out["employees"].tolist() == [10000.0, 1000.0, 25000.0]
    assert out["revenue_usd"].iloc[0] == 25e6 and pd.isna(out["revenue_usd"].iloc[1])
    assert out["industry"].tolist()[:2] == ["SaaS", "saas"]
    assert prepared.issues == ()


def test_missing_columns_name_the_mapping_that_fixes_them(make_icp: IcpFn) -> None:
    data = {k: v for k, v in DEALS.items() if k != "tech_stack"} | {
        "Tech Stack (CRM)": DEALS["tech_stack"]
    }
    with pytest.raises(InputError) as caught:
        prepare_deals(table(data), [make_icp()], build_mapping({}))
    message = str(caught.value)
    assert message.startswith("deals.csv: no column for tech_stack, outcome.")
    assert "[tool.icp.columns]" in message
    # Proposed by its values (won and lost labels), not by the look of its name.
    assert 'outcome = "Stage"   # holds Closed Won, closed lost, Open' in message
    assert "Columns in the file: 'Deal ID', 'Stage'" in message
    assert "absent-fields = ['tech_stack']" in message


def test_a_mapped_column_that_is_not_there(make_icp: IcpFn) -> None:
    mapping = build_mapping({"columns": {"outcome": "stage"}})
    with pytest.raises(InputError, match=r"maps outcome to 'stage'.*did you mean 'Stage'"):
        prepare_deals(table(DEALS), [make_icp()], mapping)


def test_absent_fields_score_as_unknown(make_icp: IcpFn) -> None:
    data = {k: v for k, v in DEALS.items() if k != "tech_stack"}
    mapping = build_mapping({**MAPPING, "absent-fields": ["tech_stack"]})
    prepared = prepare_deals(table(data), [make_icp()], mapping)
    assert "tech_stack" not in prepared.frame and "tech_stack" in prepared.absent


IBM_LIKE: dict[str, list[str | None]] = {
    "Opportunity Number": ["7101", "7102", "7103", "7104"],
    "Opportunity Result": ["Won", "Loss", "Loss", "Won"],
    "Opportunity Amount USD": ["100", "200", "200", "300"],
    "Region": ["Pacific", "Pacific", "Midwest", "Midwest"],
}


@pytest.mark.parametrize("outcome", ["Opportunity Result", "Stage"])
def test_an_id_field_is_offered_an_id_column_not_the_outcome(make_icp: IcpFn, outcome: str) -> None:
    # `Opportunity ID` is closest in spelling to `Opportunity Result`: the outcome column,
    # mapped (or, when the mapping misses, found by its Won/Loss values).
    mapping = build_mapping({"columns": {"deal_id": "Opportunity ID", "outcome": outcome}})
    with pytest.raises(InputError) as raised:
        prepare_deals(table(IBM_LIKE), [make_icp()], mapping)
    message = str(raised.value)
    assert "maps deal_id to 'Opportunity ID'" in message
    assert message.endswith("did you mean 'Opportunity Number'?")


def test_an_id_field_is_offered_no_column_that_repeats_values(make_icp: IcpFn) -> None:
    data = {k: v for k, v in IBM_LIKE.items() if k != "Opportunity Number"}
    data["Opportunity No"] = ["7101", "7101", "7102", "7102"]  # a line number per deal line
    mapping = build_mapping({"columns": {"deal_id": "Opportunity ID"}})
    with pytest.raises(InputError) as raised:
        prepare_deals(table(data), [make_icp()], mapping)
    assert str(raised.value).endswith("which is not a column of the file")


def test_a_column_another_field_holds_is_not_offered(make_icp: IcpFn) -> None:
    mapping = build_mapping({"columns": {"outcome": "Stage", "industry": "Stages"}})
    with pytest.raises(InputError) as raised:
        prepare_deals(table(DEALS), [make_icp()], mapping)
    message = str(raised.value)
    assert "maps industry to 'Stages'" in message and "did you mean" not in message


def test_unknown_outcome_labels_are_listed(make_icp: IcpFn) -> None:
    data = DEALS | {"Stage": ["Won", "Negotiation", "Negotiation"]}
    with pytest.raises(InputError, match=r"unknown outcome labels: 'Negotiation' \(2\)"):
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))
    mapping = build_mapping({**MAPPING, "outcomes": {"open": ["negotiation"]}})
    out = prepare_deals(table(data), [make_icp()], mapping).frame
    assert out["outcome"].tolist() == ["won", "open", "open"]


def test_the_hint_lists_the_labels_found_under_what_their_words_say(make_icp: IcpFn) -> None:
    data = DEALS | {"Stage": ["Won Deal", "Prospecting", "Lost to competitor"]}
    with pytest.raises(InputError) as raised:
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))
    hint = str(raised.value).split("\n", 1)[1]
    assert hint.splitlines() == [
        "  [tool.icp.outcomes]",
        '  won = ["Won Deal"]',
        '  lost = ["Lost to competitor"]',
        '  open = ["Prospecting"]',
    ]


@pytest.mark.parametrize(
    ("cells", "won", "lost"),
    [(["TRUE", "FALSE", "FALSE"], "TRUE", "FALSE"), (["0", "1", "0"], "1", "0"),
     (["Yes", "no", "no"], "Yes", "no")],
)  # fmt: skip
def test_a_flag_column_is_hinted_as_won_and_lost_not_open(
    make_icp: IcpFn, cells: list[str], won: str, lost: str
) -> None:
    data = DEALS | {"Stage": cells}
    with pytest.raises(InputError) as raised:
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))
    hint = str(raised.value).split("\n", 1)[1]
    assert hint.splitlines() == [
        "  [tool.icp.outcomes]",
        f'  won = ["{won}"]',
        f'  lost = ["{lost}"]',
        f"  # {won} read as won, {lost} as lost: swap them if the column flags a loss",
    ]
    # The hint, followed, reads the deals.
    mapping = build_mapping({**MAPPING, "outcomes": {"won": [won], "lost": [lost]}})
    out = prepare_deals(table(data), [make_icp()], mapping).frame
    assert sorted(set(out["outcome"])) == ["lost", "won"]


def test_rows_without_an_outcome_are_named_not_listed_as_a_label(make_icp: IcpFn) -> None:
    data = DEALS | {"Stage": ["Won", None, "  "]}
    with pytest.raises(InputError, match=r"2 rows have no outcome \(rows 3, 4\)"):
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))


def test_a_header_without_rows_is_an_input_error(make_icp: IcpFn) -> None:
    data: dict[str, list[str | None]] = {column: [] for column in DEALS}
    with pytest.raises(InputError, match="the file has a header but no rows"):
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))


def test_numbers_that_may_group_thousands_with_a_point_are_warned(make_icp: IcpFn) -> None:
    grouped = DEALS | {"revenue_usd": ["1.500", "2.300", "800"]}
    issues = prepare_deals(table(grouped), [make_icp()], build_mapping(MAPPING)).issues
    [warning] = [i for i in issues if "three digits" in i]
    assert "'revenue_usd'" in warning and "read as 1.5" in warning
    assert 'set decimal = ","' in warning
    plain = DEALS | {"revenue_usd": ["1.5", "2.300", "800"]}
    issues = prepare_deals(table(plain), [make_icp()], build_mapping(MAPPING)).issues
    assert not [i for i in issues if "three digits" in i]


def test_duplicate_deal_ids_stop(make_icp: IcpFn) -> None:
    data = DEALS | {"Deal ID": ["D1", "D1", "D2"]}
    with pytest.raises(InputError, match=r"1 deal ids appear more than once, e\.g\. 'D1'"):
        prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))


def test_exact_copies_are_left_out_and_named_by_row(make_icp: IcpFn) -> None:
    rows = {name: [*cells, cells[0], cells[1], cells[0]] for name, cells in DEALS.items()}
    rows["Deal ID"][4] = "D1"  # D2's cells under D1's id: not a copy of any row
    first = build_mapping(MAPPING | {"duplicate-deals": "first"})
    prepared = prepare_deals(table(rows), [make_icp()], first)
    # Rows 5 and 7 (of the file) repeat row 2; row 6 shares only its id with row 2.
    assert prepared.issues[0] == (
        "deals.csv: 2 rows are exact copies of an earlier row and were left out (rows 5, 7)"
    )
    assert prepared.issues[1].startswith("deals.csv: 1 deal ids are on several rows")
    assert prepared.frame["deal_id"].tolist() == ["D1", "D2", "D3"]


def test_non_numeric_values_are_counted_shown_and_unknown(make_icp: IcpFn) -> None:
    data = {k: v for k, v in DEALS.items() if k not in ("Deal ID", "Stage")}
    data["revenue_usd"] = ["lots", "12", "about 5M"]
    prepared = prepare_accounts(table(data, "accounts.csv"), [make_icp()], build_mapping(MAPPING))
    assert prepared.issues == (
        "accounts.csv: revenue_usd: 2 values not read as numbers, scored as unknown: "
        "row 2 'lots', row 4 'about 5M'",
    )
    assert prepared.frame["revenue_usd"].isna().tolist() == [True, False, True]


def test_accounts_join_onto_deals_and_cycle_from_dates(make_icp: IcpFn) -> None:
    deals = table(
        {
            "deal_id": ["1", "2"],
            "account": ["Acme", "Globex"],
            "outcome": ["won", "lost"],
            "created_on": ["2026-01-01", "2026-02-01"],
            "closed_on": ["2026-03-02", "2026-02-11"],
            "triggers": [None, None],
        }
    )
    account_rows: dict[str, list[str | None]] = {
        "account": ["Globex", "Acme"],
        "employees": ["40", "500"],
        "revenue_usd": ["1", "2"],
        "industry": ["saas", "saas"],
        "country": ["US", "US"],
        "tech_stack": [None, None],
    }
    accounts = table(account_rows, "accounts.csv")
    out = prepare_deals(deals, [make_icp()], build_mapping({}), accounts).frame
    assert out["employees"].tolist() == [500.0, 40.0]
    assert out["cycle_days"].tolist() == [60.0, 10.0]
    twice = table({k: [v[0], v[0]] for k, v in account_rows.items()}, "accounts.csv")
    with pytest.raises(InputError, match=r"accounts\.csv: 1 account on several rows"):
        prepare_deals(deals, [make_icp()], build_mapping({}), twice)


def test_without_an_id_column_deals_are_named_by_their_row(make_icp: IcpFn) -> None:
    data = {k: v for k, v in DEALS.items() if k != "Deal ID"}
    prepared = prepare_deals(table(data), [make_icp()], build_mapping(MAPPING))
    # The row an editor shows, the header being row 1.
    assert prepared.frame["deal_id"].tolist() == ["2", "3", "4"]
    assert prepared.issues == (
        "deals.csv: no deal id column, so each deal is named by its row number",
    )


def test_the_outcome_hint_names_the_column_holding_outcomes(make_icp: IcpFn) -> None:
    data = {
        "Source": ["Web", "Partner", "Web", "Event"],
        "Status": ["Won", "Lost", "Won", "In Review"],
        "employees": ["1", "2", "3", "4"],
    }
    with pytest.raises(InputError) as caught:
        prepare_deals(table(data), [make_icp()], build_mapping({"absent-fields": ["x"]}))
    assert '  outcome = "Status"   # holds Won, Lost, In Review' in str(caught.value)
    assert 'outcome = "Source"' not in str(caught.value)
