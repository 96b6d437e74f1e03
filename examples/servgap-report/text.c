/*
 * text.c -- the readable text report of one query result, in a support
 * leader's words.
 *
 * Sections, in order: a header (window, analysis date, counts, the
 * triggers apart from the routine reviews); per scope (tier or account,
 * --by) its biggest significant shortfalls, each delivery or communication
 * gap with the teams behind it (teams.c); with --by account, each account
 * ends with the findings of the priorities that name it (account.c), so
 * the two views agree; the ranked priorities (each with its plan,
 * plans.c); the remediation plans (plans.c); the review triggers and the
 * routine quarterly reviews (triggers.c); the accounts at risk.
 *
 * The statistics behind the words (the SERVQUAL table per scope, each
 * gap as a share of its scale, how gaps are oriented, the risk's ROC AUC)
 * print only with --detail: they answer an analyst's questions, not the
 * leader's. Everything is read from the result through the public
 * accessors; nothing is recomputed here. Empty tables print a line saying
 * so. Every name, unit and piece of evidence is printed made visible
 * (fmt.c's labels, put_visible), so the data cannot drive the terminal;
 * columns are padded by the visible text.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A gap row worth listing among a scope's biggest gaps. */
typedef struct candidate {
    int32_t scope_id;
    int32_t gap;
    size_t cell;
    double normalized;
} candidate;

static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->scope_id != y->scope_id)
        return x->scope_id < y->scope_id ? -1 : 1;
    if (x->normalized != y->normalized)
        return x->normalized < y->normalized ? -1 : 1;
    if (x->cell != y->cell)
        return x->cell < y->cell ? -1 : 1;
    return (x->gap > y->gap) - (x->gap < y->gap);
}

/* A significant shortfall: a resolved link whose interval lies below zero,
 * or an unresolved joined span with enough data whose interval does. */
static int is_shortfall(const servgap_gap *g)
{
    if (g->status == SERVGAP_STATUS_SHORTFALL)
        return 1;
    return g->status == SERVGAP_STATUS_UNRESOLVED && (g->flags & SERVGAP_GAPFLAG_SIGNIFICANT) &&
           g->value < 0;
}

/* The shortfalls of the chain links and communication in the item cells
 * (one metric at one touchpoint) of every scope of scope_kind. A joined
 * span, carried by several rows of a cell, is listed once. */
static int collect_gaps(const servgap_result *r, int32_t scope_kind, candidate **out, size_t *n)
{
    size_t cells = servgap_result_count(r, SERVGAP_TABLE_CELLS), cap = 0;
    candidate *c = NULL;
    *n = 0;
    for (size_t i = 0; i < cells; i++) {
        servgap_cell cell;
        uint32_t spans_seen = 0;
        INIT(cell);
        if (servgap_result_cell(r, i, &cell) != SERVGAP_OK || cell.scope_kind != scope_kind ||
            cell.touchpoint == SERVGAP_ALL || cell.metric == SERVGAP_ALL)
            continue;
        for (int32_t k = SERVGAP_GAP_KNOWLEDGE; k <= SERVGAP_GAP_PERCEPTION; k++) {
            servgap_gap g;
            INIT(g);
            if (servgap_result_gap(r, i, k, &g) != SERVGAP_OK || !is_shortfall(&g))
                continue;
            if (g.status == SERVGAP_STATUS_UNRESOLVED) {
                if (g.span & spans_seen)
                    continue;
                spans_seen |= g.span;
            }
            if (*n == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                candidate *nc = realloc(c, ncap * sizeof *nc);
                if (nc == NULL) {
                    free(c);
                    return -1;
                }
                c = nc;
                cap = ncap;
            }
            c[(*n)++] = (candidate){cell.scope_id, k, i, g.normalized};
        }
    }
    if (*n > 1)
        qsort(c, *n, sizeof *c, cmp_candidate);
    *out = c;
    return 0;
}

