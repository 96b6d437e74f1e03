/*
 * abi_calls -- every public call that fills a caller's sized struct, in
 * one table, and the data they run on: the sample data of examples/data
 * queried once, a plan item on its first finding, and a small CSV table
 * for the import report. The ABI suites (test_abi_layouts.c against the
 * real header, test_abi_grown.c against the grown one) walk the table with
 * struct sizes of different versions and compare what comes back.
 */
#ifndef SERVGAP_TEST_ABI_CALLS_H
#define SERVGAP_TEST_ABI_CALLS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_layouts.h"
#include "servgap.h"

/* What the calls read, set up once before the suite forks its tests. */
typedef struct abi_data {
    servgap_ctx *ctx;
    servgap_result *res;
    int32_t plan;       /* a plan item on the result's first finding */
    int64_t window[4];  /* its baseline and follow-up windows */
    char metrics[4096]; /* the sample data's metrics table */
} abi_data;

static abi_data abi;

/* One metrics table with an unknown column and a bad row: an import of it
 * with SERVGAP_IMPORT_SKIP_BAD_ROWS fills every field of the report. */
static const char abi_csv[] = "metric,dimension,direction,min,max,span,unit,colour\n"
                              "speed,responsiveness,higher,1,7,,points,red\n"
                              "broken,no_such_dimension,higher,1,7,,points,blue\n";

typedef int (*abi_fill_fn)(size_t i, void *out);

/* A call that fills a sized struct: rows says for which i it succeeds (0
 * when it cannot tell; the suites require rows). */
typedef struct abi_out_call {
    const char *name;
    abi_fill_fn fill;
    size_t (*rows)(void);
    size_t old_size;  /* sizeof its 1.0 layout: what a 1.0 caller passes */
    size_t old_end;   /* where the 1.0 layout's last field ends */
    size_t cur_size;  /* sizeof it in the header this file is built against */
    size_t str_at[2]; /* offsets of its borrowed strings (0: none), compared by content */
} abi_out_call;

static int fill_metric(size_t i, void *out)
{
    return servgap_metric_info(abi.ctx, (int32_t)i, out);
}

static int fill_account(size_t i, void *out)
{
    return servgap_account_info(abi.ctx, (int32_t)i, out);
}

static int fill_plan(size_t i, void *out)
{
    return servgap_plan_info(abi.ctx, (int32_t)i, out);
}

static int fill_remeasure(size_t i, void *out)
{
    (void)i;
    const int64_t *w = abi.window;
    return servgap_plan_remeasure(abi.ctx, abi.plan, w[0], w[1], w[2], w[3], out);
}

static int fill_cell(size_t i, void *out)
{
    return servgap_result_cell(abi.res, i, out);
}

static int fill_gap(size_t i, void *out)
{
    return servgap_result_gap(abi.res, i / SERVGAP_GAP_COUNT, (int32_t)(i % SERVGAP_GAP_COUNT),
                              out);
}

static int fill_servqual(size_t i, void *out)
{
    return servgap_result_servqual(abi.res, i, out);
}

static int fill_breakdown(size_t i, void *out)
{
    return servgap_result_breakdown(abi.res, i, out);
}

static int fill_finding(size_t i, void *out)
{
    return servgap_result_finding(abi.res, i, out);
}

static int fill_ipa(size_t i, void *out)
{
    return servgap_result_ipa(abi.res, i, out);
}

static int fill_trigger(size_t i, void *out)
{
    return servgap_result_trigger(abi.res, i, out);
}

static int fill_risk(size_t i, void *out)
{
    return servgap_result_risk(abi.res, i, out);
}

/* A fresh handle each time, so that every import reports the same. */
static int fill_import(size_t i, void *out)
{
    (void)i;
    servgap_ctx *ctx = NULL;
    int rc = servgap_ctx_new(&ctx, NULL);
    if (rc == SERVGAP_OK)
        rc = servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "abi.csv", abi_csv,
                                       sizeof abi_csv - 1, SERVGAP_IMPORT_SKIP_BAD_ROWS, out);
    servgap_ctx_free(ctx);
    return rc;
}

