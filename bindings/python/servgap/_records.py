"""Plain Python records (dataclasses) for what the C record structs carry.

Every field is copied out of the C struct when the record is built: ints,
floats (NaN where C has NaN), tuples for the per-viewpoint and
per-dimension arrays (index them with ``Viewpoint`` / ``Dimension``
members), ``str`` for borrowed C strings, and enumeration members where
the value is known (``as_enum``). A record holds no pointer into C memory
and outlives the Result or Context it came from.

Rows of a Result name what their ids stand for (``scope_name``,
``touchpoint_name``, ``metric_name``, ``account_name``, ...), resolved
through the Context the Result came from while it is open (None after it
was closed); a roll-up over touchpoints or metrics (``ALL``) is named "*",
as in the JSON report.

Times are int UTC seconds; an unset date is None. Each time field also
has a ``<field>_dt`` property: the time as an aware UTC ``datetime`` (None
when unset), as sqlite3 and duckdb give them. The exception is the
per-viewpoint read ranges of a ``Cell`` (``read_from``, ``read_to``,
``declared``), which keep the C sentinels (``TIME_NONE`` without data,
``TIME_MIN`` / ``TIME_MAX`` for an unbounded end), because ``TIME_NONE``
and ``TIME_MIN`` are the same number and only ``read_to`` tells them apart;
``Cell.read(viewpoint)`` gives one viewpoint's range the None way.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

from ._enums import (
    ALL,
    TIME_MAX,
    TIME_MIN,
    TIME_NONE,
    Classification,
    Dimension,
    Direction,
    Driver,
    Facet,
    FindingFlag,
    GapFlag,
    GapStatus,
    GapType,
    IpaQuadrant,
    Kind,
    Link,
    Outcome,
    Quadrant,
    Scope,
    Source,
    TriggerKind,
    Viewpoint,
    WeightSource,
    as_enum,
)


def _date(t):
    return None if t == TIME_NONE or t == TIME_MAX else t


def _text(b):
    return None if b is None else b.decode("utf-8", "surrogateescape")


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def utc(seconds: Optional[int]) -> Optional[_dt.datetime]:
    """UTC seconds as an aware ``datetime`` in UTC; None for None and for
    the sentinels TIME_NONE / TIME_MIN / TIME_MAX (unset, unbounded)."""
    if seconds is None or seconds == TIME_NONE or seconds == TIME_MAX:
        return None
    return _EPOCH + _dt.timedelta(seconds=seconds)


def _dt_property(name: str) -> property:
    """``<name>_dt``: time field ``name`` as a datetime (see ``utc``)."""
    return property(lambda self: utc(getattr(self, name)),
                    doc="``%s`` as an aware UTC datetime; None when unset." % name)


#: Resolves (Kind, id) to a name, or None when it cannot (see Result).
Namer = Callable[[int, int], Optional[str]]


def no_names(kind: int, id: int) -> Optional[str]:
    return None


def _scope_name(names: Namer, scope_kind: int, scope_id: int) -> Optional[str]:
    kind = {Scope.ACCOUNT: Kind.ACCOUNT, Scope.TIER: Kind.TIER}.get(scope_kind)
    return None if kind is None else names(kind, scope_id)


def _tp_name(names: Namer, touchpoint: int) -> Optional[str]:
    return "*" if touchpoint == ALL else names(Kind.TOUCHPOINT, touchpoint)


def _metric_name(names: Namer, metric: int) -> Optional[str]:
    return "*" if metric == ALL else names(Kind.METRIC, metric)


class _Scoped:
    """The label of a row's scope as the JSON report writes it."""

    @property
    def scope(self) -> Optional[str]:
        """``"tier:NAME"`` or ``"account:NAME"`` (None without the name)."""
        name = self.scope_name
        return None if name is None else "%s:%s" % (self.scope_kind, name)


# -- handle records ----------------------------------------------------------


@dataclass
class MetricInfo:
    """A metric's definition (``servgap_metric``)."""

    id: int
    name: str
    unit: str  #: "" without a unit
    dimension: Dimension
    direction: Direction
    min: float  #: -inf for an unbounded end
    max: float  #: +inf for an unbounded end
    span: float  #: the difference that counts as the whole scale (normalized gaps)


