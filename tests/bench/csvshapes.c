/*
 * csvshapes -- the generator of the end-to-end benchmark's CSV exports
 * (csvshapes.h). The distribution, unlike workload.c's: 20,000 accounts
 * in 4 tiers (8% platinum, 22% gold, 35% silver, 35% bronze), 8
 * touchpoints, 40 teams, the 12 metrics of the benchmarks, 365 days of
 * 2026, all 7 viewpoints:
 *
 *  - first, tier-wide declarations: believed for every metric, standard
 *    and promised for the 5 delivered metrics, per tier and touchpoint on
 *    1 January, and platinum's standards again on 2 July (744 rows);
 *  - then events until the row budget is spent: 1% a paired SERVQUAL
 *    response (expected and perceived for the 5 Likert items, adequate
 *    in half of them, importance points in 40%: 10 to 20 rows sharing a
 *    respondent), the others one row: 88% delivered (a team), 7%
 *    perceived CSAT or NPS (a team), 3% a stated expectation with its
 *    driver, 1.2% an account's own standard or promise, 0.8% an account
 *    believed expectation;
 *  - an event's account is floor(A u^2) (busy low numbers), its
 *    touchpoint one of the account's two home ones, its team the home team
 *    80% of the time; day and second uniform.
 *
 * Without the respondent column, a response's rows are unpaired rows and
 * carry no importance points (those need a respondent). Values are
 * integers in hundredths, written shortest (2.5, 3, 0.07).
 */
#define _POSIX_C_SOURCE 200809L
#include "csvshapes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIERS  4
#define TPS    8
#define TEAMS  40
#define DAYS   365
#define LIKERT 5
#define EPOCH  1767225600 /* 2026-01-01T00:00:00Z */
#define NAME   64

const cs_shape cs_shapes[] = {
    {'a', "dates", "YYYY-MM-DD, a team column (the issue's)", CS_DATE, CS_COLS_TEAM, CS_QUOTE_NONE},
    {'b', "datetimes", "ISO date-times (T10:22:31Z), all columns", CS_DATETIME, CS_COLS_ALL,
     CS_QUOTE_NONE},
    {'c', "epochs", "epoch seconds, all columns", CS_EPOCH, CS_COLS_ALL, CS_QUOTE_NONE},
    {'d', "required", "YYYY-MM-DD, no optional column", CS_DATE, CS_COLS_REQUIRED, CS_QUOTE_NONE},
    {'e', "quoted", "YYYY-MM-DD, all columns, 5% of names quoted", CS_DATE, CS_COLS_ALL,
     CS_QUOTE_SOME},
    {'f', "allquoted", "YYYY-MM-DD, all columns, all text quoted, CRLF", CS_DATE, CS_COLS_ALL,
     CS_QUOTE_ALL},
    {'g', "allcols", "YYYY-MM-DD, all columns", CS_DATE, CS_COLS_ALL, CS_QUOTE_NONE},
};
const int cs_nshapes = (int)(sizeof cs_shapes / sizeof *cs_shapes);

static const char *const tier_names[TIERS] = {"platinum", "gold", "silver", "bronze"};
static const char *const tp_names[TPS] = {"email", "chat",   "phone",     "portal",
                                          "slack", "onsite", "community", "sms"};
static const char *const metric_names[12] = {"tangibles",
                                             "reliability",
                                             "responsiveness",
                                             "assurance",
                                             "empathy",
                                             "first_response_hours",
                                             "resolution_hours",
                                             "reopen_rate",
                                             "csat",
                                             "nps",
                                             "sla_met_rate",
                                             "handle_minutes"};
enum {
    VP_EXPECTED,
    VP_ADEQUATE,
    VP_BELIEVED,
    VP_STANDARD,
    VP_DELIVERED,
    VP_PROMISED,
    VP_PERCEIVED,
    VP_IMPORTANCE
};
static const char *const vp_names[8] = {"expected",  "adequate", "believed",  "standard",
                                        "delivered", "promised", "perceived", "importance"};
static const char *const driver_names[5] = {"", "word_of_mouth", "personal_needs",
                                            "past_experience", "external_communication"};

