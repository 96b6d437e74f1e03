/*
 * pg_defs -- definitions (metrics, accounts, importance, efforts, plans)
 * read from the product's own tables or queries with SPI, as the CSV
 * tables of docs/formats.md: the query's column names are the header, so
 * `TABLE accounts` of a table loaded from accounts.csv, or a SELECT that
 * names its columns so, reads as that file does. And servgap_definitions,
 * the dictionary servgap_agg starts every state from.
 *
 * Values are written in the forms the library reads whatever the
 * session's DateStyle or extra_float_digits: dates as YYYY-MM-DD, times as
 * UTC date-times, booleans as true/false, floats with all their digits.
 */
#include "servgap_pg.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

static void put_value(StringInfo buf, bool first, Datum v, Oid type, HeapTuple tup, TupleDesc desc,
                      int col)
{
    switch (type) {
    case BOOLOID:
        pgsg_csv_cstring(buf, first, DatumGetBool(v) ? "true" : "false");
        return;
    case FLOAT4OID:
        pgsg_csv_double(buf, first, DatumGetFloat4(v));
        return;
    case FLOAT8OID:
        pgsg_csv_double(buf, first, DatumGetFloat8(v));
        return;
    case DATEOID:
        if (!DATE_NOT_FINITE(DatumGetDateADT(v))) {
            pgsg_csv_date(buf, first, pgsg_unix_from_date(DatumGetDateADT(v)));
            return;
        }
        break;
    case TIMESTAMPOID: /* read as UTC */
    case TIMESTAMPTZOID:
        if (!TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(v))) {
            pgsg_csv_time(buf, first, pgsg_unix_from_timestamptz(DatumGetTimestampTz(v)));
            return;
        }
        break;
    }
    pgsg_csv_cstring(buf, first, SPI_getvalue(tup, desc, col));
}

static void put_header(StringInfo buf, TupleDesc desc)
{
    for (int c = 0; c < desc->natts; c++)
        pgsg_csv_cstring(buf, c == 0, NameStr(TupleDescAttr(desc, c)->attname));
    appendStringInfoChar(buf, '\n');
}

static void put_rows(StringInfo buf, SPITupleTable *tt, uint64 n)
{
    TupleDesc desc = tt->tupdesc;

    for (uint64 r = 0; r < n; r++) {
        for (int c = 0; c < desc->natts; c++) {
            bool isnull;
            Datum v = SPI_getbinval(tt->vals[r], desc, c + 1, &isnull);

            if (isnull)
                pgsg_csv_cstring(buf, c == 0, "");
            else
                put_value(buf, c == 0, v, SPI_gettypeid(desc, c + 1), tt->vals[r], desc, c + 1);
        }
        appendStringInfoChar(buf, '\n');
    }
}

StringInfo pgsg_query_csv(const char *query, const char *what)
{
    StringInfo buf;
    int rc;

    if (query == NULL)
        return NULL;
    buf = makeStringInfo(); /* in the caller's context, which SPI_finish keeps */
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "servgap: SPI_connect failed");
    rc = SPI_execute(query, true, 0);
    if (rc != SPI_OK_SELECT)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("servgap: %s must be a query that returns rows "
                               "(SELECT ..., or TABLE name)",
                               what),
                        errdetail("It gave %s.", SPI_result_code_string(rc))));
    put_header(buf, SPI_tuptable->tupdesc);
    put_rows(buf, SPI_tuptable, SPI_processed);
    SPI_finish();
    return buf;
}

void pgsg_import_query(pgsg_handle *h, int32 table, const char *query, const char *what)
{
    StringInfo csv = pgsg_query_csv(query, what);

    if (csv != NULL)
        pgsg_import(h, table, what, csv->data, csv->len);
}

static const char *text_arg(FunctionCallInfo fcinfo, int k)
{
    return PG_ARGISNULL(k) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(k));
}

/* servgap_definitions(metrics text, accounts text): the library's bytes of
 * a handle that knows those metrics and accounts. */
PG_FUNCTION_INFO_V1(pgsg_definitions);
Datum pgsg_definitions(PG_FUNCTION_ARGS)
{
    pgsg_handle *h = pgsg_handle_new(CurrentMemoryContext, "servgap definitions");
    bytea *b;

    pgsg_import_query(h, SERVGAP_CSV_METRICS, text_arg(fcinfo, 0), "metrics query");
    pgsg_import_query(h, SERVGAP_CSV_ACCOUNTS, text_arg(fcinfo, 1), "accounts query");
    b = pgsg_handle_bytes(h);
    pgsg_handle_free(h);
    PG_RETURN_BYTEA_P(b);
}
