/*
 * servgap.h -- libservgap, SERVQUAL satisfaction-gap analysis as a C library.
 *
 * This header is the whole contract. Every function states who owns what,
 * what NULL means, which errors come back and which threads may call it.
 *
 * Conventions (docs/conventions.md has the long form):
 *  - Fallible calls return int: SERVGAP_OK (0) or a negative SERVGAP_E* code.
 *    On failure nothing was changed ("all or nothing") and the handle keeps a
 *    message naming the argument, id or index at fault: servgap_errmsg().
 *  - Out-parameters come last (constructors excepted: servgap_ctx_new
 *    takes its handle first); they are written only on success.
 *  - Names are NUL-terminated UTF-8; buffers are (pointer, length) pairs.
 *  - "Borrowed" pointers stay owned by the library and stay valid for the
 *    life of the object they came from; "owned" results are freed by the
 *    caller with the matching _free function, which accepts NULL.
 *  - Enumerations are #defines with explicit, never renumbered values.
 *  - Sized record structs begin with size_t size, which the caller sets to
 *    sizeof the struct as its header declares it. Any size from the
 *    struct's 1.0 layout up is accepted (smaller: SERVGAP_EMISUSE, or
 *    SERVGAP_EINVAL from servgap_ctx_new); the library reads and writes
 *    only within it, writes no field it does not know, and never changes
 *    size (docs/abi.md).
 *  - Times are int64 UTC seconds since 1970-01-01; windows are [from, to)
 *    of whole UTC days.
 *  - Threads: a servgap_ctx may be used from many threads at once; it locks
 *    internally and queries run concurrently with each other. Result objects
 *    are immutable and may be read from any number of threads.
 */
#ifndef SERVGAP_H
#define SERVGAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------- */
/* Visibility and version                                                  */
/* ---------------------------------------------------------------------- */

#if defined(_WIN32) && defined(SERVGAP_BUILDING_DLL)
#define SERVGAP_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define SERVGAP_API __attribute__((visibility("default")))
#else
#define SERVGAP_API
#endif

#define SERVGAP_VERSION_MAJOR 1
#define SERVGAP_VERSION_MINOR 2
#define SERVGAP_VERSION_PATCH 0
#define SERVGAP_VERSION_NUMBER                                                                     \
    (SERVGAP_VERSION_MAJOR * 10000 + SERVGAP_VERSION_MINOR * 100 + SERVGAP_VERSION_PATCH)
#define SERVGAP_VERSION_STRING "1.2.0"

/* The version of the library actually linked, as SERVGAP_VERSION_NUMBER.
 * Compare with the macro to detect a header/library mismatch. Thread-safe. */
SERVGAP_API uint32_t servgap_version_number(void);

/* The version string of the linked library ("1.2.0"); static, never freed. */
SERVGAP_API const char *servgap_version_string(void);

/* ---------------------------------------------------------------------- */
/* Status codes                                                            */
/* ---------------------------------------------------------------------- */

#define SERVGAP_OK           0
#define SERVGAP_EMISUSE      (-1)  /* NULL handle or NULL required pointer */
#define SERVGAP_EINVAL       (-2)  /* an argument is not one of its allowed values */
#define SERVGAP_ERANGE       (-3)  /* a number outside its valid range, NaN or infinite */
#define SERVGAP_ENOTFOUND    (-4)  /* an id or name that the handle does not know */
#define SERVGAP_ECONFLICT    (-5)  /* a definition that contradicts an earlier one */
#define SERVGAP_ENOMEM       (-6)  /* the allocator failed; nothing was changed */
#define SERVGAP_ELIMIT       (-7)  /* a capacity limit of the format was reached */
#define SERVGAP_EBUFSIZE     (-8)  /* caller buffer too small; the size needed is reported */
#define SERVGAP_EIO          (-9)  /* reading or writing a file failed */
#define SERVGAP_EFORMAT      (-10) /* malformed input such as CSV */
#define SERVGAP_ECORRUPT     (-11) /* damaged, truncated or foreign snapshot */
#define SERVGAP_EINTERRUPTED (-12) /* stopped by servgap_ctx_interrupt (since 1.2) */

/* Static English text for a status code ("unknown error" for codes this
 * version does not know). Never NULL, never freed. Thread-safe. */
SERVGAP_API const char *servgap_strerror(int code);

/* ---------------------------------------------------------------------- */
/* Enumerations                                                            */
/* ---------------------------------------------------------------------- */

/* Service-quality dimensions (SERVQUAL). */
#define SERVGAP_DIM_TANGIBLES      0
#define SERVGAP_DIM_RELIABILITY    1
#define SERVGAP_DIM_RESPONSIVENESS 2
#define SERVGAP_DIM_ASSURANCE      3
#define SERVGAP_DIM_EMPATHY        4
#define SERVGAP_DIM_COUNT          5

/* Metric direction. */
#define SERVGAP_HIGHER_IS_BETTER 1
#define SERVGAP_LOWER_IS_BETTER  2

/* Viewpoints: who says what the level is. */
#define SERVGAP_VP_EXPECTED  0 /* what the customer desires */
#define SERVGAP_VP_ADEQUATE  1 /* the minimum the customer accepts */
#define SERVGAP_VP_BELIEVED  2 /* what the provider thinks the customer expects */
#define SERVGAP_VP_STANDARD  3 /* the provider's policy / SLA */
#define SERVGAP_VP_DELIVERED 4 /* what was measurably delivered */
#define SERVGAP_VP_PROMISED  5 /* what sales or marketing promised */
#define SERVGAP_VP_PERCEIVED 6 /* what the customer perceives they got */
#define SERVGAP_VP_COUNT     7

/* Gaps, each "downstream minus upstream" on oriented means. */
#define SERVGAP_GAP_SERVICE       0 /* perceived - expected (SERVQUAL gap 5) */
#define SERVGAP_GAP_KNOWLEDGE     1 /* believed - expected (gap 1) */
#define SERVGAP_GAP_STANDARDS     2 /* standard - believed (gap 2) */
#define SERVGAP_GAP_DELIVERY      3 /* delivered - standard (gap 3) */
#define SERVGAP_GAP_COMMUNICATION 4 /* delivered - promised (gap 4) */
#define SERVGAP_GAP_PERCEPTION    5 /* perceived - delivered */
#define SERVGAP_GAP_ADEQUACY      6 /* perceived - adequate (measure of adequacy) */
#define SERVGAP_GAP_COUNT         7

/* Links of the chain expected -> believed -> standard -> delivered ->
 * perceived, as bits. A gap row's span is the set of links its value covers:
 * one bit for a resolved link, several for a joined, unresolved span. */
#define SERVGAP_LINK_KNOWLEDGE     0x1u
#define SERVGAP_LINK_STANDARDS     0x2u
#define SERVGAP_LINK_DELIVERY      0x4u
#define SERVGAP_LINK_PERCEPTION    0x8u
#define SERVGAP_LINK_COMMUNICATION 0x10u

/* Gap status. */
#define SERVGAP_STATUS_MET          0 /* the interval contains zero */
#define SERVGAP_STATUS_SHORTFALL    1 /* the whole interval is below zero */
#define SERVGAP_STATUS_EXCEEDS      2 /* the whole interval is above zero */
#define SERVGAP_STATUS_INSUFFICIENT 3 /* fewer than min_n observations on a side; not finite */
#define SERVGAP_STATUS_UNRESOLVED   4 /* a neighbour link has no data: see span */

/* Gap row flags. */
#define SERVGAP_GAPFLAG_PAIRED      0x1u /* paired t interval (df = pairs - 1) */
#define SERVGAP_GAPFLAG_NO_STANDARD 0x2u /* customers expect, no standard exists */
#define SERVGAP_GAPFLAG_SUFFICIENT  0x4u /* every side has at least min_n observations */
#define SERVGAP_GAPFLAG_SIGNIFICANT 0x8u /* sufficient, finite, the interval excludes zero */
/* A side is a declaration that changed inside the window (SERVGAP_SOURCE_CHANGED). */
#define SERVGAP_GAPFLAG_CHANGED 0x10u

/* Cell classification: where in the chain the largest significant
 * shortfall is created. */
#define SERVGAP_CLASS_NONE          0 /* no significant shortfall */
#define SERVGAP_CLASS_KNOWLEDGE     1
#define SERVGAP_CLASS_STANDARDS     2
#define SERVGAP_CLASS_DELIVERY      3
#define SERVGAP_CLASS_COMMUNICATION 4
#define SERVGAP_CLASS_PERCEPTION    5
#define SERVGAP_CLASS_SPAN          6 /* an unresolved joined span; see class_span */
#define SERVGAP_CLASS_INSUFFICIENT  7 /* the data cannot tell */
/* An at-risk account with no service shortfall: a suspected knowledge or
 * perception gap. */
#define SERVGAP_CLASS_HIDDEN 8

/* Scope of an observation or a cell. */
#define SERVGAP_SCOPE_ACCOUNT 1
#define SERVGAP_SCOPE_TIER    2

/* Kinds of interned names. */
#define SERVGAP_KIND_TIER       1
#define SERVGAP_KIND_TOUCHPOINT 2
#define SERVGAP_KIND_TEAM       3
#define SERVGAP_KIND_ACCOUNT    4
#define SERVGAP_KIND_METRIC     5

/* Expectation drivers (antecedents of expected service). */
#define SERVGAP_DRIVER_NONE                   0
#define SERVGAP_DRIVER_WORD_OF_MOUTH          1
#define SERVGAP_DRIVER_PERSONAL_NEEDS         2
#define SERVGAP_DRIVER_PAST_EXPERIENCE        3
#define SERVGAP_DRIVER_EXTERNAL_COMMUNICATION 4

/* Whose importance allocation. */
#define SERVGAP_WHOSE_CUSTOMER 1
#define SERVGAP_WHOSE_PROVIDER 2

