/*
 * snapload -- loading a snapshot (docs/formats.md, "Snapshots"): every
 * length, index and checksum is checked while the input is decoded into a
 * private handle, which is then merged with servgap__merge_locked, so a
 * damaged input changes nothing and loading into a handle that holds data
 * is a merge. Relies on ctx, merge and the format in snapshot.h.
 */
#include "../base/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "merge.h"
#include "snapshot.h"

/* The whole file in memory from ctx's allocator. */
static int read_file(servgap_ctx *ctx, const char *fn, const char *path, uint8_t **data,
                     size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return servgap__io_fail(ctx, fn, path, "cannot open", errno);
    struct stat st;
    int err = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (!err && (uintmax_t)st.st_size > SIZE_MAX)
        err = EFBIG;
    uint8_t *p = err ? NULL : servgap__malloc(&ctx->alloc, (size_t)st.st_size, 1);
    size_t got = 0;
    while (p && !err && got < (size_t)st.st_size) {
        ssize_t k = read(fd, p + got, (size_t)st.st_size - got);
        if (k < 0 && errno != EINTR)
            err = errno;
        else if (k == 0)
            break; /* shrank meanwhile: the snapshot check reports it */
        else if (k > 0)
            got += (size_t)k;
    }
    close(fd);
    if (err || !p) {
        servgap__free(&ctx->alloc, p);
        return err ? servgap__io_fail(ctx, fn, path, "cannot read", err)
                   : servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory reading '%.300s'", path);
    }
    *data = p;
    *len = got;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                 */
/* ---------------------------------------------------------------------- */

/* A cursor over the input. Reads past the current section's end fail and
 * yield zeros; the first failure sticks (rc) and later ones keep its
 * message, so decoders check once per entry. */
typedef struct reader {
    servgap_ctx *ctx; /* where failures are reported */
    servgap_ctx *t;   /* the private handle being filled */
    const char *func, *path;
    const uint8_t *p;
    size_t len, pos, end;
    const char *sec;
    char secbuf[24];
    int rc;
    const servgap__crc32c *crc;
} reader;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static int
corrupt(reader *r, size_t at, const char *fmt, ...)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->rc =
        servgap__fail(r->ctx, SERVGAP_ECORRUPT, r->func, "%.300s%ssection '%s' at offset %zu: %s",
                      r->path ? r->path : "", r->path ? ": " : "", r->sec, at, msg);
    return r->rc;
}

static int oom(reader *r)
{
    if (r->rc == SERVGAP_OK)
        r->rc = servgap__fail(r->ctx, SERVGAP_ENOMEM, r->func, "out of memory");
    return r->rc;
}

static const uint8_t *take(reader *r, size_t n)
{
    if (r->rc != SERVGAP_OK)
        return NULL;
    if (r->end - r->pos < n) {
        corrupt(r, r->pos, "%zu bytes needed, %zu left in the section", n, r->end - r->pos);
        return NULL;
    }
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}

static uint32_t rd_u32(reader *r)
{
    const uint8_t *q = take(r, 4);
    return q ? servgap__get_u32(q) : 0;
}

static int32_t rd_i32(reader *r)
{
    const uint8_t *q = take(r, 4);
    return q ? servgap__get_i32(q) : 0;
}

static uint64_t rd_u64(reader *r)
{
    const uint8_t *q = take(r, 8);
    return q ? servgap__get_u64(q) : 0;
}

static int64_t rd_i64(reader *r)
{
    const uint8_t *q = take(r, 8);
    return q ? servgap__get_i64(q) : 0;
}

static double rd_f64(reader *r)
{
    const uint8_t *q = take(r, 8);
    return q ? servgap__get_f64(q) : 0.0;
}

/* A name into out (NUL-terminated, for the registries that take C
 * strings); its length, or 0 after reporting a bad one. */
static size_t rd_name(reader *r, char out[256])
{
    size_t at = r->pos;
    const uint8_t *q = take(r, 1);
    size_t len = q ? *q : 0;
    const uint8_t *s = take(r, len);
    if (!s)
        return 0;
    if (!servgap__name_valid((const char *)s, len)) {
        corrupt(r, at, "a name that is not 1..255 bytes of valid UTF-8");
        return 0;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

static size_t left(const reader *r)
{
    return r->end - r->pos;
}

/* A count read at offset at, whose entries take at least min bytes each. */
static int count_fits(reader *r, size_t at, uint64_t n, size_t min, uint64_t limit)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (n > left(r) / min)
        return corrupt(r, at, "%llu entries cannot fit in the %zu bytes left",
                       (unsigned long long)n, left(r));
    if (n > limit)
        return corrupt(r, at, "%llu entries exceed the limit of %llu", (unsigned long long)n,
                       (unsigned long long)limit);
    return SERVGAP_OK;
}

/* A section of n fixed-size entries must be exactly that long. */
static int count_exact(reader *r, size_t at, uint64_t n, size_t size)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (left(r) % size != 0 || n != left(r) / size)
        return corrupt(r, at, "%llu entries of %zu bytes do not match the %zu bytes left",
                       (unsigned long long)n, size, left(r));
    return SERVGAP_OK;
}

