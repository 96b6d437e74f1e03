/*
 * svg.c -- the impact-versus-effort matrix of a result's findings as one
 * standalone SVG file that a browser renders without anything else.
 *
 * Effort runs along x (0 at the left), impact along y (0..100, high at the
 * top). Dashed lines mark the quadrant thresholds of the handle
 * (SERVGAP_OPT_EFFORT_CUT, SERVGAP_OPT_IMPACT_CUT; a value on a line counts
 * as high), and each quadrant carries its name. Every finding is one group
 * <g class="finding"> with a circle coloured by gap type, its rank written
 * inside and a <title> tooltip; a legend under the plot maps the first
 * ranks to scope / touchpoint / metric / gap, and says that the JSON
 * report lists every finding (a line per finding ran to 150 lines under a
 * plot that the tooltips already name). Circles that would overlap
 * (findings often share an effort value) are nudged to the nearest free
 * spot within their quadrant, in rank order, so that every rank stays
 * readable; the tooltip gives the exact numbers. All text is XML-escaped,
 * and names and units come made visible from fmt.c, as in the text report.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The page, in SVG user units (pixels): the plot at (x0, y0), the key to
 * its right, the legend under it. Dense plots get a bigger plot area and
 * smaller circles. */
typedef struct layout {
    double width, height;
    double x0, y0, w, h; /* plot area */
    double key_x;
    double legend_y, legend_col, legend_row;
    size_t legend_rows;
    double radius;
    double xmax, impact_cut, effort_cut;
} layout;

typedef struct point {
    double x, y;
} point;

/* An area that circles keep clear of (a quadrant name). */
typedef struct box {
    double x0, y0, x1, y1;
} box;

/* The findings the legend names: the first ranks. */
#define LEGEND_MAX 10

/* "scope / touchpoint / metric / gap": three labels and a gap name. */
#define NAME_CAP (3 * LABEL_CAP + 32)

static const char *gap_colour(int32_t gap)
{
    switch (gap) {
    case SERVGAP_GAP_KNOWLEDGE:
        return "#7b3294";
    case SERVGAP_GAP_STANDARDS:
        return "#a6761d";
    case SERVGAP_GAP_DELIVERY:
        return "#d7191c";
    case SERVGAP_GAP_COMMUNICATION:
        return "#e66101";
    case SERVGAP_GAP_PERCEPTION:
        return "#2c7bb6";
    default:
        return "#636363";
    }
}

/* A round axis step giving at most about 8 intervals up to max. */
static double nice_step(double max)
{
    static const double steps[] = {0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 250, 500, 1000};
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
        if (max / steps[k] <= 8)
            return steps[k];
    return pow(10, ceil(log10(max / 8)));
}

/* "scope / touchpoint / metric / gap", the finding's name in the legend. */
static void finding_name(servgap_ctx *ctx, const servgap_finding *f, char *buf, size_t cap)
{
    char s[LABEL_CAP], t[LABEL_CAP], m[LABEL_CAP];
    snprintf(buf, cap, "%s / %s / %s / %s",
             scope_label(ctx, f->scope_kind, f->scope_id, s, sizeof s),
             touchpoint_label(ctx, f->touchpoint, t, sizeof t),
             metric_label(ctx, f->metric, f->dimension, m, sizeof m),
             gap_label(f->gap, SERVGAP_STATUS_SHORTFALL, 0));
}

static void layout_init(layout *L, size_t n, const servgap_finding *fs, servgap_ctx *ctx)
{
    int dense = n > 60;
    double xmax = 1;
    memset(L, 0, sizeof *L);
    L->x0 = 90;
    L->y0 = 70;
    L->w = dense ? 760 : 600;
    L->h = dense ? 620 : 440;
    L->radius = dense ? 8 : 9;
    L->key_x = L->x0 + L->w + 30;
    L->width = L->key_x + 220;
    L->legend_y = L->y0 + L->h + 80;
    L->legend_col = L->width / 2 - 10;
    L->legend_row = 15;
    L->legend_rows = ((n < LEGEND_MAX ? n : LEGEND_MAX) + 1) / 2;
    L->height = L->legend_y + 60 + (double)L->legend_rows * L->legend_row;
    L->impact_cut = 25;
    L->effort_cut = 3;
    servgap_ctx_get_option(ctx, SERVGAP_OPT_IMPACT_CUT, &L->impact_cut);
    servgap_ctx_get_option(ctx, SERVGAP_OPT_EFFORT_CUT, &L->effort_cut);
    for (size_t i = 0; i < n; i++)
        if (isfinite(fs[i].effort) && fs[i].effort > xmax)
            xmax = fs[i].effort;
    xmax = fmax(xmax * 1.15, L->effort_cut * 2);
    L->xmax = ceil(xmax / nice_step(xmax)) * nice_step(xmax);
}

