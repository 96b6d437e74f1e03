/*
 * accounts -- the registry of accounts: tier, value, health, flags and
 * dates. Relies on names and alloc; validation is the caller's.
 */
#ifndef SERVGAP_ACCOUNTS_H
#define SERVGAP_ACCOUNTS_H

#include "../base/names.h"

typedef struct servgap__account {
    int32_t tier; /* -1: none */
    int32_t at_risk, churned;
    double value, health;
    int64_t renewal, migration;
} servgap__account;

typedef struct servgap__accounts {
    servgap__names names;
    servgap__account *a;
    size_t cap;
} servgap__accounts;

void servgap__accounts_init(servgap__accounts *r);
void servgap__accounts_free(servgap__accounts *r, const servgap__alloc *a);
/* Append a new account with no health, flags or dates. -1 on failure. */
int servgap__accounts_add(servgap__accounts *r, const servgap__alloc *a, const char *name,
                          int32_t tier, double value, int32_t *id);
void servgap__accounts_truncate(servgap__accounts *r, const servgap__alloc *a, size_t count);

/* The one rule of an account's tier, which every path that names a tier
 * for an account follows: servgap_account_define, the accounts and
 * observations tables, merge and so snapshot loading (docs/formats.md, "An
 * account's tier"). The first tier named for an account is its tier for
 * good. Naming no tier (-1) says nothing, and naming its tier again changes
 * nothing, so the outcome does not depend on the order of rows, files or
 * handles. Naming another tier is a conflict: a tier cell pools all of an
 * account's observations, of every window, so a move would rewrite the
 * tier's history. Returns the tier the account has after tier named was
 * named for an account in tier have, or SERVGAP__TIER_CONFLICT. */
#define SERVGAP__TIER_CONFLICT (-2)
static inline int32_t servgap__account_tier(int32_t have, int32_t named)
{
    if (named < 0 || named == have)
        return have;
    return have < 0 ? named : SERVGAP__TIER_CONFLICT;
}

/* At risk by flag, or by a known health below the threshold. */
int servgap__account_at_risk(const servgap__account *acc, double health_threshold);

#endif
