/*
 * pg_alloc -- libservgap handles whose memory comes from PostgreSQL memory
 * contexts, through the library's allocator hook, and the bridge from a
 * query cancel to servgap_ctx_interrupt.
 *
 * The allocator functions must never ereport: an error would longjmp out
 * of the library in the middle of a call and leave its locks and tables
 * half-changed. So they ask with MCXT_ALLOC_NO_OOM and answer NULL, and
 * the library reports SERVGAP_ENOMEM with nothing changed; pg_errors turns
 * that into the error. PostgreSQL 15 has no repalloc that returns NULL, so
 * a block carries its size in front of it and a resize is an allocation
 * and a copy.
 *
 * A cancel (or a terminate) sets QueryCancelPending (ProcDiePending) and
 * InterruptPending from a signal handler, and only CHECK_FOR_INTERRUPTS
 * acts on it. The library allocates throughout its long calls, so every
 * allocation looks at the flags and, when one is up, asks the handle to
 * stop: the call returns SERVGAP_EINTERRUPTED having changed nothing, and
 * pg_errors then lets CHECK_FOR_INTERRUPTS raise the cancel.
 */
#include "servgap_pg.h"

#include "miscadmin.h"
#include "utils/memutils.h"

/* Room in front of a block for its size; keeps MAXALIGN alignment. */
#define BLOCK_HEADER MAXALIGN(sizeof(size_t))

/* What the allocator functions are handed: the context and the handle
 * (NULL until servgap_ctx_new has returned it). */
typedef struct heap {
    pgsg_handle handle;
    MemoryContextCallback on_reset;
} heap;

static void stop_if_cancelled(heap *hp)
{
    if (unlikely(InterruptPending) && (QueryCancelPending || ProcDiePending) &&
        hp->handle.ctx != NULL)
        servgap_ctx_interrupt(hp->handle.ctx);
}

static void *heap_malloc(void *user, size_t n)
{
    heap *hp = user;
    char *p;

    stop_if_cancelled(hp);
    if (n > MaxAllocHugeSize - BLOCK_HEADER)
        return NULL;
    p = MemoryContextAllocExtended(hp->handle.mcxt, n + BLOCK_HEADER,
                                   MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
    if (p == NULL)
        return NULL;
    *(size_t *)p = n;
    return p + BLOCK_HEADER;
}

static void heap_free(void *user, void *p)
{
    (void)user;
    if (p != NULL)
        pfree((char *)p - BLOCK_HEADER);
}

static void *heap_realloc(void *user, void *p, size_t n)
{
    size_t old;
    void *q;

    if (p == NULL)
        return heap_malloc(user, n);
    old = *(size_t *)((char *)p - BLOCK_HEADER);
    q = heap_malloc(user, n);
    if (q == NULL)
        return NULL; /* p stays valid, as realloc leaves it */
    memcpy(q, p, Min(old, n));
    heap_free(user, p);
    return q;
}

/* Runs when the handle's context is reset or deleted: on success, on
 * error and on cancel alike. */
static void free_on_reset(void *arg)
{
    heap *hp = arg;
    servgap_ctx *ctx = hp->handle.ctx;

    hp->handle.ctx = NULL;
    servgap_ctx_free(ctx);
}

pgsg_handle *pgsg_handle_new(MemoryContext parent, const char *name)
{
    MemoryContext mcxt = AllocSetContextCreate(parent, "servgap handle", ALLOCSET_DEFAULT_SIZES);
    heap *hp = MemoryContextAllocZero(mcxt, sizeof *hp);
    servgap_allocator a = {sizeof a, heap_malloc, heap_realloc, heap_free, hp};
    int rc;

    MemoryContextSetIdentifier(mcxt, name);
    hp->handle.mcxt = mcxt;
    rc = servgap_ctx_new(&hp->handle.ctx, &a);
    if (rc != SERVGAP_OK) {
        MemoryContextDelete(mcxt);
        ereport(ERROR,
                (errcode(ERRCODE_OUT_OF_MEMORY),
                 errmsg("servgap: cannot create a libservgap handle: %s", servgap_strerror(rc))));
    }
    hp->on_reset.func = free_on_reset;
    hp->on_reset.arg = hp;
    MemoryContextRegisterResetCallback(mcxt, &hp->on_reset);
    /* The setting's check already refused what the library would. */
    rc = servgap_ctx_set_option(hp->handle.ctx, SERVGAP_OPT_NEGATIVE_SHARE, pgsg_negative_share);
    if (rc != SERVGAP_OK) {
        MemoryContextDelete(mcxt);
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("servgap: servgap.negative_share %g: %s", pgsg_negative_share,
                               servgap_strerror(rc))));
    }
    return &hp->handle;
}

void pgsg_handle_free(pgsg_handle *h)
{
    if (h != NULL)
        MemoryContextDelete(h->mcxt);
}

static void free_result(void *arg)
{
    servgap_result_free(arg);
}

void pgsg_handle_keep_result(pgsg_handle *h, servgap_result *r)
{
    MemoryContextCallback *cb = MemoryContextAlloc(h->mcxt, sizeof *cb);

    cb->func = free_result;
    cb->arg = r;
    MemoryContextRegisterResetCallback(h->mcxt, cb);
}
