/*
 * fuzz_snapshot -- libFuzzer target: the input is loaded as a snapshot,
 * into a new handle and into one that holds a small fixed data set (names
 * the seeds share, a withdrawal, a respondent, an effort, a plan with a
 * baseline window), which makes the load a merge. Loading is all or nothing: a rejected input
 * leaves the handle's snapshot bytes as they were, with the code and a
 * message on the handle; a damaged input is rejected the same way by both
 * handles. A snapshot the new handle loads must:
 *  - save, load again into another new handle and save the same bytes;
 *  - merge into the data set exactly as servgap_ctx_merge merges the new
 *    handle (the same snapshot bytes afterwards), or fail as it does;
 *  - give the merged handle a query whose accessors agree with their
 *    counts and whose JSON report is valid and streams the same bytes.
 *
 * scripts/fuzz builds it three times: as is; with
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which makes lib/ skip the
 * checksums so that mutated inputs reach the decoders behind them
 * (fuzz_snapshot_nocrc); and with the section-aware mutator of
 * fuzz_snapshot_sections.c, which keeps the checksums valid instead.
 * Seeds: tests/fuzz/corpus/snapshot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The data set, as the CSV tables of docs/formats.md. */
static const char base_metrics[] = "metric,dimension,direction,min,max,span,unit\n"
                                   "frt,responsiveness,lower,0,,24,h\n";
static const char base_accounts[] = "account,tier,value,health,at_risk,renewal,churned\n"
                                    "acme,enterprise,1000,40,yes,2026-03-01,no\n"
                                    "globex,smb,10,,no,,yes\n"
                                    "zed,,0,,,,\n";
static const char base_observations[] =
    "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n"
    "2026-01-01,,enterprise,chat,frt,standard,4,,,\n"
    "2026-01-20,,enterprise,chat,frt,standard,withdrawn,,,\n"
    "2026-01-05,acme,enterprise,chat,frt,delivered,6.5,squad,,\n"
    "2026-01-06,globex,smb,email,reliability,perceived,3,,word_of_mouth,\n"
    "2026-01-07,acme,,email,reliability,expected,6,,,R1\n"
    "2026-01-07,acme,,email,reliability,perceived,4,,,R1\n"
    "2026-01-07,acme,,email,tangibles,importance,20,,,R1\n"
    "2026-01-07,acme,,email,reliability,importance,40,,,R1\n"
    "2026-01-07,acme,,email,responsiveness,importance,20,,,R1\n"
    "2026-01-07,acme,,email,assurance,importance,10,,,R1\n"
    "2026-01-07,acme,,email,empathy,importance,10,,,R1\n";
static const char base_efforts[] = "gap,touchpoint,metric,effort\n"
                                   "delivery,chat,frt,2.5\n";

static void base_import(servgap_ctx *ctx, int32_t table, const char *csv)
{
    FUZZ_CHECK(servgap_import_csv_buffer(ctx, table, "base.csv", csv, strlen(csv), 0, NULL) ==
               SERVGAP_OK);
}

static servgap_ctx *base_build(void)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    base_import(ctx, SERVGAP_CSV_METRICS, base_metrics);
    base_import(ctx, SERVGAP_CSV_ACCOUNTS, base_accounts);
    base_import(ctx, SERVGAP_CSV_OBSERVATIONS, base_observations);
    base_import(ctx, SERVGAP_CSV_EFFORTS, base_efforts);
    int32_t acme = -1, email = -1, id = -1;
    FUZZ_CHECK(servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, "acme", &acme) == SERVGAP_OK);
    FUZZ_CHECK(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email) == SERVGAP_OK);
    servgap_plan plan = {.size = sizeof plan,
                         .owner = "ops",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = acme,
                         .touchpoint = email,
                         .metric = SERVGAP_DIM_RELIABILITY,
                         .gap = SERVGAP_GAP_SERVICE,
                         .deadline = 1775001600,
                         .target = -0.5,
                         .baseline_from = 1767225600,
                         .baseline_to = 1769904000};
    FUZZ_CHECK(servgap_plan_add(ctx, &plan, &id) == SERVGAP_OK);
    return ctx;
}

/* The data set's snapshot, made once. */
static const fuzz_bytes *base(void)
{
    static fuzz_bytes b;
    if (!b.p) {
        servgap_ctx *ctx = base_build();
        b = fuzz_state(ctx);
        servgap_ctx_free(ctx);
    }
    return &b;
}

static servgap_ctx *base_handle(void)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    FUZZ_CHECK(servgap_snapshot_load_buffer(ctx, base()->p, base()->n) == SERVGAP_OK);
    return ctx;
}

/* The snapshot of a handle that loaded one restores that handle, and
 * saving is a fixed point from there. */
static void check_fresh(servgap_ctx *fresh)
{
    servgap_result *r = NULL;
    int rc = servgap_query(fresh, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM);
    servgap_result_free(r);
    fuzz_bytes saved = fuzz_state(fresh);
    fuzz_check_restores(&saved);
    free(saved.p);
}

/* A merge of the new handle into the data set ends where the load did:
 * both succeed with the same bytes, or both fail with the same code and
 * change nothing. */
static void check_merge_equals_load(servgap_ctx *fresh, int load_rc, const fuzz_bytes *loaded)
{
    servgap_ctx *dst = base_handle();
    int rc = servgap_ctx_merge(dst, fresh);
    FUZZ_CHECK(rc == load_rc);
    if (rc == SERVGAP_OK)
        fuzz_check_unchanged(dst, loaded);
    else
        fuzz_check_failed(dst, rc, base());
    servgap_ctx_free(dst);
}

/* The input loaded into the data set: all or nothing, the same verdict on
 * damage as a new handle's (fresh_rc), and a query of what loaded. */
static void check_into_base(const uint8_t *data, size_t size, servgap_ctx *fresh, int fresh_rc)
{
    servgap_ctx *ctx = base_handle();
    int rc = servgap_snapshot_load_buffer(ctx, data, size);
    if (fresh_rc != SERVGAP_OK) {
        FUZZ_CHECK(rc == fresh_rc);
    } else {
        FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECONFLICT || rc == SERVGAP_ELIMIT);
    }
    if (rc != SERVGAP_OK) {
        fuzz_check_failed(ctx, rc, base());
    } else {
        fuzz_bytes loaded = fuzz_state(ctx);
        check_merge_equals_load(fresh, rc, &loaded);
        free(loaded.p);
        fuzz_check_query(ctx, FUZZ_QUERY_EVERYTHING);
    }
    if (fresh_rc == SERVGAP_OK && rc != SERVGAP_OK)
        check_merge_equals_load(fresh, rc, NULL);
    servgap_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    servgap_ctx *fresh = NULL;
    FUZZ_CHECK(servgap_ctx_new(&fresh, NULL) == SERVGAP_OK);
    fuzz_bytes empty = fuzz_state(fresh);
    int rc = servgap_snapshot_load_buffer(fresh, data, size);
    if (rc == SERVGAP_OK)
        check_fresh(fresh);
    else
        fuzz_check_failed(fresh, rc, &empty);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECORRUPT);
    free(empty.p);
    check_into_base(data, size, fresh, rc);
    servgap_ctx_free(fresh);
    return 0;
}
