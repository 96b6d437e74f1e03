/*
 * test_csv -- CSV import through the public API, as a specification:
 * the RFC 4180 reader (quotes, embedded commas, quotes and newlines, CRLF,
 * LF, BOM, no trailing newline), order-free headers and unknown columns,
 * every time form, exact locale-independent numbers, the six tables,
 * paired respondents and their importance points, every error class with
 * its FILE:LINE:COLUMN, file against buffer, all-or-nothing (the handle's
 * snapshot bytes and its whole observable state through the API compared
 * before and after a failed import, also when every allocation fails in
 * turn), atomicity for readers and the skip mode.
 *
 * Expected values are derived here by hand or by independent code (a naive
 * calendar, strtod in the C locale, the paired t interval from its
 * formula), never copied from the library's output.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, strdup */
#include <check.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define OBS_HEADER "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n"

static int import_flags(servgap_ctx *ctx, int32_t table, const char *csv, uint32_t flags,
                        servgap_import_report *rep)
{
    return servgap_import_csv_buffer(ctx, table, "t.csv", csv, strlen(csv), flags, rep);
}

static void import_ok(servgap_ctx *ctx, int32_t table, const char *csv)
{
    servgap_import_report rep = {.size = sizeof rep};
    int rc = import_flags(ctx, table, csv, 0, &rep);
    ck_assert_msg(rc == SERVGAP_OK, "import failed: %d %s", rc, servgap_errmsg(ctx));
}

/* The import fails with code and exactly msg. */
static void import_fails(servgap_ctx *ctx, int32_t table, const char *csv, int code,
                         const char *msg)
{
    int rc = import_flags(ctx, table, csv, 0, NULL);
    ck_assert_msg(rc == code, "want %d, got %d: %s", code, rc, servgap_errmsg(ctx));
    ck_assert_str_eq(servgap_errmsg(ctx), msg);
    ck_assert_int_eq(servgap_errcode(ctx), code);
}

static int32_t id_of(servgap_ctx *ctx, int32_t kind, const char *name)
{
    int32_t id = -1;
    int rc = servgap_lookup(ctx, kind, name, &id);
    ck_assert_msg(rc == SERVGAP_OK, "no %d '%s': %s", kind, name, servgap_errmsg(ctx));
    return id;
}

static servgap_account account_of(servgap_ctx *ctx, const char *name)
{
    servgap_account a = {.size = sizeof a};
    ck_assert_int_eq(servgap_account_info(ctx, id_of(ctx, SERVGAP_KIND_ACCOUNT, name), &a),
                     SERVGAP_OK);
    return a;
}

/* Seconds since 1970 of a UTC date and time, by counting days one year and
 * one month at a time: independent of the library's calendar arithmetic. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t days = 0;
    for (int k = 1970; k < y; k++)
        days += (k % 4 == 0 && (k % 100 != 0 || k % 400 == 0)) ? 366 : 365;
    for (int k = y; k < 1970; k++)
        days -= (k % 4 == 0 && (k % 100 != 0 || k % 400 == 0)) ? 366 : 365;
    for (int k = 1; k < mo; k++)
        days += mdays[k - 1] + (k == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    days += d - 1;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

/* ---------------------------------------------------------------------- */
/* Observable state, for all-or-nothing                                    */
/* ---------------------------------------------------------------------- */

typedef struct text {
    char *s;
    size_t n, cap;
} text;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->n + (size_t)k + 1 > t->cap) {
        t->cap = (t->n + (size_t)k + 1) * 2;
        t->s = realloc(t->s, t->cap);
        ck_assert_ptr_nonnull(t->s);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    t->n += (size_t)k;
}

static void add_names(text *t, servgap_ctx *ctx)
{
    for (int32_t kind = SERVGAP_KIND_TIER; kind <= SERVGAP_KIND_METRIC; kind++) {
        int32_t n = kind_count(ctx, kind);
        add(t, "kind %d: %d\n", kind, n);
        for (int32_t i = 0; i < n; i++) {
            const char *name = NULL;
            ck_assert_int_eq(servgap_name(ctx, kind, i, &name), SERVGAP_OK);
            add(t, " %s", name);
        }
        add(t, "\n");
    }
}

static void add_registries(text *t, servgap_ctx *ctx)
{
    for (int32_t i = 0; i < kind_count(ctx, SERVGAP_KIND_METRIC); i++) {
        servgap_metric m = {.size = sizeof m};
        ck_assert_int_eq(servgap_metric_info(ctx, i, &m), SERVGAP_OK);
        add(t, "metric %s %s %d %d %a %a %a\n", m.name, m.unit, m.dimension, m.direction, m.min,
            m.max, m.span);
    }
    for (int32_t i = 0; i < kind_count(ctx, SERVGAP_KIND_ACCOUNT); i++) {
        servgap_account a = {.size = sizeof a};
        ck_assert_int_eq(servgap_account_info(ctx, i, &a), SERVGAP_OK);
        add(t, "account %s %d %d %d %a %a %lld %lld\n", a.name, a.tier, a.at_risk, a.churned,
            a.value, a.health, (long long)a.renewal, (long long)a.migration);
    }
}

static void add_efforts(text *t, servgap_ctx *ctx)
{
    int32_t ntp = kind_count(ctx, SERVGAP_KIND_TOUCHPOINT),
            nm = kind_count(ctx, SERVGAP_KIND_METRIC);
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++)
        for (int32_t tp = SERVGAP_ALL; tp < ntp; tp++)
            for (int32_t m = SERVGAP_ALL; m < nm; m++) {
                double e = NAN;
                if (tp == SERVGAP_ANY || m == SERVGAP_ANY)
                    continue;
                ck_assert_int_eq(servgap_effort_get(ctx, g, tp, m, &e), SERVGAP_OK);
                add(t, "effort %d %d %d %a\n", g, tp, m, e);
            }
}

static void add_cell(text *t, const servgap_result *r, size_t i)
{
    servgap_cell c = {.size = sizeof c};
    ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
    add(t, "cell %d %d %d %d %d %d %lld %a\n", c.scope_kind, c.scope_id, c.touchpoint, c.metric,
        c.dimension, c.classification, (long long)c.pairs, c.pe_correlation);
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        add(t, " %lld %a %a %u", (long long)c.n[v], c.mean[v], c.sd[v], c.source[v]);
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++) {
        servgap_gap gp = {.size = sizeof gp};
        ck_assert_int_eq(servgap_result_gap(r, i, g, &gp), SERVGAP_OK);
        add(t, "\n gap %d %d %u %a %a %a %lld", gp.status, gp.span, gp.flags, gp.value, gp.lo,
            gp.hi, (long long)gp.n_up);
    }
    add(t, "\n");
}

static void add_query(text *t, servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                                   SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS, &r),
                     SERVGAP_OK);
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_CELLS); i++)
        add_cell(t, r, i);
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_SERVQUAL); i++) {
        servgap_servqual q = {.size = sizeof q};
        ck_assert_int_eq(servgap_result_servqual(r, i, &q), SERVGAP_OK);
        add(t, "servqual %d %d %d %d %lld", q.scope_kind, q.scope_id, q.touchpoint, q.weight_source,
            (long long)q.respondents);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            add(t, " %a %a", q.weight[d], q.believed_weight[d]);
        add(t, " %a\n", q.weighted);
    }
    servgap_result_free(r);
}

/* The snapshot bytes: everything the handle knows, in one string. */
static void add_snapshot(text *t, servgap_ctx *ctx)
{
    size_t len = 0;
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &len), SERVGAP_OK);
    unsigned char *buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(servgap_snapshot_write(ctx, buf, len, &len), SERVGAP_OK);
    add(t, "snapshot %zu:", len);
    for (size_t i = 0; i < len; i++)
        add(t, "%02x", buf[i]);
    add(t, "\n");
    free(buf);
}

/* Everything a caller can observe of a handle, as text (owned). */
static char *state(servgap_ctx *ctx)
{
    text t = {0};
    add(&t, "observations %llu\n", (unsigned long long)obs_count(ctx));
    add_names(&t, ctx);
    add_registries(&t, ctx);
    add_efforts(&t, ctx);
    add_query(&t, ctx);
    add_snapshot(&t, ctx);
    return t.s;
}

/* ---------------------------------------------------------------------- */
/* The reader                                                              */
/* ---------------------------------------------------------------------- */

START_TEST(test_quoted_fields)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS,
              "account,tier,value\n"
              "\"acme, inc\",ent,1\n"
              "\"the \"\"best\"\" co\",ent,2\n"
              "\"two\nlines\",\"smb\",3\n"
              "plain,\"\",\"4\"\n");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 4);
    ck_assert_double_eq(account_of(ctx, "acme, inc").value, 1.0);
    ck_assert_double_eq(account_of(ctx, "the \"best\" co").value, 2.0);
    ck_assert_double_eq(account_of(ctx, "two\nlines").value, 3.0);
    ck_assert_int_eq(account_of(ctx, "two\nlines").tier, id_of(ctx, SERVGAP_KIND_TIER, "smb"));
    ck_assert_double_eq(account_of(ctx, "plain").value, 4.0);
    ck_assert_int_eq(account_of(ctx, "plain").tier, SERVGAP_NONE);
    servgap_ctx_free(ctx);
}
END_TEST

/* An empty account name on line 6 of the file above: the newline inside
 * the quotes of line 4 counts, so lines stay those of the file. */
START_TEST(test_lines_count_quoted_newlines)
{
    servgap_ctx *ctx = new_ctx();
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS,
                 "account,tier,value\n"
                 "a,ent,1\n"
                 "\"two\nlines\",\"smb\",3\n"
                 "b,ent,2\n"
                 "\"\",,\n",
                 SERVGAP_EFORMAT, "t.csv:6:1: account name must be 1..255 bytes (it is 0)");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* The same table with LF, CRLF, a BOM, no final newline and blank lines. */
