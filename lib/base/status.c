/*
 * status -- the library's version and the fixed text of its status codes.
 */
#include "platform.h"

#include <stddef.h>

#include "servgap.h"

SERVGAP_API uint32_t servgap_version_number(void)
{
    return SERVGAP_VERSION_NUMBER;
}

SERVGAP_API const char *servgap_version_string(void)
{
    return SERVGAP_VERSION_STRING;
}

SERVGAP_API const char *servgap_strerror(int code)
{
    static const char *const text[] = {
        "ok",
        "misuse: NULL handle or required pointer",
        "invalid argument",
        "value out of range",
        "not found",
        "conflicting definition",
        "out of memory",
        "capacity limit reached",
        "buffer too small",
        "input/output error",
        "malformed input",
        "corrupt snapshot",
        "interrupted",
    };
    if (code > 0 || -code >= (int)(sizeof text / sizeof *text))
        return "unknown error";
    return text[-code];
}
