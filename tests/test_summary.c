/*
 * test_summary -- summaries (servgap_summary_write, servgap_summary_load*)
 * against the single-machine run. Every partition of the data is written
 * as a summary by a handle of its own; the summaries are loaded into one
 * handle that knows the shared definitions (the broadcast dictionary of
 * docs/scaling.md); that handle's reports must then equal the reports of
 * one handle fed all the data: the same JSON structure, every string the
 * same, every number within 1e-12 relative. On the sample data
 * (examples/data, the path is argv[1]) and on random data with random
 * partitions by account; also by ranges of days; a fixed load order gives
 * the same bytes, another order the same numbers to 1e-12; summary sizes
 * grow with groups and days, not observations; and damaged summaries are
 * refused with the target unchanged.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "run_suite.h"
#include "servgap.h"

#define DAY   SERVGAP_DAY
#define T0    (20454 * (int64_t)DAY) /* 2026-01-01 */
#define TOL   1e-12
#define FLAGS (SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS)

static const char *data_dir = "examples/data";

/* ---------------------------------------------------------------------- */
/* Comparing reports                                                       */
/* ---------------------------------------------------------------------- */

/* x and y agree to TOL relative to the larger of them, and of 1, the
 * scale of the data: a gap between two means that are equal is 0 in one
 * run and 1e-16 in another, as the same means summed in another order
 * differ in their last bit. */
static int close_enough(double x, double y)
{
    if (x == y)
        return 1;
    double scale = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
    return fabs(x - y) <= TOL * (scale > 1.0 ? scale : 1.0);
}

static int number_start(char c)
{
    return c == '-' || (c >= '0' && c <= '9');
}

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
}

/* Two string tokens [a, a + na) and [b, b + nb) agree: the same text but
 * for the numbers written in it (a trigger's detail), which agree as
 * numbers do. */
static int strings_close(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        int sa = number_start(a[i]) && (i == 0 || !word_char(a[i - 1]));
        int sb = number_start(b[j]) && (j == 0 || !word_char(b[j - 1]));
        if (sa && sb && a[i] != '-' && b[j] != '-') {
            char *ea, *eb;
            double x = strtod(a + i, &ea), y = strtod(b + j, &eb);
            if (!close_enough(x, y))
                return 0;
            i = (size_t)(ea - a);
            j = (size_t)(eb - b);
        } else if (a[i] == b[j]) {
            i++;
            j++;
        } else if (a[i] == '-' && b[j] != '-' && number_start(a[i + 1])) {
            return 0;
        } else {
            return 0;
        }
    }
    return i == na && j == nb;
}

/* The end of the string token starting at s[0] == '"'. */
static size_t string_end(const char *s)
{
    size_t i = 1;
    while (s[i] && s[i] != '"')
        i += s[i] == '\\' ? 2 : 1;
    return s[i] ? i + 1 : i;
}

/* Two JSON texts token by token: strings, literals and punctuation the
 * same bytes, numbers within TOL relative. 1 when they agree; else 0 with
 * the place of the first difference printed. */
static int json_close(const char *a, const char *b)
{
    size_t i = 0, j = 0;
    while (a[i] && b[j]) {
        if (a[i] == '"' && b[j] == '"') {
            size_t ea = string_end(a + i), eb = string_end(b + j);
            if (!strings_close(a + i, ea, b + j, eb))
                break;
            i += ea;
            j += eb;
        } else if (number_start(a[i]) && number_start(b[j])) {
            char *ea, *eb;
            double x = strtod(a + i, &ea), y = strtod(b + j, &eb);
            if (!close_enough(x, y))
                break;
            i = (size_t)(ea - a);
            j = (size_t)(eb - b);
        } else if (a[i] == b[j]) {
            i++;
            j++;
        } else {
            break;
        }
    }
    if (!a[i] && !b[j])
        return 1;
    fprintf(stderr, "reports differ at %zu / %zu:\n  %.160s\n  %.160s\n", i, j,
            a + (i > 80 ? i - 80 : 0), b + (j > 80 ? j - 80 : 0));
    return 0;
}

/* The JSON report of a query of ctx (malloc'd). */
static char *report(servgap_ctx *ctx, int64_t from, int64_t to, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query(ctx, from, to, flags, &r);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "query: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
    size_t len = 0;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &len), SERVGAP_OK);
    char *buf = malloc(len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, len + 1, &len), SERVGAP_OK);
    servgap_result_free(r);
    return buf;
}

