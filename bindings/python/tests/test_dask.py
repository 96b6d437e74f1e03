"""servgap.dask on a real dask.distributed cluster against one process.

A LocalCluster of two worker processes talking TCP runs every job; each
job's merged Context must give the report of one Context that imports the
same data (metrics, accounts, observations, importance, efforts, plans:
servgap-report's order): the same JSON structure and strings, every number
within 1e-12 (see close()). On the sample data as a DataFrame of strings,
as a typed DataFrame and as CSV files split by account; on random data cut
into random partitions and reduced by random trees.

meson runs this file as the test python_dask under Debian's
/usr/bin/python3 (python3-distributed); run as a program it exits 77
(meson's "skipped") when dask or distributed is not importable, and only
then. The workers are processes spawned from this one's environment, so
SERVGAP_LIBRARY and PYTHONPATH (set by meson) reach them.
"""

from __future__ import annotations

import io
import math
import os
import pathlib
import random
import re
import subprocess
import sys
import tempfile
import unittest
import zlib
from dataclasses import asdict
from typing import Any, Dict, List, Optional, Tuple

PKG_DIR = pathlib.Path(__file__).resolve().parent.parent
ROOT = PKG_DIR.parent.parent
try:
    import servgap
except ImportError:
    sys.path.insert(0, str(PKG_DIR))
    import servgap

try:
    import dask
    import distributed
    import pandas as pd
    import dask.dataframe as dd
    import servgap.dask as sdask
except ImportError:
    sdask = None

from servgap import QueryFlag  # noqa: E402

DATA = pathlib.Path(os.environ.get("SERVGAP_DATA") or ROOT / "examples" / "data")
REPORT = os.environ.get("SERVGAP_REPORT")
TABLES = ("metrics", "accounts", "observations", "importance", "efforts", "plans")
FLAGS = QueryFlag.ALL | QueryFlag.TRENDS | QueryFlag.PLANS
DAY = 86400
T0 = 1767225600  # 2026-01-01 UTC
TOL = 1e-12

# ---------------------------------------------------------------------------
# Comparing reports
# ---------------------------------------------------------------------------


def close(x: float, y: float) -> bool:
    """Within TOL of the larger magnitude, and of 1: summaries merge moments
    in another order than one handle's scan, so numbers differ in their
    last bits, and a gap between two equal means is 0 in one run and 1e-16
    in the other (relative error would call that a difference)."""
    if x == y or (math.isnan(x) and math.isnan(y)):
        return True
    return abs(x - y) <= TOL * max(abs(x), abs(y), 1.0)


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def same_text(a: str, b: str) -> bool:
    """Strings equal but for the numbers written in them (a trigger's
    detail), which agree as numbers do."""
    na, nb = _NUMBER.findall(a), _NUMBER.findall(b)
    return (_NUMBER.sub("#", a) == _NUMBER.sub("#", b) and len(na) == len(nb)
            and all(close(float(x), float(y)) for x, y in zip(na, nb)))


def differences(a: Any, b: Any, path: str = "$") -> List[str]:
    """Where two JSON values differ: structure, strings, literals exactly;
    numbers within TOL."""
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return [] if a is b or a == b and type(a) is type(b) else ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if close(float(a), float(b)) else ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, str) and isinstance(b, str):
        return [] if same_text(a, b) else ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return ["%s: keys %s != %s" % (path, list(a), list(b))]
        return [d for k in a for d in differences(a[k], b[k], "%s.%s" % (path, k))]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return ["%s: %d != %d items" % (path, len(a), len(b))]
        return [d for i, (x, y) in enumerate(zip(a, b))
                for d in differences(x, y, "%s[%d]" % (path, i))]
    return ["%s: %r != %r" % (path, a, b)]


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def single_context(tables: Dict[str, Any], observations: List[Any],
                   options: Dict[str, Any]) -> "servgap.Context":
    """The reference: one handle, the observations in their order."""
    ctx = servgap.Context(**options)
    for name in ("metrics", "accounts"):
        ctx.import_csv(name, tables[name])
    for obs in observations:
        ctx.import_csv("observations", obs)
    for name in ("importance", "efforts", "plans"):
        ctx.import_csv(name, tables[name])
    return ctx