/* Account flags and dates. */
#define SERVGAP_ACCOUNT_AT_RISK   1
#define SERVGAP_ACCOUNT_CHURNED   2
#define SERVGAP_ACCOUNT_RENEWAL   1
#define SERVGAP_ACCOUNT_MIGRATION 2

/* Special ids and times. */
#define SERVGAP_NONE      (-1)      /* no team */
#define SERVGAP_ANY       (-1)      /* touchpoint: applies to every touchpoint */
#define SERVGAP_ALL       (-2)      /* in results: roll-up over touchpoints or metrics */
#define SERVGAP_TIME_NONE INT64_MIN /* an unset date */
#define SERVGAP_TIME_MIN  INT64_MIN /* window start: from the beginning */
#define SERVGAP_TIME_MAX  INT64_MAX /* window end: without end */
#define SERVGAP_DAY       86400

/* Which viewpoint data a cell used (bits of servgap_cell.source). */
#define SERVGAP_SOURCE_OWN   0x1u /* the scope's own observations */
#define SERVGAP_SOURCE_TIER  0x2u /* an account fell back to its tier */
#define SERVGAP_SOURCE_ANYTP 0x4u /* observations recorded for any touchpoint */
/* A declaration (standard, promised) was replaced or withdrawn inside the
 * window: the side is the mean over the window's days of the value then
 * in force. */
#define SERVGAP_SOURCE_CHANGED 0x8u

/* ---------------------------------------------------------------------- */
/* The handle                                                              */
/* ---------------------------------------------------------------------- */

typedef struct servgap_ctx servgap_ctx;

/* An optional allocator. All three functions are required; user is passed
 * back unchanged. free_fn receives only pointers from malloc_fn/realloc_fn.
 * The functions must be callable from any thread that uses the handle. */
typedef struct servgap_allocator {
    size_t size; /* sizeof(servgap_allocator) */
    void *(*malloc_fn)(void *user, size_t n);
    void *(*realloc_fn)(void *user, void *p, size_t n);
    void (*free_fn)(void *user, void *p);
    void *user;
} servgap_allocator;

/* Create a handle, knowing the five built-in Likert 1..7 metrics (named
 * tangibles, reliability, responsiveness, assurance, empathy; metric ids
 * equal their SERVGAP_DIM_* values).
 * alloc: NULL for the C library's malloc; otherwise copied (the caller may
 *   release its struct afterwards) and used for every allocation of the
 *   handle and of the results it returns. With NULL, on Linux, each block
 *   of 4 MiB or more is advised for transparent huge pages
 *   (madvise(MADV_HUGEPAGE) over the block's pages; advice only, the
 *   bytes are the same); with an allocator of the caller's, the library
 *   advises nothing.
 * Returns SERVGAP_OK and *out (owned: servgap_ctx_free), SERVGAP_EMISUSE if
 * out is NULL, SERVGAP_EINVAL for an allocator with a missing function or a
 * size smaller than the 1.0 layout, SERVGAP_ENOMEM. */
SERVGAP_API int servgap_ctx_new(servgap_ctx **out, const servgap_allocator *alloc);

/* Free a handle and everything it owns. NULL is a no-op. Results already
 * returned stay valid (they own their data). The caller must ensure no other
 * thread is using the handle. */
SERVGAP_API void servgap_ctx_free(servgap_ctx *ctx);

/* Options, set through keyed setters; values are doubles. */
#define SERVGAP_OPT_CONFIDENCE     1 /* interval level, (0.5, 1); default 0.95 */
#define SERVGAP_OPT_MIN_N_CUSTOMER 2 /* min n for expected/adequate/perceived, default 5 */
#define SERVGAP_OPT_MIN_N_PROVIDER 3 /* min n for believed/standard/delivered/promised, 1 */
#define SERVGAP_OPT_NEGATIVE_SHARE                                                                 \
    4                                /* negative = oriented value in this bottom share             \
                                        of the metric's range, (0, 1); default 0.4 */
#define SERVGAP_OPT_AT_RISK_HEALTH 5 /* health below this counts as at risk, [0, 100]; 50 */
/* Prioritization (docs/priorities.md): weights >= 0, not all three 0. */
#define SERVGAP_OPT_WEIGHT_SIZE      6 /* weight of the normalized shortfall size; 1 */
#define SERVGAP_OPT_WEIGHT_VALUE     7 /* weight of the affected accounts' value share; 1 */
#define SERVGAP_OPT_WEIGHT_FREQUENCY 8 /* weight of the share of interactions affected; 1 */
#define SERVGAP_OPT_PERSIST_BOOST                                                                  \
    9                                      /* impact multiplier - 1 for a persistent               \
                                              communication gap, >= 0; 1 */
#define SERVGAP_OPT_WINDOWS             10 /* K: windows for persistence and risk, 1..52; 3 */
#define SERVGAP_OPT_WINDOW_DAYS         11 /* their length and the re-check interval, 1..366; 30 */
#define SERVGAP_OPT_IMPACT_CUT          12 /* impact at or above this is high, [0, 100]; 25 */
#define SERVGAP_OPT_EFFORT_CUT          13 /* effort at or above this is high, > 0; 3 */
#define SERVGAP_OPT_RENEWAL_DAYS        14 /* renewal trigger horizon, 1..3660; 90 */
#define SERVGAP_OPT_MIGRATION_DAYS      15 /* migration trigger look-back, 1..3660; 60 */
#define SERVGAP_OPT_SPIKE_RECENT_DAYS   16 /* CSAT spike: recent window, 1..366; 14 */
#define SERVGAP_OPT_SPIKE_BASELINE_DAYS 17 /* CSAT spike: baseline before it, 1..3660; 180 */
#define SERVGAP_OPT_IPA_CROSSHAIR       18 /* SERVGAP_CROSSHAIR_*; MIDPOINT */
#define SERVGAP_OPT_IPA_IMPORTANCE      19 /* custom crosshair: importance points, [0, 100]; 20 */
#define SERVGAP_OPT_IPA_PERFORMANCE     20 /* custom crosshair: performance, finite; 4 */
/* Time (docs/concepts.md, section 13). */
#define SERVGAP_OPT_LOOKBACK_DAYS 21 /* survey viewpoints' look-back L, 1..3660; 365 */
#define SERVGAP_OPT_TREND_WINDOWS 22 /* windows of a trend, 1..52; 12 */
#define SERVGAP_OPT_DECLARATIONS                                                                   \
    23 /* how standard and promised are read: SERVGAP_DECLARE_*; STANDING */
/* Since 1.2: how findings are raised and ranked: SERVGAP_PRIORITIES_*; GROUPED. */
#define SERVGAP_OPT_PRIORITIES 24
/* Since 1.2: what the JSON report of a query's result holds:
 * SERVGAP_LEVEL_*; FULL. Recorded in the result when the query runs. */
#define SERVGAP_OPT_REPORT_LEVEL 25
/* Since 1.2: threads a query uses to scan its window (of 131,072 rows or
 * more), build its cells, the persistence and trend windows of its
 * analyses and what the accounts of tiers with findings observed, and a
 * CSV import of more than 1 MiB to read rows ahead,
 * 0..256: 0 = every core online, 1 = the calling thread only (default).
 * Results, and an import's messages, are the same bytes at every count.
 * With more than 1, the threads a call starts (and joins before it
 * returns) call the handle's allocator concurrently, so a custom
 * servgap_allocator must then be thread-safe. The default stays 1 so that
 * a program that embeds the library gets no threads it did not ask for
 * (docs/api.md, "Threads"). */
#define SERVGAP_OPT_THREADS 26

/* Values of SERVGAP_OPT_REPORT_LEVEL (docs/formats.md, "Report levels").
 * FULL writes every cell, SERVQUAL, IPA and breakdown row. SUMMARY writes
 * those of tiers only, with the priorities, triggers, risk, trends and
 * plans in full: what a support leader reads, at a cost that does not grow
 * with accounts times touchpoints times metrics. The result itself holds
 * every row at either level. */
#define SERVGAP_LEVEL_FULL    1
#define SERVGAP_LEVEL_SUMMARY 2

/* How a window reads standard and promised observations. 1.1 read every
 * viewpoint in the window only: SERVGAP_DECLARE_IN_WINDOW with a look-back
 * of 1 day gives its results. */
#define SERVGAP_DECLARE_STANDING  1 /* declarations in force until replaced or withdrawn */
#define SERVGAP_DECLARE_IN_WINDOW 2 /* observations of the window only; withdrawals ignored */

/* Values of SERVGAP_OPT_PRIORITIES (docs/priorities.md, sections 1
 * and 8). GROUPED ranks findings in quadrant order, groups an account
 * finding that repeats its tier's finding under it, ranked after every
 * other finding, and raises no-standard findings. 1.1 ranked quick wins
 * first, then by priority, each finding on its own, and raised no
 * no-standard finding: SERVGAP_PRIORITIES_1_1 gives its findings and
 * ranks (the fields 1.2 appended to servgap_finding are still filled). */
#define SERVGAP_PRIORITIES_GROUPED 1
#define SERVGAP_PRIORITIES_1_1     2

/* Importance-Performance Analysis crosshairs. */
#define SERVGAP_CROSSHAIR_MIDPOINT 1 /* 20 points (100 / 5), the scale's midpoint */
#define SERVGAP_CROSSHAIR_MEAN     2 /* means over the scope's dimensions */
#define SERVGAP_CROSSHAIR_MEDIAN   3 /* medians over the scope's dimensions */
#define SERVGAP_CROSSHAIR_CUSTOM   4 /* SERVGAP_OPT_IPA_IMPORTANCE / _PERFORMANCE */

/* Set an option. Applies to queries started afterwards.
 * Errors: SERVGAP_EMISUSE (NULL ctx), SERVGAP_EINVAL (unknown option),
 * SERVGAP_ERANGE (value outside the option's range; min_n must be a whole
 * number >= 1). Thread-safe. */
