/*
 * html_chain.c -- the picture of the five gaps for one cell, and the
 * section that shows it for the cells of the top findings.
 *
 * The levels of the chain stand left to right, expected -> believed ->
 * standard -> delivered -> perceived, each at its mean, with "better"
 * up whatever the metric's direction (hours: fewer is higher), and
 * promised beside delivered. Each link is drawn from level to level and
 * labelled with its gap and interval: knowledge, standards, delivery and
 * perception along the chain, communication between promised and
 * delivered, and the service gap (perceived against expected) at the
 * right. Where the customers said what they would accept, the band from
 * adequate to expected is the zone of tolerance. A level without data
 * shows as such, and a link the data cannot resolve is drawn as the
 * joined span the library measured instead. A table under the picture
 * holds the same numbers as text.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

/* The columns of the levels: expected, adequate (none: a band), believed,
 * standard, delivered, promised, perceived (SERVGAP_VP_* order). */
static const double col_x[SERVGAP_VP_COUNT] = {70, -1, 200, 330, 460, 545, 660};

/* The links of the chain in order: gap, upstream and downstream viewpoint. */
static const int32_t links[4][3] = {
    {SERVGAP_GAP_KNOWLEDGE, SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED},
    {SERVGAP_GAP_STANDARDS, SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD},
    {SERVGAP_GAP_DELIVERY, SERVGAP_VP_STANDARD, SERVGAP_VP_DELIVERED},
    {SERVGAP_GAP_PERCEPTION, SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED}};

typedef struct chain {
    servgap_cell c;
    servgap_gap g[SERVGAP_GAP_COUNT];
    double lo, hi;   /* the oriented values at the bottom and top of the plot */
    double sign;     /* +1 higher is better, -1 lower */
    double top, bot; /* the plot's y range */
} chain;

/* +1 or -1: which way a gap's sign runs against its sides' means. */
static double orientation(const chain *ch)
{
    const int32_t(*k)[3] = links;
    for (int i = 0; i < 4; i++) {
        const servgap_gap *g = &ch->g[k[i][0]];
        double diff = ch->c.mean[k[i][2]] - ch->c.mean[k[i][1]];
        if (isfinite(g->value) && isfinite(diff) && diff != 0 && g->value != 0)
            return (g->value > 0) == (diff > 0) ? 1 : -1;
    }
    double diff = ch->c.mean[SERVGAP_VP_PERCEIVED] - ch->c.mean[SERVGAP_VP_EXPECTED];
    const servgap_gap *s = &ch->g[SERVGAP_GAP_SERVICE];
    if (isfinite(s->value) && isfinite(diff) && diff != 0 && s->value != 0)
        return (s->value > 0) == (diff > 0) ? 1 : -1;
    return 1;
}

static int load(const html_doc *d, size_t cell, chain *ch)
{
    INIT(ch->c);
    if (servgap_result_cell(d->r, cell, &ch->c) != SERVGAP_OK)
        return -1;
    for (int32_t k = 0; k < SERVGAP_GAP_COUNT; k++) {
        INIT(ch->g[k]);
        servgap_result_gap(d->r, cell, k, &ch->g[k]);
    }
    ch->sign = orientation(ch);
    ch->lo = INFINITY, ch->hi = -INFINITY;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        if (isfinite(ch->c.mean[v])) {
            ch->lo = fmin(ch->lo, ch->sign * ch->c.mean[v]);
            ch->hi = fmax(ch->hi, ch->sign * ch->c.mean[v]);
        }
    double pad = ch->hi > ch->lo ? (ch->hi - ch->lo) * 0.12 : fmax(fabs(ch->hi) * 0.1, 0.5);
    ch->lo -= pad, ch->hi += pad;
    ch->top = 84, ch->bot = 262;
    return 0;
}

/* The y of viewpoint v's level; the middle when it has no mean. */
static double level_y(const chain *ch, int v)
{
    double m = ch->c.mean[v];
    if (!isfinite(m) || !(ch->hi > ch->lo))
        return (ch->top + ch->bot) / 2;
    return ch->bot - (ch->sign * m - ch->lo) / (ch->hi - ch->lo) * (ch->bot - ch->top);
}

