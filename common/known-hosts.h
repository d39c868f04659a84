/* SPDX-License-Identifier: MIT */
/*
 * The marker lines of a known_hosts file (sshd(8), "SSH_KNOWN_HOSTS FILE
 * FORMAT"), which libssh 0.10 skips as if they were not there:
 *
 *   @revoked * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG...
 *   @cert-authority *.example.com,!old.example.com ssh-ed25519 AAAAC3Nz...
 *
 * A revoked key must never be accepted, and a host vouched for by a host CA
 * can only be trusted by checking its certificate, which libssh 0.10 cannot
 * do. The session uses these lines to refuse what OpenSSH refuses, and
 * never to accept what libssh would not.
 */
#pragma once

#include <stdbool.h>

struct tether_known_hosts_markers {
        unsigned revoked_line;        /* a @revoked line naming the host's key; 0: none */
        unsigned cert_authority_line; /* a @cert-authority line whose patterns match the host; 0: none */
};

/* Whether name matches a comma-separated OpenSSH pattern list ("*", "?",
 * and "!" to exclude), case-insensitively as OpenSSH compares host names. A
 * name matches when some pattern matches it and no negated one does. */
bool tether_host_patterns_match(const char *patterns, const char *name);

/* Scans the text of a known_hosts file for the first @revoked line whose key
 * is key_base64 (whatever hosts the line names: a revoked key is never
 * valid) and the first @cert-authority line whose host patterns match host
 * ("host" for port 22, "[host]:port" otherwise, as ssh-keyscan writes them).
 * Hashed patterns on marker lines (which ssh-keygen -H leaves in the clear)
 * are not matched. Lines count from 1; text may be NULL. */
void tether_known_hosts_find_markers(const char *text, const char *host, unsigned port,
                                     const char *key_base64, struct tether_known_hosts_markers *ret);

/* The marker lines of text alone, every other line left empty so that line
 * numbers stay as they were: what a caller keeps of a large known_hosts file
 * to scan it for each host. A new string, or NULL when out of memory. */
char *tether_known_hosts_marker_lines(const char *text);
