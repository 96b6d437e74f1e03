/*
 * fuzz_snapshot_sections -- fuzz_snapshot's checks, with the section-aware
 * mutator of fuzz_sections.h, which keeps a mutated snapshot's checksums
 * valid so that a normal build's decoders and validators see it.
 * Seeds: tests/fuzz/corpus/snapshot.
 */
#include "fuzz_snapshot.c"

#include "fuzz_sections.h"
