/*
 * html_matrix.c -- the impact-versus-effort matrix of the HTML page, and
 * the list of the findings it charts.
 *
 * Each finding is drawn at its exact (effort, impact): findings often
 * share an effort value, and a chart that moved points apart to keep them
 * legible would show values they do not have. Overlaps are handled by
 * translucent fills with outlines, by a hover list (html_page.js names
 * every point under the pointer) and by each point's <title>, which also
 * serves without JavaScript. The axes run from 0 to just past the largest
 * value or the quadrant threshold, whichever is larger, so the points use
 * the plot. The area of a point grows with the value of the accounts it
 * affects; tier findings are filled discs, account findings rings. Only
 * the first HTML_MATRIX_MAX ranks are charted, so the chart stays legible
 * and small at any size of data; the list says how many there are.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

/* The plot in SVG user units, and its scales. */
typedef struct frame {
    double x0, y0, w, h;
    double xmax, ymax, xstep, ystep;
    double vmax; /* the largest affected value charted */
} frame;

static double px(const frame *F, double effort)
{
    return F->x0 + fmin(fmax(effort, 0), F->xmax) / F->xmax * F->w;
}

static double py(const frame *F, double impact)
{
    return F->y0 + F->h - fmin(fmax(impact, 0), F->ymax) / F->ymax * F->h;
}

/* Radius by the square root of the affected value: area proportional to it. */
static double radius(const frame *F, double value)
{
    if (!(F->vmax > 0) || !(value > 0))
        return 3;
    return 3 + 13 * sqrt(value / F->vmax);
}

static void frame_init(frame *F, const html_doc *d, const servgap_finding *fs, size_t n)
{
    double emax = d->effort_cut, imax = d->impact_cut;
    F->x0 = 64, F->y0 = 16, F->w = 600, F->h = 400, F->vmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(fs[i].effort))
            emax = fmax(emax, fs[i].effort);
        if (isfinite(fs[i].impact))
            imax = fmax(imax, fs[i].impact);
        if (isfinite(fs[i].affected_value))
            F->vmax = fmax(F->vmax, fs[i].affected_value);
    }
    F->xstep = axis_step(emax * 1.08, 8);
    F->xmax = ceil(emax * 1.08 / F->xstep) * F->xstep;
    F->ystep = axis_step(fmin(imax * 1.08, 100), 8);
    F->ymax = fmin(ceil(fmin(imax * 1.08, 100) / F->ystep) * F->ystep, 100);
}

static void grounds(FILE *f, const html_doc *d, const frame *F)
{
    double cx = px(F, d->effort_cut), cy = py(F, d->impact_cut);
    double r = F->x0 + F->w, b = F->y0 + F->h;
    fprintf(f,
            "<rect class=\"q1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
            "<rect class=\"q2\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
            "<rect class=\"q3\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
            "<rect class=\"q4\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
            F->x0, F->y0, cx - F->x0, cy - F->y0, cx, F->y0, r - cx, cy - F->y0, F->x0, cy,
            cx - F->x0, b - cy, cx, cy, r - cx, b - cy);
    fprintf(f,
            "<g class=\"qn\"><text x=\"%.1f\" y=\"%.1f\">Quick wins</text>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">Major projects</text>"
            "<text x=\"%.1f\" y=\"%.1f\">Fill-ins</text>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">Thankless tasks</text></g>\n",
            F->x0 + 6, F->y0 + 16, r - 6, F->y0 + 16, F->x0 + 6, b - 8, r - 6, b - 8);
    fprintf(f,
            "<g class=\"cut\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n",
            cx, F->y0, cx, b, F->x0, cy, r, cy);
}

static void axes(FILE *f, const frame *F)
{
    double b = F->y0 + F->h;
    fprintf(f,
            "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n"
            "<g class=\"tick\">",
            F->x0, F->y0, F->w, F->h);
    for (int k = 0; k * F->ystep <= F->ymax + 1e-9; k++)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>", F->x0 - 6,
                py(F, k * F->ystep) + 4, k * F->ystep);
    for (int k = 0; k * F->xstep <= F->xmax + 1e-9; k++)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>",
                px(F, k * F->xstep), b + 16, k * F->xstep);
    fprintf(f,
            "</g>\n<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">effort to "
            "fix</text>\n<text class=\"axis\" x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 14 %.1f)\">impact on account health</text>\n",
            F->x0 + F->w / 2, b + 36, F->y0 + F->h / 2, F->y0 + F->h / 2);
}

