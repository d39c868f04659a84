/* SPDX-License-Identifier: MIT */
/*
 * The table of tether's options (see options.h) and the parsing of each
 * one's argument: numbers in their range, words among their choices, and
 * the few that need a parser of their own (--user, --firewall, --agent-path, --shard,
 * --batch, --max-fail, --fail-on). A refused value leaves the options as
 * they were and says, in the error, what the option takes:
 *
 *   --timeout takes a whole number from 1 to 86400, got '90000'.
 *   --policy: use bind or follow, not 'tie'.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "jump.h"
#include "options.h"
#include "outcome.h"
#include "parse-util.h"
#include "select.h"
#include "validate.h"

static const char *const policies[] = {"bind", "follow", NULL};
static const char *const modes[] = {"auto", "agent", "agentless", NULL};
static const char *const scenarios[] = {"restart", "stop-start", "reload", "flush", NULL};

static int parse_user(struct options *options, const char *text, struct tether_error *error) {
        if (!tether_valid_user_name(text))
                return tether_error_set(error, -EINVAL, "--user: '%s' is not a valid user name.", text);
        return 0;
}

static int parse_firewall(struct options *options, const char *text, struct tether_error *error) {
        if (!tether_valid_unit_name(text) && !tether_valid_host_name(text))
                return tether_error_set(error, -EINVAL, "--firewall: '%s' is not a unit name.", text);
        return 0;
}

static int parse_agent_path(struct options *options, const char *text, struct tether_error *error) {
        if (!tether_valid_agent_path(text))
                return tether_error_set(
                        error, -EINVAL,
                        "--agent-path: '%s' is not the absolute path of an agent installed on "
                        "the hosts, such as /usr/libexec/tether/tether-agent.",
                        text);
        return 0;
}

static int parse_jump(struct options *options, const char *text, struct tether_error *error) {
        struct tether_error jump_error = TETHER_ERROR_INIT;
        int r = tether_jump_check(text, &jump_error);

        return r < 0 ? tether_error_set(error, r, "--jump: %s.", jump_error.text) : 0;
}

static int parse_shard(struct options *options, const char *text, struct tether_error *error) {
        struct tether_error shard_error = TETHER_ERROR_INIT;
        unsigned index, count;

        if (tether_shard_parse(text, &index, &count, &shard_error) < 0)
                return tether_error_set(error, -EINVAL, "--shard: %s", shard_error.text);
        options->shard_index = index;
        options->shard_count = count;
        return 0;
}

/* "N" hosts, 0 to HOST_COUNT_MAX, or "N%", 0% to 100%. */
static int parse_host_count(const char *option, const char *text, struct host_count *ret,
                            struct tether_error *error) {
        size_t length = strlen(text);
        bool percent = length > 0 && text[length - 1] == '%';
        _cleanup_free_ char *number = strndup(text, length - percent);
        unsigned value;

        if (!number)
                return tether_error_set(error, -ENOMEM, "Out of memory.");
        if (tether_parse_unsigned(number, 0, percent ? 100 : HOST_COUNT_MAX, &value) < 0)
                return tether_error_set(error, -EINVAL,
                                        "%s takes a number of hosts from 0 to %u or a percentage from 0%% "
                                        "to 100%%, got '%s'.",
                                        option, HOST_COUNT_MAX, text);
        *ret = (struct host_count){.value = value, .percent = percent};
        return 0;
}

/* The agent's own range: a second to an hour. */
static int parse_wait(struct options *options, const char *text, struct tether_error *error) {
        unsigned seconds;

        if (tether_parse_unsigned(text, 1, 3600, &seconds) < 0)
                return tether_error_set(error, -EINVAL, "--wait takes seconds from 1 to 3600, got '%s'.",
                                        text);
        return 0;
}

static int parse_batch(struct options *options, const char *text, struct tether_error *error) {
        return parse_host_count("--batch", text, &options->batch_count, error);
}

static int parse_max_fail(struct options *options, const char *text, struct tether_error *error) {
        return parse_host_count("--max-fail", text, &options->max_fail_count, error);
}

/* The verdicts --fail-on takes: every host verdict but skipped (a host
 * that did nothing fails nothing). */
static bool fail_on_takes(enum host_verdict verdict) {
        return verdict != HOST_VERDICT_NONE && verdict != HOST_VERDICT_SKIPPED;
}

