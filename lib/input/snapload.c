/*
 * snapload -- loading a snapshot (docs/formats.md, "Snapshots"): the file
 * read whole, its header and section frames (lengths, checksums, order)
 * checked, each section decoded into a private handle (snapdecode), which
 * is then merged with servgap__merge, so a damaged input changes
 * nothing and loading into a handle that holds data is a merge. Relies on
 * ctx, merge, snapread, snapdecode and the format in snapshot.h.
 */
#include "../base/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/tables.h"
#include "merge.h"
#include "snapdecode.h"
#include "snapshot.h"
#include "summary.h"

/* What a document of the format is: a snapshot or a summary. */
typedef struct format {
    const char *what;     /* "snapshot", "summary" */
    const uint8_t *magic; /* 8 bytes, printable */
    unsigned major;
    int nknown; /* its sections are 0 .. nknown - 1 of servgap__snap_sections */
} format;

static const format snapshot_format = {"snapshot", servgap__snap_magic, SERVGAP__SNAP_MAJOR,
                                       SERVGAP__SEC_SNAP_COUNT};
static const format summary_format = {"summary", servgap__sum_magic, SERVGAP__SUM_MAJOR,
                                      SERVGAP__SEC_COUNT};

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

/* Checks the fixed header; on success the sections start at r->pos. The
 * magic and the major version come first: they stay where they are in
 * every version, while a later major version may change the rest. */
static int read_header(servgap__snapreader *r, const format *f, uint32_t *nsec)
{
    const uint8_t *h = r->p;
    r->sec = "header";
    r->end = r->len;
    if (r->len == 0)
        return servgap__snap_corrupt(r, 0, "empty input");
    if (memcmp(h, f->magic, r->len < 8 ? r->len : 8) != 0)
        return servgap__snap_corrupt(r, 0, "not a %s (no %.8s magic)", f->what,
                                     (const char *)f->magic);
    if (r->len < SERVGAP__SNAP_HEADER_LEN)
        return servgap__snap_corrupt(r, r->len, "truncated within the %d-byte header",
                                     SERVGAP__SNAP_HEADER_LEN);
    unsigned major = servgap__get_u16(h + 8), minor = servgap__get_u16(h + 10);
    if (major != f->major)
        return servgap__snap_corrupt(r, 8, "format version %u.%u; this library reads %u.x", major,
                                     minor, f->major);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    if (servgap__crc32c_update(r->crc, 0, h, 28) != servgap__get_u32(h + 28))
        return servgap__snap_corrupt(r, 28, "header checksum mismatch");
#endif
    r->header_flags = servgap__get_u32(h + 12);
    if (r->header_flags & ~SERVGAP__SNAP_WITHDRAWALS)
        return servgap__snap_corrupt(r, 12, "unknown header flags 0x%x",
                                     (unsigned)(r->header_flags & ~SERVGAP__SNAP_WITHDRAWALS));
    uint64_t total = servgap__get_u64(h + 16);
    if (total != r->len)
        return servgap__snap_corrupt(r, 16, "the header says %llu bytes, the input has %zu",
                                     (unsigned long long)total, r->len);
    *nsec = servgap__get_u32(h + 24);
    r->pos = SERVGAP__SNAP_HEADER_LEN;
    return SERVGAP_OK;
}

static int section_index(const format *f, uint32_t tag)
{
    for (int k = 0; k < f->nknown; k++)
        if (servgap__snap_tag(k) == tag)
            return k;
    return -1;
}

/* Reads and checks one section header and checksum; on success its
 * payload is r->pos .. r->end and *k its index (-1: unknown tag). */
