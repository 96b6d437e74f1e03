/*
 * html_plans.c -- the remediation plans of the HTML page: owner,
 * deadline, status and the next check of each, with its re-measurement.
 *
 * The rows are the result's plan rows (SERVGAP_QUERY_PLANS): the library
 * re-measured each plan as of the analysis date and named the finding it
 * addresses, so this file only lays them out. An overdue plan (deadline
 * passed, not closed) is marked; its status is the re-measurement's
 * outcome.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "html.h"

static void what(const html_doc *d, const servgap_plan_status *p)
{
    FILE *f = d->f;
    fputs("<td>", f);
    h_scope(f, d->ctx, p->scope_kind, p->scope_id);
    fputs(" / ", f);
    h_touchpoint(f, d->ctx, p->touchpoint);
    fputs(" / ", f);
    h_metric(f, d->ctx, p->metric, p->dimension);
    fprintf(f, " / %s<br><small>", GAP_NAME(p->gap));
    if (p->finding != UINT64_MAX)
        fprintf(f, "finding <a href=\"#f-%llu\">#%llu</a>", (unsigned long long)p->finding + 1,
                (unsigned long long)p->finding + 1);
    else
        fputs("not a finding now", f);
    fputs("</small></td>", f);
}

/* Baseline, follow-up and the change with its interval. */
static void measure(const html_doc *d, const servgap_plan_status *p, size_t i)
{
    FILE *f = d->f;
    fputs("<td class=\"num\">", f);
    h_num(f, "%+.2f", p->baseline, "plans.%zu.baseline", i);
    fputs(" &rarr; ", f);
    h_num(f, "%+.2f", p->followup, "plans.%zu.followup", i);
    fputs("</td><td class=\"num\">", f);
    h_num(f, "%+.2f", p->change, "plans.%zu.change", i);
    fputs(" <small>[", f);
    h_num(f, "%+.2f", p->lo, "plans.%zu.ci.0", i);
    fputs(", ", f);
    h_num(f, "%+.2f", p->hi, "plans.%zu.ci.1", i);
    fputs("]</small></td>", f);
}

static void row(const html_doc *d, const servgap_plan_status *p, size_t i)
{
    FILE *f = d->f;
    const char *outcome = servgap_outcome_name(p->outcome);
    fprintf(f, "<tr class=\"%s\"><td>%d</td>", p->overdue ? "overdue" : "", (int)p->plan + 1);
    what(d, p);
    fprintf(f, "<td><span data-j=\"plans.%zu.owner\">", i);
    h_visible(f, p->owner);
    fputs("</span></td><td>", f);
    h_date(f, p->deadline, "plans.%zu.deadline", i);
    if (p->overdue)
        fputs(" <span class=\"badge warn\">overdue</span>", f);
    fprintf(f, "</td><td><span class=\"oc %s\" data-j=\"plans.%zu.outcome\">%s</span></td>",
            outcome ? outcome : "", i, outcome ? outcome : "?");
    measure(d, p, i);
    fputs("<td>", f);
    h_date(f, p->next_check, "plans.%zu.next_check", i);
    fputs("</td></tr>\n", f);
}

void html_plans(const html_doc *d)
{
    FILE *f = d->f;
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_PLANS);
    fputs("<section id=\"plans\" aria-labelledby=\"h-plans\">\n<h2 id=\"h-plans\">Plans</h2>\n", f);
    if (n == 0) {
        fputs("<p>No plan (--plans F, or plans.csv in --data DIR).</p>\n</section>\n", f);
        return;
    }
    fprintf(f,
            "<p class=\"note\">Each plan's gap re-measured as of the analysis date: the "
            "follow-up window against the plan's baseline; status closed (the target is met), "
            "improved or worsened (the change's %.0f%% interval excludes 0), unchanged, or "
            "unknown (too little data).</p>\n<div class=\"scroll\"><table class=\"grid\" "
            "id=\"plans-table\"><thead><tr><th>plan</th><th>addresses</th><th>owner</th>"
            "<th>deadline</th><th>status</th><th>baseline &rarr; follow-up</th><th>change</th>"
            "<th>next check</th></tr></thead><tbody>\n",
            d->confidence * 100);
    for (size_t i = 0; i < n; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(d->r, i, &p) == SERVGAP_OK)
            row(d, &p, i);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}
