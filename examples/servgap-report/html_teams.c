/*
 * html_teams.c -- where delivery and communication gaps concentrate, by
 * team, in the HTML page.
 *
 * A team's breakdown rows compare what the team delivered in a cell with
 * the cell's standard (delivery) and, where the cell has one, with its
 * promise (communication). The page counts, per team and per tier and
 * touchpoint, the rows whose interval lies wholly below zero, among the
 * rows of the tiers' metric cells: a tier pools its accounts, so every
 * delivery is counted once, and roll-ups would count it again. A heat map
 * shows where the counts gather; the table gives each team's counts and
 * its largest shortfall relative to the metric's span.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

/* Teams and tiers the heat map shows at most, the teams with most shortfalls first. */
#define TEAMS_MAX 30
#define TIERS_MAX 12
/* The width of a heat map column: room for a tier or touchpoint name. */
#define COL_W 76.0

typedef struct team_sum {
    int32_t team;
    long long rows[2], shortfalls[2]; /* [0] delivery, [1] communication */
    double worst;                     /* the lowest normalized shortfall */
    size_t worst_row;
} team_sum;

typedef struct teams {
    int32_t n_teams, n_tp, n_tiers;
    team_sum *sum;         /* n_teams */
    long long *hits, *cmp; /* n_teams x (n_tiers x n_tp) */
} teams;

static void teams_free(teams *t)
{
    free(t->sum);
    free(t->hits);
    free(t->cmp);
}

static int teams_alloc(const html_doc *d, teams *t)
{
    servgap_count(d->ctx, SERVGAP_KIND_TEAM, &t->n_teams);
    servgap_count(d->ctx, SERVGAP_KIND_TOUCHPOINT, &t->n_tp);
    t->n_tiers = d->n_tiers < TIERS_MAX ? d->n_tiers : TIERS_MAX;
    size_t cells = (size_t)t->n_teams * (size_t)t->n_tiers * (size_t)t->n_tp;
    t->sum = calloc(t->n_teams ? (size_t)t->n_teams : 1, sizeof *t->sum);
    t->hits = calloc(cells ? cells : 1, sizeof *t->hits);
    t->cmp = calloc(cells ? cells : 1, sizeof *t->cmp);
    for (int32_t k = 0; t->sum != NULL && k < t->n_teams; k++)
        t->sum[k].team = k, t->sum[k].worst = NAN;
    return t->sum && t->hits && t->cmp ? 0 : -1;
}

/* One breakdown row counted into its team's sums, if it is a team's
 * delivery or communication row of a tier's metric cell. */
static void count_row(teams *t, const servgap_breakdown *b, const servgap_cell *c, size_t i)
{
    int which = b->gap == SERVGAP_GAP_COMMUNICATION;
    if (b->facet != SERVGAP_FACET_TEAM || b->facet_id < 0 || b->facet_id >= t->n_teams ||
        (b->gap != SERVGAP_GAP_DELIVERY && !which) || c->scope_kind != SERVGAP_SCOPE_TIER ||
        c->scope_id >= t->n_tiers || c->touchpoint < 0 || c->touchpoint >= t->n_tp ||
        c->metric == SERVGAP_ALL || !isfinite(b->value))
        return;
    team_sum *s = &t->sum[b->facet_id];
    size_t at = ((size_t)b->facet_id * (size_t)t->n_tiers + (size_t)c->scope_id) * (size_t)t->n_tp +
                (size_t)c->touchpoint;
    int hit = b->status == SERVGAP_STATUS_SHORTFALL && (b->flags & SERVGAP_GAPFLAG_SIGNIFICANT);
    s->rows[which]++;
    t->cmp[at]++;
    if (!hit)
        return;
    s->shortfalls[which]++;
    t->hits[at]++;
    if (isnan(s->worst) || b->normalized < s->worst)
        s->worst = b->normalized, s->worst_row = i;
}

