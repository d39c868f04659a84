/* SPDX-License-Identifier: MIT */
/*
 * Growable, size-limited strings (see strbuf.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static bool reserve(struct strbuf *buf, size_t extra) {
        size_t limit = buf->limit ? buf->limit : STRBUF_DEFAULT_LIMIT;
        size_t need, size;
        char *data;

        if (buf->failed)
                return false;
        if (extra > limit || buf->length > limit - extra) {
                buf->failed = buf->too_big = true;
                return false;
        }
        need = buf->length + extra + 1;
        if (need <= buf->allocated)
                return true;
        size = buf->allocated ? buf->allocated : 64;
        while (size < need)
                size *= 2;
        data = realloc(buf->data, size);
        if (!data) {
                buf->failed = true;
                return false;
        }
        buf->data = data;
        buf->allocated = size;
        return true;
}

void strbuf_append_n(struct strbuf *buf, const char *s, size_t n) {
        if (!reserve(buf, n))
                return;
        memcpy(buf->data + buf->length, s, n);
        buf->length += n;
        buf->data[buf->length] = '\0';
}

void strbuf_append(struct strbuf *buf, const char *s) {
        strbuf_append_n(buf, s, strlen(s));
}

void strbuf_appendf(struct strbuf *buf, const char *format, ...) {
        va_list ap;
        int n;

        va_start(ap, format);
        n = vsnprintf(NULL, 0, format, ap);
        va_end(ap);
        if (n < 0) {
                buf->failed = true;
                return;
        }
        if (!reserve(buf, (size_t)n))
                return;
        va_start(ap, format);
        vsnprintf(buf->data + buf->length, (size_t)n + 1, format, ap);
        va_end(ap);
        buf->length += (size_t)n;
}

char *strbuf_steal(struct strbuf *buf) {
        char *s;

        if (buf->failed) {
                strbuf_free(buf);
                return NULL;
        }
        s = buf->data ? buf->data : strdup("");
        *buf = (struct strbuf){.limit = buf->limit};
        return s;
}

void strbuf_free(struct strbuf *buf) {
        free(buf->data);
        *buf = (struct strbuf){.limit = buf->limit};
}
