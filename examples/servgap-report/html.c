/*
 * html.c -- the HTML page of a result (--html FILE): one self-contained
 * file, its head and navigation, the overview section, and the order of
 * the sections the other html_*.c files write.
 *
 * The page loads nothing: its style sheet and script are compiled into
 * the program (html_assets.c), its charts are inline SVG, and a Content
 * Security Policy tells the browser to fetch nothing at all, so the file
 * opens from disk anywhere, offline. Everything but sorting, filtering,
 * paging and drilling down into the accounts is static HTML, readable
 * with JavaScript off.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static const char *const sections[][2] = {{"overview", "Overview"}, {"matrix", "Impact vs effort"},
                                          {"chain", "Gap chain"},   {"tiers", "Tiers"},
                                          {"trends", "Trends"},     {"teams", "Teams"},
                                          {"accounts", "Accounts"}, {"plans", "Plans"}};

/* "2026-01-01 .. 2026-12-31", or that the query read all observations. */
static void window_text(FILE *f, const servgap_result *r)
{
    int64_t from = SERVGAP_TIME_MIN, to = SERVGAP_TIME_MAX;
    servgap_result_window(r, &from, &to);
    if (from == SERVGAP_TIME_MIN && to == SERVGAP_TIME_MAX) {
        fputs("all observations", f);
        return;
    }
    if (from == SERVGAP_TIME_MIN)
        fputs("(start)", f);
    else
        h_date(f, from, "window.from");
    fputs(" .. ", f);
    if (to == SERVGAP_TIME_MAX)
        fputs("(end)", f);
    else
        h_date(f, to - SERVGAP_DAY, NULL);
}

static void head(const html_doc *d)
{
    FILE *f = d->f;
    int64_t now = SERVGAP_TIME_NONE;
    servgap_result_now(d->r, &now);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
          "<title>Satisfaction gaps as of ",
          f);
    h_date(f, now, NULL);
    fputs(" - servgap-report</title>\n<style>\n", f);
    fwrite(html_css, 1, html_css_len, f);
    /* First, so that it also catches an error of the page's own script. */
    fputs("</style>\n<script>window.addEventListener('error',function(e){var h=document."
          "documentElement;h.setAttribute('data-js-errors',(h.getAttribute('data-js-errors')||'')"
          "+(e.message||'error')+'; ');});</script>\n</head>\n",
          f);
}

static void banner(const html_doc *d)
{
    FILE *f = d->f;
    int64_t now = SERVGAP_TIME_NONE;
    servgap_result_now(d->r, &now);
    fputs("<body>\n<header class=\"top\">\n<h1>Satisfaction gaps</h1>\n<p class=\"sub\">Window: ",
          f);
    window_text(f, d->r);
    fputs(" &middot; analysis date ", f);
    h_date(f, now, "now");
    fprintf(f, " &middot; libservgap %s</p>\n<nav aria-label=\"Sections\">",
            servgap_version_string());
    for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++)
        fprintf(f, "<a href=\"#%s\">%s</a>", sections[k][0], sections[k][1]);
    fputs("</nav>\n</header>\n<main>\n", f);
}

/* The tier of a finding's scope: its own, or its account's; -1 none. */
static int32_t finding_tier(servgap_ctx *ctx, const servgap_finding *fd)
{
    servgap_account a;
    if (fd->scope_kind == SERVGAP_SCOPE_TIER)
        return fd->scope_id;
    INIT(a);
    if (servgap_account_info(ctx, fd->scope_id, &a) != SERVGAP_OK)
        return -1;
    return a.tier;
}

/* Counts of findings per gap type, tier (the last column: no tier) and
 * scope kind (0 tier, 1 account). */
typedef long long gap_counts[SERVGAP_GAP_COUNT][2];

static gap_counts *count_findings(const html_doc *d)
{
    gap_counts *c = calloc((size_t)d->n_tiers + 1, sizeof *c);
    for (size_t i = 0; c != NULL && i < d->n_findings; i++) {
        servgap_finding fd;
        INIT(fd);
        if (servgap_result_finding(d->r, i, &fd) != SERVGAP_OK || fd.gap < 0 ||
            fd.gap >= SERVGAP_GAP_COUNT)
            continue;
        int32_t t = finding_tier(d->ctx, &fd);
        if (t < 0 || t >= d->n_tiers)
            t = d->n_tiers;
        c[t][fd.gap][fd.scope_kind == SERVGAP_SCOPE_ACCOUNT]++;
    }
    return c;
}

