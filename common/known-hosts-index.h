/* SPDX-License-Identifier: MIT */
/*
 * A known_hosts file indexed by host name, so that each session gives libssh
 * only the lines that may concern its host. libssh 0.10 reads the whole
 * file twice a connection (to order the host key algorithms, then to check
 * the key): for a fleet whose known_hosts holds a line a host, that is a
 * cost a host that grows with the fleet, N² in all.
 *
 * The lines kept for a host are a superset of those libssh can match: every
 * line whose host patterns are plain names is kept when one of them is the
 * host's name or "[name]:port" (compared without case); every other line
 * (hashed "|1|" names, patterns with '*', '?' or '!', marker lines, lines
 * this cannot read) is kept for every host. Comments and blank lines are
 * dropped. libssh's answer on the kept lines is therefore its answer on the
 * whole file.
 */
#pragma once

#include "strbuf.h"

struct tether_known_hosts_index;

/* Indexes text (borrowed: it must outlive the index). 0 and a new index in
 * *ret; -ENOMEM, *ret untouched. */
int tether_known_hosts_index_new(const char *text, struct tether_known_hosts_index **ret);

/* Appends to out, in the file's order, the lines that may concern name at
 * port, each ending in '\n'. */
void tether_known_hosts_index_lines(const struct tether_known_hosts_index *index, const char *name,
                                    unsigned port, struct strbuf *out);

/* Frees index; accepts NULL; returns NULL. */
struct tether_known_hosts_index *tether_known_hosts_index_free(struct tether_known_hosts_index *index);
