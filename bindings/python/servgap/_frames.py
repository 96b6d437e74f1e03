"""Result tables by columns: dicts of equal-length arrays, and DataFrames.

``pd.DataFrame(res.cells())`` gives int enumerations and object columns of
tuples, and the JSON report keys a cell's gaps by name, so neither makes a
table to filter or pivot. This module flattens each table into columns of
one type each, standard library only:

- numbers: ``array('q')`` for ints, ``array('d')`` for floats;
- booleans: ``array('b')`` of 0 and 1;
- times and ids that may be unset (a finding's root, a trend's finding):
  ``array('d')``, UTC seconds or the index, NaN where unset;
- names and enumerations: lists of str, spelt as in the JSON report
  (``"tier:enterprise"``, ``"*"`` for a roll-up, ``"delivery"``).

``to_pandas`` turns them into a DataFrame with pandas types: enumerations
as categoricals in the library's order, times as datetime64 in UTC,
booleans as bool, unset ids as nullable Int64. pandas is imported only
there.

Each table is a list of (column, kind, value) triples, the value a
function of the row; kinds are the letters of ``_ARRAYS`` plus "s" (str)
and enumeration classes.
"""

from __future__ import annotations

import math
from array import array
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Tuple

from ._enums import (Classification, Dimension, Facet, GapStatus, GapType, IpaQuadrant, Link,
                     Outcome, Quadrant, Scope, TriggerKind, Viewpoint, WeightSource)
from .errors import closed_error

if TYPE_CHECKING:  # pragma: no cover
    from ._result import Result

_ARRAYS = {"i": "q", "f": "d", "b": "b", "t": "d", "o": "d"}
Spec = List[Tuple[str, Any, Callable[[Any], Any]]]


def _opt(v):
    return math.nan if v is None else v


def _keys(cell_of: Callable[[Any], Any] = lambda r: r) -> Spec:
    """The columns that say which cell (or scope and touchpoint) a row is."""
    return [
        ("scope", "s", lambda r: cell_of(r).scope),
        ("scope_kind", Scope, lambda r: cell_of(r).scope_kind),
        ("scope_id", "i", lambda r: cell_of(r).scope_id),
        ("scope_name", "s", lambda r: cell_of(r).scope_name),
        ("touchpoint", "s", lambda r: cell_of(r).touchpoint_name),
        ("touchpoint_id", "i", lambda r: cell_of(r).touchpoint),
    ]


def _metric_keys(cell_of: Callable[[Any], Any] = lambda r: r) -> Spec:
    return [
        ("metric", "s", lambda r: cell_of(r).metric_name),
        ("metric_id", "i", lambda r: cell_of(r).metric),
        ("dimension", Dimension, lambda r: cell_of(r).dimension),
    ]


def _gap_values(gap_of: Callable[[Any], Any]) -> Spec:
    return [
        ("status", GapStatus, lambda r: gap_of(r).status),
        ("value", "f", lambda r: gap_of(r).value),
        ("normalized", "f", lambda r: gap_of(r).normalized),
        ("lo", "f", lambda r: gap_of(r).lo),
        ("hi", "f", lambda r: gap_of(r).hi),
    ]


_GAPS: Spec = (
    [("cell", "i", lambda r: r[0].index)] + _keys(lambda r: r[0]) + _metric_keys(lambda r: r[0])
    + [("classification", Classification, lambda r: r[0].classification),
       ("gap", GapType, lambda r: r[1].gap)]
    + _gap_values(lambda r: r[1])
    + [("df", "f", lambda r: r[1].df),
       ("n_up", "i", lambda r: r[1].n_up),
       ("n_down", "i", lambda r: r[1].n_down),
       ("span", Link, lambda r: r[1].span),
       ("paired", "b", lambda r: r[1].paired),
       ("sufficient", "b", lambda r: r[1].sufficient),
       ("significant", "b", lambda r: r[1].significant),
       ("no_standard", "b", lambda r: r[1].no_standard),
       ("declaration_changed", "b", lambda r: r[1].declaration_changed)]
)


def _per_viewpoint(field: str, kind: str) -> Spec:
    return [("%s_%s" % (field, vp), kind, lambda r, vp=vp: getattr(r, field)[vp])
            for vp in Viewpoint]


_CELLS: Spec = (
    [("cell", "i", lambda r: r.index)] + _keys() + _metric_keys()
    + [("classification", Classification, lambda r: r.classification),
       ("class_span", Link, lambda r: r.class_span),
       ("class_normalized", "f", lambda r: r.class_normalized),
       ("scale", "f", lambda r: r.span),
       ("pairs", "i", lambda r: r.pairs),
       ("pe_correlation", "f", lambda r: r.pe_correlation)]
    + _per_viewpoint("n", "i") + _per_viewpoint("mean", "f") + _per_viewpoint("sd", "f")
    + _per_viewpoint("negative", "i")
)


def _per_dimension(field: str, column: str) -> Spec:
    return [("%s_%s" % (column, d), "f", lambda r, d=d: getattr(r, field)[d]) for d in Dimension]