static const char *status_class(const servgap_gap *g)
{
    switch (g->status) {
    case SERVGAP_STATUS_SHORTFALL:
        return "short";
    case SERVGAP_STATUS_EXCEEDS:
        return "exceeds";
    case SERVGAP_STATUS_MET:
        return "met";
    case SERVGAP_STATUS_UNRESOLVED:
        return (g->flags & SERVGAP_GAPFLAG_SIGNIFICANT) && g->value < 0 ? "short span" : "span";
    default:
        return "none";
    }
}

/* "delivery -2.67 [-3.10, -2.24]" at (x, y): a gap with its interval. */
static void gap_caption(FILE *f, const char *name, const servgap_gap *g, double x, double y)
{
    if (!isfinite(g->value)) {
        fprintf(f,
                "<text class=\"gl none\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s: "
                "no data</text>\n",
                x, y, name);
        return;
    }
    fprintf(f, "<text class=\"gl %s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s %+.2f</text>",
            status_class(g), x, y, name, g->value);
    if (isfinite(g->lo) && isfinite(g->hi) && g->lo != g->hi)
        fprintf(f,
                "<text class=\"ci\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">[%+.2f, "
                "%+.2f]</text>",
                x, y + 13, g->lo, g->hi);
    fputc('\n', f);
}

static void level(FILE *f, const chain *ch, int v)
{
    double x = col_x[v], y = level_y(ch, v);
    const char *name = servgap_viewpoint_name(v);
    int side = v == SERVGAP_VP_PROMISED;
    fprintf(f, "<text class=\"vp%s\" x=\"%.1f\" y=\"40\" text-anchor=\"middle\">%s</text>",
            side ? " side" : "", x, name);
    if (!isfinite(ch->c.mean[v])) {
        fprintf(f,
                "<text class=\"nodata\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no "
                "data</text>\n",
                x, y);
        return;
    }
    if (side)
        fprintf(f, "<path class=\"lv side\" d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\"/>", x, y - 7);
    else
        fprintf(f, "<circle class=\"lv\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/>", x, y);
    fprintf(f, "<text class=\"lvv\" x=\"%.1f\" y=\"%.1f\">%.4g</text>\n", x + 9, y + 4,
            ch->c.mean[v]);
}

/* The viewpoint a span starting or ending at link i reaches: the first
 * upstream or the last downstream of the links its bits hold. */
static void span_ends(uint32_t span, int *from, int *to)
{
    *from = -1, *to = -1;
    for (int i = 0; i < 4; i++)
        if (span & (1u << i)) {
            if (*from < 0)
                *from = links[i][1];
            *to = links[i][2];
        }
}

static void arrow(FILE *f, const chain *ch, const servgap_gap *g, int up, int down)
{
    fprintf(f, "<line class=\"ln %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
            status_class(g), col_x[up] + 8, level_y(ch, up), col_x[down] - 8, level_y(ch, down));
}

static void chain_links(FILE *f, const chain *ch)
{
    uint32_t drawn = 0;
    for (int i = 0; i < 4; i++) {
        const servgap_gap *g = &ch->g[links[i][0]];
        int up = links[i][1], down = links[i][2];
        const char *name = GAP_NAME(links[i][0]);
        if (g->status == SERVGAP_STATUS_UNRESOLVED && g->span) {
            if (g->span & drawn)
                continue;
            drawn |= g->span;
            span_ends(g->span, &up, &down);
            name = servgap_span_name(g->span) ? servgap_span_name(g->span) : "span";
        }
        arrow(f, ch, g, up, down);
        /* Above both ends, clear of the levels' own value labels. */
        double above = fmin(level_y(ch, up), level_y(ch, down)) - 22;
        gap_caption(f, name, g, (col_x[up] + col_x[down]) / 2, above);
    }
}

/* Communication beside the chain, service at its end, and the band from
 * adequate to expected. */
static void chain_ends(FILE *f, const chain *ch)
{
    const servgap_cell *c = &ch->c;
    double ya = level_y(ch, SERVGAP_VP_ADEQUATE), ye = level_y(ch, SERVGAP_VP_EXPECTED);
    double yp = level_y(ch, SERVGAP_VP_PERCEIVED);
    if (isfinite(c->mean[SERVGAP_VP_ADEQUATE]) && isfinite(c->mean[SERVGAP_VP_EXPECTED]))
        fprintf(f,
                "<rect class=\"zone\" x=\"40\" y=\"%.1f\" width=\"700\" height=\"%.1f\"/>"
                "<text class=\"zonet\" x=\"44\" y=\"%.1f\">zone of tolerance (adequate to "
                "expected)</text>\n",
                fmin(ya, ye), fabs(ya - ye), fmax(ya, ye) - 3);
    if (isfinite(c->mean[SERVGAP_VP_PROMISED])) {
        const servgap_gap *g = &ch->g[SERVGAP_GAP_COMMUNICATION];
        fprintf(f, "<line class=\"ln %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                status_class(g), col_x[SERVGAP_VP_PROMISED], level_y(ch, SERVGAP_VP_PROMISED),
                col_x[SERVGAP_VP_DELIVERED] + 6, level_y(ch, SERVGAP_VP_DELIVERED));
        gap_caption(f, "communication", g, col_x[SERVGAP_VP_PROMISED], 292);
    }
    if (isfinite(ch->g[SERVGAP_GAP_SERVICE].value))
        fprintf(f,
                "<line class=\"guide\" x1=\"%.1f\" y1=\"%.1f\" x2=\"715\" y2=\"%.1f\"/>"
                "<line class=\"guide\" x1=\"%.1f\" y1=\"%.1f\" x2=\"715\" y2=\"%.1f\"/>"
                "<line class=\"ln bracket %s\" x1=\"715\" y1=\"%.1f\" x2=\"715\" "
                "y2=\"%.1f\"/>",
                col_x[SERVGAP_VP_EXPECTED] + 8, ye, ye, col_x[SERVGAP_VP_PERCEIVED] + 8, yp, yp,
                status_class(&ch->g[SERVGAP_GAP_SERVICE]), ye, yp);
    gap_caption(f, "service", &ch->g[SERVGAP_GAP_SERVICE], 690, 292);
}

static void picture(const html_doc *d, const chain *ch, const char *caption)
{
    FILE *f = d->f;
    char unit[LABEL_CAP];
    fputs("<svg viewBox=\"0 0 760 310\" role=\"img\" class=\"chainsvg\"><title>", f);
    put_markup(f, caption);
    fputs("</title><desc>The levels of the chain at their means, better up, and the gap of "
          "each link; the table below holds the same numbers.</desc>\n",
          f);
    chain_ends(f, ch);
    chain_links(f, ch);
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        if (v != SERVGAP_VP_ADEQUATE)
            level(f, ch, v);
    fprintf(f, "<text class=\"tick\" x=\"6\" y=\"%.1f\">better &#8593;</text>", ch->top - 8);
    const char *u = metric_unit(d->ctx, ch->c.metric, unit, sizeof unit);
    fprintf(f, "<text class=\"tick\" x=\"6\" y=\"%.1f\">", ch->top + 6);
    put_markup(f, u);
    fprintf(f, "%s%s</text>", *u ? ", " : "", ch->sign < 0 ? "less is better" : "more is better");
    fputs("</svg>\n", f);
}

static void table_levels(const html_doc *d, size_t cell, const chain *ch)
{
    FILE *f = d->f;
    fputs("<table class=\"grid small\"><thead><tr><th>level</th><th>mean</th><th>n</th></tr>"
          "</thead><tbody>",
          f);
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        const char *name = servgap_viewpoint_name(v);
        fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">", name);
        h_num(f, "%.4g", ch->c.mean[v], "cells.%zu.means.%s", cell, name);
        fputs("</td><td class=\"num\">", f);
        h_num(f, "%.0f", (double)ch->c.n[v], "cells.%zu.n.%s", cell, name);
        fputs("</td></tr>", f);
    }
    fputs("</tbody></table>\n", f);
}

