/*
 * csv -- the RFC 4180 reader.
 *
 * The reader keeps going after a malformed record (a stray quote, text after
 * a closing quote, a bare CR, invalid UTF-8, a NUL byte) until the record's
 * real end, respecting quotes, so that a caller that skips bad rows stays in
 * step with the file. Only an unterminated quote is fatal: where the record
 * ends is then unknowable.
 */
#include "platform.h"

#include "csv.h"

#include <string.h>

#include "names.h"
#include "servgap.h"

/* ---------------------------------------------------------------------- */
/* Reader                                                                  */
/* ---------------------------------------------------------------------- */

void servgap__csv_init(servgap__csv *r, const servgap__alloc *a, const void *data, size_t len)
{
    static const unsigned char empty[1] = {0};
    memset(r, 0, sizeof *r);
    r->a = a;
    r->p = data ? (const unsigned char *)data : empty;
    r->end = r->p + (data ? len : 0);
    if (r->end - r->p >= 3 && memcmp(r->p, "\xef\xbb\xbf", 3) == 0) {
        r->p += 3;
        r->bom = 1 + (r->end - r->p >= 3 && memcmp(r->p, "\xef\xbb\xbf", 3) == 0);
    }
    r->line_start = r->p;
    r->line = 1;
}

void servgap__csv_seek(servgap__csv *r, const void *at, uint64_t line)
{
    r->p = at;
    r->line_start = r->p;
    r->line = line;
}

void servgap__csv_record_of(const servgap__csv *r, servgap__csv_record *out)
{
    *out = (servgap__csv_record){r->field, r->nfield,   r->end_line, r->end_col, r->line,
                                 r->err,   r->err_line, r->err_col,  r->fatal};
}

void servgap__csv_lend(servgap__csv *r, char *text, size_t captext, servgap__csv_field *field,
                       size_t capfield)
{
    r->lent = 1;
    r->text = text;
    r->captext = captext;
    r->field = field;
    r->capfield = capfield;
}

void servgap__csv_free(servgap__csv *r)
{
    if (r->lent)
        return;
    servgap__free(r->a, r->text);
    servgap__free(r->a, r->field);
    r->text = NULL;
    r->field = NULL;
}

static uint64_t col_of(const servgap__csv *r, const unsigned char *p)
{
    return (uint64_t)(p - r->line_start) + 1;
}

/* Keeps the first error of a record, except that a fatal one wins. */
static void set_err(servgap__csv *r, const unsigned char *at, const char *why, int fatal)
{
    if (r->err && !fatal)
        return;
    r->err = why;
    r->err_line = r->line;
    r->err_col = col_of(r, at);
    r->fatal = fatal;
}

/* Room for need elements of size at *p: grown from the allocator, or,
 * in buffers a caller lent (servgap__csv_lend), refused. */
static int room(const servgap__csv *r, void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap && *p) /* every record asks: answer without a call */
        return SERVGAP_OK;
    if (r->lent)
        return need <= *cap ? SERVGAP_OK : SERVGAP_ENOMEM;
    return servgap__reserve(r->a, p, cap, need, size) != 0 ? SERVGAP_ENOMEM : SERVGAP_OK;
}

