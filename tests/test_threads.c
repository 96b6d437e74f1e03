/*
 * test_threads -- one handle shared by writer, reader and merging threads,
 * and eight threads that also merge private handles into it and report.
 * Every batch is atomic for readers, and the final state equals the same
 * work done serially: each writer owns its account's cell, so the rows of
 * a cell arrive in the same order either way and the moments match bit for
 * bit.
 */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "servgap.h"

#include "run_suite.h"

#define T0      1767225600
#define WRITERS 4
#define BATCHES 150
#define BATCH   100
#define READERS 2
#define QUERIES 30

typedef struct job {
    servgap_ctx *ctx;
    int32_t account, tp;
    int failures;
} job;

static void fill_batch(int writer, int b, double *value, int64_t *time)
{
    for (int i = 0; i < BATCH; i++) {
        value[i] = 1.0 + (double)((writer * 7 + b * 3 + i) % 7);
        time[i] = T0 + (int64_t)((b + i) % 30) * SERVGAP_DAY;
    }
}

static void record_all(job *j, int writer)
{
    int32_t sid[BATCH], tp[BATCH], metric[BATCH], vp[BATCH];
    double value[BATCH];
    int64_t time[BATCH];
    for (int i = 0; i < BATCH; i++) {
        sid[i] = j->account;
        tp[i] = j->tp;
        metric[i] = SERVGAP_DIM_EMPATHY;
        vp[i] = SERVGAP_VP_PERCEIVED;
    }
    for (int b = 0; b < BATCHES; b++) {
        fill_batch(writer, b, value, time);
        if (servgap_record_batch(j->ctx, BATCH, NULL, sid, tp, metric, vp, value, time, NULL,
                                 NULL) != SERVGAP_OK)
            j->failures++;
    }
}

static job jobs[WRITERS];

static void *writer_main(void *arg)
{
    int w = (int)(intptr_t)arg;
    record_all(&jobs[w], w);
    return NULL;
}

/* Every cell a reader sees holds whole batches. */
static void *reader_main(void *arg)
{
    job *j = arg;
    for (int q = 0; q < QUERIES; q++) {
        servgap_result *r = NULL;
        if (servgap_query(j->ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r) != SERVGAP_OK) {
            j->failures++;
            continue;
        }
        size_t n = servgap_result_count(r, SERVGAP_TABLE_CELLS);
        for (size_t i = 0; i < n; i++) {
            servgap_cell c = {.size = sizeof c};
            servgap_result_cell(r, i, &c);
            if (c.scope_kind == SERVGAP_SCOPE_ACCOUNT && c.metric != SERVGAP_ALL &&
                c.n[SERVGAP_VP_PERCEIVED] % BATCH != 0)
                j->failures++;
        }
        servgap_result_free(r);
    }
    return NULL;
}

static servgap_ctx *setup(void)
{
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, NULL), SERVGAP_OK);
    int32_t tp;
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &tp), SERVGAP_OK);
    for (int w = 0; w < WRITERS; w++) {
        char name[16];
        snprintf(name, sizeof name, "acct%d", w);
        int32_t id;
        ck_assert_int_eq(servgap_account_define(ctx, name, "gold", 10.0, &id), SERVGAP_OK);
        jobs[w] = (job){ctx, id, tp, 0};
    }
    return ctx;
}

/* Merges a small handle into a scratch handle while the shared one is read. */
static void *merger_main(void *arg)
{
    job *j = arg;
    servgap_ctx *dst = NULL;
    if (servgap_ctx_new(&dst, NULL) != SERVGAP_OK) {
        j->failures++;
        return NULL;
    }
    for (int k = 0; k < 20; k++)
        if (servgap_ctx_merge(dst, j->ctx) != SERVGAP_OK)
            j->failures++;
    servgap_ctx_free(dst);
    return NULL;
}

