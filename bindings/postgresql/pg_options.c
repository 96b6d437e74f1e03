/*
 * pg_options -- the analysis options (servgap_ctx_set_option) from a jsonb
 * object: {"confidence": 0.9, "window_days": 28, "report_level":
 * "summary"}. Keys are the SERVGAP_OPT_* names in lower case; options whose
 * values are constants take their names as strings. An unknown key is an
 * error rather than ignored, so a misspelt option cannot silently leave
 * the default in force.
 */
#include "servgap_pg.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

typedef struct option_name {
    const char *name;
    int32 id;
    const char *const *values; /* names of the values 1, 2, ...; NULL: a number */
} option_name;

static const char *const crosshairs[] = {"midpoint", "mean", "median", "custom", NULL};
static const char *const declarations[] = {"standing", "in_window", NULL};
static const char *const priorities[] = {"grouped", "1.1", NULL};
static const char *const levels[] = {"full", "summary", NULL};

static const option_name options[] = {
    {"confidence", SERVGAP_OPT_CONFIDENCE, NULL},
    {"min_n_customer", SERVGAP_OPT_MIN_N_CUSTOMER, NULL},
    {"min_n_provider", SERVGAP_OPT_MIN_N_PROVIDER, NULL},
    {"negative_share", SERVGAP_OPT_NEGATIVE_SHARE, NULL},
    {"at_risk_health", SERVGAP_OPT_AT_RISK_HEALTH, NULL},
    {"weight_size", SERVGAP_OPT_WEIGHT_SIZE, NULL},
    {"weight_value", SERVGAP_OPT_WEIGHT_VALUE, NULL},
    {"weight_frequency", SERVGAP_OPT_WEIGHT_FREQUENCY, NULL},
    {"persist_boost", SERVGAP_OPT_PERSIST_BOOST, NULL},
    {"windows", SERVGAP_OPT_WINDOWS, NULL},
    {"window_days", SERVGAP_OPT_WINDOW_DAYS, NULL},
    {"impact_cut", SERVGAP_OPT_IMPACT_CUT, NULL},
    {"effort_cut", SERVGAP_OPT_EFFORT_CUT, NULL},
    {"renewal_days", SERVGAP_OPT_RENEWAL_DAYS, NULL},
    {"migration_days", SERVGAP_OPT_MIGRATION_DAYS, NULL},
    {"spike_recent_days", SERVGAP_OPT_SPIKE_RECENT_DAYS, NULL},
    {"spike_baseline_days", SERVGAP_OPT_SPIKE_BASELINE_DAYS, NULL},
    {"ipa_crosshair", SERVGAP_OPT_IPA_CROSSHAIR, crosshairs},
    {"ipa_importance", SERVGAP_OPT_IPA_IMPORTANCE, NULL},
    {"ipa_performance", SERVGAP_OPT_IPA_PERFORMANCE, NULL},
    {"lookback_days", SERVGAP_OPT_LOOKBACK_DAYS, NULL},
    {"trend_windows", SERVGAP_OPT_TREND_WINDOWS, NULL},
    {"declarations", SERVGAP_OPT_DECLARATIONS, declarations},
    {"priorities", SERVGAP_OPT_PRIORITIES, priorities},
    {"report_level", SERVGAP_OPT_REPORT_LEVEL, levels},
};

static pg_noreturn void bad_option(const char *key, const char *why)
{
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("servgap: options: \"%s\" %s", key, why)));
}

/* The value of the enumerated option o named by v. */
static double enum_value(const option_name *o, const JsonbValue *v)
{
    if (v->type == jbvString)
        for (int k = 0; o->values[k] != NULL; k++)
            if (strlen(o->values[k]) == (size_t)v->val.string.len &&
                memcmp(o->values[k], v->val.string.val, v->val.string.len) == 0)
                return k + 1;
    bad_option(o->name, "is not one of its values (docs/postgresql.md, \"Options\")");
}

static void set_option(pgsg_handle *h, const char *key, const JsonbValue *v)
{
    double value;

    for (size_t k = 0; k < lengthof(options); k++) {
        if (strcmp(options[k].name, key) != 0)
            continue;
        if (options[k].values != NULL)
            value = enum_value(&options[k], v);
        else if (v->type == jbvNumeric)
            value = DatumGetFloat8(
                DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
        else
            bad_option(key, "needs a number");
        pgsg_check(h, servgap_ctx_set_option(h->ctx, options[k].id, value),
                   psprintf("options: \"%s\"", key));
        return;
    }
    bad_option(key, "is not an option");
}

void pgsg_apply_options(pgsg_handle *h, Jsonb *opts)
{
    JsonbIterator *it;
    JsonbIteratorToken tok;
    JsonbValue v;

    if (opts == NULL)
        return;
    if (!JB_ROOT_IS_OBJECT(opts))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("servgap: options must be a jsonb object")));
    it = JsonbIteratorInit(&opts->root);
    while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
        char *key;

        if (tok != WJB_KEY)
            continue;
        key = pnstrdup(v.val.string.val, v.val.string.len);
        tok = JsonbIteratorNext(&it, &v, true);
        set_option(h, key, &v);
    }
}
