/* SPDX-License-Identifier: MIT */
/*
 * The table of tether's verbs (see verbs.h) and the checks the dispatcher
 * makes with it. An option of another verb is refused with the verbs that
 * take it:
 *
 *   --check goes with tether apply, not with tether revert.
 *   --firewall goes with tether apply or test, not with tether audit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-inventory.h"
#include "cmd-report.h"
#include "cmd-run.h"
#include "validate.h"
#include "verbs.h"

/* Any verb: what to say on stderr. */
#define GLOBAL_OPTIONS (OPTION_BIT(OPTION_VERBOSE) | OPTION_BIT(OPTION_QUIET))

/* Every verb that runs on hosts: which hosts, how to reach them, what to write. */
#define RUN_OPTIONS                                                                                        \
        (GLOBAL_OPTIONS | OPTION_BIT(OPTION_INVENTORY) | OPTION_BIT(OPTION_PARALLEL) |                     \
         OPTION_BIT(OPTION_LIMIT) | OPTION_BIT(OPTION_REPORT) | OPTION_BIT(OPTION_CONNECT_TIMEOUT) |       \
         OPTION_BIT(OPTION_TIMEOUT) | OPTION_BIT(OPTION_USER) | OPTION_BIT(OPTION_IDENTITY) |              \
         OPTION_BIT(OPTION_KNOWN_HOSTS) | OPTION_BIT(OPTION_SSH_CONFIG) |                                  \
         OPTION_BIT(OPTION_ACCEPT_NEW_HOST_KEYS) | OPTION_BIT(OPTION_SUDO_PASSWORD_FILE) |                 \
         OPTION_BIT(OPTION_ASK_SUDO_PASSWORD) | OPTION_BIT(OPTION_AGENT) | OPTION_BIT(OPTION_AGENT_PATH) | \
         OPTION_BIT(OPTION_SHARD) | OPTION_BIT(OPTION_JUNIT) | OPTION_BIT(OPTION_MARKDOWN) |               \
         OPTION_BIT(OPTION_HTML) | OPTION_BIT(OPTION_RETRY_FILE) | OPTION_BIT(OPTION_JUMP))

#define APPLY_AGENT_OPTIONS                                                              \
        (OPTION_BIT(OPTION_CHECK) | OPTION_BIT(OPTION_HEAL) | OPTION_BIT(OPTION_WATCH) | \
         OPTION_BIT(OPTION_POLICY) | OPTION_BIT(OPTION_FIREWALL))
#define TEST_AGENT_OPTIONS \
        (OPTION_BIT(OPTION_FIREWALL) | OPTION_BIT(OPTION_SCENARIO) | OPTION_BIT(OPTION_WAIT))

const struct verb verbs[] = {
        {
                .name = "audit",
                .flags = VERB_NEEDS_INVENTORY,
                .options = RUN_OPTIONS | OPTION_BIT(OPTION_FAIL_ON) | OPTION_BIT(OPTION_MODE),
                .rollout = ROLLOUT_ALL_AT_ONCE,
                .run = cmd_run,
                .summary = "report every host's state and verdict; changes nothing",
        },
        {
                .name = "apply",
                .flags = VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS,
                .options = RUN_OPTIONS | APPLY_AGENT_OPTIONS | OPTION_BIT(OPTION_MODE),
                .agent_options = APPLY_AGENT_OPTIONS,
                .rollout = ROLLOUT_ALL_AT_ONCE,
                .run = cmd_run,
                .summary = "tie docker to the firewall that flushes its rules, everywhere",
        },
        {
                .name = "test",
                .flags = VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS,
                .options = RUN_OPTIONS | TEST_AGENT_OPTIONS | OPTION_BIT(OPTION_YES) |
                           OPTION_BIT(OPTION_BATCH) | OPTION_BIT(OPTION_MAX_FAIL) | OPTION_BIT(OPTION_MODE),
                .agent_options = TEST_AGENT_OPTIONS,
                .rollout = ROLLOUT_CANARY_THEN_BATCHES,
                .confirm = "restarts the firewall service of every host it tests, which briefly cuts their "
                           "containers off",
                .run = cmd_run,
                .summary = "restart each firewall and check Docker's rules come back (--yes)",
        },
        {
                .name = "revert",
                .flags = VERB_NEEDS_INVENTORY | VERB_CHANGES_HOSTS,
                .options = RUN_OPTIONS | OPTION_BIT(OPTION_MODE),
                .rollout = ROLLOUT_ALL_AT_ONCE,
                .run = cmd_run,
                .summary = "remove what apply wrote",
        },
        {
                .name = "inventory",
                .flags = VERB_NEEDS_INVENTORY,
                .options = GLOBAL_OPTIONS | OPTION_BIT(OPTION_INVENTORY) | OPTION_BIT(OPTION_JSON) |
                           OPTION_BIT(OPTION_NAMES) | OPTION_BIT(OPTION_LIMIT) | OPTION_BIT(OPTION_SHARD),
                .run = cmd_inventory,
                .summary = "show the hosts of an inventory as tether reads them",
        },
        {
                .name = "report",
                .min_args = 2,
                .max_args = 1000,
                .options = GLOBAL_OPTIONS | OPTION_BIT(OPTION_FORMAT) | OPTION_BIT(OPTION_OUTPUT),
                .run = cmd_report,
                .summary = "render a saved report, or merge the reports of shards",
        },
};

