/*
 * pg_agg -- the SQL functions of the aggregates servgap_agg (observation
 * rows in, the library's bytes out) and servgap_merge (such bytes in, their
 * merge out): transition, combine, serialize, deserialize and final
 * functions, so that GROUP BY, parallel plans and partition-wise
 * aggregation work.
 *
 * States are built in the aggregate's memory context. A deserialized
 * state lives in the context PostgreSQL calls the deserialize function in
 * (a per-tuple one): the combine function merges it into a state of the
 * aggregate context rather than adopting it.
 */
#include "servgap_pg.h"

#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void)
{
    pgsg_define_settings();
}

/* servgap_agg's arguments after the state. */
enum {
    ARG_DEFS = 1,
    ARG_TIME,
    ARG_ACCOUNT,
    ARG_TIER,
    ARG_TOUCHPOINT,
    ARG_METRIC,
    ARG_VIEWPOINT,
    ARG_VALUE,
    ARG_TEAM,
    ARG_DRIVER,
    ARG_RESPONDENT
};

static MemoryContext agg_context(FunctionCallInfo fcinfo, const char *fn)
{
    MemoryContext ac;

    if (!AggCheckCallContext(fcinfo, &ac))
        elog(ERROR, "%s called in a non-aggregate context", fn);
    return ac;
}

static bool arg_null(FunctionCallInfo fcinfo, int k)
{
    return k >= PG_NARGS() || PG_ARGISNULL(k);
}

static void put_text_arg(StringInfo buf, FunctionCallInfo fcinfo, int k)
{
    text *t;

    if (arg_null(fcinfo, k)) {
        appendStringInfoChar(buf, ',');
        return;
    }
    t = PG_GETARG_TEXT_PP(k);
    pgsg_csv_text(buf, false, VARDATA_ANY(t), (int)VARSIZE_ANY_EXHDR(t));
}

static bool has_respondent(FunctionCallInfo fcinfo)
{
    return !arg_null(fcinfo, ARG_RESPONDENT) &&
           VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(ARG_RESPONDENT)) > 0;
}

/* A row that lacks a required value, named by the fields it has (the
 * partial line at buf->data + start). */
static pg_noreturn void raise_row(StringInfo buf, int start, const char *field, const char *why)
{
    const char *hdr = PGSG_OBS_HEADER, *ignored;
    char *row =
        pgsg_describe_row(hdr, strlen(hdr) - 1, buf->data + start, buf->len - start, 0, &ignored);

    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                    errmsg("servgap: observation row %s: field %s: %s", row, field, why)));
}