/* The trends of every finding cell of ctx's whole-time query, as JSON. */
static char *trends_report(servgap_ctx *ctx, servgap_ctx *cells_of)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query(cells_of, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &r),
        SERVGAP_OK);
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    n = n > 16 ? 16 : n;
    int32_t col[6][16];
    for (size_t i = 0; i < n; i++) {
        servgap_finding f = {.size = sizeof f};
        ck_assert_int_eq(servgap_result_finding(r, i, &f), SERVGAP_OK);
        int32_t v[6] = {f.scope_kind, f.scope_id, f.touchpoint, f.metric, f.dimension, f.gap};
        for (int k = 0; k < 6; k++)
            col[k][i] = v[k];
    }
    servgap_result_free(r);
    servgap_result *t = NULL;
    ck_assert_int_eq(servgap_query_trends(ctx, SERVGAP_TIME_NONE, n, col[0], col[1], col[2], col[3],
                                          col[4], col[5], &t),
                     SERVGAP_OK);
    size_t len = 0;
    ck_assert_int_eq(servgap_result_json(ctx, t, NULL, 0, &len), SERVGAP_OK);
    char *buf = malloc(len + 1);
    ck_assert_int_eq(servgap_result_json(ctx, t, buf, len + 1, &len), SERVGAP_OK);
    servgap_result_free(t);
    return buf;
}

/* The windows every comparison queries: all of time, a month, and one
 * around a declaration change; each with every table. */
typedef struct window {
    int64_t from, to;
} window;

static void assert_same_reports(servgap_ctx *single, servgap_ctx *merged, const window *w,
                                size_t nw)
{
    for (size_t k = 0; k < nw; k++) {
        char *a = report(single, w[k].from, w[k].to, FLAGS);
        char *b = report(merged, w[k].from, w[k].to, FLAGS);
        if (!json_close(a, b))
            ck_abort_msg("window %zu [%lld, %lld): merged summaries differ from the single run", k,
                         (long long)w[k].from, (long long)w[k].to);
        free(a);
        free(b);
    }
    char *a = trends_report(single, single), *b = trends_report(merged, single);
    ck_assert_msg(json_close(a, b), "trends differ");
    free(a);
    free(b);
    int32_t plans = 0;
    ck_assert_int_eq(servgap_plan_count(merged, &plans), SERVGAP_OK);
    for (int32_t p = 0; p < plans; p++) {
        servgap_remeasure x = {.size = sizeof x}, y = {.size = sizeof y};
        int64_t f = w[1].from, t = w[1].to, len = t - f;
        ck_assert_int_eq(servgap_plan_remeasure(single, p, f - len, f, f, t, &x), SERVGAP_OK);
        ck_assert_int_eq(servgap_plan_remeasure(merged, p, f - len, f, f, t, &y), SERVGAP_OK);
        ck_assert_int_eq(x.outcome, y.outcome);
        double xs[6] = {x.baseline, x.followup, x.change, x.lo, x.hi, (double)x.next_check};
        double ys[6] = {y.baseline, y.followup, y.change, y.lo, y.hi, (double)y.next_check};
        for (int k = 0; k < 6; k++)
            ck_assert_msg((isnan(xs[k]) && isnan(ys[k])) || close_enough(xs[k], ys[k]),
                          "plan %d re-measured: %.17g against %.17g", (int)p, xs[k], ys[k]);
    }
}

/* ---------------------------------------------------------------------- */
/* Summaries                                                               */
/* ---------------------------------------------------------------------- */

typedef struct blob {
    unsigned char *p;
    size_t n;
} blob;

static blob summary_of(servgap_ctx *ctx, int64_t from, int64_t to)
{
    blob b = {NULL, 0};
    int rc = servgap_summary_write(ctx, from, to, NULL, 0, &b.n);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "summary_write: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
    b.p = malloc(b.n ? b.n : 1);
    ck_assert_int_eq(servgap_summary_write(ctx, from, to, b.p, b.n, &b.n), SERVGAP_OK);
    return b;
}

static void load(servgap_ctx *ctx, const blob *b)
{
    int rc = servgap_summary_load_buffer(ctx, b->p, b->n);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "summary_load: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
}

static blob snapshot_of(servgap_ctx *ctx)
{
    blob b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n);
    ck_assert_int_eq(servgap_snapshot_write(ctx, b.p, b.n, &b.n), SERVGAP_OK);
    return b;
}

