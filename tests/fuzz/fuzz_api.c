/*
 * fuzz_api -- libFuzzer target: the input is a program of public API calls
 * on two handles. Each step is one byte, the call (low 7 bits, modulo the
 * table below) and the handle it runs on (bit 7), then the call's
 * arguments, drawn from the bytes that follow (docs/ comments at each
 * draw: ids that mostly exist, values near the edges of their ranges,
 * names from a pool or from the input). A program that runs out of bytes
 * reads zeros, and stops after STEPS_MAX steps.
 *
 * Beyond crashes and sanitizer reports, every step checks the contract
 * that include/servgap.h states for every call:
 *  - a call that fails changes nothing: both handles' snapshot bytes and
 *    options are as before, and the handle the error belongs to holds its
 *    code and a message; out-parameters keep what the caller put there;
 *  - a call that succeeds changes only its handle (a merge or a load only
 *    the handle merged into), and options only through set_option;
 *  - what it returns agrees with the handle: an interned or defined name
 *    reads back under its id, a query's accessors agree with their counts
 *    and its JSON report is valid, streams the same bytes and never
 *    changes later, a trend query holds the series it was asked for, a
 *    merge ends where loading the source's snapshot ends.
 * Seeds: tests/fuzz/corpus/api (written by tests/fuzz/api_seeds.py).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STEPS_MAX   64
#define OPTIONS_MAX 27                  /* option ids are 1..26; 0 and 27 are unknown */
#define T0          INT64_C(1767225600) /* 2026-01-01 */
#define BATCH_MAX   8
#define ITEMS_MAX   4
#define CELLS_MAX   3

typedef struct program {
    const uint8_t *p;
    size_t n, at;
} program;

typedef struct world {
    servgap_ctx *h[2];
    servgap_result *kept[2]; /* the last result queried of each handle */
    fuzz_bytes report[2];    /* its report, which must never change */
    servgap_ctx *err;        /* the handle a failing step reports on */
    char name[2][300];       /* the names a step passes */
} world;

/* ---------------------------------------------------------------------- */
/* Arguments                                                               */
/* ---------------------------------------------------------------------- */

static uint8_t byte(program *pg)
{
    return pg->at < pg->n ? pg->p[pg->at++] : 0;
}

static uint64_t raw(program *pg, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)byte(pg) << (8 * i);
    return v;
}

/* How many names of a kind (0 for no kind: a step may draw one, and
 * asking would replace the handle's last error). */
static int32_t count_of(servgap_ctx *ctx, int32_t kind)
{
    int32_t n = 0;
    if (kind >= SERVGAP_KIND_TIER && kind <= SERVGAP_KIND_METRIC)
        FUZZ_CHECK(servgap_count(ctx, kind, &n) == SERVGAP_OK);
    return n;
}

/* An id of a table of n: mostly one that exists (or the one after the
 * last), else a special value or one far out. */
static int32_t id_below(program *pg, int32_t n)
{
    static const int32_t odd[8] = {SERVGAP_NONE, SERVGAP_ALL, -3,    INT32_MIN,
                                   INT32_MAX,    65534,       65535, 1 << 30};
    uint8_t b = byte(pg);
    if (b < 0xF0)
        return b % (n + 1);
    return b < 0xF8 ? odd[b - 0xF0] : n + (b - 0xF8);
}

static int32_t id_of(program *pg, servgap_ctx *ctx, int32_t kind)
{
    return id_below(pg, count_of(ctx, kind));
}

static int32_t scope_kind(program *pg)
{
    uint8_t b = byte(pg);
    return b < 0xF0 ? (b & 1 ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT) : b - 0xF0 - 4;
}

static int32_t scope_id(program *pg, servgap_ctx *ctx, int32_t kind)
{
    return id_of(pg, ctx, kind == SERVGAP_SCOPE_TIER ? SERVGAP_KIND_TIER : SERVGAP_KIND_ACCOUNT);
}

/* A small enumeration value: 0 .. n - 1 mostly, sometimes one beyond or
 * negative. */
static int32_t choice(program *pg, int32_t n)
{
    uint8_t b = byte(pg);
    return b < 0xF0 ? b % n : (int32_t)(b - 0xF0) - 8 + n;
}

