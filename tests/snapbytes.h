/*
 * snapbytes -- a snapshot as bytes, for suites that damage one on purpose:
 * its CRC-32C recomputed bit by bit, little-endian fields, the section
 * framing walked from the header, and every checksum and the total length
 * made consistent again after an edit (reseal), so that a test reaches the
 * check behind the checksums. The format facts come from docs/formats.md,
 * "Snapshots", not from lib/.
 */
#ifndef SERVGAP_TEST_SNAPBYTES_H
#define SERVGAP_TEST_SNAPBYTES_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#define SNAP_HEADER_LEN  32
#define SNAP_SECTION_LEN 24

typedef struct snap_bytes {
    unsigned char *p;
    size_t n;
} snap_bytes;

typedef struct snap_section {
    char tag[5];
    size_t head, payload; /* offsets of its header and payload */
    uint64_t len;         /* payload length */
} snap_section;

static inline uint32_t snap_crc32c(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static inline uint32_t snap_get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t snap_get64(const unsigned char *p)
{
    return (uint64_t)snap_get32(p) | (uint64_t)snap_get32(p + 4) << 32;
}

static inline void snap_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static inline void snap_put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The handle's snapshot, in memory the caller frees. */
static inline snap_bytes snap_of(servgap_ctx *ctx)
{
    snap_bytes b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n);
    ck_assert_ptr_nonnull(b.p);
    size_t n = 0;
    ck_assert_int_eq(servgap_snapshot_write(ctx, b.p, b.n, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, b.n);
    return b;
}

/* Walks the section headers into out; returns how many (at most max). */
static inline int snap_sections(snap_bytes b, snap_section *out, int max)
{
    ck_assert_uint_ge(b.n, SNAP_HEADER_LEN);
    uint32_t n = snap_get32(b.p + 24);
    size_t at = SNAP_HEADER_LEN;
    int k = 0;
    for (uint32_t s = 0; s < n && k < max; s++, k++) {
        ck_assert_uint_le(at + SNAP_SECTION_LEN, b.n);
        memcpy(out[k].tag, b.p + at, 4);
        out[k].tag[4] = '\0';
        out[k].head = at;
        out[k].len = snap_get64(b.p + at + 8);
        out[k].payload = at + SNAP_SECTION_LEN;
        at = out[k].payload + (size_t)out[k].len;
    }
    return k;
}

static inline snap_section snap_find(snap_bytes b, const char *tag)
{
    snap_section s[32];
    int n = snap_sections(b, s, 32);
    for (int k = 0; k < n; k++)
        if (strcmp(s[k].tag, tag) == 0)
            return s[k];
    ck_abort_msg("no section %s", tag);
    return s[0];
}

/* Recomputes every checksum and the total length after an edit. */
static inline void snap_reseal(snap_bytes b)
{
    snap_section s[32];
    int n = snap_sections(b, s, 32);
    for (int k = 0; k < n; k++) {
        uint32_t c = snap_crc32c(0, b.p + s[k].head, 16);
        c = snap_crc32c(c, b.p + s[k].payload, (size_t)s[k].len);
        snap_put32(b.p + s[k].head + 16, c);
    }
    snap_put64(b.p + 16, b.n);
    snap_put32(b.p + 28, snap_crc32c(0, b.p, 28));
}

#endif
