"""Compile an ICP into one SQL query (or view) that scores every row of an accounts table.

The query is a chain of CTEs: `icp_values` reads each field once (the normalised value),
`icp_credits` turns values into credit per attribute, trigger presence and the
disqualifying anti-ICP, `icp_totals` adds points up, and the final SELECT names the
columns `icp score` writes. Helper columns start with `_icp_` and are left out of the
result. Arithmetic runs in DOUBLE in the same order as the pandas scorer, so scores are
equal to the last bit, not merely close.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from icpkit.errors import UsageError
from icpkit.format.model import Form, Icp, Match, Trigger
from icpkit.project.mapping import TRIGGERS, DataMapping
from icpkit.scorer.carry import carried_names
from icpkit.scorer.casing import fold
from icpkit.scorer.contract import (
    CATEGORY,
    DISQUALIFIED,
    DISQUALIFIED_BAND,
    INSUFFICIENT,
    LIST,
    NUMERIC,
    SCORED,
    UNKNOWN_BAND,
    Ruler,
    field_kinds,
    points_column,
    routing_columns,
    trigger_column,
)
from icpkit.scorer.explicit import field_markers, kept_markers
from icpkit.scorer.sql import routing, values
from icpkit.scorer.sql.dialects import DIALECTS
from icpkit.scorer.sql.ranks import Ranks
from icpkit.scorer.sql.values import double, string

# Engines that can select "every column but these"; the others carry the source row whole.
_STAR_EXCEPT = frozenset({"duckdb", "snowflake", "bigquery"})
# Engines whose planner inlines each CTE into the next, copying every number-parsing
# expression once per reference (~100 times: 100k rows took minutes on PostgreSQL);
# `AS MATERIALIZED` computes each stage once.
_MATERIALIZED = frozenset({"postgres"})


@dataclass(frozen=True)
class Compiled:
    """The SQL text, and the result columns it names (in the pandas scorer's words)."""

    sql: str
    dialect: str
    columns: tuple[str, ...]
    # Output column -> the pandas scorer's column, where a dialect had to rename.
    renamed: Mapping[str, str]


def compile_icp(
    icp: Icp,
    *,
    dialect: str = "duckdb",
    mapping: DataMapping | None = None,
    table: str = "accounts",
    view: str | None = None,
    keep: Sequence[str] | None = None,
    columns: Mapping[str, str] | None = None,
    typed_numbers: frozenset[str] = frozenset(),
    dictionary_columns: frozenset[str] = frozenset(),
    ruler: Ruler | None = None,
    pretty: bool = True,
    routing: bool = True,
    ranks: Ranks | None = None,
    exact_names: bool = False,
) -> Compiled:
    """The scoring query for `icp` in `dialect`.

    `columns` maps each field to the table's column (default: the mapping's
    `[tool.icp.columns]`, else the field's own name); a field mapped to None-like absence
    is scored unknown. `keep` names the source columns to carry into the result (default:
    all of them, as they are); a kept column named like a result column is carried as
    `input_<name>` (see `scorer.carry`). `typed_numbers` are fields whose columns are
    already numeric, so the text-number reader is skipped for speed; `dictionary_columns`
    are source columns DuckDB reads as dictionaries (`scorer.sql.dictionary`), trimmed the
    way that is fast there and the same text as elsewhere. `routing` adds the
    routing columns where the ICP has `activation:` (see `scorer.sql.routing`); with
    `ranks` counted beforehand (`scorer.sql.ranks`, DuckDB only), each row's rank is looked
    up rather than joined back. With `exact_names`, the source column names (`columns`,
    `keep`) are the table's own, quoted so that no engine folds their case; otherwise they
    are written as a user would type them, and the dialect's folding applies.
    """
    if dialect not in DIALECTS:
        raise UsageError(f"unknown SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    mapping = mapping or DataMapping()
    ruler = ruler or Ruler(icp.id, icp.version)
    if ranks is not None and dialect != "duckdb":
        raise ValueError("ranks are looked up in DuckDB's lists only")
    builder = _Builder(icp, dialect, mapping, columns, typed_numbers, routing, ranks)
    builder.dictionary = dictionary_columns if dialect == "duckdb" else frozenset()
    builder.exact_names = exact_names
    query = builder.query(table_name(table, dialect, "--table"), keep, ruler)
    statement: exp.Expr = query
    if view is not None:
        statement = exp.Create(
            this=table_name(view, dialect, "--view"), kind="VIEW", expression=query, replace=True
        )
    sql = statement.sql(dialect=dialect, pretty=pretty, unsupported_level=sqlglot.ErrorLevel.RAISE)
    return Compiled(sql, dialect, result_columns(icp, dialect, routing=routing), builder.renamed)


def table_name(text: str, dialect: str, what: str) -> exp.Table:
    """`name`, `schema.name` or `catalog.schema.name` as sqlglot reads it in `dialect`, each
    part an identifier sqlglot quotes as needed (spaces, reserved words). Anything else (a
    stray quote, an empty part, a fourth part) is refused rather than guessed at."""
    try:
        table: exp.Table | None = exp.to_table(text, dialect=dialect)
    except sqlglot.errors.SqlglotError:
        table = None
    parts = [table.args.get(key) for key in ("catalog", "db", "this")] if table else []
    named = [part for part in parts if part is not None]
    extra = [key for key, value in (table.args.items() if table else ()) if value is not None]
    if (
        table is None
        or not named
        or not all(isinstance(part, exp.Identifier) and part.name for part in named)
        or set(extra) - {"catalog", "db", "this"}
    ):
        raise UsageError(
            f"{what} {text!r} is not a table name: write name, schema.name or "
            "catalog.schema.name; quote a part holding other characters the way the dialect "
            'quotes names (for most, "my schema".accounts, a quote inside doubled)'
        )
    return table


RESULT_HEAD = (
    "icp_id", "icp_version", "icp_commit", "score", "band", "status", "disqualifier",
    "unknown_share", "unknown_fields",
)  # fmt: skip


def result_columns(icp: Icp, dialect: str = "duckdb", *, routing: bool = True) -> tuple[str, ...]:
    """The columns the query adds, in order, as `dialect` names them."""
    points = [points_column(a.field) for a in icp.attributes]
    points += [trigger_column(t.id) for t in icp.triggers]
    routed = routing_columns([icp]) if routing else ()
    return tuple(output_name(name, dialect) for name in (*RESULT_HEAD, *points, *routed))


def output_name(name: str, dialect: str) -> str:
    """BigQuery column names allow only letters, digits and `_`: `points.x` -> `points__x`."""
    if dialect != "bigquery":
        return name
    return re.sub(r"[^A-Za-z0-9_]", "_", name.replace(".", "__"))


def _finite(column: exp.Expr) -> exp.Expr:
    """A numeric column as a double, NULL where it holds NaN or an infinity, as pandas reads
    them: unknown. `x - x = 0` holds for every finite x and for no NaN or infinity, in every
    dialect (no isnan() needed)."""
    number = exp.cast(column, exp.DataType.Type.DOUBLE)
    finite = exp.EQ(
        this=exp.Sub(this=number, expression=number.copy()), expression=exp.Literal.number(0)
    )
    return exp.Case(ifs=[exp.If(this=finite, true=number.copy())])


def _helper(kind: str, name: str) -> str:
    return f"_icp_{kind}_{name}"


def _inner_name(name: str, index: int) -> str:
    """A kept column's name inside the stages: its own, unless it starts like the query's
    helper columns (`_icp_rank`, `_ICP_Total`: engines fold identifiers' case), which it
    would duplicate or shadow; those are carried under a numbered name no helper takes."""
    if name.casefold().startswith("_icp_") or name.lower().startswith("_icp_"):
        return f"_icp_carried_{index}"
    return name


class _Builder:
    def __init__(
        self,
        icp: Icp,
        dialect: str,
        mapping: DataMapping,
        columns: Mapping[str, str] | None,
        typed_numbers: frozenset[str],
        routing: bool = True,
        ranks: Ranks | None = None,
    ) -> None:
        self.icp = icp
        self.activation = icp.activation if routing else None
        self.ranks = ranks
        self.dialect = dialect
        self.mapping = mapping
        self.kinds = field_kinds([icp])
        if icp.column_triggers:
            self.kinds[TRIGGERS] = LIST
        absent = set(mapping.absent_fields)
        given = dict(columns) if columns is not None else None
        self.sources: dict[str, str | None] = {}
        for name in self.kinds:
            if given is not None:
                self.sources[name] = given.get(name)
            elif name in absent and name not in mapping.columns:
                self.sources[name] = None
            else:
                self.sources[name] = mapping.columns.get(name, name)
        self.typed_numbers = typed_numbers
        self.exact_names = False
        self.dictionary: frozenset[str] = frozenset()
        self.kept = kept_markers([icp], mapping)
        self.renamed: dict[str, str] = {}
        self.helpers: list[str] = []
        # Kept source column -> its name inside the query's stages (see `_inner_name`).
        self.inner: dict[str, str] = {}
        # The stage icp_text reads: icp_coded when a field has coded values.
        self._before_text = "icp_raw"

    # -- the chain of CTEs ------------------------------------------------------------

    def query(self, table: exp.Table, keep: Sequence[str] | None, ruler: Ruler) -> exp.Select:
        stages = [
            (
                "icp_raw",
                exp.select(*self._carried_source(keep), *self._raw(), *self._row()).from_(
                    table.as_("src")
                ),
            ),
            *self._coded(),
            ("icp_text", exp.select(exp.Star(), *self._text()).from_(self._before_text)),
            ("icp_values", exp.select(exp.Star(), *self._values()).from_("icp_text")),
            ("icp_credits", exp.select(exp.Star(), *self._credits()).from_("icp_values")),
            ("icp_totals", exp.select(exp.Star(), *self._totals()).from_("icp_credits")),
        ]
        if self.activation is not None:
            self.helpers += routing.HELPERS if self.ranks is None else routing.LOOKUP_HELPERS
        final = exp.select(*self._carried_result(keep), *self._results(ruler)).from_("icp_totals")
        materialized = True if self.dialect in _MATERIALIZED else None
        if self.activation is not None:
            extra, final = routing.routed(final, self.activation, self.dialect, self.ranks)
            stages += extra
        for name, stage in stages:
            once = True if routing.materialized(name, self.dialect) else materialized
            final = final.with_(name, as_=stage, materialized=once)
        return final

    def _carried_source(self, keep: Sequence[str] | None) -> list[exp.Expr]:
        if keep is not None:
            out: list[exp.Expr] = []
            for index, name in enumerate(dict.fromkeys(keep)):
                column = exp.column(self._source_name(name), table="src")
                inner = _inner_name(name, index)
                self.inner[name] = inner
                out.append(column if inner == name else exp.alias_(column, inner))
            return out
        if self.dialect in _STAR_EXCEPT:
            return [exp.Column(this=exp.Star(), table=exp.to_identifier("src"))]
        # The whole source row as one value, expanded again at the end.
        row = "src" if self.dialect == "postgres" else "STRUCT(src.*)"
        parsed = sqlglot.parse_one(f"SELECT {row} AS _icp_source", read=self.dialect)
        return [parsed.expressions[0]]

    def _carried_result(self, keep: Sequence[str] | None) -> list[exp.Expr]:
        if keep is not None:
            routed = self.activation is not None
            names = carried_names(keep, result_columns(self.icp, self.dialect, routing=routed))
            carried = [(self._source_name(self.inner[n]), s) for n, s in names.items()]
            return [
                exp.column(inner) if inner.name == shown
                else exp.alias_(exp.column(inner), self._source_name(shown))
                for inner, shown in carried
            ]  # fmt: skip
        if self.dialect in _STAR_EXCEPT:
            hidden = [exp.column(name) for name in self.helpers]
            return [exp.Star(except_=hidden)]
        star = "(_icp_source).*" if self.dialect == "postgres" else "_icp_source.*"
        return [sqlglot.parse_one(f"SELECT {star} FROM t", read=self.dialect).expressions[0]]

    def _row(self) -> list[exp.Expr]:
        """The source row's number, to keep the scan order through the routing window."""
        numbered = self.activation is not None and self.ranks is None
        number = routing.row_number(self.dialect) if numbered else None
        return [] if number is None else [self._alias(number, routing.ROW)]

    def _source_name(self, name: str) -> exp.Identifier:
        """A source column's name; quoted where it is the table's exact name, as a
        PostgreSQL table described gives it, or the engine would fold its case."""
        return exp.to_identifier(name, quoted=True if self.exact_names else None)

    def _alias(self, expression: exp.Expr, name: str) -> exp.Expr:
        self.helpers.append(name)
        return exp.alias_(expression, name)

    def _typed(self, name: str) -> bool:
        kind, codes = self.kinds[name], self.mapping.values.get(name)
        return kind == NUMERIC and name in self.typed_numbers and not codes

    def _raw(self) -> list[exp.Expr]:
        out = []
        for name in self.kinds:
            source = self.sources.get(name)
            if source is None:
                raw: exp.Expr = exp.cast(exp.null(), exp.DataType.Type.VARCHAR)
            else:
                column = exp.column(self._source_name(source), table="src")
                flat = source not in self.dictionary
                raw = _finite(column) if self._typed(name) else values.trimmed(column, flat=flat)
            out.append(self._alias(raw, _helper("r", name)))
        return out

    def _coded(self) -> list[tuple[str, exp.Select]]:
        """Coded values mapped in a stage of their own, so the unknown-marker tests that
        follow read a column rather than repeating the mapping per test."""
        coded = [name for name in self.kinds if self._coded_field(name)]
        if not coded:
            return []
        mapped = []
        for name in coded:
            decimal = self.mapping.decimal if self.kinds[name] == NUMERIC else "."
            raw = exp.column(_helper("r", name))
            text = values.coded(raw, self.mapping.values.get(name), decimal, self.dialect)
            mapped.append(self._alias(text, _helper("m", name)))
        self._before_text = "icp_coded"
        return [("icp_coded", exp.select(exp.Star(), *mapped).from_("icp_raw"))]

    def _coded_field(self, name: str) -> bool:
        return bool(self.mapping.values.get(name)) and not self._typed(name)

    def _text(self) -> list[exp.Expr]:
        out = []
        for name in self.kinds:
            raw: exp.Expr = exp.column(_helper("r", name))
            if self._coded_field(name):
                raw = exp.column(_helper("m", name))
            if not self._typed(name):
                markers = field_markers(self.mapping, self.kept, name)
                raw = values.unknown_as_null(raw, markers, spelled_out=self.dialect == "duckdb")
            out.append(self._alias(raw, _helper("x", name)))
        return out

    def _values(self) -> list[exp.Expr]:
        out = []
        for name, kind in self.kinds.items():
            text = exp.column(_helper("x", name))
            if kind == NUMERIC:
                value = (
                    text
                    if self._typed(name)
                    else values.number_of(text, self.mapping.decimal, self.dialect)
                )
            elif kind == CATEGORY:
                value = values.folded(text, self.dialect)
            else:
                value = values.padded(text, self.mapping.list_separator, self.dialect)
            out.append(self._alias(value, _helper("v", name)))
        return out

    def _credits(self) -> list[exp.Expr]:
        out = []
        for attribute in self.icp.attributes:
            value = exp.column(_helper("v", attribute.field))
            options = [(1.0, self._matches(attribute.field, attribute.match))]
            # A partial with no positive credit can never beat the 0 a miss earns.
            options += [
                (p.credit, self._matches(attribute.field, p.match))
                for p in attribute.partial
                if p.credit > 0
            ]
            options.sort(key=lambda option: -option[0])
            credit = exp.Case().when(
                exp.Is(this=value, expression=exp.null()),
                exp.cast(exp.null(), exp.DataType.Type.DOUBLE),
            )
            for amount, test in options:
                credit = credit.when(test, double(amount))
            out.append(self._alias(credit.else_(double(0.0)), _helper("c", attribute.field)))
        ids = TRIGGERS in self.kinds and self.sources.get(TRIGGERS) is not None
        for index, trigger in enumerate(self.icp.triggers):
            if trigger.when:
                out.append(self._alias(self._presence(trigger), _helper("t", str(index))))
            elif ids:
                found = _contains(exp.column(_helper("v", TRIGGERS)), trigger.id.lower())
                present = exp.Case().when(found, double(1.0)).else_(double(0.0))
                out.append(self._alias(present, _helper("t", str(index))))
        which = exp.Case()
        for anti in self.icp.anti_icp:
            if anti.when:
                tests = [self._matches(c.field, c.match) for c in anti.when]
                which = which.when(exp.and_(*tests), string(anti.id))
        none = string("")
        out.append(
            self._alias(which.else_(none) if which.args.get("ifs") else none, "_icp_disqualifier")
        )
        return out

    def _presence(self, trigger: Trigger) -> exp.Expr:
        """1.0 when every condition holds, 0.0 when one is known to fail, else NULL."""
        tests = [self._matches(c.field, c.match) for c in trigger.when]
        misses = [
            exp.and_(self._known(c.field), exp.Not(this=exp.paren(test.copy(), copy=False)))
            for c, test in zip(trigger.when, tests, strict=True)
        ]
        return (
            exp.Case()
            .when(exp.and_(*tests), double(1.0))
            .when(exp.or_(*misses), double(0.0))
            .else_(exp.cast(exp.null(), exp.DataType.Type.DOUBLE))
        )

    def _known(self, name: str) -> exp.Expr:
        return exp.Not(this=exp.Is(this=exp.column(_helper("v", name)), expression=exp.null()))

    def _matches(self, name: str, match: Match) -> exp.Expr:
        value: exp.Expr = exp.column(_helper("v", name))
        if match.form is Form.RANGE:
            tests: list[exp.Expr] = []
            if match.min is not None:
                tests.append(exp.GTE(this=value.copy(), expression=double(match.min)))
            if match.max is not None:
                tests.append(exp.LTE(this=value.copy(), expression=double(match.max)))
            return (
                exp.and_(*tests)
                if tests
                else exp.Not(this=exp.Is(this=value, expression=exp.null()))
            )
        wanted = sorted({fold(v.strip()) for v in match.values})
        if self.kinds.get(name) == NUMERIC:
            # A category test on a numeric field reads the number as text, as pandas does.
            value = exp.Lower(this=exp.cast(value, exp.DataType.Type.VARCHAR))
        if match.form is Form.IN:
            return exp.In(this=value, expressions=[string(v) for v in wanted])
        tests = [_contains(value.copy(), v) for v in wanted]
        return exp.or_(*tests) if match.form is Form.ANY else exp.and_(*tests)

    def _totals(self) -> list[exp.Expr]:
        points = self._points()
        total: exp.Expr = double(0.0)
        for _, amount in points:
            total = exp.Add(this=total, expression=amount)
        clipped = (
            exp.Case()
            .when(exp.LT(this=total, expression=double(0.0)), double(0.0))
            .when(exp.GT(this=total.copy(), expression=double(100.0)), double(100.0))
            .else_(total.copy())
        )
        unknown: exp.Expr = double(0.0)
        triggers_absent = bool(self.icp.column_triggers) and self.sources.get(TRIGGERS) is None
        for attribute in self.icp.attributes:
            if attribute.weight > 0:
                missing = exp.Is(
                    this=exp.column(_helper("c", attribute.field)), expression=exp.null()
                )
                share = exp.Case().when(missing, double(attribute.weight)).else_(double(0.0))
                unknown = exp.Add(this=unknown, expression=share)
        for index, trigger in enumerate(self.icp.triggers):
            if trigger.weight > 0 and trigger.when:
                missing = exp.Is(this=exp.column(_helper("t", str(index))), expression=exp.null())
                share = exp.Case().when(missing, double(trigger.weight)).else_(double(0.0))
                unknown = exp.Add(this=unknown, expression=share)
            elif trigger.weight > 0 and triggers_absent:
                unknown = exp.Add(this=unknown, expression=double(trigger.weight))
        positive = sum(a.weight for a in self.icp.attributes if a.weight > 0)
        positive += sum(t.weight for t in self.icp.triggers if t.weight > 0)
        ratio = (
            exp.Div(this=exp.paren(unknown, copy=False), expression=double(positive))
            if positive
            else double(0.0)
        )
        return [
            self._alias(_round(clipped, 2), "_icp_total"),
            self._alias(_round(ratio, 4), "_icp_share"),
            *[
                self._alias(amount.copy(), _helper("p", str(i)))
                for i, (_, amount) in enumerate(points)
            ],
        ]

    def _points(self) -> list[tuple[str, exp.Expr]]:
        out: list[tuple[str, exp.Expr]] = []
        for attribute in self.icp.attributes:
            credit = exp.column(_helper("c", attribute.field))
            earned = exp.Mul(this=credit, expression=double(attribute.weight))
            out.append(
                (
                    points_column(attribute.field),
                    exp.Coalesce(this=earned, expressions=[double(0.0)]),
                )
            )
        present = TRIGGERS in self.kinds and self.sources.get(TRIGGERS) is not None
        for index, trigger in enumerate(self.icp.triggers):
            amount: exp.Expr = double(0.0)
            if present or trigger.when:
                amount = exp.Mul(
                    this=exp.column(_helper("t", str(index))), expression=double(trigger.weight)
                )
            if trigger.when:
                amount = exp.Coalesce(this=amount, expressions=[double(0.0)])
            out.append((trigger_column(trigger.id), amount))
        return out

    def _results(self, ruler: Ruler) -> list[exp.Expr]:
        bands = self.icp.scoring.bands
        which = exp.column("_icp_disqualifier")
        disqualified = exp.NEQ(this=which, expression=string(""))
        insufficient = exp.GT(
            this=exp.column("_icp_share"), expression=double(self.icp.scoring.max_unknown_share)
        )
        total = exp.column("_icp_total")
        band = (
            exp.Case()
            .when(disqualified, string(DISQUALIFIED_BAND))
            .when(insufficient, string(UNKNOWN_BAND))
        )
        for name, floor in bands.items():
            band = band.when(exp.GTE(this=total.copy(), expression=double(floor)), string(name))
        status = (
            exp.Case()
            .when(disqualified.copy(), string(DISQUALIFIED))
            .when(insufficient.copy(), string(INSUFFICIENT))
            .else_(string(SCORED))
        )
        head: dict[str, exp.Expr] = {
            "icp_id": string(ruler.icp_id),
            "icp_version": string(ruler.version),
            "icp_commit": string(ruler.commit or ""),
            "score": exp.Case().when(disqualified.copy(), double(0.0)).else_(total.copy()),
            "band": band.else_(string("poor")),
            "status": status,
            "disqualifier": which.copy(),
            "unknown_share": exp.column("_icp_share"),
            "unknown_fields": self._unknown_fields(),
        }
        for index, (name, _) in enumerate(self._points()):
            head[name] = exp.column(_helper("p", str(index)))
        out = []
        for name, expression in head.items():
            shown = output_name(name, self.dialect)
            if shown != name:
                self.renamed[shown] = name
            out.append(exp.alias_(expression, shown, quoted=shown != name.lower() or "." in shown))
        return out

    def _unknown_fields(self) -> exp.Expr:
        """`employees;industry`: the unknown fields that carry weight, in ICP order (a field
        that leaves a `when` trigger unknown is named too, once, where it first appears)."""
        missing: dict[str, list[exp.Expr]] = {}
        for attribute in self.icp.attributes:
            if attribute.weight > 0:
                missing.setdefault(attribute.field, []).append(
                    exp.Is(this=exp.column(_helper("c", attribute.field)), expression=exp.null())
                )
        for index, trigger in enumerate(self.icp.triggers):
            if trigger.weight > 0 and trigger.when:
                unknown = exp.Is(this=exp.column(_helper("t", str(index))), expression=exp.null())
                for condition in trigger.when:
                    value = exp.Is(
                        this=exp.column(_helper("v", condition.field)), expression=exp.null()
                    )
                    missing.setdefault(condition.field, []).append(exp.and_(unknown.copy(), value))
        pieces: list[exp.Expr] = [
            exp.Case().when(exp.or_(*tests), string(f";{name}")).else_(string(""))
            for name, tests in missing.items()
        ]
        if self.icp.column_triggers and self.sources.get(TRIGGERS) is None:
            pieces.append(string(f";{TRIGGERS}"))
        if not pieces:
            return string("")
        joined = pieces[0]
        for piece in pieces[1:]:
            joined = exp.DPipe(this=joined, expression=piece)
        return exp.Substring(this=joined, start=exp.Literal.number(2))


def _contains(padded: exp.Expr, item: str) -> exp.Expr:
    found = exp.StrPosition(this=padded, substr=string(f";{item};"))
    return exp.GT(this=found, expression=exp.Literal.number(0))


def _round(value: exp.Expr, digits: int) -> exp.Expr:
    """Half up, as floor(x * 10^n + 0.5) / 10^n: the same IEEE steps in every engine."""
    scale = double(10.0**digits)
    shifted = exp.Add(
        this=exp.Mul(this=exp.paren(value, copy=False), expression=scale), expression=double(0.5)
    )
    return exp.Div(this=exp.Floor(this=shifted), expression=scale.copy())
