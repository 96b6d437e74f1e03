"""Tests of the Python binding (unittest, standard library only).

Environment (meson.build sets all of them; run by hand as in
docs/ffi.md):

  SERVGAP_LIBRARY  the shared library under test (else the system loader)
  SERVGAP_DATA     examples/data (default: found from this file)
  SERVGAP_REPORT   the servgap-report program, for the JSON comparison
                   (the test is skipped without it)
  SERVGAP_LAYOUT   the tests/layout.c program, for the struct layouts
                   (skipped without it)

Every C function the binding declares must be called at least once by the
suite: the library's function pointers are wrapped with counters, and the
last test (TestZCoverage) checks the counts when the whole module ran.
"""

from __future__ import annotations

import array
import collections
import ctypes
import datetime
import errno
import gc
import io
import json
import math
import os
import pathlib
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = pathlib.Path(__file__).resolve().parent
PKG_DIR = HERE.parent
ROOT = PKG_DIR.parent.parent
try:
    import servgap
except ImportError:
    sys.path.insert(0, str(PKG_DIR))
    import servgap

from servgap import (  # noqa: E402
    ALL,
    ANY,
    DAY,
    NONE,
    TIME_NONE,
    Classification,
    Dimension,
    Direction,
    ErrorCode,
    GapFlag,
    GapStatus,
    GapType,
    Kind,
    Option,
    Outcome,
    QueryFlag,
    Scope,
    Source,
    Table,
    Viewpoint,
    Whose,
)
from servgap import _columns, _lib  # noqa: E402

DATA = pathlib.Path(os.environ.get("SERVGAP_DATA") or ROOT / "examples" / "data")
EXAMPLES = pathlib.Path(os.environ.get("SERVGAP_EXAMPLES") or ROOT / "examples" / "python")
REPORT = os.environ.get("SERVGAP_REPORT")
LAYOUT = os.environ.get("SERVGAP_LAYOUT")
TABLES = ("metrics", "accounts", "observations", "importance", "efforts", "plans")
# The query servgap-report runs: everything, and each finding's trend.
REPORT_FLAGS = QueryFlag.ALL | QueryFlag.TRENDS | QueryFlag.PLANS
T0 = 1767225600  # 2026-01-01 UTC
JUL1 = T0 + 181 * DAY
JUL16 = JUL1 + 15 * DAY
AUG1 = JUL1 + 31 * DAY
DEC1 = T0 + 334 * DAY
NEXT_JAN1 = T0 + 365 * DAY

# ---------------------------------------------------------------------------
# C function coverage: wrap every declared function of the default library.

CALLS = collections.Counter()
TESTS_RUN = set()


def _counting(name, fn):
    def call(*args):
        CALLS[name] += 1
        return fn(*args)

    call.__name__ = name
    return call


def setUpModule():
    lib = servgap.default_library()
    if not getattr(lib, "_counted", False):
        for name in _lib.PROTOTYPES:
            setattr(lib, name, _counting(name, getattr(lib, name)))
        lib._counted = True


class Case(unittest.TestCase):
    def setUp(self):
        TESTS_RUN.add(self.id())


def sample_context(library=None):
    ctx = servgap.Context(library)
    for t in TABLES:
        ctx.import_csv(t, DATA / (t + ".csv"))
    return ctx


def nan_to_none(x):
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    return x


def day(seconds):
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date().isoformat()


# ---------------------------------------------------------------------------


