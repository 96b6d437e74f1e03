/*
 * rows -- the stored forms of a result's cell, gap and breakdown rows. A
 * whole-year query holds millions of cells, and the kernel's cost of
 * handing out the fresh pages they fill is a third of its time, so a row
 * keeps only what cannot be derived: no size words or reserved fields,
 * codes in bytes, an interval as its half-width, a normalized value as the
 * cell's span, and an empty gap as its codes alone. The unpack functions
 * give the public structs back exactly. Relies on the public record
 * structs only.
 */
#ifndef SERVGAP_ROWS_H
#define SERVGAP_ROWS_H

#include "servgap.h"

/* A cell's per-viewpoint columns, as the builders compute and read them. */
typedef struct servgap__vpcols {
    int64_t n[SERVGAP_VP_COUNT];
    int64_t negative[SERVGAP_VP_COUNT];
    double mean[SERVGAP_VP_COUNT];
    double sd[SERVGAP_VP_COUNT];
} servgap__vpcols;

/* One viewpoint's columns as stored: only for a viewpoint with any. Few
 * account cells have every viewpoint (provider ones mostly come from the
 * tier), and an empty one (no observations: mean and sd NaN) takes no
 * room. */
typedef struct servgap__vpnum {
    int64_t n, negative;
    double mean, sd;
} servgap__vpnum;

/* The days of a declared viewpoint (standard, promised) of a cell: of the
 * earliest declaration in force during the window and of the latest. */
typedef struct servgap__declnum {
    int32_t first_day, last_day;
} servgap__declnum;

/* servgap_cell as stored; fields keep the public names and meanings. Its
 * viewpoint columns are in the result's vn from vfirst on, one entry for
 * each bit of vstored, in viewpoint order; the days of its declared
 * viewpoints with columns are in the result's dn from dfirst on, standard
 * before promised. (A result holds fewer than 2^32 of either: that is
 * 128 GB of columns.) */
typedef struct servgap__cellrec {
    double class_normalized;
    double span; /* also every gap's unit: normalized = value / span */
    double pe_correlation;
    int64_t pairs;
    uint32_t vfirst, dfirst;
    int32_t scope_id, touchpoint, metric;
    uint8_t scope_kind, dimension, classification; /* all small and >= 0 */
    uint8_t class_span;
    uint8_t source[SERVGAP_VP_COUNT];
    uint8_t vstored; /* bit v: viewpoint v has columns */
} servgap__cellrec;

/* Store cols: the columns of the viewpoints that are not empty into
 * nums[0 ..), which has room for all, with c->vstored; c->vfirst is the
 * caller's. Returns how many. */
size_t servgap__vpcols_pack(const servgap__vpcols *cols, servgap__cellrec *c, servgap__vpnum *nums);

/* The columns of a cell stored as c, its entries in nums (all of the
 * result's, indexed by c->vfirst): bit for bit what was packed. */
void servgap__vpcols_all(const servgap__cellrec *c, const servgap__vpnum *nums,
                         servgap__vpcols *out);

/* Viewpoint v's columns alone. */
void servgap__vpnum_one(const servgap__cellrec *c, const servgap__vpnum *nums, int v,
                        servgap__vpnum *out);

/* A gap as the builders compute and read it: servgap_gap with the
 * standard error roll-ups and re-measurement read. lo = value - h and hi =
 * value + h: that is how the interval is computed (servgap__interval), so
 * nothing is lost. */
typedef struct servgap__gaprec {
    double value, h, df, se;
    int64_t n_up, n_down;
    uint8_t status, span, flags;
} servgap__gaprec;

/* A gap's numbers as stored: only for a gap that has any. About half the
 * gaps of a whole-year result are empty (no data on a side: value, h, df
 * and se NaN, no counts), and they take no room beyond their codes. */
typedef struct servgap__gapnum {
    double value, h, df, se;
    int64_t n_up, n_down;
} servgap__gapnum;

/* A cell's seven gaps as stored: their codes, and where the numbers of
 * those with any are (in gap order, from first on). */
typedef struct servgap__gapcodes {
    uint64_t first;
    uint8_t status[SERVGAP_GAP_COUNT], span[SERVGAP_GAP_COUNT], flags[SERVGAP_GAP_COUNT];
    uint8_t stored; /* bit g: gap g has numbers */
} servgap__gapcodes;

/* Store g[0 .. SERVGAP_GAP_COUNT): the codes into *gc, whose first is set
 * by the caller, and the numbers of those that are not empty into
 * nums[0 ..), which has room for all of them; returns how many. */
size_t servgap__gaps_pack(const servgap__gaprec *g, servgap__gapcodes *gc, servgap__gapnum *nums);

/* Gap g of a cell stored as gc, its numbers (if any) in nums (all of the
 * result's, indexed by gc->first): bit for bit what was packed. */
void servgap__gaprec_one(const servgap__gapcodes *gc, const servgap__gapnum *nums, int g,
                         servgap__gaprec *out);

/* All seven gaps of a cell stored as gc into out[0 .. SERVGAP_GAP_COUNT):
 * servgap__gaprec_one of each, in one walk of its numbers. */
void servgap__gaprec_all(const servgap__gapcodes *gc, const servgap__gapnum *nums,
                         servgap__gaprec *out);

/* The interval's ends. */
static inline double servgap__gap_lo(const servgap__gaprec *g)
{
    return g->value - g->h;
}
static inline double servgap__gap_hi(const servgap__gaprec *g)
{
    return g->value + g->h;
}

/* servgap_breakdown as stored (64 bytes, the public struct 96). Its gap
 * is derived as a cell's gap is: lo = value - h, hi = value + h
 * (servgap__interval), and normalized = value / span with the cell's span,
 * which is its metric's span. */
typedef struct servgap__bdrec {
    uint64_t cell;
    int64_t n;
    double mean, value, h, df;
    int32_t facet_id;
    uint8_t facet, viewpoint, gap, status, flags;
} servgap__bdrec;

/* The days a window read, which every cell of a result shares: events
 * read [from, to), survey viewpoints [survey_from, to) (UTC seconds,
 * SERVGAP_TIME_MIN / _MAX for unbounded ends). */
typedef struct servgap__readspan {
    int64_t from, to, survey_from;
    int declarations_in_window; /* standard and promised read the window, as events */
} servgap__readspan;

/* The public forms. span is the cell's; gap the gap's SERVGAP_GAP_*. A
 * cell's read ranges come from rs and its declarations' days from
 * days[c->dfirst ..). */
void servgap__cell_unpack(const servgap__cellrec *c, const servgap__vpnum *nums,
                          const servgap__declnum *days, const servgap__readspan *rs,
                          servgap_cell *out);
void servgap__gap_unpack(const servgap__gaprec *g, int32_t gap, double span, servgap_gap *out);
void servgap__bd_unpack(const servgap__bdrec *b, double span, servgap_breakdown *out);

#endif
