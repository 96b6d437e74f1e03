/*
 * pg_rows -- the analysis as rows: servgap_findings, servgap_cells (one
 * row per cell and gap), servgap_triggers and servgap_risk. Ids become
 * names (scope, touchpoint, metric, account) so that the rows join with
 * the product's own tables; "*" stands for a roll-up, as in the JSON
 * report; a number the library has no value for (NaN) is NULL.
 */
#include "servgap_pg.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/tuplestore.h"

/* A row under construction. */
typedef struct row {
    Datum v[32];
    bool null[32];
    int n;
} row;

static void put(row *r, Datum v)
{
    r->null[r->n] = false;
    r->v[r->n++] = v;
}

static void put_null(row *r)
{
    r->null[r->n] = true;
    r->v[r->n++] = (Datum)0;
}

static void put_text(row *r, const char *s)
{
    if (s == NULL)
        put_null(r);
    else
        put(r, CStringGetTextDatum(s));
}

static void put_double(row *r, double x)
{
    if (isnan(x))
        put_null(r);
    else
        put(r, Float8GetDatum(x));
}

static void put_date(row *r, int64 t)
{
    if (t == SERVGAP_TIME_NONE)
        put_null(r);
    else
        put(r, DateADTGetDatum(
                   (DateADT)(t / SERVGAP_DAY - (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE))));
}

/* scope_kind, scope, touchpoint, metric, dimension */
static void put_cell_key(row *r, pgsg_handle *f, int32 kind, int32 scope, int32 tp, int32 metric,
                         int32 dim)
{
    bool tier = kind == SERVGAP_SCOPE_TIER;

    put_text(r, tier ? "tier" : "account");
    put_text(r, pgsg_name(f, tier ? SERVGAP_KIND_TIER : SERVGAP_KIND_ACCOUNT, scope));
    put_text(r, pgsg_name(f, SERVGAP_KIND_TOUCHPOINT, tp));
    put_text(r, pgsg_name(f, SERVGAP_KIND_METRIC, metric));
    put_text(r, servgap_dimension_name(dim));
}

typedef void (*rows_fn)(ReturnSetInfo *rs, pgsg_handle *f, servgap_result *r);

/* Materialize the rows fill gives for the inputs of fcinfo. */
static Datum materialize(FunctionCallInfo fcinfo, uint32 flags, rows_fn fill)
{
    ReturnSetInfo *rs = (ReturnSetInfo *)fcinfo->resultinfo;
    pgsg_inputs in;
    pgsg_handle *f;
    servgap_result *r;

    InitMaterializedSRF(fcinfo, 0);
    if (!pgsg_inputs_read(fcinfo, &in))
        return (Datum)0;
    r = pgsg_analyse(&in, flags, &f);
    fill(rs, f, r);
    pgsg_handle_free(f);
    return (Datum)0;
}

static void emit(ReturnSetInfo *rs, row *r)
{
    Assert(r->n == rs->setDesc->natts);
    tuplestore_putvalues(rs->setResult, rs->setDesc, r->v, r->null);
}

static void finding_row(ReturnSetInfo *rs, pgsg_handle *f, const servgap_finding *x)
{
    row r = {.n = 0};

    put(&r, Int32GetDatum(x->rank));
    put_cell_key(&r, f, x->scope_kind, x->scope_id, x->touchpoint, x->metric, x->dimension);
    put_text(&r, servgap_gap_name(x->gap));
    put_text(&r, servgap_quadrant_name(x->quadrant));
    put_double(&r, x->value);
    put_double(&r, x->normalized);
    put_double(&r, x->impact);
    put_double(&r, x->effort);
    put_double(&r, x->priority);
    put_double(&r, x->size_term);
    put_double(&r, x->value_share);
    put_double(&r, x->frequency);
    put(&r, Int64GetDatum(x->affected_accounts));
    put_double(&r, x->affected_value);
    put(&r, BoolGetDatum((x->flags & SERVGAP_FINDING_PERSISTENT) != 0));
    put(&r, BoolGetDatum((x->flags & SERVGAP_FINDING_NO_STANDARD) != 0));
    put(&r, Int32GetDatum(x->windows));
    if (x->root == UINT64_MAX)
        put_null(&r);
    else
        put(&r, Int32GetDatum((int32)x->root + 1));
    put(&r, Int64GetDatum(x->members));
    put_double(&r, x->members_value);
    emit(rs, &r);
}

static void findings(ReturnSetInfo *rs, pgsg_handle *f, servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);

    for (size_t i = 0; i < n; i++) {
        servgap_finding x = {.size = sizeof x};

        pgsg_check(f, servgap_result_finding(r, i, &x), "reading a finding");
        finding_row(rs, f, &x);
    }
}

