/*
 * csvshapes_main -- the command line of the CSV shape generator
 * (csvshapes.h), for looking at a shape or profiling servgap-report on it
 * outside the benchmark:
 *
 *   csvshapes SHAPE DIR [ROWS]     SHAPE a..f or its name; ROWS as 1m, 250k
 *   csvshapes --list
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvshapes.h"

static uint64_t count_arg(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end == 'k' || *end == 'K')
        v *= 1000u;
    else if (*end == 'm' || *end == 'M')
        v *= 1000000u;
    return v;
}

static void list(void)
{
    for (int i = 0; i < cs_nshapes; i++)
        printf("%c  %-10s %s\n", cs_shapes[i].letter, cs_shapes[i].name, cs_shapes[i].what);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        list();
        return 0;
    }
    const cs_shape *s = argc >= 3 ? cs_shape_find(argv[1]) : NULL;
    if (s == NULL || argc > 4) {
        fputs("usage: csvshapes SHAPE DIR [ROWS]   (csvshapes --list: the shapes)\n", stderr);
        return 2;
    }
    cs_params p;
    cs_params_default(&p, argc == 4 ? count_arg(argv[3]) : 1000000u);
    mkdir(argv[2], 0777);
    cs_stats st;
    if (cs_write(argv[2], s, &p, &st) != 0)
        return 1;
    printf("%s: shape %c (%s): %llu rows (%llu paired), %.1f MB of observations\n", argv[2],
           s->letter, s->name, (unsigned long long)st.rows, (unsigned long long)st.paired_rows,
           (double)st.bytes / 1e6);
    return 0;
}
