/*
 * risk -- gap-persistence risk per account over the last K windows of
 * window_days days ending at the analysis date r->now, weighted by the size
 * of the shortfalls and the account's value; and how well that risk ranks
 * churned against retained accounts (ROC AUC, by the Mann-Whitney
 * statistic). Each window's account cells come from the windows the query
 * shares (persistence counts the same ones), under the held read lock. docs/remediation.md gives
 * the formula and a worked example. Relies on window.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdlib.h>

#include "analysis.h"
#include "persist.h"

/* One account over the windows. */
typedef struct acc_risk {
    int32_t with;     /* windows holding a significant shortfall */
    int64_t findings; /* their shortfalls, summed over the windows */
    double worst;     /* most negative normalized shortfall, NaN if none */
    double h;         /* sum over windows of the window term h_w */
} acc_risk;

/* h_w = 0 without a shortfall, else (1 + min(1, |worst|)) / 2: holding a
 * shortfall at all counts one half, its size up to the other half. */
static void add_window(acc_risk *acc, servgap__shortfalls w)
{
    if (w.count == 0)
        return;
    double size = fabs(w.worst) < 1.0 ? fabs(w.worst) : 1.0;
    acc->with++;
    acc->findings += w.count;
    acc->h += (1.0 + size) / 2.0;
    if (isnan(acc->worst) || w.worst < acc->worst)
        acc->worst = w.worst;
}

static int window_pass(servgap__shared *sh, int64_t from, int64_t to, acc_risk *acc)
{
    const servgap__winsum *w;
    if (servgap__shared_window(sh, from, to, SERVGAP_QUERY_ACCOUNTS, &w) != 0)
        return -1;
    for (size_t i = 0; i < w->nacc; i++)
        add_window(&acc[w->acc[i]], w->sf[i]);
    return 0;
}

/* Windows j = 0 .. K-1, oldest first: [now - (K-j)W, now - (K-1-j)W). */
static int all_windows(servgap__shared *sh, int64_t now, acc_risk *acc)
{
    int rc = 0;
    int64_t k = sh->opt->windows, days = sh->opt->window_days;
    for (int64_t j = 0; j < k && rc == 0; j++)
        rc = window_pass(sh, servgap__days_before(now, (k - j) * days),
                         servgap__days_before(now, (k - 1 - j) * days), acc);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of the accounts' values (mean of the two middle ones). */
static int median_value(const servgap_ctx *ctx, size_t n, double *median)
{
    double *v = servgap__malloc(&ctx->alloc, n, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = ctx->accounts.a[i].value;
    qsort(v, n, sizeof *v, cmp_double);
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    servgap__free(&ctx->alloc, v);
    return 0;
}

/* omega = 1/2 + 1/2 * v / (v + median), in [1/2, 1): every account keeps
 * at least half its persistence, a median account three quarters. */
static double value_weight(double v, double median)
{
    double share = v + median > 0.0 ? v / (v + median) : 0.5;
    return 0.5 + 0.5 * share;
}

typedef struct scored {
    double risk;
    int churned;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    return cmp_double(&((const scored *)a)->risk, &((const scored *)b)->risk);
}

/* Mann-Whitney: AUC = (R1 - n1 (n1 + 1) / 2) / (n1 n0) with R1 the sum of
 * the churned accounts' mid-ranks, so that ties count one half. Ranks are
 * half-integers, exact in doubles. */
static int auc(servgap_result *r, const servgap__alloc *a)
{
    size_t n = r->nrisk;
    scored *s = servgap__malloc(a, n, sizeof *s);
    if (!s)
        return -1;
    int64_t n1 = 0;
    for (size_t i = 0; i < n; i++) {
        s[i].risk = r->risk[i].risk;
        s[i].churned = r->risk[i].churned;
        n1 += s[i].churned;
    }
    qsort(s, n, sizeof *s, cmp_scored);
    double r1 = 0.0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && s[j].risk == s[i].risk;)
            j++;
        double mid = ((double)i + 1.0 + (double)j) / 2.0;
        for (size_t k = i; k < j; k++)
            r1 += s[k].churned ? mid : 0.0;
    }
    servgap__free(a, s);
    int64_t n0 = (int64_t)n - n1;
    r->churned = n1;
    r->retained = n0;
    r->auc =
        n1 && n0 ? (r1 - (double)n1 * ((double)n1 + 1.0) / 2.0) / ((double)n1 * (double)n0) : NAN;
    return 0;
}

/* risk = omega * (1/K) * sum over windows of h_w. */
static int rows(servgap_result *r, const servgap_ctx *ctx, int64_t k, const acc_risk *acc,
                double median)
{
    for (size_t i = 0; i < ctx->accounts.names.count; i++) {
        const servgap__account *ac = &ctx->accounts.a[i];
        servgap_risk *row = servgap__result_add_risk(r);
        if (!row)
            return -1;
        row->size = sizeof *row;
        row->account = (int32_t)i;
        row->windows = (int32_t)k;
        row->with_shortfall = acc[i].with;
        row->churned = ac->churned != 0;
        row->value = ac->value;
        row->findings = acc[i].findings;
        row->worst_normalized = acc[i].worst;
        row->risk = value_weight(ac->value, median) * acc[i].h / (double)k;
    }
    return 0;
}

int servgap__risk_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                        servgap__shared *sh)
{
    size_t n = ctx->accounts.names.count;
    if (n == 0)
        return 0; /* r->auc stays NaN, both counts 0 */
    acc_risk *acc = servgap__malloc(&ctx->alloc, n, sizeof *acc);
    if (!acc)
        return -1;
    for (size_t i = 0; i < n; i++) {
        acc_risk zero = {0, 0, NAN, 0.0};
        acc[i] = zero;
    }
    double median = 0.0;
    int rc = all_windows(sh, r->now, acc);
    if (rc == 0)
        rc = median_value(ctx, n, &median);
    if (rc == 0)
        rc = rows(r, ctx, opt->windows, acc, median);
    if (rc == 0)
        rc = auc(r, &ctx->alloc);
    servgap__free(&ctx->alloc, acc);
    return rc;
}
