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

_NUMERIC_FORMATS = frozenset("bcdoxXn%eEfFgG")


def _format(member, spec):
    """A numeric format spec ("d", "03x") formats the value, anything
    else the name, as ``str`` does."""
    if spec and spec[-1] in _NUMERIC_FORMATS:
        return format(int(member), spec)
    return format(str(member), spec)


class NamedIntEnum(enum.IntEnum):
    """An IntEnum that prints as the library's snake_case name
    (``str(GapType.DELIVERY) == "delivery"``, as the JSON report and the
    ``*_name`` functions spell it), while staying an int for C and for
    arithmetic. Since Python 3.11 a plain IntEnum prints its number."""

    def __str__(self) -> str:
        return _library_name(self)

    def __format__(self, spec: str) -> str:
        return _format(self, spec)


class NamedIntFlag(enum.IntFlag):
    """An IntFlag that prints as its members' names joined by ``+``, upstream
    first (``knowledge+standards``, as ``servgap_span_name``), a member's
    own name when the value is one (``QueryFlag.ALL`` is "all"), and
    "none" for 0."""

    def __str__(self) -> str:
        value = int(self)
        for m in type(self).__members__.values():
            if int(m) == value and value:
                return _library_name(m)
        if value == 0:
            return "none"
        chosen = []
        # Widest members first, so that ALL | TRENDS reads "all+trends".
        for m in sorted(type(self).__members__.values(), key=lambda m: -bin(int(m)).count("1")):
            v = int(m)
            if v and v & value == v:
                chosen.append(m)
                value &= ~v
        parts = [_library_name(m) for m in sorted(chosen, key=lambda m: int(m) & -int(m))]
        if value:
            parts.append(hex(value))
        return "+".join(parts)

    def __format__(self, spec: str) -> str:
        return _format(self, spec)

NONE = -1  #: no team (SERVGAP_NONE)
ANY = -1  #: touchpoint: applies to every touchpoint (SERVGAP_ANY)
ALL = -2  #: in results and efforts: the roll-up / wildcard (SERVGAP_ALL)
TIME_NONE = -(2**63)  #: an unset date (SERVGAP_TIME_NONE)
TIME_MIN = -(2**63)  #: window start: from the beginning (SERVGAP_TIME_MIN)
TIME_MAX = 2**63 - 1  #: window end: without end (SERVGAP_TIME_MAX)
DAY = 86400  #: seconds per day (SERVGAP_DAY)
# Limits on numbers, inclusive (servgap.h, "Limits on numbers").
VALUE_MAX = 1e15  #: abs(observation value), abs(finite range end), account value
SPAN_MIN = 1e-9  #: a metric's span
SPAN_MAX = 2e15  #: the widest range's max - min
EFFORT_MIN = 1e-9  #: an effort
EFFORT_MAX = 1e15


class ErrorCode(NamedIntEnum):
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


class Dimension(NamedIntEnum):
    TANGIBLES = 0
    RELIABILITY = 1
    RESPONSIVENESS = 2
    ASSURANCE = 3
    EMPATHY = 4


class Direction(NamedIntEnum):
    HIGHER_IS_BETTER = 1
    LOWER_IS_BETTER = 2


class Viewpoint(NamedIntEnum):
    EXPECTED = 0
    ADEQUATE = 1
    BELIEVED = 2
    STANDARD = 3
    DELIVERED = 4
    PROMISED = 5
    PERCEIVED = 6


class GapType(NamedIntEnum):
    SERVICE = 0
    KNOWLEDGE = 1
    STANDARDS = 2
    DELIVERY = 3
    COMMUNICATION = 4
    PERCEPTION = 5
    ADEQUACY = 6


class Link(NamedIntFlag):
    KNOWLEDGE = 0x1
    STANDARDS = 0x2
    DELIVERY = 0x4
    PERCEPTION = 0x8
    COMMUNICATION = 0x10


class GapStatus(NamedIntEnum):
    MET = 0
    SHORTFALL = 1
    EXCEEDS = 2
    INSUFFICIENT = 3
    UNRESOLVED = 4


class GapFlag(NamedIntFlag):
    PAIRED = 0x1
    NO_STANDARD = 0x2
    SUFFICIENT = 0x4
    SIGNIFICANT = 0x8
    CHANGED = 0x10


class Classification(NamedIntEnum):
    NONE = 0
    KNOWLEDGE = 1
    STANDARDS = 2
    DELIVERY = 3
    COMMUNICATION = 4
    PERCEPTION = 5
    SPAN = 6
    INSUFFICIENT = 7
    HIDDEN = 8


class Scope(NamedIntEnum):
    ACCOUNT = 1
    TIER = 2


class Kind(NamedIntEnum):
    TIER = 1
    TOUCHPOINT = 2
    TEAM = 3
    ACCOUNT = 4
    METRIC = 5


class Driver(NamedIntEnum):
    NONE = 0
    WORD_OF_MOUTH = 1
    PERSONAL_NEEDS = 2
    PAST_EXPERIENCE = 3
    EXTERNAL_COMMUNICATION = 4


class Whose(NamedIntEnum):
    CUSTOMER = 1
    PROVIDER = 2


class AccountFlag(NamedIntEnum):
    AT_RISK = 1
    CHURNED = 2


class AccountDate(NamedIntEnum):
    RENEWAL = 1
    MIGRATION = 2


class Source(NamedIntFlag):
    OWN = 0x1
    TIER = 0x2
    ANYTP = 0x4
    CHANGED = 0x8


class Option(NamedIntEnum):
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
    THREADS = 26  #: threads a query builds its cells on, 0..256 (0: every core); 1


