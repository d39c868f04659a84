/* SPDX-License-Identifier: MIT */
/*
 * Reading a saved report one host at a time. A report of 20,000 hosts is
 * some 100 MB of JSON; read whole, jansson's values for it take five times
 * that, and building them is most of what rendering it costs
 * (docs/BENCHMARKS.md, "Reports of many hosts"). Read a host at a time,
 * each host's values are freed before the next host is read, and the
 * memory they take stays warm and small.
 */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* Called with each object of the report's "hosts" array, in order, host
 * borrowed for the call, and its text (length bytes in the report's); a
 * negative return stops the read and is returned. */
typedef int (*report_host_fn)(const json_t *host, const char *source, size_t length, size_t index,
                              void *userdata);

/* Reads the report in text (size bytes), giving each of its hosts to fn.
 * On success, *ret_rest is the report without its hosts: its members in
 * the document's order, "hosts" an empty array (a new reference). The reader takes exactly the documents
 * json_loadb(JSON_REJECT_DUPLICATES) takes whole, and reads them as it
 * does, when they are an object with a "hosts" array: anything else is
 * -EBADMSG, for the caller to read the text whole, where jansson's own
 * error (line and column) says what is wrong. -ENOMEM, or fn's error.
 * *ret_rest is untouched on failure; fn may have been called. */
int report_stream_read(const char *text, size_t size, report_host_fn fn, void *userdata, json_t **ret_rest);
