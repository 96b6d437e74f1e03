"""The #define'd enumerations of servgap.h as IntEnum / IntFlag classes.

Values are the header's, never renumbered. Members are ints, so they pass
straight to C and index the per-viewpoint and per-dimension tuples of the
result records (``cell.n[Viewpoint.PERCEIVED]``).

Values that come *back* from the library go through ``as_enum``: a value
this binding does not know (a newer library added it) stays a plain int
instead of raising.
"""

from __future__ import annotations

import enum

NONE = -1  #: no team (SERVGAP_NONE)
ANY = -1  #: touchpoint: applies to every touchpoint (SERVGAP_ANY)
ALL = -2  #: in results and efforts: the roll-up / wildcard (SERVGAP_ALL)
TIME_NONE = -(2**63)  #: an unset date (SERVGAP_TIME_NONE)
TIME_MIN = -(2**63)  #: window start: from the beginning (SERVGAP_TIME_MIN)
TIME_MAX = 2**63 - 1  #: window end: without end (SERVGAP_TIME_MAX)
DAY = 86400  #: seconds per day (SERVGAP_DAY)


class ErrorCode(enum.IntEnum):
    OK = 0
    EMISUSE = -1
    EINVAL = -2
    ERANGE = -3
    ENOTFOUND = -4
    ECONFLICT = -5
    ENOMEM = -6
    ELIMIT = -7
    EBUFSIZE = -8
    EIO = -9
    EFORMAT = -10
    ECORRUPT = -11
    EINTERRUPTED = -12


class Dimension(enum.IntEnum):
    TANGIBLES = 0
    RELIABILITY = 1
    RESPONSIVENESS = 2
    ASSURANCE = 3
    EMPATHY = 4


class Direction(enum.IntEnum):
    HIGHER_IS_BETTER = 1
    LOWER_IS_BETTER = 2


class Viewpoint(enum.IntEnum):
    EXPECTED = 0
    ADEQUATE = 1
    BELIEVED = 2
    STANDARD = 3
    DELIVERED = 4
    PROMISED = 5
    PERCEIVED = 6


class GapType(enum.IntEnum):
    SERVICE = 0
    KNOWLEDGE = 1
    STANDARDS = 2
    DELIVERY = 3
    COMMUNICATION = 4
    PERCEPTION = 5
    ADEQUACY = 6


class Link(enum.IntFlag):
    KNOWLEDGE = 0x1
    STANDARDS = 0x2
    DELIVERY = 0x4
    PERCEPTION = 0x8
    COMMUNICATION = 0x10


class GapStatus(enum.IntEnum):
    MET = 0
    SHORTFALL = 1
    EXCEEDS = 2
    INSUFFICIENT = 3
    UNRESOLVED = 4


class GapFlag(enum.IntFlag):
    PAIRED = 0x1
    NO_STANDARD = 0x2
    SUFFICIENT = 0x4
    SIGNIFICANT = 0x8
    CHANGED = 0x10


class Classification(enum.IntEnum):
    NONE = 0
    KNOWLEDGE = 1
    STANDARDS = 2
    DELIVERY = 3
    COMMUNICATION = 4
    PERCEPTION = 5
    SPAN = 6
    INSUFFICIENT = 7
    HIDDEN = 8


class Scope(enum.IntEnum):
    ACCOUNT = 1
    TIER = 2


class Kind(enum.IntEnum):
    TIER = 1
    TOUCHPOINT = 2
    TEAM = 3
    ACCOUNT = 4
    METRIC = 5


class Driver(enum.IntEnum):
    NONE = 0
    WORD_OF_MOUTH = 1
    PERSONAL_NEEDS = 2
    PAST_EXPERIENCE = 3
    EXTERNAL_COMMUNICATION = 4


class Whose(enum.IntEnum):
    CUSTOMER = 1
    PROVIDER = 2


class AccountFlag(enum.IntEnum):
    AT_RISK = 1
    CHURNED = 2


class AccountDate(enum.IntEnum):
    RENEWAL = 1
    MIGRATION = 2


class Source(enum.IntFlag):
    OWN = 0x1
    TIER = 0x2
    ANYTP = 0x4
    CHANGED = 0x8


class Option(enum.IntEnum):
    CONFIDENCE = 1
    MIN_N_CUSTOMER = 2
    MIN_N_PROVIDER = 3
    NEGATIVE_SHARE = 4
    AT_RISK_HEALTH = 5
    WEIGHT_SIZE = 6
    WEIGHT_VALUE = 7
    WEIGHT_FREQUENCY = 8
    PERSIST_BOOST = 9
    WINDOWS = 10
    WINDOW_DAYS = 11
    IMPACT_CUT = 12
    EFFORT_CUT = 13
    RENEWAL_DAYS = 14
    MIGRATION_DAYS = 15
    SPIKE_RECENT_DAYS = 16
    SPIKE_BASELINE_DAYS = 17
    IPA_CROSSHAIR = 18
    IPA_IMPORTANCE = 19
    IPA_PERFORMANCE = 20
    LOOKBACK_DAYS = 21
    TREND_WINDOWS = 22
    DECLARATIONS = 23
    PRIORITIES = 24
    REPORT_LEVEL = 25


