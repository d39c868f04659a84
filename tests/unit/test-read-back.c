/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for controller/read-back.c: what `tether-agent result` may
 * print after a broken connection, and the agent's fate tether takes from
 * it. Only a finished record (with the agent's document) and a closed one
 * say what was done; every other answer, garbage included, leaves the fate
 * unknown, never "nothing was done", and the clause for the message says
 * why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "read-back.h"
#include "test-util.h"

#define RUN "20261127T195811Z-8b58b4"
#define ANSWER(record)                                                                                    \
        "{\"schema\":\"tether.host/1\",\"agent_version\":\"0.1.0\",\"verb\":\"result\",\"run_id\":\"" RUN \
        "\",\"record\":" record ",\"exit_status\":0}\n"
#define DOCUMENT \
        "{\"schema\":\"tether.host/1\",\"verb\":\"apply\",\"verdict\":\"protected\",\"changed\":true}"

static const struct {
        const char *name, *out;
        enum agent_fate fate;
        const char *why; /* a part of the clause */
} cases[] = {
        {"finished",
         ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"finished\",\"verb\":\"apply\",\"pid\":4242,"
                "\"document\":" DOCUMENT "}"),
         AGENT_FATE_FINISHED, "its result was read back"},
        {"closed", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"closed\"}"), AGENT_FATE_NOT_STARTED,
         "had not started, and now will not"},
        {"started, then killed", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"started\",\"pid\":346}"),
         AGENT_FATE_UNKNOWN, "started (pid 346) and ended without finishing"},
        {"still running", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"running\",\"pid\":346}"),
         AGENT_FATE_UNKNOWN, "still running (pid 346)"},
        {"another agent's lock", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"absent\"}"), AGENT_FATE_UNKNOWN,
         "another tether-agent held the host's lock"},
        {"another run's record", ANSWER("{\"run_id\":\"20261127T195811Z-000000\",\"state\":\"finished\"}"),
         AGENT_FATE_UNKNOWN, "not of run " RUN},
        {"finished without a document", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"finished\"}"),
         AGENT_FATE_UNKNOWN, "holds no tether.host/1 document"},
        {"an unknown state", ANSWER("{\"run_id\":\"" RUN "\",\"state\":\"paused\"}"), AGENT_FATE_UNKNOWN,
         "no known state"},
        {"no record", ANSWER("null"), AGENT_FATE_UNKNOWN, "not a JSON object"},
        {"the agent's own error",
         "{\"schema\":\"tether.host/"
         "1\",\"verb\":\"result\",\"error\":{\"kind\":\"lock\",\"message\":\"cannot "
         "lock\"},\"exit_status\":7}",
         AGENT_FATE_UNKNOWN, "could not say what became of the run (lock: cannot lock)"},
        {"another schema", "{\"schema\":\"tether.host/2\",\"record\":{}}", AGENT_FATE_UNKNOWN,
         "no tether.host/1 document"},
        {"not JSON", "hello, I am not an agent\n", AGENT_FATE_UNKNOWN, "no tether.host/1 document"},
        {"nothing", "", AGENT_FATE_UNKNOWN, "no tether.host/1 document"},
        {"a cut answer", "{\"schema\":\"tether.host/1\",\"record\":{\"run_id\":", AGENT_FATE_UNKNOWN,
         "no tether.host/1 document"},
};

static void test_answers(void **state) {
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                json_t *untouched = json_object(), *document = untouched;
                char why[512] = "";
                enum agent_fate fate;

                fate = read_back_judge(cases[i].out, strlen(cases[i].out), RUN, &document, why, sizeof(why));
                if (fate != cases[i].fate || !strstr(why, cases[i].why))
                        fail_msg("%s: got %s (\"%s\"), expected %s (\"%s\")", cases[i].name,
                                 agent_fate_to_string(fate), why, agent_fate_to_string(cases[i].fate),
                                 cases[i].why);
                if (fate == AGENT_FATE_FINISHED) {
                        assert_string_equal(json_string_value(json_object_get(document, "verdict")),
                                            "protected");
                        assert_true(json_is_true(json_object_get(document, "changed")));
                        json_decref(document);
                } else {
                        assert_ptr_equal(document, untouched);
                        /* Whatever is not known is never said not to have happened. */
                        if (fate == AGENT_FATE_UNKNOWN &&
                            (strstr(why, "did not") || strstr(why, "will not")))
                                fail_msg("%s: an unknown fate said not to have happened: %s", cases[i].name,
                                         why);
                }
                json_decref(untouched);
        }
}

/* A NULL answer (nothing read) and a clause cut to its buffer. */
static void test_edges(void **state) {
        json_t *document = NULL;
        char why[16];

        assert_int_equal(read_back_judge(NULL, 0, RUN, &document, why, sizeof(why)), AGENT_FATE_UNKNOWN);
        assert_null(document);
        assert_int_equal(strlen(why), sizeof(why) - 1);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_answers),
                cmocka_unit_test(test_edges),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
