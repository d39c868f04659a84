/* SPDX-License-Identifier: MIT */
/*
 * watch: a daemon that brings Docker's rules back after any flush, not
 * only a firewall unit's restart (docs/watch.md). One sd-event loop waits on
 * a netlink socket subscribed to NFNLGRP_NFTABLES and on one timer: no CPU
 * while nothing changes.
 *
 *   netlink batch ──> whose? dockerd's or watch's own: ignored (dockerd's, or
 *                     an iptables perhaps its: rules found missing wait
 *                     until Docker has been quiet for 2 s)
 *                     anyone else's: the burst's timer is (re)armed
 *   timer ──────────> under the host's lock, the audit's gather and judge:
 *                     Docker's expected rules all there? nothing to do;
 *                     else the policy (common/watch-policy.h) decides:
 *                     restart docker and wait for its job, report, or
 *                     look again later (back-off, cap, start limit)
 *
 * A lost event (ENOBUFS: the socket's buffer overflowed) is a change of
 * unknown origin: the rules are looked at again. iptables-legacy's tables
 * send no events: where `iptables` is iptables-legacy, a second timer reads
 * their fingerprint from the kernel every second (legacy-tables.h, no
 * fork), and a change is a change of unknown origin too. A connection to
 * the system bus hears firewalld's Reloaded signal and its coming back on
 * the bus: where Docker re-creates all its rules on them (the judge's
 * docker_heals), rules found missing soon after are left to Docker for a
 * grace (TETHER_WATCH_FIREWALLD_GRACE_USEC), and restarted only if still
 * missing then. Every detection and heal
 * goes to the journal (journal_log_watch()). The netlink messages are read
 * by common/nft-events.c, with no library: libmnl would be one more shared
 * library on every host, and Debian ships no static one.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "agent.h"
#include "fileio.h"
#include "firewall.h"
#include "journal.h"
#include "legacy-tables.h"
#include "lock.h"
#include "log.h"
#include "nft-events.h"
#include "state.h"
#include "strbuf.h"
#include "time-util.h"
#include "watch-policy.h"

#define NETLINK_BUFFER_SIZE (64u * 1024)
/* The socket's receive buffer: room for a whole `nft flush ruleset` of a
 * large ruleset before the kernel drops events (ENOBUFS). */
#define NETLINK_RCVBUF (4 * 1024 * 1024)
#define RESTART_TIMEOUT_USEC (120ULL * TETHER_USEC_PER_SEC)
/* How soon to look again when another agent holds the lock, or the look failed. */
#define BUSY_RETRY_USEC (2ULL * TETHER_USEC_PER_SEC)
#define FAILED_LOOK_RETRY_USEC (10ULL * TETHER_USEC_PER_SEC)
#define DOCKER_CHANGING_RETRY_USEC (2ULL * TETHER_USEC_PER_SEC)
#define PROC_FILE_LIMIT 4096u
/* How often iptables-legacy's tables are read: a flush is seen within a
 * second, at two getsockopt() calls a table. */
#define LEGACY_POLL_USEC (1ULL * TETHER_USEC_PER_SEC)
#define UNIT_NAME_SIZE 256

/* What changed since the rules were last looked at, by whom. */
struct burst {
        bool pending;
        uint64_t first, last; /* monotonic */
        unsigned added, deleted;
        bool lost_events;                        /* ENOBUFS, a truncated or malformed datagram */
        bool polled;                             /* seen by polling iptables-legacy's tables */
        char culprit[TETHER_NFT_PROC_NAME_SIZE]; /* of the batch that deleted most */
        unsigned culprit_pid;
        unsigned culprit_deleted;
        char culprit_unit[UNIT_NAME_SIZE];
        char job_unit[UNIT_NAME_SIZE]; /* a firewall unit whose job ended in the burst: the culprit's
                                          unit where its process could not be checked */
};

struct watch {
        struct tether_watch_limits limits;
        struct tether_watch_history history;
        sd_event *event;
        sd_event_source *timer;
        struct tether_nft_batch pending_batch;
        struct burst burst;
        struct burst incident;     /* the changes of the flush being healed; pending: one is open */
        struct burst held;         /* changes looked at while docker was changing: for the next look */
        uint64_t start_limit_seen; /* when docker's start limit was last seen spent; 0: not */
        uint64_t retry_at;         /* 0: no look asked for later */
        uint64_t busy_until;       /* another agent held the lock: no look before this */
        uint64_t last_backoff_retry;
        uint64_t docker_changed_at; /* Docker's last change to the rules, or perhaps Docker's; 0: none */
        pid_t self;
        struct legacy_tables legacy; /* fd4 -1: not polled (the nftables events are enough) */
        sd_bus *signals;             /* hears firewalld and systemd's jobs; NULL: could not connect */
        uint64_t firewalld_back_at;  /* firewalld last reloaded, or came back on the bus; 0: never */
        uint64_t legacy_fingerprint;
        sd_event_source *poll;
};

