/* SPDX-License-Identifier: MIT */
/*
 * A host's facts from the sections of controller/agentless-gather.sh (see
 * agentless-facts.h). Each step mirrors one of agent/state.c's gathers;
 * what the facts mean stays common/judge.c's alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentless-facts.h"
#include "dropin.h"
#include "env-file.h"
#include "firewall.h"
#include "macro.h"
#include "parse-util.h"
#include "unit-show.h"
#include "watch-summary.h"

static char *first_line(const char *text) {
        return text ? strndup(text, strcspn(text, "\n")) : NULL;
}

/* "33558.04" (seconds, at most 12 digits, then up to six decimals) as
 * microseconds. */
static int parse_seconds(const char *text, size_t length, uint64_t *ret) {
        uint64_t usec = 0, scale = 1000000ULL;
        size_t i = 0;

        if (length == 0 || text[0] < '0' || text[0] > '9')
                return -EINVAL;
        for (; i < length && text[i] >= '0' && text[i] <= '9'; i++) {
                if (i == 12)
                        return -EINVAL;
                usec = usec * 10 + (uint64_t)(text[i] - '0');
        }
        usec *= 1000000ULL;
        if (i < length && text[i] == '.')
                for (i++; i < length && text[i] >= '0' && text[i] <= '9' && scale > 1; i++) {
                        scale /= 10;
                        usec += (uint64_t)(text[i] - '0') * scale;
                }
        if (i != length)
                return -EINVAL;
        *ret = usec;
        return 0;
}

/* The two lines of "clocks": seconds since the epoch, then /proc/uptime's. */
static int read_clocks(const struct tether_sections *sections, struct tether_host_clocks *ret,
                       struct tether_error *error) {
        const char *text = tether_sections_output(sections, "clocks");
        size_t first = text ? strcspn(text, "\n") : 0;

        if (!text || text[first] != '\n' || parse_seconds(text, first, &ret->realtime_usec) < 0 ||
            parse_seconds(text + first + 1, strcspn(text + first + 1, "\n"), &ret->monotonic_usec) < 0)
                return tether_error_set(error, -EBADMSG, "the host's clocks could not be read: '%.64s'",
                                        text ? text : "(no section)");
        return 0;
}

/* "systemd 252 (252.39-1~deb12u2)": what systemd's Version property says,
 * the text in brackets; an older systemd prints only "systemd 239". */
static char *systemd_version(const char *text) {
        _cleanup_free_ char *line = first_line(text);
        const char *open, *close;

        if (!line || strncmp(line, "systemd ", strlen("systemd ")) != 0)
                return NULL;
        open = strchr(line, '(');
        close = open ? strchr(open, ')') : NULL;
        if (open && close)
                return strndup(open + 1, (size_t)(close - open - 1));
        return strndup(line + strlen("systemd "), strcspn(line + strlen("systemd "), " "));
}

/* PID 1 where it is not systemd: the script prints its name, and fails
 * where /run/systemd/system is missing. An answer without the section
 * (an older script) is a systemd host. */
static void read_init(const struct tether_sections *sections, struct tether_host_facts *facts) {
        const struct tether_section *init = tether_sections_get(sections, "init");

        if (!init || init->status == 0)
                return;
        facts->init_system = first_line(init->text);
        if (facts->init_system && !facts->init_system[0]) {
                free(facts->init_system);
                facts->init_system = strdup("unknown");
        }
}

static int read_host(const struct tether_sections *sections, struct tether_host_facts *facts) {
        const char *os_release = tether_sections_output(sections, "os-release");
        const struct tether_section *unit_dir;

        facts->hostname = first_line(tether_sections_output(sections, "hostname"));
        facts->kernel = first_line(tether_sections_output(sections, "kernel"));
        facts->systemd_version = systemd_version(tether_sections_output(sections, "systemd"));
        read_init(sections, facts);
        unit_dir = tether_sections_get(sections, "unit-dir-writable");
        facts->unit_dir_read_only = unit_dir && unit_dir->status == 1;
        (void)tether_env_file_get(os_release, "ID", &facts->os_id);
        (void)tether_env_file_get(os_release, "VERSION_ID", &facts->os_version_id);
        (void)tether_env_file_get(os_release, "PRETTY_NAME", &facts->os_pretty_name);
        return 0;
}