START_TEST(test_line_endings_and_bom)
{
    static const char *const files[] = {
        "account,value\na,1.5\nb,2\n",
        "account,value\r\na,1.5\r\nb,2\r\n",
        "\xef\xbb\xbf"
        "account,value\r\na,1.5\r\nb,2\r\n",
        "\xef\xbb\xbf"
        "account,value\na,1.5\nb,2",
        "account,value\r\na,1.5\nb,2",
        "\naccount,value\n\na,1.5\r\n\r\nb,2\n\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        servgap_ctx *ctx = new_ctx();
        servgap_import_report rep = {.size = sizeof rep};
        ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_ACCOUNTS, files[i], 0, &rep), SERVGAP_OK);
        ck_assert_uint_eq(rep.rows, 2);
        ck_assert_uint_eq(rep.applied, 2);
        ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 2);
        ck_assert_double_eq(account_of(ctx, "a").value, 1.5);
        ck_assert_double_eq(account_of(ctx, "b").value, 2.0);
        servgap_ctx_free(ctx);
    }
}
END_TEST

/* With a BOM and CRLF, columns count bytes of the line after the BOM. */
START_TEST(test_positions_after_bom_and_crlf)
{
    servgap_ctx *ctx = new_ctx();
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS,
                 "\xef\xbb\xbf"
                 "account,value\r\na,1\r\nb,x\r\n",
                 SERVGAP_EFORMAT, "t.csv:3:3: value 'x' is not a decimal number");
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_malformed_csv)
{
    servgap_ctx *ctx = new_ctx();
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nab\"c,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:3: quote inside an unquoted field");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\n\"ab\"c,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:5: text after the closing quote");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na,1\nb,\"2\n", SERVGAP_EFORMAT,
                 "t.csv:3:3: unterminated quoted field");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na\rb,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:2: CR not followed by LF");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nab\xff,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:3: invalid UTF-8");
    /* An overlong encoding of '/' and a UTF-16 surrogate are not UTF-8. */
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\n\xc0\xaf,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:1: invalid UTF-8");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\n\"x\xed\xa0\x80\",1\n", SERVGAP_EFORMAT,
                 "t.csv:2:3: invalid UTF-8");
    static const char nul[] = "account,value\nab\0c,1\n";
    ck_assert_int_eq(
        servgap_import_csv_buffer(ctx, SERVGAP_CSV_ACCOUNTS, "t.csv", nul, sizeof nul - 1, 0, NULL),
        SERVGAP_EFORMAT);
    ck_assert_str_eq(servgap_errmsg(ctx), "t.csv:2:3: NUL byte");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na,1,2\n", SERVGAP_EFORMAT,
                 "t.csv:2:5: the row has 3 fields, the header 2");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nabc\n", SERVGAP_EFORMAT,
                 "t.csv:2:4: the row has 1 fields, the header 2");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "", SERVGAP_EFORMAT, "t.csv:1:1: no header row");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "\n\r\n", SERVGAP_EFORMAT, "t.csv:1:1: no header row");
    /* Valid UTF-8 of 2, 3 and 4 bytes is content. */
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS,
              "account\n\xc3\xa9t\xc3\xa9\n\xe2\x82\xac\n\xf0\x9f\x98\x80\n");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 3);
    id_of(ctx, SERVGAP_KIND_ACCOUNT, "\xe2\x82\xac");
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_headers)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    /* Order-free, trimmed names, unknown columns ignored and reported. */
    const char *csv = "note, value ,\tmetric,touchpoint,viewpoint,source,tier,account,time\n"
                      "hello,6,reliability,email,perceived,crm,ent,acme,2024-03-01\n"
                      "x,4.5,reliability,email,expected,crm,ent,acme,2024-03-01\n";
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_OBSERVATIONS, csv, 0, &rep), SERVGAP_OK);
    ck_assert_uint_eq(rep.unknown_columns, 2);
    ck_assert_str_eq(rep.unknown, "note,source");
    ck_assert_uint_eq(rep.rows, 2);
    ck_assert_uint_eq(rep.observations, 2);
    ck_assert_int_eq(account_of(ctx, "acme").tier, id_of(ctx, SERVGAP_KIND_TIER, "ent"));
    /* Header names are case-sensitive: "Value" is unknown, value missing. */
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 "time,account,tier,touchpoint,metric,viewpoint,Value\n", SERVGAP_EFORMAT,
                 "t.csv:1:47: missing column 'value' (header field 7 is 'Value': names are "
                 "case-sensitive)");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "value,tier\n1,a\n", SERVGAP_EFORMAT,
                 "t.csv:1:1: missing column 'account'");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value, value\na,1,2\n", SERVGAP_EFORMAT,
                 "t.csv:1:15: column 'value' appears twice (header fields 2 and 3)");
    ck_assert_uint_eq(obs_count(ctx), 2);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Times                                                                   */
/* ---------------------------------------------------------------------- */

static int64_t renewal_of(const char *when)
{
    char csv[200];
    snprintf(csv, sizeof csv, "account,renewal\na,%s\n", when);
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, csv);
    int64_t t = account_of(ctx, "a").renewal;
    servgap_ctx_free(ctx);
    return t;
}

START_TEST(test_time_forms)
{
    ck_assert_int_eq(renewal_of("2024-03-05"), utc(2024, 3, 5, 0, 0, 0));
    ck_assert_int_eq(renewal_of("2024-03-05T14:07Z"), utc(2024, 3, 5, 14, 7, 0));
    ck_assert_int_eq(renewal_of("2024-03-05T14:07:09Z"), utc(2024, 3, 5, 14, 7, 9));
    ck_assert_int_eq(renewal_of("2024-03-05T14:07:09.999Z"), utc(2024, 3, 5, 14, 7, 9));
    /* East of UTC is earlier in UTC, west is later. */
    ck_assert_int_eq(renewal_of("2024-03-05T14:07:09+02:00"), utc(2024, 3, 5, 12, 7, 9));
    ck_assert_int_eq(renewal_of("2024-03-05T14:07+0530"), utc(2024, 3, 5, 8, 37, 0));
    ck_assert_int_eq(renewal_of("2024-03-05T01:00:00-08:00"), utc(2024, 3, 5, 9, 0, 0));
    ck_assert_int_eq(renewal_of("2024-03-05T23:30-0100"), utc(2024, 3, 6, 0, 30, 0));
    ck_assert_int_eq(renewal_of("2024-01-01T00:30+01:00"), utc(2023, 12, 31, 23, 30, 0));
    ck_assert_int_eq(renewal_of("1709647629"), 1709647629);
    ck_assert_int_eq(renewal_of("-86400"), -86400);
    ck_assert_int_eq(renewal_of("0"), 0);
    ck_assert_int_eq(renewal_of("1969-12-31"), -86400);
    ck_assert_int_eq(renewal_of("0001-01-01"), utc(1, 1, 1, 0, 0, 0));
    ck_assert_int_eq(renewal_of("9999-12-31T23:59:59Z"), utc(9999, 12, 31, 23, 59, 59));
}
END_TEST

START_TEST(test_leap_days)
{
    ck_assert_int_eq(renewal_of("2024-02-29"), utc(2024, 2, 29, 0, 0, 0));
    ck_assert_int_eq(renewal_of("2000-02-29"), utc(2000, 2, 29, 0, 0, 0));
    ck_assert_int_eq(renewal_of("2024-03-01") - renewal_of("2024-02-28"), 2 * 86400);
    ck_assert_int_eq(renewal_of("2023-03-01") - renewal_of("2023-02-28"), 86400);
    ck_assert_int_eq(renewal_of("2100-03-01") - renewal_of("2100-02-28"), 86400);
    ck_assert_int_eq(renewal_of("2024-12-31T00:00Z") - renewal_of("2024-01-01"), 365 * 86400);
}
END_TEST

START_TEST(test_invalid_times)
{
    static const struct {
        const char *when, *why;
        int code;
    } bad[] = {
        {"2023-02-29", "no such day in that month", SERVGAP_EFORMAT},
        {"1900-02-29", "no such day in that month", SERVGAP_EFORMAT},
        {"2024-04-31", "no such day in that month", SERVGAP_EFORMAT},
        {"2024-01-00", "no such day in that month", SERVGAP_EFORMAT},
        {"2024-13-01", "no such month", SERVGAP_EFORMAT},
        {"2024-00-10", "no such month", SERVGAP_EFORMAT},
        {"2024-03-05T24:00Z", "hour, minute or second out of range", SERVGAP_EFORMAT},
        {"2024-03-05T12:60Z", "hour, minute or second out of range", SERVGAP_EFORMAT},
        {"2024-03-05T12:00:60Z", "hour, minute or second out of range", SERVGAP_EFORMAT},
        {"2024-03-05T12:00", "missing or malformed time zone (Z, +HH:MM or +HHMM)",
         SERVGAP_EFORMAT},
        {"2024-03-05T12:00+2", "missing or malformed time zone (Z, +HH:MM or +HHMM)",
         SERVGAP_EFORMAT},
        {"2024-03-05T12:00Zx", "missing or malformed time zone (Z, +HH:MM or +HHMM)",
         SERVGAP_EFORMAT},
        {"2024-03-05T12:00+24:00", "time zone offset out of range", SERVGAP_EFORMAT},
        {"9223372036854775808", "epoch seconds beyond 64 bits", SERVGAP_ERANGE},
    };
    static const char *const form =
        "not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset, or epoch seconds";
    static const char *const malformed[] = {
        "2024-3-05", "2024/03/05", "2024-03-05 12:00Z",     "2024-03-05T1200Z", "1.5",
        "12e3",      "-",          "2024-03-05T12:00:00.Z", "yesterday",        " 2024-03-05"};
    servgap_ctx *ctx = new_ctx();
    char csv[200], msg[300];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(csv, sizeof csv, "account,renewal\na,%s\n", bad[i].when);
        snprintf(msg, sizeof msg, "t.csv:2:3: renewal '%s': %s", bad[i].when, bad[i].why);
        import_fails(ctx, SERVGAP_CSV_ACCOUNTS, csv, bad[i].code, msg);
    }
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        snprintf(csv, sizeof csv, "account,renewal\na,%s\n", malformed[i]);
        snprintf(msg, sizeof msg, "t.csv:2:3: renewal '%s': %s", malformed[i], form);
        import_fails(ctx, SERVGAP_CSV_ACCOUNTS, csv, SERVGAP_EFORMAT, msg);
    }
    /* A time whose day does not fit the log is out of range. */
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "999999999999999,a,t,,reliability,perceived,5,,,\n", SERVGAP_ERANGE,
                 "t.csv:2:1: time '999999999999999' is too far from 1970");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Numbers                                                                 */