static int load_names(reader *r, servgap__names *t, const char *what, uint64_t limit)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_fits(r, at, n, 2, limit) != SERVGAP_OK)
        return r->rc;
    char name[256];
    for (size_t i = 0; i < n; i++) {
        at = r->pos;
        size_t len = rd_name(r, name);
        if (!len)
            return r->rc;
        int32_t id;
        if (servgap__names_find(t, name, len) >= 0)
            return corrupt(r, at, "%s '%s' repeats", what, name);
        if (servgap__names_add(t, &r->t->alloc, name, len, &id) != 0)
            return oom(r);
    }
    return SERVGAP_OK;
}

/* The checks of servgap_metric_define, on a definition with its span. */
static int metric_valid(reader *r, size_t at, const char *name, const servgap__metric *m)
{
    if (m->dimension < 0 || m->dimension >= SERVGAP_DIM_COUNT)
        return corrupt(r, at, "metric '%s': dimension %d", name, (int)m->dimension);
    if (m->direction != SERVGAP_HIGHER_IS_BETTER && m->direction != SERVGAP_LOWER_IS_BETTER)
        return corrupt(r, at, "metric '%s': direction %d", name, (int)m->direction);
    if (isnan(m->min) || isnan(m->max) || m->min == INFINITY || m->max == -INFINITY ||
        !(m->min < m->max))
        return corrupt(r, at, "metric '%s': range [%g, %g]", name, m->min, m->max);
    if (!isfinite(m->span) || m->span <= 0.0)
        return corrupt(r, at, "metric '%s': span %g", name, m->span);
    return SERVGAP_OK;
}

/* Metric i: the five built-ins come first, exactly as every handle has
 * them; later ones are new names. */
static int metric_add(reader *r, size_t at, uint32_t i, const char *name, const servgap__metric *m)
{
    servgap__metrics *reg = &r->t->metrics;
    if (i < SERVGAP_DIM_COUNT) {
        if (strcmp(name, reg->names.str[i]) != 0 || !servgap__metric_same(m, &reg->m[i]))
            return corrupt(r, at, "metric %u is not the built-in '%s'", i, reg->names.str[i]);
        return SERVGAP_OK;
    }
    if (servgap__names_find(&reg->names, name, strlen(name)) >= 0)
        return corrupt(r, at, "metric '%s' repeats", name);
    if (metric_valid(r, at, name, m) != SERVGAP_OK)
        return r->rc;
    int32_t id;
    if (servgap__metrics_add(reg, &r->t->alloc, name, m, &id) != 0)
        return oom(r);
    return SERVGAP_OK;
}

static int load_metric(reader *r, uint32_t i)
{
    size_t at = r->pos;
    char name[256];
    servgap__metric m;
    if (!rd_name(r, name))
        return r->rc;
    m.dimension = rd_i32(r);
    m.direction = rd_i32(r);
    m.min = rd_f64(r);
    m.max = rd_f64(r);
    m.span = rd_f64(r);
    uint32_t ulen = rd_u32(r);
    const uint8_t *unit = take(r, ulen);
    if (!unit)
        return r->rc;
    if (memchr(unit, 0, ulen))
        return corrupt(r, at, "metric '%s': a NUL byte in its unit", name);
    m.unit = servgap__strndup(&r->t->alloc, (const char *)unit, ulen);
    if (!m.unit)
        return oom(r);
    metric_add(r, at, i, name, &m);
    servgap__free(&r->t->alloc, m.unit);
    return r->rc;
}

static int load_metrics(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_fits(r, at, n, 38, 0xffff) != SERVGAP_OK)
        return r->rc;
    if (n < SERVGAP_DIM_COUNT)
        return corrupt(r, at, "%u metrics, fewer than the five built-ins", (unsigned)n);
    for (size_t i = 0; i < n && r->rc == SERVGAP_OK; i++)
        load_metric(r, (uint32_t)i);
    return r->rc;
}