static void table_gaps(const html_doc *d, size_t cell, const chain *ch)
{
    FILE *f = d->f;
    static const int32_t order[] = {SERVGAP_GAP_KNOWLEDGE,     SERVGAP_GAP_STANDARDS,
                                    SERVGAP_GAP_DELIVERY,      SERVGAP_GAP_PERCEPTION,
                                    SERVGAP_GAP_COMMUNICATION, SERVGAP_GAP_SERVICE,
                                    SERVGAP_GAP_ADEQUACY};
    fprintf(f,
            "<table class=\"grid small\"><thead><tr><th>gap</th><th>value</th><th>%.0f%% "
            "interval</th><th>status</th></tr></thead><tbody>",
            d->confidence * 100);
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const servgap_gap *g = &ch->g[order[k]];
        const char *name = GAP_NAME(order[k]);
        fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"num\">", name);
        h_num(f, "%+.3f", g->value, "cells.%zu.gaps.%s.value", cell, name);
        fputs("</td><td class=\"num\">", f);
        h_num(f, "%+.3f", g->lo, "cells.%zu.gaps.%s.ci.0", cell, name);
        fputs(" .. ", f);
        h_num(f, "%+.3f", g->hi, "cells.%zu.gaps.%s.ci.1", cell, name);
        fprintf(f, "</td><td><span data-j=\"cells.%zu.gaps.%s.status\">%s</span></td></tr>", cell,
                name, servgap_status_name(g->status));
    }
    fputs("</tbody></table>\n", f);
}

