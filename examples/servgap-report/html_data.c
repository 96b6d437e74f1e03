/*
 * html_data.c -- the JSON embedded in the HTML page for its script: every
 * account's row, the account findings, the ad-hoc triggers and the plans,
 * which the accounts table sorts, filters, pages and drills down into.
 *
 * It is not the JSON report, which runs to gigabytes at 100,000 accounts
 * (a cell alone takes 3 kB): it is the few fields of those tables that
 * the table shows, as arrays (the keys are in html_page.js), taken from
 * the same result, each with its row's index in the JSON report so that
 * a number shown can name its place there. Numbers read back as the
 * result's doubles (j_num); names are made visible and escaped so that
 * nothing in them can end the <script> element (j_visible).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "html.h"

static void j_date(FILE *f, int64_t t)
{
    char date[11];
    if (t == SERVGAP_TIME_NONE || t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX) {
        fputs("null", f);
        return;
    }
    date_format(t, date);
    fprintf(f, "\"%s\"", date);
}

static void j_names(FILE *f, servgap_ctx *ctx, const char *key, int32_t kind)
{
    int32_t n = 0;
    servgap_count(ctx, kind, &n);
    fprintf(f, "\"%s\":[", key);
    for (int32_t i = 0; i < n; i++) {
        const char *name = NULL;
        if (i)
            fputc(',', f);
        servgap_name(ctx, kind, i, &name);
        j_visible(f, name ? name : "?");
    }
    fputs("],\n", f);
}

/* The enumerations the script names, index = the library's value. */
static void j_enums(FILE *f)
{
    fputs("\"dims\":[", f);
    for (int32_t k = 0; k < SERVGAP_DIM_COUNT; k++)
        fprintf(f, "%s\"%s\"", k ? "," : "", servgap_dimension_name(k));
    fputs("],\"gaps\":[", f);
    for (int32_t k = 0; k < SERVGAP_GAP_COUNT; k++)
        fprintf(f, "%s\"%s\"", k ? "," : "", servgap_gap_name(k));
    fputs("],\"quadrants\":[\"?\"", f);
    for (int32_t k = SERVGAP_QUADRANT_QUICK_WIN; k <= SERVGAP_QUADRANT_THANKLESS; k++)
        fprintf(f, ",\"%s\"", quadrant_label(k));
    fputs("],\"kinds\":[\"?\"", f);
    for (int32_t k = SERVGAP_TRIGGER_RENEWAL; k <= SERVGAP_TRIGGER_QUARTERLY_REVIEW; k++)
        fprintf(f, ",\"%s\"", servgap_trigger_name(k));
    fputs("],\"outcomes\":[", f);
    for (int32_t k = SERVGAP_OUTCOME_NONE; k <= SERVGAP_OUTCOME_UNKNOWN; k++)
        fprintf(f, "%s\"%s\"", k ? "," : "", servgap_outcome_name(k));
    fputs("],\n", f);
}

/* [name, tier, value, health, flags, renewal, risk row, risk, windows
 * short, contributing findings, worst, own findings, trigger kinds,
 * review, plans] */
static void j_account(FILE *f, const acc_row *x)
{
    fputc('[', f);
    j_visible(f, x->a.name);
    fprintf(f, ",%d,", (int)x->a.tier);
    j_num(f, x->a.value);
    fputc(',', f);
    j_num(f, x->a.health);
    fprintf(f, ",%d,", (x->a.at_risk ? 1 : 0) | (x->a.churned ? 2 : 0));
    j_date(f, x->a.renewal);
    if (x->risk_row == SIZE_MAX) {
        fputs(",-1,null,0,0,null", f);
    } else {
        fprintf(f, ",%zu,", x->risk_row);
        j_num(f, x->risk.risk);
        fprintf(f, ",%d,%lld,", (int)x->risk.with_shortfall, (long long)x->risk.findings);
        j_num(f, x->risk.worst_normalized);
    }
    fprintf(f, ",%d,%u,", (int)x->findings, (unsigned)x->triggers);
    j_date(f, x->review);
    fprintf(f, ",%d]", (int)x->plans);
}

/* [index, account, touchpoint, metric, dimension, gap, value, impact,
 * effort, quadrant, flags, windows, root index or -1] */
