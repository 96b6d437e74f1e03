/*
 * test_records -- records that contradict each other, through the public
 * API, as a specification: one rule for an account's tier on every path
 * that names one (servgap_account_define, the accounts and observations
 * tables, merge, snapshot load); a respondent of a file skipped whole in
 * skip mode once one of its rows is bad; and headers whose oddities get an
 * error naming what and where (docs/formats.md).
 *
 * "Unchanged" is checked on the snapshot bytes, which hold everything a
 * handle knows.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    int rc = import_flags(ctx, table, csv, 0, NULL);
    ck_assert_msg(rc == SERVGAP_OK, "import failed: %d %s", rc, servgap_errmsg(ctx));
}

/* The call's result rc is code, with exactly msg. */
static void fails(servgap_ctx *ctx, int rc, int code, const char *msg)
{
    ck_assert_msg(rc == code, "want %d, got %d: %s", code, rc, servgap_errmsg(ctx));
    ck_assert_str_eq(servgap_errmsg(ctx), msg);
}

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static bytes snapshot(servgap_ctx *ctx)
{
    bytes b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_int_eq(servgap_snapshot_write(ctx, b.p, b.n, &b.n), SERVGAP_OK);
    return b;
}

/* ctx holds exactly what it held when before was taken; frees before. */
static void unchanged(servgap_ctx *ctx, bytes before)
{
    bytes now = snapshot(ctx);
    ck_assert_msg(now.n == before.n && memcmp(now.p, before.p, now.n) == 0, "the handle changed");
    free(now.p);
    free(before.p);
}

/* The name of account's tier, or "" for none. */
static const char *tier_of(servgap_ctx *ctx, const char *account)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, account, &id), SERVGAP_OK);
    servgap_account a = {.size = sizeof a};
    ck_assert_int_eq(servgap_account_info(ctx, id, &a), SERVGAP_OK);
    const char *name = "";
    if (a.tier != SERVGAP_NONE)
        ck_assert_int_eq(servgap_name(ctx, SERVGAP_KIND_TIER, a.tier, &name), SERVGAP_OK);
    return name;
}

static double value_of(servgap_ctx *ctx, const char *account)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, account, &id), SERVGAP_OK);
    servgap_account a = {.size = sizeof a};
    ck_assert_int_eq(servgap_account_info(ctx, id, &a), SERVGAP_OK);
    return a.value;
}

/* acme in smb, lone without a tier. */
static servgap_ctx *two_accounts(void)
{
    servgap_ctx *ctx = new_ctx();
    account(ctx, "acme", "smb", 10.0);
    account(ctx, "lone", NULL, 5.0);
    return ctx;
}

/* ---------------------------------------------------------------------- */
/* An account's tier                                                       */
/* ---------------------------------------------------------------------- */

