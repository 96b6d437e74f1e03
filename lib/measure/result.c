/*
 * result -- storage and the public accessors. Accessors copy rows out
 * through the caller's sized structs and never change the result, so any
 * number of threads may read one result.
 */
#include "../base/platform.h"

#include "result.h"

#include <math.h>
#include <string.h>

#include "../model/sized.h"

servgap_result *servgap__result_new(const servgap__alloc *a, int64_t from, int64_t to)
{
    servgap_result *r = servgap__calloc(a, 1, sizeof *r);
    if (r) {
        r->alloc = *a;
        r->from = from;
        r->to = to;
        r->now = to;
        r->survey_from = from;
        r->auc = NAN;
    }
    return r;
}

/* Append one zeroed element to *arr, NULL on failure. */
static void *add_row(const servgap__alloc *a, void **arr, size_t *n, size_t *cap, size_t size)
{
    if (servgap__reserve(a, arr, cap, *n + 1, size) != 0)
        return NULL;
    unsigned char *row = (unsigned char *)*arr + *n * size;
    memset(row, 0, size);
    ++*n;
    return row;
}

/* Capacity for exactly n elements, when that is more than there is; for
 * half as many again when the array had room already: a result recycled
 * window after window (trends, persistence) would otherwise be grown by
 * nearly every window a little larger than the last. */
static int reserve_exact(const servgap__alloc *a, void **arr, size_t *cap, size_t n, size_t size)
{
    if (n == 0 || (n <= *cap && *arr))
        return 0;
    if (*cap > 0 && n <= SIZE_MAX / 3)
        n += n / 2;
    if (servgap__resize(a, arr, n, size) != 0)
        return -1;
    *cap = n;
    return 0;
}

int servgap__result_reserve(servgap_result *r, size_t cells, size_t sq, size_t bd)
{
    void *c = r->cells, *q = r->sq, *b = r->bd, *g = r->gn, *v = r->vn, *d = r->dn;
    int rc = reserve_exact(&r->alloc, &c, &r->capcells, cells, sizeof *r->cells);
    r->cells = c;
    /* Room for every viewpoint, gap and declared viewpoint to have
     * numbers: pages never written cost nothing. */
    if (rc == 0 && (cells > SIZE_MAX / SERVGAP_VP_COUNT || cells > SIZE_MAX / SERVGAP_GAP_COUNT))
        rc = -1;
    if (rc == 0)
        rc = reserve_exact(&r->alloc, &v, &r->capvn, cells * SERVGAP_VP_COUNT, sizeof *r->vn);
    r->vn = v;
    if (rc == 0)
        rc = reserve_exact(&r->alloc, &g, &r->capgn, cells * SERVGAP_GAP_COUNT, sizeof *r->gn);
    r->gn = g;
    if (rc == 0)
        rc = reserve_exact(&r->alloc, &d, &r->capdn, cells * 2, sizeof *r->dn);
    r->dn = d;
    if (rc == 0)
        rc = reserve_exact(&r->alloc, &q, &r->capsq, sq, sizeof *r->sq);
    r->sq = q;
    if (rc == 0)
        rc = reserve_exact(&r->alloc, &b, &r->capbd, bd, sizeof *r->bd);
    r->bd = b;
    return rc;
}

/* Copy n elements of src after the *len of *dst; 0 or -1. */
static int append(const servgap__alloc *a, void **dst, size_t *len, size_t *cap, const void *src,
                  size_t n, size_t size)
{
    if (n == 0)
        return 0;
    if (servgap__reserve(a, dst, cap, *len + n, size) != 0)
        return -1;
    memcpy((unsigned char *)*dst + *len * size, src, n * size);
    *len += n;
    return 0;
}

void servgap__result_lend(servgap_result *part, const servgap_result *r, size_t at, size_t cells)
{
    part->cells = r->cells + at;
    part->capcells = cells;
    part->vn = r->vn + at * SERVGAP_VP_COUNT;
    part->capvn = cells * SERVGAP_VP_COUNT;
    part->gn = r->gn + at * SERVGAP_GAP_COUNT;
    part->capgn = cells * SERVGAP_GAP_COUNT;
    part->dn = r->dn + at * 2;
    part->capdn = cells * 2;
}

void servgap__result_unlend(servgap_result *part)
{
    part->cells = NULL;
    part->vn = NULL;
    part->gn = NULL;
    part->dn = NULL;
    part->ncells = part->capcells = part->nvn = part->capvn = 0;
    part->ngn = part->capgn = part->ndn = part->capdn = 0;
}