@dataclass
class AccountInfo:
    """An account (``servgap_account``)."""

    id: int
    name: str
    tier: Optional[int]  #: tier id, None without a tier
    at_risk: bool  #: the flag as set (health may also make it at risk)
    churned: bool
    value: float  #: e.g. ARR, in [0, 1e15]
    health: float  #: 0..100; NaN if unknown
    renewal: Optional[int]  #: UTC seconds; None: unset
    migration: Optional[int]  #: UTC seconds; None: unset
    tier_name: Optional[str] = None

    renewal_dt = _dt_property("renewal")
    migration_dt = _dt_property("migration")


@dataclass
class PlanInfo(_Scoped):
    """A remediation plan item (``servgap_plan``)."""

    id: int
    owner: str
    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    metric: int  #: metric id, or ALL for the dimension roll-up
    dimension: Dimension
    gap: GapType
    deadline: Optional[int]  #: UTC seconds; None: no deadline
    target: float  #: the gap value at or above which the gap counts as closed
    last_outcome: Outcome  #: of the last ``plan_remeasure``; NONE before one
    next_check: Optional[int]  #: None until re-measured
    baseline_from: Optional[int] = None  #: the baseline window, UTC seconds; None: none
    baseline_to: Optional[int] = None
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None
    metric_name: Optional[str] = None

    deadline_dt = _dt_property("deadline")
    next_check_dt = _dt_property("next_check")
    baseline_from_dt = _dt_property("baseline_from")
    baseline_to_dt = _dt_property("baseline_to")

    @classmethod
    def from_struct(cls, id: int, s, names: Namer = no_names) -> "PlanInfo":
        return cls(
            id=id,
            owner=_text(s.owner),
            scope_kind=as_enum(Scope, s.scope_kind),
            scope_id=s.scope_id,
            touchpoint=s.touchpoint,
            metric=s.metric,
            dimension=as_enum(Dimension, s.dimension),
            gap=as_enum(GapType, s.gap),
            deadline=_date(s.deadline),
            target=s.target,
            last_outcome=as_enum(Outcome, s.last_outcome),
            next_check=_date(s.next_check),
            baseline_from=_date(s.baseline_from),
            baseline_to=_date(s.baseline_to),
            scope_name=_scope_name(names, s.scope_kind, s.scope_id),
            touchpoint_name=_tp_name(names, s.touchpoint),
            metric_name=_metric_name(names, s.metric),
        )


@dataclass
class Remeasurement:
    """A plan's gap compared between two windows (``servgap_remeasure``)."""

    outcome: Outcome
    baseline: float  #: the gap value in the baseline window (NaN: no data)
    followup: float  #: the gap value in the follow-up window (NaN: no data)
    change: float  #: followup - baseline
    lo: float  #: interval of the change at the handle's confidence
    hi: float
    next_check: Optional[int]  #: the follow-up's end + Option.WINDOW_DAYS

    next_check_dt = _dt_property("next_check")

    @classmethod
    def from_struct(cls, s) -> "Remeasurement":
        return cls(as_enum(Outcome, s.outcome), s.baseline, s.followup, s.change, s.lo, s.hi,
                   _date(s.next_check))


@dataclass
class ImportReport:
    """What a CSV import did (``servgap_import_report``)."""

    rows: int  #: data rows read
    applied: int  #: rows applied
    skipped: int  #: bad rows skipped (skip_bad_rows only)
    observations: int  #: observations recorded
    unknown_columns: int  #: header columns the table does not know (ignored)
    unknown: List[str] = field(default_factory=list)  #: their names (may be truncated)
    skips: List[str] = field(default_factory=list)  #: first skipped rows' messages

    @classmethod
    def from_struct(cls, s) -> "ImportReport":
        unknown = _text(s.unknown)
        skips = _text(s.skips)
        return cls(
            rows=s.rows,
            applied=s.applied,
            skipped=s.skipped,
            observations=s.observations,
            unknown_columns=s.unknown_columns,
            unknown=[u for u in unknown.split(",") if u],
            skips=[line for line in skips.split("\n") if line],
        )