static void fail_on_choices(char *buffer, size_t size) {
        const char *words[_HOST_VERDICT_MAX + 1] = {};
        size_t n = 0;

        for (enum host_verdict v = 0; v < _HOST_VERDICT_MAX; v++)
                if (fail_on_takes(v))
                        words[n++] = host_verdict_to_string(v);
        join_choices(words, buffer, size);
}

/* Verdicts separated by single commas; "" and one trailing comma are
 * taken (as they always were), an empty item elsewhere is not. */
static int parse_fail_on(struct options *options, const char *text, struct tether_error *error) {
        char choices[256];
        unsigned mask = 0;
        size_t item = 1;

        fail_on_choices(choices, sizeof(choices));
        for (const char *p = text; p && *p; item++) {
                const char *end = strchrnul(p, ',');
                size_t n = (size_t)(end - p);
                _cleanup_free_ char *word = strndup(p, n);
                enum host_verdict verdict = HOST_VERDICT_NONE;

                if (!word)
                        return tether_error_set(error, -ENOMEM, "Out of memory.");
                if (n == 0)
                        return tether_error_set(
                                error, -EINVAL,
                                "--fail-on '%s': item %zu is empty; give verdicts separated by "
                                "single commas: %s.",
                                text, item, choices);
                (void)host_verdict_from_string(word, &verdict);
                if (!fail_on_takes(verdict))
                        return tether_error_set(error, -EINVAL, "--fail-on: unknown verdict '%s'; use %s.",
                                                word, choices);
                mask |= 1u << verdict;
                p = *end ? end + 1 : NULL;
        }
        options->fail_on_mask = mask;
        return 0;
}

static int parse_json(struct options *options, const char *text, struct tether_error *error) {
        options->format = OUTPUT_JSON;
        return 0;
}

static int parse_names(struct options *options, const char *text, struct tether_error *error) {
        options->format = OUTPUT_NAMES;
        return 0;
}

static int parse_verbose(struct options *options, const char *text, struct tether_error *error) {
        /* -vv, as ssh's: the SSH protocol too. */
        options->ssh_log = options->log_level == LOG_DEBUG;
        options->log_level = LOG_DEBUG;
        return 0;
}

static int parse_quiet(struct options *options, const char *text, struct tether_error *error) {
        options->ssh_log = false;
        options->log_level = LOG_ERR;
        return 0;
}

#define FIELD(f) .offset = offsetof(struct options, f)

