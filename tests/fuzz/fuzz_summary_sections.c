/*
 * fuzz_summary_sections -- fuzz_summary's checks, with the section-aware
 * mutator of fuzz_sections.h, which keeps a mutated summary's checksums
 * valid so that a normal build's decoders and validators see it.
 * Seeds: tests/fuzz/corpus/summary.
 */
#include "fuzz_summary.c"

#include "fuzz_sections.h"
