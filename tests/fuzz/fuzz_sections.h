/*
 * fuzz_sections -- a libFuzzer mutator that knows the container of
 * snapshots and summaries (docs/formats.md, "Byte layout" and
 * "Summaries"): the header, the sections and, inside a section, its count
 * and entries (names, metrics, accounts, fixed-size entries, plans and
 * their windows, a summary's series, days, pairs and responses; the
 * observations column by column). It mutates a payload, an entry, a
 * field, the header or the order of the sections, then writes the
 * section lengths, the total length and every CRC-32C anew, so that
 * mutated inputs get past the checksums of a normal build and reach the
 * decoders and validators behind them. A target includes it after its
 * LLVMFuzzerTestOneInput (fuzz_snapshot_sections.c,
 * fuzz_summary_sections.c); it defines LLVMFuzzerCustomMutator and
 * LLVMFuzzerCustomCrossOver.
 */
#ifndef SERVGAP_FUZZ_SECTIONS_H
#define SERVGAP_FUZZ_SECTIONS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_checks.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

#define HEADER_LEN   32
#define SECTION_HEAD 24
#define SECTIONS_MAX 64
#define NOT_APPLIED  SIZE_MAX

/* ---------------------------------------------------------------------- */
/* Bytes                                                                   */
/* ---------------------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put(uint8_t *p, uint64_t v, size_t width)
{
    for (size_t i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* CRC-32C (Castagnoli, reflected 0x82F63B78), chainable: crc32c(crc32c(0,
 * a), b) is the CRC of a then b. */
static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
    static uint32_t table[256];
    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
            table[i] = c;
        }
    }
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = (crc >> 8) ^ table[(crc ^ p[i]) & 0xFF];
    return ~crc;
}