/* ---------------------------------------------------------------------- */

static double value_of(const char *number)
{
    char csv[200];
    snprintf(csv, sizeof csv, "account,value\na,%s\n", number);
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, csv);
    double v = account_of(ctx, "a").value;
    servgap_ctx_free(ctx);
    return v;
}

static int same_bits(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0;
}

START_TEST(test_numbers_exact)
{
    ck_assert(same_bits(value_of("0.1"), 0.1));
    ck_assert(same_bits(value_of("123456.789"), 123456.789));
    ck_assert(same_bits(value_of("+2.5e3"), 2500.0));
    ck_assert(same_bits(value_of(".5"), 0.5));
    ck_assert(same_bits(value_of("5."), 5.0));
    ck_assert(same_bits(value_of("1E-2"), 0.01));
    ck_assert(same_bits(value_of("0.30000000000000004"), 0.30000000000000004));
    /* 2^49 + 1/16, halfway between two doubles 1/8 apart: to the even one */
    ck_assert(same_bits(value_of("562949953421312.0625"), 562949953421312.0));
    ck_assert(same_bits(value_of("2.2250738585072014e-308"), 2.2250738585072014e-308));
    /* The ends of the double range, beyond what a value may be, are read
     * exactly too: tests/test_parse_number.c. */
    ck_assert(same_bits(value_of("000000000000000000000000000000001.25"), 1.25));
}
END_TEST

/* A few hundred random decimals of up to 17 significant digits against
 * strtod in the C locale, all in one file; below 10^15, the largest value
 * an account may have (tests/test_parse_number.c has the whole range). */
START_TEST(test_numbers_random)
{
    enum { N = 400 };
    static char lines[N][64];
    text csv = {0};
    uint64_t s = 0x9e3779b97f4a7c15u;
    setlocale(LC_NUMERIC, "C"); /* the reference: strtod in the C locale */
    add(&csv, "account,value\n");
    for (int i = 0; i < N; i++) {
        char digits[20];
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        int nd = 1 + (int)(s % 17), point = (int)((s >> 8) % (uint64_t)(nd < 15 ? nd + 1 : 16));
        int e = (int)((s >> 16) % 41) - 40;
        for (int k = 0; k < nd; k++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            digits[k] = (char)('0' + s % 10);
        }
        digits[nd] = '\0';
        if (i % 3 == 0)
            snprintf(lines[i], sizeof lines[i], "%.*s.%se%d", point, digits, digits + point, e);
        else
            snprintf(lines[i], sizeof lines[i], "%.*s.%s", point, digits, digits + point);
        add(&csv, "a%d,%s\n", i, lines[i]);
    }
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, csv.s);
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "a%d", i);
        double want = strtod(lines[i], NULL);
        double got = account_of(ctx, name).value;
        ck_assert_msg(same_bits(got, want), "%s: got %.17g, want %.17g", lines[i], got, want);
    }
    servgap_ctx_free(ctx);
    free(csv.s);
}
END_TEST

START_TEST(test_numbers_locale_independent)
{
    const char *loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    if (!loc)
        loc = setlocale(LC_NUMERIC, "C.UTF-8");
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, "account,value,health\na,1234.5,72.25\n");
    ck_assert(same_bits(account_of(ctx, "a").value, 1234.5));
    ck_assert(same_bits(account_of(ctx, "a").health, 72.25));
    /* A decimal comma is not a number, whatever the locale. */
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na,\"1,5\"\n", SERVGAP_EFORMAT,
                 "t.csv:2:3: value '1,5' is not a decimal number");
    servgap_ctx_free(ctx);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_numbers_rejected)
{
    static const char *const bad[] = {"nan", "NaN", "inf", "-infinity", "0x10", "1.5x", " 1",  "1 ",
                                      "1e",  "1e+", ".",   "+",         "1..2", "--1",  "1_0", "١"};
    servgap_ctx *ctx = new_ctx();
    char csv[100], msg[200];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(csv, sizeof csv, "account,value\na,\"%s\"\n", bad[i]);
        snprintf(msg, sizeof msg, "t.csv:2:3: value '%s' is not a decimal number", bad[i]);
        import_fails(ctx, SERVGAP_CSV_ACCOUNTS, csv, SERVGAP_EFORMAT, msg);
    }
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na,1e400\n", SERVGAP_ERANGE,
                 "t.csv:2:3: value '1e400' is beyond the range of a double");
    /* An empty field where a number is required. */
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-01,a,t,,empathy,perceived,,,,\n", SERVGAP_EFORMAT,
                 "t.csv:2:35: value '' is not a decimal number");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The tables                                                              */
/* ---------------------------------------------------------------------- */

START_TEST(test_metrics_table)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    const char *csv = "metric,dimension,direction,min,max,span,unit\n"
                      "first_response_hours,responsiveness,lower,0,,8,h\n"
                      "csat,assurance,higher,1,5,,points\n"
                      "delta,empathy,higher,,,2.5,\n"
                      "reliability,reliability,higher,1,7,,\n"; /* the built-in, identical */
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_METRICS, csv, 0, &rep), SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 4);
    ck_assert_uint_eq(rep.applied, 4);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 8);
    servgap_metric m = {.size = sizeof m};
    ck_assert_int_eq(
        servgap_metric_info(ctx, id_of(ctx, SERVGAP_KIND_METRIC, "first_response_hours"), &m),
        SERVGAP_OK);
    ck_assert_int_eq(m.dimension, SERVGAP_DIM_RESPONSIVENESS);
    ck_assert_int_eq(m.direction, SERVGAP_LOWER_IS_BETTER);
    ck_assert_double_eq(m.min, 0.0);
    ck_assert(isinf(m.max) && m.max > 0);
    ck_assert_double_eq(m.span, 8.0);
    ck_assert_str_eq(m.unit, "h");
    ck_assert_int_eq(servgap_metric_info(ctx, id_of(ctx, SERVGAP_KIND_METRIC, "csat"), &m),
                     SERVGAP_OK);
    ck_assert_double_eq(m.span, 4.0); /* max - min */
    ck_assert_str_eq(m.unit, "points");
    ck_assert_int_eq(servgap_metric_info(ctx, id_of(ctx, SERVGAP_KIND_METRIC, "delta"), &m),
                     SERVGAP_OK);
    ck_assert(isinf(m.min) && m.min < 0 && isinf(m.max) && m.max > 0);
    ck_assert_str_eq(m.unit, "");
    /* Importing the same file again changes nothing and is fine. */
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_METRICS, csv, 0, &rep), SERVGAP_OK);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 8);
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max\ncsat,assurance,higher,1,10\n",
                 SERVGAP_ECONFLICT, "t.csv:2:1: metric 'csat' is already defined differently");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max\nx,assurance,higher,5,1\n", SERVGAP_ERANGE,
                 "t.csv:2:22: range [5, 1] is not min < max");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max,span\nx,assurance,higher,0,,\n",
                 SERVGAP_ERANGE, "t.csv:2:23: an unbounded range needs a span > 0");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max,span\nx,assurance,higher,0,1,-1\n",
                 SERVGAP_ERANGE, "t.csv:2:24: span -1 must be positive and finite");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max\nx,speed,higher,0,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:3: 'speed' is not a dimension (tangibles, reliability, "
                 "responsiveness, assurance, empathy)");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max\nx,empathy,Higher,0,1\n", SERVGAP_EFORMAT,
                 "t.csv:2:11: direction 'Higher' is not higher or lower");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 8);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_accounts_table)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS,
              "account,tier,value,health,at_risk,renewal,migrated,churned\n"
              "acme,enterprise,635000,71,0,2027-03-20,,false\n"
              "bolt,smb,1200.5,,yes,,2026-11-16,TRUE\n"
              "cask,,0,100,No,,,1\n");
    servgap_account a = account_of(ctx, "acme");
    ck_assert_int_eq(a.tier, id_of(ctx, SERVGAP_KIND_TIER, "enterprise"));
    ck_assert_double_eq(a.value, 635000.0);
    ck_assert_double_eq(a.health, 71.0);
    ck_assert_int_eq(a.at_risk, 0);
    ck_assert_int_eq(a.churned, 0);
    ck_assert_int_eq(a.renewal, utc(2027, 3, 20, 0, 0, 0));
    ck_assert_int_eq(a.migration, SERVGAP_TIME_NONE);
    a = account_of(ctx, "bolt");
    ck_assert(isnan(a.health));
    ck_assert_int_eq(a.at_risk, 1);
    ck_assert_int_eq(a.churned, 1);
    ck_assert_int_eq(a.renewal, SERVGAP_TIME_NONE);
    ck_assert_int_eq(a.migration, utc(2026, 11, 16, 0, 0, 0));
    a = account_of(ctx, "cask");
    ck_assert_int_eq(a.tier, SERVGAP_NONE);
    ck_assert_double_eq(a.health, 100.0);
    /* An update: absent columns keep their values; present ones replace
     * them, an empty field meaning "unset". */
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, "account,health,at_risk\nacme,,1\n");
    a = account_of(ctx, "acme");
    ck_assert_int_eq(a.tier, id_of(ctx, SERVGAP_KIND_TIER, "enterprise"));
    ck_assert_double_eq(a.value, 635000.0);
    ck_assert(isnan(a.health));
    ck_assert_int_eq(a.at_risk, 1);
    ck_assert_int_eq(a.renewal, utc(2027, 3, 20, 0, 0, 0));
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nacme,-1\n", SERVGAP_ERANGE,
                 "t.csv:2:6: value -1 must be >= 0");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,health\nacme,100.5\n", SERVGAP_ERANGE,
                 "t.csv:2:6: health 100.5 outside [0, 100]");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,churned\nacme,maybe\n", SERVGAP_EFORMAT,
                 "t.csv:2:6: 'maybe' is not a boolean (true, false, 1, 0, yes, no)");
    ck_assert_double_eq(account_of(ctx, "acme").value, 635000.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* Customer and provider allocations of a tier, read back as the weights of
 * its SERVQUAL row. */
START_TEST(test_importance_table)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_OBSERVATIONS,
              OBS_HEADER "2024-01-01,,ent,,empathy,expected,6,,,\n"
                         "2024-01-01,,ent,,empathy,perceived,5,,,\n"
                         "2024-01-01,acme,ent,,empathy,perceived,5,,,\n");
    import_ok(ctx, SERVGAP_CSV_IMPORTANCE,
              "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
              "tier:ent,customer,10,20,30,20,20\n"
              "tier:ent,provider,5,45,20,15,15.2\n"
              "account:acme,customer,20,20,20,20,20\n"
              "tier:ent,customer,5,27,20,28,20\n"); /* replaces the first */
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_TIERS, &r),
        SERVGAP_OK);
    int found = 0;
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_SERVQUAL); i++) {
        servgap_servqual q = {.size = sizeof q};
        ck_assert_int_eq(servgap_result_servqual(r, i, &q), SERVGAP_OK);
        if (q.scope_kind != SERVGAP_SCOPE_TIER || q.touchpoint != SERVGAP_ALL)
            continue;
        found = 1;
        ck_assert_int_eq(q.weight_source, SERVGAP_WEIGHTS_ALLOCATION);
        ck_assert_double_eq_tol(q.weight[SERVGAP_DIM_RELIABILITY], 0.27, 1e-15);
        ck_assert_double_eq_tol(q.weight[SERVGAP_DIM_ASSURANCE], 0.28, 1e-15);
        ck_assert_double_eq_tol(q.believed_weight[SERVGAP_DIM_RELIABILITY], 0.45, 1e-15);
        ck_assert_double_eq_tol(q.believed_weight[SERVGAP_DIM_EMPATHY], 0.152, 1e-15);
    }
    ck_assert(found);
    servgap_result_free(r);
    const char *head = "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n";
    char csv[300];
    snprintf(csv, sizeof csv, "%stier:ent,customer,10,20,30,20,19\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_ERANGE,
                 "t.csv:2:19: points sum to 99, not 100 +- 0.5");
    snprintf(csv, sizeof csv, "%stier:ent,customer,-10,40,30,20,20\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_ERANGE,
                 "t.csv:2:19: tangibles points -10 must be >= 0");
    snprintf(csv, sizeof csv, "%saccount:zed,customer,20,20,20,20,20\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_ENOTFOUND,
                 "t.csv:2:1: unknown account 'zed'");
    snprintf(csv, sizeof csv, "%stier:gold,customer,20,20,20,20,20\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_ENOTFOUND,
                 "t.csv:2:1: unknown tier 'gold'");
    snprintf(csv, sizeof csv, "%sent,customer,20,20,20,20,20\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_EFORMAT,
                 "t.csv:2:1: scope 'ent' is not account:ID or tier:NAME");
    snprintf(csv, sizeof csv, "%stier:ent,vendor,20,20,20,20,20\n", head);
    import_fails(ctx, SERVGAP_CSV_IMPORTANCE, csv, SERVGAP_EFORMAT,
                 "t.csv:2:10: whose 'vendor' is not customer or provider");
    servgap_ctx_free(ctx);
}
END_TEST