/* The file variant, on the sample metrics. */
static int fill_import_file(size_t i, void *out)
{
    (void)i;
    servgap_ctx *ctx = NULL;
    int rc = servgap_ctx_new(&ctx, NULL);
    if (rc == SERVGAP_OK)
        rc = servgap_import_csv(ctx, SERVGAP_CSV_METRICS, abi.metrics, 0, out);
    servgap_ctx_free(ctx);
    return rc;
}

static size_t kind_rows(int32_t kind)
{
    int32_t n = 0;
    return servgap_count(abi.ctx, kind, &n) == SERVGAP_OK ? (size_t)n : 0;
}

static size_t rows_metrics(void)
{
    return kind_rows(SERVGAP_KIND_METRIC);
}

static size_t rows_accounts(void)
{
    return kind_rows(SERVGAP_KIND_ACCOUNT);
}

static size_t rows_plans(void)
{
    int32_t n = 0;
    return servgap_plan_count(abi.ctx, &n) == SERVGAP_OK ? (size_t)n : 0;
}

static size_t rows_one(void)
{
    return 1;
}

static size_t rows_cells(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_CELLS);
}

static size_t rows_gaps(void)
{
    return rows_cells() * SERVGAP_GAP_COUNT;
}

static size_t rows_servqual(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_SERVQUAL);
}

static size_t rows_breakdown(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_BREAKDOWN);
}

static size_t rows_findings(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_FINDINGS);
}

static size_t rows_ipa(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_IPA);
}

static size_t rows_triggers(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_TRIGGERS);
}

static size_t rows_risk(void)
{
    return servgap_result_count(abi.res, SERVGAP_TABLE_RISK);
}

#define OLD_END(old, last) (offsetof(old, last) + sizeof(((old *)0)->last))
#define OUT_CALL(fn, rows_fn, old, last, cur, s1, s2)                                              \
    {                                                                                              \
        .name = #fn, .fill = fill_##fn, .rows = rows_fn, .old_size = sizeof(old),                  \
        .old_end = OLD_END(old, last), .cur_size = sizeof(cur), .str_at[0] = s1, .str_at[1] = s2   \
    }

static const abi_out_call abi_out_calls[] = {
    OUT_CALL(metric, rows_metrics, old_metric_1_0, span, servgap_metric,
             offsetof(old_metric_1_0, name), offsetof(old_metric_1_0, unit)),
    OUT_CALL(account, rows_accounts, old_account_1_0, migration, servgap_account,
             offsetof(old_account_1_0, name), 0),
    OUT_CALL(plan, rows_plans, old_plan_1_0, next_check, servgap_plan,
             offsetof(old_plan_1_0, owner), 0),
    OUT_CALL(remeasure, rows_one, old_remeasure_1_0, next_check, servgap_remeasure, 0, 0),
    OUT_CALL(cell, rows_cells, old_cell_1_0, pe_correlation, servgap_cell, 0, 0),
    OUT_CALL(gap, rows_gaps, old_gap_1_0, n_down, servgap_gap, 0, 0),
    OUT_CALL(servqual, rows_servqual, old_servqual_1_0, reserved, servgap_servqual, 0, 0),
    OUT_CALL(breakdown, rows_breakdown, old_breakdown_1_0, df, servgap_breakdown, 0, 0),
    OUT_CALL(finding, rows_findings, old_finding_1_0, priority, servgap_finding, 0, 0),
    OUT_CALL(ipa, rows_ipa, old_ipa_1_0, performance_cross, servgap_ipa, 0, 0),
    OUT_CALL(trigger, rows_triggers, old_trigger_1_0, detail, servgap_trigger,
             offsetof(old_trigger_1_0, detail), 0),
    OUT_CALL(risk, rows_risk, old_risk_1_0, worst_normalized, servgap_risk, 0, 0),
    OUT_CALL(import, rows_one, old_import_report_1_0, skips, servgap_import_report, 0, 0),
    OUT_CALL(import_file, rows_one, old_import_report_1_0, skips, servgap_import_report, 0, 0),
};
#define ABI_N_OUT_CALLS (sizeof abi_out_calls / sizeof abi_out_calls[0])

