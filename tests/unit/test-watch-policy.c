/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/watch-policy.c: one table of situations (the heals
 * of the last hour, the time, what is missing, docker's start limit) with
 * the action each must give and when to look again: nothing missing, the
 * report policy, the first heal, each step of the back-off and its
 * ceiling, the cap per hour and the heal that leaves the hour, docker's
 * start limit, and the order between them; then a flush every second for
 * twenty seconds, which must end in a bounded number of restarts; the
 * history kept to an hour; the settle deadline; the names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "macro.h"
#include "watch-policy.h"

#define S TETHER_USEC_PER_SEC
#define H TETHER_USEC_PER_HOUR
/* Monotonic times start well after 0, as they do on a host up for a while. */
#define T0 (10 * H)

static const struct tether_watch_limits restart = {
        .heal = TETHER_WATCH_HEAL_RESTART,
        .settle_usec = S / 2,
        .backoff_first_usec = 10 * S,
        .backoff_max_usec = 600 * S,
        .max_heals_per_hour = 6,
};

/* Room for starts (a macro: clang takes no const object as a static
 * initializer). */
#define ROOM \
        { .burst = 3, .in_window = 0, .interval_usec = 60 * S }
static const struct tether_watch_docker_starts room = ROOM;

static const struct {
        const char *what;
        enum tether_watch_heal heal;
        uint64_t heals[8]; /* seconds after T0, in order; 0 ends the list */
        uint64_t now;      /* seconds after T0 */
        size_t missing;
        struct tether_watch_docker_starts starts;
        enum tether_watch_action action;
        uint64_t retry; /* seconds after T0, for the WAIT_* actions */
} cases[] = {
        {"nothing missing", TETHER_WATCH_HEAL_RESTART, {}, 5, 0, ROOM, TETHER_WATCH_NOTHING, 0},
        {"nothing missing, right after a heal",
         TETHER_WATCH_HEAL_RESTART,
         {4},
         5,
         0,
         ROOM,
         TETHER_WATCH_NOTHING,
         0},
        {"missing, the report policy", TETHER_WATCH_HEAL_REPORT, {}, 5, 3, ROOM, TETHER_WATCH_REPORT, 0},
        {"missing, report even past the cap",
         TETHER_WATCH_HEAL_REPORT,
         {1, 2, 3, 4, 5, 6},
         7,
         3,
         ROOM,
         TETHER_WATCH_REPORT,
         0},
        {"the first flush", TETHER_WATCH_HEAL_RESTART, {}, 5, 3, ROOM, TETHER_WATCH_RESTART, 0},
        {"one missing is enough", TETHER_WATCH_HEAL_RESTART, {}, 5, 1, ROOM, TETHER_WATCH_RESTART, 0},
        /* Back-off: 10 s after the first heal of the hour, 20 s after the second, ... */
        {"1 s after a heal", TETHER_WATCH_HEAL_RESTART, {100}, 101, 3, ROOM, TETHER_WATCH_WAIT_BACKOFF, 110},
        {"9 s after a heal", TETHER_WATCH_HEAL_RESTART, {100}, 109, 3, ROOM, TETHER_WATCH_WAIT_BACKOFF, 110},
        {"10 s after a heal", TETHER_WATCH_HEAL_RESTART, {100}, 110, 3, ROOM, TETHER_WATCH_RESTART, 0},
        {"second heal: 20 s",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200},
         219,
         3,
         ROOM,
         TETHER_WATCH_WAIT_BACKOFF,
         220},
        {"second heal: 20 s, passed",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200},
         220,
         3,
         ROOM,
         TETHER_WATCH_RESTART,
         0},
        {"third heal: 40 s",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200, 300},
         330,
         3,
         ROOM,
         TETHER_WATCH_WAIT_BACKOFF,
         340},
        {"fifth heal: 160 s",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200, 300, 400, 500},
         600,
         3,
         ROOM,
         TETHER_WATCH_WAIT_BACKOFF,
         660},
        /* A heal more than an hour old counts for nothing. */
        {"a heal an hour old", TETHER_WATCH_HEAL_RESTART, {100}, 3700, 3, ROOM, TETHER_WATCH_RESTART, 0},
        /* Had the first counted, the back-off would be 20 s. */
        {"back-off from the recent heals only",
         TETHER_WATCH_HEAL_RESTART,
         {100, 3690},
         3705,
         3,
         ROOM,
         TETHER_WATCH_RESTART,
         0},
        /* The cap: 6 an hour, then the oldest of them must leave the hour. */
        {"the cap",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200, 400, 800, 1600, 2000},
         3000,
         3,
         ROOM,
         TETHER_WATCH_WAIT_CAP,
         3700},
        {"the cap, until the oldest leaves",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200, 400, 800, 1600, 2000},
         3700,
         3,
         ROOM,
         TETHER_WATCH_RESTART,
         0},
        /* Docker's start limit: one start is always left. */
        {"one start in the window of 3",
         TETHER_WATCH_HEAL_RESTART,
         {},
         5,
         3,
         {3, 1, 60 * S, 0},
         TETHER_WATCH_RESTART,
         0},
        {"two starts in the window of 3",
         TETHER_WATCH_HEAL_RESTART,
         {},
         5,
         3,
         {3, 2, 60 * S, 30 * S},
         TETHER_WATCH_WAIT_START_LIMIT,
         35},
        {"room unknown: 10 s",
         TETHER_WATCH_HEAL_RESTART,
         {},
         5,
         3,
         {3, 2, 60 * S, 0},
         TETHER_WATCH_WAIT_START_LIMIT,
         15},
        {"past the limit already",
         TETHER_WATCH_HEAL_RESTART,
         {},
         5,
         3,
         {3, 5, 60 * S, 0},
         TETHER_WATCH_WAIT_START_LIMIT,
         15},
        {"a burst of 1 is never spent",
         TETHER_WATCH_HEAL_RESTART,
         {},
         5,
         3,
         {1, 0, 60 * S, 0},
         TETHER_WATCH_WAIT_START_LIMIT,
         15},
        {"no start limit", TETHER_WATCH_HEAL_RESTART, {}, 5, 3, {0, 40, 0, 0}, TETHER_WATCH_RESTART, 0},
        /* The order: the cap before the back-off before the start limit. */
        {"cap and start limit: the cap",
         TETHER_WATCH_HEAL_RESTART,
         {100, 200, 400, 800, 1600, 2000},
         2001,
         3,
         {3, 2, 60 * S, 30 * S},
         TETHER_WATCH_WAIT_CAP,
         3700},
        {"back-off and start limit: the back-off",
         TETHER_WATCH_HEAL_RESTART,
         {100},
         101,
         3,
         {3, 2, 60 * S, 30 * S},
         TETHER_WATCH_WAIT_BACKOFF,
         110},
};