class Declare(enum.IntEnum):
    """Values of ``Option.DECLARATIONS``: how standard and promised rows are
    read (docs/concepts.md, section 13)."""

    STANDING = 1  #: in force until replaced or withdrawn
    IN_WINDOW = 2  #: counted in the window only, as 1.1 did


class Level(enum.IntEnum):
    """Values of ``Option.REPORT_LEVEL``: what the JSON report of a result
    holds (docs/formats.md, "Report levels")."""

    FULL = 1  #: every cell, SERVQUAL, IPA and breakdown row
    SUMMARY = 2  #: the rows of tiers, with every finding, trigger, risk row and plan


class Priorities(enum.IntEnum):
    """Values of ``Option.PRIORITIES``: how findings are raised and ranked
    (docs/priorities.md, sections 1 and 8)."""

    GROUPED = 1  #: quadrant order, members after their roots, no-standard findings
    V1_1 = 2  #: as 1.1: quick wins first, each finding ranked on its own


class Crosshair(enum.IntEnum):
    MIDPOINT = 1
    MEAN = 2
    MEDIAN = 3
    CUSTOM = 4


class Outcome(enum.IntEnum):
    NONE = 0
    CLOSED = 1
    IMPROVED = 2
    UNCHANGED = 3
    WORSENED = 4
    UNKNOWN = 5


class QueryFlag(enum.IntFlag):
    TIERS = 0x1
    ACCOUNTS = 0x2
    BREAKDOWN = 0x4
    PRIORITIES = 0x8
    TRIGGERS = 0x10
    ALL = 0x1F
    #: Each finding's gap per window of the trend (``Table.TRENDS``). Not
    #: part of ALL, and it needs PRIORITIES: ``QueryFlag.ALL | QueryFlag.TRENDS``.
    TRENDS = 0x20
    #: Every plan item re-measured as of the analysis date (``Table.PLANS``).
    #: Not part of ALL: ``QueryFlag.ALL | QueryFlag.PLANS``.
    PLANS = 0x40


class Table(enum.IntEnum):
    CELLS = 1
    SERVQUAL = 2
    BREAKDOWN = 3
    FINDINGS = 4
    IPA = 5
    TRIGGERS = 6
    RISK = 7
    TRENDS = 8  #: series by series, oldest window first
    PLANS = 9  #: one row per plan item, by id


class WeightSource(enum.IntEnum):
    NONE = 0
    RESPONDENTS = 1
    ALLOCATION = 2


class Facet(enum.IntEnum):
    TEAM = 1
    DRIVER = 2


class Quadrant(enum.IntEnum):
    QUICK_WIN = 1
    MAJOR_PROJECT = 2
    FILL_IN = 3
    THANKLESS = 4


class FindingFlag(enum.IntFlag):
    PERSISTENT = 0x1
    NO_STANDARD = 0x2  #: customers expect a level that no standard defines


class IpaQuadrant(enum.IntEnum):
    CONCENTRATE = 1
    KEEP_UP = 2
    LOW_PRIORITY = 3
    OVERKILL = 4


class TriggerKind(enum.IntEnum):
    RENEWAL = 1
    CSAT_SPIKE = 2
    MIGRATION = 3
    HIDDEN_GAP = 4
    QUARTERLY_REVIEW = 5


class CsvTable(enum.IntEnum):
    OBSERVATIONS = 1
    METRICS = 2
    ACCOUNTS = 3
    IMPORTANCE = 4
    EFFORTS = 5
    PLANS = 6


class ImportFlag(enum.IntFlag):
    SKIP_BAD_ROWS = 0x1


# Aliases accepted where a name is given as a string, beside the member
# names ("perceived", "min_n_customer"): the library's own spellings where
# they differ from the member names.
_ALIASES = {
    Direction: {"higher": Direction.HIGHER_IS_BETTER, "lower": Direction.LOWER_IS_BETTER},
    Classification: {"hidden_gap": Classification.HIDDEN},
    IpaQuadrant: {
        "concentrate_here": IpaQuadrant.CONCENTRATE,
        "keep_up_the_good_work": IpaQuadrant.KEEP_UP,
        "possible_overkill": IpaQuadrant.OVERKILL,
    },
}


def as_enum(cls, value):
    """``cls(value)``, or the plain int when this binding does not know it."""
    try:
        return cls(value)
    except ValueError:
        return value


def coerce(cls, value, what):
    """An argument as an int of enumeration ``cls``: a member, an int, or a
    member's name as a string (case-insensitive, e.g. ``"perceived"``)."""
    if isinstance(value, str):
        key = value.strip().lower()
        alias = _ALIASES.get(cls, {}).get(key)
        if alias is not None:
            return int(alias)
        try:
            return int(cls[key.upper()])
        except KeyError:
            names = sorted(m.name.lower() for m in cls)
            raise ValueError(
                "%s: unknown %s %r (one of %s)" % (what, cls.__name__, value, ", ".join(names))
            ) from None
    if isinstance(value, bool):
        raise TypeError("%s: expected a %s, not a bool" % (what, cls.__name__))
    try:
        return int(value.__index__())
    except AttributeError:
        raise TypeError(
            "%s: expected a %s or its name, not %s" % (what, cls.__name__, type(value).__name__)
        ) from None
