#!/usr/bin/env python3
"""test_leader.py -- the text report a support leader acts on (issue 17).

    python3 test_leader.py PROGRAM DATADIR

Checks, on a small hand-made dataset whose figures are worked out below and
on the sample data in DATADIR (against its JSON report, read independently
of the text):

- teams: a delivery and a communication gap name the team that holds it,
  against the standard and against the promise;
- consistency: --by account never says "no significant shortfall" of an
  account the priorities name, and says how many findings name it; every
  trigger names the account's open shortfalls (the largest three and a
  count of the rest, as the library's renewal detail names them) and a
  spike or migration says what happened without test statistics; routine
  quarterly reviews are counted and listed apart from the triggers; a gap
  row whose cause is another link says so, with that link's larger value;
- words: the default text has no SERVQUAL, SERVPERF, SQw, ROC AUC or
  "downstream minus upstream", --detail has them; the SVG legend names the
  first ten findings and points to the JSON report for the rest;
- the JSON report is unchanged (its SHA-256 on the sample data).

Standard library only.
"""

import hashlib
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_json  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
# `servgap-report --data examples/data --json`: the text and SVG work of
# issue 17 changes no byte of it. A deliberate change of the JSON report
# (a new field, new sample data) updates this hash with it.
SAMPLE_JSON_SHA256 = "fea33fd79f5a50f894e529f4544015443922d89fa4e0b8badc368bfa859afc13"
JARGON = ["SERVQUAL", "SERVPERF", "SQw", "ROC AUC", "downstream minus upstream"]

from checks import check, failures, run  # noqa: E402


