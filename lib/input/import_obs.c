/*
 * import_obs -- the observations table, a row at a time: its fields
 * checked, its names resolved (adding new accounts, tiers, touchpoints and
 * teams), and an unpaired observation appended to the log; a respondent's
 * row goes to import_resp instead. This is the hot path of a large import.
 *
 * Each name column has a memo (base/memo) from the exact bytes of a name
 * that earlier rows of the file used to its id (and, for accounts, the
 * account's tier in aux). The handle's intern tables keep each string in
 * its own allocation, so with 100k accounts a look-up there costs several
 * cache misses; a memo hit costs one and also makes the UTF-8 check of the
 * name unnecessary, as only checked names get in. Entries are added only
 * once their row has been applied, so none can refer to an id that a
 * skipped row's rollback took back. Relies on import_fields for the
 * values.
 */
#include "../base/platform.h"

#include "import.h"
#include "../base/numtext.h"
#include "../base/parse_number.h"
#include "../model/limits.h"

#if SERVGAP__CSV_PAD < SERVGAP__MEMO_KEY_BYTES
#error "a memo key is loaded from a field a word at a time"
#endif

/* ---------------------------------------------------------------------- */
/* Name memos                                                              */
/* ---------------------------------------------------------------------- */

/* The id of f in memo m (and its aux), or -1. */
static int32_t memo_find(const servgap__importer *im, int m, const servgap__csv_field *f,
                         int32_t *aux)
{
    return servgap__memo_find(&im->memo[m], f->s, f->len, aux);
}

/* Note f's id for memo m, to be added when the row has been applied. */
static void memo_note(servgap__importer *im, int m, const servgap__csv_field *f, int32_t id,
                      int32_t aux)
{
    servgap__memo_slot *e = &im->pend[m];
    if (!servgap__memo_key(f->s, f->len, e->key))
        return;
    e->id = id;
    e->aux = aux;
    im->npend |= 1u << m;
}

/* Lines between the row being worked on and the one whose account is
 * prefetched: a row takes less time than a miss to memory. */
#define PREFETCH_AHEAD 1

/* With many accounts the memo slot of a row's account is a cache miss on
 * most rows, which would otherwise stall the row. Only a hint: the bytes
 * peeked at are not checked, and a wrong guess costs nothing but the
 * load. */
static void prefetch_account(const servgap__importer *im)
{
#if defined(__GNUC__) || defined(__clang__)
    const servgap__memo *m = &im->memo[SERVGAP__MEMO_ACCOUNT];
    const char *s = NULL;
    size_t len = 0;
    if (m->n > 0 &&
        servgap__import_peek(im, PREFETCH_AHEAD, (size_t)im->col[SERVGAP__OBS_ACCOUNT], &s, &len))
        servgap__memo_prefetch(m, s, len);
#else
    (void)im;
#endif
}

