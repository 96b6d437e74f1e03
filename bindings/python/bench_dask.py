#!/usr/bin/python3
"""bench_dask.py: servgap.dask on a LocalCluster against one process, at
three sizes (docs/scaling.md, "Figures"). Not part of the gate.

    SERVGAP_LIBRARY=$PWD/build/libservgap.so.1 PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/bench_dask.py [--k 1 8 32] [--repeat 3] \\
        [--dir /tmp/sg-bench]

The data has bench_summary.c's shape: 200 accounts in two tiers, 3
touchpoints, 365 days; per account, touchpoint and day, k tickets'
resolution hours (by one of two teams) and k perceived answers, so
438,000 x k observations, written once as 8 CSV files split by account
(kept in --dir for the next run). Each measurement runs in a fresh child
process, so that its peak RSS (VmHWM) is its own:

- one process: a Context imports the 8 files and runs a whole-year query;
- Dask: the client starts a LocalCluster (2 worker processes, one thread
  each, TCP), runs servgap.dask.summarize on the 8 paths (split_every 4:
  two nodes, then the root), loads the root summary and runs the same
  query. The client's peak RSS is measured before the job and after it
  (the scheduler runs in the client process too);
- the reducer alone: a process that loads the dictionary and the 8
  partitions' summaries (written beforehand, unmeasured, by the same
  worker function on the Dask job's dictionary) into one Context and runs
  the same query: its time and peak RSS are what a single reducer needs.

Every time is the median of --repeat runs (each a fresh child); peak RSS
is the largest of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Dict, List

ACCOUNTS, TOUCHPOINTS, DAYS, FILES = 200, ("email", "chat", "phone"), 365, 8
T0 = 1767225600  # 2026-01-01 UTC
DEFS = {
    "metrics": b"metric,dimension,direction,min,max,span,unit\n"
               b"resolution_hours,responsiveness,lower,0,,48,h\n",
    "importance": b"scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
                  b"tier:gold,customer,10,30,30,20,10\n",
    "efforts": b"gap,touchpoint,metric,effort\ndelivery,*,*,2\n",
}


def accounts_csv() -> bytes:
    rows = ["account,tier,value"]
    rows += ["a%03d,%s,%d" % (a, ("gold", "silver")[a % 2], 1000 * (a + 1))
             for a in range(ACCOUNTS)]
    return ("\n".join(rows) + "\n").encode()


def write_data(directory: str, k: int) -> List[str]:
    """The 8 files of size k (account a in file a mod 8), unless there."""
    paths = [os.path.join(directory, "k%d-%d.csv" % (k, f)) for f in range(FILES)]
    if all(os.path.exists(p) for p in paths):
        return paths
    os.makedirs(directory, exist_ok=True)
    r = random.Random(k)
    header = "time,account,tier,touchpoint,metric,viewpoint,value,team\n"
    for f, path in enumerate(paths):
        with open(path + ".tmp", "w") as out:
            out.write(header)
            for a in range(f, ACCOUNTS, FILES):
                tier = ("gold", "silver")[a % 2]
                for day in range(DAYS):
                    t = T0 + day * 86400
                    for tp in TOUCHPOINTS:
                        team = ("red", "blue")[r.getrandbits(1)]
                        lines = []
                        for i in range(k):
                            lines.append("%d,a%03d,%s,%s,resolution_hours,delivered,%.2f,%s\n"
                                         % (t + i, a, tier, tp, 72 * r.random(), team))
                            lines.append("%d,a%03d,%s,%s,reliability,perceived,%d,%s\n"
                                         % (t + i, a, tier, tp, r.randint(1, 7), team))
                        out.write("".join(lines))
        os.replace(path + ".tmp", path)
    return paths


def peak_mib() -> float:
    """This process's peak RSS: VmHWM, which starts afresh at exec (Linux's
    ru_maxrss keeps the peak of the process that forked it)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_single(paths: List[str]) -> Dict[str, float]:
    import servgap

    t = time.perf_counter()
    with servgap.Context() as ctx:
        ctx.import_csv("metrics", DEFS["metrics"])
        ctx.import_csv("accounts", accounts_csv())
        for p in paths:
            ctx.import_csv("observations", p)
        ctx.import_csv("importance", DEFS["importance"])
        ctx.import_csv("efforts", DEFS["efforts"])
        n = ctx.observation_count()
        with ctx.query() as res:
            cells = len(res.json()["cells"])
    return {"seconds": time.perf_counter() - t, "peak_mib": peak_mib(), "observations": n,
            "cells": cells}


