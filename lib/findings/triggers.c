/*
 * triggers -- review triggers per account (docs/remediation.md, section 3), dated against
 * the result's analysis date r->now: a renewal soon with open shortfalls; a
 * spike of negative perceived scores against the account's own baseline
 * (Fisher's exact one-sided test); a recent migration, with a pre/post
 * comparison of perceived scores as evidence; at risk while no service
 * shortfall is measured (hidden gap); the next quarterly review date. The
 * evidence comes from the account registry, the account cells of the
 * result's window and one scan of the log. Runs under the read lock.
 * Relies on window (cells of a window), stats and tdist.
 * docs/remediation.md states every rule.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "persist.h"
#include "../base/calendar.h"
#include "../base/numtext.h"
#include "../base/tdist.h"

/* What the log scan gathers for one account. */
typedef struct scanacc {
    int64_t n[2], neg[2];       /* spike: [0] baseline window, [1] recent window */
    int64_t mig_day;            /* migration day, INT64_MIN when no trigger */
    servgap__moments pre, post; /* migration: perceived scores in [0, 1] */
} scanacc;

/* What the window's account cells say about one account. */
typedef struct cellacc {
    int64_t open;                /* distinct (metric, gap) significant shortfalls */
    servgap__shortfall worst[3]; /* the largest of them, nworst */
    size_t nworst;
    int64_t service_ok; /* all-touchpoint metric cells with service met or exceeds */
    int service_short;  /* an all-touchpoint cell has a service shortfall */
} cellacc;

typedef struct build {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    servgap_result *r;
    int64_t now_day;
    scanacc *scan;
    cellacc *cells;
} build;

/* t -/+ days whole days, saturating instead of overflowing. */
static int64_t add_days(int64_t t, int64_t days)
{
    if (days > 0 && t > INT64_MAX - days * SERVGAP_DAY)
        return INT64_MAX;
    if (days < 0 && t < INT64_MIN - days * SERVGAP_DAY)
        return INT64_MIN;
    return t + days * SERVGAP_DAY;
}

/* The day `months` calendar months after month index mi (year * 12 +
 * month - 1) on day d, clamped to the month's last day (Jan 31 -> Apr 30). */
static int64_t month_step(int64_t mi, int d, int64_t months)
{
    int64_t k = mi + months, y = servgap__floor_div(k, 12);
    int m = (int)(k - y * 12) + 1, last = servgap__month_days(y, m);
    return servgap__days_from_civil(y, m, d < last ? d : last);
}

/* The first day on or after now_day that lies a whole number of quarters
 * (3 calendar months) from the anchor day. */
static int64_t next_review(int64_t anchor, int64_t now_day)
{
    int64_t ay, ny;
    int am, ad, nm, nd;
    servgap__civil(anchor, &ay, &am, &ad);
    servgap__civil(now_day, &ny, &nm, &nd);
    int64_t ai = ay * 12 + am - 1, ni = ny * 12 + nm - 1;
    int64_t k = servgap__floor_div(ni - ai, 3) - 1, day = now_day;
    /* k starts at or before now's quarter: three steps always reach it. */
    for (int step = 0; step < 4; step++, k++) {
        day = month_step(ai, ad, 3 * k);
        if (day >= now_day)
            break;
    }
    return day;
}