/* One line per scope: what it is, before its rows. */
static void scope_heading(FILE *out, servgap_ctx *ctx, int32_t kind, int32_t id)
{
    char buf[LABEL_CAP], money[32], date[11];
    if (kind == SERVGAP_SCOPE_TIER) {
        int32_t accounts = 0, members = 0;
        double value = 0;
        servgap_count(ctx, SERVGAP_KIND_ACCOUNT, &accounts);
        for (int32_t a = 0; a < accounts; a++) {
            servgap_account acc;
            INIT(acc);
            if (servgap_account_info(ctx, a, &acc) == SERVGAP_OK && acc.tier == id) {
                members++;
                value += acc.value;
            }
        }
        fprintf(out, "\n%s  (%d account%s, value %s)\n",
                scope_label(ctx, kind, id, buf, sizeof buf), (int)members, members == 1 ? "" : "s",
                fmt_money(value, money, sizeof money));
        return;
    }
    servgap_account acc;
    char tier[LABEL_CAP];
    INIT(acc);
    fprintf(out, "\n%s", scope_label(ctx, kind, id, buf, sizeof buf));
    if (servgap_account_info(ctx, id, &acc) == SERVGAP_OK) {
        fprintf(out, "  (%s, value %s",
                acc.tier >= 0 ? kind_name(ctx, SERVGAP_KIND_TIER, acc.tier, tier, sizeof tier)
                              : "no tier",
                fmt_money(acc.value, money, sizeof money));
        if (!isnan(acc.health))
            fprintf(out, ", health %.0f", acc.health);
        if (acc.at_risk)
            fputs(", at risk", out);
        if (acc.churned)
            fputs(", churned", out);
        if (acc.renewal != SERVGAP_TIME_NONE) {
            date_format(acc.renewal, date);
            fprintf(out, ", renewal %s", date);
        }
        fputc(')', out);
    }
    fputc('\n', out);
}

/* Column layout of the gap rows, shared by the heading; --detail adds
 * the normalized value before the cause. */
#define GAP_ROW  "  %-12s %-22s %-20s %9s %-5s %-18s "
#define GAP_NORM "%6s  "

/* The cause column: the cell's classification, the link of its largest
 * shortfall. When that is not the row's own gap, the row is a smaller
 * shortfall of the same touchpoint and metric: its value says why (a tie
 * goes to the upstream link, which moves everything downstream of it). */
static void cause(FILE *out, servgap_ctx *ctx, const servgap_cell *cell, const servgap_gap *g)
{
    char unit[LABEL_CAP];
    const char *name = class_label(cell);
    fputs(name, out);
    if (!strcmp(name, gap_label(g->gap, g->status, g->span)) || isnan(cell->class_normalized))
        return;
    if (cell->class_normalized == g->normalized) {
        fputs(" (as large; upstream first)", out);
        return;
    }
    const char *u = metric_unit(ctx, cell->metric, unit, sizeof unit);
    fprintf(out, " (larger: %+.2f%s%s)", cell->class_normalized * cell->span, *u ? " " : "", u);
}

static void gap_row(FILE *out, servgap_ctx *ctx, const servgap_result *r, const candidate *c,
                    const report_opts *o, const team_rows *teams)
{
    servgap_cell cell;
    servgap_gap g;
    char tp[LABEL_CAP], metric[LABEL_CAP], unit[LABEL_CAP], value[32], lo[32], hi[32], ci[72],
        norm[32];
    INIT(cell);
    INIT(g);
    if (servgap_result_cell(r, c->cell, &cell) != SERVGAP_OK ||
        servgap_result_gap(r, c->cell, c->gap, &g) != SERVGAP_OK)
        return;
    snprintf(ci, sizeof ci, "[%s, %s]", fmt_num(g.lo, "%+.2f", lo, sizeof lo),
             fmt_num(g.hi, "%+.2f", hi, sizeof hi));
    fprintf(out, GAP_ROW, touchpoint_label(ctx, cell.touchpoint, tp, sizeof tp),
            metric_label(ctx, cell.metric, cell.dimension, metric, sizeof metric),
            gap_label(g.gap, g.status, g.span), fmt_num(g.value, "%+.2f", value, sizeof value),
            metric_unit(ctx, cell.metric, unit, sizeof unit), ci);
    if (o->detail)
        fprintf(out, GAP_NORM, fmt_num(g.normalized, "%+.2f", norm, sizeof norm));
    cause(out, ctx, &cell, &g);
    fputc('\n', out);
    teams_line(out, ctx, r, teams, c->cell, g.gap, 4);
}

