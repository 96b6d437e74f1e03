/*
 * snapread -- the cursor a snapshot is decoded with: bounded reads of
 * little-endian fields and names, entry counts checked against the bytes
 * left, keys checked unique, and the first failure kept with a message
 * naming the section and the offset. Relies on ctx (the handles and their
 * last error) and bytes.
 */
#ifndef SERVGAP_SNAPREAD_H
#define SERVGAP_SNAPREAD_H

#include "../base/bytes.h"
#include "../model/ctx.h"

/* A cursor over the input. Reads past the current section's end fail and
 * yield zeros; the first failure sticks (rc) and later ones keep its
 * message, so decoders check once per entry. */
typedef struct servgap__snapreader {
    servgap_ctx *ctx; /* where failures are reported */
    servgap_ctx *t;   /* the private handle being filled */
    const char *func, *path;
    const uint8_t *p;
    size_t len, pos, end;
    const char *sec;
    char secbuf[24];
    int rc;
    const servgap__crc32c *crc;
    uint32_t header_flags;   /* SERVGAP__SNAP_WITHDRAWALS */
    uint64_t interrupt_mark; /* servgap__interrupt_mark of ctx at the start */
    /* A summary's days [sum_from_day, sum_to_day), from its summary
     * section, for the checks of the sections after it. */
    int64_t sum_from_day, sum_to_day;
} servgap__snapreader;

/* Fails r with SERVGAP_ECORRUPT at input offset at, unless it has failed
 * already; returns r->rc. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
int servgap__snap_corrupt(servgap__snapreader *r, size_t at, const char *fmt, ...);
/* Fails r with SERVGAP_ENOMEM, unless it has failed already; r->rc. */
int servgap__snap_oom(servgap__snapreader *r);

/* The next n bytes of the section, or NULL after failing r. */
const uint8_t *servgap__snap_take(servgap__snapreader *r, size_t n);
uint32_t servgap__snap_u32(servgap__snapreader *r);
int32_t servgap__snap_i32(servgap__snapreader *r);
uint64_t servgap__snap_u64(servgap__snapreader *r);
int64_t servgap__snap_i64(servgap__snapreader *r);
double servgap__snap_f64(servgap__snapreader *r);
/* A name into out (NUL-terminated, for the registries that take C
 * strings); its length, or 0 after failing r. */
size_t servgap__snap_name(servgap__snapreader *r, char out[256]);

/* A count n read at offset at, of entries that take at least min bytes
 * each and number at most limit; r->rc. */
int servgap__snap_count_fits(servgap__snapreader *r, size_t at, uint64_t n, size_t min,
                             uint64_t limit);
/* A count n of entries of size bytes each, which must fill the rest of
 * the section exactly; r->rc. */
int servgap__snap_count_exact(servgap__snapreader *r, size_t at, uint64_t n, size_t size);
/* Checks that n keys are unique, naming the first entry (in input order)
 * that repeats an earlier one's (what); entries are size bytes from
 * offset base. r->rc. */
int servgap__snap_unique(servgap__snapreader *r, const uint64_t *keys, size_t n, size_t base,
                         size_t size, const char *what);

#endif
