/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>

#include "error.h"
#include "options.h"

struct host_view;
struct verb;

/* tether report render|merge: argv[0] is "report". */
int cmd_report(const struct verb *verb, struct options *options, int argc, char **argv);

/* Renders a report in format (text, json, junit, markdown, html); *ret a
 * new string. -EINVAL for an unknown format, -ENOMEM (or a rendering's
 * failure), with error saying which. */
int report_render_to(const json_t *report, const char *format, bool color, char **ret,
                     struct tether_error *error);

/* The same from a report's views (render.h, report_views_read()), in
 * every format but json, which report_render_stream() writes host by host:
 * 0 and *ret a new string; -EINVAL for json or an unknown format, -ENOMEM
 * (or a rendering's failure). */
int report_render_views_to(const json_t *report, const struct host_view *views, size_t n, const char *format,
                           bool color, char **ret);

/* The report in text (size bytes) rendered in format as report_render_to()
 * renders it read whole, byte for byte, but read a host at a time, so that
 * its hosts' values are never all in memory (report-stream.h): 1 and *ret
 * a new string. 0 where the whole read must answer: a format that is none,
 * a text the stream reader leaves to jansson, or one that is not a
 * tether.report/1 report (the whole read's error says what is wrong).
 * -ENOMEM. */
int report_render_stream(const char *text, size_t size, const char *format, bool color, char **ret);

/* The reports at paths, the shards of one run, joined into one, a host at
 * a time: the first report's members, every report's hosts in order, their
 * summary, merged_from (the runs' ids), the earliest start and latest end,
 * the longest duration, interrupted if any was, and no options.shard. 0
 * and *ret the merged report's text (as report_write() writes it), its
 * hosts in *ret_n_hosts. The first report at fault, and in it the first
 * fault, fails it: the error reading it, -EBADMSG (not JSON), -EINVAL (not
 * a report, another verb than the first's, a host with no name or in a
 * report before), -ENOMEM; error says which. */
int report_merge_files(char *const *paths, size_t n, char **ret, size_t *ret_n_hosts,
                       struct tether_error *error);
