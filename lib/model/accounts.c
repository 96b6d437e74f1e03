/*
 * accounts -- registry storage.
 */
#include "../base/platform.h"

#include "accounts.h"

#include <math.h>
#include <string.h>

#include "servgap.h"

void servgap__accounts_init(servgap__accounts *r)
{
    memset(r, 0, sizeof *r);
    servgap__names_init(&r->names);
}

void servgap__accounts_free(servgap__accounts *r, const servgap__alloc *a)
{
    servgap__names_free(&r->names, a);
    servgap__free(a, r->a);
    servgap__accounts_init(r);
}

int servgap__accounts_add(servgap__accounts *r, const servgap__alloc *a, const char *name,
                          int32_t tier, double value, int32_t *id)
{
    size_t n = r->names.count;
    void *p = r->a;
    if (servgap__reserve(a, &p, &r->cap, n + 1, sizeof *r->a) != 0)
        return -1;
    r->a = p;
    if (servgap__names_add(&r->names, a, name, strlen(name), id) != 0)
        return -1;
    servgap__account acc = {tier, 0, 0, value, NAN, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE};
    r->a[n] = acc;
    return 0;
}

void servgap__accounts_truncate(servgap__accounts *r, const servgap__alloc *a, size_t count)
{
    servgap__names_truncate(&r->names, a, count);
}

int servgap__account_at_risk(const servgap__account *acc, double health_threshold)
{
    return acc->at_risk || (!isnan(acc->health) && acc->health < health_threshold);
}