static uint32_t rnd(uint32_t *state)
{
    uint32_t x = *state ? *state : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static uint32_t below(uint32_t *state, uint32_t n)
{
    return n ? rnd(state) % n : 0;
}

/* ---------------------------------------------------------------------- */
/* The frame                                                               */
/* ---------------------------------------------------------------------- */

/* A snapshot's or a summary's magic. */
static int is_snapshot(const uint8_t *d, size_t size)
{
    return size >= HEADER_LEN && (memcmp(d, "SRVGAPSN", 8) == 0 || memcmp(d, "SRVGAPSM", 8) == 0);
}

/* The sections' header offsets, as far as their lengths lead. */
static size_t frames(const uint8_t *d, size_t size, size_t *head)
{
    size_t n = 0, pos = HEADER_LEN;
    while (n < SECTIONS_MAX && size - pos >= SECTION_HEAD) {
        uint64_t len = get64(d + pos + 8);
        if (len > size - pos - SECTION_HEAD)
            break;
        head[n++] = pos;
        pos += SECTION_HEAD + (size_t)len;
    }
    return n;
}

/* The total length and every checksum made right for d's bytes. */
static void reseal(uint8_t *d, size_t size)
{
    if (!is_snapshot(d, size))
        return;
    size_t head[SECTIONS_MAX];
    size_t n = frames(d, size, head);
    for (size_t s = 0; s < n; s++) {
        uint8_t *h = d + head[s];
        uint32_t crc = crc32c(0, h, 16);
        put(h + 16, crc32c(crc, h + SECTION_HEAD, (size_t)get64(h + 8)), 4);
    }
    put(d + 16, size, 8);
    put(d + 28, crc32c(0, d, 28), 4);
}

/* Replaces d[at .. at + old) with with[0 .. len); 0 if it would not fit. */
static int splice(uint8_t *d, size_t *size, size_t max_size, size_t at, size_t old,
                  const uint8_t *with, size_t len)
{
    if (*size - old + len > max_size)
        return 0;
    memmove(d + at + len, d + at + old, *size - at - old);
    memcpy(d + at, with, len);
    *size = *size - old + len;
    return 1;
}

/* ---------------------------------------------------------------------- */
/* Entries of a payload                                                    */
/* ---------------------------------------------------------------------- */

/* The length of the entry at p (left bytes remain) of the section tagged
 * tag, or 0 when it runs past them or the section is not a list. */
static size_t entry_len(uint32_t tag, const uint8_t *p, size_t left)
{
    size_t name = left > 0 ? 1 + (size_t)p[0] : 0, n;
    if (tag == get32((const uint8_t *)"TIER") || tag == get32((const uint8_t *)"TPNT") ||
        tag == get32((const uint8_t *)"TEAM"))
        n = name;
    else if (tag == get32((const uint8_t *)"ACCT"))
        n = name + 40;
    else if (tag == get32((const uint8_t *)"PLAN"))
        n = name + 52;
    else if (tag == get32((const uint8_t *)"IMPO") || tag == get32((const uint8_t *)"RPTS"))
        n = 48;
    else if (tag == get32((const uint8_t *)"EFRT"))
        n = 20;
    else if (tag == get32((const uint8_t *)"PLWN") || tag == get32((const uint8_t *)"SERS"))
        n = 16;
    else if (tag == get32((const uint8_t *)"SUMM"))
        n = 24;
    else if (tag == get32((const uint8_t *)"DAYS"))
        n = 40;
    else if (tag == get32((const uint8_t *)"PAIR"))
        n = 108;
    else if (tag == get32((const uint8_t *)"RESP"))
        n = 76;
    else if (tag == get32((const uint8_t *)"METR"))
        n = name + 36 <= left ? name + 36 + get32(p + name + 32) : left + 1;
    else
        return 0;
    return n <= left ? n : 0;
}

/* The offsets of the first entries of a list payload (at most max), after
 * its u64 count; returns how many. */
static size_t entries(uint32_t tag, const uint8_t *p, size_t len, size_t *at, size_t max)
{
    size_t n = 0, pos = 8;
    while (n < max && pos < len) {
        size_t e = entry_len(tag, p + pos, len - pos);
        if (e == 0)
            break;
        at[n++] = pos;
        pos += e;
    }
    return n;
}

/* Values that sit on the validators' edges, as 1, 2, 4 or 8 bytes. */
static uint64_t edge_value(uint32_t *rng, size_t width)
{
    static const uint64_t edges[] = {
        0,
        1,
        2,
        5,
        0x7F,
        0xFF,
        0xFFFF,
        0xFFFE,
        0x7FFFFFFF,
        0x80000000,
        0xFFFFFFFF,
        0xFFFFFFFE,
        0x7FF8000000000000, /* NaN */
        0x7FF0000000000000, /* +inf */
        0x8000000000000000, /* -0 */
        0x430C6BF526340000, /* 1e15 */
        0x430C6BF526340001, /* just beyond */
        0x3E112E0BE826D695, /* 1e-9 */
        0x401C000000000000, /* 7 */
        0x3FF0000000000000, /* 1 */
        0x69557D80,         /* 2026-01-01 in UTC seconds: a midnight */
    };
    uint64_t v = edges[below(rng, sizeof edges / sizeof edges[0])];
    return width < 8 && v > (UINT64_MAX >> (64 - 8 * width)) ? v >> (64 - 8 * width) : v;
}

/* ---------------------------------------------------------------------- */
/* Payload mutations: payload p[0..len) into out (cap bytes); the new     */
/* length, or NOT_APPLIED                                                  */
/* ---------------------------------------------------------------------- */

/* libFuzzer's own byte mutations, inside the payload; keep_len pads or
 * cuts the result back to the payload's length, which a fixed layout
 * needs. */
static size_t payload_bytes(const uint8_t *p, size_t len, uint8_t *out, size_t cap, int keep_len)
{
    if (len == 0 || cap < len)
        return NOT_APPLIED;
    memcpy(out, p, len);
    size_t room = keep_len ? len : (cap - len < 64 ? cap : len + 64);
    size_t n = LLVMFuzzerMutate(out, len, room);
    if (keep_len && n < len)
        memcpy(out + n, p + n, len - n);
    return keep_len ? len : n;
}

/* An entry dropped, or one appended again (with one byte of its start
 * changed half the time, which makes a repeated name a new one), with the
 * count kept right. */
static size_t payload_entry(uint32_t tag, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                            uint32_t *rng)
{
    size_t at[256];
    size_t n = entries(tag, p, len, at, 256);
    if (n == 0 || len + 1024 > cap)
        return NOT_APPLIED;
    size_t i = below(rng, (uint32_t)n);
    size_t e = entry_len(tag, p + at[i], len - at[i]);
    uint64_t count = get64(p);
    memcpy(out, p, len);
    if (rnd(rng) & 1) {
        memmove(out + at[i], out + at[i] + e, len - at[i] - e);
        put(out, count - 1, 8);
        return len - e;
    }
    memcpy(out + len, p + at[i], e);
    if (rnd(rng) & 1)
        out[len + below(rng, (uint32_t)(e < 8 ? e : 8))] ^= (uint8_t)(1 + below(rng, 255));
    put(out, count + 1, 8);
    return len + e;
}

/* One field of an entry (or the count) set to an edge value. */
static size_t payload_field(uint32_t tag, const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                            uint32_t *rng)
{
    static const size_t widths[4] = {1, 2, 4, 8};
    size_t at[256];
    size_t n = entries(tag, p, len, at, 256), w = widths[below(rng, 4)];
    if (len < 8 || len > cap)
        return NOT_APPLIED;
    memcpy(out, p, len);
    size_t start = n ? at[below(rng, (uint32_t)n)] : 0;
    size_t e = n ? entry_len(tag, p + start, len - start) : 8;
    if (e < w)
        return NOT_APPLIED;
    size_t off = start + below(rng, (uint32_t)(e - w + 1));
    put(out + off, edge_value(rng, w), w);
    return len;
}

/* The observations' columns (docs/formats.md, "Payloads"): the width of
 * each, in order. */
static const size_t obs_width[7] = {8, 4, 4, 2, 2, 4, 1};

static uint64_t bits_edge(uint32_t *rng)
{
    /* withdrawals of standard and promised, a response's first perceived
     * row, a response's expected row, a withdrawal with a driver, and no
     * viewpoint at all */
    static const uint8_t bits[6] = {0x83, 0x85, 0xC6, 0x40, 0x8B, 0x07};
    return bits[below(rng, 6)];
}

/* A row dropped or appended again, column by column, or one cell set to
 * an edge value; bits get the patterns of responses and withdrawals. */
static size_t payload_observations(const uint8_t *p, size_t len, uint8_t *out, size_t cap,
                                   uint32_t *rng)
{
    uint64_t n = len >= 8 ? get64(p) : 0;
    if (n == 0 || n > len / 25 || len != 8 + 25 * n || len + 25 > cap)
        return NOT_APPLIED;
    size_t row = below(rng, (uint32_t)n), op = below(rng, 3), col = below(rng, 7);
    const uint8_t *src = p + 8;
    uint8_t *dst = out + 8;
    put(out, op == 0 ? n - 1 : op == 1 ? n + 1 : n, 8);
    for (size_t c = 0; c < 7; c++) {
        size_t w = obs_width[c];
        const uint8_t *cell = src + row * w;
        for (size_t r = 0; r < n; r++, src += w) {
            if (op == 0 && r == row)
                continue;
            memcpy(dst, src, w);
            dst += w;
        }
        if (op == 1) {
            memcpy(dst, cell, w);
            dst += w;
        }
        if (op == 2 && c == col)
            put(dst - (n - row) * w, c == 6 ? bits_edge(rng) : edge_value(rng, w), w);
    }
    return (size_t)(dst - out);
}

static size_t payload_count(const uint8_t *p, size_t len, uint8_t *out, size_t cap, uint32_t *rng)
{
    if (len < 8 || len > cap)
        return NOT_APPLIED;
    memcpy(out, p, len);
    put(out, get64(p) + (rnd(rng) & 1 ? 1 : UINT64_MAX), 8);
    return len;
}

/* ---------------------------------------------------------------------- */
/* Mutations of the snapshot                                               */
/* ---------------------------------------------------------------------- */

static size_t mutate_payload_of(uint8_t *d, size_t size, size_t max_size, size_t head,
                                uint32_t *rng)
{
    uint32_t tag = get32(d + head);
    size_t len = (size_t)get64(d + head + 8), cap = max_size, n = NOT_APPLIED;
    const uint8_t *p = d + head + SECTION_HEAD;
    uint8_t *out = malloc(cap);
    FUZZ_CHECK(out != NULL);
    switch (below(rng, 6)) {
    case 0:
        n = payload_bytes(p, len, out, cap, 0);
        break;
    case 1:
        n = payload_entry(tag, p, len, out, cap, rng);
        break;
    case 2:
        n = payload_field(tag, p, len, out, cap, rng);
        break;
    case 3:
        n = tag == get32((const uint8_t *)"OBSV") ? payload_observations(p, len, out, cap, rng)
                                                  : payload_count(p, len, out, cap, rng);
        break;
    default:
        n = payload_bytes(p, len, out, cap, 1);
    }
    if (n != NOT_APPLIED && splice(d, &size, max_size, head + SECTION_HEAD, len, out, n))
        put(d + head + 8, n, 8);
    free(out);
    return size;
}

/* The header's version, flags or section count. */
static void mutate_header(uint8_t *d, uint32_t *rng)
{
    switch (below(rng, 3)) {
    case 0:
        put(d + 10, below(rng, 4) ? below(rng, 3) : rnd(rng), 2);
        break;
    case 1:
        put(d + 12, below(rng, 4), 4);
        break;
    default:
        put(d + 24, get32(d + 24) + (rnd(rng) & 1 ? 1 : UINT32_MAX), 4);
    }
}

/* A section's tag (an unknown one: four random capitals), flags or
 * reserved word. */
static void mutate_section_head(uint8_t *h, uint32_t *rng)
{
    switch (below(rng, 3)) {
    case 0:
        for (int k = 0; k < 4; k++)
            h[k] = (uint8_t)('A' + below(rng, 26));
        put(h + 4, rnd(rng) & 1, 4);
        break;
    case 1:
        put(h + 4, get32(h + 4) ^ (below(rng, 4) ? 1u : 1u << below(rng, 32)), 4);
        break;
    default:
        put(h + 20, edge_value(rng, 4), 4);
    }
}

/* Section i dropped, repeated, or swapped with the next; the header's
 * count follows. */
static size_t mutate_sections(uint8_t *d, size_t size, size_t max_size, const size_t *head,
                              size_t n, size_t i, uint32_t *rng)
{
    size_t start = head[i], len = SECTION_HEAD + (size_t)get64(d + start + 8);
    uint8_t *copy = malloc(len);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, d + start, len);
    uint32_t op = below(rng, 3), count = get32(d + 24);
    if (op == 0 && splice(d, &size, max_size, start, len, copy, 0)) {
        put(d + 24, count - 1, 4);
    } else if (op == 1 && splice(d, &size, max_size, start, 0, copy, len)) {
        put(d + 24, count + 1, 4);
    } else if (op == 2 && i + 1 < n) {
        size_t next = SECTION_HEAD + (size_t)get64(d + head[i + 1] + 8);
        memmove(d + start, d + head[i + 1], next);
        memcpy(d + start + next, copy, len);
    }
    free(copy);
    return size;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    uint32_t rng = seed;
    size_t head[SECTIONS_MAX];
    size_t n = is_snapshot(data, size) ? frames(data, size, head) : 0;
    uint32_t what = below(&rng, 16);
    if (n == 0 || what == 0) {
        size = LLVMFuzzerMutate(data, size, max_size);
    } else if (what == 1) {
        mutate_header(data, &rng);
    } else if (what == 2) {
        mutate_section_head(data + head[below(&rng, (uint32_t)n)], &rng);
    } else if (what == 3) {
        size = mutate_sections(data, size, max_size, head, n, below(&rng, (uint32_t)n), &rng);
    } else {
        size = mutate_payload_of(data, size, max_size, head[below(&rng, (uint32_t)n)], &rng);
    }
    reseal(data, size);
    return size;
}

/* data1 with one section's payload taken from the section of the same tag
 * in data2: two snapshots' tables mixed. */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
    uint32_t rng = seed;
    size_t h1[SECTIONS_MAX], h2[SECTIONS_MAX];
    if (size1 > max_out_size || !is_snapshot(data1, size1) || !is_snapshot(data2, size2))
        return 0;
    size_t n1 = frames(data1, size1, h1), n2 = frames(data2, size2, h2), size = size1;
    memcpy(out, data1, size1);
    if (n1 == 0 || n2 == 0)
        return 0;
    size_t i = below(&rng, (uint32_t)n1);
    for (size_t k = 0; k < n2; k++) {
        if (get32(data2 + h2[k]) != get32(data1 + h1[i]))
            continue;
        size_t len1 = (size_t)get64(data1 + h1[i] + 8), len2 = (size_t)get64(data2 + h2[k] + 8);
        if (splice(out, &size, max_out_size, h1[i] + SECTION_HEAD, len1,
                   data2 + h2[k] + SECTION_HEAD, len2))
            put(out + h1[i] + 8, len2, 8);
        break;
    }
    reseal(out, size);
    return size;
}

#endif /* SERVGAP_FUZZ_SECTIONS_H */