const size_t n_verbs = ELEMENTSOF(verbs);

const struct verb *verb_find(const char *name) {
        for (size_t i = 0; name && i < n_verbs; i++)
                if (strcmp(verbs[i].name, name) == 0)
                        return &verbs[i];
        return NULL;
}

bool verb_takes_option(const struct verb *verb, enum option_id id) {
        return (unsigned)id < _OPTION_MAX && (verb->options & OPTION_BIT(id));
}

/* "tether apply", "tether apply or test", "tether audit, apply, test or revert". */
static void verbs_taking(enum option_id id, char *buffer, size_t size) {
        const char *names[ELEMENTSOF(verbs) + 1] = {};
        size_t n = 0;

        for (size_t i = 0; i < n_verbs; i++)
                if (verb_takes_option(&verbs[i], id))
                        names[n++] = verbs[i].name;
        join_choices(names, buffer, size);
}

int verb_check_command_line(const struct verb *verb, const struct options *options, int n_args,
                            struct tether_error *error) {
        if (n_args < verb->min_args || n_args > verb->max_args)
                return tether_error_set(error, -EINVAL, "'tether %s' takes %d to %d arguments, got %d.",
                                        verb->name, verb->min_args, verb->max_args, n_args);

        for (enum option_id id = 0; id < _OPTION_MAX; id++) {
                char takers[128];

                if (!(options->given & OPTION_BIT(id)) || verb_takes_option(verb, id))
                        continue;
                verbs_taking(id, takers, sizeof(takers));
                if (!takers[0])
                        return tether_error_set(error, -EINVAL, "--%s goes with no verb.",
                                                option_spec_of(id)->name);
                return tether_error_set(error, -EINVAL, "--%s goes with tether %s, not with tether %s.",
                                        option_spec_of(id)->name, takers, verb->name);
        }

        if (verb->confirm && !options->yes)
                return tether_error_set(error, -EINVAL, "tether %s %s: pass --yes to go ahead.", verb->name,
                                        verb->confirm);
        return 0;
}

int verb_agent_args(const struct verb *verb, const struct options *options, char ***ret,
                    struct tether_error *error) {
        _cleanup_strv_free_ char **args = calloc(2 * _OPTION_MAX + 1, sizeof(char *));
        size_t n = 0;

        if (!args)
                return tether_error_set(error, -ENOMEM, "Out of memory.");
        for (enum option_id id = 0; id < _OPTION_MAX; id++) {
                const char *value = option_string(options, id);

                if (!(verb->agent_options & OPTION_BIT(id)) || !option_is_set(options, id))
                        continue;
                if (asprintf(&args[n], "--%s", option_spec_of(id)->name) < 0) {
                        args[n] = NULL;
                        return tether_error_set(error, -ENOMEM, "Out of memory.");
                }
                n++;
                if (!value)
                        continue;
                if (!tether_valid_shell_word(value))
                        return tether_error_set(error, -EINVAL, "'%s' is not a valid value here.", value);
                args[n] = strdup(value);
                if (!args[n++])
                        return tether_error_set(error, -ENOMEM, "Out of memory.");
        }
        *ret = TAKE_PTR(args);
        return 0;
}