static int account_valid(reader *r, size_t at, const char *name, int32_t tier, uint32_t flags,
                         double value, double health)
{
    if (servgap__names_find(&r->t->accounts.names, name, strlen(name)) >= 0)
        return corrupt(r, at, "account '%s' repeats", name);
    if (tier < -1 || (tier >= 0 && (size_t)tier >= r->t->tiers.count))
        return corrupt(r, at, "account '%s': unknown tier %d", name, (int)tier);
    if (flags & ~3u)
        return corrupt(r, at, "account '%s': unknown flags 0x%x", name, (unsigned)flags);
    if (!isfinite(value) || value < 0.0)
        return corrupt(r, at, "account '%s': value %g", name, value);
    if (!isnan(health) && !(health >= 0.0 && health <= 100.0))
        return corrupt(r, at, "account '%s': health %g", name, health);
    return SERVGAP_OK;
}

static int load_account(reader *r)
{
    size_t at = r->pos;
    char name[256];
    if (!rd_name(r, name))
        return r->rc;
    int32_t tier = rd_i32(r);
    uint32_t flags = rd_u32(r);
    double value = rd_f64(r), health = rd_f64(r);
    int64_t renewal = rd_i64(r), migration = rd_i64(r);
    if (r->rc != SERVGAP_OK || account_valid(r, at, name, tier, flags, value, health))
        return r->rc;
    int32_t id;
    servgap__accounts *reg = &r->t->accounts;
    if (servgap__accounts_add(reg, &r->t->alloc, name, tier, value, &id) != 0)
        return oom(r);
    servgap__account *a = &reg->a[id];
    a->at_risk = (flags & 1u) != 0;
    a->churned = (flags & 2u) != 0;
    a->health = isnan(health) ? NAN : health;
    a->renewal = renewal;
    a->migration = migration;
    return SERVGAP_OK;
}

static int load_accounts(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_fits(r, at, n, 42, INT32_MAX) != SERVGAP_OK)
        return r->rc;
    for (size_t i = 0; i < n && r->rc == SERVGAP_OK; i++)
        load_account(r);
    return r->rc;
}

/* Keys of entries that must be unique, with their entry index. */
typedef struct keyed {
    uint64_t key;
    size_t i;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The first entry, in input order, whose key an earlier entry has:
 * its index, n if none, or -1 when out of memory. Sorting keeps this
 * O(n log n) for large tables. */
static int64_t first_repeat(const servgap__alloc *a, const uint64_t *keys, size_t n)
{
    keyed *k = servgap__malloc(a, n, sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++) {
        k[i].key = keys[i];
        k[i].i = i;
    }
    qsort(k, n, sizeof *k, keyed_cmp);
    size_t first = n;
    for (size_t i = 1; i < n; i++)
        if (k[i].key == k[i - 1].key && k[i].i < first)
            first = k[i].i;
    servgap__free(a, k);
    return (int64_t)first;
}

/* Checks that n keys are unique; entries are size bytes from base. */
static int unique(reader *r, const uint64_t *keys, size_t n, size_t base, size_t size,
                  const char *what)
{
    int64_t dup = first_repeat(&r->t->alloc, keys, n);
    if (dup < 0)
        return oom(r);
    if ((size_t)dup < n)
        return corrupt(r, base + (size_t)dup * size, "entry %lld repeats the %s of an earlier one",
                       (long long)dup, what);
    return SERVGAP_OK;
}

static int scope_valid(const servgap_ctx *t, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_TIER)
        return (scope & ~SERVGAP__SCOPE_TIER) < t->tiers.count;
    return scope < t->accounts.names.count;
}

static int load_importance(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_exact(r, at, n, 48) != SERVGAP_OK)
        return r->rc;
    servgap_ctx *t = r->t;
    void *p = t->imp;
    if (servgap__reserve(&t->alloc, &p, &t->capimp, n, sizeof *t->imp) != 0)
        return oom(r);
    t->imp = p;
    size_t base = r->pos;
    for (size_t i = 0; i < n && r->rc == SERVGAP_OK; i++) {
        servgap__importance *e = &t->imp[i];
        at = r->pos;
        e->scope = rd_u32(r);
        e->whose = rd_i32(r);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            e->p[d] = rd_f64(r);
        if (!scope_valid(t, e->scope))
            return corrupt(r, at, "unknown scope 0x%08x", (unsigned)e->scope);
        if (e->whose != SERVGAP_WHOSE_CUSTOMER && e->whose != SERVGAP_WHOSE_PROVIDER)
            return corrupt(r, at + 4, "whose %d", (int)e->whose);
        if (!servgap__points_valid(e->p))
            return corrupt(r, at + 8, "points are not >= 0 summing to 100 +- 0.5");
        t->nimp++;
    }
    if (r->rc != SERVGAP_OK)
        return r->rc;
    uint64_t *keys = servgap__malloc(&t->alloc, n, sizeof *keys);
    if (!keys)
        return oom(r);
    for (size_t i = 0; i < n; i++)
        keys[i] = (uint64_t)t->imp[i].scope << 32 | (uint32_t)t->imp[i].whose;
    unique(r, keys, n, base, 48, "scope and whose");
    servgap__free(&t->alloc, keys);
    return r->rc;
}

