"""servgap: Python binding of libservgap (SERVQUAL satisfaction-gap analysis).

Standard library only: ctypes over the C library's public header
(include/servgap.h). The shared library is found through an explicit
``load_library(path)``, the ``SERVGAP_LIBRARY`` environment variable, or
the system loader (``libservgap.so.1``), on first use.

    import servgap
    from servgap import Scope, Viewpoint, Dimension

    with servgap.Context() as ctx:
        for table in ("metrics", "accounts", "observations", "importance", "efforts"):
            ctx.import_csv(table, f"examples/data/{table}.csv")
        with ctx.query() as res:
            report = res.json()            # the JSON report as a dict
            top = res.findings()[:5]       # dataclasses, rank order

docs/ffi.md covers loading, ownership, threads and zero-copy batches.
"""

from __future__ import annotations

from . import _columns, _csvsource, _enums
from ._context import Context
from ._enums import (
    ALL,
    ANY,
    DAY,
    EFFORT_MAX,
    EFFORT_MIN,
    NONE,
    SPAN_MAX,
    SPAN_MIN,
    VALUE_MAX,
    TIME_MAX,
    TIME_MIN,
    TIME_NONE,
    AccountDate,
    AccountFlag,
    Classification,
    Crosshair,
    Declare,
    CsvTable,
    Dimension,
    Direction,
    Driver,
    ErrorCode,
    Facet,
    FindingFlag,
    GapFlag,
    GapStatus,
    GapType,
    ImportFlag,
    IpaQuadrant,
    Kind,
    Level,
    Link,
    Option,
    Outcome,
    Priorities,
    Quadrant,
    QueryFlag,
    Scope,
    Source,
    Table,
    TriggerKind,
    Viewpoint,
    WeightSource,
    Whose,
)
from ._lib import ENV_VAR, Library, default_library, load_library
from ._records import (
    AccountInfo,
    Auc,
    Breakdown,
    Cell,
    Finding,
    Gap,
    ImportReport,
    Ipa,
    MetricInfo,
    PlanInfo,
    PlanStatus,
    Remeasurement,
    Risk,
    Servqual,
    Trend,
    Trigger,
)
from ._records import utc
from ._result import CellRows, Result, Rows
from .errors import (
    BufferSizeError,
    ConflictError,
    CorruptError,
    FormatError,
    InterruptedCallError,
    InvalidError,
    LimitError,
    MisuseError,
    NoMemoryError,
    NotFoundError,
    RangeError,
    RowIndexError,
    ServgapError,
    ServgapFileNotFoundError,
    ServgapIOError,
    ServgapIsADirectoryError,
    ServgapNotADirectoryError,
    ServgapPermissionError,
)

__version__ = "1.2.0"


def version():
    """The version string of the loaded library, e.g. "1.2.0"."""
    return default_library().servgap_version_string().decode()


def version_number():
    """The loaded library's SERVGAP_VERSION_NUMBER (major*10000+minor*100+patch)."""
    return default_library().servgap_version_number()


def strerror(code):
    """Static English text for a status code ("unknown error" if unknown)."""
    return default_library().servgap_strerror(int(code)).decode()


def t_cdf(t, df):
    """P(T <= t) for Student's t with df degrees of freedom (inf: normal);
    NaN for invalid arguments."""
    return default_library().servgap_t_cdf(float(t), float(df))


def t_quantile(p, df):
    """The inverse of ``t_cdf`` for p in [0, 1]; NaN for invalid arguments."""
    return default_library().servgap_t_quantile(float(p), float(df))


def _namer(cname, cast=int):
    def name(value):
        text = getattr(default_library(), cname)(cast(value))
        return None if text is None else text.decode()

    name.__name__ = cname[len("servgap_"):]
    name.__doc__ = "``%s``: the library's snake_case name, or None for an unknown value." % cname
    return name


dimension_name = _namer("servgap_dimension_name")
viewpoint_name = _namer("servgap_viewpoint_name")
gap_name = _namer("servgap_gap_name")
status_name = _namer("servgap_status_name")
class_name = _namer("servgap_class_name")
span_name = _namer("servgap_span_name")
driver_name = _namer("servgap_driver_name")
quadrant_name = _namer("servgap_quadrant_name")
ipa_name = _namer("servgap_ipa_name")
trigger_name = _namer("servgap_trigger_name")
outcome_name = _namer("servgap_outcome_name")
csv_table_name = _namer("servgap_csv_table_name")


def csv_columns(table=None):
    """The columns of a CSV table (``CsvTable`` or its name), as
    docs/formats.md lists them; without a table, a dict of all six."""
    if table is None:
        return dict(_csvsource.COLUMNS)
    return _csvsource.COLUMNS[str(CsvTable(_enums.coerce(CsvTable, table, "table")))]


def column_path(obj, kind):
    """How a batch column would reach C: "view" (zero copy), "copy" (one
    memcpy), "convert" (element by element) or "broadcast" (a scalar).
    kind: "int32", "int64" or "double"."""
    return _columns.path_of(obj, kind)


__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]
