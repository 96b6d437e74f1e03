"""check_report -- the JSON report against its documented schema
(docs/formats.md, "The JSON report").

Usage: python3 check_report.py PATH_TO_json_report

Runs the json_report program (a realistic handle, and its --tiny example),
parses stdout with Python's json module, and checks: every documented field
with its type, in the documented order and no other; enumerated strings from
the documented sets; "span" exactly where a gap is unresolved; ranks 1..n
in the documented order, each member after the roots, under a root of its
place and gap that counts it; no-standard findings on flagged cells;
scopes "tier:NAME" / "account:NAME"; row references between tables; no
whitespace outside strings but the final newline; the same bytes on a
second run; and a few numbers recomputed from the report itself (gaps from
means, normalized values from the scale, SERVQUAL means). Exits non-zero
with a message naming the JSON path at fault. Standard library only.
"""
import json
import math
import re
import subprocess
import sys

VIEWPOINTS = ["expected", "adequate", "believed", "standard", "delivered", "promised", "perceived"]
GAPS = ["service", "knowledge", "standards", "delivery", "communication", "perception", "adequacy"]
DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
STATUSES = {"shortfall", "met", "exceeds", "insufficient", "unresolved"}
CLASSES = {"none", "knowledge", "standards", "delivery", "communication", "perception", "span",
           "insufficient", "hidden_gap"}
LINK_CLASSES = {"knowledge", "standards", "delivery", "communication", "perception", "span"}
QUADRANTS = {"quick_win", "major_project", "fill_in", "thankless"}
IPA_QUADRANTS = {"concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill"}
TRIGGERS = {"renewal", "csat_spike", "migration", "hidden_gap", "quarterly_review"}
DRIVERS = {"none", "word_of_mouth", "personal_needs", "past_experience", "external_communication"}
SOURCES = ["own", "tier", "any_touchpoint"]
WEIGHT_SOURCES = {"none", "respondents", "allocation"}
DIRECTIONS = {"higher_is_better", "lower_is_better"}
SPAN_RE = re.compile(r"^(knowledge|standards|delivery|perception|communication)"
                     r"(\+(knowledge|standards|delivery|perception|communication))*$")
SCOPE_RE = re.compile(r"^(tier|account):.+$", re.S)
DATE_RE = re.compile(r"^([+-]\d{6,}|\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")

TOP = ["version", "window", "now", "metrics", "cells", "servqual", "breakdowns", "priorities",
       "ipa", "triggers", "risk", "auc", "trends", "plans"]
PLAN = ["plan", "owner", "finding", "scope", "touchpoint", "metric", "dimension", "gap",
        "deadline", "target", "outcome", "overdue", "own_baseline", "baseline_window",
        "followup_window", "baseline", "followup", "change", "ci", "next_check"]
OUTCOMES = {"none", "closed", "improved", "unchanged", "worsened", "unknown"}
TREND = ["finding", "scope", "touchpoint", "metric", "dimension", "gap", "windows"]
TREND_POINT = ["from", "to", "value", "normalized", "ci", "n_up", "n_down", "status",
               "significant", "declaration_changed"]
METRIC = ["name", "dimension", "direction", "unit", "min", "max", "span"]
CELL = ["scope", "touchpoint", "metric", "dimension", "scale", "n", "means", "sd", "negative",
        "source", "read", "pairs", "pe_correlation", "gaps", "classification",
        "class_normalized"]
GAP = ["value", "normalized", "ci", "df", "n_up", "n_down", "status", "paired", "significant",
       "sufficient", "no_standard", "declaration_changed"]
DECLARED = ("standard", "promised")
SERVQUAL = ["scope", "touchpoint", "dimensions", "unweighted", "item_mean", "weighted",
            "weighted_ci", "weight_source", "respondents", "servperf", "importance_gap",
            "most_underweighted"]
BREAKDOWN = ["cell", "scope", "touchpoint", "metric", "dimension", "facet", "name", "viewpoint",
             "gap", "n", "mean", "value", "normalized", "ci", "df", "status", "significant",
             "sufficient", "declaration_changed"]
FINDING = ["rank", "cell", "scope", "touchpoint", "metric", "dimension", "gap", "value",
           "normalized", "impact", "effort", "priority", "quadrant", "size_term", "value_share",
           "frequency", "affected_value", "affected_accounts", "persistent", "windows",
           "no_standard", "root", "members", "members_value"]
IPA = ["scope", "touchpoint", "dimension", "quadrant", "importance", "performance", "crosshair"]
TRIGGER = ["account", "kind", "date", "detail", "count", "before", "after", "statistic", "ci",
           "n_before", "n_after"]
