"""servgap.dask: the analysis of observations spread over a dask.distributed
cluster, by summaries (docs/scaling.md).

    import distributed, servgap.dask

    with distributed.Client("tcp://scheduler:8786") as client:
        defs = {t: "data/%s.csv" % t for t in ("metrics", "accounts", "importance",
                                                "efforts", "plans")}
        with servgap.dask.analyse(client, ["part-0.csv", "part-1.csv"], defs) as ctx:
            with ctx.query() as res:
                report = res.json()

The job has three steps, each a set of tasks on the workers:

1. **Names.** A first pass over the observations collects the names they
   mention (tiers, accounts with their tiers, touchpoints, teams), in the
   order of first appearance, partition by partition. The client builds
   the *dictionary* from them and the definitions (metrics, accounts,
   importance, efforts), as one handle would that imports metrics,
   accounts, the observations, importance and efforts in that order
   (``servgap-report``'s order), and broadcasts it (a snapshot, bytes) to
   every worker once.
2. **Summaries.** Each partition, kept whole by account (tier-wide rows by
   tier), becomes a Context restored from the dictionary that imports the
   partition's rows and writes a summary (bytes).
3. **Tree reduction.** Nodes of at most ``split_every`` summaries each
   load them, in partition order, into a fresh Context of the dictionary
   and write one summary; the client loads the root summary into a Context
   of the dictionary, adds the plans, and returns it.

Only bytes cross machines (a Context cannot be pickled). The queries of
the returned Context give the single handle's report to rounding (1e-12):
summaries merge moments in another order than one handle's scan.

Needs dask and distributed (Debian: python3-distributed); DataFrames also
need pandas (python3-pandas). ``import servgap`` never imports this module.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

try:
    import dask
    import distributed
except ImportError as _e:  # pragma: no cover - depends on the machine
    raise ImportError(
        "servgap.dask needs dask and distributed, which this Python (%s) cannot import "
        "(Debian: apt-get install python3-distributed; elsewhere: pip install "
        "'dask[distributed]'): %s" % (sys.executable, _e)) from _e

from . import _csvsource
from ._context import Context
from ._enums import Kind
from ._records import ImportReport
from .errors import NotFoundError

__all__ = ["DEFINITIONS", "Names", "Summaries", "analyse", "context", "dictionary", "summarize"]

#: The definition tables, in the order a handle imports them. Plans are
#: appended on every load, so only the client imports them.
DEFINITIONS = ("metrics", "accounts", "importance", "efforts", "plans")

#: A definition table: a path (read on the client) or its CSV bytes.
Table = Union[str, "os.PathLike[str]", bytes]
#: A window of whole UTC days [start, end); None: unbounded.
Window = Tuple[Any, Any]

OBSERVATION_COLUMNS = _csvsource.COLUMNS["observations"]
_KEY, _PART, _ROW = "_servgap_key", "_servgap_part", "_servgap_row"


# ---------------------------------------------------------------------------
# The names of the observations
# ---------------------------------------------------------------------------


@dataclass
class Names:
    """The names a part of the observations mentions, each kind in order of
    first appearance: what the dictionary needs beyond the definitions.
    ``accounts`` pairs each account with the first tier its rows name.
    ``tier_wide``: the tiers that have tier-wide rows (no account), known
    only for a DataFrame's partitions (None for CSV files, which the
    library reads)."""

    tiers: List[str] = field(default_factory=list)
    accounts: List[Tuple[str, Optional[str]]] = field(default_factory=list)
    touchpoints: List[str] = field(default_factory=list)
    teams: List[str] = field(default_factory=list)
    tier_wide: Optional[List[str]] = None

    @classmethod
    def union(cls, parts: Sequence["Names"]) -> "Names":
        """The names of parts read one after the other: a name keeps its
        first place, an account its first tier."""
        out = cls()
        tiers: Dict[str, None] = {}
        accounts: Dict[str, Optional[str]] = {}
        touchpoints: Dict[str, None] = {}
        teams: Dict[str, None] = {}
        for p in parts:
            tiers.update((t, None) for t in p.tiers if t not in tiers)
            for name, tier in p.accounts:
                if accounts.get(name) is None:
                    accounts[name] = tier
            touchpoints.update((t, None) for t in p.touchpoints if t not in touchpoints)
            teams.update((t, None) for t in p.teams if t not in teams)
        out.tiers, out.touchpoints, out.teams = list(tiers), list(touchpoints), list(teams)
        out.accounts = list(accounts.items())
        return out


def _names_of_context(ctx: Context) -> Names:
    """The names a handle interned, in id order: the library's own order of
    first appearance."""
    accounts = []
    for i in range(ctx.count(Kind.ACCOUNT)):
        info = ctx.account_info(i)
        accounts.append((info.name, info.tier_name))
    return Names(ctx.names(Kind.TIER), accounts, ctx.names(Kind.TOUCHPOINT),
                 ctx.names(Kind.TEAM))


def _file_names(path: str, metrics: bytes, library: Optional[str],
                skip_bad_rows: bool) -> Names:
    """A worker: the names of one CSV file, read by the library itself into
    a handle that knows only the metrics, so that every account and tier it
    holds after the import is one the file mentions."""
    with Context(library) as ctx:
        ctx.snapshot_load_bytes(metrics)
        ctx.import_csv("observations", path, skip_bad_rows=skip_bad_rows)
        return _names_of_context(ctx)


def _frame_names(df: Any) -> Names:
    """A worker: the names of one DataFrame partition, as its CSV text will
    give them to the library (see _text)."""
    acct, tier = _text(df["account"]), _text(df["tier"])
    tp = _text(df["touchpoint"])
    team = _text(df["team"]) if "team" in df.columns else None
    accounts = []
    named = acct != ""
    if named.any():
        # First tier per account in row order; "" where none names one.
        pairs = tier[named].groupby(acct[named], sort=False).agg(_first_nonempty)
        accounts = [(a, t or None) for a, t in pairs.items()]
    return Names(
        tiers=[t for t in tier.unique() if t],
        accounts=accounts,
        touchpoints=[t for t in tp.unique() if t not in ("", "*")],
        teams=[] if team is None else [t for t in team.unique() if t],
        tier_wide=[t for t in tier[~named].unique() if t],
    )


def _first_nonempty(s: Any) -> str:
    nonempty = s[s != ""]
    return nonempty.iloc[0] if len(nonempty) else ""


# ---------------------------------------------------------------------------
# The dictionary
# ---------------------------------------------------------------------------


def _read_tables(definitions: Mapping[str, Table]) -> Dict[str, bytes]:
    """The definition tables as bytes, read on the client so that workers
    need no access to its files."""
    unknown = sorted(set(definitions) - set(DEFINITIONS))
    if unknown:
        raise ValueError("definitions: unknown table(s) %s (expected some of %s)"
                         % (", ".join(unknown), ", ".join(DEFINITIONS)))
    out = {}
    for name, table in definitions.items():
        if table is None:
            continue
        if isinstance(table, (bytes, bytearray, memoryview)):
            out[name] = bytes(table)
        else:
            with open(table, "rb") as f:
                out[name] = f.read()
    return out


def _import(ctx: Context, tables: Mapping[str, bytes], name: str) -> None:
    if name in tables:
        ctx.import_csv(name, tables[name], name=name + ".csv")


def _metrics_snapshot(tables: Mapping[str, bytes], options: Mapping[str, Any],
                      library: Optional[str]) -> bytes:
    with Context(library, **options) as ctx:
        _import(ctx, tables, "metrics")
        return ctx.snapshot_bytes()


def dictionary(definitions: Mapping[str, Table], names: Names, *,
               options: Optional[Mapping[str, Any]] = None,
               library: Optional[str] = None) -> bytes:
    """The broadcast dictionary (snapshot bytes): metrics and accounts, the
    observations' names in their order, then importance and efforts, as a
    handle that imports metrics, accounts, observations, importance and
    efforts interns them. No plans: a load appends plans, so the client
    alone adds them (``context``)."""
    tables = _read_tables(definitions)
    with Context(library, **dict(options or {})) as ctx:
        _import(ctx, tables, "metrics")
        _import(ctx, tables, "accounts")
        for t in names.tiers:
            ctx.intern(Kind.TIER, t)
        for account, tier in names.accounts:
            _define_account(ctx, account, tier)
        for t in names.touchpoints:
            ctx.intern(Kind.TOUCHPOINT, t)
        for t in names.teams:
            ctx.intern(Kind.TEAM, t)
        _import(ctx, tables, "importance")
        _import(ctx, tables, "efforts")
        return ctx.snapshot_bytes()


def _define_account(ctx: Context, account: str, tier: Optional[str]) -> None:
    """An account the observations define, or the tier they give a known
    tierless one; a known account keeps its value (account_define would
    set it)."""
    try:
        info = ctx.account_info(ctx.lookup(Kind.ACCOUNT, account))
    except NotFoundError:
        ctx.account_define(account, tier)
        return
    if info.tier is None and tier is not None:
        ctx.account_define(account, tier, info.value)


# ---------------------------------------------------------------------------
# Partitions to summaries (workers)
# ---------------------------------------------------------------------------


def _summarize(source: Any, name: Optional[str], dictionary_: bytes, options: Mapping[str, Any],
               window: Window, skip_bad_rows: bool,
               library: Optional[str]) -> Tuple[bytes, ImportReport]:
    """A worker: one partition (a path, or CSV bytes called name in
    messages) onto the dictionary, as a summary of the window's days."""
    with Context(library, **options) as ctx:
        ctx.snapshot_load_bytes(dictionary_)
        rep = ctx.import_csv("observations", source, name=name, skip_bad_rows=skip_bad_rows)
        return ctx.summary_bytes(*window), rep