static int32_t scope_kind_of(const report_opts *o)
{
    return o->by == BY_ACCOUNT ? SERVGAP_SCOPE_ACCOUNT : SERVGAP_SCOPE_TIER;
}

static int32_t scope_count(servgap_ctx *ctx, int32_t kind)
{
    int32_t n = 0;
    servgap_count(ctx, kind == SERVGAP_SCOPE_TIER ? SERVGAP_KIND_TIER : SERVGAP_KIND_ACCOUNT, &n);
    return n;
}

/* What the columns and the gap names mean, in words; --detail adds how
 * the values are computed. */
static void gaps_legend(FILE *out, const report_opts *o, double confidence)
{
    fprintf(out,
            "(value: how far short, in the metric's unit (negative: a shortfall); likely range: "
            "%.0f%% sure\n the true value lies within; largest first as a share of the metric's "
            "scale; cause: the gap behind\n the largest shortfall of that touchpoint and metric, "
            "with its value where it is not the row's)\n",
            confidence * 100);
    fputs("(knowledge: we misjudge what customers expect; standards: our standard (SLA or quality "
          "target)\n asks less than we believe they expect; delivery: we miss our standard; "
          "communication: we miss\n what we promised; perception: customers perceive less than "
          "we delivered; service: customers get\n less than they expect; teams: how each team "
          "delivers against the standard and the promise)\n",
          out);
    if (o->detail)
        fputs("(detail: value = downstream minus upstream, oriented so that negative is a "
              "shortfall; norm: value /\n the metric's span; cause: the cell's classification, "
              "docs/concepts.md section 10)\n",
              out);
}

/* After an account's rows: the findings of the priorities that name it,
 * so that the account view and the priorities say the same. */
static void account_tail(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                         const account_findings *af, int32_t id, size_t rows)
{
    if (rows == 0 && account_findings_count(af, id) == 0) {
        fputs("  no significant shortfall, and no finding of the priorities names it\n", out);
        return;
    }
    if (rows == 0)
        fputs("  none of its touchpoints and metrics falls short significantly on its own\n", out);
    account_findings_line(out, ctx, r, af, id, 2);
}

/* One scope's rows, c[0 .. total): the first --top, and a count of the rest. */
static void scope_rows(FILE *out, servgap_ctx *ctx, const servgap_result *r, const candidate *c,
                       size_t total, const report_opts *o, const team_rows *teams)
{
    size_t shown = total < (size_t)o->top ? total : (size_t)o->top;
    if (total == 0)
        return;
    fprintf(out, GAP_ROW, "touchpoint", "metric", "gap", "value", "", "likely range");
    if (o->detail)
        fprintf(out, GAP_NORM, "norm");
    fputs("cause\n", out);
    for (size_t k = 0; k < shown; k++)
        gap_row(out, ctx, r, &c[k], o, teams);
    if (total > shown)
        fprintf(out, "  ... %zu more\n", total - shown);
}

static int section_gaps(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o,
                        double confidence, const team_rows *teams, const account_findings *af)
{
    int32_t kind = scope_kind_of(o), scopes = scope_count(ctx, kind);
    candidate *c = NULL;
    size_t n = 0, at = 0;
    if (collect_gaps(r, kind, &c, &n))
        return -1;
    fprintf(out, "\n== Biggest gaps per %s: up to %d significant shortfalls, largest first ==\n",
            o->by == BY_ACCOUNT ? "account" : "tier", o->top);
    gaps_legend(out, o, confidence);
    for (int32_t id = 0; id < scopes; id++) {
        size_t total = 0;
        scope_heading(out, ctx, kind, id);
        while (at < n && c[at].scope_id < id)
            at++;
        while (at + total < n && c[at + total].scope_id == id)
            total++;
        scope_rows(out, ctx, r, c + at, total, o, teams);
        if (kind == SERVGAP_SCOPE_ACCOUNT)
            account_tail(out, ctx, r, af, id, total);
        else if (total == 0)
            fputs("  no significant shortfall\n", out);
        at += total;
    }
    free(c);
    return 0;
}

