/* SPDX-License-Identifier: MIT */
/*
 * Jump hosts (bastions), written as OpenSSH's ProxyJump writes them:
 *
 *   deploy@bastion.example.com:2222            one hop
 *   jump@edge.example.com,bastion.internal     two: edge first, then bastion
 *   [2001:db8::1]:22                           an IPv6 literal with a port
 *
 * Each hop is [user@]address[:port], held to the inventory's own checks
 * (validate.h), so a spec never carries a shell metacharacter.
 */
#pragma once

#include <stddef.h>

#include "error.h"

#define TETHER_JUMP_HOPS_MAX 4u
#define TETHER_JUMP_SPEC_MAX 1024u

struct tether_jump_hop {
        char *user;    /* NULL: not given */
        char *address; /* without brackets */
        unsigned port; /* 0: not given */
};

/* Parses spec into *ret (a new array the caller frees with
 * tether_jump_hops_free()) and *ret_n hops, first hop first. Both untouched
 * on failure: -EINVAL (error names the hop and what is wrong), -E2BIG for
 * more than TETHER_JUMP_HOPS_MAX hops or a spec longer than
 * TETHER_JUMP_SPEC_MAX, -ENOMEM. */
int tether_jump_parse(const char *spec, struct tether_jump_hop **ret, size_t *ret_n,
                      struct tether_error *error);

void tether_jump_hops_free(struct tether_jump_hop *hops, size_t n);

/* Whether spec parses: 0, or tether_jump_parse()'s error. */
int tether_jump_check(const char *spec, struct tether_error *error);
