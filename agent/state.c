/* SPDX-License-Identifier: MIT */
/*
 * The gatherer (see state.h): fills a host's facts from systemd's D-Bus
 * API, the host's files, iptables-save and the Docker API, then hands them
 * to the judge. Nothing here decides anything: what the facts mean is
 * common/judge.c's alone, so facts gathered without the agent are judged
 * the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "docker-api.h"
#include "env-file.h"
#include "exec.h"
#include "fileio.h"
#include "journal.h"
#include "state.h"

#define SAVE_OUTPUT_LIMIT (64u * 1024 * 1024)
#define SAVE_TIMEOUT_USEC (30ULL * 1000000ULL)
#define SMALL_FILE_LIMIT (1024u * 1024)

static char *read_small_file(const char *path) {
        char *text = NULL;

        return tether_read_file(path, SMALL_FILE_LIMIT, &text, NULL, NULL) >= 0 ? text : NULL;
}

/* ---- the host ---------------------------------------------------------- */

static void gather_host(sd_bus *bus, struct tether_host_facts *facts) {
        _cleanup_free_ char *os_release = NULL;
        char hostname[256] = "";
        struct utsname uts;

        if (gethostname(hostname, sizeof(hostname) - 1) == 0)
                facts->hostname = strdup(hostname);
        os_release = read_small_file("/etc/os-release");
        if (!os_release)
                os_release = read_small_file("/usr/lib/os-release");
        (void)tether_env_file_get(os_release, "ID", &facts->os_id);
        (void)tether_env_file_get(os_release, "VERSION_ID", &facts->os_version_id);
        (void)tether_env_file_get(os_release, "PRETTY_NAME", &facts->os_pretty_name);
        if (uname(&uts) == 0)
                facts->kernel = strdup(uts.release);
        if (bus)
                (void)bus_systemd_version(bus, &facts->systemd_version, NULL);
}

/* ---- docker ------------------------------------------------------------ */

/* How many times docker started within its start limit's window, and how
 * long until two more starts fit: a disruptive test may cost two (the
 * firewall's, a repair). Room comes when enough of the oldest starts have
 * left the window. */
static void gather_docker_starts(struct tether_host_facts *facts) {
        uint64_t window = facts->docker->start_limit_interval_usec, now_usec, times[64];
        struct timespec now;
        unsigned count;

        clock_gettime(CLOCK_REALTIME, &now);
        now_usec = (uint64_t)now.tv_sec * 1000000ULL + (uint64_t)now.tv_nsec / 1000ULL;
        count = journal_count_starts(TETHER_DOCKER_UNIT, now_usec > window ? now_usec - window : 0, times,
                                     ELEMENTSOF(times));
        tether_host_facts_set_starts(facts, times, count < ELEMENTSOF(times) ? count : ELEMENTSOF(times),
                                     count, now_usec);
}

/* Where docker.service does not exist, the unit that runs dockerd instead,
 * which tether names but does not tie: snap's Docker. */
static int gather_docker_other_unit(sd_bus *bus, struct tether_host_facts *facts) {
        static const char *const names[] = {"snap.docker.dockerd.service"};

        for (size_t i = 0; !tether_unit_exists(facts->docker) && i < ELEMENTSOF(names); i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit = NULL;

                if (bus_unit_info(bus, names[i], &unit, NULL) < 0 || !tether_unit_exists(unit))
                        continue;
                facts->docker_other_unit = strdup(names[i]);
                return facts->docker_other_unit ? 0 : -ENOMEM;
        }
        return 0;
}

/* The lowest pid of a process named dockerd, 0 for none: looked for where
 * docker.service does not run one, it is a Docker outside systemd. */
static unsigned find_dockerd(void) {
        DIR *proc = opendir("/proc");
        unsigned lowest = 0;
        struct dirent *entry;

        if (!proc)
                return 0;
        while ((entry = readdir(proc))) {
                _cleanup_free_ char *path = NULL, *comm = NULL;
                char *end;
                unsigned long pid = strtoul(entry->d_name, &end, 10);

                if (*end || pid == 0 || pid > UINT32_MAX || (lowest && pid >= lowest))
                        continue;
                if (asprintf(&path, "/proc/%lu/comm", pid) < 0 ||
                    tether_read_file(path, 64, &comm, NULL, NULL) < 0)
                        continue;
                if (strcmp(comm, "dockerd\n") == 0)
                        lowest = (unsigned)pid;
        }
        closedir(proc);
        return lowest;
}

