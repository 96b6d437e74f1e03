/* plans -- placeholder until implemented. */
#define _POSIX_C_SOURCE 200809L
#include "ctx.h"
