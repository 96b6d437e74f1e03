/*
 * html_tiers.c -- per tier, the SERVQUAL dimension gaps with their
 * intervals and the zone of tolerance, in the HTML page.
 *
 * Both read the tier's cells of the five SERVQUAL Likert items over all
 * touchpoints (metric = dimension, touchpoint SERVGAP_ALL): one scale
 * (1..7) for every dimension, so the dimensions compare, where the
 * dimension roll-ups would mix hours and shares with Likert points. The
 * gap chart shows each service gap (perceived - expected) with its
 * interval on one axis shared by all tiers; the tolerance chart shows
 * the zone from adequate to desired (expected) with the perceived level
 * in it, below it or above it. The table holds the same numbers.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

/* At most this many tiers get charts; the JSON report has the rest. */
#define TIERS_MAX 12

typedef struct dims {
    size_t cell[SERVGAP_DIM_COUNT];
    int have[SERVGAP_DIM_COUNT];
    servgap_cell c[SERVGAP_DIM_COUNT];
    servgap_gap service[SERVGAP_DIM_COUNT], adequacy[SERVGAP_DIM_COUNT];
} dims;

static int load_dims(const html_doc *d, int32_t tier, dims *x)
{
    int any = 0;
    for (int32_t k = 0; k < SERVGAP_DIM_COUNT; k++) {
        INIT(x->c[k]);
        INIT(x->service[k]);
        INIT(x->adequacy[k]);
        x->have[k] = servgap_result_find(d->r, SERVGAP_SCOPE_TIER, tier, SERVGAP_ALL, k, k,
                                         &x->cell[k]) == SERVGAP_OK &&
                     servgap_result_cell(d->r, x->cell[k], &x->c[k]) == SERVGAP_OK;
        if (!x->have[k])
            continue;
        servgap_result_gap(d->r, x->cell[k], SERVGAP_GAP_SERVICE, &x->service[k]);
        servgap_result_gap(d->r, x->cell[k], SERVGAP_GAP_ADEQUACY, &x->adequacy[k]);
        any |= isfinite(x->service[k].value) || isfinite(x->c[k].mean[SERVGAP_VP_PERCEIVED]);
    }
    return any;
}

/* The gap axis every tier shares: from the lowest interval end to the
 * highest, zero included. */
static void gap_range(const html_doc *d, int32_t tiers, double *lo, double *hi)
{
    *lo = -0.5, *hi = 0.5;
    for (int32_t t = 0; t < tiers; t++) {
        dims x;
        load_dims(d, t, &x);
        for (int k = 0; k < SERVGAP_DIM_COUNT; k++) {
            const servgap_gap *g = &x.service[k];
            if (x.have[k] && isfinite(g->lo) && isfinite(g->hi))
                *lo = fmin(*lo, g->lo), *hi = fmax(*hi, g->hi);
        }
    }
    double step = axis_step(*hi - *lo, 6);
    *lo = floor(*lo / step) * step, *hi = ceil(*hi / step) * step;
}

#define ROW_Y(k) (34 + 26 * (double)(k))
#define PLOT_X0  104.0
#define PLOT_W   240.0

static double sx(double v, double lo, double hi)
{
    return PLOT_X0 + (fmin(fmax(v, lo), hi) - lo) / (hi - lo) * PLOT_W;
}

