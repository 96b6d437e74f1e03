/*
 * limits -- the bounds on every number a handle accepts (the public
 * SERVGAP_VALUE_MAX, SERVGAP_SPAN_* and SERVGAP_EFFORT_*; docs/concepts.md,
 * section 14, derives them from what the analysis computes), as the
 * predicates that each way in checks -- the define, effort and record
 * calls, the CSV tables, the snapshot loader -- and as text for their
 * messages, spelled from the same macros so that the two cannot drift.
 * NaN fails every predicate.
 */
#ifndef SERVGAP_LIMITS_H
#define SERVGAP_LIMITS_H

#include <math.h>

#include "servgap.h"

#define SERVGAP__STR_(x) #x
#define SERVGAP__STR(x)  SERVGAP__STR_(x)

/* "1e15", "[1e-9, 2e15]" and "[1e-9, 1e15]" for messages. */
#define SERVGAP__VALUE_MAX_TEXT SERVGAP__STR(SERVGAP_VALUE_MAX)
#define SERVGAP__SPAN_LIMITS_TEXT                                                                  \
    "[" SERVGAP__STR(SERVGAP_SPAN_MIN) ", " SERVGAP__STR(SERVGAP_SPAN_MAX) "]"
#define SERVGAP__EFFORT_LIMITS_TEXT                                                                \
    "[" SERVGAP__STR(SERVGAP_EFFORT_MIN) ", " SERVGAP__STR(SERVGAP_EFFORT_MAX) "]"

/* An observation value within +-SERVGAP_VALUE_MAX (its metric's range is
 * checked besides: an unbounded one does not bound it). */
static inline int servgap__value_in_limits(double v)
{
    return fabs(v) <= SERVGAP_VALUE_MAX;
}

/* An end of a metric's range: unbounded, or finite within the limit. */
static inline int servgap__range_end_in_limits(double end)
{
    return isinf(end) || fabs(end) <= SERVGAP_VALUE_MAX;
}

static inline int servgap__span_in_limits(double span)
{
    return span >= SERVGAP_SPAN_MIN && span <= SERVGAP_SPAN_MAX;
}

static inline int servgap__effort_in_limits(double effort)
{
    return effort >= SERVGAP_EFFORT_MIN && effort <= SERVGAP_EFFORT_MAX;
}

/* An account's value: negative values have a message of their own. */
static inline int servgap__account_value_in_limits(double value)
{
    return value >= 0.0 && value <= SERVGAP_VALUE_MAX;
}

#endif
