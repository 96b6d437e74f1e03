/*
 * fmt.c -- names, labels and numbers as the text report and the SVG print
 * them. Every function tolerates ids the handle does not know (printed as
 * "#ID") and NaN numbers (printed as "-"), so that a report never fails on
 * a row it cannot name. Names and units come from the data, so they leave
 * here made visible (visible.c) and every caller prints them safely.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <string.h>

#include "report.h"

const char *kind_name(servgap_ctx *ctx, int32_t kind, int32_t id, char *buf, size_t cap)
{
    const char *name = NULL;
    if (servgap_name(ctx, kind, id, &name) == SERVGAP_OK && name != NULL)
        return visible(name, buf, cap);
    snprintf(buf, cap, "#%d", (int)id);
    return buf;
}

const char *scope_label(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id, char *buf,
                        size_t cap)
{
    int tier = scope_kind == SERVGAP_SCOPE_TIER;
    int k = snprintf(buf, cap, "%s", tier ? "tier:" : "");
    if (k >= 0 && (size_t)k < cap)
        kind_name(ctx, tier ? SERVGAP_KIND_TIER : SERVGAP_KIND_ACCOUNT, scope_id, buf + k,
                  cap - (size_t)k);
    return buf;
}

const char *touchpoint_label(servgap_ctx *ctx, int32_t touchpoint, char *buf, size_t cap)
{
    if (touchpoint == SERVGAP_ALL)
        return "all";
    if (touchpoint == SERVGAP_ANY)
        return "any";
    return kind_name(ctx, SERVGAP_KIND_TOUCHPOINT, touchpoint, buf, cap);
}

const char *metric_label(servgap_ctx *ctx, int32_t metric, int32_t dimension, char *buf, size_t cap)
{
    if (metric == SERVGAP_ALL) {
        const char *d = servgap_dimension_name(dimension);
        snprintf(buf, cap, "dim:%s", d ? d : "?");
        return buf;
    }
    return kind_name(ctx, SERVGAP_KIND_METRIC, metric, buf, cap);
}

const char *metric_unit(servgap_ctx *ctx, int32_t metric, char *buf, size_t cap)
{
    servgap_metric m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    if (metric == SERVGAP_ALL || servgap_metric_info(ctx, metric, &m) != SERVGAP_OK ||
        m.unit == NULL)
        return "";
    return visible(m.unit, buf, cap);
}

const char *gap_label(int32_t gap, int32_t status, uint32_t span)
{
    const char *name = NULL;
    if (status == SERVGAP_STATUS_UNRESOLVED)
        name = servgap_span_name(span);
    if (name == NULL)
        name = servgap_gap_name(gap);
    return name ? name : "?";
}

const char *finding_gap_label(const servgap_finding *f)
{
    if (f->flags & SERVGAP_FINDING_NO_STANDARD)
        return "no standard";
    return gap_label(f->gap, SERVGAP_STATUS_SHORTFALL, 0);
}

const char *class_label(const servgap_cell *c)
{
    const char *name = NULL;
    if (c->classification == SERVGAP_CLASS_SPAN)
        name = servgap_span_name(c->class_span);
    if (name == NULL)
        name = servgap_class_name(c->classification);
    return name ? name : "?";
}

const char *quadrant_label(int32_t quadrant)
{
    switch (quadrant) {
    case SERVGAP_QUADRANT_QUICK_WIN:
        return "quick win";
    case SERVGAP_QUADRANT_MAJOR_PROJECT:
        return "major project";
    case SERVGAP_QUADRANT_FILL_IN:
        return "fill-in";
    case SERVGAP_QUADRANT_THANKLESS:
        return "thankless";
    default:
        return "?";
    }
}

const char *fmt_money(double v, char *buf, size_t cap)
{
    char digits[32];
    size_t n, k, o = 0;
    if (!isfinite(v) || fabs(v) >= 1e18) {
        snprintf(buf, cap, "-");
        return buf;
    }
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    n = strlen(digits);
    if (v <= -0.5 && o + 1 < cap)
        buf[o++] = '-';
    for (k = 0; k < n && o + 2 < cap; k++) {
        if (k > 0 && (n - k) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[k];
    }
    buf[o] = '\0';
    return buf;
}

const char *fmt_num(double v, const char *spec, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, spec, v);
    return buf;
}

void report_error(servgap_ctx *ctx, int rc, const char *what)
{
    const char *msg = servgap_errmsg(ctx);
    fputs(PROG ": ", stderr);
    if (msg != NULL && *msg != '\0')
        put_visible(stderr, msg);
    else
        fprintf(stderr, "%s: %s", what, servgap_strerror(rc));
    fputc('\n', stderr);
}
