#!/usr/bin/env python3
"""test_report.py -- end-to-end tests of servgap-report, run by meson test.

    python3 test_report.py PROGRAM DATADIR

Runs PROGRAM on the sample data in DATADIR and on small broken inputs, and
checks exit codes and outputs: the text report's sections, the remediation
plans (each outcome, overdue flags, the plan beside each finding), the JSON
report (json.loads), the SVG (xml.etree.ElementTree: one labelled point per
priority of the JSON report), a malformed CSV (exit 1, FILE:LINE:COLUMN on
stderr), paths that cannot be used (exit 1, saying what is wrong with
them) and usage errors (exit 2). Standard library only.
"""

import csv
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_json  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
SECTIONS = ["== Biggest gaps per tier", "== Priorities", "== Remediation plans",
            "== Review triggers", "== Routine quarterly reviews", "== Accounts at risk"]
# The sample data's plans.csv (examples/data/README.md, "Remediation plans"):
# (owner, outcome, overdue) of each plan, re-measured as of 2027-01-01.
SAMPLE_PLANS = [("Priya Raman", "improved", True), ("Marcus Webb", "worsened", True),
                ("Dana Okafor", "unchanged", True), ("Dana Okafor", "closed", False),
                ("Sam Ito", "unknown", False)]
QUADRANTS = ["Quick wins", "Major projects", "Fill-ins", "Thankless tasks"]

from checks import check, failures, run  # noqa: E402


def data_args(data):
    return ["--metrics", os.path.join(data, "metrics.csv"),
            "--accounts", os.path.join(data, "accounts.csv"),
            "--importance", os.path.join(data, "importance.csv"),
            "--efforts", os.path.join(data, "efforts.csv")]


def test_text(prog, data):
    p = run(prog, *data_args(data), os.path.join(data, "observations.csv"))
    if not check(p.returncode == 0, "text report: exit 0", p.stderr):
        return
    for s in SECTIONS:
        check(s in p.stdout, "text report: section %r" % s)
    check(re.search(r"^\s+1 (quick win|major project|fill-in|thankless) ", p.stdout, re.M),
          "text report: at least one ranked priority")
    # The planted delivery gap: enterprise Slack first response, SLA 2 h from
    # 2026-07-01 (4 h before), delivered about 4.7 h. Over the whole year the
    # standard is the mean of the SLAs in force, 3 h, so the gap is checked in
    # December, where it is about -2.7 h (-0.34 of the 8 h span) and among
    # the five largest of tier:enterprise.
    d = run(prog, "--data", data, "--from", "2026-12-01", "--to", "2026-12-31")
    check(re.search(r"^\s+slack\s+first_response_hours\s+delivery", d.stdout, re.M),
          "text report: the planted delivery gap on slack first_response_hours (December)",
          d.stderr + d.stdout[:1500])
    q = run(prog, "--data", data, "--by", "account", "--top", "2", "--priorities", "0")
    check(q.returncode == 0 and "== Biggest gaps per account" in q.stdout
          and "meridian-bank" in q.stdout, "text report: --data, --by account", q.stderr)
    w = run(prog, "--data", data, "--from", "2026-07-01", "--to", "2026-09-30")
    check(w.returncode == 0 and "2026-07-01 .. 2026-09-30" in w.stdout,
          "text report: --from/--to window, --to inclusive", w.stderr + w.stdout[:400])


