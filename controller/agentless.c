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
#include "agentless.h"
#include "dropin.h"
#include "firewall.h"
#include "host-json.h"
#include "macro.h"
#include "report-assets.h"
#include "strbuf.h"
#include "unit-show.h"
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
 * words, in double quotes, with no character a shell treats there. */
static void append_variables(struct strbuf *script, const char *boundary, const char *properties) {
        strbuf_appendf(script, "B=\"%s\"\nPROPS=\"%s\"\nUNITS=\"%s snap.docker.dockerd.service %s", boundary,
                       properties, TETHER_DOCKER_UNIT, TETHER_WATCH_UNIT);
        for (size_t i = 0; i < tether_firewall_kinds_count; i++)
                strbuf_appendf(script, " %s", tether_firewall_kinds[i].unit);
        strbuf_append(script, "\"\nFILES=\"");
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++)
                strbuf_appendf(script, "%s%s", i ? " " : "", tether_host_file_paths[i]);
        strbuf_append(script, "\"\n");
}

int agentless_command(const char *boundary, bool sudo, const char *prompt, char **ret) {
        _cleanup_(strbuf_free) struct strbuf script = STRBUF_INIT;
        _cleanup_free_ char *properties = tether_unit_show_properties();
        struct strbuf command = STRBUF_INIT;
        char *text;

        if (!properties)
                return -ENOMEM;
        append_variables(&script, boundary, properties);
        strbuf_append(&script, agentless_gather_script.bytes);
        if (script.failed || !script.data)
                return -ENOMEM;
        if (strchr(script.data, '\''))
                return -EINVAL;
        strbuf_append(&command, "/bin/sh -c 'exec ");
        if (sudo && prompt)
                strbuf_appendf(&command, "sudo -S -p \"%s\" -- ", prompt);
        else if (sudo)
                strbuf_append(&command, "sudo -n -- ");
        strbuf_appendf(&command, "/bin/sh -c \"$1\" tether' sh '%s'", script.data);
        text = strbuf_steal(&command);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

int agentless_document(const char *output, size_t length, const char *boundary, enum tether_policy policy,
                       bool policy_forced, const char *verb, const char *run_id, json_t **ret,
                       struct tether_error *error) {
        _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = NULL;
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = NULL;
        json_t *document, *host;
        int r;

        r = tether_sections_parse(output, length, boundary, &sections, error);
        if (r >= 0)
                r = tether_agentless_facts(sections, &facts, error);
        if (r < 0)
                return r;
        if (tether_judge(facts, policy, policy_forced, &judgement) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
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
