/* SPDX-License-Identifier: MIT */
/*
 * The agent's record of a run, kept on the host so that a controller whose
 * connection broke can learn what the run did. One file a run id, in a
 * directory only root can read (/run/tether, mode 0700), replaced
 * atomically (fileio.h) as the run goes on:
 *
 *   /run/tether/20261127T195811Z-8b58b4.json
 *   {"run_id": "20261127T195811Z-8b58b4", "state": "finished", "verb": "apply",
 *    "pid": 4242, "document": {"schema": "tether.host/1", ...}}
 *
 * The states a file holds: started (the agent holds the host's lock and is
 * about to run its verb), finished (document is what it printed), closed
 * (tether read the record back before any agent of this run had started;
 * an agent of this run id that starts later refuses to run). What
 * `tether-agent result` reports adds two: running (started, and the agent
 * still holds the lock) and absent (no file, and another agent holds the
 * lock, so whether this run's agent will start is not known).
 *
 * Ownership: a record read from JSON borrows its strings and its document
 * from that JSON.
 */
#pragma once

#include <jansson.h>

#include "error.h"

#define TETHER_RECORD_DIR "/run/tether"

/* A record holds one agent document, which is far smaller. */
#define TETHER_RECORD_LIMIT (8u * 1024 * 1024)

#define TETHER_RECORD_STATES(X) \
        X(STARTED, "started")   \
        X(RUNNING, "running")   \
        X(FINISHED, "finished") \
        X(CLOSED, "closed")     \
        X(ABSENT, "absent")

enum tether_record_state {
        TETHER_RECORD_NONE, /* not a state: 0, so a zeroed record has none */
#define TETHER_RECORD_ENUM(id, name) TETHER_RECORD_##id,
        TETHER_RECORD_STATES(TETHER_RECORD_ENUM)
#undef TETHER_RECORD_ENUM
                _TETHER_RECORD_MAX,
};

struct tether_record {
        enum tether_record_state state;
        const char *run_id;
        const char *verb;       /* the verb of the run; NULL for closed and absent */
        long long pid;          /* the agent's process, 0 when none is known */
        const json_t *document; /* with finished: the agent's tether.host/1 document */
};

/* The state's word; NULL for TETHER_RECORD_NONE or a value out of range. */
const char *tether_record_state_to_string(enum tether_record_state state);

/* "DIR/RUN_ID.json" as a new string in *ret; -EINVAL for a run id that is
 * not a tag (validate.h), which could name another file; -ENOMEM. */
int tether_record_path(const char *dir, const char *run_id, char **ret);

/* The record's JSON (a new reference; NULL when out of memory). verb and
 * document may be NULL, pid 0; document is copied in by reference. */
json_t *tether_record_to_json(const struct tether_record *record);

/* 0 and *ret, borrowing from json; -EBADMSG, with error set, when json is
 * not an object, names another run than run_id, has no known state, or is
 * finished without a tether.host/1 document. */
int tether_record_from_json(const json_t *json, const char *run_id, struct tether_record *ret,
                            struct tether_error *error);