def section(text, title):
    """The lines of the text report's section that starts with title."""
    start = text.find(title)
    if start < 0:
        return ""
    end = text.find("\n== ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def plan_blocks(text):
    """{plan number: its lines} of the plans section."""
    blocks = re.split(r"^  plan (\d+)  ", section(text, "== Remediation plans"), flags=re.M)
    return {int(blocks[k]): blocks[k + 1] for k in range(1, len(blocks) - 1, 2)}


def test_plans_text(prog, data):
    """--data reads plans.csv: each plan with owner, deadline, target and
    its re-measurement; each outcome shows, overdue plans are flagged, and
    each finding shows its plan's owner and deadline, or that it has none."""
    p = run(prog, "--data", data)
    if not check(p.returncode == 0, "plans: exit 0", p.stderr):
        return
    plans = plan_blocks(p.stdout)
    check(sorted(plans) == [1, 2, 3, 4, 5], "plans: the five plans of plans.csv listed",
          section(p.stdout, "== Remediation plans")[:2000])
    check("5 plans: 1 closed, 1 improved, 1 unchanged, 1 worsened, 1 unknown; 3 overdue"
          in p.stdout, "plans: the summary counts each outcome and the overdue plans")
    for k, (owner, outcome, overdue) in enumerate(SAMPLE_PLANS, 1):
        block = plans.get(k, "")
        check(re.search(r"^    owner %s, deadline \d{4}-\d\d-\d\d%s, target " %
                        (re.escape(owner), " OVERDUE" if overdue else ""), block, re.M)
              is not None, "plans: plan %d shows its owner %s, deadline%s and target" %
              (k, owner, ", OVERDUE" if overdue else ", not overdue"), block)
        check(re.search(r"^    %s\s+baseline " % outcome, block, re.M) is not None,
              "plans: plan %d is %s" % (k, outcome), block)
        check("next check 2027-01-31" in block, "plans: plan %d's next check" % k, block)
    check("follow-up -3.08 h (2026-12-02 .. 2026-12-31)" in plans.get(2, "")
          and "change -2.32, 95% CI [-4.21, -0.43]" in plans.get(2, ""),
          "plans: the worsened plan's follow-up, change and interval", plans.get(2, ""))
    check("the default window" in plans.get(5, "") and "too little data" in plans.get(5, ""),
          "plans: a plan without a baseline window uses the default one", plans.get(5, ""))
    prio = section(p.stdout, "== Priorities")
    first = [ln for ln in prio.splitlines() if re.match(r"^\s+\d+ ", ln)
             and "tier:enterprise" in ln and "resolution_hours" in ln and "communication" in ln
             and " slack " in ln]
    check(len(first) == 1 and first[0].endswith("plan: Dana Okafor, due 2026-11-30, OVERDUE"),
          "plans: a finding shows its plan's owner and deadline", "\n".join(first))
    check(re.search(r"^\s+\d+ .*\bno plan$", prio, re.M) is not None,
          "plans: a finding without a plan says so")


def test_plans_options(prog, data, tmp):
    """--plans F names the table; without plans, nothing is said per finding;
    a bad plans file names its FILE:LINE:COLUMN."""
    plans_csv = os.path.join(data, "plans.csv")
    obs = os.path.join(data, "observations.csv")
    p = run(prog, *data_args(data), "--plans", plans_csv, obs)
    check(p.returncode == 0 and sorted(plan_blocks(p.stdout)) == [1, 2, 3, 4, 5],
          "--plans F: the plans are listed", p.stderr)
    p = run(prog, *data_args(data), obs)
    check(p.returncode == 0 and "  no plan (--plans F, or plans.csv in --data DIR)" in p.stdout
          and "no plan\n" not in section(p.stdout, "== Priorities")
          and "plan: " not in p.stdout,
          "without plans: the plans section says so, the findings say nothing", p.stderr)
    bad = os.path.join(tmp, "bad-plans.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("scope,touchpoint,metric,gap,owner,deadline,target\n"
                "tier:enterprise,slack,first_response_hours,delivery,kim,2026-12-01,-1\n"
                "account:nobody,slack,first_response_hours,delivery,kim,2026-12-01,-1\n")
    p = run(prog, "--data", data, "--plans", bad)
    check(p.returncode == 1 and p.stderr == "servgap-report: %s:3:1: unknown account 'nobody'\n"
          % bad, "--plans with an unknown account: exit 1, FILE:LINE:COLUMN", p.stderr)


def test_plans_json(prog, data):
    p = run(prog, "--data", data, "--json")
    if not check(p.returncode == 0, "plans json: exit 0", p.stderr):
        return
    report = check_json.load_report(p.stdout)
    plans = report.get("plans", [])
    check([(x["owner"], x["outcome"], x["overdue"]) for x in plans] == SAMPLE_PLANS,
          "plans json: each plan's owner, outcome and overdue flag",
          repr([(x.get("owner"), x.get("outcome"), x.get("overdue")) for x in plans]))
    check(all(x["followup_window"] == {"from": "2026-12-02", "to": "2027-01-01"}
              and x["next_check"] == "2027-01-31" for x in plans),
          "plans json: the follow-up is the 30 days before 2027-01-01")
    ranks = {f["rank"]: f for f in report["priorities"]}
    check(all(x["finding"] is None or ranks[x["finding"]]["gap"] == x["gap"] for x in plans)
          and any(x["finding"] for x in plans), "plans json: plans name their findings")


def test_json_svg(prog, data, tmp):
    svg_path = os.path.join(tmp, "matrix.svg")
    p = run(prog, "--data", data, "--json", "--svg", svg_path)
    if not check(p.returncode == 0, "json: exit 0", p.stderr):
        return
    try:
        report = check_json.load_report(p.stdout)
        n = len(check_json.priorities(report))
    except ValueError as e:
        check(False, "json: parses with json.loads and has priorities", str(e))
        return
    check(True, "json: parses with json.loads and has priorities")
    check(n > 0, "json: at least one priority (%d)" % n)
    trends = report.get("trends")
    check(isinstance(trends, list) and len(trends) == n
          and all(len(t["windows"]) == 12 for t in trends),
          "json: trends, one series of 12 windows per priority")
    check_svg(svg_path, n, "svg")


PRIORITY_ROW = re.compile(r"^\s+(\d+) (quick win|major project|fill-in|thankless) ", re.M)
QUADRANT_ORDER = ["quick win", "major project", "fill-in", "thankless"]


def repeats_of_tier(data, findings):
    """Re-derived from the findings and accounts.csv: {(tier, place and
    gap): [account, ...]} of the account findings that repeat their tier's
    finding (same touchpoint, metric, dimension, gap and no_standard)."""
    with open(os.path.join(data, "accounts.csv"), encoding="utf-8") as f:
        tier_of = {row["account"]: row["tier"] for row in csv.DictReader(f)}

    def place(f):
        return (f["touchpoint"], f["metric"], f["dimension"], f["gap"], f["no_standard"])
    tiers = {(f["scope"][len("tier:"):],) + place(f) for f in findings
             if f["scope"].startswith("tier:")}
    groups = {}
    for f in findings:
        if f["scope"].startswith("account:"):
            name = f["scope"][len("account:"):]
            k = (tier_of[name],) + place(f)
            if k in tiers:
                groups.setdefault(k, []).append(name)
    return groups


def test_priorities_grouped(prog, data):
    """Issue 17: the text lists each root cause once. An account finding
    that repeats its tier's finding is counted on the tier's row ("N
    accounts, value V": those accounts and their total value from
    accounts.csv), not listed; the rows listed are ranked 1, 2, ... in
    quadrant order: quick wins, major projects, fill-ins, thankless."""
    j = run(prog, "--data", data, "--json")
    t = run(prog, "--data", data, "--priorities", "0")
    if not check(j.returncode == 0 and t.returncode == 0, "grouped priorities: exit 0",
                 j.stderr + t.stderr):
        return
    findings = check_json.priorities(check_json.load_report(j.stdout))
    groups = repeats_of_tier(data, findings)
    repeats = sum(len(v) for v in groups.values())
    rows = PRIORITY_ROW.findall(t.stdout.split("== Priorities")[1].split("\n== ")[0])
    check(len(rows) == len(findings) - repeats and repeats > 0,
          "grouped priorities: %d rows for %d findings, of which %d repeat their tier's"
          % (len(rows), len(findings), repeats))
    check([int(r) for r, _ in rows] == list(range(1, len(rows) + 1)),
          "grouped priorities: the rows are ranks 1..%d" % len(rows))
    order = [QUADRANT_ORDER.index(q) for _, q in rows]
    check(order == sorted(order), "grouped priorities: in quadrant order")
    with open(os.path.join(data, "accounts.csv"), encoding="utf-8") as f:
        value = {row["account"]: float(row["value"]) for row in csv.DictReader(f)}
    lines = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\s+(\d+) .*$", t.stdout, re.M)
             if PRIORITY_ROW.match(m.group(0))}
    ok = True
    for f in findings:
        k = (f["scope"][len("tier:"):], f["touchpoint"], f["metric"], f["dimension"], f["gap"],
             f["no_standard"])
        if not f["scope"].startswith("tier:") or k not in groups:
            continue
        names = groups[k]
        want = "%d account%s, value %s" % (len(names), "" if len(names) == 1 else "s",
                                           "{:,.0f}".format(sum(value[a] for a in names)))
        # The group's text ends the row, or comes just before its plan.
        if not re.search(re.escape(want) + r"( +(plan: .*|no plan))?$", lines.get(f["rank"], "")):
            ok = check(False, "grouped priorities: rank %d ends with %r" % (f["rank"], want),
                       lines.get(f["rank"], "(no row)"))
    check(ok, "grouped priorities: each root's row counts its accounts and their value")