START_TEST(test_tier_api)
{
    servgap_ctx *ctx = two_accounts();
    int32_t id = -1;
    /* Its tier again, or none: the tier stays, the value is replaced. */
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "smb", 11.0, &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "acme", NULL, 12.0, &id), SERVGAP_OK);
    ck_assert_str_eq(tier_of(ctx, "acme"), "smb");
    ck_assert_double_eq(value_of(ctx, "acme"), 12.0);
    /* Another tier: a conflict that changes nothing, not even the tiers. */
    bytes before = snapshot(ctx);
    id = 77;
    fails(ctx, servgap_account_define(ctx, "acme", "enterprise", 13.0, &id), SERVGAP_ECONFLICT,
          "servgap_account_define: account 'acme' is in tier 'smb', not 'enterprise'");
    ck_assert_int_eq(id, 77);
    unchanged(ctx, before);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 1);
    /* A tierless account takes the first tier named, and keeps it. */
    account(ctx, "lone", "enterprise", 5.0);
    ck_assert_str_eq(tier_of(ctx, "lone"), "enterprise");
    ck_assert_int_eq(servgap_account_define(ctx, "lone", "smb", 5.0, &id), SERVGAP_ECONFLICT);
    ck_assert_str_eq(tier_of(ctx, "lone"), "enterprise");
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_tier_accounts_table)
{
    servgap_ctx *ctx = two_accounts();
    bytes before = snapshot(ctx);
    /* Columns: account 1, tier 6 (acme), tier 6 (lone). */
    fails(ctx,
          import_flags(ctx, SERVGAP_CSV_ACCOUNTS,
                       "account,tier,value\nlone,gold,1\nacme,enterprise,2\n", 0, NULL),
          SERVGAP_ECONFLICT, "t.csv:3:6: account 'acme' is in tier 'smb', not 'enterprise'");
    unchanged(ctx, before);
    /* Two rows of one file that disagree: the second is the conflict. */
    before = snapshot(ctx);
    fails(ctx,
          import_flags(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier\nnew,gold\nnew,silver\n", 0, NULL),
          SERVGAP_ECONFLICT, "t.csv:3:5: account 'new' is in tier 'gold', not 'silver'");
    unchanged(ctx, before);
    /* An empty tier keeps the tier; a tierless account takes its first. */
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier,value\nacme,,3\nlone,gold,4\nlone,gold,5\n");
    ck_assert_str_eq(tier_of(ctx, "acme"), "smb");
    ck_assert_double_eq(value_of(ctx, "acme"), 3.0);
    ck_assert_str_eq(tier_of(ctx, "lone"), "gold");
    ck_assert_double_eq(value_of(ctx, "lone"), 5.0);
    /* In skip mode the row that moves an account is skipped. */
    servgap_import_report rep = {.size = sizeof rep};
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier,value\nacme,gold,6\n",
                                  SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep),
                     SERVGAP_OK);
    ck_assert_uint_eq(rep.skipped, 1);
    ck_assert_str_eq(rep.skips, "t.csv:2:6: account 'acme' is in tier 'smb', not 'gold'\n");
    ck_assert_str_eq(tier_of(ctx, "acme"), "smb");
    ck_assert_double_eq(value_of(ctx, "acme"), 3.0);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_tier_observations_table)
{
    servgap_ctx *ctx = two_accounts();
    bytes before = snapshot(ctx);
    /* Columns: time 1, account 12, tier 17. */
    fails(ctx,
          import_flags(ctx, SERVGAP_CSV_OBSERVATIONS,
                       OBS_HEADER "2024-01-02,acme,smb,email,reliability,perceived,5,,,\n"
                                  "2024-01-02,acme,gold,email,reliability,perceived,5,,,\n",
                       0, NULL),
          SERVGAP_ECONFLICT, "t.csv:3:17: account 'acme' is in tier 'smb', not 'gold'");
    unchanged(ctx, before);
    /* lone's rows: no tier (the account is remembered without one), its
     * first tier, which the file's later rows must then keep. */
    before = snapshot(ctx);
    fails(ctx,
          import_flags(ctx, SERVGAP_CSV_OBSERVATIONS,
                       OBS_HEADER "2024-01-02,lone,,email,reliability,perceived,5,,,\n"
                                  "2024-01-02,lone,gold,email,reliability,perceived,5,,,\n"
                                  "2024-01-02,lone,,email,reliability,perceived,5,,,\n"
                                  "2024-01-02,lone,silver,email,reliability,perceived,5,,,\n",
                       0, NULL),
          SERVGAP_ECONFLICT, "t.csv:5:17: account 'lone' is in tier 'gold', not 'silver'");
    unchanged(ctx, before); /* lone is tierless again */
    import_ok(ctx, SERVGAP_CSV_OBSERVATIONS,
              OBS_HEADER "2024-01-02,lone,,email,reliability,perceived,5,,,\n"
                         "2024-01-02,lone,gold,email,reliability,perceived,5,,,\n"
                         "2024-01-02,lone,gold,email,reliability,perceived,5,,,\n"
                         "2024-01-02,fresh,,email,reliability,perceived,5,,,\n"
                         "2024-01-02,fresh,silver,email,reliability,expected,5,,,R1\n");
    ck_assert_str_eq(tier_of(ctx, "lone"), "gold");
    ck_assert_str_eq(tier_of(ctx, "fresh"), "silver");
    ck_assert_uint_eq(obs_count(ctx), 5);
    /* The accounts table then agrees with what the observations said. */
    fails(ctx, import_flags(ctx, SERVGAP_CSV_ACCOUNTS, "account,tier\nlone,silver\n", 0, NULL),
          SERVGAP_ECONFLICT, "t.csv:2:6: account 'lone' is in tier 'gold', not 'silver'");
    servgap_ctx_free(ctx);
}
END_TEST

/* The same records, in either order, give the same tier or the same
 * conflict: the rule does not depend on which path came first. */