static int gather_docker(sd_bus *bus, struct tether_host_facts *facts, struct tether_error *error) {
        int r;

        r = bus_unit_info(bus, TETHER_DOCKER_UNIT, &facts->docker, error);
        if (r < 0)
                return r;
        r = gather_docker_other_unit(bus, facts);
        if (r < 0)
                return tether_error_set(error, r, "out of memory");
        tether_host_facts_read_daemon_json(facts);
        if (tether_host_facts_docker_active(facts)) {
                unsigned running;

                (void)docker_api_version(&facts->docker_version, &facts->docker_major, NULL);
                if (docker_api_running_containers(&running, NULL) >= 0)
                        facts->running_containers = (int)running;
        } else
                facts->dockerd_outside_pid = find_dockerd();
        if (tether_unit_exists(facts->docker) && facts->docker->start_limit_interval_usec > 0)
                gather_docker_starts(facts);
        return 0;
}

/* ---- Docker's rules ---------------------------------------------------- */

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

int docker_rules_read(struct tether_netfilter_snapshot **ret_ipv4,
                      struct tether_netfilter_snapshot **ret_ipv6, struct tether_error *error) {
        struct tether_netfilter_snapshot *ipv4 = NULL, *ipv6 = NULL;
        int r;

        r = read_save("iptables-save", &ipv4, error);
        if (r < 0)
                return r;
        /* IPv6 is optional: a host without ip6tables has no IPv6 rules to lose. */
        (void)read_save("ip6tables-save", &ipv6, NULL);
        *ret_ipv4 = ipv4;
        *ret_ipv6 = ipv6;
        return 0;
}

/* Docker 29's "firewall-backend": "nftables" keeps its rules in nftables
 * tables of its own (ip and ip6 docker-bridges): which tables there are is
 * read only where daemon.json asks for that backend, to spare the others a
 * fork. */
static void gather_nft_tables(struct tether_host_facts *facts) {
        _cleanup_free_ char *backend = tether_host_facts_daemon_json_string(facts, "firewall-backend");
        char *argv[] = {"nft", "list", "tables", NULL};
        _cleanup_free_ char *output = NULL;
        int status;

        if (backend && strcmp(backend, "nftables") == 0 &&
            exec_capture(argv, SMALL_FILE_LIMIT, SAVE_TIMEOUT_USEC, &output, &status, NULL) >= 0 &&
            status == 0)
                facts->nft_tables = TAKE_PTR(output);
}

int netfilter_backend_read(enum tether_netfilter_backend *ret) {
        _cleanup_free_ char *version = NULL;
        char *argv[] = {"iptables", "-V", NULL};
        int status, r;

        r = exec_capture(argv, 4096, SAVE_TIMEOUT_USEC, &version, &status, NULL);
        if (r < 0)
                return r;
        if (status != 0)
                return -EIO;
        return tether_netfilter_parse_version(version, ret);
}

static void gather_netfilter_backend(struct tether_host_facts *facts) {
        (void)netfilter_backend_read(&facts->netfilter_backend);
}

/* ---- firewall units ---------------------------------------------------- */

/* The known firewall units this host has, each once: an alias
 * (iptables.service of iptables-persistent) is its unit. One call says
 * which of the known units this host has at all. */
static int gather_firewalls(sd_bus *bus, struct tether_host_facts *facts, struct tether_error *error) {
        const char *names[32] = {};
        bool loadable[32] = {};
        size_t n = tether_firewall_kinds_count < ELEMENTSOF(names) ? tether_firewall_kinds_count
                                                                   : ELEMENTSOF(names);
        int r;

        for (size_t i = 0; i < n; i++)
                names[i] = tether_firewall_kinds[i].unit;
        if (bus_units_loadable(bus, names, n, loadable) < 0)
                for (size_t i = 0; i < n; i++)
                        loadable[i] = true;

        for (size_t i = 0; i < n; i++) {
                struct tether_unit *unit = NULL;

                if (!loadable[i] && !tether_host_facts_docker_requires(facts, names[i]))
                        continue;
                r = bus_unit_info(bus, names[i], &unit, error);
                if (r < 0)
                        return r;
                r = tether_host_facts_keep_firewall(facts, names[i], unit);
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
        }
        return 0;
}

/* firewalld, asked while it runs: its version, and the zone of Docker's
 * default bridge (docker0, or daemon.json's "bridge"), which is "docker"
 * only while Docker is connected to firewalld. */
static void gather_firewalld(sd_bus *bus, struct tether_host_facts *facts) {
        _cleanup_free_ char *bridge = tether_host_facts_daemon_json_string(facts, "bridge");
        bool running = false;

        for (size_t i = 0; i < facts->n_firewalls; i++)
                if (strcmp(facts->firewalls[i]->id, "firewalld.service") == 0)
                        running = tether_unit_is_active(facts->firewalls[i]);
        if (running && !(bridge && strcmp(bridge, "none") == 0))
                (void)bus_firewalld_info(bus, bridge && *bridge ? bridge : "docker0",
                                         &facts->firewalld_version, &facts->firewalld_bridge_zone);
}

