/*
 * test_csvread -- the CSV reader's records against the fields they were
 * written from. A writer in this file encodes random fields the way real
 * exports do (plain; quoted because they hold commas, quotes or line
 * breaks; quoted for no reason, as exports that quote every text field
 * do; empty and quoted-empty), with LF or CRLF, and the reader must give
 * back each field's bytes, its line and its column. The reader has a fast
 * path for single-line records (quoted or not) and a general one for the
 * rest; records of both kinds are mixed in every file, so each path is
 * checked against the writer, not against the other. The same files are
 * also read in parts (csvahead), as an import on threads reads them, and
 * checked against the writer too. Links the internal archive.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/csvahead.h"

#include "helpers.h"
#include "run_suite.h"

#define FIELDS  4
#define RECORDS 400
#define MAXLEN  12

typedef struct written {
    char value[FIELDS][MAXLEN * 4 + 1];
    uint64_t line[FIELDS], col[FIELDS];
} written;

typedef struct file {
    char *p;
    size_t n, cap;
    uint64_t line, col; /* where the next byte goes, from 1 */
} file;

static void emit(file *f, const char *s, size_t n)
{
    if (f->n + n + 1 > f->cap) {
        f->cap = 2 * (f->n + n + 1);
        f->p = realloc(f->p, f->cap);
        ck_assert_ptr_nonnull(f->p);
    }
    for (size_t i = 0; i < n; i++) {
        f->p[f->n++] = s[i];
        f->col++;
        if (s[i] == '\n') {
            f->line++;
            f->col = 1;
        }
    }
}

/* A random value from pieces that matter to a CSV reader. */
static void random_value(uint64_t *seed, char *out)
{
    static const char *const piece[] = {"a", "Z", "0", " ", ",", "\"", "\xc3\xa9", "\n", "-", "."};
    size_t n = test_draw(seed, MAXLEN + 1), len = 0;
    int rich = test_draw(seed, 4) == 0; /* most values are plain, as in exports */
    for (size_t i = 0; i < n; i++) {
        const char *s = piece[test_draw(seed, rich ? 10 : 4)];
        memcpy(out + len, s, strlen(s));
        len += strlen(s);
    }
    out[len] = '\0';
}

/* Writes value as a field: quoted when it must be, and sometimes when it
 * need not be. Returns where it starts. */
static void write_field(file *f, uint64_t *seed, const char *value, uint64_t *line, uint64_t *col)
{
    int must = strpbrk(value, ",\"\n") != NULL;
    *line = f->line;
    *col = f->col;
    if (!must && test_draw(seed, 3) != 0) {
        emit(f, value, strlen(value));
        return;
    }
    emit(f, "\"", 1);
    for (const char *s = value; *s; s++) {
        emit(f, s, 1);
        if (*s == '"')
            emit(f, "\"", 1); /* doubled */
    }
    emit(f, "\"", 1);
}

static void write_file(file *f, uint64_t *seed, written *w, int crlf)
{
    memset(f, 0, sizeof *f);
    f->line = f->col = 1;
    for (size_t r = 0; r < RECORDS; r++) {
        for (size_t k = 0; k < FIELDS; k++) {
            if (k)
                emit(f, ",", 1);
            random_value(seed, w[r].value[k]);
            write_field(f, seed, w[r].value[k], &w[r].line[k], &w[r].col[k]);
        }
        emit(f, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
    }
}

/* Record i of the file as the writer wrote it. */
static void check_record(const servgap__csv_field *field, size_t nfield, const written *w, size_t i)
{
    ck_assert_uint_lt(i, RECORDS);
    ck_assert_uint_eq(nfield, FIELDS);
    for (size_t k = 0; k < FIELDS; k++) {
        ck_assert_msg(strcmp(field[k].s, w[i].value[k]) == 0,
                      "record %zu field %zu: '%s', want '%s'", i, k, field[k].s, w[i].value[k]);
        ck_assert_uint_eq(field[k].len, strlen(w[i].value[k]));
        ck_assert_uint_eq(field[k].line, w[i].line[k]);
        ck_assert_uint_eq(field[k].col, w[i].col[k]);
    }
}

static void read_back(const file *f, const written *w)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__csv r;
    servgap__csv_init(&r, &a, f->p, f->n);
    for (size_t i = 0; i < RECORDS; i++) {
        ck_assert_int_eq(servgap__csv_next(&r), 1);
        check_record(r.field, r.nfield, w, i);
    }
    ck_assert_int_eq(servgap__csv_next(&r), 0);
    servgap__csv_free(&r);
}

