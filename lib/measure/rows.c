/*
 * rows -- the public structs from the stored rows.
 */
#include "../base/platform.h"

#include "rows.h"

#include <math.h>
#include <string.h>

/* Set bits of a byte, portably. */
static unsigned count_bits(unsigned x)
{
    x = x - ((x >> 1) & 0x55u);
    x = (x & 0x33u) + ((x >> 2) & 0x33u);
    return (x + (x >> 4)) & 0x0fu;
}

/* An empty gap has exactly the bits servgap__gaps_cell and the roll-ups
 * give it (NAN, zero counts), so that it can be rebuilt bit for bit. */
static int same_bits(double x, double y)
{
    uint64_t a, b;
    memcpy(&a, &x, sizeof a);
    memcpy(&b, &y, sizeof b);
    return a == b;
}

static int is_empty(const servgap__gaprec *g)
{
    return g->n_up == 0 && g->n_down == 0 && same_bits(g->value, NAN) && same_bits(g->h, NAN) &&
           same_bits(g->df, NAN) && same_bits(g->se, NAN);
}

size_t servgap__gaps_pack(const servgap__gaprec *g, servgap__gapcodes *gc, servgap__gapnum *nums)
{
    size_t k = 0;
    gc->stored = 0;
    for (int i = 0; i < SERVGAP_GAP_COUNT; i++) {
        gc->status[i] = g[i].status;
        gc->span[i] = g[i].span;
        gc->flags[i] = g[i].flags;
        if (is_empty(&g[i]))
            continue;
        gc->stored |= (uint8_t)(1u << i);
        servgap__gapnum x = {g[i].value, g[i].h, g[i].df, g[i].se, g[i].n_up, g[i].n_down};
        nums[k++] = x;
    }
    return k;
}

static void get_one(const servgap__gapcodes *gc, const servgap__gapnum *x, int g,
                    servgap__gaprec *out)
{
    out->status = gc->status[g];
    out->span = gc->span[g];
    out->flags = gc->flags[g];
    if (!x) {
        out->value = out->h = out->df = out->se = NAN;
        out->n_up = out->n_down = 0;
        return;
    }
    out->value = x->value;
    out->h = x->h;
    out->df = x->df;
    out->se = x->se;
    out->n_up = x->n_up;
    out->n_down = x->n_down;
}

void servgap__gaprec_all(const servgap__gapcodes *gc, const servgap__gapnum *nums,
                         servgap__gaprec *out)
{
    const servgap__gapnum *x = nums + gc->first;
    for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
        get_one(gc, gc->stored >> g & 1u ? x++ : NULL, g, &out[g]);
}

void servgap__gaprec_one(const servgap__gapcodes *gc, const servgap__gapnum *nums, int g,
                         servgap__gaprec *out)
{
    unsigned bit = 1u << g;
    const servgap__gapnum *x = nums + gc->first + count_bits(gc->stored & (bit - 1u));
    get_one(gc, gc->stored & bit ? x : NULL, g, out);
}

/* An empty viewpoint has exactly the columns choose() and the roll-ups
 * give one without observations. */
static int vp_empty(const servgap__vpcols *x, int v)
{
    return x->n[v] == 0 && x->negative[v] == 0 && same_bits(x->mean[v], NAN) &&
           same_bits(x->sd[v], NAN);
}

size_t servgap__vpcols_pack(const servgap__vpcols *cols, servgap__cellrec *c, servgap__vpnum *nums)
{
    size_t k = 0;
    c->vstored = 0;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        if (vp_empty(cols, v))
            continue;
        c->vstored |= (uint8_t)(1u << v);
        servgap__vpnum x = {cols->n[v], cols->negative[v], cols->mean[v], cols->sd[v]};
        nums[k++] = x;
    }
    return k;
}

static void vp_one(const servgap__vpnum *x, int v, servgap__vpcols *out)
{
    out->n[v] = x ? x->n : 0;
    out->negative[v] = x ? x->negative : 0;
    out->mean[v] = x ? x->mean : NAN;
    out->sd[v] = x ? x->sd : NAN;
}

void servgap__vpcols_all(const servgap__cellrec *c, const servgap__vpnum *nums,
                         servgap__vpcols *out)
{
    const servgap__vpnum *x = nums + c->vfirst;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        vp_one(c->vstored >> v & 1u ? x++ : NULL, v, out);
}

void servgap__vpnum_one(const servgap__cellrec *c, const servgap__vpnum *nums, int v,
                        servgap__vpnum *out)
{
    unsigned bit = 1u << v;
    if (!(c->vstored & bit)) {
        servgap__vpnum none = {0, 0, NAN, NAN};
        *out = none;
        return;
    }
    *out = nums[c->vfirst + count_bits(c->vstored & (bit - 1u))];
}

/* What viewpoint v of a cell read (servgap_cell.read_from, _to,
 * declared); *d walks the cell's declaration days. */
static void read_range(const servgap__cellrec *c, int v, const servgap__declnum **d,
                       const servgap__readspan *rs, servgap_cell *out)
{
    out->declared[v] = SERVGAP_TIME_NONE;
    if (!(c->vstored >> v & 1u)) {
        out->read_from[v] = out->read_to[v] = SERVGAP_TIME_NONE;
        return;
    }
    int declared = v == SERVGAP_VP_STANDARD || v == SERVGAP_VP_PROMISED;
    int survey = v == SERVGAP_VP_EXPECTED || v == SERVGAP_VP_ADEQUATE || v == SERVGAP_VP_BELIEVED;
    out->read_to[v] = rs->to;
    if (declared && !rs->declarations_in_window) {
        out->read_from[v] = (int64_t)(*d)->first_day * SERVGAP_DAY;
        out->declared[v] = (int64_t)(*d)->last_day * SERVGAP_DAY;
        (*d)++;
    } else {
        out->read_from[v] = survey ? rs->survey_from : rs->from;
    }
}

void servgap__cell_unpack(const servgap__cellrec *c, const servgap__vpnum *nums,
                          const servgap__declnum *days, const servgap__readspan *rs,
                          servgap_cell *out)
{
    servgap__vpcols cols;
    servgap__vpcols_all(c, nums, &cols);
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
    const servgap__declnum *d = days + c->dfirst;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        out->n[v] = cols.n[v];
        out->mean[v] = cols.mean[v];
        out->sd[v] = cols.sd[v];
        out->negative[v] = cols.negative[v];
        out->source[v] = c->source[v];
        read_range(c, v, &d, rs, out);
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

void servgap__bd_unpack(const servgap__bdrec *b, double span, servgap_breakdown *out)
{
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->facet = b->facet;
    out->facet_id = b->facet_id;
    out->viewpoint = b->viewpoint;
    out->gap = b->gap;
    out->status = b->status;
    out->flags = b->flags;
    out->cell = b->cell;
    out->n = b->n;
    out->mean = b->mean;
    out->value = b->value;
    out->normalized = b->value / span;
    out->lo = b->value - b->h;
    out->hi = b->value + b->h;
    out->df = b->df;
}
