/* SPDX-License-Identifier: MIT */
/*
 * Judging a read-back (see read-back.h). What `tether-agent result` prints
 * is a tether.host/1 document of its own, with the run's record in
 * "record":
 *
 *   {"schema": "tether.host/1", "agent_version": "0.1.0", "verb": "result",
 *    "run_id": "20261127T195811Z-8b58b4",
 *    "record": {"run_id": "20261127T195811Z-8b58b4", "state": "finished",
 *               "verb": "apply", "pid": 4242, "document": {...}},
 *    "exit_status": 0}
 *
 * Only finished and closed say what was done; every other answer, and
 * anything that is not such an answer, leaves the run's outcome unknown.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "read-back.h"
#include "record.h"

static enum agent_fate say(enum agent_fate fate, char *why, size_t size, const char *format, ...)
        _printf_(4, 5);
static enum agent_fate say(enum agent_fate fate, char *why, size_t size, const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        vsnprintf(why, size, format, ap);
        va_end(ap);
        return fate;
}

/* The record's fate, when the answer held a valid one. */
static enum agent_fate judge_record(const struct tether_record *record, json_t **ret_document, char *why,
                                    size_t size) {
        switch (record->state) {
        case TETHER_RECORD_FINISHED:
                *ret_document = json_incref((json_t *)record->document);
                return say(AGENT_FATE_FINISHED, why, size,
                           "the agent finished, and its result was read back");
        case TETHER_RECORD_CLOSED:
                return say(AGENT_FATE_NOT_STARTED, why, size,
                           "the agent had not started, and now will not: tether closed the run on the host");
        case TETHER_RECORD_STARTED:
                return say(AGENT_FATE_UNKNOWN, why, size,
                           "the agent started (pid %lld) and ended without finishing (killed?)",
                           record->pid);
        case TETHER_RECORD_RUNNING:
                return say(AGENT_FATE_UNKNOWN, why, size,
                           "the agent was still running (pid %lld) when tether looked again", record->pid);
        default:
                return say(AGENT_FATE_UNKNOWN, why, size,
                           "another tether-agent held the host's lock when tether looked again, so whether "
                           "this run's agent started is not known");
        }
}

enum agent_fate read_back_judge(const char *out, size_t length, const char *run_id, json_t **ret_document,
                                char *why, size_t size) {
        struct tether_error error = TETHER_ERROR_INIT;
        struct tether_record record;
        const json_t *agent_error;
        const char *schema;
        json_t *answer;
        enum agent_fate fate;

        answer = out && length > 0 ? json_loadb(out, length, JSON_REJECT_DUPLICATES, NULL) : NULL;
        schema = json_string_value(json_object_get(answer, "schema"));
        if (!schema || strcmp(schema, "tether.host/1") != 0) {
                json_decref(answer);
                return say(AGENT_FATE_UNKNOWN, why, size,
                           "the agent's answer about the run is no tether.host/1 document");
        }
        agent_error = json_object_get(answer, "error");
        if (json_is_object(agent_error))
                fate = say(AGENT_FATE_UNKNOWN, why, size,
                           "the agent could not say what became of the run (%s: %s)",
                           json_string_value(json_object_get(agent_error, "kind")) ?: "error",
                           json_string_value(json_object_get(agent_error, "message")) ?: "(no message)");
        else if (tether_record_from_json(json_object_get(answer, "record"), run_id, &record, &error) < 0)
                fate = say(AGENT_FATE_UNKNOWN, why, size, "%s", error.text);
        else
                fate = judge_record(&record, ret_document, why, size);
        json_decref(answer);
        return fate;
}
