/* SPDX-License-Identifier: MIT */
/*
 * The judge (see judge.h). In order: each firewall unit's flush and tie,
 * Docker's expected rules, the drop-in, then the verdict and its reasons.
 * The truth about a tie is what systemd has loaded (docker.service's
 * After=, Requires=, PartOf=, BindsTo=), not what a file says: a file
 * written without daemon-reload is not a fix, and is reported as such.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "env-file.h"
#include "ferm.h"
#include "judge.h"
#include "macro.h"
#include "parse-util.h"
#include "strbuf.h"

static int add_reason(struct tether_judgement *judgement, const char *format, ...) _printf_(2, 3);
static int add_reason(struct tether_judgement *judgement, const char *format, ...) {
        va_list ap;
        char *s = NULL;

        va_start(ap, format);
        if (vasprintf(&s, format, ap) < 0)
                s = NULL;
        va_end(ap);
        return strv_push(&judgement->reasons, s);
}

/* ---- Docker's own settings --------------------------------------------- */

/* Whether Docker has IPv6 rules here that a firewall can take away: ip6tables
 * exists (its rules were read) and holds Docker's, or Docker was told to
 * make them. Docker 27 and later make them by default, but not on a host
 * whose kernel has IPv6 off: there an empty ip6tables is no loss. */
static bool ipv6_at_stake(const struct tether_host_facts *facts, const struct tether_judgement *judgement) {
        return facts->ipv6 && judgement->docker_makes_ipv6_rules &&
               (facts->ipv6->n_items > 0 || judgement->docker_ipv6_asked);
}

/* dockerd's defaults where daemon.json says nothing, or cannot be read (a
 * daemon.json that is not JSON keeps dockerd from starting at all). Flags
 * on dockerd's command line are not read. ip6tables is on by default from
 * Docker 27, "iptables": false or not; before, only with "ip6tables": true
 * (20.10 to 26 refuse to start with it unless "experimental" is on too, so
 * a running daemon with it has it). */
static void judge_docker_settings(const struct tether_host_facts *facts,
                                  struct tether_judgement *judgement) {
        const char *text = facts->files[TETHER_HOST_FILE_DOCKER_DAEMON_JSON];
        json_t *config = text ? json_loads(text, 0, NULL) : NULL;
        const char *bridge = json_string_value(json_object_get(config, "bridge"));
        const char *backend = json_string_value(json_object_get(config, "firewall-backend"));
        json_t *ip6tables = json_object_get(config, "ip6tables");

        judgement->docker_makes_ipv4_rules = !json_is_false(json_object_get(config, "iptables"));
        judgement->docker_uses_nftables = backend && strcmp(backend, "nftables") == 0;
        judgement->docker_makes_ipv6_rules =
                json_is_true(ip6tables) || (!json_is_false(ip6tables) && facts->docker_major >= 27);
        judgement->docker_ipv6_asked = json_is_true(ip6tables);
        judgement->docker_makes_rules =
                judgement->docker_makes_ipv4_rules || ipv6_at_stake(facts, judgement);
        judgement->expected_rules = (struct tether_docker_rules){
                .major = facts->docker_major,
                .version = facts->docker_version,
                .no_docker0_masquerade = json_is_false(json_object_get(config, "ip-masq")) ||
                                         (bridge && strcmp(bridge, "docker0") != 0),
        };
        json_decref(config);
}

/* ---- firewall units ---------------------------------------------------- */

/* Whether an iptables-restore rules file names table ("*filter" lines). */
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

/* Whether a rules file declares one of Docker's chains (":DOCKER...", as
 * a file saved with netfilter-persistent while Docker ran does). */
static bool rules_file_declares_docker_chain(const char *text) {
        for (const char *line = text; line && *line;) {
                if (strncmp(line, ":DOCKER", 7) == 0 && (line[7] == ' ' || line[7] == '-'))
                        return true;
                line = strchr(line, '\n');
                if (line)
                        line++;
        }
        return false;
}

/* What iptables-restore of one rules file does to Docker's rules of its
 * family. Without --noflush it flushes each table the file names; with
 * --noflush (IPTABLES_RESTORE_NOFLUSH=yes) it still flushes each existing
 * chain the file declares, so a file saved while Docker ran wipes Docker's
 * chains all the same. */
static bool restore_flushes(const char *rules, bool noflush, const char **ret_why,
                            const char *const why[static 5]) {
        if (!rules) {
                *ret_why = why[0];
                return false;
        }
        if (noflush) {
                bool declares = rules_file_declares_docker_chain(rules);

                *ret_why = declares
                                   ? why[4]
                                   : "IPTABLES_RESTORE_NOFLUSH=yes: its restart adds rules without flushing";
                return declares;
        }
        if (rules_file_names_table(rules, "filter")) {
                *ret_why = rules_file_names_table(rules, "nat") ? why[1] : why[2];
                return true;
        }
        if (rules_file_names_table(rules, "nat")) {
                *ret_why = why[3];
                return true;
        }
        *ret_why = "/etc/iptables/rules.v4 names neither the filter nor the nat table";
        return false;
}

/* Whether `nft list tables` output has the line table ("table ip docker-bridges"). */
static bool nft_lists_table(const char *tables, const char *table) {
        for (const char *line = tables; line && *line;) {
                size_t length = strcspn(line, "\n");

                if (length == strlen(table) && strncmp(line, table, length) == 0)
                        return true;
                line += length;
                if (*line)
                        line++;
        }
        return false;
}

/* The families of Docker's rules that a firewall flushing both tables takes. */
static unsigned families_at_stake(const struct tether_host_facts *facts,
                                  const struct tether_judgement *judgement) {
        return (judgement->docker_makes_ipv4_rules ? TETHER_FAMILY_IPV4 : 0) |
               (ipv6_at_stake(facts, judgement) ? TETHER_FAMILY_IPV6 : 0);
}

/* The families of Docker's own nftables tables: "ip docker-bridges", and
 * "ip6 docker-bridges" where it makes IPv6 rules. */
