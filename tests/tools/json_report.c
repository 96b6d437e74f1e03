/*
 * json_report -- builds a realistic handle through the public API only and
 * prints the JSON report of a full query to stdout, for check_report.py to
 * parse with a real JSON parser.
 *
 * The data: two tiers (enterprise, smb), five accounts with values, health,
 * renewal and migration dates, at-risk and churned flags; three
 * touchpoints; paired SERVQUAL responses on the five built-in Likert items
 * with importance points; an operational metric, first_response_hours
 * (lower is better), with tier SLAs, promises and delivered values by team;
 * onboarding, which no SLA defines; provider beliefs and importance
 * allocations; a few efforts; remediation plans (re-measured:
 * SERVGAP_QUERY_PLANS). The data are
 * drawn from a fixed-seed generator, so the report is the same on every run.
 *
 * Usage: json_report [--tiny | --summary]
 *   --tiny: the small example of docs/formats.md, "The JSON report"
 *   --summary: the realistic handle's report at SERVGAP_LEVEL_SUMMARY
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#define DAY      ((int64_t)SERVGAP_DAY)
#define JAN_2026 ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */
#define APR_2026 (JAN_2026 + 90 * DAY) /* 2026-04-01 */
#define OCT_2025 (JAN_2026 - 92 * DAY) /* 2025-10-01 */

static servgap_ctx *ctx;

static void check(int rc, const char *what)
{
    if (rc != SERVGAP_OK) {
        fprintf(stderr, "json_report: %s: %s: %s\n", what, servgap_strerror(rc),
                servgap_errmsg(ctx));
        exit(1);
    }
}

/* A fixed-seed generator (xorshift64*), so every run sees the same data. */
static uint64_t seed = 0x9e3779b97f4a7c15u;

static double uniform(void)
{
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return (double)((seed * 0x2545f4914f6cdd1du) >> 11) * 0x1p-53;
}

/* An integer Likert answer around mean, clamped to 1..7. */
static double likert(double mean)
{
    double x = floor(mean + (uniform() - 0.5) * 3.0 + 0.5);
    return x < 1 ? 1 : x > 7 ? 7 : x;
}

static int32_t intern(int32_t kind, const char *name)
{
    int32_t id;
    check(servgap_intern(ctx, kind, name, &id), name);
    return id;
}

typedef struct account {
    const char *name, *tier;
    double value, health;
    int at_risk, churned;
    int64_t renewal, migration;
    double expect, perceive; /* Likert levels of its respondents */
    double frh;              /* typical first response, hours */
    int32_t id;
} account;

static account accounts[] = {
    {"acme", "enterprise", 250000, 42, 1, 0, APR_2026 + 45 * DAY, SERVGAP_TIME_NONE, 6.3, 4.6, 6.5,
     0},
    {"globex", "enterprise", 180000, 70, 0, 0, APR_2026 + 200 * DAY, APR_2026 - 20 * DAY, 6.0, 5.2,
     4.5, 0},
    {"hooli", "enterprise", 300000, 30, 1, 0, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE, 5.0, 5.8, 3.0,
     0},
    {"initech", "smb", 12000, 80, 0, 0, APR_2026 + 60 * DAY, SERVGAP_TIME_NONE, 5.5, 5.0, 20.0, 0},
    {"umbrella \"corp\"", "smb", 8000, NAN, 0, 1, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE, 6.0, 3.8,
     30.0, 0},
};
#define NACC (sizeof accounts / sizeof *accounts)

static void define_accounts(void)
{
    for (size_t i = 0; i < NACC; i++) {
        account *a = &accounts[i];
        check(servgap_account_define(ctx, a->name, a->tier, a->value, &a->id), a->name);
        check(servgap_account_set_health(ctx, a->id, a->health), "health");
        check(servgap_account_set_flag(ctx, a->id, SERVGAP_ACCOUNT_AT_RISK, a->at_risk), "risk");
        check(servgap_account_set_flag(ctx, a->id, SERVGAP_ACCOUNT_CHURNED, a->churned), "churn");
        check(servgap_account_set_date(ctx, a->id, SERVGAP_ACCOUNT_RENEWAL, a->renewal), "renew");
        check(servgap_account_set_date(ctx, a->id, SERVGAP_ACCOUNT_MIGRATION, a->migration),
              "migration");
    }
}

