/*
 * The outer project's program: open a handle, record a few observations,
 * query them and print the service gap, checking every call. Exits 0 only
 * when the library works as a subproject.
 */
#include <stdio.h>

#include "servgap.h"

#define CHECK(call)                                                                                \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != SERVGAP_OK) {                                                                   \
            fprintf(stderr, "%s: %s: %s\n", #call, servgap_strerror(rc_),                          \
                    ctx ? servgap_errmsg(ctx) : "");                                               \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

int main(void)
{
    servgap_ctx *ctx = NULL;
    servgap_result *res = NULL;
    int32_t acme, email;
    size_t i;
    const int64_t t = 1767225600; /* 2026-01-01 */

    CHECK(servgap_ctx_new(&ctx, NULL));
    CHECK(servgap_account_define(ctx, "acme", "enterprise", 250000, &acme));
    CHECK(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email));
    for (int k = 0; k < 6; k++) {
        CHECK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY,
                             SERVGAP_VP_EXPECTED, 7, t + k * SERVGAP_DAY, SERVGAP_NONE,
                             SERVGAP_DRIVER_NONE));
        CHECK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY,
                             SERVGAP_VP_PERCEIVED, 4 + k % 3, t + k * SERVGAP_DAY, SERVGAP_NONE,
                             SERVGAP_DRIVER_NONE));
    }
    CHECK(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &res));
    CHECK(servgap_result_find(res, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY, 0,
                              &i));
    servgap_gap g = {.size = sizeof g};
    CHECK(servgap_result_gap(res, i, SERVGAP_GAP_SERVICE, &g));
    printf("libservgap %s as a subproject: P-E = %+.2f [%+.2f, %+.2f] %s\n",
           servgap_version_string(), g.value, g.lo, g.hi, servgap_status_name(g.status));
    servgap_result_free(res);
    servgap_ctx_free(ctx);
    return g.value < 0 ? 0 : 1; /* perceived 5 on average against 7 expected */
}
