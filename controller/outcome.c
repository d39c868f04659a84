/* SPDX-License-Identifier: MIT */
/*
 * The tables of host verdicts, test results and agent fates (see
 * outcome.h).
 */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "outcome.h"

static const char *const verdict_names[_HOST_VERDICT_MAX] = {
#define HOST_VERDICT_NAME(id, name) [HOST_VERDICT_##id] = (name),
        HOST_VERDICTS(HOST_VERDICT_NAME)
#undef HOST_VERDICT_NAME
};

static const char *const test_result_names[_TEST_RESULT_MAX] = {
#define TEST_RESULT_NAME(id, name) [TEST_RESULT_##id] = (name),
        TEST_RESULTS(TEST_RESULT_NAME)
#undef TEST_RESULT_NAME
};

static const char *const agent_fate_names[_AGENT_FATE_MAX] = {
#define AGENT_FATE_NAME(id, name) [AGENT_FATE_##id] = (name),
        AGENT_FATES(AGENT_FATE_NAME)
#undef AGENT_FATE_NAME
};

const char *host_verdict_to_string(enum host_verdict verdict) {
        return (unsigned)verdict < _HOST_VERDICT_MAX ? verdict_names[verdict] : NULL;
}

int host_verdict_from_string(const char *s, enum host_verdict *ret) {
        int i = string_table_lookup(verdict_names, ELEMENTSOF(verdict_names), s);

        if (i < 0)
                return -EINVAL;
        *ret = (enum host_verdict)i;
        return 0;
}

enum host_verdict host_verdict_of_agent(enum tether_verdict verdict) {
        switch (verdict) {
        case TETHER_VERDICT_PROTECTED:
                return HOST_VERDICT_PROTECTED;
        case TETHER_VERDICT_VULNERABLE:
                return HOST_VERDICT_VULNERABLE;
        case TETHER_VERDICT_BROKEN:
                return HOST_VERDICT_BROKEN;
        case TETHER_VERDICT_NOT_APPLICABLE:
                return HOST_VERDICT_NOT_APPLICABLE;
        case TETHER_VERDICT_RELOAD_VULNERABLE:
                return HOST_VERDICT_RELOAD_VULNERABLE;
        case TETHER_VERDICT_START_BLOCKED:
                return HOST_VERDICT_START_BLOCKED;
        }
        return HOST_VERDICT_ERROR;
}

const char *test_result_to_string(enum test_result result) {
        return (unsigned)result < _TEST_RESULT_MAX ? test_result_names[result] : NULL;
}

enum test_result test_result_from_string(const char *s) {
        int i = string_table_lookup(test_result_names, ELEMENTSOF(test_result_names), s);

        return i < 0 ? TEST_RESULT_NONE : (enum test_result)i;
}

const char *agent_fate_to_string(enum agent_fate fate) {
        return (unsigned)fate < _AGENT_FATE_MAX ? agent_fate_names[fate] : NULL;
}

enum agent_fate agent_fate_from_string(const char *s) {
        int i = string_table_lookup(agent_fate_names, ELEMENTSOF(agent_fate_names), s);

        return i < 0 ? AGENT_FATE_NONE : (enum agent_fate)i;
}

bool host_counts_as_failed(enum host_verdict verdict, bool has_error, enum test_result test_result) {
        if (verdict == HOST_VERDICT_SKIPPED || verdict == HOST_VERDICT_UNREACHABLE)
                return false;
        if (has_error || verdict == HOST_VERDICT_BROKEN || verdict == HOST_VERDICT_START_BLOCKED)
                return true;
        return test_result == TEST_RESULT_FAILED || test_result == TEST_RESULT_REFUSED;
}
