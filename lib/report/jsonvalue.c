/*
 * jsonvalue -- the report's values that need ctx or more than a line
 * (jsonvalue.h): the names of ids, where an unknown id is remembered
 * rather than failing the pass, scopes, spans and dates. Relies on sink,
 * numtext and ctx's registries.
 */
#include "../base/platform.h"

#include "jsonvalue.h"

void servgap__report_unknown(servgap__report *w, const char *kind, int32_t id)
{
    if (!w->bad_kind) {
        w->bad_kind = kind;
        w->bad_table = w->table;
        w->bad_row = w->row;
        w->bad_id = id;
    }
}

const char *servgap__report_lookup(servgap__report *w, const servgap__names *t, int32_t id,
                                   const char *kind)
{
    if (id >= 0 && (size_t)id < t->count)
        return t->str[id];
    servgap__report_unknown(w, kind, id);
    return NULL;
}

void servgap__write_date_or_null(servgap__report *w, int64_t t)
{
    if (t == SERVGAP_TIME_NONE) {
        SERVGAP__LIT(w, "null");
        return;
    }
    char b[SERVGAP__NUM_MAX];
    servgap__sink_put(&w->s, "\"", 1);
    servgap__sink_put(&w->s, b, servgap__json_date(t, b));
    servgap__sink_put(&w->s, "\"", 1);
}

static void write_scope(servgap__report *w, int32_t kind, int32_t id)
{
    const char *name = NULL;
    if (kind == SERVGAP_SCOPE_TIER)
        name = servgap__report_lookup(w, &w->ctx->tiers, id, "tier");
    else if (kind == SERVGAP_SCOPE_ACCOUNT)
        name = servgap__report_lookup(w, &w->ctx->accounts.names, id, "account");
    else
        servgap__report_unknown(w, "scope kind", kind);
    if (!name) {
        SERVGAP__LIT(w, "null");
        return;
    }
    if (kind == SERVGAP_SCOPE_TIER)
        SERVGAP__LIT(w, "\"tier:");
    else
        SERVGAP__LIT(w, "\"account:");
    servgap__json_escape(&w->s, name);
    SERVGAP__LIT(w, "\"");
}

/* A touchpoint or metric id, "*" for a roll-up; a touchpoint recorded for
 * any touchpoint (never in a cell) is null. */
static void write_entity(servgap__report *w, const servgap__names *t, int32_t id, const char *kind)
{
    if (id == SERVGAP_ALL)
        SERVGAP__LIT(w, "\"*\"");
    else if (id == SERVGAP_ANY && t == &w->ctx->touchpoints)
        SERVGAP__LIT(w, "null");
    else
        servgap__write_str(w, servgap__report_lookup(w, t, id, kind));
}

void servgap__write_metric(servgap__report *w, int32_t id)
{
    write_entity(w, &w->ctx->metrics.names, id, "metric");
}

void servgap__write_account(servgap__report *w, int32_t id)
{
    servgap__write_str(w, servgap__report_lookup(w, &w->ctx->accounts.names, id, "account"));
}

void servgap__write_where(servgap__report *w, int32_t kind, int32_t id, int32_t tp)
{
    SERVGAP__LIT(w, "\"scope\":");
    write_scope(w, kind, id);
    SERVGAP__LIT(w, ",\"touchpoint\":");
    write_entity(w, &w->ctx->touchpoints, tp, "touchpoint");
}

void servgap__write_span(servgap__report *w, uint32_t span)
{
    static const char *const links[5] = {"knowledge", "standards", "delivery", "perception",
                                         "communication"};
    const char *name = servgap_span_name(span);
    if (name || span == 0) {
        servgap__write_str(w, name);
        return;
    }
    SERVGAP__LIT(w, "\"");
    int first = 1;
    for (int i = 0; i < 5; i++) {
        if (!(span >> i & 1u))
            continue;
        if (!first)
            SERVGAP__LIT(w, "+");
        servgap__sink_put(&w->s, links[i], strlen(links[i]));
        first = 0;
    }
    SERVGAP__LIT(w, "\"");
}
