/* SPDX-License-Identifier: MIT */
/*
 * Gathering a host's state (see state.h). The truth about the drop-in is
 * what systemd has loaded (docker.service's After=, Requires=, PartOf=,
 * BindsTo=), not what a file says: a file written without daemon-reload is
 * not a fix, and is reported as such.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "docker-api.h"
#include "exec.h"
#include "fileio.h"
#include "journal.h"
#include "state.h"
#include "strbuf.h"

#define SAVE_OUTPUT_LIMIT (64u * 1024 * 1024)
#define SAVE_TIMEOUT_USEC (30ULL * 1000000ULL)
#define SMALL_FILE_LIMIT (1024u * 1024)

static int strv_push(char ***strv, char *s) {
        size_t n = 0;
        char **grown;

        if (!s)
                return -ENOMEM;
        while (*strv && (*strv)[n])
                n++;
        grown = realloc(*strv, (n + 2) * sizeof(char *));
        if (!grown) {
                free(s);
                return -ENOMEM;
        }
        grown[n] = s;
        grown[n + 1] = NULL;
        *strv = grown;
        return 0;
}

static void add_reason(struct host_state *state, const char *format, ...) _printf_(2, 3);
static void add_reason(struct host_state *state, const char *format, ...) {
        va_list ap;
        char *s = NULL;

        va_start(ap, format);
        if (vasprintf(&s, format, ap) < 0)
                s = NULL;
        va_end(ap);
        (void)strv_push(&state->reasons, s);
}

/* ---- the host ---------------------------------------------------------- */

static char *os_release_value(const char *text, const char *key) {
        size_t key_length = strlen(key);

        for (const char *line = text; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t length = end ? (size_t)(end - line) : strlen(line);

                if (length > key_length && strncmp(line, key, key_length) == 0 && line[key_length] == '=') {
                        const char *value = line + key_length + 1;
                        size_t value_length = length - key_length - 1;

                        if (value_length >= 2 && (value[0] == '"' || value[0] == '\'') &&
                            value[value_length - 1] == value[0]) {
                                value++;
                                value_length -= 2;
                        }
                        return strndup(value, value_length);
                }
                line = end ? end + 1 : NULL;
        }
        return NULL;
}

static void gather_host(sd_bus *bus, struct host_state *state) {
        _cleanup_free_ char *os_release = NULL;
        char hostname[256] = "";
        struct utsname uts;

        if (gethostname(hostname, sizeof(hostname) - 1) == 0)
                state->hostname = strdup(hostname);
        if (tether_read_file("/etc/os-release", SMALL_FILE_LIMIT, &os_release, NULL, NULL) >= 0 ||
            tether_read_file("/usr/lib/os-release", SMALL_FILE_LIMIT, &os_release, NULL, NULL) >= 0) {
                state->os_id = os_release_value(os_release, "ID");
                state->os_version_id = os_release_value(os_release, "VERSION_ID");
                state->os_pretty_name = os_release_value(os_release, "PRETTY_NAME");
        }
        if (uname(&uts) == 0)
                state->kernel = strdup(uts.release);
        (void)bus_systemd_version(bus, &state->systemd_version, NULL);
}

/* ---- docker ------------------------------------------------------------ */

bool docker_is_active(const struct host_state *state) {
        return unit_info_exists(state->docker) && strcmp(state->docker->active_state, "active") == 0;
}

static bool unit_is_enabled(const struct unit_info *unit) {
        /* Not static, indirect or generated: those run only when something pulls
         * them in, and Requires= from docker would be what pulls them in. */
        static const char *const enabled_states[] = {"enabled", "enabled-runtime", "alias"};

        for (size_t i = 0; i < ELEMENTSOF(enabled_states); i++)
                if (strcmp(unit->unit_file_state, enabled_states[i]) == 0)
                        return true;
        return false;
}

static void gather_docker_daemon_json(struct host_state *state) {
        _cleanup_free_ char *text = NULL;
        json_t *config, *live_restore;

        if (tether_read_file("/etc/docker/daemon.json", SMALL_FILE_LIMIT, &text, NULL, NULL) < 0)
                return;
        config = json_loads(text, 0, NULL);
        live_restore = json_object_get(config, "live-restore");
        state->live_restore = json_is_true(live_restore);
        json_decref(config);
}