RISK = ["account", "risk", "windows", "with_shortfall", "findings", "worst_normalized", "value",
        "churned"]


class Bad(Exception):
    pass


def fail(path, msg):
    raise Bad("%s: %s" % (path, msg))


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def num(x, path, lo=None, hi=None, nullable=False):
    if x is None and nullable:
        return
    if not is_num(x):
        fail(path, "expected a number%s, got %r" % (" or null" if nullable else "", x))
    if lo is not None and x < lo - 1e-12:
        fail(path, "%r below %r" % (x, lo))
    if hi is not None and x > hi + 1e-12:
        fail(path, "%r above %r" % (x, hi))


def integer(x, path, lo=0):
    if not isinstance(x, int) or isinstance(x, bool):
        fail(path, "expected an integer, got %r" % (x,))
    if x < lo:
        fail(path, "%r below %r" % (x, lo))


def string(x, path, allowed=None, nullable=False, pattern=None):
    if x is None and nullable:
        return
    if not isinstance(x, str):
        fail(path, "expected a string, got %r" % (x,))
    if allowed is not None and x not in allowed:
        fail(path, "%r is not one of %s" % (x, sorted(allowed)))
    if pattern is not None and not pattern.match(x):
        fail(path, "%r does not match %s" % (x, pattern.pattern))


def boolean(x, path):
    if not isinstance(x, bool):
        fail(path, "expected true or false, got %r" % (x,))


def keys(obj, want, path):
    if not isinstance(obj, dict):
        fail(path, "expected an object, got %r" % (obj,))
    if list(obj) != want:
        fail(path, "keys %s, documented %s" % (list(obj), want))


def pair(x, path):
    if not isinstance(x, list) or len(x) != 2:
        fail(path, "expected [lo, hi], got %r" % (x,))
    num(x[0], path + "[0]", nullable=True)
    num(x[1], path + "[1]", nullable=True)
    if x[0] is not None and x[1] is not None and x[0] > x[1]:
        fail(path, "lo %r above hi %r" % tuple(x))


def close(a, b, path, what):
    if abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b)):
        fail(path, "%s: %r, recomputed %r" % (what, a, b))


def check_version(rep):
    keys(rep["version"], ["library", "schema"], "version")
    string(rep["version"]["library"], "version.library", pattern=VERSION_RE)
    if rep["version"]["schema"] != 1 or isinstance(rep["version"]["schema"], bool):
        fail("version.schema", "expected 1, got %r" % (rep["version"]["schema"],))
    keys(rep["window"], ["from", "to"], "window")
    string(rep["window"]["from"], "window.from", nullable=True, pattern=DATE_RE)
    string(rep["window"]["to"], "window.to", nullable=True, pattern=DATE_RE)
    w = rep["window"]
    if w["from"] and w["to"] and not w["from"] < w["to"]:
        fail("window", "from %s is not before to %s" % (w["from"], w["to"]))
    string(rep["now"], "now", nullable=True, pattern=DATE_RE)


def check_metrics(rep):
    defs = {}
    for i, m in enumerate(rep["metrics"]):
        p = "metrics[%d]" % i
        keys(m, METRIC, p)
        string(m["name"], p + ".name")
        string(m["dimension"], p + ".dimension", DIMENSIONS)
        string(m["direction"], p + ".direction", DIRECTIONS)
        string(m["unit"], p + ".unit")
        num(m["min"], p + ".min", nullable=True)
        num(m["max"], p + ".max", nullable=True)
        num(m["span"], p + ".span", lo=1e-300)
        if m["name"] in defs:
            fail(p, "metric %r listed twice" % m["name"])
        defs[m["name"]] = m
    return defs


