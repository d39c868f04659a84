/* SPDX-License-Identifier: MIT */
/*
 * `tether inventory -i FILE`: shows the hosts as tether understands them,
 * after defaults are merged and an Ansible inventory is translated, so a
 * sysadmin can check an inventory before running anything against it, and
 * which hosts --limit and --shard select.
 *
 *   NAME     ADDRESS        USER    PORT  SUDO  FIREWALL  TAGS
 *   web-01   203.0.113.10   deploy  22    yes   auto      web,rhel9
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-inventory.h"
#include "escape.h"
#include "log.h"
#include "macro.h"
#include "rollout.h"

/* A refused host's reason may quote any value of an inventory script's
 * output (ansible_connection=...), which a cloud's API may have filled:
 * it is escaped for the terminal. Names, addresses, users, units and tags
 * are held to plain characters by the parser (validate.h). */
static void print_refusal(FILE *out, const char *refusal) {
        _cleanup_(strbuf_free) struct strbuf escaped = STRBUF_INIT;

        tether_escape_terminal(&escaped, refusal, strlen(refusal), 0);
        fprintf(out, "%-24s refused: %s\n", "",
                escaped.failed || !escaped.data ? "(out of memory)" : escaped.data);
}

void cmd_inventory_print_table(FILE *out, const struct tether_host *const *hosts, size_t n_hosts) {
        fprintf(out, "%-24s %-28s %-10s %-5s %-5s %-28s %s\n", "NAME", "ADDRESS", "USER", "PORT", "SUDO",
                "FIREWALL", "TAGS");
        for (size_t i = 0; i < n_hosts; i++) {
                const struct tether_host *host = hosts[i];
                char port[16] = "-";

                if (host->port > 0)
                        snprintf(port, sizeof(port), "%u", host->port);
                fprintf(out, "%-24s %-28s %-10s %-5s %-5s %-28s ", host->name, host->address,
                        host->user ? host->user : "-", port,
                        host->sudo < 0 ? "auto" : (host->sudo ? "yes" : "no"), host->firewall);
                for (size_t t = 0; t < host->n_tags; t++)
                        fprintf(out, "%s%s", t > 0 ? "," : "", host->tags[t]);
                fprintf(out, "%s\n", host->n_tags == 0 ? "-" : "");
                if (host->refusal)
                        print_refusal(out, host->refusal);
        }
}

/* The selected hosts as an inventory of their own (borrowed hosts, so only
 * the array is freed), for the JSON form. */
static json_t *selection_to_json(const struct tether_inventory *inventory,
                                 const struct tether_host *const *hosts, size_t n_hosts) {
        struct tether_inventory selected = *inventory;
        _cleanup_free_ struct tether_host *copies = calloc(n_hosts, sizeof(*copies));

        if (!copies)
                return NULL;
        for (size_t i = 0; i < n_hosts; i++)
                copies[i] = *hosts[i];
        selected.hosts = copies;
        selected.n_hosts = n_hosts;
        return tether_inventory_to_json(&selected);
}

int cmd_inventory(const struct verb *verb, struct options *options, int argc, char **argv) {
        _cleanup_free_ const struct tether_host **hosts = NULL;
        struct tether_error error = {0};
        size_t n_hosts = 0;
        int r;

        r = select_hosts(options->inventory, options, &hosts, &n_hosts, &error);
        if (r < 0)
                return log_error_errno(r, "%s", error.text);

        switch (options->format) {
        case OUTPUT_NAMES:
                for (size_t i = 0; i < n_hosts; i++)
                        printf("%s\n", hosts[i]->name);
                break;
        case OUTPUT_JSON: {
                json_t *json = selection_to_json(options->inventory, hosts, n_hosts);

                if (!json)
                        return log_error_errno(-ENOMEM, "Failed to render the inventory as JSON: %m");
                json_dumpf(json, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                printf("\n");
                json_decref(json);
                break;
        }
        case OUTPUT_TEXT:
                cmd_inventory_print_table(stdout, hosts, n_hosts);
                break;
        }
        return fflush(stdout) == 0 ? 0 : log_error_errno(-errno, "Failed to write to stdout: %m");
}
