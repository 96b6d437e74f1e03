/*
 * rows -- the public structs from the stored rows.
 */
#include "rows.h"

#include <string.h>

void servgap__cell_unpack(const servgap__cellrec *c, servgap_cell *out)
{
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->scope_kind = c->scope_kind;
    out->scope_id = c->scope_id;
    out->touchpoint = c->touchpoint;
    out->metric = c->metric;
    out->dimension = c->dimension;
    out->classification = c->classification;
    out->class_span = c->class_span;
    out->class_normalized = c->class_normalized;
    out->span = c->span;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        out->n[v] = c->n[v];
        out->mean[v] = c->mean[v];
        out->sd[v] = c->sd[v];
        out->negative[v] = c->negative[v];
        out->source[v] = c->source[v];
    }
    out->pairs = c->pairs;
    out->pe_correlation = c->pe_correlation;
}

void servgap__gap_unpack(const servgap__gaprec *g, int32_t gap, double span, servgap_gap *out)
{
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->gap = gap;
    out->status = g->status;
    out->span = g->span;
    out->flags = g->flags;
    out->value = g->value;
    out->normalized = g->value / span;
    out->lo = servgap__gap_lo(g);
    out->hi = servgap__gap_hi(g);
    out->df = g->df;
    out->n_up = g->n_up;
    out->n_down = g->n_down;
}