def check_gap(g, name, cell, p):
    keys(g, GAP[:7] + (["span"] if g.get("status") == "unresolved" else []) + GAP[7:], p)
    num(g["value"], p + ".value", nullable=True)
    num(g["normalized"], p + ".normalized", nullable=True)
    pair(g["ci"], p + ".ci")
    num(g["df"], p + ".df", lo=0, nullable=True)
    integer(g["n_up"], p + ".n_up")
    integer(g["n_down"], p + ".n_down")
    string(g["status"], p + ".status", STATUSES)
    for b in ("paired", "significant", "sufficient", "no_standard", "declaration_changed"):
        boolean(g[b], p + "." + b)
    if "span" in g:
        string(g["span"], p + ".span", pattern=SPAN_RE)
        if "+" not in g["span"]:
            fail(p + ".span", "an unresolved span joins at least two links: %r" % g["span"])
    if (g["value"] is None) != (g["normalized"] is None):
        fail(p, "value and normalized must be null together")
    if g["value"] is not None:
        close(g["normalized"], g["value"] / cell["scale"], p, "normalized = value / scale")
    lo, hi = g["ci"]
    if g["status"] == "shortfall" and not (hi is not None and hi < 0):
        fail(p, "shortfall needs hi < 0: %r" % g["ci"])
    if g["status"] == "exceeds" and not (lo is not None and lo > 0):
        fail(p, "exceeds needs lo > 0: %r" % g["ci"])
    if g["status"] == "met" and not (lo is not None and lo <= 0 <= hi):
        fail(p, "met needs lo <= 0 <= hi: %r" % g["ci"])
    if g["significant"] and not g["sufficient"]:
        fail(p, "significant but not sufficient")
    if g["status"] in ("shortfall", "exceeds", "met") and not g["sufficient"]:
        fail(p, "a judged status needs sufficient data")


def oriented(x, direction):
    return -x if direction == "lower_is_better" else x


def cross_check(cell, defs, p):
    """Resolved gaps of a metric cell are differences of its own means."""
    m = defs[cell["metric"]]
    means = cell["means"]
    pairs = {"service": ("perceived", "expected"), "knowledge": ("believed", "expected"),
             "standards": ("standard", "believed"), "delivery": ("delivered", "standard"),
             "communication": ("delivered", "promised"), "perception": ("perceived", "delivered"),
             "adequacy": ("perceived", "adequate")}
    checked = 0
    for gap, (down, up) in pairs.items():
        g = cell["gaps"][gap]
        if g["status"] == "unresolved" or means[down] is None or means[up] is None:
            continue
        want = oriented(means[down], m["direction"]) - oriented(means[up], m["direction"])
        close(g["value"], want, "%s.gaps.%s.value" % (p, gap), "%s - %s" % (down, up))
        checked += 1
    return checked


def check_reads(c, p):
    """read: a key for exactly the viewpoints with observations, in order;
    dates (null: unbounded), and for a declaration its date in force and
    whether it changed."""
    want = [vp for vp in VIEWPOINTS if c["n"][vp] > 0]
    keys(c["read"], want, p + ".read")
    for vp in want:
        r, q = c["read"][vp], "%s.read.%s" % (p, vp)
        keys(r, ["from", "to"] + (["declared", "changed"] if vp in DECLARED else []), q)
        for k in ("from", "to"):
            string(r[k], q + "." + k, pattern=DATE_RE, nullable=True)
        if vp in DECLARED:
            string(r["declared"], q + ".declared", pattern=DATE_RE)
            boolean(r["changed"], q + ".changed")
            if r["from"] is not None and r["from"] > r["declared"]:
                fail(q, "the declaration in force at the end is older than the first")
        if r["from"] is not None and r["to"] is not None and r["from"] >= r["to"]:
            fail(q, "an empty range")


