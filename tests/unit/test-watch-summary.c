/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/watch-summary.c: one table of journal records of
 * watch's, newest first, with what audit must make of them (real heals
 * counted, healed or not, the last flush's culprit and its heal time, past
 * retries and unhealed flushes, fields missing, garbage and bytes that are
 * not UTF-8); one table of watch's unit and a summary with the `watch`
 * object of tether.host/1 each must give; and the facts' JSON form of
 * both, there and back (refusals are test-judge's, with the others).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "facts.h"
#include "macro.h"
#include "watch-summary.h"
#include "test-util.h"

#define RECORDS_MAX 6

/* A record as journal_log_watch() writes one: event, action, culprit, pid,
 * unit, heal_ms; at seconds since the epoch. */
#define HEAL(t, action, ms) \
        { (t) * 1000000ULL, "heal", action, "nft", "42", "", ms }
#define FLUSH(t, action, culprit, pid, unit) \
        { (t) * 1000000ULL, "flush", action, culprit, pid, unit, "" }

static const struct {
        const char *name;
        struct tether_watch_record records[RECORDS_MAX]; /* newest first; ends at event NULL */
        unsigned heals;
        uint64_t last_heal_sec;
        bool flush_seen;
        const char *culprit, *culprit_unit;
        unsigned culprit_pid;
        long long heal_ms;
} rows[] = {
        {"no records", {{0}}, 0, 0, false, NULL, NULL, 0, -1},
        {"a flush by hand, healed",
         {HEAL(300, "healed", "2488"), FLUSH(297, "restart", "nft", "4242", "session-3.scope")},
         1,
         300,
         true,
         "nft",
         "session-3.scope",
         4242,
         2488},
        /* still-missing: docker restarted, the rules not back; failed: the restart failed. */
        {"restarts that healed nothing",
         {HEAL(400, "failed", ""), HEAL(350, "still-missing", ""),
          FLUSH(340, "restart", "iptables", "7", "")},
         0,
         0,
         true,
         "iptables",
         NULL,
         7,
         -1},
        {"two flushes: the last one's culprit and heal time",
         {HEAL(500, "healed", "1000"), FLUSH(499, "restart", "iptables-restor", "9", "cron.service"),
          HEAL(300, "healed", "2000"), FLUSH(298, "restart", "nft", "8", "")},
         2,
         500,
         true,
         "iptables-restor",
         "cron.service",
         9,
         1000},
        {"the last flush not healed (yet): no heal time of it",
         {FLUSH(600, "report", "nft", "5", ""), HEAL(300, "healed", "2000"),
          FLUSH(298, "restart", "nft", "4", "")},
         1,
         300,
         true,
         "nft",
         NULL,
         5,
         -1},
        {"healed after a failed restart: the heal that brought the rules back",
         {HEAL(700, "healed", "61000"), HEAL(640, "still-missing", ""),
          FLUSH(639, "restart", "nft", "3", "")},
         1,
         700,
         true,
         "nft",
         NULL,
         3,
         61000},
        {"a heal whose flush is older than the window",
         {HEAL(800, "healed", "900")},
         1,
         800,
         false,
         NULL,
         NULL,
         0,
         -1},
        {"back-offs are no heal",
         {{900000000ULL, "backoff", "backoff", "nft", "3", "", ""}, FLUSH(880, "backoff", "nft", "3", "")},
         0,
         0,
         true,
         "nft",
         NULL,
         3,
         -1},
        {"a flush whose culprit is not known (events lost)",
         {FLUSH(100, "restart", "", "0", "")},
         0,
         0,
         true,
         NULL,
         NULL,
         0,
         -1},
        {"fields missing",
         {{100000000ULL, "flush", NULL, NULL, NULL, NULL, NULL}},
         0,
         0,
         true,
         NULL,
         NULL,
         0,
         -1},
        {"garbage numbers",
         {HEAL(200, "healed", "-5"), FLUSH(199, "restart", "nft", "0x10", "")},
         1,
         200,
         true,
         "nft",
         NULL,
         0,
         -1},
        {"heal_ms past 32 bits",
         {HEAL(200, "healed", "4294967296"), FLUSH(199, "restart", "nft", "1", "")},
         1,
         200,
         true,
         "nft",
         NULL,
         1,
         -1},
        {"a culprit that is not UTF-8",
         {FLUSH(100, "restart", "n\xff\xfe", "2", "a\xc3.scope")},
         0,
         0,
         true,
         "n??",
         "a?.scope",
         2,
         -1},
        {"events and actions of another name",
         {{100000000ULL, "heal", "Healed", "", "", "", "10"},
          {100000000ULL, "Flush", "restart", "x", "1", "", ""}},
         0,
         0,
         false,
         NULL,
         NULL,
         0,
         -1},
};

static void assert_string_or_null(const char *actual, const char *expected) {
        if (expected)
                assert_string_equal(actual, expected);
        else
                assert_null(actual);
}

static void test_records(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(rows); i++) {
                struct tether_watch_summary summary = TETHER_WATCH_SUMMARY_INIT;

                print_message("row: %s\n", rows[i].name);
                for (size_t k = 0; k < RECORDS_MAX && rows[i].records[k].event; k++)
                        assert_int_equal(tether_watch_summary_add(&summary, &rows[i].records[k]), 0);
                assert_int_equal(summary.heals, rows[i].heals);
                assert_int_equal(summary.last_heal_usec, rows[i].last_heal_sec * 1000000ULL);
                assert_int_equal(summary.flush_seen, rows[i].flush_seen);
                assert_string_or_null(summary.culprit, rows[i].culprit);
                assert_string_or_null(summary.culprit_unit, rows[i].culprit_unit);
                assert_int_equal(summary.culprit_pid, rows[i].culprit_pid);
                assert_int_equal(summary.heal_ms, rows[i].heal_ms);
                tether_watch_summary_clear(&summary);
                assert_null(summary.culprit);
                assert_int_equal(summary.heal_ms, -1);
        }
}