static void point(const html_doc *d, const frame *F, const servgap_finding *fd, size_t i)
{
    FILE *f = d->f;
    fprintf(f,
            "<circle class=\"pt %s %s\" cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" data-i=\"%zu\" "
            "data-cell=\"%llu\">",
            fd->scope_kind == SERVGAP_SCOPE_TIER ? "t" : "a", gap_class(fd->gap), px(F, fd->effort),
            py(F, fd->impact), radius(F, fd->affected_value), i, (unsigned long long)fd->cell);
    fprintf(f, "<title>#%d %s: ", (int)fd->rank, quadrant_label(fd->quadrant));
    h_finding_name(f, d->ctx, fd);
    fprintf(f, "; impact %.1f, effort %g; %lld account%s, value ", fd->impact, fd->effort,
            (long long)fd->affected_accounts, fd->affected_accounts == 1 ? "" : "s");
    h_num(f, NULL, fd->affected_value, NULL);
    fputs("</title></circle>\n", f);
}

/* The first ten ranks are numbered beside their points. */
static void rank_labels(FILE *f, const frame *F, const servgap_finding *fs, size_t n)
{
    fputs("<g class=\"rk\">", f);
    for (size_t i = 0; i < n && i < 10; i++) {
        double r = radius(F, fs[i].affected_value) * 0.72;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">%d</text>", px(F, fs[i].effort) + r + 1,
                py(F, fs[i].impact) - r - 1, (int)fs[i].rank);
    }
    fputs("</g>\n", f);
}

/* What the chart shows, for readers that do not see it. */
static void chart_desc(const html_doc *d, const servgap_finding *fs, size_t n)
{
    long long q[5] = {0};
    for (size_t i = 0; i < n; i++)
        if (fs[i].quadrant >= 1 && fs[i].quadrant <= 4)
            q[fs[i].quadrant]++;
    fprintf(d->f,
            "<desc id=\"mx-d\">%zu of %zu findings by impact (0 to 100) against effort to fix: "
            "%lld quick wins, %lld major projects, %lld fill-ins, %lld thankless tasks. The "
            "table after the chart lists each.</desc>\n",
            n, d->n_findings, q[1], q[2], q[3], q[4]);
}

static void chart(const html_doc *d, const servgap_finding *fs, size_t n)
{
    FILE *f = d->f;
    frame F;
    frame_init(&F, d, fs, n);
    fputs("<figure class=\"chart\"><div class=\"plotwrap\">"
          "<svg id=\"matrix-svg\" viewBox=\"0 0 680 460\" role=\"img\" "
          "aria-labelledby=\"mx-t mx-d\"><title id=\"mx-t\">Impact versus effort of the top "
          "findings</title>\n",
          f);
    chart_desc(d, fs, n);
    grounds(f, d, &F);
    axes(f, &F);
    fputs("<g class=\"pts\">\n", f);
    for (size_t i = n; i-- > 0;) /* the first ranks drawn last, on top */
        point(d, &F, &fs[i], i);
    fputs("</g>\n", f);
    rank_labels(f, &F, fs, n);
    fputs("</svg><div class=\"tip\" id=\"matrix-tip\" hidden></div></div>\n", f);
    fputs("<figcaption><span class=\"key\"><i class=\"dot t\"></i>tier finding "
          "<i class=\"dot a\"></i>account finding</span><span class=\"key\">",
          f);
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++)
        fprintf(f, "<i class=\"sw %s\"></i>%s ", gap_class(g), GAP_NAME(g));
    fputs("</span><span class=\"key\">area: the affected accounts' value, up to ", f);
    h_num(f, NULL, F.vmax, NULL);
    fprintf(f,
            "</span><span class=\"key\">dashed: impact %g and effort %g, the quadrant "
            "thresholds</span></figcaption></figure>\n",
            d->impact_cut, d->effort_cut);
}

