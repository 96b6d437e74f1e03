/*
 * workload -- the generator. The distribution (docs/performance.md,
 * "Workload") in short:
 *
 *  - accounts: tier by hash (10% enterprise, 30% mid_market, 60% smb), a
 *    value (ARR) by tier, two home touchpoints and a home team;
 *  - activity is skewed: an observation's account is floor(A * u^2) for a
 *    uniform u, so low account numbers are busy and most are quiet;
 *  - first, tier-wide rows at day 0: believed for all 12 metrics, standard
 *    and promised for the 7 operational ones, per tier and touchpoint (624);
 *  - then, until the row budget is spent, events: 1.08% of them a paired
 *    SERVQUAL response (5 Likert items, expected and perceived, adequate in
 *    half of them; 10 or 15 rows; importance points in 40%), so that about
 *    12% of rows are paired; the other events one unpaired row: 91% a
 *    delivered operational metric (first response, resolution, reopen, SLA
 *    met, handle time) with a team, 7% a perceived CSAT or NPS with a team,
 *    2% a stated expected first response or resolution time with an
 *    expectation driver;
 *  - touchpoint: the account's first home touchpoint 70%, its second 30%;
 *    team: the home team 80%, any of the 50 otherwise; day uniform over the
 *    days, second uniform within the day;
 *  - values in hundredths from integer draws: Likert sums of three uniforms
 *    around a tier mean, times triangular on [0, 2 x mean], rates Bernoulli.
 */
#include "workload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const wl_metric wl_metrics[WL_METRICS] = {
    {"tangibles", "tangibles", "", 0, 1, 1, 7, 6},
    {"reliability", "reliability", "", 1, 1, 1, 7, 6},
    {"responsiveness", "responsiveness", "", 2, 1, 1, 7, 6},
    {"assurance", "assurance", "", 3, 1, 1, 7, 6},
    {"empathy", "empathy", "", 4, 1, 1, 7, 6},
    {"first_response_hours", "responsiveness", "h", 2, 2, 0, INFINITY, 8},
    {"resolution_hours", "responsiveness", "h", 2, 2, 0, INFINITY, 48},
    {"reopen_rate", "reliability", "share", 1, 2, 0, 1, 1},
    {"csat", "assurance", "points", 3, 1, 1, 5, 4},
    {"nps", "empathy", "points", 4, 1, 0, 10, 10},
    {"sla_met_rate", "reliability", "share", 1, 1, 0, 1, 1},
    {"handle_minutes", "tangibles", "min", 0, 2, 0, INFINITY, 60},
};

const char *const wl_tier_names[WL_TIERS] = {"enterprise", "mid_market", "smb"};
const char *const wl_tp_names[WL_TOUCHPOINTS] = {"slack", "email",  "chat",      "ticket_form",
                                                 "phone", "portal", "community", "qbr"};
static const char *const vp_names[8] = {"expected",  "adequate", "believed",  "standard",
                                        "delivered", "promised", "perceived", "importance"};
static const char *const driver_names[5] = {"", "word_of_mouth", "personal_needs",
                                            "past_experience", "external_communication"};

/* Operational metrics that are delivered per interaction. */
static const int delivered_metrics[5] = {5, 6, 7, 10, 11};
/* Per tier, in hundredths: delivered mean (triangular) or Bernoulli share
 * (percent) for metrics 5, 6, 7, 10, 11; standard; promised. */
static const int64_t delivered_level[5][WL_TIERS] = {
    {100, 300, 600}, {800, 2000, 3600}, {5, 8, 12}, {95, 90, 85}, {2500, 1500, 1000}};
static const int64_t standard_level[5][WL_TIERS] = {
    {100, 400, 800}, {800, 2400, 4800}, {5, 10, 15}, {95, 90, 85}, {2000, 2000, 2000}};
static const int64_t promised_level[5][WL_TIERS] = {
    {50, 200, 400}, {400, 1200, 2400}, {3, 5, 10}, {99, 95, 90}, {1500, 1500, 1500}};

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t hash64(uint64_t x)
{
    uint64_t s = x;
    return splitmix64(&s);
}

static void params_default(wl_params *p, int quick)
{
    p->observations = quick ? 1000000u : 10000000u;
    p->accounts = quick ? 10000u : 100000u;
    p->days = 365;
    p->seed = 20260101u;
}

