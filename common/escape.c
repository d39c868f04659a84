/* SPDX-License-Identifier: MIT */
/*
 * The classifier and the escapers of escape.h. One walk decodes the text a
 * character at a time (utf8.h), classifies it, applies the cut, and hands
 * the character to the output's own function, which writes it as itself or
 * as what that output shows instead:
 *
 *   "a\xe2\x80\xaeb"  ->  'a' printable, U+202E bidi, 'b' printable
 *                     ->  terminal "a\u202eb", HTML "a&#xFFFD;b"
 */
#include <stdbool.h>

#include "escape.h"
#include "utf8.h"

#define ELLIPSIS "\xe2\x80\xa6"
#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"
#define WORD_JOINER "\xe2\x81\xa0"

static enum tether_escape_class class_of(uint32_t c) {
        if (c < 0x20)
                return TETHER_ESCAPE_C0;
        if (c == 0x7f)
                return TETHER_ESCAPE_DEL;
        if (c >= 0x80 && c <= 0x9f)
                return TETHER_ESCAPE_C1;
        if (c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
            (c >= 0x2066 && c <= 0x2069))
                return TETHER_ESCAPE_BIDI;
        if (c == 0xfffe || c == 0xffff)
                return TETHER_ESCAPE_NONCHARACTER;
        return TETHER_ESCAPE_PRINTABLE;
}

enum tether_escape_class tether_escape_classify(const char *s, size_t length, uint32_t *ret_code,
                                                size_t *ret_length) {
        uint32_t c = tether_utf8_decode(s, length, ret_length);

        if (c == TETHER_UTF8_INVALID) {
                *ret_code = (unsigned char)s[0];
                return TETHER_ESCAPE_INVALID;
        }
        *ret_code = c;
        return class_of(c);
}

struct character {
        const char *bytes;
        size_t length;
        uint32_t code; /* the byte, for TETHER_ESCAPE_INVALID */
        enum tether_escape_class class;
        size_t index;      /* in the text, from 0 */
        uint32_t previous; /* the code point before it, 0 for the first */
};

typedef void write_function(struct strbuf *out, const struct character *c);

static void walk(struct strbuf *out, const char *s, size_t length, size_t max_chars,
                 write_function *write_character) {
        struct character c = {};

        for (size_t i = 0; i < length; i += c.length, c.index++) {
                if (max_chars > 0 && c.index == max_chars) {
                        strbuf_append(out, ELLIPSIS);
                        return;
                }
                c.previous = c.code;
                c.bytes = s + i;
                c.class = tether_escape_classify(s + i, length - i, &c.code, &c.length);
                write_character(out, &c);
        }
}

static void write_itself(struct strbuf *out, const struct character *c) {
        strbuf_append_n(out, c->bytes, c->length);
}

/* ---- terminal ---------------------------------------------------------- */

static const char *c_escape(uint32_t c) {
        switch (c) {
        case '\a':
                return "\\a";
        case '\b':
                return "\\b";
        case '\t':
                return "\\t";
        case '\n':
                return "\\n";
        case '\v':
                return "\\v";
        case '\f':
                return "\\f";
        case '\r':
                return "\\r";
        default:
                return NULL;
        }
}

static void write_terminal(struct strbuf *out, const struct character *c) {
        switch (c->class) {
        case TETHER_ESCAPE_PRINTABLE:
                if (c->code == '\\')
                        strbuf_append(out, "\\\\");
                else
                        write_itself(out, c);
                return;
        case TETHER_ESCAPE_C0:
                if (c_escape(c->code))
                        strbuf_append(out, c_escape(c->code));
                else
                        strbuf_appendf(out, "\\x%02x", (unsigned)c->code);
                return;
        case TETHER_ESCAPE_DEL:
        case TETHER_ESCAPE_INVALID:
                strbuf_appendf(out, "\\x%02x", (unsigned)c->code);
                return;
        case TETHER_ESCAPE_C1:
        case TETHER_ESCAPE_BIDI:
        case TETHER_ESCAPE_NONCHARACTER:
                strbuf_appendf(out, "\\u%04x", (unsigned)c->code);
                return;
        }
}

