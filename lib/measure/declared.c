/*
 * declared -- the declaration rows dated before a window's end are
 * gathered from the log (declarations are few: SLA tables and contract
 * promises, not tickets), sorted by key, viewpoint, day and log order, and
 * each key's timeline is walked once. Sorting by log order within a day
 * keeps every sum in a fixed order, so results are reproducible bit for
 * bit.
 */
#include "../base/platform.h"

#include "declared.h"

#include <stdlib.h>
#include <string.h>

typedef struct decl_row {
    uint64_t key;
    uint64_t index; /* in the log: the order of a day's values */
    double value;
    int32_t day;
    uint8_t slot; /* servgap__decl_slot */
    uint8_t withdrawn;
} decl_row;

static int is_declaration(uint8_t bits)
{
    return servgap__vp_declared(SERVGAP__BITS_VP(bits));
}

/* The declaration rows with day < end_day into rows (NULL: count only). */
static size_t gather(const servgap__store *st, int64_t end_day, decl_row *rows)
{
    size_t n = 0;
    for (size_t c = 0; c < st->nchunk; c++) {
        const servgap__chunk *k = &st->chunk[c];
        for (size_t i = 0; i < k->n; i++) {
            if (!is_declaration(k->bits[i]) || k->day[i] >= end_day)
                continue;
            if (rows) {
                decl_row *r = &rows[n];
                r->key = servgap__gkey(k->scope[i], k->tp[i], k->metric[i]);
                r->index = (uint64_t)c * SERVGAP__CHUNK_MAX + i;
                r->value = k->value[i];
                r->day = k->day[i];
                r->slot = (uint8_t)servgap__decl_slot(SERVGAP__BITS_VP(k->bits[i]));
                r->withdrawn = SERVGAP__IS_WITHDRAWAL(k->bits[i]);
            }
            n++;
        }
    }
    return n;
}

static int row_order(const void *pa, const void *pb)
{
    const decl_row *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* One key and viewpoint's window, built set by set in day order. */
typedef struct timeline {
    const servgap_ctx *ctx;
    const servgap__reads *rd;
    const double *cut;
    double weighted; /* sum of days x set mean */
    int64_t days;
    size_t sets; /* sets in force during the window */
    servgap__moments single, all;
    servgap__moments last; /* the set in force before the one being added */
    servgap__declared *out;
} timeline;

/* The moments of one day's set rows[0 .. n), or n == 0 moments when the
 * set withdraws the declaration: a withdrawal empties its day's set,
 * whatever else that day declares. */
static void set_moments(const timeline *t, const decl_row *rows, size_t n, servgap__moments *m)
{
    servgap__moments_init(m);
    for (size_t i = 0; i < n; i++)
        if (rows[i].withdrawn)
            return;
    /* The store's metric column is 16 bits; the key keeps it low. */
    size_t metric = (size_t)(rows[0].key & 0xffffu);
    const servgap__metric *def = &t->ctx->metrics.m[metric];
    for (size_t i = 0; i < n; i++) {
        servgap__moments_add(m, rows[i].value);
        if (servgap__orient(def, rows[i].value) < t->cut[metric])
            m->neg++;
    }
}

/* Add the set of day, in force until next_day, as far as the window sees
 * it. */
static void timeline_add(timeline *t, int32_t day, int64_t next_day, const servgap__moments *m)
{
    int64_t start = day > t->rd->from_day ? day : t->rd->from_day;
    int64_t end = next_day < t->rd->end_day ? next_day : t->rd->end_day;
    if (start >= end)
        return;
    if (m->n == 0) {
        t->out->changed |= t->sets > 0; /* withdrawn inside the window */
        return;
    }
    t->out->last_day = day;
    t->days += end - start;
    t->weighted += (double)(end - start) * m->mean;
    /* The same set declared again (an SLA table re-entered every month)
     * changes nothing: it continues the one in force. */
    if (t->sets > 0 && m->n == t->last.n && m->mean == t->last.mean && m->m2 == t->last.m2)
        return;
    t->last = *m;
    if (t->sets++ == 0) {
        t->single = *m;
        t->out->first_day = day;
    } else {
        t->out->changed = 1;
    }
    t->all.n += m->n;
    t->all.m2 += m->m2;
    t->all.neg += m->neg;
}

/* The side's moments: a single set as it is; several as their mean over
 * the days each was in force, with their pooled within-set variance (a
 * replacement is a change of the value, not noise around it). */
static void timeline_finish(timeline *t)
{
    servgap__declared *o = t->out;
    if (t->sets <= 1) {
        o->m = t->single;
        return;
    }
    o->m.n = t->all.n;
    o->m.mean = t->weighted / (double)t->days;
    o->m.neg = t->all.neg;
    int64_t within = t->all.n - (int64_t)t->sets;
    o->m.m2 = within > 0 ? t->all.m2 * (double)(t->all.n - 1) / (double)within : 0.0;
}

/* Walk the rows[0 .. n) of one key and viewpoint; 1 when a set was in
 * force during the window (*out is then filled). */
static int resolve_key(const servgap_ctx *ctx, const servgap__reads *rd, const double *cut,
                       const decl_row *rows, size_t n, servgap__declared *out)
{
    timeline t = {ctx, rd, cut, 0.0, 0, 0, {0, 0.0, 0.0, 0}, {0, 0.0, 0.0, 0}, {0, 0.0, 0.0, 0},
                  out};
    memset(out, 0, sizeof *out);
    out->key = rows[0].key;
    out->vp = rows[0].slot ? SERVGAP_VP_PROMISED : SERVGAP_VP_STANDARD;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && rows[j].day == rows[i].day; j++)
            ;
        servgap__moments m;
        set_moments(&t, rows + i, j - i, &m);
        timeline_add(&t, rows[i].day, j < n ? rows[j].day : INT64_MAX, &m);
    }
    if (t.sets == 0)
        return 0;
    timeline_finish(&t);
    return 1;
}