/* Tier-wide SLAs, promises and beliefs, and the importance allocations. */
static void tier_policies(int32_t frh)
{
    int32_t ent = intern(SERVGAP_KIND_TIER, "enterprise"), smb = intern(SERVGAP_KIND_TIER, "smb");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, frh, SERVGAP_VP_STANDARD, 4.0,
                         OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "sla");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, smb, SERVGAP_ANY, frh, SERVGAP_VP_STANDARD, 24.0,
                         OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "sla");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, frh, SERVGAP_VP_PROMISED, 2.0,
                         OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "promise");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, frh, SERVGAP_VP_BELIEVED, 6.0,
                         OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "belief");
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++) {
        check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, d, SERVGAP_VP_BELIEVED,
                             5.0 + 0.25 * d, OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
              "belief");
        check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, d, SERVGAP_VP_STANDARD, 5.5,
                             OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
              "standard");
    }
    static const double cust[SERVGAP_DIM_COUNT] = {5, 35, 20, 25, 15};
    static const double prov[SERVGAP_DIM_COUNT] = {5, 15, 50, 20, 10};
    check(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_WHOSE_CUSTOMER, cust),
          "imp");
    check(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_WHOSE_PROVIDER, prov),
          "imp");
    check(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, smb, SERVGAP_WHOSE_CUSTOMER, cust),
          "imp");
}

/* One respondent's answers on the five items, with importance points. */
static void respondent(const account *a, int32_t tp, int64_t t, int late)
{
    static const int32_t items[SERVGAP_DIM_COUNT] = {0, 1, 2, 3, 4};
    double e[SERVGAP_DIM_COUNT], q[SERVGAP_DIM_COUNT], p[SERVGAP_DIM_COUNT];
    double pts[SERVGAP_DIM_COUNT] = {10, 30, 20, 25, 15};
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        e[d] = likert(a->expect);
        q[d] = d == 3 ? NAN : likert(a->expect - 1.5);
        /* A late burst of poor scores on acme: the CSAT spike trigger. */
        p[d] = late ? 1.0 : likert(a->perceive + (d == SERVGAP_DIM_RESPONSIVENESS ? -0.7 : 0.0));
    }
    int driver = (int)(uniform() * 5.0);
    check(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a->id, tp, t, SERVGAP_NONE, driver,
                                  SERVGAP_DIM_COUNT, items, e, q, p, pts),
          "response");
}

/* Delivered first-response hours by team, as one batch per account. */
static void deliveries(const account *a, int32_t frh, const int32_t *tps, const int32_t *teams)
{
    enum { N = 60 };
    int32_t scope[N], tp[N], metric[N], vp[N], team[N];
    double value[N];
    int64_t time[N];
    for (int i = 0; i < N; i++) {
        scope[i] = a->id;
        tp[i] = tps[i % 3];
        metric[i] = frh;
        vp[i] = SERVGAP_VP_DELIVERED;
        team[i] = teams[i % 3];
        double slow = i % 3 == 1 ? 2.5 : 1.0; /* one team is slow */
        value[i] = a->frh * slow * (0.5 + uniform());
        time[i] = OCT_2025 + (int64_t)(uniform() * 182.0) * DAY + 3600 * (i % 24);
    }
    check(servgap_record_batch(ctx, N, NULL, scope, tp, metric, vp, value, time, team, NULL),
          "batch");
}

static void survey(const int32_t *tps)
{
    for (size_t i = 0; i < NACC; i++) {
        const account *a = &accounts[i];
        for (int k = 0; k < 24; k++) {
            int64_t t = OCT_2025 + (int64_t)(uniform() * 170.0) * DAY;
            respondent(a, tps[k % 2], t, 0);
        }
        if (i == 0) /* acme: a burst of complaints in the last 10 days */
            for (int k = 0; k < 8; k++)
                respondent(a, tps[k % 2], APR_2026 - (1 + k) * DAY, 1);
    }
}