START_TEST(test_tier_order_free)
{
    static const char *rows = OBS_HEADER "2024-01-02,lone,gold,email,reliability,perceived,5,,,\n";
    servgap_ctx *a = new_ctx(), *b = new_ctx();
    account(a, "lone", NULL, 1.0);
    import_ok(a, SERVGAP_CSV_OBSERVATIONS, rows);
    import_ok(b, SERVGAP_CSV_OBSERVATIONS, rows);
    account(b, "lone", NULL, 1.0);
    ck_assert_str_eq(tier_of(a, "lone"), "gold");
    ck_assert_str_eq(tier_of(b, "lone"), "gold");
    int32_t id;
    ck_assert_int_eq(servgap_account_define(a, "lone", "silver", 1.0, &id), SERVGAP_ECONFLICT);
    ck_assert_int_eq(servgap_account_define(b, "lone", "silver", 1.0, &id), SERVGAP_ECONFLICT);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

/* An allocator that fails its n-th call from when it is armed. */
typedef struct failing {
    long calls, fail_at;
} failing;

static void *f_malloc(void *user, size_t n)
{
    failing *f = user;
    return ++f->calls == f->fail_at ? NULL : malloc(n);
}

static void *f_realloc(void *user, void *p, size_t n)
{
    failing *f = user;
    return ++f->calls == f->fail_at ? NULL : realloc(p, n);
}

static void f_free(void *user, void *p)
{
    (void)user;
    free(p);
}

/* A first tier given to an account the handle knew, with every allocation
 * of the import failing in turn: the import succeeds or leaves the account
 * without a tier, as it was. */
START_TEST(test_tier_first_out_of_memory)
{
    failing f = {0, 0};
    servgap_allocator alloc = {sizeof alloc, f_malloc, f_realloc, f_free, &f};
    for (long n = 1;; n++) {
        servgap_ctx *ctx = NULL;
        f.fail_at = 0;
        ck_assert_int_eq(servgap_ctx_new(&ctx, &alloc), SERVGAP_OK);
        account(ctx, "lone", NULL, 1.0);
        bytes before = snapshot(ctx);
        f.calls = 0;
        f.fail_at = n;
        int rc = import_flags(ctx, SERVGAP_CSV_OBSERVATIONS,
                              OBS_HEADER "2024-01-02,lone,,email,empathy,perceived,5,,,\n"
                                         "2024-01-02,lone,gold,email,empathy,perceived,5,,,\n"
                                         "2024-01-02,new,silver,email,empathy,perceived,5,,,\n",
                              0, NULL);
        f.fail_at = 0;
        ck_assert_msg(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM, "%d %s", rc, servgap_errmsg(ctx));
        if (rc == SERVGAP_OK) {
            ck_assert_str_eq(tier_of(ctx, "lone"), "gold");
            free(before.p);
        } else {
            unchanged(ctx, before);
        }
        servgap_ctx_free(ctx);
        if (rc == SERVGAP_OK)
            break;
    }
}
END_TEST

START_TEST(test_tier_merge)
{
    servgap_ctx *dst = two_accounts(), *src = new_ctx();
    account(src, "acme", "enterprise", 1.0);
    bytes before = snapshot(dst);
    fails(dst, servgap_ctx_merge(dst, src), SERVGAP_ECONFLICT,
          "servgap_ctx_merge: account 'acme' is in tier 'smb' here and 'enterprise' in src");
    unchanged(dst, before);
    servgap_ctx_free(src);
    /* No tier in src keeps dst's; a tier for dst's tierless account is its
     * first. */
    src = new_ctx();
    account(src, "acme", NULL, 1.0);
    account(src, "lone", "gold", 1.0);
    ck_assert_int_eq(servgap_ctx_merge(dst, src), SERVGAP_OK);
    ck_assert_str_eq(tier_of(dst, "acme"), "smb");
    ck_assert_str_eq(tier_of(dst, "lone"), "gold");
    servgap_ctx_free(src);
    servgap_ctx_free(dst);
}
END_TEST

START_TEST(test_tier_snapshot_load)
{
    servgap_ctx *src = new_ctx();
    account(src, "acme", "enterprise", 1.0);
    account(src, "lone", "gold", 1.0);
    bytes snap = snapshot(src);
    servgap_ctx *dst = two_accounts();
    bytes before = snapshot(dst);
    ck_assert_int_eq(servgap_snapshot_load_buffer(dst, snap.p, snap.n), SERVGAP_ECONFLICT);
    ck_assert_ptr_nonnull(
        strstr(servgap_errmsg(dst), "account 'acme' is in tier 'smb' here and 'enterprise'"));
    unchanged(dst, before);
    servgap_ctx_free(dst);
    /* Into a handle where acme has no tier yet, both get theirs. */
    dst = new_ctx();
    account(dst, "acme", NULL, 1.0);
    ck_assert_int_eq(servgap_snapshot_load_buffer(dst, snap.p, snap.n), SERVGAP_OK);
    ck_assert_str_eq(tier_of(dst, "acme"), "enterprise");
    ck_assert_str_eq(tier_of(dst, "lone"), "gold");
    free(snap.p);
    servgap_ctx_free(dst);
    servgap_ctx_free(src);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* A respondent's rows in skip mode                                        */
/* ---------------------------------------------------------------------- */

/* The paired responses of acme's cell at touchpoint tp for the empathy
 * item, or -1 when the cell has no data. */
static int64_t pairs_of(servgap_ctx *ctx, const char *tp)
{
    int32_t acme = -1, t = -1, m = -1;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, "acme", &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, tp, &t), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_METRIC, "empathy", &m), SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    size_t i = 0;
    int64_t pairs = -1;
    if (servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acme, t, m, 0, &i) == SERVGAP_OK) {
        servgap_cell c = {.size = sizeof c};
        ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
        pairs = c.pairs;
    }
    servgap_result_free(r);
    return pairs;
}