def _summarize_frame(df: Any, name: str, dictionary_: bytes, options: Mapping[str, Any],
                     window: Window, skip_bad_rows: bool,
                     library: Optional[str]) -> Tuple[bytes, ImportReport]:
    """A worker: one shuffled DataFrame partition, back in the rows' first
    order (a key's declarations must arrive in order), as CSV text."""
    if _PART in df.columns:
        df = df.sort_values([_PART, _ROW], kind="stable")
    return _summarize(_frame_csv(df), name, dictionary_, options, window, skip_bad_rows,
                      library)


def _reduce(dictionary_: bytes, options: Mapping[str, Any], library: Optional[str],
            *summaries: bytes) -> bytes:
    """A node of the tree: its children's summaries, loaded in order into a
    handle of the dictionary (so that every node keeps the same ids), as
    one summary."""
    with Context(library, **options) as ctx:
        ctx.snapshot_load_bytes(dictionary_)
        for s in summaries:
            ctx.load_summary_bytes(s)
        return ctx.summary_bytes()


def _tree(leaves: List[Any], split_every: int, node: Callable[..., Any]) -> Any:
    """The root of a reduction of leaves in groups of split_every, level by
    level, each group in leaf order: a fixed shape, so a fixed result."""
    if split_every < 2:
        raise ValueError("split_every must be at least 2, not %r" % (split_every,))
    level = list(leaves)
    while len(level) > 1:
        level = [node(*level[i:i + split_every]) for i in range(0, len(level), split_every)]
    return level[0]


