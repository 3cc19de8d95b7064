"""The loaded ICP as frozen values. Built only from data that passed the schema."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from icpkit.findings import JsonPath
from icpkit.format.display import Names
from icpkit.text import number

LAYERS = ("firmographics", "technographics", "behavioral")
BAND_NAMES = ("strong", "good", "possible", "weak")
# What `icp suggest` writes where a human must decide; rule ICP031 refuses it left in.
AUTHOR_MARKER = "TODO(author)"
DEFAULT_BANDS = {"strong": 85.0, "good": 70.0, "possible": 55.0, "weak": 40.0}
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class Status(enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class Tier(enum.Enum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class Form(enum.Enum):
    """How a field is matched: a numeric range, a category, or a `;`-separated list."""

    RANGE = "range"
    IN = "in"
    ANY = "any"
    ALL = "all"


@dataclass(frozen=True)
class Match:
    form: Form
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()

    @property
    def folded(self) -> frozenset[str]:
        return frozenset(v.casefold() for v in self.values)

    def describe(self) -> str:
        if self.form is Form.RANGE:
            low = "-inf" if self.min is None else number(self.min)
            high = "inf" if self.max is None else number(self.max)
            return f"{low}..{high}"
        return f"{self.form.value} [{', '.join(self.values)}]"


@dataclass(frozen=True)
class Partial:
    match: Match
    credit: float
    path: JsonPath


@dataclass(frozen=True)
class Attribute:
    field: str
    layer: str
    match: Match
    weight: float
    partial: tuple[Partial, ...]
    path: JsonPath
    label: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Condition:
    field: str
    match: Match
    path: JsonPath


@dataclass(frozen=True)
class Trigger:
    """Present when its id is in the `triggers` column, or, with `when`, when every
    condition holds on the row's own columns (as an anti-ICP's `when` is read)."""

    id: str
    event: str
    weight: float
    path: JsonPath
    window_days: int | None = None
    detect: str | None = None
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class AntiIcp:
    id: str
    reason: str
    path: JsonPath
    when: tuple[Condition, ...] = ()
    signal: str | None = None


@dataclass(frozen=True)
class Objection:
    text: str
    response: str | None = None  # what sales answers; older files list objections only


@dataclass(frozen=True)
class Alternative:
    text: str
    how_we_win: str | None = None  # what sales says against it; older files name it only


@dataclass(frozen=True)
class Persona:
    role: str
    seniority: str
    motivations: tuple[str, ...]
    objections: tuple[Objection, ...]
    path: JsonPath
    buying_role: str | None = None
    anti_persona: str | None = None


@dataclass(frozen=True)
class Channel:
    channel: str
    detail: str
    path: JsonPath


@dataclass(frozen=True)
class Approver:
    role: str
    # The limit and the currency it is in: `up_to` is in the ICP's, `up_to_usd` in dollars.
    up_to: float | None = None
    currency: str = "USD"


@dataclass(frozen=True)
class BudgetAuthority:
    recommends: tuple[str, ...]
    approves: tuple[Approver, ...]
    procurement: str | None = None


@dataclass(frozen=True)
class Bands:
    strong: float = DEFAULT_BANDS["strong"]
    good: float = DEFAULT_BANDS["good"]
    possible: float = DEFAULT_BANDS["possible"]
    weak: float = DEFAULT_BANDS["weak"]

    def items(self) -> tuple[tuple[str, float], ...]:
        return tuple((name, float(getattr(self, name))) for name in BAND_NAMES)

    def band(self, score: float) -> str:
        for name, floor in self.items():
            if score >= floor:
                return name
        return "poor"


@dataclass(frozen=True)
class Scoring:
    bands: Bands = field(default_factory=Bands)
    max_unknown_share: float = 0.5


@dataclass(frozen=True)
class Question:
    ask: str
    tests: tuple[str, ...]
    path: JsonPath
    yes_when: str | None = None
    # A knock-out: this answer disqualifies, and the question never counts as a yes.
    disqualify_when: str | None = None

    @property
    def knockout(self) -> bool:
        return self.disqualify_when is not None


@dataclass(frozen=True)
class Qualification:
    questions: tuple[Question, ...]
    strong_at: int | None = None
    disqualify_below: int | None = None

    @property
    def counted(self) -> tuple[Question, ...]:
        """The questions whose yes counts toward `strong_at` and `disqualify_below`."""
        return tuple(q for q in self.questions if not q.knockout)

    @property
    def knockouts(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.knockout)


@dataclass(frozen=True)
class Playbook:
    messaging: tuple[str, ...] = ()
    proof_points: tuple[str, ...] = ()
    discovery_questions: tuple[str, ...] = ()
    disqualifying_answers: tuple[str, ...] = ()
    routing: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Route:
    """Where an account of one band goes: a queue or owner role, and how fast (hours)."""

    band: str
    queue: str
    path: JsonPath
    sla_hours: float | None = None


@dataclass(frozen=True)
class AbmTier:
    """An ABM program: the accounts ranked within `top` and at `min_band` or better (each
    when set) that no earlier tier took. See scorer/routing.py for the ranking."""

    name: str
    path: JsonPath
    top: int | None = None
    min_band: str | None = None


@dataclass(frozen=True)
class Activation:
    """`activation:`: the machine-readable routes per band and the ABM tiers that `icp score`
    writes on every row (the playbook's `routing` stays the prose for people)."""

    routes: tuple[Route, ...] = ()
    abm_tiers: tuple[AbmTier, ...] = ()

    def route(self, band: str) -> Route | None:
        return next((r for r in self.routes if r.band == band), None)


@dataclass(frozen=True)
class DriftGates:
    """`validation.drift`: the latest full quarter's AUC, against a floor and the quarter
    before it (see scorer/drift.py for what makes a quarter full)."""

    min_latest_auc: float | None = None
    max_auc_drop: float | None = None


@dataclass(frozen=True)
class Validation:
    deals: str | None = None
    accounts: str | None = None  # account attributes joined onto the deals by `account`
    min_closed_deals: int = 20
    min_wins_good_or_better: float = 0.7
    min_losses_below_possible: float = 0.7
    min_auc: float = 0.7
    monotonic_win_rate: bool = True
    drift: DriftGates | None = None
    customers: str | None = None  # one row per customer account: churn, MRR, lifetime value
    subscriptions: str | None = None  # or one row per subscription period, per account
    # Retention gates, of the customers scoring good or better; None: not enforced.
    max_churn_good_or_better: float | None = None
    min_retention_lift: float | None = None
    min_nrr: float | None = None
    # Off unless set: the share of won revenue (amount_usd) that scored good or better.
    min_won_revenue_share: float | None = None


@dataclass(frozen=True)
class Icp:
    id: str
    name: str
    summary: str
    version: str
    status: Status
    tier: Tier
    owner: str
    last_reviewed: dt.date
    attributes: tuple[Attribute, ...]
    psychographics: tuple[str, ...]
    personas: tuple[Persona, ...]
    jobs_to_be_done: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    triggers: tuple[Trigger, ...]
    anti_icp: tuple[AntiIcp, ...]
    reachability: tuple[Channel, ...]
    budget_authority: BudgetAuthority
    scoring: Scoring
    qualification: Qualification
    playbook: Playbook | None = None
    activation: Activation | None = None
    validation: Validation = field(default_factory=Validation)
    # `display:` as pairs, so the ICP stays hashable: how a value reads to people.
    display: tuple[tuple[str, str], ...] = ()
    # ISO 4217: what the data's amounts and the budget limits are in (never converted).
    currency: str = "USD"

    @property
    def names(self) -> Names:
        """How this ICP's values read to people (its `display:` over the known names)."""
        return Names.of(self.display)

    def layer(self, name: str) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attributes if a.layer == name)

    @property
    def firmographics(self) -> tuple[Attribute, ...]:
        return self.layer("firmographics")

    def attribute(self, field_name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.field == field_name), None)

    @property
    def column_triggers(self) -> tuple[Trigger, ...]:
        """The triggers read from the `triggers` column of ids (those without `when`)."""
        return tuple(t for t in self.triggers if not t.when)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_key(label: str) -> tuple[int, int]:
    found = _QUARTER.match(label)
    if not found:
        raise ValueError(f"not a quarter label: {label!r}")
    return int(found.group(1)), int(found.group(2))