static void put_time_arg(StringInfo buf, FunctionCallInfo fcinfo)
{
    TimestampTz t;

    if (arg_null(fcinfo, ARG_TIME))
        return;
    t = PG_GETARG_TIMESTAMPTZ(ARG_TIME);
    if (TIMESTAMP_NOT_FINITE(t))
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("servgap: observation row: field time: %s is not a time",
                               TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
    pgsg_csv_time(buf, true, pgsg_unix_from_timestamptz(t));
}

/* Append the row of fcinfo to buf: value_is_text tells the value's type. */
static void put_row(StringInfo buf, FunctionCallInfo fcinfo, bool value_is_text)
{
    int start = buf->len;

    put_time_arg(buf, fcinfo);
    for (int k = ARG_ACCOUNT; k <= ARG_VIEWPOINT; k++)
        put_text_arg(buf, fcinfo, k);
    if (value_is_text)
        put_text_arg(buf, fcinfo, ARG_VALUE);
    else if (!arg_null(fcinfo, ARG_VALUE))
        pgsg_csv_double(buf, false, PG_GETARG_FLOAT8(ARG_VALUE));
    else
        appendStringInfoChar(buf, ',');
    for (int k = ARG_TEAM; k <= ARG_RESPONDENT; k++)
        put_text_arg(buf, fcinfo, k);
    if (arg_null(fcinfo, ARG_TIME))
        raise_row(buf, start, "time", "is NULL; every observation has a time");
    if (arg_null(fcinfo, ARG_METRIC))
        raise_row(buf, start, "metric", "is NULL; every observation names its metric");
    if (arg_null(fcinfo, ARG_VIEWPOINT))
        raise_row(buf, start, "viewpoint", "is NULL; every observation names its viewpoint");
    if (arg_null(fcinfo, ARG_VALUE))
        raise_row(buf, start, "value", "is NULL; every observation has a value");
    appendStringInfoChar(buf, '\n');
}

static Datum transition(FunctionCallInfo fcinfo, bool value_is_text)
{
    MemoryContext ac = agg_context(fcinfo, "servgap_agg");
    pgsg_state *s = PG_ARGISNULL(0) ? NULL : (pgsg_state *)PG_GETARG_POINTER(0);
    bool resp = has_respondent(fcinfo);

    if (s == NULL)
        s = pgsg_state_new(ac, arg_null(fcinfo, ARG_DEFS) ? NULL : PG_GETARG_BYTEA_PP(ARG_DEFS));
    put_row(pgsg_state_row_buffer(s, resp), fcinfo, value_is_text);
    pgsg_state_row_done(s, resp);
    PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(pgsg_agg_sfunc);
Datum pgsg_agg_sfunc(PG_FUNCTION_ARGS)
{
    return transition(fcinfo, false);
}

PG_FUNCTION_INFO_V1(pgsg_agg_sfunc_text);
Datum pgsg_agg_sfunc_text(PG_FUNCTION_ARGS)
{
    return transition(fcinfo, true);
}

PG_FUNCTION_INFO_V1(pgsg_agg_combine);
Datum pgsg_agg_combine(PG_FUNCTION_ARGS)
{
    MemoryContext ac = agg_context(fcinfo, "servgap_agg_combine");
    pgsg_state *a = PG_ARGISNULL(0) ? NULL : (pgsg_state *)PG_GETARG_POINTER(0);
    pgsg_state *b = PG_ARGISNULL(1) ? NULL : (pgsg_state *)PG_GETARG_POINTER(1);

    if (b == NULL) {
        if (a == NULL)
            PG_RETURN_NULL();
        PG_RETURN_POINTER(a);
    }
    if (a == NULL)
        a = pgsg_state_new(ac, NULL);
    pgsg_state_merge(a, b);
    PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(pgsg_agg_serialize);
Datum pgsg_agg_serialize(PG_FUNCTION_ARGS)
{
    agg_context(fcinfo, "servgap_agg_serialize");
    PG_RETURN_BYTEA_P(pgsg_state_to_bytea((pgsg_state *)PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(pgsg_agg_deserialize);
Datum pgsg_agg_deserialize(PG_FUNCTION_ARGS)
{
    agg_context(fcinfo, "servgap_agg_deserialize");
    PG_RETURN_POINTER(pgsg_state_from_bytea(CurrentMemoryContext, PG_GETARG_BYTEA_PP(0)));
}

PG_FUNCTION_INFO_V1(pgsg_agg_final);
Datum pgsg_agg_final(PG_FUNCTION_ARGS)
{
    agg_context(fcinfo, "servgap_agg_final");
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    PG_RETURN_BYTEA_P(pgsg_state_result((pgsg_state *)PG_GETARG_POINTER(0)));
}

/* servgap_merge: each input is an aggregate's result (or definitions). */
PG_FUNCTION_INFO_V1(pgsg_merge_sfunc);
Datum pgsg_merge_sfunc(PG_FUNCTION_ARGS)
{
    MemoryContext ac = agg_context(fcinfo, "servgap_merge");
    pgsg_state *s = PG_ARGISNULL(0) ? NULL : (pgsg_state *)PG_GETARG_POINTER(0);
    bytea *b;

    if (s == NULL)
        s = pgsg_state_new(ac, NULL);
    if (PG_ARGISNULL(1))
        PG_RETURN_POINTER(s);
    b = PG_GETARG_BYTEA_PP(1);
    pgsg_handle_load(s->h, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), "servgap_merge");
    PG_RETURN_POINTER(s);
}