SERVGAP_API int servgap_ctx_set_option(servgap_ctx *ctx, int32_t option, double value);

/* Read an option into *value. Errors: SERVGAP_EMISUSE (NULL ctx or value),
 * SERVGAP_EINVAL (unknown option). Thread-safe. */
SERVGAP_API int servgap_ctx_get_option(servgap_ctx *ctx, int32_t option, double *value);

/* The message of the handle's last failed call ("" if none), e.g.
 * "servgap_record_batch: observation 17: value 9 outside [1, 7] of metric
 * 'reliability'". Borrowed: valid until the next call on the handle from any
 * thread. Threads sharing a handle should use servgap_errmsg_copy. NULL ctx
 * gives a static message. */
SERVGAP_API const char *servgap_errmsg(servgap_ctx *ctx);

/* Copy the last message, NUL-terminated and truncated to cap bytes, into
 * buf. Returns the full length (excluding NUL) so that a caller can size a
 * buffer; buf may be NULL when cap is 0. Thread-safe. */
SERVGAP_API size_t servgap_errmsg_copy(servgap_ctx *ctx, char *buf, size_t cap);

/* Stop the long calls running on ctx: every query, trend query,
 * re-measurement, CSV import and snapshot load that was already running
 * when this is called returns SERVGAP_EINTERRUPTED soon after, having
 * changed nothing (an import is rolled back whole); calls that start later
 * run normally. Safe to call from any thread and from a signal handler (it
 * only increments a lock-free atomic counter); NULL is a no-op. A query
 * cancel in a database, a Go context or a Python KeyboardInterrupt comes
 * through here. Since 1.2. */
SERVGAP_API void servgap_ctx_interrupt(servgap_ctx *ctx);

/* The status code of the handle's last failed call (SERVGAP_OK if none). */
SERVGAP_API int servgap_errcode(servgap_ctx *ctx);

/* ---------------------------------------------------------------------- */
/* Names                                                                   */
/* ---------------------------------------------------------------------- */

/* Intern a tier, touchpoint or team name and return its id (dense, from 0,
 * in order of first use). A known name returns its existing id. name is
 * copied; it must be 1..255 bytes of valid UTF-8.
 * Errors: SERVGAP_EMISUSE (NULL ctx, name or id), SERVGAP_EINVAL (kind not
 * TIER, TOUCHPOINT or TEAM; empty, too long or invalid UTF-8 name),
 * SERVGAP_ELIMIT (65,534 touchpoints, 2^30 tiers, 2^31-1 teams),
 * SERVGAP_ENOMEM.
 * Thread-safe. */
SERVGAP_API int servgap_intern(servgap_ctx *ctx, int32_t kind, const char *name, int32_t *id);

/* Find the id of a name of any kind without creating it.
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (unknown kind), SERVGAP_ENOTFOUND.
 * Thread-safe. */
SERVGAP_API int servgap_lookup(servgap_ctx *ctx, int32_t kind, const char *name, int32_t *id);

/* The name of an id of any kind. *name is borrowed and valid for the life of
 * the handle. Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (kind),
 * SERVGAP_ENOTFOUND (id). Thread-safe. */
SERVGAP_API int servgap_name(servgap_ctx *ctx, int32_t kind, int32_t id, const char **name);

/* How many names of a kind the handle knows (ids are 0 .. *count - 1).
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL. Thread-safe. */
SERVGAP_API int servgap_count(servgap_ctx *ctx, int32_t kind, int32_t *count);

/* ---------------------------------------------------------------------- */
/* Limits on numbers                                                       */
/* ---------------------------------------------------------------------- */

/* What a handle accepts, at every way in (the define, effort and record
 * calls, the CSV tables, snapshots, merge): within these bounds every sum,
 * square, product and quotient of the analysis stays finite
 * (docs/concepts.md, section 14, derives them), and a number beyond them
 * is SERVGAP_ERANGE (SERVGAP_ECORRUPT in a snapshot) with a message naming
 * the field. Inclusive. */
#define SERVGAP_VALUE_MAX  1e15 /* |observation value|, |finite range end|, account value */
#define SERVGAP_SPAN_MIN   1e-9 /* a metric's span, also when it defaults to max - min */
#define SERVGAP_SPAN_MAX   2e15 /* the widest range's max - min */
#define SERVGAP_EFFORT_MIN 1e-9 /* an effort */
#define SERVGAP_EFFORT_MAX 1e15

/* ---------------------------------------------------------------------- */
/* Metrics                                                                 */
/* ---------------------------------------------------------------------- */

/* Define a metric. min/max: the valid range, -INFINITY / +INFINITY for an
 * unbounded end (min < max), a finite end within +-SERVGAP_VALUE_MAX.
 * span: the difference that counts as the whole scale, used for normalized
 * gaps, within [SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX]; 0 means max - min
 * (which must then lie within them), and a span is then required when an
 * end is unbounded. unit is copied; it may be NULL or "" (none) and must
 * be valid UTF-8 of at most 4,294,967,295 bytes (a snapshot stores its
 * length in 32 bits); any other character, control characters included,
 * is kept as given.
 * Defining a known name again with identical parameters returns its id;
 * with different ones it fails with SERVGAP_ECONFLICT.
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (dimension, direction, name,
 * unit: the message names the metric and the unit's byte at fault),
 * SERVGAP_ERANGE (range or span), SERVGAP_ECONFLICT, SERVGAP_ELIMIT (65,535
 * metrics), SERVGAP_ENOMEM. Thread-safe. */
SERVGAP_API int servgap_metric_define(servgap_ctx *ctx, const char *name, int32_t dimension,
                                      int32_t direction, double min, double max, double span,
                                      const char *unit, int32_t *id);

/* A metric's definition, filled by servgap_metric_info. Strings are
 * borrowed from the handle. */
typedef struct servgap_metric {
    size_t size; /* set by the caller: sizeof(servgap_metric) */
    const char *name;
    const char *unit;
    int32_t dimension;
    int32_t direction;
    double min, max, span;
} servgap_metric;

/* Fill *out (whose size member the caller has set; fields beyond it are not
 * written) with metric id's definition.
 * Errors: SERVGAP_EMISUSE (NULL, or out->size smaller than the 1.0 layout),
 * SERVGAP_ENOTFOUND. Thread-safe. */
SERVGAP_API int servgap_metric_info(servgap_ctx *ctx, int32_t id, servgap_metric *out);

/* ---------------------------------------------------------------------- */
/* Accounts                                                                */
/* ---------------------------------------------------------------------- */

/* Define an account, or update the value of a known one. tier is interned
 * (NULL: none named; a new account then has no tier, so no fallback or
 * pooling). value (e.g. ARR) must be in [0, SERVGAP_VALUE_MAX]. New
 * accounts have no health (NaN), no flags and no dates. An account's tier
 * follows the rule of every path that names one (the CSV tables, merge,
 * snapshot load; docs/formats.md, "An account's tier"): the first tier
 * named is its tier for good; a NULL tier or its own tier keeps it;
 * another tier fails with SERVGAP_ECONFLICT and changes nothing. Accounts
 * do move between tiers, but a tier pools all of an account's
 * observations, of every window, so a move would rewrite the history of
 * both tiers; a moved account is a new account (a new name) from the move
 * on. Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (name), SERVGAP_ERANGE
 * (value), SERVGAP_ECONFLICT (tier), SERVGAP_ELIMIT, SERVGAP_ENOMEM.
 * Thread-safe. */
SERVGAP_API int servgap_account_define(servgap_ctx *ctx, const char *account, const char *tier,
                                       double value, int32_t *id);

/* Set an account's health score, 0..100, or NaN for unknown.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND, SERVGAP_ERANGE. Thread-safe. */
SERVGAP_API int servgap_account_set_health(servgap_ctx *ctx, int32_t id, double health);

/* Set (on != 0) or clear a flag: SERVGAP_ACCOUNT_AT_RISK or _CHURNED.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND, SERVGAP_EINVAL. Thread-safe. */
SERVGAP_API int servgap_account_set_flag(servgap_ctx *ctx, int32_t id, int32_t flag, int32_t on);

/* Set a date: SERVGAP_ACCOUNT_RENEWAL or _MIGRATION, in UTC seconds, or
 * SERVGAP_TIME_NONE to clear. Errors as servgap_account_set_flag. */
SERVGAP_API int servgap_account_set_date(servgap_ctx *ctx, int32_t id, int32_t which, int64_t time);

typedef struct servgap_account {
    size_t size;      /* set by the caller: sizeof(servgap_account) */
    const char *name; /* borrowed */
    int32_t tier;     /* tier id, or SERVGAP_NONE */
    int32_t at_risk;  /* 0 or 1, the flag as set */
    int32_t churned;  /* 0 or 1 */
    int32_t reserved;
    double value;
    double health;     /* NaN if unknown */
    int64_t renewal;   /* SERVGAP_TIME_NONE if unset */
    int64_t migration; /* SERVGAP_TIME_NONE if unset */
} servgap_account;

/* Fill *out with account id. Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND.
 * Thread-safe. */
SERVGAP_API int servgap_account_info(servgap_ctx *ctx, int32_t id, servgap_account *out);

/* ---------------------------------------------------------------------- */
/* Efforts and remediation plans                                           */
/* ---------------------------------------------------------------------- */

/* Set the effort to fix a gap type (SERVGAP_GAP_*) at a touchpoint for a
 * metric; each of gap, touchpoint and metric may be SERVGAP_ALL, a wildcard.
 * effort: in [SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX], in the embedder's
 * unit (the defaults use 1..5).
 * Replaces an earlier effort of the same key. A finding takes the most
 * specific matching key (docs/priorities.md), else the default of its gap
 * type. Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (gap), SERVGAP_ENOTFOUND
 * (touchpoint, metric), SERVGAP_ERANGE (effort), SERVGAP_ENOMEM.
 * Thread-safe. */