/* The delivered metrics (first response, resolution, reopen, SLA met,
 * handle time) and, per tier in hundredths, their delivered mean (a
 * Bernoulli percent for the two rates), standard and promise. */
static const int delivered_metric[5] = {5, 6, 7, 10, 11};
static const int64_t delivered_level[5][TIERS] = {{100, 250, 500, 900},
                                                  {800, 1600, 3200, 4800},
                                                  {4, 6, 9, 12},
                                                  {97, 94, 90, 85},
                                                  {2800, 2200, 1600, 1200}};
static const int64_t standard_level[5][TIERS] = {{100, 400, 800, 1200},
                                                 {800, 2400, 4800, 7200},
                                                 {5, 8, 10, 15},
                                                 {95, 92, 88, 85},
                                                 {2400, 2400, 2000, 1600}};
static const int64_t promised_level[5][TIERS] = {{50, 200, 400, 800},
                                                 {400, 1200, 2400, 4800},
                                                 {3, 5, 8, 10},
                                                 {99, 95, 92, 90},
                                                 {1800, 1800, 1500, 1200}};

static const char metrics_csv[] = "metric,dimension,direction,min,max,span,unit\n"
                                  "first_response_hours,responsiveness,lower,0,,8,h\n"
                                  "resolution_hours,responsiveness,lower,0,,48,h\n"
                                  "reopen_rate,reliability,lower,0,1,,share\n"
                                  "csat,assurance,higher,1,5,,points\n"
                                  "nps,empathy,higher,0,10,,points\n"
                                  "sla_met_rate,reliability,higher,0,1,,share\n"
                                  "handle_minutes,tangibles,lower,0,,60,min\n";

/* One observation row; value in hundredths. */
typedef struct row {
    int64_t sec;                            /* since EPOCH */
    int32_t account;                        /* -1: tier-wide */
    int tier, tp, metric, vp, team, driver; /* team -1: none; driver 0: none */
    int64_t value;
    uint64_t respondent; /* 0: none */
} row;

typedef struct acct {
    int tier, tpa, tpb, team;
} acct;

typedef struct gen {
    const cs_shape *s;
    cs_params p;
    uint64_t rng, respondent;
    cs_stats st;
    FILE *f;
    int err;
    size_t n;
    char buf[1 << 16];
    char (*acct_name)[NAME];
    char team_name[TEAMS][NAME];
    char day_text[2 * DAYS][11]; /* 2026-01-01 .. 2027-12-31 */
} gen;

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t draw(gen *g, uint64_t n)
{
    return splitmix64(&g->rng) % n;
}

const cs_shape *cs_shape_find(const char *key)
{
    for (int i = 0; i < cs_nshapes; i++)
        if ((key[0] == cs_shapes[i].letter && key[1] == 0) || strcmp(key, cs_shapes[i].name) == 0)
            return &cs_shapes[i];
    return NULL;
}

void cs_params_default(cs_params *p, uint64_t rows)
{
    p->rows = rows;
    p->accounts = 20000;
    p->seed = 20261207u;
}

/* ---- output ------------------------------------------------------------ */

static void flush(gen *g)
{
    if (g->n && fwrite(g->buf, 1, g->n, g->f) != g->n)
        g->err = 1;
    g->st.bytes += g->n;
    g->n = 0;
}

/* Pieces are short (a quoted name at most 2 NAME + 2 bytes). */
static void put(gen *g, const char *s, size_t len)
{
    if (g->n + len > sizeof g->buf)
        flush(g);
    memcpy(g->buf + g->n, s, len);
    g->n += len;
}

static void put_u64(gen *g, uint64_t v)
{
    char t[24];
    int k = (int)sizeof t;
    do
        t[--k] = (char)('0' + v % 10);
    while (v /= 10);
    put(g, t + k, sizeof t - (size_t)k);
}

/* Hundredths, shortest: 250 -> "2.5", 300 -> "3", 7 -> "0.07". */
static void put_hundredths(gen *g, int64_t v)
{
    put_u64(g, (uint64_t)(v / 100));
    int f = (int)(v % 100);
    if (f == 0)
        return;
    char t[3] = {'.', (char)('0' + f / 10), (char)('0' + f % 10)};
    put(g, t, f % 10 ? 3 : 2);
}

