/*
 * declared -- what the declarations (standard and promised rows) of the log
 * say over one window. An SLA or a promise is declared for a key (scope,
 * touchpoint, metric) and stays in force from its day until a later
 * declaration of the same key and viewpoint replaces it, or a withdrawal
 * ends it; the declarations of one day form one set. A window's side is
 * the set in force during it, or, where a set was replaced inside the
 * window, the mean over the window's days on which one is in force of the
 * value then in force (docs/concepts.md, section 13). Relies on reads,
 * groups and the store.
 */
#ifndef SERVGAP_DECLARED_H
#define SERVGAP_DECLARED_H

#include "groups.h"
#include "reads.h"

/* One key and viewpoint's side over the window. */
typedef struct servgap__declared {
    uint64_t key; /* servgap__gkey */
    int vp;       /* SERVGAP_VP_STANDARD or _PROMISED */
    servgap__moments m;
    int32_t first_day; /* day of the earliest declaration in force in the window */
    int32_t last_day;  /* day of the latest one: in force at the window's end */
    int changed;       /* replaced or withdrawn inside the window */
} servgap__declared;

/* The sides of a window, sorted by key then viewpoint. */
typedef struct servgap__declset {
    const servgap__alloc *a;
    servgap__declared *d;
    size_t n;
} servgap__declset;

/* Resolve the declarations of rd's window into out (empty on entry).
 * cut[metric] is the oriented negative-response threshold. The caller
 * holds the read lock. 0, or -1 when memory ran out (out is then safe to
 * free). */
int servgap__declared_window(const servgap_ctx *ctx, const servgap__reads *rd, const double *cut,
                             servgap__declset *out);
void servgap__declset_free(servgap__declset *s);

/* Where a side's declaration days live in a group (groups.h): index + 1
 * of its entry in the aggregate's declaration table, 0 for none. One entry
 * holds both declared viewpoints; pooled and rolled-up groups get the
 * earliest first day, the latest last day and any change of their
 * members. */
typedef struct servgap__decldays {
    int32_t first_day[2], last_day[2]; /* [0] standard, [1] promised */
    uint8_t changed[2];
} servgap__decldays;

static inline int servgap__decl_slot(int vp)
{
    return vp == SERVGAP_VP_PROMISED;
}

/* An entry with nothing in force yet. */
void servgap__decldays_init(servgap__decldays *d);

/* Fold src's days into dst, as pooling does. */
void servgap__decldays_merge(servgap__decldays *dst, const servgap__decldays *src);

#endif
