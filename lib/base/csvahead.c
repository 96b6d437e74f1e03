/*
 * csvahead -- a part of a CSV input read ahead.
 *
 * The part's text is reserved whole before the first record: a record's
 * fields take at most its bytes in the input plus one (each field's
 * separator or the line's end becomes its NUL; only a record that ends
 * the input has no end of line), so the text never moves and fields can
 * point into it as they are copied. Records point at their fields only
 * once the part is read, when the fields no longer move.
 */
#include "platform.h"

#include "csvahead.h"

#include <string.h>

#include "servgap.h"

/* Room for one more record and nfield more fields. */
static int ahead_room(servgap__csv_ahead *b, const servgap__alloc *a, size_t nfield)
{
    void *p = b->rec;
    if (servgap__reserve(a, &p, &b->caprec, b->nrec + 1, sizeof *b->rec) != 0)
        return SERVGAP_ENOMEM;
    b->rec = p;
    p = b->field;
    if (servgap__reserve(a, &p, &b->capfield, b->nfield + nfield, sizeof *b->field) != 0)
        return SERVGAP_ENOMEM;
    b->field = p;
    return SERVGAP_OK;
}

/* Append the record r just read. Its text lands at b->text + b->ntext,
 * within the room reserved for the part (checked all the same: a part
 * that would overflow stops there). A fatal record keeps no fields: the
 * reader gave up on them half made, and no caller reads them. */
static int ahead_append(servgap__csv_ahead *b, const servgap__alloc *a, const servgap__csv *r)
{
    size_t nfield = r->fatal ? 0 : r->nfield, ntext = r->fatal ? 0 : r->ntext;
    if (ntext > b->captext - SERVGAP__CSV_PAD - b->ntext || ahead_room(b, a, nfield) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    char *text = b->text + b->ntext;
    memcpy(text, r->text, ntext);
    for (size_t i = 0; i < nfield; i++) {
        servgap__csv_field f = r->field[i];
        f.s = text + (f.s - r->text);
        b->field[b->nfield + i] = f;
    }
    servgap__csv_record_of(r, &b->rec[b->nrec]);
    b->rec[b->nrec].field = NULL;
    b->rec[b->nrec].nfield = nfield;
    b->nrec++;
    b->nfield += nfield;
    b->ntext += ntext;
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

/* Read records while the reader is before data + to. */
static void ahead_records(servgap__csv_ahead *b, const servgap__alloc *a, servgap__csv *r,
                          const unsigned char *data, size_t len, size_t to)
{
    while (r->p < data + to) {
        const unsigned char *before = r->p;
        uint64_t line = r->line;
        int rc = servgap__csv_next(r);
        if (rc == 0)
            break;
        /* A record cut at the reader's end short of the input's, or one
         * too large for memory, is left to the caller's reader. */
        if (rc == SERVGAP_ENOMEM || (r->p == r->end && r->end < data + len) ||
            ahead_append(b, a, r) != SERVGAP_OK) {
            servgap__csv_seek(r, before, line);
            break;
        }
    }
    b->stop = r->p;
    b->stop_line = r->line;
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
    ahead_records(b, a, &r, data, len, to);
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