SERVGAP_API int servgap_effort_set(servgap_ctx *ctx, int32_t gap, int32_t touchpoint,
                                   int32_t metric, double effort);

/* The effort a finding of (gap, touchpoint, metric) would get; metric may be
 * SERVGAP_ALL for a dimension roll-up, touchpoint SERVGAP_ALL for the
 * roll-up over touchpoints. Errors: as servgap_effort_set. Thread-safe. */
SERVGAP_API int servgap_effort_get(servgap_ctx *ctx, int32_t gap, int32_t touchpoint,
                                   int32_t metric, double *effort);

/* Outcomes of a re-measurement. */
#define SERVGAP_OUTCOME_NONE      0 /* not re-measured yet */
#define SERVGAP_OUTCOME_CLOSED    1 /* the follow-up gap meets the target */
#define SERVGAP_OUTCOME_IMPROVED  2 /* significantly smaller shortfall, target not met */
#define SERVGAP_OUTCOME_UNCHANGED 3 /* no significant change */
#define SERVGAP_OUTCOME_WORSENED  4 /* significantly larger shortfall */
#define SERVGAP_OUTCOME_UNKNOWN   5 /* a window has too little data to tell */

/* A remediation plan item: the finding it addresses (scope, touchpoint,
 * metric or SERVGAP_ALL with dimension for a roll-up, gap type), an owner, a
 * deadline and the target: the gap value (as servgap_gap.value of that
 * cell) at or above which the gap counts as closed. */
typedef struct servgap_plan {
    size_t size;       /* set by the caller: sizeof(servgap_plan) */
    const char *owner; /* 1..255 bytes UTF-8; copied in, borrowed out */
    int32_t scope_kind, scope_id, touchpoint, metric, dimension, gap;
    int64_t deadline;     /* UTC seconds; SERVGAP_TIME_NONE: none */
    double target;        /* finite */
    int32_t last_outcome; /* SERVGAP_OUTCOME_*; output only */
    int32_t reserved;
    int64_t next_check; /* output only: SERVGAP_TIME_NONE until re-measured */
    /* Since 1.2: the baseline window [baseline_from, baseline_to) that a
     * query with SERVGAP_QUERY_PLANS re-measures the gap against (how it
     * was when the plan was made): UTC midnights, from < to. None (the
     * query's default window then applies, docs/remediation.md) is an
     * empty window: both ends equal, as in a zeroed struct, and
     * servgap_plan_info gives SERVGAP_TIME_NONE for both. A caller of an
     * older layout gets none. */
    int64_t baseline_from, baseline_to;
} servgap_plan;

/* Add a plan item (its id is dense from 0). The plan's output fields are
 * ignored. Errors: SERVGAP_EMISUSE (NULL, or plan->size smaller than the 1.0
 * layout; fields beyond plan->size are not read),
 * SERVGAP_EINVAL (scope kind, gap, owner), SERVGAP_ENOTFOUND (ids),
 * SERVGAP_ERANGE (target; a baseline window with one end
 * SERVGAP_TIME_NONE, an end that is not a UTC midnight, or from > to),
 * SERVGAP_ELIMIT (2^31-1 plan items), SERVGAP_ENOMEM. Thread-safe. */
SERVGAP_API int servgap_plan_add(servgap_ctx *ctx, const servgap_plan *plan, int32_t *id);

/* How many plan items the handle holds. Errors: SERVGAP_EMISUSE. */
SERVGAP_API int servgap_plan_count(servgap_ctx *ctx, int32_t *count);

/* Fill *out with plan item id (owner borrowed from the handle).
 * Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND. Thread-safe. */
SERVGAP_API int servgap_plan_info(servgap_ctx *ctx, int32_t id, servgap_plan *out);

/* The comparison of a plan's gap between two windows. */
typedef struct servgap_remeasure {
    size_t size;     /* set by the caller: sizeof(servgap_remeasure) */
    int32_t outcome; /* SERVGAP_OUTCOME_* */
    int32_t reserved;
    double baseline, followup; /* the gap value in each window (NaN: no data) */
    double change;             /* followup - baseline */
    double lo, hi;             /* interval of the change at the handle's confidence */
    int64_t next_check;        /* follow-up end + SERVGAP_OPT_WINDOW_DAYS */
} servgap_remeasure;

/* Re-measure plan item id: its gap in the baseline window [base_from,
 * base_to) against the follow-up window [follow_from, follow_to) (UTC
 * midnights, as servgap_query). Stores the outcome and next check date on
 * the plan item. The follow-up window must not start before the baseline
 * ends (the test treats them as independent samples; the two windows may
 * still share survey answers of the look-back and declarations in force,
 * which makes the interval of the change conservative); a follow-up ending at
 * SERVGAP_TIME_MAX ends, for next_check, at the UTC midnight after the
 * latest observation. docs/remediation.md has the test and outcome rules.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND (id), SERVGAP_ERANGE
 * (windows), SERVGAP_ENOMEM, SERVGAP_EINTERRUPTED (nothing is stored on the
 * plan). Thread-safe. */
SERVGAP_API int servgap_plan_remeasure(servgap_ctx *ctx, int32_t id, int64_t base_from,
                                       int64_t base_to, int64_t follow_from, int64_t follow_to,
                                       servgap_remeasure *out);

/* ---------------------------------------------------------------------- */
/* Recording                                                               */
/* ---------------------------------------------------------------------- */

/* Record one observation: value of metric seen from viewpoint, for a scope
 * (SERVGAP_SCOPE_ACCOUNT with an account id, or SERVGAP_SCOPE_TIER with a
 * tier id) at a touchpoint id (or SERVGAP_ANY: applies wherever that scope
 * has no observation of the viewpoint at the touchpoint itself), at time.
 * team: a team id or SERVGAP_NONE; driver: SERVGAP_DRIVER_*.
 * Errors: SERVGAP_EMISUSE (NULL ctx), SERVGAP_EINVAL (scope kind, viewpoint,
 * driver), SERVGAP_ENOTFOUND (scope, touchpoint, metric or team id),
 * SERVGAP_ERANGE (NaN, infinite, outside the metric's range or beyond
 * +-SERVGAP_VALUE_MAX; a time more than 2^31 days from 1970),
 * SERVGAP_ENOMEM. Thread-safe. */
SERVGAP_API int servgap_record(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                               int32_t touchpoint, int32_t metric, int32_t viewpoint, double value,
                               int64_t time, int32_t team, int32_t driver);

/* Withdraw the declaration (viewpoint SERVGAP_VP_STANDARD or _PROMISED) of
 * a scope, touchpoint (or SERVGAP_ANY) and metric from the day of time on.
 * Standard and promised observations are declarations: an SLA or a
 * promise stays in force from its day until a later day's declaration of
 * the same scope, touchpoint, metric and viewpoint replaces it, or until it
 * is withdrawn. A withdrawal empties its day's declarations of that key,
 * whatever else the day declares; a later declaration starts anew
 * (docs/concepts.md, section 13). A withdrawal of nothing in force is
 * recorded and changes nothing. Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL
 * (scope kind, or a viewpoint that is not a declaration), SERVGAP_ENOTFOUND
 * (scope, touchpoint or metric id), SERVGAP_ERANGE (time), SERVGAP_ENOMEM.
 * Thread-safe. Since 1.2. */
SERVGAP_API int servgap_declaration_withdraw(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                             int32_t touchpoint, int32_t metric, int32_t viewpoint,
                                             int64_t time);

/* Record n observations from parallel arrays (columnar), element i being the
 * arguments of servgap_record. The batch is validated whole before anything
 * is stored: on any error nothing is recorded and the message names the
 * index. Optional columns may be NULL: scope_kind (every scope is an
 * account), team (none), driver (none). Arrays are borrowed for the call.
 * n == 0 succeeds. Errors: those of servgap_record, and SERVGAP_EMISUSE for
 * a NULL required column. Thread-safe; one batch is atomic for readers. */
SERVGAP_API int servgap_record_batch(servgap_ctx *ctx, size_t n, const int32_t *scope_kind,
                                     const int32_t *scope_id, const int32_t *touchpoint,
                                     const int32_t *metric, const int32_t *viewpoint,
                                     const double *value, const int64_t *time, const int32_t *team,
                                     const int32_t *driver);

/* Record one respondent's paired SERVQUAL response: for each of n_items
 * items, metric[i] with expected[i], adequate[i] and perceived[i] (NaN: not
 * answered; adequate may be NULL). The values become observations of their
 * viewpoints, and the library also keeps their pairing so that gaps between
 * paired sides use the paired t interval. importance: NULL, or the
 * respondent's 100 points over the five dimensions (SERVGAP_DIM_* order,
 * each >= 0, summing to 100 +- 0.5), used for respondent-level weighted
 * SERVQUAL. A metric may appear once per response. All or nothing.
 * Errors: as servgap_record, SERVGAP_EINVAL (repeated metric, empty
 * response), SERVGAP_ERANGE (importance). Thread-safe. */
SERVGAP_API int servgap_record_response(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                        int32_t touchpoint, int64_t time, int32_t team,
                                        int32_t driver, size_t n_items, const int32_t *metric,
                                        const double *expected, const double *adequate,
                                        const double *perceived, const double *importance);

/* Set the importance allocation of a scope as seen by whose
 * (SERVGAP_WHOSE_CUSTOMER or _PROVIDER): five points in SERVGAP_DIM_* order,
 * each >= 0, summing to 100 +- 0.5. Replaces an earlier allocation.
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL, SERVGAP_ENOTFOUND, SERVGAP_ERANGE,
 * SERVGAP_ENOMEM. Thread-safe. */
SERVGAP_API int servgap_set_importance(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                       int32_t whose, const double *points);

/* How many observations the handle holds. Thread-safe. */
/* Errors: SERVGAP_EMISUSE (NULL ctx or count). */
SERVGAP_API int servgap_observation_count(servgap_ctx *ctx, uint64_t *count);

