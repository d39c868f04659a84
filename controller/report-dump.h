/* SPDX-License-Identifier: MIT */
/*
 * Writing a report a host at a time, as report_write() writes it whole
 * (json_dumps() with JSON_INDENT(2) | JSON_PRESERVE_ORDER, and a newline),
 * byte for byte: each host is written as it is read and freed, and the
 * report's other members around them at the end. What `report merge` and
 * `report render --format json` write, of reports read with
 * report_stream_read(), without ever holding every host's values.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

struct report_dump {
        struct strbuf hosts; /* the hosts array's inside, written */
        size_t n_hosts;
};

#define REPORT_DUMP_INIT                          \
        {                                         \
                .hosts = {.limit = SIZE_MAX / 2 } \
        }

/* Writes host, the next of the report's hosts; -ENOMEM. */
int report_dump_host(struct report_dump *dump, const json_t *host);

/* The report: rest's members in their order, its "hosts" member (whatever
 * its value; report_stream_read() leaves an empty array) written as the
 * hosts given to report_dump_host(). NULL when out of memory or when rest
 * is not an object with "hosts". The dump is empty afterwards. */
char *report_dump_finish(struct report_dump *dump, const json_t *rest);

void report_dump_free(struct report_dump *dump);