static int gather_docker(sd_bus *bus, struct host_state *state, struct tether_error *error) {
        int r;

        r = bus_unit_info(bus, TETHER_DOCKER_UNIT, &state->docker, error);
        if (r < 0)
                return r;
        gather_docker_daemon_json(state);
        if (docker_is_active(state))
                (void)docker_api_version(&state->docker_version, &state->docker_major, NULL);
        if (unit_info_exists(state->docker) && state->docker->start_limit_interval_usec > 0) {
                struct timespec now;
                uint64_t now_usec, window = state->docker->start_limit_interval_usec;

                uint64_t times[64];
                unsigned burst = state->docker->start_limit_burst, n;

                clock_gettime(CLOCK_REALTIME, &now);
                now_usec = (uint64_t)now.tv_sec * 1000000ULL + (uint64_t)now.tv_nsec / 1000ULL;
                n = journal_count_starts(TETHER_DOCKER_UNIT, now_usec > window ? now_usec - window : 0,
                                         times, ELEMENTSOF(times));
                state->starts_in_window = n;
                /* A disruptive test may cost two starts (the firewall's, a repair): room
                 * comes when enough of the oldest starts have left the window. */
                if (burst >= 2 && n + 2 > burst && n <= ELEMENTSOF(times)) {
                        uint64_t free_at = times[n + 2 - burst - 1] + window;

                        state->start_room_in_sec =
                                free_at > now_usec ? (unsigned)((free_at - now_usec + 999999) / 1000000) : 0;
                } else if (burst > 0 && burst < 2)
                        state->start_room_in_sec = (unsigned)(window / 1000000);
        }
        return 0;
}

/* ---- Docker's rules ---------------------------------------------------- */

void netfilter_state_clear(struct netfilter_state *netfilter) {
        netfilter->ipv4 = tether_netfilter_snapshot_free(netfilter->ipv4);
        netfilter->ipv6 = tether_netfilter_snapshot_free(netfilter->ipv6);
        free(netfilter->checks);
        netfilter->checks = NULL;
        netfilter->n_checks = 0;
        netfilter->missing = 0;
        free(netfilter->error);
        netfilter->error = NULL;
}

static int read_save(const char *program, struct tether_netfilter_snapshot **ret,
                     struct tether_error *error) {
        _cleanup_free_ char *output = NULL;
        char *argv[] = {(char *)program, NULL};
        int status, r;

        r = exec_capture(argv, SAVE_OUTPUT_LIMIT, SAVE_TIMEOUT_USEC, &output, &status, error);
        if (r < 0)
                return r;
        if (status != 0)
                return tether_error_set(error, -EIO, "%s failed with status %d", program, status);
        return tether_netfilter_parse_save(output, strlen(output), ret, error);
}

int netfilter_state_read(struct netfilter_state *netfilter, unsigned docker_major,
                         struct tether_error *error) {
        struct tether_error local = TETHER_ERROR_INIT;
        int r;

        netfilter_state_clear(netfilter);

        if (netfilter->backend == TETHER_NETFILTER_UNKNOWN) {
                _cleanup_free_ char *version = NULL;
                char *argv[] = {"iptables", "-V", NULL};
                int status;

                if (exec_capture(argv, 4096, SAVE_TIMEOUT_USEC, &version, &status, NULL) >= 0 && status == 0)
                        (void)tether_netfilter_parse_version(version, &netfilter->backend);
        }

        r = read_save("iptables-save", &netfilter->ipv4, &local);
        if (r < 0) {
                netfilter->error = strdup(local.text);
                return tether_error_set(error, r, "%s", local.text);
        }
        /* IPv6 is optional: a host without ip6tables has no IPv6 rules to lose. */
        (void)read_save("ip6tables-save", &netfilter->ipv6, NULL);

        r = tether_netfilter_check_expected(netfilter->ipv4, docker_major, &netfilter->checks,
                                            &netfilter->n_checks);
        if (r < 0)
                return tether_error_set(error, r, "cannot check Docker's rules: %s", strerror(-r));
        for (size_t i = 0; i < netfilter->n_checks; i++)
                if (!netfilter->checks[i].present)
                        netfilter->missing++;
        return 0;
}

/* ---- firewall units ---------------------------------------------------- */

/* Which tables an iptables-restore rules file names ("*filter" lines). */
static bool rules_file_names_table(const char *text, const char *table) {
        size_t length = strlen(table);

        for (const char *line = text; line && *line;) {
                if (line[0] == '*' && strncmp(line + 1, table, length) == 0 &&
                    (line[1 + length] == '\n' || line[1 + length] == '\r' || line[1 + length] == '\0'))
                        return true;
                line = strchr(line, '\n');
                if (line)
                        line++;
        }
        return false;
}