PG_FUNCTION_INFO_V1(pgsg_findings);
Datum pgsg_findings(PG_FUNCTION_ARGS)
{
    return materialize(fcinfo, SERVGAP_QUERY_ALL, findings);
}

static void gap_row(ReturnSetInfo *rs, pgsg_handle *f, const servgap_cell *c, const servgap_gap *g)
{
    row r = {.n = 0};

    put_cell_key(&r, f, c->scope_kind, c->scope_id, c->touchpoint, c->metric, c->dimension);
    put_text(&r, servgap_class_name(c->classification));
    put_text(&r, servgap_gap_name(g->gap));
    put_text(&r, servgap_status_name(g->status));
    put_double(&r, g->value);
    put_double(&r, g->normalized);
    put_double(&r, g->lo);
    put_double(&r, g->hi);
    put_double(&r, g->df);
    put(&r, Int64GetDatum(g->n_up));
    put(&r, Int64GetDatum(g->n_down));
    put(&r, BoolGetDatum((g->flags & SERVGAP_GAPFLAG_PAIRED) != 0));
    put(&r, BoolGetDatum((g->flags & SERVGAP_GAPFLAG_SIGNIFICANT) != 0));
    put(&r, BoolGetDatum((g->flags & SERVGAP_GAPFLAG_SUFFICIENT) != 0));
    put(&r, BoolGetDatum((g->flags & SERVGAP_GAPFLAG_NO_STANDARD) != 0));
    put(&r, BoolGetDatum((g->flags & SERVGAP_GAPFLAG_CHANGED) != 0));
    emit(rs, &r);
}

static void cells(ReturnSetInfo *rs, pgsg_handle *f, servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_CELLS);

    for (size_t i = 0; i < n; i++) {
        servgap_cell c = {.size = sizeof c};

        pgsg_check(f, servgap_result_cell(r, i, &c), "reading a cell");
        for (int32 k = 0; k < SERVGAP_GAP_COUNT; k++) {
            servgap_gap g = {.size = sizeof g};

            pgsg_check(f, servgap_result_gap(r, i, k, &g), "reading a gap");
            gap_row(rs, f, &c, &g);
        }
    }
}

PG_FUNCTION_INFO_V1(pgsg_cells);
Datum pgsg_cells(PG_FUNCTION_ARGS)
{
    return materialize(fcinfo, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS, cells);
}

static void trigger_row(ReturnSetInfo *rs, pgsg_handle *f, const servgap_trigger *t)
{
    row r = {.n = 0};

    put_text(&r, pgsg_name(f, SERVGAP_KIND_ACCOUNT, t->account));
    put_text(&r, servgap_trigger_name(t->kind));
    put_date(&r, t->date);
    put(&r, Int64GetDatum(t->count));
    put_double(&r, t->before);
    put_double(&r, t->after);
    put_double(&r, t->statistic);
    put_double(&r, t->lo);
    put_double(&r, t->hi);
    put(&r, Int64GetDatum(t->n_before));
    put(&r, Int64GetDatum(t->n_after));
    put_text(&r, t->detail);
    emit(rs, &r);
}

static void triggers(ReturnSetInfo *rs, pgsg_handle *f, servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS);

    for (size_t i = 0; i < n; i++) {
        servgap_trigger t = {.size = sizeof t};

        pgsg_check(f, servgap_result_trigger(r, i, &t), "reading a trigger");
        trigger_row(rs, f, &t);
    }
}

PG_FUNCTION_INFO_V1(pgsg_triggers);
Datum pgsg_triggers(PG_FUNCTION_ARGS)
{
    return materialize(fcinfo, SERVGAP_QUERY_ALL, triggers);
}

static void risk(ReturnSetInfo *rs, pgsg_handle *f, servgap_result *r)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_RISK);

    for (size_t i = 0; i < n; i++) {
        servgap_risk x = {.size = sizeof x};
        row w = {.n = 0};

        pgsg_check(f, servgap_result_risk(r, i, &x), "reading a risk row");
        put_text(&w, pgsg_name(f, SERVGAP_KIND_ACCOUNT, x.account));
        put_double(&w, x.risk);
        put(&w, Int32GetDatum(x.windows));
        put(&w, Int32GetDatum(x.with_shortfall));
        put(&w, BoolGetDatum(x.churned != 0));
        put_double(&w, x.value);
        put(&w, Int64GetDatum(x.findings));
        put_double(&w, x.worst_normalized);
        emit(rs, &w);
    }
}

PG_FUNCTION_INFO_V1(pgsg_risk);
Datum pgsg_risk(PG_FUNCTION_ARGS)
{
    return materialize(fcinfo, SERVGAP_QUERY_ALL, risk);
}