static int env_u64(const char *name, uint64_t *v)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return 0;
    char *end;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end == 'k' || *end == 'K')
        x *= 1000u;
    else if (*end == 'm' || *end == 'M')
        x *= 1000000u;
    *v = x;
    return 1;
}

void wl_params_env(wl_params *p)
{
    const char *size = getenv("SERVGAP_BENCH_SIZE");
    params_default(p, size && strcmp(size, "quick") == 0);
    uint64_t v;
    if (env_u64("SERVGAP_BENCH_OBS", &v))
        p->observations = v;
    if (env_u64("SERVGAP_BENCH_ACCOUNTS", &v) && v > 0)
        p->accounts = (uint32_t)v;
    if (env_u64("SERVGAP_BENCH_DAYS", &v) && v > 0)
        p->days = (uint32_t)v;
    if (env_u64("SERVGAP_BENCH_SEED", &v))
        p->seed = v;
}

void wl_account_name(uint32_t i, char *buf)
{
    snprintf(buf, 16, "acct%07u", (unsigned)i);
}

/* A Likert answer 1..7 around mean (hundredths): the sum of three uniform
 * draws on [-100, 100] spreads it by about one point. */
static double likert(uint64_t *s, int64_t mean)
{
    int64_t x = mean;
    for (int k = 0; k < 3; k++)
        x += (int64_t)(splitmix64(s) % 201u) - 100;
    int64_t v = (x + 50) / 100;
    return (double)(v < 1 ? 1 : v > 7 ? 7 : v);
}

/* Triangular on [0, 2 mean], in hundredths. */
static double tri(uint64_t *s, int64_t mean)
{
    int64_t a = (int64_t)(splitmix64(s) % 1001u), b = (int64_t)(splitmix64(s) % 1001u);
    return (double)(mean * (a + b) / 1000) / 100.0;
}

static double bernoulli(uint64_t *s, int64_t percent)
{
    return splitmix64(s) % 100u < (uint64_t)percent ? 1.0 : 0.0;
}

/* A score on [lo, hi] around mean (hundredths), whole points. */
static double score(uint64_t *s, int64_t mean, int64_t lo, int64_t hi)
{
    int64_t x = mean + (int64_t)(splitmix64(s) % 301u) - 150;
    int64_t v = (x + 50) / 100;
    return (double)(v < lo ? lo : v > hi ? hi : v);
}

typedef struct acct {
    int tier, tpa, tpb, team;
} acct;

static acct account_of(const wl_params *p, uint32_t i)
{
    uint64_t h = hash64(p->seed ^ ((uint64_t)i * 0x2545f4914f6cdd1du));
    acct a;
    unsigned t = (unsigned)(h % 100u);
    a.tier = t < 10 ? 0 : t < 40 ? 1 : 2;
    a.tpa = (int)((h >> 8) % WL_TOUCHPOINTS);
    a.tpb = (int)((h >> 16) % WL_TOUCHPOINTS);
    a.team = (int)((h >> 24) % WL_TEAMS);
    return a;
}

static int64_t draw_time(uint64_t *s, uint32_t days)
{
    uint64_t d = splitmix64(s) % days, sec = splitmix64(s) % 86400u;
    return (int64_t)WL_EPOCH + (int64_t)(d * 86400u + sec);
}

static void push(wl_data *d, int32_t kind, int32_t sid, int32_t tp, int32_t metric, int32_t vp,
                 double value, int64_t time, int32_t team, int32_t driver)
{
    size_t i = d->n++;
    d->kind[i] = kind;
    d->sid[i] = sid;
    d->tp[i] = tp;
    d->metric[i] = metric;
    d->vp[i] = vp;
    d->value[i] = value;
    d->time[i] = time;
    d->team[i] = team;
    d->driver[i] = driver;
}