/* ---- the burst of changes ---------------------------------------------- */

/* /proc/PID/NAME into *ret, or NULL when the process is gone. */
static void read_proc_file(pid_t pid, const char *name, char **ret) {
        char path[64];

        snprintf(path, sizeof(path), "/proc/%u/%s", (unsigned)pid, name);
        if (tether_read_file(path, PROC_FILE_LIMIT, ret, NULL, NULL) < 0)
                *ret = NULL;
}

static void arm_timer(struct watch *watch);

/* The burst, begun or extended now. */
static struct burst *burst_touch(struct watch *watch) {
        struct burst *burst = &watch->burst;
        uint64_t now = tether_now_usec();

        if (!burst->pending)
                *burst = (struct burst){.pending = true, .first = now};
        burst->last = now;
        return burst;
}

static void note_change(struct watch *watch, const struct tether_nft_batch *batch, const char *unit) {
        struct burst *burst = burst_touch(watch);

        if (!batch) {
                burst->lost_events = true;
        } else {
                burst->added += batch->added;
                burst->deleted += batch->deleted;
                if (batch->deleted >= burst->culprit_deleted) {
                        snprintf(burst->culprit, sizeof(burst->culprit), "%s", batch->proc_name);
                        snprintf(burst->culprit_unit, sizeof(burst->culprit_unit), "%s", unit ? unit : "");
                        burst->culprit_pid = batch->pid;
                        burst->culprit_deleted = batch->deleted;
                }
        }
        arm_timer(watch);
}

static void on_batch(const struct tether_nft_batch *batch, void *userdata) {
        struct watch *watch = userdata;
        _cleanup_free_ char *comm = NULL, *cgroup = NULL;
        char unit[UNIT_NAME_SIZE] = "";
        enum tether_nft_culprit culprit;

        /* Read at once: the process (iptables run by dockerd) may be gone soon. */
        if (batch->pid > 0) {
                read_proc_file((pid_t)batch->pid, "comm", &comm);
                read_proc_file((pid_t)batch->pid, "cgroup", &cgroup);
                if (comm)
                        comm[strcspn(comm, "\n")] = '\0';
        }
        culprit = tether_nft_culprit_classify(&(struct tether_nft_process){
                .proc_name = batch->proc_name,
                .is_self = batch->pid > 0 && (pid_t)batch->pid == watch->self,
                .proc_comm = comm,
                .proc_cgroup = cgroup,
        });
        if (comm && cgroup && strcmp(comm, batch->proc_name) == 0)
                (void)tether_nft_cgroup_unit(cgroup, unit, sizeof(unit));
        log_debug("nftables generation %u by %s[%u] (%s): %u deleted, %u added: %s", batch->generation,
                  batch->proc_name[0] ? batch->proc_name : "?", batch->pid, unit[0] ? unit : "unit unknown",
                  batch->deleted, batch->added, tether_nft_culprit_to_string(culprit));
        if (culprit == TETHER_NFT_CULPRIT_DOCKER || culprit == TETHER_NFT_CULPRIT_MAYBE_DOCKER)
                watch->docker_changed_at = tether_now_usec();
        if (culprit != TETHER_NFT_CULPRIT_OTHER && culprit != TETHER_NFT_CULPRIT_MAYBE_DOCKER)
                return;
        note_change(watch, batch, unit);
}