def section(text, title):
    """The lines of the text report's section that starts with title."""
    start = text.find(title)
    if start < 0:
        return ""
    end = text.find("\n== ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def blocks(text):
    """{scope heading's first word: its lines} of the biggest-gaps section."""
    gaps = section(text, "== Biggest gaps per")
    parts = re.split(r"^(\S+)  \(", gaps, flags=re.M)
    return {parts[k]: parts[k + 1] for k in range(1, len(parts) - 1, 2)}


# The hand-made data. Tier "ent", touchpoint slack, metric frh (first
# response in hours, lower is better, span 8 h). The SLA is 2 h, the promise
# 1 h, both declared once. acme's 16 tickets: team night answers in 6, 7, 8,
# 7, 6, 7, 8, 7 h (mean 7), team day in 1.5, 2, 2.5, 2, 1.5, 2, 2.5, 2 h
# (mean 2). tiny has two tickets without a team (3 and 4 h): its own gaps,
# 2 - 3.5 = -1.5 h and 1 - 3.5 = -2.5 h, are not significant (sd 0.71, t
# with 1 degree of freedom 12.71, half-width 12.71 * 0.71/sqrt(2) = 6.35 h);
# quiet has no ticket. acme renews on 2026-03-01; the report runs as of
# 2026-02-01.
#
# Worked out by hand (a gap is level minus delivered, as less is better):
#   night against the SLA: 2 - 7 = -5.00 h; against the promise: 1 - 7 = -6.00 h.
#     sd = sqrt(4/7) = 0.756, half-width t(7) 2.365 * 0.756/sqrt(8) = 0.63:
#     both intervals lie below zero, both are shortfalls.
#   day against the SLA: 2 - 2 = 0 h, the interval holds 0: meets it.
#     Against the promise: 1 - 2 = -1.00 h, sd = sqrt(1/7) = 0.378,
#     half-width 2.365 * 0.378/sqrt(8) = 0.32: a shortfall.
#   acme's cell: mean of the 16 = 72/16 = 4.5 h: delivery 2 - 4.5 = -2.50 h,
#     communication 1 - 4.5 = -3.50 h; the larger, communication, is the
#     cell's cause, so the delivery row says "communication (larger: -3.50 h)".
#   The tier's cell adds tiny's 7 h: 79/18 = 4.389 h: delivery -2.39 h,
#     communication -3.39 h; its team rows are acme's (tiny's have no team).
#   acme's open shortfalls: communication -3.50 h (normalized -0.4375) before
#     delivery -2.50 h (-0.3125), each once though the roll-up over all
#     touchpoints repeats them.
#   Quarterly reviews: acme every 3 months from its renewal, the first on or
#     after 2026-02-01 is 2026-03-01; tiny and quiet have no renewal, so the
#     calendar quarter start 2026-04-01.
HAND_METRICS = "metric,dimension,direction,min,max,span,unit\nfrh,responsiveness,lower,0,,8,h\n"
HAND_ACCOUNTS = ("account,tier,value,renewal\n"
                 "acme,ent,1000,2026-03-01\ntiny,ent,500,\nquiet,ent,250,\n")
NIGHT = [6, 7, 8, 7, 6, 7, 8, 7]
DAY = [1.5, 2, 2.5, 2, 1.5, 2, 2.5, 2]
TEAMS_DELIVERY = ("teams: night 5.00 h short of the standard, 6.00 h short of the promise; "
                  "day meets the standard, 1.00 h short of the promise")
TEAMS_COMMUNICATION = ("teams: night 6.00 h short of the promise, 5.00 h short of the standard; "
                       "day 1.00 h short of the promise, meets the standard")


def hand_data(tmp):
    rows = ["time,account,tier,touchpoint,metric,viewpoint,value,team",
            "2026-01-01,,ent,slack,frh,standard,2,", "2026-01-01,,ent,slack,frh,promised,1,"]
    rows += ["2026-01-%02dT22:00:00Z,acme,ent,slack,frh,delivered,%g,night" % (i + 2, v)
             for i, v in enumerate(NIGHT)]
    rows += ["2026-01-%02dT10:00:00Z,acme,ent,slack,frh,delivered,%g,day" % (i + 2, v)
             for i, v in enumerate(DAY)]
    rows += ["2026-01-20T10:00:00Z,tiny,ent,slack,frh,delivered,3,",
             "2026-01-21T10:00:00Z,tiny,ent,slack,frh,delivered,4,"]
    paths = [os.path.join(tmp, n)
             for n in ("hand-metrics.csv", "hand-accounts.csv", "hand-obs.csv")]
    for path, text in zip(paths, (HAND_METRICS, HAND_ACCOUNTS, "\n".join(rows) + "\n")):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return ["--metrics", paths[0], "--accounts", paths[1], "--now", "2026-02-01", paths[2]]


def next_line(text, pattern):
    """The line after the first line matching pattern, stripped ("" if none)."""
    m = re.search(pattern + r".*\n(.*)", text, re.M)
    return m.group(1).strip() if m else ""


def test_hand_teams(prog, args):
    """A delivery and a communication gap concentrated on one team name it,
    against the standard and against the promise, in the account's gaps
    and in the priorities."""
    p = run(prog, "--by", "account", *args)
    if not check(p.returncode == 0, "hand: exit 0", p.stderr):
        return
    acme = blocks(p.stdout).get("acme", "")
    check(next_line(acme, r"^  slack +frh +delivery +-2\.50 h ") == TEAMS_DELIVERY,
          "teams: acme's delivery gap names night against the standard and the promise", acme)
    check(next_line(acme, r"^  slack +frh +communication +-3\.50 h ") == TEAMS_COMMUNICATION,
          "teams: acme's communication gap names night against the promise first", acme)
    prio = section(p.stdout, "== Priorities")
    check(next_line(prio, r"^ +\d+ .*tier:ent +slack +frh +delivery +-2\.39 ") == TEAMS_DELIVERY,
          "teams: the tier's delivery finding names the teams", prio)
    check(next_line(prio, r"^ +\d+ .*tier:ent +slack +frh +communication +-3\.39 ")
          == TEAMS_COMMUNICATION, "teams: the tier's communication finding names the teams", prio)


def test_hand_consistency(prog, args):
    """The account view, the triggers and the reviews on the hand-made data."""
    p = run(prog, "--by", "account", *args)
    if not check(p.returncode == 0, "hand consistency: exit 0", p.stderr):
        return
    b = blocks(p.stdout)
    check(re.search(r"^  slack +frh +delivery +-2\.50 h .*\bcommunication \(larger: -3\.50 h\)$",
                    b.get("acme", ""), re.M) is not None,
          "cause: a delivery row whose cell's larger gap is communication says so, with -3.50 h",
          b.get("acme", ""))
    check(re.search(r"^  slack +frh +communication +-3\.50 h .* communication$",
                    b.get("acme", ""), re.M) is not None,
          "cause: the row of the cell's largest gap carries no note", b.get("acme", ""))
    tiny = b.get("tiny", "")
    check("no significant shortfall" not in tiny
          and "in the priorities: 2 findings: #1 tier:ent slack frh communication; "
          "#2 tier:ent slack frh delivery" in tiny,
          "--by account: an account without a gap of its own says which findings name it", tiny)
    check("no significant shortfall, and no finding" in b.get("quiet", ""),
          "--by account: an account no finding names says it has none", b.get("quiet", ""))
    trig = section(p.stdout, "== Review triggers")
    check(next_line(trig, r"^  acme +renewal +2026-03-01 +renews in 28 days$")
          == "2 open shortfalls: slack frh communication -3.50 h; slack frh delivery -2.50 h",
          "triggers: a renewal names its open shortfalls, largest first, each once", trig)
    check("found          4 findings, 1 review trigger, 3 routine quarterly reviews" in p.stdout,
          "header: the trigger and the routine reviews counted apart", p.stdout[:600])
    rev = section(p.stdout, "== Routine quarterly reviews")
    check(re.search(r"^  2026-03 \(1\) +01 acme$", rev, re.M) is not None
          and re.search(r"^  2026-04 \(2\) +01 tiny, 01 quiet$", rev, re.M) is not None
          and "quarterly" not in trig,
          "reviews: listed apart by month, on the dates worked out by hand", rev + trig)


def named_by_priorities(findings):
    """{account: set of root ranks} from the JSON: an account finding names
    its account (a member by its root's rank), a tier finding its affected
    accounts."""
    named = {}
    for f in findings:
        rank = f["root"] or f["rank"]
        if f["scope"].startswith("account:"):
            named.setdefault(f["scope"][len("account:"):], set()).add(rank)
        else:
            for a in f["affected_accounts"]:
                named.setdefault(a, set()).add(rank)
    return named


def test_sample_accounts(prog, data):
    """--by account agrees with the priorities, for the year and for a
    quarter in which two growth accounts hold no gap of their own."""
    for window in ([], ["--from", "2026-01-01", "--to", "2026-03-31"]):
        what = "--by account %s" % (" ".join(window) or "(the year)")
        t = run(prog, "--data", data, "--by", "account", *window)
        j = run(prog, "--data", data, "--json", *window)
        if not check(t.returncode == 0 and j.returncode == 0, what + ": exit 0",
                     t.stderr + j.stderr):
            continue
        named = named_by_priorities(check_json.priorities(check_json.load_report(j.stdout)))
        b = blocks(t.stdout)
        bad = [a for a in named if a not in b or "no significant shortfall" in b[a]]
        check(named and not bad, what + ": no account the priorities name is without shortfall",
              repr(bad))
        wrong = [a for a in named if "in the priorities: %d finding%s" % (
            len(named[a]), "" if len(named[a]) == 1 else "s") not in b.get(a, "")]
        check(not wrong, what + ": each account says how many findings name it", repr(wrong))
        if window:
            quiet = [a for a in named if "falls short significantly on its own" in b.get(a, "")]
            check(quiet, what + ": accounts without a gap of their own say what names them")


def test_sample_triggers(prog, data):
    """Every trigger names the account's open shortfalls; a renewal's are the
    count and the three largest of the library's own detail."""
    t = run(prog, "--data", data)
    j = run(prog, "--data", data, "--json")
    if not check(t.returncode == 0 and j.returncode == 0, "sample triggers: exit 0"):
        return
    triggers = check_json.load_report(j.stdout)["triggers"]
    adhoc = [x for x in triggers if x["kind"] != "quarterly_review"]
    quarterly = [x for x in triggers if x["kind"] == "quarterly_review"]
    check("found          180 findings, %d review triggers, %d routine quarterly reviews"
          % (len(adhoc), len(quarterly)) in t.stdout and len(quarterly) == 40,
          "sample header: %d triggers, %d routine reviews apart" % (len(adhoc), len(quarterly)),
          t.stdout[:600])
    trig = section(t.stdout, "== Review triggers")
    rows = re.findall(r"^  (\S+) +(\w+) +\d{4}-\d\d-\d\d  .*\n    (\d+) open shortfalls?: (.*)$",
                      trig, re.M)
    check(sorted((a, k) for a, k, _, _ in rows) == sorted((x["account"], x["kind"]) for x in adhoc),
          "sample triggers: one row per trigger, each with its open shortfalls", trig[:3000])
    for x in adhoc:
        if x["kind"] != "renewal":
            continue
        # "... with 14 open shortfalls, the largest: slack first_response_hours
        # service -0.825; ...": place, metric and gap, then the normalized value.
        largest = [s.rsplit(" ", 1)[0] for s in x["detail"].split("the largest: ")[1].split("; ")]
        line = [r for r in rows if r[0] == x["account"] and r[1] == "renewal"]
        items = line[0][3].split("; ") if line else []
        named = [re.sub(r" [-+]\d+\.\d+( \S+)?$", "", s) for s in items[:3]]
        rest = items[3:] == (["and %d more" % (x["count"] - 3)] if x["count"] > 3 else [])
        check(line and int(line[0][2]) == x["count"] and named == largest and rest,
              "sample triggers: %s's renewal names the library's %d and its largest three"
              % (x["account"], x["count"]), repr(line) + "\n" + repr(largest))
    # The plain words of a spike and of a migration, from the JSON's fields:
    # the recent and baseline shares and counts (default windows 14 and 180
    # days); a change whose interval holds zero is no clear change, and one
    # without an interval had too few answers.
    for x in adhoc:
        row = [ln for ln in trig.splitlines() if ln.startswith("  %-22s %-12s" % (x["account"],
                                                                                 x["kind"]))]
        if x["kind"] == "csat_spike":
            want = ("%.1f%% of the answers negative in the last 14 days (%d of %d), against %.1f%% "
                    "(%d of %d) in the 180 days before" % (
                        100 * x["after"], x["count"], x["n_after"], 100 * x["before"],
                        round(x["before"] * x["n_before"]), x["n_before"]))
        elif x["kind"] == "migration" and x["ci"][0] is not None:
            clear = ("a clear drop" if x["ci"][1] < 0 else "a clear rise" if x["ci"][0] > 0
                     else "no clear change yet")
            want = "scores %.0f%% of the best before (%d answers), %.0f%% after (%d): %s" % (
                100 * x["before"], x["n_before"], 100 * x["after"], x["n_after"], clear)
        elif x["kind"] == "migration":
            want = "too few answers to compare (%d before, %d after)" % (x["n_before"],
                                                                          x["n_after"])
        else:
            continue
        check(row and row[0].endswith(want) and "Fisher" not in row[0],
              "sample triggers: %s's %s in plain words" % (x["account"], x["kind"]),
              repr(row) + "\n" + want)
    rev = section(t.stdout, "== Routine quarterly reviews")
    listed = re.findall(r"(\d\d) ([a-z0-9-]+)", rev.split("\n", 1)[1])
    check(sorted(listed) == sorted((x["date"][8:], x["account"]) for x in quarterly),
          "sample reviews: each account's routine review listed apart, on its date", rev)


def test_sample_cause(prog, data):
    """A row whose cause is another link carries that link's larger value."""
    t = run(prog, "--data", data, "--top", "100")
    row = (r"^  \S+ +\S+ +([a-z+]+) +([-+]\d+\.\d+)\b.*\] +([a-z+]+)"
           r"( \(larger: ([-+]\d+\.\d+).*\))?$")
    rows = re.findall(row, section(t.stdout, "== Biggest gaps"), re.M)
    differ = [r for r in rows if r[0] != r[2]]
    check(rows and differ and all(r[3] and abs(float(r[4])) > abs(float(r[1])) for r in differ)
          and all(not r[3] for r in rows if r[0] == r[2]),
          "sample cause: %d of %d rows name a larger cause, each with its value"
          % (len(differ), len(rows)))


def test_words(prog, data):
    """The statistics only with --detail; the help says so."""
    plain = run(prog, "--data", data)
    detail = run(prog, "--data", data, "--detail")
    if not check(plain.returncode == 0 and detail.returncode == 0, "words: exit 0"):
        return
    check(not [w for w in JARGON if w in plain.stdout],
          "words: the default text has none of %s" % ", ".join(JARGON),
          repr([w for w in JARGON if w in plain.stdout]))
    check(all(w in detail.stdout for w in JARGON) and "== SERVQUAL per tier" in detail.stdout,
          "words: --detail has the SERVQUAL table, SERVPERF, SQw, the AUC and the orientation",
          repr([w for w in JARGON if w not in detail.stdout]))
    h = run(prog, "--help")
    check(h.returncode == 0 and "[--detail]" in h.stdout and "\n  --detail " in h.stdout,
          "words: the usage line and --help name --detail")


def test_svg_legend(prog, data, args, tmp):
    """The legend under the matrix names the first ten findings and says
    that the JSON report has them all; every finding is still a point."""
    for what, run_args, n in (("sample", ["--data", data], 180), ("hand", args, 4)):
        path = os.path.join(tmp, what + ".svg")
        p = run(prog, *run_args, "--svg", path)
        if not check(p.returncode == 0, "svg legend %s: exit 0" % what, p.stderr):
            continue
        root = ET.parse(path).getroot()
        legend = [g for g in root.iter(SVG + "g") if g.get("class") == "legend"][0]
        entries = [t for t in legend.iter(SVG + "text") if t.find(SVG + "tspan") is not None]
        ranks = [int(t.find(SVG + "tspan").text) for t in entries]
        more = [t.text for t in legend.iter(SVG + "text") if t.get("class") == "more"]
        points = [g for g in root.iter(SVG + "g") if g.get("class") == "finding"]
        check(ranks == list(range(1, min(n, 10) + 1)) and len(points) == n,
              "svg legend %s: ranks 1..%d of %d points" % (what, min(n, 10), n), repr(ranks))
        check((more and "%d more" % (n - 10) in more[0] and "--json" in more[0]) if n > 10
              else not more, "svg legend %s: the rest are in the JSON report" % what, repr(more))


def test_json_unchanged(prog, data):
    p = run(prog, "--data", data, "--json", "--level", "full")
    d = run(prog, "--data", data, "--json", "--detail", "--by", "account")
    check(p.returncode == 0 and hashlib.sha256(p.stdout.encode()).hexdigest() == SAMPLE_JSON_SHA256,
          "json: the sample data's full JSON report is byte for byte unchanged")
    check(d.returncode == 0 and d.stdout == p.stdout,
          "json: --by account is the full level, and --detail does not change it")


def test_json_levels(prog, data):
    """--by tier (the default) writes the summary level: the tiers' rows, and
    every priority, trigger, plan, risk and trend row of the full report."""
    full = run(prog, "--data", data, "--json", "--level", "full")
    plain = run(prog, "--data", data, "--json")
    tier = run(prog, "--data", data, "--json", "--by", "tier", "--detail")
    asked = run(prog, "--data", data, "--json", "--by", "account", "--level", "summary")
    if not check(all(x.returncode == 0 for x in (full, plain, tier, asked)), "levels: exit 0"):
        return
    f, s = json.loads(full.stdout), json.loads(plain.stdout)
    check(s.get("level") == "summary" and "level" not in f,
          "levels: the default JSON says it is the summary level; the full one has no mark",
          repr((s.get("level"), f.get("level"))))
    check(tier.stdout == plain.stdout and asked.stdout == plain.stdout,
          "levels: --by tier is the default; --level summary wins over --by account")
    def kinds(report):
        return {c["scope"].split(":")[0] for c in report["cells"]}
    scopes = kinds(s)
    check(scopes == {"tier"} and kinds(f) == {"tier", "account"},
          "levels: summary cells are the tiers' only, full has the accounts'", repr(scopes))
    for key in ("priorities", "triggers", "plans", "risk", "auc", "trends"):
        check(s.get(key) == f.get(key), "levels: the summary's %s are the full report's" % key)
    check(len(plain.stdout) * 4 < len(full.stdout),
          "levels: the summary is under a quarter of the full report's bytes",
          "%d of %d" % (len(plain.stdout), len(full.stdout)))


def main(argv):
    if len(argv) != 2:
        print("usage: test_leader.py PROGRAM DATADIR", file=sys.stderr)
        return 2
    prog, data = os.path.abspath(argv[0]), argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        args = hand_data(tmp)
        test_hand_teams(prog, args)
        test_hand_consistency(prog, args)
        test_sample_accounts(prog, data)
        test_sample_triggers(prog, data)
        test_sample_cause(prog, data)
        test_words(prog, data)
        test_svg_legend(prog, data, args, tmp)
        test_json_levels(prog, data)
        test_json_unchanged(prog, data)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
