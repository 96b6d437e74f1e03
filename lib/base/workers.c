/*
 * workers -- pthreads behind servgap__workers_run.
 */
#include "platform.h"

#include "workers.h"

#include <pthread.h>
#include <unistd.h>

size_t servgap__threads_of(int64_t option)
{
    if (option > 0)
        return option < SERVGAP__THREADS_MAX ? (size_t)option : SERVGAP__THREADS_MAX;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n < SERVGAP__THREADS_MAX ? (size_t)n : SERVGAP__THREADS_MAX;
}

typedef struct worker {
    servgap__task_fn fn;
    void *arg;
    size_t k;
    int rc;
} worker;

static void *worker_main(void *p)
{
    worker *w = p;
    w->rc = w->fn(w->arg, w->k);
    return NULL;
}

int servgap__workers_run(size_t n, servgap__task_fn fn, void *arg)
{
    worker w[SERVGAP__THREADS_MAX];
    pthread_t tid[SERVGAP__THREADS_MAX];
    unsigned char started[SERVGAP__THREADS_MAX];
    if (n > SERVGAP__THREADS_MAX)
        return -1;
    for (size_t k = 0; k < n; k++) {
        w[k] = (worker){fn, arg, k, 0};
        started[k] = k > 0 && pthread_create(&tid[k], NULL, worker_main, &w[k]) == 0;
    }
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            worker_main(&w[k]); /* task 0, or a thread the system refused */
        rc |= w[k].rc != 0;
    }
    return rc ? -1 : 0;
}