def check_cell(c, i, defs):
    p = "cells[%d]" % i
    keys(c, CELL[:15] + (["class_span"] if c.get("classification") == "span" else []) + CELL[15:],
         p)
    string(c["scope"], p + ".scope", pattern=SCOPE_RE)
    string(c["touchpoint"], p + ".touchpoint")
    string(c["metric"], p + ".metric")
    string(c["dimension"], p + ".dimension", DIMENSIONS)
    num(c["scale"], p + ".scale", lo=1e-300)
    rollup = c["metric"] == "*"
    if not rollup:
        if c["metric"] not in defs:
            fail(p + ".metric", "%r is not in metrics" % c["metric"])
        if defs[c["metric"]]["dimension"] != c["dimension"]:
            fail(p + ".dimension", "differs from the metric's")
        close(c["scale"], defs[c["metric"]]["span"], p + ".scale", "the metric's span")
    for part in ("n", "means", "sd", "negative", "source"):
        keys(c[part], VIEWPOINTS, "%s.%s" % (p, part))
    for vp in VIEWPOINTS:
        n = c["n"][vp]
        integer(n, "%s.n.%s" % (p, vp))
        num(c["means"][vp], "%s.means.%s" % (p, vp), nullable=True)
        num(c["sd"][vp], "%s.sd.%s" % (p, vp), lo=0, nullable=True)
        integer(c["negative"][vp], "%s.negative.%s" % (p, vp))
        if c["negative"][vp] > n:
            fail("%s.negative.%s" % (p, vp), "more negatives than observations")
        src = c["source"][vp]
        if not isinstance(src, list) or any(s not in SOURCES for s in src):
            fail("%s.source.%s" % (p, vp), "expected a list from %s, got %r" % (SOURCES, src))
        if src != [s for s in SOURCES if s in src]:
            fail("%s.source.%s" % (p, vp), "not in documented order: %r" % (src,))
        if (n == 0) != (src == []):
            fail("%s.source.%s" % (p, vp), "a source exactly when there are observations")
        if not rollup:
            if (n == 0) != (c["means"][vp] is None):
                fail("%s.means.%s" % (p, vp), "null exactly when n is 0")
            if (n < 2) != (c["sd"][vp] is None):
                fail("%s.sd.%s" % (p, vp), "null exactly when n < 2")
        elif c["sd"][vp] is not None:
            fail("%s.sd.%s" % (p, vp), "null in a dimension roll-up")
    check_reads(c, p)
    integer(c["pairs"], p + ".pairs")
    num(c["pe_correlation"], p + ".pe_correlation", -1, 1, nullable=True)
    keys(c["gaps"], GAPS, p + ".gaps")
    for name in GAPS:
        check_gap(c["gaps"][name], name, c, "%s.gaps.%s" % (p, name))
    string(c["classification"], p + ".classification", CLASSES)
    if "class_span" in c:
        string(c["class_span"], p + ".class_span", pattern=SPAN_RE)
    num(c["class_normalized"], p + ".class_normalized", nullable=True)
    if (c["classification"] in LINK_CLASSES) != (c["class_normalized"] is not None):
        fail(p + ".class_normalized", "a number exactly for a link or span classification")
    if c["classification"] in LINK_CLASSES and c["class_normalized"] >= 0:
        fail(p + ".class_normalized", "a shortfall is negative")
    return 0 if rollup else cross_check(c, defs, p)


def check_cells(rep, defs):
    seen_account = False
    checked = 0
    for i, c in enumerate(rep["cells"]):
        checked += check_cell(c, i, defs)
        is_account = c["scope"].startswith("account:")
        if seen_account and not is_account:
            fail("cells[%d]" % i, "tier cells come before account cells")
        seen_account = seen_account or is_account
    return checked


def check_servqual(rep):
    for i, q in enumerate(rep["servqual"]):
        p = "servqual[%d]" % i
        keys(q, SERVQUAL, p)
        string(q["scope"], p + ".scope", pattern=SCOPE_RE)
        string(q["touchpoint"], p + ".touchpoint")
        keys(q["dimensions"], DIMENSIONS, p + ".dimensions")
        gaps = []
        for d in DIMENSIONS:
            e = q["dimensions"][d]
            keys(e, ["gap", "weight", "believed_weight"], "%s.dimensions.%s" % (p, d))
            num(e["gap"], "%s.dimensions.%s.gap" % (p, d), nullable=True)
            num(e["weight"], "%s.dimensions.%s.weight" % (p, d), 0, 1, nullable=True)
            num(e["believed_weight"], "%s.dimensions.%s.believed_weight" % (p, d), 0, 1,
                nullable=True)
            if e["gap"] is not None:
                gaps.append(e["gap"])
        for f in ("unweighted", "item_mean", "weighted", "servperf"):
            num(q[f], p + "." + f, nullable=True)
        if not gaps:
            fail(p, "a SERVQUAL row has at least one dimension gap")
        close(q["unweighted"], sum(gaps) / len(gaps), p + ".unweighted", "mean of dimension gaps")
        pair(q["weighted_ci"], p + ".weighted_ci")
        string(q["weight_source"], p + ".weight_source", WEIGHT_SOURCES)
        integer(q["respondents"], p + ".respondents")
        if (q["weight_source"] == "none") != (q["weighted"] is None):
            fail(p + ".weighted", "null exactly when weight_source is none")
        num(q["importance_gap"], p + ".importance_gap", 0, 1, nullable=True)
        string(q["most_underweighted"], p + ".most_underweighted", DIMENSIONS, nullable=True)


def same_place(row, cell, p):
    for k in ("scope", "touchpoint", "metric", "dimension"):
        if row[k] != cell[k]:
            fail(p + "." + k, "%r differs from its cell's %r" % (row[k], cell[k]))


def cell_of(rep, row, p):
    integer(row["cell"], p + ".cell")
    if row["cell"] >= len(rep["cells"]):
        fail(p + ".cell", "no cell %d" % row["cell"])
    return rep["cells"][row["cell"]]


