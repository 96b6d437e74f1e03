/*
 * snapshot -- the snapshot format (docs/formats.md, "Snapshots") shared by
 * its writer (snapshot.c: a handle's contents into a caller's buffer or
 * atomically into a file) and its reader (snapload.c: the frames and the
 * merge; snapdecode.c: the sections' entries). Relies on ctx and bytes.
 */
#ifndef SERVGAP_SNAPSHOT_H
#define SERVGAP_SNAPSHOT_H

#include "../base/bytes.h"
#include "../model/ctx.h"

#define SERVGAP__SNAP_HEADER_LEN   32
#define SERVGAP__SNAP_SECTION_HEAD 24
#define SERVGAP__SNAP_MAJOR        1
#define SERVGAP__SNAP_MINOR        1
#define SERVGAP__SNAP_REQUIRED     0x1u
/* Header flag: the log holds withdrawals of declarations (store.h), which
 * a 1.0 reader would misread, so it must refuse the snapshot. Written only
 * when there are any, so that other snapshots stay readable by 1.0. */
#define SERVGAP__SNAP_WITHDRAWALS 0x1u
#define SERVGAP__SNAP_ROW_BYTES   25 /* value 8, day 4, scope 4, tp 2, metric 2, team 4, bits 1 */
#define SERVGAP__SNAP_NAN         0x7ff8000000000000u /* the one NaN written */

extern const uint8_t servgap__snap_magic[8];

/* Sections in the order they are written and must be read: each refers
 * only to ids of the ones before it. All are required but the plans'
 * baseline windows (format 1.1), which is written only when a plan has
 * one, so that a handle without them saves what 1.0 readers read whole,
 * and which an older reader skips (servgap__snap_optional). */
enum {
    SERVGAP__SEC_TIERS,
    SERVGAP__SEC_TOUCHPOINTS,
    SERVGAP__SEC_TEAMS,
    SERVGAP__SEC_METRICS,
    SERVGAP__SEC_ACCOUNTS,
    SERVGAP__SEC_IMPORTANCE,
    SERVGAP__SEC_OBSERVATIONS,
    SERVGAP__SEC_POINTS,
    SERVGAP__SEC_EFFORTS,
    SERVGAP__SEC_PLANS,
    SERVGAP__SEC_PLAN_WINDOWS,
    /* A summary's own sections, after the snapshot's (summary.h). */
    SERVGAP__SEC_SUMMARY,
    SERVGAP__SEC_SERIES,
    SERVGAP__SEC_DAYS,
    SERVGAP__SEC_PAIRS,
    SERVGAP__SEC_RESPONSES,
    SERVGAP__SEC_COUNT
};
/* The sections a snapshot knows. */
#define SERVGAP__SEC_SNAP_COUNT SERVGAP__SEC_SUMMARY

/* 1 for a section that a snapshot may lack (and that is not marked
 * required). */
static inline int servgap__snap_optional(int k)
{
    return k == SERVGAP__SEC_PLAN_WINDOWS;
}

typedef struct servgap__section {
    char tag[4];
    const char *name;
} servgap__section;

extern const servgap__section servgap__snap_sections[SERVGAP__SEC_COUNT];

/* The tag of section k as its little-endian u32. */
uint32_t servgap__snap_tag(int k);

/* The observation columns: offset of column f within the section's rows
 * is start[f] * n, element i is width[f] * i further. */
extern const size_t servgap__col_start[7];
extern const size_t servgap__col_width[7];
enum {
    SERVGAP__COL_VALUE,
    SERVGAP__COL_DAY,
    SERVGAP__COL_SCOPE,
    SERVGAP__COL_TP,
    SERVGAP__COL_METRIC,
    SERVGAP__COL_TEAM,
    SERVGAP__COL_BITS
};

/* Report a failed file operation on ctx as SERVGAP_EIO, naming the path,
 * what failed and the system's reason for err (an errno). */
int servgap__io_fail(servgap_ctx *ctx, const char *func, const char *path, const char *what,
                     int err);

/* The header flags a snapshot of ctx's log needs; those of a log st. */
uint32_t servgap__snap_header_flags(const servgap_ctx *ctx);
uint32_t servgap__snap_log_flags(const servgap__store *st);

/* ---------------------------------------------------------------------- */
/* Writing a document of the format: a snapshot or a summary               */
/* ---------------------------------------------------------------------- */

/* Where bytes go: a caller's buffer that holds the whole document (fd <
 * 0), a staging buffer flushed to fd, or nowhere (buf NULL: only
 * counting, to size the sections with the very code that writes them). */
typedef struct servgap__sink {
    uint8_t *buf;
    size_t cap, pos;
    uint64_t off; /* bytes emitted so far; buf[0] is at off - pos */
    int fd;
    int err; /* errno of the first failed write; later output is dropped */
    uint32_t crc;
    const servgap__crc32c *t;
} servgap__sink;

void servgap__sink_bytes(servgap__sink *s, const void *p, size_t n);
void servgap__sink_u8(servgap__sink *s, uint8_t v);
void servgap__sink_u32(servgap__sink *s, uint32_t v);
void servgap__sink_i32(servgap__sink *s, int32_t v);
void servgap__sink_u64(servgap__sink *s, uint64_t v);
void servgap__sink_i64(servgap__sink *s, int64_t v);
void servgap__sink_f64(servgap__sink *s, double v);

/* A document: its header's magic, version and flags, and sections 0 ..
 * nsec - 1, each written by payload (the snapshot's sections take their
 * definitions from ctx and their observations from log). */
typedef struct servgap__doc {
    const char *what; /* "snapshot", "summary": for messages */
    const uint8_t *magic;
    uint16_t major, minor;
    uint32_t flags;
    int nsec;
    void (*payload)(servgap__sink *s, const struct servgap__doc *d, int k);
    const servgap_ctx *ctx;
    const servgap__store *log;
    const void *extra; /* what a summary's own sections write */
} servgap__doc;

typedef struct servgap__layout {
    uint64_t len[SERVGAP__SEC_COUNT];
    int written[SERVGAP__SEC_COUNT];
    uint32_t nsec;
    uint64_t total;
} servgap__layout;

/* The payload of a snapshot section k < SERVGAP__SEC_SNAP_COUNT of d. */
void servgap__snap_payload(servgap__sink *s, const servgap__doc *d, int k);
/* Whether section k is in d: the snapshot's optional section only when
 * it holds something, every other section always. */
int servgap__snap_written(const servgap__doc *d, int k);

/* Write d into buf (cap bytes) as servgap_snapshot_write does: buf NULL
 * only sizes it; *len gets its length whenever it could be measured.
 * SERVGAP_OK, SERVGAP_EBUFSIZE or SERVGAP_ELIMIT, reported under fn. The
 * caller holds the read lock. */
int servgap__doc_write(servgap_ctx *ctx, const char *fn, const servgap__doc *d, void *buf,
                       size_t cap, size_t *len);

#endif
