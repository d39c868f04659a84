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

#define LOCK_POLL_USEC (200 * 1000)

/* The lock's fd, or -EBUSY when another agent still held it after seconds. */
static int wait_for_lock(unsigned seconds, struct tether_error *error) {
        uint64_t deadline = tether_now_usec() + (uint64_t)seconds * 1000000ULL;

        for (;;) {
                struct tether_error attempt = TETHER_ERROR_INIT;
                int fd = agent_lock_take(AGENT_LOCK_PATH, &attempt);

                if (fd != -EBUSY || tether_now_usec() >= deadline) {
                        if (fd < 0)
                                (void)tether_error_set(error, fd, "%s", attempt.text);
                        return fd;
                }
                (void)usleep(LOCK_POLL_USEC);
        }
}

int verb_result(struct agent *agent) {
        struct tether_error error = TETHER_ERROR_INIT;
        const char *run_id = agent->options.run_id;
        struct tether_record record = {.run_id = run_id};
        _cleanup_close_ int lock = -1;
        json_t *json = NULL, *record_json;
        int r;

        lock = wait_for_lock(agent->options.wait_seconds, &error);
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
