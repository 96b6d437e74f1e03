/* priorities -- placeholder until implemented. */
#define _POSIX_C_SOURCE 200809L
#include "analysis.h"
int servgap__priorities_build(const servgap_ctx *ctx, const servgap__options *opt,
                              servgap_result *r)
{
    (void)ctx;
    (void)opt;
    (void)r;
    return 0;
}
