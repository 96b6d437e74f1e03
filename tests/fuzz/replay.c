/*
 * replay -- a main() for the libFuzzer targets of tests/fuzz, so that the
 * normal build runs them over their seed corpora (tests/fuzz/meson.build):
 * each target's checks then hold for every seed under the compiler, the
 * flags and the shared library users get, not only under clang's fuzzer
 * build, and a reproducer committed to a corpus stays a regression test.
 *
 *   replay_fuzz_NAME [-m MUTATIONS] FILE_OR_DIR...
 *
 * A target with a custom mutator (fuzz_snapshot_sections) also runs on
 * MUTATIONS (default 0) successive mutations of each seed, each seeded by
 * its number, so that the mutator's output is checked to be an input the
 * target accepts as such: a run is repeatable, unlike libFuzzer's.
 * A broken check traps, as under libFuzzer; the exit status is 0 when
 * every input ran, 1 when an input could not be read.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
    __attribute__((weak));

/* The libFuzzer limit scripts/fuzz sets (-max_len). */
#define MAX_LEN 65536

static uint32_t mutate_state = 1;
static size_t inputs; /* runs of the target, printed at the end */

/* libFuzzer's byte mutator, which a custom mutator calls for the bytes of
 * a payload, stood in for by one deterministic change: a byte replaced,
 * or the input cut or grown by one. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
    uint32_t x = mutate_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    mutate_state = x;
    if (size == 0 || (x & 3) == 0) {
        if (size < max_size)
            data[size++] = (uint8_t)(x >> 8);
        return size;
    }
    if ((x & 3) == 1)
        return size - 1;
    data[(x >> 8) % size] ^= (uint8_t)(1 + (x >> 16) % 255);
    return size;
}

/* The whole file at path, in a buffer of MAX_LEN bytes at least (room for
 * the mutator); NULL when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = MAX_LEN, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *grown = realloc(buf, cap *= 2);
        if (!grown)
            free(buf);
        buf = grown;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int run_file(const char *path, unsigned mutations)
{
    size_t len = 0;
    uint8_t *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, len);
    inputs++;
    if (LLVMFuzzerCustomMutator && len <= MAX_LEN) {
        for (unsigned m = 1; m <= mutations; m++) {
            mutate_state = m;
            len = LLVMFuzzerCustomMutator(data, len, MAX_LEN, m);
            LLVMFuzzerTestOneInput(data, len);
            inputs++;
        }
    }
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of a directory in name order, so that a run is repeatable. */
static int run_dir(const char *dir, unsigned mutations)
{
    DIR *d = opendir(dir);
    if (!d)
        return run_file(dir, mutations);
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        size_t need = strlen(dir) + strlen(e->d_name) + 2;
        if (!grown || !(grown[n] = malloc(need)))
            abort();
        names = grown;
        snprintf(names[n++], need, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int status = 0;
    for (size_t i = 0; i < n; i++) {
        status |= run_file(names[i], mutations);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    unsigned mutations = 0;
    int status = 0, first = 1;
    if (argc > 2 && strcmp(argv[1], "-m") == 0) {
        mutations = (unsigned)strtoul(argv[2], NULL, 10);
        first = 3;
    }
    for (int i = first; i < argc; i++)
        status |= run_dir(argv[i], mutations);
    printf("replay: %zu inputs ran\n", inputs);
    return status;
}
