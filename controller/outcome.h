/* SPDX-License-Identifier: MIT */
/*
 * The words a report uses for how a host came out, each list generating its
 * enum and its one table of names (outcome.c):
 *
 *   host verdicts  the agent's five (common/verdict.h), and the controller's
 *                  own for hosts the agent did not judge: unreachable (no
 *                  way in), error (failed later), skipped (never started)
 *   test results   what `tether test` found on a host, as the agent's
 *                  "test_result" says it
 *   agent fates    what tether knows of the agent's run on a host whose
 *                  run was cut off (its connection broke after login, or
 *                  its --timeout ran out): not-started, finished (its
 *                  result read back from the host), unknown (it may have
 *                  changed the host)
 *
 * and the one rule for whether a host counts as failed, which the exit
 * status, --max-fail and a report's summary all follow.
 */
#pragma once

#include <stdbool.h>

#include "verdict.h"

#define HOST_VERDICTS(X)                          \
        X(PROTECTED, "protected")                 \
        X(VULNERABLE, "vulnerable")               \
        X(RELOAD_VULNERABLE, "reload-vulnerable") \
        X(BROKEN, "broken")                       \
        X(START_BLOCKED, "start-blocked")         \
        X(NOT_APPLICABLE, "not-applicable")       \
        X(UNREACHABLE, "unreachable")             \
        X(ERROR, "error")                         \
        X(SKIPPED, "skipped")

enum host_verdict {
        HOST_VERDICT_NONE, /* not judged (yet): 0, so a zeroed result has none */
#define HOST_VERDICT_ENUM(id, name) HOST_VERDICT_##id,
        HOST_VERDICTS(HOST_VERDICT_ENUM)
#undef HOST_VERDICT_ENUM
                _HOST_VERDICT_MAX,
};

#define TEST_RESULTS(X)       \
        X(PASSED, "passed")   \
        X(FAILED, "failed")   \
        X(REFUSED, "refused") \
        X(SKIPPED, "skipped")

enum test_result {
        TEST_RESULT_NONE, /* no test ran, or a result tether does not know */
#define TEST_RESULT_ENUM(id, name) TEST_RESULT_##id,
        TEST_RESULTS(TEST_RESULT_ENUM)
#undef TEST_RESULT_ENUM
                _TEST_RESULT_MAX,
};

#define AGENT_FATES(X)                \
        X(NOT_STARTED, "not-started") \
        X(FINISHED, "finished")       \
        X(UNKNOWN, "unknown")

enum agent_fate {
        AGENT_FATE_NONE, /* the run was not cut off */
#define AGENT_FATE_ENUM(id, name) AGENT_FATE_##id,
        AGENT_FATES(AGENT_FATE_ENUM)
#undef AGENT_FATE_ENUM
                _AGENT_FATE_MAX,
};

/* The verdict's word; NULL for HOST_VERDICT_NONE or a value out of range. */
const char *host_verdict_to_string(enum host_verdict verdict);

/* 0 and *ret for a verdict's word; -EINVAL (and *ret untouched) for any
 * other string or NULL. */
int host_verdict_from_string(const char *s, enum host_verdict *ret);

/* The host verdict of the agent's verdict. */
enum host_verdict host_verdict_of_agent(enum tether_verdict verdict);

const char *test_result_to_string(enum test_result result);

/* TEST_RESULT_NONE for NULL or a word tether does not know. */
enum test_result test_result_from_string(const char *s);

/* The fate's word; NULL for AGENT_FATE_NONE or a value out of range. */
const char *agent_fate_to_string(enum agent_fate fate);

/* AGENT_FATE_NONE for NULL or a word tether does not know. */
enum agent_fate agent_fate_from_string(const char *s);

/* Whether a host counts as failed: an error in any stage, a broken or
 * start-blocked verdict,
 * a failed test, or a refused one (it proved nothing). Unreachable hosts are
 * counted apart, as the exit status keeps them apart; skipped hosts did
 * nothing. */
bool host_counts_as_failed(enum host_verdict verdict, bool has_error, enum test_result test_result);