static double effort(servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric)
{
    double e = NAN;
    ck_assert_int_eq(servgap_effort_get(ctx, gap, tp, metric, &e), SERVGAP_OK);
    return e;
}

START_TEST(test_efforts_table)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_EFFORTS,
              "gap,touchpoint,metric,effort\n"
              "delivery,slack,reliability,2\n"
              "delivery,*,*,3.5\n"
              "*,*,empathy,1.25\n"
              "communication,email,*,9\n"
              "communication,email,*,1.5\n"); /* replaces the row above */
    int32_t slack = id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "slack");
    int32_t email = id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "email");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 2);
    ck_assert_double_eq(effort(ctx, SERVGAP_GAP_DELIVERY, slack, SERVGAP_DIM_RELIABILITY), 2.0);
    ck_assert_double_eq(effort(ctx, SERVGAP_GAP_DELIVERY, email, SERVGAP_DIM_RELIABILITY), 3.5);
    ck_assert_double_eq(effort(ctx, SERVGAP_GAP_SERVICE, email, SERVGAP_DIM_EMPATHY), 1.25);
    ck_assert_double_eq(effort(ctx, SERVGAP_GAP_COMMUNICATION, email, SERVGAP_ALL), 1.5);
    const char *head = "gap,touchpoint,metric,effort\n";
    char csv[200];
    snprintf(csv, sizeof csv, "%sdelivery,*,speed,1\n", head);
    import_fails(ctx, SERVGAP_CSV_EFFORTS, csv, SERVGAP_ENOTFOUND,
                 "t.csv:2:12: unknown metric 'speed'");
    snprintf(csv, sizeof csv, "%sgap5,*,*,1\n", head);
    import_fails(ctx, SERVGAP_CSV_EFFORTS, csv, SERVGAP_EFORMAT,
                 "t.csv:2:1: 'gap5' is not a gap type or '*'");
    snprintf(csv, sizeof csv, "%sdelivery,phone,*,0\n", head);
    import_fails(ctx, SERVGAP_CSV_EFFORTS, csv, SERVGAP_ERANGE, "t.csv:2:18: effort 0 must be > 0");
    snprintf(csv, sizeof csv, "%sdelivery,,*,1\n", head);
    import_fails(ctx, SERVGAP_CSV_EFFORTS, csv, SERVGAP_EFORMAT,
                 "t.csv:2:10: touchpoint name must be 1..255 bytes (it is 0)");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 2); /* phone was not kept */
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* plans                                                                   */
/* ---------------------------------------------------------------------- */

#define PLANS_HEADER "scope,touchpoint,metric,gap,owner,deadline,target,baseline_from,baseline_to\n"

/* A handle with account acme in tier gold and touchpoints email, chat. */
static servgap_ctx *plans_handle(void)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier\nacme,gold\n");
    touchpoint(ctx, "email");
    touchpoint(ctx, "chat");
    return ctx;
}

static servgap_plan plan_info_of(servgap_ctx *ctx, int32_t id)
{
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(ctx, id, &p), SERVGAP_OK);
    return p;
}

START_TEST(test_plans_table)
{
    servgap_ctx *ctx = plans_handle();
    servgap_import_report rep = {.size = sizeof rep};
    ck_assert_int_eq(
        import_flags(ctx, SERVGAP_CSV_PLANS,
                     PLANS_HEADER
                     "account:acme,email,reliability,service,dana,2026-03-01,-0.5,2026-01-01,"
                     "2026-02-01\n"
                     "tier:gold,*,dim:empathy,knowledge,\"Okafor, Dana\",2026-04-01T12:00:00Z,"
                     "-1.25,,\n"
                     "account:acme,chat,reliability,delivery,dana,,0,,\n",
                     0, &rep),
        SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 3);
    ck_assert_uint_eq(rep.applied, 3);
    ck_assert_uint_eq(rep.observations, 0);
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 3);
    int32_t acme = id_of(ctx, SERVGAP_KIND_ACCOUNT, "acme"),
            gold = id_of(ctx, SERVGAP_KIND_TIER, "gold");
    servgap_plan a = plan_info_of(ctx, 0), b = plan_info_of(ctx, 1), c = plan_info_of(ctx, 2);
    ck_assert_str_eq(a.owner, "dana");
    ck_assert_int_eq(a.scope_kind, SERVGAP_SCOPE_ACCOUNT);
    ck_assert_int_eq(a.scope_id, acme);
    ck_assert_int_eq(a.touchpoint, id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "email"));
    ck_assert_int_eq(a.metric, SERVGAP_DIM_RELIABILITY); /* the built-in metric, not the roll-up */
    ck_assert_int_eq(a.dimension, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(a.gap, SERVGAP_GAP_SERVICE);
    ck_assert(a.deadline == utc(2026, 3, 1, 0, 0, 0));
    ck_assert(a.target == -0.5);
    ck_assert(a.baseline_from == utc(2026, 1, 1, 0, 0, 0));
    ck_assert(a.baseline_to == utc(2026, 2, 1, 0, 0, 0));
    ck_assert_int_eq(a.last_outcome, SERVGAP_OUTCOME_NONE);
    ck_assert_str_eq(b.owner, "Okafor, Dana");
    ck_assert_int_eq(b.scope_kind, SERVGAP_SCOPE_TIER);
    ck_assert_int_eq(b.scope_id, gold);
    ck_assert_int_eq(b.touchpoint, SERVGAP_ALL);
    ck_assert_int_eq(b.metric, SERVGAP_ALL); /* dim:empathy is the dimension roll-up */
    ck_assert_int_eq(b.dimension, SERVGAP_DIM_EMPATHY);
    ck_assert_int_eq(b.gap, SERVGAP_GAP_KNOWLEDGE);
    ck_assert(b.deadline == utc(2026, 4, 1, 12, 0, 0));
    ck_assert(b.target == -1.25);
    ck_assert(b.baseline_from == SERVGAP_TIME_NONE && b.baseline_to == SERVGAP_TIME_NONE);
    ck_assert_ptr_eq(c.owner, a.owner); /* one interned owner */
    ck_assert_int_eq(c.gap, SERVGAP_GAP_DELIVERY);
    ck_assert(c.deadline == SERVGAP_TIME_NONE); /* empty: no deadline */
    /* The baseline columns are optional. */
    import_ok(ctx, SERVGAP_CSV_PLANS,
              "owner,target,deadline,gap,metric,touchpoint,scope\n"
              "lee,-2,2026-05-01,adequacy,empathy,email,tier:gold\n");
    servgap_plan d = plan_info_of(ctx, 3);
    ck_assert_str_eq(d.owner, "lee");
    ck_assert_int_eq(d.gap, SERVGAP_GAP_ADEQUACY);
    ck_assert_int_eq(d.metric, SERVGAP_DIM_EMPATHY);
    ck_assert(d.baseline_from == SERVGAP_TIME_NONE && d.baseline_to == SERVGAP_TIME_NONE);
    ck_assert_str_eq(servgap_csv_table_name(SERVGAP_CSV_PLANS), "plans");
    servgap_ctx_free(ctx);
}
END_TEST

