/*
 * store -- chunked columns. Chunks never move their rows once full, so a
 * scan walks plain arrays; only the last chunk grows (by a quarter at a
 * time, up to the maximum), bounding slack to a quarter of one chunk.
 */
#include "../base/platform.h"

#include "store.h"

#include <string.h>

#define FIRST_CAP 256u

void servgap__store_init(servgap__store *s)
{
    memset(s, 0, sizeof *s);
}

static void chunk_free(servgap__chunk *c, const servgap__alloc *a)
{
    servgap__free(a, c->value);
    servgap__free(a, c->day);
    servgap__free(a, c->scope);
    servgap__free(a, c->tp);
    servgap__free(a, c->metric);
    servgap__free(a, c->team);
    servgap__free(a, c->bits);
}

void servgap__store_free(servgap__store *s, const servgap__alloc *a)
{
    for (size_t i = 0; i < s->nchunk; i++)
        chunk_free(&s->chunk[i], a);
    servgap__free(a, s->chunk);
    servgap__free(a, s->pts);
    servgap__store_init(s);
}

/* Grow every column to cap; the chunk's cap changes only if all succeed,
 * and a column grown before a failure is merely larger than needed. */
static int chunk_grow(servgap__chunk *c, const servgap__alloc *a, size_t cap)
{
    if (servgap__resize(a, (void **)&c->value, cap, sizeof *c->value) ||
        servgap__resize(a, (void **)&c->day, cap, sizeof *c->day) ||
        servgap__resize(a, (void **)&c->scope, cap, sizeof *c->scope) ||
        servgap__resize(a, (void **)&c->tp, cap, sizeof *c->tp) ||
        servgap__resize(a, (void **)&c->metric, cap, sizeof *c->metric) ||
        servgap__resize(a, (void **)&c->team, cap, sizeof *c->team) ||
        servgap__resize(a, (void **)&c->bits, cap, sizeof *c->bits))
        return -1;
    c->cap = cap;
    return 0;
}

static uint64_t capacity(const servgap__store *s)
{
    if (s->nchunk == 0)
        return 0;
    return (uint64_t)(s->nchunk - 1) * SERVGAP__CHUNK_MAX + s->chunk[s->nchunk - 1].cap;
}

static int add_chunk(servgap__store *s, const servgap__alloc *a)
{
    void *p = s->chunk;
    if (servgap__reserve(a, &p, &s->capchunk, s->nchunk + 1, sizeof *s->chunk) != 0)
        return -1;
    s->chunk = p;
    memset(&s->chunk[s->nchunk], 0, sizeof *s->chunk);
    s->nchunk++;
    return 0;
}

static int reserve_rows(servgap__store *s, const servgap__alloc *a, uint64_t need)
{
    while (capacity(s) < need) {
        servgap__chunk *last = s->nchunk ? &s->chunk[s->nchunk - 1] : NULL;
        if (!last || last->cap == SERVGAP__CHUNK_MAX) {
            if (add_chunk(s, a) != 0)
                return -1;
            continue;
        }
        uint64_t want = need - (capacity(s) - last->cap);
        size_t cap = last->cap ? last->cap : FIRST_CAP;
        /* Growing by a quarter keeps the unused tail of the last chunk under
         * 25% of it, so a row costs at most 25 * 1.25 = 31.25 bytes. */
        while (cap < want && cap < SERVGAP__CHUNK_MAX)
            cap += cap / 4;
        if (cap > SERVGAP__CHUNK_MAX)
            cap = SERVGAP__CHUNK_MAX;
        if (chunk_grow(last, a, cap) != 0) {
            /* An empty chunk added by this call is dropped again. */
            if (last->cap == 0) {
                chunk_free(last, a);
                s->nchunk--;
            }
            return -1;
        }
    }
    return 0;
}

int servgap__store_reserve(servgap__store *s, const servgap__alloc *a, uint64_t extra,
                           size_t extra_pts)
{
    if (extra_pts) {
        void *p = s->pts;
        if (servgap__reserve(a, &p, &s->cappts, s->npts + extra_pts, sizeof *s->pts) != 0)
            return -1;
        s->pts = p;
    }
    return reserve_rows(s, a, s->count + extra);
}

void servgap__store_push(servgap__store *s, const servgap__obs *r)
{
    servgap__chunk *c = &s->chunk[s->count / SERVGAP__CHUNK_MAX];
    size_t i = c->n++;
    c->value[i] = r->value;
    c->day[i] = r->day;
    c->scope[i] = r->scope;
    c->tp[i] = r->tp;
    c->metric[i] = r->metric;
    c->team[i] = r->team;
    c->bits[i] = r->bits;
    s->count++;
}

void servgap__store_push_points(servgap__store *s, uint64_t row, const double *p)
{
    servgap__points *e = &s->pts[s->npts++];
    e->row = row;
    memcpy(e->p, p, sizeof e->p);
}

void servgap__store_truncate(servgap__store *s, uint64_t count)
{
    if (count >= s->count)
        return;
    for (size_t k = 0; k < s->nchunk; k++) {
        uint64_t start = (uint64_t)k * SERVGAP__CHUNK_MAX;
        if (start >= count)
            s->chunk[k].n = 0;
        else if (count - start < s->chunk[k].n)
            s->chunk[k].n = (size_t)(count - start);
    }
    s->count = count;
    while (s->npts > 0 && s->pts[s->npts - 1].row >= count)
        s->npts--;
}

void servgap__store_get(const servgap__store *s, uint64_t i, servgap__obs *r)
{
    servgap__store_chunk_get(&s->chunk[i / SERVGAP__CHUNK_MAX], (size_t)(i % SERVGAP__CHUNK_MAX),
                             r);
}

const double *servgap__store_points(const servgap__store *s, uint64_t row)
{
    size_t lo = 0, hi = s->npts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->pts[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->npts && s->pts[lo].row == row ? s->pts[lo].p : NULL;
}

int64_t servgap__store_last_day(const servgap__store *s)
{
    int64_t last = INT64_MIN;
    for (size_t c = 0; c < s->nchunk; c++)
        for (size_t i = 0; i < s->chunk[c].n; i++)
            if (s->chunk[c].day[i] > last)
                last = s->chunk[c].day[i];
    return last;
}

uint64_t servgap__store_bytes(const servgap__store *s)
{
    const uint64_t row = sizeof(double) + 4 + 4 + 2 + 2 + 4 + 1;
    return capacity(s) * row + s->cappts * sizeof *s->pts + s->capchunk * sizeof *s->chunk;
}