/* A text field as the shape writes it: quoted always, when it needs it,
 * or never (no name of the unquoted shapes needs it). */
static void put_text(gen *g, const char *s)
{
    int quote = g->s->quote == CS_QUOTE_ALL ||
                (g->s->quote == CS_QUOTE_SOME && strpbrk(s, ",\"\r\n") != NULL);
    if (!quote) {
        put(g, s, strlen(s));
        return;
    }
    put(g, "\"", 1);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1)
        put(g, s, (size_t)(q - s) + 1), put(g, "\"", 1);
    put(g, s, strlen(s));
    put(g, "\"", 1);
}

static void put_sep(gen *g)
{
    put(g, ",", 1);
}

static void put_eol(gen *g)
{
    if (g->s->quote == CS_QUOTE_ALL)
        put(g, "\r\n", 2);
    else
        put(g, "\n", 1);
}

/* A time as the shape writes it: a date (midnight), an ISO date-time in
 * UTC, or epoch seconds (a number, never quoted). */
static void put_time(gen *g, int64_t sec)
{
    if (g->s->time == CS_EPOCH) {
        put_u64(g, (uint64_t)(EPOCH + sec));
        return;
    }
    char t[24];
    memcpy(t, g->day_text[sec / 86400], 10);
    t[10] = 0;
    if (g->s->time == CS_DATETIME) {
        int s = (int)(sec % 86400);
        snprintf(t + 10, sizeof t - 10, "T%02d:%02d:%02dZ", s / 3600, s / 60 % 60, s % 60);
    }
    put_text(g, t);
}

/* ---- rows -------------------------------------------------------------- */

static void put_optional(gen *g, const row *r)
{
    char resp[24] = "";
    put_sep(g);
    put_text(g, r->team >= 0 ? g->team_name[r->team] : "");
    if (g->s->cols == CS_COLS_TEAM)
        return;
    put_sep(g);
    put_text(g, driver_names[r->driver]);
    put_sep(g);
    if (r->respondent)
        snprintf(resp, sizeof resp, "R%07llu", (unsigned long long)r->respondent);
    put_text(g, resp);
}

static void emit(gen *g, const row *r)
{
    put_time(g, r->sec);
    put_sep(g);
    put_text(g, r->account >= 0 ? g->acct_name[r->account] : "");
    put_sep(g);
    put_text(g, tier_names[r->tier]);
    put_sep(g);
    put_text(g, tp_names[r->tp]);
    put_sep(g);
    put_text(g, metric_names[r->metric]);
    put_sep(g);
    put_text(g, vp_names[r->vp]);
    put_sep(g);
    put_hundredths(g, r->value);
    if (g->s->cols != CS_COLS_REQUIRED)
        put_optional(g, r);
    put_eol(g);
    g->st.rows++;
    g->st.paired_rows += r->respondent != 0;
}

static void header(gen *g)
{
    static const char *const cols[10] = {"time",   "account",   "tier",  "touchpoint",
                                         "metric", "viewpoint", "value", "team",
                                         "driver", "respondent"};
    static const int ncols[3] = {7, 8, 10};
    for (int k = 0; k < ncols[g->s->cols]; k++) {
        if (k)
            put_sep(g);
        put_text(g, cols[k]);
    }
    put_eol(g);
}

/* ---- names and dates ----------------------------------------------------- */

/* Date of day d since 1970-01-01 (H. Hinnant's civil_from_days). */
static void civil(int64_t z, char out[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(yoe + era * 400 + (m <= 2)) % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u);
}

/* Account names; in the quoted shape one in 20 is a company name with a
 * comma or with quotes, as CRM exports have them. The number keeps every
 * name unique. */
static void account_name(const gen *g, uint32_t i, char out[NAME])
{
    if (g->s->quote == CS_QUOTE_SOME && i % 20 == 7)
        snprintf(out, NAME, "Smith, Jones & Partners %05u", (unsigned)i);
    else if (g->s->quote == CS_QUOTE_SOME && i % 20 == 17)
        snprintf(out, NAME, "The \"Best\" Widgets %05u", (unsigned)i);
    else
        snprintf(out, NAME, "cust-%05u", (unsigned)i);
}

