/*
 * sink -- the byte sink and JSON strings (sink.h): a sink without a write
 * function stores a prefix and counts the rest, one with it hands each
 * full buffer on. Relies on nothing but the C library.
 */
#include "../base/platform.h"

#include "sink.h"

/* ---------------------------------------------------------------------- */
/* The sink                                                                */
/* ---------------------------------------------------------------------- */

static void sink_flush(servgap__sink *s, const char *p, size_t n)
{
    if (n == 0)
        return;
    if (s->flush(s->user, p, n) != 0) {
        s->failed = 1;
        s->buf = NULL;
        return;
    }
    s->sent += n;
}

void servgap__sink_spill(servgap__sink *s, const char *p, size_t n)
{
    if (!s->flush) {
        s->buf = NULL; /* a gap in the middle would be worse than a prefix */
        return;
    }
    /* len does not count p yet: the buffer starts again with it, or
     * after it when p goes straight to flush. */
    sink_flush(s, s->buf, s->len - s->base);
    s->base = s->len;
    if (s->failed)
        return;
    if (n <= s->cap) {
        memcpy(s->buf, p, n);
    } else {
        sink_flush(s, p, n);
        s->base += n;
    }
}

void servgap__sink_finish(servgap__sink *s)
{
    if (s->buf)
        sink_flush(s, s->buf, s->len - s->base);
    s->base = s->len;
}

/* ---------------------------------------------------------------------- */
/* Strings                                                                 */
/* ---------------------------------------------------------------------- */

void servgap__json_escape(servgap__sink *sink, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s, *p = s;
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        servgap__sink_put(sink, run, (size_t)(p - run));
        run = p + 1;
        char e[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
        case '\\':
            break;
        case '\b':
            e[1] = 'b';
            break;
        case '\f':
            e[1] = 'f';
            break;
        case '\n':
            e[1] = 'n';
            break;
        case '\r':
            e[1] = 'r';
            break;
        case '\t':
            e[1] = 't';
            break;
        default:
            memcpy(e + 1, "u00", 3);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 0xf];
            n = 6;
        }
        servgap__sink_put(sink, e, n);
    }
    servgap__sink_put(sink, run, (size_t)(p - run));
}

void servgap__json_string(servgap__sink *sink, const char *s)
{
    if (!s) {
        servgap__sink_put(sink, "null", 4);
        return;
    }
    servgap__sink_put(sink, "\"", 1);
    servgap__json_escape(sink, s);
    servgap__sink_put(sink, "\"", 1);
}