/* n little-endian elements of width bytes into an array of the host. */
static void get_column(void *dst, const uint8_t *src, size_t n, size_t width)
{
    if (servgap__host_le()) {
        memcpy(dst, src, n * width);
        return;
    }
    uint8_t *d = dst;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < width; k++)
            d[i * width + k] = src[i * width + width - 1 - k];
}

/* The rows into the empty private log, a column at a time. Relies on the
 * store's layout: row i lives in chunk i / SERVGAP__CHUNK_MAX, and room
 * for n rows was reserved. */
static void store_fill(servgap__store *s, const uint8_t *rows, size_t n)
{
    for (size_t k = 0; k * SERVGAP__CHUNK_MAX < n; k++) {
        servgap__chunk *c = &s->chunk[k];
        size_t first = k * SERVGAP__CHUNK_MAX;
        size_t m = n - first < SERVGAP__CHUNK_MAX ? n - first : SERVGAP__CHUNK_MAX;
        void *col[7] = {c->value, c->day, c->scope, c->tp, c->metric, c->team, c->bits};
        for (int f = SERVGAP__COL_VALUE; f <= SERVGAP__COL_BITS; f++)
            get_column(col[f], rows + servgap__col_start[f] * n + servgap__col_width[f] * first, m,
                       servgap__col_width[f]);
        c->n = m;
    }
    s->count = n;
}

/* Where field f of row i is in the input, for messages. */
typedef struct rows_at {
    size_t base, n;
} rows_at;

static size_t field_at(const rows_at *ra, int f, uint64_t i)
{
    return ra->base + servgap__col_start[f] * ra->n + servgap__col_width[f] * (size_t)i;
}

static int row_ids_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__obs *obs)
{
    const servgap_ctx *t = r->t;
    unsigned long long ri = (unsigned long long)i;
    if (!scope_valid(t, obs->scope))
        return corrupt(r, field_at(ra, SERVGAP__COL_SCOPE, i), "row %llu: unknown scope 0x%08x", ri,
                       (unsigned)obs->scope);
    if (obs->tp != SERVGAP__TP_ANY && obs->tp >= t->touchpoints.count)
        return corrupt(r, field_at(ra, SERVGAP__COL_TP, i), "row %llu: unknown touchpoint %u", ri,
                       (unsigned)obs->tp);
    if (obs->metric >= t->metrics.names.count)
        return corrupt(r, field_at(ra, SERVGAP__COL_METRIC, i), "row %llu: unknown metric %u", ri,
                       (unsigned)obs->metric);
    if (obs->team < -1 || (obs->team >= 0 && (size_t)obs->team >= t->teams.count))
        return corrupt(r, field_at(ra, SERVGAP__COL_TEAM, i), "row %llu: unknown team %d", ri,
                       (int)obs->team);
    return SERVGAP_OK;
}

/* The checks of servgap_record: a value inside its metric's range, a day
 * that a time within 2^31 days of 1970 gives, known bits. */
static int row_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__obs *obs)
{
    unsigned long long ri = (unsigned long long)i;
    if (row_ids_valid(r, ra, i, obs) != SERVGAP_OK)
        return r->rc;
    const servgap__metric *m = &r->t->metrics.m[obs->metric];
    if (!isfinite(obs->value) || obs->value < m->min || obs->value > m->max)
        return corrupt(r, field_at(ra, SERVGAP__COL_VALUE, i),
                       "row %llu: value %g outside [%g, %g]", ri, obs->value, m->min, m->max);
    if (obs->day < -INT32_MAX || obs->day == INT32_MAX)
        return corrupt(r, field_at(ra, SERVGAP__COL_DAY, i), "row %llu: day %ld", ri,
                       (long)obs->day);
    unsigned bits = obs->bits;
    if (SERVGAP__BITS_VP(bits) >= SERVGAP_VP_COUNT ||
        SERVGAP__BITS_DRIVER(bits) > SERVGAP_DRIVER_EXTERNAL_COMMUNICATION ||
        ((bits & SERVGAP__BIT_START) && !(bits & SERVGAP__BIT_RESPONSE)))
        return corrupt(r, field_at(ra, SERVGAP__COL_BITS, i), "row %llu: bits 0x%02x", ri, bits);
    return SERVGAP_OK;
}

/* The response being read: what servgap_record_response writes is a run
 * of rows, the first flagged START, sharing scope, touchpoint, day, team
 * and driver, items in turn with their expected, adequate and perceived
 * rows in that order, no metric twice. */
typedef struct resp_check {
    int open;
    servgap__obs first;
    uint64_t id;    /* 1 + the first row's index */
    int32_t item;   /* metric of the current item */
    int vp;         /* its last viewpoint */
    uint64_t *seen; /* per metric: id of the last response that had it */
} resp_check;