/* Where a finding belongs, clamped into the plot. */
static point position(const layout *L, const servgap_finding *fd)
{
    double e = isfinite(fd->effort) ? fmin(fmax(fd->effort, 0), L->xmax) : 0;
    double im = isfinite(fd->impact) ? fmin(fmax(fd->impact, 0), 100) : 0;
    point p = {L->x0 + e / L->xmax * L->w, L->y0 + L->h - im / 100 * L->h};
    p.x = fmin(fmax(p.x, L->x0 + L->radius), L->x0 + L->w - L->radius);
    p.y = fmin(fmax(p.y, L->y0 + L->radius), L->y0 + L->h - L->radius);
    return p;
}

/* Whether a circle at q fits: inside the plot, its centre in the finding's
 * own quadrant, clear of the boxes and of the circles placed so far. */
static int fits(const layout *L, int32_t quadrant, point q, const point *placed, size_t n,
                const box *boxes, size_t nb)
{
    double r = L->radius;
    double cx = L->x0 + L->effort_cut / L->xmax * L->w;
    double cy = L->y0 + L->h - L->impact_cut / 100 * L->h;
    int high_effort =
        quadrant == SERVGAP_QUADRANT_MAJOR_PROJECT || quadrant == SERVGAP_QUADRANT_THANKLESS;
    int high_impact =
        quadrant == SERVGAP_QUADRANT_QUICK_WIN || quadrant == SERVGAP_QUADRANT_MAJOR_PROJECT;
    if (q.x - r < L->x0 || q.x + r > L->x0 + L->w || q.y - r < L->y0 || q.y + r > L->y0 + L->h)
        return 0;
    if (quadrant >= SERVGAP_QUADRANT_QUICK_WIN && quadrant <= SERVGAP_QUADRANT_THANKLESS &&
        ((q.x >= cx) != high_effort || (q.y <= cy) != high_impact))
        return 0;
    for (size_t i = 0; i < nb; i++) {
        double dx = fmax(fmax(boxes[i].x0 - q.x, 0), q.x - boxes[i].x1);
        double dy = fmax(fmax(boxes[i].y0 - q.y, 0), q.y - boxes[i].y1);
        if (dx * dx + dy * dy < r * r)
            return 0;
    }
    for (size_t i = 0; i < n; i++) {
        double dx = q.x - placed[i].x, dy = q.y - placed[i].y;
        if (dx * dx + dy * dy < 4 * r * r)
            return 0;
    }
    return 1;
}

/* The free spot nearest to p on rings of growing radius around it, so
 * that every rank stays readable (findings often share an effort value).
 * Earlier ranks are placed first and keep their exact position. */
static point place(const layout *L, int32_t quadrant, point p, const point *placed, size_t n,
                   const box *boxes, size_t nb)
{
    const double two_pi = 6.283185307179586;
    if (fits(L, quadrant, p, placed, n, boxes, nb))
        return p;
    for (int ring = 1; ring <= 80; ring++) {
        double rad = ring * L->radius * 1.05;
        int m = (int)fmax(6, floor(two_pi * rad / (2 * L->radius)));
        for (int j = 0; j < m; j++) {
            point q = {p.x + rad * cos(two_pi * j / m), p.y - rad * sin(two_pi * j / m)};
            if (fits(L, quadrant, q, placed, n, boxes, nb))
                return q;
        }
    }
    return p;
}

/* The quadrant names, on a white ground so that they stay legible, in the
 * outer corner of each quadrant; their boxes go to *boxes. */
static void quadrant_names(FILE *f, const layout *L, box boxes[4])
{
    static const char *const names[4] = {"Quick wins", "Major projects", "Fill-ins",
                                         "Thankless tasks"};
    const double fs = 15, pad = 4;
    fputs("<g class=\"quadrant\" font-size=\"15\" font-weight=\"bold\">\n", f);
    for (int k = 0; k < 4; k++) {
        int right = k % 2, bottom = k / 2;
        double tw = (double)strlen(names[k]) * fs * 0.62;
        double x = right ? L->x0 + L->w - 8 - tw : L->x0 + 8;
        double base = bottom ? L->y0 + L->h - 10 : L->y0 + 22;
        boxes[k] = (box){x - pad, base - fs - pad + 3, x + tw + pad, base + pad + 1};
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
                "fill=\"#fff\" fill-opacity=\"0.8\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" fill=\"#444\">%s</text>\n",
                boxes[k].x0, boxes[k].y0, boxes[k].x1 - boxes[k].x0, boxes[k].y1 - boxes[k].y0, x,
                base, names[k]);
    }
    fputs("</g>\n", f);
}