static void resolve_all(const servgap_ctx *ctx, const servgap__reads *rd, const double *cut,
                        const decl_row *rows, size_t n, servgap__declset *out)
{
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && rows[j].key == rows[i].key && rows[j].slot == rows[i].slot; j++)
            ;
        out->n += (size_t)resolve_key(ctx, rd, cut, rows + i, j - i, &out->d[out->n]);
    }
}

int servgap__declared_window(const servgap_ctx *ctx, const servgap__reads *rd, const double *cut,
                             servgap__declset *out)
{
    out->a = &ctx->alloc;
    out->d = NULL;
    out->n = 0;
    size_t n = gather(&ctx->store, rd->end_day, NULL);
    if (n == 0)
        return 0;
    decl_row *rows = servgap__malloc(&ctx->alloc, n, sizeof *rows);
    out->d = servgap__malloc(&ctx->alloc, n, sizeof *out->d);
    if (!rows || !out->d) {
        servgap__free(&ctx->alloc, rows);
        return -1;
    }
    gather(&ctx->store, rd->end_day, rows);
    qsort(rows, n, sizeof *rows, row_order);
    resolve_all(ctx, rd, cut, rows, n, out);
    servgap__free(&ctx->alloc, rows);
    return 0;
}

void servgap__declset_free(servgap__declset *s)
{
    if (s->a)
        servgap__free(s->a, s->d);
    s->d = NULL;
    s->n = 0;
}

void servgap__decldays_init(servgap__decldays *d)
{
    for (int k = 0; k < 2; k++) {
        d->first_day[k] = INT32_MAX;
        d->last_day[k] = INT32_MIN;
        d->changed[k] = 0;
    }
}

void servgap__decldays_merge(servgap__decldays *dst, const servgap__decldays *src)
{
    for (int k = 0; k < 2; k++) {
        if (src->first_day[k] < dst->first_day[k])
            dst->first_day[k] = src->first_day[k];
        if (src->last_day[k] > dst->last_day[k])
            dst->last_day[k] = src->last_day[k];
        dst->changed[k] |= src->changed[k];
    }
}
