#!/usr/bin/env python3
"""Scale-out, simulated on one machine: partitions recorded in separate
processes, shipped as snapshot bytes, merged by a reducer.

This is the shape of a Spark or Dask job (docs/scaling.md), with Python's
multiprocessing (spawn) standing in for the cluster:

1. The driver builds a small *dictionary* snapshot: the metrics, the
   accounts (with their tiers and values) and the touchpoint and team
   names, interned in the order they first appear in the data. It is
   broadcast to every worker, so that every handle gives a name the same
   id, and the ids are those a single run would give.
2. The observations are split into partitions by account (tier-wide rows
   by tier). A respondent's rows belong to one account, so every paired
   survey response stays within one partition, which the pairing needs;
   and every group of observations a statistic scans stays in one
   partition, in its original order.
3. Each worker (a separate process) restores the dictionary, imports its
   partition and returns ``snapshot_bytes()``: a portable byte string.
4. The reducer restores the dictionary, merges the partition snapshots
   (``snapshot_load_bytes``), adds the importance allocations and efforts,
   and queries. The report equals the single-process run, byte for byte.

    python3 examples/python/scale_out.py [--data examples/data] [--workers 4]

It prints the partition sizes, what crossed the process boundary, and
whether the merged report equals the single-process one (exit 1 if not).
tests/test_servgap.py imports this module and asserts the same.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
try:
    import servgap
except ImportError:  # running from a source checkout
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import servgap

DEFAULT_DATA = os.path.join(ROOT, "examples", "data")


def read_observations(data_dir):
    """(header line, data lines) of observations.csv, lines kept verbatim."""
    with open(os.path.join(data_dir, "observations.csv"), newline="", encoding="utf-8") as f:
        text = f.read()
    # Records never span lines in the sample data; a general job would
    # partition parsed rows and write them back with csv.writer.
    lines = text.splitlines(keepends=True)
    return lines[0], [line for line in lines[1:] if line.strip()]


def dictionary(data_dir, header, rows, library=None):
    """The broadcast snapshot: metrics, accounts, touchpoints and teams."""
    cols = next(csv.reader([header]))
    tp, team = cols.index("touchpoint"), cols.index("team")
    touchpoints, teams = {}, {}  # dicts keep first-appearance order
    for rec in csv.reader(rows):
        touchpoints.setdefault(rec[tp])
        teams.setdefault(rec[team])
    with servgap.Context(library) as ctx:
        ctx.import_csv("metrics", os.path.join(data_dir, "metrics.csv"))
        ctx.import_csv("accounts", os.path.join(data_dir, "accounts.csv"))
        for name in touchpoints:
            if name not in ("", "*"):
                ctx.intern("touchpoint", name)
        for name in teams:
            if name:
                ctx.intern("team", name)
        return ctx.snapshot_bytes()


def partition(header, rows, k):
    """k CSV documents (bytes), rows split by account, else by tier."""
    cols = next(csv.reader([header]))
    acc, tier = cols.index("account"), cols.index("tier")
    parts = [[header] for _ in range(k)]
    for line, rec in zip(rows, csv.reader(rows)):
        key = rec[acc] or "tier:" + rec[tier]
        parts[zlib.crc32(key.encode("utf-8")) % k].append(line)
    return ["".join(p).encode("utf-8") for p in parts]


def record_partition(task):
    """The worker: (library path, dictionary bytes, CSV bytes) -> snapshot
    bytes. Runs in its own process; nothing but bytes crosses back."""
    library, base, data = task
    if library is not None:
        servgap.load_library(library)
    with servgap.Context.from_snapshot_bytes(base) as ctx:
        ctx.import_csv("observations", data, name="partition.csv")
        return ctx.snapshot_bytes()


def finish(ctx, data_dir):
    """The tables that only the reducer needs (plans.csv when there is one)."""
    ctx.import_csv("importance", os.path.join(data_dir, "importance.csv"))
    ctx.import_csv("efforts", os.path.join(data_dir, "efforts.csv"))
    plans = os.path.join(data_dir, "plans.csv")
    if os.path.exists(plans):
        ctx.import_csv("plans", plans)


def reduce_snapshots(base, snapshots, data_dir, library=None):
    """The reducer: the dictionary, then every partition, then the rest."""
    ctx = servgap.Context.from_snapshot_bytes(base, library)
    for snap in snapshots:
        ctx.snapshot_load_bytes(snap)
    finish(ctx, data_dir)
    return ctx


def single_process(base, data_dir, library=None):
    """The reference: one handle, the same dictionary, the whole file."""
    ctx = servgap.Context.from_snapshot_bytes(base, library)
    ctx.import_csv("observations", os.path.join(data_dir, "observations.csv"))
    finish(ctx, data_dir)
    return ctx


def report(ctx):
    with ctx.query() as res:
        return res.json_bytes()


def run(data_dir=DEFAULT_DATA, workers=4, library=None, processes=True):
    """The whole simulation. Returns a dict with the partition sizes, the
    snapshot sizes, and the merged and single-process Contexts (the caller
    closes them)."""
    lib_path = library if library is not None else servgap.default_library().path
    header, rows = read_observations(data_dir)
    base = dictionary(data_dir, header, rows, library)
    parts = partition(header, rows, workers)
    tasks = [(lib_path, base, p) for p in parts]
    if processes:
        # Spawned workers import this module by name: they inherit sys.path,
        # so its directory must be on it (it is when run as a script).
        if HERE not in sys.path and __name__ != "__main__":
            sys.path.append(HERE)
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            snapshots = pool.map_async(record_partition, tasks).get(timeout=300)
    else:
        snapshots = [record_partition(t) for t in tasks]
    merged = reduce_snapshots(base, snapshots, data_dir, library)
    single = single_process(base, data_dir, library)
    return {
        "rows": [p.count(b"\n") - 1 for p in parts],
        "dictionary": base,
        "snapshots": snapshots,
        "dictionary_bytes": len(base),
        "snapshot_bytes": [len(s) for s in snapshots],
        "merged": merged,
        "single": single,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description="scale-out simulation (docs/scaling.md)")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--library", default=None, help="libservgap path (else SERVGAP_LIBRARY)")
    args = ap.parse_args(argv)
    out = run(args.data, args.workers, args.library)
    merged, single = out["merged"], out["single"]
    try:
        print("partitions (rows):        %s" % out["rows"])
        print("dictionary snapshot:      %d bytes, sent to every worker" % out["dictionary_bytes"])
        print("partition snapshots:      %s bytes" % out["snapshot_bytes"])
        print("observations, merged:     %d" % merged.observation_count())
        print("observations, single:     %d" % single.observation_count())
        same = report(merged) == report(single)
        print("JSON report merged == single process: %s" % ("yes" if same else "NO"))
        return 0 if same else 1
    finally:
        merged.close()
        single.close()


if __name__ == "__main__":
    sys.exit(main())