def parse_match(spec: Mapping[str, Any]) -> Match:
    for form in (Form.IN, Form.ANY, Form.ALL):
        if form.value in spec:
            return Match(form, values=tuple(str(v) for v in spec[form.value]))
    return Match(Form.RANGE, min=_num(spec.get("min")), max=_num(spec.get("max")))


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _approver(raw: Mapping[str, Any], currency: str) -> Approver:
    if "up_to_usd" in raw:
        return Approver(raw["role"], raw["up_to_usd"], "USD")
    return Approver(raw["role"], raw.get("up_to"), currency)


def _objection(raw: str | Mapping[str, str]) -> Objection:
    if isinstance(raw, str):
        return Objection(raw)
    return Objection(raw["objection"], raw["response"])


def _alternative(raw: str | Mapping[str, str]) -> Alternative:
    if isinstance(raw, str):
        return Alternative(raw)
    return Alternative(raw["alternative"], raw["how_we_win"])


def _texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(v) for v in data.get(key) or ())


def build_icp(data: Mapping[str, Any]) -> Icp:
    """Build the model from schema-valid data (the schema guarantees keys and types)."""
    attributes = tuple(
        _attribute(name, spec, layer)
        for layer in LAYERS
        for name, spec in (data.get(layer) or {}).items()
    )
    bands = data.get("scoring", {}).get("bands")
    playbook = data.get("playbook")
    qualification = data["qualification"]
    budget = data["budget_authority"]
    return Icp(
        id=data["id"],
        name=data["name"],
        summary=data["summary"],
        version=data["version"],
        status=Status(data["status"]),
        tier=Tier(data.get("tier", "primary")),
        owner=data["owner"],
        last_reviewed=dt.date.fromisoformat(data["last_reviewed"]),
        attributes=attributes,
        psychographics=_texts(data, "psychographics"),
        personas=tuple(
            Persona(
                role=p["role"],
                seniority=p["seniority"],
                motivations=_texts(p, "motivations"),
                objections=tuple(_objection(o) for o in p["objections"]),
                path=("personas", i),
                buying_role=p.get("buying_role"),
                anti_persona=p.get("anti_persona"),
            )
            for i, p in enumerate(data["personas"])
        ),
        jobs_to_be_done=_texts(data, "jobs_to_be_done"),
        alternatives=tuple(_alternative(a) for a in data["alternatives"]),
        triggers=tuple(
            Trigger(
                id=t["id"],
                event=t["event"],
                weight=float(t["weight"]),
                path=("triggers", i),
                window_days=t.get("window_days"),
                detect=t.get("detect"),
                when=_conditions(t, ("triggers", i)),
            )
            for i, t in enumerate(data["triggers"])
        ),
        anti_icp=tuple(_anti(a, i) for i, a in enumerate(data["anti_icp"])),
        reachability=tuple(
            Channel(c["channel"], str(c.get("detail") or ""), ("reachability", i))
            for i, c in enumerate(data["reachability"])
        ),
        budget_authority=BudgetAuthority(
            recommends=_texts(budget, "recommends"),
            approves=tuple(_approver(a, data.get("currency", "USD")) for a in budget["approves"]),
            procurement=budget.get("procurement"),
        ),
        scoring=Scoring(
            bands=Bands(**{k: float(v) for k, v in bands.items()}) if bands else Bands(),
            max_unknown_share=float(data["scoring"].get("max_unknown_share", 0.5)),
        ),
        qualification=Qualification(
            questions=tuple(
                Question(
                    ask=q["ask"],
                    tests=(q["tests"],) if isinstance(q["tests"], str) else tuple(q["tests"]),
                    path=("qualification", "questions", i),
                    yes_when=q.get("yes_when"),
                    disqualify_when=q.get("disqualify_when"),
                )
                for i, q in enumerate(qualification["questions"])
            ),
            strong_at=qualification.get("strong_at"),
            disqualify_below=qualification.get("disqualify_below"),
        ),
        playbook=_playbook(playbook) if playbook is not None else None,
        activation=_activation(data["activation"]) if "activation" in data else None,
        validation=_validation(data.get("validation") or {}),
        display=tuple((str(k), str(v)) for k, v in (data.get("display") or {}).items()),
        currency=data.get("currency", "USD"),
    )