static int same_blob(const blob *a, const blob *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* ---------------------------------------------------------------------- */
/* The sample data                                                         */
/* ---------------------------------------------------------------------- */

static char *read_text(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void import_text(servgap_ctx *ctx, int32_t table, const char *text)
{
    int rc = servgap_import_csv_buffer(ctx, table, NULL, text, strlen(text), 0, NULL);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "import: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
}

static void import_file(servgap_ctx *ctx, int32_t table, const char *name)
{
    char *s = read_text(name);
    import_text(ctx, table, s);
    free(s);
}

/* The names of single's kind in its id order, interned in ctx: the
 * broadcast dictionary, so that ids (and the order of cells) agree. */
static void copy_names(servgap_ctx *ctx, servgap_ctx *single, int32_t kind)
{
    int32_t n = kind_count(single, kind);
    for (int32_t i = 0; i < n; i++) {
        const char *name = NULL;
        ck_assert_int_eq(servgap_name(single, kind, i, &name), SERVGAP_OK);
        ck_assert_int_eq(interned(ctx, kind, name), i);
    }
}

/* A handle with the sample's definitions; plans only when asked (plan
 * items are appended on every merge, so one partition carries them). */
static servgap_ctx *sample_defs(servgap_ctx *single, int plans)
{
    servgap_ctx *ctx = new_ctx();
    import_file(ctx, SERVGAP_CSV_METRICS, "metrics.csv");
    import_file(ctx, SERVGAP_CSV_ACCOUNTS, "accounts.csv");
    if (single) {
        copy_names(ctx, single, SERVGAP_KIND_TIER);
        copy_names(ctx, single, SERVGAP_KIND_TOUCHPOINT);
        copy_names(ctx, single, SERVGAP_KIND_TEAM);
    }
    import_file(ctx, SERVGAP_CSV_IMPORTANCE, "importance.csv");
    import_file(ctx, SERVGAP_CSV_EFFORTS, "efforts.csv");
    if (plans)
        import_file(ctx, SERVGAP_CSV_PLANS, "plans.csv");
    return ctx;
}

static servgap_ctx *sample_single(void)
{
    servgap_ctx *ctx = sample_defs(NULL, 0);
    import_file(ctx, SERVGAP_CSV_OBSERVATIONS, "observations.csv");
    import_file(ctx, SERVGAP_CSV_PLANS, "plans.csv");
    return ctx;
}

/* The observation rows whose account (column 2) hashes to part of k, the
 * tier-wide rows (no account) in part 0, with the header. */
static char *sample_part(const char *all, unsigned part, unsigned k)
{
    char *out = malloc(strlen(all) + 1), *o = out;
    const char *line = all;
    for (int first = 1; *line; first = 0) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *acct = memchr(line, ',', len);
        unsigned h = 0;
        for (const char *c = acct ? acct + 1 : line; acct && *c != ','; c++)
            h = h * 31u + (unsigned char)*c;
        int tier_wide = acct && acct[1] == ',';
        if (first || (tier_wide ? part == 0 : h % k == part)) {
            memcpy(o, line, len);
            o += len;
        }
        line += len;
    }
    *o = '\0';
    return out;
}

static const window sample_windows[] = {
    {SERVGAP_TIME_MIN, SERVGAP_TIME_MAX},
    {T0 + 151 * (int64_t)DAY, T0 + 181 * (int64_t)DAY}, /* June 2026 */
    {T0 + 90 * (int64_t)DAY, T0 + 273 * (int64_t)DAY},  /* April to September */
};

START_TEST(sample_partitions_by_account)
{
    servgap_ctx *single = sample_single();
    char *all = read_text("observations.csv");
    const unsigned k = 3;
    blob s[3];
    for (unsigned p = 0; p < k; p++) {
        servgap_ctx *w = sample_defs(NULL, p == 0);
        char *part = sample_part(all, p, k);
        import_text(w, SERVGAP_CSV_OBSERVATIONS, part);
        free(part);
        s[p] = summary_of(w, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
        servgap_ctx_free(w);
    }
    servgap_ctx *merged = sample_defs(single, 0);
    for (unsigned p = 0; p < k; p++)
        load(merged, &s[p]);
    assert_same_reports(single, merged, sample_windows, 3);
    for (unsigned p = 0; p < k; p++)
        free(s[p].p);
    free(all);
    servgap_ctx_free(merged);
    servgap_ctx_free(single);
}
END_TEST

START_TEST(sample_partitions_by_days)
{
    servgap_ctx *single = sample_single();
    int64_t cut[4] = {SERVGAP_TIME_MIN, T0 + 100 * (int64_t)DAY, T0 + 200 * (int64_t)DAY,
                      SERVGAP_TIME_MAX};
    /* The days' writer has no plans: plan items are appended on every
     * load, so the reducer defines them once. */
    servgap_ctx *days = sample_defs(NULL, 0);
    import_file(days, SERVGAP_CSV_OBSERVATIONS, "observations.csv");
    servgap_ctx *merged = sample_defs(single, 1);
    for (int p = 2; p >= 0; p--) { /* the latest days first */
        blob b = summary_of(days, cut[p], cut[p + 1]);
        load(merged, &b);
        free(b.p);
    }
    assert_same_reports(single, merged, sample_windows, 3);
    servgap_ctx_free(days);
    servgap_ctx_free(merged);
    servgap_ctx_free(single);
}
END_TEST

/* A summary of a handle that holds summaries is their merge. */
START_TEST(sample_summary_of_summaries)
{
    servgap_ctx *single = sample_single();
    servgap_ctx *days = sample_defs(NULL, 0);
    import_file(days, SERVGAP_CSV_OBSERVATIONS, "observations.csv");
    blob a = summary_of(days, SERVGAP_TIME_MIN, T0 + 120 * (int64_t)DAY);
    blob b = summary_of(days, T0 + 120 * (int64_t)DAY, SERVGAP_TIME_MAX);
    servgap_ctx *mid = sample_defs(single, 0);
    load(mid, &a);
    load(mid, &b);
    blob ab = summary_of(mid, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    servgap_ctx *merged = sample_defs(single, 1);
    load(merged, &ab);
    assert_same_reports(single, merged, sample_windows, 3);
    free(a.p);
    free(b.p);
    free(ab.p);
    servgap_ctx_free(mid);
    servgap_ctx_free(merged);
    servgap_ctx_free(days);
    servgap_ctx_free(single);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Random data                                                             */
/* ---------------------------------------------------------------------- */

#define NACC  9
#define NTP   3
#define NTEAM 3
#define NDAYS 150

/* One recording call, applied to every handle that holds its account. */
typedef struct op {
    int kind; /* 0 observation, 1 response, 2 withdrawal */
    int32_t scope_kind, scope_id, tp, metric, vp, team, driver;
    double value;
    int64_t time;
    size_t n_items;
    int32_t items[3];
    double e[3], a[3], p[3], points[5];
    int has_points;
} op;

typedef struct dataset {
    op *ops;
    size_t n, cap;
} dataset;

static op *push_op(dataset *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 1024;
        d->ops = realloc(d->ops, d->cap * sizeof *d->ops);
        ck_assert_ptr_nonnull(d->ops);
    }
    op *o = &d->ops[d->n++];
    memset(o, 0, sizeof *o);
    return o;
}

static const char *const tp_names[NTP] = {"slack", "email", "phone"};
static const char *const team_names[NTEAM] = {"red", "blue", "green"};

/* Definitions shared by every handle, in one order so ids agree. */
static servgap_ctx *random_defs(int plans)
{
    servgap_ctx *ctx = new_ctx();
    /* Means of whole Likert answers hit 4, the midpoint crosshair, exactly;
     * one run's mean then reads 3.9999999999999996 and another's 4, and
     * the quadrant flips. A crosshair no such mean reaches keeps the test
     * to what summaries promise: the same numbers to rounding. */
    ck_assert_int_eq(
        servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_CUSTOM),
        SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_PERFORMANCE, 4.0 + 1.0 / 1024),
                     SERVGAP_OK);
    int32_t m;
    ck_assert_int_eq(servgap_metric_define(ctx, "response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, 72, 0, "h", &m),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "uptime", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, -INFINITY, INFINITY, 10, NULL,
                                           &m),
                     SERVGAP_OK);
    for (int t = 0; t < NTP; t++)
        touchpoint(ctx, tp_names[t]);
    for (int t = 0; t < NTEAM; t++)
        interned(ctx, SERVGAP_KIND_TEAM, team_names[t]);
    for (int a = 0; a < NACC; a++) {
        char name[32];
        snprintf(name, sizeof name, "acct%d", a);
        int32_t id = account(ctx, name,
                             a == NACC - 1 ? NULL
                             : a % 2       ? "gold"
                                           : "silver",
                             1000.0 * (a + 1));
        ck_assert_int_eq(servgap_account_set_health(ctx, id, 30.0 + 7 * a), SERVGAP_OK);
        ck_assert_int_eq(servgap_account_set_flag(ctx, id, SERVGAP_ACCOUNT_AT_RISK, a % 3 == 0),
                         SERVGAP_OK);
        ck_assert_int_eq(servgap_account_set_flag(ctx, id, SERVGAP_ACCOUNT_CHURNED, a % 4 == 1),
                         SERVGAP_OK);
        ck_assert_int_eq(servgap_account_set_date(ctx, id, SERVGAP_ACCOUNT_RENEWAL,
                                                  T0 + (NDAYS + 20 + a) * (int64_t)DAY),
                         SERVGAP_OK);
        if (a % 3 == 2)
            ck_assert_int_eq(servgap_account_set_date(ctx, id, SERVGAP_ACCOUNT_MIGRATION,
                                                      T0 + (NDAYS - 30) * (int64_t)DAY),
                             SERVGAP_OK);
    }
    double cust[5] = {10, 30, 30, 20, 10}, prov[5] = {20, 20, 20, 20, 20};
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 0, SERVGAP_WHOSE_CUSTOMER, cust),
        SERVGAP_OK);
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 0, SERVGAP_WHOSE_PROVIDER, prov),
        SERVGAP_OK);
    ck_assert_int_eq(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, SERVGAP_ALL, 2.0),
                     SERVGAP_OK);
    if (plans) {
        servgap_plan p = {.size = sizeof p,
                          .owner = "ops",
                          .scope_kind = SERVGAP_SCOPE_TIER,
                          .scope_id = 0,
                          .touchpoint = 0,
                          .metric = 5,
                          .dimension = SERVGAP_DIM_RESPONSIVENESS,
                          .gap = SERVGAP_GAP_DELIVERY,
                          .deadline = SERVGAP_TIME_NONE,
                          .target = -0.1,
                          .baseline_from = T0,
                          .baseline_to = T0 + 30 * (int64_t)DAY};
        int32_t id;
        ck_assert_int_eq(servgap_plan_add(ctx, &p, &id), SERVGAP_OK);
        p.scope_kind = SERVGAP_SCOPE_ACCOUNT;
        p.gap = SERVGAP_GAP_SERVICE;
        p.metric = SERVGAP_DIM_RELIABILITY;
        p.dimension = SERVGAP_DIM_RELIABILITY;
        p.baseline_from = p.baseline_to = 0;
        ck_assert_int_eq(servgap_plan_add(ctx, &p, &id), SERVGAP_OK);
    }
    return ctx;
}