def check_breakdowns(rep):
    for i, b in enumerate(rep["breakdowns"]):
        p = "breakdowns[%d]" % i
        keys(b, BREAKDOWN, p)
        cell = cell_of(rep, b, p)
        same_place(b, cell, p)
        if cell["metric"] == "*":
            fail(p, "dimension roll-ups have no breakdowns")
        string(b["facet"], p + ".facet", {"team", "driver"})
        string(b["name"], p + ".name", DRIVERS if b["facet"] == "driver" else None)
        string(b["viewpoint"], p + ".viewpoint", VIEWPOINTS)
        string(b["gap"], p + ".gap", {"service", "delivery", "communication"})
        integer(b["n"], p + ".n", lo=1)
        for f in ("mean", "value", "normalized"):
            num(b[f], p + "." + f, nullable=True)
        pair(b["ci"], p + ".ci")
        num(b["df"], p + ".df", lo=0, nullable=True)
        string(b["status"], p + ".status", STATUSES - {"unresolved"})
        boolean(b["significant"], p + ".significant")
        boolean(b["sufficient"], p + ".sufficient")
        boolean(b["declaration_changed"], p + ".declaration_changed")
        side = {"delivery": "standard", "communication": "promised"}.get(b["gap"])
        if b["declaration_changed"] != (side is not None and
                                        cell["read"].get(side, {}).get("changed", False)):
            fail(p + ".declaration_changed", "exactly for a team against a changed declaration")
        if b["gap"] == "communication" and (b["viewpoint"] != "delivered" or
                                            cell["n"]["promised"] == 0):
            fail(p + ".gap", "a team's communication gap is its delivery against a promise")


def check_priorities(rep):
    for i, f in enumerate(rep["priorities"]):
        p = "priorities[%d]" % i
        keys(f, FINDING, p)
        if f["rank"] != i + 1 or isinstance(f["rank"], bool):
            fail(p + ".rank", "expected %d (ranks are 1..n in order), got %r" % (i + 1, f["rank"]))
        same_place(f, cell_of(rep, f, p), p)
        string(f["gap"], p + ".gap", GAPS)
        num(f["value"], p + ".value")
        num(f["normalized"], p + ".normalized")
        if f["value"] >= 0:
            fail(p + ".value", "a finding is a shortfall")
        num(f["impact"], p + ".impact", 0, 100)
        num(f["effort"], p + ".effort", lo=1e-300)
        num(f["priority"], p + ".priority", lo=0)
        close(f["priority"], f["impact"] / f["effort"], p + ".priority", "impact / effort")
        string(f["quadrant"], p + ".quadrant", QUADRANTS)
        num(f["size_term"], p + ".size_term", 0, 1)
        num(f["value_share"], p + ".value_share", 0, 1)
        num(f["frequency"], p + ".frequency", 0, 1)
        num(f["affected_value"], p + ".affected_value", lo=0)
        if not isinstance(f["affected_accounts"], list):
            fail(p + ".affected_accounts", "expected a list")
        for k, a in enumerate(f["affected_accounts"]):
            string(a, "%s.affected_accounts[%d]" % (p, k))
        boolean(f["persistent"], p + ".persistent")
        integer(f["windows"], p + ".windows")
        check_no_standard(f, cell_of(rep, f, p), p)
    check_groups(rep["priorities"])
    check_order(rep["priorities"])


def check_no_standard(f, cell, p):
    """A no-standard finding is the standards row of a cell without a
    standard: its joined span, unresolved; any other finding's gap is a
    shortfall of its own."""
    boolean(f["no_standard"], p + ".no_standard")
    gap = cell["gaps"][f["gap"]]
    if f["no_standard"]:
        if f["gap"] != "standards" or not gap["no_standard"] or gap["status"] != "unresolved":
            fail(p + ".no_standard", "not the unresolved standards row of a cell without standard")
        if not gap["significant"] or not gap["ci"][1] < 0:
            fail(p + ".no_standard", "its span is not significant below zero")
    elif gap["status"] != "shortfall":
        fail(p + ".gap", "the cell's %s gap is %r, not a shortfall" % (f["gap"], gap["status"]))
    if gap["value"] != f["value"]:
        fail(p + ".value", "differs from the cell's %s gap" % f["gap"])