/* Watch's unit as systemd has it: load_state, active_state; NULL name: not looked up. */
static struct tether_unit *watch_unit(const char *load_state, const char *active_state) {
        struct tether_unit *unit;

        if (!load_state)
                return NULL;
        unit = tether_unit_new(TETHER_WATCH_UNIT);
        assert_non_null(unit);
        free(unit->id);
        free(unit->load_state);
        free(unit->active_state);
        unit->id = strdup(TETHER_WATCH_UNIT);
        unit->load_state = strdup(load_state);
        unit->active_state = strdup(active_state);
        return unit;
}

#define NONE_JSON                                                                                       \
        "{\"active\":false,\"active_state\":null,\"heals_24h\":0,\"installed\":false,\"last_culprit\":" \
        "null,"                                                                                         \
        "\"last_heal\":null,\"last_heal_ms\":null,\"sees\":null}"

static void test_to_json(void **state) {
        static const struct tether_watch_record healed[] = {
                HEAL(1764680531, "healed", "2488"),
                FLUSH(1764680528, "restart", "nft", "4242", "session-3.scope"),
                {0},
        };
        static const struct tether_watch_record unknown[] = {FLUSH(1764680528, "report", "", "0", ""), {0}};
        static const struct {
                const char *load_state, *active_state;
                bool polled;
                const struct tether_watch_record *records;
                const char *json;
        } cases[] = {
                {NULL, NULL, false, healed, NONE_JSON},
                {"not-found", "inactive", false, healed, NONE_JSON},
                {"masked", "inactive", false, healed, NONE_JSON},
                {"loaded", "active", false, NULL,
                 "{\"active\":true,\"active_state\":\"active\",\"heals_24h\":0,\"installed\":true,"
                 "\"last_culprit\":null,\"last_heal\":null,\"last_heal_ms\":null,\"sees\":\"events\"}"},
                {"loaded", "active", false, healed,
                 "{\"active\":true,\"active_state\":\"active\",\"heals_24h\":1,\"installed\":true,"
                 "\"last_culprit\":{\"name\":\"nft\",\"pid\":4242,\"unit\":\"session-3.scope\"},"
                 "\"last_heal\":\"2025-12-02T13:02:11Z\",\"last_heal_ms\":2488,\"sees\":\"events\"}"},
                {"loaded", "failed", false, unknown,
                 "{\"active\":false,\"active_state\":\"failed\",\"heals_24h\":0,\"installed\":true,"
                 "\"last_culprit\":{\"name\":null,\"pid\":null,\"unit\":null},\"last_heal\":null,"
                 "\"last_heal_ms\":null,\"sees\":\"events\"}"},
                /* iptables-legacy: its tables are polled. */
                {"loaded", "active", true, NULL,
                 "{\"active\":true,\"active_state\":\"active\",\"heals_24h\":0,\"installed\":true,"
                 "\"last_culprit\":null,\"last_heal\":null,\"last_heal_ms\":null,\"sees\":\"polled\"}"},
                {"loaded", "reloading", false, NULL,
                 "{\"active\":true,\"active_state\":\"reloading\",\"heals_24h\":0,\"installed\":true,"
                 "\"last_culprit\":null,\"last_heal\":null,\"last_heal_ms\":null,\"sees\":\"events\"}"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(tether_unit_freep) struct tether_unit *unit =
                        watch_unit(cases[i].load_state, cases[i].active_state);
                struct tether_watch_summary summary = TETHER_WATCH_SUMMARY_INIT;
                json_t *json;
                char *text;

                print_message("case: %s %s\n", cases[i].load_state ? cases[i].load_state : "(not looked up)",
                              cases[i].active_state ? cases[i].active_state : "");
                for (size_t k = 0; cases[i].records && cases[i].records[k].event; k++)
                        assert_int_equal(tether_watch_summary_add(&summary, &cases[i].records[k]), 0);
                json = tether_watch_to_json(unit, &summary, cases[i].polled);
                assert_non_null(json);
                text = json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS);
                assert_string_equal(text, cases[i].json);
                free(text);
                json_decref(json);
                tether_watch_summary_clear(&summary);
        }
}