static bool config_says_yes(const char *path, const char *key) {
        _cleanup_free_ char *text = NULL, *value = NULL;

        if (tether_read_file(path, SMALL_FILE_LIMIT, &text, NULL, NULL) < 0)
                return false;
        value = os_release_value(text, key);
        return value &&
               (strcasecmp(value, "yes") == 0 || strcmp(value, "1") == 0 || strcasecmp(value, "true") == 0);
}

/* Decides whether a restart of the firewall flushes Docker's rules here,
 * and says why, from the kind's rule and the host's files. */
static void judge_flush(struct host_state *state, struct firewall_state *firewall) {
        const struct netfilter_state *netfilter = &state->netfilter;
        bool flushes = false;
        const char *why = "";
        char *reason = NULL;

        switch (firewall->kind->flush) {
        case TETHER_FLUSH_ALWAYS:
                flushes = true;
                why = "its restart flushes every table";
                break;
        case TETHER_FLUSH_IF_NFT:
                flushes = netfilter->backend != TETHER_NETFILTER_LEGACY;
                why = flushes ? "its restart runs 'nft flush ruleset', which removes Docker's iptables-nft "
                                "rules"
                              : "Docker's rules are in iptables-legacy, which 'nft flush ruleset' does not "
                                "touch";
                break;
        case TETHER_FLUSH_TABLES_IN_RULES_FILE: {
                _cleanup_free_ char *rules = NULL;

                if (config_says_yes("/etc/default/netfilter-persistent", "IPTABLES_RESTORE_NOFLUSH")) {
                        why = "IPTABLES_RESTORE_NOFLUSH=yes: its restart adds rules without flushing";
                        break;
                }
                if (tether_read_file("/etc/iptables/rules.v4", SMALL_FILE_LIMIT, &rules, NULL, NULL) < 0) {
                        why = "it has no /etc/iptables/rules.v4 to restore";
                        break;
                }
                if (rules_file_names_table(rules, "filter")) {
                        flushes = true;
                        why = rules_file_names_table(rules, "nat")
                                      ? "its restart restores the filter and nat tables of "
                                        "/etc/iptables/rules.v4"
                                      : "its restart restores the filter table of /etc/iptables/rules.v4, "
                                        "wiping Docker's filter chains (nat survives)";
                } else if (rules_file_names_table(rules, "nat")) {
                        flushes = true;
                        why = "its restart restores the nat table of /etc/iptables/rules.v4";
                } else
                        why = "/etc/iptables/rules.v4 names neither the filter nor the nat table";
                break;
        }
        case TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS:
                flushes = config_says_yes("/etc/default/ufw", "MANAGE_BUILTINS");
                why = flushes ? "MANAGE_BUILTINS=yes: its restart flushes the built-in chains"
                              : "it only flushes its own ufw-* chains";
                break;
        case TETHER_FLUSH_IPV6_ONLY:
                flushes = netfilter->ipv6 && netfilter->ipv6->n_items > 0;
                why = flushes ? "its restart flushes Docker's IPv6 rules" : "Docker has no IPv6 rules here";
                break;
        }
        if (asprintf(&reason, "%s", why) < 0)
                reason = NULL;
        firewall->flushes = flushes;
        firewall->flush_reason = reason;
        /* Its reload runs the same restore (nft -f a file that begins with "flush
         * ruleset", iptables-restore without --noflush, firewalld's reload);
         * netfilter-persistent has no reload. */
        firewall->reload_flushes = flushes && firewall->unit->has_exec_reload &&
                                   firewall->kind->flush != TETHER_FLUSH_TABLES_IN_RULES_FILE;
}

static bool docker_tied_to(const struct host_state *state, const struct firewall_state *firewall) {
        const struct unit_info *docker = state->docker, *unit = firewall->unit;

        if (!unit_info_exists(docker) || !unit_listed_in(docker->after, unit))
                return false;
        return unit_listed_in(docker->part_of, unit) || unit_listed_in(docker->requires, unit) ||
               unit_listed_in(docker->binds_to, unit) || unit->exec_start_post_restarts_docker;
}

