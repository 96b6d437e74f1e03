/*
 * snapshot -- the binary snapshot (docs/formats.md, "Snapshots"): a handle's contents
 * written to a caller's buffer or atomically to a file, and loaded back.
 * A load decodes and validates everything into a private handle, then
 * merges that with servgap__merge_locked: a damaged input changes nothing,
 * and loading into a handle that holds data is a merge. Relies on ctx,
 * store, merge and bytes.
 */
#define _POSIX_C_SOURCE 200809L /* fsync, pwrite, O_CLOEXEC, O_DIRECTORY, strerror_r */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "ctx.h"
#include "merge.h"

#define HEADER_LEN       32
#define SECTION_HEAD     24
#define FORMAT_MAJOR     1
#define FORMAT_MINOR     0
#define SECTION_REQUIRED 0x1u
#define ROW_BYTES        25 /* value 8, day 4, scope 4, tp 2, metric 2, team 4, bits 1 */
#define STAGE_LEN        65536
#define CANONICAL_NAN    0x7ff8000000000000u

static const uint8_t magic[8] = {'S', 'R', 'V', 'G', 'A', 'P', 'S', 'N'};

/* Sections in the order they are written and must be read: each refers
 * only to ids of the ones before it. */
enum {
    SEC_TIERS,
    SEC_TOUCHPOINTS,
    SEC_TEAMS,
    SEC_METRICS,
    SEC_ACCOUNTS,
    SEC_IMPORTANCE,
    SEC_OBSERVATIONS,
    SEC_POINTS,
    SEC_EFFORTS,
    SEC_PLANS,
    SEC_COUNT
};

static const struct {
    char tag[4];
    const char *name;
} sections[SEC_COUNT] = {
    {{'T', 'I', 'E', 'R'}, "tiers"},        {{'T', 'P', 'N', 'T'}, "touchpoints"},
    {{'T', 'E', 'A', 'M'}, "teams"},        {{'M', 'E', 'T', 'R'}, "metrics"},
    {{'A', 'C', 'C', 'T'}, "accounts"},     {{'I', 'M', 'P', 'O'}, "importance"},
    {{'O', 'B', 'S', 'V'}, "observations"}, {{'R', 'P', 'T', 'S'}, "points"},
    {{'E', 'F', 'R', 'T'}, "efforts"},      {{'P', 'L', 'A', 'N'}, "plans"},
};

static uint32_t section_tag(int k)
{
    return servgap__get_u32((const uint8_t *)sections[k].tag);
}

/* The observation columns: offset of column f within the section's rows
 * is start[f] * n, element i is width[f] * i further. */
static const size_t col_start[7] = {0, 8, 12, 16, 18, 20, 24};
static const size_t col_width[7] = {8, 4, 4, 2, 2, 4, 1};
enum { COL_VALUE, COL_DAY, COL_SCOPE, COL_TP, COL_METRIC, COL_TEAM, COL_BITS };

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */
/* ---------------------------------------------------------------------- */

/* Where bytes go: a caller's buffer that holds the whole snapshot (fd < 0),
 * a staging buffer flushed to fd, or nowhere (buf NULL: only counting, to
 * size the sections with the very code that writes them). */
typedef struct sink {
    uint8_t *buf;
    size_t cap, pos;
    uint64_t off; /* bytes emitted so far; buf[0] is at off - pos */
    int fd;
    int err; /* errno of the first failed write; later output is dropped */
    uint32_t crc;
    const servgap__crc32c *t;
} sink;

static void sink_flush(sink *s)
{
    size_t done = 0;
    if (s->fd < 0)
        return;
    while (!s->err && done < s->pos) {
        ssize_t k = write(s->fd, s->buf + done, s->pos - done);
        if (k > 0)
            done += (size_t)k;
        else if (k == 0 || errno != EINTR)
            s->err = k == 0 ? EIO : errno;
    }
    s->pos = 0;
}