static void j_findings(const html_doc *d)
{
    FILE *f = d->f;
    const char *sep = "";
    fputs("\"f\":[", f);
    for (size_t i = 0; i < d->n_findings; i++) {
        servgap_finding fd;
        INIT(fd);
        if (servgap_result_finding(d->r, i, &fd) != SERVGAP_OK ||
            fd.scope_kind != SERVGAP_SCOPE_ACCOUNT)
            continue;
        fprintf(f, "%s[%zu,%d,%d,%d,%d,%d,", sep, i, (int)fd.scope_id, (int)fd.touchpoint,
                (int)fd.metric, (int)fd.dimension, (int)fd.gap);
        j_num(f, fd.value);
        fputc(',', f);
        j_num(f, fd.impact);
        fputc(',', f);
        j_num(f, fd.effort);
        fprintf(f, ",%d,%u,%d,%lld]", (int)fd.quadrant, (unsigned)fd.flags, (int)fd.windows,
                fd.root == UINT64_MAX ? -1LL : (long long)fd.root);
        sep = ",\n";
    }
    fputs("],\n", f);
}

/* [index, account, kind, date, count, detail], quarterly reviews left out
 * (each account's row has its date). */
static void j_triggers(const html_doc *d)
{
    FILE *f = d->f;
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_TRIGGERS);
    const char *sep = "";
    fputs("\"t\":[", f);
    for (size_t i = 0; i < n; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(d->r, i, &t) != SERVGAP_OK ||
            t.kind == SERVGAP_TRIGGER_QUARTERLY_REVIEW)
            continue;
        fprintf(f, "%s[%zu,%d,%d,", sep, i, (int)t.account, (int)t.kind);
        j_date(f, t.date);
        fprintf(f, ",%lld,", (long long)t.count);
        j_visible(f, t.detail ? t.detail : "");
        fputc(']', f);
        sep = ",\n";
    }
    fputs("],\n", f);
}

/* [index, scope kind, scope id, touchpoint, metric, dimension, gap, owner,
 * deadline, outcome, overdue, next check, finding index or -1, baseline,
 * follow-up, change, lo, hi] */
static void j_plan(FILE *f, size_t i, const servgap_plan_status *p)
{
    fprintf(f, "[%zu,%d,%d,%d,%d,%d,%d,", i, (int)p->scope_kind, (int)p->scope_id,
            (int)p->touchpoint, (int)p->metric, (int)p->dimension, (int)p->gap);
    j_visible(f, p->owner ? p->owner : "");
    fputc(',', f);
    j_date(f, p->deadline);
    fprintf(f, ",%d,%d,", (int)p->outcome, p->overdue ? 1 : 0);
    j_date(f, p->next_check);
    fprintf(f, ",%lld", p->finding == UINT64_MAX ? -1LL : (long long)p->finding);
    const double nums[5] = {p->baseline, p->followup, p->change, p->lo, p->hi};
    for (int k = 0; k < 5; k++) {
        fputc(',', f);
        j_num(f, nums[k]);
    }
    fputc(']', f);
}

static void j_plans(const html_doc *d)
{
    FILE *f = d->f;
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_PLANS);
    const char *sep = "";
    fputs("\"p\":[", f);
    for (size_t i = 0; i < n; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(d->r, i, &p) != SERVGAP_OK)
            continue;
        fputs(sep, f);
        j_plan(f, i, &p);
        sep = ",\n";
    }
    fputs("]\n", f);
}

int html_data(const html_doc *d, const acc_row *rows)
{
    FILE *f = d->f;
    fprintf(f,
            "<script type=\"application/json\" id=\"servgap-data\">{\"K\":%.0f,\"page\":%d,"
            "\"conf\":",
            d->windows, HTML_ACCOUNT_PAGE);
    j_num(f, d->confidence);
    fputs(",\n", f);
    j_enums(f);
    j_names(f, d->ctx, "tiers", SERVGAP_KIND_TIER);
    j_names(f, d->ctx, "tps", SERVGAP_KIND_TOUCHPOINT);
    j_names(f, d->ctx, "metrics", SERVGAP_KIND_METRIC);
    fputs("\"acc\":[", f);
    for (size_t i = 0; i < d->n_accounts; i++) {
        fputs(i ? ",\n" : "", f);
        if (acc_listed(d, &rows[i]))
            j_account(f, &rows[i]);
        else
            fputc('0', f); /* keeps the indices that findings and triggers name */
    }
    fputs("],\n", f);
    j_findings(d);
    j_triggers(d);
    j_plans(d);
    fputs("}</script>\n", f);
    return 0;
}