static int open_section(servgap__snapreader *r, const format *f, uint32_t s, uint32_t nsec, int *k,
                        uint32_t *flags)
{
    size_t at = r->pos;
    r->end = r->len;
    snprintf(r->secbuf, sizeof r->secbuf, "#%u", (unsigned)s);
    r->sec = r->secbuf;
    if (r->len - at < SERVGAP__SNAP_SECTION_HEAD)
        return servgap__snap_corrupt(r, at, "section %u of %u: header truncated", (unsigned)s + 1,
                                     (unsigned)nsec);
    const uint8_t *h = r->p + at;
    uint32_t tag = servgap__get_u32(h);
    uint64_t len = servgap__get_u64(h + 8);
    *k = section_index(f, tag);
    *flags = servgap__get_u32(h + 4);
    if (*k >= 0)
        r->sec = servgap__snap_sections[*k].name;
    else
        snprintf(r->secbuf, sizeof r->secbuf, "0x%08x", (unsigned)tag);
    if (len > r->len - at - SERVGAP__SNAP_SECTION_HEAD)
        return servgap__snap_corrupt(r, at + 8, "length %llu runs past the end of the input",
                                     (unsigned long long)len);
    uint32_t crc = servgap__crc32c_update(r->crc, 0, h, 16);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    crc = servgap__crc32c_update(r->crc, crc, h + SERVGAP__SNAP_SECTION_HEAD, (size_t)len);
    if (crc != servgap__get_u32(h + 16))
        return servgap__snap_corrupt(r, at + 16, "checksum mismatch");
#else
    (void)crc; /* fuzzing reaches the decoders only without checksums */
#endif
    if (servgap__get_u32(h + 20) != 0)
        return servgap__snap_corrupt(r, at + 20, "reserved field is not zero");
    /* Bits other than "required" are reserved: a writer that sets one means
     * something this reader cannot know, even for a section it skips. */
    if (*flags & ~SERVGAP__SNAP_REQUIRED)
        return servgap__snap_corrupt(r, at + 4, "reserved section flags 0x%x are set",
                                     (unsigned)(*flags & ~SERVGAP__SNAP_REQUIRED));
    r->pos = at + SERVGAP__SNAP_SECTION_HEAD;
    r->end = r->pos + (size_t)len;
    return SERVGAP_OK;
}

/* The first known section from next on that a document must have (a
 * known optional one may be absent), or f->nknown. */
static int next_required(const format *f, int next)
{
    while (next < f->nknown && servgap__snap_optional(next))
        next++;
    return next;
}

/* Known sections in their order, none missing but the optional ones;
 * unknown optional ones anywhere, skipped; nothing after the last. */
static int read_sections(servgap__snapreader *r, const format *f, uint32_t nsec)
{
    int next = 0;
    for (uint32_t s = 0; s < nsec; s++) {
        size_t at = r->pos;
        int k = -1;
        uint32_t flags = 0;
        if (servgap__interrupted_since(r->ctx, r->interrupt_mark))
            return r->rc = servgap__fail(r->ctx, SERVGAP_EINTERRUPTED, r->func, "%s",
                                         servgap__interrupted_text);
        if (open_section(r, f, s, nsec, &k, &flags) != SERVGAP_OK)
            return r->rc;
        if (k < 0 && (flags & SERVGAP__SNAP_REQUIRED))
            return servgap__snap_corrupt(r, at, "an unknown section marked required");
        while (k > next && servgap__snap_optional(next))
            next++; /* an optional known section is absent */
        if (k >= 0 && k != next)
            return servgap__snap_corrupt(r, at, "out of order or repeated (expected '%s')",
                                         next < f->nknown ? servgap__snap_sections[next].name
                                                          : "none");
        if (k >= 0 && servgap__snap_decode_section(r, k) != SERVGAP_OK)
            return r->rc;
        if (k >= 0 && r->pos != r->end)
            return servgap__snap_corrupt(r, r->pos, "%zu bytes left over", r->end - r->pos);
        next += k >= 0;
        r->pos = r->end;
    }
    r->sec = "end";
    r->end = r->len;
    if (next_required(f, next) < f->nknown)
        return servgap__snap_corrupt(r, r->pos, "section '%s' is missing",
                                     servgap__snap_sections[next_required(f, next)].name);
    if (r->pos != r->len)
        return servgap__snap_corrupt(r, r->pos, "%zu bytes after the last section",
                                     r->len - r->pos);
    return SERVGAP_OK;
}