class Declare(NamedIntEnum):
    """Values of ``Option.DECLARATIONS``: how standard and promised rows are
    read (docs/concepts.md, section 13)."""

    STANDING = 1  #: in force until replaced or withdrawn
    IN_WINDOW = 2  #: counted in the window only, as 1.1 did


class Level(NamedIntEnum):
    """Values of ``Option.REPORT_LEVEL``: what the JSON report of a result
    holds (docs/formats.md, "Report levels")."""

    FULL = 1  #: every cell, SERVQUAL, IPA and breakdown row
    SUMMARY = 2  #: the rows of tiers, with every finding, trigger, risk row and plan


class Priorities(NamedIntEnum):
    """Values of ``Option.PRIORITIES``: how findings are raised and ranked
    (docs/priorities.md, sections 1 and 8)."""

    GROUPED = 1  #: quadrant order, members after their roots, no-standard findings
    V1_1 = 2  #: as 1.1: quick wins first, each finding ranked on its own


class Crosshair(NamedIntEnum):
    MIDPOINT = 1
    MEAN = 2
    MEDIAN = 3
    CUSTOM = 4


class Outcome(NamedIntEnum):
    NONE = 0
    CLOSED = 1
    IMPROVED = 2
    UNCHANGED = 3
    WORSENED = 4
    UNKNOWN = 5


class QueryFlag(NamedIntFlag):
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


class Table(NamedIntEnum):
    CELLS = 1
    SERVQUAL = 2
    BREAKDOWN = 3
    FINDINGS = 4
    IPA = 5
    TRIGGERS = 6
    RISK = 7
    TRENDS = 8  #: series by series, oldest window first
    PLANS = 9  #: one row per plan item, by id


class WeightSource(NamedIntEnum):
    NONE = 0
    RESPONDENTS = 1
    ALLOCATION = 2


class Facet(NamedIntEnum):
    TEAM = 1
    DRIVER = 2


class Quadrant(NamedIntEnum):
    QUICK_WIN = 1
    MAJOR_PROJECT = 2
    FILL_IN = 3
    THANKLESS = 4


class FindingFlag(NamedIntFlag):
    PERSISTENT = 0x1
    NO_STANDARD = 0x2  #: customers expect a level that no standard defines


class IpaQuadrant(NamedIntEnum):
    CONCENTRATE = 1
    KEEP_UP = 2
    LOW_PRIORITY = 3
    OVERKILL = 4


class TriggerKind(NamedIntEnum):
    RENEWAL = 1
    CSAT_SPIKE = 2
    MIGRATION = 3
    HIDDEN_GAP = 4
    QUARTERLY_REVIEW = 5


class CsvTable(NamedIntEnum):
    OBSERVATIONS = 1
    METRICS = 2
    ACCOUNTS = 3
    IMPORTANCE = 4
    EFFORTS = 5
    PLANS = 6


class ImportFlag(NamedIntFlag):
    SKIP_BAD_ROWS = 0x1


# The library's spellings where they differ from the member names: how the
# members print, and names that ``coerce`` accepts beside the member names.
# Keyed by (class, member name): members of different classes that share a
# value are equal ints, so the members themselves cannot be keys.
_LIBRARY_NAMES = {
    ("Classification", "HIDDEN"): "hidden_gap",
    ("IpaQuadrant", "CONCENTRATE"): "concentrate_here",
    ("IpaQuadrant", "KEEP_UP"): "keep_up_the_good_work",
    ("IpaQuadrant", "OVERKILL"): "possible_overkill",
    ("Source", "ANYTP"): "any_touchpoint",
}


def _library_name(member):
    return _LIBRARY_NAMES.get((type(member).__name__, member.name), member.name.lower())
# More names accepted as arguments (the CSV tables' spellings).
_ALIASES = {
    Direction: {"higher": Direction.HIGHER_IS_BETTER, "lower": Direction.LOWER_IS_BETTER},
}


def as_enum(cls, value):
    """``cls(value)``, or the plain int when this binding does not know it."""
    try:
        return cls(value)
    except ValueError:
        return value


def _by_name(cls, key):
    member = _ALIASES.get(cls, {}).get(key)
    if member is None:
        member = cls.__members__.get(key.upper())
    if member is None:
        member = next((m for m in cls if _library_name(m) == key), None)
    return member


def coerce(cls, value, what):
    """An argument as an int of enumeration ``cls``: a member, a plain int,
    or a name as a string (case-insensitive: ``"perceived"``, or the
    library's spelling, ``"hidden_gap"``). A member of another enumeration
    is refused: ``Scope.TIER`` and ``Kind.TOUCHPOINT`` are both 2, so taking
    one for the other would give a wrong answer without an error."""
    if isinstance(value, str):
        member = _by_name(cls, value.strip().lower())
        if member is None:
            names = sorted(str(m) for m in cls)
            raise ValueError(
                "%s: unknown %s %r (one of %s)" % (what, cls.__name__, value, ", ".join(names))
            )
        return int(member)
    if isinstance(value, bool):
        raise TypeError("%s: expected a %s, not a bool" % (what, cls.__name__))
    if isinstance(value, enum.Enum) and not isinstance(value, cls):
        raise TypeError(_other_enum(cls, value, what))
    try:
        return int(value.__index__())
    except AttributeError:
        raise TypeError(
            "%s: expected a %s or its name, not %s" % (what, cls.__name__, type(value).__name__)
        ) from None


def _other_enum(cls, value, what):
    own = type(value).__name__
    name = getattr(value, "name", None)
    text = "%s: expected a %s, not %s.%s" % (what, cls.__name__, own, name or int(value))
    if name and name in cls.__members__:
        text += " (%s.%s is %d, %s.%s is %d)" % (
            own, name, int(value), cls.__name__, name, int(cls.__members__[name]))
    return text
