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
import enum
import math
import os
import signal
import threading
from array import array
from ctypes import byref, c_char_p, c_double, c_int32, c_size_t, c_uint64

from typing import Any, Dict, List, Optional, Tuple, Union

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
    Crosshair,
    CsvTable,
    Declare,
    Dimension,
    Direction,
    Driver,
    ErrorCode,
    GapType,
    ImportFlag,
    Kind,
    Level,
    Option,
    Priorities,
    QueryFlag,
    Scope,
    Viewpoint,
    Whose,
    as_enum,
    coerce,
)
from ._csvsource import csv_source, header_record, read_header, unknown_column_message
from ._ids import check_id, scope_name_kind
from ._records import AccountInfo, ImportReport, MetricInfo, PlanInfo, Remeasurement
from ._result import Result
from .errors import NotFoundError, closed_error, error_for

#: An enumeration argument: a member, its int, or its name.
EnumArg = Union[enum.Enum, int, str]
#: An id argument: the id, or (where a kind is known) its name.
IdArg = Union[int, str]
#: A name argument.
NameArg = Union[str, bytes]
#: A time argument: UTC seconds, a date, a datetime or an ISO 8601 string.
TimeArg = Union[int, _dt.date, _dt.datetime, str]

# ---------------------------------------------------------------------------
# Argument helpers


def encode_name(value: Optional[NameArg], what: str) -> Optional[bytes]:
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


def decode(data: Optional[bytes]) -> Optional[str]:
    """Borrowed C text copied into a Python str (None for NULL)."""
    if data is None:
        return None
    return data.decode("utf-8", "surrogateescape")


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def to_time(value: Optional[TimeArg], what: str, default: Optional[int] = None) -> int:
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


def from_time(seconds: int) -> Optional[int]:
    """None for SERVGAP_TIME_NONE / _MIN / _MAX, else the int."""
    if seconds == TIME_NONE or seconds == TIME_MAX:
        return None
    return seconds


