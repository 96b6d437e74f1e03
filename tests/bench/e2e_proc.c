/*
 * e2e_proc -- child processes of the end-to-end benchmark (servgap-report
 * and the sqlite3 shell), timed from fork to exit, with their CPU time
 * and peak memory; the in-process sides run in a forked child for theirs.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"
#include "e2e.h"

static double tv_seconds(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec * 1e-6;
}

double e2e_cpu_self(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return tv_seconds(r.ru_utime) + tv_seconds(r.ru_stime);
}

/* In the child: stdin and stdout, then exec; never returns. */
static void child(char *const argv[], const char *in_path, const char *out_path)
{
    int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
    int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) {
        perror("bench_e2e: child");
        _exit(127);
    }
    close(in);
    close(out);
    execvp(argv[0], argv);
    perror(argv[0]);
    _exit(127);
}

int e2e_spawn(char *const argv[], const char *in_path, const char *out_path, double *wall,
              double *cpu, uint64_t *peak_kb)
{
    fflush(NULL);
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_e2e: fork");
        return -1;
    }
    if (pid == 0)
        child(argv, in_path, out_path);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *wall = bench_now() - t0;
    *cpu = tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime);
    *peak_kb = (uint64_t)ru.ru_maxrss; /* Linux: kilobytes */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* In the child: run fn, send *t up the pipe, exit with fn's status. */
static void run_child(int fd, int (*fn)(const void *, e2e_times *), const void *arg, e2e_times *t)
{
    int rc = fn(arg, t);
    int sent = write(fd, t, sizeof *t) == (ssize_t)sizeof *t;
    fflush(NULL);
    _exit(rc == 0 && sent ? 0 : 1);
}

int e2e_in_child(int (*fn)(const void *arg, e2e_times *t), const void *arg, e2e_times *t)
{
    int fd[2];
    fflush(NULL);
    if (pipe(fd) != 0) {
        perror("bench_e2e: pipe");
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench_e2e: fork");
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        run_child(fd[1], fn, arg, t);
    }
    close(fd[1]);
    /* e2e_times is far below PIPE_BUF: one write, one read. */
    ssize_t got = read(fd[0], t, sizeof *t);
    close(fd[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || got != (ssize_t)sizeof *t)
        return -1;
    t->peak_kb = (uint64_t)ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

uint64_t e2e_counts_hash(uint64_t *counts, size_t n)
{
    qsort(counts, n, sizeof *counts, cmp_u64);
    uint64_t h = BENCH_FNV_START;
    for (size_t i = 0; i < n; i++)
        h = bench_fnv(h, (const char *)&counts[i], sizeof counts[i]);
    return h;
}

int e2e_counts_add(e2e_counts *c, uint64_t x)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4096;
        uint64_t *v = realloc(c->v, cap * sizeof *v);
        if (v == NULL)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = x;
    return 0;
}