static void axes(FILE *f, const layout *L)
{
    double step = nice_step(L->xmax);
    double cx = L->x0 + L->effort_cut / L->xmax * L->w;
    double cy = L->y0 + L->h - L->impact_cut / 100 * L->h;
    double right = L->x0 + L->w, bottom = L->y0 + L->h;

    /* Quadrant grounds: quick wins, major projects, fill-ins, thankless. */
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e5f5e0\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fee6ce\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f0f0f0\"/>\n"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fde0dd\"/>\n",
            L->x0, L->y0, cx - L->x0, cy - L->y0, cx, L->y0, right - cx, cy - L->y0, L->x0, cy,
            cx - L->x0, bottom - cy, cx, cy, right - cx, bottom - cy);
    fprintf(f,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
            "stroke=\"#333\"/>\n",
            L->x0, L->y0, L->w, L->h);
    fprintf(f,
            "<g stroke=\"#333\" stroke-dasharray=\"6 4\">\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
            cx, L->y0, cx, bottom, L->x0, cy, right, cy);
    fputs("<g class=\"ticks\" font-size=\"11\" fill=\"#333\">\n", f);
    for (int k = 0; k <= 10; k++) {
        double y = bottom - k * 10 / 100.0 * L->h;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                L->x0 - 5, y, L->x0, y);
        if (k % 2 == 0)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", L->x0 - 8,
                    y + 4, k * 10);
    }
    for (int k = 0; k * step <= L->xmax + 1e-9; k++) {
        double x = L->x0 + k * step / L->xmax * L->w;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", x,
                bottom, x, bottom + 5);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n", x, bottom + 18,
                k * step);
    }
    fputs("</g>\n", f);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\">Effort to fix "
            "(the embedder's unit)</text>\n",
            L->x0 + L->w / 2, bottom + 40);
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 %.1f %.1f)\">Impact on account health (0..100)</text>\n",
            L->x0 - 45, L->y0 + L->h / 2, L->x0 - 45, L->y0 + L->h / 2);
}

static void colour_key(FILE *f, const layout *L)
{
    static const int32_t gaps[] = {SERVGAP_GAP_KNOWLEDGE,  SERVGAP_GAP_STANDARDS,
                                   SERVGAP_GAP_DELIVERY,   SERVGAP_GAP_COMMUNICATION,
                                   SERVGAP_GAP_PERCEPTION, SERVGAP_GAP_SERVICE};
    static const char *const notes[] = {"Each circle is one finding,",
                                        "numbered with its rank.",
                                        "Circles that would overlap",
                                        "are nudged apart; hover for",
                                        "exact values. The list below",
                                        "names the first ranks.",
                                        "",
                                        "Dashed lines: the thresholds",
                                        "(a value on a line counts",
                                        "as high)."};
    double x = L->key_x, y0 = L->y0;
    fprintf(f,
            "<g class=\"key\" font-size=\"12\">\n<text x=\"%.1f\" y=\"%.1f\" "
            "font-weight=\"bold\">Gap type</text>\n",
            x, y0 + 10);
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++) {
        double y = y0 + 32 + 20 * (double)k;
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"/>\n", x + 6, y - 4,
                gap_colour(gaps[k]));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 18, y);
        put_markup(f,
                   gaps[k] == SERVGAP_GAP_SERVICE ? "service, other" : servgap_gap_name(gaps[k]));
        fputs("</text>\n", f);
    }
    for (size_t k = 0; k < sizeof notes / sizeof notes[0]; k++)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">%s</text>\n", x,
                y0 + 170 + 16 * (double)k, notes[k]);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">Impact threshold: %g</text>\n", x,
            y0 + 170 + 16 * 11.0, L->impact_cut);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">Effort threshold: %g</text>\n</g>\n", x,
            y0 + 170 + 16 * 12.0, L->effort_cut);
}

static void one_finding(FILE *f, servgap_ctx *ctx, const layout *L, const servgap_finding *fd,
                        point p)
{
    char name[NAME_CAP];
    int font = fd->rank >= 100 ? (L->radius < 9 ? 6 : 7) : (L->radius < 9 ? 8 : 9);
    finding_name(ctx, fd, name, sizeof name);
    fprintf(f, "<g class=\"finding\" data-rank=\"%d\">\n<title>#%d ", (int)fd->rank, (int)fd->rank);
    put_markup(f, quadrant_label(fd->quadrant));
    fputs(": ", f);
    put_markup(f, name);
    fprintf(f, "; impact %.1f, effort %g, gap %+.3f (normalized %+.3f)</title>\n", fd->impact,
            fd->effort, fd->value, fd->normalized);
    fprintf(f,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\" fill=\"%s\" fill-opacity=\"0.9\" "
            "stroke=\"#fff\"/>\n",
            p.x, p.y, L->radius, gap_colour(fd->gap));
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\" fill=\"#fff\" "
            "font-weight=\"bold\">%d</text>\n</g>\n",
            p.x, p.y + font * 0.36, font, (int)fd->rank);
}

