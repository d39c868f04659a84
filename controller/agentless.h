/* SPDX-License-Identifier: MIT */
/*
 * Agentless mode: a host's facts gathered with plain commands every
 * systemd host has (controller/agentless-gather.sh, sent as the argument of
 * `sh -c`, nothing written to the host), judged here by the judge the agent
 * uses, into the document the agent would print. The script is tether's own
 * text; what goes before it is too: a boundary made for the run, and the
 * property, unit and file lists of common/.
 *
 *   /bin/sh -c 'exec sudo -n -- /bin/sh -c "$1" tether' sh 'B="@tether-..."; PROPS="..."; ...; SCRIPT'
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "facts.h"
#include "judge.h"
#include "sections.h"

/* "@tether-" and 32 hex digits, with the NUL. */
#define AGENTLESS_BOUNDARY_SIZE 41

/* A new boundary from the kernel's random numbers. 0, or -errno. */
int agentless_boundary(char ret[static AGENTLESS_BOUNDARY_SIZE]);

/* The remote command that runs the script under boundary: through sudo
 * when sudo, with its prompt (a nonce of tether's, sudo-prompt.h) when
 * prompt is not NULL, else sudo -n; extra_unit: a firewall unit to gather
 * besides those tether knows (--firewall), or NULL. 0 and a new string in
 * *ret, -EINVAL when the script holds a single quote (a build that broke
 * it) or extra_unit is not a shell word, or -ENOMEM. */
int agentless_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                      char **ret);

struct agentless_plan;

/* The same for apply and revert (agentless-change.h): the gathering
 * script's functions, then the change script with plan's files and
 * checks, then "gather". extra_unit: a firewall unit to gather besides
 * those tether knows (--firewall), or NULL; -EINVAL when it or a unit of
 * the plan is not a shell word. */
int agentless_change_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                             const struct agentless_plan *plan, char **ret);

/* The same for test (agentless-test.h): the gathering script's functions,
 * then the test script, then words (agentless_test_words()). */
int agentless_test_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                           const char *words, char **ret);

/* The document of schema tether.host/1 made from the script's output
 * (length bytes), judged under policy (forced: asked for on the command
 * line), with "mode": "agentless", verb and run_id. 0 and a new reference
 * in *ret (untouched on failure), -EBADMSG with a message naming what the
 * host's answer lacks, or -ENOMEM. */
int agentless_document(const char *output, size_t length, const char *boundary, enum tether_policy policy,
                       bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                       struct tether_error *error);

/* The same document from sections already split: the facts they hold,
 * judged under policy. 0 and a new reference in *ret, -EBADMSG, -ENOMEM. */
int agentless_document_of(const struct tether_sections *sections, enum tether_policy policy,
                          bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                          struct tether_error *error);

/* The document of facts already judged, as agentless_document_of() makes
 * it. 0 and a new reference in *ret, or -ENOMEM. */
int agentless_host_document(const struct tether_host_facts *facts, const struct tether_judgement *judgement,
                            const char *verb, const char *run_id, json_t **ret, struct tether_error *error);

/* The facts and judgement of sections: the first step of apply and revert
 * (agentless-change.h). 0, or -EBADMSG or -ENOMEM with a message. */
int agentless_judge(const struct tether_sections *sections, enum tether_policy policy, bool policy_forced,
                    struct tether_host_facts **ret_facts, struct tether_judgement **ret_judgement,
                    struct tether_error *error);