static int on_netlink(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        static unsigned char buffer[NETLINK_BUFFER_SIZE];
        struct watch *watch = userdata;

        for (;;) {
                ssize_t n = recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT | MSG_TRUNC);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        return 0;
                if (n < 0 && errno == ENOBUFS) {
                        /* Events were dropped: whose they were is lost, so look. */
                        log_warning(
                                "The kernel dropped nftables events (ENOBUFS); looking at the rules again.");
                        watch->pending_batch = (struct tether_nft_batch){};
                        note_change(watch, NULL, NULL);
                        continue;
                }
                if (n < 0) {
                        /* A deaf watch is worse than none: end, and let Restart= start it again. */
                        log_error_errno(-errno, "Cannot read nftables events: %m");
                        return sd_event_exit(watch->event, -EIO);
                }
                if ((size_t)n > sizeof(buffer) ||
                    tether_nft_events_read(buffer, (size_t)n, &watch->pending_batch, on_batch, watch) < 0) {
                        log_warning("An nftables event could not be read; looking at the rules again.");
                        watch->pending_batch = (struct tether_nft_batch){};
                        note_change(watch, NULL, NULL);
                }
        }
}

static int netlink_open(int *ret) {
        struct sockaddr_nl address = {.nl_family = AF_NETLINK};
        int group = NFNLGRP_NFTABLES, size = NETLINK_RCVBUF;
        _cleanup_close_ int fd = -1;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_NETFILTER);
        if (fd < 0)
                return -errno;
        if (bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0 ||
            setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
                return -errno;
        /* FORCE passes net.core.rmem_max (CAP_NET_ADMIN); the plain one is capped by it. */
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
                (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
        *ret = TAKE_FD(fd);
        return 0;
}

/* ---- looking, and healing ---------------------------------------------- */

/* Whether stderr is the journal already (systemd's JOURNAL_STREAM names
 * it): then a record sent with its fields is not also written there. */
static bool stderr_is_journal(void) {
        const char *stream = getenv("JOURNAL_STREAM");
        unsigned long long device, inode;
        char *end;
        struct stat st;

        if (!stream || !isdigit((unsigned char)stream[0]))
                return false;
        errno = 0;
        device = strtoull(stream, &end, 10);
        if (errno != 0 || *end != ':' || !isdigit((unsigned char)end[1]))
                return false;
        inode = strtoull(end + 1, &end, 10);
        if (errno != 0 || *end != '\0')
                return false;
        return fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == device &&
               (unsigned long long)st.st_ino == inode;
}

/* A record of journal_log_watch()'s, on stderr too where that is not the journal. */
static void say(int level, const char *message) {
        const char *prefix = "tether-agent watch: ";

        if (!stderr_is_journal())
                (void)log_full_errno(level, 0, "%s",
                                     strncmp(message, prefix, strlen(prefix)) == 0 ? message + strlen(prefix)
                                                                                   : message);
}

/* "filter: chain DOCKER, nat: MASQUERADE for docker0", or NULL. */
static char *missing_rules(const struct tether_judgement *judgement) {
        struct strbuf missing = STRBUF_INIT;

        for (size_t i = 0; i < judgement->n_checks; i++)
                if (!judgement->checks[i].present)
                        strbuf_appendf(&missing, "%s%s: %s", missing.length ? ", " : "",
                                       judgement->checks[i].table, judgement->checks[i].what);
        return strbuf_steal(&missing);
}

/* Docker's start limit as far as it is known. Starts are counted from the
 * journal's "Started" records, which failed starts do not leave, and a
 * start that fails is tried again by docker.service's Restart= (a flush
 * during dockerd's start makes it fail): after a restart of watch's failed,
 * or systemd said start-limit-hit, the whole interval passes before the next. */
static struct tether_watch_docker_starts docker_starts(struct watch *watch, const struct host_state *state,
                                                       uint64_t now) {
        const struct tether_unit *docker = state->facts->docker;
        struct tether_watch_docker_starts starts = {
                .burst = docker && docker->start_limit_interval_usec > 0 ? docker->start_limit_burst : 0,
                .in_window = state->facts->starts_in_window,
                .interval_usec = docker ? docker->start_limit_interval_usec : 0,
                .room_in_usec = (uint64_t)state->facts->start_room_in_sec * TETHER_USEC_PER_SEC,
        };

        if (docker && docker->active_state && strcmp(docker->active_state, "active") == 0)
                watch->start_limit_seen = 0;
        else if (!watch->start_limit_seen && docker && docker->result &&
                 strcmp(docker->result, "start-limit-hit") == 0)
                watch->start_limit_seen = now;
        if (!watch->start_limit_seen)
                return starts;
        if (now < watch->start_limit_seen + starts.interval_usec) {
                starts.in_window = starts.burst;
                starts.room_in_usec = watch->start_limit_seen + starts.interval_usec - now;
        }
        return starts;
}

/* Adds the changes of from to into: the culprit is the batch that deleted most. */
static void burst_merge(struct burst *into, const struct burst *from) {
        if (!from->pending)
                return;
        if (!into->pending) {
                *into = *from;
                return;
        }
        into->first = into->first < from->first ? into->first : from->first;
        into->last = into->last > from->last ? into->last : from->last;
        into->added += from->added;
        into->deleted += from->deleted;
        into->lost_events |= from->lost_events;
        into->polled |= from->polled;
        if (!into->job_unit[0])
                memcpy(into->job_unit, from->job_unit, sizeof(into->job_unit));
        if (from->culprit_deleted > into->culprit_deleted) {
                memcpy(into->culprit, from->culprit, sizeof(into->culprit));
                memcpy(into->culprit_unit, from->culprit_unit, sizeof(into->culprit_unit));
                into->culprit_pid = from->culprit_pid;
                into->culprit_deleted = from->culprit_deleted;
        }
}

static const char *culprit_of(const struct burst *burst) {
        if (burst->culprit[0])
                return burst->culprit;
        return burst->polled        ? "(not known: iptables-legacy is polled)"
               : burst->lost_events ? "(events lost)"
               : burst->pending     ? "(unknown)"
                                    : "(before watch started)";
}

static void log_flush(const struct watch *watch, const char *missing, enum tether_watch_action action) {
        const struct burst *incident = &watch->incident;
        char message[1024];

        snprintf(message, sizeof(message),
                 "tether-agent watch: Docker's rules were flushed by %s%s%s%s (%u deleted, %u added); "
                 "missing: %s; %s",
                 culprit_of(incident), incident->culprit_unit[0] ? " (" : "", incident->culprit_unit,
                 incident->culprit_unit[0] ? ")" : "", incident->deleted, incident->added, missing,
                 action == TETHER_WATCH_RESTART  ? "restarting docker"
                 : action == TETHER_WATCH_REPORT ? "reporting only (--heal=report)"
                                                 : "not restarting docker yet");
        say(LOG_WARNING, message);
        journal_log_watch(&(struct journal_watch_event){
                .event = "flush",
                .action = tether_watch_action_to_string(action),
                .culprit = incident->culprit,
                .culprit_pid = incident->culprit_pid,
                .culprit_unit = incident->culprit_unit,
                .missing = missing,
                .changes_deleted = incident->deleted,
                .changes_added = incident->added,
                .heal_ms = -1,
                .message = message,
        });
}

static void log_wait(struct watch *watch, const struct tether_watch_decision *decision, uint64_t now) {
        unsigned retry_sec =
                (unsigned)((decision->retry_usec - now + TETHER_USEC_PER_SEC - 1) / TETHER_USEC_PER_SEC);
        const char *reason = tether_watch_action_to_string(decision->action);
        char message[512];

        /* Once a wait, not at each look while it lasts. */
        if (decision->retry_usec == watch->last_backoff_retry)
                return;
        watch->last_backoff_retry = decision->retry_usec;
        snprintf(message, sizeof(message),
                 "tether-agent watch: Docker's rules are missing, but docker is not restarted now (%s: %s); "
                 "looking again in %u s",
                 reason,
                 decision->action == TETHER_WATCH_WAIT_CAP       ? "too many restarts within the hour"
                 : decision->action == TETHER_WATCH_WAIT_BACKOFF ? "too soon after the last restart"
                                                                 : "docker is near its start limit",
                 retry_sec);
        say(LOG_WARNING, message);
        journal_log_watch(&(struct journal_watch_event){
                .event = "backoff",
                .action = reason,
                .culprit = watch->incident.culprit,
                .culprit_pid = watch->incident.culprit_pid,
                .culprit_unit = watch->incident.culprit_unit,
                .heal_ms = -1,
                .retry_sec = retry_sec,
                .message = message,
        });
}

static void log_heal(const struct watch *watch, const char *result, const char *missing, long long heal_ms,
                     const char *detail) {
        char message[1024];

        snprintf(message, sizeof(message), "tether-agent watch: restarted docker.service: %s%s%s", detail,
                 missing && *missing ? "; still missing: " : "", missing ? missing : "");
        say(strcmp(result, "healed") == 0 ? LOG_NOTICE : LOG_WARNING, message);
        journal_log_watch(&(struct journal_watch_event){
                .event = "heal",
                .action = result,
                .culprit = watch->incident.culprit,
                .culprit_pid = watch->incident.culprit_pid,
                .culprit_unit = watch->incident.culprit_unit,
                .missing = missing,
                .changes_deleted = watch->incident.deleted,
                .changes_added = watch->incident.added,
                .heal_ms = heal_ms,
                .message = message,
        });
}

/* Restarts docker, waits for its job, and looks at the rules again. */
static void heal(struct watch *watch, sd_bus *bus, bool live_restore) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *after = NULL;
        _cleanup_free_ char *result = NULL, *missing = NULL;
        uint64_t flushed_at = watch->incident.last ? watch->incident.last : tether_now_usec();
        char detail[512];
        long long heal_ms;
        int r;

        tether_watch_history_add(&watch->history, tether_now_usec());
        r = bus_run_job(bus, "RestartUnit", TETHER_DOCKER_UNIT, "replace", RESTART_TIMEOUT_USEC, &result,
                        &error);
        if (r < 0 || strcmp(result, "done") != 0) {
                watch->start_limit_seen = tether_now_usec();
                snprintf(detail, sizeof(detail), "the restart failed: %s", r < 0 ? error.text : result);
                log_heal(watch, "failed", NULL, -1, detail);
                return;
        }
        r = host_state_look(bus, &after, &error);
        heal_ms = (long long)((tether_now_usec() - flushed_at) / 1000ULL);
        if (r < 0) {
                snprintf(detail, sizeof(detail), "cannot look at the rules after it: %s", error.text);
                log_heal(watch, "failed", NULL, -1, detail);
                return;
        }
        missing = missing_rules(after->judgement);
        if (after->judgement->rules_missing > 0) {
                snprintf(detail, sizeof(detail), "done, but Docker's rules are not all back");
                log_heal(watch, "still-missing", missing, -1, detail);
                return;
        }
        snprintf(detail, sizeof(detail), "Docker's rules are back, %lld ms after the flush%s", heal_ms,
                 live_restore ? " (live-restore kept the containers running)" : "");
        log_heal(watch, "healed", "", heal_ms, detail);
        watch->incident.pending = false;
}

