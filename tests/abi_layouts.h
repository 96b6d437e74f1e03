/*
 * abi_layouts -- the sized record structs as libservgap 1.0.0 published
 * them (include/servgap.h at the commit "Version 1.0.0"), copied under
 * names of their own. 1.1.0 appended no field, so they are the 1.1
 * layouts too. A program built against an older header passes exactly
 * these layouts, with size = sizeof of them, so the ABI suites call the
 * library through them. Array lengths are the 1.0 values of
 * SERVGAP_VP_COUNT (7) and SERVGAP_DIM_COUNT (5), written out because the
 * copies must not follow the current header.
 *
 * The compile-time checks below say that each copy is a prefix of the
 * header the including file is built against: every 1.0 field at the same
 * offset with the same size. A header that moved, retyped or dropped a
 * published field fails to compile them.
 */
#ifndef SERVGAP_TEST_ABI_LAYOUTS_H
#define SERVGAP_TEST_ABI_LAYOUTS_H

#include <stddef.h>
#include <stdint.h>

#include "servgap.h"

typedef struct old_allocator_1_0 {
    size_t size;
    void *(*malloc_fn)(void *user, size_t n);
    void *(*realloc_fn)(void *user, void *p, size_t n);
    void (*free_fn)(void *user, void *p);
    void *user;
} old_allocator_1_0;

typedef struct old_metric_1_0 {
    size_t size;
    const char *name;
    const char *unit;
    int32_t dimension;
    int32_t direction;
    double min, max, span;
} old_metric_1_0;

typedef struct old_account_1_0 {
    size_t size;
    const char *name;
    int32_t tier;
    int32_t at_risk;
    int32_t churned;
    int32_t reserved;
    double value;
    double health;
    int64_t renewal;
    int64_t migration;
} old_account_1_0;

typedef struct old_plan_1_0 {
    size_t size;
    const char *owner;
    int32_t scope_kind, scope_id, touchpoint, metric, dimension, gap;
    int64_t deadline;
    double target;
    int32_t last_outcome;
    int32_t reserved;
    int64_t next_check;
} old_plan_1_0;

typedef struct old_remeasure_1_0 {
    size_t size;
    int32_t outcome;
    int32_t reserved;
    double baseline, followup;
    double change;
    double lo, hi;
    int64_t next_check;
} old_remeasure_1_0;

typedef struct old_cell_1_0 {
    size_t size;
    int32_t scope_kind;
    int32_t scope_id;
    int32_t touchpoint;
    int32_t metric;
    int32_t dimension;
    int32_t classification;
    uint32_t class_span;
    uint32_t reserved;
    double class_normalized;
    double span;
    int64_t n[7];
    double mean[7];
    double sd[7];
    int64_t negative[7];
    uint32_t source[7];
    uint32_t reserved2;
    int64_t pairs;
    double pe_correlation;
} old_cell_1_0;

typedef struct old_gap_1_0 {
    size_t size;
    int32_t gap;
    int32_t status;
    uint32_t span;
    uint32_t flags;
    double value;
    double normalized;
    double lo, hi;
    double df;
    int64_t n_up, n_down;
} old_gap_1_0;

typedef struct old_servqual_1_0 {
    size_t size;
    int32_t scope_kind, scope_id, touchpoint;
    int32_t most_underweighted;
    double dimension_gap[5];
    double weight[5];
    double believed_weight[5];
    double unweighted;
    double item_mean;
    double weighted;
    double weighted_lo, weighted_hi;
    double servperf;
    double importance_gap;
    int64_t respondents;
    int32_t weight_source;
    int32_t reserved;
} old_servqual_1_0;

typedef struct old_breakdown_1_0 {
    size_t size;
    int32_t facet;
    int32_t facet_id;
    int32_t viewpoint;
    int32_t gap;
    int32_t status;
    uint32_t flags;
    uint64_t cell;
    int64_t n;
    double mean;
    double value, normalized, lo, hi, df;
} old_breakdown_1_0;

typedef struct old_finding_1_0 {
    size_t size;
    int32_t rank;
    int32_t scope_kind, scope_id, touchpoint, metric, dimension;
    int32_t gap;
    int32_t quadrant;
    uint32_t flags;
    int32_t windows;
    uint64_t cell;
    double value, normalized;
    double size_term;
    double value_share;
    double frequency;
    double affected_value;
    int64_t affected_accounts;
    double impact;
    double effort;
    double priority;
} old_finding_1_0;