# ---------------------------------------------------------------------------
# DataFrames: text, keys, shuffle
# ---------------------------------------------------------------------------


def _text(s: Any) -> Any:
    """A column as the strings its CSV field holds: "" for a missing value,
    datetimes as UTC seconds (the library drops fractions of a second too),
    anything else as str() gives it."""
    import pandas as pd

    # A copy: pandas 1.5's astype(str) of an object column whose array is
    # read-only (as one deserialized on a worker is) writes the strings
    # into that array, "nan" over the caller's missing values.
    s = s.copy()
    missing = s.isna()
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        seconds = (s - pd.Timestamp(0)) // pd.Timedelta(seconds=1)
        s = seconds.astype("Int64")
    out = s.astype(str)
    return out.where(~missing, "") if missing.any() else out


def _frame_csv(df: Any) -> bytes:
    """The observations columns of a partition as CSV bytes."""
    cols = [c for c in OBSERVATION_COLUMNS if c in df.columns]
    text = df[cols].apply(_text) if len(df) else df[cols].astype(str)
    return text.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _with_keys(df: Any, partition_info: Optional[dict] = None) -> Any:
    """A partition with the key it is shuffled on (its account, or
    "tier:NAME" for a tier-wide row) and its rows' first place."""
    import numpy as np

    acct, tier = _text(df["account"]), _text(df["tier"])
    part = partition_info["number"] if partition_info else 0
    return df.assign(**{
        _KEY: acct.where(acct != "", "tier:" + tier),
        _PART: np.full(len(df), part, dtype="int64"),
        _ROW: np.arange(len(df), dtype="int64"),
    })


