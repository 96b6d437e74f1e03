/*
 * fuzz_snapshot -- libFuzzer target: any input loaded as a snapshot into a
 * fresh handle must be rejected cleanly or loaded whole. A loaded handle
 * must answer a full query, and its snapshot must load again and save to
 * the same bytes (saving is a fixed point after one load).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *     $(find lib -name '[a-z]*.c') tests/fuzz/fuzz_snapshot.c -lm -lpthread -o /tmp/fuzz_snap
 *   /tmp/fuzz_snap tests/fuzz/corpus/snapshot
 *
 * Section checksums stop almost every mutation at the first check; add
 * -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION to skip them so that the
 * fuzzer reaches the decoders and validators behind them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

static unsigned char *save(servgap_ctx *ctx, size_t *n)
{
    if (servgap_snapshot_write(ctx, NULL, 0, n) != SERVGAP_OK)
        abort();
    unsigned char *buf = malloc(*n ? *n : 1);
    if (!buf || servgap_snapshot_write(ctx, buf, *n, n) != SERVGAP_OK)
        abort();
    return buf;
}

static void query(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r);
    if (rc != SERVGAP_OK && rc != SERVGAP_ENOMEM)
        abort();
    servgap_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    servgap_ctx *ctx = NULL, *again = NULL;
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK)
        return 0;
    int rc = servgap_snapshot_load_buffer(ctx, data, size);
    if (rc == SERVGAP_OK) {
        query(ctx);
        size_t n1 = 0, n2 = 0;
        unsigned char *b1 = save(ctx, &n1);
        if (servgap_ctx_new(&again, NULL) != SERVGAP_OK ||
            servgap_snapshot_load_buffer(again, b1, n1) != SERVGAP_OK)
            abort();
        unsigned char *b2 = save(again, &n2);
        if (n1 != n2 || memcmp(b1, b2, n1) != 0)
            abort();
        free(b1);
        free(b2);
    } else if (rc != SERVGAP_ECORRUPT && rc != SERVGAP_ENOMEM) {
        abort();
    }
    servgap_ctx_free(again);
    servgap_ctx_free(ctx);
    return 0;
}
