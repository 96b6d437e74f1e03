/*
 * html_trends.c -- the top findings' gap per window, with intervals, in
 * the HTML page.
 *
 * The result holds one series per finding (SERVGAP_QUERY_TRENDS): the
 * finding's gap in each of the last T windows of W days that end at the
 * analysis date, each window measured as a query of that window alone
 * would. The page charts the first HTML_TRENDS_MAX ranks as small
 * multiples: the value per window with its interval, a filled dot where
 * the window holds a shortfall, and zero for reference. A table under
 * each chart holds its numbers.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>

#include "html.h"

/* Windows of a trend the page reads at most (SERVGAP_OPT_TREND_WINDOWS). */
#define WINDOWS_MAX 52

typedef struct series {
    servgap_finding fd;
    servgap_trend w[WINDOWS_MAX];
    int n;
    double lo, hi; /* the y range */
} series;

/* The rows of the first k findings' series, by finding. */
static void load(const html_doc *d, series *s, size_t k)
{
    size_t rows = servgap_result_count(d->r, SERVGAP_TABLE_TRENDS);
    for (size_t i = 0; i < k; i++) {
        INIT(s[i].fd);
        servgap_result_finding(d->r, i, &s[i].fd);
        s[i].n = 0, s[i].lo = 0, s[i].hi = 0;
    }
    for (size_t i = 0; i < rows; i++) {
        servgap_trend t;
        INIT(t);
        if (servgap_result_trend(d->r, i, &t) != SERVGAP_OK || t.finding >= k)
            continue;
        series *x = &s[t.finding];
        if (x->n >= WINDOWS_MAX)
            continue;
        x->w[x->n++] = t;
        double vals[3] = {t.value, t.lo, t.hi};
        for (int j = 0; j < 3; j++)
            if (isfinite(vals[j]))
                x->lo = fmin(x->lo, vals[j]), x->hi = fmax(x->hi, vals[j]);
    }
}

#define TX0 46.0
#define TW  300.0
#define TY0 14.0
#define TH  130.0

static double tx(const series *s, int w)
{
    return TX0 + (s->n > 1 ? TW * w / (s->n - 1) : TW / 2);
}

static double ty(const series *s, double v)
{
    return TY0 + TH - (v - s->lo) / (s->hi - s->lo) * TH;
}

static void frame(FILE *f, series *s)
{
    char a[11], b[11];
    double step = axis_step(s->hi - s->lo > 0 ? s->hi - s->lo : 1, 4);
    s->lo = floor(s->lo / step) * step, s->hi = ceil(s->hi / step) * step;
    if (!(s->hi > s->lo))
        s->hi = s->lo + step;
    fputs("<g class=\"tick\">", f);
    for (double v = s->lo; v <= s->hi + step * 1e-6; v += step)
        fprintf(f,
                "<line class=\"grd\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>",
                TX0, ty(s, v), TX0 + TW, ty(s, v), TX0 - 5, ty(s, v) + 4,
                fabs(v) < step * 1e-6 ? 0 : v);
    date_format(s->w[0].to - SERVGAP_DAY, a);
    date_format(s->w[s->n - 1].to - SERVGAP_DAY, b);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\">window to %s</text><text x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"end\">%s</text></g>\n<line class=\"zero\" x1=\"%.1f\" y1=\"%.1f\" "
            "x2=\"%.1f\" y2=\"%.1f\"/>\n",
            TX0, TY0 + TH + 16, a, TX0 + TW, TY0 + TH + 16, b, TX0, ty(s, 0), TX0 + TW, ty(s, 0));
}

