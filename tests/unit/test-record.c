/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for common/record.c, the run records the agent keeps under
 * /run/tether and the controller reads back after a broken connection: the
 * states' words; the path, refused for a run id that could name another
 * file; each state to JSON and back; and records that are garbage, of
 * another run, of an unknown state, or finished without the agent's
 * document, each refused with -EBADMSG and a message that says which.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "record.h"
#include "test-util.h"

#define RUN "20261127T195811Z-8b58b4"

static void test_states(void **state) {
        static const char *const names[] = {"started", "running", "finished", "closed", "absent"};

        assert_int_equal(ELEMENTSOF(names), _TETHER_RECORD_MAX - 1);
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                assert_string_equal(tether_record_state_to_string((enum tether_record_state)(i + 1)),
                                    names[i]);
        assert_null(tether_record_state_to_string(TETHER_RECORD_NONE));
        assert_null(tether_record_state_to_string(_TETHER_RECORD_MAX));
}

static void test_path(void **state) {
        static const char *const refused[] = {"",       "../etc/shadow", "a/b",    "..",
                                              "run id", "run\n",         "-x/../y"};
        char *path = NULL;

        assert_int_equal(tether_record_path("/run/tether", RUN, &path), 0);
        assert_string_equal(path, "/run/tether/" RUN ".json");
        free(path);
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                path = (char *)"untouched";
                assert_int_equal(tether_record_path("/run/tether", refused[i], &path), -EINVAL);
                assert_string_equal(path, "untouched");
        }
        assert_int_equal(tether_record_path("/run/tether", NULL, &path), -EINVAL);
}

/* Each state, written and read back the same. */
static void test_round_trip(void **state) {
        json_t *document = checked(
                json_pack("{s:s, s:s, s:b}", "schema", "tether.host/1", "verb", "apply", "changed", 1));
        const struct tether_record records[] = {
                {.state = TETHER_RECORD_STARTED, .run_id = RUN, .verb = "apply", .pid = 4242},
                {.state = TETHER_RECORD_FINISHED,
                 .run_id = RUN,
                 .verb = "apply",
                 .pid = 4242,
                 .document = document},
                {.state = TETHER_RECORD_CLOSED, .run_id = RUN},
                {.state = TETHER_RECORD_RUNNING, .run_id = RUN, .verb = "test", .pid = 7},
                {.state = TETHER_RECORD_ABSENT, .run_id = RUN},
        };

        for (size_t i = 0; i < ELEMENTSOF(records); i++) {
                struct tether_error error = TETHER_ERROR_INIT;
                json_t *json = checked(tether_record_to_json(&records[i]));
                struct tether_record back;

                assert_int_equal(tether_record_from_json(json, RUN, &back, &error), 0);
                assert_int_equal(back.state, records[i].state);
                assert_string_equal(back.run_id, RUN);
                if (records[i].verb)
                        assert_string_equal(back.verb, records[i].verb);
                else
                        assert_null(back.verb);
                assert_int_equal(back.pid, records[i].pid);
                assert_ptr_equal(back.document, records[i].document);
                json_decref(json);
        }
        json_decref(document);
}

static void from_json_fails(const char *text, const char *prefix, ...) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_record record = {.state = TETHER_RECORD_ABSENT};
        json_t *json = json_loads(text, 0, NULL);
        va_list ap;
        int r;

        r = tether_record_from_json(json, RUN, &record, &error);
        va_start(ap, prefix);
        check_error(&error, r, -EBADMSG, prefix, ap);
        va_end(ap);
        assert_int_equal(record.state, TETHER_RECORD_ABSENT);
        json_decref(json);
}
#define assert_from_json_fails(text, ...) from_json_fails(text, __VA_ARGS__, (const char *)NULL)

static void test_garbage(void **state) {
        assert_from_json_fails("[]", "the run's record is not a JSON object");
        assert_from_json_fails("\"finished\"", "the run's record is not a JSON object");
        assert_from_json_fails("null", "the run's record is not a JSON object");
        assert_from_json_fails("{\"state\":\"finished\"}", "the record is of run (none), not of run " RUN);
        assert_from_json_fails("{\"run_id\":\"20261127T195811Z-000000\",\"state\":\"closed\"}",
                               "the record is of run 20261127T195811Z-000000", "not of run " RUN);
        assert_from_json_fails("{\"run_id\":7,\"state\":\"closed\"}", "the record is of run (none)");
        assert_from_json_fails("{\"run_id\":\"" RUN "\"}", "the record of run " RUN " has no known state");
        assert_from_json_fails("{\"run_id\":\"" RUN "\",\"state\":\"paused\"}", "the record of run " RUN,
                               "no known state");
        assert_from_json_fails("{\"run_id\":\"" RUN "\",\"state\":\"\"}", "the record of run " RUN,
                               "no known state");
        assert_from_json_fails("{\"run_id\":\"" RUN "\",\"state\":\"finished\"}",
                               "the record of run " RUN " is finished but holds no tether.host/1 document");
        assert_from_json_fails("{\"run_id\":\"" RUN
                               "\",\"state\":\"finished\",\"document\":{\"schema\":\"x\"}}",
                               "the record of run " RUN " is finished", "tether.host/1");
        assert_from_json_fails("{\"run_id\":\"" RUN
                               "\",\"state\":\"finished\",\"document\":\"tether.host/1\"}",
                               "the record of run " RUN " is finished", "tether.host/1");
}

/* A pid that is no positive integer reads as unknown; a document beside a
 * state other than finished is not taken for the agent's. */
static void test_lenient_fields(void **state) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_record record;
        json_t *json = checked(json_pack("{s:s, s:s, s:s, s:{s:s}}", "run_id", RUN, "state", "started",
                                         "pid", "4242", "document", "schema", "tether.host/1"));

        assert_int_equal(tether_record_from_json(json, RUN, &record, &error), 0);
        assert_int_equal(record.pid, 0);
        assert_null(record.document);
        json_object_set_new(json, "pid", json_integer(-1));
        assert_int_equal(tether_record_from_json(json, RUN, &record, &error), 0);
        assert_int_equal(record.pid, 0);
        json_decref(json);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_states),         cmocka_unit_test(test_path),
                cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_lenient_fields),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