static const struct option_spec specs[_OPTION_MAX] = {
        [OPTION_INVENTORY] = {"inventory", 'i', OPTION_VALUE_STRING, FIELD(inventory_path)},
        [OPTION_PARALLEL] = {"parallel", 'j', OPTION_VALUE_UNSIGNED, FIELD(parallel), .min = 1, .max = 1024},
        [OPTION_LIMIT] = {"limit", 0, OPTION_VALUE_STRING, FIELD(limit)},
        [OPTION_REPORT] = {"report", 0, OPTION_VALUE_STRING, FIELD(report_path)},
        [OPTION_CONNECT_TIMEOUT] = {"connect-timeout", 0, OPTION_VALUE_UNSIGNED, FIELD(connect_timeout_sec),
                                    .min = 1, .max = 3600},
        [OPTION_TIMEOUT] = {"timeout", 0, OPTION_VALUE_UNSIGNED, FIELD(host_timeout_sec), .min = 1,
                            .max = 86400},
        [OPTION_USER] = {"user", 0, OPTION_VALUE_STRING, FIELD(user), .parse = parse_user},
        [OPTION_IDENTITY] = {"identity", 0, OPTION_VALUE_STRING, FIELD(identity_file)},
        [OPTION_KNOWN_HOSTS] = {"known-hosts", 0, OPTION_VALUE_STRING, FIELD(known_hosts)},
        [OPTION_SSH_CONFIG] = {"ssh-config", 0, OPTION_VALUE_STRING, FIELD(ssh_config)},
        [OPTION_ACCEPT_NEW_HOST_KEYS] = {"accept-new-host-keys", 0, OPTION_VALUE_BOOL,
                                         FIELD(accept_new_host_keys)},
        [OPTION_SUDO_PASSWORD_FILE] = {"sudo-password-file", 0, OPTION_VALUE_STRING,
                                       FIELD(sudo_password_file)},
        [OPTION_ASK_SUDO_PASSWORD] = {"ask-sudo-password", 'K', OPTION_VALUE_BOOL, FIELD(ask_sudo_password)},
        [OPTION_AGENT] = {"agent", 0, OPTION_VALUE_STRING, FIELD(agent_file)},
        [OPTION_AGENT_PATH] = {"agent-path", 0, OPTION_VALUE_STRING, FIELD(agent_path),
                               .parse = parse_agent_path},
        [OPTION_JUMP] = {"jump", 'J', OPTION_VALUE_STRING, FIELD(jump), .parse = parse_jump},
        [OPTION_SHARD] = {"shard", 0, OPTION_VALUE_STRING, FIELD(shard), .parse = parse_shard},
        [OPTION_JUNIT] = {"junit", 0, OPTION_VALUE_STRING, FIELD(junit_path)},
        [OPTION_MARKDOWN] = {"markdown", 0, OPTION_VALUE_STRING, FIELD(markdown_path)},
        [OPTION_HTML] = {"html", 0, OPTION_VALUE_STRING, FIELD(html_path)},
        [OPTION_RETRY_FILE] = {"retry-file", 0, OPTION_VALUE_STRING, FIELD(retry_file)},
        [OPTION_CHECK] = {"check", 0, OPTION_VALUE_BOOL, FIELD(check), .report_key = "check"},
        [OPTION_HEAL] = {"heal", 0, OPTION_VALUE_BOOL, FIELD(heal), .report_key = "heal"},
        [OPTION_WATCH] = {"watch", 0, OPTION_VALUE_BOOL, FIELD(watch), .report_key = "watch"},
        [OPTION_POLICY] = {"policy", 0, OPTION_VALUE_STRING, FIELD(policy), .choices = policies,
                           .report_key = "policy"},
        [OPTION_FIREWALL] = {"firewall", 0, OPTION_VALUE_STRING, FIELD(firewall), .parse = parse_firewall,
                             .report_key = "firewall"},
        [OPTION_YES] = {"yes", 0, OPTION_VALUE_BOOL, FIELD(yes)},
        [OPTION_SCENARIO] = {"scenario", 0, OPTION_VALUE_STRING, FIELD(scenario), .choices = scenarios,
                             .report_key = "scenario"},
        [OPTION_WAIT] = {"wait", 0, OPTION_VALUE_STRING, FIELD(wait), .parse = parse_wait,
                         .report_key = "wait"},
        [OPTION_BATCH] = {"batch", 0, OPTION_VALUE_STRING, FIELD(batch), .parse = parse_batch,
                          .report_key = "batch"},
        [OPTION_MAX_FAIL] = {"max-fail", 0, OPTION_VALUE_STRING, FIELD(max_fail), .parse = parse_max_fail,
                             .report_key = "max_fail"},
        [OPTION_FAIL_ON] = {"fail-on", 0, OPTION_VALUE_STRING, FIELD(fail_on), .parse = parse_fail_on,
                            .report_key = "fail_on"},
        [OPTION_MODE] = {"mode", 0, OPTION_VALUE_STRING, FIELD(mode), .choices = modes,
                         .report_key = "mode"},
        [OPTION_JSON] = {"json", 0, OPTION_VALUE_NONE, .parse = parse_json},
        [OPTION_NAMES] = {"names", 0, OPTION_VALUE_NONE, .parse = parse_names},
        [OPTION_FORMAT] = {"format", 0, OPTION_VALUE_STRING, FIELD(render_format)},
        [OPTION_OUTPUT] = {"output", 'o', OPTION_VALUE_STRING, FIELD(output_path)},
        [OPTION_VERBOSE] = {"verbose", 'v', OPTION_VALUE_NONE, .parse = parse_verbose},
        [OPTION_QUIET] = {"quiet", 'q', OPTION_VALUE_BOOL, FIELD(quiet), .parse = parse_quiet},
        [OPTION_HELP] = {"help", 'h', OPTION_VALUE_NONE},
        [OPTION_VERSION] = {"version", 0, OPTION_VALUE_NONE},
};

void options_init(struct options *options) {
        *options = (struct options){
                .parallel = 32,
                .connect_timeout_sec = 10,
                .host_timeout_sec = 300,
                .shard_count = 1,
        };
}

const struct option_spec *option_spec_of(enum option_id id) {
        return (unsigned)id < _OPTION_MAX ? &specs[id] : NULL;
}

