"""Reading a customers file shaped like a billing export: mapped columns, churned/active
labels, blanks; and the labels that cannot be read stop with the labels found."""

from __future__ import annotations

from pathlib import Path

import pytest

from icpkit.errors import ConfigError, InputError
from icpkit.format.valid import load_icp
from icpkit.project.settings import read_config
from icpkit.scorer.customers import Customers, read_customers
from tests.scorer.customer_files import (
    CUSTOMERS,
    CUSTOMERS_FILE,
    HEADER,
    customer_rows,
    project,
    write_csv,
)


def _read(folder: Path) -> Customers:
    config = read_config(folder)
    icp = load_icp(folder / "icps" / "base.yaml")
    return read_customers(folder / CUSTOMERS_FILE, [icp], config)


def test_a_billing_export_reads_with_its_labels_dates_and_blanks(tmp_path: Path) -> None:
    read = _read(project(tmp_path))
    frame = read.frame
    assert list(frame["churned"]) == [c.churned for c in CUSTOMERS]
    # Blank and n/a are unknown; a churned customer's blank current MRR stays blank here.
    assert frame["current_mrr"].isna().sum() == sum(c.current is None for c in CUSTOMERS)
    assert frame["starting_mrr"].tolist() == [1000.0] * len(CUSTOMERS)
    churned = frame[frame["churned"]]
    # ISO and day-first cancel dates in one column both read.
    assert churned["ended_on"].notna().all()
    assert (frame.loc[~frame["churned"], "ended_on"].isna()).all()
    days = (churned["ended_on"] - churned["started_on"]).dt.days.tolist()
    assert days == [c.days for c in CUSTOMERS if c.churned]
    assert read.shown == CUSTOMERS_FILE


def test_an_unmapped_label_lists_the_labels_found(tmp_path: Path) -> None:
    rows = customer_rows(labels=("TRUE", "FALSE"))
    with pytest.raises(InputError) as caught:
        _read(project(tmp_path, rows=rows))
    message = str(caught.value)
    assert "column 'Status' holds labels that are neither churned nor active" in message
    found = [row[1] for row in rows]
    assert f"'FALSE' ({found.count('FALSE')})" in message
    assert f"'TRUE' ({found.count('TRUE')})" in message
    assert "cancelled" not in message  # a default label: read, not listed
    # "Status" does not ask "active?", so TRUE is proposed as churned.
    assert '  churned = ["TRUE"]\n  active = ["FALSE"]' in message


def test_mapped_labels_read(tmp_path: Path) -> None:
    extra = '[tool.icp.customer-outcomes]\nchurned = [true]\nactive = ["FALSE"]\n'
    read = _read(project(tmp_path, rows=customer_rows(labels=("TRUE", "FALSE")), extra=extra))
    assert list(read.frame["churned"]) == [c.churned for c in CUSTOMERS]


def test_one_row_per_customer(tmp_path: Path) -> None:
    rows = customer_rows()
    rows[1][0] = rows[0][0]
    with pytest.raises(InputError, match=r"1 account on several rows, e\.g\. 'Account 00'"):
        _read(project(tmp_path, rows=rows))


def test_a_blank_outcome_names_its_rows(tmp_path: Path) -> None:
    rows = customer_rows()
    rows[2][1] = ""
    with pytest.raises(InputError, match=r"1 customers have no churned/active outcome .*rows 4"):
        _read(project(tmp_path, rows=rows))


def test_the_header_is_a_billing_exports(tmp_path: Path) -> None:
    project(tmp_path)
    first = (tmp_path / CUSTOMERS_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert first.split(",")[:8] == HEADER[:8]


def test_a_label_cannot_be_both_churned_and_active(tmp_path: Path) -> None:
    extra = '[tool.icp.customer-outcomes]\nactive = ["Churned"]\n'
    with pytest.raises(ConfigError, match="outcome label 'Churned' is both churned and active"):
        read_config(project(tmp_path, extra=extra))


def test_the_accounts_file_keeps_its_own_column_names(tmp_path: Path) -> None:
    # The customers file names its account column "Customer" (customer-columns); the
    # accounts file, shared with the deals, calls it "account".
    folder = project(tmp_path)
    rows = customer_rows()
    attributes = len(HEADER) - 8
    write_csv(
        folder / "fixtures" / "accounts.csv",
        ["account", "Segment"],
        [[row[0], "enterprise" if row[-attributes] == "500" else "smb"] for row in rows],
    )
    path = folder / CUSTOMERS_FILE
    write_csv(path, HEADER, rows)
    config = read_config(folder)
    icp = load_icp(folder / "icps" / "base.yaml")
    read = read_customers(path, [icp], config, folder / "fixtures" / "accounts.csv")
    assert read.frame["churned"].tolist() == [c.churned for c in CUSTOMERS]
    assert not [i for i in read.issues if "not in" in i]
