/* SPDX-License-Identifier: MIT */
/*
 * The facts of one Docker host: what was observed, and nothing judged. The
 * agent gathers them through sd-bus and the host's files; a gatherer without
 * the agent may fill them from `systemctl show`, `iptables-save` and `cat`.
 * The judge (judge.h) turns them into a verdict, reasons and a plan; it
 * reads nothing else, so the same facts get the same verdict wherever they
 * were gathered.
 *
 * Ownership: the facts own every string, list, unit and snapshot in them.
 * NULL means "not observed": a file that is absent or unreadable, Docker's
 * rules not read because docker is not running.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "netfilter.h"
#include "unit.h"
#include "watch-summary.h"

/* Files of the host whose text the judge reads: gather exactly these. */
enum tether_host_file {
        TETHER_HOST_FILE_NETFILTER_PERSISTENT, /* /etc/default/netfilter-persistent */
        TETHER_HOST_FILE_IPTABLES_RULES_V4,    /* /etc/iptables/rules.v4 */
        TETHER_HOST_FILE_IPTABLES_RULES_V6,    /* /etc/iptables/rules.v6 */
        TETHER_HOST_FILE_UFW,                  /* /etc/default/ufw */
        TETHER_HOST_FILE_UFW_CONF,             /* /etc/ufw/ufw.conf */
        TETHER_HOST_FILE_DOCKER_DAEMON_JSON,   /* /etc/docker/daemon.json */
        TETHER_HOST_FILE_FIREWALLD_CONF,       /* /etc/firewalld/firewalld.conf */
        TETHER_HOST_FILE_FIREWALLD_DIRECT,     /* /etc/firewalld/direct.xml */
        TETHER_HOST_FILE_SHOREWALL,            /* /etc/shorewall/shorewall.conf */
        TETHER_HOST_FILE_FERM,                 /* /etc/ferm/ferm.conf */
        _TETHER_HOST_FILE_MAX,
};

/* The path of each file, indexed by enum tether_host_file. */
extern const char *const tether_host_file_paths[_TETHER_HOST_FILE_MAX];

/* A drop-in of docker.service that systemd has loaded, other than tether's. */
struct tether_dropin_file {
        char *path;
        char *text; /* NULL: could not be read */
};

struct tether_host_facts {
        /* The host */
        char *hostname;
        char *os_id, *os_version_id, *os_pretty_name; /* from os-release */
        char *kernel;
        char *systemd_version;
        /* What keeps tether's fix off the host, whatever its firewall: */
        char *init_system; /* PID 1's name where it is not systemd (OpenRC, SysV init); NULL: systemd */
        bool unit_dir_read_only; /* /etc/systemd/system cannot be written (a read-only file system) */

        /* docker.service, and the Docker daemon behind it */
        struct tether_unit *docker; /* NULL: not looked up, which reads as not installed */
        /* Where docker.service does not exist, the unit that runs dockerd
         * instead (snap's snap.docker.dockerd.service), which tether does not
         * tie; NULL: none found */
        char *docker_other_unit;
        /* A dockerd that runs outside docker.service (started by hand or
         * by another supervisor), looked for where docker.service is not
         * active: its pid; 0: none */
        unsigned dockerd_outside_pid;
        char *docker_version;       /* from the Engine API; NULL when docker is not running */
        unsigned docker_major;      /* 0: unknown */
        bool live_restore;          /* "live-restore": true in /etc/docker/daemon.json */
        int running_containers;     /* from the Engine API; -1: not known (docker not running) */
        unsigned starts_in_window;  /* docker starts within its StartLimitIntervalSec */
        unsigned start_room_in_sec; /* until two more starts fit under StartLimitBurst; 0: now */

        /* Docker's rules, read only while docker runs */
        enum tether_netfilter_backend netfilter_backend; /* what `iptables` is on this host */
        struct tether_netfilter_snapshot *ipv4;          /* NULL: not read */
        struct tether_netfilter_snapshot *ipv6;          /* NULL: not read, or no ip6tables */
        char *netfilter_error;                           /* why they could not be read, or NULL */
        char *nft_tables; /* `nft list tables`, read only where Docker keeps its rules in nftables; NULL: not
                             read */