# -- result records ----------------------------------------------------------


@dataclass
class Gap:
    """One gap row of a cell (``servgap_gap``)."""

    gap: GapType
    status: GapStatus
    span: Link  #: links the value covers (0 for service and adequacy)
    flags: GapFlag
    value: float  #: oriented downstream - upstream; negative is a shortfall; NaN if none
    normalized: float  #: value / the cell's span
    lo: float  #: confidence interval of value (NaN if none)
    hi: float
    df: float  #: degrees of freedom; inf when both sides are exact
    n_up: int  #: observations on the upstream side (pairs when paired)
    n_down: int  #: observations on the downstream side

    @classmethod
    def from_struct(cls, s) -> "Gap":
        return cls(
            as_enum(GapType, s.gap),
            as_enum(GapStatus, s.status),
            Link(s.span),
            GapFlag(s.flags),
            s.value,
            s.normalized,
            s.lo,
            s.hi,
            s.df,
            s.n_up,
            s.n_down,
        )

    @property
    def ci(self) -> Tuple[float, float]:
        return (self.lo, self.hi)

    @property
    def paired(self) -> bool:
        """A paired t interval (df = pairs - 1)."""
        return bool(self.flags & GapFlag.PAIRED)

    @property
    def no_standard(self) -> bool:
        """Customers expect a level, but no standard exists (standards row)."""
        return bool(self.flags & GapFlag.NO_STANDARD)

    @property
    def sufficient(self) -> bool:
        """Every side has at least min_n observations."""
        return bool(self.flags & GapFlag.SUFFICIENT)

    @property
    def significant(self) -> bool:
        """Sufficient, finite, and the interval excludes zero."""
        return bool(self.flags & GapFlag.SIGNIFICANT)

    @property
    def declaration_changed(self) -> bool:
        """A side is a declaration (standard, promised) replaced or
        withdrawn inside the window (``GapFlag.CHANGED``)."""
        return bool(self.flags & GapFlag.CHANGED)


@dataclass
class Cell(_Scoped):
    """A cell (``servgap_cell``): a scope at a touchpoint for a metric, or a
    roll-up (touchpoint / metric ``servgap.ALL``). The per-viewpoint tuples
    are indexed by ``Viewpoint``; ``gaps`` by ``GapType``."""

    index: int  #: its index in the result (other tables refer to it)
    scope_kind: Scope
    scope_id: int  #: account or tier id
    touchpoint: int  #: touchpoint id, or ALL
    metric: int  #: metric id, or ALL for a dimension roll-up
    dimension: Dimension
    classification: Classification  #: where in the chain the largest shortfall is created
    class_span: Link  #: links of the winning gap (for SPAN: the joined links)
    class_normalized: float  #: normalized value of the winning shortfall, else NaN
    span: float  #: the cell's scale: the metric's span (a roll-up: see docs/formats.md)
    n: Tuple[int, ...]  #: observations per viewpoint
    mean: Tuple[float, ...]  #: means in the metric's unit (NaN if none)
    sd: Tuple[float, ...]  #: sample standard deviations (NaN if n < 2)
    negative: Tuple[int, ...]  #: negative responses per viewpoint
    source: Tuple[Source, ...]  #: where each viewpoint's data came from
    pairs: int  #: paired (expected, perceived) responses
    pe_correlation: float  #: correlation of paired P and E (NaN if not computable)
    gaps: Tuple[Gap, ...] = ()
    #: Per viewpoint, what its side read (docs/concepts.md, section 13), in
    #: UTC seconds with the C sentinels: ``TIME_NONE`` in both for a
    #: viewpoint without data, ``TIME_MIN`` / ``TIME_MAX`` for an unbounded
    #: end. Events (delivered, perceived) read the window; survey viewpoints
    #: (expected, adequate, believed) the window or the look-back
    #: (``Option.LOOKBACK_DAYS``) before its end, whichever is longer; a
    #: declaration (standard, promised) from the day of the earliest one in
    #: force during the window to the window's end.
    read_from: Tuple[int, ...] = ()
    read_to: Tuple[int, ...] = ()
    #: Per viewpoint, the day of the declaration in force at the window's
    #: end (standard, promised); ``TIME_NONE`` for the other viewpoints and
    #: without one. ``source[v] & Source.CHANGED``: it was replaced or
    #: withdrawn inside the window.
    declared: Tuple[int, ...] = ()
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None  #: "*" for the roll-up over touchpoints
    metric_name: Optional[str] = None  #: "*" for a dimension roll-up

    def read(self, viewpoint: int) -> Optional[Tuple[Optional[int], Optional[int]]]:
        """What viewpoint's side read, as ``(start, end)`` like
        ``Result.window`` (None for an unbounded end), or None when the
        viewpoint has no data in this cell."""
        if self.read_to[viewpoint] == TIME_NONE:
            return None
        a, b = self.read_from[viewpoint], self.read_to[viewpoint]
        return (None if a == TIME_MIN else a, None if b == TIME_MAX else b)

    def read_dt(self, viewpoint: int
                ) -> Optional[Tuple[Optional[_dt.datetime], Optional[_dt.datetime]]]:
        """``read(viewpoint)`` as UTC datetimes."""
        span = self.read(viewpoint)
        return None if span is None else (utc(span[0]), utc(span[1]))

    def declared_dt(self, viewpoint: int) -> Optional[_dt.datetime]:
        """``declared[viewpoint]`` as a UTC datetime; None without one."""
        return utc(self.declared[viewpoint])

    @classmethod
    def from_struct(cls, index: int, s, gaps: Tuple[Gap, ...] = (),
                    names: Namer = no_names) -> "Cell":
        return cls(
            index,
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            s.metric,
            as_enum(Dimension, s.dimension),
            as_enum(Classification, s.classification),
            Link(s.class_span),
            s.class_normalized,
            s.span,
            tuple(s.n),
            tuple(s.mean),
            tuple(s.sd),
            tuple(s.negative),
            tuple(Source(x) for x in s.source),
            s.pairs,
            s.pe_correlation,
            gaps,
            tuple(s.read_from),
            tuple(s.read_to),
            tuple(s.declared),
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
            _metric_name(names, s.metric),
        )