static void emit(sink *s, const void *p, size_t n)
{
    s->off += n;
    if (!s->buf)
        return;
    s->crc = servgap__crc32c_update(s->t, s->crc, p, n);
    const uint8_t *b = p;
    while (n > 0 && !s->err) {
        if (s->pos == s->cap) {
            if (s->fd < 0) {
                s->err = ENOSPC; /* sized by measure(); cannot happen */
                return;
            }
            sink_flush(s);
        }
        size_t k = n < s->cap - s->pos ? n : s->cap - s->pos;
        memcpy(s->buf + s->pos, b, k);
        s->pos += k;
        b += k;
        n -= k;
    }
}

static void put_u8(sink *s, uint8_t v)
{
    emit(s, &v, 1);
}

static void put_u32(sink *s, uint32_t v)
{
    uint8_t b[4];
    servgap__put_u32(b, v);
    emit(s, b, 4);
}

static void put_i32(sink *s, int32_t v)
{
    put_u32(s, (uint32_t)v);
}

static void put_u64(sink *s, uint64_t v)
{
    uint8_t b[8];
    servgap__put_u64(b, v);
    emit(s, b, 8);
}

static void put_i64(sink *s, int64_t v)
{
    put_u64(s, (uint64_t)v);
}

static void put_f64(sink *s, double v)
{
    uint8_t b[8];
    servgap__put_f64(b, v);
    emit(s, b, 8);
}

/* Every NaN is written as one bit pattern, so equal states give equal
 * bytes whatever NaN a caller passed in. */
static void put_f64_canonical(sink *s, double v)
{
    if (isnan(v))
        put_u64(s, CANONICAL_NAN);
    else
        put_f64(s, v);
}

static void put_name(sink *s, const char *str, uint32_t len)
{
    put_u8(s, (uint8_t)len);
    emit(s, str, len);
}

/* n elements of width bytes, as little-endian. */
static void put_column(sink *s, const void *col, size_t n, size_t width)
{
    if (servgap__host_le()) {
        emit(s, col, n * width);
        return;
    }
    const uint8_t *b = col;
    for (size_t i = 0; i < n; i++) {
        uint8_t e[8];
        for (size_t k = 0; k < width; k++)
            e[k] = b[i * width + width - 1 - k];
        emit(s, e, width);
    }
}

static void write_names(sink *s, const servgap__names *t)
{
    put_u64(s, t->count);
    for (size_t i = 0; i < t->count; i++)
        put_name(s, t->str[i], t->len[i]);
}

static void write_metrics(sink *s, const servgap__metrics *r)
{
    put_u64(s, r->names.count);
    for (size_t i = 0; i < r->names.count; i++) {
        const servgap__metric *m = &r->m[i];
        size_t ulen = strlen(m->unit);
        put_name(s, r->names.str[i], r->names.len[i]);
        put_i32(s, m->dimension);
        put_i32(s, m->direction);
        put_f64(s, m->min);
        put_f64(s, m->max);
        put_f64(s, m->span);
        put_u32(s, (uint32_t)ulen);
        emit(s, m->unit, ulen);
    }
}

static void write_accounts(sink *s, const servgap__accounts *r)
{
    put_u64(s, r->names.count);
    for (size_t i = 0; i < r->names.count; i++) {
        const servgap__account *a = &r->a[i];
        put_name(s, r->names.str[i], r->names.len[i]);
        put_i32(s, a->tier);
        put_u32(s, (a->at_risk ? 1u : 0u) | (a->churned ? 2u : 0u));
        put_f64(s, a->value);
        put_f64_canonical(s, a->health);
        put_i64(s, a->renewal);
        put_i64(s, a->migration);
    }
}

static void write_importance(sink *s, const servgap_ctx *ctx)
{
    put_u64(s, ctx->nimp);
    for (size_t i = 0; i < ctx->nimp; i++) {
        put_u32(s, ctx->imp[i].scope);
        put_i32(s, ctx->imp[i].whose);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            put_f64(s, ctx->imp[i].p[d]);
    }
}

