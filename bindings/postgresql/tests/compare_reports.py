#!/usr/bin/env python3
"""compare_reports.py -- do two JSON reports (docs/formats.md) say the same?

    compare_reports.py EXPECTED.json ACTUAL.json [--rel 1e-12]

Structure must be equal and numbers equal within a relative tolerance
(default 1e-12). What may differ, and is normalized first:
  - key order and number spelling (jsonb keeps neither);
  - the order of rows that a report sorts by id: cells, breakdowns,
    servqual, ipa, triggers and risk. Ids follow the order names first
    arrive, which for servgap-report is the file's row order and for the
    extension is sorted by name (a table has no row order). Rows that
    refer to a cell by index (breakdowns, priorities) refer to it by its
    key (scope, touchpoint, metric, dimension) instead.
  - the order of findings of equal priority: ranks break such ties by id.
    The findings' (quadrant, priority) sequence in rank order must be
    equal; then findings, and the trends and plans that refer to one by
    rank (and a finding's root), are matched by the finding's key.
  - in a trigger's detail (English text), which of several equally large
    shortfalls it names: ties again. Touchpoint names in it are compared
    as one placeholder and its numbers as numbers.
A number matches when it is within the relative tolerance (default
1e-12), or within 1e-12 absolute: a value that cancels to zero (a
correlation of 1e-17, a difference of equal means) keeps only rounding
noise, which differs with the order of the additions. Exit status 0 when
equal, 1 with the first differences on stderr.
"""
import json
import re
import sys


def cell_key(c):
    return (c["scope"], c["touchpoint"], c["metric"], c["dimension"])


ABS = 1e-12
NUMBER = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)")


def detail_tokens(text, touchpoints):
    """The detail as words and numbers, touchpoint names made one word."""
    tokens = []
    for k, piece in enumerate(NUMBER.split(text)):
        if k % 2:
            tokens.append(float(piece))
            continue
        for name in touchpoints:
            piece = re.sub(r"\b%s\b" % re.escape(name), "<touchpoint>", piece)
        tokens.append(piece)
    return tokens


def finding_key(p):
    return (p["scope"], p["touchpoint"], p["metric"], p["dimension"], p["gap"],
            p["no_standard"])


def normalize_findings(report):
    """The findings by key; returns their (quadrant, priority) in rank order."""
    findings = report.get("priorities", [])
    keys = [finding_key(p) for p in findings]
    ranked = [(p["quadrant"], p["priority"]) for p in findings]
    for p in findings:
        p["root"] = None if p["root"] is None else keys[p["root"] - 1]
        del p["rank"]
    for row in report.get("trends", []) + report.get("plans", []):
        row["finding"] = None if row["finding"] is None else keys[row["finding"] - 1]
    report["priorities"] = sorted(findings, key=finding_key)
    report["trends"] = sorted(report.get("trends", []), key=lambda t: str(t["finding"]))
    return ranked


def normalize(report):
    ranked = normalize_findings(report)
    cells = report.get("cells", [])
    keys = [cell_key(c) for c in cells]
    report["cells"] = sorted(cells, key=cell_key)
    for b in report.get("breakdowns", []):
        b["cell"] = keys[b["cell"]]
    for p in report.get("priorities", []):
        p["cell"] = keys[p["cell"]]
    report["breakdowns"] = sorted(
        report.get("breakdowns", []),
        key=lambda b: (b["cell"], b["facet"], b["name"], b["viewpoint"], b["gap"]))
    orders = {
        "servqual": lambda r: (r["scope"], r["touchpoint"]),
        "ipa": lambda r: (r["scope"], r["touchpoint"], r["dimension"]),
        "triggers": lambda r: (r["account"], r["kind"], r["date"] or ""),
        "risk": lambda r: r["account"],
    }
    for table, key in orders.items():
        if table in report:
            report[table] = sorted(report[table], key=key)
    report["ranked"] = ranked
    touchpoints = {c["touchpoint"] for c in cells} - {"*"}
    for t in report.get("triggers", []):
        t["detail"] = detail_tokens(t["detail"], touchpoints)
    return report


def differences(a, b, path, rel, out):
    if len(out) >= 20:
        return
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        if a is not b and a != b:
            out.append(f"{path}: {a!r} != {b!r}")
        return
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if abs(a - b) > max(rel * max(abs(a), abs(b)), ABS):
            out.append(f"{path}: {a!r} != {b!r}")
        return
    if type(a) is not type(b) and not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        out.append(f"{path}: {type(a).__name__} != {type(b).__name__}")
        return
    if isinstance(a, dict):
        if set(a) != set(b):
            out.append(f"{path}: keys {sorted(set(a) ^ set(b))} differ")
            return
        for k in sorted(a):
            differences(a[k], b[k], f"{path}.{k}", rel, out)
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} rows != {len(b)} rows")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{i}]", rel, out)
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def main(argv):
    rel = 1e-12
    if "--rel" in argv:
        rel = float(argv[argv.index("--rel") + 1])
    with open(argv[1]) as f:
        expected = normalize(json.load(f))
    with open(argv[2]) as f:
        actual = normalize(json.load(f))
    out = []
    differences(expected, actual, "report", rel, out)
    if out:
        print(f"{argv[2]} differs from {argv[1]}:", *out, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
