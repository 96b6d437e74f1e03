#!/usr/bin/env python3
"""A short gap report on examples/data through the Python binding.

    SERVGAP_LIBRARY=build/libservgap.so.1 python3 examples/python/report.py \
        [--data examples/data] [--top 8] [--library PATH]

Imports the five CSV tables, runs one query over all the data and prints
the top findings (what to fix first), the SERVQUAL scores per tier over
all touchpoints, and the review triggers per account. The C program
examples/servgap-report prints the full report; this one shows the
binding's records: everything below is plain Python data.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
try:
    import servgap
except ImportError:  # running from a source checkout
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import servgap

from servgap import ALL, Dimension, Kind, Scope, Table  # noqa: E402

TABLES = ("metrics", "accounts", "observations", "importance", "efforts")  # in import order


def load(ctx, data_dir):
    for table in TABLES:
        ctx.import_csv(table, os.path.join(data_dir, table + ".csv"))


def scope_name(ctx, kind, id):
    if kind == Scope.TIER:
        return "tier:" + ctx.name(Kind.TIER, id)
    return ctx.name(Kind.ACCOUNT, id)


def metric_name(ctx, metric, dimension):
    return "%s (all)" % Dimension(dimension).name.lower() if metric == ALL else ctx.name(
        Kind.METRIC, metric)


def day(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date().isoformat()


def num(x, fmt="%+.2f"):
    return "-" if x is None or math.isnan(x) else fmt % x


def print_report(ctx, res, top, out=sys.stdout):
    w = out.write
    start, end = res.window
    w("libservgap %s: %d observations, %d cells, analysis date %s\n\n" % (
        servgap.version(), ctx.observation_count(), res.count(Table.CELLS), day(res.now)))

    findings = res.findings()
    w("== Top %d of %d findings: by quadrant, then impact per effort ==\n"
      % (min(top, len(findings)), len(findings)))
    w("%4s  %-13s %6s %6s  %-24s %-12s %-28s %-14s %7s\n" % (
        "rank", "quadrant", "impact", "effort", "scope", "touchpoint", "metric", "gap", "value"))
    for f in findings[:top]:
        tp = "*" if f.touchpoint == ALL else ctx.name(Kind.TOUCHPOINT, f.touchpoint)
        w("%4d  %-13s %6.1f %6.2f  %-24s %-12s %-28s %-14s %7s\n" % (
            f.rank, servgap.quadrant_name(f.quadrant), f.impact, f.effort,
            scope_name(ctx, f.scope_kind, f.scope_id), tp,
            metric_name(ctx, f.metric, f.dimension), servgap.gap_name(f.gap), num(f.value)))

    w("\n== SERVQUAL per tier, all touchpoints (P - E; negative is a shortfall) ==\n")
    dims = [d.name.lower()[:6] for d in Dimension]
    w("%-12s %s %10s %10s %9s %8s\n" % (
        "tier", " ".join("%7s" % d for d in dims), "unweighted", "weighted", "SERVPERF", "imp.gap"))
    for q in res.servqual():
        if q.scope_kind != Scope.TIER or q.touchpoint != ALL:
            continue
        w("%-12s %s %10s %10s %9s %8s\n" % (
            ctx.name(Kind.TIER, q.scope_id), " ".join("%7s" % num(g) for g in q.dimension_gap),
            num(q.unweighted), num(q.weighted), num(q.servperf, "%.2f"),
            num(q.importance_gap, "%.2f")))

    triggers = res.triggers()
    shown = [t for t in triggers if t.kind != servgap.TriggerKind.QUARTERLY_REVIEW]
    w("\n== Review triggers (%d, besides %d quarterly reviews) ==\n"
      % (len(shown), len(triggers) - len(shown)))
    for t in shown:
        w("  %-22s %-11s %s\n" % (ctx.name(Kind.ACCOUNT, t.account),
                                   servgap.trigger_name(t.kind), t.detail))
    auc = res.auc()
    w("\nrisk ranks %d churned against %d retained accounts with ROC AUC %s\n"
      % (auc.churned, auc.retained, num(auc.value, "%.3f")))


def main(argv=None):
    ap = argparse.ArgumentParser(description="a short gap report through the Python binding")
    ap.add_argument("--data", default=os.path.join(ROOT, "examples", "data"))
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--library", default=None, help="libservgap path (else SERVGAP_LIBRARY)")
    args = ap.parse_args(argv)
    if args.library:
        servgap.load_library(args.library)
    try:
        with servgap.Context() as ctx:
            load(ctx, args.data)
            with ctx.query() as res:
                print_report(ctx, res, args.top)
    except servgap.ServgapError as e:
        print("report.py: %s" % e.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
