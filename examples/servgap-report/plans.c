/*
 * plans.c -- the remediation plans in the text report: the section that
 * lists every plan with its owner, deadline, target and re-measurement,
 * and the plan shown beside each finding of the priorities.
 *
 * Everything comes from the result's plan rows (SERVGAP_TABLE_PLANS, from
 * a query with SERVGAP_QUERY_PLANS): the library re-measured each plan as
 * of the analysis date and linked it to the finding it addresses, so
 * nothing is recomputed or matched here but by that link. Owners are data:
 * they are printed made visible.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "report.h"

int plan_of_finding(const servgap_result *r, size_t finding, servgap_plan_status *out)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_PLANS);
    for (size_t i = 0; i < n; i++) {
        INIT(*out);
        if (servgap_result_plan(r, i, out) == SERVGAP_OK && out->finding == finding)
            return 1;
    }
    return 0;
}

const char *finding_plan_label(const servgap_result *r, size_t finding, char *buf, size_t cap)
{
    servgap_plan_status p;
    char owner[LABEL_CAP], due[11];
    if (servgap_result_count(r, SERVGAP_TABLE_PLANS) == 0)
        return "";
    if (!plan_of_finding(r, finding, &p))
        return "  no plan";
    if (p.deadline == SERVGAP_TIME_NONE) {
        snprintf(buf, cap, "  plan: %s, no deadline", visible(p.owner, owner, sizeof owner));
        return buf;
    }
    date_format(p.deadline, due);
    snprintf(buf, cap, "  plan: %s, due %s%s", visible(p.owner, owner, sizeof owner), due,
             p.overdue ? ", OVERDUE" : "");
    return buf;
}

/* "2026-06-01 .. 2026-06-30", the window [from, to) by its inclusive
 * days; an unbounded start is "(start)". */
static const char *window_label(int64_t from, int64_t to, char *buf, size_t cap)
{
    char a[11], b[11];
    if (from == SERVGAP_TIME_MIN)
        snprintf(a, sizeof a, "(start)");
    else
        date_format(from, a);
    date_format(to - SERVGAP_DAY, b);
    snprintf(buf, cap, "%s .. %s", a, b);
    return buf;
}

/* The first line of a plan: what it addresses. */
static void plan_heading(FILE *out, servgap_ctx *ctx, const servgap_plan_status *p)
{
    char scope[LABEL_CAP], tp[LABEL_CAP], metric[LABEL_CAP], rank[32] = "not a finding now";
    if (p->finding != UINT64_MAX)
        snprintf(rank, sizeof rank, "priority #%llu", (unsigned long long)p->finding + 1);
    fprintf(out, "\n  plan %d  %s  %s  %s  %s gap  (%s)\n", (int)p->plan + 1,
            scope_label(ctx, p->scope_kind, p->scope_id, scope, sizeof scope),
            touchpoint_label(ctx, p->touchpoint, tp, sizeof tp),
            metric_label(ctx, p->metric, p->dimension, metric, sizeof metric),
            gap_label(p->gap, SERVGAP_STATUS_SHORTFALL, 0), rank);
}

/* Owner, deadline (and whether it has passed unmet), target. */
static void plan_terms(FILE *out, servgap_ctx *ctx, const servgap_plan_status *p)
{
    char owner[LABEL_CAP], due[11] = "none", buf[LABEL_CAP], target[32];
    const char *unit = metric_unit(ctx, p->metric, buf, sizeof buf);
    if (p->deadline != SERVGAP_TIME_NONE)
        date_format(p->deadline, due);
    fprintf(out, "    owner %s, deadline %s%s, target %s%s%s\n",
            visible(p->owner, owner, sizeof owner), due, p->overdue ? " OVERDUE" : "",
            fmt_num(p->target, "%+.2f", target, sizeof target), *unit ? " " : "", unit);
}

/* "-2.67 h (2026-06-01 .. 2026-06-30)": a window's gap value, or "no
 * value" when the window has too little data for one. */
static const char *side_label(double v, const char *unit, int64_t from, int64_t to, char *buf,
                              size_t cap)
{
    char num[32], win[32];
    window_label(from, to, win, sizeof win);
    if (isnan(v))
        snprintf(buf, cap, "no value (%s)", win);
    else
        snprintf(buf, cap, "%s%s%s (%s)", fmt_num(v, "%+.2f", num, sizeof num), *unit ? " " : "",
                 unit, win);
    return buf;
}

