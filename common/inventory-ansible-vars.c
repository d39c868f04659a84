/* SPDX-License-Identifier: MIT */
/*
 * The Ansible host variables that say how to reach a host, beyond the ones
 * the field table maps (ansible_host, ansible_user, ...): taken where
 * tether can honour them, and otherwise a reason, kept with the host, why
 * tether will not run it (the run reports the host failed, stage
 * "inventory"; the other hosts run). Silently dropping them would reach a
 * host the wrong way, or not the way its owner wrote down.
 *
 *   ansible_ssh_common_args: "-o ProxyJump=ops@bastion"   -> jump
 *   ansible_connection: local                              -> refused
 *   ansible_become_method: su                              -> refused
 *   ansible_host: "{{ lookup('env', 'WEB_IP') }}"          -> refused
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inventory-internal.h"
#include "jump.h"

/* ssh options harmless to leave to tether's own settings. */
static const char *const ignored_ssh_options[] = {
        "ServerAliveInterval",
        "ServerAliveCountMax",
        "ControlMaster",
        "ControlPersist",
        "ControlPath",
        "ConnectTimeout",
        "LogLevel",
        "Compression",
        "TCPKeepAlive",
        "ForwardAgent",
        "PreferredAuthentications",
};

static int refuse(struct inventory_parser *p, struct tether_host *host, const char *format, ...)
        _printf_(3, 4);
static int refuse(struct inventory_parser *p, struct tether_host *host, const char *format, ...) {
        va_list ap;
        char *reason = NULL;

        if (host->refusal)
                return 0; /* the first reason is the one reported */
        va_start(ap, format);
        if (vasprintf(&reason, format, ap) < 0)
                reason = NULL;
        va_end(ap);
        if (!reason)
                return inventory_fail_oom(p);
        host->refusal = reason;
        return 0;
}

static bool is_template(const char *s) {
        return s && (strstr(s, "{{") || strstr(s, "{%"));
}

/* One "-o Key=Value" (or "-oKey=Value", "-o Key Value" is not ssh's). */
static int take_ssh_option(struct inventory_parser *p, struct tether_host *host, const char *var,
                           const char *option) {
        size_t key_length = strcspn(option, "= ");
        const char *value = option[key_length] ? option + key_length + 1 : "";
        struct tether_error error = TETHER_ERROR_INIT;

        if (key_length == strlen("ProxyJump") && strncasecmp(option, "ProxyJump", key_length) == 0) {
                if (tether_jump_check(value, &error) < 0)
                        return refuse(p, host, "%s: -o %s: %s", var, option, error.text);
                if (host->jump)
                        return 0; /* tether_jump or "jump" wins */
                host->jump = strdup(value);
                return host->jump ? 0 : inventory_fail_oom(p);
        }
        if (key_length == strlen("IdentitiesOnly") &&
            strncasecmp(option, "IdentitiesOnly", key_length) == 0) {
                if (host->identities_only < 0)
                        host->identities_only = strcasecmp(value, "yes") == 0;
                return 0;
        }
        if (key_length == strlen("ProxyCommand") && strncasecmp(option, "ProxyCommand", key_length) == 0)
                return refuse(
                        p, host,
                        "%s: -o ProxyCommand=...: tether runs no shell command from an inventory; use "
                        "-o ProxyJump=[user@]bastion (tether carries it out itself), or set tether_jump",
                        var);
        if (key_length == strlen("StrictHostKeyChecking") &&
            strncasecmp(option, "StrictHostKeyChecking", key_length) == 0 && strcasecmp(value, "yes") != 0)
                return refuse(
                        p, host,
                        "%s: -o %s: tether always checks host keys; record the host's key (or run with "
                        "--accept-new-host-keys) and drop the option",
                        var, option);
        for (size_t i = 0; i < ELEMENTSOF(ignored_ssh_options); i++)
                if (key_length == strlen(ignored_ssh_options[i]) &&
                    strncasecmp(option, ignored_ssh_options[i], key_length) == 0)
                        return 0;
        return refuse(
                p, host,
                "%s: -o %.*s: an ssh option tether cannot honour; put it in ssh_config, which tether reads "
                "(docs/ssh.md), or drop it",
                var, (int)key_length, option);
}