static double uniform(uint64_t *st)
{
    return test_draw(st, 1u << 30) / (double)(1u << 30);
}

static void add_obs(dataset *d, uint64_t *st, int32_t acct, int64_t day, int vp, int32_t metric)
{
    op *o = push_op(d);
    o->scope_kind = SERVGAP_SCOPE_ACCOUNT;
    o->scope_id = acct;
    o->tp = test_draw(st, 5) == 0 ? SERVGAP_ANY : (int32_t)test_draw(st, NTP);
    o->metric = metric;
    o->vp = vp;
    o->team = (vp == SERVGAP_VP_DELIVERED || vp == SERVGAP_VP_PERCEIVED) && test_draw(st, 2)
                  ? (int32_t)test_draw(st, NTEAM)
                  : SERVGAP_NONE;
    o->driver = vp == SERVGAP_VP_EXPECTED ? (int32_t)test_draw(st, 5) : SERVGAP_DRIVER_NONE;
    if (metric == 5)
        o->value = 72.0 * uniform(st);
    else if (metric == 6)
        o->value = 90.0 + 10.0 * uniform(st);
    else
        o->value = 1 + test_draw(st, 7);
    o->time = T0 + day * DAY + test_draw(st, DAY);
}

static void add_response(dataset *d, uint64_t *st, int32_t acct, int64_t day)
{
    op *o = push_op(d);
    o->kind = 1;
    o->scope_kind = SERVGAP_SCOPE_ACCOUNT;
    o->scope_id = acct;
    o->tp = (int32_t)test_draw(st, NTP);
    o->team = test_draw(st, 2) ? (int32_t)test_draw(st, NTEAM) : SERVGAP_NONE;
    o->driver = (int32_t)test_draw(st, 5);
    o->time = T0 + day * DAY + test_draw(st, DAY);
    o->n_items = 3;
    for (int i = 0; i < 3; i++) {
        o->items[i] = i;
        o->e[i] = 1 + test_draw(st, 7);
        o->a[i] = test_draw(st, 3) ? 1 + test_draw(st, 4) : NAN;
        o->p[i] = test_draw(st, 6) ? 1 + test_draw(st, 7) : NAN;
    }
    o->has_points = test_draw(st, 3) != 0;
    double left = 100.0;
    for (int k = 0; k < 4; k++) {
        o->points[k] = (double)test_draw(st, (uint32_t)left / 2 + 1);
        left -= o->points[k];
    }
    o->points[4] = left;
}