def december(prog, data, first):
    p = run(prog, "--data", data, "--from", first, "--to", "2027-01-01", "--json")
    if not check(p.returncode == 0, "december from %s: exit 0" % first, p.stderr):
        return None
    return check_json.load_report(p.stdout)


def declarations(report):
    """(standard n, mean, promised n, mean) of every tier cell."""
    return {(c["scope"], c["touchpoint"], c["metric"]):
            (c["n"]["standard"], c["means"]["standard"], c["n"]["promised"], c["means"]["promised"])
            for c in report["cells"] if c["scope"].startswith("tier:")}


def test_december(prog, data):
    """Issue 16: SLAs and promises are declarations, recorded once and in
    force until replaced, so a December report run from the 1st and one run
    from the 2nd read the same ones, and give the same tier findings of
    delivery and communication. (What 1 December itself adds, its tickets,
    moves only account cells of a handful of tickets in this data.)"""
    a, b = december(prog, data, "2026-12-01"), december(prog, data, "2026-12-02")
    if a is None or b is None:
        return
    da, db = declarations(a), declarations(b)
    check(da == db, "december: the 1st and the 2nd read the same SLAs and promises")
    slack = [c for c in a["cells"] if (c["scope"], c["touchpoint"], c["metric"])
             == ("tier:enterprise", "slack", "first_response_hours")]
    check(len(slack) == 1 and slack[0]["means"]["standard"] == 2
          and slack[0]["read"]["standard"]["declared"] == "2026-07-01",
          "december: the enterprise Slack SLA is the 2 h declared on 2026-07-01")

    def tier_findings(r):
        return sorted((f["scope"], f["touchpoint"], f["metric"], f["gap"])
                      for f in check_json.priorities(r)
                      if f["scope"].startswith("tier:") and f["gap"] in ("delivery",
                                                                       "communication"))
    fa, fb = tier_findings(a), tier_findings(b)
    check(fa == fb and len(fa) > 0,
          "december: the same tier delivery and communication findings from the 1st and the 2nd",
          "%s\n%s" % (fa, fb))
    # The enterprise order form promises resolution within 10 h, the pod
    # resolves in about 16 h: a small gap in every month, so persistent.
    check(any(f["gap"] == "communication" and f["persistent"]
              and (f["scope"], f["touchpoint"], f["metric"])
              == ("tier:enterprise", "slack", "resolution_hours")
              for f in check_json.priorities(a)),
          "december: the small monthly communication gap is persistent")