static void scale_ticks(FILE *f, double lo, double hi, const char *label)
{
    double step = axis_step(hi - lo, 6);
    fputs("<g class=\"tick\">", f);
    for (double v = lo; v <= hi + step * 1e-6; v += step)
        fprintf(f,
                "<line class=\"grd\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"158\"/>"
                "<text x=\"%.1f\" y=\"172\" text-anchor=\"middle\">%g</text>",
                sx(v, lo, hi), sx(v, lo, hi), sx(v, lo, hi), fabs(v) < step * 1e-6 ? 0 : v);
    fprintf(f, "</g><text class=\"axis\" x=\"%.1f\" y=\"12\" text-anchor=\"middle\">%s</text>\n",
            PLOT_X0 + PLOT_W / 2, label);
    for (int k = 0; k < SERVGAP_DIM_COUNT; k++)
        fprintf(f, "<text class=\"rowl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                PLOT_X0 - 6, ROW_Y(k) + 4, servgap_dimension_name(k));
}

static void gap_chart(FILE *f, const dims *x, double lo, double hi)
{
    fputs("<svg viewBox=\"0 0 360 180\" role=\"img\" class=\"tierchart\"><title>Service gap "
          "per dimension with its interval</title>\n",
          f);
    scale_ticks(f, lo, hi, "service gap: perceived - expected");
    fprintf(f, "<line class=\"zero\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"158\"/>\n",
            sx(0, lo, hi), sx(0, lo, hi));
    for (int k = 0; k < SERVGAP_DIM_COUNT; k++) {
        const servgap_gap *g = &x->service[k];
        const char *cls = g->status == SERVGAP_STATUS_SHORTFALL ? "short"
                          : g->status == SERVGAP_STATUS_EXCEEDS ? "exceeds"
                                                                : "met";
        if (!x->have[k] || !isfinite(g->value))
            continue;
        if (isfinite(g->lo) && isfinite(g->hi))
            fprintf(f, "<line class=\"whisk %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    cls, sx(g->lo, lo, hi), ROW_Y(k), sx(g->hi, lo, hi), ROW_Y(k));
        fprintf(f, "<circle class=\"mk %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>\n", cls,
                sx(g->value, lo, hi), ROW_Y(k));
    }
    fputs("</svg>\n", f);
}

static void zone_chart(FILE *f, const dims *x)
{
    double lo = 1, hi = 7;
    fputs("<svg viewBox=\"0 0 360 180\" role=\"img\" class=\"tierchart\"><title>Zone of "
          "tolerance per dimension: adequate to desired, and the perceived level</title>\n",
          f);
    scale_ticks(f, lo, hi, "adequate .. desired (band), perceived (dot)");
    for (int k = 0; k < SERVGAP_DIM_COUNT; k++) {
        const servgap_cell *c = &x->c[k];
        double a = c->mean[SERVGAP_VP_ADEQUATE], e = c->mean[SERVGAP_VP_EXPECTED];
        double p = c->mean[SERVGAP_VP_PERCEIVED];
        if (!x->have[k])
            continue;
        if (isfinite(a) && isfinite(e))
            fprintf(f, "<rect class=\"zone\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\"/>",
                    sx(fmin(a, e), lo, hi), ROW_Y(k) - 7, fabs(sx(e, lo, hi) - sx(a, lo, hi)));
        if (isfinite(p))
            fprintf(f, "<circle class=\"mk %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>\n",
                    isfinite(a) && p < a   ? "short"
                    : isfinite(e) && p < e ? "within"
                                           : "exceeds",
                    sx(p, lo, hi), ROW_Y(k));
    }
    fputs("</svg>\n", f);
}

/* "-1.33 [-1.54, -1.12]" of one gap, tagged with its path. */
static void gap_cell(FILE *f, size_t cell, const char *gap, const servgap_gap *g)
{
    fputs("<td class=\"num\">", f);
    h_num(f, "%+.2f", g->value, "cells.%zu.gaps.%s.value", cell, gap);
    fputs(" <small>[", f);
    h_num(f, "%+.2f", g->lo, "cells.%zu.gaps.%s.ci.0", cell, gap);
    fputs(", ", f);
    h_num(f, "%+.2f", g->hi, "cells.%zu.gaps.%s.ci.1", cell, gap);
    fputs("]</small></td>", f);
}

static void dims_table(const html_doc *d, const dims *x)
{
    FILE *f = d->f;
    static const int vps[3] = {SERVGAP_VP_PERCEIVED, SERVGAP_VP_ADEQUATE, SERVGAP_VP_EXPECTED};
    fprintf(f,
            "<table class=\"grid small\"><thead><tr><th>dimension</th><th>perceived</th>"
            "<th>adequate</th><th>desired</th><th>service gap [%.0f%%]</th><th>adequacy gap"
            "</th></tr></thead><tbody>\n",
            d->confidence * 100);
    for (int k = 0; k < SERVGAP_DIM_COUNT; k++) {
        fprintf(f, "<tr><th scope=\"row\">%s</th>", servgap_dimension_name(k));
        if (!x->have[k]) {
            fputs("<td colspan=\"5\">no data</td></tr>\n", f);
            continue;
        }
        for (int v = 0; v < 3; v++) {
            fputs("<td class=\"num\">", f);
            h_num(f, "%.2f", x->c[k].mean[vps[v]], "cells.%zu.means.%s", x->cell[k],
                  servgap_viewpoint_name(vps[v]));
            fputs("</td>", f);
        }
        gap_cell(f, x->cell[k], "service", &x->service[k]);
        gap_cell(f, x->cell[k], "adequacy", &x->adequacy[k]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void one_tier(const html_doc *d, int32_t t, double lo, double hi)
{
    FILE *f = d->f;
    dims x;
    fputs("<div class=\"tier\"><h3>", f);
    h_scope(f, d->ctx, SERVGAP_SCOPE_TIER, t);
    fputs("</h3>\n", f);
    if (!load_dims(d, t, &x)) {
        fputs("<p>No SERVQUAL survey answers for this tier.</p></div>\n", f);
        return;
    }
    fputs("<div class=\"cols\">", f);
    gap_chart(f, &x, lo, hi);
    zone_chart(f, &x);
    fputs("</div>\n", f);
    dims_table(d, &x);
    fputs("</div>\n", f);
}

void html_tiers(const html_doc *d)
{
    int32_t tiers = d->n_tiers < TIERS_MAX ? d->n_tiers : TIERS_MAX;
    double lo, hi;
    fputs("<section id=\"tiers\" aria-labelledby=\"h-tiers\">\n<h2 id=\"h-tiers\">Tiers: "
          "dimension gaps and the zone of tolerance</h2>\n<p class=\"note\">The five SERVQUAL "
          "items over all touchpoints, 1..7. Red: a significant shortfall (the interval lies "
          "below zero) or a perceived level below adequate; amber: within the zone of "
          "tolerance, below desired.</p>\n<div class=\"tiers\">",
          d->f);
    gap_range(d, tiers, &lo, &hi);
    for (int32_t t = 0; t < tiers; t++)
        one_tier(d, t, lo, hi);
    if (d->n_tiers > tiers)
        fprintf(d->f, "<p>%d more tiers: the JSON report has them.</p>", (int)(d->n_tiers - tiers));
    if (d->n_tiers == 0)
        fputs("<p>No tier.</p>", d->f);
    fputs("</div></section>\n", d->f);
}
