#!/usr/bin/env python3
"""Write the seed programs of fuzz_api (tests/fuzz/corpus/api).

A program is the byte code fuzz_api.c reads: a step byte (the index into
its table of steps, plus 0x80 to run it on the second handle), then the
step's arguments as fuzz_api.c draws them. The assembler below mirrors
those draws; keep the two in step when either changes. Run from anywhere:

    python3 tests/fuzz/api_seeds.py
"""
import os
import struct

STEPS = [
    "metric_define", "account_define", "account_set", "intern", "read_back",
    "record", "record_batch", "record_response", "withdraw", "set_importance",
    "effort_set", "plan_add", "plan_remeasure", "set_option", "query",
    "query_trends", "report_again", "snapshot_to_other", "merge_into_other",
    "import_csv", "load_bytes", "renew_other", "summary_copy", "interrupt",
]
NAMES = ["a", "b", "acme", "globex", "enterprise", "smb", "email", "chat",
         "squad", "frt", "ops", "csat", "reliability", "t\u00e9l", None, "*"]
EDGES = [0.0, -0.0, 1.0, 7.0, 100.0, 1e15, -1e15, 1e15 + 2]
T0_DAY = 0x70  # the byte of 2026-01-01 in when()


class Program:
    def __init__(self):
        self.b = bytearray()

    def step(self, name, other=False):
        self.b.append(STEPS.index(name) | (0x80 if other else 0))
        return self

    def byte(self, v):
        self.b.append(v & 0xFF)
        return self

    def name(self, s):
        if s in NAMES:
            return self.byte(NAMES.index(s))
        raw = s.encode()
        return self.byte(0xE3).byte(len(raw)).bytes(raw)

    def bytes(self, raw):
        self.b += raw
        return self

    def value(self, v):
        for i, e in enumerate(EDGES):
            if struct.pack("<d", v) == struct.pack("<d", e):
                return self.byte(i)
        if v >= 0 and v * 16 == int(v * 16) and 32 + v * 16 < 0xF8:
            return self.byte(32 + int(v * 16))
        return self.byte(0xF8).bytes(struct.pack("<d", v))

    def day(self, d):
        """T0 + 3 d days, d in -0x70 .. 0x6F."""
        return self.byte(T0_DAY + d)

    def cell(self, tier, scope, tp, metric):
        """scope kind, scope id, touchpoint (None: any) and metric."""
        self.byte(1 if tier else 0).byte(scope)
        if tp is None:
            return self.byte(1).byte(metric)
        return self.byte(0).byte(tp).byte(metric)

    def team(self, t):
        return self.byte(1) if t is None else self.byte(0).byte(t)

    def either(self, v):
        """SERVGAP_ALL, or the id v."""
        return self.byte(1) if v is None else self.byte(0).byte(v)


# Ids of the metrics every handle knows, and of the first one defined.
TANGIBLES, RELIABILITY, RESPONSIVENESS, ASSURANCE, EMPATHY, FRT = range(6)
EXPECTED, ADEQUATE, BELIEVED, STANDARD, DELIVERED, PROMISED, PERCEIVED = range(7)


def define_world(p, other=False):
    """frt, two accounts in two tiers, two touchpoints and a team."""
    p.step("metric_define", other).name("frt").byte(2).byte(1)
    p.value(0.0).value(1e15).value(24.0).byte(1).name("h")
    p.step("account_define", other).name("acme").byte(1).name("enterprise").value(7.0)
    p.step("account_define", other).name("globex").byte(1).name("smb").value(1.0)
    for kind, nm in ((2, "email"), (2, "chat"), (3, "squad")):
        p.step("intern", other).byte(kind).name(nm)
    return p


def survey(p, other=False):
    """Expectations and perceptions of acme and globex, an SLA withdrawn."""
    for acc in (0, 1):
        p.step("record_batch", other).byte(6).byte(0)
        for i in range(6):
            p.cell(False, acc, i % 2, RELIABILITY).byte(EXPECTED if i < 3 else PERCEIVED)
            p.value(6.0 - acc * (i >= 3) * 3 + i % 2).day(-i).team(0).byte(i % 5)
    p.step("record", other).cell(True, 0, 1, FRT).byte(STANDARD).value(4.0).day(-10)
    p.team(None).byte(0)
    p.step("record", other).cell(False, 0, 1, FRT).byte(DELIVERED).value(6.5).day(-5)
    p.team(0).byte(0)
    p.step("withdraw", other).cell(True, 0, 1, FRT).byte(0).day(-2)
    return p


def respondents(p):
    p.step("record_response").cell(False, 0, 0, 0).day(-1).team(None).byte(1).byte(2)
    p.byte(RELIABILITY).value(7.0).value(4.0).value(3.0)
    p.byte(EMPATHY).value(6.0).value(3.0).value(5.0)
    p.byte(1).byte(0)  # points {10, 30, 25, 20, 15}; adequate given
    p.step("set_importance").byte(1).byte(0).byte(2).byte(0)
    p.step("set_importance").byte(0).byte(1).byte(1).byte(1)
    return p