static int gather_firewalls(sd_bus *bus, struct host_state *state, struct tether_error *error) {
        state->firewalls = calloc(tether_firewall_kinds_count, sizeof(*state->firewalls));
        if (!state->firewalls)
                return tether_error_set(error, -ENOMEM, "out of memory");

        const char *names[32] = {};
        bool loadable[32] = {};
        size_t n = tether_firewall_kinds_count < ELEMENTSOF(names) ? tether_firewall_kinds_count
                                                                   : ELEMENTSOF(names);

        /* One call says which of the known units this host has at all. */
        for (size_t i = 0; i < n; i++)
                names[i] = tether_firewall_kinds[i].unit;
        if (bus_units_loadable(bus, names, n, loadable) < 0)
                for (size_t i = 0; i < n; i++)
                        loadable[i] = true;

        for (size_t i = 0; i < n; i++) {
                struct unit_info *unit = NULL;
                struct firewall_state *firewall;
                bool duplicate = false;
                int r;

                if (!loadable[i])
                        continue;
                r = bus_unit_info(bus, tether_firewall_kinds[i].unit, &unit, error);
                if (r < 0)
                        return r;
                if (!unit_info_exists(unit) || strcmp(unit->load_state, "masked") == 0) {
                        unit_info_free(unit);
                        continue;
                }
                /* An alias (iptables.service of iptables-persistent) is its unit. */
                for (size_t j = 0; j < state->n_firewalls; j++)
                        if (strcmp(state->firewalls[j].unit->id, unit->id) == 0)
                                duplicate = true;
                if (duplicate) {
                        unit_info_free(unit);
                        continue;
                }

                firewall = &state->firewalls[state->n_firewalls++];
                firewall->unit = unit;
                firewall->kind = tether_firewall_kind_find(unit->id);
                if (!firewall->kind)
                        firewall->kind = &tether_firewall_kinds[i];
                firewall->enabled = unit_is_enabled(unit);
                firewall->active = strcmp(unit->active_state, "active") == 0 ||
                                   strcmp(unit->active_state, "reloading") == 0;
                judge_flush(state, firewall);
                firewall->tied = docker_tied_to(state, firewall);
        }
        return 0;
}

int host_state_flushing_units(const struct host_state *state, char ***ret) {
        char **units = calloc(state->n_firewalls + 1, sizeof(char *));
        size_t n = 0;

        if (!units)
                return -ENOMEM;
        for (size_t i = 0; i < state->n_firewalls; i++) {
                const struct firewall_state *firewall = &state->firewalls[i];

                if (firewall->flushes && (firewall->enabled || firewall->active))
                        units[n++] = firewall->unit->id;
        }
        *ret = units;
        return 0;
}

/* ---- drop-ins ---------------------------------------------------------- */

static bool text_ties_any_firewall(const struct host_state *state, const char *text) {
        for (size_t i = 0; i < state->n_firewalls; i++) {
                const struct unit_info *unit = state->firewalls[i].unit;

                if (tether_dropin_text_ties(text, unit->id))
                        return true;
                for (size_t j = 0; unit->names && unit->names[j]; j++)
                        if (tether_dropin_text_ties(text, unit->names[j]))
                                return true;
        }
        return false;
}

/* Drop-ins of docker.service on disk that systemd has not loaded: systemd
 * (252 at least) does not flag a drop-in directory made after the unit was
 * loaded with NeedDaemonReload, so they are looked for here. */
static void find_unloaded_dropins(struct host_state *state) {
        static const char *const dirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                           "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
                                           "/lib/systemd/system"};

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_free_ char *dir_path = NULL;
                struct dirent *entry;
                DIR *dir;

                if (asprintf(&dir_path, "%s/%s.d", dirs[i], TETHER_DOCKER_UNIT) < 0)
                        return;
                dir = opendir(dir_path);
                if (!dir)
                        continue;
                while ((entry = readdir(dir))) {
                        size_t length = strlen(entry->d_name);
                        char *path = NULL;

                        if (length < 6 || strcmp(entry->d_name + length - 5, ".conf") != 0 ||
                            entry->d_name[0] == '.')
                                continue;
                        if (asprintf(&path, "%s/%s", dir_path, entry->d_name) < 0)
                                break;
                        if (strv_contains(state->docker->drop_in_paths, path))
                                free(path);
                        else
                                (void)strv_push(&state->unloaded_dropins, path);
                }
                closedir(dir);
        }
}