static int same_context(const servgap__obs *a, const servgap__obs *b)
{
    return a->scope == b->scope && a->tp == b->tp && a->day == b->day && a->team == b->team &&
           SERVGAP__BITS_DRIVER(a->bits) == SERVGAP__BITS_DRIVER(b->bits);
}

static int response_row(reader *r, resp_check *rc, const rows_at *ra, uint64_t i,
                        const servgap__obs *obs)
{
    size_t at = field_at(ra, SERVGAP__COL_BITS, i);
    unsigned long long ri = (unsigned long long)i;
    if (!(obs->bits & SERVGAP__BIT_RESPONSE)) {
        rc->open = 0;
        return SERVGAP_OK;
    }
    if (obs->bits & SERVGAP__BIT_START) {
        rc->open = 1;
        rc->first = *obs;
        rc->id = i + 1;
        rc->item = -1;
    } else if (!rc->open || !same_context(&rc->first, obs)) {
        return corrupt(r, at, "row %llu: a response row %s", ri,
                       rc->open ? "differs from its response's first row" : "without a start");
    }
    int vp = SERVGAP__BITS_VP(obs->bits);
    if (vp != SERVGAP_VP_EXPECTED && vp != SERVGAP_VP_ADEQUATE && vp != SERVGAP_VP_PERCEIVED)
        return corrupt(r, at, "row %llu: viewpoint %d in a response", ri, vp);
    if (obs->metric == rc->item && vp <= rc->vp)
        return corrupt(r, at, "row %llu: an item's viewpoint repeats or is out of order", ri);
    if (obs->metric != rc->item) {
        if (rc->seen[obs->metric] == rc->id)
            return corrupt(r, at, "row %llu: a metric repeats in one response", ri);
        rc->seen[obs->metric] = rc->id;
        rc->item = obs->metric;
    }
    rc->vp = vp;
    return SERVGAP_OK;
}

static int rows_valid(reader *r, const rows_at *ra)
{
    const servgap_ctx *t = r->t;
    resp_check rc = {0};
    rc.seen = servgap__calloc(&t->alloc, t->metrics.names.count, sizeof *rc.seen);
    if (!rc.seen)
        return oom(r);
    servgap__obs obs;
    for (uint64_t i = 0; i < t->store.count && r->rc == SERVGAP_OK; i++) {
        servgap__store_get(&t->store, i, &obs);
        if (row_valid(r, ra, i, &obs) == SERVGAP_OK)
            response_row(r, &rc, ra, i, &obs);
    }
    servgap__free(&t->alloc, rc.seen);
    return r->rc;
}

static int load_observations(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_exact(r, at, n, SERVGAP__SNAP_ROW_BYTES) != SERVGAP_OK)
        return r->rc;
    if (servgap__store_reserve(&r->t->store, &r->t->alloc, n, 0) != 0)
        return oom(r);
    rows_at ra = {r->pos, (size_t)n};
    store_fill(&r->t->store, r->p + r->pos, (size_t)n);
    r->pos = r->end;
    return rows_valid(r, &ra);
}

static int load_points(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_exact(r, at, n, 48) != SERVGAP_OK)
        return r->rc;
    servgap__store *s = &r->t->store;
    if (servgap__store_reserve(s, &r->t->alloc, 0, (size_t)n) != 0)
        return oom(r);
    servgap__obs obs;
    for (uint64_t i = 0; i < n && r->rc == SERVGAP_OK; i++) {
        at = r->pos;
        uint64_t ri = rd_u64(r);
        double p[SERVGAP_DIM_COUNT];
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            p[d] = rd_f64(r);
        if (ri >= s->count || (s->npts > 0 && ri <= s->pts[s->npts - 1].row))
            return corrupt(r, at, "row %llu is not a later row of the log", (unsigned long long)ri);
        servgap__store_get(s, ri, &obs);
        if (!(obs.bits & SERVGAP__BIT_START))
            return corrupt(r, at, "row %llu does not start a response", (unsigned long long)ri);
        if (!servgap__points_valid(p))
            return corrupt(r, at + 8, "points are not >= 0 summing to 100 +- 0.5");
        servgap__store_push_points(s, ri, p);
    }
    return r->rc;
}

/* A touchpoint or metric of an effort or plan: SERVGAP_ALL or a known id. */
static int id_or_all(int32_t id, size_t count)
{
    return id == SERVGAP_ALL || (id >= 0 && (size_t)id < count);
}

static uint64_t effort_key(const servgap__effort *e)
{
    return (uint64_t)(uint32_t)(e->gap + 2) << 40 | (uint64_t)(uint32_t)(e->tp + 2) << 20 |
           (uint32_t)(e->metric + 2);
}

