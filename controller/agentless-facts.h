/* SPDX-License-Identifier: MIT */
/*
 * A host's facts from the output of controller/agentless-gather.sh, for
 * hosts where no agent runs: the same struct tether_host_facts that
 * agent/state.c gathers through sd-bus, by the same rules (which firewall
 * units count, which drop-ins are tether's, when Docker's rules are read),
 * so that the judge gives the same verdict either way.
 */
#pragma once

#include "error.h"
#include "facts.h"
#include "sections.h"

/* The facts of one host from its gathered sections. Returns 0 and new
 * facts in *ret (untouched on failure), -EBADMSG with a message naming the
 * section for output that cannot be the script's (a unit that does not
 * parse, no clocks, iptables-save that does not parse while docker runs),
 * or -ENOMEM. */
int tether_agentless_facts(const struct tether_sections *sections, struct tether_host_facts **ret,
                           struct tether_error *error);