/* A caller's struct inside a larger buffer: the bytes past the struct are
 * the canary, which no call may touch. */
#define ABI_CANARY   0xA5
#define ABI_BUF_SIZE 4096
typedef union abi_buf {
    max_align_t align;
    unsigned char b[ABI_BUF_SIZE];
} abi_buf;

/* buf all canary, with size as its size member. */
static void abi_prepare(abi_buf *buf, size_t size)
{
    memset(buf->b, ABI_CANARY, sizeof buf->b);
    memcpy(buf->b, &size, sizeof size);
}

static size_t abi_size_of(const abi_buf *buf)
{
    size_t size;
    memcpy(&size, buf->b, sizeof size);
    return size;
}

/* The first index in [from, to) whose byte is not the canary, or to. */
static size_t abi_touched(const abi_buf *buf, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (buf->b[k] != ABI_CANARY)
            return k;
    return to;
}

/* Row i of c with a caller size of size; asserts the call succeeded and
 * kept the caller's size member. */
static void abi_fill_ok(const abi_out_call *c, size_t i, size_t size, abi_buf *buf)
{
    abi_prepare(buf, size);
    int rc = c->fill(i, buf->b);
    ck_assert_msg(rc == SERVGAP_OK, "%s row %zu with size %zu: %s", c->name, i, size,
                  servgap_strerror(rc));
    ck_assert_msg(abi_size_of(buf) == size, "%s row %zu: size member changed", c->name, i);
}

/* The sample data loaded and queried, a plan item on its first finding,
 * re-measured over the last 90 days against what came before. */
static void abi_setup(const char *dir)
{
    static const int32_t table[] = {SERVGAP_CSV_METRICS, SERVGAP_CSV_ACCOUNTS,
                                    SERVGAP_CSV_OBSERVATIONS, SERVGAP_CSV_IMPORTANCE,
                                    SERVGAP_CSV_EFFORTS};
    static const char *const file[] = {"metrics", "accounts", "observations", "importance",
                                       "efforts"};
    char path[4096];
    snprintf(abi.metrics, sizeof abi.metrics, "%s/metrics.csv", dir);
    if (servgap_ctx_new(&abi.ctx, NULL) != SERVGAP_OK)
        abort();
    for (size_t t = 0; t < sizeof table / sizeof table[0]; t++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, file[t]);
        if (servgap_import_csv(abi.ctx, table[t], path, 0, NULL) != SERVGAP_OK) {
            fprintf(stderr, "%s: %s\n", path, servgap_errmsg(abi.ctx));
            exit(EXIT_FAILURE);
        }
    }
    int64_t now = 0;
    if (servgap_query(abi.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &abi.res) != SERVGAP_OK ||
        servgap_result_now(abi.res, &now) != SERVGAP_OK)
        abort();
    servgap_finding f = {.size = sizeof f};
    if (servgap_result_finding(abi.res, 0, &f) != SERVGAP_OK)
        abort();
    servgap_plan p = {.size = sizeof p,
                      .owner = "abi-owner",
                      .scope_kind = f.scope_kind,
                      .scope_id = f.scope_id,
                      .touchpoint = f.touchpoint,
                      .metric = f.metric,
                      .dimension = f.dimension,
                      .gap = f.gap,
                      .deadline = now,
                      .target = 0.0};
    if (servgap_plan_add(abi.ctx, &p, &abi.plan) != SERVGAP_OK)
        abort();
    const int64_t w[4] = {SERVGAP_TIME_MIN, now - 90 * SERVGAP_DAY, now - 90 * SERVGAP_DAY, now};
    memcpy(abi.window, w, sizeof w);
}

#endif
