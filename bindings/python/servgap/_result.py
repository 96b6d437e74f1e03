"""Result: an owned servgap_result, read into plain Python records.

The C result is immutable and owns its data, so a Result may be read from
any number of threads and stays valid after its Context changes or is
closed. ``close()`` (or leaving the ``with`` block, or garbage collection)
frees it; after that every accessor raises the same MisuseError.

Each table is a ``Rows`` view: a sequence of records (``len``, indexing
from either end, slices, iteration) that reads rows from C as they are
asked for, and that also exports the table by columns (``columns()``,
``to_pandas()``; see ``servgap._frames``). Calling a view, as in
``res.findings()``, returns the list of every row.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import json as _json
import os
import threading
from collections.abc import Sequence
from ctypes import byref, c_double, c_int32, c_int64, c_size_t
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple, Union,
                    overload)

from . import _frames
from . import _lib as L
from ._enums import TIME_MAX, TIME_MIN, Dimension, ErrorCode, GapType, Kind, Scope, Table, coerce
from ._ids import check_id
from ._records import (Auc, Breakdown, Cell, Finding, Gap, Ipa, PlanStatus, Risk, Servqual, Trend,
                       Trigger, utc)
from .errors import NotFoundError, RowIndexError, closed_error, error_for

if TYPE_CHECKING:  # pragma: no cover
    from ._context import Context

_GAPS = tuple(GapType)

Window = Tuple[Optional[int], Optional[int]]


class Rows(Sequence):
    """One table of a Result as a sequence of records.

    ``len(rows)``, ``rows[i]`` (negative from the end; outside the table
    RowIndexError, an IndexError), ``rows[a:b]`` (a list), iteration, and
    ``rows()``: the list of all rows. ``columns()`` and ``to_pandas()``
    export the table by columns (docs/ffi.md, "Tables and DataFrames")."""

    def __init__(self, result: "Result", table: Table, fn: str, struct: type,
                 build: Callable[[int, Any], Any]) -> None:
        self._result = result
        self._table = table
        self._fn = fn
        self._struct = struct
        self._build = build

    @property
    def table(self) -> Table:
        """The C table this view reads."""
        return self._table

    def __len__(self) -> int:
        return self._result.count(self._table)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> List[Any]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._read(k, L.new_record(self._struct))
                    for k in range(*i.indices(len(self)))]
        k = self._result._row(i, self._table, self._fn)
        return self._read(k, L.new_record(self._struct))

    def __iter__(self) -> Iterator[Any]:
        res = self._result
        res._live(self._fn)
        rec = L.new_record(self._struct)
        for i in range(res.count(self._table)):
            yield self._read(i, rec)

    def _read(self, i: int, rec: Any) -> Any:
        res = self._result
        fn = getattr(res._lib, self._fn)
        res._check(fn(res._live(self._fn), i, byref(rec)), self._fn)
        return self._build(i, rec)

    def __call__(self) -> List[Any]:
        return list(self)

    def columns(self) -> Dict[str, Any]:
        """The table as a dict of equal-length columns: ``array.array`` for
        numbers and times, lists of str for names and enumerations."""
        return self._result.columns(str(self._table))

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (pandas must be installed)."""
        return self._result.to_pandas(str(self._table))

    def __repr__(self) -> str:
        if self._result.closed:
            return "<servgap.Rows %s of a closed Result>" % self._table
        return "<servgap.Rows %s: %d rows>" % (self._table, len(self))


class CellRows(Rows):
    """The cells table; ``cells(gaps=False)`` leaves out the gaps, and
    ``columns(long=True)`` gives one row per cell and gap type."""

    def __init__(self, result: "Result", gaps: bool = True) -> None:
        super().__init__(result, Table.CELLS, "servgap_result_cell", L.Cell,
                         lambda i, rec: result._cell(i, rec, gaps))

    def __call__(self, gaps: bool = True) -> List[Cell]:  # type: ignore[override]
        return list(self._result._cells_view(gaps))

    def columns(self, long: bool = False) -> Dict[str, Any]:  # type: ignore[override]
        return self._result.columns("gaps" if long else "cells")

    def to_pandas(self, long: bool = False) -> Any:  # type: ignore[override]
        return self._result.to_pandas("gaps" if long else "cells")