static int names(gen *g)
{
    g->acct_name = malloc((size_t)g->p.accounts * sizeof *g->acct_name);
    if (g->acct_name == NULL)
        return -1;
    for (uint32_t i = 0; i < g->p.accounts; i++)
        account_name(g, i, g->acct_name[i]);
    for (int t = 0; t < TEAMS; t++) {
        if (g->s->quote == CS_QUOTE_SOME && t % 10 == 3)
            snprintf(g->team_name[t], NAME, "L2, EMEA %02d", t);
        else
            snprintf(g->team_name[t], NAME, "team-%02d", t);
    }
    for (int d = 0; d < 2 * DAYS; d++)
        civil(EPOCH / 86400 + d, g->day_text[d]);
    return 0;
}

static acct account_of(const gen *g, uint32_t i)
{
    uint64_t h = g->p.seed ^ ((uint64_t)i * 0x2545f4914f6cdd1du);
    h = splitmix64(&h);
    unsigned t = (unsigned)(h % 100u);
    acct a = {t < 8    ? 0
              : t < 30 ? 1
              : t < 65 ? 2
                       : 3,
              (int)((h >> 8) % TPS), (int)((h >> 16) % TPS), (int)((h >> 24) % TEAMS)};
    return a;
}

/* ---- values ------------------------------------------------------------- */

/* A Likert answer 1..7 around mean (hundredths), whole points. */
static int64_t likert(gen *g, int64_t mean)
{
    int64_t x = mean;
    for (int k = 0; k < 3; k++)
        x += (int64_t)draw(g, 201) - 100;
    int64_t v = (x + 50) / 100;
    return 100 * (v < 1 ? 1 : v > 7 ? 7 : v);
}

/* Triangular on [0, 2 mean], hundredths. */
static int64_t tri(gen *g, int64_t mean)
{
    int64_t a = (int64_t)draw(g, 1001), b = (int64_t)draw(g, 1001);
    return mean * (a + b) / 1000;
}

/* A score on [lo, hi] around mean (hundredths), whole points. */
static int64_t score(gen *g, int64_t mean, int64_t lo, int64_t hi)
{
    int64_t v = (mean + (int64_t)draw(g, 301) - 150 + 50) / 100;
    return 100 * (v < lo ? lo : v > hi ? hi : v);
}

/* The value of a delivered metric k (of delivered_metric) in tier t. */
static int64_t delivered(gen *g, int k, int t)
{
    int64_t lv = delivered_level[k][t];
    if (k == 2 || k == 3) /* the rates: 0 or 1 */
        return draw(g, 100) < (uint64_t)lv ? 100 : 0;
    return tri(g, lv);
}

/* ---- events ------------------------------------------------------------- */

static int room(const gen *g, uint64_t rows)
{
    return g->st.rows + rows <= g->p.rows;
}

/* The index of metric m in delivered_metric, or -1. */
static int delivered_index(int m)
{
    for (int k = 0; k < 5; k++)
        if (delivered_metric[k] == m)
            return k;
    return -1;
}

/* What the provider believes customers expect, per tier. */
static int64_t believed_level(int m, int t)
{
    int k = delivered_index(m);
    if (k >= 0)
        return standard_level[k][t];
    return m < LIKERT ? 550 - 25 * t : m == 8 ? 400 : 800;
}

static void emit_if_room(gen *g, const row *r)
{
    if (room(g, 1))
        emit(g, r);
}

/* Tier r.tier's standard and promise of delivered metric k at touchpoint
 * r.tp; platinum changes its standard on 2 July, so that declarations
 * change within the year. */
static void declare(gen *g, row r, int k)
{
    r.vp = VP_STANDARD;
    r.value = standard_level[k][r.tier];
    emit_if_room(g, &r);
    if (r.tier == 0) {
        row later = r;
        later.sec = 182 * 86400;
        later.value = r.value * 3 / 4;
        emit_if_room(g, &later);
    }
    r.vp = VP_PROMISED;
    r.value = promised_level[k][r.tier];
    emit_if_room(g, &r);
}