/* The unit of section "unit NAME"; *ret NULL where the script did not ask. */
static int read_unit(const struct tether_sections *sections, const char *name,
                     const struct tether_host_clocks *clocks, struct tether_unit **ret,
                     struct tether_error *error) {
        _cleanup_free_ char *section_name = NULL;
        const char *text;

        *ret = NULL;
        if (asprintf(&section_name, "unit %s", name) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        text = tether_sections_output(sections, section_name);
        return text ? tether_unit_from_show(name, text, clocks, ret, error) : 0;
}

static void read_files(const struct tether_sections *sections, struct tether_host_facts *facts) {
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++) {
                _cleanup_free_ char *name = NULL;

                if (asprintf(&name, "file %s", tether_host_file_paths[i]) >= 0)
                        facts->files[i] = tether_sections_output(sections, name)
                                                  ? strdup(tether_sections_output(sections, name))
                                                  : NULL;
        }
}

/* ---- docker ------------------------------------------------------------ */

/* Starts of docker.service, one "SECONDS.MICROSECONDS host systemd[1]:
 * Started ..." line each, oldest first; those within its window count. */
static void read_docker_starts(const struct tether_sections *sections,
                               const struct tether_host_clocks *clocks, struct tether_host_facts *facts) {
        uint64_t window = facts->docker->start_limit_interval_usec, times[64];
        const char *text = tether_sections_output(sections, "docker-starts");
        unsigned count = 0;

        for (const char *line = text ? text : ""; *line;) {
                size_t length = strcspn(line, "\n");
                uint64_t when;

                if (parse_seconds(line, strcspn(line, " \n"), &when) >= 0 &&
                    when + window >= clocks->realtime_usec && when <= clocks->realtime_usec) {
                        if (count < ELEMENTSOF(times))
                                times[count] = when;
                        count++;
                }
                line += length;
                if (*line)
                        line++;
        }
        tether_host_facts_set_starts(facts, times, count < ELEMENTSOF(times) ? count : ELEMENTSOF(times),
                                     count, clocks->realtime_usec);
}

/* The lowest pid of the script's /proc/PID/comm lines, as the agent finds it. */
static void read_dockerd_outside(const struct tether_sections *sections, struct tether_host_facts *facts) {
        const char *listed = tether_sections_output(sections, "dockerd-outside");

        for (const char *line = listed; line && *line;
             line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                unsigned long pid;
                char *end;

                if (strncmp(line, "/proc/", 6) != 0)
                        continue;
                pid = strtoul(line + 6, &end, 10);
                if (strncmp(end, "/comm", 5) == 0 && pid > 0 && pid <= UINT32_MAX &&
                    (!facts->dockerd_outside_pid || pid < facts->dockerd_outside_pid))
                        facts->dockerd_outside_pid = (unsigned)pid;
        }
}

static int read_docker(const struct tether_sections *sections, const struct tether_host_clocks *clocks,
                       struct tether_host_facts *facts, struct tether_error *error) {
        static const char *const other_units[] = {"snap.docker.dockerd.service"};
        const char *engine = tether_sections_output(sections, "docker");
        int r;

        r = read_unit(sections, TETHER_DOCKER_UNIT, clocks, &facts->docker, error);
        if (r < 0)
                return r;
        read_dockerd_outside(sections, facts);
        /* Without systemd, systemctl has nothing to show: no docker.service. */
        if (!facts->docker && facts->init_system)
                return 0;
        if (!facts->docker)
                return tether_error_set(error, -EBADMSG, "no 'systemctl show' of %s in the host's answer",
                                        TETHER_DOCKER_UNIT);
        for (size_t i = 0; !tether_unit_exists(facts->docker) && i < ELEMENTSOF(other_units); i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;

                r = read_unit(sections, other_units[i], clocks, &unit, error);
                if (r < 0)
                        return r;
                if (tether_unit_exists(unit)) {
                        facts->docker_other_unit = strdup(other_units[i]);
                        break;
                }
        }
        tether_host_facts_read_daemon_json(facts);
        if (tether_host_facts_docker_active(facts) && engine) {
                size_t first = strcspn(engine, "\n");
                unsigned running;

                facts->docker_version = strndup(engine, first);
                facts->docker_major = (unsigned)strtoul(engine, NULL, 10);
                _cleanup_free_ char *containers =
                        engine[first] == '\n' ? first_line(engine + first + 1) : NULL;

                if (containers && tether_parse_unsigned(containers, 0, INT32_MAX, &running) >= 0)
                        facts->running_containers = (int)running;
        }
        if (tether_unit_exists(facts->docker) && facts->docker->start_limit_interval_usec > 0)
                read_docker_starts(sections, clocks, facts);
        return 0;
}

/* ---- Docker's rules ---------------------------------------------------- */