static void look_again_at(struct watch *watch, uint64_t when) {
        watch->retry_at = when;
        arm_timer(watch);
}

/* What is missing: the judge's count, or 1 for a docker that failed while
 * it was being healed; *ret_text names them. */
static size_t missing_of(const struct host_state *state, enum tether_watch_docker docker, char **ret_text) {
        const struct tether_unit *unit = state->facts->docker;

        if (docker == TETHER_WATCH_DOCKER_DOWN) {
                if (asprintf(ret_text, "docker.service failed (%s)",
                             unit->result && *unit->result ? unit->result : "unknown") < 0)
                        *ret_text = NULL;
                return 1;
        }
        if (docker != TETHER_WATCH_DOCKER_RUNNING) {
                *ret_text = NULL;
                return 0;
        }
        *ret_text = missing_rules(state->judgement);
        return state->judgement->rules_missing;
}

static void act(struct watch *watch, sd_bus *bus, const struct host_state *state,
                const struct tether_watch_decision *decision, uint64_t now) {
        switch (decision->action) {
        case TETHER_WATCH_RESTART:
                heal(watch, bus, state->facts->live_restore);
                if (watch->incident.pending)
                        /* Not healed: the policy says when to try again. */
                        look_again_at(watch, tether_now_usec() + watch->limits.settle_usec);
                break;
        case TETHER_WATCH_WAIT_BACKOFF:
        case TETHER_WATCH_WAIT_CAP:
        case TETHER_WATCH_WAIT_START_LIMIT:
                log_wait(watch, decision, now);
                look_again_at(watch, decision->retry_usec);
                break;
        default:
                break;
        }
}