def _pandas_or_misuse(res):
    """to_pandas where pandas is installed; else what it checks first."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        return res.columns("findings")
    return res.to_pandas("findings")


class TestClosedObjects(Case):
    """Every accessor of a closed Context or Result raises the same
    MisuseError: none answers 0 or an empty list, as C's
    servgap_result_count does for a NULL result."""

    # Each public method and property, called with arguments that would be
    # valid on the open object. A method missing here fails the test below.
    RESULT_CALLS = {
        "count": lambda r: r.count("cells"),
        "window": lambda r: r.window,
        "window_dt": lambda r: r.window_dt,
        "now": lambda r: r.now,
        "now_dt": lambda r: r.now_dt,
        "columns": lambda r: r.columns("findings"),
        "to_pandas": lambda r: _pandas_or_misuse(r),
        "find": lambda r: r.find(Scope.TIER, 0, ALL, ALL, Dimension.RELIABILITY),
        "gap": lambda r: r.gap(0, GapType.SERVICE),
        "gaps": lambda r: r.gaps(0),
        "cell": lambda r: r.cell(0),
        "cells": lambda r: r.cells(),
        "servqual": lambda r: r.servqual(),
        "breakdowns": lambda r: r.breakdowns(),
        "finding_accounts": lambda r: r.finding_accounts(0),
        "findings": lambda r: r.findings(),
        "ipa": lambda r: r.ipa(),
        "triggers": lambda r: r.triggers(),
        "risk": lambda r: r.risk(),
        "trends": lambda r: r.trends(),
        "plans": lambda r: r.plans(),
        "auc": lambda r: r.auc(),
        "json_bytes": lambda r: r.json_bytes(),
        "write_json": lambda r: r.write_json(open(os.devnull, "wb")),
        "json": lambda r: r.json(),
    }
    # Attributes that work on a closed object by design.
    LIFETIME = {"close", "closed", "handle"}

    def test_every_result_accessor_raises_misuse(self):
        public = {n for n in dir(servgap.Result) if not n.startswith("_")}
        self.assertEqual(public - self.LIFETIME, set(self.RESULT_CALLS))
        with sample_context() as ctx:
            res = ctx.query(flags=REPORT_FLAGS)
            self.assertGreater(res.count("findings"), 0)
            for name, call in self.RESULT_CALLS.items():
                call(res)  # valid while open
            for sequence_op in (len, iter, lambda r: r[0], lambda r: r.findings[0],
                                lambda r: len(r.triggers), lambda r: list(r.risk)):
                sequence_op(res)
            res.close()
            for sequence_op in (len, lambda r: list(r), lambda r: r[0], lambda r: r.findings[0],
                                lambda r: len(r.triggers), lambda r: list(r.risk),
                                lambda r: r.cells[-1:]):
                with self.assertRaises(servgap.MisuseError):
                    sequence_op(res)
            for name, call in self.RESULT_CALLS.items():
                with self.assertRaises(servgap.MisuseError, msg=name) as cm:
                    call(res)
                self.assertRegex(cm.exception.message, r"^servgap_\w+: the Result is closed$",
                                 name)
                self.assertEqual(cm.exception.code, ErrorCode.EMISUSE)

    def test_every_context_method_raises_misuse(self):
        ctx = servgap.Context()
        tier = ctx.intern(Kind.TIER, "gold")
        calls = {
            "set_option": lambda c: c.set_option("confidence", 0.9),
            "get_option": lambda c: c.get_option("confidence"),
            "options": lambda c: c.options(),
            "errmsg": lambda c: c.errmsg(),
            "errmsg_borrowed": lambda c: c.errmsg_borrowed(),
            "errcode": lambda c: c.errcode(),
            "intern": lambda c: c.intern(Kind.TIER, "gold"),
            "lookup": lambda c: c.lookup(Kind.TIER, "gold"),
            "name": lambda c: c.name(Kind.TIER, tier),
            "count": lambda c: c.count(Kind.TIER),
            "names": lambda c: c.names(Kind.TIER),
            "metric_define": lambda c: c.metric_define("frh", Dimension.RESPONSIVENESS,
                                                       min=0, max=100),
            "metric_info": lambda c: c.metric_info(0),
            "account_define": lambda c: c.account_define("acme", "gold", 5.0),
            "account_set_health": lambda c: c.account_set_health(0, 50),
            "account_set_flag": lambda c: c.account_set_flag(0, "at_risk"),
            "account_set_date": lambda c: c.account_set_date(0, "renewal", T0),
            "account_info": lambda c: c.account_info(0),
            "effort_set": lambda c: c.effort_set(GapType.DELIVERY, ALL, ALL, 2),
            "effort_get": lambda c: c.effort_get(GapType.DELIVERY, ALL, ALL),
            "plan_add": lambda c: c.plan_add("ann", Scope.TIER, tier, ALL, ALL,
                                             GapType.DELIVERY, None, 0.0, Dimension.RELIABILITY),
            "plan_count": lambda c: c.plan_count(),
            "plan_info": lambda c: c.plan_info(0),
            "plan_remeasure": lambda c: c.plan_remeasure(0, T0, T0 + DAY, T0 + DAY),
            "record": lambda c: c.record(Scope.TIER, tier, ANY, 0, Viewpoint.PERCEIVED, 5, T0),
            "withdraw": lambda c: c.withdraw(Scope.TIER, tier, ANY, 0, Viewpoint.STANDARD, T0),
            "record_batch": lambda c: c.record_batch([tier], ANY, 0, "perceived", [5.0], [T0],
                                                     scope_kind=Scope.TIER),
            "record_response": lambda c: c.record_response(Scope.TIER, tier, ANY, T0, [0],
                                                           [6.0], [5.0]),
            "set_importance": lambda c: c.set_importance(Scope.TIER, tier, "customer",
                                                         [20] * 5),
            "observation_count": lambda c: c.observation_count(),
            "merge": lambda c: c.merge(servgap.Context()),
            "import_csv": lambda c: c.import_csv("accounts", b"account\nacme\n"),
            "snapshot_save": lambda c: c.snapshot_save(os.path.join(self.tmp, "s.sgs")),
            "snapshot_load": lambda c: c.snapshot_load(os.path.join(self.tmp, "s.sgs")),
            "snapshot_bytes": lambda c: c.snapshot_bytes(),
            "snapshot_load_bytes": lambda c: c.snapshot_load_bytes(c.snapshot_bytes()),
            "summary_bytes": lambda c: c.summary_bytes(),
            "load_summary_bytes": lambda c: c.load_summary_bytes(c.summary_bytes()),
            "load_summary": lambda c: c.load_summary(empty_summary),
            "query": lambda c: c.query(),
            "query_at": lambda c: c.query_at(None, None, None),
            "query_trends": lambda c: c.query_trends([(Scope.TIER, tier, ALL, ALL,
                                                       Dimension.RELIABILITY, "service")]),
        }
        # interrupt() comes from signal handlers and other threads, which may
        # race with close(): on a closed Context it does nothing.
        lifetime = {"close", "closed", "handle", "library", "from_snapshot_bytes", "interrupt"}
        public = {n for n in dir(servgap.Context) if not n.startswith("_")}
        self.assertEqual(public - lifetime, set(calls))
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        empty_summary = os.path.join(self.tmp, "s.sgsum")
        with servgap.Context() as other, open(empty_summary, "wb") as f:
            f.write(other.summary_bytes())
        snap = ctx.snapshot_bytes()  # before a summary is loaded: then no snapshot
        for name, call in calls.items():
            call(ctx)
        ctx.close()
        ctx.interrupt()
        calls["snapshot_load_bytes"] = lambda c: c.snapshot_load_bytes(snap)
        for name, call in calls.items():
            with self.assertRaises(servgap.MisuseError, msg=name) as cm:
                call(ctx)
            self.assertRegex(cm.exception.message, r"^servgap_\w+: the Context is closed$", name)

    def test_report_of_a_closed_context_is_misuse(self):
        ctx = sample_context()
        res = ctx.query(flags=QueryFlag.TIERS)
        ctx.close()
        self.assertGreater(len(res.cells()), 0)  # the rows outlive the handle
        with self.assertRaisesRegex(servgap.MisuseError, "the Context is closed"):
            res.json()
        res.close()


@unittest.skipUnless(hasattr(os, "mkfifo") and hasattr(signal, "pthread_kill"),
                     "needs POSIX FIFOs and pthread_kill")
class TestCtrlC(Case):
    """Ctrl-C (SIGINT, KeyboardInterrupt) during a long call stops the work
    in C instead of waiting for it (unittest runs tests in the main thread,
    where Python raises KeyboardInterrupt)."""

    def test_ctrl_c_stops_a_running_import_and_changes_nothing(self):
        lines = [b"2026-01-01,acct%d,gold,email,reliability,perceived,5\n" % i
                 for i in range(100000)]
        rows = b"".join(lines)
        with tempfile.TemporaryDirectory() as d, servgap.Context() as ctx:
            fifo = os.path.join(d, "observations.csv")
            os.mkfifo(fifo)
            main = threading.main_thread().ident

            def feed():  # the import blocks reading the FIFO until this ends
                with open(fifo, "wb") as f:
                    f.write(b"time,account,tier,touchpoint,metric,viewpoint,value\n" + rows)
                    signal.pthread_kill(main, signal.SIGINT)  # Ctrl-C, mid-import

            feeder = threading.Thread(target=feed)
            feeder.start()
            try:
                with self.assertRaises(KeyboardInterrupt) as cm:
                    ctx.import_csv("observations", fifo)
            finally:
                feeder.join()
            # The C import was stopped, not waited for, and rolled back whole.
            self.assertIsInstance(cm.exception.__cause__, servgap.InterruptedCallError)
            self.assertEqual((ctx.observation_count(), ctx.count(Kind.ACCOUNT)), (0, 0))
            rep = ctx.import_csv("observations", b"time,account,tier,touchpoint,metric,"
                                 b"viewpoint,value\n" + b"".join(lines[:1000]))
            self.assertEqual(rep.observations, 1000)  # the handle works on

    def test_ctrl_c_after_the_call_finished_frees_its_result(self):
        lib = servgap.default_library()
        real_query, real_free = lib.servgap_query, lib.servgap_result_free
        freed, threads = [], []

        def late_query(*args):  # Ctrl-C lands once C has answered
            threads.append(threading.current_thread().name)
            rc = real_query(*args)
            if threading.current_thread().name == "servgap servgap_query":
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
                time.sleep(0.2)
            return rc

        def counting_free(r):
            freed.append(r)
            real_free(r)

        with sample_context() as ctx:
            lib.servgap_query, lib.servgap_result_free = late_query, counting_free
            try:
                with self.assertRaises(KeyboardInterrupt) as cm:
                    ctx.query()
                side = threading.Thread(target=lambda: ctx.query().close())
                side.start()
                side.join()
            finally:
                lib.servgap_query, lib.servgap_result_free = real_query, real_free
        self.assertIsNone(cm.exception.__cause__)  # it had finished: nothing to stop
        self.assertEqual(len(freed), 2)  # the finished one, then the side thread's
        # The main thread's call ran in a worker; another thread's in that thread.
        self.assertEqual(threads, ["servgap servgap_query", side.name])


class TestIdArguments(Case):
    """Id arguments are checked before ctypes sees them, and errors name the
    parameter; names are taken wherever ids are."""

    def setUp(self):
        super().setUp()
        self.ctx = servgap.Context()
        self.addCleanup(self.ctx.close)
        self.acme = self.ctx.account_define("acme", "gold", 10.0)
        self.globex = self.ctx.account_define("globex", "gold", 20.0)
        self.gold = self.ctx.lookup(Kind.TIER, "gold")
        self.email = self.ctx.intern(Kind.TOUCHPOINT, "email")
        self.pod = self.ctx.intern(Kind.TEAM, "pod-a")

    def test_a_name_where_only_an_id_is_taken_is_a_type_error(self):
        # Was ctypes.ArgumentError "argument 3: TypeError: wrong type".
        with self.assertRaisesRegex(TypeError, r"^id: expected an id \(int\), not str$"):
            self.ctx.name(Kind.TIER, "gold")
        with self.assertRaisesRegex(TypeError, "id: expected an id"):
            self.ctx.plan_info("first")

    def test_wrong_types_name_the_parameter(self):
        ctx = self.ctx
        cases = [
            ("scope_id", lambda: ctx.record("account", 1.0, self.email, 0, "perceived", 5, T0)),
            ("touchpoint", lambda: ctx.record("account", 0, None, 0, "perceived", 5, T0)),
            ("metric", lambda: ctx.record("account", 0, self.email, b"x", "perceived", 5, T0)),
            ("team", lambda: ctx.record("account", 0, self.email, 0, "perceived", 5, T0,
                                        team=True)),
            ("scope_id", lambda: ctx.record("account", Kind.ACCOUNT, self.email, 0,
                                            "perceived", 5, T0)),
            ("touchpoint", lambda: ctx.record_batch([0], 0.5, 0, "perceived", [5.0], [T0])),
            ("id", lambda: ctx.account_info(1.0)),
        ]
        for param, call in cases:
            with self.assertRaisesRegex(TypeError, "^%s: expected an id" % param, msg=param):
                call()
        with self.assertRaisesRegex(TypeError, "^record_batch: column 'metric': .*float"):
            ctx.record_batch([0], [0], [0.5], "perceived", [5.0], [T0])
        self.assertEqual(ctx.observation_count(), 0)

    def test_an_id_beyond_32_bits_is_refused(self):
        # ctypes keeps the low 32 bits: this was globex's record, silently.
        with self.assertRaisesRegex(OverflowError, "^id: id 4294967297 does not fit"):
            self.ctx.account_info(2**32 + self.globex)
        with self.assertRaisesRegex(OverflowError, "scope_id"):
            self.ctx.record(Scope.ACCOUNT, 2**32, self.email, 0, Viewpoint.PERCEIVED, 5, T0)
        self.assertEqual(self.ctx.observation_count(), 0)

    def test_names_wherever_ids_are_taken(self):
        ctx = self.ctx
        ctx.record("account", "acme", "email", "reliability", "perceived", 5, T0, team="pod-a")
        ctx.record("tier", "gold", "email", "reliability", "expected", 6, T0)
        ctx.withdraw("tier", "gold", "email", "reliability", "standard", T0)
        ctx.record_batch(["acme", "globex"], "email", "reliability", "perceived", [4.0, 3.0],
                         [T0, T0], team=["pod-a", NONE])
        ctx.record_batch(["gold", "acme"], "email", ["reliability", "empathy"], "perceived",
                         [4.0, 3.0], [T0, T0], scope_kind=["tier", "account"])
        ctx.record_response("account", "globex", "email", T0, ["reliability", "empathy"],
                            [7, 6], [5, 5], team="pod-a")
        ctx.set_importance("tier", "gold", "customer", [20] * 5)
        ctx.account_set_health("acme", 40)
        ctx.account_set_flag("acme", "churned")
        ctx.account_set_date("acme", "renewal", T0)
        self.assertEqual(ctx.account_info("acme").health, 40)
        self.assertEqual(ctx.metric_info("empathy").dimension, Dimension.EMPATHY)
        ctx.effort_set("delivery", "email", "reliability", 2.5)
        self.assertEqual(ctx.effort_get("delivery", self.email, Dimension.RELIABILITY), 2.5)
        plan = ctx.plan_add("ann", "tier", "gold", "email", "reliability", "service", None, 0.0)
        self.assertEqual(ctx.plan_info(plan).touchpoint, self.email)
        self.assertEqual(ctx.observation_count(), 11)  # the withdrawal is a row too
        with ctx.query() as res:
            i = res.find("tier", "gold", "email", "reliability")
            self.assertEqual(i, res.find(Scope.TIER, self.gold, self.email,
                                         Dimension.RELIABILITY))
            # The tier pools its own row and its accounts' four.
            self.assertEqual(res.cell(i).n[Viewpoint.PERCEIVED], 5)
        with ctx.query_trends([("tier", "gold", "email", "reliability", "service")]) as res:
            self.assertEqual(res.trends()[0].touchpoint, self.email)

    def test_an_unknown_name_is_not_created_and_names_the_parameter(self):
        ctx = self.ctx
        with self.assertRaises(servgap.NotFoundError) as cm:
            ctx.record("account", "acme", "fax", "reliability", "perceived", 5, T0)
        self.assertEqual(cm.exception.message, "touchpoint: no touchpoint named 'fax'")
        with self.assertRaisesRegex(servgap.NotFoundError, r"^team\[1\]: no team named 'pod-b'"):
            ctx.record_batch(["acme", "acme"], "email", "reliability", "perceived", [4.0, 3.0],
                             [T0, T0], team=["pod-a", "pod-b"])
        with self.assertRaisesRegex(servgap.NotFoundError, "^scope_id: no account named 'gold'"):
            ctx.record("account", "gold", "email", "reliability", "perceived", 5, T0)
        self.assertEqual(ctx.count(Kind.TOUCHPOINT), 1)
        self.assertEqual(ctx.count(Kind.TEAM), 1)
        self.assertEqual(ctx.observation_count(), 0)


class TestErrorsCarryWhatFailed(Case):
    def test_a_missing_file_is_file_not_found_with_errno_and_path(self):
        missing = str(DATA / "no-such-table.csv")
        with servgap.Context() as ctx:
            calls = {
                "import_csv": lambda: ctx.import_csv("observations", missing),
                "import_csv (PathLike)": lambda: ctx.import_csv("observations",
                                                               pathlib.Path(missing)),
                "snapshot_load": lambda: ctx.snapshot_load(missing),
                "snapshot_save": lambda: ctx.snapshot_save(os.path.join(missing, "x.sgs")),
            }
            for what, call in calls.items():
                try:
                    call()
                except FileNotFoundError as e:  # was ServgapIOError with errno -9
                    self.assertEqual(e.errno, errno.ENOENT, what)
                    self.assertEqual(e.strerror, os.strerror(errno.ENOENT), what)
                    self.assertTrue(e.filename.startswith(missing), what)
                    self.assertIsInstance(e, servgap.ServgapIOError, what)
                    self.assertEqual(e.code, ErrorCode.EIO, what)
                    self.assertIn("No such file or directory", e.message, what)
                    again = pickle.loads(pickle.dumps(e))
                    self.assertEqual((type(again), again.errno, again.filename),
                                     (type(e), e.errno, e.filename), what)
                else:
                    self.fail("%s: no FileNotFoundError" % what)
            with self.assertRaises(IsADirectoryError) as cm:
                ctx.import_csv("observations", str(DATA))
            self.assertEqual((cm.exception.errno, cm.exception.filename),
                             (errno.EISDIR, str(DATA)))

    def test_row_indices_behave_as_a_sequence_does(self):
        with sample_context() as ctx, ctx.query() as res:
            n = res.count(Table.CELLS)
            # repr: NaN fields make equal records unequal.
            self.assertEqual(repr(res.cell(-1)), repr(res.cell(n - 1)))
            self.assertEqual(res.cell(-n).index, 0)
            self.assertEqual(repr(res.gaps(-1)), repr(res.gaps(n - 1)))
            self.assertEqual(repr(res.gap(-1, "service")), repr(res.gap(n - 1, GapType.SERVICE)))
            last = res.count(Table.FINDINGS) - 1
            self.assertEqual(res.finding_accounts(-1), res.finding_accounts(last))
            for bad in (n, -n - 1):
                with self.assertRaises(IndexError) as cm:
                    res.cell(bad)
                self.assertIsInstance(cm.exception, servgap.RangeError)  # as C answers
                self.assertEqual(cm.exception.message,
                                 "servgap_result_cell: row %d is out of range: the cells table "
                                 "has %d rows" % (bad, n))
            with self.assertRaisesRegex(TypeError, "a row index must be an int, not str"):
                res.cell("0")


class TestLoading(Case):
    def test_env_var_is_used(self):
        if not os.environ.get("SERVGAP_LIBRARY"):
            self.skipTest("SERVGAP_LIBRARY not set")
        self.assertEqual(servgap.default_library().path, os.environ["SERVGAP_LIBRARY"])

    def test_explicit_path_and_library_objects(self):
        path = servgap.default_library().path
        lib = servgap.load_library(path, default=False)
        self.assertIsInstance(lib, servgap.Library)
        self.assertIs(lib, servgap.default_library())  # one Library per file
        self.assertIs(servgap.load_library(path), lib)
        self.assertIn("1.2.0", repr(lib))
        with servgap.Context(lib) as a, servgap.Context(path) as b:
            self.assertIs(a.library, lib)
            self.assertIs(b.library, lib)
            b.account_define("acme", None, 1)
            a.merge(b)
            self.assertEqual(a.count(Kind.ACCOUNT), 1)

    def test_bad_path(self):
        with self.assertRaises(OSError):
            servgap.load_library("/nonexistent/libservgap.so.1", default=False)

    def test_default_cannot_be_replaced(self):
        with tempfile.TemporaryDirectory() as d:
            copy = os.path.join(d, "libservgap.so.1")
            shutil.copy(servgap.default_library().path, copy)
            with self.assertRaisesRegex(RuntimeError, "already loaded"):
                servgap.load_library(copy)
            other = servgap.load_library(copy, default=False)
            self.assertIsNot(other, servgap.default_library())
            self.assertEqual(other.version_number, servgap.version_number())
            with servgap.Context(other) as a, servgap.Context() as b:
                self.assertEqual(a.library.path, copy)
                with self.assertRaisesRegex(ValueError, "two different loaded libraries"):
                    a.merge(b)

    def test_system_loader(self):
        # A fresh interpreter without SERVGAP_LIBRARY finds the library
        # through the dynamic loader's search path.
        lib_dir = os.path.dirname(os.path.realpath(servgap.default_library().path))
        env = dict(os.environ)
        env.pop("SERVGAP_LIBRARY", None)
        env["LD_LIBRARY_PATH"] = lib_dir + os.pathsep + env.get("LD_LIBRARY_PATH", "")
        env["PYTHONPATH"] = str(PKG_DIR) + os.pathsep + env.get("PYTHONPATH", "")
        out = subprocess.run(
            [sys.executable, "-c", "import servgap; print(servgap.version(), "
             "servgap.default_library().path)"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
            check=True).stdout.split()
        self.assertEqual(out[0], "1.2.0")
        self.assertIn("libservgap", out[1])

    def test_version(self):
        self.assertEqual(servgap.version(), "1.2.0")
        self.assertEqual(servgap.version_number(), 10200)
        self.assertEqual(servgap.__version__, "1.2.0")


class TestDeclarations(Case):
    def test_every_public_function_is_declared(self):
        header_path = ROOT / "include" / "servgap.h"
        if not header_path.exists():
            self.skipTest("no include/servgap.h next to this checkout")
        declared = set(re.findall(r"SERVGAP_API [^;(]*?\**\b(servgap_\w+)\s*\(",
                                  header_path.read_text()))
        self.assertGreater(len(declared), 60)
        self.assertEqual(declared, set(_lib.PROTOTYPES))  # no more, no fewer
        cdll = servgap.default_library().cdll
        for name, (restype, argtypes) in _lib.PROTOTYPES.items():
            fn = getattr(cdll, name)
            self.assertEqual(fn.restype, restype, name)
            self.assertEqual(fn.argtypes, argtypes, name)

    def test_every_constant_of_the_header_is_bound(self):
        header = (ROOT / "include" / "servgap.h").read_text().replace("\\\n", " ")
        defines = dict(re.findall(r"^#define SERVGAP_(\w+)\s+(\S.*?)\s*(?:/\*.*)?$", header,
                                  re.M))
        # Prefix of the C name -> the enumeration that binds its members.
        classes = [("OPT_", Option), ("DIM_", Dimension), ("VP_", Viewpoint), ("GAP_", GapType),
                   ("LINK_", servgap.Link), ("STATUS_", GapStatus), ("GAPFLAG_", GapFlag),
                   ("CLASS_", Classification), ("SCOPE_", Scope), ("KIND_", Kind),
                   ("DRIVER_", servgap.Driver), ("WHOSE_", Whose), ("SOURCE_", Source),
                   ("DECLARE_", servgap.Declare), ("PRIORITIES_", servgap.Priorities),
                   ("CROSSHAIR_", servgap.Crosshair), ("LEVEL_", servgap.Level),
                   ("OUTCOME_", Outcome),
                   ("QUERY_", QueryFlag), ("TABLE_", Table), ("WEIGHTS_", servgap.WeightSource),
                   ("FACET_", servgap.Facet), ("QUADRANT_", servgap.Quadrant),
                   ("FINDING_", servgap.FindingFlag), ("IPA_", servgap.IpaQuadrant),
                   ("TRIGGER_", servgap.TriggerKind), ("CSV_", servgap.CsvTable),
                   ("IMPORT_", servgap.ImportFlag), ("E", ErrorCode)]
        special = {"OK": ErrorCode.OK, "HIGHER_IS_BETTER": Direction.HIGHER_IS_BETTER,
                   "LOWER_IS_BETTER": Direction.LOWER_IS_BETTER,
                   "ACCOUNT_AT_RISK": servgap.AccountFlag.AT_RISK,
                   "ACCOUNT_CHURNED": servgap.AccountFlag.CHURNED,
                   "ACCOUNT_RENEWAL": servgap.AccountDate.RENEWAL,
                   "ACCOUNT_MIGRATION": servgap.AccountDate.MIGRATION,
                   "PRIORITIES_1_1": servgap.Priorities.V1_1,
                   "DIM_COUNT": len(Dimension), "VP_COUNT": len(Viewpoint),
                   "GAP_COUNT": len(GapType)}
        not_values = {"H", "API", "VERSION_MAJOR", "VERSION_MINOR", "VERSION_PATCH",
                      "VERSION_NUMBER", "VERSION_STRING"}
        checked = 0
        for name, text in defines.items():
            if name in not_values:
                continue
            value = eval(text.replace("INT64_MIN", str(-2**63)).replace("INT64_MAX",
                         str(2**63 - 1)).rstrip("u").replace("u)", ")"))
            if name in special:
                bound = special[name]
            elif hasattr(servgap, name):
                bound = getattr(servgap, name)
            else:
                prefix, cls = next(((p, c) for p, c in classes if name.startswith(p)),
                                   (None, None))
                self.assertIsNotNone(cls, "SERVGAP_%s is not bound" % name)
                member = name if cls is ErrorCode else name[len(prefix):]
                self.assertIn(member, cls.__members__, "SERVGAP_%s" % name)
                bound = cls.__members__[member]
            self.assertEqual(bound, value, "SERVGAP_%s" % name)
            checked += 1
        self.assertGreater(checked, 170)  # the parse found them all

    def test_struct_layouts_match_the_compiler(self):
        if not LAYOUT:
            self.skipTest("SERVGAP_LAYOUT (tests/layout.c built) not set")
        out = subprocess.run([LAYOUT], stdout=subprocess.PIPE, check=True).stdout
        layout = json.loads(out)
        self.assertEqual(set(layout), set(_lib.STRUCTS))
        for cname, cls in _lib.STRUCTS.items():
            c = layout[cname]
            self.assertEqual(ctypes.sizeof(cls), c["size"], cname)
            self.assertEqual(ctypes.alignment(cls), c["align"], cname)
            self.assertEqual([f[0] for f in cls._fields_], list(c["fields"]), cname)
            for fname, offset in c["fields"].items():
                self.assertEqual(getattr(cls, fname).offset, offset, "%s.%s" % (cname, fname))
            self.assertEqual(cls._fields_[0][0], "size")

    def test_record_size_is_set(self):
        rec = _lib.new_record(_lib.Cell)
        self.assertEqual(rec.size, ctypes.sizeof(_lib.Cell))


class TestEnumsAndText(Case):
    def test_names_match_the_library(self):
        pairs = [
            (Dimension, servgap.dimension_name),
            (Viewpoint, servgap.viewpoint_name),
            (GapType, servgap.gap_name),
            (GapStatus, servgap.status_name),
            (servgap.Driver, servgap.driver_name),
            (servgap.Quadrant, servgap.quadrant_name),
            (servgap.TriggerKind, servgap.trigger_name),
            (servgap.Outcome, servgap.outcome_name),
            (servgap.CsvTable, servgap.csv_table_name),
        ]
        for cls, fn in pairs:
            for m in cls:
                self.assertEqual(fn(m), m.name.lower(), (cls, m))
        for m in Classification:
            want = "hidden_gap" if m == Classification.HIDDEN else m.name.lower()
            self.assertEqual(servgap.class_name(m), want)
        self.assertEqual(servgap.ipa_name(servgap.IpaQuadrant.CONCENTRATE), "concentrate_here")
        self.assertEqual(servgap.ipa_name(servgap.IpaQuadrant.KEEP_UP), "keep_up_the_good_work")
        self.assertEqual(servgap.ipa_name(servgap.IpaQuadrant.LOW_PRIORITY), "low_priority")
        self.assertEqual(servgap.ipa_name(servgap.IpaQuadrant.OVERKILL), "possible_overkill")
        L = servgap.Link
        self.assertEqual(servgap.span_name(L.KNOWLEDGE | L.STANDARDS), "knowledge+standards")
        self.assertIsNone(servgap.span_name(L.KNOWLEDGE | L.DELIVERY))
        self.assertIsNone(servgap.gap_name(99))
        self.assertIsNone(servgap.dimension_name(-5))

    def test_members_print_their_library_names(self):
        pairs = [
            (Dimension, servgap.dimension_name),
            (Viewpoint, servgap.viewpoint_name),
            (GapType, servgap.gap_name),
            (GapStatus, servgap.status_name),
            (Classification, servgap.class_name),
            (servgap.Driver, servgap.driver_name),
            (servgap.Quadrant, servgap.quadrant_name),
            (servgap.IpaQuadrant, servgap.ipa_name),
            (servgap.TriggerKind, servgap.trigger_name),
            (servgap.Outcome, servgap.outcome_name),
            (servgap.CsvTable, servgap.csv_table_name),
        ]
        for cls, fn in pairs:
            for m in cls:
                self.assertEqual(str(m), fn(m), m)
                self.assertEqual("%s|%s" % (m, m), "%s|%s" % (fn(m), fn(m)))
                self.assertEqual(f"{m}", fn(m))
                self.assertEqual(f"{m:>20}", "%20s" % fn(m))
                self.assertEqual(f"{m:d}", str(int(m)))  # numeric formats stay numbers
        L = servgap.Link
        for run in (L.KNOWLEDGE | L.STANDARDS, L.STANDARDS | L.DELIVERY | L.PERCEPTION, L.DELIVERY):
            self.assertEqual(str(run), servgap.span_name(run))
        self.assertEqual(str(Source.TIER | Source.ANYTP), "tier+any_touchpoint")
        self.assertEqual(str(QueryFlag.ALL | QueryFlag.TRENDS), "all+trends")
        self.assertEqual(str(GapFlag(0)), "none")
        self.assertEqual(str(Scope.TIER), "tier")
        # What the issue saw on 3.11: a finding's gap printed as its number.
        with sample_context() as ctx, ctx.query() as res:
            f = res.findings()[0]
            self.assertEqual(str(f.gap), servgap.gap_name(f.gap))
            self.assertNotEqual(str(f.gap), str(int(f.gap)))

    def test_a_member_of_another_enum_is_refused(self):
        from servgap._enums import coerce

        with sample_context() as ctx, ctx.query() as res:
            f = next(f for f in res.findings() if f.scope_kind == Scope.TIER)
            # Scope.TIER == Kind.TOUCHPOINT == 2: this named a touchpoint.
            with self.assertRaisesRegex(TypeError, r"kind: expected a Kind, not Scope.TIER "
                                        r"\(Scope.TIER is 2, Kind.TIER is 1\)"):
                ctx.name(f.scope_kind, f.scope_id)
            self.assertEqual(ctx.name(Kind.TIER, f.scope_id), "enterprise")
            with self.assertRaisesRegex(TypeError, "expected a GapType, not Dimension"):
                res.gap(0, Dimension.RELIABILITY)
        with self.assertRaisesRegex(TypeError, "expected a Source, not GapFlag.PAIRED"):
            coerce(Source, GapFlag.PAIRED, "source")
        self.assertEqual(coerce(Kind, 2, "kind"), Kind.TOUCHPOINT)  # a plain int is taken
        self.assertEqual(coerce(Kind, Kind.TIER, "kind"), 1)
        self.assertEqual(coerce(Classification, "hidden_gap", "c"), Classification.HIDDEN)

    def test_strerror(self):
        for code in ErrorCode:
            self.assertTrue(servgap.strerror(code))
        self.assertEqual(servgap.strerror(-999), "unknown error")

    def test_t_distribution(self):
        self.assertAlmostEqual(servgap.t_quantile(0.975, 12), 2.178812829667228, places=12)
        self.assertAlmostEqual(servgap.t_quantile(0.975, math.inf), 1.959963984540054, places=12)
        self.assertEqual(servgap.t_cdf(0.0, 5), 0.5)
        p = servgap.t_cdf(servgap.t_quantile(0.9, 7), 7)
        self.assertAlmostEqual(p, 0.9, places=12)
        self.assertTrue(math.isnan(servgap.t_cdf(1.0, 0)))
        self.assertTrue(math.isnan(servgap.t_quantile(1.5, 3)))

    def test_coercion(self):
        from servgap._enums import coerce

        self.assertEqual(coerce(Viewpoint, "perceived", "vp"), 6)
        self.assertEqual(coerce(Viewpoint, "PERCEIVED", "vp"), 6)
        self.assertEqual(coerce(Direction, "lower", "d"), 2)
        self.assertEqual(coerce(Viewpoint, 3, "vp"), 3)
        with self.assertRaisesRegex(ValueError, "unknown Viewpoint 'felt'"):
            coerce(Viewpoint, "felt", "vp")
        with self.assertRaises(TypeError):
            coerce(Viewpoint, 1.5, "vp")
        with self.assertRaises(TypeError):
            coerce(Viewpoint, True, "vp")

    def test_errors(self):
        e = servgap.errors.error_for(-3, "f: bad", "f")
        self.assertIsInstance(e, servgap.RangeError)
        self.assertIsInstance(e, ValueError)
        self.assertEqual(e.code, ErrorCode.ERANGE)
        self.assertEqual(str(e), "f: bad [ERANGE]")
        e2 = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(e2), e2.code, e2.message, e2.function),
                         (servgap.RangeError, e.code, e.message, "f"))
        self.assertIsInstance(servgap.errors.error_for(-9, "x"), OSError)
        self.assertIsInstance(servgap.errors.error_for(-4, "x"), LookupError)
        unknown = servgap.errors.error_for(-99, "x")
        self.assertIs(type(unknown), servgap.ServgapError)
        self.assertEqual(unknown.code, -99)


class TestContext(Case):
    def setUp(self):
        super().setUp()
        self.ctx = servgap.Context()
        self.addCleanup(self.ctx.close)

    def test_options(self):
        ctx = self.ctx
        self.assertEqual(ctx.get_option("confidence"), 0.95)
        ctx.set_option(Option.CONFIDENCE, 0.9)
        self.assertEqual(ctx.get_option(Option.CONFIDENCE), 0.9)
        ctx.set_option("min_n_customer", 10)
        self.assertEqual(ctx.get_option(2), 10.0)
        opts = ctx.options()
        self.assertEqual(len(opts), len(Option))
        self.assertEqual(opts["confidence"], 0.9)
        with self.assertRaises(servgap.RangeError) as cm:
            ctx.set_option("confidence", 1.5)
        self.assertEqual(cm.exception.code, ErrorCode.ERANGE)
        self.assertIn("servgap_ctx_set_option", cm.exception.message)
        with self.assertRaises(servgap.InvalidError):
            ctx.set_option(99, 1)
        with self.assertRaises(servgap.InvalidError):
            ctx.get_option(99)

    def test_interrupt_stops_running_queries_only(self):
        ctx = sample_context()
        self.addCleanup(ctx.close)
        want = ctx.query().json()
        ctx.interrupt()  # before a call: the next call runs normally
        self.assertEqual(ctx.query().json(), want)
        stop = threading.Event()

        def keep_interrupting():
            while not stop.is_set():
                ctx.interrupt()

        t = threading.Thread(target=keep_interrupting)
        t.start()
        outcomes = set()
        try:
            for _ in range(10):
                try:
                    res = ctx.query()
                    self.assertEqual(res.json(), want)
                    res.close()
                    outcomes.add("answered")
                except servgap.InterruptedCallError as e:
                    self.assertEqual(e.code, ErrorCode.EINTERRUPTED)
                    self.assertIn("interrupted", e.message)
                    outcomes.add("interrupted")
        finally:
            stop.set()
            t.join()
        self.assertTrue(outcomes)
        self.assertEqual(ctx.query().json(), want)

    def test_options_at_construction(self):
        with servgap.Context(confidence=0.9, window_days=14, declarations="in_window",
                             priorities=servgap.Priorities.V1_1) as ctx:
            self.assertEqual(ctx.get_option("confidence"), 0.9)
            self.assertEqual(ctx.get_option(Option.WINDOW_DAYS), 14.0)
            self.assertIs(ctx.get_option("declarations"), servgap.Declare.IN_WINDOW)
            self.assertIs(ctx.get_option("priorities"), servgap.Priorities.V1_1)
            self.assertIs(ctx.get_option("ipa_crosshair"), servgap.Crosshair.MIDPOINT)
            ctx.set_option("ipa_crosshair", "median")
            self.assertEqual(ctx.options()["ipa_crosshair"], servgap.Crosshair.MEDIAN)
            ctx.set_option("report_level", "summary")
            self.assertIs(ctx.get_option(Option.REPORT_LEVEL), servgap.Level.SUMMARY)
        with self.assertRaisesRegex(TypeError, "unexpected keyword argument 'confidance' "
                                    r"\(options: confidence, "):
            servgap.Context(confidance=0.9)
        with self.assertRaises(servgap.RangeError):
            servgap.Context(confidence=2)
        with self.assertRaisesRegex(ValueError, "unknown Declare 'weekly'"):
            servgap.Context(declarations="weekly")
        with self.assertRaisesRegex(TypeError, "expected a Declare, not Priorities.GROUPED"):
            servgap.Context(declarations=servgap.Priorities.GROUPED)

    def test_names(self):
        ctx = self.ctx
        email = ctx.intern(Kind.TOUCHPOINT, "email")
        self.assertEqual(ctx.intern("touchpoint", "email"), email)
        slack = ctx.intern("touchpoint", "slack")
        self.assertEqual((email, slack), (0, 1))
        self.assertEqual(ctx.lookup(Kind.TOUCHPOINT, "slack"), slack)
        self.assertEqual(ctx.name(Kind.TOUCHPOINT, slack), "slack")
        self.assertEqual(ctx.count(Kind.TOUCHPOINT), 2)
        self.assertEqual(ctx.names("touchpoint"), ["email", "slack"])
        self.assertEqual(ctx.lookup(Kind.METRIC, "reliability"), Dimension.RELIABILITY)
        self.assertEqual(ctx.intern("team", "nuit-équipe"), 0)
        self.assertEqual(ctx.name("team", 0), "nuit-équipe")
        with self.assertRaises(servgap.NotFoundError) as cm:
            ctx.lookup(Kind.TIER, "platinum")
        self.assertIn("platinum", cm.exception.message)
        with self.assertRaises(servgap.InvalidError):
            ctx.intern(Kind.ACCOUNT, "acme")  # accounts come from account_define
        with self.assertRaises(servgap.InvalidError):
            ctx.intern(Kind.TIER, "")
        with self.assertRaises(servgap.InvalidError):
            ctx.intern(Kind.TIER, "x" * 256)
        with self.assertRaises(servgap.MisuseError):  # NULL name reaches C
            ctx.intern(Kind.TIER, None)
        with self.assertRaises(servgap.NotFoundError):
            ctx.name(Kind.TOUCHPOINT, 7)
        with self.assertRaisesRegex(ValueError, "NUL"):
            ctx.intern(Kind.TIER, "a\0b")

    def test_metrics(self):
        ctx = self.ctx
        frh = ctx.metric_define("first_response_hours", "responsiveness", "lower", 0, math.inf,
                                8, "h")
        self.assertEqual(frh, 5)
        info = ctx.metric_info(frh)
        self.assertEqual(info, servgap.MetricInfo(frh, "first_response_hours", "h",
                                                  Dimension.RESPONSIVENESS,
                                                  Direction.LOWER_IS_BETTER, 0.0, math.inf, 8.0))
        self.assertEqual(ctx.metric_info(Dimension.EMPATHY).name, "empathy")
        self.assertEqual(ctx.metric_info(0).unit, "")
        self.assertEqual(ctx.metric_define("first_response_hours", Dimension.RESPONSIVENESS,
                                           Direction.LOWER_IS_BETTER, 0, math.inf, 8, "h"), frh)
        with self.assertRaises(servgap.ConflictError):
            ctx.metric_define("first_response_hours", "responsiveness", "lower", 0, math.inf, 24,
                              "h")
        with self.assertRaises(servgap.RangeError):
            ctx.metric_define("unbounded", "assurance", "higher", 0, math.inf)  # no span
        with self.assertRaises(servgap.NotFoundError):
            ctx.metric_info(99)

    def test_accounts(self):
        ctx = self.ctx
        acme = ctx.account_define("acme", "enterprise", 250000)
        info = ctx.account_info(acme)
        self.assertEqual((info.name, info.value, info.at_risk, info.churned), ("acme", 250000.0,
                                                                               False, False))
        self.assertEqual(info.tier, ctx.lookup("tier", "enterprise"))
        self.assertTrue(math.isnan(info.health))
        self.assertIsNone(info.renewal)
        ctx.account_set_health(acme, 42)
        ctx.account_set_flag(acme, "at_risk")
        ctx.account_set_flag(acme, servgap.AccountFlag.CHURNED, True)
        ctx.account_set_flag(acme, servgap.AccountFlag.CHURNED, False)
        ctx.account_set_date(acme, "renewal", datetime.date(2026, 5, 1))
        ctx.account_set_date(acme, servgap.AccountDate.MIGRATION, "2026-03-01T12:00:00Z")
        info = ctx.account_info(acme)
        self.assertEqual((info.health, info.at_risk, info.churned), (42.0, True, False))
        self.assertEqual(info.renewal, 1777593600)
        self.assertEqual(info.migration, 1772323200 + 12 * 3600)
        ctx.account_set_date(acme, "migration", None)
        ctx.account_set_health(acme, None)
        info = ctx.account_info(acme)
        self.assertIsNone(info.migration)
        self.assertTrue(math.isnan(info.health))
        lone = ctx.account_define("lone")  # no tier
        self.assertIsNone(ctx.account_info(lone).tier)
        with self.assertRaises(servgap.RangeError):
            ctx.account_set_health(acme, 101)
        with self.assertRaises(servgap.RangeError):
            ctx.account_define("neg", None, -1)
        with self.assertRaises(servgap.NotFoundError):
            ctx.account_info(99)
        with self.assertRaises(servgap.InvalidError):
            ctx.account_set_flag(acme, 7)

    def test_efforts(self):
        ctx = self.ctx
        slack = ctx.intern("touchpoint", "slack")
        default = ctx.effort_get(GapType.DELIVERY, slack, Dimension.RELIABILITY)
        self.assertGreater(default, 0)
        ctx.effort_set(GapType.DELIVERY, slack, ALL, 5.0)
        self.assertEqual(ctx.effort_get("delivery", slack, Dimension.RELIABILITY), 5.0)
        ctx.effort_set(ALL, ALL, ALL, 1.5)
        self.assertEqual(ctx.effort_get(GapType.KNOWLEDGE, slack, 0), 1.5)
        with self.assertRaises(servgap.RangeError):
            ctx.effort_set(GapType.DELIVERY, slack, ALL, 0)
        with self.assertRaises(servgap.NotFoundError):
            ctx.effort_get(GapType.DELIVERY, 42, ALL)

    def test_record_and_error_message(self):
        ctx = self.ctx
        acme = ctx.account_define("acme", "enterprise", 1000)
        email = ctx.intern("touchpoint", "email")
        ctx.record(Scope.ACCOUNT, acme, email, Dimension.RELIABILITY, Viewpoint.EXPECTED, 7, T0)
        ctx.record("account", acme, email, Dimension.RELIABILITY, "perceived", 5.5,
                   datetime.datetime(2026, 1, 2, 9, 30), NONE, "word_of_mouth")
        self.assertEqual(ctx.observation_count(), 2)
        self.assertEqual(ctx.errmsg(), "")
        self.assertEqual(ctx.errcode(), ErrorCode.OK)
        with self.assertRaises(servgap.RangeError) as cm:
            ctx.record(Scope.ACCOUNT, acme, email, Dimension.RELIABILITY, Viewpoint.PERCEIVED, 9,
                       T0)
        e = cm.exception
        self.assertEqual(e.code, ErrorCode.ERANGE)
        self.assertEqual(e.code, -3)
        self.assertEqual(e.function, "servgap_record")
        self.assertEqual(e.message,
                         "servgap_record: value 9 outside [1, 7] of metric 'reliability'")
        self.assertIn(e.message, str(e))
        self.assertEqual(ctx.errmsg(), e.message)
        self.assertEqual(ctx.errmsg_borrowed(), e.message)
        self.assertEqual(ctx.errcode(), ErrorCode.ERANGE)
        with self.assertRaises(servgap.RangeError):
            ctx.record(Scope.ACCOUNT, acme, email, 1, Viewpoint.PERCEIVED, math.nan, T0)
        with self.assertRaises(servgap.NotFoundError):
            ctx.record(Scope.ACCOUNT, 42, email, 1, Viewpoint.PERCEIVED, 5, T0)
        with self.assertRaises(servgap.InvalidError):
            ctx.record(Scope.ACCOUNT, acme, email, 1, 17, 5, T0)
        ctx.record(Scope.TIER, ctx.lookup("tier", "enterprise"), ANY, 1, "standard", 5, T0)
        self.assertEqual(ctx.observation_count(), 3)

    def test_response_and_importance(self):
        ctx = self.ctx
        acme = ctx.account_define("acme", "enterprise", 1000)
        email = ctx.intern("touchpoint", "email")
        items = [Dimension.RELIABILITY, Dimension.RESPONSIVENESS, Dimension.EMPATHY]
        ctx.record_response(Scope.ACCOUNT, acme, email, T0, items, [7, 6, 5], [5, 4, 5],
                            adequate=[5, 4, None], importance=[10, 40, 30, 10, 10])
        ctx.record_response(Scope.ACCOUNT, acme, email, T0, array.array("i", items),
                            array.array("d", [6, 6, 6]), array.array("d", [6, 5, 4]))
        self.assertEqual(ctx.observation_count(), 6 + 2 + 6)
        with self.assertRaises(servgap.InvalidError):
            ctx.record_response(Scope.ACCOUNT, acme, email, T0, [1, 1], [7, 6], [5, 4])
        with self.assertRaises(servgap.RangeError):
            ctx.record_response(Scope.ACCOUNT, acme, email, T0, [1], [7], [5],
                                importance=[50, 50, 50, 0, 0])
        with self.assertRaisesRegex(ValueError, "5 points"):
            ctx.record_response(Scope.ACCOUNT, acme, email, T0, [1], [7], [5], importance=[100])
        with self.assertRaisesRegex(ValueError, "rows"):
            ctx.record_response(Scope.ACCOUNT, acme, email, T0, [1, 2], [7], [5, 5])
        tier = ctx.lookup("tier", "enterprise")
        ctx.set_importance(Scope.TIER, tier, Whose.CUSTOMER, [5, 35, 30, 20, 10])
        ctx.set_importance("tier", tier, "provider",
                           {"tangibles": 5, "reliability": 15, "responsiveness": 50,
                            "assurance": 20, "empathy": 10})
        with self.assertRaises(servgap.RangeError):
            ctx.set_importance(Scope.TIER, tier, Whose.CUSTOMER, [5, 35, 30, 20, 11])
        with self.assertRaises(servgap.NotFoundError):
            ctx.set_importance(Scope.TIER, 9, Whose.CUSTOMER, [20] * 5)
        with ctx.query() as res:
            i = res.find(Scope.ACCOUNT, acme, email, Dimension.RELIABILITY)
            cell = res.cell(i)
            self.assertEqual(cell.pairs, 2)
            self.assertTrue(cell.gaps[GapType.SERVICE].paired)
            self.assertEqual(cell.n[Viewpoint.ADEQUATE], 1)
            q = [r for r in res.servqual() if r.scope_kind == Scope.TIER][0]
            self.assertAlmostEqual(q.believed_weight[Dimension.RESPONSIVENESS], 0.5)

    def test_plans(self):
        ctx = self.ctx
        ent = ctx.intern("tier", "enterprise")
        slack = ctx.intern("touchpoint", "slack")
        ctx.account_define("acme", "enterprise", 1000)
        frh = ctx.metric_define("frh", "responsiveness", "lower", 0, math.inf, 8, "h")
        now = T0 + 90 * DAY
        for d in range(0, 60):
            ctx.record(Scope.TIER, ent, slack, frh, Viewpoint.STANDARD, 1, T0 + d * DAY)
            ctx.record(Scope.TIER, ent, slack, frh, Viewpoint.DELIVERED,
                       3 + (d % 3) if d < 30 else 1 + (d % 2) * 0.5, T0 + d * DAY)
        self.assertEqual(ctx.plan_count(), 0)
        pid = ctx.plan_add("support-ops", Scope.TIER, ent, slack, frh, GapType.DELIVERY,
                           now + 60 * DAY, -0.5)
        self.assertEqual(pid, 0)
        self.assertEqual(ctx.plan_count(), 1)
        p = ctx.plan_info(pid)
        self.assertEqual((p.owner, p.scope_kind, p.scope_id, p.touchpoint, p.metric, p.gap),
                         ("support-ops", Scope.TIER, ent, slack, frh, GapType.DELIVERY))
        self.assertEqual(p.last_outcome, servgap.Outcome.NONE)
        self.assertIsNone(p.next_check)
        m = ctx.plan_remeasure(pid, T0, T0 + 30 * DAY, T0 + 30 * DAY, T0 + 60 * DAY)
        self.assertIsInstance(m, servgap.Remeasurement)
        self.assertEqual(m.outcome, servgap.Outcome.CLOSED)
        self.assertLess(m.baseline, m.followup)
        self.assertEqual(m.next_check, T0 + 90 * DAY)
        p = ctx.plan_info(pid)
        self.assertEqual(p.last_outcome, servgap.Outcome.CLOSED)
        self.assertEqual(p.next_check, T0 + 90 * DAY)
        with self.assertRaises(servgap.NotFoundError):
            ctx.plan_info(5)
        with self.assertRaises(servgap.InvalidError):
            ctx.plan_add("", Scope.TIER, ent, slack, frh, GapType.DELIVERY, now, -0.5)
        with self.assertRaises(servgap.RangeError):
            ctx.plan_remeasure(pid, T0 + 30 * DAY, T0, T0 + 30 * DAY, T0 + 60 * DAY)

    def test_closed_context_is_misuse(self):
        ctx = servgap.Context()
        with ctx:
            self.assertFalse(ctx.closed)
        self.assertTrue(ctx.closed)
        self.assertEqual(repr(ctx), "<servgap.Context closed>")
        ctx.close()  # idempotent
        with self.assertRaises(servgap.MisuseError) as cm:
            ctx.record(Scope.ACCOUNT, 0, 0, 0, Viewpoint.PERCEIVED, 5, T0)
        self.assertEqual(cm.exception.code, ErrorCode.EMISUSE)
        self.assertIn("closed", cm.exception.message)
        with self.assertRaises(servgap.MisuseError):
            ctx.observation_count()
        with self.assertRaises(servgap.MisuseError):
            ctx.query()
        with self.assertRaises(servgap.MisuseError):
            self.ctx.merge(ctx)

    def test_garbage_collected_context_frees(self):
        ctx = servgap.Context()
        ctx.account_define("acme", None, 1)
        ctx.intern("touchpoint", "email")
        ctx.record_batch([0], [0], [0], [0], [5.0], [T0])
        res = ctx.query()
        del ctx  # __del__ frees the handle; the result stays valid
        gc.collect()
        self.assertEqual(res.count(Table.CELLS), len(res.cells(gaps=False)))
        del res
        gc.collect()

    def test_not_picklable(self):
        with self.assertRaisesRegex(TypeError, "snapshot_bytes"):
            pickle.dumps(self.ctx)

    def test_merge(self):
        a, b = self.ctx, servgap.Context()
        self.addCleanup(b.close)
        for ctx, v in ((a, 5), (b, 3)):
            acme = ctx.account_define("acme", "enterprise", 1000)
            if ctx is b:
                ctx.intern("touchpoint", "chat")  # ids differ; merge matches names
            tp = ctx.intern("touchpoint", "email")
            ctx.record(Scope.ACCOUNT, acme, tp, 1, Viewpoint.PERCEIVED, v, T0)
        a.merge(b)
        self.assertEqual(a.observation_count(), 2)
        self.assertEqual(b.observation_count(), 1)
        self.assertEqual(a.names("touchpoint"), ["email", "chat"])
        with self.assertRaises(servgap.InvalidError) as cm:
            a.merge(a)
        self.assertIn("servgap_ctx_merge", cm.exception.message)
        c = servgap.Context()
        self.addCleanup(c.close)
        c.account_define("acme", "growth", 1)
        with self.assertRaises(servgap.ConflictError):
            a.merge(c)
        self.assertEqual(a.observation_count(), 2)
        with self.assertRaises(TypeError):
            a.merge("not a context")


class TestBatch(Case):
    def setUp(self):
        super().setUp()
        self.ctx = servgap.Context()
        self.addCleanup(self.ctx.close)
        for i in range(4):
            self.ctx.account_define("acct-%d" % i, "enterprise", 100 + i)
        self.ctx.intern("touchpoint", "email")
        self.ctx.intern("touchpoint", "chat")

    def columns(self, n):
        scope = [i % 4 for i in range(n)]
        tp = [i % 2 for i in range(n)]
        metric = [i % 5 for i in range(n)]
        vp = [(0, 6)[i % 2] for i in range(n)]
        value = [float(1 + i % 7) for i in range(n)]
        time = [T0 + (i % 50) * DAY for i in range(n)]
        return scope, tp, metric, vp, value, time

    def test_lists(self):
        n = self.ctx.record_batch(*self.columns(100))
        self.assertEqual(n, 100)
        self.assertEqual(self.ctx.observation_count(), 100)

    def test_arrays_take_the_view_path(self):
        scope, tp, metric, vp, value, time = self.columns(1000)
        cols = (array.array("i", scope), array.array("i", tp), array.array("i", metric),
                array.array("i", vp), array.array("d", value), array.array("q", time))
        kinds = ("int32",) * 4 + ("double", "int64")
        for c, k in zip(cols, kinds):
            self.assertEqual(servgap.column_path(c, k), "view")
        self.assertEqual(self.ctx.record_batch(*cols, no_copy=True), 1000)
        self.assertEqual(self.ctx.observation_count(), 1000)
        # Optional columns as arrays too.
        self.ctx.record_batch(*cols, scope_kind=array.array("i", [1] * 1000),
                              team=array.array("i", [-1] * 1000),
                              driver=array.array("i", [0] * 1000), no_copy=True)
        self.assertEqual(self.ctx.observation_count(), 2000)

    def test_view_shares_memory(self):
        value = array.array("d", [1.0, 2.0, 3.0])
        n, args, paths = _columns.build("t", [("value", value, _columns.DOUBLE)])
        self.assertEqual((n, paths), (3, {"value": "view"}))
        value[1] = 6.5  # the C pointer sees the caller's memory
        ptr = ctypes.cast(ctypes.pointer(args[0]), ctypes.POINTER(ctypes.c_double))
        self.assertEqual(ptr[1], 6.5)
        self.assertEqual(ctypes.addressof(args[0]), value.buffer_info()[0])
        del args, ptr
        gc.collect()  # ctypes.cast leaves a reference cycle
        value.append(4.0)  # once the C arguments are gone, the export is released

    def test_no_element_conversion_for_matching_buffers(self):
        # The conversion and copy functions must not run for matching,
        # writable, contiguous buffers (a large array: nothing per element).
        n = 200_000
        scope, tp, metric, vp, value, time = self.columns(n)
        cols = (array.array("i", scope), array.array("i", tp), array.array("i", metric),
                array.array("i", vp), array.array("d", value), array.array("q", time))
        calls = []

        def refuse(*a):
            calls.append(a)
            raise AssertionError("column converted or copied")

        saved = (_columns.convert_elements, _columns.copy_buffer)
        _columns.convert_elements = _columns.copy_buffer = refuse
        try:
            self.assertEqual(self.ctx.record_batch(*cols), n)
            self.assertEqual(self.ctx.record_batch(*(memoryview(c) for c in cols)), n)
            with self.assertRaises(AssertionError):  # the patch is live: a list converts
                self.ctx.record_batch(scope, *cols[1:])
        finally:
            _columns.convert_elements, _columns.copy_buffer = saved
        self.assertEqual(len(calls), 1)
        self.assertEqual(self.ctx.observation_count(), 2 * n)

    def test_paths(self):
        cp = servgap.column_path
        self.assertEqual(cp([1, 2], "int32"), "convert")
        self.assertEqual(cp(range(3), "int64"), "convert")
        self.assertEqual(cp(array.array("d", [1]), "int32"), "convert")
        self.assertEqual(cp(array.array("f", [1]), "double"), "convert")
        self.assertEqual(cp(array.array("h", [1]), "int32"), "convert")
        self.assertEqual(cp(array.array("I", [1]), "int32"), "convert")  # unsigned
        self.assertEqual(cp(array.array("q", [1]), "int64"), "view")
        if array.array("l").itemsize == 8:
            self.assertEqual(cp(array.array("l", [1]), "int64"), "view")
        self.assertEqual(cp(memoryview(bytes(16)).cast("d"), "double"), "copy")  # read-only
        self.assertEqual(cp(memoryview(array.array("d", [1, 2, 3, 4]))[::2], "double"), "copy")
        self.assertEqual(cp(5, "int32"), "broadcast")
        self.assertEqual(cp(Viewpoint.PERCEIVED, "int32"), "broadcast")
        self.assertEqual(cp(2.5, "double"), "broadcast")

    def test_copy_and_convert_paths_record_the_same(self):
        scope, tp, metric, vp, value, time = self.columns(10)
        ro_value = memoryview(array.array("d", value).tobytes()).cast("d")  # read-only
        strided = memoryview(array.array("q", [t for t in time for _ in (0, 1)]))[::2]
        n, _, paths = _columns.build("t", [("v", ro_value, _columns.DOUBLE),
                                           ("t", strided, _columns.INT64),
                                           ("m", array.array("h", metric), _columns.INT32),
                                           ("s", tuple(scope), _columns.INT32)])
        self.assertEqual(paths, {"v": "copy", "t": "copy", "m": "convert", "s": "convert"})
        self.ctx.record_batch(tuple(scope), array.array("h", tp), metric, vp, ro_value, strided)
        with self.ctx.query(flags=QueryFlag.ACCOUNTS) as a:
            ref = servgap.Context()
            self.addCleanup(ref.close)
            for i in range(4):
                ref.account_define("acct-%d" % i, "enterprise", 100 + i)
            ref.intern("touchpoint", "email")
            ref.intern("touchpoint", "chat")
            ref.record_batch(scope, tp, metric, vp, value, time)
            with ref.query(flags=QueryFlag.ACCOUNTS) as b:
                self.assertEqual(a.json_bytes(), b.json_bytes(ref))
        arrays = [array.array("i", c) for c in (scope, tp, metric, vp)]
        with self.assertRaisesRegex(TypeError, "'value' .* would be copied"):
            self.ctx.record_batch(*arrays, ro_value, array.array("q", time), no_copy=True)
        with self.assertRaisesRegex(TypeError, "would be converted"):
            self.ctx.record_batch(scope, tp, metric, vp, value, time, no_copy=True)

    def test_scalars_broadcast(self):
        scope, tp, metric, vp, value, time = self.columns(20)
        self.ctx.record_batch(0, 1, Dimension.EMPATHY, "perceived", value, T0,
                              scope_kind="account", driver="none", team=NONE)
        with self.ctx.query() as res:
            cell = res.cell(res.find(Scope.ACCOUNT, 0, 1, Dimension.EMPATHY))
            self.assertEqual(cell.n[Viewpoint.PERCEIVED], 20)
            self.assertAlmostEqual(cell.mean[Viewpoint.PERCEIVED], sum(value) / 20)
        with self.assertRaisesRegex(ValueError, "at least one column"):
            self.ctx.record_batch(0, 0, 0, 0, 5.0, T0)

    def test_shape_errors(self):
        scope, tp, metric, vp, value, time = self.columns(10)
        with self.assertRaisesRegex(ValueError, "'value' has 9 rows, expected 10"):
            self.ctx.record_batch(scope, tp, metric, vp, value[:9], time)
        two_d = memoryview(array.array("d", value)).cast("B").cast("d", (2, 5))
        with self.assertRaisesRegex(ValueError, "one-dimensional"):
            self.ctx.record_batch(scope, tp, metric, vp, two_d, time)
        with self.assertRaises(TypeError):
            self.ctx.record_batch([0.5] * 10, tp, metric, vp, value, time)  # float as int
        with self.assertRaises(OverflowError):
            self.ctx.record_batch([2**40] * 10, tp, metric, vp, value, time)
        self.assertEqual(self.ctx.record_batch([], [], [], [], [], []), 0)
        self.assertEqual(self.ctx.record_batch(*(array.array(t) for t in "iiiidq")), 0)
        self.assertEqual(self.ctx.observation_count(), 0)

    def test_batch_error_names_the_index_and_records_nothing(self):
        scope, tp, metric, vp, value, time = self.columns(10)
        value[3] = 9.0
        metric[3] = Dimension.RELIABILITY
        with self.assertRaises(servgap.RangeError) as cm:
            self.ctx.record_batch(scope, tp, metric, vp, array.array("d", value), time)
        self.assertEqual(cm.exception.code, ErrorCode.ERANGE)
        self.assertEqual(cm.exception.message, "servgap_record_batch: observation 3: value 9 "
                         "outside [1, 7] of metric 'reliability'")
        self.assertEqual(self.ctx.observation_count(), 0)
        scope[7] = 99
        value[3] = 5.0
        with self.assertRaises(servgap.NotFoundError) as cm:
            self.ctx.record_batch(scope, tp, metric, vp, value, time)
        self.assertIn("observation 7", cm.exception.message)

    def test_threads_share_a_context(self):
        scope, tp, metric, vp, value, time = self.columns(5000)
        cols = (array.array("i", scope), array.array("i", tp), array.array("i", metric),
                array.array("i", vp), array.array("d", value), array.array("q", time))
        errors = []

        def work():
            try:
                for _ in range(10):
                    self.ctx.record_batch(*cols)
                    with self.ctx.query(flags=QueryFlag.ACCOUNTS) as res:
                        res.count(Table.CELLS)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(self.ctx.observation_count(), 4 * 10 * 5000)


class TestDeclarationsInForce(Case):
    """Standard and promised rows stay in force until replaced or
    withdrawn (docs/concepts.md, section 13)."""

    def setUp(self):
        super().setUp()
        self.ctx = servgap.Context()
        self.addCleanup(self.ctx.close)
        self.acme = self.ctx.account_define("acme", "gold", 1000)
        self.gold = self.ctx.lookup("tier", "gold")
        self.email = self.ctx.intern("touchpoint", "email")
        # The March SLA, declared once in January; a ticket in December.
        self.ctx.record(Scope.TIER, self.gold, self.email, 1, Viewpoint.STANDARD, 6, T0)
        self.ctx.record(Scope.ACCOUNT, self.acme, self.email, 1, Viewpoint.DELIVERED, 5,
                        T0 + 340 * DAY)

    def standard(self, start, end):
        res = self.ctx.query(start, end)
        self.addCleanup(res.close)
        c = res.cell(res.find(Scope.TIER, self.gold, self.email, 1))
        return c.n[Viewpoint.STANDARD], c.mean[Viewpoint.STANDARD], c

    def test_in_force_months_later(self):
        n, mean, c = self.standard(T0 + 334 * DAY, T0 + 365 * DAY)
        self.assertEqual((n, mean), (1, 6.0))
        self.assertEqual(c.declared[Viewpoint.STANDARD], T0)
        self.assertEqual(c.read_from[Viewpoint.STANDARD], T0)

    def test_withdrawn_is_gone(self):
        self.ctx.withdraw(Scope.TIER, self.gold, self.email, 1, Viewpoint.STANDARD, T0 + 100 * DAY)
        n, mean, c = self.standard(T0 + 334 * DAY, T0 + 365 * DAY)
        self.assertEqual(n, 0)
        self.assertIsNone(c.read(Viewpoint.STANDARD))
        self.assertEqual(c.declared[Viewpoint.STANDARD], TIME_NONE)
        # Still in force before the withdrawal; withdrawn inside a window,
        # the days before it count and the change is flagged.
        n, mean, c = self.standard(T0 + 59 * DAY, T0 + 90 * DAY)
        self.assertEqual((n, mean), (1, 6.0))
        n, mean, c = self.standard(T0 + 90 * DAY, T0 + 120 * DAY)
        self.assertEqual((n, mean), (1, 6.0))
        self.assertTrue(c.source[Viewpoint.STANDARD] & Source.CHANGED)
        with self.assertRaises(servgap.InvalidError):
            self.ctx.withdraw(Scope.TIER, self.gold, self.email, 1, Viewpoint.PERCEIVED, T0)
        with self.assertRaises(servgap.NotFoundError):
            self.ctx.withdraw(Scope.TIER, 99, self.email, 1, Viewpoint.PROMISED, T0)

    def test_withdrawn_in_csv(self):
        with servgap.Context() as ctx:
            ctx.account_define("acme", "gold", 1000)
            ctx.import_csv("observations",
                           b"time,account,tier,touchpoint,metric,viewpoint,value\n"
                           b"2026-01-01,,gold,email,reliability,standard,6\n"
                           b"2026-07-16,,gold,email,reliability,standard,withdrawn\n"
                           b"2026-08-02,acme,,email,reliability,delivered,5\n")
            gold, email = ctx.lookup("tier", "gold"), ctx.lookup("touchpoint", "email")
            for start, n in ((T0 + 59 * DAY, 1), (AUG1, 0)):
                with ctx.query(start, start + 31 * DAY, QueryFlag.TIERS) as res:
                    c = res.cell(res.find(Scope.TIER, gold, email, 1), gaps=False)
                    self.assertEqual(c.n[Viewpoint.STANDARD], n, day(start))
            with self.assertRaises(servgap.ServgapError):  # only a declaration is withdrawn
                ctx.import_csv("observations",
                               b"time,account,tier,touchpoint,metric,viewpoint,value\n"
                               b"2026-01-01,acme,,email,reliability,delivered,withdrawn\n")


class TestRootCauses(Case):
    """No standard defined, and account findings grouped under their
    tier's (tests/test_priorities.c, test_no_standard_defined): customers
    of tier gold expect 6 on onboarding, the provider believes 6, no SLA
    defines it, 4 is delivered and 3.6 perceived."""

    def setUp(self):
        super().setUp()
        ctx = self.ctx = servgap.Context()
        self.addCleanup(ctx.close)
        self.gold = ctx.intern("tier", "gold")
        self.email = ctx.intern("touchpoint", "email")
        self.m = ctx.metric_define("onboarding", Dimension.EMPATHY, Direction.HIGHER_IS_BETTER,
                                   1, 7)
        ctx.record(Scope.TIER, self.gold, self.email, self.m, Viewpoint.BELIEVED, 6, T0)
        self.acc = [ctx.account_define("a%d" % i, "gold", 100 * i) for i in (1, 2, 3, 4)]
        for a in self.acc:
            for vp, values in ((Viewpoint.EXPECTED, (6,) * 5), (Viewpoint.DELIVERED, (4,) * 5),
                               (Viewpoint.PERCEIVED, (3, 4, 4, 4, 3))):
                for v in values:
                    ctx.record(Scope.ACCOUNT, a, self.email, self.m, vp, v, T0 + DAY)

    def test_no_standard_and_groups(self):
        with self.ctx.query() as res:
            findings = res.findings()
        # The tier's perception gap (a quick win) and its no-standard finding
        # (a major project), then the accounts' own no-standard findings,
        # each repeating the tier's, by priority: a4 first.
        self.assertEqual([(f.scope_kind, f.gap) for f in findings],
                         [(Scope.TIER, GapType.PERCEPTION), (Scope.TIER, GapType.STANDARDS)]
                         + [(Scope.ACCOUNT, GapType.STANDARDS)] * 4)
        root = findings[1]
        self.assertTrue(root.no_standard)
        self.assertEqual(root.flags, servgap.FindingFlag.NO_STANDARD)
        self.assertEqual(root.value, -2.0)  # delivered 4 - believed 6
        self.assertAlmostEqual(root.impact, 100 * (1 / 3) ** (1 / 3), places=9)
        self.assertEqual((root.root, root.members, root.members_value), (None, 4, 1000.0))
        self.assertEqual([f.scope_id for f in findings[2:]], self.acc[::-1])
        self.assertTrue(all(f.root == 1 and f.no_standard for f in findings[2:]))
        self.assertIsNone(findings[0].root)
        self.assertFalse(findings[0].no_standard)

    def test_as_1_1(self):
        self.ctx.set_option(Option.PRIORITIES, servgap.Priorities.V1_1)
        self.assertEqual(self.ctx.get_option("priorities"), 2)
        with self.ctx.query() as res:
            findings = res.findings()
        # No no-standard finding: each account's shortfall is unexplained.
        self.assertEqual([f.gap for f in findings],
                         [GapType.PERCEPTION] + [GapType.SERVICE] * 4)
        self.assertFalse(any(f.no_standard or f.root is not None for f in findings))


class TestReadRanges(Case):
    """What each side of a cell read (tests/test_time.c,
    replaced_inside_the_window): an SLA of 8 h from 2026-01-01 replaced by
    4 h on 2026-07-16 is, for July, 8 h on 15 days and 4 h on 16."""

    def setUp(self):
        super().setUp()
        ctx = self.ctx = servgap.Context()
        self.addCleanup(ctx.close)
        self.acme = ctx.account_define("acme", "gold", 1000)
        self.gold = ctx.lookup("tier", "gold")
        self.email = ctx.intern("touchpoint", "email")
        self.frh = ctx.metric_define("first_response_hours", Dimension.RESPONSIVENESS,
                                     Direction.LOWER_IS_BETTER, 0, 1000, 24, "h")
        ctx.record(Scope.TIER, self.gold, self.email, self.frh, Viewpoint.STANDARD, 8, T0)
        ctx.record(Scope.TIER, self.gold, self.email, self.frh, Viewpoint.STANDARD, 4,
                   datetime.date(2026, 7, 16))
        ctx.record(Scope.ACCOUNT, self.acme, self.email, self.frh, Viewpoint.DELIVERED, 6,
                   JUL1 + 2 * DAY)
        # A survey answer a month before the window: inside the look-back.
        ctx.record(Scope.ACCOUNT, self.acme, self.email, self.frh, Viewpoint.EXPECTED, 3,
                   JUL1 - 30 * DAY)

    def july(self):
        res = self.ctx.query("2026-07-01", "2026-08-01", QueryFlag.TIERS)
        self.addCleanup(res.close)
        return res, res.cell(res.find(Scope.TIER, self.gold, self.email, self.frh))

    def test_replaced_inside_the_window(self):
        res, c = self.july()
        S, D = Viewpoint.STANDARD, Viewpoint.DELIVERED
        self.assertAlmostEqual(c.mean[S], (15 * 8 + 16 * 4) / 31, delta=1e-15)
        self.assertEqual(c.n[S], 2)
        self.assertTrue(c.source[S] & Source.CHANGED)
        self.assertFalse(c.source[D] & Source.CHANGED)
        # The standard read from the earliest declaration in force during
        # the window to its end; the one in force at the end is July 16's.
        self.assertEqual((c.read_from[S], c.read_to[S], c.declared[S]), (T0, AUG1, JUL16))
        self.assertEqual(c.read(S), (T0, AUG1))
        # Events read the window; a viewpoint without data reads nothing.
        self.assertEqual(c.read(D), (JUL1, AUG1))
        self.assertEqual(c.declared[D], TIME_NONE)
        self.assertEqual((c.read_from[Viewpoint.PERCEIVED], c.read_to[Viewpoint.PERCEIVED]),
                         (TIME_NONE, TIME_NONE))
        self.assertIsNone(c.read(Viewpoint.PERCEIVED))
        # Survey viewpoints read the look-back (365 days) before the end.
        self.assertEqual(c.read(Viewpoint.EXPECTED), (AUG1 - 365 * DAY, AUG1))
        self.assertEqual(c.n[Viewpoint.EXPECTED], 1)
        delivery = c.gaps[GapType.DELIVERY]
        self.assertAlmostEqual(delivery.value, -6 + 184 / 31, delta=1e-14)
        self.assertTrue(delivery.flags & GapFlag.CHANGED)
        self.assertTrue(delivery.declaration_changed)
        self.assertFalse(c.gaps[GapType.PERCEPTION].declaration_changed)
        # The report says the same.
        j = res.json()["cells"][c.index]
        self.assertEqual(j["read"], {
            "expected": {"from": "2025-08-01", "to": "2026-08-01"},
            "standard": {"from": "2026-01-01", "to": "2026-08-01", "declared": "2026-07-16",
                         "changed": True},
            "delivered": {"from": "2026-07-01", "to": "2026-08-01"},
        })
        self.assertTrue(j["gaps"]["delivery"]["declaration_changed"])

    def test_lookback_option(self):
        self.ctx.set_option(Option.LOOKBACK_DAYS, 20)  # shorter than the window: the window
        self.assertEqual(self.ctx.get_option("lookback_days"), 20)
        _, c = self.july()
        self.assertEqual(c.n[Viewpoint.EXPECTED], 0)
        self.assertIsNone(c.read(Viewpoint.EXPECTED))
        self.ctx.set_option("lookback_days", 61)  # from 2026-06-01: the answer is in
        _, c = self.july()
        self.assertEqual(c.read(Viewpoint.EXPECTED), (JUL1 - 30 * DAY, AUG1))
        self.assertEqual(c.n[Viewpoint.EXPECTED], 1)
        with self.assertRaises(servgap.RangeError):
            self.ctx.set_option(Option.LOOKBACK_DAYS, 0)
        self.assertEqual(self.ctx.options()["trend_windows"], 12)


def promise_kept_short(library=None):
    """tests/test_time.c's fixture, with the promise changed in July: 6 h
    promised on 2026-01-01, 4 h from 2026-07-16 on, and 5 to 5.2 h
    delivered every day of 2026. The communication gap exceeds in the first
    half of the year and is a small shortfall (-1.1 h) in the second."""
    ctx = servgap.Context(library)
    acme = ctx.account_define("acme", "gold", 1000)
    gold = ctx.lookup("tier", "gold")
    email = ctx.intern("touchpoint", "email")
    frh = ctx.metric_define("first_response_hours", Dimension.RESPONSIVENESS,
                            Direction.LOWER_IS_BETTER, 0, 1000, 24, "h")
    ctx.record(Scope.TIER, gold, email, frh, Viewpoint.PROMISED, 6.0, T0)
    ctx.record(Scope.TIER, gold, email, frh, Viewpoint.PROMISED, 4.0, JUL16)
    days = range(365)
    ctx.record_batch(acme, email, frh, Viewpoint.DELIVERED, [5.0 + d % 3 * 0.1 for d in days],
                     [T0 + d * DAY for d in days])
    return ctx, gold, acme, email, frh


def same(a, b):
    """Equal, NaN equal to NaN (floats compared by repr: bit for bit)."""
    return repr(a) == repr(b)


class TestTrends(Case):
    @classmethod
    def setUpClass(cls):
        cls.ctx, cls.gold, cls.acme, cls.email, cls.frh = promise_kept_short()
        cls.res = cls.ctx.query(DEC1, NEXT_JAN1, flags=QueryFlag.ALL | QueryFlag.TRENDS)

    @classmethod
    def tearDownClass(cls):
        cls.res.close()
        cls.ctx.close()

    def test_every_window_is_its_own_query(self):
        res = self.res
        findings, trends = res.findings(), res.trends()
        self.assertGreater(len(findings), 0)
        self.assertEqual(len(trends), 12 * len(findings))
        self.assertEqual(res.count(Table.TRENDS), len(trends))
        self.assertEqual(res.count("trends"), len(trends))
        for k, t in enumerate(trends):
            f = findings[k // 12]
            self.assertEqual((t.series, t.finding, t.window), (k // 12, k // 12, k % 12))
            self.assertEqual((t.scope_kind, t.scope_id, t.touchpoint, t.metric, t.dimension, t.gap),
                             (f.scope_kind, f.scope_id, f.touchpoint, f.metric, f.dimension, f.gap))
            self.assertEqual(t.end, NEXT_JAN1 - (11 - k % 12) * 30 * DAY)
            self.assertEqual(t.start, t.end - 30 * DAY)
        # The tier's communication gap, window by window, against a query of
        # that window alone (value and status, and the rest bit for bit).
        series = [t for t in trends if t.scope_kind == Scope.TIER
                  and t.gap == GapType.COMMUNICATION]
        self.assertEqual(len(series), 12)
        for t in series:
            with self.ctx.query(t.start, t.end, QueryFlag.TIERS | QueryFlag.ACCOUNTS) as alone:
                g = alone.gap(alone.find(t.scope_kind, t.scope_id, t.touchpoint, t.metric,
                                         t.dimension), t.gap)
            w = "window %d" % t.window
            self.assertEqual((repr(t.value), t.status), (repr(g.value), g.status), w)
            self.assertTrue(same((t.normalized, t.lo, t.hi, t.span, t.flags, t.n_up, t.n_down),
                                 (g.normalized, g.lo, g.hi, g.span, g.flags, g.n_up, g.n_down)), w)
        statuses = [t.status for t in series]
        self.assertEqual(statuses[0], GapStatus.EXCEEDS)  # 6 h promised, ~5.1 h delivered
        self.assertEqual(statuses[-1], GapStatus.SHORTFALL)  # 4 h promised
        self.assertAlmostEqual(series[-1].value, -1.1, delta=0.1)
        self.assertTrue(series[-1].significant)
        changed = [t.window for t in series if t.declaration_changed]
        self.assertEqual(len(changed), 1)  # the window holding 2026-07-16
        t = series[changed[0]]
        self.assertTrue(t.start <= JUL16 < t.end)

    def test_trends_equal_the_report(self):
        js = self.res.json()["trends"]
        trends = self.res.trends()
        self.assertEqual(len(js), len(self.res.findings()))
        for s, j in enumerate(js):
            rows = [t for t in trends if t.series == s]
            self.assertEqual(j["finding"], rows[0].finding + 1)  # the finding's rank
            self.assertEqual(j["gap"], servgap.gap_name(rows[0].gap))
            self.assertEqual(j["metric"], "first_response_hours")
            self.assertEqual(len(j["windows"]), len(rows))
            for t, w in zip(rows, j["windows"]):
                self.assertEqual((w["from"], w["to"]), (day(t.start), day(t.end)))
                self.assertEqual((w["value"], w["normalized"], w["ci"]),
                                 (nan_to_none(t.value), nan_to_none(t.normalized),
                                  [nan_to_none(t.lo), nan_to_none(t.hi)]))
                self.assertEqual((w["n_up"], w["n_down"], w["status"]),
                                 (t.n_up, t.n_down, servgap.status_name(t.status)))
                self.assertEqual((w["significant"], w["declaration_changed"]),
                                 (t.significant, t.declaration_changed))

    def test_query_trends_of_findings_equals_the_query(self):
        findings = self.res.findings()
        with self.ctx.query_trends(findings, now=self.res.now) as named:
            self.assertEqual(named.window, (NEXT_JAN1 - 360 * DAY, NEXT_JAN1))
            self.assertEqual(named.count(Table.CELLS), 0)
            got = named.trends()
        want = self.res.trends()
        self.assertEqual(len(got), len(want))
        for a, b in zip(got, want):
            self.assertIsNone(a.finding)
            b.finding = None
            self.assertTrue(same(a, b), (a, b))

    def test_query_trends_of_named_cells(self):
        ctx, gold, acme, email, frh = promise_kept_short()
        self.addCleanup(ctx.close)
        ctx.set_option(Option.TREND_WINDOWS, 4)
        cells = [
            (Scope.TIER, gold, email, frh, GapType.COMMUNICATION),
            ("account", acme, ALL, frh, 0, "delivery"),
            {"scope_kind": Scope.TIER, "scope_id": gold, "touchpoint": ALL, "metric": ALL,
             "dimension": Dimension.RESPONSIVENESS, "gap": GapType.COMMUNICATION},
        ]
        with ctx.query_trends(cells, now="2027-01-01") as res:
            trends = res.trends()
            self.assertEqual(res.window, (NEXT_JAN1 - 120 * DAY, NEXT_JAN1))
            self.assertEqual(res.now, NEXT_JAN1)
            self.assertEqual(res.count(Table.CELLS), 0)
            self.assertEqual(res.findings(), [])
            self.assertEqual(len(res.json()["trends"]), 3)
        self.assertEqual(len(trends), 12)
        self.assertEqual([t.series for t in trends], [k // 4 for k in range(12)])
        self.assertEqual([t.window for t in trends], [k % 4 for k in range(12)])
        self.assertTrue(all(t.finding is None for t in trends))
        for t in trends[:4]:  # 4 h promised, 5 to 5.2 h delivered
            self.assertEqual((t.scope_kind, t.scope_id, t.touchpoint, t.metric),
                             (Scope.TIER, gold, email, frh))
            self.assertAlmostEqual(t.value, -1.1, delta=0.1)
            self.assertEqual(t.status, GapStatus.SHORTFALL)
        second = trends[4]
        self.assertEqual((second.scope_kind, second.scope_id, second.touchpoint, second.metric,
                          second.gap), (Scope.ACCOUNT, acme, ALL, frh, GapType.DELIVERY))
        # A metric cell's dimension is its metric's, whatever was passed.
        self.assertEqual(second.dimension, Dimension.RESPONSIVENESS)
        self.assertEqual(trends[8].metric, ALL)
        self.assertTrue(same(trends[8].value, trends[0].value))  # the only metric of the dimension
        # No cells: an empty result; now None: after the latest observation.
        with ctx.query_trends([]) as res:
            self.assertEqual((res.trends(), res.now), ([], NEXT_JAN1))

    def test_query_trends_errors(self):
        ctx, gold, email, frh = self.ctx, self.gold, self.email, self.frh
        good = (Scope.TIER, gold, email, frh, GapType.COMMUNICATION)
        with self.assertRaises(servgap.NotFoundError) as cm:
            ctx.query_trends([good, (Scope.ACCOUNT, 77, ALL, frh, GapType.DELIVERY)])
        self.assertIn("cell 1", cm.exception.message)
        self.assertEqual(cm.exception.function, "servgap_query_trends")
        with self.assertRaises(servgap.NotFoundError) as cm:
            ctx.query_trends([good, good, (Scope.TIER, gold, 99, frh, GapType.DELIVERY)])
        self.assertIn("cell 2: unknown touchpoint id 99", cm.exception.message)
        with self.assertRaises(servgap.InvalidError) as cm:
            ctx.query_trends([(Scope.TIER, gold, email, frh, 7)])
        self.assertIn("cell 0", cm.exception.message)
        with self.assertRaises(servgap.InvalidError):
            ctx.query_trends([(Scope.TIER, gold, email, ALL, 9, GapType.DELIVERY)])
        with self.assertRaises(servgap.RangeError):
            ctx.query_trends([good], now=NEXT_JAN1 + 1)
        with self.assertRaises(ValueError):
            ctx.query_trends([(Scope.TIER, gold, email)])
        with self.assertRaises(ValueError):
            ctx.query_trends([(Scope.TIER, gold, email, frh, "sideways")])
        with self.assertRaises(TypeError):
            ctx.query_trends(["tier"])
        with self.assertRaises(TypeError):
            ctx.query_trends(good[0])
        with self.assertRaises(TypeError):
            ctx.query_trends([self.res.cell(0)])  # a Cell has no gap
        # Trends follow findings: TRENDS needs PRIORITIES.
        with self.assertRaises(servgap.InvalidError) as cm:
            ctx.query(flags=QueryFlag.TIERS | QueryFlag.TRENDS)
        self.assertIn("SERVGAP_QUERY_PRIORITIES", cm.exception.message)
        with ctx.query(DEC1, NEXT_JAN1, QueryFlag.PRIORITIES | QueryFlag.TRENDS | QueryFlag.TIERS
                       ) as res:
            self.assertEqual(res.count(Table.TRENDS), 12 * res.count(Table.FINDINGS))
        with ctx.query(DEC1, NEXT_JAN1) as res:  # not part of ALL
            self.assertEqual((res.trends(), res.json()["trends"]), ([], []))
        with ctx.query_trends([good], now=NEXT_JAN1) as res:
            self.assertEqual(res.count(Table.TRENDS), 12)
            res.close()
            with self.assertRaises(servgap.MisuseError):
                res.count(Table.TRENDS)
            with self.assertRaises(servgap.MisuseError):
                res.trends()


class TestCsv(Case):
    def setUp(self):
        super().setUp()
        self.ctx = servgap.Context()
        self.addCleanup(self.ctx.close)

    OBS = (b"time,account,tier,touchpoint,metric,viewpoint,value,mood\n"
           b"2026-01-01,acme,enterprise,email,reliability,expected,7,happy\n"
           b"2026-01-02,acme,enterprise,email,reliability,perceived,5,\n")

    def test_sources(self):
        ctx = self.ctx
        rep = ctx.import_csv("observations", self.OBS)
        self.assertEqual((rep.rows, rep.applied, rep.skipped, rep.observations),
                         (2, 2, 0, 2))
        self.assertEqual((rep.unknown_columns, rep.unknown), (1, ["mood"]))
        ctx.import_csv(servgap.CsvTable.OBSERVATIONS, bytearray(self.OBS))
        ctx.import_csv(1, memoryview(self.OBS))  # read-only view: copied once
        ctx.import_csv("observations", memoryview(bytearray(self.OBS)))
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "obs.csv"
            p.write_bytes(self.OBS)
            ctx.import_csv("observations", p)
            ctx.import_csv("observations", str(p))
            with self.assertRaises(TypeError):
                ctx.import_csv("observations", p, name="x")
        self.assertEqual(ctx.observation_count(), 12)
        with self.assertRaises(ValueError):
            ctx.import_csv("people", self.OBS)

    def test_file_objects_and_what_is_refused(self):
        ctx = self.ctx
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "obs.csv"
            p.write_bytes(self.OBS)
            with open(p, "rb") as f:
                self.assertEqual(ctx.import_csv("observations", f).observations, 2)
            ctx.import_csv("observations", io.BytesIO(self.OBS))
            self.assertEqual(ctx.observation_count(), 4)
            # A file object names itself in messages.
            p.write_bytes(self.OBS.replace(b",5,", b",9,"))
            with open(p, "rb") as f, self.assertRaises(servgap.RangeError) as cm:
                ctx.import_csv("observations", f)
            self.assertTrue(cm.exception.message.startswith(str(p) + ":3:"))
            with open(p, "r") as f, self.assertRaisesRegex(TypeError, r"binary mode \('rb'\)"):
                ctx.import_csv("observations", f)
        refused = {
            "CSV text": self.OBS.decode(),  # was read as a path: "cannot read"
            "binary mode": io.StringIO(self.OBS.decode()),
            r"expected a path \(str or os.PathLike\), bytes-like data, or a binary file object, "
            r"not int": 17,
        }
        for pattern, source in refused.items():
            with self.assertRaisesRegex(TypeError, pattern):
                ctx.import_csv("observations", source)
        self.assertEqual(ctx.observation_count(), 4)

    def test_strict_import_refuses_an_unknown_column(self):
        ctx = self.ctx
        teams = (b"time,account,tier,touchpoint,metric,viewpoint,value,teams\n"
                 b"2026-01-01,acme,enterprise,email,reliability,perceived,5,pod-a\n")
        with self.assertRaises(servgap.FormatError) as cm:
            ctx.import_csv("observations", teams, name="obs.csv", strict=True)
        self.assertEqual(cm.exception.message,
                         "obs.csv:1:53: unknown column 'teams' in the observations table (a "
                         "strict import refuses them; it has time, account, tier, touchpoint, "
                         "metric, viewpoint, value, team, driver, respondent); did you mean "
                         "'team'?")
        # Nothing was imported, not even a name.
        self.assertEqual((ctx.observation_count(), ctx.count(Kind.ACCOUNT)), (0, 0))
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "obs.csv")
            with open(p, "wb") as f:
                f.write(b"\r\n" + teams.replace(b"\n", b"\r\n").replace(b"teams", b'"teams"'))
            with self.assertRaisesRegex(servgap.FormatError, "^%s:2:53: unknown column 'teams'"
                                        % re.escape(p)):
                ctx.import_csv("observations", p, strict=True)
        # Without strict, the column is ignored and reported.
        rep = ctx.import_csv("observations", teams)
        self.assertEqual((rep.observations, rep.unknown), (1, ["teams"]))
        # A strict import of known columns is the plain import.
        with servgap.Context() as a, servgap.Context() as b:
            for t in TABLES:
                a.import_csv(t, DATA / (t + ".csv"), strict=True)
                b.import_csv(t, DATA / (t + ".csv"))
            self.assertEqual(a.snapshot_bytes(), b.snapshot_bytes())
        # A header the library refuses fails as the plain import does.
        with self.assertRaisesRegex(servgap.FormatError, "^<buffer>:1:1: missing column"):
            ctx.import_csv("observations", b"time,account\n", strict=True)

    def test_documented_columns_are_the_librarys(self):
        text = (ROOT / "docs" / "formats.md").read_text()
        for table, columns in servgap.csv_columns().items():
            section = text.split("\n### %s\n" % table, 1)[1].split("\n#", 1)[0]
            table_rows = section.split("\n|", 1)[1].split("\n\n", 1)[0]  # the first table
            rows = [r for r in table_rows.splitlines() if r.startswith("| `")]
            documented = tuple(re.findall(r"`(\w+)`", "".join(r.split("|")[1] for r in rows)))
            self.assertEqual(documented, columns, table)
            header = ",".join(columns).encode() + b"\n"
            with servgap.Context() as ctx:
                rep = ctx.import_csv(table, header, strict=True)
            self.assertEqual((rep.rows, rep.unknown_columns), (0, 0), table)

    def test_error_names_file_line_column(self):
        bad = self.OBS + b"2026-01-03,acme,enterprise,email,reliability,perceived,9,\n"
        with self.assertRaises(servgap.RangeError) as cm:
            self.ctx.import_csv("observations", bad, name="obs.csv")
        self.assertEqual(cm.exception.code, ErrorCode.ERANGE)
        self.assertRegex(cm.exception.message,
                         r"^obs\.csv:4:\d+: value 9 outside \[1, 7\] of metric 'reliability'$")
        self.assertEqual(self.ctx.observation_count(), 0)  # all or nothing
        with self.assertRaises(servgap.FormatError) as cm:
            self.ctx.import_csv("observations", self.OBS + b'2026-01-03,"acme')
        self.assertEqual(cm.exception.code, ErrorCode.EFORMAT)
        self.assertRegex(cm.exception.message, r"^<buffer>:4:\d+: ")
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "bad.csv")
            with open(p, "wb") as f:
                f.write(self.OBS.replace(b"2026-01-02", b"2026-02-30"))
            with self.assertRaises(servgap.FormatError) as cm:
                self.ctx.import_csv("observations", p)
            self.assertTrue(cm.exception.message.startswith(p + ":3:1: "), cm.exception.message)
            with self.assertRaises(servgap.ServgapIOError) as cm:
                self.ctx.import_csv("observations", os.path.join(d, "missing.csv"))
            self.assertIsInstance(cm.exception, OSError)
            self.assertEqual(cm.exception.code, ErrorCode.EIO)
            self.assertIn("missing.csv", cm.exception.message)

    def test_skip_bad_rows(self):
        bad = self.OBS + b"2026-01-03,acme,enterprise,email,reliability,perceived,9,\n"
        rep = self.ctx.import_csv("observations", bad, name="obs.csv", skip_bad_rows=True)
        self.assertEqual((rep.rows, rep.applied, rep.skipped), (3, 2, 1))
        self.assertEqual(len(rep.skips), 1)
        self.assertTrue(rep.skips[0].startswith("obs.csv:4:"), rep.skips)

    def test_other_tables(self):
        ctx = self.ctx
        ctx.import_csv("metrics", b"metric,dimension,direction,min,max,span,unit\n"
                                  b"frh,responsiveness,lower,0,,8,h\n")
        self.assertEqual(ctx.metric_info(ctx.lookup("metric", "frh")).unit, "h")
        ctx.import_csv("accounts", b"account,tier,value\nacme,enterprise,5\n")
        ctx.import_csv("importance",
                       b"scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
                       b"tier:enterprise,customer,20,20,20,20,20\n")
        ctx.import_csv("efforts", b"gap,touchpoint,metric,effort\ndelivery,slack,frh,4\n")
        self.assertEqual(ctx.effort_get("delivery", ctx.lookup("touchpoint", "slack"),
                                        ctx.lookup("metric", "frh")), 4.0)
        with self.assertRaises(servgap.NotFoundError):
            ctx.import_csv("importance", b"scope,whose,tangibles,reliability,responsiveness,"
                                         b"assurance,empathy\ntier:gold,customer,20,20,20,20,20\n")


class TestSampleReport(Case):
    """The sample data through the binding, against the C library's report."""

    @classmethod
    def setUpClass(cls):
        cls.ctx = sample_context()
        cls.res = cls.ctx.query()
        cls.report = cls.res.json()

    @classmethod
    def tearDownClass(cls):
        cls.res.close()
        cls.ctx.close()

    def test_json_equals_servgap_report(self):
        if not REPORT:
            self.skipTest("SERVGAP_REPORT (the servgap-report program) not set")
        out = subprocess.run([REPORT, "--data", str(DATA), "--json", "--level", "full"], stdout=subprocess.PIPE,
                             check=True).stdout
        with self.ctx.query(flags=REPORT_FLAGS) as res:
            self.assertEqual(out, res.json_bytes())  # byte for byte
        report = json.loads(out)
        self.assertGreater(len(report["trends"]), 0)
        self.assertEqual(len(report["plans"]), 5)
        # Without the trends and plans, the report is that of the default flags.
        self.assertEqual(dict(report, trends=[], plans=[]), self.report)

    def test_write_json_streams_the_same_bytes(self):
        class Pieces:
            def __init__(self):
                self.pieces = []

            def write(self, b):
                self.pieces.append(bytes(b))

        whole = self.res.json_bytes()
        out = Pieces()
        self.assertEqual(self.res.write_json(out), len(whole))
        self.assertEqual(b"".join(out.pieces), whole)  # byte for byte
        self.assertGreater(len(out.pieces), 2)  # the sample report is several pieces
        self.assertTrue(all(0 < len(p) <= 65536 for p in out.pieces))
        with tempfile.TemporaryFile() as f:  # a real file, as a caller would
            self.res.write_json(f)
            f.seek(0)
            self.assertEqual(f.read(), whole)

    def test_write_json_stops_when_write_fails(self):
        class Full:
            calls = 0

            def write(self, b):
                self.calls += 1
                if self.calls == 2:
                    raise OSError(28, "No space left on device")

        out = Full()
        with self.assertRaises(OSError) as cm:
            self.res.write_json(out)
        self.assertEqual(cm.exception.errno, 28)
        self.assertEqual(out.calls, 2)  # not called again after it failed

    def test_header(self):
        r = self.report
        self.assertEqual(r["version"], {"library": servgap.version(), "schema": 1})
        self.assertEqual(self.res.window, (None, None))
        self.assertEqual(r["window"], {"from": None, "to": None})
        self.assertEqual(r["now"], day(self.res.now))
        metrics = {m["name"]: m for m in r["metrics"]}
        for mid in range(self.ctx.count(Kind.METRIC)):
            info = self.ctx.metric_info(mid)
            if info.name not in metrics:
                continue
            m = metrics[info.name]
            self.assertEqual(m["dimension"], servgap.dimension_name(info.dimension))
            self.assertEqual(m["unit"], info.unit)
            self.assertEqual((m["min"], m["max"], m["span"]),
                             (nan_to_none(info.min), nan_to_none(info.max), info.span))

    def scope(self, kind, id):
        if kind == Scope.TIER:
            return "tier:" + self.ctx.name(Kind.TIER, id)
        return "account:" + self.ctx.name(Kind.ACCOUNT, id)

    def tp(self, t):
        return "*" if t == ALL else self.ctx.name(Kind.TOUCHPOINT, t)

    def metric(self, m):
        return "*" if m == ALL else self.ctx.name(Kind.METRIC, m)

    def test_cells_equal_the_report(self):
        cells = self.res.cells()
        js = self.report["cells"]
        self.assertEqual(len(cells), len(js))
        self.assertEqual(len(cells), self.res.count("cells"))
        vps = [v.name.lower() for v in Viewpoint]
        src_names = ((servgap.Source.OWN, "own"), (servgap.Source.TIER, "tier"),
                     (servgap.Source.ANYTP, "any_touchpoint"))
        for c, j in zip(cells, js):
            where = "cell %d" % c.index
            self.assertEqual(j["scope"], self.scope(c.scope_kind, c.scope_id), where)
            self.assertEqual(j["touchpoint"], self.tp(c.touchpoint), where)
            self.assertEqual(j["metric"], self.metric(c.metric), where)
            self.assertEqual(j["dimension"], servgap.dimension_name(c.dimension), where)
            self.assertEqual(j["scale"], c.span, where)
            self.assertEqual(j["n"], dict(zip(vps, c.n)), where)
            self.assertEqual(j["means"], dict(zip(vps, map(nan_to_none, c.mean))), where)
            self.assertEqual(j["sd"], dict(zip(vps, map(nan_to_none, c.sd))), where)
            self.assertEqual(j["negative"], dict(zip(vps, c.negative)), where)
            self.assertEqual(j["source"], {v: [name for bit, name in src_names if s & bit]
                                           for v, s in zip(vps, c.source)}, where)
            read = {}
            for v, name in zip(Viewpoint, vps):
                rng = c.read(v)
                if rng is None:
                    self.assertEqual((c.read_from[v], c.read_to[v], c.n[v]),
                                     (TIME_NONE, TIME_NONE, 0), where)
                    continue
                read[name] = {"from": day(rng[0]), "to": day(rng[1])}
                if c.declared[v] != TIME_NONE:
                    read[name].update(declared=day(c.declared[v]),
                                      changed=bool(c.source[v] & Source.CHANGED))
            self.assertEqual(j["read"], read, where)
            self.assertEqual(j["pairs"], c.pairs, where)
            self.assertEqual(j["pe_correlation"], nan_to_none(c.pe_correlation), where)
            self.assertEqual(j["classification"], servgap.class_name(c.classification), where)
            if c.classification == Classification.SPAN:
                self.assertEqual(j["class_span"], servgap.span_name(c.class_span), where)
            self.assertEqual(j["class_normalized"], nan_to_none(c.class_normalized), where)
            self.assertEqual(list(j["gaps"]), [g.name.lower() for g in GapType])
            for g in c.gaps:
                jg = j["gaps"][servgap.gap_name(g.gap)]
                w = "%s %s" % (where, g.gap.name)
                self.assertEqual(jg["value"], nan_to_none(g.value), w)
                self.assertEqual(jg["normalized"], nan_to_none(g.normalized), w)
                self.assertEqual(jg["ci"], [nan_to_none(g.lo), nan_to_none(g.hi)], w)
                self.assertEqual(jg["df"], nan_to_none(g.df), w)
                self.assertEqual((jg["n_up"], jg["n_down"]), (g.n_up, g.n_down), w)
                self.assertEqual(jg["status"], servgap.status_name(g.status), w)
                if g.status == GapStatus.UNRESOLVED:
                    self.assertEqual(jg["span"], servgap.span_name(g.span), w)
                self.assertEqual((jg["paired"], jg["significant"], jg["sufficient"],
                                  jg["no_standard"], jg["declaration_changed"]),
                                 (g.paired, g.significant, g.sufficient, g.no_standard,
                                  g.declaration_changed), w)
                self.assertEqual(repr(g), repr(self.res.gap(c.index, g.gap)))  # NaN-safe
        # find() is the inverse of the cell order.
        for c in cells[:: max(1, len(cells) // 50)]:
            self.assertEqual(self.res.find(c.scope_kind, c.scope_id, c.touchpoint, c.metric,
                                           c.dimension), c.index)
        self.assertEqual(self.res.cell(5, gaps=False).gaps, ())
        self.assertEqual(repr(self.res.gaps(5)), repr(cells[5].gaps))
        with self.assertRaises(servgap.NotFoundError):
            self.res.find(Scope.TIER, 0, 0, 99)
        with self.assertRaises(servgap.RangeError):
            self.res.cell(len(cells))
        with self.assertRaises(servgap.InvalidError):
            self.res.gap(0, 7)

    def test_priorities_equal_the_report(self):
        findings = self.res.findings()
        js = self.report["priorities"]
        self.assertEqual(len(findings), len(js))
        self.assertGreater(len(findings), 10)
        for f, j in zip(findings, js):
            self.assertEqual(j["rank"], f.rank)
            self.assertEqual(j["cell"], f.cell)
            self.assertEqual(j["scope"], self.scope(f.scope_kind, f.scope_id))
            self.assertEqual(j["touchpoint"], self.tp(f.touchpoint))
            self.assertEqual(j["metric"], self.metric(f.metric))
            self.assertEqual(j["dimension"], servgap.dimension_name(f.dimension))
            self.assertEqual(j["gap"], servgap.gap_name(f.gap))
            self.assertEqual(j["quadrant"], servgap.quadrant_name(f.quadrant))
            for k in ("value", "normalized", "impact", "effort", "priority", "size_term",
                      "value_share", "frequency", "affected_value", "windows"):
                self.assertEqual(j[k], getattr(f, k), "rank %d %s" % (f.rank, k))
            self.assertEqual(j["persistent"], f.persistent)
            self.assertEqual(j["no_standard"], f.no_standard)
            self.assertEqual(j["root"], None if f.root is None else f.root + 1)  # a rank
            self.assertEqual((j["members"], j["members_value"]), (f.members, f.members_value))
            self.assertEqual(len(f.accounts), f.affected_accounts)
            self.assertEqual(j["affected_accounts"],
                             [self.ctx.name(Kind.ACCOUNT, a) for a in f.accounts])
        self.assertEqual([f.rank for f in findings], list(range(1, len(findings) + 1)))
        # The sample data's tier findings stand for many accounts' own.
        members = [f for f in findings if f.root is not None]
        self.assertGreater(len(members), 10)
        self.assertTrue(all(findings[f.root].members > 0 for f in members))

    def test_other_tables_equal_the_report(self):
        r = self.report
        sq = self.res.servqual()
        self.assertEqual(len(sq), len(r["servqual"]))
        dims = [d.name.lower() for d in Dimension]
        for q, j in zip(sq, r["servqual"]):
            self.assertEqual(j["scope"], self.scope(q.scope_kind, q.scope_id))
            self.assertEqual(j["touchpoint"], self.tp(q.touchpoint))
            self.assertEqual(j["dimensions"], {
                d: {"gap": nan_to_none(q.dimension_gap[k]), "weight": nan_to_none(q.weight[k]),
                    "believed_weight": nan_to_none(q.believed_weight[k])}
                for k, d in enumerate(dims)})
            for k in ("unweighted", "item_mean", "weighted", "servperf", "importance_gap"):
                self.assertEqual(j[k], nan_to_none(getattr(q, k)), k)
            self.assertEqual(j["weighted_ci"], [nan_to_none(q.weighted_lo),
                                                nan_to_none(q.weighted_hi)])
            self.assertEqual(j["weight_source"], q.weight_source.name.lower())
            self.assertEqual(j["respondents"], q.respondents)
            self.assertEqual(j["most_underweighted"], None if q.most_underweighted is None
                             else servgap.dimension_name(q.most_underweighted))
        bd = self.res.breakdowns()
        self.assertEqual(len(bd), len(r["breakdowns"]))
        for b, j in zip(bd, r["breakdowns"]):
            self.assertEqual(j["cell"], b.cell)
            self.assertEqual(j["facet"], b.facet.name.lower())
            self.assertEqual(j["name"], self.ctx.name(Kind.TEAM, b.facet_id)
                             if b.facet == servgap.Facet.TEAM else servgap.driver_name(b.facet_id))
            self.assertEqual(j["viewpoint"], servgap.viewpoint_name(b.viewpoint))
            self.assertEqual(j["gap"], servgap.gap_name(b.gap))
            self.assertEqual(j["status"], servgap.status_name(b.status))
            self.assertEqual((j["n"], j["mean"], j["value"], j["normalized"], j["df"]),
                             (b.n, nan_to_none(b.mean), nan_to_none(b.value),
                              nan_to_none(b.normalized), nan_to_none(b.df)))
            self.assertEqual(j["ci"], [nan_to_none(b.lo), nan_to_none(b.hi)])
            self.assertEqual((j["significant"], j["sufficient"]),
                             (bool(b.flags & servgap.GapFlag.SIGNIFICANT),
                              bool(b.flags & servgap.GapFlag.SUFFICIENT)))
        ipa = self.res.ipa()
        self.assertEqual(len(ipa), len(r["ipa"]))
        for p, j in zip(ipa, r["ipa"]):
            self.assertEqual((j["scope"], j["touchpoint"], j["dimension"], j["quadrant"]),
                             (self.scope(p.scope_kind, p.scope_id), self.tp(p.touchpoint),
                              servgap.dimension_name(p.dimension), servgap.ipa_name(p.quadrant)))
            self.assertEqual((j["importance"], j["performance"], j["crosshair"]),
                             (p.importance, p.performance,
                              {"importance": p.importance_cross,
                               "performance": p.performance_cross}))
        trig = self.res.triggers()
        self.assertEqual(len(trig), len(r["triggers"]))
        kinds = set()
        for t, j in zip(trig, r["triggers"]):
            kinds.add(t.kind)
            self.assertEqual((j["account"], j["kind"], j["date"], j["detail"], j["count"]),
                             (self.ctx.name(Kind.ACCOUNT, t.account), servgap.trigger_name(t.kind),
                              day(t.date), t.detail, t.count))
            self.assertEqual((j["before"], j["after"], j["statistic"], j["ci"]),
                             (nan_to_none(t.before), nan_to_none(t.after),
                              nan_to_none(t.statistic), [nan_to_none(t.lo), nan_to_none(t.hi)]))
            self.assertEqual((j["n_before"], j["n_after"]), (t.n_before, t.n_after))
        self.assertEqual(kinds, set(servgap.TriggerKind))
        risk = self.res.risk()
        self.assertEqual(len(risk), 40)
        for k, j in zip(risk, r["risk"]):
            self.assertEqual((j["account"], j["risk"], j["windows"], j["with_shortfall"],
                              j["findings"], j["worst_normalized"], j["value"], j["churned"]),
                             (self.ctx.name(Kind.ACCOUNT, k.account), k.risk, k.windows,
                              k.with_shortfall, k.findings, nan_to_none(k.worst_normalized),
                              k.value, k.churned))
        auc = self.res.auc()
        self.assertEqual(r["auc"], {"value": nan_to_none(auc.value), "churned": auc.churned,
                                    "retained": auc.retained})
        self.assertEqual((auc.churned, auc.retained), (3, 37))
        # Trends are asked for with QueryFlag.TRENDS, which ALL leaves out.
        self.assertEqual((self.res.trends(), r["trends"]), ([], []))

    def test_windows_flags_and_now(self):
        ctx = self.ctx
        with ctx.query("2026-01-01", datetime.date(2026, 7, 1), QueryFlag.TIERS) as res:
            self.assertEqual(res.window, (T0, T0 + 181 * DAY))
            self.assertEqual(res.count(Table.FINDINGS), 0)
            self.assertEqual(res.findings(), [])
            r = res.json()
            self.assertEqual(r["window"], {"from": "2026-01-01", "to": "2026-07-01"})
            self.assertTrue(all(c["scope"].startswith("tier:") for c in r["cells"]))
        with ctx.query(now="2026-12-01") as res:
            self.assertEqual(res.now, 1796083200)
        with ctx.query_at(None, None, None, QueryFlag.ALL) as res:
            self.assertEqual(res.json_bytes(), self.res.json_bytes())
        with self.assertRaises(servgap.RangeError):
            ctx.query(T0 + 5, T0 + DAY)  # not a UTC midnight
        with self.assertRaises(servgap.RangeError):
            ctx.query(T0 + DAY, T0)
        with self.assertRaises(servgap.RangeError):
            ctx.query(now=T0 + 1)

    def test_result_lifetime(self):
        ctx = sample_context()
        res = ctx.query(flags=QueryFlag.TIERS)
        n = res.count(Table.CELLS)
        self.assertIn("cells", repr(res))
        ctx.close()
        # The result owns its data: it outlives the handle ...
        self.assertEqual(len(res.cells()), n)
        # ... but the report needs names from an open handle.
        with self.assertRaises(servgap.MisuseError):
            res.json()
        self.assertEqual(res.json(self.ctx)["cells"][0]["scope"], "tier:enterprise")
        res.close()
        res.close()
        self.assertTrue(res.closed)
        self.assertEqual(repr(res), "<servgap.Result closed>")
        with self.assertRaises(servgap.MisuseError) as cm:
            res.cell(0)
        self.assertIn("closed", cm.exception.message)
        with self.ctx.query(flags=QueryFlag.TIERS) as r2:
            pass
        self.assertTrue(r2.closed)
        r3 = self.ctx.query(flags=QueryFlag.TIERS)
        del r3
        gc.collect()
        # A context pointer where a result is expected is refused by ctypes.
        with self.assertRaises(ctypes.ArgumentError):
            self.ctx.library.servgap_result_count(self.ctx.handle, 1)


class TestRowsAndColumns(Case):
    """Rows name their ids, tables are sequences, times have datetimes, and
    every table exports by columns; all checked against the JSON report."""

    @classmethod
    def setUpClass(cls):
        cls.ctx = sample_context()
        cls.res = cls.ctx.query(flags=REPORT_FLAGS)
        cls.report = cls.res.json()

    @classmethod
    def tearDownClass(cls):
        cls.res.close()
        cls.ctx.close()

    def test_rows_name_their_ids_as_the_report_does(self):
        res, rep = self.res, self.report
        for c, j in zip(res.cells, rep["cells"]):
            self.assertEqual((c.scope, c.touchpoint_name, c.metric_name),
                             (j["scope"], j["touchpoint"], j["metric"]))
        for f, j in zip(res.findings, rep["priorities"]):
            self.assertEqual((f.scope, f.touchpoint_name, f.metric_name, list(f.account_names)),
                             (j["scope"], j["touchpoint"], j["metric"], j["affected_accounts"]))
        for t, j in zip(res.triggers, rep["triggers"]):
            self.assertEqual(t.account_name, j["account"])
        for r, j in zip(res.risk, rep["risk"]):
            self.assertEqual(r.account_name, j["account"])
        for q, j in zip(res.servqual, rep["servqual"]):
            self.assertEqual((q.scope, q.touchpoint_name), (j["scope"], j["touchpoint"]))
        for q, j in zip(res.ipa, rep["ipa"]):
            self.assertEqual((q.scope, q.touchpoint_name), (j["scope"], j["touchpoint"]))
        for b, j in zip(res.breakdowns, rep["breakdowns"]):
            self.assertEqual(b.facet_name, j["name"])
        series = [t for t in res.trends if t.window == 0]
        for t, j in zip(series, rep["trends"]):
            self.assertEqual((t.scope, t.touchpoint_name, t.metric_name),
                             (j["scope"], j["touchpoint"], j["metric"]))
        for p, j in zip(res.plans, rep["plans"]):
            self.assertEqual((p.scope, p.touchpoint_name, p.metric_name),
                             (j["scope"], j["touchpoint"], j["metric"]))
        self.assertEqual(len(series), len(rep["trends"]))
        plan = self.ctx.plan_info(0)
        self.assertEqual(plan.scope, rep["plans"][0]["scope"])
        acct = self.ctx.account_info("northwind-logistics")
        self.assertEqual(acct.tier_name, "enterprise")

    def test_names_after_the_context_is_closed(self):
        ctx = sample_context()
        res = ctx.query(flags=QueryFlag.TIERS)
        named = res.cells[0]
        ctx.close()
        self.assertEqual(named.scope, "tier:enterprise")  # rows keep their names
        self.assertEqual(res.cells[0].scope_name, "enterprise")  # asked before: remembered
        self.assertIsNone(res.cells[-1].metric_name if res.cells[-1].metric != ALL else None)
        with self.assertRaisesRegex(servgap.MisuseError, "the Context is closed"):
            res.columns("cells")
        res.close()

    def test_tables_are_sequences(self):
        res = self.res
        n = res.count(Table.CELLS)
        self.assertEqual(len(res), n)
        self.assertEqual(len(res.cells), n)
        self.assertEqual(res[-1].index, n - 1)
        self.assertEqual([c.index for c in res][:3], [0, 1, 2])
        self.assertEqual([c.index for c in res.cells[2:5]], [2, 3, 4])
        findings = res.findings
        self.assertEqual(len(findings), res.count("findings"))
        self.assertEqual(findings[-1].rank, len(findings))
        self.assertEqual([f.rank for f in findings()], list(range(1, len(findings) + 1)))
        self.assertEqual([f.rank for f in findings], [f.rank for f in findings()])
        with self.assertRaises(IndexError):
            findings[len(findings)]
        self.assertEqual(len(res.triggers), len(self.report["triggers"]))
        self.assertEqual(len(res.plans), len(self.report["plans"]))
        self.assertIn("findings: %d rows" % len(findings), repr(findings))
        self.assertEqual(res.cells(gaps=False)[0].gaps, ())
        self.assertEqual(len(res.cells[0].gaps), 7)
        with self.ctx.query_trends([], now=self.res.now) as empty:
            self.assertEqual(len(empty), 0)
            self.assertTrue(empty)  # a Result is true whatever its size

    def test_times_as_datetimes(self):
        res, rep = self.res, self.report
        utc = datetime.timezone.utc
        self.assertEqual(res.now_dt, datetime.datetime.fromisoformat(rep["now"]).replace(
            tzinfo=utc))
        self.assertEqual(res.window_dt, (None, None))
        for t, j in zip(res.triggers, rep["triggers"]):
            self.assertEqual(t.date_dt.date().isoformat(), j["date"])
            self.assertEqual(t.date_dt.tzinfo, utc)
        for p, j in zip(res.plans, rep["plans"]):
            deadline = j["deadline"]
            self.assertEqual(None if p.deadline_dt is None else p.deadline_dt.date().isoformat(),
                             deadline)
        trend = res.trends[0]
        self.assertEqual(trend.end_dt - trend.start_dt,
                         datetime.timedelta(days=self.ctx.get_option("window_days")))
        cell = res.cells[0]
        for vp in Viewpoint:
            span = cell.read(vp)
            dts = cell.read_dt(vp)
            self.assertEqual(dts, None if span is None else tuple(servgap.utc(t) for t in span))
        self.assertIsNone(servgap.utc(None))
        self.assertIsNone(servgap.utc(TIME_NONE))
        self.assertEqual(servgap.utc(T0), datetime.datetime(2026, 1, 1, tzinfo=utc))

    def test_long_cell_by_gap_columns_equal_the_report(self):
        cols = self.res.columns("gaps")
        n = len(self.report["cells"]) * len(GapType)
        self.assertTrue(all(len(c) == n for c in cols.values()))
        self.assertIsInstance(cols["value"], array.array)
        self.assertEqual(cols["value"].typecode, "d")
        self.assertEqual(cols["n_up"].typecode, "q")
        self.assertEqual(cols["significant"].typecode, "b")
        self.assertIsInstance(cols["gap"], list)
        for k in range(n):
            j = self.report["cells"][cols["cell"][k]]
            g = j["gaps"][cols["gap"][k]]
            self.assertEqual((cols["scope"][k], cols["touchpoint"][k], cols["metric"][k],
                              cols["dimension"][k], cols["classification"][k]),
                             (j["scope"], j["touchpoint"], j["metric"], j["dimension"],
                              j["classification"]))
            self.assertEqual((nan_to_none(cols["value"][k]), nan_to_none(cols["lo"][k]),
                              nan_to_none(cols["hi"][k]), cols["status"][k], cols["n_up"][k],
                              bool(cols["significant"][k]), bool(cols["paired"][k])),
                             (g["value"], g["ci"][0], g["ci"][1], g["status"], g["n_up"],
                              g["significant"], g["paired"]))

    def test_table_columns_equal_the_report(self):
        res, rep = self.res, self.report
        f = res.columns("findings")
        self.assertEqual(len(f["rank"]), len(rep["priorities"]))
        for k, j in enumerate(rep["priorities"]):
            self.assertEqual((f["rank"][k], f["scope"][k], f["gap"][k], f["quadrant"][k],
                              f["impact"][k], f["affected_accounts"][k],
                              None if math.isnan(f["root"][k]) else int(f["root"][k]) + 1),
                             (j["rank"], j["scope"], j["gap"], j["quadrant"], j["impact"],
                              len(j["affected_accounts"]), j["root"]))
        t = res.columns("triggers")
        self.assertEqual(list(zip(t["account"], t["kind"], t["detail"])),
                         [(j["account"], j["kind"], j["detail"]) for j in rep["triggers"]])
        r = res.columns("risk")
        self.assertEqual(list(zip(r["account"], r["risk"], r["churned"])),
                         [(j["account"], j["risk"], int(j["churned"])) for j in rep["risk"]])
        c = res.columns("cells")
        self.assertEqual(list(c["n_perceived"]), [j["n"]["perceived"] for j in rep["cells"]])
        b = res.columns("breakdowns")
        self.assertEqual(list(zip(b["scope"], b["metric"], b["name"], b["gap"])),
                         [(j["scope"], j["metric"], j["name"], j["gap"])
                          for j in rep["breakdowns"]])
        for table in ("servqual", "ipa", "trends", "plans"):
            cols = res.columns(table)
            self.assertEqual(len({len(v) for v in cols.values()}), 1, table)
            self.assertEqual(len(next(iter(cols.values()))), res.count(table), table)
        self.assertEqual(res.findings.columns()["rank"], f["rank"])
        self.assertEqual(res.cells.columns(long=True)["gap"][:7], [str(g) for g in GapType])
        with self.assertRaisesRegex(ValueError, "unknown table 'people'"):
            res.columns("people")


class TestPlans(Case):
    """The sample data's plans.csv, re-measured by a query with
    QueryFlag.PLANS, and plans with baseline windows through the binding."""

    @classmethod
    def setUpClass(cls):
        cls.ctx = sample_context()
        cls.res = cls.ctx.query(flags=QueryFlag.ALL | QueryFlag.PLANS)

    @classmethod
    def tearDownClass(cls):
        cls.res.close()
        cls.ctx.close()

    def test_sample_plans_outcomes(self):
        plans = self.res.plans()
        self.assertEqual(self.res.count(Table.PLANS), 5)
        self.assertEqual([p.plan for p in plans], [0, 1, 2, 3, 4])
        self.assertEqual([p.owner for p in plans],
                         ["Priya Raman", "Marcus Webb", "Dana Okafor", "Dana Okafor", "Sam Ito"])
        self.assertEqual([p.outcome for p in plans],
                         [Outcome.IMPROVED, Outcome.WORSENED, Outcome.UNCHANGED, Outcome.CLOSED,
                          Outcome.UNKNOWN])
        self.assertEqual([p.overdue for p in plans], [True, True, True, False, False])
        self.assertEqual([p.own_baseline for p in plans], [True, True, True, True, False])
        now = self.res.now
        for p in plans:
            self.assertEqual(p.follow_end, now)
            self.assertEqual(p.follow_start, now - 30 * DAY)
            self.assertEqual(p.next_check, now + 30 * DAY)
        # The worsened one: January against the last 30 days; its interval
        # lies below 0.
        w = plans[1]
        self.assertEqual((w.base_start, w.base_end), (T0, T0 + 31 * DAY))
        self.assertLess(w.hi, 0)
        self.assertAlmostEqual(w.change, w.followup - w.baseline)
        # The default baseline is the 30 days before the follow-up.
        self.assertEqual((plans[4].base_start, plans[4].base_end),
                         (now - 60 * DAY, now - 30 * DAY))
        self.assertEqual(plans[4].metric, ALL)
        self.assertEqual(plans[4].dimension, Dimension.RESPONSIVENESS)

    def test_rows_name_their_findings_and_match_json(self):
        plans, findings = self.res.plans(), self.res.findings()
        report = self.res.json()
        for p, j in zip(plans, report["plans"]):
            if p.finding is None:
                self.assertIsNone(j["finding"])
                continue
            f = findings[p.finding]
            self.assertEqual((f.scope_kind, f.scope_id, f.touchpoint, f.metric, f.gap),
                             (p.scope_kind, p.scope_id, p.touchpoint, p.metric, p.gap))
            self.assertEqual(j["finding"], p.finding + 1)
            self.assertEqual(j["owner"], p.owner)
            self.assertEqual(j["outcome"], servgap.outcome_name(p.outcome))
            self.assertEqual(j["overdue"], p.overdue)
            self.assertEqual(nan_to_none(p.change), j["change"])
        self.assertTrue(any(p.finding is not None for p in plans))

    def test_plan_add_with_a_baseline(self):
        with servgap.Context() as c:
            acme = c.account_define("acme", "gold", 1.0)
            email = c.intern(Kind.TOUCHPOINT, "email")
            a = c.plan_add("dana", Scope.ACCOUNT, acme, email, Dimension.RELIABILITY, "service",
                           "2026-03-01", -0.5, baseline=("2026-01-01", "2026-02-01"))
            b = c.plan_add("lee", Scope.ACCOUNT, acme, email, Dimension.RELIABILITY, "service",
                           None, -0.5)
            info = c.plan_info(a)
            self.assertEqual((info.baseline_from, info.baseline_to), (T0, T0 + 31 * DAY))
            info = c.plan_info(b)
            self.assertEqual((info.baseline_from, info.baseline_to), (None, None))
            with self.assertRaises(servgap.RangeError):
                c.plan_add("x", Scope.ACCOUNT, acme, email, 1, "service", None, 0,
                           baseline=(T0 + 3600, T0 + DAY))
            c.import_csv("plans", b"scope,touchpoint,metric,gap,owner,deadline,target\n"
                                  b"tier:gold,*,dim:empathy,knowledge,kim,2026-06-01,-1\n")
            self.assertEqual(c.plan_count(), 3)
            with c.query(flags=QueryFlag.PLANS) as r:
                rows = r.plans()
                self.assertEqual([x.owner for x in rows], ["dana", "lee", "kim"])
                # No data: the analysis date is 1970-01-01, before the first baseline ends.
                self.assertEqual([x.outcome for x in rows],
                                 [Outcome.NONE, Outcome.UNKNOWN, Outcome.UNKNOWN])
                self.assertIsNone(rows[1].deadline)
                self.assertFalse(rows[1].overdue)


class TestSnapshots(Case):
    @classmethod
    def setUpClass(cls):
        cls.ctx = sample_context()
        cls.snap = cls.ctx.snapshot_bytes()

    @classmethod
    def tearDownClass(cls):
        cls.ctx.close()

    def report(self, ctx):
        with ctx.query() as res:
            return res.json_bytes()

    def test_bytes_round_trip(self):
        self.assertIsInstance(self.snap, bytes)
        self.assertEqual(self.snap, self.ctx.snapshot_bytes())  # deterministic
        with servgap.Context.from_snapshot_bytes(self.snap) as b:
            self.assertEqual(b.snapshot_bytes(), self.snap)
            self.assertEqual(b.observation_count(), self.ctx.observation_count())
            self.assertEqual(self.report(b), self.report(self.ctx))
        for data in (bytearray(self.snap), memoryview(self.snap), memoryview(bytearray(self.snap))):
            with servgap.Context() as c:
                c.snapshot_load_bytes(data)
                self.assertEqual(c.snapshot_bytes(), self.snap)
        with servgap.Context() as empty:
            e = empty.snapshot_bytes()
            with servgap.Context.from_snapshot_bytes(e) as again:
                self.assertEqual(again.snapshot_bytes(), e)

    def test_file_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "state.sgap")
            self.ctx.snapshot_save(path)
            with open(path, "rb") as f:
                self.assertEqual(f.read(), self.snap)
            with servgap.Context() as b:
                b.snapshot_load(pathlib.Path(path))
                self.assertEqual(b.snapshot_bytes(), self.snap)
            with self.assertRaises(servgap.ServgapIOError):
                self.ctx.snapshot_load(os.path.join(d, "missing.sgap"))
            with self.assertRaises(servgap.ServgapIOError):
                self.ctx.snapshot_save(os.path.join(d, "no", "such", "dir.sgap"))

    def test_damaged_snapshots_are_rejected(self):
        with servgap.Context() as c:
            c.account_define("keep", None, 1)
            before = c.snapshot_bytes()
            damaged = bytearray(self.snap)
            damaged[len(damaged) // 2] ^= 0xFF
            for data in (bytes(damaged), self.snap[: len(self.snap) - 7], b"not a snapshot",
                         b""):
                with self.assertRaises(servgap.CorruptError) as cm:
                    c.snapshot_load_bytes(data)
                self.assertEqual(cm.exception.code, ErrorCode.ECORRUPT)
                self.assertIn("servgap_snapshot_load_buffer", cm.exception.message)
            self.assertEqual(c.snapshot_bytes(), before)

    def test_merge_equals_single_run(self):
        # Two handles with the observations split in two, merged, give the
        # same snapshot as one handle fed both halves in the same order.
        lines = (DATA / "observations.csv").read_bytes().splitlines(keepends=True)
        half = (len(lines) - 1) // 2
        parts = [lines[0] + b"".join(lines[1:half]), lines[0] + b"".join(lines[half:])]

        def handle(docs):
            ctx = servgap.Context()
            ctx.import_csv("metrics", DATA / "metrics.csv")
            ctx.import_csv("accounts", DATA / "accounts.csv")
            for doc in docs:
                ctx.import_csv("observations", doc)
            return ctx

        with handle(parts[:1]) as a, handle(parts[1:]) as b, handle(parts) as single:
            a.merge(b)
            self.assertEqual(a.snapshot_bytes(), single.snapshot_bytes())
            self.assertEqual(self.report(a), self.report(single))


class TestScaleOut(Case):
    """docs/scaling.md: partitions recorded in separate processes (spawn),
    shipped as snapshot bytes and merged, equal the single-process run."""

    def test_multiprocessing_merge_equals_single_process(self):
        sys.path.insert(0, str(EXAMPLES))
        try:
            import scale_out
        finally:
            sys.path.remove(str(EXAMPLES))  # scale_out.run puts its own directory back
        out = scale_out.run(str(DATA), workers=4, library=servgap.default_library().path)
        merged, single = out["merged"], out["single"]
        try:
            self.assertEqual(len(out["rows"]), 4)
            self.assertTrue(all(r > 0 for r in out["rows"]))
            # Together the partitions hold every data row of the file.
            lines = (DATA / "observations.csv").read_bytes().splitlines()
            self.assertEqual(sum(out["rows"]), len(lines) - 1)
            self.assertEqual(merged.observation_count(), single.observation_count())
            with merged.query() as m, single.query() as s:
                self.assertEqual(m.json_bytes(), s.json_bytes())
                self.assertEqual(m.json(), s.json())
                expected = s.json_bytes()
            # Partitions keep every group whole, so the merge order does not
            # matter either.
            with scale_out.reduce_snapshots(out["dictionary"], out["snapshots"][::-1],
                                            str(DATA)) as rev:
                self.assertEqual(scale_out.report(rev), expected)
            # The merged handle is, byte for byte, one handle fed the same
            # partitions in the same order (a snapshot keeps arrival order).
            header, rows = scale_out.read_observations(str(DATA))
            base = scale_out.dictionary(str(DATA), header, rows)
            with servgap.Context.from_snapshot_bytes(base) as seq:
                for doc in scale_out.partition(header, rows, 4):
                    seq.import_csv("observations", doc)
                scale_out.finish(seq, str(DATA))
                self.assertEqual(seq.snapshot_bytes(), merged.snapshot_bytes())
            # The dictionary interns names in the order they first appear in
            # the data, so ids, and the report byte for byte, equal those of
            # the C program's own single run.
            if REPORT:
                ref = subprocess.run([REPORT, "--data", str(DATA), "--json", "--level", "full"],
                                     stdout=subprocess.PIPE, check=True).stdout
                with merged.query(flags=REPORT_FLAGS) as m:
                    self.assertEqual(m.json_bytes(), ref)
        finally:
            merged.close()
            single.close()


class TestPackaging(Case):
    def test_the_wheel_holds_every_module_and_py_typed(self):
        import zipfile

        sys.path.insert(0, str(PKG_DIR / "_build"))
        try:
            import backend
        finally:
            sys.path.pop(0)
        here = os.getcwd()
        with tempfile.TemporaryDirectory() as d:
            os.chdir(PKG_DIR)  # PEP 517 hooks run at the project root
            try:
                name = backend.build_wheel(d)
            finally:
                os.chdir(here)
            with zipfile.ZipFile(os.path.join(d, name)) as wheel:
                files = set(wheel.namelist())
        modules = {"servgap/" + p.name for p in (PKG_DIR / "servgap").iterdir()
                   if p.suffix == ".py"}
        self.assertGreater(len(modules), 10)
        self.assertLessEqual(modules | {"servgap/py.typed"}, files)  # PEP 561: typed


class TestExamples(Case):
    def test_report_example_runs(self):
        script = EXAMPLES / "report.py"
        env = dict(os.environ, PYTHONPATH=str(PKG_DIR))
        out = subprocess.run([sys.executable, str(script), "--data", str(DATA), "--top", "3"],
                             env=env, stdout=subprocess.PIPE, universal_newlines=True,
                             check=True).stdout
        self.assertIn("== Top 3 of", out)
        self.assertIn("quick_win", out)
        self.assertIn("== SERVQUAL per tier", out)
        self.assertIn("enterprise", out)
        self.assertIn("== Review triggers", out)
        self.assertIn("ROC AUC", out)


class TestSummaries(Case):
    def test_halves_merge_into_the_whole(self):
        ctx = sample_context()
        self.addCleanup(ctx.close)
        cut = T0 + 150 * 86400
        early, late = ctx.summary_bytes(None, cut), ctx.summary_bytes(start=cut)
        a, b = servgap.Context(), servgap.Context()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        a.load_summary_bytes(early)
        a.load_summary_bytes(late)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "early.summary")
            with open(path, "wb") as f:
                f.write(early)
            b.load_summary(path)
        b.load_summary_bytes(late)
        # One load order, one summary; the numbers of the merged handle are
        # the single run's to rounding (tests/test_summary.c checks them).
        self.assertEqual(a.summary_bytes(), b.summary_bytes())
        whole, merged = ctx.query(), a.query()
        self.assertEqual(whole.count(Table.CELLS), merged.count(Table.CELLS))
        self.assertEqual(whole.count(Table.FINDINGS), merged.count(Table.FINDINGS))
        with self.assertRaises(servgap.CorruptError):
            a.load_summary_bytes(early[:-1])
        with self.assertRaises(servgap.InvalidError):
            a.snapshot_bytes()


class TestZCoverage(Case):
    """Runs last (classes run in name order): every declared C function was
    called through the binding by the tests above."""

    def test_every_c_function_was_called(self):
        expected = {t for t in _all_test_ids() if "TestZCoverage" not in t}
        if not expected <= TESTS_RUN:
            self.skipTest("only part of the suite ran")
        missing = sorted(set(_lib.PROTOTYPES) - set(CALLS))
        self.assertEqual(missing, [], "C functions never called through the binding")


def _all_test_ids():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    ids = set()

    def walk(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                walk(t)
            else:
                ids.add(t.id())

    walk(suite)
    return ids


if __name__ == "__main__":
    unittest.main()