/* Onboarding, which enterprise customers expect to be high-touch (about
 * 6.3 on a 1..7 item) and the provider knows (6, tier-wide) but no SLA
 * defines; about 4 is delivered: a no-standard finding of the tier, which
 * each enterprise account's own repeats. */
static void onboarding(int32_t email)
{
    int32_t m, ent = intern(SERVGAP_KIND_TIER, "enterprise");
    check(servgap_metric_define(ctx, "onboarding", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1,
                                7, 0, "", &m),
          "onboarding");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_ANY, m, SERVGAP_VP_BELIEVED, 6.0,
                         OCT_2025, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "belief");
    for (size_t i = 0; i < NACC; i++) {
        if (strcmp(accounts[i].tier, "enterprise") != 0)
            continue;
        for (int k = 0; k < 8; k++) {
            int64_t t = OCT_2025 + (int64_t)(uniform() * 170.0) * DAY;
            check(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, accounts[i].id, email, m,
                                 SERVGAP_VP_EXPECTED, likert(6.3), t, SERVGAP_NONE,
                                 SERVGAP_DRIVER_NONE),
                  "expected");
            check(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, accounts[i].id, email, m,
                                 SERVGAP_VP_DELIVERED, 3.5 + uniform(), t, SERVGAP_NONE,
                                 SERVGAP_DRIVER_NONE),
                  "delivered");
        }
    }
}

/* The example of docs/formats.md, "The JSON report": the hand-worked handle of test_json.c,
 * with a renewal date so that a trigger shows. */
static void tiny(void)
{
    int32_t acme, gold, email, night;
    check(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1), "min_n");
    check(servgap_account_define(ctx, "acme", "gold", 1000.0, &acme), "acme");
    check(servgap_account_set_date(ctx, acme, SERVGAP_ACCOUNT_RENEWAL, APR_2026 + 44 * DAY), "rnw");
    check(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &gold), "gold");
    email = intern(SERVGAP_KIND_TOUCHPOINT, "email");
    night = intern(SERVGAP_KIND_TEAM, "night");
    check(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY,
                         SERVGAP_VP_EXPECTED, 6.0, JAN_2026, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "e");
    check(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY,
                         SERVGAP_VP_PERCEIVED, 4.5, JAN_2026, night, SERVGAP_DRIVER_NONE),
          "p");
    check(servgap_record(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_ANY, SERVGAP_DIM_RELIABILITY,
                         SERVGAP_VP_STANDARD, 5.0, JAN_2026, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
          "s");
    static const double cust[SERVGAP_DIM_COUNT] = {0, 50, 50, 0, 0};
    static const double prov[SERVGAP_DIM_COUNT] = {0, 25, 75, 0, 0};
    check(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_WHOSE_CUSTOMER, cust), "i");
    check(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_WHOSE_PROVIDER, prov), "i");
}

static void realistic(void)
{
    define_accounts();
    int32_t frh;
    check(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &frh),
          "metric");
    int32_t tps[3] = {intern(SERVGAP_KIND_TOUCHPOINT, "email"),
                      intern(SERVGAP_KIND_TOUCHPOINT, "slack"),
                      intern(SERVGAP_KIND_TOUCHPOINT, "phone")};
    int32_t teams[3] = {intern(SERVGAP_KIND_TEAM, "day-shift"),
                        intern(SERVGAP_KIND_TEAM, "night-shift"),
                        intern(SERVGAP_KIND_TEAM, "emea")};
    tier_policies(frh);
    survey(tps);
    for (size_t i = 0; i < NACC; i++)
        deliveries(&accounts[i], frh, tps, teams);
    onboarding(tps[0]);
    /* acme's own expectation of first response, set in its QBR. */
    check(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, accounts[0].id, SERVGAP_ANY, frh,
                         SERVGAP_VP_EXPECTED, 2.0, JAN_2026, SERVGAP_NONE,
                         SERVGAP_DRIVER_EXTERNAL_COMMUNICATION),
          "qbr");
    check(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, frh, 2.0), "effort");
    check(servgap_effort_set(ctx, SERVGAP_GAP_KNOWLEDGE, tps[1], SERVGAP_ALL, 4.0), "effort");
}

