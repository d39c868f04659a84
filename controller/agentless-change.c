/* SPDX-License-Identifier: MIT */
/*
 * apply and revert without the agent (see agentless-change.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentless-change.h"
#include "agentless.h"
#include "firewall.h"
#include "host-json.h"
#include "macro.h"
#include "tie-check.h"
#include "unit-show.h"
#include "validate.h"
#include "watch-unit.h"

#define HOOK_SECTION "hook "
#define HOOK_SUFFIX ".d/" TETHER_HOOK_DROPIN_NAME

int agentless_options_parse(char *const *args, struct agentless_options *ret) {
        struct agentless_options options = {.policy = TETHER_POLICY_BIND};

        for (size_t i = 0; args && args[i]; i++) {
                if (strcmp(args[i], "--heal") == 0)
                        options.heal = true;
                else if (strcmp(args[i], "--check") == 0)
                        options.check = true;
                else if (strcmp(args[i], "--watch") == 0)
                        options.watch = true;
                else if (strcmp(args[i], "--policy") == 0 && args[i + 1]) {
                        if (tether_policy_from_string(args[++i], &options.policy) < 0)
                                return -EINVAL;
                        options.policy_forced = true;
                } else if (strcmp(args[i], "--firewall") == 0 && args[i + 1])
                        options.firewall = args[++i];
                else
                        return -EINVAL;
        }
        *ret = options;
        return 0;
}

void agentless_plan_clear(struct agentless_plan *plan) {
        change_set_clear(&plan->set);
        strv_free(plan->ties);
        free(plan->dropin_path);
        *plan = (struct agentless_plan){};
}

/* ---- the plan ---------------------------------------------------------- */

/* The unit of the facts that has name, or NULL. */
static const struct tether_unit *firewall_named(const struct tether_host_facts *facts, const char *name) {
        for (size_t i = 0; i < facts->n_firewalls; i++)
                if (tether_unit_has_name(facts->firewalls[i], name))
                        return facts->firewalls[i];
        return NULL;
}