/* One cell of the findings table: the count, and its tier / account split. */
static void count_cell(FILE *f, const char *gap, const char *tier, long long tier_n,
                       long long acc_n)
{
    char key[LABEL_CAP + 64];
    fputs("<td>", f);
    snprintf(key, sizeof key, "findings gap=%s tier=%s", gap, tier);
    h_count(f, tier_n + acc_n, key);
    if (tier_n + acc_n > 0) {
        fputs(" <small>(", f);
        snprintf(key, sizeof key, "findings gap=%s tier=%s scope=tier", gap, tier);
        h_count(f, tier_n, key);
        fputs(" tier, ", f);
        snprintf(key, sizeof key, "findings gap=%s tier=%s scope=account", gap, tier);
        h_count(f, acc_n, key);
        fputs(" account)</small>", f);
    }
    fputs("</td>", f);
}

static void findings_row(const html_doc *d, gap_counts *c, int32_t g, int with_none)
{
    FILE *f = d->f;
    long long tier_n = 0, acc_n = 0;
    char name[LABEL_CAP];
    fprintf(f, "<tr><th scope=\"row\"><i class=\"sw %s\"></i>%s</th>", gap_class(g), GAP_NAME(g));
    for (int32_t t = 0; t <= d->n_tiers; t++) {
        if (t == d->n_tiers && !with_none)
            break;
        const char *tier =
            t < d->n_tiers ? kind_name(d->ctx, SERVGAP_KIND_TIER, t, name, sizeof name) : "(none)";
        count_cell(f, GAP_NAME(g), tier, c[t][g][0], c[t][g][1]);
        tier_n += c[t][g][0];
        acc_n += c[t][g][1];
    }
    count_cell(f, GAP_NAME(g), "*", tier_n, acc_n);
    fputs("</tr>\n", f);
}

static void overview_findings(const html_doc *d)
{
    FILE *f = d->f;
    gap_counts *c = count_findings(d);
    int with_none = 0;
    if (c == NULL)
        return;
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++)
        with_none |= c[d->n_tiers][g][0] + c[d->n_tiers][g][1] > 0;
    fputs("<h3>Findings by gap type and tier</h3>\n<div class=\"scroll\"><table class=\"grid\">"
          "<thead><tr><th>gap type</th>",
          f);
    for (int32_t t = 0; t < d->n_tiers; t++) {
        fputs("<th>", f);
        h_name(f, d->ctx, SERVGAP_KIND_TIER, t);
        fputs("</th>", f);
    }
    fprintf(f, "%s<th>all</th></tr></thead>\n<tbody>\n", with_none ? "<th>(no tier)</th>" : "");
    for (int32_t g = SERVGAP_GAP_KNOWLEDGE; g <= SERVGAP_GAP_PERCEPTION; g++)
        findings_row(d, c, g, with_none);
    findings_row(d, c, SERVGAP_GAP_SERVICE, with_none);
    findings_row(d, c, SERVGAP_GAP_ADEQUACY, with_none);
    fputs("</tbody></table></div>\n<p class=\"note\">A tier finding covers the tier's pooled "
          "data; an account finding, one account of the tier (account findings that repeat "
          "their tier's finding are counted too).</p>\n",
          f);
    free(c);
}

