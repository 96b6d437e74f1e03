/*
 * sized -- copies between the caller's sized structs and the library's,
 * bounded by the size the caller declared (sized.h has the rule).
 */
#include "../base/platform.h"

#include <string.h>

#include "sized.h"

/* The caller's size member, copied out so that nothing here depends on the
 * type of the struct it begins (only its first member is known). */
static size_t declared(const void *s)
{
    size_t size;
    memcpy(&size, s, sizeof size);
    return size;
}

int servgap__sized_ok(const void *s, size_t first_size)
{
    return s && declared(s) >= first_size;
}

/* The bytes both sides have after the size member. */
static size_t shared_tail(size_t caller_size, size_t full_size)
{
    size_t k = caller_size < full_size ? caller_size : full_size;
    return k > sizeof(size_t) ? k - sizeof(size_t) : 0;
}

int servgap__sized_out(void *out, const void *full, size_t full_size, size_t first_size)
{
    if (!servgap__sized_ok(out, first_size))
        return SERVGAP_EMISUSE;
    memcpy((unsigned char *)out + sizeof(size_t), (const unsigned char *)full + sizeof(size_t),
           shared_tail(declared(out), full_size));
    return SERVGAP_OK;
}

int servgap__sized_in(void *full, const void *in, size_t full_size, size_t first_size)
{
    if (!servgap__sized_ok(in, first_size))
        return SERVGAP_EMISUSE;
    memcpy((unsigned char *)full + sizeof(size_t), (const unsigned char *)in + sizeof(size_t),
           shared_tail(declared(in), full_size));
    return SERVGAP_OK;
}