/* Whether Docker re-creates all its rules itself on firewalld's signal. */
static bool docker_heals_itself(const struct tether_judgement *judgement) {
        for (size_t i = 0; i < judgement->n_firewalls; i++)
                if (judgement->firewalls[i].docker_heals)
                        return true;
        return false;
}

/* Looks at Docker's rules the way audit does, and acts on what is missing. */
static void look(struct watch *watch) {
        struct tether_error error = TETHER_ERROR_INIT;
        _cleanup_(host_state_freep) struct host_state *state = NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *missing = NULL;
        _cleanup_close_ int lock = -1;
        struct tether_watch_docker_starts starts;
        struct tether_watch_decision decision;
        struct tether_watch_limits limits;
        enum tether_watch_docker docker;
        struct burst changes = watch->held;
        size_t n_missing;
        uint64_t now, until;
        int r;

        /* apply, revert and test hold the lock while they work; test
         * restarts the firewall on purpose and waits for docker itself. */
        lock = agent_lock_take(AGENT_LOCK_PATH, &error);
        if (lock == -EBUSY) {
                log_debug("%s; looking again in 2 s", error.text);
                watch->busy_until = tether_now_usec() + BUSY_RETRY_USEC;
                arm_timer(watch);
                return;
        }
        burst_merge(&changes, &watch->burst);
        watch->busy_until = 0;
        watch->burst = watch->held = (struct burst){};
        watch->retry_at = 0;
        r = bus_open(&bus, &error);
        if (r >= 0)
                r = host_state_look(bus, &state, &error);
        if (r < 0) {
                log_warning("Cannot look at Docker's rules: %s; looking again in 10 s", error.text);
                watch->held = changes;
                look_again_at(watch, tether_now_usec() + FAILED_LOOK_RETRY_USEC);
                return;
        }

        now = tether_now_usec();
        docker = tether_watch_docker_classify(
                state->facts->docker ? state->facts->docker->active_state : NULL,
                state->facts->docker ? state->facts->docker->sub_state : NULL, watch->incident.pending);
        if (docker == TETHER_WATCH_DOCKER_CHANGING) {
                /* Its rules are not all there while it starts: look when it has. */
                watch->held = changes;
                look_again_at(watch, now + DOCKER_CHANGING_RETRY_USEC);
                return;
        }
        n_missing = missing_of(state, docker, &missing);
        until = n_missing > 0 && docker == TETHER_WATCH_DOCKER_RUNNING
                        ? tether_watch_docker_heals_until(now, watch->firewalld_back_at,
                                                          docker_heals_itself(state->judgement))
                        : 0;
        if (until) {
                log_info("firewalld reloaded, and Docker re-creates its rules on its signal: looking again "
                         "in %llu ms.",
                         (unsigned long long)((until - now) / 1000ULL));
                watch->held = changes;
                look_again_at(watch, until);
                return;
        }
        until = n_missing > 0 ? tether_watch_docker_quiet_until(now, watch->docker_changed_at,
                                                                changes.pending ? changes.first : now)
                              : 0;
        if (until) {
                log_debug("Docker changed its rules %llu ms ago, and may not be done: "
                          "looking again in %llu ms.",
                          (unsigned long long)((now - watch->docker_changed_at) / 1000ULL),
                          (unsigned long long)((until - now) / 1000ULL));
                watch->held = changes;
                look_again_at(watch, until);
                return;
        }
        starts = docker_starts(watch, state, now);
        limits = watch->limits;
        limits.heal = tether_watch_effective_heal(limits.heal, state->facts->live_restore);
        decision = tether_watch_decide(&limits, &watch->history, now, n_missing, &starts);
        if (decision.action == TETHER_WATCH_NOTHING) {
                if (watch->incident.pending)
                        log_info(docker == TETHER_WATCH_DOCKER_RUNNING ? "Docker's rules are all back."
                                                                       : "docker.service was stopped.");
                watch->incident.pending = false;
                return;
        }
        /* A new flush, or the first look at this one: say so. */
        if (changes.pending || !watch->incident.pending) {
                watch->incident = changes.pending ? changes : (struct burst){.first = now, .last = now};
                watch->incident.pending = true;
                if (!watch->incident.culprit_unit[0])
                        memcpy(watch->incident.culprit_unit, watch->incident.job_unit,
                               sizeof(watch->incident.culprit_unit));
                log_flush(watch, missing ? missing : "", decision.action);
        }
        act(watch, bus, state, &decision, now);
}

