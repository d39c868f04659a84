/* SPDX-License-Identifier: MIT */
/*
 * The watcher's decisions (see watch-policy.h). The order of the checks in
 * tether_watch_decide() is the order of their cost to the host: nothing to
 * do, then the admin's policy, then the cap (the longest wait), the
 * back-off, and last docker's start limit, whose room the caller counted
 * from the journal.
 */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "watch-policy.h"

const struct tether_watch_limits tether_watch_limits_default = {
        .heal = TETHER_WATCH_HEAL_REPORT,
        .settle_usec = 500ULL * 1000ULL,
        .backoff_first_usec = 10ULL * TETHER_USEC_PER_SEC,
        .backoff_max_usec = 600ULL * TETHER_USEC_PER_SEC,
        .max_heals_per_hour = 6,
};

/* When no start limit room is known: look again after this long. */
#define START_LIMIT_RETRY_USEC (10ULL * TETHER_USEC_PER_SEC)

/* The index of the first heal of history within the hour before now. */
static size_t first_recent(const struct tether_watch_history *history, uint64_t now) {
        size_t i = 0;

        while (i < history->n && history->heals[i] + TETHER_USEC_PER_HOUR <= now)
                i++;
        return i;
}

void tether_watch_history_expire(struct tether_watch_history *history, uint64_t now) {
        size_t first = first_recent(history, now);

        memmove(history->heals, history->heals + first, (history->n - first) * sizeof(history->heals[0]));
        history->n -= first;
}

void tether_watch_history_add(struct tether_watch_history *history, uint64_t now) {
        tether_watch_history_expire(history, now);
        /* Full: the oldest goes (the cap keeps it from filling while it matters). */
        if (history->n == ELEMENTSOF(history->heals)) {
                memmove(history->heals, history->heals + 1, (history->n - 1) * sizeof(history->heals[0]));
                history->n--;
        }
        history->heals[history->n++] = now;
}

/* The back-off after recent heals: first, doubled for each heal after the
 * first, at most max. */
static uint64_t backoff_after(const struct tether_watch_limits *limits, size_t recent) {
        uint64_t wait = limits->backoff_first_usec;

        for (size_t i = 1; i < recent && wait < limits->backoff_max_usec; i++)
                wait *= 2;
        return wait < limits->backoff_max_usec ? wait : limits->backoff_max_usec;
}

static bool start_limit_reached(const struct tether_watch_docker_starts *starts) {
        return starts && starts->burst > 0 && starts->in_window + 1 >= starts->burst;
}

static struct tether_watch_decision wait_until(enum tether_watch_action action, uint64_t when) {
        return (struct tether_watch_decision){.action = action, .retry_usec = when};
}

enum tether_watch_heal tether_watch_effective_heal(enum tether_watch_heal chosen, bool live_restore) {
        return live_restore ? TETHER_WATCH_HEAL_RESTART : chosen;
}

struct tether_watch_decision tether_watch_decide(const struct tether_watch_limits *limits,
                                                 const struct tether_watch_history *history, uint64_t now,
                                                 size_t rules_missing,
                                                 const struct tether_watch_docker_starts *starts) {
        size_t first = first_recent(history, now), recent = history->n - first;
        unsigned cap = limits->max_heals_per_hour;

        if (rules_missing == 0)
                return (struct tether_watch_decision){.action = TETHER_WATCH_NOTHING};
        if (limits->heal == TETHER_WATCH_HEAL_REPORT)
                return (struct tether_watch_decision){.action = TETHER_WATCH_REPORT};
        if (cap == 0 || recent >= cap)
                /* The heal that leaves the hour first makes room. */
                return wait_until(TETHER_WATCH_WAIT_CAP,
                                  recent > 0 ? history->heals[history->n - (cap > 0 ? cap : recent)] +
                                                       TETHER_USEC_PER_HOUR
                                             : now + TETHER_USEC_PER_HOUR);
        if (recent > 0) {
                uint64_t allowed = history->heals[history->n - 1] + backoff_after(limits, recent);

                if (now < allowed)
                        return wait_until(TETHER_WATCH_WAIT_BACKOFF, allowed);
        }
        if (start_limit_reached(starts))
                return wait_until(
                        TETHER_WATCH_WAIT_START_LIMIT,
                        now + (starts->room_in_usec > 0 ? starts->room_in_usec : START_LIMIT_RETRY_USEC));
        return (struct tether_watch_decision){.action = TETHER_WATCH_RESTART};
}