static servgap_import_report skip_import(servgap_ctx *ctx, const char *csv)
{
    servgap_import_report rep = {.size = sizeof rep};
    int rc = import_flags(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep);
    ck_assert_msg(rc == SERVGAP_OK, "import failed: %d %s", rc, servgap_errmsg(ctx));
    return rep;
}

/* The respondent's first row is bad: its later row, of another day, must
 * not become a response of its own. */
START_TEST(test_respondent_first_row_bad)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep =
        skip_import(ctx, OBS_HEADER "2024-01-02,acme,ent,email,empathy,expected,9,,,R1\n"
                                    "2024-01-03,acme,ent,email,empathy,perceived,4,,,R1\n"
                                    "2024-01-02,acme,ent,email,empathy,expected,6,,,R2\n"
                                    "2024-01-02,acme,ent,email,empathy,perceived,5,,,R2\n");
    ck_assert_uint_eq(rep.rows, 4);
    ck_assert_uint_eq(rep.skipped, 2);
    ck_assert_uint_eq(rep.applied, 2);
    ck_assert_uint_eq(rep.observations, 2); /* R2's pair only */
    ck_assert_str_eq(rep.skips, "t.csv:2:44: value 9 outside [1, 7] of metric 'empathy'\n"
                                "t.csv:2:1: respondent 'R1': its 1 other row is skipped too, as "
                                "its row on line 2 was bad\n");
    ck_assert_int_eq(pairs_of(ctx, "email"), 1);
    servgap_ctx_free(ctx);
}
END_TEST

/* A row that disagrees with its respondent's first row takes the whole
 * respondent with it, the rows before it and after it; the rows after it
 * are not read, so they add no names. */
START_TEST(test_respondent_disagrees)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep =
        skip_import(ctx, OBS_HEADER "2024-01-02,acme,ent,email,empathy,expected,6,,,R1\n"
                                    "2024-01-02,acme,ent,chat,empathy,perceived,2,,,R1\n"
                                    "2024-01-02,acme,ent,email,empathy,perceived,4,night,,R1\n"
                                    "2024-01-02,acme,ent,email,empathy,perceived,5,,,\n"
                                    "2024-01-02,acme,ent,email,empathy,adequate,99,,,R1\n");
    ck_assert_uint_eq(rep.rows, 5);
    ck_assert_uint_eq(rep.skipped, 4);
    ck_assert_uint_eq(rep.observations, 1);
    ck_assert_str_eq(rep.skips, "t.csv:3:21: respondent 'R1': touchpoint differs from its first "
                                "row (line 2)\n"
                                "t.csv:2:1: respondent 'R1': its 3 other rows are skipped too, as "
                                "its row on line 3 was bad\n");
    ck_assert_int_eq(pairs_of(ctx, "email"), 0);
    int32_t id;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &id), SERVGAP_ENOTFOUND);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* A row whose fields do not line up with the header names no respondent
 * that can be trusted: it is skipped alone. */