/* A value: an edge of some range, a Likert-like step, or any double. */
static double value(program *pg)
{
    static const double edges[16] = {0,    -0.0, 1,     7,      100, 1e15,     -1e15,     1e15 + 2,
                                     1e-9, 2e15, 1e300, -1e300, NAN, INFINITY, -INFINITY, 5e-324};
    uint8_t b = byte(pg);
    if (b < 32)
        return edges[b % 16];
    if (b < 0xF8)
        return (b - 32) / 16.0;
    uint64_t bits = raw(pg, 8);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* A time: a day around T0 (or a second into it), or an edge. */
static int64_t when(program *pg)
{
    static const int64_t edges[8] = {SERVGAP_TIME_MIN,
                                     SERVGAP_TIME_MAX,
                                     0,
                                     -SERVGAP_DAY,
                                     (INT64_C(1) << 31) * SERVGAP_DAY,
                                     -(INT64_C(1) << 31) * SERVGAP_DAY,
                                     T0 + 1,
                                     T0 + SERVGAP_DAY / 2};
    uint8_t b = byte(pg);
    if (b < 0xE0)
        return T0 + ((int64_t)b - 0x70) * 3 * SERVGAP_DAY;
    if (b < 0xF8)
        return edges[b % 8];
    return (int64_t)raw(pg, 8);
}

/* A midnight of when(), or the unbounded ends. */
static int64_t midnight(program *pg)
{
    int64_t t = when(pg);
    if (t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX)
        return t;
    return t - (t % SERVGAP_DAY + SERVGAP_DAY) % SERVGAP_DAY;
}

/* A name into buf: from a pool the seeds share, a name too long or not
 * UTF-8, bytes of the input, or NULL. */
static const char *name(program *pg, char *buf)
{
    static const char *const pool[16] = {
        "a",     "b",   "acme", "globex", "enterprise",  "smb",        "email",    "chat",
        "squad", "frt", "ops",  "csat",   "reliability", "t\xc3\xa9l", "\xff\xfe", "*"};
    uint8_t b = byte(pg);
    if (b < 0xE0)
        return strcpy(buf, pool[b % 16]);
    if (b == 0xE0)
        return NULL;
    if (b <= 0xE2) {
        memset(buf, 'n', 254 + (b - 0xE0));
        buf[254 + (b - 0xE0)] = '\0';
        return buf;
    }
    size_t len = byte(pg) % 16, i = 0;
    for (; i < len && pg->at < pg->n && pg->p[pg->at]; i++)
        buf[i] = (char)byte(pg);
    buf[i] = '\0';
    return buf;
}

static const double *points(program *pg, double *buf)
{
    static const double sets[4][5] = {
        {20, 20, 20, 20, 20}, {10, 30, 25, 20, 15}, {0, 0, 0, 0, 100}, {20, 20, 20, 20, 20.6}};
    uint8_t b = byte(pg);
    if (b < 0xC0)
        return memcpy(buf, sets[b % 4], 5 * sizeof *buf);
    if (b == 0xC0)
        return NULL;
    for (int i = 0; i < 5; i++)
        buf[i] = value(pg);
    return buf;
}

/* ---------------------------------------------------------------------- */
/* Definitions                                                             */
/* ---------------------------------------------------------------------- */

/* What a step may change when it succeeds, and whether it uses the other
 * handle at all (a step that does not is not checked against it: that
 * costs a snapshot and cannot fail). */
#define CHANGES_SELF    1
#define CHANGES_OTHER   2
#define CHANGES_OPTIONS 4
#define USES_OTHER      8

typedef int (*step_fn)(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other);

/* An id out-parameter before the call: written only on success. */
#define UNWRITTEN (-12345)

static int metric_define(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    const char *nm = name(pg, w->name[0]);
    int32_t dim = choice(pg, SERVGAP_DIM_COUNT), dir = 1 + choice(pg, 2), id = UNWRITTEN;
    double min = value(pg), max = value(pg), span = value(pg);
    const char *unit = byte(pg) & 1 ? name(pg, w->name[1]) : NULL;
    int rc = servgap_metric_define(ctx, nm, dim, dir, min, max, span, unit, &id);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(id == UNWRITTEN);
        return rc;
    }
    servgap_metric m = {.size = sizeof m};
    FUZZ_CHECK(servgap_metric_info(ctx, id, &m) == SERVGAP_OK && strcmp(m.name, nm) == 0);
    FUZZ_CHECK(m.dimension == dim && m.direction == dir && m.span > 0);
    int32_t again = UNWRITTEN;
    FUZZ_CHECK(servgap_metric_define(ctx, nm, dim, dir, min, max, span, unit, &again) ==
                   SERVGAP_OK &&
               again == id);
    return rc;
}

static int account_define(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    const char *acc = name(pg, w->name[0]);
    const char *tier = byte(pg) & 1 ? name(pg, w->name[1]) : NULL;
    int32_t id = UNWRITTEN, t = SERVGAP_NONE;
    int rc = servgap_account_define(ctx, acc, tier, value(pg), &id);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(id == UNWRITTEN);
        return rc;
    }
    servgap_account a = {.size = sizeof a};
    FUZZ_CHECK(servgap_account_info(ctx, id, &a) == SERVGAP_OK && strcmp(a.name, acc) == 0);
    if (tier)
        FUZZ_CHECK(servgap_lookup(ctx, SERVGAP_KIND_TIER, tier, &t) == SERVGAP_OK && a.tier == t);
    return rc;
}

static int account_set(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t id = id_of(pg, ctx, SERVGAP_KIND_ACCOUNT);
    switch (byte(pg) % 3) {
    case 0:
        return servgap_account_set_health(ctx, id, value(pg));
    case 1: {
        int32_t flag = choice(pg, 3);
        return servgap_account_set_flag(ctx, id, flag, byte(pg) & 1);
    }
    default: {
        int32_t which = choice(pg, 3);
        return servgap_account_set_date(ctx, id, which, when(pg));
    }
    }
}