static void gather_files(struct tether_host_facts *facts) {
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++)
                facts->files[i] = read_small_file(tether_host_file_paths[i]);
}

/* ---- drop-ins ---------------------------------------------------------- */

/* Drop-ins of docker.service on disk that systemd has not loaded: systemd
 * (252 at least) does not flag a drop-in directory made after the unit was
 * loaded with NeedDaemonReload, so they are looked for here. */
static void find_unloaded_dropins(struct tether_host_facts *facts) {
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
                        if (strv_contains(facts->docker->drop_in_paths, path))
                                free(path);
                        else
                                (void)strv_push(&facts->unloaded_dropins, path);
                }
                closedir(dir);
        }
}

static int gather_dropins(struct tether_host_facts *facts, struct tether_error *error) {
        int r;

        /* As root, only a read-only (or immutable) directory refuses a write. */
        facts->unit_dir_read_only = access(TETHER_SYSTEMD_DIR, W_OK) < 0 && errno != ENOENT;

        if (asprintf(&facts->dropin_path, "%s/%s.d/%s", TETHER_SYSTEMD_DIR, TETHER_DOCKER_UNIT,
                     TETHER_DROPIN_NAME) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = tether_read_file(facts->dropin_path, SMALL_FILE_LIMIT, &facts->dropin_contents, NULL, NULL);
        if (r < 0 && r != -ENOENT)
                return tether_error_set(error, r, "cannot read %s: %s", facts->dropin_path, strerror(-r));
        if (!tether_unit_exists(facts->docker))
                return 0;

        find_unloaded_dropins(facts);
        for (size_t i = 0; facts->docker->drop_in_paths[i]; i++) {
                const char *path = facts->docker->drop_in_paths[i];

                if (strcmp(path, facts->dropin_path) == 0)
                        continue;
                r = tether_host_facts_add_dropin(facts, strdup(path), read_small_file(path));
                if (r < 0)
                        return tether_error_set(error, r, "out of memory");
        }
        return 0;
}

/* ---- tether-agent watch ------------------------------------------------ */

static uint64_t realtime_now_usec(void) {
        struct timespec now;

        clock_gettime(CLOCK_REALTIME, &now);
        return (uint64_t)now.tv_sec * 1000000ULL + (uint64_t)now.tv_nsec / 1000ULL;
}

/* watch's unit, and where it is installed, what its journal says of the
 * last 24 hours. Neither is needed to judge the host: a failure to read
 * them leaves them unknown, and fails nothing. */
static void gather_watch(sd_bus *bus, struct tether_host_facts *facts) {
        uint64_t now = realtime_now_usec();

        if (bus_unit_info(bus, TETHER_WATCH_UNIT, &facts->watch, NULL) < 0 ||
            !tether_watch_installed(facts->watch))
                return;
        (void)journal_read_watch(now > TETHER_WATCH_WINDOW_USEC ? now - TETHER_WATCH_WINDOW_USEC : 0,
                                 TETHER_WATCH_RECORDS_MAX, &facts->watch_journal);
}

/* ---- all of it --------------------------------------------------------- */

/* What does not change when only unit files change: the host, docker's
 * version and recent starts, Docker's rules. Moved from old into facts. */
static void take_unchanged(struct tether_host_facts *facts, struct tether_host_facts *old) {
        facts->hostname = TAKE_PTR(old->hostname);
        facts->os_id = TAKE_PTR(old->os_id);
        facts->os_version_id = TAKE_PTR(old->os_version_id);
        facts->os_pretty_name = TAKE_PTR(old->os_pretty_name);
        facts->kernel = TAKE_PTR(old->kernel);
        facts->systemd_version = TAKE_PTR(old->systemd_version);
        facts->docker_other_unit = TAKE_PTR(old->docker_other_unit);
        facts->docker_version = TAKE_PTR(old->docker_version);
        facts->docker_major = old->docker_major;
        facts->starts_in_window = old->starts_in_window;
        facts->start_room_in_sec = old->start_room_in_sec;
        facts->netfilter_backend = old->netfilter_backend;
        facts->ipv4 = TAKE_PTR(old->ipv4);
        facts->ipv6 = TAKE_PTR(old->ipv6);
        facts->netfilter_error = TAKE_PTR(old->netfilter_error);
        facts->nft_tables = TAKE_PTR(old->nft_tables);
        facts->running_containers = old->running_containers;
        facts->firewalld_version = TAKE_PTR(old->firewalld_version);
        facts->firewalld_bridge_zone = TAKE_PTR(old->firewalld_bridge_zone);
        facts->watch = TAKE_PTR(old->watch);
        facts->watch_journal = old->watch_journal;
        old->watch_journal = (struct tether_watch_summary)TETHER_WATCH_SUMMARY_INIT;
        for (size_t i = 0; i < _TETHER_HOST_FILE_MAX; i++)
                facts->files[i] = TAKE_PTR(old->files[i]);
}

/* Everything a unit file change cannot have changed is read only when
 * there is no old state to take it from. */
static int gather_facts(sd_bus *bus, struct tether_host_facts *old, bool with_watch,
                        struct tether_host_facts *facts, struct tether_error *error) {
        int r;

        if (old) {
                take_unchanged(facts, old);
                r = bus_unit_info(bus, TETHER_DOCKER_UNIT, &facts->docker, error);
                if (r < 0)
                        return r;
                tether_host_facts_read_daemon_json(facts);
        } else {
                gather_host(bus, facts);
                gather_files(facts);
                r = gather_docker(bus, facts, error);
                if (r < 0)
                        return r;
                if (tether_host_facts_docker_active(facts)) {
                        gather_netfilter_backend(facts);
                        r = docker_rules_read(&facts->ipv4, &facts->ipv6, error);
                        if (r < 0)
                                return r;
                        gather_nft_tables(facts);
                }
        }
        r = gather_firewalls(bus, facts, error);
        if (r < 0)
                return r;
        if (!old)
                gather_firewalld(bus, facts);
        if (with_watch) {
                facts->watch = tether_unit_free(facts->watch);
                tether_watch_summary_clear(&facts->watch_journal);
                gather_watch(bus, facts);
        }
        return gather_dropins(facts, error);
}

static struct host_state *host_state_new(void) {
        struct host_state *state = calloc(1, sizeof(struct host_state));

        if (state)
                state->facts = tether_host_facts_new();
        return state && state->facts ? state : host_state_free(state);
}

static int gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state *old,
                  bool with_watch, struct host_state **ret, struct tether_error *error) {
        _cleanup_(host_state_freep) struct host_state *state = host_state_new();
        int r;

        if (!state)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = gather_facts(bus, old ? old->facts : NULL, with_watch, state->facts, error);
        if (r < 0)
                return r;
        r = tether_judge(state->facts, policy, policy_forced, &state->judgement);
        if (r < 0)
                return tether_error_set(error, r, "out of memory");
        *ret = TAKE_PTR(state);
        return 0;
}

