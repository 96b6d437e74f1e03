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

/* At risk by flag, or by a known health below the threshold. */
int servgap__account_at_risk(const servgap__account *acc, double health_threshold);

#endif