static unsigned nft_backend_families(const struct tether_host_facts *facts,
                                     const struct tether_judgement *judgement) {
        bool ipv6 = judgement->docker_makes_ipv6_rules &&
                    (judgement->docker_ipv6_asked ||
                     nft_lists_table(facts->nft_tables, "table ip6 docker-bridges"));

        return (judgement->docker_makes_ipv4_rules ? TETHER_FAMILY_IPV4 : 0) |
               (ipv6 ? TETHER_FAMILY_IPV6 : 0);
}

/* netfilter-persistent's stop runs every plugin's flush (every table) when
 * `[ ${FLUSH_ON_STOP} -gt 0 ]`: a whole number above 0 (the default file
 * has 0). */
static bool flushes_on_stop(const char *defaults) {
        _cleanup_free_ char *value = NULL;
        unsigned number = 0;

        if (tether_env_file_get(defaults, "FLUSH_ON_STOP", &value) <= 0)
                return false;
        return tether_parse_unsigned(value, 1, UINT32_MAX, &number) >= 0;
}

/* netfilter-persistent restores /etc/iptables/rules.v4 with iptables-restore
 * and rules.v6 with ip6tables-restore (plugins 15-ip4tables, 25-ip6tables);
 * rules.v6 matters only where Docker has IPv6 rules. Returns the families
 * whose rules it flushes; *ret_why says why for the first (or why not). */
static unsigned rules_file_flushes(const struct tether_host_facts *facts,
                                   const struct tether_judgement *judgement, const char **ret_why) {
        static const char *const why_v4[5] = {
                "it has no /etc/iptables/rules.v4 to restore",
                "its restart restores the filter and nat tables of /etc/iptables/rules.v4",
                "its restart restores the filter table of /etc/iptables/rules.v4, wiping Docker's filter "
                "chains (nat survives)",
                "its restart restores the nat table of /etc/iptables/rules.v4",
                "IPTABLES_RESTORE_NOFLUSH=yes, but /etc/iptables/rules.v4 declares Docker's chains (it was "
                "saved while Docker ran): its restart flushes them",
        };
        static const char *const why_v6[5] = {
                "",
                "its restart restores the filter and nat tables of /etc/iptables/rules.v6, wiping "
                "Docker's IPv6 rules",
                "its restart restores the filter table of /etc/iptables/rules.v6, wiping Docker's IPv6 "
                "filter chains",
                "its restart restores the nat table of /etc/iptables/rules.v6, wiping Docker's IPv6 nat "
                "rules",
                "IP6TABLES_RESTORE_NOFLUSH=yes, but /etc/iptables/rules.v6 declares Docker's chains (it was "
                "saved while Docker ran): its restart flushes them",
        };
        const char *defaults = facts->files[TETHER_HOST_FILE_NETFILTER_PERSISTENT];
        /* Each plugin reads its own: 15-ip4tables IPTABLES_RESTORE_NOFLUSH,
         * 25-ip6tables IP6TABLES_RESTORE_NOFLUSH. */
        bool noflush = tether_env_file_is_yes(defaults, "IPTABLES_RESTORE_NOFLUSH");
        bool noflush_v6 = tether_env_file_is_yes(defaults, "IP6TABLES_RESTORE_NOFLUSH");
        const char *why_v4_here, *why_v6_here = NULL;
        unsigned families = 0;

        if (flushes_on_stop(defaults)) {
                *ret_why = "FLUSH_ON_STOP is set: its stop, and so its restart, flushes every table";
                return families_at_stake(facts, judgement);
        }
        if (restore_flushes(facts->files[TETHER_HOST_FILE_IPTABLES_RULES_V4], noflush, &why_v4_here,
                            why_v4) &&
            judgement->docker_makes_ipv4_rules)
                families |= TETHER_FAMILY_IPV4;
        if (ipv6_at_stake(facts, judgement) &&
            restore_flushes(facts->files[TETHER_HOST_FILE_IPTABLES_RULES_V6], noflush_v6, &why_v6_here,
                            why_v6))
                families |= TETHER_FAMILY_IPV6;
        *ret_why = families == TETHER_FAMILY_IPV6 ? why_v6_here : why_v4_here;
        return families;
}

/* ---- firewalld --------------------------------------------------------- */

/* Whether key is value (case aside) in firewalld.conf, as firewalld reads
 * it: "KEY=value" lines, blanks around both trimmed, no quotes removed;
 * '#' and ';' start comments. */
static bool firewalld_conf_is(const char *text, const char *key, const char *value) {
        for (const char *line = text; line && *line;) {
                size_t length = strcspn(line, "\n");
                const char *end = line + length, *equals;

                while (line < end && (*line == ' ' || *line == '\t'))
                        line++;
                equals = memchr(line, '=', (size_t)(end - line));
                if (equals && *line != '#' && *line != ';') {
                        const char *key_end = equals, *v = equals + 1, *v_end = end;

                        while (key_end > line && (key_end[-1] == ' ' || key_end[-1] == '\t'))
                                key_end--;
                        while (v < v_end && (*v == ' ' || *v == '\t'))
                                v++;
                        while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t' || v_end[-1] == '\r'))
                                v_end--;
                        if ((size_t)(key_end - line) == strlen(key) && strncmp(line, key, strlen(key)) == 0)
                                return (size_t)(v_end - v) == strlen(value) &&
                                       strncasecmp(v, value, strlen(value)) == 0;
                }
                line = *end ? end + 1 : end;
        }
        return false;
}

/* Whether /etc/firewalld/direct.xml holds a direct chain, rule or
 * passthrough: firewalld 2.0+ then flushes iptables as 1.x does. */
static bool firewalld_has_direct_rules(const char *direct_xml) {
        return direct_xml && (strstr(direct_xml, "<rule") || strstr(direct_xml, "<chain") ||
                              strstr(direct_xml, "<passthrough"));
}

/* The leading numbers of a version, "28.3.3" or "20.10.24+dfsg1", into
 * ret_numbers (n of them at most): returns how many were read, 0 for none,
 * or -ERANGE for a number past unsigned, which no real version has (sscanf's
 * %u would wrap it: 4294967324.3.3 would read as 28.3.3). A host's version
 * text is the host's to choose. */