static int effort_valid(reader *r, size_t at, const servgap__effort *e)
{
    if (e->gap != SERVGAP_ALL && (e->gap < 0 || e->gap >= SERVGAP_GAP_COUNT))
        return corrupt(r, at, "gap %d", (int)e->gap);
    if (!id_or_all(e->tp, r->t->touchpoints.count))
        return corrupt(r, at + 4, "unknown touchpoint %d", (int)e->tp);
    if (!id_or_all(e->metric, r->t->metrics.names.count))
        return corrupt(r, at + 8, "unknown metric %d", (int)e->metric);
    if (!isfinite(e->effort) || e->effort <= 0.0)
        return corrupt(r, at + 12, "effort %g", e->effort);
    return SERVGAP_OK;
}

static int load_efforts(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_exact(r, at, n, 20) != SERVGAP_OK)
        return r->rc;
    servgap_ctx *t = r->t;
    void *p = t->eff;
    if (servgap__reserve(&t->alloc, &p, &t->capeff, n, sizeof *t->eff) != 0)
        return oom(r);
    t->eff = p;
    size_t base = r->pos;
    for (size_t i = 0; i < n && r->rc == SERVGAP_OK; i++) {
        servgap__effort *e = &t->eff[i];
        at = r->pos;
        e->gap = rd_i32(r);
        e->tp = rd_i32(r);
        e->metric = rd_i32(r);
        e->effort = rd_f64(r);
        if (effort_valid(r, at, e) == SERVGAP_OK)
            t->neff++;
    }
    if (r->rc != SERVGAP_OK)
        return r->rc;
    uint64_t *keys = servgap__malloc(&t->alloc, n, sizeof *keys);
    if (!keys)
        return oom(r);
    for (size_t i = 0; i < n; i++)
        keys[i] = effort_key(&t->eff[i]);
    unique(r, keys, n, base, 20, "gap, touchpoint and metric");
    servgap__free(&t->alloc, keys);
    return r->rc;
}

static int plan_valid(reader *r, size_t at, const servgap__plan *p)
{
    const servgap_ctx *t = r->t;
    if (p->scope_kind != SERVGAP_SCOPE_ACCOUNT && p->scope_kind != SERVGAP_SCOPE_TIER)
        return corrupt(r, at, "scope kind %d", (int)p->scope_kind);
    size_t nscope = p->scope_kind == SERVGAP_SCOPE_TIER ? t->tiers.count : t->accounts.names.count;
    if (p->scope_id < 0 || (size_t)p->scope_id >= nscope)
        return corrupt(r, at, "unknown scope id %d", (int)p->scope_id);
    if (!id_or_all(p->tp, t->touchpoints.count))
        return corrupt(r, at, "unknown touchpoint %d", (int)p->tp);
    if (!id_or_all(p->metric, t->metrics.names.count))
        return corrupt(r, at, "unknown metric %d", (int)p->metric);
    /* servgap_plan_add gives a metric's plan the metric's dimension. */
    int32_t dim = p->metric == SERVGAP_ALL ? p->dimension : t->metrics.m[p->metric].dimension;
    if (p->dimension < 0 || p->dimension >= SERVGAP_DIM_COUNT || p->dimension != dim)
        return corrupt(r, at, "dimension %d", (int)p->dimension);
    if (p->gap < 0 || p->gap >= SERVGAP_GAP_COUNT)
        return corrupt(r, at, "gap %d", (int)p->gap);
    if (!isfinite(p->target))
        return corrupt(r, at, "target %g", p->target);
    if (p->last_outcome < SERVGAP_OUTCOME_NONE || p->last_outcome > SERVGAP_OUTCOME_UNKNOWN)
        return corrupt(r, at, "outcome %d", (int)p->last_outcome);
    return SERVGAP_OK;
}

static int load_plan(reader *r)
{
    size_t at = r->pos;
    char owner[256];
    size_t olen = rd_name(r, owner);
    if (!olen)
        return r->rc;
    servgap__plan p;
    p.scope_kind = rd_i32(r);
    p.scope_id = rd_i32(r);
    p.tp = rd_i32(r);
    p.metric = rd_i32(r);
    p.dimension = rd_i32(r);
    p.gap = rd_i32(r);
    p.deadline = rd_i64(r);
    p.target = rd_f64(r);
    p.last_outcome = rd_i32(r);
    p.next_check = rd_i64(r);
    if (r->rc != SERVGAP_OK || plan_valid(r, at, &p) != SERVGAP_OK)
        return r->rc;
    servgap_ctx *t = r->t;
    p.owner = servgap__names_find(&t->owners, owner, olen);
    if (p.owner < 0 && servgap__names_add(&t->owners, &t->alloc, owner, olen, &p.owner) != 0)
        return oom(r);
    t->plans[t->nplans++] = p;
    return SERVGAP_OK;
}

