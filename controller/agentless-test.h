/* SPDX-License-Identifier: MIT */
/*
 * test in agentless mode: the firewall units the agent would test, each in
 * a command of its own on one connection:
 *
 *   1. the gathering script (agentless.h): the host's facts, judged here;
 *      the units a test takes and its refusals are the agent's
 *      (common/fix-test.h);
 *   2. for each unit, the test script (agentless-test.sh): the firewall's
 *      job, docker watched until its rules are back (or it is left alone,
 *      or --wait ends), the rules after, the repair where they are not
 *      back, and the host gathered again. The rules are compared here, by
 *      the agent's code (common/netfilter.h), with those of the gathering
 *      that decided the test: the script only keeps the time.
 *
 * The document is the agent's: tests, test_result, and the host as the
 * last command left it.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "error.h"
#include "facts.h"
#include "fix-test.h"
#include "sections.h"

/* The agent's options of test (verbs.c passes them on as its argv), read
 * back for agentless mode. */
struct agentless_test_options {
        enum tether_test_scenario scenario;
        unsigned wait_seconds;
        const char *firewall; /* --firewall, borrowed; NULL: the units found */
};

/* Reads args (NULL-terminated, as verb_agent_args() made them): the
 * agent's defaults (restart, 60 s) for what they lack. 0, or -EINVAL for
 * an option or value this mode does not know. */
int agentless_test_options_parse(char *const *args, struct agentless_test_options *ret);

/* The words after the scripts that test unit (a valid unit name) by
 * options, then gather the host again. 0 and a new string in *ret,
 * -EINVAL for a unit name that is not one, -ENOMEM. */
int agentless_test_words(const char *unit, const struct agentless_test_options *options, char **ret);

/* What the test script printed of unit's test, made into the agent's
 * entry for it (docs/schema.md, "tests"). The rules are compared with
 * before's, the facts the test was judged on, as the agent compares them
 * with the state it gathered first. 0 with a new reference in *ret and
 * *ret_passed; -EBUSY when another agent held the lock (*ret untouched);
 * -EBADMSG naming the section the answer lacks, or the rules it could not
 * read; -ENOMEM. */
int agentless_test_entry(const struct tether_sections *sections, const struct tether_host_facts *before,
                         const char *unit, const struct agentless_test_options *options, json_t **ret,
                         bool *ret_passed, struct tether_error *error);
