/*
 * result -- the immutable object a query returns: cells with their gaps,
 * SERVQUAL rows and breakdown rows, in the documented order. It owns its
 * memory through a copy of the allocator and never refers to the handle.
 * Relies on alloc and rows.
 */
#ifndef SERVGAP_RESULT_H
#define SERVGAP_RESULT_H

#include "../base/alloc.h"
#include "rows.h"

/* A cell with its gaps' codes, stored compactly (rows.h); the columns of
 * its viewpoints that have any are in the result's vn, the numbers of its
 * gaps that have any in gn. */
typedef struct servgap__cellrow {
    servgap__cellrec c;
    servgap__gapcodes gc;
} servgap__cellrow;

struct servgap_result {
    servgap__alloc alloc;
    int64_t from, to, now;
    int64_t survey_from;        /* the survey viewpoints' first second read (reads.h) */
    int level;                  /* SERVGAP_LEVEL_* of its JSON report; 0: full */
    int declarations_in_window; /* standard and promised read like events (reads.h) */
    servgap__cellrow *cells;
    size_t ncells, capcells;
    servgap__vpnum *vn; /* the cells' viewpoint columns, in cell order */
    size_t nvn, capvn;
    servgap__declnum *dn; /* the cells' declaration days, in cell order */
    size_t ndn, capdn;
    servgap__gapnum *gn; /* the cells' gap numbers, in cell order */
    size_t ngn, capgn;
    servgap_servqual *sq;
    size_t nsq, capsq;
    servgap__bdrec *bd; /* bd[i].cell < ncells */
    size_t nbd, capbd;
    /* Findings in rank order; finding i's accounts are
     * fd_acc[fd_first[i] .. fd_first[i] + fd[i].affected_accounts). */
    servgap_finding *fd;
    size_t nfd, capfd;
    uint64_t *fd_first;
    size_t capfd_first;
    int32_t *fd_acc;
    size_t nfd_acc, capfd_acc;
    servgap_ipa *ipa;
    size_t nipa, capipa;
    /* Triggers; detail of trigger i is text + tr_detail[i] (pointers are
     * set when copied out, as text may move while it grows). */
    servgap_trigger *tr;
    size_t ntr, captr;
    size_t *tr_detail;
    size_t captr_detail;
    char *text;
    size_t ntext, captext;
    servgap_trend *trend; /* series by series, oldest window first */
    size_t ntrend, captrend;
    size_t trend_windows; /* rows per series */
    servgap_risk *risk;
    size_t nrisk, caprisk;
    double auc;
    int64_t churned, retained;
    /* Plan rows by plan id (resplans.c); the owner of row i is text +
     * pl_owner[i], set when copied out, as for triggers. */
    servgap_plan_status *plan;
    size_t nplan, capplan;
    size_t *pl_owner;
    size_t cappl_owner;
};

/* A new empty result; NULL on failure. */
servgap_result *servgap__result_new(const servgap__alloc *a, int64_t from, int64_t to);

/* Make room for exactly this many cell, SERVQUAL and breakdown rows in
 * all (more rows still grow the tables); 0, or -1 when memory ran out. */
int servgap__result_reserve(servgap_result *r, size_t cells, size_t sq, size_t bd);

/* Give back what servgap__result_reserve reserved beyond what was used
 * (room for the columns and numbers of viewpoints and gaps that turned
 * out empty, breakdown rows not made): never written, those pages cost no
 * time, but an application's allocator counts them. */
void servgap__result_trim(servgap_result *r);

/* Lend part, an empty result built beside r on another thread, r's
 * tables of cells and of their viewpoint, gap and day numbers from cell
 * at on, room for cells cells (which servgap__result_reserve made in r):
 * part then writes its rows straight into their place in r, where no
 * other part writes, and nothing grows those tables while it does. */
void servgap__result_lend(servgap_result *part, const servgap_result *r, size_t at, size_t cells);

/* Join part, lent r's tables from cell at and built, to r once every part
 * before it is: its cells move to follow r's (the numbers stay where they
 * are; room a part did not use stays unused in r's tables), its SERVQUAL
 * and breakdown rows are appended, and references are made r's. A cell
 * indexes its numbers with 32 bits (rows.h): the caller lends no room
 * past (UINT32_MAX / SERVGAP_VP_COUNT) cells. Takes the lent tables back
 * from part, which the caller still frees. 0, or -1 when memory ran out
 * (r then has some of part's rows: the caller frees it). */
int servgap__result_join(servgap_result *r, servgap_result *part, size_t at);

/* Take back what servgap__result_lend lent part (when it is not joined),
 * so that freeing part leaves r's tables alone. */
void servgap__result_unlend(servgap_result *part);

/* Empty r for a new window [from, to), keeping its tables' memory. */
void servgap__result_reset(servgap_result *r, int64_t from, int64_t to);

