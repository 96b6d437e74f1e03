#!/usr/bin/env python3
"""generate.py -- the deterministic generator of the servgap-report sample data.

It writes a year (2026) of a fictitious B2B helpdesk's data as the six CSV
tables that servgap-report reads (docs/formats.md has their columns):

    observations.csv  about 13,500 observations (time, account, tier,
                      touchpoint, metric, viewpoint, value, team, driver,
                      respondent)
    accounts.csv      40 accounts: tier, ARR, health, at-risk, renewal,
                      migration and churned
    metrics.csv       the operational metrics (the five SERVQUAL Likert items
                      are built into the library)
    importance.csv    customer and provider importance points per tier
    efforts.csv       the effort to fix a gap type at a touchpoint/metric
    plans.csv         five remediation plans: owner, deadline, target and the
                      baseline window each was made in

Usage:
    python3 generate.py              write the tables next to this script
    python3 generate.py --out DIR    write them into DIR
    python3 generate.py --check      regenerate into a temporary directory and
                                     compare byte for byte with the files next
                                     to this script (exit 1 on a difference)

Determinism. Every random draw comes from one splitmix64 generator seeded
with a constant; all arithmetic is on integers (values are kept in
hundredths, times in seconds), numbers are formatted explicitly, and no
iteration depends on dict or set order. The output is therefore identical,
byte for byte, on every Python 3 version and platform. Standard library only.

The model (examples/data/README.md has the same in prose)
---------------------------------------------------------
Accounts (40): 8 enterprise (ARR 180k-640k), 14 growth (30k-110k) and 18
starter (3k-18k). Renewal dates fall in 2027; five are within 90 days of the
end of the data (2027-01-01). Health is 55-90 for healthy accounts; four are
flagged at risk (health 30-45), three churned (health 25-40, no renewal).
Two accounts migrated channel in the last 60 days (helios-energy to Slack,
juniper-hr to chat).

Touchpoints: slack (enterprise only), email, chat, ticket_form, with a mix per
tier. Teams: enterprise-pod, squad-amer, squad-emea, squad-apac.

Metrics: the five built-in Likert 1..7 items (tangibles, reliability,
responsiveness, assurance, empathy) and, from metrics.csv:
first_response_hours (responsiveness, lower is better, [0, inf), span 8),
resolution_hours (responsiveness, lower, [0, inf), span 48), reopen_rate
(reliability, lower, [0, 1], one 0/1 value per ticket, so its mean is the
rate) and csat (assurance, higher, [1, 5]).

Time. The data are recorded as support teams keep them, which is what the
library's time model reads (docs/concepts.md, section 13):
  - SLAs and promises are declarations, each recorded once, on the day it
    takes effect, and in force until a later declaration of the same key
    replaces it or a withdrawal ends it. The SLA table is recorded on
    2026-01-01 and changed once: enterprise Slack first response tightened
    from 4 h to 2 h on 2026-07-01. Promises are recorded when the contract
    starts; one is withdrawn (value "withdrawn").
  - Surveys come in quarterly waves (opening 2026-01-12, 04-13, 07-13 and
    10-12): customers answer within two weeks, support leads on the
    Thursday of the first week. A query reads them over its look-back (365
    days by default), so a December window sees the year's four waves.
  - Tickets, CSAT and QA reviews are events, spread over the year; a window
    counts its own.

Viewpoints and sources:
  expected, adequate, perceived  the SERVQUAL relationship survey, in four
      waves: about 300 responses (3-4 per enterprise account and wave, 1-3
      per growth account, and one from three in four starter accounts),
      each answering the five items (expected and perceived; adequate for
      40%), the first-response item for 60%, and 100 importance points for
      25% (rows of metric = dimension, viewpoint = importance). Rows of one
      response share a respondent id, a date, a touchpoint and the
      expectation driver; a contact who answers two waves gives two
      responses.
  perceived (csat)  the post-resolution CSAT survey, answered for 35% of
      tickets.
  delivered  per ticket: first_response_hours, resolution_hours and reopen
      (0/1), with the handling team; and QA reviews, four conversations per
      tier and touchpoint a month, scored on the five items (tier-wide).
  standard  the SLA table of 2026-01-01: first-response hours per tier and
      touchpoint, resolution hours and reopen rate per tier (any
      touchpoint), and the quality target on each item per tier; and its one
      change, on 2026-07-01.
  believed  the provider survey, once a wave: each channel lead (3/2/1 per
      enterprise slack/email/ticket_form, ...) says what they think the
      tier's customers expect on each item, and on first response at their
      channel.
  promised  the CRM's contract promises: five growth accounts, first
      response within 2 h and resolution within 24 h (any touchpoint),
      recorded on 2026-01-01 (nimbus-devices: on 2026-03-02, when it
      signed); kestrel-security's resolution promise is withdrawn on
      2026-09-01. And the enterprise plan's order form, tier-wide:
      resolution within 10 h.

Distributions. Likert answers are round(mean + sd * z) clipped to 1..7, with
z an Irwin-Hall approximation of a standard normal (sum of 12 uniforms - 6)
and a per-respondent effect shared by expected and perceived (so that E and
P correlate, as in real surveys). Hours are right-skewed:
mean * (1 + 0.45 z)^2 / (1 + 0.45^2). Tickets fall on weekdays with 70%
probability per weekend day rejected, 80% in business hours (08-18 UTC).

Planted gaps (what the report should find):
  delivery       first_response_hours on enterprise slack: SLA 4 h, then 2 h
                 from 2026-07-01; delivered about 4.7 h (enterprise-pod in
                 hours 2.2 h, 1.6 h after the SLA change; squad-apac out of
                 hours 7.5 h all year), so the gap sits with squad-apac; the
                 QA and survey responsiveness scores on enterprise slack are
                 lower too.
  communication  the five growth accounts with contract promises: promised
                 2 h first response and 24 h resolution, delivered about 5.5 h
                 and 30 h (both within the growth SLA of 8 h and 48 h). And a
                 small one in every month: the enterprise order form promises
                 resolution within 10 h, the pod resolves in about 16 h.
  knowledge      empathy: customers expect 6.5 (enterprise) / 6.1 / 5.6, the
                 provider believes 4.4; and the enterprise importance points
                 (customers 28 on assurance, the provider believes 15).
  perception     chat: QA scores chat conversations about 6.1 on reliability,
                 responsiveness and assurance, customers perceive about 4.9;
                 perceived first-response waits on chat are 2.5 times the
                 measured ones.
  standards      responsiveness: the quality target (6.0 / 5.9 / 5.6) is below
                 what the provider believes customers expect (6.5 / 6.3 / 6.0);
                 and first response on enterprise slack: the SLA (4 h, 2 h
                 from July) is looser than the 1.25 h the leads believe
                 customers expect.
Signals for the triggers: a CSAT spike at fjord-robotics (an outage,
2026-12-18..31), the two migrations, renewals within 90 days with open
shortfalls (meridian-bank, northwind-logistics, cobalt-analytics,
ember-foods, sage-consulting), a hidden gap at indigo-media (at risk, its
survey says all is well) and three churned accounts with resolution and
reliability shortfalls all year (driftwood-travel, xenon-games, dune-surf).
"""