static void count_all(const html_doc *d, teams *t)
{
    size_t n = servgap_result_count(d->r, SERVGAP_TABLE_BREAKDOWN);
    servgap_cell c;
    uint64_t have = UINT64_MAX;
    INIT(c);
    for (size_t i = 0; i < n; i++) {
        servgap_breakdown b;
        INIT(b);
        if (servgap_result_breakdown(d->r, i, &b) != SERVGAP_OK || b.facet != SERVGAP_FACET_TEAM)
            continue;
        if (b.cell != have) { /* rows come grouped by cell */
            INIT(c);
            if (servgap_result_cell(d->r, (size_t)b.cell, &c) != SERVGAP_OK)
                continue;
            have = b.cell;
        }
        count_row(t, &b, &c, i);
    }
}

static int by_shortfalls(const void *a, const void *b)
{
    const team_sum *x = a, *y = b;
    long long nx = x->shortfalls[0] + x->shortfalls[1], ny = y->shortfalls[0] + y->shortfalls[1];
    if (nx != ny)
        return nx > ny ? -1 : 1;
    return (x->team > y->team) - (x->team < y->team);
}

/* Whether any team has a compared row at column col (tier x touchpoint). */
static int column_used(const teams *t, size_t col)
{
    size_t cols = (size_t)t->n_tiers * (size_t)t->n_tp;
    for (int32_t k = 0; k < t->n_teams; k++)
        if (t->cmp[(size_t)k * cols + col])
            return 1;
    return 0;
}

static void heat_cell(const html_doc *d, const teams *t, const team_sum *s, size_t col, double x,
                      double y, long long max)
{
    FILE *f = d->f;
    size_t at = (size_t)s->team * (size_t)t->n_tiers * (size_t)t->n_tp + col;
    long long hits = t->hits[at], cmp = t->cmp[at];
    double level = max > 0 ? (double)hits / (double)max : 0;
    fprintf(f,
            "<g><rect class=\"heat\" x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"22\" "
            "style=\"fill-opacity:%.2f\"/>",
            x, y, COL_W - 4, cmp == 0 ? 0.0 : 0.08 + 0.92 * level);
    fputs("<title>", f);
    h_name(f, d->ctx, SERVGAP_KIND_TEAM, s->team);
    fprintf(f, ": %lld of %lld comparisons with the standard or promise fall short</title>", hits,
            cmp);
    if (cmp > 0)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%lld</text>",
                x + (COL_W - 4) / 2, y + 15, level > 0.55 ? " class=\"inv\"" : "", hits);
    fputs("</g>", f);
}

static void heat_header(const html_doc *d, const teams *t, const size_t *cols, size_t nc)
{
    FILE *f = d->f;
    for (size_t k = 0; k < nc; k++) {
        int32_t tier = (int32_t)(cols[k] / (size_t)t->n_tp),
                tp = (int32_t)(cols[k] % (size_t)t->n_tp);
        double x = 150 + COL_W * (double)k + (COL_W - 4) / 2;
        fprintf(f, "<text class=\"colh\" x=\"%.1f\" y=\"14\" text-anchor=\"middle\">", x);
        h_name(f, d->ctx, SERVGAP_KIND_TIER, tier);
        fprintf(f, "</text><text class=\"colh\" x=\"%.1f\" y=\"28\" text-anchor=\"middle\">", x);
        h_name(f, d->ctx, SERVGAP_KIND_TOUCHPOINT, tp);
        fputs("</text>", f);
    }
}

