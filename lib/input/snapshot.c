/*
 * snapshot -- writing the snapshot (docs/formats.md, "Snapshots"): a
 * handle's contents, sized by the very code that writes them, into a
 * caller's buffer or atomically into a file (temporary file, fsync,
 * rename, fsync of the directory). Relies on ctx and the format in
 * snapshot.h; loading is snapload.c.
 */
#include "../base/platform.h"

#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGE_LEN 65536

const uint8_t servgap__snap_magic[8] = {'S', 'R', 'V', 'G', 'A', 'P', 'S', 'N'};

const servgap__section servgap__snap_sections[SERVGAP__SEC_COUNT] = {
    {{'T', 'I', 'E', 'R'}, "tiers"},        {{'T', 'P', 'N', 'T'}, "touchpoints"},
    {{'T', 'E', 'A', 'M'}, "teams"},        {{'M', 'E', 'T', 'R'}, "metrics"},
    {{'A', 'C', 'C', 'T'}, "accounts"},     {{'I', 'M', 'P', 'O'}, "importance"},
    {{'O', 'B', 'S', 'V'}, "observations"}, {{'R', 'P', 'T', 'S'}, "points"},
    {{'E', 'F', 'R', 'T'}, "efforts"},      {{'P', 'L', 'A', 'N'}, "plans"},
    {{'P', 'L', 'W', 'N'}, "plan windows"}, {{'S', 'U', 'M', 'M'}, "summary"},
    {{'S', 'E', 'R', 'S'}, "series"},       {{'D', 'A', 'Y', 'S'}, "days"},
    {{'P', 'A', 'I', 'R'}, "pairs"},        {{'R', 'E', 'S', 'P'}, "responses"},
};

const size_t servgap__col_start[7] = {0, 8, 12, 16, 18, 20, 24};
const size_t servgap__col_width[7] = {8, 4, 4, 2, 2, 4, 1};

