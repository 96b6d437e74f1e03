/*
 * csvahead -- a part of a CSV input read ahead.
 *
 * The reader reads each record straight into the part (servgap__csv_lend):
 * its text after the last record's, its fields after theirs, so nothing is
 * copied twice. The part's text is reserved whole before the first
 * record: a record's fields take at most its bytes in the input plus one
 * (each field's separator or the line's end becomes its NUL; only a
 * record that ends the input has no end of line), so the text never moves
 * and fields can point into it. The fields' array may move as it grows,
 * so records point at their fields only once the part is read.
 */
#include "platform.h"

#include "csvahead.h"

#include <string.h>

#include "servgap.h"

/* The fields lent for a record at first: a record with more is read
 * again with twice as many. */
#define AHEAD_FIELDS 64

/* Lend r the part's room after its last record: the rest of the text,
 * reserved whole, and room for at least nfield fields. */
static int ahead_lend(servgap__csv_ahead *b, const servgap__alloc *a, servgap__csv *r,
                      size_t nfield)
{
    void *p = b->field;
    if (servgap__reserve(a, &p, &b->capfield, b->nfield + nfield, sizeof *b->field) != 0)
        return SERVGAP_ENOMEM;
    b->field = p;
    servgap__csv_lend(r, b->text + b->ntext, b->captext - b->ntext, b->field + b->nfield,
                      b->capfield - b->nfield);
    return SERVGAP_OK;
}

/* Keep the record r just read in the room it was lent. A fatal record
 * keeps no fields: the reader gave up on them half made, and no caller
 * reads them. */
static int ahead_keep(servgap__csv_ahead *b, const servgap__alloc *a, const servgap__csv *r)
{
    void *p = b->rec;
    if (servgap__reserve(a, &p, &b->caprec, b->nrec + 1, sizeof *b->rec) != 0)
        return SERVGAP_ENOMEM;
    b->rec = p;
    size_t nfield = r->fatal ? 0 : r->nfield;
    servgap__csv_record_of(r, &b->rec[b->nrec]);
    b->rec[b->nrec].field = NULL;
    b->rec[b->nrec].nfield = nfield;
    b->nrec++;
    b->nfield += nfield;
    b->ntext += r->fatal ? 0 : r->ntext;
    return SERVGAP_OK;
}

/* Point each record at its fields, which follow one another in order. */
static void ahead_link(servgap__csv_ahead *b)
{
    size_t first = 0;
    for (size_t i = 0; i < b->nrec; i++) {
        b->rec[i].field = b->field + first;
        first += b->rec[i].nfield;
    }
}

/* Read the next record into the part; 1 when kept, 0 when the part ends
 * before it. A record with more fields than lent is read again with more
 * room, up to as many as the part's bytes could hold (most). */
static int ahead_next(servgap__csv_ahead *b, const servgap__alloc *a, servgap__csv *r,
                      const unsigned char *data, size_t len, size_t most)
{
    const unsigned char *before = r->p;
    uint64_t line = r->line;
    for (size_t want = AHEAD_FIELDS;; want *= 2) {
        if (ahead_lend(b, a, r, want) != SERVGAP_OK)
            return 0;
        int rc = servgap__csv_next(r);
        if (rc == 0)
            return 0;
        if (rc != SERVGAP_ENOMEM) {
            /* A record cut at the reader's end short of the input's is left
             * to the caller's reader. */
            if (!(r->p == r->end && r->end < data + len) && ahead_keep(b, a, r) == SERVGAP_OK)
                return 1;
            servgap__csv_seek(r, before, line);
            return 0;
        }
        servgap__csv_seek(r, before, line);
        if (want > most)
            return 0;
    }
}

void servgap__csv_ahead_read(servgap__csv_ahead *b, const servgap__alloc *a,
                             const unsigned char *data, size_t len, size_t from, size_t to,
                             size_t limit)
{
    servgap__csv r;
    limit = limit < len ? limit : len;
    b->from = data + from;
    b->nrec = b->nfield = b->ntext = 0;
    void *p = b->text;
    if (servgap__reserve(a, &p, &b->captext, limit - from + 1 + SERVGAP__CSV_PAD, 1) != 0) {
        b->stop = b->from;
        b->stop_line = 1;
        return;
    }
    b->text = p;
    servgap__csv_init(&r, a, data, limit);
    servgap__csv_seek(&r, data + from, 1);
    while (r.p < data + to && ahead_next(b, a, &r, data, len, limit - from + 1))
        ;
    b->stop = r.p;
    b->stop_line = r.line;
    servgap__csv_free(&r);
    ahead_link(b);
}

void servgap__csv_ahead_renumber(servgap__csv_ahead *b, size_t i, uint64_t line)
{
    servgap__csv_record *rec = &b->rec[i];
    uint64_t d = line - 1;
    servgap__csv_field *f = b->field + (rec->field - b->field);
    for (size_t k = 0; k < rec->nfield; k++)
        f[k].line += d;
    rec->end_line += d;
    rec->next_line += d;
    if (rec->err)
        rec->err_line += d;
}

void servgap__csv_ahead_free(servgap__csv_ahead *b, const servgap__alloc *a)
{
    servgap__free(a, b->rec);
    servgap__free(a, b->field);
    servgap__free(a, b->text);
    memset(b, 0, sizeof *b);
}