/* part's cells, lent r's tables from cell at, moved to follow r's own
 * (a part that made fewer cells than it had room for leaves a gap), their
 * numbers' places made r's. */
static void join_cells(servgap_result *r, const servgap_result *part, size_t at)
{
    size_t c0 = r->ncells, v0 = at * SERVGAP_VP_COUNT, g0 = at * SERVGAP_GAP_COUNT, d0 = at * 2;
    if (c0 != at)
        memmove(r->cells + c0, r->cells + at, part->ncells * sizeof *r->cells);
    for (size_t i = c0; i < c0 + part->ncells; i++) {
        r->cells[i].c.vfirst += (uint32_t)v0;
        r->cells[i].c.dfirst += (uint32_t)d0;
        r->cells[i].gc.first += g0;
    }
    r->ncells += part->ncells;
    r->nvn = v0 + part->nvn;
    r->ngn = g0 + part->ngn;
    r->ndn = d0 + part->ndn;
}

int servgap__result_join(servgap_result *r, servgap_result *part, size_t at)
{
    size_t c0 = r->ncells, b0 = r->nbd;
    join_cells(r, part, at);
    void *q = r->sq, *b = r->bd;
    int rc = append(&r->alloc, &q, &r->nsq, &r->capsq, part->sq, part->nsq, sizeof *r->sq);
    r->sq = q;
    if (rc == 0)
        rc = append(&r->alloc, &b, &r->nbd, &r->capbd, part->bd, part->nbd, sizeof *r->bd);
    r->bd = b;
    for (size_t i = b0; rc == 0 && i < r->nbd; i++)
        r->bd[i].cell += c0;
    servgap__result_unlend(part);
    return rc;
}

/* Give back capacity beyond n elements; a failure keeps the larger block. */
static void trim(const servgap__alloc *a, void **arr, size_t *cap, size_t n, size_t size)
{
    if (n == 0 || *cap <= n || servgap__resize(a, arr, n, size) != 0)
        return;
    *cap = n;
}

void servgap__result_trim(servgap_result *r)
{
    void *v = r->vn, *g = r->gn, *b = r->bd, *d = r->dn;
    trim(&r->alloc, &v, &r->capvn, r->nvn, sizeof *r->vn);
    trim(&r->alloc, &d, &r->capdn, r->ndn, sizeof *r->dn);
    r->dn = d;
    trim(&r->alloc, &g, &r->capgn, r->ngn, sizeof *r->gn);
    trim(&r->alloc, &b, &r->capbd, r->nbd, sizeof *r->bd);
    r->vn = v;
    r->gn = g;
    r->bd = b;
}

void servgap__result_reset(servgap_result *r, int64_t from, int64_t to)
{
    r->from = r->survey_from = from;
    r->to = r->now = to;
    r->ncells = r->nvn = r->ngn = r->nsq = r->nbd = r->ndn = 0;
}

servgap__cellrow *servgap__result_add_cell(servgap_result *r)
{
    /* Only the cell is zeroed: every writer of a row sets its gaps. */
    void *p = r->cells;
    if (servgap__reserve(&r->alloc, &p, &r->capcells, r->ncells + 1, sizeof *r->cells) != 0)
        return NULL;
    r->cells = p;
    servgap__cellrow *row = &r->cells[r->ncells++];
    memset(&row->c, 0, sizeof row->c);
    return row;
}

/* The days of row's declared viewpoints with columns, after its columns
 * are packed. */
static void set_declnums(servgap_result *r, servgap__cellrow *row, const servgap__declnum *days)
{
    row->c.dfirst = (uint32_t)r->ndn;
    static const int declared[2] = {SERVGAP_VP_STANDARD, SERVGAP_VP_PROMISED};
    for (int k = 0; k < 2; k++)
        if (row->c.vstored >> declared[k] & 1u)
            r->dn[r->ndn++] = days[k];
}

