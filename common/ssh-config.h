/* SPDX-License-Identifier: MIT */
/*
 * The keywords of ssh_config(5) that decide which keys log in and that
 * libssh 0.10 does not read (it skips IdentitiesOnly and CertificateFile),
 * read for one host as OpenSSH reads them:
 *
 *   Host *.internal
 *       IdentitiesOnly yes
 *       IdentityFile ~/.ssh/fleet_ed25519
 *       CertificateFile ~/.ssh/fleet_ed25519-cert.pub
 *
 * "Host" blocks apply when a pattern matches the host (known-hosts.h's
 * patterns); "Match all" and "Match host PATTERNS" too; any other Match
 * block is not read here (its keywords are left to libssh). For
 * IdentitiesOnly the first value wins; IdentityFile and CertificateFile
 * accumulate. "Include" asks the caller for the files.
 */
#pragma once

#include <stddef.h>

#include "error.h"

struct tether_ssh_auth_config {
        int identities_only;      /* -1: not set, 0 or 1 */
        char **identity_files;    /* NULL-terminated, as written ('~' not expanded); NULL: none */
        char **certificate_files; /* the same */
};

/* The texts of the files an Include names (pattern as written): a new
 * NULL-terminated array of new strings in *ret (NULL or empty when none
 * matched). 0, or a negative errno that stops the reading. */
typedef int (*tether_ssh_config_include)(const char *pattern, char ***ret, void *userdata);

#define TETHER_SSH_CONFIG_INCLUDE_DEPTH 8

/* Reads text (an ssh_config) for host into *config, adding to what it
 * holds (so a second file read after the first, as /etc/ssh/ssh_config is
 * after ~/.ssh/config, loses to it). 0, or -ELOOP past
 * TETHER_SSH_CONFIG_INCLUDE_DEPTH nested Includes, -ENOMEM, or include's
 * error; error says which. */
int tether_ssh_config_read(const char *text, const char *host, tether_ssh_config_include include,
                           void *userdata, struct tether_ssh_auth_config *config,
                           struct tether_error *error);

void tether_ssh_auth_config_done(struct tether_ssh_auth_config *config);