/* A name interned reads back under its id, and again gives that id. */
static int intern(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    int32_t kind = choice(pg, SERVGAP_KIND_METRIC + 1), id = UNWRITTEN, again = UNWRITTEN;
    const char *nm = name(pg, w->name[0]), *back = NULL;
    int rc = servgap_intern(ctx, kind, nm, &id);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(id == UNWRITTEN);
        return rc;
    }
    FUZZ_CHECK(id >= 0 && id < count_of(ctx, kind));
    FUZZ_CHECK(servgap_name(ctx, kind, id, &back) == SERVGAP_OK && strcmp(back, nm) == 0);
    FUZZ_CHECK(servgap_lookup(ctx, kind, nm, &again) == SERVGAP_OK && again == id);
    FUZZ_CHECK(servgap_intern(ctx, kind, nm, &again) == SERVGAP_OK && again == id);
    return rc;
}

/* Reads only: names and lookups agree, infos of ids that exist read. */
static int read_back(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t kind = choice(pg, SERVGAP_KIND_METRIC + 1), id = id_of(pg, ctx, kind);
    const char *nm = NULL;
    int32_t found = UNWRITTEN;
    int rc = servgap_name(ctx, kind, id, &nm);
    if (rc == SERVGAP_OK)
        FUZZ_CHECK(servgap_lookup(ctx, kind, nm, &found) == SERVGAP_OK && found == id);
    else
        FUZZ_CHECK(nm == NULL && servgap_errcode(ctx) == rc);
    servgap_plan p = {.size = sizeof p};
    int32_t plans = -1, plan = 0;
    FUZZ_CHECK(servgap_plan_count(ctx, &plans) == SERVGAP_OK && plans >= 0);
    plan = id_below(pg, plans);
    FUZZ_CHECK((servgap_plan_info(ctx, plan, &p) == SERVGAP_OK) == (plan >= 0 && plan < plans));
    double effort = -1;
    int32_t gap = choice(pg, SERVGAP_GAP_COUNT), tp = id_of(pg, ctx, SERVGAP_KIND_TOUCHPOINT);
    int32_t metric = id_of(pg, ctx, SERVGAP_KIND_METRIC);
    if (servgap_effort_get(ctx, gap, tp, metric, &effort) == SERVGAP_OK)
        FUZZ_CHECK(effort >= SERVGAP_EFFORT_MIN && effort <= SERVGAP_EFFORT_MAX);
    return SERVGAP_OK; /* the failures above are the handle's, checked there */
}

/* ---------------------------------------------------------------------- */
/* Recording                                                               */
/* ---------------------------------------------------------------------- */

/* The scope, touchpoint and metric of an observation or declaration. */
typedef struct cell_key {
    int32_t scope_kind, scope_id, touchpoint, metric;
} cell_key;

static cell_key cell_key_of(program *pg, servgap_ctx *ctx)
{
    cell_key k;
    k.scope_kind = scope_kind(pg);
    k.scope_id = scope_id(pg, ctx, k.scope_kind);
    k.touchpoint = byte(pg) & 1 ? SERVGAP_ANY : id_of(pg, ctx, SERVGAP_KIND_TOUCHPOINT);
    k.metric = id_of(pg, ctx, SERVGAP_KIND_METRIC);
    return k;
}

static int32_t team_of(program *pg, servgap_ctx *ctx)
{
    return byte(pg) & 1 ? SERVGAP_NONE : id_of(pg, ctx, SERVGAP_KIND_TEAM);
}

static uint64_t observations(servgap_ctx *ctx)
{
    uint64_t n = 0;
    FUZZ_CHECK(servgap_observation_count(ctx, &n) == SERVGAP_OK);
    return n;
}

static int record(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    cell_key k = cell_key_of(pg, ctx);
    int32_t vp = choice(pg, SERVGAP_VP_COUNT);
    double v = value(pg);
    int64_t t = when(pg);
    int32_t team = team_of(pg, ctx), driver = choice(pg, 5);
    uint64_t n = observations(ctx);
    int rc = servgap_record(ctx, k.scope_kind, k.scope_id, k.touchpoint, k.metric, vp, v, t, team,
                            driver);
    FUZZ_CHECK(observations(ctx) == n + (rc == SERVGAP_OK));
    return rc;
}

typedef struct batch {
    int32_t kind[BATCH_MAX], scope[BATCH_MAX], tp[BATCH_MAX], metric[BATCH_MAX];
    int32_t vp[BATCH_MAX], team[BATCH_MAX], driver[BATCH_MAX];
    double value[BATCH_MAX];
    int64_t time[BATCH_MAX];
} batch;

