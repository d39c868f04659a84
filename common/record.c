/* SPDX-License-Identifier: MIT */
/*
 * A run's record, to and from JSON (see record.h). The agent writes it and
 * reads it back on its host; the controller reads it out of what
 * `tether-agent result` printed, so both hold it to the same rules.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "validate.h"

static const char *const state_names[_TETHER_RECORD_MAX] = {
#define TETHER_RECORD_NAME(id, name) [TETHER_RECORD_##id] = (name),
        TETHER_RECORD_STATES(TETHER_RECORD_NAME)
#undef TETHER_RECORD_NAME
};

const char *tether_record_state_to_string(enum tether_record_state state) {
        return (unsigned)state < _TETHER_RECORD_MAX ? state_names[state] : NULL;
}

static enum tether_record_state state_from_string(const char *s) {
        int i = string_table_lookup(state_names, ELEMENTSOF(state_names), s);

        return i < 0 ? TETHER_RECORD_NONE : (enum tether_record_state)i;
}

int tether_record_path(const char *dir, const char *run_id, char **ret) {
        if (!run_id || !tether_valid_tag(run_id))
                return -EINVAL;
        return asprintf(ret, "%s/%s.json", dir, run_id) < 0 ? -ENOMEM : 0;
}

json_t *tether_record_to_json(const struct tether_record *record) {
        json_t *json = json_pack("{s:s, s:s}", "run_id", record->run_id, "state",
                                 tether_record_state_to_string(record->state));

        if (!json)
                return NULL;
        if ((record->verb && json_object_set_new(json, "verb", json_string(record->verb)) < 0) ||
            (record->pid > 0 && json_object_set_new(json, "pid", json_integer(record->pid)) < 0) ||
            (record->document && json_object_set(json, "document", (json_t *)record->document) < 0)) {
                json_decref(json);
                return NULL;
        }
        return json;
}

int tether_record_from_json(const json_t *json, const char *run_id, struct tether_record *ret,
                            struct tether_error *error) {
        const char *name = json_string_value(json_object_get(json, "run_id"));
        const char *state_name = json_string_value(json_object_get(json, "state"));
        const json_t *pid = json_object_get(json, "pid"), *document = json_object_get(json, "document");
        const char *schema = json_string_value(json_object_get(document, "schema"));
        enum tether_record_state state;

        if (!json_is_object(json))
                return tether_error_set(error, -EBADMSG, "the run's record is not a JSON object");
        if (!name || strcmp(name, run_id) != 0)
                return tether_error_set(error, -EBADMSG, "the record is of run %s, not of run %s",
                                        name ? name : "(none)", run_id);
        state = state_from_string(state_name);
        if (state == TETHER_RECORD_NONE)
                return tether_error_set(error, -EBADMSG, "the record of run %s has no known state", run_id);
        if (state == TETHER_RECORD_FINISHED && (!schema || strcmp(schema, "tether.host/1") != 0))
                return tether_error_set(
                        error, -EBADMSG,
                        "the record of run %s is finished but holds no tether.host/1 document", run_id);
        *ret = (struct tether_record){
                .state = state,
                .run_id = name,
                .verb = json_string_value(json_object_get(json, "verb")),
                .pid = json_is_integer(pid) && json_integer_value(pid) > 0 ? json_integer_value(pid) : 0,
                .document = state == TETHER_RECORD_FINISHED ? document : NULL,
        };
        return 0;
}