static int version_numbers(const char *text, unsigned *ret_numbers, size_t n) {
        size_t count = 0;

        while (count < n && *text >= '0' && *text <= '9') {
                unsigned value = 0;

                for (; *text >= '0' && *text <= '9'; text++) {
                        unsigned digit = (unsigned)(*text - '0');

                        if (value > (UINT_MAX - digit) / 10)
                                return -ERANGE;
                        value = value * 10 + digit;
                }
                ret_numbers[count++] = value;
                if (*text != '.')
                        break;
                text++;
        }
        return (int)count;
}

/* firewalld 2.0 and later leave iptables alone with FirewallBackend=nftables
 * (the default, also when the file is missing or the value invalid) and no
 * direct rules (may_skip_flush_direct_backends(), commit b7faa74d for
 * firewalld#863). An unknown version is judged as 1.x, which flushes every
 * iptables table on start, stop and reload. */
static bool firewalld_flushes_iptables(const struct tether_host_facts *facts) {
        unsigned major = 0;

        if (!facts->firewalld_version || version_numbers(facts->firewalld_version, &major, 1) != 1 ||
            major < 2)
                return true;
        return firewalld_conf_is(facts->files[TETHER_HOST_FILE_FIREWALLD_CONF], "FirewallBackend",
                                 "iptables") ||
               firewalld_has_direct_rules(facts->files[TETHER_HOST_FILE_FIREWALLD_DIRECT]);
}

#define FIREWALLD_FLUSHES "its restart, reload and stop flush the iptables tables"

/* What Docker re-creates of its rules on firewalld's Reloaded signal (and
 * when firewalld comes back on the bus), by Docker's version: all of them
 * from 28.3.3 and 25.0.13 (moby PRs #49728, #50443, #50506); before, not
 * the isolation rules between networks (CVE-2025-54410, fixed in 28.0.0
 * and 25.0.13) or, in 28.0.0 to 28.3.2, the per-container rules
 * (CVE-2025-54388). NULL: all of them. */
static const char *docker_firewalld_leaves(const char *docker_version) {
        unsigned numbers[3] = {};

        if (!docker_version)
                return FIREWALLD_FLUSHES ", and Docker's version is not known (docker is not running): "
                                         "whether it re-creates them all cannot be told";
        if (version_numbers(docker_version, numbers, ELEMENTSOF(numbers)) < 1)
                return FIREWALLD_FLUSHES ", and Docker's version cannot be read: whether it re-creates them "
                                         "all cannot be told";
        unsigned major = numbers[0], minor = numbers[1], patch = numbers[2];

        if (major > 28 || (major == 28 && (minor > 3 || (minor == 3 && patch >= 3))) ||
            (major == 25 && minor == 0 && patch >= 13))
                return NULL;
        if (major == 28)
                return FIREWALLD_FLUSHES "; Docker re-creates them on firewalld's signal, all but its "
                                         "per-container rules (CVE-2025-54388, fixed in Docker 28.3.3)";
        return FIREWALLD_FLUSHES "; Docker re-creates them on firewalld's signal, all but the isolation "
                                 "rules between its networks (CVE-2025-54410, fixed in Docker 28.0.0 and "
                                 "25.0.13)";
}

/* Docker re-creates its rules only if firewalld ran when dockerd started
 * (moby libnetwork/iptables/firewalld.go gives up on it otherwise); then,
 * and only then, it puts its bridge in firewalld's "docker" zone, again
 * after each reload. */
static bool firewalld_flushes(const struct tether_host_facts *facts, const char **ret_why,
                              bool *ret_docker_heals) {
        const char *zone = facts->firewalld_bridge_zone;

        if (!firewalld_flushes_iptables(facts)) {
                *ret_why = "firewalld 2.0 or later with FirewallBackend=nftables and no direct rules leaves "
                           "iptables, and Docker's rules, alone";
                return false;
        }
        if (!zone) {
                *ret_why = FIREWALLD_FLUSHES ", and whether Docker re-creates them cannot be seen while "
                                             "firewalld is not running (it does only if firewalld ran when "
                                             "dockerd started)";
                return true;
        }
        if (strcmp(zone, "docker") != 0) {
                *ret_why = FIREWALLD_FLUSHES ", and Docker does not re-create them: it is not connected to "
                                             "firewalld (firewalld was not running when dockerd started)";
                return true;
        }
        *ret_why = docker_firewalld_leaves(facts->docker_version);
        if (*ret_why)
                return true;
        *ret_why = FIREWALLD_FLUSHES ", and Docker re-creates all of them on firewalld's signal (Docker "
                                     "28.3.3 or later, or 25.0.13 or later, connected to firewalld since "
                                     "dockerd started)";
        *ret_docker_heals = true;
        return false;
}

/* The name of a snapshot item's chain: ":DOCKER" and "-A DOCKER ..." are
 * both DOCKER (length in *ret_length). */
static const char *item_chain(const struct tether_netfilter_item *item, size_t *ret_length) {
        const char *name = item->text[0] == ':' ? item->text + 1 : item->text + strlen("-A ");

        *ret_length = strcspn(name, " ");
        return name;
}

static bool name_in(const char *name, size_t length, const char *const *names) {
        for (size_t i = 0; names[i]; i++)
                if (strlen(names[i]) == length && strncmp(names[i], name, length) == 0)
                        return true;
        return false;
}

/* Shorewall's DOCKER=Yes (5.0.6+) saves these chains before each start,
 * reload, restart and stop, restores them after, and puts Docker's jumps
 * back itself (Shorewall's Chains.pm save_docker_rules(), Misc.pm
 * create_docker_rules()). Docker 28's DOCKER-FORWARD, DOCKER-CT,
 * DOCKER-BRIDGE and DOCKER-INTERNAL are not among them. */
static const char *const shorewall_saved_chains[] = {
        "DOCKER",
        "DOCKER-INGRESS",
        "DOCKER-USER",
        "DOCKER-ISOLATION",
        "DOCKER-ISOLATION-STAGE-1",
        "DOCKER-ISOLATION-STAGE-2",
        NULL,
};