/* Merge everything src knows into dst: names, metrics, accounts,
 * importance, observations, efforts and plan items (moments combine
 * exactly as if dst had been fed src's observations after its own). A
 * metric defined differently in the two, or an account in different tiers,
 * fails with SERVGAP_ECONFLICT (the tier rule of servgap_account_define:
 * an account without a tier in one takes the other's). Account attributes
 * known only to src are copied; where both know one, dst's is kept. An effort key dst knows keeps
 * dst's effort; plan items are appended in src's order with owners, scopes,
 * touchpoints and metrics remapped by name (and their baseline windows). src is not changed. All or
 * nothing; the error is reported on dst. dst == src is SERVGAP_EINVAL;
 * SERVGAP_ELIMIT when a table would outgrow its limit. Time linear in
 * src. Thread-safe (locks both; dst's write lock only while appending, so
 * queries of dst run during the rest). */
SERVGAP_API int servgap_ctx_merge(servgap_ctx *dst, servgap_ctx *src);

/* ---------------------------------------------------------------------- */
/* Queries and results                                                     */
/* ---------------------------------------------------------------------- */

typedef struct servgap_result servgap_result;

/* What a query computes (bits); 0 means SERVGAP_QUERY_ALL. */
#define SERVGAP_QUERY_TIERS      0x1u  /* tier cells (pooling their accounts) */
#define SERVGAP_QUERY_ACCOUNTS   0x2u  /* account cells (with tier fallback) */
#define SERVGAP_QUERY_BREAKDOWN  0x4u  /* team and driver breakdowns */
#define SERVGAP_QUERY_PRIORITIES 0x8u  /* findings, priorities and IPA */
#define SERVGAP_QUERY_TRIGGERS   0x10u /* review triggers and persistence risk */
#define SERVGAP_QUERY_ALL        0x1fu
/* Since 1.2, not part of SERVGAP_QUERY_ALL: each finding's gap per window
 * of the trend (SERVGAP_TABLE_TRENDS); needs SERVGAP_QUERY_PRIORITIES. */
#define SERVGAP_QUERY_TRENDS 0x20u
/* Since 1.2, not part of SERVGAP_QUERY_ALL: every plan item re-measured
 * as of the analysis date (SERVGAP_TABLE_PLANS); with
 * SERVGAP_QUERY_PRIORITIES, each row names the finding it addresses. */
#define SERVGAP_QUERY_PLANS 0x40u

/* Analyse the window [from, to): from and to are UTC midnights (multiples
 * of SERVGAP_DAY), or SERVGAP_TIME_MIN / SERVGAP_TIME_MAX, from < to.
 * Computes every cell (scope x touchpoint x metric, with roll-ups over
 * touchpoints, SERVGAP_ALL, and over each dimension's metrics), its gaps,
 * statuses and classification, SERVQUAL scores per scope and touchpoint,
 * and breakdowns. *out is owned: servgap_result_free. It does not refer to
 * the handle, which may be freed or changed meanwhile.
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (flags), SERVGAP_ERANGE (window),
 * SERVGAP_ENOMEM, SERVGAP_EINTERRUPTED (servgap_ctx_interrupt; *out is
 * NULL on any error). Thread-safe; queries run concurrently. */
SERVGAP_API int servgap_query(servgap_ctx *ctx, int64_t from, int64_t to, uint32_t flags,
                              servgap_result **out);

/* servgap_query with an explicit analysis date now (a UTC midnight): the
 * reference for triggers (renewal within N days of now, ...) and the end of
 * the persistence and risk windows. SERVGAP_TIME_NONE means to when to is
 * finite, else the UTC midnight after the latest observation (or 0 when
 * there is none); servgap_query uses that. Errors: as servgap_query, and
 * SERVGAP_ERANGE for a now that is not a UTC midnight. */
SERVGAP_API int servgap_query_at(servgap_ctx *ctx, int64_t from, int64_t to, int64_t now,
                                 uint32_t flags, servgap_result **out);

/* Free a result. NULL is a no-op. */
SERVGAP_API void servgap_result_free(servgap_result *r);

/* Result tables. */
#define SERVGAP_TABLE_CELLS     1
#define SERVGAP_TABLE_SERVQUAL  2
#define SERVGAP_TABLE_BREAKDOWN 3
#define SERVGAP_TABLE_FINDINGS  4 /* in rank order */
#define SERVGAP_TABLE_IPA       5
#define SERVGAP_TABLE_TRIGGERS  6
#define SERVGAP_TABLE_RISK      7
#define SERVGAP_TABLE_TRENDS    8 /* since 1.2: series by series, oldest window first */
#define SERVGAP_TABLE_PLANS     9 /* since 1.2: one row per plan item, by id */

/* Rows in a result table (0 for NULL r or an unknown table). Thread-safe. */
SERVGAP_API size_t servgap_result_count(const servgap_result *r, int32_t table);

/* One cell: a scope at a touchpoint for a metric, or a roll-up. Cells come
 * sorted by scope kind (tiers first), scope id, touchpoint (SERVGAP_ALL
 * last), then metric (metrics by id, then the dimension roll-ups). */
typedef struct servgap_cell {
    size_t size;            /* set by the caller: sizeof(servgap_cell) */
    int32_t scope_kind;     /* SERVGAP_SCOPE_* */
    int32_t scope_id;       /* account or tier id */
    int32_t touchpoint;     /* touchpoint id, or SERVGAP_ALL */
    int32_t metric;         /* metric id, or SERVGAP_ALL for a dimension roll-up */
    int32_t dimension;      /* SERVGAP_DIM_* */
    int32_t classification; /* SERVGAP_CLASS_* */
    uint32_t class_span;    /* links of the winning gap (for SPAN: the joined links) */
    uint32_t reserved;
    double class_normalized;            /* normalized value of the winning shortfall, else NaN */
    double span;                        /* the scale: metric span; dimension roll-up: see docs */
    int64_t n[SERVGAP_VP_COUNT];        /* observations per viewpoint */
    double mean[SERVGAP_VP_COUNT];      /* means in the metric's unit (NaN if none) */
    double sd[SERVGAP_VP_COUNT];        /* sample standard deviations (NaN if n < 2) */
    int64_t negative[SERVGAP_VP_COUNT]; /* negative responses per viewpoint */
    uint32_t source[SERVGAP_VP_COUNT];  /* SERVGAP_SOURCE_* bits per viewpoint */
    uint32_t reserved2;
    int64_t pairs;         /* paired (expected, perceived) responses */
    double pe_correlation; /* correlation of paired P and E, NaN if not computable */
    /* Since 1.2: what each viewpoint's side read (docs/concepts.md, section
     * 13), in UTC seconds; SERVGAP_TIME_NONE for a viewpoint with no data,
     * SERVGAP_TIME_MIN / _MAX for an unbounded end. Events (delivered,
     * perceived) read the window [read_from, read_to); survey viewpoints
     * (expected, adequate, believed) the window or the look-back before its
     * end, whichever is longer. A declaration (standard, promised) read
     * from the day of the earliest declaration in force during the window
     * to the window's end, and declared is the day of the latest
     * declaration in force during it: the one in force at the window's end
     * unless it was withdrawn (SERVGAP_TIME_NONE for other viewpoints);
     * source has SERVGAP_SOURCE_CHANGED when one was replaced or withdrawn
     * inside the window. */
    int64_t read_from[SERVGAP_VP_COUNT];
    int64_t read_to[SERVGAP_VP_COUNT];
    int64_t declared[SERVGAP_VP_COUNT];
} servgap_cell;

/* Fill *out with cell i. Errors: SERVGAP_EMISUSE (NULL, or out->size smaller
 * than the 1.0 layout), SERVGAP_ERANGE (i >= count). Thread-safe. */
SERVGAP_API int servgap_result_cell(const servgap_result *r, size_t i, servgap_cell *out);

/* Find the cell of (scope, touchpoint, metric) and store its index.
 * touchpoint and metric may be SERVGAP_ALL; for a dimension roll-up pass
 * metric = SERVGAP_ALL and the dimension, else dimension is ignored.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ENOTFOUND. Thread-safe. */
SERVGAP_API int servgap_result_find(const servgap_result *r, int32_t scope_kind, int32_t scope_id,
                                    int32_t touchpoint, int32_t metric, int32_t dimension,
                                    size_t *index);

/* One gap of a cell. */
typedef struct servgap_gap {
    size_t size;          /* set by the caller: sizeof(servgap_gap) */
    int32_t gap;          /* SERVGAP_GAP_* */
    int32_t status;       /* SERVGAP_STATUS_* */
    uint32_t span;        /* SERVGAP_LINK_* bits the value covers (0: service, adequacy) */
    uint32_t flags;       /* SERVGAP_GAPFLAG_* */
    double value;         /* oriented downstream - upstream; NaN if not computable */
    double normalized;    /* value / span */
    double lo, hi;        /* confidence interval of value (NaN if none) */
    double df;            /* degrees of freedom (INFINITY when both sides exact) */
    int64_t n_up, n_down; /* observations on each side (pairs when paired) */
} servgap_gap;

/* Fill *out with gap (SERVGAP_GAP_*) of cell i. Errors: SERVGAP_EMISUSE,
 * SERVGAP_ERANGE (i), SERVGAP_EINVAL (gap); SERVGAP_EMISUSE also when
 * out->size is smaller than the 1.0 layout. Thread-safe. */
SERVGAP_API int servgap_result_gap(const servgap_result *r, size_t i, int32_t gap,
                                   servgap_gap *out);

/* Where a SERVQUAL row's customer weights came from. */
#define SERVGAP_WEIGHTS_NONE        0
#define SERVGAP_WEIGHTS_RESPONDENTS 1 /* respondents' own importance points */
#define SERVGAP_WEIGHTS_ALLOCATION  2 /* the scope's (or its tier's) allocation */