static int read_rules(const struct tether_sections *sections, struct tether_host_facts *facts,
                      struct tether_error *error) {
        const struct tether_section *ipv4 = tether_sections_get(sections, "iptables-save");
        const char *ipv6 = tether_sections_output(sections, "ip6tables-save");
        const char *version = tether_sections_output(sections, "iptables-version");
        _cleanup_free_ char *backend = NULL;
        int r;

        if (version)
                (void)tether_netfilter_parse_version(version, &facts->netfilter_backend);
        if (!ipv4 || ipv4->status != 0)
                return tether_error_set(error, -EIO, "iptables-save failed with status %d",
                                        ipv4 ? ipv4->status : 127);
        r = tether_netfilter_parse_save(ipv4->text, ipv4->length, &facts->ipv4, error);
        if (r < 0)
                return r;
        /* IPv6 is optional: a host without ip6tables has no IPv6 rules to lose. */
        if (ipv6)
                (void)tether_netfilter_parse_save(ipv6, strlen(ipv6), &facts->ipv6, NULL);
        backend = tether_host_facts_daemon_json_string(facts, "firewall-backend");
        if (backend && strcmp(backend, "nftables") == 0 && tether_sections_output(sections, "nft-tables"))
                facts->nft_tables = strdup(tether_sections_output(sections, "nft-tables"));
        return 0;
}

/* ---- firewall units ---------------------------------------------------- */

/* Every known firewall unit systemd showed, kept as agent/state.c's
 * gather_firewalls() keeps them (tether_host_facts_keep_firewall()). */
static int read_firewalls(const struct tether_sections *sections, const struct tether_host_clocks *clocks,
                          struct tether_host_facts *facts, struct tether_error *error) {
        for (size_t i = 0; i < tether_firewall_kinds_count; i++) {
                const char *name = tether_firewall_kinds[i].unit;
                struct tether_unit *unit = NULL;
                int r;

                /* Without systemd, systemctl has no unit to show. */
                if (facts->init_system)
                        return 0;
                r = read_unit(sections, name, clocks, &unit, error);
                if (r < 0)
                        return r;
                if (!unit)
                        return tether_error_set(error, -EBADMSG,
                                                "no 'systemctl show' of %s in the host's answer", name);
                r = tether_host_facts_keep_firewall(facts, name, unit);
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
        }
        return 0;
}

/* firewalld's version, and the zone whose interfaces hold Docker's
 * bridge, from "VERSION\nZONE\n  interfaces: IF...\n...": asked only while
 * firewalld runs. */
static void read_firewalld(const struct tether_sections *sections, struct tether_host_facts *facts) {
        _cleanup_free_ char *bridge = tether_host_facts_daemon_json_string(facts, "bridge");
        const char *text = tether_sections_output(sections, "firewalld"), *interface;
        _cleanup_free_ char *zone = NULL;
        bool running = false;

        for (size_t i = 0; i < facts->n_firewalls; i++)
                if (strcmp(facts->firewalls[i]->id, "firewalld.service") == 0)
                        running = tether_unit_is_active(facts->firewalls[i]);
        if (!running || !text || (bridge && strcmp(bridge, "none") == 0))
                return;
        interface = bridge && *bridge ? bridge : "docker0";
        facts->firewalld_version = first_line(text);
        for (const char *line = text + strcspn(text, "\n"); *line;) {
                size_t length;

                line += *line == '\n';
                length = strcspn(line, "\n");
                if (length > 0 && line[0] != ' ') {
                        free(zone);
                        zone = strndup(line, length);
                } else if (zone && strncmp(line, "  interfaces:", strlen("  interfaces:")) == 0) {
                        _cleanup_free_ char *list =
                                strndup(line + strlen("  interfaces:"), length - strlen("  interfaces:"));

                        for (char *save = NULL, *word = list ? strtok_r(list, " ", &save) : NULL; word;
                             word = strtok_r(NULL, " ", &save))
                                if (strcmp(word, interface) == 0 && !facts->firewalld_bridge_zone)
                                        facts->firewalld_bridge_zone = strdup(zone);
                }
                line += length;
        }
        if (!facts->firewalld_bridge_zone)
                facts->firewalld_bridge_zone = strdup("");
}

/* ---- drop-ins ---------------------------------------------------------- */

/* The script cats every drop-in of docker.service on disk, and every one
 * systemd loaded: those systemd did not load are the unloaded ones. */