/* Shorewall reads DOCKER as Perl does, case-insensitively: "Yes", "yes";
 * "No" or nothing is the default, no. */
static bool shorewall_keeps_docker(const struct tether_host_facts *facts, const char **ret_why) {
        _cleanup_free_ char *value = NULL;
        size_t length;

        if (tether_env_file_get(facts->files[TETHER_HOST_FILE_SHOREWALL], "DOCKER", &value) <= 0 ||
            strcasecmp(value, "yes") != 0) {
                *ret_why = "its restart replaces every table, and DOCKER=Yes is not set in "
                           "/etc/shorewall/shorewall.conf to save Docker's chains";
                return false;
        }
        *ret_why =
                "DOCKER=Yes, but Shorewall saves only the chains Docker had before 28 (not DOCKER-FORWARD "
                "and its kin): its restart flushes the others";
        if (facts->ipv4) {
                for (size_t i = 0; i < facts->ipv4->n_items; i++) {
                        const char *chain = item_chain(&facts->ipv4->items[i], &length);

                        if (facts->ipv4->items[i].text[0] == ':' &&
                            !name_in(chain, length, shorewall_saved_chains))
                                return false;
                }
        } else if (facts->docker_major == 0 || facts->docker_major >= 28)
                return false;
        *ret_why = "DOCKER=Yes in /etc/shorewall/shorewall.conf: Shorewall saves Docker's chains and "
                   "restores them";
        return true;
}

/* ferm keeps Docker's rules only where it @preserves every chain that
 * holds them (Docker's own, and the built-in ones with its jumps and
 * MASQUERADE) in the tables it manages. Which chains those are is read
 * from Docker's rules as they are now: unknown while docker is stopped. */
static bool ferm_keeps_docker(const struct tether_host_facts *facts, const char **ret_why) {
        char **preserved = NULL, **tables = NULL;
        bool keeps = true;
        size_t length;

        if (!facts->ipv4) {
                *ret_why =
                        "its restart replaces the tables it manages, and which chains hold Docker's rules "
                        "is not known while docker is stopped";
                return false;
        }
        if (tether_ferm_read(facts->files[TETHER_HOST_FILE_FERM], &preserved, &tables) < 0) {
                *ret_why = "its restart replaces the tables it manages";
                return false;
        }
        for (size_t i = 0; keeps && i < facts->ipv4->n_items; i++) {
                const struct tether_netfilter_item *item = &facts->ipv4->items[i];
                const char *chain = item_chain(item, &length);

                keeps = !strv_contains(tables, item->table) ||
                        name_in(chain, length, (const char *const *)preserved);
        }
        strv_free(preserved);
        strv_free(tables);
        *ret_why =
                keeps ? "/etc/ferm/ferm.conf marks every chain that holds Docker's rules @preserve"
                      : "its restart replaces the tables it manages, and /etc/ferm/ferm.conf does not mark "
                        "every chain that holds Docker's rules @preserve";
        return keeps;
}

/* ufw-init does nothing on start or stop unless ENABLED in ufw.conf is
 * "yes" or "YES" (ufw_start, ufw_stop); 'ufw enable' and 'ufw disable' set
 * it. Not read (NULL): taken as enabled. */
static bool ufw_enabled(const char *ufw_conf) {
        _cleanup_free_ char *value = NULL;

        if (!ufw_conf || tether_env_file_get(ufw_conf, "ENABLED", &value) < 0)
                return true;
        return value && (strcmp(value, "yes") == 0 || strcmp(value, "YES") == 0);
}

/* Which families of Docker's rules a restart of a unit of this kind flushes
 * here (0: none), and why, from the kind's rule and the host's facts;
 * *ret_docker_heals when it flushes them but Docker re-creates them all. */
static unsigned kind_flushes(const struct tether_host_facts *facts, const struct tether_judgement *judgement,
                             const struct tether_firewall_kind *kind, const char **ret_why,
                             bool *ret_docker_heals) {
        unsigned at_stake = families_at_stake(facts, judgement);
        bool flushes = false;

        if (!judgement->docker_makes_rules) {
                *ret_why = "Docker makes no iptables rules here (\"iptables\": false in "
                           "/etc/docker/daemon.json)";
                return 0;
        }
        /* Only 'nft flush ruleset' reaches Docker's own nftables tables. */
        if (judgement->docker_uses_nftables) {
                flushes = kind->flush == TETHER_FLUSH_IF_NFT;
                *ret_why = flushes ? "its restart runs 'nft flush ruleset', which removes Docker's nftables "
                                     "tables (\"firewall-backend\": \"nftables\")"
                                   : "Docker keeps its rules in nftables tables of its own "
                                     "(\"firewall-backend\": "
                                     "\"nftables\"), which this firewall does not touch";
                return flushes ? nft_backend_families(facts, judgement) : 0;
        }
        switch (kind->flush) {
        case TETHER_FLUSH_ALWAYS:
                *ret_why = "its restart flushes every table";
                return at_stake;
        case TETHER_FLUSH_IPV4_ONLY:
                *ret_why = judgement->docker_makes_ipv4_rules
                                   ? "its restart flushes every table"
                                   : "it flushes IPv4 tables alone, and Docker makes no IPv4 rules here "
                                     "(\"iptables\": false in /etc/docker/daemon.json)";
                return at_stake & TETHER_FAMILY_IPV4;
        case TETHER_FLUSH_IF_NFT:
                flushes = facts->netfilter_backend != TETHER_NETFILTER_LEGACY;
                *ret_why = flushes ? "its restart runs 'nft flush ruleset', which removes Docker's "
                                     "iptables-nft rules"
                                   : "Docker's rules are in iptables-legacy, which 'nft flush ruleset' "
                                     "does not touch";
                return flushes ? at_stake : 0;
        case TETHER_FLUSH_TABLES_IN_RULES_FILE:
                return rules_file_flushes(facts, judgement, ret_why);
        case TETHER_FLUSH_IF_UFW_MANAGES_BUILTINS:
                flushes = tether_env_file_is_yes(facts->files[TETHER_HOST_FILE_UFW], "MANAGE_BUILTINS");
                if (flushes && !ufw_enabled(facts->files[TETHER_HOST_FILE_UFW_CONF])) {
                        *ret_why = "ufw is not enabled (ENABLED in /etc/ufw/ufw.conf): its restart changes "
                                   "nothing ('ufw enable' would flush Docker's rules, and enable it)";
                        return 0;
                }
                *ret_why = flushes ? "MANAGE_BUILTINS=yes: its restart flushes every chain of the filter "
                                     "table, Docker's too, and the built-in ones of nat"
                                   : "it only flushes its own ufw-* chains";
                return flushes ? at_stake : 0;
        case TETHER_FLUSH_IPV6_ONLY:
                flushes = ipv6_at_stake(facts, judgement);
                *ret_why = flushes ? "its restart flushes Docker's IPv6 rules"
                                   : "Docker has no IPv6 rules here";
                return flushes ? TETHER_FAMILY_IPV6 : 0;
        case TETHER_FLUSH_FIREWALLD:
                /* firewalld flushes iptables and ip6tables alike. */
                return firewalld_flushes(facts, ret_why, ret_docker_heals) ? at_stake : 0;
        case TETHER_FLUSH_UNLESS_SHOREWALL_KEEPS_DOCKER:
                /* shorewall.service is IPv4's; shorewall6.service is another unit. */
                return shorewall_keeps_docker(facts, ret_why) ? 0 : at_stake & TETHER_FAMILY_IPV4;
        case TETHER_FLUSH_UNLESS_FERM_PRESERVES_DOCKER:
                return ferm_keeps_docker(facts, ret_why) ? 0 : at_stake;
        }
        *ret_why = "";
        return 0;
}

