"""The C contract of include/servgap.h, declared for ctypes.

This module owns three things and nothing else:

- finding and loading the shared library (``load_library``),
- the sized record structs, as ``ctypes.Structure`` subclasses with the
  exact C layout (``size_t size`` first; tests/layout.c checks every size
  and offset against the compiler),
- the prototype (``argtypes`` and ``restype``) of every public function.

Everything above it (``_context``, ``_result``) calls the functions of a
``Library`` object, never ``ctypes.CDLL`` attributes directly, so that a
prototype can never be forgotten: a name that is not declared here is not
reachable at all.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)

#: The library version this binding was written for (SERVGAP_VERSION_NUMBER).
BINDING_VERSION_NUMBER = 10200
VP_COUNT = 7
DIM_COUNT = 5

# ---------------------------------------------------------------------------
# Opaque handles. Distinct pointer types, so that ctypes rejects a result
# where a context is expected (ctypes.ArgumentError) instead of crashing.


class CtxStruct(Structure):
    """The opaque ``servgap_ctx``; only pointers to it are used."""


class ResultStruct(Structure):
    """The opaque ``servgap_result``; only pointers to it are used."""


CtxPtr = POINTER(CtxStruct)
ResultPtr = POINTER(ResultStruct)

# ---------------------------------------------------------------------------
# Sized record structs. Field order, types and names follow the header
# exactly; ctypes applies the platform's C alignment rules, so the layout is
# the compiler's. ``size`` is set by the caller (``new_record``).

MallocFn = CFUNCTYPE(c_void_p, c_void_p, c_size_t)
ReallocFn = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)
FreeFn = CFUNCTYPE(None, c_void_p, c_void_p)
#: servgap_write_fn: (user, data, len) -> 0 to go on.
WriteFn = CFUNCTYPE(c_int32, c_void_p, c_void_p, c_size_t)


class Allocator(Structure):
    """``servgap_allocator``. Declared for completeness of the contract; the
    binding always passes NULL (the C library's malloc), because a Python
    allocator would take the GIL on every allocation of every thread."""

    _fields_ = [
        ("size", c_size_t),
        ("malloc_fn", MallocFn),
        ("realloc_fn", ReallocFn),
        ("free_fn", FreeFn),
        ("user", c_void_p),
    ]


class Metric(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("name", c_char_p),
        ("unit", c_char_p),
        ("dimension", c_int32),
        ("direction", c_int32),
        ("min", c_double),
        ("max", c_double),
        ("span", c_double),
    ]


class Account(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("name", c_char_p),
        ("tier", c_int32),
        ("at_risk", c_int32),
        ("churned", c_int32),
        ("reserved", c_int32),
        ("value", c_double),
        ("health", c_double),
        ("renewal", c_int64),
        ("migration", c_int64),
    ]


class Plan(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("owner", c_char_p),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("metric", c_int32),
        ("dimension", c_int32),
        ("gap", c_int32),
        ("deadline", c_int64),
        ("target", c_double),
        ("last_outcome", c_int32),
        ("reserved", c_int32),
        ("next_check", c_int64),
        ("baseline_from", c_int64),  # since 1.2
        ("baseline_to", c_int64),
    ]


class Remeasure(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("outcome", c_int32),
        ("reserved", c_int32),
        ("baseline", c_double),
        ("followup", c_double),
        ("change", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("next_check", c_int64),
    ]


class Cell(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("metric", c_int32),
        ("dimension", c_int32),
        ("classification", c_int32),
        ("class_span", c_uint32),
        ("reserved", c_uint32),
        ("class_normalized", c_double),
        ("span", c_double),
        ("n", c_int64 * VP_COUNT),
        ("mean", c_double * VP_COUNT),
        ("sd", c_double * VP_COUNT),
        ("negative", c_int64 * VP_COUNT),
        ("source", c_uint32 * VP_COUNT),
        ("reserved2", c_uint32),
        ("pairs", c_int64),
        ("pe_correlation", c_double),
        ("read_from", c_int64 * VP_COUNT),
        ("read_to", c_int64 * VP_COUNT),
        ("declared", c_int64 * VP_COUNT),
    ]


class Gap(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("gap", c_int32),
        ("status", c_int32),
        ("span", c_uint32),
        ("flags", c_uint32),
        ("value", c_double),
        ("normalized", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("df", c_double),
        ("n_up", c_int64),
        ("n_down", c_int64),
    ]


class Servqual(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("most_underweighted", c_int32),
        ("dimension_gap", c_double * DIM_COUNT),
        ("weight", c_double * DIM_COUNT),
        ("believed_weight", c_double * DIM_COUNT),
        ("unweighted", c_double),
        ("item_mean", c_double),
        ("weighted", c_double),
        ("weighted_lo", c_double),
        ("weighted_hi", c_double),
        ("servperf", c_double),
        ("importance_gap", c_double),
        ("respondents", c_int64),
        ("weight_source", c_int32),
        ("reserved", c_int32),
    ]


class Breakdown(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("facet", c_int32),
        ("facet_id", c_int32),
        ("viewpoint", c_int32),
        ("gap", c_int32),
        ("status", c_int32),
        ("flags", c_uint32),
        ("cell", c_uint64),
        ("n", c_int64),
        ("mean", c_double),
        ("value", c_double),
        ("normalized", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("df", c_double),
    ]


class Finding(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("rank", c_int32),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("metric", c_int32),
        ("dimension", c_int32),
        ("gap", c_int32),
        ("quadrant", c_int32),
        ("flags", c_uint32),
        ("windows", c_int32),
        ("cell", c_uint64),
        ("value", c_double),
        ("normalized", c_double),
        ("size_term", c_double),
        ("value_share", c_double),
        ("frequency", c_double),
        ("affected_value", c_double),
        ("affected_accounts", c_int64),
        ("impact", c_double),
        ("effort", c_double),
        ("priority", c_double),
        ("root", c_uint64),
        ("members", c_int64),
        ("members_value", c_double),
    ]


class Ipa(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("dimension", c_int32),
        ("quadrant", c_int32),
        ("reserved", c_int32),
        ("importance", c_double),
        ("performance", c_double),
        ("importance_cross", c_double),
        ("performance_cross", c_double),
    ]


class Trigger(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("account", c_int32),
        ("kind", c_int32),
        ("date", c_int64),
        ("count", c_int64),
        ("before", c_double),
        ("after", c_double),
        ("statistic", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("n_before", c_int64),
        ("n_after", c_int64),
        ("detail", c_char_p),
    ]


class Risk(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("account", c_int32),
        ("windows", c_int32),
        ("with_shortfall", c_int32),
        ("churned", c_int32),
        ("risk", c_double),
        ("value", c_double),
        ("findings", c_int64),
        ("worst_normalized", c_double),
    ]


class Trend(Structure):
    # "from" is a Python keyword: read it with getattr(rec, "from").
    _fields_ = [
        ("size", c_size_t),
        ("series", c_uint64),
        ("finding", c_uint64),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("metric", c_int32),
        ("dimension", c_int32),
        ("gap", c_int32),
        ("window", c_int32),
        ("status", c_int32),
        ("span", c_uint32),
        ("flags", c_uint32),
        ("from", c_int64),
        ("to", c_int64),
        ("value", c_double),
        ("normalized", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("n_up", c_int64),
        ("n_down", c_int64),
    ]


class PlanStatus(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("plan", c_int32),
        ("scope_kind", c_int32),
        ("scope_id", c_int32),
        ("touchpoint", c_int32),
        ("metric", c_int32),
        ("dimension", c_int32),
        ("gap", c_int32),
        ("outcome", c_int32),
        ("overdue", c_int32),
        ("own_baseline", c_int32),
        ("owner", c_char_p),
        ("deadline", c_int64),
        ("target", c_double),
        ("base_from", c_int64),
        ("base_to", c_int64),
        ("follow_from", c_int64),
        ("follow_to", c_int64),
        ("baseline", c_double),
        ("followup", c_double),
        ("change", c_double),
        ("lo", c_double),
        ("hi", c_double),
        ("next_check", c_int64),
        ("finding", c_uint64),
    ]


class ImportReport(Structure):
    _fields_ = [
        ("size", c_size_t),
        ("rows", c_uint64),
        ("applied", c_uint64),
        ("skipped", c_uint64),
        ("observations", c_uint64),
        ("unknown_columns", c_uint32),
        ("reserved", c_uint32),
        ("unknown", c_char * 256),
        ("skips", c_char * 1024),
    ]


#: Every sized struct, by its C name (the layout test walks this).
STRUCTS = {
    "servgap_allocator": Allocator,
    "servgap_metric": Metric,
    "servgap_account": Account,
    "servgap_plan": Plan,
    "servgap_remeasure": Remeasure,
    "servgap_cell": Cell,
    "servgap_gap": Gap,
    "servgap_servqual": Servqual,
    "servgap_breakdown": Breakdown,
    "servgap_finding": Finding,
    "servgap_ipa": Ipa,
    "servgap_trigger": Trigger,
    "servgap_risk": Risk,
    "servgap_trend": Trend,
    "servgap_plan_status": PlanStatus,
    "servgap_import_report": ImportReport,
}


def new_record(cls):
    """A zeroed record struct with ``size`` set, as C's ``{.size = sizeof x}``."""
    rec = cls()
    rec.size = ctypes.sizeof(cls)
    return rec


# ---------------------------------------------------------------------------
# Prototypes: every SERVGAP_API function of the header, in header order.

_i32p = POINTER(c_int32)
_i64p = POINTER(c_int64)
_u64p = POINTER(c_uint64)
_dblp = POINTER(c_double)
_sizep = POINTER(c_size_t)

PROTOTYPES = {
    # Version and status codes
    "servgap_version_number": (c_uint32, []),
    "servgap_version_string": (c_char_p, []),
    "servgap_strerror": (c_char_p, [c_int]),
    # The handle
    "servgap_ctx_new": (c_int, [POINTER(CtxPtr), POINTER(Allocator)]),
    "servgap_ctx_free": (None, [CtxPtr]),
    "servgap_ctx_interrupt": (None, [CtxPtr]),
    "servgap_ctx_set_option": (c_int, [CtxPtr, c_int32, c_double]),
    "servgap_ctx_get_option": (c_int, [CtxPtr, c_int32, _dblp]),
    "servgap_errmsg": (c_char_p, [CtxPtr]),
    "servgap_errmsg_copy": (c_size_t, [CtxPtr, c_char_p, c_size_t]),
    "servgap_errcode": (c_int, [CtxPtr]),
    # Names
    "servgap_intern": (c_int, [CtxPtr, c_int32, c_char_p, _i32p]),
    "servgap_lookup": (c_int, [CtxPtr, c_int32, c_char_p, _i32p]),
    "servgap_name": (c_int, [CtxPtr, c_int32, c_int32, POINTER(c_char_p)]),
    "servgap_count": (c_int, [CtxPtr, c_int32, _i32p]),
    # Metrics
    "servgap_metric_define": (
        c_int,
        [CtxPtr, c_char_p, c_int32, c_int32, c_double, c_double, c_double, c_char_p, _i32p],
    ),
    "servgap_metric_info": (c_int, [CtxPtr, c_int32, POINTER(Metric)]),
    # Accounts
    "servgap_account_define": (c_int, [CtxPtr, c_char_p, c_char_p, c_double, _i32p]),
    "servgap_account_set_health": (c_int, [CtxPtr, c_int32, c_double]),
    "servgap_account_set_flag": (c_int, [CtxPtr, c_int32, c_int32, c_int32]),
    "servgap_account_set_date": (c_int, [CtxPtr, c_int32, c_int32, c_int64]),
    "servgap_account_info": (c_int, [CtxPtr, c_int32, POINTER(Account)]),
    # Efforts and remediation plans
    "servgap_effort_set": (c_int, [CtxPtr, c_int32, c_int32, c_int32, c_double]),
    "servgap_effort_get": (c_int, [CtxPtr, c_int32, c_int32, c_int32, _dblp]),
    "servgap_plan_add": (c_int, [CtxPtr, POINTER(Plan), _i32p]),
    "servgap_plan_count": (c_int, [CtxPtr, _i32p]),
    "servgap_plan_info": (c_int, [CtxPtr, c_int32, POINTER(Plan)]),
    "servgap_plan_remeasure": (
        c_int,
        [CtxPtr, c_int32, c_int64, c_int64, c_int64, c_int64, POINTER(Remeasure)],
    ),
    # Recording
    "servgap_record": (
        c_int,
        [CtxPtr, c_int32, c_int32, c_int32, c_int32, c_int32, c_double, c_int64, c_int32, c_int32],
    ),
    "servgap_declaration_withdraw": (
        c_int,
        [CtxPtr, c_int32, c_int32, c_int32, c_int32, c_int32, c_int64],
    ),
    "servgap_record_batch": (
        c_int,
        [CtxPtr, c_size_t, _i32p, _i32p, _i32p, _i32p, _i32p, _dblp, _i64p, _i32p, _i32p],
    ),
    "servgap_record_response": (
        c_int,
        [CtxPtr, c_int32, c_int32, c_int32, c_int64, c_int32, c_int32, c_size_t,
         _i32p, _dblp, _dblp, _dblp, _dblp],
    ),
    "servgap_set_importance": (c_int, [CtxPtr, c_int32, c_int32, c_int32, _dblp]),
    "servgap_observation_count": (c_int, [CtxPtr, _u64p]),
    "servgap_ctx_merge": (c_int, [CtxPtr, CtxPtr]),
    # Queries and results
    "servgap_query": (c_int, [CtxPtr, c_int64, c_int64, c_uint32, POINTER(ResultPtr)]),
    "servgap_query_at": (
        c_int,
        [CtxPtr, c_int64, c_int64, c_int64, c_uint32, POINTER(ResultPtr)],
    ),
    "servgap_result_free": (None, [ResultPtr]),
    "servgap_result_count": (c_size_t, [ResultPtr, c_int32]),
    "servgap_result_cell": (c_int, [ResultPtr, c_size_t, POINTER(Cell)]),
    "servgap_result_find": (
        c_int,
        [ResultPtr, c_int32, c_int32, c_int32, c_int32, c_int32, _sizep],
    ),
    "servgap_result_gap": (c_int, [ResultPtr, c_size_t, c_int32, POINTER(Gap)]),
    "servgap_result_servqual": (c_int, [ResultPtr, c_size_t, POINTER(Servqual)]),
    "servgap_result_breakdown": (c_int, [ResultPtr, c_size_t, POINTER(Breakdown)]),
    "servgap_result_window": (c_int, [ResultPtr, _i64p, _i64p]),
    "servgap_result_now": (c_int, [ResultPtr, _i64p]),
    "servgap_result_finding": (c_int, [ResultPtr, c_size_t, POINTER(Finding)]),
    "servgap_result_finding_accounts": (
        c_int,
        [ResultPtr, c_size_t, _i32p, c_size_t, _sizep],
    ),
    "servgap_result_ipa": (c_int, [ResultPtr, c_size_t, POINTER(Ipa)]),
    "servgap_result_trigger": (c_int, [ResultPtr, c_size_t, POINTER(Trigger)]),
    "servgap_result_risk": (c_int, [ResultPtr, c_size_t, POINTER(Risk)]),
    "servgap_result_risk_auc": (c_int, [ResultPtr, _dblp, _i64p, _i64p]),
    "servgap_result_trend": (c_int, [ResultPtr, c_size_t, POINTER(Trend)]),
    "servgap_query_trends": (
        c_int,
        [CtxPtr, c_int64, c_size_t, _i32p, _i32p, _i32p, _i32p, _i32p, _i32p,
         POINTER(ResultPtr)],
    ),
    "servgap_result_plan": (c_int, [ResultPtr, c_size_t, POINTER(PlanStatus)]),
    # JSON report
    "servgap_result_json": (c_int, [CtxPtr, ResultPtr, c_void_p, c_size_t, _sizep]),
    "servgap_result_json_stream": (c_int, [CtxPtr, ResultPtr, WriteFn, c_void_p, _sizep]),
    # CSV import
    "servgap_import_csv": (
        c_int,
        [CtxPtr, c_int32, c_char_p, c_uint32, POINTER(ImportReport)],
    ),
    "servgap_import_csv_buffer": (
        c_int,
        [CtxPtr, c_int32, c_char_p, c_void_p, c_size_t, c_uint32, POINTER(ImportReport)],
    ),
    # Snapshots
    "servgap_snapshot_save": (c_int, [CtxPtr, c_char_p]),
    "servgap_snapshot_write": (c_int, [CtxPtr, c_void_p, c_size_t, _sizep]),
    "servgap_snapshot_load": (c_int, [CtxPtr, c_char_p]),
    "servgap_snapshot_load_buffer": (c_int, [CtxPtr, c_void_p, c_size_t]),
    "servgap_summary_write": (c_int, [CtxPtr, c_int64, c_int64, c_void_p, c_size_t, _sizep]),
    "servgap_summary_load": (c_int, [CtxPtr, c_char_p]),
    "servgap_summary_load_buffer": (c_int, [CtxPtr, c_void_p, c_size_t]),
    # Text for enumerations and statistics
    "servgap_dimension_name": (c_char_p, [c_int32]),
    "servgap_viewpoint_name": (c_char_p, [c_int32]),
    "servgap_gap_name": (c_char_p, [c_int32]),
    "servgap_status_name": (c_char_p, [c_int32]),
    "servgap_class_name": (c_char_p, [c_int32]),
    "servgap_span_name": (c_char_p, [c_uint32]),
    "servgap_driver_name": (c_char_p, [c_int32]),
    "servgap_quadrant_name": (c_char_p, [c_int32]),
    "servgap_ipa_name": (c_char_p, [c_int32]),
    "servgap_trigger_name": (c_char_p, [c_int32]),
    "servgap_outcome_name": (c_char_p, [c_int32]),
    "servgap_csv_table_name": (c_char_p, [c_int32]),
    "servgap_t_cdf": (c_double, [c_double, c_double]),
    "servgap_t_quantile": (c_double, [c_double, c_double]),
}


# ---------------------------------------------------------------------------
# Loading

ENV_VAR = "SERVGAP_LIBRARY"


def _system_candidates():
    """Names the system loader is asked for, most specific first."""
    names = []
    found = ctypes.util.find_library("servgap")
    if found:
        names.append(found)
    if sys.platform == "darwin":
        names += ["libservgap.1.dylib", "libservgap.dylib"]
    elif sys.platform == "win32":
        names += ["servgap-1.dll", "libservgap-1.dll", "servgap.dll", "libservgap.dll"]
    else:
        names += ["libservgap.so.1", "libservgap.so"]
    return names


class Library:
    """One loaded libservgap: the ``ctypes.CDLL`` and, as attributes named
    after the C functions, its declared function pointers.

    ``ctypes.CDLL`` releases the GIL for the duration of every call, so
    threads sharing a ``Context`` really run concurrently in C.
    """

    def __init__(self, path):
        self.path = path
        self.cdll = ctypes.CDLL(path)
        missing = []
        for name, (restype, argtypes) in PROTOTYPES.items():
            try:
                fn = getattr(self.cdll, name)
            except AttributeError:
                missing.append(name)
                continue
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)
        if missing:
            raise OSError(
                "%s is not a compatible libservgap: missing %s" % (path, ", ".join(missing))
            )
        number = self.servgap_version_number()
        if number // 10000 != BINDING_VERSION_NUMBER // 10000 or number < BINDING_VERSION_NUMBER:
            raise OSError(
                "%s is libservgap %s; this binding needs %d.%d or a later %d.x"
                % (
                    path,
                    self.servgap_version_string().decode(),
                    BINDING_VERSION_NUMBER // 10000,
                    BINDING_VERSION_NUMBER // 100 % 100,
                    BINDING_VERSION_NUMBER // 10000,
                )
            )
        self.version_number = number

    def __repr__(self):
        return "<servgap.Library %r %s>" % (self.path, self.servgap_version_string().decode())