int servgap__result_set_cell(servgap_result *r, servgap__cellrow *row, const servgap__vpcols *cols,
                             const servgap__declnum *days, const servgap__gaprec *g)
{
    void *v = r->vn, *p = r->gn, *d = r->dn;
    /* A row indexes vn and dn with 32 bits (rows.h). */
    if (r->nvn > UINT32_MAX - SERVGAP_VP_COUNT || r->ndn > UINT32_MAX - 2)
        return -1;
    if (servgap__reserve(&r->alloc, &v, &r->capvn, r->nvn + SERVGAP_VP_COUNT, sizeof *r->vn) != 0)
        return -1;
    r->vn = v;
    if (servgap__reserve(&r->alloc, &p, &r->capgn, r->ngn + SERVGAP_GAP_COUNT, sizeof *r->gn) != 0)
        return -1;
    r->gn = p;
    if (servgap__reserve(&r->alloc, &d, &r->capdn, r->ndn + 2, sizeof *r->dn) != 0)
        return -1;
    r->dn = d;
    row->c.vfirst = (uint32_t)r->nvn;
    r->nvn += servgap__vpcols_pack(cols, &row->c, r->vn + r->nvn);
    static const servgap__declnum none[2] = {{0, 0}, {0, 0}};
    set_declnums(r, row, days ? days : none);
    row->gc.first = r->ngn;
    r->ngn += servgap__gaps_pack(g, &row->gc, r->gn + r->ngn);
    return 0;
}

int servgap__cell_declnum(const servgap_result *r, const servgap__cellrec *c, int v,
                          servgap__declnum *out)
{
    if (!(c->vstored >> v & 1u))
        return 0;
    int before = v == SERVGAP_VP_PROMISED && (c->vstored >> SERVGAP_VP_STANDARD & 1u);
    *out = r->dn[c->dfirst + (uint32_t)before];
    return 1;
}

void servgap__result_cell_unpack(const servgap_result *r, size_t i, servgap_cell *out)
{
    servgap__readspan rs = {r->from, r->to, r->survey_from, r->declarations_in_window};
    servgap__cell_unpack(&r->cells[i].c, r->vn, r->dn, &rs, out);
}

servgap_servqual *servgap__result_add_servqual(servgap_result *r)
{
    void *p = r->sq;
    servgap_servqual *row = add_row(&r->alloc, &p, &r->nsq, &r->capsq, sizeof *row);
    r->sq = p;
    return row;
}

servgap__bdrec *servgap__result_add_breakdown(servgap_result *r)
{
    void *p = r->bd;
    servgap__bdrec *row = add_row(&r->alloc, &p, &r->nbd, &r->capbd, sizeof *row);
    r->bd = p;
    return row;
}

servgap_ipa *servgap__result_add_ipa(servgap_result *r)
{
    void *p = r->ipa;
    servgap_ipa *row = add_row(&r->alloc, &p, &r->nipa, &r->capipa, sizeof *row);
    r->ipa = p;
    return row;
}

servgap_trend *servgap__result_add_trends(servgap_result *r, size_t n)
{
    void *p = r->trend;
    if (n > SIZE_MAX - r->ntrend ||
        servgap__reserve(&r->alloc, &p, &r->captrend, r->ntrend + n, sizeof *r->trend) != 0)
        return NULL;
    r->trend = p;
    servgap_trend *first = &r->trend[r->ntrend];
    memset(first, 0, n * sizeof *first);
    r->ntrend += n;
    return first;
}

servgap_risk *servgap__result_add_risk(servgap_result *r)
{
    void *p = r->risk;
    servgap_risk *row = add_row(&r->alloc, &p, &r->nrisk, &r->caprisk, sizeof *row);
    r->risk = p;
    return row;
}

servgap_finding *servgap__result_add_finding(servgap_result *r, const int32_t *acc, size_t n)
{
    const servgap__alloc *a = &r->alloc;
    void *first = r->fd_first, *ids = r->fd_acc;
    if (servgap__reserve(a, &first, &r->capfd_first, r->nfd + 1, sizeof *r->fd_first) != 0)
        return NULL;
    r->fd_first = first;
    if (servgap__reserve(a, &ids, &r->capfd_acc, r->nfd_acc + n, sizeof *r->fd_acc) != 0)
        return NULL;
    r->fd_acc = ids;
    void *p = r->fd;
    servgap_finding *row = add_row(a, &p, &r->nfd, &r->capfd, sizeof *row);
    r->fd = p;
    if (!row)
        return NULL;
    r->fd_first[r->nfd - 1] = r->nfd_acc;
    if (n)
        memcpy(r->fd_acc + r->nfd_acc, acc, n * sizeof *acc);
    r->nfd_acc += n;
    row->affected_accounts = (int64_t)n;
    return row;
}

servgap_trigger *servgap__result_add_trigger(servgap_result *r, const char *detail)
{
    const servgap__alloc *a = &r->alloc;
    size_t len = strlen(detail) + 1;
    void *off = r->tr_detail, *text = r->text;
    if (servgap__reserve(a, &off, &r->captr_detail, r->ntr + 1, sizeof *r->tr_detail) != 0)
        return NULL;
    r->tr_detail = off;
    if (servgap__reserve(a, &text, &r->captext, r->ntext + len, 1) != 0)
        return NULL;
    r->text = text;
    void *p = r->tr;
    servgap_trigger *row = add_row(a, &p, &r->ntr, &r->captr, sizeof *row);
    r->tr = p;
    if (!row)
        return NULL;
    r->tr_detail[r->ntr - 1] = r->ntext;
    memcpy(r->text + r->ntext, detail, len);
    r->ntext += len;
    return row;
}