def run_dask(paths: List[str]) -> Dict[str, float]:
    import distributed
    import servgap.dask as sdask

    defs = dict(DEFS, accounts=accounts_csv())
    t = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  protocol="tcp://", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        started = time.perf_counter()
        before = peak_mib()
        done = sdask.summarize(client, paths, defs, split_every=4)
        summarized = time.perf_counter()
        with sdask.context(done, defs) as ctx, ctx.query() as res:
            cells = len(res.json()["cells"])
        end = time.perf_counter()
        workers = client.run(peak_mib)
    with open(paths[0] + ".dictionary", "wb") as f:
        f.write(done.dictionary)
    return {"start_seconds": started - t, "summarize_seconds": summarized - started,
            "seconds": end - started, "peak_mib_before": before, "peak_mib": peak_mib(),
            "worker_peak_mib": max(workers.values()), "summary_bytes": len(done.summary),
            "observations": sum(r.observations for r in done.imports), "cells": cells}


def leaf_paths(paths: List[str]) -> List[str]:
    return [p + ".summary" for p in paths]


def write_leaves(paths: List[str]) -> None:
    """The partitions' summaries, as the Dask job's workers write them (the
    same function, on the job's dictionary): the reducer's input."""
    import servgap.dask as sdask

    with open(paths[0] + ".dictionary", "rb") as f:
        dictionary = f.read()
    for p, out in zip(paths, leaf_paths(paths)):
        summary, _ = sdask._summarize(p, None, dictionary, {}, (None, None), False, None)
        with open(out, "wb") as f:
            f.write(summary)


def run_reduce(paths: List[str]) -> Dict[str, float]:
    import servgap

    with open(paths[0] + ".dictionary", "rb") as f:
        dictionary = f.read()
    leaves = []
    for p in leaf_paths(paths):
        with open(p, "rb") as f:
            leaves.append(f.read())
    before = peak_mib()
    t = time.perf_counter()
    with servgap.Context() as ctx:
        ctx.snapshot_load_bytes(dictionary)
        for leaf in leaves:
            ctx.load_summary_bytes(leaf)
        with ctx.query() as res:
            cells = len(res.json()["cells"])
    return {"seconds": time.perf_counter() - t, "peak_mib": peak_mib(),
            "peak_mib_before": before, "summary_bytes": sum(len(x) for x in leaves),
            "cells": cells}


def child(mode: str, paths: List[str]) -> Dict[str, float]:
    """One measurement in a fresh interpreter: its own peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--child", mode] + paths,
                         stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default="/tmp/servgap-bench-dask")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, paths = args.child[0], args.child[1:]
        if mode == "leaves":
            write_leaves(paths)
            print("{}")
            return 0
        run = {"single": run_single, "dask": run_dask, "reduce": run_reduce}[mode]
        print(json.dumps(run(paths)))
        return 0
    print("machine: %s, %d cores (os.cpu_count); median of %d runs"
          % (os.uname().machine, os.cpu_count(), args.repeat))
    print("| k | observations | one process | peak RSS | Dask (+ cluster start) | "
          "Dask / one | client peak RSS (before job) | worker peak RSS | reducer alone | "
          "reducer peak RSS (before load) | leaf summaries | cells equal |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for k in args.k:
        paths = write_data(args.dir, k)
        singles = [child("single", paths) for _ in range(args.repeat)]
        dasks = [child("dask", paths) for _ in range(args.repeat)]
        child("leaves", paths)
        reduces = [child("reduce", paths) for _ in range(args.repeat)]

        def med(runs: List[Dict[str, float]], key: str) -> float:
            return statistics.median(r[key] for r in runs)

        def top(runs: List[Dict[str, float]], key: str) -> float:
            return max(r[key] for r in runs)

        n = singles[0]["observations"]
        same = all(r["cells"] == singles[0]["cells"] for r in dasks + reduces) and all(
            d["observations"] == n for d in dasks)
        print("| %d | %s | %.2f s | %.0f MiB | %.2f s (+%.1f s) | %.1f | %.0f MiB (%.0f) | %.0f MiB "
              "| %.2f s | %.0f MiB (%.0f) | %.1f MB, %.2f B/obs | %s |" % (
                  k, format(n, ","), med(singles, "seconds"), top(singles, "peak_mib"),
                  med(dasks, "seconds"), med(dasks, "start_seconds"),
                  med(dasks, "seconds") / med(singles, "seconds"), top(dasks, "peak_mib"),
                  med(dasks, "peak_mib_before"), top(dasks, "worker_peak_mib"),
                  med(reduces, "seconds"), top(reduces, "peak_mib"),
                  med(reduces, "peak_mib_before"), reduces[0]["summary_bytes"] / 1e6,
                  reduces[0]["summary_bytes"] / n, "yes" if same else "NO"),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
