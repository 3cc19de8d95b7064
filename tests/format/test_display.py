"""Values read as people say them: the ICP's own names, the format's, CLDR's countries."""

from __future__ import annotations

import pytest
from babel import Locale

from icpkit.format.describe import describe_conditions, describe_match, field_label
from icpkit.format.display import DEFAULT_NAMES, Names
from icpkit.format.model import Condition, Form, Match


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("c-level", "C-level"),
        ("individual-contributor", "Individual contributor"),
        ("series-b", "Series B"),
        ("Series-C", "Series C"),
        ("linkedin", "LinkedIn"),
        ("erp", "ERP"),
        ("saas", "SaaS"),
        ("Tires & Wheels", "Tires & Wheels"),  # nobody named it: shown as written
        ("Unknown", "Unknown"),
    ],
)
def test_known_values_read_as_words(value: str, expected: str) -> None:
    assert DEFAULT_NAMES.value(value) == expected


def test_country_codes_are_named_only_in_country_fields() -> None:
    english = Locale("en").territories
    assert DEFAULT_NAMES.value("GB", "country") == english["GB"] == "United Kingdom"
    assert DEFAULT_NAMES.value("de", "hq_country") == english["DE"]
    # `IT` is Italy in a country field and the IT department anywhere else.
    assert DEFAULT_NAMES.value("IT", "country") == "Italy"
    assert DEFAULT_NAMES.value("it", "department") == "IT"
    assert DEFAULT_NAMES.value("United Kingdom", "country") == "United Kingdom"


def test_the_icps_own_names_win_case_insensitively() -> None:
    names = Names.of([("DACH", "Germany, Austria and Switzerland"), ("series-b", "B round")])
    assert names.value("dach", "region") == "Germany, Austria and Switzerland"
    assert names.value("Series-B") == "B round"
    assert names.value("series-c") == "Series C"


def test_descriptions_name_values_only_when_asked() -> None:
    match = Match(Form.IN, values=("US", "GB"))
    # Authors' views (the diff, suggest) keep the file's spelling; pages ask for names.
    assert describe_match("country", match) == "one of US, GB"
    assert describe_match("country", match, DEFAULT_NAMES) == "one of United States, United Kingdom"
    when = (Condition("funding_stage", Match(Form.IN, values=("series-a",)), ()),)
    assert describe_conditions(when, DEFAULT_NAMES) == "Funding stage Series A"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("erp", "ERP"),
        ("crm_system", "CRM system"),
        ("revenue_usd", "Revenue (USD)"),
        ("revenue_eur", "Revenue (EUR)"),
        ("sales_team_growth_pct", "Sales team growth (%)"),
    ],
)
def test_field_labels_spell_acronyms_and_currencies(name: str, expected: str) -> None:
    assert field_label(name) == expected