/* Remediation plans of every kind the "plans" rows show: a plan's own
 * baseline window and the default one, a tier and an account, a metric
 * and a dimension roll-up, a deadline passed and one to come, none, and a
 * baseline that ends at the analysis date (nothing after it yet). */
static void plans(void)
{
    static const struct {
        const char *owner, *tp; /* tp NULL: all touchpoints */
        int tier, metric;       /* metric -1: the reliability roll-up */
        int32_t gap;
        int64_t deadline, from, to;
        double target;
    } p[] = {
        {"Dana \"D\" \xc3\x98", "slack", 1, 5, SERVGAP_GAP_DELIVERY, JAN_2026, OCT_2025,
         OCT_2025 + 30 * DAY, -0.5},
        {"ops", NULL, 1, 5, SERVGAP_GAP_SERVICE, APR_2026 + 30 * DAY, 0, 0, -0.25},
        {"ops", NULL, 0, -1, SERVGAP_GAP_SERVICE, JAN_2026, JAN_2026, JAN_2026 + 30 * DAY, -5},
        {"lee", NULL, 0, 2, SERVGAP_GAP_KNOWLEDGE, SERVGAP_TIME_NONE, APR_2026 - 30 * DAY, APR_2026,
         -0.5},
    };
    int32_t ent = intern(SERVGAP_KIND_TIER, "enterprise");
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) {
        servgap_plan x = {.size = sizeof x,
                          .owner = p[i].owner,
                          .scope_kind = p[i].tier ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT,
                          .scope_id = p[i].tier ? ent : accounts[0].id,
                          .touchpoint =
                              p[i].tp ? intern(SERVGAP_KIND_TOUCHPOINT, p[i].tp) : SERVGAP_ALL,
                          .metric = p[i].metric < 0 ? SERVGAP_ALL : p[i].metric,
                          .dimension = SERVGAP_DIM_RELIABILITY,
                          .gap = p[i].gap,
                          .deadline = p[i].deadline,
                          .target = p[i].target,
                          .baseline_from = p[i].from,
                          .baseline_to = p[i].to};
        int32_t id;
        check(servgap_plan_add(ctx, &x, &id), "plan");
    }
}

int main(int argc, char **argv)
{
    int small = argc > 1 && strcmp(argv[1], "--tiny") == 0;
    int summary = argc > 1 && strcmp(argv[1], "--summary") == 0;
    check(servgap_ctx_new(&ctx, NULL), "ctx");
    if (summary)
        check(servgap_ctx_set_option(ctx, SERVGAP_OPT_REPORT_LEVEL, SERVGAP_LEVEL_SUMMARY),
              "report level");
    if (small) {
        tiny();
    } else {
        realistic();
        plans();
    }
    servgap_result *r = NULL;
    /* The example leaves out tier cells: they look like the account's. */
    uint32_t flags = small ? SERVGAP_QUERY_ALL & ~SERVGAP_QUERY_TIERS
                           : SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS;
    check(servgap_query_at(ctx, small ? JAN_2026 : OCT_2025, APR_2026, APR_2026, flags, &r),
          "query");
    size_t len = 0;
    check(servgap_result_json(ctx, r, NULL, 0, &len), "size query");
    char *buf = malloc(len + 1);
    if (!buf) {
        fprintf(stderr, "json_report: out of memory\n");
        return 1;
    }
    check(servgap_result_json(ctx, r, buf, len + 1, &len), "report");
    fwrite(buf, 1, len, stdout);
    free(buf);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
    return 0;
}
