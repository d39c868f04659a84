/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentless-test.h"
#include "macro.h"
#include "netfilter.h"
#include "parse-util.h"
#include "strbuf.h"
#include "validate.h"

int agentless_test_options_parse(char *const *args, struct agentless_test_options *ret) {
        struct agentless_test_options options = {.scenario = TETHER_TEST_SCENARIO_RESTART,
                                                 .wait_seconds = 60};

        for (size_t i = 0; args && args[i]; i++) {
                if (strcmp(args[i], "--scenario") == 0 && args[i + 1]) {
                        if (tether_test_scenario_from_name(args[++i], &options.scenario) < 0)
                                return -EINVAL;
                } else if (strcmp(args[i], "--wait") == 0 && args[i + 1]) {
                        if (tether_parse_unsigned(args[++i], 1, 3600, &options.wait_seconds) < 0)
                                return -EINVAL;
                } else if (strcmp(args[i], "--firewall") == 0 && args[i + 1])
                        options.firewall = args[++i];
                else
                        return -EINVAL;
        }
        *ret = options;
        return 0;
}

int agentless_test_words(const char *unit, const struct agentless_test_options *options, char **ret) {
        char *words;

        if (!tether_valid_unit_name(unit) || !tether_valid_shell_word(unit) ||
            options->scenario == TETHER_TEST_SCENARIO_FLUSH)
                return -EINVAL;
        if (asprintf(&words, "check_in\nrun_test %s %s %u\ngather\n", unit,
                     tether_test_scenario_name(options->scenario), options->wait_seconds) < 0)
                return -ENOMEM;
        *ret = words;
        return 0;
}

/* The value of "KEY VALUE" lines in text: a pointer into it, up to the
 * end of its line (*ret_length), or NULL. */
static const char *field(const char *text, const char *key, size_t *ret_length) {
        size_t key_length = strlen(key);

        for (const char *line = text; line && *line;
             line = strchr(line, '\n'), line = line ? line + 1 : NULL)
                if (strncmp(line, key, key_length) == 0 && line[key_length] == ' ') {
                        const char *value = line + key_length + 1;

                        *ret_length = strcspn(value, "\n");
                        return value;
                }
        return NULL;
}

static bool field_is(const char *text, const char *key, const char *value) {
        size_t length;
        const char *found = field(text, key, &length);

        return found && length == strlen(value) && strncmp(found, value, length) == 0;
}

/* The section name, or -EBADMSG saying the answer lacks it. */
static int need(const struct tether_sections *sections, const char *name, const struct tether_section **ret,
                struct tether_error *error) {
        *ret = tether_sections_get(sections, name);
        if (!*ret)
                return tether_error_set(error, -EBADMSG, "the test's answer has no section \"%s\"", name);
        return 0;
}

/* How many items of the rules before (the facts the test was judged on,
 * as the agent has them) the rules "ANOTHER FAMILY" lack, both families;
 * -EBADMSG when the script could not read IPv4's. */
static int missing_items(const struct tether_sections *sections, const struct tether_host_facts *before,
                         const char *another, size_t *ret, struct tether_error *error) {
        size_t missing = 0;

        for (unsigned family = 4; family <= 6; family += 2) {
                const struct tether_netfilter_snapshot *was = family == 4 ? before->ipv4 : before->ipv6;
                _cleanup_netfilter_snapshot_ struct tether_netfilter_snapshot *after = NULL, *lost = NULL;
                struct tether_error unread = TETHER_ERROR_INIT;
                const struct tether_section *now;
                char name[32];
                int r;

                snprintf(name, sizeof(name), "%s %u", another, family);
                r = need(sections, name, &now, error);
                if (r < 0)
                        return r;
                /* IPv6 is optional, as the agent has it: no ip6tables, no IPv6 rules to lose. */
                if (family == 6 && (!was || now->status != 0 || now->length == 0))
                        continue;
                if (!was)
                        return tether_error_set(error, -EBADMSG,
                                                "the host's rules were not read before the test");
                if (now->status != 0 ||
                    tether_netfilter_parse_save(now->text, now->length, &after, &unread) < 0)
                        return tether_error_set(error, -EBADMSG,
                                                "the test could not read the rules %s it: %s", another,
                                                now->status != 0 ? "iptables-save failed" : unread.text);
                r = tether_netfilter_diff(was, after, &lost);
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
                missing += lost->n_items;
        }
        *ret = missing;
        return 0;
}

/* The firewall job's error, as the agent says it: "RestartUnit UNIT:
 * systemd's job ended with ..." (the script prints the method, the unit's
 * result and systemctl's words). */
static char *job_error(const struct tether_section *job, const char *unit) {
        size_t method_length = 0, result_length = 0;
        const char *method = field(job->text, "method", &method_length);
        const char *result = field(job->text, "result", &result_length);
        char *text;

        if (asprintf(&text,
                     "%.*s %s: systemd's job ended with \"%s\" (the unit's result: %.*s; see journalctl -u "
                     "%s)",
                     method ? (int)method_length : 10, method ? method : "RestartUnit", unit,
                     strstr(job->text, "dependency job") ? "dependency" : "failed",
                     result && result_length ? (int)result_length : 7,
                     result && result_length ? result : "unknown", unit) < 0)
                return NULL;
        return text;
}

