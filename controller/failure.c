/* SPDX-License-Identifier: MIT */
/*
 * The failure stages' table (see failure.h) and first-failure-wins
 * recording of a host's failure. A message quotes what a host or the
 * network said (an SSH error, a line of the agent's stderr), so it is kept
 * as JSON text (escape.h): the report takes it as it is, and reads the
 * same in every rendering.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "failure.h"
#include "utf8.h"

/* src into dst of size bytes, cut before the character that would not fit
 * whole, so that no UTF-8 sequence is cut in two. */
static void copy_whole_characters(char *dst, size_t size, const char *src, size_t length) {
        size_t end = 0;

        for (size_t n; end < length; end += n) {
                (void)tether_utf8_decode(src + end, length - end, &n);
                if (end + n > size - 1)
                        break;
        }
        memcpy(dst, src, end);
        dst[end] = '\0';
}

static const struct {
        const char *name;
        int code;
        bool unreachable;
} stages[_HOST_STAGE_MAX] = {
#define HOST_STAGE_ENTRY(id, name_, code_, unreachable_) \
        [HOST_STAGE_##id] = {.name = (name_), .code = (code_), .unreachable = (unreachable_)},
        HOST_STAGES(HOST_STAGE_ENTRY)
#undef HOST_STAGE_ENTRY
};

const char *host_stage_to_string(enum host_stage stage) {
        if ((unsigned)stage >= _HOST_STAGE_MAX)
                return NULL;
        return stages[stage].name;
}

bool host_stage_unreachable(enum host_stage stage) {
        return (unsigned)stage < _HOST_STAGE_MAX && stages[stage].unreachable;
}

int fail_host(struct host_failure *failure, enum host_stage stage, const char *format, ...) {
        /* Room to spare, so that the cut below is the one that counts. */
        char raw[2 * sizeof(failure->message)];
        struct strbuf text = STRBUF_INIT;
        va_list ap;

        if (host_failed(failure))
                return stages[failure->stage].code;
        if ((unsigned)stage >= _HOST_STAGE_MAX || stage == HOST_STAGE_NONE)
                stage = HOST_STAGE_AGENT; /* a caller's mistake must still fail the host */
        failure->stage = stage;
        va_start(ap, format);
        vsnprintf(raw, sizeof(raw), format, ap);
        va_end(ap);
        tether_escape_json_text(&text, raw, strlen(raw), 0);
        if (text.failed)
                copy_whole_characters(failure->message, sizeof(failure->message), "out of memory",
                                      strlen("out of memory"));
        else
                copy_whole_characters(failure->message, sizeof(failure->message), text.data ? text.data : "",
                                      text.length);
        strbuf_free(&text);
        return stages[stage].code;
}