SERVGAP_API void servgap_result_free(servgap_result *r)
{
    if (!r)
        return;
    servgap__alloc a = r->alloc;
    servgap__free(&a, r->cells);
    servgap__free(&a, r->vn);
    servgap__free(&a, r->dn);
    servgap__free(&a, r->gn);
    servgap__free(&a, r->sq);
    servgap__free(&a, r->bd);
    servgap__free(&a, r->fd);
    servgap__free(&a, r->fd_first);
    servgap__free(&a, r->fd_acc);
    servgap__free(&a, r->ipa);
    servgap__free(&a, r->tr);
    servgap__free(&a, r->tr_detail);
    servgap__free(&a, r->text);
    servgap__free(&a, r->risk);
    servgap__free(&a, r->trend);
    servgap__free(&a, r->plan);
    servgap__free(&a, r->pl_owner);
    servgap__free(&a, r);
}

SERVGAP_API size_t servgap_result_count(const servgap_result *r, int32_t table)
{
    if (!r)
        return 0;
    switch (table) {
    case SERVGAP_TABLE_CELLS:
        return r->ncells;
    case SERVGAP_TABLE_SERVQUAL:
        return r->nsq;
    case SERVGAP_TABLE_BREAKDOWN:
        return r->nbd;
    case SERVGAP_TABLE_FINDINGS:
        return r->nfd;
    case SERVGAP_TABLE_IPA:
        return r->nipa;
    case SERVGAP_TABLE_TRIGGERS:
        return r->ntr;
    case SERVGAP_TABLE_RISK:
        return r->nrisk;
    case SERVGAP_TABLE_TRENDS:
        return r->ntrend;
    case SERVGAP_TABLE_PLANS:
        return r->nplan;
    default:
        return 0;
    }
}

SERVGAP_API int servgap_result_cell(const servgap_result *r, size_t i, servgap_cell *out)
{
    if (!r)
        return SERVGAP_EMISUSE;
    if (i >= r->ncells)
        return out ? SERVGAP_ERANGE : SERVGAP_EMISUSE;
    servgap_cell c;
    servgap__result_cell_unpack(r, i, &c);
    return servgap__sized_out(out, &c, sizeof c, SERVGAP__SIZE_1_0_CELL);
}

SERVGAP_API int servgap_result_gap(const servgap_result *r, size_t i, int32_t gap, servgap_gap *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->ncells)
        return SERVGAP_ERANGE;
    if (gap < 0 || gap >= SERVGAP_GAP_COUNT)
        return SERVGAP_EINVAL;
    servgap__gaprec x;
    servgap__cellrow_gap(r, &r->cells[i], gap, &x);
    servgap_gap g;
    servgap__gap_unpack(&x, gap, r->cells[i].c.span, &g);
    return servgap__sized_out(out, &g, sizeof g, SERVGAP__SIZE_1_0_GAP);
}

SERVGAP_API int servgap_result_servqual(const servgap_result *r, size_t i, servgap_servqual *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nsq)
        return SERVGAP_ERANGE;
    return servgap__sized_out(out, &r->sq[i], sizeof r->sq[i], SERVGAP__SIZE_1_0_SERVQUAL);
}

SERVGAP_API int servgap_result_breakdown(const servgap_result *r, size_t i, servgap_breakdown *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nbd)
        return SERVGAP_ERANGE;
    servgap_breakdown b;
    servgap__bd_unpack(&r->bd[i], r->cells[r->bd[i].cell].c.span, &b);
    return servgap__sized_out(out, &b, sizeof b, SERVGAP__SIZE_1_0_BREAKDOWN);
}

SERVGAP_API int servgap_result_finding(const servgap_result *r, size_t i, servgap_finding *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nfd)
        return SERVGAP_ERANGE;
    return servgap__sized_out(out, &r->fd[i], sizeof r->fd[i], SERVGAP__SIZE_1_0_FINDING);
}