/* ---- the event loop ---------------------------------------------------- */

static void arm_timer(struct watch *watch) {
        uint64_t when = 0;

        if (watch->burst.pending)
                when = tether_watch_settle_deadline(&watch->limits, watch->burst.first, watch->burst.last);
        if (watch->retry_at && (!when || watch->retry_at < when))
                when = watch->retry_at;
        if (when && when < watch->busy_until)
                when = watch->busy_until;
        if (!when) {
                (void)sd_event_source_set_enabled(watch->timer, SD_EVENT_OFF);
                return;
        }
        (void)sd_event_source_set_time(watch->timer, when);
        (void)sd_event_source_set_enabled(watch->timer, SD_EVENT_ONESHOT);
}

static int on_signal(sd_event_source *source, const struct signalfd_siginfo *info, void *userdata) {
        struct watch *watch = userdata;

        log_info("Stopping on signal %u.", info->ssi_signo);
        return sd_event_exit(watch->event, 0);
}

static int on_timer(sd_event_source *source, uint64_t usec, void *userdata) {
        struct watch *watch = userdata;

        look(watch);
        return 0;
}

/* firewalld reloaded (Reloaded), or came back on the bus (a new owner of
 * its name): Docker, connected to it, re-creates its rules now. */
static int on_firewalld(sd_bus_message *message, void *userdata, sd_bus_error *ret_error) {
        struct watch *watch = userdata;
        const char *name = NULL, *old_owner = NULL, *new_owner = NULL;

        if (sd_bus_message_is_signal(message, "org.freedesktop.DBus", "NameOwnerChanged") &&
            (sd_bus_message_read(message, "sss", &name, &old_owner, &new_owner) < 0 || !new_owner ||
             !new_owner[0]))
                return 0;
        log_debug("firewalld %s.", name ? "came back on the bus" : "reloaded");
        watch->firewalld_back_at = tether_now_usec();
        return 0;
}

