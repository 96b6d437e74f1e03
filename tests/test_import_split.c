/*
 * test_import_split -- a CSV import read in parts on threads gives what
 * the one-thread import gives: the same handle (snapshot bytes), the same
 * import report (counts and the skipped rows' messages with their line
 * and column), the same failure message. The files are written to make
 * the parts' guesses go wrong: quoted fields holding line feeds and
 * commas, records longer than a part, CRLF and blank lines, malformed
 * records (a stray quote, a bare CR, invalid UTF-8, wrong field counts),
 * bad values and names, and respondents' rows. Parts are made tiny
 * (ctx->csv_part_bytes) so that a few thousand rows make many rounds.
 * Links the internal archive, for that one field.
 */
#include "base/platform.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ctx.h"

#include "gate.h"
#include "helpers.h"
#include "run_suite.h"

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        ck_assert_ptr_nonnull(t->p);
    }
    memcpy(t->p + t->n, s, n + 1);
    t->n += n;
}

static const char *const tps[] = {"email", "phone", "\"chat, live\"", "portal"};
static const char *const vps[] = {"expected", "perceived", "delivered", "standard", "believed"};

/* One observation row, valid, of account a. */
static void good_row(text *t, uint64_t *st, int a, int day)
{
    char row[256];
    snprintf(row, sizeof row, "2026-%02d-%02d,acct-%d,%s,%s,reliability,%s,%d.%d,%s,,",
             1 + day / 28 % 12, 1 + day % 28, a, a % 3 ? "gold" : "\"silver\"",
             tps[test_draw(st, 4)], vps[test_draw(st, 5)], 1 + (int)test_draw(st, 6),
             (int)test_draw(st, 10), test_draw(st, 2) ? "t1" : "");
    put(t, row);
}

/* A row a reader or the importer refuses, of one of several kinds. */
static void bad_row(text *t, uint64_t *st, int a)
{
    char row[512];
    switch (test_draw(st, 8)) {
    case 0: /* a quoted field over several lines, long enough to span parts */
        put(t, "2026-02-01,\"acct-x\nwith,a line\n");
        for (uint32_t k = test_draw(st, 40); k > 0; k--)
            put(t, "and more, \"\"quoted\"\" text\n");
        put(t, "\",gold,email,reliability,expected,3,,,");
        return;
    case 1:
        snprintf(row, sizeof row, "2026-02-01,acct-%d,gold,email,reliability,expected,3,,", a);
        break; /* one field short */
    case 2:
        snprintf(row, sizeof row, "2026-02-01,ac\"ct-%d,gold,email,reliability,expected,3,,,", a);
        break;
    case 3:
        snprintf(row, sizeof row, "2026-02-01,acct-%d,gold,email,reliability,expected,x3,,,", a);
        break;
    case 4:
        snprintf(row, sizeof row, "2026-02-01,acct-%d\r,gold,email,reliability,expected,3,,,", a);
        break;
    case 5:
        snprintf(row, sizeof row, "2026-02-01,acct-\xff%d,gold,email,reliability,expected,3,,,", a);
        break;
    case 6:
        snprintf(row, sizeof row, "2026-13-01,acct-%d,gold,email,reliability,expected,3,,,,", a);
        break; /* a field too many */
    default:
        snprintf(row, sizeof row, "2026-02-01,acct-%d,platinum,email,reliability,believed,3,,,", a);
        break; /* another tier than the account's */
    }
    put(t, row);
}

/* A respondent's pair of rows (expected and perceived), or in skip mode
 * now and then a bad one, which takes its respondent with it. */
static void respondent_rows(text *t, uint64_t *st, int a, int r, int bad)
{
    char row[256];
    snprintf(row, sizeof row,
             "2026-03-01,acct-%d,%s,email,tangibles,expected,%d,,,r%d\n"
             "2026-03-01,acct-%d,%s,email,tangibles,perceived,%s,,,r%d",
             a, a % 3 ? "gold" : "silver", 1 + (int)test_draw(st, 7), r, a,
             a % 3 ? "gold" : "silver", bad ? "nine" : "4", r);
    put(t, row);
}