/* --firewall UNIT, which must exist, as the agent's forced_unit() says. */
static int forced_unit(const char *given, const struct tether_sections *sections, char **ret,
                       struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;
        _cleanup_free_ char *name = NULL, *section = NULL;
        const struct tether_host_clocks clocks = {};
        const char *text;
        int r;

        r = tether_forced_unit_name(given, &name, error);
        if (r < 0)
                return r;
        if (!tether_valid_shell_word(name))
                return tether_error_set(error, -EINVAL, "\"%s\" is not a valid systemd unit name", given);
        if (asprintf(&section, "unit %s", name) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        text = tether_sections_output(sections, section);
        if (text) {
                r = tether_unit_from_show(name, text, &clocks, &unit, error);
                if (r < 0)
                        return r;
        }
        return tether_forced_unit_id(name, unit, ret, error);
}

/* The agent's nothing_to_do(): nothing to tie, or tied already by a
 * drop-in that is not tether's. */
static bool nothing_to_tie(const struct agentless_options *options, const struct tether_host_facts *facts,
                           const struct tether_judgement *judgement, char *const *units) {
        return !tether_unit_exists(facts->docker) || !units[0] ||
               (!options->firewall && judgement->dropin_state == TETHER_DROPIN_ABSENT &&
                (judgement->verdict == TETHER_VERDICT_PROTECTED ||
                 judgement->verdict == TETHER_VERDICT_RELOAD_VULNERABLE));
}

/* Whether the unit's own file can reload (the script lists the fragments
 * that have an ExecReload= line). */
static bool fragment_can_reload(const struct tether_sections *sections, const struct tether_unit *unit) {
        const char *listed = tether_sections_output(sections, "reloadable");
        size_t length = unit ? strlen(unit->fragment_path) : 0;

        for (const char *line = listed; length > 0 && line && *line;
             line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
                if (strncmp(line, unit->fragment_path, length) == 0 &&
                    (line[length] == '\n' || line[length] == '\0'))
                        return true;
        return false;
}

static char *hook_path(const char *unit) {
        char *path;

        return asprintf(&path, "%s/%s%s", TETHER_SYSTEMD_DIR, unit, HOOK_SUFFIX) < 0 ? NULL : path;
}

/* The follow policy's hook on each unit. */
static int plan_hooks(const struct tether_sections *sections, const struct tether_host_facts *facts,
                      char *const *units, struct change_set *set, struct tether_error *error) {
        for (size_t i = 0; units[i]; i++) {
                _cleanup_free_ char *path = hook_path(units[i]), *section = NULL, *hook = NULL;
                int r;

                if (!path || asprintf(&section, "%s%s", HOOK_SECTION, path) < 0 ||
                    tether_dropin_render_hook(fragment_can_reload(sections, firewall_named(facts, units[i])),
                                              &hook) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                r = change_set_add_known(set, path, tether_sections_output(sections, section),
                                         (struct timespec){}, hook, units[i], error);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* tether's hooks found on the host that are not for a unit of keep. */
static int plan_hooks_removed(const struct tether_sections *sections, char *const *keep,
                              struct change_set *set, struct tether_error *error) {
        for (size_t i = 0; i < sections->n_items; i++) {
                const struct tether_section *section = &sections->items[i];
                const char *path = section->name + strlen(HOOK_SECTION), *unit;
                _cleanup_free_ char *name = NULL;
                size_t length;
                int r;

                if (strncmp(section->name, HOOK_SECTION, strlen(HOOK_SECTION)) != 0 ||
                    section->status != 0 ||
                    strncmp(path, TETHER_SYSTEMD_DIR "/", strlen(TETHER_SYSTEMD_DIR "/")) != 0)
                        continue;
                unit = path + strlen(TETHER_SYSTEMD_DIR "/");
                length = strlen(unit);
                if (length <= strlen(HOOK_SUFFIX) ||
                    strcmp(unit + length - strlen(HOOK_SUFFIX), HOOK_SUFFIX) != 0 ||
                    memchr(unit, '/', length - strlen(HOOK_SUFFIX)))
                        continue;
                name = strndup(unit, length - strlen(HOOK_SUFFIX));
                if (!name)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                if (keep && strv_contains(keep, name))
                        continue;
                r = change_set_add_known(set, path, section->text, (struct timespec){}, NULL, name, error);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_apply(const struct agentless_options *options, const struct tether_sections *sections,
                      const struct tether_host_facts *facts, const struct tether_judgement *judgement,
                      struct agentless_plan *plan, struct tether_error *error) {
        _cleanup_free_ char *forced = NULL, *dropin = NULL;
        char *const *units = judgement->flushing_units;
        char *forced_units[2] = {};
        int r;

        if (options->watch)
                return tether_error_set(
                        error, -EOPNOTSUPP,
                        "--watch runs tether-agent on the host, which agentless mode does not "
                        "put there; apply --watch with --mode agent");
        if (options->firewall) {
                r = forced_unit(options->firewall, sections, &forced, error);
                if (r < 0)
                        return r;
                forced_units[0] = forced;
                units = forced_units;
        }
        plan->policy = judgement->policy;
        plan->heal = options->heal && judgement->verdict == TETHER_VERDICT_BROKEN;
        if (nothing_to_tie(options, facts, judgement, units))
                return 0;
        for (size_t i = 0; units[i]; i++)
                if (strv_push(&plan->ties, strdup(units[i])) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
        r = tether_dropin_render(plan->policy, units, &dropin, error);
        if (r >= 0)
                r = change_set_add_known(&plan->set, facts->dropin_path, facts->dropin_contents,
                                         (struct timespec){}, dropin, TETHER_DOCKER_UNIT, error);
        if (r >= 0 && plan->policy == TETHER_POLICY_FOLLOW)
                r = plan_hooks(sections, facts, units, &plan->set, error);
        if (r >= 0)
                r = plan_hooks_removed(sections, plan->policy == TETHER_POLICY_FOLLOW ? units : NULL,
                                       &plan->set, error);
        return r;
}

static int plan_revert(const struct tether_sections *sections, const struct tether_host_facts *facts,
                       struct agentless_plan *plan, struct tether_error *error) {
        int r;

        if (tether_unit_exists(facts->watch))
                return tether_error_set(error, -EOPNOTSUPP,
                                        "%s is installed here, and only tether-agent stops and removes it; "
                                        "revert with --mode agent",
                                        TETHER_WATCH_UNIT);
        plan->dropin_path = strdup(facts->dropin_path);
        if (!plan->dropin_path)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = change_set_add_known(&plan->set, facts->dropin_path, facts->dropin_contents, (struct timespec){},
                                 NULL, TETHER_DOCKER_UNIT, error);
        return r < 0 ? r : plan_hooks_removed(sections, NULL, &plan->set, error);
}

int agentless_plan_make(const char *verb, const struct agentless_options *options,
                        const struct tether_sections *sections, const struct tether_host_facts *facts,
                        const struct tether_judgement *judgement, struct agentless_plan *ret,
                        struct tether_error *error) {
        struct agentless_plan plan = {.verb = strcmp(verb, "revert") == 0 ? "revert" : "apply"};
        int r;

        plan.ties = calloc(1, sizeof(char *));
        if (!plan.ties)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = strcmp(plan.verb, "revert") == 0 ? plan_revert(sections, facts, &plan, error)
                                             : plan_apply(options, sections, facts, judgement, &plan, error);
        if (r >= 0 && plan.set.n > 0 && facts->unit_dir_read_only && !options->check)
                r = tether_error_set(error, -EROFS, "%s; nothing was changed", TETHER_READ_ONLY_REASON);
        if (r < 0) {
                agentless_plan_clear(&plan);
                return r;
        }
        *ret = plan;
        return 0;
}

/* ---- the words --------------------------------------------------------- */

void agentless_printf_format(struct strbuf *out, const char *text) {
        static const char plain[] = "/._:@+,=";

        for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
                if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                    strchr(plain, *c))
                        strbuf_append_n(out, (const char *)c, 1);
                else if (*c == '%')
                        strbuf_append(out, "%%");
                else
                        strbuf_appendf(out, "\\%03o", *c);
        }
}

int agentless_change_words(const struct agentless_plan *plan, char **ret) {
        struct strbuf words = STRBUF_INIT;
        char *text;

        for (size_t i = 0; i < plan->set.n; i++) {
                const struct file_change *item = &plan->set.items[i];

                strbuf_append(&words, item->after ? "put \"$(printf \"" : "remove \"$(printf \"");
                agentless_printf_format(&words, item->path);
                strbuf_append(&words, "\")\"");
                if (item->after) {
                        strbuf_append(&words, " \"");
                        agentless_printf_format(&words, item->after);
                        strbuf_append(&words, "\"");
                }
                strbuf_append(&words, "\n");
        }
        strbuf_append(&words, "change\n");
        if (plan->heal)
                strbuf_append(&words, "heal\n");
        strbuf_append(&words, "gather\n");
        text = strbuf_steal(&words);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

/* ---- the question ------------------------------------------------------ */

/* The unit systemd loaded, from section "loaded NAME". */
static int loaded_unit(const struct tether_sections *sections, const char *name, struct tether_unit **ret,
                       struct tether_error *error) {
        _cleanup_free_ char *section = NULL;
        const struct tether_host_clocks clocks = {};
        const char *text;

        if (asprintf(&section, "loaded %s", name) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        text = tether_sections_output(sections, section);
        if (!text)
                return tether_error_set(error, -EBADMSG, "systemctl show %s failed after the reload", name);
        return tether_unit_from_show(name, text, &clocks, ret, error);
}

/* The agent's checks after its reload, on what the script printed. */
static int verify(const struct tether_sections *sections, const struct agentless_plan *plan,
                  struct tether_error *error) {
        _cleanup_(tether_unit_freep) struct tether_unit *docker = NULL;
        const struct tether_section *reload = tether_sections_get(sections, "reload");
        int r;

        if (!reload)
                return tether_error_set(error, -EBADMSG, "the host did not say how its daemon-reload went");
        if (reload->status != 0)
                return tether_error_set(error, -EIO, "systemctl daemon-reload failed (status %d)",
                                        reload->status);
        r = loaded_unit(sections, TETHER_DOCKER_UNIT, &docker, error);
        if (r < 0)
                return r;
        if (plan->dropin_path)
                return tether_check_unloaded(docker, plan->dropin_path, error);
        r = tether_check_loaded(docker, error);
        for (size_t i = 0; r >= 0 && plan->ties[i]; i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;

                r = loaded_unit(sections, plan->ties[i], &unit, error);
                if (r >= 0)
                        r = tether_check_tie(docker, unit, plan->policy, error);
        }
        return r;
}

char *agentless_reply(const char *out, size_t length, void *userdata) {
        struct agentless_asked *asked = userdata;
        _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
        int r;

        asked->asked = true;
        r = tether_sections_parse(out, length, asked->boundary, &sections, &asked->why);
        if (r >= 0)
                r = verify(sections, asked->plan, &asked->why);
        asked->kept = r >= 0;
        /* The script puts back on any line but "keep"; why is the controller's to say. */
        return strdup(asked->kept ? "keep\n" : "put-back\n");
}

/* ---- the answer -------------------------------------------------------- */

/* The first line of a section's text, at most 512 bytes of it. */
static const char *first_words(const struct tether_section *section, char buf[static 513]) {
        size_t length = section ? strcspn(section->text, "\n") : 0;

        length = length > 512 ? 512 : length;
        memcpy(buf, section ? section->text : "", length);
        buf[length] = '\0';
        return buf;
}

/* The error object and exit status of a change that was not kept, in the
 * agent's words (agent/put-back.c). */
static int not_kept(json_t *document, const struct tether_sections *sections,
                    const struct agentless_asked *asked) {
        const struct tether_section *failed = tether_sections_get(sections, "failed");
        const struct tether_section *put_back = tether_sections_get(sections, "put-back");
        const struct tether_section *again = tether_sections_get(sections, "reload-again");
        char failed_words[513], message[2048];
        const char *why = asked->asked && !asked->kept ? asked->why.text : first_words(failed, failed_words);
        bool busy = strncmp(why, "busy:", 5) == 0;

        if (!put_back || put_back->status != 0)
                snprintf(message, sizeof(message), "%s; putting the files back failed too, see the journal",
                         why);
        else if (again && again->status != 0)
                snprintf(message, sizeof(message),
                         "%s; every file was put back as it was, but systemd did not load them again "
                         "('systemctl daemon-reload' will)",
                         why);
        else
                snprintf(message, sizeof(message), "%s%s", why,
                         busy || !again ? "; nothing was changed" : "; every file was put back as it was");
        json_object_set_new(
                document, "error",
                json_pack("{s:s, s:s}", "kind", busy ? "busy" : asked->plan->verb, "message", message));
        return busy ? 3 : 1;
}

int agentless_change_document(const char *output, size_t length, const struct agentless_asked *asked,
                              const struct agentless_options *options, const char *run_id, json_t **ret,
                              struct tether_error *error) {
        _cleanup_(tether_sections_freep) struct tether_sections *sections = NULL;
        const struct agentless_plan *plan = asked->plan;
        const struct tether_section *failed, *heal;
        json_t *document = NULL;
        int r, status = 0;

        r = tether_sections_parse(output, length, asked->boundary, &sections, error);
        if (r < 0)
                return r;
        failed = tether_sections_get(sections, "failed");
        if (!failed)
                return tether_error_set(
                        error, -EBADMSG,
                        "the host did not say whether the change was made (no section \"failed\")");
        r = agentless_document_of(sections, options->policy, options->policy_forced, plan->verb, run_id,
                                  &document, error);
        if (r < 0)
                return r;
        json_object_set_new(document, "changes", change_set_to_json(&plan->set));
        if (failed->status != 0)
                status = not_kept(document, sections, asked);
        else {
                json_object_set_new(document, "changed", json_boolean(plan->set.n > 0));
                json_object_set_new(document, "reloaded", json_true());
        }
        heal = tether_sections_get(sections, "heal");
        if (status == 0 && plan->heal) {
                json_object_set_new(document, "healed", json_boolean(heal && heal->status == 0));
                if (!heal || heal->status != 0)
                        json_object_set_new(document, "heal_error",
                                            json_string("systemctl restart docker.service failed"));
        }
        json_object_set_new(document, "exit_status", json_integer(status));
        *ret = document;
        return 0;
}
