/*
 * snapdecode -- a snapshot section's entries decoded into the private
 * handle and checked (snapdecode.c). Relies on snapread.
 */
#ifndef SERVGAP_SNAPDECODE_H
#define SERVGAP_SNAPDECODE_H

#include "snapread.h"

/* Section k (SERVGAP__SEC_*), whose payload is r->pos .. r->end, into
 * r->t, every entry checked against the sections before it; r->rc. */
int servgap__snap_decode_section(servgap__snapreader *r, int k);

#endif