class Result:
    """The analysis of one window (``servgap_result``), from
    ``Context.query``, or the trends of named cells, from
    ``Context.query_trends`` (which holds only ``Table.TRENDS``).

    A Result is the sequence of its cells, as C indexes them: ``len(res)``,
    ``res[i]``, ``for cell in res``. The tables are views (``res.cells``,
    ``res.findings``, ``res.triggers``, ...; see ``Rows``); their rows are
    dataclasses of ``servgap._records`` that name their ids through the
    Context. ``json()`` returns the JSON report (docs/formats.md) as a
    dict, ``columns(table)`` and ``to_pandas(table)`` a table by columns.
    A Result is always true, even without cells."""

    def __init__(self, ctx: "Context", handle: Any) -> None:
        self._lib = ctx._lib
        self._ctx = ctx
        self._r = handle
        self._close_lock = threading.Lock()
        self._name_cache: Dict[Tuple[int, int], Optional[str]] = {}

    # -- lifetime -----------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has freed the result (every accessor then
        raises MisuseError)."""
        return self._r is None

    @property
    def handle(self) -> Any:
        """The raw ``servgap_result *`` (None once closed)."""
        return self._r

    def close(self) -> None:
        """Free the result. Idempotent; no other thread may be reading it."""
        with self._close_lock:
            r, self._r = self._r, None
        if r is not None:
            self._lib.servgap_result_free(r)

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        r = getattr(self, "_r", None)
        if r is not None:
            self._r = None
            self._lib.servgap_result_free(r)

    def __repr__(self) -> str:
        if self._r is None:
            return "<servgap.Result closed>"
        return "<servgap.Result %d cells, %d findings>" % (
            self.count(Table.CELLS), self.count(Table.FINDINGS))

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        return self.count(Table.CELLS)

    def __getitem__(self, i: Union[int, slice]) -> Any:
        return self.cells[i]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells)

    def _live(self, fn: str) -> Any:
        """The C result, or the MisuseError of a closed Result. Checked here
        rather than left to C, because C answers some calls on NULL with a
        plain 0 (``servgap_result_count``), which would read as an empty
        table."""
        r = self._r
        if r is None:
            raise closed_error("Result", fn)
        return r

    def _check(self, rc: int, fn: str) -> None:
        if rc != 0:
            text = self._lib.servgap_strerror(rc).decode()
            raise error_for(rc, "%s: %s" % (fn, text), fn)

    def _row(self, i: int, table: int, fn: str) -> int:
        """Row index ``i`` of ``table`` as a sequence takes it: negative
        counts from the end; outside the table, RowIndexError (an
        IndexError) naming the row and the table's size."""
        r = self._live(fn)
        try:
            k = i.__index__()
        except AttributeError:
            raise TypeError("%s: a row index must be an int, not %s"
                            % (fn, type(i).__name__)) from None
        n = self._lib.servgap_result_count(r, table)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise RowIndexError(ErrorCode.ERANGE, "%s: row %d is out of range: the %s table has "
                                "%d rows" % (fn, i, str(Table(table)), n), fn)
        return k

    # -- names --------------------------------------------------------------

    def _name(self, kind: int, id: int) -> Optional[str]:
        """The name of an id, from the Context while it is open (None
        after); names never change once given, so each is asked once."""
        key = (int(kind), id)
        cache = self._name_cache
        if key in cache:
            return cache[key]
        ctx = self._ctx
        if ctx.closed:
            return None
        try:
            name = ctx.name(kind, id)
        except NotFoundError:
            name = None
        cache[key] = name
        return name

    # -- sizes, window ------------------------------------------------------

    def count(self, table: Union[Table, int, str]) -> int:
        """Rows of a table (``Table`` member or name, e.g. "cells")."""
        r = self._live("servgap_result_count")
        return self._lib.servgap_result_count(r, coerce(Table, table, "table"))

    @property
    def window(self) -> Window:
        """(start, end) in UTC seconds; None for an unbounded end."""
        a, b = c_int64(), c_int64()
        self._check(self._lib.servgap_result_window(self._live("servgap_result_window"),
                                                    byref(a), byref(b)),
                    "servgap_result_window")
        return (None if a.value == TIME_MIN else a.value, None if b.value == TIME_MAX else b.value)

    @property
    def window_dt(self) -> Tuple[Optional[_dt.datetime], Optional[_dt.datetime]]:
        """``window`` as aware UTC datetimes (None for an unbounded end)."""
        start, end = self.window
        return (utc(start), utc(end))

    @property
    def now(self) -> int:
        """The analysis date, UTC seconds."""
        t = c_int64()
        self._check(self._lib.servgap_result_now(self._live("servgap_result_now"), byref(t)),
                    "servgap_result_now")
        return t.value

    @property
    def now_dt(self) -> _dt.datetime:
        """``now`` as an aware UTC datetime."""
        return utc(self.now)

    # -- cells and gaps -----------------------------------------------------

    def find(self, scope_kind: Union[Scope, int, str], scope_id: Union[int, str],
             touchpoint: Union[int, str], metric: Union[int, str],
             dimension: Union[Dimension, int, str] = 0) -> int:
        """The index of a cell; touchpoint / metric may be ``servgap.ALL``
        (with ``dimension`` for a dimension roll-up), ids or names.
        NotFoundError if the result has no such cell."""
        out = c_size_t()
        r = self._live("servgap_result_find")
        sk = coerce(Scope, scope_kind, "scope_kind")
        ids = self._ids_of(sk, scope_id, touchpoint, metric)
        self._check(
            self._lib.servgap_result_find(
                r, sk, *ids, coerce(Dimension, dimension, "dimension"), byref(out)),
            "servgap_result_find",
        )
        return out.value

    def _ids_of(self, scope_kind: int, scope_id: Any, touchpoint: Any,
                metric: Any) -> Tuple[int, int, int]:
        """(scope_id, touchpoint, metric) as ids; names are looked up in the
        Context the Result came from, which must then be open."""
        if any(isinstance(a, str) for a in (scope_id, touchpoint, metric)):
            ctx = self._ctx
            return (ctx._scope_id(scope_kind, scope_id),
                    ctx._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                    ctx._id(metric, Kind.METRIC, "metric"))
        return (check_id(scope_id, "scope_id"), check_id(touchpoint, "touchpoint"),
                check_id(metric, "metric", Kind.METRIC))

    def gap(self, cell: int, gap: Union[GapType, int, str]) -> Gap:
        """Gap ``gap`` (GapType or name) of cell index ``cell``."""
        g = coerce(GapType, gap, "gap")
        i = self._row(cell, Table.CELLS, "servgap_result_gap")
        rec = L.new_record(L.Gap)
        self._check(self._lib.servgap_result_gap(self._r, i, g, byref(rec)), "servgap_result_gap")
        return Gap.from_struct(rec)

    def gaps(self, cell: int) -> Tuple[Gap, ...]:
        """The seven gaps of cell index ``cell``, indexed by ``GapType``."""
        i = self._row(cell, Table.CELLS, "servgap_result_gap")
        return self._gaps(i, L.new_record(L.Gap))

    def _gaps(self, i: int, rec: Any) -> Tuple[Gap, ...]:
        fn = self._lib.servgap_result_gap
        r = self._live("servgap_result_gap")
        out = []
        for g in _GAPS:
            self._check(fn(r, i, g, byref(rec)), "servgap_result_gap")
            out.append(Gap.from_struct(rec))
        return tuple(out)

    def _cell(self, i: int, rec: Any, gaps: bool) -> Cell:
        g = self._gaps(i, L.new_record(L.Gap)) if gaps else ()
        return Cell.from_struct(i, rec, g, self._name)

    def cell(self, i: int, gaps: bool = True) -> Cell:
        """Cell ``i`` with its seven gaps (``gaps=False``: without); ``i``
        counts from the end when negative."""
        return self._cells_view(gaps)[i]

    def _cells_view(self, gaps: bool) -> CellRows:
        return CellRows(self, gaps)

    @property
    def cells(self) -> CellRows:
        """The cells, in the C order (``cells[i]`` is cell i, with its seven
        gaps); ``cells()`` is the list, ``cells(gaps=False)`` without gaps."""
        return CellRows(self)

    # -- the other tables ---------------------------------------------------

    @property
    def servqual(self) -> Rows:
        """The SERVQUAL rows (``Servqual``): one per scope and touchpoint
        (the roll-up over touchpoints included) with a service gap, in cell
        order."""
        return Rows(self, Table.SERVQUAL, "servgap_result_servqual", L.Servqual,
                    lambda i, rec: Servqual.from_struct(i, rec, self._name))

    @property
    def breakdowns(self) -> Rows:
        """The team and driver rows (``Breakdown``) of each metric cell,
        grouped by cell in cell order, teams first."""
        return Rows(self, Table.BREAKDOWN, "servgap_result_breakdown", L.Breakdown,
                    lambda i, rec: Breakdown.from_struct(i, rec, self._name))

    def finding_accounts(self, i: int) -> List[int]:
        """The account ids of finding ``i``, ascending (a size query, then
        the copy)."""
        n = c_size_t()
        fn = self._lib.servgap_result_finding_accounts
        i = self._row(i, Table.FINDINGS, "servgap_result_finding_accounts")
        r = self._r
        self._check(fn(r, i, None, 0, byref(n)), "servgap_result_finding_accounts")
        if n.value == 0:
            return []
        ids = (c_int32 * n.value)()
        self._check(fn(r, i, ids, n.value, byref(n)), "servgap_result_finding_accounts")
        return list(ids[: n.value])

    @property
    def findings(self) -> Rows:
        """The findings (``Finding``) in rank order, each with its affected
        account ids and names."""
        return Rows(self, Table.FINDINGS, "servgap_result_finding", L.Finding,
                    lambda i, rec: Finding.from_struct(rec, self.finding_accounts(i),
                                                       self._name))

    @property
    def ipa(self) -> Rows:
        """The Importance-Performance Analysis rows (``Ipa``): one per
        dimension of each SERVQUAL row with importance, in SERVQUAL order."""
        return Rows(self, Table.IPA, "servgap_result_ipa", L.Ipa,
                    lambda i, rec: Ipa.from_struct(rec, self._name))

    @property
    def triggers(self) -> Rows:
        """The review triggers (``Trigger``), by account id, then kind:
        renewals with open shortfalls, CSAT spikes, migrations, hidden gaps
        and quarterly reviews (docs/remediation.md, section 3)."""
        return Rows(self, Table.TRIGGERS, "servgap_result_trigger", L.Trigger,
                    lambda i, rec: Trigger.from_struct(rec, self._name))

    @property
    def risk(self) -> Rows:
        """Gap-persistence risk (``Risk``), one row per account by id
        (docs/remediation.md, section 4)."""
        return Rows(self, Table.RISK, "servgap_result_risk", L.Risk,
                    lambda i, rec: Risk.from_struct(rec, self._name))

    @property
    def trends(self) -> Rows:
        """The trend rows (``Trend``), series by series, oldest window
        first: each finding's series from a query with ``QueryFlag.TRENDS``
        (``Trend.finding`` is its index), or one series per named cell from
        ``Context.query_trends``."""
        return Rows(self, Table.TRENDS, "servgap_result_trend", L.Trend,
                    lambda i, rec: Trend.from_struct(rec, self._name))

    @property
    def plans(self) -> Rows:
        """The plan rows (``PlanStatus``) of a query with ``QueryFlag.PLANS``:
        every plan item re-measured as of the analysis date, by plan id."""
        return Rows(self, Table.PLANS, "servgap_result_plan", L.PlanStatus,
                    lambda i, rec: PlanStatus.from_struct(rec, self._name))

    def auc(self) -> Auc:
        """How well the risk ranks churned accounts: the ROC AUC over
        churned (positive) against retained accounts, ties counting one
        half (NaN when either group is empty), and the two counts."""
        v, c, r = c_double(), c_int64(), c_int64()
        self._check(self._lib.servgap_result_risk_auc(self._live("servgap_result_risk_auc"),
                                                      byref(v), byref(c), byref(r)),
                    "servgap_result_risk_auc")
        return Auc(v.value, c.value, r.value)

    # -- columns ------------------------------------------------------------

    def columns(self, table: str = "gaps") -> Dict[str, Any]:
        """A table as a dict of equal-length columns, without any
        dependency: ``array.array`` for numbers ('q' ints, 'd' floats, 'b'
        booleans, 'd' UTC seconds with NaN for an unset time or id) and lists
        of str for names and enumerations (as the JSON report spells them).

        ``table``: "gaps" (the long form: one row per cell and gap type, the
        cell's keys repeated), "cells" (one row per cell, a column per
        viewpoint statistic), or "servqual", "breakdowns", "findings",
        "ipa", "triggers", "risk", "trends", "plans". Names need the
        Context the Result came from to be open."""
        return _frames.columns(self, table)[0]

    def to_pandas(self, table: str = "gaps") -> Any:
        """``columns(table)`` as a pandas DataFrame: enumerations as
        categoricals in the library's order, times as datetime64 in UTC,
        booleans as bool, ids that may be unset as nullable Int64. Raises
        ImportError without pandas (Debian: python3-pandas)."""
        return _frames.to_pandas(self, table)

    # -- JSON ---------------------------------------------------------------

    def json_bytes(self, ctx: Optional["Context"] = None) -> bytes:
        """The JSON report as UTF-8 bytes (without the trailing NUL), exactly
        as ``servgap_result_json`` writes it. ``ctx`` supplies the names:
        the Context this result came from unless given."""
        ctx = self._ctx if ctx is None else ctx
        lib = self._lib
        n = c_size_t()
        r = self._live("servgap_result_json")
        h = ctx._live("servgap_result_json")
        rc = lib.servgap_result_json(h, r, None, 0, byref(n))
        if rc != 0:
            ctx._raise(rc, "servgap_result_json")
        buf = ctypes.create_string_buffer(n.value + 1)
        rc = lib.servgap_result_json(h, r, buf, len(buf), byref(n))
        if rc != 0:
            ctx._raise(rc, "servgap_result_json")
        return buf.raw[: n.value]

    def write_json(self, out: Any, ctx: Optional["Context"] = None) -> int:
        """Stream the JSON report into ``out``, a path (str or os.PathLike;
        the file is created or replaced) or anything with a ``write(bytes)``
        method (a binary file, a socket's file, a compressor), in pieces of
        at most 64 KiB, in one pass, without a buffer the size of the
        report: the bytes of :meth:`json_bytes`. Returns their number. An
        exception raised by ``out.write`` stops the report and is raised
        again here."""
        ctx = self._ctx if ctx is None else ctx
        r = self._live("servgap_result_json_stream")
        h = ctx._live("servgap_result_json_stream")
        if isinstance(out, (str, os.PathLike)):
            with open(out, "wb") as f:
                return self.write_json(f, ctx)
        failed = []

        def piece(user, data, n):
            try:
                out.write(ctypes.string_at(data, n))
                return 0
            except BaseException as e:  # re-raised below, once C has returned
                failed.append(e)
                return 1

        n = c_size_t()
        rc = self._lib.servgap_result_json_stream(h, r, L.WriteFn(piece), None, byref(n))
        if failed:
            raise failed[0]
        if rc != 0:
            ctx._raise(rc, "servgap_result_json_stream")
        return n.value

    def json(self, ctx: Optional["Context"] = None) -> Dict[str, Any]:
        """The JSON report (docs/formats.md, schema 1) as a dict: NaN and
        infinities are None, as in the JSON."""
        return _json.loads(self.json_bytes(ctx))