/* Each bad row fails the import with its FILE:LINE:COLUMN and adds no
 * plan, no owner. */
START_TEST(test_plan_row_errors)
{
    static const struct {
        const char *row;
        int code;
        const char *msg;
    } bad[] = {
        {"account:nobody,email,reliability,service,dana,2026-03-01,-0.5,,", SERVGAP_ENOTFOUND,
         "t.csv:2:1: unknown account 'nobody'"},
        {"tier:silver,email,reliability,service,dana,2026-03-01,-0.5,,", SERVGAP_ENOTFOUND,
         "t.csv:2:1: unknown tier 'silver'"},
        {"acme,email,reliability,service,dana,2026-03-01,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:1: scope 'acme' is not account:ID or tier:NAME"},
        {"account:acme,fax,reliability,service,dana,2026-03-01,-0.5,,", SERVGAP_ENOTFOUND,
         "t.csv:2:14: unknown touchpoint 'fax'"},
        {"account:acme,,reliability,service,dana,2026-03-01,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:14: touchpoint is empty: name one, or '*' for all"},
        {"account:acme,email,speed,service,dana,2026-03-01,-0.5,,", SERVGAP_ENOTFOUND,
         "t.csv:2:20: unknown metric 'speed'"},
        {"account:acme,email,dim:joy,service,dana,2026-03-01,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:20: 'dim:joy' is not dim: and a dimension (tangibles, reliability, "
         "responsiveness, assurance, empathy)"},
        {"account:acme,email,reliability,fix,dana,2026-03-01,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:32: 'fix' is not a gap type (service, knowledge, standards, delivery, "
         "communication, perception, adequacy)"},
        {"account:acme,email,reliability,service,,2026-03-01,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:40: owner name must be 1..255 bytes (it is 0)"},
        {"account:acme,email,reliability,service,dana,2026-02-30,-0.5,,", SERVGAP_EFORMAT,
         "t.csv:2:45: deadline '2026-02-30': no such day in that month"},
        {"account:acme,email,reliability,service,dana,2026-03-01,x,,", SERVGAP_EFORMAT,
         "t.csv:2:56: target 'x' is not a decimal number"},
        {"account:acme,email,reliability,service,dana,2026-03-01,-0.5,2026-01-01T10:00Z,"
         "2026-02-01",
         SERVGAP_EFORMAT,
         "t.csv:2:61: baseline_from '2026-01-01T10:00Z' has a time of day: a window is whole "
         "UTC days"},
        {"account:acme,email,reliability,service,dana,2026-03-01,-0.5,2026-01-01,", SERVGAP_EFORMAT,
         "t.csv:2:61: a baseline window needs both baseline_from and baseline_to (or neither)"},
        {"account:acme,email,reliability,service,dana,2026-03-01,-0.5,,2026-02-01", SERVGAP_EFORMAT,
         "t.csv:2:62: a baseline window needs both baseline_from and baseline_to (or neither)"},
        {"account:acme,email,reliability,service,dana,2026-03-01,-0.5,2026-02-01,2026-01-01",
         SERVGAP_ERANGE,
         "t.csv:2:72: baseline_to '2026-01-01' is not after baseline_from: the window "
         "[baseline_from, baseline_to) is empty"},
        {"account:acme,email,reliability,service,dana,2026-03-01,-0.5,2026-02-01,2026-02-01",
         SERVGAP_ERANGE,
         "t.csv:2:72: baseline_to '2026-02-01' is not after baseline_from: the window "
         "[baseline_from, baseline_to) is empty"},
    };
    servgap_ctx *ctx = plans_handle();
    char csv[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(csv, sizeof csv, "%s%s\n", PLANS_HEADER, bad[i].row);
        import_fails(ctx, SERVGAP_CSV_PLANS, csv, bad[i].code, bad[i].msg);
    }
    import_fails(ctx, SERVGAP_CSV_PLANS,
                 "scope,touchpoint,metric,gap,owner,deadline\n"
                 "account:acme,email,reliability,service,dana,2026-03-01\n",
                 SERVGAP_EFORMAT, "t.csv:1:1: missing column 'target'");
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* Good rows before a bad one: the failed import keeps none of them. */
START_TEST(test_plans_all_or_nothing)
{
    servgap_ctx *ctx = plans_handle();
    import_ok(ctx, SERVGAP_CSV_PLANS,
              PLANS_HEADER "tier:gold,email,reliability,service,kept,2026-03-01,-0.5,,\n");
    char *before = state(ctx);
    import_fails(ctx, SERVGAP_CSV_PLANS,
                 PLANS_HEADER "account:acme,email,reliability,service,new-owner,2026-03-01,-0.5,"
                              "2026-01-01,2026-02-01\n"
                              "tier:gold,chat,empathy,knowledge,kept,2026-03-01,-1,,\n"
                              "tier:gold,chat,empathy,knowledge,kept,2026-03-01,-1,,extra\n",
                 SERVGAP_EFORMAT,
                 "t.csv:4:54: baseline_to 'extra': not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] "
                 "with Z or an offset, or epoch seconds");
    char *after = state(ctx);
    ck_assert_str_eq(before, after); /* the snapshot bytes hold the plans and owners */
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 1);
    free(before);
    free(after);
    servgap_ctx_free(ctx);
}
END_TEST

/* Skip mode: bad rows are counted and reported, good ones kept. */
START_TEST(test_plans_skip_bad_rows)
{
    servgap_ctx *ctx = plans_handle();
    servgap_import_report rep = {.size = sizeof rep};
    const char *csv =
        PLANS_HEADER "account:acme,email,reliability,service,dana,2026-03-01,-0.5,,\n"
                     "account:acme,email,reliability,service,ghost,2026-03-01,-0.5,2026-01-01,\n"
                     "tier:gold,*,dim:reliability,delivery,lee,2026-06-01,0,2026-01-01,2026-04-01\n"
                     "tier:gold,phone,reliability,delivery,ghost,2026-06-01,0,,\n";
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_PLANS, csv, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep),
                     SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 4);
    ck_assert_uint_eq(rep.applied, 2);
    ck_assert_uint_eq(rep.skipped, 2);
    ck_assert_str_eq(rep.skips, "t.csv:3:62: a baseline window needs both baseline_from and "
                                "baseline_to (or neither)\n"
                                "t.csv:5:11: unknown touchpoint 'phone'\n");
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 2);
    servgap_plan a = plan_info_of(ctx, 0), b = plan_info_of(ctx, 1);
    ck_assert_str_eq(a.owner, "dana");
    ck_assert_str_eq(b.owner, "lee");
    ck_assert_int_eq(b.metric, SERVGAP_ALL);
    ck_assert_int_eq(b.dimension, SERVGAP_DIM_RELIABILITY);
    ck_assert(b.baseline_to == utc(2026, 4, 1, 0, 0, 0));
    servgap_ctx_free(ctx);
}
END_TEST

/* The cell of (scope, touchpoint, metric) in a query over all time. */
static servgap_cell cell_of(servgap_ctx *ctx, int32_t kind, int32_t id, int32_t tp, int32_t metric)
{
    servgap_result *r = NULL;
    size_t i = 0;
    servgap_cell c = {.size = sizeof c};
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_find(r, kind, id, tp, metric, 0, &i), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
    servgap_result_free(r);
    return c;
}