def _validation(spec: Mapping[str, Any]) -> Validation:
    keys = {k: v for k, v in spec.items() if not k.startswith("x-")}
    if "drift" in keys:
        drift = keys["drift"]
        keys["drift"] = DriftGates(
            **{k: float(v) for k, v in drift.items() if not k.startswith("x-")}
        )
    return Validation(**keys)


def _attribute(name: str, spec: Mapping[str, Any], layer: str) -> Attribute:
    path: JsonPath = (layer, name)
    return Attribute(
        field=name,
        layer=layer,
        match=parse_match(spec),
        weight=float(spec["weight"]),
        partial=tuple(
            Partial(parse_match(p), float(p["credit"]), (*path, "partial", i))
            for i, p in enumerate(spec.get("partial") or ())
        ),
        path=path,
        label=spec.get("label"),
        source=spec.get("source"),
    )


def _anti(spec: Mapping[str, Any], index: int) -> AntiIcp:
    path: JsonPath = ("anti_icp", index)
    return AntiIcp(
        id=spec["id"],
        reason=spec["reason"],
        path=path,
        when=_conditions(spec, path),
        signal=spec.get("signal"),
    )


def _conditions(spec: Mapping[str, Any], path: JsonPath) -> tuple[Condition, ...]:
    return tuple(
        Condition(name, parse_match(cond), (*path, "when", name))
        for name, cond in (spec.get("when") or {}).items()
    )


def _playbook(spec: Mapping[str, Any]) -> Playbook:
    return Playbook(
        messaging=_texts(spec, "messaging"),
        proof_points=_texts(spec, "proof_points"),
        discovery_questions=_texts(spec, "discovery_questions"),
        disqualifying_answers=_texts(spec, "disqualifying_answers"),
        routing=tuple((str(k), str(v)) for k, v in (spec.get("routing") or {}).items()),
    )


def _activation(spec: Mapping[str, Any]) -> Activation:
    routes = tuple(
        Route(str(band), str(r["queue"]), ("activation", "routes", band), _num(r.get("sla_hours")))
        for band, r in (spec.get("routes") or {}).items()
    )
    tiers = tuple(
        AbmTier(str(t["tier"]), ("activation", "abm_tiers", i), t.get("top"), t.get("min_band"))
        for i, t in enumerate(spec.get("abm_tiers") or ())
    )
    return Activation(routes, tiers)