/* Add the memo entries noted by a row that was applied. */
static int memo_commit(servgap__importer *im)
{
    for (int k = 0; k < SERVGAP__MEMO_COUNT; k++) {
        if (!(im->npend & 1u << k))
            continue;
        if (servgap__memo_put(&im->memo[k], &im->ctx->alloc, &im->pend[k]) != 0)
            return SERVGAP_ENOMEM;
    }
    im->npend = 0;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* A row's fields                                                          */
/* ---------------------------------------------------------------------- */

static const char *const viewpoints[] = {"expected",  "adequate", "believed",  "standard",
                                         "delivered", "promised", "perceived", "importance"};
static const char *const drivers[] = {"none", "word_of_mouth", "personal_needs", "past_experience",
                                      "external_communication"};

static int parse_viewpoint(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *f = servgap__field(im, SERVGAP__OBS_VP);
    o->vp = im->pre && im->pre->vp >= 0 ? im->pre->vp : servgap__field_index(f, viewpoints, 8);
    if (o->vp < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f, "'%.*s' is not a viewpoint",
                                   SERVGAP__QUOTE(f));
    if (o->vp == SERVGAP__VP_IMPORTANCE && !o->resp)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f, "an importance row needs a respondent");
    if (o->resp && o->vp != SERVGAP_VP_EXPECTED && o->vp != SERVGAP_VP_ADEQUATE &&
        o->vp != SERVGAP_VP_PERCEIVED && o->vp != SERVGAP__VP_IMPORTANCE)
        return SERVGAP__FAIL_FIELD(
            im, SERVGAP_EFORMAT, f,
            "a respondent's row is expected, adequate, perceived or importance, not '%.*s'",
            SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

/* A metric's id, through the memo. */
static int find_metric_memoized(servgap__importer *im, const servgap__csv_field *f, int32_t *id)
{
    int32_t aux;
    if ((*id = memo_find(im, SERVGAP__MEMO_METRIC, f, &aux)) >= 0)
        return SERVGAP_OK;
    int rc = servgap__find_field_metric(im, f, id);
    if (rc == SERVGAP_OK)
        memo_note(im, SERVGAP__MEMO_METRIC, f, *id, 0);
    return rc;
}

/* The metric (for importance rows: the dimension) and the value. */
static int parse_metric_value(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *fm = servgap__field(im, SERVGAP__OBS_METRIC),
                             *fv = servgap__field(im, SERVGAP__OBS_VALUE);
    int rc = o->vp == SERVGAP__VP_IMPORTANCE ? servgap__parse_field_dimension(im, fm, &o->metric)
                                             : find_metric_memoized(im, fm, &o->metric);
    o->withdrawn = (o->vp == SERVGAP_VP_STANDARD || o->vp == SERVGAP_VP_PROMISED) &&
                   servgap__field_equals(fv, "withdrawn");
    if (o->withdrawn) {
        o->value = 0.0;
        return rc;
    }
    if (rc == SERVGAP_OK && im->pre && (im->pre->parsed & SERVGAP__AHEAD_VALUE))
        o->value = im->pre->value;
    else if (rc == SERVGAP_OK)
        rc = servgap__parse_field_number(im, fv, "value", &o->value);
    if (rc != SERVGAP_OK)
        return rc;
    if (o->vp == SERVGAP__VP_IMPORTANCE) {
        if (!(o->value >= 0.0 && o->value <= 100.0))
            return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fv,
                                       "importance points %s outside [0, 100]",
                                       SERVGAP__NUM(o->value));
        return SERVGAP_OK;
    }
    const servgap__metric *m = &im->ctx->metrics.m[o->metric];
    if (o->value < m->min || o->value > m->max)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fv,
                                   "value %s outside [%s, %s] of metric '%s'",
                                   SERVGAP__NUM(o->value), SERVGAP__NUM(m->min),
                                   SERVGAP__NUM(m->max), im->ctx->metrics.names.str[o->metric]);
    /* Only a metric with an unbounded end lets a value get here. */
    if (!servgap__value_in_limits(o->value))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, fv,
                                   "value %s of metric '%s' is beyond +-" SERVGAP__VALUE_MAX_TEXT
                                   " (SERVGAP_VALUE_MAX)",
                                   SERVGAP__NUM(o->value), im->ctx->metrics.names.str[o->metric]);
    return SERVGAP_OK;
}

