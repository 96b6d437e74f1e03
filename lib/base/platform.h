/*
 * platform -- the feature-test macros of the whole library, in one place.
 * Every lib/ source includes this file first, before any system header,
 * because a feature-test macro only works when it precedes them all
 * (scripts/check-layers checks the order).
 *
 * _POSIX_C_SOURCE: pthread read-write locks, strnlen, fsync and the other
 * POSIX calls the library makes are hidden by -std=c11 without it.
 * _DEFAULT_SOURCE: madvise and MADV_HUGEPAGE (alloc.c), which are not
 * POSIX; where the C library lacks them the library does without.
 */
#ifndef SERVGAP_PLATFORM_H
#define SERVGAP_PLATFORM_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#endif