def check_svg(path, n, what):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        check(False, "%s: well-formed XML" % what, str(e))
        return
    check(root.tag == SVG + "svg", "%s: an <svg> root in the SVG namespace" % what, root.tag)
    for attr in ("width", "height", "viewBox"):
        check(attr in root.attrib, "%s: root has %s" % (what, attr))
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    for q in QUADRANTS:
        check(q in texts, "%s: quadrant label %r" % (what, q))
    points = [g for g in root.iter(SVG + "g") if g.get("class") == "finding"]
    check(len(points) == n, "%s: one point per priority (%d points, %d priorities)"
          % (what, len(points), n))
    labelled = 0
    for g in points:
        rank = g.get("data-rank")
        label = g.find(SVG + "text")
        if g.find(SVG + "circle") is not None and label is not None and label.text == rank:
            labelled += 1
    check(labelled == len(points), "%s: every point is a circle labelled with its rank" % what)
    ranks = sorted(int(g.get("data-rank")) for g in points)
    check(ranks == list(range(1, n + 1)), "%s: ranks 1..%d" % (what, n))


def test_empty(prog, data, tmp):
    """A header-only observation file: no findings, and no crash."""
    empty = os.path.join(tmp, "empty.csv")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("time,account,tier,touchpoint,metric,viewpoint,value\n")
    svg_path = os.path.join(tmp, "empty.svg")
    p = run(prog, "--svg", svg_path, empty)
    check(p.returncode == 0 and "== Priorities" in p.stdout, "empty data: text report, exit 0",
          p.stderr)
    check_svg(svg_path, 0, "empty svg")
    j = run(prog, "--json", empty)
    ok = j.returncode == 0
    if ok:
        try:
            check_json.load_report(j.stdout)
        except ValueError:
            ok = False
    check(ok, "empty data: JSON report parses", j.stderr)