@dataclass
class Servqual(_Scoped):
    """SERVQUAL scores of a scope at a touchpoint (``servgap_servqual``);
    the per-dimension tuples are indexed by ``Dimension``."""

    index: int
    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    most_underweighted: Optional[Dimension]  #: the dimension the provider under-weights most
    dimension_gap: Tuple[float, ...]  #: service gap per dimension (NaN: no data)
    weight: Tuple[float, ...]  #: customer importance / 100 (NaN: none)
    believed_weight: Tuple[float, ...]  #: the provider's belief / 100 (NaN: none)
    unweighted: float  #: mean of the dimension gaps with data
    item_mean: float  #: mean of all item (metric) gaps
    weighted: float  #: weighted SERVQUAL (NaN without weights)
    weighted_lo: float  #: its interval when respondent-level, else NaN
    weighted_hi: float
    servperf: float  #: mean of the dimensions' perceived means
    importance_gap: float  #: total-variation distance, believed vs customer, 0..1
    respondents: int  #: respondents with importance points
    weight_source: WeightSource
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None

    @classmethod
    def from_struct(cls, index: int, s, names: Namer = no_names) -> "Servqual":
        mu = s.most_underweighted
        return cls(
            index,
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            None if mu < 0 else as_enum(Dimension, mu),
            tuple(s.dimension_gap),
            tuple(s.weight),
            tuple(s.believed_weight),
            s.unweighted,
            s.item_mean,
            s.weighted,
            s.weighted_lo,
            s.weighted_hi,
            s.servperf,
            s.importance_gap,
            s.respondents,
            as_enum(WeightSource, s.weight_source),
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
        )