/* The documented order of cells (servgap_result_find) as comparable keys,
 * and their comparison (negative, 0, positive). */
void servgap__cell_order(int32_t kind, int32_t id, int32_t tp, int32_t metric, int32_t dim,
                         int64_t k[4]);
int servgap__cell_order_cmp(const int64_t a[4], const int64_t b[4]);

/* servgap_result_find among cells [lo, hi) only (in the documented
 * order, as all of a result's are): SERVGAP_OK or SERVGAP_ENOTFOUND. A
 * caller that knows the run of a scope's cells searches just that. */
int servgap__result_find_in(const servgap_result *r, size_t lo, size_t hi, int32_t scope_kind,
                            int32_t scope_id, int32_t touchpoint, int32_t metric, int32_t dimension,
                            size_t *index);

/* Append a row and return it, or NULL when memory ran out. Its cell is
 * zeroed; its viewpoint columns and gaps are the caller's to set, with
 * servgap__result_set_cell. The other tables' rows come zeroed. */
servgap__cellrow *servgap__result_add_cell(servgap_result *r);

/* Store cols and g[0 .. SERVGAP_GAP_COUNT) as the viewpoint columns and
 * gaps of r's last cell, row, and days[servgap__decl_slot(v)] as the days
 * of each declared viewpoint v that has columns (days may be NULL when
 * none has); 0, or -1 when memory ran out. */
int servgap__result_set_cell(servgap_result *r, servgap__cellrow *row, const servgap__vpcols *cols,
                             const servgap__declnum *days, const servgap__gaprec *g);

/* Cell i of r in its public form. */
void servgap__result_cell_unpack(const servgap_result *r, size_t i, servgap_cell *out);

/* The days of declared viewpoint v of cell c of r; 0 when c has no
 * columns of v. */
int servgap__cell_declnum(const servgap_result *r, const servgap__cellrec *c, int v,
                          servgap__declnum *out);

/* The viewpoint columns of cell c of r. */
static inline void servgap__cell_vps(const servgap_result *r, const servgap__cellrec *c,
                                     servgap__vpcols *out)
{
    servgap__vpcols_all(c, r->vn, out);
}

/* Viewpoint v's observations and mean in cell c of r. */
static inline int64_t servgap__cell_n(const servgap_result *r, const servgap__cellrec *c, int v)
{
    servgap__vpnum x;
    servgap__vpnum_one(c, r->vn, v, &x);
    return x.n;
}
static inline double servgap__cell_mean(const servgap_result *r, const servgap__cellrec *c, int v)
{
    servgap__vpnum x;
    servgap__vpnum_one(c, r->vn, v, &x);
    return x.mean;
}

/* Gap g of the cell row of r. */
static inline void servgap__cellrow_gap(const servgap_result *r, const servgap__cellrow *row, int g,
                                        servgap__gaprec *out)
{
    servgap__gaprec_one(&row->gc, r->gn, g, out);
}

/* All seven gaps of the cell row of r into out[0 .. SERVGAP_GAP_COUNT). */
static inline void servgap__cellrow_all_gaps(const servgap_result *r, const servgap__cellrow *row,
                                             servgap__gaprec *out)
{
    servgap__gaprec_all(&row->gc, r->gn, out);
}

/* Gap g's value (NaN for an empty gap). */
static inline double servgap__cellrow_value(const servgap_result *r, const servgap__cellrow *row,
                                            int g)
{
    servgap__gaprec x;
    servgap__cellrow_gap(r, row, g, &x);
    return x.value;
}

/* Gap g's normalized value, as servgap_result_gap gives it. */
static inline double servgap__cellrow_normalized(const servgap_result *r,
                                                 const servgap__cellrow *row, int g)
{
    return servgap__cellrow_value(r, row, g) / row->c.span;
}

servgap_servqual *servgap__result_add_servqual(servgap_result *r);
servgap__bdrec *servgap__result_add_breakdown(servgap_result *r);
servgap_ipa *servgap__result_add_ipa(servgap_result *r);
servgap_risk *servgap__result_add_risk(servgap_result *r);
/* Room for n more trend rows, appended zeroed: the first of them, or NULL
 * when memory ran out. */
servgap_trend *servgap__result_add_trends(servgap_result *r, size_t n);

/* Append a finding with its n affected accounts (copied); NULL when memory
 * ran out (nothing is then added). */
servgap_finding *servgap__result_add_finding(servgap_result *r, const int32_t *acc, size_t n);

/* Append a trigger whose detail is the NUL-terminated text (copied). */
servgap_trigger *servgap__result_add_trigger(servgap_result *r, const char *detail);

/* Append a plan row whose owner is owner[0 .. len) (copied); NULL when
 * memory ran out (nothing is then added). */
servgap_plan_status *servgap__result_add_plan(servgap_result *r, const char *owner, size_t len);

#endif