_default = None
_lock = threading.Lock()
_cache = {}  # realpath (or loader name) -> Library


def _get(path):
    """The Library of a path or loader name, one object per file."""
    key = os.path.realpath(path) if os.sep in path else path
    with _lock:
        lib = _cache.get(key)
    if lib is None:
        lib = Library(path)
        with _lock:
            lib = _cache.setdefault(key, lib)
    return lib


def _open(path):
    if path is not None:
        return _get(os.fspath(path))
    env = os.environ.get(ENV_VAR)
    if env:
        return _get(env)
    errors = []
    for name in _system_candidates():
        try:
            return _get(name)
        except OSError as e:
            errors.append("%s: %s" % (name, e))
    raise OSError(
        "libservgap not found: pass its path to servgap.load_library(), set %s, "
        "or install it where the system loader finds it (tried %s)"
        % (ENV_VAR, "; ".join(errors))
    )


def load_library(path=None, *, default=True):
    """Load libservgap and return its ``Library`` (one object per file:
    loading the same file again returns the same object).

    Where it is looked for, in order: ``path`` when given; else the
    ``SERVGAP_LIBRARY`` environment variable; else the system loader
    (``ctypes.util.find_library('servgap')``, then ``libservgap.so.1``, which
    honours ``LD_LIBRARY_PATH``, the rpath and the ld.so cache).

    With ``default=True`` (the default) the library becomes the one that
    ``Context()`` and the module-level functions use; replacing a default
    that is already loaded from another file is an error. With
    ``default=False`` it is only returned, for ``Context(library=...)``:
    that is how one process uses two copies of the library side by side.
    """
    global _default
    lib = _open(path)
    if not default:
        return lib
    with _lock:
        if _default is None:
            _default = lib
        elif _default is not lib:
            raise RuntimeError(
                "libservgap is already loaded from %s; use load_library(%r, default=False)"
                % (_default.path, lib.path)
            )
        return _default


def default_library():
    """The library used when none is given, loaded on first use."""
    lib = _default
    if lib is not None:
        return lib
    return load_library()