/* n observations, the optional columns left out (NULL) now and then. */
static int record_batch(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    batch b;
    size_t n = byte(pg) % (BATCH_MAX + 1);
    uint8_t columns = byte(pg);
    for (size_t i = 0; i < n; i++) {
        cell_key k = cell_key_of(pg, ctx);
        b.kind[i] = k.scope_kind, b.scope[i] = k.scope_id, b.tp[i] = k.touchpoint;
        b.metric[i] = k.metric, b.vp[i] = choice(pg, SERVGAP_VP_COUNT);
        b.value[i] = value(pg), b.time[i] = when(pg);
        b.team[i] = team_of(pg, ctx), b.driver[i] = choice(pg, 5);
    }
    uint64_t before = observations(ctx);
    int rc = servgap_record_batch(ctx, n, columns & 1 ? NULL : b.kind, b.scope, b.tp, b.metric,
                                  b.vp, b.value, b.time, columns & 2 ? NULL : b.team,
                                  columns & 4 ? NULL : b.driver);
    FUZZ_CHECK(observations(ctx) == before + (rc == SERVGAP_OK ? n : 0));
    return rc;
}

/* One respondent's items, adequate answers and importance points left out
 * now and then. */
static int record_response(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    cell_key k = cell_key_of(pg, ctx);
    int64_t t = when(pg);
    int32_t team = team_of(pg, ctx), driver = choice(pg, 5), metric[ITEMS_MAX];
    double expected[ITEMS_MAX], adequate[ITEMS_MAX], perceived[ITEMS_MAX], pts[5];
    size_t n = byte(pg) % (ITEMS_MAX + 1);
    for (size_t i = 0; i < n; i++) {
        metric[i] = id_of(pg, ctx, SERVGAP_KIND_METRIC);
        expected[i] = value(pg), adequate[i] = value(pg), perceived[i] = value(pg);
    }
    const double *imp = points(pg, pts);
    int no_adequate = byte(pg) & 1;
    return servgap_record_response(ctx, k.scope_kind, k.scope_id, k.touchpoint, t, team, driver, n,
                                   metric, expected, no_adequate ? NULL : adequate, perceived, imp);
}

static int withdraw(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    cell_key k = cell_key_of(pg, ctx);
    uint8_t b = byte(pg);
    int32_t vp = b < 0xF0 ? (b & 1 ? SERVGAP_VP_PROMISED : SERVGAP_VP_STANDARD) : b - 0xF0 - 4;
    return servgap_declaration_withdraw(ctx, k.scope_kind, k.scope_id, k.touchpoint, k.metric, vp,
                                        when(pg));
}

static int set_importance(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t kind = scope_kind(pg), id = scope_id(pg, ctx, kind), whose = choice(pg, 3);
    double pts[5];
    return servgap_set_importance(ctx, kind, id, whose, points(pg, pts));
}

/* An effort set reads back from its own key. */
static int effort_set(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t gap = byte(pg) & 1 ? SERVGAP_ALL : choice(pg, SERVGAP_GAP_COUNT);
    int32_t tp = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_TOUCHPOINT);
    int32_t metric = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_METRIC);
    double effort = value(pg), got = -1;
    int rc = servgap_effort_set(ctx, gap, tp, metric, effort);
    if (rc == SERVGAP_OK && gap != SERVGAP_ALL && metric != SERVGAP_ALL)
        FUZZ_CHECK(servgap_effort_get(ctx, gap, tp, metric, &got) == SERVGAP_OK && got == effort);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Plans and options                                                       */
/* ---------------------------------------------------------------------- */

/* The plan's baseline window: none, two midnights (in either order), or
 * ends that are not midnights or only one end. */
static void baseline_of(program *pg, servgap_plan *p)
{
    switch (byte(pg) % 4) {
    case 0:
        p->baseline_from = p->baseline_to = 0;
        break;
    case 1:
        p->baseline_from = midnight(pg), p->baseline_to = midnight(pg);
        break;
    case 2:
        p->baseline_from = when(pg), p->baseline_to = when(pg);
        break;
    default:
        p->baseline_from = SERVGAP_TIME_NONE, p->baseline_to = midnight(pg);
    }
}

/* The caller's layout of servgap_plan: this header's, 1.0's (without the
 * baseline window, which then is none) or one too small. */
static size_t plan_size(program *pg)
{
    static const size_t sizes[3] = {sizeof(servgap_plan), offsetof(servgap_plan, baseline_from),
                                    offsetof(servgap_plan, baseline_from) - 1};
    uint8_t b = byte(pg);
    return sizes[b < 0xF0 ? 0 : b % 3];
}

/* A plan added reads back as it was given, with no outcome yet. */
static void check_plan(servgap_ctx *ctx, int32_t id, const servgap_plan *p)
{
    servgap_plan back = {.size = sizeof back};
    int windowed =
        p->size > offsetof(servgap_plan, baseline_from) && p->baseline_from != p->baseline_to;
    FUZZ_CHECK(servgap_plan_info(ctx, id, &back) == SERVGAP_OK &&
               strcmp(back.owner, p->owner) == 0);
    FUZZ_CHECK(back.last_outcome == SERVGAP_OUTCOME_NONE && back.next_check == SERVGAP_TIME_NONE);
    FUZZ_CHECK(back.deadline == p->deadline && back.target == p->target && back.gap == p->gap);
    FUZZ_CHECK(back.baseline_from == (windowed ? p->baseline_from : SERVGAP_TIME_NONE));
    FUZZ_CHECK(back.baseline_to == (windowed ? p->baseline_to : SERVGAP_TIME_NONE));
}

