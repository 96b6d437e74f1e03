/*
 * csvahead -- a part of a CSV input read ahead: the records that start in
 * a byte range, read by the CSV reader exactly as a reader of the whole
 * input would read them, provided the range starts where a record does.
 * Several parts are read on threads at once; the caller then takes their
 * records in input order, checking that each part starts where the one
 * before it stopped (a range that began inside a quoted field does not,
 * and is read again by one reader instead). Relies on csv and alloc only.
 */
#ifndef SERVGAP_CSVAHEAD_H
#define SERVGAP_CSVAHEAD_H

#include "csv.h"

/* The records of one part. Line numbers (of fields, ends and errors) count
 * from 1 at the part's first byte; servgap__csv_ahead_renumber turns them
 * into the input's once the line the part starts at is known. */
typedef struct servgap__csv_ahead {
    const unsigned char *from; /* the part's first byte, a line start */
    const unsigned char *stop; /* where the last record read ends */
    uint64_t stop_line;        /* stop's line, counted from 1 at from */
    servgap__csv_record *rec;
    size_t nrec, caprec;
    servgap__csv_field *field;
    size_t nfield, capfield;
    char *text;
    size_t ntext, captext;
} servgap__csv_ahead;

/* Read the records of data[0..len) that start in [from, to), where from is
 * the start of a line: as servgap__csv_next reads them but for their line
 * numbers (blank lines before to are skipped, so the last record may
 * start at or after to). A record that reaches data + limit (limit < len)
 * is not read, nor any after it: the caller reads on from stop. Neither
 * is one that runs out of memory. Reuses b's arrays; the fields point
 * into b's text and stay valid until b is read again or freed. Never
 * fails: a part read short only leaves more for the caller's own reader.
 * Parts are read on several threads at once, so a must allow that. */
void servgap__csv_ahead_read(servgap__csv_ahead *b, const servgap__alloc *a,
                             const unsigned char *data, size_t len, size_t from, size_t to,
                             size_t limit);

/* Add line - 1 to the line numbers of record i, whose part starts at line
 * line of the input. */
void servgap__csv_ahead_renumber(servgap__csv_ahead *b, size_t i, uint64_t line);

/* Records are written by the thread that read them and taken by another,
 * whose cache does not hold them: ask for record i's fields and text, and
 * for a later record, before they are needed. Only a hint. */
static inline void servgap__csv_ahead_prefetch(const servgap__csv_ahead *b, size_t i)
{
#if defined(__GNUC__) || defined(__clang__)
    if (i + 8 < b->nrec)
        __builtin_prefetch(&b->rec[i + 8]);
    if (i < b->nrec) {
        const servgap__csv_record *r = &b->rec[i];
        for (size_t k = 0; k < r->nfield; k += 2)
            __builtin_prefetch(&r->field[k]);
        if (r->nfield > 0)
            __builtin_prefetch(r->field[0].s);
    }
#else
    (void)b;
    (void)i;
#endif
}

void servgap__csv_ahead_free(servgap__csv_ahead *b, const servgap__alloc *a);

#endif
