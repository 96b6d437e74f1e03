"""Result.to_pandas: the tables as DataFrames with pandas types.

meson runs this file as the test python_pandas under Debian's
/usr/bin/python3, where python3-pandas installs pandas; run as a program
it exits 77 (meson's "skipped") when pandas is not importable, and only
then. Found by `unittest discover` under another Python without pandas, its
tests are skipped. Environment as in test_servgap.py.
"""

from __future__ import annotations

import math
import os
import pathlib
import sys
import unittest

PKG_DIR = pathlib.Path(__file__).resolve().parent.parent
ROOT = PKG_DIR.parent.parent
try:
    import servgap
except ImportError:
    sys.path.insert(0, str(PKG_DIR))
    import servgap

try:
    import pandas as pd
except ImportError:
    pd = None

from servgap import GapType, QueryFlag  # noqa: E402

DATA = pathlib.Path(os.environ.get("SERVGAP_DATA") or ROOT / "examples" / "data")
TABLES = ("metrics", "accounts", "observations", "importance", "efforts", "plans")


@unittest.skipIf(pd is None, "pandas is not installed (Debian: python3-pandas)")
class TestDataFrames(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ctx = servgap.Context()
        for t in TABLES:
            cls.ctx.import_csv(t, DATA / (t + ".csv"))
        cls.res = cls.ctx.query(flags=QueryFlag.ALL | QueryFlag.TRENDS | QueryFlag.PLANS)
        cls.report = cls.res.json()

    @classmethod
    def tearDownClass(cls):
        cls.res.close()
        cls.ctx.close()

    def test_cell_by_gap_frame_has_pandas_types(self):
        df = self.res.to_pandas("gaps")
        self.assertEqual(len(df), len(self.report["cells"]) * len(GapType))
        self.assertEqual(list(df.columns), list(self.res.columns("gaps")))
        self.assertEqual(str(df["value"].dtype), "float64")
        self.assertEqual(str(df["n_up"].dtype), "int64")
        self.assertEqual(str(df["significant"].dtype), "bool")
        self.assertEqual(str(df["gap"].dtype), "category")
        # Categories in the library's order, so sorting and pivots follow it.
        self.assertEqual(list(df["gap"].cat.categories), [str(g) for g in GapType])
        self.assertEqual(str(df["scope"].dtype), "object")

    def test_pivot_of_the_long_form_equals_the_report(self):
        df = self.res.to_pandas("gaps")
        shortfalls = df[df["status"] == "shortfall"]
        worst = shortfalls.pivot_table(index="scope", columns="gap", values="value",
                                       aggfunc="min", observed=True)
        expect = {}
        for cell in self.report["cells"]:
            for name, g in cell["gaps"].items():
                if g["status"] == "shortfall":
                    key = (cell["scope"], name)
                    expect[key] = min(expect.get(key, math.inf), g["value"])
        got = {(scope, gap): v for (scope, gap), v in worst.stack().items()}
        self.assertEqual(got, expect)

    def test_findings_triggers_and_plans(self):
        f = self.res.to_pandas("findings")
        self.assertEqual(list(f["rank"]), [p["rank"] for p in self.report["priorities"]])
        self.assertEqual(str(f["root"].dtype), "Int64")  # null where no root
        roots = [None if pd.isna(r) else int(r) + 1 for r in f["root"]]
        self.assertEqual(roots, [p["root"] for p in self.report["priorities"]])
        self.assertEqual(list(f["quadrant"].cat.categories),
                         ["quick_win", "major_project", "fill_in", "thankless"])
        t = self.res.to_pandas("triggers")
        self.assertEqual(str(t["date"].dtype), "datetime64[ns, UTC]")
        self.assertEqual([d.date().isoformat() for d in t["date"]],
                         [j["date"] for j in self.report["triggers"]])
        p = self.res.to_pandas("plans")
        self.assertEqual([None if pd.isna(d) else d.date().isoformat() for d in p["deadline"]],
                         [j["deadline"] for j in self.report["plans"]])
        r = self.res.findings.to_pandas()
        self.assertEqual(list(r["rank"]), list(f["rank"]))

    def test_every_table(self):
        for table in ("gaps", "cells", "servqual", "breakdowns", "findings", "ipa", "triggers",
                      "risk", "trends", "plans"):
            df = self.res.to_pandas(table)
            self.assertEqual(list(df.columns), list(self.res.columns(table)), table)
            self.assertEqual(len(df), len(next(iter(self.res.columns(table).values()))), table)


if __name__ == "__main__":
    if pd is None:
        print("test_pandas.py: pandas is not importable by %s: skipped" % sys.executable)
        sys.exit(77)
    unittest.main(verbosity=2)
