/* SPDX-License-Identifier: MIT */
/*
 * tether's verbs, described once (verbs.c), as systemctl, git and ip(8)
 * keep theirs: for each its name, how many arguments it takes, the options
 * it takes and which of them the agent gets, how it rolls out over the
 * hosts, whether it changes them, what it needs set up, and its function.
 * The dispatcher (main.c) checks a command line against the table before
 * anything runs; the verbs read their own entry instead of comparing names.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "options.h"

enum verb_flags {
        VERB_NEEDS_INVENTORY = 1 << 0, /* the dispatcher loads -i FILE first */
        VERB_CHANGES_HOSTS = 1 << 1,   /* writes to the hosts (unless --check) */
};

enum rollout {
        ROLLOUT_NONE,                /* no hosts: inventory, report */
        ROLLOUT_ALL_AT_ONCE,         /* every host, -j at a time */
        ROLLOUT_CANARY_THEN_BATCHES, /* one host, then --batch at a time, stopping past --max-fail */
};

struct verb {
        const char *name;
        int min_args, max_args; /* arguments after the verb */
        unsigned flags;         /* enum verb_flags */
        uint64_t options;       /* OPTION_BIT()s of the options it takes */
        uint64_t agent_options; /* of those, the ones passed on to the agent as they were given */
        enum rollout rollout;
        /* Why it needs --yes, or NULL: "tether NAME CONFIRM: pass --yes to go ahead." */
        const char *confirm;
        /* Returns the exit status (>= 0), or a negative errno for a usage or setup error. */
        int (*run)(const struct verb *verb, struct options *options, int argc, char **argv);
        const char *summary; /* for --help */
};

extern const struct verb verbs[];
extern const size_t n_verbs;

/* The verb called name (borrowed from the table), or NULL. */
const struct verb *verb_find(const char *name);

/* Whether verb takes option id. */
bool verb_takes_option(const struct verb *verb, enum option_id id);

/* Checks a command line for verb: the count of arguments after the verb,
 * every option given being one the verb takes (an option of another verb is
 * a mistake to say, not to ignore: 'tether revert --check' must not revert),
 * and --yes where the verb needs it. Returns 0, or -EINVAL with error
 * naming the problem and the verbs that take the option. */
int verb_check_command_line(const struct verb *verb, const struct options *options, int n_args,
                            struct tether_error *error);

/* The verb's options for the agent, as they were given, in the order of
 * the options' table: "--check", "--policy", "follow", ... On success a new
 * NULL-terminated array in *ret. -EINVAL (with error) for a value that is
 * not a plain word (tether_valid_shell_word()), as the agent's command line
 * runs under a shell; -ENOMEM. */
int verb_agent_args(const struct verb *verb, const struct options *options, char ***ret,
                    struct tether_error *error);