typedef struct old_ipa_1_0 {
    size_t size;
    int32_t scope_kind, scope_id, touchpoint, dimension;
    int32_t quadrant;
    int32_t reserved;
    double importance;
    double performance;
    double importance_cross, performance_cross;
} old_ipa_1_0;

typedef struct old_trigger_1_0 {
    size_t size;
    int32_t account;
    int32_t kind;
    int64_t date;
    int64_t count;
    double before, after;
    double statistic;
    double lo, hi;
    int64_t n_before, n_after;
    const char *detail;
} old_trigger_1_0;

typedef struct old_risk_1_0 {
    size_t size;
    int32_t account;
    int32_t windows;
    int32_t with_shortfall;
    int32_t churned;
    double risk;
    double value;
    int64_t findings;
    double worst_normalized;
} old_risk_1_0;

typedef struct old_import_report_1_0 {
    size_t size;
    uint64_t rows;
    uint64_t applied;
    uint64_t skipped;
    uint64_t observations;
    uint32_t unknown_columns;
    uint32_t reserved;
    char unknown[256];
    char skips[1024];
} old_import_report_1_0;

/* Field f of the old layout sits where the current header has it. */
#define SAME_FIELD(old, cur, f)                                                                    \
    _Static_assert(offsetof(old, f) == offsetof(cur, f) &&                                         \
                       sizeof(((old *)0)->f) == sizeof(((cur *)0)->f),                             \
                   #cur "." #f " is not where 1.0 put it")

SAME_FIELD(old_allocator_1_0, servgap_allocator, size);
SAME_FIELD(old_allocator_1_0, servgap_allocator, malloc_fn);
SAME_FIELD(old_allocator_1_0, servgap_allocator, realloc_fn);
SAME_FIELD(old_allocator_1_0, servgap_allocator, free_fn);
SAME_FIELD(old_allocator_1_0, servgap_allocator, user);

SAME_FIELD(old_metric_1_0, servgap_metric, size);
SAME_FIELD(old_metric_1_0, servgap_metric, name);
SAME_FIELD(old_metric_1_0, servgap_metric, unit);
SAME_FIELD(old_metric_1_0, servgap_metric, dimension);
SAME_FIELD(old_metric_1_0, servgap_metric, direction);
SAME_FIELD(old_metric_1_0, servgap_metric, min);
SAME_FIELD(old_metric_1_0, servgap_metric, max);
SAME_FIELD(old_metric_1_0, servgap_metric, span);

SAME_FIELD(old_account_1_0, servgap_account, size);
SAME_FIELD(old_account_1_0, servgap_account, name);
SAME_FIELD(old_account_1_0, servgap_account, tier);
SAME_FIELD(old_account_1_0, servgap_account, at_risk);
SAME_FIELD(old_account_1_0, servgap_account, churned);
SAME_FIELD(old_account_1_0, servgap_account, reserved);
SAME_FIELD(old_account_1_0, servgap_account, value);
SAME_FIELD(old_account_1_0, servgap_account, health);
SAME_FIELD(old_account_1_0, servgap_account, renewal);
SAME_FIELD(old_account_1_0, servgap_account, migration);

SAME_FIELD(old_plan_1_0, servgap_plan, size);
SAME_FIELD(old_plan_1_0, servgap_plan, owner);
SAME_FIELD(old_plan_1_0, servgap_plan, scope_kind);
SAME_FIELD(old_plan_1_0, servgap_plan, scope_id);
SAME_FIELD(old_plan_1_0, servgap_plan, touchpoint);
SAME_FIELD(old_plan_1_0, servgap_plan, metric);
SAME_FIELD(old_plan_1_0, servgap_plan, dimension);
SAME_FIELD(old_plan_1_0, servgap_plan, gap);
SAME_FIELD(old_plan_1_0, servgap_plan, deadline);
SAME_FIELD(old_plan_1_0, servgap_plan, target);
SAME_FIELD(old_plan_1_0, servgap_plan, last_outcome);
SAME_FIELD(old_plan_1_0, servgap_plan, reserved);
SAME_FIELD(old_plan_1_0, servgap_plan, next_check);

SAME_FIELD(old_remeasure_1_0, servgap_remeasure, size);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, outcome);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, reserved);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, baseline);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, followup);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, change);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, lo);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, hi);
SAME_FIELD(old_remeasure_1_0, servgap_remeasure, next_check);

