#!/usr/bin/env python3
"""test_html.py -- the HTML page of servgap-report (--html), without a
browser; run by meson test.

    python3 test_html.py PROGRAM DATADIR

On the sample data it checks that the page is one self-contained file
(nothing loaded: no src, no external href or url(), a Content Security
Policy that forbids fetching), that writing it leaves the JSON report
unchanged, that every number the static HTML shows is the JSON report's
(html_check.py), that the matrix draws each finding at its exact effort
and impact with its area by affected value and tier findings apart from
account findings, and that the page holds each section. Names with
<script>, quotes, '&', control characters and a line separator show as
text and cannot end the embedded JSON. Empty data gives every section.
A page of 2,000 accounts keeps to
the size budget of docs/report-html.md. Standard library only.
"""

import csv
import html
import json
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SECTIONS = ["overview", "matrix", "chain", "tiers", "trends", "teams", "accounts", "plans"]
# The size budget (docs/report-html.md): a fixed part and bytes per account.
BUDGET_FIXED = 600_000
BUDGET_PER_ACCOUNT = 400

import checks  # noqa: E402
from checks import check, failures  # noqa: E402


def run(prog, *args):
    return checks.run(prog, *args, text=False, timeout=600)


def page_and_report(prog, tmp, *args):
    """(page text, full JSON report text) of one run with --json --html."""
    html = os.path.join(tmp, "page.html")
    p = run(prog, *args, "--json", "--level", "full", "--html", html)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace"))
    with open(html, encoding="utf-8") as f:
        return f.read(), p.stdout.decode()