/* Triggers per kind, and the earliest date of each. */
static void overview_triggers(const html_doc *d)
{
    FILE *f = d->f;
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_TRIGGERS);
    long long count[6] = {0};
    int64_t first[6];
    for (int k = 0; k < 6; k++)
        first[k] = SERVGAP_TIME_NONE;
    for (size_t i = 0; i < n; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(d->r, i, &t) != SERVGAP_OK || t.kind < 1 || t.kind > 5)
            continue;
        count[t.kind]++;
        if (first[t.kind] == SERVGAP_TIME_NONE || t.date < first[t.kind])
            first[t.kind] = t.date;
    }
    fputs("<h3>Review triggers due</h3>\n<table class=\"grid\"><thead><tr><th>trigger</th>"
          "<th>accounts</th><th>first date</th></tr></thead><tbody>\n",
          f);
    for (int32_t k = SERVGAP_TRIGGER_RENEWAL; k <= SERVGAP_TRIGGER_QUARTERLY_REVIEW; k++) {
        char key[48];
        snprintf(key, sizeof key, "triggers kind=%s", servgap_trigger_name(k));
        fprintf(f, "<tr%s><th scope=\"row\">%s</th><td>",
                k == SERVGAP_TRIGGER_QUARTERLY_REVIEW ? " class=\"quiet\"" : "",
                servgap_trigger_name(k));
        h_count(f, count[k], key);
        fputs("</td><td>", f);
        h_date(f, first[k], NULL);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void overview_plans(const html_doc *d)
{
    FILE *f = d->f;
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_PLANS);
    long long overdue = 0, outcome[SERVGAP_OUTCOME_UNKNOWN + 1] = {0};
    for (size_t i = 0; i < n; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(d->r, i, &p) != SERVGAP_OK || p.outcome < 0 ||
            p.outcome > SERVGAP_OUTCOME_UNKNOWN)
            continue;
        overdue += p.overdue != 0;
        outcome[p.outcome]++;
    }
    fputs("<h3>Plans</h3>\n<p>", f);
    h_count(f, (long long)n, "plans");
    fputs(" plans, <b class=\"bad\">", f);
    h_count(f, overdue, "plans overdue");
    fputs(" overdue</b> (deadline passed, not closed)", f);
    for (int32_t k = SERVGAP_OUTCOME_NONE; k <= SERVGAP_OUTCOME_UNKNOWN; k++) {
        char key[48];
        if (outcome[k] == 0)
            continue;
        snprintf(key, sizeof key, "plans outcome=%s", servgap_outcome_name(k));
        fputs("; ", f);
        h_count(f, outcome[k], key);
        fprintf(f, " %s",
                k == SERVGAP_OUTCOME_NONE ? "not re-measured yet" : servgap_outcome_name(k));
    }
    fputs(".</p>\n", f);
}

/* How much data: what the handle holds and what the result made of it. */
static void overview_data(const html_doc *d)
{
    FILE *f = d->f;
    uint64_t obs = 0;
    int32_t n[4] = {0, 0, 0, 0};
    static const int32_t kinds[4] = {SERVGAP_KIND_TOUCHPOINT, SERVGAP_KIND_METRIC,
                                     SERVGAP_KIND_TEAM, SERVGAP_KIND_ACCOUNT};
    servgap_observation_count(d->ctx, &obs);
    for (int k = 0; k < 4; k++)
        servgap_count(d->ctx, kinds[k], &n[k]);
    fputs("<dl class=\"facts\"><dt>window</dt><dd>", f);
    window_text(f, d->r);
    fprintf(f,
            "</dd><dt>observations</dt><dd>%llu</dd><dt>accounts</dt><dd>%d in %d tiers</dd>"
            "<dt>touchpoints, metrics, teams</dt><dd>%d, %d, %d</dd><dt>cells</dt><dd>",
            (unsigned long long)obs, (int)n[3], (int)d->n_tiers, (int)n[0], (int)n[1], (int)n[2]);
    h_count(f, (long long)servgap_result_count(d->r, SERVGAP_TABLE_CELLS), "cells");
    fputs("</dd><dt>findings</dt><dd>", f);
    h_count(f, (long long)d->n_findings, "findings");
    fputs("</dd></dl>\n", f);
}

/* One figure at a glance: a count the page derives, and what it counts. */
static void kpi(FILE *f, long long n, const char *key, const char *what, int alarm)
{
    fprintf(f, "<div class=\"kpi%s\"><b>", alarm && n > 0 ? " alarm" : "");
    h_count(f, n, key);
    fprintf(f, "</b><span>%s</span></div>", what);
}