/* The re-measurement: outcome, both windows with their values, the
 * change with its interval (or why there is none), and the next check. */
static void plan_measure(FILE *out, servgap_ctx *ctx, const servgap_plan_status *p,
                         double confidence)
{
    const char *outcome = servgap_outcome_name(p->outcome);
    char buf[LABEL_CAP], base[LABEL_CAP + 64], follow[LABEL_CAP + 64], change[32], lo[32], hi[32],
        next[11];
    const char *unit = metric_unit(ctx, p->metric, buf, sizeof buf);
    date_format(p->next_check, next);
    fprintf(out, "    %-9s baseline %s, %s\n", outcome ? outcome : "?",
            side_label(p->baseline, unit, p->base_from, p->base_to, base, sizeof base),
            p->own_baseline ? "the plan's window" : "the default window");
    if (p->outcome == SERVGAP_OUTCOME_NONE) {
        fprintf(out, "              nothing has followed the baseline yet; next check %s\n", next);
        return;
    }
    fprintf(out, "              follow-up %s\n",
            side_label(p->followup, unit, p->follow_from, p->follow_to, follow, sizeof follow));
    if (p->outcome == SERVGAP_OUTCOME_UNKNOWN)
        fputs("              a window has too little data to tell (fewer than min_n on a side)",
              out);
    else
        fprintf(out, "              change %s, %.0f%% CI [%s, %s]",
                fmt_num(p->change, "%+.2f", change, sizeof change), confidence * 100,
                fmt_num(p->lo, "%+.2f", lo, sizeof lo), fmt_num(p->hi, "%+.2f", hi, sizeof hi));
    fprintf(out, "; next check %s\n", next);
}

/* "6 plans: 1 closed, 2 unchanged; 2 overdue". */
static void plans_summary(FILE *out, const servgap_result *r, size_t n)
{
    size_t count[SERVGAP_OUTCOME_UNKNOWN + 1] = {0}, overdue = 0;
    for (size_t i = 0; i < n; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(r, i, &p) != SERVGAP_OK)
            continue;
        if (p.outcome >= 0 && p.outcome <= SERVGAP_OUTCOME_UNKNOWN)
            count[p.outcome]++;
        overdue += p.overdue != 0;
    }
    static const int32_t order[] = {SERVGAP_OUTCOME_CLOSED,    SERVGAP_OUTCOME_IMPROVED,
                                    SERVGAP_OUTCOME_UNCHANGED, SERVGAP_OUTCOME_WORSENED,
                                    SERVGAP_OUTCOME_UNKNOWN,   SERVGAP_OUTCOME_NONE};
    const char *sep = ": ";
    fprintf(out, "  %zu plan%s", n, n == 1 ? "" : "s");
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int32_t o = order[k];
        if (count[o] == 0)
            continue;
        fprintf(out, "%s%zu %s", sep, count[o],
                o == SERVGAP_OUTCOME_NONE ? "not re-measured yet" : servgap_outcome_name(o));
        sep = ", ";
    }
    fprintf(out, "; %zu overdue (deadline passed, not closed)\n", overdue);
}

void section_plans(FILE *out, servgap_ctx *ctx, const servgap_result *r, double confidence)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_PLANS);
    int64_t now = SERVGAP_TIME_NONE;
    double days = 30;
    char date[11];
    servgap_result_now(r, &now);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOW_DAYS, &days);
    date_format(now, date);
    fprintf(out, "\n== Remediation plans: each plan's gap re-measured as of %s ==\n", date);
    if (n == 0) {
        fputs("  no plan (--plans F, or plans.csv in --data DIR)\n", out);
        return;
    }
    fprintf(out,
            "(follow-up: the last %.0f days; baseline: the plan's own window, else the %.0f days "
            "before the follow-up;\n closed: the follow-up meets the target; improved / worsened: "
            "the change's interval excludes 0)\n",
            days, days);
    plans_summary(out, r, n);
    for (size_t i = 0; i < n; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(r, i, &p) != SERVGAP_OK)
            continue;
        plan_heading(out, ctx, &p);
        plan_terms(out, ctx, &p);
        plan_measure(out, ctx, &p, confidence);
    }
}