static void line_end(text *t, uint64_t *st)
{
    uint32_t k = test_draw(st, 20);
    put(t, k == 0 ? "\r\n" : k == 1 ? "\n\n" : k == 2 ? "\r\n\r\n\n" : "\n");
}

/* An observations file of about n rows; with bad, some rows are bad. */
static text observations(uint64_t seed, int n, int bad)
{
    text t = {NULL, 0, 0};
    uint64_t st = seed;
    put(&t, "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n");
    for (int i = 0; i < n; i++) {
        int a = (int)test_draw(&st, 200);
        if (bad && test_draw(&st, 25) == 0)
            bad_row(&t, &st, a);
        else if (test_draw(&st, 30) == 0)
            respondent_rows(&t, &st, a, i, bad && test_draw(&st, 4) == 0);
        else
            good_row(&t, &st, a, i % 300);
        line_end(&t, &st);
    }
    return t;
}

/* What an import did: its status, message, report and the handle after. */
typedef struct outcome {
    int rc;
    char msg[600];
    servgap_import_report rep;
    void *snap;
    size_t nsnap;
} outcome;

/* The import alone: status, message and report. */
static outcome import_only(const text *t, int threads, size_t part, uint32_t flags,
                           servgap_ctx *ctx)
{
    outcome o;
    memset(&o, 0, sizeof o);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, threads), SERVGAP_OK);
    ctx->csv_part_bytes = part;
    o.rep.size = sizeof o.rep;
    o.rc = servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", t->p, t->n, flags,
                                     &o.rep);
    snprintf(o.msg, sizeof o.msg, "%s", o.rc == SERVGAP_OK ? "" : servgap_errmsg(ctx));
    return o;
}

static void snapshot_into(outcome *o, servgap_ctx *ctx)
{
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &o->nsnap), SERVGAP_OK);
    o->snap = malloc(o->nsnap);
    ck_assert_int_eq(servgap_snapshot_write(ctx, o->snap, o->nsnap, &o->nsnap), SERVGAP_OK);
}

static outcome import_with(const text *t, int threads, size_t part, uint32_t flags,
                           servgap_ctx *ctx)
{
    outcome o = import_only(t, threads, part, flags, ctx);
    snapshot_into(&o, ctx);
    return o;
}

static outcome import_new(const text *t, int threads, size_t part, uint32_t flags)
{
    servgap_ctx *ctx = new_ctx();
    outcome o = import_with(t, threads, part, flags, ctx);
    servgap_ctx_free(ctx);
    return o;
}

static void assert_same_outcome(const outcome *one, const outcome *o, int threads, size_t part)
{
    ck_assert_msg(one->rc == o->rc && strcmp(one->msg, o->msg) == 0,
                  "%d threads, parts of %zu bytes: %d '%s', one thread: %d '%s'", threads, part,
                  o->rc, o->msg, one->rc, one->msg);
    ck_assert_msg(memcmp(&one->rep, &o->rep, sizeof o->rep) == 0,
                  "%d threads, parts of %zu bytes: report differs (%llu rows, %llu skipped; "
                  "one thread %llu, %llu)\n%s\n---\n%s",
                  threads, part, (unsigned long long)o->rep.rows,
                  (unsigned long long)o->rep.skipped, (unsigned long long)one->rep.rows,
                  (unsigned long long)one->rep.skipped, o->rep.skips, one->rep.skips);
    ck_assert_msg(one->nsnap == o->nsnap && memcmp(one->snap, o->snap, o->nsnap) == 0,
                  "%d threads, parts of %zu bytes: the handle differs", threads, part);
}

static const size_t part_sizes[] = {1, 150, 1000, 4096};
static const int thread_counts[] = {2, 3, 5};

/* Every part size and thread count against one thread. */
static void assert_split_same(const text *t, uint32_t flags)
{
    outcome one = import_new(t, 1, 0, flags);
    for (size_t i = 0; i < sizeof part_sizes / sizeof *part_sizes; i++) {
        for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++) {
            outcome o = import_new(t, thread_counts[k], part_sizes[i], flags);
            assert_same_outcome(&one, &o, thread_counts[k], part_sizes[i]);
            free(o.snap);
        }
    }
    free(one.snap);
}

