/*
 * pg_build -- the handle a report is computed on: the definitions queries,
 * the aggregate's result, and the query of the window.
 *
 * Ids order a report's rows (cells by scope, touchpoint and metric id) and
 * a handle gives ids in the order names first arrive. Rows reach an
 * aggregate in whatever order the plan reads them, so before the state is
 * loaded its tiers, touchpoints, teams, and the metrics and accounts that
 * no definitions query named, are defined here sorted by name: the same
 * data gives the same report under a serial plan, a parallel one, or a
 * partition-wise one.
 */
#include "servgap_pg.h"

#include "utils/builtins.h"
#include "utils/date.h"

static const char *text_arg(FunctionCallInfo fcinfo, int k)
{
    return PG_ARGISNULL(k) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(k));
}

/* A date argument as UTC seconds; NULL gives none, +-infinity no bound. */
static int64 date_arg(FunctionCallInfo fcinfo, int k, int64 none)
{
    DateADT d;

    if (PG_ARGISNULL(k))
        return none;
    d = PG_GETARG_DATEADT(k);
    if (DATE_IS_NOBEGIN(d))
        return SERVGAP_TIME_MIN;
    if (DATE_IS_NOEND(d))
        return SERVGAP_TIME_MAX;
    return pgsg_unix_from_date(d);
}

bool pgsg_inputs_read(FunctionCallInfo fcinfo, pgsg_inputs *in)
{
    if (PG_ARGISNULL(0))
        return false;
    in->state = PG_GETARG_BYTEA_PP(0);
    in->metrics = text_arg(fcinfo, 1);
    in->accounts = text_arg(fcinfo, 2);
    in->importance = text_arg(fcinfo, 3);
    in->efforts = text_arg(fcinfo, 4);
    in->plans = text_arg(fcinfo, 5);
    in->from = date_arg(fcinfo, 6, SERVGAP_TIME_MIN);
    in->to = date_arg(fcinfo, 7, SERVGAP_TIME_MAX);
    in->now = date_arg(fcinfo, 8, SERVGAP_TIME_NONE);
    in->options = PG_ARGISNULL(9) ? NULL : PG_GETARG_JSONB_P(9);
    return true;
}

const char *pgsg_name(pgsg_handle *h, int32 kind, int32 id)
{
    const char *name = NULL;

    if (id == SERVGAP_ALL)
        return "*";
    pgsg_check(h, servgap_name(h->ctx, kind, id, &name), "naming an id");
    return name;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of kind in s that f does not know, sorted; *n their count. */
static const char **new_names(pgsg_handle *f, pgsg_handle *s, int32 kind, int32 *n)
{
    int32 count = 0, id;
    const char **names;

    pgsg_check(s, servgap_count(s->ctx, kind, &count), "counting names");
    names = palloc(sizeof *names * (count + 1));
    *n = 0;
    for (int32 k = 0; k < count; k++) {
        const char *name = pgsg_name(s, kind, k);

        if (servgap_lookup(f->ctx, kind, name, &id) != SERVGAP_OK)
            names[(*n)++] = name;
    }
    qsort(names, *n, sizeof *names, by_name);
    return names;
}

static void define_metric(pgsg_handle *f, pgsg_handle *s, const char *name)
{
    servgap_metric m = {.size = sizeof m};
    int32 id;

    servgap_lookup(s->ctx, SERVGAP_KIND_METRIC, name, &id);
    pgsg_check(s, servgap_metric_info(s->ctx, id, &m), "reading a metric");
    pgsg_check(f,
               servgap_metric_define(f->ctx, name, m.dimension, m.direction, m.min, m.max, m.span,
                                     m.unit, &id),
               "defining a metric");
}

static void define_account(pgsg_handle *f, pgsg_handle *s, const char *name)
{
    servgap_account a = {.size = sizeof a};
    int32 id;

    servgap_lookup(s->ctx, SERVGAP_KIND_ACCOUNT, name, &id);
    pgsg_check(s, servgap_account_info(s->ctx, id, &a), "reading an account");
    pgsg_check(f,
               servgap_account_define(f->ctx, name,
                                      a.tier >= 0 ? pgsg_name(s, SERVGAP_KIND_TIER, a.tier) : NULL,
                                      a.value, &id),
               "defining an account");
}

/* s's names that f lacks, defined in f sorted by name, kind by kind. */
static void define_names_in_order(pgsg_handle *f, pgsg_handle *s)
{
    static const int32 kinds[] = {SERVGAP_KIND_TIER, SERVGAP_KIND_TOUCHPOINT, SERVGAP_KIND_TEAM,
                                  SERVGAP_KIND_METRIC, SERVGAP_KIND_ACCOUNT};
    int32 n, id;

    for (size_t k = 0; k < lengthof(kinds); k++) {
        const char **names = new_names(f, s, kinds[k], &n);

        for (int32 i = 0; i < n; i++) {
            if (kinds[k] == SERVGAP_KIND_METRIC)
                define_metric(f, s, names[i]);
            else if (kinds[k] == SERVGAP_KIND_ACCOUNT)
                define_account(f, s, names[i]);
            else
                pgsg_check(f, servgap_intern(f->ctx, kinds[k], names[i], &id), "naming");
        }
        pfree(names);
    }
}

servgap_result *pgsg_analyse(const pgsg_inputs *in, uint32 flags, pgsg_handle **out)
{
    pgsg_handle *f = pgsg_handle_new(CurrentMemoryContext, "servgap analysis");
    pgsg_handle *s = pgsg_handle_new(f->mcxt, "servgap state names");
    const char *data = VARDATA_ANY(in->state);
    size_t len = VARSIZE_ANY_EXHDR(in->state);
    servgap_result *r = NULL;

    pgsg_handle_load(s, data, len, "loading the state");
    pgsg_import_query(f, SERVGAP_CSV_METRICS, in->metrics, "metrics query");
    pgsg_import_query(f, SERVGAP_CSV_ACCOUNTS, in->accounts, "accounts query");
    define_names_in_order(f, s);
    pgsg_handle_free(s);
    pgsg_handle_load(f, data, len, "loading the state");
    pgsg_import_query(f, SERVGAP_CSV_IMPORTANCE, in->importance, "importance query");
    pgsg_import_query(f, SERVGAP_CSV_EFFORTS, in->efforts, "efforts query");
    pgsg_import_query(f, SERVGAP_CSV_PLANS, in->plans, "plans query");
    pgsg_apply_options(f, in->options);
    pgsg_check(f, servgap_query_at(f->ctx, in->from, in->to, in->now, flags, &r), "query");
    pgsg_handle_keep_result(f, r);
    *out = f;
    return r;
}