static int plan_add(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    servgap_plan p = {.size = plan_size(pg)};
    p.owner = name(pg, w->name[0]);
    p.scope_kind = scope_kind(pg);
    p.scope_id = scope_id(pg, ctx, p.scope_kind);
    p.touchpoint = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_TOUCHPOINT);
    p.metric = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_METRIC);
    p.dimension = choice(pg, SERVGAP_DIM_COUNT);
    p.gap = choice(pg, SERVGAP_GAP_COUNT);
    p.deadline = when(pg); /* SERVGAP_TIME_MIN is SERVGAP_TIME_NONE: no deadline */
    p.target = value(pg);
    baseline_of(pg, &p);
    int32_t id = UNWRITTEN, before = -1, after = -1;
    FUZZ_CHECK(servgap_plan_count(ctx, &before) == SERVGAP_OK);
    int rc = servgap_plan_add(ctx, &p, &id);
    FUZZ_CHECK(servgap_plan_count(ctx, &after) == SERVGAP_OK);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(id == UNWRITTEN && after == before);
        return rc;
    }
    FUZZ_CHECK(id == before && after == before + 1);
    check_plan(ctx, id, &p);
    return rc;
}

static int plan_remeasure(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t plans = 0;
    FUZZ_CHECK(servgap_plan_count(ctx, &plans) == SERVGAP_OK);
    int32_t id = id_below(pg, plans);
    int64_t base_from = midnight(pg), base_to = midnight(pg);
    int64_t follow_from = midnight(pg), follow_to = midnight(pg);
    servgap_remeasure out = {.size = sizeof out, .outcome = UNWRITTEN};
    int rc = servgap_plan_remeasure(ctx, id, base_from, base_to, follow_from, follow_to, &out);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(out.outcome == UNWRITTEN);
        return rc;
    }
    servgap_plan p = {.size = sizeof p};
    FUZZ_CHECK(servgap_plan_info(ctx, id, &p) == SERVGAP_OK && p.last_outcome == out.outcome);
    FUZZ_CHECK(out.outcome >= SERVGAP_OUTCOME_NONE && out.outcome <= SERVGAP_OUTCOME_UNKNOWN);
    return rc;
}

/* Every option of ctx, by id (v[0] unused). */
static void options_of(servgap_ctx *ctx, double *v)
{
    v[0] = 0;
    for (int32_t o = 1; o < OPTIONS_MAX; o++)
        FUZZ_CHECK(servgap_ctx_get_option(ctx, o, &v[o]) == SERVGAP_OK);
}

static int set_option(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t option = byte(pg) % (OPTIONS_MAX + 1);
    uint8_t b = byte(pg);
    /* Whole numbers up to 60 cover every count's range edges. */
    double v = b < 0x80 ? b % 61 : value(pg), got = NAN;
    int rc = servgap_ctx_set_option(ctx, option, v);
    if (rc == SERVGAP_OK)
        FUZZ_CHECK(servgap_ctx_get_option(ctx, option, &got) == SERVGAP_OK && got == v);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Queries and reports                                                     */
/* ---------------------------------------------------------------------- */

/* r becomes the kept result of handle k, its report the one every later
 * report of it must equal. */
static void keep(world *w, int k, servgap_result *r, fuzz_bytes report)
{
    servgap_result_free(w->kept[k]);
    free(w->report[k].p);
    w->kept[k] = r;
    w->report[k] = report;
}

static int which_of(const world *w, const servgap_ctx *ctx)
{
    return w->h[1] == ctx;
}

/* A window, flags (bit 7 is no flag) and an analysis date, or none. */
static int query(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    uint8_t b = byte(pg);
    int64_t from = b & 1 ? midnight(pg) : SERVGAP_TIME_MIN;
    int64_t to = b & 2 ? midnight(pg) : SERVGAP_TIME_MAX;
    int64_t now = b & 4 ? midnight(pg) : SERVGAP_TIME_NONE;
    uint32_t flags = byte(pg);
    servgap_result *r = (servgap_result *)&w->err; /* any pointer: must stay */
    int rc = now == SERVGAP_TIME_NONE && (b & 8) ? servgap_query(ctx, from, to, flags, &r)
                                                 : servgap_query_at(ctx, from, to, now, flags, &r);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(r == (servgap_result *)&w->err);
        return rc;
    }
    int64_t got_from = 0, got_to = 0;
    FUZZ_CHECK(servgap_result_window(r, &got_from, &got_to) == SERVGAP_OK);
    FUZZ_CHECK(got_from == from && got_to == to);
    fuzz_check_result(r);
    fuzz_bytes report = fuzz_report(ctx, r);
    FUZZ_CHECK(report.p != NULL);
    keep(w, which_of(w, ctx), r, report);
    return rc;
}

