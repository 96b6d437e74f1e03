/*
 * test_fuzz_checks -- the strict JSON reader the fuzz targets judge every
 * report with (tests/fuzz/fuzz_checks.h): a reader that let bad JSON pass
 * would make their "the report is valid JSON" vacuous, so here it must
 * accept RFC 8259 documents and the library's reports, and refuse each
 * kind of fault: grammar, escapes, numbers, control characters, and
 * UTF-8 that is overlong, a surrogate, beyond U+10FFFF or cut short.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_checks.h"

#include "run_suite.h"

/* text[0..len) is exactly one JSON value. */
static int valid_n(const char *text, size_t len)
{
    fuzz_json j = {(const unsigned char *)text, (const unsigned char *)text + len, 0};
    return fuzz_json_value(&j) && j.p == j.end;
}

static int valid(const char *text)
{
    return valid_n(text, strlen(text));
}

START_TEST(test_accepts_rfc8259)
{
    static const char *const ok[] = {
        "{}",
        "[]",
        "0",
        "-0",
        "1.5e-7",
        "-12.25E+3",
        "1e5",
        "true",
        "false",
        "null",
        "\"\"",
        "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\u00e9\\uD83D\\uDE00\"",
        "\"t\xc3\xa9l \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"",
        "\"\x7f\"",
        "[[[[[[[[[[]]]]]]]]]]"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(valid(ok[i]), "refused %s", ok[i]);
}
END_TEST

/* Whitespace is refused too: the report writes none (but its final
 * newline), so a space is a fault of the writer there. */
START_TEST(test_refuses_bad_grammar)
{
    static const char *const bad[] = {
        "",    "{",        "{\"a\"}",    "{\"a\":}", "{a:1}", "[1,]",         "[1 ]", " 1",
        "{,}", "[1,,2]",   "{\"a\":1,}", "tru",      "nul",   "True",         "1 2",  "[1]]",
        "01",  "1.",       ".5",         "-",        "+1",    "1e",           "1e+",  "0x10",
        "NaN", "Infinity", "-inf",       "\"abc",    "'a'",   "[\"a\" \"b\"]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!valid(bad[i]), "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_refuses_bad_strings)
{
    static const char *const bad[] = {"\"\\x41\"",          /* no such escape */
                                      "\"\\u12\"",          /* short \u */
                                      "\"\\u12G4\"",        /* not hex */
                                      "\"\\uD800\"",        /* lone high surrogate */
                                      "\"\\uDC00\"",        /* lone low surrogate */
                                      "\"\\uD800\\u0041\"", /* high surrogate, then no low one */
                                      "\"a\tb\"",           /* raw control characters */
                                      "\"a\nb\"",
                                      "\"\x1f\"",
                                      "\"\xc0\x80\"",         /* overlong NUL */
                                      "\"\xc1\xbf\"",         /* overlong 0x7F */
                                      "\"\xe0\x80\xaf\"",     /* overlong '/' */
                                      "\"\xf0\x80\x80\xaf\"", /* overlong in four bytes */
                                      "\"\xed\xa0\x80\"",     /* U+D800 encoded */
                                      "\"\xed\xbf\xbf\"",     /* U+DFFF encoded */
                                      "\"\xf4\x90\x80\x80\"", /* U+110000 */
                                      "\"\xf5\x80\x80\x80\"", /* no such lead byte */
                                      "\"\x80\"",             /* a continuation byte alone */
                                      "\"\xc3\"",             /* cut short before the quote */
                                      "\"\xe2\x82\"",
                                      "\"\xc3\x28\"", /* lead byte, no continuation */
                                      "\"\xff\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!valid(bad[i]), "accepted string %zu", i);
    /* A NUL byte is a control character too. */
    ck_assert(!valid_n("\"a\0b\"", 5));
    ck_assert(valid_n("\"ab\"", 4));
}
END_TEST

/* Nesting to FUZZ_JSON_DEPTH passes, one level more does not. */
START_TEST(test_refuses_deep_nesting)
{
    char deep[2 * (FUZZ_JSON_DEPTH + 1) + 1];
    memset(deep, '[', FUZZ_JSON_DEPTH + 1);
    memset(deep + FUZZ_JSON_DEPTH + 1, ']', FUZZ_JSON_DEPTH + 1);
    ck_assert(!valid_n(deep, 2 * (FUZZ_JSON_DEPTH + 1)));
    ck_assert(valid_n(deep + 1, 2 * FUZZ_JSON_DEPTH));
}
END_TEST

static servgap_ctx *small_handle(void)
{
    static const char obs[] = "time,account,tier,touchpoint,metric,viewpoint,value\n"
                              "2026-01-02,acme,gold,email,reliability,expected,7\n"
                              "2026-01-02,acme,gold,email,reliability,perceived,4\n"
                              "2026-01-03,\"t\xc3\xa9l\"\"x\",gold,email,reliability,perceived,2\n";
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, NULL), SERVGAP_OK);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", obs,
                                               sizeof obs - 1, 0, NULL),
                     SERVGAP_OK);
    return ctx;
}

/* A report of the library passes, streamed and buffered alike; each of
 * the faults the reader must catch, put into it, fails it. */
START_TEST(test_report)
{
    servgap_ctx *ctx = small_handle();
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FUZZ_QUERY_EVERYTHING, &r),
        SERVGAP_OK);
    fuzz_bytes json = fuzz_report(ctx, r);
    char *text = (char *)json.p;
    ck_assert_ptr_nonnull(text);
    ck_assert(fuzz_json_report(text, json.n));
    ck_assert_ptr_nonnull(strstr(text, "\"t\xc3\xa9l\\\"x\""));
    ck_assert(!fuzz_json_report(text, json.n - 1)); /* no final newline */
    ck_assert(!fuzz_json_report(text + 1, json.n - 1));
    char *quote = strstr(text, "\"t\xc3\xa9l");
    quote[2] = '\x01'; /* a control character inside a name */
    ck_assert(!fuzz_json_report(text, json.n));
    quote[2] = '\xc3';
    ck_assert(fuzz_json_report(text, json.n));
    char *colon = strchr(text, ':');
    *colon = ' ';
    ck_assert(!fuzz_json_report(text, json.n));
    free(json.p);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *fuzz_checks_suite(void)
{
    Suite *s = suite_create("fuzz_checks");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, test_accepts_rfc8259);
    tcase_add_test(tc, test_refuses_bad_grammar);
    tcase_add_test(tc, test_refuses_bad_strings);
    tcase_add_test(tc, test_refuses_deep_nesting);
    tcase_add_test(tc, test_report);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(fuzz_checks_suite());
}