/* A dimension roll-up mixes scales when the metric cells of its dimension
 * in the same scope and touchpoint have different spans; its gaps are then
 * means of normalized gaps (docs/concepts.md, section 9). Metric cells come
 * just before the roll-ups of their scope and touchpoint. */
static int rollup_mixed(const servgap_result *r, size_t rollup, const servgap_cell *ru)
{
    double first = NAN;
    for (size_t i = rollup; i-- > 0;) {
        servgap_cell c;
        INIT(c);
        if (servgap_result_cell(r, i, &c) != SERVGAP_OK || c.scope_kind != ru->scope_kind ||
            c.scope_id != ru->scope_id || c.touchpoint != ru->touchpoint)
            break;
        if (c.metric == SERVGAP_ALL || c.dimension != ru->dimension)
            continue;
        if (isnan(first))
            first = c.span;
        else if (c.span != first)
            return 1;
    }
    return 0;
}

static void servqual_row(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                         const servgap_servqual *s, int *mixed_seen)
{
    char scope[LABEL_CAP], tp[LABEL_CAP], b[8][72];
    fprintf(out, "  %-26s %-12s", scope_label(ctx, s->scope_kind, s->scope_id, scope, sizeof scope),
            touchpoint_label(ctx, s->touchpoint, tp, sizeof tp));
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++) {
        size_t idx;
        servgap_cell ru;
        int mixed = 0;
        INIT(ru);
        if (!isnan(s->dimension_gap[d]) &&
            servgap_result_find(r, s->scope_kind, s->scope_id, s->touchpoint, SERVGAP_ALL, d,
                                &idx) == SERVGAP_OK &&
            servgap_result_cell(r, idx, &ru) == SERVGAP_OK)
            mixed = rollup_mixed(r, idx, &ru);
        *mixed_seen |= mixed;
        fprintf(out, " %6s%c", fmt_num(s->dimension_gap[d], "%+.2f", b[0], sizeof b[0]),
                mixed ? '*' : ' ');
    }
    fprintf(out, " %7s %7s %7s", fmt_num(s->unweighted, "%+.2f", b[1], sizeof b[1]),
            fmt_num(s->item_mean, "%+.2f", b[2], sizeof b[2]),
            fmt_num(s->weighted, "%+.2f", b[3], sizeof b[3]));
    if (!isnan(s->weighted_lo))
        snprintf(b[7], sizeof b[7], "[%s, %s]", fmt_num(s->weighted_lo, "%+.2f", b[4], sizeof b[4]),
                 fmt_num(s->weighted_hi, "%+.2f", b[5], sizeof b[5]));
    else
        b[7][0] = '\0';
    fprintf(out, " %-16s %8s", b[7], fmt_num(s->servperf, "%.2f", b[6], sizeof b[6]));
    if (!isnan(s->importance_gap)) {
        const char *under = servgap_dimension_name(s->most_underweighted);
        fprintf(out, "  %4.2f %s", s->importance_gap, under ? under : "-");
    }
    fputc('\n', out);
}

static void section_servqual(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                             const report_opts *o, double confidence)
{
    int32_t kind = scope_kind_of(o);
    size_t n = servgap_result_count(r, SERVGAP_TABLE_SERVQUAL), shown = 0;
    int mixed_seen = 0;
    char ci[16];
    fprintf(out, "\n== SERVQUAL per %s: service gap (perceived - expected) per dimension ==\n",
            o->by == BY_ACCOUNT ? "account" : "tier");
    snprintf(ci, sizeof ci, "%.0f%% CI", confidence * 100);
    fprintf(out, "  %-26s %-12s %7s %7s %7s %7s %7s %7s %7s %7s %-16s %8s  %s\n", "scope",
            "touchpoint", "tang", "reli", "resp", "assu", "empa", "SQ", "items", "SQw", ci,
            "SERVPERF", "importance gap");
    /* Per scope: the row over all touchpoints first, then each touchpoint. */
    int32_t scopes = scope_count(ctx, kind);
    for (int32_t id = 0; id < scopes; id++) {
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < n; i++) {
                servgap_servqual s;
                INIT(s);
                if (servgap_result_servqual(r, i, &s) != SERVGAP_OK || s.scope_kind != kind ||
                    s.scope_id != id || (s.touchpoint == SERVGAP_ALL) != (pass == 0))
                    continue;
                servqual_row(out, ctx, r, &s, &mixed_seen);
                shown++;
            }
        }
    }
    if (shown == 0) {
        fputs("  no scope has both expected and perceived data\n", out);
        return;
    }
    fputs("  SQ: unweighted (mean of the dimension gaps); items: mean of the item gaps; SQw: "
          "weighted by\n  customer importance points; SERVPERF: mean perceived score; importance "
          "gap: share of the\n  100 points the provider places differently from customers, and "
          "the dimension it most under-weights.\n",
          out);
    if (mixed_seen)
        fputs("  *: the dimension mixes metrics of different scales, so its gap is a mean of "
              "normalized gaps\n  (fractions of each metric's span) rather than Likert points.\n",
              out);
}