/* Column by column, so that a little-endian reader copies each whole. */
static void write_observations(sink *s, const servgap__store *st)
{
    put_u64(s, st->count);
    for (int f = COL_VALUE; f <= COL_BITS; f++) {
        for (size_t k = 0; k < st->nchunk; k++) {
            const servgap__chunk *c = &st->chunk[k];
            const void *col[7] = {c->value, c->day, c->scope, c->tp, c->metric, c->team, c->bits};
            put_column(s, col[f], c->n, col_width[f]);
        }
    }
}

static void write_points(sink *s, const servgap__store *st)
{
    put_u64(s, st->npts);
    for (size_t i = 0; i < st->npts; i++) {
        put_u64(s, st->pts[i].row);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            put_f64(s, st->pts[i].p[d]);
    }
}

static void write_efforts(sink *s, const servgap_ctx *ctx)
{
    put_u64(s, ctx->neff);
    for (size_t i = 0; i < ctx->neff; i++) {
        put_i32(s, ctx->eff[i].gap);
        put_i32(s, ctx->eff[i].tp);
        put_i32(s, ctx->eff[i].metric);
        put_f64(s, ctx->eff[i].effort);
    }
}

static void write_plans(sink *s, const servgap_ctx *ctx)
{
    put_u64(s, ctx->nplans);
    for (size_t i = 0; i < ctx->nplans; i++) {
        const servgap__plan *p = &ctx->plans[i];
        put_name(s, ctx->owners.str[p->owner], ctx->owners.len[p->owner]);
        put_i32(s, p->scope_kind);
        put_i32(s, p->scope_id);
        put_i32(s, p->tp);
        put_i32(s, p->metric);
        put_i32(s, p->dimension);
        put_i32(s, p->gap);
        put_i64(s, p->deadline);
        put_f64(s, p->target);
        put_i32(s, p->last_outcome);
        put_i64(s, p->next_check);
    }
}

static void write_payload(sink *s, const servgap_ctx *ctx, int k)
{
    switch (k) {
    case SEC_TIERS:
        write_names(s, &ctx->tiers);
        break;
    case SEC_TOUCHPOINTS:
        write_names(s, &ctx->touchpoints);
        break;
    case SEC_TEAMS:
        write_names(s, &ctx->teams);
        break;
    case SEC_METRICS:
        write_metrics(s, &ctx->metrics);
        break;
    case SEC_ACCOUNTS:
        write_accounts(s, &ctx->accounts);
        break;
    case SEC_IMPORTANCE:
        write_importance(s, ctx);
        break;
    case SEC_OBSERVATIONS:
        write_observations(s, &ctx->store);
        break;
    case SEC_POINTS:
        write_points(s, &ctx->store);
        break;
    case SEC_EFFORTS:
        write_efforts(s, ctx);
        break;
    default:
        write_plans(s, ctx);
        break;
    }
}

typedef struct layout {
    uint64_t len[SEC_COUNT];
    uint64_t total;
} layout;

static void measure(const servgap_ctx *ctx, layout *l)
{
    l->total = HEADER_LEN;
    for (int k = 0; k < SEC_COUNT; k++) {
        sink count = {NULL, 0, 0, 0, -1, 0, 0, NULL};
        write_payload(&count, ctx, k);
        l->len[k] = count.off;
        l->total += SECTION_HEAD + count.off;
    }
}

/* The section's CRC goes into its header once the payload is out. The
 * header never straddles a flush (write_section makes room first), so it
 * is either still in the buffer or wholly in the file. */
static void patch_crc(sink *s, uint64_t at, uint32_t crc)
{
    uint8_t b[4];
    servgap__put_u32(b, crc);
    uint64_t flushed = s->off - s->pos;
    if (at >= flushed) {
        memcpy(s->buf + (at - flushed), b, 4);
        return;
    }
    size_t done = 0;
    while (!s->err && done < 4) {
        ssize_t k = pwrite(s->fd, b + done, 4 - done, (off_t)(at + done));
        if (k > 0)
            done += (size_t)k;
        else if (k == 0 || errno != EINTR)
            s->err = k == 0 ? EIO : errno;
    }
}