@dataclass
class Breakdown:
    """A team's or a driver's part of a cell (``servgap_breakdown``)."""

    index: int
    facet: Facet
    facet_id: int  #: team id, or a Driver
    viewpoint: Viewpoint  #: the viewpoint the facet splits
    gap: GapType  #: DELIVERY, COMMUNICATION or SERVICE
    status: GapStatus
    flags: GapFlag
    cell: int  #: index of the cell it belongs to
    n: int  #: observations of the facet
    mean: float  #: their mean, in the metric's unit
    value: float  #: the gap, as in Gap
    normalized: float
    lo: float
    hi: float
    df: float
    facet_name: Optional[str] = None  #: the team's name, or the driver's

    @classmethod
    def from_struct(cls, index: int, s, names: Namer = no_names) -> "Breakdown":
        facet = as_enum(Facet, s.facet)
        if facet == Facet.TEAM:
            facet_name = names(Kind.TEAM, s.facet_id)
        else:
            driver = as_enum(Driver, s.facet_id)
            facet_name = str(driver) if isinstance(driver, Driver) else None
        return cls(
            index,
            facet,
            s.facet_id,
            as_enum(Viewpoint, s.viewpoint),
            as_enum(GapType, s.gap),
            as_enum(GapStatus, s.status),
            GapFlag(s.flags),
            s.cell,
            s.n,
            s.mean,
            s.value,
            s.normalized,
            s.lo,
            s.hi,
            s.df,
            facet_name,
        )

    @property
    def significant(self) -> bool:
        return bool(self.flags & GapFlag.SIGNIFICANT)

    @property
    def sufficient(self) -> bool:
        return bool(self.flags & GapFlag.SUFFICIENT)

    @property
    def declaration_changed(self) -> bool:
        return bool(self.flags & GapFlag.CHANGED)


@dataclass
class Finding(_Scoped):
    """A prioritized finding (``servgap_finding``; docs/priorities.md) with
    the ids of its affected accounts (``servgap_result_finding_accounts``)."""

    rank: int  #: 1 = first; findings come in rank order
    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    metric: int  #: metric id, or ALL for a dimension roll-up
    dimension: Dimension
    gap: GapType
    quadrant: Quadrant  #: impact against effort
    flags: FindingFlag
    #: Of the last ``Option.WINDOWS`` windows, how many held this shortfall
    #: (all of them: ``persistent``).
    windows: int
    cell: int  #: index of its cell
    value: float  #: the gap, as in Gap (negative)
    normalized: float
    size_term: float  #: the size part of impact: abs(normalized), capped at 1
    #: The value part of impact: the affected accounts' value over all
    #: accounts' value, 0..1.
    value_share: float
    frequency: float  #: the frequency part: share of the scope's interactions affected, 0..1
    affected_value: float  #: total value of the affected accounts
    affected_accounts: int  #: how many; ``accounts`` lists their ids
    impact: float  #: impact on account health, 0..100
    effort: float  #: effort to fix, > 0 (``Context.effort_set``)
    priority: float  #: impact / effort
    #: index (rank - 1) of the tier finding this account finding repeats,
    #: its root cause; None when it repeats none
    root: Optional[int] = None
    members: int = 0  #: a root: how many account findings repeat it
    members_value: float = 0.0  #: a root: those accounts' total value
    accounts: Tuple[int, ...] = ()  #: the affected accounts' ids, ascending
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None
    metric_name: Optional[str] = None
    account_names: Tuple[Optional[str], ...] = ()  #: the names of ``accounts``

    @property
    def persistent(self) -> bool:
        """A shortfall in each of the last ``Option.WINDOWS`` windows."""
        return bool(self.flags & FindingFlag.PERSISTENT)

    @property
    def no_standard(self) -> bool:
        """A standards finding where customers expect a level that no
        standard defines (docs/priorities.md, section 1)."""
        return bool(self.flags & FindingFlag.NO_STANDARD)

    @classmethod
    def from_struct(cls, s, accounts=(), names: Namer = no_names) -> "Finding":
        accounts = tuple(accounts)
        return cls(
            s.rank,
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            s.metric,
            as_enum(Dimension, s.dimension),
            as_enum(GapType, s.gap),
            as_enum(Quadrant, s.quadrant),
            FindingFlag(s.flags),
            s.windows,
            s.cell,
            s.value,
            s.normalized,
            s.size_term,
            s.value_share,
            s.frequency,
            s.affected_value,
            s.affected_accounts,
            s.impact,
            s.effort,
            s.priority,
            None if s.root == _NO_FINDING else s.root,
            s.members,
            s.members_value,
            accounts,
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
            _metric_name(names, s.metric),
            tuple(names(Kind.ACCOUNT, a) for a in accounts),
        )