/* "8 accounts, value 3,324,000" for whom a finding counts. */
static void whom(FILE *f, const servgap_finding *fd, size_t i)
{
    h_num(f, "%.0f", (double)fd->affected_accounts, NULL);
    fprintf(f, " account%s, value ", fd->affected_accounts == 1 ? "" : "s");
    h_num(f, NULL, fd->affected_value, "priorities.%zu.affected_value", i);
}

static void list_row(const html_doc *d, const servgap_finding *fd, size_t i)
{
    FILE *f = d->f;
    servgap_plan_status p;
    fprintf(f, "<tr id=\"f-%d\" class=\"%s\"><td>%d</td><td>%s</td><td>", (int)fd->rank,
            fd->root != UINT64_MAX ? "member" : "", (int)fd->rank, quadrant_label(fd->quadrant));
    h_scope(f, d->ctx, fd->scope_kind, fd->scope_id);
    fputs("<br><small>", f);
    whom(f, fd, i);
    fputs("</small></td><td>", f);
    h_touchpoint(f, d->ctx, fd->touchpoint);
    fputs("</td><td>", f);
    h_metric(f, d->ctx, fd->metric, fd->dimension);
    fprintf(f, "</td><td class=\"gapname\"><i class=\"sw %s\"></i>%s</td><td class=\"num\">",
            gap_class(fd->gap),
            (fd->flags & SERVGAP_FINDING_NO_STANDARD) ? "no standard" : GAP_NAME(fd->gap));
    h_num(f, "%+.2f", fd->value, "priorities.%zu.value", i);
    fputs("</td><td class=\"num\">", f);
    h_num(f, "%.1f", fd->impact, "priorities.%zu.impact", i);
    fputs("</td><td class=\"num\">", f);
    h_num(f, "%.2f", fd->effort, "priorities.%zu.effort", i);
    fputs("</td><td class=\"num\">", f);
    h_num(f, "%.0f", (double)fd->windows, "priorities.%zu.windows", i);
    fprintf(f, "/%.0f%s</td><td>", d->windows,
            (fd->flags & SERVGAP_FINDING_PERSISTENT) ? " persistent" : "");
    if (fd->root != UINT64_MAX)
        fprintf(f, "repeats <a href=\"#f-%llu\">#%llu</a>", (unsigned long long)fd->root + 1,
                (unsigned long long)fd->root + 1);
    else if (plan_of_finding(d->r, i, &p))
        h_visible(f, p.owner);
    fputs("</td></tr>\n", f);
}

static void list(const html_doc *d, const servgap_finding *fs, size_t n)
{
    FILE *f = d->f;
    fputs("<div class=\"scroll tall\"><table class=\"grid\" id=\"findings-table\"><caption>"
          "The charted findings by rank</caption><thead><tr><th>rank</th><th>quadrant</th>"
          "<th>for whom</th><th>where</th><th>what</th><th>gap</th><th>value</th>"
          "<th>impact</th><th>effort</th><th>windows</th><th>plan / root</th></tr></thead>"
          "<tbody>\n",
          f);
    for (size_t i = 0; i < n; i++)
        list_row(d, &fs[i], i);
    fputs("</tbody></table></div>\n", f);
}

int html_matrix(const html_doc *d)
{
    size_t n = d->n_findings < HTML_MATRIX_MAX ? d->n_findings : HTML_MATRIX_MAX, m = 0;
    servgap_finding *fs = calloc(n ? n : 1, sizeof *fs);
    if (fs == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        INIT(fs[m]);
        if (servgap_result_finding(d->r, i, &fs[m]) == SERVGAP_OK)
            m++;
    }
    fputs("<section id=\"matrix\" aria-labelledby=\"h-matrix\">\n<h2 id=\"h-matrix\">Impact "
          "versus effort</h2>\n<p class=\"note\">",
          d->f);
    h_count(d->f, (long long)m, "charted");
    fputs(" of ", d->f);
    h_count(d->f, (long long)d->n_findings, "findings");
    fputs(" findings, the first by rank, each at its exact effort and impact. Hover over a point "
          "to list every finding under the pointer; the table names each.</p>\n",
          d->f);
    if (m == 0)
        fputs("<p>No finding: no significant shortfall in this window.</p>\n", d->f);
    else {
        chart(d, fs, m);
        list(d, fs, m);
    }
    fputs("</section>\n", d->f);
    free(fs);
    return 0;
}