static void tier_rows(wl_data *d, uint64_t budget)
{
    for (int t = 0; t < WL_TIERS; t++)
        for (int tp = 0; tp < WL_TOUCHPOINTS; tp++)
            for (int m = 0; m < WL_METRICS; m++) {
                int op = -1;
                for (int k = 0; k < 5; k++)
                    if (delivered_metrics[k] == m)
                        op = k;
                double believed = m < WL_LIKERT ? 5.5 - 0.25 * t
                                  : m == 8      ? 4.0
                                  : m == 9      ? 8.0
                                                : (double)standard_level[op][t] / 100.0;
                if (d->n < budget)
                    push(d, 2, t, tp, m, 2, believed, WL_EPOCH, -1, 0);
                if (op < 0)
                    continue;
                if (d->n < budget)
                    push(d, 2, t, tp, m, 3, (double)standard_level[op][t] / 100.0, WL_EPOCH, -1, 0);
                if (d->n < budget)
                    push(d, 2, t, tp, m, 5, (double)promised_level[op][t] / 100.0, WL_EPOCH, -1, 0);
            }
}

static void response(wl_data *d, uint64_t *s, uint32_t a, const acct *ac, int asked_adequate)
{
    static const int64_t e_mean[WL_TIERS] = {620, 580, 540};
    static const int64_t p_mean[WL_TIERS] = {560, 520, 490};
    wl_resp *r = &d->resp[d->nresp++];
    r->account = (int32_t)a;
    r->tp = splitmix64(s) % 10u < 7 ? ac->tpa : ac->tpb;
    r->team = splitmix64(s) % 10u < 8 ? ac->team : (int32_t)(splitmix64(s) % WL_TEAMS);
    r->time = draw_time(s, d->prm.days);
    for (int k = 0; k < WL_LIKERT; k++) {
        int64_t off = (k - 2) * 10;
        r->e[k] = likert(s, e_mean[ac->tier] + off);
        r->p[k] = likert(s, p_mean[ac->tier] - off);
        r->a[k] = asked_adequate ? likert(s, 450) : NAN;
    }
    r->has_imp = splitmix64(s) % 10u < 4;
    if (r->has_imp) {
        int64_t w[WL_LIKERT], sum = 0, used = 0;
        for (int k = 0; k < WL_LIKERT; k++)
            sum += w[k] = 1 + (int64_t)(splitmix64(s) % 20u);
        for (int k = 0; k < WL_LIKERT; k++) {
            int64_t pts = k + 1 < WL_LIKERT ? 100 * w[k] / sum : 100 - used;
            used += pts;
            r->imp[k] = (double)pts;
        }
    }
    d->resp_rows += asked_adequate ? 15u : 10u;
}

static void event(wl_data *d, uint64_t *s, uint64_t budget)
{
    static const int64_t csat_mean[WL_TIERS] = {420, 390, 360};
    static const int64_t nps_mean[WL_TIERS] = {800, 700, 600};
    static const int64_t exp_level[2][WL_TIERS] = {{50, 200, 400}, {400, 1200, 2400}};
    double u = (double)(splitmix64(s) >> 11) * 0x1.0p-53;
    uint32_t a = (uint32_t)(u * u * (double)d->prm.accounts);
    if (a >= d->prm.accounts)
        a = d->prm.accounts - 1;
    acct ac = account_of(&d->prm, a);
    uint64_t left = budget - (d->n + d->resp_rows);
    /* 1.08% of events are responses of 12.5 rows on average: 12% of rows. */
    if (splitmix64(s) % 10000u < 108) {
        int adequate = splitmix64(s) % 2u == 0;
        if (left >= (adequate ? 15u : 10u)) {
            response(d, s, a, &ac, adequate);
            return;
        }
    }
    unsigned kind = (unsigned)(splitmix64(s) % 100u);
    int32_t tp = splitmix64(s) % 10u < 7 ? ac.tpa : ac.tpb;
    int32_t team = splitmix64(s) % 10u < 8 ? ac.team : (int32_t)(splitmix64(s) % WL_TEAMS);
    int64_t t = draw_time(s, d->prm.days);
    if (kind < 91) {
        int op = (int)(splitmix64(s) % 5u);
        int m = delivered_metrics[op];
        int64_t lv = delivered_level[op][ac.tier];
        double v = (m == 7 || m == 10) ? bernoulli(s, lv) : tri(s, lv);
        push(d, 1, (int32_t)a, tp, m, 4, v, t, team, 0);
    } else if (kind < 98) {
        int nps = splitmix64(s) % 2u == 0;
        double v = nps ? score(s, nps_mean[ac.tier], 0, 10) : score(s, csat_mean[ac.tier], 1, 5);
        push(d, 1, (int32_t)a, tp, nps ? 9 : 8, 6, v, t, team, 0);
    } else {
        int which = (int)(splitmix64(s) % 2u);
        int32_t drv = 1 + (int32_t)(splitmix64(s) % 4u);
        push(d, 1, (int32_t)a, tp, 5 + which, 0, tri(s, exp_level[which][ac.tier]), t, -1, drv);
    }
}