/* A job of a firewall unit ended (a start, restart, reload or stop, done
 * or not): a look after the settle time, whatever the rules' events say,
 * and the unit to name where the culprit's own could not be checked (a
 * restart of iptables.service on a polled host, say). */
static int on_job_removed(sd_bus_message *message, void *userdata, sd_bus_error *ret_error) {
        struct watch *watch = userdata;
        const char *job = NULL, *unit = NULL, *result = NULL;
        struct burst *burst;
        uint32_t id;

        if (sd_bus_message_read(message, "uoss", &id, &job, &unit, &result) < 0 || !unit ||
            !tether_firewall_kind_find(unit))
                return 0;
        log_debug("A job of %s ended (%s): looking at Docker's rules.", unit, result ? result : "?");
        burst = burst_touch(watch);
        snprintf(burst->job_unit, sizeof(burst->job_unit), "%s", unit);
        arm_timer(watch);
        return 0;
}

/* systemd sends JobRemoved only once someone has asked it to (Subscribe). */
static int listen_to_jobs(struct watch *watch) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_match_signal(watch->signals, NULL, "org.freedesktop.systemd1",
                                "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                "JobRemoved", on_job_removed, watch);
        if (r >= 0)
                r = sd_bus_call_method(watch->signals, "org.freedesktop.systemd1",
                                       "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                       "Subscribe", &error, NULL, NULL);
        return r;
}

/* Best effort: without them, watch heals firewalld's reloads as any flush,
 * and sees a firewall unit's restart only by the rules it changes. */
static void listen_to_signals(struct watch *watch) {
        int r;

        r = sd_bus_open_system(&watch->signals);
        if (r >= 0 && listen_to_jobs(watch) < 0)
                log_warning(
                        "Cannot hear systemd's jobs: a firewall unit's restart is seen only by the rules "
                        "it changes.");
        if (r >= 0)
                r = sd_bus_match_signal(watch->signals, NULL, "org.fedoraproject.FirewallD1",
                                        "/org/fedoraproject/FirewallD1", "org.fedoraproject.FirewallD1",
                                        "Reloaded", on_firewalld, watch);
        if (r >= 0)
                r = sd_bus_add_match(watch->signals, NULL,
                                     "type='signal',sender='org.freedesktop.DBus',"
                                     "interface='org.freedesktop.DBus',member='NameOwnerChanged',"
                                     "arg0='org.fedoraproject.FirewallD1'",
                                     on_firewalld, watch);
        if (r >= 0)
                r = sd_bus_attach_event(watch->signals, watch->event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0) {
                log_warning(
                        "Cannot listen to firewalld's signals (%s): its reloads are healed as any flush.",
                        strerror(-r));
                watch->signals = sd_bus_flush_close_unref(watch->signals);
        }
}

/* A change of iptables-legacy's tables since the last poll: one of
 * unknown origin. A table that cannot be read is taken for one too. */
static int on_poll(sd_event_source *source, uint64_t usec, void *userdata) {
        struct watch *watch = userdata;
        uint64_t fingerprint = 0;
        int r;

        r = legacy_tables_fingerprint(&watch->legacy, &fingerprint);
        if (r < 0 || fingerprint != watch->legacy_fingerprint) {
                if (r < 0)
                        log_debug("Cannot read iptables-legacy's tables: %s", strerror(-r));
                watch->legacy_fingerprint = fingerprint;
                note_change(watch, NULL, NULL);
                watch->burst.lost_events = r < 0;
                watch->burst.polled = true;
        }
        (void)sd_event_source_set_time(source, usec + LEGACY_POLL_USEC);
        return 0;
}

/* iptables-legacy commits no nftables batches: its tables are polled. */
static int poll_legacy(struct watch *watch) {
        enum tether_netfilter_backend backend = TETHER_NETFILTER_UNKNOWN;
        uint64_t now = 0;
        int r;

        if (netfilter_backend_read(&backend) < 0 || backend != TETHER_NETFILTER_LEGACY)
                return 0;
        r = legacy_tables_open(&watch->legacy);
        if (r >= 0)
                r = legacy_tables_fingerprint(&watch->legacy, &watch->legacy_fingerprint);
        /* sd_event_add_time_relative() is systemd 247's; the agent runs on 239. */
        if (r >= 0)
                r = sd_event_now(watch->event, CLOCK_MONOTONIC, &now);
        if (r >= 0)
                r = sd_event_add_time(watch->event, &watch->poll, CLOCK_MONOTONIC, now + LEGACY_POLL_USEC,
                                      1000, on_poll, watch);
        if (r >= 0)
                r = sd_event_source_set_enabled(watch->poll, SD_EVENT_ON);
        if (r < 0)
                return log_error_errno(r, "Cannot poll iptables-legacy's tables: %s", strerror(-r)), r;
        log_info("iptables is iptables-legacy here, whose changes send no events: its tables are read every "
                 "second.");
        return 0;
}

static int watch_setup(struct watch *watch, int netlink_fd) {
        sigset_t mask;
        int r;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return -errno;
        r = sd_event_default(&watch->event);
        if (r >= 0)
                r = sd_event_add_signal(watch->event, NULL, SIGTERM, on_signal, watch);
        if (r >= 0)
                r = sd_event_add_signal(watch->event, NULL, SIGINT, on_signal, watch);
        if (r >= 0)
                r = sd_event_add_io(watch->event, NULL, netlink_fd, EPOLLIN, on_netlink, watch);
        if (r >= 0)
                /* Accuracy 1 ms: the settle time is short, and wakeups are rare anyway. */
                r = sd_event_add_time(watch->event, &watch->timer, CLOCK_MONOTONIC, 0, 1000, on_timer,
                                      watch);
        return r;
}

int verb_watch(struct agent *agent) {
        struct watch watch = {
                .limits = agent->options.watch_limits, .self = getpid(), .legacy = LEGACY_TABLES_INIT};
        _cleanup_close_ int netlink_fd = -1;
        int r;

        r = netlink_open(&netlink_fd);
        if (r < 0)
                return log_error_errno(r, "Cannot subscribe to nftables events: %m"), AGENT_EXIT_INTERNAL;
        r = watch_setup(&watch, netlink_fd);
        if (r < 0) {
                log_error_errno(r, "Cannot set up the event loop: %m");
                r = AGENT_EXIT_INTERNAL;
                goto out;
        }
        if (poll_legacy(&watch) < 0) {
                r = AGENT_EXIT_UNSUPPORTED;
                goto out;
        }
        listen_to_signals(&watch);
        log_info("Watching nftables for flushes of Docker's rules (heal %s, settle %llu ms, back-off from "
                 "%llu s, "
                 "at most %u restarts an hour).",
                 tether_watch_heal_to_string(watch.limits.heal),
                 (unsigned long long)(watch.limits.settle_usec / 1000ULL),
                 (unsigned long long)(watch.limits.backoff_first_usec / TETHER_USEC_PER_SEC),
                 watch.limits.max_heals_per_hour);
        /* The first look: the rules may be gone already. */
        look_again_at(&watch, tether_now_usec());
        (void)sd_notify(0, "READY=1");
        r = sd_event_loop(watch.event);
        (void)sd_notify(0, "STOPPING=1");
        r = r < 0 ? (log_error_errno(r, "The event loop failed: %m"), AGENT_EXIT_INTERNAL) : AGENT_EXIT_OK;
out:
        watch.signals = sd_bus_flush_close_unref(watch.signals);
        watch.poll = sd_event_source_unref(watch.poll);
        legacy_tables_close(&watch.legacy);
        watch.timer = sd_event_source_unref(watch.timer);
        watch.event = sd_event_unref(watch.event);
        return r;
}