START_TEST(test_respondent_row_unreadable)
{
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep =
        skip_import(ctx, OBS_HEADER "2024-01-02,acme,ent,email,empathy,expected,6,,,R1\n"
                                    "2024-01-02,acme,ent,email,empathy,perceived,4,,,R1,x\n"
                                    "2024-01-02,acme,ent,email,empathy,perceived,5,,,R1\n");
    ck_assert_uint_eq(rep.skipped, 1);
    ck_assert_str_eq(rep.skips, "t.csv:3:52: the row has 11 fields, the header 10\n");
    ck_assert_int_eq(pairs_of(ctx, "email"), 1);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Header oddities                                                         */
/* ---------------------------------------------------------------------- */

/* The accounts table csv fails, even in skip mode, with exactly msg. */
static void header_fails(const char *csv, const char *msg)
{
    servgap_ctx *ctx = new_ctx();
    for (uint32_t flags = 0; flags <= SERVGAP_IMPORT_SKIP_BAD_ROWS; flags++)
        fails(ctx, import_flags(ctx, SERVGAP_CSV_ACCOUNTS, csv, flags, NULL), SERVGAP_EFORMAT, msg);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    servgap_ctx_free(ctx);
}

#define BOM "\xef\xbb\xbf"

START_TEST(test_header_bom_twice)
{
    /* One BOM is skipped; a second one is named, not taken for part of
     * the first column's name. */
    header_fails(BOM BOM "account,value\na,1\n",
                 "t.csv:1:1: a byte-order mark (U+FEFF) appears twice at the start of the file");
    header_fails(BOM BOM, "t.csv:1:1: a byte-order mark (U+FEFF) appears twice at the start of "
                          "the file");
    header_fails("account,value" BOM "\na,1\n",
                 "t.csv:1:9: column name 'value" BOM "' holds a byte-order mark (U+FEFF)");
    servgap_ctx *ctx = new_ctx();
    import_ok(ctx, SERVGAP_CSV_ACCOUNTS, BOM "account,value\na,1\n");
    ck_assert_double_eq(value_of(ctx, "a"), 1.0);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_header_empty_names)
{
    header_fails("account,,value\na,,1\n", "t.csv:1:9: header field 2 has no name");
    header_fails("account,value,\na,1,\n", "t.csv:1:15: header field 3 has no name");
    header_fails("account, \t,value\na,,1\n", "t.csv:1:9: header field 2 has no name");
    header_fails("account,\"\",value\na,,1\n", "t.csv:1:9: header field 2 has no name");
    /* Nothing but empty fields: not a header at all. */
    header_fails(",,\na,,1\n", "t.csv:1:1: the header has only empty fields: the first record "
                               "must name the columns");
    header_fails("\"\"\n", "t.csv:1:1: the header has only empty fields: the first record must "
                           "name the columns");
}
END_TEST

START_TEST(test_header_duplicates)
{
    /* Known or not, a name may appear once: which of two would a reader
     * mean? Spaces and tabs around names do not make them differ. */
    header_fails("account,note,value,note\na,x,1,y\n",
                 "t.csv:1:20: column 'note' appears twice (header fields 2 and 4)");
    header_fails("account, value,value\t\na,1,2\n",
                 "t.csv:1:16: column 'value' appears twice (header fields 2 and 3)");
    servgap_ctx *ctx = new_ctx();
    servgap_import_report rep = {.size = sizeof rep};
    ck_assert_int_eq(import_flags(ctx, SERVGAP_CSV_ACCOUNTS,
                                  " account ,\tvalue\t,Note,note\na,1,x,y\n", 0, &rep),
                     SERVGAP_OK);
    ck_assert_str_eq(rep.unknown, "Note,note");
    ck_assert_double_eq(value_of(ctx, "a"), 1.0);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *records_suite(void)
{
    Suite *s = suite_create("records");
    TCase *tiers = tcase_create("tiers");
    tcase_add_test(tiers, test_tier_api);
    tcase_add_test(tiers, test_tier_accounts_table);
    tcase_add_test(tiers, test_tier_observations_table);
    tcase_add_test(tiers, test_tier_order_free);
    tcase_add_test(tiers, test_tier_first_out_of_memory);
    tcase_add_test(tiers, test_tier_merge);
    tcase_add_test(tiers, test_tier_snapshot_load);
    suite_add_tcase(s, tiers);
    TCase *resp = tcase_create("respondents");
    tcase_add_test(resp, test_respondent_first_row_bad);
    tcase_add_test(resp, test_respondent_disagrees);
    tcase_add_test(resp, test_respondent_row_unreadable);
    suite_add_tcase(s, resp);
    TCase *header = tcase_create("header");
    tcase_add_test(header, test_header_bom_twice);
    tcase_add_test(header, test_header_empty_names);
    tcase_add_test(header, test_header_duplicates);
    suite_add_tcase(s, header);
    return s;
}

int main(void)
{
    return run_suite(records_suite());
}