import datetime
import os
import sys
import tempfile

MASK64 = (1 << 64) - 1
SEED = 0x5E12_6A9_2026
YEAR = 2026
DAYS = 365
DAY0 = datetime.date(YEAR, 1, 1).toordinal()
MONTH_START = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
# The quarterly survey waves: the Monday on which each opens (2026-01-12,
# 04-13, 07-13, 10-12). Customers answer within two weeks; the provider's
# support leads answer on the Thursday of the first week.
WAVES = [11, 102, 193, 284]
WAVE_DAYS = 12
BELIEF_OFFSET = 3

TIERS = ["enterprise", "growth", "starter"]
TOUCHPOINTS = ["slack", "email", "chat", "ticket_form"]
ITEMS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
DRIVERS = ["past_experience", "personal_needs", "word_of_mouth", "external_communication"]


# --------------------------------------------------------------------------
# Randomness: splitmix64, integers only.
# --------------------------------------------------------------------------


class Rng:
    """splitmix64 (Steele, Lea & Flood 2014): a 64-bit state, one output per
    step. below(n) uses a modulo, whose bias is irrelevant here and which is
    the same on every platform."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n):
        return self.next64() % n

    def between(self, lo, hi):
        """An integer in [lo, hi]."""
        return lo + self.below(hi - lo + 1)

    def chance(self, permille):
        return self.below(1000) < permille

    def z_milli(self):
        """A standard normal deviate times 1000 (Irwin-Hall, 12 uniforms)."""
        total = 0
        for _ in range(12):
            total += self.next64() >> 44  # 20 bits
        return (total - 6 * (1 << 20)) * 1000 // (1 << 20)

    def weighted(self, options):
        """options: list of (weight, value) with integer weights."""
        total = sum(w for w, _ in options)
        k = self.below(total)
        for w, v in options:
            if k < w:
                return v
            k -= w
        raise AssertionError("unreachable")


def normal_c(rng, mean_c, sd_c):
    """mean_c + sd_c * z, in hundredths."""
    return mean_c + sd_c * rng.z_milli() // 1000


def likert(rng, mean_c, sd_c, shift_c=0, lo=1, hi=7):
    """A Likert answer: mean (hundredths) + a shared shift + noise, rounded
    half up and clipped to [lo, hi]."""
    v = normal_c(rng, mean_c + shift_c, sd_c)
    v = (v + 50) // 100
    return max(lo, min(hi, v))


SKEW_M = 450  # s = 0.45, in thousandths


def hours_c(rng, mean_c, floor_c=2):
    """Right-skewed hours with the given mean (hundredths):
    mean * (1 + s z)^2 / (1 + s^2)."""
    a = 1_000_000 + SKEW_M * rng.z_milli()  # (1 + s z) * 1e6
    v = mean_c * a * a // (1_000_000_000_000 + SKEW_M * SKEW_M * 1_000_000)
    return max(floor_c, v)


def fmt_c(v):
    """Hundredths as a decimal without trailing zeros: 450 -> 4.5, 700 -> 7."""
    assert v >= 0
    whole, frac = divmod(v, 100)
    if frac == 0:
        return str(whole)
    s = "%d.%02d" % (whole, frac)
    return s.rstrip("0")


def day_date(day):
    return datetime.date.fromordinal(DAY0 + day).isoformat()


def day_time(day, sec):
    h, rest = divmod(sec, 3600)
    m, s = divmod(rest, 60)
    return "%sT%02d:%02d:%02dZ" % (day_date(day), h, m, s)


def weekday(day):
    """0 = Monday. 2026-01-01 is a Thursday."""
    return (day + 3) % 7


# --------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------

ACCOUNT_NAMES = [
    ("enterprise", ["northwind-logistics", "helios-energy", "meridian-bank",
                    "atlas-manufacturing", "orion-health", "vertex-telecom",
                    "solaris-retail", "keystone-insurance"]),
    ("growth", ["brightpath-learning", "cobalt-analytics", "driftwood-travel",
                "ember-foods", "fjord-robotics", "granite-legal", "harbor-freight-tech",
                "indigo-media", "juniper-hr", "kestrel-security", "lumen-design",
                "mosaic-marketing", "nimbus-devices", "pioneer-payments"]),
    ("starter", ["quartz-studio", "ripple-cafe", "sage-consulting", "tandem-bikes",
                 "umber-architects", "vela-yoga", "willow-dental", "xenon-games",
                 "yarrow-farms", "zephyr-print", "acorn-tutors", "birch-bakery",
                 "cedar-vets", "dune-surf", "elm-accounting", "fern-florists",
                 "grove-realty", "hazel-photo"]),
]

# ARR ranges (whole currency units) and rounding step per tier.
ARR = {"enterprise": (180_000, 640_000, 1000), "growth": (30_000, 110_000, 500),
       "starter": (3_000, 18_000, 100)}

PROMISE = ["cobalt-analytics", "ember-foods", "granite-legal", "kestrel-security",
           "nimbus-devices"]
# The day each contract's promises were recorded in the CRM: contracts
# signed before 2026 are in force from the first day of the data;
# nimbus-devices signed its support addendum on 2026-03-02.
PROMISE_SINCE = {"cobalt-analytics": 0, "ember-foods": 0, "granite-legal": 0,
                 "kestrel-security": 0, "nimbus-devices": 60}
# kestrel-security renegotiated its contract: the 24 h resolution clause is
# withdrawn from 2026-09-01 (its 2 h first-response promise stays).
PROMISE_WITHDRAWN = [("kestrel-security", "resolution_hours", 243)]
# The enterprise plan's order form promises every enterprise account a
# resolution within 10 h (tier-wide, any touchpoint), better than the 24 h
# SLA; the pod resolves in about 16 h: a small communication gap, every month.
TIER_PROMISES = [("enterprise", "resolution_hours", 1000)]
CHURNED = ["driftwood-travel", "xenon-games", "dune-surf"]
AT_RISK = {"meridian-bank": 38, "indigo-media": 41, "tandem-bikes": 33, "vertex-telecom": 45}
HIDDEN = "indigo-media"
SPIKE = "fjord-robotics"
SPIKE_FIRST_DAY = 351  # 2026-12-18
RENEW_SOON = {"meridian-bank": "2027-02-15", "northwind-logistics": "2027-03-20",
              "cobalt-analytics": "2027-01-31", "ember-foods": "2027-03-05",
              "sage-consulting": "2027-02-28"}
# account -> (migration day, touchpoint mix before, after)
MIGRATED = {
    "helios-energy": (319, [(85, "email"), (15, "ticket_form")],
                      [(90, "slack"), (10, "email")]),
    "juniper-hr": (310, [(80, "email"), (20, "ticket_form")],
                   [(85, "chat"), (15, "ticket_form")]),
}
NO_HEALTH = ["yarrow-farms", "fern-florists", "hazel-photo"]

TP_MIX = {
    "enterprise": [(55, "slack"), (35, "email"), (10, "ticket_form")],
    "growth": [(45, "email"), (35, "chat"), (20, "ticket_form")],
    "starter": [(25, "email"), (40, "chat"), (35, "ticket_form")],
}


class Account:
    def __init__(self, name, tier):
        self.name = name
        self.tier = tier
        self.arr = 0
        self.health = None
        self.at_risk = 0
        self.churned = 0
        self.renewal = ""
        self.migrated = ""

    def mix(self, day):
        m = MIGRATED.get(self.name)
        if m is None:
            return TP_MIX[self.tier]
        return m[1] if day < m[0] else m[2]


def make_accounts(rng):
    accounts = []
    for tier, names in ACCOUNT_NAMES:
        lo, hi, step = ARR[tier]
        for name in names:
            a = Account(name, tier)
            a.arr = rng.between(lo // step, hi // step) * step
            base = {"enterprise": (70, 90), "growth": (60, 88), "starter": (55, 85)}[tier]
            a.health = rng.between(base[0], base[1])
            renew_day = rng.between(100, 354)  # 2027-04-11 .. 2027-12-21
            a.renewal = datetime.date.fromordinal(
                datetime.date(YEAR + 1, 1, 1).toordinal() + renew_day).isoformat()
            accounts.append(a)
    for a in accounts:
        if a.name in AT_RISK:
            a.at_risk = 1
            a.health = AT_RISK[a.name]
        if a.name in CHURNED:
            a.churned = 1
            a.health = rng.between(25, 40)
            a.renewal = ""
        if a.name in RENEW_SOON:
            a.renewal = RENEW_SOON[a.name]
        if a.name in MIGRATED:
            a.migrated = day_date(MIGRATED[a.name][0])
        if a.name in NO_HEALTH:
            a.health = None
    return accounts


# --------------------------------------------------------------------------
# Service levels (hundredths of hours or points)
# --------------------------------------------------------------------------

# First-response hours: (SLA of 2026-01-01, delivered mean, customers'
# expectation, the provider's belief about it) per tier and touchpoint.
FRH = {
    ("enterprise", "slack"): (400, None, 100, 125),
    ("enterprise", "email"): (400, 260, 375, 400),
    ("enterprise", "ticket_form"): (800, 500, 750, 800),
    ("growth", "email"): (800, 550, 700, 800),
    ("growth", "chat"): (50, 30, 50, 50),
    ("growth", "ticket_form"): (1200, 700, 1100, 1200),
    ("starter", "email"): (2400, 1400, 2400, 2400),
    ("starter", "chat"): (100, 45, 100, 100),
    ("starter", "ticket_form"): (2400, 1600, 2400, 2400),
}
# The provider survey asks every channel lead; busier channels have more.
LEADS = {("enterprise", "slack"): 3, ("enterprise", "email"): 2, ("enterprise", "ticket_form"): 1,
         ("growth", "email"): 2, ("growth", "chat"): 2, ("growth", "ticket_form"): 1,
         ("starter", "email"): 1, ("starter", "chat"): 2, ("starter", "ticket_form"): 1}
# The SLA changes after the table of 2026-01-01: enterprise Slack first
# response tightened from 4 h to 2 h on 2026-07-01.
SLA_CHANGES = [(181, "enterprise", "slack", "first_response_hours", 200)]
FRH_SLACK_POD = 220  # enterprise slack, in hours, enterprise-pod, until the SLA change
FRH_SLACK_POD_AFTER = 160  # the pod after the SLA change
FRH_SLACK_APAC = 750  # enterprise slack, out of hours, squad-apac
FRH_PROMISE_EXPECTED = 300  # what customers of promise accounts expect

RESOLUTION = {"enterprise": (2400, 1600), "growth": (4800, 3000), "starter": (7200, 4500)}
REOPEN = {"enterprise": (5, 40), "growth": (8, 70), "starter": (10, 90)}  # SLA %, permille
PROMISED_FRH = 200
PROMISED_RESOLUTION = 2400

# Likert items, in hundredths, per tier (enterprise, growth, starter).
EXPECTED = {"tangibles": (520, 500, 480), "reliability": (640, 610, 580),
            "responsiveness": (630, 600, 570), "assurance": (620, 580, 540),
            "empathy": (650, 610, 560)}
PERCEIVED = {"tangibles": (530, 510, 500), "reliability": (590, 580, 560),
             "responsiveness": (580, 570, 550), "assurance": (580, 560, 530),
             "empathy": (520, 510, 500)}
BELIEVED = {"tangibles": (500, 490, 480), "reliability": (630, 610, 580),
            "responsiveness": (650, 630, 600), "assurance": (590, 570, 540),
            "empathy": (440, 440, 440)}
TARGET = {"tangibles": (500, 490, 480), "reliability": (630, 610, 580),
          "responsiveness": (600, 590, 560), "assurance": (590, 570, 540),
          "empathy": (450, 450, 450)}
QA_PER_MONTH = 4  # reviewed conversations per tier and touchpoint
QA = {"tangibles": 520, "reliability": 610, "responsiveness": 580, "assurance": 570,
      "empathy": 520}
ADEQUATE_BELOW = 130

CUSTOMER_POINTS = {"enterprise": (5, 27, 20, 28, 20), "growth": (8, 30, 27, 20, 15),
                   "starter": (10, 30, 30, 15, 15)}
PROVIDER_POINTS = {"enterprise": (5, 20, 45, 15, 15), "growth": (8, 27, 35, 17, 13),
                   "starter": (10, 30, 32, 15, 13)}

CSAT_MEAN = {"enterprise": 430, "growth": 420, "starter": 410}

EFFORTS = [
    # gap, touchpoint, metric, effort ("*" = any)
    ("delivery", "slack", "first_response_hours", "2"),
    ("delivery", "*", "resolution_hours", "4"),
    ("delivery", "*", "*", "3"),
    ("communication", "*", "*", "1.5"),
    ("knowledge", "*", "empathy", "2"),
    ("knowledge", "*", "*", "2.5"),
    ("standards", "*", "*", "3"),
    ("perception", "chat", "*", "3.5"),
    ("perception", "*", "*", "2.5"),
]

# The remediation plans the support leads made during the year, one per
# finding they took on, with the window they measured the gap in when they
# made it (the baseline). servgap-report re-measures each as of its
# analysis date: the last 30 days against that baseline. They were chosen
# where the planted data give each outcome (README.md, "Remediation
# plans"), and written as a team keeps such a list: no plan is re-derived
# from the data here.
PLANS = [
    # scope, touchpoint, metric, gap, owner, deadline, target, baseline_from, baseline_to
    # The Slack SLA tightened on 2026-07-01 toward the 1.25 h the leads
    # believe customers expect: improved, yet short of the target, and late.
    ("tier:enterprise", "slack", "first_response_hours", "standards", "Priya Raman",
     "2026-09-30", "-0.25", "2026-06-01", "2026-07-01"),
    # Out-of-hours Slack cover, planned in January: squad-apac's 7.5 h
    # never changed, and the SLA went from 4 h to 2 h: worsened, late.
    ("tier:enterprise", "slack", "first_response_hours", "delivery", "Marcus Webb",
     "2026-06-30", "-0.5", "2026-01-01", "2026-02-01"),
    # The order form's 10 h resolution promise: nothing changed, late.
    ("tier:enterprise", "slack", "resolution_hours", "communication", "Dana Okafor",
     "2026-11-30", "-2", "2026-09-01", "2026-10-01"),
    # One account's Slack resolutions against that promise: met in
    # December, so closed (its deadline has passed, but it is not late).
    ("account:solaris-retail", "slack", "resolution_hours", "communication", "Dana Okafor",
     "2026-12-31", "0", "2026-09-01", "2026-10-01"),
    # A dimension roll-up over all touchpoints, without a baseline window:
    # the default windows hold no survey wave, so the outcome is unknown.
    ("account:northwind-logistics", "*", "dim:responsiveness", "perception", "Sam Ito",
     "2027-03-31", "-0.1", "", ""),
]

METRICS = [
    # metric, dimension, direction, min, max, span, unit
    ("first_response_hours", "responsiveness", "lower", "0", "", "8", "h"),
    ("resolution_hours", "responsiveness", "lower", "0", "", "48", "h"),
    ("reopen_rate", "reliability", "lower", "0", "1", "", "share"),
    ("csat", "assurance", "higher", "1", "5", "", "points"),
]


def tier_index(tier):
    return TIERS.index(tier)


# --------------------------------------------------------------------------
# Observations
# --------------------------------------------------------------------------


class Rows:
    """Observation rows, sorted at the end by (day, second, sequence).
    A date-only time sorts before the timed rows of its day."""

    def __init__(self):
        self.rows = []

    def add(self, day, sec, account, tier, tp, metric, vp, value, team="", driver="",
            respondent=""):
        time = day_date(day) if sec < 0 else day_time(day, sec)
        self.rows.append((day, sec, len(self.rows),
                          (time, account, tier, tp, metric, vp, value, team, driver,
                           respondent)))

    def sorted_fields(self):
        return [r[3] for r in sorted(self.rows, key=lambda r: (r[0], r[1], r[2]))]


def pick_day(rng, first=0, last=DAYS - 1):
    """A day in [first, last], weekends mostly rejected."""
    while True:
        d = rng.between(first, last)
        if weekday(d) < 5 or rng.chance(300):
            return d


def ticket_volume(a, rng):
    lo, hi = {"enterprise": (100, 150), "growth": (30, 50), "starter": (12, 22)}[a.tier]
    n = rng.between(lo, hi)
    if a.churned:
        n = n * 3  # struggling accounts file more tickets
    return n


def slack_pod(day):
    """enterprise-pod's mean first response on Slack: it sped up when the
    SLA was tightened; squad-apac, out of hours, did not."""
    return FRH_SLACK_POD_AFTER if day >= SLA_CHANGES[0][0] else FRH_SLACK_POD


def frh_mean(a, tp, team, day):
    if a.tier == "enterprise" and tp == "slack":
        return FRH_SLACK_APAC if team == "squad-apac" else slack_pod(day)
    if a.churned:
        return FRH[(a.tier, tp)][0] * 3 // 2
    return FRH[(a.tier, tp)][1]


def pick_team(rng, a, tp, in_hours):
    if a.tier == "enterprise":
        if tp == "slack" and not in_hours:
            return "squad-apac"
        return "enterprise-pod"
    return rng.weighted([(45, "squad-amer"), (40, "squad-emea"), (15, "squad-apac")])


def add_ticket(rows, rng, a, day, spike=False):
    tp = rng.weighted(a.mix(day))
    in_hours = rng.chance(800) and not (a.tier == "enterprise" and tp == "slack"
                                         and rng.chance(400))
    if in_hours:
        sec = rng.between(8 * 3600, 18 * 3600 - 1)
    else:
        sec = rng.weighted([(8, rng.between(0, 8 * 3600 - 1)),
                            (2, rng.between(18 * 3600, 24 * 3600 - 1))])
    team = pick_team(rng, a, tp, in_hours)
    frh = hours_c(rng, frh_mean(a, tp, team, day) * (3 if spike else 1))
    res_mean = RESOLUTION[a.tier][1]
    if a.churned:
        res_mean = RESOLUTION[a.tier][0] * 9 // 5
    res = max(frh + 10, hours_c(rng, res_mean * (2 if spike else 1)))
    reopen_p = 200 if a.churned else REOPEN[a.tier][1]
    reopened = 1 if rng.chance(reopen_p) else 0
    rows.add(day, sec, a.name, a.tier, tp, "first_response_hours", "delivered", fmt_c(frh), team)
    rows.add(day, sec, a.name, a.tier, tp, "resolution_hours", "delivered", fmt_c(res), team)
    rows.add(day, sec, a.name, a.tier, tp, "reopen_rate", "delivered", str(reopened), team)
    if spike or rng.chance(350):
        if spike:
            score = rng.weighted([(55, 1), (30, 2), (10, 3), (5, 4)])
        else:
            mean = CSAT_MEAN[a.tier]
            if tp == "chat":
                mean -= 40
            if tp == "slack" and a.tier == "enterprise":
                mean -= 60
            if a.name in PROMISE:
                mean -= 20
            if a.churned:
                mean -= 60
            score = likert(rng, mean, 80, 0, 1, 5)
        # The survey arrives with the resolution, within the day.
        csec = min(24 * 3600 - 1, sec + min(res, 1000) * 36)
        rows.add(day, csec, a.name, a.tier, tp, "csat", "perceived", str(score), team)


def add_tickets(rows, rng, accounts):
    for a in accounts:
        for _ in range(ticket_volume(a, rng)):
            add_ticket(rows, rng, a, pick_day(rng))
        if a.name == SPIKE:
            for _ in range(24):
                add_ticket(rows, rng, a, pick_day(rng, SPIKE_FIRST_DAY, DAYS - 1), spike=True)


def points(rng, base):
    """Integer importance points near base, each >= 0, summing to 100."""
    p = [max(0, b + rng.between(-5, 5)) for b in base]
    diff = 100 - sum(p)
    k = p.index(max(p))
    p[k] += diff
    return p


def perceived_shift(a, tp, item):
    """How perception departs from the tier's base on a touchpoint (hundredths)."""
    s = 0
    if tp == "chat" and item in ("reliability", "responsiveness", "assurance"):
        s -= 90
    if tp == "chat" and item == "empathy":
        s -= 40
    if a.tier == "enterprise" and tp == "slack":
        s += {"responsiveness": -110, "reliability": -30}.get(item, 0)
    if a.name in PROMISE and item == "responsiveness":
        s -= 50
    if a.churned and item == "reliability":
        s -= 80
    return s


