#!/usr/bin/env python3
"""compare_rows.py -- do the extension's rows say what the JSON report says?

    compare_rows.py REFERENCE.json DIR

DIR holds findings.json, cells.json, triggers.json and risk.json: the rows
of servgap_findings, servgap_cells, servgap_triggers and servgap_risk as
json_agg gives them. REFERENCE.json is servgap-report --json on the same
data. Rows are matched by their names (the report's own keys), every
column is compared with its field in the report, numbers as in
compare_reports.py, and the findings' rank order is checked up to ties.
Exit status 0 when all agree, 1 with the first differences on stderr.
"""
import json
import os
import sys

from compare_reports import detail_tokens, differences


def scope(row):
    return f"{row['scope_kind']}:{row['scope']}"


def finding_key(scope_name, p):
    return (scope_name, p["touchpoint"], p["metric"], p["dimension"], p["gap"], p["no_standard"])


def findings(ref, rows):
    """Both sides as {key: fields}, and their (quadrant, priority) by rank."""
    ref_keys = [finding_key(p["scope"], p) for p in ref]
    row_keys = {r["rank"]: finding_key(scope(r), r) for r in rows}
    expected = {}
    for k, p in zip(ref_keys, ref):
        expected[k] = {f: p[f] for f in ("quadrant", "value", "normalized", "impact", "effort",
                                         "priority", "size_term", "value_share", "frequency",
                                         "affected_value", "persistent", "no_standard",
                                         "windows", "members", "members_value")}
        expected[k]["affected_accounts"] = len(p["affected_accounts"])
        expected[k]["root"] = None if p["root"] is None else ref_keys[p["root"] - 1]
    actual = {}
    for r in rows:
        fields = {f: r[f] for f in expected[next(iter(expected))] if f in r}
        fields["root"] = None if r["root_rank"] is None else row_keys[r["root_rank"]]
        actual[row_keys[r["rank"]]] = fields
    ranked = ([(p["quadrant"], p["priority"]) for p in ref],
              [(r["quadrant"], r["priority"]) for r in sorted(rows, key=lambda r: r["rank"])])
    return expected, actual, ranked


GAP_FIELDS = ("value", "normalized", "df", "n_up", "n_down", "status", "paired",
              "significant", "sufficient", "no_standard", "declaration_changed")


def cells(ref, rows):
    expected = {}
    for c in ref:
        for gap, g in c["gaps"].items():
            key = (c["scope"], c["touchpoint"], c["metric"], c["dimension"], gap)
            expected[key] = dict({f: g[f] for f in GAP_FIELDS}, lo=g["ci"][0], hi=g["ci"][1],
                                 classification=c["classification"])
    actual = {}
    for r in rows:
        # SQL keeps an infinite df (both sides exact); JSON has no infinity: null.
        if r["df"] == "Infinity":
            r["df"] = None
        key = (scope(r), r["touchpoint"], r["metric"], r["dimension"], r["gap"])
        actual[key] = {f: r[f] for f in GAP_FIELDS + ("lo", "hi", "classification")}
    return expected, actual


def triggers(ref, rows, touchpoints):
    def fields(t, lo, hi):
        return {"count": t["count"], "before": t["before"], "after": t["after"],
                "statistic": t["statistic"], "lo": lo, "hi": hi, "n_before": t["n_before"],
                "n_after": t["n_after"], "detail": detail_tokens(t["detail"], touchpoints)}
    expected = {(t["account"], t["kind"], t["date"]): fields(t, *t["ci"]) for t in ref}
    actual = {(t["account"], t["kind"], t["date"]): fields(t, t["lo"], t["hi"]) for t in rows}
    return expected, actual


RISK_FIELDS = ("risk", "windows", "with_shortfall", "findings", "worst_normalized", "value",
               "churned")


def main(argv):
    with open(argv[1]) as f:
        ref = json.load(f)
    rows = {}
    for name in ("findings", "cells", "triggers", "risk"):
        with open(os.path.join(argv[2], name + ".json")) as f:
            rows[name] = json.load(f)
    touchpoints = {c["touchpoint"] for c in ref["cells"]} - {"*"}
    out = []
    expected, actual, ranked = findings(ref["priorities"], rows["findings"])
    differences(expected, actual, "findings", 1e-12, out)
    differences(ranked[0], ranked[1], "findings in rank order", 1e-12, out)
    expected, actual = cells(ref["cells"], rows["cells"])
    differences(expected, actual, "cells", 1e-12, out)
    expected, actual = triggers(ref["triggers"], rows["triggers"], touchpoints)
    differences(expected, actual, "triggers", 1e-12, out)
    differences({r["account"]: {f: r[f] for f in RISK_FIELDS} for r in ref["risk"]},
                {r["account"]: {f: r[f] for f in RISK_FIELDS} for r in rows["risk"]},
                "risk", 1e-12, out)
    if out:
        print("rows differ from the report:", *out, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