/* Facts with watch go to their JSON form and come back the same. */
static void test_facts_round_trip(void **state) {
        static const struct tether_watch_record records[] = {
                HEAL(1764680531, "healed", "2488"),
                FLUSH(1764680528, "restart", "nft", "4242", ""),
        };
        _cleanup_(tether_host_facts_freep) struct tether_host_facts *facts = tether_host_facts_new(),
                                                                    *back = NULL;
        struct tether_error error = TETHER_ERROR_INIT;
        json_t *json;

        assert_non_null(facts);
        facts->watch = watch_unit("loaded", "active");
        for (size_t k = 0; k < ELEMENTSOF(records); k++)
                assert_int_equal(tether_watch_summary_add(&facts->watch_journal, &records[k]), 0);
        json = tether_host_facts_to_json(facts);
        assert_non_null(json);
        assert_int_equal(tether_host_facts_from_json(json, &back, &error), 0);
        assert_non_null(back->watch);
        assert_string_equal(back->watch->active_state, "active");
        assert_int_equal(back->watch_journal.heals, 1);
        assert_int_equal(back->watch_journal.last_heal_usec, 1764680531ULL * 1000000ULL);
        assert_true(back->watch_journal.flush_seen);
        assert_string_equal(back->watch_journal.culprit, "nft");
        assert_null(back->watch_journal.culprit_unit);
        assert_int_equal(back->watch_journal.culprit_pid, 4242);
        assert_int_equal(back->watch_journal.heal_ms, 2488);
        assert_same_json(json, tether_host_facts_to_json(back));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_records),
                cmocka_unit_test(test_to_json),
                cmocka_unit_test(test_facts_round_trip),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