/* Good files: every row applied, whatever the parts. */
START_TEST(good_rows_same_handle)
{
    text t = observations(1000 + (uint64_t)_i, 2000, 0);
    outcome one = import_new(&t, 1, 0, 0);
    ck_assert_int_eq(one.rc, SERVGAP_OK);
    ck_assert_int_eq(one.rep.skipped, 0);
    free(one.snap);
    assert_split_same(&t, 0);
    free(t.p);
}
END_TEST

/* Bad rows skipped: the same rows skipped, with the same messages. */
START_TEST(bad_rows_skipped_alike)
{
    text t = observations(2000 + (uint64_t)_i, 2000, 1);
    outcome one = import_new(&t, 1, 0, SERVGAP_IMPORT_SKIP_BAD_ROWS);
    ck_assert_int_eq(one.rc, SERVGAP_OK);
    ck_assert_int_gt(one.rep.skipped, 40);
    free(one.snap);
    assert_split_same(&t, SERVGAP_IMPORT_SKIP_BAD_ROWS);
    free(t.p);
}
END_TEST

/* Without skipping, the first bad row fails the import at the same line
 * and column, and the handle is as before. */
START_TEST(first_bad_row_fails_alike)
{
    text t = observations(3000 + (uint64_t)_i, 2000, 1);
    outcome one = import_new(&t, 1, 0, 0);
    ck_assert_int_ne(one.rc, SERVGAP_OK);
    ck_assert_ptr_nonnull(strstr(one.msg, "obs.csv:"));
    free(one.snap);
    assert_split_same(&t, 0);
    free(t.p);
}
END_TEST

/* An unterminated quote near the end: the rest of the file cannot be
 * read, and every split says so at the quote. */
START_TEST(unterminated_quote_alike)
{
    text t = observations(4000, 2000, 1);
    put(&t, "2026-02-01,\"acct-open,gold,email,reliability,expected,3,\n");
    for (int i = 0; i < 50; i++)
        put(&t, "2026-02-01,acct-1,gold,email,reliability,expected,3,\n");
    outcome one = import_new(&t, 1, 0, SERVGAP_IMPORT_SKIP_BAD_ROWS);
    ck_assert_int_eq(one.rc, SERVGAP_EFORMAT);
    ck_assert_ptr_nonnull(strstr(one.msg, "unterminated"));
    free(one.snap);
    assert_split_same(&t, SERVGAP_IMPORT_SKIP_BAD_ROWS);
    free(t.p);
}
END_TEST

/* A file of one header and a last row without a line feed, or with a
 * BOM; and files only a little larger than a part. */
START_TEST(edges_alike)
{
    text t = {NULL, 0, 0};
    put(&t, "\xef\xbb\xbftime,account,tier,touchpoint,metric,viewpoint,value\n");
    for (int i = 0; i < 40; i++)
        put(&t, "2026-02-01,acct-1,gold,email,reliability,expected,3\n\n");
    put(&t, "2026-02-02,acct-2,gold,email,reliability,perceived,4");
    assert_split_same(&t, 0);
    free(t.p);
}
END_TEST

/* Bytes that change how a CSV reads: quotes, separators, line ends, a
 * NUL, a byte that is not UTF-8. */
static const char mutations[] = "\"\"\",\n\n\r\0\xff ";

/* Files written as above, then mutated at random places by the bytes a
 * reader must get right: every split reads them as one thread does. */