START_TEST(test_observations_table)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    const char *csv =
        OBS_HEADER "2024-05-01,,ent,email,reliability,standard,6,,,\n"
                   "2024-05-01T10:00Z,acme,ent,email,reliability,delivered,5,pod-a,,\n"
                   "1714557600,acme,,email,reliability,delivered,4,pod-b,,\n"
                   "2024-05-02,acme,ent,email,reliability,expected,7,,word_of_mouth,\n"
                   "2024-05-02,acme,ent,*,reliability,promised,7,,,\n"
                   "2024-05-02,acme,ent,,reliability,believed,6,,none,\n";
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_OBSERVATIONS, csv, 0, &rep), SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 6);
    ck_assert_uint_eq(rep.observations, 6);
    ck_assert_uint_eq(obs_count(ctx), 6);
    /* acme was defined by its first row, in tier ent with value 0. */
    servgap_account a = account_of(ctx, "acme");
    ck_assert_int_eq(a.tier, id_of(ctx, SERVGAP_KIND_TIER, "ent"));
    ck_assert_double_eq(a.value, 0.0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 1); /* "*" and "" are any */
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 2);
    int32_t email = id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "email");
    servgap_cell c = cell_of(ctx, SERVGAP_SCOPE_ACCOUNT, id_of(ctx, SERVGAP_KIND_ACCOUNT, "acme"),
                             email, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(c.n[SERVGAP_VP_DELIVERED], 2);
    ck_assert_double_eq(c.mean[SERVGAP_VP_DELIVERED], 4.5);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 1);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1); /* from the tier */
    ck_assert_int_eq(c.n[SERVGAP_VP_PROMISED], 1); /* any touchpoint */
    ck_assert_int_eq(c.n[SERVGAP_VP_BELIEVED], 1);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD], SERVGAP_SOURCE_TIER);
    ck_assert_uint_eq(c.source[SERVGAP_VP_PROMISED], SERVGAP_SOURCE_OWN | SERVGAP_SOURCE_ANYTP);
    ck_assert_int_eq(c.pairs, 0);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_observation_errors)
{
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier\nacme,ent\nlone,\n");
    /* Columns: time 1, account 12, tier 17, touchpoint 21, metric 27,
     * viewpoint 39, value 49 in this row. */
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,ent,email,reliability,perceived,5,,,\n"
                            "2024-01-02,acme,ent,email,reliability,perceived,9,,,\n",
                 SERVGAP_ERANGE, "t.csv:3:49: value 9 outside [1, 7] of metric 'reliability'");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,smb,email,reliability,perceived,5,,,\n",
                 SERVGAP_ECONFLICT, "t.csv:2:17: account 'acme' is in tier 'ent', not 'smb'");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,ent,email,speed,perceived,5,,,\n", SERVGAP_ENOTFOUND,
                 "t.csv:2:27: unknown metric 'speed'");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,ent,email,empathy,observed,5,,,\n", SERVGAP_EFORMAT,
                 "t.csv:2:35: 'observed' is not a viewpoint");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,,,email,empathy,perceived,5,,,\n", SERVGAP_EFORMAT,
                 "t.csv:2:13: a tier-wide observation (no account) needs a tier");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,,email,empathy,perceived,5,,fashion,\n",
                 SERVGAP_EFORMAT, "t.csv:2:45: 'fashion' is not a driver");
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,,email,empathy,importance,5,,,\n", SERVGAP_EFORMAT,
                 "t.csv:2:32: an importance row needs a respondent");
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 1);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Respondents                                                             */
/* ---------------------------------------------------------------------- */

static const double E6[6] = {6, 7, 5, 6, 7, 5}, P6[6] = {4, 5, 5, 3, 6, 4};

/* Six respondents' expected and perceived reliability, rows interleaved:
 * all expectations first, then all perceptions; three of them adequate
 * too, and each with importance points. */
static char *six_respondents(void)
{
    text t = {0};
    add(&t, OBS_HEADER);
    for (int i = 0; i < 6; i++)
        add(&t, "2024-02-0%dT09:30Z,acme,ent,email,reliability,expected,%g,,personal_needs,R%d\n",
            i + 1, E6[i], i);
    for (int i = 0; i < 6; i++) {
        add(&t, "2024-02-0%dT09:30Z,acme,,email,reliability,perceived,%g,,personal_needs,R%d\n",
            i + 1, P6[i], i);
        if (i % 2 == 0)
            add(&t,
                "2024-02-0%dT09:30Z,acme,ent,email,reliability,adequate,4,,personal_needs,R%d\n",
                i + 1, i);
    }
    for (int i = 0; i < 6; i++)
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            add(&t, "2024-02-0%dT09:30Z,acme,ent,email,%s,importance,%d,,personal_needs,R%d\n",
                i + 1, servgap_dimension_name(d), d == 1 ? 40 - i : 15 + (d == 2 ? i : 0), i);
    return t.s;
}

START_TEST(test_paired_respondents)
{
    servgap_ctx *ctx = new_ctx();
    char *csv = six_respondents();
    servgap_import_report rep = {.size = sizeof rep};
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_OBSERVATIONS, csv, 0, &rep), SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 6 + 6 + 3 + 30);
    ck_assert_uint_eq(rep.observations, 15);
    int32_t acme = id_of(ctx, SERVGAP_KIND_ACCOUNT, "acme");
    int32_t email = id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "email");
    servgap_result *r = NULL;
    size_t i = 0;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_int_eq(
        servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY, 0, &i),
        SERVGAP_OK);
    servgap_cell c = {.size = sizeof c};
    ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
    ck_assert_int_eq(c.pairs, 6);
    ck_assert_int_eq(c.n[SERVGAP_VP_ADEQUATE], 3);
    /* The paired t interval of the differences P - E. */
    double mean = 0, ss = 0;
    for (int k = 0; k < 6; k++)
        mean += (P6[k] - E6[k]) / 6.0;
    for (int k = 0; k < 6; k++)
        ss += (P6[k] - E6[k] - mean) * (P6[k] - E6[k] - mean);
    double half = servgap_t_quantile(0.975, 5.0) * sqrt(ss / 5.0) / sqrt(6.0);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, i, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    ck_assert(g.flags & SERVGAP_GAPFLAG_PAIRED);
    ck_assert_double_eq_tol(g.value, -1.5, 1e-12);
    ck_assert_double_eq_tol(g.df, 5.0, 1e-12);
    ck_assert_double_eq_tol(g.lo, mean - half, 1e-9);
    ck_assert_double_eq_tol(g.hi, mean + half, 1e-9);
    ck_assert_int_eq(g.n_up, 6);
    /* The respondents' own importance points weight the score. */
    int seen = 0;
    for (size_t k = 0; k < servgap_result_count(r, SERVGAP_TABLE_SERVQUAL); k++) {
        servgap_servqual q = {.size = sizeof q};
        ck_assert_int_eq(servgap_result_servqual(r, k, &q), SERVGAP_OK);
        if (q.scope_kind != SERVGAP_SCOPE_ACCOUNT || q.touchpoint != email)
            continue;
        seen = 1;
        ck_assert_int_eq(q.weight_source, SERVGAP_WEIGHTS_RESPONDENTS);
        ck_assert_int_eq(q.respondents, 6);
        /* reliability: (40 + 39 + ... + 35) / 6 / 100 */
        ck_assert_double_eq_tol(q.weight[SERVGAP_DIM_RELIABILITY], 0.375, 1e-12);
    }
    ck_assert(seen);
    servgap_result_free(r);
    free(csv);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_respondent_errors)
{
    servgap_ctx *ctx = new_ctx();
    const char *row1 = OBS_HEADER "2024-01-02,acme,ent,email,empathy,expected,6,t1,,R1\n";
    char csv[600];
    snprintf(csv, sizeof csv, "%s2024-01-03,acme,ent,email,empathy,perceived,5,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:1: respondent 'R1': time differs from its first row (line 2)");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,chat,empathy,perceived,5,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:21: respondent 'R1': touchpoint differs from its first row (line 2)");
    snprintf(csv, sizeof csv, "%s2024-01-02,bolt,ent,email,empathy,perceived,5,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:12: respondent 'R1': account or tier differs from its first row "
                 "(line 2)");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,empathy,perceived,5,t2,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:47: respondent 'R1': team differs from its first row (line 2)");
    snprintf(csv, sizeof csv,
             "%s2024-01-02,acme,ent,email,empathy,perceived,5,t1,past_experience,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:50: respondent 'R1': driver differs from its first row (line 2)");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,empathy,expected,7,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ECONFLICT,
                 "t.csv:3:35: respondent 'R1' answers 'empathy' expected twice");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,empathy,delivered,7,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_EFORMAT,
                 "t.csv:3:35: a respondent's row is expected, adequate, perceived or "
                 "importance, not 'delivered'");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,reliability,importance,50,t1,,R1\n",
             row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_EFORMAT,
                 "t.csv:3:50: respondent 'R1': importance points lack tangibles (all five "
                 "dimensions are needed)");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,csat,importance,50,t1,,R1\n", row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_EFORMAT,
                 "t.csv:3:27: 'csat' is not a dimension (tangibles, reliability, "
                 "responsiveness, assurance, empathy)");
    snprintf(csv, sizeof csv, "%s2024-01-02,acme,ent,email,reliability,importance,101,t1,,R1\n",
             row1);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ERANGE,
                 "t.csv:3:50: importance points 101 outside [0, 100]");
    text t = {0};
    add(&t, "%s", row1);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        add(&t, "2024-01-02,acme,ent,email,%s,importance,%d,t1,,R1\n", servgap_dimension_name(d),
            d == 0 ? 10 : 20);
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, t.s, SERVGAP_ERANGE,
                 "t.csv:3:48: respondent 'R1': importance points sum to 90, not 100 +- 0.5");
    free(t.s);
    t = (text){0};
    add(&t, OBS_HEADER);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        add(&t, "2024-01-02,acme,ent,email,%s,importance,20,,,R9\n", servgap_dimension_name(d));
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, t.s, SERVGAP_EFORMAT,
                 "t.csv:2:1: respondent 'R9' answers no item, only importance");
    free(t.s);
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Files, arguments                                                        */
/* ---------------------------------------------------------------------- */