def _check_columns(columns: Sequence[str]) -> None:
    required = ("time", "account", "tier", "touchpoint", "metric", "viewpoint", "value")
    missing = [c for c in required if c not in columns]
    if missing:
        raise ValueError("observations: missing column(s) %s (docs/formats.md, observations)"
                         % ", ".join(missing))


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------


@dataclass
class Summaries:
    """What a job leaves on the client: the root ``summary`` (bytes), the
    ``dictionary`` it was made on (snapshot bytes), and the ImportReport of
    every partition, in partition order (rows read, skipped, ...)."""

    summary: bytes
    dictionary: bytes
    imports: List[ImportReport]


def summarize(client: "distributed.Client", observations: Any,
              definitions: Mapping[str, Table], *, window: Optional[Window] = None,
              options: Optional[Mapping[str, Any]] = None, split_every: int = 8,
              shuffle: Optional[bool] = None, npartitions: Optional[int] = None,
              skip_bad_rows: bool = False, library: Optional[str] = None) -> Summaries:
    """Run the job on ``client``'s cluster and return the root summary.

    ``observations``: a dask DataFrame with the observations columns
    (docs/formats.md), or a list of CSV paths that every worker can read.
    ``definitions``: the tables of ``DEFINITIONS`` (path or bytes; any may
    be left out). ``window``: (start, end), the days the summaries keep.
    ``options``: Context options (e.g. ``{"negative_share": 0.3}``), set on
    every handle of the job: a summary holds none.

    Partitions must keep every account whole and every tier's tier-wide
    rows together. ``shuffle=True`` (the default for a DataFrame) shuffles
    the rows by account (tier-wide rows by tier) into ``npartitions``
    partitions (default: as many as there are); ``shuffle=False`` (the
    default for CSV paths) takes the partitions as they are, each file one
    partition, and raises ValueError when an account has rows in two.
    """
    opts = dict(options or {})
    win: Window = (None, None) if window is None else tuple(window)  # type: ignore[assignment]
    tables = _read_tables(definitions)
    if isinstance(observations, (list, tuple)):
        paths = [os.fspath(p) for p in observations]
        if shuffle:
            import dask.dataframe as dd

            frame = dd.read_csv(paths, dtype=str, keep_default_na=False, blocksize=None)
            return _summarize_frames(client, frame, tables, win, opts, split_every, True,
                                     npartitions, skip_bad_rows, library)
        return _summarize_paths(client, paths, tables, win, opts, split_every, skip_bad_rows,
                                library)
    if not hasattr(observations, "to_delayed") or not hasattr(observations, "columns"):
        raise TypeError("observations: expected a dask DataFrame or a list of CSV paths, not %s"
                        % type(observations).__name__)
    return _summarize_frames(client, observations, tables, win, opts, split_every,
                             True if shuffle is None else shuffle, npartitions, skip_bad_rows,
                             library)


def _summarize_paths(client, paths, tables, win, opts, split_every, skip_bad_rows, library):
    if not paths:
        raise ValueError("observations: no CSV paths")
    metrics = client.scatter(_metrics_snapshot(tables, opts, library), broadcast=True,
                             hash=False)
    names = client.gather([
        client.submit(_file_names, p, metrics, library, skip_bad_rows, pure=False)
        for p in paths])
    _check_whole(paths, names)
    ref = _broadcast(client, tables, Names.union(names), opts, library)
    leaves = [dask.delayed(_summarize, nout=2, pure=False)(p, None, ref[1], opts, win,
                                                            skip_bad_rows, library)
              for p in paths]
    return _reduce_leaves(client, leaves, ref, opts, split_every, library)