def check_groups(rows):
    """Members (root set) repeat their root, a tier finding of the same
    place, gap and no_standard, ranked before them; a root counts its
    members and their value (an account finding's affected value)."""
    count, value = {}, {}
    for i, f in enumerate(rows):
        p = "priorities[%d]" % i
        integer(f["members"], p + ".members")
        num(f["members_value"], p + ".members_value", lo=0)
        if f["root"] is None:
            continue
        integer(f["root"], p + ".root", lo=1)
        if f["root"] > len(rows) or rows[f["root"] - 1]["root"] is not None:
            fail(p + ".root", "names no root finding")
        t = rows[f["root"] - 1]
        if not f["scope"].startswith("account:") or not t["scope"].startswith("tier:"):
            fail(p + ".root", "a member is an account finding under a tier finding")
        if any(f[k] != t[k] for k in ("touchpoint", "metric", "dimension", "gap", "no_standard")):
            fail(p + ".root", "the root is not of the member's place and gap")
        count[f["root"]] = count.get(f["root"], 0) + 1
        value[f["root"]] = value.get(f["root"], 0) + f["affected_value"]
    for i, f in enumerate(rows):
        p = "priorities[%d]" % i
        if f["members"] != count.get(f["rank"], 0):
            fail(p + ".members", "%d members name it as their root" % count.get(f["rank"], 0))
        close(f["members_value"], value.get(f["rank"], 0), p + ".members_value", "their values")


QUADRANT_ORDER = ["quick_win", "major_project", "fill_in", "thankless"]


def check_order(rows):
    """Roots and independent findings first, in quadrant order, then by
    priority; then the members, group by group in their roots' rank, each
    group in the same order."""
    def key(f):
        return (QUADRANT_ORDER.index(f["quadrant"]), -f["priority"])
    for i in range(1, len(rows)):
        a, b = rows[i - 1], rows[i]
        p = "priorities[%d]" % i
        if a["root"] is not None and b["root"] is None:
            fail(p, "a root after a member")
        if a["root"] != b["root"]:
            if a["root"] is not None and a["root"] > b["root"]:
                fail(p, "groups out of their roots' order")
            continue
        if key(a) > key(b):
            fail(p, "out of order: %s %r after %s %r"
                 % (a["quadrant"], a["priority"], b["quadrant"], b["priority"]))


def check_ipa(rep):
    for i, r in enumerate(rep["ipa"]):
        p = "ipa[%d]" % i
        keys(r, IPA, p)
        string(r["scope"], p + ".scope", pattern=SCOPE_RE)
        string(r["touchpoint"], p + ".touchpoint")
        string(r["dimension"], p + ".dimension", DIMENSIONS)
        string(r["quadrant"], p + ".quadrant", IPA_QUADRANTS)
        num(r["importance"], p + ".importance", 0, 100)
        num(r["performance"], p + ".performance")
        keys(r["crosshair"], ["importance", "performance"], p + ".crosshair")
        num(r["crosshair"]["importance"], p + ".crosshair.importance", 0, 100)
        num(r["crosshair"]["performance"], p + ".crosshair.performance")


def check_triggers(rep):
    for i, t in enumerate(rep["triggers"]):
        p = "triggers[%d]" % i
        keys(t, TRIGGER, p)
        string(t["account"], p + ".account")
        string(t["kind"], p + ".kind", TRIGGERS)
        string(t["date"], p + ".date", nullable=True, pattern=DATE_RE)
        string(t["detail"], p + ".detail")
        if not t["detail"]:
            fail(p + ".detail", "empty")
        integer(t["count"], p + ".count")
        for f in ("before", "after", "statistic"):
            num(t[f], p + "." + f, nullable=True)
        pair(t["ci"], p + ".ci")
        integer(t["n_before"], p + ".n_before")
        integer(t["n_after"], p + ".n_after")


def check_risk(rep):
    churned = retained = 0
    for i, k in enumerate(rep["risk"]):
        p = "risk[%d]" % i
        keys(k, RISK, p)
        string(k["account"], p + ".account")
        num(k["risk"], p + ".risk", 0, 1)
        integer(k["windows"], p + ".windows")
        integer(k["with_shortfall"], p + ".with_shortfall")
        if k["with_shortfall"] > k["windows"]:
            fail(p + ".with_shortfall", "more than windows")
        integer(k["findings"], p + ".findings")
        num(k["worst_normalized"], p + ".worst_normalized", nullable=True)
        num(k["value"], p + ".value", lo=0)
        boolean(k["churned"], p + ".churned")
        churned += k["churned"]
        retained += not k["churned"]
    keys(rep["auc"], ["value", "churned", "retained"], "auc")
    num(rep["auc"]["value"], "auc.value", 0, 1, nullable=True)
    integer(rep["auc"]["churned"], "auc.churned")
    integer(rep["auc"]["retained"], "auc.retained")
    if rep["risk"] and (rep["auc"]["churned"], rep["auc"]["retained"]) != (churned, retained):
        fail("auc", "counts differ from the risk rows: %d churned, %d retained"
             % (churned, retained))
    if (rep["auc"]["value"] is None) != (churned == 0 or retained == 0):
        fail("auc.value", "null exactly when a group is empty")