def test_self_contained(page, parsed):
    loads = [(t, a) for t, a in parsed.tags if "src" in a or (t == "link")
             or ("href" in a and not a["href"].startswith("#"))]
    check(not loads, "self-contained: no element loads or links outside the page", repr(loads[:5]))
    check(not re.search(r"url\(|@import|https?://", page.split('id="servgap-data"')[0]),
          "self-contained: no url(), @import or web address in the markup, style and charts")
    csp = [a.get("content", "") for t, a in parsed.tags
           if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    check(csp and "default-src 'none'" in csp[0],
          "self-contained: a Content Security Policy forbids fetching anything", repr(csp))
    check(page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>"),
          "the page is a complete HTML document")


def test_sections(parsed):
    for s in SECTIONS:
        check(s in parsed.ids, "section %r is in the static page" % s)
    svgs = [a for t, a in parsed.tags if t == "svg"]
    check(svgs and all(a.get("role") == "img" for a in svgs),
          "every chart is an SVG with role img (and a <title>: the text alternative)")
    titles = sum(1 for t, _ in parsed.tags if t == "title")
    check(titles >= len(svgs) + 1, "every chart has a title", "%d titles, %d svgs" % (titles, len(svgs)))


def test_numbers(parsed, report, tiers):
    problems = html_check.compare(parsed.shown, report, tiers)
    check(len(parsed.shown) > 500 and not problems,
          "static numbers: each of the %d the page shows is the JSON report's" % len(parsed.shown),
          "\n".join(problems[:20]))
    paths = {k for kind, k, _ in parsed.shown}
    for want in ("priorities.0.impact", "plans.1.outcome", "trends.0.windows.11.value",
                 "findings gap=delivery tier=enterprise", "plans overdue", "triggers kind=renewal"):
        check(want in paths, "static numbers: the page shows %s" % want)


def points(parsed):
    return [a for t, a in parsed.tags if t == "circle" and "pt" in a.get("class", "").split()]


def test_matrix(page, parsed, report):
    pts = points(parsed)
    pr = report["priorities"]
    check(len(pts) == min(len(pr), 250), "matrix: one point per charted finding",
          "%d points, %d findings" % (len(pts), len(pr)))
    by_i = {int(a["data-i"]): a for a in pts}
    # Exact positions: x and y are one linear function of effort and impact.
    xs = sorted((pr[i]["effort"], float(a["cx"])) for i, a in by_i.items())
    ys = sorted((pr[i]["impact"], float(a["cy"])) for i, a in by_i.items())
    (e0, x0), (e1, x1) = xs[0], xs[-1]
    (i0, y0), (i1, y1) = ys[0], ys[-1]
    off_x = max(abs(x0 + (e - e0) * (x1 - x0) / (e1 - e0) - x) for e, x in xs) if e1 > e0 else 0
    off_y = max(abs(y0 + (v - i0) * (y1 - y0) / (i1 - i0) - y) for v, y in ys) if i1 > i0 else 0
    check(off_x < 0.02 and off_y < 0.02 and y1 < y0,
          "matrix: each point at its exact effort and impact (none moved), impact up",
          "largest offset x %.3f, y %.3f" % (off_x, off_y))
    # Area by affected value: r - 3 grows as the square root of the value.
    vmax = max(pr[i]["affected_value"] for i in by_i)
    bad = [i for i, a in by_i.items()
           if abs(float(a["r"]) - (3 + 13 * math.sqrt(pr[i]["affected_value"] / vmax))) > 0.01]
    check(not bad, "matrix: a point's area grows with its affected accounts' value", repr(bad[:5]))
    kinds = {("t" in a["class"].split(), pr[i]["scope"].startswith("tier:")) for i, a in by_i.items()}
    check(kinds == {(True, True), (False, False)},
          "matrix: tier findings and account findings drawn apart (disc, ring)", repr(kinds))
    titles = re.findall(r'<circle class="pt[^>]*><title>#(\d+) ', page)
    check(len(titles) == len(pts), "matrix: each point names its finding in a <title> (hover)")


def test_json_unchanged(prog, data, tmp, report_text):
    plain = run(prog, "--data", data, "--json", "--level", "full")
    check(plain.returncode == 0 and plain.stdout.decode() == report_text,
          "--html leaves the JSON report byte for byte as it is without it")


def test_errors(prog, data, tmp):
    p = run(prog, "--data", data, "--html", os.path.join(tmp, "no-such-dir", "x.html"))
    check(p.returncode == 1 and b"no-such-dir" in p.stderr,
          "--html into a directory that does not exist: exit 1, naming the path", p.stderr.decode())
    p = run(prog, "--data", data, "--html")
    check(p.returncode == 2 and b"--html" in p.stderr, "--html without a file: usage error (2)")


HOSTILE_ACCOUNT = '</script><script>alert("x")</script>\'&amp;\x1b[31m\u2028end'
HOSTILE_TIER = 'gold"><img src=x onerror=alert(1)>'
HOSTILE_TP = "<!--tp"
HOSTILE_OWNER = "O'Brien </SCRIPT> & <b>co</b>"


def hostile_tables(tmp):
    def q(s):
        return '"' + s.replace('"', '""') + '"'
    m, a, o, pl = (os.path.join(tmp, n) for n in ("m.csv", "a.csv", "o.csv", "p.csv"))
    with open(m, "w", encoding="utf-8") as f:
        f.write("metric,dimension,direction,min,max,span,unit\nwait,responsiveness,higher,1,7,,pts\n")
    with open(a, "w", encoding="utf-8") as f:
        f.write("account,tier,value,renewal\n%s,%s,1000,2026-02-01\nplain,%s,500,\n"
                % (q(HOSTILE_ACCOUNT), q(HOSTILE_TIER), q(HOSTILE_TIER)))
    rows = ["time,account,tier,touchpoint,metric,viewpoint,value",
            "2026-01-01,,%s,%s,wait,standard,6" % (q(HOSTILE_TIER), q(HOSTILE_TP))]
    for day, v in ((2, 2), (3, 3), (4, 2), (5, 3), (6, 2)):
        rows.append("2026-01-0%d,%s,%s,%s,wait,delivered,%d"
                    % (day, q(HOSTILE_ACCOUNT), q(HOSTILE_TIER), q(HOSTILE_TP), v))
    with open(o, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(pl, "w", encoding="utf-8") as f:
        f.write("scope,touchpoint,metric,gap,owner,deadline,target\n%s,%s,wait,delivery,"
                "%s,2026-01-03,0\n" % (q("account:" + HOSTILE_ACCOUNT), q(HOSTILE_TP), q(HOSTILE_OWNER)))
    return ["--metrics", m, "--accounts", a, "--plans", pl, o]


def test_escaping(prog, tmp):
    d = os.path.join(tmp, "hostile")
    os.makedirs(d)
    page, report_text = page_and_report(prog, d, *hostile_tables(d))
    parsed = html_check.parse(page)
    kinds = sorted(a.get("type", "") for a, _ in parsed.scripts)
    check(kinds == ["", "", "application/json"],
          "escaping: the page's three scripts stay three (no name starts or ends one)", repr(kinds))
    check(not any(t == "img" for t, _ in parsed.tags), "escaping: no name becomes an element")
    embedded = [s for a, s in parsed.scripts if a.get("type") == "application/json"][0]
    check("\x1b" not in page and "\u2028" not in embedded,
          "escaping: no control character reaches the page raw, nor a line separator its JSON")
    data = json.loads(embedded)
    names = [x[0] for x in data["acc"]]
    check(html_check.visible(HOSTILE_ACCOUNT) in names and data["tiers"] == [html_check.visible(HOSTILE_TIER)],
          "escaping: the embedded JSON holds the names as the page prints them", repr(names))
    check(data["p"] and data["p"][0][7] == HOSTILE_OWNER, "escaping: the owner is embedded as text")
    th = re.findall(r'<tr data-a="\d+"><th scope="row">(.*?)</th>', page)
    check([html.unescape(x) for x in th if "script" in x] == [html_check.visible(HOSTILE_ACCOUNT)],
          "escaping: the static accounts table shows the name as text", repr(th))
    report = json.loads(report_text)
    problems = html_check.compare(parsed.shown, report, {HOSTILE_ACCOUNT: HOSTILE_TIER,
                                                         "plain": HOSTILE_TIER})
    check(not problems, "escaping: the numbers and names shown are the report's", "\n".join(problems[:10]))


def empty_page(prog, tmp):
    """The page of observations that hold nothing: (path, parsed page)."""
    obs, page = os.path.join(tmp, "empty.csv"), os.path.join(tmp, "empty.html")
    with open(obs, "w", encoding="utf-8") as f:
        f.write("time,account,tier,touchpoint,metric,viewpoint,value\n")
    p = run(prog, "--html", page, obs)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace"))
    with open(page, encoding="utf-8") as f:
        return page, html_check.parse(f.read())


def test_empty(prog, tmp):
    _, parsed = empty_page(prog, tmp)
    check(all(s in parsed.ids for s in SECTIONS) and not points(parsed),
          "empty data: every section is there, saying there is nothing, and no point is drawn")


def test_budget(prog, data, tmp):
    big = os.path.join(tmp, "big")
    n = 2000
    g = subprocess.run([sys.executable, os.path.join(data, "enlarge.py"), "--accounts", str(n),
                        "--out", big], capture_output=True, text=True, timeout=600)
    if not check(g.returncode == 0, "budget: enlarge.py writes %d accounts" % n, g.stderr):
        return
    html = os.path.join(big, "page.html")
    p = run(prog, "--data", big, "--level", "full", "--html", html)
    if not check(p.returncode == 0, "budget: the page of %d accounts is written" % n,
                 p.stderr.decode(errors="replace")):
        return
    size = os.path.getsize(html)
    budget = BUDGET_FIXED + BUDGET_PER_ACCOUNT * n
    check(size <= budget, "budget: %d accounts, %d bytes <= %d" % (n, size, budget))
    with open(html, encoding="utf-8") as f:
        parsed = html_check.parse(f.read())
    rows = [a for t, a in parsed.tags if t == "tr" and "data-a" in a]
    check(len(rows) == 50, "budget: the static accounts table holds one page (50 rows)",
          "%d rows" % len(rows))
    check(len(points(parsed)) <= 250, "budget: the matrix charts at most 250 findings")


def test_summary_level(prog, data, tmp, report):
    """--by tier (the default) writes the summary-level page: it lists the
    accounts that have something to act on in the full report (an account
    finding, an ad-hoc trigger, a plan, the at-risk flag, a window short),
    and no other; each left out is 0 in the embedded data."""
    page = os.path.join(tmp, "summary.html")
    p = run(prog, "--data", data, "--html", page)
    if not check(p.returncode == 0, "summary level: the page is written"):
        return
    with open(page, encoding="utf-8") as f:
        text = f.read()
    parsed = html_check.parse(text)
    embedded = json.loads([s for a, s in parsed.scripts if a.get("type") == "application/json"][0])
    with open(os.path.join(data, "accounts.csv"), encoding="utf-8") as f:
        accounts = list(csv.DictReader(f))
    names = [a["account"] for a in accounts]  # ids in the file's order
    act = {a["account"] for a in accounts if a["at_risk"] in ("1", "true")}
    act |= {f["scope"].split(":", 1)[1] for f in report["priorities"]
            if f["scope"].startswith("account:")}
    act |= {p["scope"].split(":", 1)[1] for p in report["plans"] if p["scope"].startswith("account:")}
    act |= {t["account"] for t in report["triggers"] if t["kind"] != "quarterly_review"}
    act |= {r["account"] for r in report["risk"] if r["with_shortfall"] > 0}
    listed = {names[i] for i, a in enumerate(embedded["acc"]) if a != 0}
    check(len(embedded["acc"]) == len(names) and listed == act,
          "summary level: the listed accounts are those with something to act on",
          repr(sorted(listed ^ act)))
    check(0 < len(listed) < len(names), "summary level: some sample accounts are left out",
          "%d of %d" % (len(listed), len(names)))
    note = re.search(r'<span data-c="accounts">(\d+)</span> of (\d+) accounts have', text)
    check(note is not None and (int(note.group(1)), int(note.group(2))) == (len(listed), len(names)),
          "summary level: the section says how many of the accounts it lists")
    rows = {html.unescape(x) for x in re.findall(r'<tr data-a="\d+"><th scope="row">(.*?)</th>', text)}
    check(rows and rows <= listed, "summary level: the static first page shows listed accounts only")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: test_html.py PROGRAM DATADIR\n")
        return 2
    prog, data = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    tiers = html_check.account_tiers(os.path.join(data, "accounts.csv"))
    with tempfile.TemporaryDirectory() as tmp:
        page, report_text = page_and_report(prog, tmp, "--data", data)
        parsed = html_check.parse(page)
        report = json.loads(report_text)
        test_self_contained(page, parsed)
        test_sections(parsed)
        test_numbers(parsed, report, tiers)
        test_matrix(page, parsed, report)
        test_json_unchanged(prog, data, tmp, report_text)
        test_errors(prog, data, tmp)
        test_escaping(prog, tmp)
        test_empty(prog, tmp)
        test_budget(prog, data, tmp)
        test_summary_level(prog, data, tmp, report)
    print("%d failure%s" % (len(failures), "" if len(failures) == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
