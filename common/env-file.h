/* SPDX-License-Identifier: MIT */
/*
 * Values of KEY=value files: os-release(5) and the files in /etc/default. A value in
 * double or single quotes loses them; nothing else is unescaped.
 *
 *   ID=debian
 *   PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
 *   IPTABLES_RESTORE_NOFLUSH=yes
 */
#pragma once

#include <stdbool.h>

/* The value of the first line "key=..." of text (NUL-terminated), as a new
 * string in *ret. Returns 1 when found, 0 when not (*ret untouched), or
 * -ENOMEM. text may be NULL (no file): not found. */
int tether_env_file_get(const char *text, const char *key, char **ret);

/* Whether key's value is exactly "yes", as the shell scripts that source
 * these files test it ([ "$MANAGE_BUILTINS" = "yes" ] in ufw-init-functions,
 * the same for IPTABLES_RESTORE_NOFLUSH in netfilter-persistent's plugins):
 * "Yes", "1" and "true" are no. False when absent or out of memory. */
bool tether_env_file_is_yes(const char *text, const char *key);