static void write_section(sink *s, const servgap_ctx *ctx, int k, uint64_t len)
{
    if (s->cap - s->pos < SECTION_HEAD)
        sink_flush(s);
    uint64_t at = s->off;
    uint8_t h[SECTION_HEAD] = {0};
    servgap__put_u32(h, section_tag(k));
    servgap__put_u32(h + 4, SECTION_REQUIRED);
    servgap__put_u64(h + 8, len);
    s->crc = 0;
    emit(s, h, 16);
    uint32_t crc = s->crc;
    emit(s, h + 16, 8); /* CRC placeholder and reserved: outside the CRC */
    s->crc = crc;
    write_payload(s, ctx, k);
    patch_crc(s, at + 16, s->crc);
}

static void write_snapshot(sink *s, const servgap_ctx *ctx, const layout *l)
{
    uint8_t h[HEADER_LEN] = {0};
    memcpy(h, magic, sizeof magic);
    servgap__put_u16(h + 8, FORMAT_MAJOR);
    servgap__put_u16(h + 10, FORMAT_MINOR);
    servgap__put_u32(h + 12, 0);
    servgap__put_u64(h + 16, l->total);
    servgap__put_u32(h + 24, SEC_COUNT);
    servgap__put_u32(h + 28, servgap__crc32c_update(s->t, 0, h, 28));
    emit(s, h, HEADER_LEN);
    for (int k = 0; k < SEC_COUNT; k++)
        write_section(s, ctx, k, l->len[k]);
}

SERVGAP_API int servgap_snapshot_write(servgap_ctx *ctx, void *buf, size_t cap, size_t *len)
{
    static const char *const fn = "servgap_snapshot_write";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!len || (!buf && cap > 0))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "len is NULL, or buf is NULL with cap > 0");
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    int rc = SERVGAP_OK;
    layout l;
    servgap__rdlock(ctx);
    measure(ctx, &l);
    if (l.total > SIZE_MAX) {
        rc = servgap__fail(ctx, SERVGAP_ELIMIT, fn, "a snapshot of %llu bytes does not fit size_t",
                           (unsigned long long)l.total);
    } else if (buf && cap < l.total) {
        rc = servgap__fail(ctx, SERVGAP_EBUFSIZE, fn, "the snapshot needs %llu bytes, cap is %zu",
                           (unsigned long long)l.total, cap);
    } else if (buf) {
        sink s = {buf, (size_t)l.total, 0, 0, -1, 0, 0, &crc};
        write_snapshot(&s, ctx, &l);
    }
    servgap__unlock(ctx);
    if (rc == SERVGAP_OK || rc == SERVGAP_EBUFSIZE)
        *len = (size_t)l.total;
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Files                                                                   */
/* ---------------------------------------------------------------------- */

static int io_fail(servgap_ctx *ctx, const char *func, const char *path, const char *what, int err)
{
    char text[128];
    if (strerror_r(err, text, sizeof text) != 0)
        snprintf(text, sizeof text, "error %d", err);
    return servgap__fail(ctx, SERVGAP_EIO, func, "'%.300s': %s: %s", path, what, text);
}

/* A new file beside path, named path.tmp.PID.N: the pid separates
 * processes, O_EXCL and the next N separate concurrent saves of one
 * process, without any shared counter. */