/* SERVQUAL scores of a scope at a touchpoint (or SERVGAP_ALL). */
typedef struct servgap_servqual {
    size_t size; /* set by the caller: sizeof(servgap_servqual) */
    int32_t scope_kind, scope_id, touchpoint;
    int32_t most_underweighted;              /* dimension the provider under-weights most, or -1 */
    double dimension_gap[SERVGAP_DIM_COUNT]; /* service gap per dimension (NaN: no data) */
    double weight[SERVGAP_DIM_COUNT];        /* customer importance / 100 (NaN: none) */
    double believed_weight[SERVGAP_DIM_COUNT]; /* provider's belief / 100 (NaN: none) */
    double unweighted;                         /* mean of the dimension gaps with data */
    double item_mean;                          /* mean of all item gaps */
    double weighted;                           /* weighted SERVQUAL (NaN without weights) */
    double weighted_lo, weighted_hi;           /* its interval when respondent-level, else NaN */
    double servperf;                           /* mean of the dimensions' perceived means */
    double importance_gap; /* total-variation distance believed vs customer, 0..1 */
    int64_t respondents;   /* respondents with importance points */
    int32_t weight_source; /* SERVGAP_WEIGHTS_* */
    int32_t reserved;
} servgap_servqual;

/* Fill *out with SERVQUAL row i (one per scope and touchpoint that has
 * expected and perceived data). Errors: SERVGAP_EMISUSE (NULL, or out->size
 * smaller than the 1.0 layout), SERVGAP_ERANGE (i >= count). Thread-safe. */
SERVGAP_API int servgap_result_servqual(const servgap_result *r, size_t i, servgap_servqual *out);

/* A breakdown row: one team's or one driver's part of a cell.
 * Team rows compare the team's delivered values with the cell's standard
 * (gap = DELIVERY) and, since 1.2, where the cell has a promise, with the
 * promise too (gap = COMMUNICATION, the row after it), and its perceived
 * values with the cell's expected (gap = SERVICE); driver rows compare the
 * cell's perceived values with the expectations shaped by one driver (gap =
 * SERVICE). */
#define SERVGAP_FACET_TEAM   1
#define SERVGAP_FACET_DRIVER 2
typedef struct servgap_breakdown {
    size_t size;                          /* set by the caller: sizeof(servgap_breakdown) */
    int32_t facet;                        /* SERVGAP_FACET_* */
    int32_t facet_id;                     /* team id or SERVGAP_DRIVER_* */
    int32_t viewpoint;                    /* the viewpoint split by the facet */
    int32_t gap;                          /* SERVGAP_GAP_DELIVERY, _COMMUNICATION or _SERVICE */
    int32_t status;                       /* SERVGAP_STATUS_* of that gap */
    uint32_t flags;                       /* SERVGAP_GAPFLAG_* */
    uint64_t cell;                        /* index of the cell it belongs to */
    int64_t n;                            /* observations of the facet */
    double mean;                          /* their mean, in the metric's unit */
    double value, normalized, lo, hi, df; /* the gap, as in servgap_gap */
} servgap_breakdown;

/* Fill *out with breakdown row i. Rows come grouped by cell, teams first.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ERANGE (i >= count). Thread-safe. */
SERVGAP_API int servgap_result_breakdown(const servgap_result *r, size_t i, servgap_breakdown *out);

/* The window [*from, *to) of a result. Errors: SERVGAP_EMISUSE. Thread-safe. */
SERVGAP_API int servgap_result_window(const servgap_result *r, int64_t *from, int64_t *to);

/* The analysis date of a result (see servgap_query_at). Errors:
 * SERVGAP_EMISUSE. Thread-safe. */
SERVGAP_API int servgap_result_now(const servgap_result *r, int64_t *now);

/* Impact-versus-effort quadrants. Boundary values go to the high side. */
#define SERVGAP_QUADRANT_QUICK_WIN     1 /* high impact, low effort */
#define SERVGAP_QUADRANT_MAJOR_PROJECT 2 /* high impact, high effort */
#define SERVGAP_QUADRANT_FILL_IN       3 /* low impact, low effort */
#define SERVGAP_QUADRANT_THANKLESS     4 /* low impact, high effort */

/* Finding flags. */
#define SERVGAP_FINDING_PERSISTENT 0x1u /* a shortfall in each of the last K windows */
/* Since 1.2: a standards finding of a cell where customers expect a level
 * and no standard defines it; its value is the joined span through the
 * missing standard (docs/priorities.md, section 1). */
#define SERVGAP_FINDING_NO_STANDARD 0x2u

/* A finding: a significant shortfall of one gap type in one cell, with its
 * impact on account health, effort and rank (docs/priorities.md). */
typedef struct servgap_finding {
    size_t size;  /* set by the caller: sizeof(servgap_finding) */
    int32_t rank; /* 1 = first; findings are stored in rank order */
    int32_t scope_kind, scope_id, touchpoint, metric, dimension;
    int32_t gap;               /* SERVGAP_GAP_* */
    int32_t quadrant;          /* SERVGAP_QUADRANT_* */
    uint32_t flags;            /* SERVGAP_FINDING_* */
    int32_t windows;           /* of the last K windows, how many held this shortfall */
    uint64_t cell;             /* index of its cell */
    double value, normalized;  /* the gap, as in servgap_gap */
    double size_term;          /* |normalized|, capped at 1 */
    double value_share;        /* affected accounts' value / all accounts' value */
    double frequency;          /* share of the scope's interactions affected */
    double affected_value;     /* total value of the affected accounts */
    int64_t affected_accounts; /* servgap_result_finding_accounts lists them */
    double impact;             /* 0..100 */
    double effort;             /* > 0 */
    double priority;           /* impact / effort */
    /* Since 1.2: root causes (docs/priorities.md, section 8). An account
     * finding that repeats its tier's finding (same touchpoint, metric or
     * dimension roll-up, gap type and no-standard flag) is a member of
     * that tier finding's group; the tier finding is its root. */
    uint64_t root;        /* a member: the index (rank - 1) of its root; else UINT64_MAX */
    int64_t members;      /* a root: how many account findings repeat it; else 0 */
    double members_value; /* a root: the total value of those accounts; else 0 */
} servgap_finding;

/* Fill *out with finding i (rank i + 1). Errors: SERVGAP_EMISUSE,
 * SERVGAP_ERANGE (i). Thread-safe. */
SERVGAP_API int servgap_result_finding(const servgap_result *r, size_t i, servgap_finding *out);

/* Copy up to cap account ids of finding i into ids (ascending) and store
 * the full number in *n; ids may be NULL when cap is 0 (a size query).
 * Errors: SERVGAP_EMISUSE, SERVGAP_ERANGE (i). Thread-safe. */
SERVGAP_API int servgap_result_finding_accounts(const servgap_result *r, size_t i, int32_t *ids,
                                                size_t cap, size_t *n);

/* Importance-Performance Analysis quadrants (Martilla & James 1977). */
#define SERVGAP_IPA_CONCENTRATE  1 /* important, performing below the crosshair */
#define SERVGAP_IPA_KEEP_UP      2 /* important, performing well */
#define SERVGAP_IPA_LOW_PRIORITY 3 /* unimportant, performing below */
#define SERVGAP_IPA_OVERKILL     4 /* unimportant, performing well */

/* One dimension of a scope at a touchpoint on the IPA grid: customer
 * importance points against the perceived mean. Ties go to the high side. */
typedef struct servgap_ipa {
    size_t size; /* set by the caller: sizeof(servgap_ipa) */
    int32_t scope_kind, scope_id, touchpoint, dimension;
    int32_t quadrant; /* SERVGAP_IPA_* */
    int32_t reserved;
    double importance;                          /* points, 0..100 */
    double performance;                         /* perceived mean on the dimension's scale */
    double importance_cross, performance_cross; /* the crosshair used */
} servgap_ipa;

/* Fill *out with IPA row i. Errors: SERVGAP_EMISUSE, SERVGAP_ERANGE.
 * Thread-safe. */
SERVGAP_API int servgap_result_ipa(const servgap_result *r, size_t i, servgap_ipa *out);

/* Review trigger kinds. */
#define SERVGAP_TRIGGER_RENEWAL          1 /* renewal soon with open shortfalls */
#define SERVGAP_TRIGGER_CSAT_SPIKE       2 /* negative perceived scores above baseline */
#define SERVGAP_TRIGGER_MIGRATION        3 /* migrated recently */
#define SERVGAP_TRIGGER_HIDDEN_GAP       4 /* at risk with no measured service gap */
#define SERVGAP_TRIGGER_QUARTERLY_REVIEW 5 /* the next formal review date */

/* A review trigger of one account, with its evidence. */
typedef struct servgap_trigger {
    size_t size; /* set by the caller: sizeof(servgap_trigger) */
    int32_t account;
    int32_t kind;         /* SERVGAP_TRIGGER_* */
    int64_t date;         /* the renewal, migration or review date; else now */
    int64_t count;        /* renewal: open shortfalls; others: docs/remediation.md */
    double before, after; /* spike: baseline and recent negative shares;
                             migration: perceived means pre and post */
    double statistic;     /* the test statistic, NaN if none */
    double lo, hi;        /* interval of after - before, NaN if none */
    int64_t n_before, n_after;
    const char *detail; /* one line of English evidence, borrowed from the result */
} servgap_trigger;

/* Fill *out with trigger i (ordered by account id, then kind).
 * Errors: SERVGAP_EMISUSE, SERVGAP_ERANGE. Thread-safe. */
SERVGAP_API int servgap_result_trigger(const servgap_result *r, size_t i, servgap_trigger *out);

/* Gap-persistence risk of one account over the last K windows. */
typedef struct servgap_risk {
    size_t size; /* set by the caller: sizeof(servgap_risk) */
    int32_t account;
    int32_t windows;         /* K */
    int32_t with_shortfall;  /* windows holding a significant shortfall */
    int32_t churned;         /* the account's churned flag */
    double risk;             /* 0..1 (docs/remediation.md) */
    double value;            /* account value */
    int64_t findings;        /* contributing account-level shortfalls over the windows */
    double worst_normalized; /* largest normalized shortfall among them, NaN if none */
} servgap_risk;