static void marks(FILE *f, const series *s)
{
    int open = 0;
    fputs("<path class=\"tl\" d=\"", f);
    for (int w = 0; w < s->n; w++) {
        if (!isfinite(s->w[w].value)) {
            open = 0;
            continue;
        }
        fprintf(f, "%c%.1f %.1f", open ? 'L' : 'M', tx(s, w), ty(s, s->w[w].value));
        open = 1;
    }
    fputs("\"/>\n", f);
    for (int w = 0; w < s->n; w++) {
        const servgap_trend *t = &s->w[w];
        const char *cls = t->status == SERVGAP_STATUS_SHORTFALL ? "short" : "met";
        if (isfinite(t->lo) && isfinite(t->hi))
            fprintf(f, "<line class=\"whisk %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    cls, tx(s, w), ty(s, t->lo), tx(s, w), ty(s, t->hi));
        if (isfinite(t->value))
            fprintf(f, "<circle class=\"mk %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n", cls,
                    tx(s, w), ty(s, t->value));
    }
}

static void table(const html_doc *d, const series *s)
{
    FILE *f = d->f;
    fprintf(f,
            "<details><summary>the numbers</summary><table class=\"grid small\"><thead><tr>"
            "<th>window</th><th>value</th><th>%.0f%% interval</th><th>status</th></tr>"
            "</thead><tbody>",
            d->confidence * 100);
    for (int w = 0; w < s->n; w++) {
        const servgap_trend *t = &s->w[w];
        unsigned long long k = (unsigned long long)t->series;
        fputs("<tr><td>", f);
        h_date(f, t->from, "trends.%llu.windows.%d.from", k, (int)t->window);
        fputs(" ..</td><td class=\"num\">", f);
        h_num(f, "%+.2f", t->value, "trends.%llu.windows.%d.value", k, (int)t->window);
        fputs("</td><td class=\"num\">", f);
        h_num(f, "%+.2f", t->lo, "trends.%llu.windows.%d.ci.0", k, (int)t->window);
        fputs(" .. ", f);
        h_num(f, "%+.2f", t->hi, "trends.%llu.windows.%d.ci.1", k, (int)t->window);
        fprintf(f, "</td><td><span data-j=\"trends.%llu.windows.%d.status\">%s</span></td></tr>", k,
                (int)t->window, servgap_status_name(t->status));
    }
    fputs("</tbody></table></details>\n", f);
}

static void one(const html_doc *d, series *s)
{
    FILE *f = d->f;
    int shortfalls = 0;
    const servgap_trend *last = &s->w[s->n - 1];
    for (int w = 0; w < s->n; w++)
        shortfalls += s->w[w].status == SERVGAP_STATUS_SHORTFALL;
    fprintf(f, "<figure class=\"trend\"><figcaption>#%d ", (int)s->fd.rank);
    h_finding_name(f, d->ctx, &s->fd);
    fputs("<br><small>latest ", f);
    h_num(f, "%+.2f", last->value, NULL);
    fprintf(f,
            ", shortfall in %d of %d windows</small></figcaption>\n<svg viewBox=\"0 0 360 "
            "170\" role=\"img\"><title>Gap per window of finding #%d: shortfall in %d of %d "
            "windows</title>\n",
            shortfalls, s->n, (int)s->fd.rank, shortfalls, s->n);
    frame(f, s);
    marks(f, s);
    fputs("</svg>\n", f);
    table(d, s);
    fputs("</figure>\n", f);
}

int html_trends(const html_doc *d)
{
    size_t k = d->n_findings < HTML_TRENDS_MAX ? d->n_findings : HTML_TRENDS_MAX, shown = 0;
    series *s = calloc(k ? k : 1, sizeof *s);
    double days = 30;
    if (s == NULL)
        return -1;
    servgap_ctx_get_option(d->ctx, SERVGAP_OPT_WINDOW_DAYS, &days);
    load(d, s, k);
    fprintf(d->f,
            "<section id=\"trends\" aria-labelledby=\"h-trends\">\n<h2 id=\"h-trends\">Trends"
            "</h2>\n<p class=\"note\">The top findings' gap in each %.0f-day window up to the "
            "analysis date, with its %.0f%% interval; a filled dot is a significant shortfall "
            "in that window.</p>\n<div class=\"trends\">",
            days, d->confidence * 100);
    for (size_t i = 0; i < k; i++)
        if (s[i].n > 0) {
            one(d, &s[i]);
            shown++;
        }
    if (shown == 0)
        fputs("<p>No trend: no finding, or the query asked for none.</p>", d->f);
    fputs("</div></section>\n", d->f);
    free(s);
    return 0;
}
