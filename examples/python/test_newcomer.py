#!/usr/bin/env python3
"""Runs newcomer.py on the sample data and checks what it prints and writes
against the C library's JSON report (meson test python_newcomer, under
Debian's /usr/bin/python3, so with pandas where python3-pandas is
installed; without pandas the script's column fallback is checked).

Environment (bindings/python/meson.build sets it): SERVGAP_LIBRARY,
SERVGAP_REPORT (servgap-report), SERVGAP_DATA (examples/data), PYTHONPATH
(bindings/python).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.environ.get("SERVGAP_DATA") or os.path.join(ROOT, "examples", "data")
REPORT = os.environ.get("SERVGAP_REPORT")
GAPS = ("service", "knowledge", "standards", "delivery", "communication", "perception",
        "adequacy")

try:
    import pandas  # noqa: F401
    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False


class TestNewcomer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        run = subprocess.run([sys.executable, os.path.join(HERE, "newcomer.py"), "--data", DATA,
                              "--out", cls.tmp.name], stdout=subprocess.PIPE,
                             universal_newlines=True, check=True)
        cls.out = run.stdout
        if not REPORT:
            raise unittest.SkipTest("SERVGAP_REPORT (servgap-report) is not set")
        cls.c_json = subprocess.run([REPORT, "--data", DATA, "--json", "--level", "full"], stdout=subprocess.PIPE,
                                    check=True).stdout
        cls.report = json.loads(cls.c_json)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def section(self, title):
        """The lines of the section whose heading starts with title."""
        text = self.out.split("== " + title, 1)[1]
        return text.split("\n\n", 1)[0].splitlines()[1:]

    def test_json_file_is_the_c_report_byte_for_byte(self):
        with open(os.path.join(self.tmp.name, "report.json"), "rb") as f:
            self.assertEqual(f.read(), self.c_json)
        self.assertIn("== JSON report: %d bytes" % len(self.c_json), self.out)

    def test_top_five_per_tier_in_rank_order(self):
        accounts = {a: t for a, t in _accounts_tiers()}
        tiers = sorted(set(accounts.values()))
        self.assertEqual(len(tiers), 3)
        for tier in tiers:
            want = [p for p in self.report["priorities"]
                    if _tier(p["scope"], accounts) == tier][:5]
            lines = self.section("Top %d priorities, tier %s ==" % (len(want), tier))
            got = [(int(line.split()[0]), line.split()[6]) for line in lines]
            self.assertEqual(got, [(p["rank"], p["scope"]) for p in want], tier)
            self.assertEqual(len(got), 5)
            for line, p in zip(lines, want):
                self.assertIn(" %s " % p["gap"], line)
                self.assertIn(p["quadrant"], line)

    def test_triggers(self):
        want = [t for t in self.report["triggers"] if t["kind"] != "quarterly_review"]
        lines = self.section("Review triggers: %d (besides quarterly reviews) ==" % len(want))
        self.assertEqual([line.split()[:3] for line in lines],
                         [[t["account"], t["kind"], t["date"]] for t in want])
        self.assertGreater(len(want), 0)

    def test_cell_by_gap_table(self):
        with open(os.path.join(self.tmp.name, "gaps.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        cells = self.report["cells"]
        self.assertEqual(len(rows), len(cells) * len(GAPS))
        for row in rows[:: 97]:  # a spread of rows, each against the report
            cell = cells[int(row["cell"])]
            gap = cell["gaps"][row["gap"]]
            self.assertEqual((row["scope"], row["touchpoint"], row["metric"], row["status"]),
                             (cell["scope"], cell["touchpoint"], cell["metric"], gap["status"]))
            self.assertEqual(_number(row["value"]), gap["value"])
        kind = "a pandas DataFrame" if HAVE_PANDAS else "columns (pandas is not installed)"
        self.assertIn("== Cells by gap: %s of %d rows x " % (kind, len(rows)), self.out)

    def test_worst_shortfall_per_tier(self):
        worst = {}
        for cell in self.report["cells"]:
            if cell["scope"].startswith("tier:"):
                for name, g in cell["gaps"].items():
                    if g["status"] == "shortfall":
                        key = (cell["scope"], name)
                        worst[key] = min(worst.get(key, 0.0), g["value"])
        printed = self.out.split("worst shortfall per tier and gap type:\n", 1)[1]
        for (scope, gap), value in worst.items():
            if HAVE_PANDAS:
                line = next(x for x in printed.splitlines() if x.startswith(scope + " "))
                header = printed.splitlines()[0].split()[1:]
                self.assertAlmostEqual(float(line.split()[1 + header.index(gap)]), value,
                                       places=2)
            else:
                self.assertRegex(printed, r"%s +%s +%+.2f" % (re.escape(scope), gap, value))


def _accounts_tiers():
    with open(os.path.join(DATA, "accounts.csv"), newline="") as f:
        for row in csv.DictReader(f):
            yield row["account"], row["tier"]


def _tier(scope, accounts):
    kind, name = scope.split(":", 1)
    return name if kind == "tier" else accounts[name]


def _number(text):
    return None if text in ("", "nan") else float(text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
