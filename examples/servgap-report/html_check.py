#!/usr/bin/env python3
"""html_check.py -- compare what servgap-report's HTML page shows with its
JSON report; imported by test_html.py and test_html_browser.py.

The page tags each number it shows with its place in the JSON report
(data-j="priorities.0.impact") and each count it derives with what it
counts (data-c="findings gap=delivery tier=enterprise"). This module
reads those tags, from the static HTML or from what the page's script
wrote into <pre id="shown-numbers">, and checks each against the report:
a number must be the report's value rounded to the digits shown, a string
the report's string as the page prints names (control characters made
visible, as visible.c does), and a count what the report's rows add up
to. Standard library only.
"""

import csv
import decimal
import html.parser
import json

DASHES = ("\u2013", "-", "")


def visible(s):
    """A string as the report prints names: each C0 control and DEL as \\xHH,
    each C1 control as \\u00HH, a backslash doubled (visible.c)."""
    out = []
    for ch in s:
        c = ord(ch)
        if c < 0x20 or c == 0x7F:
            out.append("\\x%02x" % c)
        elif 0x80 <= c <= 0x9F:
            out.append("\\u%04x" % c)
        elif ch == "\\":
            out.append("\\\\")
        else:
            out.append(ch)
    return "".join(out)


def lookup(report, path):
    """The value at a dotted path ("cells.6.gaps.service.ci.0"); KeyError or
    IndexError when the report has no such place."""
    node = report
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def number_matches(text, value):
    """Whether text is value rounded to the digits text shows (half a unit
    of its last digit, with room for the double's own rounding)."""
    t = text.strip().replace(",", "").replace("\u2212", "-")
    if t.startswith("+"):
        t = t[1:]
    try:
        shown = decimal.Decimal(t)
    except decimal.InvalidOperation:
        return False
    unit = decimal.Decimal(1).scaleb(shown.as_tuple().exponent)
    tol = float(unit) / 2 * (1 + 1e-9) + 1e-12 * abs(value)
    return abs(float(shown) - value) <= tol


def value_matches(text, value):
    if value is None:
        return text.strip() in DASHES
    if isinstance(value, bool):
        return text.strip() == ("true" if value else "false")
    if isinstance(value, (int, float)):
        return number_matches(text, value)
    return text.strip() == visible(value).strip()


def account_tiers(path):
    """{account name: tier name} from an accounts.csv."""
    with open(path, newline="", encoding="utf-8") as f:
        return {row["account"]: row.get("tier", "") for row in csv.DictReader(f)}


def finding_tier(f, tiers):
    kind, _, name = f["scope"].partition(":")
    return name if kind == "tier" else tiers.get(name) or "(none)"


def derived_counts(report, tiers):
    """What each data-c tag of the page should read, from the report."""
    c = {"findings": len(report["priorities"]), "cells": len(report["cells"]),
         "charted": min(len(report["priorities"]), 250), "accounts": len(report["risk"]),
         "plans": len(report["plans"]),
         "plans overdue": sum(1 for p in report["plans"] if p["overdue"])}
    for p in report["plans"]:
        key = "plans outcome=" + p["outcome"]
        c[key] = c.get(key, 0) + 1
    c["findings quadrant=quick_win"] = sum(1 for f in report["priorities"]
                                           if f["quadrant"] == "quick_win")
    c["triggers due"] = sum(1 for t in report["triggers"] if t["kind"] != "quarterly_review")
    for t in report["triggers"]:
        key = "triggers kind=" + t["kind"]
        c[key] = c.get(key, 0) + 1
    for f in report["priorities"]:
        scope = "tier" if f["scope"].startswith("tier:") else "account"
        for tier in (visible(finding_tier(f, tiers)), "*"):
            for key in ("findings gap=%s tier=%s" % (f["gap"], tier),
                        "findings gap=%s tier=%s scope=%s" % (f["gap"], tier, scope)):
                c[key] = c.get(key, 0) + 1
    return c


def compare(shown, report, tiers):
    """Problems with the shown [kind, key, text] triples; [] when the page
    shows the report's numbers. kind is "j" (a JSON path) or "c" (a count)."""
    counts = derived_counts(report, tiers)
    problems = []
    for kind, key, text in shown:
        if kind == "c":
            want = counts.get(key, 0)
            if text.strip() != str(want):
                problems.append("%s shows %r, the report gives %d" % (key, text, want))
            continue
        try:
            value = lookup(report, key)
        except (KeyError, IndexError, ValueError):
            problems.append("%s: no such place in the JSON report" % key)
            continue
        if not value_matches(text, value):
            problems.append("%s shows %r, the JSON report has %r" % (key, text, value))
    return problems


class Tags(html.parser.HTMLParser):
    """The data-j and data-c elements of a page with their text, as the
    page's script collects them; and every element's tag, for the tests."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.shown, self.open, self.tags, self.scripts = [], [], [], []
        self.ids = set()
        self.in_script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            self.scripts.append([a, ""])
            self.in_script = self.scripts[-1]
        for kind in ("j", "c"):
            if "data-" + kind in a:
                self.shown.append([kind, a["data-" + kind], ""])
                self.open.append((tag, len(self.shown) - 1, 0))
                return
        if self.open and self.open[-1][0] == tag:
            t, i, depth = self.open[-1]
            self.open[-1] = (t, i, depth + 1)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None
        if self.open and self.open[-1][0] == tag:
            t, i, depth = self.open[-1]
            if depth == 0:
                self.open.pop()
            else:
                self.open[-1] = (t, i, depth - 1)

    def handle_data(self, data):
        if self.in_script is not None:
            self.in_script[1] += data
        for _, i, _ in self.open:
            self.shown[i][2] += data


def parse(page):
    p = Tags()
    p.feed(page)
    p.close()
    return p


def load_report(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
