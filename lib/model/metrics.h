/*
 * metrics -- the registry of metrics: name, dimension, direction, valid
 * range, span and unit, with the five built-in Likert 1..7 items. Knows how
 * a metric orients a value and what counts as a negative response. Relies
 * on names and alloc; validation of user input is the caller's.
 */
#ifndef SERVGAP_METRICS_H
#define SERVGAP_METRICS_H

#include "../base/names.h"

typedef struct servgap__metric {
    int32_t dimension;
    int32_t direction; /* SERVGAP_HIGHER_IS_BETTER or SERVGAP_LOWER_IS_BETTER */
    double min, max, span;
    char *unit;
} servgap__metric;

typedef struct servgap__metrics {
    servgap__names names;
    servgap__metric *m;
    size_t cap;
} servgap__metrics;

/* Empty registry holding the built-ins; -1 on allocation failure. */
int servgap__metrics_init(servgap__metrics *r, const servgap__alloc *a);
void servgap__metrics_free(servgap__metrics *r, const servgap__alloc *a);

/* Append a (validated, new) metric. -1 on allocation failure, unchanged. */
int servgap__metrics_add(servgap__metrics *r, const servgap__alloc *a, const char *name,
                         const servgap__metric *def, int32_t *id);
void servgap__metrics_truncate(servgap__metrics *r, const servgap__alloc *a, size_t count);

/* The longest unit in bytes: a snapshot stores a unit's length in 32 bits. */
#define SERVGAP__UNIT_MAX 0xffffffffu

/* NULL when u[0..len) is a valid unit: at most SERVGAP__UNIT_MAX bytes of
 * well-formed UTF-8 without NUL (empty is fine). Else what is wrong, as
 * "unit ...", with *at the offset of the first byte at fault. Units are
 * checked wherever they enter, so that every report and binding can rely
 * on them being text. */
const char *servgap__unit_fault(const char *u, size_t len, size_t *at);

/* 1 when two definitions are the same (unit compared as text). */
int servgap__metric_same(const servgap__metric *x, const servgap__metric *y);

/* The value as "more is better". */
static inline double servgap__orient(const servgap__metric *m, double x)
{
    return m->direction == 2 ? -x : x;
}

/* Oriented threshold below which an oriented value is a negative response,
 * or -INFINITY when the range is unbounded (no value is then negative). */
double servgap__negative_cut(const servgap__metric *m, double share);

#endif