START_TEST(mutated_files_alike)
{
    uint64_t st = 7000 + (uint64_t)_i;
    for (int round = 0; round < 12; round++) {
        text t = observations(st + (uint64_t)round, 60, test_draw(&st, 2));
        size_t header = strcspn(t.p, "\n") + 1;
        for (uint32_t k = 1 + test_draw(&st, 12); k > 0; k--)
            t.p[header + test_draw(&st, (uint32_t)(t.n - header))] =
                mutations[test_draw(&st, sizeof mutations - 1)];
        uint32_t flags = test_draw(&st, 2) ? SERVGAP_IMPORT_SKIP_BAD_ROWS : 0;
        outcome one = import_new(&t, 1, 0, flags);
        static const size_t parts[] = {1, 37, 200};
        for (size_t i = 0; i < 3; i++) {
            outcome o = import_new(&t, 2 + (int)i, parts[i], flags);
            assert_same_outcome(&one, &o, 2 + (int)i, parts[i]);
            free(o.snap);
        }
        free(one.snap);
        free(t.p);
    }
}
END_TEST

/* Each allocation of a 3-thread import fails in turn. A part's reader
 * that fails leaves its rows to the calling thread, so the import either
 * completes as one thread's does or fails with SERVGAP_ENOMEM, the handle
 * as before it. A failed import may leave capacity it grew in the handle
 * (as at one thread), so leaks are counted when the handles are freed:
 * every block comes back. */
START_TEST(allocation_failures)
{
    text t = observations(5000, 600, 1);
    outcome one = import_new(&t, 1, 0, SERVGAP_IMPORT_SKIP_BAD_ROWS);
    servgap_allocator a = gate_allocator();
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    outcome empty = import_with(&(text){"", 0, 0}, 1, 0, 0, ctx);
    long completed = 0, failed = 0;
    for (long k = 1; k < 400; k++) {
        gate.calls = 0;
        gate.fail_at = k;
        outcome o = import_only(&t, 3, 300, SERVGAP_IMPORT_SKIP_BAD_ROWS, ctx);
        gate.fail_at = 0;
        snapshot_into(&o, ctx);
        if (o.rc == SERVGAP_OK) {
            assert_same_outcome(&one, &o, 3, 300);
            completed++;
            servgap_ctx_free(ctx);
            ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
        } else {
            ck_assert_msg(o.rc == SERVGAP_ENOMEM, "allocation %ld: %d %s", k, o.rc, o.msg);
            ck_assert_msg(o.nsnap == empty.nsnap && memcmp(o.snap, empty.snap, o.nsnap) == 0,
                          "allocation %ld: the failed import changed the handle", k);
            failed++;
        }
        free(o.snap);
    }
    fprintf(stderr, "allocation failures: %ld imports failed, %ld completed\n", failed, completed);
    ck_assert_int_gt(failed, 20);
    ck_assert_int_gt(completed, 20);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
    ck_assert_int_eq(gate.foreign, 0);
    free(empty.snap);
    free(one.snap);
    free(t.p);
}
END_TEST

/* servgap_ctx_interrupt while parts are read on other threads stops the
 * import with SERVGAP_EINTERRUPTED and the handle as before. */
START_TEST(interrupted_alike)
{
    text t = observations(6000, 30000, 0);
    servgap_allocator a = gate_allocator();
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    outcome empty = import_with(&(text){"", 0, 0}, 1, 0, 0, ctx);
    gate.calls = 0;
    interrupt_ctx = ctx;
    interrupt_at = 40;
    outcome o = import_only(&t, 3, 20000, 0, ctx);
    interrupt_ctx = NULL;
    snapshot_into(&o, ctx);
    ck_assert_msg(o.rc == SERVGAP_EINTERRUPTED, "%d %s", o.rc, o.msg);
    ck_assert_msg(o.nsnap == empty.nsnap && memcmp(o.snap, empty.snap, o.nsnap) == 0,
                  "the interrupted import changed the handle");
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
    free(o.snap);
    free(empty.snap);
    free(t.p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("import_split");
    TCase *tc = tcase_create("import_split");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, good_rows_same_handle, 0, 3);
    tcase_add_loop_test(tc, bad_rows_skipped_alike, 0, 3);
    tcase_add_loop_test(tc, first_bad_row_fails_alike, 0, 3);
    tcase_add_test(tc, unterminated_quote_alike);
    tcase_add_test(tc, edges_alike);
    tcase_add_loop_test(tc, mutated_files_alike, 0, 10);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, interrupted_alike);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
