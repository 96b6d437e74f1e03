/*
 * persist -- what one query's analyses share (servgap__shared), above all
 * the persistence windows that priorities and risk both count, each
 * computed once and kept as a summary. Relies on window for the cells and
 * on shortfalls for an account's open shortfalls.
 */
#ifndef SERVGAP_PERSIST_H
#define SERVGAP_PERSIST_H

#include "analysis.h"

/* The bit of servgap__winsum.sig past the gap types: the cell's standards
 * row is a no-standard shortfall (what a no-standard finding counts). */
#define SERVGAP__SIG_NO_STANDARD (1u << SERVGAP_GAP_COUNT)

/* One persistence window as the analyses read it: per cell (in result
 * order) its order key and which gaps are significant shortfalls
 * (persistence), and per account with cells its open shortfalls (risk). */
typedef struct servgap__winsum {
    int64_t from, to;
    uint32_t flags; /* the cells it was computed with; 0: not computed */
    int with_runs;  /* computed with the roll-ups of servgap__shared_rollups */
    size_t ncells;
    int64_t (*key)[4]; /* servgap__cell_order of each cell */
    uint8_t *sig;      /* bit g: gap g is a significant shortfall; and below */
    size_t nacc;
    int32_t *acc; /* accounts with cells, in cell order */
    servgap__shortfalls *sf;
    servgap_trend *points; /* per series of the shared struct, or NULL */
} servgap__winsum;

/* What one query's analyses share, so that none repeats another's work:
 * the t quantiles at the handle's confidence, the aggregate of the query's
 * window (priorities' tier findings look up their accounts in it), and
 * the K windows before the analysis date that persistence (priorities) and
 * risk both count, each computed once into recycled results and kept
 * as a summary. Lives on query.c's stack, under the query's read lock. */
#define SERVGAP__SHARED_WINDOWS ((size_t)2 * SERVGAP__WINDOWS_MAX)

struct servgap__shared {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    servgap__tcache tc;
    uint32_t extra;   /* flags every window gets: accounts when risk follows */
    servgap__agg agg; /* the query window's groups, when have_agg */
    int have_agg;
    /* The windows' cells, one window at a time: thread t's when windows
     * are computed side by side (the persistence and then the trend
     * windows, reusing the memory the one before mapped), [0] also those
     * computed on request. */
    servgap_result *scratch[SERVGAP__SHARED_WINDOWS];
    uint64_t *runs; /* the runs whose roll-ups are read (sorted) */
    size_t nruns;
    int runs_set;
    size_t nwin;
    servgap__winsum win[SERVGAP__SHARED_WINDOWS];
    /* With SERVGAP_QUERY_TRENDS (trend_points set): the candidate findings
     * as series, in build order, whose points every window computed from
     * then on records, and the series of each finding in rank order. The
     * persistence windows are the last trend windows: trends reads their
     * points here instead of computing them again. */
    int trend_points;
    servgap__series *series;
    size_t nseries;
    size_t *series_order; /* servgap__series_sorted */
    size_t *series_of;    /* set by priorities once the findings are ranked */
};

/* Set up s for one query (extra as above); 0, or -1 when memory ran out
 * (s is then safe to free). */
int servgap__shared_init(servgap__shared *s, const servgap_ctx *ctx, const servgap__options *opt,
                         uint32_t extra);
void servgap__shared_free(servgap__shared *s);

/* The summary of window [from, to) with at least flags (TIERS, ACCOUNTS;
 * and SERVGAP__SOME_ROLLUPS for the roll-ups of the runs given to
 * servgap__shared_rollups, without which a window has none): computed on
 * the first request and kept for the next. *out stays valid until
 * servgap__shared_free or a request of the same window with more flags,
 * which recomputes it. 0, or -1 when memory ran out. */
int servgap__shared_window(servgap__shared *s, int64_t from, int64_t to, uint32_t flags,
                           const servgap__winsum **out);

/* Windows [from[i], to[i]) for i < n, as servgap__shared_window computes
 * them for flags, those not computed yet side by side on the threads of
 * SERVGAP_OPT_THREADS (none with one thread: each is then computed on its
 * first request, its cells on the threads). Each window's summary is the
 * one servgap__shared_window makes. 0, or -1 when memory ran out or the
 * call was interrupted. */
int servgap__shared_windows(servgap__shared *s, const int64_t *from, const int64_t *to, size_t n,
                            uint32_t flags);

/* The series whose points the windows computed from now on record (the
 * caller asks only when s->trend_points does). Takes series (from ctx's
 * allocator), freed with s whatever it returns. 0, or -1 when memory ran
 * out. */
int servgap__shared_series(servgap__shared *s, servgap__series *series, size_t n);

/* The recorded points of window [from, to), one per series of
 * servgap__shared_series, or NULL when that window has none. */
const servgap_trend *servgap__shared_points(const servgap__shared *s, int64_t from, int64_t to);

/* The runs (k1 >> 16 of their groups) whose dimension roll-ups the
 * windows are to hold from now on: those of the roll-up findings that
 * persistence counts (risk reads no roll-up). Copied; set once per query,
 * before the windows that need them. 0, or -1 when memory ran out. */
int servgap__shared_rollups(servgap__shared *s, const uint64_t *runs, size_t n);

/* 1 when f's gap is a significant shortfall in f's cell of window w (for
 * a no-standard finding: a no-standard shortfall); 0 when w has no such
 * cell. */
int servgap__winsum_significant(const servgap__winsum *w, const servgap_finding *f);

#endif