static void history_of(const uint64_t *heals, size_t max, struct tether_watch_history *history) {
        *history = (struct tether_watch_history){0};
        for (size_t i = 0; i < max && heals[i]; i++)
                history->heals[history->n++] = T0 + heals[i] * S;
}

static void test_decide_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct tether_watch_limits limits = restart;
                struct tether_watch_history history;
                struct tether_watch_decision decision;
                uint64_t retry = cases[i].retry ? T0 + cases[i].retry * S : 0;

                limits.heal = cases[i].heal;
                history_of(cases[i].heals, ELEMENTSOF(cases[i].heals), &history);
                decision = tether_watch_decide(&limits, &history, T0 + cases[i].now * S, cases[i].missing,
                                               &cases[i].starts);
                if (decision.action != cases[i].action ||
                    (cases[i].action >= TETHER_WATCH_WAIT_BACKOFF && decision.retry_usec != retry))
                        fail_msg("%s: %s, retry at %+lld s, expected %s, retry at %+lld s", cases[i].what,
                                 tether_watch_action_to_string(decision.action),
                                 (long long)(decision.retry_usec - (long long)T0) / (long long)S,
                                 tether_watch_action_to_string(cases[i].action), (long long)cases[i].retry);
        }
}

/* The back-off stops growing at its ceiling. */
static void test_backoff_ceiling(void **state) {
        struct tether_watch_limits limits = restart;
        struct tether_watch_history history = {0};
        struct tether_watch_decision decision;

        limits.max_heals_per_hour = 60;
        limits.backoff_max_usec = 100 * S;
        for (uint64_t i = 0; i < 20; i++)
                history.heals[history.n++] = T0 + i * S;
        decision = tether_watch_decide(&limits, &history, T0 + 20 * S, 1, &room);
        assert_int_equal(decision.action, TETHER_WATCH_WAIT_BACKOFF);
        assert_true(decision.retry_usec == T0 + 19 * S + 100 * S);
}