typedef struct trend_cells {
    int32_t kind[CELLS_MAX], scope[CELLS_MAX], tp[CELLS_MAX], metric[CELLS_MAX];
    int32_t dim[CELLS_MAX], gap[CELLS_MAX];
} trend_cells;

/* Series s of a trend result is the cell asked for, window by window. */
static void check_series(const servgap_result *r, const trend_cells *c, size_t s, double windows)
{
    for (size_t i = 0; i < (size_t)windows; i++) {
        servgap_trend t = {.size = sizeof t};
        FUZZ_CHECK(servgap_result_trend(r, s * (size_t)windows + i, &t) == SERVGAP_OK);
        FUZZ_CHECK(t.series == s && t.window == (int32_t)i && t.gap == c->gap[s]);
        FUZZ_CHECK(t.scope_kind == c->kind[s] && t.scope_id == c->scope[s]);
        FUZZ_CHECK(t.touchpoint == c->tp[s] && t.metric == c->metric[s]);
        FUZZ_CHECK(c->metric[s] != SERVGAP_ALL || t.dimension == c->dim[s]);
    }
}

static int query_trends(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)other;
    trend_cells c;
    size_t n = byte(pg) % (CELLS_MAX + 1);
    for (size_t i = 0; i < n; i++) {
        c.kind[i] = scope_kind(pg), c.scope[i] = scope_id(pg, ctx, c.kind[i]);
        c.tp[i] = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_TOUCHPOINT);
        c.metric[i] = byte(pg) & 1 ? SERVGAP_ALL : id_of(pg, ctx, SERVGAP_KIND_METRIC);
        c.dim[i] = choice(pg, SERVGAP_DIM_COUNT), c.gap[i] = choice(pg, SERVGAP_GAP_COUNT);
    }
    int64_t now = byte(pg) & 1 ? SERVGAP_TIME_NONE : midnight(pg);
    servgap_result *r = NULL;
    int rc = servgap_query_trends(ctx, now, n, c.kind, c.scope, c.tp, c.metric, c.dim, c.gap, &r);
    if (rc != SERVGAP_OK)
        return rc;
    double windows = 0;
    FUZZ_CHECK(servgap_ctx_get_option(ctx, SERVGAP_OPT_TREND_WINDOWS, &windows) == SERVGAP_OK);
    FUZZ_CHECK(servgap_result_count(r, SERVGAP_TABLE_TRENDS) == n * (size_t)windows);
    FUZZ_CHECK(servgap_result_count(r, SERVGAP_TABLE_CELLS) == 0);
    for (size_t s = 0; s < n; s++)
        check_series(r, &c, s, windows);
    fuzz_check_result(r);
    fuzz_bytes report = fuzz_report(ctx, r);
    FUZZ_CHECK(report.p != NULL);
    keep(w, which_of(w, ctx), r, report);
    return rc;
}

/* The kept result's report again, by its handle (the same bytes: a
 * handle's names keep their ids) and by the other one (valid either
 * way). */
static int report_again(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)pg;
    int k = which_of(w, ctx);
    if (!w->kept[k])
        return SERVGAP_OK;
    fuzz_bytes again = fuzz_report(ctx, w->kept[k]);
    FUZZ_CHECK(fuzz_same(&again, &w->report[k]));
    fuzz_check_report_edges(ctx, w->kept[k], again.n);
    free(again.p);
    again = fuzz_report(other, w->kept[k]);
    free(again.p);
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Snapshots, merges and imports                                           */
/* ---------------------------------------------------------------------- */

/* Merging the handles into each other in turn doubles them each time:
 * beyond this many observations a program has made its point, and a
 * merge or load of one into the other is left out. */
#define MERGED_MAX 20000

static int too_big(servgap_ctx *a, servgap_ctx *b)
{
    return observations(a) + observations(b) > MERGED_MAX;
}

/* A copy of a handle's state in a new handle. */
static servgap_ctx *copy_of(const fuzz_bytes *state)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    FUZZ_CHECK(servgap_snapshot_load_buffer(ctx, state->p, state->n) == SERVGAP_OK);
    return ctx;
}

/* ctx's snapshot (a buffer one byte short is refused with the size) into
 * the other handle: a snapshot a handle wrote always loads, unless the
 * other handle defines a metric or an account's tier otherwise. */
static int snapshot_to_other(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)pg;
    if (too_big(ctx, other))
        return SERVGAP_OK;
    fuzz_bytes snap = fuzz_state(ctx);
    size_t len = 0;
    FUZZ_CHECK(servgap_snapshot_write(ctx, snap.p, snap.n - 1, &len) == SERVGAP_EBUFSIZE);
    FUZZ_CHECK(len == snap.n);
    w->err = other;
    int rc = servgap_snapshot_load_buffer(other, snap.p, snap.n);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECONFLICT || rc == SERVGAP_ELIMIT);
    free(snap.p);
    return rc;
}

/* ctx merged into the other handle ends where loading ctx's snapshot into
 * a copy of the other handle ends; merging a handle into itself is
 * refused. */
