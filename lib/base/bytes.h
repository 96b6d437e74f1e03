/*
 * bytes -- little-endian fixed-width fields and CRC-32C, for the snapshot
 * format. Byte order is spelled out byte by byte so that a snapshot
 * written on one machine reads the same on any other; doubles travel as
 * their IEEE 754 bit patterns. Relies on libc only.
 */
#ifndef SERVGAP_BYTES_H
#define SERVGAP_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void servgap__put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void servgap__put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void servgap__put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void servgap__put_f64(uint8_t *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    servgap__put_u64(p, u);
}

static inline uint16_t servgap__get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t servgap__get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t servgap__get_u64(const uint8_t *p)
{
    return (uint64_t)servgap__get_u32(p) | (uint64_t)servgap__get_u32(p + 4) << 32;
}

static inline double servgap__get_f64(const uint8_t *p)
{
    uint64_t u = servgap__get_u64(p);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Two's complement reinterpretation without implementation-defined
 * conversions of out-of-range unsigned values. */
static inline int32_t servgap__get_i32(const uint8_t *p)
{
    int32_t v;
    uint32_t u = servgap__get_u32(p);
    memcpy(&v, &u, sizeof v);
    return v;
}

static inline int64_t servgap__get_i64(const uint8_t *p)
{
    int64_t v;
    uint64_t u = servgap__get_u64(p);
    memcpy(&v, &u, sizeof v);
    return v;
}

/* 1 on a little-endian host, where arrays of fixed-width values already
 * have the file's layout and can be copied whole. */
static inline int servgap__host_le(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, as in iSCSI, ext4
 * and SSE4.2): it detects every burst of up to 32 flipped bits. Eight
 * tables let the loop take eight bytes a step ("slicing by 8", about four
 * times the speed of one table). They are built per use (8 KiB, a few
 * microseconds) rather than held in global state. */
typedef struct servgap__crc32c {
    uint32_t t[8][256];
} servgap__crc32c;

static inline void servgap__crc32c_init(servgap__crc32c *c)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t r = i;
        for (int k = 0; k < 8; k++)
            r = (r >> 1) ^ (0x82F63B78u & (0u - (r & 1u)));
        c->t[0][i] = r;
    }
    for (int k = 1; k < 8; k++)
        for (int i = 0; i < 256; i++)
            c->t[k][i] = (c->t[k - 1][i] >> 8) ^ c->t[0][c->t[k - 1][i] & 0xffu];
}

/* Continue crc (0 to start) over p[0..n); the result of one call is the
 * finished CRC of the bytes so far, so calls chain. */
static inline uint32_t servgap__crc32c_update(const servgap__crc32c *c, uint32_t crc, const void *p,
                                              size_t n)
{
    const uint8_t *b = p;
    crc = ~crc;
    for (; n >= 8; n -= 8, b += 8) {
        uint32_t x = crc ^ servgap__get_u32(b);
        crc = c->t[7][x & 0xffu] ^ c->t[6][(x >> 8) & 0xffu] ^ c->t[5][(x >> 16) & 0xffu] ^
              c->t[4][x >> 24] ^ c->t[3][b[4]] ^ c->t[2][b[5]] ^ c->t[1][b[6]] ^ c->t[0][b[7]];
    }
    for (; n > 0; n--, b++)
        crc = c->t[0][(crc ^ *b) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

#endif