static int open_temp(const char *path, char *name, size_t cap)
{
    long pid = (long)getpid();
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(name, cap, "%s.tmp.%ld.%u", path, pid, k);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* Serializes under the read lock into fd; the errno of a failure, or 0. */
static int write_file(servgap_ctx *ctx, int fd, uint8_t *stage)
{
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    sink s = {stage, STAGE_LEN, 0, 0, fd, 0, 0, &crc};
    layout l;
    servgap__rdlock(ctx);
    measure(ctx, &l);
    write_snapshot(&s, ctx, &l);
    sink_flush(&s);
    servgap__unlock(ctx);
    return s.err;
}

/* Makes the rename durable. buf has room for path. Filesystems that cannot
 * fsync a directory (EINVAL) make no promise to break. */
static int sync_dir(const char *path, char *buf)
{
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    memcpy(buf, n ? path : ".", n ? n : 1);
    buf[n ? n : 1] = '\0';
    int fd = open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = fsync(fd) != 0 ? errno : 0;
    close(fd);
    return err == EINVAL ? 0 : err;
}

static int save_via(servgap_ctx *ctx, const char *fn, const char *path, char *tmp, size_t tmpcap,
                    uint8_t *stage)
{
    int fd = open_temp(path, tmp, tmpcap);
    if (fd < 0)
        return io_fail(ctx, fn, path, "cannot create a temporary file beside it", errno);
    const char *what = "write failed";
    int err = write_file(ctx, fd, stage);
    if (!err && fsync(fd) != 0) {
        err = errno;
        what = "fsync failed";
    }
    if (close(fd) != 0 && !err) {
        err = errno;
        what = "close failed";
    }
    if (!err && rename(tmp, path) != 0) {
        err = errno;
        what = "rename failed";
    }
    if (err) {
        unlink(tmp);
        return io_fail(ctx, fn, path, what, err);
    }
    err = sync_dir(path, tmp);
    if (err)
        return io_fail(ctx, fn, path, "saved, but flushing its directory failed", err);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_snapshot_save(servgap_ctx *ctx, const char *path)
{
    static const char *const fn = "servgap_snapshot_save";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!path)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "path is NULL");
    size_t tmpcap = strlen(path) + 48;
    char *tmp = servgap__malloc(&ctx->alloc, tmpcap, 1);
    uint8_t *stage = servgap__malloc(&ctx->alloc, STAGE_LEN, 1);
    int rc = tmp && stage ? save_via(ctx, fn, path, tmp, tmpcap, stage)
                          : servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    servgap__free(&ctx->alloc, tmp);
    servgap__free(&ctx->alloc, stage);
    return rc;
}

/* The whole file in memory from ctx's allocator. */
static int read_file(servgap_ctx *ctx, const char *fn, const char *path, uint8_t **data,
                     size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(ctx, fn, path, "cannot open", errno);
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
        return err ? io_fail(ctx, fn, path, "cannot read", err)
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
        for (int f = COL_VALUE; f <= COL_BITS; f++)
            get_column(col[f], rows + col_start[f] * n + col_width[f] * first, m, col_width[f]);
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
    return ra->base + col_start[f] * ra->n + col_width[f] * (size_t)i;
}

static int row_ids_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__row *row)
{
    const servgap_ctx *t = r->t;
    unsigned long long ri = (unsigned long long)i;
    if (!scope_valid(t, row->scope))
        return corrupt(r, field_at(ra, COL_SCOPE, i), "row %llu: unknown scope 0x%08x", ri,
                       (unsigned)row->scope);
    if (row->tp != SERVGAP__TP_ANY && row->tp >= t->touchpoints.count)
        return corrupt(r, field_at(ra, COL_TP, i), "row %llu: unknown touchpoint %u", ri,
                       (unsigned)row->tp);
    if (row->metric >= t->metrics.names.count)
        return corrupt(r, field_at(ra, COL_METRIC, i), "row %llu: unknown metric %u", ri,
                       (unsigned)row->metric);
    if (row->team < -1 || (row->team >= 0 && (size_t)row->team >= t->teams.count))
        return corrupt(r, field_at(ra, COL_TEAM, i), "row %llu: unknown team %d", ri,
                       (int)row->team);
    return SERVGAP_OK;
}

/* The checks of servgap_record: a value inside its metric's range, a day
 * that a time within 2^31 days of 1970 gives, known bits. */
static int row_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__row *row)
{
    unsigned long long ri = (unsigned long long)i;
    if (row_ids_valid(r, ra, i, row) != SERVGAP_OK)
        return r->rc;
    const servgap__metric *m = &r->t->metrics.m[row->metric];
    if (!isfinite(row->value) || row->value < m->min || row->value > m->max)
        return corrupt(r, field_at(ra, COL_VALUE, i), "row %llu: value %g outside [%g, %g]", ri,
                       row->value, m->min, m->max);
    if (row->day < -INT32_MAX || row->day == INT32_MAX)
        return corrupt(r, field_at(ra, COL_DAY, i), "row %llu: day %ld", ri, (long)row->day);
    unsigned bits = row->bits;
    if (SERVGAP__BITS_VP(bits) >= SERVGAP_VP_COUNT ||
        SERVGAP__BITS_DRIVER(bits) > SERVGAP_DRIVER_EXTERNAL_COMMUNICATION ||
        ((bits & SERVGAP__BIT_START) && !(bits & SERVGAP__BIT_RESPONSE)))
        return corrupt(r, field_at(ra, COL_BITS, i), "row %llu: bits 0x%02x", ri, bits);
    return SERVGAP_OK;
}

