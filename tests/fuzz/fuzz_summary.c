/*
 * fuzz_summary -- libFuzzer target: the input is loaded as a summary
 * (servgap_summary_load_buffer), into a new handle and into one holding
 * the data set of fuzz_base.h, which makes the load a merge. Loading is
 * all or nothing: a rejected input leaves the handle's snapshot bytes as
 * they were (so no bucket stayed behind either: a handle that holds one
 * writes no snapshot), with the code and a message on the handle; a
 * damaged input is rejected the same way by both handles. A summary the
 * new handle loads must:
 *  - leave a handle that refuses to write a snapshot (SERVGAP_EINVAL), as
 *    it holds buckets a snapshot has no place for;
 *  - write a summary that loads into another new handle and writes the
 *    same bytes again;
 *  - merge into the data set exactly as servgap_ctx_merge merges the new
 *    handle (the same summary bytes afterwards), or fail as it does;
 *  - give both handles a query whose accessors agree with their counts and
 *    whose JSON report is valid and streams the same bytes.
 * Queries of a handle that holds summaries need SERVGAP_OPT_NEGATIVE_SHARE
 * to be the summaries' own, so the target sets it from the input's SUMM
 * section first.
 *
 * scripts/fuzz builds it as is, with checksums off
 * (fuzz_summary_nocrc) and with the section-aware mutator
 * (fuzz_summary_sections.c). Seeds: tests/fuzz/corpus/summary.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_base.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* The negative_share of the summary's SUMM section (docs/formats.md,
 * "Summaries"); only called on a summary the library loaded. */
static double summary_share(const uint8_t *d, size_t size)
{
    for (size_t pos = 32; size - pos >= 24;) {
        uint64_t len = le64(d + pos + 8);
        if (memcmp(d + pos, "SUMM", 4) == 0) {
            FUZZ_CHECK(len >= 16);
            uint64_t bits = le64(d + pos + 24 + 8);
            double share;
            memcpy(&share, &bits, sizeof share);
            return share;
        }
        FUZZ_CHECK(len <= size - pos - 24);
        pos += 24 + (size_t)len;
    }
    __builtin_trap(); /* a loaded summary has a SUMM section */
}

static void set_share(servgap_ctx *ctx, double share)
{
    FUZZ_CHECK(servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, share) == SERVGAP_OK);
}

/* What a handle that loaded the summary writes, it restores. */
static void check_fresh(servgap_ctx *fresh, double share)
{
    size_t len = 0;
    FUZZ_CHECK(servgap_snapshot_write(fresh, NULL, 0, &len) == SERVGAP_EINVAL);
    fuzz_bytes s1 = fuzz_summary_state(fresh);
    servgap_ctx *copy = NULL;
    FUZZ_CHECK(servgap_ctx_new(&copy, NULL) == SERVGAP_OK);
    set_share(copy, share);
    FUZZ_CHECK(servgap_summary_load_buffer(copy, s1.p, s1.n) == SERVGAP_OK);
    fuzz_bytes s2 = fuzz_summary_state(copy);
    FUZZ_CHECK(fuzz_same(&s1, &s2));
    free(s1.p);
    free(s2.p);
    servgap_ctx_free(copy);
    fuzz_check_query(fresh, FUZZ_QUERY_EVERYTHING);
}

/* A merge of the new handle into the data set ends where the load did:
 * both succeed with the same summary bytes, or both fail with the same
 * code and change nothing. */
static void check_merge_equals_load(servgap_ctx *fresh, int load_rc, const fuzz_bytes *loaded,
                                    double share)
{
    servgap_ctx *dst = base_handle();
    set_share(dst, share);
    int rc = servgap_ctx_merge(dst, fresh);
    FUZZ_CHECK(rc == load_rc);
    if (rc == SERVGAP_OK) {
        fuzz_bytes merged = fuzz_summary_state(dst);
        FUZZ_CHECK(fuzz_same(&merged, loaded));
        free(merged.p);
    } else {
        fuzz_check_failed(dst, rc, base());
    }
    servgap_ctx_free(dst);
}

/* The input loaded into the data set: all or nothing, the same verdict on
 * damage as a new handle's (fresh_rc), and a query of what loaded. */
static void check_into_base(const uint8_t *data, size_t size, servgap_ctx *fresh, int fresh_rc)
{
    servgap_ctx *ctx = base_handle();
    int rc = servgap_summary_load_buffer(ctx, data, size);
    if (fresh_rc != SERVGAP_OK) {
        FUZZ_CHECK(rc == fresh_rc);
        fuzz_check_failed(ctx, rc, base());
        servgap_ctx_free(ctx);
        return;
    }
    double share = summary_share(data, size);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECONFLICT || rc == SERVGAP_ELIMIT);
    if (rc != SERVGAP_OK) {
        fuzz_check_failed(ctx, rc, base());
        check_merge_equals_load(fresh, rc, NULL, share);
    } else {
        set_share(ctx, share);
        fuzz_bytes loaded = fuzz_summary_state(ctx);
        check_merge_equals_load(fresh, rc, &loaded, share);
        free(loaded.p);
        fuzz_check_query(ctx, FUZZ_QUERY_EVERYTHING);
    }
    servgap_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    servgap_ctx *fresh = NULL;
    FUZZ_CHECK(servgap_ctx_new(&fresh, NULL) == SERVGAP_OK);
    fuzz_bytes empty = fuzz_state(fresh);
    int rc = servgap_summary_load_buffer(fresh, data, size);
    if (rc == SERVGAP_OK) {
        set_share(fresh, summary_share(data, size));
        check_fresh(fresh, summary_share(data, size));
    } else {
        fuzz_check_failed(fresh, rc, &empty);
    }
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECORRUPT || rc == SERVGAP_ELIMIT);
    free(empty.p);
    check_into_base(data, size, fresh, rc);
    servgap_ctx_free(fresh);
    return 0;
}