int host_state_without_systemd(enum tether_policy policy, bool policy_forced, struct host_state **ret,
                               struct tether_error *error) {
        _cleanup_(host_state_freep) struct host_state *state = host_state_new();
        _cleanup_free_ char *comm = NULL;
        int r;

        if (!state)
                return tether_error_set(error, -ENOMEM, "out of memory");
        gather_host(NULL, state->facts);
        gather_files(state->facts);
        state->facts->dockerd_outside_pid = find_dockerd();
        comm = read_small_file("/proc/1/comm");
        state->facts->init_system =
                strndup(comm && comm[0] != '\n' ? comm : "unknown",
                        comm && comm[0] != '\n' ? strcspn(comm, "\n") : strlen("unknown"));
        if (!state->facts->init_system)
                return tether_error_set(error, -ENOMEM, "out of memory");
        r = gather_dropins(state->facts, error);
        if (r < 0)
                return r;
        if (tether_judge(state->facts, policy, policy_forced, &state->judgement) < 0)
                return tether_error_set(error, -ENOMEM, "out of memory");
        *ret = TAKE_PTR(state);
        return 0;
}

int host_state_gather(sd_bus *bus, enum tether_policy policy, bool policy_forced, struct host_state **ret,
                      struct tether_error *error) {
        return gather(bus, policy, policy_forced, NULL, true, ret, error);
}

int host_state_look(sd_bus *bus, struct host_state **ret, struct tether_error *error) {
        return gather(bus, TETHER_POLICY_BIND, false, NULL, false, ret, error);
}

int host_state_refresh(sd_bus *bus, enum tether_policy policy, bool policy_forced, bool with_watch,
                       struct host_state **state, struct tether_error *error) {
        struct host_state *fresh = NULL;
        int r;

        r = gather(bus, policy, policy_forced, *state, with_watch, &fresh, error);
        *state = host_state_free(*state);
        if (r < 0)
                return r;
        *state = fresh;
        return 0;
}

struct host_state *host_state_free(struct host_state *state) {
        if (!state)
                return NULL;
        /* The judgement borrows from the facts. */
        tether_judgement_free(state->judgement);
        tether_host_facts_free(state->facts);
        free(state);
        return NULL;
}