uint64_t tether_watch_settle_deadline(const struct tether_watch_limits *limits, uint64_t first_change,
                                      uint64_t last_change) {
        uint64_t quiet = last_change + limits->settle_usec, latest = first_change + 4 * limits->settle_usec;

        return quiet < latest ? quiet : latest;
}

uint64_t tether_watch_docker_heals_until(uint64_t now, uint64_t reloaded_at, bool docker_heals) {
        uint64_t until = reloaded_at + TETHER_WATCH_FIREWALLD_GRACE_USEC;

        return docker_heals && reloaded_at > 0 && now < until ? until : 0;
}

uint64_t tether_watch_docker_quiet_until(uint64_t now, uint64_t docker_changed_at, uint64_t first_change) {
        uint64_t until = docker_changed_at + TETHER_WATCH_DOCKER_QUIET_USEC;
        uint64_t latest = first_change + TETHER_WATCH_DOCKER_QUIET_MAX_USEC;

        if (docker_changed_at == 0 || now >= until || now >= latest)
                return 0;
        return until < latest ? until : latest;
}

enum tether_watch_docker tether_watch_docker_classify(const char *active_state, const char *sub_state,
                                                      bool flush_open) {
        static const char *const changing[] = {"activating", "deactivating", "reloading"};

        if (!active_state)
                return TETHER_WATCH_DOCKER_LEFT;
        if (strcmp(active_state, "active") == 0)
                return TETHER_WATCH_DOCKER_RUNNING;
        /* Between a failed start and the next of Restart=: "activating"
         * (systemd 2xx), "inactive" or "failed" on others. */
        if (string_table_lookup(changing, ELEMENTSOF(changing), active_state) >= 0 ||
            (sub_state && strncmp(sub_state, "auto-restart", strlen("auto-restart")) == 0))
                return TETHER_WATCH_DOCKER_CHANGING;
        if (strcmp(active_state, "failed") == 0 && flush_open)
                return TETHER_WATCH_DOCKER_DOWN;
        return TETHER_WATCH_DOCKER_LEFT;
}

static const char *const action_names[] = {
        [TETHER_WATCH_NOTHING] = "nothing", [TETHER_WATCH_RESTART] = "restart",
        [TETHER_WATCH_REPORT] = "report",   [TETHER_WATCH_WAIT_BACKOFF] = "backoff",
        [TETHER_WATCH_WAIT_CAP] = "cap",    [TETHER_WATCH_WAIT_START_LIMIT] = "start-limit",
};

const char *tether_watch_action_to_string(enum tether_watch_action action) {
        return (size_t)action < ELEMENTSOF(action_names) ? action_names[action] : "unknown";
}

static const char *const heal_names[] = {
        [TETHER_WATCH_HEAL_REPORT] = "report",
        [TETHER_WATCH_HEAL_RESTART] = "restart",
};

int tether_watch_heal_from_string(const char *s, enum tether_watch_heal *ret) {
        int i = string_table_lookup(heal_names, ELEMENTSOF(heal_names), s);

        if (i < 0)
                return -EINVAL;
        *ret = (enum tether_watch_heal)i;
        return 0;
}

const char *tether_watch_heal_to_string(enum tether_watch_heal heal) {
        return (size_t)heal < ELEMENTSOF(heal_names) ? heal_names[heal] : "unknown";
}
