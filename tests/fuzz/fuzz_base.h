/*
 * fuzz_base -- the fixed data set the loader targets (fuzz_snapshot,
 * fuzz_summary) load their input into besides a new handle, so that every
 * load is also a merge: names the seeds share, an account in each tier
 * and one without, a withdrawal, a respondent with importance points, an
 * effort and a plan with a baseline window. Built once per process from
 * the CSV tables of docs/formats.md and kept as its snapshot.
 */
#ifndef SERVGAP_FUZZ_BASE_H
#define SERVGAP_FUZZ_BASE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_checks.h"

static const char base_metrics[] = "metric,dimension,direction,min,max,span,unit\n"
                                   "frt,responsiveness,lower,0,,24,h\n";
static const char base_accounts[] = "account,tier,value,health,at_risk,renewal,churned\n"
                                    "acme,enterprise,1000,40,yes,2026-03-01,no\n"
                                    "globex,smb,10,,no,,yes\n"
                                    "zed,,0,,,,\n";
static const char base_observations[] =
    "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n"
    "2026-01-01,,enterprise,chat,frt,standard,4,,,\n"
    "2026-01-20,,enterprise,chat,frt,standard,withdrawn,,,\n"
    "2026-01-05,acme,enterprise,chat,frt,delivered,6.5,squad,,\n"
    "2026-01-06,globex,smb,email,reliability,perceived,3,,word_of_mouth,\n"
    "2026-01-07,acme,,email,reliability,expected,6,,,R1\n"
    "2026-01-07,acme,,email,reliability,perceived,4,,,R1\n"
    "2026-01-07,acme,,email,tangibles,importance,20,,,R1\n"
    "2026-01-07,acme,,email,reliability,importance,40,,,R1\n"
    "2026-01-07,acme,,email,responsiveness,importance,20,,,R1\n"
    "2026-01-07,acme,,email,assurance,importance,10,,,R1\n"
    "2026-01-07,acme,,email,empathy,importance,10,,,R1\n";
static const char base_efforts[] = "gap,touchpoint,metric,effort\n"
                                   "delivery,chat,frt,2.5\n";

static void base_import(servgap_ctx *ctx, int32_t table, const char *csv)
{
    FUZZ_CHECK(servgap_import_csv_buffer(ctx, table, "base.csv", csv, strlen(csv), 0, NULL) ==
               SERVGAP_OK);
}

static servgap_ctx *base_build(void)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    base_import(ctx, SERVGAP_CSV_METRICS, base_metrics);
    base_import(ctx, SERVGAP_CSV_ACCOUNTS, base_accounts);
    base_import(ctx, SERVGAP_CSV_OBSERVATIONS, base_observations);
    base_import(ctx, SERVGAP_CSV_EFFORTS, base_efforts);
    int32_t acme = -1, email = -1, id = -1;
    FUZZ_CHECK(servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, "acme", &acme) == SERVGAP_OK);
    FUZZ_CHECK(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email) == SERVGAP_OK);
    servgap_plan plan = {.size = sizeof plan,
                         .owner = "ops",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = acme,
                         .touchpoint = email,
                         .metric = SERVGAP_DIM_RELIABILITY,
                         .gap = SERVGAP_GAP_SERVICE,
                         .deadline = 1775001600,
                         .target = -0.5,
                         .baseline_from = 1767225600,
                         .baseline_to = 1769904000};
    FUZZ_CHECK(servgap_plan_add(ctx, &plan, &id) == SERVGAP_OK);
    return ctx;
}

/* The data set's snapshot, made once. */
static const fuzz_bytes *base(void)
{
    static fuzz_bytes b;
    if (!b.p) {
        servgap_ctx *ctx = base_build();
        b = fuzz_state(ctx);
        servgap_ctx_free(ctx);
    }
    return &b;
}

static servgap_ctx *base_handle(void)
{
    servgap_ctx *ctx = NULL;
    FUZZ_CHECK(servgap_ctx_new(&ctx, NULL) == SERVGAP_OK);
    FUZZ_CHECK(servgap_snapshot_load_buffer(ctx, base()->p, base()->n) == SERVGAP_OK);
    return ctx;
}

#endif /* SERVGAP_FUZZ_BASE_H */
