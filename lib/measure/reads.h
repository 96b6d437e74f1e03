/*
 * reads -- which observations a window reads, viewpoint by viewpoint
 * (docs/concepts.md, section 13). Events (delivered, perceived) count in
 * the window only. Survey viewpoints (expected, adequate, believed) are
 * read over the window or, if longer, the look-back of L days before its
 * end, because surveys come in waves months apart. Declarations (standard,
 * promised) are read as they stood in force during the window, which
 * declared.c resolves. Relies on ctx.
 */
#ifndef SERVGAP_READS_H
#define SERVGAP_READS_H

#include "../model/ctx.h"

typedef struct servgap__reads {
    int64_t from_day, to_day; /* the window; INT64_MIN / INT64_MAX: unbounded */
    int64_t survey_from_day;  /* the first day survey viewpoints read */
    /* Where the last declaration in force stops counting days: to_day,
     * or for an unbounded window the day after the latest observation. */
    int64_t end_day;
    /* SERVGAP_DECLARE_IN_WINDOW: standard and promised rows are read like
     * events, in the window, and withdrawals are not read at all. */
    int declarations_in_window;
} servgap__reads;

/* What the window [from_day, to_day) reads under opt's look-back. The
 * caller holds a lock (an unbounded end reads the log). */
void servgap__reads_of(const servgap_ctx *ctx, const servgap__options *opt, int64_t from_day,
                       int64_t to_day, servgap__reads *out);

/* The viewpoints' classes. */
static inline int servgap__vp_declared(int vp)
{
    return vp == SERVGAP_VP_STANDARD || vp == SERVGAP_VP_PROMISED;
}
static inline int servgap__vp_survey(int vp)
{
    return vp == SERVGAP_VP_EXPECTED || vp == SERVGAP_VP_ADEQUATE || vp == SERVGAP_VP_BELIEVED;
}

/* Whether the window rd reads the observations of day of viewpoint vp,
 * one that is not a declaration: survey viewpoints over the look-back,
 * events in the window (the aggregate's row selection). */
static inline int servgap__reads_day(const servgap__reads *rd, int vp, int64_t day)
{
    int64_t from = servgap__vp_survey(vp) ? rd->survey_from_day : rd->from_day;
    return day >= from && day < rd->to_day;
}

/* The first UTC second of a day, or t_unbounded for an unbounded day. */
static inline int64_t servgap__day_start(int64_t day, int64_t t_unbounded)
{
    return day == INT64_MIN || day == INT64_MAX ? t_unbounded : day * SERVGAP_DAY;
}

#endif
