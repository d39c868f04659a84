/* SPDX-License-Identifier: MIT */
/*
 * Logging in by key (see auth.c).
 */
#pragma once

#include <libssh/libssh.h>

#include "failure.h"

struct auth_request {
        const char *ssh_config;    /* --ssh-config FILE, or NULL for ~/.ssh/config and /etc/ssh/ssh_config */
        const char *config_host;   /* the name ssh_config's Host lines are matched against */
        const char *identity_file; /* --identity or identity_file, or NULL */
        int identities_only;       /* the inventory's: -1 (ssh_config's IdentitiesOnly decides), 0, 1 */
        const char *user;          /* for messages; NULL: the default user */
        const char *address;       /* for messages */
};

/* Logs the connected session in. 0, or the failure's negative errno with
 * failure filled in (stage auth, or connect for a protocol error). */
int auth_login(ssh_session session, const struct auth_request *request, struct host_failure *failure);