static int read_dropins(const struct tether_sections *sections, struct tether_host_facts *facts,
                        struct tether_error *error) {
        _cleanup_free_ char *tether_section = NULL;
        const char *text;
        int r;

        if (asprintf(&facts->dropin_path, "%s/%s.d/%s", TETHER_SYSTEMD_DIR, TETHER_DOCKER_UNIT,
                     TETHER_DROPIN_NAME) < 0 ||
            asprintf(&tether_section, "dropin %s", facts->dropin_path) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        text = tether_sections_output(sections, tether_section);
        facts->dropin_contents = text ? strdup(text) : NULL;
        if (!tether_unit_exists(facts->docker))
                return 0;

        for (size_t i = 0; i < sections->n_items; i++) {
                const char *path = sections->items[i].name + strlen("dropin ");

                if (strncmp(sections->items[i].name, "dropin ", strlen("dropin ")) != 0 ||
                    strv_contains(facts->docker->drop_in_paths, path))
                        continue;
                r = strv_push(&facts->unloaded_dropins, strdup(path));
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
        }
        for (size_t i = 0; facts->docker->drop_in_paths[i]; i++) {
                const char *path = facts->docker->drop_in_paths[i];
                _cleanup_free_ char *name = NULL;

                if (strcmp(path, facts->dropin_path) == 0)
                        continue;
                if (asprintf(&name, "dropin %s", path) < 0)
                        return tether_error_set(error, -ENOMEM, "out of memory");
                text = tether_sections_output(sections, name);
                r = tether_host_facts_add_dropin(facts, strdup(path), text ? strdup(text) : NULL);
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
        }
        return 0;
}

/* ---- tether-agent watch ------------------------------------------------ */

/* The journal's microseconds: decimal digits, at most 19 (no overflow). */
static int parse_microseconds(const char *text, uint64_t *ret) {
        size_t digits = strspn(text, "0123456789");
        uint64_t value = 0;

        if (digits == 0 || digits > 19 || text[digits])
                return -EINVAL;
        for (size_t i = 0; i < digits; i++)
                value = value * 10 + (uint64_t)(text[i] - '0');
        *ret = value;
        return 0;
}

static const char *journal_string(json_t *entry, const char *field) {
        return json_string_value(json_object_get(entry, field));
}

/* watch's records of the last day, one journal entry of JSON a line, newest
 * first (as agent/journal.c reads them), folded as the agent folds them;
 * read only where watch is installed. A line that is not an entry is
 * skipped: what watch did is reported, never judged. */
static int read_watch_journal(const struct tether_sections *sections, struct tether_host_facts *facts) {
        const char *text = tether_sections_output(sections, "watch-journal");

        if (!text || !tether_watch_installed(facts->watch))
                return 0;
        for (const char *line = text; *line;) {
                size_t length = strcspn(line, "\n");
                json_t *entry = json_loadb(line, length, 0, NULL);
                struct tether_watch_record record = {};
                uint64_t when;
                const char *realtime = journal_string(entry, "__REALTIME_TIMESTAMP");
                int r = 0;

                if (realtime && parse_microseconds(realtime, &when) >= 0) {
                        record = (struct tether_watch_record){
                                .realtime_usec = when,
                                .event = journal_string(entry, "TETHER_WATCH_EVENT"),
                                .action = journal_string(entry, "TETHER_WATCH_ACTION"),
                                .culprit = journal_string(entry, "TETHER_WATCH_CULPRIT"),
                                .culprit_pid = journal_string(entry, "TETHER_WATCH_CULPRIT_PID"),
                                .culprit_unit = journal_string(entry, "TETHER_WATCH_CULPRIT_UNIT"),
                                .heal_ms = journal_string(entry, "TETHER_WATCH_HEAL_MS"),
                        };
                        r = tether_watch_summary_add(&facts->watch_journal, &record);
                }
                json_decref(entry);
                if (r < 0)
                        return r;
                line += length;
                if (*line)
                        line++;
        }
        return 0;
}

/* ---- all of it --------------------------------------------------------- */

int tether_agentless_facts(const struct tether_sections *sections, struct tether_host_facts **ret,
                           struct tether_error *error) {
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = tether_host_facts_new();
        struct tether_host_clocks clocks;
        int r;

        if (!facts)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = read_clocks(sections, &clocks, error);
        if (r >= 0)
                r = read_host(sections, facts);
        if (r >= 0) {
                read_files(sections, facts);
                r = read_docker(sections, &clocks, facts, error);
        }
        if (r >= 0 && tether_host_facts_docker_active(facts))
                r = read_rules(sections, facts, error);
        if (r >= 0)
                r = read_firewalls(sections, &clocks, facts, error);
        if (r >= 0) {
                read_firewalld(sections, facts);
                r = read_unit(sections, TETHER_WATCH_UNIT, &clocks, &facts->watch, error);
        }
        if (r >= 0 && read_watch_journal(sections, facts) < 0)
                r = tether_error_set(error, -ENOMEM, "out of memory");
        if (r >= 0)
                r = read_dropins(sections, facts, error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(facts);
        return 0;
}