@dataclass
class Ipa(_Scoped):
    """One dimension of a scope at a touchpoint on the IPA grid
    (``servgap_ipa``): customer importance against perceived performance."""

    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    dimension: Dimension
    quadrant: IpaQuadrant
    importance: float  #: the customers' importance points, 0..100
    performance: float  #: the perceived mean on the dimension's scale
    importance_cross: float  #: the crosshair used (Option.IPA_CROSSHAIR)
    performance_cross: float
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None

    @classmethod
    def from_struct(cls, s, names: Namer = no_names) -> "Ipa":
        return cls(
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            as_enum(Dimension, s.dimension),
            as_enum(IpaQuadrant, s.quadrant),
            s.importance,
            s.performance,
            s.importance_cross,
            s.performance_cross,
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
        )


@dataclass
class Trigger:
    """A review trigger of one account (``servgap_trigger``) with its
    evidence; docs/remediation.md, section 3, says what each field holds
    for each kind. ``detail`` is copied from the result."""

    account: int  #: account id
    kind: TriggerKind
    date: Optional[int]  #: the renewal, migration or review date, else the analysis date
    count: int  #: renewal: open shortfalls; others: docs/remediation.md
    before: float  #: spike: baseline negative share; migration: perceived mean before
    after: float  #: spike: recent negative share; migration: perceived mean after
    statistic: float  #: the test statistic, NaN if none
    lo: float  #: interval of after - before, NaN if none
    hi: float
    n_before: int
    n_after: int
    detail: str  #: one line of English evidence
    account_name: Optional[str] = None

    date_dt = _dt_property("date")

    @classmethod
    def from_struct(cls, s, names: Namer = no_names) -> "Trigger":
        return cls(
            s.account,
            as_enum(TriggerKind, s.kind),
            _date(s.date),
            s.count,
            s.before,
            s.after,
            s.statistic,
            s.lo,
            s.hi,
            s.n_before,
            s.n_after,
            _text(s.detail) or "",
            names(Kind.ACCOUNT, s.account),
        )


@dataclass
class Risk:
    """Gap-persistence risk of one account (``servgap_risk``;
    docs/remediation.md, section 4)."""

    account: int  #: account id
    windows: int  #: K, the windows looked at (Option.WINDOWS)
    with_shortfall: int  #: of them, those holding a significant shortfall
    churned: bool  #: the account's churned flag
    risk: float  #: 0..1
    value: float  #: the account's value
    findings: int  #: contributing account-level shortfalls over the windows
    worst_normalized: float  #: the largest normalized shortfall among them, NaN if none
    account_name: Optional[str] = None

    @classmethod
    def from_struct(cls, s, names: Namer = no_names) -> "Risk":
        return cls(s.account, s.windows, s.with_shortfall, bool(s.churned), s.risk, s.value,
                   s.findings, s.worst_normalized, names(Kind.ACCOUNT, s.account))


#: ``Trend.finding`` of a series of a named cell (``servgap_trend.finding``
#: UINT64_MAX).
_NO_FINDING = 2**64 - 1