static char *temp_file(const char *content)
{
    char *path = strdup("/tmp/servgap_csv_XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t n = strlen(content);
    ck_assert_int_eq(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

START_TEST(test_file_and_buffer)
{
    char *csv = six_respondents();
    char *path = temp_file(csv);
    servgap_ctx *a = new_ctx(), *b = new_ctx();
    servgap_import_report ra = {.size = sizeof ra}, rb = {.size = sizeof rb};
    ck_assert_int_eq(servgap_import_csv(a, SERVGAP_CSV_OBSERVATIONS, path, 0, &ra), SERVGAP_OK);
    ck_assert_int_eq(
        servgap_import_csv_buffer(b, SERVGAP_CSV_OBSERVATIONS, NULL, csv, strlen(csv), 0, &rb),
        SERVGAP_OK);
    ck_assert_mem_eq(&ra, &rb, sizeof ra);
    char *sa = state(a), *sb = state(b);
    ck_assert_str_eq(sa, sb);
    free(sa);
    free(sb);
    /* Messages name the path, or "<buffer>". */
    char *bad = temp_file("account,value\na,x\n");
    char want[300];
    ck_assert_int_eq(servgap_import_csv(a, SERVGAP_CSV_ACCOUNTS, bad, 0, NULL), SERVGAP_EFORMAT);
    snprintf(want, sizeof want, "%s:2:3: value 'x' is not a decimal number", bad);
    ck_assert_str_eq(servgap_errmsg(a), want);
    ck_assert_int_eq(servgap_import_csv_buffer(a, SERVGAP_CSV_ACCOUNTS, NULL,
                                               "account,value\na,x\n", 18, 0, NULL),
                     SERVGAP_EFORMAT);
    ck_assert_str_eq(servgap_errmsg(a), "<buffer>:2:3: value 'x' is not a decimal number");
    /* An empty file has no header. */
    char *empty = temp_file("");
    ck_assert_int_eq(servgap_import_csv(a, SERVGAP_CSV_ACCOUNTS, empty, 0, NULL), SERVGAP_EFORMAT);
    remove(path);
    remove(bad);
    remove(empty);
    free(path);
    free(bad);
    free(empty);
    free(csv);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

START_TEST(test_unreadable_file)
{
    servgap_ctx *ctx = new_ctx();
    const char *path = "/nonexistent-dir/servgap/obs.csv";
    char want[300];
    ck_assert_int_eq(servgap_import_csv(ctx, SERVGAP_CSV_OBSERVATIONS, path, 0, NULL), SERVGAP_EIO);
    snprintf(want, sizeof want, "%s: cannot read: %s", path, strerror(ENOENT));
    ck_assert_str_eq(servgap_errmsg(ctx), want);
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_EIO);
    /* A directory opens but cannot be read. */
    ck_assert_int_eq(servgap_import_csv(ctx, SERVGAP_CSV_OBSERVATIONS, "/tmp", 0, NULL),
                     SERVGAP_EIO);
    snprintf(want, sizeof want, "/tmp: cannot read: %s", strerror(EISDIR));
    ck_assert_str_eq(servgap_errmsg(ctx), want);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_arguments)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report small = {.size = sizeof small - 1};
    const char *csv = "account\na\n";
    ck_assert_int_eq(servgap_import_csv(NULL, 1, "x", 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_import_csv_buffer(NULL, 1, NULL, csv, 1, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_import_csv(ctx, 1, NULL, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 1, NULL, NULL, 3, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 3, NULL, csv, strlen(csv), 0, &small),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 0, NULL, csv, strlen(csv), 0, NULL),
                     SERVGAP_EINVAL);
    ck_assert_str_eq(servgap_errmsg(ctx), "servgap_import_csv_buffer: unknown table 0");
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 7, NULL, csv, strlen(csv), 0, NULL),
                     SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 3, NULL, csv, strlen(csv), 2, NULL),
                     SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_import_csv(ctx, 3, "/nonexistent", 0x10, NULL), SERVGAP_EINVAL);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    /* NULL data of length 0 is an empty file; a NULL report is fine. */
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 3, NULL, NULL, 0, 0, NULL), SERVGAP_EFORMAT);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, 3, NULL, csv, strlen(csv), 0, NULL),
                     SERVGAP_OK);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 1);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_limit)
{
    servgap_ctx *ctx = new_ctx();
    char name[16];
    int32_t id;
    for (int i = 0; i < 65534; i++) {
        snprintf(name, sizeof name, "tp%d", i);
        ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, name, &id), SERVGAP_OK);
    }
    import_fails(ctx, SERVGAP_CSV_EFFORTS,
                 "gap,touchpoint,metric,effort\ndelivery,tp1,*,2\n"
                 "delivery,phone,*,2\n",
                 SERVGAP_ELIMIT, "t.csv:3:10: more than 65534 touchpoints");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 65534);
    servgap_ctx *fresh = new_ctx();
    ck_assert_int_eq(servgap_intern(fresh, SERVGAP_KIND_TOUCHPOINT, "tp0", &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(fresh, SERVGAP_KIND_TOUCHPOINT, "tp1", &id), SERVGAP_OK);
    ck_assert_double_eq(effort(ctx, SERVGAP_GAP_DELIVERY, 1, 0),
                        effort(fresh, SERVGAP_GAP_DELIVERY, 1, 0)); /* still the default */
    servgap_ctx_free(fresh);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* All or nothing                                                          */
/* ---------------------------------------------------------------------- */

/* A handle that knows a bit of everything. */
static servgap_ctx *populated(const servgap_allocator *alloc)
{
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, alloc), SERVGAP_OK);
    import_ok(ctx, SERVGAP_CSV_METRICS,
              "metric,dimension,direction,min,max,span,unit\ncsat,assurance,higher,1,5,,\n");
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS,
              "account,tier,value,health,at_risk,renewal\nacme,ent,100,80,0,2025-01-01\n"
              "bolt,smb,5,,1,\n");
    char *csv = six_respondents();
    import_ok(ctx, SERVGAP_CSV_OBSERVATIONS, csv);
    free(csv);
    import_ok(ctx, SERVGAP_CSV_OBSERVATIONS,
              OBS_HEADER "2024-02-01,,ent,email,reliability,standard,6,,,\n"
                         "2024-02-01,bolt,smb,chat,csat,perceived,4,t1,,\n");
    import_ok(ctx, SERVGAP_CSV_IMPORTANCE,
              "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
              "account:acme,customer,20,20,20,20,20\ntier:ent,provider,10,30,20,20,20\n");
    import_ok(ctx, SERVGAP_CSV_EFFORTS, "gap,touchpoint,metric,effort\ndelivery,email,*,2\n");
    return ctx;
}

/* Files whose last row is bad, after rows that add and replace things. */
static const struct {
    int32_t table;
    const char *csv;
} failing[] = {
    {SERVGAP_CSV_METRICS, "metric,dimension,direction,min,max\nnew1,empathy,higher,0,1\n"
                          "new2,empathy,lower,0,10\ncsat,assurance,higher,1,7\n"},
    {SERVGAP_CSV_ACCOUNTS, "account,tier,value,health,at_risk,churned,renewal,migrated\n"
                           "acme,ent,7,10,1,1,2030-01-01,2029-01-01\nnew,silver,3,,,,,\n"
                           "bolt,,0,,,,,\nacme,ent,8,,,,,\nzed,,-1,,,,,\n"},
    {SERVGAP_CSV_IMPORTANCE,
     "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
     "account:acme,customer,60,10,10,10,10\ntier:ent,provider,60,10,10,10,10\n"
     "tier:smb,customer,60,10,10,10,10\naccount:bolt,provider,20,20,20,20,15\n"},
    {SERVGAP_CSV_EFFORTS, "gap,touchpoint,metric,effort\ndelivery,email,*,5\n"
                          "service,phone,csat,1\n*,*,*,2\ndelivery,email,*,-1\n"},
    {SERVGAP_CSV_OBSERVATIONS,
     OBS_HEADER "2024-02-03,acme,,email,reliability,perceived,2,,,\n"
                "2024-02-03,newacct,newtier,phone,csat,delivered,3,newteam,,\n"
                "2024-02-03,,ent2,*,reliability,standard,6,,,\n"
                "2024-02-04,acme,,email,reliability,expected,6,,,S1\n"
                "2024-02-04,acme,,email,reliability,perceived,6,,,S1\n"
                "2024-02-04,acme,,email,reliability,expected,5,,,S2\n"
                "2024-02-04,acme,,email,reliability,perceived,9,,,S2\n"},
    {SERVGAP_CSV_PLANS, "scope,touchpoint,metric,gap,owner,deadline,target\n"
                        "account:acme,email,csat,service,new-owner,2026-03-01,-0.5\n"
                        "tier:smb,chat,dim:empathy,knowledge,other,,-1\n"
                        "tier:ent,email,reliability,delivery,third,2026-03-01,nan\n"},
    {SERVGAP_CSV_OBSERVATIONS, OBS_HEADER "2024-02-03,acme,,email,reliability,perceived,2,,,\n"
                                          "2024-02-04,acme2,t9,email,reliability,expected,6,,,S1\n"
                                          "2024-02-04,acme2,,email,reliability,perceived,6,,,S1\n"
                                          "2024-02-04,acme2,,email,empathy,importance,60,,,S1\n"},
};

START_TEST(test_all_or_nothing)
{
    servgap_ctx *ctx = populated(NULL);
    char *before = state(ctx);
    for (size_t i = 0; i < sizeof failing / sizeof *failing; i++) {
        int rc = import_flags(ctx, failing[i].table, failing[i].csv, 0, NULL);
        ck_assert_msg(rc < 0, "file %zu imported", i);
        char *after = state(ctx);
        ck_assert_msg(strcmp(before, after) == 0, "file %zu changed the handle", i);
        free(after);
    }
    /* An unterminated quote fails even in skip mode, and changes nothing. */
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nnew,1\n\"x,2\n",
                                  SERVGAP_IMPORT_SKIP_BAD_ROWS, NULL),
                     SERVGAP_EFORMAT);
    ck_assert_str_eq(servgap_errmsg(ctx), "t.csv:3:1: unterminated quoted field");
    char *after = state(ctx);
    ck_assert_str_eq(before, after);
    free(after);
    free(before);
    servgap_ctx_free(ctx);
}
END_TEST

/* Every allocation of an import fails in turn: each attempt either
 * succeeds or fails with ENOMEM leaving the handle as it was. */