def check_trends(rep):
    """A series per finding, in rank order: the finding's cell and gap over
    windows of one length that follow each other and end at now."""
    ranks = {f["rank"]: f for f in rep["priorities"]}
    for i, t in enumerate(rep["trends"]):
        p = "trends[%d]" % i
        keys(t, TREND, p)
        if t["finding"] is not None:
            f = ranks.get(t["finding"])
            if f is None or any(f[k] != t[k] for k in ("scope", "touchpoint", "metric", "gap")):
                fail(p + ".finding", "names no finding of this cell and gap")
        string(t["gap"], p + ".gap", GAPS)
        w = t["windows"]
        if not w or len(w) != len(rep["trends"][0]["windows"]):
            fail(p + ".windows", "every series has the same windows")
        for k, x in enumerate(w):
            q = "%s.windows[%d]" % (p, k)
            keys(x, TREND_POINT, q)
            string(x["status"], q + ".status", STATUSES)
            num(x["value"], q + ".value", nullable=True)
            pair(x["ci"], q + ".ci")
            boolean(x["significant"], q + ".significant")
            boolean(x["declaration_changed"], q + ".declaration_changed")
            if x["status"] == "shortfall" and not x["ci"][1] < 0:
                fail(q, "a shortfall's interval is below zero")
            if k and w[k - 1]["to"] != x["from"]:
                fail(q, "windows follow each other")
        if w[-1]["to"] != rep["now"]:
            fail(p, "the last window ends at now")
    if rep["trends"] and [t["finding"] for t in rep["trends"]] != sorted(ranks):
        fail("trends", "one series per finding, in rank order")


def check_plan_window(w, path, nullable=False):
    keys(w, ["from", "to"], path)
    string(w["from"], path + ".from", nullable=True, pattern=DATE_RE)
    string(w["to"], path + ".to", nullable=nullable, pattern=DATE_RE)
    if w["from"] is not None and w["to"] is not None and not w["from"] < w["to"]:
        fail(path, "an empty window %s .. %s" % (w["from"], w["to"]))


def check_plan_outcome(x, p):
    """The outcome as its numbers say (docs/remediation.md, section 2)."""
    lo, hi = x["ci"]
    out = x["outcome"]
    if out == "none":
        if x["followup_window"] != {"from": None, "to": None} or x["followup"] is not None:
            fail(p, "outcome none has no follow-up window or value")
        return
    if out != "unknown" and (x["followup"] is None or lo is None):
        fail(p, "outcome %s needs a follow-up value and an interval" % out)
    if x["baseline"] is not None and x["followup"] is not None:
        close(x["change"], x["followup"] - x["baseline"], p, "change = followup - baseline")
        if lo is not None and not lo <= x["change"] <= hi:
            fail(p + ".ci", "the interval %r leaves out the change" % x["ci"])
    rule = {"closed": lambda: x["followup"] >= x["target"],
            "worsened": lambda: x["followup"] < x["target"] and hi < 0,
            "improved": lambda: x["followup"] < x["target"] and lo > 0,
            "unchanged": lambda: x["followup"] < x["target"] and lo <= 0 <= hi}
    if out in rule and not rule[out]():
        fail(p, "outcome %s contradicts its numbers" % out)