/* A flush every second for 20 s, each restart taking 2 s and counting as a
 * start of docker's: a few restarts, never one within the back-off, never
 * the start limit passed. */
static void test_flush_loop(void **state) {
        struct tether_watch_limits limits = restart;
        struct tether_watch_history history = {0};
        uint64_t starts[64] = {0};
        size_t n_starts = 0, restarts = 0;

        for (uint64_t second = 0; second <= 20; second++) {
                uint64_t now = T0 + second * S + limits.settle_usec;
                struct tether_watch_docker_starts window = room;
                struct tether_watch_decision decision;

                for (size_t i = 0; i < n_starts; i++)
                        window.in_window += starts[i] + 60 * S > now;
                decision = tether_watch_decide(&limits, &history, now, 5, &window);
                if (decision.action != TETHER_WATCH_RESTART)
                        continue;
                assert_true(window.in_window + 1 < window.burst);
                tether_watch_history_add(&history, now);
                starts[n_starts++] = now + 2 * S;
                restarts++;
        }
        /* At 0.5 s, then 10 s after it: the next, 20 s later, is past the loop. */
        assert_int_equal(restarts, 2);
}

static void test_history(void **state) {
        struct tether_watch_history history = {0};

        tether_watch_history_add(&history, T0);
        tether_watch_history_add(&history, T0 + 10 * S);
        assert_int_equal(history.n, 2);
        /* An hour after the first, it goes. */
        tether_watch_history_add(&history, T0 + H);
        assert_int_equal(history.n, 2);
        assert_true(history.heals[0] == T0 + 10 * S);
        tether_watch_history_expire(&history, T0 + 3 * H);
        assert_int_equal(history.n, 0);

        /* Full: the oldest makes room. */
        for (uint64_t i = 0; i < TETHER_WATCH_HEALS_PER_HOUR_MAX + 5; i++)
                tether_watch_history_add(&history, T0 + i * S);
        assert_int_equal(history.n, TETHER_WATCH_HEALS_PER_HOUR_MAX);
        assert_true(history.heals[0] == T0 + 5 * S);
        assert_true(history.heals[history.n - 1] == T0 + (TETHER_WATCH_HEALS_PER_HOUR_MAX + 4) * S);
}

static const struct {
        uint64_t first, last, deadline; /* ms */
} settles[] = {
        {1000, 1000, 1500}, /* one change: settle after it */
        {1000, 1200, 1700}, /* a burst: settle after the last */
        {1000, 2400, 2900},
        {1000, 2600, 3000}, /* a burst that goes on: at most 4 settle times after the first */
        {1000, 9000, 3000},
};

static void test_settle_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(settles); i++) {
                uint64_t deadline = tether_watch_settle_deadline(&restart, settles[i].first * 1000,
                                                                 settles[i].last * 1000);

                if (deadline != settles[i].deadline * 1000)
                        fail_msg("first %llu ms, last %llu ms: %llu ms, expected %llu ms",
                                 (unsigned long long)settles[i].first, (unsigned long long)settles[i].last,
                                 (unsigned long long)(deadline / 1000),
                                 (unsigned long long)settles[i].deadline);
        }
}

