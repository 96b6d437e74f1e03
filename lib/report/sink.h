/*
 * sink -- the text primitives the JSON report is made of: a byte sink
 * that counts what it cannot hold, or hands full buffers to a write
 * function, and JSON strings with their escapes. Knows nothing of
 * results.
 */
#ifndef SERVGAP_SINK_H
#define SERVGAP_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A sink over buf[0..cap), holding the bytes put since len was base.
 * Every byte is counted in len. Without flush, bytes are stored only while all of them fit, so
 * after an overflow buf holds a prefix and nothing is stored any more; buf
 * NULL with cap 0 only counts. With flush, a full buffer is handed to
 * flush(user, ...) and filled again, so that any amount passes through
 * cap bytes; once flush returns nonzero, failed is set and nothing is
 * stored or flushed any more. */
typedef struct servgap__sink {
    char *buf;
    size_t cap;
    size_t len, base;
    size_t sent; /* bytes flush accepted */
    int32_t (*flush)(void *user, const char *data, size_t len);
    void *user;
    int failed;
} servgap__sink;

/* What does not fit: flush, or stop storing. */
void servgap__sink_spill(servgap__sink *s, const char *p, size_t n);

static inline void servgap__sink_put(servgap__sink *s, const char *p, size_t n)
{
    size_t at = s->len - s->base;
    if (s->buf && n <= s->cap - at)
        memcpy(s->buf + at, p, n);
    else if (s->buf)
        servgap__sink_spill(s, p, n);
    s->len += n;
}

/* Hand what the buffer still holds to flush (a sink with flush only). */
void servgap__sink_finish(servgap__sink *s);

/* The characters of s (NUL-terminated, valid UTF-8) escaped as in a JSON
 * string, without quotes. */
void servgap__json_escape(servgap__sink *sink, const char *s);

/* s (NUL-terminated, valid UTF-8) as a JSON string with its quotes:
 * quote, backslash and control characters escaped, everything else as is;
 * NULL as null. */
void servgap__json_string(servgap__sink *sink, const char *s);

#endif
