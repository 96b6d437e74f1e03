"""Plain Python records (dataclasses) for what the C record structs carry.

Every field is copied out of the C struct when the record is built: ints,
floats (NaN where C has NaN), tuples for the per-viewpoint and
per-dimension arrays (index them with ``Viewpoint`` / ``Dimension``
members), ``str`` for borrowed C strings, and enumeration members where
the value is known (``as_enum``). A record holds no pointer into C memory
and outlives the Result or Context it came from.

Times are int UTC seconds; an unset date is None. The exception is the
per-viewpoint read ranges of a ``Cell`` (``read_from``, ``read_to``,
``declared``), which keep the C sentinels (``TIME_NONE`` without data,
``TIME_MIN`` / ``TIME_MAX`` for an unbounded end), because ``TIME_NONE``
and ``TIME_MIN`` are the same number and only ``read_to`` tells them apart;
``Cell.read(viewpoint)`` gives one viewpoint's range the None way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from ._enums import (
    TIME_MAX,
    TIME_MIN,
    TIME_NONE,
    Classification,
    Dimension,
    Direction,
    Facet,
    FindingFlag,
    GapFlag,
    GapStatus,
    GapType,
    IpaQuadrant,
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


# -- handle records ----------------------------------------------------------


@dataclass
class MetricInfo:
    id: int
    name: str
    unit: str
    dimension: Dimension
    direction: Direction
    min: float  #: -inf for an unbounded end
    max: float  #: +inf for an unbounded end
    span: float


@dataclass
class AccountInfo:
    id: int
    name: str
    tier: Optional[int]  #: tier id, None without a tier
    at_risk: bool  #: the flag as set (health may also make it at risk)
    churned: bool
    value: float
    health: float  #: NaN if unknown
    renewal: Optional[int]
    migration: Optional[int]


@dataclass
class PlanInfo:
    id: int
    owner: str
    scope_kind: Scope
    scope_id: int
    touchpoint: int
    metric: int
    dimension: Dimension
    gap: GapType
    deadline: int
    target: float
    last_outcome: Outcome
    next_check: Optional[int]
    baseline_from: Optional[int] = None  #: the baseline window, UTC seconds; None: none
    baseline_to: Optional[int] = None

    @classmethod
    def from_struct(cls, id, s):
        return cls(
            id=id,
            owner=_text(s.owner),
            scope_kind=as_enum(Scope, s.scope_kind),
            scope_id=s.scope_id,
            touchpoint=s.touchpoint,
            metric=s.metric,
            dimension=as_enum(Dimension, s.dimension),
            gap=as_enum(GapType, s.gap),
            deadline=s.deadline,
            target=s.target,
            last_outcome=as_enum(Outcome, s.last_outcome),
            next_check=_date(s.next_check),
            baseline_from=_date(s.baseline_from),
            baseline_to=_date(s.baseline_to),
        )


@dataclass
class Remeasurement:
    outcome: Outcome
    baseline: float
    followup: float
    change: float
    lo: float
    hi: float
    next_check: Optional[int]

    @classmethod
    def from_struct(cls, s):
        return cls(as_enum(Outcome, s.outcome), s.baseline, s.followup, s.change, s.lo, s.hi,
                   _date(s.next_check))


@dataclass
class ImportReport:
    rows: int
    applied: int
    skipped: int
    observations: int
    unknown_columns: int
    unknown: list = field(default_factory=list)  #: ignored column names
    skips: list = field(default_factory=list)  #: first skipped rows' messages

    @classmethod
    def from_struct(cls, s):
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
    value: float  #: oriented downstream - upstream; negative is a shortfall
    normalized: float
    lo: float
    hi: float
    df: float  #: inf when both sides are exact
    n_up: int
    n_down: int

    @classmethod
    def from_struct(cls, s):
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
    def ci(self):
        return (self.lo, self.hi)

    @property
    def paired(self):
        return bool(self.flags & GapFlag.PAIRED)

    @property
    def no_standard(self):
        return bool(self.flags & GapFlag.NO_STANDARD)

    @property
    def sufficient(self):
        return bool(self.flags & GapFlag.SUFFICIENT)

    @property
    def significant(self):
        return bool(self.flags & GapFlag.SIGNIFICANT)

    @property
    def declaration_changed(self):
        """A side is a declaration (standard, promised) replaced or
        withdrawn inside the window (``GapFlag.CHANGED``)."""
        return bool(self.flags & GapFlag.CHANGED)


@dataclass
class Cell:
    """A cell (``servgap_cell``): a scope at a touchpoint for a metric, or a
    roll-up (touchpoint / metric ``servgap.ALL``). The per-viewpoint tuples
    are indexed by ``Viewpoint``; ``gaps`` by ``GapType``."""

    index: int
    scope_kind: Scope
    scope_id: int
    touchpoint: int
    metric: int
    dimension: Dimension
    classification: Classification
    class_span: Link
    class_normalized: float
    span: float
    n: Tuple[int, ...]
    mean: Tuple[float, ...]
    sd: Tuple[float, ...]
    negative: Tuple[int, ...]
    source: Tuple[Source, ...]
    pairs: int
    pe_correlation: float
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

    def read(self, viewpoint):
        """What viewpoint's side read, as ``(start, end)`` like
        ``Result.window`` (None for an unbounded end), or None when the
        viewpoint has no data in this cell."""
        if self.read_to[viewpoint] == TIME_NONE:
            return None
        a, b = self.read_from[viewpoint], self.read_to[viewpoint]
        return (None if a == TIME_MIN else a, None if b == TIME_MAX else b)

    @classmethod
    def from_struct(cls, index, s, gaps=()):
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
        )


@dataclass
class Servqual:
    """SERVQUAL scores of a scope at a touchpoint (``servgap_servqual``);
    the per-dimension tuples are indexed by ``Dimension``."""

    index: int
    scope_kind: Scope
    scope_id: int
    touchpoint: int
    most_underweighted: Optional[Dimension]
    dimension_gap: Tuple[float, ...]
    weight: Tuple[float, ...]
    believed_weight: Tuple[float, ...]
    unweighted: float
    item_mean: float
    weighted: float
    weighted_lo: float
    weighted_hi: float
    servperf: float
    importance_gap: float
    respondents: int
    weight_source: WeightSource

    @classmethod
    def from_struct(cls, index, s):
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
        )


@dataclass
class Breakdown:
    """A team's or a driver's part of a cell (``servgap_breakdown``)."""

    index: int
    facet: Facet
    facet_id: int  #: team id, or a Driver
    viewpoint: Viewpoint
    gap: GapType
    status: GapStatus
    flags: GapFlag
    cell: int
    n: int
    mean: float
    value: float
    normalized: float
    lo: float
    hi: float
    df: float

    @classmethod
    def from_struct(cls, index, s):
        return cls(
            index,
            as_enum(Facet, s.facet),
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
        )


@dataclass
class Finding:
    """A prioritized finding (``servgap_finding``) with the ids of its
    affected accounts (``servgap_result_finding_accounts``)."""

    rank: int
    scope_kind: Scope
    scope_id: int
    touchpoint: int
    metric: int
    dimension: Dimension
    gap: GapType
    quadrant: Quadrant
    flags: FindingFlag
    windows: int
    cell: int
    value: float
    normalized: float
    size_term: float
    value_share: float
    frequency: float
    affected_value: float
    affected_accounts: int  #: how many; ``accounts`` lists their ids
    impact: float
    effort: float
    priority: float
    #: index (rank - 1) of the tier finding this account finding repeats,
    #: its root cause; None when it repeats none
    root: Optional[int] = None
    members: int = 0  #: a root: how many account findings repeat it
    members_value: float = 0.0  #: a root: those accounts' total value
    accounts: Tuple[int, ...] = ()

    @property
    def persistent(self):
        return bool(self.flags & FindingFlag.PERSISTENT)

    @property
    def no_standard(self):
        """A standards finding where customers expect a level that no
        standard defines (docs/priorities.md, section 1)."""
        return bool(self.flags & FindingFlag.NO_STANDARD)

    @classmethod
    def from_struct(cls, s, accounts=()):
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
            tuple(accounts),
        )


@dataclass
class Ipa:
    """One dimension of a scope at a touchpoint on the IPA grid."""

    scope_kind: Scope
    scope_id: int
    touchpoint: int
    dimension: Dimension
    quadrant: IpaQuadrant
    importance: float
    performance: float
    importance_cross: float
    performance_cross: float

    @classmethod
    def from_struct(cls, s):
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
        )


@dataclass
class Trigger:
    """A review trigger of one account; ``detail`` is copied from the result."""

    account: int
    kind: TriggerKind
    date: Optional[int]
    count: int
    before: float
    after: float
    statistic: float
    lo: float
    hi: float
    n_before: int
    n_after: int
    detail: str

    @classmethod
    def from_struct(cls, s):
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
        )


@dataclass
class Risk:
    """Gap-persistence risk of one account."""

    account: int
    windows: int
    with_shortfall: int
    churned: bool
    risk: float
    value: float
    findings: int
    worst_normalized: float

    @classmethod
    def from_struct(cls, s):
        return cls(s.account, s.windows, s.with_shortfall, bool(s.churned), s.risk, s.value,
                   s.findings, s.worst_normalized)


#: ``Trend.finding`` of a series of a named cell (``servgap_trend.finding``
#: UINT64_MAX).
_NO_FINDING = 2**64 - 1


@dataclass
class Trend:
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

    @classmethod
    def from_struct(cls, s):
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
        )

    @property
    def ci(self):
        return (self.lo, self.hi)

    @property
    def significant(self):
        return bool(self.flags & GapFlag.SIGNIFICANT)

    @property
    def declaration_changed(self):
        return bool(self.flags & GapFlag.CHANGED)


@dataclass
class Auc:
    """ROC AUC of the risk over churned against retained accounts."""

    value: float  #: NaN when either group is empty
    churned: int
    retained: int


@dataclass
class PlanStatus:
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
    base_start: Optional[int]  #: the baseline window [base_start, base_end) (C's base_from, base_to)
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

    @classmethod
    def from_struct(cls, s):
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
        )

    @property
    def ci(self):
        return (self.lo, self.hi)
