"""Result: an owned servgap_result, read into plain Python records.

The C result is immutable and owns its data, so a Result may be read from
any number of threads and stays valid after its Context changes or is
closed. ``close()`` (or leaving the ``with`` block, or garbage collection)
frees it; after that every accessor raises the same MisuseError.
"""

from __future__ import annotations

import ctypes
import json as _json
import threading
from ctypes import byref, c_double, c_int32, c_int64, c_size_t

from . import _lib as L
from ._enums import TIME_MAX, TIME_MIN, ErrorCode, Dimension, GapType, Kind, Scope, Table, coerce
from ._records import (Auc, Breakdown, Cell, Finding, Gap, Ipa, PlanStatus, Risk, Servqual, Trend,
                       Trigger)
from ._ids import check_id
from .errors import RowIndexError, closed_error, error_for

_GAPS = tuple(GapType)


class Result:
    """The analysis of one window (``servgap_result``), from
    ``Context.query``, or the trends of named cells, from
    ``Context.query_trends`` (which holds only ``Table.TRENDS``).
    Accessors return dataclasses of ``servgap._records``; ``json()``
    returns the JSON report (docs/formats.md) as a dict."""

    def __init__(self, ctx, handle):
        self._lib = ctx._lib
        self._ctx = ctx
        self._r = handle
        self._close_lock = threading.Lock()

    # -- lifetime -----------------------------------------------------------

    @property
    def closed(self):
        return self._r is None

    @property
    def handle(self):
        """The raw ``servgap_result *`` (None once closed)."""
        return self._r

    def close(self):
        """Free the result. Idempotent; no other thread may be reading it."""
        with self._close_lock:
            r, self._r = self._r, None
        if r is not None:
            self._lib.servgap_result_free(r)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        r = getattr(self, "_r", None)
        if r is not None:
            self._r = None
            self._lib.servgap_result_free(r)

    def __repr__(self):
        if self._r is None:
            return "<servgap.Result closed>"
        return "<servgap.Result %d cells, %d findings>" % (
            self.count(Table.CELLS), self.count(Table.FINDINGS))

    def _live(self, fn):
        """The C result, or the MisuseError of a closed Result. Checked here
        rather than left to C, because C answers some calls on NULL with a
        plain 0 (``servgap_result_count``), which would read as an empty
        table."""
        r = self._r
        if r is None:
            raise closed_error("Result", fn)
        return r

    def _check(self, rc, fn):
        if rc != 0:
            text = self._lib.servgap_strerror(rc).decode()
            raise error_for(rc, "%s: %s" % (fn, text), fn)

    # -- sizes, window ------------------------------------------------------

    def count(self, table):
        """Rows of a table (``Table`` member or name, e.g. "cells")."""
        r = self._live("servgap_result_count")
        return self._lib.servgap_result_count(r, coerce(Table, table, "table"))

    @property
    def window(self):
        """(start, end) in UTC seconds; None for an unbounded end."""
        a, b = c_int64(), c_int64()
        self._check(self._lib.servgap_result_window(self._live("servgap_result_window"), byref(a), byref(b)),
                    "servgap_result_window")
        return (None if a.value == TIME_MIN else a.value, None if b.value == TIME_MAX else b.value)

    @property
    def now(self):
        """The analysis date, UTC seconds."""
        t = c_int64()
        self._check(self._lib.servgap_result_now(self._live("servgap_result_now"), byref(t)), "servgap_result_now")
        return t.value

    # -- cells and gaps -----------------------------------------------------

    def find(self, scope_kind, scope_id, touchpoint, metric, dimension=0):
        """The index of a cell; touchpoint / metric may be ``servgap.ALL``
        (with ``dimension`` for a dimension roll-up). NotFoundError if the
        result has no such cell."""
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

    def _ids_of(self, scope_kind, scope_id, touchpoint, metric):
        """(scope_id, touchpoint, metric) as ids; names are looked up in the
        Context the Result came from, which must then be open."""
        args = (scope_id, touchpoint, metric)
        if any(isinstance(a, str) for a in args):
            ctx = self._ctx
            return (ctx._scope_id(scope_kind, scope_id),
                    ctx._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                    ctx._id(metric, Kind.METRIC, "metric"))
        return (check_id(scope_id, "scope_id"), check_id(touchpoint, "touchpoint"),
                check_id(metric, "metric", Kind.METRIC))

    def _row(self, i, table, fn):
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

    def gap(self, cell, gap):
        """Gap ``gap`` (GapType or name) of cell index ``cell``."""
        g = coerce(GapType, gap, "gap")
        i = self._row(cell, Table.CELLS, "servgap_result_gap")
        rec = L.new_record(L.Gap)
        self._check(self._lib.servgap_result_gap(self._r, i, g, byref(rec)), "servgap_result_gap")
        return Gap.from_struct(rec)

    def gaps(self, cell):
        """The seven gaps of cell index ``cell``, indexed by ``GapType``."""
        i = self._row(cell, Table.CELLS, "servgap_result_gap")
        return self._gaps(i, L.new_record(L.Gap))

    def _gaps(self, i, rec):
        fn = self._lib.servgap_result_gap
        r = self._live("servgap_result_gap")
        out = []
        for g in _GAPS:
            self._check(fn(r, i, g, byref(rec)), "servgap_result_gap")
            out.append(Gap.from_struct(rec))
        return tuple(out)

    def cell(self, i, gaps=True):
        """Cell ``i`` with its seven gaps (``gaps=False``: without)."""
        i = self._row(i, Table.CELLS, "servgap_result_cell")
        rec = L.new_record(L.Cell)
        self._check(self._lib.servgap_result_cell(self._r, i, byref(rec)), "servgap_result_cell")
        return Cell.from_struct(i, rec, self._gaps(i, L.new_record(L.Gap)) if gaps else ())

    def cells(self, gaps=True):
        """Every cell, in the C order (``cells()[i]`` is cell i)."""
        r = self._live("servgap_result_cell")
        n = self.count(Table.CELLS)
        rec, grec = L.new_record(L.Cell), L.new_record(L.Gap)
        fn = self._lib.servgap_result_cell
        out = []
        for i in range(n):
            self._check(fn(r, i, byref(rec)), "servgap_result_cell")
            out.append(Cell.from_struct(i, rec, self._gaps(i, grec) if gaps else ()))
        return out

    # -- the other tables ---------------------------------------------------

    def _rows(self, table, fn_name, cls, build):
        r = self._live(fn_name)
        n = self.count(table)
        rec = L.new_record(cls)
        fn = getattr(self._lib, fn_name)
        out = []
        for i in range(n):
            self._check(fn(r, i, byref(rec)), fn_name)
            out.append(build(i, rec))
        return out

    def servqual(self):
        return self._rows(Table.SERVQUAL, "servgap_result_servqual", L.Servqual,
                          Servqual.from_struct)

    def breakdowns(self):
        return self._rows(Table.BREAKDOWN, "servgap_result_breakdown", L.Breakdown,
                          Breakdown.from_struct)

    def finding_accounts(self, i):
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

    def findings(self):
        """The findings in rank order, each with its affected account ids."""
        return self._rows(
            Table.FINDINGS, "servgap_result_finding", L.Finding,
            lambda i, rec: Finding.from_struct(rec, self.finding_accounts(i)))

    def ipa(self):
        return self._rows(Table.IPA, "servgap_result_ipa", L.Ipa,
                          lambda i, rec: Ipa.from_struct(rec))

    def triggers(self):
        return self._rows(Table.TRIGGERS, "servgap_result_trigger", L.Trigger,
                          lambda i, rec: Trigger.from_struct(rec))

    def risk(self):
        return self._rows(Table.RISK, "servgap_result_risk", L.Risk,
                          lambda i, rec: Risk.from_struct(rec))

    def trends(self):
        """The trend rows (``Table.TRENDS``), series by series, oldest
        window first: each finding's series from a query with
        ``QueryFlag.TRENDS`` (``Trend.finding`` is its index), or one series
        per named cell from ``Context.query_trends``."""
        return self._rows(Table.TRENDS, "servgap_result_trend", L.Trend,
                          lambda i, rec: Trend.from_struct(rec))

    def plans(self):
        """The plan rows (``Table.PLANS``) of a query with
        ``QueryFlag.PLANS``: every plan item re-measured as of the analysis
        date, by plan id."""
        return self._rows(Table.PLANS, "servgap_result_plan", L.PlanStatus,
                          lambda i, rec: PlanStatus.from_struct(rec))

    def auc(self):
        v, c, r = c_double(), c_int64(), c_int64()
        self._check(self._lib.servgap_result_risk_auc(self._live("servgap_result_risk_auc"), byref(v), byref(c), byref(r)),
                    "servgap_result_risk_auc")
        return Auc(v.value, c.value, r.value)

    # -- JSON ---------------------------------------------------------------

    def json_bytes(self, ctx=None):
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

    def write_json(self, out, ctx=None):
        """Stream the JSON report into ``out`` (anything with a
        ``write(bytes)`` method: a binary file, a socket's file, a
        compressor) in pieces of at most 64 KiB, in one pass, without a
        buffer the size of the report: the bytes of :meth:`json_bytes`.
        Returns their number. An exception raised by ``out.write`` stops
        the report and is raised again here."""
        ctx = self._ctx if ctx is None else ctx
        failed = []

        def piece(user, data, n):
            try:
                out.write(ctypes.string_at(data, n))
                return 0
            except BaseException as e:  # re-raised below, once C has returned
                failed.append(e)
                return 1

        n = c_size_t()
        r = self._live("servgap_result_json_stream")
        h = ctx._live("servgap_result_json_stream")
        rc = self._lib.servgap_result_json_stream(h, r, L.WriteFn(piece), None, byref(n))
        if failed:
            raise failed[0]
        if rc != 0:
            ctx._raise(rc, "servgap_result_json_stream")
        return n.value

    def json(self, ctx=None):
        """The JSON report (docs/formats.md, schema 1) as a dict: NaN and
        infinities are None, as in the JSON."""
        return _json.loads(self.json_bytes(ctx))

