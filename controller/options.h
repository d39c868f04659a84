/* SPDX-License-Identifier: MIT */
/*
 * What the command line of tether asked for: one table of its options
 * (options.c: name, short name, the kind of value, where it goes, its
 * range or its choices), filled in by main.c's parse_argv() through
 * option_set() and read by the verbs. Which verb takes which option is
 * verbs.c's table, which the dispatcher checks against `given`.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "inventory.h"

/* Every option, in the order a verb's own options are listed in the
 * report's "options" and passed on to the agent. */
enum option_id {
        OPTION_INVENTORY,
        OPTION_PARALLEL,
        OPTION_LIMIT,
        OPTION_REPORT,
        OPTION_CONNECT_TIMEOUT,
        OPTION_TIMEOUT,
        OPTION_USER,
        OPTION_IDENTITY,
        OPTION_KNOWN_HOSTS,
        OPTION_SSH_CONFIG,
        OPTION_ACCEPT_NEW_HOST_KEYS,
        OPTION_SUDO_PASSWORD_FILE,
        OPTION_ASK_SUDO_PASSWORD,
        OPTION_AGENT,
        OPTION_AGENT_PATH,
        OPTION_JUMP,
        OPTION_SHARD,
        OPTION_JUNIT,
        OPTION_MARKDOWN,
        OPTION_HTML,
        OPTION_RETRY_FILE,
        OPTION_CHECK,
        OPTION_HEAL,
        OPTION_WATCH,
        OPTION_POLICY,
        OPTION_FIREWALL,
        OPTION_YES,
        OPTION_SCENARIO,
        OPTION_WAIT,
        OPTION_BATCH,
        OPTION_MAX_FAIL,
        OPTION_FAIL_ON,
        OPTION_MODE,
        OPTION_JSON,
        OPTION_NAMES,
        OPTION_FORMAT,
        OPTION_OUTPUT,
        OPTION_VERBOSE,
        OPTION_QUIET,
        OPTION_HELP,
        OPTION_VERSION,
        _OPTION_MAX,
};

#define OPTION_BIT(id) (UINT64_C(1) << (id))

/* What an option sets, at the offset of its field in struct options. */
enum option_value {
        OPTION_VALUE_NONE,     /* nothing by itself: its parse function does, or main.c acts on it */
        OPTION_VALUE_BOOL,     /* a flag: a bool, set to true */
        OPTION_VALUE_STRING,   /* a const char *: the argument as given */
        OPTION_VALUE_UNSIGNED, /* an unsigned, from min to max */
};

struct options;

struct option_spec {
        const char *name; /* long name, without "--" */
        char short_name;  /* 0: none */
        enum option_value value;
        size_t offset;              /* of the field it sets: BOOL, STRING, UNSIGNED */
        unsigned min, max;          /* UNSIGNED */
        const char *const *choices; /* STRING: the only values taken (NULL-terminated); NULL: any */
        /* Checks the argument and sets what else it means; touches nothing on failure. */
        int (*parse)(struct options *options, const char *text, struct tether_error *error);
        const char *report_key; /* a verb's own option: its key in the report's "options"; NULL: none */
};

enum output_format {
        OUTPUT_TEXT,
        OUTPUT_JSON,
        OUTPUT_NAMES,
};

/* --batch and --max-fail: a number of hosts or a percentage of them. */
struct host_count {
        unsigned value;
        bool percent;
};

/* At most this many hosts in --batch N and --max-fail N: an inventory's limit. */
#define HOST_COUNT_MAX TETHER_INVENTORY_MAX_HOSTS

struct options {
        uint64_t given; /* OPTION_BIT()s of the options on the command line (not from the environment) */

        const char *inventory_path;         /* -i, or $TETHER_INVENTORY */
        enum output_format format;          /* inventory: --json, --names */
        struct tether_inventory *inventory; /* loaded by the dispatcher for VERB_NEEDS_INVENTORY verbs */
        int log_level;                      /* -v, -q: the last one given; 0: neither */
        bool ssh_log;                       /* -vv: libssh's protocol log too */

        unsigned parallel;       /* -j */
        const char *limit;       /* --limit PATTERN, or the pattern read from FILE for --limit @FILE */
        char *limit_from_file;   /* that pattern, owned */
        const char *report_path; /* --report FILE, or $TETHER_REPORT */
        unsigned connect_timeout_sec;
        unsigned host_timeout_sec;
        const char *user;
        const char *identity_file;
        const char *known_hosts;
        const char *ssh_config; /* --ssh-config FILE, or $TETHER_SSH_CONFIG */
        bool accept_new_host_keys;
        const char *sudo_password_file;
        bool ask_sudo_password;
        const char *agent_file; /* --agent FILE: the agent to deploy */
        const char *agent_path; /* --agent-path PATH: the agent installed on the hosts, deploy none */
        bool quiet;
        const char *jump;                  /* --jump SPEC: the bastions of every host */
        const char *shard;                 /* --shard K/N, as given */
        unsigned shard_index, shard_count; /* K - 1 and N; 0 and 1 without --shard */
        const char *junit_path;            /* --junit FILE */
        const char *retry_file;            /* --retry-file FILE */
        const char *markdown_path;         /* --markdown FILE */
        const char *html_path;             /* --html FILE */
        const char *render_format;         /* report render --format */
        const char *output_path;           /* report: -o FILE */

        /* apply */
        bool check;
        bool heal;
        bool watch;         /* --watch: install tether-watch.service too */
        const char *policy; /* bind, follow; NULL: the agent's default */
        const char *firewall;
        /* test */
        bool yes;
        const char *scenario;
        const char *wait;     /* --wait SECONDS, as given: how long the rules may take to return */
        const char *batch;    /* N or N% after the canary, as given */
        const char *max_fail; /* N or N%, as given */
        struct host_count batch_count, max_fail_count;
        /* audit */
        const char *fail_on;   /* comma-separated verdicts that fail the run, as given */
        const char *mode;      /* --mode: auto, agent, agentless; NULL: auto */
        unsigned fail_on_mask; /* the same, 1 << enum host_verdict */
};

/* The defaults, before the environment and the command line. */
void options_init(struct options *options);

/* The option's entry in the table; NULL for an id out of range. */
const struct option_spec *option_spec_of(enum option_id id);

/* Whether the option takes an argument: STRING and UNSIGNED ones. */
bool option_takes_argument(enum option_id id);

/* Sets option id from text (NULL for an option without argument) and marks
 * it given. On a value out of its range or choices returns -EINVAL and
 * fills error with a sentence that names the option, the value and what
 * it takes; *options is then untouched. */
int option_set(struct options *options, enum option_id id, const char *text, struct tether_error *error);

/* Whether option id is set to something: a flag that is true, a string, a
 * number. For a verb's own options, which are passed on or reported. */
bool option_is_set(const struct options *options, enum option_id id);

/* The option's value for the agent's command line or the report: the
 * string of a STRING or CHOICE option, NULL for others and unset ones. */
const char *option_string(const struct options *options, enum option_id id);

/* "N" hosts or "N%" of total, rounded down. */
size_t host_count_of(struct host_count count, size_t total);

/* Writes "a, b or c" of the NULL-terminated words into buffer (cut to size). */
void join_choices(const char *const *words, char *buffer, size_t size);

/* The report's "options" (docs/schema.md): those of every run, then the
 * ones of own (OPTION_BIT()s of the verb's options) that have a report
 * key, in the table's order. A new reference, NULL when out of memory. */
json_t *options_report_json(const struct options *options, uint64_t own);