static void heat_map(const html_doc *d, const teams *t, const team_sum *order, int32_t rows)
{
    FILE *f = d->f;
    size_t all = (size_t)t->n_tiers * (size_t)t->n_tp, nc = 0;
    size_t *cols = calloc(all ? all : 1, sizeof *cols);
    long long max = 0;
    if (cols == NULL)
        return;
    for (size_t c = 0; c < all && nc < 16; c++)
        if (column_used(t, c))
            cols[nc++] = c;
    for (size_t k = 0; k < (size_t)t->n_teams * all; k++)
        max = t->hits[k] > max ? t->hits[k] : max;
    double w = 160 + COL_W * (double)nc, h = 40 + 26 * (double)rows;
    fprintf(f,
            "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
            "class=\"heatsvg\"><title>Significant delivery and communication shortfalls per "
            "team, tier and touchpoint</title>\n",
            w, h, w * 1.25, h * 1.25);
    heat_header(d, t, cols, nc);
    for (int32_t r = 0; r < rows; r++) {
        double y = 36 + 26 * (double)r;
        fprintf(f, "<text class=\"rowl\" x=\"142\" y=\"%.1f\" text-anchor=\"end\">", y + 15);
        h_name(f, d->ctx, SERVGAP_KIND_TEAM, order[r].team);
        fputs("</text>", f);
        for (size_t k = 0; k < nc; k++)
            heat_cell(d, t, &order[r], cols[k], 150 + COL_W * (double)k, y, max);
        fputc('\n', f);
    }
    fputs("</svg>\n", f);
    free(cols);
}

/* Where a team's worst shortfall is: the tier cell of its breakdown row. */
static void worst_cell(const html_doc *d, const team_sum *s)
{
    FILE *f = d->f;
    servgap_breakdown b;
    servgap_cell c;
    INIT(b);
    INIT(c);
    if (isnan(s->worst) || servgap_result_breakdown(d->r, s->worst_row, &b) != SERVGAP_OK ||
        servgap_result_cell(d->r, (size_t)b.cell, &c) != SERVGAP_OK) {
        fputs("<td>&ndash;</td>", f);
        return;
    }
    fputs("<td>", f);
    h_scope(f, d->ctx, c.scope_kind, c.scope_id);
    fputs(" / ", f);
    h_touchpoint(f, d->ctx, c.touchpoint);
    fputs(" / ", f);
    h_metric(f, d->ctx, c.metric, c.dimension);
    fprintf(f, " <span data-j=\"breakdowns.%zu.gap\">%s</span>: ", s->worst_row, GAP_NAME(b.gap));
    h_num(f, "%+.2f", b.value, "breakdowns.%zu.value", s->worst_row);
    fputs(" <small>(", f);
    h_num(f, "%+.2f", b.normalized, "breakdowns.%zu.normalized", s->worst_row);
    fputs(" of the span)</small></td>", f);
}

static void team_table(const html_doc *d, const team_sum *order, int32_t rows)
{
    FILE *f = d->f;
    fputs("<table class=\"grid\"><thead><tr><th>team</th><th>delivery: short / compared</th>"
          "<th>communication: short / compared</th><th>largest shortfall</th></tr></thead>"
          "<tbody>\n",
          f);
    for (int32_t r = 0; r < rows; r++) {
        const team_sum *s = &order[r];
        fputs("<tr><th scope=\"row\">", f);
        h_name(f, d->ctx, SERVGAP_KIND_TEAM, s->team);
        fprintf(f, "</th><td class=\"num\">%lld / %lld</td><td class=\"num\">%lld / %lld</td>",
                s->shortfalls[0], s->rows[0], s->shortfalls[1], s->rows[1]);
        worst_cell(d, s);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

int html_teams(const html_doc *d)
{
    teams t = {0};
    if (teams_alloc(d, &t) != 0) {
        teams_free(&t);
        return -1;
    }
    count_all(d, &t);
    qsort(t.sum, (size_t)t.n_teams, sizeof *t.sum, by_shortfalls);
    int32_t rows = t.n_teams < TEAMS_MAX ? t.n_teams : TEAMS_MAX;
    fputs("<section id=\"teams\" aria-labelledby=\"h-teams\">\n<h2 id=\"h-teams\">Teams: where "
          "delivery and communication gaps concentrate</h2>\n<p class=\"note\">Each team's "
          "deliveries in the tiers' metric cells against the standard (delivery) and the promise "
          "(communication): how many of those comparisons fall significantly short, per tier and "
          "touchpoint. Darker: more.</p>\n",
          d->f);
    if (rows == 0)
        fputs("<p>No team is named in the data.</p>\n", d->f);
    else {
        heat_map(d, &t, t.sum, rows);
        team_table(d, t.sum, rows);
    }
    fputs("</section>\n", d->f);
    teams_free(&t);
    return 0;
}