/* Fill *out with risk row i (one per account, by id). Errors:
 * SERVGAP_EMISUSE, SERVGAP_ERANGE. Thread-safe. */
SERVGAP_API int servgap_result_risk(const servgap_result *r, size_t i, servgap_risk *out);

/* ROC AUC of the risk over churned (positive) against retained accounts,
 * ties counting one half, and the two counts. *auc is NaN when either group
 * is empty. Errors: SERVGAP_EMISUSE. Thread-safe. */
SERVGAP_API int servgap_result_risk_auc(const servgap_result *r, double *auc, int64_t *churned,
                                        int64_t *retained);

/* One window of a trend: a cell's gap over consecutive windows of
 * SERVGAP_OPT_WINDOW_DAYS days, SERVGAP_OPT_TREND_WINDOWS of them, the last
 * ending at the analysis date. Each window's numbers are those a query of
 * that window alone gives the cell (docs/concepts.md, section 13). Since
 * 1.2. */
typedef struct servgap_trend {
    size_t size;      /* set by the caller: sizeof(servgap_trend) */
    uint64_t series;  /* the series; its rows are consecutive, oldest first */
    uint64_t finding; /* the finding it follows (index, rank - 1), or UINT64_MAX */
    int32_t scope_kind, scope_id, touchpoint, metric, dimension;
    int32_t gap;      /* SERVGAP_GAP_* */
    int32_t window;   /* 0 = the oldest */
    int32_t status;   /* SERVGAP_STATUS_*; INSUFFICIENT where the window has no such cell */
    uint32_t span;    /* as servgap_gap */
    uint32_t flags;   /* SERVGAP_GAPFLAG_* */
    int64_t from, to; /* the window [from, to), UTC seconds */
    double value, normalized, lo, hi; /* as servgap_gap; NaN without a value */
    int64_t n_up, n_down;
} servgap_trend;

/* Fill *out with trend row i. Errors: SERVGAP_EMISUSE (NULL, or out->size
 * smaller than the 1.2 layout), SERVGAP_ERANGE (i). Thread-safe. */
SERVGAP_API int servgap_result_trend(const servgap_result *r, size_t i, servgap_trend *out);

/* Trends of n named cells: cell i is (scope_kind[i], scope_id[i],
 * touchpoint[i] or SERVGAP_ALL, metric[i] or SERVGAP_ALL with
 * dimension[i]) and its gap gap[i], one series each, in order, over the
 * windows that end at now (a UTC midnight, or SERVGAP_TIME_NONE: the UTC
 * midnight after the latest observation). A metric cell's dimension is
 * its metric's, whatever dimension[i] says (as servgap_result_find). *out
 * is a new result that holds only SERVGAP_TABLE_TRENDS (window [first
 * window's start, now)). A cell that a window lacks gives that window an
 * insufficient row. Arrays are borrowed for the call. Errors:
 * SERVGAP_EMISUSE (NULL ctx or out, or a NULL array with n > 0: the message
 * names it), SERVGAP_EINVAL (scope kind, gap, dimension),
 * SERVGAP_ENOTFOUND (an id; the message names the index), SERVGAP_ERANGE
 * (now), SERVGAP_ENOMEM, SERVGAP_EINTERRUPTED. Thread-safe; runs under
 * the read lock. */
SERVGAP_API int servgap_query_trends(servgap_ctx *ctx, int64_t now, size_t n,
                                     const int32_t *scope_kind, const int32_t *scope_id,
                                     const int32_t *touchpoint, const int32_t *metric,
                                     const int32_t *dimension, const int32_t *gap,
                                     servgap_result **out);

/* A plan item re-measured by a query with SERVGAP_QUERY_PLANS: the plan as
 * servgap_plan_info gives it, the two windows its gap was compared in, the
 * outcome by the rules of servgap_plan_remeasure, and whether it is
 * overdue. The follow-up is the SERVGAP_OPT_WINDOW_DAYS (W) days that end
 * at the analysis date now; the baseline the plan's own window, else the
 * W days before the follow-up. A follow-up never starts before the
 * baseline ends (it starts at baseline_to when that is later than now -
 * W); when the baseline ends at or after now nothing has followed it yet:
 * outcome SERVGAP_OUTCOME_NONE, follow-up window and numbers unset.
 * docs/remediation.md, section 2, has the rules. Unlike
 * servgap_plan_remeasure, the query stores nothing on the plan item. Since
 * 1.2. */
typedef struct servgap_plan_status {
    size_t size;  /* set by the caller: sizeof(servgap_plan_status) */
    int32_t plan; /* the plan item's id */
    int32_t scope_kind, scope_id, touchpoint, metric, dimension, gap;
    int32_t outcome;      /* SERVGAP_OUTCOME_* */
    int32_t overdue;      /* 1: a deadline before now, and the outcome is not closed */
    int32_t own_baseline; /* 1: the plan's baseline window; 0: the default one */
    const char *owner;    /* borrowed from the result */
    int64_t deadline;     /* SERVGAP_TIME_NONE: none */
    double target;
    int64_t base_from, base_to;     /* the baseline window [base_from, base_to) */
    int64_t follow_from, follow_to; /* the follow-up window; SERVGAP_TIME_NONE for NONE */
    double baseline, followup;      /* the gap value in each window (NaN: no data) */
    double change;                  /* followup - baseline */
    double lo, hi;                  /* interval of the change at the handle's confidence */
    int64_t next_check;             /* the follow-up's end + W (NONE: the baseline's end + W) */
    uint64_t finding;               /* the finding it addresses (index, rank - 1), or UINT64_MAX */
} servgap_plan_status;

/* Fill *out with plan row i (the plan item of id i). Errors:
 * SERVGAP_EMISUSE (NULL, or out->size smaller than the 1.2 layout),
 * SERVGAP_ERANGE (i). Thread-safe. Since 1.2. */
SERVGAP_API int servgap_result_plan(const servgap_result *r, size_t i, servgap_plan_status *out);

/* ---------------------------------------------------------------------- */
/* JSON report                                                             */
/* ---------------------------------------------------------------------- */

/* Write result r as the JSON report of docs/formats.md into buf: UTF-8, no
 * insignificant whitespace except one newline at the end, NUL-terminated.
 * ctx supplies the names (it must be the handle r came from, or one that
 * knows at least the same names). *len receives the length excluding the
 * NUL (written only on SERVGAP_OK and SERVGAP_EBUFSIZE). Size query: buf
 * NULL and cap 0 returns SERVGAP_OK with *len; a cap below *len + 1
 * returns SERVGAP_EBUFSIZE with *len set and buf untouched. The same
 * result always gives the same bytes; the call allocates nothing.
 * Errors: SERVGAP_EMISUSE (NULL ctx, r or len; NULL buf with cap > 0),
 * SERVGAP_ENOTFOUND (an id ctx does not know), SERVGAP_EBUFSIZE.
 * Thread-safe. */
SERVGAP_API int servgap_result_json(servgap_ctx *ctx, const servgap_result *r, char *buf,
                                    size_t cap, size_t *len);

/* Where servgap_result_json_stream delivers the report: called with the
 * next len bytes (len > 0) at data, which stays valid only during the
 * call. Return 0 to go on; anything else stops the writer. */
typedef int32_t (*servgap_write_fn)(void *user, const char *data, size_t len);

/* The bytes of servgap_result_json (without the NUL), written in one pass
 * and handed to write(user, ...) in order, in pieces of at most 64 KiB,
 * so that a report of any size needs no buffer of its size: stream it to
 * a file, a socket or a compressor. It allocates one 64 KiB buffer from
 * the handle's allocator. *len receives the number of bytes write
 * accepted (the report's length on SERVGAP_OK). write runs on the calling
 * thread while the handle's read lock is held, so it must not call
 * libservgap functions on ctx.
 * Errors: SERVGAP_EMISUSE (NULL ctx, r, write or len), SERVGAP_ENOMEM,
 * SERVGAP_EIO (write returned nonzero; it is not called again), and
 * SERVGAP_ENOTFOUND (an id ctx does not know: the whole report was
 * written with null in its place, as servgap_result_json would refuse
 * it, so discard what was written). Thread-safe. */
SERVGAP_API int servgap_result_json_stream(servgap_ctx *ctx, const servgap_result *r,
                                           servgap_write_fn write, void *user, size_t *len);

/* ---------------------------------------------------------------------- */
/* CSV import                                                              */
/* ---------------------------------------------------------------------- */

/* Tables (docs/formats.md has their columns). */
#define SERVGAP_CSV_OBSERVATIONS 1
#define SERVGAP_CSV_METRICS      2
#define SERVGAP_CSV_ACCOUNTS     3
#define SERVGAP_CSV_IMPORTANCE   4
#define SERVGAP_CSV_EFFORTS      5
#define SERVGAP_CSV_PLANS        6 /* since 1.2: remediation plan items */

/* Import flags. */
#define SERVGAP_IMPORT_SKIP_BAD_ROWS 0x1u /* skip and count bad rows instead of failing */

/* What an import did. */
typedef struct servgap_import_report {
    size_t size;           /* set by the caller: sizeof(servgap_import_report) */
    uint64_t rows;         /* data rows read */
    uint64_t applied;      /* rows applied */
    uint64_t skipped;      /* bad rows skipped (SKIP_BAD_ROWS only) */
    uint64_t observations; /* observations recorded */
    uint32_t unknown_columns;
    uint32_t reserved;
    char unknown[256]; /* ignored column names, comma-separated, truncated */
    char skips[1024];  /* the first skipped rows' messages, one per line, truncated */
} servgap_import_report;