@dataclass
class Trend(_Scoped):
    """One window of a trend (``servgap_trend``): a cell's gap in one of
    ``Option.TREND_WINDOWS`` consecutive windows of ``Option.WINDOW_DAYS``
    days, the last ending at the analysis date. The numbers are those a
    query of that window alone gives the cell (docs/concepts.md, section
    13). A series' rows are consecutive, oldest window first."""

    series: int
    finding: Optional[int]  #: index (rank - 1) of the finding it follows; None for a named cell
    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    metric: int  #: metric id, or ALL for a dimension roll-up
    dimension: Dimension
    gap: GapType
    window: int  #: 0 = the oldest
    start: int  #: the window [start, end), UTC seconds (C's ``from``, ``to``)
    end: int
    status: GapStatus  #: INSUFFICIENT where the window has no such cell
    span: Link
    flags: GapFlag
    value: float  #: as Gap.value; NaN without a value
    normalized: float
    lo: float
    hi: float
    n_up: int
    n_down: int
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None
    metric_name: Optional[str] = None

    start_dt = _dt_property("start")
    end_dt = _dt_property("end")

    @classmethod
    def from_struct(cls, s, names: Namer = no_names) -> "Trend":
        return cls(
            s.series,
            None if s.finding == _NO_FINDING else s.finding,
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            s.metric,
            as_enum(Dimension, s.dimension),
            as_enum(GapType, s.gap),
            s.window,
            getattr(s, "from"),
            s.to,
            as_enum(GapStatus, s.status),
            Link(s.span),
            GapFlag(s.flags),
            s.value,
            s.normalized,
            s.lo,
            s.hi,
            s.n_up,
            s.n_down,
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
            _metric_name(names, s.metric),
        )

    @property
    def ci(self) -> Tuple[float, float]:
        return (self.lo, self.hi)

    @property
    def significant(self) -> bool:
        return bool(self.flags & GapFlag.SIGNIFICANT)

    @property
    def declaration_changed(self) -> bool:
        return bool(self.flags & GapFlag.CHANGED)


@dataclass
class Auc:
    """ROC AUC of the risk over churned against retained accounts."""

    value: float  #: NaN when either group is empty
    churned: int
    retained: int


@dataclass
class PlanStatus(_Scoped):
    """A plan item re-measured by a query with ``QueryFlag.PLANS``
    (``servgap_plan_status``): the follow-up is the ``Option.WINDOW_DAYS``
    days ending at the analysis date, the baseline the plan's own window or
    the window before the follow-up (docs/remediation.md, section 2).
    ``owner`` is copied from the result."""

    plan: int  #: the plan item's id
    owner: str
    scope_kind: Scope
    scope_id: int
    touchpoint: int  #: touchpoint id, or ALL
    metric: int  #: metric id, or ALL for a dimension roll-up
    dimension: Dimension
    gap: GapType
    deadline: Optional[int]  #: UTC seconds; None: no deadline
    target: float
    outcome: Outcome  #: NONE when nothing has followed the baseline yet
    overdue: bool  #: a deadline before the analysis date, and not closed
    own_baseline: bool  #: the plan's own baseline window (else the default)
    #: the baseline window [base_start, base_end) (C's base_from, base_to)
    base_start: Optional[int]
    base_end: Optional[int]
    follow_start: Optional[int]  #: the follow-up window; None for outcome NONE
    follow_end: Optional[int]
    baseline: float  #: the gap value in each window (NaN: no data)
    followup: float
    change: float
    lo: float
    hi: float
    next_check: Optional[int]
    finding: Optional[int]  #: index (rank - 1) of the finding it addresses, or None
    scope_name: Optional[str] = None
    touchpoint_name: Optional[str] = None
    metric_name: Optional[str] = None

    deadline_dt = _dt_property("deadline")
    base_start_dt = _dt_property("base_start")
    base_end_dt = _dt_property("base_end")
    follow_start_dt = _dt_property("follow_start")
    follow_end_dt = _dt_property("follow_end")
    next_check_dt = _dt_property("next_check")

    @classmethod
    def from_struct(cls, s, names: Namer = no_names) -> "PlanStatus":
        return cls(
            s.plan,
            _text(s.owner) or "",
            as_enum(Scope, s.scope_kind),
            s.scope_id,
            s.touchpoint,
            s.metric,
            as_enum(Dimension, s.dimension),
            as_enum(GapType, s.gap),
            _date(s.deadline),
            s.target,
            as_enum(Outcome, s.outcome),
            bool(s.overdue),
            bool(s.own_baseline),
            _date(s.base_from),
            _date(s.base_to),
            _date(s.follow_from),
            _date(s.follow_to),
            s.baseline,
            s.followup,
            s.change,
            s.lo,
            s.hi,
            _date(s.next_check),
            None if s.finding == _NO_FINDING else s.finding,
            _scope_name(names, s.scope_kind, s.scope_id),
            _tp_name(names, s.touchpoint),
            _metric_name(names, s.metric),
        )

    @property
    def ci(self) -> Tuple[float, float]:
        return (self.lo, self.hi)
