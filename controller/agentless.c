/* SPDX-License-Identifier: MIT */
/*
 * Agentless mode (see agentless.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "agentless-facts.h"
#include "agentless-change.h"
#include "agentless.h"
#include "dropin.h"
#include "firewall.h"
#include "host-json.h"
#include "macro.h"
#include "report-assets.h"
#include "strbuf.h"
#include "unit-show.h"
#include "validate.h"
#include "watch-summary.h"

int agentless_boundary(char ret[static AGENTLESS_BOUNDARY_SIZE]) {
        static const char digits[] = "0123456789abcdef";
        unsigned char bytes[16];
        size_t at;

        if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
                return errno > 0 ? -errno : -EIO;
        at = (size_t)snprintf(ret, AGENTLESS_BOUNDARY_SIZE, "@tether-");
        for (size_t i = 0; i < sizeof(bytes); i++) {
                ret[at++] = digits[bytes[i] >> 4];
                ret[at++] = digits[bytes[i] & 0xf];
        }
        ret[at] = '\0';
        return 0;
}

/* The script's variables (agentless-gather.sh's head): all tether's own
 * words, in double quotes, with no character a shell treats there;
 * extra_unit was checked to be a shell word. */
static void append_variables(struct strbuf *script, const char *boundary, const char *properties,
                             const char *extra_unit) {
        strbuf_appendf(script, "B=\"%s\"\nPROPS=\"%s\"\nUNITS=\"%s snap.docker.dockerd.service %s", boundary,
                       properties, TETHER_DOCKER_UNIT, TETHER_WATCH_UNIT);
        for (size_t i = 0; i < tether_firewall_kinds_count; i++)
                strbuf_appendf(script, " %s", tether_firewall_kinds[i].unit);
        if (extra_unit)
                strbuf_appendf(script, " %s", extra_unit);
        strbuf_append(script, "\"\nFILES=\"");
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++)
                strbuf_appendf(script, "%s%s", i ? " " : "", tether_host_file_paths[i]);
        strbuf_append(script, "\"\n");
}

/* script as the argument of sh -c, as root. */
static int wrap(const struct strbuf *script, bool sudo, const char *prompt, char **ret) {
        struct strbuf command = STRBUF_INIT;
        char *text;

        if (script->failed || !script->data)
                return -ENOMEM;
        if (strchr(script->data, '\''))
                return -EINVAL;
        strbuf_append(&command, "/bin/sh -c 'exec ");
        if (sudo && prompt)
                strbuf_appendf(&command, "sudo -S -p \"%s\" -- ", prompt);
        else if (sudo)
                strbuf_append(&command, "sudo -n -- ");
        strbuf_appendf(&command, "/bin/sh -c \"$1\" tether' sh '%s'", script->data);
        text = strbuf_steal(&command);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

/* The head and the gathering script's functions. */
static int begin_script(struct strbuf *script, const char *boundary, const char *extra_unit) {
        _cleanup_free_ char *properties = tether_unit_show_properties();

        if (!properties)
                return -ENOMEM;
        if (extra_unit && !tether_valid_shell_word(extra_unit))
                return -EINVAL;
        append_variables(script, boundary, properties, extra_unit);
        strbuf_append(script, agentless_gather_script.bytes);
        return 0;
}

int agentless_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                      char **ret) {
        _cleanup_(strbuf_free) struct strbuf script = STRBUF_INIT;
        int r;

        r = begin_script(&script, boundary, extra_unit);
        if (r < 0)
                return r;
        strbuf_append(&script, "gather\n");
        return wrap(&script, sudo, prompt, ret);
}

int agentless_change_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                             const struct agentless_plan *plan, char **ret) {
        _cleanup_(strbuf_free) struct strbuf script = STRBUF_INIT;
        _cleanup_free_ char *words = NULL;
        int r;

        r = begin_script(&script, boundary, extra_unit);
        if (r < 0)
                return r;
        strbuf_appendf(&script, "VERB=\"%s\"\nTIES=\"", plan->verb);
        for (size_t i = 0; plan->ties[i]; i++) {
                if (!tether_valid_shell_word(plan->ties[i]))
                        return -EINVAL;
                strbuf_appendf(&script, "%s%s", i ? " " : "", plan->ties[i]);
        }
        strbuf_append(&script, "\"\n");
        strbuf_append(&script, agentless_change_script.bytes);
        r = agentless_change_words(plan, &words);
        if (r < 0)
                return r;
        strbuf_append(&script, words);
        return wrap(&script, sudo, prompt, ret);
}

int agentless_test_command(const char *boundary, bool sudo, const char *prompt, const char *extra_unit,
                           const char *words, char **ret) {
        _cleanup_(strbuf_free) struct strbuf script = STRBUF_INIT;
        int r;

        r = begin_script(&script, boundary, extra_unit);
        if (r < 0)
                return r;
        strbuf_append(&script, agentless_test_script.bytes);
        strbuf_append(&script, words);
        return wrap(&script, sudo, prompt, ret);
}

int agentless_judge(const struct tether_sections *sections, enum tether_policy policy, bool policy_forced,
                    struct tether_host_facts **ret_facts, struct tether_judgement **ret_judgement,
                    struct tether_error *error) {
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        int r;

        r = tether_agentless_facts(sections, &facts, error);
        if (r < 0)
                return r;
        if (tether_judge(facts, policy, policy_forced, ret_judgement) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret_facts = TAKE_PTR(facts);
        return 0;
}

int agentless_document_of(const struct tether_sections *sections, enum tether_policy policy,
                          bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                          struct tether_error *error) {
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        int r;

        r = agentless_judge(sections, policy, policy_forced, &facts, &judgement, error);
        return r < 0 ? r : agentless_host_document(facts, judgement, verb, run_id, ret, error);
}

int agentless_host_document(const struct tether_host_facts *facts, const struct tether_judgement *judgement,
                            const char *verb, const char *run_id, json_t **ret, struct tether_error *error) {
        json_t *document, *host;

        host = tether_host_to_json(facts, judgement);
        document = json_pack("{s:s, s:s, s:s, s:s?, s:i}", "schema", "tether.host/1", "mode", "agentless",
                             "verb", verb, "run_id", run_id, "exit_status", 0);
        if (!host || !document || json_object_update_missing(document, host) < 0) {
                json_decref(host);
                json_decref(document);
                return tether_error_set(error, -ENOMEM, "out of memory");
        }
        json_decref(host);
        *ret = document;
        return 0;
}

int agentless_document(const char *output, size_t length, const char *boundary, enum tether_policy policy,
                       bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                       struct tether_error *error) {
        _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
        int r;

        r = tether_sections_parse(output, length, boundary, &sections, error);
        return r < 0 ? r : agentless_document_of(sections, policy, policy_forced, verb, run_id, ret, error);
}