static bool docker_tied_to(const struct tether_unit *docker, const struct tether_unit *unit) {
        if (!tether_unit_exists(docker) || !tether_unit_listed_in(docker->after, unit))
                return false;
        return tether_unit_listed_in(docker->part_of, unit) ||
               tether_unit_listed_in(docker->requires, unit) ||
               tether_unit_listed_in(docker->binds_to, unit) || unit->exec_start_post_restarts_docker;
}

static void judge_firewall(const struct tether_host_facts *facts, const struct tether_judgement *judgement,
                           const struct tether_unit *unit, struct tether_firewall_judgement *ret) {
        const struct tether_firewall_kind *kind = tether_firewall_kind_find(unit->id);

        /* A unit whose own name tether does not know is judged by the kind
         * it was looked up as (an alias of it). */
        if (!kind)
                kind = tether_firewall_kind_find(unit->name);

        *ret = (struct tether_firewall_judgement){
                .unit = unit,
                .kind = kind,
                .enabled = tether_unit_is_enabled(unit),
                .active = tether_unit_is_active(unit),
        };
        if (!kind) {
                ret->why = "tether does not know this firewall unit";
                return;
        }
        ret->families = kind_flushes(facts, judgement, kind, &ret->why, &ret->docker_heals);
        ret->flushes = ret->families != 0;
        /* Its own commands flush what its restart flushes, around systemd. */
        ret->outside = ret->flushes ? kind->outside : NULL;
        /* Its reload runs the same restore (nft -f a file that begins with "flush
         * ruleset", iptables-restore without --noflush, firewalld's reload);
         * netfilter-persistent has no reload. firewalld reloads on D-Bus too. */
        ret->reload_flushes =
                ret->flushes && unit->has_exec_reload && kind->flush != TETHER_FLUSH_TABLES_IN_RULES_FILE;
        ret->reload_bypasses_systemd = ret->flushes && kind->flush == TETHER_FLUSH_FIREWALLD;
        ret->tied = docker_tied_to(facts->docker, unit);
}

static bool firewall_counts(const struct tether_firewall_judgement *firewall) {
        return firewall->flushes && (firewall->enabled || firewall->active);
}

static int judge_firewalls(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        size_t n_flushing = 0;

        judgement->firewalls = calloc(facts->n_firewalls + 1, sizeof(*judgement->firewalls));
        judgement->flushing_units = calloc(facts->n_firewalls + 1, sizeof(char *));
        if (!judgement->firewalls || !judgement->flushing_units)
                return -ENOMEM;
        for (size_t i = 0; i < facts->n_firewalls; i++) {
                struct tether_firewall_judgement *firewall = &judgement->firewalls[judgement->n_firewalls++];

                judge_firewall(facts, judgement, facts->firewalls[i], firewall);
                if (!firewall_counts(firewall))
                        continue;
                judgement->flushing_units[n_flushing] = strdup(firewall->unit->id);
                if (!judgement->flushing_units[n_flushing++])
                        return -ENOMEM;
        }
        return 0;
}

/* ---- Docker's rules and the drop-ins ----------------------------------- */

/* Docker's nftables backend: its table "ip docker-bridges" in `nft list
 * tables`. (Its chains are Docker's own business, re-created whole with
 * the table.) */
static int judge_nft_tables(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        bool present = nft_lists_table(facts->nft_tables, "table ip docker-bridges");

        if (!facts->nft_tables)
                return 0;
        judgement->checks = calloc(1, sizeof(*judgement->checks));
        if (!judgement->checks)
                return -ENOMEM;
        judgement->checks[0] = (struct tether_netfilter_check){
                .table = "nftables", .what = "table ip docker-bridges", .present = present};
        judgement->n_checks = 1;
        judgement->rules_missing = present ? 0 : 1;
        return 0;
}

/* Appends the checks of one family's snapshot to the judgement's. */
static int judge_family(const struct tether_netfilter_snapshot *snapshot,
                        const struct tether_docker_rules *rules, struct tether_judgement *judgement) {
        _cleanup_free_ struct tether_netfilter_check *checks = NULL;
        struct tether_netfilter_check *all;
        size_t n = 0;
        int r;

        r = tether_netfilter_check_expected(snapshot, rules, &checks, &n);
        if (r < 0)
                return r;
        all = reallocarray(judgement->checks, judgement->n_checks + n + 1, sizeof(*all));
        if (!all)
                return -ENOMEM;
        memcpy(all + judgement->n_checks, checks, n * sizeof(*checks));
        judgement->checks = all;
        judgement->n_checks += n;
        judgement->rules_missing += (size_t)r;
        return 0;
}