START_TEST(test_concurrent_equals_serial)
{
    servgap_ctx *shared = setup();
    pthread_t w[WRITERS], r[READERS], m;
    job readers[READERS + 1];
    for (int i = 0; i <= READERS; i++)
        readers[i] = (job){shared, 0, 0, 0};
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(pthread_create(&w[i], NULL, writer_main, (void *)(intptr_t)i), 0);
    for (int i = 0; i < READERS; i++)
        ck_assert_int_eq(pthread_create(&r[i], NULL, reader_main, &readers[i]), 0);
    ck_assert_int_eq(pthread_create(&m, NULL, merger_main, &readers[READERS]), 0);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(w[i], NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    pthread_join(m, NULL);
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(jobs[i].failures, 0);
    for (int i = 0; i <= READERS; i++)
        ck_assert_int_eq(readers[i].failures, 0);

    servgap_ctx *serial = setup();
    for (int i = 0; i < WRITERS; i++)
        record_all(&jobs[i], i);
    servgap_result *a = NULL, *b = NULL;
    ck_assert_int_eq(servgap_query(shared, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_query(serial, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &b), SERVGAP_OK);
    size_t n = servgap_result_count(a, SERVGAP_TABLE_CELLS);
    ck_assert_uint_eq(n, servgap_result_count(b, SERVGAP_TABLE_CELLS));
    for (size_t i = 0; i < n; i++) {
        servgap_cell x = {.size = sizeof x}, y = {.size = sizeof y};
        servgap_result_cell(a, i, &x);
        servgap_result_cell(b, i, &y);
        ck_assert_int_eq(x.n[SERVGAP_VP_PERCEIVED], y.n[SERVGAP_VP_PERCEIVED]);
        if (x.scope_kind == SERVGAP_SCOPE_ACCOUNT) {
            ck_assert(x.mean[SERVGAP_VP_PERCEIVED] == y.mean[SERVGAP_VP_PERCEIVED]);
            double sx = x.sd[SERVGAP_VP_PERCEIVED], sy = y.sd[SERVGAP_VP_PERCEIVED];
            ck_assert(sx == sy || (isnan(sx) && isnan(sy))); /* roll-ups have no sd */
        } else {
            ck_assert_double_eq_tol(x.mean[SERVGAP_VP_PERCEIVED], y.mean[SERVGAP_VP_PERCEIVED],
                                    1e-12);
        }
    }
    uint64_t count = 0;
    servgap_observation_count(shared, &count);
    ck_assert_uint_eq(count, (uint64_t)WRITERS * BATCHES * BATCH);
    servgap_result_free(a);
    servgap_result_free(b);
    servgap_ctx_free(shared);
    servgap_ctx_free(serial);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Eight threads, across handles                                           */
/* ---------------------------------------------------------------------- */

#define PARTS 2

/* A partition worker: records its own account's batches into a private
 * handle, then merges that handle into the shared one, BATCHES / 10
 * batches at a time, while the writers keep writing. */
typedef struct part {
    servgap_ctx *shared;
    int index;
    int failures;
} part;

static int part_round(part *p, int round)
{
    servgap_ctx *mine = NULL;
    if (servgap_ctx_new(&mine, NULL) != SERVGAP_OK)
        return 1;
    char name[16];
    snprintf(name, sizeof name, "part%d", p->index);
    int32_t acct, tp;
    int bad = servgap_account_define(mine, name, "gold", 10.0, &acct) != SERVGAP_OK ||
              servgap_intern(mine, SERVGAP_KIND_TOUCHPOINT, "chat", &tp) != SERVGAP_OK;
    job j = {mine, acct, tp, 0};
    for (int b = round * 10; !bad && b < round * 10 + 10; b++) {
        int32_t sid[BATCH], tps[BATCH], metric[BATCH], vp[BATCH];
        double value[BATCH];
        int64_t time[BATCH];
        for (int i = 0; i < BATCH; i++) {
            sid[i] = j.account;
            tps[i] = j.tp;
            metric[i] = SERVGAP_DIM_EMPATHY;
            vp[i] = SERVGAP_VP_PERCEIVED;
        }
        fill_batch(WRITERS + p->index, b, value, time);
        bad = servgap_record_batch(mine, BATCH, NULL, sid, tps, metric, vp, value, time, NULL,
                                   NULL) != SERVGAP_OK;
    }
    bad = bad || servgap_ctx_merge(p->shared, mine) != SERVGAP_OK;
    servgap_ctx_free(mine);
    return bad;
}

static void *part_main(void *arg)
{
    part *p = arg;
    for (int round = 0; round < BATCHES / 10; round++)
        p->failures += part_round(p, round);
    return NULL;
}

/* Queries with every analysis, writes the JSON report and a snapshot. */
static void *report_main(void *arg)
{
    job *j = arg;
    for (int q = 0; q < QUERIES / 3; q++) {
        servgap_result *r = NULL;
        size_t len = 0, slen = 0;
        if (servgap_query(j->ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &r) !=
                SERVGAP_OK ||
            servgap_result_json(j->ctx, r, NULL, 0, &len) != SERVGAP_OK ||
            servgap_snapshot_write(j->ctx, NULL, 0, &slen) != SERVGAP_OK || len == 0 || slen == 0)
            j->failures++;
        servgap_result_free(r);
    }
    return NULL;
}

static servgap_ctx *setup_parts(void)
{
    servgap_ctx *ctx = setup();
    for (int k = 0; k < PARTS; k++) {
        char name[16];
        snprintf(name, sizeof name, "part%d", k);
        int32_t id;
        ck_assert_int_eq(servgap_account_define(ctx, name, "gold", 10.0, &id), SERVGAP_OK);
    }
    return ctx;
}

static void expect_same_cells(servgap_ctx *x, servgap_ctx *y)
{
    servgap_result *a = NULL, *b = NULL;
    ck_assert_int_eq(servgap_query(x, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_query(y, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &b), SERVGAP_OK);
    size_t n = servgap_result_count(a, SERVGAP_TABLE_CELLS);
    ck_assert_uint_eq(n, servgap_result_count(b, SERVGAP_TABLE_CELLS));
    for (size_t i = 0; i < n; i++) {
        servgap_cell c = {.size = sizeof c}, d = {.size = sizeof d};
        servgap_result_cell(a, i, &c);
        servgap_result_cell(b, i, &d);
        ck_assert_int_eq(c.scope_id, d.scope_id);
        ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], d.n[SERVGAP_VP_PERCEIVED]);
        /* An account's rows come from one thread, in order: exact. A tier
         * pools accounts in arrival order: equal to rounding. */
        if (c.scope_kind == SERVGAP_SCOPE_ACCOUNT)
            ck_assert(c.mean[SERVGAP_VP_PERCEIVED] == d.mean[SERVGAP_VP_PERCEIVED]);
        else
            ck_assert_double_eq_tol(c.mean[SERVGAP_VP_PERCEIVED], d.mean[SERVGAP_VP_PERCEIVED],
                                    1e-12);
    }
    servgap_result_free(a);
    servgap_result_free(b);
}

START_TEST(test_eight_threads_across_handles)
{
    /* 4 writers and 2 partition mergers change the shared handle, 1 thread
     * reports on it, 1 merges it into another handle: 8 threads. */
    servgap_ctx *shared = setup_parts();
    pthread_t w[WRITERS], pt[PARTS], rep, m;
    part parts[PARTS];
    job others[2] = {{shared, 0, 0, 0}, {shared, 0, 0, 0}};
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(pthread_create(&w[i], NULL, writer_main, (void *)(intptr_t)i), 0);
    for (int k = 0; k < PARTS; k++) {
        parts[k] = (part){shared, k, 0};
        ck_assert_int_eq(pthread_create(&pt[k], NULL, part_main, &parts[k]), 0);
    }
    ck_assert_int_eq(pthread_create(&rep, NULL, report_main, &others[0]), 0);
    ck_assert_int_eq(pthread_create(&m, NULL, merger_main, &others[1]), 0);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(w[i], NULL);
    for (int k = 0; k < PARTS; k++)
        pthread_join(pt[k], NULL);
    pthread_join(rep, NULL);
    pthread_join(m, NULL);
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(jobs[i].failures, 0);
    for (int k = 0; k < PARTS; k++)
        ck_assert_int_eq(parts[k].failures, 0);
    ck_assert_int_eq(others[0].failures, 0);
    ck_assert_int_eq(others[1].failures, 0);

    servgap_ctx *serial = setup_parts();
    for (int i = 0; i < WRITERS; i++)
        record_all(&jobs[i], i);
    for (int k = 0; k < PARTS; k++) {
        part p = {serial, k, 0};
        for (int round = 0; round < BATCHES / 10; round++)
            ck_assert_int_eq(part_round(&p, round), 0);
    }
    uint64_t count = 0;
    servgap_observation_count(shared, &count);
    ck_assert_uint_eq(count, (uint64_t)(WRITERS + PARTS) * BATCHES * BATCH);
    expect_same_cells(shared, serial);
    servgap_ctx_free(shared);
    servgap_ctx_free(serial);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_concurrent_equals_serial);
    tcase_add_test(tc, test_eight_threads_across_handles);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