def test_escaping(prog, tmp):
    """Names with XML's special characters stay well-formed in the SVG."""
    weird, tier, tp = "Smith & <Jones> \"Ltd\" 'x'", "ent&erprise", "chat & <co>"
    quoted = '"' + weird.replace('"', '""') + '"'
    accounts = os.path.join(tmp, "esc-accounts.csv")
    obs = os.path.join(tmp, "esc-obs.csv")
    with open(accounts, "w", encoding="utf-8") as f:
        f.write("account,tier,value\n%s,%s,1000\n" % (quoted, tier))
    with open(obs, "w", encoding="utf-8") as f:
        f.write("time,account,tier,touchpoint,metric,viewpoint,value\n")
        f.write("2026-01-01,,%s,%s,responsiveness,standard,6\n" % (tier, tp))
        for day, v in ((2, 3), (3, 2), (4, 3), (5, 2)):
            f.write("2026-01-0%d,%s,%s,%s,responsiveness,delivered,%d\n" % (day, quoted, tier, tp, v))
    svg_path = os.path.join(tmp, "esc.svg")
    p = run(prog, "--accounts", accounts, "--svg", svg_path, obs)
    if not check(p.returncode == 0, "escaping: exit 0", p.stderr):
        return
    try:
        root = ET.parse(svg_path).getroot()
    except ET.ParseError as e:
        check(False, "escaping: the SVG is well-formed", str(e))
        return
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    check(any(weird in t and tp in t for t in texts),
          "escaping: names with & < > \" ' survive in the SVG text")


def test_errors(prog, data, tmp):
    bad = os.path.join(tmp, "bad.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("time,account,tier,touchpoint,metric,viewpoint,value\n"
                "2026-01-05,acme,enterprise,email,reliability,expected,6\n"
                "2026-01-06,acme,enterprise,email,reliability,perceived,lots\n")
    p = run(prog, bad)
    check(p.returncode == 1, "malformed CSV: exit 1 (got %d)" % p.returncode, p.stderr)
    check(re.search(re.escape(bad) + r":3:\d+", p.stderr) is not None
          and p.stderr.startswith("servgap-report: "),
          "malformed CSV: 'servgap-report: FILE:LINE:COLUMN' on stderr", p.stderr)
    missing = os.path.join(tmp, "no-such-file.csv")
    p = run(prog, missing)
    check(p.returncode == 1 and "no-such-file.csv" in p.stderr,
          "missing file: exit 1 naming the file", p.stderr)
    for args, what in ((["--bogus", bad], "unknown option"),
                       (["--from"], "missing option value"),
                       (["--from", "2026-02-30", bad], "bad date"),
                       (["--by", "team", bad], "bad --by"),
                       (["--top", "-1", bad], "bad count"),
                       (["--threads", "257", bad], "--threads above 256"),
                       (["--json=yes", bad], "a value given to a flag"),
                       (["--svg="], "an empty option value"),
                       (["--from", "2026-03-01", "--to", "2026-02-01", bad], "--from after --to"),
                       ([], "no observation file")):
        p = run(prog, *args)
        check(p.returncode == 2 and "usage: servgap-report" in p.stderr,
              "usage error, %s: exit 2 with a usage line (got %d)" % (what, p.returncode),
              p.stderr)
    p = run(prog, "--help")
    check(p.returncode == 0 and "--to D" in p.stdout, "--help: exit 0")
    if os.path.exists("/dev/full"):  # a disk that is full: the report stops
        with open("/dev/full", "w") as full:
            p = subprocess.run([prog, "--data", data, "--json"], stdout=full,
                               stderr=subprocess.PIPE, text=True, timeout=120)
        check(p.returncode == 1 and "writing the JSON report failed" in p.stderr,
              "--json on a full disk: exit 1 naming the failure (got %d)" % p.returncode,
              p.stderr)