static void overview_kpis(const html_doc *d)
{
    size_t nt = servgap_result_count(d->r, SERVGAP_TABLE_TRIGGERS);
    size_t np = servgap_result_count(d->r, SERVGAP_TABLE_PLANS);
    long long quick = 0, due = 0, overdue = 0;
    for (size_t i = 0; i < d->n_findings; i++) {
        servgap_finding fd;
        INIT(fd);
        if (servgap_result_finding(d->r, i, &fd) == SERVGAP_OK)
            quick += fd.quadrant == SERVGAP_QUADRANT_QUICK_WIN;
    }
    for (size_t i = 0; i < nt; i++) {
        servgap_trigger t;
        INIT(t);
        if (servgap_result_trigger(d->r, i, &t) == SERVGAP_OK)
            due += t.kind != SERVGAP_TRIGGER_QUARTERLY_REVIEW;
    }
    for (size_t i = 0; i < np; i++) {
        servgap_plan_status p;
        INIT(p);
        if (servgap_result_plan(d->r, i, &p) == SERVGAP_OK)
            overdue += p.overdue != 0;
    }
    fputs("<div class=\"kpis\">", d->f);
    kpi(d->f, (long long)d->n_findings, "findings", "findings", 0);
    kpi(d->f, quick, "findings quadrant=quick_win", "quick wins", 0);
    kpi(d->f, due, "triggers due",
        "review triggers due (renewal, CSAT spike, migration, hidden gap)", 1);
    kpi(d->f, overdue, "plans overdue", "plans overdue", 1);
    fputs("</div>\n", d->f);
}

void html_overview(const html_doc *d)
{
    fputs("<section id=\"overview\" aria-labelledby=\"h-overview\">\n<h2 id=\"h-overview\">"
          "Overview</h2>\n",
          d->f);
    overview_kpis(d);
    fputs("<div class=\"cols\"><div>", d->f);
    overview_data(d);
    overview_plans(d);
    fputs("</div><div>", d->f);
    overview_triggers(d);
    fputs("</div></div>\n", d->f);
    overview_findings(d);
    fputs("</section>\n", d->f);
}

static int write_page(const html_doc *d)
{
    head(d);
    banner(d);
    html_overview(d);
    if (html_matrix(d) || html_chains(d))
        return -1;
    html_tiers(d);
    if (html_trends(d) || html_teams(d) || html_accounts(d))
        return -1;
    html_plans(d);
    fprintf(d->f,
            "</main>\n<footer>Written by servgap-report from the result its JSON report is "
            "written from (libservgap %s). Static without JavaScript; the accounts table sorts, "
            "filters, pages and drills down with it.</footer>\n<script>\n",
            servgap_version_string());
    fwrite(html_js, 1, html_js_len, d->f);
    fputs("</script>\n</body>\n</html>\n", d->f);
    return 0;
}

static void doc_init(html_doc *d, FILE *f, servgap_ctx *ctx, const servgap_result *r,
                     const report_opts *o)
{
    int32_t accounts = 0;
    memset(d, 0, sizeof *d);
    d->f = f, d->ctx = ctx, d->r = r, d->o = o;
    d->n_findings = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    servgap_count(ctx, SERVGAP_KIND_ACCOUNT, &accounts);
    servgap_count(ctx, SERVGAP_KIND_TIER, &d->n_tiers);
    d->n_accounts = (size_t)accounts;
    d->summary = o->level == SERVGAP_LEVEL_SUMMARY;
    d->confidence = 0.95, d->windows = 3, d->impact_cut = 25, d->effort_cut = 3;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, &d->confidence);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOWS, &d->windows);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_IMPACT_CUT, &d->impact_cut);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_EFFORT_CUT, &d->effort_cut);
}

int html_write(const char *path, servgap_ctx *ctx, const servgap_result *r, const report_opts *o)
{
    html_doc d;
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return EXIT_DATA;
    }
    doc_init(&d, f, ctx, r, o);
    int failed = write_page(&d), werr = ferror(f);
    if (failed)
        fputs(PROG ": out of memory writing the HTML page\n", stderr);
    else if (werr)
        fprintf(stderr, PROG ": %s: write failed\n", path);
    if (fclose(f) != 0 && !failed && !werr) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        failed = 1;
    }
    return failed || werr ? EXIT_DATA : 0;
}