int wl_generate(const wl_params *p, wl_data *d)
{
    memset(d, 0, sizeof *d);
    d->prm = *p;
    size_t n = (size_t)p->observations + 1;
    d->kind = malloc(n * sizeof *d->kind);
    d->sid = malloc(n * sizeof *d->sid);
    d->tp = malloc(n * sizeof *d->tp);
    d->metric = malloc(n * sizeof *d->metric);
    d->vp = malloc(n * sizeof *d->vp);
    d->team = malloc(n * sizeof *d->team);
    d->driver = malloc(n * sizeof *d->driver);
    d->value = malloc(n * sizeof *d->value);
    d->time = malloc(n * sizeof *d->time);
    d->resp = malloc((n / 10 + 1) * sizeof *d->resp);
    d->acc_tier = malloc((size_t)p->accounts * sizeof *d->acc_tier);
    d->acc_value = malloc((size_t)p->accounts * sizeof *d->acc_value);
    if (!d->kind || !d->sid || !d->tp || !d->metric || !d->vp || !d->team || !d->driver ||
        !d->value || !d->time || !d->resp || !d->acc_tier || !d->acc_value) {
        wl_free(d);
        return -1;
    }
    static const uint64_t base[WL_TIERS] = {100000, 20000, 2000},
                          spread[WL_TIERS] = {500000, 80000, 18000};
    for (uint32_t i = 0; i < p->accounts; i++) {
        acct ac = account_of(p, i);
        uint64_t h = hash64(p->seed + 7 + i);
        d->acc_tier[i] = ac.tier;
        d->acc_value[i] = (double)(base[ac.tier] + h % spread[ac.tier]);
    }
    uint64_t s = p->seed;
    tier_rows(d, p->observations);
    while (d->n + d->resp_rows < p->observations)
        event(d, &s, p->observations);
    return 0;
}

void wl_free(wl_data *d)
{
    free(d->kind);
    free(d->sid);
    free(d->tp);
    free(d->metric);
    free(d->vp);
    free(d->team);
    free(d->driver);
    free(d->value);
    free(d->time);
    free(d->resp);
    free(d->acc_tier);
    free(d->acc_value);
    memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------------- */
/* CSV                                                                     */
/* ---------------------------------------------------------------------- */

typedef struct out {
    char *p;
    size_t n, cap;
    int failed;
} out;

static void room(out *o, size_t more)
{
    if (o->failed || o->n + more <= o->cap)
        return;
    size_t cap = o->cap ? o->cap : 1u << 20;
    while (cap < o->n + more)
        cap *= 2;
    char *p = realloc(o->p, cap);
    if (!p) {
        o->failed = 1;
        return;
    }
    o->p = p;
    o->cap = cap;
}

static void put(out *o, const char *s)
{
    size_t n = strlen(s);
    room(o, n);
    if (!o->failed) {
        memcpy(o->p + o->n, s, n);
        o->n += n;
    }
}

/* A value in hundredths, shortest: 3, 0.5, 12.25. */
static void put_value(out *o, double v)
{
    char buf[96];
    int64_t k = (int64_t)llround(v * 100.0);
    int64_t whole = k / 100, frac = k % 100;
    if (frac == 0)
        snprintf(buf, sizeof buf, "%lld", (long long)whole);
    else if (frac % 10 == 0)
        snprintf(buf, sizeof buf, "%lld.%lld", (long long)whole, (long long)(frac / 10));
    else
        snprintf(buf, sizeof buf, "%lld.%02d", (long long)whole, (int)frac);
    put(o, buf);
}

static void put_time(out *o, int64_t t)
{
    int64_t days = t / 86400, sec = t % 86400;
    /* civil_from_days (H. Hinnant) */
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    char buf[128];
    snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
             (long long)(y + (mm <= 2)), (long long)mm, (long long)dd, (long long)(sec / 3600),
             (long long)(sec / 60 % 60), (long long)(sec % 60));
    put(o, buf);
}