/* The tier-wide declarations (see the top of the file), on 1 January. */
static void prelude(gen *g)
{
    row r = {.account = -1, .team = -1};
    for (r.tier = 0; r.tier < TIERS; r.tier++)
        for (r.tp = 0; r.tp < TPS; r.tp++)
            for (r.metric = 0; r.metric < 12; r.metric++) {
                r.vp = VP_BELIEVED;
                r.value = believed_level(r.metric, r.tier);
                emit_if_room(g, &r);
                int k = delivered_index(r.metric);
                if (k >= 0)
                    declare(g, r, k);
            }
}

/* Five importance points summing to 100, one row per dimension. */
static void importance(gen *g, row r)
{
    int64_t w[LIKERT], sum = 0, used = 0;
    for (int k = 0; k < LIKERT; k++)
        sum += w[k] = 1 + (int64_t)draw(g, 30);
    r.vp = VP_IMPORTANCE;
    for (r.metric = 0; r.metric < LIKERT; r.metric++) {
        int64_t pts = r.metric + 1 < LIKERT ? 100 * w[r.metric] / sum : 100 - used;
        used += pts;
        r.value = 100 * pts;
        emit(g, &r);
    }
}

/* One paired response at base's time, account and touchpoint; 0 when the
 * budget has no room left for it. */
static int survey(gen *g, const row *base)
{
    static const int64_t e_mean[TIERS] = {620, 600, 570, 540};
    static const int64_t p_mean[TIERS] = {570, 540, 510, 480};
    int paired = g->s->cols == CS_COLS_ALL;
    int adequate = draw(g, 2) == 0, imp = paired && draw(g, 10) < 4;
    if (!room(g, (adequate ? 15u : 10u) + (imp ? 5u : 0u)))
        return 0;
    row r = *base;
    r.respondent = paired ? ++g->respondent : 0;
    for (r.metric = 0; r.metric < LIKERT; r.metric++) {
        int64_t off = (r.metric - 2) * 10;
        r.vp = VP_EXPECTED;
        r.value = likert(g, e_mean[r.tier] + off);
        emit(g, &r);
        if (adequate) {
            r.vp = VP_ADEQUATE;
            r.value = likert(g, 450);
            emit(g, &r);
        }
        r.vp = VP_PERCEIVED;
        r.value = likert(g, p_mean[r.tier] - off);
        emit(g, &r);
    }
    if (imp)
        importance(g, r);
    return 1;
}

/* An account's own declaration or belief: no team. */
static void account_declaration(gen *g, row *r, uint64_t kind)
{
    r->team = -1;
    if (kind < 992) {
        int k = (int)draw(g, 5);
        r->metric = delivered_metric[k];
        r->vp = draw(g, 2) ? VP_STANDARD : VP_PROMISED;
        const int64_t *lv = r->vp == VP_STANDARD ? standard_level[k] : promised_level[k];
        r->value = lv[r->tier] * (50 + (int64_t)draw(g, 51)) / 100;
    } else {
        r->metric = (int)draw(g, LIKERT);
        r->vp = VP_BELIEVED;
        r->value = likert(g, 580);
    }
}

/* One unpaired row (the mix at the top of the file). */
static void single(gen *g, row r)
{
    static const int64_t csat_mean[TIERS] = {430, 410, 380, 350};
    static const int64_t nps_mean[TIERS] = {850, 780, 700, 620};
    uint64_t kind = draw(g, 1000);
    if (kind < 880) {
        int k = (int)draw(g, 5);
        r.metric = delivered_metric[k];
        r.vp = VP_DELIVERED;
        r.value = delivered(g, k, r.tier);
    } else if (kind < 950) {
        int nps = draw(g, 2) == 0;
        r.metric = nps ? 9 : 8;
        r.vp = VP_PERCEIVED;
        r.value = nps ? score(g, nps_mean[r.tier], 0, 10) : score(g, csat_mean[r.tier], 1, 5);
    } else if (kind < 980) {
        int k = (int)draw(g, 2);
        r.metric = delivered_metric[k];
        r.vp = VP_EXPECTED;
        r.value = tri(g, promised_level[k][r.tier]);
        r.team = -1;
        r.driver = 1 + (int)draw(g, 4);
    } else {
        account_declaration(g, &r, kind);
    }
    emit(g, &r);
}