/* One row of the priorities; a root cause (a tier finding that accounts'
 * own findings repeat) ends with its group's accounts and value. */
static void priority_row(FILE *out, servgap_ctx *ctx, const servgap_finding *f, double windows,
                         const char *plan)
{
    char scope[LABEL_CAP], tp[LABEL_CAP], metric[LABEL_CAP], value[32], share[32], held[32];
    char money[32], group[64] = "";
    snprintf(held, sizeof held, "%d/%.0f%s", (int)f->windows, windows,
             (f->flags & SERVGAP_FINDING_PERSISTENT) ? " persistent" : "");
    fprintf(out, "  %4d %-13s %6.1f %6.2f %8.2f  %-26s %-12s %-22s %-14s %8s %6s  %s", (int)f->rank,
            quadrant_label(f->quadrant), f->impact, f->effort, f->priority,
            scope_label(ctx, f->scope_kind, f->scope_id, scope, sizeof scope),
            touchpoint_label(ctx, f->touchpoint, tp, sizeof tp),
            metric_label(ctx, f->metric, f->dimension, metric, sizeof metric), finding_gap_label(f),
            fmt_num(f->value, "%+.2f", value, sizeof value),
            fmt_num(f->value_share * 100, "%.1f", share, sizeof share), held);
    if (f->members > 0)
        snprintf(group, sizeof group, "%lld account%s, value %s", (long long)f->members,
                 f->members == 1 ? "" : "s", fmt_money(f->members_value, money, sizeof money));
    if (*group || *plan)
        fprintf(out, "%*s%-*s%s", (int)(16 - strlen(held)), "", *plan ? 30 : 0, group, plan);
    fputc('\n', out);
}

/* What the priorities' columns mean, and how many findings the groups
 * hold that are not listed. */
static void priorities_legend(FILE *out, servgap_ctx *ctx, size_t n, size_t members, size_t nostd)
{
    double windows = 3, days = 30;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOWS, &windows);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOW_DAYS, &days);
    fprintf(out,
            "  impact 0..100: how large the shortfall is, how much account value it touches and "
            "how often;\n  priority = impact / effort; value: the shortfall in the metric's unit; "
            "value%%: share of all accounts'\n  value affected; windows: of the last %.0f windows "
            "of %.0f days, how many held the shortfall;\n  teams: how each team delivers against "
            "the standard and the promise.\n",
            windows, days);
    if (members > 0)
        fprintf(out,
                "  repeated by: the accounts whose own finding repeats this tier finding (same "
                "touchpoint, metric and gap)\n  and their value; those %zu of the %zu findings "
                "are counted here, not listed (--json has them, with their root).\n",
                members, n);
    if (nostd > 0)
        fputs("  no standard: customers expect a level that no standard defines; the value is the "
              "shortfall a standard\n  would have to close (docs/priorities.md, section 1).\n",
              out);
}

/* The findings in rank order, each root cause once: an account finding
 * that repeats its tier's finding (a member, root set) is counted in the
 * tier's row, not listed. A delivery or communication finding names the
 * teams it comes from. */
