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
 * every format but json, which is written from the whole report: 0 and *ret
 * a new string; -EINVAL for json or an unknown format, -ENOMEM (or a
 * rendering's failure). */
int report_render_views_to(const json_t *report, const struct host_view *views, size_t n, const char *format,
                           bool color, char **ret);