START_TEST(test_records_read_back)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
    written *w = calloc(RECORDS, sizeof *w);
    ck_assert_ptr_nonnull(w);
    file f;
    write_file(&f, &seed, w, _i % 2);
    read_back(&f, w);
    free(f.p);
    free(w);
}
END_TEST

/* The first line start at or after at (or n). */
static size_t line_start_from(const file *f, size_t at)
{
    while (at < f->n && at > 0 && f->p[at - 1] != '\n')
        at++;
    return at < f->n ? at : f->n;
}

/* The file read in parts of random sizes, each from a line start (many
 * inside a quoted field) with a random reach past its end, taken the way
 * a caller must: a part only where the reading before it stopped, else
 * its records read by one reader that catches up. Every record, whoever
 * read it, must be the writer's, with the writer's line and column. */
static void read_back_in_parts(const file *f, const written *w, uint64_t *seed)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__csv r;
    servgap__csv_init(&r, &a, f->p, f->n);
    servgap__csv_ahead b;
    memset(&b, 0, sizeof b);
    const unsigned char *data = (const unsigned char *)f->p;
    size_t i = 0, from = 0, taken = 0;
    while (from < f->n) {
        size_t to = from + 1 + test_draw(seed, 300);
        to = to < f->n ? to : f->n;
        servgap__csv_ahead_read(&b, &a, data, f->n, from, to, to + test_draw(seed, 300));
        ck_assert_ptr_eq(b.from, data + from);
        while (r.p < b.from && servgap__csv_next(&r) == 1)
            check_record(r.field, r.nfield, w, i++);
        if (r.p == b.from) {
            uint64_t line = r.line;
            for (size_t k = 0; k < b.nrec; k++) {
                servgap__csv_ahead_renumber(&b, k, line);
                ck_assert_ptr_null(b.rec[k].err);
                check_record(b.rec[k].field, b.rec[k].nfield, w, i++);
            }
            taken += b.nrec;
            servgap__csv_seek(&r, b.stop, line + b.stop_line - 1);
        }
        from = line_start_from(f, to);
    }
    while (servgap__csv_next(&r) == 1)
        check_record(r.field, r.nfield, w, i++);
    ck_assert_uint_eq(i, RECORDS);
    ck_assert_uint_gt(taken, RECORDS / 4); /* the parts did most of the reading */
    servgap__csv_ahead_free(&b, &a);
    servgap__csv_free(&r);
}

START_TEST(test_records_read_back_in_parts)
{
    uint64_t seed = 0x2545f4914f6cdd1dull + (uint64_t)_i;
    written *w = calloc(RECORDS, sizeof *w);
    ck_assert_ptr_nonnull(w);
    file f;
    write_file(&f, &seed, w, _i % 2);
    read_back_in_parts(&f, w, &seed);
    free(f.p);
    free(w);
}
END_TEST

/* Records wider than the room a part lends a record at first (64 fields),
 * read by either of the reader's paths: the part reads each again with
 * more room, and keeps it whole. */