static int judge_rules(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        struct tether_docker_rules ipv6_rules = judgement->expected_rules;
        int r = 0;

        if (!tether_host_facts_docker_active(facts) || !judgement->docker_makes_rules)
                return 0;
        if (judgement->docker_uses_nftables)
                return judge_nft_tables(facts, judgement);
        if (facts->ipv4 && judgement->docker_makes_ipv4_rules)
                r = judge_family(facts->ipv4, &judgement->expected_rules, judgement);
        ipv6_rules.ipv6 = true;
        if (r >= 0 && ipv6_at_stake(facts, judgement))
                r = judge_family(facts->ipv6, &ipv6_rules, judgement);
        return r;
}

static bool text_ties_any_firewall(const struct tether_host_facts *facts, const char *text) {
        for (size_t i = 0; i < facts->n_firewalls; i++) {
                const struct tether_unit *unit = facts->firewalls[i];

                if (tether_dropin_text_ties(text, unit->id))
                        return true;
                for (size_t j = 0; unit->names && unit->names[j]; j++)
                        if (tether_dropin_text_ties(text, unit->names[j]))
                                return true;
        }
        return false;
}

static enum tether_policy policy_of(const char *contents, enum tether_policy policy, bool policy_forced) {
        enum tether_policy found;
        char name[16] = "";

        if (!policy_forced && contents &&
            sscanf(contents, "# Managed by tether, policy \"%15[a-z]\"", name) == 1 &&
            tether_policy_from_string(name, &found) >= 0)
                return found;
        return policy;
}

