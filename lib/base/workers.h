/*
 * workers -- run n tasks on n threads (the calling thread runs task 0) and
 * join them: the library's only use of threads for work. No pool and no
 * global state: threads live for one call, which costs tens of
 * microseconds, far below the work worth splitting. Relies on nothing.
 */
#ifndef SERVGAP_WORKERS_H
#define SERVGAP_WORKERS_H

#include <stddef.h>
#include <stdint.h>

/* The most threads one call uses (SERVGAP_OPT_THREADS' upper bound). */
#define SERVGAP__THREADS_MAX 256

/* One task: 0, or nonzero on failure. Tasks of one call must write
 * disjoint memory; arg is shared. */
typedef int (*servgap__task_fn)(void *arg, size_t k);

/* The thread count an option value asks for: 0 means the cores online
 * (at least 1), anything else itself, at most SERVGAP__THREADS_MAX. */
size_t servgap__threads_of(int64_t option);

/* Run fn(arg, k) for every k in [0, n), n <= SERVGAP__THREADS_MAX, each on
 * its own thread, and wait for all. A thread that cannot be started runs
 * its task on the calling thread after task 0, so the tasks' outputs do
 * not depend on it. 0 when every task returned 0, else -1 (every task has
 * still finished). */
int servgap__workers_run(size_t n, servgap__task_fn fn, void *arg);

#endif