static int merge_into_other(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    if (byte(pg) == 0xFF) {
        int rc = servgap_ctx_merge(ctx, ctx);
        FUZZ_CHECK(rc == SERVGAP_EINVAL);
        return rc;
    }
    if (too_big(ctx, other))
        return SERVGAP_OK;
    fuzz_bytes before = fuzz_state(other), snap = fuzz_state(ctx);
    servgap_ctx *copy = copy_of(&before);
    w->err = other;
    int rc = servgap_ctx_merge(other, ctx);
    FUZZ_CHECK(servgap_snapshot_load_buffer(copy, snap.p, snap.n) == rc);
    if (rc == SERVGAP_OK) {
        fuzz_bytes merged = fuzz_state(other);
        fuzz_check_unchanged(copy, &merged);
        free(merged.p);
    }
    servgap_ctx_free(copy);
    free(before.p);
    free(snap.p);
    return rc;
}

/* The next len bytes of the program (len from two bytes), as data. */
static const uint8_t *chunk(program *pg, size_t *len)
{
    size_t want = (size_t)raw(pg, 2);
    *len = want < pg->n - pg->at ? want : pg->n - pg->at;
    const uint8_t *p = pg->p + pg->at;
    pg->at += *len;
    return p;
}

/* A CSV table from the program (an unknown table or flag now and then). */
static int import_csv(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int32_t table = choice(pg, SERVGAP_CSV_PLANS + 1);
    uint32_t flags = byte(pg) % 3;
    size_t len = 0;
    const uint8_t *csv = chunk(pg, &len);
    uint64_t before = observations(ctx);
    servgap_import_report rep = {.size = sizeof rep, .rows = UINT64_MAX};
    int rc = servgap_import_csv_buffer(ctx, table, NULL, csv, len, flags, &rep);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(rep.rows == UINT64_MAX);
        return rc;
    }
    FUZZ_CHECK(rep.rows == rep.applied + rep.skipped &&
               rep.observations == observations(ctx) - before);
    FUZZ_CHECK((flags & SERVGAP_IMPORT_SKIP_BAD_ROWS) || rep.skipped == 0);
    return rc;
}

/* Bytes of the program loaded as a snapshot: rejected whole, most of the
 * time. */
static int load_bytes(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    size_t len = 0;
    const uint8_t *data = chunk(pg, &len);
    int rc = servgap_snapshot_load_buffer(ctx, data, len);
    FUZZ_CHECK(rc == SERVGAP_OK || rc == SERVGAP_ECORRUPT || rc == SERVGAP_ECONFLICT ||
               rc == SERVGAP_ELIMIT);
    return rc;
}

/* ctx's summary of a window (docs/formats.md, "Summaries") in a new
 * handle of its options: it loads, writes the same summary again, and
 * answers a query of everything with a valid report. The two handles of
 * the program never hold summaries: a handle that does writes no
 * snapshot, which the other steps compare. */
static int summary_copy(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)other;
    int64_t from = byte(pg) & 1 ? midnight(pg) : SERVGAP_TIME_MIN;
    int64_t to = byte(pg) & 1 ? midnight(pg) : SERVGAP_TIME_MAX;
    size_t len = SIZE_MAX;
    int rc = servgap_summary_write(ctx, from, to, NULL, 0, &len);
    if (rc != SERVGAP_OK) {
        FUZZ_CHECK(len == SIZE_MAX);
        return rc;
    }
    fuzz_bytes s1 = {malloc(len), 0}, s2;
    FUZZ_CHECK(s1.p && servgap_summary_write(ctx, from, to, s1.p, len, &s1.n) == SERVGAP_OK);
    double opt[OPTIONS_MAX];
    options_of(ctx, opt);
    servgap_ctx *copy = NULL;
    FUZZ_CHECK(servgap_ctx_new(&copy, NULL) == SERVGAP_OK);
    for (int32_t o = 1; o < OPTIONS_MAX; o++)
        FUZZ_CHECK(servgap_ctx_set_option(copy, o, opt[o]) == SERVGAP_OK);
    FUZZ_CHECK(servgap_summary_load_buffer(copy, s1.p, s1.n) == SERVGAP_OK);
    FUZZ_CHECK(servgap_summary_write(copy, from, to, NULL, 0, &s2.n) == SERVGAP_OK);
    s2.p = malloc(s2.n);
    FUZZ_CHECK(s2.p && servgap_summary_write(copy, from, to, s2.p, s2.n, &s2.n) == SERVGAP_OK);
    FUZZ_CHECK(fuzz_same(&s1, &s2));
    fuzz_check_query(copy, FUZZ_QUERY_EVERYTHING);
    servgap_ctx_free(copy);
    free(s1.p);
    free(s2.p);
    return rc;
}

/* An interrupt stops only the calls running when it comes: none here, so
 * it changes nothing and every later call runs normally. */
static int interrupt(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)w, (void)pg, (void)other;
    servgap_ctx_interrupt(ctx);
    return SERVGAP_OK;
}

/* The other handle replaced by a new one with its options (its kept
 * result goes too). */