/* The repair the script made: what it did, and whether docker runs with
 * every rule of before. */
static int repair_entry(const struct tether_sections *sections, const struct tether_host_facts *before,
                        const char *unit, json_t **ret, struct tether_error *error) {
        const struct tether_section *repair = tether_sections_get(sections, "repair");
        _cleanup_free_ char *action = NULL;
        size_t missing = 0, length;
        const char *how;
        bool ok;
        int r;

        if (!repair) {
                /* The script saw every rule back where tether does not: it
                 * did not touch docker, and says so. */
                *ret = json_pack("{s:s, s:b, s:s}", "action", "none: the host saw its rules back", "ok",
                                 false, "error",
                                 "the test script and tether disagree on the rules; restart docker");
                return *ret ? 0 : tether_error_set(error, -ENOMEM, "out of memory");
        }
        r = missing_items(sections, before, "repaired", &missing, error);
        if (r < 0)
                return r;
        how = field(repair->text, "how", &length);
        action = tether_test_repair_action(how && strncmp(how, "restarted", length) == 0,
                                           how && strncmp(how, "started-without-requirements", length) == 0,
                                           unit);
        ok = field_is(repair->text, "status", "0") && field_is(repair->text, "running", "yes") &&
             missing == 0;
        *ret = tether_test_repair_entry(
                action, ok, missing,
                field_is(repair->text, "status", "0") ? NULL : "systemctl could not start docker");
        return *ret ? 0 : tether_error_set(error, -ENOMEM, "out of memory");
}

/* The first stop command of the firewall's that failed in the job, from
 * the script's "stop" section (journalctl's records of its exits, one JSON
 * object a line): none (code 0) where the section is missing or the
 * journal could not be read, as the agent says none there. */
static struct tether_exec_failure stop_failure(const struct tether_sections *sections) {
        const struct tether_section *stop = tether_sections_get(sections, "stop");
        struct tether_exec_failure failure = {.code = 0};

        for (size_t at = 0; stop && stop->status == 0 && at < stop->length;) {
                size_t length = strcspn(stop->text + at, "\n");
                json_t *record = json_loadb(stop->text + at, length, 0, NULL);
                bool failed =
                        record && tether_test_stop_failed(
                                          json_string_value(json_object_get(record, "COMMAND")),
                                          json_string_value(json_object_get(record, "EXIT_CODE")),
                                          json_string_value(json_object_get(record, "EXIT_STATUS")),
                                          json_string_value(json_object_get(record, "PRIORITY")), &failure);

                json_decref(record);
                if (failed)
                        break;
                at += length + 1;
        }
        return failure;
}

int agentless_test_entry(const struct tether_sections *sections, const struct tether_host_facts *before,
                         const char *unit, const struct agentless_test_options *options, json_t **ret,
                         bool *ret_passed, struct tether_error *error) {
        const struct tether_section *lock, *job, *observed;
        struct tether_test_observation seen = {};
        _cleanup_free_ char *job_failed = NULL;
        json_t *entry, *repair = NULL;
        size_t length;
        const char *at;
        bool passed;
        int r;

        r = need(sections, "lock", &lock, error);
        if (r < 0)
                return r;
        if (strncmp(lock->text, "busy", 4) == 0)
                return tether_error_set(error, -EBUSY, "%.*s", (int)strcspn(lock->text, "\n"), lock->text);
        if ((r = need(sections, "job", &job, error)) < 0 ||
            (r = need(sections, "observed", &observed, error)) < 0)
                return r;
        /* A failed job is not watched, so nothing of the rules is seen,
         * as with the agent. */
        if (tether_sections_get(sections, "unreadable"))
                return tether_error_set(
                        error, -EBADMSG,
                        "the test could not read the rules before it (iptables-save failed); "
                        "nothing was restarted");
        r = job->status == 0 ? missing_items(sections, before, "after", &seen.missing, error) : 0;
        if (r < 0)
                return r;
        seen.docker_restarted = field_is(observed->text, "restarted", "yes");
        seen.docker_active = field_is(observed->text, "running", "yes");
        seen.docker_changing = field_is(observed->text, "changing", "yes");
        seen.healed = seen.docker_active && seen.missing == 0;
        at = field(observed->text, "at_ms", &length);
        seen.heal_usec = at ? strtoull(at, NULL, 10) * 1000ULL : 0;
        seen.stop_failure = stop_failure(sections);
        if (job->status != 0) {
                job_failed = job_error(job, unit);
                if (!job_failed)
                        return tether_error_set(error, -ENOMEM, "out of memory");
        }

        entry = tether_test_entry(unit, tether_test_scenario_name(options->scenario), &seen, job_failed,
                                  &passed);
        if (!entry)
                return tether_error_set(error, -ENOMEM, "out of memory");
        if (!passed) {
                if (!job_failed)
                        json_object_set_new(entry, "reason", json_string(tether_test_failure_reason(&seen)));
                if (tether_test_needs_repair(&seen) || tether_sections_get(sections, "repair")) {
                        r = repair_entry(sections, before, unit, &repair, error);
                        if (r < 0) {
                                json_decref(entry);
                                return r;
                        }
                        json_object_set_new(entry, "repair", repair);
                }
                if (job_failed)
                        tether_test_job_failure_reason(entry, unit);
        }
        *ret = entry;
        *ret_passed = passed;
        return 0;
}