uint32_t servgap__snap_tag(int k)
{
    return servgap__get_u32((const uint8_t *)servgap__snap_sections[k].tag);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */
/* ---------------------------------------------------------------------- */

typedef servgap__sink sink;

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

void servgap__sink_bytes(sink *s, const void *p, size_t n)
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

void servgap__sink_u8(sink *s, uint8_t v)
{
    servgap__sink_bytes(s, &v, 1);
}

void servgap__sink_u32(sink *s, uint32_t v)
{
    uint8_t b[4];
    servgap__put_u32(b, v);
    servgap__sink_bytes(s, b, 4);
}

void servgap__sink_i32(sink *s, int32_t v)
{
    servgap__sink_u32(s, (uint32_t)v);
}

void servgap__sink_u64(sink *s, uint64_t v)
{
    uint8_t b[8];
    servgap__put_u64(b, v);
    servgap__sink_bytes(s, b, 8);
}

void servgap__sink_i64(sink *s, int64_t v)
{
    servgap__sink_u64(s, (uint64_t)v);
}

void servgap__sink_f64(sink *s, double v)
{
    uint8_t b[8];
    servgap__put_f64(b, v);
    servgap__sink_bytes(s, b, 8);
}

/* Every NaN is written as one bit pattern, so equal states give equal
 * bytes whatever NaN a caller passed in. */
static void put_f64_canonical(sink *s, double v)
{
    if (isnan(v))
        servgap__sink_u64(s, SERVGAP__SNAP_NAN);
    else
        servgap__sink_f64(s, v);
}

static void put_name(sink *s, const char *str, uint32_t len)
{
    servgap__sink_u8(s, (uint8_t)len);
    servgap__sink_bytes(s, str, len);
}

/* n elements of width bytes, as little-endian. */
static void put_column(sink *s, const void *col, size_t n, size_t width)
{
    if (servgap__host_le()) {
        servgap__sink_bytes(s, col, n * width);
        return;
    }
    const uint8_t *b = col;
    for (size_t i = 0; i < n; i++) {
        uint8_t e[8];
        for (size_t k = 0; k < width; k++)
            e[k] = b[i * width + width - 1 - k];
        servgap__sink_bytes(s, e, width);
    }
}

static void write_names(sink *s, const servgap__names *t)
{
    servgap__sink_u64(s, t->count);
    for (size_t i = 0; i < t->count; i++)
        put_name(s, t->str[i], t->len[i]);
}

static void write_metrics(sink *s, const servgap__metrics *r)
{
    servgap__sink_u64(s, r->names.count);
    for (size_t i = 0; i < r->names.count; i++) {
        const servgap__metric *m = &r->m[i];
        size_t ulen = strlen(m->unit);
        put_name(s, r->names.str[i], r->names.len[i]);
        servgap__sink_i32(s, m->dimension);
        servgap__sink_i32(s, m->direction);
        servgap__sink_f64(s, m->min);
        servgap__sink_f64(s, m->max);
        servgap__sink_f64(s, m->span);
        servgap__sink_u32(s, (uint32_t)ulen); /* every way in holds units to SERVGAP__UNIT_MAX */
        servgap__sink_bytes(s, m->unit, ulen);
    }
}

static void write_accounts(sink *s, const servgap__accounts *r)
{
    servgap__sink_u64(s, r->names.count);
    for (size_t i = 0; i < r->names.count; i++) {
        const servgap__account *a = &r->a[i];
        put_name(s, r->names.str[i], r->names.len[i]);
        servgap__sink_i32(s, a->tier);
        servgap__sink_u32(s, (a->at_risk ? 1u : 0u) | (a->churned ? 2u : 0u));
        servgap__sink_f64(s, a->value);
        put_f64_canonical(s, a->health);
        servgap__sink_i64(s, a->renewal);
        servgap__sink_i64(s, a->migration);
    }
}

static void write_importance(sink *s, const servgap_ctx *ctx)
{
    servgap__sink_u64(s, ctx->nimp);
    for (size_t i = 0; i < ctx->nimp; i++) {
        servgap__sink_u32(s, ctx->imp[i].scope);
        servgap__sink_i32(s, ctx->imp[i].whose);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            servgap__sink_f64(s, ctx->imp[i].p[d]);
    }
}

/* Column by column, so that a little-endian reader copies each whole. */
static void write_observations(sink *s, const servgap__store *st)
{
    servgap__sink_u64(s, st->count);
    for (int f = SERVGAP__COL_VALUE; f <= SERVGAP__COL_BITS; f++) {
        for (size_t k = 0; k < st->nchunk; k++) {
            const servgap__chunk *c = &st->chunk[k];
            const void *col[7] = {c->value, c->day, c->scope, c->tp, c->metric, c->team, c->bits};
            put_column(s, col[f], c->n, servgap__col_width[f]);
        }
    }
}

static void write_points(sink *s, const servgap__store *st)
{
    servgap__sink_u64(s, st->npts);
    for (size_t i = 0; i < st->npts; i++) {
        servgap__sink_u64(s, st->pts[i].row);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            servgap__sink_f64(s, st->pts[i].p[d]);
    }
}

static void write_efforts(sink *s, const servgap_ctx *ctx)
{
    servgap__sink_u64(s, ctx->neff);
    for (size_t i = 0; i < ctx->neff; i++) {
        servgap__sink_i32(s, ctx->eff[i].gap);
        servgap__sink_i32(s, ctx->eff[i].tp);
        servgap__sink_i32(s, ctx->eff[i].metric);
        servgap__sink_f64(s, ctx->eff[i].effort);
    }
}

static void write_plans(sink *s, const servgap_ctx *ctx)
{
    servgap__sink_u64(s, ctx->nplans);
    for (size_t i = 0; i < ctx->nplans; i++) {
        const servgap__plan *p = &ctx->plans[i];
        put_name(s, ctx->owners.str[p->owner], ctx->owners.len[p->owner]);
        servgap__sink_i32(s, p->scope_kind);
        servgap__sink_i32(s, p->scope_id);
        servgap__sink_i32(s, p->tp);
        servgap__sink_i32(s, p->metric);
        servgap__sink_i32(s, p->dimension);
        servgap__sink_i32(s, p->gap);
        servgap__sink_i64(s, p->deadline);
        servgap__sink_f64(s, p->target);
        servgap__sink_i32(s, p->last_outcome);
        servgap__sink_i64(s, p->next_check);
    }
}

/* Each plan's baseline window, in plan order. */
static void write_plan_windows(sink *s, const servgap_ctx *ctx)
{
    servgap__sink_u64(s, ctx->nplans);
    for (size_t i = 0; i < ctx->nplans; i++) {
        servgap__sink_i64(s, ctx->plans[i].base_from);
        servgap__sink_i64(s, ctx->plans[i].base_to);
    }
}

/* Whether section k is in a snapshot of ctx: an optional section only
 * when it holds something. */
static int section_written(const servgap__doc *d, int k)
{
    const servgap_ctx *ctx = d->ctx;
    if (!servgap__snap_optional(k))
        return 1;
    for (size_t i = 0; i < ctx->nplans; i++)
        if (ctx->plans[i].base_from != SERVGAP_TIME_NONE)
            return 1;
    return 0;
}

void servgap__snap_payload(sink *s, const servgap__doc *d, int k)
{
    const servgap_ctx *ctx = d->ctx;
    switch (k) {
    case SERVGAP__SEC_TIERS:
        write_names(s, &ctx->tiers);
        break;
    case SERVGAP__SEC_TOUCHPOINTS:
        write_names(s, &ctx->touchpoints);
        break;
    case SERVGAP__SEC_TEAMS:
        write_names(s, &ctx->teams);
        break;
    case SERVGAP__SEC_METRICS:
        write_metrics(s, &ctx->metrics);
        break;
    case SERVGAP__SEC_ACCOUNTS:
        write_accounts(s, &ctx->accounts);
        break;
    case SERVGAP__SEC_IMPORTANCE:
        write_importance(s, ctx);
        break;
    case SERVGAP__SEC_OBSERVATIONS:
        write_observations(s, d->log);
        break;
    case SERVGAP__SEC_POINTS:
        write_points(s, d->log);
        break;
    case SERVGAP__SEC_EFFORTS:
        write_efforts(s, ctx);
        break;
    case SERVGAP__SEC_PLANS:
        write_plans(s, ctx);
        break;
    default:
        write_plan_windows(s, ctx);
        break;
    }
}

int servgap__snap_written(const servgap__doc *d, int k)
{
    return k >= SERVGAP__SEC_SNAP_COUNT || section_written(d, k);
}

static void measure(const servgap__doc *d, servgap__layout *l)
{
    memset(l, 0, sizeof *l);
    l->total = SERVGAP__SNAP_HEADER_LEN;
    l->nsec = 0;
    for (int k = 0; k < d->nsec; k++) {
        sink count = {NULL, 0, 0, 0, -1, 0, 0, NULL};
        l->len[k] = 0;
        l->written[k] = servgap__snap_written(d, k);
        if (!l->written[k])
            continue;
        l->nsec++;
        d->payload(&count, d, k);
        l->len[k] = count.off;
        l->total += SERVGAP__SNAP_SECTION_HEAD + count.off;
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

static void write_section(sink *s, const servgap__doc *d, int k, const servgap__layout *l)
{
    if (!l->written[k])
        return; /* an optional section without content */
    if (s->cap - s->pos < SERVGAP__SNAP_SECTION_HEAD)
        sink_flush(s);
    uint64_t at = s->off;
    uint8_t h[SERVGAP__SNAP_SECTION_HEAD] = {0};
    servgap__put_u32(h, servgap__snap_tag(k));
    servgap__put_u32(h + 4, servgap__snap_optional(k) ? 0 : SERVGAP__SNAP_REQUIRED);
    servgap__put_u64(h + 8, l->len[k]);
    s->crc = 0;
    servgap__sink_bytes(s, h, 16);
    uint32_t crc = s->crc;
    servgap__sink_bytes(s, h + 16, 8); /* CRC placeholder and reserved: outside the CRC */
    s->crc = crc;
    d->payload(s, d, k);
    patch_crc(s, at + 16, s->crc);
}

uint32_t servgap__snap_log_flags(const servgap__store *st)
{
    for (size_t c = 0; c < st->nchunk; c++)
        for (size_t i = 0; i < st->chunk[c].n; i++)
            if (SERVGAP__IS_WITHDRAWAL(st->chunk[c].bits[i]))
                return SERVGAP__SNAP_WITHDRAWALS;
    return 0;
}

uint32_t servgap__snap_header_flags(const servgap_ctx *ctx)
{
    return servgap__snap_log_flags(&ctx->store);
}

static void write_doc(sink *s, const servgap__doc *d, const servgap__layout *l)
{
    uint8_t h[SERVGAP__SNAP_HEADER_LEN] = {0};
    memcpy(h, d->magic, sizeof servgap__snap_magic);
    servgap__put_u16(h + 8, d->major);
    servgap__put_u16(h + 10, d->minor);
    servgap__put_u32(h + 12, d->flags);
    servgap__put_u64(h + 16, l->total);
    servgap__put_u32(h + 24, l->nsec);
    servgap__put_u32(h + 28, servgap__crc32c_update(s->t, 0, h, 28));
    servgap__sink_bytes(s, h, SERVGAP__SNAP_HEADER_LEN);
    for (int k = 0; k < d->nsec; k++)
        write_section(s, d, k, l);
}

int servgap__doc_write(servgap_ctx *ctx, const char *fn, const servgap__doc *d, void *buf,
                       size_t cap, size_t *len)
{
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    servgap__layout l;
    measure(d, &l);
    *len = (size_t)l.total;
    if (l.total > SIZE_MAX)
        return servgap__fail(ctx, SERVGAP_ELIMIT, fn, "%s of %llu bytes does not fit size_t",
                             d->what, (unsigned long long)l.total);
    if (buf && cap < l.total)
        return servgap__fail(ctx, SERVGAP_EBUFSIZE, fn, "the %s needs %llu bytes, cap is %zu",
                             d->what, (unsigned long long)l.total, cap);
    if (buf) {
        sink s = {buf, (size_t)l.total, 0, 0, -1, 0, 0, &crc};
        write_doc(&s, d, &l);
    }
    return SERVGAP_OK;
}

/* The snapshot of ctx as a document. */
static void snapshot_doc(const servgap_ctx *ctx, servgap__doc *d)
{
    d->what = "snapshot";
    d->magic = servgap__snap_magic;
    d->major = SERVGAP__SNAP_MAJOR;
    d->minor = SERVGAP__SNAP_MINOR;
    d->flags = servgap__snap_header_flags(ctx);
    d->nsec = SERVGAP__SEC_SNAP_COUNT;
    d->payload = servgap__snap_payload;
    d->ctx = ctx;
    d->log = &ctx->store;
    d->extra = NULL;
}

/* A handle that holds summaries' buckets has no snapshot: the format has
 * no place for them (docs/formats.md, "Summaries"). */
static int refuse_buckets(servgap_ctx *ctx, const char *fn)
{
    if (servgap__buckets_empty(&ctx->buckets))
        return SERVGAP_OK;
    return servgap__fail(ctx, SERVGAP_EINVAL, fn,
                         "the handle holds loaded summaries, which a snapshot cannot hold: "
                         "write a summary (servgap_summary_write) instead");
}

SERVGAP_API int servgap_snapshot_write(servgap_ctx *ctx, void *buf, size_t cap, size_t *len)
{
    static const char *const fn = "servgap_snapshot_write";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!len || (!buf && cap > 0))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "len is NULL, or buf is NULL with cap > 0");
    size_t n = 0;
    servgap__doc d;
    servgap__rdlock(ctx);
    snapshot_doc(ctx, &d);
    int rc = refuse_buckets(ctx, fn);
    if (rc == SERVGAP_OK)
        rc = servgap__doc_write(ctx, fn, &d, buf, cap, &n);
    servgap__unlock(ctx);
    if (rc == SERVGAP_OK || rc == SERVGAP_EBUFSIZE)
        *len = n;
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Files                                                                   */
/* ---------------------------------------------------------------------- */

int servgap__io_fail(servgap_ctx *ctx, const char *func, const char *path, const char *what,
                     int err)
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

/* Serializes under the read lock into fd; the errno of a failure, 0, or
 * -1 when the handle holds summaries (refuse_buckets).
 * stage is written: it becomes the sink's buffer. */
static int write_file(servgap_ctx *ctx, int fd,
                      uint8_t *stage) // NOLINT(readability-non-const-parameter)
{
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    sink s = {stage, STAGE_LEN, 0, 0, fd, 0, 0, &crc};
    servgap__layout l;
    servgap__doc d;
    servgap__rdlock(ctx);
    snapshot_doc(ctx, &d);
    if (!servgap__buckets_empty(&ctx->buckets)) {
        servgap__unlock(ctx);
        return -1;
    }
    measure(&d, &l);
    write_doc(&s, &d, &l);
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
        return servgap__io_fail(ctx, fn, path, "cannot create a temporary file beside it", errno);
    const char *what = "write failed";
    int err = write_file(ctx, fd, stage);
    if (err < 0) {
        close(fd);
        unlink(tmp);
        return refuse_buckets(ctx, fn);
    }
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
        return servgap__io_fail(ctx, fn, path, what, err);
    }
    err = sync_dir(path, tmp);
    if (err)
        return servgap__io_fail(ctx, fn, path, "saved, but flushing its directory failed", err);
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
