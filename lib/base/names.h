/*
 * names -- interning of names to dense integer ids (0, 1, 2, ... in order of
 * first use), so that batch calls and the store carry small integers. Strings
 * are allocated one by one and never move, so a borrowed name stays valid
 * while the table lives. Relies on alloc.
 */
#ifndef SERVGAP_NAMES_H
#define SERVGAP_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef struct servgap__names {
    char **str;    /* str[id], NUL-terminated */
    uint32_t *len; /* len[id] */
    size_t count;
    size_t cap;
    int32_t *slot; /* open addressing: id, or -1 for empty */
    size_t nslot;  /* a power of two, or 0 */
} servgap__names;

void servgap__names_init(servgap__names *t);
void servgap__names_free(servgap__names *t, const servgap__alloc *a);

/* The id of s[0..len), or -1. */
int32_t servgap__names_find(const servgap__names *t, const char *s, size_t len);

/* Add s[0..len) (not yet present) as id count. Returns 0, or -1 when
 * allocation fails (the table is then unchanged). */
int servgap__names_add(servgap__names *t, const servgap__alloc *a, const char *s, size_t len,
                       int32_t *id);

/* Forget every id >= count: rolls back additions of a failed operation. */
void servgap__names_truncate(servgap__names *t, const servgap__alloc *a, size_t count);

/* Length of the well-formed UTF-8 sequence at s (1 for ASCII), or 0 for
 * a malformed one: overlong forms, surrogates, code points above
 * U+10FFFF, or a sequence longer than avail bytes. */
size_t servgap__utf8_seq(const unsigned char *s, size_t avail);

/* How many bytes from the start of s[0..len) are well-formed UTF-8
 * without a NUL: len when all are, else the offset of the first byte that
 * is a NUL or starts a malformed sequence. */
size_t servgap__utf8_prefix(const char *s, size_t len);

/* 1 when s[0..len) is a valid name: 1..255 bytes of well-formed UTF-8. */
int servgap__name_valid(const char *s, size_t len);

#endif