static int put(servgap__csv *r, const unsigned char *s, size_t n)
{
    void *p = r->text;
    if (room(r, &p, &r->captext, r->ntext + n + 1, 1) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    r->text = p;
    memcpy(r->text + r->ntext, s, n);
    r->ntext += n;
    return SERVGAP_OK;
}

/* Bytes that need no attention inside a field: ASCII except NUL, CR, LF,
 * the quote and the comma. */
static int plain(unsigned char c)
{
    return c < 0x80 && c != 0 && c != '\r' && c != '\n' && c != '"' && c != ',';
}

/* Copy a run of plain bytes, or one non-plain byte that is content (a
 * quote, CR or LF inside quotes; a UTF-8 sequence), flagging what is
 * malformed. Returns SERVGAP_OK or SERVGAP_ENOMEM. */
static int take(servgap__csv *r, int quoted)
{
    const unsigned char *s = r->p;
    size_t n = 0;
    while (s + n < r->end && plain(s[n]))
        n++;
    if (n == 0) {
        unsigned char c = *s;
        n = 1;
        if (c >= 0x80) {
            n = servgap__utf8_seq(s, (size_t)(r->end - s));
            if (n == 0) {
                set_err(r, s, "invalid UTF-8", 0);
                r->p = s + 1;
                return SERVGAP_OK;
            }
        } else if (c == 0) {
            set_err(r, s, "NUL byte", 0);
        } else if (c == '"' && !quoted) {
            set_err(r, s, "quote inside an unquoted field", 0);
        } else if (c == '\r' && !quoted) {
            set_err(r, s, "CR not followed by LF", 0);
        }
    }
    r->p = s + n;
    if (n == 1 && *s == '\n') {
        r->line++;
        r->line_start = r->p;
    }
    return put(r, s, n);
}

/* At the end of a field: a comma, LF, CRLF or the end of the input. */
static int at_field_end(const servgap__csv *r)
{
    const unsigned char *p = r->p;
    if (p == r->end || *p == ',' || *p == '\n')
        return 1;
    return *p == '\r' && p + 1 < r->end && p[1] == '\n';
}

static int unquoted(servgap__csv *r)
{
    while (!at_field_end(r)) {
        int rc = take(r, 0);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

static int quoted(servgap__csv *r)
{
    const unsigned char *open = r->p++;
    uint64_t open_line = r->line, open_col = col_of(r, open);
    for (;;) {
        if (r->p == r->end) {
            set_err(r, open, "unterminated quoted field", 1);
            r->err_line = open_line;
            r->err_col = open_col;
            return SERVGAP_EFORMAT;
        }
        if (*r->p == '"') {
            if (r->p + 1 < r->end && r->p[1] == '"') {
                r->p++; /* a doubled quote stands for one */
            } else {
                r->p++;
                break;
            }
        }
        int rc = take(r, 1);
        if (rc != SERVGAP_OK)
            return rc;
    }
    if (at_field_end(r))
        return SERVGAP_OK;
    /* Keep the rest as unquoted text, so the record still ends where a
     * reader of the file would expect. */
    set_err(r, r->p, "text after the closing quote", 0);
    return unquoted(r);
}

static int field(servgap__csv *r)
{
    void *p = r->field;
    if (room(r, &p, &r->capfield, r->nfield + 1, sizeof *r->field) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    r->field = p;
    servgap__csv_field *f = &r->field[r->nfield++];
    f->line = r->line;
    f->col = col_of(r, r->p);
    f->len = r->ntext; /* the offset until the record is complete */
    int rc = r->p < r->end && *r->p == '"' ? quoted(r) : unquoted(r);
    if (rc == SERVGAP_OK)
        rc = put(r, (const unsigned char *)"", 1);
    return rc;
}

static void skip_blank_lines(servgap__csv *r)
{
    for (;;) {
        const unsigned char *p = r->p;
        if (p < r->end && *p == '\r' && p + 1 < r->end && p[1] == '\n')
            p++;
        if (p == r->end || *p != '\n')
            return;
        r->p = p + 1;
        r->line++;
        r->line_start = r->p;
    }
}

/* Turn the fields' offsets into pointers once the text no longer moves. */
static void fix_fields(servgap__csv *r)
{
    for (size_t i = 0; i < r->nfield; i++) {
        size_t off = r->field[i].len;
        size_t next = i + 1 < r->nfield ? r->field[i + 1].len : r->ntext;
        r->field[i].s = r->text + off;
        r->field[i].len = next - off - 1;
    }
}

/* Make room for n bytes of text (and the padding) and for nfield fields. */
static int simple_room(servgap__csv *r, size_t n, size_t nfield)
{
    void *p = r->text;
    if (room(r, &p, &r->captext, n + SERVGAP__CSV_PAD, 1) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    r->text = p;
    p = r->field;
    if (room(r, &p, &r->capfield, nfield, sizeof *r->field) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    r->field = p;
    return SERVGAP_OK;
}

/* Split the line src[0..n), copied to text, at its commas, which become
 * NULs there. field[] has room for the fields. */
static void simple_split(servgap__csv *r, const unsigned char *src, size_t n)
{
    servgap__csv_field *f = r->field;
    size_t start = 0, k = 0;
    for (size_t i = 0;; i++) {
        if (i < n && src[i] != ',')
            continue;
        r->text[i] = '\0';
        f[k].s = r->text + start;
        f[k].len = i - start;
        f[k].line = r->line;
        f[k].col = col_of(r, src + start);
        k++;
        start = i + 1;
        if (i == n)
            break;
    }
    r->nfield = k;
}

/* Split the line src[0..n), whose fields may be quoted but hold no
 * doubled quote (the common shape of exports that quote every text field:
 * "Acme, Inc.",email), into text with a NUL after each field's content.
 * Returns 0 when the line is not of that shape: a doubled quote, text
 * after a closing quote, a quote inside an unquoted field, or a quoted
 * field that runs past the line. The general reader then starts over. */
static int quoted_split(servgap__csv *r, const unsigned char *src, size_t n)
{
    size_t i = 0, out = 0, k = 0;
    for (;;) {
        const unsigned char *from = src + i, *stop;
        int quoted = i < n && src[i] == '"';
        if (quoted) {
            stop = memchr(src + i + 1, '"', n - i - 1);
            if (!stop || (stop + 1 < src + n && stop[1] != ','))
                return 0;
            from++;
        } else {
            stop = memchr(from, ',', n - i);
            stop = stop ? stop : src + n;
            if (memchr(from, '"', (size_t)(stop - from)))
                return 0;
        }
        size_t len = (size_t)(stop - from);
        memcpy(r->text + out, from, len);
        r->text[out + len] = '\0';
        r->field[k] =
            (servgap__csv_field){(const char *)r->text + out, len, r->line, col_of(r, src + i)};
        k++;
        out += len + 1;
        i = (size_t)(stop - src) + (size_t)quoted; /* past its closing quote */
        if (i >= n)
            break;
        i++; /* the comma */
    }
    r->nfield = k;
    r->ntext = out;
    return 1;
}

/* 1 when p[0..n) is well-formed UTF-8 without NUL or CR bytes, nor
 * quotes unless quotes_ok. */
static int plain_line(const unsigned char *p, size_t n, int quotes_ok)
{
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80 ? p[i] != 0 && p[i] != '\r' && (p[i] != '"' || quotes_ok)
                               : servgap__utf8_seq(p + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* The common record: one line without NUL bytes or CRs (but for a final
 * CRLF), of well-formed UTF-8, whose quoted fields (if any) hold no
 * doubled quote. The general reader would take it byte by byte, field by
 * field; here one pass that the compiler can vectorize counts its fields
 * and finds whether it is ASCII without those bytes (a line that is not is
 * checked again, slower), and it is copied with one reservation per
 * record: whole and split in place, or field by field when it has quotes.
 * Returns 1 when done, 0 when the line is not such a record (r is then as
 * it was, for the general reader), or SERVGAP_ENOMEM. */
static int simple_record(servgap__csv *r)
{
    const unsigned char *p = r->p, *eol = memchr(p, '\n', (size_t)(r->end - p));
    size_t n = (size_t)((eol ? eol : r->end) - p), commas = 0;
    unsigned other = 0, quotes = 0;
    if (eol && n > 0 && p[n - 1] == '\r')
        n--;
    for (size_t i = 0; i < n; i++) {
        commas += p[i] == ',';
        quotes |= p[i] == '"';
        other |= (p[i] == 0) | (p[i] == '\r') | (p[i] >= 0x80);
    }
    if (other && !plain_line(p, n, 1))
        return 0;
    if (simple_room(r, n, commas + 1) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    if (quotes && !quoted_split(r, p, n))
        return 0;
    if (!quotes) {
        memcpy(r->text, p, n);
        simple_split(r, p, n);
        r->ntext = n + 1;
    }
    r->end_line = r->line;
    r->end_col = col_of(r, p + n);
    r->p = eol ? eol + 1 : r->end;
    if (eol) {
        r->line++;
        r->line_start = r->p;
    }
    return 1;
}

int servgap__csv_next(servgap__csv *r)
{
    r->nfield = 0;
    r->ntext = 0;
    r->err = NULL;
    r->fatal = 0;
    skip_blank_lines(r);
    if (r->p == r->end)
        return 0;
    int simple = simple_record(r);
    if (simple != 0)
        return simple;
    for (;;) {
        int rc = field(r);
        if (rc != SERVGAP_OK)
            return rc;
        if (r->p == r->end || *r->p != ',')
            break;
        r->p++;
    }
    void *t = r->text;
    if (room(r, &t, &r->captext, r->ntext + SERVGAP__CSV_PAD, 1) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    r->text = t;
    r->end_line = r->line;
    r->end_col = col_of(r, r->p);
    if (r->p < r->end && *r->p == '\r')
        r->p++;
    if (r->p < r->end) {
        r->p++;
        r->line++;
        r->line_start = r->p;
    }
    fix_fields(r);
    return r->err ? SERVGAP_EFORMAT : 1;
}

/* A peek looks this far at most per line, so that it costs little on any
 * input. */
#define PEEK_MAX 512

/* The first up to PEEK_MAX bytes of the input from p. */
static const unsigned char *peek_stop(const servgap__csv *r, const unsigned char *p)
{
    size_t avail = (size_t)(r->end - p);
    return p + (avail < PEEK_MAX ? avail : PEEK_MAX);
}

int servgap__csv_peek(const servgap__csv *r, size_t ahead, size_t i, const char **s, size_t *len)
{
    const unsigned char *p = r->p;
    for (; ahead > 0; ahead--) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(peek_stop(r, p) - p));
        if (!nl)
            return 0;
        p = nl + 1;
    }
    const unsigned char *stop = peek_stop(r, p);
    for (;; i--) {
        const unsigned char *q = memchr(p, ',', (size_t)(stop - p));
        if (!q || (i == 0 && r->end - p < SERVGAP__CSV_PAD))
            return 0;
        if (i == 0) {
            *s = (const char *)p;
            *len = (size_t)(q - p);
            return 1;
        }
        p = q + 1;
    }
}
