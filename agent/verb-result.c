/* SPDX-License-Identifier: MIT */
/*
 * result: what became of a run, for a controller whose connection to the
 * host broke while the run's agent may have been at work. It waits (up to
 * --wait seconds) for the host's lock, so that a running agent can finish,
 * then reports the run's record (common/record.h) in the document's
 * "record": finished with the agent's document, or started (the agent
 * ended without finishing: killed), closed, or, when the lock stayed taken,
 * running or absent. A run with no record found under the lock has not
 * started: it is closed then, so that its agent, should it start later,
 * refuses to run, and "closed" stays true.
 */
#include <errno.h>
#include <unistd.h>

#include "agent.h"
#include "lock.h"
#include "run-record.h"
#include "time-util.h"

int verb_result(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        const char *run_id = agent->options.run_id;
        struct tether_record record = {.run_id = run_id};
        _cleanup_close_ int lock = -1;
        json_t *json = NULL, *record_json;
        int r;

        lock = agent_lock_wait(AGENT_LOCK_PATH, agent->options.wait_seconds, &error);
        if (lock < 0 && lock != -EBUSY)
                return agent_fail(agent, AGENT_EXIT_INTERNAL, "lock", "%s", error.text);
        tether_error_clear(&error);

        r = agent_record_read(run_id, &json, &record, &error);
        if (r < 0 && r != -ENOENT)
                return agent_fail(agent, AGENT_EXIT_INTERNAL, "record", "%s", error.text);
        if (r == -ENOENT && lock >= 0) {
                record = (struct tether_record){.state = TETHER_RECORD_CLOSED, .run_id = run_id};
                r = agent_record_write(&record, &error);
                if (r < 0)
                        return agent_fail(agent, AGENT_EXIT_INTERNAL, "record", "%s", error.text);
        } else if (r == -ENOENT)
                record = (struct tether_record){.state = TETHER_RECORD_ABSENT, .run_id = run_id};
        else if (record.state == TETHER_RECORD_STARTED && lock < 0)
                record.state = TETHER_RECORD_RUNNING;

        record_json = tether_record_to_json(&record);
        json_decref(json);
        if (!record_json)
                return agent_fail(agent, AGENT_EXIT_INTERNAL, "internal", "out of memory");
        json_object_set_new(agent->document, "record", record_json);
        return AGENT_EXIT_OK;
}