static int judge_dropins(const struct tether_host_facts *facts, enum tether_policy policy,
                         bool policy_forced, struct tether_judgement *judgement) {
        int r;

        judgement->policy = policy_of(facts->dropin_contents, policy, policy_forced);
        if (judgement->flushing_units[0]) {
                r = tether_dropin_render(judgement->policy, judgement->flushing_units,
                                         &judgement->dropin_expected, NULL);
                if (r == -ENOMEM)
                        return r;
        }
        judgement->dropin_state = tether_dropin_classify(facts->dropin_contents, judgement->dropin_expected);

        judgement->foreign_dropins = calloc(1, sizeof(char *));
        if (!judgement->foreign_dropins)
                return -ENOMEM;
        for (size_t i = 0; i < facts->n_other_dropins; i++) {
                const struct tether_dropin_file *dropin = &facts->other_dropins[i];

                if (!dropin->text || !text_ties_any_firewall(facts, dropin->text))
                        continue;
                r = strv_push(&judgement->foreign_dropins, strdup(dropin->path));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- the verdict and its reasons --------------------------------------- */

static int explain_missing_rules(const struct tether_judgement *judgement, struct tether_judgement *out) {
        struct strbuf missing = STRBUF_INIT;
        _cleanup_free_ char *list = NULL;

        for (size_t i = 0; i < judgement->n_checks; i++)
                if (!judgement->checks[i].present)
                        strbuf_appendf(&missing, "%s%s: %s", missing.length ? ", " : "",
                                       judgement->checks[i].table, judgement->checks[i].what);
        list = strbuf_steal(&missing);
        return add_reason(out,
                          "docker is active but %zu of its chains and rules are missing now (%s): its "
                          "containers are cut off; 'apply --heal' restarts docker to restore them",
                          judgement->rules_missing, list ? list : "?");
}

static int explain_not_applicable(const struct tether_host_facts *facts,
                                  const struct tether_verdict_facts *verdict_facts,
                                  struct tether_judgement *judgement) {
        if (facts->init_system)
                return add_reason(
                        judgement,
                        "this host does not run systemd (PID 1 is %s): tether's fix is a drop-in for "
                        "docker.service, which only systemd reads, so it cannot be applied here; a "
                        "firewall restart may still take Docker's rules: restart Docker after it with "
                        "the init system's own means",
                        facts->init_system);
        /* snap's dockerd runs outside docker.service too: its unit says more. */
        if (!verdict_facts->docker_installed && facts->docker_other_unit)
                return add_reason(
                        judgement,
                        "Docker runs here as %s (snap's Docker), not as docker.service: tether "
                        "does not support it, and neither judges nor ties it; tie that unit to the "
                        "firewall by hand",
                        facts->docker_other_unit);
        if (facts->dockerd_outside_pid &&
            (!verdict_facts->docker_installed || !verdict_facts->docker_active))
                return add_reason(
                        judgement,
                        "dockerd runs here (pid %u), but not as docker.service: tether ties "
                        "docker.service to the firewall, so it cannot protect this Docker; run Docker "
                        "as docker.service, or restart it by hand after each firewall restart",
                        facts->dockerd_outside_pid);
        if (!verdict_facts->docker_installed)
                return add_reason(judgement, "docker.service is not installed");
        if (!verdict_facts->docker_active && !verdict_facts->docker_enabled)
                return add_reason(judgement, "docker.service is neither running nor enabled");
        if (verdict_facts->docker_makes_no_rules)
                return add_reason(judgement, "Docker makes no iptables rules here (\"iptables\": false in "
                                             "/etc/docker/daemon.json): no firewall can take them away");
        return add_reason(judgement, "no enabled or running firewall service flushes Docker's rules");
}

/* A reload flushes Docker's rules, and nothing restarts docker after it:
 * only the follow policy's hook (ExecStartPost= and ExecReload=) does. A
 * flush from outside systemd (csf -r, ufw reload) no hook sees at all. */
static bool reload_uncovered(const struct tether_firewall_judgement *firewall) {
        return firewall->reload_bypasses_systemd || firewall->outside ||
               (firewall->reload_flushes && !firewall->unit->exec_start_post_restarts_docker);
}

/* A flush from outside systemd: said whether the unit is tied or not, as no
 * tie makes the host safe from it. */
static int explain_outside(const struct tether_firewall_judgement *firewall,
                           struct tether_judgement *judgement) {
        if (!firewall->outside)
                return 0;
        return add_reason(
                judgement,
                "%s flushes Docker's rules from outside systemd too (%s): no tie to the unit covers "
                "that, only something that puts the rules back when they go",
                firewall->unit->id, firewall->outside);
}

/* Which of Docker's rules a flush takes, where IPv6 is among them and the
 * reason does not say it already; IPv4 alone goes without saying. */
static const char *families_at_risk(const struct tether_firewall_judgement *firewall) {
        if (firewall->families == (TETHER_FAMILY_IPV4 | TETHER_FAMILY_IPV6))
                return " (Docker's IPv4 and IPv6 rules)";
        if (firewall->families == TETHER_FAMILY_IPV6 && !strstr(firewall->why, "IPv6"))
                return " (Docker's IPv6 rules)";
        return "";
}

/* One unit that flushes Docker's rules: tied or not, and whether its
 * reloads are covered. A tie made by the follow policy's hook covers
 * reloads; Requires= and PartOf= do not pass them on. */
static int explain_firewall(const struct tether_firewall_judgement *firewall,
                            struct tether_judgement *judgement) {
        int r;

        if (!firewall->tied) {
                r = add_reason(judgement, "%s is %s and %s%s, but docker.service is not tied to it",
                               firewall->unit->id, firewall->active ? "running" : "enabled", firewall->why,
                               families_at_risk(firewall));
                return r < 0 ? r : explain_outside(firewall, judgement);
        }
        r = add_reason(judgement, "docker.service is tied to %s, as systemd has it loaded",
                       firewall->unit->id);
        if (r >= 0)
                r = explain_outside(firewall, judgement);
        if (r < 0)
                return r;
        if (firewall->reload_bypasses_systemd)
                return add_reason(
                        judgement,
                        "no tie passes on a reload of %s, nor 'firewall-cmd --reload', which systemd "
                        "never sees: %s",
                        firewall->unit->id, firewall->why);
        if (!firewall->reload_flushes || firewall->unit->exec_start_post_restarts_docker)
                return r;
        return add_reason(judgement,
                          "a reload of %s flushes Docker's rules too, and systemd does not pass reloads on "
                          "through PartOf= or Requires=: policy follow covers reloads",
                          firewall->unit->id);
}

/* A firewalld that is enabled or running and does not count: say why, for
 * it is the one firewall whose flush Docker can survive on its own. */
static int explain_firewalld_spared(const struct tether_firewall_judgement *firewall,
                                    struct tether_judgement *judgement) {
        if (!firewall->kind || firewall->kind->flush != TETHER_FLUSH_FIREWALLD || firewall->flushes ||
            !(firewall->enabled || firewall->active) || !judgement->docker_makes_rules ||
            judgement->docker_uses_nftables)
                return 0;
        if (!firewall->docker_heals)
                return add_reason(judgement, "%s is %s, but %s", firewall->unit->id,
                                  firewall->active ? "running" : "enabled", firewall->why);
        return add_reason(judgement,
                          "%s is %s and %s: tether ties nothing to it, as a tie would restart docker, and "
                          "stop its containers, on each firewalld restart for nothing",
                          firewall->unit->id, firewall->active ? "running" : "enabled", firewall->why);
}

/* How a unit docker Requires= or BindsTo= keeps docker from starting, or
 * NULL when it does not: systemd refuses a job to restart or start docker
 * while the unit is masked or missing ("Unit ... is masked"), and docker's
 * start fails with the unit's. */
static const char *blocking_state(const struct tether_unit *docker, const struct tether_unit *unit) {
        if (!tether_unit_exists(docker) || (!tether_unit_listed_in(docker->requires, unit) &&
                                            !tether_unit_listed_in(docker->binds_to, unit)))
                return NULL;
        if (strcmp(unit->load_state, "masked") == 0)
                return "masked";
        if (!tether_unit_exists(unit))
                return "not installed";
        if (strcmp(unit->active_state, "failed") == 0)
                return "failed";
        return NULL;
}

static int explain_blocking(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < facts->n_firewalls; i++) {
                const struct tether_unit *unit = facts->firewalls[i];
                const char *state = blocking_state(facts->docker, unit);

                if (!state)
                        continue;
                if (strcmp(state, "failed") == 0)
                        r = add_reason(
                                judgement,
                                "docker.service requires %s, which failed: if it fails again when docker "
                                "restarts or starts (at the next boot too), docker does not start; fix "
                                "it, or make the tie with After= and PartOf= alone",
                                unit->id);
                else
                        r = add_reason(
                                judgement,
                                "docker.service requires %s, which is %s: systemd refuses to restart or "
                                "start docker (now, and at the next boot) until it is %s, or the tie is "
                                "made with After= and PartOf= alone",
                                unit->id, state, strcmp(state, "masked") == 0 ? "unmasked" : "installed");
        }
        return r;
}

/* What the fix costs: a tied docker restarts with its firewall, and without
 * live-restore that stops every container. tether never changes
 * daemon.json; it says so. */
static int explain_restart_cost(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        int n = facts->running_containers;
        const char *s = n == 1 ? "" : "s";

        if (n <= 0 || !judgement->flushing_units[0])
                return 0;
        if (facts->live_restore)
                return add_reason(
                        judgement,
                        "live-restore is on: the %d running container%s keep%s running when a firewall "
                        "restart restarts docker",
                        n, s, n == 1 ? "s" : "");
        return add_reason(
                judgement,
                "with docker tied to the firewall, each restart of it restarts docker, and live-restore "
                "is off: the %d running container%s stop%s, and those whose restart policy is no or "
                "on-failure stay stopped (\"live-restore\": true in /etc/docker/daemon.json keeps "
                "them running)",
                n, s, n == 1 ? "s" : "");
}

/* What is on disk but not in force, and drop-ins that are not tether's as written. */
static int explain_dropins(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        int r = 0;

        for (size_t i = 0; r >= 0 && facts->unloaded_dropins && facts->unloaded_dropins[i]; i++)
                r = add_reason(judgement,
                               "%s is on disk but systemd has not loaded it: it is not in force until "
                               "'systemctl daemon-reload'",
                               facts->unloaded_dropins[i]);
        if (r >= 0 && !(facts->unloaded_dropins && facts->unloaded_dropins[0]) &&
            tether_unit_exists(facts->docker) && facts->docker->need_daemon_reload)
                r = add_reason(judgement, "docker.service's files changed since systemd loaded them: "
                                          "what is on disk is not in force until daemon-reload");
        if (r >= 0 && judgement->dropin_state == TETHER_DROPIN_DRIFTED)
                r = add_reason(judgement, "%s was changed by hand since tether wrote it",
                               facts->dropin_path);
        for (size_t i = 0; r >= 0 && judgement->foreign_dropins[i]; i++)
                r = add_reason(judgement, "%s, not tether's, ties docker to a firewall unit",
                               judgement->foreign_dropins[i]);
        return r;
}

/* A docker that has failed is said first, whatever the verdict: its
 * containers are down now, and one at its start limit stays down until
 * someone resets it. */
static int explain_docker_failed(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        const struct tether_unit *docker = facts->docker;

        if (!tether_unit_exists(docker) || strcmp(docker->active_state, "failed") != 0)
                return 0;
        if (docker->result && strcmp(docker->result, "start-limit-hit") == 0)
                return add_reason(judgement,
                                  "docker.service has failed at its start limit (start request repeated too "
                                  "quickly): its containers are down until 'systemctl reset-failed "
                                  "docker.service' and 'systemctl start docker.service'");
        return add_reason(judgement,
                          "docker.service has failed (its result: %s): its containers are down until it is "
                          "started again",
                          docker->result && docker->result[0] ? docker->result : "unknown");
}

/* A host apply would change, where it cannot write. */
static int explain_read_only(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        if (!facts->unit_dir_read_only || (judgement->verdict != TETHER_VERDICT_VULNERABLE &&
                                           judgement->verdict != TETHER_VERDICT_RELOAD_VULNERABLE))
                return 0;
        return add_reason(judgement, "%s", TETHER_READ_ONLY_REASON);
}

static int explain(const struct tether_host_facts *facts, const struct tether_verdict_facts *verdict_facts,
                   struct tether_judgement *judgement) {
        int r = explain_docker_failed(facts, judgement);

        if (r < 0)
                return r;
        if (judgement->verdict == TETHER_VERDICT_BROKEN)
                r = explain_missing_rules(judgement, judgement);
        else if (judgement->verdict == TETHER_VERDICT_START_BLOCKED)
                r = explain_blocking(facts, judgement);
        else if (judgement->verdict == TETHER_VERDICT_NOT_APPLICABLE)
                r = explain_not_applicable(facts, verdict_facts, judgement);

        if (judgement->verdict != TETHER_VERDICT_NOT_APPLICABLE)
                for (size_t i = 0; r >= 0 && i < judgement->n_firewalls; i++)
                        if (firewall_counts(&judgement->firewalls[i]))
                                r = explain_firewall(&judgement->firewalls[i], judgement);
        for (size_t i = 0; r >= 0 && i < judgement->n_firewalls; i++)
                r = explain_firewalld_spared(&judgement->firewalls[i], judgement);
        if (r >= 0 && judgement->verdict != TETHER_VERDICT_NOT_APPLICABLE)
                r = explain_restart_cost(facts, judgement);
        if (r >= 0)
                r = explain_dropins(facts, judgement);
        if (r >= 0)
                r = explain_read_only(facts, judgement);
        return r;
}

static int decide(const struct tether_host_facts *facts, struct tether_judgement *judgement) {
        struct tether_verdict_facts verdict_facts = {
                .docker_installed = tether_unit_exists(facts->docker),
                .docker_active = tether_host_facts_docker_active(facts),
                .docker_enabled = tether_unit_exists(facts->docker) && tether_unit_is_enabled(facts->docker),
                .docker_makes_no_rules = !judgement->docker_makes_rules,
                .rules_missing = judgement->rules_missing,
        };

        for (size_t i = 0; i < judgement->n_firewalls; i++)
                if (firewall_counts(&judgement->firewalls[i])) {
                        verdict_facts.flushing_units++;
                        if (!judgement->firewalls[i].tied)
                                verdict_facts.flushing_untied++;
                        else if (reload_uncovered(&judgement->firewalls[i]))
                                verdict_facts.reload_uncovered++;
                }
        for (size_t i = 0; i < facts->n_firewalls; i++)
                if (blocking_state(facts->docker, facts->firewalls[i]))
                        verdict_facts.blocking_units++;
        judgement->verdict = tether_verdict_decide(&verdict_facts);
        return explain(facts, &verdict_facts, judgement);
}

/* ---- all of it --------------------------------------------------------- */

int tether_judge(const struct tether_host_facts *facts, enum tether_policy policy, bool policy_forced,
                 struct tether_judgement **ret) {
        _cleanup_(tether_judgement_freep) struct tether_judgement *judgement = calloc(1, sizeof(*judgement));
        int r;

        if (!judgement || !(judgement->reasons = calloc(1, sizeof(char *))))
                return -ENOMEM;
        judge_docker_settings(facts, judgement);
        r = judge_firewalls(facts, judgement);
        if (r >= 0)
                r = judge_rules(facts, judgement);
        if (r >= 0)
                r = judge_dropins(facts, policy, policy_forced, judgement);
        if (r >= 0)
                r = decide(facts, judgement);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(judgement);
        return 0;
}

struct tether_judgement *tether_judgement_free(struct tether_judgement *judgement) {
        if (!judgement)
                return NULL;
        strv_free(judgement->reasons);
        free(judgement->firewalls);
        strv_free(judgement->flushing_units);
        free(judgement->checks);
        free(judgement->dropin_expected);
        strv_free(judgement->foreign_dropins);
        free(judgement);
        return NULL;
}
