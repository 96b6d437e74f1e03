/*
 * pg_report -- servgap_report: the JSON report of docs/formats.md as
 * jsonb. The text is written whole after a size query rather than
 * streamed: the stream's callback would have to grow a buffer, and an
 * allocation that fails there must not ereport from inside the library.
 */
#include "servgap_pg.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

/* jsonb takes text up to the size of one allocation. */
static char *report_text(pgsg_handle *f, servgap_result *r)
{
    size_t len = 0, got = 0;
    char *buf;

    pgsg_check(f, servgap_result_json(f->ctx, r, NULL, 0, &len), "JSON report");
    if (len >= MaxAllocSize)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("servgap: the JSON report is %zu bytes, more than jsonb holds", len),
                        errhint("Pass options => '{\"report_level\": \"summary\"}', or read "
                                "rows with servgap_findings and servgap_cells.")));
    buf = palloc(len + 1);
    pgsg_check(f, servgap_result_json(f->ctx, r, buf, len + 1, &got), "JSON report");
    return buf;
}

PG_FUNCTION_INFO_V1(pgsg_report);
Datum pgsg_report(PG_FUNCTION_ARGS)
{
    pgsg_inputs in;
    pgsg_handle *f;
    servgap_result *r;
    char *text;
    Datum report;

    if (!pgsg_inputs_read(fcinfo, &in))
        PG_RETURN_NULL();
    r = pgsg_analyse(&in, SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS, &f);
    text = report_text(f, r);
    pgsg_handle_free(f);
    report = DirectFunctionCall1(jsonb_in, CStringGetDatum(text));
    pfree(text);
    PG_RETURN_DATUM(report);
}
