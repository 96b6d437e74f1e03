/*
 * fuzz_csv -- libFuzzer target for CSV import: several files imported in
 * order into one handle, so that the observations refer to metrics and
 * accounts an earlier file defined, and importance, efforts and plans to
 * the scopes, touchpoints and metrics the observations brought. The first
 * byte selects the mode, the rest is the files, separated by a line "%%"
 * (the bytes "\n%%\n"):
 *   bit 0: SERVGAP_IMPORT_SKIP_BAD_ROWS
 *   bit 1: every file is imported as each table in turn (metrics,
 *          accounts, observations, importance, efforts, plans); otherwise
 *          file i is table i mod 6 of that order, so six files are one of
 *          each and a second round meets what the first defined
 *   bit 2: query the handle at the end (every analysis, the trends and
 *          the plans), check the result's accessors and its JSON report
 *   bit 3: import every file that defines (metrics, accounts, importance,
 *          efforts) a second time: those tables set, replace or define the
 *          same again, so that must succeed and change nothing
 *   bit 4: query after every file, not only at the end
 * A failed import must leave the handle's snapshot bytes unchanged and
 * report its code and a message; a successful one must report rows that
 * add up and the observations it recorded. At the end the handle's
 * snapshot must restore it in a new handle.
 *
 * scripts/fuzz builds it with clang's -fsanitize=fuzzer,address,undefined
 * over lib/ and runs it on tests/fuzz/corpus/csv; tests/fuzz/meson.build
 * replays that corpus with the normal compiler.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TABLES 6
static const int32_t table_order[TABLES] = {SERVGAP_CSV_METRICS,      SERVGAP_CSV_ACCOUNTS,
                                            SERVGAP_CSV_OBSERVATIONS, SERVGAP_CSV_IMPORTANCE,
                                            SERVGAP_CSV_EFFORTS,      SERVGAP_CSV_PLANS};

static const char file_separator[] = "\n%%\n";

static void check_report(const servgap_import_report *r, uint32_t flags, int32_t table,
                         uint64_t recorded)
{
    FUZZ_CHECK(r->rows == r->applied + r->skipped);
    FUZZ_CHECK((flags & SERVGAP_IMPORT_SKIP_BAD_ROWS) || r->skipped == 0);
    FUZZ_CHECK(r->observations == recorded);
    FUZZ_CHECK(table == SERVGAP_CSV_OBSERVATIONS || recorded == 0);
    FUZZ_CHECK(memchr(r->unknown, 0, sizeof r->unknown) != NULL);
    FUZZ_CHECK(memchr(r->skips, 0, sizeof r->skips) != NULL);
}

static uint64_t observations(servgap_ctx *ctx)
{
    uint64_t n = 0;
    FUZZ_CHECK(servgap_observation_count(ctx, &n) == SERVGAP_OK);
    return n;
}

/* Imports one file and checks the contract; returns its status. */
static int import(servgap_ctx *ctx, int32_t table, const uint8_t *file, size_t len, uint32_t flags)
{
    fuzz_bytes before = fuzz_state(ctx);
    uint64_t count = observations(ctx);
    servgap_import_report rep = {.size = sizeof rep};
    int rc = servgap_import_csv_buffer(ctx, table, "fuzz.csv", file, len, flags, &rep);
#ifdef FUZZ_TRACE /* to follow a reproducer: -DFUZZ_TRACE */
    fprintf(stderr, "%s: %d %s\n", servgap_csv_table_name(table), rc,
            rc ? servgap_errmsg(ctx) : rep.skips);
#endif
    if (rc == SERVGAP_OK)
        check_report(&rep, flags, table, observations(ctx) - count);
    else
        fuzz_check_failed(ctx, rc, &before);
    free(before.p);
    return rc;
}

/* A definitions file imported again: every row sets what it set before,
 * and every row skipped before is skipped again. */
static void import_again(servgap_ctx *ctx, int32_t table, const uint8_t *file, size_t len,
                         uint32_t flags)
{
    fuzz_bytes before = fuzz_state(ctx);
    servgap_import_report rep = {.size = sizeof rep};
    int rc = servgap_import_csv_buffer(ctx, table, "again.csv", file, len, flags, &rep);
    FUZZ_CHECK(rc == SERVGAP_OK && rep.observations == 0);
    fuzz_check_unchanged(ctx, &before);
    free(before.p);
}

static void import_file(servgap_ctx *ctx, int32_t table, const uint8_t *file, size_t len,
                        uint8_t mode)
{
    uint32_t flags = mode & 1 ? SERVGAP_IMPORT_SKIP_BAD_ROWS : 0;
    int rc = import(ctx, table, file, len, flags);
    if (rc == SERVGAP_OK && (mode & 8) && table != SERVGAP_CSV_OBSERVATIONS &&
        table != SERVGAP_CSV_PLANS)
        import_again(ctx, table, file, len, flags);
    if (mode & 16)
        fuzz_check_query(ctx, FUZZ_QUERY_EVERYTHING);
}

/* The end of the file that starts at p: the next separator, or end. */
static const uint8_t *file_end(const uint8_t *p, const uint8_t *end)
{
    size_t sep = sizeof file_separator - 1;
    for (const uint8_t *q = p; (size_t)(end - q) >= sep; q++)
        if (memcmp(q, file_separator, sep) == 0)
            return q;
    return end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    for (size_t i = 0;; i++) {
        const uint8_t *q = file_end(p, end);
        if (mode & 2) {
            for (int t = 0; t < TABLES; t++)
                import_file(ctx, table_order[t], p, (size_t)(q - p), mode);
        } else {
            import_file(ctx, table_order[i % TABLES], p, (size_t)(q - p), mode);
        }
        if (q == end)
            break;
        p = q + sizeof file_separator - 1;
    }
    if (mode & 4)
        fuzz_check_query(ctx, FUZZ_QUERY_EVERYTHING);
    fuzz_bytes snap = fuzz_state(ctx);
    fuzz_check_restores(&snap);
    free(snap.p);
    servgap_ctx_free(ctx);
    return 0;
}
