/*
 * gate -- helpers.h's failing allocator behind a lock, for the suites
 * whose calls allocate from several threads at once (SERVGAP_OPT_THREADS),
 * and an interrupt at a chosen allocation: with interrupt_ctx set, the
 * malloc or realloc numbered interrupt_at interrupts that handle before
 * it is served. The state is the including suite's own.
 */
#ifndef SERVGAP_TEST_GATE_H
#define SERVGAP_TEST_GATE_H

#include <pthread.h>

#include "helpers.h"

static test_alloc gate;
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static servgap_ctx *interrupt_ctx;
static long interrupt_at;

static inline void gate_maybe_interrupt(void)
{
    if (interrupt_ctx && gate.calls + 1 == interrupt_at)
        servgap_ctx_interrupt(interrupt_ctx);
}

static inline void *gate_malloc(void *user, size_t n)
{
    pthread_mutex_lock(&gate_lock);
    gate_maybe_interrupt();
    void *p = test_alloc_malloc(user, n);
    pthread_mutex_unlock(&gate_lock);
    return p;
}

static inline void *gate_realloc(void *user, void *q, size_t n)
{
    pthread_mutex_lock(&gate_lock);
    gate_maybe_interrupt();
    void *p = test_alloc_realloc(user, q, n);
    pthread_mutex_unlock(&gate_lock);
    return p;
}

static inline void gate_free(void *user, void *p)
{
    pthread_mutex_lock(&gate_lock);
    test_alloc_free(user, p);
    pthread_mutex_unlock(&gate_lock);
}

/* The allocator option of a handle that allocates through the gate. */
static inline servgap_allocator gate_allocator(void)
{
    servgap_allocator a = test_allocator(&gate);
    a.malloc_fn = gate_malloc;
    a.realloc_fn = gate_realloc;
    a.free_fn = gate_free;
    return a;
}

/* Interrupt a whole-period query of ctx (flags) at each of its allocations
 * in turn: each run stops with SERVGAP_EINTERRUPTED, no result and nothing
 * leaked, or, when the interrupt comes after the query's last look at the
 * interrupt count, completes. (With threads, which thread makes
 * allocation k varies, so either may follow the other; the sweep ends once
 * k is past every allocation of a query.) Returns how many runs stopped. */
static inline long gate_interrupt_sweep(servgap_ctx *ctx, uint32_t flags)
{
    long stopped = 0;
    for (long k = 1;; k++) {
        long live = gate.live;
        gate.calls = 0;
        interrupt_at = k;
        interrupt_ctx = ctx;
        servgap_result *r = NULL;
        int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, flags, &r);
        interrupt_ctx = NULL;
        if (rc == SERVGAP_OK) {
            servgap_result_free(r);
            if (k > gate.calls)
                return stopped;
            continue;
        }
        ck_assert_msg(rc == SERVGAP_EINTERRUPTED, "allocation %ld: %d %s", k, rc,
                      servgap_errmsg(ctx));
        ck_assert_ptr_null(r);
        ck_assert_int_eq(gate.live, live);
        stopped++;
    }
}

#endif
