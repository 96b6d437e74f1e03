/*
 * buckets -- the day buckets a handle holds beside its log once a summary
 * has been loaded into it (docs/formats.md, "Summaries"): per series (a
 * group key with a viewpoint, or with a team or driver facet of one) and
 * day, the moments of that day's observations; per group and day, the
 * paired co-moments of that day's responses; per (scope, touchpoint) and
 * day, the respondent-level weighted SERVQUAL moments and the summed
 * importance points. A response lies within one day, so a day's buckets
 * hold whole responses. Each table keeps its entries in the order they
 * were first added and finds them through a hashed index, so a merge is
 * linear and a fixed order of merges gives the same bits. Relies on
 * stats and index; ids are the handle's, opaque here.
 */
#ifndef SERVGAP_BUCKETS_H
#define SERVGAP_BUCKETS_H

#include <stddef.h>
#include <stdint.h>

#include "servgap.h"

#include "../base/index.h"
#include "../base/stats.h"
#include "store.h"

/* A series' code: a plain viewpoint (< 8), or a facet as the aggregate
 * numbers it: kind << 40 | viewpoint << 32 | team or driver id. */
#define SERVGAP__CODE_TEAM   ((uint64_t)1 << 40)
#define SERVGAP__CODE_DRIVER ((uint64_t)2 << 40)

/* The metric of a group that rolls up every metric (a scope's and
 * touchpoint's respondent-level scores). */
#define SERVGAP__METRIC_ALL 0xffffu

/* A group's key (scope, touchpoint, metric): measure's servgap__gkey. */
static inline uint64_t servgap__bkey(uint32_t scope, uint32_t tp, uint32_t metric)
{
    return (uint64_t)scope << 32 | (uint64_t)tp << 16 | metric;
}

/* The facet a row splits, as a series code: its team for delivered and
 * perceived rows, its driver for expected ones; 0 when none. */
static inline int servgap__obs_facet(const servgap__obs *obs, uint64_t *code)
{
    int vp = SERVGAP__BITS_VP(obs->bits), driver = SERVGAP__BITS_DRIVER(obs->bits);
    if (obs->team >= 0 && (vp == SERVGAP_VP_DELIVERED || vp == SERVGAP_VP_PERCEIVED))
        *code = SERVGAP__CODE_TEAM | (uint64_t)vp << 32 | (uint32_t)obs->team;
    else if (driver && vp == SERVGAP_VP_EXPECTED)
        *code = SERVGAP__CODE_DRIVER | (uint64_t)vp << 32 | (uint32_t)driver;
    else
        return 0;
    return 1;
}

static inline int servgap__code_vp(uint64_t code)
{
    return code < 8 ? (int)code : (int)(code >> 32 & 0xffu);
}

typedef struct servgap__bseries {
    uint64_t key;  /* servgap__gkey(scope, touchpoint, metric) */
    uint64_t code; /* as above */
} servgap__bseries;

typedef struct servgap__bday {
    uint32_t series; /* index in the series table */
    int32_t day;
    servgap__moments m;
} servgap__bday;

typedef struct servgap__bpair {
    uint64_t key; /* the group of the perceived rows */
    int32_t day;
    servgap__comoments pe, pa; /* (perceived, expected), (perceived, adequate) */
} servgap__bpair;

typedef struct servgap__bresp {
    uint64_t key; /* servgap__gkey(scope, touchpoint, 0xffff) */
    int32_t day;
    servgap__moments sqw;
    double points[5];
} servgap__bresp;

typedef struct servgap__buckets {
    servgap__bseries *series;
    size_t nseries, capseries;
    servgap__index seriesix;
    servgap__bday *days;
    size_t ndays, capdays;
    servgap__index daysix;
    servgap__bpair *pairs;
    size_t npairs, cappairs;
    servgap__index pairsix;
    servgap__bresp *resp;
    size_t nresp, capresp;
    servgap__index respix;
    /* The negative_share the negative counts were made with; NaN while
     * the tables are empty. */
    double negative_share;
    int64_t last_day; /* the latest day of any bucket; INT64_MIN while empty */
} servgap__buckets;

void servgap__buckets_init(servgap__buckets *b);
void servgap__buckets_free(servgap__buckets *b, const servgap__alloc *a);

/* 1 when the tables hold nothing. */
int servgap__buckets_empty(const servgap__buckets *b);

/* An entry's index, or -1. */
int64_t servgap__bseries_find(const servgap__buckets *b, uint64_t key, uint64_t code);
int64_t servgap__bday_find(const servgap__buckets *b, uint32_t series, int32_t day);
int64_t servgap__bpair_find(const servgap__buckets *b, uint64_t key, int32_t day);
int64_t servgap__bresp_find(const servgap__buckets *b, uint64_t key, int32_t day);

/* Room for that many more entries of each table: the adds below then
 * cannot fail. 0, or -1 when memory ran out (the entries are unchanged). */
int servgap__buckets_reserve(servgap__buckets *b, const servgap__alloc *a, size_t series,
                             size_t days, size_t pairs, size_t resp);

/* The series (key, code), appended when absent; room was reserved. */
uint32_t servgap__bseries_get(servgap__buckets *b, uint64_t key, uint64_t code);
/* Merge moments into the bucket (series, day), appending it when absent
 * (as a copy); room was reserved. The same for pairs and responses. */
void servgap__bday_merge(servgap__buckets *b, uint32_t series, int32_t day,
                         const servgap__moments *m);
void servgap__bpair_merge(servgap__buckets *b, uint64_t key, int32_t day,
                          const servgap__comoments *pe, const servgap__comoments *pa);
void servgap__bresp_merge(servgap__buckets *b, uint64_t key, int32_t day,
                          const servgap__moments *sqw, const double *points);

#endif