static int parse_driver(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *f = servgap__field(im, SERVGAP__OBS_DRIVER);
    o->driver = SERVGAP_DRIVER_NONE;
    if (!f || f->len == 0)
        return SERVGAP_OK;
    o->driver =
        im->pre && im->pre->driver >= 0 ? im->pre->driver : servgap__field_index(f, drivers, 5);
    if (o->driver < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f, "'%.*s' is not a driver",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

/* A name that a memo knows is valid and needs no check; note its id. */
static int check_name_memoized(servgap__importer *im, int m, const servgap__csv_field *f,
                               const char *what, servgap__obsrow *o)
{
    int32_t aux = -1;
    o->hit[m] = memo_find(im, m, f, &aux);
    if (m == SERVGAP__MEMO_ACCOUNT)
        o->acc_tier = aux;
    return o->hit[m] >= 0 ? SERVGAP_OK : servgap__check_field_name(im, f, what);
}

/* Every check of a row that needs no new name. */
static int parse_observation(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *fr = servgap__field(im, SERVGAP__OBS_RESP),
                             *fa = servgap__field(im, SERVGAP__OBS_ACCOUNT);
    const servgap__csv_field *ft = servgap__field(im, SERVGAP__OBS_TIER),
                             *fp = servgap__field(im, SERVGAP__OBS_TP);
    const servgap__csv_field *fteam = servgap__field(im, SERVGAP__OBS_TEAM);
    for (int m = 0; m < SERVGAP__MEMO_COUNT; m++)
        o->hit[m] = -1;
    o->first_tier = -1;
    o->resp = fr && fr->len > 0 ? fr : NULL;
    int rc = SERVGAP_OK;
    if (im->pre && (im->pre->parsed & SERVGAP__AHEAD_TIME))
        o->time = im->pre->time;
    else
        rc = servgap__parse_field_time(im, servgap__field(im, SERVGAP__OBS_TIME), "time", &o->time);
    if (rc == SERVGAP_OK)
        rc = parse_viewpoint(im, o);
    if (rc == SERVGAP_OK)
        rc = parse_metric_value(im, o);
    if (rc == SERVGAP_OK)
        rc = parse_driver(im, o);
    if (rc == SERVGAP_OK && fa->len == 0 && ft->len == 0)
        rc = SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, ft,
                                 "a tier-wide observation (no account) needs a tier");
    if (rc == SERVGAP_OK && fa->len > 0)
        rc = check_name_memoized(im, SERVGAP__MEMO_ACCOUNT, fa, "account", o);
    if (rc == SERVGAP_OK && ft->len > 0)
        rc = check_name_memoized(im, SERVGAP__MEMO_TIER, ft, "tier", o);
    if (rc == SERVGAP_OK && fp->len > 0 && !servgap__field_equals(fp, "*"))
        rc = check_name_memoized(im, SERVGAP__MEMO_TP, fp, "touchpoint", o);
    if (rc == SERVGAP_OK && fteam && fteam->len > 0)
        rc = check_name_memoized(im, SERVGAP__MEMO_TEAM, fteam, "team", o);
    if (rc == SERVGAP_OK && o->resp)
        rc = servgap__check_field_name(im, o->resp, "respondent");
    return rc;
}

/* What observation_ahead parses of record r. */
static void observation_ahead(const servgap__importer *im, const servgap__csv_record *r,
                              servgap__obs_ahead *a)
{
    a->parsed = 0;
    a->vp = a->driver = -1;
    if (r->err || r->nfield != im->nfields)
        return;
    const servgap__csv_field *f = r->field;
    a->parsed |=
        servgap__field_time_ok(&f[im->col[SERVGAP__OBS_TIME]], &a->time) ? SERVGAP__AHEAD_TIME : 0u;
    const servgap__csv_field *fv = &f[im->col[SERVGAP__OBS_VALUE]];
    a->parsed |=
        servgap__parse_number(fv->s, fv->len, &a->value) == SERVGAP_OK ? SERVGAP__AHEAD_VALUE : 0u;
    a->vp = (int8_t)servgap__field_index(&f[im->col[SERVGAP__OBS_VP]], viewpoints, 8);
    if (im->col[SERVGAP__OBS_DRIVER] >= 0)
        a->driver = (int8_t)servgap__field_index(&f[im->col[SERVGAP__OBS_DRIVER]], drivers, 5);
}

void servgap__observations_ahead(const servgap__importer *im, const servgap__csv_ahead *b,
                                 servgap__obs_ahead *pre)
{
    for (size_t i = 0; i < b->nrec; i++)
        observation_ahead(im, &b->rec[i], &pre[i]);
}

/* ---------------------------------------------------------------------- */
/* A row's names                                                           */
/* ---------------------------------------------------------------------- */

/* The id of a tier, touchpoint or team name: the memo's (hit >= 0), or
 * interned and noted for the memo. */
static int intern_memoized(servgap__importer *im, int m, int32_t kind, const servgap__csv_field *f,
                           int32_t hit, int32_t *id)
{
    if ((*id = hit) >= 0)
        return SERVGAP_OK;
    int rc = servgap__intern_field(im, kind, f, id);
    if (rc == SERVGAP_OK)
        memo_note(im, m, f, *id, 0);
    return rc;
}

/* The tier a row names for its known account, in tier have, by
 * servgap__account_tier: a tier that the memo knows (o->hit) is compared by
 * id, else by name; the first tier of a tierless account is interned and
 * noted in o->first_tier, given to the account once the row is applied. */
static int account_tier(servgap__importer *im, servgap__obsrow *o, int32_t have)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = servgap__field(im, SERVGAP__OBS_ACCOUNT),
                             *ft = servgap__field(im, SERVGAP__OBS_TIER);
    int32_t named = o->hit[SERVGAP__MEMO_TIER];
    if (ft->len == 0)
        return SERVGAP_OK;
    if (named < 0 && have >= 0 && servgap__field_equals(ft, ctx->tiers.str[have])) {
        memo_note(im, SERVGAP__MEMO_TIER, ft, have, 0);
        named = have;
    }
    int rc = SERVGAP_OK;
    if (have < 0)
        rc = intern_memoized(im, SERVGAP__MEMO_TIER, SERVGAP_KIND_TIER, ft, named, &named);
    if (rc != SERVGAP_OK)
        return rc;
    /* A name not in the memo nor have's is another tier than have. */
    int32_t after = servgap__account_tier(have, named < 0 ? INT32_MAX : named);
    if (after == SERVGAP__TIER_CONFLICT)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ECONFLICT, ft,
                                   "account '%.*s' is in tier '%s', not '%.*s'", SERVGAP__QUOTE(fa),
                                   ctx->tiers.str[have], SERVGAP__QUOTE(ft));
    if (after != have)
        o->first_tier = after;
    return SERVGAP_OK;
}

