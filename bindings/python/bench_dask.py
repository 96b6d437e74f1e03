#!/usr/bin/python3
"""bench_dask.py: servgap.dask on a LocalCluster against one process, at
three sizes (docs/scaling.md, "Figures"). Not part of the gate.

    SERVGAP_LIBRARY=$PWD/build/libservgap.so.1 PYTHONPATH=bindings/python \\
        /usr/bin/python3 bindings/python/bench_dask.py [--k 2 8 32] [--dir /tmp/sg-bench]

The data has bench_summary.c's shape: 200 accounts in two tiers, 3
touchpoints, 365 days; per account, touchpoint and day, k tickets'
resolution hours (by one of two teams) and k perceived answers, so
438,000 x k observations, written once as 8 CSV files split by account
(kept in --dir for the next run). Each measurement runs in a fresh child
process, so that its peak RSS (ru_maxrss) is its own:

- one process: a Context imports the 8 files and runs a whole-year query;
- Dask: the client starts a LocalCluster (2 worker processes, one thread
  each, TCP), runs servgap.dask.summarize on the 8 paths (split_every 4:
  two nodes, then the root), loads the root summary and runs the same
  query. The client's peak RSS is the reducer's (the scheduler runs in
  the client process too), measured before the job and after it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


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
        workers = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    return {"start_seconds": started - t, "summarize_seconds": summarized - started,
            "seconds": end - started, "peak_mib_before": before, "peak_mib": peak_mib(),
            "worker_peak_mib": max(workers.values()), "summary_bytes": len(done.summary),
            "observations": sum(r.observations for r in done.imports), "cells": cells}


def child(mode: str, paths: List[str]) -> Dict[str, float]:
    """One measurement in a fresh interpreter: its own peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--child", mode] + paths,
                         stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, nargs="+", default=[2, 8, 32])
    ap.add_argument("--dir", default="/tmp/servgap-bench-dask")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, paths = args.child[0], args.child[1:]
        print(json.dumps(run_single(paths) if mode == "single" else run_dask(paths)))
        return 0
    print("| k | observations | one process: time | peak RSS | Dask: time | client peak RSS "
          "(before job) | worker peak RSS | summary | cells equal |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for k in args.k:
        paths = write_data(args.dir, k)
        s, d = child("single", paths), child("dask", paths)
        n = s["observations"]
        print("| %d | %s | %.1f s | %.0f MiB | %.1f s (+%.1f s start) | %.0f MiB (%.0f) | %.0f MiB "
              "| %.1f MB, %.2f B/obs | %s |" % (
                  k, format(n, ","), s["seconds"], s["peak_mib"], d["seconds"],
                  d["start_seconds"], d["peak_mib"], d["peak_mib_before"], d["worker_peak_mib"],
                  d["summary_bytes"] / 1e6, d["summary_bytes"] / n,
                  "yes" if s["cells"] == d["cells"] and d["observations"] == n else "NO"),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