def errmsg_of(lib: L.Library, handle: Any) -> str:
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

    def __init__(self, library: Union[None, str, "os.PathLike[str]", L.Library] = None,
                 **options: Union[float, str, enum.Enum]) -> None:
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
        try:
            for name, value in options.items():
                self.set_option(_option_keyword(name), value)
        except BaseException:
            self.close()
            raise

    # -- lifetime -----------------------------------------------------------

    @property
    def library(self) -> L.Library:
        """The ``Library`` this handle comes from."""
        return self._lib

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has freed the handle (every method but
        ``interrupt`` then raises MisuseError)."""
        return self._h is None

    @property
    def handle(self) -> Any:
        """The raw ``servgap_ctx *`` (a ctypes pointer; None once closed), for
        calling C functions of the same library directly."""
        return self._h

    def close(self) -> None:
        """Free the handle. Idempotent. No other thread may be using it."""
        with self._close_lock:
            h, self._h = self._h, None
        if h is not None:
            self._lib.servgap_ctx_free(h)

    def interrupt(self) -> None:
        """Stop the import, query, trend query, re-measurement or snapshot
        load running on this handle in another thread: it raises
        InterruptedCallError, having changed nothing. Safe from any thread
        and from a signal handler; a no-op on a closed Context."""
        h = self._h
        if h is not None:
            self._lib.servgap_ctx_interrupt(h)

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: object) -> None:
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

    def _live(self, fn):
        """The C handle, or the MisuseError of a closed Context: raised here,
        not left to C, so that every method of a closed Context fails the
        same way, the ones that would not reach C included."""
        h = self._h
        if h is None:
            raise closed_error("Context", fn)
        return h

    def _long(self, fn, *args, result=None):
        """C function ``fn`` of the handle called with ``args``: a call that
        servgap_ctx_interrupt stops (query, import, snapshot load,
        re-measurement), made so that Ctrl-C stops it too.

        While C runs, Python runs no signal handler (the main thread would
        see the KeyboardInterrupt only when C returns). So in the main
        thread, where KeyboardInterrupt is raised, the call runs in a worker
        thread while the main thread waits, and a KeyboardInterrupt there
        interrupts the handle until the call returns: it returns
        SERVGAP_EINTERRUPTED having changed nothing, or, if it had already
        finished, its ``result`` is freed. The KeyboardInterrupt is raised
        again, caused by the InterruptedCallError of the stopped call."""
        h = self._live(fn)
        call = getattr(self._lib, fn)
        if not _sigint_raises_here():
            return call(h, *args)
        job = _Job(call, (h,) + args)
        try:
            threading.Thread(target=job.run, name="servgap " + fn, daemon=True).start()
            job.done.wait()
        except KeyboardInterrupt as stop:
            cause = None
            if not job.cancel():
                self._interrupt_until(job.done)
                if job.rc == 0 and result:
                    self._lib.servgap_result_free(result)
                if job.rc == ErrorCode.EINTERRUPTED:
                    cause = error_for(job.rc, errmsg_of(self._lib, h), fn)
            raise stop from cause
        if job.error is not None:
            raise job.error
        return job.rc

    def _interrupt_until(self, done):
        """Interrupt the handle until the call's ``done`` is set: once is
        not enough, as a call notes the interrupt count only when its work
        begins (an import after reading its file)."""
        while not done.is_set():
            self._lib.servgap_ctx_interrupt(self._h)
            try:
                done.wait(0.001)
            except KeyboardInterrupt:  # another Ctrl-C: the call is stopping already
                pass

    def _c(self, fn, *args):
        """Call C function ``fn`` of the handle with ``args``; raise on failure."""
        self._check(getattr(self._lib, fn)(self._live(fn), *args), fn)

    def _check(self, rc, fn, filename=None):
        if rc != 0:
            self._raise(rc, fn, filename)

    def _id(self, value, kind, what):
        """An id argument: an int, or a name of ``kind`` looked up (never
        created: a misspelt name must not become a new one)."""
        if isinstance(value, str):
            return self._find(kind, value, what)
        return check_id(value, what, kind)

    def _scope_id(self, scope_kind, value, what="scope_id"):
        kind = scope_name_kind(scope_kind)
        if isinstance(value, str) and kind is None:
            raise ValueError("%s: a name needs scope_kind ACCOUNT or TIER, not %r"
                             % (what, scope_kind))
        return self._id(value, kind, what)

    def _name_or_none(self, kind, id):
        try:
            return self.name(kind, id)
        except NotFoundError:
            return None

    def _find(self, kind, name, what):
        out = c_int32()
        fn = "servgap_lookup"
        rc = self._lib.servgap_lookup(self._live(fn), kind, encode_name(name, what), byref(out))
        if rc != 0:
            msg = errmsg_of(self._lib, self._h)
            if msg.startswith(fn):
                msg = msg[len(fn):]
            raise error_for(rc, what + msg, fn)  # "touchpoint: no touchpoint named 'fax'"
        return out.value

    def _id_column(self, obj, kind, what):
        """A batch column of ids that may hold names: a name alone, or a
        list or tuple with names in it, becomes ids (each name looked up
        once); anything else goes to the column code as it is."""
        if isinstance(obj, (str, bool, enum.Enum)) or _columns.is_scalar(obj):
            return self._id(obj, kind, what)
        if isinstance(obj, (list, tuple)) and any(isinstance(v, str) for v in obj):
            found = {}
            out = []
            for i, v in enumerate(obj):
                if isinstance(v, str):
                    if v not in found:
                        found[v] = self._find(kind, v, "%s[%d]" % (what, i))
                    v = found[v]
                out.append(v)
            return out
        return obj

    def _raise(self, rc, fn, filename=None):
        raise error_for(rc, errmsg_of(self._lib, self._live(fn)), fn, filename)

    def errmsg(self) -> str:
        """The message of the handle's last failed call ("" if none)."""
        return errmsg_of(self._lib, self._live("servgap_errmsg_copy"))

    def errmsg_borrowed(self) -> str:
        """``servgap_errmsg``: the same text read through the borrowed
        pointer. Only safe while no other thread uses the handle; prefer
        ``errmsg()``."""
        return decode(self._lib.servgap_errmsg(self._live("servgap_errmsg")))

    def errcode(self) -> Union[ErrorCode, int]:
        """The status code of the handle's last failed call (0 if none)."""
        return as_enum(ErrorCode, self._lib.servgap_errcode(self._live("servgap_errcode")))

    # -- options ------------------------------------------------------------

    def set_option(self, option: EnumArg, value: Union[float, str, enum.Enum]) -> None:
        """Set an option (``Option`` member, int or name such as
        ``"confidence"``) for queries started afterwards. The options whose
        values are an enumeration also take its member or name:
        ``set_option("declarations", "in_window")``."""
        opt = coerce(Option, option, "option")
        kind = _OPTION_VALUES.get(opt)
        if kind is not None and isinstance(value, (str, enum.Enum)):
            value = coerce(kind, value, "value of option %s" % Option(opt))
        self._c("servgap_ctx_set_option", opt, float(value))

    def get_option(self, option: EnumArg) -> Union[float, enum.Enum]:
        """The value of an option (``Option`` member, int or name): a float,
        or the enumeration member for ``DECLARATIONS`` (``Declare``),
        ``PRIORITIES`` (``Priorities``), ``IPA_CROSSHAIR`` (``Crosshair``)
        and ``REPORT_LEVEL`` (``Level``)."""
        opt = coerce(Option, option, "option")
        out = c_double()
        self._c("servgap_ctx_get_option", opt, byref(out))
        kind = _OPTION_VALUES.get(opt)
        return out.value if kind is None else as_enum(kind, int(out.value))

    def options(self) -> Dict[str, Union[float, enum.Enum]]:
        """Every option this binding knows, as a dict name -> value."""
        return {o.name.lower(): self.get_option(o) for o in Option}

    # -- names --------------------------------------------------------------

    def intern(self, kind: EnumArg, name: NameArg) -> int:
        """The id of a tier, touchpoint or team name, created if new."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._c("servgap_intern", k, encode_name(name, "name"), byref(out))
        return out.value

    def lookup(self, kind: EnumArg, name: NameArg) -> int:
        """The id of a known name of any kind; NotFoundError if unknown."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._c("servgap_lookup", k, encode_name(name, "name"), byref(out))
        return out.value

    def name(self, kind: EnumArg, id: int) -> str:
        """The name of an id of any kind (copied into a str)."""
        k = coerce(Kind, kind, "kind")
        out = c_char_p()
        i = check_id(id, "id", names=False)
        self._c("servgap_name", k, i, byref(out))
        return decode(out.value)

    def count(self, kind: EnumArg) -> int:
        """How many names of a kind the handle knows (ids 0 .. count-1)."""
        k = coerce(Kind, kind, "kind")
        out = c_int32()
        self._c("servgap_count", k, byref(out))
        return out.value

    def names(self, kind: EnumArg) -> List[str]:
        """All names of a kind, in id order."""
        return [self.name(kind, i) for i in range(self.count(kind))]

    # -- metrics ------------------------------------------------------------

    def metric_define(self, name: NameArg, dimension: EnumArg,
                      direction: EnumArg = Direction.HIGHER_IS_BETTER, min: float = -math.inf,
                      max: float = math.inf, span: float = 0.0,
                      unit: Optional[NameArg] = None) -> int:
        """Define a metric and return its id (the id of an identical earlier
        definition; ConflictError for a different one). ``span`` 0 means
        max - min and is required for an unbounded range."""
        out = c_int32()
        self._c("servgap_metric_define", encode_name(name, "name"),
                coerce(Dimension, dimension, "dimension"),
                coerce(Direction, direction, "direction"), float(min), float(max), float(span),
                encode_name(unit, "unit"), byref(out))
        return out.value

    def metric_info(self, id: IdArg) -> MetricInfo:
        """The definition of metric ``id`` (an id or its name) as a
        MetricInfo; NotFoundError for an unknown metric."""
        rec = L.new_record(L.Metric)
        id = self._id(id, Kind.METRIC, "id")
        self._c("servgap_metric_info", id, byref(rec))
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

    def account_define(self, account: NameArg, tier: Optional[NameArg] = None,
                       value: float = 0.0) -> int:
        """Define an account (or update a known one's value); its id.

        The first tier named for an account is its tier for good: another
        one raises a conflict (docs/formats.md, "An account's tier")."""
        out = c_int32()
        self._c("servgap_account_define", encode_name(account, "account"),
                encode_name(tier, "tier"), float(value), byref(out))
        return out.value

    def account_set_health(self, id: IdArg, health: Optional[float]) -> None:
        """Health 0..100, or None / NaN for unknown."""
        h = math.nan if health is None else float(health)
        id = self._id(id, Kind.ACCOUNT, "id")
        self._c("servgap_account_set_health", id, h)

    def account_set_flag(self, id: IdArg, flag: EnumArg, on: bool = True) -> None:
        """Set or clear ``AccountFlag.AT_RISK`` / ``CHURNED`` (or "at_risk")."""
        self._check(
            self._lib.servgap_account_set_flag(
                self._live("servgap_account_set_flag"), self._id(id, Kind.ACCOUNT, "id"),
                coerce(AccountFlag, flag, "flag"), 1 if on else 0),
            "servgap_account_set_flag",
        )

    def account_set_date(self, id: IdArg, which: EnumArg, time: Optional[TimeArg]) -> None:
        """Set ``AccountDate.RENEWAL`` / ``MIGRATION``; time None clears it."""
        t = TIME_NONE if time is None else to_time(time, "time")
        self._check(
            self._lib.servgap_account_set_date(
                self._live("servgap_account_set_date"), self._id(id, Kind.ACCOUNT, "id"),
                coerce(AccountDate, which, "which"), t),
            "servgap_account_set_date",
        )

    def account_info(self, id: IdArg) -> AccountInfo:
        """Account ``id`` (an id or its name) as an AccountInfo: its tier,
        flags as set, value, health and dates; NotFoundError if unknown."""
        rec = L.new_record(L.Account)
        id = self._id(id, Kind.ACCOUNT, "id")
        self._c("servgap_account_info", id, byref(rec))
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
            tier_name=None if rec.tier == NONE else self.name(Kind.TIER, rec.tier),
        )

    # -- efforts and plans --------------------------------------------------

    def effort_set(self, gap: EnumArg, touchpoint: IdArg, metric: IdArg, effort: float) -> None:
        """Effort to fix ``gap`` at ``touchpoint`` for ``metric``; each key
        part may be ``servgap.ALL`` (the wildcard)."""
        g = ALL if gap == ALL else coerce(GapType, gap, "gap")
        self._c("servgap_effort_set", g, self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                self._id(metric, Kind.METRIC, "metric"), float(effort))

    def effort_get(self, gap: EnumArg, touchpoint: IdArg, metric: IdArg) -> float:
        """The effort a finding of (gap, touchpoint, metric) would get: the
        most specific key set with ``effort_set``, else the default of its
        gap type (docs/priorities.md). ``metric`` may be ALL for a dimension
        roll-up, ``touchpoint`` ALL for the roll-up over touchpoints."""
        g = ALL if gap == ALL else coerce(GapType, gap, "gap")
        out = c_double()
        self._c("servgap_effort_get", g, self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                self._id(metric, Kind.METRIC, "metric"), byref(out))
        return out.value

    def plan_add(self, owner: NameArg, scope_kind: EnumArg, scope_id: IdArg, touchpoint: IdArg,
                 metric: IdArg, gap: EnumArg, deadline: Optional[TimeArg], target: float,
                 dimension: EnumArg = 0,
                 baseline: Optional[Tuple[TimeArg, TimeArg]] = None) -> int:
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
        rec.scope_id = self._scope_id(rec.scope_kind, scope_id)
        rec.touchpoint = self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint")
        rec.metric = self._id(metric, Kind.METRIC, "metric")
        rec.dimension = coerce(Dimension, dimension, "dimension")
        rec.gap = coerce(GapType, gap, "gap")
        rec.deadline = to_time(deadline, "deadline", TIME_NONE)
        rec.target = float(target)
        out = c_int32()
        self._c("servgap_plan_add", byref(rec), byref(out))
        return out.value

    def plan_count(self) -> int:
        """How many plan items the handle holds (ids 0 .. plan_count-1)."""
        out = c_int32()
        self._c("servgap_plan_count", byref(out))
        return out.value

    def plan_info(self, id: int) -> PlanInfo:
        """Plan item ``id`` as a PlanInfo, with the outcome of its last
        ``plan_remeasure``; NotFoundError for an unknown id."""
        rec = L.new_record(L.Plan)
        id = check_id(id, "id", names=False)
        self._c("servgap_plan_info", id, byref(rec))
        return PlanInfo.from_struct(id, rec, self._name_or_none)

    def plan_remeasure(self, id: int, base_from: Optional[TimeArg], base_to: TimeArg,
                       follow_from: TimeArg, follow_to: Optional[TimeArg] = None) -> Remeasurement:
        """Compare plan item ``id``'s gap in the baseline window with the
        follow-up window (None as ``follow_to``: without end)."""
        rec = L.new_record(L.Remeasure)
        self._check(
            self._long("servgap_plan_remeasure",
                check_id(id, "id", names=False),
                to_time(base_from, "base_from", TIME_MIN),
                to_time(base_to, "base_to"),
                to_time(follow_from, "follow_from"),
                to_time(follow_to, "follow_to", TIME_MAX),
                byref(rec)),
            "servgap_plan_remeasure",
        )
        return Remeasurement.from_struct(rec)

    # -- recording ----------------------------------------------------------

    def record(self, scope_kind: EnumArg, scope_id: IdArg, touchpoint: IdArg, metric: IdArg,
               viewpoint: EnumArg, value: float, time: TimeArg, team: IdArg = NONE,
               driver: EnumArg = Driver.NONE) -> None:
        """Record one observation (``servgap_record``). For many, use
        ``record_batch``: one FFI crossing per batch instead of per row."""
        sk = coerce(Scope, scope_kind, "scope_kind")
        self._check(
            self._lib.servgap_record(
                self._live("servgap_record"),
                sk,
                self._scope_id(sk, scope_id),
                self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                self._id(metric, Kind.METRIC, "metric"),
                coerce(Viewpoint, viewpoint, "viewpoint"),
                float(value),
                to_time(time, "time"),
                self._id(team, Kind.TEAM, "team"),
                coerce(Driver, driver, "driver"),
            ),
            "servgap_record",
        )

    def withdraw(self, scope_kind: EnumArg, scope_id: IdArg, touchpoint: IdArg, metric: IdArg,
                 viewpoint: EnumArg, time: TimeArg) -> None:
        """Withdraw a declaration (viewpoint ``STANDARD`` or ``PROMISED``) of
        a scope, touchpoint and metric from the day of ``time`` on
        (``servgap_declaration_withdraw``): an SLA or promise stays in force
        until a later one replaces it or it is withdrawn."""
        sk = coerce(Scope, scope_kind, "scope_kind")
        self._check(
            self._lib.servgap_declaration_withdraw(
                self._live("servgap_declaration_withdraw"),
                sk,
                self._scope_id(sk, scope_id),
                self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                self._id(metric, Kind.METRIC, "metric"),
                coerce(Viewpoint, viewpoint, "viewpoint"),
                to_time(time, "time"),
            ),
            "servgap_declaration_withdraw",
        )

    def record_batch(self, scope_id: Any, touchpoint: Any, metric: Any, viewpoint: Any,
                     value: Any, time: Any, *, scope_kind: Any = None, team: Any = None,
                     driver: Any = None, no_copy: bool = False) -> int:
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
        scope_kind = _enum_column(Scope, scope_kind, "scope_kind")
        viewpoint = _enum_column(Viewpoint, viewpoint, "viewpoint")
        driver = _enum_column(Driver, driver, "driver")
        scope_id = self._scope_id_column(scope_kind, scope_id)
        touchpoint = self._id_column(touchpoint, Kind.TOUCHPOINT, "touchpoint")
        metric = self._id_column(metric, Kind.METRIC, "metric")
        if team is not None:
            team = self._id_column(team, Kind.TEAM, "team")
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
        rc = self._lib.servgap_record_batch(self._live("servgap_record_batch"), n, *a)
        if rc != 0:
            self._raise(rc, "servgap_record_batch")
        return n

    def _scope_id_column(self, scope_kind, scope_id):
        """The scope_id column of a batch, names looked up by each row's
        scope kind (every row an account when scope_kind is None)."""
        if scope_kind is None or isinstance(scope_kind, int):
            kind = scope_name_kind(Scope.ACCOUNT if scope_kind is None else scope_kind)
            return self._id_column(scope_id, kind, "scope_id")
        if isinstance(scope_id, (list, tuple)) and any(isinstance(v, str) for v in scope_id):
            kinds = list(scope_kind)
            return [self._scope_id(coerce(Scope, k, "scope_kind[%d]" % i), v, "scope_id[%d]" % i)
                    if isinstance(v, str) else v
                    for i, (k, v) in enumerate(zip(kinds, scope_id))]
        return self._id_column(scope_id, None, "scope_id")

    def record_response(self, scope_kind: EnumArg, scope_id: IdArg, touchpoint: IdArg,
                        time: TimeArg, metric: Any, expected: Any, perceived: Any,
                        adequate: Any = None, importance: Any = None, team: IdArg = NONE,
                        driver: EnumArg = Driver.NONE) -> None:
        """Record one respondent's paired SERVQUAL response: per item
        ``metric[i]`` with ``expected[i]``, ``perceived[i]`` and optionally
        ``adequate[i]`` (None or NaN: not answered). ``importance``: None or
        the respondent's 100 points over the five dimensions."""
        specs = [
            ("metric", self._id_column(metric, Kind.METRIC, "metric"), _columns.INT32),
            ("expected", _nan_for_none(expected), _columns.DOUBLE),
            ("perceived", _nan_for_none(perceived), _columns.DOUBLE),
            ("adequate", _nan_for_none(adequate), _columns.DOUBLE),
        ]
        n, a, _ = _columns.build("record_response", specs)
        points = None
        if importance is not None:
            points = _points(importance, "record_response")
        sk = coerce(Scope, scope_kind, "scope_kind")
        self._check(
            self._lib.servgap_record_response(
                self._live("servgap_record_response"),
                sk,
                self._scope_id(sk, scope_id),
                self._id(touchpoint, Kind.TOUCHPOINT, "touchpoint"),
                to_time(time, "time"),
                self._id(team, Kind.TEAM, "team"),
                coerce(Driver, driver, "driver"),
                n, a[0], a[1], a[3], a[2], points,
            ),
            "servgap_record_response",
        )

    def set_importance(self, scope_kind: EnumArg, scope_id: IdArg, whose: EnumArg,
                       points: Any) -> None:
        """Set a scope's importance allocation: five points (SERVGAP_DIM_*
        order, or a dict keyed by dimension) summing to 100."""
        sk = coerce(Scope, scope_kind, "scope_kind")
        self._check(
            self._lib.servgap_set_importance(
                self._live("servgap_set_importance"),
                sk,
                self._scope_id(sk, scope_id),
                coerce(Whose, whose, "whose"),
                _points(points, "set_importance"),
            ),
            "servgap_set_importance",
        )

    def observation_count(self) -> int:
        """How many observations the handle holds (withdrawals and both
        sides of paired responses included)."""
        out = c_uint64()
        self._c("servgap_observation_count", byref(out))
        return out.value

    # -- merge, import, snapshots -------------------------------------------

    def merge(self, other: "Context") -> None:
        """Merge everything ``other`` (a Context of the same library) knows
        into this one. ``other`` is not changed."""
        if not isinstance(other, Context):
            raise TypeError("merge: expected a Context, not %s" % type(other).__name__)
        if other._lib.cdll._handle != self._lib.cdll._handle:
            raise ValueError("merge: the Contexts come from two different loaded libraries")
        self._c("servgap_ctx_merge", other._live("servgap_ctx_merge"))

    def import_csv(self, table: EnumArg, source: Any, *, name: Optional[str] = None,
                   skip_bad_rows: bool = False, strict: bool = False) -> ImportReport:
        """Import a CSV table (``CsvTable`` or its name, e.g. "observations";
        docs/formats.md has the columns) and return an ImportReport.

        ``source``: a path (a str or an os.PathLike), bytes-like data
        (bytes, bytearray, memoryview, mmap), or a binary file object (its
        ``read()`` is taken whole). A str is always a path: CSV text goes
        in as bytes (``text.encode()``) or ``io.BytesIO``. ``name`` stands
        for data in memory in messages (default: a file object's ``name``,
        else "<buffer>"). Data is passed to C without a copy when it is
        bytes or a writable buffer.

        The import is all or nothing; with ``skip_bad_rows`` bad rows are
        skipped and counted. Columns the table does not know are ignored
        and listed in the report's ``unknown``; ``strict=True`` refuses
        them instead, with a FormatError at the first one, before anything
        is imported. Errors read ``FILE:LINE:COLUMN: reason``; a file that
        cannot be read raises ServgapIOError (FileNotFoundError, ...)."""
        t = _table(table)
        src = csv_source(source, name, "import_csv")
        if strict:
            self._refuse_unknown_columns(t, src)
        flags = int(ImportFlag.SKIP_BAD_ROWS) if skip_bad_rows else 0
        rep = L.new_record(L.ImportReport)
        if src.path is not None:
            fn = "servgap_import_csv"
            rc = self._long(fn, t, src.path, flags, byref(rep))
        else:
            fn = "servgap_import_csv_buffer"
            data, length, keep = _bytes_arg(src.data, "import_csv")
            rc = self._long(fn, t, encode_name(src.name, "name"), data, length, flags,
                            byref(rep))
            del keep
        self._check(rc, fn, src.name)
        return ImportReport.from_struct(rep)

    def _refuse_unknown_columns(self, table, src):
        """FormatError for a header with a column the table does not know:
        the header alone is imported into a scratch handle, whose report
        names the unknown columns (see servgap._csvsource)."""
        if src.path is not None:
            record = read_header(src.path)
            if record is None:
                return  # unreadable: the import itself says why
        else:
            record = header_record(memoryview(src.data).cast("B"))
        display = src.name or "<buffer>"
        with Context(self._lib) as probe:
            rep = probe.import_csv(table, record, name=display)
        if rep.unknown_columns:
            more = rep.unknown_columns - len(rep.unknown)
            msg = unknown_column_message(display, str(CsvTable(table)), rep.unknown, more, record)
            raise error_for(ErrorCode.EFORMAT, msg, "import_csv")

    def snapshot_save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Save the handle atomically to ``path``."""
        fn = "servgap_snapshot_save"
        self._check(self._lib.servgap_snapshot_save(self._live(fn), os.fsencode(path)), fn, path)

    def snapshot_load(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Merge the snapshot file at ``path`` into this handle."""
        fn = "servgap_snapshot_load"
        self._check(self._long(fn, os.fsencode(path)), fn, path)

    def snapshot_bytes(self) -> bytes:
        """The snapshot as ``bytes`` (``servgap_snapshot_write`` with a size
        query; the same state always gives the same bytes)."""
        length = c_size_t()
        for _ in range(8):
            self._c("servgap_snapshot_write", None, 0, byref(length))
            buf = ctypes.create_string_buffer(length.value)
            need = c_size_t()
            rc = self._lib.servgap_snapshot_write(self._live("servgap_snapshot_write"), buf,
                                                  len(buf), byref(need))
            if rc == 0:
                return buf.raw[: need.value]
            if rc != -8:  # SERVGAP_EBUFSIZE: grown meanwhile, query again
                self._raise(rc, "servgap_snapshot_write")
        self._raise(-8, "servgap_snapshot_write")

    def snapshot_load_bytes(self, data: Any) -> None:
        """Merge a snapshot held in bytes-like ``data`` into this handle."""
        buf, length, keep = _bytes_arg(data, "snapshot_load_bytes")
        rc = self._long("servgap_snapshot_load_buffer", buf, length)
        del keep
        self._check(rc, "servgap_snapshot_load_buffer")

    def summary_bytes(self, start: Any = None, end: Any = None) -> bytes:
        """The summary of the observations of the whole UTC days [start,
        end) (None: unbounded) as ``bytes`` (``servgap_summary_write``):
        day-bucketed moments that merge with other summaries; see
        docs/scaling.md."""
        fn = "servgap_summary_write"
        lo, hi = to_time(start, "start", TIME_MIN), to_time(end, "end", TIME_MAX)
        length = c_size_t()
        for _ in range(8):
            self._c(fn, lo, hi, None, 0, byref(length))
            buf = ctypes.create_string_buffer(length.value)
            need = c_size_t()
            rc = self._lib.servgap_summary_write(self._live(fn), lo, hi, buf, len(buf),
                                                 byref(need))
            if rc == 0:
                return buf.raw[: need.value]
            if rc != -8:  # SERVGAP_EBUFSIZE: grown meanwhile, query again
                self._raise(rc, fn)
        self._raise(-8, fn)

    def load_summary(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Merge the summary file at ``path`` into this handle
        (``servgap_summary_load``)."""
        fn = "servgap_summary_load"
        self._check(self._long(fn, os.fsencode(path)), fn, path)

    def load_summary_bytes(self, data: Any) -> None:
        """Merge a summary held in bytes-like ``data`` into this handle
        (``servgap_summary_load_buffer``); loading several summaries is
        their merge."""
        buf, length, keep = _bytes_arg(data, "load_summary_bytes")
        rc = self._long("servgap_summary_load_buffer", buf, length)
        del keep
        self._check(rc, "servgap_summary_load_buffer")

    @classmethod
    def from_snapshot_bytes(cls, data: Any, library: Any = None) -> "Context":
        """A new Context restored from snapshot bytes."""
        ctx = cls(library)
        try:
            ctx.snapshot_load_bytes(data)
        except BaseException:
            ctx.close()
            raise
        return ctx

    # -- queries ------------------------------------------------------------

    def query(self, start: Optional[TimeArg] = None, end: Optional[TimeArg] = None,
              flags: int = QueryFlag.ALL, now: Optional[TimeArg] = None) -> Result:
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
        rc = self._long("servgap_query", to_time(start, "start", TIME_MIN),
                        to_time(end, "end", TIME_MAX), int(flags), byref(out), result=out)
        self._check(rc, "servgap_query")
        return Result(self, out)

    def query_at(self, start: Optional[TimeArg], end: Optional[TimeArg], now: Optional[TimeArg],
                 flags: int = QueryFlag.ALL) -> Result:
        """``servgap_query_at``: as query, with an explicit analysis date
        (None: SERVGAP_TIME_NONE)."""
        out = L.ResultPtr()
        rc = self._long("servgap_query_at", to_time(start, "start", TIME_MIN),
                        to_time(end, "end", TIME_MAX),
                        TIME_NONE if now is None else to_time(now, "now"), int(flags), byref(out),
                        result=out)
        self._check(rc, "servgap_query_at")
        return Result(self, out)

    def query_trends(self, cells: Any, now: Optional[TimeArg] = None) -> Result:
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
        rows = [_trend_cell(self, i, c) for i, c in enumerate(cells)]
        I32 = _columns.INT32
        n, a, _ = _columns.build(
            "query_trends",
            [(k, [r[j] for r in rows], I32) for j, k in enumerate(_TREND_KEYS)],
        )
        out = L.ResultPtr()
        rc = self._long("servgap_query_trends", TIME_NONE if now is None else to_time(now, "now"),
                        n, *a, byref(out), result=out)
        self._check(rc, "servgap_query_trends")
        return Result(self, out)


_TREND_KEYS = ("scope_kind", "scope_id", "touchpoint", "metric", "dimension", "gap")


def _trend_cell(ctx, i, cell):
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
    sk = coerce(Scope, kind, what + " scope_kind")
    return (sk, ctx._scope_id(sk, sid, what + " scope_id"),
            ctx._id(tp, Kind.TOUCHPOINT, what + " touchpoint"),
            ctx._id(metric, Kind.METRIC, what + " metric"),
            coerce(Dimension, dim, what + " dimension"), coerce(GapType, gap, what + " gap"))


def _enum_column(cls, obj, what):
    """A batch column of an enumeration: a name or a member alone becomes its
    int, and a list or tuple of names or members a list of ints, each
    checked by ``coerce``; arrays and ints go to the column code as they
    are."""
    if obj is None or type(obj) is int:
        return obj
    if isinstance(obj, (str, enum.Enum)):
        return coerce(cls, obj, what)
    if isinstance(obj, (list, tuple)) and any(isinstance(v, (str, enum.Enum)) for v in obj):
        return [coerce(cls, v, "%s[%d]" % (what, i)) for i, v in enumerate(obj)]
    return obj


class _Job:
    """One C call of ``Context._long``, run by a worker thread. A
    KeyboardInterrupt may reach the waiting thread before the worker has
    begun (even inside ``Thread.start``): ``cancel`` then keeps the call from
    starting at all, and otherwise says it must be interrupted."""

    def __init__(self, call, args):
        self._call = call
        self._args = args
        self._lock = threading.Lock()
        self._state = "new"
        self.done = threading.Event()
        self.rc = None
        self.error = None

    def run(self):
        with self._lock:
            if self._state == "cancelled":
                self.done.set()
                return
            self._state = "running"
        try:
            self.rc = self._call(*self._args)
        except BaseException as e:  # re-raised by the waiting thread
            self.error = e
        finally:
            self.done.set()

    def cancel(self):
        """True when the call had not begun and now never will."""
        with self._lock:
            if self._state == "new":
                self._state = "cancelled"
                return True
            return False


#: The options whose values are an enumeration's.
_OPTION_VALUES = {Option.DECLARATIONS: Declare, Option.PRIORITIES: Priorities,
                  Option.IPA_CROSSHAIR: Crosshair, Option.REPORT_LEVEL: Level}


def _option_keyword(name):
    """The Option of a keyword argument of Context(): its name in lower
    case (``confidence=0.9``, ``window_days=30``)."""
    member = Option.__members__.get(name.upper())
    if member is None or name != name.lower():
        raise TypeError("Context() got an unexpected keyword argument %r (options: %s)"
                        % (name, ", ".join(m.name.lower() for m in Option)))
    return member


def _sigint_raises_here():
    """Whether Ctrl-C raises KeyboardInterrupt in this thread: the main
    thread, with Python's own SIGINT handler."""
    return (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler)


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