static void put_row(out *o, const wl_data *d, int64_t time, int32_t kind, int32_t sid, int32_t tp,
                    const char *metric, int vp, double value, int32_t team, int32_t driver,
                    long long respondent)
{
    char buf[32];
    put_time(o, time);
    put(o, ",");
    if (kind == 1) {
        wl_account_name((uint32_t)sid, buf);
        put(o, buf);
        put(o, ",");
        put(o, wl_tier_names[d->acc_tier[sid]]);
    } else {
        put(o, ",");
        put(o, wl_tier_names[sid]);
    }
    put(o, ",");
    put(o, wl_tp_names[tp]);
    put(o, ",");
    put(o, metric);
    put(o, ",");
    put(o, vp_names[vp]);
    put(o, ",");
    put_value(o, value);
    put(o, ",");
    if (team >= 0) {
        snprintf(buf, sizeof buf, "team%02d", (int)team);
        put(o, buf);
    }
    put(o, ",");
    put(o, driver_names[driver]);
    put(o, ",");
    if (respondent >= 0) {
        snprintf(buf, sizeof buf, "r%lld", respondent);
        put(o, buf);
    }
    put(o, "\n");
}

char *wl_csv_observations(const wl_data *d, size_t *len)
{
    out o = {0};
    room(&o, d->n * 80 + d->resp_rows * 90 + 256);
    put(&o, "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n");
    /* Responses are interleaved with the unpaired rows, as an export
     * ordered by ticket would hold them. */
    size_t step = d->nresp ? d->n / d->nresp + 1 : d->n + 1, r = 0;
    for (size_t i = 0; i < d->n || r < d->nresp; i++) {
        if (i < d->n)
            put_row(&o, d, d->time[i], d->kind[i], d->sid[i], d->tp[i],
                    wl_metrics[d->metric[i]].name, d->vp[i], d->value[i], d->team[i], d->driver[i],
                    -1);
        if ((i % step == step - 1 || i >= d->n) && r < d->nresp) {
            const wl_resp *x = &d->resp[r];
            for (int k = 0; k < WL_LIKERT; k++) {
                put_row(&o, d, x->time, 1, x->account, x->tp, wl_metrics[k].name, 0, x->e[k],
                        x->team, 0, (long long)r);
                if (!isnan(x->a[k]))
                    put_row(&o, d, x->time, 1, x->account, x->tp, wl_metrics[k].name, 1, x->a[k],
                            x->team, 0, (long long)r);
                put_row(&o, d, x->time, 1, x->account, x->tp, wl_metrics[k].name, 6, x->p[k],
                        x->team, 0, (long long)r);
            }
            for (int k = 0; k < WL_LIKERT && x->has_imp; k++)
                put_row(&o, d, x->time, 1, x->account, x->tp, wl_metrics[k].dimension, 7, x->imp[k],
                        x->team, 0, (long long)r);
            r++;
        }
    }
    if (o.failed) {
        free(o.p);
        return NULL;
    }
    *len = o.n;
    return o.p;
}

char *wl_csv_accounts(const wl_data *d, size_t *len)
{
    out o = {0};
    char buf[96];
    put(&o, "account,tier,value\n");
    for (uint32_t i = 0; i < d->prm.accounts; i++) {
        char name[16];
        wl_account_name(i, name);
        snprintf(buf, sizeof buf, "%s,%s,%.0f\n", name, wl_tier_names[d->acc_tier[i]],
                 d->acc_value[i]);
        put(&o, buf);
    }
    if (o.failed) {
        free(o.p);
        return NULL;
    }
    *len = o.n;
    return o.p;
}

char *wl_csv_metrics(size_t *len)
{
    out o = {0};
    char buf[160];
    put(&o, "metric,dimension,direction,min,max,span,unit\n");
    for (int m = WL_LIKERT; m < WL_METRICS; m++) {
        const wl_metric *x = &wl_metrics[m];
        char max[32] = "";
        if (isfinite(x->max))
            snprintf(max, sizeof max, "%g", x->max);
        snprintf(buf, sizeof buf, "%s,%s,%s,%g,%s,%g,%s\n", x->name, x->dimension,
                 x->direction == 1 ? "higher" : "lower", x->min, max, x->span, x->unit);
        put(&o, buf);
    }
    if (o.failed) {
        free(o.p);
        return NULL;
    }
    *len = o.n;
    return o.p;
}