static int load_plans(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_fits(r, at, n, 54, INT32_MAX) != SERVGAP_OK)
        return r->rc;
    servgap_ctx *t = r->t;
    void *p = t->plans;
    if (servgap__reserve(&t->alloc, &p, &t->capplans, n, sizeof *t->plans) != 0)
        return oom(r);
    t->plans = p;
    for (size_t i = 0; i < n && r->rc == SERVGAP_OK; i++)
        load_plan(r);
    return r->rc;
}

static int load_section(reader *r, int k)
{
    servgap_ctx *t = r->t;
    switch (k) {
    case SERVGAP__SEC_TIERS:
        return load_names(r, &t->tiers, "tier", 0x40000000u);
    case SERVGAP__SEC_TOUCHPOINTS:
        return load_names(r, &t->touchpoints, "touchpoint", SERVGAP__TP_ALL);
    case SERVGAP__SEC_TEAMS:
        return load_names(r, &t->teams, "team", INT32_MAX);
    case SERVGAP__SEC_METRICS:
        return load_metrics(r);
    case SERVGAP__SEC_ACCOUNTS:
        return load_accounts(r);
    case SERVGAP__SEC_IMPORTANCE:
        return load_importance(r);
    case SERVGAP__SEC_OBSERVATIONS:
        return load_observations(r);
    case SERVGAP__SEC_POINTS:
        return load_points(r);
    case SERVGAP__SEC_EFFORTS:
        return load_efforts(r);
    default:
        return load_plans(r);
    }
}

/* Checks the fixed header; on success the servgap__snap_sections start at r->pos. The
 * servgap__snap_magic and the major version come first: they stay where they are in
 * every version, while a later major version may change the rest. */
static int read_header(reader *r, uint32_t *nsec)
{
    const uint8_t *h = r->p;
    r->sec = "header";
    r->end = r->len;
    if (r->len == 0)
        return corrupt(r, 0, "empty input");
    if (memcmp(h, servgap__snap_magic,
               r->len < sizeof servgap__snap_magic ? r->len : sizeof servgap__snap_magic) != 0)
        return corrupt(r, 0, "not a snapshot (no SRVGAPSN servgap__snap_magic)");
    if (r->len < SERVGAP__SNAP_HEADER_LEN)
        return corrupt(r, r->len, "truncated within the %d-byte header", SERVGAP__SNAP_HEADER_LEN);
    unsigned major = servgap__get_u16(h + 8), minor = servgap__get_u16(h + 10);
    if (major != SERVGAP__SNAP_MAJOR)
        return corrupt(r, 8, "format version %u.%u; this library reads %d.x", major, minor,
                       SERVGAP__SNAP_MAJOR);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    if (servgap__crc32c_update(r->crc, 0, h, 28) != servgap__get_u32(h + 28))
        return corrupt(r, 28, "header checksum mismatch");
#endif
    if (servgap__get_u32(h + 12) != 0)
        return corrupt(r, 12, "unknown header flags 0x%x", (unsigned)servgap__get_u32(h + 12));
    uint64_t total = servgap__get_u64(h + 16);
    if (total != r->len)
        return corrupt(r, 16, "the header says %llu bytes, the input has %zu",
                       (unsigned long long)total, r->len);
    *nsec = servgap__get_u32(h + 24);
    r->pos = SERVGAP__SNAP_HEADER_LEN;
    return SERVGAP_OK;
}

static int section_index(uint32_t tag)
{
    for (int k = 0; k < SERVGAP__SEC_COUNT; k++)
        if (servgap__snap_tag(k) == tag)
            return k;
    return -1;
}

/* Reads and checks one section header and checksum; on success its
 * payload is r->pos .. r->end and *k its index (-1: unknown tag). */
static int open_section(reader *r, uint32_t s, uint32_t nsec, int *k, uint32_t *flags)
{
    size_t at = r->pos;
    r->end = r->len;
    snprintf(r->secbuf, sizeof r->secbuf, "#%u", (unsigned)s);
    r->sec = r->secbuf;
    if (r->len - at < SERVGAP__SNAP_SECTION_HEAD)
        return corrupt(r, at, "section %u of %u: header truncated", (unsigned)s + 1,
                       (unsigned)nsec);
    const uint8_t *h = r->p + at;
    uint32_t tag = servgap__get_u32(h);
    uint64_t len = servgap__get_u64(h + 8);
    *k = section_index(tag);
    *flags = servgap__get_u32(h + 4);
    if (*k >= 0)
        r->sec = servgap__snap_sections[*k].name;
    else
        snprintf(r->secbuf, sizeof r->secbuf, "0x%08x", (unsigned)tag);
    if (len > r->len - at - SERVGAP__SNAP_SECTION_HEAD)
        return corrupt(r, at + 8, "length %llu runs past the end of the input",
                       (unsigned long long)len);
    uint32_t crc = servgap__crc32c_update(r->crc, 0, h, 16);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    crc = servgap__crc32c_update(r->crc, crc, h + SERVGAP__SNAP_SECTION_HEAD, (size_t)len);
    if (crc != servgap__get_u32(h + 16))
        return corrupt(r, at + 16, "checksum mismatch");
#else
    (void)crc; /* fuzzing reaches the decoders only without checksums */
#endif
    if (servgap__get_u32(h + 20) != 0)
        return corrupt(r, at + 20, "reserved field is not zero");
    r->pos = at + SERVGAP__SNAP_SECTION_HEAD;
    r->end = r->pos + (size_t)len;
    return SERVGAP_OK;
}