static void event(gen *g)
{
    double u = (double)(splitmix64(&g->rng) >> 11) * 0x1.0p-53;
    uint32_t a = (uint32_t)(u * u * (double)g->p.accounts);
    if (a >= g->p.accounts)
        a = g->p.accounts - 1;
    acct ac = account_of(g, a);
    row r = {.account = (int32_t)a, .tier = ac.tier};
    r.sec = (int64_t)(draw(g, DAYS) * 86400u + draw(g, 86400));
    r.tp = draw(g, 10) < 7 ? ac.tpa : ac.tpb;
    r.team = draw(g, 10) < 8 ? ac.team : (int)draw(g, TEAMS);
    if (draw(g, 1000) < 10 && survey(g, &r))
        return;
    single(g, r);
}

/* ---- files -------------------------------------------------------------- */

static void accounts(gen *g)
{
    static const int64_t base[TIERS] = {250000, 80000, 20000, 5000};
    static const char *const cols[7] = {"account", "tier",    "value",  "health",
                                        "at_risk", "renewal", "churned"};
    for (int k = 0; k < 7; k++) {
        if (k)
            put_sep(g);
        put_text(g, cols[k]);
    }
    put_eol(g);
    for (uint32_t i = 0; i < g->p.accounts; i++) {
        int t = account_of(g, i).tier;
        put_text(g, g->acct_name[i]);
        put_sep(g);
        put_text(g, tier_names[t]);
        put_sep(g);
        put_u64(g, (uint64_t)(base[t] * (50 + (int64_t)draw(g, 101)) / 100));
        put_sep(g);
        put_u64(g, 20 + draw(g, 80));
        put(g, draw(g, 10) ? ",0," : ",1,", 3);
        put_time(g, (int64_t)(30 + draw(g, 2 * DAYS - 30)) * 86400);
        put(g, draw(g, 100) < 3 ? ",1" : ",0", 2);
        put_eol(g);
    }
}

static int open_out(gen *g, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    g->f = fopen(path, "wb");
    if (g->f == NULL)
        fprintf(stderr, "csvshapes: %s: %s\n", path, strerror(errno));
    g->n = 0;
    g->err = 0;
    return g->f ? 0 : -1;
}

static int close_out(gen *g, const char *name)
{
    flush(g);
    if (fclose(g->f) != 0 || g->err) {
        fprintf(stderr, "csvshapes: writing %s failed\n", name);
        return -1;
    }
    return 0;
}

static int write_tables(gen *g, const char *dir)
{
    if (open_out(g, dir, "metrics.csv") != 0)
        return -1;
    put(g, metrics_csv, sizeof metrics_csv - 1);
    if (close_out(g, "metrics.csv") != 0 || open_out(g, dir, "observations.csv") != 0)
        return -1;
    g->st.bytes = 0;
    header(g);
    prelude(g);
    while (room(g, 1))
        event(g);
    if (close_out(g, "observations.csv") != 0)
        return -1;
    uint64_t obs_bytes = g->st.bytes;
    g->rng = g->p.seed + 1; /* the accounts' own stream */
    if (open_out(g, dir, "accounts.csv") != 0)
        return -1;
    accounts(g);
    g->st.bytes = obs_bytes;
    return close_out(g, "accounts.csv");
}

int cs_write(const char *dir, const cs_shape *s, const cs_params *p, cs_stats *st)
{
    gen *g = calloc(1, sizeof *g);
    if (g == NULL)
        return -1;
    g->s = s;
    g->p = *p;
    g->rng = p->seed;
    int rc = names(g) == 0 ? write_tables(g, dir) : -1;
    if (rc == 0 && st)
        *st = g->st;
    free(g->acct_name);
    free(g);
    return rc;
}