static int renew_other(world *w, program *pg, servgap_ctx *ctx, servgap_ctx *other)
{
    (void)pg, (void)ctx;
    int k = which_of(w, other);
    double opt[OPTIONS_MAX];
    options_of(other, opt);
    keep(w, k, NULL, (fuzz_bytes){NULL, 0});
    servgap_ctx_free(other);
    w->h[k] = NULL;
    FUZZ_CHECK(servgap_ctx_new(&w->h[k], NULL) == SERVGAP_OK);
    for (int32_t o = 1; o < OPTIONS_MAX; o++)
        FUZZ_CHECK(servgap_ctx_set_option(w->h[k], o, opt[o]) == SERVGAP_OK);
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* The program                                                             */
/* ---------------------------------------------------------------------- */

typedef struct step {
    step_fn run;
    int changes; /* CHANGES_*: what it may change when it succeeds */
} step;

static const step steps[] = {
    {metric_define, CHANGES_SELF},
    {account_define, CHANGES_SELF},
    {account_set, CHANGES_SELF},
    {intern, CHANGES_SELF},
    {read_back, 0},
    {record, CHANGES_SELF},
    {record_batch, CHANGES_SELF},
    {record_response, CHANGES_SELF},
    {withdraw, CHANGES_SELF},
    {set_importance, CHANGES_SELF},
    {effort_set, CHANGES_SELF},
    {plan_add, CHANGES_SELF},
    {plan_remeasure, CHANGES_SELF},
    {set_option, CHANGES_OPTIONS},
    {query, 0},
    {query_trends, 0},
    {report_again, USES_OTHER},
    {snapshot_to_other, CHANGES_OTHER | USES_OTHER},
    {merge_into_other, CHANGES_OTHER | USES_OTHER},
    {import_csv, CHANGES_SELF},
    {load_bytes, CHANGES_SELF},
    {renew_other, CHANGES_OTHER | USES_OTHER},
    {summary_copy, 0},
    {interrupt, 0},
};

#define STEP_KINDS (sizeof steps / sizeof steps[0])

/* The state of the handles a step uses before it. */
typedef struct states {
    int n; /* 1: the step's own handle; 2: both */
    fuzz_bytes bytes[2];
    double options[2][OPTIONS_MAX];
} states;

/* Handle k of a step on self: self first, then the other. */
static servgap_ctx *handle(const world *w, int self, int k)
{
    return w->h[k == 0 ? self : !self];
}

static void take(const world *w, int self, states *s)
{
    for (int k = 0; k < s->n; k++) {
        s->bytes[k] = fuzz_state(handle(w, self, k));
        options_of(handle(w, self, k), s->options[k]);
    }
}

/* What a step left as it was: everything when it failed (the failing
 * handle holds the code), else what it may not change. */
static void check_step(const world *w, const states *s, const step *st, int self, int rc)
{
    int may = rc == SERVGAP_OK ? st->changes : 0;
    if (rc != SERVGAP_OK)
        fuzz_check_failed(w->err, rc, &s->bytes[w->err != w->h[self]]);
    for (int k = 0; k < s->n; k++) {
        servgap_ctx *ctx = handle(w, self, k);
        double now[OPTIONS_MAX];
        if (!(may & (k == 0 ? CHANGES_SELF : CHANGES_OTHER)))
            fuzz_check_unchanged(ctx, &s->bytes[k]);
        if (!(may & CHANGES_OPTIONS && k == 0)) {
            options_of(ctx, now);
            FUZZ_CHECK(memcmp(now, s->options[k], sizeof now) == 0);
        }
    }
}

static void run_step(world *w, program *pg)
{
    uint8_t code = byte(pg);
    int self = code >> 7;
    const step *st = &steps[(code & 0x7Fu) % STEP_KINDS];
    states before = {.n = st->changes & USES_OTHER ? 2 : 1};
    take(w, self, &before);
    w->err = w->h[self];
    int rc = st->run(w, pg, w->h[self], w->h[!self]);
#ifdef FUZZ_TRACE /* to follow a reproducer: -DFUZZ_TRACE */
    fprintf(stderr, "step %u on %d: %d %s\n", (unsigned)((code & 0x7Fu) % STEP_KINDS), self, rc,
            rc ? servgap_errmsg(w->err) : "");
#endif
    check_step(w, &before, st, self, rc);
    for (int k = 0; k < before.n; k++)
        free(before.bytes[k].p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    world w;
    memset(&w, 0, sizeof w);
    for (int k = 0; k < 2; k++)
        FUZZ_CHECK(servgap_ctx_new(&w.h[k], NULL) == SERVGAP_OK);
    program pg = {data, size, 0};
    for (int i = 0; i < STEPS_MAX && pg.at < pg.n; i++)
        run_step(&w, &pg);
    for (int k = 0; k < 2; k++) {
        fuzz_bytes snap = fuzz_state(w.h[k]);
        fuzz_check_restores(&snap);
        free(snap.p);
        keep(&w, k, NULL, (fuzz_bytes){NULL, 0});
        servgap_ctx_free(w.h[k]);
    }
    return 0;
}