static void fmt_date(int64_t day, char *buf, size_t cap)
{
    int64_t y;
    int m, d;
    servgap__civil(day, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02d-%02d", (long long)y, m, d);
}

/* Copy t into a new trigger row with its detail; -1 when memory ran out. */
static int push(build *b, const servgap_trigger *t, const char *detail)
{
    servgap_trigger *row = servgap__result_add_trigger(b->r, detail);
    if (!row)
        return -1;
    *row = *t;
    row->size = sizeof *row;
    row->detail = NULL;
    return 0;
}

static void trigger_init(servgap_trigger *t, int32_t account, int32_t kind, int64_t date)
{
    memset(t, 0, sizeof *t);
    t->account = account;
    t->kind = kind;
    t->date = date;
    t->before = t->after = t->statistic = t->lo = t->hi = NAN;
}

/* ---- evidence from the log ------------------------------------------- */

/* Marks the accounts whose migration is in [now - migration_days, now]. */
static void scan_init(build *b, size_t nacc)
{
    int64_t lo = add_days(b->r->now, -b->opt->migration_days);
    for (size_t a = 0; a < nacc; a++) {
        scanacc *s = &b->scan[a];
        int64_t mig = b->ctx->accounts.a[a].migration;
        servgap__moments_init(&s->pre);
        servgap__moments_init(&s->post);
        s->mig_day = INT64_MIN;
        if (mig != SERVGAP_TIME_NONE && mig >= lo && mig <= b->r->now)
            s->mig_day = servgap__floor_div(mig, SERVGAP_DAY);
    }
}

/* Which spike window day falls in: 0 baseline, 1 recent, -1 neither. */
static int spike_window(const build *b, int64_t day)
{
    int64_t rec = b->now_day - b->opt->spike_recent_days;
    int64_t base = rec - b->opt->spike_baseline_days;
    if (day < base || day >= b->now_day)
        return -1;
    return day >= rec;
}

/* Where an account's observation of day goes around its migration: the
 * moments before or after it, or NULL. */
static servgap__moments *migration_side(const build *b, scanacc *s, int64_t day)
{
    if (s->mig_day == INT64_MIN)
        return NULL;
    int64_t len = b->now_day - s->mig_day;
    if (day >= s->mig_day - len && day < s->mig_day)
        return &s->pre;
    if (day >= s->mig_day && day < b->now_day)
        return &s->post;
    return NULL;
}

/* The score of a value (0 = worst end of the metric's range, 1 = best),
 * so that metrics of different units can share one mean. */
static double score_of(const servgap__metric *m, double value)
{
    double lo = servgap__orient(m, m->direction == SERVGAP_LOWER_IS_BETTER ? m->max : m->min);
    return (servgap__orient(m, value) - lo) / (m->max - m->min);
}

/* One perceived observation of an account: its spike counts and, around a
 * migration, its score. */
static void scan_row(build *b, scanacc *s, const servgap__metric *m, double value, int64_t day)
{
    int w = spike_window(b, day);
    if (w >= 0) {
        s->n[w]++;
        s->neg[w] += servgap__orient(m, value) < servgap__negative_cut(m, b->opt->negative_share);
    }
    servgap__moments *side = migration_side(b, s, day);
    if (side)
        servgap__moments_add(side, score_of(m, value));
}

/* A day bucket of an account's perceived observations (a loaded summary,
 * model/buckets.h): what scan_row adds for each of them, at once. Its
 * negative answers were counted at the query's negative_share (the query
 * checked), and a score is an affine map of the value, so its moments
 * are the value's mapped. */
static void scan_bucket(build *b, scanacc *s, const servgap__metric *m, const servgap__moments *x,
                        int64_t day)
{
    int w = spike_window(b, day);
    if (w >= 0) {
        s->n[w] += x->n;
        s->neg[w] += x->neg;
    }
    servgap__moments *side = migration_side(b, s, day);
    double range = m->max - m->min;
    servgap__moments score = {x->n, score_of(m, x->mean), x->m2 / (range * range), 0};
    if (side)
        servgap__moments_merge(side, &score);
}

static const servgap__metric *bounded(const build *b, size_t metric)
{
    const servgap__metric *m = &b->ctx->metrics.m[metric];
    return isfinite(m->min) && isfinite(m->max) ? m : NULL;
}

/* Accounts' own perceived observations of bounded metrics, in log order,
 * then those of the summaries' buckets in their table order. */
static void scan_log(build *b)
{
    const servgap__store *st = &b->ctx->store;
    for (size_t c = 0; c < st->nchunk; c++) {
        const servgap__chunk *k = &st->chunk[c];
        for (size_t i = 0; i < k->n; i++) {
            if (SERVGAP__BITS_VP(k->bits[i]) != SERVGAP_VP_PERCEIVED ||
                (k->scope[i] & SERVGAP__SCOPE_TIER))
                continue;
            const servgap__metric *m = bounded(b, k->metric[i]);
            if (m)
                scan_row(b, &b->scan[k->scope[i]], m, k->value[i], k->day[i]);
        }
    }
    const servgap__buckets *bk = &b->ctx->buckets;
    for (size_t i = 0; i < bk->ndays; i++) {
        const servgap__bseries *x = &bk->series[bk->days[i].series];
        uint32_t scope = (uint32_t)(x->key >> 32);
        const servgap__metric *m = bounded(b, x->key & 0xffffu);
        if (x->code == SERVGAP_VP_PERCEIVED && !(scope & SERVGAP__SCOPE_TIER) && m)
            scan_bucket(b, &b->scan[scope], m, &bk->days[i].m, bk->days[i].day);
    }
}

/* ---- evidence from the account cells ---------------------------------- */

/* One account's run of cells [i, j): its open shortfalls, and whether its
 * all-touchpoint cells show a service shortfall. */
static void account_cells(const servgap_result *cr, size_t i, size_t j, uint8_t *mask, cellacc *out)
{
    const servgap__cellrow *rows = cr->cells;
    for (size_t k = i; k < j; k++) {
        const servgap__cellrow *row = &rows[k];
        int status = row->gc.status[SERVGAP_GAP_SERVICE];
        if (row->c.touchpoint != SERVGAP_ALL)
            continue;
        out->service_short |= status == SERVGAP_STATUS_SHORTFALL;
        out->service_ok += row->c.metric != SERVGAP_ALL &&
                           (status == SERVGAP_STATUS_MET || status == SERVGAP_STATUS_EXCEEDS);
    }
    out->open += servgap__account_shortfalls(cr, i, j, SERVGAP__GAPS_ALL, mask).count;
    out->nworst = servgap__account_worst(cr, i, j, SERVGAP__GAPS_ALL, out->worst);
}

static int summarize(build *b, const servgap_result *cr)
{
    uint8_t *mask = servgap__calloc(&b->ctx->alloc, b->ctx->metrics.names.count, 1);
    if (!mask)
        return -1;
    for (size_t i = 0, j; i < cr->ncells; i = j) {
        const servgap__cellrec *c = &cr->cells[i].c;
        j = servgap__scope_run(cr, i);
        if (c->scope_kind == SERVGAP_SCOPE_ACCOUNT)
            account_cells(cr, i, j, mask, &b->cells[c->scope_id]);
    }
    servgap__free(&b->ctx->alloc, mask);
    return 0;
}

/* The result's own account cells, or (when the query did not ask for
 * them) those of the same window computed here. */
static int cell_evidence(build *b, servgap__shared *sh)
{
    const servgap_result *r = b->r;
    if (r->ncells && r->cells[r->ncells - 1].c.scope_kind == SERVGAP_SCOPE_ACCOUNT)
        return summarize(b, r);
    servgap_result *w;
    if (servgap__window_tc(b->ctx, b->opt, r->from, r->to,
                           SERVGAP_QUERY_ACCOUNTS | SERVGAP__NO_SERVQUAL, &sh->tc, NULL, &w) != 0)
        return -1;
    int rc = summarize(b, w);
    servgap_result_free(w);
    return rc;
}

/* ---- the five kinds, in kind order ------------------------------------ */

/* ", the largest: slack resolution_hours delivery -0.42; ..." into buf:
 * what a renewal's open shortfalls are, not only how many. */
static void name_worst(const build *b, const cellacc *c, char *buf, size_t cap)
{
    const servgap_ctx *ctx = b->ctx;
    size_t off = 0;
    for (size_t k = 0; k < c->nworst && off < cap; k++) {
        const servgap__shortfall *s = &c->worst[k];
        const char *tp =
            s->touchpoint == SERVGAP_ALL ? "all touchpoints" : ctx->touchpoints.str[s->touchpoint];
        int n = snprintf(buf + off, cap - off, "%s%s %s %s %s", k ? "; " : ", the largest: ", tp,
                         ctx->metrics.names.str[s->metric], servgap_gap_name(s->gap),
                         SERVGAP__NUM(s->normalized));
        off += n > 0 ? (size_t)n : 0;
    }
}

static int renewal(build *b, int32_t a)
{
    int64_t when = b->ctx->accounts.a[a].renewal;
    int64_t open = b->cells[a].open;
    if (when == SERVGAP_TIME_NONE || when < b->r->now ||
        when > add_days(b->r->now, b->opt->renewal_days) || open == 0)
        return 0;
    servgap_trigger t;
    trigger_init(&t, a, SERVGAP_TRIGGER_RENEWAL, when);
    t.count = open;
    char date[32], detail[2048];
    int64_t day = servgap__floor_div(when, SERVGAP_DAY);
    fmt_date(day, date, sizeof date);
    int k = snprintf(detail, sizeof detail, "renewal on %s (%lld days) with %lld open shortfall%s",
                     date, (long long)(day - b->now_day), (long long)open, open == 1 ? "" : "s");
    name_worst(b, &b->cells[a], detail + k, sizeof detail - (size_t)k);
    return push(b, &t, detail);
}

/* Wilson score interval of a proportion x / n at normal quantile q. */
static void wilson(int64_t x, int64_t n, double q, double *lo, double *hi)
{
    double nn = (double)n, p = (double)x / nn, q2 = q * q;
    double den = 1.0 + q2 / nn, mid = (p + q2 / (2.0 * nn)) / den;
    double half = q / den * sqrt(p * (1.0 - p) / nn + q2 / (4.0 * nn * nn));
    *lo = mid - half;
    *hi = mid + half;
}

/* Newcombe's hybrid score interval of p1 - p0 (his method 10): unlike the
 * Wald interval it does not collapse to a point at shares of 0 or 1. */
static void newcombe(const scanacc *s, double q, double *lo, double *hi)
{
    double l0, u0, l1, u1;
    double p0 = (double)s->neg[0] / (double)s->n[0], p1 = (double)s->neg[1] / (double)s->n[1];
    wilson(s->neg[0], s->n[0], q, &l0, &u0);
    wilson(s->neg[1], s->n[1], q, &l1, &u1);
    *lo = p1 - p0 - sqrt((p1 - l1) * (p1 - l1) + (u0 - p0) * (u0 - p0));
    *hi = p1 - p0 + sqrt((u1 - p1) * (u1 - p1) + (p0 - l0) * (p0 - l0));
}

/* log(e^x + e^y) without overflow. */
static double log_add(double x, double y)
{
    if (x == -INFINITY)
        return y;
    double hi = x > y ? x : y, lo = x > y ? y : x;
    return hi + log1p(exp(lo - hi));
}

/* Fisher's exact one-sided p: P(X >= x1) for X hypergeometric, drawing n1
 * of n items of which k are negative. Terms follow from their neighbour's
 * ratio in log space, so no lgamma (whose signgam is a global) is needed. */
static double fisher_upper(int64_t n, int64_t k, int64_t n1, int64_t x1)
{
    int64_t lo = n1 - (n - k) > 0 ? n1 - (n - k) : 0, hi = k < n1 ? k : n1;
    double lt = 0.0, all = -INFINITY, tail = -INFINITY;
    for (int64_t j = lo; j <= hi; j++) {
        all = log_add(all, lt);
        if (j >= x1)
            tail = log_add(tail, lt);
        lt += log((double)(k - j) * (double)(n1 - j)) -
              log((double)(j + 1) * (double)(n - k - n1 + j + 1));
    }
    return exp(tail - all);
}

/* Fires when the recent negative share is higher than the baseline's by
 * Fisher's exact one-sided test at the handle's confidence: with a few
 * answers a pooled z passes on one bad score against none. Both windows
 * need min_n customer observations. The z statistic and Newcombe's
 * interval (two-sided, same confidence) are evidence. */
static int spike(build *b, int32_t a)
{
    const scanacc *s = &b->scan[a];
    int64_t n0 = s->n[0], n1 = s->n[1], min_n = b->opt->min_n_customer;
    if (n0 < min_n || n1 < min_n)
        return 0;
    double p0 = (double)s->neg[0] / (double)n0, p1 = (double)s->neg[1] / (double)n1;
    double p = (double)(s->neg[0] + s->neg[1]) / (double)(n0 + n1);
    double var = p * (1.0 - p) * (1.0 / (double)n0 + 1.0 / (double)n1);
    if (!(var > 0.0) || !(p1 > p0))
        return 0; /* nothing rose */
    double z = (p1 - p0) / sqrt(var);
    double pf = fisher_upper(n0 + n1, s->neg[0] + s->neg[1], n1, s->neg[1]);
    if (!(pf < 1.0 - b->opt->confidence))
        return 0;
    servgap_trigger t;
    trigger_init(&t, a, SERVGAP_TRIGGER_CSAT_SPIKE, b->r->now);
    t.count = s->neg[1];
    t.before = p0;
    t.after = p1;
    t.statistic = z;
    newcombe(s, servgap__norm_quantile(0.5 + b->opt->confidence / 2.0), &t.lo, &t.hi);
    t.n_before = n0;
    t.n_after = n1;
    char detail[256];
    snprintf(detail, sizeof detail,
             "negative perceived share %.1f%% (%lld of %lld) in the last %lld days against %.1f%% "
             "(%lld of %lld) in the %lld days before; z = %.2f, Fisher p = %.2g",
             100.0 * p1, (long long)s->neg[1], (long long)n1, (long long)b->opt->spike_recent_days,
             100.0 * p0, (long long)s->neg[0], (long long)n0,
             (long long)b->opt->spike_baseline_days, z, pf);
    return push(b, &t, detail);
}

/* Fires on the date alone; the Welch comparison of perceived scores before
 * and after is evidence, with an interval only when both sides have min_n
 * observations (below it a lone answer would pass for an exact value). */
static int migration(build *b, int32_t a)
{
    const scanacc *s = &b->scan[a];
    if (s->mig_day == INT64_MIN)
        return 0;
    servgap_trigger t;
    trigger_init(&t, a, SERVGAP_TRIGGER_MIGRATION, b->ctx->accounts.a[a].migration);
    t.count = b->now_day - s->mig_day;
    t.n_before = s->pre.n;
    t.n_after = s->post.n;
    if (s->pre.n)
        t.before = s->pre.mean;
    if (s->post.n)
        t.after = s->post.mean;
    char date[32], detail[256];
    fmt_date(s->mig_day, date, sizeof date);
    int k = snprintf(detail, sizeof detail, "migrated on %s (%lld days ago); ", date,
                     (long long)t.count);
    size_t off = k > 0 && (size_t)k < sizeof detail ? (size_t)k : 0;
    int64_t min_n = b->opt->min_n_customer;
    if (s->pre.n < min_n || s->post.n < min_n) {
        snprintf(detail + off, sizeof detail - off,
                 "too few perceived scores to compare (%lld before, %lld after)",
                 (long long)s->pre.n, (long long)s->post.n);
        return push(b, &t, detail);
    }
    servgap__interval iv;
    servgap__welch(t.after, servgap__moments_var(&s->post), s->post.n, t.before,
                   servgap__moments_var(&s->pre), s->pre.n, b->opt->confidence, &iv);
    t.lo = iv.lo;
    t.hi = iv.hi;
    t.statistic = iv.se > 0.0 ? iv.value / iv.se : NAN;
    snprintf(detail + off, sizeof detail - off,
             "perceived score %.2f before (n=%lld) and %.2f after (n=%lld), change %+.2f "
             "[%+.2f, %+.2f]",
             t.before, (long long)t.n_before, t.after, (long long)t.n_after, iv.value, iv.lo,
             iv.hi);
    return push(b, &t, detail);
}

static int hidden_gap(build *b, int32_t a)
{
    const servgap__account *ac = &b->ctx->accounts.a[a];
    const cellacc *c = &b->cells[a];
    if (!servgap__account_at_risk(ac, b->opt->at_risk_health) || c->service_short)
        return 0;
    servgap_trigger t;
    trigger_init(&t, a, SERVGAP_TRIGGER_HIDDEN_GAP, b->r->now);
    t.count = c->service_ok;
    char why[64], detail[256];
    if (ac->at_risk)
        snprintf(why, sizeof why, "flagged");
    else
        snprintf(why, sizeof why, "health %s below %s", SERVGAP__NUM(ac->health),
                 SERVGAP__NUM(b->opt->at_risk_health));
    if (c->service_ok)
        snprintf(detail, sizeof detail,
                 "at risk (%s) yet perceived meets or exceeds expected on %lld metric%s: "
                 "suspected knowledge or perception gap",
                 why, (long long)c->service_ok, c->service_ok == 1 ? "" : "s");
    else
        snprintf(detail, sizeof detail,
                 "at risk (%s) with no service shortfall measured: suspected knowledge or "
                 "perception gap",
                 why);
    return push(b, &t, detail);
}

static int quarterly(build *b, int32_t a)
{
    int64_t ren = b->ctx->accounts.a[a].renewal;
    int anchored = ren != SERVGAP_TIME_NONE;
    int64_t day = next_review(anchored ? servgap__floor_div(ren, SERVGAP_DAY) : 0, b->now_day);
    servgap_trigger t;
    int64_t when = day > INT64_MAX / SERVGAP_DAY ? INT64_MAX : day * SERVGAP_DAY;
    trigger_init(&t, a, SERVGAP_TRIGGER_QUARTERLY_REVIEW, when);
    t.count = day - b->now_day;
    char date[32], detail[160];
    fmt_date(day, date, sizeof date);
    snprintf(detail, sizeof detail, "quarterly review on %s (in %lld days), %s", date,
             (long long)t.count,
             anchored ? "every 3 months from the renewal date" : "at the calendar quarter start");
    return push(b, &t, detail);
}

static int emit(build *b, size_t nacc)
{
    for (size_t i = 0; i < nacc; i++) {
        int32_t a = (int32_t)i;
        if (renewal(b, a) || spike(b, a) || migration(b, a) || hidden_gap(b, a) || quarterly(b, a))
            return -1;
    }
    return 0;
}

int servgap__triggers_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                            servgap__shared *sh)
{
    size_t nacc = ctx->accounts.names.count;
    if (nacc == 0)
        return 0;
    build b = {ctx, opt, r, servgap__floor_div(r->now, SERVGAP_DAY), NULL, NULL};
    b.scan = servgap__calloc(&ctx->alloc, nacc, sizeof *b.scan);
    b.cells = servgap__calloc(&ctx->alloc, nacc, sizeof *b.cells);
    int rc = -1;
    if (b.scan && b.cells) {
        scan_init(&b, nacc);
        scan_log(&b);
        rc = cell_evidence(&b, sh);
        if (rc == 0)
            rc = emit(&b, nacc);
    }
    servgap__free(&ctx->alloc, b.scan);
    servgap__free(&ctx->alloc, b.cells);
    return rc;
}
