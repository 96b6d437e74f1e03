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
    SERVGAP__SEC_COUNT
};

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

/* The header flags a snapshot of ctx's log needs. */
uint32_t servgap__snap_header_flags(const servgap_ctx *ctx);

#endif