def part_of(row: List[str], k: int) -> int:
    """A row's file: by its account, tier-wide rows by tier."""
    key = row[1] or "tier:" + row[2]
    return zlib.crc32(key.encode()) % k


def split_csv(text: bytes, k: int) -> List[bytes]:
    """k CSV documents of text's rows, split by account (rows kept in
    order; the sample's records are single lines)."""
    lines = text.decode().splitlines(keepends=True)
    parts = [[lines[0]] for _ in range(k)]
    for line in lines[1:]:
        parts[part_of(line.split(",", 3), k)].append(line)
    return ["".join(p).encode() for p in parts]


def write_files(directory: str, docs: List[bytes]) -> List[str]:
    paths = []
    for i, doc in enumerate(docs):
        path = os.path.join(directory, "obs-%d.csv" % i)
        with open(path, "wb") as f:
            f.write(doc)
        paths.append(path)
    return paths


class RandomData:
    """A random helpdesk: accounts in tiers (one tierless, one defined only
    by its observations, a tier and a touchpoint only the observations
    name), events every day, survey responses with importance points, SLAs
    that change and a promise withdrawn. CSV text written here, in the
    formats of docs/formats.md, independently of servgap.dask."""

    NDAYS = 120
    TPS = ("slack", "email", "phone", "chat")
    TEAMS = ("red", "blue", "green")
    ITEMS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
    DRIVERS = ("", "none", "word_of_mouth", "personal_needs", "past_experience",
               "external_communication")

    def __init__(self, seed: int, withdraw: bool = True) -> None:
        self.r = random.Random(seed)
        self.withdraw = withdraw
        self.accounts = [("acct%d" % a, "" if a == 8 else ("gold", "silver")[a % 2])
                         for a in range(9)]
        self.rows: List[Tuple] = []

    def tables(self) -> Dict[str, bytes]:
        acc = ["account,tier,value,health,at_risk,renewal,migrated,churned"]
        for a, (name, tier) in enumerate(self.accounts):
            acc.append("%s,%s,%d,%d,%d,2026-%02d-15,%s,%d" % (
                name, tier, 1000 * (a + 1), 30 + 7 * a, a % 3 == 0, 6 + a % 6,
                "2026-03-01" if a % 3 == 2 else "", a % 4 == 1))
        return {
            "metrics": b"metric,dimension,direction,min,max,span,unit\n"
                       b"response_hours,responsiveness,lower,0,72,,h\n"
                       b"uptime,reliability,higher,,,10,\n",
            "accounts": ("\n".join(acc) + "\n").encode(),
            "importance": b"scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
                          b"tier:gold,customer,10,30,30,20,10\n"
                          b"tier:gold,provider,20,20,20,20,20\n",
            "efforts": b"gap,touchpoint,metric,effort\ndelivery,*,*,2\n",
            "plans": b"scope,touchpoint,metric,gap,owner,deadline,target,baseline_from,"
                     b"baseline_to\n"
                     b"tier:gold,slack,response_hours,delivery,ops,,-0.1,2026-01-01,2026-01-31\n"
                     b"account:acct1,*,dim:reliability,service,ops,2026-04-01,-0.1,,\n",
        }

    def row(self, day: int, account: str, tier: str, tp: str, metric: str, vp: str, value: Any,
            team: str = "", driver: str = "", respondent: str = "", second: int = 0) -> None:
        self.rows.append((T0 + day * DAY + second, account, tier, tp, metric, vp, value, team,
                          driver, respondent))

    def event(self, day: int, account: str, tier: str, vp: str, metric: str) -> None:
        r = self.r
        if metric == "response_hours":
            value: Any = 72.0 * r.random()
        elif metric == "uptime":
            value = 90.0 + 10.0 * r.random()
        else:
            value = r.randint(1, 7)
        tp = r.choice(("",) + self.TPS[:3]) if r.random() < 0.9 else "chat"
        team = r.choice(self.TEAMS) if vp in ("delivered", "perceived") and r.random() < 0.5 else ""
        driver = r.choice(self.DRIVERS[2:]) if vp == "expected" and r.random() < 0.6 else ""
        self.row(day, account, tier, tp, metric, vp, value, team, driver,
                 second=r.randrange(DAY))

    def response(self, day: int, account: str, tier: str) -> None:
        r = self.r
        who = "r-%s-%d" % (account, day)
        ctx = dict(tp=r.choice(self.TPS[:3]), team=r.choice(("",) + self.TEAMS),
                   driver=r.choice(self.DRIVERS[1:]), second=r.randrange(DAY))
        for item in self.ITEMS[:3]:
            self.row(day, account, tier, ctx["tp"], item, "expected", r.randint(1, 7),
                     ctx["team"], ctx["driver"], who, ctx["second"])
            if r.random() < 0.8:
                self.row(day, account, tier, ctx["tp"], item, "perceived", r.randint(1, 7),
                         ctx["team"], ctx["driver"], who, ctx["second"])
            if r.random() < 0.5:
                self.row(day, account, tier, ctx["tp"], item, "adequate", r.randint(1, 4),
                         ctx["team"], ctx["driver"], who, ctx["second"])
        if r.random() < 0.6:
            left = 100
            for item in self.ITEMS[:4]:
                p = r.randint(0, left // 2)
                left -= p
                self.row(day, account, tier, ctx["tp"], item, "importance", p, ctx["team"],
                         ctx["driver"], who, ctx["second"])
            self.row(day, account, tier, ctx["tp"], self.ITEMS[4], "importance", left,
                     ctx["team"], ctx["driver"], who, ctx["second"])

    def observations(self) -> bytes:
        r = self.r
        self.row(0, "", "gold", "slack", "response_hours", "standard", 8)
        self.row(0, "", "silver", "", "response_hours", "promised", 4)
        self.row(3, "", "bronze", "email", "response_hours", "standard", 12)
        for day in range(self.NDAYS):
            if day == 75:
                self.row(day, "", "gold", "slack", "response_hours", "standard", 6)
            people = self.accounts + [("newco", "" if day < 10 else "bronze")]
            for a, (name, tier) in enumerate(people):
                tier = tier if r.random() < 0.7 or name == "newco" else ""
                for _ in range(2):
                    self.event(day, name, tier, "delivered", "response_hours")
                    self.event(day, name, tier, "perceived", r.choice(self.ITEMS + ("uptime",)))
                if day % 30 == a % 5 and r.random() < 0.5:
                    self.event(day, name, tier, "believed", r.choice(self.ITEMS))
                if r.random() < 0.15:
                    self.event(day, name, tier, "expected", r.choice(self.ITEMS))
                if day % 20 == a % 7:
                    self.response(day, name, tier)
            if day == 20:
                self.row(day, "acct2", "", "email", "response_hours", "standard", 4)
            if day == 30:
                self.row(day, "acct2", "", "email", "response_hours", "promised", 3)
            if day == 100 and self.withdraw:
                self.row(day, "acct2", "", "email", "response_hours", "promised", "withdrawn")
        out = io.StringIO()
        out.write("time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n")
        for row in self.rows:
            out.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")
        return out.getvalue().encode()


def typed_frame(text: bytes) -> "pd.DataFrame":
    """The CSV as pandas reads it by default: numbers as numbers, empty
    fields as NaN; times as UTC datetimes."""
    df = pd.read_csv(io.BytesIO(text))
    df["time"] = pd.to_datetime(df["time"], unit="s" if df["time"].dtype.kind == "i" else None,
                                utc=True)
    return df


def text_frame(text: bytes) -> "pd.DataFrame":
    return pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


class TestImport(unittest.TestCase):
    """Run under any Python: servgap stays standard-library only."""

    def python(self, code: str) -> "subprocess.CompletedProcess[str]":
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(PKG_DIR)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
        return subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True)

    def test_import_servgap_does_not_import_dask(self):
        out = self.python("import sys, servgap\n"
                          "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                          "('dask', 'distributed', 'pandas') or m == 'servgap.dask'))")
        self.assertEqual(out.stdout.strip(), "[]", out.stdout)

    def test_without_distributed_the_import_names_the_package(self):
        # None in sys.modules makes an import of that name fail, as on a
        # machine without it.
        out = self.python("import sys\nsys.modules['distributed'] = None\n"
                          "import servgap.dask")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("ImportError: servgap.dask needs dask and distributed", out.stdout)
        self.assertIn("python3-distributed", out.stdout)