bool option_takes_argument(enum option_id id) {
        const struct option_spec *spec = option_spec_of(id);

        return spec && (spec->value == OPTION_VALUE_STRING || spec->value == OPTION_VALUE_UNSIGNED);
}

void join_choices(const char *const *words, char *buffer, size_t size) {
        size_t n = 0, used = 0;

        while (words[n])
                n++;
        buffer[0] = '\0';
        for (size_t i = 0; i < n && used < size; i++) {
                int written = snprintf(buffer + used, size - used, "%s%s",
                                       i == 0 ? "" : (i + 1 == n ? " or " : ", "), words[i]);
                if (written < 0)
                        break;
                used += (size_t)written;
        }
}

int option_set(struct options *options, enum option_id id, const char *text, struct tether_error *error) {
        const struct option_spec *spec = option_spec_of(id);
        char *field;
        unsigned number = 0;
        int r;

        if (!spec)
                return tether_error_set(error, -EINVAL, "Unknown option %d.", (int)id);
        if (option_takes_argument(id) && !text)
                return tether_error_set(error, -EINVAL, "--%s needs an argument.", spec->name);
        if (spec->value == OPTION_VALUE_UNSIGNED &&
            tether_parse_unsigned(text, spec->min, spec->max, &number) < 0)
                return tether_error_set(error, -EINVAL, "--%s takes a whole number from %u to %u, got '%s'.",
                                        spec->name, spec->min, spec->max, text);
        if (spec->choices && !strv_contains((char *const *)spec->choices, text)) {
                char choices[256];

                join_choices(spec->choices, choices, sizeof(choices));
                return tether_error_set(error, -EINVAL, "--%s: use %s, not '%s'.", spec->name, choices,
                                        text);
        }
        if (spec->parse) {
                r = spec->parse(options, text, error);
                if (r < 0)
                        return r;
        }

        field = (char *)options + spec->offset;
        switch (spec->value) {
        case OPTION_VALUE_BOOL:
                *(bool *)field = true;
                break;
        case OPTION_VALUE_STRING:
                *(const char **)field = text;
                break;
        case OPTION_VALUE_UNSIGNED:
                *(unsigned *)field = number;
                break;
        case OPTION_VALUE_NONE:
                break;
        }
        options->given |= OPTION_BIT(id);
        return 0;
}

bool option_is_set(const struct options *options, enum option_id id) {
        const struct option_spec *spec = option_spec_of(id);
        const char *field;

        if (!spec)
                return false;
        field = (const char *)options + spec->offset;
        switch (spec->value) {
        case OPTION_VALUE_BOOL:
                return *(const bool *)field;
        case OPTION_VALUE_STRING:
                return *(const char *const *)field != NULL;
        default:
                return options->given & OPTION_BIT(id);
        }
}

const char *option_string(const struct options *options, enum option_id id) {
        const struct option_spec *spec = option_spec_of(id);

        if (!spec || spec->value != OPTION_VALUE_STRING)
                return NULL;
        return *(const char *const *)((const char *)options + spec->offset);
}

size_t host_count_of(struct host_count count, size_t total) {
        return count.percent ? total * count.value / 100 : count.value;
}

json_t *options_report_json(const struct options *options, uint64_t own) {
        json_t *json =
                json_pack("{s:i, s:s?, s:s?, s:i, s:i, s:s?, s:b, s:b}", "parallel",
                          (json_int_t)options->parallel, "limit", options->limit, "shard", options->shard,
                          "connect_timeout_sec", (json_int_t)options->connect_timeout_sec, "timeout_sec",
                          (json_int_t)options->host_timeout_sec, "user", options->user,
                          "accept_new_host_keys", options->accept_new_host_keys, "sudo_password",
                          options->sudo_password_file || options->ask_sudo_password);

        for (enum option_id id = 0; json && id < _OPTION_MAX; id++) {
                const struct option_spec *spec = option_spec_of(id);
                const char *value = option_string(options, id);
                json_t *item;

                if (!spec->report_key || !(own & OPTION_BIT(id)))
                        continue;
                item = spec->value == OPTION_VALUE_BOOL ? json_boolean(option_is_set(options, id))
                       : value                          ? json_string(value)
                                                        : json_null();
                if (json_object_set_new(json, spec->report_key, item) < 0) {
                        json_decref(json);
                        return NULL;
                }
        }
        return json;
}
