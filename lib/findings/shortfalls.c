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
