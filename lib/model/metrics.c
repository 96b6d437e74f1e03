/*
 * metrics -- registry storage and the built-in SERVQUAL items.
 */
#include "../base/platform.h"

#include "metrics.h"

#include <math.h>
#include <string.h>

#include "servgap.h"

static const char *const builtin[SERVGAP_DIM_COUNT] = {"tangibles", "reliability", "responsiveness",
                                                       "assurance", "empathy"};

int servgap__metrics_init(servgap__metrics *r, const servgap__alloc *a)
{
    memset(r, 0, sizeof *r);
    servgap__names_init(&r->names);
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++) {
        servgap__metric m = {d, SERVGAP_HIGHER_IS_BETTER, 1.0, 7.0, 6.0, (char *)""};
        int32_t id;
        if (servgap__metrics_add(r, a, builtin[d], &m, &id) != 0) {
            servgap__metrics_free(r, a);
            return -1;
        }
    }
    return 0;
}

void servgap__metrics_free(servgap__metrics *r, const servgap__alloc *a)
{
    servgap__metrics_truncate(r, a, 0);
    servgap__names_free(&r->names, a);
    servgap__free(a, r->m);
    r->m = NULL;
    r->cap = 0;
}

int servgap__metrics_add(servgap__metrics *r, const servgap__alloc *a, const char *name,
                         const servgap__metric *def, int32_t *id)
{
    size_t n = r->names.count;
    void *p = r->m;
    if (servgap__reserve(a, &p, &r->cap, n + 1, sizeof *r->m) != 0)
        return -1;
    r->m = p;
    const char *unit = def->unit ? def->unit : "";
    char *u = servgap__strndup(a, unit, strlen(unit));
    if (!u)
        return -1;
    if (servgap__names_add(&r->names, a, name, strlen(name), id) != 0) {
        servgap__free(a, u);
        return -1;
    }
    r->m[n] = *def;
    r->m[n].unit = u;
    return 0;
}

void servgap__metrics_truncate(servgap__metrics *r, const servgap__alloc *a, size_t count)
{
    for (size_t i = count; i < r->names.count; i++)
        servgap__free(a, r->m[i].unit);
    servgap__names_truncate(&r->names, a, count);
}

const char *servgap__unit_fault(const char *u, size_t len, size_t *at)
{
    if ((uint64_t)len > SERVGAP__UNIT_MAX) {
        *at = SERVGAP__UNIT_MAX;
        return "unit is longer than 4294967295 bytes";
    }
    *at = servgap__utf8_prefix(u, len);
    if (*at == len)
        return NULL;
    return u[*at] == 0 ? "unit contains a NUL byte" : "unit is not valid UTF-8";
}

static int same_double(double x, double y)
{
    return x == y || (isnan(x) && isnan(y));
}

int servgap__metric_same(const servgap__metric *x, const servgap__metric *y)
{
    const char *ux = x->unit ? x->unit : "", *uy = y->unit ? y->unit : "";
    return x->dimension == y->dimension && x->direction == y->direction &&
           same_double(x->min, y->min) && same_double(x->max, y->max) &&
           same_double(x->span, y->span) && strcmp(ux, uy) == 0;
}

double servgap__negative_cut(const servgap__metric *m, double share)
{
    if (!isfinite(m->min) || !isfinite(m->max))
        return -INFINITY;
    double lo = servgap__orient(m, m->direction == SERVGAP_LOWER_IS_BETTER ? m->max : m->min);
    return lo + share * (m->max - m->min);
}