def add_respondent(rows, rng, a, rid, wave):
    ti = tier_index(a.tier)
    day = pick_day(rng, wave, wave + WAVE_DAYS - 1)
    tp = rng.weighted(a.mix(day))
    if a.name in PROMISE:
        driver = rng.weighted([(60, "external_communication"), (20, "past_experience"),
                               (20, "personal_needs")])
    else:
        driver = rng.weighted([(40, "past_experience"), (30, "personal_needs"),
                               (20, "word_of_mouth"), (10, "external_communication")])
    effect = normal_c(rng, 0, 60)  # the respondent's own leniency
    with_adequate = rng.chance(400)

    def row(metric, vp, value):
        rows.add(day, -1, a.name, a.tier, tp, metric, vp, value, "", driver, rid)

    for item in ITEMS:
        e_mean = EXPECTED[item][ti]
        p_mean = PERCEIVED[item][ti] + perceived_shift(a, tp, item)
        if a.name == HIDDEN:
            e_mean = min(e_mean, 480)
            p_mean = e_mean + 40
        e = likert(rng, e_mean, 70, effect // 2)
        p = likert(rng, p_mean, 80, effect)
        row(item, "expected", str(e))
        if with_adequate:
            ad = likert(rng, e_mean - ADEQUATE_BELOW, 60, effect // 2)
            row(item, "adequate", str(min(ad, e)))
        row(item, "perceived", str(p))
    if rng.chance(600):
        if a.tier == "enterprise" and tp == "slack":
            delivered = (slack_pod(day) * 6 + FRH_SLACK_APAC * 4) // 10
        else:
            delivered = FRH[(a.tier, tp)][1]
        e_mean = FRH[(a.tier, tp)][2]
        if a.name in PROMISE and tp == "email":
            e_mean = FRH_PROMISE_EXPECTED
        felt = delivered * (25 if tp == "chat" else 11) // 10
        e = quarter(normal_c(rng, e_mean, e_mean // 4))
        p = quarter(hours_c(rng, felt, 25))
        row("first_response_hours", "expected", fmt_c(e))
        row("first_response_hours", "perceived", fmt_c(p))
    if rng.chance(250):
        for item, pts in zip(ITEMS, points(rng, CUSTOMER_POINTS[a.tier])):
            row(item, "importance", str(pts))


def quarter(v):
    """Round hundredths of an hour to a quarter hour (at least 0.25): people
    answer 0.25, 0.5, 2, 4..."""
    return max(25, (v + 12) // 25 * 25)


def wave_responses(rng, a):
    """Responses of an account in one wave: enterprise 3-4, growth 1-3,
    starter 0-1 (three in four starter accounts answer)."""
    if a.tier == "starter":
        return 1 if rng.chance(750) else 0
    lo, hi = {"enterprise": (3, 4), "growth": (1, 3)}[a.tier]
    return rng.between(lo, hi)


def add_survey(rows, rng, accounts):
    """The SERVQUAL relationship survey, in four quarterly waves. Each
    response has its own respondent id (a contact who answers two waves
    gives two responses)."""
    rid = 0
    for wave in WAVES:
        for a in accounts:
            for _ in range(wave_responses(rng, a)):
                rid += 1
                add_respondent(rows, rng, a, "R%04d" % rid, wave)


def tier_touchpoints(tier):
    return [tp for tp in TOUCHPOINTS if (tier, tp) in FRH]


def add_declarations(rows, accounts):
    """The SLA table and the contract promises: declarations, each recorded
    once, on the day it takes effect, and in force until a later one of the
    same key replaces it (or a withdrawal ends it)."""
    for tier in TIERS:
        ti = tier_index(tier)
        for tp in tier_touchpoints(tier):
            rows.add(0, -1, "", tier, tp, "first_response_hours", "standard",
                     fmt_c(FRH[(tier, tp)][0]))
        rows.add(0, -1, "", tier, "", "resolution_hours", "standard",
                 fmt_c(RESOLUTION[tier][0]))
        rows.add(0, -1, "", tier, "", "reopen_rate", "standard", fmt_c(REOPEN[tier][0]))
        for item in ITEMS:
            rows.add(0, -1, "", tier, "", item, "standard", fmt_c(TARGET[item][ti]))
    for day, tier, tp, metric, value in SLA_CHANGES:
        rows.add(day, -1, "", tier, tp, metric, "standard", fmt_c(value))
    for a in accounts:
        if a.name in PROMISE:
            day = PROMISE_SINCE[a.name]
            rows.add(day, -1, a.name, a.tier, "", "first_response_hours", "promised",
                     fmt_c(PROMISED_FRH))
            rows.add(day, -1, a.name, a.tier, "", "resolution_hours", "promised",
                     fmt_c(PROMISED_RESOLUTION))
    for tier, metric, value in TIER_PROMISES:
        rows.add(0, -1, "", tier, "", metric, "promised", fmt_c(value))
    for name, metric, day in PROMISE_WITHDRAWN:
        tier = [a.tier for a in accounts if a.name == name][0]
        rows.add(day, -1, name, tier, "", metric, "promised", "withdrawn")


def add_beliefs(rows, rng):
    """The provider survey, once a wave: each channel lead says what they
    think the tier's customers expect on the five items, and on first
    response at their own channel."""
    for wave in WAVES:
        day = wave + BELIEF_OFFSET
        for tier in TIERS:
            ti = tier_index(tier)
            for tp in tier_touchpoints(tier):
                for _ in range(LEADS[(tier, tp)]):
                    for item in ITEMS:
                        rows.add(day, -1, "", tier, "", item, "believed",
                                 str(likert(rng, BELIEVED[item][ti], 50)))
                    belief = FRH[(tier, tp)][3]
                    rows.add(day, -1, "", tier, tp, "first_response_hours", "believed",
                             fmt_c(quarter(normal_c(rng, belief, belief // 8))))


def add_qa(rows, rng):
    """QA: every month, QA_PER_MONTH reviewed conversations per tier and
    touchpoint, each scored on the five items (delivered, tier-wide)."""
    for month, first in enumerate(MONTH_START):
        last = (MONTH_START[month + 1] - 1) if month < 11 else DAYS - 1
        for tier in TIERS:
            for tp in tier_touchpoints(tier):
                for _ in range(QA_PER_MONTH):
                    qday = pick_day(rng, first, last)
                    sec = rng.between(9 * 3600, 17 * 3600)
                    team = "enterprise-pod" if tier == "enterprise" else \
                        rng.weighted([(50, "squad-amer"), (50, "squad-emea")])
                    for item in ITEMS:
                        mean = QA[item]
                        if tier == "enterprise" and tp == "slack" and item == "responsiveness":
                            mean = 460
                        if tp == "chat" and item in ("reliability", "responsiveness",
                                                     "assurance"):
                            mean = 610
                        rows.add(qday, sec, "", tier, tp, item, "delivered",
                                 str(likert(rng, mean, 60)), team)


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def csv_line(fields):
    out = []
    for f in fields:
        f = str(f)
        if any(c in f for c in ',"\n\r'):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return ",".join(out) + "\n"


def tables():
    """All six tables as {file name: text}, in a fixed order."""
    rng = Rng(SEED)
    accounts = make_accounts(rng)
    rows = Rows()
    add_declarations(rows, accounts)
    add_beliefs(rows, rng)
    add_qa(rows, rng)
    add_survey(rows, rng, accounts)
    add_tickets(rows, rng, accounts)

    obs = [csv_line(["time", "account", "tier", "touchpoint", "metric", "viewpoint", "value",
                     "team", "driver", "respondent"])]
    obs += [csv_line(f) for f in rows.sorted_fields()]

    acc = [csv_line(["account", "tier", "value", "health", "at_risk", "renewal", "migrated",
                     "churned"])]
    for a in accounts:
        acc.append(csv_line([a.name, a.tier, str(a.arr),
                             "" if a.health is None else str(a.health), str(a.at_risk),
                             a.renewal, a.migrated, str(a.churned)]))

    met = [csv_line(["metric", "dimension", "direction", "min", "max", "span", "unit"])]
    met += [csv_line(m) for m in METRICS]

    imp = [csv_line(["scope", "whose"] + ITEMS)]
    for tier in TIERS:
        imp.append(csv_line(["tier:" + tier, "customer"] + [str(p) for p in CUSTOMER_POINTS[tier]]))
        imp.append(csv_line(["tier:" + tier, "provider"] + [str(p) for p in PROVIDER_POINTS[tier]]))

    eff = [csv_line(["gap", "touchpoint", "metric", "effort"])]
    eff += [csv_line(e) for e in EFFORTS]

    pln = [csv_line(["scope", "touchpoint", "metric", "gap", "owner", "deadline", "target",
                     "baseline_from", "baseline_to"])]
    pln += [csv_line(p) for p in PLANS]

    return [("observations.csv", "".join(obs)), ("accounts.csv", "".join(acc)),
            ("metrics.csv", "".join(met)), ("importance.csv", "".join(imp)),
            ("efforts.csv", "".join(eff)), ("plans.csv", "".join(pln))]


def write(outdir):
    for name, text in tables():
        with open(os.path.join(outdir, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def check(here):
    """Regenerate into a temporary directory and compare byte for byte."""
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        write(tmp)
        for name, _ in tables():
            with open(os.path.join(tmp, name), "rb") as f:
                fresh = f.read()
            path = os.path.join(here, name)
            try:
                with open(path, "rb") as f:
                    committed = f.read()
            except OSError as e:
                print("generate.py --check: %s: %s" % (path, e.strerror), file=sys.stderr)
                bad += 1
                continue
            if fresh != committed:
                print("generate.py --check: %s differs from a fresh generation; run "
                      "python3 %s" % (path, os.path.relpath(__file__)), file=sys.stderr)
                bad += 1
    if bad == 0:
        print("generate.py --check: %d tables identical" % len(tables()))
    return 1 if bad else 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    if argv == ["--check"]:
        return check(here)
    if len(argv) == 2 and argv[0] == "--out":
        os.makedirs(argv[1], exist_ok=True)
        write(argv[1])
        return 0
    if argv:
        print("usage: generate.py [--check | --out DIR]", file=sys.stderr)
        return 2
    write(here)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