static void add_declaration(dataset *d, int32_t kind, int32_t id, int32_t tp, int vp, double value,
                            int64_t day, int withdraw)
{
    op *o = push_op(d);
    o->kind = withdraw ? 2 : 0;
    o->scope_kind = kind;
    o->scope_id = id;
    o->tp = tp;
    o->metric = 5;
    o->vp = vp;
    o->team = SERVGAP_NONE;
    o->value = value;
    o->time = T0 + day * DAY;
}

/* A random log: events every day, survey waves, responses, SLAs that
 * change and a promise withdrawn, per account; per scope and day about
 * `dense` observations of each kind. */
static dataset random_data(uint64_t seed, int dense)
{
    dataset d = {NULL, 0, 0};
    uint64_t st = seed;
    add_declaration(&d, SERVGAP_SCOPE_TIER, 0, 0, SERVGAP_VP_STANDARD, 8, 0, 0);
    add_declaration(&d, SERVGAP_SCOPE_TIER, 0, 0, SERVGAP_VP_STANDARD, 6, 75, 0);
    add_declaration(&d, SERVGAP_SCOPE_TIER, 1, SERVGAP_ANY, SERVGAP_VP_PROMISED, 4, 10, 0);
    for (int64_t day = 0; day < NDAYS; day++) {
        for (int32_t a = 0; a < NACC; a++) {
            for (int k = 0; k < dense; k++) {
                add_obs(&d, &st, a, day, SERVGAP_VP_DELIVERED, 5);
                add_obs(&d, &st, a, day, SERVGAP_VP_PERCEIVED, (int32_t)test_draw(&st, 7));
            }
            if (day % 30 == a % 5 && test_draw(&st, 2))
                add_obs(&d, &st, a, day, SERVGAP_VP_BELIEVED, (int32_t)test_draw(&st, 5));
            if (day % 20 == a % 7)
                add_response(&d, &st, a, day);
            if (test_draw(&st, 9) == 0)
                add_obs(&d, &st, a, day, SERVGAP_VP_EXPECTED, (int32_t)test_draw(&st, 7));
        }
    }
    add_declaration(&d, SERVGAP_SCOPE_ACCOUNT, 2, 1, SERVGAP_VP_STANDARD, 4, 20, 0);
    add_declaration(&d, SERVGAP_SCOPE_ACCOUNT, 2, 1, SERVGAP_VP_PROMISED, 3, 30, 0);
    add_declaration(&d, SERVGAP_SCOPE_ACCOUNT, 2, 1, SERVGAP_VP_PROMISED, 0, 100, 1);
    return d;
}