/* The response being read: what servgap_record_response writes is a run
 * of rows, the first flagged START, sharing scope, touchpoint, day, team
 * and driver, items in turn with their expected, adequate and perceived
 * rows in that order, no metric twice. */
typedef struct resp_check {
    int open;
    servgap__row first;
    uint64_t id;    /* 1 + the first row's index */
    int32_t item;   /* metric of the current item */
    int vp;         /* its last viewpoint */
    uint64_t *seen; /* per metric: id of the last response that had it */
} resp_check;

static int same_context(const servgap__row *a, const servgap__row *b)
{
    return a->scope == b->scope && a->tp == b->tp && a->day == b->day && a->team == b->team &&
           SERVGAP__BITS_DRIVER(a->bits) == SERVGAP__BITS_DRIVER(b->bits);
}

static int response_row(reader *r, resp_check *rc, const rows_at *ra, uint64_t i,
                        const servgap__row *row)
{
    size_t at = field_at(ra, COL_BITS, i);
    unsigned long long ri = (unsigned long long)i;
    if (!(row->bits & SERVGAP__BIT_RESPONSE)) {
        rc->open = 0;
        return SERVGAP_OK;
    }
    if (row->bits & SERVGAP__BIT_START) {
        rc->open = 1;
        rc->first = *row;
        rc->id = i + 1;
        rc->item = -1;
    } else if (!rc->open || !same_context(&rc->first, row)) {
        return corrupt(r, at, "row %llu: a response row %s", ri,
                       rc->open ? "differs from its response's first row" : "without a start");
    }
    int vp = SERVGAP__BITS_VP(row->bits);
    if (vp != SERVGAP_VP_EXPECTED && vp != SERVGAP_VP_ADEQUATE && vp != SERVGAP_VP_PERCEIVED)
        return corrupt(r, at, "row %llu: viewpoint %d in a response", ri, vp);
    if (row->metric == rc->item && vp <= rc->vp)
        return corrupt(r, at, "row %llu: an item's viewpoint repeats or is out of order", ri);
    if (row->metric != rc->item) {
        if (rc->seen[row->metric] == rc->id)
            return corrupt(r, at, "row %llu: a metric repeats in one response", ri);
        rc->seen[row->metric] = rc->id;
        rc->item = row->metric;
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
    servgap__row row;
    for (uint64_t i = 0; i < t->store.count && r->rc == SERVGAP_OK; i++) {
        servgap__store_get(&t->store, i, &row);
        if (row_valid(r, ra, i, &row) == SERVGAP_OK)
            response_row(r, &rc, ra, i, &row);
    }
    servgap__free(&t->alloc, rc.seen);
    return r->rc;
}

static int load_observations(reader *r)
{
    size_t at = r->pos;
    uint64_t n = rd_u64(r);
    if (count_exact(r, at, n, ROW_BYTES) != SERVGAP_OK)
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
    servgap__row row;
    for (uint64_t i = 0; i < n && r->rc == SERVGAP_OK; i++) {
        at = r->pos;
        uint64_t ri = rd_u64(r);
        double p[SERVGAP_DIM_COUNT];
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            p[d] = rd_f64(r);
        if (ri >= s->count || (s->npts > 0 && ri <= s->pts[s->npts - 1].row))
            return corrupt(r, at, "row %llu is not a later row of the log", (unsigned long long)ri);
        servgap__store_get(s, ri, &row);
        if (!(row.bits & SERVGAP__BIT_START))
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
    case SEC_TIERS:
        return load_names(r, &t->tiers, "tier", 0x40000000u);
    case SEC_TOUCHPOINTS:
        return load_names(r, &t->touchpoints, "touchpoint", SERVGAP__TP_ALL);
    case SEC_TEAMS:
        return load_names(r, &t->teams, "team", INT32_MAX);
    case SEC_METRICS:
        return load_metrics(r);
    case SEC_ACCOUNTS:
        return load_accounts(r);
    case SEC_IMPORTANCE:
        return load_importance(r);
    case SEC_OBSERVATIONS:
        return load_observations(r);
    case SEC_POINTS:
        return load_points(r);
    case SEC_EFFORTS:
        return load_efforts(r);
    default:
        return load_plans(r);
    }
}

/* Checks the fixed header; on success the sections start at r->pos. The
 * magic and the major version come first: they stay where they are in
 * every version, while a later major version may change the rest. */
static int read_header(reader *r, uint32_t *nsec)
{
    const uint8_t *h = r->p;
    r->sec = "header";
    r->end = r->len;
    if (r->len == 0)
        return corrupt(r, 0, "empty input");
    if (memcmp(h, magic, r->len < sizeof magic ? r->len : sizeof magic) != 0)
        return corrupt(r, 0, "not a snapshot (no SRVGAPSN magic)");
    if (r->len < HEADER_LEN)
        return corrupt(r, r->len, "truncated within the %d-byte header", HEADER_LEN);
    unsigned major = servgap__get_u16(h + 8), minor = servgap__get_u16(h + 10);
    if (major != FORMAT_MAJOR)
        return corrupt(r, 8, "format version %u.%u; this library reads %d.x", major, minor,
                       FORMAT_MAJOR);
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
    r->pos = HEADER_LEN;
    return SERVGAP_OK;
}

static int section_index(uint32_t tag)
{
    for (int k = 0; k < SEC_COUNT; k++)
        if (section_tag(k) == tag)
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
    if (r->len - at < SECTION_HEAD)
        return corrupt(r, at, "section %u of %u: header truncated", (unsigned)s + 1,
                       (unsigned)nsec);
    const uint8_t *h = r->p + at;
    uint32_t tag = servgap__get_u32(h);
    uint64_t len = servgap__get_u64(h + 8);
    *k = section_index(tag);
    *flags = servgap__get_u32(h + 4);
    if (*k >= 0)
        r->sec = sections[*k].name;
    else
        snprintf(r->secbuf, sizeof r->secbuf, "0x%08x", (unsigned)tag);
    if (len > r->len - at - SECTION_HEAD)
        return corrupt(r, at + 8, "length %llu runs past the end of the input",
                       (unsigned long long)len);
    uint32_t crc = servgap__crc32c_update(r->crc, 0, h, 16);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    crc = servgap__crc32c_update(r->crc, crc, h + SECTION_HEAD, (size_t)len);
    if (crc != servgap__get_u32(h + 16))
        return corrupt(r, at + 16, "checksum mismatch");
#else
    (void)crc; /* fuzzing reaches the decoders only without checksums */
#endif
    if (servgap__get_u32(h + 20) != 0)
        return corrupt(r, at + 20, "reserved field is not zero");
    r->pos = at + SECTION_HEAD;
    r->end = r->pos + (size_t)len;
    return SERVGAP_OK;
}

/* Known sections in their order, none missing; unknown optional ones
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
        if (k < 0 && (flags & SECTION_REQUIRED))
            return corrupt(r, at, "an unknown section marked required");
        if (k >= 0 && k != next)
            return corrupt(r, at, "out of order or repeated (expected '%s')",
                           next < SEC_COUNT ? sections[next].name : "none");
        if (k >= 0 && load_section(r, k) != SERVGAP_OK)
            return r->rc;
        if (k >= 0 && r->pos != r->end)
            return corrupt(r, r->pos, "%zu bytes left over", r->end - r->pos);
        next += k >= 0;
        r->pos = r->end;
    }
    r->sec = "end";
    r->end = r->len;
    if (next < SEC_COUNT)
        return corrupt(r, r->pos, "section '%s' is missing", sections[next].name);
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