def check_plans(rep):
    """Each plan item by id, re-measured as of now: its finding, windows
    (the follow-up ends at now and starts no earlier than the baseline
    ends), outcome and overdue flag agree with each other."""
    ranks = {f["rank"]: f for f in rep["priorities"]}
    for i, x in enumerate(rep["plans"]):
        p = "plans[%d]" % i
        keys(x, PLAN, p)
        if x["plan"] != i:
            fail(p + ".plan", "plans come by id from 0, got %r" % x["plan"])
        string(x["owner"], p + ".owner")
        string(x["scope"], p + ".scope", pattern=SCOPE_RE)
        string(x["dimension"], p + ".dimension", DIMENSIONS)
        string(x["gap"], p + ".gap", GAPS)
        if x["finding"] is not None:
            f = ranks.get(x["finding"])
            if f is None or any(f[k] != x[k] for k in ("scope", "touchpoint", "metric",
                                                       "dimension", "gap")):
                fail(p + ".finding", "names no finding of this cell and gap")
        string(x["deadline"], p + ".deadline", nullable=True, pattern=DATE_RE)
        num(x["target"], p + ".target")
        string(x["outcome"], p + ".outcome", OUTCOMES)
        boolean(x["overdue"], p + ".overdue")
        boolean(x["own_baseline"], p + ".own_baseline")
        late = x["deadline"] is not None and x["deadline"] < rep["now"]
        if x["overdue"] != (late and x["outcome"] != "closed"):
            fail(p + ".overdue", "overdue is a deadline before now, not closed")
        check_plan_window(x["baseline_window"], p + ".baseline_window")
        fw = x["followup_window"]
        check_plan_window(fw, p + ".followup_window", nullable=True)
        if fw["to"] is not None and (fw["to"] != rep["now"] or
                                     fw["from"] < x["baseline_window"]["to"]):
            fail(p + ".followup_window", "ends at now, starts where the baseline ends or later")
        for k in ("baseline", "followup", "change"):
            num(x[k], p + "." + k, nullable=True)
        pair(x["ci"], p + ".ci")
        string(x["next_check"], p + ".next_check", pattern=DATE_RE)
        if not x["next_check"] > rep["now"]:
            fail(p + ".next_check", "the next check comes after now")
        check_plan_outcome(x, p)


def check_text(text):
    """No whitespace outside strings, one newline at the end."""
    if not text.endswith("}\n"):
        fail("(text)", "does not end with '}' and one newline")
    in_str = esc = False
    for i, ch in enumerate(text[:-1]):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            elif ord(ch) < 0x20:
                fail("(text)", "raw control character in a string at offset %d" % i)
        elif ch == '"':
            in_str = True
        elif ch in " \t\r\n":
            fail("(text)", "whitespace outside strings at offset %d" % i)


def run(prog, *args):
    out = subprocess.run([prog, *args], capture_output=True)
    if out.returncode != 0:
        raise Bad("%s %s exited %d: %s" % (prog, " ".join(args), out.returncode,
                                            out.stderr.decode(errors="replace")))
    return out.stdout


def check(prog, *args):
    raw = run(prog, *args)
    if run(prog, *args) != raw:
        raise Bad("two runs gave different bytes")
    text = raw.decode("utf-8")
    check_text(text)
    rep = json.loads(text)
    keys(rep, TOP, "(top)")
    check_version(rep)
    defs = check_metrics(rep)
    checked = check_cells(rep, defs)
    check_servqual(rep)
    check_breakdowns(rep)
    check_priorities(rep)
    check_ipa(rep)
    check_triggers(rep)
    check_risk(rep)
    check_trends(rep)
    check_plans(rep)
    return rep, checked


def coverage(rep, checked):
    """The realistic report must exercise what the checks are about."""
    for table in TOP[3:11] + ["trends", "plans"]:
        if not rep[table]:
            raise Bad("the realistic report has no %s: nothing of them was checked" % table)
    plans = rep["plans"]
    for k in ("overdue", "own_baseline"):
        if {x[k] for x in plans} != {True, False}:
            raise Bad("the realistic plans must have %s both true and false" % k)
    if all(x["finding"] is None for x in plans) or "none" not in {x["outcome"] for x in plans}:
        raise Bad("the realistic plans must address a finding and have one not re-measured")
    statuses = {g["status"] for c in rep["cells"] for g in c["gaps"].values()}
    if statuses != STATUSES:
        raise Bad("statuses seen %s, want all of %s" % (sorted(statuses), sorted(STATUSES)))
    if checked < 100:
        raise Bad("only %d gaps cross-checked against means" % checked)
    if not any(f["no_standard"] for f in rep["priorities"]):
        raise Bad("the realistic report has no no-standard finding")
    if not any(f["root"] for f in rep["priorities"]):
        raise Bad("the realistic report has no finding that repeats its tier's")
    directions = {rep["metrics"][i]["direction"] for i in range(len(rep["metrics"]))}
    if directions != DIRECTIONS:
        raise Bad("metrics of both directions expected, got %s" % sorted(directions))


def main():
    if len(sys.argv) != 2:
        print("usage: check_report.py PATH_TO_json_report", file=sys.stderr)
        return 2
    try:
        rep, checked = check(sys.argv[1])
        coverage(rep, checked)
        tiny, _ = check(sys.argv[1], "--tiny")
    except (Bad, KeyError, ValueError, TypeError) as e:
        print("check_report: FAILED: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    print("check_report: ok: %d cells, %d findings, %d triggers; %d gaps recomputed from means;"
          " tiny example %d cells" % (len(rep["cells"]), len(rep["priorities"]),
                                      len(rep["triggers"]), checked, len(tiny["cells"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
