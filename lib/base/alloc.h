/*
 * alloc -- the injected allocator. Every byte the library owns comes from
 * here, so that an embedder's allocator (and the allocation-failure tests)
 * see all of it. Relies on nothing but libc.
 */
#ifndef SERVGAP_ALLOC_H
#define SERVGAP_ALLOC_H

#include <stddef.h>

typedef struct servgap__alloc {
    void *(*malloc_fn)(void *user, size_t n);
    void *(*realloc_fn)(void *user, void *p, size_t n);
    void (*free_fn)(void *user, void *p);
    void *user;
} servgap__alloc;

/* The C library's allocator. */
void servgap__alloc_default(servgap__alloc *a);

/* n * size bytes, NULL on overflow or failure; n == 0 still returns a
 * distinct pointer so that callers need not special-case empty arrays. */
void *servgap__calloc(const servgap__alloc *a, size_t n, size_t size);
void *servgap__malloc(const servgap__alloc *a, size_t n, size_t size);

/* Resize *p to n elements of size bytes. On failure *p is untouched and -1
 * is returned, so a failed growth never loses data. */
int servgap__resize(const servgap__alloc *a, void **p, size_t n, size_t size);

/* Make room for need elements in *p, whose capacity is *cap, doubling. */
int servgap__reserve(const servgap__alloc *a, void **p, size_t *cap, size_t need, size_t size);

void servgap__free(const servgap__alloc *a, void *p);

/* A copy of s[0..len) with a NUL, or NULL. */
char *servgap__strndup(const servgap__alloc *a, const char *s, size_t len);

#endif
