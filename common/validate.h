/* SPDX-License-Identifier: MIT */
/*
 * Checks for the strings that travel from an inventory into an SSH session
 * or a systemd call: host names, addresses, user names, unit names, tags and
 * port numbers. The inventory parser, the controller and the agent share
 * them, so a value one accepts the others accept too. Every check rejects
 * shell metacharacters, whitespace and control characters, and a leading
 * '-' (which ssh and systemctl would read as an option).
 */
#pragma once

#include <stdbool.h>

#define TETHER_HOST_NAME_MAX 253u /* characters, as for a DNS name */
#define TETHER_ADDRESS_MAX 253u
#define TETHER_USER_NAME_MAX 32u  /* useradd's limit */
#define TETHER_UNIT_NAME_MAX 255u /* systemd: UNIT_NAME_MAX - 1 */
#define TETHER_TAG_MAX 253u
#define TETHER_PATH_MAX 4096u /* identity_file, known_hosts */
#define TETHER_AGENT_PATH_MAX 1024u

/* 1..TETHER_HOST_NAME_MAX of [A-Za-z0-9._-], not starting with '-' or '.'.
 * NULL is not valid (true of every check here). */
bool tether_valid_host_name(const char *s);

/* A tag or an Ansible group name: the same rules as a host name. */
bool tether_valid_tag(const char *s);

/* A host name or an IP literal, 1..TETHER_ADDRESS_MAX characters of
 * [A-Za-z0-9._:-], not starting with '-'. An address with a ':' must be an
 * IPv6 literal (so "host:22" is refused: the port has its own field); one
 * pair of brackets may enclose an IPv6 literal: "[2001:db8::1]". */
bool tether_valid_address(const char *s);

/* A POSIX-ish user name: [A-Za-z_][A-Za-z0-9_.-]*, at most
 * TETHER_USER_NAME_MAX characters. */
bool tether_valid_user_name(const char *s);

/* A systemd unit name with any type suffix: "nftables.service",
 * "getty@tty1.service", "foo@.service" (a template), at most
 * TETHER_UNIT_NAME_MAX characters of [A-Za-z0-9:_.@\-] (backslash is
 * systemd's escape character, as in "dev-disk-by\x2dlabel.mount"); a
 * non-empty name before the last '.', a lowercase suffix after it, at most
 * one '@', and no leading '-', '.' or '@'. */
bool tether_valid_unit_name(const char *s);

/* A word that a POSIX shell reads as it is, outside quotes and inside
 * single quotes alike, so it can go into a remote command unquoted: 1 to
 * TETHER_UNIT_NAME_MAX characters of [A-Za-z0-9._:@-]. Every unit name
 * tether_valid_unit_name() takes is one, but for a backslash. */
bool tether_valid_shell_word(const char *s);

/* The path of a program installed on a host (an agent_path): absolute,
 * 2..TETHER_AGENT_PATH_MAX characters of [A-Za-z0-9._+:@/-], so that it too
 * goes into a remote command as a plain shell word; no "//", no "/./" or
 * "/../" and no '/' at the end, so a sudoers rule can name it as written. */
bool tether_valid_agent_path(const char *s);

/* Parses a decimal port number, 1..65535, digits only: no sign, no spaces,
 * no trailing garbage. Returns 0 and sets *ret_port; -EINVAL if s is not a
 * number, -ERANGE if it is out of range; *ret_port is untouched on failure. */
int tether_parse_port(const char *s, unsigned *ret_port);
