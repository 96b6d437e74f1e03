/*
 * errors -- what the suites of the public API's error paths share
 * (test_errors_*.c, one suite per area, each written from the contract in
 * include/servgap.h and docs/conventions.md, not from the implementation):
 * FAILS, which checks a failed call, and the handle most of them start from.
 *
 * For every failure FAILS checks: the status code, servgap_errcode() equal
 * to it, a non-empty message that (where the contract says the message
 * names the argument, id or index at fault) mentions the culprit, and that
 * servgap_errmsg_copy() reports the full length and truncates correctly.
 * The tests themselves check that nothing was changed (observation count,
 * name counts, options).
 */
#ifndef SERVGAP_TEST_ERRORS_H
#define SERVGAP_TEST_ERRORS_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"

#define T0   ((int64_t)1704067200) /* 2024-01-01T00:00:00Z */
#define BAD  4242                  /* an id no handle in these tests knows */
#define BADS "4242"

/* Check a failed call on a handle. n1 / n2: the message must contain one of
 * them (NULL: only non-empty). */
static inline void check_fail_at(int line, const char *expr, servgap_ctx *ctx, int rc, int want,
                                 const char *n1, const char *n2)
{
    ck_assert_msg(rc == want, "line %d: %s returned %d (%s), expected %d (%s); errmsg '%s'", line,
                  expr, rc, servgap_strerror(rc), want, servgap_strerror(want),
                  ctx ? servgap_errmsg(ctx) : "(no ctx)");
    if (!ctx)
        return;

    char buf[4096];
    memset(buf, 'Z', sizeof buf);
    size_t len = servgap_errmsg_copy(ctx, buf, sizeof buf);
    int code = servgap_errcode(ctx);
    ck_assert_msg(code == want, "line %d: %s: servgap_errcode %d, expected %d", line, expr, code,
                  want);
    ck_assert_msg(len > 0, "line %d: %s: empty error message", line, expr);
    ck_assert_msg(len < sizeof buf, "line %d: %s: message of %zu bytes", line, expr, len);
    ck_assert_msg(strlen(buf) == len, "line %d: %s: errmsg_copy returned %zu, copied %zu", line,
                  expr, len, strlen(buf));
    const char *m = servgap_errmsg(ctx);
    ck_assert_msg(m != NULL && strcmp(m, buf) == 0,
                  "line %d: %s: servgap_errmsg '%s' differs from the copy '%s'", line, expr,
                  m ? m : "(null)", buf);
    if (n1) {
        int found = strstr(buf, n1) != NULL || (n2 && strstr(buf, n2) != NULL);
        ck_assert_msg(found, "line %d: %s: message '%s' names neither '%s' nor '%s'", line, expr,
                      buf, n1, n2 ? n2 : "-");
    }

    /* Truncation: cap 5 keeps 4 bytes and a NUL, writes nothing beyond. */
    char small[8];
    memset(small, 'X', sizeof small);
    size_t l2 = servgap_errmsg_copy(ctx, small, 5);
    ck_assert_msg(l2 == len, "line %d: truncated copy returned %zu, full length %zu", line, l2,
                  len);
    size_t keep = len < 4 ? len : 4;
    ck_assert_msg(memcmp(small, buf, keep) == 0 && small[keep] == '\0',
                  "line %d: truncated copy wrong", line);
    ck_assert_msg(small[5] == 'X' && small[6] == 'X' && small[7] == 'X',
                  "line %d: errmsg_copy wrote beyond cap", line);
    /* cap 1: only the NUL. */
    char one[2] = {'X', 'X'};
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, one, 1), len);
    ck_assert_msg(one[0] == '\0' && one[1] == 'X', "line %d: cap 1 copy wrong", line);
    /* Size query. */
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, NULL, 0), len);
}

#define FAILS(ctx, call, want, n1, n2)                                                             \
    check_fail_at(__LINE__, #call, (ctx), (call), (want), (n1), (n2))

/* A handle with tier "enterprise" (0), touchpoint "email" (0), team "squad"
 * (0) and account "acme" (0) in tier enterprise. */
typedef struct fixture {
    servgap_ctx *ctx;
    int32_t tier, tp, team, acct;
} fixture;

static inline fixture setup(void)
{
    fixture f;
    f.ctx = new_ctx();
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TIER, "enterprise", &f.tier), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TOUCHPOINT, "email", &f.tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TEAM, "squad", &f.team), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(f.ctx, "acme", "enterprise", 1000.0, &f.acct),
                     SERVGAP_OK);
    ck_assert_int_eq(f.tier, 0);
    ck_assert_int_eq(f.tp, 0);
    ck_assert_int_eq(f.team, 0);
    ck_assert_int_eq(f.acct, 0);
    return f;
}

/* A name of n bytes of c (n < size). */
static inline char *name_of(char *buf, size_t n, char c)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

#endif
