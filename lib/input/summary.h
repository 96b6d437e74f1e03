/*
 * summary -- the summary format (docs/formats.md, "Summaries"), shared by
 * its writer (summary.c) and its section decoders (sumdecode.c, which
 * snapdecode's table drives). A summary is a document of the snapshot's
 * container with its own magic: every definition section of a snapshot,
 * an observations section that holds only declarations, then the
 * summary's own sections (snapshot.h, SERVGAP__SEC_SUMMARY on): the
 * negative_share and the days it covers, the series, their day moments,
 * the pairs and the respondent scores (model/buckets.h), each sorted by
 * its key. Relies on snapread and buckets.
 */
#ifndef SERVGAP_SUMMARY_H
#define SERVGAP_SUMMARY_H

#include "snapread.h"

extern const uint8_t servgap__sum_magic[8];
#define SERVGAP__SUM_MAJOR 1
#define SERVGAP__SUM_MINOR 0

/* Bytes of an entry of each section. */
#define SERVGAP__SUM_SUMMARY_BYTES 24  /* negative_share f64, from_day i64, to_day i64 */
#define SERVGAP__SUM_SERIES_BYTES  16  /* key u64, code u64 */
#define SERVGAP__SUM_DAY_BYTES     40  /* series u32, day i32, n i64, mean f64, m2 f64, neg i64 */
#define SERVGAP__SUM_PAIR_BYTES    108 /* key u64, day i32, 2 x (n i64, mx my m2x m2y c f64) */
#define SERVGAP__SUM_RESP_BYTES    76  /* key u64, day i32, n i64, mean f64, m2 f64, 5 f64 */

/* The decoders of the summary's sections, as snapdecode's table calls
 * them: begin with the entry count n read at offset at, then each entry
 * i. Each returns r->rc. */
int servgap__sum_summary_begin(servgap__snapreader *r, uint64_t n, size_t at);
int servgap__sum_summary_one(servgap__snapreader *r, uint64_t i);
int servgap__sum_series_begin(servgap__snapreader *r, uint64_t n, size_t at);
int servgap__sum_series_one(servgap__snapreader *r, uint64_t i);
int servgap__sum_days_begin(servgap__snapreader *r, uint64_t n, size_t at);
int servgap__sum_days_one(servgap__snapreader *r, uint64_t i);
int servgap__sum_days_finish(servgap__snapreader *r, uint64_t n, size_t base);
int servgap__sum_pairs_begin(servgap__snapreader *r, uint64_t n, size_t at);
int servgap__sum_pairs_one(servgap__snapreader *r, uint64_t i);
int servgap__sum_resp_begin(servgap__snapreader *r, uint64_t n, size_t at);
int servgap__sum_resp_one(servgap__snapreader *r, uint64_t i);

#endif