        /* The known firewall units this host has (tether_firewall_kinds order),
         * and those docker Requires= or BindsTo= though they are masked or
         * missing */
        struct tether_unit **firewalls;
        size_t n_firewalls;

        /* firewalld, asked on D-Bus while it runs (never started by asking) */
        char *firewalld_version;     /* "1.3.3"; NULL: not known */
        char *firewalld_bridge_zone; /* the zone of Docker's bridge (docker0): "docker" once Docker
                                        has put it there, which it does only while connected to
                                        firewalld; "": none; NULL: not asked */

        /* Files, indexed by enum tether_host_file; NULL: absent or unreadable */
        char *files[_TETHER_HOST_FILE_MAX];

        /* Drop-ins */
        char *dropin_path;                        /* where tether's drop-in is */
        char *dropin_contents;                    /* its text; NULL: absent */
        struct tether_dropin_file *other_dropins; /* docker.service's loaded drop-ins, tether's left out */
        size_t n_other_dropins;
        char **unloaded_dropins; /* docker.service drop-ins on disk that systemd has not loaded */

        /* tether-agent watch (docs/watch.md): not judged, reported */
        struct tether_unit *watch;                 /* tether-watch.service; NULL: not looked up */
        struct tether_watch_summary watch_journal; /* its records of the last 24 hours */
};

/* New, empty facts, or NULL when out of memory. */
struct tether_host_facts *tether_host_facts_new(void);

/* Frees the facts and all they own; accepts NULL; returns NULL. */
struct tether_host_facts *tether_host_facts_free(struct tether_host_facts *facts);
static inline void tether_host_facts_freep(struct tether_host_facts **facts) {
        tether_host_facts_free(*facts);
}

/* Appends a firewall unit (stolen, also on failure) or another drop-in
 * (path and text stolen, also on failure). 0, or -ENOMEM. */
int tether_host_facts_add_firewall(struct tether_host_facts *facts, struct tether_unit *unit);
int tether_host_facts_add_dropin(struct tether_host_facts *facts, char *path, char *text);

/* Whether docker.service Requires= or BindsTo= the unit name: then a
 * masked or missing unit of that name keeps docker from starting, and is
 * gathered too. */
bool tether_host_facts_docker_requires(const struct tether_host_facts *facts, const char *name);

/* Keeps a known firewall unit that systemd showed for name, as both
 * gatherers keep them: each once (an alias is its unit), one that does not
 * exist or is masked only where docker requires name. Takes unit, freed
 * when not kept. 0, or -ENOMEM. */
int tether_host_facts_keep_firewall(struct tether_host_facts *facts, const char *name,
                                    struct tether_unit *unit);

/* Reads what the judge needs of daemon.json (files[]): live_restore. */
void tether_host_facts_read_daemon_json(struct tether_host_facts *facts);

/* The string daemon.json (files[]) gives key, as a new string; NULL when
 * it gives none, daemon.json is absent or not JSON, or out of memory. */
char *tether_host_facts_daemon_json_string(const struct tether_host_facts *facts, const char *key);

/* Sets starts_in_window and start_room_in_sec from docker's starts within
 * its start limit's window (times: n of them, CLOCK_REALTIME microseconds,
 * oldest first; count: how many there were, which may be more than n) at
 * now_usec, by facts->docker's StartLimitIntervalUSec= and
 * StartLimitBurst=: how long until two more starts fit, for a test that
 * may cost two (the firewall's, a repair). */
void tether_host_facts_set_starts(struct tether_host_facts *facts, const uint64_t *times, unsigned n,
                                  unsigned count, uint64_t now_usec);

/* Whether docker.service exists and is active. */
bool tether_host_facts_docker_active(const struct tether_host_facts *facts);

/* The facts as JSON, schema "tether.facts/1" (docs/schema.md): a new
 * reference, or NULL when out of memory. */
json_t *tether_host_facts_to_json(const struct tether_host_facts *facts);

/* Reads what tether_host_facts_to_json() wrote (borrowed json). Returns 0
 * and new facts in *ret (untouched on failure), or -EBADMSG with a message
 * naming the field for a document of another shape, or -ENOMEM. Fields
 * that are missing read as not observed; unknown fields are ignored. */
int tether_host_facts_from_json(json_t *json, struct tether_host_facts **ret, struct tether_error *error);