/* Import a CSV table (RFC 4180, UTF-8, optional BOM, CRLF or LF) from the
 * file at path. Without SERVGAP_IMPORT_SKIP_BAD_ROWS the import is all or
 * nothing: on any error nothing is changed and the message reads
 * "FILE:LINE:COLUMN: reason". report may be NULL; it is written on success.
 * Errors: SERVGAP_EMISUSE, SERVGAP_EINVAL (table, flags), SERVGAP_EIO (the
 * file cannot be read), SERVGAP_EFORMAT (malformed CSV, a missing column, a
 * field that does not parse), SERVGAP_ERANGE, SERVGAP_ENOTFOUND (e.g. an
 * unknown metric), SERVGAP_ECONFLICT (e.g. an account in two tiers),
 * SERVGAP_ELIMIT, SERVGAP_ENOMEM, SERVGAP_EINTERRUPTED (rolled back whole).
 * Thread-safe; the import is atomic for readers. With SERVGAP_OPT_THREADS
 * above 1, a file of more than 1 MiB is read ahead in parts on up to 3
 * more threads while the calling thread applies its rows in file order:
 * the same result, report and messages as on one thread. */
SERVGAP_API int servgap_import_csv(servgap_ctx *ctx, int32_t table, const char *path,
                                   uint32_t flags, servgap_import_report *report);

/* As servgap_import_csv, from data[0..len) (borrowed for the call); name
 * (NULL: "<buffer>") stands for the file in messages. */
SERVGAP_API int servgap_import_csv_buffer(servgap_ctx *ctx, int32_t table, const char *name,
                                          const void *data, size_t len, uint32_t flags,
                                          servgap_import_report *report);

/* ---------------------------------------------------------------------- */
/* Snapshots                                                               */
/* ---------------------------------------------------------------------- */

/* Save everything the handle knows (names, metrics, accounts, importance,
 * observations, efforts, plans; not options) to path atomically: a
 * temporary file in the same directory is written, flushed and renamed over
 * path, and the directory is flushed, so path always holds either the old
 * or the new complete snapshot. Errors: SERVGAP_EMISUSE, SERVGAP_EIO,
 * SERVGAP_ENOMEM. Thread-safe (a consistent state under the read lock). */
SERVGAP_API int servgap_snapshot_save(servgap_ctx *ctx, const char *path);

/* Write the snapshot into buf. Size query: buf NULL and cap 0 returns
 * SERVGAP_OK with *len; a smaller cap returns SERVGAP_EBUFSIZE with *len
 * (the handle may have grown since a size query: query again).
 * Errors: SERVGAP_EMISUSE, SERVGAP_EBUFSIZE, SERVGAP_ELIMIT (larger than
 * SIZE_MAX, 32-bit hosts only), SERVGAP_ENOMEM. Thread-safe. */
SERVGAP_API int servgap_snapshot_write(servgap_ctx *ctx, void *buf, size_t cap, size_t *len);

/* Load the snapshot at path into ctx: everything it holds is merged as by
 * servgap_ctx_merge (into a new handle this restores the saved one, and
 * saving again gives identical bytes). A damaged, truncated or foreign
 * file is rejected and ctx is unchanged, as is one that sets a field the
 * format reserves as zero (header flags other than bit 0, which announces
 * withdrawals; section flags other than bit 0; a section's reserved word)
 * or holds a name or unit that is not valid
 * UTF-8 (docs/formats.md, "Loading and validation").
 * Errors: SERVGAP_EMISUSE, SERVGAP_EIO, SERVGAP_ECORRUPT (with the
 * section and offset), SERVGAP_ECONFLICT, SERVGAP_ELIMIT, SERVGAP_ENOMEM,
 * SERVGAP_EINTERRUPTED (asked between sections). Thread-safe. */
SERVGAP_API int servgap_snapshot_load(servgap_ctx *ctx, const char *path);

/* As servgap_snapshot_load, from data[0..len) (borrowed for the call). */
SERVGAP_API int servgap_snapshot_load_buffer(servgap_ctx *ctx, const void *data, size_t len);

/* ---------------------------------------------------------------------- */
/* Summaries (since 1.2)                                                   */
/* ---------------------------------------------------------------------- */

/* Write the summary of the observations whose day lies in [from, to)
 * (UTC midnights less than 2^31 - 1 days from 1970-01-01, or
 * SERVGAP_TIME_MIN / SERVGAP_TIME_MAX for no bound; from < to) into buf:
 * portable, checksummed, versioned bytes (docs/formats.md, "Summaries")
 * whose size grows with the groups and days that have data, not with the
 * observations. It holds, per (scope, touchpoint, metric), viewpoint and
 * day, the moments and the negative
 * answers (counted at the handle's SERVGAP_OPT_NEGATIVE_SHARE); per team or
 * driver facet and day its moments; per group and day the paired
 * co-moments of the day's responses; per (scope, touchpoint) and day the
 * respondent-level weighted SERVQUAL moments and summed importance points;
 * the declarations (standard, promised, withdrawals) of those days as raw
 * observations; and every definition (names, metrics, accounts,
 * importance, efforts, plans), not the other options. The buckets of
 * summaries loaded into ctx count too, so a handle that loaded several
 * summaries writes their merge. Every query over whole days gives from
 * loaded summaries what it gives from the observations, to rounding
 * (docs/scaling.md). Size query as servgap_snapshot_write: buf NULL and
 * cap 0 returns SERVGAP_OK with *len; a smaller cap SERVGAP_EBUFSIZE with
 * *len. The same handle always gives the same bytes.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ERANGE (days), SERVGAP_ECONFLICT (the
 * handle holds summaries counted at another negative_share than the
 * option), SERVGAP_EBUFSIZE, SERVGAP_ELIMIT, SERVGAP_ENOMEM. Thread-safe
 * (under the read lock). Since 1.2. */
SERVGAP_API int servgap_summary_write(servgap_ctx *ctx, int64_t from, int64_t to, void *buf,
                                      size_t cap, size_t *len);

/* Merge the summary data[0..len) (borrowed for the call) into ctx:
 * definitions and declarations as servgap_snapshot_load_buffer merges a
 * snapshot's (by name), buckets by key (a bucket ctx has takes the
 * summary's moments by Chan's formula; a new one is appended), all or
 * nothing. Loading summaries in a fixed order gives the same bits in
 * every result; another order agrees to rounding. A damaged, truncated or
 * foreign summary is rejected and ctx is unchanged. Afterwards every query
 * needs SERVGAP_OPT_NEGATIVE_SHARE to equal the summary's (else
 * SERVGAP_ECONFLICT: the negative answers were counted at that cut), and
 * servgap_snapshot_write and _save refuse the handle (SERVGAP_EINVAL): a
 * snapshot has no place for buckets; write a summary instead.
 * servgap_observation_count counts the raw observations only.
 * Errors: SERVGAP_EMISUSE, SERVGAP_ECORRUPT (with the section and
 * offset), SERVGAP_ECONFLICT (definitions as servgap_ctx_merge; a
 * negative_share other than that of the summaries ctx holds),
 * SERVGAP_ELIMIT, SERVGAP_ENOMEM, SERVGAP_EINTERRUPTED (asked between
 * sections). Thread-safe. Since 1.2. */
SERVGAP_API int servgap_summary_load_buffer(servgap_ctx *ctx, const void *data, size_t len);

/* As servgap_summary_load_buffer, from the file at path (SERVGAP_EIO when
 * it cannot be read). Since 1.2. */
SERVGAP_API int servgap_summary_load(servgap_ctx *ctx, const char *path);

/* ---------------------------------------------------------------------- */
/* Text for enumerations and statistics                                    */
/* ---------------------------------------------------------------------- */

/* Lower-case snake_case names, static: "reliability", "perceived",
 * "service", "shortfall", "delivery", "knowledge+standards" (for a span
 * mask), "word_of_mouth". Classifications are named "none", "knowledge",
 * "standards", "delivery", "communication", "perception", "span",
 * "insufficient" and "hidden_gap". NULL for a value this version does not
 * know (and for a span mask that is not one contiguous run of links). */
SERVGAP_API const char *servgap_dimension_name(int32_t dimension);
SERVGAP_API const char *servgap_viewpoint_name(int32_t viewpoint);
SERVGAP_API const char *servgap_gap_name(int32_t gap);
SERVGAP_API const char *servgap_status_name(int32_t status);
SERVGAP_API const char *servgap_class_name(int32_t classification);
SERVGAP_API const char *servgap_span_name(uint32_t span);
SERVGAP_API const char *servgap_driver_name(int32_t driver);
/* "quick_win", "major_project", "fill_in", "thankless". */
SERVGAP_API const char *servgap_quadrant_name(int32_t quadrant);
/* "concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill". */
SERVGAP_API const char *servgap_ipa_name(int32_t quadrant);
/* "renewal", "csat_spike", "migration", "hidden_gap", "quarterly_review". */
SERVGAP_API const char *servgap_trigger_name(int32_t kind);
/* "none", "closed", "improved", "unchanged", "worsened", "unknown". */
SERVGAP_API const char *servgap_outcome_name(int32_t outcome);
/* "observations", "metrics", "accounts", "importance", "efforts", "plans". */
SERVGAP_API const char *servgap_csv_table_name(int32_t table);

/* Student t distribution with df > 0 degrees of freedom (INFINITY: normal):
 * P(T <= t), and its inverse for p in [0, 1]. NaN for invalid arguments
 * (a NaN, df <= 0, p outside [0, 1]), and never for valid ones: every t
 * and df, 1e308 and the smallest subnormal included, has its probability
 * (as df -> 0 it tends to 1/2 for every finite t), and a quantile beyond
 * DBL_MAX is +-INFINITY (for df < 1e-20 that is every p but 1/2).
 * Accurate to 1e-12 relative for df >= 1. Thread-safe. */
SERVGAP_API double servgap_t_cdf(double t, double df);
SERVGAP_API double servgap_t_quantile(double p, double df);

#ifdef __cplusplus
}
#endif
#endif /* SERVGAP_H */