def _summarize_frames(client, frame, tables, win, opts, split_every, shuffle, npartitions,
                      skip_bad_rows, library):
    _check_columns(list(frame.columns))
    parts = frame.to_delayed()
    names = client.gather(client.compute([dask.delayed(_frame_names)(p) for p in parts]))
    ref = _broadcast(client, tables, Names.union(names), opts, library)
    if shuffle:
        keyed = frame.map_partitions(_with_keys)
        parts = keyed.shuffle(_KEY, npartitions=npartitions or frame.npartitions).to_delayed()
    else:
        _check_whole(["partition %d" % i for i in range(len(parts))], names)
    leaves = [dask.delayed(_summarize_frame, nout=2, pure=False)(
        p, "partition-%d.csv" % i, ref[1], opts, win, skip_bad_rows, library)
        for i, p in enumerate(parts)]
    return _reduce_leaves(client, leaves, ref, opts, split_every, library)


def _broadcast(client, tables, names, opts, library):
    """The dictionary, on the client, then on every worker (one copy each).

    Scattered under a key of its own (hash=False). Under the key of its
    bytes, a job run right after a failed job on the same data had its
    tasks cancelled (CancelledError, seen once in test_dask): it scattered
    to the key the failed job's futures were releasing, and the scatter (a
    direct call to the scheduler) can overtake the release (a batched
    message), which then drops the key."""
    base = dictionary(tables, names, options=opts, library=library)
    return base, client.scatter(base, broadcast=True, hash=False)


def _reduce_leaves(client, leaves, ref, opts, split_every, library):
    base, shared = ref
    if not leaves:
        raise ValueError("observations: no partitions")
    reduce = dask.delayed(_reduce, pure=False)
    root = _tree([leaf[0] for leaf in leaves], split_every,
                 lambda *children: reduce(shared, opts, library, *children))
    summary, imports = client.compute([root, [leaf[1] for leaf in leaves]], sync=True)
    return Summaries(summary, base, list(imports))


def _check_whole(labels: Sequence[str], names: Sequence[Names]) -> None:
    """ValueError when an account (or a tier's tier-wide rows, where known)
    has rows in two partitions: its day's declarations would then reach
    the reducer in two pieces."""
    seen: Dict[str, str] = {}
    for label, part in zip(labels, names):
        keys = [("account %r" % a) for a, _ in part.accounts]
        keys += [("tier %r's tier-wide rows" % t) for t in part.tier_wide or ()]
        for key in keys:
            if key in seen:
                raise ValueError(
                    "%s: rows in %s and in %s: partitions must keep accounts whole and each "
                    "tier's tier-wide rows together (split the data by account, tier-wide rows "
                    "by tier, or pass shuffle=True)" % (key, seen[key], label))
            seen[key] = label


def context(summaries: Summaries, definitions: Mapping[str, Table], *,
            options: Optional[Mapping[str, Any]] = None,
            library: Optional[str] = None) -> Context:
    """The client's handle: the dictionary, the root summary, then the
    plans (once, here: a load appends plans). The caller closes it."""
    tables = _read_tables(definitions)
    ctx = Context(library, **dict(options or {}))
    try:
        ctx.snapshot_load_bytes(summaries.dictionary)
        ctx.load_summary_bytes(summaries.summary)
        _import(ctx, tables, "plans")
    except BaseException:
        ctx.close()
        raise
    return ctx


def analyse(client: "distributed.Client", observations: Any,
            definitions: Mapping[str, Table], *, window: Optional[Window] = None,
            options: Optional[Mapping[str, Any]] = None, split_every: int = 8,
            shuffle: Optional[bool] = None, npartitions: Optional[int] = None,
            skip_bad_rows: bool = False, library: Optional[str] = None) -> Context:
    """``summarize`` then ``context``: a Context on the client that holds
    the merged summaries, ready to query (the caller closes it). The
    arguments are ``summarize``'s."""
    tables = _read_tables(definitions)  # once, so that both steps see the same bytes
    done = summarize(client, observations, tables, window=window, options=options,
                     split_every=split_every, shuffle=shuffle, npartitions=npartitions,
                     skip_bad_rows=skip_bad_rows, library=library)
    return context(done, tables, options=options, library=library)