static int gather_dropins(struct host_state *state, enum tether_policy policy, bool policy_forced,
                          struct tether_error *error) {
        _cleanup_free_ char **units = NULL;
        enum tether_policy found_policy;
        char name[16] = "";
        int r;

        if (asprintf(&state->dropin_path, "%s/%s.d/%s", TETHER_SYSTEMD_DIR, TETHER_DOCKER_UNIT,
                     TETHER_DROPIN_NAME) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = tether_read_file(state->dropin_path, SMALL_FILE_LIMIT, &state->dropin_contents, NULL, NULL);
        if (r < 0 && r != -ENOENT)
                return tether_error_set(error, r, "cannot read %s: %s", state->dropin_path, strerror(-r));

        state->policy = policy;
        if (!policy_forced && state->dropin_contents &&
            sscanf(state->dropin_contents, "# Managed by tether, policy \"%15[a-z]\"", name) == 1 &&
            tether_policy_from_string(name, &found_policy) >= 0)
                state->policy = found_policy;

        r = host_state_flushing_units(state, &units);
        if (r < 0)
                return tether_error_set(error, r, "out of memory");
        if (units[0])
                (void)tether_dropin_render(state->policy, units, &state->dropin_expected, NULL);
        state->dropin_state = tether_dropin_classify(state->dropin_contents, state->dropin_expected);

        if (unit_info_exists(state->docker))
                find_unloaded_dropins(state);
        for (size_t i = 0; unit_info_exists(state->docker) && state->docker->drop_in_paths[i]; i++) {
                const char *path = state->docker->drop_in_paths[i];
                _cleanup_free_ char *text = NULL;

                if (strcmp(path, state->dropin_path) == 0)
                        continue;
                if (tether_read_file(path, SMALL_FILE_LIMIT, &text, NULL, NULL) < 0)
                        continue;
                if (text_ties_any_firewall(state, text))
                        (void)strv_push(&state->foreign_dropins, strdup(path));
        }
        return 0;
}

/* ---- verdict ----------------------------------------------------------- */

static void explain(struct host_state *state, const struct tether_verdict_facts *facts) {
        switch (state->verdict) {
        case TETHER_VERDICT_BROKEN: {
                struct strbuf missing = STRBUF_INIT;
                char *list;

                for (size_t i = 0; i < state->netfilter.n_checks; i++)
                        if (!state->netfilter.checks[i].present)
                                strbuf_appendf(&missing, "%s%s: %s", missing.length ? ", " : "",
                                               state->netfilter.checks[i].table,
                                               state->netfilter.checks[i].what);
                list = strbuf_steal(&missing);
                add_reason(state,
                           "docker is active but %zu of its chains and rules are missing now (%s): its "
                           "containers "
                           "are cut off; 'apply --heal' restarts docker to restore them",
                           state->netfilter.missing, list ? list : "?");
                free(list);
                break;
        }
        case TETHER_VERDICT_NOT_APPLICABLE:
                if (!facts->docker_installed)
                        add_reason(state, "docker.service is not installed");
                else if (!facts->docker_active && !facts->docker_enabled)
                        add_reason(state, "docker.service is neither running nor enabled");
                else
                        add_reason(state, "no enabled or running firewall service flushes Docker's rules");
                break;
        default:
                break;
        }

        if (state->verdict == TETHER_VERDICT_PROTECTED || state->verdict == TETHER_VERDICT_VULNERABLE ||
            state->verdict == TETHER_VERDICT_BROKEN)
                for (size_t i = 0; i < state->n_firewalls; i++) {
                        const struct firewall_state *firewall = &state->firewalls[i];

                        if (!firewall->flushes || !(firewall->enabled || firewall->active))
                                continue;
                        if (firewall->tied)
                                add_reason(state, "docker.service is tied to %s, as systemd has it loaded",
                                           firewall->unit->id);
                        if (firewall->tied && firewall->reload_flushes &&
                            !firewall->unit->exec_start_post_restarts_docker)
                                add_reason(state,
                                           "a reload of %s flushes Docker's rules too, and systemd does not "
                                           "pass "
                                           "reloads on through PartOf= or Requires=: policy follow covers "
                                           "reloads",
                                           firewall->unit->id);
                        else
                                add_reason(state, "%s is %s and %s, but docker.service is not tied to it",
                                           firewall->unit->id, firewall->active ? "running" : "enabled",
                                           firewall->flush_reason);
                }

        for (size_t i = 0; state->unloaded_dropins && state->unloaded_dropins[i]; i++)
                add_reason(state,
                           "%s is on disk but systemd has not loaded it: it is not in force until "
                           "'systemctl daemon-reload'",
                           state->unloaded_dropins[i]);
        if (!state->unloaded_dropins && unit_info_exists(state->docker) && state->docker->need_daemon_reload)
                add_reason(state, "docker.service's files changed since systemd loaded them: "
                                  "what is on disk is not in force until daemon-reload");
        if (state->dropin_state == TETHER_DROPIN_DRIFTED)
                add_reason(state, "%s was changed by hand since tether wrote it", state->dropin_path);
        for (size_t i = 0; state->foreign_dropins && state->foreign_dropins[i]; i++)
                add_reason(state, "%s, not tether's, ties docker to a firewall unit",
                           state->foreign_dropins[i]);
}

static void decide(struct host_state *state) {
        struct tether_verdict_facts facts = {
                .docker_installed = unit_info_exists(state->docker),
                .docker_active = docker_is_active(state),
                .docker_enabled = unit_info_exists(state->docker) && unit_is_enabled(state->docker),
                .rules_missing = state->netfilter.missing,
        };

        for (size_t i = 0; i < state->n_firewalls; i++) {
                const struct firewall_state *firewall = &state->firewalls[i];

                if (firewall->flushes && (firewall->enabled || firewall->active)) {
                        facts.flushing_units++;
                        if (!firewall->tied)
                                facts.flushing_untied++;
                }
        }
        state->verdict = tether_verdict_decide(&facts);
        explain(state, &facts);
}

/* ---- all of it --------------------------------------------------------- */

/* What does not change when only unit files change: the host, docker's
 * version and recent starts, Docker's rules. Moved from old into state. */
static void take_unchanged(struct host_state *state, struct host_state *old) {
        state->hostname = TAKE_PTR(old->hostname);
        state->os_id = TAKE_PTR(old->os_id);
        state->os_version_id = TAKE_PTR(old->os_version_id);
        state->os_pretty_name = TAKE_PTR(old->os_pretty_name);
        state->kernel = TAKE_PTR(old->kernel);
        state->systemd_version = TAKE_PTR(old->systemd_version);
        state->docker_version = TAKE_PTR(old->docker_version);
        state->docker_major = old->docker_major;
        state->starts_in_window = old->starts_in_window;
        state->start_room_in_sec = old->start_room_in_sec;
        state->netfilter = old->netfilter;
        old->netfilter = (struct netfilter_state){};
}

static int gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state *old,
                  struct host_state **ret, struct tether_error *error) {
        _cleanup_(host_state_freep) struct host_state *state = calloc(1, sizeof(struct host_state));
        int r;

        if (!state)
                return tether_error_set(error, -ENOMEM, "out of memory");

        if (old) {
                take_unchanged(state, old);
                r = bus_unit_info(bus, TETHER_DOCKER_UNIT, &state->docker, error);
                if (r < 0)
                        return r;
                gather_docker_daemon_json(state);
        } else {
                gather_host(bus, state);
                r = gather_docker(bus, state, error);
                if (r < 0)
                        return r;
                if (docker_is_active(state)) {
                        r = netfilter_state_read(&state->netfilter, state->docker_major, error);
                        if (r < 0)
                                return r;
                }
        }
        r = gather_firewalls(bus, state, error);
        if (r < 0)
                return r;
        r = gather_dropins(state, policy, policy_forced, error);
        if (r < 0)
                return r;
        decide(state);

        *ret = TAKE_PTR(state);
        return 0;
}

int host_state_gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **ret,
                      struct tether_error *error) {
        return gather(bus, policy, policy_forced, NULL, ret, error);
}

int host_state_refresh(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **state,
                       struct tether_error *error) {
        struct host_state *fresh = NULL;
        int r;

        r = gather(bus, policy, policy_forced, *state, &fresh, error);
        *state = host_state_free(*state);
        if (r < 0)
                return r;
        *state = fresh;
        return 0;
}

struct host_state *host_state_free(struct host_state *state) {
        if (!state)
                return NULL;
        free(state->hostname);
        free(state->os_id);
        free(state->os_version_id);
        free(state->os_pretty_name);
        free(state->kernel);
        free(state->systemd_version);
        unit_info_free(state->docker);
        free(state->docker_version);
        netfilter_state_clear(&state->netfilter);
        for (size_t i = 0; i < state->n_firewalls; i++) {
                unit_info_free(state->firewalls[i].unit);
                free(state->firewalls[i].flush_reason);
        }
        free(state->firewalls);
        free(state->dropin_path);
        free(state->dropin_contents);
        free(state->dropin_expected);
        strv_free(state->foreign_dropins);
        strv_free(state->unloaded_dropins);
        strv_free(state->reasons);
        free(state);
        return NULL;
}
