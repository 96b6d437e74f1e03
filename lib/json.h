/*
 * json -- the JSON report and the text primitives it is made of: a byte
 * sink that counts what it cannot hold and escaped strings; numbers and
 * dates come from numtext. Relies on numtext for the primitives; the report
 * itself on ctx and result.
 */
#ifndef SERVGAP_JSON_H
#define SERVGAP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "numtext.h"

/* A sink over buf[0..cap). Every byte is counted in len; bytes are stored
 * only while all of them fit, so after an overflow buf holds a prefix and
 * nothing is stored any more. buf NULL with cap 0 only counts. */
typedef struct servgap__sink {
    char *buf;
    size_t cap;
    size_t len;
} servgap__sink;

static inline void servgap__sink_put(servgap__sink *s, const char *p, size_t n)
{
    if (s->buf && s->len <= s->cap && n <= s->cap - s->len)
        memcpy(s->buf + s->len, p, n);
    else
        s->cap = 0; /* a gap in the middle would be worse than a prefix */
    s->len += n;
}

/* s (NUL-terminated, valid UTF-8) as a JSON string with its quotes:
 * quote, backslash and control characters escaped, everything else as is;
 * NULL as null. */
void servgap__json_string(servgap__sink *sink, const char *s);

#endif
