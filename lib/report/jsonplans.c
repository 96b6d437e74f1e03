/*
 * jsonplans -- a plan row of the JSON report: the plan item (owner,
 * finding addressed, deadline, target), its two windows and the
 * re-measurement between them, and the overdue flag. Names come from the
 * handle like every row's; the owner from the result, which copied it.
 */
#include "../base/platform.h"

#include "jsonplans.h"

/* A window's end; an unbounded or unset end is null. */
static void write_end(servgap__report *w, int64_t t)
{
    servgap__write_date_or_null(
        w, t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX ? SERVGAP_TIME_NONE : t);
}

static void write_window(servgap__report *w, int64_t from, int64_t to)
{
    SERVGAP__LIT(w, "{\"from\":");
    write_end(w, from);
    SERVGAP__LIT(w, ",\"to\":");
    write_end(w, to);
    SERVGAP__LIT(w, "}");
}

/* What the plan addresses: the finding's rank (null when the result has
 * no such finding), cell and gap type. */
static void write_target(servgap__report *w, const servgap_plan_status *p)
{
    SERVGAP__LIT(w, ",\"finding\":");
    if (p->finding == UINT64_MAX)
        SERVGAP__LIT(w, "null");
    else
        servgap__write_int(w, (int64_t)p->finding + 1);
    SERVGAP__LIT(w, ",");
    servgap__write_where(w, p->scope_kind, p->scope_id, p->touchpoint);
    SERVGAP__LIT(w, ",\"metric\":");
    servgap__write_metric(w, p->metric);
    SERVGAP__LIT(w, ",\"dimension\":");
    servgap__write_str(w, servgap_dimension_name(p->dimension));
    SERVGAP__LIT(w, ",\"gap\":");
    servgap__write_str(w, servgap_gap_name(p->gap));
}

void servgap__write_plan(servgap__report *w, size_t i)
{
    const servgap_result *r = w->r;
    const servgap_plan_status *p = &r->plan[i];
    SERVGAP__LIT(w, "{\"plan\":");
    servgap__write_int(w, p->plan);
    SERVGAP__LIT(w, ",\"owner\":");
    servgap__write_str(w,
                       r->pl_owner && r->pl_owner[i] < r->ntext ? r->text + r->pl_owner[i] : NULL);
    write_target(w, p);
    SERVGAP__LIT(w, ",\"deadline\":");
    servgap__write_date_or_null(w, p->deadline);
    SERVGAP__LIT(w, ",\"target\":");
    servgap__write_num(w, p->target);
    SERVGAP__LIT(w, ",\"outcome\":");
    servgap__write_str(w, servgap_outcome_name(p->outcome));
    SERVGAP__LIT(w, ",\"overdue\":");
    servgap__write_bool(w, p->overdue);
    SERVGAP__LIT(w, ",\"own_baseline\":");
    servgap__write_bool(w, p->own_baseline);
    SERVGAP__LIT(w, ",\"baseline_window\":");
    write_window(w, p->base_from, p->base_to);
    SERVGAP__LIT(w, ",\"followup_window\":");
    write_window(w, p->follow_from, p->follow_to);
    SERVGAP__LIT(w, ",\"baseline\":");
    servgap__write_num(w, p->baseline);
    SERVGAP__LIT(w, ",\"followup\":");
    servgap__write_num(w, p->followup);
    SERVGAP__LIT(w, ",\"change\":");
    servgap__write_num(w, p->change);
    SERVGAP__LIT(w, ",\"ci\":");
    servgap__write_pair(w, p->lo, p->hi);
    SERVGAP__LIT(w, ",\"next_check\":");
    servgap__write_date_or_null(w, p->next_check);
    SERVGAP__LIT(w, "}");
}