static const struct {
        const char *active, *sub;
        bool flush_open;
        enum tether_watch_docker docker;
} dockers[] = {
        {"active", "running", false, TETHER_WATCH_DOCKER_RUNNING},
        {"active", "running", true, TETHER_WATCH_DOCKER_RUNNING},
        {"activating", "start", false, TETHER_WATCH_DOCKER_CHANGING},
        {"activating", "auto-restart", true, TETHER_WATCH_DOCKER_CHANGING},
        {"inactive", "auto-restart", true, TETHER_WATCH_DOCKER_CHANGING},
        {"failed", "auto-restart-queued", true, TETHER_WATCH_DOCKER_CHANGING}, /* systemd 254 */
        {"deactivating", "stop-sigterm", true, TETHER_WATCH_DOCKER_CHANGING},
        {"reloading", "reload", false, TETHER_WATCH_DOCKER_CHANGING},
        /* Failed while a flush was being healed: a flush during its start. */
        {"failed", "failed", true, TETHER_WATCH_DOCKER_DOWN},
        /* Failed, or stopped, with no flush open: its admin's business. */
        {"failed", "failed", false, TETHER_WATCH_DOCKER_LEFT},
        {"inactive", "dead", true, TETHER_WATCH_DOCKER_LEFT},
        {"inactive", "dead", false, TETHER_WATCH_DOCKER_LEFT},
        {NULL, NULL, true, TETHER_WATCH_DOCKER_LEFT},
        {"failed", NULL, true, TETHER_WATCH_DOCKER_DOWN},
        {"", "", true, TETHER_WATCH_DOCKER_LEFT},
};

static void test_docker_table(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(dockers); i++) {
                enum tether_watch_docker docker = tether_watch_docker_classify(
                        dockers[i].active, dockers[i].sub, dockers[i].flush_open);

                if (docker != dockers[i].docker)
                        fail_msg("%s/%s, flush %s: %d, expected %d",
                                 dockers[i].active ? dockers[i].active : "NULL",
                                 dockers[i].sub ? dockers[i].sub : "NULL",
                                 dockers[i].flush_open ? "open" : "none", docker, dockers[i].docker);
        }
}

/* Docker re-creates its rules on firewalld's signal: watch leaves them to
 * it for the grace after the reload, and only where the judge says Docker
 * re-creates them all. */
static void test_docker_heals_until(void **state) {
        const uint64_t grace = TETHER_WATCH_FIREWALLD_GRACE_USEC, t = 1000 * TETHER_USEC_PER_SEC;
        static const struct {
                uint64_t now_after_reload; /* now - reloaded_at */
                bool reloaded, docker_heals, leaves;
        } reloads[] = {
                {0, true, true, true},
                {1500000, true, true, true},
                {TETHER_WATCH_FIREWALLD_GRACE_USEC - 1, true, true, true},
                {TETHER_WATCH_FIREWALLD_GRACE_USEC, true, true, false}, /* the grace is over */
                {3600 * TETHER_USEC_PER_SEC, true, true, false},
                {1500000, true, false, false}, /* a Docker that leaves some of them: heal */
                {1500000, false, true, false}, /* no reload seen: someone else's flush */
        };

        for (size_t i = 0; i < ELEMENTSOF(reloads); i++) {
                uint64_t reloaded_at = reloads[i].reloaded ? t : 0;
                uint64_t until = tether_watch_docker_heals_until(t + reloads[i].now_after_reload,
                                                                 reloaded_at, reloads[i].docker_heals);

                assert_true(until == (reloads[i].leaves ? t + grace : 0));
        }
}

/* Rules missing while Docker may be in the midst of its own changes: watch
 * looks again once Docker has been quiet for the quiet time. */