void tether_escape_terminal(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_terminal);
}

/* ---- HTML -------------------------------------------------------------- */

static void write_html(struct strbuf *out, const struct character *c) {
        switch (c->code) {
        case '&':
                strbuf_append(out, "&amp;");
                return;
        case '<':
                strbuf_append(out, "&lt;");
                return;
        case '>':
                strbuf_append(out, "&gt;");
                return;
        case '"':
                strbuf_append(out, "&quot;");
                return;
        case '\'':
                strbuf_append(out, "&#39;");
                return;
        case '\t':
        case '\n':
        case '\r':
                write_itself(out, c);
                return;
        default:
                break;
        }
        /* A real U+FFFD is spelled like the ones that stand for something. */
        if (c->class == TETHER_ESCAPE_PRINTABLE && c->code != TETHER_UTF8_REPLACEMENT)
                write_itself(out, c);
        else
                strbuf_append(out, "&#xFFFD;");
}

void tether_escape_html(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_html);
}

/* ---- Markdown ---------------------------------------------------------- */

static bool is_word_character(uint32_t c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static void write_markdown(struct strbuf *out, const struct character *c) {
        switch (c->code) {
        case '#':
                strbuf_append(out, c->index == 0 ? "\\#" : "#");
                return;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '|':
        case '~':
        case '$':
                strbuf_appendf(out, "\\%c", (char)c->code);
                return;
        case '<':
                strbuf_append(out, "&lt;");
                return;
        case '>':
                strbuf_append(out, "&gt;");
                return;
        case '&':
                strbuf_append(out, "&amp;");
                return;
        case '\t':
        case '\n':
        case '\r':
                strbuf_append(out, " ");
                return;
        case '@':
                strbuf_append(out, is_word_character(c->previous) ? "@" : "@" WORD_JOINER);
                return;
        default:
                break;
        }
        if (c->class == TETHER_ESCAPE_PRINTABLE)
                write_itself(out, c);
        else
                strbuf_append(out, REPLACEMENT_CHARACTER);
}

void tether_escape_markdown(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_markdown);
}

/* ---- XML --------------------------------------------------------------- */

/* What both XML forms write alike; false for the characters they differ on. */
static bool write_xml_common(struct strbuf *out, const struct character *c) {
        switch (c->code) {
        case '&':
                strbuf_append(out, "&amp;");
                return true;
        case '<':
                strbuf_append(out, "&lt;");
                return true;
        case '>':
                strbuf_append(out, "&gt;");
                return true;
        case '\r':
                strbuf_append(out, "&#13;");
                return true;
        case '"':
        case '\'':
        case '\t':
        case '\n':
                return false;
        default:
                break;
        }
        if (c->class == TETHER_ESCAPE_PRINTABLE)
                write_itself(out, c);
        else
                strbuf_append(out, REPLACEMENT_CHARACTER);
        return true;
}

static void write_xml_text(struct strbuf *out, const struct character *c) {
        if (!write_xml_common(out, c))
                write_itself(out, c);
}

static void write_xml_attribute(struct strbuf *out, const struct character *c) {
        if (write_xml_common(out, c))
                return;
        if (c->code == '"')
                strbuf_append(out, "&quot;");
        else if (c->code == '\'')
                strbuf_append(out, "&apos;");
        else
                strbuf_appendf(out, "&#%u;", (unsigned)c->code);
}

void tether_escape_xml_text(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_xml_text);
}

void tether_escape_xml_attribute(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_xml_attribute);
}

/* ---- JSON text --------------------------------------------------------- */

static void write_json_text(struct strbuf *out, const struct character *c) {
        if (c->class == TETHER_ESCAPE_PRINTABLE || c->code == '\t' || c->code == '\n')
                write_itself(out, c);
        else
                strbuf_append(out, REPLACEMENT_CHARACTER);
}

void tether_escape_json_text(struct strbuf *out, const char *s, size_t length, size_t max_chars) {
        walk(out, s, length, max_chars, write_json_text);
}
