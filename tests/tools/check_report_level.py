"""check_report_level -- the summary level of the JSON report against the
full level of the same data (docs/formats.md, "Report levels").

Usage: python3 check_report_level.py PATH_TO_json_report

Runs json_report twice, at the full level and with --summary, and checks
what a reader of the summary relies on: it says "level": "summary"; its
cells are exactly the full report's cells of tiers, each the same object
with its index in the full report as "id"; its SERVQUAL, IPA and breakdown
rows are exactly the full report's rows of tiers (breakdowns: of tier
cells), in the same order; every other table and field is identical; every
"cell" a row points at is a cell of the summary, or an account cell whose
row (a finding) carries its own scope; and it is smaller. Standard library
only.
"""
import json
import subprocess
import sys


def fail(msg):
    print("check_report_level: " + msg, file=sys.stderr)
    sys.exit(1)


def report(exe, *args):
    out = subprocess.run([exe, *args], stdout=subprocess.PIPE, check=True).stdout
    return out, json.loads(out)


def is_tier(row):
    return row["scope"].startswith("tier:")


def main():
    exe = sys.argv[1]
    full_bytes, full = report(exe)
    sum_bytes, summ = report(exe, "--summary")
    if "level" in full:
        fail("the full report carries a level")
    if summ.get("level") != "summary":
        fail('the summary does not say "level": "summary"')
    keys = [k for k in summ if k != "level"]
    if keys != list(full):
        fail("the summary's fields %s differ from the full report's %s" % (keys, list(full)))
    want_cells = [dict(id=i, **c) for i, c in enumerate(full["cells"]) if is_tier(c)]
    if summ["cells"] != want_cells:
        fail("the summary's cells are not the full report's tier cells with their ids")
    if not want_cells or len(want_cells) == len(full["cells"]):
        fail("the data has no tier cells, or no account cells: the test proves nothing")
    tier_cells = {c["id"] for c in want_cells}
    expect = {
        "servqual": [q for q in full["servqual"] if is_tier(q)],
        "ipa": [q for q in full["ipa"] if is_tier(q)],
        "breakdowns": [b for b in full["breakdowns"] if b["cell"] in tier_cells],
    }
    for name, rows in expect.items():
        if summ[name] != rows:
            fail("the summary's %s are not the full report's rows of tiers" % name)
        if len(rows) == len(full[name]):
            fail("the full report's %s are all of tiers: the test proves nothing" % name)
    for name in full:
        if name not in expect and name != "cells" and summ[name] != full[name]:
            fail("the summary's %r differs from the full report's" % name)
    for f in summ["priorities"]:
        if f["cell"] not in tier_cells and not f["scope"].startswith("account:"):
            fail("finding %d points at cell %d, which the summary lacks" % (f["rank"], f["cell"]))
    if not len(sum_bytes) < len(full_bytes):
        fail("the summary (%d bytes) is not smaller than the full report (%d)"
             % (len(sum_bytes), len(full_bytes)))
    print("summary %d bytes, full %d bytes" % (len(sum_bytes), len(full_bytes)))


if __name__ == "__main__":
    main()