static void section_priorities(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                               const report_opts *o, const team_rows *teams)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS), listed = 0, members = 0, nostd = 0;
    double windows = 3;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOWS, &windows);
    fputs("\n== Priorities: what to fix first: quick wins, major projects, fill-ins, thankless "
          "tasks,\n   each by impact on account health per effort to fix ==\n",
          out);
    if (n == 0) {
        fputs("  no finding: no significant shortfall was found\n", out);
        return;
    }
    fprintf(out, "  %4s %-13s %6s %6s %8s  %-26s %-12s %-22s %-14s %8s %6s  %-16s%s\n", "rank",
            "quadrant", "impact", "effort", "priority", "scope", "touchpoint", "metric", "gap",
            "value", "value%", "windows", "repeated by");
    for (size_t i = 0; i < n; i++) {
        servgap_finding f;
        INIT(f);
        if (servgap_result_finding(r, i, &f) != SERVGAP_OK)
            continue;
        if (f.root != UINT64_MAX) {
            members++;
        } else if (o->priorities <= 0 || listed++ < (size_t)o->priorities) {
            char buf[2 * LABEL_CAP];
            nostd += (f.flags & SERVGAP_FINDING_NO_STANDARD) != 0;
            priority_row(out, ctx, &f, windows, finding_plan_label(r, i, buf, sizeof buf));
            teams_line(out, ctx, r, teams, (size_t)f.cell, f.gap, 7);
        }
    }
    if (o->priorities > 0 && listed > (size_t)o->priorities)
        fprintf(out, "  ... %zu more (--priorities 0 lists all; --json and --svg have all)\n",
                listed - (size_t)o->priorities);
    priorities_legend(out, ctx, n, members, nostd);
}

static int cmp_risk(const void *a, const void *b)
{
    const servgap_risk *x = a, *y = b;
    if (x->risk != y->risk)
        return x->risk > y->risk ? -1 : 1;
    return (x->account > y->account) - (x->account < y->account);
}

/* The top ten rows of the risk, highest first. */
static void risk_rows(FILE *out, servgap_ctx *ctx, const servgap_risk *rows, size_t m)
{
    fprintf(out, "  %-22s %5s %8s %8s %6s %12s\n", "account", "risk", "windows", "findings",
            "worst", "value");
    for (size_t i = 0; i < m && i < 10; i++) {
        char acc[LABEL_CAP], worst[32], money[32];
        if (rows[i].risk <= 0)
            break;
        fprintf(out, "  %-22s %5.2f %4d/%-3d %8lld %6s %12s%s\n",
                kind_name(ctx, SERVGAP_KIND_ACCOUNT, rows[i].account, acc, sizeof acc),
                rows[i].risk, (int)rows[i].with_shortfall, (int)rows[i].windows,
                (long long)rows[i].findings,
                fmt_num(rows[i].worst_normalized, "%+.2f", worst, sizeof worst),
                fmt_money(rows[i].value, money, sizeof money), rows[i].churned ? "  churned" : "");
    }
    if (m == 0 || rows[0].risk <= 0)
        fputs("  no account held a significant shortfall in the recent windows\n", out);
    else
        fputs("  (risk 0..1: in how many recent windows the account fell short, by how much, "
              "weighed by its\n   value; findings: its shortfalls over those windows; worst: "
              "the largest, as a share of the scale)\n",
              out);
}

static int section_risk(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_RISK), m = 0;
    double auc = NAN, windows = 3, days = 30;
    int64_t churned = 0, retained = 0;
    servgap_risk *rows;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOWS, &windows);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOW_DAYS, &days);
    fprintf(out,
            "\n== Accounts at risk: shortfalls that persist over the last %.0f windows of %.0f "
            "days ==\n",
            windows, days);
    if (n == 0) {
        fputs("  no account\n", out);
        return 0;
    }
    rows = calloc(n, sizeof *rows);
    if (rows == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        INIT(rows[m]);
        if (servgap_result_risk(r, i, &rows[m]) == SERVGAP_OK)
            m++;
    }
    qsort(rows, m, sizeof *rows, cmp_risk);
    risk_rows(out, ctx, rows, m);
    free(rows);
    if (o->detail && servgap_result_risk_auc(r, &auc, &churned, &retained) == SERVGAP_OK &&
        !isnan(auc))
        fprintf(out,
                "  how well the risk ranks the %lld churned against the %lld retained accounts: "
                "ROC AUC %.2f\n",
                (long long)churned, (long long)retained, auc);
    return 0;
}