SAME_FIELD(old_cell_1_0, servgap_cell, size);
SAME_FIELD(old_cell_1_0, servgap_cell, scope_kind);
SAME_FIELD(old_cell_1_0, servgap_cell, scope_id);
SAME_FIELD(old_cell_1_0, servgap_cell, touchpoint);
SAME_FIELD(old_cell_1_0, servgap_cell, metric);
SAME_FIELD(old_cell_1_0, servgap_cell, dimension);
SAME_FIELD(old_cell_1_0, servgap_cell, classification);
SAME_FIELD(old_cell_1_0, servgap_cell, class_span);
SAME_FIELD(old_cell_1_0, servgap_cell, reserved);
SAME_FIELD(old_cell_1_0, servgap_cell, class_normalized);
SAME_FIELD(old_cell_1_0, servgap_cell, span);
SAME_FIELD(old_cell_1_0, servgap_cell, n);
SAME_FIELD(old_cell_1_0, servgap_cell, mean);
SAME_FIELD(old_cell_1_0, servgap_cell, sd);
SAME_FIELD(old_cell_1_0, servgap_cell, negative);
SAME_FIELD(old_cell_1_0, servgap_cell, source);
SAME_FIELD(old_cell_1_0, servgap_cell, reserved2);
SAME_FIELD(old_cell_1_0, servgap_cell, pairs);
SAME_FIELD(old_cell_1_0, servgap_cell, pe_correlation);

SAME_FIELD(old_gap_1_0, servgap_gap, size);
SAME_FIELD(old_gap_1_0, servgap_gap, gap);
SAME_FIELD(old_gap_1_0, servgap_gap, status);
SAME_FIELD(old_gap_1_0, servgap_gap, span);
SAME_FIELD(old_gap_1_0, servgap_gap, flags);
SAME_FIELD(old_gap_1_0, servgap_gap, value);
SAME_FIELD(old_gap_1_0, servgap_gap, normalized);
SAME_FIELD(old_gap_1_0, servgap_gap, lo);
SAME_FIELD(old_gap_1_0, servgap_gap, hi);
SAME_FIELD(old_gap_1_0, servgap_gap, df);
SAME_FIELD(old_gap_1_0, servgap_gap, n_up);
SAME_FIELD(old_gap_1_0, servgap_gap, n_down);

SAME_FIELD(old_servqual_1_0, servgap_servqual, size);
SAME_FIELD(old_servqual_1_0, servgap_servqual, scope_kind);
SAME_FIELD(old_servqual_1_0, servgap_servqual, scope_id);
SAME_FIELD(old_servqual_1_0, servgap_servqual, touchpoint);
SAME_FIELD(old_servqual_1_0, servgap_servqual, most_underweighted);
SAME_FIELD(old_servqual_1_0, servgap_servqual, dimension_gap);
SAME_FIELD(old_servqual_1_0, servgap_servqual, weight);
SAME_FIELD(old_servqual_1_0, servgap_servqual, believed_weight);
SAME_FIELD(old_servqual_1_0, servgap_servqual, unweighted);
SAME_FIELD(old_servqual_1_0, servgap_servqual, item_mean);
SAME_FIELD(old_servqual_1_0, servgap_servqual, weighted);
SAME_FIELD(old_servqual_1_0, servgap_servqual, weighted_lo);
SAME_FIELD(old_servqual_1_0, servgap_servqual, weighted_hi);
SAME_FIELD(old_servqual_1_0, servgap_servqual, servperf);
SAME_FIELD(old_servqual_1_0, servgap_servqual, importance_gap);
SAME_FIELD(old_servqual_1_0, servgap_servqual, respondents);
SAME_FIELD(old_servqual_1_0, servgap_servqual, weight_source);
SAME_FIELD(old_servqual_1_0, servgap_servqual, reserved);

SAME_FIELD(old_breakdown_1_0, servgap_breakdown, size);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, facet);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, facet_id);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, viewpoint);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, gap);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, status);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, flags);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, cell);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, n);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, mean);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, value);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, normalized);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, lo);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, hi);
SAME_FIELD(old_breakdown_1_0, servgap_breakdown, df);