START_TEST(test_out_of_memory)
{
    static const struct {
        int32_t table;
        const char *csv;
    } files[] = {
        {SERVGAP_CSV_METRICS, "metric,dimension,direction,min,max\nnew1,empathy,higher,0,1\n"},
        {SERVGAP_CSV_ACCOUNTS, "account,tier,value\nacme,ent,7\nnew,silver,3\n"},
        {SERVGAP_CSV_IMPORTANCE,
         "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
         "account:acme,customer,60,10,10,10,10\ntier:smb,customer,60,10,10,10,10\n"},
        {SERVGAP_CSV_EFFORTS, "gap,touchpoint,metric,effort\ndelivery,email,*,5\n"
                              "service,phone,csat,1\n"},
        {SERVGAP_CSV_PLANS, "scope,touchpoint,metric,gap,owner,deadline,target\n"
                            "account:acme,email,csat,service,new-owner,2026-03-01,-0.5\n"
                            "tier:ent,*,dim:empathy,knowledge,other,2026-03-01,-1\n"},
        {SERVGAP_CSV_OBSERVATIONS,
         OBS_HEADER "2024-02-03,newacct,newtier,phone,csat,delivered,3,newteam,,\n"
                    "2024-02-04,acme,,email,reliability,expected,6,,,S1\n"
                    "2024-02-04,acme,,email,reliability,perceived,6,,,S1\n"
                    "2024-02-04,acme,,email,empathy,expected,6,,,S2\n"},
    };
    test_alloc f = {0}; /* fails its call number fail_at (helpers.h) */
    servgap_allocator alloc = test_allocator(&f);
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        int done = 0;
        for (long n = 1; !done; n++) {
            f.fail_at = 0;
            servgap_ctx *ctx = populated(&alloc);
            char *before = state(ctx);
            f.calls = 0;
            f.fail_at = n;
            int rc = import_flags(ctx, files[k].table, files[k].csv, 0, NULL);
            f.fail_at = 0;
            ck_assert_msg(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM, "file %zu: %d %s", k, rc,
                          servgap_errmsg(ctx));
            if (rc == SERVGAP_ENOMEM)
                ck_assert_msg(strncmp(servgap_errmsg(ctx), "t.csv:", 6) == 0, "%s",
                              servgap_errmsg(ctx));
            done = rc == SERVGAP_OK;
            char *after = state(ctx);
            if (!done)
                ck_assert_msg(strcmp(before, after) == 0, "file %zu, failure %ld", k, n);
            free(before);
            free(after);
            servgap_ctx_free(ctx);
        }
    }
}
END_TEST

typedef struct background {
    servgap_ctx *ctx;
    const char *csv;
    int rc;
    atomic_int done;
} background;

static void *import_in_background(void *p)
{
    background *b = p;
    b->rc = servgap_import_csv_buffer(b->ctx, SERVGAP_CSV_OBSERVATIONS, "t.csv", b->csv,
                                      strlen(b->csv), 0, NULL);
    atomic_store(&b->done, 1);
    return NULL;
}

/* While one thread imports, another only ever sees none or all of the
 * file: for a good file, then for one whose last row is bad. */
START_TEST(test_atomic_for_readers)
{
    enum { N = 40000 };
    text t = {0};
    add(&t, OBS_HEADER);
    for (int i = 0; i < N; i++)
        add(&t, "2024-01-%02d,a%d,t%d,tp%d,reliability,perceived,%d,,,\n", 1 + i % 28, i % 300,
            i % 300 % 4, i % 9, 1 + i % 7);
    servgap_ctx *ctx = new_ctx();
    for (int pass = 0; pass < 2; pass++) {
        uint64_t want = pass == 0 ? N : 0, base = obs_count(ctx);
        background b = {ctx, t.s, -100, 0};
        pthread_t th;
        ck_assert_int_eq(pthread_create(&th, NULL, import_in_background, &b), 0);
        uint64_t seen;
        do {
            int finished = atomic_load(&b.done);
            seen = obs_count(ctx) - base;
            ck_assert_msg(seen == 0 || seen == N, "a reader saw %llu observations",
                          (unsigned long long)seen);
            if (finished)
                break;
        } while (1);
        pthread_join(th, NULL);
        ck_assert_int_eq(b.rc, pass == 0 ? SERVGAP_OK : SERVGAP_ERANGE);
        ck_assert_uint_eq(seen, want);
        add(&t, "2024-01-01,a1,t1,tp1,reliability,perceived,8,,,\n");
    }
    free(t.s);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Skip mode                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_skip_bad_rows)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    const char *csv =
        OBS_HEADER "2024-01-02,acme,ent,email,reliability,perceived,5,,,\n"
                   "2024-01-02,acme,ent,phone,reliability,perceived,9,,,\n"      /* range */
                   "2024-01-02,acme,ent,email,speed,perceived,5,,,\n"            /* metric */
                   "2024-01-02,acme,ent,email,\"reliability\"x,perceived,5,,,\n" /* CSV */
                   "2024-01-02,bolt,ent,sms,reliability,perceived,6,,,\n"
                   "2024-01-02,acme,ent,email,empathy,expected,6,,,R1\n"
                   "2024-01-02,acme,ent,fax,empathy,perceived,6,,,R1\n"    /* new touchpoint */
                   "2024-01-02,newco,ent,email,empathy,perceived,6,,,R1\n" /* new account */
                   "2024-01-02,acme,ent,email,empathy,perceived,4,,,R1\n"
                   "2024-01-02,acme,ent,email,empathy,expected,6,,,R2\n"
                   "2024-01-02,acme,ent,email,empathy,importance,50,,,R2\n" /* incomplete */
                   "2024-01-02,acme,ent,email,empathy,perceived,3,,,R2\n"
                   "2024-01-02,acme,ent,email\n"; /* too few */
    ck_assert_int_eq(
        import_flags(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep),
        SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 13);
    /* Five bad rows, then R1's three others (its row 9, bad too, among
     * them), R2's three. */
    ck_assert_uint_eq(rep.skipped, 5 + 3 + 3);
    ck_assert_uint_eq(rep.applied, 2);
    ck_assert_uint_eq(rep.observations, 2); /* two unpaired; R1 went with its bad rows */
    ck_assert_uint_eq(obs_count(ctx), 2);
    ck_assert_str_eq(rep.skips,
                     "t.csv:3:49: value 9 outside [1, 7] of metric 'reliability'\n"
                     "t.csv:4:27: unknown metric 'speed'\n"
                     "t.csv:5:40: text after the closing quote\n"
                     "t.csv:8:21: respondent 'R1': touchpoint differs from its first row "
                     "(line 7)\n"
                     "t.csv:14:26: the row has 4 fields, the header 10\n"
                     "t.csv:7:1: respondent 'R1': its 3 other rows are skipped too, as its row "
                     "on line 8 was bad\n"
                     "t.csv:12:46: respondent 'R2': importance points lack tangibles (all five "
                     "dimensions are needed)\n");
    /* Names of skipped rows are not kept: neither fax nor newco; sms is. */
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 2);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 2);
    id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "sms");
    servgap_ctx_free(ctx);
}
END_TEST

/* Many bad rows: all counted, only whole messages kept. */
START_TEST(test_skip_many)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    text t = {0};
    add(&t, "account,value\n");
    for (int i = 0; i < 500; i++)
        add(&t, "a%d,%s\n", i, i % 5 == 0 ? "1" : "bad");
    ck_assert_int_eq(
        import_flags(ctx, SERVGAP_CSV_ACCOUNTS, t.s, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep),
        SERVGAP_OK);
    ck_assert_uint_eq(rep.rows, 500);
    ck_assert_uint_eq(rep.applied, 100);
    ck_assert_uint_eq(rep.skipped, 400);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 100);
    size_t len = strlen(rep.skips);
    ck_assert_uint_gt(len, 500);
    ck_assert_uint_lt(len, sizeof rep.skips);
    ck_assert_int_eq(rep.skips[len - 1], '\n');
    ck_assert(strncmp(rep.skips, "t.csv:3:4: value 'bad' is not a decimal number\n", 47) == 0);
    free(t.s);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *reader = tcase_create("reader");
    tcase_add_test(reader, test_quoted_fields);
    tcase_add_test(reader, test_lines_count_quoted_newlines);
    tcase_add_test(reader, test_line_endings_and_bom);
    tcase_add_test(reader, test_positions_after_bom_and_crlf);
    tcase_add_test(reader, test_malformed_csv);
    tcase_add_test(reader, test_headers);
    suite_add_tcase(s, reader);
    TCase *values = tcase_create("values");
    tcase_add_test(values, test_time_forms);
    tcase_add_test(values, test_leap_days);
    tcase_add_test(values, test_invalid_times);
    tcase_add_test(values, test_numbers_exact);
    tcase_add_test(values, test_numbers_random);
    tcase_add_test(values, test_numbers_locale_independent);
    tcase_add_test(values, test_numbers_rejected);
    suite_add_tcase(s, values);
    TCase *tables = tcase_create("tables");
    tcase_add_test(tables, test_metrics_table);
    tcase_add_test(tables, test_accounts_table);
    tcase_add_test(tables, test_importance_table);
    tcase_add_test(tables, test_efforts_table);
    tcase_add_test(tables, test_observations_table);
    tcase_add_test(tables, test_observation_errors);
    tcase_add_test(tables, test_paired_respondents);
    tcase_add_test(tables, test_respondent_errors);
    tcase_add_test(tables, test_plans_table);
    tcase_add_test(tables, test_plan_row_errors);
    tcase_add_test(tables, test_plans_skip_bad_rows);
    suite_add_tcase(s, tables);
    TCase *api = tcase_create("api");
    tcase_set_timeout(api, 120);
    tcase_add_test(api, test_file_and_buffer);
    tcase_add_test(api, test_unreadable_file);
    tcase_add_test(api, test_arguments);
    tcase_add_test(api, test_limit);
    tcase_add_test(api, test_all_or_nothing);
    tcase_add_test(api, test_plans_all_or_nothing);
    tcase_add_test(api, test_out_of_memory);
    tcase_add_test(api, test_atomic_for_readers);
    tcase_add_test(api, test_skip_bad_rows);
    tcase_add_test(api, test_skip_many);
    suite_add_tcase(s, api);
    return s;
}

int main(void)
{
    return run_suite(csv_suite());
}