SERVGAP_API int servgap_result_finding_accounts(const servgap_result *r, size_t i, int32_t *ids,
                                                size_t cap, size_t *n)
{
    if (!r || !n || (!ids && cap))
        return SERVGAP_EMISUSE;
    if (i >= r->nfd)
        return SERVGAP_ERANGE;
    size_t k = (size_t)r->fd[i].affected_accounts;
    if (cap)
        memcpy(ids, r->fd_acc + r->fd_first[i], (k < cap ? k : cap) * sizeof *ids);
    *n = k;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_result_ipa(const servgap_result *r, size_t i, servgap_ipa *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nipa)
        return SERVGAP_ERANGE;
    return servgap__sized_out(out, &r->ipa[i], sizeof r->ipa[i], SERVGAP__SIZE_1_0_IPA);
}

SERVGAP_API int servgap_result_trigger(const servgap_result *r, size_t i, servgap_trigger *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->ntr)
        return SERVGAP_ERANGE;
    servgap_trigger t = r->tr[i];
    t.detail = r->text + r->tr_detail[i];
    return servgap__sized_out(out, &t, sizeof t, SERVGAP__SIZE_1_0_TRIGGER);
}

SERVGAP_API int servgap_result_trend(const servgap_result *r, size_t i, servgap_trend *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->ntrend)
        return SERVGAP_ERANGE;
    return servgap__sized_out(out, &r->trend[i], sizeof r->trend[i], SERVGAP__SIZE_1_2_TREND);
}

SERVGAP_API int servgap_result_risk(const servgap_result *r, size_t i, servgap_risk *out)
{
    if (!r || !out)
        return SERVGAP_EMISUSE;
    if (i >= r->nrisk)
        return SERVGAP_ERANGE;
    return servgap__sized_out(out, &r->risk[i], sizeof r->risk[i], SERVGAP__SIZE_1_0_RISK);
}

SERVGAP_API int servgap_result_risk_auc(const servgap_result *r, double *auc, int64_t *churned,
                                        int64_t *retained)
{
    if (!r || !auc || !churned || !retained)
        return SERVGAP_EMISUSE;
    *auc = r->auc;
    *churned = r->churned;
    *retained = r->retained;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_result_now(const servgap_result *r, int64_t *now)
{
    if (!r || !now)
        return SERVGAP_EMISUSE;
    *now = r->now;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_result_window(const servgap_result *r, int64_t *from, int64_t *to)
{
    if (!r || !from || !to)
        return SERVGAP_EMISUSE;
    *from = r->from;
    *to = r->to;
    return SERVGAP_OK;
}

/* The documented order of cells as a tuple of comparable numbers. */
void servgap__cell_order(int32_t kind, int32_t id, int32_t tp, int32_t metric, int32_t dim,
                         int64_t k[4])
{
    k[0] = kind == SERVGAP_SCOPE_TIER ? 0 : 1;
    k[1] = id;
    k[2] = tp == SERVGAP_ALL ? INT64_MAX : tp;
    k[3] = metric == SERVGAP_ALL ? (int64_t)1 << 40 | dim : metric;
}

int servgap__cell_order_cmp(const int64_t a[4], const int64_t b[4])
{
    for (int i = 0; i < 4; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

int servgap__result_find_in(const servgap_result *r, size_t lo, size_t hi, int32_t scope_kind,
                            int32_t scope_id, int32_t touchpoint, int32_t metric, int32_t dimension,
                            size_t *index)
{
    int64_t want[4], have[4];
    servgap__cell_order(scope_kind, scope_id, touchpoint, metric, dimension, want);
    size_t end = hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const servgap__cellrec *c = &r->cells[mid].c;
        servgap__cell_order(c->scope_kind, c->scope_id, c->touchpoint, c->metric, c->dimension,
                            have);
        if (servgap__cell_order_cmp(have, want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < end) {
        const servgap__cellrec *c = &r->cells[lo].c;
        servgap__cell_order(c->scope_kind, c->scope_id, c->touchpoint, c->metric, c->dimension,
                            have);
        if (servgap__cell_order_cmp(have, want) == 0) {
            *index = lo;
            return SERVGAP_OK;
        }
    }
    return SERVGAP_ENOTFOUND;
}

SERVGAP_API int servgap_result_find(const servgap_result *r, int32_t scope_kind, int32_t scope_id,
                                    int32_t touchpoint, int32_t metric, int32_t dimension,
                                    size_t *index)
{
    if (!r || !index)
        return SERVGAP_EMISUSE;
    if (scope_kind != SERVGAP_SCOPE_TIER && scope_kind != SERVGAP_SCOPE_ACCOUNT)
        return SERVGAP_ENOTFOUND;
    return servgap__result_find_in(r, 0, r->ncells, scope_kind, scope_id, touchpoint, metric,
                                   dimension, index);
}