static void legend_entry(FILE *f, servgap_ctx *ctx, const layout *L, const servgap_finding *fd,
                         size_t i)
{
    char name[NAME_CAP];
    double x = 20 + (double)(i / L->legend_rows) * L->legend_col;
    double y = L->legend_y + 22 + (double)(i % L->legend_rows) * L->legend_row;
    finding_name(ctx, fd, name, sizeof name);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"><tspan font-weight=\"bold\" fill=\"%s\">%d</tspan> ", x,
            y, gap_colour(fd->gap), (int)fd->rank);
    put_markup(f, name);
    fprintf(f, " (%.0f, %g)</text>\n", fd->impact, fd->effort);
}

/* The first LEGEND_MAX findings by rank, and where the others are. */
static void legend(FILE *f, servgap_ctx *ctx, const layout *L, const servgap_finding *fs, size_t n)
{
    size_t shown = n < LEGEND_MAX ? n : LEGEND_MAX;
    fputs("<g class=\"legend\" font-size=\"11\">\n", f);
    if (shown > 0)
        fprintf(
            f,
            "<text x=\"20\" y=\"%.1f\" font-size=\"13\" "
            "font-weight=\"bold\">The first %zu findings by rank: scope / touchpoint / metric / "
            "gap (impact, effort)</text>\n",
            L->legend_y, shown);
    for (size_t i = 0; i < shown; i++)
        legend_entry(f, ctx, L, &fs[i], i);
    if (n > shown)
        fprintf(f,
                "<text class=\"more\" x=\"20\" y=\"%.1f\" fill=\"#555\">%zu more findings: "
                "hover a circle for its name and numbers; the JSON report (servgap-report "
                "--json) lists every finding.</text>\n",
                L->legend_y + 22 + (double)L->legend_rows * L->legend_row + 8, n - shown);
    fputs("</g>\n</svg>\n", f);
}

static void write_svg(FILE *f, servgap_ctx *ctx, const servgap_result *r, const servgap_finding *fs,
                      size_t n, point *placed)
{
    layout L;
    box boxes[4];
    int64_t from = SERVGAP_TIME_MIN, to = SERVGAP_TIME_MAX;
    char a[11] = "(start)", b[11] = "(end)", window[40] = "all observations";

    layout_init(&L, n, fs, ctx);
    servgap_result_window(r, &from, &to);
    if (from != SERVGAP_TIME_MIN)
        date_format(from, a);
    if (to != SERVGAP_TIME_MAX)
        date_format(to - SERVGAP_DAY, b);
    if (from != SERVGAP_TIME_MIN || to != SERVGAP_TIME_MAX)
        snprintf(window, sizeof window, "%s .. %s", a, b);

    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            "<title>servgap-report: impact versus effort</title>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            L.width, L.height, L.width, L.height);
    fprintf(f,
            "<text x=\"%.1f\" y=\"30\" font-size=\"18\" font-weight=\"bold\">Satisfaction gaps: "
            "impact versus effort</text>\n"
            "<text x=\"%.1f\" y=\"50\" font-size=\"12\" fill=\"#555\">%zu finding%s, window: "
            "%s</text>\n",
            L.x0, L.x0, n, n == 1 ? "" : "s", window);
    axes(f, &L);
    colour_key(f, &L);
    quadrant_names(f, &L, boxes);
    if (n == 0)
        fprintf(f,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"middle\" "
                "fill=\"#555\">No findings: no significant shortfall in this window</text>\n",
                L.x0 + L.w / 2, L.y0 + L.h / 2);

    for (size_t i = 0; i < n; i++)
        placed[i] = place(&L, fs[i].quadrant, position(&L, &fs[i]), placed, i, boxes, 4);
    /* The first ranks last, so that they are drawn on top. */
    fputs("<g class=\"findings\">\n", f);
    for (size_t i = n; i-- > 0;)
        one_finding(f, ctx, &L, &fs[i], placed[i]);
    fputs("</g>\n", f);

    legend(f, ctx, &L, fs, n);
}

int svg_write(const char *path, servgap_ctx *ctx, const servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS), m = 0;
    servgap_finding *fs = calloc(n ? n : 1, sizeof *fs);
    point *placed = calloc(n ? n : 1, sizeof *placed);
    FILE *f = NULL;
    int rc = EXIT_DATA;

    if (fs == NULL || placed == NULL) {
        fputs(PROG ": out of memory\n", stderr);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        INIT(fs[m]);
        if (servgap_result_finding(r, i, &fs[m]) == SERVGAP_OK)
            m++;
    }
    f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        goto done;
    }
    write_svg(f, ctx, r, fs, m, placed);
    if (ferror(f)) {
        fprintf(stderr, PROG ": %s: write failed\n", path);
        fclose(f);
        goto done;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    free(fs);
    free(placed);
    return rc;
}
