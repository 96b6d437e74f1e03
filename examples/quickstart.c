/*
 * quickstart.c -- the smallest useful libservgap program. Two enterprise
 * accounts answer a short SERVQUAL survey; the provider adds what it believes
 * customers expect, its SLA and measured first-response times. The program
 * then prints where the gaps are, per scope, over all touchpoints.
 */
#include <math.h>
#include <stdio.h>

#include "servgap.h"

#define DAY0 INT64_C(1767225600) /* 2026-01-01T00:00:00Z */

/* Every fallible call returns a status; on failure the handle keeps a message
 * that names the argument at fault, which is what a person needs to see. */
#define TRY(call)                                                                                  \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != SERVGAP_OK) {                                                                   \
            fprintf(stderr, "quickstart.c:%d: %s: %s\n", __LINE__, servgap_strerror(rc_),          \
                    servgap_errmsg(ctx));                                                          \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

/* The survey asks about three of the built-in Likert 1..7 metrics, whose ids
 * equal their dimension, so a plain SERVQUAL survey needs no set-up. */
static const int32_t items[3] = {SERVGAP_DIM_RELIABILITY, SERVGAP_DIM_RESPONSIVENESS,
                                 SERVGAP_DIM_EMPATHY};

/* One row per respondent: expected and perceived for the three items, and the
 * respondent's 100 importance points over the five dimensions. */
static const struct {
    int at_acme; /* 1: an acme user answering about email, 0: globex about slack */
    double expected[3], perceived[3], importance[SERVGAP_DIM_COUNT];
} survey[] = {
    /* clang-format off */
    {1, {7, 6, 5}, {5, 4, 5}, {10, 40, 30, 10, 10}}, {1, {6, 6, 5}, {5, 5, 6}, {5, 45, 30, 10, 10}},
    {1, {7, 7, 4}, {6, 4, 4}, {10, 35, 35, 10, 10}}, {1, {6, 5, 5}, {4, 4, 5}, {0, 50, 30, 10, 10}},
    {1, {7, 6, 6}, {5, 5, 6}, {10, 40, 20, 20, 10}}, {1, {6, 6, 5}, {5, 4, 5}, {5, 35, 40, 10, 10}},
    {0, {6, 5, 5}, {6, 5, 5}, {20, 30, 20, 10, 20}}, {0, {7, 5, 4}, {6, 6, 5}, {5, 40, 25, 15, 15}},
    {0, {6, 6, 5}, {6, 5, 5}, {10, 40, 20, 10, 20}}, {0, {6, 5, 6}, {5, 5, 5}, {5, 35, 40, 10, 10}},
    {0, {7, 5, 5}, {6, 6, 4}, {15, 35, 20, 10, 20}},
    /* clang-format on */
};
#define N_RESPONDENTS (sizeof survey / sizeof survey[0])

/* An unresolved row's status alone hides which links it joins; say both. */
static void print_gap(const servgap_gap *g)
{
    int unresolved = g->status == SERVGAP_STATUS_UNRESOLVED;
    const char *status = unresolved ? servgap_span_name(g->span) : servgap_status_name(g->status);
    printf("    %-13s ", servgap_gap_name(g->gap));
    if (isnan(g->value))
        printf("%23s", "");
    else
        printf("%+6.2f [%+6.2f, %+6.2f]", g->value, g->lo, g->hi);
    printf("    %s%s%s\n", unresolved ? "unresolved: " : "", status,
           (g->flags & SERVGAP_GAPFLAG_NO_STANDARD) ? " (no standard defined)" : "");
}

