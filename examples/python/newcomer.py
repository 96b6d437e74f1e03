#!/usr/bin/env python3
"""A first session with the servgap Python package, on the sample data.

    SERVGAP_LIBRARY=build/libservgap.so.1 python3 examples/python/newcomer.py \
        [--data examples/data] [--out DIR] [--top 5]

It imports the six tables of examples/data, runs one query, and shows:

1. the top priorities per tier (the tier's own findings and its accounts'),
   in rank order, with names rather than ids;
2. the review triggers (renewals, CSAT spikes, migrations, hidden gaps);
3. the JSON report, written to DIR/report.json: the bytes of
   ``servgap-report --data examples/data --json --level full``;
4. the cells in the long cell-by-gap form, as a pandas DataFrame when
   pandas is installed (Debian: python3-pandas; otherwise from
   ``Result.columns``, standard library only), written to DIR/gaps.csv,
   and the worst shortfall per tier and gap type from it.

tests: examples/python/test_newcomer.py runs it and checks every output.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from typing import Dict, List, Optional, TextIO

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
try:
    import servgap
except ImportError:  # running from a source checkout
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import servgap

from servgap import QueryFlag, Scope, TriggerKind  # noqa: E402

# Tables that define names come before the tables that use them, and in
# servgap-report's order: names get their ids in order of first use, and the
# report lists touchpoints by id.
TABLES = ("metrics", "accounts", "observations", "importance", "efforts", "plans")
# What servgap-report --json --level full asks for: everything, trends and plans.
FLAGS = QueryFlag.ALL | QueryFlag.TRENDS | QueryFlag.PLANS


def load(ctx: servgap.Context, data: str) -> None:
    for table in TABLES:
        # strict: a misspelt column is an error rather than a column ignored.
        ctx.import_csv(table, os.path.join(data, table + ".csv"), strict=True)


def tier_of(ctx: servgap.Context, finding: servgap.Finding) -> Optional[str]:
    if finding.scope_kind == Scope.TIER:
        return finding.scope_name
    return ctx.account_info(finding.scope_id).tier_name


def top_per_tier(ctx: servgap.Context, res: servgap.Result,
                 top: int) -> Dict[str, List[servgap.Finding]]:
    tops: Dict[str, List[servgap.Finding]] = {name: [] for name in ctx.names("tier")}
    for f in res.findings:  # rank order
        rows = tops[tier_of(ctx, f)]
        if len(rows) < top:
            rows.append(f)
    return tops


def print_priorities(tops: Dict[str, List[servgap.Finding]], out: TextIO) -> None:
    for tier, findings in tops.items():
        out.write("== Top %d priorities, tier %s ==\n" % (len(findings), tier))
        for f in findings:
            out.write("%4d  %-13s impact %5.1f  effort %4.1f  %-26s %-11s %-22s %-13s %+.2f\n" % (
                f.rank, f.quadrant, f.impact, f.effort, f.scope, f.touchpoint_name,
                f.metric_name if f.metric_name != "*" else "dim:%s" % f.dimension, f.gap,
                f.value))
        out.write("\n")


def print_triggers(res: servgap.Result, out: TextIO) -> None:
    triggers = [t for t in res.triggers if t.kind != TriggerKind.QUARTERLY_REVIEW]
    out.write("== Review triggers: %d (besides quarterly reviews) ==\n" % len(triggers))
    for t in triggers:
        out.write("%-22s %-10s %s  %s\n" % (t.account_name, t.kind, t.date_dt.date(), t.detail))
    out.write("\n")


def gap_table(res: servgap.Result, path: str, out: TextIO) -> None:
    """The long cell-by-gap table: a DataFrame with pandas, else columns."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        return gap_columns(res, path, out)
    df = res.to_pandas("gaps")
    df.to_csv(path, index=False)
    shortfalls = df[df["status"] == "shortfall"]
    worst = shortfalls[shortfalls["scope_kind"] == "tier"].pivot_table(
        index="scope", columns="gap", values="value", aggfunc="min", observed=True)
    out.write("== Cells by gap: a pandas DataFrame of %d rows x %d columns ==\n"
              % (len(df), len(df.columns)))
    out.write("worst shortfall per tier and gap type:\n%s\n" % worst.round(2).to_string())


def gap_columns(res: servgap.Result, path: str, out: TextIO) -> None:
    cols = res.columns("gaps")
    rows = len(cols["cell"])
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        w.writerows(zip(*cols.values()))
    worst: Dict[tuple, float] = {}
    for k in range(rows):
        if cols["status"][k] == "shortfall" and cols["scope_kind"][k] == "tier":
            key = (cols["scope"][k], cols["gap"][k])
            worst[key] = min(worst.get(key, 0.0), cols["value"][k])
    out.write("== Cells by gap: columns (pandas is not installed) of %d rows x %d columns ==\n"
              % (rows, len(cols)))
    out.write("worst shortfall per tier and gap type:\n")
    for (scope, gap), value in sorted(worst.items()):
        out.write("  %-18s %-14s %+.2f\n" % (scope, gap, value))


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="a first session with the servgap package")
    ap.add_argument("--data", default=os.path.join(ROOT, "examples", "data"))
    ap.add_argument("--out", default=".", help="where report.json and gaps.csv go")
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args(argv)
    out = sys.stdout
    try:
        with servgap.Context() as ctx:
            load(ctx, args.data)
            with ctx.query(flags=FLAGS) as res:
                out.write("libservgap %s: %d observations, %d cells, analysis date %s\n\n" % (
                    servgap.version(), ctx.observation_count(), len(res), res.now_dt.date()))
                print_priorities(top_per_tier(ctx, res, args.top), out)
                print_triggers(res, out)
                size = res.write_json(os.path.join(args.out, "report.json"))
                out.write("== JSON report: %d bytes in %s ==\n\n"
                          % (size, os.path.join(args.out, "report.json")))
                gap_table(res, os.path.join(args.out, "gaps.csv"), out)
    except servgap.ServgapError as e:
        print("newcomer.py: %s" % e.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