_SERVQUAL: Spec = (
    _keys() + _per_dimension("dimension_gap", "gap") + _per_dimension("weight", "weight")
    + _per_dimension("believed_weight", "believed_weight")
    + [("unweighted", "f", lambda r: r.unweighted),
       ("item_mean", "f", lambda r: r.item_mean),
       ("weighted", "f", lambda r: r.weighted),
       ("weighted_lo", "f", lambda r: r.weighted_lo),
       ("weighted_hi", "f", lambda r: r.weighted_hi),
       ("weight_source", WeightSource, lambda r: r.weight_source),
       ("respondents", "i", lambda r: r.respondents),
       ("servperf", "f", lambda r: r.servperf),
       ("importance_gap", "f", lambda r: r.importance_gap),
       ("most_underweighted", Dimension, lambda r: r.most_underweighted)]
)

_BREAKDOWNS: Spec = (
    [("cell", "i", lambda r: r[0].cell)] + _keys(lambda r: r[1]) + _metric_keys(lambda r: r[1])
    + [("facet", Facet, lambda r: r[0].facet),
       ("facet_id", "i", lambda r: r[0].facet_id),
       ("name", "s", lambda r: r[0].facet_name),
       ("viewpoint", Viewpoint, lambda r: r[0].viewpoint),
       ("gap", GapType, lambda r: r[0].gap),
       ("n", "i", lambda r: r[0].n),
       ("mean", "f", lambda r: r[0].mean)]
    + _gap_values(lambda r: r[0])
    + [("df", "f", lambda r: r[0].df),
       ("sufficient", "b", lambda r: r[0].sufficient),
       ("significant", "b", lambda r: r[0].significant),
       ("declaration_changed", "b", lambda r: r[0].declaration_changed)]
)

_FINDINGS: Spec = (
    [("rank", "i", lambda r: r.rank), ("cell", "i", lambda r: r.cell)]
    + _keys() + _metric_keys()
    + [("gap", GapType, lambda r: r.gap),
       ("value", "f", lambda r: r.value),
       ("normalized", "f", lambda r: r.normalized),
       ("impact", "f", lambda r: r.impact),
       ("effort", "f", lambda r: r.effort),
       ("priority", "f", lambda r: r.priority),
       ("quadrant", Quadrant, lambda r: r.quadrant),
       ("size_term", "f", lambda r: r.size_term),
       ("value_share", "f", lambda r: r.value_share),
       ("frequency", "f", lambda r: r.frequency),
       ("affected_value", "f", lambda r: r.affected_value),
       ("affected_accounts", "i", lambda r: r.affected_accounts),
       ("persistent", "b", lambda r: r.persistent),
       ("windows", "i", lambda r: r.windows),
       ("no_standard", "b", lambda r: r.no_standard),
       ("root", "o", lambda r: _opt(r.root)),
       ("members", "i", lambda r: r.members),
       ("members_value", "f", lambda r: r.members_value)]
)

_IPA: Spec = _keys() + [
    ("dimension", Dimension, lambda r: r.dimension),
    ("quadrant", IpaQuadrant, lambda r: r.quadrant),
    ("importance", "f", lambda r: r.importance),
    ("performance", "f", lambda r: r.performance),
    ("importance_cross", "f", lambda r: r.importance_cross),
    ("performance_cross", "f", lambda r: r.performance_cross),
]

_TRIGGERS: Spec = [
    ("account", "s", lambda r: r.account_name),
    ("account_id", "i", lambda r: r.account),
    ("kind", TriggerKind, lambda r: r.kind),
    ("date", "t", lambda r: _opt(r.date)),
    ("detail", "s", lambda r: r.detail),
    ("count", "i", lambda r: r.count),
    ("before", "f", lambda r: r.before),
    ("after", "f", lambda r: r.after),
    ("statistic", "f", lambda r: r.statistic),
    ("lo", "f", lambda r: r.lo),
    ("hi", "f", lambda r: r.hi),
    ("n_before", "i", lambda r: r.n_before),
    ("n_after", "i", lambda r: r.n_after),
]

_RISK: Spec = [
    ("account", "s", lambda r: r.account_name),
    ("account_id", "i", lambda r: r.account),
    ("risk", "f", lambda r: r.risk),
    ("windows", "i", lambda r: r.windows),
    ("with_shortfall", "i", lambda r: r.with_shortfall),
    ("findings", "i", lambda r: r.findings),
    ("worst_normalized", "f", lambda r: r.worst_normalized),
    ("value", "f", lambda r: r.value),
    ("churned", "b", lambda r: r.churned),
]