def plans(p):
    p.step("effort_set").byte(0).byte(3).byte(0).byte(1).byte(0).byte(FRT).value(2.5)
    p.step("plan_add").byte(0).name("ops").byte(0).byte(0).either(0).either(RELIABILITY)
    p.byte(RELIABILITY).byte(0).day(10).value(0.0).byte(0)
    # a tier plan on the dimension roll-up, with a baseline window
    p.step("plan_add").byte(0).name("squad").byte(1).byte(0).either(None).either(None)
    p.byte(RELIABILITY).byte(3).day(20).value(-0.5).byte(1).day(-40).day(-20)
    p.step("plan_remeasure").byte(0).day(-40).day(-10).day(-10).day(20)
    return p


def queries(p, other=False):
    p.step("query", other).byte(0).byte(0x7F)
    p.step("query", other).byte(7).day(-30).day(5).day(5).byte(0x1F)
    p.step("query_trends", other).byte(2)
    p.byte(0).byte(0).either(0).either(RELIABILITY).byte(0).byte(0)
    p.byte(1).byte(0).either(None).either(None).byte(2).byte(3)
    p.byte(1)
    p.step("report_again", other)
    return p


OBS_CSV = b"""time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent
2026-01-01,,enterprise,chat,frt,standard,4,,,
2026-01-20,,enterprise,chat,frt,standard,withdrawn,,,
2026-01-05,acme,enterprise,chat,frt,delivered,6.5,squad,,
2026-01-07,acme,,email,reliability,expected,6,,,R1
2026-01-07,acme,,email,reliability,perceived,4,,,R1
"""

PLANS_CSV = b"""scope,touchpoint,metric,gap,owner,deadline,target,baseline_from,baseline_to
tier:enterprise,chat,frt,delivery,ops,2026-03-01,-0.5,2026-01-01,2026-01-15
account:acme,*,dim:reliability,service,ops,,-0.1,,
account:nobody,*,frt,delivery,ops,,0,,
"""


def seeds():
    out = {}
    p = define_world(Program())
    p = queries(plans(respondents(survey(p))))
    # the whole log as a summary, and the days from T0 - 3 on; an interrupt
    # that stops nothing, then a query that runs normally
    p.step("summary_copy").byte(0).byte(0)
    p.step("summary_copy").byte(1).day(-1).byte(0)
    p.step("interrupt").step("query").byte(0).byte(0)
    out["survey"] = p.b

    p = survey(define_world(Program()))
    p.step("snapshot_to_other").step("query", True).byte(0).byte(0)
    p.step("merge_into_other", True).byte(0).step("merge_into_other").byte(0)
    p.step("merge_into_other").byte(0xFF).step("report_again", True)
    out["merge"] = p.b

    p = define_world(Program())
    p.step("metric_define", True).name("frt").byte(2).byte(0)
    p.value(0.0).value(100.0).value(0.0).byte(0)
    p.step("account_define", True).name("acme").byte(1).name("smb").value(0.0)
    p.step("snapshot_to_other").step("merge_into_other", True).byte(0)
    out["conflict"] = p.b

    p = define_world(Program())
    p.step("import_csv").byte(1).byte(0).bytes(struct.pack("<H", len(OBS_CSV)))
    p.bytes(OBS_CSV)
    p.step("import_csv").byte(1).byte(1).bytes(struct.pack("<H", 40))
    p.bytes(OBS_CSV[:40])
    p.step("import_csv").byte(6).byte(1).bytes(struct.pack("<H", len(PLANS_CSV)))
    p.bytes(PLANS_CSV)
    out["import"] = queries(p).b

    p = survey(define_world(Program()))
    for option, v in ((10, 1), (11, 7), (22, 4), (23, 2), (24, 2), (1, 0x80), (18, 4)):
        p.step("set_option").byte(option).byte(v)
        if v >= 0x80:
            p.value(0.9)
    p.step("account_set").byte(0).byte(1).byte(1).byte(1)
    p.step("account_set").byte(0).byte(2).byte(1).day(20)
    p.step("account_set").byte(1).byte(0).value(1.0)
    p.step("read_back").byte(4).byte(0).byte(0).byte(1).byte(0).byte(FRT)
    p.step("renew_other").step("query", True).byte(0).byte(0)
    out["options"] = queries(p).b
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, "corpus", "api")
    os.makedirs(corpus, exist_ok=True)
    snapshot = os.path.join(here, "corpus", "snapshot", "small.snap")
    with open(snapshot, "rb") as f:
        small = f.read()
    programs = seeds()
    p = Program().step("load_bytes").bytes(struct.pack("<H", len(small))).bytes(small)
    p.step("load_bytes", True).bytes(struct.pack("<H", len(small))).bytes(small)
    out_p = queries(p)
    out_p.step("merge_into_other").byte(0)
    programs["snapshot"] = out_p.b
    for name, code in programs.items():
        with open(os.path.join(corpus, name + ".bin"), "wb") as f:
            f.write(code)


if __name__ == "__main__":
    main()
