/* SPDX-License-Identifier: MIT */
/*
 * Text that came from a host, the network or a report, made safe for the
 * one output it goes to. One classifier decides which characters must never
 * reach a reader as themselves; one escaper for each output decides what
 * they become there. The bytes (as a C literal)
 *
 *   "\x1b]52;c;aGk=\x07 \xe2\x80\xae<b>|\xff"
 *
 * (an OSC 52 clipboard write, a right-to-left override, markup, a pipe and
 * a byte that is no UTF-8) come out as
 *
 *   terminal   \x1b]52;c;aGk=\a \u202e<b>|\xff
 *   HTML       &#xFFFD;]52;c;aGk=&#xFFFD; &#xFFFD;&lt;b&gt;|&#xFFFD;
 *   Markdown   �\]52;c;aGk=� �&lt;b&gt;\|�
 *   XML        �]52;c;aGk=� �&lt;b&gt;|�
 *   JSON text  �]52;c;aGk=� �<b>|�
 *
 * The terminal shows what a character was, since an operator may need to
 * know (a byte as \xNN, a code point as \uNNNN, a backslash doubled so
 * that "\x1b" in the output always means ESC, never the four characters);
 * the other outputs show U+FFFD, which no reader mistakes for text.
 *
 * Ownership: every function borrows the text it reads. The escapers append
 * to a strbuf that the caller owns; a strbuf that fails (out of memory, or
 * past its limit) ignores every later append, so the caller checks it once,
 * at the end (strbuf.h). Nothing here does I/O or keeps state.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum tether_escape_class {
        TETHER_ESCAPE_PRINTABLE,    /* well-formed UTF-8 that may be shown as itself */
        TETHER_ESCAPE_C0,           /* U+0000 to U+001F, tab and line breaks included */
        TETHER_ESCAPE_DEL,          /* U+007F */
        TETHER_ESCAPE_C1,           /* U+0080 to U+009F (U+009B is CSI to many terminals) */
        TETHER_ESCAPE_BIDI,         /* bidi marks, embeddings, overrides and isolates */
        TETHER_ESCAPE_NONCHARACTER, /* U+FFFE and U+FFFF, which XML does not allow */
        TETHER_ESCAPE_INVALID,      /* a byte that starts no well-formed UTF-8 sequence */
};

/* The class of the character at s, of which length bytes (at least 1) may
 * be read; its code point in *ret_code (for TETHER_ESCAPE_INVALID the byte
 * itself) and its length in bytes, 1 to 4, in *ret_length. The bidi
 * controls are U+061C, U+200E, U+200F, U+202A to U+202E and U+2066 to
 * U+2069: each makes what follows read in another order than it is
 * written. A real U+FFFD is printable. */
enum tether_escape_class tether_escape_classify(const char *s, size_t length, uint32_t *ret_code,
                                                size_t *ret_length);

/* Each escaper appends the length bytes at s to out, for one output, cut
 * after max_chars characters (0: no cut) with "…" when more follow. A
 * character is a code point, or one byte of malformed input; the cut counts
 * the input's characters, not what they became. */

/* For a terminal or a log: printable UTF-8 as itself; a backslash as "\\";
 * \a \b \t \n \v \f \r as those two characters; other C0 controls, DEL
 * and each byte of malformed input as "\xNN"; C1 controls, bidi controls
 * and non-characters as "\uNNNN" (lower-case hex, as systemd's cescape()
 * writes them). The output is printable UTF-8, free of controls. */
void tether_escape_terminal(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* For HTML text or a quoted attribute value: & < > " ' as references, tab
 * and line breaks kept, every other character that is not printable (and
 * U+FFFD itself) as "&#xFFFD;". */
void tether_escape_html(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* For inline Markdown (GitHub's and GitLab's), rendered as the text it is:
 * \ ` * _ [ ] | ~ $ and a '#' that starts the text get a backslash; < > &
 * become entities; tab and line breaks a space, so the text cannot end a
 * table row or start a block; an '@' not after a letter, digit or '_' is
 * followed by a word joiner, so it mentions nobody; every other character
 * that is not printable becomes U+FFFD. */
void tether_escape_markdown(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* For XML 1.0 character data: & < > as references, CR as "&#13;", tab
 * and LF kept; every other character that is not printable becomes U+FFFD
 * (XML refuses most C0 controls and the non-characters; C1, DEL and bidi
 * controls it allows, but a log viewer or a CI page would act on them). */
void tether_escape_xml_text(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* As tether_escape_xml_text() for an attribute value in double quotes,
 * where " and ' are references too and tab and LF are "&#9;" and "&#10;"
 * (a parser reads them back as spaces otherwise). */
void tether_escape_xml_attribute(struct strbuf *out, const char *s, size_t length, size_t max_chars);

/* For a string that goes into a JSON document to be rendered later (a
 * host's failure message in the report): well-formed UTF-8, which jansson
 * requires, with tab and LF kept and every other character that is not
 * printable (NUL, CR, ESC, C1, bidi, malformed bytes) as U+FFFD, so the
 * text reads the same in every rendering. */
void tether_escape_json_text(struct strbuf *out, const char *s, size_t length, size_t max_chars);