_TRENDS: Spec = (
    [("series", "i", lambda r: r.series), ("finding", "o", lambda r: _opt(r.finding))]
    + _keys() + _metric_keys()
    + [("gap", GapType, lambda r: r.gap),
       ("window", "i", lambda r: r.window),
       ("start", "t", lambda r: r.start),
       ("end", "t", lambda r: r.end)]
    + _gap_values(lambda r: r)
    + [("n_up", "i", lambda r: r.n_up),
       ("n_down", "i", lambda r: r.n_down),
       ("significant", "b", lambda r: r.significant),
       ("declaration_changed", "b", lambda r: r.declaration_changed)]
)

_PLANS: Spec = (
    [("plan", "i", lambda r: r.plan), ("owner", "s", lambda r: r.owner)]
    + _keys() + _metric_keys()
    + [("gap", GapType, lambda r: r.gap),
       ("outcome", Outcome, lambda r: r.outcome),
       ("overdue", "b", lambda r: r.overdue),
       ("own_baseline", "b", lambda r: r.own_baseline),
       ("deadline", "t", lambda r: _opt(r.deadline)),
       ("target", "f", lambda r: r.target),
       ("base_start", "t", lambda r: _opt(r.base_start)),
       ("base_end", "t", lambda r: _opt(r.base_end)),
       ("follow_start", "t", lambda r: _opt(r.follow_start)),
       ("follow_end", "t", lambda r: _opt(r.follow_end)),
       ("baseline", "f", lambda r: r.baseline),
       ("followup", "f", lambda r: r.followup),
       ("change", "f", lambda r: r.change),
       ("lo", "f", lambda r: r.lo),
       ("hi", "f", lambda r: r.hi),
       ("next_check", "t", lambda r: _opt(r.next_check)),
       ("finding", "o", lambda r: _opt(r.finding))]
)


def _gap_rows(res: "Result") -> Any:
    for cell in res.cells:
        for gap in cell.gaps:
            yield (cell, gap)


def _breakdown_rows(res: "Result") -> Any:
    cells: Dict[int, Any] = {}
    for b in res.breakdowns:
        if b.cell not in cells:
            cells[b.cell] = res.cell(b.cell, gaps=False)
        yield (b, cells[b.cell])


#: table name -> (its rows from a Result, its columns)
TABLES: Dict[str, Tuple[Callable[["Result"], Any], Spec]] = {
    "gaps": (_gap_rows, _GAPS),
    "cells": (lambda res: res.cells(gaps=False), _CELLS),
    "servqual": (lambda res: res.servqual, _SERVQUAL),
    "breakdowns": (_breakdown_rows, _BREAKDOWNS),
    "findings": (lambda res: res.findings, _FINDINGS),
    "ipa": (lambda res: res.ipa, _IPA),
    "triggers": (lambda res: res.triggers, _TRIGGERS),
    "risk": (lambda res: res.risk, _RISK),
    "trends": (lambda res: res.trends, _TRENDS),
    "plans": (lambda res: res.plans, _PLANS),
}
_ALIASES = {"cell": "cells", "breakdown": "breakdowns", "priorities": "findings"}


def _spec(table: str) -> Tuple[str, Callable[["Result"], Any], Spec]:
    name = _ALIASES.get(str(table), str(table))
    try:
        rows, spec = TABLES[name]
    except KeyError:
        raise ValueError("unknown table %r (one of %s)" % (table, ", ".join(TABLES))) from None
    return name, rows, spec


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def columns(res: "Result", table: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(columns, kinds) of a table of res (see the module docstring)."""
    name, rows, spec = _spec(table)
    res._live("servgap_result_count")
    if res._ctx.closed:
        raise closed_error("Context", "Result.columns (names come from the Context)")
    lists: List[List[Any]] = [[] for _ in spec]
    getters = [get for _, _, get in spec]
    for row in rows(res):
        for out, get in zip(lists, getters):
            out.append(get(row))
    cols: Dict[str, Any] = {}
    kinds: Dict[str, Any] = {}
    for (column, kind, _), values in zip(spec, lists):
        if isinstance(kind, str) and kind in _ARRAYS:
            cols[column] = array(_ARRAYS[kind], values)
        else:
            cols[column] = [_text(v) for v in values]
        kinds[column] = kind
    return cols, kinds


def to_pandas(res: "Result", table: str) -> Any:
    """The DataFrame of a table (see the module docstring)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("Result.to_pandas needs pandas (Debian: apt-get install "
                          "python3-pandas); Result.columns() needs nothing") from e
    cols, kinds = columns(res, table)
    data = {name: _series(pd, col, kinds[name]) for name, col in cols.items()}
    return pd.DataFrame(data, columns=list(cols))


def _series(pd: Any, col: Any, kind: Any) -> Any:
    if kind == "t":
        return pd.to_datetime(list(col), unit="s", utc=True)
    if kind == "b":
        return pd.array([bool(v) for v in col], dtype="bool")
    if kind == "o":
        return pd.array([None if math.isnan(v) else int(v) for v in col], dtype="Int64")
    if isinstance(kind, str):
        return list(col) if kind == "s" else col.tolist()
    order = [str(m) for m in kind]
    extra = sorted({v for v in col if v is not None and v not in order})
    return pd.Categorical(col, categories=order + extra)
