/*
 * result -- the immutable object a query returns: cells with their gaps,
 * SERVQUAL rows and breakdown rows, in the documented order. It owns its
 * memory through a copy of the allocator and never refers to the handle.
 * Relies on alloc and the public record structs.
 */
#ifndef SERVGAP_RESULT_H
#define SERVGAP_RESULT_H

#include "alloc.h"
#include "servgap.h"

/* Internal row flag: the row's gap has a standard error (see se). */
typedef struct servgap__cellrow {
    servgap_cell c;
    servgap_gap g[SERVGAP_GAP_COUNT];
    double se[SERVGAP_GAP_COUNT]; /* standard errors, for roll-ups */
} servgap__cellrow;

struct servgap_result {
    servgap__alloc alloc;
    int64_t from, to;
    servgap__cellrow *cells;
    size_t ncells, capcells;
    servgap_servqual *sq;
    size_t nsq, capsq;
    servgap_breakdown *bd;
    size_t nbd, capbd;
};

/* A new empty result; NULL on failure. */
servgap_result *servgap__result_new(const servgap__alloc *a, int64_t from, int64_t to);

/* Append a zeroed row and return it, or NULL when memory ran out. */
servgap__cellrow *servgap__result_add_cell(servgap_result *r);
servgap_servqual *servgap__result_add_servqual(servgap_result *r);
servgap_breakdown *servgap__result_add_breakdown(servgap_result *r);

#endif