/* "window ..., analysis date D": the window as given, --to inclusive. */
static void window_line(FILE *out, const servgap_result *r)
{
    int64_t from = SERVGAP_TIME_MIN, to = SERVGAP_TIME_MAX, now = SERVGAP_TIME_NONE;
    char a[11], b[11], c[11];
    servgap_result_window(r, &from, &to);
    servgap_result_now(r, &now);
    if (from == SERVGAP_TIME_MIN)
        snprintf(a, sizeof a, "(start)");
    else
        date_format(from, a);
    if (to == SERVGAP_TIME_MAX)
        snprintf(b, sizeof b, "(end)");
    else
        date_format(to - SERVGAP_DAY, b);
    date_format(now, c);
    if (from == SERVGAP_TIME_MIN && to == SERVGAP_TIME_MAX)
        fputs("window         all observations (no --from or --to)", out);
    else
        fprintf(out, "window         %s .. %s inclusive", a, b);
    if (from != SERVGAP_TIME_MIN && to != SERVGAP_TIME_MAX)
        fprintf(out, " (%lld days)", (long long)((to - from) / SERVGAP_DAY));
    fprintf(out, ", analysis date %s\n", c);
}

static void section_header(FILE *out, servgap_ctx *ctx, const servgap_result *r,
                           const report_opts *o)
{
    uint64_t obs = 0;
    int32_t accounts = 0, tiers = 0, touchpoints = 0, metrics = 0;
    size_t triggers = trigger_count(r, 0), reviews = trigger_count(r, 1);

    servgap_observation_count(ctx, &obs);
    servgap_count(ctx, SERVGAP_KIND_ACCOUNT, &accounts);
    servgap_count(ctx, SERVGAP_KIND_TIER, &tiers);
    servgap_count(ctx, SERVGAP_KIND_TOUCHPOINT, &touchpoints);
    servgap_count(ctx, SERVGAP_KIND_METRIC, &metrics);
    fputs("servgap-report: where customers get less than they expect, and what to fix first\n\n",
          out);
    window_line(out, r);
    fprintf(out,
            "data           %llu observations from %zu file%s; %d accounts in %d tiers; %d "
            "touchpoints; %d metrics\n",
            (unsigned long long)obs, o->n_observations, o->n_observations == 1 ? "" : "s",
            (int)accounts, (int)tiers, (int)touchpoints, (int)metrics);
    fprintf(out,
            "found          %zu findings, %zu review trigger%s, %zu routine quarterly review%s\n",
            servgap_result_count(r, SERVGAP_TABLE_FINDINGS), triggers, triggers == 1 ? "" : "s",
            reviews, reviews == 1 ? "" : "s");
    if (o->detail)
        fprintf(out, "result         %zu cells (scope x touchpoint x metric, and roll-ups)\n",
                servgap_result_count(r, SERVGAP_TABLE_CELLS));
}

int text_report(FILE *out, servgap_ctx *ctx, const servgap_result *r, const report_opts *o)
{
    double confidence = 0.95;
    int rc = -1;
    team_rows *teams = team_rows_new(r);
    account_findings *af = account_findings_new(ctx, r);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, &confidence);
    if (teams == NULL || af == NULL)
        goto done;
    section_header(out, ctx, r, o);
    if (section_gaps(out, ctx, r, o, confidence, teams, af))
        goto done;
    if (o->detail)
        section_servqual(out, ctx, r, o, confidence);
    section_priorities(out, ctx, r, o, teams);
    section_plans(out, ctx, r, confidence);
    section_triggers(out, ctx, r, o);
    section_reviews(out, ctx, r);
    rc = section_risk(out, ctx, r, o);
done:
    team_rows_free(teams);
    account_findings_free(af);
    if (rc == 0)
        return 0;
    fputs(PROG ": out of memory\n", stderr);
    return EXIT_DATA;
}
