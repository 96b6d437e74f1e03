/*
 * shortfalls -- what the per-account analyses (renewal trigger, persistence
 * risk) count as an account's open shortfalls in one window's cells, and
 * the run of cells of one scope they are counted over. Relies on result
 * (the stored rows and their codes).
 */
#include "../base/platform.h"

#include <math.h>

#include "analysis.h"

size_t servgap__scope_run(const servgap_result *r, size_t i)
{
    const servgap__cellrec *c = &r->cells[i].c;
    size_t j = i + 1;
    while (j < r->ncells && r->cells[j].c.scope_kind == c->scope_kind &&
           r->cells[j].c.scope_id == c->scope_id)
        j++;
    return j;
}

/* Dimension roll-ups only average their items: counting them too would
 * count an item's shortfall twice. A shortfall seen at several touchpoints
 * (and over all of them) is one shortfall of the account. */
servgap__shortfalls servgap__account_shortfalls(const servgap_result *r, size_t i, size_t j,
                                                unsigned gaps, uint8_t *mask)
{
    const servgap__cellrow *rows = r->cells;
    servgap__shortfalls s = {0, NAN};
    for (size_t k = i; k < j; k++) {
        const servgap__cellrow *row = &rows[k];
        if (row->c.metric == SERVGAP_ALL)
            continue;
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++) {
            if (row->gc.status[g] != SERVGAP_STATUS_SHORTFALL || !(gaps >> g & 1u))
                continue;
            uint8_t bit = (uint8_t)(1u << g);
            if (!(mask[row->c.metric] & bit)) {
                mask[row->c.metric] |= bit;
                s.count++;
            }
            double normalized = servgap__cellrow_normalized(r, row, g);
            if (isnan(s.worst) || normalized < s.worst)
                s.worst = normalized;
        }
    }
    for (size_t k = i; k < j; k++)
        if (rows[k].c.metric != SERVGAP_ALL)
            mask[rows[k].c.metric] = 0;
    return s;
}

static int shortfall_before(const servgap__shortfall *a, const servgap__shortfall *b)
{
    if (a->normalized != b->normalized)
        return a->normalized < b->normalized;
    if (a->metric != b->metric)
        return a->metric < b->metric;
    return a->gap < b->gap;
}

/* Keep x among the n (<= 3) largest of top, in order: a (metric, gap)
 * already kept keeps its larger instance. */
static size_t keep_worst(servgap__shortfall *top, size_t n, const servgap__shortfall *x)
{
    size_t k = 0;
    while (k < n && !(top[k].metric == x->metric && top[k].gap == x->gap))
        k++;
    if (k == n) { /* a new (metric, gap): it takes the last place */
        if (n == 3 && !shortfall_before(x, &top[2]))
            return n;
        n += n < 3;
        k = n - 1;
    } else if (!shortfall_before(x, &top[k])) {
        return n;
    }
    for (; k > 0 && shortfall_before(x, &top[k - 1]); k--)
        top[k] = top[k - 1];
    top[k] = *x;
    return n;
}

size_t servgap__account_worst(const servgap_result *r, size_t i, size_t j, unsigned gaps,
                              servgap__shortfall out[3])
{
    size_t n = 0;
    for (size_t k = i; k < j; k++) {
        const servgap__cellrow *row = &r->cells[k];
        if (row->c.metric == SERVGAP_ALL)
            continue;
        for (int g = 0; g < SERVGAP_GAP_COUNT; g++) {
            if (row->gc.status[g] != SERVGAP_STATUS_SHORTFALL || !(gaps >> g & 1u))
                continue;
            servgap__shortfall x = {row->c.touchpoint, row->c.metric, g,
                                    servgap__cellrow_normalized(r, row, g)};
            n = keep_worst(out, n, &x);
        }
    }
    return n;
}