/* A row's account not yet in the memo: known (then it keeps its tier) or
 * new. */
static int resolve_account(servgap__importer *im, servgap__obsrow *o)
{
    servgap_ctx *ctx = im->ctx;
    const servgap__csv_field *fa = servgap__field(im, SERVGAP__OBS_ACCOUNT),
                             *ft = servgap__field(im, SERVGAP__OBS_TIER);
    int32_t tier = -1, id = servgap__names_find(&ctx->accounts.names, fa->s, fa->len);
    int rc = SERVGAP_OK;
    if (id >= 0) {
        rc = account_tier(im, o, ctx->accounts.a[id].tier);
        tier = o->first_tier >= 0 ? o->first_tier : ctx->accounts.a[id].tier;
    } else {
        if (ft->len > 0)
            rc = intern_memoized(im, SERVGAP__MEMO_TIER, SERVGAP_KIND_TIER, ft,
                                 o->hit[SERVGAP__MEMO_TIER], &tier);
        if (rc == SERVGAP_OK && ctx->accounts.names.count >= INT32_MAX)
            rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ELIMIT, fa, "more than 2^31-1 accounts");
        if (rc == SERVGAP_OK &&
            servgap__accounts_add(&ctx->accounts, &ctx->alloc, fa->s, tier, 0.0, &id) != 0)
            rc = SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, fa,
                                     "out of memory defining account '%.*s'", SERVGAP__QUOTE(fa));
    }
    o->scope = (uint32_t)id;
    if (rc == SERVGAP_OK)
        memo_note(im, SERVGAP__MEMO_ACCOUNT, fa, id, tier);
    return rc;
}

/* The scope of a row: a tier, a known account, or a new account. */
static int resolve_scope(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *fa = servgap__field(im, SERVGAP__OBS_ACCOUNT),
                             *ft = servgap__field(im, SERVGAP__OBS_TIER);
    int32_t tier = -1;
    if (fa->len == 0) {
        int rc = intern_memoized(im, SERVGAP__MEMO_TIER, SERVGAP_KIND_TIER, ft,
                                 o->hit[SERVGAP__MEMO_TIER], &tier);
        o->scope = (uint32_t)tier | SERVGAP__SCOPE_TIER;
        return rc;
    }
    if (o->hit[SERVGAP__MEMO_ACCOUNT] < 0)
        return resolve_account(im, o);
    o->scope = (uint32_t)o->hit[SERVGAP__MEMO_ACCOUNT];
    int rc = account_tier(im, o, o->acc_tier);
    if (o->first_tier >= 0)
        memo_note(im, SERVGAP__MEMO_ACCOUNT, fa, o->hit[SERVGAP__MEMO_ACCOUNT], o->first_tier);
    return rc;
}