/* ansible_ssh_common_args and ansible_ssh_extra_args: words split at
 * blanks, quotes removed (they are given to ssh through a shell). */
static int take_ssh_args(struct inventory_parser *p, struct tether_host *host, const char *var,
                         const char *args) {
        char word[2048], previous[8] = "";
        int r = 0;

        for (const char *s = args; r >= 0 && *s;) {
                size_t n = 0;
                char quote = 0;

                s += strspn(s, " \t\n");
                if (!*s)
                        break;
                while (*s && (quote || !strchr(" \t\n", *s)) && n + 1 < sizeof(word)) {
                        if (!quote && (*s == '\'' || *s == '"'))
                                quote = *s;
                        else if (quote && *s == quote)
                                quote = 0;
                        else
                                word[n++] = *s;
                        s++;
                }
                word[n] = '\0';
                if (strcmp(previous, "-o") == 0)
                        r = take_ssh_option(p, host, var, word);
                else if (strcmp(previous, "-J") == 0) {
                        char option[2100];

                        snprintf(option, sizeof(option), "ProxyJump=%s", word);
                        r = take_ssh_option(p, host, var, option);
                } else if (strncmp(word, "-o", 2) == 0 && word[2])
                        r = take_ssh_option(p, host, var, word + 2);
                else if (strcmp(word, "-o") != 0 && strcmp(word, "-J") != 0)
                        r = refuse(
                                p, host,
                                "%s: %s: an ssh argument tether cannot honour; use ssh_config, or drop it",
                                var, word);
                /* The word an option's value follows, or none. */
                previous[0] = '\0';
                if (strcmp(word, "-o") == 0 || strcmp(word, "-J") == 0)
                        memcpy(previous, word, 3);
        }
        return r;
}

int inventory_ansible_templates(struct inventory_parser *p, struct tether_host *host, json_t *vars) {
        const char *tether_vars[INVENTORY_KEYS_MAX], *key;
        size_t n_tether_vars = inventory_tether_vars(tether_vars);
        json_t *value;

        json_object_foreach(vars, key, value) {
                bool read = inventory_in_list(key, tether_vars, n_tether_vars) ||
                            strncmp(key, "ansible_", strlen("ansible_")) == 0;

                if (read && is_template(json_string_value(value)))
                        return refuse(
                                p, host,
                                "%s is a Jinja template, which tether does not render; give the value it "
                                "stands for (ansible-inventory --list shows variables as written)",
                                key);
        }
        return 0;
}

int inventory_ansible_vars(struct inventory_parser *p, struct tether_host *host, json_t *vars) {
        static const char *const ssh_connections[] = {"ssh",
                                                      "smart",
                                                      "paramiko",
                                                      "libssh",
                                                      "ansible.builtin.ssh",
                                                      "ansible.netcommon.libssh",
                                                      "ansible.builtin.paramiko_ssh"};
        const char *s;
        int r = 0;

        s = json_string_value(json_object_get(vars, "ansible_connection"));
        if (s && !inventory_in_list(s, ssh_connections, ELEMENTSOF(ssh_connections)))
                return refuse(p, host,
                              "ansible_connection=%s: tether reaches hosts over SSH only; give the host an "
                              "address "
                              "it can log in to, or leave it out of the run (--limit '!%s')",
                              s, host->name);
        s = json_string_value(json_object_get(vars, "ansible_become_method"));
        if (s && strcmp(s, "sudo") != 0 && strcmp(s, "ansible.builtin.sudo") != 0 && host->sudo == 1)
                return refuse(
                        p, host,
                        "ansible_become_method=%s: tether runs its agent with sudo only; allow the login "
                        "user sudo on this host, or log in as root",
                        s);
        for (const char *const *var =
                     (const char *const[]){"ansible_ssh_common_args", "ansible_ssh_extra_args", NULL};
             r >= 0 && *var; var++) {
                s = json_string_value(json_object_get(vars, *var));
                if (s)
                        r = take_ssh_args(p, host, *var, s);
        }
        return r;
}