static void apply(servgap_ctx *ctx, const op *o)
{
    int rc;
    if (o->kind == 0)
        rc = servgap_record(ctx, o->scope_kind, o->scope_id, o->tp, o->metric, o->vp, o->value,
                            o->time, o->team, o->driver);
    else if (o->kind == 1)
        rc = servgap_record_response(ctx, o->scope_kind, o->scope_id, o->tp, o->time, o->team,
                                     o->driver, o->n_items, o->items, o->e, o->a, o->p,
                                     o->has_points ? o->points : NULL);
    else
        rc = servgap_declaration_withdraw(ctx, o->scope_kind, o->scope_id, o->tp, o->metric, o->vp,
                                          o->time);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "record: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
}

/* The partition of an op: its account's, tier-wide ops in part 0. */
static unsigned part_of(const op *o, const unsigned *acct_part)
{
    return o->scope_kind == SERVGAP_SCOPE_TIER ? 0 : acct_part[o->scope_id];
}

/* Summaries of the k parts (accounts assigned by acct_part) of d. */
static void part_summaries(const dataset *d, const unsigned *acct_part, unsigned k, blob *out)
{
    for (unsigned p = 0; p < k; p++) {
        servgap_ctx *w = random_defs(p == 0);
        for (size_t i = 0; i < d->n; i++)
            if (part_of(&d->ops[i], acct_part) == p)
                apply(w, &d->ops[i]);
        out[p] = summary_of(w, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
        servgap_ctx_free(w);
    }
}

static servgap_ctx *random_single(const dataset *d)
{
    servgap_ctx *ctx = random_defs(1);
    for (size_t i = 0; i < d->n; i++)
        apply(ctx, &d->ops[i]);
    return ctx;
}

static const window random_windows[] = {
    {SERVGAP_TIME_MIN, SERVGAP_TIME_MAX},
    {T0 + 60 * (int64_t)DAY, T0 + 90 * (int64_t)DAY},  /* a month: the SLA changes inside */
    {T0 + 90 * (int64_t)DAY, T0 + 150 * (int64_t)DAY}, /* the promise withdrawn inside */
};

START_TEST(random_partitions_by_account)
{
    uint64_t st = 0x9e3779b97f4a7c15u + (uint64_t)_i * 7919u;
    dataset d = random_data(st, 2);
    servgap_ctx *single = random_single(&d);
    unsigned k = 2 + test_draw(&st, 3), acct_part[NACC];
    for (int a = 0; a < NACC; a++)
        acct_part[a] = test_draw(&st, k);
    blob s[4];
    part_summaries(&d, acct_part, k, s);
    servgap_ctx *merged = random_defs(0);
    for (unsigned p = 0; p < k; p++)
        load(merged, &s[p]);
    assert_same_reports(single, merged, random_windows, 3);
    for (unsigned p = 0; p < k; p++)
        free(s[p].p);
    free(d.ops);
    servgap_ctx_free(merged);
    servgap_ctx_free(single);
}
END_TEST

/* Loading in one order twice gives the same bytes, in reports and in the
 * merged summary; loading in a shuffled order the same numbers to 1e-12. */
START_TEST(merge_order)
{
    uint64_t st = 77;
    dataset d = random_data(st, 2);
    servgap_ctx *single = random_single(&d);
    unsigned k = 4, acct_part[NACC];
    for (int a = 0; a < NACC; a++)
        acct_part[a] = (unsigned)a % k;
    blob s[4];
    part_summaries(&d, acct_part, k, s);
    servgap_ctx *x = random_defs(0), *y = random_defs(0), *z = random_defs(0);
    for (unsigned p = 0; p < k; p++) {
        load(x, &s[p]);
        load(y, &s[p]);
        load(z, &s[(p + 2) % k]);
    }
    for (size_t w = 0; w < 3; w++) {
        char *a = report(x, random_windows[w].from, random_windows[w].to, FLAGS);
        char *b = report(y, random_windows[w].from, random_windows[w].to, FLAGS);
        char *c = report(z, random_windows[w].from, random_windows[w].to, FLAGS);
        ck_assert_msg(strcmp(a, b) == 0, "one load order gave two reports");
        ck_assert(json_close(a, c));
        free(a);
        free(b);
        free(c);
    }
    blob bx = summary_of(x, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    blob by = summary_of(y, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    ck_assert(same_blob(&bx, &by));
    assert_same_reports(single, z, random_windows, 3);
    free(bx.p);
    free(by.p);
    for (unsigned p = 0; p < k; p++)
        free(s[p].p);
    free(d.ops);
    servgap_ctx_free(x);
    servgap_ctx_free(y);
    servgap_ctx_free(z);
    servgap_ctx_free(single);
}
END_TEST

/* Helpdesk data of fixed shape: per account, touchpoint and day, k
 * tickets' delivered resolution hours (by one team) and k perceived
 * answers: the same groups and days whatever k. */
static dataset fixed_shape(int k)
{
    dataset d = {NULL, 0, 0};
    uint64_t st = 11;
    for (int64_t day = 0; day < 60; day++)
        for (int32_t a = 0; a < NACC; a++)
            for (int32_t t = 0; t < NTP; t++)
                for (int i = 0; i < k; i++) {
                    op *o = push_op(&d);
                    *o = (op){.scope_kind = SERVGAP_SCOPE_ACCOUNT,
                              .scope_id = a,
                              .tp = t,
                              .metric = 5,
                              .vp = SERVGAP_VP_DELIVERED,
                              .team = (a + t) % NTEAM,
                              .value = 72.0 * uniform(&st),
                              .time = T0 + day * DAY + i};
                    op *p = push_op(&d);
                    *p = *o;
                    p->metric = SERVGAP_DIM_RELIABILITY;
                    p->vp = SERVGAP_VP_PERCEIVED;
                    p->value = 1 + test_draw(&st, 7);
                }
    return d;
}

/* The size of a summary follows its groups and days: ten times the
 * observations on the same groups and days cost a few percent more. */
START_TEST(size_follows_groups_and_days)
{
    dataset sparse = fixed_shape(3), dense = fixed_shape(30);
    servgap_ctx *a = random_single(&sparse), *b = random_single(&dense);
    blob sa = summary_of(a, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    blob sb = summary_of(b, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    blob ra = snapshot_of(a), rb = snapshot_of(b);
    fprintf(stderr, "summary %zu and %zu bytes for %zu and %zu records (snapshots %zu, %zu)\n",
            sa.n, sb.n, sparse.n, dense.n, ra.n, rb.n);
    ck_assert_msg((double)sb.n <= 1.05 * (double)sa.n, "summary grew from %zu to %zu bytes", sa.n,
                  sb.n);
    ck_assert_msg(rb.n > 5 * ra.n, "the raw log did not grow");
    free(sa.p);
    free(sb.p);
    free(ra.p);
    free(rb.p);
    free(sparse.ops);
    free(dense.ops);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Rules and damage                                                        */
/* ---------------------------------------------------------------------- */

/* A small handle: a few days of two accounts, a response and an SLA. */
static servgap_ctx *small_handle(void)
{
    servgap_ctx *ctx = random_defs(1);
    dataset d = {NULL, 0, 0};
    uint64_t st = 3;
    add_declaration(&d, SERVGAP_SCOPE_TIER, 0, 0, SERVGAP_VP_STANDARD, 8, 0, 0);
    add_declaration(&d, SERVGAP_SCOPE_TIER, 0, 0, SERVGAP_VP_STANDARD, 0, 2, 1);
    for (int64_t day = 0; day < 3; day++) {
        add_obs(&d, &st, 0, day, SERVGAP_VP_DELIVERED, 5);
        add_obs(&d, &st, 1, day, SERVGAP_VP_PERCEIVED, 1);
    }
    add_response(&d, &st, 1, 1);
    for (size_t i = 0; i < d.n; i++)
        apply(ctx, &d.ops[i]);
    free(d.ops);
    return ctx;
}

START_TEST(damaged_summaries_rejected)
{
    servgap_ctx *src = small_handle();
    blob s = summary_of(src, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    servgap_ctx *target = small_handle();
    blob before = snapshot_of(target);
    servgap_ctx *holder = random_defs(0); /* a target that holds summaries */
    load(holder, &s);
    blob held = summary_of(holder, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    for (size_t n = 0; n < s.n; n++) {
        ck_assert_int_eq(servgap_summary_load_buffer(target, s.p, n), SERVGAP_ECORRUPT);
        ck_assert_int_eq(servgap_summary_load_buffer(holder, s.p, n), SERVGAP_ECORRUPT);
    }
    unsigned char *bad = malloc(s.n);
    for (size_t bit = 0; bit < 8 * s.n; bit++) {
        memcpy(bad, s.p, s.n);
        bad[bit / 8] ^= (unsigned char)(1u << bit % 8);
        int rc = servgap_summary_load_buffer(target, bad, s.n);
        ck_assert_msg(rc == SERVGAP_ECORRUPT, "bit %zu: %d %s", bit, rc, servgap_errmsg(target));
    }
    blob after = snapshot_of(target);
    ck_assert(same_blob(&before, &after));
    blob held_after = summary_of(holder, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    ck_assert(same_blob(&held, &held_after));
    /* A snapshot is not a summary, nor the reverse. */
    ck_assert_int_eq(servgap_summary_load_buffer(target, before.p, before.n), SERVGAP_ECORRUPT);
    ck_assert_int_eq(servgap_snapshot_load_buffer(target, s.p, s.n), SERVGAP_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(target), "SRVGAPSN"));
    free(bad);
    free(s.p);
    free(before.p);
    free(after.p);
    free(held.p);
    free(held_after.p);
    servgap_ctx_free(src);
    servgap_ctx_free(target);
    servgap_ctx_free(holder);
}
END_TEST

/* Negative answers are counted at the writer's negative_share: a query or
 * a load at another one is refused rather than answered wrongly; a handle
 * with summaries has no snapshot. */
START_TEST(negative_share_and_snapshots)
{
    servgap_ctx *src = small_handle();
    blob s = summary_of(src, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    servgap_ctx *ctx = random_defs(0);
    load(ctx, &s);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.3), SERVGAP_OK);
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r),
                     SERVGAP_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "negative_share"));
    size_t n = 0;
    ck_assert_int_eq(servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, NULL, 0, &n),
                     SERVGAP_ECONFLICT);
    ck_assert_int_eq(servgap_ctx_set_option(src, SERVGAP_OPT_NEGATIVE_SHARE, 0.3), SERVGAP_OK);
    blob s3 = summary_of(src, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.4), SERVGAP_OK);
    blob before = summary_of(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    ck_assert_int_eq(servgap_summary_load_buffer(ctx, s3.p, s3.n), SERVGAP_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "negative_share"));
    blob after = summary_of(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    ck_assert(same_blob(&before, &after));
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    servgap_result_free(r);
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &n), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_summary_write(ctx, 1, SERVGAP_TIME_MAX, NULL, 0, &n), SERVGAP_ERANGE);
    /* Midnights beyond the days an observation can have: refused, as the
     * loader would refuse the summary (found by fuzz_api). */
    int64_t far = (int64_t)INT32_MAX * SERVGAP_DAY;
    ck_assert_int_eq(servgap_summary_write(ctx, SERVGAP_TIME_MIN, far, NULL, 0, &n),
                     SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_summary_write(ctx, -far, SERVGAP_TIME_MAX, NULL, 0, &n),
                     SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_summary_write(src, SERVGAP_TIME_MIN, far - SERVGAP_DAY, NULL, 0, &n),
                     SERVGAP_OK);
    blob edge = summary_of(src, -far + SERVGAP_DAY, far - SERVGAP_DAY);
    servgap_ctx *back = NULL;
    ck_assert_int_eq(servgap_ctx_new(&back, NULL), SERVGAP_OK);
    ck_assert_int_eq(servgap_summary_load_buffer(back, edge.p, edge.n), SERVGAP_OK);
    servgap_ctx_free(back);
    free(edge.p);
    free(s.p);
    free(s3.p);
    free(before.p);
    free(after.p);
    servgap_ctx_free(src);
    servgap_ctx_free(ctx);
}
END_TEST

/* Every allocation of a write and of a load, refused in turn: ENOMEM,
 * the target unchanged, nothing leaked. */
START_TEST(allocation_failures)
{
    servgap_ctx *src = small_handle();
    blob s = summary_of(src, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    test_alloc ta;
    memset(&ta, 0, sizeof ta);
    servgap_allocator al = test_allocator(&ta);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    load(ctx, &s); /* it holds buckets, which the next load merges into */
    blob before = summary_of(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    int done = 0;
    for (long k = 1; !done; k++) {
        ta.calls = 0;
        ta.fail_at = k;
        int rc = servgap_summary_load_buffer(ctx, s.p, s.n);
        ta.fail_at = 0;
        done = rc == SERVGAP_OK;
        if (!done) {
            ck_assert_int_eq(rc, SERVGAP_ENOMEM);
            blob now = summary_of(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
            ck_assert_msg(same_blob(&before, &now), "allocation %ld changed the target", k);
            free(now.p);
        }
    }
    size_t n = 0;
    for (long k = 1;; k++) {
        ta.calls = 0;
        ta.fail_at = k;
        int rc = servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, NULL, 0, &n);
        ta.fail_at = 0;
        if (rc == SERVGAP_OK)
            break;
        ck_assert_int_eq(rc, SERVGAP_ENOMEM);
    }
    servgap_ctx_free(ctx);
    ck_assert_int_eq(ta.live, 0);
    ck_assert_int_eq(ta.foreign, 0);
    free(s.p);
    free(before.p);
    servgap_ctx_free(src);
}
END_TEST

static Suite *summary_suite(void)
{
    Suite *s = suite_create("summary");
    TCase *tc = tcase_create("summary");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, sample_partitions_by_account);
    tcase_add_test(tc, sample_partitions_by_days);
    tcase_add_test(tc, sample_summary_of_summaries);
    tcase_add_loop_test(tc, random_partitions_by_account, 0, 4);
    tcase_add_test(tc, merge_order);
    tcase_add_test(tc, size_follows_groups_and_days);
    tcase_add_test(tc, damaged_summaries_rejected);
    tcase_add_test(tc, negative_share_and_snapshots);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        data_dir = argv[1];
    return run_suite(summary_suite());
}
