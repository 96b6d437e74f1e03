/*
 * fuzz_snapshot -- libFuzzer target: the input is loaded as a snapshot,
 * into a new handle and into one that holds the data set of fuzz_base.h
 * (a withdrawal, a respondent, an effort, a plan with a baseline window),
 * which makes the load a merge. Loading is all or nothing: a rejected
 * input leaves the handle's snapshot bytes as they were, with the code
 * and a message on the handle; a damaged input is rejected the same way
 * by both handles. A snapshot the new handle loads must:
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
 * fuzz_sections.h (fuzz_snapshot_sections.c), which keeps the checksums
 * valid instead.
 * Seeds: tests/fuzz/corpus/snapshot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_base.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