SAME_FIELD(old_finding_1_0, servgap_finding, size);
SAME_FIELD(old_finding_1_0, servgap_finding, rank);
SAME_FIELD(old_finding_1_0, servgap_finding, scope_kind);
SAME_FIELD(old_finding_1_0, servgap_finding, scope_id);
SAME_FIELD(old_finding_1_0, servgap_finding, touchpoint);
SAME_FIELD(old_finding_1_0, servgap_finding, metric);
SAME_FIELD(old_finding_1_0, servgap_finding, dimension);
SAME_FIELD(old_finding_1_0, servgap_finding, gap);
SAME_FIELD(old_finding_1_0, servgap_finding, quadrant);
SAME_FIELD(old_finding_1_0, servgap_finding, flags);
SAME_FIELD(old_finding_1_0, servgap_finding, windows);
SAME_FIELD(old_finding_1_0, servgap_finding, cell);
SAME_FIELD(old_finding_1_0, servgap_finding, value);
SAME_FIELD(old_finding_1_0, servgap_finding, normalized);
SAME_FIELD(old_finding_1_0, servgap_finding, size_term);
SAME_FIELD(old_finding_1_0, servgap_finding, value_share);
SAME_FIELD(old_finding_1_0, servgap_finding, frequency);
SAME_FIELD(old_finding_1_0, servgap_finding, affected_value);
SAME_FIELD(old_finding_1_0, servgap_finding, affected_accounts);
SAME_FIELD(old_finding_1_0, servgap_finding, impact);
SAME_FIELD(old_finding_1_0, servgap_finding, effort);
SAME_FIELD(old_finding_1_0, servgap_finding, priority);

SAME_FIELD(old_ipa_1_0, servgap_ipa, size);
SAME_FIELD(old_ipa_1_0, servgap_ipa, scope_kind);
SAME_FIELD(old_ipa_1_0, servgap_ipa, scope_id);
SAME_FIELD(old_ipa_1_0, servgap_ipa, touchpoint);
SAME_FIELD(old_ipa_1_0, servgap_ipa, dimension);
SAME_FIELD(old_ipa_1_0, servgap_ipa, quadrant);
SAME_FIELD(old_ipa_1_0, servgap_ipa, reserved);
SAME_FIELD(old_ipa_1_0, servgap_ipa, importance);
SAME_FIELD(old_ipa_1_0, servgap_ipa, performance);
SAME_FIELD(old_ipa_1_0, servgap_ipa, importance_cross);
SAME_FIELD(old_ipa_1_0, servgap_ipa, performance_cross);

SAME_FIELD(old_trigger_1_0, servgap_trigger, size);
SAME_FIELD(old_trigger_1_0, servgap_trigger, account);
SAME_FIELD(old_trigger_1_0, servgap_trigger, kind);
SAME_FIELD(old_trigger_1_0, servgap_trigger, date);
SAME_FIELD(old_trigger_1_0, servgap_trigger, count);
SAME_FIELD(old_trigger_1_0, servgap_trigger, before);
SAME_FIELD(old_trigger_1_0, servgap_trigger, after);
SAME_FIELD(old_trigger_1_0, servgap_trigger, statistic);
SAME_FIELD(old_trigger_1_0, servgap_trigger, lo);
SAME_FIELD(old_trigger_1_0, servgap_trigger, hi);
SAME_FIELD(old_trigger_1_0, servgap_trigger, n_before);
SAME_FIELD(old_trigger_1_0, servgap_trigger, n_after);
SAME_FIELD(old_trigger_1_0, servgap_trigger, detail);

SAME_FIELD(old_risk_1_0, servgap_risk, size);
SAME_FIELD(old_risk_1_0, servgap_risk, account);
SAME_FIELD(old_risk_1_0, servgap_risk, windows);
SAME_FIELD(old_risk_1_0, servgap_risk, with_shortfall);
SAME_FIELD(old_risk_1_0, servgap_risk, churned);
SAME_FIELD(old_risk_1_0, servgap_risk, risk);
SAME_FIELD(old_risk_1_0, servgap_risk, value);
SAME_FIELD(old_risk_1_0, servgap_risk, findings);
SAME_FIELD(old_risk_1_0, servgap_risk, worst_normalized);

SAME_FIELD(old_import_report_1_0, servgap_import_report, size);
SAME_FIELD(old_import_report_1_0, servgap_import_report, rows);
SAME_FIELD(old_import_report_1_0, servgap_import_report, applied);
SAME_FIELD(old_import_report_1_0, servgap_import_report, skipped);
SAME_FIELD(old_import_report_1_0, servgap_import_report, observations);
SAME_FIELD(old_import_report_1_0, servgap_import_report, unknown_columns);
SAME_FIELD(old_import_report_1_0, servgap_import_report, reserved);
SAME_FIELD(old_import_report_1_0, servgap_import_report, unknown);
SAME_FIELD(old_import_report_1_0, servgap_import_report, skips);

#endif
