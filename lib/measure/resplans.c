/*
 * resplans -- a result's plan rows (SERVGAP_TABLE_PLANS): storage, with
 * each owner's name copied into the result's text so that the result
 * never refers to the handle, and the public accessor. The rows are
 * computed by findings/planstatus.c. Relies on result.
 */
#include "../base/platform.h"

#include <string.h>

#include "../model/sized.h"
#include "result.h"

servgap_plan_status *servgap__result_add_plan(servgap_result *r, const char *owner, size_t len)
{
    const servgap__alloc *a = &r->alloc;
    void *off = r->pl_owner, *text = r->text, *rows = r->plan;
    if (servgap__reserve(a, &off, &r->cappl_owner, r->nplan + 1, sizeof *r->pl_owner) != 0)
        return NULL;
    r->pl_owner = off;
    if (len >= SIZE_MAX - r->ntext ||
        servgap__reserve(a, &text, &r->captext, r->ntext + len + 1, 1) != 0)
        return NULL;
    r->text = text;
    if (servgap__reserve(a, &rows, &r->capplan, r->nplan + 1, sizeof *r->plan) != 0)
        return NULL;
    r->plan = rows;
    servgap_plan_status *row = &r->plan[r->nplan];
    memset(row, 0, sizeof *row);
    r->pl_owner[r->nplan++] = r->ntext;
    memcpy(r->text + r->ntext, owner, len);
    r->text[r->ntext + len] = '\0';
    r->ntext += len + 1;
    return row;
}

SERVGAP_API int servgap_result_plan(const servgap_result *r, size_t i, servgap_plan_status *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nplan)
        return SERVGAP_ERANGE;
    servgap_plan_status p = r->plan[i];
    p.owner = r->text + r->pl_owner[i];
    return servgap__sized_out(out, &p, sizeof p, SERVGAP__SIZE_1_2_PLAN_STATUS);
}