void html_chain_figure(const html_doc *d, size_t cell, const char *caption)
{
    chain ch;
    if (load(d, cell, &ch) != 0)
        return;
    int levels = 0;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        levels += isfinite(ch.c.mean[v]) && v != SERVGAP_VP_ADEQUATE;
    fprintf(d->f, "<figure class=\"chainfig\" id=\"chain-%zu\" data-levels=\"%d\"><figcaption>",
            cell, levels);
    put_markup(d->f, caption);
    fputs("</figcaption>\n", d->f);
    picture(d, &ch, caption);
    fputs("<div class=\"cols\">", d->f);
    table_levels(d, cell, &ch);
    table_gaps(d, cell, &ch);
    fputs("</div></figure>\n", d->f);
}

/* "#1 tier:enterprise / slack / resolution_hours / communication". */
static void caption_of(servgap_ctx *ctx, const servgap_finding *fd, char *buf, size_t cap)
{
    char s[LABEL_CAP], t[LABEL_CAP], m[LABEL_CAP];
    snprintf(buf, cap, "#%d %s / %s / %s: %s gap", (int)fd->rank,
             scope_label(ctx, fd->scope_kind, fd->scope_id, s, sizeof s),
             touchpoint_label(ctx, fd->touchpoint, t, sizeof t),
             metric_label(ctx, fd->metric, fd->dimension, m, sizeof m),
             (fd->flags & SERVGAP_FINDING_NO_STANDARD) ? "no-standard" : GAP_NAME(fd->gap));
}

/* The distinct cells of the first findings, and a caption for each. */
static size_t pick_cells(const html_doc *d, size_t cells[], char caps[][3 * LABEL_CAP + 64])
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_findings && n < HTML_CHAINS_MAX; i++) {
        servgap_finding fd;
        size_t k = 0;
        INIT(fd);
        if (servgap_result_finding(d->r, i, &fd) != SERVGAP_OK)
            continue;
        while (k < n && cells[k] != fd.cell)
            k++;
        if (k < n)
            continue;
        cells[n] = (size_t)fd.cell;
        caption_of(d->ctx, &fd, caps[n], sizeof caps[n]);
        n++;
    }
    return n;
}

int html_chains(const html_doc *d)
{
    size_t cells[HTML_CHAINS_MAX];
    char(*caps)[3 * LABEL_CAP + 64] = calloc(HTML_CHAINS_MAX, sizeof *caps);
    if (caps == NULL)
        return -1;
    size_t n = pick_cells(d, cells, caps);
    fputs("<section id=\"chain\" aria-labelledby=\"h-chain\">\n<h2 id=\"h-chain\">The five gaps "
          "of a cell</h2>\n<p class=\"note\">From what customers expect to what they perceive: "
          "where along the chain the top findings' cells lose the level. Shown first: the cell "
          "with the most levels measured.</p>\n",
          d->f);
    if (n == 0)
        fputs("<p>No finding, so no cell to show.</p>\n", d->f);
    fputs("<div class=\"pick\" id=\"chain-pick\">", d->f);
    for (size_t k = 0; k < n; k++) {
        fprintf(d->f, "<a href=\"#chain-%zu\" data-cell=\"%zu\">", cells[k], cells[k]);
        put_markup(d->f, caps[k]);
        fputs("</a>", d->f);
    }
    fputs("</div>\n", d->f);
    for (size_t k = 0; k < n; k++)
        html_chain_figure(d, cells[k], caps[k]);
    fputs("</section>\n", d->f);
    free(caps);
    return 0;
}