int main(void)
{
    servgap_ctx *ctx = NULL;
    servgap_result *res = NULL;
    int ok = 0;
    int32_t tier, acme, globex, email, slack, frh;

    /* A header/library mismatch would make every struct size suspect. */
    if (servgap_version_number() != SERVGAP_VERSION_NUMBER)
        fprintf(stderr, "quickstart: header %s, library %s\n", SERVGAP_VERSION_STRING,
                servgap_version_string());
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK) {
        fprintf(stderr, "quickstart: out of memory\n");
        return 1;
    }

    TRY(servgap_intern(ctx, SERVGAP_KIND_TIER, "enterprise", &tier));
    TRY(servgap_account_define(ctx, "acme", "enterprise", 250000, &acme));
    TRY(servgap_account_define(ctx, "globex", "enterprise", 90000, &globex));
    TRY(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email));
    TRY(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "slack", &slack));
    /* Unbounded above, so the span (what counts as "the whole scale") must be
     * given: a day's delay is as bad as the whole Likert scale. */
    TRY(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                              SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &frh));

    /* Recording a response in one call keeps E and P paired per respondent,
     * so their gap gets the paired t interval rather than a Welch one. */
    for (size_t r = 0; r < N_RESPONDENTS; r++)
        TRY(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, survey[r].at_acme ? acme : globex,
                                    survey[r].at_acme ? email : slack,
                                    DAY0 + (int64_t)r * SERVGAP_DAY, SERVGAP_NONE,
                                    SERVGAP_DRIVER_NONE, 3, items, survey[r].expected, NULL,
                                    survey[r].perceived, survey[r].importance));

    /* Provider-side data arrives in bulk, so it goes in one columnar batch
     * (one array per field): tier-wide beliefs about what customers expect
     * and the 4-hour SLA, for any touchpoint, then first-response times that
     * the ticket system measured per account and touchpoint. */
    const int32_t T = SERVGAP_SCOPE_TIER, A = SERVGAP_SCOPE_ACCOUNT, ANY = SERVGAP_ANY;
    const int32_t rel = SERVGAP_DIM_RELIABILITY, rsp = SERVGAP_DIM_RESPONSIVENESS,
                  emp = SERVGAP_DIM_EMPATHY;
    const int32_t B = SERVGAP_VP_BELIEVED, S = SERVGAP_VP_STANDARD, D = SERVGAP_VP_DELIVERED;
    /* clang-format off */
    int32_t kind[]   = {T,    T,    T,    T,    T,    A,     A,     A,     A,     A,      A};
    int32_t scope[]  = {tier, tier, tier, tier, tier, acme,  acme,  acme,  acme,  globex, globex};
    int32_t tp[]     = {ANY,  ANY,  ANY,  ANY,  ANY,  email, email, email, email, slack,  slack};
    int32_t metric[] = {rel,  rsp,  emp,  frh,  frh,  frh,   frh,   frh,   frh,   frh,    frh};
    int32_t vp[]     = {B,    B,    B,    B,    S,    D,     D,     D,     D,     D,      D};
    double value[]   = {5,    6,    5,    8,    4,    5.5,   7,     6,     8,     1,      0.5};
    /* clang-format on */
    const size_t n = sizeof value / sizeof value[0];
    int64_t when[sizeof value / sizeof value[0]];
    for (size_t k = 0; k < n; k++)
        when[k] = DAY0 + (int64_t)k * SERVGAP_DAY;
    /* team and driver are optional columns: NULL means none. */
    TRY(servgap_record_batch(ctx, n, kind, scope, tp, metric, vp, value, when, NULL, NULL));

    /* One query computes everything; the result owns its data and is read
     * through accessors that only copy out. */
    TRY(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &res));
    for (size_t i = 0; i < servgap_result_count(res, SERVGAP_TABLE_CELLS); i++) {
        servgap_cell cell = {.size = sizeof cell};
        const char *scope_name, *metric_name;
        TRY(servgap_result_cell(res, i, &cell));
        if (cell.touchpoint != SERVGAP_ALL)
            continue;
        TRY(servgap_name(
            ctx, cell.scope_kind == SERVGAP_SCOPE_TIER ? SERVGAP_KIND_TIER : SERVGAP_KIND_ACCOUNT,
            cell.scope_id, &scope_name));
        if (cell.metric == SERVGAP_ALL) {
            printf("%s, all touchpoints, dim:%s", scope_name,
                   servgap_dimension_name(cell.dimension));
        } else {
            TRY(servgap_name(ctx, SERVGAP_KIND_METRIC, cell.metric, &metric_name));
            printf("%s, all touchpoints, %s", scope_name, metric_name);
        }
        printf(" -> %s\n", cell.classification == SERVGAP_CLASS_SPAN
                               ? servgap_span_name(cell.class_span)
                               : servgap_class_name(cell.classification));
        for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++) {
            servgap_gap gap = {.size = sizeof gap};
            TRY(servgap_result_gap(res, i, g, &gap));
            print_gap(&gap);
        }
    }
    ok = 1;
done:
    servgap_result_free(res);
    servgap_ctx_free(ctx);
    return ok ? 0 : 1;
}