/* Decodes data into a new private handle (*out, from ctx's allocator). */
static int decode(servgap_ctx *ctx, const format *f, const char *func, const char *path,
                  const uint8_t *data, size_t len, servgap_ctx **out)
{
    uint64_t mark = servgap__interrupt_mark(ctx);
    servgap_allocator al = {.size = sizeof al,
                            .malloc_fn = ctx->alloc.malloc_fn,
                            .realloc_fn = ctx->alloc.realloc_fn,
                            .free_fn = ctx->alloc.free_fn,
                            .user = ctx->alloc.user};
    servgap_ctx *t = NULL;
    if (servgap_ctx_new(&t, &al) != SERVGAP_OK)
        return servgap__fail(ctx, SERVGAP_ENOMEM, func, "out of memory");
    servgap__crc32c crc;
    servgap__crc32c_init(&crc);
    servgap__snapreader r = {ctx,      t,   func,       path, data, len,  0, 0,
                             "header", {0}, SERVGAP_OK, &crc, 0,    mark, 0, 0};
    uint32_t nsec = 0;
    if (read_header(&r, f, &nsec) == SERVGAP_OK)
        read_sections(&r, f, nsec);
    /* The decoders fill the keyed tables directly and check their keys
     * unique; the merge's look-ups in dst need no index of t's, but a
     * handle's tables are always indexed. */
    if (r.rc == SERVGAP_OK && servgap__tables_reindex(t) != 0)
        r.rc = servgap__fail(ctx, SERVGAP_ENOMEM, func, "out of memory");
    if (r.rc != SERVGAP_OK) {
        servgap_ctx_free(t);
        return r.rc;
    }
    *out = t;
    return SERVGAP_OK;
}

/* A document in data[0..len) merged into ctx; fn and label name it. */
static int load_buffer(servgap_ctx *ctx, const format *f, const char *fn, const char *label,
                       const void *data, size_t len)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!data && len > 0)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "data is NULL");
    servgap_ctx *t = NULL;
    int rc = decode(ctx, f, fn, NULL, data ? data : (const void *)"", len, &t);
    if (rc == SERVGAP_OK)
        rc = servgap__merge(ctx, t, fn, label);
    servgap_ctx_free(t);
    return rc;
}

/* The document in the file at path merged into ctx. */
static int load_file(servgap_ctx *ctx, const format *f, const char *fn, const char *label,
                     const char *path)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!path)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "path is NULL");
    uint8_t *data = NULL;
    size_t len = 0;
    servgap_ctx *t = NULL;
    int rc = read_file(ctx, fn, path, &data, &len);
    if (rc == SERVGAP_OK)
        rc = decode(ctx, f, fn, path, data, len, &t);
    /* The file's bytes go before the merge grows ctx: less at the peak. */
    servgap__free(&ctx->alloc, data);
    if (rc == SERVGAP_OK)
        rc = servgap__merge(ctx, t, fn, label);
    servgap_ctx_free(t);
    return rc;
}

SERVGAP_API int servgap_snapshot_load_buffer(servgap_ctx *ctx, const void *data, size_t len)
{
    return load_buffer(ctx, &snapshot_format, "servgap_snapshot_load_buffer", "the snapshot", data,
                       len);
}

SERVGAP_API int servgap_snapshot_load(servgap_ctx *ctx, const char *path)
{
    return load_file(ctx, &snapshot_format, "servgap_snapshot_load", "the snapshot", path);
}

SERVGAP_API int servgap_summary_load_buffer(servgap_ctx *ctx, const void *data, size_t len)
{
    return load_buffer(ctx, &summary_format, "servgap_summary_load_buffer", "the summary", data,
                       len);
}

SERVGAP_API int servgap_summary_load(servgap_ctx *ctx, const char *path)
{
    return load_file(ctx, &summary_format, "servgap_summary_load", "the summary", path);
}