/* Known servgap__snap_sections in their order, none missing; unknown optional ones
 * anywhere, skipped; nothing after the last. */
static int read_sections(reader *r, uint32_t nsec)
{
    int next = 0;
    for (uint32_t s = 0; s < nsec; s++) {
        size_t at = r->pos;
        int k = -1;
        uint32_t flags = 0;
        if (open_section(r, s, nsec, &k, &flags) != SERVGAP_OK)
            return r->rc;
        if (k < 0 && (flags & SERVGAP__SNAP_REQUIRED))
            return corrupt(r, at, "an unknown section marked required");
        if (k >= 0 && k != next)
            return corrupt(r, at, "out of order or repeated (expected '%s')",
                           next < SERVGAP__SEC_COUNT ? servgap__snap_sections[next].name : "none");
        if (k >= 0 && load_section(r, k) != SERVGAP_OK)
            return r->rc;
        if (k >= 0 && r->pos != r->end)
            return corrupt(r, r->pos, "%zu bytes left over", r->end - r->pos);
        next += k >= 0;
        r->pos = r->end;
    }
    r->sec = "end";
    r->end = r->len;
    if (next < SERVGAP__SEC_COUNT)
        return corrupt(r, r->pos, "section '%s' is missing", servgap__snap_sections[next].name);
    if (r->pos != r->len)
        return corrupt(r, r->pos, "%zu bytes after the last section", r->len - r->pos);
    return SERVGAP_OK;
}

/* Decodes data into a new private handle (*out, from ctx's allocator). */
static int decode(servgap_ctx *ctx, const char *func, const char *path, const uint8_t *data,
                  size_t len, servgap_ctx **out)
{
    servgap_allocator al = {sizeof al, ctx->alloc.malloc_fn, ctx->alloc.realloc_fn,
                            ctx->alloc.free_fn, ctx->alloc.user};
    servgap_ctx *t = NULL;
    if (servgap_ctx_new(&t, &al) != SERVGAP_OK)
        return servgap__fail(ctx, SERVGAP_ENOMEM, func, "out of memory");
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    reader r = {ctx, t, func, path, data, len, 0, 0, "header", {0}, SERVGAP_OK, &crc};
    uint32_t nsec = 0;
    if (read_header(&r, &nsec) == SERVGAP_OK)
        read_sections(&r, nsec);
    if (r.rc != SERVGAP_OK) {
        servgap_ctx_free(t);
        return r.rc;
    }
    *out = t;
    return SERVGAP_OK;
}

static int merge_into(servgap_ctx *ctx, servgap_ctx *t, const char *func)
{
    servgap__wrlock(ctx);
    int rc = servgap__merge_locked(ctx, t, func, "the snapshot");
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_snapshot_load_buffer(servgap_ctx *ctx, const void *data, size_t len)
{
    static const char *const fn = "servgap_snapshot_load_buffer";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!data && len > 0)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "data is NULL");
    servgap_ctx *t = NULL;
    int rc = decode(ctx, fn, NULL, data ? data : (const void *)"", len, &t);
    if (rc == SERVGAP_OK)
        rc = merge_into(ctx, t, fn);
    servgap_ctx_free(t);
    return rc;
}

SERVGAP_API int servgap_snapshot_load(servgap_ctx *ctx, const char *path)
{
    static const char *const fn = "servgap_snapshot_load";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!path)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "path is NULL");
    uint8_t *data = NULL;
    size_t len = 0;
    servgap_ctx *t = NULL;
    int rc = read_file(ctx, fn, path, &data, &len);
    if (rc == SERVGAP_OK)
        rc = decode(ctx, fn, path, data, len, &t);
    /* The file's bytes go before the merge grows ctx: less at the peak. */
    servgap__free(&ctx->alloc, data);
    if (rc == SERVGAP_OK)
        rc = merge_into(ctx, t, fn);
    servgap_ctx_free(t);
    return rc;
}