static void test_docker_quiet_until(void **state) {
        const uint64_t t = 1000 * TETHER_USEC_PER_SEC, never = UINT64_MAX;
        static const struct {
                bool changed;
                uint64_t now_after_change;   /* now - docker_changed_at */
                uint64_t missing_for;        /* now - first_change */
                uint64_t until_after_change; /* the answer - docker_changed_at; never: 0 */
        } changes[] = {
                {true, 0, 0, TETHER_WATCH_DOCKER_QUIET_USEC},
                {true, 500000, 500000, TETHER_WATCH_DOCKER_QUIET_USEC},
                {true, TETHER_WATCH_DOCKER_QUIET_USEC - 1, 1, TETHER_WATCH_DOCKER_QUIET_USEC},
                {true, TETHER_WATCH_DOCKER_QUIET_USEC, 1, UINT64_MAX}, /* quiet long enough: a flush */
                {true, 3600 * TETHER_USEC_PER_SEC, 1, UINT64_MAX},
                {false, 500000, 500000, UINT64_MAX}, /* Docker changed nothing since watch started */
                /* Docker never quiet: the longest wait after the change that took the rules. */
                {true, 1000000, TETHER_WATCH_DOCKER_QUIET_MAX_USEC - 500000, 1500000},
                {true, 1000000, TETHER_WATCH_DOCKER_QUIET_MAX_USEC, UINT64_MAX},
        };

        for (size_t i = 0; i < ELEMENTSOF(changes); i++) {
                uint64_t now = t + 3600 * TETHER_USEC_PER_SEC;
                uint64_t changed_at = changes[i].changed ? now - changes[i].now_after_change : 0;
                uint64_t until =
                        tether_watch_docker_quiet_until(now, changed_at, now - changes[i].missing_for);

                if (changes[i].until_after_change == never)
                        assert_true(until == 0);
                else
                        assert_true(until == changed_at + changes[i].until_after_change);
        }
}

/* live-restore keeps the containers running through a restart: watch
 * restarts docker whatever the admin chose; otherwise the admin's choice. */
static void test_effective_heal(void **state) {
        static const struct {
                enum tether_watch_heal chosen;
                bool live_restore;
                enum tether_watch_heal effective;
        } policies[] = {
                {TETHER_WATCH_HEAL_REPORT, false, TETHER_WATCH_HEAL_REPORT},
                {TETHER_WATCH_HEAL_RESTART, false, TETHER_WATCH_HEAL_RESTART},
                {TETHER_WATCH_HEAL_REPORT, true, TETHER_WATCH_HEAL_RESTART},
                {TETHER_WATCH_HEAL_RESTART, true, TETHER_WATCH_HEAL_RESTART},
        };

        for (size_t i = 0; i < ELEMENTSOF(policies); i++)
                assert_int_equal(tether_watch_effective_heal(policies[i].chosen, policies[i].live_restore),
                                 policies[i].effective);
}

static void test_names(void **state) {
        enum tether_watch_heal heal = TETHER_WATCH_HEAL_RESTART;

        assert_int_equal(tether_watch_heal_from_string("report", &heal), 0);
        assert_int_equal(heal, TETHER_WATCH_HEAL_REPORT);
        assert_int_equal(tether_watch_heal_from_string("restart", &heal), 0);
        assert_int_equal(heal, TETHER_WATCH_HEAL_RESTART);
        for (size_t i = 0; i < 5; i++) {
                static const char *const bad[] = {"", "Restart", "restart ", "yes", NULL};

                heal = TETHER_WATCH_HEAL_RESTART;
                assert_int_equal(tether_watch_heal_from_string(bad[i], &heal), -EINVAL);
                assert_int_equal(heal, TETHER_WATCH_HEAL_RESTART);
        }
        assert_string_equal(tether_watch_heal_to_string(TETHER_WATCH_HEAL_REPORT), "report");
        assert_string_equal(tether_watch_action_to_string(TETHER_WATCH_WAIT_START_LIMIT), "start-limit");
        assert_string_equal(tether_watch_action_to_string((enum tether_watch_action)99), "unknown");
        /* The default restarts nothing unless asked. */
        assert_int_equal(tether_watch_limits_default.heal, TETHER_WATCH_HEAL_REPORT);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_decide_table),
                cmocka_unit_test(test_backoff_ceiling),
                cmocka_unit_test(test_flush_loop),
                cmocka_unit_test(test_history),
                cmocka_unit_test(test_settle_table),
                cmocka_unit_test(test_docker_table),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_docker_heals_until),
                cmocka_unit_test(test_docker_quiet_until),
                cmocka_unit_test(test_effective_heal),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
