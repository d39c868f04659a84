/* SPDX-License-Identifier: MIT */
/*
 * report_dump_*(): jansson's own writer for every value, with the
 * indentation of the place the value takes in the report. With
 * JSON_INDENT(n), jansson begins each line of a value at depth d with a
 * newline and n * d spaces, and no newline is ever inside a string (it is
 * written \n), so a value written alone and given `indent` after each of
 * its newlines is the value as the whole document's dump writes it,
 * `indent` deeper.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report-dump.h"

#define REPORT_DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

struct indented {
        struct strbuf *buf;
        const char *indent;
};

static int append_indented(const char *text, size_t size, void *userdata) {
        struct indented *out = userdata;
        const char *newline;

        while ((newline = memchr(text, '\n', size))) {
                size_t line = (size_t)(newline - text) + 1;

                strbuf_append_n(out->buf, text, line);
                strbuf_append(out->buf, out->indent);
                text += line;
                size -= line;
        }
        strbuf_append_n(out->buf, text, size);
        return out->buf->failed ? -1 : 0;
}

/* value as the whole dump writes it where its lines take indent more. */
static int dump_indented(struct strbuf *buf, const json_t *value, const char *indent) {
        struct indented out = {.buf = buf, .indent = indent};

        if (json_dump_callback(value, append_indented, &out, REPORT_DUMP_FLAGS | JSON_ENCODE_ANY) < 0)
                return -ENOMEM;
        return buf->failed ? -ENOMEM : 0;
}

/* A member's key, escaped as jansson escapes every key and string. */
static int dump_key(struct strbuf *buf, const char *key) {
        json_t *string = json_stringn_nocheck(key, strlen(key));
        int r;

        if (!string)
                return -ENOMEM;
        r = dump_indented(buf, string, "");
        json_decref(string);
        return r;
}

int report_dump_host(struct report_dump *dump, const json_t *host) {
        strbuf_append(&dump->hosts, dump->n_hosts > 0 ? ",\n    " : "\n    ");
        if (dump_indented(&dump->hosts, host, "    ") < 0)
                return -ENOMEM;
        dump->n_hosts++;
        return 0;
}

/* rest's members around its hosts: before them, up to the hosts array's
 * '[', in head; after it, from its ']', in tail. */
static int dump_around_hosts(const json_t *rest, size_t n_hosts, struct strbuf *head, struct strbuf *tail) {
        struct strbuf *buf = head;
        const char *key;
        json_t *value;
        bool first = true;

        strbuf_append(buf, "{");
        json_object_foreach((json_t *)rest, key, value) {
                strbuf_append(buf, first ? "\n  " : ",\n  ");
                first = false;
                if (dump_key(buf, key) < 0)
                        return -ENOMEM;
                strbuf_append(buf, ": ");
                if (strcmp(key, "hosts") == 0) {
                        strbuf_append(buf, n_hosts > 0 ? "[" : "[]");
                        buf = tail;
                        strbuf_append(buf, n_hosts > 0 ? "\n  ]" : "");
                } else if (dump_indented(buf, value, "  ") < 0)
                        return -ENOMEM;
        }
        strbuf_append(buf, "\n}\n");
        return head->failed || tail->failed ? -ENOMEM : 0;
}

char *report_dump_finish(struct report_dump *dump, const json_t *rest) {
        struct strbuf head = {.limit = SIZE_MAX / 2}, tail = {.limit = SIZE_MAX / 2};
        size_t length = dump->hosts.length;
        char *text = NULL;

        if (!json_is_object(rest) || !json_object_get(rest, "hosts") || dump->hosts.failed ||
            dump_around_hosts(rest, dump->n_hosts, &head, &tail) < 0)
                goto out;
        /* The hosts, the most of it, stay where they are written: the
         * rest goes around them. */
        text = realloc(dump->hosts.data, head.length + length + tail.length + 1);
        if (!text)
                goto out;
        dump->hosts.data = NULL;
        memmove(text + head.length, text, length);
        memcpy(text, head.data, head.length);
        memcpy(text + head.length + length, tail.data, tail.length);
        text[head.length + length + tail.length] = '\0';
out:
        strbuf_free(&head);
        strbuf_free(&tail);
        report_dump_free(dump);
        return text;
}

void report_dump_free(struct report_dump *dump) {
        strbuf_free(&dump->hosts);
        *dump = (struct report_dump)REPORT_DUMP_INIT;
}
