/*
 * sized -- the sized record structs (first member size_t size) across 1.x:
 * the first published size of each, and the one copy out of and the one
 * copy into a caller's struct, so that a program built against any 1.x
 * header works with this library (docs/abi.md). Relies on servgap.h only.
 */
#ifndef SERVGAP_SIZED_H
#define SERVGAP_SIZED_H

#include <stddef.h>

#include "servgap.h"

/* A struct's first published size is where its last field of that version
 * ends. It is computed from the current header rather than written as
 * numbers because the numbers differ between ABIs (pointers and size_t are
 * 4 bytes on 32-bit hosts), while a published field never moves, so its
 * offsetof is the same in every later header. It ends at the field, not at
 * sizeof of the old struct: tail padding, where a platform has any, holds
 * no field, so a size that stops before it still carries every field. On
 * LP64 hosts none of these structs has tail padding, and each value equals
 * sizeof of the 1.0 struct. */
#define SERVGAP__SIZE_THROUGH(type, last) (offsetof(type, last) + sizeof(((type *)0)->last))

/* Every sized struct but servgap_trend and servgap_plan_status was
 * published in 1.0.0; 1.1.0 appended no field and 1.2.0 appended to
 * servgap_cell, servgap_finding and servgap_plan only, after their 1.0
 * floors. A struct
 * added in a later version is listed with that version's name. */
#define SERVGAP__SIZE_1_0_ALLOCATOR     SERVGAP__SIZE_THROUGH(servgap_allocator, user)
#define SERVGAP__SIZE_1_0_METRIC        SERVGAP__SIZE_THROUGH(servgap_metric, span)
#define SERVGAP__SIZE_1_0_ACCOUNT       SERVGAP__SIZE_THROUGH(servgap_account, migration)
#define SERVGAP__SIZE_1_0_PLAN          SERVGAP__SIZE_THROUGH(servgap_plan, next_check)
#define SERVGAP__SIZE_1_0_REMEASURE     SERVGAP__SIZE_THROUGH(servgap_remeasure, next_check)
#define SERVGAP__SIZE_1_0_CELL          SERVGAP__SIZE_THROUGH(servgap_cell, pe_correlation)
#define SERVGAP__SIZE_1_0_GAP           SERVGAP__SIZE_THROUGH(servgap_gap, n_down)
#define SERVGAP__SIZE_1_0_SERVQUAL      SERVGAP__SIZE_THROUGH(servgap_servqual, reserved)
#define SERVGAP__SIZE_1_0_BREAKDOWN     SERVGAP__SIZE_THROUGH(servgap_breakdown, df)
#define SERVGAP__SIZE_1_0_FINDING       SERVGAP__SIZE_THROUGH(servgap_finding, priority)
#define SERVGAP__SIZE_1_0_IPA           SERVGAP__SIZE_THROUGH(servgap_ipa, performance_cross)
#define SERVGAP__SIZE_1_0_TRIGGER       SERVGAP__SIZE_THROUGH(servgap_trigger, detail)
#define SERVGAP__SIZE_1_0_RISK          SERVGAP__SIZE_THROUGH(servgap_risk, worst_normalized)
#define SERVGAP__SIZE_1_0_IMPORT_REPORT SERVGAP__SIZE_THROUGH(servgap_import_report, skips)
#define SERVGAP__SIZE_1_2_TREND         SERVGAP__SIZE_THROUGH(servgap_trend, n_down)
#define SERVGAP__SIZE_1_2_PLAN_STATUS   SERVGAP__SIZE_THROUGH(servgap_plan_status, finding)

/* Nonzero when the caller's struct s is there and its size member covers
 * first_size, its first published size. Functions on a handle ask this
 * first, so that they fail with a message before changing anything. */
int servgap__sized_ok(const void *s, size_t first_size);

/* Copy full, a complete struct of this build's layout (full_size bytes),
 * into the caller's out: the bytes after the size member up to the smaller
 * of full_size and out's size. Nothing past that is touched, so an older
 * caller gets exactly its own fields, and a newer caller's fields beyond
 * this library's layout keep what they held. out's size member stays as
 * the caller set it. SERVGAP_EMISUSE, with nothing written, unless
 * servgap__sized_ok(out, first_size). */
int servgap__sized_out(void *out, const void *full, size_t full_size, size_t first_size);

/* Copy the caller's in over full, a complete struct of this build's layout
 * (full_size bytes) that holds the defaults: the bytes after the size
 * member up to the smaller of full_size and in's size. Fields an older
 * caller's layout lacks keep their defaults; a newer caller's extra fields
 * are not read. full's size member is kept. SERVGAP_EMISUSE, with full
 * unchanged, unless servgap__sized_ok(in, first_size). */
int servgap__sized_in(void *full, const void *in, size_t full_size, size_t first_size);

#endif
