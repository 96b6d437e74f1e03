/*
 * reads -- the look-back of a window's survey viewpoints.
 */
#include "../base/platform.h"

#include "reads.h"

void servgap__reads_of(const servgap_ctx *ctx, const servgap__options *opt, int64_t from_day,
                       int64_t to_day, servgap__reads *out)
{
    out->from_day = from_day;
    out->to_day = to_day;
    out->declarations_in_window = opt->declarations == SERVGAP_DECLARE_IN_WINDOW;
    out->end_day = to_day;
    if (to_day == INT64_MAX) {
        int64_t last = servgap__last_day(ctx);
        out->end_day = last == INT64_MIN ? 0 : last + 1;
    }
    /* Days are 32-bit in the log, so end_day - L cannot overflow. */
    int64_t lookback = out->end_day - opt->lookback_days;
    out->survey_from_day = from_day < lookback ? from_day : lookback;
}
