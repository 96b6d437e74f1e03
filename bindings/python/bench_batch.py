#!/usr/bin/env python3
"""Batch-recording throughput of the Python binding against C.

Records N observations (default 10,000,000) in batches of B through
``Context.record_batch`` with ``array('i')`` / ``array('q')`` /
``array('d')`` columns (memoryview slices: the zero-copy path), and runs
the C counterpart ``bench_batch_c`` on the same data, value for value (a
block of 100,000 rows from a 64-bit LCG, repeated). Each figure is the
median of R runs in one process; every run records into a fresh handle
whose accounts and touchpoints are defined outside the timed region.

    python3 bench_batch.py --c-bench build/bindings/python/bench_batch_c \
        [-n 10000000] [--batch 1024,8192,65536,1048576] [--runs 5]

Prints Python and C obs/s and the ratio Python / C per batch size. The
target is a ratio of at least 0.80 (at the default batch, 65,536). This is
a benchmark, not a test: it reports and exits 0 unless something fails.
``meson test --benchmark`` runs it (see meson.build).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from array import array

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servgap  # noqa: E402

BLOCK = 100_000
ACCOUNTS = 1000
TOUCHPOINTS = 4
T0 = 1767225600  # 2026-01-01
MASK = (1 << 64) - 1


def generate(n):
    """The columns of bench_batch_c.c's gen_block, repeated to n rows."""
    scope, tp, metric, vp = (array("i") for _ in range(4))
    value, tm = array("d"), array("q")
    s = 0x5EED5EED5EED
    for _ in range(BLOCK):
        s = (s * 6364136223846793005 + 1442695040888963407) & MASK
        scope.append((s >> 33) % ACCOUNTS)
        tp.append((s >> 20) % TOUCHPOINTS)
        metric.append((s >> 10) % 5)
        vp.append((s >> 5) % 7)
        value.append(float(1 + (s >> 40) % 7))
        tm.append(T0 + ((s >> 45) % 365) * 86400 + (s >> 13) % 86400)
    reps, rest = divmod(n, BLOCK)
    cols = []
    for col in (scope, tp, metric, vp, value, tm):
        full = col * reps
        full.extend(col[:rest])
        cols.append(full)
    return cols


def setup(lib):
    ctx = servgap.Context(lib)
    for a in range(ACCOUNTS):
        ctx.account_define("account-%04d" % a, "growth" if a % 3 else "enterprise", 1000.0 + a)
    for t in range(TOUCHPOINTS):
        ctx.intern(servgap.Kind.TOUCHPOINT, "touchpoint-%d" % t)
    return ctx


def run_python(lib, cols, n, batch):
    views = [memoryview(c) for c in cols]
    for c in cols:
        assert servgap.column_path(c, "double" if c.typecode == "d" else
                                   "int64" if c.typecode == "q" else "int32") == "view"
    ctx = setup(lib)
    try:
        scope, tp, metric, vp, value, tm = views
        record = ctx.record_batch
        t = time.perf_counter()
        for at in range(0, n, batch):
            end = at + batch
            record(scope[at:end], tp[at:end], metric[at:end], vp[at:end], value[at:end],
                   tm[at:end], no_copy=True)
        t = time.perf_counter() - t
        if ctx.observation_count() != n:
            raise SystemExit("bench_batch: recorded %d of %d" % (ctx.observation_count(), n))
        return t
    finally:
        ctx.close()
        for v in views:
            v.release()


def run_c(exe, n, batches, runs):
    out = subprocess.run([exe, str(n), ",".join(map(str, batches)), str(runs)],
                         check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    result = {}
    for line in out.splitlines():
        fields = dict(f.split("=", 1) for f in line.split()[1:])
        result[int(fields["batch"])] = float(fields["median_s"])
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--c-bench", default=os.environ.get("SERVGAP_BENCH_C"),
                    help="path of bench_batch_c (env SERVGAP_BENCH_C)")
    ap.add_argument("--library", default=None, help="libservgap path (else SERVGAP_LIBRARY, ...)")
    ap.add_argument("-n", type=int, default=10_000_000)
    ap.add_argument("--batch", default="65536,8192,1024,1048576")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    batches = [int(b) for b in args.batch.split(",")]
    lib = servgap.load_library(args.library)

    print("machine: %s, %s, %d CPUs; %s %s; libservgap %s (%s)" % (
        platform.machine(), _cpu_model(), os.cpu_count() or 0,
        platform.python_implementation(), platform.python_version(), servgap.version(), lib.path))
    t = time.perf_counter()
    cols = generate(args.n)
    print("data: %d observations, %d columns generated in %.1f s" % (
        args.n, len(cols), time.perf_counter() - t))

    # Per batch size, C then Python back to back, so that a change in the
    # machine's load affects both sides alike.
    print("%9s %14s %14s %8s" % ("batch", "python obs/s", "C obs/s", "py/C"))
    for b in batches:
        c_time = run_c(args.c_bench, args.n, [b], args.runs).get(b) if args.c_bench else None
        py = statistics.median(run_python(lib, cols, args.n, b) for _ in range(args.runs))
        py_rate = args.n / py
        if c_time:
            c_rate = args.n / c_time
            print("%9d %14.0f %14.0f %8.3f" % (b, py_rate, c_rate, py_rate / c_rate))
        else:
            print("%9d %14.0f %14s %8s" % (b, py_rate, "-", "-"))
        sys.stdout.flush()
    if not args.c_bench:
        print("(no --c-bench: C figures skipped)")
    print("target: python/C >= 0.80 at batch 65536")
    return 0


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