def test_file_options(prog, data, tmp):
    """--data and the file options say what is wrong with a path they name."""
    obs = os.path.join(data, "observations.csv")
    missing = os.path.join(tmp, "no-such-dir")
    p = run(prog, "--data", missing)
    check(p.returncode == 1 and p.stderr == "servgap-report: --data %s: the directory does not "
          "exist (No such file or directory)\n" % missing,
          "--data on a missing directory: exit 1, says it does not exist (got %d)" % p.returncode,
          p.stderr)
    p = run(prog, "--data", obs)
    check(p.returncode == 1 and p.stderr == "servgap-report: --data %s: not a directory "
          "(Not a directory)\n" % obs,
          "--data on a file: exit 1, says it is not a directory (got %d)" % p.returncode,
          p.stderr)
    # A table file that cannot be looked at is not taken for an absent one
    # (a symbolic link to itself: stat fails with ELOOP, even for root).
    looped = os.path.join(tmp, "looped")
    os.mkdir(looped)
    os.symlink("metrics.csv", os.path.join(looped, "metrics.csv"))
    p = run(prog, "--data", looped, obs)
    check(p.returncode == 1 and p.stderr.startswith(
          "servgap-report: --data %s: %s cannot be read (" % (looped, os.path.join(looped,
                                                                                  "metrics.csv"))),
          "--data with an unreadable table file: exit 1 naming it (got %d)" % p.returncode,
          p.stderr)
    empty = os.path.join(tmp, "empty-dir")
    os.mkdir(empty)
    p = run(prog, "--data", empty)
    check(p.returncode == 2 and "--data %s has no observations.csv" % empty in p.stderr
          and "usage: servgap-report" in p.stderr,
          "--data without observations.csv: a usage error naming the directory", p.stderr)
    simple = os.path.join(tmp, "simple-obs.csv")
    with open(simple, "w", encoding="utf-8") as f:
        f.write("time,account,tier,touchpoint,metric,viewpoint,value\n"
                "2026-01-05,acme,enterprise,email,reliability,expected,6\n")
    for option in ("--metrics", "--accounts", "--importance", "--efforts", "--plans"):
        p = run(prog, option, missing, simple)
        check(p.returncode == 1 and p.stderr == "servgap-report: %s: %s: cannot read: No such "
              "file or directory\n" % (option, missing),
              "%s on a missing file: exit 1 naming the option and the file" % option, p.stderr)
    p = run(prog, "--data", data, "--efforts", tmp)
    check(p.returncode == 1 and p.stderr == "servgap-report: --efforts: %s: cannot read: Is a "
          "directory\n" % tmp, "--efforts on a directory: exit 1 saying so", p.stderr)


def test_threads(prog, data):
    """--threads N: the JSON and text reports are the same bytes at 1 thread,
    at 3 and at the default (every core)."""
    outs = {}
    for args in (["--threads", "1"], ["--threads", "3"], []):
        for form in (["--json"], ["--by", "account", "--detail"]):
            p = run(prog, "--data", data, *(args + form))
            check(p.returncode == 0, "--threads %s: exit 0" % args, p.stderr)
            outs.setdefault(form[0], []).append(p.stdout)
    for form, texts in outs.items():
        check(all(t == texts[0] for t in texts),
              "%s: the same bytes at 1, 3 and every thread" % form)


def main(argv):
    if len(argv) != 2:
        print("usage: test_report.py PROGRAM DATADIR", file=sys.stderr)
        return 2
    prog, data = os.path.abspath(argv[0]), argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        test_errors(prog, data, tmp)
        test_file_options(prog, data, tmp)
        test_empty(prog, data, tmp)
        test_escaping(prog, tmp)
        test_text(prog, data)
        test_priorities_grouped(prog, data)
        test_json_svg(prog, data, tmp)
        test_december(prog, data)
        test_plans_text(prog, data)
        test_plans_options(prog, data, tmp)
        test_plans_json(prog, data)
        test_threads(prog, data)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
