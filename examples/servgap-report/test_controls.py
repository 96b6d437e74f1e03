#!/usr/bin/env python3
"""test_controls.py -- names that try to drive the terminal, run by meson test.

    python3 test_controls.py PROGRAM

Feeds servgap-report CSV tables whose account, tier, touchpoint and metric
names and unit hold ESC sequences, BEL, CR, DEL, a C1 control (U+009B, CSI
on terminals that read C1) and backslashes, and checks the raw bytes the
program writes: the text report, its messages on stderr and the SVG hold no
control character but the newline, each control shows as its escape
(README.md, "Names on a terminal"), a backslash is doubled, and columns are
padded by the escaped text. The JSON report keeps the names as given (JSON
escapes them itself). Standard library only.
"""

import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

ACCOUNT = "evil\x1b[2J\x1b[31mFAKE all clear\r"
TIER = "gold\x07\\x41"  # BEL, then a backslash that must not read as an escape
TOUCHPOINT = "t\x01"
METRIC = "wait\x7f\u009b1m"
UNIT = "\u00b0C\x1b]0;pwned\x07"
SHOWN = {
    ACCOUNT: "evil\\x1b[2J\\x1b[31mFAKE all clear\\x0d",
    TIER: "gold\\x07\\\\x41",
    TOUCHPOINT: "t\\x01",
    METRIC: "wait\\x7f\\u009b1m",
    UNIT: "\u00b0C\\x1b]0;pwned\\x07",
}
# C0 controls but LF, DEL, and C1 controls encoded in UTF-8.
CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")

import checks  # noqa: E402
from checks import check, failures  # noqa: E402


def run(prog, *args):
    return checks.run(prog, *args, text=False)


def quoted(s):
    return '"' + s.replace('"', '""') + '"'


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def tables(tmp):
    """metrics, accounts and observations: a delivery shortfall of ACCOUNT
    at TOUCHPOINT on METRIC, in TIER."""
    m, a, o = (os.path.join(tmp, n) for n in ("m.csv", "a.csv", "o.csv"))
    write(m, "metric,dimension,direction,min,max,span,unit\n%s,responsiveness,higher,1,7,,%s\n"
          % (quoted(METRIC), quoted(UNIT)))
    write(a, "account,tier,value,renewal\n%s,%s,1000,2026-02-01\n" % (quoted(ACCOUNT), quoted(TIER)))
    rows = ["time,account,tier,touchpoint,metric,viewpoint,value",
            "2026-01-01,,%s,%s,%s,standard,6" % (quoted(TIER), quoted(TOUCHPOINT), quoted(METRIC))]
    for day, v in ((2, 2), (3, 3), (4, 2), (5, 3)):
        rows.append("2026-01-0%d,%s,%s,%s,%s,delivered,%d"
                    % (day, quoted(ACCOUNT), quoted(TIER), quoted(TOUCHPOINT), quoted(METRIC), v))
    write(o, "\n".join(rows) + "\n")
    return m, a, o


def no_controls(data, what):
    bad = sorted({m.group() for m in CONTROL.finditer(data)})
    check(not bad, "%s: no control character but the newline" % what, repr(bad))


def test_text(prog, tmp):
    m, a, o = tables(tmp)
    for by in ("tier", "account"):
        p = run(prog, "--metrics", m, "--accounts", a, "--by", by, "--priorities", "0",
                "--now", "2026-01-10", o)
        what = "text report --by %s" % by
        if not check(p.returncode == 0, what + ": exit 0", p.stderr.decode("utf-8", "replace")):
            continue
        no_controls(p.stdout, what)
        text = p.stdout.decode("utf-8")
        for name, shown in SHOWN.items():
            check(shown in text, "%s: %r shows as %s" % (what, name, shown))
        # The touchpoint column is 12 wide: 't\x01' (5 characters shown)
        # takes 7 spaces of padding and one between columns.
        check(re.search(r"^  %s {8}%s" % (re.escape(SHOWN[TOUCHPOINT]), re.escape(SHOWN[METRIC])),
                        text, re.M) is not None,
              "%s: a column is padded by the escaped text" % what)


def test_stderr(prog, tmp):
    bad_metric, column = "m\x1b[2J", "col\x1b]0;x\x07"
    bad, extra = os.path.join(tmp, "bad.csv"), os.path.join(tmp, "extra.csv")
    write(bad, "time,account,tier,touchpoint,metric,viewpoint,value\n"
          "2026-01-01,,t,e,%s,standard,6\n" % quoted(bad_metric))
    write(extra, "time,account,tier,touchpoint,metric,viewpoint,value,%s\n"
          "2026-01-01,,t,e,reliability,standard,6,\n" % quoted(column))
    p = run(prog, bad)
    check(p.returncode == 1, "bad metric: exit 1 (got %d)" % p.returncode)
    no_controls(p.stderr, "bad metric: stderr")
    err = p.stderr.decode("utf-8")
    check("'m\\x1b[2J'" in err, "bad metric: the message names it escaped", err)
    p = run(prog, extra)
    check(p.returncode == 0, "unknown column: exit 0 (got %d)" % p.returncode)
    no_controls(p.stderr, "unknown column: stderr")
    err = p.stderr.decode("utf-8")
    check("col\\x1b]0;x\\x07" in err, "unknown column: the warning names it escaped", err)


def test_svg(prog, tmp):
    m, a, o = tables(tmp)
    svg = os.path.join(tmp, "m.svg")
    p = run(prog, "--metrics", m, "--accounts", a, "--svg", svg, o)
    if not check(p.returncode == 0, "svg: exit 0", p.stderr.decode("utf-8", "replace")):
        return
    with open(svg, "rb") as f:
        data = f.read()
    no_controls(data, "svg")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        check(False, "svg: well-formed", str(e))
        return
    texts = "\n".join("".join(t.itertext()) for t in root.iter())
    for name in (ACCOUNT, TIER, TOUCHPOINT, METRIC):
        check(SHOWN[name] in texts, "svg: %r shows as %s" % (name, SHOWN[name]))


def test_json(prog, tmp):
    m, a, o = tables(tmp)
    p = run(prog, "--metrics", m, "--accounts", a, "--json", o)
    if not check(p.returncode == 0, "json: exit 0", p.stderr.decode("utf-8", "replace")):
        return
    report = json.loads(p.stdout.decode("utf-8"))
    units = {x["name"]: x["unit"] for x in report["metrics"]}
    check(units.get(METRIC) == UNIT, "json: names and units as given, escaped by JSON",
          repr(units))


def main(argv):
    if len(argv) != 1:
        print("usage: test_controls.py PROGRAM", file=sys.stderr)
        return 2
    prog = os.path.abspath(argv[0])
    with tempfile.TemporaryDirectory() as tmp:
        test_text(prog, tmp)
        test_stderr(prog, tmp)
        test_svg(prog, tmp)
        test_json(prog, tmp)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
