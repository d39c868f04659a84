/* SPDX-License-Identifier: MIT */
/*
 * What tether-agent watch does, and when, as pure functions of the clock
 * and what it has seen, so that every branch is tested without a host:
 *
 *   settle     a burst of changes is looked at once it has been quiet for
 *              the settle time, and never later than four settle times
 *              after its first change (a flush loop does not postpone the
 *              look for ever);
 *   heal       Docker's rules are missing: restart docker, unless
 *   report     the policy is to report only;
 *   back-off   a heal follows the one before it only after a back-off that
 *              doubles with each heal of the last hour (10 s, 20 s, 40 s, ...
 *              up to 10 min by default);
 *   cap        at most max_heals_per_hour heals in any hour, then report
 *              only until the oldest of them is an hour old;
 *   start      docker is never restarted when the restart would use its
 *   limit      last start within StartLimitIntervalSec= (StartLimitBurst=):
 *              one start is always left for its admin and for boot.
 *
 * Times are CLOCK_MONOTONIC microseconds (time-util.h). Nothing here logs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TETHER_USEC_PER_SEC 1000000ULL
#define TETHER_USEC_PER_HOUR (3600ULL * TETHER_USEC_PER_SEC)

/* The most heals an hour that may be asked for; also the history's size. */
#define TETHER_WATCH_HEALS_PER_HOUR_MAX 60u

enum tether_watch_heal {
        TETHER_WATCH_HEAL_REPORT,  /* say what is missing, restart nothing */
        TETHER_WATCH_HEAL_RESTART, /* restart docker.service, within the limits */
};

struct tether_watch_limits {
        enum tether_watch_heal heal;
        uint64_t settle_usec;
        uint64_t backoff_first_usec; /* the wait after the first heal of an hour */
        uint64_t backoff_max_usec;
        unsigned max_heals_per_hour; /* 1 to TETHER_WATCH_HEALS_PER_HOUR_MAX */
};

/* The defaults: --heal=report, --settle-ms 500, --backoff-sec 10, 6 heals an hour. */
extern const struct tether_watch_limits tether_watch_limits_default;

/* The heals of the last hour, oldest first. */
struct tether_watch_history {
        uint64_t heals[TETHER_WATCH_HEALS_PER_HOUR_MAX];
        size_t n;
};

enum tether_watch_action {
        TETHER_WATCH_NOTHING,         /* every expected rule is there */
        TETHER_WATCH_RESTART,         /* restart docker now */
        TETHER_WATCH_REPORT,          /* the policy is report: say so, restart nothing */
        TETHER_WATCH_WAIT_BACKOFF,    /* too soon after the last heal: look again at retry_usec */
        TETHER_WATCH_WAIT_CAP,        /* max_heals_per_hour reached: look again at retry_usec */
        TETHER_WATCH_WAIT_START_LIMIT /* docker's start limit: look again at retry_usec */
};

/* What is known of docker's start limit (its unit's StartLimitBurst= and
 * the starts counted within StartLimitIntervalSec=). */
struct tether_watch_docker_starts {
        unsigned burst;         /* 0: no limit */
        unsigned in_window;     /* starts within the interval */
        uint64_t interval_usec; /* StartLimitIntervalSec= */
        uint64_t room_in_usec;  /* when the oldest start leaves the window; 0: unknown */
};

struct tether_watch_decision {
        enum tether_watch_action action;
        uint64_t retry_usec; /* for the WAIT_* actions: when to look again (monotonic) */
};

/* The decision when a look at the rules found rules_missing of them
 * missing at now. */
struct tether_watch_decision tether_watch_decide(const struct tether_watch_limits *limits,
                                                 const struct tether_watch_history *history, uint64_t now,
                                                 size_t rules_missing,
                                                 const struct tether_watch_docker_starts *starts);

/* The policy a look follows: a restart of docker whose containers
 * live-restore keeps running cuts nothing off, so it is made whatever the
 * admin chose; otherwise the admin's choice. */
enum tether_watch_heal tether_watch_effective_heal(enum tether_watch_heal chosen, bool live_restore);

/* Records a heal at now; forgets heals more than an hour old. */
void tether_watch_history_add(struct tether_watch_history *history, uint64_t now);

/* Forgets heals more than an hour before now. */
void tether_watch_history_expire(struct tether_watch_history *history, uint64_t now);

/* What docker.service's state means for the rules. */
enum tether_watch_docker {
        TETHER_WATCH_DOCKER_RUNNING,  /* active: its rules are what counts */
        TETHER_WATCH_DOCKER_CHANGING, /* starting, stopping, reloading, or waiting to restart: look again
                                         soon */
        TETHER_WATCH_DOCKER_DOWN,     /* failed while a flush was open (a flush during its start makes
                                         dockerd fail): as bad as its rules missing */
        TETHER_WATCH_DOCKER_LEFT, /* stopped, failed with no flush open, or not there: not watch's business
                                   */
};

/* From docker.service's ActiveState and SubState (NULL: no such unit), and
 * whether a flush is open (seen, not healed yet). */
enum tether_watch_docker tether_watch_docker_classify(const char *active_state, const char *sub_state,
                                                      bool flush_open);

/* When to look at a burst of changes whose first came at first_change and
 * whose latest at last_change: last_change + settle, but no later than
 * first_change + 4 * settle. */
uint64_t tether_watch_settle_deadline(const struct tether_watch_limits *limits, uint64_t first_change,
                                      uint64_t last_change);

/* How long Docker is given to re-create its rules itself after firewalld
 * reloaded, where it does: it acts on firewalld's Reloaded signal within
 * a second or two (docs/watch.md, "firewalld"). */
#define TETHER_WATCH_FIREWALLD_GRACE_USEC (10ULL * TETHER_USEC_PER_SEC)

/* Until when a look that finds Docker's rules missing leaves them to
 * Docker: where Docker re-creates all of them on firewalld's signal
 * (docker_heals, the judge's) and firewalld reloaded or came back at
 * reloaded_at (0: not since watch started), the grace after it; 0 when
 * watch acts now. */
uint64_t tether_watch_docker_heals_until(uint64_t now, uint64_t reloaded_at, bool docker_heals);

/* Docker deletes and re-inserts some of its rules (its jumps) as it
 * creates and removes networks, one iptables run at a time: rules missing
 * while it may be at it are not yet a flush. On a loaded host one run
 * can take seconds: a wait of 2 s once saw Docker's jump to
 * DOCKER-ISOLATION-STAGE-1 between its delete and its insert, and docker
 * was restarted for nothing. A real flush in these seconds is healed this
 * much later; one with no change of Docker's before it is not delayed. */
#define TETHER_WATCH_DOCKER_QUIET_USEC (5ULL * TETHER_USEC_PER_SEC)
/* ...but a Docker that never stops (containers coming and going every
 * second) does not hold a heal off for longer than this after the change. */
#define TETHER_WATCH_DOCKER_QUIET_MAX_USEC (30ULL * TETHER_USEC_PER_SEC)

/* With Docker's rules missing since a change at first_change, and Docker
 * (or what may be Docker) last changing rules at docker_changed_at (0: not
 * since watch started), when to look again: the end of the quiet time
 * after Docker's change, at most the longest wait after first_change; 0
 * when watch acts now. */
uint64_t tether_watch_docker_quiet_until(uint64_t now, uint64_t docker_changed_at, uint64_t first_change);

const char *tether_watch_action_to_string(enum tether_watch_action action);
int tether_watch_heal_from_string(const char *s, enum tether_watch_heal *ret);
const char *tether_watch_heal_to_string(enum tether_watch_heal heal);
