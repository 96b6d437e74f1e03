/*
 * csv -- an RFC 4180 reader over a buffer in memory. The reader never
 * copies the input; it copies only the current record's fields, unquoted
 * and NUL-terminated, into scratch space from the given allocator. The
 * values the fields hold are parsed by parse_number and parse_time. Relies
 * on alloc only: it knows nothing about the tables.
 */
#ifndef SERVGAP_CSV_H
#define SERVGAP_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

/* Bytes readable from the start of any field, its NUL and what follows
 * included, so that a caller may load a short field a word at a time. */
#define SERVGAP__CSV_PAD 24

/* A field of the current record. s is NUL-terminated valid UTF-8 without
 * NUL bytes, valid until the next servgap__csv_next, with SERVGAP__CSV_PAD
 * bytes readable from s. line and col are where the field starts (its
 * opening quote, if quoted), both counted from 1; col counts bytes from the
 * start of the line, a BOM not included. */
typedef struct servgap__csv_field {
    const char *s;
    size_t len;
    uint64_t line, col;
} servgap__csv_field;

typedef struct servgap__csv {
    const servgap__alloc *a;
    const unsigned char *p, *end, *line_start;
    uint64_t line;
    char *text; /* the current record's fields, each NUL-terminated */
    size_t ntext, captext;
    servgap__csv_field *field;
    size_t nfield, capfield;
    uint64_t end_line, end_col; /* where the current record ends */
    /* The first error of the current record: a static reason and where it
     * happened; fatal when the rest of the input cannot be read. */
    const char *err;
    uint64_t err_line, err_col;
    int fatal;
    /* 0; 1 when the input starts with a UTF-8 BOM, which is skipped; 2 when
     * another BOM follows that one, which is not: the first field starts
     * with it, and the caller can name the mistake. */
    int bom;
    int lent; /* text and field are a caller's (servgap__csv_lend) */
} servgap__csv;

/* Start reading data[0..len), which must outlive the reader. A UTF-8 BOM at
 * the start is skipped. data may be NULL when len is 0. */
void servgap__csv_init(servgap__csv *r, const servgap__alloc *a, const void *data, size_t len);
void servgap__csv_free(servgap__csv *r);

/* Read the next record. Blank lines are skipped. Returns 1 with the record
 * in r->field[0..nfield), 0 at the end of the input, SERVGAP_ENOMEM, or
 * SERVGAP_EFORMAT for a malformed record with r->err set: unless r->fatal,
 * the reader has consumed the whole malformed record (quotes respected) and
 * the next call reads the one after it. */
int servgap__csv_next(servgap__csv *r);

/* Go on reading at at, the start of a line of the input, as line number
 * line: a reader that has fallen behind skips ahead, and a reader of part
 * of a file numbers its lines. */
void servgap__csv_seek(servgap__csv *r, const void *at, uint64_t line);

/* Read the next records into the caller's buffers instead of the
 * reader's own: text[0..captext) and field[0..capfield), which the reader
 * never grows nor frees. A record they cannot hold makes
 * servgap__csv_next return SERVGAP_ENOMEM; lend larger ones, seek back to
 * where the record starts and read it again. For a reader that gathers
 * many records in one place (csvahead): lent again before each record,
 * at the room after the last. */
void servgap__csv_lend(servgap__csv *r, char *text, size_t captext, servgap__csv_field *field,
                       size_t capfield);

/* A record as its reader left it: its fields, where it ends, the line the
 * reader goes on at after it, and its first error (err NULL when it has
 * none; servgap__csv_next returned SERVGAP_EFORMAT when it has one). */
typedef struct servgap__csv_record {
    const servgap__csv_field *field;
    size_t nfield;
    uint64_t end_line, end_col, next_line;
    const char *err;
    uint64_t err_line, err_col;
    int fatal;
} servgap__csv_record;

/* The record r read last, valid until the next servgap__csv_next. */
void servgap__csv_record_of(const servgap__csv *r, servgap__csv_record *out);

/* Where field i of a coming record probably starts in the input, and how
 * long it is: the record after the next `ahead` lines, and in it the text
 * between the i-th and (i+1)-th comma, within a bounded look-ahead. Not
 * unquoted, not NUL-terminated, not checked, and wrong around records with
 * quotes, blank lines or fewer fields: only a hint, e.g. for a prefetch.
 * Returns 1, with SERVGAP__CSV_PAD bytes readable from *s, or 0 when no
 * such text was found. */
int servgap__csv_peek(const servgap__csv *r, size_t ahead, size_t i, const char **s, size_t *len);

#endif
