/*
 * jsonvalue -- one pass of the JSON report over a result, and the values
 * its rows are made of: literals, numbers, dates, booleans, keys, and the
 * names of ids, where an id ctx does not know is remembered for the error
 * and written as null. Relies on sink, numtext, ctx and result.
 */
#ifndef SERVGAP_JSONVALUE_H
#define SERVGAP_JSONVALUE_H

#include "../base/numtext.h"
#include "../measure/result.h"
#include "../model/ctx.h"
#include "sink.h"

/* One pass over a result. The first name ctx does not know is remembered,
 * its place written as null, so that the pass still runs to the end. */
typedef struct servgap__report {
    servgap__sink s;
    const servgap_ctx *ctx;
    const servgap_result *r;
    const char *table; /* where the pass is, for the error message */
    size_t row;
    const char *bad_kind, *bad_table;
    size_t bad_row;
    int32_t bad_id;
} servgap__report;

/* Only for string literals (the "" makes anything else a compile error). */
#define SERVGAP__LIT(w, text) servgap__sink_put(&(w)->s, "" text, sizeof("" text) - 1)

/* The small writers are inline: the report calls them millions of times. */

static inline void servgap__write_text(servgap__report *w, const char *s)
{
    servgap__sink_put(&w->s, s, strlen(s));
}

static inline void servgap__write_num(servgap__report *w, double x)
{
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, b, servgap__json_double(x, b));
}

static inline void servgap__write_int(servgap__report *w, int64_t v)
{
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, b, servgap__json_int(v, b));
}

/* A JSON string, or null for NULL. */
static inline void servgap__write_str(servgap__report *w, const char *s)
{
    servgap__json_string(&w->s, s);
}

static inline void servgap__write_bool(servgap__report *w, int b)
{
    if (b)
        SERVGAP__LIT(w, "true");
    else
        SERVGAP__LIT(w, "false");
}

/* [lo,hi] */
static inline void servgap__write_pair(servgap__report *w, double lo, double hi)
{
    SERVGAP__LIT(w, "[");
    servgap__write_num(w, lo);
    SERVGAP__LIT(w, ",");
    servgap__write_num(w, hi);
    SERVGAP__LIT(w, "]");
}

/* "name": for a name known to need no escaping (an enumeration name). */
static inline void servgap__write_key(servgap__report *w, const char *name)
{
    servgap__sink_put(&w->s, "\"", 1);
    servgap__sink_put(&w->s, name, strlen(name));
    servgap__sink_put(&w->s, "\":", 2);
}

/* Remembers id as the first unknown one of its kind, at the pass's table
 * and row, unless one is remembered already. */
void servgap__report_unknown(servgap__report *w, const char *kind, int32_t id);
/* The name of id in t, or NULL after remembering the failure. */
const char *servgap__report_lookup(servgap__report *w, const servgap__names *t, int32_t id,
                                   const char *kind);

/* A date as "YYYY-MM-DD", null for SERVGAP_TIME_NONE. */
void servgap__write_date_or_null(servgap__report *w, int64_t t);
/* A metric's name, "*" for a roll-up. */
void servgap__write_metric(servgap__report *w, int32_t id);
void servgap__write_account(servgap__report *w, int32_t id);
/* "scope":...,"touchpoint":... (the start of every row that has them). */
void servgap__write_where(servgap__report *w, int32_t kind, int32_t id, int32_t tp);
/* A joined span by name; spans the library has no name for are listed
 * link by link, upstream first. */
void servgap__write_span(servgap__report *w, uint32_t span);

#endif
