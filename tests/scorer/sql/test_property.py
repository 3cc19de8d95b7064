"""Property: for any ICP and any accounts, the compiled SQL on DuckDB equals the pandas scorer.

Hypothesis draws ICPs (ranges, categories, lists, partial credit, negative weights,
triggers read from ids or from `when` conditions, anti-ICPs, bands, unknown share; rules
that name unknown markers such as `in: [Unknown]`; routes and ABM tiers, so ranks and
their ties too) and accounts written the way CRM exports
write them (thousands separators, currency and scale words, unknown markers, odd case and
spacing, a missing column), then compares every score column, row by row.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpkit.format.model import (
    AbmTier,
    Activation,
    AntiIcp,
    Attribute,
    Bands,
    Condition,
    Form,
    Icp,
    Match,
    Partial,
    Route,
    Scoring,
    Trigger,
)
from icpkit.format.valid import load_icp
from icpkit.project.mapping import DataMapping
from icpkit.scorer.contract import ALL_BANDS, SCORE_BANDS
from icpkit.scorer.prepare import prepare_accounts
from icpkit.scorer.routing import route_frame
from icpkit.scorer.score import score_frame
from icpkit.scorer.sql.compile import compile_icp
from icpkit.scorer.tables import TEXT_DTYPE, Table
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # hundreds of Hypothesis examples, each through DuckDB: ~2 minutes
BASE = load_icp(ROOT / "icps" / "midmarket-saas-revops.yaml")

NUMERIC_FIELDS = ("employees", "revenue_usd")
CATEGORY_FIELDS = ("industry", "country")
LIST_FIELDS = ("tech_stack",)
ALL_FIELDS = NUMERIC_FIELDS + CATEGORY_FIELDS + LIST_FIELDS
WORDS = ("saas", "fintech", "retail", "us", "gb", "salesforce", "hubspot", "slack")
TRIGGER_IDS = ("new-cfo", "series-b", "missed_forecast")
# Rules may name a value that is also an unknown marker: explicit beats default there.
MARKER_WORDS = ("Unknown", "N/A", "none", "tbd", "-")

numbers_as_written = st.one_of(
    st.integers(-2000, 200_000).map(str),
    st.integers(1000, 9_999_999).map(lambda n: f"{n:,}"),
    st.floats(0, 5000, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.sampled_from(
        ["$25M", "2.5k", "(300)", "12%", "EUR 1.2bn", "usd 40", "-5", "+7", ".5", "5.",
         "1e3", "3,5", "abc", "n/a", "N/A", "Unknown", "", "  42  ", "1 200", "$ 1,200.50",
         "25m.", "40 million", "-$3k", "12 k usd", "None", "nA", "?",
         # Overflow, doubled signs and decimal commas: unreadable, or read per `decimal`.
         "-1e309", "1e309", "1" + "0" * 400, "--500", "-$-5", "+-3", "$-5", "1.200,50",
         "1.200", "1.200.000", "1 200,5", "(1.5)", "1" + "0" * 240 + "bn"]
    ),
)  # fmt: skip
word_as_written = st.sampled_from(WORDS).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.title(), f" {w} ", w + "x"])
)
cells = {
    "number": st.one_of(st.none(), numbers_as_written),
    "word": st.one_of(
        st.none(),
        word_as_written,
        st.sampled_from(["n/a", "", "-", "UNKNOWN", "Unknown", "unKnown", "None", "TBD", "N/a"]),
    ),
    "list": st.one_of(
        st.none(),
        st.sampled_from(["Unknown", "none", "n/a", "saas; Unknown", "TBD;hubspot"]),
        st.lists(word_as_written, max_size=4).map(lambda items: ";".join(items)),
        st.lists(word_as_written, min_size=1, max_size=3).map(lambda items: " ; ".join(items)),
    ),
    "triggers": st.one_of(
        st.none(),
        st.lists(st.sampled_from([*TRIGGER_IDS, "other", "NEW-CFO"]), max_size=3).map(";".join),
    ),
}

weights = st.sampled_from([-10.0, -2.5, 0.0, 1.0, 2.5, 5.0, 10.0, 12.5, 20.0, 33.3, 50.0])
edges = st.one_of(st.none(), st.sampled_from([-100.0, 0.0, 10.0, 50.0, 200.0, 1000.0, 2e6, 1e9]))


@st.composite
def matches(draw: st.DrawFn, field: str) -> Match:
    if field in NUMERIC_FIELDS:
        low, high = draw(edges), draw(edges)
        if low is not None and high is not None and low > high:
            low, high = high, low
        return Match(Form.RANGE, min=low, max=high)
    picked = tuple(
        draw(st.lists(st.sampled_from(WORDS + MARKER_WORDS), min_size=1, max_size=3, unique=True))
    )
    if field in CATEGORY_FIELDS:
        return Match(
            Form.IN, values=tuple(f" {v.upper()}" if i == 0 else v for i, v in enumerate(picked))
        )
    return Match(draw(st.sampled_from([Form.ANY, Form.ALL])), values=picked)


@st.composite
def icps(draw: st.DrawFn) -> Icp:
    fields = draw(
        st.lists(
            st.sampled_from(ALL_FIELDS),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    attributes = []
    for name in fields:
        partial = tuple(
            Partial(
                draw(matches(name)), draw(st.sampled_from([-0.5, 0.0, 0.25, 0.5, 0.9, 1.5])), ()
            )
            for _ in range(draw(st.integers(0, 2)))
        )
        attributes.append(
            Attribute(name, "firmographics", draw(matches(name)), draw(weights), partial, ())
        )
    triggers = []
    for trigger_id in draw(st.lists(st.sampled_from(TRIGGER_IDS), max_size=3, unique=True)):
        # Read from the `triggers` column, or from the row's own columns (any field).
        names = draw(st.lists(st.sampled_from(ALL_FIELDS), max_size=2, unique=True))
        when = tuple(Condition(n, draw(matches(n)), ()) for n in names)
        triggers.append(Trigger(trigger_id, "event", draw(weights), (), when=when))
    anti = []
    for index in range(draw(st.integers(0, 3))):
        names = draw(st.lists(st.sampled_from(fields), max_size=2, unique=True))
        when = tuple(Condition(n, draw(matches(n)), ()) for n in names)
        anti.append(AntiIcp(f"anti-{index}", "reason", (), when=when))
    floors = sorted(
        draw(
            st.lists(
                st.sampled_from([0.0, 10.0, 25.5, 40.0, 55.0, 70.0, 85.0, 100.0]),
                min_size=4,
                max_size=4,
            )
        ),
        reverse=True,
    )
    scoring = Scoring(Bands(*floors), draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])))
    return dataclasses.replace(
        BASE,
        attributes=tuple(attributes),
        triggers=tuple(triggers),
        anti_icp=tuple(anti),
        scoring=scoring,
        activation=draw(st.one_of(st.none(), activations())),
    )


@st.composite
def activations(draw: st.DrawFn) -> Activation:
    """Routes for some outcomes (SLA or none) and tiers by rank and band, overlaps and
    all: the scorer must agree with the SQL whatever the rules say of them."""
    bands = draw(st.lists(st.sampled_from(ALL_BANDS), max_size=len(ALL_BANDS), unique=True))
    routes = tuple(
        Route(b, f"queue-{b}", (), draw(st.one_of(st.none(), st.sampled_from([0.5, 4.0, 48.0]))))
        for b in bands
    )
    tiers = tuple(
        AbmTier(
            f"tier-{i}",
            (),
            draw(st.one_of(st.none(), st.integers(1, 12))),
            draw(st.one_of(st.none(), st.sampled_from(SCORE_BANDS))),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    return Activation(routes, tiers)


@st.composite
def accounts(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(1, 25))
    columns = {
        **dict.fromkeys(NUMERIC_FIELDS, cells["number"]),
        **dict.fromkeys(CATEGORY_FIELDS, cells["word"]),
        **dict.fromkeys(LIST_FIELDS, cells["list"]),
        "triggers": cells["triggers"],
    }
    data = {
        name: draw(st.lists(strategy, min_size=rows, max_size=rows))
        for name, strategy in columns.items()
    }
    if draw(st.booleans()):
        del data["triggers"]
    return pd.DataFrame(data).astype(TEXT_DTYPE)


def pandas_scores(icp: Icp, frame: pd.DataFrame, mapping: DataMapping) -> pd.DataFrame:
    prepared = prepare_accounts(Table(frame, Path("accounts.csv")), [icp], mapping)
    return route_frame(score_frame(icp, prepared.frame), [icp])


def sql_scores(icp: Icp, frame: pd.DataFrame, mapping: DataMapping) -> pd.DataFrame:
    present = set(frame.columns)
    compiled = compile_icp(
        icp,
        mapping=mapping,
        keep=[],
        columns={
            name: name
            for name in [*NUMERIC_FIELDS, *CATEGORY_FIELDS, *LIST_FIELDS, "triggers"]
            if name in present
        },
        pretty=False,
    )
    con = duckdb.connect()
    con.register("accounts", frame)
    return con.sql(compiled.sql).df()


def assert_same(expected: pd.DataFrame, actual: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns)
    for column in expected.columns:
        left = expected[column].astype(object).where(expected[column].notna(), None).tolist()
        right = actual[column].astype(object).where(actual[column].notna(), None).tolist()
        assert left == right, column


MAPPINGS = [
    DataMapping(absent_fields=("triggers",)),
    DataMapping(
        absent_fields=("triggers",),
        values={"country": {"united states": "us", "uk": "gb"}, "employees": {"tiny": (1.0, 9.0)}},
        unknown_values=("n/a", "tbd"),
    ),
    # A field the export lacks: attributes, anti-ICPs and `when` triggers read it as unknown.
    DataMapping(absent_fields=("triggers", "country")),
    # Decimal commas, with a coded band whose midpoint (5.0) must read as 5 too.
    DataMapping(absent_fields=("triggers",), decimal=",", values={"employees": {"tiny": (1, 9)}}),
]


@pytest.mark.parametrize(
    "mapping", MAPPINGS, ids=["defaults", "codes-and-markers", "absent", "decimal-comma"]
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(icp=icps(), frame=accounts())
def test_compiled_sql_equals_pandas_scorer(
    icp: Icp, frame: pd.DataFrame, mapping: DataMapping
) -> None:
    frame = frame.drop(columns=[c for c in mapping.absent_fields if c != "triggers"])
    assert_same(pandas_scores(icp, frame, mapping), sql_scores(icp, frame, mapping))


written_text = st.one_of(
    numbers_as_written,
    st.text(alphabet="0123456789.,'_ $€£%()+-kmbKMBnusdeurgbpilot", max_size=12),
)


@pytest.mark.parametrize("decimal", [".", ","])
@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), written_text), min_size=1, max_size=40))
def test_numbers_read_alike(texts: list[str | None], decimal: str) -> None:
    """Each cell the pandas reader takes as a number, the SQL reads as the same number."""
    from sqlglot import exp

    from icpkit.scorer.contract import NUMERIC
    from icpkit.scorer.prepare import _convert
    from icpkit.scorer.sql import values

    mapping = DataMapping(decimal=decimal)
    frame = pd.DataFrame({"cell": texts}).astype(TEXT_DTYPE)
    markers = frozenset(values.unknown_markers(mapping.unknown_values))
    expected, _ = _convert(frame["cell"], NUMERIC, None, markers, decimal)
    text = values.known_text(values.trimmed(exp.column("cell")), None, mapping.unknown_values)
    number = values.number_of(text, decimal)
    query = exp.select(exp.alias_(number, "n")).from_("cells").sql("duckdb")
    con = duckdb.connect()
    con.register("cells", frame)
    actual = con.sql(query).df()["n"]
    left = [None if pd.isna(v) else float(v) for v in expected]
    right = [None if pd.isna(v) else float(v) for v in actual]
    assert left == right