START_TEST(test_wide_records_read_in_parts)
{
    enum { WIDE = 300, LINES = 6 };
    /* plain, quoted (the fast path) and with a doubled quote (the general
     * reader) */
    static const char *const formats[] = {"%d%c", "\"%d\"%c", "\"%d\"\"\"%c"};
    char *csv = malloc((size_t)LINES * WIDE * 12 + 1);
    ck_assert_ptr_nonnull(csv);
    size_t n = 0;
    for (int l = 0; l < LINES; l++)
        for (int k = 0; k < WIDE; k++)
            n += (size_t)sprintf(csv + n, formats[l % 3], k, k + 1 < WIDE ? ',' : '\n');
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__csv_ahead b;
    memset(&b, 0, sizeof b);
    servgap__csv_ahead_read(&b, &a, (const unsigned char *)csv, n, 0, n, n);
    ck_assert_uint_eq(b.nrec, LINES);
    ck_assert_ptr_eq(b.stop, (const unsigned char *)csv + n);
    for (size_t i = 0; i < LINES; i++) {
        ck_assert_uint_eq(b.rec[i].nfield, WIDE);
        char want[16];
        for (int k = 0; k < WIDE; k++) {
            snprintf(want, sizeof want, i % 3 == 2 ? "%d\"" : "%d", k);
            ck_assert_str_eq(b.rec[i].field[k].s, want);
            ck_assert_uint_eq(b.rec[i].field[k].line, i + 1);
        }
    }
    servgap__csv_ahead_free(&b, &a);
    free(csv);
}
END_TEST

/* The shapes the fast path must refuse, each read as the general reader
 * reads it: the same fields or the same error as an RFC 4180 reading. */
START_TEST(test_quoted_lines_the_fast_path_refuses)
{
    static const struct {
        const char *csv;
        int rc;
        const char *fields[3];
    } cases[] = {
        {"\"a\"\"b\",c\n", 1, {"a\"b", "c"}},
        {"\"a\nb\",c\n", 1, {"a\nb", "c"}},
        {"\"a\"b,c\n", SERVGAP_EFORMAT, {NULL}},
        {"a\"b,c\n", SERVGAP_EFORMAT, {NULL}},
        {"\"a,c\n", SERVGAP_EFORMAT, {NULL}},
        {"\"\",\"\"\"\"\n", 1, {"", "\""}},
        {"\"x\",\n", 1, {"x", ""}},
        {",\"x\"\r\n", 1, {"", "x"}},
    };
    servgap__alloc a;
    servgap__alloc_default(&a);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        servgap__csv r;
        servgap__csv_init(&r, &a, cases[i].csv, strlen(cases[i].csv));
        ck_assert_int_eq(servgap__csv_next(&r), cases[i].rc);
        for (size_t k = 0; cases[i].rc == 1 && cases[i].fields[k]; k++)
            ck_assert_str_eq(r.field[k].s, cases[i].fields[k]);
        servgap__csv_free(&r);
    }
}
END_TEST

/* A quoted line that ends the input without a line break, its last field
 * unquoted: the reader must not look past the input's end (the input here
 * is allocated to its exact size, so that ASan sees any read beyond). A
 * fuzzer found the fast path reading one byte past it. */
START_TEST(test_quoted_line_at_the_end_of_the_input)
{
    static const char *const lines[] = {"\"a\",b", "\"a\",", "x,\"a\"", "\"a\""};
    servgap__alloc a;
    servgap__alloc_default(&a);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        size_t n = strlen(lines[i]);
        char *exact = malloc(n);
        ck_assert_ptr_nonnull(exact);
        memcpy(exact, lines[i], n);
        servgap__csv r;
        servgap__csv_init(&r, &a, exact, n);
        ck_assert_int_eq(servgap__csv_next(&r), 1);
        ck_assert_str_eq(r.field[0].s, i == 2 ? "x" : "a");
        ck_assert_int_eq(servgap__csv_next(&r), 0);
        servgap__csv_free(&r);
        free(exact);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csvread");
    TCase *tc = tcase_create("csvread");
    tcase_add_loop_test(tc, test_records_read_back, 0, 40);
    tcase_add_loop_test(tc, test_records_read_back_in_parts, 0, 40);
    tcase_add_test(tc, test_wide_records_read_in_parts);
    tcase_add_test(tc, test_quoted_lines_the_fast_path_refuses);
    tcase_add_test(tc, test_quoted_line_at_the_end_of_the_input);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
