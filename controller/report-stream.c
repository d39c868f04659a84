/* SPDX-License-Identifier: MIT */
/*
 * report_stream_read(): a scanner of the report's outer object and its
 * "hosts" array, which hands every value inside them to jansson, one at a
 * time (json_loadb() with JSON_DISABLE_EOF_CHECK, which says where the
 * value ended). The scanner itself reads only JSON's whitespace and the
 * six characters of structure between the values; whatever else it meets
 * is -EBADMSG, and the caller's whole read gives jansson's error.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "report-stream.h"

/* jansson's JSON_PARSER_MAX_DEPTH (its private jansson_private.h): the
 * deepest nesting json_loadb() takes, counted from the document's top. */
#define JANSSON_MAX_DEPTH 2048

struct cursor {
        const char *text;
        size_t size, at;
};

static bool is_space(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void skip_space(struct cursor *c) {
        while (c->at < c->size && is_space(c->text[c->at]))
                c->at++;
}

static bool take(struct cursor *c, char expected) {
        skip_space(c);
        if (c->at >= c->size || c->text[c->at] != expected)
                return false;
        c->at++;
        return true;
}

/* How deep the value nests: 0 for a scalar, 1 for a flat array or object. */
static size_t depth_of(json_t *value) {
        size_t deepest = 0, d, i;
        const char *key;
        json_t *item;

        if (json_is_array(value)) {
                json_array_foreach(value, i, item) {
                        d = depth_of(item);
                        deepest = d > deepest ? d : deepest;
                }
        } else if (json_is_object(value)) {
                json_object_foreach(value, key, item) {
                        d = depth_of(item);
                        deepest = d > deepest ? d : deepest;
                }
        } else
                return 0;
        return deepest + 1;
}

/* The value at the cursor, which sits below `above` levels of the
 * document, or NULL where the whole read must answer: not JSON, or nested
 * deeper than jansson reads a whole document. The brackets in the value's
 * text bound its depth, so only a value with that many is walked. */
static json_t *value_at(struct cursor *c, size_t above) {
        json_error_t error;
        json_t *value;
        size_t brackets = 0, end;

        skip_space(c);
        value = json_loadb(c->text + c->at, c->size - c->at,
                           JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &error);
        if (!value)
                return NULL;
        end = c->at + (size_t)error.position;
        for (size_t i = c->at; i < end; i++)
                brackets += c->text[i] == '[' || c->text[i] == '{';
        if (above + brackets > JANSSON_MAX_DEPTH && above + depth_of(value) > JANSSON_MAX_DEPTH) {
                json_decref(value);
                return NULL;
        }
        c->at = end;
        return value;
}

/* The "hosts" array's objects to fn; the cursor is past its '['. */
static int read_hosts(struct cursor *c, report_host_fn fn, void *userdata) {
        if (take(c, ']'))
                return 0;
        for (size_t index = 0;; index++) {
                size_t start;
                json_t *host;
                int r;

                skip_space(c);
                start = c->at;
                host = value_at(c, 2);
                if (!host)
                        return -EBADMSG;
                r = fn(host, c->text + start, c->at - start, index, userdata);
                json_decref(host);
                if (r < 0)
                        return r;
                if (take(c, ']'))
                        return 0;
                if (!take(c, ','))
                        return -EBADMSG;
        }
}

/* One "key": value of the report's object, the cursor at the key. The
 * hosts' place in rest is held by an empty array. */
static int read_member(struct cursor *c, json_t *rest, report_host_fn fn, void *userdata) {
        json_t *key = value_at(c, 1), *value;
        const char *name;
        int r = -EBADMSG;

        if (!json_is_string(key) || !take(c, ':'))
                goto out;
        name = json_string_value(key);
        if (json_object_get(rest, name))
                goto out; /* a duplicate key */
        if (strcmp(name, "hosts") == 0) {
                if (!take(c, '['))
                        goto out;
                if (json_object_set_new_nocheck(rest, name, json_array()) < 0) {
                        r = -ENOMEM;
                        goto out;
                }
                r = read_hosts(c, fn, userdata);
                goto out;
        }
        value = value_at(c, 1);
        if (!value)
                goto out;
        r = json_object_set_new_nocheck(rest, name, value) < 0 ? -ENOMEM : 0;
out:
        json_decref(key);
        return r;
}

int report_stream_read(const char *text, size_t size, report_host_fn fn, void *userdata, json_t **ret_rest) {
        struct cursor c = {.text = text, .size = size};
        json_t *rest;
        int r;

        if (!take(&c, '{'))
                return -EBADMSG;
        rest = json_object();
        if (!rest)
                return -ENOMEM;
        if (take(&c, '}')) {
                r = -EBADMSG; /* no hosts */
                goto fail;
        }
        for (;;) {
                r = read_member(&c, rest, fn, userdata);
                if (r < 0)
                        goto fail;
                if (take(&c, '}'))
                        break;
                if (!take(&c, ',')) {
                        r = -EBADMSG;
                        goto fail;
                }
        }
        skip_space(&c);
        if (!json_object_get(rest, "hosts") || c.at != size) {
                r = -EBADMSG;
                goto fail;
        }
        *ret_rest = rest;
        return 0;
fail:
        json_decref(rest);
        return r;
}
