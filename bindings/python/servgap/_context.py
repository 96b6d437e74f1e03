"""Context: a servgap_ctx handle with a Pythonic surface.

The Python object is thin: it holds the C pointer and the Library, nothing
else, and every method is one C call (plus argument conversion). The C
handle does its own locking, and ctypes releases the GIL during each call,
so one Context may be shared by many threads: recording from several
threads and querying concurrently are both safe. Only ``close()`` must not
race with other calls on the same Context.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import math
import os
import threading
from array import array
from ctypes import byref, c_char_p, c_double, c_int32, c_size_t, c_uint64

from . import _columns
from . import _lib as L
from ._enums import (
    ALL,
    NONE,
    TIME_MAX,
    TIME_MIN,
    TIME_NONE,
    AccountDate,
    AccountFlag,
    CsvTable,
    Dimension,
    Direction,
    Driver,
    ErrorCode,
    GapType,
    ImportFlag,
    Kind,
    Option,
    QueryFlag,
    Scope,
    Viewpoint,
    Whose,
    as_enum,
    coerce,
)
from ._records import AccountInfo, ImportReport, MetricInfo, PlanInfo, Remeasurement
from ._result import Result
from .errors import error_for

# ---------------------------------------------------------------------------
# Argument helpers


def encode_name(value, what):
    """A name as NUL-free UTF-8 bytes; None stays None (NULL, which the C
    library rejects with SERVGAP_EMISUSE where a name is required)."""
    if value is None:
        return None
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError("%s: expected a str, not %s" % (what, type(value).__name__))
    if b"\0" in data:
        raise ValueError("%s: a name must not contain NUL characters" % what)
    return data


def decode(data):
    """Borrowed C text copied into a Python str (None for NULL)."""
    if data is None:
        return None
    return data.decode("utf-8", "surrogateescape")


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def to_time(value, what, default=None):
    """UTC seconds from an int, a ``datetime.date`` (its midnight UTC), a
    ``datetime.datetime`` (naive means UTC), an ISO 8601 string, or None
    (``default``)."""
    if value is None:
        if default is None:
            raise TypeError("%s: a time is required" % what)
        return default
    if isinstance(value, bool):
        raise TypeError("%s: expected a time, not a bool" % what)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            value = _dt.date.fromisoformat(text)
        else:
            value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        delta = value - _EPOCH
        return delta.days * 86400 + delta.seconds
    if isinstance(value, _dt.date):
        return (value - _EPOCH.date()).days * 86400
    try:
        return value.__index__()
    except AttributeError:
        raise TypeError(
            "%s: expected UTC seconds, a date, a datetime or an ISO string, not %s"
            % (what, type(value).__name__)
        ) from None


def from_time(seconds):
    """None for SERVGAP_TIME_NONE / _MIN / _MAX, else the int."""
    if seconds == TIME_NONE or seconds == TIME_MAX:
        return None
    return seconds


def errmsg_of(lib, handle):
    """The handle's last message, copied under its lock by errmsg_copy
    (again into a larger buffer if it did not fit: never truncated)."""
    buf = ctypes.create_string_buffer(512)
    n = lib.servgap_errmsg_copy(handle, buf, len(buf))
    if n >= len(buf):
        buf = ctypes.create_string_buffer(n + 1)
        n = lib.servgap_errmsg_copy(handle, buf, len(buf))
    return decode(buf.raw[: min(n, len(buf) - 1)])


def _table(value):
    return coerce(CsvTable, value, "table")


# ---------------------------------------------------------------------------


class Context:
    """A libservgap handle (``servgap_ctx``).

    Use it as a context manager, or call ``close()``; a Context that is
    garbage collected while open frees its handle too. Results returned by
    ``query`` own their data and stay valid after the Context is closed
    (except ``Result.json()``, which needs the names of an open Context).

    Arguments that are enumerations accept the IntEnum member, its int, or
    its name as a string: ``Viewpoint.PERCEIVED``, ``6``, ``"perceived"``.
    Times accept UTC seconds (int), ``datetime.date``, ``datetime.datetime``
    (naive is UTC) or ISO 8601 strings.
    """

    def __init__(self, library=None):
        if library is None:
            lib = L.default_library()
        elif isinstance(library, L.Library):
            lib = library
        else:
            lib = L.load_library(library, default=False)
        self._lib = lib
        self._h = None
        self._close_lock = threading.Lock()
        out = L.CtxPtr()
        rc = lib.servgap_ctx_new(byref(out), None)
        if rc != 0:
            raise error_for(rc, "servgap_ctx_new: %s" % decode(lib.servgap_strerror(rc)),
                            "servgap_ctx_new")
        self._h = out

    # -- lifetime -----------------------------------------------------------

    @property
    def library(self):
        """The ``Library`` this handle comes from."""
        return self._lib

    @property
    def closed(self):
        return self._h is None

    @property
    def handle(self):
        """The raw ``servgap_ctx *`` (a ctypes pointer; None once closed), for
        calling C functions of the same library directly."""
        return self._h

    def close(self):
        """Free the handle. Idempotent. No other thread may be using it."""
        with self._close_lock:
            h, self._h = self._h, None
        if h is not None:
            self._lib.servgap_ctx_free(h)

    def interrupt(self):
        """Stop the import, query, trend query, re-measurement or snapshot
        load running on this handle in another thread: it raises
        InterruptedCallError, having changed nothing. Safe from any thread
        and from a signal handler; a no-op on a closed Context."""
        h = self._h
        if h is not None:
            self._lib.servgap_ctx_interrupt(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        h = getattr(self, "_h", None)
        if h is not None:
            self._h = None
            self._lib.servgap_ctx_free(h)

    def __repr__(self):
        if self._h is None:
            return "<servgap.Context closed>"
        return "<servgap.Context %d observations>" % self.observation_count()

    def __getstate__(self):
        raise TypeError(
            "a servgap.Context cannot be pickled; ship snapshot_bytes() and "
            "load them with Context.from_snapshot_bytes()"
        )

    # -- errors -------------------------------------------------------------

    def _check(self, rc, fn):
        if rc != 0:
            self._raise(rc, fn)

    def _raise(self, rc, fn):
        if self._h is None:
            msg = "%s: NULL handle (the Context is closed)" % fn
        else:
            msg = errmsg_of(self._lib, self._h)
        raise error_for(rc, msg, fn)

    def errmsg(self):
        """The message of the handle's last failed call ("" if none)."""
        return errmsg_of(self._lib, self._h)

    def errmsg_borrowed(self):
        """``servgap_errmsg``: the same text read through the borrowed
        pointer. Only safe while no other thread uses the handle; prefer
        ``errmsg()``."""
        return decode(self._lib.servgap_errmsg(self._h))

    def errcode(self):
        """The status code of the handle's last failed call (0 if none)."""
        return as_enum(ErrorCode, self._lib.servgap_errcode(self._h))

    # -- options ------------------------------------------------------------

    def set_option(self, option, value):
        """Set an option (``Option`` member, int or name such as
        ``"confidence"``) for queries started afterwards."""
        opt = coerce(Option, option, "option")
        self._check(self._lib.servgap_ctx_set_option(self._h, opt, float(value)),
                    "servgap_ctx_set_option")

    def get_option(self, option):
        opt = coerce(Option, option, "option")
        out = c_double()
        self._check(self._lib.servgap_ctx_get_option(self._h, opt, byref(out)),
                    "servgap_ctx_get_option")
        return out.value

    def options(self):
        """Every option this binding knows, as a dict name -> value."""
        return {o.name.lower(): self.get_option(o) for o in Option}

    # -- names --------------------------------------------------------------

    def intern(self, kind, name):
        """The id of a tier, touchpoint or team name, created if new."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._check(
            self._lib.servgap_intern(self._h, k, encode_name(name, "name"), byref(out)),
            "servgap_intern",
        )
        return out.value

    def lookup(self, kind, name):
        """The id of a known name of any kind; NotFoundError if unknown."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._check(
            self._lib.servgap_lookup(self._h, k, encode_name(name, "name"), byref(out)),
            "servgap_lookup",
        )
        return out.value

    def name(self, kind, id):
        """The name of an id of any kind (copied into a str)."""
        k = coerce(Kind, kind, "kind")
        out = c_char_p()
        self._check(self._lib.servgap_name(self._h, k, id, byref(out)), "servgap_name")
        return decode(out.value)

    def count(self, kind):
        """How many names of a kind the handle knows (ids 0 .. count-1)."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._check(self._lib.servgap_count(self._h, k, byref(out)), "servgap_count")
        return out.value

    def names(self, kind):
        """All names of a kind, in id order."""
        return [self.name(kind, i) for i in range(self.count(kind))]

    # -- metrics ------------------------------------------------------------

    def metric_define(self, name, dimension, direction=Direction.HIGHER_IS_BETTER,
                      min=-math.inf, max=math.inf, span=0.0, unit=None):
        """Define a metric and return its id (the id of an identical earlier
        definition; ConflictError for a different one). ``span`` 0 means
        max - min and is required for an unbounded range."""
        out = c_int32()
        self._check(
            self._lib.servgap_metric_define(
                self._h,
                encode_name(name, "name"),
                coerce(Dimension, dimension, "dimension"),
                coerce(Direction, direction, "direction"),
                float(min),
                float(max),
                float(span),
                encode_name(unit, "unit"),
                byref(out),
            ),
            "servgap_metric_define",
        )
        return out.value

    def metric_info(self, id):
        rec = L.new_record(L.Metric)
        self._check(self._lib.servgap_metric_info(self._h, id, byref(rec)), "servgap_metric_info")
        return MetricInfo(
            id=id,
            name=decode(rec.name),
            unit=decode(rec.unit) or "",
            dimension=as_enum(Dimension, rec.dimension),
            direction=as_enum(Direction, rec.direction),
            min=rec.min,
            max=rec.max,
            span=rec.span,
        )

    # -- accounts -----------------------------------------------------------

    def account_define(self, account, tier=None, value=0.0):
        """Define an account (or update a known one's value); its id.

        The first tier named for an account is its tier for good: another
        one raises a conflict (docs/formats.md, "An account's tier")."""
        out = c_int32()
        self._check(
            self._lib.servgap_account_define(
                self._h, encode_name(account, "account"), encode_name(tier, "tier"),
                float(value), byref(out)),
            "servgap_account_define",
        )
        return out.value

    def account_set_health(self, id, health):
        """Health 0..100, or None / NaN for unknown."""
        h = math.nan if health is None else float(health)
        self._check(self._lib.servgap_account_set_health(self._h, id, h),
                    "servgap_account_set_health")

    def account_set_flag(self, id, flag, on=True):
        """Set or clear ``AccountFlag.AT_RISK`` / ``CHURNED`` (or "at_risk")."""
        self._check(
            self._lib.servgap_account_set_flag(
                self._h, id, coerce(AccountFlag, flag, "flag"), 1 if on else 0),
            "servgap_account_set_flag",
        )

    def account_set_date(self, id, which, time):
        """Set ``AccountDate.RENEWAL`` / ``MIGRATION``; time None clears it."""
        t = TIME_NONE if time is None else to_time(time, "time")
        self._check(
            self._lib.servgap_account_set_date(
                self._h, id, coerce(AccountDate, which, "which"), t),
            "servgap_account_set_date",
        )

    def account_info(self, id):
        rec = L.new_record(L.Account)
        self._check(self._lib.servgap_account_info(self._h, id, byref(rec)),
                    "servgap_account_info")
        return AccountInfo(
            id=id,
            name=decode(rec.name),
            tier=None if rec.tier == NONE else rec.tier,
            at_risk=bool(rec.at_risk),
            churned=bool(rec.churned),
            value=rec.value,
            health=rec.health,
            renewal=from_time(rec.renewal),
            migration=from_time(rec.migration),
        )

    # -- efforts and plans --------------------------------------------------

    def effort_set(self, gap, touchpoint, metric, effort):
        """Effort to fix ``gap`` at ``touchpoint`` for ``metric``; each key
        part may be ``servgap.ALL`` (the wildcard)."""
        g = ALL if gap == ALL else coerce(GapType, gap, "gap")
        self._check(
            self._lib.servgap_effort_set(self._h, g, touchpoint, metric, float(effort)),
            "servgap_effort_set",
        )

    def effort_get(self, gap, touchpoint, metric):
        g = ALL if gap == ALL else coerce(GapType, gap, "gap")
        out = c_double()
        self._check(
            self._lib.servgap_effort_get(self._h, g, touchpoint, metric, byref(out)),
            "servgap_effort_get",
        )
        return out.value

    def plan_add(self, owner, scope_kind, scope_id, touchpoint, metric, gap, deadline, target,
                 dimension=0, baseline=None):
        """Add a remediation plan item; returns its id. ``metric`` ALL with
        ``dimension`` names a dimension roll-up. ``baseline``: None, or the
        window ``(start, end)`` (UTC midnights, start < end) that a query
        with ``QueryFlag.PLANS`` re-measures against; ``deadline`` None: no
        deadline."""
        rec = L.new_record(L.Plan)
        if baseline is not None:
            start, end = baseline
            rec.baseline_from = to_time(start, "baseline start")
            rec.baseline_to = to_time(end, "baseline end")
        rec.owner = encode_name(owner, "owner")
        rec.scope_kind = coerce(Scope, scope_kind, "scope_kind")
        rec.scope_id = scope_id
        rec.touchpoint = touchpoint
        rec.metric = metric
        rec.dimension = coerce(Dimension, dimension, "dimension")
        rec.gap = coerce(GapType, gap, "gap")
        rec.deadline = to_time(deadline, "deadline", TIME_NONE)
        rec.target = float(target)
        out = c_int32()
        self._check(self._lib.servgap_plan_add(self._h, byref(rec), byref(out)),
                    "servgap_plan_add")
        return out.value

    def plan_count(self):
        out = c_int32()
        self._check(self._lib.servgap_plan_count(self._h, byref(out)), "servgap_plan_count")
        return out.value

    def plan_info(self, id):
        rec = L.new_record(L.Plan)
        self._check(self._lib.servgap_plan_info(self._h, id, byref(rec)), "servgap_plan_info")
        return PlanInfo.from_struct(id, rec)

    def plan_remeasure(self, id, base_from, base_to, follow_from, follow_to=None):
        """Compare plan item ``id``'s gap in the baseline window with the
        follow-up window (None as ``follow_to``: without end)."""
        rec = L.new_record(L.Remeasure)
        self._check(
            self._lib.servgap_plan_remeasure(
                self._h, id,
                to_time(base_from, "base_from", TIME_MIN),
                to_time(base_to, "base_to"),
                to_time(follow_from, "follow_from"),
                to_time(follow_to, "follow_to", TIME_MAX),
                byref(rec)),
            "servgap_plan_remeasure",
        )
        return Remeasurement.from_struct(rec)

    # -- recording ----------------------------------------------------------

    def record(self, scope_kind, scope_id, touchpoint, metric, viewpoint, value, time,
               team=NONE, driver=Driver.NONE):
        """Record one observation (``servgap_record``). For many, use
        ``record_batch``: one FFI crossing per batch instead of per row."""
        self._check(
            self._lib.servgap_record(
                self._h,
                coerce(Scope, scope_kind, "scope_kind"),
                scope_id,
                touchpoint,
                metric,
                coerce(Viewpoint, viewpoint, "viewpoint"),
                float(value),
                to_time(time, "time"),
                team,
                coerce(Driver, driver, "driver"),
            ),
            "servgap_record",
        )

    def withdraw(self, scope_kind, scope_id, touchpoint, metric, viewpoint, time):
        """Withdraw a declaration (viewpoint ``STANDARD`` or ``PROMISED``) of
        a scope, touchpoint and metric from the day of ``time`` on
        (``servgap_declaration_withdraw``): an SLA or promise stays in force
        until a later one replaces it or it is withdrawn."""
        self._check(
            self._lib.servgap_declaration_withdraw(
                self._h,
                coerce(Scope, scope_kind, "scope_kind"),
                scope_id,
                touchpoint,
                metric,
                coerce(Viewpoint, viewpoint, "viewpoint"),
                to_time(time, "time"),
            ),
            "servgap_declaration_withdraw",
        )

    def record_batch(self, scope_id, touchpoint, metric, viewpoint, value, time, *,
                     scope_kind=None, team=None, driver=None, no_copy=False):
        """Record N observations from parallel columns in one C call
        (``servgap_record_batch``); returns N.

        Each column is a sequence, a buffer-protocol array or a scalar
        (repeated for every row). int32 columns: scope_id, touchpoint,
        metric, viewpoint, scope_kind, team, driver; ``value`` is double;
        ``time`` is int64 UTC seconds. Arrays whose items already have that
        C type (``array('i')``, ``array('q')``, ``array('d')``, numpy int32 /
        int64 / float64) are passed without any copy; see ``column_path``.
        ``no_copy=True`` raises TypeError instead of copying or converting a
        column. Optional columns: scope_kind (None: every row an account),
        team and driver (None: none). The batch is all or nothing; the
        error message names the index at fault.
        """
        I32, I64, DBL = _columns.INT32, _columns.INT64, _columns.DOUBLE
        if isinstance(scope_kind, str):
            scope_kind = coerce(Scope, scope_kind, "scope_kind")
        if isinstance(viewpoint, str):
            viewpoint = coerce(Viewpoint, viewpoint, "viewpoint")
        if isinstance(driver, str):
            driver = coerce(Driver, driver, "driver")
        n, a, _ = _columns.build(
            "record_batch",
            (
                ("scope_kind", scope_kind, I32),
                ("scope_id", scope_id, I32),
                ("touchpoint", touchpoint, I32),
                ("metric", metric, I32),
                ("viewpoint", viewpoint, I32),
                ("value", value, DBL),
                ("time", time, I64),
                ("team", team, I32),
                ("driver", driver, I32),
            ),
            no_copy,
        )
        rc = self._lib.servgap_record_batch(
            self._h, n, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8])
        if rc != 0:
            self._raise(rc, "servgap_record_batch")
        return n

    def record_response(self, scope_kind, scope_id, touchpoint, time, metric, expected,
                        perceived, adequate=None, importance=None, team=NONE,
                        driver=Driver.NONE):
        """Record one respondent's paired SERVQUAL response: per item
        ``metric[i]`` with ``expected[i]``, ``perceived[i]`` and optionally
        ``adequate[i]`` (None or NaN: not answered). ``importance``: None or
        the respondent's 100 points over the five dimensions."""
        specs = [
            ("metric", metric, _columns.INT32),
            ("expected", _nan_for_none(expected), _columns.DOUBLE),
            ("perceived", _nan_for_none(perceived), _columns.DOUBLE),
            ("adequate", _nan_for_none(adequate), _columns.DOUBLE),
        ]
        n, a, _ = _columns.build("record_response", specs)
        points = None
        if importance is not None:
            points = _points(importance, "record_response")
        self._check(
            self._lib.servgap_record_response(
                self._h,
                coerce(Scope, scope_kind, "scope_kind"),
                scope_id,
                touchpoint,
                to_time(time, "time"),
                team,
                coerce(Driver, driver, "driver"),
                n, a[0], a[1], a[3], a[2], points,
            ),
            "servgap_record_response",
        )

    def set_importance(self, scope_kind, scope_id, whose, points):
        """Set a scope's importance allocation: five points (SERVGAP_DIM_*
        order, or a dict keyed by dimension) summing to 100."""
        self._check(
            self._lib.servgap_set_importance(
                self._h,
                coerce(Scope, scope_kind, "scope_kind"),
                scope_id,
                coerce(Whose, whose, "whose"),
                _points(points, "set_importance"),
            ),
            "servgap_set_importance",
        )

    def observation_count(self):
        out = c_uint64()
        self._check(self._lib.servgap_observation_count(self._h, byref(out)),
                    "servgap_observation_count")
        return out.value

    # -- merge, import, snapshots -------------------------------------------

    def merge(self, other):
        """Merge everything ``other`` (a Context of the same library) knows
        into this one. ``other`` is not changed."""
        if not isinstance(other, Context):
            raise TypeError("merge: expected a Context, not %s" % type(other).__name__)
        if other._lib.cdll._handle != self._lib.cdll._handle:
            raise ValueError("merge: the Contexts come from two different loaded libraries")
        self._check(self._lib.servgap_ctx_merge(self._h, other._h), "servgap_ctx_merge")

    def import_csv(self, table, source, *, name=None, skip_bad_rows=False):
        """Import a CSV table (``CsvTable`` or its name, e.g. "observations")
        from a path (str or os.PathLike) or from bytes-like data (bytes,
        bytearray, memoryview; read-only buffers other than bytes are copied
        once). ``name`` stands for the file in messages of a buffer import
        (default "<buffer>"). Returns an ImportReport. Errors read
        ``FILE:LINE:COLUMN: reason``."""
        t = _table(table)
        flags = int(ImportFlag.SKIP_BAD_ROWS) if skip_bad_rows else 0
        rep = L.new_record(L.ImportReport)
        if isinstance(source, (str, os.PathLike)):
            if name is not None:
                raise TypeError("import_csv: name is for buffers; a path names itself")
            rc = self._lib.servgap_import_csv(self._h, t, os.fsencode(source), flags, byref(rep))
            fn = "servgap_import_csv"
        else:
            data, length, keep = _bytes_arg(source, "import_csv")
            rc = self._lib.servgap_import_csv_buffer(
                self._h, t, encode_name(name, "name"), data, length, flags, byref(rep))
            del keep
            fn = "servgap_import_csv_buffer"
        self._check(rc, fn)
        return ImportReport.from_struct(rep)

    def snapshot_save(self, path):
        """Save the handle atomically to ``path``."""
        self._check(self._lib.servgap_snapshot_save(self._h, os.fsencode(path)),
                    "servgap_snapshot_save")

    def snapshot_load(self, path):
        """Merge the snapshot file at ``path`` into this handle."""
        self._check(self._lib.servgap_snapshot_load(self._h, os.fsencode(path)),
                    "servgap_snapshot_load")

    def snapshot_bytes(self):
        """The snapshot as ``bytes`` (``servgap_snapshot_write`` with a size
        query; the same state always gives the same bytes)."""
        length = c_size_t()
        for _ in range(8):
            self._check(self._lib.servgap_snapshot_write(self._h, None, 0, byref(length)),
                        "servgap_snapshot_write")
            buf = ctypes.create_string_buffer(length.value)
            need = c_size_t()
            rc = self._lib.servgap_snapshot_write(self._h, buf, len(buf), byref(need))
            if rc == 0:
                return buf.raw[: need.value]
            if rc != -8:  # SERVGAP_EBUFSIZE: grown meanwhile, query again
                self._raise(rc, "servgap_snapshot_write")
        self._raise(-8, "servgap_snapshot_write")

    def snapshot_load_bytes(self, data):
        """Merge a snapshot held in bytes-like ``data`` into this handle."""
        buf, length, keep = _bytes_arg(data, "snapshot_load_bytes")
        rc = self._lib.servgap_snapshot_load_buffer(self._h, buf, length)
        del keep
        self._check(rc, "servgap_snapshot_load_buffer")

    def summary_bytes(self, start=None, end=None):
        """The summary of the observations of the whole UTC days [start,
        end) (None: unbounded) as ``bytes`` (``servgap_summary_write``):
        day-bucketed moments that merge with other summaries; see
        docs/scaling.md."""
        lo, hi = to_time(start, "start", TIME_MIN), to_time(end, "end", TIME_MAX)
        length = c_size_t()
        for _ in range(8):
            self._check(self._lib.servgap_summary_write(self._h, lo, hi, None, 0, byref(length)),
                        "servgap_summary_write")
            buf = ctypes.create_string_buffer(length.value)
            need = c_size_t()
            rc = self._lib.servgap_summary_write(self._h, lo, hi, buf, len(buf), byref(need))
            if rc == 0:
                return buf.raw[: need.value]
            if rc != -8:  # SERVGAP_EBUFSIZE: grown meanwhile, query again
                self._raise(rc, "servgap_summary_write")
        self._raise(-8, "servgap_summary_write")

    def load_summary(self, path):
        """Merge the summary file at ``path`` into this handle
        (``servgap_summary_load``)."""
        self._check(self._lib.servgap_summary_load(self._h, os.fsencode(path)),
                    "servgap_summary_load")

    def load_summary_bytes(self, data):
        """Merge a summary held in bytes-like ``data`` into this handle
        (``servgap_summary_load_buffer``); loading several summaries is
        their merge."""
        buf, length, keep = _bytes_arg(data, "load_summary_bytes")
        rc = self._lib.servgap_summary_load_buffer(self._h, buf, length)
        del keep
        self._check(rc, "servgap_summary_load_buffer")

    @classmethod
    def from_snapshot_bytes(cls, data, library=None):
        """A new Context restored from snapshot bytes."""
        ctx = cls(library)
        try:
            ctx.snapshot_load_bytes(data)
        except BaseException:
            ctx.close()
            raise
        return ctx

    # -- queries ------------------------------------------------------------

    def query(self, start=None, end=None, flags=QueryFlag.ALL, now=None):
        """Analyse the window [start, end) of whole UTC days (None: unbounded)
        and return a Result. ``now`` (a UTC midnight) is the analysis date
        for triggers, risk and trends; None lets the library choose (the
        window's end, or the midnight after the latest observation).

        ``flags`` selects the tables (``QueryFlag``; 0 means ALL).
        ``QueryFlag.ALL | QueryFlag.TRENDS`` adds each finding's gap per
        window of the trend (``Result.trends()``); TRENDS is not part of ALL
        and without PRIORITIES it raises InvalidError."""
        if now is not None:
            return self.query_at(start, end, now, flags)
        out = L.ResultPtr()
        self._check(
            self._lib.servgap_query(
                self._h, to_time(start, "start", TIME_MIN), to_time(end, "end", TIME_MAX),
                int(flags), byref(out)),
            "servgap_query",
        )
        return Result(self, out)

    def query_at(self, start, end, now, flags=QueryFlag.ALL):
        """``servgap_query_at``: as query, with an explicit analysis date
        (None: SERVGAP_TIME_NONE)."""
        out = L.ResultPtr()
        self._check(
            self._lib.servgap_query_at(
                self._h, to_time(start, "start", TIME_MIN), to_time(end, "end", TIME_MAX),
                TIME_NONE if now is None else to_time(now, "now"), int(flags), byref(out)),
            "servgap_query_at",
        )
        return Result(self, out)

    def query_trends(self, cells, now=None):
        """The trends of named cells (``servgap_query_trends``): one series
        per cell, in order, each the cell's gap over
        ``Option.TREND_WINDOWS`` windows of ``Option.WINDOW_DAYS`` days, the
        last ending at ``now`` (a UTC midnight; None: the midnight after the
        latest observation). Returns a Result that holds only
        ``Table.TRENDS`` (read it with ``trends()``); its window is [the
        first window's start, now). A window that lacks the cell gives a row
        with status INSUFFICIENT.

        ``cells`` is a sequence; each cell is a tuple ``(scope_kind,
        scope_id, touchpoint, metric, dimension, gap)`` or ``(scope_kind,
        scope_id, touchpoint, metric, gap)`` (dimension 0), a mapping with
        those keys, or an object with those attributes, such as a Finding of
        an earlier query. touchpoint and metric may be ``servgap.ALL`` (with
        the dimension for a dimension roll-up). The keys go to C as six
        columns in one call. An unknown id raises NotFoundError, and a bad
        scope kind, dimension or gap InvalidError, whose message names the
        cell's index ("cell 1: ...")."""
        if isinstance(cells, (str, bytes)) or not hasattr(cells, "__iter__"):
            raise TypeError("query_trends: cells must be a sequence of cells, not %s"
                            % type(cells).__name__)
        rows = [_trend_cell(i, c) for i, c in enumerate(cells)]
        I32 = _columns.INT32
        n, a, _ = _columns.build(
            "query_trends",
            [(k, [r[j] for r in rows], I32) for j, k in enumerate(_TREND_KEYS)],
        )
        out = L.ResultPtr()
        self._check(
            self._lib.servgap_query_trends(
                self._h, TIME_NONE if now is None else to_time(now, "now"), n,
                a[0], a[1], a[2], a[3], a[4], a[5], byref(out)),
            "servgap_query_trends",
        )
        return Result(self, out)


_TREND_KEYS = ("scope_kind", "scope_id", "touchpoint", "metric", "dimension", "gap")


def _trend_cell(i, cell):
    """The six int32 keys of named cell i: a tuple or list ``(scope_kind,
    scope_id, touchpoint, metric, [dimension,] gap)``, a mapping with those
    keys, or an object with those attributes (a Finding, a Trend, a
    PlanInfo); ``dimension`` may be left out (0)."""
    what = "query_trends: cell %d" % i
    if isinstance(cell, (tuple, list)):
        if len(cell) == 5:
            cell = tuple(cell[:4]) + (0, cell[4])
        elif len(cell) != 6:
            raise ValueError(
                "%s: expected (scope_kind, scope_id, touchpoint, metric, [dimension,] gap), "
                "got %d items" % (what, len(cell)))
        keys = cell
    elif isinstance(cell, (str, bytes)):
        raise TypeError("%s: expected a tuple or a cell-like object, not %s"
                        % (what, type(cell).__name__))
    else:
        get = cell.get if hasattr(cell, "keys") else (lambda k, d=None: getattr(cell, k, d))
        keys = tuple(get(k, 0 if k == "dimension" else None) for k in _TREND_KEYS)
        missing = [k for k, v in zip(_TREND_KEYS, keys) if v is None]
        if missing:
            raise TypeError("%s: %s has no %s" % (what, type(cell).__name__, ", ".join(missing)))
    kind, sid, tp, metric, dim, gap = keys
    return (coerce(Scope, kind, what + " scope_kind"), sid, tp, metric,
            coerce(Dimension, dim, what + " dimension"), coerce(GapType, gap, what + " gap"))


def _nan_for_none(seq):
    if isinstance(seq, (list, tuple)) and any(v is None for v in seq):
        return [math.nan if v is None else v for v in seq]
    return seq


def _points(points, what):
    if isinstance(points, dict):
        vals = [0.0] * 5
        for k, v in points.items():
            vals[coerce(Dimension, k, what)] = float(v)
        points = vals
    arr = array("d", points)
    if len(arr) != 5:
        raise ValueError("%s: importance needs 5 points (one per dimension), got %d"
                         % (what, len(arr)))
    return (c_double * 5).from_buffer(arr)


def _bytes_arg(data, what):
    """(pointer argument, length, keep-alive) for bytes-like input: bytes
    and writable contiguous buffers are passed by pointer, anything else is
    copied once."""
    if isinstance(data, bytes):
        return data, len(data), data
    try:
        mv = memoryview(data)
    except TypeError:
        raise TypeError(
            "%s: expected bytes-like data, not %s" % (what, type(data).__name__)
        ) from None
    if mv.readonly or not mv.c_contiguous:
        b = mv.tobytes()
        return b, len(b), b
    if mv.ndim != 1 or mv.format != "B":
        mv = mv.cast("B")
    n = mv.nbytes
    if n == 0:
        return b"", 0, None
    arr = (ctypes.c_char * n).from_buffer(mv)
    return arr, n, arr
