/*
 * e2e_proc -- child processes of the end-to-end benchmark (servgap-report
 * and the sqlite3 shell), timed from fork to exit, with their CPU time.
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
              double *cpu)
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
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
