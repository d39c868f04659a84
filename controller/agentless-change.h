/* SPDX-License-Identifier: MIT */
/*
 * apply and revert in agentless mode, in two commands on one connection:
 *
 *   1. the gathering script (agentless.h): the host's facts, judged here,
 *      and from them the plan: the files to write or remove, by the agent's
 *      rules (agent/verb-apply.c, agent/verb-revert.c);
 *   2. the change script (agentless-change.sh) with the plan's files: it
 *      replaces them atomically, daemon-reloads, prints what systemd loaded
 *      and asks; agentless_reply() checks that by the agent's rules
 *      (tie-check.h) and answers "keep", or anything else to put every file
 *      back; then the script gathers the host again for the report.
 *
 * Every word of the commands is tether's: paths and texts go in as printf
 * formats of octal escapes, unit names are checked.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>

#include "change-set.h"
#include "dropin.h"
#include "error.h"
#include "facts.h"
#include "judge.h"
#include "sections.h"
#include "strbuf.h"

/* The agent's options of apply (verbs.c passes them on as the agent's
 * argv), read back for agentless mode. */
struct agentless_options {
        enum tether_policy policy;
        bool policy_forced;
        bool heal, check, watch;
        const char *firewall; /* --firewall, borrowed; NULL: the units found */
};

/* Reads args (NULL-terminated, as verb_agent_args() made them). 0, or
 * -EINVAL for an option this mode does not know. */
int agentless_options_parse(char *const *args, struct agentless_options *ret);

struct agentless_plan {
        const char *verb; /* "apply" or "revert", static */
        struct change_set set;
        enum tether_policy policy;
        char **ties;       /* apply: the units whose ties to check after the reload; never NULL */
        char *dropin_path; /* revert: the drop-in systemd must no longer have loaded */
        bool heal;         /* restart docker once the change is kept (apply --heal, rules missing) */
};

void agentless_plan_clear(struct agentless_plan *plan);

/* The plan of verb on the host whose first answer is sections, facts and
 * judgement (judged under options' policy). 0 and the plan in *ret (an
 * empty set: nothing to change); -ENOENT when --firewall names a unit the
 * host lacks, -EOPNOTSUPP for what needs the agent (watch), -EROFS for a
 * change /etc/systemd/system cannot take, each with a message; -ENOMEM. */
int agentless_plan_make(const char *verb, const struct agentless_options *options,
                        const struct tether_sections *sections, const struct tether_host_facts *facts,
                        const struct tether_judgement *judgement, struct agentless_plan *ret,
                        struct tether_error *error);

/* text as a printf format that prints it back byte for byte, in double
 * quotes: letters, digits and "/._:@+,=" as they are, '%' as "%%", every
 * other byte as a three-digit octal escape. */
void agentless_printf_format(struct strbuf *out, const char *text);

/* The words after the scripts that make plan's change and gather the host
 * again (agentless-change.sh). */
int agentless_change_words(const struct agentless_plan *plan, char **ret);

/* What the controller knows of the change script's question. */
struct agentless_asked {
        const char *boundary;
        const struct agentless_plan *plan;
        bool asked, kept;
        struct tether_error why; /* when not kept */
};

/* remote_input's reply for the change script: out holds what systemd
 * loaded after the reload; "keep\n" when the plan's checks pass, else a
 * line saying why (asked->why too). */
char *agentless_reply(const char *out, size_t length, void *userdata);

/* The host's document after the change script ran (output: all it
 * printed), as the agent's apply or revert would print it. 0 and a new
 * reference in *ret, -EBADMSG naming what the answer lacks, -ENOMEM. */
int agentless_change_document(const char *output, size_t length, const struct agentless_asked *asked,
                              const struct agentless_options *options, const char *run_id, json_t **ret,
                              struct tether_error *error);
