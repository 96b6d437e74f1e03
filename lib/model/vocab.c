/*
 * vocab -- the static names of the model's enumerations (dimensions,
 * viewpoints, gaps, statuses, classes, spans, drivers, quadrants, trigger
 * kinds, outcomes, CSV tables), as the JSON report and the bindings spell
 * them.
 */
#include "../base/platform.h"

#include <stddef.h>

#include "servgap.h"

static const char *pick(const char *const *names, size_t n, int32_t i)
{
    return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

#define PICK(names, i) pick((names), sizeof(names) / sizeof *(names), i)

SERVGAP_API const char *servgap_dimension_name(int32_t dimension)
{
    static const char *const n[] = {"tangibles", "reliability", "responsiveness", "assurance",
                                    "empathy"};
    return PICK(n, dimension);
}

SERVGAP_API const char *servgap_viewpoint_name(int32_t viewpoint)
{
    static const char *const n[] = {"expected",  "adequate", "believed", "standard",
                                    "delivered", "promised", "perceived"};
    return PICK(n, viewpoint);
}

SERVGAP_API const char *servgap_gap_name(int32_t gap)
{
    static const char *const n[] = {"service",       "knowledge",  "standards", "delivery",
                                    "communication", "perception", "adequacy"};
    return PICK(n, gap);
}

SERVGAP_API const char *servgap_status_name(int32_t status)
{
    static const char *const n[] = {"met", "shortfall", "exceeds", "insufficient", "unresolved"};
    return PICK(n, status);
}

SERVGAP_API const char *servgap_class_name(int32_t classification)
{
    static const char *const n[] = {"none",     "knowledge",     "standards",
                                    "delivery", "communication", "perception",
                                    "span",     "insufficient",  "hidden_gap"};
    return PICK(n, classification);
}

SERVGAP_API const char *servgap_span_name(uint32_t span)
{
    switch (span) {
    case SERVGAP_LINK_KNOWLEDGE:
        return "knowledge";
    case SERVGAP_LINK_STANDARDS:
        return "standards";
    case SERVGAP_LINK_DELIVERY:
        return "delivery";
    case SERVGAP_LINK_PERCEPTION:
        return "perception";
    case SERVGAP_LINK_COMMUNICATION:
        return "communication";
    case 0x3u:
        return "knowledge+standards";
    case 0x6u:
        return "standards+delivery";
    case 0xcu:
        return "delivery+perception";
    case 0x7u:
        return "knowledge+standards+delivery";
    case 0xeu:
        return "standards+delivery+perception";
    case 0xfu:
        return "knowledge+standards+delivery+perception";
    default:
        return NULL;
    }
}

SERVGAP_API const char *servgap_driver_name(int32_t driver)
{
    static const char *const n[] = {"none", "word_of_mouth", "personal_needs", "past_experience",
                                    "external_communication"};
    return PICK(n, driver);
}

/* Names of values counted from 1; 0 has none. */
static const char *pick1(const char *const *names, size_t n, int32_t i)
{
    return i >= 1 ? pick(names, n, i - 1) : NULL;
}

#define PICK1(names, i) pick1((names), sizeof(names) / sizeof *(names), i)

SERVGAP_API const char *servgap_quadrant_name(int32_t quadrant)
{
    static const char *const n[] = {"quick_win", "major_project", "fill_in", "thankless"};
    return PICK1(n, quadrant);
}

SERVGAP_API const char *servgap_ipa_name(int32_t quadrant)
{
    static const char *const n[] = {"concentrate_here", "keep_up_the_good_work", "low_priority",
                                    "possible_overkill"};
    return PICK1(n, quadrant);
}

SERVGAP_API const char *servgap_trigger_name(int32_t kind)
{
    static const char *const n[] = {"renewal", "csat_spike", "migration", "hidden_gap",
                                    "quarterly_review"};
    return PICK1(n, kind);
}

SERVGAP_API const char *servgap_outcome_name(int32_t outcome)
{
    static const char *const n[] = {"none",      "closed",   "improved",
                                    "unchanged", "worsened", "unknown"};
    return PICK(n, outcome);
}

SERVGAP_API const char *servgap_csv_table_name(int32_t table)
{
    static const char *const n[] = {"observations", "metrics", "accounts",
                                    "importance",   "efforts", "plans"};
    return PICK1(n, table);
}