static int resolve_names(servgap__importer *im, servgap__obsrow *o)
{
    const servgap__csv_field *fp = servgap__field(im, SERVGAP__OBS_TP),
                             *fteam = servgap__field(im, SERVGAP__OBS_TEAM);
    int rc = resolve_scope(im, o);
    o->tp = SERVGAP_ANY;
    o->team = SERVGAP_NONE;
    if (rc == SERVGAP_OK && fp->len > 0 && !servgap__field_equals(fp, "*"))
        rc = intern_memoized(im, SERVGAP__MEMO_TP, SERVGAP_KIND_TOUCHPOINT, fp,
                             o->hit[SERVGAP__MEMO_TP], &o->tp);
    if (rc == SERVGAP_OK && fteam && fteam->len > 0)
        rc = intern_memoized(im, SERVGAP__MEMO_TEAM, SERVGAP_KIND_TEAM, fteam,
                             o->hit[SERVGAP__MEMO_TEAM], &o->team);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* The row into the log                                                    */
/* ---------------------------------------------------------------------- */

void servgap__obsrow_encode(const servgap__obsrow *o, int32_t metric, int vp, double value,
                            uint8_t flags, servgap__obs *obs)
{
    int64_t d = o->time / SERVGAP_DAY - (o->time % SERVGAP_DAY < 0);
    obs->value = value;
    obs->day = (int32_t)d;
    obs->scope = o->scope;
    obs->tp = o->tp == SERVGAP_ANY ? SERVGAP__TP_ANY : (uint16_t)o->tp;
    obs->metric = (uint16_t)metric;
    obs->team = o->team;
    obs->bits = (uint8_t)(o->driver << 3 | vp | flags);
}

/* Rows the log holds beyond its count: the full chunks and the last one's
 * capacity (store.h). */
static uint64_t log_room(const servgap__store *s)
{
    if (s->nchunk == 0)
        return 0;
    return (uint64_t)(s->nchunk - 1) * SERVGAP__CHUNK_MAX + s->chunk[s->nchunk - 1].cap - s->count;
}

/* The log is asked to grow only when the room it made is used up, so it
 * grows as when asked for every row, without a call per row. A rollback
 * only adds room, so im->room stays a safe lower bound. */
static int store_observation(servgap__importer *im, const servgap__obsrow *o)
{
    servgap__store *s = &im->ctx->store;
    servgap__obs obs;
    if (im->room == 0) {
        if (servgap__store_reserve(s, &im->ctx->alloc, 1, 0) != 0)
            return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, servgap__field(im, SERVGAP__OBS_VALUE),
                                       "out of memory");
        im->room = log_room(s);
    }
    servgap__obsrow_encode(o, o->metric, o->vp, o->value, 0, &obs);
    if (o->withdrawn) {
        /* A withdrawal ends its key's declaration; a team or driver on its
         * row would mean nothing, and the log keeps none (store.h). */
        obs.bits = (uint8_t)(o->vp | SERVGAP__BITS_WITHDRAWAL);
        obs.team = SERVGAP_NONE;
    }
    servgap__store_push(s, &obs);
    im->room--;
    return SERVGAP_OK;
}

/* A row applied gives its known tierless account the tier it named; an
 * account the handle knew before the import is restored if it fails. */
static int give_first_tier(servgap__importer *im, const servgap__obsrow *o)
{
    servgap__account *acc = &im->ctx->accounts.a[o->scope];
    int rc = SERVGAP_OK;
    if (o->scope < im->known_accounts)
        rc = servgap__import_undo_push(im, SERVGAP__UNDO_ACCOUNT, o->scope, acc, NULL, 0,
                                       servgap__field(im, SERVGAP__OBS_TIER));
    if (rc == SERVGAP_OK)
        acc->tier = o->first_tier;
    return rc;
}

static int import_observation(servgap__importer *im)
{
    servgap__obsrow o;
    im->npend = 0;
    if (servgap__responses_spoiled(im))
        return SERVGAP_OK;
    prefetch_account(im);
    int rc = parse_observation(im, &o);
    if (rc == SERVGAP_OK)
        rc = resolve_names(im, &o);
    if (rc == SERVGAP_OK)
        rc = o.resp ? servgap__responses_add_row(im, &o) : store_observation(im, &o);
    if (rc == SERVGAP_OK && o.first_tier >= 0)
        rc = give_first_tier(im, &o);
    if (rc == SERVGAP_OK && im->npend && memo_commit(im) != SERVGAP_OK)
        return servgap__import_fail(im, SERVGAP_ENOMEM, im->rec.end_line, 1, "out of memory");
    return rc;
}

const servgap__import_table servgap__observations_table = {{"time", "account", "tier", "touchpoint",
                                                            "metric", "viewpoint", "value", "team",
                                                            "driver", "respondent"},
                                                           10,
                                                           0x7f,
                                                           import_observation};