@unittest.skipIf(sdask is None, "dask/distributed are not installed (Debian: python3-distributed)")
class TestDask(unittest.TestCase):
    cluster: Any = None
    client: Any = None

    @classmethod
    def setUpClass(cls) -> None:
        # Loaded machines start workers slowly: connections may take far
        # longer than dask's 30 s defaults before a test fails for it.
        cls.config = dask.config.set({"distributed.comm.timeouts.connect": "300s",
                                      "distributed.comm.timeouts.tcp": "300s"})
        # Ports the system picks (0) on the loopback: no fixed port to clash.
        cls.cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                               protocol="tcp://", host="127.0.0.1",
                                               scheduler_port=0, dashboard_address=None)
        try:
            cls.client = distributed.Client(cls.cluster, timeout="300s")
            cls.client.wait_for_workers(2)
        except BaseException:
            cls.cluster.close()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            cls.client.close()
        finally:
            cls.cluster.close()
            cls.config.__exit__(None, None, None)

    def setUp(self) -> None:
        self.sample = {t: (DATA / (t + ".csv")).read_bytes() for t in TABLES}
        self.defs = {t: DATA / (t + ".csv") for t in sdask.DEFINITIONS}

    # -- helpers ------------------------------------------------------------

    def assert_same_reports(self, single: "servgap.Context", merged: "servgap.Context",
                            windows: List[Tuple[Optional[int], Optional[int]]]) -> None:
        """Every window's report, every section with each finding's trend
        and the plans, and every plan re-measured over the second window."""
        for start, end in windows:
            with single.query(start, end, flags=FLAGS) as a, merged.query(start, end,
                                                                        flags=FLAGS) as b:
                ja, jb = a.json(), b.json()
            diff = differences(ja, jb)
            self.assertEqual(diff[:5], [], "window [%s, %s)" % (start, end))
            self.assertTrue(ja["cells"] and ja["priorities"])
        self.assertEqual(merged.plan_count(), single.plan_count())
        start, end = windows[1]
        for p in range(single.plan_count()):
            x = asdict(single.plan_remeasure(p, start - (end - start), start, start, end))
            y = asdict(merged.plan_remeasure(p, start - (end - start), start, start, end))
            self.assertEqual(differences(x, y), [], "plan %d" % p)

    def analyse(self, observations: Any, defs: Dict[str, Any], **kw: Any) -> "servgap.Context":
        return sdask.analyse(self.client, observations, defs, **kw)

    def test_the_cluster_is_two_processes_talking_tcp(self):
        workers = self.client.scheduler_info()["workers"]
        self.assertEqual(len(workers), 2)
        self.assertTrue(all(a.startswith("tcp://") for a in workers), list(workers))
        pids = set(self.client.run(os.getpid).values())
        self.assertEqual(len(pids), 2)
        self.assertNotIn(os.getpid(), pids)

    # -- the sample data ----------------------------------------------------

    SAMPLE_WINDOWS = [(None, None), (T0 + 151 * DAY, T0 + 181 * DAY),  # June 2026
                      (T0 + 90 * DAY, T0 + 273 * DAY)]

    def test_dataframe_of_strings_equals_single_process(self):
        df = text_frame(self.sample["observations"])
        ddf = dd.from_pandas(df, npartitions=4, sort=False)
        with single_context(self.sample, [self.sample["observations"]], {}) as single, \
                self.analyse(ddf, self.defs, split_every=2) as merged:
            self.assert_same_reports(single, merged, self.SAMPLE_WINDOWS)
            self.assertEqual(merged.names("touchpoint"), single.names("touchpoint"))
            self.assertEqual(merged.names("team"), single.names("team"))
            # DataFrames out, as from one process: the same rows, dtypes and
            # labels; numbers to rounding.
            with single.query(flags=FLAGS) as a, merged.query(flags=FLAGS) as b:
                for table in ("gaps", "findings", "servqual", "trends"):
                    fa, fb = a.to_pandas(table), b.to_pandas(table)
                    self.assertGreater(len(fa), 0, table)
                    pd.testing.assert_frame_equal(fa, fb, check_exact=False, rtol=TOL,
                                                  atol=TOL, obj=table)

    def test_sample_equals_servgap_report(self):
        """The program users run on one machine is the reference too."""
        if not REPORT:
            self.skipTest("SERVGAP_REPORT is not set")
        ref = subprocess.run([REPORT, "--data", str(DATA), "--json", "--level", "full"],
                             stdout=subprocess.PIPE,
                             check=True).stdout
        import json
        ddf = dd.from_pandas(text_frame(self.sample["observations"]), npartitions=3, sort=False)
        with self.analyse(ddf, self.defs) as merged, merged.query(flags=FLAGS) as res:
            self.assertEqual(differences(json.loads(ref), res.json())[:5], [])

    def test_typed_dataframe_equals_single_process(self):
        """Datetimes, NaN for empty fields and numbers reach the library as
        the CSV said them."""
        ddf = dd.from_pandas(typed_frame(self.sample["observations"]), npartitions=3,
                             sort=False)
        with single_context(self.sample, [self.sample["observations"]], {}) as single, \
                self.analyse(ddf, self.defs, npartitions=5) as merged:
            self.assert_same_reports(single, merged, self.SAMPLE_WINDOWS)

    def test_csv_files_split_by_account(self):
        docs = split_csv(self.sample["observations"], 3)
        with tempfile.TemporaryDirectory() as d:
            paths = write_files(d, docs)
            with single_context(self.sample, docs, {}) as single, \
                    self.analyse(paths, self.defs, split_every=2) as merged:
                self.assert_same_reports(single, merged, self.SAMPLE_WINDOWS)

    def test_csv_files_not_split_by_account_are_refused_or_shuffled(self):
        lines = self.sample["observations"].splitlines(keepends=True)
        half = len(lines) // 2
        docs = [b"".join(lines[:half]), lines[0] + b"".join(lines[half:])]
        with tempfile.TemporaryDirectory() as d:
            paths = write_files(d, docs)
            with self.assertRaisesRegex(ValueError, "accounts whole"):
                sdask.summarize(self.client, paths, self.defs)
            with single_context(self.sample, docs, {}) as single, \
                    self.analyse(paths, self.defs, shuffle=True, npartitions=3) as merged:
                self.assert_same_reports(single, merged, self.SAMPLE_WINDOWS)

    def test_partitions_as_they_are_must_keep_keys_whole(self):
        """shuffle=False refuses a DataFrame that splits an account, or a
        tier's tier-wide rows, before any summary is made."""
        df = text_frame(self.sample["observations"])
        tier_wide = df.index[(df["account"] == "") & (df["tier"] == "enterprise")]
        self.assertGreater(len(tier_wide), 1)
        first = df.loc[[tier_wide[0]]]
        ddf = dd.concat([dd.from_pandas(first, npartitions=1, sort=False),
                         dd.from_pandas(df.drop(index=tier_wide[0]), npartitions=1,
                                        sort=False)])
        self.assertEqual(ddf.npartitions, 2)
        with self.assertRaisesRegex(ValueError, "tier 'enterprise'.s tier-wide rows: rows in "
                                                "partition 0 and in partition 1"):
            sdask.summarize(self.client, ddf, self.defs, shuffle=False)
        halves = dd.from_pandas(df, npartitions=2, sort=False)
        with self.assertRaisesRegex(ValueError, "account '[^']+': rows in partition 0 and in "
                                                "partition 1"):
            sdask.summarize(self.client, halves, self.defs, shuffle=False)
        # Kept whole, they are taken as they are.
        tierwide = df["account"] == ""
        whole = dd.concat([dd.from_pandas(df[tierwide], npartitions=1, sort=False),
                           dd.from_pandas(df[~tierwide], npartitions=1, sort=False)])
        docs = [df[tierwide].to_csv(index=False).encode(),
                df[~tierwide].to_csv(index=False).encode()]
        with single_context(self.sample, docs, {}) as single, \
                self.analyse(whole, self.defs, shuffle=False) as merged:
            self.assert_same_reports(single, merged, self.SAMPLE_WINDOWS)

    def test_a_window_of_days(self):
        """Summaries of the days before July answer June's query as the
        whole log does (a window also reads the days of its look-back)."""
        june = self.SAMPLE_WINDOWS[1]
        ddf = dd.from_pandas(text_frame(self.sample["observations"]), npartitions=2, sort=False)
        with single_context(self.sample, [self.sample["observations"]], {}) as single, \
                self.analyse(ddf, self.defs, window=(None, june[1])) as merged:
            with single.query(*june, flags=QueryFlag.ALL) as a, \
                    merged.query(*june, flags=QueryFlag.ALL) as b:
                self.assertEqual(differences(a.json(), b.json())[:5], [])
            self.assertLess(merged.observation_count(), single.observation_count())

    def test_a_fixed_reduction_gives_the_same_bytes(self):
        ddf = dd.from_pandas(text_frame(self.sample["observations"]), npartitions=4, sort=False)
        a = sdask.summarize(self.client, ddf, self.defs, split_every=2)
        b = sdask.summarize(self.client, ddf, self.defs, split_every=2)
        self.assertEqual(a.summary, b.summary)
        self.assertEqual(a.dictionary, b.dictionary)
        rows = len(self.sample["observations"].splitlines()) - 1
        self.assertEqual(sum(r.rows for r in a.imports), rows)

    def test_a_bad_row_fails_the_job_or_is_skipped(self):
        text = self.sample["observations"] + b"2026-02-01,acme,,email,reliability,perceived,9,,,\n"
        ddf = dd.from_pandas(text_frame(text), npartitions=2, sort=False)
        with self.assertRaisesRegex(servgap.RangeError, "value 9 outside"):
            sdask.summarize(self.client, ddf, self.defs)
        done = sdask.summarize(self.client, ddf, self.defs, skip_bad_rows=True)
        self.assertEqual(sum(r.skipped for r in done.imports), 1)

    # -- random data --------------------------------------------------------

    def test_random_data_and_partitions(self):
        # Means of whole Likert answers hit 4, the midpoint crosshair, exactly;
        # one order of additions then reads 3.9999999999999996 and the
        # quadrant flips. A crosshair no such mean reaches keeps the test to
        # what summaries promise: the same numbers to rounding.
        options = {"ipa_crosshair": "custom", "ipa_performance": 4.0 + 1.0 / 1024}
        windows = [(None, None), (T0 + 60 * DAY, T0 + 90 * DAY), (T0 + 90 * DAY, T0 + 120 * DAY)]
        for seed in (1, 2, 3):
            with self.subTest(seed=seed):
                # Without a withdrawal, values are a float64 column.
                data = RandomData(seed, withdraw=seed % 2 == 0)
                tables, obs = data.tables(), data.observations()
                tables["observations"] = obs
                r = random.Random(seed)
                frame = typed_frame(obs) if seed % 2 else text_frame(obs)
                ddf = dd.from_pandas(frame, npartitions=r.randint(2, 6), sort=False)
                defs = {t: tables[t] for t in sdask.DEFINITIONS}
                with single_context(tables, [obs], options) as single, \
                        self.analyse(ddf, defs, options=options, npartitions=r.randint(1, 5),
                                     split_every=r.randint(2, 4)) as merged:
                    self.assertIn("newco", single.names("account"))
                    self.assertEqual(merged.names("account"), single.names("account"))
                    self.assertEqual(merged.names("tier"), single.names("tier"))
                    self.assert_same_reports(single, merged, windows)


if __name__ == "__main__":
    if sdask is None:
        print("test_dask.py: dask/distributed are not importable by %s: skipped" % sys.executable)
        sys.exit(77)
    unittest.main(verbosity=2)
