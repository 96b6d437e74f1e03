/*
 * fuzz_csv -- libFuzzer target for CSV import. The first byte selects the
 * mode, the rest is the file:
 *   bit 0: SERVGAP_IMPORT_SKIP_BAD_ROWS
 *   bit 1: chain: import the file as every table into one handle (metrics,
 *          accounts, importance, efforts, observations, plans), so that later
 *          tables find the names earlier ones defined; otherwise each table
 *          gets a fresh handle
 *   bit 2: query the handle afterwards (plans re-measured too), to check
 *          that what was stored is consistent for the analysis
 * Beyond crashes and sanitizer reports, it traps when a failed import
 * changed the handle's counts or a report does not add up.
 *
 * Build with clang's -fsanitize=fuzzer,address,undefined over every lib
 * source and this file (-Iinclude -Ilib -lm -lpthread) and run it on
 * tests/fuzz/corpus/csv.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "servgap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct counts {
    uint64_t observations;
    int32_t names[SERVGAP_KIND_METRIC + 1];
} counts;

static void take(servgap_ctx *ctx, counts *c)
{
    memset(c, 0, sizeof *c);
    servgap_observation_count(ctx, &c->observations);
    for (int32_t k = SERVGAP_KIND_TIER; k <= SERVGAP_KIND_METRIC; k++)
        servgap_count(ctx, k, &c->names[k]);
}

static void check_report(const servgap_import_report *r, uint32_t flags)
{
    if (r->rows != r->applied + r->skipped)
        __builtin_trap();
    if (!(flags & SERVGAP_IMPORT_SKIP_BAD_ROWS) && r->skipped != 0)
        __builtin_trap();
    if (memchr(r->unknown, 0, sizeof r->unknown) == NULL ||
        memchr(r->skips, 0, sizeof r->skips) == NULL)
        __builtin_trap();
}

static void import(servgap_ctx *ctx, int32_t table, const uint8_t *data, size_t size,
                   uint32_t flags)
{
    counts before, after;
    servgap_import_report rep = {.size = sizeof rep};
    take(ctx, &before);
    int rc = servgap_import_csv_buffer(ctx, table, "fuzz.csv", data, size, flags, &rep);
    take(ctx, &after);
    if (rc == SERVGAP_OK)
        check_report(&rep, flags);
    else if (memcmp(&before, &after, sizeof before) != 0)
        __builtin_trap();
    else if (servgap_errcode(ctx) != rc || servgap_errmsg(ctx)[0] == '\0')
        __builtin_trap();
}

static void query(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    if (servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                      SERVGAP_QUERY_ALL | SERVGAP_QUERY_PLANS, &r) == SERVGAP_OK)
        servgap_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int32_t order[6] = {SERVGAP_CSV_METRICS,      SERVGAP_CSV_ACCOUNTS,
                                     SERVGAP_CSV_IMPORTANCE,   SERVGAP_CSV_EFFORTS,
                                     SERVGAP_CSV_OBSERVATIONS, SERVGAP_CSV_PLANS};
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    uint32_t flags = mode & 1 ? SERVGAP_IMPORT_SKIP_BAD_ROWS : 0;
    servgap_ctx *ctx = NULL;
    for (int i = 0; i < 6; i++) {
        if (!ctx && servgap_ctx_new(&ctx, NULL) != SERVGAP_OK)
            return 0;
        import(ctx, order[i], data + 1, size - 1, flags);
        if (mode & 2)
            continue;
        if (mode & 4)
            query(ctx);
        servgap_ctx_free(ctx);
        ctx = NULL;
    }
    if (ctx && (mode & 4))
        query(ctx);
    servgap_ctx_free(ctx);
    return 0;
}
